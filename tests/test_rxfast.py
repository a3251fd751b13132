"""rxfast.Fast must give exactly what the plain pattern gives: same matches, spans and groups,
for search, match, finditer and sub — on real article sentences, on the characters whose
case folding differs (İ ı ſ K), and on random text built from the cues' own words."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from roundtrace import rxfast
from roundtrace.extract import extract
from roundtrace.ingest import iter_articles
from roundtrace.paths import ARTICLES_DIR, ENTITIES_FILE
from roundtrace.registry import Registry

REPO = Path(__file__).resolve().parents[1]
SPECIAL = [
    "",
    " ",
    "İstanbul-based Acme raised $1 billion",
    "the ıdea of a ſale at Kelvin",  # dotless i, long s, Kelvin sign
    "DEN denied the report; PUSH pushed back",
    "据知情人士透露，腾讯洽谈领投，估值超过3000亿元。",
    "據報道，阿里巴巴參投。",
]


def _key(m: re.Match | None) -> tuple | None:
    return None if m is None else (m.span(), m.groups())


@pytest.fixture(scope="module")
def wrapped() -> list[rxfast.Fast]:
    registry = Registry.load(ENTITIES_FILE)
    for article in iter_articles(ARTICLES_DIR):  # creates every lazily wrapped pattern too
        extract(article, registry)
    found = [f for f in rxfast._CACHE.values() if isinstance(f, rxfast.Fast)]
    assert len(found) >= 15, "the extractor should route its big cue patterns through rxfast"
    return found


@pytest.fixture(scope="module")
def sentences() -> list[str]:
    out = list(SPECIAL)
    for folder in (ARTICLES_DIR, REPO / "tests" / "devset" / "articles"):
        for article in iter_articles(folder):
            out += [s.strip() for s in re.split(r"(?<=[.!?。！？])\s*", article.body) if s.strip()]
    return out[:600]


def _same(fast: rxfast.Fast, text: str) -> None:
    rx = fast.rx
    n = len(text)
    for pos, endpos in ((0, n), (0, 10**9), (n // 3, n), (0, n // 2), (-5, n + 5)):
        assert _key(fast.search(text, pos, endpos)) == _key(rx.search(text, pos, endpos)), (
            rx.pattern[:80], text, pos, endpos)
        assert _key(fast.match(text, pos, endpos)) == _key(rx.match(text, pos, endpos))
        assert [_key(m) for m in fast.finditer(text, pos, endpos)] == [
            _key(m) for m in rx.finditer(text, pos, endpos)
        ]
    assert fast.sub("#", text) == rx.sub("#", text)
    assert _key(fast.fullmatch(text)) == _key(rx.fullmatch(text))


def test_wrapped_patterns_match_like_re_on_article_sentences(wrapped, sentences):
    for fast in wrapped:
        for text in sentences:
            _same(fast, text)


# words the cue patterns look for, glued with spaces, punctuation and odd characters
_WORDS = st.sampled_from([
    "in talks", "led by", "reportedly", "according to", "valued at", "denied", "raise", "round",
    "investors including", "Tencent", "Alibaba", "$", "billion", "上", "据悉", "领投", "估值",
    "亿元", "İ", "ı", "ſ", "K", "people familiar with the matter", "said", ",", ".", " ",
])


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(parts=st.lists(_WORDS, max_size=14), glue=st.sampled_from([" ", "", ", "]))
def test_wrapped_patterns_match_like_re_on_random_text(wrapped, parts, glue):
    text = glue.join(parts)
    for fast in wrapped:
        _same(fast, text)


def test_fast_of_a_pattern_is_shared():
    rx = re.compile(r"\b(?:led|headed) by\b", re.I)
    assert rxfast.fast(rx) is rxfast.fast(rx)


def test_top_alternatives_split_only_at_the_top_level():
    split = rxfast._top_alternatives
    assert split(r"(?:a|b)|c") == ["a", "b", "c"]  # a wrapped alternation is flattened
    assert split(r"(?:a)(?:b)|c") == ["(?:a)(?:b)", "c"]
    assert split(r"[|]x|\|y|(z|w)") == ["[|]x", r"\|y", "(z|w)"]
    assert split(r"[]|]a|b") == ["[]|]a", "b"]
    assert split(r"abc") is None
    assert split(r"(a|b") is None


def test_lead_tokens_follow_skipped_spaces_commas_and_hedge_words():
    rx = re.compile(r"^(?:\s+(?:is|are|also))*\s*(?:led|leads)\b|^,?\s*which\b|^\s*领投", re.I)
    fast = rxfast.Fast(rx)
    assert fast.lead is not None
    for text in (" is also led by", ", which", "  领投", " was led", "led", " are leading",
                 "  ", "", ",,led", " 的领投"):
        for pos in (0, 1, 2):
            assert _key(fast.match(text, pos)) == _key(rx.match(text, pos)), (text, pos)


_CUES = st.sampled_from([
    " ", ",", "，", " is", " are", " also", " reportedly", " led", " leads", " leading",
    " lead", " in talks", " weighing", " invested", " not", "n't", " which", " who", "领投",
    "跟投", "等", "未", "的", "参与", "洽谈", " the", "İ", "ı", "ſ", "K", "x",
])


@settings(max_examples=300, deadline=None)
@given(parts=st.lists(_CUES, max_size=10), pos=st.integers(0, 3), cut=st.integers(0, 40))
def test_dispatched_role_cues_match_like_re(parts, pos, cut):
    """match() of the long role-cue lists runs a subset of their alternatives: same match."""
    from roundtrace import extract as ex

    text = "".join(parts)
    for fast in (ex._AFTER_ANY, ex.NEGATED_AFTER, *(rx for _, rx in ex.ROLE_AFTER)):
        assert isinstance(fast, rxfast.Fast)
        for end in (len(text), cut):
            assert _key(fast.match(text, pos, end)) == _key(fast.rx.match(text, pos, end))
            assert _key(fast.search(text, pos, end)) == _key(fast.rx.search(text, pos, end))


def test_wrapped_patterns_match_like_re_on_whole_articles(wrapped):
    """Whole texts: the long-stretch paths (heads found with str.find, no lead test)."""
    bodies = [a.body for a in iter_articles(ARTICLES_DIR)]
    bodies += [a.body for a in iter_articles(REPO / "tests" / "devset" / "articles")][:6]
    for fast in wrapped:
        for text in bodies:
            _same(fast, text)
