"""Incremental builds after a few articles change: only what those articles touch is recomputed
and rewritten — their rows, and the rounds, investors, conflicts and term history of the
companies their funding claims are about — and the result is the package a clean build makes.

How (each step falls back to a full build when its assumptions do not hold):
1. the previous build left a `State` beside the cache: each article's file stat, cache key,
   ids and the companies its funding claims are about, and the chunk layout of every CSV
   and of the zip (`chunks`). Files whose size, times and inode are unchanged keep their key;
2. changed articles are extracted (cache as usual); synthesis runs for the affected companies
   only, on every article about them (read from the cache);
3. the new rows are compared with the previous database's rows in the same scope, so only rows
   whose values changed are written: the CSVs are spliced chunk by chunk, the zip reuses every
   other chunk's deflated bytes, the changed rows are validated (fastvalidate, and foreign keys
   against the database), and the database is patched in one transaction — in place when no
   other process has it open (else in a copy);
4. the output folder is swapped in as in a full build.

The database then holds the same rows as a clean build's, but not the same bytes (row ids,
page layout and the hash in inspect.json differ); the CSVs, datapackage.json and zip are
byte-identical (tests/test_incremental.py).
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import shutil
import sqlite3
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from . import cache as cachelib
from . import chunks, package, schema
from .curation import round_labels
from .errors import InputError, ValidationFailed
from .ingest import Article
from .paths import DB_NAME, METADATA_FILE, SCHEMA_DIR
from .registry import Registry
from .site import ZIP_NAME, write_metadata
from .synthesize import FUNDING, ArticleInfo, SynClaim, Synthesis, independence_key, synthesize
from .tables import article_rows

STATE_VERSION = 3
# Above this share of changed articles a full build is about as fast.
MAX_SHARE = 0.02
MAX_ALWAYS = 50


@dataclass(slots=True)
class FileState:
    name: str
    stat: tuple[int, int, int, int]  # size, mtime_ns, ctime_ns, inode: unchanged → same key
    key: str
    source_id: str
    url: str
    body: str
    companies: tuple[str, ...]  # subjects of its funding claims
    discovered: tuple[str, ...]  # ids of the entities it discovered
    publisher: str  # lower-cased, as publisher ids are looked up
    cited: tuple[str, ...]  # parties its citations name


@dataclass
class State:
    fingerprint: str
    db: tuple[int, int, int]  # inode, size, mtime_ns of the database it describes
    files: list[FileState]
    layouts: dict[str, chunks.Layout]  # zip member → layout (with deflated offsets)
    publications: frozenset[str] = frozenset()
    alias_of_publisher: dict[str, str] = field(default_factory=dict)
    version: int = STATE_VERSION


def file_state(path: Path, key: str, article: Article, ex, stat: tuple) -> FileState:
    """`stat`: taken before the bytes behind `key` were read (a later edit then shows)."""
    return FileState(
        path.name,
        stat,
        key,
        article.source_id,
        article.url,
        article.body_sha256,
        tuple(sorted({c.subject_id for c in ex.claims if c.predicate in FUNDING})),
        tuple(e.entity_id for e in ex.discovered),
        (article.publisher or "").lower(),
        tuple(sorted({c.party_id for c in ex.citations})),
    )


def _stat(path: Path) -> tuple[int, int, int, int]:
    st = path.stat()
    return st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino


def fingerprint(entities_file: Path) -> str:
    """Everything besides the articles that the output depends on."""
    h = hashlib.sha256(f"state {STATE_VERSION}\0{cachelib.code_hash()}\0".encode())
    here = Path(__file__).resolve().parent
    paths = sorted(here.glob("*.py")) + sorted(SCHEMA_DIR.glob("*.yaml"))
    paths += sorted(p for p in entities_file.parent.glob("*.yml")) + [entities_file]
    paths.append(METADATA_FILE)
    for path in paths:
        if path.is_file():
            h.update(str(path.name).encode() + b"\0" + path.read_bytes() + b"\0")
    for pkg in ("sqlite-utils", "datasette", "frictionless"):
        try:
            from importlib import metadata

            h.update(f"{pkg}=={metadata.version(pkg)}\0".encode())
        except Exception:  # noqa: BLE001
            h.update(f"{pkg}==-\0".encode())
    return h.hexdigest()


def state_path(root: Path, out_dir: Path) -> Path:
    tag = hashlib.sha256(str(out_dir.resolve()).encode()).hexdigest()[:16]
    return root / "state" / f"{tag}.pkl"


def _db_stat(db: Path) -> tuple[int, int, int]:
    st = db.stat()
    return st.st_ino, st.st_size, st.st_mtime_ns


def save_state(path: Path, state: State) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + f".{os.getpid()}.tmp")
    with open(tmp, "wb") as fh:
        pickle.dump(state, fh, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, path)


def load_state(path: Path, fp: str, out_dir: Path) -> State | None:
    try:
        with open(path, "rb") as fh:
            state = pickle.load(fh)
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ValueError, TypeError):
        return None
    if not isinstance(state, State) or state.version != STATE_VERSION or state.fingerprint != fp:
        return None
    try:
        if _db_stat(out_dir / DB_NAME) != state.db:
            return None
    except OSError:
        return None
    return state


class Fallback(Exception):
    """The incremental path cannot promise a clean build's result: do a full build."""


