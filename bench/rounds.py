"""Interleaved rounds: the ceiling and a page, one after the other, several times.

Measuring the ceiling right before each page round makes every ratio a
comparison under the same conditions (the machine's other load drifts
between rounds, not within a pair); the figure is the median of the rounds'
ratios, with their spread.
"""

import statistics

from .server import fetch, wrk_run


def _spread(values):
    return [round(min(values), 3), round(max(values), 3)]


def page_rounds(server, path, *, rounds, seconds, warmup, paths=None, threads=2, connections=8):
    """wrk on the ceiling and on ``path`` (or ``paths``) in turns; medians and spread."""
    ceiling_url = server.url + "/bench/ceiling/"
    page_url = server.url + path
    status, _body = fetch(page_url)
    if status != 200:
        raise RuntimeError(f"{page_url} answered {status}")
    wrk = {"threads": threads, "connections": connections}
    wrk_run(ceiling_url, seconds=warmup, **wrk)
    wrk_run(page_url, seconds=warmup, paths=paths, **wrk)
    ceilings, pages, ratios = [], [], []
    for _round in range(rounds):
        ceiling = wrk_run(ceiling_url, seconds=seconds, **wrk)
        page = wrk_run(page_url, seconds=seconds, paths=paths, **wrk)
        ceilings.append(ceiling)
        pages.append(page)
        ratios.append(page.qps / ceiling.qps)
    return {
        "ceiling_qps": round(statistics.median(r.qps for r in ceilings), 1),
        "qps": round(statistics.median(r.qps for r in pages), 1),
        "qps_ratio": round(statistics.median(ratios), 3),
        "qps_ratio_spread": _spread(ratios),
        "p50_ms": round(statistics.median(r.p50_ms for r in pages), 2),
        "p99_ms": round(statistics.median(r.p99_ms for r in pages), 2),
        "ceiling_p50_ms": round(statistics.median(r.p50_ms for r in ceilings), 2),
        "errors": sum(r.errors for r in ceilings + pages),
        "rounds": rounds,
    }


def latency_rounds(server, paths, *, rounds, seconds, warmup):
    """Median p50/p99 over a rotation of many pages (no ceiling): for comparing corpora."""
    url = server.url + paths[0]
    wrk_run(url, seconds=warmup, paths=paths)
    results = [wrk_run(url, seconds=seconds, paths=paths) for _ in range(rounds)]
    return {
        "p50_ms": round(statistics.median(r.p50_ms for r in results), 2),
        "p50_ms_spread": _spread([r.p50_ms for r in results]),
        "p99_ms": round(statistics.median(r.p99_ms for r in results), 2),
        "qps": round(statistics.median(r.qps for r in results), 1),
        "errors": sum(r.errors for r in results),
    }
