"""Bad input through the admin's forms and the desk's views: a message, never a 500,
nothing written. Odd public URLs: a 404, never a 500.

Every text a person can post is sent too long, with a control character,
with a NUL and, as a raw body, with bytes that are no UTF-8 (a lone
surrogate encoded as UTF-8, an overlong NUL, a stray byte). Ids are forged:
not numbers, not ASCII digits, too large, or the id of something the user
may not touch. The test client raises any exception a view lets through, so
a server error fails the test where it happens.
"""

from dataclasses import dataclass
from urllib.parse import quote, urlencode, urlsplit

import pytest
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from hypothesis import HealthCheck, event, given, note
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from reviews.xliff import xliff_export

from .world import (
    LANGUAGE,
    credits_post,
    db_fingerprint,
    dismiss_post,
    editor_post,
    isolated,
)

pytestmark = pytest.mark.django_db

RAW = "\x00RAW\x00"  # stands for a raw, percent-encoded value in the body


def oversize():
    return "x" * (settings.TILMASH_MAX_PARAGRAPH_CHARS + 1)


BAD_TEXTS = {
    "too long": lambda: oversize(),
    "control character": lambda: "Budget\x07talks",
    "NUL": lambda: "Budget\x00talks",
    "escape sequence": lambda: "Budget \x1b[31mtalks",
}
# Bytes a browser never sends in a form: each must not reach the database.
BAD_BYTES = {
    "lone surrogate": "Budget%ED%A0%80talks",
    "overlong NUL": "Budget%C0%80talks",
    "stray byte": "Budget%FFtalks",
}


@dataclass(frozen=True)
class Surface:
    """One text field of one form, posted by ``role`` on the edition in ``state``."""

    name: str
    role: str
    state: str | None
    url: object
    data: object  # (world, desk, text) -> the POST body, with ``text`` in the field

    def desk(self, world):
        return world.desk(self.state) if self.state else None


def _editor_row(key):
    return lambda world, desk, text: editor_post(desk, key, text)


def _edition(name):
    return lambda world, desk: reverse(name, args=[desk.edition.pk])


def _version(name):
    return lambda world, desk: reverse(name, args=[desk.version.pk])


def _credit_name(world, desk, text):
    body = credits_post(desk)
    body[next(k for k in body if k.endswith("-name"))] = text
    return body


def _article_add(field):
    def data(world, desk, text):
        body = {
            "source_language": "en",
            "title": "A new article",
            "dateline": "2024-03-01T10:00",
            "paragraphs": "First paragraph.\n\nSecond paragraph.",
        }
        body[field] = text
        return body

    return data


SURFACES = [
    Surface("editor: title", "assigned", "in_progress",
            _edition("admin:translations_edition_editor"), _editor_row("title")),
    Surface("editor: paragraph", "assigned", "in_progress",
            _edition("admin:translations_edition_editor"), _editor_row("p2")),
    Surface("comment", "assigned", "in_review", _version("admin:reviews_version_comment"),
            lambda world, desk, text: {"unit_key": "p1", "body": text}),
    Surface("reply", "assigned", "in_review", _version("admin:reviews_version_comment"),
            lambda world, desk, text: {"parent": desk.comment_id, "body": text}),
    Surface("request changes", "editor", "in_review", _version("admin:reviews_version_decide"),
            lambda world, desk, text: {"decision": "request_changes", "comment": text}),
    Surface("approval comment", "editor", "in_review", _version("admin:reviews_version_decide"),
            lambda world, desk, text: {"decision": "approve", "comment": text}),
    Surface("reopen comment", "assigned", "approved",
            _edition("admin:translations_edition_reopen"),
            lambda world, desk, text: {"comment": text}),
    Surface("dismissal reason", "assigned", "in_progress",
            _edition("admin:translations_edition_editor_dismiss"),
            lambda world, desk, text: {**dismiss_post(desk), "reason": text}),
    Surface("credit name", "editor", "in_review", _version("admin:reviews_version_credits"),
            _credit_name),
    Surface("new article: title", "editor", None,
            lambda world, desk: reverse("admin:translations_article_add"), _article_add("title")),
    Surface("new article: paragraphs", "editor", None,
            lambda world, desk: reverse("admin:translations_article_add"),
            _article_add("paragraphs")),
    Surface("contributor name", "editor", None,
            lambda world, desk: reverse("admin:translations_contributor_add"),
            lambda world, desk, text: {"name_en": text, "name_kk": "", "name_ru": ""}),
    Surface("glossary term", "editor", None,
            lambda world, desk: reverse("admin:aids_glossaryterm_add"),
            lambda world, desk, text: {"term_en": text, "term_kk": "бюджет", "kind": "other",
                                       "note": ""}),
    Surface("glossary note", "editor", None,
            lambda world, desk: reverse("admin:aids_glossaryterm_add"),
            lambda world, desk, text: {"term_en": "budget", "term_kk": "бюджет", "kind": "other",
                                       "note": text}),
]  # fmt: skip