# ---------------------------------------------------------------------------------------------
# rows as CSV cells, CSV lines and database values
class _Rows:
    def __init__(self, name: str):
        self.resource = schema.resource(name)
        self.names = self.resource.field_names
        self.types = [f.get("type", "string") for f in self.resource.fields]
        self.convs = [package._converter(t) for t in self.types]
        self.pk = [self.names.index(k) for k in self.resource.primary_key]
        self.line = package._LineRenderer()

    def cells(self, row: dict) -> list[str]:
        return [
            "" if (v := row.get(n)) is None else c(v)
            for n, c in zip(self.names, self.convs, strict=True)
        ]

    def cells_of_db(self, values: tuple) -> list[str]:
        out = []
        for v, t, c in zip(values, self.types, self.convs, strict=True):
            if v is None:
                out.append("")
            elif t == "array":
                out.append(v)  # the database keeps the cell's JSON text
            elif t == "boolean":
                out.append("true" if v else "false")
            else:
                out.append(c(v))
        return out

    def db(self, cells: list[str]) -> tuple:
        """The values load.py stores for these cells."""
        out: list[object] = []
        for cell, t in zip(cells, self.types, strict=True):
            if cell == "":
                out.append(None)
            elif t == "integer":
                out.append(int(cell))
            elif t == "boolean":
                out.append(1 if cell == "true" else 0)
            elif t == "number":
                out.append(float(cell))
            else:
                out.append(cell)
        return tuple(out)

    def key(self, cells: list[str]) -> tuple[str, ...]:
        return tuple(cells[i] for i in self.pk)


@dataclass
class _Change:
    """One table's changes: key → (database values, CSV line), or None for a deleted row."""

    upserts: dict[tuple, tuple[tuple, str]] = field(default_factory=dict)
    deletes: set[tuple] = field(default_factory=set)
    inserted: int = 0  # upserts of keys that were not there before

    def __bool__(self) -> bool:
        return bool(self.upserts or self.deletes)


def _diff(rows: _Rows, old: dict[tuple, tuple], new: list[list[str]]) -> _Change:
    change = _Change()
    seen = set()
    for cells in new:
        key = rows.key(cells)
        if key in seen:
            raise Fallback(f"{rows.resource.name}: two new rows with key {key}")
        seen.add(key)
        values = rows.db(cells)
        before = old.get(key)
        if before != values:
            change.upserts[key] = (values, rows.line.row(cells))
            change.inserted += before is None
    change.deletes = set(old) - seen
    return change


def _select(conn: sqlite3.Connection, rows: _Rows, where: str, args: list) -> dict:
    cols = ",".join(f"[{n}]" for n in rows.names)
    out = {}
    for chunk in _batches(args):
        marks = ",".join("?" * len(chunk))
        sql = f"select {cols} from [{rows.resource.name}] where " + where.format(marks)
        for values in conn.execute(sql, chunk):
            out[tuple(str(values[i]) for i in rows.pk)] = tuple(values)
    return out


