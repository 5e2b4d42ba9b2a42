"""Names the corpus and the runner share (importable without Django set up)."""

SLUG_PREFIX = "bench-"
# The bench accounts' password: they exist only in the bench databases.
PASSWORD = "bench-password-not-secret"
