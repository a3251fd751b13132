"""The build's scale machinery gives exactly the bytes of the plain in-memory path."""

from __future__ import annotations

import csv
import io
import json
import random

from roundtrace import package, schema, site


def _rows(n: int, seed: int = 1) -> list[dict]:
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        rows.append(
            {
                "claim_id": f"c-{rng.getrandbits(64):016x}",
                "source_id": f"a{i % 37:07d}",
                "predicate": rng.choice(["valuation", "investor", "round_amount"]),
                "subject_id": "x-co",
                "evidence": rng.choice(["plain", 'quoted "text", with comma', "多行\n文本"]),
                "evidence_start": i,
                "evidence_end": i + 5,
                "certainty": "reported",
                "hedges": rng.choice([[], ["according to"], ["may", "familiar with"]]),
                "amount_low": rng.choice([None, 1.5e9, 2e9, 0.1 + 0.2]),
                "low_inclusive": rng.choice([None, True, False]),
                "round_id": None,
            }
        )
    return rows


def test_spill_table_writes_what_write_table_writes(tmp_path):
    rows = _rows(3000)
    ref, out, scratch = tmp_path / "ref", tmp_path / "out", tmp_path / "scratch"
    for d in (ref, out, scratch):
        d.mkdir()
    package.write_table(ref, "claims", rows)
    spill = package.SpillTable("claims", scratch, run_bytes=20_000)  # many runs to merge
    spill.extend(rows)
    assert len(list(scratch.iterdir())) > 10
    assert spill.write(out) == len(rows)
    assert (out / "claims.csv").read_bytes() == (ref / "claims.csv").read_bytes()
    assert not list(scratch.iterdir())  # runs are removed once merged


def test_spill_table_fills_late_columns_by_primary_key(tmp_path):
    rows = _rows(500, seed=2)
    rounds = {r["claim_id"]: f"round-{i % 7}" for i, r in enumerate(rows) if i % 3}
    spill = package.SpillTable("claims", tmp_path, late=["round_id"], run_bytes=8_000)
    spill.extend(rows)
    spill.fill("round_id", lambda key: rounds.get(key[0]))
    spill.write(tmp_path)
    for r in rows:
        r["round_id"] = rounds.get(r["claim_id"])
    (tmp_path / "ref").mkdir()
    package.write_table(tmp_path / "ref", "claims", rows)
    assert (tmp_path / "claims.csv").read_bytes() == (tmp_path / "ref" / "claims.csv").read_bytes()


def test_spill_table_late_columns_anywhere(tmp_path):
    """Late columns first, last, adjacent; rows whose other cells are all empty."""
    rows = _rows(300, seed=4)
    for r in rows[::5]:
        for k in r:
            if k != "claim_id":
                r[k] = None if k != "evidence" else ""
    late = ["claim_id", "source_id", "round_id", "extractor"]
    spill = package.SpillTable("claims", tmp_path, late=late, run_bytes=6_000)
    spill.extend(rows)
    given = {r["claim_id"]: r for r in rows}
    for col in late:
        spill.fill(col, lambda key, col=col: given[key[0]].get(col))
    spill.write(tmp_path)
    (tmp_path / "ref").mkdir()
    package.write_table(tmp_path / "ref", "claims", rows)
    assert (tmp_path / "claims.csv").read_bytes() == (tmp_path / "ref" / "claims.csv").read_bytes()


def test_spill_table_composite_key_order(tmp_path):
    rng = random.Random(3)
    rows = [
        {"conflict_id": f"x-{rng.randrange(50):04d}", "claim_id": f"c-{i:05d}", "position": "lower"}
        for i in rng.sample(range(10_000), 800)
    ]
    spill = package.SpillTable("conflict_claims", tmp_path, run_bytes=4_000)
    spill.extend(rows)
    spill.write(tmp_path)
    (tmp_path / "ref").mkdir()
    package.write_table(tmp_path / "ref", "conflict_claims", rows)
    name = "conflict_claims.csv"
    assert (tmp_path / name).read_bytes() == (tmp_path / "ref" / name).read_bytes()
    assert schema.resource("conflict_claims").primary_key == ["conflict_id", "claim_id"]


