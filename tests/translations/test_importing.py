import datetime
import io
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command, load_command_class
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import UserFactory, translate
from translations import services
from translations.importing import (
    ADDED,
    CHANGED,
    MOVED,
    REMOVED,
    UNCHANGED,
    ArticleImportError,
    article_import,
    article_parse,
    paragraphs_align,
)
from translations.models import Article, AuditEntry, Contributor, EditionState, Paragraph, Version
from translations.signals import source_changed

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent.parent

PARAGRAPHS = (
    "Алматы әкімдігі жаңа саябақ ашылатынын хабарлады.",
    "The park will have a playground, a library and a small café.",
    "Құрылыс жұмыстары көктемде басталады деп күтілуде.",
    "Residents were asked to send their suggestions by e-mail.",
    "«Бұл қаланың барлық тұрғындарына арналған», — деді әкім.",
)
CREDITS = (
    "Translation by Saniya Sakenova and Assem Zhanmukhanova",
    "Editing by Galiya Khassenkhanova",
)


def article_bytes(
    *,
    title="A new park for Almaty",
    dateline="07.01.2022, 15:23",
    paragraphs=PARAGRAPHS,
    credits=CREDITS,
    newline="\n",
):
    lines = [title, "", dateline, ""]
    for paragraph in paragraphs:
        lines += [paragraph, ""]
    lines += credits
    return newline.join(lines).encode("utf-8")


def row_counts():
    """Rows in every table, in one query (the fuzz tests call this for every example)."""
    models = [m for m in apps.get_models() if m._meta.managed and not m._meta.proxy]
    counts = ", ".join(
        f"(SELECT COUNT(*) FROM {connection.ops.quote_name(m._meta.db_table)})" for m in models
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {counts}")
        return dict(zip([m._meta.label for m in models], cursor.fetchone(), strict=True))


def seed_expected(seed_path):
    """Title, dateline and paragraphs of the seed, read here independently of the parser."""
    blocks = [block for block in seed_path.read_text(encoding="utf-8").split("\n\n")]
    title, dateline, *rest = [block for block in blocks if block.strip()]
    paragraphs = [
        block for block in rest if not block.strip().startswith(("Translation by", "Editing by"))
    ]
    return title, dateline, paragraphs


def source_texts(article):
    lang = article.source_language
    return [p.text_in(lang) for p in article.paragraphs.order_by("position")]


def credit_names(version, role):
    return [c.contributor.name for c in version.credits.filter(role=role).order_by("order")]


@pytest.fixture
def seed_report(seed_path):
    return article_import(data=seed_path.read_bytes(), language="en", publish=True)


@pytest.fixture
def imported():
    """A published English article of five paragraphs, and its import report."""
    report = article_import(data=article_bytes(), language="en", publish=True)
    return Article.objects.get(slug=report.slug), report


@pytest.fixture
def changes_sent():
    sent = []

    def receiver(sender, unit, article, user, **kwargs):
        sent.append(unit)

    source_changed.connect(receiver)
    yield sent
    source_changed.disconnect(receiver)


# --- The seed ------------------------------------------------------------------


def test_the_seed_keeps_its_title_and_every_paragraph_exactly(seed_path, seed_report):
    title, _dateline, paragraphs = seed_expected(seed_path)
    article = Article.objects.get(slug=seed_report.slug)
    assert article.title_en == title
    assert source_texts(article) == paragraphs
    assert len(paragraphs) == 9
    # The fifth paragraph ends in a no-break space, kept as it is.
    assert source_texts(article)[4].endswith("”\xa0")
    live = article.editions.get(language="en").live_version
    assert [unit["text"] for unit in live.paragraphs] == paragraphs
    assert live.title == title


def test_the_seed_dateline_is_almaty_time(seed_report):
    article = Article.objects.get(slug=seed_report.slug)
    assert article.dateline == datetime.datetime(2022, 1, 7, 9, 23, tzinfo=datetime.UTC)
    assert article.dateline.tzinfo is not None


def test_the_seed_credits_both_translators_in_order_and_the_editor(seed_report):
    version = Version.objects.get(edition__article__slug=seed_report.slug)
    assert credit_names(version, "translator") == ["Saniya Sakenova", "Assem Zhanmukhanova"]
    assert credit_names(version, "editor") == ["Galiya Khassenkhanova"]
    assert credit_names(version, "author") == []


def test_the_seed_is_published_and_audited_as_an_import(seed_report):
    article = Article.objects.get(slug=seed_report.slug)
    edition = article.editions.get()
    assert seed_report.slug == "president-tokayev-addresses-people-of-kazakhstan"
    assert seed_report.path == f"/en/articles/{seed_report.slug}/"
    assert (seed_report.kind, seed_report.added, seed_report.published_version) == ("created", 9, 1)
    assert edition.state == EditionState.APPROVED
    assert edition.live_version.is_approved
    entry = AuditEntry.objects.get(article=article)
    assert entry.action == "translations.article.import"
    assert entry.version == edition.live_version
    assert entry.data["added"] == 9


def test_every_paragraph_gets_its_own_key_and_source_revision_one(seed_report):
    paragraphs = Paragraph.objects.filter(article__slug=seed_report.slug)
    assert len({p.key for p in paragraphs}) == 9
    assert {p.revision_en for p in paragraphs} == {1}
    assert sorted(p.position for p in paragraphs) == list(range(1, 10))


# --- Parsing -------------------------------------------------------------------


def test_without_publish_the_text_is_a_draft_in_progress():
    report = article_import(data=article_bytes(), language="en")
    edition = Article.objects.get(slug=report.slug).editions.get()
    assert edition.state == EditionState.IN_PROGRESS
    assert edition.live_version is None
    assert not Version.objects.exists()
    assert not Contributor.objects.exists()
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.from_state, entry.to_state) == (
        "translations.article.import",
        "not_started",
        "in_progress",
    )


