"""In-process measurements with the Django test Client against a bench database.

Run by bench/run.py as ``python -m bench.inprocess SECTION --json OUT`` in the
environment of one bench database (production settings, DEBUG off). Sections:

- ``public``: queries of the article page at 12 and 300 paragraphs (cache off).
- ``desk``: the translator's editor and the review page at 300 paragraphs, the
  review queue, saving 300 paragraphs through the editor, approving.
- ``queue``: the review queue alone (run on the large corpus).
- ``import``: 1000 article files through ``translations.importing.article_import``.
- ``bounded``: each per-request computation on text at the maximum input size
  (bench/bounded.py; everything it writes is rolled back).
- ``dashboard``: the desk dashboard and the lists with their clocks (``bench/dashboard.py``).
- ``fixed``: a request's fixed costs against what they replaced (``bench/fixed.py``).

A page not built yet is reported as missing, not faked.
"""

import argparse
import json
import os
import statistics
import sys
import time

import django


def percentile(samples, fraction):
    ordered = sorted(samples)
    if not ordered:
        return None
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


CPU_SAMPLES = {}  # id(samples list) -> this process's CPU ms per call


def timed(samples_ms, reps, call):
    """Run ``call`` ``reps`` times, adding wall-clock ms to ``samples_ms``; returns the
    last result. This process's CPU time per call is kept for :func:`figures`."""
    result = None
    cpu = CPU_SAMPLES.setdefault(id(samples_ms), [])
    for _ in range(reps):
        began, began_cpu = time.perf_counter(), time.process_time()
        result = call()
        samples_ms.append((time.perf_counter() - began) * 1000)
        cpu.append((time.process_time() - began_cpu) * 1000)
    return result


def figures(prefix, samples):
    out = {
        f"{prefix}_p50_ms": round(statistics.median(samples), 2),
        f"{prefix}_p99_ms": round(percentile(samples, 0.99), 2),
        f"{prefix}_n": len(samples),
    }
    cpu = CPU_SAMPLES.get(id(samples))
    if cpu:
        # The app's own CPU (not the database's): what contention inflates least.
        out[f"{prefix}_cpu_p50_ms"] = round(statistics.median(cpu), 2)
    return out


def queries_of(client, url, **kwargs):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        response = client.get(url, **kwargs)
    return response, len(context.captured_queries)


# --- public -------------------------------------------------------------------------


def section_public(reps):
    from django.test import Client, override_settings

    from bench.corpus import SLUG_PREFIX
    from translations.models import Article

    client = Client()
    long_slug = f"{SLUG_PREFIX}0000000"
    normal = Article.objects.filter(slug__startswith=SLUG_PREFIX).order_by("-id").first()
    out = {}
    with override_settings(TILMASH_PUBLIC_CACHE_SECONDS=0):
        for label, slug in (("12", normal.slug), ("300", long_slug)):
            counts = set()
            for language in ("kk", "ru", "en"):
                response, count = queries_of(client, f"/{language}/articles/{slug}/")
                assert response.status_code == 200, (slug, language, response.status_code)
                counts.add(count)
            out[f"public_detail_queries_{label}"] = max(counts)
        samples = []
        url = f"/en/articles/{normal.slug}/"
        timed(samples, reps, lambda: client.get(url))
        out.update(figures("public_detail_inprocess", samples))
    response, count = queries_of(client, "/en/")
    out["public_list_queries"] = count
    out["public_detail_queries"] = max(
        out["public_detail_queries_12"], out["public_detail_queries_300"]
    )
    out["public_detail_queries_constant"] = int(
        out["public_detail_queries_12"] == out["public_detail_queries_300"]
    )
    return out


# --- desk ---------------------------------------------------------------------------


