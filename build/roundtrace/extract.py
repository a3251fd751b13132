"""Extract: mentions, citations and claims from one article, each anchored to exact offsets.

The rules read sentence structure rather than the seeds' wording (vocabularies in `cues.py`,
entity discovery in `discover.py`):

- **Money.** A figure is typed by the nearest cue inside its own stretch of the sentence (never
  across another figure; a cue after it binds less, and much less across a comma). An investor
  named just before it with a contribution verb or a colon ("X is committing $1bn", "X: ~10B
  yuan", "X出资约100亿元", "X led the round with a $500m investment") makes it that investor's
  `investment_amount`. Gapped clauses inherit the previous figure's type ("valued at $3bn, and
  MiniMax at $4bn"). The subject is the company the stretch attaches the figure to, else the
  sentence's own subject, else the line's topic (a header line naming a company), else the
  article's focal company. Time frame: earlier cues, dates before the publication date or a
  past-tense month ("was valued at … in December"), target and forecast cues.
- **Investors.** Runs of names joined by list separators ('A, B and C', 'A、B和C'), typed by the
  words after the run (verbs: "are in talks", "is weighing", 领投, 跟投, 考虑参投) and, failing
  that, before it ("led by", "investors including", 由…, 投资方包括). Appositives are read
  separately ("Tencent, which has already invested in A, is expected to lead"); a negated verb
  ("is not among the investors", 未参与) gives no claim; a raiser in talks ("OpenAI is discussing
  a share sale") is not an investor. The subject of an investor claim is the company the clause
  attaches the round to — a company named before the list and not in it ("X, backed by A and B",
  "X counts A among its shareholders", "X raised $1bn from A", "X's backers include A",
  "X的投资方有A", "X raised …, with A in the lead") — else the paragraph's subject, else the
  focal company. Past-round participants of the focal company are its `existing` investors;
  those of another company's past round keep their role ("with GIC taking part").
- **Paragraph subject.** A paragraph that opens with a company ("Moonshot AI, the Beijing
  developer …, remains …"), or whose last funding sentence named its company, makes that company
  the subject of the following uncited sentences ("It was valued at …", "ICONIQ led that deal",
  "Its earlier backers include …"); such facts about a company other than the focal one do not
  inherit the report cited for the focal company, and a party's denial in another clause ("…;
  Musk Says Not Raising") is not the figures' source.
- **Attribution** (`_Attributor`). A sentence's own citation wins, an outlet over the people it
  cites: "X reported, citing people familiar" is attributed to X (the relayed outlet), a primary
  report citing only unnamed people to `anonymous-sources`, "the company said" / "X announced"
  to the company. Anaphora resolve to the last party of their kind ("according to the report",
  "the people said", 报道称). A sentence without a citation inherits the last one while the
  article keeps relaying the same account about the same company (a paragraph with no funding
  claim ends that); background (earlier figures, existing investors) stays unattributed.
- **Certainty.** denied (a denial, or a claim attributed to the report being denied) >
  speculative (forecasts, rumours) > reported (outlet or unnamed sources, hedge cues, or an
  uncited current claim in an article whose lead is a report) > confirmed (a party's own
  statement, background) > expected.

- **Structure beyond the sentence.** The focal company is the one named in the headline and in
  funding-target positions (discovered raisers included: "X, the Berlin-based developer of …,
  today announced", 思睿智能（SiRui AI）宣布完成…). A list item or paragraph that opens with its
  own company (a bold lead "- **Acme.**", "X, the … start-up, raised") becomes that company's
  stretch and drops the relayed source; bold-lead entries ("**May 20.** …") never inherit the
  previous entry's outlet. A denial ("calls the report untrue", "pushing back on an FT report
  that …", 回应称消息不实) makes the denied outlet's claims about the company in that paragraph
  or the one before `denied`. Sentences continuing a paragraph about an earlier round stay
  earlier (background: confirmed, unattributed). An interview answer's bare figure takes the
  question's cue and company.
- **Not claims.** Negated or corrected figures ("$15 billion, not $20 billion", 而非), the basis
  of a computation (按…估值计算), unit prices ("$90,000 each"), and figures next to distractor
  cues: stakes/contracts/commitments "worth", markets, totals to date, orders, ad spend,
  investments in data centres. "A and B … $5bn and $10bn respectively" pairs the lists; "¥1bn
  from Fund X" is X's contribution.

Everything is per sentence with precompiled linear patterns, so the cost is linear in the
article length.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass, field, replace

from . import money as moneylib
from .cues import (
    APPOSITIVE,
    CLAUSE_END,
    CONSIDER_CUE,
    CURRENT_CUE,
    DENIED_CUE,
    DISTRACTOR_CUE,
    EARLIER_CUE,
    EXPECTED_CUE,
    FORECAST_CUE,
    INVEST_VERB,
    LIST_SEP,
    NEGATED_AFTER,
    RAISER_AFTER,
    REPORTED_CUE,
    ROLE_AFTER,
    ROLE_BEFORE,
    ROLE_WORDS,
    ROUND_CUE,
    RUMOUR_CUE,
    SPECULATIVE_CUE,
    STATUS_CUES,
    TALKS_NEAR,
    TARGET_CUE,
    VALUATION_CUE,
)
from .cues import (
    rx as _cue_rx,
)
from .discover import discover
from .ids import stable_id
from .ingest import Article
from .registry import Entity, Match, Registry
from .rxfast import Fast, fast
from .text import sentence_spans

# The cue alternations are scanned through `rxfast.Fast`: the same matches, but each pattern is
# only tried where one of its literal heads occurs (most cue words are absent from a sentence).
(
    CONSIDER_CUE, CURRENT_CUE, DENIED_CUE, DISTRACTOR_CUE, EARLIER_CUE, EXPECTED_CUE,
    FORECAST_CUE, INVEST_VERB, NEGATED_AFTER, RAISER_AFTER, REPORTED_CUE, ROUND_CUE,
    RUMOUR_CUE, SPECULATIVE_CUE, TALKS_NEAR, TARGET_CUE, VALUATION_CUE,
) = map(fast, (
    CONSIDER_CUE, CURRENT_CUE, DENIED_CUE, DISTRACTOR_CUE, EARLIER_CUE, EXPECTED_CUE,
    FORECAST_CUE, INVEST_VERB, NEGATED_AFTER, RAISER_AFTER, REPORTED_CUE, ROUND_CUE,
    RUMOUR_CUE, SPECULATIVE_CUE, TALKS_NEAR, TARGET_CUE, VALUATION_CUE,
))
ROLE_AFTER = [(role, fast(rx)) for role, rx in ROLE_AFTER]
ROLE_BEFORE = [(role, fast(rx)) for role, rx in ROLE_BEFORE]
STATUS_CUES = [(status, fast(rx)) for status, rx in STATUS_CUES]


def _rx(*alts: str) -> Fast:
    """A cue alternation (`cues.rx`) with the `rxfast` scan."""
    return fast(_cue_rx(*alts))


EXTRACTOR = "rules/1"
INVESTOR_TYPES = {"company", "fund", "person", "government_body", "organization"}
SUBJECT_TYPES = {"company", "organization"}
CITABLE_TYPES = {
    "publication",
    "anonymous",
    "company",
    "person",
    "fund",
    "government_body",
    "organization",
}


# ---------------------------------------------------------------------------------------------
# records
@dataclass
class Mention:
    mention_id: str
    source_id: str
    entity_id: str
    surface: str
    start: int
    end: int
    method: str


@dataclass
class Citation:
    citation_id: str
    source_id: str
    party_id: str
    cue: str
    evidence: str
    evidence_start: int
    evidence_end: int


@dataclass
class Claim:
    claim_id: str
    source_id: str
    predicate: str
    subject_id: str
    evidence: str
    evidence_start: int
    evidence_end: int
    certainty: str
    time_frame: str = "current"
    hedges: list[str] = field(default_factory=list)
    object_id: str | None = None
    round_id: str | None = None
    value_text: str | None = None
    value_start: int | None = None
    value_end: int | None = None
    amount_low: float | None = None
    amount_high: float | None = None
    low_inclusive: bool | None = None
    high_inclusive: bool | None = None
    currency: str | None = None
    currency_surface: str | None = None
    qualifier: str | None = None
    usd_low: float | None = None
    usd_high: float | None = None
    usd_basis: str | None = None
    usd_rate: float | None = None
    usd_rate_date: str | None = None
    stated_usd_text: str | None = None
    role: str | None = None
    status: str | None = None
    date_value: str | None = None
    count_value: int | None = None
    attributed_to: str | None = None
    attribution_text: str | None = None
    published: str | None = None
    extractor: str = EXTRACTOR


@dataclass
class Extraction:
    source_id: str
    mentions: list[Mention]
    citations: list[Citation]
    claims: list[Claim]
    discovered: list[Entity]
    focal_id: str | None


# ---------------------------------------------------------------------------------------------
def extract(article: Article, registry: Registry) -> Extraction:
    text = article.body
    sid = article.source_id
    lang = article.language
    matches = registry.find(text)
    discovered: dict[str, Entity] = {}
    matches = discover(text, matches, registry, discovered)
    etype = dict(_registry_types(registry))
    etype.update({k: v.type for k, v in discovered.items()})
    matches = _outlet_anaphora(matches, etype)

    mentions = [
        Mention(
            stable_id("m", sid, m.start, m.end, m.entity_id),
            sid,
            m.entity_id,
            m.surface,
            m.start,
            m.end,
            "discovered" if m.entity_id in discovered else "alias",
        )
        for m in matches
    ]
    spans = sentence_spans(text)
    focal = _focal_company(text, matches, etype, spans, article.title)
    citations = _citations(text, sid, matches, etype, spans, registry, discovered)
    own_outlet: set[str] = set()
    if article.publisher:
        # 'two people … told Reuters' in a Reuters story: the article's own sources, not a relay
        own_outlet = {m.entity_id for m in registry.find(article.publisher)}
        citations = [c for c in citations
                     if not (c.party_id in own_outlet and _TOLD.match(c.evidence))]
    attrib = _Attributor(text, sid, spans, citations, etype, focal, registry)
    attrib.pubs = [(m.start, m.end, m.entity_id) for m in matches
                   if etype.get(m.entity_id) == "publication" and m.entity_id not in own_outlet]
    attrib.frame = _article_frame(text, spans, attrib, matches, etype)
    claims: list[Claim] = []
    yen_hint = moneylib.yen_context(text) if not lang.startswith("zh") else None
    prev_line_date: str | None = None
    starts = [m.start for m in matches]
    topic: str | None = None
    weak: set[str] = set()
    para_claims = True
    para_earlier = False
    para_subject: str | None = None  # the company the paragraph is about, once it names one
    para_first = False
    para_background = False  # the paragraph subject comes from a background (earlier) figure
    own_co: str | None = None
    question: str | None = None
    question_subject: str | None = None
    para_starts = [0, 0]  # the starts of the previous and the current paragraph or entry
    denials: list[tuple[str, str | None, int, int]] = []
    lowered = text.lower()
    denial_at = (  # one scan, looked up per sentence; skipped when no denial word is present
        [m.start() for m in _DENIAL.finditer(text)]
        if any(k in lowered for k in _DENIAL_KEYS)
        else []
    )
    retracted = (
        [r.span() for r in _RETRACTED.finditer(text)]
        if "version" in lowered or "ly said" in lowered or "ly stated" in lowered
        or "ly reported" in lowered
        else []
    )
    prev_end = 0
    prev_subject: str | None = None  # the company the previous sentence is about
    table_cols: dict[int, str] | None = None  # the current markdown table's column roles
    for idx, (s_start, s_end) in enumerate(spans):
        sent = text[s_start:s_end]
        gap = text[prev_end:s_start]
        lo = lo0 = bisect_left(starts, s_start)
        hi = bisect_left(starts, s_end)
        item = _ITEM_LEAD.match(text, s_start) if "\n" in gap or idx == 0 else None
        new_para = idx == 0 or _new_paragraph(text, gap, s_start)
        if new_para:
            topic = None
            if not para_claims:
                attrib.scope = None
            para_claims = False
        if new_para or item is not None:
            prev_subject = None
            para_earlier = False
            para_starts = [para_starts[1], s_start]
            own_co = _paragraph_company(text, s_start, s_end, matches[lo0:hi], etype, item)
            para_subject = None  # the opening company counts from the next sentence on
            para_background = False
            para_first = True
            bold = item is not None and (item.group(1) or item.group(2)) is not None
            if not bold and item is None and sent.endswith(".") and hi - lo0 == 1 and (
                sent.strip()[:-1] == matches[lo0].surface
                and etype.get(matches[lo0].entity_id) in SUBJECT_TYPES
            ):
                # a run-in heading: 'Acme Robotics. In May we led its Series B …'
                own_co, bold = matches[lo0].entity_id, True
            if bold:
                # '- **Acme AI.** …', '**May 20.** …': a self-contained entry; its bold lead names
                # its company, and it never inherits the previous entry's source
                topic = own_co
                attrib.scope = None
            elif own_co is not None and topic is not None and own_co != topic:
                topic = None
            if own_co is not None and own_co != attrib.scope_subject:
                attrib.scope = None  # a paragraph or item about another company
        in_sent = [m for m in matches[lo:hi] if m.end <= s_end]
        if retracted:
            # a correction's retracted version: 'An earlier version said X led the round; …'
            in_sent = [m for m in in_sent
                       if not any(a <= m.start < b for a, b in retracted)]
        line_start = _HEADER_LINE.match(text, text.rfind("\n", 0, s_start) + 1, s_start)
        head = _topic_of(text, s_start, s_end, in_sent, etype) if line_start else None
        if head:
            topic = head
        subject_here = para_subject
        if (
            para_background
            and _CURRENT_ROUND.search(sent)
            and not (_ANAPHOR_LEAD.match(sent) or _sentence_earlier(sent, article.published))
        ):
            # 'Rival X was valued at $3bn last year. Tencent is expected to lead the round': a
            # background aside does not make X the subject of the current round
            subject_here = None
        if prev_subject is not None and _ANAPHOR_LEAD.match(sent):
            # 'Acme's figures are as reported. Its seed round raised …', '零一万物已…。该公司
            # 曾以…': a sentence opening with a pronoun is about the previous sentence's company
            subject_here = prev_subject
        ctx = _SentenceContext(
            text, s_start, s_end, in_sent, etype, subject_here or topic or focal, sid, lang
        )
        ctx.article_focal = focal
        ctx.published = article.published
        ctx.yen_hint = yen_hint
        ctx.idx = idx
        ctx.attrib = attrib
        ctx.weak = weak
        ctx.inherit_earlier = para_earlier
        if item is not None or "\n" in gap or idx == 0:
            line_end = text.find("\n", s_start)
            line = text[s_start : len(text) if line_end < 0 else line_end]
            if _QUESTION.match(line):
                question = line
                q_lo, q_hi = bisect_left(starts, s_start), bisect_left(starts, s_start + len(line))
                question_subject = next(
                    (m.entity_id for m in matches[q_lo:q_hi] if etype.get(m.entity_id)
                     in SUBJECT_TYPES), None)
            elif _ANSWER.match(line):
                ctx.question = question  # 'A: On paper, $500 billion.' answers the question
                ctx.question_subject = question_subject
            else:
                question = None
        if own_co is not None and ctx.own is None:
            said = _ELIDED_SAID.match(text, item.end() if item is not None else s_start, s_end)
            if said is not None:
                # '- **Acme.** Said its Series C brought in …': the entry's company speaks
                attrib._own[idx] = attrib._mk(own_co, "said", said.start(1), said.end(1))
        here = subject_here or topic or own_co
        if here is not None and here != focal and ctx.own is not None and (
            ctx.own.party_id == focal and ctx.own.cue == "said"
            and _COMPANY_ANAPHOR.fullmatch(ctx.own.evidence)
        ):
            # 'The company said' in a paragraph about another company: that company speaks
            own = ctx.own
            attrib._own[idx] = attrib._mk(here, "said", own.evidence_start, own.evidence_end)
        if sent.startswith("|"):
            # a markdown table: the header row maps columns to predicates; each data row is one
            # company's deal (its company cell is the subject)
            if table_cols is None:
                table_cols = _table_header(sent)
                found = []
            elif _TABLE_RULE.fullmatch(sent):
                found = []
            else:
                found = _table_claims(ctx, table_cols)
        else:
            table_cols = None
            found = []
        if table_cols:
            investors = [c for c in found if c.predicate == "investor"]
        else:
            investors = _investor_claims(ctx)
            found = [*investors]
            found.extend(_money_claims(ctx, {c.object_id for c in investors}))
        funding = [c for c in found if c.predicate in FUNDING]
        if _COLON_END.search(sent) and ctx.own is not None:
            funding = funding or [ctx.own]  # 'Here is what LatePost reported:' scopes the list
        if funding:
            para_claims = True
            attrib.note_claims(ctx.own, sent, ctx.focal)
            # background carries on: 'Mistral closed a €1.7bn Series C in September … Existing
            # shareholders … also took part' (the second sentence is about the same past round)
            dated = [c.time_frame for c in funding if isinstance(c, Claim)]
            para_earlier = bool(dated) and all(f == "earlier" for f in dated)
            # the next sentences of the paragraph ('ICONIQ led that deal', 'Its backers
            # include …') are about the company this one named as raising
            para_subject = _named_subject(funding, in_sent)
            para_background = para_subject not in (None, focal) and all(
                c.time_frame == "earlier" for c in funding if isinstance(c, Claim)
            )
        elif para_first:
            para_subject, para_background = own_co, False
        para_first = False
        k = bisect_left(denial_at, s_start)
        has_denial = k < len(denial_at) and denial_at[k] < s_end
        denier = _denied_report(ctx, attrib, etype) if has_denial else None
        if denier is not None:
            # 'DeepSeek calls the report "untrue"', '回应称，上述消息不实': the report's claims
            # about the company (in this paragraph or the one before) are denied
            denials.append((denier, ctx.focal, para_starts[0], s_start))
        if funding or (has_denial and any(m.entity_id == ctx.focal for m in in_sent)):
            found.extend(_status_claims(ctx, _named_subject(funding, in_sent)))
        found.extend(_context_claims(ctx, prev_line_date))
        claims.extend(found)
        prev_subject = _sentence_company(text, in_sent, etype, found, s_start)
        date_line = _DATE_LINE.fullmatch(sent)
        prev_line_date = date_line.group(1) if date_line else None
        prev_end = s_end
    citations = sorted(
        {c.citation_id: c for c in [*citations, *attrib.extra]}.values(),
        key=lambda c: (c.evidence_start, c.party_id),
    )
    for party, subject, lo_at, hi_at in denials:
        for c in claims:
            if (
                c.attributed_to == party
                and c.subject_id == subject
                and c.time_frame != "earlier"
                and lo_at <= c.evidence_start < hi_at
            ):
                c.certainty = "denied"
    claims = _dedupe(_restate_weak(claims, weak, sid))
    for c in claims:
        c.published = article.published
        _convert_usd(c, article.published)
    return Extraction(sid, mentions, citations, claims, list(discovered.values()), focal)


def _registry_types(registry: Registry) -> dict[str, str]:
    """{entity id: type} of the registry, made once per registry (entities are only ever added,
    which changes their count)."""
    ents = registry.entities
    memo = registry.__dict__.get("_types_memo")
    if memo is None or memo[0] is not ents or memo[1] != len(ents):
        memo = registry.__dict__["_types_memo"] = (ents, len(ents),
                                                   {k: v.type for k, v in ents.items()})
    return memo[2]


_GENERIC_OUTLET = re.compile(
    r"[Tt]he (?:paper|newspaper|magazine|outlet|publication|daily|weekly|wire|news agency)"
)


def _outlet_anaphora(matches: list[Match], etype: dict[str, str]) -> list[Match]:
    """'…, Nikkei reported. …, the paper said.': a common noun for an outlet written in lower
    case refers back to the last outlet named, even when an outlet's name is that noun ('The
    Paper'); with no outlet named before it, it is no mention at all."""
    out: list[Match] = []
    last_pub: str | None = None
    for m in matches:
        kind = etype.get(m.entity_id)
        if kind == "publication" and _GENERIC_OUTLET.fullmatch(m.surface):
            if last_pub is not None:
                out.append(Match(m.start, m.end, last_pub, m.surface))
            continue
        if kind == "publication":
            last_pub = m.entity_id
        out.append(m)
    return out


