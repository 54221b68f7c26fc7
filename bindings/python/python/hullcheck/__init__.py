"""hullcheck: container-security compliance engine.

Evaluate evidence (Kubernetes manifests, Dockerfiles, control-plane configs, SBOMs, scan reports,
signatures, provenance, attestations) against the hullcheck catalog and map every finding onto
NIST SP 800-53 Rev 5, the FedRAMP baselines, NIST CSF 2.0, PCI DSS 4.0.1, HIPAA and EO 14028.

    import hullcheck
    engine = hullcheck.Engine()
    report = engine.evaluate_paths(["cluster/"], now="2026-06-01T00:00:00Z")
    for fw in report.frameworks:
        print(fw["framework_id"], fw["status"])

Results are typed (`hullcheck.types`: TypedDicts generated from the report schema), so a
type checker catches `finding["contorl_id"]`. Reports pickle; `Report.merge` makes a fleet
report of named clusters; `hullcheck.diff` compares two reports.
"""

from ._hullcheck import (
    Catalog,
    CatalogError,
    Engine,
    EvidenceError,
    FleetReport,
    HullcheckError,
    OptionsError,
    Report,
    __version__,
    diff,
)
from .types import (
    Cell,
    Cluster,
    ControlResult,
    ControlRow,
    Counts,
    Deviation,
    Divergence,
    DocumentReport,
    FleetReportData,
    FleetSummary,
    Finding,
    FrameworkCell,
    FrameworkResult,
    FrameworkRow,
    Location,
    ReportData,
    RequirementControl,
    RequirementResult,
    Status,
    Subject,
    Summary,
)

__all__ = [
    "Catalog",
    "CatalogError",
    "Engine",
    "EvidenceError",
    "FleetReport",
    "HullcheckError",
    "OptionsError",
    "Report",
    "__version__",
    "diff",
    # The report's and the fleet report's shapes (every one is in `hullcheck.types`).
    "Cell",
    "Cluster",
    "ControlResult",
    "ControlRow",
    "Counts",
    "Deviation",
    "Divergence",
    "DocumentReport",
    "FleetReportData",
    "FleetSummary",
    "Finding",
    "FrameworkCell",
    "FrameworkResult",
    "FrameworkRow",
    "Location",
    "ReportData",
    "RequirementControl",
    "RequirementResult",
    "Status",
    "Subject",
    "Summary",
]
