"""``translations.states.edition_state_move`` is the only code that writes an edition's state.

The walk reads every module of the application (not the tests, not the
migrations, not ``bench/``, whose bulk loader writes a synthetic archive as
raw rows) and reports any other assignment to ``<edition>.state``, any
``state=`` given when creating or updating editions, and any save naming
``"state"`` in its fields.
"""

import ast
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from tests.factories import article_with_paragraphs
from translations.models import AuditEntry, Edition, EditionState
from translations.states import (
    ARTICLE_TRANSITIONS,
    TRANSITIONS,
    Move,
    edition_state_move,
    next_state,
)

ROOT = Path(__file__).resolve().parent.parent
APPS = ("translations", "reviews", "aids", "config")
THE_WRITER = ROOT / "translations" / "states.py"
# Calls that write rows: with ``state=`` on something named edition, a state write.
WRITING_CALLS = {"create", "update", "get_or_create", "update_or_create", "bulk_create", "add"}


def _about_editions(node):
    return "edition" in ast.unparse(node).lower()


def _names_state(node):
    return isinstance(node, ast.Constant) and node.value == "state"


def state_writes(tree):
    """``[(line, source)]`` of every write of an edition's state in ``tree``."""
    found = []
    for node in ast.walk(tree):
        targets = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, ast.AugAssign | ast.AnnAssign):
            targets = [node.target]
        for target in targets:
            for part in ast.walk(target):
                if (
                    isinstance(part, ast.Attribute)
                    and part.attr == "state"
                    and _about_editions(part.value)
                ):
                    found.append((node.lineno, ast.unparse(node)))
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        writes = False
        if name == "setattr" and len(node.args) >= 2:
            writes = _names_state(node.args[1]) and _about_editions(node.args[0])
        elif _about_editions(func) and (name in WRITING_CALLS or name.endswith("Edition")):
            for keyword in node.keywords:
                if keyword.arg == "state":
                    writes = True
                if keyword.arg == "defaults" and isinstance(keyword.value, ast.Dict):
                    writes |= any(_names_state(key) for key in keyword.value.keys)
        elif name in ("save", "bulk_update") and _about_editions(node):
            fields = [k.value for k in node.keywords if k.arg == "update_fields"]
            fields += node.args[1:2] if name == "bulk_update" else []
            writes = any(
                _names_state(element)
                for value in fields
                if isinstance(value, ast.List | ast.Tuple)
                for element in value.elts
            )
        if writes:
            found.append((node.lineno, ast.unparse(node)))
    return found


def application_modules():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.parts and path != THE_WRITER:
                yield path


def test_nothing_but_edition_state_move_writes_an_edition_state():
    found = [
        f"{path.relative_to(ROOT)}:{line}: {source}"
        for path in application_modules()
        for line, source in state_writes(ast.parse(path.read_text(), filename=str(path)))
    ]
    assert found == []


def test_the_walk_reads_the_application():
    paths = {path.relative_to(ROOT).as_posix() for path in application_modules()}
    assert {"reviews/services/decisions.py", "translations/importing/service.py"} <= paths
    assert "translations/services/versions.py" in paths


PLANTED = """
from translations.models import Edition, EditionState

def publish(edition, version, article):
    edition.state = EditionState.APPROVED
    version.edition.state = "approved"
    setattr(edition, "state", "in_review")
    Edition.objects.create(article=article, language="ru", state="in_progress")
    Edition(article=article, language="en", state="approved")
    Edition.objects.filter(article=article).update(state="approved")
    article.editions.update(state="approved")
    Edition.objects.update_or_create(article=article, defaults={"state": "approved"})
    edition.save(update_fields=["state", "updated_at"])
    Edition.objects.bulk_update([edition], ["state"])

def reads_and_others(edition, review):
    review.state = "open"
    Edition.objects.filter(state=EditionState.APPROVED).count()
    edition.save(update_fields=["deadline", "updated_at"])
    edition.deadline = None
"""


def test_the_walk_finds_a_planted_write(tmp_path):
    module = tmp_path / "planted.py"
    module.write_text(PLANTED)
    found = state_writes(ast.parse(module.read_text()))
    assert [line for line, _source in found] == list(range(5, 15))


def test_the_walk_finds_a_write_in_a_real_module_changed_to_have_one():
    source = (ROOT / "reviews" / "services" / "saving.py").read_text()
    assert state_writes(ast.parse(source)) == []
    planted = source.replace(
        "edition_move(edition, Move.START, user=user)",
        "edition.state = EditionState.IN_PROGRESS",
    )
    assert planted != source
    assert len(state_writes(ast.parse(planted))) == 1


@pytest.mark.django_db
def test_a_move_not_in_the_table_is_refused_and_writes_nothing():
    article = article_with_paragraphs(count=1)
    edition = Edition.objects.create(article=article, language="ru")
    assert next_state(EditionState.NOT_STARTED, Move.APPROVE) is None
    with pytest.raises(ValidationError):
        edition_state_move(edition=edition, move=Move.APPROVE, user=None, action="tests.approve")
    edition.refresh_from_db()
    assert edition.state == EditionState.NOT_STARTED
    assert not AuditEntry.objects.filter(edition=edition).exists()


@pytest.mark.django_db
def test_a_move_saves_the_state_and_writes_one_audit_entry(django_assert_num_queries):
    article = article_with_paragraphs(count=1)
    edition = Edition.objects.create(article=article, language="ru")
    edition = Edition.objects.select_related("article").get(pk=edition.pk)
    with django_assert_num_queries(2):  # the UPDATE, the audit entry's INSERT
        edition_state_move(edition=edition, move=Move.START, user=None, action="tests.start")
    edition.refresh_from_db()
    assert edition.state == EditionState.IN_PROGRESS
    entry = AuditEntry.objects.get(edition=edition)
    assert (entry.action, entry.from_state, entry.to_state) == (
        "tests.start",
        EditionState.NOT_STARTED,
        EditionState.IN_PROGRESS,
    )


def test_the_importer_cannot_publish_past_a_version_in_review():
    assert next_state(EditionState.IN_REVIEW, Move.PUBLISH_ON_IMPORT) is None
    assert next_state(EditionState.IN_REVIEW, Move.IMPORT) == EditionState.IN_REVIEW
    # Every move is in a table: an edition's, or (withdrawal) the whole article's.
    moves = {move for _state, move in TRANSITIONS} | {move for _s, move in ARTICLE_TRANSITIONS}
    assert moves == set(Move)
