"""End to end on the seeds: a real build, real frictionless validation, a real SQLite file."""

import csv
import json
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from roundtrace import schema
from roundtrace.paths import ARTICLES_DIR, ENTITIES_FILE
from roundtrace.pipeline import build


def rows(dist: Path, name: str) -> list[dict]:
    with open(dist / f"{name}.csv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_outputs_exist(seed_dist):
    for r in schema.resources():
        assert (seed_dist / f"{r.name}.csv").is_file()
    for name in ("datapackage.json", "roundtrace.db", "metadata.json", "inspect.json"):
        assert (seed_dist / name).is_file()


def test_official_frictionless_cli_says_valid(seed_dist):
    exe = Path(sys.executable).with_name("frictionless")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "frictionless"]
    proc = subprocess.run(
        [*cmd, "validate", str(seed_dist / "datapackage.json")],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "valid" in proc.stdout.lower()


def test_every_evidence_and_value_span_indexes_its_article(seed_dist):
    text = {r["source_id"]: r["text"] for r in rows(seed_dist, "sources")}
    claims = rows(seed_dist, "claims")
    assert claims
    for c in claims:
        body = text[c["source_id"]]
        assert body[int(c["evidence_start"]) : int(c["evidence_end"])] == c["evidence"]
        if c["value_start"]:
            assert body[int(c["value_start"]) : int(c["value_end"])] == c["value_text"]
    for m in rows(seed_dist, "mentions"):
        assert text[m["source_id"]][int(m["start"]) : int(m["end"])] == m["surface"]
    for t in rows(seed_dist, "citations"):
        assert (
            text[t["source_id"]][int(t["evidence_start"]) : int(t["evidence_end"])] == t["evidence"]
        )


def test_seed_funding_claims_are_extracted(seed_dist):
    claims = rows(seed_dist, "claims")
    preds = {(c["source_id"][:3], c["predicate"]) for c in claims}
    for sid in ("000", "001", "002", "003", "004"):
        assert (sid, "valuation") in preds, sid
        assert (sid, "investor") in preds, sid
    founder = [
        c
        for c in claims
        if c["predicate"] == "investment_amount" and c["object_id"] == "liang-wenfeng"
    ]
    assert len(founder) == 1
    assert founder[0]["value_text"] == "200 billion RMB"
    assert float(founder[0]["amount_low"]) == 200e9 and founder[0]["currency"] == "CNY"
    above = [
        c
        for c in claims
        if c["source_id"].startswith("001")
        and c["predicate"] == "valuation"
        and c["value_text"] == "exceeding $20 billion"
    ]
    assert above and above[0]["qualifier"] == "lower_bound" and above[0]["amount_high"] == ""
    assert above[0]["low_inclusive"] == "false"
    assert above[0]["attributed_to"] == "the-information"


def test_database_mirrors_the_package(seed_dist):
    conn = sqlite3.connect(seed_dist / "roundtrace.db")
    for r in schema.resources():
        n = conn.execute(f"select count(*) from [{r.name}]").fetchone()[0]
        assert n == len(rows(seed_dist, r.name)), r.name
        info = conn.execute(f"pragma table_info([{r.name}])").fetchall()
        assert [c[1] for c in info] == r.field_names
        pk = [c[1] for c in sorted(info, key=lambda c: c[5]) if c[5]]
        assert pk == r.primary_key
        fks = {(f[3], f[2]) for f in conn.execute(f"pragma foreign_key_list([{r.name}])")}
        assert fks == {(fk["fields"][0], fk["reference"]["resource"]) for fk in r.foreign_keys}
        indexed = {
            row[2]
            for idx in conn.execute(f"pragma index_list([{r.name}])")
            for row in conn.execute(f"pragma index_info([{idx[1]}])")
        }
        for fk in r.foreign_keys:
            assert fk["fields"][0] in indexed | set(r.primary_key[:1]), (r.name, fk)
        for col in r.enum_fields():
            assert col in indexed, (r.name, col)
    assert conn.execute("pragma foreign_key_check").fetchall() == []
    hit = conn.execute(
        "select count(*) from claims_fts where claims_fts match 'valuation'"
    ).fetchone()
    assert hit[0] > 0
    hit = conn.execute(
        "select count(*) from sources_fts where sources_fts match 'Tencent'"
    ).fetchone()
    assert hit[0] == 5


def test_two_builds_are_byte_identical(seed_dist, tmp_path):
    again = tmp_path / "again"
    build(ARTICLES_DIR, again, ENTITIES_FILE, progress=False)
    for name in [f"{r.name}.csv" for r in schema.resources()] + [
        "datapackage.json",
        "metadata.json",
    ]:
        assert (seed_dist / name).read_bytes() == (again / name).read_bytes(), name


def test_ids_do_not_depend_on_article_order(seed_dist, tmp_path):
    """Building a subset (other rows gone) keeps the ids of what remains."""
    sub = tmp_path / "articles"
    sub.mkdir()
    for p in sorted(ARTICLES_DIR.glob("*.md"))[2:]:
        shutil.copy(p, sub / p.name)
    out = tmp_path / "dist"
    build(sub, out, ENTITIES_FILE, progress=False)
    full = {c["claim_id"] for c in rows(seed_dist, "claims")}
    part = {c["claim_id"] for c in rows(out, "claims")}
    assert part and part <= full


def test_descriptor_is_self_contained(seed_dist):
    desc = json.loads((seed_dist / "datapackage.json").read_text())
    assert [r["name"] for r in desc["resources"]] == [r.name for r in schema.resources()]
    for r in desc["resources"]:
        assert all(f.get("description") for f in r["schema"]["fields"]), r["name"]


def test_database_enforces_the_vocabulary(seed_dist, tmp_path):
    """Every enum, boolean and bound of the schema is a CHECK in SQLite — written as an OR
    chain (an `IN (…)` list slows bulk inserts many times over)."""

    db = tmp_path / "copy.db"
    shutil.copy(seed_dist / "roundtrace.db", db)
    conn = sqlite3.connect(db)
    for r in schema.resources():
        ddl = conn.execute("select sql from sqlite_master where name = ?", [r.name]).fetchone()[0]
        assert " IN (" not in ddl.upper()
        for col in r.enum_fields():
            assert f'CONSTRAINT "{r.name}_{col}_enum" CHECK' in ddl, (r.name, col)
    claim = conn.execute("select claim_id from claims limit 1").fetchone()[0]
    for column, bad in [("predicate", "rumour"), ("low_inclusive", 2), ("amount_low", -1)]:
        with pytest.raises(sqlite3.IntegrityError, match="CHECK constraint failed"):
            conn.execute(f"update claims set [{column}] = ? where claim_id = ?", [bad, claim])
    conn.execute("update claims set certainty = 'denied' where claim_id = ?", [claim])  # allowed
