"""Synthesize: group funding claims into rounds, count independent reports, find conflicts and
lay out each round's reported-term history.

Independence: an article that cites a publication (an outlet or agency) relays that
publication's report; an article citing none is the report of its own publisher when the
publisher is a known publication, else a report of its own. Articles with the same primary
report form one independence group and count as one "independent report". Counts users see
say "articles" or "independent reports", never "sources".

Rounds: per company, the articles with funding claims about it are ordered by publication
date and split where coverage pauses (more than ROUND_GAP_DAYS between articles, or more than
AFTER_CLOSE_DAYS after a reported close) or where the printed round label changes ("Series B",
"B轮"). Curated rounds (seeds/rounds.yml) take their articles first. Undated articles join the
company's round whose figures and investors they share, else its latest round.

Conflicts are found per round, predicate and investor by sorting values (never by comparing
every claim with every other), so the cost grows with the number of claims, not its square.

Scale: synthesis reads compact `SynClaim` records (the 25 claim fields it uses, with the round
labels of the evidence sentence instead of its text), and writes its rows to the appendable
sinks of the `Synthesis` it is given (lists by default; the build passes on-disk sorted spills),
so a million claims fit in a few hundred MB.
"""

from __future__ import annotations

import bisect
import calendar
import math
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from .curation import CuratedRound, ReferenceFact, display_label, round_labels
from .extract import Citation
from .ids import slugify, stable_id

FUNDING = {
    "valuation",
    "round_amount",
    "investment_amount",
    "investor",
    "round_status",
    "expected_close",
    "investor_count",
}
MONEY = ("valuation", "round_amount", "investment_amount")
STATUS_ORDER = ["denied", "talks", "advanced_talks", "final_negotiations", "term_sheet", "closed"]
ROLE_ORDER = ["lead", "participant", "in_talks", "considering", "existing", "unspecified"]
CITE_RANK = {"original_source": 0, "via": 1, "according_to": 2, "citing": 2, "reported": 3}
NOT_RAISERS = {"person", "publication", "product", "anonymous", "government_body"}
PRESENT = ("current", "target")

ROUND_GAP_DAYS = 90  # a pause in coverage this long starts a new round
AFTER_CLOSE_DAYS = 45  # so does news this long after a reported close
TOLERANCE = 0.05  # figures within 5 % are the same figure (rounding, conversions)
APPROX = 0.05  # and "about X" another 5 % either side
MAGNITUDE_SLACK = 0.15  # log10 distance from 10^k that still counts as a 10^k slip (7×–14×)
CLASS_GAP = 0.5  # log10 gap (≈3.2×) that separates two magnitude classes of figures
GLOSS_TOLERANCE = 0.2  # a stated conversion more than 20 % off the reference rate
FIT_LOG = 0.03  # an undated article's figure "fits" a round figure within ~7 %


# ---------------------------------------------------------------------------------------------
@dataclass
class Synthesis:
    """The synthesized tables. Each is a list of row dicts by default; any object with
    `append` and `extend` works (the build streams rows to disk)."""

    rounds: Any = field(default_factory=list)
    round_investors: Any = field(default_factory=list)
    conflicts: Any = field(default_factory=list)
    conflict_claims: Any = field(default_factory=list)
    term_history: Any = field(default_factory=list)
    reference_facts: Any = field(default_factory=list)


_intern = sys.intern


def _i(s: str | None) -> str | None:
    return None if s is None else _intern(s)


@dataclass(slots=True, eq=False)
class SynClaim:
    """What synthesis needs of a claim: every field it reads, and instead of the evidence
    sentence the round labels printed in it. Repeated values (predicates, ids, dates) are
    interned, so a million of these stay small. `round_id` is set by `synthesize`."""

    claim_id: str
    source_id: str
    predicate: str
    subject_id: str
    object_id: str | None
    round_id: str | None
    value_text: str | None
    value_start: int | None
    amount_low: float | None
    amount_high: float | None
    currency: str | None
    qualifier: str | None
    usd_low: float | None
    usd_high: float | None
    usd_basis: str | None
    usd_rate: float | None
    stated_usd_text: str | None
    role: str | None
    status: str | None
    date_value: str | None
    certainty: str
    time_frame: str
    published: str | None
    evidence_start: int
    labels: tuple[str, ...]  # round_labels(evidence)

    @classmethod
    def of(cls, c: Any, labels: tuple[str, ...] | None = None) -> SynClaim:
        """From a full claim (anything with `extract.Claim`'s attributes)."""
        if labels is None:
            labels = tuple(round_labels(c.evidence))
        return cls(
            c.claim_id,
            _intern(c.source_id),
            _intern(c.predicate),
            _intern(c.subject_id),
            _i(c.object_id),
            _i(c.round_id),
            c.value_text,
            c.value_start,
            c.amount_low,
            c.amount_high,
            _i(c.currency),
            _i(c.qualifier),
            c.usd_low,
            c.usd_high,
            _i(c.usd_basis),
            c.usd_rate,
            c.stated_usd_text,
            _i(c.role),
            _i(c.status),
            _i(c.date_value),
            _intern(c.certainty),
            _intern(c.time_frame),
            _i(c.published),
            c.evidence_start,
            labels or (),
        )


@dataclass(frozen=True)
class ArticleInfo:
    """What synthesis needs to know about an article (not its text)."""

    source_id: str
    name: str  # publisher, else web host — how explanations name the article
    published: str | None
    title: str | None = None


def independence_key(
    source_id: str,
    citations: list[Citation],
    publications: set[str],
    publisher_id: str | None = None,
) -> str:
    """`report:<publication>` for the primary report an article relays (or is), else
    `article:<source_id>`. An article citing several publications relays the one it credits
    most directly ("Original source: X" before "via X" before "according to X"), earliest
    first."""
    cited = [c for c in citations if c.party_id in publications]
    if cited:
        best = min(cited, key=lambda c: (CITE_RANK.get(c.cue, 4), c.evidence_start, c.party_id))
        return f"report:{best.party_id}"
    if publisher_id and publisher_id in publications:
        return f"report:{publisher_id}"
    return f"article:{source_id}"


# ---------------------------------------------------------------------------------------------
# rounds
@dataclass
class _Coverage:
    """One article's funding claims about one company."""

    source_id: str
    company: str
    published: str | None
    label: str | None
    closed: bool
    investors: set[str]
    points: dict[tuple, list[float]]  # (predicate, investor) → log10 of comparable values


