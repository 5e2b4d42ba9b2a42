"""``python manage.py load_demo``: demo articles, accounts and editions in every state.

Runs only with DEBUG on: it creates accounts whose passwords it prints. The
three articles in ``demo/`` are imported with the real importer, and every
edition is then taken through the real desk services (assign, claim, save,
submit, request changes, approve, reopen), so the audit, credits and
notifications are those the desk itself would write.

Re-running is idempotent: an article already imported is left as it is (its
editions are not worked again), accounts are kept and get fresh passwords,
which are printed again.
"""

import datetime
import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from reviews import services
from reviews.models import LanguagePair
from reviews.preferences import desk_language_set
from reviews.roles import SENIOR_EDITORS_GROUP
from reviews.services import RowInput, deriving
from reviews.services.comments import comment_add
from reviews.workflow import EDITORS_GROUP, TRANSLATORS_GROUP
from translations.importing import article_import, article_parse
from translations.languages import language_derived_from, localized_field
from translations.models import Article, Contributor, Edition, Priority
from translations.services import contributor_for_user, edition_start
from translations.slugs import slug_from_title

DEMO_DIR = Path(settings.BASE_DIR) / "demo"
ALL_PAIRS = [("en", "kk"), ("en", "ru"), ("ru", "kk"), ("ru", "en"), ("kk", "ru"), ("kk", "en"),
             ("kk", "kk-latn")]

# username: (first name, last name, group or "superuser", working language pairs)
ACCOUNTS = {
    "admin": ("Demo", "Administrator", "superuser", []),
    "editor": ("Dana", "Abenova", EDITORS_GROUP, []),
    "editor2": ("Timur", "Serikbayev", EDITORS_GROUP, []),
    "translator": ("Saule", "Nurpeisova", TRANSLATORS_GROUP, ALL_PAIRS),
    "translator2": ("Arman", "Zhaksylykov", TRANSLATORS_GROUP,
                    [("en", "ru"), ("en", "kk"), ("kk", "ru"), ("kk", "en")]),
}  # fmt: skip
# The desk's language of the accounts that chose one; the others follow the browser.
DESK_LANGUAGE_OF = {"translator2": "ru", "editor2": "kk"}

# Editors who may also withdraw and reinstate articles.
SENIOR_EDITORS = {"editor2"}

# How the people the demo credits spell their names in each language.
SPELLINGS = {
    # Her own Latin spelling, not the transliteration ("Älia Däuletova").
    "Aliya Dauletova": {"en": "Aliya Dauletova", "kk": "Әлия Дәулетова", "ru": "Алия Даулетова",
                        "kk-latn": "Aliya Dauletova"},
    "Yerlan Tulegenov": {"en": "Yerlan Tulegenov", "kk": "Ерлан Түлегенов",
                         "ru": "Ерлан Тулегенов"},
    "Ольга Захарова": {"en": "Olga Zakharova", "kk": "Ольга Захарова", "ru": "Ольга Захарова"},
    "Бауыржан Ахметов": {"en": "Bauyrzhan Akhmetov", "kk": "Бауыржан Ахметов",
                         "ru": "Бауыржан Ахметов"},
    "Гүлнар Сәрсенова": {"en": "Gulnar Sarsenova", "kk": "Гүлнар Сәрсенова",
                         "ru": "Гульнар Сарсенова"},
    "Дәурен Қасымов": {"en": "Dauren Kassymov", "kk": "Дәурен Қасымов", "ru": "Даурен Касымов"},
    "Dana Abenova": {"en": "Dana Abenova", "kk": "Дана Әбенова", "ru": "Дана Абенова"},
    "Timur Serikbayev": {"en": "Timur Serikbayev", "kk": "Тимур Серікбаев",
                         "ru": "Тимур Серикбаев"},
    "Saule Nurpeisova": {"en": "Saule Nurpeisova", "kk": "Сәуле Нұрпейісова",
                         "ru": "Сауле Нурпеисова"},
    "Arman Zhaksylykov": {"en": "Arman Zhaksylykov", "kk": "Арман Жақсылықов",
                          "ru": "Арман Жаксылыков"},
}  # fmt: skip

