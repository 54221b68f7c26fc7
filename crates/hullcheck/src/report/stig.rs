//! STIG Viewer checklists of the DISA Kubernetes STIG: one rule per STIG rule, its status taken
//! from the controls mapped to it, and what they found as finding details. [`ckl`] writes STIG
//! Viewer 2's XML, [`cklb`] STIG Viewer 3's JSON (CKLB 1.0).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde_json::json;

use super::junit::xml;
use super::render::{subject_line, uuid};
use super::{Report, Status};
use crate::catalog::model::{Coverage, StigRule};
use crate::catalog::Catalog;

/// The STIG the checklists are of.
pub const STIG_FRAMEWORK: &str = "disa-k8s-stig-v2r6";
const STIG_TITLE: &str = "Kubernetes Security Technical Implementation Guide";
const STIG_ID: &str = "Kubernetes_STIG";
const STIG_VERSION: &str = "2";
const RELEASE_INFO: &str = "Release: 6 Benchmark Date: 01 Apr 2026";
const FILENAME: &str = "U_Kubernetes_STIG_V2R6_Manual-xccdf.xml";
/// At most this many findings are listed in one rule's finding details.
const MAX_DETAILS: usize = 40;

/// The checklist's target data (STIG Viewer's "Target Data" panel), from options.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Target {
    /// Host name of the target (the cluster or node assessed).
    pub host_name: String,
    /// Its IP address.
    pub host_ip: String,
    /// Its fully qualified domain name.
    pub host_fqdn: String,
    /// `None`, `Workstation`, `Member Server` or `Domain Controller` (empty means `None`).
    pub role: String,
    /// A marking such as `CUI`.
    pub marking: String,
    /// A comment on the target.
    pub comment: String,
}

/// The roles a CKL accepts.
pub const ROLES: &[&str] = &["None", "Workstation", "Member Server", "Domain Controller"];

/// A checklist status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verdict {
    NotAFinding,
    Open,
    NotApplicable,
    NotReviewed,
}

impl Verdict {
    fn ckl(self) -> &'static str {
        match self {
            Self::NotAFinding => "NotAFinding",
            Self::Open => "Open",
            Self::NotApplicable => "Not_Applicable",
            Self::NotReviewed => "Not_Reviewed",
        }
    }

    fn cklb(self) -> &'static str {
        match self {
            Self::NotAFinding => "not_a_finding",
            Self::Open => "open",
            Self::NotApplicable => "not_applicable",
            Self::NotReviewed => "not_reviewed",
        }
    }
}

/// One STIG rule as judged.
struct Rule<'a> {
    vuln_id: &'a str,
    stig: &'a StigRule,
    title: String,
    verdict: Verdict,
    details: String,
    comments: String,
    discussion: String,
    check: String,
    fix: String,
}

/// The rules of the STIG with their verdicts (empty when the catalog lacks the framework).
fn rules<'a>(report: &Report, catalog: &'a Catalog) -> Vec<Rule<'a>> {
    let Some(fw) = catalog.framework(STIG_FRAMEWORK) else {
        return Vec::new();
    };
    let results: BTreeMap<&str, &super::ControlResult> = report
        .controls
        .iter()
        .map(|c| (c.control_id.as_str(), c))
        .collect();
    let mut out = Vec::new();
    for req in &fw.requirements {
        let Some(stig) = &req.stig else {
            continue;
        };
        let mapped: Vec<&crate::catalog::model::Control> = catalog
            .controls
            .iter()
            .filter(|c| {
                c.mappings
                    .get(STIG_FRAMEWORK)
                    .is_some_and(|ids| ids.contains(&req.id))
            })
            .collect();
        let statuses: Vec<(&str, Status, Option<&str>)> = mapped
            .iter()
            .map(|c| match results.get(c.id.as_str()) {
                Some(r) => (c.id.as_str(), r.status, r.note.as_deref()),
                None => (c.id.as_str(), Status::NotAssessed, Some("not selected")),
            })
            .collect();
        let coverage = catalog.coverage(STIG_FRAMEWORK, &req.id);
        let mut verdict = verdict(&statuses);
        // A rule controls cover only in part is never NotAFinding on their passes alone, and a
        // rule that does not apply to a container platform says so.
        match coverage {
            Some((Coverage::Partial, _)) if verdict == Verdict::NotAFinding => {
                verdict = Verdict::NotReviewed;
            }
            Some((Coverage::NotApplicable, _)) if statuses.is_empty() => {
                verdict = Verdict::NotApplicable;
            }
            _ => {}
        }
        let names: Vec<String> = mapped
            .iter()
            .map(|c| format!("{} ({})", c.id, c.title))
            .collect();
        let title = if names.is_empty() {
            format!("{}: not evaluated by hullcheck", stig.stig_id)
        } else {
            format!("{}: evaluated by {}", stig.stig_id, names.join("; "))
        };
        out.push(Rule {
            vuln_id: &req.id,
            stig,
            title,
            verdict,
            details: details(report, &statuses, verdict),
            comments: comments(report, &statuses, coverage),
            discussion: join(mapped.iter().map(|c| c.rationale.as_str())),
            check: join(mapped.iter().map(|c| c.description.as_str())),
            fix: join(mapped.iter().map(|c| c.remediation.as_str())),
        });
    }
    out
}

