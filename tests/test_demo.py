"""``load_demo``: refused without DEBUG; with it, the desk in every state."""

import os
import re
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.urls import reverse

from reviews.models import Assignment, Review, ReviewState
from translations.models import (
    Article,
    AuditEntry,
    Contributor,
    Credit,
    Edition,
    EditionState,
    Version,
)

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent


def load_demo():
    out = StringIO()
    with override_settings(DEBUG=True):
        call_command("load_demo", stdout=out)
    return out.getvalue()


def passwords_in(output):
    return dict(re.findall(r"^  (\w+) +(demo-\S+)", output, re.MULTILINE))


def test_load_demo_refuses_to_run_with_debug_off():
    with override_settings(DEBUG=False), pytest.raises(CommandError, match="only with DEBUG on"):
        call_command("load_demo", stdout=StringIO())
    assert not Article.objects.exists()
    assert not get_user_model().objects.exists()


def test_load_demo_exits_non_zero_with_debug_off():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.test_settings", "DEBUG": "0"}
    result = subprocess.run(
        [sys.executable, "manage.py", "load_demo"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "load_demo runs only with DEBUG on" in result.stderr


def test_the_demo_has_editions_in_every_state():
    load_demo()
    states = set(Edition.objects.values_list("state", flat=True))
    assert states == set(EditionState.values)
    # A correction in progress on an approved edition: reopened, still public.
    reopened = Edition.objects.get(
        state=EditionState.IN_PROGRESS, live_version__isnull=False, language="ru"
    )
    assert AuditEntry.objects.filter(action="reviews.edition.reopen", edition=reopened).exists()
    # Waiting in the pool: nobody assigned, nothing written.
    pool = Edition.objects.get(state=EditionState.NOT_STARTED)
    assert not Assignment.objects.filter(edition=pool).exists()
    # The Kazakh grain-harvest translation, and the chess article's Latin-script
    # edition derived from its Kazakh source.
    open_reviews = Review.objects.filter(state=ReviewState.OPEN)
    assert sorted(open_reviews.values_list("edition__language", flat=True)) == ["kk", "kk-latn"]
    assert Review.objects.filter(state=ReviewState.CHANGES_REQUESTED).count() == 1
    assert Edition.objects.filter(deadline__isnull=False).exists()


def test_the_sent_back_edition_shows_its_translator_what_to_fix(client):
    load_demo()
    sent_back = Edition.objects.get(state=EditionState.CHANGES_REQUESTED)
    client.force_login(get_user_model().objects.get(username="translator"))
    page = client.get(
        reverse("admin:translations_edition_editor", args=[sent_back.pk])
    ).content.decode()
    assert "Give the yield in tonnes per hectare too" in page  # the decision's comment
    thread = page[page.index('class="editor-thread"') :]
    assert "12.7 centners per hectare (1.27 tonnes)" in thread  # pinned to its paragraph


def test_the_demo_has_public_approved_editions_with_credits(client):
    load_demo()
    tram = Article.objects.get(source_language="en")
    approved = Edition.objects.filter(article=tram, live_version__isnull=False)
    assert set(approved.values_list("language", flat=True)) == {"en", "kk", "ru", "kk-latn"}
    kk = approved.get(language="kk")
    assert set(kk.live_version.credits.values_list("role", flat=True)) == {"translator", "editor"}
    for language in ("en", "kk", "ru"):
        response = client.get(f"/{language}/articles/{tram.slug}/")
        assert response.status_code == 200
    page = client.get(f"/kk/articles/{tram.slug}/").content.decode()
    assert "Павлодарда өзен портына дейін трамвай желісі ашылды" in page
    assert "Сәуле Нұрпейісова" in page  # the translator, spelled in Kazakh
    # The Latin-script edition derived from the Kazakh one, approved by another editor.
    latin = approved.get(language="kk-latn")
    assert latin.live_version.approved_by.username == "editor2"
    page = client.get(f"/kk-latn/articles/{tram.slug}/").content.decode()
    assert "Pavlodarda özen portyna deiın tramvai jelısı aşyldy" in page
    assert "Säule Nūrpeiısova" in page  # the translator, transliterated
    # The reopened Russian edition still shows what was approved, not the correction.
    page = client.get(f"/ru/articles/{tram.slug}/").content.decode()
    assert "областного отдела транспорта" in page
    assert "городского отдела транспорта" not in page


def test_the_demo_accounts_exist_with_their_roles_and_printed_passwords():
    output = load_demo()
    passwords = passwords_in(output)
    assert set(passwords) == {"admin", "editor", "editor2", "translator", "translator2"}
    users = {user.username: user for user in get_user_model().objects.all()}
    for username, password in passwords.items():
        assert users[username].check_password(password)
        assert users[username].is_staff
    assert users["admin"].is_superuser
    assert set(users["editor"].groups.values_list("name", flat=True)) == {"Editors"}
    translator = users["translator"]
    assert set(translator.groups.values_list("name", flat=True)) == {"Translators"}
    assert {("en", "kk"), ("ru", "kk"), ("kk", "ru")} <= set(
        translator.language_pairs.values_list("source_language", "target_language")
    )


def test_running_load_demo_again_adds_nothing_and_renews_the_passwords():
    first = passwords_in(load_demo())
    models = (Article, Edition, Version, Credit, AuditEntry, Contributor, Assignment, Review)
    counts = {model: model.objects.count() for model in models}
    output = load_demo()
    assert {model: model.objects.count() for model in models} == counts
    assert get_user_model().objects.count() == 5
    assert "already there, left as it is" in output
    second = passwords_in(output)
    assert second.keys() == first.keys() and second != first
    assert get_user_model().objects.get(username="editor").check_password(second["editor"])


def test_two_demo_accounts_have_the_desk_in_russian_and_in_kazakh():
    from reviews.preferences import desk_language_get

    load_demo()
    users = {user.username: user for user in get_user_model().objects.all()}
    assert desk_language_get(user=users["translator2"]) == "ru"
    assert desk_language_get(user=users["editor2"]) == "kk"
    assert desk_language_get(user=users["translator"]) is None  # follows the browser
