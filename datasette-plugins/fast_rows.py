"""Result rows rendered in Python instead of a Jinja loop per cell.

Datasette renders templates with async Jinja, about 10 µs for every table cell: most of the time
of a wide table page (50-100 rows of 10-30 columns) and of a 1,000-row canned query page.
templates/_table.html (table and row pages) and templates/query.html (SQL and canned query
pages) are Datasette 0.65.5's templates with only their row loop replaced by these functions,
which produce the same markup: the cell values are the ones Datasette and the render_cell
plugins made, escaped the way Jinja's autoescape does (Markup passes through unchanged).
"""

from __future__ import annotations

from datasette import hookimpl
from datasette.utils import to_css_class
from markupsafe import Markup, escape


def _css(column, cache: dict[str, str]) -> str:
    css = cache.get(column)
    if css is None:
        css = cache[column] = str(escape(to_css_class(column)))
    return css


def table_body(display_rows) -> Markup:
    """The rows of _table.html: `<td class="col-{{ cell.column|to_css_class }}
    type-{{ cell.value_type }}">{{ cell.value }}</td>` for every cell."""
    classes: dict[str, str] = {}
    out = []
    for row in display_rows:
        out.append("<tr>")
        for cell in row:
            css, kind = _css(cell["column"], classes), escape(cell["value_type"])
            out.append(f'<td class="col-{css} type-{kind}">{escape(cell["value"])}</td>')
        out.append("</tr>")
    return Markup("\n".join(out))


def query_body(columns, display_rows) -> Markup:
    """The rows of query.html: `<td class="col-{{ column|to_css_class }}">{{ td }}</td>` for
    every column and cell."""
    classes = [f'<td class="col-{_css(c, {})}">' for c in columns]
    out = []
    for row in display_rows:
        out.append("<tr>")
        out.extend(f"{css}{escape(td)}</td>" for css, td in zip(classes, row, strict=False))
        out.append("</tr>")
    return Markup("\n".join(out))


@hookimpl
def prepare_jinja2_environment(env):
    env.globals["rt_table_body"] = table_body
    env.globals["rt_query_body"] = query_body
