"""The build: ingest → extract → synthesize → package → validate → load, written to a staging
folder beside the target and swapped in only when every step succeeded, so a failed build
leaves the previous output untouched.

Scale (issue 6):
- extraction runs per article in a process pool and is cached per article by content
  (`cache.ArticleCache`), so a rebuild re-extracts only new or edited articles;
- the build streams: extraction results live on disk (the cache), and what `tables.assemble`
  receives is kept small — article bodies are cut to their opening (the full text is streamed
  back from the cache when `sources.csv` is written) and claims/mentions are compact slotted
  objects whose `vars()` is a live read-only view instead of a 36-entry dict;
- the built package is checked with `fastvalidate` (same checks as frictionless, which stays
  the reference validator of `roundtrace validate` and the CI tests).
"""

from __future__ import annotations

import dataclasses
import multiprocessing
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from . import cache as cachelib
from . import package
from .curation import load_rounds
from .errors import InputError
from .extract import Citation, Claim, Extraction, Mention, extract
from .ingest import Article, list_article_files, parse_article
from .load import load_package, write_inspect
from .paths import DB_NAME, ENTITIES_FILE
from .registry import Entity, Registry
from .site import write_metadata, write_zip
from .tables import assemble

# Article bodies handed to `assemble` are cut to this many code points (labels use the opening);
# `sources.text` / `sources.char_count` are restored from the cache when the CSV is written.
LIGHT_BODY = 1024
# Below this many articles to extract, a process pool costs more than it saves.
POOL_MIN = 48
_DEFAULT = object()