def test_streamed_zip_is_the_site_zip(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    for d in (a, b):
        d.mkdir()
        package.write_table(d, "claims", _rows(400, seed=5))
        for r in schema.resources():
            if r.name != "claims":
                package.write_table(d, r.name, [])
        package.write_descriptor(d)
    package.write_zip(a, site.ZIP_NAME)
    site.write_zip(b)
    assert (a / site.ZIP_NAME).read_bytes() == (b / site.ZIP_NAME).read_bytes()


def test_parallel_check_and_load_reports_validation_errors_first(tmp_path):
    import pytest

    from roundtrace import fastvalidate, pipeline
    from roundtrace.errors import ValidationFailed

    staging = tmp_path / "staging"
    staging.mkdir()
    rows = _rows(50, seed=6)
    rows[7]["certainty"] = "rumoured"  # not in the enum
    for r in rows:  # no sources/entities: foreign key errors too
        r["source_id"] = "a-missing"
    package.write_table(staging, "claims", rows)
    for r in schema.resources():
        if r.name != "claims":
            package.write_table(staging, r.name, [])
    package.write_descriptor(staging)
    expected = fastvalidate.format_errors(fastvalidate.check_package(staging))
    assert expected
    with pytest.raises(ValidationFailed) as exc:
        pipeline._check_and_load_in_parallel(staging, tmp_path / "dist", {})
    assert exc.value.errors == expected


class _Text(str):
    pass


def _value(rng: random.Random, ftype: str) -> object:
    """A value a row of that column type may hold, awkward ones included."""
    pick = rng.randrange(6)
    if pick == 0:
        return None
    if ftype == "boolean":
        return rng.choice([True, False, 0, 1])
    if ftype == "integer":
        return rng.choice([0, -3, 2**40, True, 7.0])
    if ftype == "number":
        return rng.choice([0, 1.5e9, 0.1 + 0.2, -2.5, 3, 1e20, 12.0])
    if ftype == "array":
        return rng.choice([[], ["a"], ("x, y", '"q"'), ["多", "行\n"]])
    return rng.choice(["", "plain", 'with "quotes", commas', "line\nbreak", "多行\r\n文本",
                       _Text("subclass"), 42, 2.5])


def test_compiled_row_renderer_equals_cell_by_cell_rendering():
    """The generated `RowRenderer.values` and `.row` of every resource render what
    `package.cell` does, with and without late columns."""
    rng = random.Random(7)
    for r in schema.resources():
        types = [f.get("type", "string") for f in r.fields]
        for late in ((), r.field_names[-1:], r.field_names[:1] + r.field_names[2:3]):
            renderer = package.RowRenderer(r.name, late)
            plain = package.RowRenderer(r.name, late)
            plain.values = package.RowRenderer.values.__get__(plain)  # the generic method
            for _ in range(200):
                values = [_value(rng, t) for t in types]
                assert renderer.values(values) == plain.values(values)
                given = {n: v for n, v in zip(r.field_names, values, strict=True) if v is not None}
                assert renderer.row(given) == plain.values(values)  # (a missing key is null)
                if not late:
                    cells = [package.cell(v, t) for v, t in zip(values, types, strict=True)]
                    line = renderer.values(values)[1]
                    assert next(csv.reader(io.StringIO(line))) == cells


def test_json_array_fast_path_equals_the_json_encoder():
    """`package.json_array` writes plain string lists itself: it must give the encoder's
    bytes for every list, including strings the encoder escapes and items that are not text."""
    rng = random.Random(11)
    alphabet = ["a", " ", "据", '"', "\\", "\n", "\t", "\x00", "\x1f", "\x7f", "\u2028", "é"]
    lists: list[list] = [[], [""], ["", ""], [1, "a"], ["a", None], [True], [1.5], [["x"]]]
    for _ in range(5000):
        lists.append(["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 5)))
                      for _ in range(rng.randint(0, 4))])
    for items in lists:
        expected = json.dumps(items, ensure_ascii=False, separators=(",", ":"))
        assert package.json_array(items) == expected, items
        assert package.json_array(tuple(items)) == expected, items