def _batches(args: list, size: int = 500) -> list[list]:
    args = list(args)
    return [args[i : i + size] for i in range(0, len(args), size)] or [[]]


# ---------------------------------------------------------------------------------------------
def in_use(path: Path) -> bool:
    """Whether another process has `path` open (a server reading the previous database):
    then it is patched in a copy, never in place. Where /proc is missing: assume it is."""
    proc = Path("/proc")
    if not (proc / "self" / "fd").is_dir():
        return True
    target = os.path.realpath(path)
    me = str(os.getpid())
    for pid in os.listdir(proc):
        if not pid.isdigit() or pid == me:
            continue
        try:
            fds = os.listdir(proc / pid / "fd")
        except OSError:
            continue
        for fd in fds:
            try:
                if os.readlink(proc / pid / "fd" / fd) == target:
                    return True
            except OSError:
                continue
    return False


# ---------------------------------------------------------------------------------------------
@dataclass
class _Loaded:
    index: int
    path: Path
    article: Article
    ex: object
    key: str


def update(
    files: list[Path],
    entities_file: Path,
    registry: Registry,
    curated: list,
    store: cachelib.ArticleCache,
    out_dir: Path,
    extract_missing,
    log,
) -> dict:
    """The incremental build. Returns {"counts", "extracted", "cached", "timings"}; raises
    Fallback when a full build is needed, InputError/ValidationFailed for bad input (the
    output is then untouched)."""
    t0 = time.perf_counter()
    timings: dict[str, float] = {}
    if store.root is None:
        raise Fallback("no cache")
    out_dir = out_dir.resolve()
    spath = state_path(store.root, out_dir)
    state = load_state(spath, fingerprint(entities_file), out_dir)
    if state is None:
        raise Fallback("no state of the previous build")
    if any(name not in state.layouts for name in _members()):
        raise Fallback("the previous zip is not chunked")
    old_by_name = {f.name: f for f in state.files}
    keys = []
    stats = [_stat(p) for p in files]
    for p, stat in zip(files, stats, strict=True):
        f = old_by_name.get(p.name)
        if f is not None and f.stat == stat:
            keys.append(f.key)
        else:
            keys.append(store.key(p.name, p.read_bytes()))
    index = {p.name: i for i, p in enumerate(files)}
    added = [i for i, p in enumerate(files)
             if (f := old_by_name.get(p.name)) is None or f.key != keys[i]]
    removed = [f for f in state.files if f.name not in index or keys[index[f.name]] != f.key]
    if len(added) + len(removed) > max(MAX_ALWAYS, MAX_SHARE * len(files)):
        raise Fallback(f"{len(added) + len(removed)} articles changed")
    tasks = [(i, str(files[i]), keys[i]) for i in added if not store.has(keys[i])]
    if tasks:
        log(f"extracting {len(tasks)} of {len(files)} articles ({len(files) - len(tasks)} cached)")
    errors = extract_missing(tasks)
    if errors:
        raise InputError(*errors[min(errors)])
    store.refresh()  # the records the pool's workers wrote
    timings["extract"] = time.perf_counter() - t0
    if not added and not removed:
        result = _unchanged(state, files, stats, out_dir, spath)
        result["timings"] = timings
        return result

    def load(i: int, key: str, path: Path) -> _Loaded:
        record = store.get(key)
        if record is None:
            raise Fallback(f"{path.name} is not in the cache")
        article, ex, _ = cachelib.from_record(record, path)
        return _Loaded(i, path, article, ex, key)

    new = [load(i, keys[i], files[i]) for i in added]
    old = [load(-1, f.key, Path(f.name)) for f in removed]
    _check_duplicates(state, files, index, new, {f.name for f in removed})

    conn = sqlite3.connect(f"file:{out_dir / DB_NAME}?mode=ro", uri=True)
    try:
        plan = _plan(state, files, keys, stats, index, new, old, registry, curated, conn, load)
    finally:
        conn.close()
    timings["synthesize"] = time.perf_counter() - t0 - sum(timings.values())
    counts = _write(plan, state, out_dir, spath, files, stats, index, timings, t0)
    return {
        "counts": counts,
        "extracted": len(tasks),
        "cached": len(files) - len(tasks),
        "timings": timings,
    }


