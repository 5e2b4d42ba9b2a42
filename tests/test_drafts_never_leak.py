"""Drafts never leak: random runs of the whole workflow, checked after every step.

A stateful property test: edits, source edits, submissions, withdrawals,
requests for changes, approvals and reopenings in any order. After each step
every public surface (article page, list, feed, sitemap, search) of every language
must show exactly the text of the latest approved version of that language,
and no other text ever written.
"""

import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.test import Client, override_settings
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from reviews import services
from reviews.models import Review, ReviewState
from tests.factories import article_with_paragraphs, assign, editor, publish, translator
from translations.models import Edition
from translations.services import edition_get_or_create

# kk-latn is also derived from every Kazakh approval (TILMASH_DERIVE_EDITIONS).
LANGUAGES = ["en", "kk", "ru", "kk-latn"]
TOKEN = re.compile(r"tok[a-j]+z")  # letters only: QA checks compare numbers
REFUSED = (PermissionDenied, ValidationError)


class DeskMachine(RuleBasedStateMachine):
    approvals = 0  # across all runs: proves the runs reach the interesting states

    def __init__(self):
        super().__init__()
        self._atomic = transaction.atomic()
        self._atomic.__enter__()
        self.counter = 0
        self.article = article_with_paragraphs(
            texts=[self.token(), self.token()], title=self.token()
        )
        publish(self.article, "en")
        self.author = translator("author", pairs=[])
        self.translator = translator("tr", pairs=[("en", "kk"), ("en", "ru")])
        self.editors = [editor("ed1"), editor("ed2")]
        self.editions = {
            lang: edition_get_or_create(article=self.article, language=lang) for lang in LANGUAGES
        }
        assign(self.editions["en"], self.author)
        assign(self.editions["kk"], self.translator)
        assign(self.editions["ru"], self.translator)
        assign(self.editions["kk-latn"], self.translator)
        source = self.editions["en"]
        source.refresh_from_db()
        self.live = {"en": self.tokens_of(source.live_version)}
        self.client = Client()
        self.steps = 0

    def teardown(self):
        transaction.set_rollback(True)
        self._atomic.__exit__(None, None, None)

    def token(self):
        self.counter += 1
        return "tok" + "".join("abcdefghij"[int(d)] for d in str(self.counter)) + "z"

    @staticmethod
    def tokens_of(version):
        return set(TOKEN.findall(" ".join(unit["text"] for unit in version.units)))

    def writer(self, language):
        return self.author if language == "en" else self.translator

    def edition(self, language):
        return Edition.objects.select_related("article").get(pk=self.editions[language].pk)

    def open_version(self, language):
        review = Review.objects.filter(
            edition=self.editions[language], state=ReviewState.OPEN
        ).first()
        return review.version if review else None

    # --- Moves -------------------------------------------------------------------

    @rule(language=st.sampled_from(LANGUAGES), everything=st.booleans(), index=st.integers(0, 2))
    def edit(self, language, everything, index):
        edition = self.edition(language)
        article = edition.article
        units = [article, *article.paragraphs.order_by("position")]
        chosen = units if everything else [units[index]]
        rows = [
            services.RowInput(
                key="title" if unit is article else unit.key,
                text=f"{self.token()} <b>&amp;",
                revision=unit.revision_in(language),
            )
            for unit in chosen
        ]
        try:
            services.units_save(edition=edition, user=self.writer(language), rows=rows)
        except REFUSED:
            pass

    @rule(language=st.sampled_from(LANGUAGES), who=st.integers(0, 1))
    def translate_submit_approve(self, language, who):
        """The whole round in one step, so that runs reach approvals often."""
        self.reopen(language)
        self.edit(language, everything=True, index=0)
        self.submit(language)
        self.approve(language, who)

    @rule(language=st.sampled_from(LANGUAGES))
    def submit(self, language):
        try:
            services.version_submit(edition=self.edition(language), user=self.writer(language))
        except REFUSED:
            pass

    @rule(language=st.sampled_from(LANGUAGES))
    def withdraw(self, language):
        version = self.open_version(language)
        if version:
            services.version_withdraw(version=version, user=self.writer(language))

    @rule(language=st.sampled_from(LANGUAGES), who=st.integers(0, 1))
    def request_changes(self, language, who):
        version = self.open_version(language)
        if version:
            services.version_request_changes(version=version, user=self.editors[who], comment="No.")

    @rule(language=st.sampled_from(LANGUAGES), who=st.integers(0, 1))
    def approve(self, language, who):
        version = self.open_version(language)
        if version:
            try:
                services.version_approve(version=version, user=self.editors[who])
            except PermissionDenied:  # four eyes: this editor derived text in it
                return
            DeskMachine.approvals += 1
            self.live[language] = self.tokens_of(version)

    @rule(language=st.sampled_from(LANGUAGES))
    def reopen(self, language):
        try:
            services.edition_reopen(edition=self.edition(language), user=self.writer(language))
        except REFUSED:
            pass

    # --- What the public sees ------------------------------------------------------

    def tokens_at(self, path, expected_status=200):
        response = self.client.get(path)
        assert response.status_code == expected_status, path
        return set(TOKEN.findall(response.content.decode())), response

    def search_finds_only_live_text(self, slug):
        """The newest words written (drafts, most often) and a live one, searched in
        every language: the article is found exactly where the word is live."""
        newest = {f"tok{''.join('abcdefghij'[int(d)] for d in str(n))}z"
                  for n in range(max(1, self.counter - 1), self.counter + 1)}  # fmt: skip
        for language in LANGUAGES:
            live = self.live.get(language, set())
            for word in newest | set(sorted(live)[:1]):
                page = self.client.get(f"/{language}/search/?q={word}").content.decode()
                found = f"/{language}/articles/{slug}/" in page
                assert found == (word in live), (language, word, live)

    @invariant()
    def public_pages_show_only_the_latest_approved_text(self):
        slug = self.article.slug
        for language in LANGUAGES:
            live = self.live.get(language)
            page = f"/{language}/articles/{slug}/"
            if live is None:
                self.tokens_at(page, expected_status=404)
                listed, _ = self.tokens_at(f"/{language}/")
                assert not listed
                continue
            shown, response = self.tokens_at(page)
            assert shown == live, (language, shown, live)
            assert b"<b>&amp;amp;" not in response.content  # escaped once, never raw
            listed, _ = self.tokens_at(f"/{language}/")
            assert listed <= live
            fed, _ = self.tokens_at(f"/{language}/feed/")
            assert fed <= live
        self.search_finds_only_live_text(slug)
        index = self.client.get("/sitemap.xml").content.decode()
        sitemap = "".join(
            self.client.get(section.removeprefix("http://testserver")).content.decode()
            for section in re.findall(r"<loc>([^<]*)</loc>", index)
        )
        for language in LANGUAGES:
            listed = f"/{language}/articles/{slug}/" in sitemap
            assert listed == (language in self.live), language


@pytest.mark.django_db
@override_settings(TILMASH_DERIVE_EDITIONS=True)
def test_drafts_never_leak():
    run_state_machine_as_test(
        DeskMachine,
        settings=settings(
            max_examples=10,
            stateful_step_count=15,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
        ),
    )
    assert DeskMachine.approvals > 0
