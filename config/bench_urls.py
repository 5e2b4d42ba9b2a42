"""The site's URLs with the bench's ceiling in front (loaded by config.bench_settings only).

The ceiling is the cheapest page this server can answer: a bare view behind
the same middleware, returning the bytes of a real article page without
touching the database. Every public-page throughput is reported as a
fraction of it, which cancels out the machine.
"""

import os
from pathlib import Path

from django.http import HttpResponse
from django.urls import path
from django.utils.cache import patch_cache_control

from config.urls import urlpatterns as site_urlpatterns

_body = None


def ceiling(request):
    """The bytes in ``BENCH_CEILING_FILE`` (read once per process), as the article page."""
    global _body
    if _body is None:
        _body = Path(os.environ["BENCH_CEILING_FILE"]).read_bytes()
    response = HttpResponse(_body, content_type="text/html; charset=utf-8")
    patch_cache_control(response, public=True, no_cache=True)
    return response


urlpatterns = [path("bench/ceiling/", ceiling, name="bench_ceiling"), *site_urlpatterns]
