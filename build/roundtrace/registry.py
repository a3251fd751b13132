"""Resolve: the curated entity registry and fast multi-pattern alias matching.

Aliases are matched with one Aho-Corasick automaton per article pass. Short all-caps aliases
("FT", "JD", "SSI") match case-sensitively, everything else case-insensitively; Latin aliases
need word boundaries, CJK ones do not. Simplified and traditional variants of every Chinese
alias are added automatically, so the registry lists each name once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import ahocorasick
import yaml
import zhconv

from .errors import InputError, yaml_problem

ENTITY_TYPES = (
    "company",
    "person",
    "fund",
    "government_body",
    "publication",
    "product",
    "anonymous",
    "organization",
)
_ID = re.compile(r"[a-z0-9][a-z0-9.-]*")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_WORD = re.compile(r"\w", re.UNICODE)


@dataclass
class Entity:
    entity_id: str
    name: str
    type: str
    aliases: list[str]
    country: str | None = None
    description: str | None = None
    curated: bool = True
    line: int | None = None


@dataclass(frozen=True)
class Match:
    start: int
    end: int
    entity_id: str
    surface: str


@dataclass
class Registry:
    entities: dict[str, Entity] = field(default_factory=dict)
    # (case-insensitive aliases, case-sensitive aliases): see `_build`
    _automaton: tuple[ahocorasick.Automaton, ahocorasick.Automaton] | None = None

    # ---- loading -------------------------------------------------------------------------
    @classmethod
    def load(cls, path: Path) -> Registry:
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise InputError(path, "entity registry not found") from None
        except UnicodeDecodeError as exc:
            raise InputError(path, f"not valid UTF-8 at byte {exc.start}") from None
        try:
            node = yaml.compose(text, Loader=yaml.SafeLoader)
            data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            line, problem = yaml_problem(exc)
            raise InputError(path, f"not valid YAML: {problem}", line) from None
        if data is None:
            data = []
        if not isinstance(data, list):
            raise InputError(path, "the registry must be a YAML list of entities", 1)
        reg = cls()
        for item, item_node in zip(data, node.value if node else [], strict=False):
            line = item_node.start_mark.line + 1
            reg.add(_entity_from_yaml(item, path, line), path)
        return reg

    def add(self, entity: Entity, path: Path | str = "<registry>") -> None:
        if entity.entity_id in self.entities:
            first = self.entities[entity.entity_id].line
            raise InputError(
                path,
                f"duplicate entity id {entity.entity_id!r} (first on line {first})",
                entity.line,
            )
        self.entities[entity.entity_id] = entity
        self._automaton = None

    def __contains__(self, entity_id: str) -> bool:
        return entity_id in self.entities

    def get(self, entity_id: str) -> Entity:
        return self.entities[entity_id]

    # ---- matching ------------------------------------------------------------------------
    def _build(self) -> tuple[ahocorasick.Automaton, ahocorasick.Automaton]:
        """Two automata, so that each scan of `find` reports only the aliases it looks for:
        the case-insensitive ones (lower-cased) and the case-sensitive ones."""
        autos = {False: ahocorasick.Automaton(), True: ahocorasick.Automaton()}
        seen: dict[tuple[str, bool], str] = {}
        for ent in self.entities.values():
            if ent.type == "anonymous" and not ent.curated:
                continue
            for alias in _variants([ent.name, *ent.aliases]):
                sensitive = _case_sensitive(alias)
                key = alias if sensitive else alias.lower()
                if (key, sensitive) in seen:
                    continue  # first entity listed wins an alias shared by two entries
                seen[(key, sensitive)] = ent.entity_id
                auto = autos[sensitive]
                stored = auto.get(key, [])
                # (what find() needs: whether each end of the alias is Latin, i.e. must not
                # run into a longer word)
                stored = [*stored, (ent.entity_id, len(alias),
                                    _CJK.search(alias[0]) is None, _CJK.search(alias[-1]) is None)]
                auto.add_word(key, stored)
        for auto in autos.values():
            auto.make_automaton()
        return autos[False], autos[True]

    def find(self, text: str) -> list[Match]:
        """Non-overlapping alias matches, longest first at each position, in text order."""
        if self._automaton is None:
            self._automaton = self._build()
        folded, exact = self._automaton
        if len(folded) == 0 and len(exact) == 0:
            return []
        lowered = text.lower()
        if len(lowered) != len(text):  # rare case-mapping that changes length: map per char
            lowered = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
        candidates: list[Match] = []
        # Case-insensitive keys are stored lower-cased and found in the lowered text;
        # case-sensitive keys are found in the text as printed.
        n = len(text)
        word = _word_char
        for hay, auto in ((lowered, folded), (text, exact)):
            if len(auto) == 0:
                continue
            for end_index, entries in auto.iter(hay):
                for entity_id, size, latin_first, latin_last in entries:
                    start = end_index - size + 1
                    end = end_index + 1
                    # (_bounded: a Latin alias must not sit inside a longer word)
                    if latin_first and start > 0 and word(text[start - 1]):
                        continue
                    if latin_last and end < n and word(text[end]):
                        continue
                    candidates.append(Match(start, end, entity_id, text[start:end]))
        candidates.sort(key=lambda m: (m.start, -(m.end - m.start)))
        chosen: list[Match] = []
        last_end = -1
        for m in candidates:
            if m.start >= last_end:
                chosen.append(m)
                last_end = m.end
        return chosen


def _entity_from_yaml(item: object, path: Path, line: int) -> Entity:
    if not isinstance(item, dict):
        raise InputError(path, "each entity must be a mapping with id, name and type", line)
    unknown = set(item) - {"id", "name", "type", "aliases", "country", "description"}
    if unknown:
        raise InputError(
            path, f"unknown entity key(s): {', '.join(sorted(map(str, unknown)))}", line
        )
    eid, name, etype = item.get("id"), item.get("name"), item.get("type")
    if not isinstance(eid, str) or not _ID.fullmatch(eid):
        raise InputError(path, f"entity id must be a lower-case slug, got {eid!r}", line)
    if not isinstance(name, str) or not name.strip():
        raise InputError(path, f"entity {eid!r} needs a name", line)
    if etype not in ENTITY_TYPES:
        raise InputError(
            path, f"entity {eid!r}: type must be one of {', '.join(ENTITY_TYPES)}", line
        )
    aliases = item.get("aliases") or []
    if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases):
        raise InputError(path, f"entity {eid!r}: aliases must be a list of names", line)
    country = item.get("country")
    if country is not None and not (
        isinstance(country, str) and re.fullmatch(r"[A-Z]{2}", country)
    ):
        raise InputError(path, f"entity {eid!r}: country must be a 2-letter code", line)
    return Entity(
        entity_id=eid,
        name=name.strip(),
        type=etype,
        aliases=[a.strip() for a in aliases],
        country=country,
        description=item.get("description"),
        curated=True,
        line=line,
    )


# An alias made of a proper name and a lower-case noun ('Jeff Bezos family office')
_OWNER_NOUN = re.compile(r"((?:[A-Z][\w.-]*\s+)*[A-Z][\w.]*)\s+([a-z][a-z -]*[a-z])")


def _variants(names: list[str]) -> list[str]:
    out: list[str] = []
    for name in names:
        forms = [name]
        owner = _OWNER_NOUN.fullmatch(name)
        if owner:
            # 'Jeff Bezos family office' is also written 'Jeff Bezos's family office'
            forms += [f"{owner.group(1)}{s} {owner.group(2)}" for s in ("'s", "’s")]
        if _CJK.search(name):
            # Taiwan and Hong Kong print variant characters of their own ('啟明創投' and
            # '啓明創投', '為'/'爲', '裡'/'裏'): generate each region's traditional form too
            forms += [zhconv.convert(name, v) for v in ("zh-hans", "zh-hant", "zh-tw", "zh-hk")]
        for f in forms:
            if f not in out:
                out.append(f)
    return out


def _case_sensitive(alias: str) -> bool:
    """Acronyms and short names ('FT', 'JD', 'SSI', 'MGX') only match as printed."""
    letters = [c for c in alias if c.isalpha()]
    return len(alias) <= 3 or (
        bool(letters) and all(c.isupper() for c in letters) and len(alias) <= 6
    )


def _bounded(text: str, start: int, end: int, alias: str) -> bool:
    """Latin aliases must not sit inside a longer word ('Uber' in 'Uberisation')."""
    if _CJK.search(alias[0]) is None and start > 0 and _is_word(text[start - 1]):
        return False
    return not (_CJK.search(alias[-1]) is None and end < len(text) and _is_word(text[end]))


def _is_word(ch: str) -> bool:
    return bool(_WORD.match(ch)) and not _CJK.match(ch)


_word_char = cache(_is_word)  # (per character, for find)
