"""Round page /rounds/<round_id>: the round's terms, investors and conflicts, and its
term-history chart drawn on the server as inline SVG (no JavaScript, no CDN).

The chart plots every reported valuation and round amount (term_history) in US dollars (log
scale), one column per publication date in date order, and a last column "date unknown" for
articles without a date — never placed on a guessed date. Bounds are drawn as such: "above X" as
an arrow up from X, "up to X" as an arrow down, ranges as a bar; figures that do not set the
current terms (earlier, forecast, denied) are hollow. Figures with no US-dollar conversion are
listed under the chart. Template: templates/roundtrace_round.html.
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from urllib.parse import quote

from datasette import hookimpl
from datasette.utils.asgi import NotFound, Response
from markupsafe import Markup

DB = "roundtrace"
UNKNOWN = "date unknown"
SERIES = {  # predicate → (label, colour, marker)
    "valuation": ("Valuation", "#1f5fa8", "circle"),
    "round_amount": ("Round amount", "#b5561a", "square"),
}

ROUND_SQL = """
select r.*, e.name as company_name from rounds r
left join entities e on e.entity_id = r.company_id where r.round_id = :round_id
"""
INVESTORS_SQL = """
select ri.*, coalesce(e.name, ri.investor_id) as name from round_investors ri
left join entities e on e.entity_id = ri.investor_id
where ri.round_id = :round_id
order by ri.independent_report_count desc, ri.article_count desc, name
"""
CONFLICTS_SQL = """
select k.conflict_id, k.kind, k.predicate, k.explanation, k.claim_count,
  obj.name as about, k.article_count, k.independent_report_count, cc.position, c.value_text,
  c.claim_id, c.source_id, coalesce(c.published, 'date unknown') as published, s.label as article
from conflicts k
join conflict_claims cc on cc.conflict_id = k.conflict_id
join claims c on c.claim_id = cc.claim_id
join sources s on s.source_id = c.source_id
left join entities obj on obj.entity_id = k.object_id
where k.round_id = :round_id
order by k.kind, k.conflict_id, cc.position
"""
TERMS_SQL = """
select t.claim_id, t.source_id, t.predicate, t.value_text, t.currency, t.amount_low,
  t.amount_high, t.usd_low, t.usd_high, c.low_inclusive, t.time_frame, t.sets_current_terms,
  t.certainty,
  case when t.date_known then t.published end as published, t.conflict_kinds,
  coalesce(inv.name, t.investor_id) as investor, s.label as article, att.name as authority
