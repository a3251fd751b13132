"""Faster scans for the extractor's big cue alternations, with exactly the same results.

Python's `re` tries every alternative of a pattern at every position of the text, so a 40-word
case-insensitive cue list costs ~40 tests per character. Most of those words never occur in a
given sentence. `Fast` wraps a compiled pattern and reads its parse tree once:

- **heads**: literal prefixes one of which every match must start with ('den', 'push', '消息不实'
  for the denial cues). An Aho-Corasick scan of the lower-cased text finds where they occur, and
  the pattern is only tried (`match`) at those positions — in order, so `search` and `finditer`
  return the very matches the plain pattern would.
- **needs**: literals one of which every match must contain. When none occurs in the text, the
  pattern cannot match and is not run at all (used when the pattern has no literal heads).

Both tests run on `text.lower()`, which is sound because `re.IGNORECASE` equates a character with
an ASCII letter only through simple lower-casing, except for four characters (İ ı ſ K) whose
`str.lower()` differs; a text containing one of them is simply scanned with the plain pattern.
Literals that are cased non-ASCII characters under IGNORECASE are not used (their folding rules
are wider). Anything the analysis does not understand falls back to the plain pattern.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import ahocorasick

try:  # re's private parser (Python 3.11): without it every pattern stays a plain one
    from re import (
        _compiler,  # type: ignore[attr-defined]
        _parser,  # type: ignore[attr-defined]
    )
    from re import _constants as _c  # type: ignore[attr-defined]

    _sre = _compiler._sre  # re's C engine: its own test of which characters have a case
except (ImportError, AttributeError):  # pragma: no cover - another Python
    _parser = None

# Characters that re.IGNORECASE equates with an ASCII letter although str.lower() does not map
# them to it (or that str.lower() lengthens, which would shift offsets).
_UNSAFE = re.compile("[\u0130\u0131\u017f\u212a]")
# What '\s' matches in a str pattern (str.isspace is the same test; none lies past U+3000).
_SPACES = tuple(ch for ch in map(chr, range(0x3001)) if ch.isspace())
_MAX_SET = 256  # give up on literal sets larger than this (they would not be selective)
_LONG_ENOUGH = 8  # a head this long is selective enough: stop expanding it
_END = 1 << 62


def _lowered(text: str, _memo: list = [None, None]) -> str | None:  # noqa: B006
    """text.lower(), or None when the literal tests would be unsound for it; the last result is
    kept because the same sentence is tested against many patterns in a row."""
    if text is _memo[0] or text == _memo[0]:
        return _memo[1]
    low = text.lower() if text.isascii() or _UNSAFE.search(text) is None else None
    _memo[0], _memo[1] = text, low
    return low


def _char_ok(ch: int, ic: bool) -> bool:
    """Whether a literal character can be looked for in the lower-cased text: any character
    that lower-cases to one character, but under IGNORECASE only ASCII or caseless ones (which
    re then matches exactly)."""
    c = chr(ch)
    if len(c.lower()) != 1:
        return False
    return not ic or ch < 128 or (
        not _sre.unicode_iscased(ch) and c.lower() == c and c.upper() == c
    )


def _in_chars(av: list, ic: bool, limit: int = 4) -> list[str] | None:
    """The characters of a small set of plain literals ('[据據]', '\\s'), else None."""
    out: list[str] = []
    for op, arg in av:
        if op is _c.CATEGORY and arg is _c.CATEGORY_SPACE:
            out.extend(_SPACES)
        elif op is _c.LITERAL and _char_ok(arg, ic):
            out.append(chr(arg).lower())
        else:
            return None
    return out if 0 < len(out) <= limit else None


def _ic_of(flags: int, add: int, rem: int) -> bool:
    return bool((flags | add) & ~rem & re.IGNORECASE)


def _heads(items: list, ic: bool, flags: int) -> tuple[set[str], bool] | None:
    """Non-empty literal prefixes (lower-cased) one of which every match of `items` starts
    with, and whether a match may also start at '^' (the string's start) instead."""
    out: set[str] = set()
    at_start = False
    stack: list[tuple[str, list, bool, int]] = [("", list(items), ic, flags)]
    while stack:
        pre, seq, ic_, fl = stack.pop()
        i = 0
        while True:
            if i == len(seq) or len(pre) >= _LONG_ENOUGH:
                if not pre:
                    return None
                out.add(pre)
                break
            op, av = seq[i]
            if op is _c.AT and not pre and av in (_c.AT_BEGINNING, _c.AT_BEGINNING_STRING):
                if av is _c.AT_BEGINNING and fl & re.MULTILINE:
                    return None
                at_start = True  # this alternative only matches at position 0
                break
            if op in (_c.AT, _c.ASSERT, _c.ASSERT_NOT):
                i += 1
                continue
            if op is _c.LITERAL and _char_ok(av, ic_):
                pre += chr(av).lower()
                i += 1
                continue
            if op is _c.IN and (chars := _in_chars(av, ic_, 32)) is not None:
                stack.extend((pre + ch, seq[i + 1 :], ic_, fl) for ch in chars)
                break
            rest = seq[i + 1 :]
            if op is _c.SUBPATTERN and not av[1] and not av[2]:
                stack.append((pre, [*av[3].data, *rest], ic_, fl))  # a group: read through it
                break
            if op is _c.SUBPATTERN:  # '(?-i:…)': its own case rule, then stop
                sub_fl = (fl | av[1]) & ~av[2]
                sub = _heads(av[3].data, bool(sub_fl & re.IGNORECASE), sub_fl)
                if sub is None or (sub[1] and pre):
                    if not pre:
                        return None
                    out.add(pre)
                else:
                    out.update(pre + h for h in sub[0])
                    at_start = at_start or sub[1]
                break
            if op is _c.BRANCH:
                stack.extend((pre, [*alt.data, *rest], ic_, fl) for alt in av[1])
                break
            if op in (_c.MAX_REPEAT, _c.MIN_REPEAT, _c.POSSESSIVE_REPEAT) and av[1] == 1:
                sub = av[2].data
                stack.append((pre, [*sub, *rest], ic_, fl))  # once
                if av[0] == 0:
                    stack.append((pre, rest, ic_, fl))  # or not at all
                break
            if pre:
                out.add(pre)  # the literal prefix ends here
                break
            return None
        if len(out) + len(stack) > _MAX_SET:
            return None
    return out, at_start


def _needs(items: list, ic: bool) -> set[str] | None:
    """Literals one of which every match of `items` contains (lower-cased), or None."""
    best: set[str] | None = None

    def consider(cand: set[str] | None) -> None:
        nonlocal best
        if not cand or "" in cand:
            return
        if best is None or (min(map(len, cand)), -len(cand)) > (min(map(len, best)), -len(best)):
            best = cand

    run: set[str] = {""}
    for op, av in items:
        if op in (_c.AT, _c.ASSERT, _c.ASSERT_NOT):
            continue  # zero-width: the literals on both sides are adjacent in the text
        if op is _c.LITERAL and _char_ok(av, ic):
            run = {r + chr(av).lower() for r in run}
            continue
        if op is _c.IN and (chars := _in_chars(av, ic)) is not None and len(run) <= 16:
            run = {r + ch for r in run for ch in chars}
            continue
        consider(run)
        run = {""}
        if op is _c.SUBPATTERN:
            consider(_needs(av[3].data, _ic_of(re.IGNORECASE if ic else 0, av[1], av[2])))
        elif op is _c.ATOMIC_GROUP:
            consider(_needs(av.data, ic))
        elif op is _c.BRANCH:
            union: set[str] = set()
            for alt in av[1]:
                sub = _needs(alt.data, ic)
                if sub is None:
                    union = set()
                    break
                union |= sub
            if len(union) <= _MAX_SET:
                consider(union)
        elif op in (_c.MAX_REPEAT, _c.MIN_REPEAT, _c.POSSESSIVE_REPEAT) and av[0] >= 1:
            consider(_needs(av[2].data, ic))
    consider(run)
    return best


def _minimal(words: set[str]) -> tuple[str, ...]:
    """Drop words that contain another word of the set (finding the shorter one suffices)."""
    out = [w for w in words if not any(o != w and o in w for o in words)]
    return tuple(sorted(out, key=lambda w: (-len(w), w)))


def _shortest_prefixes(words: set[str]) -> tuple[str, ...]:
    """Drop words that start with another word of the set (for `startswith`)."""
    return tuple(sorted(w for w in words if not any(o != w and w.startswith(o) for o in words)))


def _automaton(words) -> ahocorasick.Automaton:
    """An Aho-Corasick automaton whose hits (end, value) give the start as end - value."""
    auto = ahocorasick.Automaton()
    for w in words:
        auto.add_word(w, len(w) - 1)
    auto.make_automaton()
    return auto


class Fast:
    """A compiled pattern with the same `search`, `match`, `fullmatch`, `finditer` and `sub`
    results, skipping the positions (or texts) where no match can start."""

    __slots__ = ("rx", "pattern", "flags", "groups", "groupindex", "heads", "needs", "at_start",
                 "_auto", "_need_auto", "_known")

    def __init__(self, rx: re.Pattern[str]) -> None:
        self.rx = rx
        self.pattern, self.flags = rx.pattern, rx.flags
        self.groups, self.groupindex = rx.groups, rx.groupindex
        heads = needs = None
        try:
            tree = _parser.parse(rx.pattern, rx.flags)
            ic = bool(tree.state.flags & re.IGNORECASE)
            heads = _heads(tree.data, ic, tree.state.flags)
            needs = _needs(tree.data, ic)
        except Exception:  # noqa: BLE001 - an unknown construct only costs the shortcut
            heads = needs = None
        self.at_start = heads is not None and heads[1]
        self.heads = _shortest_prefixes(heads[0]) if heads is not None else None
        self.needs = _minimal(needs) if needs else None
        self._known = heads is not None  # where a match may start is known
        self._auto = _automaton(heads[0]) if heads is not None and heads[0] else None
        self._need_auto = _automaton(self.needs) if self.needs else None

    def _starts(self, low: str, pos: int, endpos: int) -> list[int]:
        """Positions in [pos, endpos) where a match may start, in order."""
        auto = self._auto
        starts = [e - k for e, k in auto.iter(low, pos, endpos)] if auto is not None else []
        if self.at_start and pos == 0:
            starts.append(0)
        return sorted(set(starts)) if len(starts) > 1 else starts

    def _may(self, low: str, pos: int, endpos: int) -> bool:
        """Whether one of the needed literals occurs in low[pos:endpos]."""
        return next(self._need_auto.iter(low, pos, endpos), None) is not None

    def search(self, string: str, pos: int = 0, endpos: int = _END) -> re.Match[str] | None:
        rx = self.rx
        if self._need_auto is None and not self._known:
            return rx.search(string, pos, endpos)
        low = _lowered(string)
        if low is None:
            return rx.search(string, pos, endpos)
        n = len(low)
        if pos or endpos < n:
            pos, endpos = _clip(pos, endpos, n)
        else:
            endpos = n
        if not self._known:
            return rx.search(string, pos, endpos) if self._may(low, pos, endpos) else None
        if self._auto is not None and not self.at_start:
            # the common cases without building a list: no head at all, or a single one
            hits = self._auto.iter(low, pos, endpos)
            first = next(hits, None)
            if first is None:
                return None
            second = next(hits, None)
            if second is None:
                return rx.match(string, first[0] - first[1], endpos)
            starts = sorted({e - k for e, k in (first, second, *hits)})
        else:
            starts = self._starts(low, pos, endpos)
        match = rx.match
        for at in starts:
            m = match(string, at, endpos)
            if m is not None:
                return m
        return None

    def finditer(self, string: str, pos: int = 0, endpos: int = _END) -> Iterator[re.Match[str]]:
        low = _lowered(string) if self._known or self._need_auto is not None else None
        if low is None:
            yield from self.rx.finditer(string, pos, endpos)
            return
        pos, endpos = _clip(pos, endpos, len(low))
        if not self._known:
            if self._may(low, pos, endpos):
                yield from self.rx.finditer(string, pos, endpos)
            return
        match = self.rx.match
        for at in self._starts(low, pos, endpos):
            if at < pos:
                continue  # inside the previous match
            m = match(string, at, endpos)
            if m is None:
                continue
            if m.end() == at:
                # an empty match (possible only at '^'): re's own rules for what may follow
                rest = self.rx.finditer(string, at, endpos)
                yield next(rest)
                yield from rest
                return
            yield m
            pos = m.end()

    def match(self, string: str, pos: int = 0, endpos: int = _END) -> re.Match[str] | None:
        if self._known or self._need_auto is not None:
            low = _lowered(string)
            if low is not None:
                at = min(max(pos, 0), len(low))  # re's reading of pos
                if self._known and not (
                    low.startswith(self.heads, at) or (self.at_start and at == 0)
                ):
                    return None
                if self._need_auto is not None:
                    n = len(low)
                    if not self._may(low, *((at, n) if endpos >= n else _clip(at, endpos, n))):
                        return None
        return self.rx.match(string, pos, endpos)

    def fullmatch(self, string: str, pos: int = 0, endpos: int = _END) -> re.Match[str] | None:
        return self.rx.fullmatch(string, pos, endpos)

    def sub(self, repl, string: str, count: int = 0) -> str:
        if self._need_auto is not None:
            low = _lowered(string)
            if low is not None and not self._may(low, 0, len(low)):
                return string
        return self.rx.sub(repl, string, count)


def _clip(pos: int, endpos: int, n: int) -> tuple[int, int]:
    """`re`'s reading of pos/endpos: negative counts as 0, past the end as the end."""
    pos = min(max(pos, 0), n)
    endpos = min(max(endpos, 0), n)
    return pos, endpos


_CACHE: dict[int, Fast] = {}


def fast(rx: re.Pattern[str]) -> Fast | re.Pattern[str]:
    """The (shared) fast wrapper of a compiled pattern (the pattern itself where re's parser
    is not available: same results, only slower)."""
    if _parser is None:
        return rx
    hit = _CACHE.get(id(rx))
    if hit is None or hit.rx is not rx:
        hit = _CACHE[id(rx)] = Fast(rx)
    return hit
