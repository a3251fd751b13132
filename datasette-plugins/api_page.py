"""API guide /api: the stable tables and columns (with their schema descriptions), example calls
with curl and ?_shape=array, pagination and this instance's limits. Also adds "API guide" to the
navigation menu. Template: templates/roundtrace_api.html.
"""

from __future__ import annotations

from datasette import hookimpl
from datasette.utils.asgi import Response

DB = "roundtrace"


async def api_page(datasette, request):
    db = datasette.get_database(DB)
    hidden = set(await db.hidden_table_names())
    tables = []
    for name in await db.table_names():
        if name in hidden or name.startswith("sqlite_"):
            continue
        described = datasette.metadata("columns", database=DB, table=name) or {}
        tables.append(
            {
                "name": name,
                "description": datasette.metadata("description", database=DB, table=name),
                "columns": [(c, described.get(c, "")) for c in await db.table_columns(name)],
                "url": datasette.urls.table(DB, name),
                "page_size": datasette.metadata("size", database=DB, table=name),
            }
        )
    queries = [
        {"name": name, "title": q.get("title", name), "params": q.get("params", [])}
        for name, q in (datasette.metadata("queries", database=DB) or {}).items()
    ]
    base = f"{request.scheme}://{request.host}"
    html = await datasette.render_template(
        "roundtrace_api.html",
        {
            "base": base,
            "db": DB,
            "tables": tables,
            "queries": queries,
            "limits": {
                k: datasette.setting(k)
                for k in (
                    "sql_time_limit_ms",
                    "max_returned_rows",
                    "default_page_size",
                    "max_csv_mb",
                    "default_cache_ttl",
                )
            },
        },
        request=request,
    )
    return Response.html(html)


@hookimpl
def register_routes():
    return [(r"^/api$", api_page)]


@hookimpl
def menu_links(datasette):
    return [
        {"href": datasette.urls.path("/api"), "label": "API guide"},
        {"href": datasette.urls.path("/rounds/deepseek-2026"), "label": "Round: DeepSeek 2026"},
    ]