@dataclass
class _Round:
    company: str
    curated: CuratedRound | None = None
    label: str | None = None  # printed label key ("B", "B+", "seed"…)
    members: list[_Coverage] = field(default_factory=list)
    round_id: str | None = None
    first: str | None = None
    last: str | None = None
    closed_on: str | None = None
    investors: set[str] = field(default_factory=set)
    points: dict[tuple, list[float]] = field(default_factory=lambda: defaultdict(list))
    _sorted: dict[tuple, list[float]] = field(default_factory=dict)  # sorted points, by key

    def add(self, cov: _Coverage) -> None:
        self._sorted.clear()
        self.members.append(cov)
        if cov.published:
            self.first = min(self.first or cov.published, cov.published)
            self.last = max(self.last or cov.published, cov.published)
            if cov.closed:
                self.closed_on = max(self.closed_on or cov.published, cov.published)
        if self.label is None and cov.label and not (self.curated and self.curated.match_label):
            self.label = cov.label
        self.investors |= cov.investors
        for k, v in cov.points.items():
            self.points[k].extend(v)

    def sorted_points(self, key: tuple) -> list[float]:
        """sorted(points[key]), kept until the next `add` (undated articles are fitted against
        every round of their company: sorting once per round, not once per article)."""
        got = self._sorted.get(key)
        if got is None:
            got = self._sorted[key] = sorted(self.points.get(key, ()))
        return got

    @property
    def nominal(self) -> str:
        """Date used to pick the 'latest' round for an undated article."""
        return self.last or (self.curated.after if self.curated and self.curated.after else "")


def _days(a: str, b: str) -> int:
    from datetime import date

    return (date.fromisoformat(b) - date.fromisoformat(a)).days


def _forms_round(c: SynClaim, etype: dict[str, str]) -> bool:
    if c.predicate not in FUNDING or etype.get(c.subject_id) in NOT_RAISERS:
        return False
    if c.object_id is not None and c.object_id == c.subject_id:
        return False  # "Tencent invests in Tencent": an extraction slip, not a round
    if c.time_frame == "earlier":
        return False
    return not (c.predicate == "investor" and c.role == "existing")


def _curated_takes(cr: CuratedRound, cov: _Coverage) -> bool:
    if not cr.has_match:
        return True
    if cr.match_label and cov.label and cov.label != cr.match_label:
        return False
    if cov.published is None:
        return False
    if cr.after and cov.published < cr.after:
        return False
    if cr.before and cov.published >= cr.before:
        return False
    return bool(cr.after or cr.before) or cov.label == cr.match_label


def _fit(cov: _Coverage, rnd: _Round) -> int:
    score = len(cov.investors & rnd.investors)
    for key, vals in cov.points.items():
        theirs = rnd.sorted_points(key)
        for v in vals:
            if theirs and _nearest(theirs, v) <= FIT_LOG:
                score += 2
    return score


def _nearest(sorted_vals: list[float], v: float) -> float:
    i = bisect.bisect_left(sorted_vals, v)
    near = [abs(sorted_vals[j] - v) for j in (i - 1, i) if 0 <= j < len(sorted_vals)]
    return min(near)


def _label_compatible(cov: _Coverage, rnd: _Round) -> bool:
    theirs = rnd.curated.match_label if rnd.curated and rnd.curated.match_label else rnd.label
    return not (cov.label and theirs and cov.label != theirs)


def _open_round(auto: list[_Round], cov: _Coverage) -> _Round | None:
    """The round a dated article continues: among the company's rounds still in the news (a
    report within ROUND_GAP_DAYS, no close more than AFTER_CLOSE_DAYS ago), one printing the
    same label, else one printing none, else (for an unlabelled article) the latest."""
    live = [
        r
        for r in auto[-4:]
        if _days(r.last, cov.published) <= ROUND_GAP_DAYS
        and not (r.closed_on and _days(r.closed_on, cov.published) > AFTER_CLOSE_DAYS)
    ]
    if not live:
        return None
    if cov.label:
        same = [r for r in live if r.label == cov.label]
        if same:
            return same[-1]
        unlabelled = [r for r in live if r.label is None]
        return unlabelled[-1] if unlabelled else None
    return live[-1]


def _group_company(covs: list[_Coverage], curated: list[CuratedRound]) -> list[_Round]:
    rounds = [_Round(cr.company_id, cr) for cr in curated]
    for r in rounds:
        r.label = r.curated.match_label if r.curated else None
    auto: list[_Round] = []
    dated = sorted((c for c in covs if c.published), key=lambda c: (c.published, c.source_id))
    for cov in dated:
        taker = next((r for r in rounds if _curated_takes(r.curated, cov)), None)
        if taker is not None:
            taker.add(cov)
            continue
        cur = _open_round(auto, cov)
        if cur is None:
            cur = _Round(cov.company)
            auto.append(cur)
        cur.add(cov)
    rounds += auto
    undated = sorted((c for c in covs if not c.published), key=lambda c: c.source_id)
    # labelled undated articles first, so unlabelled ones can join the rounds they start
    undated.sort(key=lambda c: c.label is None)
    for cov in undated:
        cands = [r for r in rounds if _label_compatible(cov, r)]
        if cands:
            best = max(
                cands,
                key=lambda r: (_fit(cov, r), r.nominal, r.curated is not None, len(r.members)),
            )
            best.add(cov)
        else:
            r = _Round(cov.company)
            r.add(cov)
            rounds.append(r)
    return [r for r in rounds if r.members]


def _coverage(
    claims: Iterable[SynClaim], info: dict[str, ArticleInfo], etype: dict[str, str], rate,
    companies: set[str] | None = None,
) -> dict[tuple[str, str], _Coverage]:
    """What each article says of each company's round; only of `companies` when given (the
    companies an article names still count in full: a title's label goes to its only one)."""
    forming: dict[tuple[str, str], list[SynClaim]] = defaultdict(list)
    companies_in: dict[str, set[str]] = defaultdict(set)
    for c in claims:
        if _forms_round(c, etype):
            forming[(c.source_id, c.subject_id)].append(c)
            companies_in[c.source_id].add(c.subject_id)
    out = {}
    for (sid, company), cs in forming.items():
        if companies is not None and company not in companies:
            continue
        a = info[sid]
        labels: list[str] = []
        seen_sentences = set()
        for c in cs:
            if c.evidence_start not in seen_sentences:
                seen_sentences.add(c.evidence_start)
                labels += c.labels
        if a.title and len(companies_in[sid]) == 1:
            labels += round_labels(a.title)
        label = None
        if labels:
            counts = Counter(labels)
            label = max(counts, key=lambda k: (counts[k], -labels.index(k)))
        points: dict[tuple, list[float]] = defaultdict(list)
        for c in cs:
            if c.predicate in MONEY:
                p = _point(c, rate, a.published)
                if p:
                    points[(c.predicate, c.object_id)].append(math.log10(p))
        out[(sid, company)] = _Coverage(
            sid,
            company,
            a.published,
            label,
            any(c.predicate == "round_status" and c.status == "closed" for c in cs),
            {c.object_id for c in cs if c.predicate == "investor" and c.object_id},
            dict(points),
        )
    return out


