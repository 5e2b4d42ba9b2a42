"""Mail goes out in each recipient's desk language, with a link to its page."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from reviews import services
from reviews.preferences import desk_language_set
from tests.factories import article_with_paragraphs, assign, editor, publish, translator
from translations.models import EditionState
from translations.services import edition_get_or_create

from .helpers import submitted

pytestmark = pytest.mark.django_db

SITE = "https://desk.example.kz"
# 14:05 in Almaty on 7 December 2026, written as each language writes a date.
DEADLINE = datetime.datetime(2026, 12, 7, 9, 5, tzinfo=datetime.UTC)
DEADLINE_IN = {
    "kk": "7 Желтоқсан 2026 ж. 14:05",  # formats/kk: Django ships no Kazakh formats
    "ru": "7 декабря 2026 г. 14:05",
    "en": "Dec. 7, 2026, 2:05 p.m.",
}


@pytest.fixture(autouse=True)
def site(settings):
    settings.TILMASH_SITE_URL = SITE


@pytest.fixture
def desk():
    article = article_with_paragraphs(count=2)
    publish(article, "en")
    edition = edition_get_or_create(article=article, language="kk")
    people = {code: translator(f"t_{code}") for code in ("kk", "ru", "en")}
    for code, person in people.items():
        desk_language_set(user=person, language=code)
    return edition, people, editor("erin")


def editor_path(edition):
    return reverse("admin:translations_edition_editor", args=[edition.pk])


def review_path(version):
    return reverse("admin:reviews_version_review", args=[version.pk])


def mail_to(user):
    (message,) = [m for m in mail.outbox if user.email in m.to]
    return message


def test_an_assignment_reaches_each_assignee_in_their_language(
    desk, django_capture_on_commit_callbacks
):
    edition, people, erin = desk
    with django_capture_on_commit_callbacks(execute=True):
        services.edition_assign(
            edition=edition, users=list(people.values()), by=erin, deadline=DEADLINE
        )
    assert len(mail.outbox) == 3  # one mail per language, each to its own people
    for code, person in people.items():
        message = mail_to(person)
        assert message.to == [person.email]
        assert DEADLINE_IN[code] in message.body, code
        assert message.body.endswith(SITE + editor_path(edition))


def test_who_chose_no_language_gets_mail_in_the_sites_language(
    desk, settings, django_capture_on_commit_callbacks
):
    edition, _people, erin = desk
    newcomer = translator("newcomer")
    with django_capture_on_commit_callbacks(execute=True):
        services.edition_assign(edition=edition, users=[newcomer], by=erin, deadline=DEADLINE)
    assert settings.LANGUAGE_CODE == "en"
    assert DEADLINE_IN["en"] in mail_to(newcomer).body


def test_a_submission_links_the_editors_to_the_version(desk, django_capture_on_commit_callbacks):
    edition, people, erin = desk
    assign(edition, people["ru"])
    with django_capture_on_commit_callbacks(execute=True):
        version = submitted(people["ru"], edition)
    message = mail_to(erin)
    assert message.body.endswith(SITE + review_path(version))


def test_a_decision_links_the_translators_to_the_edition_or_the_version(
    desk, django_capture_on_commit_callbacks
):
    edition, people, erin = desk
    assign(edition, people["kk"], people["ru"])
    version = submitted(people["kk"], edition)
    with django_capture_on_commit_callbacks(execute=True):
        services.version_request_changes(version=version, user=erin, comment="Check p2.")
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [people["kk"].email, people["ru"].email]
    )  # the writer is one of the assignees, and hears once
    for message in mail.outbox:
        assert message.body.endswith(SITE + editor_path(edition))
    mail.outbox.clear()
    edition.refresh_from_db()
    version = submitted(people["kk"], edition)
    with django_capture_on_commit_callbacks(execute=True):
        services.version_approve(version=version, user=erin)
    assert mail.outbox
    for message in mail.outbox:
        assert message.body.endswith(SITE + review_path(version))


def test_a_source_change_reaches_each_translator_in_their_language(
    desk, django_capture_on_commit_callbacks
):
    edition, people, erin = desk
    assign(edition, people["kk"], people["ru"])
    article = edition.article
    source = edition_get_or_create(article=article, language="en")
    source.state = EditionState.IN_PROGRESS
    source.save()
    rows = [
        services.RowInput(key=p.key, text=f"New {p.key}", revision=p.revision_en)
        for p in article.paragraphs.all()
    ]
    with django_capture_on_commit_callbacks(execute=True):
        services.units_save(edition=source, user=erin, rows=rows)
    assert sorted(m.to for m in mail.outbox) == sorted([[people["kk"].email], [people["ru"].email]])
    for message in mail.outbox:
        assert message.body.endswith(SITE + editor_path(edition))


def test_the_site_url_defaults_to_the_first_allowed_host():
    import os
    import subprocess
    import sys

    code = "from django.conf import settings; print(settings.TILMASH_SITE_URL)"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "0",
        "SECRET_KEY": "x" * 50,
        "ALLOWED_HOSTS": "news.example.kz,www.news.example.kz",
        "HTTPS": "1",
    }
    env.pop("TILMASH_SITE_URL", None)
    out = subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); " + code],
        env=env, capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    assert out == "https://news.example.kz"


def test_kazakh_numbers_have_a_decimal_comma_and_spaced_thousands():
    from django.utils import formats, translation

    with translation.override("kk"):
        assert formats.number_format(1234567.5, 1, force_grouping=True) == "1\xa0234\xa0567,5"
        assert formats.date_format(timezone.localtime(DEADLINE)) == "7 Желтоқсан 2026 ж."
