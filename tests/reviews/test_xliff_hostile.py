"""Hostile or broken files: a clear message, and nothing changed."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError

from reviews.xliff import XliffError, xliff_export, xliff_import
from reviews.xliff import formats as f
from tests import factories
from tests.reviews.test_xliff_helpers import db_state, desk, targets_set, working_copy

pytestmark = pytest.mark.django_db

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE xliff [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="en" trgLang="kk">
<file id="f"><unit id="p1"><segment><source>a</source><target>&secret;</target></segment></unit>
</file></xliff>"""

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="en" trgLang="kk">
<file id="f"><unit id="p1"><segment><source>a</source><target>&lol9;</target></segment></unit>
</file></xliff>"""

EXTERNAL_DTD = b"""<?xml version="1.0"?>
<!DOCTYPE xliff SYSTEM "http://example.invalid/xliff.dtd">
<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0"/>"""


@pytest.fixture
def translated():
    """A kk edition with text, its translator, and a fresh 2.0 export of it."""
    article = factories.article_with_paragraphs(count=2)
    edition, user = desk(article, "kk")
    from tests.reviews.helpers import translate_as

    translate_as(user, edition, texts=["Бір.", "Екі."])
    export = xliff_export(edition=edition, user=user)
    return article, edition, user, export.content


def refused(data, user, match, **kwargs):
    """Import ``data``: it must be refused with ``match`` in the message, changing nothing."""
    before = db_state()
    with pytest.raises(ValidationError) as error:
        xliff_import(source=data, user=user, **kwargs)
    assert db_state() == before
    message = " ".join(error.value.messages)
    assert match in message, message
    return message


@pytest.mark.parametrize(
    ("data", "match"),
    [
        (XXE, "declares a DOCTYPE"),
        (BILLION_LAUGHS, "declares a DOCTYPE"),
        (EXTERNAL_DTD, "declares a DOCTYPE"),
    ],
    ids=["xxe", "billion-laughs", "external-dtd"],
)
def test_doctypes_are_refused_before_any_entity_is_read(translated, data, match):
    _article, _edition, user, _content = translated
    message = refused(data, user, match)
    assert "root:" not in message  # nothing of /etc/passwd