FUNDING = {"valuation", "round_amount", "investment_amount", "investor"}
# (patterns run once per sentence, compiled here rather than looked up in re's cache each time)
_COLON_END = re.compile(r"[:：]\s*$")
_DATE_LINE = re.compile(r"\s*((?:19|20)\d\d(?:-\d\d){0,2})\s*")
_BLANK_LINE = re.compile(r"\n[ \t\u3000]*\n")
_GROUP_SUFFIX = re.compile(r"^(?:'s|’s)?\s*(?:Holdings|Group|Ltd\.?|Inc\.?|Corp\.?)(?!\w)")
# a sentence about a round still under way (future, talks, targets, 'now')
_CURRENT_ROUND = fast(re.compile(
    "|".join(f"(?:{rx.pattern})" for rx in (CURRENT_CUE, TARGET_CUE, EXPECTED_CUE, TALKS_NEAR,
                                            CONSIDER_CUE, SPECULATIVE_CUE)),
    re.IGNORECASE,
))
_ANAPHOR_LEAD = re.compile(
    r"\W*(?:(?:It|Its|They|Their|The (?:company|start-?up|firm|lab|developer|group)|That "
    r"(?:round|deal|financing))(?![\w-])|该公司|該公司|其|它|该轮|該輪|这轮|這輪|此轮|此輪|"
    r"公司(?![的之]))"
)


def _named_subject(funding: list, in_sent: list[Match]) -> str | None:
    """The subject of a sentence's funding claims that the sentence names itself (the first
    one named), if any."""
    claims = [c for c in funding if isinstance(c, Claim)]
    subjects = {c.subject_id for c in claims}
    for m in in_sent:
        if m.entity_id in subjects:
            return m.entity_id
    return claims[0].subject_id if len(subjects) == 1 else None
_TABLE_RULE = re.compile(r"\|?(?:\s*:?-{2,}:?\s*\|)+\s*:?-*:?\s*")
# header words → what a column holds
_TABLE_COLUMNS = (
    ("subject", re.compile(r"company|startup|start-up|firm|name|公司|企业|企業|项目|項目", re.I)),
    ("valuation", re.compile(r"valuation|valued|估值", re.I)),
    ("lead", re.compile(r"\blead|领投|領投", re.I)),
    ("investors", re.compile(r"investors?|backers|participants|投资方|投資方|投资人|投資人", re.I)),
    ("round_amount", re.compile(r"amount|raised|size|raise|funding|金额|金額|融资额|融資額", re.I)),
)


def _table_cells(row: str) -> list[tuple[int, int]]:
    """(start, end) of each cell of a markdown table row, relative to the row, trimmed."""
    cells = []
    bars = [i for i, ch in enumerate(row) if ch == "|"]
    for a, b in zip(bars, bars[1:], strict=False):
        seg = row[a + 1 : b]
        lead = len(seg) - len(seg.lstrip())
        cells.append((a + 1 + lead, a + 1 + len(seg.rstrip())))
    return cells


def _table_header(row: str) -> dict[int, str]:
    """Column index → 'subject', 'valuation', 'round_amount', 'lead' or 'investors' (columns
    with other figures — revenue, ARR — are left out)."""
    cols: dict[int, str] = {}
    for k, (a, b) in enumerate(_table_cells(row)):
        name = row[a:b]
        for role, rx in _TABLE_COLUMNS:
            if rx.search(name) and role not in cols.values():
                cols[k] = role
                break
    return cols if "subject" in cols.values() and len(cols) > 1 else {}


def _table_claims(ctx: _SentenceContext, cols: dict[int, str]) -> list[Claim]:
    row = ctx.sentence
    cells = _table_cells(row)
    subject = None
    for k, role in cols.items():
        if role == "subject" and k < len(cells):
            a, b = cells[k]
            subject = next((m.entity_id for m in ctx.mentions
                            if ctx.start + a <= m.start < ctx.start + b
                            and ctx.etype.get(m.entity_id) in SUBJECT_TYPES), None)
    if subject is None:
        return []
    out: list[Claim] = []
    for k, role in cols.items():
        if k >= len(cells) or role == "subject":
            continue
        a, b = cells[k]
        if role in ("lead", "investors"):
            for m in ctx.mentions:
                if (ctx.start + a <= m.start < ctx.start + b and m.entity_id != subject
                        and ctx.etype.get(m.entity_id) in INVESTOR_TYPES):
                    out.append(ctx.claim("investor", subject, object_id=m.entity_id,
                                         role="lead" if role == "lead" else "unspecified"))
            continue
        found = moneylib.find_money(row[a:b], ctx.lang, ctx.yen_hint)
        if not found:
            continue
        mon = found[0]
        out.append(ctx.claim(
            role, subject, **_money_fields(mon, ctx.start + a), time_frame="current"
        ))
    return out


def _sentence_company(
    text: str, in_sent: list[Match], etype: dict[str, str], found: list, start: int
) -> str | None:
    """The company a sentence is about, for a pronoun opening the next one: the first company
    it names that is not one of its investors nor a modifier ('owned by X', "X's chief")."""
    objects = {c.object_id for c in found if isinstance(c, Claim) and c.object_id}
    for m in in_sent:
        kind = etype.get(m.entity_id)
        if kind not in SUBJECT_TYPES or m.entity_id in objects:
            continue
        if kind != "company" and m.entity_id.startswith("x-"):
            continue
        pre = text[max(start, m.start - 30) : m.start]
        if _NOT_SUBJECT_BEFORE.search(pre) or _MODIFIER_AFTER.match(text[m.end : m.end + 30]):
            continue
        return m.entity_id
    return None


_QUESTION = re.compile(r"[*_#>\s]{0,4}(?:Q|Question)\s*[:：.]")
_ANSWER = re.compile(r"[*_#>\s]{0,4}(?:A|Answer)\s*[:：.]")


def _denied_report(ctx: _SentenceContext, attrib: _Attributor, etype: dict[str, str]) -> str | None:
    """The outlet whose report a denial sentence rejects: its own cited outlet, else the outlet
    the paragraph relays, else the last outlet cited before it."""
    own = ctx.own
    if own is not None and etype.get(own.party_id) == "publication":
        return own.party_id
    if own is not None and etype.get(own.party_id) == "anonymous":
        return None
    scope = attrib.scope
    if scope is not None and etype.get(scope.party_id) == "publication":
        return scope.party_id
    pub = attrib._last_pub(ctx.idx)
    return pub.party_id if pub is not None else None


# A clause whose subject is left out and whose verb is a statement ('Said its Series C …',
# 'Announced a $1bn round'): the speaker is the company the entry or paragraph opens with.
_ELIDED_SAID = re.compile(r"[\s*_]*((?-i:Said|Says|Announced|Announces|Confirmed|Confirms))\b")
# A list item: '- ', '• ', '1. ' (with an optional bold lead '**Acme AI.**' as group 1).
_ITEM_LEAD = re.compile(
    r"(?:(?:[-•*]|\d{1,2}[.)])\s+(?:\*\*([^*\n]{1,60})\*\*)?|\*\*([^*\n]{1,60})\*\*)"
)


# The company a paragraph opens with is its subject when a raising / valuation verb follows it.
_SUBJECT_VERB_AFTER = _rx(
    r"(?:'s|’s)?(?:\s*[(（][^)）]{0,30}[)）])?(?:,[^,;]{0,140},)?\s*(?:is|are|was|has|had|have|"
    r"today|on \w+day|said|says|announced|confirmed|closed|raised|raises|completed|secured|"
    r"remains|remained|counts|ranks|trails|leads|sits|last raised|"
    r"valuation|funding|round|fundrais\w*|shares|investors|backers)\b",
    r"(?:\s*[(（][^)）]{0,30}[)）])?[^，。；,]{0,8}(?:的估值|估值|融资|宣布|完成|正在|正|已|拟|计划|"
    r"获得|近日|日前|今日|此前|曾|于|在)",
)


# (matched at one position of the whole text: re itself is quicker there than rxfast's tests)
_SUBJECT_VERB_AFTER_RE = getattr(_SUBJECT_VERB_AFTER, "rx", _SUBJECT_VERB_AFTER)


def _paragraph_company(
    text: str,
    start: int,
    end: int,
    following: list[Match],
    etype: dict[str, str],
    item: re.Match | None,
) -> str | None:
    """The company a paragraph or list item opens with: the one in its bold lead, else a
    company named within its first 40 characters (not in an investor position)."""
    group = 0 if item is None else (1 if item.group(1) is not None else 2)
    bold = item is not None and item.group(group) is not None
    limit = item.end(group) if bold else (item.end() if item is not None else start) + 14
    for m in following:
        if m.start >= min(limit, end):
            break
        if not bold and not _SUBJECT_VERB_AFTER_RE.match(text, m.end):
            return None  # '腾讯出资约100亿元', 'Tencent: ~$1bn': not the subject of the paragraph
        if etype.get(m.entity_id) in SUBJECT_TYPES and not (
            m.entity_id.startswith("x-") and etype.get(m.entity_id) != "company"
        ):
            pre = text[max(start, m.start - 30) : m.start]
            post = text[m.end : m.end + 30]
            if _NOT_SUBJECT_BEFORE.search(pre) or _MODIFIER_AFTER.match(post):
                continue
            return m.entity_id
    return None


