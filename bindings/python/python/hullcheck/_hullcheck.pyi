from os import PathLike
from typing import Any, Iterable, Literal, Mapping, Optional, Sequence, Tuple, Union, final, overload

from .types import (
    Cluster,
    ControlResult,
    ControlRow,
    Divergence,
    DocumentReport,
    FleetReportData,
    FleetSummary,
    Finding,
    FrameworkResult,
    FrameworkRow,
    ReportData,
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
    "_boundary_check",
    "_report_from_pickle",
    "diff",
    "run_cli",
]

__version__: str

_Path = Union[str, "PathLike[str]"]
_Paths = Union[_Path, Sequence[_Path]]
_Json = Any

class HullcheckError(Exception):
    code: str

class CatalogError(HullcheckError): ...
class EvidenceError(HullcheckError): ...
class OptionsError(HullcheckError): ...

@final
class Report:
    """An evaluation report: the CLI's JSON report with typed, cached read access."""

    @staticmethod
    def from_json(text: str, engine: Optional[Engine] = None) -> Report: ...
    @staticmethod
    def merge(
        reports: Union[Mapping[str, Report], Iterable[Tuple[str, Report]]],
        *,
        reference: Optional[str] = None,
    ) -> FleetReport: ...
    def to_dict(self) -> ReportData: ...
    def to_json(self) -> str: ...
    def render(
        self,
        format: str,
        *,
        target_host: Optional[str] = None,
        target_ip: Optional[str] = None,
        target_fqdn: Optional[str] = None,
        target_role: Optional[str] = None,
        assessor: Optional[str] = None,
        oscal_framework: Optional[str] = None,
        link_base: Optional[str] = None,
        source_root: Optional[_Path] = None,
        help_base: Optional[str] = None,
    ) -> str: ...
    @property
    def findings(self) -> list[Finding]: ...
    @property
    def frameworks(self) -> list[FrameworkResult]: ...
    @property
    def controls(self) -> list[ControlResult]: ...
    @property
    def documents(self) -> list[DocumentReport]: ...
    @property
    def summary(self) -> Summary: ...
    @property
    def evaluated_at(self) -> str: ...
    @property
    def has_failures(self) -> bool: ...
    def gate(
        self,
        *,
        fail_on: str = "low",
        frameworks: Optional[Sequence[str]] = None,
        accept_unreadable: bool = False,
        accept_empty: bool = False,
    ) -> dict[str, _Json]: ...
    def framework(self, framework_id: str) -> Optional[FrameworkResult]: ...
    def __reduce__(self) -> tuple[Any, ...]: ...
    def __eq__(self, other: object, /) -> bool: ...

@final
class FleetReport:
    """The reports of named clusters merged: the control x cluster matrix and the divergence."""

    @staticmethod
    def merge(fleets: Sequence[FleetReport], *, reference: Optional[str] = None) -> FleetReport: ...
    @staticmethod
    def from_json(text: str) -> FleetReport: ...
    def to_json(self) -> str: ...
    def to_dict(self) -> FleetReportData: ...
    def render(self, format: str) -> str: ...
    @property
    def reference(self) -> Optional[str]: ...
    @property
    def clusters(self) -> list[Cluster]: ...
    @property
    def controls(self) -> list[ControlRow]: ...
    @property
    def frameworks(self) -> list[FrameworkRow]: ...
    @property
    def divergence(self) -> list[Divergence]: ...
    @property
    def summary(self) -> FleetSummary: ...
    @property
    def has_failures(self) -> bool: ...
    def __reduce__(self) -> tuple[Any, ...]: ...
    def __eq__(self, other: object, /) -> bool: ...

@final
class Catalog:
    @property
    def version(self) -> str: ...
    @property
    def digest(self) -> str: ...
    def controls(self) -> list[dict[str, _Json]]: ...
    def frameworks(self) -> list[dict[str, _Json]]: ...
    def practices(self) -> list[dict[str, _Json]]: ...
    def layers(self) -> list[dict[str, _Json]]: ...
    def requirements_for_control(self, control_id: str) -> list[dict[str, str]]: ...
    def controls_for_requirement(self, framework_id: str, requirement_id: str) -> list[str]: ...
    def coverage(self) -> list[dict[str, _Json]]: ...
    def graph(self) -> dict[str, _Json]: ...
    def graph_dot(self) -> str: ...

@final
class Engine:
    def __new__(
        cls, catalog: Optional[_Path] = None, controls: Optional[_Paths] = None
    ) -> Engine:
        """The built-in catalog (or `catalog`, a directory laid out like `controls/`), with
        the user controls and frameworks of each directory in `controls` added."""
        ...
    @property
    def catalog(self) -> Catalog: ...
    def report_from_json(self, text: str) -> Report: ...
    def evaluate_paths(
        self,
        paths: _Paths,
        *,
        profiles: Optional[Sequence[str]] = None,
        controls: Optional[Sequence[str]] = None,
        skip_controls: Optional[Sequence[str]] = None,
        params: Optional[Mapping[str, _Json]] = None,
        now: Optional[str] = None,
        kind: Optional[str] = None,
        policy: Optional[Union[_Path, Mapping[str, _Json]]] = None,
        waivers: Optional[Union[_Path, Mapping[str, _Json], Sequence[Mapping[str, _Json]]]] = None,
        exclude: Optional[Sequence[str]] = None,
        no_ignore: bool = False,
        no_annotation_waivers: bool = False,
    ) -> Report: ...
    def evaluate(
        self,
        documents: Iterable[Tuple[str, Union[bytes, str]]],
        *,
        profiles: Optional[Sequence[str]] = None,
        controls: Optional[Sequence[str]] = None,
        skip_controls: Optional[Sequence[str]] = None,
        params: Optional[Mapping[str, _Json]] = None,
        now: Optional[str] = None,
        kind: Optional[str] = None,
        policy: Optional[Union[_Path, Mapping[str, _Json]]] = None,
        waivers: Optional[Union[_Path, Mapping[str, _Json], Sequence[Mapping[str, _Json]]]] = None,
        no_annotation_waivers: bool = False,
    ) -> Report: ...

def _boundary_check() -> None: ...
def _report_from_pickle(
    text: str, catalog: Optional[_Path] = None, controls: Optional[Sequence[_Path]] = None
) -> Report: ...
@overload
def diff(old: Report, new: Report, *, format: None = None) -> dict[str, _Json]: ...
@overload
def diff(old: Report, new: Report, *, format: Literal["text", "json", "markdown"]) -> str: ...

def run_cli(argv: Sequence[str]) -> int:
    """Runs the hullcheck command line on `argv` (program name first); returns the exit code."""
    ...