def _name_rounds(rounds: list[_Round], names: dict[str, str], taken: set[str]) -> None:
    def ordered(r: _Round):
        return (r.company, r.first or "9999", r.label or "", min(m.source_id for m in r.members))

    for r in sorted((r for r in rounds if r.curated is None), key=ordered):
        year = (r.first or "")[:4]
        parts = [r.company]
        if r.label:
            parts.append(slugify(display_label(r.label)))
        parts.append(year or "undated")
        base = "-".join(parts)
        rid, n = base, 2
        while rid in taken:
            rid, n = f"{base}-{n}", n + 1
        taken.add(rid)
        r.round_id = rid


def _round_label(r: _Round, names: dict[str, str]) -> str:
    if r.curated and r.curated.label:
        return r.curated.label
    name = names.get(r.company, r.company)
    what = f"{display_label(r.label)} round" if r.label else "funding round"
    if r.first:
        return f"{name} {what}, first reported {r.first[:7]}"
    return f"{name} {what} (publication dates unknown)"


# ---------------------------------------------------------------------------------------------
# values
class _Rates:
    """USD per unit of a currency on a day; 'latest' when the day is unknown. Only used to
    compare figures in different currencies — never written out as a claim's conversion."""

    def __init__(self) -> None:
        self._cache: dict[tuple[str, str], float | None] = {}

    def __call__(self, currency: str | None, day: str | None) -> float | None:
        if not currency:
            return None
        if currency == "USD":
            return 1.0
        key = (currency, day or "9999-12-31")
        if key not in self._cache:
            from .fx import to_usd

            conv = to_usd(1.0, currency, key[1])
            self._cache[key] = conv.rate if conv else None
        return self._cache[key]


def _interval(
    c: SynClaim, rate, day: str | None, unit: str = "USD"
) -> tuple[float | None, float | None] | None:
    """(low, high) in `unit`: the native amounts when the claim is in that currency, else via
    US dollars — the claim's own conversion, else a reference rate."""
    if c.amount_low is None and c.amount_high is None:
        return None
    if c.currency == unit:
        return c.amount_low, c.amount_high
    if c.usd_low is not None or c.usd_high is not None:
        lo, hi = c.usd_low, c.usd_high
    else:
        r = rate(c.currency, c.published or day)
        if r is None:
            return None
        lo = None if c.amount_low is None else c.amount_low * r
        hi = None if c.amount_high is None else c.amount_high * r
    if unit != "USD":
        u = rate(unit, c.published or day)
        if not u:
            return None
        lo = None if lo is None else lo / u
        hi = None if hi is None else hi / u
    return lo, hi


def _point(c: SynClaim, rate, day: str | None, unit: str = "USD") -> float | None:
    iv = _interval(c, rate, day, unit)
    if iv is None:
        return None
    lo, hi = iv
    if lo and hi:
        return math.sqrt(lo * hi)
    return lo or hi or None


def _unit(cs: list[SynClaim]) -> str:
    """The currency most of `cs` use: figures are compared in it (natively where possible)."""
    counts = Counter(c.currency for c in cs if c.currency)
    return min(counts, key=lambda k: (-counts[k], k)) if counts else "USD"


def _sets_terms(c: SynClaim) -> bool:
    return c.time_frame in PRESENT and c.certainty != "denied"


# ---------------------------------------------------------------------------------------------
def synthesize(
    articles: list[ArticleInfo],
    claims: list[SynClaim],
    independence: dict[str, str],
    entities: dict[str, object],
    curated: list[CuratedRound] | None = None,
    facts: list[ReferenceFact] | None = None,
    out: Synthesis | None = None,
    companies: set[str] | None = None,
    taken: set[str] | None = None,
    scope: list[SynClaim] | None = None,
) -> Synthesis:
    """Sets `round_id` on funding claims and returns the synthesized tables (appended to the
    sinks of `out` when given). `entities` maps entity id → an object with `name` and
    `type`.

    A part of the dataset (`delta`, for incremental builds): `companies` limits the rounds to
    those companies (`claims` must then hold every claim of every article with funding claims
    about them), `taken` adds the round ids other companies hold, and `scope` lists the claims
    whose single-claim conflicts (conversions, reference facts) are wanted."""
    curated = list(curated or [])
    facts = list(facts or [])
    info = {a.source_id: a for a in articles}
    names = {k: e.name for k, e in entities.items()}
    etype = {k: e.type for k, e in entities.items()}
    rate = _Rates()

    # 1. rounds ---------------------------------------------------------------------------
    covs = _coverage(claims, info, etype, rate, companies)
    by_company: dict[str, list[_Coverage]] = defaultdict(list)
    for cov in covs.values():
        by_company[cov.company].append(cov)
    curated_by_company: dict[str, list[CuratedRound]] = defaultdict(list)
    for cr in curated:
        curated_by_company[cr.company_id].append(cr)
    rounds: list[_Round] = []
    for company in sorted(by_company):
        if companies is None or company in companies:
            rounds += _group_company(by_company[company], curated_by_company.get(company, []))
    taken = {cr.round_id for cr in curated} | (taken or set())
    for r in rounds:
        if r.curated:
            r.round_id = r.curated.round_id
    _name_rounds(rounds, names, taken)
    round_of: dict[tuple[str, str], str] = {}
    for r in rounds:
        for m in r.members:
            round_of[(m.source_id, m.company)] = r.round_id
    for c in claims:
        c.round_id = None
        if c.predicate in FUNDING and not (c.object_id and c.object_id == c.subject_id):
            c.round_id = round_of.get((c.source_id, c.subject_id))

    by_round: dict[str, list[SynClaim]] = defaultdict(list)
    for c in claims:
        if c.round_id:
            by_round[c.round_id].append(c)

    syn = Synthesis() if out is None else out
    ctx = _Ctx(info, independence, names, rate, syn.conflicts, syn.conflict_claims)

    # 2. conflicts ------------------------------------------------------------------------
    for r in sorted(rounds, key=lambda r: r.round_id):
        _round_conflicts(ctx, r, by_round[r.round_id])
    _gloss_conflicts(ctx, claims if scope is None else scope)
    _reference_conflicts(ctx, claims if scope is None else scope, facts)
    conflicts_per_round, kinds_of_claim = ctx.per_round, ctx.kinds_of_claim

    # 3. rounds, investors, term history -----------------------------------------------------
    for r in rounds:
        cs = by_round[r.round_id]
        row = _round_row(ctx, r, cs)
        investors = _investors(ctx, r.round_id, cs)
        row["investor_count"] = len(investors)
        row["conflict_count"] = conflicts_per_round.get(r.round_id, 0)
        syn.rounds.append(row)
        syn.round_investors.extend(investors)
        for c in cs:
            if c.predicate in MONEY:
                syn.term_history.append(_history_row(ctx, c, kinds_of_claim.get(c.claim_id, ())))
    syn.reference_facts.extend(_fact_row(f) for f in facts)
    return syn


