"""XLIFF 2.0 and 1.2 for CAT tools (Trados, memoQ, OmegaT, Okapi).

- ``export``: an edition's working copy as an XLIFF file, or several as a zip.
- ``writing``: the XML of an export, 2.0 or 1.2.
- ``parsing``: limits and the hardened XML parser for files from outside.
- ``reading``: the units of a parsed XLIFF 2.0 or 1.2 file.
- ``importing``: applying a translated file through the editor's save rules.
- ``views`` / ``urls``: download and upload pages under /admin/xliff/;
  ``actions``: the same download as a changelist action.

The public names are re-exported here so callers need not know the split.
"""

from .export import XliffExport, xliff_export, xliff_export_batch
from .formats import DEFAULT_VERSION, VERSIONS
from .importing import ImportReport, xliff_import
from .parsing import XliffError

__all__ = [
    "DEFAULT_VERSION",
    "VERSIONS",
    "ImportReport",
    "XliffError",
    "XliffExport",
    "xliff_export",
    "xliff_export_batch",
    "xliff_import",
]
