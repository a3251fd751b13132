"""Sentence spans with exact offsets, for English and Chinese text.

Claims quote whole sentences as evidence, so spans must be exact (no normalisation) and the
split must not break on decimals ("$7.4 billion"), abbreviations ("U.S.", "Inc.") or
initials. Every line break ends a sentence: articles put bullets and timeline entries on lines.
"""

from __future__ import annotations

import re

_ABBREV = {
    "u.s",
    "u.k",
    "u.n",
    "e.u",
    "inc",
    "co",
    "corp",
    "ltd",
    "llc",
    "plc",
    "mr",
    "mrs",
    "ms",
    "dr",
    "st",
    "no",
    "vs",
    "etc",
    "approx",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "e.g",
    "i.e",
    "jr",
    "sr",
    "ag",
    "sa",
    "bn",
    "mn",
}
# End of an English sentence: . ! ? (plus closing quotes/brackets), then space and a likely start.
# A lower-case start counts for camel-case brands ("xAI", "eBay", "iFlytek").
_EN_END = re.compile(r"[.!?][\"'”’)\]]*(?=\s+(?:[\"'“‘(\[]?[A-Z0-9$€£¥]|[a-z]{1,2}[A-Z]))")
# a round's letter is no initial: 'a $1 billion Series C.'
_ROUND_LETTER = re.compile(r"\b(?:Series|Round|Class|Tranche)\s+[A-Z]$")
_ZH_END = re.compile(r"[。！？!?][”’」』）)]*")
# a reporter's byline opening a line ('〔記者王小明／台北報導〕', '【记者 李华/北京报道】') is no
# part of the first sentence (its 報導 is not a relayed report)
_BYLINE = re.compile(
    r"\s*[〔【\[（(](?:记者|記者|本报|本報|文[/／])[^〕】\]）)\n]{0,30}[〕】\]）)]"
)


def _last_token(content: str, end: int) -> str:
    """The run of word characters and dots right before `end`: what `re.search(r"[\\w.]+$",
    content[:end])` finds in a line (which holds no newline), without rescanning the line for
    every candidate break. `\\w` in a str pattern is `isalnum()` or '_'."""
    i = end
    while i and ((ch := content[i - 1]) == "." or ch == "_" or ch.isalnum()):
        i -= 1
    return content[i:end]


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence, whitespace trimmed, in order; never empty spans."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for line in text.splitlines(keepends=True):
        line_start = pos
        pos += len(line)
        content = line.rstrip("\r\n")
        cuts = [0]
        if content[:2].lstrip()[:1] in ("〔", "【", "[", "（", "("):
            byline = _BYLINE.match(content)
            if byline:
                cuts.append(byline.end())
        for m in _ZH_END.finditer(content):
            cuts.append(m.end())
        for m in _EN_END.finditer(content):
            token = _last_token(content, m.start()).lower()
            if token in _ABBREV or (
                len(token) == 1 and "a" <= token <= "z"
                and not _ROUND_LETTER.search(content, 0, m.start())
            ):
                continue  # 'U.S.', 'J. Smith' — but 'closed a Series C. The round …' ends
            cuts.append(m.end())
        cuts.append(len(content))
        cuts = sorted(set(cuts))
        for a, b in zip(cuts, cuts[1:], strict=False):
            seg = content[a:b]
            lead = len(seg) - len(seg.lstrip())
            trail = len(seg.rstrip())
            if trail > lead:
                spans.append((line_start + a + lead, line_start + a + trail))
    return spans


def clause_bounds(text: str, start: int, end: int, lo: int, hi: int) -> tuple[int, int]:
    """The clause around [start, end) within [lo, hi): cut at ; : — and 'but'/'while'."""
    left = lo
    for m in re.finditer(r"[;；:：—]|\bbut\b|\bwhile\b|\bhowever\b", text[lo:start]):
        left = lo + m.end()
    right = hi
    m = re.search(r"[;；—]|\bbut\b|\bwhile\b|\bhowever\b", text[end:hi])
    if m:
        right = end + m.start()
    return left, right
