"""The demo's breaking story, pre-translated with the offline provider, confirmed, submitted."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import override_settings

from reviews import services
from reviews.models import MachineDraft
from reviews.services.machine import edition_pretranslate, machine_confirm
from tests.worker import tasks_run_due
from translations.models import Article, Edition, EditionState, Priority

pytestmark = pytest.mark.django_db


def test_the_breaking_story_is_pretranslated_offline_confirmed_and_submitted(settings):
    settings.TILMASH_MT = {}  # the default: the offline provider, memory and glossary
    out = StringIO()
    with override_settings(DEBUG=True):
        call_command("load_demo", stdout=out)
    assert "Pre-translate" in out.getvalue()
    people = get_user_model().objects.in_bulk(["editor", "translator2"], field_name="username")
    edition = Edition.objects.select_related("article").get(priority=Priority.BREAKING)
    article = edition.article
    assert (article.source_language, edition.language) == ("kk", "ru")
    language = edition.language
    units = [article, *article.paragraphs.order_by("position")]
    untranslated = [u for u in units if not u.text_in(language).strip()]
    assert untranslated  # half done: the machine has work

    edition_pretranslate(edition=edition, user=people["editor"])
    tasks_run_due()  # as the demo's worker would
    run = edition.pretranslations.get()
    assert (run.state, run.done, run.failed) == ("done", len(untranslated), 0)
    units = [Article.objects.get(pk=article.pk), *article.paragraphs.order_by("position")]
    assert all(u.text_in(language).strip() for u in units)
    assert MachineDraft.objects.filter(edition=edition).count() == len(untranslated)

    translator = people["translator2"]
    with pytest.raises(ValidationError, match="machine"):
        services.version_submit(edition=Edition.objects.get(pk=edition.pk), user=translator)
    keys = MachineDraft.objects.filter(edition=edition).values_list("unit_key", flat=True)
    machine_confirm(edition=edition, user=translator, keys=list(keys))
    try:
        services.version_submit(edition=Edition.objects.get(pk=edition.pk), user=translator)
    except ValidationError as refused:
        # Only the QA checks may still stand in the way: never the machine marks.
        assert not any("machine" in m for m in refused.messages)
    else:
        assert Edition.objects.get(pk=edition.pk).state == EditionState.IN_REVIEW
