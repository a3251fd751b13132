"""Fast validation of a built package: the checks frictionless makes, in streaming passes.

frictionless (`validate.py`) stays the reference: `roundtrace validate` and the CI tests use it.
This module reimplements, for the Table Schema features our descriptor uses, what frictionless
5.21 checks and how it reports it, so the build can validate a 1M-row package in seconds:

- header labels (`incorrect-label`, `missing-label`, `extra-label`);
- row shape (`extra-cell`, `missing-cell`, `blank-row`);
- types (`type-error`) with frictionless' casting rules: integer = `int(cell.strip())`,
  number = `Decimal(cell.strip())`, boolean = trueValues/falseValues, date = strptime
  `%Y-%m-%d`, array = a JSON list, string `format: uri` = rfc3986 with a scheme;
- constraints (`constraint-error`, one per failing constraint, in frictionless' order):
  required, minLength, maxLength, pattern (anchored `^…$`), enum, minimum, maximum,
  exclusiveMinimum, exclusiveMaximum — checked on the typed value;
- `missingValues` (schema or field level) become null before casting;
- `primary-key` (duplicates, and keys that are all null), field `unique` (`unique-error`);
- `foreign-key`: every non-null key tuple must exist among the typed values of the
  referenced resource (self-references included).

Errors are `Error(resource, row, field, type, note)` with frictionless' numbering (header = row
1). A descriptor using anything else (other types or formats, dialect options, `jsonSchema`…)
makes `check_package` hand the package to frictionless, so the guarantee never weakens.

Two passes, the second only when needed: `_Clean` reads the whole package once and only
decides whether it has no error at all (columns checked chunk by chunk with C-level set and
map operations, keys in sets, primary keys that only increase need none); a built package is
valid, so that is usually the end. If it cannot vouch for every row, the exact pass (`_scan`,
column-wise per chunk where it can, row by row where a chunk has a fault) finds and reports
each error.
"""

from __future__ import annotations

import csv
import datetime as dt
import gc
import itertools
import json
import operator
import re
import sys
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import NamedTuple

from .errors import InputError, ValidationFailed

MAX_REPORTED = 50
LIMIT_ERRORS = 1000  # per resource, as frictionless' default limit_errors
CHUNK = 2048  # rows per column-wise fast-path check
TRUE_VALUES = ["true", "True", "TRUE", "1"]
FALSE_VALUES = ["false", "False", "FALSE", "0"]
TYPES = {"string", "integer", "number", "boolean", "date", "array"}
CONSTRAINT_ORDER = {
    "string": ["required", "minLength", "maxLength", "pattern", "enum"],
    "integer": ["required", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "enum"],
    "number": ["required", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "enum"],
    "boolean": ["required", "enum"],
    "date": ["required", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "enum"],
    "array": ["required", "minLength", "maxLength"],
}
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_BAD = object()
csv.field_size_limit(sys.maxsize)


class Error(NamedTuple):
    resource: str
    row: int | None
    field: str | None
    type: str
    note: str = ""


class Unsupported(Exception):
    """The descriptor uses a feature this validator does not implement."""


# ---------------------------------------------------------------------------------------------
# value readers: cell text → typed value, or _BAD (frictionless returns None = type error)
def _reader(f: dict) -> Callable[[str], object]:
    ftype = f.get("type", "string")
    fmt = f.get("format", "default")
    if ftype not in TYPES:
        raise Unsupported(f"type {ftype!r}")
    if ftype == "string":
        if fmt == "uri":
            return _uri_reader()
        if fmt != "default":
            raise Unsupported(f"string format {fmt!r}")
        return str
    if fmt != "default":
        raise Unsupported(f"{ftype} format {fmt!r}")
    if ftype in ("integer", "number") and (
        f.get("bareNumber") is False or "groupChar" in f or "decimalChar" in f
    ):
        raise Unsupported("bareNumber/groupChar/decimalChar")
    if ftype == "integer":

        def read_int(cell: str) -> object:
            try:
                return int(cell.strip())
            except ValueError:
                return _BAD

        return read_int
    if ftype == "number":
        num = float if f.get("floatNumber") else Decimal

        def read_number(cell: str) -> object:
            try:
                return num(cell.strip())
            except (ValueError, ArithmeticError):
                return _BAD

        return read_number
    if ftype == "boolean":
        mapping = {v: True for v in f.get("trueValues", TRUE_VALUES)}
        mapping.update({v: False for v in f.get("falseValues", FALSE_VALUES)})
        return lambda cell: mapping.get(cell, _BAD)
    if ftype == "date":

        def read_date(cell: str) -> object:
            if _ISO_DATE.fullmatch(cell):
                try:
                    return dt.date.fromisoformat(cell)
                except ValueError:
                    return _BAD
            try:
                return dt.datetime.strptime(cell, "%Y-%m-%d").date()
            except ValueError:
                return _BAD

        return read_date

    def read_array(cell: str) -> object:  # ftype == "array"
        try:
            value = json.loads(cell)
        except ValueError:
            return _BAD
        return value if isinstance(value, list) else _BAD

    return read_array


