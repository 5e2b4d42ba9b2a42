"""TMX 1.4b export of the memory: well formed, escaped, and read back unchanged."""

import io

import pytest
from django.core.management import CommandError, call_command
from lxml import etree

from aids.memory import tmx_export
from tests.factories import article_with_paragraphs, publish, translate

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# The part of the TMX 1.4b DTD the export uses, transcribed from the
# specification (LISA OSCAR, 2005): the export must validate against it.
TMX_DTD = """
<!ELEMENT tmx (header, body)>
<!ATTLIST tmx version CDATA #FIXED "1.4">
<!ELEMENT header (note|prop|ude)*>
<!ATTLIST header
  creationtool CDATA #REQUIRED creationtoolversion CDATA #REQUIRED
  segtype (block|paragraph|sentence|phrase) #REQUIRED o-tmf CDATA #REQUIRED
  adminlang CDATA #REQUIRED srclang CDATA #REQUIRED datatype CDATA #REQUIRED
  o-encoding CDATA #IMPLIED creationdate CDATA #IMPLIED creationid CDATA #IMPLIED
  changedate CDATA #IMPLIED changeid CDATA #IMPLIED>
<!ELEMENT body (tu*)>
<!ELEMENT tu ((note|prop)*, tuv+)>
<!ATTLIST tu
  tuid CDATA #IMPLIED o-encoding CDATA #IMPLIED datatype CDATA #IMPLIED
  usagecount CDATA #IMPLIED lastusagedate CDATA #IMPLIED creationtool CDATA #IMPLIED
  creationtoolversion CDATA #IMPLIED creationdate CDATA #IMPLIED creationid CDATA #IMPLIED
  changedate CDATA #IMPLIED segtype (block|paragraph|sentence|phrase) #IMPLIED
  changeid CDATA #IMPLIED o-tmf CDATA #IMPLIED srclang CDATA #IMPLIED>
<!ELEMENT tuv ((note|prop)*, seg)>
<!ATTLIST tuv xml:lang CDATA #REQUIRED o-encoding CDATA #IMPLIED datatype CDATA #IMPLIED
  usagecount CDATA #IMPLIED lastusagedate CDATA #IMPLIED creationtool CDATA #IMPLIED
  creationtoolversion CDATA #IMPLIED creationdate CDATA #IMPLIED creationid CDATA #IMPLIED
  changedate CDATA #IMPLIED o-tmf CDATA #IMPLIED changeid CDATA #IMPLIED>
<!ELEMENT seg (#PCDATA)>
<!ELEMENT prop (#PCDATA)>
<!ATTLIST prop type CDATA #REQUIRED xml:lang CDATA #IMPLIED o-encoding CDATA #IMPLIED>
<!ELEMENT note (#PCDATA)>
<!ATTLIST note xml:lang CDATA #IMPLIED o-encoding CDATA #IMPLIED>
<!ELEMENT ude (map+)>
<!ATTLIST ude name CDATA #REQUIRED base CDATA #IMPLIED>
<!ELEMENT map EMPTY>
"""
HOSTILE_EN = 'Tags <b>bold</b> & entities &amp; "quotes" \'apostrophes\' ]]> end.'
HOSTILE_RU = "Теги <b>жирный</b> & сущности &amp; «кавычки» ]]> конец."

pytestmark = pytest.mark.django_db


@pytest.fixture
def memory(django_capture_on_commit_callbacks):
    english = article_with_paragraphs(texts=[HOSTILE_EN, "One here. Two here."])
    translate(english, "ru", [HOSTILE_RU, "Один здесь. Два здесь."])
    kazakh = article_with_paragraphs(texts=["Қазақша мәтін."], source_language="kk")
    translate(kazakh, "en", ["Kazakh text."])
    with django_capture_on_commit_callbacks(execute=True):
        publish(english, "ru")
        publish(kazakh, "en")
    return english, kazakh


def _parse(data):
    return etree.parse(io.BytesIO(data), etree.XMLParser(resolve_entities=False, no_network=True))


def _units(tree):
    return [
        [(tuv.get(XML_LANG), tuv.findtext("seg")) for tuv in tu.findall("tuv")]
        for tu in tree.getroot().iter("tu")
    ]


def test_the_export_is_valid_tmx_and_reads_back_unchanged(memory):
    out = io.BytesIO()
    count = tmx_export(out=out)
    tree = _parse(out.getvalue())
    assert etree.DTD(io.StringIO(TMX_DTD)).validate(tree), "not valid TMX 1.4b"
    root = tree.getroot()
    assert root.tag == "tmx" and root.get("version") == "1.4"
    header = root.find("header")
    assert header.get("srclang") == "*all*" and header.get("datatype") == "plaintext"
    units = _units(tree)
    assert count == len(units) == 7
    assert [("en", HOSTILE_EN), ("ru", HOSTILE_RU)] in units
    assert [("kk", "Қазақша мәтін."), ("en", "Kazakh text.")] in units
    assert b"<b>" not in out.getvalue() and b"&amp;amp;" in out.getvalue()


def test_each_unit_names_its_article_and_whether_it_is_a_sentence(memory):
    out = io.BytesIO()
    tmx_export(out=out, source_language="en", target_language="ru")
    tree = _parse(out.getvalue())
    units = list(tree.getroot().iter("tu"))
    assert {tu.findtext("prop[@type='x-article']") for tu in units} == {memory[0].slug}
    assert sorted(tu.get("segtype") for tu in units) == [
        "paragraph", "paragraph", "paragraph", "sentence", "sentence"
    ]
    assert {tu.get("srclang") for tu in units} == {"en"}


def test_the_command_writes_one_language_pair_to_a_file(memory, tmp_path):
    path = tmp_path / "memory.tmx"
    call_command("tm_export_tmx", "--source-language", "kk", "--target-language", "en",
                 "--output", str(path), stderr=io.StringIO())
    tree = _parse(path.read_bytes())
    assert tree.getroot().find("header").get("srclang") == "kk"
    slug = memory[1].slug
    assert _units(tree) == [
        [("kk", f"Title of {slug}"), ("en", f"[en] Title of {slug}")],
        [("kk", "Қазақша мәтін."), ("en", "Kazakh text.")],
    ]


def test_the_command_refuses_an_unknown_language(tmp_path):
    with pytest.raises(CommandError, match="Unknown language: xx."):
        call_command("tm_export_tmx", "--source-language", "xx",
                     "--output", str(tmp_path / "m.tmx"))
    assert not (tmp_path / "m.tmx").exists()
