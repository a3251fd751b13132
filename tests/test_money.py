"""Money normaliser: table-driven examples (English and Chinese) plus hypothesis properties.

All sentences here are invented for the tests.
"""

from __future__ import annotations

import math
import re

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from roundtrace import money as money_mod
from roundtrace.money import Money, find_money, format_money, parse_money, yen_context

B, M, YI = 1e9, 1e6, 1e8

# kind -> (low, high, low_inclusive, high_inclusive, qualifier) for a figure a (and b)
_KINDS = {
    "exact": lambda a, b: (a, a, True, True, "exact"),
    "approx": lambda a, b: (a, a, True, True, "approximate"),
    "gt": lambda a, b: (a, None, False, None, "lower_bound"),
    "ge": lambda a, b: (a, None, True, None, "lower_bound"),
    "lt": lambda a, b: (None, a, None, False, "upper_bound"),
    "le": lambda a, b: (None, a, None, True, "upper_bound"),
    "range": lambda a, b: (a, b, True, True, "range"),
}


def _fields(m: Money) -> tuple:
    return (m.text, m.currency, m.currency_surface, m.low, m.high, m.low_inclusive,
            m.high_inclusive, m.qualifier)


def _want(span, cur, surface, kind, a, b=None) -> tuple:
    return (span, cur, surface, *_KINDS[kind](a, b))


