"""Operations: deploy checks, migrations both ways, backup and restore."""

import os
import secrets
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.factories import ContributorFactory, article_with_paragraphs, publish, translate

ROOT = Path(__file__).resolve().parent.parent


def production_environment(**extra):
    environment = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {
            "DEBUG",
            "HTTPS",
            "DJANGO_SETTINGS_MODULE",
            "ALLOWED_HOSTS",
            "DJANGO_ALLOW_ASYNC_UNSAFE",  # set by the browser tests for their live server
        }
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="news.example.kz",
        **extra,
    )
    return environment


def test_check_deploy_is_clean_under_production_settings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_environment(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_refuse_to_start_without_a_secret_key():
    environment = production_environment()
    environment.pop("SECRET_KEY")
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def _leaf_migrations():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True)
def test_migrations_reverse_to_zero_and_apply_again():
    project_apps = ["aids", "reviews", "translations"]
    for app in project_apps:
        call_command("migrate", app, "zero", verbosity=0)
    tables = set(connection.introspection.table_names())
    assert not {t for t in tables if t.startswith(tuple(f"{a}_" for a in project_apps))}
    call_command("migrate", verbosity=0)
    executor = MigrationExecutor(connection)
    assert executor.migration_plan(_leaf_migrations()) == []
    # The triggers came back with the tables: a version is still immutable.
    article = article_with_paragraphs(count=1)
    edition = publish(article, "en")
    from django.db import IntegrityError, transaction

    from translations.models import Version

    with pytest.raises(IntegrityError), transaction.atomic():
        Version.objects.filter(pk=edition.live_version_id).update(title="changed")


def _pg_command(name):
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} is not installed (PostgreSQL client tools)")
    return path


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_pg_dump_restored_into_an_empty_database_serves_the_same_pages(client, tmp_path):
    article = article_with_paragraphs(texts=["Бірінші абзац.", "Second «paragraph»."])
    publish(article, "en", translators=[ContributorFactory(name="Saniya Sakenova")])
    translate(article, "kk", ["Бір.", "Екі."])
    publish(article, "kk", translators=[ContributorFactory(name="Assem Zhanmukhanova")])
    pages = [f"/en/articles/{article.slug}/", f"/kk/articles/{article.slug}/", "/kk/"]
    before = {page: client.get(page).content.decode() for page in pages}

    settings_dict = connection.settings_dict
    server = ["-h", settings_dict["HOST"] or "127.0.0.1", "-U", settings_dict["USER"] or "postgres"]
    if settings_dict.get("PORT"):
        server += ["-p", str(settings_dict["PORT"])]
    dump = tmp_path / "tilmash.dump"
    restored = f"{settings_dict['NAME']}_restored"
    subprocess.run(
        [_pg_command("pg_dump"), *server, "-Fc", "-f", str(dump), settings_dict["NAME"]],
        check=True,
    )
    subprocess.run([_pg_command("dropdb"), *server, "--if-exists", restored], check=True)
    subprocess.run([_pg_command("createdb"), *server, restored], check=True)
    try:
        subprocess.run(
            [_pg_command("pg_restore"), *server, "--no-owner", "-d", restored, str(dump)],
            check=True,
        )
        script = (
            "import django, json, sys; django.setup();"
            "from django.test import Client; c = Client();"
            "print(json.dumps({p: c.get(p).content.decode() for p in sys.argv[1:]}))"
        )
        host = settings_dict["HOST"] or "127.0.0.1"
        result = subprocess.run(
            [sys.executable, "-c", script, *pages],
            cwd=ROOT,
            env={
                **os.environ,
                "DJANGO_SETTINGS_MODULE": "config.test_settings",
                "DATABASE_URL": f"postgres://{settings_dict['USER']}@{host}/{restored}",
            },
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
        import json

        after = json.loads(result.stdout)
    finally:
        subprocess.run([_pg_command("dropdb"), *server, "--if-exists", restored], check=True)
    for page in pages:
        assert after[page] == before[page], page
    assert "Бірінші абзац." in after[f"/en/articles/{article.slug}/"]
