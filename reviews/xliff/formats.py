"""What the two XLIFF versions call things, and where Tilmash keeps its own data.

XLIFF 2.0 core lets attributes from other namespaces sit on ``<xliff>``,
``<file>`` and ``<unit>`` (processed laxly), so the export writes its
bookkeeping there, in :data:`TILMASH`. XLIFF 1.2 *strict* also has extension
points, but processes them strictly: a foreign attribute without a schema of
its own fails validation. So the 1.2 export keeps to attributes 1.2 defines:
the slug in ``file/@original``, the export id as the ``job-id`` of an export
``<phase>``, and each unit's revisions in ``trans-unit/@extradata`` (which 1.2
reserves for "data used by the tool that handles the document").
"""

from enum import StrEnum

XLIFF_20 = "urn:oasis:names:tc:xliff:document:2.0"
XLIFF_12 = "urn:oasis:names:tc:xliff:document:1.2"
TILMASH = "urn:tilmash:xliff:1"
XML = "http://www.w3.org/XML/1998/namespace"

VERSIONS = ("2.0", "1.2")
DEFAULT_VERSION = "2.0"
TOOL_ID = "tilmash"
CONTENT_TYPE = "application/xliff+xml; charset=utf-8"


class UnitState(StrEnum):
    UNTRANSLATED = "untranslated"
    TRANSLATED = "translated"
    IN_REVIEW = "in_review"  # the text of the version waiting for review
    LIVE = "live"  # the text of the live, approved version


STATE_20 = {
    UnitState.UNTRANSLATED: "initial",
    UnitState.TRANSLATED: "translated",
    UnitState.IN_REVIEW: "reviewed",
    UnitState.LIVE: "final",
}
STATE_12 = {
    UnitState.UNTRANSLATED: "new",
    UnitState.TRANSLATED: "translated",
    UnitState.IN_REVIEW: "signed-off",
    UnitState.LIVE: "final",
}
# Outdated units stay "translated" in the state (a CAT tool may lock final
# segments, and these need work) and say so here and in a note.
OUTDATED_SUBSTATE_20 = "tilmash:outdated"
OUTDATED_QUALIFIER_12 = "x-outdated"


def q(namespace, name):
    """``{namespace}name``: the Clark notation lxml and ElementTree use."""
    return f"{{{namespace}}}{name}"


# Characters our texts may hold that XML 1.0 cannot carry at all (text_validate
# already refuses the C0 controls and lone surrogates). XLIFF 2.0 writes them
# as <cp hex="…"/>; 1.2 has no way to.
def xml_unsafe(char):
    return char in "\ufffe\uffff"


def extradata_format(*, revision, source_revision, target_hash):
    return f"revision={revision} source-revision={source_revision} target={target_hash}"


def extradata_parse(value):
    fields = {}
    for item in (value or "").split():
        name, _sep, content = item.partition("=")
        fields[name] = content
    return {
        "revision": fields.get("revision"),
        "source-revision": fields.get("source-revision"),
        "target": fields.get("target"),
    }
