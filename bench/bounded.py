"""Bounded work per request: each computation a request does on text, at the maximum input.

Run by bench/run.py as ``python -m bench.inprocess bounded --json OUT`` against
a bench database (SQLite and PostgreSQL: the translation memory takes a
different path on each). Everything it writes is rolled back.

- ``diff_10k``: ``reviews.diffing.word_diff`` on a 10,000-character paragraph and
  a copy with half its words changed (target < 20 ms); ``diff_10k_small_vocabulary``
  the same in the bench corpus's vocabulary of sixty words, where every word repeats.
- ``review_page_rewritten_300``: the version page of a 300-paragraph version
  whose every paragraph (2,000 characters) was rewritten against the approved
  one: the first request (``_cold_ms``, every diff computed) and the next ones
  (``_p50_ms``, diffs from the cache); target < 1 s for both.
- ``qa_checks_10k``: every QA check on 10,000-character texts built to make
  regular expressions backtrack (``ADVERSARIAL``); the worst input's time.
- ``glossary_5000``: 5,000 glossary terms looked for in a 10,000-character
  paragraph (source and target, agreed and wrong spellings: the QA check's work).
- ``tm_10k``: translation-memory suggestions for a 10,000-character paragraph
  against 2,000 stored segments, some of them near copies of it.
- ``xliff_import_max``: an XLIFF file of ``TILMASH_MAX_XLIFF_BYTES`` read and
  applied through ``reviews.xliff.xliff_import``.
- ``import_max``: an article file of ``TILMASH_MAX_IMPORT_BYTES`` through
  ``translations.importing.article_import``, first import then a re-import
  with every paragraph rewritten (which aligns old and new paragraphs).
"""

import os
import random
import statistics
import sys
import time

from django.db import transaction

# The per-request budget a figure is held to, in ms.
TARGETS = {
    "diff_10k_p50_ms": 20,
    "review_page_rewritten_300_cold_ms": 1000,
    "review_page_rewritten_300_p50_ms": 1000,
    "qa_checks_10k_worst_ms": 100,
    "glossary_5000_p50_ms": 100,
    "tm_10k_p50_ms": 500,
}
SYLLABLES = "ба қа ла ма на са та жа құ рт ол ен ік ор ау ұл ым ын да ға ке ті ме ге".split()
LATIN = "ka ra to mi sen tal bor ek us an ol zhe ny qa ba gy der pol vin st me li do".split()


class Rollback(Exception):
    pass


def text_of(length, rng, syllables=SYLLABLES):
    """Words of 1-4 made-up syllables with some punctuation, about ``length`` characters."""
    words, size = [], 0
    while size < length:
        word = "".join(rng.choice(syllables) for _ in range(rng.randint(1, 4)))
        if rng.random() < 0.08:
            word += rng.choice(",.;")
        words.append(word)
        size += len(word) + 1
    return " ".join(words)[:length].rstrip() + "."


def rewritten(text, share, rng):
    words = text.split(" ")
    for index in range(len(words)):
        if rng.random() < share:
            words[index] = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(1, 4)))
    return " ".join(words)


CPU_MS = {}  # figure name -> median CPU ms of this process, set by median_ms


def median_ms(reps, call, name=None):
    """The median wall-clock ms of ``reps`` calls and the last result; the median CPU
    time this process spent (what the machine's other load inflates least) goes to
    ``CPU_MS[name]``."""
    samples, cpu = [], []
    result = None
    for _ in range(reps):
        began, began_cpu = time.perf_counter(), time.process_time()
        result = call()
        samples.append((time.perf_counter() - began) * 1000)
        cpu.append((time.process_time() - began_cpu) * 1000)
    if name:
        CPU_MS[name] = round(statistics.median(cpu), 2)
    return round(statistics.median(samples), 2), result


# --- Text-only computations ----------------------------------------------------------


