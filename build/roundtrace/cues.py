"""Cue vocabularies (English + Chinese) for the rule-based extractor.

Each vocabulary is one precompiled, case-insensitive alternation with no nested quantifiers, so
a search is linear in the text. Cues say what a figure is (valuation, round, one investor's
contribution, a distractor), when it applies (earlier, target, forecast), how firmly it is put
(reported, speculative, expected, denied) and which role a list of investors plays (the words
before and after the list).
"""

from __future__ import annotations

import re

import zhconv

_CJK = re.compile(r"[\u3400-\u9fff]")


def rx(*alts: str) -> re.Pattern[str]:
    """One case-insensitive alternation of the given patterns. Chinese cues are written once in
    either script; their simplified and traditional forms are both added."""
    out: list[str] = []
    for a in alts:
        forms = [a]
        if _CJK.search(a):
            forms += [zhconv.convert(a, "zh-hant"), zhconv.convert(a, "zh-hans")]
        for f in forms:
            if f not in out:
                out.append(f)
    return re.compile("|".join(f"(?:{a})" for a in out), re.IGNORECASE)


VALUATION_CUE = rx(
    r"\bvaluations?\b",
    r"\bvalued\b",
    r"\bvaluing\b",
    r"\bvalue[sd]?\b(?! chain)",
    r"\bworth\b",
    r"\bpric(?:e|es|ed|ing)\s+(?:the\s+)?(?:[\w-]+\s+){0,3}?(?:company|startup|start-up|firm|lab|"
    r"it|them|developer|maker)\b",
    r"\bpost-money\b",
    r"\bpre-money\b",
    r"\b(?:pre|post)-investment\b",
    r"\b(?:before|after) the (?:investment|money|new money|round|deal|financing)\b",
    # ('put the size of the raise at $500 million' is the round's size, not a price)
    r"(?<!size of the )(?<!amount of the )"
    r"\b(?:rais(?:e|es|ed|ing)|sale|round|deal|priced|invest(?:ing|ed)?|fundraising|talks)"
    r"(?:\s+(?:for|to|by|among)\s+(?:[a-z][\w-]*\s+){0,1}[a-z][\w-]*)?\s+at\s+(?:a\s+|an\s+)?$",
    r"\bmark\b",
    r"\bprice tag\b",
    # 'talks pegged DeepSeek at $10 billion' (but 'pegged the size of the raise at …' is a round)
    r"\bpegg(?:ed|ing|s)\s+(?:(?!(?:the\s+)?(?:round|raise|size|amount|deal|financing|funding)\b)"
    r"[\w'’.-]+\s+){1,3}at\s+$",
    r"估值",
    r"投后",
    r"投前",
    r"身价",
)
ROUND_CUE = rx(
    r"\bround\b",
    r"\bSeries [A-H]\d?\b(?!-)",
    r"\b(?:pre-)?seed (?:round|funding|financing)\b",
    r"\b(?:deal |round )?size\b",
    r"\bseek(?:s|ing)?\b",
    r"\blooking for\b",
    r"金额",
    r"金額",
    r"规模",
    r"規模",
    r"的(?:战略|戰略)?(?:投资|投資)",
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
INVEST_VERB = rx(
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
DISTRACTOR_CUE = rx(
    r"\b(?:each|apiece)\b",
    r"\bmarkets?\b(?:\s+(?:cap|value|capitali[sz]ation))?",
    r"市场规模",
    r"\btotal (?:funding|financing|capital|investment|raised)\b",
    r"\b(?:raised|funding|capital)\s+(?:\w+\s+){0,2}to date\b",
    r"\ba total of\b",
    r"\bcumulative\w*",
    r"(?<!本轮)(?<!此轮)(?<!这轮)(?<!该轮)融资总额",
    r"(?:累计|累計)(?:融资|融資|投资|投資|获得|獲得|获|獲)?(?:金额|金額|总额|總額)?",
    r"(?:总融资|總融資)(?:额|額|金额|金額)?",
    r"(?:订单|訂單)(?:金额|金額|总额|總額)?",
    r"投放(?:金额|金額)?",
    r"(?:广告|廣告)(?:费|費|支出|投入)?",
    r"价值",
    r"按\s*$",
    r"\binvestments? (?:in|into) (?:[\w-]+ ){0,3}(?:data cent(?:er|re)s?|infrastructure|"
    r"factor(?:y|ies)|plants?|capacity|computing|compute|chips?|semiconductors?|manufacturing|"
    r"facilities|sites?)\b",
    r"\bof (?:computing|compute|cloud|chips|GPUs|capacity|servers|processors)\b",
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
    r"\bassets under management\b",
    r"\bAUM\b",
    r"\bin the bank\b",
    r"\bcash\b",
    r"基金规模",
    r"基金規模",
    r"管理规模",
    r"资产规模",
    r"营收",
    r"收入",
    r"利润",
    r"成本",
    r"市值",
    r"营业额",
    r"亏损",
    # cash on hand, spending, totals over many deals, size thresholds, multi-year plans
    r"(?:账上|账面|手握|持有)?现金",
    r"开支",
    r"支出",
    r"(?:本周|本月|上周|上月|今年|全年|本季度|年内|年初至今)[^，。；]{0,14}(?:合计|总计|共计)",
    r"单笔",
    r"未来\s*[一二三四五六七八九十两\d]{1,2}\s*年",
    r"\bover the (?:next|coming) (?:\w+ )?(?:years|decade)\b",
)
EARLIER_CUE = rx(
    r"\bearlier\b",
    r"\bpreviously\b",
    r"\bprevious\b",
    r"\bago\b",
    r"\blast year\b",
    r"\blast (?:summer|spring|autumn|fall|winter|quarter|month)\b",
    r"\binitially\b",
    r"\boriginally\b",
    r"\bprior\b",
    r"\bbefore\b(?! the (?:investment|money|new money|round|deal|financing))",
    r"\bhad (?:pegged|valued)\b",
    r"\bpegged\b",
    r"\bup from\b",
    r"\bat the time\b",
    r"\bin 20[12]\d\b(?=[^.]*\bvalued\b)",
    r"\b(?:was|were) valued at\b(?=[^.;]{0,60}\b(?:in (?:January|February|March|April|May|June|"
    r"July|August|September|October|November|December|early|late|mid|20\d\d)|when|after|"
    r"as early))",
    r"\bback in\b",
    r"\b(?:that|the same) (?:round|deal|financing)\b",
    r"\blast (?:raised|round|valued|valuation|mark)\b",
    r"曾(?:有|经|經)?",
    r"当时",
    r"當時",
    r"\b(?:months?|weeks?|years?|days?) (?:after|before|earlier)\b",
    r"\bformerly\b",
    r"此前",
    r"之前",
    r"去年",
    r"上一轮",
    r"早前",
    r"原先",
)
CURRENT_CUE = rx(
    r"\bnow\b", r"\btoday\b", r"\bcurrently\b", r"\blatest\b", r"\bnew\b", r"目前", r"最新"
)
TARGET_CUE = rx(
    r"\bseek\w*",
    r"\bto raise\b",
    r"\b(?:is|are) (?:now |currently )?raising\b",
    r"\btarget\w*",
    r"\bgoal\b",
    r"\baim\w*",
    r"\bhop(?:e|es|ing) to\b",
    r"\blooking (?:to|for)\b",
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
FORECAST_CUE = rx(
    r"\bforecast\w*",
    r"\bproject(?:ed|ion)s?\b",
    r"\bby (?:the )?(?:end of |end-|mid-|early |late |middle of )?20\d\d\b",
    r"\bscenario\b",
    r"预测",
    r"预计到",
    r"到20\d\d年",
    r"届时",
)
DENIED_CUE = rx(
    r"\bden(?:y|ies|ied)\b",
    r"\bpush(?:ed|ing|es)? back (?:on|against)\b",
    r"\buntrue\b",
    r"消息不实|消息不實|不属实|不屬實",
    r"\bdismiss\w*",
    r"\brefut\w*",
    r"\bnot true\b",
    r"\bfalse\b",
    r"否认",
    r"辟谣",
    r"不实",
)
RUMOUR_CUE = rx(
    r"\brumou?r\w*", r"\bspeculat\w*", r"传闻", r"傳聞", r"传言", r"坊间", r"坊間", r"流传", r"流傳"
)
SPECULATIVE_CUE = rx(
    r"\bcould\b",
    r"(?-i:\bmay\b)",  # not the month
    r"\bmight\b",
    r"\bpossibl\w*",
    r"\bpotential\w*",
    r"\brumou?r\w*",
    r"\bspeculat\w*",
    r"传闻",
    r"传言",
    r"或将",
    r"可能",
    r"或许",
    r"坊间",
    r"流传",
)
CONSIDER_CUE = rx(r"\bweighing\b", r"\bconsidering\b", r"\bmulling\b", r"考虑", r"考慮")
REPORTED_CUE = rx(
    r"\breportedly\b",
    r"\baccording to\b",
    r"\breports?\b",
    r"\breported\b",
    r"\bsources?\b",
    r"\bfamiliar with\b",
    r"\bsaid to\b",
    r"\bis said\b",
    r"\bciting\b",
    r"\bsaid to\b",
    r"\bdiscuss(?:ed|es|ing|ions?)\b",
    r"\btalked about\b",
    r"\bbelieved to\b",
    r"\bthought to\b",
    r"据称",
    r"據稱",
    r"消息称",
    r"消息稱",
    r"據悉",
    r"報導",
    r"磋商",
    r"商谈",
    r"\bin talks\b",
    r"\bin (?:advanced |early |final )?"
    r"(?:talks|discussions|negotiations)\b",
    r"\bnegotiat\w+",
    r"据悉",
    r"据了解",
    r"据报道",
    r"报道",
    r"知情人士",
    r"消息人士",
    r"援引",
    r"洽谈",
    r"谈判",
)
EXPECTED_CUE = rx(
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
        rx(
            r"\b(?:closed|completed|finali[sz]ed|announced)\b(?:\s+\w+){0,4}\s+"
            r"(?:round|funding|financing|investment|raise)",
            r"\bhas raised\b",
            r"\braised\b",
            r"完成(?:了)?[^。，,]{0,12}融资",
            r"宣布完成",
        ),
    ),
    ("term_sheet", rx(r"\bterm sheet\b", r"投资意向书", r"条款清单")),
    (
        "final_negotiations",
        rx(
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
        rx(r"\badvanced (?:talks|discussions|negotiations)\b", r"深入洽谈", r"深度洽谈"),
    ),
    (
        "talks",
        rx(
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
    r"\s*(?:,|，|、|/|&|\band\b|\bor\b|和|及|与|與|以及|\bas well as\b|\bplus\b|\balong with\b|"
    r"\btogether with\b)(?:\s*(?:,|\band\b|\bas well as\b|以及))*\s*"
    r"((?:the\s+)?(?:(?!(?:with|while|but|including|which|who|when|as|after|before|led|"
    r"whose|from|by)\b)[a-z][\w-]*\s+){0,3})?$"
)
# An appositive after a name: "(with its Hunyuan model)", ", which held talks …,", ", both existing
# investors,". Its cues count for the name; the verb after it decides otherwise.
APPOSITIVE = re.compile(
    r"^\s*(?:[(（][^)）]{0,80}[)）]|[,，]\s*(?:which|who|whose|both|all|each|the|its|their|an?|"
    r"[A-Z][\w-]*['’]s)\b[^,，;；]{0,140}[,，])"
)
ROLE_WORDS = r"(?:investors?|backers?|shareholders?|participants?|stakeholders?)"
ROLE_BEFORE: list[tuple[str, re.Pattern[str]]] = [
    (
        "lead",
        rx(
            r"\b(?:co-)?(?:led|headed|spearheaded|anchored) by\s+(?:the\s+)?(?:[\w'’-]+\s+){0,4}$",
            r"\blead investors?,?\s+(?:including\s+|such as\s+|is\s+|was\s+)?(?:the\s+)?$",
            r"(?:^|[-•*]\s*|\n)\W*lead(?:\s+investors?)?\s*[:：]\s*(?:the\s+)?$",
        ),
    ),
    (
        "existing",
        rx(
            r"\b(?:existing|earlier|previous|current|early|prior|longtime|long-time)\s+"
            + ROLE_WORDS
            + r"[,:]?\s*(?:(?:include[sd]?|including|such as|like|are|were)\s+)?"
            r"(?:the\s+)?$",
            r"\bbacked by\s+(?:the\s+)?$",
            # owners hold the shares already: 'wholly owned by X', 'has been bankrolled since
            # its founding by X', '由X全资拥有' (see ROLE_AFTER)
            r"\b(?:wholly|fully|majority|solely|entirely|jointly|privately)[\s-]owned by\s+"
            r"(?:the\s+)?$",
            r"\b(?:has|have|had) (?:so far |always |long |until now |till now |to date )?been "
            r"(?:\w+ )?(?:bankrolled|funded|"
            r"financed|owned|backed)\b[^,;.]{0,50}?\bby\s+(?:the\s+)?$",
            r"\bbankrolled\b[^,;.]{0,50}?\bby\s+(?:the\s+)?$",
            r"\b(?:already|previously)\s+(?:backed|funded) by\s+(?:the\s+)?$",
            r"(?:老股东|現有股東|现有股东|老股東)\s*$",
            # shareholders hold stakes already ("X's shareholders include A", 'X的股东包括A')
            r"(?:['’]s|\bits|\btheir)\s+(?:\w+\s+)?shareholders\s+(?:include[sd]?|are|were)\s+"
            r"(?:the\s+)?$",
            r"的(?:股东|股東)(?:包括|有|为|為)\s*$",
            r"此前[^，。；]{0,8}获得\s*$",
            r"此前[^，。；]{0,8}獲得\s*$",
        ),
    ),
    (
        "considering",
        rx(r"(?:^|[-•*]\s*|\n)\W*(?:maybe|possibly|potential(?:ly)?)(?:\s+in)?\s*[:：]\s*$"),
    ),
    (
        "participant",
        rx(
            r"\b(?:other|new|additional|strategic|further)\s+" + ROLE_WORDS + r"\s*"
            r"(?:(?:include|includes|included|including|such as|like|are|were)\s*:?\s*)?"
            r"(?:the\s+)?(?:[a-z][\w-]*\s+){0,3}$",
            r"\b(?:participation|investments?|funding|capital|backing|money|commitments?)\s+from\s+"
            r"(?:the\s+)?$",
            r"\b(?:raised|raises|raising|secured|received|drew|took|attracted|raise)\b[^;.]{0,80}?"
            r"\bfrom\s+(?:the\s+)?$",
            r"\b(?:joined by|alongside|involving)\s+(?:the\s+)?(?:[\w-]+\s+){0,3}$",
            r"\b(?:round|financing|funding|deal)\b[^,;.]{0,30}\b(?:that|which) (?:included|"
            r"includes|include)\s+(?:the\s+)?$",
            r"\b(?:participants?|investors?) (?:is|are|was|were)\s+(?:the\s+)?$",
            r"(?:^|[-•*]\s*|\n)\W*(?:also in|participants?|co-investors?)\s*[:：]\s*$",
            r"(?:参投方|參投方)(?:包括|有|为|為)\s*$",
            r"获得\s*$",
            r"獲得\s*$",
        ),
    ),
    (
        "unspecified",
        rx(
            r"\b" + ROLE_WORDS + r"(?:\s+in (?:that|the|this|its|each) (?:\w+ )?(?:round|deal|"
            r"financing|raise))?\s*(?:that\s+)?(?:include|includes|included|including|such as|"
            r"like|are|were)\s*:?\s*(?:the\s+)?(?:[a-z][\w-]*\s+){0,3}$",
            r"(?:^|[-•*]\s*|\n)\W*investors?\s*[:：]\s*$",
            r"(?:投资方|投資方|投资者|投資者|投资人|投資人|股东|股東)(?:包括|有|为|為)\s*$",
            r"包括\s*$",
        ),
    ),
    ("in_talks", rx(r"\b(?:talks|discussions|negotiations) with\s+(?:the\s+)?$")),
]
HEDGE_INFIX = (
    r"(?:\s+(?:are|is|were|was|have|has|had|also|reportedly|both|each|now|still|"
    r"currently|all|said to be|understood to be|believed to be|again|together|jointly|"
    r"themselves|himself|herself|itself|personally))*"
)
# ('X的投资方有…' / 'X的股东': X is the investee, so no role word may follow a bare '的')
ZH_PRE = r"^(?>\s*)(?!的)(?:等[^，。；]{0,10}?)?[^，。；、]{0,10}?"
ROLE_AFTER: list[tuple[str, re.Pattern[str]]] = [
    (
        "existing",
        rx(
            r"^\s*(?:has|have|had)\s+(?:also\s+|already\s+|previously\s+)*(?:invested|backed|"
            r"put money|funded)\b",
            r"^" + HEDGE_INFIX + r"\s*(?:already|previously)\s+(?:invested|backed|put money)\b",
            r"^" + HEDGE_INFIX + r"\s*(?:already\s+)?(?:a shareholder|an investor|an existing)\b",
            # 'A is already an X shareholder' (the name qualifies the noun)
            r"^" + HEDGE_INFIX + r"\s*already\s+(?:a|an)\s+(?:[\w.-]+\s+){0,3}?"
            r"(?:shareholder|investor|backer|owner)s?\b",
            r"^" + HEDGE_INFIX + r"\s*(?:already\s+)?(?:holds?|owns?|has) (?:a |an )?(?:\w+ )?"
            r"stake",
            r"^" + HEDGE_INFIX + r"\s*(?:remains?|is|are|was|were) (?:its|their|the company's|"
            r"the (?:start-?up|lab|firm)'s|(?-i:[A-Z])[\w.-]*(?: (?-i:[A-Z])[\w.-]*)?['’]s) "
            r"(?:[\w-]+ )?(?:backer|investor|"
            r"shareholder|owner)s?",
            r"^" + HEDGE_INFIX + r"\s*(?:remains?\s+|is\s+|are\s+)?among (?:its|their|the "
            r"company's|the start-?up's) (?:\w+ )?(?:backers|investors|shareholders)",
            r"^,?\s*(?:which|who)\s+(?:has|have|had)\s+(?:already\s+|previously\s+)?"
            r"(?:invested|backed|funded|committed|put)",
            r"^,?\s*(?:both|all)?\s*(?:existing|earlier|previous)\s+(?:investors|shareholders|backers)",
            # an appositive naming its role: 'Alibaba, its largest outside shareholder'
            r"^,\s*(?:its|their|the company's|the start-?up's)\s+(?:[\w-]+\s+){0,3}"
            r"(?:shareholder|backer|investor)s?\b",
            r"^\s*[，,]\s*(?:其|该公司|該公司)[^，。；]{0,8}(?:股东|股東)",
            ZH_PRE + r"(?:此前|之前|早前|曾)?(?:已)?(?:是|为|為)[^，。；]{0,14}(?:股东|股東)",
            r"^\s*(?:等[^，。；]{0,10}?)?(?:老股东|老股東)",
            r"^\s*(?:全资|全額|全额|完全|绝对|絕對)?(?:拥有|擁有|持有|控股)",
            r"^\s*(?:此前|之前|早前|曾经|曾)(?:已)?(?:投资|投資|入股|参投|參投)",
            r"^" + HEDGE_INFIX + r"\s*(?:returned|returning|came back|re-upped|doubled down)\b",
        ),
    ),
    (
        "considering",
        rx(
            r"^" + HEDGE_INFIX + r"\s*(?:weighing|considering|mulling|exploring|"
            r"eyeing|eye|eyes|looking at|contemplating|interested in|thinking about|"
            r"(?:expressed|expressing|express|shown|showed|showing|signal(?:l)?ed|indicated|"
            r"voiced) (?:an? |some |strong |keen )?interest in)",
            r"^" + HEDGE_INFIX + r"\s*(?:may|might|could)\s+(?:also\s+)?(?:take part|invest|join|"
            r"participate|come in|back)",
            ZH_PRE + r"(?:考虑|考慮|有意(?:参投|參投|跟投|投资|投資|入股|参与|參與)|"
            r"评估是否(?:参与|投资|入股))",
            r"^\s*(?:等[^，。；]{0,10}?)?(?:也|亦|均)?(?:或|可能)(?:将|將|会|會)?"
            r"(?:参投|參投|跟投|参与|參與|投资|投資|入股)",
        ),
    ),
    (
        "lead",
        rx(
            r"^" + HEDGE_INFIX + r"\s*(?:will |would |to |is set to |are set to |is expected to |"
            r"expected to |set to |poised to |likely to |"
            r"are expected to |is poised to |is likely to |plans to |is planning to )?"
            r"(?:co-)?lead(?:s|ing)?\b",
            r"^" + HEDGE_INFIX + r"\s*(?:co-)?(?:led|anchored|spearheaded|headed)\b",
            r"^,?\s*(?:which|who) (?:is|are|will be) leading",
            r"^\s*as (?:the )?(?:co-)?lead",
            r"^\s*(?:in|taking) the lead\b",
            ZH_PRE + r"(?:领投|領投|牵头|牽頭|领衔|領銜)",
        ),
    ),
    (
        "in_talks",
        rx(
            r"^" + HEDGE_INFIX + r"\s*(?:in|held|holding|entered|in the)\s+"
            r"(?:advanced |early |preliminary |final |late-stage )?"
            r"(?:talks|discussions|negotiations)",
            r"^" + HEDGE_INFIX + r"\s*(?:negotiating|discussing|in talks)",
            r"^,?\s*in (?:talks|discussions|negotiations)",
            ZH_PRE + r"(?:洽谈|商谈|谈判|接洽|磋商|洽談|商談|談判)",
            # 'A和B均在与X洽谈投资事宜': a long investee name between 与 and the talks verb
            r"^(?>\s*)(?!的)[^，。；、]{0,8}?(?:均|都|也|亦|各自|分别|分別)(?:正|已|仍)?(?:在|正在)?"
            r"(?:与|與|同)[^，。；、]{1,24}?(?:洽谈|商谈|谈判|接洽|磋商|洽談|商談|談判)",
        ),
    ),
    (
        "participant",
        rx(
            r"^"
            + HEDGE_INFIX
            + r"\s*(?:also\s+)?(?:(?:expected|set|poised|likely|due|planning|going) to\s+)?"
            r"(?:participated|participating|participate|joined|join|"
            r"joining|took part|taking part|take part|invested|investing|will invest|"
            r"plans? to invest|"
            r"to invest|invest|committing|committed|contributing|contributed|contribute|putting in|"
            r"put in|poised to|chipped in|backing|backed the round|following on|followed on|"
            r"follow on|put(?:ting)? (?:in )?more money|provid(?:e|ed|ing)|will provide|"
            r"making up the (?:rest|remainder|balance)|(?:providing|contributing|covering) the "
            r"(?:rest|remainder|balance)|"
            r"(?:(?:is|are|were|was) )?among the (?:other |new |\w+ )?"
            r"(?:investors|backers|participants)|"
            # 'A and B came in as new investors'
            r"came in(?: as (?:new |strategic |fresh )?(?:investors?|backers?|shareholders?))?\b)",
            ZH_PRE + r"(?:参投|參投|跟投|参与|參與|入股|出资|出資|认购|認購|加注|增持|加码|加碼|"
            r"投资|投資)",
        ),
    ),
]
NEGATED_AFTER = rx(
    r"^" + HEDGE_INFIX + r"\s*(?:not|n't|never)\b",
    r"^\s*(?:isn't|aren't|wasn't|weren't|didn't|don't|doesn't|won't|declined to (?:invest|join))",
    r"^" + HEDGE_INFIX + r"\s*(?:missing|absent|excluded|left out) from",
    r"^" + HEDGE_INFIX + r"\s*(?:did|does|do|will|would) not\b",
    r"^\s*(?:等)?(?:[^，。；]{0,6})?(?:未|没有|沒有|并未|並未|不在|未能)",
)
RAISER_AFTER = rx(
    r"^\w*\s*(?:(?:about|over|on|with investors (?:about|over))\s+)?(?:to raise|raising|a share "
    r"sale|to sell (?:shares|a stake)|fundrais\w*|new funding|(?:a |its )?(?:new |first )?"
    r"(?:funding )?round|a (?:capital|equity) raise)\b",
    r"^[^，。；]{0,6}(?:融资|融資|募资|募資)",
)
TALKS_NEAR = rx(r"\bin (?:advanced |early |final )?(?:talks|discussions|negotiations)\b",
                  r"洽谈|洽談")
CLAUSE_END = re.compile(r"[;；。]|\s(?:but|while|whereas|although)\s|，(?:而|但)")