def _new_paragraph(text: str, gap: str, start: int) -> bool:
    """A blank line, or a line break after a long line (one paragraph per line)."""
    if "\n" in gap and _BLANK_LINE.search(gap):
        return True
    if "\n" not in gap:
        return False
    prev_end = start - len(gap)
    prev_line = text[text.rfind("\n", 0, prev_end) + 1 : prev_end]
    return len(prev_line) > 200 and not re.match(r"\s*(?:[-•*]|\d+[.)])\s", prev_line)
_HEADER_LINE = re.compile(r"[\s\d.)#*•\-–—]*$")


def _topic_of(
    text: str, start: int, end: int, mentions: list[Match], etype: dict[str, str]
) -> str | None:
    """A line that only names a company ('2. Safe Superintelligence', 'DeepSeek, per X:') makes
    it the subject of the lines under it, until the paragraph ends."""
    comps = [m for m in mentions if etype.get(m.entity_id) in SUBJECT_TYPES]
    if not comps:
        return None
    first = comps[0]
    if not _HEADER_LINE.match(text[start : first.start]):
        return None
    rest = text[first.end : end]
    rest = _HEAD_GLOSS.sub("", rest)
    if _HEAD_REST.fullmatch(rest):
        return first.entity_id
    return None


# ---------------------------------------------------------------------------------------------
_REPORT_ANAPHOR = _rx(
    r"\baccording to (?:the|that|this) (?:same |original |earlier )?(?:report|story|article)\b",
    r"\b(?:the|that|this) (?:same )?(?:report|story|article)(?:,[^,]{0,60},)?\s+"
    r"(?:said|says|added|showed|noted|cited|claimed|stated)\b",
    r"\bthe report said\b",
    # a generic noun for the outlet last named: 'according to the magazine', 'the paper said'
    r"\baccording to the (?:magazine|paper|newspaper|outlet|publication|wire|agency|daily)\b",
    # (with an adjective: 'the Chinese publication said', 'the Beijing-based outlet reported')
    r"\bthe (?:[A-Z][\w-]+ )?(?:magazine|paper|newspaper|outlet|publication|wire|agency|daily)"
    r"(?:,[^,]{0,60},)?\s+(?:said|says|added|reported|reports|wrote|noted)\b",
    r"^(?:报道|報導|报导|该报道|該報導)(?:还|還|又|亦|也)?(?:称|稱|指|援引|说|說|显示|顯示)",
    r"[，。]\s*(?:报道|報導)(?:称|稱|指|援引)",
)
_REPORT_AHEAD = _rx(
    r"\b(?:a|an|the|this|that) (?:new |separate |earlier |media )?report\b", r"(?:报道|報導|报导)"
)
_PEOPLE_ANAPHOR = _rx(
    r"\b(?:the|two of the|three of the|one of the|some of the|both) (?:people|persons|sources|"
    r"insiders)\b",
    r"\b(?:one|a|another) (?:person|source|investor|insider) (?:familiar|close|briefed|with "
    r"knowledge)\b",
    r"\bpeople who have seen\b",
    r"接近[^，。]{0,10}(?:人士|投资人|投資人|的人)",
)
# 'chief financial officer Maya Okafor said': the company's named executive speaks for it
_EXEC_TITLE = fast(re.compile(
    r"\b(?i:chief (?:executive|financial|operating|technology|"
    r"commercial|strategy|revenue) officer|CEO|CFO|COO|CTO|co-?founder|founder|chairman|"
    r"chairwoman|chairperson|president|spokes(?:person|man|woman))\s+"
    r"((?:[A-Z][\w'’-]+\s+){0,2}[A-Z][\w'’-]+)"
))
_WORD_BEFORE = re.compile(r"([\w.&'’-]+)[ \t]+$")
_DETERMINERS = {"The", "A", "An", "Its", "Their", "Our", "His", "Her"}
_NOT_SURNAME = {"said", "says", "told", "on", "in", "the", "of"}
_SAID_WORDS = r"(?:said|says|told|added|confirmed|noted|explained)"
_COMPANY_ANAPHOR = _rx(
    r"\bthe (?:\w+ )?(?:company|companies|start-?up|firm|lab|group) (?:said|says|announced|"
    r"confirmed|added|told)\b",
    # a longer descriptor for the article's company: 'the AI search company confirmed'
    r"\bthe (?:[\w-]+ ){2,3}(?:company|start-?up|lab) (?:said|says|announced|confirmed|added|"
    r"told)\b",
    r"\b(?:a|the) (?:company )?spokes(?:person|man|woman) (?:said|confirmed|told)\b",
    r"\baccording to (?:a|the) (?:company )?spokes(?:person|man|woman)\b",
    r"\bsaid in a statement\b",
    r"(?:公司|该公司|該公司|官方)(?:表示|宣布|称|稱|透露|公告)",
    r"[据據](?:公司|该公司|該公司|官方)(?:公布|介绍|介紹|披露|消息)",
)
_DENIAL = _rx(
    r"\bden(?:y|ies|ied|ying)\b",
    r"\bpush(?:ed|ing|es)? back (?:on|against)\b",
    r"\b(?:has|have) no plans to raise\b",
    r"\b(?:not|isn't|is not|are not) (?:raising|fundraising)\b",
    r"\buntrue\b",
    r"[\"“]\s*false\s*[.!]?\s*[\"”]",
    r"\bnot true\b",
    r"消息不实|消息不實|并不属实|並不屬實|不属实|不屬實",
    r"\b(?:dismissed|refuted|rejected) (?:the |a )?(?:report|claim)",
    r"\bis not raising\b",
    r"否认",
    r"否認",
    r"辟谣",
    r"不实",
    r"不實",
)


# Every _DENIAL cue contains one of these (a cheap test before the regex scan).
_DENIAL_KEYS = (
    "deny", "denie", "denying", "dismissed", "refuted", "rejected", "push", "no plans",
    "not raising", "not fundraising", "n't raising", "n't fundraising", "n’t raising",
    "untrue", "false", "not true", "否认", "否認", "辟谣", "闢謠", "不实", "不實", "属实", "屬實",
)


class _Attributor:
    """Whom each sentence relies on: its own citation (an outlet, a party that said or announced
    something, unnamed people), resolved through anaphora ('the report', 'the people said', 'the
    company said'); an uncited sentence inherits the last attribution while the article keeps
    relaying the same account (reset by a paragraph with no funding claim)."""

    def __init__(self, text, sid, spans, citations, etype, focal, registry) -> None:
        self.text, self.sid, self.spans, self.etype, self.focal = text, sid, spans, etype, focal
        self.has_anon = "anonymous-sources" in registry.entities
        self.by_sent: list[list[Citation]] = [[] for _ in spans]
        bounds = [a for a, _ in spans]
        for c in citations:
            i = bisect_left(bounds, c.evidence_start + 1) - 1
            if 0 <= i < len(spans):
                self.by_sent[i].append(c)
        self.extra: list[Citation] = []
        self.scope: Citation | None = None
        self.scope_subject: str | None = None
        self.frame_subjects: set[str] = set()
        self.denied: set[str] = set()
        self._own: dict[int, Citation | None] = {}
        self.frame: str | None = None
        self.pubs: list[tuple[int, int, str]] = []  # outlets named (not the article's own)
        # the company's executives named with their title, then quoted by surname ('Okafor said')
        names: set[str] = set()
        if ("chief" in text or "CEO" in text or "CFO" in text or "ounder" in text
                or "resident" in text or "spokes" in text or "hair" in text):
            for m in _EXEC_TITLE.finditer(text):
                # not another firm's executive: 'Nvidia CEO Jensen Huang', 'Acme's founder …'
                w = _WORD_BEFORE.search(text, max(0, m.start() - 40), m.start())
                if w is None or not w.group(1)[0].isupper() or w.group(1) in _DETERMINERS:
                    name = m.group(1).split()[-1]
                    if name.lower() not in _NOT_SURNAME:
                        names.add(name)
        alt = "|".join(re.escape(n) for n in sorted(names))
        self.exec_said = (
            re.compile(rf"\b(?:{alt})\s+{_SAID_WORDS}\b|\b{_SAID_WORDS}\s+(?:{alt})\b")
            if names else None
        )

    def _mk(self, party: str, cue: str, a: int, b: int) -> Citation:
        cid = stable_id("t", self.sid, party, a, b)
        c = Citation(cid, self.sid, party, cue, self.text[a:b], a, b)
        self.extra.append(c)
        return c

    def _pick(self, cites: list[Citation]) -> Citation | None:
        rank = {"publication": 0, "anonymous": 2}
        cites = [c for c in cites if c.party_id != "unnamed-analyst" or len(cites) == 1]
        if not cites:
            return None
        return min(cites, key=lambda c: (rank.get(self.etype.get(c.party_id, ""), 1),
                                         c.evidence_start))

    def _last_pub(self, before: int) -> Citation | None:
        best = None
        for i in range(before - 1, -1, -1):
            pubs = [c for c in self.by_sent[i] if self.etype.get(c.party_id) == "publication"]
            if pubs:
                best = pubs[-1]
                break
        return best

    def _next_pub(self, idx: int) -> Citation | None:
        for i in range(idx + 1, min(idx + 3, len(self.spans))):
            pubs = [c for c in self.by_sent[i] if self.etype.get(c.party_id) == "publication"]
            if pubs:
                return pubs[0]
        return None

    def own(self, idx: int) -> Citation | None:
        if idx in self._own:
            return self._own[idx]
        a, b = self.spans[idx]
        sent = self.text[a:b]
        cite = self._pick(self.by_sent[idx])
        low = sent.lower()
        denial = any(k in low for k in _DENIAL_KEYS) and _DENIAL.search(sent)
        if cite is None or self.etype.get(cite.party_id) != "publication":
            m = _REPORT_ANAPHOR.search(sent)
            if m:
                pub = self._last_pub(idx)
                if pub is not None:
                    cite = self._mk(pub.party_id, "according_to", a + m.start(), a + m.end())
        ahead = _REPORT_AHEAD.search(sent) if cite is None and denial else None
        if ahead is not None:
            # 'denied a report …, published by X' looks ahead; 'the report is untrue' back
            if re.match(r"an?\b", ahead.group(0), re.IGNORECASE):
                pub = self._next_pub(idx) or self._last_pub(idx)
            else:
                pub = self._last_pub(idx) or self._next_pub(idx)
            if pub is not None:
                cite = pub
        if cite is None and self.has_anon:
            m = _PEOPLE_ANAPHOR.search(sent)
            if m:
                cite = self._mk("anonymous-sources", "said", a + m.start(), a + m.end())
        if cite is not None and self.etype.get(cite.party_id) == "anonymous" and not denial:
            # 'Bloomberg has a new number: people familiar told it …': an outlet named in a
            # sentence that cites unnamed people is the one relaying them
            pub = next((p for p in self.pubs if a <= p[0] < cite.evidence_start), None)
            if pub is not None:
                cite = self._mk(pub[2], "according_to", pub[0], pub[1])
        if cite is None and self.focal and self.exec_said is not None:
            m = self.exec_said.search(sent)
            if m:
                cite = self._mk(self.focal, "said", a + m.start(), a + m.end())
        if cite is None and self.focal:
            m = _COMPANY_ANAPHOR.search(sent)
            if m:
                cite = self._mk(self.focal, "said", a + m.start(), a + m.end())
        if denial and cite is not None and self.etype.get(cite.party_id) == "publication":
            self.denied.add(cite.party_id)
        self._own[idx] = cite
        return cite

    def note_claims(self, own: Citation | None, sent: str, subject: str | None = None) -> None:
        if own is not None:
            self.scope = own
            self.scope_subject = subject


_RETRACTED = re.compile(
    r"\b(?:an?|the)\s+(?:earlier|previous|prior|original)\s+version\b[^;.\n]*?\b(?:said|stated|"
    r"reported|misstated|described|identified|named|listed)\b[^;.\n]*"
    r"|\b(?:incorrectly|wrongly|erroneously|mistakenly)\s+(?:said|stated|reported|described|"
    r"identified|named|listed)\b[^;.\n]*",
    re.IGNORECASE,
)
_FUNDING_WORDS = fast(re.compile(
    "|".join(f"(?:{rx.pattern})" for rx in (ROUND_CUE, VALUATION_CUE, INVEST_VERB)), re.IGNORECASE
))


_ANNOUNCED = _rx(
    r"\b(?:today |on \w+ )?announced\b",
    r"\b(?:has |have )?(?:closed|completed|raised|secured)\b",
    r"宣布|官宣|完成(?:了)?[^，。]{0,16}(?:融资|融資)",
)


def _article_frame(
    text: str,
    spans: list[tuple[int, int]],
    attrib: _Attributor,
    matches: list[Match],
    etype: dict[str, str],
) -> str:
    """'reported' when the article's first funding sentences are hedged or cite a report or
    unnamed people (uncited statements about the round then inherit the hedge), else
    'confirmed'."""
    seen = 0
    for idx, (a, b) in enumerate(spans):
        sent = text[a:b]
        if not _FUNDING_WORDS.search(sent):
            continue
        attrib.frame_subjects = {
            m.entity_id for m in matches if a <= m.start < b and etype.get(m.entity_id) in
            SUBJECT_TYPES
        }
        own = attrib.own(idx)
        atype = attrib.etype.get(own.party_id) if own is not None else None
        if atype in ("publication", "anonymous") or REPORTED_CUE.search(sent):
            return "reported"
        if seen == 0 and _ANNOUNCED.search(sent) and not SPECULATIVE_CUE.search(sent):
            return "confirmed"  # the lead is the company's own announcement
        if SPECULATIVE_CUE.search(sent) or CONSIDER_CUE.search(sent):
            return "reported"
        seen += 1
        if seen == 3:
            break
    return "confirmed"