@dataclass
class BuildResult:
    out: Path
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    extracted: int = 0
    cached: int = 0
    timings: dict[str, float] = field(default_factory=dict)


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def _progress(total: int, enabled: bool) -> Callable[[int], None]:
    """A progress bar on a terminal; a few count lines in logs."""
    if not enabled or total == 0:
        return lambda n: None
    if sys.stderr.isatty():
        from tqdm import tqdm

        bar = tqdm(total=total, unit="article", file=sys.stderr, leave=False)

        def tick_bar(n: int) -> None:
            bar.update(n)
            if bar.n >= total:
                bar.close()

        return tick_bar
    step = max(1, total // 10)
    seen = [0]

    def tick(n: int) -> None:
        before = seen[0]
        seen[0] += n
        if seen[0] // step != before // step or seen[0] == total:
            log(f"extracted {seen[0]}/{total} articles")

    return tick


# ---------------------------------------------------------------------------------------------
# compact stand-ins for the extraction records handed to `assemble`
class _View(Mapping):
    """`vars(obj)` of a slotted record: a live, read-only mapping of its fields."""

    __slots__ = ("_obj",)

    def __init__(self, obj: object):
        self._obj = obj

    def __getitem__(self, key: str) -> object:
        if key not in self._obj._fields:  # type: ignore[attr-defined]
            raise KeyError(key)
        return getattr(self._obj, key)

    def __iter__(self) -> Iterator[str]:
        return iter(self._obj._fields)  # type: ignore[attr-defined]

    def __len__(self) -> int:
        return len(self._obj._fields)  # type: ignore[attr-defined]

    def values_of(self, names: list[str]) -> list:
        """All values at once (package.TableWriter's fast path); None for unknown names."""
        obj = self._obj
        return [getattr(obj, n, None) for n in names]


def _slim(cls: type) -> type:
    """A slotted twin of dataclass `cls`: same fields, positional constructor, ~6× smaller (a
    36-field dataclass instance carries a 1.6 kB dict: too many keys for a shared-key dict)."""
    names = tuple(f.name for f in dataclasses.fields(cls))
    args = ", ".join(names)
    body = "\n".join(f"    self.{n} = {n}" for n in names) or "    pass"
    ns: dict = {}
    exec(f"def __init__(self, {args}):\n{body}", ns)  # noqa: S102 - generated from field names

    def __repr__(self: object) -> str:
        return f"{cls.__name__}({', '.join(f'{n}={getattr(self, n)!r}' for n in names)})"

    def __eq__(self: object, other: object) -> bool:
        return type(other) is type(self) and all(
            getattr(self, n) == getattr(other, n) for n in names
        )

    return type(
        f"Slim{cls.__name__}",
        (),
        {
            "__slots__": names,
            "_fields": frozenset(names),
            "__init__": ns["__init__"],
            "__repr__": __repr__,
            "__eq__": __eq__,
            "__hash__": None,
            "__dict__": property(_View),
            "__match_args__": names,
        },
    )


SlimClaim = _slim(Claim)
SlimMention = _slim(Mention)


# ---------------------------------------------------------------------------------------------
# extraction (in worker processes)
_WORKER: tuple[Registry, cachelib.ArticleCache] | None = None


def _compute(path: Path, registry: Registry) -> tuple:
    article = parse_article(path.read_bytes(), path, str(path))
    return cachelib.to_record(article, extract(article, registry))


def _work(task: tuple[int, str, str]) -> tuple[int, tuple | None]:
    i, path, key = task
    assert _WORKER is not None
    registry, store = _WORKER
    try:
        record = _compute(Path(path), registry)
    except InputError as exc:  # not picklable as such: send its parts
        return i, (exc.path, exc.message, exc.line)
    store.put(key, record)
    return i, None


def _jobs(requested: int | None) -> int:
    if requested:
        return requested
    env = os.environ.get("ROUNDTRACE_JOBS")
    if env:
        return max(1, int(env))
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def _extract_missing(
    tasks: list[tuple[int, str, str]],
    registry: Registry,
    store: cachelib.ArticleCache,
    jobs: int,
    tick: Callable[[int], None],
) -> dict[int, tuple]:
    """Extract every task into the cache; returns {file index: InputError parts} for failures."""
    global _WORKER
    errors: dict[int, tuple] = {}
    _WORKER = (registry, store)
    try:
        if jobs > 1 and len(tasks) >= POOL_MIN:
            registry.find("warm up")  # build the automaton once, before forking
            ctx = multiprocessing.get_context("fork")
            chunk = max(1, min(64, len(tasks) // (jobs * 16)))
            with ctx.Pool(jobs) as pool:
                for i, err in pool.imap_unordered(_work, tasks, chunksize=chunk):
                    if err:
                        errors[i] = err
                    tick(1)
        else:
            for task in tasks:
                i, err = _work(task)
                if err:
                    errors[i] = err
                tick(1)
    finally:
        _WORKER = None
    return errors


# ---------------------------------------------------------------------------------------------
def build(
    articles_dir: Path,
    out_dir: Path,
    entities_file: Path = ENTITIES_FILE,
    progress: bool = True,
    cache_dir: Path | None | object = _DEFAULT,
    jobs: int | None = None,
) -> BuildResult:
    """`cache_dir`: default `cache.default_dir(out_dir)`; None = no persistent cache."""
    t0 = time.perf_counter()
    registry = Registry.load(entities_file)
    curated_rounds = load_rounds(entities_file.parent / "rounds.yml", registry)
    files = list_article_files(articles_dir)
    if not files:
        raise InputError(articles_dir, "no article files (*.md) found")
    root = cachelib.default_dir(out_dir) if cache_dir is _DEFAULT else cache_dir
    scratch = None
    if root is None:
        scratch = tempfile.mkdtemp(prefix="roundtrace-cache-")
        root = Path(scratch)
    try:
        store = cachelib.ArticleCache(Path(root), entities_file.read_bytes())  # type: ignore[arg-type]
        result = _build(files, registry, curated_rounds, store, out_dir, progress, jobs, t0)
    finally:
        if scratch:
            shutil.rmtree(scratch, ignore_errors=True)
    result.seconds = time.perf_counter() - t0
    return result


def _build(
    files: list[Path],
    registry: Registry,
    curated_rounds: list,
    store: cachelib.ArticleCache,
    out_dir: Path,
    progress: bool,
    jobs: int | None,
    t0: float,
) -> BuildResult:
    timings: dict[str, float] = {}
    keys = [store.key(p.name, p.read_bytes()) for p in files]
    tasks = [(i, str(p), k) for i, (p, k) in enumerate(zip(files, keys, strict=True))]
    tasks = [t for t in tasks if not store.has(t[2])]
    njobs = min(_jobs(jobs), max(1, len(tasks)))
    if progress and tasks:
        log(
            f"extracting {len(tasks)} of {len(files)} articles "
            f"({len(files) - len(tasks)} cached) with {njobs} process(es)"
        )
    errors = _extract_missing(tasks, registry, store, njobs, _progress(len(tasks), progress))
    timings["extract"] = time.perf_counter() - t0

    articles: list[Article] = []
    extractions: list[Extraction] = []
    key_of: dict[str, str] = {}
    seen_url: dict[str, str] = {}
    seen_body: dict[str, str] = {}
    seen_id: dict[str, str] = {}
    for i, path in enumerate(files):
        if i in errors:
            raise InputError(*errors[i])
        record = store.get(keys[i])
        if record is None:  # vanished or unreadable cache entry: recompute here
            record = _compute(path, registry)
            store.put(keys[i], record)
        art, mentions, citations, claims, discovered, focal = record
        for k, seen, what in (
            (art["url"], seen_url, "url"),
            (art["body_sha256"], seen_body, "body"),
            (art["source_id"], seen_id, "source id"),
        ):
            if k in seen:
                raise InputError(path, f"duplicate article: same {what} as {seen[k]}", 1)
            seen[k] = str(path)
        art["body"] = art["body"][:LIGHT_BODY]
        articles.append(Article(path=path, **art))
        key_of[art["source_id"]] = keys[i]
        extractions.append(
            Extraction(
                art["source_id"],
                [SlimMention(*m) for m in mentions],
                [Citation(*c) for c in citations],
                [SlimClaim(*c) for c in claims],
                [Entity(*e) for e in discovered],
                focal,
            )
        )
    timings["read"] = time.perf_counter() - t0 - sum(timings.values())
    tables = assemble(articles, extractions, registry, curated_rounds)
    del articles, extractions
    timings["assemble"] = time.perf_counter() - t0 - sum(timings.values())

    def full_text(sid: str) -> str | None:
        record = store.get(key_of[sid]) if sid in key_of else None
        return record[0]["body"] if record else None

    result = write_output(tables, out_dir, full_text, timings=timings)
    result.extracted = len(tasks)
    result.cached = len(files) - len(tasks)
    result.timings = timings
    return result


def _restore_text(
    rows: list[dict], full_text: Callable[[str], str | None]
) -> Iterator[Mapping]:
    """sources rows with the full article text (assemble saw only the opening)."""
    for row in rows:
        body = full_text(row["source_id"])
        if body is not None and row.get("text") == body[:LIGHT_BODY]:
            row = dict(row)
            if row.get("char_count") == len(body[:LIGHT_BODY]):
                row["char_count"] = len(body)
            row["text"] = body
        yield row


def write_output(
    tables: dict[str, list],
    out_dir: Path,
    full_text: Callable[[str], str | None] | None = None,
    timings: dict[str, float] | None = None,
) -> BuildResult:
    """Package, validate and load into a staging folder, then swap it in. `tables` is consumed
    (emptied) as it is written, so the rows can be freed before validation and load."""
    timings = {} if timings is None else timings
    out_dir = out_dir.resolve()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.staging-", dir=out_dir.parent))
    try:
        t = time.perf_counter()
        counts = {}
        for name in list(tables):
            rows = tables.pop(name)
            if name == "sources" and full_text is not None:
                counts[name] = package.write_table_sorted(
                    staging, name, _restore_text(package.sort_rows(name, rows), full_text)
                )
            else:
                counts[name] = package.write_table(staging, name, rows)
            del rows
        package.write_descriptor(staging)
        timings["package"] = time.perf_counter() - t
        t = time.perf_counter()
        _validate(staging)
        timings["validate"] = time.perf_counter() - t
        t = time.perf_counter()
        load_package(staging, staging / DB_NAME)
        write_metadata(staging)
        write_zip(staging)
        write_inspect(staging / DB_NAME, out_dir / DB_NAME)
        timings["load"] = time.perf_counter() - t
        staging.chmod(0o755)
        _swap(staging, out_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return BuildResult(out_dir, counts)


def _validate(folder: Path) -> None:
    """The build's check: fastvalidate; ROUNDTRACE_VALIDATOR=frictionless uses the reference."""
    if os.environ.get("ROUNDTRACE_VALIDATOR") == "frictionless":
        from .validate import validate_package
    else:
        from .fastvalidate import validate_package
    validate_package(folder)


def _swap(staging: Path, out_dir: Path) -> None:
    old = None
    if out_dir.exists():
        old = out_dir.with_name(f".{out_dir.name}.old-{os.getpid()}")
        os.replace(out_dir, old)
    os.replace(staging, out_dir)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
