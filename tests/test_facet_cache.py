"""datasette-plugins/facet_cache.py over real builds and real Datasette instances: configured
facets are warmed before the first request and never vanish, cached results equal those of a
Datasette without the plugin (run in a subprocess: Datasette registers plugins-dir modules
process-wide), filtered pages stay live, mutable databases are never memoized, timed-out facets
are listed in the HTML and the JSON, and `datasette serve` warms before it accepts connections.
"""

from __future__ import annotations

import gc
import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from datasette.app import Datasette
from datasette.database import Results
from datasette.plugins import pm

from roundtrace import site
from roundtrace.paths import PLUGINS_DIR, ROOT
from roundtrace.serve import command

TABLES = site.load_metadata()["databases"][site.DB]["tables"]
FACETED = sorted(t for t, conf in TABLES.items() if (conf or {}).get("facets"))
BIG_META = {"tables": {"t": {"facets": ["a", {"array": "tags"}]}}}
TINY = {**site.SETTINGS, "facet_time_limit_ms": 1}


def facet_names(conf: dict) -> set[str]:
    return {next(iter(f.values())) if isinstance(f, dict) else f for f in conf["facets"]}


def metadata(dist: Path) -> dict:
    meta = json.loads((dist / "metadata.json").read_text())
    meta["databases"]["big"] = BIG_META
    meta["databases"]["live"] = {"tables": {"t": {"facets": ["a"]}}}
    return meta


def make_ds(dist: Path, big: Path, settings: dict = site.SETTINGS, mutable=()) -> Datasette:
    return Datasette(
        [str(p) for p in mutable],
        immutables=[str(dist / "roundtrace.db"), str(big)],
        metadata=metadata(dist),
        plugins_dir=str(PLUGINS_DIR),
        template_dir=str(site.TEMPLATES_DIR),
        settings=settings,
        inspect_data=json.loads((dist / "inspect.json").read_text()),
    )


@pytest.fixture(scope="session")
def big(tmp_path_factory) -> Path:
    """An immutable table large enough that a 1 ms facet limit always interrupts."""
    path = tmp_path_factory.mktemp("big") / "big.db"
    conn = sqlite3.connect(path)
    conn.execute("create table t (id integer primary key, a text, b integer, tags text)")
    conn.executemany(
        "insert into t values (?, ?, ?, ?)",
        (
            (i, f"v{i % 17}", i % 3, json.dumps(sorted({f"x{i % 5}", f"y{i % 7}"})))
            for i in range(60_000)
        ),
    )
    conn.commit()
    conn.close()
    return path


REFERENCE = r"""
import json, sys
import asyncio
from datasette.app import Datasette
from datasette.facets import ArrayFacet, ColumnFacet
args = json.loads(sys.stdin.read())
async def main():
    ds = Datasette([], immutables=args["immutables"], metadata=args["metadata"],
                   plugins_dir=args["plugins_dir"], template_dir=args["template_dir"],
                   settings=args["settings"], inspect_data=args["inspect_data"])
    out = {u: (await ds.client.get(u)).json() for u in args["urls"]}
    assert not any(hasattr(c.facet_results, "_rt_memoized") for c in (ArrayFacet, ColumnFacet))
    print(json.dumps(out))
asyncio.run(main())
"""


def reference(dist: Path, big: Path, urls: list[str], tmp_path: Path) -> dict:
    """The same site and settings without facet_cache.py, in a fresh process."""
    plugins = tmp_path / "plugins-without-facet-cache"
    plugins.mkdir()
    for f in PLUGINS_DIR.glob("*.py"):
        if f.name != "facet_cache.py":
            shutil.copy(f, plugins / f.name)
    args = {
        "immutables": [str(dist / "roundtrace.db"), str(big)],
        "metadata": metadata(dist),
        "plugins_dir": str(plugins),
        "template_dir": str(site.TEMPLATES_DIR),
        "settings": site.SETTINGS,
        "inspect_data": json.loads((dist / "inspect.json").read_text()),
        "urls": urls,
    }
    env = dict(os.environ, PYTHONPATH=str(ROOT / "build"))
    proc = subprocess.run(
        [sys.executable, "-c", REFERENCE],
        input=json.dumps(args),
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout)


def plugin_module():
    module = pm.get_plugin("facet_cache.py")
    assert module is not None, "facet_cache.py is not registered"
    return module


# (1) configured facets of unfiltered pages: all present, none timed out, even at a 1 ms limit