@pytest.mark.parametrize(
    "wrap",
    [
        pytest.param(lambda data: data.replace(b"\n", b"\r\n"), id="crlf"),
        pytest.param(lambda data: b"\xef\xbb\xbf" + data, id="bom"),
        pytest.param(lambda data: b"\xef\xbb\xbf" + data.replace(b"\n", b"\r\n"), id="bom+crlf"),
        pytest.param(lambda data: data + b"\n\n\n", id="trailing blank lines"),
    ],
)
def test_line_ends_and_a_byte_order_mark_read_as_plain_text(seed_path, wrap):
    data = seed_path.read_bytes()
    assert article_parse(wrap(data), language="en") == article_parse(data, language="en")


def test_a_paragraph_keeps_its_single_line_breaks_and_spaces():
    paragraphs = ("First line\nsecond line  \n  third, indented", "Тұрақ\u00a0")
    parsed = article_parse(article_bytes(paragraphs=paragraphs), language="kk")
    assert parsed.paragraphs == paragraphs


def test_kazakh_and_russian_text_is_stored_exactly():
    paragraphs = ("Әә Ғғ Ққ Ңң Өө Ұұ Үү Һһ Іі — «тырнақша»", "Съешь же ещё этих мягких булок „да“")
    report = article_import(
        data=article_bytes(title="Қазақ тілі мен орыс тілі", paragraphs=paragraphs), language="kk"
    )
    article = Article.objects.get(slug=report.slug)
    assert report.slug == "qazaq-tili-men-orys-tili"
    assert (article.title_kk, source_texts(article)) == (
        "Қазақ тілі мен орыс тілі",
        list(paragraphs),
    )
    assert article.source_language == "kk"


@pytest.mark.parametrize(
    ("credits", "expected"),
    [
        (("Translation by A. Bekov, Dana Ali and Yerlan Omarov",),
         [("translator", "A. Bekov"), ("translator", "Dana Ali"), ("translator", "Yerlan Omarov")]),
        (("Editing by Galiya Khassenkhanova",), [("editor", "Galiya Khassenkhanova")]),
        (("Editing by Galiya Khassenkhanova", "", "Translation by Saniya Sakenova"),
         [("editor", "Galiya Khassenkhanova"), ("translator", "Saniya Sakenova")]),
        (("By Aigerim Nurlanovna", "Translation by Saniya Sakenova"),
         [("author", "Aigerim Nurlanovna"), ("translator", "Saniya Sakenova")]),
        ((), []),
    ],
)  # fmt: skip
def test_credit_lines_are_read_in_file_order(credits, expected):
    parsed = article_parse(article_bytes(credits=credits), language="en")
    assert list(parsed.credits) == expected
    assert parsed.paragraphs == PARAGRAPHS


