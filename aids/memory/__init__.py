"""The translation memory: approved pairs, found again exactly or fuzzily.

A package because each part stands alone: ``segmentation`` (sentences),
``fingerprint`` (hashes and MinHash bands), ``index`` (filling it from live
versions), ``lookup`` (suggestions), ``tmx`` (export). The public names are
re-exported here.
"""

from .index import segment_pairs, tm_index_version, tm_rebuild
from .lookup import tm_suggestions
from .segmentation import sentence_split
from .tmx import tmx_export

__all__ = [
    "segment_pairs",
    "sentence_split",
    "tm_index_version",
    "tm_rebuild",
    "tm_suggestions",
    "tmx_export",
]