# (text, lang, [(span, currency, surface, kind, a[, b]), ...]); glosses are tested separately.
CASES = [
    # plain figures, symbols, codes and scale spellings
    ("The startup raised $6.6 billion last week.", "en",
     [("$6.6 billion", "USD", "$", "exact", 6.6 * B)]),
    ("a $1.5B seed round", "en", [("$1.5B", "USD", "$", "exact", 1.5 * B)]),
    ("It took $300m from two funds.", "en", [("$300m", "USD", "$", "exact", 300 * M)]),
    ("a fresh US$1.5bn", "en", [("US$1.5bn", "USD", "US$", "exact", 1.5 * B)]),
    ("a $2bn cheque", "en", [("$2bn", "USD", "$", "exact", 2 * B)]),
    ("a $2 bn cheque", "en", [("$2 bn", "USD", "$", "exact", 2 * B)]),
    ("sized at $4M", "en", [("$4M", "USD", "$", "exact", 4 * M)]),
    ("a $2b fund", "en", [("$2b", "USD", "$", "exact", 2 * B)]),
    ("a $3 trillion market", "en", [("$3 trillion", "USD", "$", "exact", 3e12)]),
    ("a $1tn company", "en", [("$1tn", "USD", "$", "exact", 1e12)]),
    ("only $500k so far", "en", [("$500k", "USD", "$", "exact", 5e5)]),
    ("a 5 mn euro grant", "en", [("5 mn euro", "EUR", "euro", "exact", 5 * M)]),
    ("costs $12", "en", [("$12", "USD", "$", "exact", 12.0)]),
    ("a USD 300 million deal", "en", [("USD 300 million", "USD", "USD", "exact", 300 * M)]),
    ("300 million US dollars", "en",
     [("300 million US dollars", "USD", "US dollars", "exact", 300 * M)]),
    ("a 5 billion dollar valuation", "en", [("5 billion dollar", "USD", "dollar", "exact", 5 * B)]),
    ("1,000 million dollars", "en", [("1,000 million dollars", "USD", "dollars", "exact", 1 * B)]),
    ("a $5-billion deal", "en", [("$5-billion", "USD", "$", "exact", 5 * B)]),
    ("HK$1.2 billion", "en", [("HK$1.2 billion", "HKD", "HK$", "exact", 1.2 * B)]),
    ("HKD 8 billion", "en", [("HKD 8 billion", "HKD", "HKD", "exact", 8 * B)]),
    ("2 billion Hong Kong dollars", "en",
     [("2 billion Hong Kong dollars", "HKD", "Hong Kong dollars", "exact", 2 * B)]),
    ("€2 billion", "en", [("€2 billion", "EUR", "€", "exact", 2 * B)]),
    ("EUR 2 billion", "en", [("EUR 2 billion", "EUR", "EUR", "exact", 2 * B)]),
    ("3 billion euros", "en", [("3 billion euros", "EUR", "euros", "exact", 3 * B)]),
    ("£3m", "en", [("£3m", "GBP", "£", "exact", 3 * M)]),
    ("GBP 40 million", "en", [("GBP 40 million", "GBP", "GBP", "exact", 40 * M)]),
    ("40 million pounds", "en", [("40 million pounds", "GBP", "pounds", "exact", 40 * M)]),
    ("JPY 10 billion", "en", [("JPY 10 billion", "JPY", "JPY", "exact", 10 * B)]),
    ("100 billion yen", "en", [("100 billion yen", "JPY", "yen", "exact", 100 * B)]),
    ("KRW 1 trillion", "en", [("KRW 1 trillion", "KRW", "KRW", "exact", 1e12)]),
    ("1 trillion won", "en", [("1 trillion won", "KRW", "won", "exact", 1e12)]),
    ("S$50 million", "en", [("S$50 million", "SGD", "S$", "exact", 50 * M)]),
    ("SGD 50 million", "en", [("SGD 50 million", "SGD", "SGD", "exact", 50 * M)]),
    ("a 50 billion RMB round", "en", [("50 billion RMB", "CNY", "RMB", "exact", 50 * B)]),
    ("200 billion RMB", "en", [("200 billion RMB", "CNY", "RMB", "exact", 200 * B)]),
    ("RMB50bn", "en", [("RMB50bn", "CNY", "RMB", "exact", 50 * B)]),
    ("RMB 7 billion", "en", [("RMB 7 billion", "CNY", "RMB", "exact", 7 * B)]),
    ("CNY 1.2 billion", "en", [("CNY 1.2 billion", "CNY", "CNY", "exact", 1.2 * B)]),
    ("5 billion renminbi", "en", [("5 billion renminbi", "CNY", "renminbi", "exact", 5 * B)]),
    ("8 billion yuan", "en", [("8 billion yuan", "CNY", "yuan", "exact", 8 * B)]),
    ("($5 million)", "en", [("$5 million", "USD", "$", "exact", 5 * M)]),
    ("A$20 million", "en", [("A$20 million", "AUD", "A$", "exact", 20 * M)]),
    ("ZZ$20 million", "en", [("ZZ$20 million", None, "ZZ$", "exact", 20 * M)]),
    ("＄5 billion", "en", [("＄5 billion", "USD", "＄", "exact", 5 * B)]),
    # two figures in one sentence
    ("The plan is to raise $300 million at a $10 billion valuation.", "en",
     [("$300 million", "USD", "$", "exact", 300 * M),
      ("$10 billion", "USD", "$", "exact", 10 * B)]),
    ("$5 billion and $10 billion respectively", "en",
     [("$5 billion", "USD", "$", "exact", 5 * B), ("$10 billion", "USD", "$", "exact", 10 * B)]),
    ("$3B+ now, ~$45B later", "en",
     [("$3B+", "USD", "$", "gt", 3 * B), ("~$45B", "USD", "$", "approx", 45 * B)]),
    ("8 billion yuan, or about $1.1 billion", "en",
     [("8 billion yuan", "CNY", "yuan", "exact", 8 * B),
      ("about $1.1 billion", "USD", "$", "approx", 1.1 * B)]),
    # lower bounds, exclusive
    ("a valuation of more than US$20bn", "en", [("more than US$20bn", "USD", "US$", "gt", 20 * B)]),
    ("exceeding $20 billion", "en", [("exceeding $20 billion", "USD", "$", "gt", 20 * B)]),
    ("above $1 billion", "en", [("above $1 billion", "USD", "$", "gt", B)]),
    ("over $1 billion", "en", [("over $1 billion", "USD", "$", "gt", B)]),
    ("Over $1 billion", "en", [("Over $1 billion", "USD", "$", "gt", B)]),
    ("in excess of $1 billion", "en", [("in excess of $1 billion", "USD", "$", "gt", B)]),
    ("valued past $1 billion", "en", [("past $1 billion", "USD", "$", "gt", B)]),
    ("north of $1 billion", "en", [("north of $1 billion", "USD", "$", "gt", B)]),
    ("surpassing $1 billion", "en", [("surpassing $1 billion", "USD", "$", "gt", B)]),
    ("topping $1 billion", "en", [("topping $1 billion", "USD", "$", "gt", B)]),
    ("upwards of $1 billion", "en", [("upwards of $1 billion", "USD", "$", "gt", B)]),
    ("a $1 billion-plus round", "en", [("$1 billion-plus", "USD", "$", "gt", B)]),
    ("$20B+", "en", [("$20B+", "USD", "$", "gt", 20 * B)]),
    # lower bounds, inclusive
    ("at least $3 billion", "en", [("at least $3 billion", "USD", "$", "ge", 3 * B)]),
    ("no less than $3 billion", "en", [("no less than $3 billion", "USD", "$", "ge", 3 * B)]),
    ("$10 billion or more", "en", [("$10 billion or more", "USD", "$", "ge", 10 * B)]),
    # upper bounds
    ("up to 400 billion yuan", "en", [("up to 400 billion yuan", "CNY", "yuan", "le", 400 * B)]),
    ("valued at as much as 400 billion RMB", "en",
     [("as much as 400 billion RMB", "CNY", "RMB", "le", 400 * B)]),
    ("as high as $9 billion", "en", [("as high as $9 billion", "USD", "$", "le", 9 * B)]),
    ("at most $9 billion", "en", [("at most $9 billion", "USD", "$", "le", 9 * B)]),
    ("Up to $1 billion", "en", [("Up to $1 billion", "USD", "$", "le", B)]),
    ("under $5 million", "en", [("under $5 million", "USD", "$", "lt", 5 * M)]),
    ("below $5 million", "en", [("below $5 million", "USD", "$", "lt", 5 * M)]),
    ("less than $5 million", "en", [("less than $5 million", "USD", "$", "lt", 5 * M)]),
    ("under 5 trillion won", "en", [("under 5 trillion won", "KRW", "won", "lt", 5e12)]),
    # approximate
    ("roughly $20B", "en", [("roughly $20B", "USD", "$", "approx", 20 * B)]),
    ("about $45 billion", "en", [("about $45 billion", "USD", "$", "approx", 45 * B)]),
    ("About $5 billion", "en", [("About $5 billion", "USD", "$", "approx", 5 * B)]),
    ("approximately $7.4 billion", "en",
     [("approximately $7.4 billion", "USD", "$", "approx", 7.4 * B)]),
    ("around $7 billion", "en", [("around $7 billion", "USD", "$", "approx", 7 * B)]),
    ("nearly $7 billion", "en", [("nearly $7 billion", "USD", "$", "approx", 7 * B)]),
    ("almost $7 billion", "en", [("almost $7 billion", "USD", "$", "approx", 7 * B)]),
    ("close to $7 billion", "en", [("close to $7 billion", "USD", "$", "approx", 7 * B)]),
    ("some $7 billion", "en", [("some $7 billion", "USD", "$", "approx", 7 * B)]),
    ("~$7 billion", "en", [("~$7 billion", "USD", "$", "approx", 7 * B)]),
    # ranges
    ("between $10 billion and $20 billion", "en",
     [("between $10 billion and $20 billion", "USD", "$", "range", 10 * B, 20 * B)]),
    ("Between 10 and 20 billion yuan", "en",
     [("Between 10 and 20 billion yuan", "CNY", "yuan", "range", 10 * B, 20 * B)]),
    ("20-30 billion dollars", "en",
     [("20-30 billion dollars", "USD", "dollars", "range", 20 * B, 30 * B)]),
    ("$52-59 billion", "en", [("$52-59 billion", "USD", "$", "range", 52 * B, 59 * B)]),
    ("$52–59 billion", "en", [("$52–59 billion", "USD", "$", "range", 52 * B, 59 * B)]),
    ("$10-$20 billion", "en", [("$10-$20 billion", "USD", "$", "range", 10 * B, 20 * B)]),
    ("$5 billion - $10 billion", "en",
     [("$5 billion - $10 billion", "USD", "$", "range", 5 * B, 10 * B)]),
    ("from $300 million to $1 billion", "en",
     [("$300 million to $1 billion", "USD", "$", "range", 300 * M, B)]),
    ("350 billion to 400 billion yuan", "en",
     [("350 billion to 400 billion yuan", "CNY", "yuan", "range", 350 * B, 400 * B)]),
    ("$900-1.2 billion", "en", [("$900-1.2 billion", "USD", "$", "range", 900 * M, 1.2 * B)]),
    ("30 billion to 20 billion yuan", "en",
     [("30 billion to 20 billion yuan", "CNY", "yuan", "range", 20 * B, 30 * B)]),
    ("US$7-9.5 billion", "en", [("US$7-9.5 billion", "USD", "US$", "range", 7 * B, 9.5 * B)]),
    # ranges that must not be joined
    ("in 2019-5 billion yuan", "en", [("5 billion yuan", "CNY", "yuan", "exact", 5 * B)]),
    ("in 2019-$5 billion", "en", [("$5 billion", "USD", "$", "exact", 5 * B)]),
    ("$5 billion to 800 million yuan", "en",
     [("$5 billion", "USD", "$", "exact", 5 * B),
      ("800 million yuan", "CNY", "yuan", "exact", 800 * M)]),
    # yen sign
    ("¥500 billion", "en", [("¥500 billion", "CNY", "¥", "exact", 500 * B)]),
    ("a ¥500 billion loan from a Japanese bank", "en",
     [("¥500 billion", "JPY", "¥", "exact", 500 * B)]),
    ("¥500 billion, or about 3.3 billion in yen terms", "en",
     [("¥500 billion", "JPY", "¥", "exact", 500 * B)]),
    ("日本银行¥500亿", "zh", [("¥500亿", "CNY", "¥", "exact", 500 * YI)]),
    ("￥500亿", "zh", [("￥500亿", "CNY", "￥", "exact", 500 * YI)]),
    # Chinese: figures, scales, currencies
    ("500亿元人民币", "zh", [("500亿元人民币", "CNY", "元人民币", "exact", 500 * YI)]),
    ("人民币500亿元", "zh", [("人民币500亿元", "CNY", "人民币", "exact", 500 * YI)]),
    ("3亿美元", "zh", [("3亿美元", "USD", "美元", "exact", 3 * YI)]),
    ("美元3亿", "zh", [("美元3亿", "USD", "美元", "exact", 3 * YI)]),
    ("融资1.5亿元", "zh", [("1.5亿元", "CNY", "元", "exact", 1.5 * YI)]),
    ("市场规模2.5万亿元", "zh", [("2.5万亿元", "CNY", "元", "exact", 2.5e12)]),
    ("3500亿元", "zh", [("3500亿元", "CNY", "元", "exact", 3500 * YI)]),
    ("1,000万美元", "zh", [("1,000万美元", "USD", "美元", "exact", 1e7)]),
    ("5000万元", "zh", [("5000万元", "CNY", "元", "exact", 5e7)]),
    ("1千亿元", "zh", [("1千亿元", "CNY", "元", "exact", 1e11)]),
    ("5百亿元", "zh", [("5百亿元", "CNY", "元", "exact", 5e10)]),
    ("20亿港元", "zh", [("20亿港元", "HKD", "港元", "exact", 20 * YI)]),
    ("5亿港币", "zh", [("5亿港币", "HKD", "港币", "exact", 5 * YI)]),
    ("3亿欧元", "zh", [("3亿欧元", "EUR", "欧元", "exact", 3 * YI)]),
    ("100亿日元", "zh", [("100亿日元", "JPY", "日元", "exact", 100 * YI)]),
    ("1万亿韩元", "zh", [("1万亿韩元", "KRW", "韩元", "exact", 1e12)]),
    ("2亿英镑", "zh", [("2亿英镑", "GBP", "英镑", "exact", 2 * YI)]),
    ("3亿新加坡元", "zh", [("3亿新加坡元", "SGD", "新加坡元", "exact", 3 * YI)]),
    ("２００亿元", "zh", [("２００亿元", "CNY", "元", "exact", 200 * YI)]),
    # Chinese numerals
    ("五百亿元", "zh", [("五百亿元", "CNY", "元", "exact", 500 * YI)]),
    ("三千五百亿元", "zh", [("三千五百亿元", "CNY", "元", "exact", 3500 * YI)]),
    ("一亿五千万元", "zh", [("一亿五千万元", "CNY", "元", "exact", 1.5 * YI)]),
    ("两千万美元", "zh", [("两千万美元", "USD", "美元", "exact", 2e7)]),
    ("十万亿元", "zh", [("十万亿元", "CNY", "元", "exact", 1e13)]),
    ("一百零五亿元", "zh", [("一百零五亿元", "CNY", "元", "exact", 105 * YI)]),
    ("二十亿美元", "zh", [("二十亿美元", "USD", "美元", "exact", 20 * YI)]),
    # Chinese bounds
    ("估值最高达4000亿元", "zh", [("最高达4000亿元", "CNY", "元", "le", 4000 * YI)]),
    ("最多50亿元", "zh", [("最多50亿元", "CNY", "元", "le", 50 * YI)]),
    ("高达80亿美元", "zh", [("高达80亿美元", "USD", "美元", "le", 80 * YI)]),
    ("不超过10亿元", "zh", [("不超过10亿元", "CNY", "元", "le", 10 * YI)]),
    ("最高5亿元", "zh", [("最高5亿元", "CNY", "元", "le", 5 * YI)]),
    ("融资约500亿元", "zh", [("约500亿元", "CNY", "元", "approx", 500 * YI)]),
    ("估值约为43亿美元", "zh", [("约为43亿美元", "USD", "美元", "approx", 43 * YI)]),
    ("大约20亿元", "zh", [("大约20亿元", "CNY", "元", "approx", 20 * YI)]),
    ("近100亿元", "zh", [("近100亿元", "CNY", "元", "approx", 100 * YI)]),
    ("10亿元左右", "zh", [("10亿元左右", "CNY", "元", "approx", 10 * YI)]),
    ("超过200亿美元", "zh", [("超过200亿美元", "USD", "美元", "gt", 200 * YI)]),
    ("逾100亿元", "zh", [("逾100亿元", "CNY", "元", "gt", 100 * YI)]),
    ("超50亿元", "zh", [("超50亿元", "CNY", "元", "gt", 50 * YI)]),
    ("100亿元以上", "zh", [("100亿元以上", "CNY", "元", "gt", 100 * YI)]),
    ("500多亿元", "zh", [("500多亿元", "CNY", "元", "gt", 500 * YI)]),
    ("不低于30亿美元", "zh", [("不低于30亿美元", "USD", "美元", "ge", 30 * YI)]),
    ("至少30亿美元", "zh", [("至少30亿美元", "USD", "美元", "ge", 30 * YI)]),
    ("不到5亿元", "zh", [("不到5亿元", "CNY", "元", "lt", 5 * YI)]),
    ("5亿元以下", "zh", [("5亿元以下", "CNY", "元", "lt", 5 * YI)]),
    # Chinese ranges
    ("3500亿至4000亿元", "zh", [("3500亿至4000亿元", "CNY", "元", "range", 3500 * YI, 4000 * YI)]),
    ("3500亿到4000亿元", "zh", [("3500亿到4000亿元", "CNY", "元", "range", 3500 * YI, 4000 * YI)]),
    ("10-20亿元", "zh", [("10-20亿元", "CNY", "元", "range", 10 * YI, 20 * YI)]),
    ("10～20亿美元", "zh", [("10～20亿美元", "USD", "美元", "range", 10 * YI, 20 * YI)]),
    ("估值在3500亿至4000亿元之间", "zh",
     [("3500亿至4000亿元之间", "CNY", "元", "range", 3500 * YI, 4000 * YI)]),
    ("介于10亿和20亿美元之间", "zh",
     [("介于10亿和20亿美元之间", "USD", "美元", "range", 10 * YI, 20 * YI)]),
    ("5亿和10亿美元", "zh", [("10亿美元", "USD", "美元", "exact", 10 * YI)]),
    ("介于10亿至20亿美元之间", "zh",
     [("介于10亿至20亿美元之间", "USD", "美元", "range", 10 * YI, 20 * YI)]),
    ("估值在3500亿至4000亿元。", "zh",
     [("3500亿至4000亿元", "CNY", "元", "range", 3500 * YI, 4000 * YI)]),
    ("人民币3500亿至4000亿元", "zh",
     [("人民币3500亿至4000亿元", "CNY", "人民币", "range", 3500 * YI, 4000 * YI)]),
    ("三千五百亿至四千亿元", "zh",
     [("三千五百亿至四千亿元", "CNY", "元", "range", 3500 * YI, 4000 * YI)]),
    # traditional characters
    ("估值約450億美元", "zh-Hant", [("約450億美元", "USD", "美元", "approx", 450 * YI)]),
    ("金額至少30億美元", "zh-Hant", [("至少30億美元", "USD", "美元", "ge", 30 * YI)]),
    ("超過200億美元", "zh-Hant", [("超過200億美元", "USD", "美元", "gt", 200 * YI)]),
    ("人民幣500億元", "zh-Hant", [("人民幣500億元", "CNY", "人民幣", "exact", 500 * YI)]),
    ("20億港幣", "zh-Hant", [("20億港幣", "HKD", "港幣", "exact", 20 * YI)]),
    # not money
    ("5 billion users", "en", []),
    ("about 3 million downloads", "en", []),
    ("revenue grew 300% in 2024", "en", []),
    ("a Series B round", "en", []),
    ("the B2B arm", "en", []),
    ("5 pounds of flour", "en", []),
    ("the team of 3 won the prize", "en", []),
    ("between 10 and 20 engineers", "en", []),
    ("用户增长了500亿次", "zh", []),
    ("估值在数百亿元级别", "zh", []),  # vague multiples are not figures
    ("数十亿美元", "zh", []),
    ("十几亿元", "zh", []),
    ("2024年多元化发展", "zh", []),
    ("", "en", []),
]


