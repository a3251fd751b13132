"""Leave technical columns (offsets, hashes, full article text…) out of the HTML table view.

Hidden columns are listed per table in metadata.yml (plugins: hidden_columns: columns: […]).
They are left out server-side: the SQL still selects them (cell renderers such as cells.py
use them), but the default HTML table page has no header or cell for them, so the page neither
renders nor ships them. JSON, CSV (including the page's export links) and row pages keep every
column. Any ?_col= / ?_nocol= choice, or ?_allcols=1 (linked above the table and in the table's
actions menu), shows the table exactly as requested; a column the page is sorted by is shown.

templates/table.html applies `rt_shown` to Datasette's display_columns / display_rows, so the
whole page (header, cells, the small-screen column labels) sees the same columns. (Before, a
stylesheet hid them: every hidden cell was still rendered and sent.)
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

from datasette import hookimpl

CHOICE_ARGS = ("_col", "_nocol", "_allcols")


def _configured(datasette, database, table) -> list[str]:
    config = datasette.plugin_config("hidden_columns", database=database, table=table) or {}
    return list(config.get("columns", []))


def hidden_columns(datasette, database, table, request) -> list[str]:
    """The columns the default HTML view of this table leaves out for this request."""
    if request is None or any(arg in request.args for arg in CHOICE_ARGS):
        return []
    sorted_by = {request.args.get("_sort"), request.args.get("_sort_desc")}
    return [c for c in _configured(datasette, database, table) if c not in sorted_by]


def shown(display_columns, display_rows, hidden):
    """Datasette's display columns and rows without the hidden columns."""
    hidden = set(hidden)
    columns = [c for c in display_columns if c["name"] not in hidden]
    rows = [
        type(row)([cell for cell in row if cell["column"] not in hidden]) for row in display_rows
    ]
    return columns, rows


@hookimpl
def prepare_jinja2_environment(env):
    env.globals["rt_shown"] = shown


@hookimpl
def extra_template_vars(view_name, database, table, request, datasette):
    if view_name != "table" or not table:
        return {}
    hidden = hidden_columns(datasette, database, table, request)
    if not hidden:
        return {"rt_hidden_columns": []}
    kept = parse_qsl(request.query_string, keep_blank_values=True)
    return {
        "rt_hidden_columns": hidden,
        "rt_all_columns_url": request.path + "?" + urlencode([*kept, ("_allcols", "1")]),
    }


@hookimpl
def table_actions(datasette, database, table, request):
    configured = _configured(datasette, database, table)
    if not configured or request is None:
        return []
    args = parse_qsl(request.query_string, keep_blank_values=True)
    kept = [(k, v) for k, v in args if k not in CHOICE_ARGS]
    if len(kept) < len(args):
        query = "?" + urlencode(kept) if kept else ""
        return [{"href": request.path + query, "label": "Hide technical columns"}]
    query = urlencode([*kept, ("_allcols", "1")])
    hidden = hidden_columns(datasette, database, table, request)
    return [
        {
            "href": request.path + "?" + query,
            "label": f"Show all columns ({len(hidden)} technical columns hidden)",
        }
    ]