def _members() -> list[str]:
    return ["datapackage.json"] + sorted(f"{r.name}.csv" for r in schema.resources())


def _unchanged(state: State, files, stats, out_dir: Path, spath: Path) -> dict:
    """Nothing to rebuild: refresh the file stats the state keeps (a touched file)."""
    by_name = {f.name: f for f in state.files}
    for p, stat in zip(files, stats, strict=True):
        by_name[p.name].stat = stat
    save_state(spath, state)
    inspect = json.loads((out_dir / "inspect.json").read_text())
    tables = next(iter(inspect.values()))["tables"]
    return {
        "counts": {r.name: tables[r.name]["count"] for r in schema.resources()},
        "extracted": 0,
        "cached": len(files),
    }


def _check_duplicates(state: State, files, index, new: list[_Loaded], gone: set[str]) -> None:
    """The full build's duplicate-article check, for the new articles."""
    seen: dict[str, dict[str, str]] = {"url": {}, "body": {}, "source id": {}}
    changed = {x.path.name for x in new} | gone
    for f in state.files:
        if f.name not in changed:
            seen["url"][f.url] = f.name
            seen["body"][f.body] = f.name
            seen["source id"][f.source_id] = f.name
    for x in new:
        a = x.article
        for what, k in (("url", a.url), ("body", a.body_sha256), ("source id", a.source_id)):
            other = seen[what].get(k)
            if other is not None:
                first, later = sorted((index[other], x.index))
                raise InputError(files[later], f"duplicate article: same {what} as "
                                 f"{files[first]}", 1)
            seen[what][k] = x.path.name


@dataclass
class _Plan:
    changes: dict[str, _Change]
    entity_lines: list[tuple[tuple, str]]  # the whole entities table, sorted
    file_states: dict[str, FileState]
    publications: frozenset[str]
    alias_of_publisher: dict[str, str]


