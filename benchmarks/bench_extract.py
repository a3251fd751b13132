#!/usr/bin/env python3
"""Extraction throughput: ingest + extract over a generated corpus, on one core.

    python benchmarks/bench_extract.py [N] [--corpus DIR] [--repeat R]

Generates N articles with `benchmarks/generate_corpus.py` (default 1,000, seed 0) unless
`--corpus` points at an existing folder, loads the registry once, then times reading every
article (ingest) and running `roundtrace.extract.extract` on it. Only ingest + extract are
timed — no packaging, validation or SQLite. Prints articles/s (best of R runs) and a few
sanity counts (claims, mentions, discovered entities).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "build"))

from roundtrace.extract import extract  # noqa: E402
from roundtrace.ingest import iter_articles  # noqa: E402
from roundtrace.paths import ENTITIES_FILE  # noqa: E402
from roundtrace.registry import Registry  # noqa: E402


def run_once(corpus: Path, registry: Registry) -> tuple[float, int, dict[str, int]]:
    counts = {"claims": 0, "mentions": 0, "citations": 0, "discovered": 0}
    n = 0
    t0 = time.perf_counter()
    c0 = time.process_time()
    for article in iter_articles(corpus):
        ex = extract(article, registry)
        n += 1
        counts["claims"] += len(ex.claims)
        counts["mentions"] += len(ex.mentions)
        counts["citations"] += len(ex.citations)
        counts["discovered"] += len(ex.discovered)
    counts["cpu_ms"] = int((time.process_time() - c0) * 1000)
    return time.perf_counter() - t0, n, counts


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("n", nargs="?", type=int, default=1000, help="articles to generate")
    ap.add_argument("--corpus", type=Path, help="use this folder of articles instead")
    ap.add_argument("--repeat", type=int, default=3, help="runs; the best is reported")
    args = ap.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        corpus = args.corpus
        if corpus is None:
            corpus = Path(tmp) / "corpus"
            subprocess.run(
                [sys.executable, str(ROOT / "benchmarks" / "generate_corpus.py"), str(args.n),
                 str(corpus)],
                check=True,
                stdout=subprocess.DEVNULL,
            )
        registry = Registry.load(ENTITIES_FILE)
        registry.find("warm up the alias automaton")
        best = cpu = None
        for _ in range(max(1, args.repeat)):
            secs, n, counts = run_once(corpus, registry)
            best = secs if best is None or secs < best else best
            c = counts.pop("cpu_ms") / 1000
            cpu = c if cpu is None or c < cpu else cpu
        print(f"articles: {n}")
        print(f"ingest+extract: {best:.3f} s wall, {cpu:.3f} s CPU (best of {args.repeat})")
        print(f"articles/s (wall): {n / best:.1f}")
        print(f"articles/s (CPU, one core): {n / cpu:.1f}")
        print("per run: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