@pytest.mark.parametrize(("text", "lang", "expected"), CASES, ids=[c[0][:40] for c in CASES])
def test_find_money_examples(text: str, lang: str, expected: list) -> None:
    found = find_money(text, lang)
    assert [_fields(m) for m in found] == [_want(*row) for row in expected]
    _check_invariants(text, found)


def test_dollar_yuan_never_read_as_bare_yuan() -> None:
    for text in ("3亿美元", "估值约450亿美元", "10-20亿美元", "美元3亿"):
        (m,) = find_money(text, "zh")
        assert m.currency == "USD" and "美元" in m.currency_surface


GLOSS_CASES = [
    ("50 billion RMB (approximately $7.4 billion)", "50 billion RMB", "CNY",
     "approximately $7.4 billion", "USD", "approximate", 7.4 * B, 7.4 * B),
    ("400 billion RMB ($59 billion)", "400 billion RMB", "CNY", "$59 billion", "USD", "exact",
     59 * B, 59 * B),
    ("50 billion yuan ($7.4 billion)", "50 billion yuan", "CNY", "$7.4 billion", "USD", "exact",
     7.4 * B, 7.4 * B),
    ("a 60 billion yuan (US$7-9.5 billion) raise", "60 billion yuan", "CNY", "US$7-9.5 billion",
     "USD", "range", 7 * B, 9.5 * B),
    ("350 billion to 400 billion yuan ($48-55 billion)", "350 billion to 400 billion yuan", "CNY",
     "$48-55 billion", "USD", "range", 48 * B, 55 * B),
    ("about 300 billion yuan ($48 billion-$55 billion)", "about 300 billion yuan", "CNY",
     "$48 billion-$55 billion", "USD", "range", 48 * B, 55 * B),
    ("20 billion yuan (~$2.8 billion)", "20 billion yuan", "CNY", "~$2.8 billion", "USD",
     "approximate", 2.8 * B, 2.8 * B),
    ("20 billion yuan (or $2.8 billion)", "20 billion yuan", "CNY", "$2.8 billion", "USD", "exact",
     2.8 * B, 2.8 * B),
    ("$5 billion (RMB 36 billion) in new money", "$5 billion", "USD", "RMB 36 billion", "CNY",
     "exact", 36 * B, 36 * B),
    ("规模约500亿元人民币（约合70亿美元）", "约500亿元人民币", "CNY", "约合70亿美元", "USD",
     "approximate", 70 * YI, 70 * YI),
    ("估值约450亿美元（约合3250亿元人民币）。", "约450亿美元", "USD", "约合3250亿元人民币", "CNY",
     "approximate", 3250 * YI, 3250 * YI),
    ("500亿元(合70亿美元)", "500亿元", "CNY", "70亿美元", "USD", "exact", 70 * YI, 70 * YI),
]