# ---------------------------------------------------------------------------------------------
@dataclass(slots=True)
class _SentenceContext:
    text: str
    start: int
    end: int
    mentions: list[Match]
    etype: dict[str, str]
    focal: str | None
    sid: str
    lang: str
    idx: int = -1
    attrib: _Attributor | None = None
    article_focal: str | None = None
    published: str | None = None
    yen_hint: str | None = None
    inherit_earlier: bool = False
    question: str | None = None
    question_subject: str | None = None
    member_role: dict[int, str] = field(default_factory=dict)
    appositives: list[tuple[int, int]] = field(default_factory=list)
    role_frame: str | None = None
    appos_hit: tuple[int, int] | None = None
    weak_role: bool = False
    skip_to: dict[int, int] = field(default_factory=dict)
    weak: set[str] = field(default_factory=set)
    _memo: dict = field(default_factory=dict)
    _sent: str | None = None

    @property
    def own(self) -> Citation | None:
        """The sentence's own attribution (resolved lazily: most sentences make no claim)."""
        if self.attrib is None or self.idx < 0:
            return None
        return self.attrib.own(self.idx)

    def has(self, rx: re.Pattern[str]) -> bool:
        """Whether the sentence contains a cue of `rx` (computed once per sentence)."""
        key = id(rx)
        kind = _KIND_OF.get(key)
        if kind is not None:
            return kind in self._hedge_scan()[1]
        hit = self._memo.get(key)
        if hit is None:
            hit = self._memo[key] = rx.search(self.sentence) is not None
        return hit

    @property
    def earlier(self) -> bool:
        hit = self._memo.get("earlier")
        if hit is None:
            hit = _sentence_earlier(self.sentence, self.published) or (
                self.inherit_earlier
                and self.own is None
                and not _STILL_CURRENT.search(self.sentence)
                and not self.has(REPORTED_CUE)
                and not self.has(EXPECTED_CUE)
                and not self.has(SPECULATIVE_CUE)
            )
            self._memo["earlier"] = hit
        return hit

    def _hedge_scan(self) -> tuple[list[str], set[str]]:
        hit = self._memo.get("hedges")
        if hit is None:
            hit = self._memo["hedges"] = _hedge_scan(self.sentence)
        return hit

    @property
    def hedges(self) -> list[str]:
        return list(self._hedge_scan()[0])

    @property
    def sentence(self) -> str:
        sent = self._sent
        if sent is None:  # (one string object per sentence: rxfast's memo knows it by identity)
            sent = self._sent = self.text[self.start : self.end]
        return sent

    def claim(self, predicate: str, subject: str, **kw) -> Claim:
        sent = self.sentence
        hedges = self.hedges
        frame = kw.get("time_frame", "current")
        background = frame == "earlier" or kw.get("role") == "existing"
        if (background and kw.get("role") == "existing" and self.has(_JOINS_CURRENT)
                and not self.earlier):
            # '本轮由X领投，老股东超额认购', 'existing backers A and B also took part': old
            # shareholders joining the round being relayed are part of that account
            background = False
        attributed, attribution_text, atype = self.attribution(
            subject, background, predicate, kw.get("value_start")
        )
        certainty = self.certainty(
            subject, background, frame, atype, attributed, kw.get("value_start")
        )
        key_start = kw.get("value_start") or self.start
        cid = stable_id(
            "c", self.sid, predicate, subject, kw.get("object_id"), key_start, kw.get("value_end")
        )
        return Claim(
            cid,
            self.sid,
            predicate,
            subject,
            sent,
            self.start,
            self.end,
            certainty,
            hedges=hedges,
            attributed_to=attributed,
            attribution_text=attribution_text,
            **kw,
        )

    def attribution(
        self, subject: str, background: bool, predicate: str, pos: int | None = None
    ) -> tuple[str | None, str | None, str | None]:
        cite = self.own
        if cite is not None and pos is not None:
            cite = self._clause_outlet(cite, pos)
        if cite is not None and pos is not None and self._denies_elsewhere(cite, pos):
            cite = None  # 'X Reportedly Raises $10B; Musk Says Not Raising': Musk is no source
        if cite is None and not background and self.attrib is not None:
            scope = self.attrib.scope
            speaker = scope is not None and self.etype.get(scope.party_id) in SUBJECT_TYPES
            if scope is not None and (
                subject == self.article_focal
                or (subject == self.focal and self.attrib.scope_subject in (subject, None))
            ) and not (speaker and scope.party_id != subject):
                # (a company's statement speaks for that company only)
                cite = scope
                if (
                    self.has(REPORTED_CUE) or self.has(SPECULATIVE_CUE) or self.has(FORECAST_CUE)
                ) and self.etype.get(scope.party_id) not in ("publication", "anonymous"):
                    # '据悉, …', '有市场人士预计…可能…' rely on someone else than the company's
                    # statement
                    cite = None
        if cite is None:
            return None, None, None
        return cite.party_id, cite.evidence, self.etype.get(cite.party_id)

    def _clause_outlet(self, cite: Citation, pos: int) -> Citation:
        """'X later said … $20 billion, and Y's report put … at …': with two outlets cited in
        one sentence, a figure goes to the outlet cited in its own clause."""
        if self.attrib is None or self.etype.get(cite.party_id) != "publication":
            return cite
        pubs = [c for c in self.attrib.by_sent[self.idx]
                if self.etype.get(c.party_id) == "publication"]
        if len({c.party_id for c in pubs}) < 2:
            return cite
        sent = self.sentence
        cuts = [0, *(m.end() for m in _CLAUSE_CUT.finditer(sent)), len(sent) + 1]
        k = bisect_left(cuts, pos - self.start + 1)
        lo, hi = cuts[k - 1], cuts[k]
        here = [c for c in pubs if lo <= c.evidence_start - self.start < hi]
        return here[0] if here else cite

    def _denies_elsewhere(self, cite: Citation, pos: int) -> bool:
        """Whether a party's statement is a denial standing in another clause than the claim."""
        if cite.cue != "said" or not (self.start <= cite.evidence_start < self.end):
            return False
        sent = self.sentence
        cuts = [0, *(m.end() for m in _CLAUSE_CUT.finditer(sent)), len(sent) + 1]
        if len(cuts) == 2:
            return False
        k_claim = bisect_left(cuts, pos - self.start + 1)
        k_cite = bisect_left(cuts, cite.evidence_start - self.start + 1)
        if k_claim == k_cite:
            return False
        lo, hi = cuts[k_cite - 1], cuts[k_cite]
        return _DENIAL.search(sent[lo:hi]) is not None

    def _hedged(self, rx: re.Pattern[str], subject: str, pos: int | None) -> bool:
        """Whether a hedge cue of `rx` applies to a claim at `pos`: a cue standing in another
        clause that is about another company does not ('X was valued at $183bn, and Y is in
        talks …' leaves X's figure unhedged)."""
        if not self.has(rx):
            return False
        if pos is None:
            return True
        sent = self.sentence
        cuts = [0, *(m.end() for m in _CLAUSE_CUT.finditer(sent)), len(sent) + 1]
        if len(cuts) == 2:
            return True
        rel = pos - self.start

        def clause(at: int) -> tuple[int, int]:
            k = bisect_left(cuts, at + 1) - 1
            return cuts[k], cuts[k + 1]

        own = clause(rel)
        for m in rx.finditer(sent):
            lo, hi = clause(m.start())
            if (lo, hi) == own:
                return True
            if (lo > own[0] and _LATER_PREDICATE.match(sent, lo)
                    and _PAST_VERB.search(sent, own[0], own[1])):
                continue  # 'X was valued at $3bn in March and is reportedly discussing …'

            names = {
                x.entity_id
                for x in self.mentions
                if lo <= x.start - self.start < hi and self.etype.get(x.entity_id) in SUBJECT_TYPES
            }
            if not names or subject in names:
                return True
        return False

    def certainty(
        self,
        subject: str,
        background: bool,
        frame: str,
        atype: str | None,
        attributed,
        pos: int | None = None,
    ) -> str:
        if self.attrib is not None and attributed in self.attrib.denied:
            return "denied"
        if self.has(DENIED_CUE) and not background:
            return "denied"
        if frame == "forecast" or self._hedged(RUMOUR_CUE, subject, pos):
            return "speculative"
        if atype in ("publication", "anonymous"):
            return "reported"
        if self._hedged(REPORTED_CUE, subject, pos) and not (
            atype is not None and _ONLY_ACCORDING.fullmatch(" ".join(self.hedges).lower())
        ):
            return "reported"  # ('according to the spokesperson' is the party's own word)
        if atype is not None:
            return "confirmed"
        if background:
            return "confirmed"
        if self._hedged(SPECULATIVE_CUE, subject, pos):
            return "speculative"
        if (
            self.attrib is not None
            and self.attrib.frame == "reported"
            and subject in (self.focal, self.article_focal)
            and (subject in self.attrib.frame_subjects or not self.attrib.frame_subjects)
        ):
            return "reported"  # the lead is a report about this company
        if self._hedged(EXPECTED_CUE, subject, pos):
            return "expected"
        return "confirmed"


# words saying that a party takes part in the round at hand
_JOINS_CURRENT = _rx(
    r"\b(?:this|the|the new|the latest|the current) (?:round|raise|financing|deal)\b",
    r"\b(?:also |again )?(?:took part|taking part|participated|participating|joined|joining)\b",
    r"本轮|本輪|此轮|此輪|这轮|這輪|超额认购|超額認購|跟投|参投|參投|追加|加注|继续|繼續",
)
_CLAUSE_CUT = fast(re.compile(
    r"[;；]\s*|,\s+(?:and|while|but|whereas)\s+|，(?:而|但|同时|同時)"
    r"|\s+(?:and|but)\s+(?=(?:is|are|has|have|will|would)\b)"
))
# a later predicate of the same subject ('… and is reportedly discussing …'): its hedge is its own
_LATER_PREDICATE = re.compile(r"(?:is|are|has|have|will|would)\b")
_ONLY_ACCORDING = re.compile(r"(?:according to ?)+")
_STILL_CURRENT = fast(re.compile(
    "|".join(f"(?:{rx.pattern})" for rx in (CURRENT_CUE, TARGET_CUE, FORECAST_CUE)), re.IGNORECASE
))
_HEDGE_KINDS = (
    ("denied", DENIED_CUE),
    ("rumour", RUMOUR_CUE),
    ("reported", REPORTED_CUE),
    ("speculative", SPECULATIVE_CUE),
    ("consider", CONSIDER_CUE),
    ("expected", EXPECTED_CUE),
)
# One scan finds every hedge cue and says which kind it is (a rumour is also speculative).
_HEDGE_ANY = fast(re.compile(
    "|".join(f"(?P<{kind}>{rx.pattern})" for kind, rx in _HEDGE_KINDS), re.IGNORECASE
))
_KIND_OF = {id(rx): kind for kind, rx in _HEDGE_KINDS}


def _hedges(sentence: str) -> list[str]:
    """The hedge cues of a sentence as printed, in text order, each once."""
    return _hedge_scan(sentence)[0]


def _hedge_scan(sentence: str) -> tuple[list[str], set[str]]:
    found: list[str] = []
    kinds: set[str] = set()
    seen: set[str] = set()
    for m in _HEDGE_ANY.finditer(sentence):
        kinds.add(m.lastgroup)
        cue = m.group(0)
        if cue.lower() not in seen:
            seen.add(cue.lower())
            found.append(cue)
    if "rumour" in kinds:
        kinds.add("speculative")
    return found, kinds


# ---------------------------------------------------------------------------------------------
_INVESTEE_BEFORE = _rx(
    r"\binvest(?:ing|ed|s|ment)? in\s+(?:the\s+)?$",
    r"\bstakes? in\s+$",
    r"\bback(?:ing|s|ed)?\s+$",
    r"\bvaluing\s+$",
    r"\bin\s+$",
    r"\binto\s+$",
    r"投资\s*$",
    r"入股\s*$",
    r"对\s*$",
)
_INVESTEE_AFTER = _rx(
    r"^(?:'s|’s)\s+(?:valuation|funding|round|fundrais)",
    r"^,?\s+(?:is|was|has been|has|had)\s+(?:reportedly\s+)?(?:raising|seeking|"
    r"valued|in talks to raise|raised|closed|completed)",
    # (a time word may stand between: 'X今（20）日宣布', 'X昨日完成', 'X2024年曾完成')
    r"^\s*(?:[今昨近][日天]|日前|[今昨][（(]\d{1,2}[)）]日|(?:19|20)\d\d年|\d{1,2}月\d{1,2}日)?"
    r"(?:曾|已|已经)?(?:的)?(?:估值|融资|完成|宣布|正在融资|拟融资)",
)
# a company in an investor position ('X（X Inc.）亦以策略投资人身分入股', 'X此次出资',
# 'X led the round') is not the article's raiser, however often it is named
_INVESTOR_AFTER = _rx(
    r"^,?\s+(?:also\s+)?(?:led|co-led|invested|participated|joined the round|took part|"
    r"is investing|will invest|is weighing|is considering)\b",
    r"^\s*(?:[（(][^)）]{0,30}[)）])?[^，。；,]{0,12}?(?:入股|出资|领投|跟投|参投|参与|注资)",
)


_RIVAL_BEFORE = _rx(
    r"\b(?:rivals?|competitors?|peers?)(?: such as| like| including)?\s+$",
    r"(?:竞争对手|对手|同行)\s*$",
)


def _focal_company(
    text: str,
    matches: list[Match],
    etype: dict[str, str],
    spans: list[tuple[int, int]],
    title: str | None = None,
) -> str | None:
    """The company the article is about: named in the headline, in funding-target positions,
    early and often."""
    score: Counter[str] = Counter()
    head = (title or "").casefold()
    in_title: set[str] = set()
    first_end = spans[0][1] if spans else 0
    for m in matches:
        kind = etype.get(m.entity_id)
        if kind not in SUBJECT_TYPES or (kind != "company" and m.entity_id.startswith("x-")):
            continue  # a discovered name in an investor position is not the raiser
        score[m.entity_id] += 1
        if head and m.entity_id not in in_title and m.surface.casefold() in head:
            in_title.add(m.entity_id)
            if not _RIVAL_BEFORE.search(head[: head.find(m.surface.casefold())]):
                score[m.entity_id] += 3
        if m.start < first_end:
            score[m.entity_id] += 2
        before = text[max(0, m.start - 30) : m.start]
        after = text[m.end : m.end + 40]
        if _INVESTEE_BEFORE.search(before) or _INVESTEE_AFTER.search(after):
            score[m.entity_id] += 4
        elif _INVESTOR_AFTER.search(after):
            score[m.entity_id] -= 3
        if _RIVAL_BEFORE.search(before):
            score[m.entity_id] -= 4  # 'Rival Acme AI was valued at …' is context, not the topic
    if not score:
        return None
    best = max(score.values())
    for m in matches:  # earliest among the best
        if score.get(m.entity_id) == best:
            return m.entity_id
    return None