def diff_figures(reps):
    from reviews.diffing import tokens, word_diff

    rng = random.Random("diff")
    old = text_of(10_000, rng)
    new = rewritten(old, 0.5, rng)
    p50, parts = median_ms(reps, lambda: word_diff(old, new), "diff_10k")
    a, b = tokens(old), tokens(new)
    try:
        from translations.matching import matching_blocks
    except ImportError:  # measuring the code before it
        steps = None
    else:
        steps = matching_blocks(a, b)[1]
    # The same with the bench corpus's vocabulary of some sixty words: every word
    # repeats, the hardest case for difflib's longest-match search.
    from bench.corpus import WORDS

    words = [rng.choice(WORDS["ru"]) for _ in range(1400)]
    small_old = " ".join(words)[:10_000]
    changed = [rng.choice(WORDS["ru"]) if rng.random() < 0.5 else word for word in words]
    small_new = " ".join(changed)[:10_000]
    small, _ = median_ms(reps, lambda: word_diff(small_old, small_new), "diff_small")
    return {
        "diff_10k_small_vocabulary_p50_ms": small,
        "diff_10k_small_vocabulary_cpu_p50_ms": CPU_MS["diff_small"],
        "diff_10k_p50_ms": p50,
        "diff_10k_cpu_p50_ms": CPU_MS["diff_10k"],
        "diff_10k_chars": len(old),
        "diff_10k_tokens": len(a) + len(b),
        "diff_10k_steps": steps,
        "diff_10k_equal_share": round(
            sum(len(text) for op, text in parts if op == "equal") / len(old), 3
        ),
    }