def _uri_reader() -> Callable[[str], object]:
    import rfc3986

    validator = rfc3986.validators.Validator().require_presence_of("scheme")  # stateless

    def read_uri(cell: str) -> object:
        try:
            validator.validate(rfc3986.uri_reference(cell))
        except rfc3986.exceptions.ValidationError:
            return _BAD
        return cell

    return read_uri


def _checks(f: dict, read: Callable[[str], object]) -> list[tuple[str, Callable, str, Callable]]:
    """[(constraint name, passes(value) -> bool, note, all_pass(values) -> bool)] in
    frictionless' order; `all_pass` checks a whole column chunk at C speed where it can."""
    ftype = f.get("type", "string")
    cons = f.get("constraints", {})
    out = []
    for name in cons:
        if name not in CONSTRAINT_ORDER[ftype] and name != "unique":
            raise Unsupported(f"constraint {name!r} on a {ftype} field")
    for name in CONSTRAINT_ORDER[ftype]:
        if name not in cons or name == "required" or cons[name] is None:
            continue
        c = cons[name]
        note = f'constraint "{name}" is "{c}"'
        if name == "minLength":
            out.append((name, lambda v, c=c: len(v) >= c, note,
                        lambda vs, c=c: not vs or min(map(len, vs)) >= c))
        elif name == "maxLength":
            out.append((name, lambda v, c=c: len(v) <= c, note,
                        lambda vs, c=c: not vs or max(map(len, vs)) <= c))
        elif name == "pattern":
            rx = re.compile(f"^{c}$")
            out.append((name, lambda v, rx=rx: rx.match(v) is not None, note,
                        lambda vs, rx=rx: all(map(rx.match, vs))))
        elif name == "enum":
            allowed = [_cast_constraint(read, x) for x in c]
            ok = lambda v, a=allowed: v in a  # noqa: E731
            try:
                members = frozenset(allowed)
                out.append((name, ok, note, members.issuperset))
            except TypeError:  # unhashable members: value by value
                out.append((name, ok, note, lambda vs, ok=ok: all(map(ok, vs))))
        else:
            bound = _cast_constraint(read, c)
            op = {
                "minimum": operator.ge,
                "maximum": operator.le,
                "exclusiveMinimum": operator.gt,
                "exclusiveMaximum": operator.lt,
            }[name]
            ok = lambda v, b=bound, op=op: v == v and op(v, b)  # noqa: E731
            if ftype == "number" and f.get("floatNumber"):  # a float NaN breaks min/max
                out.append((name, ok, note, lambda vs, ok=ok: all(map(ok, vs))))
            else:  # ints, Decimals, dates: the extreme decides (a Decimal NaN raises)
                pick = min if name in ("minimum", "exclusiveMinimum") else max
                out.append((name, ok, note, lambda vs, ok=ok, pick=pick: not vs or ok(pick(vs))))
    return out


def _cast_constraint(read: Callable[[str], object], value: object) -> object:
    """frictionless casts constraint values with the field's own reader."""
    if isinstance(value, str):
        got = read(value)
        return None if got is _BAD else got
    return value


# ---------------------------------------------------------------------------------------------
class _Field:
    __slots__ = ("name", "index", "type", "type_note", "read", "checks", "required", "missing",
                 "plain", "float_number", "uri")

    def __init__(self, f: dict, index: int, missing: frozenset[str]):
        self.name = f["name"]
        self.index = index
        self.type = ftype = f.get("type", "string")
        self.float_number = bool(f.get("floatNumber"))
        self.uri = ftype == "string" and f.get("format") == "uri"
        self.type_note = f'type is "{ftype}/{f.get("format", "default")}"'
        self.read = _reader(f)
        self.checks = _checks(f, self.read)
        self.required = bool(f.get("constraints", {}).get("required"))
        self.missing = frozenset(f["missingValues"]) if "missingValues" in f else missing
        # a plain string column with nothing to check needs no per-cell work
        self.plain = self.read is str and not self.checks and not self.required


