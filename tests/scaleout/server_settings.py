"""The test settings for a server of its own with the real replica that
``DATABASE_REPLICA_URL`` names (``config.test_settings`` reads the replica alias as
the primary's mirror, as the suite must)."""

import os

import dj_database_url

from config.test_settings import *  # noqa: F403

_replica = dj_database_url.parse(os.environ["DATABASE_REPLICA_URL"])
DATABASES["replica"] = {  # noqa: F405
    **DATABASES["replica"],  # noqa: F405
    **{key: _replica[key] for key in ("NAME", "USER", "PASSWORD", "HOST", "PORT")},
}
