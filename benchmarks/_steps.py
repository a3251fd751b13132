"""Single benchmark steps, each run in its own process by benchmarks/run (so peak RSS and wall
time are per step). Prints one JSON object on stdout."""

from __future__ import annotations

import csv
import json
import sqlite3
import sys
import time
from pathlib import Path


def build(articles: str, out: str) -> dict:
    from roundtrace.paths import ENTITIES_FILE
    from roundtrace.pipeline import build as run

    r = run(Path(articles), Path(out), ENTITIES_FILE, progress=False)
    return {"seconds": r.seconds, "extracted": r.extracted, "cached": r.cached,
            "timings": r.timings, "counts": r.counts}


def calibrate(articles: str, n: str = "300") -> dict:
    """How fast this machine runs right now: extraction CPU ms per article on one core over the
    first n articles (best of three passes). A shared machine's speed drifts by 10-20 % within an
    hour; this puts the run's numbers in context."""
    from roundtrace.extract import extract
    from roundtrace.ingest import list_article_files, read_article
    from roundtrace.paths import ENTITIES_FILE
    from roundtrace.registry import Registry

    registry = Registry.load(ENTITIES_FILE)
    arts = [read_article(p) for p in list_article_files(Path(articles))[: int(n)]]
    for a in arts[:20]:
        extract(a, registry)  # warm: automata, converters, regex caches
    best = float("inf")
    for _ in range(3):
        t = time.process_time()
        for a in arts:
            extract(a, registry)
        best = min(best, (time.process_time() - t) / len(arts) * 1000)
    return {"ms_per_article": best, "articles": len(arts)}


def fast_validate(folder: str) -> dict:
    from roundtrace import fastvalidate

    t = time.perf_counter()
    errors = fastvalidate.check_package(Path(folder))
    return {"seconds": time.perf_counter() - t, "errors": len(errors)}


def fast_load(folder: str, db: str) -> dict:
    """In one process (the claims table not built aside): the CPU work of the load."""
    from roundtrace.load import load_package

    t = time.perf_counter()
    load_package(Path(folder), Path(db), split=False)
    return {"seconds": time.perf_counter() - t}


def fast_checked(folder: str, db: str) -> dict:
    """In one process, on one core: fastvalidate's clean pass hands each chunk of rows it
    checked to the load (`load.load_checked`, the build's way below 64 MB of CSV)."""
    from roundtrace.load import load_checked

    t = time.perf_counter()
    ok = load_checked(Path(folder), Path(db))
    return {"seconds": time.perf_counter() - t, "valid": ok}


def fast_both(folder: str, db: str) -> dict:
    """As the build runs them on a big package: fastvalidate in its own process while this
    one loads, the claims table built by a third (`pipeline._check_and_load_in_parallel`,
    without the zip; in the build, the process that writes claims.csv builds that table)."""
    import subprocess

    from roundtrace.load import load_package

    t = time.perf_counter()
    check = subprocess.Popen([sys.executable, __file__, "fast_validate", folder],
                             stdout=subprocess.PIPE)
    load_package(Path(folder), Path(db))
    out, _ = check.communicate()
    return {"seconds": time.perf_counter() - t, "errors": json.loads(out)["errors"]}


def frictionless_validate(folder: str) -> dict:
    import warnings

    from frictionless import Package, system

    t = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with system.use_context(trusted=True):
            report = Package(str(Path(folder) / "datapackage.json")).validate()
    return {"seconds": time.perf_counter() - t, "valid": report.valid,
            "errors": sum(len(t.errors) for t in report.tasks)}


def insert_all(folder: str, db: str) -> dict:
    """The obvious loader: sqlite-utils insert_all with its defaults, rows typed by the schema."""
    import sqlite_utils

    desc = json.loads((Path(folder) / "datapackage.json").read_text())
    t = time.perf_counter()
    Path(db).unlink(missing_ok=True)
    database = sqlite_utils.Database(db)
    conv = {"integer": int, "number": float, "boolean": lambda v: v == "true"}
    for res in desc["resources"]:
        fields = res["schema"]["fields"]
        types = {f["name"]: conv.get(f.get("type")) for f in fields}
        pk = res["schema"].get("primaryKey") or None

        def rows(path=Path(folder) / res["path"], types=types):
            with open(path, encoding="utf-8", newline="") as fh:
                for row in csv.DictReader(fh):
                    yield {k: (None if v == "" else (types[k](v) if types[k] else v))
                           for k, v in row.items()}

        database[res["name"]].insert_all(rows(), pk=tuple(pk) if pk and len(pk) > 1 else
                                         (pk[0] if pk else None))
    database.conn.close()
    return {"seconds": time.perf_counter() - t}


def db_rows(db: str) -> dict:
    conn = sqlite3.connect(db)
    n = conn.execute("select count(*) from claims").fetchone()[0]
    return {"claims": n}


if __name__ == "__main__":
    step, *args = sys.argv[1:]
    print(json.dumps(globals()[step](*args)))
