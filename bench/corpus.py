"""A newsroom-sized corpus for the benchmarks, written in bulk.

Every article gets ~12 paragraphs of source text and working copies in the
other two languages, three editions (the source and two translations), each
with an approved live version and its credits; a share of the translations
is in review (a second, unapproved version with an open review) or in
progress (the working copy moved on since the live version).

Rows are built as plain tuples in batches of articles, each batch one
transaction: COPY through psycopg 3 on PostgreSQL, ``executemany`` INSERTs
elsewhere, or ``bulk_create`` (``method="orm"``), which is slower because it
builds a model instance per row. Ids are assigned here, so one batch can
insert rows that point at each other in any order: the foreign keys are
``DEFERRABLE INITIALLY DEFERRED`` (Django's default), checked at commit.

That order is also how the immutability triggers are satisfied without
disabling them: a credit is inserted *before* its version row, so the
trigger refusing credits on approved versions finds no approved version,
and the version is then inserted already approved (an INSERT, which the
version trigger does not watch). ``replica=True`` (PostgreSQL, superuser)
instead sets ``session_replication_role = replica`` for the load, which
skips every trigger, the foreign-key checks included: faster, and safe only
because the rows are correct by construction.
"""

import json
import random
import time
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.utils import timezone

from reviews.models import Assignment, LanguagePair, Review, ReviewState
from translations.languages import language_codes, localized_field
from translations.models import (
    Article,
    Contributor,
    Credit,
    CreditRole,
    Edition,
    EditionState,
    Paragraph,
    Version,
)

from .names import PASSWORD, SLUG_PREFIX  # noqa: F401  (re-exported)

EDITORS = 4
TRANSLATORS = 20
AUTHORS = 30
POOL_SIZE = 997  # paragraph texts per language; prime, so indices spread
TITLE_KEY = Version.TITLE_KEY

WORDS = {
    "kk": (
        "жаңалық үкімет елорда қала өңір халық жоба бағдарлама жыл ай күн министр әкім "
        "мектеп аурухана жол құрылыс су электр қаржы бюджет теңге инвестиция кәсіпорын "
        "зауыт егін мал шаруа ауыл тұрғын үй көлік жүргізуші оқушы мұғалім дәрігер "
        "жиналыс шешім заң депутат сайлау кеңес бастама мәселе нәтиже жоспар даму "
        "маңызды жаңа үлкен көп аз жақсы қиын ашық ресми жергілікті өткен келесі"
    ).split(),
    "ru": (
        "новость правительство столица город регион население проект программа год "
        "месяц день министр аким школа больница дорога строительство вода электричество "
        "финансы бюджет тенге инвестиция предприятие завод урожай скот фермер село "
        "жилой дом транспорт водитель ученик учитель врач собрание решение закон "
        "депутат выборы совет инициатива проблема результат план развитие важный "
        "новый большой много мало хороший сложный открытый официальный местный"
    ).split(),
    "en": (
        "news government capital city region population project programme year month "
        "day minister mayor school hospital road construction water electricity "
        "finance budget tenge investment company plant harvest livestock farmer "
        "village housing transport driver pupil teacher doctor meeting decision law "
        "deputy election council initiative problem result plan development important "
        "new large many few good difficult open official local"
    ).split(),
}



def corpus_languages():
    """The languages articles are written and translated in. A language derived by
    transliteration (kk-latn) is left out: its editions come from a live version of
    its source language, not from a translator."""
    derived = settings.TILMASH_DERIVED_LANGUAGES
    return [code for code in language_codes() if code not in derived]


def text_pool(language, count, words, seed):
    """``count`` sentence-like texts of about ``words`` words, the same for a seed."""
    rng = random.Random(f"{seed}:{language}")
    vocabulary = WORDS[language]
    texts = []
    for _number in range(count):
        sentences = []
        remaining = words
        while remaining > 0:
            length = min(remaining, rng.randint(8, 16))
            sentence = " ".join(rng.choice(vocabulary) for _ in range(length))
            sentences.append(sentence[0].upper() + sentence[1:] + ".")
            remaining -= length
        texts.append(" ".join(sentences))
    return texts


