"""Curated inputs beside the articles: seeds/rounds.yml names, merges or splits rounds.

Every entity id these files reference must exist in the registry; a typo is an error naming
the file and line, not a silently empty join."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from .errors import InputError
from .registry import Registry


@dataclass(frozen=True)
class CuratedRound:
    round_id: str
    company_id: str
    label: str | None
    line: int


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
        mark = getattr(exc, "problem_mark", None)
        raise InputError(
            path,
            f"not valid YAML: {getattr(exc, 'problem', None) or exc}",
            mark.line + 1 if mark else None,
        ) from None
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


def load_rounds(path: Path, registry: Registry) -> list[CuratedRound]:
    rounds = []
    for item, line in load_yaml_list(path):
        rid = item.get("id")
        if not isinstance(rid, str) or not rid:
            raise InputError(path, "each round needs an id", line)
        company = require_entity(registry, item.get("company"), path, line, "company")
        rounds.append(CuratedRound(rid, company, item.get("label"), line))
    return rounds