def _said_what_was_wrong(response):
    """An error status, an error message, or a form shown again with its errors."""
    if response.status_code in (400, 403, 404):
        return True
    if any(m.level >= messages.WARNING for m in get_messages(response.wsgi_request)):
        return True
    context = response.context or {}
    form = context.get("form") or getattr(context.get("adminform"), "form", None)
    return bool(context.get("errors") or (form is not None and form.errors))


def _post(world, role, url, data, *, raw=None):
    """POST ``data`` (``raw``: a percent-encoded value put in place of ``RAW``) in a
    savepoint; ``(response, changed)``."""
    with isolated():
        client = world.clients[role]
        client.cookies.pop("messages", None)
        before = db_fingerprint()
        data = {**data, "csrfmiddlewaretoken": world.csrf}
        if raw is None:
            response = client.post(url, data)
        else:
            body = urlencode(data, doseq=True).replace(quote(RAW, safe=""), raw)
            response = client.post(url, body, content_type="application/x-www-form-urlencoded")
        return response, db_fingerprint() != before


def _refused(response, changed):
    return response.status_code < 500 and not changed and _said_what_was_wrong(response)


@pytest.mark.parametrize("surface", SURFACES, ids=lambda surface: surface.name)
def test_a_good_text_goes_through_each_surface(world, surface):
    """The baseline: each surface writes what it is given when it is sound, so
    the refusals below are the bad text's doing."""
    desk = surface.desk(world)
    response, changed = _post(
        world, surface.role, surface.url(world, desk), surface.data(world, desk, "Sound text.")
    )
    assert response.status_code in (200, 302)
    assert changed


@pytest.mark.parametrize("kind", sorted(BAD_TEXTS))
@pytest.mark.parametrize("surface", SURFACES, ids=lambda surface: surface.name)
def test_bad_text_is_refused_with_a_message_and_writes_nothing(world, surface, kind):
    desk = surface.desk(world)
    data = surface.data(world, desk, BAD_TEXTS[kind]())
    response, changed = _post(world, surface.role, surface.url(world, desk), data)
    assert _refused(response, changed), (response.status_code, changed)


@pytest.mark.parametrize("kind", sorted(BAD_BYTES))
@pytest.mark.parametrize("surface", SURFACES, ids=lambda surface: surface.name)
def test_bytes_that_are_no_utf8_are_refused_and_write_nothing(world, surface, kind):
    desk = surface.desk(world)
    data = surface.data(world, desk, RAW)
    response, changed = _post(
        world, surface.role, surface.url(world, desk), data, raw=BAD_BYTES[kind]
    )
    assert _refused(response, changed), (response.status_code, changed)


# --- Forged and foreign ids ---------------------------------------------------------

# Not "٣" (Arabic-Indic three): Python and Django read it as 3, a real id.
FORGED_IDS = ["abc", "-1", "0", "1.5", "²", "9" * 25, "1 OR 1=1", "%00", "../1"]


