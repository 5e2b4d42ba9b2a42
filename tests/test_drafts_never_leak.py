"""Drafts never leak: random runs of the whole workflow, checked after every step.

A stateful property test: edits, source edits, submissions, withdrawals,
requests for changes, approvals and reopenings in any order; the lifecycle:
embargoes set and lifted (an edition's, the whole article's), the clock passing
them, withdrawal and reinstatement; and corrections and running updates
(opened, their public notes written, approved). After each step every public
surface (article page, language switcher, list, feed (leads, and full
text), sitemap, search,
corrections log, the REST API's edition and list) of every language must show
exactly what a reader may see at that moment: the text and the notes of the
latest approved version of each language that is public now (no embargo
running, not withdrawn), and no other text ever written (the corrections log
of a language not public now lists none of the article's notes); a
translation says it follows its source exactly while a source change approved
after its live version was made is still to follow, and a derived language
(kk-latn) never says so.
"""

import datetime
import json
import re
from unittest import mock
from xml.etree import ElementTree

import pytest
from django.apps import apps
from django.conf import settings as settings_module
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.test import Client, override_settings
from django.utils import timezone
from django.utils.translation import to_locale
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from reviews import services
from reviews.models import Review, ReviewState
from tests.factories import article_with_paragraphs, assign, editor, publish, translator
from tests.lifecycle_helpers import senior_editor
from translations.models import Edition, Version, VersionKind
from translations.services import edition_get_or_create

# kk-latn is also derived from every Kazakh approval (TILMASH_DERIVE_EDITIONS).
LANGUAGES = ["en", "kk", "ru", "kk-latn"]
TOKEN = re.compile(r"tok[a-j]+z")  # letters only: QA checks compare numbers
REFUSED = (PermissionDenied, ValidationError)
LD_JSON = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"


