"""Curated inputs beside the articles (in the folder of the entity registry):

- `rounds.yml` names, merges or splits the rounds the build reconstructs from claims;
- `reference_facts.yml` lists well-established facts (with citations) that claims are checked
  against — a claim that disagrees becomes a `contradicts_reference` conflict.

Every entity id these files reference must exist in the registry; a typo is an error naming
the file and line, not a silently empty join."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from .errors import InputError, yaml_problem
from .registry import Registry

ROUND_KEYS = {"id", "company", "label", "match"}
MATCH_KEYS = {"after", "before", "label"}
FACT_KEYS = {"id", "subject", "predicate", "object", "value", "citation", "note"}
CITATION_KEYS = {"title", "url", "publisher", "published"}
FACT_PREDICATES = ("product_release", "founded", "founder", "parent_organization")
_ROUND_ID = re.compile(r"[a-z0-9][a-z0-9._-]*")
_PARTIAL_DATE = re.compile(r"(?:19|20)\d\d(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12]\d|3[01]))?)?")

# Round labels as printed ("Series B", "series b+", "B轮", "B+轮", "Pre-A轮", "seed round",
# "天使轮") → one key ("B", "B+", "pre-A", "seed", "angel").
_LABEL_RX = re.compile(
    r"(?<![A-Za-z])(?:(?P<pre>[Pp]re-?)?[Ss]eries\s+(?P<en>[A-H])(?P<enplus>\+*)(?![A-Za-z])"
    r"|(?P<pre2>[Pp]re-?)(?P<cn>[A-H])(?P<cnplus>\+*)\s*[轮輪]"
    r"|(?P<cn2>[A-H])(?P<cn2plus>\+*)\s*[轮輪]"
    r"|(?P<seed>[Ss]eed|种子|種子)\s*(?:round|funding|轮|輪)"
    r"|(?P<angel>[Aa]ngel|天使)\s*(?:round|funding|轮|輪))"
)


def label_key(match: re.Match[str]) -> str:
    g = match.groupdict()
    if g["seed"]:
        return "seed"
    if g["angel"]:
        return "angel"
    letter = g["en"] or g["cn"] or g["cn2"]
    plus = g["enplus"] or g["cnplus"] or g["cn2plus"] or ""
    pre = "pre-" if (g["pre"] or g["pre2"]) else ""
    return f"{pre}{letter}{plus}"


# One of these occurs in every match of _LABEL_RX ('[Ss]eries', '[轮輪]', '[Ss]eed', '[Aa]ngel',
# 天使; 种子/種子 come with a 轮/輪 or 'round'/'funding'): most claims' evidence has none, and re
# would try the pattern at every character of it.
_LABEL_NEEDS = ("eries", "轮", "輪", "eed", "ngel", "天使", "round", "funding")


def round_labels(text: str) -> list[str]:
    """Every round label printed in `text`, as keys ("B", "B+", "pre-A", "seed", "angel")."""
    if not any(k in text for k in _LABEL_NEEDS):
        return []
    return [label_key(m) for m in _LABEL_RX.finditer(text)]


def parse_label(text: str) -> str | None:
    """A label given by a curator: "Series B", "B轮", or already a key ("B", "pre-A", "seed")."""
    found = round_labels(text)
    if found:
        return found[0]
    t = text.strip()
    if re.fullmatch(r"(?:pre-)?[A-H]\+*", t, re.IGNORECASE):
        return t[:-1].lower() + t[-1].upper() if t.lower().startswith("pre-") else t.upper()
    if t.lower() in ("seed", "angel"):
        return t.lower()
    return None


def display_label(key: str) -> str:
    """ "B+" → "Series B+", "pre-A" → "pre-Series A", "seed" → "seed"."""
    if key in ("seed", "angel"):
        return key
    if key.startswith("pre-"):
        return f"pre-Series {key[4:]}"
    return f"Series {key}"


@dataclass(frozen=True)
class CuratedRound:
    """A curated round. It takes the articles of `company_id` published on or after `after`
    and before `before` whose round label (if printed) is `match_label`; with no `match`, every
    article of the company. Undated articles join the round their figures fit best."""

    round_id: str
    company_id: str
    label: str | None
    line: int
    after: str | None = None
    before: str | None = None
    match_label: str | None = None

    @property
    def has_match(self) -> bool:
        return bool(self.after or self.before or self.match_label)


@dataclass(frozen=True)
class Citation:
    title: str
    url: str
    publisher: str | None
    published: str | None


@dataclass(frozen=True)
class ReferenceFact:
    """A curated fact: `subject_id` `predicate` `object_id`/`value`, backed by `citation`."""

    fact_id: str
    subject_id: str
    predicate: str
    object_id: str | None
    value: str | None
    citation: Citation
    note: str | None
    line: int


class CuratedRounds(list):
    """The curated rounds, plus the reference facts found beside them (so a caller that only
    loads rounds.yml also gets reference_facts.yml checked and loaded)."""

    reference_facts: list[ReferenceFact]

    def __init__(self, rounds: list[CuratedRound], facts: list[ReferenceFact]):
        super().__init__(rounds)
        self.reference_facts = facts


def load_yaml_list(path: Path) -> list[tuple[dict, int]]:
    """(entry, line) pairs of a YAML list file; [] when the file does not exist."""
    if not path.exists():
        return []
    try:
        text = path.read_text(encoding="utf-8")
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except UnicodeDecodeError as exc:
        raise InputError(path, f"not valid UTF-8 at byte {exc.start}") from None
    except yaml.YAMLError as exc:
        line, problem = yaml_problem(exc)
        raise InputError(path, f"not valid YAML: {problem}", line) from None
    if data is None:
        return []
    if not isinstance(data, list):
        raise InputError(path, "expected a YAML list of entries", 1)
    out = []
    for item, item_node in zip(data, node.value, strict=True):
        line = item_node.start_mark.line + 1
        if not isinstance(item, dict):
            raise InputError(path, "each entry must be a mapping", line)
        out.append((item, line))
    return out


def require_entity(registry: Registry, entity_id: object, path: Path, line: int, key: str) -> str:
    if not isinstance(entity_id, str) or entity_id not in registry:
        raise InputError(
            path, f"{key}: unknown entity id {entity_id!r} (not in the registry)", line
        )
    return entity_id


def _unknown_keys(item: dict, allowed: set[str], path: Path, line: int, what: str) -> None:
    unknown = set(map(str, item)) - allowed
    if unknown:
        raise InputError(
            path,
            f"unknown {what} key(s): {', '.join(sorted(unknown))} "
            f"(allowed: {', '.join(sorted(allowed))})",
            line,
        )


def _date(value: object, path: Path, line: int, key: str) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d\d-\d\d", value.strip()):
        try:
            return dt.date.fromisoformat(value.strip()).isoformat()
        except ValueError:
            pass
    raise InputError(path, f"{key}: expected a date YYYY-MM-DD, got {value!r}", line)


def load_rounds(path: Path, registry: Registry) -> CuratedRounds:
    """seeds/rounds.yml, and reference_facts.yml from the same folder."""
    rounds = []
    seen: dict[str, int] = {}
    for item, line in load_yaml_list(path):
        _unknown_keys(item, ROUND_KEYS, path, line, "round")
        rid = item.get("id")
        if not isinstance(rid, str) or not _ROUND_ID.fullmatch(rid):
            raise InputError(path, f"each round needs an id (a lower-case slug), got {rid!r}", line)
        if rid in seen:
            raise InputError(path, f"duplicate round id {rid!r} (first on line {seen[rid]})", line)
        seen[rid] = line
        company = require_entity(registry, item.get("company"), path, line, "company")
        label = item.get("label")
        if label is not None and not (isinstance(label, str) and label.strip()):
            raise InputError(path, "label: expected text", line)
        match = item.get("match") or {}
        if not isinstance(match, dict):
            raise InputError(path, "match: expected a mapping of after, before, label", line)
        _unknown_keys(match, MATCH_KEYS, path, line, "match")
        after = _date(match.get("after"), path, line, "match.after")
        before = _date(match.get("before"), path, line, "match.before")
        if after and before and after >= before:
            raise InputError(path, "match: 'after' must be earlier than 'before'", line)
        mlabel = None
        if match.get("label") is not None:
            mlabel = parse_label(str(match["label"]))
            if mlabel is None:
                raise InputError(
                    path,
                    f"match.label: not a round label like 'Series B' or 'B轮': {match['label']!r}",
                    line,
                )
        rounds.append(
            CuratedRound(
                rid, company, label.strip() if label else None, line, after, before, mlabel
            )
        )
    facts = load_reference_facts(path.parent / "reference_facts.yml", registry)
    return CuratedRounds(rounds, facts)


def load_reference_facts(path: Path, registry: Registry) -> list[ReferenceFact]:
    facts = []
    seen: dict[str, int] = {}
    for item, line in load_yaml_list(path):
        _unknown_keys(item, FACT_KEYS, path, line, "reference fact")
        fid = item.get("id")
        if not isinstance(fid, str) or not _ROUND_ID.fullmatch(fid):
            raise InputError(path, f"each fact needs an id (a lower-case slug), got {fid!r}", line)
        if fid in seen:
            raise InputError(path, f"duplicate fact id {fid!r} (first on line {seen[fid]})", line)
        seen[fid] = line
        subject = require_entity(registry, item.get("subject"), path, line, "subject")
        predicate = item.get("predicate")
        if predicate not in FACT_PREDICATES:
            raise InputError(
                path,
                f"predicate: must be one of {', '.join(FACT_PREDICATES)}, got {predicate!r}",
                line,
            )
        obj = item.get("object")
        if obj is not None or predicate in ("product_release", "founder", "parent_organization"):
            obj = require_entity(registry, obj, path, line, "object")
        value = item.get("value")
        if isinstance(value, dt.date | dt.datetime):
            value = _date(value, path, line, "value")
        elif value is not None:
            value = str(value).strip()
        if predicate in ("product_release", "founded") and not (
            isinstance(value, str) and _PARTIAL_DATE.fullmatch(value)
        ):
            raise InputError(
                path,
                f"value: expected a date YYYY, YYYY-MM or YYYY-MM-DD, got {value!r}",
                line,
            )
        cite = item.get("citation")
        if not isinstance(cite, dict):
            raise InputError(path, "citation: expected a mapping with title and url", line)
        _unknown_keys(cite, CITATION_KEYS, path, line, "citation")
        title, url = cite.get("title"), cite.get("url")
        if not (isinstance(title, str) and title.strip()):
            raise InputError(path, "citation.title: required", line)
        if not (isinstance(url, str) and re.match(r"https?://\S+$", url)):
            raise InputError(path, f"citation.url: expected an http(s) URL, got {url!r}", line)
        published = cite.get("published")
        if published is not None:
            published = _date(published, path, line, "citation.published")
        facts.append(
            ReferenceFact(
                fid,
                subject,
                predicate,
                obj,
                value,
                Citation(title.strip(), url, cite.get("publisher"), published),
                item.get("note"),
                line,
            )
        )
    return facts