@pytest.mark.parametrize(("text", "span", "cur", "gspan", "gcur", "gqual", "glow", "ghigh"),
                         GLOSS_CASES, ids=[c[0][:40] for c in GLOSS_CASES])
def test_gloss_attaches_to_preceding_money(text, span, cur, gspan, gcur, gqual, glow, ghigh):
    (m,) = find_money(text, "zh" if re.search("[\u4e00-\u9fff]", text) else "en")
    assert (m.text, m.currency) == (span, cur)
    g = m.gloss
    assert g is not None and g.gloss is None
    assert (g.text, g.currency, g.qualifier, g.low, g.high) == (gspan, gcur, gqual, glow, ghigh)
    assert text[g.start:g.end] == g.text and g.start > m.end
    assert "(" not in m.text and "（" not in m.text


@pytest.mark.parametrize("text", [
    "$5 billion (compared with $3 billion a year earlier)",
    "$10 billion in 2024 (up from $5 billion)",
    "$5 billion, ($3 billion)",
])
def test_paren_money_that_is_not_a_gloss_is_a_result(text: str) -> None:
    found = find_money(text)
    assert len(found) == 2 and all(m.gloss is None for m in found)
    assert all(m.low > 0 for m in found)


def test_only_one_gloss_per_money() -> None:
    found = find_money("8 billion yuan ($1.1 billion) ($1.2 billion)")
    assert [m.text for m in found] == ["8 billion yuan", "$1.2 billion"]
    assert found[0].gloss.text == "$1.1 billion"


