"""The band-hash column of the translation memory.

On PostgreSQL an ``integer[]`` with a GIN index (added by the migration), so
that "shares a band with this text" is one indexed ``&&``; elsewhere plain
text ("12 -7 99"), which the fallback lookup scans (see ``aids.memory.lookup``).
"""

from django.db import NotSupportedError, models


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


@BandsField.register_lookup
class BandsOverlap(models.Lookup):
    """``bands__overlap=[…]``: shares at least one band (PostgreSQL only)."""

    lookup_name = "overlap"

    def process_rhs(self, compiler, connection):
        return "%s::integer[]", [[int(band) for band in self.rhs]]

    def as_sql(self, compiler, connection):
        if connection.vendor != "postgresql":
            raise NotSupportedError("bands__overlap needs PostgreSQL")
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} && {rhs}", [*lhs_params, *rhs_params]
