"""Package: write the tables as a Frictionless data package (one CSV per resource plus
datapackage.json), byte-for-byte deterministic.

Determinism rules: rows sorted by primary key, columns in schema order, numbers in one
canonical spelling (integral floats without ".0", otherwise the shortest repr), booleans as
true/false, arrays as compact JSON, nulls as empty cells, '\n' line endings.
"""

from __future__ import annotations

import csv
import heapq
import json
import math
import os
import pickle
import re
import shutil
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path

from . import chunks, schema

# Tables big enough to stream through disk while they are built, and to be cut into chunks
# (`chunks`) that an incremental build rewrites one by one; the others (entities, vocabulary,
# reference facts) are small and kept whole.
CHUNKED = frozenset({
    "sources", "mentions", "citations", "claims", "rounds", "round_investors", "conflicts",
    "conflict_claims", "term_history",
})


def cell(value: object, ftype: str) -> str:
    if value is None:
        return ""
    if ftype == "boolean":
        return "true" if value else "false"
    if ftype == "array":
        return json.dumps(list(value), ensure_ascii=False, separators=(",", ":"))
    if ftype == "integer":
        return str(int(value))
    if ftype == "number":
        x = float(value)
        if not math.isfinite(x):
            raise ValueError(f"non-finite number {value!r}")
        if x.is_integer() and abs(x) < 1e18:
            return str(int(x))
        return repr(round(x, 10))
    return str(value)


_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
# what that encoder escapes in a string (ensure_ascii=False): quote, backslash, controls
_JSON_ESCAPED = re.compile(r'["\\\x00-\x1f]')


def json_array(value: object) -> str:
    """`_JSON.encode(list(value))`; a list of plain strings (every hedges cell: a million of
    them at 100k articles) written directly, 8x faster than the encoder."""
    items = list(value)  # type: ignore[call-overload]
    if not items:
        return "[]"
    if all(type(v) is str for v in items):
        inner = '","'.join(items)
        if _JSON_ESCAPED.search(inner) is None:
            return '["' + inner + '"]'
    return _JSON.encode(items)


def _number(value: object) -> str:
    x = float(value)  # type: ignore[arg-type]
    if not math.isfinite(x):
        raise ValueError(f"non-finite number {value!r}")
    if x.is_integer() and abs(x) < 1e18:
        return str(int(x))
    return repr(round(x, 10))


def _converter(ftype: str):
    """cell() for one column type, minus the None test (done by the caller)."""
    if ftype in ("string", "date", "datetime", "time", "any"):
        return str
    if ftype == "integer":
        return lambda value: str(int(value))
    if ftype == "number":
        return _number
    if ftype == "boolean":
        return lambda value: "true" if value else "false"
    if ftype == "array":
        return json_array
    return lambda value: cell(value, ftype)


class TableWriter:
    """Streams rows of one resource to CSV, in the order given (callers sort)."""

    def __init__(self, folder: Path, resource: schema.Resource):
        self.resource = resource
        self.types = [f.get("type", "string") for f in resource.fields]
        self.names = resource.field_names
        self._convs = [_converter(t) for t in self.types]
        self._fh = open(  # noqa: SIM115 - closed by close()/__exit__
            folder / f"{resource.name}.csv", "w", encoding="utf-8", newline=""
        )
        self._csv = csv.writer(self._fh, lineterminator="\n")
        self._csv.writerow(self.names)
        self.count = 0

    def write(self, row: Mapping) -> None:
        values = [row.get(n) for n in self.names]
        self._csv.writerow(
            ["" if v is None else c(v) for v, c in zip(values, self._convs, strict=True)]
        )
        self.count += 1

    def write_cells(self, cells: list[str]) -> None:
        self._csv.writerow(cells)
        self.count += 1

    def close(self) -> None:
        self._fh.close()

    def __enter__(self) -> TableWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def sort_rows(name: str, rows: Iterable[Mapping]) -> list[Mapping]:
    """Rows of resource `name` in primary-key order (the package's canonical order)."""
    pk = schema.resource(name).primary_key
    return sorted(rows, key=lambda r: tuple(str(r.get(k) or "") for k in pk))


