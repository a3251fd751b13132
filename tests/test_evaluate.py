"""Tests for roundtrace.evaluate and for the consistency of the gold annotations."""

from __future__ import annotations

import csv
import json
import re
import textwrap
from pathlib import Path

import pytest
import yaml

from roundtrace.evaluate import (
    TypeScore,
    format_table,
    load_gold,
    main,
    report_json,
    score,
)

REPO = Path(__file__).resolve().parents[1]
GOLD = REPO / "tests" / "gold"

CLAIM_COLS = [
    "claim_id", "source_id", "predicate", "subject_id", "object_id", "round_id", "value_text",
    "amount_low", "amount_high", "low_inclusive", "high_inclusive", "currency", "qualifier",
    "usd_low", "usd_high", "usd_basis", "role", "certainty", "time_frame", "attributed_to",
    "attribution_text", "evidence", "evidence_start", "evidence_end", "extractor",
]

ENTITIES = [
    {"entity_id": "deepseek", "name": "DeepSeek", "type": "company",
     "aliases": json.dumps(["深度求索"]), "curated": "1"},
    {"entity_id": "tencent", "name": "Tencent", "type": "company",
     "aliases": json.dumps(["Tencent Holdings", "腾讯"]), "curated": "1"},
    {"entity_id": "alibaba", "name": "Alibaba", "type": "company",
     "aliases": json.dumps(["Alibaba Group", "阿里巴巴"]), "curated": "1"},
    {"entity_id": "liang", "name": "Liang Wenfeng", "type": "person",
     "aliases": json.dumps(["梁文锋"]), "curated": "1"},
    {"entity_id": "the-information", "name": "The Information", "type": "publication",
     "aliases": "[]", "curated": "1"},
    {"entity_id": "anon", "name": "anonymous sources", "type": "anonymous",
     "aliases": json.dumps(["people familiar with the matter"]), "curated": "1"},
    {"entity_id": "jd", "name": "JD.com", "type": "company", "aliases": "[]", "curated": "1"},
    {"entity_id": "disc-0001", "name": "Shunwei Capital", "type": "fund", "aliases": "[]",
     "curated": "0"},
]

GOLD_A = """\
article: a1
facts:
  - predicate: valuation
    subject: DeepSeek
    value: "exceeding $20 billion"
    currency: USD
    amount_low: 20000000000
    amount_high: null
    qualifier: lower_bound
    time_frame: target
    certainty: reported
    attributed_to: The Information
  - predicate: valuation
    subject: DeepSeek
    value: "roughly $10 billion"
    currency: USD
    amount_low: 1.0e+10
    amount_high: 1.0e+10
    qualifier: approximate
    time_frame: earlier
    certainty: reported
    attributed_to: The Information
  - predicate: round_amount
    subject: DeepSeek
    value: "$300 million"
    currency: USD
    amount_low: 300000000
    amount_high: 300000000
    qualifier: exact
    time_frame: earlier
    certainty: reported
    attributed_to: null
  - predicate: investor
    subject: DeepSeek
    object: Tencent Holdings
    role: in_talks
    certainty: reported
    attributed_to: The Information
  - predicate: investor
    subject: DeepSeek
    object: Alibaba
    role: [in_talks, considering]
    certainty: [reported, expected]
    attributed_to: people familiar with the matter
  - predicate: investment_amount
    subject: DeepSeek
    object: 梁文锋
    value: "200 billion RMB"
    currency: CNY
    amount_low: 200000000000
    amount_high: 200000000000
    qualifier: exact
    certainty: reported
    attributed_to: null
"""

GOLD_B = """\
article: b2
facts:
  - predicate: investor
    subject: DeepSeek
    object: Shunwei-Capital
    role: participant
    certainty: confirmed
    attributed_to: null
  - predicate: valuation
    subject: DeepSeek
    value: "up to 400 billion yuan"
    currency: CNY
    amount_low: null
    amount_high: 400000000000
    qualifier: upper_bound
    time_frame: current
    certainty: reported
    attributed_to: null
"""


def claim(cid, src, pred, subj, obj="", low="", high="", cur="", role="", cert="",
          tf="", attr=""):
    row = dict.fromkeys(CLAIM_COLS, "")
    row.update(claim_id=cid, source_id=src, predicate=pred, subject_id=subj, object_id=obj,
               amount_low=str(low), amount_high=str(high), currency=cur, role=role,
               certainty=cert, time_frame=tf, attributed_to=attr)
    return row


def write_csv(path: Path, rows: list[dict], cols: list[str]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=cols)
        w.writeheader()
        w.writerows(rows)


