"""The fixed costs of a request, each against what it replaced, in one process, in turns.

``python -m bench.inprocess fixed`` (bench/run.py runs it on both databases).
Requests go through Django's WSGI handler, so the request cycle's own
signals open, check and close connections as under gunicorn; each
comparison alternates the two variants for several rounds and reports the
medians per request of this process's CPU (``…_cpu_us``, what contention
inflates least) and of the wall clock (``…_wall_us``, which includes the
database's side of a round trip):

- ``fixed_connection_{cached,uncached}``: the article page (a local-memory
  cache hit; rendered, cache off) with a connection opened per request
  (``CONN_MAX_AGE=0``, what SQLite was forced to before) against a kept one.
- ``fixed_health_check_{cached,uncached}`` (PostgreSQL): Django's ``SELECT 1``
  before every request's first query against ``config.db.postgresql``'s guard.
- ``fixed_middleware``: the ceiling (the article page's bytes, no database)
  through the desk's full middleware stack against the public reads' stack.

``…_before_…`` is the old way, ``…_after_…`` the new one, ``…_saved_share``
the share of the old CPU per request that the change saves.
"""

import contextlib
import os
import statistics
import tempfile
import time
from pathlib import Path
from unittest import mock


def _runner(handler, path):
    from django.test.client import RequestFactory

    environ = RequestFactory().get(path).environ

    def run(count):
        for _ in range(count):
            response = handler(dict(environ), lambda status, headers: None)
            assert response.status_code == 200, (path, response.status_code)
            b"".join(response)
            response.close()

    return run


def _compare(name, run, before, after, *, rounds, per_round):
    samples = {"before": ([], []), "after": ([], [])}
    for _round in range(rounds):
        for label, variant in (("before", before), ("after", after)):
            with variant():
                run(3)  # the variant's connection is open, the page warm
                began, began_cpu = time.perf_counter(), time.process_time()
                run(per_round)
                wall, cpu = samples[label]
                wall.append((time.perf_counter() - began) * 1e6 / per_round)
                cpu.append((time.process_time() - began_cpu) * 1e6 / per_round)
    out = {}
    for label, (wall, cpu) in samples.items():
        out[f"{name}_{label}_cpu_us"] = round(statistics.median(cpu), 1)
        out[f"{name}_{label}_wall_us"] = round(statistics.median(wall), 1)
    before_cpu, after_cpu = out[f"{name}_before_cpu_us"], out[f"{name}_after_cpu_us"]
    out[f"{name}_saved_share"] = round(1 - after_cpu / before_cpu, 3)
    return out


def section_fixed(reps):
    from django.core.handlers.wsgi import WSGIHandler
    from django.db import connection, connections
    from django.db.backends.postgresql import base as postgresql_base
    from django.test import Client, override_settings

    from bench.names import SLUG_PREFIX

    rounds = 5
    handler = WSGIHandler()
    detail = f"/en/articles/{SLUG_PREFIX}{10:07d}/"
    settings_dict = connection.settings_dict
    kept_age = settings_dict["CONN_MAX_AGE"] or 60

    @contextlib.contextmanager
    def max_age(seconds):
        connection.close()
        settings_dict["CONN_MAX_AGE"] = seconds
        try:
            yield
        finally:
            connection.close()
            settings_dict["CONN_MAX_AGE"] = kept_age

    @contextlib.contextmanager
    def select_1_every_request():
        django_check = postgresql_base.DatabaseWrapper.close_if_health_check_failed
        wrapper = type(connections["default"])
        with (
            max_age(kept_age),
            mock.patch.object(wrapper, "close_if_health_check_failed", django_check),
        ):
            yield

    uncached = lambda: override_settings(TILMASH_PUBLIC_CACHE_SECONDS=0)  # noqa: E731
    pages = (
        ("cached", detail, contextlib.nullcontext, max(50, reps * 10)),
        ("uncached", detail, uncached, max(15, reps * 2)),
    )
    out = {}
    for label, path, page_settings, per_round in pages:
        with page_settings():
            run = _runner(handler, path)
            out.update(
                _compare(
                    f"fixed_connection_{label}",
                    run,
                    lambda: max_age(0),
                    lambda: max_age(kept_age),
                    rounds=rounds,
                    per_round=per_round,
                )
            )
            if connection.vendor == "postgresql":
                out.update(
                    _compare(
                        f"fixed_health_check_{label}",
                        run,
                        select_1_every_request,
                        lambda: max_age(kept_age),
                        rounds=rounds,
                        per_round=per_round,
                    )
                )
    # The ceiling: the page's bytes from a view that reads nothing.
    folder = Path(tempfile.mkdtemp(prefix="tilmash-bench-fixed-"))
    os.environ["BENCH_CEILING_DIR"] = str(folder)
    (folder / "detail").write_bytes(Client().get(detail).content)
    out.update(
        _compare(
            "fixed_middleware",
            _runner(handler, "/en/bench/ceiling/detail/"),
            lambda: override_settings(TILMASH_PUBLIC_READ_PATHS=()),
            contextlib.nullcontext,
            rounds=rounds,
            per_round=max(200, reps * 20),
        )
    )
    return out
