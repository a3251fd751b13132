"""Every cell renderer of the site, behind one render_cell hook.

Datasette calls render_cell for every cell of every table, row and query page, and each
implementation adds about 1 µs a call (20-30 ms on a 1,000-row canned query page), so the
site's renderers share one implementation that dispatches on table and column:

- Evidence (claims.evidence on table and row pages, and any query result that carries `evidence`
  with `evidence_start`, `value_start`, `value_end` and `source_id`, as the canned queries do):
  the sentence, HTML-escaped, with its value highlighted, linking to the claim in its article
  page (/articles/<source_id>#claim-<claim_id>). Offsets are code points into the article text,
  so the value sits at value_start - evidence_start inside the evidence.
- Search snippets (`snippet` in query results, made with char(2)/char(3) as markers, which never
  occur in article text; search.py): HTML-escaped, and only then the markers become <mark>.
- sources.label links to the article page (the row page stays one click away).
- Round labels (rounds.label) and round ids in query results link to the round page.
"""

from __future__ import annotations

from urllib.parse import quote

from datasette import hookimpl
from markupsafe import Markup, escape

# Wide query results squeeze the sentence into a sliver; keep it readable (inline styles are
# allowed by the site's CSP, and this needs no extra stylesheet).
STYLE = "display: inline-block; min-width: 22rem"
SNIPPET_START, SNIPPET_END = "\x02", "\x03"  # the markers of the search query's snippet()


def _get(row, key):
    try:
        value = row[key]
    except (KeyError, IndexError, TypeError):
        return None
    if isinstance(value, dict):  # an expanded foreign key: {"value": …, "label": …}
        value = value.get("value")
    return value


def highlight(evidence: str, evidence_start, value_start, value_end) -> Markup:
    """The evidence, escaped, with the value span wrapped in <mark> when the offsets fit."""
    if all(isinstance(v, int) for v in (evidence_start, value_start, value_end)):
        a, b = value_start - evidence_start, value_end - evidence_start
        if 0 <= a < b <= len(evidence):
            return Markup('{}<mark class="rt-value">{}</mark>{}').format(
                evidence[:a], evidence[a:b], evidence[b:]
            )
    return Markup("{}").format(evidence)


def article_href(datasette, source_id: str, claim_id: str | None) -> str:
    path = datasette.urls.path("/articles/" + quote(str(source_id), safe=""))
    return path + ("#claim-" + quote(str(claim_id), safe="") if claim_id else "")


def evidence_cell(row, value: str, table, datasette):
    source_id = _get(row, "source_id")
    if table is None and (source_id is None or _get(row, "evidence_start") is None):
        return None  # some other query's `evidence` column: leave it to Datasette
    sentence = highlight(
        value, _get(row, "evidence_start"), _get(row, "value_start"), _get(row, "value_end")
    )
    if not source_id:
        return Markup('<span class="rt-evidence" style="{}">{}</span>').format(STYLE, sentence)
    href = article_href(datasette, source_id, _get(row, "claim_id"))
    return Markup(
        '<span class="rt-evidence" style="{}">{}</span> <a class="rt-in-article" href="{}">'
        "in&nbsp;article&nbsp;&rarr;</a>"
    ).format(STYLE, sentence, href)


def highlight_snippet(snippet: str) -> Markup:
    html = str(escape(snippet))
    return Markup(html.replace(SNIPPET_START, "<mark>").replace(SNIPPET_END, "</mark>"))


def round_link(datasette, round_id, label: str) -> Markup:
    href = datasette.urls.path("/rounds/" + quote(str(round_id), safe=""))
    return Markup('<a href="{}">{}</a>').format(href, label)


@hookimpl
def render_cell(row, value, column, table, datasette):
    if not isinstance(value, str):
        return None
    if column == "evidence":
        return evidence_cell(row, value, table, datasette) if table in ("claims", None) else None
    if table is None:  # query results
        if column == "snippet" and SNIPPET_START in value:
            return highlight_snippet(value)
        if column == "round_id" and value:
            return round_link(datasette, value, value)
    elif column == "label":
        if table == "sources":
            source_id = _get(row, "source_id")
            if source_id is not None:
                href = datasette.urls.path("/articles/" + quote(str(source_id), safe=""))
                return Markup('<a href="{}">{}</a>').format(href, value)
        elif table == "rounds" and value:
            round_id = _get(row, "round_id")
            if round_id is not None:
                return round_link(datasette, round_id, value)
    return None
