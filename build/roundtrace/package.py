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
from collections.abc import Iterable
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


class TableWriter:
    """Streams rows of one resource to CSV, in the order given (callers sort)."""

    def __init__(self, folder: Path, resource: schema.Resource):
        self.resource = resource
        self.types = [f.get("type", "string") for f in resource.fields]
        self.names = resource.field_names
        self._fh = open(  # noqa: SIM115 - closed by close()/__exit__
            folder / f"{resource.name}.csv", "w", encoding="utf-8", newline=""
        )
        self._csv = csv.writer(self._fh, lineterminator="\n")
        self._csv.writerow(self.names)
        self.count = 0

    def write(self, row: dict) -> None:
        self._csv.writerow(
            [cell(row.get(n), t) for n, t in zip(self.names, self.types, strict=True)]
        )
        self.count += 1

    def close(self) -> None:
        self._fh.close()

    def __enter__(self) -> TableWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def write_table(folder: Path, name: str, rows: Iterable[dict]) -> int:
    res = schema.resource(name)
    pk = res.primary_key
    ordered = sorted(rows, key=lambda r: tuple(str(r.get(k) or "") for k in pk))
    with TableWriter(folder, res) as w:
        for row in ordered:
            w.write(row)
        return w.count


def write_descriptor(folder: Path) -> Path:
    path = folder / "datapackage.json"
    text = json.dumps(schema.descriptor(), ensure_ascii=False, indent=2, sort_keys=False)
    path.write_text(text + "\n", encoding="utf-8")
    return path
