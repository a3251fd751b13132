#!/usr/bin/env python3
"""Serve an existing build output the way `roundtrace serve` does and time it (issue 6).

    PYTHONPATH=build python benchmarks/serve_bench.py DIST [--port 8791]
        [--requests 20] [--without facet_cache] [--only claims] [--match TEXT]

DIST is read only: it is served from a scratch folder of links to its files, with metadata.json
written afresh from this checkout's metadata.yml and schema/ (as `roundtrace serve` does).
Prints a Markdown table: start-up (process start to the first answer, including facet_cache's
warm), then p50/p95 of sequential requests to every table page (JSON with its configured facets,
and HTML), a filtered claims page, every configured facet, every canned query with its defaults
(JSON and HTML), again with busy parameters (the round, article and entity with the most
claims, as benchmarks/run picks them, and a search for "billion") unless those are the
defaults, and a table search, and, per page with facets, whether every expected facet is in
facet_results (JSON) and which timed out. --without PLUGIN serves a copy of
datasette-plugins/ without that plugin (baseline); --only TABLE keeps that table's pages and
facets (and the claims pages); --match TEXT keeps the endpoints whose label contains TEXT.
"""

from __future__ import annotations

import argparse
import importlib.machinery
import importlib.util
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "build"))
_LOADER = importlib.machinery.SourceFileLoader("bench_run", str(ROOT / "benchmarks" / "run"))
_RUN = importlib.util.module_from_spec(importlib.util.spec_from_loader("bench_run", _LOADER))
_LOADER.exec_module(_RUN)
pct = _RUN.pct  # the percentile benchmarks/run reports


def endpoints(db: str, tables: dict, queries: dict, only: str | None, busy: dict | None = None):
    def names(conf):
        return [next(iter(f.values())) if isinstance(f, dict) else f for f in conf["facets"]]

    claims = names(tables["claims"])
    yield (
        "claims?predicate=valuation (JSON, live facets)",
        (f"/{db}/claims.json?predicate=valuation&_size=0"),
        claims,
    )
    for table, conf in tables.items():
        conf = conf or {}
        if only and table not in (only, "claims"):
            continue
        facets = names(conf) if conf.get("facets") else None
        yield f"{table} table page (JSON)", f"/{db}/{table}.json", facets
        yield f"{table} table page (HTML)", f"/{db}/{table}", None
        if only and table != only:
            continue
        for facet in conf.get("facets") or []:
            kind, col = next(iter(facet.items())) if isinstance(facet, dict) else ("", facet)
            arg = f"_facet_{kind}" if kind else "_facet"
            yield f"facet {table}.{col}", f"/{db}/{table}.json?{arg}={col}&_size=0", [col]
    if not only:
        for name in queries:
            yield f"canned query {name} (defaults, JSON)", f"/{db}/{name}.json?_shape=array", None
            yield f"canned query {name} (defaults, HTML)", f"/{db}/{name}", None
            # also with the busiest values (benchmarks/run), unless they are the defaults
            conf = queries[name]
            given = {k: busy[k] for k in conf.get("params") or [] if (busy or {}).get(k)}
            if given and not all(f"'{v}'" in conf.get("sql", "") for v in given.values()):
                qs = "&".join(f"{k}={v}" for k, v in given.items())
                yield (
                    f"canned query {name} ({qs}, JSON)",
                    f"/{db}/{name}.json?_shape=array&{qs}",
                    None,
                )
                yield f"canned query {name} ({qs}, HTML)", f"/{db}/{name}?{qs}", None
        yield "search claims 'Tencent' (JSON)", f"/{db}/claims.json?_search=Tencent", None


def serving_dir(dist: Path) -> Path:
    """A scratch folder linking to DIST's files, with a fresh metadata.json."""
    from roundtrace.site import write_metadata

    folder = Path(tempfile.mkdtemp(prefix="rt-serve-dist-"))
    for f in dist.resolve().iterdir():
        if f.is_file() and f.name != "metadata.json":
            (folder / f.name).symlink_to(f)
    write_metadata(folder)
    return folder


def main() -> None:
    from roundtrace.paths import PLUGINS_DIR
    from roundtrace.serve import command
    from roundtrace.site import DB, metadata

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dist", type=Path)
    ap.add_argument("--port", type=int, default=8791)
    ap.add_argument("--requests", type=int, default=20)
    ap.add_argument("--without", help="serve without this plugin (e.g. facet_cache)")
    ap.add_argument("--only", help="only this table's pages and facets (and the claims pages)")
    ap.add_argument("--match", help="only the endpoints whose label contains this text")
    args = ap.parse_args()
    meta = metadata()["databases"][DB]
    served = serving_dir(args.dist)
    cmd = command(served, "127.0.0.1", args.port)
    tmp = None
    if args.without:
        tmp = Path(tempfile.mkdtemp(prefix="rt-plugins-"))
        for f in PLUGINS_DIR.glob("*.py"):
            if f.stem != args.without:
                shutil.copy(f, tmp / f.name)
        cmd[cmd.index("--plugins-dir") + 1] = str(tmp)
    env = {**os.environ, "PYTHONPATH": str(ROOT / "build")}
    log = open(tempfile.mktemp(prefix="rt-serve-", suffix=".log"), "w+")  # noqa: SIM115
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=log, stderr=log)
    rows = []
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{args.port}", timeout=120) as client:
            while True:
                try:
                    if client.get("/-/versions.json").status_code == 200:
                        break
                except httpx.TransportError:
                    if proc.poll() is not None or time.perf_counter() - started > 600:
                        raise SystemExit("server did not start") from None
                    time.sleep(0.1)
            startup = time.perf_counter() - started
            busy = {**_RUN.busiest(args.dist / "roundtrace.db"), "q": "billion"}
            for label, url, facets in endpoints(
                DB, meta["tables"], meta["queries"], args.only, busy
            ):
                if args.match and args.match not in label:
                    continue
                client.get(url)  # not timed: a first request after start-up
                times = []
                for _ in range(args.requests):
                    t = time.perf_counter()
                    r = client.get(url)
                    times.append((time.perf_counter() - t) * 1000)
                note = ""
                if facets is not None and r.status_code == 200:
                    data = r.json()
                    missing = [f for f in facets if f not in data.get("facet_results", {})]
                    note = "all" if not missing else "missing " + ", ".join(missing)
                    if data.get("facets_timed_out"):
                        note += "; timed out (listed): " + ", ".join(data["facets_timed_out"])
                rows.append((label, r.status_code, statistics.median(times), pct(times, 95), note))
    finally:
        proc.terminate()
        proc.wait(30)
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)
        shutil.rmtree(served, ignore_errors=True)
    log.seek(0)
    warm = [line.strip() for line in log if line.startswith(("facet_cache", "  problem"))]
    print("load average (1, 5, 15 min) at the end:", " ".join(f"{x:.2f}" for x in os.getloadavg()))
    print(f"start-up to first answer: {startup:.1f} s" + (f" ({'; '.join(warm)})" if warm else ""))
    print("\n| endpoint | status | p50 ms | p95 ms | facets in facet_results |")
    print("|---|---:|---:|---:|---|")
    for label, status, p50, p95, note in rows:
        print(f"| {label} | {status} | {p50:.0f} | {p95:.0f} | {note} |")


if __name__ == "__main__":
    main()
