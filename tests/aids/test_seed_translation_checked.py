"""The seed article translated with mistakes, from the translator's editor to the review.

A wrong number, a missing closing quote and "Tokaev" for Tokayev: each shows on
its own paragraph in the editor, blocks submission until fixed or dismissed
with a reason, and the reason reaches the editor's version page. A paragraph
already translated in another approved article is offered as a 100% match.
"""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from aids.memory import tm_suggestions
from aids.models import GlossaryTerm
from aids.services import check_dismiss, edition_check_report
from reviews import services
from reviews.services import RowInput
from tests.factories import assign, editor, translator
from translations.importing import article_import
from translations.models import Article, Edition, Version
from translations.services import edition_get_or_create

pytestmark = pytest.mark.django_db


def russian_of(text):
    """A stand-in Russian translation: the source's facts in Russian typography."""
    text = text.replace("January 11", "11 января").replace("Tokayev", "Токаев")
    text = text.replace("“", "«").replace("”", "»")
    return f"Перевод: {text.strip()}"


@pytest.fixture
def seed_in_russian(seed_path, django_capture_on_commit_callbacks):
    GlossaryTerm.objects.create(term_en="Tokayev", term_ru="Токаев", term_kk="Тоқаев")
    with django_capture_on_commit_callbacks(execute=True):
        report = article_import(data=seed_path.read_bytes(), language="en", publish=True)
    article = Article.objects.get(slug=report.slug)
    paragraphs = list(article.paragraphs.order_by("position"))
    edition = edition_get_or_create(article=article, language="ru")
    alice = translator("alice", is_staff=True)
    assign(edition, alice)
    texts = {"title": russian_of(article.title_en)}
    texts |= {p.key: russian_of(p.text_en) for p in paragraphs}
    return article, paragraphs, edition, alice, texts


def key_of(paragraphs, fragment):
    return next(p.key for p in paragraphs if fragment in p.text_en)


def save(edition, user, texts):
    article = Article.objects.get(pk=edition.article_id)
    revisions = {"title": article.revision_ru} | {
        p.key: p.revision_ru for p in article.paragraphs.all()
    }
    rows = [RowInput(key=key, text=text, revision=revisions[key]) for key, text in texts.items()]
    return services.units_save(edition=edition, user=user, rows=rows)


def test_each_mistake_shows_on_its_paragraph_and_blocks_submission(seed_in_russian, client):
    article, paragraphs, edition, alice, texts = seed_in_russian
    number = key_of(paragraphs, "20,000")
    quote = key_of(paragraphs, "Overseas the countries")
    texts[number] = texts[number].replace("20,000", "2,000")
    texts[quote] = texts[quote].rstrip("»")
    texts["title"] = texts["title"].replace("Токаев", "Tokaev")
    save(edition, alice, texts)

    report = edition_check_report(edition=edition)
    found = {key: {i.check_id for i in issues if i.blocking} for key, issues in report.items()}
    assert {key: ids for key, ids in found.items() if ids} == {
        "title": {"glossary"},
        number: {"numbers"},
        quote: {"quotes_balance"},
    }

    client.force_login(alice)
    page = client.get(reverse("admin:translations_edition_editor", args=[edition.pk]))
    html = page.content.decode()
    for key, check_id in [("title", "glossary"), (number, "numbers"), (quote, "quotes_balance")]:
        row = re.search(rf'id="row-{key}".*?</section>', html, re.S).group(0)
        message = next(i.message for i in report[key] if i.check_id == check_id)
        assert message.replace("«", "&laquo;") in row or message in row.replace("&#x27;", "'")
    assert "20,000" in next(i.message for i in report[number] if i.check_id == "numbers")

    with pytest.raises(ValidationError) as refused:
        services.version_submit(edition=edition, user=alice)
    assert len(refused.value.messages) == 3
    assert any(m.startswith("Title: ") for m in refused.value.messages)


def test_fixing_or_dismissing_with_a_reason_lets_it_through_to_the_editor(seed_in_russian, client):
    article, paragraphs, edition, alice, texts = seed_in_russian
    number = key_of(paragraphs, "20,000")
    quote = key_of(paragraphs, "Overseas the countries")
    texts[number] = texts[number].replace("20,000", "2,000")
    texts[quote] = texts[quote].rstrip("»")
    save(edition, alice, texts)

    with pytest.raises(ValidationError, match="Say why"):
        check_dismiss(
            edition=edition, unit_key=quote, check_id="quotes_balance", reason=" ", user=alice
        )
    check_dismiss(
        edition=edition,
        unit_key=quote,
        check_id="quotes_balance",
        reason="The quotation goes on in the next paragraph.",
        user=alice,
    )
    with pytest.raises(ValidationError):
        services.version_submit(edition=edition, user=alice)
    save(edition, alice, {number: texts[number].replace("2,000", "20,000")})
    version = services.version_submit(edition=Edition.objects.get(pk=edition.pk), user=alice)

    erin = editor("erin", is_staff=True)
    client.force_login(erin)
    page = client.get(reverse("admin:reviews_version_review", args=[version.pk]))
    assert "The quotation goes on in the next paragraph." in page.content.decode()


def test_a_paragraph_translated_in_another_approved_article_is_a_full_match(
    seed_in_russian, django_capture_on_commit_callbacks
):
    article, paragraphs, _edition, alice, texts = seed_in_russian
    reused = paragraphs[4]
    # Another article that quoted the same sentence, already translated and approved.
    data = f"Condolences\n\n08.01.2022, 10:00\n\n{reused.text_en}\n".encode()
    other = Article.objects.get(slug=article_import(data=data, language="en", publish=True).slug)
    other_edition = edition_get_or_create(article=other, language="ru")
    assign(other_edition, alice)
    save(
        other_edition,
        alice,
        {"title": "Соболезнования", other.paragraphs.get().key: texts[reused.key]},
    )
    version = services.version_submit(edition=other_edition, user=alice)
    with django_capture_on_commit_callbacks(execute=True):
        services.version_approve(version=version, user=editor("erin"))

    suggestions = tm_suggestions(
        text=reused.text_en, source_language="en", target_language="ru", exclude_article=article
    )
    assert suggestions, "no suggestion at all"
    best = suggestions[0]
    assert (best["similarity"], best["exact"], best["target"]) == (100, True, texts[reused.key])
    assert Version.objects.filter(edition=other_edition, approved_at__isnull=False).exists()