# ---------------------------------------------------------------------------------------------
@dataclass
class _Ctx:
    info: dict[str, ArticleInfo]
    independence: dict[str, str]
    names: dict[str, str]
    rate: _Rates
    conflicts: Any = field(default_factory=list)  # sinks for conflict and link rows
    links: Any = field(default_factory=list)
    _seen: set[str] = field(default_factory=set)
    per_round: Counter = field(default_factory=Counter)  # conflicts per round
    # the kinds of conflict each claim is part of (shared frozensets)
    kinds_of_claim: dict[str, frozenset[str]] = field(default_factory=dict)
    _kind_sets: dict[frozenset[str], frozenset[str]] = field(default_factory=dict)

    def group(self, sid: str) -> str:
        return self.independence.get(sid, f"article:{sid}")

    def add(
        self,
        kind: str,
        sides: list[tuple[str, list[SynClaim]]],
        explanation: str,
        *,
        round_id: str | None,
        subject_id: str,
        predicate: str,
        object_id: str | None = None,
        fact_id: str | None = None,
    ) -> None:
        members = {c.claim_id: pos for pos, cs in sides for c in cs}
        cid = stable_id("x", kind, fact_id, *sorted(members))
        if cid in self._seen:
            return
        self._seen.add(cid)
        all_claims = [c for _, cs in sides for c in cs]
        self.conflicts.append(
            {
                "conflict_id": cid,
                "round_id": round_id,
                "subject_id": subject_id,
                "predicate": predicate,
                "object_id": object_id,
                "kind": kind,
                "explanation": explanation,
                "claim_count": len(members),
                "article_count": len({c.source_id for c in all_claims}),
                "independent_report_count": len({self.group(c.source_id) for c in all_claims}),
                "reference_fact_id": fact_id,
            }
        )
        if round_id:
            self.per_round[round_id] += 1
        for claim_id, pos in sorted(members.items()):
            self.links.append({"conflict_id": cid, "claim_id": claim_id, "position": pos})
            kinds = self.kinds_of_claim.get(claim_id, frozenset()) | {kind}
            self.kinds_of_claim[claim_id] = self._kind_sets.setdefault(kinds, kinds)


# ---------------------------------------------------------------------------------------------
# conflicts within a round
def _round_conflicts(ctx: _Ctx, r: _Round, cs: list[SynClaim]) -> None:
    groups: dict[tuple[str, str | None], list[SynClaim]] = defaultdict(list)
    for c in cs:
        if c.predicate in MONEY and (c.amount_low is not None or c.amount_high is not None):
            groups[
                (c.predicate, c.object_id if c.predicate == "investment_amount" else None)
            ].append(c)
    for (pred, inv), gcs in sorted(groups.items(), key=lambda kv: (kv[0][0], kv[0][1] or "")):
        unit = _unit(gcs)
        present = [c for c in gcs if _sets_terms(c)]
        outliers = _magnitude(ctx, r, pred, inv, present, _whole(ctx, r, groups, pred, unit), unit)
        _disjoint(ctx, r, pred, inv, [c for c in present if c.claim_id not in outliers], unit)
        _superseded_within(ctx, r, pred, inv, gcs, unit)
    _part_whole(ctx, r, groups)


def _whole(ctx: _Ctx, r: _Round, groups, pred: str, unit: str) -> float | None:
    """For contributions, the highest upper bound of the round amount any article gives
    (present frame), in `unit`: a contribution above it is implausible. ("Above X" sets no
    upper bound.)"""
    if pred != "investment_amount":
        return None
    highs = [
        iv[1]
        for c in groups.get(("round_amount", None), ())
        if _sets_terms(c) and (iv := _interval(c, ctx.rate, r.last, unit)) and iv[1] is not None
    ]
    return max(highs) if highs else None


def _what(ctx: _Ctx, pred: str, company: str, inv: str | None) -> str:
    name = ctx.names.get(company, company)
    if pred == "valuation":
        return f"{name}'s valuation"
    if pred == "round_amount":
        return f"the size of {name}'s round"
    return f"{ctx.names.get(inv, inv)}'s contribution to {name}'s round"