def make_dist(tmp_path: Path, claims: list[dict], entities: list[dict] | None = None) -> Path:
    dist = tmp_path / "dist"
    dist.mkdir()
    write_csv(dist / "claims.csv", claims, CLAIM_COLS)
    write_csv(dist / "entities.csv", entities if entities is not None else ENTITIES,
              ["entity_id", "name", "type", "aliases", "curated"])
    write_csv(dist / "sources.csv", [
        {"source_id": "s1", "file": "a1.md", "url": "https://example.org/a1"},
        {"source_id": "s2", "file": "b2.md", "url": "https://example.org/b2"},
        {"source_id": "s9", "file": "zz_not_gold.md", "url": "https://example.org/zz"},
    ], ["source_id", "file", "url", "publisher"])
    return dist


def make_gold(tmp_path: Path, files: dict[str, str] | None = None) -> Path:
    gold = tmp_path / "gold"
    (gold / "devset").mkdir(parents=True)
    for name, text in (files or {"a1": GOLD_A, "b2": GOLD_B}).items():
        (gold / "devset" / f"{name}.yml").write_text(text, encoding="utf-8")
    return gold


def perfect_claims() -> list[dict]:
    return [
        claim("c1", "s1", "valuation", "deepseek", low=2e10, cur="USD", cert="reported",
              tf="target", attr="the-information"),
        claim("c2", "s1", "valuation", "deepseek", low=1e10, high=1e10, cur="USD",
              cert="reported", tf="earlier", attr="the-information"),
        claim("c3", "s1", "round_amount", "deepseek", low=3e8, high=3e8, cur="USD",
              cert="reported", tf="earlier"),
        claim("c4", "s1", "investor", "deepseek", "tencent", role="in_talks", cert="reported",
              attr="the-information"),
        claim("c5", "s1", "investor", "deepseek", "alibaba", role="considering",
              cert="expected", attr="anon"),
        claim("c6", "s1", "investment_amount", "deepseek", "liang", low=2e11, high=2e11,
              cur="CNY", cert="reported"),
        claim("c7", "s2", "investor", "deepseek", "disc-0001", role="participant",
              cert="confirmed"),
        claim("c8", "s2", "valuation", "deepseek", high=4e11, cur="CNY", cert="reported",
              tf="current"),
    ]


def counts(report, typ):
    s = report.scores[typ]
    return (s.tp, s.fp, s.fn)


def test_perfect_score(tmp_path):
    report = score(make_gold(tmp_path), make_dist(tmp_path, perfect_claims()))
    assert counts(report, "valuation") == (3, 0, 0)
    assert counts(report, "round_amount") == (1, 0, 0)
    assert counts(report, "investment_amount") == (1, 0, 0)
    assert counts(report, "investor") == (3, 0, 0)
    assert counts(report, "role") == (3, 0, 0)
    assert counts(report, "attribution") == (8, 0, 0)
    assert counts(report, "certainty") == (8, 0, 0)
    assert report.errors == []
    assert report.micro.f1 == 1.0


def test_empty_prediction_all_fn(tmp_path):
    report = score(make_gold(tmp_path), make_dist(tmp_path, []))
    assert counts(report, "valuation") == (0, 0, 3)
    assert counts(report, "investor") == (0, 0, 3)
    assert counts(report, "role") == (0, 0, 3)
    assert counts(report, "attribution") == (0, 0, 8)
    assert counts(report, "certainty") == (0, 0, 8)
    assert report.scores["valuation"].precision == 0.0


def test_null_bounds_must_match(tmp_path):
    claims = [
        # lower bound predicted as exact 2e10: high must be null -> FP (and gold FN)
        claim("c1", "s1", "valuation", "deepseek", low=2e10, high=2e10, cur="USD"),
        # upper bound predicted as lower bound -> FP
        claim("c2", "s2", "valuation", "deepseek", low=4e11, cur="CNY"),
    ]
    report = score(make_gold(tmp_path), make_dist(tmp_path, claims))
    assert counts(report, "valuation") == (0, 2, 3)


def test_tolerance_and_currency(tmp_path):
    claims = [
        claim("c1", "s1", "valuation", "deepseek", low=1.009e10, high=1.009e10, cur="usd"),
        claim("c2", "s1", "round_amount", "deepseek", low=3.1e8, high=3.1e8, cur="USD"),
        claim("c3", "s1", "investment_amount", "deepseek", "liang", low=2e11, high=2e11,
              cur="USD"),
    ]
    report = score(make_gold(tmp_path), make_dist(tmp_path, claims))
    assert counts(report, "valuation") == (1, 0, 2)  # within 1 %, currency case-insensitive
    assert counts(report, "round_amount") == (0, 1, 1)  # 3.3 % off
    assert counts(report, "investment_amount") == (0, 1, 1)  # wrong currency