class _Resource:
    def __init__(self, desc: dict, folder: Path):
        for key in ("dialect",):
            dialect = desc.get(key) or {}
            csvd = dialect.get("csv", dialect)
            if csvd.get("delimiter", ",") != "," or csvd.get("header", True) is not True:
                raise Unsupported("CSV dialect")
        if desc.get("format", "csv") != "csv" or desc.get("encoding", "utf-8") != "utf-8":
            raise Unsupported("format/encoding")
        if "path" not in desc or not isinstance(desc["path"], str):
            raise Unsupported("resource without a single local path")
        self.name = desc["name"]
        self.path = folder / desc["path"]
        schema = desc.get("schema") or {}
        if not isinstance(schema, dict):
            raise Unsupported("schema by reference")
        if schema.get("uniqueKeys") or schema.get("fieldsMatch", "exact") != "exact":
            raise Unsupported("uniqueKeys/fieldsMatch")
        missing = schema.get("missingValues", [""])
        if any(not isinstance(m, str) for m in missing):
            raise Unsupported("missingValues objects")
        self.fields = [_Field(f, i, frozenset(missing)) for i, f in enumerate(schema["fields"])]
        self.names = [f.name for f in self.fields]
        pk = schema.get("primaryKey", [])
        self.primary_key = [pk] if isinstance(pk, str) else list(pk)
        self.foreign_keys = []
        for fk in schema.get("foreignKeys", []):
            fields = fk["fields"]
            ref = fk["reference"]
            rfields = ref["fields"]
            self.foreign_keys.append(
                (
                    [fields] if isinstance(fields, str) else list(fields),
                    ref.get("resource") or self.name,
                    [rfields] if isinstance(rfields, str) else list(rfields),
                )
            )
        self.unique = [
            f.name for f in self.fields if schema["fields"][f.index].get("constraints", {}).get(
                "unique"
            )
        ]


def check_package(folder: Path) -> list[Error]:
    """Every error frictionless would report for folder/datapackage.json (as Error tuples)."""
    enabled = gc.isenabled()
    gc.disable()  # millions of key objects and no cycles: collections would only rescan them
    try:
        return _check_package(folder)
    finally:
        if enabled:
            gc.enable()


Take = Callable[[str], Callable[[list[list[str]]], object]]