def _magnitude(
    ctx: _Ctx,
    r: _Round,
    pred: str,
    inv: str | None,
    present: list[SynClaim],
    limit: float | None,
    unit: str,
) -> set[str]:
    """Classes of figures about 10^k apart: the class fewer independent reports give is the
    likely unit slip; on a tie, the class that exceeds the round (a part above the whole)."""
    pts = sorted(
        ((math.log10(p), c) for c in present if (p := _point(c, ctx.rate, r.last, unit))),
        key=lambda t: (t[0], t[1].claim_id),
    )
    if len(pts) < 2:
        return set()
    classes: list[list[tuple[float, SynClaim]]] = [[pts[0]]]
    for t in pts[1:]:
        if t[0] - classes[-1][-1][0] > CLASS_GAP:
            classes.append([])
        classes[-1].append(t)
    flagged: set[str] = set()
    for lo, hi in zip(classes, classes[1:], strict=False):
        mlo = _median([v for v, _ in lo])
        mhi = _median([v for v, _ in hi])
        k = round(mhi - mlo)
        if k < 1 or abs((mhi - mlo) - k) > MAGNITUDE_SLACK:
            continue
        lo_cs, hi_cs = [c for _, c in lo], [c for _, c in hi]
        s_lo = len({ctx.group(c.source_id) for c in lo_cs})
        s_hi = len({ctx.group(c.source_id) for c in hi_cs})
        lo_src, hi_src = {c.source_id for c in lo_cs}, {c.source_id for c in hi_cs}
        if lo_src == hi_src and len(lo_src) == 1:
            continue  # one article's two figures: left to disjoint_ranges
        outlier = None
        if s_lo != s_hi:
            outlier = "low" if s_lo < s_hi else "high"
        elif limit and 10**mhi > limit * (1 + TOLERANCE) and 10**mlo <= limit * (1 + TOLERANCE):
            outlier = "high"
        times = f"{10**k:,} times" if outlier != "low" else f"1/{10**k:,} of"
        if outlier:
            bad, good = (lo_cs, hi_cs) if outlier == "low" else (hi_cs, lo_cs)
            flagged |= {c.claim_id for c in bad}
            bad_v = _value(ctx, bad, r, good)
            expl = (
                f"{_says(ctx, bad)} {_phrase(ctx, pred, r.company, inv, bad_v)}, about {times} "
                f"what {_says(ctx, good)} ({_value(ctx, good, r, bad)}); the "
                f"{bad_v} figure is likely a unit slip (亿 vs billion)."
            )
            sides = [("outlier", bad), ("majority", good)]
        else:
            hi_v = _value(ctx, hi_cs, r, lo_cs)
            expl = (
                f"{_says(ctx, hi_cs)} {_phrase(ctx, pred, r.company, inv, hi_v)}, about {times} "
                f"what {_says(ctx, lo_cs)} ({_value(ctx, lo_cs, r, hi_cs)}); one "
                f"of the two figures is likely a unit slip (亿 vs billion)."
            )
            sides = [("higher", hi_cs), ("lower", lo_cs)]
        ctx.add(
            "magnitude_outlier",
            sides,
            expl,
            round_id=r.round_id,
            subject_id=r.company,
            predicate=pred,
            object_id=inv,
        )
    return flagged


