from ._hullcheck import Catalog as Catalog
from ._hullcheck import CatalogError as CatalogError
from ._hullcheck import Engine as Engine
from ._hullcheck import EvidenceError as EvidenceError
from ._hullcheck import HullcheckError as HullcheckError
from ._hullcheck import OptionsError as OptionsError
from ._hullcheck import Report as Report
from ._hullcheck import __version__ as __version__

__all__ = [
    "Catalog",
    "CatalogError",
    "Engine",
    "EvidenceError",
    "HullcheckError",
    "OptionsError",
    "Report",
    "__version__",
]