def test_parse_money_whole_string_only() -> None:
    m = parse_money("  about $7.4 billion ")
    assert m is not None and (m.start, m.end, m.text, m.qualifier) == (
        2, 20, "about $7.4 billion", "approximate")
    assert parse_money("raised $5 billion") is None
    assert parse_money("$5 billion raised") is None
    assert parse_money("$5 billion and $3 billion") is None
    assert parse_money("5 billion") is None
    assert parse_money("") is None
    assert parse_money("   ") is None
    g = parse_money("50 billion yuan ($7.4 billion)")
    assert g is not None and g.gloss is not None and g.gloss.low == 7.4 * B
    assert parse_money("3500亿至4000亿元", "zh").qualifier == "range"


@pytest.mark.parametrize(("money_text", "lang", "canonical"), [
    ("exceeding $20 billion", "en", "above USD 20 billion"),
    ("最高达4000亿元", "zh", "up to CNY 400 billion"),
    ("approximately $7.4 billion", "en", "about USD 7.4 billion"),
    ("3500亿至4000亿元", "zh", "CNY 350 billion to CNY 400 billion"),
    ("at least US$1bn", "en", "at least USD 1 billion"),
    ("$300m", "en", "USD 300 million"),
    ("under HK$5", "en", "under HKD 5"),
    ("1.5万亿日元", "zh", "JPY 1.5 trillion"),
    ("$900 million to $1.2 billion", "en", "USD 0.9 billion to USD 1.2 billion"),
    ("ZZ$3", "en", "ZZ$ 3"),
])
def test_format_money(money_text: str, lang: str, canonical: str) -> None:
    m = parse_money(money_text, lang)
    assert m is not None
    assert format_money(m) == canonical
    _assert_round_trip(m)