def test_time_frame_not_in_key_but_breaks_ties(tmp_path):
    gold = make_gold(tmp_path, {"a1": textwrap.dedent("""\
        article: a1
        facts:
          - {predicate: valuation, subject: DeepSeek, value: "$20 billion", currency: USD,
             amount_low: 2.0e+10, amount_high: 2.0e+10, qualifier: exact, time_frame: current,
             certainty: reported, attributed_to: null}
          - {predicate: valuation, subject: DeepSeek, value: "$20 billion", currency: USD,
             amount_low: 2.0e+10, amount_high: 2.0e+10, qualifier: exact, time_frame: earlier,
             certainty: confirmed, attributed_to: null}
        """)})
    claims = [
        claim("c1", "s1", "valuation", "deepseek", low=2e10, high=2e10, cur="USD",
              tf="earlier", cert="confirmed"),
        claim("c2", "s1", "valuation", "deepseek", low=2e10, high=2e10, cur="USD",
              tf="", cert="reported"),
    ]
    report = score(gold, make_dist(tmp_path, claims))
    assert counts(report, "valuation") == (2, 0, 0)
    assert counts(report, "certainty") == (2, 0, 0)


def test_alias_and_squashed_resolution(tmp_path):
    # gold says "Tencent Holdings" (alias) and "梁文锋" (alias); "Shunwei-Capital" resolves
    # to the discovered entity after punctuation is removed.
    report = score(make_gold(tmp_path), make_dist(tmp_path, perfect_claims()))
    assert counts(report, "investment_amount") == (1, 0, 0)
    assert counts(report, "investor") == (3, 0, 0)


def test_unresolvable_gold_name_compared_with_predicted_name(tmp_path):
    # No entity row carries the name: the predicted id falls back to its own string.
    claims = [claim("c7", "s2", "investor", "deepseek", "shunwei capital", role="participant",
                    cert="confirmed")]
    entities = [e for e in ENTITIES if e["entity_id"] != "disc-0001"]
    report = score(make_gold(tmp_path), make_dist(tmp_path, claims, entities))
    assert counts(report, "investor") == (1, 0, 2)


def test_wrong_subject_or_object_is_fp(tmp_path):
    claims = [
        claim("c1", "s1", "investor", "deepseek", "jd", role="in_talks"),
        claim("c2", "s1", "investor", "tencent", "deepseek", role="in_talks"),
    ]
    report = score(make_gold(tmp_path), make_dist(tmp_path, claims))
    assert counts(report, "investor") == (0, 2, 3)
    assert {e["kind"] for e in report.errors if e["type"] == "investor"} == {"fp", "fn"}


def test_duplicates_first_matches_rest_fp(tmp_path):
    dup = claim("c4", "s1", "investor", "deepseek", "tencent", role="in_talks",
                cert="reported", attr="the-information")
    dup2 = dict(dup, claim_id="c4b", role="lead", certainty="confirmed", attributed_to="")
    report = score(make_gold(tmp_path), make_dist(tmp_path, [dup, dup2, dict(dup, claim_id="x")]))
    assert counts(report, "investor") == (1, 2, 2)
    assert counts(report, "role") == (1, 2, 2)
    # attribution/certainty judged on the first (matched) claim only
    assert counts(report, "attribution") == (1, 0, 7)
    assert counts(report, "certainty") == (1, 0, 7)


def test_role_attribution_certainty_mismatch(tmp_path):
    claims = [
        claim("c4", "s1", "investor", "deepseek", "tencent", role="lead", cert="confirmed",
              attr="anon"),
        claim("c3", "s1", "round_amount", "deepseek", low=3e8, high=3e8, cur="USD",
              cert="reported", attr="the-information"),
        # role alternatives: considering accepted for Alibaba
        claim("c5", "s1", "investor", "deepseek", "alibaba", role="", cert="expected",
              attr="anon"),
    ]
    report = score(make_gold(tmp_path), make_dist(tmp_path, claims))
    assert counts(report, "investor") == (2, 0, 1)
    assert counts(report, "role") == (0, 2, 3)  # lead != in_talks; empty role = unspecified
    # c4 wrong attribution, c3 gold null vs predicted -> mismatch, c5 ok
    assert counts(report, "attribution") == (1, 2, 7)
    # c4 wrong, c3 ok, c5 ok (alternative)
    assert counts(report, "certainty") == (2, 1, 6)
    kinds = [e["kind"] for e in report.errors if e["type"] == "attribution"]
    assert kinds.count("mismatch") == 2


def test_claims_outside_gold_articles_and_predicates_ignored(tmp_path):
    claims = perfect_claims() + [
        claim("z1", "s9", "valuation", "deepseek", low=1, high=1, cur="USD"),
        claim("z2", "s1", "founded", "deepseek"),
        claim("z3", "nope", "investor", "deepseek", "tencent"),
    ]
    report = score(make_gold(tmp_path), make_dist(tmp_path, claims))
    assert report.micro.fp == 0 and report.micro.fn == 0