# The correction the Russian tram article is reopened for (paragraph 3).
TRAM_RU_CORRECTION = (
    "«Двадцать лет жители просили нас о трамвае до порта. Сегодня первый вагон вышел "
    "из депо с пассажирами», — сказал руководитель городского отдела транспорта "
    "Марат Есенов."
)


# The library story's correction (paragraph 1: 45,000 books, not 40,000) and its
# note, in each language; the bridge story's update (paragraph 2) and its
# advisory line, in Russian and Kazakh (the English edition is still to follow).
LIBRARY_CORRECTION = {
    "kk": (
        "Шымкентте сенбі күні үш қабатты жаңа балалар кітапханасы ашылды. Кітапхана қорында "
        "45 мың кітап бар, оның жартысы қазақ тілінде.",
        "Мақаланың бұрынғы нұсқасында кітапхана қорындағы кітап саны 40 мың деп көрсетілген.",
    ),
    "ru": (
        "В Шымкенте в субботу открылась новая трёхэтажная детская библиотека. В её фонде "
        "45 тысяч книг, половина из них на казахском языке.",
        "В первоначальной версии статьи фонд библиотеки был указан как 40 тысяч книг.",
    ),
    "en": (
        "A new three-storey children's library opened in Shymkent on Saturday. It holds "
        "45,000 books, half of them in Kazakh.",
        "An earlier version of this article gave the number of books as 40,000.",
    ),
}
BRIDGE_UPDATE = {
    "ru": (
        "Автобусы трёх маршрутов пойдут в объезд по улице Ерубаева, пешеходы смогут проходить "
        "по временному настилу. В акимате города пообещали добавить на время ремонта два "
        "рейса в час.",
        "Дополнено: во втором абзаце — ответ акимата о дополнительных рейсах.",
    ),
    "kk": (
        "Үш бағыттағы автобустар Ерубаев көшесімен айналып жүреді, жаяу жүргіншілер уақытша "
        "төсеніш арқылы өте алады. Қала әкімдігі жөндеу кезінде сағатына екі рейс қосуға "
        "уәде берді.",
        "Толықтырылды: екінші абзацқа әкімдіктің қосымша рейстер туралы жауабы қосылды.",
    ),
}


