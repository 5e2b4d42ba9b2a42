"""The site's URLs with the bench's ceilings in front (loaded by config.bench_settings only).

A ceiling is the cheapest page this server can answer: a bare view behind
the same middleware, returning the bytes of a real page (``<name>`` in
``BENCH_CEILING_DIR``, with its content type beside it) without touching the
database. Every public-page throughput is reported as a fraction of the
ceiling of its own bytes, which cancels out the machine.

``/en/bench/ceiling/<name>/`` is a public read, as the pages it stands for
are. With ``BENCH_DESK_STACK=1`` (config.bench_settings) nothing is a public
read: every request takes the desk's full middleware stack, which measures
what the public reads save.
"""

import os
from pathlib import Path

from django.conf.urls.i18n import i18n_patterns
from django.http import Http404, HttpResponse
from django.urls import path
from django.utils.cache import patch_cache_control

from config.urls import urlpatterns as site_urlpatterns

_bodies = {}


def ceiling(request, name):
    """The bytes of page ``name`` (read once per process), as that page sends them."""
    if name not in _bodies:
        folder = Path(os.environ["BENCH_CEILING_DIR"])
        if not name.isidentifier() or not (folder / name).exists():
            raise Http404("No such ceiling.")
        content_type = folder / f"{name}.type"
        _bodies[name] = (
            (folder / name).read_bytes(),
            content_type.read_text() if content_type.exists() else "text/html; charset=utf-8",
        )
    body, content_type = _bodies[name]
    response = HttpResponse(body, content_type=content_type)
    patch_cache_control(response, public=True, no_cache=True)
    return response


urlpatterns = [
    # Under the language prefix, as the public pages are: the same middleware
    # (LocaleMiddleware included) does the same work for both.
    *i18n_patterns(path("bench/ceiling/<str:name>/", ceiling, name="bench_ceiling")),
    *site_urlpatterns,
]
