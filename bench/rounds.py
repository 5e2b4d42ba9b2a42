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


def page_rounds(
    server,
    path,
    *,
    rounds,
    seconds,
    warmup,
    ceiling="/en/bench/ceiling/detail/",
    paths=None,
    threads=2,
    connections=8,
    wide=None,
):
    """wrk on ``ceiling`` and on ``path`` (or ``paths``) in turns; medians and spread.

    With ``wide`` (a number of connections), one more run of each at that many
    connections after the rounds: the page's latency when readers queue
    (``p99_ms_c<wide>``, beside the ceiling's).
    """
    ceiling_url = server.url + ceiling
    page_url = server.url + path
    status, _body = fetch(page_url)
    if status != 200:
        raise RuntimeError(f"{page_url} answered {status}")
    wrk = {"threads": threads, "connections": connections}
    wrk_run(ceiling_url, seconds=warmup, **wrk)
    wrk_run(page_url, seconds=warmup, paths=paths, **wrk)
    ceilings, pages, ratios, cpu_ratios, page_cpu = [], [], [], [], []
    for _round in range(rounds):
        ceiling, ceiling_cpu = _cpu_timed(server, ceiling_url, seconds=seconds, **wrk)
        page, cpu = _cpu_timed(server, page_url, seconds=seconds, paths=paths, **wrk)
        ceilings.append(ceiling)
        pages.append(page)
        ratios.append(page.qps / ceiling.qps)
        if cpu and ceiling_cpu:
            cpu_ratios.append(ceiling_cpu / cpu)
            page_cpu.append(cpu)
    cpu_figures = {}
    if cpu_ratios:
        cpu_figures = {
            "cpu_ratio": round(statistics.median(cpu_ratios), 3),
            "cpu_ratio_spread": _spread(cpu_ratios),
            "cpu_ms": round(statistics.median(page_cpu), 3),
        }
    wide_figures = {}
    if wide:
        crowd = {"threads": threads, "connections": wide}
        ceiling_wide = wrk_run(ceiling_url, seconds=seconds, **crowd)
        page_wide = wrk_run(page_url, seconds=seconds, paths=paths, **crowd)
        wide_figures = {
            f"p50_ms_c{wide}": round(page_wide.p50_ms, 2),
            f"p99_ms_c{wide}": round(page_wide.p99_ms, 2),
            f"qps_c{wide}": round(page_wide.qps, 1),
            f"ceiling_p99_ms_c{wide}": round(ceiling_wide.p99_ms, 2),
            f"errors_c{wide}": page_wide.errors + ceiling_wide.errors,
        }
    return {
        **cpu_figures,
        **wide_figures,
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


def _cpu_timed(server, url, **kwargs):
    """One wrk run, and the server's CPU milliseconds per request during it."""
    before = server.cpu_snapshot()
    result = wrk_run(url, **kwargs)
    after = server.cpu_snapshot()
    # A backend that ended during the run takes its CPU with it: a small undercount.
    spent = sum(seconds - before.get(pid, 0.0) for pid, seconds in after.items())
    return result, (spent * 1000 / result.requests if result.requests else None)


def scale_rounds(small, large, *, rounds, seconds, warmup):
    """p50 over many pages of the large corpus against the small one, in turns.

    ``small`` and ``large`` are ``(server, paths)``; the figure is the median
    of the rounds' ratios of p50s.
    """
    runs = {"10k": small, "large": large}
    for server, paths in runs.values():
        wrk_run(server.url + paths[0], seconds=warmup, paths=paths)
    results = {name: [] for name in runs}
    ratios = []
    for _round in range(rounds):
        for name, (server, paths) in runs.items():
            results[name].append(wrk_run(server.url + paths[0], seconds=seconds, paths=paths))
        ratios.append(results["large"][-1].p50_ms / results["10k"][-1].p50_ms)
    out = {
        "public_detail_p50_ms_1m_over_10k": round(statistics.median(ratios), 3),
        "public_detail_p50_ms_1m_over_10k_spread": _spread(ratios),
    }
    for name, measured in results.items():
        out[f"scale_p50_ms_{name}"] = round(statistics.median(r.p50_ms for r in measured), 2)
        out[f"scale_p99_ms_{name}"] = round(statistics.median(r.p99_ms for r in measured), 2)
        out[f"scale_errors_{name}"] = sum(r.errors for r in measured)
    return out


def server_rounds(first, second, path, *, rounds, seconds, warmup):
    """The same ``path`` on two servers in turns: ``second``'s requests/s and CPU per
    request over ``first``'s (medians of the rounds)."""
    for server in (first, second):
        wrk_run(server.url + path, seconds=warmup)
    ratios, cpu_ratios = [], []
    for _round in range(rounds):
        one, one_cpu = _cpu_timed(first, first.url + path, seconds=seconds)
        two, two_cpu = _cpu_timed(second, second.url + path, seconds=seconds)
        ratios.append(two.qps / one.qps)
        if one_cpu and two_cpu:
            cpu_ratios.append(one_cpu / two_cpu)
    return {
        "qps_ratio": round(statistics.median(ratios), 3),
        "qps_ratio_spread": _spread(ratios),
        "cpu_ratio": round(statistics.median(cpu_ratios), 3) if cpu_ratios else None,
    }