@pytest.mark.parametrize(
    ("language", "credits", "expected"),
    [
        ("kk",
         ("Аударған: Сания Сакенова және Әсем Жанмұханова", "Редакциялаған: Ғалия Хасенханова"),
         [("translator", "Сания Сакенова"), ("translator", "Әсем Жанмұханова"),
          ("editor", "Ғалия Хасенханова")]),
        ("ru",
         ("Перевод: Сания Сакенова и Асем Жанмуханова", "Редактирование: Галия Хасенханова"),
         [("translator", "Сания Сакенова"), ("translator", "Асем Жанмуханова"),
          ("editor", "Галия Хасенханова")]),
        ("kk", ("Translation by Saniya Sakenova",), [("translator", "Saniya Sakenova")]),
    ],
)  # fmt: skip
def test_credit_lines_are_read_in_the_files_language_or_english(language, credits, expected):
    parsed = article_parse(article_bytes(credits=credits), language=language)
    assert list(parsed.credits) == expected


def test_a_closing_paragraph_that_is_no_credit_line_stays_a_paragraph():
    paragraphs = (*PARAGRAPHS, "By the end of the year, prices rose by 8.4 per cent.")
    parsed = article_parse(article_bytes(paragraphs=paragraphs, credits=()), language="en")
    assert parsed.paragraphs == paragraphs
    assert parsed.credits == ()


def test_the_publish_credits_reuse_a_contributor_found_by_name():
    existing = Contributor.objects.create(name="Saniya Sakenova", name_en="Saniya Sakenova")
    report = article_import(data=article_bytes(), language="en", publish=True)
    version = Version.objects.get(edition__article__slug=report.slug)
    assert version.credits.filter(role="translator", order=1).get().contributor == existing
    assert Contributor.objects.filter(name_en="Saniya Sakenova").count() == 1


# --- Bad input -----------------------------------------------------------------

TEXT_HEAD = b"Title\n\n07.01.2022, 15:23\n\n"

BAD_INPUT = [
    # (id, data, language, settings, words of the message, line)
    ("empty", b"", "en", {}, "The file is empty", None),
    ("only blank lines", b" \n\n\t\n", "en", {}, "The file is empty", None),
    ("bom only", b"\xef\xbb\xbf", "en", {}, "The file is empty", None),
    ("no title", b"\nTitle\n\n07.01.2022, 15:23\n\nText.\n", "en", {}, "title is missing", 1),
    ("dateline first", b"07.01.2022, 15:23\n\nText.\n", "en", {}, "starts with the dateline", 1),
    ("two-line title", b"Title\nmore\n\n07.01.2022, 15:23\n\nP.\n", "en", {}, "one line", 2),
    ("title only", b"Title\n\n", "en", {}, "dateline (DD.MM.YYYY, HH:MM) is missing", 3),
    ("wordy dateline", b"Title\n\n7 January 2022\n\nP.\n", "en", {}, "Unreadable dateline", 3),
    ("no comma", b"Title\n\n07.01.2022 15:23\n\nP.\n", "en", {}, "Unreadable dateline", 3),
    ("31 February", b"Title\n\n31.02.2022, 15:23\n\nP.\n", "en", {}, "not a real date", 3),
    ("hour 25", b"Title\n\n07.01.2022, 25:00\n\nP.\n", "en", {}, "not a real date", 3),
    ("month 13", b"Title\n\n07.13.2022, 10:00\n\nP.\n", "en", {}, "not a real date", 3),
    ("year 0001", b"Title\n\n07.01.0001, 10:00\n\nP.\n", "en", {}, "year 1 is outside", 3),
    ("year 2101", b"Title\n\n07.01.2101, 10:00\n\nP.\n", "en", {}, "outside 1900–2100", 3),
    ("text under dateline", b"Title\n\n07.01.2022, 15:23\nP.\n", "en", {}, "blank line", 4),
    ("no paragraphs", b"Title\n\n07.01.2022, 15:23\n", "en", {}, "no paragraphs", 3),
    ("only credits", TEXT_HEAD + b"Editing by Galiya Khassenkhanova\n", "en", {},
     "no paragraphs", 5),
    ("cp1251", TEXT_HEAD + "Первый абзац.".encode("cp1251"), "en", {}, "not UTF-8", 5),
    ("latin-1 on line 7", TEXT_HEAD + b"Fine.\n\nCaf\xe9.\n", "en", {}, "byte 0xE9", 7),
    ("utf-16 with bom", "Title\n\n07.01.2022, 15:23\n\nP.".encode("utf-16"), "en", {},
     "UTF-16", 1),
    ("utf-16 without bom", "Title\n\n07.01.2022, 15:23\n\nP.".encode("utf-16-le"), "en", {},
     "NUL byte", 1),
    ("nul byte", TEXT_HEAD + b"Fine.\n\nBin\x00ary\n", "en", {}, "NUL byte", 7),
    ("bell in a paragraph", TEXT_HEAD + b"Fine\nstill \x07 here\n", "en", {}, "U+0007", 6),
    ("lone carriage return", TEXT_HEAD + b"One\rtwo\n", "en", {}, "U+000D", 5),
    ("form feed line", TEXT_HEAD + b"One\n\x0c\nTwo\n", "en", {}, "U+000C", 6),
    ("escape in title", b"Ti\x1btle\n\n07.01.2022, 15:23\n\nP.\n", "en", {}, "U+001B", 1),
    ("title over 500", b"T" * 501 + b"\n\n07.01.2022, 15:23\n\nP.\n", "en", {},
     "The title is 501 characters long; the limit is 500", 1),
    ("long paragraph line", TEXT_HEAD + b"Short.\n\n" + b"x" * 51, "en",
     {"TILMASH_MAX_PARAGRAPH_CHARS": 50}, "Paragraph 2 is 51 characters long", 7),
    ("long paragraph of short lines", TEXT_HEAD + b"Short.\n\n" + b"x" * 30 + b"\n" + b"y" * 30,
     "en", {"TILMASH_MAX_PARAGRAPH_CHARS": 50}, "Paragraph 2 is 61 characters long", 7),
    ("file too big", article_bytes(), "en", {"TILMASH_MAX_IMPORT_BYTES": 100},
     "bytes; the limit is 100 bytes", None),
    ("unknown language", article_bytes(), "de", {},
     "Unknown language “de”; the configured languages are: kk, ru, en, kk-latn", None),
]  # fmt: skip