def _url(name, *args):
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def _logged_in(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


def _long_editions():
    from bench.corpus import SLUG_PREFIX
    from translations.models import Edition, EditionState

    long_slug = f"{SLUG_PREFIX}0000000"
    in_review = Edition.objects.get(article__slug=long_slug, state=EditionState.IN_REVIEW)
    in_progress = Edition.objects.filter(article__slug=long_slug).exclude(
        state__in=[EditionState.IN_REVIEW]
    )
    in_progress = in_progress.exclude(language=in_review.article.source_language).get()
    return in_review, in_progress


def _short_edition(state):
    from bench.corpus import SLUG_PREFIX
    from translations.models import Edition

    return (
        Edition.objects.filter(article__slug__startswith=SLUG_PREFIX, state=state)
        .exclude(article__slug=f"{SLUG_PREFIX}0000000")
        .exclude(article__slug=f"{SLUG_PREFIX}0000001")
        .exclude(article__slug=f"{SLUG_PREFIX}0000002")
        .order_by("-id")
        .first()
    )


def _assignee(edition):
    return edition.assignments.select_related("user").first().user


def _editor():
    from django.contrib.auth import get_user_model

    User = get_user_model()
    # Corpora written before the bench accounts were staff.
    User.objects.filter(username__startswith="bench-", is_staff=False).update(is_staff=True)
    return User.objects.get(username="bench-editor-1")


def section_desk(reps):
    from reviews.models import Review, ReviewState
    from translations.models import EditionState

    out = {}
    in_review, in_progress = _long_editions()
    editor = _editor()
    short_progress = _short_edition(EditionState.IN_PROGRESS)
    short_review = _short_edition(EditionState.IN_REVIEW)

    # The translator's editor.
    url = _url("admin:translations_edition_editor", in_progress.pk)
    if url is None:
        out["editor_300_missing"] = "admin:translations_edition_editor is not built yet"
    else:
        client = _logged_in(_assignee(in_progress))
        samples = []
        response = timed(samples, reps, lambda: client.get(url))
        assert response.status_code == 200, response.status_code
        out.update(figures("editor_300", samples))
        _, out["editor_queries_300"] = queries_of(client, url)
        short = _logged_in(_assignee(short_progress))
        _, out["editor_queries_12"] = queries_of(
            short, _url("admin:translations_edition_editor", short_progress.pk)
        )
        out["editor_queries_constant"] = int(out["editor_queries_12"] == out["editor_queries_300"])
        out.update(_save_300(client, url, in_progress, reps))

    # The editor's version page (with the diff against the live version).
    version = Review.objects.get(edition=in_review, state=ReviewState.OPEN).version
    url = _url("admin:reviews_version_review", version.pk)
    if url is None:
        out["review_page_300_missing"] = "admin:reviews_version_review is not built yet"
    else:
        client = _logged_in(editor)
        samples = []
        response = timed(samples, reps, lambda: client.get(url))
        assert response.status_code == 200, response.status_code
        assert b"<ins" in response.content or b"<del" in response.content, "no diff shown"
        out.update(figures("review_page_300", samples))
        _, out["review_page_queries_300"] = queries_of(client, url)
        short_version = Review.objects.get(edition=short_review, state=ReviewState.OPEN).version
        _, out["review_page_queries_12"] = queries_of(
            client, _url("admin:reviews_version_review", short_version.pk)
        )
    out.update(section_queue(reps))
    out.update(_approve(editor, max(3, reps)))
    return out


def _editor_post_data(html, change):
    """The editor form's fields as the browser would post them, with every text changed."""
    import lxml.html

    document = lxml.html.fromstring(html)
    form = document.get_element_by_id("editor-form")
    data = {}
    for name, value in form.form_values():
        if name.startswith("text-"):
            # A browser drops the newline right after <textarea>; libxml2 keeps it.
            value = change(value.removeprefix("\n"))
        data[name] = value
    return data


def _save_300(client, url, edition, reps):
    """Change all 300 paragraphs and post the editor form (the page is loaded untimed)."""
    samples = []
    out = {}
    for rep in range(reps):
        page = client.get(url)
        suffix = f" [{rep % 2}]"
        data = _editor_post_data(
            page.content, lambda text, suffix=suffix: text.rsplit(" [", 1)[0] + suffix
        )
        response = timed(samples, 1, lambda data=data: client.post(url, data))
        assert response.status_code == 302, (response.status_code, response.content[:2000])
    out.update(figures("save_300", samples))
    from translations.models import Paragraph

    changed = Paragraph.objects.filter(
        article_id=edition.article_id,
        **{f"text_{edition.language}__endswith": f" [{(reps - 1) % 2}]"},
    ).count()
    out["save_300_rows_saved"] = changed
    return out


def section_queue(reps):
    url = _url("admin:reviews_review_changelist")
    if url is None:
        return {"review_queue_missing": "the Review admin is not registered yet"}
    client = _logged_in(_editor())
    samples = []
    response = timed(samples, reps, lambda: client.get(url))
    assert response.status_code == 200, response.status_code
    out = figures("review_queue", samples)
    _, out["review_queue_queries"] = queries_of(client, url)
    from reviews.models import Review, ReviewState

    out["review_queue_open_reviews"] = Review.objects.filter(state=ReviewState.OPEN).count()
    return out


def _approve(editor, count):
    """Approve ``count`` open reviews of 12-paragraph articles through the version page."""
    from bench.corpus import SLUG_PREFIX
    from reviews.models import Review, ReviewState
    from translations.models import Version

    reviews = list(
        Review.objects.filter(
            state=ReviewState.OPEN, edition__article__slug__startswith=SLUG_PREFIX
        )
        .exclude(edition__article__slug__in=[f"{SLUG_PREFIX}000000{n}" for n in range(3)])
        .order_by("-id")[:count]
    )
    client = _logged_in(editor)
    samples = []
    for review in reviews:
        url = _url("admin:reviews_version_decide", review.version_id)
        if url is None:
            return {"approve_missing": "admin:reviews_version_decide is not built yet"}
        data = {"decision": "approve", "comment": "Bench approval."}
        response = timed(samples, 1, lambda url=url, data=data: client.post(url, data))
        assert response.status_code == 302, response.status_code
    approved = Version.objects.filter(
        pk__in=[r.version_id for r in reviews], approved_at__isnull=False
    ).count()
    out = figures("approve", samples)
    out["approve_approved"] = approved
    return out


# --- import -------------------------------------------------------------------------


def article_file(run, number, paragraphs):
    lines = [f"Import check {run} number {number}: the council meets", ""]
    lines += [f"{(number % 28) + 1:02d}.11.2026, {number % 24:02d}:{number % 60:02d}", ""]
    for n, text in enumerate(paragraphs, 1):
        lines += [f"{text} ({number}.{n})", ""]
    lines += ["Editing by Galiya Khassenkhanova"]
    return "\n".join(lines).encode()


def section_import(count):
    from bench.corpus import POOL_SIZE, text_pool
    from translations.importing import article_import
    from translations.models import Article

    run = f"{os.getpid()}x{int(time.time())}"
    pool = text_pool("en", POOL_SIZE, 45, "import")
    files = [
        article_file(run, number, [pool[(number * 12 + n) % POOL_SIZE] for n in range(12)])
        for number in range(count)
    ]
    began = time.perf_counter()
    slugs = []
    for data in files:
        report = article_import(data=data, language="en", publish=True)
        slugs.append(report.slug)
    seconds = time.perf_counter() - began
    assert len(set(slugs)) == count
    # Leave the corpus as it was, so the next run measures the same database.
    Article.objects.filter(slug__in=slugs).delete()
    return {
        "import_files": count,
        f"import_{count}_files_s": round(seconds, 2),
        "import_files_per_s": round(count / seconds, 1),
    }


# --- profiles -----------------------------------------------------------------------


def section_profile(reps):
    """pyinstrument profiles of the pages whose targets a run missed, as text files."""
    from django.test import Client, override_settings
    from pyinstrument import Profiler

    from bench.names import SLUG_PREFIX
    from reviews.models import Review, ReviewState

    wanted = os.environ.get("BENCH_PROFILE", "public").split(",")
    folder = os.environ.get("BENCH_PROFILE_DIR", ".")
    in_review, in_progress = _long_editions()
    cases = {
        "public": (None, f"/en/articles/{SLUG_PREFIX}{10:07d}/", "get"),
        "public_300": (None, f"/en/articles/{SLUG_PREFIX}{0:07d}/", "get"),
        "list": (None, "/en/", "get"),
        "feed": (None, "/en/feed/", "get"),
        "editor": (
            _assignee(in_progress),
            _url("admin:translations_edition_editor", in_progress.pk),
            "get",
        ),
        "review": (
            _editor(),
            _url(
                "admin:reviews_version_review",
                Review.objects.get(edition=in_review, state=ReviewState.OPEN).version_id,
            ),
            "get",
        ),
        "save": (
            _assignee(in_progress),
            _url("admin:translations_edition_editor", in_progress.pk),
            "save",
        ),
        "queue": (_editor(), _url("admin:reviews_review_changelist"), "get"),
    }
    out = {}
    for name in ("import", "approve"):
        if name in wanted:
            wanted.remove(name)
            profiler = Profiler(interval=0.0005)
            profiler.start()
            if name == "import":
                section_import(max(5, reps))
            else:
                _approve(_editor(), max(3, reps))
            profiler.stop()
            path = os.path.join(folder, f"profile-{name}.txt")
            with open(path, "w") as handle:
                handle.write(profiler.output_text(unicode=False, color=False))
            out[f"profile_{name}"] = path
    for name in wanted:
        user, url, kind = cases[name]
        if url is None:
            continue
        client = _logged_in(user) if user else Client()
        profiler = Profiler(interval=0.0005)
        with override_settings(TILMASH_PUBLIC_CACHE_SECONDS=0):
            client.get(url)  # warm
            for rep in range(reps):
                if kind == "save":
                    page = client.get(url)
                    suffix = f" [{rep % 2}]"
                    data = _editor_post_data(
                        page.content,
                        lambda text, suffix=suffix: text.rsplit(" [", 1)[0] + suffix,
                    )
                    profiler.start()
                    client.post(url, data)
                    profiler.stop()
                else:
                    profiler.start()
                    client.get(url)
                    profiler.stop()
        path = os.path.join(folder, f"profile-{name}.txt")
        with open(path, "w") as handle:
            handle.write(profiler.output_text(unicode=False, color=False))
        out[f"profile_{name}"] = path
    return out


def section_bounded(reps):
    from bench.bounded import section_bounded as bounded

    return bounded(reps)


def section_fixed(reps):
    from bench.fixed import section_fixed as measure

    return measure(reps)


def section_dashboard(reps):
    from bench.dashboard import section_dashboard as measure

    return measure(reps)


SECTIONS = {
    "bounded": section_bounded,
    "profile": section_profile,
    "public": section_public,
    "desk": section_desk,
    "queue": section_queue,
    "import": section_import,
    "dashboard": section_dashboard,
    "fixed": section_fixed,
}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("section", choices=sorted(SECTIONS))
    parser.add_argument("--reps", type=int, default=20)
    parser.add_argument("--json", required=True)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.bench_settings")
    django.setup()
    from django.utils import translation

    translation.activate("en")
    out = SECTIONS[args.section](args.reps)
    with open(args.json, "w") as handle:
        json.dump(out, handle, indent=2)
    json.dump(out, sys.stdout, indent=2)
    print()


if __name__ == "__main__":
    main()
