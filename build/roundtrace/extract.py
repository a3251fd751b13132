"""Extract: mentions, citations and claims from one article, each anchored to exact offsets.

The rules read sentence structure rather than the seeds' wording: a money expression is typed
by the nearest cue inside its own stretch of the sentence (never across another figure); its
subject is the company the sentence attaches it to, else the article's focal company; investors
come from lists of entities joined by list separators, typed by the words just before and after
the list. Everything per sentence, so the cost is linear in the article length.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace

from . import money as moneylib
from .ids import slugify, stable_id
from .ingest import Article
from .registry import Entity, Match, Registry
from .text import sentence_spans

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
# cue vocabularies (English + Chinese); each is matched case-insensitively
def _rx(*alts: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{a})" for a in alts), re.IGNORECASE)


VALUATION_CUE = _rx(
    r"\bvaluations?\b",
    r"\bvalued\b",
    r"\bvaluing\b",
    r"\bvalue[sd]?\b(?! chain)",
    r"\bworth\b",
    r"\bpric(?:e|es|ed|ing)\s+(?:the\s+)?(?:company|startup|start-up|firm|lab|it|them)\b",
    r"\bpost-money\b",
    r"\bpre-money\b",
    r"\bprice tag\b",
    r"估值",
    r"投后",
    r"投前",
    r"身价",
)
ROUND_CUE = _rx(
    r"\bround\b",
    r"\braise[sd]?\b",
    r"\braising\b",
    r"\bfundrais\w*",
    r"\bfunding\b",
    r"\bfinancing\b",
    r"\bcapital (?:injection|infusion|raise)\b",
    r"\binjection\b",
    r"\binfusion\b",
    r"\bto secure\b",
    r"\bsecured\b",
    r"\binvestment\b",
    r"\bcheck\b",
    r"融资",
    r"募资",
    r"募集",
    r"筹集",
    r"筹资",
    r"融得",
    r"轮",
)
INVEST_VERB = _rx(
    r"\bcommit(?:s|ted|ting)?\b",
    r"\bcontribut\w+",
    r"\binvest(?:s|ed|ing)?\b",
    r"\bput(?:s|ting)? in\b",
    r"\binject\w*",
    r"\bprovid\w+",
    r"\bchip(?:s|ped|ping)? in\b",
    r"\bpledg\w+",
    r"\bwrite a\b",
    r"出资",
    r"投资",
    r"注资",
    r"投入",
    r"认购",
)
DISTRACTOR_CUE = _rx(
    r"\brevenue\w*",
    r"\bsales\b",
    r"\bprofits?\b",
    r"\bcosts?\b",
    r"\bspen[dt]\w*",
    r"\bbudget\w*",
    r"\bmarket (?:cap|value|capitali[sz]ation)\b",
    r"\bfines?\b",
    r"\blosses\b",
    r"\bincome\b",
    r"\bsalar\w+",
    r"\bcapex\b",
    r"\bdebt\b",
    r"\bloan\b",
    r"\bbond\b",
    r"\bpay\w*\b",
    r"营收",
    r"收入",
    r"利润",
    r"成本",
    r"市值",
    r"营业额",
    r"亏损",
)
EARLIER_CUE = _rx(
    r"\bearlier\b",
    r"\bpreviously\b",
    r"\bprevious\b",
    r"\bago\b",
    r"\blast year\b",
    r"\binitially\b",
    r"\boriginally\b",
    r"\bprior\b",
    r"\bbefore\b",
    r"\bhad (?:pegged|valued)\b",
    r"\bpegged\b",
    r"\bup from\b",
    r"\bat the time\b",
    r"\bin 20[12]\d\b(?=[^.]*\bvalued\b)",
    r"此前",
    r"之前",
    r"去年",
    r"上一轮",
    r"早前",
    r"原先",
)
CURRENT_CUE = _rx(
    r"\bnow\b", r"\btoday\b", r"\bcurrently\b", r"\blatest\b", r"\bnew\b", r"目前", r"最新"
)
TARGET_CUE = _rx(
    r"\bseek\w*",
    r"\btarget\w*",
    r"\bgoal\b",
    r"\baim\w*",
    r"\bhop(?:e|es|ing) to\b",
    r"\blooking to\b",
    r"\bplan(?:s|ned|ning)? to raise\b",
    r"\bwants? to\b",
    r"\bintends? to\b",
    r"\bambition\b",
    r"寻求",
    r"目标",
    r"计划融资",
    r"拟融资",
    r"希望",
)
FORECAST_CUE = _rx(
    r"\bforecast\w*", r"\bproject(?:ed|ion)s?\b", r"\bby 20\d\d\b", r"预测", r"预计到"
)
DENIED_CUE = _rx(
    r"\bden(?:y|ies|ied)\b",
    r"\bdismiss\w*",
    r"\brefut\w*",
    r"\bnot true\b",
    r"\bfalse\b",
    r"否认",
    r"辟谣",
    r"不实",
)
SPECULATIVE_CUE = _rx(
    r"\bcould\b",
    r"\bmay\b",
    r"\bmight\b",
    r"\bpossibl\w*",
    r"\bpotential\w*",
    r"\brumou?r\w*",
    r"\bspeculat\w*",
    r"\bweighing\b",
    r"\bconsidering\b",
    r"\bmulling\b",
    r"传闻",
    r"传言",
    r"或将",
    r"可能",
    r"或许",
    r"考虑",
)
REPORTED_CUE = _rx(
    r"\breportedly\b",
    r"\baccording to\b",
    r"\breports?\b",
    r"\breported\b",
    r"\bsources?\b",
    r"\bfamiliar with\b",
    r"\bsaid to\b",
    r"\bis said\b",
    r"\bciting\b",
    r"\bin talks\b",
    r"\bin (?:advanced |early |final )?"
    r"(?:talks|discussions|negotiations)\b",
    r"\bnegotiat\w+",
    r"据悉",
    r"据报道",
    r"报道",
    r"知情人士",
    r"消息人士",
    r"援引",
    r"洽谈",
    r"谈判",
)
EXPECTED_CUE = _rx(
    r"\bexpected\b",
    r"\bwould\b",
    r"\bwill\b",
    r"\bplans? to\b",
    r"\bpoised\b",
    r"\bset to\b",
    r"\bon track\b",
    r"\bon the verge\b",
    r"\bslated\b",
    r"\blikely\b",
    r"预计",
    r"将",
    r"有望",
    r"拟",
)

STATUS_CUES: list[tuple[str, re.Pattern[str]]] = [
    ("denied", DENIED_CUE),
    (
        "closed",
        _rx(
            r"\b(?:closed|completed|finali[sz]ed|announced)\b(?:\s+\w+){0,4}\s+"
            r"(?:round|funding|financing|investment|raise)",
            r"\bhas raised\b",
            r"\braised\b",
            r"完成(?:了)?[^。，,]{0,12}融资",
            r"宣布完成",
        ),
    ),
    ("term_sheet", _rx(r"\bterm sheet\b", r"投资意向书", r"条款清单")),
    (
        "final_negotiations",
        _rx(
            r"\bfinal (?:negotiations|talks|stages?)\b",
            r"\bon the verge\b",
            r"\bnearing a deal\b",
            r"\bclose to (?:a deal|finali[sz]ing)\b",
            r"接近完成",
            r"最后阶段",
        ),
    ),
    (
        "advanced_talks",
        _rx(r"\badvanced (?:talks|discussions|negotiations)\b", r"深入洽谈", r"深度洽谈"),
    ),
    (
        "talks",
        _rx(
            r"\bin (?:early |preliminary )?(?:talks|discussions|negotiations)\b",
            r"\bnegotiating\b",
            r"\bin talks\b",
            r"洽谈",
            r"谈判",
            r"商谈",
            r"接洽",
        ),
    ),
]

LIST_SEP = re.compile(
    r"\s*(?:,|，|、|/|&|\band\b|\bor\b|和|及|与|以及|\bas well as\b|\bplus\b|\balong with\b|"
    r"\btogether with\b)(?:\s*(?:,|\band\b))?\s*((?:the\s+)?(?:[a-z][\w-]*\s+){0,3})?$"
)

ROLE_BEFORE: list[tuple[str, re.Pattern[str]]] = [
    (
        "lead",
        _rx(
            r"\b(?:co-)?led by\s+(?:the\s+)?$",
            r"\bheaded by\s+$",
            r"\bspearheaded by\s+$",
            r"\blead investors?,?\s+(?:including\s+|such as\s+)?$",
            r"由\s*$",
        ),
    ),
    (
        "existing",
        _rx(
            r"\bexisting (?:investors?|backers?|shareholders?)[,:]?\s*(?:including\s+|"
            r"such as\s+|like\s+)?(?:the\s+)?$",
            r"\bbacked by\s+(?:the\s+)?$",
            r"\bearlier (?:investors?|backers?)\s+(?:including\s+|such as\s+)?$",
            r"老股东\s*$",
            r"现有股东\s*$",
        ),
    ),
    (
        "participant",
        _rx(
            r"\b(?:investors?|backers?|participants?|roster|names|investment)\s*"
            r"(?:that\s+)?(?:include|includes|included|including|such as|like|are|were)\s*:?\s*"
            r"(?:the\s+)?$",
            r"\b(?:participation|investments?|funding|capital|backing|money|commitments?)\s+from\s+"
            r"(?:the\s+)?$",
            r"\bjoined by\s+(?:the\s+)?$",
            r"\balongside\s+(?:the\s+)?$",
            r"\binvolving\s+(?:the\s+)?"
            r"(?:[\w-]+\s+){0,2}$",
            r"\bwith\s+(?:the\s+)?$",
            r"(?:投资方|投资者|投资人|股东|参投方)(?:包括|有|为|是)\s*$",
            r"包括\s*$",
        ),
    ),
    ("in_talks", _rx(r"\b(?:talks|discussions|negotiations) with\s+(?:the\s+)?$", r"与\s*$")),
]
_HEDGE_INFIX = (
    r"(?:\s+(?:are|is|were|was|have|has|had|also|reportedly|both|each|now|still|"
    r"currently|all|said to be|understood to be|also))*"
)
ROLE_AFTER: list[tuple[str, re.Pattern[str]]] = [
    (
        "lead",
        _rx(
            r"^" + _HEDGE_INFIX + r"\s*(?:will |would |to |is set to |are set to )?"
            r"(?:co-)?lead(?:s|ing)?\b",
            r"^" + _HEDGE_INFIX + r"\s*(?:co-)?led\b",
            r"^,?\s*(?:which|who) (?:is|are|will be) leading",
            r"^\s*as (?:the )?lead",
            r"^\s*(?:将|已)?(?:领投|牵头|领衔)",
        ),
    ),
    (
        "in_talks",
        _rx(
            r"^" + _HEDGE_INFIX + r"\s*(?:in|held|holding|entered|in the)\s+"
            r"(?:advanced |early |preliminary |final |late-stage )?"
            r"(?:talks|discussions|negotiations)",
            r"^" + _HEDGE_INFIX + r"\s*(?:negotiating|discussing|in talks)",
            r"^\s*(?:正在|正|已)?(?:洽谈|商谈|谈判|接洽|磋商)",
        ),
    ),
    (
        "considering",
        _rx(
            r"^" + _HEDGE_INFIX + r"\s*(?:weighing|considering|mulling|exploring|"
            r"eyeing|eye|eyes|looking at|contemplating|interested in)",
            r"^\s*(?:正在|正)?(?:考虑|有意|拟)",
        ),
    ),
    (
        "existing",
        _rx(
            r"^,?\s*(?:which|who)\s+(?:has|have|had)\s+(?:already\s+)?"
            r"(?:invested|backed|funded)",
            r"^" + _HEDGE_INFIX + r"\s*(?:already\s+)?(?:invested|backed)\s+in\b",
            r"^\s*(?:此前|已)(?:投资|入股)",
        ),
    ),
    (
        "participant",
        _rx(
            r"^"
            + _HEDGE_INFIX
            + r"\s*(?:also\s+)?(?:participated|participating|participate|joined|"
            r"joining|took part|taking part|invested|investing|will invest|plan to invest|plans to "
            r"invest|to invest|committing|committed|contributing|contributed|putting in|poised to|"
            r"chipped in|backing|backed the round)",
            r"^\s*(?:也|亦|将)?(?:参投|跟投|参与|入股|投资|出资|认购|加注)",
        ),
    ),
]


# ---------------------------------------------------------------------------------------------
def extract(article: Article, registry: Registry) -> Extraction:
    text = article.body
    sid = article.source_id
    lang = article.language
    ents = registry.entities
    matches = registry.find(text)
    discovered: dict[str, Entity] = {}
    matches = _discover(text, matches, registry, discovered)
    etype = {**{k: v.type for k, v in ents.items()}, **{k: v.type for k, v in discovered.items()}}

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
    focal = _focal_company(text, matches, etype, spans)
    citations = _citations(text, sid, matches, etype, spans, registry, discovered)
    primary = _primary_citation(citations, etype)
    claims: list[Claim] = []
    prev_line_date: str | None = None
    for s_start, s_end in spans:
        sent = text[s_start:s_end]
        in_sent = [m for m in matches if s_start <= m.start and m.end <= s_end]
        ctx = _SentenceContext(text, s_start, s_end, in_sent, etype, focal, sid, lang)
        ctx.citation = next((c for c in citations if s_start <= c.evidence_start < s_end), None)
        ctx.primary = primary
        investors = _investor_claims(ctx)
        claims.extend(investors)
        claims.extend(_money_claims(ctx, {c.object_id for c in investors}))
        claims.extend(_status_claims(ctx))
        claims.extend(_context_claims(ctx, prev_line_date))
        date_line = re.fullmatch(r"\s*((?:19|20)\d\d(?:-\d\d){0,2})\s*", sent)
        prev_line_date = date_line.group(1) if date_line else None
    claims = _dedupe(claims)
    for c in claims:
        c.published = article.published
        _convert_usd(c, article.published)
    return Extraction(sid, mentions, citations, claims, list(discovered.values()), focal)


# ---------------------------------------------------------------------------------------------
@dataclass
class _SentenceContext:
    text: str
    start: int
    end: int
    mentions: list[Match]
    etype: dict[str, str]
    focal: str | None
    sid: str
    lang: str
    citation: Citation | None = None
    primary: Citation | None = None

    @property
    def sentence(self) -> str:
        return self.text[self.start : self.end]

    def claim(self, predicate: str, subject: str, **kw) -> Claim:
        sent = self.sentence
        hedges = _hedges(sent)
        attributed, attribution_text = self.attribution()
        certainty = _certainty(sent, attributed is not None)
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

    def attribution(self) -> tuple[str | None, str | None]:
        cite = self.citation or self.primary
        if cite is None:
            return None, None
        return cite.party_id, cite.evidence


def _hedges(sentence: str) -> list[str]:
    found: list[str] = []
    for rx in (REPORTED_CUE, SPECULATIVE_CUE, EXPECTED_CUE, DENIED_CUE):
        for m in rx.finditer(sentence):
            cue = m.group(0)
            if cue.lower() not in (f.lower() for f in found):
                found.append(cue)
    return found


def _certainty(sentence: str, attributed: bool) -> str:
    if DENIED_CUE.search(sentence):
        return "denied"
    if SPECULATIVE_CUE.search(sentence):
        return "speculative"
    if REPORTED_CUE.search(sentence) or attributed:
        return "reported"
    if EXPECTED_CUE.search(sentence):
        return "expected"
    return "confirmed"


# ---------------------------------------------------------------------------------------------
_NAME = r"(?:[A-Z][\w&'’.-]*[\w&]|[A-Z])(?:\s+(?:[A-Z][\w&'’.-]*[\w&]|of|&|and Co\.?|de))*"
_NAME_STOP = {
    "The",
    "A",
    "An",
    "It",
    "Its",
    "This",
    "That",
    "These",
    "Those",
    "In",
    "On",
    "At",
    "For",
    "According",
    "Chinese",
    "China",
    "US",
    "U.S.",
    "American",
    "Western",
    "Beijing",
    "Shanghai",
    "Hangzhou",
    "Shenzhen",
    "Hong Kong",
    "Today",
    "However",
    "Meanwhile",
    "Sources",
    "Both",
    "Investors",
    "Reports",
    "Report",
    "AI",
    "Also",
    "But",
    "And",
    "Or",
    "He",
    "She",
    "They",
    "We",
}
_DISCOVER_INVESTOR = [
    re.compile(r"\b(?:co-)?led by (?:the )?(" + _NAME + r")"),
    re.compile(
        r"\b(?:investors|backers) (?:including|such as|like|include) (?:the )?(" + _NAME + r")"
    ),
    re.compile(r"\bparticipation from (?:the )?(" + _NAME + r")"),
    re.compile(
        r"(?:^|[,;] |\. )("
        + _NAME
        + r") (?:is|are|was|were) (?:reportedly )?(?:in (?:advanced |early |final )?"
        r"(?:talks|discussions|negotiations)|weighing|considering|leading|participating)"
    ),
]
_DISCOVER_CITED = [
    re.compile(
        r"\baccording to (?:a |an |the )?(?:(?:new |recent |exclusive )?"
        r"(?:report|reports|reporting|story|article)s? (?:by|from|in) )?(?:the )?("
        + _NAME
        + r")"
    ),
    re.compile(r"\bciting (?:a |an )?(?:report (?:by|from|in) )?(?:the )?(" + _NAME + r")"),
    re.compile(r"\b(?:surfaced |published )?via (" + _NAME + r")"),
    re.compile(r"(?:^|\. )(" + _NAME + r") (?:reported|reports|first reported|said|wrote)\b"),
]
_FUNDISH = re.compile(
    r"(Capital|Ventures?|Partners|Fund|Investments?|Holdings|Management|"
    r"Group|Securities|资本|基金|投资)\b"
)


def _discover(
    text: str, matches: list[Match], registry: Registry, discovered: dict[str, Entity]
) -> list[Match]:
    """Names outside the registry that stand where an investor or a cited party stands."""
    taken = [(m.start, m.end) for m in matches]
    extra: list[Match] = []
    for patterns, kind in ((_DISCOVER_INVESTOR, "investor"), (_DISCOVER_CITED, "cited")):
        for rx in patterns:
            for m in rx.finditer(text):
                for name, start in _split_names(m.group(1), m.start(1)):
                    end = start + len(name)
                    if name in _NAME_STOP or len(name) < 2:
                        continue
                    if any(a < end and start < b for a, b in taken):
                        continue
                    eid = "x-" + slugify(name)
                    if eid not in registry.entities and eid not in discovered:
                        etype = (
                            "publication"
                            if kind == "cited"
                            else ("fund" if _FUNDISH.search(name) else "organization")
                        )
                        discovered[eid] = Entity(eid, name, etype, [], curated=False)
                    if eid in registry.entities:
                        continue
                    extra.append(Match(start, end, eid, name))
                    taken.append((start, end))
    return sorted([*matches, *extra], key=lambda m: m.start)


def _split_names(group: str, offset: int) -> list[tuple[str, int]]:
    out = []
    pos = 0
    for part in re.split(r"(\s+and\s+|,\s*)", group):
        if part and not re.fullmatch(r"\s+and\s+|,\s*", part):
            name = part.strip()
            # drop a trailing stop word like "Group reported" leftovers
            lead = part.index(name[0]) if name else 0
            out.append((name, offset + pos + lead))
        pos += len(part)
    return [(n, o) for n, o in out if n]


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
    r"^\s*(?:的)?(?:估值|融资|完成|宣布|正在融资|拟融资)",
)


def _focal_company(
    text: str, matches: list[Match], etype: dict[str, str], spans: list[tuple[int, int]]
) -> str | None:
    """The company the article is about: named in funding-target positions, early and often."""
    score: Counter[str] = Counter()
    first_end = spans[0][1] if spans else 0
    for m in matches:
        if etype.get(m.entity_id) not in SUBJECT_TYPES:
            continue
        score[m.entity_id] += 1
        if m.start < first_end:
            score[m.entity_id] += 2
        before = text[max(0, m.start - 30) : m.start]
        after = text[m.end : m.end + 40]
        if _INVESTEE_BEFORE.search(before) or _INVESTEE_AFTER.search(after):
            score[m.entity_id] += 4
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
    (
        "original_source",
        _rx(r"\boriginal source:\s*$", r"\bsource:\s*$", r"来源[:：]\s*$", r"^\W{0,3}$"),
        "after",
    ),
    ("according_to", _rx(r"据\s*$", r"根据\s*$"), "after"),
    (
        "reported",
        _rx(
            r"^(?:'s|’s)?\s*(?:first\s+|also\s+|previously\s+|exclusively\s+)?"
            r"(?:reported|reports|has reported|had reported|wrote|writes|broke the news)\b",
            r"^\s*(?:报道|报导|消息称|获悉|独家)",
        ),
        "before",
    ),
    (
        "said",
        _rx(
            r"^,?\s*(?:said|say|says|told|indicate[sd]?|suggest(?:ed|s)?|noted|added)\b",
            r"^\s*(?:表示|称|透露|说)",
        ),
        "before",
    ),
]
_BARE_SOURCES = _rx(
    r"\b(?:sources|insiders|people)\s+(?:close to|familiar with|briefed on|with "
    r"knowledge of)\b[^.,;]*",
    r"\b(?:sources|insiders)\s+(?:said|say|says|indicate[sd]?"
    r"|told|suggest\w*)\b",
)


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
        after = text[m.end : m.end + 40]
        for cue, rx, side in _CITE_PATTERNS:
            if side == "after":
                hit = rx.search(before)
                if hit and (cue != "original_source" or etype[m.entity_id] == "publication"):
                    if cue == "original_source" and hit.group(0) and not before.strip():
                        pass
                    add(m.entity_id, cue, max(line_start, m.start - 80) + hit.start(), m.end)
                    break
            else:
                hit = rx.search(after)
                if hit and (etype[m.entity_id] in ("publication", "anonymous") or cue == "said"):
                    add(m.entity_id, cue, m.start, m.end + hit.end())
                    break
        else:
            if etype[m.entity_id] == "anonymous":
                add(m.entity_id, "said", m.start, m.end)
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
def _groups(ctx: _SentenceContext) -> list[list[Match]]:
    """Runs of investor-type entities joined by list separators ('A, B and C', 'A、B和C')."""
    groups: list[list[Match]] = []
    for m in ctx.mentions:
        if ctx.etype.get(m.entity_id) not in INVESTOR_TYPES:
            continue
        if groups:
            prev = groups[-1][-1]
            between = ctx.text[prev.end : m.start]
            if LIST_SEP.fullmatch(between) or between in ("", " "):
                groups[-1].append(m)
                continue
        groups.append([m])
    return groups


def _role_for(ctx: _SentenceContext, group: list[Match]) -> str | None:
    before = ctx.text[max(ctx.start, group[0].start - 70) : group[0].start]
    after = ctx.text[group[-1].end : min(ctx.end, group[-1].end + 90)]
    after = re.sub(r"^\s*(?:Holdings|Group|Ltd\.?|Inc\.?)\b", "", after)
    after = re.sub(r"^\s*\([^)]{0,40}\)", "", after)  # "(with its Hunyuan model)"
    for role, rx in ROLE_AFTER:
        if rx.search(after):
            if role == "in_talks" and re.match(r"^\W*(?:to lead|about leading)", after[30:]):
                return "lead"
            return role
    for role, rx in ROLE_BEFORE:
        if rx.search(before):
            return role
    return None


def _investor_claims(ctx: _SentenceContext) -> list[Claim]:
    claims: list[Claim] = []
    for group in _groups(ctx):
        role = _role_for(ctx, group)
        if role is None:
            continue
        subjects = _investees_after(ctx, group) or ([ctx.focal] if ctx.focal else [])
        for m in group:
            for subject in subjects:
                if m.entity_id == subject:
                    continue
                claims.append(ctx.claim("investor", subject, object_id=m.entity_id, role=role))
    return claims


def _investees_after(ctx: _SentenceContext, group: list[Match]) -> list[str]:
    """'X has invested in A and B' / 'X invested in startups like A' → [A, B]."""
    tail_start = group[-1].end
    window = ctx.text[tail_start : min(ctx.end, tail_start + 160)]
    hit = re.search(r"\b(?:invested|backed|invest(?:ing)?|stakes?)\s+in\b|投资(?:了)?", window)
    if not hit:
        return []
    cut = tail_start + hit.end()
    out: list[str] = []
    for m in ctx.mentions:
        if m.start >= cut and ctx.etype.get(m.entity_id) in SUBJECT_TYPES:
            between = ctx.text[cut : m.start]
            if out and not LIST_SEP.fullmatch(between):
                break
            if not out and len(between) > 80:
                break
            out.append(m.entity_id)
            cut = m.end
    return out


# ---------------------------------------------------------------------------------------------
def _money_claims(ctx: _SentenceContext, investors: set[str | None]) -> list[Claim]:
    sent = ctx.sentence
    found = moneylib.find_money(sent, ctx.lang)
    if not found:
        return []
    claims: list[Claim] = []
    sentence_earlier = bool(EARLIER_CUE.search(sent)) and not CURRENT_CUE.search(sent)
    for i, mon in enumerate(found):
        lo = found[i - 1].end if i else 0
        if i and found[i - 1].gloss is not None:
            lo = max(lo, found[i - 1].gloss.end)
        hi = found[i + 1].start if i + 1 < len(found) else len(sent)
        tail_from = mon.gloss.end if mon.gloss is not None else mon.end
        before, after = sent[lo : mon.start], sent[tail_from:hi]
        investor = _contributor(ctx, before, lo, mon)
        predicate = "investment_amount" if investor else _money_predicate(before, after)
        if predicate is None:
            continue
        subject = _money_subject(ctx, before, lo, investors) or ctx.focal
        if subject is None:
            continue
        frame = _time_frame(before, after, sentence_earlier)
        kw = dict(
            value_text=mon.text,
            value_start=ctx.start + mon.start,
            value_end=ctx.start + mon.end,
            amount_low=mon.low,
            amount_high=mon.high,
            low_inclusive=mon.low_inclusive,
            high_inclusive=mon.high_inclusive,
            currency=mon.currency,
            currency_surface=mon.currency_surface,
            qualifier=mon.qualifier,
            time_frame=frame,
        )
        if mon.gloss is not None and mon.gloss.currency == "USD" and mon.currency != "USD":
            kw.update(_stated_usd(sent, mon))
        if investor:
            kw["object_id"] = investor
            kw["role"] = (
                _role_for(ctx, [m for m in ctx.mentions if m.entity_id == investor][:1])
                or "participant"
            )
        claims.append(ctx.claim(predicate, subject, **kw))
        if investor:
            claims.append(ctx.claim("investor", subject, object_id=investor, role=kw["role"]))
    return claims


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


def _contributor(ctx: _SentenceContext, before: str, lo: int, mon: moneylib.Money) -> str | None:
    """The investor whose own contribution this figure is ('X is committing $1bn', 'X: ~$1bn')."""
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
    gap = ctx.text[last.end : ctx.start + mon.start]
    if len(gap) > 60 or VALUATION_CUE.search(gap):
        return None
    if re.fullmatch(r"\s*[:：]\s*(?:~|about|approximately|roughly|约|近)?\s*", gap):
        return last.entity_id
    if INVEST_VERB.search(gap) and not ROUND_CUE.search(re.sub(r"investment", "", gap)):
        return last.entity_id
    return None


def _money_predicate(before: str, after: str) -> str | None:
    """Nearest valuation/round cue to the figure, never crossing another figure."""
    best: tuple[int, str] | None = None
    for predicate, rx in (
        ("valuation", VALUATION_CUE),
        ("round_amount", ROUND_CUE),
        (None, DISTRACTOR_CUE),
    ):
        for m in rx.finditer(before):
            dist = len(before) - m.end()
            if best is None or dist < best[0]:
                best = (dist, predicate)
        m = rx.search(after)
        if m:
            dist = m.start() + 2  # a cue after the figure binds slightly less than one before
            if best is None or dist < best[0]:
                best = (dist, predicate)
    if best is None or best[0] > 90:
        return None
    return best[1]


_NOT_SUBJECT_BEFORE = _rx(
    r"\b(?:owned|backed|funded|run|founded|controlled) by\s+(?:the\s+)?$",
    r"\bparent\s+$",
    r"\bspun (?:out|off) (?:of|from)\s+$",
    r"\bunder\s+$",
    r"\bfrom\s+$",
    r"\blike\s+$",
    r"\bsuch as\s+$",
    r"\bthan\s+$",
)


def _money_subject(
    ctx: _SentenceContext, before: str, lo: int, investors: set[str | None]
) -> str | None:
    """A company this stretch of the sentence attaches the figure to, else None (→ focal)."""
    cands = [
        m
        for m in ctx.mentions
        if ctx.start + lo <= m.start
        and m.end <= ctx.start + lo + len(before)
        and ctx.etype.get(m.entity_id) in SUBJECT_TYPES
        and m.entity_id not in investors
    ]
    for m in reversed(cands):
        pre = ctx.text[max(ctx.start, m.start - 25) : m.start]
        if _NOT_SUBJECT_BEFORE.search(pre):
            continue
        return m.entity_id
    return None


def _time_frame(before: str, after: str, sentence_earlier: bool) -> str:
    near = before[-90:] + " " + after[:40]
    if EARLIER_CUE.search(near) or sentence_earlier:
        return "earlier"
    if TARGET_CUE.search(near):
        return "target"
    if FORECAST_CUE.search(near):
        return "forecast"
    return "current"


# ---------------------------------------------------------------------------------------------
def _status_claims(ctx: _SentenceContext) -> list[Claim]:
    if ctx.focal is None:
        return []
    sent = ctx.sentence
    for status, rx in STATUS_CUES:
        m = rx.search(sent)
        if not m:
            continue
        if status == "closed" and not (ROUND_CUE.search(sent) or VALUATION_CUE.search(sent)):
            continue
        if status == "denied" and not (ROUND_CUE.search(sent) or REPORTED_CUE.search(sent)):
            continue
        return [
            ctx.claim(
                "round_status",
                ctx.focal,
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


def _context_claims(ctx: _SentenceContext, line_date: str | None) -> list[Claim]:
    """founded / founder / product_release — background facts checked against reference facts."""
    sent = ctx.sentence
    out: list[Claim] = []
    date = line_date
    dm = _DATE_IN.search(sent)
    if dm:
        if dm.group(1):
            date = f"{dm.group(2)}-{_MONTHS[dm.group(1).lower()]:02d}"
        elif dm.group(3):
            date = f"{dm.group(3)}-{dm.group(4)}"
        else:
            date = f"{dm.group(5)}-{int(dm.group(6)):02d}"
    products = [m for m in ctx.mentions if ctx.etype.get(m.entity_id) == "product"]
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
                c.qualifier,
                c.time_frame,
                c.date_value,
            )
        have = out.get(key)
        if have is None:
            out[key] = c
        elif c.predicate == "investor" and _ROLE_RANK[c.role] < _ROLE_RANK[have.role]:
            out[key] = replace(have, role=c.role)
    return sorted(out.values(), key=lambda c: (c.evidence_start, c.value_start or 0, c.claim_id))


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
