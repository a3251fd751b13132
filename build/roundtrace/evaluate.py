"""Score an extractor's output (claims/entities/sources CSVs) against the gold annotations.

Gold files live under ``tests/gold/{seeds,devset}/<article stem>.yml`` (format and matching rules:
``tests/gold/README.md``). Only articles that have a gold file are scored.

Scored types:

* ``valuation``, ``round_amount``, ``investment_amount`` -- key: article, predicate, subject,
  [object for investment_amount], currency, amount_low and amount_high each within 1 %
  (null must match null). time_frame is not part of the key.
* ``investor`` -- key: article, subject, object.
* ``role`` -- investor facts, key + role.
* ``attribution`` / ``certainty`` -- over every gold fact: TP when the fact was matched on its
  key and the matched claim's attributed_to / certainty agrees; a matched fact that disagrees
  counts FP and FN; a gold fact that was not matched counts FN. Unmatched predicted claims are
  not counted here.

Each predicted claim matches at most one gold fact; when several predicted claims duplicate
one gold fact, the first (in claims.csv order) matches and the rest are FP.

CLI: ``python -m roundtrace.evaluate --gold tests/gold --dist dist [--json] [--errors]``.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import yaml_problem

MONEY_PREDICATES = ("valuation", "round_amount", "investment_amount")
FACT_PREDICATES = (*MONEY_PREDICATES, "investor")
CONTEXT_PREDICATES = ("founded", "parent_organization")
TYPES = (*MONEY_PREDICATES, "investor", "role", "attribution", "certainty")
QUALIFIERS = ("exact", "approximate", "lower_bound", "upper_bound", "range")
TIME_FRAMES = ("current", "earlier", "target", "forecast")
CERTAINTIES = ("confirmed", "reported", "expected", "speculative", "denied")
ROLES = ("lead", "participant", "in_talks", "considering", "existing", "unspecified")
REL_TOL = 0.01

# Predicate spellings an extractor might use for the scored predicates.
PREDICATE_ALIASES = {
    "round.valuation": "valuation",
    "round_valuation": "valuation",
    "round.amount": "round_amount",
    "round.round_amount": "round_amount",
    "round.target_amount": "round_amount",
    "round.amount_raised": "round_amount",
    "amount_raised": "round_amount",
    "target_amount": "round_amount",
    "round.investment_amount": "investment_amount",
    "round.investor": "investor",
}

_ALLOWED_KEYS = {
    "predicate", "subject", "object", "value", "currency", "amount_low", "amount_high",
    "qualifier", "time_frame", "certainty", "attributed_to", "role", "note",
}


# --------------------------------------------------------------------------------------------
# Data classes


@dataclass
class TypeScore:
    type: str
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Report:
    scores: dict[str, TypeScore]
    errors: list[dict] = field(default_factory=list)

    @property
    def micro(self) -> TypeScore:
        total = TypeScore("all")
        for s in self.scores.values():
            total.tp += s.tp
            total.fp += s.fp
            total.fn += s.fn
        return total


# --------------------------------------------------------------------------------------------
# Name normalisation and entity resolution


def _norm(name: str) -> str:
    return unicodedata.normalize("NFKC", str(name)).strip().casefold()


def _squash(name: str) -> str:
    """Normalised name with punctuation, symbols and whitespace removed."""
    return "".join(
        ch for ch in _norm(name) if unicodedata.category(ch)[0] not in ("P", "Z", "S", "C")
    )


def _as_list(value: Any) -> list:
    if isinstance(value, list):
        return value
    return [value]


class EntityIndex:
    """Resolve gold names to predicted entity ids (via entities.csv names and aliases)."""

    def __init__(self, entities: dict[str, dict]):
        self.entities = entities
        self.by_norm: dict[str, set[str]] = {}
        self.by_squash: dict[str, set[str]] = {}
        for eid, row in entities.items():
            for name in [row.get("name") or "", *row.get("aliases", [])]:
                if not name:
                    continue
                self.by_norm.setdefault(_norm(name), set()).add(eid)
                sq = _squash(name)
                if sq:
                    self.by_squash.setdefault(sq, set()).add(eid)

    def resolve(self, name: str) -> set[str]:
        ids = self.by_norm.get(_norm(name))
        if ids:
            return ids
        return self.by_squash.get(_squash(name), set())

    def pred_name(self, eid: str) -> str:
        row = self.entities.get(eid)
        if row and row.get("name"):
            return row["name"]
        return eid

    def matches(self, gold_names: Any, pred_id: str | None) -> bool:
        """True if the predicted entity id matches any of the gold alternatives.

        A gold alternative of None matches an empty prediction only.
        """
        for gold in _as_list(gold_names):
            if gold is None:
                if not pred_id:
                    return True
                continue
            if not pred_id:
                continue
            ids = self.resolve(gold)
            if ids:
                if pred_id in ids:
                    return True
            elif _squash(gold) and _squash(gold) == _squash(self.pred_name(pred_id)):
                return True
        return False


# --------------------------------------------------------------------------------------------
# Loading


def _num(value: Any, where: str, key: str) -> float | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueError(f"{where}: {key} must be a number or null, got {value!r}")
    try:
        return float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{where}: {key} must be a number or null, got {value!r}") from None


def _check_enum(fact: dict, key: str, allowed: Iterable[str], where: str) -> None:
    if key not in fact or fact[key] is None:
        return
    for v in _as_list(fact[key]):
        if v not in allowed:
            raise ValueError(f"{where}: {key} {v!r} is not one of {', '.join(allowed)}")


def _validate_fact(fact: Any, where: str) -> dict:
    if not isinstance(fact, dict):
        raise ValueError(f"{where}: a fact must be a mapping, got {type(fact).__name__}")
    unknown = set(fact) - _ALLOWED_KEYS
    if unknown:
        raise ValueError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
    pred = fact.get("predicate")
    if pred not in FACT_PREDICATES + CONTEXT_PREDICATES:
        raise ValueError(f"{where}: predicate {pred!r} is not one of "
                         f"{', '.join(FACT_PREDICATES + CONTEXT_PREDICATES)}")
    subject = fact.get("subject")
    if not subject or not all(isinstance(s, str) and s for s in _as_list(subject)):
        raise ValueError(f"{where}: subject must be a non-empty name (or list of names)")
    out = dict(fact)
    if pred in ("investor", "investment_amount") and not fact.get("object"):
        raise ValueError(f"{where}: {pred} needs an object")
    if pred in MONEY_PREDICATES:
        for key in ("value", "currency", "qualifier"):
            if not fact.get(key):
                raise ValueError(f"{where}: {pred} needs {key}")
        if "amount_low" not in fact or "amount_high" not in fact:
            raise ValueError(f"{where}: {pred} needs amount_low and amount_high (null allowed)")
        low = _num(fact.get("amount_low"), where, "amount_low")
        high = _num(fact.get("amount_high"), where, "amount_high")
        if low is None and high is None:
            raise ValueError(f"{where}: amount_low and amount_high cannot both be null")
        if low is not None and high is not None and low > high:
            raise ValueError(f"{where}: amount_low > amount_high")
        q = fact["qualifier"]
        if q in ("exact", "approximate") and low != high:
            raise ValueError(f"{where}: {q} figure needs amount_low == amount_high")
        if q == "lower_bound" and (low is None or high is not None):
            raise ValueError(f"{where}: lower_bound needs amount_low set and amount_high null")
        if q == "upper_bound" and (high is None or low is not None):
            raise ValueError(f"{where}: upper_bound needs amount_high set and amount_low null")
        if q == "range" and (low is None or high is None or low == high):
            raise ValueError(f"{where}: range needs two different bounds")
        out["amount_low"], out["amount_high"] = low, high
        out["currency"] = str(fact["currency"]).upper()
    if pred in FACT_PREDICATES and not fact.get("certainty"):
        raise ValueError(f"{where}: {pred} needs certainty")
    if pred in FACT_PREDICATES and "attributed_to" not in fact:
        raise ValueError(f"{where}: {pred} needs attributed_to (null allowed)")
    if pred == "investor" and not fact.get("role"):
        raise ValueError(f"{where}: investor needs role")
    _check_enum(fact, "qualifier", QUALIFIERS, where)
    _check_enum(fact, "time_frame", TIME_FRAMES, where)
    _check_enum(fact, "certainty", CERTAINTIES, where)
    _check_enum(fact, "role", ROLES, where)
    return out


def load_gold(gold_dir: Path) -> dict[str, list[dict]]:
    """Read every ``*.yml`` under gold_dir (recursively): article stem -> list of facts.

    Raises ValueError naming the file on malformed YAML or an invalid fact.
    """
    gold_dir = Path(gold_dir)
    out: dict[str, list[dict]] = {}
    origin: dict[str, Path] = {}
    for path in sorted(gold_dir.rglob("*.yml")):
        try:
            doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        except UnicodeDecodeError as exc:
            raise ValueError(f"{path}: not valid UTF-8 at byte {exc.start}") from None
        except yaml.YAMLError as exc:
            line, problem = yaml_problem(exc)
            where = f"{path}:{line}" if line else str(path)
            raise ValueError(f"{where}: malformed YAML: {problem}") from None
        if not isinstance(doc, dict) or "article" not in doc:
            raise ValueError(f"{path}: expected a mapping with keys 'article' and 'facts'")
        article = doc["article"]
        if not isinstance(article, str) or not article:
            raise ValueError(f"{path}: 'article' must be the article file stem")
        if article != path.stem:
            raise ValueError(f"{path}: article {article!r} does not match the file name")
        if article in out:
            raise ValueError(f"{path}: article {article!r} already annotated in {origin[article]}")
        facts = doc.get("facts") or []
        if not isinstance(facts, list):
            raise ValueError(f"{path}: 'facts' must be a list")
        checked = []
        for i, fact in enumerate(facts):
            f = _validate_fact(fact, f"{path}: fact #{i + 1}")
            f["article"] = article
            checked.append(f)
        out[article] = checked
        origin[article] = path
    return out


def _read_csv(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        raise FileNotFoundError(f"{path} not found")
    with path.open(encoding="utf-8", newline="") as fh:
        return [{k: (v or "").strip() for k, v in row.items() if k} for row in csv.DictReader(fh)]


def _load_entities(path: Path) -> dict[str, dict]:
    out: dict[str, dict] = {}
    for row in _read_csv(path):
        raw = row.get("aliases", "")
        aliases: list[str] = []
        if raw:
            try:
                parsed = json.loads(raw)
                aliases = [str(a) for a in parsed] if isinstance(parsed, list) else [str(parsed)]
            except json.JSONDecodeError:
                aliases = [a.strip() for a in re.split(r"[|;]", raw) if a.strip()]
        out[row.get("entity_id", "")] = {"name": row.get("name", ""), "aliases": aliases}
    return out


def _float(value: str) -> float | None:
    if value in ("", None):
        return None
    try:
        return float(value)
    except ValueError:
        return None


def _load_claims(dist_dir: Path, articles: set[str]) -> list[dict]:
    sources = {}
    for row in _read_csv(dist_dir / "sources.csv"):
        file = row.get("file", "")
        stem = Path(file).stem if file else ""
        sources[row.get("source_id", "")] = stem
    claims = []
    for idx, row in enumerate(_read_csv(dist_dir / "claims.csv")):
        stem = sources.get(row.get("source_id", ""), "")
        if stem not in articles:
            continue
        pred = row.get("predicate", "")
        pred = PREDICATE_ALIASES.get(pred, pred)
        if pred not in FACT_PREDICATES:
            continue
        claims.append({
            "idx": idx,
            "claim_id": row.get("claim_id", ""),
            "article": stem,
            "predicate": pred,
            "subject_id": row.get("subject_id", ""),
            "object_id": row.get("object_id", ""),
            "currency": row.get("currency", "").upper(),
            "amount_low": _float(row.get("amount_low", "")),
            "amount_high": _float(row.get("amount_high", "")),
            "value_text": row.get("value_text", ""),
            "role": row.get("role", "") or "unspecified",
            "certainty": row.get("certainty", ""),
            "time_frame": row.get("time_frame", ""),
            "attributed_to": row.get("attributed_to", ""),
        })
    return claims


# --------------------------------------------------------------------------------------------
# Matching


def _close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    if a == b:
        return True
    return abs(a - b) <= REL_TOL * max(abs(a), abs(b))


def _key_match(fact: dict, claim: dict, index: EntityIndex, with_role: bool) -> bool:
    if fact["article"] != claim["article"] or fact["predicate"] != claim["predicate"]:
        return False
    if not index.matches(fact["subject"], claim["subject_id"]):
        return False
    if fact["predicate"] in ("investor", "investment_amount") and not index.matches(
        fact["object"], claim["object_id"]
    ):
        return False
    if fact["predicate"] in MONEY_PREDICATES:
        if fact["currency"] != claim["currency"]:
            return False
        if not (_close(fact["amount_low"], claim["amount_low"])
                and _close(fact["amount_high"], claim["amount_high"])):
            return False
    return not (with_role and claim["role"] not in _as_list(fact["role"]))


def _match(facts: list[dict], claims: list[dict], index: EntityIndex, with_role: bool = False
           ) -> tuple[dict[int, dict], list[dict]]:
    """Greedy one-to-one matching in claims order.

    Returns (gold fact position -> matched claim, unmatched claims). A claim that fits several
    unmatched facts takes the one with the same time_frame, else the first.
    """
    matched: dict[int, dict] = {}
    unmatched: list[dict] = []
    for claim in claims:
        candidates = [
            i for i, f in enumerate(facts)
            if i not in matched and _key_match(f, claim, index, with_role)
        ]
        if not candidates:
            unmatched.append(claim)
            continue
        same_tf = [i for i in candidates if facts[i].get("time_frame") == claim["time_frame"]]
        matched[(same_tf or candidates)[0]] = claim
    return matched, unmatched


def _fact_summary(fact: dict) -> dict:
    keys = ("article", "predicate", "subject", "object", "value", "currency", "amount_low",
            "amount_high", "role", "certainty", "attributed_to")
    return {k: fact[k] for k in keys if k in fact}


def _claim_summary(claim: dict) -> dict:
    keys = ("claim_id", "article", "predicate", "subject_id", "object_id", "value_text",
            "currency", "amount_low", "amount_high", "role", "certainty", "attributed_to")
    return {k: claim[k] for k in keys}


def score(gold_dir: Path, dist_dir: Path) -> Report:
    gold = load_gold(Path(gold_dir))
    dist_dir = Path(dist_dir)
    index = EntityIndex(_load_entities(dist_dir / "entities.csv"))
    claims = _load_claims(dist_dir, set(gold))
    facts = [f for fs in gold.values() for f in fs if f["predicate"] in FACT_PREDICATES]

    scores = {t: TypeScore(t) for t in TYPES}
    errors: list[dict] = []
    key_matches: list[tuple[dict, dict | None]] = []

    for pred in FACT_PREDICATES:
        p_facts = [f for f in facts if f["predicate"] == pred]
        p_claims = [c for c in claims if c["predicate"] == pred]
        matched, unmatched = _match(p_facts, p_claims, index)
        s = scores[pred]
        s.tp += len(matched)
        s.fp += len(unmatched)
        s.fn += len(p_facts) - len(matched)
        for claim in unmatched:
            errors.append({"type": pred, "kind": "fp", "claim": _claim_summary(claim)})
        for i, fact in enumerate(p_facts):
            key_matches.append((fact, matched.get(i)))
            if i not in matched:
                errors.append({"type": pred, "kind": "fn", "gold": _fact_summary(fact)})
        if pred == "investor":
            r_matched, r_unmatched = _match(p_facts, p_claims, index, with_role=True)
            r = scores["role"]
            r.tp += len(r_matched)
            r.fp += len(r_unmatched)
            r.fn += len(p_facts) - len(r_matched)
            for claim in r_unmatched:
                errors.append({"type": "role", "kind": "fp", "claim": _claim_summary(claim)})
            for i, fact in enumerate(p_facts):
                if i not in r_matched:
                    errors.append({"type": "role", "kind": "fn", "gold": _fact_summary(fact),
                                   "claim": _claim_summary(matched[i]) if i in matched else None})

    for fact, claim in key_matches:
        for typ in ("attribution", "certainty"):
            s = scores[typ]
            if claim is None:
                s.fn += 1
                errors.append({"type": typ, "kind": "fn", "gold": _fact_summary(fact),
                               "claim": None})
                continue
            if typ == "attribution":
                ok = index.matches(fact.get("attributed_to"), claim["attributed_to"])
            else:
                ok = claim["certainty"] in _as_list(fact.get("certainty"))
            if ok:
                s.tp += 1
            else:
                s.fp += 1
                s.fn += 1
                errors.append({"type": typ, "kind": "mismatch", "gold": _fact_summary(fact),
                               "claim": _claim_summary(claim)})
    return Report(scores=scores, errors=errors)


# --------------------------------------------------------------------------------------------
# Output


def format_table(report: Report) -> str:
    header = ("type", "gold", "predicted", "tp", "fp", "fn", "P", "R", "F1")
    rows = []
    for s in [*report.scores.values(), report.micro]:
        rows.append((s.type, str(s.tp + s.fn), str(s.tp + s.fp), str(s.tp), str(s.fp),
                     str(s.fn), f"{s.precision:.3f}", f"{s.recall:.3f}", f"{s.f1:.3f}"))
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]

    def fmt(row: tuple[str, ...]) -> str:
        rest = [c.rjust(w) for c, w in zip(row[1:], widths[1:], strict=True)]
        cells = [row[0].ljust(widths[0]), *rest]
        return "  ".join(cells)

    sep = "  ".join("-" * w for w in widths)
    return "\n".join([fmt(header), sep, *(fmt(r) for r in rows[:-1]), sep, fmt(rows[-1])])


def report_json(report: Report) -> dict:
    def one(s: TypeScore) -> dict:
        return {"gold": s.tp + s.fn, "predicted": s.tp + s.fp, "tp": s.tp, "fp": s.fp,
                "fn": s.fn, "precision": round(s.precision, 4), "recall": round(s.recall, 4),
                "f1": round(s.f1, 4)}

    return {
        "scores": {t: one(s) for t, s in report.scores.items()},
        "all": one(report.micro),
        "errors": report.errors,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="roundtrace.evaluate", description=__doc__.split("\n")[0])
    parser.add_argument("--gold", type=Path, default=Path("tests/gold"),
                        help="gold directory (default: tests/gold)")
    parser.add_argument("--dist", type=Path, default=Path("dist"),
                        help="directory with claims.csv, entities.csv, sources.csv")
    parser.add_argument("--json", action="store_true", help="print the JSON report")
    parser.add_argument("--errors", action="store_true", help="also list FP/FN items")
    args = parser.parse_args(argv)
    report = score(args.gold, args.dist)
    if args.json:
        print(json.dumps(report_json(report), ensure_ascii=False, indent=2))
        return 0
    print(format_table(report))
    if args.errors:
        for err in report.errors:
            print(json.dumps(err, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
