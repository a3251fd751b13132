"""Discovered entities: names outside the registry that stand where an investor or a cited party
stands ("led by Greenoaks Capital", "investors including A, B and C", "according to The Example
Information", 由X领投, X、Y跟投, 投资方包括X、Y和Z, 获得X、Y等的投资). They become entities with
`curated = false` so their claims are kept rather than dropped.

Names may start with digits ("8VC", "9Yards"), people stand in lists like funds ("Lux Capital, 8VC
and Elad Gil participated"), and a wire lead-in ("FLASH: Acme AI has raised …") opens a raiser.
The short form of a company named in full ("Cognition" after "Cognition AI", registry or
discovered) is that company, never a second entity.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .ids import slugify
from .registry import Entity, Match, Registry
from .rxfast import fast

_W = r"[A-Za-z0-9\u00c0-\u024f]"  # Latin word characters only: a name never runs into Chinese
_NAME = (
    r"(?:(?:[A-Z]|\d{1,3}[A-Z])(?:" + _W + r"|[&'’.-])*(?:" + _W + r"|&)|[A-Z])"
    r"(?: +(?:[A-Z](?:" + _W + r"|[&'’.-])*(?:" + _W + r"|&)|of|&|and Co\.?|de))*"
)
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
    "Existing",
    "Other",
    "Lead",
    "Maybe",
    "Founder",
    "Why",
    "What",
    "Round",
    "Status",
    "Raise",
    "Valuation",
    "Last",
    "One",
    "Two",
    "Three",
    "State",
    "Strategic",
    "Earlier",
    "New",
    "Terms",
    "Talks",
    "People",
    "Analysts",
    "Previous",
    "Our",
    "Nobody",
    "If",
    "When",
    "While",
    "After",
    "Before",
    "Since",
}
_NAMES = (
    _NAME + r"(?:(?:,\s*(?:and\s+|as well as\s+)?|\s+and\s+|\s+as well as\s+)(?:the\s+)?"
    + _NAME + r")*"
)
_DISCOVER_INVESTOR = [
    re.compile(r"\b(?:co-)?(?:led|headed|spearheaded) by (?:the )?(" + _NAMES + r")"),
    re.compile(
        r"\b(?:[Ii]nvestors|[Bb]ackers|[Ss]hareholders|[Pp]articipants)[,:]? (?:including |such as "
        r"|like |include |included |includes |are |were )?(?:the )?(" + _NAMES + r")"
    ),
    re.compile(r"\b(?:participation|investments?|money|backing) from (?:the )?(" + _NAMES + r")"),
    # 'has drawn ¥1 billion from Hangzhou City Investment Industry Fund'
    re.compile(r"(?:illion|\d ?bn|\d ?mn|\d ?[mb]) from (?:the )?(" + _NAMES + r")"),
    re.compile(r"\b(?:joined by|alongside) (?:the )?(" + _NAMES + r")"),
    re.compile(r"\bwith (?:the )?(" + _NAMES + r") (?:also )?(?:participating|joining|investing|"
               r"taking part|following on|making up|providing the|contributing the|"
               r"among the (?:\w+ )?(?:participants|investors|backers))\b"),
    re.compile(r"(?m)^\W*(?:[Ll]ead|[Aa]lso in|[Mm]aybe in|[Ii]nvestors)\s*[:：]\s*(?:the )?("
               + _NAMES + r")"),
    re.compile(
        r"(?:^|[,;] |\. |\n)(" + _NAMES + r") (?:is|are|was|were|has|have)? ?(?:also )?"
        r"(?:reportedly )?(?:in (?:advanced |early |final )?(?:talks|discussions|negotiations)"
        r"|weighing|considering|leading|participating|participated|returned|co-led|led the|"
        r"anchored|spearheaded|"
        r"headed the|"
        r"took part|invested|held (?:talks|discussions)|"
        r"joined the round|expected to lead|set to lead|"
        # 'SpaceX agreed to invest $2 billion in …': a named party putting money in
        r"(?:agreed|plans|planned|promised|pledged|(?:is |was )?(?:set|expected)) to invest"
        r"|will invest|is investing|"
        # 'Acme Capital led; …', 'A, B and C were among the participants'
        r"led(?=[;:,.] )|(?:were|was|are|is) among the (?:\w+ )?(?:investors|backers|"
        r"participants))"
    ),
]
# Companies raising money: "Acme AI has raised …", "AI start-up Acme is in talks to raise …"
_RAISE_VERB = (
    r"(?:today |yesterday |this week |on (?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|"
    r"Sunday) )?"
    r"(?:is |are |was |has |have |had )?(?:reportedly |now |also |already )?(?:raised|raising|"
    r"in (?:advanced |early |final )?(?:talks|discussions|negotiations)|seeking|looking to raise|"
    r"closed|closing|secured|completed|close to|nearing|preparing|started sounding out|sounding "
    r"out|plans to raise|planning to raise|exploring|negotiating|announced|"
    r"valued at|"
    r"said (?:on \w+ )?(?:that )?it (?:had |has )?"
    r"(?:raised|closed|secured|completed))\b"
)
_PAREN = r"(?: ?[(（][^)）]{1,30}[)）])?"
_LEAD_IN = (
    r"(?:^|\. |\n|\*\* |(?<=[A-Z][A-Z][A-Z]): |\s(?:--|—|–|-) |\bthat "
    r"|\b(?:In|By|Since|Back in) (?:early |late |mid-)?(?:19|20)\d\d, "
    r"|\b(?:[Rr]ival|[Cc]ompetitor|[Pp]eer) )"
)
_DISCOVER_RAISER = [
    # a list item's bold lead names its company: '- **Corvid Health.** The Boston start-up …'
    re.compile(r"(?m)^[ \t]*(?:[-•*]|\d{1,2}[.)])[ \t]+\*\*(" + _NAME + r")\.?\*\*"),
    re.compile(_LEAD_IN + r"(" + _NAME + r")" + _PAREN + r"(?:, [^,;.]{0,140},)? " + _RAISE_VERB),
    re.compile(
        r"\b(?:start-?up|developer|company|lab|maker|firm|unicorn|provider) (" + _NAME + r")"
        + _PAREN + r"(?:, [^,;.]{0,80},)? " + _RAISE_VERB
    ),
    # the company investors back: "to back Acme AI", "an investment in Acme AI"
    re.compile(r"\b(?:to back|investments? in|a stake in|invest in) (" + _NAME + r")"
               r"(?=[,.:;]| (?:at|is|has|was|which|that|and)\b)"),
    # rivals named as such: "Rival Acme AI was valued at …"
    re.compile(r"\b(?:[Rr]ival|[Cc]ompetitor|[Pp]eer)s? (" + _NAME + r")(?=[,.;:]| \w)"),
    # a name glossed with its Chinese name is an organisation: "Ruijie Xinpian (睿捷芯片)"
    re.compile(r"\b(?:in |into )?(" + _NAME + r") ?[(（][\u4e00-\u9fff]{2,10}[)）]"),
    # Latin names in Chinese text: "初创企业Zephyr Reasoning的新一轮融资", "称Acme AI正在进行融资"
    re.compile(
        r"(?:^|[，。：\n]|公司|企业|企業|初创|初創|独角兽|獨角獸|[称稱的])\s*"
        r"([A-Z][A-Za-z0-9.&'’-]*(?: [A-Z][A-Za-z0-9.&'’-]*)*)"
        r"\s*(?=的|正|已|曾|在|完成|获得|獲得|宣布|拟|擬|计划|計劃|筹备|籌備|近日|，)"
    ),
]
_LISTED_AT = re.compile(
    r"(?:[,;:] |\band )(" + _NAME + r") (?:reportedly |now )?at (?:just (?:over|under) |about "
    r"|around |roughly )?(?:US)?[$€£¥₩]\d"
)
_RUN_IN_HEAD = re.compile(r"(?:^|(?<=\n\n))[ \t]*(" + _NAME + r")\.[ \t]+(?=[A-Z])")
_ZH_RIVAL = re.compile(
    r"(?:竞争对手|競爭對手|对手|對手|同行)([\u4e00-\u9fffA-Za-z0-9 ]{2,12}?)"
    r"(?=在|的|于|於|曾|已|此前|去年|，|估值)"
)
_ZH_RAISE = re.compile(
    r"(?:宣布|官宣|正在|正|拟|擬|计划|計劃|已经|已經|已)?(?:完成|获得|獲得|筹备|籌備|进行|進行|"
    r"洽谈|洽談|寻求|尋求|启动|啟動|开启|開啟)[^，。；]{0,25}?(?:融资|融資|募资|募資|集资|集資|投资|"
    r"投資)|的(?:新一[轮輪]|首[轮輪]|本[轮輪]|最新一[轮輪])(?:融资|融資|募资|募資)"
    r"|(?:发布|發布)公告"  # a listed company's filing: '上市公司X发布公告称，公司拟出资…'

)
_ZH_NAME_LEFT = re.compile(
    r"(?:^|[，。；：:、“”\"\n]|公司|企业|企業|初创|初創|创业|創業|独角兽|獨角獸|厂商|廠商|平台|"
    r"品牌|\d{1,2}日|近日|日前|[称稱指悉]|报道|報道|報導|透露|表示|显示|顯示)"
    r"([\u4e00-\u9fffA-Za-z0-9·]{2,10}?)"
    r"(?:[（(][A-Za-z][A-Za-z0-9 .&'’-]{0,30}[)）])?"
    r"(?:近日|日前|今日|今天|昨日|昨天|早前|稍早|已经|已經|已|正式|宣布|官宣|正在|正|拟|擬|计划|"
    r"計劃|[今昨][（(]\d{1,2}[)）]日|[本上][周週][一二三四五六日天]?|[周週][一二三四五六日天]|"
    r"于\d{1,2}月\d{1,2}日|\d{1,2}月\d{1,2}日)*$"
)
_ZH_NOT_NAME = re.compile(
    r"[的了在是和与及或为將将此该該本其曾于於也还還均都被对對向]|公司$|融资|宣布|完成|此前|今年|去年|本轮"
    r"|^\d{1,4}[年月日]|\d[年月日]$"  # a date ('公司2023年完成…') is no name
)
_ZH_DESCRIPTOR = re.compile(
    r".*(?:公司|企业|企業|初创|初創|创业|創業|独角兽|獨角獸|厂商|廠商|平台|机构|機構|[称稱指悉]|"
    r"报道|報道|報導|透露|表示|显示|顯示|消息)"
)
_ZH_ROLE_PREFIX = re.compile(
    r"^(?:老股东|老股東|现有股东|現有股東|股东|股東|投资方|投資方|领投方|領投方|跟投方|机构|機構|"
    r"以及|和|及|与|與|此外)+"
)
_DISCOVER_CITED = [
    re.compile(
        r"\baccording to (?:a |an |the )?(?:(?:new |recent |exclusive )?"
        r"(?:report|reports|reporting|story|article)s? (?:by|from|in) )?(?:the )?("
        + _NAME
        + r")"
    ),
    re.compile(r"\bciting (?:a |an )?(?:report (?:by|from|in) )?(?:the )?(" + _NAME + r")"),
    re.compile(r"\b(?:surfaced |published )?via (" + _NAME + r")"),
    re.compile(r"\bper (" + _NAME + r")"),
    re.compile(
        r"\b(?:reported|published|first reported) (?:earlier in the day )?by (?:the )?("
        + _NAME
        + r")"
    ),
    re.compile(r"\breport,? (?:from|by) (" + _NAME + r")"),
    re.compile(
        r"(?:^|\. |, )(?:the )?(" + _NAME + r")(?:, [^,.;]{0,60},)? (?:reported|reports|"
        r"first reported|wrote)\b"
    ),
    re.compile(r"[据據](?:[^，。A-Za-z]{0,12})?([A-Z][\w&'’.-]*(?: [A-Z][\w&'’.-]*)*)\s*"
               r"(?:报道|報導|报导|消息)"),
]
_MEDIA = re.compile(
    r"\b(?:The|News|Times|Post|Journal|Wire|Daily|Weekly|Information|Ledger|Herald|Review|Insider"
    r"|Digest|Report|Magazine|Telegraph|Tribune|Agency|Press|Media|Tech|Securities|Street|Week"
    r"|Business|Markets|Finance|Financial|Capital|Research|Observer|Economist|Signal)\b"
)
_FUNDISH = re.compile(
    r"(Capital|Ventures?|Partners|Fund|Investments?|Holdings|Management|Equity|Advisors|"
    r"Asset|Group|Securities|Authority|资本|資本|基金|投资|投資|集团|集團|创投|創投)\b"
)
# Chinese investor lists: 由X领投 / X、Y等跟投 / 投资方包括X、Y和Z / 获得X、Y等…的投资
_ZH_ORG = re.compile(
    r"(?:资本|資本|基金|集团|集團|创投|創投|投资|投資|控股|银行|銀行|证券|證券|公司|资管|資管|"
    r"产业基金|國投|国投|合伙企业)$"
)
_ZH_ITEM = r"[^。；\n，、等的]{2,20}"
_ZH_LIST_SEP = re.compile(r"、|以及|及|和|与|與|，")
_ZH_LISTS = [
    re.compile(r"由([^，。；：]{2,40}?)(?:共同|联合|聯合)?(?:领投|領投|牵头|牽頭|领衔|領銜)"),
    re.compile(
        r"(?:^|[，。；：:\n])([^，。；：:\n]{2,80}?)(?:等[^，。；]{0,10}?)?"
        r"(?:也|亦|均|则|則|将|將|还|還|已|拟|擬|正在|在|有意|考虑|考慮|预计|預計|继续|繼續|有望|"
        r"洽谈|洽談)*"
        r"(?:成为|成為)?(?:本轮|本輪)?"
        r"(?:跟投|参投|參投|领投|領投|参与|參與|入股|出资|出資|增持|加码|加碼)"
    ),
    re.compile(r"(?:投资方|投資方|投资者|投資者|投资人|投資人|股东|股東|参投方|參投方)"
               r"(?:包括|有|为|為)([^。；\n]{2,120})"),
    re.compile(r"[获獲]得(" + _ZH_ITEM + r"(?:[、和及与與]" + _ZH_ITEM + r")*)等?[^，。；]{0,12}的"
               r"(?:战略|戰略)?(?:投资|投資)"),
]
_ZH_OWNER = re.compile(r"[^，。；、]{2,12}?(?:旗下|下属|下屬|控股的|所属|所屬)(?:的)?")
_ZH_GENERIC = re.compile(
    r"(?:[该該本此其这這][家只个個]?|上市|母|子|合资|合資)?(?:公司|集团|集團|基金|资本|資本|银行|銀行|"
    r"证券|證券|机构|機構|企业|企業)"
)
_ZH_BAD_ITEM = re.compile(
    r"^(?:一|多|数|數|几|幾|某|其他|其它|部分|国际|國際|境外)|[一多数數][只家个個位]"
)


def _needs() -> dict[int, str]:
    """A literal each discovery pattern cannot match without (checked with `in` first)."""
    table: dict[int, str] = {}
    for rx, need in (
        (_DISCOVER_INVESTOR[0], " by "),
        (_DISCOVER_INVESTOR[2], " from "),
        (_DISCOVER_INVESTOR[3], " from "),
        (_DISCOVER_INVESTOR[5], "with "),
        (_DISCOVER_CITED[0], "according to"),
        (_DISCOVER_CITED[1], "citing"),
        (_DISCOVER_CITED[2], "via "),
        (_DISCOVER_CITED[3], "per "),
        (_DISCOVER_CITED[4], " by "),
        (_DISCOVER_CITED[5], "report"),
        (_DISCOVER_CITED[7], "\x00"),  # a Chinese-only pattern: needs CJK text
        (_DISCOVER_RAISER[0], "**"),
        (_DISCOVER_RAISER[5], "\x00"),
        (_DISCOVER_RAISER[6], "\x00"),
    ):
        table[id(rx)] = need
    return table


_NEEDS = _needs()


def _zh_items(seg: str, offset: int) -> list[tuple[str, int]]:
    out = []
    pos = 0
    for part in _ZH_LIST_SEP.split(seg):
        at = seg.find(part, pos)
        pos = at + len(part)
        part = re.sub(r"\s*[（(][^）)]{0,30}[）)]\s*$", "", part)  # '港投公司' in 'X（港投公司）'
        item = _ZH_ROLE_PREFIX.sub("", re.sub(r"等.*$", "", part))
        owner = _ZH_OWNER.match(item)
        if owner:  # '中国移动旗下的中移资本': the investor is the subsidiary
            item = item[owner.end() :]
        item = re.sub(
            r"(?:也|亦|均|则|則|将|將|还|還|已|拟|擬|正在|有意|考虑|考慮|预计|預計|继续|繼續|有望|"
            r"成为|成為|本轮|本輪)+$",
            "", item,
        )
        item = item.strip()
        latin = re.fullmatch(_NAME, item) is not None and _FUNDISH.search(item) is not None
        if _ZH_GENERIC.fullmatch(item):
            continue  # '与公司洽谈', '该基金': a common noun, not a name
        if latin or (
            2 <= len(item) <= 16 and _ZH_ORG.search(item) and not _ZH_BAD_ITEM.search(item)
        ):
            if re.search(r"[的了在是]|本轮|本輪|融资|融資|完成|宣布", item):
                continue
            out.append((item, offset + at + part.find(item)))
    return out


def discover(
    text: str, matches: list[Match], registry: Registry, discovered: dict[str, Entity]
) -> list[Match]:
    """Names outside the registry that stand where an investor or a cited party stands."""
    taken = [(m.start, m.end) for m in matches]
    extra: list[Match] = []
    shorts: dict[str, str] = {}
    # a registry company named in full here ('Cognition AI') is later called by its short name
    # ('Cognition was valued at …'): that is the same company, not a discovered one
    reg_shorts: dict[str, str] = {}
    for surface, eid in {m.surface: m.entity_id for m in matches}.items():
        ent = registry.entities.get(eid)
        if ent is not None and ent.type == "company" and " " in surface:
            short = _short_name(surface)
            if short:
                reg_shorts.setdefault(short, eid)

    def add(name: str, start: int, kind: str) -> None:
        lead = _LEAD_WORDS.match(name)
        # "Fast-growing Acme AI", "Rival Acme AI"
        if lead:
            name, start = name[lead.end() :], start + lead.end()
        owner = _OWNER_LEAD.match(name)
        if owner:  # "Saudi Arabia's Kingdom Holding" is Kingdom Holding
            name, start = name[owner.end() :], start + owner.end()
        end = start + len(name)
        first = name.split()[0]
        if " " not in name and name.lower() in _FUNCTION_WORDS | _CLAUSE_VERBS:
            return  # a capitalised verb opening a clause ('**Acme.** Is in talks …')
        if name in _NAME_STOP or len(name) < 2 or (
            first in _NAME_STOP - _PLACES and not (first == "New" and " " in name)
        ):
            return
        if _POSSESSIVE_END.search(name) or text.startswith(("'s", "’s"), end):
            return  # a possessive: the name is what follows ("China's Big Fund")
        nxt = _NEXT_WORD.match(text[end : end + 30])
        if " " not in name and nxt and nxt.group(1) not in _FUNCTION_WORDS:
            return  # an adjective ("the Dutch chip-equipment maker ASML")
        if any(a < end and start < b for a, b in taken):
            return
        if kind == "raiser" and name in reg_shorts:
            extra.append(Match(start, end, reg_shorts[name], name))
            taken.append((start, end))
            return
        eid = "x-" + slugify(name)
        if eid in registry.entities:
            return
        if eid not in discovered:
            if kind == "cited":
                etype = "publication"
                if not _MEDIA.search(name) and re.fullmatch(r"[A-Z][a-z]+(?: [A-Z][a-z]+){1,2}",
                                                           name) and not _FUNDISH.search(name):
                    etype = "person"
            elif kind == "raiser":
                etype = "fund" if _FUNDISH.search(name) else "company"
            else:
                etype = "fund" if _FUNDISH.search(name) else "organization"
            discovered[eid] = Entity(eid, name, etype, [], curated=False)
            if kind == "raiser" and etype == "company":
                short = _short_name(name)
                if short and "x-" + slugify(short) not in registry.entities:
                    discovered[eid].aliases.append(short)
                    shorts[short] = eid
        extra.append(Match(start, end, eid, name))
        taken.append((start, end))
        gloss = _GLOSS_AFTER.match(text, end)
        if gloss and gloss.group(1) not in discovered[eid].aliases and gloss.group(1) != name:
            # '思睿智能（SiRui AI）', 'X投資管理有限公司（X投）': the bracket is another name
            discovered[eid].aliases.append(gloss.group(1))
            shorts[gloss.group(1)] = eid

    lowered = text.lower()
    cjk = _CJK_TEXT.search(text) is not None
    for patterns, kind in (
        (_DISCOVER_CITED, "cited"),
        (_DISCOVER_RAISER, "raiser"),
        (_DISCOVER_INVESTOR, "investor"),
    ):
        for rx in patterns:
            need = _NEEDS.get(id(rx))
            if need is not None and need not in lowered and not (need == "\x00" and cjk):
                continue  # the pattern's fixed words are absent: skip the scan
            hits = (
                _at_starts(rx, text, _FROM_STARTS, " from ") if rx is _AMOUNT_FROM
                else fast(rx).finditer(text)  # same matches, tried only at literal heads
            )
            for m in hits:
                for name, start in _split_names(m.group(1), m.start(1)):
                    add(name, start, kind)
    if " at " in text:
        # a price list, 'Safe Superintelligence at $32 billion, Helsing at €12 billion, …': each
        # name before 'at' and a figure is a company (two or more such items in a row)
        items = list(fast(_LISTED_AT).finditer(text))
        for k, m in enumerate(items):
            near = [o for o in items[max(0, k - 1) : k + 2]
                    if o is not m and abs(o.start() - m.start()) < 200]
            if near:
                add(m.group(1), m.start(1), "raiser")
    for m in _at_starts(_RUN_IN_HEAD, text, (-2,), "\n\n", at_zero=True):
        # a run-in heading ('Kestrel Robotics. In February we led Kestrel's …') names the
        # company its paragraph is about when the paragraph names it again
        name = m.group(1)
        para_end = text.find("\n\n", m.end())
        body = text[m.end() : para_end if para_end >= 0 else len(text)]
        first = name.split()[0]
        if len(first) > 2 and re.search(r"\b" + re.escape(first) + r"\b", body):
            add(name, m.start(1), "raiser")
    if "\n|" in text or text.startswith("|"):
        for name, start in _table_investors(text):
            add(name, start, "investor")
    if _CJK_TEXT.search(text):
        for m in fast(_ZH_RAISE).finditer(text):
            left = _ZH_NAME_LEFT.search(text, max(0, m.start() - 30), m.start())
            if left:
                name = left.group(1)
                cut = _ZH_DESCRIPTOR.search(name)
                start = left.start(1) + (cut.end() if cut else 0)
                name = name[cut.end() :] if cut else name
                if re.match(r"[A-Za-z0-9]", name):  # a Latin name: take all of its words
                    window = text[max(0, start - 40) : start]
                    ext = re.search(r"(?:[A-Z][A-Za-z0-9.&'’-]* )*$", window)
                    if ext:
                        start -= len(ext.group(0))
                        name = text[start : start + len(ext.group(0)) + len(name)]
                if len(name) >= 2 and not _ZH_NOT_NAME.search(name):
                    add(name, start, "raiser")
        for m in fast(_ZH_RIVAL).finditer(text):
            if not _ZH_NOT_NAME.search(m.group(1)):
                add(m.group(1).strip(), m.start(1) + len(m.group(1)) - len(m.group(1).lstrip()),
                    "raiser")
        for rx in _ZH_LISTS:
            for m in fast(rx).finditer(text):
                for name, start in _zh_items(m.group(1), m.start(1)):
                    add(name, start, "investor")
    # every other occurrence of a discovered name (or of its short form: 'Kestrel' for
    # 'Kestrel Robotics') is a mention too
    names = {m.surface: m.entity_id for m in extra}
    for short, eid in shorts.items():
        names.setdefault(short, eid)
    for name, eid in names.items():
        pos = text.find(name)
        while pos >= 0:
            end = pos + len(name)
            if not any(a < end and pos < b for a, b in taken) and _bounded(text, pos, end):
                extra.append(Match(pos, end, eid, name))
                taken.append((pos, end))
            pos = text.find(name, end)
    extra.extend(_surname_mentions(text, [*matches, *extra], registry, discovered, taken))
    # 'Cognition was valued at …' found before 'Cognition AI has raised …': the short name is
    # the same company as the full one (its alias), not a second entity
    merged = {}
    for short, eid in shorts.items():
        sid = "x-" + slugify(short)
        if sid != eid and sid in discovered:
            merged[sid] = eid
    if merged:
        for short_id in merged:
            del discovered[short_id]
        extra = [Match(m.start, m.end, merged.get(m.entity_id, m.entity_id), m.surface)
                 for m in extra]
    return sorted([*matches, *extra], key=lambda m: m.start)


# '¥1 billion from X': every match is a figure's last letters right before ' from ' (2 to 6
# characters before it: '5m', '5 m', '5bn', '5 bn', 'illion')
_AMOUNT_FROM = _DISCOVER_INVESTOR[3]
_FROM_STARTS = (2, 3, 4, 6)


def _at_starts(
    rx: re.Pattern[str], text: str, offsets: tuple[int, ...], literal: str, at_zero: bool = False
) -> Iterator[re.Match[str]]:
    """`rx.finditer(text)` for a pattern whose every match starts `offset` characters before an
    occurrence of `literal` (negative: after it; `at_zero`: or at the start of the text): the
    same matches, tried only at those positions (in order, none inside the previous match;
    no match is empty)."""
    starts = {0} if at_zero else set()
    at = text.find(literal)
    while at >= 0:
        starts.update(at - k for k in offsets)
        at = text.find(literal, at + 1)
    pos = 0
    for start in sorted(starts):
        if start < pos:
            continue
        m = rx.match(text, start)
        if m is not None:
            yield m
            pos = m.end()


_TABLE_NAME = re.compile(r"(?:^|(?<=[,;/]))\s*(?:and\s+)?(" + _NAME + r")\s*(?=$|[,;/])")
_TABLE_INVESTOR_HEAD = re.compile(r"\blead|investors?\b|backers|participants", re.IGNORECASE)


def _table_investors(text: str) -> list[tuple[str, int]]:
    """Names in the investor columns of a markdown table ('| Lead investor(s) |' → 'GIC,
    Coatue' in each row)."""
    out: list[tuple[str, int]] = []
    cols: set[int] | None = None
    pos = 0
    for line in text.splitlines(keepends=True):
        start, pos = pos, pos + len(line)
        row = line.rstrip("\r\n")
        if not row.startswith("|"):
            cols = None
            continue
        bars = [i for i, ch in enumerate(row) if ch == "|"]
        cells = [(a + 1, b) for a, b in zip(bars, bars[1:], strict=False)]
        if cols is None:
            cols = {k for k, (a, b) in enumerate(cells) if _TABLE_INVESTOR_HEAD.search(row[a:b])}
            continue
        for k in cols:
            if k < len(cells):
                a, b = cells[k]
                for m in _TABLE_NAME.finditer(row[a:b]):
                    out.append((m.group(1), start + a + m.start(1)))
    return out


def _surname_mentions(
    text: str,
    matches: list[Match],
    registry: Registry,
    discovered: dict[str, Entity],
    taken: list[tuple[int, int]],
) -> list[Match]:
    """A person named in full ('Liang Wenfeng', 'Sam Altman') is later called by one of the
    names alone ('Liang would put in …', 'Altman said'): those words are mentions too."""
    out: list[Match] = []
    seen: set[str] = set()
    for m in matches:
        ent = registry.entities.get(m.entity_id) or discovered.get(m.entity_id)
        if ent is None or ent.type != "person" or " " not in m.surface:
            continue
        for tok in m.surface.split():
            if tok in seen or len(tok) < 4 or not tok[0].isupper() or tok in _NAME_STOP:
                continue
            seen.add(tok)
            pos = text.find(tok, m.end)
            while pos >= 0:
                end = pos + len(tok)
                if _bounded(text, pos, end) and not any(a < end and pos < b for a, b in taken):
                    out.append(Match(pos, end, m.entity_id, tok))
                    taken.append((pos, end))
                pos = text.find(tok, end)
    return out


_GLOSS_AFTER = re.compile(
    r"\s?[（(]((?:[A-Z][A-Za-z0-9.&'’-]*(?: [A-Z][A-Za-z0-9.&'’-]*){0,3})|[\u4e00-\u9fff]{2,12})"
    r"[)）]"
)
_GENERIC_TAIL = re.compile(
    r"\s+(?:Robotics|Labs?|AI|Health|Technolog(?:y|ies)|Systems|Intelligence|Dynamics|Bio|"
    r"Therapeutics|Computing|Networks|Software|Inc\.?|Ltd\.?|GmbH|SAS|Corp\.?|Research|"
    r"Semiconductor|Motors|Energy|Security|Analytics|Cloud|Data|Automation|Machines)$"
)


def _short_name(name: str) -> str | None:
    """'Kestrel Robotics' is also 'Kestrel': a company name whose last word is generic is
    referred to by the words before it (when they are not a common word themselves)."""
    m = _GENERIC_TAIL.search(name)
    if not m:
        return None
    short = name[: m.start()]
    if len(short) < 4 or short in _NAME_STOP or short in _PLACES or " " in short:
        return None
    return short


def _bounded(text: str, start: int, end: int) -> bool:
    """A Latin name must not sit inside a longer word."""
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    if _latin(text[start]) and _latin(before):
        return False
    return not (_latin(text[end - 1]) and _latin(after))


def _latin(ch: str) -> bool:
    """Whether a character is [A-Za-z0-9] (an ASCII letter or digit)."""
    return ch.isascii() and ch.isalnum()


_CJK_TEXT = re.compile(r"[\u4e00-\u9fff]")
# Place words start many real names ('Beijing Artificial Intelligence Industry Investment Fund')
_PLACES = {"The", "China", "Chinese", "US", "U.S.", "American", "Western", "Beijing", "Shanghai",
           "Hangzhou", "Shenzhen", "Hong Kong", "State"}
_FUNCTION_WORDS = {
    "and", "or", "with", "in", "at", "on", "for", "to", "of", "is", "are", "was", "were", "has",
    "have", "had", "led", "leads", "will", "would", "also", "as", "which", "who", "said", "says",
    "reported", "reports", "wrote", "took", "invested", "joined", "participated", "the", "from",
    "by", "into", "after", "before", "last", "this", "that", "its", "their", "declined", "did",
    "could", "may", "might", "plans", "put", "cited", "told", "confirmed", "announced",
    "agreed", "pledged", "promised", "planned", "expected", "committed", "contributed",
}

# Verbs that open a headline-style clause with its subject left out ('Is in talks to raise',
# 'Said its Series C …', 'Closed a round'): never a name of their own.
_CLAUSE_VERBS = {
    "is", "are", "was", "were", "has", "have", "had", "said", "says", "closed", "closes",
    "raised", "raises", "raising", "secured", "secures", "completed", "completes", "nearing",
    "seeking", "seeks", "announced", "announces", "plans", "planning", "exploring", "valued",
    "landed", "lands", "got", "gets", "won", "wins", "now", "reportedly",
}


# (compiled once: `re`'s own cache lookup costs more than these matches, ~50 times an article)
_LEAD_WORDS = re.compile(r"(?:[A-Z][a-z]*(?:-[a-z]+)+|Rivals?|Competitors?|Peers?) (?=[A-Z])")
_OWNER_LEAD = re.compile(r"(?:[A-Z][\w.-]*\s+){0,3}[A-Z][\w.-]*['’]s\s+(?=[A-Z])")
_POSSESSIVE_END = re.compile(r"['’]s?$")
_NEXT_WORD = re.compile(r"\s+([a-z][\w-]*)")
_NAME_SEP_RX = r",\s*(?:and\s+|as well as\s+)?(?:the\s+)?|\s+(?:and|as well as)\s+(?:the\s+)?"
_NAME_SPLIT = re.compile(f"((?:{_NAME_SEP_RX})(?=[A-Z0-9]))")
_NAME_SEP = re.compile(_NAME_SEP_RX)


def _split_names(group: str, offset: int) -> list[tuple[str, int]]:
    out = []
    pos = 0
    for part in _NAME_SPLIT.split(group):
        if part and not _NAME_SEP.fullmatch(part):
            name = part.strip()
            lead = part.index(name[0]) if name else 0
            out.append((name, offset + pos + lead))
        pos += len(part)
    return [(n, o) for n, o in out if n]
