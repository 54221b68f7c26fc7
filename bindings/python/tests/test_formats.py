"""Renderers from Python: every format, and the OSCAL output checked by compliance-trestle."""
import json

import pytest

import hullcheck

from conftest import NOW

WAIVER = {
    "control_id": "RUN-003",
    "subject": {"kind": "Pod", "namespace": "platform", "name": "netshoot-debug"},
    "justification": "break-glass pod",
    "owner": "platform@example.com",
    "expires": "2026-12-31",
}


@pytest.fixture(scope="module")
def report():
    return hullcheck.Engine().evaluate_paths(["examples/cluster"], now=NOW, waivers=[WAIVER])


def test_every_format_renders(report):
    assert json.loads(report.render("json")) == report.to_dict()
    assert json.loads(report.render("sarif"))["version"] == "2.1.0"
    assert report.render("junit").startswith("<?xml")
    assert "## hullcheck" in report.render("markdown")
    assert report.render("html").startswith("<!DOCTYPE html>")
    assert "failing controls, most severe first" in report.render("text")
    assert "<VULN>" in report.render("ckl")


def test_stig_checklists_take_target_data(report):
    cklb = json.loads(report.render("cklb", target_host="prod-1", target_role="Member Server"))
    assert cklb["target_data"]["host_name"] == "prod-1"
    assert len(cklb["stigs"][0]["rules"]) == 92
    assert "<ROLE>Member Server</ROLE>" in report.render("ckl", target_role="Member Server")
    with pytest.raises(hullcheck.OptionsError) as e:
        report.render("ckl", target_role="Mainframe")
    assert e.value.code == "options.bad_target_role"
    with pytest.raises(hullcheck.OptionsError) as e:
        report.render("pdf")
    assert e.value.code == "options.unknown_format"


def test_waivers_from_python(report):
    assert report.to_dict()["waivers"][0]["state"] == "applied"
    assert any(f["status"] == "waived" and f["control_id"] == "RUN-003" for f in report.findings)
    with pytest.raises(hullcheck.OptionsError) as e:
        hullcheck.Engine().evaluate_paths(["examples/cluster"], waivers=[{"control_id": "RUN-003"}])
    assert e.value.code == "options.waivers"


def test_oscal_is_accepted_by_compliance_trestle(report):
    trestle = pytest.importorskip("trestle.oscal.assessment_results")
    doc = json.loads(report.render("oscal"))
    ar = trestle.AssessmentResults.parse_obj(doc["assessment-results"])
    result = ar.results[0]
    assert result.observations and result.findings and result.risks
    states = {getattr(f.target.status.state, "value", f.target.status.state) for f in result.findings}
    assert states == {"satisfied", "not-satisfied"}
    assert all(str(o.collected.isoformat()).startswith("2026-06-01") for o in result.observations)


def test_oscal_counts_agree_with_the_json_report(report):
    trestle = pytest.importorskip("trestle.oscal.assessment_results")
    data = report.to_dict()
    for fw_id in ("nist-800-53r5", "pci-dss-4.0.1"):
        doc = json.loads(report.render("oscal", oscal_framework=fw_id, assessor="Example 3PAO"))
        ar = trestle.AssessmentResults.parse_obj(doc["assessment-results"])
        result = ar.results[0]
        fw = next(f for f in data["frameworks"] if f["framework_id"] == fw_id)
        assessed = [r for r in fw["requirements"] if r["status"] in ("pass", "fail")]
        assert len(result.findings) == len(assessed)
        selected = result.reviewed_controls.control_selections[0].include_controls
        assert len(selected) == len(assessed)
        failing = {f["control_id"] for f in data["findings"] if f["status"] == "fail"}
        assert len(result.risks) == len(failing)
        assert sum(len(r.related_observations) for r in result.risks) == data["summary"]["findings"]["fail"]
        plan = ar.import_ap.href.lstrip("#")
        assert str(ar.back_matter.resources[0].uuid) == plan
        assert ar.metadata.parties[0].name == "Example 3PAO"
    with pytest.raises(hullcheck.OptionsError) as e:
        report.render("oscal", oscal_framework="soc-2")
    assert e.value.code == "options.unknown_framework"


def test_markdown_links_under_a_link_base(report):
    md = report.render("markdown", link_base="https://github.com/o/r/blob/abc")
    assert "(<https://github.com/o/r/blob/abc/" in md