def adversarial_texts():
    """10,000-character texts that make a careless regular expression backtrack."""
    n = 10_000
    return {
        "one_word": "а" * n,
        "spaces": "а" + " " * (n - 2) + "б",
        "spaces_then_break": "а" + " " * (n // 2) + "\n" + "б" * (n // 2 - 2),
        "email_like": "a.b-c+d" * (n // 7),
        "at_signs": ("a@" + "b" * 50 + " ") * (n // 53),
        "digits": "1" * n,
        "digit_groups": "1 " * (n // 2),
        "decimal_run": "1.1," * (n // 4),
        "hashtags": "#" + "1" * (n - 1),
        "urls": "www." * (n // 4),
        "dates": "11 қаңтар " * (n // 10),
        "number_words": "бір екі үш " * (n // 11),
        "space_punct": "а ," * (n // 3),
        "abbreviations": "т.б. А " * (n // 7),
    }


def qa_figures(reps):
    from aids.checks import checks_run, compare, extract
    from aids.memory.segmentation import sentence_split

    def cold(text):
        # Extraction is cached per text in a process: measure a text seen the first time.
        for name in ("extract", "number_values"):
            getattr(getattr(extract, name, None), "cache_clear", lambda: None)()
        getattr(getattr(compare, "_spelled_out", None), "cache_clear", lambda: None)()
        return checks_run(source=text, target=text[::-1], source_language="en",
                          target_language="ru")  # fmt: skip

    out, worst, worst_cpu = {}, 0.0, 0.0
    for name, text in adversarial_texts().items():
        ms, _ = median_ms(reps, lambda text=text: cold(text), "checks")
        split_ms, _ = median_ms(reps, lambda text=text: sentence_split(text), "split")
        out[f"qa_checks_10k_{name}_ms"] = ms
        out[f"sentence_split_10k_{name}_ms"] = split_ms
        worst = max(worst, ms, split_ms)
        worst_cpu = max(worst_cpu, CPU_MS["checks"], CPU_MS["split"])
    out["qa_checks_10k_worst_ms"] = round(worst, 2)
    out["qa_checks_10k_worst_cpu_ms"] = round(worst_cpu, 2)
    return out


def glossary_terms(count, rng):
    from aids.glossary import Term

    terms = []
    for number in range(count):
        words = rng.randint(1, 3)
        name = " ".join(
            "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize()
            for _ in range(words)
        )
        terms.append(
            Term(
                renderings={"en": f"{name} {number}", "ru": name, "kk": name},
                forbidden={"kk": [name + "ов"]} if number % 5 == 0 else {},
            )
        )
    return terms


def glossary_figures(reps):
    from aids.checks import checks_run
    from aids.glossary import Glossary

    rng = random.Random("glossary")
    terms = glossary_terms(5000, rng)
    # A paragraph that names a few hundred of the terms, inflected, among other words.
    words = text_of(10_000, rng).split(" ")
    for index in range(0, len(words), 6):
        words[index] = rng.choice(terms).rendering("kk") + rng.choice(["", "ның", "да", "ға"])
    text = " ".join(words)[:10_000]
    glossary = Glossary(terms)
    checks_run(source=text, target=text, source_language="ru", target_language="kk",
               glossary=glossary, only={"glossary"})  # fmt: skip
    ms, issues = median_ms(
        reps,
        lambda: checks_run(
            source=text, target=text, source_language="ru", target_language="kk",
            glossary=glossary, only={"glossary"},
        ),
        "glossary",
    )  # fmt: skip
    began = time.perf_counter()
    Glossary(terms).find(text, "kk")
    first_ms = (time.perf_counter() - began) * 1000
    return {
        "glossary_5000_p50_ms": ms,
        "glossary_5000_cpu_p50_ms": CPU_MS["glossary"],
        "glossary_5000_first_ms": round(first_ms, 2),
        "glossary_5000_found": len(glossary.find(text, "kk")),
    }


# --- With the database (rolled back) -----------------------------------------------


def _rolled_back(work):
    out = {}
    try:
        with transaction.atomic():
            out.update(work())
            raise Rollback
    except Rollback:
        pass
    return out


def tm_figures(reps):
    from django.db import connection

    from aids.memory import tm_suggestions
    from aids.memory.fingerprint import source_hash, text_bands
    from aids.models import TMSegment
    from translations.importing import article_import
    from translations.models import Article, Version

    rng = random.Random("tm")
    paragraph = text_of(10_000, rng)

    def work():
        report = article_import(
            data=article_file("Bounded memory", ["One paragraph."]), language="en", publish=True
        )
        article = Article.objects.get(slug=report.slug)
        version = Version.objects.filter(edition__article=article).first()
        rows = []
        for number in range(2000):
            if number % 100 == 0:
                source = rewritten(paragraph, 0.3, rng)  # near copies of the whole paragraph
            elif number % 10 == 0:
                source = rng.choice(paragraph.split(". "))  # one of its sentences
            else:
                source = text_of(rng.randint(100, 2000), rng)
            rows.append(TMSegment(
                source_language="kk", target_language="ru", source_text=source,
                target_text=source[::-1], source_hash=source_hash(source),
                bands=text_bands(source, "kk", "ru"), is_paragraph=True, unit_key="p",
                version=version, article=article,
            ))  # fmt: skip
        TMSegment.objects.bulk_create(rows, batch_size=500)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE aids_tmsegment")
        ms, found = median_ms(
            reps,
            lambda: tm_suggestions(text=paragraph, source_language="kk", target_language="ru"),
            "tm",
        )
        return {
            "tm_10k_p50_ms": ms,
            "tm_10k_cpu_p50_ms": CPU_MS["tm"],
            "tm_10k_suggestions": len(found),
        }

    return _rolled_back(work)


def _people():
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from reviews.models import LanguagePair

    User = get_user_model()
    translator = User.objects.create_user("bounded-translator", is_staff=True)
    translator.groups.add(Group.objects.get(name="Translators"))
    LanguagePair.objects.create(user=translator, source_language="en", target_language="kk")
    editor = User.objects.create_user("bounded-editor", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    return translator, editor


def article_file(title, paragraphs):
    lines = [title, "", "07.12.2026, 10:00", ""]
    for text in paragraphs:
        lines += [text, ""]
    lines += ["Editing by Bench Editor"]
    return "\n".join(lines).encode()


def _rows(edition, texts):
    from reviews.services import RowInput
    from translations.models import Article

    article = Article.objects.get(pk=edition.article_id)
    paragraphs = list(article.paragraphs.order_by("position"))
    rows = [RowInput(key="title", text=texts[0], revision=article.revision_in(edition.language))]
    rows += [
        RowInput(key=p.key, text=text, revision=p.revision_in(edition.language))
        for p, text in zip(paragraphs, texts[1:], strict=True)
    ]
    return rows


def review_page_figures(reps):
    from django.test import Client

    from reviews import diffing, services
    from translations import services as content
    from translations.importing import article_import
    from translations.models import Article, Edition

    rng = random.Random("review")

    def work():
        translator, editor = _people()
        sources = [text_of(2000, rng, LATIN) for _ in range(300)]
        report = article_import(
            data=article_file("Bounded review page", sources), language="en", publish=True
        )
        article = Article.objects.get(slug=report.slug)
        edition = content.edition_get_or_create(article=article, language="kk")
        services.edition_assign(edition=edition, users=[translator], by=editor)
        first = ["Бет"] + [text_of(2000, rng) for _ in range(300)]
        services.units_save(edition=edition, user=translator, rows=_rows(edition, first))
        version = services.version_submit(edition=edition, user=translator)
        services.version_approve(version=version, user=editor)
        edition = Edition.objects.get(pk=edition.pk)
        services.edition_reopen(edition=edition, user=translator)
        edition = Edition.objects.get(pk=edition.pk)
        second = ["Бет жаңа"] + [rewritten(text, 0.5, rng) for text in first[1:]]
        services.units_save(edition=edition, user=translator, rows=_rows(edition, second))
        version = services.version_submit(edition=Edition.objects.get(pk=edition.pk),
                                          user=translator)  # fmt: skip
        from django.urls import reverse

        url = reverse("admin:reviews_version_review", args=[version.pk])
        client = Client()
        client.force_login(editor)
        read = getattr(diffing, "_cache_read", None)
        diffing._cache_read = lambda keys: {}  # every diff computed, as on a first view
        try:
            cold, response = median_ms(max(1, reps // 2), lambda: client.get(url), "cold")
        finally:
            diffing._cache_read = read
        assert response.status_code == 200, response.status_code
        assert response.content.count(b"<del>") >= 300, "not every paragraph shows a diff"
        client.get(url)
        warm, _ = median_ms(reps, lambda: client.get(url), "warm")
        return {
            "review_page_rewritten_300_cold_ms": cold,
            "review_page_rewritten_300_cold_cpu_ms": CPU_MS["cold"],
            "review_page_rewritten_300_p50_ms": warm,
            "review_page_rewritten_300_cpu_p50_ms": CPU_MS["warm"],
            "review_page_rewritten_300_bytes": len(response.content),
        }

    return _rolled_back(work)


def import_figures(reps):
    from django.conf import settings

    from translations.importing import article_import

    limit = settings.TILMASH_MAX_IMPORT_BYTES
    rng = random.Random("import")
    out = {}

    def fill(paragraph_chars):
        """Paragraphs of ``paragraph_chars`` up to just under the size limit."""
        paragraphs, size = [], 200
        while True:
            text = text_of(paragraph_chars, rng)
            if size + len(text.encode()) + 2 > limit * 0.98:  # room for the rewrite
                return paragraphs
            paragraphs.append(text)
            size += len(text.encode()) + 2

    for label, chars in (("long", 9_900), ("short", 60)):
        paragraphs = fill(chars)

        def work(paragraphs=paragraphs, label=label):
            data = article_file(f"Bounded import {label}", paragraphs)
            first, report = median_ms(
                1, lambda: article_import(data=data, language="en", publish=True), "first"
            )
            changed = [rewritten(text, 0.5, rng)[: len(text)] for text in paragraphs]
            again = article_file(f"Bounded import {label}", changed)
            second, _ = median_ms(
                1,
                lambda: article_import(
                    data=again, language="en", publish=True, article_slug=report.slug
                ),
                "second",
            )
            return {
                f"import_max_{label}_bytes": len(data),
                f"import_max_{label}_paragraphs": len(paragraphs),
                f"import_max_{label}_ms": round(first),
                f"import_max_{label}_cpu_ms": round(CPU_MS["first"]),
                f"import_max_{label}_rewritten_ms": round(second),
                f"import_max_{label}_rewritten_cpu_ms": round(CPU_MS["second"]),
            }

        out.update(_rolled_back(work))
    return out


def xliff_figures(reps):
    from django.conf import settings
    from lxml import etree

    from reviews import services
    from reviews.xliff import formats as f
    from reviews.xliff import xliff_export, xliff_import
    from translations import services as content
    from translations.importing import article_import
    from translations.models import Article, Paragraph

    limit = settings.TILMASH_MAX_XLIFF_BYTES
    rng = random.Random("xliff")

    def work():
        translator, editor = _people()
        report = article_import(
            data=article_file("Bounded XLIFF", [text_of(9_000, rng, LATIN)]), language="en",
            publish=True,
        )  # fmt: skip
        article = Article.objects.get(slug=report.slug)
        # Enough 9,000-character paragraphs, with 9,000-character Kazakh targets
        # (2 bytes a letter), to bring the file to the size limit.
        count = int(limit * 0.97) // (9_000 * 3 + 400)
        Paragraph.objects.bulk_create(
            Paragraph(article=article, key=f"b{n}", position=n + 2,
                      text_en=text_of(9_000, rng, LATIN),
                      revision_en=1)
            for n in range(count - 1)
        )  # fmt: skip
        edition = content.edition_get_or_create(article=article, language="kk")
        services.edition_assign(edition=edition, users=[translator], by=editor)
        export = xliff_export(edition=edition, user=translator)
        root = etree.fromstring(export.content)
        for target in root.iter(f.q(f.XLIFF_20, "target")):
            target.getparent().remove(target)
        for segment in root.iter(f.q(f.XLIFF_20, "segment")):
            target = etree.SubElement(segment, f.q(f.XLIFF_20, "target"))
            is_title = segment.getparent().get("id") == "title"
            target.text = "Тақырып" if is_title else text_of(9_000, rng)
            segment.set("state", "translated")
        data = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
        ms, result = median_ms(1, lambda: xliff_import(source=data, user=translator), "xliff")
        assert not result.refused, result.refused[:1]
        return {
            "xliff_import_max_bytes": len(data),
            "xliff_import_max_limit_bytes": limit,
            "xliff_import_max_units": count + 1,
            "xliff_import_max_ms": round(ms),
            "xliff_import_max_cpu_ms": round(CPU_MS["xliff"]),
        }

    return _rolled_back(work)


def section_bounded(reps):
    from django.core import signals
    from django.db import close_old_connections, connection

    # The work is rolled back at the end: the test Client must not close the
    # connection (and its open transaction) between requests.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    tag = "pg" if connection.vendor == "postgresql" else "sqlite"
    out = {}
    steps = [diff_figures, qa_figures, glossary_figures, review_page_figures, import_figures,
             xliff_figures]  # fmt: skip
    only = {name for name in os.environ.get("BENCH_BOUNDED_ONLY", "").split(",") if name}
    if only:
        steps = [step for step in steps if step.__name__.removesuffix("_figures") in only]
    for step in steps:
        began = time.perf_counter()
        found = step(reps)
        found[f"bounded_{step.__name__}_s"] = round(time.perf_counter() - began, 1)
        print(found, file=sys.stderr, flush=True)
        out.update(found)
    if not only or "tm" in only:
        out.update({f"{key}_{tag}": value for key, value in tm_figures(reps).items()})
    return out