@pytest.mark.parametrize(
    ("data", "language", "overrides", "words", "line"),
    [pytest.param(*case[1:], id=case[0]) for case in BAD_INPUT],
)
def test_bad_input_is_refused_naming_the_problem_and_the_line_and_writes_nothing(
    imported, settings, data, language, overrides, words, line
):
    for name, value in overrides.items():
        setattr(settings, name, value)
    before = row_counts()
    with pytest.raises(ArticleImportError) as refused:
        article_import(data=data, language=language, publish=True)
    assert words in refused.value.problem
    assert refused.value.line == line
    if line is not None:
        assert str(refused.value).startswith(f"Line {line}: ")
    assert row_counts() == before


# --- Re-import -----------------------------------------------------------------


def test_reimporting_an_unchanged_file_duplicates_nothing(seed_path, seed_report):
    article = Article.objects.get(slug=seed_report.slug)
    keys = list(article.paragraphs.order_by("position").values_list("key", flat=True))
    before = row_counts()
    report = article_import(data=seed_path.read_bytes(), language="en", publish=True)
    assert (report.kind, report.slug, report.unchanged) == ("updated", seed_report.slug, 9)
    assert (report.added, report.changed, report.removed, report.moved) == (0, 0, 0, 0)
    assert report.published_version is None and report.live_version == 1
    assert row_counts() == {
        **before,
        "translations.AuditEntry": before["translations.AuditEntry"] + 1,
    }
    assert list(article.paragraphs.order_by("position").values_list("key", flat=True)) == keys
    assert AuditEntry.objects.latest("id").action == "translations.article.reimport"


def test_a_reimport_keeps_keys_and_marks_translations_of_changed_paragraphs_outdated(
    imported, changes_sent
):
    article, _report = imported
    translate(article, "kk")
    old = {p.text_en: p for p in article.paragraphs.all()}
    edited = "The park will have a playground, a library and a large café."
    inserted = "Work is to finish by the end of the year."
    new = (PARAGRAPHS[0], edited, PARAGRAPHS[2], inserted, PARAGRAPHS[4])

    report = article_import(data=article_bytes(paragraphs=new), language="en")

    assert (report.added, report.changed, report.removed, report.unchanged) == (1, 1, 1, 3)
    assert not report.title_changed
    paragraphs = list(article.paragraphs.order_by("position"))
    assert [p.text_en for p in paragraphs] == list(new)
    assert [p.position for p in paragraphs] == [1, 2, 3, 4, 5]
    kept = [old[PARAGRAPHS[0]], old[PARAGRAPHS[1]], old[PARAGRAPHS[2]], old[PARAGRAPHS[4]]]
    assert [p.key for p in paragraphs[:3] + paragraphs[4:]] == [p.key for p in kept]
    assert paragraphs[3].key not in {p.key for p in old.values()}
    assert not Paragraph.objects.filter(key=old[PARAGRAPHS[3]].key).exists()
    changed = paragraphs[1]
    assert (changed.revision_en, changed.text_kk) == (2, f"[kk] {PARAGRAPHS[1]}")
    assert changed.is_outdated("kk", "en")
    assert not any(p.is_outdated("kk", "en") for p in paragraphs if p.pk != changed.pk)
    assert [unit.pk for unit in changes_sent] == [changed.pk]
    article.refresh_from_db()
    assert article.editions.get(language="en").state == EditionState.IN_PROGRESS