class Table:
    """One model's columns in order, with the value each takes when not given."""

    def __init__(self, model, now):
        self.model = model
        self.fields = list(model._meta.concrete_fields)
        self.attnames = [f.attname for f in self.fields]
        self.columns = [f.column for f in self.fields]
        self.datetime_positions = [
            i for i, f in enumerate(self.fields) if isinstance(f, models.DateTimeField)
        ]
        self.json_positions = [
            i for i, f in enumerate(self.fields) if isinstance(f, models.JSONField)
        ]
        self.defaults = [self._default(f, now) for f in self.fields]
        self.rows = []  # dicts of attname -> value, the batch being built

    @staticmethod
    def _default(field, now):
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            return now
        if field.has_default():
            return now if field.default is timezone.now else field.get_default()
        if field.null:
            return None
        if isinstance(field, (models.CharField, models.TextField)):
            return ""
        return _REQUIRED

    def add(self, **values):
        self.rows.append(values)

    def tuples(self, adapt_datetime, dump_json):
        out = []
        pairs = list(zip(self.attnames, self.defaults, strict=True))
        missing = [name for name, default in pairs if default is _REQUIRED]
        if self.rows and any(name not in self.rows[0] for name in missing):
            raise ValueError(f"{self.model.__name__}: no value for {missing}")
        for values in self.rows:
            row = [values.get(name, default) for name, default in pairs]
            for i in self.datetime_positions:
                if row[i] is not None:
                    row[i] = adapt_datetime(row[i])
            for i in self.json_positions:
                row[i] = dump_json(row[i])
            out.append(row)
        return out


_REQUIRED = object()


@dataclass
class People:
    editors: list
    translators: list
    contributor_of: dict  # user id -> contributor id
    authors: list  # contributor ids without a login


@dataclass
class CorpusReport:
    articles: int = 0
    rows: dict = field(default_factory=dict)
    seconds: float = 0.0
    method: str = ""

    @property
    def total_rows(self):
        return sum(self.rows.values())

    @property
    def rows_per_second(self):
        return self.total_rows / self.seconds if self.seconds else 0.0


def people_ensure():
    """The bench's editors, translators (every language pair) and credited authors."""
    User = get_user_model()
    editors_group = Group.objects.get(name="Editors")
    translators_group = Group.objects.get(name="Translators")
    password = make_password(PASSWORD)
    languages = corpus_languages()

    def ensure(username, group, first, last):
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "password": password,
                "first_name": first,
                "last_name": last,
                "is_staff": True,  # the desk lives in the admin
            },
        )
        if created:
            user.groups.add(group)
        return user

    editors = [
        ensure(f"bench-editor-{n}", editors_group, "Editor", f"Number {n}")
        for n in range(1, EDITORS + 1)
    ]
    translators = [
        ensure(f"bench-translator-{n}", translators_group, "Translator", f"Number {n}")
        for n in range(1, TRANSLATORS + 1)
    ]
    pairs = [(s, t) for s in languages for t in languages if s != t]
    LanguagePair.objects.bulk_create(
        [
            LanguagePair(user=user, source_language=s, target_language=t)
            for user in translators
            for s, t in pairs
        ],
        ignore_conflicts=True,
    )
    contributor_of = {}
    for user in editors + translators:
        contributor = Contributor.objects.filter(user=user).first()
        if contributor is None:
            contributor = _contributor(f"{user.first_name} {user.last_name}", user=user)
        contributor_of[user.pk] = contributor.pk
    authors = []
    for n in range(1, AUTHORS + 1):
        name = f"Bench Author {n}"
        found = Contributor.objects.filter(**{localized_field("name", "en"): name}).first()
        authors.append((found or _contributor(name)).pk)
    return People(editors, translators, contributor_of, authors)