def clean_pass(folder: Path, take: Take) -> bool:
    """One reading of the package that both checks it and hands it on: each chunk of rows (the
    csv module's lists of cells, header excluded, in file order) goes to `take(resource name)`'s
    function once it passed its checks. True: the package has no error, exactly as
    `check_package` would find none. False: it may have one, or uses something only the exact
    path or frictionless judge; what was handed on is not vouched for (the loader throws it
    away) and `check_package` says what is wrong. Lets a loader read each CSV once."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        plan = _plan(folder)
        return plan is not None and _Clean(*plan, take=take).package_is_clean()
    finally:
        if enabled:
            gc.enable()


def _plan(folder: Path) -> tuple[list[_Resource], dict[str, list[tuple[str, ...]]]] | None:
    """The resources and, per resource, the key sets other resources' foreign keys look up;
    None when frictionless has to judge the descriptor."""
    descriptor = folder / "datapackage.json"
    if not descriptor.is_file():
        raise InputError(folder, "no datapackage.json here: build the package first")
    desc = json.loads(descriptor.read_text(encoding="utf-8"))
    try:
        resources = [_Resource(r, folder) for r in desc.get("resources", [])]
    except (Unsupported, KeyError, TypeError):
        return None
    by_name = {r.name: r for r in resources}
    wanted: dict[str, list[tuple[str, ...]]] = {}
    for r in resources:
        for _, target, rfields in r.foreign_keys:
            if target not in by_name:
                return None  # frictionless raises; let it say so
            wanted.setdefault(target, [])
            if tuple(rfields) not in wanted[target]:
                wanted[target].append(tuple(rfields))
    return resources, wanted


def _check_package(folder: Path) -> list[Error]:
    plan = _plan(folder)
    if plan is None:
        return _frictionless_errors(folder)
    resources, wanted = plan
    if _Clean(resources, wanted).package_is_clean():
        return []
    lookups: dict[tuple[str, tuple[str, ...]], set] = {}
    deferred: list[tuple[_Resource, list[tuple[int, tuple]], int]] = []
    errors: list[Error] = []
    for r in resources:
        errors.extend(_scan(r, wanted.get(r.name, []), lookups, deferred))
    for r, rows, k in deferred:  # foreign keys to resources scanned later (or to themselves)
        fields, target, rfields = r.foreign_keys[k]
        group = lookups[(target, tuple(rfields))]
        for row, cells in rows:
            if cells not in group:
                errors.append(_fk_error(r.name, row, fields, cells, target, rfields))
    order = {r.name: i for i, r in enumerate(resources)}
    errors.sort(key=lambda e: (order[e.resource], e.row or 0))
    return errors


# ---------------------------------------------------------------------------------------------
# The whole-package pass: a built package is almost always valid, so the first pass only
# decides "no error anywhere" with C-level operations on column chunks — key *sets* (no row
# numbers), no error records. Anything it cannot vouch for (a bad cell, a duplicate, an
# exception) makes `check_package` start over on the exact path above, which finds and
# reports the errors.
CLEAN_CHUNK = 512  # rows: a chunk's cells stay in the CPU cache while columns are made of them
_UNORDERED = object()
_NOT_CLEAN = (TypeError, ValueError, ArithmeticError, LookupError, OSError, csv.Error)


class _Clean:
    def __init__(self, resources: list[_Resource], wanted: dict[str, list[tuple[str, ...]]],
                 take: Take | None = None):
        self.resources = resources
        self.wanted = wanted
        self.take = take  # see clean_pass
        self.handed: dict[str, int] = {}  # chunks of each resource handed to take so far
        # typed key sets by (resource, key fields): primary keys, and what foreign keys look up
        self.keysets: dict[tuple[str, tuple[str, ...]], set] = {}
        # foreign keys to resources read later (or to themselves): (child keys, lookup)
        self.later: list[tuple[set, tuple[str, tuple[str, ...]]]] = []

    def package_is_clean(self) -> bool:
        try:
            for r in self.resources:
                clean = self._resource(r, ordered=True)
                if clean is _UNORDERED:
                    clean = self._resource(r, ordered=False)
                if not clean:
                    return False
            return all(self.keysets[key].issuperset(keys) for keys, key in self.later)
        except _NOT_CLEAN:
            return False

    def _resource(self, r: _Resource, ordered: bool) -> object:
        """True if `r` has no error (as far as its own rows tell), else False. `ordered`: as
        long as the primary keys only increase they are unique, and a key nothing looks up
        needs no set; _UNORDERED when they do not (read `r` again with ordered=False)."""
        pos = {name: i for i, name in enumerate(r.names)}
        n = len(r.fields)
        pk = tuple(r.primary_key)
        pk_idx = [pos[c] for c in pk]
        # the typed values of key columns are kept (with None for missing cells)
        keyed = set(pk_idx) | {pos[c] for c in r.unique}
        for fields, _, _ in r.foreign_keys:
            keyed.update(pos[c] for c in fields)
        own = []  # (key set to fill, columns) of the keys other resources look up
        for key in self.wanted.get(r.name, []):
            keyed.update(pos[c] for c in key)
            if key != pk:
                own.append((self.keysets.setdefault((r.name, key), set()), [pos[c] for c in key]))
        columns = [(f.index, _column_check(f, f.index in keyed))
                   for f in r.fields if not f.plain or f.index in keyed]
        last: list = []  # ordered: the last primary key so far
        ordered = ordered and bool(pk) and pk not in self.wanted.get(r.name, [])
        pk_set = self.keysets.setdefault((r.name, pk), set()) if pk and not ordered else None
        unique = [(pos[c], set()) for c in r.unique]
        fk_now, fk_later = [], []
        for fields, target, rfields in r.foreign_keys:
            lookup = (target, tuple(rfields))
            idx = [pos[c] for c in fields]
            if lookup in self.keysets and target != r.name:
                fk_now.append((idx, self.keysets[lookup]))
            else:
                child: set = set()
                self.later.append((child, lookup))
                fk_later.append((idx, child))
        # a blank row fails a required field; without one, look for it
        blank_check = not any(f.required for f in r.fields)
        if blank_check and any(f.missing != {""} for f in r.fields):
            return False  # rare: let the exact path judge blank rows
        # a second reading (ordered=False) hands on only the chunks the first one did not
        give = self.take(r.name) if self.take is not None else None
        handed = self.handed.get(r.name, 0)
        with open(r.path, encoding="utf-8", newline="") as fh:
            reader = csv.reader(fh)
            if next(reader, None) != r.names:
                return False
            for number in itertools.count():
                chunk = list(itertools.islice(reader, CLEAN_CHUNK))
                if not chunk:
                    break
                if len(chunk[0]) != n or len(set(map(len, chunk))) != 1:
                    return False  # a short or long row, or an empty line
                if blank_check and not all(map(any, chunk)):
                    return False
                cols = list(zip(*chunk, strict=True))
                typed: dict[int, tuple[list | tuple, bool]] = {}
                for i, check in columns:
                    got = check(cols[i])
                    if got is None:
                        return False
                    if got is not True:
                        typed[i] = got

                keys = _Keys(r, cols, typed)
                if ordered:
                    pks = keys(pk_idx, nulls=True)
                    if _null_key(len(pk_idx)) in pks:
                        return False
                    try:
                        if not (all(map(operator.lt, last, pks[:1]))
                                and all(map(operator.lt, pks, itertools.islice(pks, 1, None)))):
                            return _UNORDERED
                    except TypeError:  # e.g. a key with a null and a text
                        return _UNORDERED
                    last = pks[-1:]
                elif pk_set is not None:
                    pks = keys(pk_idx, nulls=True)
                    if _null_key(len(pk_idx)) in pks:
                        return False
                    before = len(pk_set)
                    pk_set.update(pks)
                    if len(pk_set) != before + len(pks):
                        return False  # a key seen before, or twice in this chunk
                for i, seen in unique:
                    present = keys([i])
                    before = len(seen)
                    seen.update(present)
                    if len(seen) != before + len(present):
                        return False
                for idx, lookup in fk_now:
                    if not lookup.issuperset(keys(idx)):
                        return False
                for idx, child in fk_later:
                    child.update(keys(idx))
                for group, idx in own:
                    group.update(keys(idx))
                if give is not None and number >= handed:
                    give(chunk)
                    self.handed[r.name] = number + 1
        return True


class _Keys:
    """The typed keys of a chunk (see `_Clean._resource`)."""

    def __init__(self, r: _Resource, cols: list, typed: dict[int, tuple[list | tuple, bool]]):
        self.r, self.cols, self.typed = r, cols, typed

    def __call__(self, idx: list[int], nulls: bool = False) -> list | tuple:
        """The keys at `idx`, without those that are all null (`nulls`: with them)."""
        if len(idx) == 1:
            present, holes = self.typed[idx[0]]
            return [None] if nulls and holes else present
        full = []
        for i in idx:
            present, holes = self.typed[i]
            if holes:
                it, miss = iter(present), self.r.fields[i].missing
                present = [None if c in miss else next(it) for c in self.cols[i]]
            full.append(present)
        none = (None,) * len(idx)
        out = list(zip(*full, strict=True))
        return out if nulls else [k for k in out if k != none]


def _column_check(f: _Field, keep: bool) -> Callable[[tuple], object]:
    """column chunk -> None if any cell has an error; else, when `keep`, (the typed values of
    its cells that are not missing, whether any is missing), or else True. Same reading and
    constraints as `_Rows.check`.
    Integers and Decimals are read by their C constructors (`int(c)` is `int(c.strip())`:
    both ignore surrounding whitespace); other cells once per distinct text, remembered across
    chunks (every constraint is a test of one value, so a value that passed once passes)."""
    miss = f.missing
    blank_only = miss == {""}
    checks = [all_pass for *_, all_pass in f.checks]
    if f.type == "integer":
        direct: Callable | None = int
    elif f.type == "number":
        direct = float if f.float_number else Decimal
    else:
        direct = None
    read = _uri_ok if f.uri else f.read
    passed: dict = {}  # cell text -> typed value, for cells that passed every check

    def check(col: tuple) -> object:
        holes = ("" in col) if blank_only else not miss.isdisjoint(col)
        if not holes:
            present = col
        elif f.required:
            return None
        elif blank_only:
            present = list(filter(None, col))  # cells are str: only "" is falsy
        else:
            present = [c for c in col if c not in miss]
        if direct is not None:  # ValueError/ArithmeticError: not clean
            typed = list(map(direct, present))
            for all_pass in checks:
                if not all_pass(typed):
                    return None
        elif read is str and not checks:
            typed = present
        else:
            new = set(present).difference(passed)
            if new:
                got = dict(zip(new, map(read, new), strict=True))
                values = got.values()
                if any(v is _BAD for v in values):
                    return None
                for all_pass in checks:
                    if not all_pass(values):
                        return None
                passed.update(got)
            typed = present if not keep or read is str else list(map(passed.get, present))
            if len(passed) > 100_000:
                passed.clear()  # a high-cardinality column: keep the memory bounded
        return (typed, holes) if keep else True

    return check


def _uri_ok(cell: str) -> object:
    """`_uri_reader`'s verdict without its cost: rfc3986 parses every string with one regex
    and the validator then only asks for a scheme (re-encoding the components, the slow part,
    cannot fail on text read from UTF-8)."""
    from rfc3986.misc import URI_MATCHER

    return cell if URI_MATCHER.match(cell).group("scheme") else _BAD


def _fk_error(name: str, row: int, fields: list, cells: object, target: str, rfields: list):
    cells = cells if isinstance(cells, tuple) else (cells,)  # a one-column key is bare
    note = 'for "{}": values "{}" not found in the lookup table "{}" as "{}"'.format(
        ", ".join(fields), ", ".join(str(d) for d in cells), target, ", ".join(rfields)
    )
    return Error(name, row, None, "foreign-key", note)


def _scan(
    r: _Resource,
    wanted: list[tuple[str, ...]],
    lookups: dict[tuple[str, tuple[str, ...]], set],
    deferred: list,
) -> list[Error]:
    """Check one resource: chunks of rows go through `_Chunks.clean` (column-wise, all or
    nothing); a chunk it cannot vouch for is checked row by row by `_Rows.check`, the exact
    path that reports errors."""
    try:
        fh = open(r.path, encoding="utf-8", newline="")  # noqa: SIM115 - closed below
    except OSError as exc:
        return [Error(r.name, None, None, "scheme-error", str(exc))]
    state = _State(r, wanted, lookups, deferred)
    rows = _Rows(state)
    chunks = _Chunks(state)
    errors = rows.errors
    with fh:
        reader = csv.reader(fh)
        errors.extend(_label_errors(r, next(reader, [])))
        rownum = 2  # frictionless numbers the header as row 1
        while len(errors) < LIMIT_ERRORS:
            chunk = list(itertools.islice(reader, CHUNK))
            if not chunk:
                break
            if not chunks.clean(chunk, rownum):
                for k, cells in enumerate(chunk):
                    if len(errors) >= LIMIT_ERRORS:
                        break
                    if cells:  # an empty line is no row for frictionless' CSV parser either
                        rows.check(rownum + k, cells)
            rownum += len(chunk)
    return errors[:LIMIT_ERRORS]


class _State:
    """What a resource scan remembers across rows: keys seen, lookups filled, lookups due."""

    def __init__(
        self,
        r: _Resource,
        wanted: list[tuple[str, ...]],
        lookups: dict[tuple[str, tuple[str, ...]], set],
        deferred: list,
    ):
        self.r = r
        self.n = len(r.fields)
        pos = {name: i for i, name in enumerate(r.names)}
        self.hot = [f for f in r.fields if not f.plain]
        key_cols = {pos[c] for c in r.primary_key + r.unique}
        for fields, _, _ in r.foreign_keys:
            key_cols.update(pos[c] for c in fields)
        for rfields in wanted:
            key_cols.update(pos[c] for c in rfields)
        self.keyed = [f for f in r.fields if f.index in key_cols and f.plain]
        self.key_cols = key_cols
        for key in wanted:
            lookups[(r.name, key)] = set()
        # (set to fill, key columns) of the lookups other resources' foreign keys use
        self.own = [(lookups[(r.name, key)], [pos[c] for c in key]) for key in wanted]
        # foreign keys checked at once: (columns, fields, target, rfields, lookup set)
        self.fk_now: list[tuple] = []
        # foreign keys checked after every resource is read: (columns, [(row, key)])
        self.fk_later: list[tuple] = []
        for k, (fields, target, rfields) in enumerate(r.foreign_keys):
            idx = [pos[c] for c in fields]
            if (target, tuple(rfields)) in lookups and target != r.name:
                group = lookups[(target, tuple(rfields))]
                self.fk_now.append((idx, fields, target, rfields, group))
            else:
                rows: list = []
                deferred.append((r, rows, k))
                self.fk_later.append((idx, rows))
        self.pk_idx = [pos[c] for c in r.primary_key]
        self.pk_seen: dict[tuple, int] = {}
        self.unique_seen: dict[int, dict] = {pos[c]: {} for c in r.unique}
        self.uniform_missing = len({f.missing for f in r.fields}) == 1
        self.blank_text = (
            next(iter(r.fields[0].missing)) if self.uniform_missing and r.fields else None
        )


class _Rows:
    """The exact path: one row at a time, every error in frictionless' order."""

    def __init__(self, st: _State):
        self.st = st
        self.errors: list[Error] = []
        self.values: list = [None] * st.n
        self.pk = _keyer(st.pk_idx)
        self.fk_now = [(*_keyer(idx), *rest) for idx, *rest in st.fk_now]
        self.fk_later = [(*_keyer(idx), rows) for idx, rows in st.fk_later]
        self.own = [(group, *_keyer(idx)) for group, idx in st.own]

    def check(self, rownum: int, cells: list[str]) -> None:
        st, r, values, n = self.st, self.st.r, self.values, self.st.n
        row_errors: list[Error] = []
        if len(cells) != n:
            for _ in range(n, len(cells)):
                row_errors.append(Error(r.name, rownum, None, "extra-cell", ""))
            for f in r.fields[len(cells) :]:
                row_errors.append(Error(r.name, rownum, f.name, "missing-cell", ""))
            cells = (cells + [None] * n)[:n]
        for f in st.hot:
            cell = cells[f.index]
            if cell is None or cell in f.missing:  # None: a missing cell
                values[f.index] = None
                if f.required:
                    row_errors.append(
                        Error(r.name, rownum, f.name, "constraint-error",
                              'constraint "required" is "True"')
                    )
                continue
            v = f.read(cell)
            if v is _BAD:
                values[f.index] = None
                row_errors.append(Error(r.name, rownum, f.name, "type-error", f.type_note))
                continue
            values[f.index] = v
            for _, ok, note, _ in f.checks:
                if not ok(v):
                    row_errors.append(Error(r.name, rownum, f.name, "constraint-error", note))
        for f in st.keyed:
            cell = cells[f.index]
            values[f.index] = None if cell is None or cell in f.missing else cell
        # blank row: every cell is a missing value
        if st.uniform_missing and st.blank_text == "":
            is_blank = not any(cells)
        else:
            is_blank = all(
                c is None or c in f.missing for c, f in zip(cells, r.fields, strict=True)
            )
        if is_blank:
            row_errors = [Error(r.name, rownum, None, "blank-row", "")]
        if st.pk_idx:
            pk_key, pk_none = self.pk
            key = pk_key(values)
            if key == pk_none:
                row_errors.append(
                    Error(r.name, rownum, None, "primary-key",
                          'cells composing the primary keys are all "None"')
                )
            else:
                first = st.pk_seen.get(key)
                st.pk_seen[key] = rownum
                if first:
                    row_errors.append(
                        Error(r.name, rownum, None, "primary-key",
                              f"the same as in the row at position {first}")
                    )
        for i, seen in st.unique_seen.items():
            v = values[i]
            if v is not None:
                first = seen.get(v)
                seen[v] = rownum
                if first:
                    row_errors.append(
                        Error(r.name, rownum, r.names[i], "unique-error",
                              f"the same as in the row at position {first}")
                    )
        for get, none, fields, target, rfields, group in self.fk_now:
            key = get(values)
            if key != none and key not in group:
                row_errors.append(_fk_error(r.name, rownum, fields, key, target, rfields))
        for get, none, rows in self.fk_later:
            key = get(values)
            if key != none:
                rows.append((rownum, key))
        for group, get, none in self.own:
            key = get(values)
            if key != none:
                group.add(key)
        self.errors.extend(row_errors)