def test_predicate_aliases(tmp_path):
    claims = [claim("c1", "s2", "round.valuation", "deepseek", high=4e11, cur="CNY")]
    report = score(make_gold(tmp_path), make_dist(tmp_path, claims))
    assert counts(report, "valuation") == (1, 0, 2)


@pytest.mark.parametrize("text, message", [
    ("article: a1\nfacts: [\n", "a1.yml:3: malformed YAML: expected the node content"),
    ("- just a list\n", "expected a mapping"),
    ("article: other\nfacts: []\n", "does not match the file name"),
    ("article: a1\nfacts:\n  - {predicate: valuation, subject: X}\n", "needs value"),
    ("article: a1\nfacts:\n  - {predicate: funding, subject: X}\n", "predicate 'funding'"),
    ("article: a1\nfacts:\n  - {predicate: investor, subject: X, object: Y, role: boss,"
     " certainty: reported, attributed_to: null}\n", "role 'boss'"),
    ("article: a1\nfacts:\n  - {predicate: valuation, subject: X, value: v, currency: USD,"
     " amount_low: 5, amount_high: 6, qualifier: exact, certainty: reported,"
     " attributed_to: null}\n", "amount_low == amount_high"),
    ("article: a1\nfacts:\n  - {predicate: valuation, subject: X, value: v, currency: USD,"
     " amount_low: lots, amount_high: null, qualifier: lower_bound, certainty: reported,"
     " attributed_to: null}\n", "must be a number"),
])
def test_malformed_gold_names_file(tmp_path, text, message):
    gold = make_gold(tmp_path, {"a1": text})
    with pytest.raises(ValueError) as exc:
        load_gold(gold)
    assert "a1.yml" in str(exc.value)
    assert message in str(exc.value)


def test_format_table_and_json(tmp_path, capsys):
    gold, dist = make_gold(tmp_path), make_dist(tmp_path, perfect_claims()[:4])
    report = score(gold, dist)
    table = format_table(report)
    lines = table.splitlines()
    assert lines[0].split() == ["type", "gold", "predicted", "tp", "fp", "fn", "P", "R", "F1"]
    assert lines[-1].split()[0] == "all"
    assert len({len(line) for line in lines}) == 1  # aligned
    val = next(line for line in lines if line.startswith("valuation")).split()
    assert val[1:6] == ["3", "2", "2", "0", "1"]
    data = report_json(report)
    assert data["scores"]["investor"] == {"gold": 3, "predicted": 1, "tp": 1, "fp": 0, "fn": 2,
                                          "precision": 1.0, "recall": 0.3333, "f1": 0.5}
    assert data["all"]["tp"] == report.micro.tp
    json.dumps(data)
    assert main(["--gold", str(gold), "--dist", str(dist), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["scores"]["valuation"]["tp"] == 2


def test_typescore_zero_division():
    s = TypeScore("x")
    assert (s.precision, s.recall, s.f1) == (0.0, 0.0, 0.0)


# ---------------------------------------------------------------------------------------------
# Consistency of the real gold files with the articles they annotate


def _article_body(stem: str) -> str | None:
    folders = [REPO / "seeds" / "articles", *sorted((REPO / "tests").glob("*/articles"))]
    for path in (folder / f"{stem}.md" for folder in folders):
        if path.exists():
            text = path.read_text(encoding="utf-8")
            m = re.match(r"---\n(.*?)\n---\n", text, re.S)
            assert m, f"{path}: no front matter"
            return text[m.end():]
    return None


def test_real_gold_loads_and_values_are_substrings():
    gold = load_gold(GOLD)
    assert len(gold) >= 37
    for stem, facts in gold.items():
        body = _article_body(stem)
        assert body is not None, f"no article for gold {stem}"
        for fact in facts:
            if "value" in fact:
                assert fact["value"] in body, f"{stem}: value {fact['value']!r} not in body"


def test_devset_front_matter():
    keys = {"url", "publisher", "published", "language", "title", "retrieved", "notes"}
    articles = sorted((REPO / "tests" / "devset" / "articles").glob("*.md"))
    assert len(articles) >= 32
    langs: dict[str, int] = {}
    for path in articles:
        text = path.read_text(encoding="utf-8")
        m = re.match(r"---\n(.*?)\n---\n", text, re.S)
        assert m, path
        meta = yaml.safe_load(m.group(1))
        assert set(meta) == keys, path
        assert meta["language"] in ("en", "zh-Hans", "zh-Hant"), path
        langs[meta["language"]] = langs.get(meta["language"], 0) + 1
        assert (GOLD / "devset" / f"{path.stem}.yml").exists(), f"no gold for {path.name}"
    assert langs.get("zh-Hans", 0) + langs.get("zh-Hant", 0) >= 10