# ---------------------------------------------------------------------------------------------
_CITE_PATTERNS: list[tuple[str, re.Pattern[str], str]] = [
    # (cue, pattern with the party right after it / before it, side)
    (
        "according_to",
        _rx(
            r"\bper\s+(?:the\s+)?$",
            r"\b(?:reported|published|first reported|broken|seen) (?:earlier in the day |first )?"
            r"by\s+(?:the\s+)?$",
            r"\b(?:report|account|story|article)s?,? (?:from|by|in)\s+(?:the\s+)?$",
            r"\baccording to (?:a |an |the )?(?:(?:new |recent |exclusive |separate )?"
            r"(?:report|reports|reporting|story|article|newsletter)s? (?:by|from|in) )?"
            r"(?:the )?$"
        ),
        "after",
    ),
    (
        "citing",
        _rx(
            r"\bciting (?:a |an )?(?:(?:report|story)s? (?:by|from|in) )?(?:the )?$",
            r"\bcited by\s+$",
            r"援引\s*$",
            r"引述\s*$",
        ),
        "after",
    ),
    ("via", _rx(r"\bvia\s+$", r"\bsurfaced (?:via|through|on)\s+$"), "after"),
    # 'people familiar with the matter told The Information': the outlet relays them
    ("citing", _rx(r"\b(?:told|telling|tells|spoke to|speaking to)\s+(?:the\s+)?$"), "after"),
    (
        "original_source",
        _rx(r"\boriginal source:\s*$", r"\bsource:\s*$", r"来源[:：]\s*$", r"^\W{0,3}$"),
        "after",
    ),
    ("according_to", _rx(r"[据據]\s*$", r"根[据據]\s*$"), "after"),
    (
        "reported",
        _rx(
            r"^(?:'s|’s)?\s*(?:has\s+|had\s+)?(?:first\s+|also\s+|previously\s+|exclusively\s+|"
            r"since\s+|later\s+|earlier\s+|separately\s+|now\s+)?"
            r"(?:reported|reports|has reported|had reported|wrote|writes|broke the news)\b",
            r"^[》」』”\"]?\s*(?:曾|也|亦|已|此前|早前|稍早)?(?:报道|报导|報導|報道|消息称|消息稱|获悉"
            r"|獲悉|独家|獨家|援引)",
            r"^(?:,[^,.;]{0,60},)\s*(?:reported|reports|wrote|says|said)\b",
            r"^(?:'s|’s)?\s+(?:earlier\s+|recent\s+|new\s+)?(?:report|story|article)s?\b",
        ),
        "before",
    ),
    (
        "said",
        _rx(
            r"^,?\s*(?:later\s+|also\s+|since\s+|earlier\s+|separately\s+|first\s+)?(?:said|"
            r"say|says|told|indicate[sd]?|suggest(?:ed|s)?|noted|added(?! to)|announced|"
            r"confirmed|disclosed)\b",
            r"^,\s(?:the|a|an|which|its)\b[^,;]{0,100},\s*(?:said|says|announced|confirmed|wrote)\b",
            r"^\s*wrote\b",
            r"^\s*(?:on \w+ )?(?:said|announced|confirmed|says|announces|confirms)\b",
            r"^\s*(?:'s\s+)?(?:spokes(?:person|man|woman)|representative|chief executive|CEO|"
            r"founder|co-founder)(?:,\s*[^,]{0,40},)?\s+(?:on \w+ )?(?:said|says|confirmed|"
            r"confirms|told|announced|disclosed)\b",
            r"^\s*(?:\d{1,2}月\d{1,2}日)?(?:表示|称|稱|透露|说|說|宣布|(?:发布)?公告|披露)",
            # a name glossed before its verb: 'X（下称"X"）宣布', 'Acme Inc. (ACME) said'
            r"^[^，。；,;]{0,12}?[(（][^)）]{0,30}[)）]\s*(?:\d{1,2}月\d{1,2}日|昨日|今日|今天|近日|"
            r"日前)?(?:表示|宣布|公告|披露)",
            r"^[\"”」』]?\s*[)）]\s*(?:\d{1,2}月\d{1,2}日|昨日|今日|今天|近日|日前)?(?:表示|宣布|公告|"
            r"披露)",
            r"^\s*\([^)]{0,30}\)\s*(?:on \w+ )?(?:said|announced|confirmed)\b",
        ),
        "before",
    ),
]
_BARE_SOURCES = _rx(
    r"\b(?:sources|insiders|people)\s+(?:close to|familiar with|briefed on|with "
    r"knowledge of)\b[^.,;]*",
    r"\b(?:sources|insiders)\s+(?:said|say|says|indicate[sd]?"
    r"|told|suggest\w*)\b",
    r"\b(?:people|sources|a person)\s+familiar\s+(?:said|say|says)\b",
)


_LINE_CREDIT = re.compile(r"(?:[:：|]|\s[—–-]{1,2})\s*$")
_LINE_END = re.compile(r"[\s)）.*_]*(?:\n|$)")
_TOLD = re.compile(r"\b(?:told|telling|tells|spoke to|speaking to)\b")
_CITE_BEFORE_ANY = fast(re.compile(
    "|".join(f"(?:{rx.pattern})" for _, rx, side in _CITE_PATTERNS if side == "after"),
    re.IGNORECASE,
))


def _citations(
    text: str,
    sid: str,
    matches: list[Match],
    etype: dict[str, str],
    spans: list[tuple[int, int]],
    registry: Registry,
    discovered: dict[str, Entity],
) -> list[Citation]:
    out: dict[str, Citation] = {}

    def add(party: str, cue: str, a: int, b: int) -> None:
        cid = stable_id("t", sid, party, a, b)
        out.setdefault(cid, Citation(cid, sid, party, cue, text[a:b], a, b))

    for m in matches:
        if etype.get(m.entity_id) not in CITABLE_TYPES:
            continue
        line_start = text.rfind("\n", 0, m.start) + 1
        before = text[max(line_start, m.start - 80) : m.start]
        after = text[m.end : m.end + 150]
        before_any = _CITE_BEFORE_ANY.search(before) is not None
        for cue, rx, side in _CITE_PATTERNS:
            if side == "after":
                hit = rx.search(before) if before_any else None
                if hit and (
                    cue != "original_source" or etype[m.entity_id] == "publication"
                ) and (not _TOLD.search(hit.group(0)) or etype[m.entity_id] == "publication"):
                    if cue == "original_source" and hit.group(0) and not before.strip():
                        pass
                    add(m.entity_id, cue, max(line_start, m.start - 80) + hit.start(), m.end)
                    break
            else:
                # every 'before'-side cue is anchored at the name's end (re itself is quicker
                # there than rxfast's tests on a fresh 150-character stretch)
                hit = getattr(rx, "rx", rx).match(after)
                if hit and (etype[m.entity_id] in ("publication", "anonymous") or cue == "said"):
                    add(m.entity_id, cue, m.start, m.end + hit.end())
                    break
        else:
            if etype[m.entity_id] == "anonymous":
                add(m.entity_id, "said", m.start, m.end)
            elif etype[m.entity_id] == "publication":
                # a credit closing a line: '*ACME SEEKS $1 BILLION: REUTERS', '… — Caixin'
                credit = _LINE_CREDIT.search(before)
                if credit and before[: credit.start()].strip() and _LINE_END.match(text, m.end):
                    add(m.entity_id, "according_to",
                        max(line_start, m.start - 80) + credit.start(), m.end)
    if "anonymous-sources" in registry.entities:
        for hit in _BARE_SOURCES.finditer(text):
            if not any(c.evidence_start <= hit.start() < c.evidence_end for c in out.values()):
                add("anonymous-sources", "said", hit.start(), hit.end())
    return sorted(out.values(), key=lambda c: (c.evidence_start, c.party_id))


def _primary_citation(citations: list[Citation], etype: dict[str, str]) -> Citation | None:
    """The outlet an article relays: the most-cited publication (first cited on a tie)."""
    pubs = [c for c in citations if etype.get(c.party_id) == "publication"]
    if not pubs:
        anon = [c for c in citations if etype.get(c.party_id) == "anonymous"]
        return anon[0] if anon else None
    counts = Counter(c.party_id for c in pubs)
    best = max(counts.values())
    return next(c for c in pubs if counts[c.party_id] == best)


# ---------------------------------------------------------------------------------------------
_ZH_GROUP_JOIN = re.compile(r"等[^，。；]{0,8}[，,]?\s*(?:以及|及|和|与|與|还有|還有)")
_POSSESSIVE_JOIN = re.compile(r"(?:'s|’s)(?:\s+[A-Z][\w-]*){1,3}" + LIST_SEP.pattern)


_CORP_SUFFIX = re.compile(r"^(?:\.com|\.ai)?\s*(?:Corp(?:oration)?\.?|Inc\.?|Ltd\.?|LLC|plc|Co\.|"
                          r"AG|SA|SE|NV)(?=[\s,'’]|$)|^\.com\b")
_OWNER = re.compile(r"(?<=\s)(?:[A-Z][\w.-]*\s+){0,3}[A-Z][\w.-]*['’]s\s+$")


_MEMBER_ROLE = fast(re.compile(
    r"\b(existing|earlier|previous|current|longtime|new|other|additional)\s+"
    r"(?:investors?|backers?|shareholders?)\s*$",
    re.IGNORECASE,
))
_NEW_WORDS = {"new", "other", "additional"}
# the rest of an appositive after a name in it, then the main verb ('… Liang co-founded, remains')
_APPOS_TAIL = re.compile(
    r"\s+(?:[a-z][\w-]*\s+){0,2}[a-z][\w-]*,\s+(?:remains?|is|was|are|were|has|had|have|will|"
    r"would|said|says|holds?|owns?|also|already)\b"
)
_GLOSS_BETWEEN = re.compile(r"^(?:集团|集團|控股|股份|公司)?\s*[(（][^)）]{0,30}[)）](?=\s*\S)")
_ZH_OWNER_AFTER = re.compile(r"\s*(?:旗下|下属|下屬|所属|所屬)(?:的)?")
_NAME_AS_MODIFIER = re.compile(r"\s+" + ROLE_WORDS + r"\b")


# (compiled once: `re`'s own cache lookup costs more than these matches, run per mention)
_APPOS_LEAD = re.compile(r"\s*,\s*(?:the|a|an|its)\s+[a-z]")
_POSSESSIVE_S = re.compile(r"(?:'s|’s)\b")
_POSSESSIVE_JOINS = re.compile(r"['’]s\s+")
_GLOSS_JOIN = re.compile(r"\s*[(（][^)）]{0,60}[)）]?\s*")
_HEAD_GLOSS = re.compile(r"\s*[(（][^)）]{0,40}[)）]")
_HEAD_REST = re.compile(r"\s*(?:[,，]\s*(?:per|via|according to|据)\b[^:：]{0,60})?[:：]?\s*")
_CLAUSE_COMMA = re.compile(r"[,，;；]")


def _groups(ctx: _SentenceContext) -> list[list[Match]]:
    """Runs of investor-type entities joined by list separators ('A, B and C', 'A、B和C')."""
    groups: list[list[Match]] = []
    for m in ctx.mentions:
        if ctx.etype.get(m.entity_id) not in INVESTOR_TYPES:
            continue
        if _NAME_AS_MODIFIER.match(ctx.text, m.end) and re.search(
            r"\b[a-z][\w-]*\s+$", ctx.text[max(ctx.start, m.start - 20) : m.start]
        ):
            continue  # 'Kingdom Holding, an existing xAI shareholder': xAI qualifies the noun
        owner = _ZH_OWNER_AFTER.match(ctx.text, m.end)
        if owner is not None and any(x.start == owner.end() for x in ctx.mentions):
            continue  # '中国移动旗下的中移资本': the owner is not the investor (but it stands
            # for an unnamed '旗下基金')
        if groups:
            prev = groups[-1][-1]
            between = ctx.text[prev.end : m.start]
            if m.entity_id == prev.entity_id and between in ("(", "（", " (", " （"):
                continue  # 'X发展有限公司（X国投）': the same investor's short name
            if _APPOS_LEAD.match(between) and _APPOS_TAIL.match(
                ctx.text, m.end
            ):
                continue  # 'High-Flyer, the fund Liang co-founded, remains …': Liang is inside
            # '腾讯控股（00700）及阿里巴巴', 'Acme (Paris) and Beta': a gloss or ticker stays with
            # its name and does not end the list
            between = _GLOSS_BETWEEN.sub("", between)
            if _POSSESSIVE_S.match(ctx.text[m.end : m.end + 2]) and not _groups_ok(ctx, m):
                groups.append([m])
                continue
            # 'Microsoft Corp. and Nvidia', 'Bpifrance and Abu Dhabi's MGX'
            between = _OWNER.sub("", _CORP_SUFFIX.sub("", between))
            phrase = _MEMBER_ROLE.search(between) if len(between) > 6 else None
            if phrase is not None:
                # '…, and new investors D and E': the list goes on with its own role word
                ctx.member_role[m.start] = (
                    "participant" if phrase.group(1).lower() in _NEW_WORDS else "existing"
                )
            elif prev.start in ctx.member_role:
                ctx.member_role[m.start] = ctx.member_role[prev.start]
            if (
                _POSSESSIVE_JOINS.fullmatch(between)  # 'SoftBank's Vision Fund': one investor
                or LIST_SEP.fullmatch(between)
                or between in ("", " ")
                or _GLOSS_JOIN.fullmatch(between)
                or _ZH_GROUP_JOIN.fullmatch(between)
                or _POSSESSIVE_JOIN.fullmatch(between)
            ):
                groups[-1].append(m)
                continue
        groups.append([m])
    return groups


def _groups_ok(ctx: _SentenceContext, m: Match) -> bool:
    """A possessive ('Anthropic's earlier backers') is a modifier, not a list member — unless
    an investor noun follows ('SoftBank's Vision Fund')."""
    return bool(re.match(r"(?:'s|’s)\s+(?:[A-Z][\w-]*\s*){1,3}(?:Fund|Capital|Ventures|arm)\b",
                         ctx.text[m.end : m.end + 40]))


def _clause_span(ctx: _SentenceContext, a: int, b: int) -> tuple[int, int]:
    key = ("clause", a, b)
    span = ctx._memo.get(key)
    if span is None:
        span = ctx._memo[key] = _clause_span_of(ctx, a, b)
    return span


def _clause_span_of(ctx: _SentenceContext, a: int, b: int) -> tuple[int, int]:
    left = ctx.start
    for m in CLAUSE_END.finditer(ctx.text, ctx.start, a):
        left = m.end()
    m = CLAUSE_END.search(ctx.text, b, ctx.end)
    return left, (m.start() if m else ctx.end)


_RECIPIENT_BEFORE = _rx(
    r"[向对對]\s*$",
    r"\b(?:invest(?:ed|s|ing|ment|ments)?|stakes?|money|capital) (?:in|into)\s+(?:the\s+)?$",
)


# 'X 正与 A 及 B 洽谈新一轮融资': A and B are the parties X talks with, not the raisers
_PARTNER_BEFORE = re.compile(r"\S\s*(?:正在|正|已|曾)?\s*[与與跟同]\s*$")