def write_table_sorted(folder: Path, name: str, rows: Iterable[Mapping]) -> int:
    """Stream rows that are already in primary-key order to `<name>.csv`."""
    with TableWriter(folder, schema.resource(name)) as w:
        for row in rows:
            w.write(row)
        return w.count


def write_table(folder: Path, name: str, rows: Iterable[Mapping]) -> int:
    return write_table_sorted(folder, name, sort_rows(name, rows))


def write_descriptor(folder: Path) -> Path:
    path = folder / "datapackage.json"
    text = json.dumps(schema.descriptor(), ensure_ascii=False, indent=2, sort_keys=False)
    path.write_text(text + "\n", encoding="utf-8")
    return path


def write_zip(
    folder: Path,
    zip_name: str,
    layouts: dict[str, chunks.Layout] | None = None,
    old_zip: Path | None = None,
) -> dict[str, chunks.Layout] | None:
    """datapackage.json and every resource in one zip, byte-identical for the same package
    (sorted names, fixed timestamps). Each CSV is deflated chunk by chunk (`chunks`): `layouts`
    gives a file's chunks (a file without one is a single chunk), and chunks whose `comp` is
    set are copied from `old_zip` instead of compressed again. Written beside the package and
    renamed into place, so a server never serves a half-written file. Returns every member's
    layout (with where its chunks are in the zip), or None for a package too big for a plain
    zip (written with ZIP64 by zipfile then, not chunked)."""
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    names = ["datapackage.json"] + sorted(r["path"] for r in descriptor.get("resources", []))
    layouts = dict(layouts or {})
    members = []
    for name in names:
        if name not in layouts:
            big = name.removesuffix(".csv") in CHUNKED
            layouts[name] = (chunks.scan_layout if big else chunks.whole_layout)(folder / name)
        members.append(chunks.Member(name, folder / name, layouts[name], old_zip))
    try:
        chunks.write_zip(folder / zip_name, members)
    except OverflowError:
        _write_zip64(folder, zip_name, names)
        return None
    return layouts


def _write_zip64(folder: Path, zip_name: str, names: list[str]) -> None:
    target = folder / zip_name
    partial = target.with_name(target.name + ".partial")
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name in names:
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.file_size = (folder / name).stat().st_size  # as writestr sets it
            with open(folder / name, "rb") as src, zf.open(info, "w", force_zip64=True) as dest:
                shutil.copyfileobj(src, dest, 1 << 20)
    partial.replace(target)


class RowRenderer:
    """One resource's rows as SpillTable keeps them: (primary-key tuple, rendered CSV text, size
    estimate). Plain data, so extraction workers can render an article's rows in parallel and
    the per-article cache can keep them (`tables.render_article`)."""

    def __init__(self, name: str, late: Iterable[str] = ()):
        self.resource = schema.resource(name)
        self.names = self.resource.field_names
        types = [f.get("type", "string") for f in self.resource.fields]
        self.convs = [_converter(t) for t in types]
        self._pk = [self.names.index(k) for k in self.resource.primary_key]
        # the line is rendered in segments between the late columns
        self.late = sorted(self.names.index(c) for c in late)
        bounds = [-1, *self.late, len(self.names)]
        self.segments = [(a + 1, b) for a, b in zip(bounds, bounds[1:], strict=False)]
        self.line = _LineRenderer()
        self.values, self.row = self._compile(types)

    def row(self, row: Mapping) -> tuple[tuple, object, int]:  # type: ignore[no-redef]
        """(replaced per instance by the same function written out for its columns)"""
        return self.values([row.get(n) for n in self.names])

    def values(self, values: Sequence) -> tuple[tuple, object, int]:  # type: ignore[no-redef]
        """One row as its values in schema column order (replaced per instance by the same
        function compiled for its columns, `_compile`)."""
        cells = ["" if v is None else c(v) for v, c in zip(values, self.convs, strict=True)]
        key = tuple(str(values[i] or "") for i in self._pk)
        if self.late:
            item: object = tuple(self.line.fields(cells[a:b]) for a, b in self.segments)
            return key, item, sum(map(len, item)) + 200  # type: ignore[call-overload]
        item = self.line.row(cells)
        return key, item, len(item) + 120  # type: ignore[arg-type]

    def _compile(self, types: list[str]) -> tuple[Callable, Callable]:
        """`values` and `row` written out for this table's columns: one inline conversion per
        cell, no per-cell calls for text (a million rows of 40 cells each; tested equal to the
        generic methods)."""
        inline = {
            "string": "x if x.__class__ is str else str(x)",
            "integer": "str(int(x))",
            "number": "_number(x)",
            "boolean": '"true" if x else "false"',
            "array": "_json(x)",
        }
        for t in ("date", "datetime", "time", "any"):
            inline[t] = inline["string"]
        convs = []
        for i, t in enumerate(types):
            expr = inline.get(t, f"_convs[{i}](x)")
            convs.append(f'        "" if (x := v[{i}]) is None else ({expr}),')
        key = "".join(f'str(v[{i}] or ""), ' for i in self._pk)
        if self.late:
            parts = ", ".join(f"fields(cells[{a}:{b}])" for a, b in self.segments)
            tail = f"    item = ({parts},)\n    return key, item, sum(map(len, item)) + 200\n"
        else:
            tail = "    item = row(cells)\n    return key, item, len(item) + 120\n"
        getter = ", ".join(f"g({n!r})" for n in self.names)
        src = ("def values(v):\n    cells = [\n" + "\n".join(convs) + "\n    ]\n"
               f"    key = ({key})\n" + tail +
               f"def row_of(m):\n    g = m.get\n    return values(({getter},))\n")
        scope = {"_number": _number, "_json": json_array, "_convs": self.convs,
                 "fields": self.line.fields, "row": self.line.row}
        exec(compile(src, f"<{self.resource.name} row renderer>", "exec"), scope)  # noqa: S102
        return scope["values"], scope["row_of"]