FORGED_POSTS = [
    # (name, role, url(world, id), data(world, id))
    ("claim", "pool", lambda w, i: f"/admin/translations/edition/{quote(i)}/claim/", None),
    ("reopen", "assigned", lambda w, i: f"/admin/translations/edition/{quote(i)}/reopen/",
     lambda w, i: {"comment": "x"}),
    ("withdraw", "assigned", lambda w, i: f"/admin/translations/edition/{quote(i)}/withdraw/",
     None),
    ("assign", "editor", lambda w, i: reverse("admin:translations_edition_assign")
     + "?" + urlencode({"ids": i}), lambda w, i: {"users": [w.users["assigned"].pk]}),
    ("assign: user", "editor", lambda w, i: reverse("admin:translations_edition_assign")
     + f"?ids={w.desk('pool').edition.pk}", lambda w, i: {"users": [i]}),
    ("assign: priority", "editor", lambda w, i: reverse("admin:translations_edition_assign")
     + f"?ids={w.desk('pool').edition.pk}", lambda w, i: {"priority": i, "deadline": i}),
    ("xliff export", "assigned", lambda w, i: reverse("xliff:export_batch"),
     lambda w, i: {"ids": [i]}),
    ("xliff import: edition", "assigned", lambda w, i: reverse("xliff:import"),
     lambda w, i: {"edition": i}),
    ("resolve", "assigned", lambda w, i: reverse(
        "admin:reviews_version_resolve", args=[w.desk("in_review").version.pk]),
     lambda w, i: {"comment": i}),
    ("reply to", "assigned", lambda w, i: reverse(
        "admin:reviews_version_comment", args=[w.desk("in_review").version.pk]),
     lambda w, i: {"parent": i, "body": "A reply."}),
    ("comment on unit", "assigned", lambda w, i: reverse(
        "admin:reviews_version_comment", args=[w.desk("in_review").version.pk]),
     lambda w, i: {"unit_key": i, "body": "A remark."}),
    ("check unit", "editor", lambda w, i: reverse(
        "admin:reviews_version_check", args=[w.desk("in_review").version.pk]),
     lambda w, i: {"unit_key": i, "checked": "1"}),
    ("credit contributor", "editor", lambda w, i: reverse(
        "admin:reviews_version_credits", args=[w.desk("in_review").version.pk]),
     lambda w, i: {**credits_post(w.desk("in_review")), "credits-0-contributor": i}),
    ("credit forms", "editor", lambda w, i: reverse(
        "admin:reviews_version_credits", args=[w.desk("in_review").version.pk]),
     lambda w, i: {**credits_post(w.desk("in_review")), "credits-TOTAL_FORMS": i}),
    ("dismiss: check", "assigned", lambda w, i: reverse(
        "admin:translations_edition_editor_dismiss", args=[w.desk("in_progress").edition.pk]),
     lambda w, i: {**dismiss_post(w.desk("in_progress")), "check_id": i}),
    ("dismiss: unit", "assigned", lambda w, i: reverse(
        "admin:translations_edition_editor_dismiss", args=[w.desk("in_progress").edition.pk]),
     lambda w, i: {**dismiss_post(w.desk("in_progress")), "unit_key": i}),
    ("decision", "editor", lambda w, i: reverse(
        "admin:reviews_version_decide", args=[w.desk("in_review").version.pk]),
     lambda w, i: {"decision": i}),
    ("new article: language", "editor", lambda w, i: reverse("admin:translations_article_add"),
     lambda w, i: _article_add("source_language")(w, None, i)),
    ("language pair", "editor", lambda w, i: reverse("admin:reviews_languagepair_add"),
     lambda w, i: {"user": w.users["pool"].pk, "source_language": i,
                   "target_language": "kk"}),
    ("language pair: user", "editor", lambda w, i: reverse("admin:reviews_languagepair_add"),
     lambda w, i: {"user": i, "source_language": "en", "target_language": "ru"}),
    ("glossary: article", "editor", lambda w, i: reverse("admin:aids_glossaryterm_add"),
     lambda w, i: {"term_en": "budget", "term_kk": "бюджет", "kind": "other", "article": i}),
]  # fmt: skip
# Besides the forged values, these posts are also sent with the id of an
# edition the translator may not touch (a Russian one on someone else's desk).
FOREIGN = {"claim", "reopen", "withdraw", "xliff export", "xliff import: edition"}


@pytest.mark.parametrize("forged", FORGED_POSTS, ids=lambda forged: forged[0])
def test_a_forged_id_is_a_message_or_a_404_and_writes_nothing(world, forged):
    name, role, url, data = forged
    values = list(FORGED_IDS)
    if name in FOREIGN:
        values.append(str(world.objects["foreign edition"].pk))
    wrong = []
    for value in values:
        try:
            target = url(world, value)
        except Exception:  # a value no URL can carry ("/" in a path): nothing to send
            continue
        response, changed = _post(world, role, target, (data or (lambda w, i: {}))(world, value))
        if not _refused(response, changed):
            wrong.append((value, response.status_code, changed))
    assert wrong == []


