"""Targets, the machine, and the two outputs: results/latest.json and a printed table."""

import json
import os
import platform
import re
import subprocess
from datetime import UTC, datetime

from .server import GUNICORN, ROOT, WRK

RESULTS = ROOT / "bench" / "results"

# figure: (comparison, target). A figure absent from a run is "not measured".
TARGETS = {
    "public_detail_qps_ratio": (">=", 0.5),
    "public_detail_cached_qps_ratio": (">=", 0.85),
    "public_detail_cached_redis_qps_ratio": (">=", 0.85),
    "public_detail_300_qps_ratio": (">=", 0.5),
    "public_detail_300_cached_qps_ratio": (">=", 0.85),
    "public_detail_300_cached_redis_qps_ratio": (">=", 0.85),
    "public_list_qps_ratio": (">=", 0.5),
    "public_feed_qps_ratio": (">=", 0.5),
    "public_detail_queries": ("<=", 3),
    "public_detail_queries_constant": ("==", 1),
    "public_detail_p50_ms_1m_over_10k": ("<=", 1.2),
    "editor_300_p50_ms": ("<", 150),
    "editor_queries_constant": ("==", 1),
    "review_page_300_p50_ms": ("<", 200),
    "review_queue_100k_p50_ms": ("<", 200),
    "save_300_p50_ms": ("<", 300),
    "approve_p50_ms": ("<", 100),
    "import_1000_files_s": ("<", 30),
    # Pure computations in the app's process: held to their CPU time (bench/README.md).
    "diff_10k_cpu_p50_ms": ("<", 20),
    "diff_10k_small_vocabulary_cpu_p50_ms": ("<", 20),
    "qa_checks_10k_worst_cpu_ms": ("<", 250),
    "glossary_5000_cpu_p50_ms": ("<", 100),
    "review_page_rewritten_300_p50_ms": ("<", 1000),
    "review_page_rewritten_300_cold_ms": ("<", 1000),
    "tm_10k_p50_ms_pg": ("<", 500),
    "tm_10k_p50_ms_sqlite": ("<", 500),
    "xliff_import_max_ms": ("<", 5000),
    "load_errors": ("==", 0),
    "lost_updates": ("==", 0),
    "faults_lost_saves": ("==", 0),
}

SHOWN = [
    "public_detail_qps_ratio_sqlite",
    "public_detail_qps_ratio_pg",
    "public_detail_cached_qps_ratio_sqlite",
    "public_detail_cached_qps_ratio_pg",
    "public_detail_cpu_ratio_sqlite",
    "public_detail_cpu_ratio_pg",
    "public_detail_cached_cpu_ratio_sqlite",
    "public_detail_cached_cpu_ratio_pg",
    "public_detail_cpu_ms_sqlite",
    "public_detail_cpu_ms_pg",
    "public_detail_cached_cpu_ms_pg",
    "public_detail_cached_redis_qps_ratio_sqlite",
    "public_detail_cached_redis_qps_ratio_pg",
    "public_detail_cached_redis_cpu_ms_pg",
    "public_detail_300_qps_ratio_sqlite",
    "public_detail_300_qps_ratio_pg",
    "public_detail_300_cached_qps_ratio_sqlite",
    "public_detail_300_cached_qps_ratio_pg",
    "public_detail_300_cached_redis_qps_ratio_sqlite",
    "public_detail_300_cached_redis_qps_ratio_pg",
    "public_list_qps_ratio_sqlite",
    "public_list_qps_ratio_pg",
    "public_feed_qps_ratio_sqlite",
    "public_feed_qps_ratio_pg",
    "public_list_cpu_ratio_pg",
    "public_feed_cpu_ratio_pg",
    "public_detail_p99_ms_c64",
    "public_detail_p99_ms_c64_sqlite",
    "public_detail_p99_ms_c64_pg",
    "public_detail_ceiling_p99_ms_c64_pg",
    "public_detail_cached_p99_ms_c64_pg",
    "public_detail_cached_redis_p99_ms_c64_pg",
    "public_list_p99_ms_c64_pg",
    "public_feed_p99_ms_c64_pg",
    "ceiling_desk_stack_qps_ratio_sqlite",
    "ceiling_desk_stack_qps_ratio_pg",
    "ceiling_desk_stack_cpu_ratio_pg",
    "fixed_connection_cached_before_cpu_us_sqlite",
    "fixed_connection_cached_after_cpu_us_sqlite",
    "fixed_connection_uncached_before_cpu_us_sqlite",
    "fixed_connection_uncached_after_cpu_us_sqlite",
    "fixed_health_check_cached_before_wall_us_pg",
    "fixed_health_check_cached_after_wall_us_pg",
    "fixed_health_check_cached_saved_share_pg",
    "fixed_middleware_before_cpu_us_sqlite",
    "fixed_middleware_after_cpu_us_sqlite",
    "fixed_middleware_saved_share_sqlite",
    "ceiling_bytes_detail_300",
    "ceiling_bytes_list",
    "ceiling_bytes_feed",
    "ceiling_qps_pg",
    "public_detail_qps_pg",
    "public_detail_p50_ms_pg",
    "public_detail_queries_12",
    "public_detail_queries_300",
    "public_list_queries",
    "scale_p50_ms_10k",
    "scale_p50_ms_large",
    "scale_corpus_articles",
    "public_list_p50_ms_10k",
    "public_list_p50_ms_large",
    "public_list_p50_ms_large_over_10k",
    "editor_300_p99_ms",
    "editor_queries_12",
    "editor_queries_300",
    "review_page_300_p99_ms",
    "review_page_queries_12",
    "review_page_queries_300",
    "review_queue_100k_queries",
    "review_queue_100k_open_reviews",
    "save_300_p99_ms",
    "approve_p99_ms",
    "import_files_per_s",
    "corpus_rows_per_s",
    "corpus_rows_per_s_sqlite",
    "load_qps",
    "load_p50_ms",
    "load_p99_ms",
    "load_saves",
    "load_conflicts",
    "load_save_p99_ms",
    "scaleout_qps_single",
    "scaleout_qps_pair",
    "scaleout_qps_ratio",
    "scaleout_shared_session",
    "scaleout_shared_cache_pages",
    "scale_corpus_bytes",
    "corpus_rows_per_s_large",
    "review_queue_10k_p50_ms",
    "public_detail_inprocess_p50_ms",
    "ceiling_bytes",
    "diff_10k_p50_ms",
    "diff_10k_small_vocabulary_p50_ms",
    "diff_10k_steps",
    "diff_10k_tokens",
    "review_page_rewritten_300_cpu_p50_ms",
    "review_page_rewritten_300_cold_cpu_ms",
    "qa_checks_10k_worst_ms",
    "glossary_5000_p50_ms",
    "tm_10k_cpu_p50_ms_pg",
    "tm_10k_cpu_p50_ms_sqlite",
    "xliff_import_max_bytes",
    "import_max_long_ms",
    "import_max_long_rewritten_ms",
    "import_max_short_paragraphs",
    "import_max_short_ms",
    "import_max_short_rewritten_ms",
    "import_max_short_rewritten_cpu_ms",
    "xliff_import_max_cpu_ms",
]