fn join<'a>(parts: impl Iterator<Item = &'a str>) -> String {
    parts.map(str::trim).collect::<Vec<_>>().join("\n\n")
}

/// A rule is Open when a mapped control failed (or was waived), NotAFinding when every mapped
/// control was assessed and none failed, Not_Applicable when none applied, and otherwise (no
/// control, an error, or missing evidence) Not_Reviewed: never a pass for what was not read.
fn verdict(statuses: &[(&str, Status, Option<&str>)]) -> Verdict {
    let any = |s: Status| statuses.iter().any(|(_, x, _)| *x == s);
    if any(Status::Fail) || any(Status::Waived) {
        Verdict::Open
    } else if statuses.is_empty() || any(Status::Error) || any(Status::NotAssessed) {
        Verdict::NotReviewed
    } else if any(Status::Pass) {
        Verdict::NotAFinding
    } else {
        Verdict::NotApplicable
    }
}

fn details(report: &Report, statuses: &[(&str, Status, Option<&str>)], v: Verdict) -> String {
    let mut out = String::new();
    let wanted = |s: Status| match v {
        Verdict::Open => matches!(s, Status::Fail | Status::Waived),
        Verdict::NotReviewed => matches!(s, Status::Error),
        _ => false,
    };
    let mut listed = 0;
    let mut more = 0;
    for f in report
        .findings
        .iter()
        .filter(|f| statuses.iter().any(|(id, _, _)| *id == &*f.control_id) && wanted(f.status))
    {
        if listed == MAX_DETAILS {
            more += 1;
            continue;
        }
        listed += 1;
        let _ = writeln!(
            out,
            "[{}] {} {}:{}: {}: {}",
            f.status.as_str(),
            f.control_id,
            f.location.file,
            f.location.line,
            subject_line(&f.subject),
            f.message
        );
    }
    if more > 0 {
        let _ = writeln!(out, "… and {more} more findings in the hullcheck report");
    }
    for (id, s, note) in statuses {
        match (s, note) {
            (Status::Pass, _) if v == Verdict::NotAFinding => {
                let _ = writeln!(out, "{id}: pass");
            }
            (Status::NotAssessed, note) => {
                let _ = writeln!(
                    out,
                    "{id}: not assessed ({})",
                    note.unwrap_or("no evidence")
                );
            }
            _ => {}
        }
    }
    out.trim_end().to_owned()
}

fn comments(
    report: &Report,
    statuses: &[(&str, Status, Option<&str>)],
    coverage: Option<(Coverage, Option<&str>)>,
) -> String {
    let why = coverage.and_then(|(_, n)| n).unwrap_or_default();
    match coverage.map(|(c, _)| c) {
        Some(Coverage::NotApplicable) => return format!("Not applicable: {why}."),
        Some(Coverage::Organisational) => {
            return format!("Organisational: {why}. Review it with the system's documentation.")
        }
        Some(Coverage::Attestation) => return format!("Needs review or an attestation: {why}."),
        _ if statuses.is_empty() => {
            return "No hullcheck control evaluates this rule: it needs a manual review.".to_owned()
        }
        _ => {}
    }
    let mut out = format!(
        "Evaluated by hullcheck {} at {} (catalog {}).",
        report.tool.version, report.evaluated_at, report.catalog.digest
    );
    match coverage {
        Some((Coverage::Partial, _)) => {
            out.push_str(&format!(
                " Partly evaluated: {why}; the rest needs a manual review."
            ));
        }
        Some((Coverage::Automated, Some(n))) => out.push_str(&format!(" Note: {n}.")),
        _ => {}
    }
    if statuses.iter().any(|(_, s, _)| *s == Status::Waived) {
        out.push_str(" A waiver accepts at least one failure; see the report's waivers.");
    }
    out
}