def _median(xs: list[float]) -> float:
    xs = sorted(xs)
    n = len(xs)
    return xs[n // 2] if n % 2 else (xs[n // 2 - 1] + xs[n // 2]) / 2


@dataclass
class _Side:
    lo: float
    hi: float
    claims: list[SynClaim]


def _disjoint(
    ctx: _Ctx, r: _Round, pred: str, inv: str | None, present: list[SynClaim], unit: str
) -> None:
    """Figures that cannot all be true: bounded figures are merged into clusters of
    overlapping ranges (one sweep); adjacent clusters disagree. A bound ("above X", "up to X")
    disagrees with the nearest cluster on its wrong side. When every article on one side was
    published before every article on the other, it is a change over time (superseded)."""
    bounded, lower, upper = [], defaultdict(list), defaultdict(list)
    for c in present:
        iv = _interval(c, ctx.rate, r.last, unit)
        if iv is None:
            continue
        lo, hi = iv
        if c.qualifier == "approximate":  # "about $1.5 billion" allows a little more slack
            lo, hi = (
                (None if lo is None else lo * (1 - APPROX)),
                (None if hi is None else hi * (1 + APPROX)),
            )
        if lo is not None and hi is not None:
            bounded.append((lo, hi, c))
        elif lo is not None:
            lower[round(lo, 2)].append(c)
        elif hi is not None:
            upper[round(hi, 2)].append(c)
    bounded.sort(key=lambda t: (t[0], t[1], t[2].claim_id))
    clusters: list[_Side] = []
    for lo, hi, c in bounded:
        if clusters and lo <= clusters[-1].hi * (1 + TOLERANCE):
            clusters[-1].hi = max(clusters[-1].hi, hi)
            clusters[-1].claims.append(c)
        else:
            clusters.append(_Side(lo, hi, [c]))
    pairs: list[tuple[_Side, _Side]] = list(zip(clusters, clusters[1:], strict=False))
    his = [s.hi * (1 + TOLERANCE) for s in clusters]  # ascending: clusters are disjoint
    los = [s.lo for s in clusters]
    for lo, cs in sorted(lower.items()):
        i = bisect.bisect_left(his, lo)  # clusters[:i] lie wholly below the bound
        if i:
            pairs.append((clusters[i - 1], _Side(lo, math.inf, cs)))
    for hi, cs in sorted(upper.items()):
        i = bisect.bisect_right(los, hi * (1 + TOLERANCE))  # clusters[i:] lie wholly above
        if i < len(clusters):
            pairs.append((_Side(0.0, hi, cs), clusters[i]))
    if lower and upper:
        top_lo = max(lower)
        low_hi = min(upper)
        if low_hi * (1 + TOLERANCE) < top_lo:
            pairs.append(
                (_Side(0.0, low_hi, upper[low_hi]), _Side(top_lo, math.inf, lower[top_lo]))
            )
    what = _what(ctx, pred, r.company, inv)
    for a, b in pairs:
        _pair_conflict(ctx, r, pred, inv, what, a.claims, b.claims)


def _dates(ctx: _Ctx, cs: list[SynClaim]) -> list[str | None]:
    return [ctx.info[c.source_id].published for c in cs]


def _pair_conflict(
    ctx: _Ctx,
    r: _Round,
    pred: str,
    inv: str | None,
    what: str,
    low: list[SynClaim],
    high: list[SynClaim],
) -> None:
    dl, dh = _dates(ctx, low), _dates(ctx, high)
    if None not in dl and None not in dh and (max(dl) < min(dh) or max(dh) < min(dl)):
        early, late = (low, high) if max(dl) < min(dh) else (high, low)
        expl = (
            f"{_cap(what)} changed over time: {_value(ctx, early, r, late)} "
            f"({_who_when(ctx, early)}), then {_value(ctx, late, r, early)} "
            f"({_who_when(ctx, late)}) — a later report, not an error."
        )
        ctx.add(
            "superseded",
            [("earlier", early), ("later", late)],
            expl,
            round_id=r.round_id,
            subject_id=r.company,
            predicate=pred,
            object_id=inv,
        )
        return
    same = {c.source_id for c in low} == {c.source_id for c in high} and len(
        {c.source_id for c in low}
    ) == 1
    if same:
        expl = (
            f"{ctx.info[low[0].source_id].name} gives two figures for {what} that do not "
            f"overlap: {_value(ctx, low, r, high)} and {_value(ctx, high, r, low)}."
        )
    else:
        expl = (
            f"Articles disagree on {what}: {_says(ctx, low)} {_value(ctx, low, r, high)}, "
            f"while {_says(ctx, high)} {_value(ctx, high, r, low)}."
        )
        if None in dl or None in dh:
            expl = expl[:-1] + (
                "; with publication dates unknown, this may also be a change over time."
            )
    ctx.add(
        "disjoint_ranges",
        [("lower", low), ("higher", high)],
        expl,
        round_id=r.round_id,
        subject_id=r.company,
        predicate=pred,
        object_id=inv,
    )


def _superseded_within(
    ctx: _Ctx, r: _Round, pred: str, inv: str | None, gcs: list[SynClaim], unit: str
) -> None:
    """An article giving an earlier figure and a different current one: the terms moved."""
    per: dict[str, list[SynClaim]] = defaultdict(list)
    for c in gcs:
        per[c.source_id].append(c)
    what = _what(ctx, pred, r.company, inv)
    for sid, cs in sorted(per.items()):
        earlier = [c for c in cs if c.time_frame == "earlier"]
        now = [c for c in cs if _sets_terms(c)]
        if not earlier or not now:
            continue
        now_iv = [iv for c in now if (iv := _interval(c, ctx.rate, r.last, unit))]
        changed = [
            c
            for c in earlier
            if (iv := _interval(c, ctx.rate, r.last, unit)) and all(_apart(iv, n) for n in now_iv)
        ]
        if not changed or not now_iv:
            continue
        name = ctx.info[sid].name
        expl = (
            f"{name} gives {_value(ctx, changed, r, now)} as an earlier figure for {what} and "
            f"{_value(ctx, now, r, changed)} as the current one: the terms changed, which is "
            f"not an error."
        )
        ctx.add(
            "superseded",
            [("earlier", changed), ("later", now)],
            expl,
            round_id=r.round_id,
            subject_id=r.company,
            predicate=pred,
            object_id=inv,
        )


def _apart(a: tuple, b: tuple) -> bool:
    alo, ahi = a[0] or 0.0, math.inf if a[1] is None else a[1]
    blo, bhi = b[0] or 0.0, math.inf if b[1] is None else b[1]
    return ahi * (1 + TOLERANCE) < blo or bhi * (1 + TOLERANCE) < alo


def _part_whole(ctx: _Ctx, r: _Round, groups) -> None:
    """Within one article: an investor's contribution above the round amount it gives, or a
    round amount above the valuation it gives."""
    per: dict[str, dict[str, list[SynClaim]]] = defaultdict(lambda: defaultdict(list))
    for (pred, _inv), cs in groups.items():
        for c in cs:
            if _sets_terms(c):
                per[c.source_id][pred].append(c)
    for sid, preds in sorted(per.items()):
        name = ctx.info[sid].name
        for part_pred, whole_pred in (
            ("investment_amount", "round_amount"),
            ("round_amount", "valuation"),
        ):
            for part in preds.get(part_pred, ()):
                for whole in preds.get(whole_pred, ()):
                    if not _exceeds(ctx, r, part, whole):
                        continue
                    pv, wv = _value(ctx, [part], r, [whole]), _value(ctx, [whole], r, [part])
                    if part_pred == "investment_amount":
                        who = ctx.names.get(part.object_id, part.object_id)
                        expl = (
                            f"{name} says {who} commits {pv}, more than the {wv} it gives for "
                            f"the whole round."
                        )
                    else:
                        company = ctx.names.get(r.company, r.company)
                        expl = (
                            f"{name} says the round raises {pv}, more than the {wv} valuation "
                            f"it gives for {company}."
                        )
                    ctx.add(
                        "internal_inconsistency",
                        [("part", [part]), ("whole", [whole])],
                        expl,
                        round_id=r.round_id,
                        subject_id=r.company,
                        predicate=part_pred,
                        object_id=part.object_id if part_pred == "investment_amount" else None,
                    )


def _exceeds(ctx: _Ctx, r: _Round, part: SynClaim, whole: SynClaim) -> bool:
    if part.currency and part.currency == whole.currency:
        plo = part.amount_low if part.amount_low is not None else part.amount_high
        whi = whole.amount_high if whole.amount_high is not None else None
        if whole.amount_low is not None and whole.amount_high is None:
            return False  # "above X": no upper limit
    else:
        piv, wiv = _interval(part, ctx.rate, r.last), _interval(whole, ctx.rate, r.last)
        if not piv or not wiv:
            return False
        plo = piv[0] if piv[0] is not None else piv[1]
        whi = wiv[1]
    return plo is not None and whi is not None and plo > whi * (1 + TOLERANCE)


# ---------------------------------------------------------------------------------------------
def _gloss_conflicts(ctx: _Ctx, claims: list[SynClaim]) -> None:
    """A publisher's own USD conversion far from the ECB reference rate on its date."""
    for c in claims:
        if c.usd_basis != "stated" or not c.usd_rate or not c.currency:
            continue
        day = ctx.info[c.source_id].published
        if not day:
            continue  # no date, no reference rate to compare with
        ref = ctx.rate(c.currency, day)
        if not ref:
            continue
        off = c.usd_rate / ref - 1
        if abs(off) <= GLOSS_TOLERANCE:
            continue
        name = ctx.info[c.source_id].name
        gloss = (c.stated_usd_text or "").strip(" ()（）") or _usd(c.usd_high or c.usd_low)
        expl = (
            f"{name} converts {c.value_text} to {gloss}, a rate {abs(off):.0%} "
            f"{'above' if off > 0 else 'below'} the ECB reference rate on {day} "
            f"({ref:.4g} USD per {c.currency})."
        )
        ctx.add(
            "internal_inconsistency",
            [("stated_conversion", [c])],
            expl,
            round_id=c.round_id,
            subject_id=c.subject_id,
            predicate=c.predicate,
            object_id=c.object_id,
        )


def _reference_conflicts(ctx: _Ctx, claims: list[SynClaim], facts: list[ReferenceFact]) -> None:
    dated: dict[tuple[str, str, str | None], list[ReferenceFact]] = defaultdict(list)
    people: dict[tuple[str, str], list[ReferenceFact]] = defaultdict(list)
    for f in facts:
        if f.predicate == "product_release":
            dated[(f.predicate, "*", f.object_id)].append(f)
        elif f.predicate == "founded":
            dated[(f.predicate, f.subject_id, None)].append(f)
        else:
            people[(f.predicate, f.subject_id)].append(f)
    for c in claims:
        if c.predicate == "product_release":
            fs = dated.get((c.predicate, "*", c.object_id), [])
        elif c.predicate == "founded":
            fs = dated.get((c.predicate, c.subject_id, None), [])
        elif c.predicate in ("founder", "parent_organization"):
            fs = people.get((c.predicate, c.subject_id), [])
            if fs and c.object_id not in {f.object_id for f in fs}:
                _reference_conflict(ctx, c, fs[0])
            continue
        else:
            continue
        if not c.date_value or not fs:
            continue
        if not any(_same_date(c.date_value, f.value) for f in fs):
            _reference_conflict(ctx, c, fs[0])


def _same_date(a: str, b: str | None) -> bool:
    if not b:
        return True
    n = min(len(a), len(b))
    return a[:n] == b[:n]


def _reference_conflict(ctx: _Ctx, c: SynClaim, f: ReferenceFact) -> None:
    name = ctx.info[c.source_id].name
    subject = ctx.names.get(c.subject_id, c.subject_id)
    who = f"{f.citation.publisher}'s " if f.citation.publisher else ""
    ref = f"the cited reference, {who}“{f.citation.title}”,"
    if c.predicate == "product_release":
        product = ctx.names.get(c.object_id, c.object_id)
        expl = (
            f"{name} says {product} was released in {_date_words(c.date_value)}, but "
            f"{ref} gives {_date_words(f.value)}."
        )
    elif c.predicate == "founded":
        expl = (
            f"{name} says {subject} was founded in {_date_words(c.date_value)}, but "
            f"{ref} gives {_date_words(f.value)}."
        )
    else:
        role = "founder" if c.predicate == "founder" else "owner"
        expl = (
            f"{name} names {ctx.names.get(c.object_id, c.object_id)} as {subject}'s {role}, but "
            f"{ref} names {ctx.names.get(f.object_id, f.object_id)}."
        )
    ctx.add(
        "contradicts_reference",
        [("claim", [c])],
        expl,
        round_id=c.round_id,
        subject_id=c.subject_id,
        predicate=c.predicate,
        object_id=c.object_id,
        fact_id=f.fact_id,
    )


_MONTHS = list(calendar.month_name)[1:]


def _date_words(d: str | None) -> str:
    if not d:
        return "an unknown date"
    parts = d.split("-")
    if len(parts) == 1:
        return parts[0]
    month = _MONTHS[int(parts[1]) - 1]
    if len(parts) == 2:
        return f"{month} {parts[0]}"
    return f"{int(parts[2])} {month} {parts[0]}"


# ---------------------------------------------------------------------------------------------
# wording
def _names(ctx: _Ctx, cs: list[SynClaim]) -> list[str]:
    seen: dict[str, None] = {}
    for c in sorted(cs, key=lambda c: (ctx.info[c.source_id].published or "9999", c.source_id)):
        seen.setdefault(ctx.info[c.source_id].name, None)
    return list(seen)


def _join(items: list[str], limit: int = 3) -> str:
    if len(items) > limit:
        rest = len(items) - (limit - 1)
        items = [*items[: limit - 1], f"{rest} other articles"]
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " and " + items[-1]


def _says(ctx: _Ctx, cs: list[SynClaim]) -> str:
    """ "China Daily Brief says", "Startup Fortune and SetupAI say", "2 articles from X say"."""
    names = _names(ctx, cs)
    n = len({c.source_id for c in cs})
    who = _join(names) if len(names) > 1 or n == 1 else f"{n} articles from {names[0]}"
    return who + (" says" if n == 1 else " say")


def _phrase(ctx: _Ctx, pred: str, company: str, inv: str | None, value: str) -> str:
    name = ctx.names.get(company, company)
    if pred == "investment_amount":
        return f"{ctx.names.get(inv, inv)} commits {value}"
    if pred == "valuation":
        return f"{name} is valued at {value}"
    return f"{name}'s round raises {value}"


def _given_by(ctx: _Ctx, cs: list[SynClaim]) -> str:
    return f"given by {_join(_names(ctx, cs))}"


def _who_when(ctx: _Ctx, cs: list[SynClaim]) -> str:
    dates = sorted({d for c in cs if (d := ctx.info[c.source_id].published)})
    when = dates[0] if len(dates) == 1 else f"{dates[0]} to {dates[-1]}"
    return f"{_join(_names(ctx, cs))}, {when}"


def _value(ctx: _Ctx, cs: list[SynClaim], r: _Round, other: list[SynClaim] | None = None) -> str:
    """The side's figure as printed (the most printed wording), with a USD gloss when the
    other side is in another currency."""
    text, c0 = _printed(ctx, cs)
    other_cur = {c.currency for c in other or ()}
    if c0.currency and c0.currency != "USD" and other_cur and other_cur != {c0.currency}:
        iv = _interval(c0, ctx.rate, r.last)
        p = _point(c0, ctx.rate, r.last) if iv else None
        if p:
            return f"{text} (about {_usd(p)})"
    return text


def _printed(ctx: _Ctx, cs: list[SynClaim]) -> tuple[str, SynClaim]:
    """The wording most of `cs` print (ties: the earliest article's), and a claim printing it."""
    order = sorted(
        cs,
        key=lambda c: (ctx.info[c.source_id].published or "9999", c.source_id, c.value_start or 0),
    )
    texts = Counter(c.value_text or "" for c in order)
    first: dict[str, int] = {}
    for i, c in enumerate(order):
        first.setdefault(c.value_text or "", i)
    text = max(texts, key=lambda t: (texts[t], -first[t]))
    return text, order[first[text]]


def _usd(x: float | None) -> str:
    if x is None:
        return "an unknown amount"
    for scale, word in ((1e12, "trillion"), (1e9, "billion"), (1e6, "million")):
        if x >= scale:
            v = x / scale
            s = f"{v:.3g}" if v < 100 else f"{v:.0f}"
            return f"${s} {word}"
    return f"${x:,.0f}"


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:]