def _role_for(ctx: _SentenceContext, group: list[Match]) -> str | None:
    """The role the words around a group of names give it; None when they give none (or deny
    it: 'X is not among the investors', 'X未参与')."""
    c_lo, c_hi = _clause_span(ctx, group[0].start, group[-1].end)
    before = ctx.text[max(c_lo, group[0].start - 80) : group[0].start]
    if _RECIPIENT_BEFORE.search(before):
        return None  # '向OpenAI投资', 'invested in OpenAI': the investee, not an investor
    after = ctx.text[group[-1].end : min(c_hi, group[-1].end + 110)]
    after = _GROUP_SUFFIX.sub("", after)
    appos = APPOSITIVE.match(after)
    appos_role: str | None = None
    if appos:
        inner = appos.group(0)
        ctx.appositives.append((group[-1].end, group[-1].end + appos.end()))
        bare = re.sub(r"^[\s,，(（]*(?:which|who)\b", "", inner)
        if re.match(r"[\s,，]*whose (?:\w+ )?(?:talks|discussions|negotiations) with\b", inner):
            appos_role = "in_talks"  # 'A and B, whose talks with X were first reported by …'
        for role in ("existing", "in_talks") if appos_role is None else ():
            rx = dict(ROLE_AFTER)[role]
            hit = rx.search(bare)
            if hit and role == "in_talks" and RAISER_AFTER.match(bare[hit.end() :]):
                continue
            if hit or (
                role == "existing"
                and re.search(r"\b(?:existing|earlier|previous|longtime|long-time)\s+"
                              r"(?:[\w.-]+\s+)?" + ROLE_WORDS, inner)
            ):
                appos_role = role
                if re.search(r"\b(?:was|were|had|held|did)\b", bare[:30]):
                    ctx.role_frame = "earlier"
                break
        after = after[appos.end() :]
        if not after.startswith(","):
            after = " " + after.lstrip()
    stripped = after.lstrip(", ")
    if NEGATED_AFTER.match(after) or (stripped != after and NEGATED_AFTER.match(stripped)):
        return appos_role
    tail = " " + stripped
    # every ROLE_AFTER / NEGATED_AFTER cue is anchored at the start: match, not search (and the
    # tail is only tried when it differs: ' is leading …' is its own tail)
    after_any = _AFTER_ANY.match(after) or (tail != after and _AFTER_ANY.match(tail))
    for role, rx in ROLE_AFTER if after_any else ():
        hit = rx.match(after)
        text_ = after
        if hit is None and tail != after:
            hit, text_ = rx.match(tail), tail
        if hit:
            rest = text_[hit.end() :]
            if (role in ("in_talks", "considering") and RAISER_AFTER.match(rest)
                    and not _JOIN_VERB.match(rest) and not _PARTNER_BEFORE.search(before)):
                # 'OpenAI is discussing a share sale': the raiser, not an investor (but
                # 'X正在与公司洽谈参与本轮融资' joins the round)
                return None
            if role == "lead" and _PROPOSED.search(hit.group(0)):
                return "in_talks"  # '拟领投' (proposes to lead) is not yet leading
            if role == "participant" and TALKS_NEAR.search(after[:60]):
                return "in_talks"
            ctx.role_frame = None
            # 'X计划出资100亿元', 'X will invest $1bn': a sum put in, which yields to a role
            # stated elsewhere in the article ('X拟领投') — see _dedupe
            ctx.weak_role = role == "participant" and _CONTRIB_WORD.search(hit.group(0)) is not None
            if appos_role == "existing":
                ctx.appos_hit = (group[-1].end, group[-1].end + appos.end())
            return role
    if appos_role is not None:
        return appos_role
    if not _BEFORE_ANY.search(before):
        return None
    for role, rx in ROLE_BEFORE:
        if rx.search(before):
            return role
    return None


_AS_IS = re.compile(r"[,，]\s*as (?:is|are|was|were|does|do|did|has|have)\s+(?:the\s+)?$")
_CONTRIB_WORD = re.compile(r"出资|出資|注资|注資|invest|contribut|commit|put(?:ting)? in|provid")
_JOIN_VERB = re.compile(r"\s*(?:参与|參與|参投|參投|跟投|入股|投资|投資|领投|領投|认购|認購)")
# a lead that is only proposed or negotiated ('拟领投', 'in talks to lead') stays in talks
_PROPOSED = re.compile(r"拟|擬|洽谈|洽談|商谈|商談|磋商")


# one pass to rule out the common case of a name with no role cue around it
_AFTER_ANY = fast(
    re.compile("|".join(f"(?:{r.pattern})" for _, r in ROLE_AFTER), re.IGNORECASE)
)
_BEFORE_ANY = fast(
    re.compile("|".join(f"(?:{r.pattern})" for _, r in ROLE_BEFORE), re.IGNORECASE)
)


def _investor_subject(ctx: _SentenceContext, group: list[Match], grouped: set[str]) -> list[str]:
    subjects = _investees_after(ctx, group)
    if subjects:
        return subjects
    c_lo, _ = _clause_span(ctx, group[0].start, group[-1].end)
    # 'MiniMax was valued at $2.5 billion when Alibaba led its 2024 financing' → MiniMax
    for m in reversed(ctx.mentions):
        if m.end > group[0].start or m.start < c_lo:
            continue
        if ctx.etype.get(m.entity_id) not in SUBJECT_TYPES or m.entity_id in grouped:
            continue
        pre = ctx.text[max(ctx.start, m.start - 25) : m.start]
        if _NOT_SUBJECT_BEFORE.search(pre):
            continue
        between = ctx.text[m.end : group[0].start]
        if len(between) < 16 and re.search(r"\b(?:with|and)\s*$|[与與和跟同]\s*$", between):
            continue  # 'OpenAI and Microsoft' is a pair, but 'X raised $1bn, with Y …' is X's
        appos = APPOSITIVE.match(between)
        rest = between[appos.end() :] if appos is not None else ""
        if appos is not None and re.fullmatch(r"\s*(?:and|or|as well as)\s*", rest):
            continue  # 'Amazon, which has …, and Google, which …, did not lead': list-mates
        if _MODIFIER_AFTER.match(ctx.text[m.end : m.end + 30]) or _ZH_OWNER_AFTER.match(
            ctx.text, m.end
        ):
            continue  # 'former OpenAI technology chief', 'OpenAI's chief', 'X旗下的Y'
        return [m.entity_id]
    return [ctx.focal] if ctx.focal else []


def _investor_claims(ctx: _SentenceContext) -> list[Claim]:
    claims: list[Claim] = []
    roled = []
    for g in _groups(ctx):
        ctx.role_frame = ctx.appos_hit = None
        ctx.weak_role = False
        r = _role_for(ctx, g)
        if r is None and roled and _AS_IS.search(ctx.text, max(ctx.start, g[0].start - 20),
                                                 g[0].start):
            # 'Nvidia is participating, as is the Bezos family office': the same role
            r = roled[-1][1]
        if r is not None:
            roled.append((g, r, ctx.role_frame, ctx.weak_role))
            if ctx.appos_hit:
                # 'Tencent, which has already invested in A and B, is expected to lead'
                a, b = ctx.appos_hit
                for subject in _investees_after(ctx, g, b):
                    claims.extend(
                        ctx.claim("investor", subject, object_id=m.entity_id, role="existing",
                                  time_frame="earlier")
                        for m in g
                        if m.entity_id != subject
                    )
                ctx.skip_to[g[-1].end] = b
    ctx.role_frame = ctx.appos_hit = None
    if not roled:
        return claims
    grouped = {m.entity_id for g, _, _, _ in roled for m in g}
    earlier = ctx.earlier
    for group, role, role_frame, weak_role in roled:
        if any(a <= group[0].start < b for a, b in ctx.appositives):
            continue  # 'Alibaba, which negotiated alongside Tencent, …': Tencent is not a role
        for subject in _investor_subject(ctx, group, grouped):
            s_role = role
            if earlier and (
                role == "unspecified" or (role == "participant" and subject == ctx.article_focal)
            ):
                # backers of the focal company's earlier round are its existing investors; those
                # taking part in another company's past round are that round's participants
                s_role = "existing"
            s_frame = "earlier" if earlier or s_role == "existing" or role_frame else "current"
            for m in group:
                if m.entity_id == subject:
                    continue
                m_role, m_frame = s_role, s_frame
                own = ctx.member_role.get(m.start)
                if own is not None and role in ("participant", "existing", "unspecified"):
                    m_role = own
                    m_frame = "earlier" if own == "existing" or earlier else "current"
                if weak_role and m_role == "participant":
                    m_role = None  # (resolved in _dedupe)
                claims.append(
                    ctx.claim(
                        "investor", subject, object_id=m.entity_id, role=m_role,
                        time_frame=m_frame,
                    )
                )
    return claims


def _sentence_earlier(sent: str, published: str | None = None) -> bool:
    if CURRENT_CUE.search(sent):
        return False
    return bool(EARLIER_CUE.search(sent)) or _past_date(sent, published, strict=True)


_YEAR = re.compile(r"(?<![\d.])((?:19|20)\d\d)(?!\d|\.\d|%)")  # not 2024.5 or 2024%
_MONTH_PAST = fast(re.compile(
    r"\b(?:in|since|by|last) (?:early |late |mid-?)?(?:January|February|March|April|May|June|July|"
    r"August|September|October|November|December)\b"
))
_PAST_VERB = fast(re.compile(
    r"\b(?:was|were|had|raised|closed|completed|valued|merged|led|took part|invested|became|"
    r"set|fetched|received|secured|commanded|got)\b|完成|获得|獲得|宣布|曾|时|時"
))
_ZH_MONTH = re.compile(r"(?:今年|本年)?(\d{1,2})月(?!\d{0,2}日前)")


def _past_date(text: str, published: str | None, strict: bool = False) -> bool:
    """A year before the article's own year ('in 2024', '2024年3月'), or a month named with a
    past-tense verb ('was valued at $4.3 billion in December'), dates the figure as earlier."""
    year = int(published[:4]) if published else None
    for m in _YEAR.finditer(text):
        y = int(m.group(1))
        if (
            year
            and y < year
            and not re.match(r"\s*(?:年底前|年内|年內)", text[m.end() :])
            and (not strict or _PAST_VERB.search(text))
        ):
            return True
    if (
        published
        and "月" in text
        and _PAST_VERB.search(text)
        and not re.search(r"将|將|预计|預計|计划|計劃|有望|拟|擬", text)
    ):
        # '今年10月，OpenAI…获得了5000亿美元的估值' in a December article
        month = int(published[5:7]) if len(published) >= 7 else 0
        for m in _ZH_MONTH.finditer(text):
            if m.group(0).startswith(("今年", "本年")) and 0 < int(m.group(1)) < month:
                return True
    return bool(
        _MONTH_PAST.search(text)
        and _PAST_VERB.search(text)
        and not re.search(r"\b(?:will|would|expected|plans?|could)\b", text)
    )


_INVESTEE_CUE = re.compile(
    r"\b(?:invested|backed|invest(?:ing)?|stakes?|money|capital|funds?)\s+(?:in|into)\b"
    r"|\bhas (?:also )?backed\b|[向对對](?=[^，。；]{0,12}(?:投资|投資|注资|注資))"
    # 'A remains X's largest shareholder': X is the company A holds shares in
    r"|\b(?:remains?|is|are|was|were)(?:\s+(?:still|now|already))?\s+(?=[A-Z][\w.-]*"
    r"(?:\s[A-Z][\w.-]*)?['’]s\s+(?:[\w-]+\s+)?(?:backer|investor|shareholder|owner)s?\b)"
)

def _investees_after(
    ctx: _SentenceContext, group: list[Match], limit: int | None = None
) -> list[str]:
    """'X has invested in A and B' / 'X put money into A' / 'X向A投资' → [A, B] (within the
    appositive when `limit` ends one; past it otherwise)."""
    tail_start = group[-1].end
    if limit is None:
        tail_start = ctx.skip_to.get(tail_start, tail_start)
    window = ctx.text[tail_start : min(limit or ctx.end, tail_start + 120)]
    hit = _INVESTEE_CUE.search(window)
    if not hit:
        return []
    cut = tail_start + hit.end()
    stop = tail_start + len(window)
    out: list[str] = []
    for m in ctx.mentions:
        if m.start >= stop:
            break  # past the appositive (or the window): 'A, which has invested in X, and B'
        if m.start >= cut and ctx.etype.get(m.entity_id) in SUBJECT_TYPES:
            between = ctx.text[cut : m.start]
            if out and not LIST_SEP.fullmatch(between):
                break
            if not out and (len(between) > 60 or re.search(r"[,;，；]", between)):
                break  # 'invested in the company since 2023, and Google': not its object
            out.append(m.entity_id)
            cut = m.end
    return out


# ---------------------------------------------------------------------------------------------
_LIST_AT = re.compile(
    r"(?:^|[,;:，；：]|\band\b)\s*((?:the\s+)?[A-Z][^,;:，；：]{0,40}?)\s+"
    r"(?:reportedly\s+|now\s+|still\s+)?at\s+(?:just\s+|a\s+)?$"
)


def _listed_at(ctx: _SentenceContext, found: list) -> set[int]:
    """A list of prices, 'A at $X, B at $Y and C at $Z': the figures (two or more) each set
    right after a company name and 'at'."""
    sent, out = ctx.sentence, set()
    for i, mon in enumerate(found):
        lo = found[i - 1].end if i else 0
        m = _LIST_AT.search(sent, lo, mon.start)
        if m is None:
            continue
        a, b = ctx.start + m.start(1), ctx.start + m.end(1)
        if any(a <= x.start and x.end == b and ctx.etype.get(x.entity_id) in SUBJECT_TYPES
               for x in ctx.mentions):
            out.add(i)
    return out if len(out) >= 2 else set()


def _money_fields(mon, base: int) -> dict:
    """A money figure's claim columns; `base` is the text offset its spans count from."""
    return dict(
        value_text=mon.text,
        value_start=base + mon.start,
        value_end=base + mon.end,
        amount_low=mon.low,
        amount_high=mon.high,
        low_inclusive=mon.low_inclusive,
        high_inclusive=mon.high_inclusive,
        currency=mon.currency,
        currency_surface=mon.currency_surface,
        qualifier=mon.qualifier,
    )