class Command(BaseCommand):
    help = "Load demo articles, editions in every state and demo accounts (DEBUG only)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "load_demo runs only with DEBUG on: it creates accounts with passwords it "
                "prints. Run it on a development machine with DEBUG=1 (make demo does)."
            )
        self.now = timezone.now()
        with transaction.atomic():
            self.people, passwords = self.accounts()
            loaded = [self.tram_line(), self.grain_harvest(), self.chess_tournament()]
            self.lifecycle(*loaded[1:])
            loaded += [self.library_corrected(), self.bridge_updated()]
            self.spell_names()
        names = ("tram-line", "grain-harvest", "chess-tournament", "library", "bridge-repair")
        for name, article in zip(names, loaded, strict=True):
            verb = "loaded" if article else "already there, left as it is"
            self.stdout.write(f"Demo article {name}: {verb}.")
        self.stdout.write(
            self.style.WARNING("\nDemo accounts (demo only, new passwords each run):")
        )
        for username, password in passwords.items():
            role = ACCOUNTS[username][2]
            self.stdout.write(f"  {username:<12} {password:<28} {role}")
        self.stdout.write(
            "\nSign in at /admin/; the public site is at /en/, /ru/, /kk/ and /kk-latn/."
        )
        self.stdout.write(
            "Breaking news: the chess tournament's Russian edition is half done; as an editor,"
            "\nopen it and press “Pre-translate” (the worker drafts the rest, offline by default)."
        )

    # People ------------------------------------------------------------------------

    def accounts(self):
        people, passwords = {}, {}
        User = get_user_model()
        for username, (first, last, role, pairs) in ACCOUNTS.items():
            user, _created = User.objects.get_or_create(username=username)
            user.first_name, user.last_name = first, last
            user.email = f"{username}@demo.invalid"
            user.is_staff = True
            user.is_superuser = role == "superuser"
            passwords[username] = f"demo-{username}-{secrets.token_hex(4)}"
            user.set_password(passwords[username])
            user.save()
            if role != "superuser":
                user.groups.add(Group.objects.get(name=role))
            if username in SENIOR_EDITORS:
                user.groups.add(Group.objects.get(name=SENIOR_EDITORS_GROUP))
            for source_language, target_language in pairs:
                LanguagePair.objects.get_or_create(
                    user=user, source_language=source_language, target_language=target_language
                )
            if username in DESK_LANGUAGE_OF:
                desk_language_set(user=user, language=DESK_LANGUAGE_OF[username])
            people[username] = user
        return people, passwords

    def spell_names(self):
        for person in self.people.values():
            if person.get_full_name() in SPELLINGS:
                contributor_for_user(person)
        for contributor in Contributor.objects.all():
            spellings = next(
                (
                    SPELLINGS[name]
                    for name in (contributor.name_in(code) for code, _label in settings.LANGUAGES)
                    if name in SPELLINGS
                ),
                None,
            )
            if spellings:
                for language, spelled in spellings.items():
                    setattr(contributor, localized_field("name", language), spelled)
                contributor.save()

    # Steps ---------------------------------------------------------------------------

    def source(self, filename, language, user):
        """Import a source article and publish it, unless it is there already."""
        data = (DEMO_DIR / filename).read_bytes()
        parsed = article_parse(data, language=language)
        base = slug_from_title(parsed.title)
        if Article.objects.filter(
            slug__startswith=base, source_language=language, dateline=parsed.dateline
        ).exists():
            return None
        report = article_import(data=data, language=language, publish=True, user=user)
        article = Article.objects.get(slug=report.slug)
        source = Edition.objects.get(article=article, language=language)
        if not source.live_version or not source.live_version.credits.exists():
            raise CommandError(f"{filename}: the demo article was not published with credits.")
        return article

    def start(self, article, language, by, users=(), **assignment):
        edition, _created = edition_start(article=article, language=language, user=by)
        if users:
            services.edition_assign(edition=edition, users=list(users), by=by, **assignment)
        return Edition.objects.get(pk=edition.pk)

    def translate(self, edition, user, filename, *, paragraphs=None):
        """Save the translation in ``demo/translations/filename`` as ``user`` would,
        the title and the first ``paragraphs`` paragraphs (all when None)."""
        parsed = article_parse(
            (DEMO_DIR / "translations" / filename).read_bytes(), language=edition.language
        )
        article = Article.objects.get(pk=edition.article_id)
        units = list(article.paragraphs.order_by("position"))
        texts = list(parsed.paragraphs)[: paragraphs if paragraphs is not None else len(units)]
        language = edition.language
        rows = [RowInput(key="title", text=parsed.title, revision=article.revision_in(language))]
        rows += [
            RowInput(key=unit.key, text=text, revision=unit.revision_in(language))
            for unit, text in zip(units[: len(texts)], texts, strict=True)
        ]
        report = services.units_save(edition=edition, user=user, rows=rows)
        if report.conflicts:
            raise CommandError(f"{filename}: the demo translation met a conflict.")
        return Edition.objects.get(pk=edition.pk)

    def derived(self, article, language, user):
        """The edition in ``language`` derived from a live one, deriving it if the desk
        runs with ``TILMASH_DERIVE_EDITIONS`` off."""
        edition = Edition.objects.filter(article=article, language=language).first()
        if edition is None:
            source = Edition.objects.get(article=article, language=language_derived_from(language))
            deriving.version_derive(version=source.live_version, user=user)
            edition = Edition.objects.get(article=article, language=language)
        return edition

    def hours(self, count):
        return self.now + datetime.timedelta(hours=count)

    # The three articles ----------------------------------------------------------------

    def tram_line(self):
        """English source; Kazakh approved, and its Latin-script edition derived from it and
        approved by another editor; Russian approved, then reopened for a correction."""
        p = self.people
        article = self.source("tram-line.en.txt", "en", p["editor"])
        if article is None:
            return None
        kk = self.start(article, "kk", p["editor"], [p["translator"]],
                        deadline=self.hours(6), priority=Priority.URGENT)  # fmt: skip
        kk = self.translate(kk, p["translator"], "tram-line.kk.txt")
        version = services.version_submit(edition=kk, user=p["translator"])
        services.version_approve(version=version, user=p["editor"], comment="Good, clean copy.")
        latin = self.derived(article, "kk-latn", p["editor"])
        services.version_approve(
            version=latin.versions.latest("number"),
            user=p["editor2"],
            comment="Checked the marked words against the spelling dictionary.",
        )

        ru = self.start(article, "ru", p["editor"], [p["translator2"]], deadline=self.hours(8))
        ru = self.translate(ru, p["translator2"], "tram-line.ru.txt")
        version = services.version_submit(edition=ru, user=p["translator2"])
        services.version_approve(version=version, user=p["editor2"])
        services.edition_reopen(
            edition=ru,
            user=p["editor"],
            comment="Paragraph 3: Yessenov heads the city transport department, not the "
            "regional one.",
        )
        quote = article.paragraphs.get(position=3)
        services.units_save(
            edition=ru,
            user=p["translator2"],
            rows=[RowInput(key=quote.key, text=TRAM_RU_CORRECTION, revision=quote.revision_ru)],
        )
        return article

    def grain_harvest(self):
        """Russian source; Kazakh in review; English sent back with changes requested."""
        p = self.people
        article = self.source("grain-harvest.ru.txt", "ru", p["editor2"])
        if article is None:
            return None
        kk = self.start(article, "kk", p["editor2"], [p["translator"]], deadline=self.hours(20))
        kk = self.translate(kk, p["translator"], "grain-harvest.kk.txt")
        services.version_submit(
            edition=kk, user=p["translator"], note="“Центнер” kept as it is: it is in use."
        )

        en = self.start(article, "en", p["editor2"], [p["translator"]],
                        deadline=self.hours(-3), priority=Priority.URGENT)  # fmt: skip
        en = self.translate(en, p["translator"], "grain-harvest.en.txt")
        version = services.version_submit(edition=en, user=p["translator"])
        yield_unit = next(u for u in version.paragraphs if "centners" in u["text"])
        comment_add(
            version=version,
            unit_key=yield_unit["key"],
            user=p["editor"],
            body="Here: “12.7 centners per hectare (1.27 tonnes)”.",
        )
        services.version_request_changes(
            version=version,
            user=p["editor"],
            comment="Give the yield in tonnes per hectare too (1.27 t/ha): "
            "centners mean little to English readers.",
        )
        return article

    def chess_tournament(self):
        """Kazakh source, its Latin-script edition derived and in review; Russian claimed
        and in progress; English waiting in the pool."""
        p = self.people
        article = self.source("chess-tournament.kk.txt", "kk", p["editor"])
        if article is None:
            return None
        ru = self.start(article, "ru", p["editor"])
        services.edition_claim(edition=ru, user=p["translator2"])
        services.edition_assign(
            edition=ru, users=[p["translator2"]], by=p["editor"],
            deadline=self.hours(2), priority=Priority.BREAKING,
        )  # fmt: skip
        self.translate(ru, p["translator2"], "chess-tournament.ru.txt", paragraphs=2)
        self.start(article, "en", p["editor"])
        self.derived(article, "kk-latn", p["editor"])
        return article

    # The lifecycle --------------------------------------------------------------------

    def lifecycle(self, grain, chess):
        """The chess story embargoed (a countdown on the desk), the harvest withdrawn."""
        p = self.people
        if chess is not None:
            source = Edition.objects.get(article=chess, language=chess.source_language)
            services.embargo_set(
                edition=source,
                user=p["editor"],
                until=self.hours(2) + datetime.timedelta(minutes=30),
                whole_article=True,
            )
        if grain is not None:
            source = Edition.objects.get(article=grain, language=grain.source_language)
            services.article_withdraw(
                edition=source,
                user=p["editor2"],
                reason="The ministry withdrew the harvest figures it gave; the story "
                "waits for the corrected ones.",
            )

    # Running updates and corrections -------------------------------------------------

    def approved(self, edition, writer, approver, filename=None):
        """Translate (unless done), submit as ``writer`` and approve as ``approver``."""
        if filename:
            edition = self.translate(edition, writer, filename)
        version = services.version_submit(edition=edition, user=writer)
        services.version_approve(version=version, user=approver)
        return Edition.objects.get(pk=edition.pk)

    def follow(self, edition, user, key, text, note):
        """Save ``text`` into paragraph ``key`` of ``edition`` and write its public note."""
        unit = Article.objects.get(pk=edition.article_id).paragraphs.get(key=key)
        services.units_save(
            edition=edition,
            user=user,
            rows=[RowInput(key=key, text=text, revision=unit.revision_in(edition.language))],
        )
        services.edition_note_save(edition=edition, user=user, note=note)
        return Edition.objects.get(pk=edition.pk)

    def library_corrected(self):
        """Kazakh source; a correction approved in all three languages, with its notes."""
        p = self.people
        article = self.source("library.kk.txt", "kk", p["editor"])
        if article is None:
            return None
        ru = self.start(article, "ru", p["editor"], [p["translator2"]])
        self.approved(ru, p["translator2"], p["editor2"], "library.ru.txt")
        en = self.start(article, "en", p["editor"], [p["translator"]])
        self.approved(en, p["translator"], p["editor"], "library.en.txt")
        key = article.paragraphs.get(position=1).key
        kk = Edition.objects.get(article=article, language="kk")
        text, note = LIBRARY_CORRECTION["kk"]
        services.correction_open(edition=kk, user=p["editor"], note=note)
        kk = self.follow(kk, p["editor"], key, text, note)
        self.approved(kk, p["editor"], p["editor2"])
        for language, writer, approver in (("ru", "translator2", "editor"),
                                           ("en", "translator", "editor2")):  # fmt: skip
            edition = Edition.objects.get(article=article, language=language)
            text, note = LIBRARY_CORRECTION[language]
            edition = self.follow(edition, p[writer], key, text, note)
            self.approved(edition, p[writer], p[approver])
        return article

    def bridge_updated(self):
        """Russian source updated with an advisory line; Kazakh followed, English to follow."""
        p = self.people
        article = self.source("bridge-repair.ru.txt", "ru", p["editor2"])
        if article is None:
            return None
        kk = self.start(article, "kk", p["editor2"], [p["translator"]])
        self.approved(kk, p["translator"], p["editor"], "bridge-repair.kk.txt")
        en = self.start(article, "en", p["editor2"], [p["translator"]])
        self.approved(en, p["translator"], p["editor2"], "bridge-repair.en.txt")
        key = article.paragraphs.get(position=2).key
        ru = Edition.objects.get(article=article, language="ru")
        text, note = BRIDGE_UPDATE["ru"]
        services.update_open(edition=ru, user=p["editor2"], note=note)
        ru = self.follow(ru, p["editor2"], key, text, note)
        self.approved(ru, p["editor2"], p["editor"])
        kk = Edition.objects.get(article=article, language="kk")
        text, note = BRIDGE_UPDATE["kk"]
        self.approved(self.follow(kk, p["translator"], key, text, note), p["translator"],
                      p["editor2"])  # fmt: skip
        return article