def _plan(state, files, keys, stats, index, new, old, registry, curated, conn, load) -> _Plan:
    fund = sorted(FUNDING)
    new_sids = {x.article.source_id for x in new}
    old_sids = {x.article.source_id for x in old}
    sids = sorted(new_sids | old_sids)

    # entities: counts move with the changed articles; discovered entities appear and go
    ent = _Rows("entities")
    old_entities = {}
    cols = ",".join(f"[{n}]" for n in ent.names)
    for values in conn.execute(f"select {cols} from entities"):
        old_entities[(values[0],)] = tuple(values)
    discovered_now = {f.name: f.discovered for f in state.files}
    for x in old:
        discovered_now.pop(x.path.name, None)
    for x in new:
        discovered_now[x.path.name] = tuple(e.entity_id for e in x.ex.discovered)
    touched = {e.entity_id for x in (*old, *new) for e in x.ex.discovered}
    touched -= set(registry.entities)
    new_entity: dict[str, object] = {}
    gone_entity: set[str] = set()
    for eid in sorted(touched):
        winner = next((p for p in files if eid in discovered_now.get(p.name, ())), None)
        if winner is None:
            gone_entity.add(eid)
            continue
        x = next((y for y in new if y.path.name == winner.name), None)
        if x is None:
            x = load(index[winner.name], keys[index[winner.name]], winner)
        e = next(e for e in x.ex.discovered if e.entity_id == eid)
        row = ent.cells({**vars(e), "mention_count": 0, "article_count": 0})
        before = old_entities.get((eid,))
        if before is None:
            new_entity[eid] = e
        elif ent.db(row)[:-2] != before[:-2]:
            raise Fallback(f"entity {eid} is now described differently")
    publications, alias_of_publisher = _publications(
        registry, files, discovered_now, old_entities, new_entity, gone_entity)
    mentions: Counter[str] = Counter()
    articles: Counter[str] = Counter()
    for x, sign in [(y, -1) for y in old] + [(y, 1) for y in new]:
        for m in x.ex.mentions:
            mentions[m.entity_id] += sign
        for eid in {m.entity_id for m in x.ex.mentions}:
            articles[eid] += sign
    entity_cells = []
    names: dict[str, str] = {}
    types: dict[str, str] = {}
    for key, values in old_entities.items():
        eid = key[0]
        if eid in gone_entity:
            continue
        cells = ent.cells_of_db(values)
        cells[-2] = str(values[-2] + mentions[eid])
        cells[-1] = str(values[-1] + articles[eid])
        entity_cells.append(cells)
        names[eid], types[eid] = values[1], values[2]
    for eid, e in new_entity.items():
        entity_cells.append(ent.cells({**vars(e), "mention_count": mentions[eid],
                                       "article_count": articles[eid]}))
        names[eid], types[eid] = e.name, e.type  # type: ignore[attr-defined]
    changes = {"entities": _diff(ent, old_entities, entity_cells)}
    entity_lines = sorted((ent.key(c), ent.line.row(c)) for c in entity_cells)

    # articles whose publisher id or independence moves with a publication that came or went
    by_name = {f.name: f for f in state.files}
    added_names = {x.path.name for x in new}
    moved_aliases = {k for k in set(alias_of_publisher) | set(state.alias_of_publisher)
                     if alias_of_publisher.get(k) != state.alias_of_publisher.get(k)}
    moved_pubs = publications ^ state.publications
    refresh = set()
    if moved_aliases or moved_pubs:
        for p in files:
            f = by_name.get(p.name)
            if f is not None and p.name not in added_names and (
                f.publisher in moved_aliases or moved_pubs.intersection(f.cited)
            ):
                refresh.add(p.name)

    # the companies whose rounds change, and every article about them
    companies = {c.subject_id for x in (*old, *new) for c in x.ex.claims if c.predicate in FUNDING}
    for name in refresh:
        companies.update(by_name[name].companies)
    _check_round_ids(conn, companies)
    loaded: list[_Loaded] = []
    new_at = {x.index: x for x in new}
    for i, p in enumerate(files):
        if i in new_at:
            loaded.append(new_at[i])
        elif p.name in refresh or companies.intersection(by_name[p.name].companies):
            loaded.append(load(i, keys[i], p))
    refresh_sids = {x.article.source_id for x in loaded if x.path.name in refresh}
    infos, syn_claims, independence = [], [], {}
    labels: dict[str, tuple[str, ...]] = {}
    for x in loaded:
        a = x.article
        infos.append(ArticleInfo(a.source_id, a.publisher or a.host, a.published, a.title))
        independence[a.source_id] = independence_key(
            a.source_id,
            [c for c in x.ex.citations],
            publications,  # type: ignore[arg-type]
            alias_of_publisher.get((a.publisher or "").lower()),
        )
        for c in x.ex.claims:
            if c.evidence not in labels:
                labels[c.evidence] = tuple(round_labels(c.evidence))
            syn_claims.append(SynClaim.of(c, labels[c.evidence]))
    scope = [c for c in syn_claims
             if c.source_id in new_sids or (c.predicate in FUNDING and c.subject_id in companies)]
    taken = {rid for rid, company in conn.execute("select round_id, company_id from rounds")
             if company not in companies}
    entity_objs = {eid: _Named(names[eid], types[eid]) for eid in names}
    facts = getattr(curated, "reference_facts", None) or []
    syn = Synthesis()
    synthesize(infos, syn_claims, independence, entity_objs, curated, facts, syn,
               companies=companies, taken=taken, scope=scope)
    round_of = {c.claim_id: c.round_id for c in scope}

    # new rows in each scope, old rows in the same scope, and what differs
    rows = {name: _Rows(name) for name in package.CHUNKED}
    new_cells: dict[str, list[list[str]]] = {name: [] for name in package.CHUNKED}
    for x in loaded:
        a = x.article
        if x.path.name in added_names or x.path.name in refresh:
            for name, row in article_rows(a, x.ex):
                if name == "sources":
                    row["publisher_id"] = alias_of_publisher.get((a.publisher or "").lower())
                    row["independence_group"] = independence[a.source_id]
                    new_cells[name].append(rows[name].cells(row))
                    if x.path.name in refresh:
                        break
                    continue
                if name == "claims":
                    row = {**row, "round_id": round_of.get(row["claim_id"])}
                new_cells[name].append(rows[name].cells(row))
        if x.path.name not in added_names:
            for c in x.ex.claims:
                if c.predicate in FUNDING and c.subject_id in companies:
                    row = {**vars(c), "round_id": round_of.get(c.claim_id)}
                    new_cells["claims"].append(rows["claims"].cells(row))
    for name in ("rounds", "round_investors", "conflicts", "conflict_claims", "term_history"):
        new_cells[name] = [rows[name].cells(r) for r in getattr(syn, name)]

    olds: dict[str, dict] = {}
    olds["sources"] = _select(conn, rows["sources"], "source_id in ({})",
                              sorted(set(sids) | refresh_sids))
    for name in ("mentions", "citations"):
        olds[name] = _select(conn, rows[name], "source_id in ({})", sids)
    olds["claims"] = _select(conn, rows["claims"], "source_id in ({})", sids)
    for chunk in _batches(sorted(companies)):
        olds["claims"].update(_select_funding(conn, rows["claims"], chunk, fund))
    olds["rounds"] = _select(conn, rows["rounds"], "company_id in ({})", sorted(companies))
    old_rounds = sorted(k[0] for k in olds["rounds"])
    for name in ("round_investors", "term_history"):
        olds[name] = _select(conn, rows[name], "round_id in ({})", old_rounds)
    claim_ids = sorted(k[0] for k in olds["claims"])
    conflict_ids: set[str] = set()
    for chunk in _batches(claim_ids):
        marks = ",".join("?" * len(chunk))
        conflict_ids.update(r[0] for r in conn.execute(
            f"select conflict_id from conflict_claims where claim_id in ({marks})", chunk))
    for name in ("conflicts", "conflict_claims"):
        olds[name] = _select(conn, rows[name], "conflict_id in ({})", sorted(conflict_ids))
    for name in package.CHUNKED:
        changes[name] = _diff(rows[name], olds[name], new_cells[name])

    file_states = {x.path.name: file_state(x.path, x.key, x.article, x.ex, stats[x.index])
                   for x in new}
    return _Plan(changes, entity_lines, file_states, publications, alias_of_publisher)