# ---------------------------------------------------------------------------------------------
# rows
def _round_row(ctx: _Ctx, r: _Round, cs: list[SynClaim]) -> dict:
    sources = sorted({c.source_id for c in cs})
    dates = sorted(d for s in sources if (d := ctx.info[s].published))
    statuses = [c.status for c in cs if c.predicate == "round_status" and c.status]
    status = None
    if statuses:
        advanced = [s for s in statuses if s != "denied"]
        status = max(advanced, key=STATUS_ORDER.index) if advanced else "denied"
    row = {
        "round_id": r.round_id,
        "company_id": r.company,
        "label": _round_label(r, ctx.names),
        "round_label": display_label(r.label) if r.label else None,
        "curated": r.curated is not None,
        "status": status,
        "first_reported": dates[0] if dates else None,
        "last_reported": dates[-1] if dates else None,
        "undated_article_count": sum(1 for s in sources if not ctx.info[s].published),
        "article_count": len(sources),
        "independent_report_count": len({ctx.group(s) for s in sources}),
        "claim_count": len(cs),
    }
    for pred, prefix in (("valuation", "valuation"), ("round_amount", "amount")):
        row.update(_envelope(ctx, [c for c in cs if c.predicate == pred], prefix))
    return row


def _envelope(ctx: _Ctx, cs: list[SynClaim], prefix: str) -> dict:
    live = [c for c in cs if _sets_terms(c) and c.currency]
    out: dict = {}
    if not live:
        return out
    counts = Counter(c.currency for c in live)
    currency = min(counts, key=lambda k: (-counts[k], k))
    native = [
        b
        for c in live
        if c.currency == currency
        for b in (c.amount_low, c.amount_high)
        if b is not None
    ]
    usd = [b for c in live for b in (c.usd_low, c.usd_high) if b is not None]
    support: dict[tuple, set[str]] = defaultdict(set)
    articles: dict[tuple, set[str]] = defaultdict(set)
    members: dict[tuple, list[SynClaim]] = defaultdict(list)
    for c in live:
        key = (c.currency, _r(c.amount_low), _r(c.amount_high))
        support[key].add(ctx.group(c.source_id))
        articles[key].add(c.source_id)
        members[key].append(c)
    best = max(
        support,
        # ties: more articles, then a figure over a bound ("$20 billion" over "above $20
        # billion"), then the higher figure
        key=lambda k: (
            len(support[k]),
            len(articles[k]),
            k[1] is not None and k[2] is not None,
            k[2] or k[1] or 0.0,
            k[1] or 0.0,
            k[0],
        ),
    )
    usd_prefix = "valuation_usd" if prefix == "valuation" else "amount_usd"
    out[f"{prefix}_currency"] = currency
    out[f"{prefix}_low"] = min(native) if native else None
    out[f"{prefix}_high"] = max(native) if native else None
    out[f"{usd_prefix}_low"] = min(usd) if usd else None
    out[f"{usd_prefix}_high"] = max(usd) if usd else None
    out[f"best_{prefix}"] = _printed(ctx, members[best])[0]
    out[f"best_{prefix}_support"] = len(support[best])
    return out