def test_never_raises_on_non_str() -> None:
    assert find_money(None) == []  # type: ignore[arg-type]
    assert find_money("$5 billion", None)[0].currency == "USD"  # type: ignore[arg-type]
    assert parse_money(5) is None  # type: ignore[arg-type]


def _repeats(node, inside_unbounded: bool = False) -> list[str]:
    """Repeat nodes that sit inside another repeat allowing more than one pass."""
    bad: list[str] = []
    items = node if isinstance(node, (list, tuple)) or hasattr(node, "data") else []
    for item in getattr(items, "data", items):
        if isinstance(item, tuple) and len(item) == 2 and str(item[0]) in _REPEAT_OPS:
            lo, hi, sub = item[1]
            if inside_unbounded:
                bad.append(str(item))
            bad += _repeats(sub, inside_unbounded or hi > 1)
        elif isinstance(item, (tuple, list)) or hasattr(item, "data"):
            bad += _repeats(item, inside_unbounded)
    return bad


_REPEAT_OPS = {"MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"}


def test_regexes_have_no_nested_quantifiers() -> None:
    """Backtracking stays bounded: no quantifier sits inside a group that may repeat."""
    from re import _parser  # type: ignore[attr-defined]

    patterns = {n: v for n, v in vars(money_mod).items() if isinstance(v, re.Pattern)}
    assert len(patterns) >= 6
    for name, rx in patterns.items():
        assert _repeats(_parser.parse(rx.pattern, rx.flags)) == [], name
    assert _repeats(_parser.parse(r"(?:a+)*")) != []  # the check itself works


def test_absurd_numbers_are_skipped_not_infinite() -> None:
    assert find_money("$" + "9" * 500) == []
    assert find_money("$" + "9" * 350 + " trillion") == []
    assert find_money("一" * 40 + "亿元", "zh") == []


