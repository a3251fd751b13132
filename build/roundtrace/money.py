"""Money expressions in English and Chinese funding news: find, parse, render.

Claims need the figure, its currency and how the publisher bounded it ("more than", 约, 以上), so
each match keeps bound words, range and "+"/以上 suffixes inside its span, and a parenthesised
conversion right after it ("($7.4 billion)", （约合70亿美元）) becomes its `gloss` rather than
a claim of its own. Stdlib only. Every regex is compiled once at import and has no nested
quantifiers, so scanning stays linear-ish on hostile input; amounts go through Decimal so that
format_money/parse_money round-trip floats exactly.

Rule for "¥"/"￥": CNY when `lang` starts with "zh"; otherwise JPY when yen/Japan/日元/日本/円
appears within 80 characters, else CNY (this corpus is about Chinese companies).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from decimal import Decimal


@dataclass(frozen=True)
class Money:
    """One money expression; offsets are code points into the text given to find_money."""

    start: int
    end: int
    text: str
    currency: str | None
    currency_surface: str | None
    low: float | None
    high: float | None
    low_inclusive: bool | None
    high_inclusive: bool | None
    qualifier: str
    gloss: Money | None = None


# Offsets must survive normalisation, so only one-code-point-for-one replacements happen here:
# full-width forms, odd spaces, and the traditional characters the vocabulary below needs.
_NORMALISE = str.maketrans(
    {**{chr(0xFF10 + i): str(i) for i in range(10)},
     "＄": "$", "～": "~", "－": "-", "．": ".", "＋": "+", "\u00a0": " ", "\u2009": " ",
     "\u202f": " ", "\u3000": " ", "\t": " "}
    | dict(zip("億萬幣約過歐韓兩達於餘間將鎊為圓臺",
               "亿万币约过欧韩两达于余间将镑为元台", strict=True))
)

# Surface -> ISO 4217. "¥" is decided by context; None means a currency we cannot name.
_PREFIX_CUR = {
    "US$": "USD", "U.S.$": "USD", "HK$": "HKD", "S$": "SGD", "SG$": "SGD", "A$": "AUD",
    "AU$": "AUD", "C$": "CAD", "CA$": "CAD", "NT$": "TWD", "NZ$": "NZD", "$": "USD",
    "€": "EUR", "£": "GBP", "₩": "KRW", "¥": None, "￥": None, "RMB": "CNY", "Rmb": "CNY",
    "人民币": "CNY", "美元": "USD", "港元": "HKD", "港币": "HKD", "欧元": "EUR", "日元": "JPY",
    "韩元": "KRW", "英镑": "GBP", "新台币": "TWD",
}
_CODES = ("USD", "CNY", "HKD", "EUR", "JPY", "GBP", "KRW", "SGD", "AUD", "CAD", "TWD", "NZD",
          "CHF", "INR")
_SUFFIX_CUR = {
    "US dollars": "USD", "US dollar": "USD", "U.S. dollars": "USD", "U.S. dollar": "USD",
    "Hong Kong dollars": "HKD", "Singapore dollars": "SGD", "dollars": "USD", "dollar": "USD",
    "yuan": "CNY", "renminbi": "CNY", "RMB": "CNY", "euros": "EUR", "euro": "EUR", "yen": "JPY",
    "won": "KRW", "pounds sterling": "GBP", "pounds": "GBP", "pound": "GBP", "sterling": "GBP",
    "元人民币": "CNY", "人民币": "CNY", "美元": "USD", "美金": "USD", "港元": "HKD",
    "港币": "HKD", "欧元": "EUR", "日元": "JPY", "韩元": "KRW", "英镑": "GBP",
    "新加坡元": "SGD", "新元": "SGD", "新台币": "TWD", "元": "CNY",
}
# all-caps headlines and wire flashes: '50 BILLION YUAN', '$2 BILLION IN US DOLLARS'
_SUFFIX_CUR |= {k.upper(): v for k, v in _SUFFIX_CUR.items() if k.isascii() and not k.isupper()}
_NEEDS_SCALE = {"won", "pounds", "pound", "sterling"}  # "50 pounds" is usually a weight
_NEEDS_SCALE |= {w.upper() for w in _NEEDS_SCALE}

# Bound words -> kind: gt/ge (lower bound, exclusive/inclusive), lt/le (upper), approx, range.
_EN_BOUNDS = {
    "gt": "above|over|more than|greater than|exceeding|in excess of|past|north of|surpassing|"
          "topping|upwards of|upward of|beyond",
    "ge": "at least|no less than|not less than|a minimum of|minimum of",
    "le": "up to|as much as|as high as|at most|no more than|not more than|a maximum of|"
          "maximum of|capped at",
    "lt": "under|below|less than|shy of",
    "approx": "about|roughly|approximately|approx\\.|around|nearly|almost|close to|some|"
              "an estimated|estimated|circa",
}
_ZH_BOUNDS = {
    "gt": "超过|突破|逾|超|高于|多于|大于",
    "ge": "不低于|不少于|至少|起码",
    "le": "最高可达|最高达|最高|最多|多达|高达|不超过|至多",
    "lt": "不到|不足|低于|少于",
    "approx": "大约|约合|约为|约|将近|接近|近|大概|~",
}
_BOUND_KIND = {w.replace("\\", ""): k for d in (_EN_BOUNDS, _ZH_BOUNDS) for k, ws in d.items()
               for w in ws.split("|")}
_SUFFIX_KIND = {"+": "gt", "-plus": "gt", "以上": "gt", "or more": "ge", "or less": "le",
                "以下": "lt", "左右": "approx", "上下": "approx", "之间": None}
_DIRECTIONAL = ("gt", "ge", "lt", "le")

_SCALE_EXP = {"trillion": 12, "billion": 9, "million": 6, "thousand": 3, "trn": 12, "tn": 12,
              "bln": 9, "bn": 9, "mln": 6, "mn": 6, "t": 12, "b": 9, "m": 6, "k": 3,
              "万亿": 12, "千亿": 11, "百亿": 10, "十亿": 9, "亿": 8, "千万": 7, "百万": 6,
              "十万": 5, "万": 4}
_CN_DIGIT = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0, "两": 2}
_CN_UNIT = {"十": 10, "百": 100, "千": 1000}


def _alt(words, boundary: bool = False) -> str:
    """Alternation, longest first so 美元 beats 元 and US$ beats $; spaces match runs."""
    parts = [re.escape(w).replace("\\ ", " +") for w in sorted(words, key=len, reverse=True)]
    return "(?:" + "|".join(parts) + ")" + ("(?![A-Za-z])" if boundary else "")


_CP = "(?:" + _alt(_PREFIX_CUR) + "|" + _alt(_CODES) + r"|[A-Z]{1,3}\$)"
_CS = _alt([*_SUFFIX_CUR, *_CODES], boundary=True)
_NUM = (r"(?:[0-9]{1,3}(?:,[0-9][0-9][0-9])+|[0-9]+)(?:\.[0-9]+)?(?![0-9])"
        r"|(?<![数几上])[〇一二两三四五六七八九十百千][零〇一二两三四五六七八九十百千万亿]*")
_SCALE = (r"[ -]?(?i:trillion|billion|million|thousand)(?![A-Za-z])"
          r"|[ ]?(?i:trn|tn|bln|bn|mln|mn)(?![A-Za-z])|[mMbBkKT](?![A-Za-z])"
          r"|万亿|[千百十]亿|亿|[千百十]万|万")
_BOUND = ("(?:(?i:" + "|".join(_EN_BOUNDS.values()).replace(" ", " +") + ")(?= )|"
          + "|".join(_ZH_BOUNDS.values()) + ")")


def _figure(i: str) -> str:
    return (rf"(?:(?P<cp{i}>{_CP}) ?)?(?P<num{i}>{_NUM})(?P<duo{i}>[多余])?"
            rf"(?P<sc{i}>{_SCALE})?(?P<dub{i}>[多余])?(?: ?(?P<cs{i}>{_CS}))?")



def _first_chars() -> str:
    """A lookahead for the characters an atom can start with: 'between' / 介于, a bound word, a
    currency prefix or a numeral. It only lets `re` give up sooner at the other positions of a
    search (the atom's own alternatives would fail there anyway)."""
    ci = {"b"} | {w[0] for ws in _EN_BOUNDS.values() for w in ws.split("|")}
    cs = {"介"} | {w[0] for ws in _ZH_BOUNDS.values() for w in ws.split("|")}
    cs |= {w[0] for w in (*_PREFIX_CUR, *_CODES)} | set("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
    cs |= set("〇一二两三四五六七八九十百千")
    assert ci <= set("abcdefghijklmnopqrstuvwxyz")
    return ("(?=(?i:[" + "".join(sorted(ci)) + "])|["
            + "".join(re.escape(c) for c in sorted(cs)) + "])")


# A match may start anywhere except inside a word or a number.
_ATOM = re.compile(_first_chars() + r"(?:(?<![A-Za-z0-9.])|(?=[^A-Za-z0-9]))"
                   rf"(?P<btw>(?i:between) +|介于)?(?:(?P<bound>{_BOUND}) *)?{_figure('1')}")
_FIG2 = re.compile(_figure("2"))
_JOIN = re.compile(r" *(?P<sep>[-–—~至到和与]|(?<= )(?:to|and)(?= )) *")
_SUFFIX = re.compile(r"\+(?! ?[0-9$€£¥])|-plus(?![A-Za-z])| +or +(?:more|less)(?![A-Za-z])"
                     r"|以上|以下|左右|上下|之间")
_GLOSS_GAP = re.compile(r" *[(（] *(?:(?i:or|i\.e\.,?|equivalent to|equal to|worth)|折合|相当于"
                        r"|合|即)? *")
_GLOSS_TAIL = re.compile(r"[^()（）0-9\n]{0,30}?[)）]")
_YEN_CONTEXT = re.compile(r"\byen\b|japan|\btokyo\b|日元|日本|円", re.IGNORECASE)


def _cn_int(s: str) -> int:
    """Chinese numeral to int: 三千五百 -> 3500, 一亿五千万 -> 150000000, 二〇二三 -> 2023."""
    total = section = digit = 0
    for ch in s:
        if ch in _CN_DIGIT:
            digit = digit * 10 + _CN_DIGIT[ch]
        elif ch in _CN_UNIT:
            section += (digit or 1) * _CN_UNIT[ch]
            digit = 0
        elif ch == "万":
            total, section, digit = total + (section + digit) * 10**4, 0, 0
        else:  # 亿 scales everything before it
            total, section, digit = (total + section + digit) * 10**8, 0, 0
    return total + section + digit


def _amount(m: re.Match, i: str, scale: str | None) -> Decimal | None:
    """Exact decimal value of figure i, with `scale` (its own or inherited); None if absurd."""
    num = m.group(f"num{i}").replace(",", "")
    if len(num) > 400:
        return None
    if num[0].isascii():
        value = Decimal(num)
    elif len(num) > 24:
        return None
    else:
        value = Decimal(_cn_int(num))
    if scale:
        key = scale.strip(" -")
        value = value.scaleb(_SCALE_EXP.get(key, _SCALE_EXP.get(key.lower(), 0)))
    return value


def _iso(surface: str, norm: str, start: int, lang: str) -> str | None:
    key = " ".join(surface.split())
    if key in ("¥", "￥"):
        if lang.lower().startswith("zh"):
            return "CNY"
        window = norm[max(0, start - 80):start + 80]
        return "JPY" if _YEN_CONTEXT.search(window) else "CNY"
    if key in _CODES:
        return key
    return _PREFIX_CUR.get(key) or _SUFFIX_CUR.get(key)


def _currency(m: re.Match, i: str) -> tuple[int, int] | None:
    """Span of the currency printed with figure i, prefix first; None when it has none."""
    cp, cs = m.group(f"cp{i}"), m.group(f"cs{i}")
    if cs and not cp and not m.group(f"sc{i}") and " ".join(cs.split()) in _NEEDS_SCALE:
        return None
    return m.span(f"cp{i}") if cp else m.span(f"cs{i}") if cs else None


def _join_range(norm: str, m: re.Match, surface: tuple[int, int] | None, lang: str):
    """(second figure, low, high, surface) if a range continues after atom m, else None."""
    j = _JOIN.match(norm, m.end())
    if not j or (j.group("sep") in ("and", "和", "与") and not m.group("btw")):
        return None  # "X and Y" is two amounts unless introduced by "between"/介于
    f2 = _FIG2.match(norm, j.end())
    scale1 = m.group("sc1")
    if not f2 or (scale1 and not f2.group("sc2")):
        return None
    a = _amount(m, "1", scale1 or f2.group("sc2"))  # "$52-59 billion": 52 takes "billion"
    b = _amount(f2, "2", f2.group("sc2"))
    if a is None or b is None:
        return None
    if not scale1 and f2.group("sc2") and a > b:
        if not surface or not f2.group("sc2").isascii() or a.scaleb(-3) > b:
            return None  # "2019-5 billion yuan" is a year, then an amount
        a = a.scaleb(-3)  # "$900-1.2 billion" means 900 million
    cur2 = _currency(f2, "2")
    if surface and cur2:
        s1, s2 = norm[slice(*surface)], norm[slice(*cur2)]
        iso1, iso2 = _iso(s1, norm, m.start(), lang), _iso(s2, norm, m.start(), lang)
        if iso1 != iso2 or (iso1 is None and s1 != s2):
            return None
    elif not surface and not (cur2 and (f2.group("cs2") or m.group("btw"))):
        return None  # a bare number before "$5 billion" must not borrow its currency
    return f2, min(a, b), max(a, b), surface or cur2


_FIELDS = {"gt": ("lo", None, False, None, "lower_bound"),
           "ge": ("lo", None, True, None, "lower_bound"),
           "lt": (None, "hi", None, False, "upper_bound"),
           "le": (None, "hi", None, True, "upper_bound"),
           "approx": ("lo", "hi", True, True, "approximate"),
           "range": ("lo", "hi", True, True, "range"),
           "exact": ("lo", "hi", True, True, "exact")}


def _expression(text: str, norm: str, m: re.Match, lang: str) -> Money | None:
    """Money from an atom match plus any range and suffix after it; None if not money."""
    start, end = m.span()
    surface = _currency(m, "1")
    joined = _join_range(norm, m, surface, lang)
    if joined:
        f2, low, high, surface = joined
        end, kind = f2.end(), "range"
    else:
        low = high = _amount(m, "1", m.group("sc1"))
        kind = None
        if m.group("btw"):
            start = m.end("btw")
    if not surface or low is None:
        return None
    suffix = _SUFFIX.match(norm, end)
    if suffix:
        end = suffix.end()
    if kind is None:
        bound = m.group("bound")
        cands = [_SUFFIX_KIND.get(" ".join(suffix.group().split())) if suffix else None,
                 _BOUND_KIND.get(" ".join(bound.lower().split())) if bound else None,
                 "gt" if m.group("duo1") or m.group("dub1") else None]  # 500多亿
        kind = next((k for k in cands if k in _DIRECTIONAL), None) or next(
            (k for k in cands if k), "exact")
    lo, hi = float(low), float(high)
    if not (math.isfinite(lo) and math.isfinite(hi)):
        return None
    lo_f, hi_f, lo_inc, hi_inc, qualifier = _FIELDS[kind]
    iso = _iso(norm[slice(*surface)], norm, m.start(), lang)
    return Money(start, end, text[start:end], iso, text[slice(*surface)],
                 lo if lo_f else None, hi if hi_f else None, lo_inc, hi_inc, qualifier)


# Every atom contains a number, and what comes before its number (between, a bound word, a
# currency, spaces) holds no numeral. So no atom starts further than `_reach` before the first
# numeral at or after the search position: searching from there finds the same atom as
# searching from the position itself, without trying the long stretch of words before it.
_NUMERAL = re.compile(r"[0-9〇一二两三四五六七八九十百千]")
_SPACE_RUN = re.compile(r" {2,}")
_BOUND_WORDS = tuple(w.replace("\\", "") for ws in (*_EN_BOUNDS.values(), *_ZH_BOUNDS.values())
                     for w in ws.split("|"))
_BOUND_LONGEST = max(map(len, _BOUND_WORDS))
_BOUND_GAPS = max(w.count(" ") for w in _BOUND_WORDS)
_CP_LONGEST = max(4, *map(len, _PREFIX_CUR), *map(len, _CODES))  # 4: '[A-Z]{1,3}\$'


def _reach(norm: str) -> int:
    """At least the longest text an atom can have before its number: 'between' + spaces, a
    bound word (its inner spaces may be runs) + spaces, a currency + a space."""
    run = max(map(len, _SPACE_RUN.findall(norm))) if "  " in norm else 1
    bound = _BOUND_LONGEST + _BOUND_GAPS * (run - 1) + run
    return len("between") + run + bound + _CP_LONGEST + 1


def _scan(text: str, lang: str) -> tuple[str, list[Money]]:
    norm = text.translate(_NORMALISE)
    found: list[Money] = []
    pos = 0
    reach = _reach(norm)
    while True:
        first = _NUMERAL.search(norm, pos)
        if first is None:
            break
        m = _ATOM.search(norm, max(pos, first.start() - reach))  # == _ATOM.search(norm, pos)
        if m is None:
            break
        money = _expression(text, norm, m, lang)
        if money is None:
            pos = max(m.end(), m.start() + 1)
            continue
        found.append(money)
        pos = money.end
    return norm, found


def _gloss_end(norm: str, prev: Money, cand: Money) -> int | None:
    """End of the closing bracket if `cand` is prev's parenthesised conversion, else None."""
    if prev.gloss is not None or not _GLOSS_GAP.fullmatch(norm, prev.end, cand.start):
        return None
    tail = _GLOSS_TAIL.match(norm, cand.end)
    return tail.end() if tail else None


def find_money(text: str, lang: str = "en", yen_hint: str | None = None) -> list[Money]:
    """All money expressions in text, in order, non-overlapping. Never raises on any str.

    Only expressions with a printed currency count; a parenthesised money expression right
    after another becomes that one's `gloss` instead of a result of its own.

    "¥" outside Chinese text: a USD gloss decides by the rate it implies (JPY ~0.007, CNY
    ~0.14); else yen/Japan words near it; else `yen_hint` (the caller's reading of the whole
    article: "JPY" or "CNY"); else CNY.
    """
    if not isinstance(text, str):
        return []
    lang = lang if isinstance(lang, str) else "en"
    if yen_hint not in ("JPY", "CNY"):
        yen_hint = None
    norm, found = _scan(text, lang)
    out: list[Money] = []
    for money in found:
        if out and _gloss_end(norm, out[-1], money) is not None:
            out[-1] = replace(out[-1], gloss=money)
        else:
            out.append(money)
    if not lang.lower().startswith("zh"):
        out = [_yen(norm, m, yen_hint) for m in out]
    return out


def _yen(norm: str, m: Money, hint: str | None) -> Money:
    if m.currency_surface not in ("¥", "￥") or m.currency not in ("JPY", "CNY"):
        return m
    g = m.gloss
    native = m.high if m.high is not None else m.low
    usd = None if g is None or g.currency != "USD" else (g.high if g.high is not None else g.low)
    if native and usd:
        rate = usd / native
        if rate < 0.03:
            return replace(m, currency="JPY")
        if 0.06 < rate < 0.3:
            return replace(m, currency="CNY")
    if m.currency == "JPY" or hint is None:
        return m
    return replace(m, currency=hint)


_JPY_WORDS = re.compile(r"\byen\b|\bjapan|\btokyo\b|\bosaka\b|日元|日本|円", re.IGNORECASE)
_CNY_WORDS = re.compile(
    r"\byuan\b|\brenminbi\b|\bRMB\b|\bchin(?:a|ese)\b|\bbeijing\b|\bshanghai\b|"
    r"\bhangzhou\b|\bshenzhen\b",
    re.IGNORECASE,
)


def yen_context(text: str) -> str | None:
    """Which currency a bare "¥" in an English article most likely is, from the article's words:
    "JPY" when Japan words outnumber China words, "CNY" when the reverse, else None."""
    if not isinstance(text, str) or ("¥" not in text and "￥" not in text):
        return None
    jp = len(_JPY_WORDS.findall(text))
    cn = len(_CNY_WORDS.findall(text))
    if jp > cn:
        return "JPY"
    if cn > jp:
        return "CNY"
    return None


def parse_money(s: str, lang: str = "en") -> Money | None:
    """The single money expression that spans all of s (after stripping whitespace), else None.

    Offsets stay relative to s; a trailing parenthesised gloss may be part of s.
    """
    if not isinstance(s, str):
        return None
    found = find_money(s, lang)
    first, last = len(s) - len(s.lstrip()), len(s.rstrip())
    if len(found) != 1 or found[0].start != first:
        return None
    m = found[0]
    end = m.end
    if m.gloss is not None:
        tail = _GLOSS_TAIL.match(s.translate(_NORMALISE), m.gloss.end)
        end = tail.end() if tail else end
    return m if end == last else None


def _render(x: float, exp: int) -> str:
    """x as a plain decimal scaled by 10**-exp; exact, so parsing it gives back x."""
    d = Decimal(repr(float(x))).scaleb(-exp).normalize()
    words = {12: " trillion", 9: " billion", 6: " million", 0: ""}
    return format(d, "f") + words[exp]


def _exp_for(x: float) -> int:
    return next((e for e in (12, 9, 6) if x >= 10**e), 0)


def format_money(m: Money) -> str:
    """Canonical English rendering; parse_money(format_money(m)) returns the same values.

    Ranges use the upper figure's scale on both ends so neither end borrows a scale word.
    """
    cur = m.currency or m.currency_surface or ""
    point = m.low if m.low is not None else m.high
    if point is None:
        return ""
    if m.qualifier == "range" and m.low is not None and m.high is not None:
        exp = _exp_for(m.high)
        return f"{cur} {_render(m.low, exp)} to {cur} {_render(m.high, exp)}".strip()
    words = {"approximate": "about ", "lower_bound": "at least " if m.low_inclusive else "above ",
             "upper_bound": "up to " if m.high_inclusive else "under "}
    return (words.get(m.qualifier, "") + f"{cur} {_render(point, _exp_for(point))}").strip()
