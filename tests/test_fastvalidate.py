"""fastvalidate rejects what frictionless rejects, locating the same errors.

Broken packages are made in tmp from the seed build: each fault is injected into a copy of the
real CSVs, then both validators run on it and their (resource, row, field, type) sets must be
equal."""

from __future__ import annotations

import csv
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from roundtrace import fastvalidate
from roundtrace.errors import ValidationFailed

Table = list[list[str]]


def read(folder: Path, name: str) -> Table:
    with open(folder / f"{name}.csv", encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


def write(folder: Path, name: str, rows: Table) -> None:
    with open(folder / f"{name}.csv", "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)


def setcell(folder: Path, name: str, row: int, field: str, value: str) -> None:
    """Set a cell; `row` is frictionless' row number (header = 1)."""
    rows = read(folder, name)
    rows[row - 1][rows[0].index(field)] = value
    write(folder, name, rows)


def edit(folder: Path, name: str, fn: Callable[[Table], None]) -> None:
    rows = read(folder, name)
    fn(rows)
    write(folder, name, rows)


def located(errors: list[fastvalidate.Error]) -> set[tuple]:
    return {(e.resource, e.row, e.field, e.type) for e in errors}


def both(folder: Path) -> tuple[set[tuple], set[tuple]]:
    return (
        located(fastvalidate.check_package(folder)),
        located(fastvalidate._frictionless_errors(folder)),
    )


@pytest.fixture(params=[1, 3, 2048], ids=lambda n: f"chunk{n}")
def pkg(request, seed_dist: Path, tmp_path: Path, monkeypatch) -> Path:
    """The seed package, checked in chunks of 1, 3 and 2048 rows: the whole-package pass
    (`_Clean`) vouches for a clean package or gives up; then clean chunks take the column-wise
    fast path, chunks with a fault the exact row path, and all must agree with frictionless."""
    monkeypatch.setattr(fastvalidate, "CHUNK", request.param)
    monkeypatch.setattr(fastvalidate, "CLEAN_CHUNK", request.param)
    folder = tmp_path / "pkg"
    folder.mkdir()
    for p in seed_dist.iterdir():
        if p.suffix in (".csv", ".json") and p.name != "metadata.json":
            shutil.copy(p, folder / p.name)
    return folder


def test_seed_package_is_valid_for_both(pkg):
    fast, reference = both(pkg)
    assert fast == reference == set()
    fastvalidate.validate_package(pkg)


def test_many_faults_in_one_package(pkg):
    setcell(pkg, "claims", 2, "evidence_start", "abc")  # integer type
    setcell(pkg, "claims", 3, "predicate", "rumour")  # enum
    setcell(pkg, "claims", 4, "certainty", "")  # required
    setcell(pkg, "claims", 5, "currency", "usd")  # pattern
    setcell(pkg, "claims", 6, "amount_low", "-5")  # minimum
    setcell(pkg, "claims", 7, "low_inclusive", "yes")  # boolean type
    setcell(pkg, "claims", 8, "hedges", "not json")  # array type
    setcell(pkg, "claims", 9, "usd_rate_date", "2026-13-40")  # date type
    setcell(pkg, "claims", 10, "amount_high", "NaN")  # number NaN fails minimum
    setcell(pkg, "claims", 11, "value_start", " 7 ")  # int() strips: valid
    setcell(pkg, "sources", 2, "published", "26-04-2026")  # date type
    setcell(pkg, "sources", 3, "url", "not a uri")  # string format uri
    setcell(pkg, "mentions", 2, "entity_id", "no-such-entity")  # foreign key
    setcell(pkg, "entities", 2, "entity_id", "Bad Id")  # pattern (+ dangling references)
    edit(pkg, "claims", lambda rows: rows.append(list(rows[1])))  # duplicate primary key
    edit(pkg, "citations", lambda rows: rows[1].append("surplus"))  # extra cell
    edit(pkg, "citations", lambda rows: rows[2].pop())  # missing cell
    fast, reference = both(pkg)
    assert reference, "the faults must make the package invalid"
    assert fast == reference
    assert not handed(pkg)[0]
    types = {t for *_, t in fast}
    assert {
        "type-error",
        "constraint-error",
        "primary-key",
        "foreign-key",
        "extra-cell",
        "missing-cell",
    } <= types
    with pytest.raises(ValidationFailed) as exc:
        fastvalidate.validate_package(pkg)
    assert any("claims.csv:3: predicate: constraint-error" in e for e in exc.value.errors)


@pytest.mark.parametrize(
    "fault",
    [
        "blank_row",
        "header",
        "pk_null",
        "fk_to_later_resource",
        "bad_number",
    ],
)
def test_single_faults(pkg, fault):
    if fault == "blank_row":
        edit(pkg, "rounds", lambda rows: rows.insert(2, [""] * len(rows[0])))
    elif fault == "header":
        edit(pkg, "rounds", lambda rows: rows[0].__setitem__(1, "company"))
    elif fault == "pk_null":
        setcell(pkg, "entities", 3, "entity_id", "")
    elif fault == "fk_to_later_resource":
        rows = read(pkg, "conflict_claims")
        if len(rows) < 2:
            pytest.skip("no conflict_claims rows in the seed build")
        setcell(pkg, "conflict_claims", 2, "claim_id", "c-does-not-exist")
    elif fault == "bad_number":
        setcell(pkg, "claims", 2, "usd_low", "1,000")
    fast, reference = both(pkg)
    assert reference
    assert fast == reference
    assert not handed(pkg)[0]


def test_unsupported_descriptor_features_fall_back_to_frictionless(pkg):
    import json

    desc = json.loads((pkg / "datapackage.json").read_text())
    desc["resources"][0]["schema"]["fields"][0]["format"] = "email"
    (pkg / "datapackage.json").write_text(json.dumps(desc))
    fast = located(fastvalidate.check_package(pkg))
    assert fast == located(fastvalidate._frictionless_errors(pkg))


def test_clean_chunks_take_the_fast_path(pkg, monkeypatch):
    """Guards the speed: a clean package must not fall back to the row path."""
    slow: list[int] = []
    original = fastvalidate._Rows.check

    def counting(self, rownum, cells):
        slow.append(rownum)
        return original(self, rownum, cells)

    monkeypatch.setattr(fastvalidate._Rows, "check", counting)
    assert fastvalidate.check_package(pkg) == []
    assert slow == []
    setcell(pkg, "claims", 2, "predicate", "rumour")
    assert fastvalidate.check_package(pkg)
    assert 2 in slow


def clean_pass(folder: Path) -> bool:
    """Whether the whole-package pass alone vouches for the package (no exact scan)."""
    scans: list[str] = []
    original = fastvalidate._scan

    def counting(r, *args):
        scans.append(r.name)
        return original(r, *args)

    fastvalidate._scan = counting
    try:
        fastvalidate.check_package(folder)
    finally:
        fastvalidate._scan = original
    return not scans


def test_clean_package_needs_only_the_whole_package_pass(pkg):
    assert clean_pass(pkg)


def test_valid_oddities_stay_on_the_whole_package_pass(pkg):
    """Rows out of key order (keys then go into a set), and cells frictionless reads as valid
    though they are not written as the build writes them."""
    def shuffle(rows: Table) -> None:
        rows[1:] = rows[:0:-1]  # reversed: every primary key decreases

    edit(pkg, "mentions", shuffle)
    edit(pkg, "conflict_claims", shuffle)
    setcell(pkg, "claims", 2, "value_start", " 7 ")  # int() strips
    setcell(pkg, "claims", 3, "amount_low", " 5.0")  # Decimal() strips
    setcell(pkg, "sources", 2, "url", "x:")  # a scheme is all a URI needs
    fast, reference = both(pkg)
    assert fast == reference == set()
    assert clean_pass(pkg)


@pytest.mark.parametrize("resource", ["mentions", "claims", "conflict_claims"])
def test_adjacent_duplicate_key_is_caught(pkg, resource):
    """A repeated key right after itself: keys in order but not increasing."""
    rows = read(pkg, resource)
    if len(rows) < 3:
        pytest.skip(f"too few {resource} rows in the seed build")
    edit(pkg, resource, lambda rows: rows.insert(2, list(rows[1])))
    fast, reference = both(pkg)
    assert reference and fast == reference
    assert not clean_pass(pkg)


def handed(folder: Path) -> tuple[bool, dict[str, Table]]:
    """`clean_pass`'s answer, and the rows it handed on per resource."""
    got: dict[str, Table] = {}
    ok = fastvalidate.clean_pass(folder, lambda name: got.setdefault(name, []).extend)
    return ok, got


def test_the_clean_pass_hands_on_every_row_once_in_order(pkg):
    ok, got = handed(pkg)
    assert ok
    assert got.keys() == {p.stem for p in pkg.glob("*.csv")}
    for name, rows in got.items():
        assert rows == read(pkg, name)[1:], name


def test_a_table_read_twice_is_handed_on_once(pkg):
    """The last two mentions swapped: keys stop increasing at the end, so mentions is read a
    second time (keys in a set); the rows handed on the first time are not handed again."""
    def swap(rows: Table) -> None:
        rows[-1], rows[-2] = rows[-2], rows[-1]

    edit(pkg, "mentions", swap)
    ok, got = handed(pkg)
    assert ok
    assert got["mentions"] == read(pkg, "mentions")[1:]
