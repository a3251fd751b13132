"""Evidence cells: a claim's sentence with its value highlighted, HTML-escaped, linking to the
claim in its article page (/articles/<source_id>#claim-<claim_id>).

Applies to claims.evidence in table and row pages, and to any query result that carries
`evidence` with `evidence_start`, `value_start`, `value_end` and `source_id` (the canned queries
do). Offsets are code points into the article text, so the value sits at
value_start - evidence_start inside the evidence.
"""

from __future__ import annotations

from urllib.parse import quote

from datasette import hookimpl
from markupsafe import Markup

# Wide query results squeeze the sentence into a sliver; keep it readable (inline styles are
# allowed by the site's CSP, and this needs no extra stylesheet).
STYLE = "display: inline-block; min-width: 22rem"


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


@hookimpl
def render_cell(row, value, column, table, datasette):
    if column != "evidence" or table not in ("claims", None) or not isinstance(value, str):
        return None
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
