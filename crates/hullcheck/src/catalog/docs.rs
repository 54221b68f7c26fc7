//! The generated references: `docs/controls.md` (every control by layer, with its evidence and
//! mappings) and `docs/frameworks.md` (coverage per framework).

use std::fmt::Write as _;

use super::Catalog;
use crate::graph::CatalogGraph;

fn header(out: &mut String, title: &str, catalog: &Catalog) {
    let _ = writeln!(out, "# {title}\n");
    let _ = writeln!(
        out,
        "Generated from `controls/` (catalog {}); do not edit by hand. Regenerate with \
         `HULLCHECK_BLESS=1 cargo test -p hullcheck --test catalog`.\n",
        catalog.meta.version
    );
}

/// Renders `docs/controls.md`.
pub fn render(catalog: &Catalog, graph: &CatalogGraph) -> String {
    let mut out = String::new();
    header(&mut out, "Control reference", catalog);
    let views = catalog.control_views(graph);
    let _ = writeln!(
        out,
        "{} controls in {} layers.\n",
        views.len(),
        catalog.layers.len()
    );
    let _ = writeln!(
        out,
        "| Layer | Primary standards | Regulatory references | Controls |\n|---|---|---|---|"
    );
    for l in catalog.layer_views(graph) {
        let refs: Vec<String> = l
            .regulatory_references
            .iter()
            .map(|r| {
                let target = r
                    .requirement
                    .clone()
                    .or_else(|| r.family.clone().map(|f| format!("{f} family")))
                    .unwrap_or_default();
                match (&r.framework, &r.document) {
                    (Some(f), _) => format!("{f} {target}").trim().to_owned(),
                    (None, Some(d)) => d.clone(),
                    (None, None) => target,
                }
            })
            .collect();
        let _ = writeln!(
            out,
            "| [{}](#{}) | {} | {} | {} |",
            l.title,
            l.layer_id,
            l.primary_standards.join(", "),
            refs.join("; "),
            l.controls.len()
        );
    }
    let _ = writeln!(
        out,
        "\n## Lifecycle practices\n\n| Phase | Practice | Controls |\n|---|---|---|"
    );
    for p in catalog.practice_views(graph) {
        let _ = writeln!(
            out,
            "| {} | {} (`{}`) | {} |",
            p.phase_number,
            p.title,
            p.practice_id,
            p.controls.join(", ")
        );
    }
    for layer in &catalog.layers {
        let _ = writeln!(
            out,
            "\n<a id=\"{}\"></a>\n## {}\n\n{}",
            layer.id, layer.title, layer.description
        );
        for c in views.iter().filter(|c| c.layer == layer.id) {
            let _ = writeln!(out, "\n### {} — {}\n", c.control_id, c.title);
            let profiles = if c.profiles.is_empty() {
                "none".to_owned()
            } else {
                c.profiles.join(", ")
            };
            let _ = writeln!(
                out,
                "*Severity:* {} · *Profiles:* {} · *Check:* `{}` · *Evidence:* {}\n",
                c.severity,
                profiles,
                c.check,
                c.evidence
                    .iter()
                    .map(|e| format!("`{e}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            let _ = writeln!(
                out,
                "{}\n\n**Why.** {}\n\n**Fix.** {}\n",
                c.description, c.rationale, c.remediation
            );
            let sources: Vec<String> = c.sources.iter().map(ToString::to_string).collect();
            let _ = writeln!(out, "- Sources: {}", sources.join("; "));
            let maps: Vec<String> = c
                .mappings
                .iter()
                .map(|m| format!("{} {}", m.framework_id, m.requirement_id))
                .collect();
            let _ = writeln!(out, "- Maps to: {}", maps.join("; "));
            if !c.params.is_empty() {
                let ps: Vec<String> = c
                    .params
                    .iter()
                    .map(|p| format!("`{}` (default `{}`)", p.name, p.default))
                    .collect();
                let _ = writeln!(out, "- Parameters: {}", ps.join("; "));
            }
        }
    }
    out
}

/// Renders `docs/frameworks.md`: per framework, how many requirements the catalog evidences.
pub fn render_frameworks(catalog: &Catalog, graph: &CatalogGraph) -> String {
    let mut out = String::new();
    header(&mut out, "Framework coverage", catalog);
    let _ = writeln!(out, "A requirement is covered when at least one control maps to it (FedRAMP baselines through the 800-53 controls they select). Coverage says what hullcheck can evidence, not that a requirement is met.\n");
    let _ = writeln!(
        out,
        "| Framework | Requirements | Covered | Coverage |\n|---|---:|---:|---:|"
    );
    for (fw, cov) in catalog.frameworks.iter().zip(graph.coverage(catalog)) {
        let _ = writeln!(
            out,
            "| {} (`{}`) | {} | {} | {:.1}% |",
            fw.title,
            fw.id,
            cov.requirements,
            cov.covered,
            cov.ratio * 100.0
        );
    }
    for fw in catalog.framework_views(graph) {
        let covered: Vec<_> = fw
            .requirements
            .iter()
            .filter(|r| !r.controls.is_empty())
            .collect();
        let _ = writeln!(
            out,
            "\n## {} (`{}`)\n\n{} of {} requirements covered.\n",
            fw.title,
            fw.framework_id,
            covered.len(),
            fw.requirement_count
        );
        let _ = writeln!(out, "| Requirement | Title | Controls |\n|---|---|---|");
        for r in covered {
            let _ = writeln!(
                out,
                "| {} | {} | {} |",
                r.requirement_id,
                r.title,
                r.controls.join(", ")
            );
        }
    }
    accounting(&mut out, catalog);
    out
}

/// How every requirement of the accounted frameworks is addressed, and the STIG rules whose
/// 800-53 controls disagree with the catalog's mappings.
fn accounting(out: &mut String, catalog: &Catalog) {
    use super::model::Coverage;
    if catalog.accounting.is_empty() {
        return;
    }
    let _ = writeln!(out, "\n## Requirement accounting\n\nFor these frameworks every requirement has one status: `automated` (controls evidence it), `partial` (controls evidence part of it; the note says which), `attestation` (it needs a signed statement or evidence hullcheck does not read), `not_applicable` (with the reason) or `organisational` (policy or process).\n");
    let _ = writeln!(out, "The files are `controls/accounting/<framework>.yaml`; the FedRAMP baselines take the statuses of the 800-53 requirements they select. The loader refuses a requirement without a status, one with two, and any disagreement with the mappings: a requirement is `automated` or `partial` exactly when a control maps to it. Reports carry the counts (`frameworks[].accounting`), the text, Markdown and HTML formats show what is left to collect, and `hullcheck catalog frameworks` lists each requirement's status and note.\n");
    let _ = writeln!(out, "The DISA Kubernetes STIG V2R6 (`disa-k8s-stig-v2r6`) has its 92 rules by V-ID, with the rule, STIG, SRG and CCI identifiers and the 800-53 controls DISA derives from the CCIs. Controls map to the rules they check; `--format ckl` (STIG Viewer 2, XML) and `--format cklb` (STIG Viewer 3, CKLB 1.0 JSON) write a checklist with one rule per STIG rule: `Open` when a mapped control failed (the findings as finding details), `NotAFinding` when every mapped control passed and the rule is `automated`, `Not_Applicable` when it does not apply, and otherwise `Not_Reviewed` with the accounting note as the comment.\n");
    let _ = writeln!(out, "| Framework | automated | partial | attestation | not_applicable | organisational |\n|---|---:|---:|---:|---:|---:|");
    for a in &catalog.accounting {
        let n = |c: Coverage| a.requirements.iter().filter(|e| e.status == c).count();
        let _ = writeln!(
            out,
            "| `{}` | {} | {} | {} | {} | {} |",
            a.framework,
            n(Coverage::Automated),
            n(Coverage::Partial),
            n(Coverage::Attestation),
            n(Coverage::NotApplicable),
            n(Coverage::Organisational)
        );
    }
    for a in &catalog.accounting {
        let _ = writeln!(
            out,
            "\n### `{}`\n\n| Requirement | Status | Note |\n|---|---|---|",
            a.framework
        );
        for e in &a.requirements {
            let _ = writeln!(
                out,
                "| {} | {} | {} |",
                e.id,
                e.status.as_str(),
                e.note.as_deref().unwrap_or("").replace('|', "\\|")
            );
        }
        let mismatches = catalog.stig_mismatches(&a.framework);
        if !mismatches.is_empty() {
            let _ = writeln!(out, "\n#### 800-53 consistency\n\nThese rules' 800-53 controls, as DISA derives them from the rules' CCIs, share no control (or base control) with the 800-53 mappings of the hullcheck controls that evidence them. The difference is in the mappings, not in what is checked; it is listed so an assessor can reconcile the two.\n\n| Rule | DISA 800-53 | Controls and their 800-53 mappings |\n|---|---|---|");
            for m in mismatches {
                let controls: Vec<String> = m
                    .controls
                    .iter()
                    .map(|(c, n)| format!("{c}: {}", n.join(", ")))
                    .collect();
                let _ = writeln!(
                    out,
                    "| {} | {} | {} |",
                    m.rule,
                    m.stig.join(", "),
                    controls.join("; ")
                );
            }
        }
    }
}