def test_truncated_xml_is_refused_with_its_position(translated):
    _article, _edition, user, content = translated
    refused(content[: len(content) // 2], user, "not well-formed XML (line")


def test_wrong_namespace_is_refused(translated):
    _article, _edition, user, content = translated
    wrong = content.replace(f.XLIFF_20.encode(), b"urn:oasis:names:tc:xliff:document:2.9")
    refused(wrong, user, "namespace “urn:oasis:names:tc:xliff:document:2.9”")


@pytest.mark.parametrize(
    ("data", "match"),
    [
        (b"<html><body>hello</body></html>", "root element is <html>"),
        (b"Just some text.", "not well-formed XML"),
        (b"%PDF-1.7\n\x00\x01\x02", "not well-formed XML"),
        (b"", "not well-formed XML"),
        (b'{"units": []}', "not well-formed XML"),
    ],
    ids=["html", "text", "pdf", "empty", "json"],
)
def test_not_xliff_is_refused(translated, data, match):
    _article, _edition, user, _content = translated
    refused(data, user, match)


def test_duplicate_unit_ids_are_refused(translated):
    _article, _edition, user, content = translated
    doubled = targets_set(content, {"p1": "Бірінші."}).replace(b'id="p2"', b'id="p1"')
    refused(doubled, user, "Unit ids appear more than once: p1")


def test_a_file_without_the_export_bookkeeping_is_refused(translated):
    _article, _edition, user, content = translated
    stripped = targets_set(content, {"p1": "Бірінші."}).replace(b"tilmash:revision=", b"revised=")
    refused(stripped, user, "has no valid revision from a Tilmash export")


def test_an_unknown_article_is_refused(translated):
    article, _edition, user, content = translated
    renamed = content.replace(article.slug.encode(), b"no-such-article")
    refused(renamed, user, "There is no article “no-such-article”")


def test_an_inline_code_in_a_target_is_refused(translated):
    _article, _edition, user, content = translated
    coded = content.replace(b"\xd0\x95\xd0\xba\xd1\x96.</target>", b'<ph id="1"/>.</target>')
    assert coded != content
    refused(coded, user, "inline code <ph>")


def test_a_control_character_by_cp_is_refused_like_in_the_editor(translated):
    article, _edition, user, content = translated
    bell = content.replace(b"\xd0\x95\xd0\xba\xd1\x96.</target>", b'<cp hex="0007"/>.</target>')
    assert bell != content
    refused(bell, user, "contains a character that cannot be stored (U+0007)")
    assert working_copy(article, "kk")["p2"] == "Екі."


@pytest.mark.parametrize("char", ["\x00", "\x07", "\x1b", "\r", "\x7f", "\ud800"])
def test_characters_xml_cannot_carry_cannot_be_in_our_texts(translated, char):
    from reviews.services import RowInput, units_save

    article, edition, user, _content = translated
    before = db_state()
    with pytest.raises(ValidationError, match="cannot be stored"):
        units_save(edition=edition, user=user, rows=[RowInput("p1", f"a{char}b", 1)])
    assert db_state() == before


def test_markup_a_cat_tool_wraps_text_in_is_dropped_and_its_text_kept(translated):
    article, _edition, user, content = translated
    marked = content.replace(
        b"\xd0\x95\xd0\xba\xd1\x96.</target>",
        b'<mrk id="m1" translate="yes">\xd0\x95\xd0\xba</mrk><pc id="p">\xd1\x96</pc>!</target>',
    )
    assert marked != content
    xliff_import(source=marked, user=user)
    assert working_copy(article, "kk")["p2"] == "Екі!"


def test_a_file_larger_than_the_limit_is_refused_by_its_size(translated, settings):
    _article, _edition, user, content = translated
    settings.TILMASH_MAX_XLIFF_BYTES = len(content) - 1
    refused(content, user, f"The file is {len(content):,} bytes; the limit is")


def test_a_200_mb_file_is_refused_by_size_without_being_parsed(translated, tmp_path, monkeypatch):
    from reviews.xliff import parsing

    _article, _edition, user, content = translated
    path = tmp_path / "huge.xlf"
    head, tail = content.split(b"</file>")
    padding = b"<!-- " + b"x" * (1024 * 1024 - 9) + b" -->\n"
    with path.open("wb") as handle:
        handle.write(head)
        for _megabyte in range(200):
            handle.write(padding)
        handle.write(b"</file>" + tail)
    assert path.stat().st_size > 200 * 1024 * 1024

    def never(*args, **kwargs):
        raise AssertionError("a file over the limit was parsed")

    monkeypatch.setattr(parsing.etree, "fromstring", never)
    monkeypatch.setattr(parsing, "_declares_doctype", never)
    with path.open("rb") as handle:
        refused(handle, user, f"The file is {path.stat().st_size:,} bytes; the limit is 20,971,520")
        assert handle.tell() == 0  # refused by its size: not a byte read


def zip_of(members, compression=zipfile.ZIP_DEFLATED):
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", compression) as writer:
        for name, data in members:
            writer.writestr(name, data)
    return archive.getvalue()


def test_a_zip_bomb_is_refused_by_its_uncompressed_size(translated):
    _article, _edition, user, _content = translated
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as writer:
        with writer.open("bomb.xlf", "w", force_zip64=True) as member:
            zeros = b"\0" * (1024 * 1024)
            for _megabyte in range(100):
                member.write(zeros)
    assert len(archive.getvalue()) < 1024 * 1024
    refused(archive.getvalue(), user, "add up to more than 20,971,520 bytes uncompressed")


def test_a_zip_whose_headers_understate_its_size_is_refused_while_decompressing(
    translated, settings
):
    _article, _edition, user, content = translated
    settings.TILMASH_MAX_XLIFF_BYTES = 4096
    data = bytearray(zip_of([("big.xlf", b"<x/>" + b" " * 10000)]))
    # Rewrite the uncompressed size in the central directory to 10 bytes.
    central = data.rfind(b"PK\x01\x02")
    data[central + 24 : central + 28] = (10).to_bytes(4, "little")
    message = refused(bytes(data), user, "")
    assert "uncompressed" in message or "damaged" in message


def test_a_zip_with_too_many_members_is_refused(translated):
    _article, _edition, user, _content = translated
    data = zip_of([(f"{n}.xlf", b"<x/>") for n in range(201)])
    refused(data, user, "The zip holds 201 files; the limit is 200")


def test_a_zip_inside_a_zip_is_refused(translated):
    _article, _edition, user, content = translated
    inner = zip_of([("a.xlf", content)])
    refused(zip_of([("inner.zip", inner)]), user, "Only XLIFF files")


def test_a_damaged_zip_is_refused(translated):
    _article, _edition, user, content = translated
    data = zip_of([("a.xlf", content)])
    refused(data[: len(data) // 2], user, "The zip file is damaged")


def test_several_file_elements_are_refused(translated):
    _article, _edition, user, content = translated
    start = content.index(b"<file")
    end = content.index(b"</file>") + len(b"</file>")
    twice = content[:end] + content[start:end].replace(b'id="', b'id="x', 1) + content[end:]
    refused(twice, user, "holds 2 <file> elements")


def test_a_partly_translated_unit_is_refused(translated):
    _article, _edition, user, content = translated
    split = content.replace(
        b"</segment>\n    </unit>",
        b'</segment>\n      <segment id="s2"><source>more</source></segment>\n    </unit>',
        1,
    )
    assert split != content
    refused(split, user, "only partly translated")


def test_an_invalid_code_point_is_refused(translated):
    _article, _edition, user, content = translated
    bad = content.replace(b"\xd0\x95\xd0\xba\xd1\x96.</target>", b'<cp hex="110000"/></target>')
    refused(bad, user, "invalid <cp")


def test_refusals_are_xliff_errors_naming_the_file(translated):
    _article, _edition, user, _content = translated
    with pytest.raises(XliffError) as error:
        xliff_import(source=b"<html/>", user=user, name="upload.xlf")
    assert str(error.value).startswith("upload.xlf: ")


def test_nesting_deeper_than_libxml2_allows_is_refused(translated):
    _article, _edition, user, content = translated
    deep = content.replace(
        "Екі.</target>".encode(), b"<mrk id='m'>" * 300 + b"x" + b"</mrk>" * 300 + b"</target>"
    )
    refused(deep, user, "not well-formed XML")


def test_comments_and_cdata_in_a_target_keep_its_text(translated):
    article, _edition, user, content = translated
    commented = content.replace(
        "Екі.</target>".encode(), "Е<!-- a note -->к<![CDATA[і & <b>]]>.</target>".encode()
    )
    xliff_import(source=commented, user=user)
    assert working_copy(article, "kk")["p2"] == "Екі & <b>."


def test_a_crlf_written_as_references_becomes_a_line_break_and_a_lone_cr_is_refused(translated):
    article, _edition, user, content = translated
    crlf = content.replace("Екі.</target>".encode(), "Екі&#13;&#10;екі.</target>".encode())
    xliff_import(source=crlf, user=user)
    assert working_copy(article, "kk")["p2"] == "Екі\nекі."
    cr = content.replace("Бір.</target>".encode(), "Бір&#13;бір.</target>".encode())
    refused(cr, user, "cannot be stored (U+000D)")