/// STIG Viewer 2 checklist (CKL, XML) of the report.
pub fn ckl(report: &Report, catalog: &Catalog, target: &Target) -> String {
    let stig_uuid = uuid(&["stig", STIG_FRAMEWORK, &report.catalog.digest]);
    let mut o = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!--hullcheck-->\n<CHECKLIST>\n\t<ASSET>\n",
    );
    let role = if ROLES.contains(&target.role.as_str()) {
        target.role.as_str()
    } else {
        "None"
    };
    let field = |o: &mut String, name: &str, value: &str| {
        let _ = writeln!(o, "\t\t<{name}>{}</{name}>", xml(value));
    };
    field(&mut o, "ROLE", role);
    field(&mut o, "ASSET_TYPE", "Computing");
    if !target.marking.is_empty() {
        field(&mut o, "MARKING", &target.marking);
    }
    field(&mut o, "HOST_NAME", &target.host_name);
    field(&mut o, "HOST_IP", &target.host_ip);
    field(&mut o, "HOST_MAC", "");
    field(&mut o, "HOST_FQDN", &target.host_fqdn);
    if !target.comment.is_empty() {
        field(&mut o, "TARGET_COMMENT", &target.comment);
    }
    field(&mut o, "TECH_AREA", "");
    field(&mut o, "TARGET_KEY", "");
    field(&mut o, "WEB_OR_DATABASE", "false");
    field(&mut o, "WEB_DB_SITE", "");
    field(&mut o, "WEB_DB_INSTANCE", "");
    o.push_str("\t</ASSET>\n\t<STIGS>\n\t\t<iSTIG>\n\t\t\t<STIG_INFO>\n");
    for (name, value) in [
        ("version", STIG_VERSION),
        ("classification", "UNCLASSIFIED"),
        ("customname", ""),
        ("stigid", STIG_ID),
        ("description", ""),
        ("filename", FILENAME),
        ("releaseinfo", RELEASE_INFO),
        ("title", STIG_TITLE),
        ("uuid", &stig_uuid),
        ("notice", "terms-of-use"),
        ("source", "STIG.DOD.MIL"),
    ] {
        if value.is_empty() {
            let _ = writeln!(
                o,
                "\t\t\t\t<SI_DATA>\n\t\t\t\t\t<SID_NAME>{name}</SID_NAME>\n\t\t\t\t</SI_DATA>"
            );
        } else {
            let _ = writeln!(o, "\t\t\t\t<SI_DATA>\n\t\t\t\t\t<SID_NAME>{name}</SID_NAME>\n\t\t\t\t\t<SID_DATA>{}</SID_DATA>\n\t\t\t\t</SI_DATA>", xml(value));
        }
    }
    o.push_str("\t\t\t</STIG_INFO>\n");
    let stig_ref = format!("{STIG_TITLE} :: Version {STIG_VERSION}, {RELEASE_INFO}");
    for r in rules(report, catalog) {
        o.push_str("\t\t\t<VULN>\n");
        let mut data = |name: &str, value: &str| {
            let _ = writeln!(o, "\t\t\t\t<STIG_DATA>\n\t\t\t\t\t<VULN_ATTRIBUTE>{name}</VULN_ATTRIBUTE>\n\t\t\t\t\t<ATTRIBUTE_DATA>{}</ATTRIBUTE_DATA>\n\t\t\t\t</STIG_DATA>", xml(value));
        };
        data("Vuln_Num", r.vuln_id);
        data("Severity", &r.stig.severity);
        data("Group_Title", &r.stig.srg);
        data("Rule_ID", &r.stig.rule_id);
        data("Rule_Ver", &r.stig.stig_id);
        data("Rule_Title", &r.title);
        data("Vuln_Discuss", &r.discussion);
        data("IA_Controls", "");
        data("Check_Content", &r.check);
        data("Fix_Text", &r.fix);
        for name in ["False_Positives", "False_Negatives"] {
            data(name, "");
        }
        data("Documentable", "false");
        for name in [
            "Mitigations",
            "Potential_Impact",
            "Third_Party_Tools",
            "Mitigation_Control",
            "Responsibility",
            "Security_Override_Guidance",
        ] {
            data(name, "");
        }
        data("Check_Content_Ref", "M");
        data("Weight", "10.0");
        data("Class", "Unclass");
        data("STIGRef", &stig_ref);
        data("TargetKey", "");
        data("STIG_UUID", &stig_uuid);
        data("LEGACY_ID", "");
        for cci in &r.stig.cci {
            data("CCI_REF", cci);
        }
        let _ = writeln!(
            o,
            "\t\t\t\t<STATUS>{}</STATUS>\n\t\t\t\t<FINDING_DETAILS>{}</FINDING_DETAILS>\n\t\t\t\t<COMMENTS>{}</COMMENTS>\n\t\t\t\t<SEVERITY_OVERRIDE></SEVERITY_OVERRIDE>\n\t\t\t\t<SEVERITY_JUSTIFICATION></SEVERITY_JUSTIFICATION>\n\t\t\t</VULN>",
            r.verdict.ckl(),
            xml(&r.details),
            xml(&r.comments)
        );
    }
    o.push_str("\t\t</iSTIG>\n\t</STIGS>\n</CHECKLIST>\n");
    o
}

