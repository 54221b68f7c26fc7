"""The library as an audit-script author uses it: typed results (checked by mypy --strict),
cached accessors, pickling across processes, paths as str or PathLike, policy and waivers
files, the gate, diff and fleet merges, and help() on every public item."""
import json
import multiprocessing
import os
import pathlib
import pickle
import subprocess
import sys

import pytest

import hullcheck

from conftest import NOW, ROOT

POD = "apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: shop}\nspec:\n  containers:\n  - name: c\n    image: registry.example.com/app:1.0\n    securityContext: {privileged: true}\n"


def test_generated_types_are_fresh():
    r = subprocess.run([sys.executable, "tools/gen_binding_types.py", "--check"], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr


def _mypy(tmp_path, source):
    pytest.importorskip("mypy")
    f = tmp_path / "script.py"
    f.write_text(source)
    return subprocess.run([sys.executable, "-m", "mypy", "--strict", "--no-incremental", str(f)],
                          capture_output=True, text=True)


def test_mypy_strict_rejects_a_misspelt_key(tmp_path):
    good = (
        "import hullcheck\n"
        "report = hullcheck.Engine().evaluate_paths('examples/cluster')\n"
        "ids: list[str] = [f['control_id'] for f in report.findings if f['status'] == 'fail']\n"
        "line: int = report.findings[0]['location']['line']\n"
        "fleet = hullcheck.Report.merge({'prod': report}, reference='prod')\n"
        "names: list[str] = [c['name'] for c in fleet.clusters]\n"
    )
    ok = _mypy(tmp_path, good)
    assert ok.returncode == 0, ok.stdout
    bad = _mypy(tmp_path, good + "typo = report.findings[0]['contorl_id']\n")
    assert bad.returncode == 1
    assert 'TypedDict "Finding" has no key "contorl_id"' in bad.stdout, bad.stdout
    wrong = _mypy(tmp_path, good + "n: int = report.summary['result']\n")
    assert wrong.returncode == 1 and "incompatible type" in wrong.stdout.lower(), wrong.stdout


def test_accessors_convert_once(engine):
    report = engine.evaluate_paths("examples/cluster", now=NOW)
    for name in ("findings", "controls", "frameworks", "documents", "summary"):
        assert getattr(report, name) is getattr(report, name), name
    assert report.findings == report.to_dict()["findings"]


@pytest.mark.parametrize("path", ["examples/cluster", "tests/conformance/rendered-streams/input"])
def test_findings_equal_their_json(engine, path):
    # `findings` is built directly (not through a JSON value): it must equal the JSON, rendered
    # locations included, key order too.
    report = engine.evaluate_paths(path, now=NOW)
    want = json.loads(report.to_json())["findings"]
    assert report.findings == want
    assert json.dumps(report.findings) == json.dumps(want)
    if "rendered" in path:
        assert any("rendered" in f["location"] for f in report.findings)


def test_one_path_str_or_pathlike(engine):
    as_list = engine.evaluate_paths(["examples/cluster"], now=NOW).to_json()
    assert engine.evaluate_paths("examples/cluster", now=NOW).to_json() == as_list
    assert engine.evaluate_paths(pathlib.Path("examples/cluster"), now=NOW).to_json() == as_list


def test_a_missing_path_is_an_error(engine):
    with pytest.raises(hullcheck.EvidenceError) as e:
        engine.evaluate_paths(["examples/cluster", "no/such/dir"], now=NOW)
    assert e.value.code == "evidence.missing_path"
    assert "`no/such/dir`" in str(e.value)


def test_policy_and_waivers_from_files_as_on_the_cli(engine, tmp_path):
    policy = tmp_path / "policy.yaml"
    policy.write_text("controls: [RUN-003]\nparams: {}\n")
    waivers = tmp_path / "waivers.yaml"
    waivers.write_text(
        "waivers:\n- control_id: RUN-003\n  subject: {namespace: shop}\n  justification: legacy\n"
        "  owner: team@example.com\n  expires: '2027-01-01'\n"
    )
    pod = tmp_path / "pod.yaml"
    pod.write_text(POD)
    report = engine.evaluate_paths(pod, now=NOW, policy=policy, waivers=str(waivers))
    cli = subprocess.run(
        [sys.executable, "-m", "hullcheck", "evaluate", "--now", NOW, "--policy", str(policy),
         "--waivers", str(waivers), str(pod)],
        capture_output=True, text=True,
    )
    assert report.to_json() == cli.stdout
    assert [f["status"] for f in report.findings] == ["waived"]
    # A dict is accepted as before; an explicit `controls=` wins over the policy's.
    as_dict = engine.evaluate_paths(pod, now=NOW, policy={"controls": ["RUN-003"]}, controls=["RUN-001"])
    assert {c["control_id"] for c in as_dict.controls if c["status"] != "not_assessed"} <= {"RUN-001"}
    with pytest.raises(hullcheck.OptionsError) as e:
        engine.evaluate_paths(pod, policy=tmp_path / "nope.yaml")
    assert e.value.code == "options.policy_file"
    with pytest.raises(hullcheck.OptionsError) as e:
        engine.evaluate_paths(pod, waivers=tmp_path / "nope.yaml")
    assert e.value.code == "options.waivers"


def _evaluate_in_child(path):
    return hullcheck.Engine().evaluate_paths(path, now=NOW)


def _raise_in_child(path):
    hullcheck.Engine().evaluate_paths(path)


def test_reports_and_errors_pickle_across_processes(engine):
    report = engine.evaluate_paths("examples/cluster", now=NOW)
    again = pickle.loads(pickle.dumps(report))
    assert again == report and again.to_json() == report.to_json()
    assert again.render("markdown") == report.render("markdown")
    err = hullcheck.OptionsError("bad")
    err.code = "options.x"
    back = pickle.loads(pickle.dumps(err))
    assert type(back) is hullcheck.OptionsError and back.code == "options.x"
    assert hullcheck.HullcheckError.__module__ == "hullcheck"
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(2) as pool:
        reports = pool.map(_evaluate_in_child, ["examples/cluster"] * 2)
        assert all(r.to_json() == report.to_json() for r in reports)
        with pytest.raises(hullcheck.EvidenceError) as e:
            pool.apply(_raise_in_child, (str(ROOT / "no/such/dir"),))
        assert e.value.code == "evidence.missing_path"
    fleet = hullcheck.Report.merge({"a": report})
    assert pickle.loads(pickle.dumps(fleet)) == fleet


def test_gate_mirrors_the_cli_exit_code(engine):
    report = engine.evaluate_paths("examples/cluster", now=NOW)
    assert report.gate()["passed"] is False
    assert report.gate(fail_on="never", accept_unreadable=True)["passed"] is True


def test_diff_as_the_cli(engine, tmp_path):
    old = engine.evaluate([("pod.yaml", POD.replace("true", "false"))], now=NOW)
    new = engine.evaluate([("pod.yaml", POD)], now=NOW)
    d = hullcheck.diff(old, new)
    assert {f["control_id"] for f in d["new_failures"]} >= {"RUN-003"}
    (tmp_path / "old.json").write_text(old.to_json())
    (tmp_path / "new.json").write_text(new.to_json())
    cli = subprocess.run([sys.executable, "-m", "hullcheck", "diff", "--format", "json",
                          str(tmp_path / "old.json"), str(tmp_path / "new.json")], capture_output=True, text=True)
    assert hullcheck.diff(old, new, format="json") == cli.stdout
    assert cli.returncode == 1
    with pytest.raises(hullcheck.OptionsError):
        hullcheck.diff(old, new, format="pdf")  # type: ignore[call-overload]


def test_merge_is_the_cli_merge_in_any_order(engine, tmp_path):
    a = engine.evaluate_paths("examples/cluster", now=NOW)
    b = engine.evaluate_paths("examples/cluster", now=NOW, controls=["RUN-003"])
    one = hullcheck.Report.merge({"prod": a, "stage": b}, reference="prod")
    two = hullcheck.FleetReport.merge([hullcheck.Report.merge([("stage", b)]), hullcheck.Report.merge({"prod": a})],
                                      reference="prod")
    assert one.to_json() == two.to_json()
    (tmp_path / "a.json").write_text(a.to_json())
    (tmp_path / "b.json").write_text(b.to_json())
    cli = subprocess.run([sys.executable, "-m", "hullcheck", "merge", "--reference", "prod",
                          f"stage={tmp_path / 'b.json'}", f"prod={tmp_path / 'a.json'}"], capture_output=True, text=True)
    assert cli.stdout == one.to_json()
    assert [c["name"] for c in one.clusters] == ["prod", "stage"]
    assert one.summary["divergent_controls"] == len(one.divergence) > 0
    assert hullcheck.FleetReport.from_json(one.to_json()) == one
    assert "<table id=\"matrix\">" in one.render("html")
    with pytest.raises(hullcheck.OptionsError) as e:
        hullcheck.FleetReport.merge([one, one])
    assert e.value.code == "fleet.duplicate_cluster"
    with pytest.raises(hullcheck.OptionsError):
        hullcheck.Report.merge({"x": "not a report"})  # type: ignore[dict-item]


def test_every_public_item_has_a_docstring():
    missing = []
    for name in hullcheck.__all__:
        obj = getattr(hullcheck, name)
        # The classes and functions of the native module (the TypedDicts are documented in
        # `hullcheck.types`, field by field).
        if name.startswith("__") or getattr(obj, "__module__", "") not in ("hullcheck", "hullcheck._hullcheck"):
            continue
        if not (obj.__doc__ or "").strip():
            missing.append(name)
        for attr, member in vars(obj).items() if isinstance(obj, type) else []:
            if attr.startswith("_") or not hasattr(member, "__doc__"):
                continue
            if not (getattr(member, "__doc__", "") or "").strip():
                missing.append(f"{name}.{attr}")
    assert not missing, missing