def log(message):
    print(message, flush=True)


def _version(command):
    try:
        output = subprocess.run(command, capture_output=True, text=True, timeout=20)
    except OSError:
        return None
    return (output.stdout + output.stderr).strip().splitlines()[0] if output else None


def machine():
    import django

    from . import databases

    model = ""
    with open("/proc/cpuinfo") as handle:
        found = re.search(r"model name\s*:\s*(.+)", handle.read())
        model = found.group(1).strip() if found else platform.processor()
    with open("/proc/meminfo") as handle:
        memory_kb = int(re.search(r"MemTotal:\s+([0-9]+)", handle.read()).group(1))
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine_nproc": os.cpu_count(),
        "machine_cpu": model,
        "machine_ram_gib": round(memory_kb / 1024 / 1024, 1),
        "machine_load_avg_1m_at_start": round(os.getloadavg()[0], 2),
        "python_version": platform.python_version(),
        "django_version": django.get_version(),
        "postgresql_version": databases.postgres_version(),
        "gunicorn_version": _version([GUNICORN, "--version"]),
        "wrk_version": _version([WRK, "--version"]),
    }


def tm_figures():
    """The translation-memory bench's figures (bench/tm.py), when it has run."""
    path = RESULTS / "tm.json"
    if not path.exists():
        return {}
    data = json.loads(path.read_text())
    return {
        (key if key.startswith("tm") else f"tm_{key}"): value
        for key, value in data.items()
        if isinstance(value, (int, float, str, bool)) or value is None
    }


def verdict(name, value):
    if name not in TARGETS:
        return ""
    comparison, target = TARGETS[name]
    if value is None:
        return "not measured"
    met = {
        ">=": value >= target,
        "<=": value <= target,
        "<": value < target,
        "==": value == target,
    }[comparison]
    return "met" if met else "MISSED"


def mark(figures):
    """Add ``<target>__met`` for every target (False when not measured)."""
    for name in TARGETS:
        figures.setdefault(name, None)
        figures[f"{name}__met"] = verdict(name, figures[name]) == "met"


def write(figures):
    figures["load_avg_1m_at_end"] = round(os.getloadavg()[0], 2)
    mark(figures)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "latest.json").write_text(json.dumps(figures, indent=2, sort_keys=True) + "\n")
    lines = table(figures)
    (RESULTS / "latest.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


def table(figures):
    lines = [
        f"Run {figures.get('date')} ({'quick' if figures.get('quick') else 'full'}, "
        f"{figures.get('bench_seconds')} s); {figures.get('machine_nproc')} CPUs "
        f"{figures.get('machine_cpu')}, {figures.get('machine_ram_gib')} GiB RAM; load average "
        f"{figures.get('machine_load_avg_1m_at_start')} at start, "
        f"{figures.get('load_avg_1m_at_end')} at end",
        f"Python {figures.get('python_version')}, Django {figures.get('django_version')}, "
        f"PostgreSQL {figures.get('postgresql_version')}, gunicorn "
        f"{figures.get('gunicorn_version')}, {figures.get('wrk_version')}",
        "",
        "| figure | value | target | |",
        "|---|---|---|---|",
    ]
    for name, (comparison, target) in TARGETS.items():
        value = figures.get(name)
        lines.append(
            f"| {name} | {_show(value)} | {comparison} {target} | {verdict(name, value)} |"
        )
    lines += ["", "| other figure | value |", "|---|---|"]
    for name in SHOWN:
        if name in figures:
            lines.append(f"| {name} | {_show(figures[name])} |")
    for name in sorted(figures):
        if name.endswith(("_failed", "_missing")) or name.startswith(
            ("tm_", "profile_", "faults_", "scaleout_replica_")
        ):
            lines.append(f"| {name} | {_show(figures[name])} |")
    return lines


def _show(value):
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:,.3f}".rstrip("0").rstrip(".") if abs(value) < 10 else f"{value:,.1f}"
    return str(value)
