"""The shared conformance suite (tests/conformance), run from Python."""
import json
import pathlib

import pytest

import hullcheck

CASES = pathlib.Path(__file__).resolve().parents[3] / "tests" / "conformance"
DIRS = sorted(p for p in CASES.iterdir() if p.is_dir())


def strip(value, prefix):
    if isinstance(value, str):
        return value.replace(prefix, "")
    if isinstance(value, list):
        return [strip(v, prefix) for v in value]
    if isinstance(value, dict):
        return {k: strip(v, prefix) for k, v in value.items()}
    return value


def test_there_are_cases():
    assert len(DIRS) >= 10


@pytest.mark.parametrize("case_dir", DIRS, ids=[d.name for d in DIRS])
def test_case(engine, case_dir):
    case = json.loads((case_dir / "case.json").read_text())
    o = case["options"]
    kwargs = {k: o.get(k) for k in ("profiles", "controls", "skip_controls", "params", "now", "kind", "waivers")}
    inputs = case["inputs"]
    controls = [str(case_dir / d) for d in case.get("engine", {}).get("controls", [])]
    if controls:
        engine = hullcheck.Engine(controls=controls)

    def run():
        if case["mode"] == "paths":
            return engine.evaluate_paths([str(case_dir / i) for i in inputs], **kwargs)
        return engine.evaluate([(i, (case_dir / i).read_bytes()) for i in inputs], **kwargs)

    expect = case["expect"]
    if "error" in expect:
        with pytest.raises(hullcheck.HullcheckError) as e:
            run()
        assert e.value.code == expect["error"]
        return
    report = run()
    for g in expect.get("gates", []):
        outcome = report.gate(**g["options"])
        assert [r["code"] for r in outcome["reasons"]] == g["reasons"], g["options"]
        assert outcome["passed"] is g["passed"]
        assert outcome["result"] == report.summary["result"]
    got = report.to_dict()
    del got["tool"], got["catalog"]
    got = strip(got, str(case_dir) + "/")
    want = json.loads((case_dir / expect["report"]).read_text())
    assert got == want
    if "fleet" in case:
        parts = {
            name: engine.evaluate([(i, (case_dir / i).read_bytes()) for i in files], **kwargs)
            for name, files in case["fleet"]["clusters"].items()
        }
        fleet = hullcheck.Report.merge(parts, reference=case["fleet"].get("reference")).to_dict()
        for c in fleet["clusters"]:
            del c["tool_version"], c["catalog"]
        del fleet["summary"]["catalogs"]
        assert fleet == json.loads((case_dir / expect["fleet"]).read_text())
