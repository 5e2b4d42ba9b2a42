"""Glossary terms: matching through case and inflection, highlighting, the admin."""

import pytest
from django.urls import reverse

from aids.glossary import Glossary, Term, glossary_for_article, glossary_highlight
from aids.models import GlossaryTerm
from tests.aids.conftest import glossary_term
from tests.factories import UserFactory, article_with_paragraphs


def found(language, term, text):
    glossary = Glossary([Term(renderings={language: term})])
    return [span.text for span in glossary.find(text, language)]


@pytest.mark.parametrize(
    "language,term,text,match",
    [
        ("kk", "Тоқаев", "Тоқаевтың айтуынша", "Тоқаевтың"),
        ("kk", "Тоқаев", "ТОҚАЕВ сөйледі", "ТОҚАЕВ"),
        ("kk", "Мәжіліс", "Мәжілістегі депутаттар", "Мәжілістегі"),
        ("kk", "Мәжіліс", "Мәжілісіндегі сөз", "Мәжілісіндегі"),
        ("kk", "Астана", "Астанаға келді", "Астанаға"),
        ("kk", "Ұлттық ұлан", "Ұлттық ұланның жауынгерлері", "Ұлттық ұланның"),
        ("kk", "ҰҚШҰ", "ҰҚШҰ-ға жүгінді", "ҰҚШҰ"),
        ("ru", "Токаев", "по словам Токаева", "Токаева"),
        ("ru", "Токаев", "встреча с Токаевым", "Токаевым"),
        ("ru", "Мажилис", "в Мажилисе", "Мажилисе"),
        ("ru", "Москва", "из Москвы", "Москвы"),
        ("ru", "Национальная гвардия", "бойцы Национальной гвардии", "Национальной гвардии"),
        ("ru", "Касым-Жомарт Токаев", "Касым-Жомарта Токаева", "Касым-Жомарта Токаева"),
        ("ru", "Алёна", "у Алены", "Алены"),
        ("en", "Tokayev", "Tokayev's speech", "Tokayev"),
        ("en", "Tokayev", "TOKAYEV spoke", "TOKAYEV"),
        ("en", "National Guard", "the national guards", "national guards"),
        ("en", "Kassym-Jomart Tokayev", "Kassym Jomart Tokayev said", "Kassym Jomart Tokayev"),
        ("en", "CSTO", "the CSTO's troops", "CSTO"),
    ],
)
def test_a_term_is_found_through_case_and_inflection(language, term, text, match):
    assert found(language, term, text) == [match]


@pytest.mark.parametrize(
    "language,term,text",
    [
        ("kk", "Қазан", "Қазақстан"),
        ("kk", "Тоқаев", "Тоқа"),
        ("ru", "Токаев", "Токаевского проспекта"),
        ("ru", "ООН", "ООНовский"),
        ("ru", "Национальная гвардия", "Национальная, гвардия"),
        ("en", "Tokayev", "Tokayevich"),
        ("en", "Tokayev", "Tokaev"),
        ("en", "Almaty", "Almatyan"),
    ],
)
def test_a_different_word_is_not_a_term(language, term, text):
    assert found(language, term, text) == []


def test_highlight_returns_the_spans_of_terms_and_wrong_spellings_in_order():
    tokayev = Term(renderings={"en": "Tokayev"}, forbidden={"en": ("Tokaev",)})
    guard = Term(renderings={"en": "National Guard"})
    text = "Tokaev thanked the National Guard; Tokayev's words."
    spans = glossary_highlight(text=text, language="en", glossary=[tokayev, guard])
    assert [(s.start, s.end, s.text, s.forbidden) for s in spans] == [
        (0, 6, "Tokaev", "Tokaev"),
        (19, 33, "National Guard", ""),
        (35, 42, "Tokayev", ""),
    ]
    assert [text[s.start : s.end] for s in spans] == ["Tokaev", "National Guard", "Tokayev"]
    assert spans[1].term.renderings == {"en": "National Guard"}


def test_the_longest_term_wins_where_two_start_together():
    short = Term(renderings={"kk": "Тоқаев"})
    full = Term(renderings={"kk": "Тоқаев Қасым-Жомарт"})
    spans = glossary_highlight(
        text="Тоқаев Қасым-Жомарттың сөзі", language="kk", glossary=[short, full]
    )
    assert [(s.text, s.term) for s in spans] == [("Тоқаев Қасым-Жомарттың", full)]


@pytest.mark.django_db
def test_the_model_gives_renderings_and_wrong_spellings_per_language():
    term = glossary_term(
        kind="organisation", kk="Мәжіліс", ru="Мажилис", en="Mazhilis",
        forbidden={"en": ["Majilis", " Mazhilis of Parliament ", ""]},
    )
    assert term.renderings() == {"kk": "Мәжіліс", "ru": "Мажилис", "en": "Mazhilis", "kk-latn": ""}
    assert term.forbidden_variants() == {"en": ("Majilis", "Mazhilis of Parliament")}
    assert str(term) == "Мәжіліс / Мажилис / Mazhilis"


@pytest.mark.django_db
def test_an_articles_glossary_is_the_newsrooms_plus_its_own(django_assert_num_queries):
    article, other = article_with_paragraphs(count=1), article_with_paragraphs(count=1)
    glossary_term(en="Tokayev")
    glossary_term(en="Almaty", article=article)
    glossary_term(en="Astana", article=other)
    with django_assert_num_queries(1):
        glossary = glossary_for_article(article=article)
    assert sorted(t.rendering("en") for t in glossary.terms) == ["Almaty", "Tokayev"]
    assert [t.rendering("en") for t in glossary_for_article().terms] == ["Tokayev"]


@pytest.mark.django_db
def test_editors_keep_the_glossary_in_the_admin_with_a_field_per_language(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    add_url = reverse("admin:aids_glossaryterm_add")
    page = client.get(add_url)
    assert page.status_code == 200
    for field in ("term_kk", "term_ru", "term_en", "forbidden_en"):
        assert f'name="{field}"' in page.content.decode()
    response = client.post(add_url, {
        "term_kk": "Тоқаев", "term_ru": "Токаев", "term_en": "Tokayev",
        "forbidden_kk": "", "forbidden_ru": "", "forbidden_en": "Tokaev",
        "kind": "person", "note": "Head of State", "article": "",
    })
    assert response.status_code == 302
    term = GlossaryTerm.objects.get()
    assert term.renderings()["kk"] == "Тоқаев" and term.forbidden_variants() == {
        "en": ("Tokaev",)
    }
    listing = client.get(reverse("admin:aids_glossaryterm_changelist"), {"q": "Токаев"})
    assert "Tokayev" in listing.content.decode()
