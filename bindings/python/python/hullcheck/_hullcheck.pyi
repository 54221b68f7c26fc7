from os import PathLike
from typing import Any, Iterable, Mapping, Optional, Sequence, Tuple, Union, final

__all__ = [
    "Catalog",
    "CatalogError",
    "Engine",
    "EvidenceError",
    "HullcheckError",
    "OptionsError",
    "Report",
    "__version__",
    "_boundary_check",
    "run_cli",
]

__version__: str

_Path = Union[str, "PathLike[str]"]
_Json = Any

class HullcheckError(Exception):
    code: str

class CatalogError(HullcheckError): ...
class EvidenceError(HullcheckError): ...
class OptionsError(HullcheckError): ...

@final
class Report:
    def to_dict(self) -> dict[str, _Json]: ...
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
    def findings(self) -> list[dict[str, _Json]]: ...
    @property
    def frameworks(self) -> list[dict[str, _Json]]: ...
    @property
    def controls(self) -> list[dict[str, _Json]]: ...
    @property
    def documents(self) -> list[dict[str, _Json]]: ...
    @property
    def summary(self) -> dict[str, _Json]: ...
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
    def framework(self, framework_id: str) -> Optional[dict[str, _Json]]: ...

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
        cls, catalog: Optional[_Path] = None, controls: Optional[Sequence[_Path]] = None
    ) -> Engine:
        """The built-in catalog (or `catalog`, a directory laid out like `controls/`), with
        the user controls and frameworks of each directory in `controls` added."""
        ...
    @property
    def catalog(self) -> Catalog: ...
    def evaluate_paths(
        self,
        paths: Sequence[_Path],
        *,
        profiles: Optional[Sequence[str]] = None,
        controls: Optional[Sequence[str]] = None,
        skip_controls: Optional[Sequence[str]] = None,
        params: Optional[Mapping[str, _Json]] = None,
        now: Optional[str] = None,
        kind: Optional[str] = None,
        waivers: Optional[Sequence[Mapping[str, _Json]]] = None,
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
        waivers: Optional[Sequence[Mapping[str, _Json]]] = None,
        no_annotation_waivers: bool = False,
    ) -> Report: ...

def _boundary_check() -> None: ...

def run_cli(argv: Sequence[str]) -> int:
    """Runs the hullcheck command line on `argv` (program name first); returns the exit code."""
    ...