from term_history t
join claims c on c.claim_id = t.claim_id
join sources s on s.source_id = t.source_id
left join entities inv on inv.entity_id = t.investor_id
left join entities att on att.entity_id = c.attributed_to
where t.round_id = :round_id
order by t.date_known desc, t.published, t.predicate, t.usd_mid, t.source_id, c.value_start
"""


def money(value, currency) -> str:
    if value is None:
        return "—"
    prefix = "$" if currency == "USD" else f"{currency or ''} ".lstrip()
    for size, word in ((1e12, "trillion"), (1e9, "billion"), (1e6, "million")):
        if abs(value) >= size:
            n = f"{value / size:,.2f}".rstrip("0").rstrip(".")
            return f"{prefix}{n} {word}"
    return f"{prefix}{value:,.0f}"


def envelope(low, high, currency, low_inclusive=True) -> str:
    if low is None and high is None:
        return "—"
    if high is None:
        return f"{'at least' if low_inclusive else 'above'} {money(low, currency)}"
    if low is None:
        return f"up to {money(high, currency)}"
    if low == high:
        return money(low, currency)
    return f"{money(low, currency)} – {money(high, currency)}"


def short_usd(value: float) -> str:
    for size, word in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K")):
        if value >= size:
            return f"${value / size:g}{word}"
    return f"${value:g}"


def chart_svg(terms: list[dict], width: int = 760, height: int = 340) -> Markup:
    """Inline SVG of the figures in `terms` that have a US-dollar bound."""
    plotted = [t for t in terms if t["predicate"] in SERIES and (t["usd_low"] or t["usd_high"])]
    if not plotted:
        return Markup('<p class="rt-chart-empty">No reported figure has a US-dollar value.</p>')
    columns = sorted({t["published"] for t in plotted if t["published"]})
    if any(not t["published"] for t in plotted):
        columns.append(UNKNOWN)
    values = [v for t in plotted for v in (t["usd_low"], t["usd_high"]) if v]
    lo = math.floor(math.log10(min(values)))
    hi = math.ceil(math.log10(max(values)))
    if hi - lo < 1:
        hi = lo + 1
    left, right, top, bottom = 70, 20, 28, 62
    plot_w, plot_h = width - left - right, height - top - bottom
    col_w = plot_w / len(columns)

    def y(v: float) -> float:
        return top + plot_h * (1 - (math.log10(v) - lo) / (hi - lo))

    parts = [
        Markup(
            '<svg class="rt-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" '
            'width="{w}" height="{h}" role="img" aria-labelledby="rt-chart-title rt-chart-desc">'
            '<title id="rt-chart-title">Reported valuation and round amount, in US dollars'
            '</title><desc id="rt-chart-desc">{n} reported figures; one column per publication '
            "date, undated articles in the last column.</desc>"
        ).format(w=width, h=height, n=len(plotted))
    ]
    # y grid: decades, plus 2× and 5× when the span is short
    steps = (1, 2, 5) if hi - lo <= 2 else (1,)
    for exp in range(lo, hi + 1):
        for m in steps:
            v = m * 10**exp
            if not 10**lo <= v <= 10**hi:
                continue
            yy = y(v)
            parts.append(
                Markup(
                    '<line class="rt-grid" x1="{}" x2="{}" y1="{:.1f}" y2="{:.1f}"/>'
                    '<text class="rt-tick" x="{}" y="{:.1f}" text-anchor="end">{}</text>'
                ).format(left, width - right, yy, yy, left - 6, yy + 4, short_usd(v))
            )
    parts.append(
        Markup(
            '<text class="rt-axis" x="14" y="{:.1f}" transform="rotate(-90 14 {:.1f})" '
            'text-anchor="middle">US dollars (log scale)</text>'
        ).format(top + plot_h / 2, top + plot_h / 2)
    )
    by_col: dict[str, list[dict]] = defaultdict(list)
    for t in plotted:
        by_col[t["published"] or UNKNOWN].append(t)
    for i, col in enumerate(columns):
        x0 = left + i * col_w
        if col == UNKNOWN:
            parts.append(
                Markup(
                    '<rect class="rt-unknown" x="{:.1f}" y="{}" width="{:.1f}" height="{}"/>'
                ).format(x0, top, col_w, plot_h)
            )
        parts.append(
            Markup('<text class="rt-date" x="{:.1f}" y="{}" text-anchor="middle">{}</text>').format(
                x0 + col_w / 2, top + plot_h + 18, col
            )
        )
        points = by_col[col]
        for j, t in enumerate(points):
            x = x0 + col_w * (j + 1) / (len(points) + 1)
            parts.append(_mark(t, x, y, top, top + plot_h))
    # legend
    lx = left
    for label, colour, shape in SERIES.values():
        parts.append(_marker(shape, lx + 6, height - 14, colour, filled=True))
        parts.append(
            Markup('<text class="rt-legend" x="{}" y="{}">{}</text>').format(
                lx + 16, height - 10, label
            )
        )
        lx += 130
    parts.append(
        Markup(
            '<text class="rt-legend" x="{}" y="{}">hollow: not current terms (earlier figure,'
            " forecast or denied) · ▲ above · ▼ up to</text>"
        ).format(lx, height - 10)
    )
    parts.append(Markup("</svg>"))
    return Markup("").join(parts)


def _arrow(x: float, yy: float, sign: int, limit: float, colour: str) -> Markup:
    """An open bound: a 24-px arrow from the marker, up (sign -1) or down (+1), kept inside
    the plot at `limit`."""
    tip = max(limit, yy - 24) if sign < 0 else min(limit, yy + 24)
    return Markup(
        '<path d="M{x:.1f} {a:.1f} L{x:.1f} {b:.1f} M{l:.1f} {c:.1f} L{x:.1f} {b:.1f} '
        'L{r:.1f} {c:.1f}" stroke="{col}" stroke-width="2" fill="none"/>'
    ).format(x=x, a=yy + 6 * sign, b=tip, c=tip - 5 * sign, l=x - 4, r=x + 4, col=colour)


def _marker(shape: str, x: float, y: float, colour: str, filled: bool) -> Markup:
    fill = colour if filled else "#fff"
    if shape == "square":
        return Markup(
            '<rect x="{:.1f}" y="{:.1f}" width="9" height="9" fill="{}" stroke="{}" '
            'stroke-width="2"/>'
        ).format(x - 4.5, y - 4.5, fill, colour)
    return Markup(
        '<circle cx="{:.1f}" cy="{:.1f}" r="5" fill="{}" stroke="{}" stroke-width="2"/>'
    ).format(x, y, fill, colour)


def _mark(t: dict, x: float, y, y_top: float, y_bottom: float) -> Markup:
    label, colour, shape = SERIES.get(t["predicate"], (t["predicate"], "#555", "circle"))
    filled = bool(t["sets_current_terms"])
    low, high = t["usd_low"], t["usd_high"]
    tip = "{}: {} ({}) — {}, {}".format(
        label,
        t["value_text"] or "",
        envelope(low, high, "USD"),
        t["article"],
        t["published"] or UNKNOWN,
    )
    parts = [
        Markup('<g class="rt-point" data-claim="{}"><title>{}</title>').format(t["claim_id"], tip)
    ]
    if low and high and low != high:
        parts.append(
            Markup(
                '<line x1="{x:.1f}" x2="{x:.1f}" y1="{:.1f}" y2="{:.1f}" stroke="{}" '
                'stroke-width="3"/>'
            ).format(y(low), y(high), colour, x=x)
        )
        parts.append(_marker(shape, x, y(low), colour, filled))
        parts.append(_marker(shape, x, y(high), colour, filled))
    elif low and not high:  # lower bound: arrow up
        yy = y(low)
        parts.append(_marker(shape, x, yy, colour, filled))
        parts.append(_arrow(x, yy, -1, y_top, colour))
    elif high and not low:  # upper bound: arrow down
        yy = y(high)
        parts.append(_marker(shape, x, yy, colour, filled))
        parts.append(_arrow(x, yy, 1, y_bottom, colour))
    else:
        parts.append(_marker(shape, x, y(low or high), colour, filled))
    parts.append(Markup("</g>"))
    return Markup("").join(parts)


async def round_page(datasette, request):
    round_id = request.url_vars["round_id"]
    db = datasette.get_database(DB)
    args = {"round_id": round_id}
    rows = (await db.execute(ROUND_SQL, args)).rows
    if not rows:
        raise NotFound(f"No round {round_id}")
    rnd = dict(rows[0])
    terms = [dict(r) for r in (await db.execute(TERMS_SQL, args)).rows]
    for t in terms:
        inclusive = t.get("low_inclusive") in (None, 1, True)
        t["usd"] = envelope(t["usd_low"], t["usd_high"], "USD", inclusive)
        t["native"] = envelope(t["amount_low"], t["amount_high"], t["currency"], inclusive)
        t["article_url"] = _article_url(datasette, t)
        t["conflicts"] = ", ".join(json.loads(t["conflict_kinds"] or "[]")).replace("_", " ")
    conflicts: dict[str, dict] = {}
    for r in (await db.execute(CONFLICTS_SQL, args)).rows:
        k = conflicts.setdefault(r["conflict_id"], {**dict(r), "claims": []})
        k["claims"].append({**dict(r), "article_url": _article_url(datasette, r)})
    q = "?round_id=" + quote(round_id, safe="")
    html = await datasette.render_template(
        "roundtrace_round.html",
        {
            "round": rnd,
            "valuation": envelope(
                rnd["valuation_low"], rnd["valuation_high"], rnd["valuation_currency"]
            ),
            "valuation_usd": envelope(rnd["valuation_usd_low"], rnd["valuation_usd_high"], "USD"),
            "amount": envelope(rnd["amount_low"], rnd["amount_high"], rnd["amount_currency"]),
            "amount_usd": envelope(rnd["amount_usd_low"], rnd["amount_usd_high"], "USD"),
            "investors": [
                {
                    **dict(r),
                    "amount": envelope(r["amount_low"], r["amount_high"], r["currency"]),
                    "roles_text": ", ".join(json.loads(r["roles"] or "[]")).replace("_", " "),
                }
                for r in (await db.execute(INVESTORS_SQL, args)).rows
            ],
            "conflicts": list(conflicts.values()),
            "terms": terms,
            "chart": chart_svg(terms),
            "not_charted": [
                t for t in terms if t["predicate"] in SERIES and not (t["usd_low"] or t["usd_high"])
            ],
            "links": {
                "row": datasette.urls.row(DB, "rounds", quote(round_id, safe="")),
                "who": datasette.urls.path("/roundtrace/who_reported_what" + q),
                "history": datasette.urls.path("/roundtrace/round_term_history" + q),
                "reports": datasette.urls.path("/roundtrace/independent_reports" + q),
                "conflicts": datasette.urls.path("/roundtrace/round_conflicts" + q),
            },
        },
        request=request,
    )
    return Response.html(html)


def _article_url(datasette, row) -> str:
    return datasette.urls.path(
        "/articles/{}#claim-{}".format(quote(row["source_id"], safe=""), quote(row["claim_id"]))
    )


@hookimpl
def register_routes():
    return [(r"^/rounds/(?P<round_id>[^/]+)$", round_page)]
