"""Chunked CSVs and zip: a spliced CSV and its zip are the bytes a clean write gives."""

from __future__ import annotations

import csv
import io
import random
import zipfile
from pathlib import Path

import pytest

from roundtrace import chunks


def _line(key: str, text: str) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow([key, text])
    return out.getvalue()


def _text(rng: random.Random) -> str:
    """Cells with commas, quotes and line breaks, so records span lines."""
    return rng.choice(["plain", 'a "quoted" word', "two\nlines", "comma, here", "", "估值\n约"])


def _write(path: Path, rows: dict[str, str]) -> chunks.Layout:
    w = chunks.ChunkedWriter(path, "id,text\n")
    for key in sorted(rows):
        w.write(key, rows[key])
    return w.close()


@pytest.mark.parametrize("seed", range(6))
def test_splice_equals_a_clean_write(tmp_path, seed, monkeypatch):
    monkeypatch.setattr(chunks, "SPREAD", 8)  # many chunks from a few hundred rows
    rng = random.Random(seed)
    rows = {f"k{rng.randrange(10**6):06d}": "" for _ in range(400)}
    rows = {k: _line(k, _text(rng)) for k in rows}
    old = tmp_path / "old.csv"
    layout = _write(old, rows)
    assert len(layout.chunks) > 10
    members = [chunks.Member("t.csv", old, layout)]
    chunks.write_zip(tmp_path / "old.zip", members)

    changes: dict[tuple[str, ...], str | None] = {}
    keys = sorted(rows)
    for key in rng.sample(keys, 12):  # deletions, first rows of chunks included
        changes[(key,)] = None
    for c in rng.sample(layout.chunks, 3):
        changes[(c.first,)] = None
    for key in rng.sample(keys, 8):
        changes[(key,)] = _line(key, "changed " + _text(rng))
    for _ in range(15):
        key = f"k{rng.randrange(10**6):06d}"
        changes[(key,)] = _line(key, _text(rng))
    expected = dict(rows)
    for (key,), line in changes.items():
        if line is None:
            expected.pop(key, None)
        else:
            expected[key] = line

    pieces = chunks.splice(old, layout, 1, changes)
    new = tmp_path / "new.csv"
    spliced = chunks.write_pieces(old, new, b"id,text\n", pieces)
    clean = tmp_path / "clean.csv"
    clean_layout = _write(clean, expected)
    assert new.read_bytes() == clean.read_bytes()
    assert [(c.first, c.start, c.length) for c in spliced.chunks] == [
        (c.first, c.start, c.length) for c in clean_layout.chunks
    ]
    assert any(c.comp for c in spliced.chunks), "no chunk was kept"
    assert chunks.scan_layout(clean).chunks == clean_layout.chunks

    kept = chunks.Member("t.csv", new, spliced, tmp_path / "old.zip")
    chunks.write_zip(tmp_path / "new.zip", [kept])
    chunks.write_zip(tmp_path / "clean.zip", [chunks.Member("t.csv", clean, clean_layout)])
    assert (tmp_path / "new.zip").read_bytes() == (tmp_path / "clean.zip").read_bytes()
    with zipfile.ZipFile(tmp_path / "new.zip") as zf:
        assert zf.testzip() is None
        assert zf.read("t.csv") == clean.read_bytes()


def test_records_keep_quoted_line_breaks():
    data = b'a,"one\ntwo"\nb,plain\nc,"say ""hi""\n"\n'
    assert list(chunks.records(data)) == [b'a,"one\ntwo"\n', b"b,plain\n", b'c,"say ""hi""\n"\n']