/// STIG Viewer 3 checklist (CKLB 1.0, JSON) of the report.
pub fn cklb(report: &Report, catalog: &Catalog, target: &Target) -> String {
    let stig_uuid = uuid(&["stig", STIG_FRAMEWORK, &report.catalog.digest]);
    let stig_ref = format!("{STIG_TITLE} :: Version {STIG_VERSION}, {RELEASE_INFO}");
    let all = rules(report, catalog);
    let size = all.len();
    let rules: Vec<serde_json::Value> = all
        .into_iter()
        .map(|r| {
            let rule_id = r.stig.rule_id.trim_end_matches("_rule");
            json!({
                "uuid": uuid(&["stig-rule", r.vuln_id, &report.catalog.digest]),
                "stig_uuid": stig_uuid,
                "target_key": null,
                "stig_ref": stig_ref,
                "group_id": r.vuln_id,
                "group_id_src": r.vuln_id,
                "rule_id": rule_id,
                "rule_id_src": r.stig.rule_id,
                "weight": "10.0",
                "classification": "Unclass",
                "severity": r.stig.severity,
                "rule_version": r.stig.stig_id,
                "group_title": r.stig.srg,
                "rule_title": r.title,
                "fix_text": r.fix,
                "false_positives": "",
                "false_negatives": "",
                "discussion": r.discussion,
                "check_content": r.check,
                "documentable": "false",
                "mitigations": "",
                "potential_impacts": "",
                "third_party_tools": "",
                "mitigation_control": "",
                "responsibility": "",
                "security_override_guidance": "",
                "ia_controls": "",
                "check_content_ref": {"name": "M", "href": FILENAME},
                "legacy_ids": [],
                "ccis": r.stig.cci,
                "group_tree": [{"id": r.vuln_id, "title": r.stig.srg, "description": "<GroupDescription></GroupDescription>"}],
                "status": r.verdict.cklb(),
                "overrides": {},
                "comments": r.comments,
                "finding_details": r.details,
            })
        })
        .collect();
    let role = if target.role.is_empty() {
        "None"
    } else {
        target.role.as_str()
    };
    let doc = json!({
        "title": format!("hullcheck {STIG_ID} V2R6"),
        "id": uuid(&["checklist", STIG_FRAMEWORK, &report.catalog.digest, &report.evaluated_at, &target.host_name]),
        "cklb_version": "1.0",
        "active": false,
        "mode": 2,
        "has_path": false,
        "target_data": {
            "target_type": "Computing",
            "host_name": target.host_name,
            "ip_address": target.host_ip,
            "mac_address": "",
            "fqdn": target.host_fqdn,
            "comments": target.comment,
            "role": role,
            "is_web_database": false,
            "technology_area": "",
            "web_db_site": "",
            "web_db_instance": "",
        },
        "stigs": [{
            "stig_name": STIG_TITLE,
            "display_name": "Kubernetes",
            "stig_id": STIG_ID,
            "release_info": RELEASE_INFO,
            "uuid": stig_uuid,
            "reference_identifier": null,
            "size": size,
            "rules": rules,
        }],
    });
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}