class _Chunks:
    """The fast path: a chunk of rows checked column by column. `clean` either vouches for
    the whole chunk — no error in any row — and records its keys exactly as `_Rows` would,
    or changes nothing and returns False, so `_Rows` re-reads the chunk and reports."""

    def __init__(self, st: _State):
        self.st = st
        self.usable = st.uniform_missing and st.blank_text == ""

    def clean(self, chunk: list[list[str]], first: int) -> bool:
        if not self.usable:
            return False
        try:
            return self._clean(chunk, first)
        except (TypeError, ValueError, ArithmeticError):  # odd values: the exact path decides
            return False

    def _clean(self, chunk: list[list[str]], first: int) -> bool:
        st = self.st
        n = st.n
        for cells in chunk:
            if len(cells) != n or not any(cells):  # wrong shape, blank row or empty line
                return False
        cols: list = list(zip(*chunk, strict=True))
        for f in st.hot:
            typed = _typed_column(f, cols[f.index])
            if typed is None:
                return False
            cols[f.index] = typed
        for f in st.keyed:
            cols[f.index] = _nulled(cols[f.index], f.missing)
        rownums = range(first, first + len(chunk))
        pk = None
        if st.pk_idx:
            pk = _key_column(cols, st.pk_idx)
            if _null_key(len(st.pk_idx)) in pk or not st.pk_seen.keys().isdisjoint(pk):
                return False
        for i in st.unique_seen:
            present = [v for v in cols[i] if v is not None]
            if len(set(present)) != len(present) or not st.unique_seen[i].keys().isdisjoint(
                present
            ):
                return False
        for idx, _, _, _, group in st.fk_now:
            if not group.issuperset(_present_keys(_key_column(cols, idx), len(idx))):
                return False
        # the chunk is clean but for repeats inside it: record its keys
        if pk is not None:
            before = len(st.pk_seen)
            st.pk_seen.update(zip(pk, rownums, strict=True))
            if len(st.pk_seen) != before + len(pk):  # a key repeats within the chunk: undo
                for k in pk:  # (all were new: isdisjoint above)
                    st.pk_seen.pop(k, None)
                return False
        for i, seen in st.unique_seen.items():
            seen.update((v, row) for v, row in zip(cols[i], rownums, strict=True) if v is not None)
        for idx, rows in st.fk_later:
            none = _null_key(len(idx))
            rows.extend((row, k) for row, k in zip(rownums, _key_column(cols, idx), strict=True)
                        if k != none)
        for group, idx in st.own:
            group.update(_present_keys(_key_column(cols, idx), len(idx)))
        return True