class DeskMachine(RuleBasedStateMachine):
    approvals = 0  # across all runs: proves the runs reach the interesting states
    lifecycle_seen = set()  # the same for the lifecycle (seen by the invariant)
    noted = 0  # approvals of updates and corrections, across all runs

    def __init__(self):
        super().__init__()
        self._atomic = transaction.atomic()
        self._atomic.__enter__()
        # The machine's clock: every ``timezone.now()`` answers it; a rule moves it. Each
        # reading also moves it a microsecond, as a real clock does, so that no two
        # events share an instant (the model orders approvals and versions by time).
        self.now = timezone.now()
        self._clocks = [mock.patch.object(timezone, "now", side_effect=self.tick)]
        # Fields defaulting to ``timezone.now`` (``Version.created_at``) hold the function
        # itself: they read the machine's clock too.
        self._clocks += [
            mock.patch.object(field, "_get_default", self.tick)
            for model in apps.get_models()
            for field in model._meta.concrete_fields
            if field.default is timezone.now
        ]
        for clock in self._clocks:
            clock.start()
        self.embargo = {"article": None, **dict.fromkeys(LANGUAGES)}
        self.withdrawn = False
        self.counter = 0
        # Dated now, so that the Google News sitemap lists it while it is news.
        self.article = article_with_paragraphs(
            texts=[self.token(), self.token()], title=self.token(), dateline=self.now
        )
        publish(self.article, "en")
        self.author = translator("author", pairs=[])
        self.translator = translator("tr", pairs=[("en", "kk"), ("en", "ru")])
        self.editors = [editor("ed1"), editor("ed2")]
        self.senior = senior_editor("senior")
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
        self.notes = {}  # language → the note tokens its page shows
        self.client = Client()
        self.steps = 0

    def tick(self):
        self.now += datetime.timedelta(microseconds=1)
        return self.now

    def teardown(self):
        for clock in self._clocks:
            clock.stop()
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
        self.write_note(language)
        self.submit(language)
        self.approve(language, who)

    @rule(language=st.sampled_from(LANGUAGES), who=st.integers(0, 1))
    def correct_submit_approve(self, language, who):
        """A whole correction in one step: opened by one editor, approved by either."""
        self.open_correction(language, who)
        self.edit(language, everything=False, index=1)
        self.write_note(language)
        self.submit(language)
        self.approve(language, 1 - who)

    @rule(who=st.integers(0, 1))
    def update_submit_approve(self, who):
        self.open_update()
        self.edit("en", everything=False, index=2)
        self.submit("en")
        self.approve("en", who)

    @rule(language=st.sampled_from(LANGUAGES), who=st.integers(0, 1))
    def open_correction(self, language, who):
        try:
            services.correction_open(
                edition=self.edition(language), user=self.editors[who], note=f"{self.token()} c"
            )
        except REFUSED:
            pass

    @rule()
    def open_update(self):
        try:
            services.update_open(
                edition=self.edition("en"), user=self.author, note=f"{self.token()} u"
            )
        except REFUSED:
            pass

    @rule(language=st.sampled_from(LANGUAGES))
    def write_note(self, language):
        try:
            services.edition_note_save(
                edition=self.edition(language), user=self.writer(language), note=self.token()
            )
        except REFUSED:
            pass

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
            self.notes[language] = self.approved_note_tokens(language, version)
            if version.kind != VersionKind.STANDARD:
                DeskMachine.noted += 1

    def approved_note_tokens(self, language, live):
        """What the page shows of notes, from the approved versions up to ``live``: every
        correction's note, and the latest update's advisory line."""
        approved = Version.objects.filter(
            edition=self.editions[language], approved_at__isnull=False, number__lte=live.number
        ).order_by("-approved_at", "-number")  # the clock may stand still between approvals
        notes = [v.public_note for v in approved if v.kind == VersionKind.CORRECTION]
        notes += [v.public_note for v in approved if v.kind == VersionKind.UPDATE][:1]
        return set(TOKEN.findall(" ".join(notes)))

    def follow_expected(self, language):
        """Whether ``language``'s page must say the source changed and it follows: never
        for a derived language (no one translates it; it is derived again instead)."""
        if language in settings_module.TILMASH_DERIVED_LANGUAGES:
            return False
        editions = self.editions
        versions = Version.objects.filter(approved_at__isnull=False)
        live = Edition.objects.get(pk=editions[language].pk).live_version
        first_live = versions.filter(edition=editions[language]).order_by("approved_at").first()
        return (
            versions.filter(edition=editions["en"], approved_at__gt=live.created_at)
            .filter(approved_at__gt=first_live.approved_at)
            .exclude(kind=VersionKind.STANDARD)
            .exists()
        )

    @rule(language=st.sampled_from(LANGUAGES))
    def reopen(self, language):
        try:
            services.edition_reopen(edition=self.edition(language), user=self.writer(language))
        except REFUSED:
            pass

    # --- The lifecycle ---------------------------------------------------------------

    @rule(where=st.sampled_from(["article", *LANGUAGES]), minutes=st.integers(1, 180))
    def set_embargo(self, where, minutes):
        until = self.now + datetime.timedelta(minutes=minutes)
        services.embargo_set(
            edition=self.edition("en" if where == "article" else where),
            user=self.editors[0],
            until=until,
            whole_article=where == "article",
        )
        self.embargo[where] = until

    @rule(where=st.sampled_from(["article", "en"]), minutes=st.integers(1, 120),
          passing=st.integers(0, 180))  # fmt: skip
    def embargo_then_time_passes(self, where, minutes, passing):
        """The English edition (live from the start) or the article embargoed, and the
        clock moved before or past its end: runs reach both sides of it often."""
        self.set_embargo(where, minutes)
        self.clock_passes(passing)

    @rule(where=st.sampled_from(["article", *LANGUAGES]))
    def lift_embargo(self, where):
        try:
            services.embargo_lift(
                edition=self.edition("en" if where == "article" else where),
                user=self.editors[1],
                whole_article=where == "article",
            )
        except REFUSED:
            assert self.embargo[where] is None
        self.embargo[where] = None

    @rule(minutes=st.integers(0, 200))
    def clock_passes(self, minutes):
        self.now += datetime.timedelta(minutes=minutes)

    @rule()
    def withdraw_article(self):
        try:
            services.article_withdraw(edition=self.edition("kk"), user=self.senior, reason="Legal.")
        except REFUSED:
            assert self.withdrawn
        self.withdrawn = True

    @rule()
    def reinstate_article(self):
        try:
            services.article_reinstate(edition=self.edition("ru"), user=self.senior)
        except REFUSED:
            assert not self.withdrawn
        self.withdrawn = False

    def embargo_over(self, language):
        return all(
            until is None or until <= self.now
            for until in (self.embargo["article"], self.embargo[language])
        )

    def visible(self):
        """What a reader may see now: each public language's live tokens."""
        if self.withdrawn:
            return {}
        return {
            language: tokens
            for language, tokens in self.live.items()
            if self.embargo_over(language)
        }

    # --- What the public sees ------------------------------------------------------

    def tokens_at(self, path, expected_status=200):
        response = self.client.get(path)
        assert response.status_code == expected_status, path
        return set(TOKEN.findall(response.content.decode())), response

    def fed(self, language):
        """The feed's tokens, and whether it gave full text: every other check
        reads it with TILMASH_FEED_FULL_TEXT on (the whole live text, nothing
        else), the others with leads only, so each step costs one request."""
        self.feed_reads = getattr(self, "feed_reads", 0) + 1
        full = self.feed_reads % 2 == 0
        with override_settings(TILMASH_FEED_FULL_TEXT=full):
            fed, _ = self.tokens_at(f"/{language}/feed/")
        return fed, full

    def search_finds_only_live_text(self, slug):
        """The newest words written (drafts, most often) and a live one, searched in
        every language: the article is found exactly where the word is live."""
        newest = {f"tok{''.join('abcdefghij'[int(d)] for d in str(n))}z"
                  for n in range(max(1, self.counter - 1), self.counter + 1)}  # fmt: skip
        visible = self.visible()
        for language in LANGUAGES:
            live = visible.get(language, set())
            for word in newest | set(sorted(self.live.get(language, set()))[:1]):
                page = self.client.get(f"/{language}/search/?q={word}").content.decode()
                found = f"/{language}/articles/{slug}/" in page
                assert found == (word in live), (language, word, live)

    def api_shows(self, language, slug, live, visible):
        """The REST API's edition and list show what the page shows, and name the same
        public languages."""
        shown, response = self.tokens_at(f"/api/v1/editions/{language}/{slug}")
        notes = self.notes.get(language, set())
        assert shown == live | notes, (language, shown, live, notes)
        named = {link["language"] for link in response.json()["languages"]}
        assert named == set(visible), (language, named)
        listed, _ = self.tokens_at(f"/api/v1/editions/{language}")
        assert listed <= live

    @invariant()
    def public_pages_show_only_the_latest_approved_text(self):
        slug = self.article.slug
        visible = self.visible()
        for language in LANGUAGES:
            live = visible.get(language)
            page = f"/{language}/articles/{slug}/"
            if live is None:
                gone = self.withdrawn and language in self.live and self.embargo_over(language)
                shown, _ = self.tokens_at(page, expected_status=410 if gone else 404)
                assert not shown
                listed, _ = self.tokens_at(f"/{language}/")
                assert not listed
                fed, _full = self.fed(language)
                assert not fed
                logged, _ = self.tokens_at(f"/{language}/corrections/")
                assert not logged, language
                shown, _ = self.tokens_at(
                    f"/api/v1/editions/{language}/{slug}", expected_status=410 if gone else 404
                )
                assert not shown
                listed, _ = self.tokens_at(f"/api/v1/editions/{language}")
                assert not listed
                continue
            self.api_shows(language, slug, live, visible)
            shown, response = self.tokens_at(page)
            notes = self.notes.get(language, set()) if language in visible else set()
            assert shown == live | notes, (language, shown, live, notes)
            # The switcher and hreflang name exactly the other public languages.
            for other in LANGUAGES:
                named = f"/{other}/articles/{slug}/" in response.content.decode()
                assert named == (other in visible), (language, other)
            assert b"<b>&amp;amp;" not in response.content  # escaped once, never raw
            self.structured_data_shows_only_what_is_public(language, response, visible)
            follows = b"story__follows" in response.content
            assert follows == (language != "en" and self.follow_expected(language)), language
            logged, _ = self.tokens_at(f"/{language}/corrections/")
            corrected = Version.objects.filter(
                edition=self.editions[language], kind=VersionKind.CORRECTION,
                approved_at__isnull=False,
            )  # fmt: skip
            # Each entry: the note, under the title the edition shows now.
            title = Edition.objects.get(pk=self.editions[language].pk).live_version.title
            listed = " ".join([title] * bool(corrected) + [v.public_note for v in corrected])
            assert logged == set(TOKEN.findall(listed)), language
            listed, _ = self.tokens_at(f"/{language}/")
            assert listed <= live
            fed, full = self.fed(language)
            assert fed == live if full else fed <= live, (language, full)
        self.search_finds_only_live_text(slug)
        for language in self.live:
            if any(self.embargo[where] for where in ("article", language)):
                over = self.embargo_over(language)
                DeskMachine.lifecycle_seen.add("embargo over" if over else "embargoed")
        if self.withdrawn and self.live:
            DeskMachine.lifecycle_seen.add("withdrawn")
        index = self.client.get("/sitemap.xml").content.decode()
        sitemap = "".join(
            self.client.get(section.removeprefix("http://testserver")).content.decode()
            for section in re.findall(r"<loc>([^<]*)</loc>", index)
        )
        for language in LANGUAGES:
            listed = f"/{language}/articles/{slug}/" in sitemap
            assert listed == (language in visible), language
        self.news_sitemap_lists_only_what_is_public(slug, visible)

    # The article page's structured data and the Google News sitemap are public
    # surfaces too, checked after every step like the others.

    def structured_data_shows_only_what_is_public(self, language, response, visible):
        """The page's JSON-LD and OpenGraph: live text and approved notes only, and
        links to the public editions only (never an embargoed sibling)."""
        html = response.content.decode()
        data = json.loads(LD_JSON.search(html).group(1))
        text = json.dumps(data, ensure_ascii=False)
        assert set(TOKEN.findall(text)) <= self.live[language] | self.notes.get(language, set())
        corrections = " ".join(entry["text"] for entry in data.get("correction", []))
        approved = Version.objects.filter(
            edition=self.editions[language], kind=VersionKind.CORRECTION,
            approved_at__isnull=False, number__lte=self.live_number(language),
        )  # fmt: skip
        expected = " ".join(version.public_note for version in approved)
        assert set(TOKEN.findall(corrections)) == set(TOKEN.findall(expected)), language
        linked = [data.get("translationOfWork"), *data.get("workTranslation", [])]
        for reference in filter(None, linked):
            other = reference["url"].split("/")[3]
            assert other in visible and other != language, (language, other)
        alternates = set(re.findall(r'property="og:locale:alternate" content="([^"]+)"', html))
        assert alternates <= {to_locale(other) for other in visible if other != language}

    def live_number(self, language):
        return Edition.objects.get(pk=self.editions[language].pk).live_version.number

    def first_public_at(self, language):
        first = (
            Version.objects.filter(edition=self.editions[language], approved_at__isnull=False)
            .order_by("approved_at")
            .first()
        )
        ends = [self.embargo[where] for where in ("article", language) if self.embargo[where]]
        return max([first.approved_at, *ends])

    def news_sitemap_lists_only_what_is_public(self, slug, visible):
        """The Google News sitemap: the public editions first public in the last two
        days, under their live title; nothing else."""
        root = ElementTree.fromstring(self.client.get("/sitemap-news.xml").content)
        titles = {}
        for url in root.findall(f"{SITEMAP}url"):
            location = url.findtext(f"{SITEMAP}loc")
            titles[location.split("/")[3]] = url.findtext(f"{NEWS}news/{NEWS}title")
        since = self.now - datetime.timedelta(days=2)
        for language in LANGUAGES:
            if language not in visible:
                assert language not in titles, language
                continue
            first_public = self.first_public_at(language)
            # The request read the clock a few ticks before ``self.now``: an edition
            # public exactly two days ago (whole minutes of clock moves) may go either way.
            if abs(first_public - since) > datetime.timedelta(seconds=1):
                assert (language in titles) == (first_public >= since), language
            if language in titles:
                assert set(TOKEN.findall(titles[language])) <= self.live[language]


@pytest.mark.django_db
@override_settings(TILMASH_DERIVE_EDITIONS=True)
def test_drafts_never_leak():
    run_state_machine_as_test(
        DeskMachine,
        # The same ten runs every time: the coverage asserted below (an embargo,
        # its end, a withdrawal) must not depend on the luck of a seed.
        settings=settings(
            derandomize=True,
            database=None,
            max_examples=10,
            stateful_step_count=15,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
        ),
    )
    assert DeskMachine.approvals > 0
    assert DeskMachine.lifecycle_seen >= {"embargoed", "embargo over", "withdrawn"}
    assert DeskMachine.noted > 0
