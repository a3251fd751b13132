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

- **lead** (for `match`): a match starts where it is asked to, so after the spaces and commas
  it may skip ('^\\s*', ',?', a run of hedge words each after a space), the text must begin with
  one of a few literal tokens ('has', 'is', 'led', 'which' …) — or, for the alternatives whose
  start is no literal (Chinese cues after up to ten characters of anything), contain one of their
  needed literals. Most strings handed to the anchored role and citation cues fail this at once.

All tests run on `text.lower()`, which is sound because `re.IGNORECASE` equates a character with
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


def _lowered(
    text: str, _memo: list = [None, None], _long: list = [None, None]  # noqa: B006
) -> str | None:
    """text.lower(), or None when the literal tests would be unsound for it; the last result is
    kept because the same sentence is tested against many patterns in a row (and the last long
    one apart: tests on a whole article come between tests on its sentences)."""
    memo = _long if len(text) > 1000 else _memo
    if text is memo[0] or text == memo[0]:
        return memo[1]
    low = text.lower() if text.isascii() or _UNSAFE.search(text) is None else None
    memo[0], memo[1] = text, low
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


_SKIP = frozenset((*_SPACES, ",", "，"))  # what `lead` skips before a match's first token
_NONSKIP = re.compile("[^" + "".join(map(re.escape, sorted(_SKIP))) + "]")


def _skippable(item: tuple, ic: bool) -> bool:
    """Whether an item consumes nothing but `_SKIP` characters (any number, maybe none)."""
    op, av = item
    if op in (_c.AT, _c.ASSERT, _c.ASSERT_NOT):
        return True  # zero-width
    if op is _c.LITERAL:
        return chr(av) in _SKIP  # (spaces and commas have no other case)
    if op is _c.IN:
        chars = _in_chars(av, ic, len(_SKIP))
        return chars is not None and _SKIP.issuperset(chars)
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT, _c.POSSESSIVE_REPEAT):
        return all(_skippable(x, ic) for x in av[2].data)
    if op is _c.ATOMIC_GROUP:
        return all(_skippable(x, ic) for x in av.data)
    if op is _c.SUBPATTERN:
        return all(_skippable(x, ic) for x in av[3].data)
    return False


def _lead(seq: list, ic: bool, flags: int) -> tuple[set[str], list] | None:
    """(tokens, opaque) for a match of `seq` at a given position: after its leading `_SKIP`
    characters the match starts with one of the lower-cased `tokens`, or it is a match of one
    of the `opaque` sequences (those whose start is no literal). None when unknown, or when a
    match may consist of skipped characters alone."""
    tokens: set[str] = set()
    for i, item in enumerate(seq):
        if _skippable(item, ic):
            continue
        op, av = item
        rest = seq[i + 1 :]
        if op is _c.BRANCH:
            opaque: list = []
            for alt in av[1]:
                sub = _lead([*alt.data, *rest], ic, flags)
                if sub is None:
                    return None
                tokens |= sub[0]
                opaque += sub[1]
            return tokens, opaque
        if op is _c.SUBPATTERN and not av[1] and not av[2]:
            return _lead([*av[3].data, *rest], ic, flags)
        if op in (_c.MAX_REPEAT, _c.MIN_REPEAT):
            # the first token is in a repetition (each starts like the first), or after them
            # (reached through repetitions of skipped characters only), or after none at all
            first = _lead([*av[2].data, *rest], ic, flags)
            if first is None:
                return None
            if av[0] >= 1:
                return first
            after = _lead(rest, ic, flags)
            if after is None:
                return None
            return first[0] | after[0], first[1] + after[1]
        heads = _heads(seq[i:], ic, flags)
        if heads is None or heads[1] or any(h[0] in _SKIP for h in heads[0]):
            return tokens, [(seq[i:], ic)]
        return heads[0], []
    return None


_LEAD_LEN = 6  # longer tokens are cut: a prefix of a token is a weaker but sound test


def _lead_of(items: list, ic: bool, flags: int) -> tuple[dict, tuple[str, ...] | None] | None:
    """`match`'s test: (tokens by their first character, the opaque alternatives' needed
    literals, or None when there are none), or None when no such test is known."""
    lead = _lead(items, ic, flags)
    if lead is None:
        return None
    needs: set[str] = set()
    for seq, ic_ in lead[1]:
        need = _needs(seq, ic_)
        if not need:
            return None
        needs |= need
    by_first: dict[str, tuple[str, ...]] = {}
    for token in _shortest_prefixes({t[:_LEAD_LEN] for t in lead[0]}):
        by_first[token[0]] = (*by_first.get(token[0], ()), token)
    return by_first, _minimal(needs) if needs else None


