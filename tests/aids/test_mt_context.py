"""The article around a paragraph, as the DeepL and chat providers get it."""

import pytest

from aids.glossary import Glossary, Term
from aids.mt.context import MAX_CHARS, article_context, shortened
from aids.mt.deepl import glossary_entries, glossary_name
from tests.factories import article_with_paragraphs

TEXTS = ["First.", "Second.", "Third."]


@pytest.fixture
def article(db):
    return article_with_paragraphs(texts=TEXTS, title="The title")


def test_a_paragraph_has_the_title_and_its_neighbours(article):
    context = article_context(article=article, text="Second.", unit_key="p2")
    assert (context.title, context.before, context.after) == ("The title", "First.", "Third.")


def test_without_a_key_the_paragraph_is_found_by_its_text(article):
    context = article_context(article=article, text="Third.")
    assert (context.before, context.after) == ("Second.", "")


def test_the_title_is_followed_by_the_first_paragraph(article):
    context = article_context(article=article, text="The title")
    assert (context.title, context.before, context.after) == ("", "", "First.")


def test_a_text_not_in_the_article_gets_the_title_only(article):
    context = article_context(article=article, text="Elsewhere.")
    assert (context.title, context.before, context.after) == ("The title", "", "")


def test_the_context_costs_three_queries_whatever_the_articles_length(
    db, django_assert_num_queries
):
    article = article_with_paragraphs(texts=[f"Paragraph {n}." for n in range(1, 301)])
    with django_assert_num_queries(3):
        context = article_context(article=article, text="Paragraph 150.")
    assert (context.before, context.after) == ("Paragraph 149.", "Paragraph 151.")


def test_long_text_is_cut_at_a_word():
    cut = shortened("word " * 1000)
    assert len(cut) <= MAX_CHARS + 2 and cut.endswith("word …")


def test_deepl_entries_are_the_terms_spelt_in_both_languages_once_each():
    glossary = Glossary([
        Term(renderings={"en": "Tokayev", "kk": "Тоқаев"}),
        Term(renderings={"en": "Tokayev", "kk": "Токаев"}),  # the first one wins
        Term(renderings={"en": "Astana", "ru": "Астана"}),  # no Kazakh
        Term(renderings={"en": " Central  Bank ", "kk": "Ұлттық\tбанк"}),
    ])
    entries = glossary_entries(glossary, "en", "kk")
    assert entries == {"Tokayev": "Тоқаев", "Central Bank": "Ұлттық банк"}
    assert glossary_name(entries, "en", "kk") == glossary_name(dict(reversed(entries.items())),
                                                               "en", "kk")
    assert glossary_name(entries, "en", "kk") != glossary_name(entries, "en", "ru")