@pytest.mark.parametrize(
    "path",
    [
        "/admin/translations/edition/abc/change/",
        "/admin/translations/edition/%ED%A0%80/change/",
        "/admin/translations/edition/1%00/change/",
        "/admin/translations/edition/abc/edit/",
        "/admin/translations/edition/99999999999999999999999/edit/",
        "/admin/translations/edition/1/edit/suggest/..%2F..%2F/",
        "/admin/translations/edition/1/edit/suggest/%ED%A0%80/",
        "/admin/reviews/review/version/abc/",
        "/admin/reviews/review/version/99999999999999999999999/",
        "/admin/xliff/editions/abc/export/",
        "/admin/xliff/editions/99999999999999999999999/export/",
        "/admin/xliff/editions/1/export/?version=9.9",
        "/admin/xliff/export/?ids=1,abc",
        "/admin/xliff/export/?ids=%ED%A0%80",
        "/admin/xliff/import/?edition=%ED%A0%80",
        "/admin/xliff/import/?edition=²",
        "/admin/translations/edition/assign/?ids=²",
        "/admin/translations/edition/assign/?ids=%ED%A0%80",
        "/admin/translations/edition/?state=%ED%A0%80&language=xx&overdue=maybe&o=99",
        "/admin/translations/edition/?q=%00",
        "/admin/reviews/review/?state=%00&edition__language=xx",
        "/admin/reviews/review/?state=nope",
        "/admin/translations/article/?edition_state=nope&source_language=%ED%A0%80",
        "/admin/r/abc/1/",
        "/admin/auth/",
    ],
)
def test_odd_admin_urls_are_never_a_server_error(world, path):
    with isolated():
        response = world.clients["editor"].get(path)
    assert response.status_code in (200, 302, 400, 403, 404)


def _filter_parameters(model_admin):
    for entry in model_admin.list_filter:
        if isinstance(entry, str):
            yield entry
        elif isinstance(entry, tuple):
            yield entry[0]
        else:
            yield entry.parameter_name


def test_a_nul_in_any_list_filter_is_refused_not_a_server_error(world):
    """PostgreSQL refuses NUL in text: a list filter's value must never reach it."""
    wrong = []
    for model, model_admin in admin.site._registry.items():
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        for parameter in [*_filter_parameters(model_admin), "q", "o", "p"]:
            with isolated():
                response = world.clients["superuser"].get(f"{url}?{parameter}=a%00b")
            if response.status_code != 400:
                wrong.append((url, parameter, response.status_code))
    assert wrong == []


def test_a_forged_xliff_edition_is_refused_and_writes_nothing(world):
    """A translator's file for their own edition, uploaded as another's (``edition``),
    and another's file (its article slug swapped in), change nothing."""
    mine = world.desk("in_progress")
    theirs = world.desk("in_review")  # assigned too, but locked while in review
    export = xliff_export(edition=mine.edition, user=world.users["assigned"])
    content = export.content.replace("Комитет жиналды.".encode(), "Комитет жиналды ма?".encode())

    def upload(role, data_content, **fields):
        upload = SimpleUploadedFile(export.filename, data_content)
        return _post(world, role, reverse("xliff:import"), {"file": upload, **fields})

    # For another edition than the file's: a message, nothing written.
    response, changed = upload("assigned", content, edition=theirs.edition.pk)
    assert _refused(response, changed)
    # The pool translator may not edit the assigned edition the file belongs to.
    response, changed = upload("pool", content)
    assert _refused(response, changed)
    # Nor may they name it as the edition: it is not on their desk.
    response, changed = upload("pool", content, edition=mine.edition.pk)
    assert response.status_code == 404 and not changed
    # Another article's slug in the file: that edition is in review, not editable.
    swapped = content.replace(mine.article.slug.encode(), theirs.article.slug.encode())
    response, changed = upload("assigned", swapped)
    assert _refused(response, changed)
    # The file as it is goes in: the refusals above were the forgeries' doing.
    response, changed = upload("assigned", content)
    assert response.status_code == 200 and changed


