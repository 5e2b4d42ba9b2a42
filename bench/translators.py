"""Simulated translators saving paragraphs through ``reviews.services.units_save``.

Run by bench/run.py as ``python -m bench.translators --seconds S --json OUT``
next to wrk's load on the public pages. Each translator is a thread with its
own database connection; all of them work on the same few editions, so
their saves collide. Each reads a paragraph, thinks briefly, and saves it
with the revision it read: the service either accepts the save or reports a
conflict (someone saved since). Afterwards every touched paragraph must hold
the text of the last accepted save, at its revision: anything else is a lost
update.
"""

import argparse
import json
import os
import random
import statistics
import threading
import time
import traceback

import django

EDITIONS = 5


def run(seconds, translators, think_ms):
    from django.contrib.auth import get_user_model
    from django.db import connection

    from bench.corpus import SLUG_PREFIX
    from reviews.models import Assignment
    from reviews.services import RowInput, units_save
    from translations.models import Edition, EditionState, Paragraph

    users = list(
        get_user_model().objects.filter(username__startswith="bench-translator-").order_by("id")
    )[:translators]
    editions = list(
        Edition.objects.filter(
            article__slug__startswith=SLUG_PREFIX, state=EditionState.IN_PROGRESS
        )
        .exclude(article__slug=f"{SLUG_PREFIX}0000000")
        .select_related("article")
        .order_by("id")[:EDITIONS]
    )
    Assignment.objects.bulk_create(
        [Assignment(edition=e, user=u) for e in editions for u in users], ignore_conflicts=True
    )
    keys = {
        e.pk: list(Paragraph.objects.filter(article=e.article).values_list("key", flat=True))
        for e in editions
    }
    accepted = []  # (edition id, key, revision, text)
    latencies = []
    errors = []
    error_kinds = {}  # exception name: count, first and last (epoch seconds)
    uncertain = []  # (edition id, key, text) of saves that failed without an answer
    counts = {"saved": 0, "conflict": 0, "other": 0}
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def translator(number, user):
        rng = random.Random(number)
        sequence = 0
        try:
            while time.monotonic() < deadline:
                edition = rng.choice(editions)
                key = rng.choice(keys[edition.pk])
                try:
                    paragraph = Paragraph.objects.get(article_id=edition.article_id, key=key)
                except Exception as error:  # the database away: counted, then retried
                    with lock:
                        errors.append(f"{type(error).__name__}: {error}")
                        kind = error_kinds.setdefault(
                            type(error).__name__, {"count": 0, "first": time.time()}
                        )
                        kind["count"] += 1
                        kind["last"] = time.time()
                    connection.close_if_unusable_or_obsolete()
                    time.sleep(0.1)
                    continue
                revision = paragraph.revision_in(edition.language)
                time.sleep(rng.uniform(0, think_ms) / 1000)
                sequence += 1
                text = (
                    f"{user.username} save {sequence}: {paragraph.text_in(edition.language)[:80]}"
                )
                began = time.perf_counter()
                try:
                    report = units_save(
                        edition=edition,
                        user=user,
                        rows=[RowInput(key=key, text=text, revision=revision)],
                    )
                except Exception as error:  # every failure counts; none may happen
                    with lock:
                        errors.append(f"{type(error).__name__}: {error}")
                        kind = error_kinds.setdefault(
                            type(error).__name__, {"count": 0, "first": time.time()}
                        )
                        kind["count"] += 1
                        kind["last"] = time.time()
                        # Its commit may have happened with the answer lost.
                        uncertain.append((edition.pk, key, text))
                    # A connection the database dropped is replaced, as a
                    # request's would be (bench.faults restarts the database).
                    connection.close_if_unusable_or_obsolete()
                    continue
                elapsed = (time.perf_counter() - began) * 1000
                row = report.rows[0]
                with lock:
                    latencies.append(elapsed)
                    if row.status == "saved":
                        counts["saved"] += 1
                        accepted.append((edition.pk, key, row.their_revision, text))
                    elif row.status == "conflict":
                        counts["conflict"] += 1
                    else:
                        counts["other"] += 1
        except Exception:
            with lock:
                errors.append(traceback.format_exc(limit=3))
        finally:
            connection.close()

    threads = [threading.Thread(target=translator, args=(n, user)) for n, user in enumerate(users)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # This thread's connection is from before the run; the database may have restarted.
    connection.close()
    return {
        "translators": len(users),
        "saves": counts["saved"],
        "conflicts": counts["conflict"],
        "other": counts["other"],
        "errors": len(errors),
        "error_samples": errors[:3],
        "error_kinds": error_kinds,
        "lost_updates": lost_updates(editions, accepted, uncertain),
        "save_p50_ms": round(statistics.median(latencies), 2) if latencies else None,
        "save_p99_ms": round(sorted(latencies)[int(0.99 * (len(latencies) - 1))], 2)
        if latencies
        else None,
    }


def lost_updates(editions, accepted, uncertain=()):
    """Paragraphs whose text is not that of their last accepted save, plus accepted
    saves that claim a revision another accepted save already had.

    A save that failed without an answer (the database restarted during its
    commit) may have been committed: a paragraph holding such a save's text
    at a later revision than the last accepted one is not a loss."""
    from translations.models import Paragraph

    language = {e.pk: e.language for e in editions}
    article = {e.pk: e.article_id for e in editions}
    last = {}
    seen = set()
    unanswered = set(uncertain)
    lost = 0
    for edition_id, key, revision, text in accepted:
        if (edition_id, key, revision) in seen:
            lost += 1
        seen.add((edition_id, key, revision))
        if revision > last.get((edition_id, key), (0, ""))[0]:
            last[(edition_id, key)] = (revision, text)
    for (edition_id, key), (revision, text) in last.items():
        paragraph = Paragraph.objects.get(article_id=article[edition_id], key=key)
        code = language[edition_id]
        if paragraph.text_in(code) == text and paragraph.revision_in(code) == revision:
            continue
        if (edition_id, key, paragraph.text_in(code)) in unanswered and paragraph.revision_in(
            code
        ) > revision:
            continue
        lost += 1
    return lost


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--translators", type=int, default=20)
    parser.add_argument("--think-ms", type=float, default=200)
    parser.add_argument("--json", required=True)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.bench_settings")
    django.setup()
    out = run(args.seconds, args.translators, args.think_ms)
    with open(args.json, "w") as handle:
        json.dump(out, handle, indent=2)


if __name__ == "__main__":
    main()