def test_paragraphs_inserted_at_the_top_push_every_other_one_down(imported):
    article, _report = imported
    keys = list(article.paragraphs.order_by("position").values_list("key", flat=True))
    new = ("Breaking: a first paragraph.", "And a second one.", *PARAGRAPHS)
    report = article_import(data=article_bytes(paragraphs=new), language="en")
    assert (report.added, report.unchanged) == (2, 5)
    moved = list(article.paragraphs.order_by("position").values_list("key", "position"))
    assert moved[2:] == [(key, position) for position, key in enumerate(keys, start=3)]


def test_a_moved_paragraph_keeps_its_key_and_translation(imported):
    article, _report = imported
    translate(article, "kk")
    key_of_last = article.paragraphs.get(position=5).key
    new = (PARAGRAPHS[4], *PARAGRAPHS[:4])
    report = article_import(data=article_bytes(paragraphs=new), language="en")
    assert (report.unchanged, report.moved, report.added, report.removed) == (5, 1, 0, 0)
    first = article.paragraphs.get(position=1)
    assert (first.key, first.text_kk) == (key_of_last, f"[kk] {PARAGRAPHS[4]}")
    assert not first.is_outdated("kk", "en")


@pytest.mark.parametrize(
    ("paragraphs", "new_version"),
    [(PARAGRAPHS, False), ((*PARAGRAPHS[:4], "A new last paragraph."), True)],
    ids=["unchanged", "changed"],
)
def test_publishing_a_reimport_makes_a_version_only_when_something_changed(
    imported, paragraphs, new_version
):
    article, _report = imported
    report = article_import(data=article_bytes(paragraphs=paragraphs), language="en", publish=True)
    edition = article.editions.get(language="en")
    assert edition.versions.count() == (2 if new_version else 1)
    assert report.published_version == (2 if new_version else None)
    assert edition.live_version.number == edition.versions.count()
    assert [u["text"] for u in edition.live_version.paragraphs] == list(paragraphs)


def test_publishing_a_reimport_with_new_credits_makes_a_version(imported):
    article, _report = imported
    report = article_import(
        data=article_bytes(credits=("Translation by Dana Ali",)), language="en", publish=True
    )
    assert report.published_version == 2
    live = article.editions.get(language="en").live_version
    assert credit_names(live, "translator") == ["Dana Ali"]
    assert credit_names(live, "editor") == []


def test_the_same_title_on_another_day_is_another_article(imported):
    article, _report = imported
    report = article_import(data=article_bytes(dateline="08.01.2022, 09:00"), language="en")
    assert (report.kind, report.slug) == ("created", f"{article.slug}-2")
    assert article.slug in report.notes[0]
    assert Article.objects.count() == 2
    again = article_import(data=article_bytes(dateline="08.01.2022, 09:00"), language="en")
    assert (again.kind, again.slug) == ("updated", f"{article.slug}-2")


def test_the_same_title_in_another_source_language_is_another_article(imported):
    article, _report = imported
    report = article_import(data=article_bytes(), language="ru")
    assert (report.kind, report.slug) == ("created", f"{article.slug}-2")


def test_a_reimport_into_the_article_in_its_source_language_may_change_the_title(
    imported, changes_sent
):
    article, _report = imported
    report = article_import(
        data=article_bytes(
            title="A new park for Almaty, opening in May", dateline="07.01.2022, 16:00"
        ),
        language="en",
        article_slug=article.slug,
    )
    article.refresh_from_db()
    assert (report.kind, report.title_changed, report.dateline_changed) == ("updated", True, True)
    assert (article.slug, article.title_en, article.revision_en) == (
        report.slug,
        "A new park for Almaty, opening in May",
        2,
    )
    assert article.dateline == datetime.datetime(2022, 1, 7, 10, 0, tzinfo=datetime.UTC)
    assert [unit.pk for unit in changes_sent] == [article.pk]
    assert AuditEntry.objects.latest("id").action == "translations.article.reimport"


