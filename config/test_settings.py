"""Settings for the test suite: the real settings with fast password hashing."""

import os

os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-used-anywhere-else-0123456789")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("HTTPS", "0")

from config.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
# A Kazakh approval in a test derives no Latin-script edition unless the test
# asks for it (tests of the derivation set TILMASH_DERIVE_EDITIONS).
TILMASH_DERIVE_EDITIONS = False
# Serve static files from the finders: tests never run collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# SQLite tests run on a file, not in memory: concurrency tests need two real
# connections queueing on the write lock, which a shared in-memory database
# refuses at once instead.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3" and not os.environ.get(  # noqa: F405
    "TEST_DATABASE_NAME"
):
    import tempfile

    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": os.path.join(tempfile.gettempdir(), f"tilmash-test-{os.getpid()}.sqlite3")
    }

# Tasks are database rows as in production; the backend also runs each one in
# this process once its transaction commits (tests/worker.py). Tests of the
# worker process itself switch to the plain backend.
TASKS = {"default": {"BACKEND": "tests.worker.CommitRunningBackend"}}

# Webhook tests run their receivers on 127.0.0.1, with a short read timeout so
# that a receiver sleeping past it costs a second, not ten.
TILMASH_WEBHOOKS_ALLOW_PRIVATE = True
TILMASH_WEBHOOK_READ_TIMEOUT = float(os.environ.get("TILMASH_WEBHOOK_READ_TIMEOUT", "1"))
# With DATABASE_REPLICA_URL set, the suite still runs on one database: the replica
# alias is the primary's mirror (no test database is created on a standby), and the
# router reads a mirror as the primary (tests/scaleout/ runs a real replica).
if "replica" in DATABASES:  # noqa: F405
    DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}  # noqa: F405
