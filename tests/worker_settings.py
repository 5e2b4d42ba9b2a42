"""Settings of a ``db_worker`` process a test starts (tests/reviews/test_worker_process.py).

The test settings, with the plain database backend and a mailer another process
can see: files in ``TILMASH_TEST_MAIL_DIR``, or SMTP to 127.0.0.1 on
``TILMASH_TEST_SMTP_PORT``. ``DATABASE_URL`` names the test database itself.
"""

import os

from config.test_settings import *  # noqa: F403

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

if os.environ.get("TILMASH_TEST_SMTP_PORT"):
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": "127.0.0.1",
                "port": int(os.environ["TILMASH_TEST_SMTP_PORT"]),
                "use_tls": False,
                "timeout": 120,
            },
        }
    }
else:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": os.environ["TILMASH_TEST_MAIL_DIR"]},
        }
    }