def _typed_column(f: _Field, col: tuple) -> list | tuple | None:
    """The typed values of a column chunk (None for missing cells), or None if any cell has an
    error. Each distinct cell is read and checked once: most columns repeat a few values."""
    miss = f.missing
    holes = not miss.isdisjoint(col)
    if holes and f.required:
        return None
    present = [c for c in col if c not in miss] if holes else col
    distinct = set(present)
    if f.read is str:
        typed, values = present, distinct
    else:
        read = dict(zip(distinct, map(f.read, distinct), strict=True))
        values = read.values()
        if any(v is _BAD for v in values):
            return None
        typed = list(map(read.__getitem__, present))
    for *_, all_pass in f.checks:
        if not all_pass(values):
            return None
    if not holes:
        return typed
    it = iter(typed)
    return [None if c in miss else next(it) for c in col]


def _nulled(col: tuple, miss: frozenset[str]) -> tuple | list:
    return [None if c in miss else c for c in col] if not miss.isdisjoint(col) else col


def _key_column(cols: list, idx: list[int]) -> list | tuple:
    """The keys of a chunk (see `_keyer`)."""
    if len(idx) == 1:
        return cols[idx[0]]
    return list(zip(*(cols[i] for i in idx), strict=True))


def _present_keys(keys: list | tuple, width: int) -> list:
    none = _null_key(width)
    return [k for k in keys if k is not none] if none is None else [k for k in keys if k != none]


