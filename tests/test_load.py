"""The SQLite load: every cell arrives as the schema types it (empty = NULL, numbers exactly as
Python's float() reads them), rows keep their order (rowids), nothing of the bulk-load tuning
is left in the database, and a malformed CSV row is an error, never a shifted row."""

from __future__ import annotations

import csv
import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from roundtrace import fastvalidate, load, pipeline, schema, site

# numbers SQLite's own text-to-real conversion (SQLite 3.40) rounds differently from float(),
# others near its limits, and integers it reads exactly
NUMBERS = [
    "7369944411.941854", "4.01273563462053e-06", "0.000693112492698758", "4050216765.361552",
    "0.30000000000000004", "5e-324", "1.7976931348623157e308", "9007199254740993",
    "123456789012345678901234567890", "0.1", "2.5E-7", "000123", "123456789012345", "7",
    "6900000000", "0.13774104683195593",
]


def pkg_copy(seed_dist: Path, dest: Path) -> Path:
    dest.mkdir()
    for p in seed_dist.iterdir():
        if p.suffix in (".csv", ".json"):
            shutil.copy(p, dest / p.name)
    return dest


def read(folder: Path, name: str) -> list[list[str]]:
    with open(folder / f"{name}.csv", encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


def write(folder: Path, name: str, rows: list[list[str]]) -> None:
    with open(folder / f"{name}.csv", "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)


def expected(f: dict, cell: str) -> object:
    if cell == "":
        return None
    kind = f.get("type", "string")
    if kind == "integer":
        return int(cell)
    if kind == "number":
        return float(cell)
    if kind == "boolean":
        return 1 if cell == "true" else 0
    return cell


def test_every_cell_is_typed_as_the_schema_says(seed_dist, tmp_path):
    folder = pkg_copy(seed_dist, tmp_path / "pkg")
    rows = read(folder, "claims")
    amount = rows[0].index("usd_rate")
    assert len(rows) > len(NUMBERS)
    for row, number in zip(rows[1:], NUMBERS, strict=False):
        row[amount] = number
    write(folder, "claims", rows)
    db = tmp_path / "t.db"
    load.load_package(folder, db)
    conn = sqlite3.connect(db)
    for r in schema.resources():
        got = conn.execute(f"select * from [{r.name}] order by rowid").fetchall()
        want = [
            tuple(expected(f, c) for f, c in zip(r.fields, row, strict=True))
            for row in read(folder, r.name)[1:]
        ]
        assert got == want, r.name  # same values, same types, same order (rowid = CSV line)
        for f in r.fields:
            if f.get("type") == "number":
                kinds = {k for (k,) in conn.execute(f"select distinct typeof([{f['name']}]) "
                                                    f"from [{r.name}]")}
                assert kinds <= {"real", "null"}, (r.name, f["name"])
    rates = [v for (v,) in conn.execute("select usd_rate from claims order by rowid limit ?",
                                        [len(NUMBERS)])]
    assert rates == [float(n) for n in NUMBERS]  # bit for bit


def test_bulk_load_settings_are_not_left_behind(seed_dist):
    conn = sqlite3.connect(seed_dist / "roundtrace.db")
    for table in load.FTS:
        config = dict(conn.execute(f"select k, v from [{table}_fts_config]"))
        assert config == {"version": 4}, table
    assert conn.execute("pragma journal_mode").fetchone()[0] == "delete"


@pytest.mark.parametrize("fault", ["short", "long", "short_and_long", "empty_line"])
def test_a_malformed_row_is_an_error(seed_dist, tmp_path, fault):
    folder = pkg_copy(seed_dist, tmp_path / "pkg")
    rows = read(folder, "mentions")
    if fault in ("short", "short_and_long"):
        rows[2] = rows[2][:-1]
    if fault in ("long", "short_and_long"):
        rows[3] = rows[3] + ["surplus"]
    if fault == "empty_line":
        rows.insert(3, [])
    write(folder, "mentions", rows)
    with pytest.raises(RuntimeError, match="mentions.csv: a row among rows"):
        load.load_package(folder, tmp_path / "t.db")


def _contents(db: Path) -> dict[str, list]:
    """Every table's rows in rowid order (key order for the WITHOUT ROWID ones), and the DDL."""
    conn = sqlite3.connect(db)
    out: dict[str, list] = {"ddl": sorted(
        r[0] for r in conn.execute("select sql from sqlite_master where sql is not null"))}
    names = [n for (n,) in conn.execute(
        "select name from sqlite_master where type = 'table' and name not like 'sqlite_%' "
        "and sql not like 'CREATE VIRTUAL%'")]
    for name in names:
        without_rowid = "WITHOUT ROWID" in conn.execute(
            "select sql from sqlite_master where name = ?", [name]).fetchone()[0]
        order = "1, 2" if without_rowid else "rowid"
        cols = "*" if without_rowid else "rowid, *"
        out[name] = conn.execute(f"select {cols} from [{name}] order by {order}").fetchall()
    out["sqlite_stat1"] = conn.execute("select * from sqlite_stat1 order by 1, 2").fetchall()
    for table in load.FTS:
        conn.execute(f"insert into [{table}_fts]([{table}_fts], rank) values('integrity-check', 1)")
    conn.close()
    return out


def test_the_claims_table_built_aside_is_the_same_database(seed_dist, tmp_path):
    """A big package's claims (rows, indexes, full-text index) are built in another process
    and copied in: every table, index and FTS shadow row comes out as in a one-process load."""
    folder = pkg_copy(seed_dist, tmp_path / "pkg")
    load.load_package(folder, tmp_path / "one.db", split=False)
    load.load_package(folder, tmp_path / "two.db", split=True)
    one, two = _contents(tmp_path / "one.db"), _contents(tmp_path / "two.db")
    assert one["claims"] and one["claims_fts_data"]
    assert {tbl for tbl, *_ in one["sqlite_stat1"]} >= {"claims", "claims_fts_idx", "sources"}
    assert one == two
    assert not (tmp_path / "two.db.claims").exists()  # the aside file is gone
    conn = sqlite3.connect(tmp_path / "two.db")
    word = conn.execute("select evidence from claims limit 1").fetchone()[0].split()[0]
    hits = conn.execute("select count(*) from claims_fts where claims_fts match ?",
                        [f'"{word}"']).fetchone()[0]
    assert hits >= 1


def test_a_malformed_claims_row_built_aside_is_an_error(seed_dist, tmp_path):
    folder = pkg_copy(seed_dist, tmp_path / "pkg")
    rows = read(folder, "claims")
    rows[2] = rows[2][:-1]
    write(folder, "claims", rows)
    with pytest.raises(RuntimeError, match="claims.csv: a row among rows"):
        load.load_package(folder, tmp_path / "t.db", split=True)
    assert not (tmp_path / "t.db.claims").exists()


def test_a_predicate_filter_in_the_default_order_needs_no_sort(seed_dist):
    """claims?predicate=… (Datasette binds the value) in the table's default order reads its
    rows off an index, never sorts every matching claim (0.7 s at 1.2M claims)."""
    sort = site.load_metadata()["databases"][site.DB]["tables"]["claims"]["sort_desc"]
    conn = sqlite3.connect(seed_dist / "roundtrace.db")
    plan = [row[3] for row in conn.execute(
        f"explain query plan select * from claims where predicate = :p0 "
        f"order by [{sort}] desc limit 101", {"p0": "valuation"},
    )]
    conn.close()
    assert any("USING INDEX" in step and "predicate=?" in step for step in plan), plan
    assert not any("TEMP B-TREE" in step for step in plan), plan


def test_checking_while_loading_makes_the_same_database(seed_dist, tmp_path):
    """`load_checked` (fastvalidate's clean pass hands its rows to the loader: each CSV read
    once) loads what `load_package` loads."""
    folder = pkg_copy(seed_dist, tmp_path / "pkg")
    assert load.load_checked(folder, tmp_path / "checked.db")
    load.load_package(folder, tmp_path / "plain.db", split=False)
    checked = _contents(tmp_path / "checked.db")
    assert checked["claims"] and checked["mentions"]
    assert checked == _contents(tmp_path / "plain.db")


def _break(folder: Path, fault: str) -> None:
    if fault == "descriptor":  # the descriptor's columns are not the schema's
        desc = json.loads((folder / "datapackage.json").read_text())
        desc["resources"][0]["schema"]["fields"].pop()
        (folder / "datapackage.json").write_text(json.dumps(desc))
        return
    if fault == "descriptor_enum":  # same columns, but the descriptor allows what ours does not
        desc = json.loads((folder / "datapackage.json").read_text())
        claims = next(r for r in desc["resources"] if r["name"] == "claims")
        predicate = next(f for f in claims["schema"]["fields"] if f["name"] == "predicate")
        predicate["constraints"]["enum"].append("rumour")
        (folder / "datapackage.json").write_text(json.dumps(desc))
        fault = "enum"
    name = "mentions" if fault == "short_row" else "claims"
    rows = read(folder, name)
    if fault == "enum":
        rows[-1][rows[0].index("predicate")] = "rumour"
    elif fault == "foreign_key":
        rows[-1][rows[0].index("source_id")] = "no-such-source"
    elif fault == "duplicate_key":
        rows.append(list(rows[1]))
    elif fault == "short_row":
        rows[-1] = rows[-1][:-1]
    write(folder, name, rows)


@pytest.mark.parametrize("fault", ["enum", "foreign_key", "duplicate_key", "short_row",
                                   "descriptor", "descriptor_enum"])
def test_checking_while_loading_refuses_a_broken_package(seed_dist, tmp_path, fault):
    """The fault is in the last rows, after the others went in: no database is left."""
    folder = pkg_copy(seed_dist, tmp_path / "pkg")
    _break(folder, fault)
    db = tmp_path / "t.db"
    db.write_text("a previous file")
    assert not load.load_checked(folder, db)
    assert not db.exists()


def test_the_build_reports_the_errors_of_a_package_checked_while_loading(seed_dist, tmp_path):
    from roundtrace.errors import ValidationFailed

    folder = pkg_copy(seed_dist, tmp_path / "pkg")
    _break(folder, "enum")
    _break(folder, "foreign_key")
    expected = fastvalidate.format_errors(fastvalidate.check_package(folder))
    assert len(expected) == 2
    with pytest.raises(ValidationFailed) as exc:
        pipeline._check_and_load(folder, None)
    assert exc.value.errors == expected
    assert not (folder / pipeline.DB_NAME).exists()


def test_a_package_the_clean_pass_cannot_vouch_for_still_loads_whole(seed_dist, tmp_path,
                                                                      monkeypatch):
    """When the clean pass gives up midway (something only the exact path judges) and the
    exact path finds no error, the build loads the package again: every row, once."""
    folder = pkg_copy(seed_dist, tmp_path / "pkg")
    load.load_package(folder, tmp_path / "plain.db", split=False)
    real = fastvalidate.clean_pass

    def gives_up_halfway(folder: Path, take) -> bool:
        def half(name: str):
            give = take(name)
            return lambda rows: give(rows[: len(rows) // 2])
        real(folder, half)
        return False

    monkeypatch.setattr(fastvalidate, "clean_pass", gives_up_halfway)
    pipeline._check_and_load(folder, None)
    assert _contents(folder / pipeline.DB_NAME) == _contents(tmp_path / "plain.db")


def test_indexes_led_by_an_optional_column_leave_nulls_out_and_still_serve(seed_dist):
    """An index led by an optional column holds only the rows that have a value (a smaller
    index, built faster); every query that reads it names a value, so it still serves the
    configured facets (Datasette's facet SQL counts `where col is not null`) and lookups by
    value. A default sort column keeps its nulls: the table's first page reads that index."""
    conn = sqlite3.connect(seed_dist / "roundtrace.db")
    tables = site.load_metadata()["databases"][site.DB]["tables"]
    partial = 0
    for r in schema.resources():
        conf = tables.get(r.name) or {}
        sorts = {conf.get("sort"), conf.get("sort_desc")}
        for _, name, _, _, is_partial in conn.execute(f"pragma index_list([{r.name}])"):
            lead = conn.execute(f"pragma index_info([{name}])").fetchone()[2]
            optional = (lead not in r.required and lead not in r.primary_key
                        and lead not in sorts)
            assert bool(is_partial) == optional, (r.name, name)
            partial += bool(is_partial)
            if not is_partial:
                continue
            plans = [
                f"select [{lead}] as value, count(*) as count from (select * from [{r.name}]) "
                f"where [{lead}] is not null group by [{lead}] order by count desc, value "
                f"limit 31",
                f"select * from [{r.name}] where [{lead}] = :p0",
            ]
            for sql in plans:
                plan = " ".join(row[3] for row in conn.execute(
                    f"explain query plan {sql}", {"p0": "x"}))
                assert "USING" in plan and "INDEX" in plan, (r.name, lead, plan)
    conn.close()
    assert partial >= 8  # claims alone: object_id, attributed_to, round_id, qualifier, ...
