//! The generated control reference (`docs/controls.md`), rendered from the catalog.

use std::fmt::Write as _;

use super::Catalog;
use crate::graph::CatalogGraph;

/// Renders the Markdown reference of every layer, practice and control.
pub fn render(catalog: &Catalog, graph: &CatalogGraph) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# Control reference\n");
    let _ = writeln!(
        out,
        "Generated from `controls/` (catalog {}); do not edit by hand. Regenerate with \
         `HULLCHECK_BLESS=1 cargo test -p hullcheck --test catalog`.\n",
        catalog.meta.version
    );
    let _ = writeln!(
        out,
        "## Layers\n\n| Layer | Primary standards | Controls |\n|---|---|---|"
    );
    for l in catalog.layer_views(graph) {
        let _ = writeln!(
            out,
            "| {} | {} | {} |",
            l.title,
            l.primary_standards.join(", "),
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
    let _ = writeln!(out, "\n## Controls");
    for c in catalog.control_views(graph) {
        let _ = writeln!(out, "\n### {} — {}\n", c.control_id, c.title);
        let _ = writeln!(
            out,
            "*Layer:* {} · *Severity:* {} · *Profiles:* {} · *Check:* `{}`\n",
            c.layer,
            c.severity,
            c.profiles.join(", "),
            c.check
        );
        let _ = writeln!(
            out,
            "{}\n\n**Why.** {}\n\n**Fix.** {}\n",
            c.description, c.rationale, c.remediation
        );
        let sources: Vec<String> = c
            .sources
            .iter()
            .map(|s| match &s.version {
                Some(v) => format!("{} {} ({v})", s.standard, s.id),
                None => format!("{} {}", s.standard, s.id),
            })
            .collect();
        let _ = writeln!(out, "*Sources:* {}  ", sources.join("; "));
        let maps: Vec<String> = c
            .mappings
            .iter()
            .map(|m| format!("{} {}", m.framework_id, m.requirement_id))
            .collect();
        let _ = writeln!(out, "*Maps to:* {}", maps.join("; "));
    }
    out
}
