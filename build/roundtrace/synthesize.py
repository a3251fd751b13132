"""Synthesize: group funding claims into rounds and summarise what the articles report.

Independence: articles that cite the same primary report (a publication they relay) form one
independence group; an article citing no publication is its own group. Counts users see say
"articles" or "independent reports", never "sources".
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from .curation import CuratedRound
from .extract import Citation, Claim

FUNDING = {
    "valuation",
    "round_amount",
    "investment_amount",
    "investor",
    "round_status",
    "expected_close",
    "investor_count",
}
STATUS_ORDER = ["denied", "talks", "advanced_talks", "final_negotiations", "term_sheet", "closed"]
ROLE_ORDER = ["lead", "participant", "in_talks", "considering", "existing", "unspecified"]


@dataclass
class Synthesis:
    rounds: list[dict] = field(default_factory=list)
    round_investors: list[dict] = field(default_factory=list)
    conflicts: list[dict] = field(default_factory=list)
    conflict_claims: list[dict] = field(default_factory=list)


def independence_key(source_id: str, citations: list[Citation], publications: set[str]) -> str:
    cited = sorted({c.party_id for c in citations if c.party_id in publications})
    return f"report:{cited[0]}" if cited else f"article:{source_id}"


def assign_rounds(claims: list[Claim], curated: list[CuratedRound]) -> dict[str, str]:
    """round_id per funding claim's subject: one round per company for now; a curated round
    (seeds/rounds.yml) names it."""
    named = {r.company_id: r.round_id for r in curated}
    out = {}
    for c in claims:
        if c.predicate in FUNDING:
            out[c.subject_id] = named.get(c.subject_id, f"{c.subject_id}-round")
    return out


def synthesize(
    claims: list[Claim],
    published: dict[str, str | None],
    independence: dict[str, str],
    names: dict[str, str],
) -> Synthesis:
    """`published`: source_id → date; `independence`: source_id → independence group."""
    by_round: dict[str, list[Claim]] = defaultdict(list)
    for c in claims:
        if c.round_id:
            by_round[c.round_id].append(c)
    syn = Synthesis()
    for round_id, cs in sorted(by_round.items()):
        company = cs[0].subject_id
        sources = sorted({c.source_id for c in cs})
        dates = sorted(d for s in sources if (d := published.get(s)))
        statuses = [c.status for c in cs if c.predicate == "round_status" and c.status]
        status = None
        if statuses:
            advanced = [s for s in statuses if s != "denied"]
            status = max(advanced, key=STATUS_ORDER.index) if advanced else "denied"
        row = {
            "round_id": round_id,
            "company_id": company,
            "label": f"{names.get(company, company)} funding round",
            "status": status,
            "first_reported": dates[0] if dates else None,
            "last_reported": dates[-1] if dates else None,
            "undated_article_count": sum(1 for s in sources if not published.get(s)),
            "article_count": len(sources),
            "independent_report_count": len({independence[s] for s in sources}),
            "claim_count": len(cs),
        }
        for pred, prefix in (("valuation", "valuation"), ("round_amount", "amount")):
            row.update(_envelope([c for c in cs if c.predicate == pred], prefix, independence))
        investors = _investors(round_id, cs, published, independence)
        row["investor_count"] = len(investors)
        syn.rounds.append(row)
        syn.round_investors.extend(investors)
    return syn


def _envelope(cs: list[Claim], prefix: str, independence: dict[str, str]) -> dict:
    live = [c for c in cs if c.time_frame != "earlier" and c.currency]
    out: dict = {}
    if not live:
        return out
    currency = Counter(c.currency for c in live).most_common(1)[0][0]
    native = [
        b
        for c in live
        if c.currency == currency
        for b in (c.amount_low, c.amount_high)
        if b is not None
    ]
    usd = [b for c in live for b in (c.usd_low, c.usd_high) if b is not None]
    support: dict[tuple, set[str]] = defaultdict(set)
    text: dict[tuple, str] = {}
    for c in live:
        key = (c.currency, c.amount_low, c.amount_high)
        support[key].add(independence[c.source_id])
        text.setdefault(key, c.value_text or "")
    best = max(support, key=lambda k: (len(support[k]), -len(text[k])))
    usd_prefix = "valuation_usd" if prefix == "valuation" else "amount_usd"
    out[f"{prefix}_currency"] = currency
    out[f"{prefix}_low"] = min(native) if native else None
    out[f"{prefix}_high"] = max(native) if native else None
    out[f"{usd_prefix}_low"] = min(usd) if usd else None
    out[f"{usd_prefix}_high"] = max(usd) if usd else None
    out[f"best_{prefix}"] = text[best]
    out[f"best_{prefix}_support"] = len(support[best])
    return out


def _investors(
    round_id: str, cs: list[Claim], published: dict[str, str | None], independence: dict[str, str]
) -> list[dict]:
    per: dict[str, list[Claim]] = defaultdict(list)
    for c in cs:
        if c.predicate in ("investor", "investment_amount") and c.object_id:
            per[c.object_id].append(c)
    rows = []
    for inv, ics in sorted(per.items()):
        roles = sorted({c.role or "unspecified" for c in ics}, key=ROLE_ORDER.index)
        amounts = [c for c in ics if c.predicate == "investment_amount" and c.currency]
        currency = Counter(c.currency for c in amounts).most_common(1)[0][0] if amounts else None
        native = [
            b
            for c in amounts
            if c.currency == currency
            for b in (c.amount_low, c.amount_high)
            if b is not None
        ]
        usd = [b for c in amounts for b in (c.usd_low, c.usd_high) if b is not None]
        srcs = {c.source_id for c in ics}
        dates = sorted(d for s in srcs if (d := published.get(s)))
        rows.append(
            {
                "round_id": round_id,
                "investor_id": inv,
                "roles": roles,
                "currency": currency,
                "amount_low": min(native) if native else None,
                "amount_high": max(native) if native else None,
                "usd_low": min(usd) if usd else None,
                "usd_high": max(usd) if usd else None,
                "article_count": len(srcs),
                "independent_report_count": len({independence[s] for s in srcs}),
                "first_reported": dates[0] if dates else None,
            }
        )
    return rows