# ---------------------------------------------------------------------------------- properties
_QUALIFIERS = {"exact", "approximate", "lower_bound", "upper_bound", "range"}
_ISO = {"USD", "CNY", "HKD", "EUR", "JPY", "GBP", "KRW", "SGD", "AUD", "CAD", "TWD", "NZD",
        "CHF", "INR", None}


def _check_invariants(text: str, found: list[Money]) -> None:
    prev_end = 0
    for m in found:
        assert 0 <= prev_end <= m.start < m.end <= len(text)
        assert text[m.start:m.end] == m.text
        _check_values(m)
        prev_end = m.end
        if m.gloss is not None:
            g = m.gloss
            assert g.gloss is None and m.end < g.start < g.end <= len(text)
            assert text[g.start:g.end] == g.text
            _check_values(g)
            prev_end = g.end


def _check_values(m: Money) -> None:
    assert m.qualifier in _QUALIFIERS
    assert m.currency in _ISO and m.currency_surface
    for v in (m.low, m.high):
        assert v is None or (isinstance(v, float) and math.isfinite(v) and v >= 0)
    if m.low is not None and m.high is not None:
        assert m.low <= m.high
    expect = {"exact": (True, True, True, True), "approximate": (True, True, True, True),
              "range": (True, True, True, True), "lower_bound": (True, False, None, None),
              "upper_bound": (False, True, None, None)}[m.qualifier]
    assert (m.low is not None, m.high is not None) == expect[:2]
    if expect[2] is not None:
        assert (m.low_inclusive, m.high_inclusive) == expect[2:]
    elif m.qualifier == "lower_bound":
        assert m.high_inclusive is None and isinstance(m.low_inclusive, bool)
    else:
        assert m.low_inclusive is None and isinstance(m.high_inclusive, bool)
    if m.qualifier in ("exact", "approximate"):
        assert m.low == m.high


def _assert_round_trip(m: Money) -> None:
    back = parse_money(format_money(m))
    assert back is not None, format_money(m)
    assert (back.currency, back.low, back.high, back.low_inclusive, back.high_inclusive,
            back.qualifier) == (m.currency, m.low, m.high, m.low_inclusive, m.high_inclusive,
                                m.qualifier), format_money(m)


_TOKENS = [
    "$", "US$", "HK$", "RMB", "RMB ", "¥", "€", "£", "USD ", "CNY ", "Z$", "1", "5", "20", "7.4",
    "1,000", "350", "0", "0.5", "2019", "五百", "三千", "一", "十", " billion", " million", "bn",
    "m", "B", "M", "tn", " trillion", "-billion", "亿", "万", "万亿", "千亿", "百亿", "元", "美元",
    "人民币", "港元", "日元", " yuan", " dollars", " yen", " won", " pounds", " renminbi",
    "up to ", "more than ", "about ", "at least ", "under ", "between ", " and ", " to ", "-",
    "–", "~", "至", "到", "约", "超过", "逾", "最高达", "不低于", "不到", "以上", "以下", "左右",
    "多", "+", "-plus", " or more", "(", ")", "（", "）", "约合", " ", " ", ", ", "。", "a", "在",
    "之间", "億", "約", "＄", "５", "介于", "和", "与",
]
token_soup = st.lists(st.sampled_from(_TOKENS), max_size=30).map("".join)
numerals = st.one_of(
    st.integers(min_value=0, max_value=10**7).map(str),
    st.integers(min_value=1000, max_value=10**9).map("{:,}".format),
    st.decimals(min_value=0, max_value=10**4, places=2, allow_nan=False).map(str),
    st.sampled_from(["五百", "三千五百", "两", "一亿五千万", "十", "二〇二三"]),
)
_PICK = st.sampled_from


@st.composite
def money_phrase(draw, with_gloss: bool = True) -> str:
    """A money-like phrase from the grammar: bound, currency, figure, scale, range, suffix."""
    def figure() -> str:
        return (draw(_PICK(["", "$", "US$", "HK$", "RMB ", "€", "£", "¥", "人民币", "Z$", "USD "]))
                + draw(numerals)
                + draw(_PICK(["", " billion", " million", "bn", "m", "B", "亿", "万", "万亿",
                              " trillion", "-billion", "多亿"])))
    text = draw(_PICK(["", "up to ", "more than ", "about ", "at least ", "under ", "约", "超过",
                       "最高达", "不低于", "不到", "~", "between ", "介于", "Roughly "])) + figure()
    if draw(st.booleans()):
        text += draw(_PICK(["-", " to ", "至", " and ", "–", "到", "~", "和"])) + figure()
    text += draw(_PICK(["", " yuan", " dollars", "元", "美元", " RMB", "港元", "元人民币", " won"]))
    text += draw(_PICK(["", "", "+", "-plus", "以上", "以下", "左右", " or more", "之间"]))
    if with_gloss and draw(st.booleans()):
        text += draw(_PICK([" (", "（", " (approximately ", "(or "])) + draw(
            money_phrase(with_gloss=False)) + draw(_PICK([")", "）", " at today's rates)"]))
    return text


_FILLER = _PICK(["", " ", ", ", " and ", " at a ", "，", "。", " (", ") ", "\n", "估值",
                 " in 2024 "])