def _money_claims(ctx: _SentenceContext, investors: set[str | None]) -> list[Claim]:
    sent = ctx.sentence
    if not _maybe_money(sent):
        return []
    found = [
        _widen_bound(sent, replace(m, text=sent[m.start : m.end]))
        for m in moneylib.find_money(_mask_round_labels(sent), ctx.lang, ctx.yen_hint)
    ]
    if not found:
        return []
    claims: list[Claim] = []
    sentence_earlier = ctx.earlier
    past: bool | None = None
    prev_pred: str | None = None
    prev_investor: str | None = None
    paired = _respectively(ctx, found) if _RESPECTIVELY.search(sent) else {}
    listed = _listed_at(ctx, found) if len(found) > 1 and " at " in sent else set()
    for i, mon in enumerate(found):
        lo = found[i - 1].end if i else 0
        if i and found[i - 1].gloss is not None:
            lo = max(lo, _gloss_close(sent, found[i - 1].gloss.end))
        hi = found[i + 1].start if i + 1 < len(found) else len(sent)
        tail_from = _gloss_close(sent, mon.gloss.end) if mon.gloss is not None else mon.end
        before, after = sent[lo : mon.start], sent[tail_from:hi]
        if _NOT_A_CLAIM_BEFORE.search(before[-40:]) or _PER_UNIT_AFTER.match(after):
            prev_pred = prev_investor = None
            continue  # 'raised $15 billion, not $20 billion'; '按X估值计算'; '$90,000 each'
        investor = (
            paired.get(i)
            or _contributor(ctx, before, lo, mon, after)
            or _source_after(ctx, mon, after)
        )
        gapped = i and re.search(r"(?:\band\b|,|，|、|;|；)", before) and not _ANY_CUE.search(
            before + " " + after[:30]
        )
        if investor is None and gapped and prev_investor and prev_pred == "investment_amount":
            # 'Microsoft will invest up to $5 billion in Anthropic and Nvidia up to $10 billion'
            investor = _last_investor_in(ctx, lo, mon.start) if i else None
        cue = ""
        if investor:
            predicate = "investment_amount"
        else:
            predicate, cue = _predicate_and_cue(before, after, i + 1 < len(found))
        answered = None
        if predicate is None and not investor and i == 0 and ctx.question:
            # an interview answer's bare figure takes the question's cue and company ('What
            # is X worth?' → 'A: On paper, $500 billion.')
            predicate, cue = _predicate_and_cue(ctx.question, "")
            answered = ctx.question_subject
        if not investor and _VALUATION_NEXT.match(after):
            predicate = "valuation"  # 'a $10 billion valuation', '1亿元的估值'
        if (
            not investor
            and prev_pred == "valuation"
            and re.search(r"(?:\band\b|,|，)[^,;，；]{0,40}\bat\s+$", before)
            and not ROUND_CUE.search(before)
        ):
            predicate = "valuation"  # '... valued at $3 billion, and MiniMax at $4 billion'
        if i in listed and not investor:
            predicate = "valuation"  # 'SSI at $32 billion, Perplexity at $20 billion, …'
        if predicate is None and gapped and prev_pred in ("valuation", "round_amount"):
            predicate = prev_pred  # '… valued at $500 billion, and Anthropic at $183 billion'
        prev_pred, prev_investor = predicate, investor
        if predicate is None:
            continue
        subject = (
            _money_subject(ctx, before, lo, investors | {investor} | set(paired.values()), mon)
            or answered
            or ctx.focal
        )
        if subject is None:
            continue
        if not sentence_earlier and past is None:
            past = _past_date(sent, ctx.published, strict=True)  # (the same for every figure)
        frame = _time_frame(before, after, sentence_earlier or past, ctx.published)
        kw = dict(_money_fields(mon, ctx.start), time_frame=frame)
        if mon.gloss is not None and mon.gloss.currency == "USD" and mon.currency != "USD":
            kw.update(_stated_usd(sent, mon))
        if investor:
            kw["object_id"] = investor
            cued = _role_for(ctx, [m for m in ctx.mentions if m.entity_id == investor][:1])
            kw["role"] = cued or "participant"
            if kw["role"] == "existing":
                kw["time_frame"] = "earlier"
            elif kw["time_frame"] == "earlier" and kw["role"] in ("participant", "unspecified"):
                kw["role"] = "existing"  # money put in before the current round
        claim = ctx.claim(predicate, subject, **kw)
        if predicate == "round_amount" and cue.lower() in _WEAK_ROUND_CUES:
            ctx.weak.add(claim.claim_id)
        claims.append(claim)
        if investor:
            # a contribution with no role word of its own ('腾讯计划出资100亿元') yields to a role
            # stated elsewhere ('腾讯拟领投'); alone it is a participant (see _dedupe)
            role = None if kw["role"] == "participant" else kw["role"]
            claims.append(
                ctx.claim(
                    "investor", subject, object_id=investor, role=role,
                    time_frame=kw["time_frame"] if kw["time_frame"] == "earlier" else "current",
                )
            )
    return claims


# A sentence can only state a sum if it has a currency or a scale word: skip the rest cheaply.
# "a $20B+ DeepSeek investment" names the deal, not necessarily its size: when the same figure is
# a valuation elsewhere in the article, the headline figure is that valuation restated.
_WEAK_ROUND_CUES = {"investment", "investments", "投资", "投資"}
_MAYBE_MONEY = re.compile(
    r"[$€£¥￥]|illion|[元亿億萬万]|\d\s*(?:bn|mn|[bmk])\b|\b(?:usd|rmb|cny|eur|hkd|yuan|dollars?|"
    r"euros?|renminbi|pounds?)\b",
    re.IGNORECASE,
)
# The same test as `_MAYBE_MONEY.search`, split so that each part scans fast: a character class
# (re skips to its characters), a figure with a scale letter (re skips to digits), and words.
_MONEY_SIGN = re.compile(r"[$€£¥￥元亿億萬万]")
_MONEY_SCALE = re.compile(r"\d\s*(?:bn|mn|[bmk])\b", re.IGNORECASE)
_MONEY_WORD = fast(re.compile(
    r"illion|\b(?:usd|rmb|cny|eur|hkd|yuan|dollars?|euros?|renminbi|pounds?)\b", re.IGNORECASE
))


def _maybe_money(sent: str) -> bool:
    """Whether `_MAYBE_MONEY` finds something in the sentence (a currency or a scale word)."""
    return (
        _MONEY_SIGN.search(sent) is not None
        or _MONEY_WORD.search(sent) is not None
        or _MONEY_SCALE.search(sent) is not None
    )
_PAST_THE = re.compile(
    r"\b(?:past|beyond|above|over|exceed(?:ing|s)?|surpass(?:ing|es)?|top(?:ping|s)?|north of)"
    r"\s+the\s+$",
    re.IGNORECASE,
)
_MARK = re.compile(r"\s*(?:mark|level|threshold|barrier)\b")


_VALUATION_NEXT = re.compile(
    r"\s*(?:-?plus\s+)?(?:(?:pre|post)-money\s+)?valuation\b|\s*(?:的)?(?:投[前后後])?(?:估值|估價)",
    re.IGNORECASE
)
_LABEL_AFTER_FIGURE = re.compile(r"(?<=[元币幣])[A-Za-z][A-Za-z0-9+\-]{0,6}(?=[轮輪])")


def _mask_round_labels(sent: str) -> str:
    """'1.2亿元A轮融资': the money parser rejects a figure glued to a Latin round label, so the
    label is blanked (same length, offsets unchanged) before parsing (see the report)."""
    if not _LABEL_AFTER_FIGURE.search(sent):
        return sent
    return _LABEL_AFTER_FIGURE.sub(lambda m: " " * len(m.group(0)), sent)


def _widen_bound(sent: str, mon: moneylib.Money) -> moneylib.Money:
    """'past the $20 billion mark' is a lower bound; the money parser reads only '$20 billion'
    (worked around here, see the report), so the bound words are added to the value."""
    pre = _PAST_THE.search(sent, max(0, mon.start - 40), mon.start)
    tail = _MARK.match(sent, mon.end)
    if pre is None or tail is None or mon.qualifier != "exact" or mon.gloss is not None:
        return mon
    return replace(
        mon,
        start=pre.start(),
        end=tail.end(),
        text=sent[pre.start() : tail.end()],
        high=None,
        high_inclusive=None,
        low_inclusive=False,
        qualifier="lower_bound",
    )


def _gloss_close(sent: str, end: int) -> int:
    return end + _paren_close(sent, end)


def _last_investor_in(ctx: _SentenceContext, lo: int, hi: int) -> str | None:
    cands = [
        m
        for m in ctx.mentions
        if ctx.start + lo <= m.start
        and m.end <= ctx.start + hi
        and ctx.etype.get(m.entity_id) in INVESTOR_TYPES
        and m.entity_id != ctx.focal
    ]
    if not cands or ctx.text[cands[-1].end : ctx.start + hi].strip(" ,"):
        return None
    return cands[-1].entity_id


def _stated_usd(sent: str, mon: moneylib.Money) -> dict:
    """The publisher's own conversion sets usd_* through the rate it implies."""
    gloss = mon.gloss
    native = mon.high if mon.high is not None else mon.low
    usd = gloss.high if gloss.high is not None else gloss.low
    if not native or not usd:
        return {}
    rate = usd / native
    start = _paren_start(sent, mon)
    return dict(
        usd_low=None if mon.low is None else mon.low * rate,
        usd_high=None if mon.high is None else mon.high * rate,
        usd_basis="stated",
        usd_rate=rate,
        stated_usd_text=sent[start : gloss.end + _paren_close(sent, gloss.end)],
    )


def _paren_start(sent: str, mon: moneylib.Money) -> int:
    idx = max(
        sent.rfind("(", mon.end, mon.gloss.start + 1),
        sent.rfind("（", mon.end, mon.gloss.start + 1),
    )
    return idx if idx >= 0 else mon.gloss.start


def _paren_close(sent: str, end: int) -> int:
    m = re.match(r"[^()（）]{0,3}[)）]", sent[end:])
    return m.end() if m else 0


def _contributor(
    ctx: _SentenceContext, before: str, lo: int, mon: moneylib.Money, after: str = ""
) -> str | None:
    """The investor whose own contribution this figure is ('X is committing $1bn', 'X: ~$1bn',
    'X led the round with a $500 million investment', 'X出资约100亿元')."""
    cands = [
        m
        for m in ctx.mentions
        if ctx.start + lo <= m.start
        and m.end <= ctx.start + mon.start
        and ctx.etype.get(m.entity_id) in INVESTOR_TYPES
        and m.entity_id != ctx.focal
    ]
    if not cands:
        return None
    last = cands[-1]
    if _RECIPIENT_BEFORE.search(ctx.text, max(ctx.start, last.start - 30), last.start):
        # 'Microsoft向OpenAI投资130亿美元': OpenAI receives; the giver is named before it
        givers = [
            m
            for m in ctx.mentions
            if ctx.start + lo <= m.start
            and m.end <= last.start
            and ctx.etype.get(m.entity_id) in INVESTOR_TYPES
            and m.entity_id != last.entity_id
        ]
        if not givers or not INVEST_VERB.search(ctx.text, last.end, ctx.start + mon.start):
            return None
        return givers[-1].entity_id
    gap = ctx.text[last.end : ctx.start + mon.start]
    gap = re.sub(r"^\s*[(（][^)）]{0,30}[)）]", "", gap)  # 'Liang Wenfeng (founder): ~20bn'
    if (len(gap) > 60 and not (len(gap) <= 100 and _CONTRIB_CLAUSE.search(gap))) or (
        VALUATION_CUE.search(gap)
    ):
        return None
    if re.fullmatch(r"\s*[:：]\s*(?:~|about|approximately|roughly|around|约|約|近)?\s*", gap):
        return last.entity_id
    if re.search(r"\bwith (?:a|an)\s*$", gap) and re.match(
        r"\s*(?:investment|check|cheque|commitment|contribution|ticket|stake)\b", after
    ):
        return last.entity_id
    # (a round cue in an earlier clause does not count: 'X洽谈参与本轮融资，有望出资2亿美元')
    clause = re.split(r"[，,；;]", gap)[-1]
    if _NOT_A_STAKE.search(clause):
        return None  # 'X计划未来五年投资约620亿元', 'X spent $2bn on compute': not a stake
    if _CONTRIB_VERB.search(gap) and not ROUND_CUE.search(re.sub(r"investment", "", clause)):
        return last.entity_id
    if _CONTRIB_CLAUSE.search(gap) and not _DISTRACTOR_NEXT.match(after):
        # 'ASML led the round and contributed €1.3 billion': the round cue is in the first
        # verb phrase; the figure is the object of the second one, the investor's own sum
        return last.entity_id
    if INVEST_VERB.search(gap) and not ROUND_CUE.search(re.sub(r"investment", "", gap)):
        if re.search(r"(?:投资方|投資方|融资|融資|投资的|估值)", gap):
            return None
        return last.entity_id
    return None


# 'provided $300 million of debt / in loans': not a stake in the round
_DISTRACTOR_NEXT = re.compile(
    r"\s*(?:(?:of|in)\s+)?(?:[\w-]+\s+){0,2}?(?:" + DISTRACTOR_CUE.pattern + ")", re.IGNORECASE
)
_CONTRIB_CLAUSE = re.compile(
    r"\b(?:and|,)\s+(?:has\s+|had\s+|will\s+|also\s+|itself\s+|already\s+|previously\s+)*"
    r"(?:contribut(?:ed|ing|es)|"
    r"invest(?:ed|ing|s)|commit(?:ted|ting|s)|put(?:ting|s)? in|chipp(?:ed|ing) in|pledg(?:ed|ing)|"
    r"inject(?:ed|ing)|provid(?:ed|ing))\s*$"
)
_RESPECTIVELY = _rx(r"\brespectively\b", r"分别", r"各自")


def _respectively(ctx: _SentenceContext, found: list[moneylib.Money]) -> dict[int, str]:
    """'A and B agreed to invest $5bn and $10bn respectively', 'A和B分别出资10亿元和5亿元': the
    i-th figure after a list of investors is the i-th investor's contribution."""
    for g in _groups(ctx):
        ids = list(dict.fromkeys(m.entity_id for m in g))
        if len(ids) < 2:
            continue
        gend = g[-1].end - ctx.start
        idxs = [i for i, f in enumerate(found) if f.start >= gend][: len(ids)]
        if len(idxs) != len(ids) or found[idxs[-1]].start - gend > 160:
            continue
        cue = _RESPECTIVELY.search(ctx.sentence, gend)
        if cue is None or cue.start() > found[idxs[-1]].end + 40:
            continue
        return {i: ids[k] for k, i in enumerate(idxs)}
    return {}


# A figure that is negated or corrected away ('$15 billion, not $20 billion', '而非200亿元'), or
# the basis of a computation ('按5000亿美元估值计算'), is no claim of its own; nor is a unit price.
_NOT_A_CLAIM_BEFORE = _rx(
    r"(?:^|[\s,(])(?:not|rather than|instead of|never)\s+(?:the\s+)?(?:reported\s+)?$",
    r"(?:而非|而不是|并非|並非|不是|按(?:照)?)\s*$",
)
_PER_UNIT_AFTER = re.compile(
    r"\s*(?:each|apiece|a (?:month|year|head|share|unit|piece)|per (?:month|year|unit|share|"
    r"robot|user|seat|head|piece|hour|GPU|chip))\b",
    re.IGNORECASE,
)
_FROM_AFTER = re.compile(r"\s*from\s+(?:the\s+)?")


def _source_after(ctx: _SentenceContext, mon: moneylib.Money, after: str) -> str | None:
    """'has drawn ¥1 billion from Fund X': the money comes from X (one investor's share), unless
    a round or valuation cue stands before the figure ('raised a $1bn round from X')."""
    m = _FROM_AFTER.match(after)
    if not m:
        return None
    at = ctx.start + (mon.gloss.end if mon.gloss is not None else mon.end)
    at = ctx.text.find("from", at, at + 40)
    if at < 0:
        return None
    at += 4
    for men in ctx.mentions:
        if men.start < at:
            continue
        if ctx.text[at : men.start].strip() not in ("", "the"):
            return None
        if ctx.etype.get(men.entity_id) in INVESTOR_TYPES and men.entity_id != ctx.focal:
            pre = ctx.sentence[max(0, mon.start - 25) : mon.start]
            if ROUND_CUE.search(pre) or VALUATION_CUE.search(pre):
                return None
            return men.entity_id
        return None
    return None