@pytest.mark.parametrize(
    ("replacement", "line"),
    [("Edited at the desk, once more.", 7), ("Something else entirely.", None)],
    ids=["edited", "removed"],
)
def test_a_reimport_refuses_to_overwrite_unpublished_source_edits_by_someone_else(
    imported, replacement, line
):
    article, _report = imported
    author = UserFactory()
    paragraph = article.paragraphs.get(position=2)
    services.unit_text_save(
        unit=paragraph, language="en", text="Edited at the desk.", loaded_revision=1, user=author
    )
    before = row_counts()
    with pytest.raises(ArticleImportError) as refused:
        article_import(
            data=article_bytes(paragraphs=(PARAGRAPHS[0], replacement, *PARAGRAPHS[2:])),
            language="en",
        )
    assert "paragraph 2 has changes by another person" in refused.value.problem
    assert refused.value.line == line
    assert row_counts() == before
    assert article.paragraphs.get(position=2).text_en == "Edited at the desk."


# --- A translation made outside the desk ---------------------------------------

KAZAKH = tuple(f"[kk] {text}" for text in PARAGRAPHS)


def test_attaching_a_translation_fills_the_edition_and_publishes_it(imported):
    article, _report = imported
    data = article_bytes(
        title="Алматыда жаңа саябақ", paragraphs=KAZAKH, credits=("Translation by Dana Ali",)
    )
    report = article_import(data=data, language="kk", article_slug=article.slug, publish=True)
    assert (report.kind, report.added, report.changed, report.title_changed) == (
        "attached",
        5,
        0,
        True,
    )
    assert report.path == f"/kk/articles/{article.slug}/"
    paragraphs = list(article.paragraphs.order_by("position"))
    assert [p.text_kk for p in paragraphs] == list(KAZAKH)
    assert [p.source_revision_kk for p in paragraphs] == [p.revision_en for p in paragraphs]
    assert not any(p.is_outdated("kk", "en") for p in paragraphs)
    assert [p.text_en for p in paragraphs] == list(PARAGRAPHS)
    edition = article.editions.get(language="kk")
    assert edition.state == EditionState.APPROVED
    assert edition.live_version.title == "Алматыда жаңа саябақ"
    assert credit_names(edition.live_version, "translator") == ["Dana Ali"]
    entry = AuditEntry.objects.filter(edition=edition).latest("id")
    assert (entry.action, entry.edition) == ("translations.edition.import", edition)


def test_attaching_without_publish_leaves_a_draft(imported):
    article, _report = imported
    article_import(data=article_bytes(paragraphs=KAZAKH), language="kk", article_slug=article.slug)
    edition = article.editions.get(language="kk")
    assert (edition.state, edition.live_version) == (EditionState.IN_PROGRESS, None)
    assert article.paragraphs.get(position=1).text_kk == KAZAKH[0]


@pytest.mark.parametrize(
    ("paragraphs", "line"),
    [(KAZAKH[:4], None), ((*KAZAKH, "Бір артық абзац."), 15)],
    ids=["fewer", "more"],
)
def test_attaching_a_file_with_another_paragraph_count_is_refused(imported, paragraphs, line):
    article, _report = imported
    before = row_counts()
    with pytest.raises(ArticleImportError) as refused:
        article_import(
            data=article_bytes(paragraphs=paragraphs),
            language="kk",
            article_slug=article.slug,
            publish=True,
        )
    assert f"The file has {len(paragraphs)} paragraphs but the article" in refused.value.problem
    assert "has 5;" in refused.value.problem
    assert refused.value.line == line
    assert row_counts() == before


def test_attaching_to_an_unknown_article_is_refused(imported):
    before = row_counts()
    with pytest.raises(ArticleImportError, match="no article with the slug “nowhere”"):
        article_import(data=article_bytes(), language="kk", article_slug="nowhere")
    assert row_counts() == before


def test_attaching_over_a_translators_unpublished_work_is_refused(imported):
    article, _report = imported
    translate(article, "kk", user=UserFactory())
    before = row_counts()
    with pytest.raises(ArticleImportError, match="The kk text of the title has changes"):
        article_import(
            data=article_bytes(paragraphs=KAZAKH), language="kk", article_slug=article.slug
        )
    assert row_counts() == before


