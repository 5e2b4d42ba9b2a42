"""Shared by the XLIFF tests (holds no tests itself): schemas, the seed, editing targets."""

import functools

from lxml import etree

from reviews.models import UnitEdit
from reviews.xliff import formats as f
from tests import factories
from translations import services as content
from translations.languages import language_codes, localized_field
from translations.models import Article, AuditEntry, Edition, Paragraph, Version

XML_XSD = "http://www.w3.org/2001/xml.xsd"
# Characters a translation may hold that XML must escape or keep exactly:
# leading and trailing spaces, a line break and a tab inside the paragraph,
# curly quotes, &, <, >, "]]>", no-break and zero-width spaces, a combining
# accent, a character outside the BMP, NEL and LINE SEPARATOR (which XML 1.0
# does not normalise), and right-to-left text.
TRICKY = (
    "  «{key}» “quoted” ‘single’ & <b>not a tag</b> > 5 ]]> \"straight\" 'apostrophe'\n"
    "second line\tafter a tab\u00a0nbsp\u200bzwsp e\u0301 𝄞 \u0085 \u2028 עברית  "
)


class _LocalXmlXsd(etree.Resolver):
    def __init__(self, schemas_path):
        super().__init__()
        self.local = schemas_path / "informativeCopiesOf3rdPartySchemas" / "w3c" / "xml.xsd"

    def resolve(self, url, pubid, context):
        if url == XML_XSD:
            return self.resolve_filename(str(self.local), context)
        return None


@functools.cache
def _schema(schemas_path, version):
    parser = etree.XMLParser(no_network=True, load_dtd=False, resolve_entities=False)
    parser.resolvers.add(_LocalXmlXsd(schemas_path))
    name = "xliff_core_2.0.xsd" if version == "2.0" else "xliff-core-1.2-strict.xsd"
    return etree.XMLSchema(etree.parse(str(schemas_path / name), parser))


def assert_valid(content, schemas_path, version):
    """``content`` validates against the official OASIS schema of ``version``."""
    schema = _schema(schemas_path, version)
    document = etree.fromstring(content)
    assert schema.validate(document), str(schema.error_log)


def seed_article(seed_path):
    from translations.importing import article_import

    report = article_import(data=seed_path.read_bytes(), language="en")
    return Article.objects.get(slug=report.slug)


def desk(article, language, *, username=None):
    """The ``language`` edition of ``article`` and a translator assigned to it."""
    source = article.source_language
    edition = content.edition_get_or_create(article=article, language=language)
    user = factories.translator(
        username or f"translator-{language}-{article.pk}",
        pairs=((source, language),),
        is_staff=True,
    )
    factories.assign(edition, user)
    return Edition.objects.get(pk=edition.pk), user


def unit_keys(article):
    return [Version.TITLE_KEY] + list(
        article.paragraphs.order_by("position").values_list("key", flat=True)
    )


def working_copy(article, language):
    """``{key: text}`` of ``language``'s working copy: what the editor shows."""
    article = Article.objects.get(pk=article.pk)
    texts = {Version.TITLE_KEY: article.text_in(language)}
    for paragraph in Paragraph.objects.filter(article=article).order_by("position"):
        texts[paragraph.key] = paragraph.text_in(language)
    return texts


def targets_set(content, texts):
    """The exported file with the targets of ``texts`` (``{key: text}``) replaced,
    as a translator's CAT tool would write them."""
    root = etree.fromstring(content)
    if root.tag == f.q(f.XLIFF_20, "xliff"):
        for key, text in texts.items():
            (unit,) = root.iterfind(f".//{{{f.XLIFF_20}}}unit[@id='{key}']")
            segment = unit.find(f.q(f.XLIFF_20, "segment"))
            target = segment.find(f.q(f.XLIFF_20, "target"))
            if target is None:
                target = etree.SubElement(segment, f.q(f.XLIFF_20, "target"))
            _replace(target, text)
            segment.set("state", "translated")
    else:
        for key, text in texts.items():
            (unit,) = root.iterfind(f".//{{{f.XLIFF_12}}}trans-unit[@id='{key}']")
            target = unit.find(f.q(f.XLIFF_12, "target"))
            _replace(target, text)
            target.set("state", "translated")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def _replace(target, text):
    for child in list(target):
        target.remove(child)
    target.set(f.q(f.XML, "space"), "preserve")
    target.text = text


def db_state():
    """Row counts and every working-copy column: equal before and after a refusal."""
    columns = ["key"]
    for code in language_codes():
        columns += [localized_field(name, code) for name in ("text", "revision", "source_revision")]
    title_columns = []
    for code in language_codes():
        title_columns += [
            localized_field(n, code) for n in ("title", "revision", "source_revision")
        ]
    return {
        "counts": [
            model.objects.count()
            for model in (Article, Paragraph, Edition, Version, AuditEntry, UnitEdit)
        ],
        "paragraphs": list(Paragraph.objects.order_by("pk").values_list(*columns)),
        "titles": list(Article.objects.order_by("pk").values_list(*title_columns)),
        "states": list(Edition.objects.order_by("pk").values_list("state", flat=True)),
    }
