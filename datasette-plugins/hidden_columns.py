"""Hide technical columns (offsets, hashes, full article text…) in the HTML table view.

The columns are listed per table in metadata.yml (plugins: hidden_columns: columns: […]). They
stay in the page (cell renderers can use them), in JSON, CSV and on row pages; a stylesheet only
hides them from the default table view. Any ?_col= / ?_nocol= choice, or ?_allcols=1 (offered
in the table's actions menu), shows the table exactly as requested.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

from datasette import hookimpl
from datasette.utils import to_css_class
from datasette.utils.asgi import Response

CHOICE_ARGS = ("_col", "_nocol", "_allcols")


def _hidden(datasette, database, table) -> list[str]:
    config = datasette.plugin_config("hidden_columns", database=database, table=table) or {}
    return list(config.get("columns", []))


@hookimpl
def extra_css_urls(view_name, database, table, request, datasette):
    if view_name != "table" or not table or request is None:
        return []
    if any(arg in request.args for arg in CHOICE_ARGS) or not _hidden(datasette, database, table):
        return []
    query = urlencode({"database": database, "table": table})
    return [datasette.urls.path("/-/hidden-columns.css?" + query)]


async def stylesheet(datasette, request):
    database, table = request.args.get("database", ""), request.args.get("table", "")
    selectors = [
        f"body.table.table-{to_css_class(table)} .col-{to_css_class(c)}"
        for c in _hidden(datasette, database, table)
    ]
    css = (",\n".join(selectors) + " { display: none; }\n") if selectors else ""
    return Response(
        css, content_type="text/css; charset=utf-8", headers={"cache-control": "max-age=300"}
    )


@hookimpl
def register_routes():
    return [(r"^/-/hidden-columns\.css$", stylesheet)]


@hookimpl
def table_actions(datasette, database, table, request):
    hidden = _hidden(datasette, database, table)
    if not hidden or request is None:
        return []
    args = parse_qsl(request.query_string, keep_blank_values=True)
    kept = [(k, v) for k, v in args if k not in CHOICE_ARGS]
    if len(kept) < len(args):
        query = "?" + urlencode(kept) if kept else ""
        return [{"href": request.path + query, "label": "Hide technical columns"}]
    query = urlencode([*kept, ("_allcols", "1")])
    return [
        {
            "href": request.path + "?" + query,
            "label": f"Show all columns ({len(hidden)} technical columns hidden)",
        }
    ]
