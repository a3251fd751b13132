#!/usr/bin/env python3
"""Serve an existing build output the way `roundtrace serve` does and time it (issue 6).

    PYTHONPATH=build python benchmarks/serve_bench.py DIST [--port 8791]
        [--requests 20] [--without facet_cache] [--only claims]

DIST is read only. Prints a Markdown table: start-up (process start to the first answer,
including facet_cache's warm), then p50/p95 of sequential requests to the claims table page
(JSON and HTML), a filtered claims page, every configured facet, every canned query (defaults)
and, per page with facets, whether every expected facet is in facet_results (JSON) and which
timed out. --without PLUGIN serves a copy of datasette-plugins/ without that plugin (baseline).
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


def endpoints(db: str, tables: dict, queries: dict, only: str | None):
    def names(conf):
        return [next(iter(f.values())) if isinstance(f, dict) else f for f in conf["facets"]]

    claims = names(tables["claims"])
    yield "claims table page (JSON)", f"/{db}/claims.json", claims
    yield "claims table page (HTML)", f"/{db}/claims", None
    yield (
        "claims?predicate=valuation (JSON, live facets)",
        (f"/{db}/claims.json?predicate=valuation&_size=0"),
        claims,
    )
    for table, conf in tables.items():
        if not (conf or {}).get("facets") or (only and table != only):
            continue
        yield f"{table} table page, _size=0 (JSON)", f"/{db}/{table}.json?_size=0", names(conf)
        for facet in conf["facets"]:
            kind, col = next(iter(facet.items())) if isinstance(facet, dict) else ("", facet)
            arg = f"_facet_{kind}" if kind else "_facet"
            yield f"facet {table}.{col}", f"/{db}/{table}.json?{arg}={col}&_size=0", [col]
    if not only:
        for name in queries:
            yield f"canned query {name} (defaults)", f"/{db}/{name}.json?_shape=array", None


def main() -> None:
    from roundtrace.paths import PLUGINS_DIR
    from roundtrace.serve import command
    from roundtrace.site import DB, metadata

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dist", type=Path)
    ap.add_argument("--port", type=int, default=8791)
    ap.add_argument("--requests", type=int, default=20)
    ap.add_argument("--without", help="serve without this plugin (e.g. facet_cache)")
    ap.add_argument("--only", help="only this table's facets (and the claims pages)")
    args = ap.parse_args()
    meta = metadata()["databases"][DB]
    cmd = command(args.dist, "127.0.0.1", args.port)
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
            for label, url, facets in endpoints(DB, meta["tables"], meta["queries"], args.only):
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
    log.seek(0)
    warm = [line.strip() for line in log if line.startswith(("facet_cache", "  problem"))]
    print(f"start-up to first answer: {startup:.1f} s" + (f" ({'; '.join(warm)})" if warm else ""))
    print("\n| endpoint | status | p50 ms | p95 ms | facets in facet_results |")
    print("|---|---:|---:|---:|---|")
    for label, status, p50, p95, note in rows:
        print(f"| {label} | {status} | {p50:.0f} | {p95:.0f} | {note} |")


if __name__ == "__main__":
    main()
