"""Settings for bench/: the production settings, plus the ceiling route.

Production never loads this module, so production never has the route. The
bench sets the environment (DEBUG off, SECRET_KEY, ALLOWED_HOSTS, HTTPS=0)
before Django reads it; ``BENCH_STATIC_ROOT`` points collectstatic at a
temporary directory so a bench run leaves the checkout as it was.
"""

import os

from config.settings import *  # noqa: F403

ROOT_URLCONF = "config.bench_urls"

if os.environ.get("BENCH_STATIC_ROOT"):
    STATIC_ROOT = os.environ["BENCH_STATIC_ROOT"]

# Every request through the desk's full middleware stack: what public reads save.
if os.environ.get("BENCH_DESK_STACK") == "1":
    TILMASH_PUBLIC_READ_PATHS = ()
