"""The band-hash column of the translation memory.

On PostgreSQL an ``integer[]`` with a GIN index (added by the migration), so
that "shares a band with this text" is one indexed ``&&`` (the lookup's SQL is
in ``aids.memory.lookup``); elsewhere plain text ("12 -7 99"), which the
fallback lookup scans.
"""

from django.db import models


class BandsField(models.Field):
    description = "MinHash band hashes"

    def db_type(self, connection):
        return "integer[]" if connection.vendor == "postgresql" else "text"

    def get_db_prep_value(self, value, connection, prepared=False):
        if value is None:
            return None
        if connection.vendor == "postgresql":
            return [int(band) for band in value]
        return " ".join(str(int(band)) for band in value)

    def from_db_value(self, value, expression, connection):
        return self.to_python(value)

    def to_python(self, value):
        if value is None or isinstance(value, list):
            return value
        return [int(band) for band in value.split()]
