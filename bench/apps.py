from django.apps import AppConfig


class BenchConfig(AppConfig):
    """The benchmarks' own tools (``manage.py bench_corpus``), kept out of the content app."""

    name = "bench"
    verbose_name = "Benchmarks"
