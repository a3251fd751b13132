"""Article page /articles/<source_id>: the exact article text with the evidence of every claim
extracted from it highlighted (values marked), followed by the list of those claims.

Everything from the article is escaped (markupsafe, Jinja autoescape); the article URL is only
linked when it is http(s). Template: templates/roundtrace_article.html.
"""

from __future__ import annotations

from collections import defaultdict
from urllib.parse import quote, urlsplit

from datasette import hookimpl
from datasette.utils.asgi import NotFound, Response
from markupsafe import Markup

DB = "roundtrace"

CLAIMS_SQL = """
select c.claim_id, c.predicate, c.value_text, c.certainty, c.role, c.time_frame, c.hedges,
  c.evidence, c.evidence_start, c.evidence_end, c.value_start, c.value_end, c.round_id,
  obj.name as object_name, att.name as authority
from claims c
left join entities obj on obj.entity_id = c.object_id
left join entities att on att.entity_id = c.attributed_to
where c.source_id = :source_id
order by c.evidence_start, c.value_start, c.predicate
"""

CITATIONS_SQL = """
select coalesce(e.name, ct.party_id) as party, ct.cue, ct.evidence
from citations ct left join entities e on e.entity_id = ct.party_id
where ct.source_id = :source_id order by ct.evidence_start
"""


def highlight_text(text: str, claims: list[dict]) -> Markup:
    """The text split at every evidence and value boundary; each piece escaped, evidence pieces
    wrapped in <span class="rt-ev">, value pieces in <mark>, an anchor where each claim's
    evidence starts. Overlapping evidence (several claims in one sentence) is handled."""
    n = len(text)
    spans = []
    for c in claims:
        es, ee = c.get("evidence_start"), c.get("evidence_end")
        if not (isinstance(es, int) and isinstance(ee, int) and 0 <= es < ee <= n):
            continue
        vs, ve = c.get("value_start"), c.get("value_end")
        value = (vs, ve) if isinstance(vs, int) and isinstance(ve, int) and vs < ve <= n else None
        spans.append((es, ee, value, c["claim_id"]))
    points = {0, n}
    anchors: dict[int, list[str]] = defaultdict(list)
    for es, ee, value, claim_id in spans:
        points.update((es, ee))
        anchors[es].append(claim_id)
        if value:
            points.update(value)
    cuts = sorted(points)
    out = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        for claim_id in anchors.get(a, ()):
            out.append(Markup('<span class="rt-anchor" id="claim-{}"></span>').format(claim_id))
        piece = Markup("{}").format(text[a:b])
        if any(v and v[0] <= a and b <= v[1] for _, _, v, _ in spans):
            piece = Markup('<mark class="rt-value">{}</mark>').format(piece)
        if any(es <= a and b <= ee for es, ee, _, _ in spans):
            piece = Markup('<span class="rt-ev">{}</span>').format(piece)
        out.append(piece)
    return Markup("").join(out)


def safe_url(url: str | None) -> str | None:
    return url if url and urlsplit(url).scheme in ("http", "https") else None


async def article_page(datasette, request):
    source_id = request.url_vars["source_id"]
    db = datasette.get_database(DB)
    rows = (await db.execute("select * from sources where source_id = ?", [source_id])).rows
    if not rows:
        raise NotFound(f"No article {source_id}")
    source = dict(rows[0])
    claims = [dict(r) for r in (await db.execute(CLAIMS_SQL, {"source_id": source_id})).rows]
    citations = (await db.execute(CITATIONS_SQL, {"source_id": source_id})).rows
    for c in claims:
        c["value_html"] = highlight_value(c)
        c["anchor"] = "claim-" + c["claim_id"]
        c["row_url"] = datasette.urls.row(DB, "claims", quote(c["claim_id"], safe=""))
    html = await datasette.render_template(
        "roundtrace_article.html",
        {
            "source": source,
            "url": safe_url(source.get("url")),
            "text_html": highlight_text(source["text"], claims),
            "claims": claims,
            "citations": citations,
            "source_row_url": datasette.urls.row(DB, "sources", quote(source_id, safe="")),
            "dossier_url": datasette.urls.path(
                "/roundtrace/source_dossier?source_id=" + quote(source_id, safe="")
            ),
        },
        request=request,
    )
    return Response.html(html)


def highlight_value(c: dict) -> Markup:
    text = c.get("value_text")
    return Markup('<mark class="rt-value">{}</mark>').format(text) if text else Markup("")


@hookimpl
def register_routes():
    return [(r"^/articles/(?P<source_id>[^/]+)$", article_page)]