def test_attaching_over_published_work_makes_the_next_version(imported):
    article, _report = imported
    translator = UserFactory()
    translate(article, "kk", user=translator)
    services.version_go_live(
        version=services.version_snapshot(
            edition=services.edition_get_or_create(article=article, language="kk"), user=translator
        ),
        user=None,
        action="tests.publish",
    )
    revised = (*KAZAKH[:4], "Жаңа аударма.")
    report = article_import(
        data=article_bytes(paragraphs=revised),
        language="kk",
        article_slug=article.slug,
        publish=True,
    )
    assert (report.changed, report.unchanged, report.title_changed) == (1, 4, True)
    assert report.published_version == 2


def test_attaching_the_same_translation_again_publishes_nothing_new(imported):
    article, _report = imported
    data = article_bytes(paragraphs=KAZAKH)
    article_import(data=data, language="kk", article_slug=article.slug, publish=True)
    again = article_import(data=data, language="kk", article_slug=article.slug, publish=True)
    assert (again.unchanged, again.published_version, again.live_version) == (5, None, 1)


def test_reattaching_after_the_source_changed_brings_the_translation_up_to_date(imported):
    article, _report = imported
    article_import(data=article_bytes(paragraphs=KAZAKH), language="kk", article_slug=article.slug)
    edited = (*PARAGRAPHS[:4], "«Бұл барлық тұрғындарға арналған», — деді әкім.")
    article_import(data=article_bytes(paragraphs=edited), language="en")
    last = article.paragraphs.get(position=5)
    assert last.is_outdated("kk", "en")
    report = article_import(
        data=article_bytes(paragraphs=KAZAKH), language="kk", article_slug=article.slug
    )
    last.refresh_from_db()
    assert (report.changed, report.unchanged) == (1, 4)
    assert not last.is_outdated("kk", "en")


# --- Alignment -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (["a b c", "d e f"], ["a b c", "d e f"], [(0, 0, UNCHANGED), (1, 1, UNCHANGED)]),
        (["a b c", "d e f"], ["a b c", "d e g"], [(0, 0, UNCHANGED), (1, 1, CHANGED)]),
        (["a b c", "d e f"], ["x y z", "a b c", "d e f"],
         [(None, 0, ADDED), (0, 1, UNCHANGED), (1, 2, UNCHANGED)]),
        (["a b c", "d e f", "g h i"], ["a b c", "g h i"],
         [(0, 0, UNCHANGED), (1, None, REMOVED), (2, 1, UNCHANGED)]),
        (["a b c", "d e f", "g h i"], ["g h i", "a b c", "d e f"],
         [(2, 0, MOVED), (0, 1, UNCHANGED), (1, 2, UNCHANGED)]),
        (["a b c", "p q r s", "g h i"], ["a b c", "n e w", "p q r t", "g h i"],
         [(0, 0, UNCHANGED), (None, 1, ADDED), (1, 2, CHANGED), (2, 3, UNCHANGED)]),
        (["a b c", "p q r s", "g h i"], ["a b c", "w x y z", "g h i"],
         [(0, 0, UNCHANGED), (1, None, REMOVED), (None, 1, ADDED), (2, 2, UNCHANGED)]),
    ],
    ids=["same", "edited", "inserted", "removed", "moved", "inserted before edited", "rewritten"],
)  # fmt: skip
def test_paragraphs_align(old, new, expected):
    assert sorted(paragraphs_align(old, new), key=str) == sorted(expected, key=str)


# --- The command -----------------------------------------------------------------


def write(tmp_path, data, name="article.txt"):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_the_command_prints_the_slug_the_public_path_and_the_counts(seed_path):
    out = io.StringIO()
    call_command("import_article", str(seed_path), "--language", "en", "--publish", stdout=out)
    slug = "president-tokayev-addresses-people-of-kazakhstan"
    printed = out.getvalue()
    assert f"New article: {slug} (en)" in printed
    assert f"/en/articles/{slug}/" in printed
    assert "9 added, 0 changed, 0 removed, 0 unchanged" in printed
    assert "Published as version 1." in printed


def test_the_command_attaches_a_translation_with_article(tmp_path, imported):
    article, _report = imported
    path = write(tmp_path, article_bytes(paragraphs=KAZAKH))
    out = io.StringIO()
    call_command(
        "import_article", str(path), "--language", "kk", "--article", article.slug, stdout=out
    )
    assert f"Edition imported: {article.slug} (kk)" in out.getvalue()
    assert "Not published: a draft; the edition is In progress." in out.getvalue()