def _contributor(name, user=None):
    contributor = Contributor(user=user)
    for code in language_codes():
        setattr(contributor, localized_field("name", code), f"{name} ({code})")
    setattr(contributor, localized_field("name", "en"), name)
    contributor.save()
    return contributor


def _next_ids(tables):
    return {
        model: (model.objects.aggregate(top=models.Max("id"))["top"] or 0) + 1 for model in tables
    }


class CorpusBuilder:
    """Builds articles ``start`` … ``start + count - 1`` in batches and writes them."""

    def __init__(
        self,
        *,
        paragraphs=12,
        words=45,
        open_share=0.1,
        progress_share=0.1,
        long_articles=0,
        long_paragraphs=300,
        method="auto",
        batch=500,
        replica=False,
        seed=1,
        progress=None,
    ):
        self.paragraphs = paragraphs
        self.open_share = open_share
        self.progress_share = progress_share
        self.long_articles = long_articles
        self.long_paragraphs = long_paragraphs
        self.batch = batch
        self.replica = replica
        self.progress = progress or (lambda message: None)
        vendor = connection.vendor
        if method == "auto":
            method = "copy" if vendor == "postgresql" else "insert"
        if method == "copy" and vendor != "postgresql":
            raise ValueError("COPY needs PostgreSQL; use --method insert or orm.")
        if replica and vendor != "postgresql":
            raise ValueError("--replica needs PostgreSQL.")
        self.method = method
        self.languages = corpus_languages()
        self.pool = {code: text_pool(code, POOL_SIZE, words, seed) for code in self.languages}
        self.titles = {code: text_pool(code, POOL_SIZE, 9, f"{seed}t") for code in self.languages}
        self.now = timezone.now()
        self.models = [Article, Paragraph, Credit, Version, Edition, Review, Assignment]

    # --- one article ------------------------------------------------------------

    def target_state(self, index, slot):
        """The state of an article's ``slot``-th translation (0 or 1), spread evenly."""
        if index < self.long_articles:
            return (EditionState.IN_REVIEW, EditionState.IN_PROGRESS)[slot]
        share = ((index * 2 + slot) * 2654435761 % 1000) / 1000
        if share < self.open_share:
            return EditionState.IN_REVIEW
        if share < self.open_share + self.progress_share:
            return EditionState.IN_PROGRESS
        return EditionState.APPROVED

    def article_add(self, index, ids, tables, people):
        languages = self.languages
        source = languages[index % len(languages)]
        targets = [code for code in languages if code != source]
        count = self.long_paragraphs if index < self.long_articles else self.paragraphs
        article_id = ids[Article]
        ids[Article] += 1
        editor = people.editors[index % len(people.editors)]
        dateline = self.now - timedelta(minutes=index)
        edited_at = dateline + timedelta(hours=1)
        approved_at = dateline + timedelta(hours=2)
        states = {code: self.target_state(index, slot) for slot, code in enumerate(targets)}
        translator = {
            code: people.translators[(index * 2 + slot) % len(people.translators)]
            for slot, code in enumerate(targets)
        }
        # The paragraph (1…count) that a translation in progress or in review changed.
        changed = index % count + 1
        base = index * 7919

        def text(language, n, *, pool=None, shift=0):
            pool = pool or self.pool
            return pool[language][(base + n * 31 + shift) % POOL_SIZE]

        units = {code: [] for code in languages}  # v1 per language
        units_next = {}  # v2 for editions in review
        article = {
            "id": article_id,
            "slug": f"{SLUG_PREFIX}{index:07d}",
            "source_language": source,
            "dateline": dateline,
            "created_at": dateline,
            "updated_at": approved_at,
            localized_field("title", source): text(source, 0, pool=self.titles),
            localized_field("revision", source): 1,
        }
        for code in languages:
            title = text(code, 0, pool=self.titles)
            author = None if code == source else translator[code].pk
            units[code].append(_unit(TITLE_KEY, title, text(source, 0, pool=self.titles), author))
            if code != source:
                article.update(
                    {
                        localized_field("title", code): title,
                        localized_field("revision", code): 1,
                        localized_field("source_revision", code): 1,
                        localized_field("edited_by", code) + "_id": author,
                        localized_field("edited_at", code): edited_at,
                    }
                )
        tables[Article].add(**article)
        for n in range(1, count + 1):
            key = f"{index:07x}{n:05x}"
            source_text = text(source, n)
            row = {
                "id": ids[Paragraph],
                "article_id": article_id,
                "key": key,
                "position": n,
                localized_field("text", source): source_text,
                localized_field("revision", source): 1,
            }
            ids[Paragraph] += 1
            units[source].append(_unit(key, source_text, source_text, None))
            for code in targets:
                live = text(code, n)
                units[code].append(_unit(key, live, source_text, translator[code].pk))
                working, revision = live, 1
                if states[code] != EditionState.APPROVED and n == changed:
                    working, revision = text(code, n, shift=1), 2
                row.update(
                    {
                        localized_field("text", code): working,
                        localized_field("revision", code): revision,
                        localized_field("source_revision", code): 1,
                        localized_field("edited_by", code) + "_id": translator[code].pk,
                        localized_field("edited_at", code): edited_at,
                    }
                )
            if "text_en" in row:
                # modeltranslation keeps the default language's text in the base column too.
                row["text"] = row["text_en"]
            tables[Paragraph].add(**row)
        for code in targets:
            if states[code] == EditionState.IN_REVIEW:
                units_next[code] = [dict(unit) for unit in units[code]]
                unit = units_next[code][changed]
                unit["text"] = text(code, changed, shift=1)

        for code in languages:
            edition_id = ids[Edition]
            ids[Edition] += 1
            is_source = code == source
            version_id = self.version_add(
                ids,
                tables,
                edition_id=edition_id,
                number=1,
                units=units[code],
                created_by=None if is_source else translator[code].pk,
                created_at=edited_at,
                approved_at=approved_at,
                approved_by=editor.pk,
                credits=self.credits_for(index, code, is_source, translator, editor, people),
            )
            state = EditionState.APPROVED if is_source else states[code]
            tables[Edition].add(
                id=edition_id,
                article_id=article_id,
                language=code,
                state=state,
                live_version_id=version_id,
                created_at=dateline,
                updated_at=approved_at,
            )
            if is_source:
                continue
            tables[Review].add(
                id=ids[Review],
                edition_id=edition_id,
                version_id=version_id,
                state=ReviewState.APPROVED,
                submitted_by_id=translator[code].pk,
                submitted_at=edited_at,
                decided_by_id=editor.pk,
                decided_at=approved_at,
            )
            ids[Review] += 1
            if state == EditionState.APPROVED:
                continue
            tables[Assignment].add(
                id=ids[Assignment],
                edition_id=edition_id,
                user_id=translator[code].pk,
                assigned_by_id=editor.pk,
                assigned_at=dateline,
            )
            ids[Assignment] += 1
            if state == EditionState.IN_REVIEW:
                submitted = approved_at + timedelta(hours=1)
                next_id = self.version_add(
                    ids,
                    tables,
                    edition_id=edition_id,
                    number=2,
                    units=units_next[code],
                    created_by=translator[code].pk,
                    created_at=submitted,
                    approved_at=None,
                    approved_by=None,
                    credits=[(people.contributor_of[translator[code].pk], CreditRole.TRANSLATOR)],
                )
                tables[Review].add(
                    id=ids[Review],
                    edition_id=edition_id,
                    version_id=next_id,
                    state=ReviewState.OPEN,
                    submitted_by_id=translator[code].pk,
                    submitted_at=submitted,
                )
                ids[Review] += 1

    def credits_for(self, index, language, is_source, translator, editor, people):
        if is_source:
            credits = [(people.authors[index % len(people.authors)], CreditRole.AUTHOR)]
        else:
            first = translator[language]
            credits = [(people.contributor_of[first.pk], CreditRole.TRANSLATOR)]
            if index % 4 == 0:
                second = people.translators[(index * 2 + 7) % len(people.translators)]
                if second.pk != first.pk:
                    credits.append((people.contributor_of[second.pk], CreditRole.TRANSLATOR))
        credits.append((people.contributor_of[editor.pk], CreditRole.EDITOR))
        return credits

    def version_add(self, ids, tables, *, edition_id, number, units, credits, **fields):
        version_id = ids[Version]
        ids[Version] += 1
        order = {}
        # Credits first: see the module docstring.
        for contributor_id, role in credits:
            order[role] = order.get(role, 0) + 1
            tables[Credit].add(
                id=ids[Credit],
                version_id=version_id,
                contributor_id=contributor_id,
                role=role,
                order=order[role],
            )
            ids[Credit] += 1
        tables[Version].add(
            id=version_id,
            edition_id=edition_id,
            number=number,
            title=units[0]["text"],
            units=units,
            created_at=fields["created_at"],
            created_by_id=fields["created_by"],
            approved_at=fields["approved_at"],
            approved_by_id=fields["approved_by"],
        )
        return version_id

    # --- writing ------------------------------------------------------------------

    def build(self, *, start, count):
        """Write ``count`` articles numbered from ``start``; returns a :class:`CorpusReport`."""
        report = CorpusReport(method=self.method + (" (replica)" if self.replica else ""))
        people = people_ensure()
        ids = _next_ids(self.models)
        began = time.perf_counter()
        done = 0
        while done < count:
            size = min(self.batch, count - done)
            tables = {model: Table(model, self.now) for model in self.models}
            for index in range(start + done, start + done + size):
                self.article_add(index, ids, tables, people)
            with transaction.atomic():
                if self.replica:
                    with connection.cursor() as cursor:
                        cursor.execute("SET LOCAL session_replication_role = replica")
                for model in self.models:
                    written = self.write(tables[model])
                    report.rows[model._meta.db_table] = (
                        report.rows.get(model._meta.db_table, 0) + written
                    )
            done += size
            elapsed = time.perf_counter() - began
            rows = sum(report.rows.values())
            self.progress(f"{done}/{count} articles, {rows} rows, {rows / elapsed:,.0f} rows/s")
        self.sequences_reset()
        report.articles = count
        report.seconds = time.perf_counter() - began
        return report

    def write(self, table):
        if not table.rows:
            return 0
        if self.method == "orm":
            objects = [table.model(**values) for values in table.rows]
            table.model.objects.bulk_create(objects, batch_size=2000)
            return len(objects)
        adapt = connection.ops.adapt_datetimefield_value
        columns = ", ".join(connection.ops.quote_name(c) for c in table.columns)
        name = connection.ops.quote_name(table.model._meta.db_table)
        with connection.cursor() as cursor:
            if self.method == "copy":
                rows = table.tuples(lambda value: value, _json_text)
                with cursor.copy(f"COPY {name} ({columns}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                rows = table.tuples(adapt, _json_text)
                marks = ", ".join(["%s"] * len(table.columns))
                cursor.executemany(f"INSERT INTO {name} ({columns}) VALUES ({marks})", rows)
        return len(rows)

    def sequences_reset(self):
        statements = connection.ops.sequence_reset_sql(no_style(), self.models)
        if statements:
            with connection.cursor() as cursor:
                for statement in statements:
                    cursor.execute(statement)


def _unit(key, text, source, author):
    return {"key": key, "text": text, "source": source, "source_revision": 1, "author": author}


def _json_text(value):
    # As Django's JSONField writes it (json.dumps defaults), so SQLite stores the same text.
    return json.dumps(value)


def bench_article_count():
    return Article.objects.filter(slug__startswith=SLUG_PREFIX).count()
