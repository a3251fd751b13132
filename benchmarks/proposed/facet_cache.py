"""Facet counts on immutable databases: computed once, then served from memory (issue 6).

PROPOSED by the performance engineer, not yet in datasette-plugins/ (the site engineer's).

Datasette 0.65 recomputes every configured facet of a table on every table page (a GROUP BY
over the whole table, ~50-300 ms each at 1M rows), and its array facet (`select distinct
j.value, inner.*`) takes seconds at 1M rows, so it exceeds facet_time_limit_ms and silently
disappears from the JSON. On an immutable database a facet query always returns the same rows,
so this plugin memoizes the result of each facet SQL (keyed by database, SQL and parameters)
and, at start-up, computes the configured facets of every unfiltered table page in the
background without the time limit. Filtered pages still run live (and are memoized if they
finish in time). Mutable databases are untouched.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
from collections import OrderedDict

from datasette import hookimpl
from datasette.database import Results
from datasette.facets import ArrayFacet, ColumnFacet, DateFacet

MAX_ENTRIES = 20_000
_cache: OrderedDict[tuple, Results] = OrderedDict()
_warming = contextvars.ContextVar("facet_cache_warming", default=False)


class _Memo:
    """Stands in for the Datasette object inside Facet.facet_results."""

    def __init__(self, ds):
        self._ds = ds

    def __getattr__(self, name):
        return getattr(self._ds, name)

    async def execute(self, database, sql, params=None, **kwargs):
        key = (database, sql, tuple(sorted((params or {}).items())))
        hit = _cache.get(key)
        if hit is not None:
            _cache.move_to_end(key)
            return hit
        if _warming.get():  # start-up: no time limit, it is computed once
            def run(conn):
                cur = conn.execute(sql, params or {})
                return Results(cur.fetchall(), False, cur.description)

            result = await self._ds.get_database(database).execute_fn(run)
        else:
            result = await self._ds.execute(database, sql, params, **kwargs)
        _cache[key] = result
        if len(_cache) > MAX_ENTRIES:
            _cache.popitem(last=False)
        return result


def _memoize(cls):
    original = cls.facet_results

    async def facet_results(self):
        if self.ds.get_database(self.database).is_mutable:
            return await original(self)
        real, self.ds = self.ds, _Memo(self.ds)
        try:
            return await original(self)
        finally:
            self.ds = real

    cls.facet_results = facet_results


for _cls in (ColumnFacet, ArrayFacet, DateFacet):
    _memoize(_cls)


async def _warm(datasette):
    _warming.set(True)  # this task only
    for name, db in list(datasette.databases.items()):
        if db.is_mutable:
            continue
        for table, conf in (datasette.metadata("tables", database=name) or {}).items():
            if (conf or {}).get("facets"):
                with contextlib.suppress(Exception):  # warming is best effort
                    await datasette.client.get(f"/{name}/{table}.json?_size=0")


_started = False


@hookimpl
def asgi_wrapper(datasette):
    """Start warming on the first request, in the server's own event loop (the start-up hook
    of `datasette serve` runs in a loop that is gone by the time the server runs)."""

    def wrap(app):
        async def with_warming(scope, receive, send):
            global _started
            if not _started:
                _started = True
                asyncio.get_running_loop().create_task(_warm(datasette))
            await app(scope, receive, send)

        return with_warming

    return wrap