class SpillTable:
    """Rows of one resource, streamed to disk: each row is rendered to its CSV line when it
    arrives and kept in sorted runs of about `run_bytes`; `write` merges the runs into
    `<name>.csv` in primary-key order — the same bytes `write_table` gives for the same rows
    (runs are sorted stably and merged stably). Memory: one run, then one chunk per run.

    `append`/`extend` make it a drop-in for a list of row mappings. Columns not known while
    rows arrive (`late`: a claim's round, an article's independence group) are left out of the
    rendered line and filled in at write time with `fill(column, value_of_key)`."""

    CHUNK = 256  # rows per pickle frame in a run file (a merge holds one frame of each run)

    def __init__(
        self, name: str, scratch: Path, late: Iterable[str] = (), run_bytes: int = 16_000_000
    ):
        self.name = name
        self.renderer = RowRenderer(name, late)
        self.resource = self.renderer.resource
        self.names = self.renderer.names
        self._convs = self.renderer.convs
        self._late = self.renderer.late
        self._segments = self.renderer.segments
        self._scratch = scratch
        self._run_bytes = run_bytes
        self._buf: list[tuple[tuple, object]] = []
        self._bytes = 0
        self._runs: list[Path] = []
        self._fills: dict[int, Callable[[tuple], object]] = {}
        self._line = self.renderer.line
        self.count = 0

    def append(self, row: Mapping) -> None:
        self.add_rendered(*self.renderer.row(row))

    def extend(self, rows: Iterable[Mapping]) -> None:
        for row in rows:
            self.append(row)

    def add_values(self, values: list) -> None:
        """One row as its values in schema column order."""
        self.add_rendered(*self.renderer.values(values))

    def add_rendered(self, key: tuple, item: object, size: int) -> None:
        """One row as `RowRenderer` gives it (rendered with the same late columns)."""
        self._buf.append((key, item))
        self.count += 1
        self._bytes += size
        if self._bytes >= self._run_bytes:
            self._flush()

    def fill(self, column: str, value_of_key: Callable[[tuple], object]) -> None:
        """At write time, set late `column` of each row to value_of_key(primary-key tuple)."""
        i = self.names.index(column)
        if i not in self._late:
            raise ValueError(f"{self.name}.{column} was not declared late")
        self._fills[i] = value_of_key

    def spill(self) -> tuple[list[Path], int]:
        """Everything added so far, as sorted run files (for another process to `adopt`)."""
        self._flush()
        runs, self._runs = self._runs, []
        count, self.count = self.count, 0
        return runs, count

    def adopt(self, runs: list[Path], count: int) -> None:
        """Rows another SpillTable of the same resource `spill`ed (no key in both)."""
        self._runs.extend(runs)
        self.count += count

    def _flush(self) -> None:
        if not self._buf:
            return
        self._buf.sort(key=_first)
        fd, path = tempfile.mkstemp(prefix=f"{self.name}-", suffix=".run", dir=self._scratch)
        with os.fdopen(fd, "wb") as fh:
            for i in range(0, len(self._buf), self.CHUNK):
                pickle.dump(self._buf[i : i + self.CHUNK], fh, protocol=pickle.HIGHEST_PROTOCOL)
        self._runs.append(Path(path))
        self._buf = []
        self._bytes = 0

    def _sorted(self) -> Iterator[tuple[tuple, object]]:
        if not self._runs:
            self._buf.sort(key=_first)
            buf, self._buf = self._buf, []
            return iter(buf)
        self._flush()
        return heapq.merge(*(_read_run(p) for p in self._runs), key=_first)

    def write(self, folder: Path) -> int:
        """Writes `<name>.csv`; its chunk layout (`chunks.Layout`) is left in `self.layout`."""
        from .chunks import ChunkedWriter

        out = ChunkedWriter(folder / f"{self.name}.csv", self._line.row(self.names))
        count = 0
        if not self._late:
            for key, line in self._sorted():
                out.write(key[0], line)  # type: ignore[arg-type]
                count += 1
        else:
            late = [(i, self._fills.get(i), self._convs[i]) for i in self._late]
            for key, parts in self._sorted():
                pieces = [parts[0]]  # type: ignore[index]
                for (_, value_of, conv), part in zip(late, parts[1:], strict=True):  # type: ignore[index]
                    v = value_of(key) if value_of else None
                    pieces.append(self._line.fields(["" if v is None else conv(v)]))
                    pieces.append(part)
                out.write(key[0], self._line.join(pieces, self._segments))
                count += 1
        self.layout = out.close()
        self.discard()
        return count

    def discard(self) -> None:
        for p in self._runs:
            p.unlink(missing_ok=True)
        self._runs = []
        self._buf = []