# --- Public URLs ---------------------------------------------------------------------

ODD_SEGMENTS = [
    "..", "../", "..%2F..%2Fetc%2Fpasswd", "%00", "a%00b", "%ED%A0%80", "%C0%80", "%FF",
    "%2e%2e", "//evil.example", "%2F%2Fevil.example", "\\\\evil.example", "x" * 3000,
    "Қазақстан", "%D0%9A", "A" * 50, "budget-approved", "BUDGET-APPROVED", "budget approved",
    "budget-approved/extra", "?", "#", "%23", "%3F", ";", "@", "~", "*", "'", "\"",
    "<script>", "%3Cscript%3E", "1e400", "-", "_", "NaN",
]  # fmt: skip
LANGUAGE_PREFIXES = [
    "en", "kk", "ru", "KK", "Kk", "kk-kz", "kk-KZ", "kk_KZ", "xx", "zz-zz", "de", "", "e",
    "english", "%00", "..", "kk%00", "%ED%A0%80", "қаз", "en-us",
]  # fmt: skip


def _segment():
    safe_text = st.text(
        st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=40
    ).map(lambda text: quote(text, safe=""))
    return st.one_of(st.sampled_from(ODD_SEGMENTS), safe_text)


def _public_url(prefix, form, segment):
    lead = f"/{prefix}/" if prefix else "/"
    return {
        "detail": f"{lead}articles/{segment}/",
        "detail without slash": f"{lead}articles/{segment}",
        "list page": f"{lead}?page={segment}",
        "feed": f"{lead}feed/{segment}",
        "bare": f"{lead}{segment}/",
    }[form]


def _pages(world):
    """The public paths that exist: lists, feeds and every approved edition's page."""
    pages = {f"/{code}/{page}" for code in ("en", "kk", "ru") for page in ("", "feed/")}
    for desk in world.desks.values():
        pages.add(f"/en/articles/{desk.article.slug}/")
        if desk.state == "approved":
            pages.add(f"/{LANGUAGE}/articles/{desk.article.slug}/")
    return pages


@hypothesis_settings(
    max_examples=300,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    prefix=st.sampled_from(LANGUAGE_PREFIXES),
    form=st.sampled_from(["detail", "detail without slash", "list page", "feed", "bare"]),
    segment=_segment(),
)
def test_odd_public_urls_are_a_404_or_a_local_redirect_never_a_500(world, prefix, form, segment):
    url = _public_url(prefix, form, segment)
    note(url)
    response = world.clients["anonymous"].get(url)
    event(f"{form}: {response.status_code}")
    status = response.status_code
    assert status in (200, 301, 302, 400, 404), (url, status)
    if status in (301, 302):
        # Never off the site: a redirect stays a path on this host.
        location = response["Location"]
        assert location.startswith("/") and not location.startswith(("//", "/\\")), location
    if status == 200:
        # Only an approved edition's page, a list or a feed is found.
        assert urlsplit(url).path in _pages(world), url


@pytest.mark.parametrize("language", ["kk", "en"])
def test_an_unapproved_editions_page_is_a_404_in_any_spelling(world, language):
    desk = world.desk("in_review")
    for slug in (desk.article.slug, desk.article.slug.upper(), desk.article.slug + "%00"):
        with translation.override(language):
            path = reverse("public:article_list") + f"articles/{slug}/"
        response = world.clients["anonymous"].get(path)
        if language == "en" and slug == desk.article.slug:
            assert response.status_code == 200  # the source edition is approved
        else:
            assert response.status_code == 404, path


@pytest.mark.parametrize("selected", ["abc", "1.5", "²", "9" * 25, "", "-1"])
def test_a_forged_action_selection_is_refused_in_every_list(world, selected):
    """Every model's changelist: an action on a selection that is no row id is a 400."""
    wrong = []
    before = db_fingerprint()
    for model in admin.site._registry:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        with isolated():
            response = world.clients["superuser"].post(
                url,
                {
                    "csrfmiddlewaretoken": world.csrf,
                    "action": "delete_selected",
                    "index": "0",
                    "_selected_action": selected,
                },
            )
        if response.status_code != 400:
            wrong.append((url, response.status_code))
    assert wrong == []
    assert db_fingerprint() == before