def _r(x: float | None) -> float | None:
    return None if x is None else round(x, 2)


def _investors(ctx: _Ctx, round_id: str, cs: list[SynClaim]) -> list[dict]:
    per: dict[str, list[SynClaim]] = defaultdict(list)
    for c in cs:
        if c.predicate in ("investor", "investment_amount") and c.object_id:
            per[c.object_id].append(c)
    rows = []
    for inv, ics in sorted(per.items()):
        roles = sorted({c.role or "unspecified" for c in ics}, key=ROLE_ORDER.index)
        amounts = [
            c for c in ics if c.predicate == "investment_amount" and c.currency and _sets_terms(c)
        ]
        counts = Counter(c.currency for c in amounts)
        currency = min(counts, key=lambda k: (-counts[k], k)) if amounts else None
        native = [
            b
            for c in amounts
            if c.currency == currency
            for b in (c.amount_low, c.amount_high)
            if b is not None
        ]
        usd = [b for c in amounts for b in (c.usd_low, c.usd_high) if b is not None]
        srcs = {c.source_id for c in ics}
        dates = sorted(d for s in srcs if (d := ctx.info[s].published))
        reported: dict[str, None] = {}
        for c in sorted(amounts, key=lambda c: (c.source_id, c.value_start or 0)):
            reported.setdefault(c.value_text or "", None)
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
                "amounts_reported": list(reported),
                "article_count": len(srcs),
                "independent_report_count": len({ctx.group(s) for s in srcs}),
                "first_reported": dates[0] if dates else None,
                "undated_article_count": sum(1 for s in srcs if not ctx.info[s].published),
            }
        )
    return rows


def _history_row(ctx: _Ctx, c: SynClaim, kinds: Iterable[str]) -> dict:
    a = ctx.info[c.source_id]
    lo, hi = c.usd_low, c.usd_high
    mid = math.sqrt(lo * hi) if lo and hi else (lo or hi)
    return {
        "claim_id": c.claim_id,
        "round_id": c.round_id,
        "predicate": c.predicate,
        "investor_id": c.object_id if c.predicate == "investment_amount" else None,
        "source_id": c.source_id,
        "published": a.published,
        "date_known": a.published is not None,
        "reported_on": a.published or "date unknown",
        "time_frame": c.time_frame,
        "sets_current_terms": _sets_terms(c),
        "value_text": c.value_text,
        "currency": c.currency,
        "amount_low": c.amount_low,
        "amount_high": c.amount_high,
        "usd_low": lo,
        "usd_high": hi,
        "usd_mid": mid,
        "usd_basis": c.usd_basis,
        "certainty": c.certainty,
        "independence_group": ctx.group(c.source_id),
        "conflict_kinds": sorted(kinds),
    }


def _fact_row(f: ReferenceFact) -> dict:
    return {
        "fact_id": f.fact_id,
        "subject_id": f.subject_id,
        "predicate": f.predicate,
        "object_id": f.object_id,
        "value": f.value,
        "value_text": _date_words(f.value) if f.value and re.match(r"\d{4}", f.value) else None,
        "citation_title": f.citation.title,
        "citation_url": f.citation.url,
        "citation_publisher": f.citation.publisher,
        "citation_published": f.citation.published,
        "note": f.note,
    }
