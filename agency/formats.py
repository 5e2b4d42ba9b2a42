"""Reading agency formats into :class:`AgencyItem`: RSS/Atom, IPTC ninjs, NewsML-G2.

Each reader takes the bytes of one document and returns its items, or a
:class:`ItemProblem` in place of an item it could not read, so that one broken
item never stops the rest; :class:`FormatError` refuses a whole document.
An item becomes the importer's plain-text format (:meth:`AgencyItem.as_text`),
so every rule of the importer (limits, characters, re-imports) applies.
"""

import calendar
import datetime
import json
import re
from dataclasses import dataclass, field

import feedparser
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from lxml import etree
from lxml import html as lxml_html

from translations.credits import parse_credit_line
from translations.importing import ALMATY

NAR = "{http://iptc.org/std/nar/2006-10-01/}"
XHTML = "{http://www.w3.org/1999/xhtml}"
BLOCKS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "div"}
WHITESPACE = re.compile(r"[ \t\r\f\v\u00a0]+")
# A document holding more items than this is read up to here.
MAX_ITEMS = 500


class FormatError(Exception):
    """A document that cannot be read at all (the message says why)."""


@dataclass
class ItemProblem:
    guid: str
    problem: str


@dataclass
class AgencyItem:
    guid: str
    title: str
    paragraphs: list[str]
    dateline: datetime.datetime | None = None
    updated: datetime.datetime | None = None
    version: str = ""
    byline: str = ""
    credits: list[str] = field(default_factory=list)

    def version_key(self):
        """What tells versions apart: the version number, else the updated time."""
        if self.version:
            return self.version
        return self.updated.isoformat() if self.updated else ""

    def as_text(self, language):
        """The importer's plain-text format of this item, as UTF-8 bytes."""
        when = (self.dateline or self.updated or datetime.datetime.now(datetime.UTC)).astimezone(
            ALMATY
        )
        blocks = [" ".join(self.title.split()), when.strftime("%d.%m.%Y, %H:%M")]
        blocks += self.paragraphs
        byline = self.byline.strip()
        if byline:
            line = byline if byline.lower().startswith("by ") else f"By {byline}"
            if parse_credit_line(line, language):
                blocks.append(line)
        return "\n\n".join(blocks).encode("utf-8")


def items_read(data, fmt):
    """The items of one document in format ``fmt`` (a :class:`~agency.models.FeedFormat`)."""
    reader = {"rss": _rss, "ninjs": _ninjs, "newsml": _newsml}[fmt]
    return reader(bytes(data))[:MAX_ITEMS]


def _each(read, items):
    """``read`` applied to each item; one whose shape ``read`` did not expect (a
    list where a text belongs, say) becomes an :class:`ItemProblem`, not a crash."""
    results = []
    for item in list(items)[:MAX_ITEMS]:
        try:
            results.append(read(item))
        except (AttributeError, TypeError, ValueError, KeyError, IndexError) as error:
            results.append(
                ItemProblem("", _("An item could not be read (%(error)s).") % {"error": error})
            )
    return results


# --- Paragraphs from text and HTML -------------------------------------------------------


def paragraphs_from_text(text):
    blocks = re.split(r"\n[ \t]*\n", (text or "").replace("\r\n", "\n"))
    return [clean for block in blocks if (clean := _clean(block))]


def paragraphs_from_html(markup):
    if not markup or not markup.strip():
        return []
    try:
        root = lxml_html.fragment_fromstring(markup, create_parent="div")
    except (etree.ParserError, ValueError):
        return paragraphs_from_text(markup)
    return _blocks_of(root) or paragraphs_from_text(root.text_content())


def _blocks_of(root):
    for dropped in root.xpath("//script|//style"):
        dropped.drop_tree()
    return _leaf_blocks(root, lambda element: element.text_content())


def _leaf_blocks(root, text_of):
    """The text of each block element holding no other block, in document order."""
    paragraphs = []
    for element in root.iter():
        if element is root or _local(element.tag) not in BLOCKS:
            continue
        if any(_local(child.tag) in BLOCKS for child in element.iterdescendants()):
            continue
        text = _clean(text_of(element))
        if text:
            paragraphs.append(text)
    return paragraphs


def _xml_text(element):
    return "".join(element.itertext())


def _local(tag):
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


def _clean(text):
    lines = [WHITESPACE.sub(" ", line).strip() for line in (text or "").split("\n")]
    return " ".join(line for line in lines if line)


def _when(value):
    if not value:
        return None
    when = parse_datetime(value.strip()) if isinstance(value, str) else None
    if when is None:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=datetime.UTC)
    return when


def _item(guid, title, paragraphs, **fields):
    guid = (guid or "").strip()
    if not guid:
        return ItemProblem("", _("An item without a GUID was skipped."))
    if len(guid) > 500:
        return ItemProblem(guid[:60] + "…", _("The item's GUID is longer than 500 characters."))
    if not (title or "").strip():
        return ItemProblem(guid, _("The item has no headline."))
    if not paragraphs:
        return ItemProblem(guid, _("The item has no body text."))
    return AgencyItem(guid=guid, title=title, paragraphs=paragraphs, **fields)


