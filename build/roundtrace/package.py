"""Package: write the tables as a Frictionless data package (one CSV per resource plus
datapackage.json), byte-for-byte deterministic.

Determinism rules: rows sorted by primary key, columns in schema order, numbers in one
canonical spelling (integral floats without ".0", otherwise the shortest repr), booleans as
true/false, arrays as compact JSON, nulls as empty cells, '\n' line endings.
"""

from __future__ import annotations

import csv
import json
import math
from collections.abc import Iterable, Mapping
from pathlib import Path

from . import schema


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


def _converter(ftype: str):
    """cell() for one column type, minus the None test (done by the caller)."""
    if ftype in ("string", "date", "datetime", "time", "any"):
        return str
    return lambda value: cell(value, ftype)


class TableWriter:
    """Streams rows of one resource to CSV, in the order given (callers sort).

    A row is a mapping; one that has `values_of(names)` (the build's compact records) hands
    over all its values in one call."""

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
        fast = getattr(row, "values_of", None)
        values = fast(self.names) if fast else [row.get(n) for n in self.names]
        self._csv.writerow(
            ["" if v is None else c(v) for v, c in zip(values, self._convs, strict=True)]
        )
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
