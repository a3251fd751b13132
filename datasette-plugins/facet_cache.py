"""Facet counts on immutable databases: computed once, before the first request (issue 6).

Why: Datasette 0.65 recomputes every configured facet of a table page on every request (a
GROUP BY over the whole table, 0.3-1 s each at 1.2M claims), and its array facet (`select
distinct j.value, inner.*`) takes seconds, so it passes facet_time_limit_ms and drops out of
facet_results. On an immutable database the same facet SQL always returns the same rows.

- Facet SQL on an immutable database is memoized per Datasette instance, keyed by database,
  SQL and parameters. Only the SQL result is reused: Datasette's facet code still runs on every
  request (toggle URLs, labels, "selected"), so pages are identical to live computation.
- Warm: the unfiltered page of every table with configured facets is requested once through
  datasette.client, its facet SQL running without a time limit; these results are pinned.
  This happens at the ASGI lifespan startup, in the server's own loop, before uvicorn accepts
  connections (and after the `startup` hooks: `datasette serve` runs those in a throwaway loop,
  and datasette.client called inside one re-enters invoke_startup). Without a lifespan (test
  client, other servers) the first request waits for the warm. Either way no request ever sees
  a cold configured facet of an unfiltered page.
- Live facets (filtered pages, ?_facet=) keep facet_time_limit_ms. A result that finishes is
  kept in a bounded LRU (MAX_ENTRIES results, MAX_ROWS rows). One that times out is never
  dropped silently: Datasette's HTML table page says "These facets timed out: ...", and as
  Datasette 0.65 leaves that list out of the JSON, this plugin adds it there as
  "facets_timed_out" (only to responses that have a timed-out facet). It is then finished in
  the background — one query at a time, a queue of at most QUEUE_MAX, each within
  BACKGROUND_LIMIT_MS — and kept like any live result, so the page's next request has it (at
  1.2M claims the hedges facet of claims?predicate=valuation takes ~1-2 s: every view of that
  page used to wait out the 500 ms limit and still lack it).
- Mutable and in-memory databases are never memoized.
- After the warm, everything alive is frozen out of the cyclic garbage collector (gc.freeze):
  start-up objects are permanent, and full collections over them paused requests.

Mechanism: wraps facet_results of Datasette's facet classes, handing them a `ds` whose execute
memoizes (tests/test_facet_cache.py compares the results with a Datasette without this plugin).
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import gc
import json
import sys
import time
import weakref
from collections import OrderedDict

from datasette import hookimpl
from datasette.database import QueryInterrupted, Results
from datasette.facets import ArrayFacet, ColumnFacet, DateFacet
from datasette.utils import sqlite_timelimit

MAX_ENTRIES = 2_000  # live results kept (least recently used dropped first) ...
MAX_ROWS = 50_000  # ... and their rows in total; warmed results are pinned outside the bound
QUEUE_MAX = 16  # timed-out live facets waiting to be finished in the background ...
BACKGROUND_LIMIT_MS = 10_000  # ... each given this long (one that exceeds it is not retried)
_warming = contextvars.ContextVar("facet_cache_warming", default=False)
_timed_out = contextvars.ContextVar("facet_cache_timed_out", default=None)  # this request's
_states: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # Datasette -> _State


class _State:
    def __init__(self):
        self.pinned: dict[tuple, Results] = {}
        self.live: OrderedDict[tuple, Results] = OrderedDict()
        self.live_rows = 0
        self.warm: asyncio.Task | None = None
        self.warmed = False
        self.pending: OrderedDict[tuple, tuple] = OrderedDict()  # key -> (db, sql, params)
        self.finisher: asyncio.Task | None = None
        self.given_up: OrderedDict[tuple, None] = OrderedDict()  # (bounded like `live`)

    def get(self, key):
        if key in self.pinned:
            return self.pinned[key]
        if key in self.live:
            self.live.move_to_end(key)
            return self.live[key]
        return None

    def put(self, key, result: Results, pinned: bool) -> None:
        if pinned:
            self.pinned[key] = result
            return
        if key in self.live:
            self.live_rows -= len(self.live.pop(key).rows)
        self.live[key] = result
        self.live_rows += len(result.rows)
        while self.live and (len(self.live) > MAX_ENTRIES or self.live_rows > MAX_ROWS):
            self.live_rows -= len(self.live.popitem(last=False)[1].rows)


def _state(datasette) -> _State:
    return _states.setdefault(datasette, _State())


def _memoizable(db) -> bool:
    return not db.is_mutable and not db.is_memory


class _Memo:
    """Stands in for the Datasette object inside Facet.facet_results."""

    def __init__(self, ds):
        self._ds = ds

    def __getattr__(self, name):
        return getattr(self._ds, name)

    async def execute(self, database, sql, params=None, **kwargs):
        db = self._ds.get_database(database)
        frozen = tuple(sorted(params.items())) if isinstance(params, dict) else tuple(params or ())
        key, state, warming = (database, db.path, sql, frozen), _state(self._ds), _warming.get()
        hit = state.get(key)
        if hit is not None:
            return hit
        if warming:  # once per configured facet: no time limit
            result = await db.execute_fn(_fetch_all(sql, params))
        else:  # live: Datasette's facet_time_limit_ms (QueryInterrupted is not cached)
            try:
                result = await self._ds.execute(database, sql, params, **kwargs)
            except QueryInterrupted:
                if not kwargs.get("truncate"):
                    _finish_later(state, db, key, sql, params)
                raise
        state.put(key, result, pinned=warming)
        return result


def _fetch_all(sql: str, params, limit_ms: int | None = None):
    """A function for db.execute_fn: every row of the query, within limit_ms if given."""

    def run(conn):
        with sqlite_timelimit(conn, limit_ms) if limit_ms else contextlib.nullcontext():
            cursor = conn.execute(sql, params if params is not None else {})
            return Results(cursor.fetchall(), False, cursor.description)

    return run


def _finish_later(state: _State, db, key: tuple, sql: str, params) -> None:
    """Queues a timed-out live facet query to run in the background (see the module's notes)."""
    if key in state.pending or key in state.given_up or len(state.pending) >= QUEUE_MAX:
        return
    state.pending[key] = (db, sql, params)
    loop = asyncio.get_running_loop()
    if state.finisher is None or state.finisher.done() or state.finisher.get_loop() is not loop:
        state.finisher = loop.create_task(_finish_pending(state))


async def _finish_pending(state: _State) -> None:
    while state.pending:
        key, (db, sql, params) = next(iter(state.pending.items()))
        try:
            result = await db.execute_fn(_fetch_all(sql, params, BACKGROUND_LIMIT_MS))
        except Exception:  # noqa: BLE001 - too slow (interrupted) or failing: not retried
            state.given_up[key] = None
            while len(state.given_up) > MAX_ENTRIES:
                state.given_up.popitem(last=False)
        else:
            state.put(key, result, pinned=False)
        finally:
            state.pending.pop(key, None)


def _memoize(cls) -> None:
    original = cls.facet_results
    if getattr(original, "_rt_memoized", False):  # Datasette re-runs plugins-dir modules
        return

    async def facet_results(self):
        real = self.ds
        if not isinstance(real, _Memo) and _memoizable(real.get_database(self.database)):
            self.ds = _Memo(real)
        try:
            results, timed_out = await original(self)
        finally:
            self.ds = real
        if timed_out and _timed_out.get() is not None:
            _timed_out.get().extend(timed_out)
        return results, timed_out

    facet_results._rt_memoized = True
    cls.facet_results = facet_results


for _cls in (ColumnFacet, ArrayFacet, DateFacet):
    _memoize(_cls)


async def _warm(datasette) -> None:
    _warming.set(True)  # this task (and the requests it makes) only
    started, tables, facets, problems = time.perf_counter(), 0, 0, []
    for name, db in list(datasette.databases.items()):
        if not _memoizable(db):
            continue
        for table, conf in (datasette.metadata("tables", database=name) or {}).items():
            if not (conf or {}).get("facets"):
                continue
            try:
                url = datasette.urls.table(name, table, format="json") + "?_size=0"
                r = await datasette.client.get(url)
                got = len((r.json() if r.status_code == 200 else {}).get("facet_results") or ())
                tables, facets = tables + 1, facets + got
                if got < len(conf["facets"]):
                    problems.append(f"{url}: {r.status_code}, {got}/{len(conf['facets'])} facets")
            except Exception as e:  # noqa: BLE001 - such a facet stays live (and is reported)
                problems.append(f"{name}/{table}: {e!r}")
    _state(datasette).warmed = True
    # What start-up made (Datasette, its plugins and templates, the pinned facet results) lives
    # as long as the server: move it out of the cyclic collector's way. Otherwise every full
    # collection walks it again, a 30-100 ms pause inside some request on this machine.
    gc.collect()
    gc.freeze()
    print(
        f"facet_cache: {facets} facets of {tables} tables warmed in "
        f"{time.perf_counter() - started:.1f} s" + "".join(f"\n  problem: {p}" for p in problems),
        file=sys.stderr,
        flush=True,
    )


async def _ensure_warm(datasette) -> None:
    state = _state(datasette)
    if state.warmed:
        return
    loop = asyncio.get_running_loop()
    if state.warm is None or state.warm.get_loop() is not loop:
        state.warm = loop.create_task(_warm(datasette))
    await asyncio.shield(state.warm)  # a cancelled request does not cancel the warm


def _add_timed_out(events: list[dict], timed_out: list[str]) -> list[dict]:
    """A JSON table response, with "facets_timed_out" added next to "facet_results"."""
    start, body = events[0], b"".join(e.get("body", b"") for e in events[1:])
    headers = dict(start.get("headers") or [])
    if headers.get(b"content-type", b"").startswith(b"application/json"):
        try:
            data = json.loads(body)
        except ValueError:
            data = None
        if isinstance(data, dict) and "facet_results" in data:
            data["facets_timed_out"] = timed_out
            body = json.dumps(data).encode()
            kept = [(k, v) for k, v in start["headers"] if k.lower() != b"content-length"]
            start = {**start, "headers": [*kept, (b"content-length", str(len(body)).encode())]}
    return [start, {"type": "http.response.body", "body": body}]


@hookimpl
def asgi_wrapper(datasette):
    def wrap(app):
        async def warm_first(scope, receive, send):
            if scope["type"] == "lifespan":

                async def receive_after_warm():
                    message = await receive()
                    if message["type"] == "lifespan.startup":
                        await _ensure_warm(datasette)
                    return message

                return await app(scope, receive_after_warm, send)
            if scope["type"] != "http" or _warming.get():
                return await app(scope, receive, send)
            await _ensure_warm(datasette)
            timed_out, held = [], []

            async def send_listing_timed_out(event):
                if not (timed_out and (held or event["type"] == "http.response.start")):
                    return await send(event)
                held.append(event)  # hold the response until its body is complete
                if event["type"] == "http.response.body" and not event.get("more_body"):
                    for e in _add_timed_out(held, timed_out):
                        await send(e)

            token = _timed_out.set(timed_out)
            try:
                return await app(scope, receive, send_listing_timed_out)
            finally:
                _timed_out.reset(token)

        return warm_first

    return wrap