class _LineRenderer:
    """CSV text exactly as TableWriter's csv.writer writes it, for a whole row or for a run of
    fields inside a row."""

    def __init__(self) -> None:
        self._csv = csv.writer(self, lineterminator="\n")
        self._last = ""

    def write(self, text: str) -> None:  # csv.writer's file: one call per row
        self._last = text

    def row(self, cells: list[str]) -> str:
        line = _plain(cells)
        if line is not None:
            return line + "\n"
        self._csv.writerow(cells)
        return self._last

    def fields(self, cells: list[str]) -> str:
        """The fields of `cells` as they appear inside a longer row (no terminator). A trailing
        empty field avoids csv's one-empty-field special case (a lone "" is written quoted)."""
        if not cells:
            return ""
        line = _plain(cells)
        if line is not None:
            return line
        self._csv.writerow([*cells, ""])
        return self._last[:-2]

    @staticmethod
    def join(pieces: list[str], segments: list[tuple[int, int]]) -> str:
        """Pieces alternate segment, late field, segment…; empty segments have no field."""
        out = []
        for k, piece in enumerate(pieces):
            if k % 2 == 0:
                a, b = segments[k // 2]
                if b > a:
                    out.append(piece)
            else:
                out.append(piece)
        return ",".join(out) + "\n"


def _plain(cells: list[str]) -> str | None:
    """The cells joined by commas when csv.writer would quote none of them (it quotes a field
    holding a comma, a quote or a newline, and a lone empty field), else None: most rows need
    no quoting, and joining them is cheaper than a round trip through the writer. (A carriage
    return is left to the writer too: Python 3.11's does not quote it, later ones may.)"""
    line = ",".join(cells)
    if ('"' in line or "\n" in line or "\r" in line or line.count(",") != len(cells) - 1
            or not line):
        return None
    return line


def _first(item: tuple) -> tuple:
    return item[0]


def _read_run(path: Path) -> Iterator[tuple[tuple, object]]:
    with open(path, "rb") as fh:
        while True:
            try:
                chunk = pickle.load(fh)
            except EOFError:
                return
            yield from chunk