_NOT_A_STAKE = _rx(
    r"未来\s*[一二三四五六七八九十两\d]{1,2}\s*年", r"\bover the (?:next|coming)\b",
    r"开支|支出|现金", r"\bspen[dt]\w*", r"\bcash\b",
)
_CONTRIB_VERB = _rx(
    r"(?:出资|出資|注资|注資|投入)(?:了)?(?:约|約|近|超过|超過)?\s*$",
    # 'B则承诺最多100亿美元': a pledge followed straight by a sum is B's own commitment
    r"(?:承诺|承諾)(?:投资|投資|出资|出資)?\s*$",
    # '拟以自有资金1.5亿元参与X本轮增资': the party pays with its own funds
    r"以(?:其)?(?:自有|自筹|自籌)?(?:资金|現金|现金)(?:约|約|近|不超过|不超過)?\s*$",
)
_ANY_CUE = fast(re.compile(
    "|".join(f"(?:{rx.pattern})" for rx in (VALUATION_CUE, ROUND_CUE, DISTRACTOR_CUE, INVEST_VERB)),
    re.IGNORECASE,
))


_CUE_COMMA = re.compile(r"[,，;；]")


def _money_predicate(before: str, after: str) -> str | None:
    return _predicate_and_cue(before, after)[0]


def _predicate_and_cue(
    before: str, after: str, next_figure: bool = False
) -> tuple[str | None, str]:
    """Nearest valuation/round cue to the figure, never crossing another figure; a cue after the
    figure binds less than one before it, and much less across a comma ('…of $1 billion, it was
    valued at …'). Returns the predicate and the cue as printed."""
    best: tuple[int, str | None, str] | None = None
    # a cue farther than 90 characters never binds: scan only the near ends of the stretch
    before, after = before[-220:], after[:220]
    comma = _CLAUSE_COMMA.search(after)
    for predicate, rx in (
        (None, DISTRACTOR_CUE),
        ("round_amount", ROUND_CUE),
        ("valuation", VALUATION_CUE),
    ):
        for m in rx.finditer(before):
            dist = len(before) - m.end()
            if _CUE_COMMA.search(before, m.end()):
                dist += 40  # '$1bn valuation, $300m raise': a comma parts a cue from the figure
            if best is None or dist < best[0]:
                best = (dist, predicate, m.group(0))
        m = rx.search(after)
        if m and next_figure and len(after) - m.end() <= 8 and not after[m.end() :].strip(" of"):
            m = None  # '$2 billion at a valuation of $32 billion': the cue is the next figure's
        if m:
            dist = m.start() + 2
            if comma and comma.start() < m.start():
                dist += 40
            if best is None or dist < best[0]:
                best = (dist, predicate, m.group(0))
    if best is None or best[0] > 90:
        return None, ""
    if best[1] == "valuation" and best[2].lower() == "worth":
        # 'worth' values the company, not 'a stake / contracts / commitments worth $X'
        at = before.lower().rfind("worth")
        if at >= 0 and _WORTH_NOT_COMPANY.search(before, max(0, at - 50), at):
            return None, ""
    return best[1], best[2]


_WORTH_NOT_COMPANY = fast(re.compile(
    r"\b(?:net|personal)\s+$|"  # a person's 'net worth'
    r"\b(?:stakes?|contracts?|commitments?|orders?|holdings?|agreements?|purchases?|shares|"
    r"options|deals? with \w+)\s+(?:[\w-]+\s+){0,3}$",
    re.IGNORECASE,
))


_NOT_SUBJECT_BEFORE = _rx(
    r"\b(?:owned|backed|funded|run|founded|co-founded|controlled|started|created|led|spun out) "
    r"by\s+(?:[\w-]+\s+){0,2}$",
    r"\bparent\s+$",
    r"\bspun (?:out|off) (?:of|from)\s+$",
    r"\bunder\s+$",
    r"\bfrom\s+$",
    r"\blike\s+$",
    r"\bsuch as\s+$",
    r"\bthan\s+$",
    r"\bformer\s+$",
    r"\bex-$",
)
_TALKS_WITH = _rx(r"(?:与|和|跟|同)[^，。；,;]{0,24}$")
_TALKS_VERB = _rx(r"^[^，。；,;]{0,24}?(?:洽谈|商谈|谈判|磋商|接洽|商讨)")
_MODIFIER_AFTER = re.compile(
    r"^(?:'s|’s)?\s+(?:former\s+)?(?:(?:technology|research|science|product|finance|operating|"
    r"technical|marketing)\s+)?(?:chief|researchers?|executives?|engineers?|employees?|staff|"
    r"alumni|veterans?|co-?founders?|founders?|scientists?|president|CEO|CTO|head|models?|"
    r"processors?|chips?|GPUs?|cloud|app|chatbot)\b"
)


def _money_subject(
    ctx: _SentenceContext,
    before: str,
    lo: int,
    investors: set[str | None],
    mon: moneylib.Money | None = None,
) -> str | None:
    """A company this stretch of the sentence attaches the figure to; else the sentence's own
    subject when it is a company named before the figure; else None (→ topic/focal)."""

    def ok(m: Match) -> bool:
        if ctx.etype.get(m.entity_id) not in SUBJECT_TYPES or m.entity_id in investors:
            return False
        pre = ctx.text[max(ctx.start, m.start - 30) : m.start]
        post = ctx.text[m.end : m.end + 30]
        if _NOT_SUBJECT_BEFORE.search(pre) or _MODIFIER_AFTER.match(post):
            return False
        # 'X 正与腾讯及阿里巴巴洽谈融资': the parties X is in talks with are not the subject
        return not (_TALKS_WITH.search(pre) and _TALKS_VERB.match(post))

    cut = ctx.start + lo + len(before)
    cands = [m for m in ctx.mentions if ctx.start + lo <= m.start and m.end <= cut and ok(m)]
    if cands:
        return cands[-1].entity_id
    heads = [m for m in ctx.mentions if m.end <= cut and ok(m)]
    if heads and heads[0].start - ctx.start < 40:
        return heads[0].entity_id
    return None


def _time_frame(
    before: str, after: str, sentence_earlier: bool, published: str | None = None
) -> str:
    near = before[-90:] + " " + after[:40]
    if EARLIER_CUE.search(near) or sentence_earlier or _past_date(near, published):
        return "earlier"
    if TARGET_CUE.search(near):
        return "target"
    if FORECAST_CUE.search(near):
        return "forecast"
    return "current"


# ---------------------------------------------------------------------------------------------
_STATUS_ANY = fast(re.compile(
    "|".join(f"(?:{rx.pattern})" for _, rx in STATUS_CUES), re.IGNORECASE
))


def _status_claims(ctx: _SentenceContext, subject: str | None = None) -> list[Claim]:
    """The round's status ('in talks', 'closed', 'denied'), for the company the sentence's
    funding claims are about (else the focal company)."""
    subject = subject or ctx.focal
    if subject is None:
        return []
    sent = ctx.sentence
    if not ctx.has(_STATUS_ANY):
        return []
    for status, rx in STATUS_CUES:
        m = rx.search(sent)
        if not m:
            continue
        if status == "closed" and not (ctx.has(ROUND_CUE) or ctx.has(VALUATION_CUE)):
            continue
        if status == "denied" and not (ctx.has(ROUND_CUE) or ctx.has(REPORTED_CUE)):
            continue
        return [
            ctx.claim(
                "round_status",
                subject,
                status=status,
                value_text=m.group(0),
                value_start=ctx.start + m.start(),
                value_end=ctx.start + m.end(),
            )
        ]
    return []


_MONTHS = {
    m: i
    for i, m in enumerate(
        [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ],
        1,
    )
}
_RELEASE = _rx(
    r"\b(?:released|launched|unveiled|debuted|rolled out|introduced|shipped)\b",
    r"\bis released\b",
    r"发布",
    r"推出",
    r"上线",
)
_DATE_IN = re.compile(
    r"\b(?:in\s+)?(January|February|March|April|May|June|July|August|September|"
    r"October|November|December)\s+((?:19|20)\d\d)\b|\b((?:19|20)\d\d)-(\d\d)\b|"
    r"((?:19|20)\d\d)年(\d{1,2})月"
)


_FOUNDED_HINT = re.compile(r"found|成立|创立|創立|创办|創辦")


def _context_claims(ctx: _SentenceContext, line_date: str | None) -> list[Claim]:
    """founded / founder / product_release — background facts checked against reference facts."""
    sent = ctx.sentence
    out: list[Claim] = []
    products = [m for m in ctx.mentions if ctx.etype.get(m.entity_id) == "product"]
    if not products and not _FOUNDED_HINT.search(sent):
        return out
    date = line_date
    dm = _DATE_IN.search(sent)
    if dm:
        if dm.group(1):
            date = f"{dm.group(2)}-{_MONTHS[dm.group(1).lower()]:02d}"
        elif dm.group(3):
            date = f"{dm.group(3)}-{dm.group(4)}"
        else:
            date = f"{dm.group(5)}-{int(dm.group(6)):02d}"
    if products and date and _RELEASE.search(sent) and ctx.focal:
        prod = products[0]
        out.append(
            ctx.claim(
                "product_release",
                ctx.focal,
                object_id=prod.entity_id,
                date_value=date,
                value_text=prod.surface,
                value_start=prod.start,
                value_end=prod.end,
            )
        )
    fm = re.search(r"\b(?:was |is )?founded\b|成立于|创立于|创办", sent)
    if fm and ctx.focal:
        people = [
            m
            for m in ctx.mentions
            if ctx.etype.get(m.entity_id) == "person" and m.start > ctx.start + fm.start()
        ]
        if date or re.search(r"(?:19|20)\d\d", sent):
            year = date or re.search(r"(?:19|20)\d\d", sent).group(0)
            out.append(
                ctx.claim(
                    "founded",
                    ctx.focal,
                    date_value=year,
                    value_text=fm.group(0),
                    value_start=ctx.start + fm.start(),
                    value_end=ctx.start + fm.end(),
                )
            )
        if people and re.search(r"founded by|创始人|由", sent[fm.start() : fm.end() + 12]):
            out.append(ctx.claim("founder", ctx.focal, object_id=people[0].entity_id))
    return out


# ---------------------------------------------------------------------------------------------
_ROLE_RANK = {
    "lead": 0,
    "participant": 1,
    "in_talks": 2,
    "considering": 3,
    "existing": 4,
    "unspecified": 5,
    None: 6,
}


_FRAMES = ("current", "earlier", "target", "forecast")


def _dedupe(claims: list[Claim]) -> list[Claim]:
    """One claim per fact per article: the first evidence wins; for investors, the most
    specific role (a later 'led by' upgrades an earlier 'in talks')."""
    out: dict[tuple, Claim] = {}
    for c in claims:
        if c.predicate == "investor":
            key: tuple = (c.predicate, c.subject_id, c.object_id)
        elif c.predicate == "round_status":
            key = (c.predicate, c.subject_id, c.status)
        else:
            key = (
                c.predicate,
                c.subject_id,
                c.object_id,
                c.currency,
                _r(c.amount_low),
                _r(c.amount_high),
                # '$7B' and 'about $7B' are one normalised value (a bound is another)
                "exact" if c.qualifier == "approximate" else c.qualifier,
                c.time_frame,
                c.date_value,
            )
        if c.predicate in ("valuation", "round_amount", "investment_amount"):
            # a figure restated without its time cue ('At 50 billion yuan, the round would be
            # …' after 'is seeking 50 billion yuan') is the same fact: one fact per figure
            other = next((k for k in (key[:7] + (tf,) + key[8:] for tf in _FRAMES)
                          if k != key and k in out and "current" in (k[7], key[7])), None)
            if other is not None:
                have = out.pop(other)
                keep = c if have.attributed_to is None and c.attributed_to else have
                frame = have.time_frame if have.time_frame != "current" else c.time_frame
                out[key[:7] + (frame,) + key[8:]] = replace(keep, time_frame=frame)
                continue
        have = out.get(key)
        if have is None:
            out[key] = c
        elif c.predicate != "investor" and have.attributed_to is None and c.attributed_to:
            out[key] = c  # keep the instance that says whose figure it is
        elif c.predicate == "investor":
            now, was = c.time_frame != "earlier", have.time_frame != "earlier"
            if now and not was:
                out[key] = c  # the current round's role beats an earlier one
            elif now == was and _ROLE_RANK[c.role] < _ROLE_RANK[have.role]:
                out[key] = replace(have, role=c.role)
    for k, c in out.items():
        if c.predicate == "investor" and c.role is None:
            out[k] = replace(c, role="participant")
    return sorted(out.values(), key=lambda c: (c.evidence_start, c.value_start or 0, c.claim_id))


def _restate_weak(claims: list[Claim], weak: set[str], sid: str) -> list[Claim]:
    if not weak:
        return claims
    vals = {
        (c.subject_id, c.currency, _r(c.amount_low), _r(c.amount_high))
        for c in claims
        if c.predicate == "valuation"
    }
    points = {(s, cur, v) for s, cur, lo, hi in vals for v in (lo, hi) if v is not None}
    out = []
    for c in claims:
        if c.claim_id in weak:
            figure = c.amount_low if c.amount_low is not None else c.amount_high
            if (c.subject_id, c.currency, _r(figure)) in points:
                cid = stable_id("c", sid, "valuation", c.subject_id, None, c.value_start,
                                c.value_end)
                c = replace(c, predicate="valuation", claim_id=cid)
        out.append(c)
    return out


def _r(x: float | None) -> float | None:
    return None if x is None else round(x, 6)


def _convert_usd(c: Claim, published: str | None) -> None:
    if c.currency is None or (c.amount_low is None and c.amount_high is None):
        return
    if c.currency == "USD":
        c.usd_low, c.usd_high, c.usd_basis, c.usd_rate = c.amount_low, c.amount_high, "native", 1.0
        return
    if c.usd_basis == "stated":
        return
    from .fx import to_usd

    conv_low = to_usd(c.amount_low, c.currency, published) if c.amount_low is not None else None
    conv_high = to_usd(c.amount_high, c.currency, published) if c.amount_high is not None else None
    conv = conv_low or conv_high
    if conv is None:
        return
    c.usd_low = conv_low.usd if conv_low else None
    c.usd_high = conv_high.usd if conv_high else None
    c.usd_basis, c.usd_rate, c.usd_rate_date = "reference_rate", conv.rate, conv.rate_date
