"""The editor's review queue and version page."""