@pytest.mark.parametrize("settings", [site.SETTINGS, TINY], ids=["site settings", "1 ms limit"])
async def test_unfiltered_pages_have_every_configured_facet(seed_dist, big, settings):
    ds = make_ds(seed_dist, big, settings)
    pages = [(f"/{site.DB}/{t}", facet_names(TABLES[t])) for t in FACETED]
    pages.append(("/big/t", {"a", "tags"}))
    for path, configured in pages:
        for suffix in (".json?_size=0", ".json", ".json?_size=3&_labels=on"):
            data = (await ds.client.get(path + suffix)).json()
            assert configured <= set(data["facet_results"]), (path + suffix, configured)
            assert not data.get("facets_timed_out"), path + suffix
        html = (await ds.client.get(path)).text
        assert "facets timed out" not in html, path
        for name in configured:
            assert f'data-column="{name}"' in html, (path, name)


# (2) cached results equal live results; (3) filtered pages give the live counts

UNFILTERED = [f"/{site.DB}/{t}.json?_size=0" for t in FACETED] + [
    f"/{site.DB}/claims.json?_size=0&_sort=claim_id",  # other toggle URLs, same facet SQL
    f"/{site.DB}/claims.json?_size=0&_facet=source_id&_facet_array=hedges",
    "/big/t.json?_size=0",
]
FILTERED = [  # pairs with the same facet SQL and other parameters
    f"/{site.DB}/claims.json?_size=0&predicate=valuation",
    f"/{site.DB}/claims.json?_size=0&predicate=investor",
    f"/{site.DB}/claims.json?_size=0&predicate=investor&certainty__not=reported",
    f"/{site.DB}/term_history.json?_size=0&predicate=valuation",
    f"/{site.DB}/round_investors.json?_size=0&investor_id=tencent",
    f"/{site.DB}/entities.json?_size=0&type=company",
    "/big/t.json?_size=0&b=1",
    "/big/t.json?_size=0&b=2",
    "/big/t.json?_size=0&tags__arraycontains=x1",
]


async def test_cached_and_filtered_facets_equal_a_datasette_without_the_plugin(
    seed_dist, big, tmp_path
):
    ds = make_ds(seed_dist, big)
    urls = UNFILTERED + FILTERED
    expected = reference(seed_dist, big, urls, tmp_path)
    for _ in range(2):  # the second time from the cache (the live results are kept too)
        for url in urls:
            data = (await ds.client.get(url)).json()
            assert data["facet_results"] == expected[url]["facet_results"], url
            assert "facets_timed_out" not in data, url
    counts = expected[f"/{site.DB}/claims.json?_size=0&predicate=valuation"]["facet_results"]
    assert counts["predicate"]["results"][0]["value"] == "valuation"
    assert counts["predicate"]["results"][0]["count"] > 1  # a real count, not an empty facet
    state = plugin_module()._states[ds]
    assert state.warmed and state.pinned and state.live


async def test_the_warm_freezes_start_up_objects_out_of_the_collector(seed_dist, big):
    """Full collections over everything loaded at start-up paused requests for 30-100 ms."""
    gc.unfreeze()
    ds = make_ds(seed_dist, big)
    assert gc.get_freeze_count() == 0
    await ds.client.get(f"/{site.DB}/claims.json?_size=0")
    assert plugin_module()._states[ds].pinned
    assert gc.get_freeze_count() > 10_000


def test_live_cache_is_bounded_and_warmed_results_are_pinned():
    module = plugin_module()
    state = module._State()
    row = ("value", 1)
    state.put(("warm",), Results([row], False, None), pinned=True)
    for i in range(module.MAX_ENTRIES + 50):
        state.put(("live", i), Results([row] * 30, False, None), pinned=False)
        assert len(state.live) <= module.MAX_ENTRIES
        assert state.live_rows == sum(len(r.rows) for r in state.live.values())
        assert state.live_rows <= module.MAX_ROWS
    assert state.get(("warm",)).rows == [row]
    assert state.get(("live", 0)) is None  # the oldest went first
    assert state.get(("live", module.MAX_ENTRIES + 49)) is not None


# (4) a mutable database is never memoized


async def test_mutable_database_facets_follow_its_changes(seed_dist, big, tmp_path):
    live = tmp_path / "live.db"
    conn = sqlite3.connect(live)
    conn.execute("create table t (id integer primary key, a text)")
    conn.executemany("insert into t (a) values (?)", [("x",), ("x",), ("y",)])
    conn.commit()
    ds = make_ds(seed_dist, big, mutable=[live])

    async def counts(url):
        data = (await ds.client.get(url)).json()
        return {r["value"]: r["count"] for r in data["facet_results"]["a"]["results"]}

    assert await counts("/live/t.json?_size=0") == {"x": 2, "y": 1}
    assert await counts("/live/t.json?_size=0&a__not=z") == {"x": 2, "y": 1}
    conn.executemany("insert into t (a) values (?)", [("y",), ("y",), ("z",)])
    conn.commit()
    conn.close()
    assert await counts("/live/t.json?_size=0") == {"y": 3, "x": 2, "z": 1}
    assert await counts("/live/t.json?_size=0&a__not=z") == {"y": 3, "x": 2}
    state = plugin_module()._states[ds]
    assert state.pinned and all(key[0] != "live" for key in [*state.pinned, *state.live])