def _publications(registry, files, discovered_now, old_entities, new_entity, gone_entity):
    """The publications and the alias → publication map as `Assembler.finish` makes them:
    registry entities first, then discovered ones in the order articles first name them."""
    order = list(registry.entities)
    seen = set(order)
    for p in files:
        for eid in discovered_now.get(p.name, ()):
            if eid not in seen:
                seen.add(eid)
                order.append(eid)
    publications = []
    alias_of_publisher: dict[str, str] = {}
    for eid in order:
        if eid in gone_entity:
            continue
        if eid in registry.entities:
            e = registry.entities[eid]
            kind, names = e.type, (e.name, *e.aliases)
        elif eid in new_entity:
            e = new_entity[eid]
            kind, names = e.type, (e.name, *e.aliases)  # type: ignore[attr-defined]
        elif (eid,) in old_entities:
            v = old_entities[(eid,)]
            kind, names = v[2], (v[1], *json.loads(v[3] or "[]"))
        else:
            continue
        if kind == "publication":
            publications.append(eid)
            for n in names:
                alias_of_publisher.setdefault(n.lower(), eid)
    return frozenset(publications), alias_of_publisher


def _select_funding(conn, rows: _Rows, companies: list[str], fund: list[str]) -> dict:
    cols = ",".join(f"[{n}]" for n in rows.names)
    sql = (f"select {cols} from claims where subject_id in ({','.join('?' * len(companies))}) "
           f"and predicate in ({','.join('?' * len(fund))})")
    out = {}
    if companies:
        for values in conn.execute(sql, [*companies, *fund]):
            out[(str(values[0]),)] = tuple(values)
    return out


@dataclass(frozen=True)
class _Named:
    name: str
    type: str


def _check_round_ids(conn: sqlite3.Connection, companies: set[str]) -> None:
    """Round ids start with the company id; two companies whose ids are one the other plus
    "-…" could compete for an id, and a clean build would settle it in company order. Rare:
    such companies are left to the full build."""
    import bisect

    others = sorted(r[0] for r in conn.execute("select distinct company_id from rounds"))
    have = set(others)
    for c in companies:
        for pos, ch in enumerate(c):
            if ch == "-" and c[:pos] in have:
                raise Fallback(f"company ids {c[:pos]} and {c} overlap")
        j = bisect.bisect_left(others, c + "-")
        if j < len(others) and others[j].startswith(c + "-"):
            raise Fallback(f"company ids {c} and {others[j]} overlap")