def _top_alternatives(pattern: str) -> list[str] | None:
    """The pattern's top-level alternatives as pattern strings ('(?:a)|(?:b)' → ['(?:a)',
    '(?:b)']), or None when it has just one or reads anything unusual."""
    out: list[str] = []
    depth = start = i = 0
    n = len(pattern)
    while i < n:
        ch = pattern[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "[":  # a set: ']' right after '[' or '[^' is a member
            i += 1
            if i < n and pattern[i] == "^":
                i += 1
            if i < n and pattern[i] == "]":
                i += 1
            while i < n and pattern[i] != "]":
                i += 2 if pattern[i] == "\\" else 1
            if i >= n:
                return None
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth < 0:
                return None
        elif ch == "|" and depth == 0:
            out.append(pattern[start:i])
            start = i + 1
        i += 1
    if depth != 0:
        return None
    out.append(pattern[start:])
    if len(out) == 1:
        return None
    flat: list[str] = []
    for alt in out:  # '(?:a|b)|c' is 'a|b|c': the same alternatives in the same order
        inner = alt[3:-1] if alt.startswith("(?:") and alt.endswith(")") else None
        sub = _top_alternatives(inner) if inner is not None and _balanced(inner) else None
        flat.extend(sub if sub is not None else [alt])
    return flat


def _balanced(pattern: str) -> bool:
    """Whether '(?:' + pattern + ')' is one group (not '(?:a)|(?:b)' cut at its ends)."""
    try:
        re.compile(pattern)
    except re.error:
        return False
    return True


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


# A few heads are found in a long text faster with str.find (a vectorised scan per head) than
# with the automaton (whose every call also copies the text).
_FIND_HEADS = 6
_FIND_SPAN = 300


def _find_all(low: str, heads: tuple[str, ...], pos: int, endpos: int) -> list[int]:
    """Where each head occurs inside low[pos:endpos] (overlaps included), as the automaton
    reports them (a head that extends another gives the same positions)."""
    out: list[int] = []
    find = low.find
    for head in heads:
        at = find(head, pos, endpos)
        while at >= 0:
            out.append(at)
            at = find(head, at + 1, endpos)
    return out


class Fast:
    """A compiled pattern with the same `search`, `match`, `fullmatch`, `finditer` and `sub`
    results, skipping the positions (or texts) where no match can start."""

    __slots__ = ("rx", "pattern", "flags", "groups", "groupindex", "heads", "needs", "at_start",
                 "_auto", "_need_auto", "_known", "lead", "_lead_auto", "_lead_test", "_alts",
                 "_alt_by_char", "_alt_always", "_alt_auto", "_alt_rx", "_alt_need_auto",
                 "_alt_no_needs", "_needs_ascii", "_lead_ascii", "_alt_opaque_ascii")

    def __init__(self, rx: re.Pattern[str]) -> None:
        self.rx = rx
        self.pattern, self.flags = rx.pattern, rx.flags
        self.groups, self.groupindex = rx.groups, rx.groupindex
        heads = needs = lead = None
        try:
            tree = _parser.parse(rx.pattern, rx.flags)
            ic = bool(tree.state.flags & re.IGNORECASE)
            heads = _heads(tree.data, ic, tree.state.flags)
            needs = _needs(tree.data, ic)
            lead = _lead_of(list(tree.data), ic, tree.state.flags)
        except Exception:  # noqa: BLE001 - an unknown construct only costs the shortcut
            heads = needs = lead = None
        self.lead = lead[0] if lead is not None else None
        self._lead_auto = _automaton(lead[1]) if lead is not None and lead[1] else None
        self._lead_test = lead is not None
        self.at_start = heads is not None and heads[1]
        self.heads = _shortest_prefixes(heads[0]) if heads is not None else None
        self.needs = _minimal(needs) if needs else None
        self._known = heads is not None  # where a match may start is known
        self._auto = _automaton(heads[0]) if heads is not None and heads[0] else None
        self._need_auto = _automaton(self.needs) if self.needs else None
        self._needs_ascii = any(w.isascii() for w in self.needs or ())
        self._lead_ascii = lead is not None and any(w.isascii() for w in lead[1] or ())
        self._alts = None
        try:
            self._dispatch()
        except Exception:  # noqa: BLE001 - an unknown construct only costs the shortcut
            self._alts = None

    def _dispatch(self) -> None:
        """For `match` on a pattern without groups that is an alternation of several cues: the
        `lead` of each alternative, so that only the alternatives that can start where the
        match is tried are run (in their order: the same first match as the whole pattern)."""
        rx = self.rx
        if rx.groups or rx.flags & re.VERBOSE:
            return
        alts = _top_alternatives(rx.pattern)
        if alts is None or alts[0].startswith("(?") and not alts[0].startswith(
            ("(?:", "(?=", "(?!", "(?<", "(?>")
        ):
            return  # (global flags at the very start would not carry over)
        by_char: dict[str, set[int]] = {}
        always: list[int] = []
        needs: dict[str, set[int]] = {}
        own_needs: dict[str, set[int]] = {}  # literals one of which each alternative needs
        no_needs: list[int] = []
        for k, alt in enumerate(alts):
            tree = _parser.parse(alt, rx.flags)
            need = _needs(tree.data, bool(tree.state.flags & re.IGNORECASE))
            if need:
                for word in _minimal(need):
                    own_needs.setdefault(word, set()).add(k)
            else:
                no_needs.append(k)
            lead = _lead_of(list(tree.data), bool(tree.state.flags & re.IGNORECASE),
                            tree.state.flags)
            if lead is None:
                always.append(k)
                continue
            for ch in lead[0]:
                by_char.setdefault(ch, set()).add(k)
            for word in lead[1] or ():
                needs.setdefault(word, set()).add(k)
        if len(always) == len(alts) and not own_needs:
            return
        self._alts = alts
        self._alt_by_char = {ch: frozenset(ks) for ch, ks in by_char.items()}
        self._alt_always = frozenset(always)
        self._alt_auto = _alt_automaton(needs)
        self._alt_opaque_ascii = any(w.isascii() for w in needs)
        self._alt_no_needs = frozenset(no_needs)
        self._alt_need_auto = _alt_automaton(own_needs)
        self._alt_rx: dict[frozenset[int], re.Pattern[str] | None] = {}

    def _needed(self, low: str, pos: int, end: int) -> frozenset[int]:
        """The alternatives whose needed literals occur in low[pos:end] (or that need none)."""
        needed = self._alt_no_needs
        if self._alt_need_auto is not None:
            for _, ks in self._alt_need_auto.iter(low, pos, end):
                needed = needed | ks
        return needed

    def _sub(self, cand: frozenset[int]) -> re.Pattern[str] | None:
        """The pattern of just these alternatives, in their order (None for none)."""
        sub = self._alt_rx.get(cand, False)
        if sub is False:
            if len(self._alt_rx) >= 512:  # (a bound on memory: ~30 KB a pattern)
                self._alt_rx.clear()
            alts = self._alts
            sub = self._alt_rx[cand] = (
                re.compile("|".join(alts[k] for k in sorted(cand)), self.rx.flags)
                if cand else None
            )
        return sub

    def _alt_match(self, string: str, low: str, at: int, end: int, pos: int, endpos: int):
        """`rx.match` run with only the alternatives that can match at `at`: those whose needed
        literals occur in the range, and whose lead fits there."""
        first = _NONSKIP.search(low, at, end)
        cand = self._alt_always
        if first is not None:
            ks = self._alt_by_char.get(low[first.start()])
            if ks is not None:
                cand = cand | ks
        if self._alt_auto is not None and (self._alt_opaque_ascii or not low.isascii()):
            for _, ks in self._alt_auto.iter(low, at, end):
                cand = cand | ks
        if not cand:
            return None
        sub = self._sub(cand & self._needed(low, at, end))
        return None if sub is None else sub.match(string, pos, endpos)

    def _starts(self, low: str, pos: int, endpos: int) -> list[int]:
        """Positions in [pos, endpos) where a match may start, in order."""
        auto = self._auto
        if auto is not None and len(self.heads) <= _FIND_HEADS and endpos - pos > _FIND_SPAN:
            starts = _find_all(low, self.heads, pos, endpos)
        else:
            starts = [e - k for e, k in auto.iter(low, pos, endpos)] if auto is not None else []
        if self.at_start and pos == 0:
            starts.append(0)
        return sorted(set(starts)) if len(starts) > 1 else starts

    def _may(self, low: str, pos: int, endpos: int) -> bool:
        """Whether one of the needed literals occurs in low[pos:endpos] (none of them can in an
        ASCII text when all are Chinese, say: str.isascii() costs nothing)."""
        if not self._needs_ascii and low.isascii():
            return False
        return next(self._need_auto.iter(low, pos, endpos), None) is not None

    def search(self, string: str, pos: int = 0, endpos: int = _END) -> re.Match[str] | None:
        rx = self.rx
        if self._need_auto is None and not self._known and self._alts is None:
            return rx.search(string, pos, endpos)
        low = _lowered(string)
        if low is None:
            return rx.search(string, pos, endpos)
        n = len(low)
        if pos or endpos < n:
            pos, endpos = _clip(pos, endpos, n)
        else:
            endpos = n
        if self._alts is not None and not self._known:
            # only the alternatives that can match somewhere in the range (worth it where re
            # would try every alternative at every position: no literal heads known)
            rx = self._sub(self._needed(low, pos, endpos))  # type: ignore[assignment]
            if rx is None:
                return None
        elif not self._known and self._need_auto is not None and not self._may(low, pos, endpos):
            return None  # (with heads known, their scan alone decides)
        if not self._known:
            return rx.search(string, pos, endpos)
        if self._auto is not None and not self.at_start and not (
            len(self.heads) <= _FIND_HEADS and endpos - pos > _FIND_SPAN  # type: ignore[arg-type]
        ):
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
        rx = self.rx
        low = (_lowered(string) if self._known or self._need_auto is not None
               or self._alts is not None else None)
        if low is None:
            yield from rx.finditer(string, pos, endpos)
            return
        pos, endpos = _clip(pos, endpos, len(low))
        if self._alts is not None and not self._known:
            rx = self._sub(self._needed(low, pos, endpos))  # type: ignore[assignment]
            if rx is None:
                return
        elif not self._known and self._need_auto is not None and not self._may(low, pos, endpos):
            return  # (with heads known, their scan alone decides)
        if not self._known:
            yield from rx.finditer(string, pos, endpos)
            return
        match = rx.match
        for at in self._starts(low, pos, endpos):
            if at < pos:
                continue  # inside the previous match
            m = match(string, at, endpos)
            if m is None:
                continue
            if m.end() == at:
                # an empty match (possible only at '^'): re's own rules for what may follow
                rest = rx.finditer(string, at, endpos)
                yield next(rest)
                yield from rest
                return
            yield m
            pos = m.end()

    def match(self, string: str, pos: int = 0, endpos: int = _END) -> re.Match[str] | None:
        if self._known or self._need_auto is not None or self._lead_test:
            low = _lowered(string)
            if low is not None:
                n = len(low)
                at = min(max(pos, 0), n)  # re's reading of pos
                end = n if endpos >= n else _clip(at, endpos, n)[1]
                if self._known and not (
                    low.startswith(self.heads, at) or (self.at_start and at == 0)
                ):
                    return None
                if self._alts is not None and len(self._alts) >= 16 and end - at <= 400:
                    # (worth it for a long list of cues on a short stretch of text)
                    return self._alt_match(string, low, at, end, pos, endpos)
                if self._lead_test and end - at <= 400:
                    # (on a short stretch: the opaque alternatives' literals are looked for in
                    # all of it)
                    first = _NONSKIP.search(low, at, end)
                    tokens = self.lead.get(low[first.start()]) if first is not None else None
                    if not (tokens is not None and low.startswith(tokens, first.start(), end)
                            or self._lead_auto is not None
                            and (self._lead_ascii or not low.isascii())
                            and next(self._lead_auto.iter(low, at, end), None) is not None):
                        return None
                if self._need_auto is not None and not self._may(low, at, end):
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


def _alt_automaton(words: dict) -> object | None:
    """An Aho-Corasick automaton mapping each word to the frozenset of its alternatives."""
    if not words:
        return None
    auto = ahocorasick.Automaton()
    for word, ks in words.items():
        auto.add_word(word, frozenset(ks))
    auto.make_automaton()
    return auto