# --- RSS and Atom (feedparser) -------------------------------------------------------------


def _rss(data):
    feed = feedparser.parse(data, resolve_relative_uris=False)
    if feed.bozo and not feed.entries:
        raise FormatError(
            _("This is not a readable RSS or Atom feed: %(error)s")
            % {"error": str(feed.get("bozo_exception", ""))[:200]}
        )
    return _each(_rss_entry, feed.entries)


def _rss_entry(entry):
    content = entry.get("content") or []
    body = content[0].get("value", "") if content else entry.get("summary", "")
    # dict.get: feedparser's own get() maps a missing "updated" to "published", with a warning.
    published = _struct_time(dict.get(entry, "published_parsed"))
    updated = _struct_time(dict.get(entry, "updated_parsed")) or published
    return _item(
        entry.get("id") or entry.get("link"),
        entry.get("title", ""),
        paragraphs_from_html(body),
        dateline=published or updated,
        updated=updated,
        byline=entry.get("author", ""),
    )


def _struct_time(value):
    if not value:
        return None
    return datetime.datetime.fromtimestamp(calendar.timegm(value), datetime.UTC)


# --- IPTC ninjs (1.x and 2.x) ----------------------------------------------------------------


def _ninjs(data):
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as error:
        raise FormatError(
            _("This is not readable ninjs JSON: %(error)s") % {"error": str(error)[:200]}
        ) from None
    if isinstance(document, dict):
        listed = document.get("items", document.get("data"))
        document = listed if isinstance(listed, list) else [document]
    if not isinstance(document, list):
        raise FormatError(_("A ninjs document is an item, or a list of items."))
    return _each(_ninjs_item, document)


def _ninjs_item(item):
    if not isinstance(item, dict):
        return ItemProblem("", _("A ninjs item must be a JSON object."))
    headline = item.get("headline")
    if not headline and isinstance(item.get("headlines"), list) and item["headlines"]:
        headline = (item["headlines"][0] or {}).get("value")
    paragraphs = []
    if item.get("body_html"):
        paragraphs = paragraphs_from_html(str(item["body_html"]))
    elif item.get("body_text"):
        paragraphs = paragraphs_from_text(str(item["body_text"]))
    elif isinstance(item.get("bodies"), list):
        for body in item["bodies"]:
            if not isinstance(body, dict) or not body.get("value"):
                continue
            value = str(body["value"])
            html = "html" in str(body.get("contenttype", ""))
            paragraphs = paragraphs_from_html(value) if html else paragraphs_from_text(value)
            break
    byline = item.get("byline") or ""
    if not byline and isinstance(item.get("by"), str):
        byline = item["by"]
    return _item(
        str(item.get("uri") or ""),
        str(headline or ""),
        paragraphs,
        dateline=_when(item.get("firstcreated")) or _when(item.get("versioncreated")),
        updated=_when(item.get("versioncreated")),
        version=str(item.get("version") or "")[:100],
        byline=str(byline),
    )


# --- IPTC NewsML-G2 ----------------------------------------------------------------------------


def xml_root(data):
    """The root element of ``data``, read without DTDs, entities or network."""
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        raise FormatError(
            _("This is not well-formed XML: %(error)s") % {"error": str(error)[:200]}
        ) from None
    if root.getroottree().docinfo.doctype:
        raise FormatError(_("The document declares a DOCTYPE, which NewsML-G2 needs not: refused."))
    return root


def _newsml(data):
    if b"<!DOCTYPE" in data[:4096]:
        raise FormatError(_("The document declares a DOCTYPE, which NewsML-G2 needs not: refused."))
    root = xml_root(data)
    if root.tag == f"{NAR}newsItem":
        return _each(_newsml_item, [root])
    if root.tag == f"{NAR}newsMessage":
        return _each(_newsml_item, root.iter(f"{NAR}newsItem"))
    raise FormatError(_("This is XML, but not a NewsML-G2 newsItem or newsMessage."))


def _newsml_item(item):
    meta = item.find(f"{NAR}contentMeta")
    headline = meta.findtext(f"{NAR}headline") if meta is not None else ""
    byline = meta.findtext(f"{NAR}by") if meta is not None else ""
    created = meta.findtext(f"{NAR}contentCreated") if meta is not None else None
    version_created = item.findtext(f"{NAR}itemMeta/{NAR}versionCreated")
    paragraphs = []
    for inline in item.iter(f"{NAR}inlineXML"):
        paragraphs = _leaf_blocks(inline, _xml_text) or paragraphs_from_text(_xml_text(inline))
        break
    if not paragraphs:
        for inline in item.iter(f"{NAR}inlineData"):
            paragraphs = paragraphs_from_text(inline.text or "")
            break
    return _item(
        item.get("guid", ""),
        _clean(headline or ""),
        paragraphs,
        dateline=_when(created) or _when(version_created),
        updated=_when(version_created),
        version=(item.get("version") or "")[:100],
        byline=_clean(byline or ""),
    )