def _null_key(width: int) -> tuple | None:
    return None if width == 1 else (None,) * width


def _keyer(idx: list[int]) -> tuple[Callable[[list], object], object]:
    """(values -> the key at `idx`, the all-null key); `key == nones` is frictionless' "every
    cell of the key is null" (None equals only None). A one-column key is the bare value (no
    1-tuples: millions of keys are hashed and kept)."""
    if not idx:
        return (lambda values: ()), ()
    if len(idx) == 1:
        i = idx[0]
        return (lambda values: values[i]), None
    get = operator.itemgetter(*idx)
    return get, (None,) * len(idx)


def _label_errors(r: _Resource, header: list[str]) -> list[Error]:
    out = []
    for i, name in enumerate(r.names):
        if i >= len(header):
            out.append(Error(r.name, None, name, "missing-label", ""))
        elif header[i] != name:
            out.append(Error(r.name, None, name, "incorrect-label", f'"{header[i]}"'))
    for _ in header[len(r.names) :]:
        out.append(Error(r.name, None, None, "extra-label", ""))
    return out


def _frictionless_errors(folder: Path) -> list[Error]:
    import warnings

    from frictionless import Package, system

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with system.use_context(trusted=True):
            report = Package(str(folder / "datapackage.json")).validate()
    out = [
        Error(
            task.name or "package",
            getattr(e, "row_number", None),
            getattr(e, "field_name", None) or None,
            e.type,
            e.note or e.message,
        )
        for task in report.tasks
        for e in task.errors
    ]
    out += [Error("package", None, None, e.type, e.note or e.message) for e in report.errors]
    return out


def format_errors(errors: list[Error]) -> list[str]:
    """The same '<resource>.csv:<row>: <field>: <type>: <note>' lines as validate.py."""
    lines = []
    for e in errors:
        where = f"{e.resource}.csv" + (f":{e.row}" if e.row else "")
        what = f"{e.field}: " if e.field else ""
        lines.append(f"{where}: {what}{e.type}: {e.note}")
    if len(lines) > MAX_REPORTED:
        lines = lines[:MAX_REPORTED] + [f"… and {len(lines) - MAX_REPORTED} more"]
    return lines


def validate_package(folder: Path) -> None:
    """Raise ValidationFailed listing each error, like validate.validate_package."""
    errors = check_package(folder)
    if errors:
        raise ValidationFailed(format_errors(errors))