@pytest.mark.parametrize(
    ("data", "language", "message"),
    [
        (b"Title\n\n31.02.2022, 15:23\n\nP.\n", "en",
         "{path}, line 3: The dateline “31.02.2022, 15:23” is not a real date and time."),
        (TEXT_HEAD + b"Bin\x00ary\n", "en", "{path}, line 5: The file contains a NUL byte"),
        (b"", "en", "{path}: The file is empty."),
        (article_bytes(), "xx",
         "{path}: Unknown language “xx”; the configured languages are: kk, ru, en, kk-latn."),
    ],
    ids=["impossible date", "binary", "empty", "unknown language"],
)  # fmt: skip
def test_the_command_refuses_bad_input_in_one_line_and_writes_nothing(
    tmp_path, imported, data, language, message
):
    path = write(tmp_path, data)
    before = row_counts()
    with pytest.raises(CommandError) as refused:
        call_command("import_article", str(path), "--language", language, "--publish")
    assert str(refused.value).startswith(message.format(path=path))
    assert "\n" not in str(refused.value)
    assert row_counts() == before


def test_the_command_names_a_file_it_cannot_read(tmp_path):
    with pytest.raises(CommandError, match="missing.txt: No such file"):
        call_command("import_article", str(tmp_path / "missing.txt"), "--language", "en")


@pytest.mark.parametrize(
    ("data", "status"), [(article_bytes(), 0), (b"Title\n\nsoon\n\nP.\n", 1)], ids=["good", "bad"]
)
def test_the_command_exit_status(tmp_path, capsys, monkeypatch, data, status):
    path = write(tmp_path, data)
    # run_from_argv closes the connections when done, which would end the test's transaction.
    monkeypatch.setattr("django.core.management.base.connections.close_all", lambda: None)
    command = load_command_class("translations", "import_article")
    try:
        command.run_from_argv(["manage.py", "import_article", str(path), "--language", "en"])
        code = 0
    except SystemExit as exit:
        code = exit.code
    assert code == status
    if status:
        assert capsys.readouterr().err.strip() == (
            f"CommandError: {path}, line 3: Unreadable dateline “soon”: expected DD.MM.YYYY, HH:MM."
        )


def test_the_command_run_by_manage_py_exits_non_zero_on_bad_input(tmp_path):
    path = write(tmp_path, b"Title\n\n31.02.2022, 15:23\n\nP.\n")
    result = subprocess.run(
        [sys.executable, "manage.py", "import_article", str(path), "--language", "en"],
        cwd=ROOT,
        env=os.environ,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.strip().splitlines() == [
        f"CommandError: {path}, line 3: "
        "The dateline “31.02.2022, 15:23” is not a real date and time."
    ]


# --- Queries ---------------------------------------------------------------------


def queries_to_import(paragraph_count):
    paragraphs = [f"Paragraph {n} of a long article, long enough." for n in range(paragraph_count)]
    data = article_bytes(title=f"An article of {paragraph_count}", paragraphs=paragraphs)
    counts = []
    for _attempt in ("new", "again"):
        with CaptureQueriesContext(connection) as queries:
            article_import(data=data, language="en")
        counts.append(len(queries))
    return counts


def test_the_number_of_queries_does_not_grow_with_the_article():
    assert queries_to_import(3) == queries_to_import(120)


# --- Concurrency -------------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_imports_of_one_new_file_at_once_make_one_article():
    data = article_bytes()
    barrier = threading.Barrier(2)
    outcomes = []

    def run():
        try:
            barrier.wait()
            outcomes.append(article_import(data=data, language="en").kind)
        except ArticleImportError as refused:
            outcomes.append(refused.problem)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert Article.objects.count() == 1
    assert Paragraph.objects.count() == len(PARAGRAPHS)
    assert sorted(outcomes) == ["created", "updated"]


def test_a_reimport_writes_positions_and_texts_in_batches_all_the_same(imported, monkeypatch):
    from translations.importing import service

    # Batches of two rows: the five paragraphs move down and three change, in several
    # UPDATE statements, with the same result as one.
    monkeypatch.setattr(service, "UPDATE_BATCH", 2)
    article, _report = imported
    keys = list(article.paragraphs.order_by("position").values_list("key", flat=True))
    changed = [f"{text} Updated." if n % 2 == 0 else text for n, text in enumerate(PARAGRAPHS)]
    new = ("A first paragraph.", "A second one.", *changed)
    report = article_import(data=article_bytes(paragraphs=new), language="en")
    assert (report.added, report.changed, report.unchanged) == (2, 3, 2)
    rows = list(article.paragraphs.order_by("position").values_list("key", "position", "text_en"))
    expected = zip(range(3, 8), keys, changed, strict=True)
    assert rows[2:] == [(key, position, text) for position, key, text in expected]