money_ish_text = st.one_of(
    token_soup,
    st.lists(st.tuples(_FILLER, money_phrase()), max_size=4).map(
        lambda parts: "".join(a + b for a, b in parts)),
)
langs = st.sampled_from(["en", "zh", "zh-Hant", ""])


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(), langs)
def test_never_raises_on_arbitrary_text(text: str, lang: str) -> None:
    found = find_money(text, lang)
    _check_invariants(text, found)
    parse_money(text, lang)


@settings(max_examples=1500, suppress_health_check=[HealthCheck.too_slow])
@given(money_ish_text, langs)
def test_grammar_text_invariants_and_round_trip(text: str, lang: str) -> None:
    found = find_money(text, lang)
    _check_invariants(text, found)
    for m in found:
        _assert_round_trip(m)
        if m.gloss is not None:
            _assert_round_trip(m.gloss)
        assert parse_money(m.text, lang) is not None


amounts = st.one_of(
    st.floats(min_value=0, max_value=1e16, allow_nan=False, allow_infinity=False),
    st.floats(min_value=0, allow_nan=False, allow_infinity=False),
    st.integers(min_value=0, max_value=10**15).map(float),
    st.sampled_from([0.0, 1e6, 1e9, 1e12, 7.4e9, 999999.999, 5e-324]),
)


@st.composite
def generated_money(draw) -> Money:
    cur, surface = draw(st.sampled_from(
        [(c, c) for c in sorted(_ISO - {None})] + [("CNY", "元"), ("USD", "$"), (None, "QQ$")]))
    qualifier = draw(st.sampled_from(sorted(_QUALIFIERS)))
    a, b = sorted((draw(amounts), draw(amounts)))
    inc = draw(st.booleans())
    low, high, low_inc, high_inc = {
        "exact": (a, a, True, True), "approximate": (a, a, True, True),
        "range": (a, b, True, True), "lower_bound": (a, None, inc, None),
        "upper_bound": (None, a, None, inc)}[qualifier]
    return Money(0, 1, "x", cur, surface, low, high, low_inc, high_inc, qualifier)


@settings(max_examples=1500)
@given(generated_money())
def test_format_parse_round_trip_for_generated_money(m: Money) -> None:
    _check_values(m)
    _assert_round_trip(m)


@given(st.text(max_size=20), money_ish_text, st.text(max_size=20))
def test_spans_survive_surrounding_text(before: str, middle: str, after: str) -> None:
    assume("\n" not in before + after)
    text = before + middle + after
    _check_invariants(text, find_money(text))


# --- "¥" in English text: the USD gloss's implied rate, then the article's words -------------
@pytest.mark.parametrize(
    ("text", "hint", "cur"),
    [
        ("it raised ¥20 billion (about $130 million) in a Series B", None, "JPY"),  # ~0.0065
        ("it raised ¥20 billion (about $2.8 billion) in a Series B", None, "CNY"),  # ~0.14
        ("it raised ¥20 billion (about $130 million) in a Series B", "CNY", "JPY"),  # gloss wins
        ("a strategic round that totals some ¥3 billion", None, "CNY"),
        ("a strategic round that totals some ¥3 billion", "JPY", "JPY"),
        ("a strategic round that totals some ¥3 billion", "CNY", "CNY"),
        ("a ¥500 billion loan from a Japanese bank", "CNY", "JPY"),  # local words win over hint
    ],
)
def test_yen_sign_reads_the_gloss_rate_then_the_article(text: str, hint, cur: str) -> None:
    (m,) = find_money(text, "en", hint)
    assert m.currency == cur


def test_yen_context_counts_japan_and_china_words() -> None:
    assert yen_context("TOKYO — Sakana AI, a Tokyo start-up, raised ¥20 billion.") == "JPY"
    assert yen_context("Zhipu AI, the Beijing developer, drew ¥1 billion from a fund.") == "CNY"
    assert yen_context("It raised ¥1 billion.") is None
    assert yen_context("Japan and China: $5 billion") is None  # no ¥ at all
    assert yen_context(None) is None  # type: ignore[arg-type]
    assert find_money("¥1 billion", "en", "EUR")[0].currency == "CNY"  # unknown hints ignored


def test_atom_lookahead_only_skips_positions_where_no_atom_starts():
    """money._ATOM has a lookahead of the characters an atom can start with: the same matches
    as the pattern without it, at every position."""
    import random
    import re

    from roundtrace import money

    plain = re.compile(money._ATOM.pattern[len(money._first_chars()):])
    rnd = random.Random(0)
    alpha = [*"abetwnovrhmiluxscp $€£¥￥~0123456789.,-–至到亿万约超过以上 USDRMBKıſİK\u212a介于",
             "between ", "about ", "US$", "HK$", "上千", "两百", "bn", "million", "more than "]
    for _ in range(3000):
        s = "".join(rnd.choice(alpha) for _ in range(rnd.randint(1, 24)))
        for pos in range(len(s)):
            a, b = plain.search(s, pos), money._ATOM.search(s, pos)
            assert (a and (a.span(), a.groupdict())) == (b and (b.span(), b.groupdict())), s