# ---------------------------------------------------------------------------------------------
def _write(plan: _Plan, state: State, out_dir: Path, spath: Path, files, stats, index,
           timings: dict, t0: float) -> dict[str, int]:
    from .pipeline import _swap

    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.staging-", dir=out_dir.parent))
    db_path = out_dir / DB_NAME
    try:
        layouts: dict[str, chunks.Layout] = {}
        for name in _members():
            table = name.removesuffix(".csv")
            change = plan.changes.get(table)
            old_layout = state.layouts[name]
            if not change:
                _link(out_dir / name, staging / name)
                layouts[name] = old_layout
                continue
            with open(out_dir / name, "rb") as fh:
                header = fh.read(old_layout.header)
            if table not in package.CHUNKED:  # small: written whole
                with open(staging / name, "wb") as fh:
                    fh.write(header)
                    fh.write("".join(line for _, line in plan.entity_lines).encode("utf-8"))
                layouts[name] = chunks.whole_layout(staging / name)
                continue
            lines: dict[tuple[str, ...], str | None] = dict.fromkeys(change.deletes)
            lines.update({k: line for k, (_, line) in change.upserts.items()})
            width = len(schema.resource(table).primary_key)
            pieces = chunks.splice(out_dir / name, old_layout, width, lines)
            layouts[name] = chunks.write_pieces(out_dir / name, staging / name, header, pieces)
        _check_rows(plan, staging)
        write_metadata(staging)
        zipped = package.write_zip(staging, ZIP_NAME, layouts, old_zip=out_dir / ZIP_NAME)
        if zipped is None:
            raise Fallback("the package outgrew a plain zip")
        timings["package"] = time.perf_counter() - t0 - sum(timings.values())

        in_place = not in_use(db_path)
        target = db_path if in_place else staging / DB_NAME
        if not in_place:
            shutil.copyfile(db_path, target)
        counts, inspect = _patch(target, plan.changes, out_dir)
        if in_place:
            _link(db_path, staging / DB_NAME)
        (staging / "inspect.json").write_text(json.dumps(inspect, indent=2) + "\n")
        timings["load"] = time.perf_counter() - t0 - sum(timings.values())
        staging.chmod(0o755)
        _swap(staging, out_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    by_name = {f.name: f for f in state.files}
    states = []
    for p in files:
        f = plan.file_states.get(p.name) or by_name[p.name]
        f.stat = stats[index[p.name]]
        states.append(f)
    state.files = states
    state.layouts = zipped
    state.publications, state.alias_of_publisher = plan.publications, plan.alias_of_publisher
    state.db = _db_stat(out_dir / DB_NAME)
    save_state(spath, state)
    return {r.name: counts[r.name] for r in schema.resources()}


def _link(src: Path, dst: Path) -> None:
    """Unchanged files are shared with the previous output (copied where links fail)."""
    try:
        os.link(src, dst)
    except OSError:
        shutil.copyfile(src, dst)


def _check_rows(plan: _Plan, staging: Path) -> None:
    """The changed rows through fastvalidate (types, constraints, keys among themselves);
    foreign keys are checked against the database in `_patch`."""
    from .fastvalidate import check_package, format_errors

    folder = Path(tempfile.mkdtemp(prefix=".check-", dir=staging))
    try:
        desc = schema.descriptor()
        for r in desc["resources"]:
            r["schema"].pop("foreignKeys", None)
            rows = _Rows(r["name"])
            change = plan.changes.get(r["name"])
            with open(folder / r["path"], "w", encoding="utf-8", newline="") as fh:
                fh.write(rows.line.row(rows.names))
                if change:
                    for _, (_, line) in sorted(change.upserts.items()):
                        fh.write(line)
        (folder / "datapackage.json").write_text(json.dumps(desc), encoding="utf-8")
        errors = check_package(folder)
        if errors:
            raise ValidationFailed(format_errors(errors))
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _patch(db: Path, changes: dict[str, _Change], out_dir: Path) -> tuple[dict, dict]:
    """Apply the changes in one transaction; foreign keys of the changed rows are checked
    before it commits (a failure rolls everything back). Returns `_inspect`'s counts and
    data."""
    from .load import FTS

    conn = sqlite3.connect(db, isolation_level=None)
    try:
        conn.execute("BEGIN IMMEDIATE")
        try:
            for name, change in changes.items():
                if not change:
                    continue
                rows = _Rows(name)
                where = " and ".join(f"[{k}] = ?" for k in rows.resource.primary_key)
                keys = [*change.deletes, *change.upserts]
                if name in FTS:
                    cols = ",".join(f"[{c}]" for c in FTS[name])
                    conn.executemany(
                        f"insert into [{name}_fts]([{name}_fts], rowid, {cols}) "
                        f"select 'delete', rowid, {cols} from [{name}] where {where}", keys)
                conn.executemany(f"delete from [{name}] where {where}", keys)
                names = ",".join(f"[{n}]" for n in rows.names)
                marks = ",".join("?" * len(rows.names))
                conn.executemany(f"insert into [{name}] ({names}) values ({marks})",
                                 [values for values, _ in change.upserts.values()])
                if name in FTS:
                    conn.executemany(
                        f"insert into [{name}_fts](rowid, {cols}) "
                        f"select rowid, {cols} from [{name}] where {where}", list(change.upserts))
            _check_foreign_keys(conn, changes)
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
    finally:
        conn.close()
    return _inspect(db, out_dir, changes)


def _check_foreign_keys(conn: sqlite3.Connection, changes: dict[str, _Change]) -> None:
    for r in schema.resources():
        for fk in r.foreign_keys:
            col, parent, pcol = fk["fields"][0], fk["reference"]["resource"], \
                fk["reference"]["fields"][0]
            i = r.field_names.index(col)
            change = changes.get(r.name)
            wanted = sorted({v[i] for v, _ in change.upserts.values() if v[i] is not None}) \
                if change else []
            for chunk in _batches(wanted):
                if not chunk:
                    continue
                marks = ",".join("?" * len(chunk))
                found = {x[0] for x in conn.execute(
                    f"select [{pcol}] from [{parent}] where [{pcol}] in ({marks})", chunk)}
                if len(found) != len(chunk):
                    missing = sorted(set(chunk) - found)[:3]
                    raise Fallback(f"{r.name}.{col}: no {parent} {missing}")
            pchange = changes.get(parent)
            if not pchange:
                continue
            gone = [k[0] for k in pchange.deletes if k not in pchange.upserts]
            for value in gone:
                if conn.execute(f"select 1 from [{r.name}] where [{col}] = ? limit 1",
                                (value,)).fetchone():
                    raise Fallback(f"{r.name}.{col} still refers to {parent} {value}")


def _inspect(db: Path, out_dir: Path, changes: dict[str, _Change]) -> tuple[dict, dict]:
    """inspect.json's data as load.write_inspect writes it, and the counts: the schema tables'
    counts follow the changes, a full-text table has its content table's count, the rest is
    counted."""
    from datasette.inspect import inspect_hash

    before = json.loads((out_dir / "inspect.json").read_text())
    old = next(iter(before.values()))["tables"]
    tables = {r.name for r in schema.resources()}
    conn = sqlite3.connect(db)
    names = sorted(r[0] for r in conn.execute("select name from sqlite_master where type='table'"))
    counts: dict[str, int] = {}
    for n in names:
        if n in tables:
            change = changes.get(n) or _Change()
            counts[n] = old[n]["count"] - len(change.deletes) + change.inserted
    for n in names:
        if n in tables:
            continue
        if n.endswith("_fts") and n.removesuffix("_fts") in tables:
            counts[n] = counts[n.removesuffix("_fts")]
        else:
            counts[n] = conn.execute(f"select count(*) from [{n}]").fetchone()[0]
    conn.close()
    data = {
        db.stem: {
            "hash": inspect_hash(db),
            "size": db.stat().st_size,
            "file": str(out_dir / DB_NAME),
            "tables": {n: {"count": counts[n]} for n in names},
        }
    }
    return counts, data
