import json
import subprocess
import sys
import threading

import pytest

import hullcheck

from conftest import NOW, ROOT

POD = "apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: shop}\nspec:\n  containers:\n  - name: c\n    image: registry.example.com/app:1.0\n    securityContext: {privileged: true}\n"


def test_report_equals_the_cli_json(engine):
    report = engine.evaluate_paths(["examples/cluster"], now=NOW)
    cli = subprocess.run(
        ["cargo", "run", "-q", "--release", "-p", "hullcheck-cli", "--", "evaluate", "--now", NOW, "examples/cluster"],
        cwd=ROOT, capture_output=True, text=True,
    )
    assert cli.returncode == 1
    assert report.to_json() == cli.stdout
    assert report.to_dict() == json.loads(cli.stdout)


def test_documents_accept_bytes_and_str(engine):
    for content in (POD, POD.encode()):
        report = engine.evaluate([("pod.yaml", content)], controls=["RUN-003"], now=NOW)
        assert [f["status"] for f in report.findings] == ["fail"]
        assert report.findings[0]["location"]["line"] == 8
        assert report.has_failures


def test_read_access(engine):
    report = engine.evaluate([("pod.yaml", POD)], profiles=["pss-baseline"], params={"pss.version": "v1.30"}, now=NOW)
    assert report.evaluated_at == NOW
    assert report.summary["result"] == "fail"
    moderate = report.framework("fedramp-r5-moderate")
    assert moderate is not None and moderate["status"] == "fail"
    assert report.framework("nope") is None
    assert any(c["control_id"] == "RUN-003" and c["status"] == "fail" for c in report.controls)
    assert report.documents[0]["kind"] == "Pod"
    assert "failing" in repr(report)


def test_errors_are_typed_with_codes(engine):
    with pytest.raises(hullcheck.OptionsError) as e:
        engine.evaluate_paths(["examples/cluster"], profiles=["nope"])
    assert e.value.code == "options.unknown_profile"
    assert isinstance(e.value, hullcheck.HullcheckError)
    with pytest.raises(hullcheck.OptionsError) as e:
        engine.evaluate([("p.yaml", POD)], params={"scan.max_age_hours": "soon"})
    assert e.value.code == "options.bad_param_value"
    with pytest.raises(hullcheck.CatalogError) as e:
        hullcheck.Engine(catalog="/nonexistent/catalog")
    assert e.value.code == "catalog.io"
    with pytest.raises(hullcheck.EvidenceError) as e:
        engine.evaluate([("p.yaml", 42)])
    assert e.value.code == "evidence.invalid_document"
    with pytest.raises(hullcheck.EvidenceError):
        engine.evaluate(["not a pair"])


def test_catalog_queries(engine):
    cat = engine.catalog
    assert cat.version and cat.digest.startswith("sha256:")
    assert len(cat.controls()) >= 85
    assert {f["framework_id"] for f in cat.frameworks()} >= {"nist-800-53r5", "fedramp-r5-moderate", "eo-14028"}
    assert len(cat.practices()) >= 27
    assert len(cat.layers()) == 6
    reqs = cat.requirements_for_control("RUN-003")
    assert {"framework_id": "fedramp-r5-moderate", "requirement_id": "AC-6(10)"} in reqs
    assert "RUN-003" in cat.controls_for_requirement("nist-800-53r5", "AC-6(10)")
    assert any(c["framework_id"] == "pci-dss-4.0.1" for c in cat.coverage())
    assert cat.graph()["nodes"] and cat.graph_dot().startswith("digraph")


def test_threads_share_one_engine(engine):
    results = []

    def work():
        results.append(engine.evaluate_paths(["examples/cluster"], now=NOW).to_json())

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 4 and len(set(results)) == 1


def test_the_gil_is_released_during_evaluation(engine):
    # While one thread evaluates, another thread keeps running Python code.
    ticks = []
    stop = threading.Event()

    def ticker():
        while not stop.is_set():
            ticks.append(1)

    t = threading.Thread(target=ticker)
    t.start()
    try:
        for _ in range(3):
            engine.evaluate_paths(["examples/cluster"], now=NOW)
    finally:
        stop.set()
        t.join()
    assert len(ticks) > 100


def test_audit_example_prints_a_framework_summary():
    out = subprocess.run([sys.executable, "examples/python/audit.py", "examples/cluster", "--now", NOW], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 1, out.stderr
    assert "fedramp-r5-moderate" in out.stdout and "critical failures" in out.stdout
    ok = subprocess.run([sys.executable, "examples/python/audit.py", "examples/cluster/payments", "--profile", "pss-restricted", "--now", NOW], cwd=ROOT, capture_output=True, text=True)
    assert ok.returncode == 0, ok.stdout + ok.stderr


def test_panics_become_typed_errors_not_aborts():
    from hullcheck import _hullcheck

    for _ in range(2):
        with pytest.raises(hullcheck.HullcheckError) as e:
            _hullcheck._boundary_check()
        assert e.value.code == "internal.panic"
    # The interpreter and the engine are still usable afterwards.
    assert hullcheck.Engine().catalog.version


def test_skip_controls_leave_controls_out():
    report = hullcheck.Engine().evaluate_paths(["examples/cluster"], skip_controls=["RUN-003"], now="2026-06-01T00:00:00Z")
    assert all(c["control_id"] != "RUN-003" for c in report.controls)
    with pytest.raises(hullcheck.OptionsError) as e:
        hullcheck.Engine().evaluate_paths(["examples/cluster"], skip_controls=["RUN-0003"])
    assert e.value.code == "options.unknown_control"
    assert "did you mean `RUN-003`?" in str(e.value)



def test_excludes_and_annotation_waivers_as_on_the_cli(engine, tmp_path):
    (tmp_path / "keep.yaml").write_text(POD)
    (tmp_path / "drop.yaml").write_text(POD)
    r = engine.evaluate_paths([str(tmp_path)], controls=["RUN-003"], now=NOW, exclude=["drop.yaml"])
    skipped = {d["file"].rsplit("/", 1)[-1]: d.get("skipped") for d in r.to_dict()["documents"]}
    assert skipped["drop.yaml"]["code"] == "skipped.excluded"
    assert skipped["keep.yaml"] is None
    annotated = POD.replace("metadata: {name: p, namespace: shop}", "metadata:\n  name: p\n  namespace: shop\n  annotations:\n    hullcheck.dev/waive.RUN-003: '{justification: j, owner: o, expires: 2027-01-01}'")
    waived = engine.evaluate([("pod.yaml", annotated)], controls=["RUN-003"], now=NOW)
    assert [f["status"] for f in waived.findings] == ["waived"]
    strict = engine.evaluate([("pod.yaml", annotated)], controls=["RUN-003"], now=NOW, no_annotation_waivers=True)
    assert [f["status"] for f in strict.findings] == ["fail"]