# (5) a facet that times out is listed, in the HTML and in the JSON


async def test_timed_out_facets_are_listed_not_dropped(seed_dist, big):
    ds = make_ds(seed_dist, big, TINY)
    html = (await ds.client.get("/big/t?b=2")).text  # (b=2: its facets finish in the background)
    assert '<p class="facets-timed-out">These facets timed out: a, tags</p>' in html
    data = (await ds.client.get("/big/t.json?b=1&_size=0")).json()
    assert sorted(data["facets_timed_out"]) == ["a", "tags"]
    assert not {"a", "tags"} & set(data["facet_results"])
    assert data["filtered_table_rows_count"] == 20_000  # the page itself is intact
    unfiltered = (await ds.client.get("/big/t.json?_size=0")).json()  # warmed: no limit
    assert {"a", "tags"} <= set(unfiltered["facet_results"])
    assert "facets_timed_out" not in unfiltered


async def test_timed_out_facets_are_finished_in_the_background(seed_dist, big, tmp_path):
    """A live facet that timed out is computed in the background; the page's next request has
    it, with the counts Datasette without the plugin gives (given time)."""
    ds = make_ds(seed_dist, big, TINY)
    url = "/big/t.json?b=0&_size=0"
    first = (await ds.client.get(url)).json()
    assert sorted(first["facets_timed_out"]) == ["a", "tags"]
    state = plugin_module()._states[ds]
    assert state.finisher is not None
    await state.finisher
    assert not state.pending and not state.given_up
    again = (await ds.client.get(url)).json()
    assert "facets_timed_out" not in again
    ref = reference(seed_dist, big, [url], tmp_path)[url]
    for name in ("a", "tags"):
        got = again["facet_results"][name]["results"]
        assert got == ref["facet_results"][name]["results"] and got


async def test_background_queue_is_bounded_and_slow_queries_are_not_retried(
    seed_dist, big, monkeypatch
):
    module = plugin_module()
    monkeypatch.setattr(module, "QUEUE_MAX", 1)
    monkeypatch.setattr(module, "BACKGROUND_LIMIT_MS", 1)  # every background query times out
    ds = make_ds(seed_dist, big, TINY)
    await ds.client.get("/big/t.json?_size=0")  # (after the warm)
    state, db = module._states[ds], ds.get_database("big")
    sql = "select a, count(*) from t where b = :b group by a"
    slow = [("big", str(big), sql, (("b", b),)) for b in (0, 1)]
    for key in slow:  # (no await in between: the queue has room for one)
        module._finish_later(state, db, key, sql, dict(key[3]))
    assert list(state.pending) == slow[:1]
    await state.finisher
    assert list(state.given_up) == slow[:1] and not state.pending
    assert state.get(slow[0]) is None  # nothing kept for it
    module._finish_later(state, db, slow[0], sql, dict(slow[0][3]))
    assert not state.pending  # given up once: not queued again


# `datasette serve` (the command `roundtrace serve` runs): warmed before it accepts connections


def test_serve_warms_before_accepting_connections(seed_dist, tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    log = tmp_path / "serve.log"
    env = dict(os.environ, PYTHONPATH=str(ROOT / "build"))
    with open(log, "wb") as fh:
        proc = subprocess.Popen(
            command(seed_dist, "127.0.0.1", port), stdout=fh, stderr=subprocess.STDOUT, env=env
        )
    try:
        deadline = time.monotonic() + 60
        while True:
            assert proc.poll() is None, log.read_text()[-3000:]
            try:
                url = f"http://127.0.0.1:{port}/{site.DB}/claims.json?_size=0"
                with urllib.request.urlopen(url, timeout=5) as r:
                    data = json.load(r)
                break
            except OSError:
                assert time.monotonic() < deadline, log.read_text()[-3000:]
                time.sleep(0.2)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    assert facet_names(TABLES["claims"]) <= set(data["facet_results"])
    text = log.read_text()
    warmed = f"facet_cache: {sum(len(TABLES[t]['facets']) for t in FACETED)} facets of "
    assert warmed in text and "problem" not in text, text[-3000:]
    assert text.index(warmed) < text.index("Uvicorn running on"), text[-3000:]
