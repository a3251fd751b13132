"""The build: ingest → extract → synthesize → package → validate → load, written to a staging
folder beside the target and swapped in only when every step succeeded, so a failed build
leaves the previous output untouched.

Scale (issue 6):
- extraction runs per article in a process pool and is cached per article by content
  (`cache.ArticleCache`), so a rebuild re-extracts only new or edited articles;
- the build streams: each worker reads a range of files (from the cache, else extracting
  them) into an `tables.Assembler` of its own, which keeps only compact per-claim records for
  synthesis and spills the article's rows, rendered to CSV cells, to sorted runs on disk
  (`package.SpillTable`) in a scratch folder beside the output; the build merges the workers'
  parts in file order (`Assembler.merge`: the same state as reading every article here), and
  the synthesized rows are spilled the same way; each CSV is then merged from its runs in
  primary-key order;
- the built package is checked with `fastvalidate` (same checks as frictionless, which stays
  the reference validator of `roundtrace validate` and the CI tests); on a big package the
  check, the zip and the load run at once, and the process that writes claims.csv goes on to
  build the claims table's database, which the load copies in (`_Aside`, `load.build_aside`);
- after a few changed articles, `delta` updates the previous output instead (same package
  bytes, same database rows), using the state a full build leaves beside the cache.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from . import cache as cachelib
from . import delta, fx, package, schema
from .curation import load_rounds
from .errors import InputError, ValidationFailed
from .extract import extract
from .ingest import list_article_files, parse_article
from .load import load_package, write_inspect
from .paths import DB_NAME, ENTITIES_FILE
from .registry import Registry
from .site import ZIP_NAME, write_metadata
from .tables import LATE_COLUMNS, Assembler, render_article

SPILLED = package.CHUNKED
# Below this many articles to extract, a process pool costs more than it saves.
POOL_MIN = 48
# From this package size on, validation runs in its own process while the load runs here.
PARALLEL_CHECK_BYTES = 64 * 2**20
_DEFAULT = object()


@dataclass
class BuildResult:
    out: Path
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    extracted: int = 0
    cached: int = 0
    timings: dict[str, float] = field(default_factory=dict)
    layouts: dict | None = None  # the zip's chunk layouts (`chunks`), for the next build
    incremental: bool = False  # updated from the previous output (`delta`)


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
# extraction (in worker processes)
_WORKER: tuple[Registry, cachelib.ArticleCache] | None = None


def _compute(path: Path, registry: Registry, data: bytes | None = None) -> tuple:
    """(article, extraction, rendered rows) of one file (`data`: its bytes, if read)."""
    article = parse_article(path.read_bytes() if data is None else data, path, str(path))
    ex = extract(article, registry)
    return article, ex, render_article(article, ex)


def _work(batch: list[tuple[int, str, str]]) -> list[tuple[int, tuple | None]]:
    """Extracts a batch of tasks into the cache, its records written as one pack: (file index,
    InputError parts or None) of each."""
    assert _WORKER is not None
    registry, store = _WORKER
    out: list[tuple[int, tuple | None]] = []
    for i, path, key in batch:
        try:
            record = cachelib.to_record(*_compute(Path(path), registry))
        except InputError as exc:  # not picklable as such: send its parts
            out.append((i, (exc.path, exc.message, exc.line)))
            continue
        store.put(key, record)
        out.append((i, None))
    store.flush()
    return out


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


def _fork_pool(jobs: int, registry: Registry, store: cachelib.ArticleCache,
               initializer: Callable, initargs: tuple = ()) -> multiprocessing.pool.Pool:
    """A pool of forked workers that inherit, ready-made, what every one of them needs."""
    registry.find("warm up")  # build the automaton once, before forking
    fx._get_converter()  # and the exchange rates (the synthesis needs them here too)
    store.index()  # and the cache's index
    # what the workers inherit is never theirs to collect: frozen, their GC skips it (and
    # leaves its pages shared)
    gc.freeze()
    try:
        return multiprocessing.get_context("fork").Pool(jobs, initializer, initargs)
    finally:
        gc.unfreeze()


def _extract_missing(
    tasks: list[tuple[int, str, str]],
    registry: Registry,
    store: cachelib.ArticleCache,
    jobs: int,
    tick: Callable[[int], None],
) -> dict[int, tuple]:
    """Extract every task into the cache, in a process pool when it pays; returns {file
    index: InputError parts} for failures."""
    global _WORKER
    _WORKER = (registry, store)
    errors: dict[int, tuple] = {}
    pool = None
    try:
        parallel = jobs > 1 and len(tasks) >= POOL_MIN
        size = max(1, min(64, len(tasks) // (jobs * 16))) if parallel else 16
        batches = [tasks[k : k + size] for k in range(0, len(tasks), size)]
        if parallel:
            # (the workers collect their garbage even while the reading here pauses its GC)
            pool = _fork_pool(jobs, registry, store, gc.enable)
            results = pool.imap_unordered(_work, batches)
        else:
            results = map(_work, batches)  # lazily, a batch at a time, here
        for done in results:
            for i, err in done:
                if err:
                    errors[i] = err
            tick(len(done))
    finally:
        _WORKER = None
        if pool is not None:
            pool.terminate()
            pool.join()
    return errors


# ---------------------------------------------------------------------------------------------
# reading (the full build): workers read, extract and assemble contiguous ranges of files
PART_MAX = 1000  # articles in a range at most (each range is one run file of every table)


@dataclass
class _Range:
    """What reading files [start, …) gave, beside the rows it added to its Assembler."""

    start: int
    checks: list[tuple[str, str, str]] = field(default_factory=list)  # url, body hash, id
    states: list = field(default_factory=list)  # delta.FileState of each (kept state only)
    extracted: int = 0
    error: tuple | None = None  # InputError parts of the file after the last one read
    part: object = None  # tables.AssemblyPart, from a worker


@dataclass
class _Reader:
    files: list[Path]
    registry: Registry
    store: cachelib.ArticleCache
    asm: Assembler | None
    keep_state: bool


_READER: _Reader | None = None


def _read(reader: _Reader, start: int, stop: int) -> _Range:
    """Files [start, stop) into the reader's Assembler: each from the cache, else parsed,
    extracted and cached; stops at the first bad file."""
    store, registry, asm = reader.store, reader.registry, reader.asm
    assert asm is not None
    out = _Range(start)
    for i in range(start, stop):
        path = reader.files[i]
        stat = delta._stat(path) if reader.keep_state else None
        data = path.read_bytes()
        key = store.key(path.name, data)
        record = store.get(key)
        try:
            if record is None:
                article, ex, rendered = _compute(path, registry, data)
                store.put(key, cachelib.to_record(article, ex, rendered))
                out.extracted += 1
            else:
                article, ex, rendered = cachelib.from_record(record, path)
        except InputError as exc:  # not picklable as such: send its parts
            out.error = (exc.path, exc.message, exc.line)
            break
        out.checks.append((article.url, article.body_sha256, article.source_id))
        asm.add(article, ex, rendered)
        if reader.keep_state:
            out.states.append(delta.file_state(path, key, article, ex, stat))
    store.flush()  # the range's new records, as one pack
    return out


def _read_part(span: tuple[int, int]) -> _Range:
    assert _READER is not None and _READER.asm is not None
    out = _read(_READER, *span)
    out.part = _READER.asm.take_part()
    return out


def _start_reader(reader: _Reader, sink: Callable[[str], object]) -> None:
    """Pool initializer: the worker's own Assembler, spilling to the build's scratch folder."""
    global _READER
    gc.enable()  # the workers collect their garbage even while the reading here pauses its GC
    _READER = _Reader(reader.files, reader.registry, reader.store,
                      Assembler(reader.registry, sink=sink), reader.keep_state)


def _ranges(n: int, jobs: int) -> list[tuple[int, int]]:
    """Contiguous ranges of n files: up to PART_MAX, shrinking towards the end so that the
    workers finish together."""
    out, start = [], 0
    while start < n:
        stop = min(n, start + max(16, min(PART_MAX, (n - start) // (jobs * 4))))
        out.append((start, stop))
        start = stop
    return out


def _read_all(
    reader: _Reader, sink: Callable[[str], object], jobs: int, tick: Callable[[int], None]
) -> Iterator[_Range]:
    """Every file, in file order: read in a process pool when it pays (its parts to be merged
    into `reader.asm`), else here into `reader.asm` itself."""
    n = len(reader.files)
    if jobs <= 1 or n < POOL_MIN:
        for span in _ranges(n, 1):
            yield _read(reader, *span)
            tick(span[1] - span[0])
        return
    template = _Reader(reader.files, reader.registry, reader.store, None, reader.keep_state)
    pool = _fork_pool(jobs, reader.registry, reader.store, _start_reader, (template, sink))
    try:
        for got in pool.imap(_read_part, _ranges(n, jobs)):
            yield got
            tick(len(got.checks) + (got.error is not None))
    finally:
        pool.terminate()
        pool.join()


# ---------------------------------------------------------------------------------------------
def build(
    articles_dir: Path,
    out_dir: Path,
    entities_file: Path = ENTITIES_FILE,
    progress: bool = True,
    cache_dir: Path | None | object = _DEFAULT,
    jobs: int | None = None,
    incremental: bool = True,
) -> BuildResult:
    """`cache_dir`: default `cache.default_dir(out_dir)`; None = no persistent cache.
    `incremental`: update the previous output in place of a full build when few articles
    changed (`delta`; also off with ROUNDTRACE_INCREMENTAL=off)."""
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
        result = None
        if incremental and scratch is None and os.environ.get("ROUNDTRACE_INCREMENTAL") != "off":
            result = _update(files, entities_file, registry, curated_rounds, store, out_dir,
                             progress, jobs)
        if result is None:
            result = _build(files, registry, curated_rounds, store, out_dir, progress, jobs, t0,
                            entities_file if scratch is None else None)
    finally:
        if scratch:
            shutil.rmtree(scratch, ignore_errors=True)
    result.seconds = time.perf_counter() - t0
    return result


def _update(
    files: list[Path],
    entities_file: Path,
    registry: Registry,
    curated_rounds: list,
    store: cachelib.ArticleCache,
    out_dir: Path,
    progress: bool,
    jobs: int | None,
) -> BuildResult | None:
    """The incremental build (`delta`) when the previous build's state allows it, else None."""

    def extract_missing(tasks: list) -> dict:
        njobs = min(_jobs(jobs), max(1, len(tasks)))
        return _extract_missing(tasks, registry, store, njobs, _progress(len(tasks), progress))

    try:
        done = delta.update(files, entities_file, registry, curated_rounds, store, out_dir,
                            extract_missing, log if progress else lambda msg: None)
    except delta.Fallback as why:
        if progress:
            log(f"full build: {why}")
        return None
    if progress:
        log(f"incremental build: {done['extracted']} article(s) extracted, the rest reused")
    return BuildResult(out_dir.resolve(), done["counts"], extracted=done["extracted"],
                       cached=done["cached"], timings=done["timings"], incremental=True)


def _build(
    files: list[Path],
    registry: Registry,
    curated_rounds: list,
    store: cachelib.ArticleCache,
    out_dir: Path,
    progress: bool,
    jobs: int | None,
    t0: float,
    entities_file: Path | None = None,
) -> BuildResult:
    """The full build; with `entities_file`, it leaves the state an incremental build needs
    (`delta.State`) beside the cache."""
    timings: dict[str, float] = {}
    njobs = _jobs(jobs) if len(files) >= POOL_MIN else 1
    if progress:
        log(f"reading {len(files)} articles with {njobs} process(es), extracting those not in "
            "the cache")
    tick = _progress(len(files), progress)

    out_dir = out_dir.resolve()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.scratch-", dir=out_dir.parent))
    try:
        def sink(name: str) -> object:
            if name not in SPILLED:
                return []
            return package.SpillTable(name, scratch, late=LATE_COLUMNS.get(name, ()))

        asm = Assembler(registry, curated_rounds, sink=sink)
        # Reading and synthesis allocate millions of small objects and free almost none; the
        # cyclic GC would re-scan all of them again and again (minutes at 100k articles).
        # Nothing here makes reference cycles, so it is paused until the rows are on disk.
        gc.disable()
        seen_url: dict[str, int] = {}
        seen_body: dict[str, int] = {}
        seen_id: dict[str, int] = {}
        file_states: list = []
        extracted = 0
        reader = _Reader(files, registry, store, asm, entities_file is not None)
        for got in _read_all(reader, sink, njobs, tick):
            for i, check in enumerate(got.checks, got.start):
                for k, seen, what in zip(check, (seen_url, seen_body, seen_id),
                                         ("url", "body", "source id"), strict=True):
                    if k in seen:
                        raise InputError(files[i],
                                         f"duplicate article: same {what} as {files[seen[k]]}", 1)
                    seen[k] = i
            if got.error is not None:
                raise InputError(*got.error)
            if got.part is not None:
                asm.merge(got.part)  # type: ignore[arg-type]
            file_states.extend(got.states)
            extracted += got.extracted
            del got
        if progress:
            log(f"{extracted} article(s) extracted, {len(files) - extracted} from the cache")
        del seen_url, seen_body, seen_id
        timings["extract+read"] = time.perf_counter() - t0
        tables = asm.finish()
        publications, alias_of_publisher = asm.publications, asm.alias_of_publisher
        del asm
        timings["assemble"] = time.perf_counter() - t0 - sum(timings.values())
        gc.enable()
        state = None
        if entities_file is not None and store.root is not None:
            spath = delta.state_path(store.root, out_dir)
            spath.unlink(missing_ok=True)  # the output is about to change
            state = delta.State(delta.fingerprint(entities_file), (0, 0, 0), file_states, {},
                                publications, alias_of_publisher)
        result = write_output(tables, out_dir, timings=timings)
        if state is not None and result.layouts is not None:
            state.layouts = result.layouts
            state.db = delta._db_stat(out_dir / DB_NAME)
            delta.save_state(spath, state)
    finally:
        gc.enable()
        shutil.rmtree(scratch, ignore_errors=True)
    result.extracted = extracted
    result.cached = len(files) - extracted
    result.timings = timings
    return result


def write_output(
    tables: dict[str, object],
    out_dir: Path,
    timings: dict[str, float] | None = None,
) -> BuildResult:
    """Package, validate and load into a staging folder, then swap it in. `tables` maps each
    resource to its rows (a list, or a `package.SpillTable`) and is consumed as it is written,
    so the rows can be freed before validation and load."""
    timings = {} if timings is None else timings
    out_dir = out_dir.resolve()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.staging-", dir=out_dir.parent))
    aside = None
    try:
        t = time.perf_counter()
        counts: dict[str, int] = {}
        layouts: dict = {}
        aside = _Aside.start(tables, staging)
        for name in list(tables):
            rows = tables.pop(name)
            if isinstance(rows, package.SpillTable):
                counts[name] = rows.write(staging)
                layouts[f"{name}.csv"] = rows.layout
            else:
                counts[name] = package.write_table(staging, name, rows)  # type: ignore[arg-type]
            del rows
        prebuilt = None  # the claims database the aside process builds
        if aside is not None:
            name, count, layout = aside.written()
            counts[name], layouts[f"{name}.csv"] = count, layout
            prebuilt = aside.database if aside.building else None
        counts = {r.name: counts[r.name] for r in schema.resources() if r.name in counts}
        package.write_descriptor(staging)
        _release_memory()  # the rows are on disk now: hand the freed heap back to the OS
        timings["package"] = time.perf_counter() - t
        big = sum(f.stat().st_size for f in staging.glob("*.csv")) >= PARALLEL_CHECK_BYTES
        if not big:
            t = time.perf_counter()
            _check_and_load(staging, prebuilt)
            timings["validate+load"] = time.perf_counter() - t
            t = time.perf_counter()
            write_metadata(staging)
            zipped = package.write_zip(staging, ZIP_NAME, layouts)
            write_inspect(staging / DB_NAME, out_dir / DB_NAME)
            timings["zip+inspect"] = time.perf_counter() - t
        else:
            zipped = _check_and_load_in_parallel(
                staging, out_dir, timings, layouts, prebuilt,
                aside.ready if prebuilt is not None and aside is not None else None,
            )
        staging.chmod(0o755)
        _swap(staging, out_dir)
    except BaseException:
        if aside is not None:
            aside.stop()
        shutil.rmtree(staging, ignore_errors=True)
        raise
    result = BuildResult(out_dir, counts)
    result.layouts = zipped
    return result


# From this many rows on, the biggest table is written by a forked process beside the others.
ASIDE_ROWS = 200_000


class _Aside:
    """The biggest spilled table, written by a forked process while the caller writes the rest
    (the merge and rendering of each table is independent). When it is a big claims table
    (`load.SPLIT_BYTES`), that process goes on to build its database (`load.build_aside`)
    while the caller writes the other tables and starts validation and load. (Two answers from
    one process — the CSV, later the database — so not `forked.start`.)"""

    def __init__(self, name: str, rows: package.SpillTable, staging: Path):
        self.name, self._rows, self._staging = name, rows, staging
        self.building = False  # the claims database is being built
        ctx = multiprocessing.get_context("fork")
        self._receive, send = ctx.Pipe(duplex=False)
        self._proc = ctx.Process(target=self._child, args=(send, staging),
                                 name=f"roundtrace-write-{name}")
        self._proc.start()
        send.close()

    @classmethod
    def start(cls, tables: dict, staging: Path) -> _Aside | None:
        """Takes a big spilled table out of `tables`: the claims table (the costliest to write:
        the most bytes, a late column; and its database can follow), else the biggest."""
        from .load import SPLIT_TABLE

        count = {name: rows.count for name, rows in tables.items()
                 if isinstance(rows, package.SpillTable) and rows.count >= ASIDE_ROWS}
        if not count:
            return None
        name = SPLIT_TABLE if SPLIT_TABLE in count else max(sorted(count), key=count.__getitem__)
        return cls(name, tables.pop(name), staging)

    def _child(self, send, staging: Path) -> None:
        from . import load

        try:
            count = self._rows.write(staging)
            more = (self.name == load.SPLIT_TABLE
                    and (staging / f"{self.name}.csv").stat().st_size >= load.SPLIT_BYTES)
            send.send(("ok", count, self._rows.layout, more))
        except BaseException as exc:  # noqa: BLE001 - reported in the parent
            send.send(("error", repr(exc), None, False))
            return
        if more:
            try:
                load.build_aside(staging, staging / DB_NAME)
                send.send(None)
            except BaseException as exc:  # noqa: BLE001 - raised again in the parent
                send.send(exc if isinstance(exc, RuntimeError) else RuntimeError(repr(exc)))

    def written(self) -> tuple[str, int, object]:
        """Waits for the CSV: (name, row count, chunk layout)."""
        try:
            status, value, layout, self.building = self._receive.recv()
        except EOFError:
            status, value, layout = "error", "the writing process died", None
        self._rows.discard()
        if status != "ok":
            self.stop()
            raise RuntimeError(f"writing {self.name}.csv failed: {value}")
        if not self.building:
            self._proc.join()
        return self.name, value, layout

    def database(self) -> Path:
        """Waits for the claims database `load.load_package(aside=…)` copies in."""
        from . import load

        try:
            error = self._receive.recv()
        except EOFError:
            error = RuntimeError(f"loading {self.name} failed: its process died")
        self._proc.join()
        if error is not None:
            raise error
        return load.aside_path(self._staging / DB_NAME)

    def ready(self) -> bool:
        """Whether the claims database is built (its answer waits in the pipe)."""
        return self._receive.poll()

    def stop(self) -> None:
        if self._proc.is_alive():
            self._proc.kill()
        self._proc.join()


def _check_and_load_in_parallel(
    staging: Path, out_dir: Path, timings: dict, layouts: dict | None = None,
    prebuilt: Callable[[], Path] | None = None, prebuilt_ready: Callable[[], bool] | None = None,
) -> dict | None:
    """Big packages: validate in a fresh Python process and load here, at once on separate
    cores, and zip in a thread (zlib works outside the GIL); the output is swapped in only if
    the package is valid (a validation error is reported first, as in the sequential order).
    The zip waits for a free core: until the validation, the process building the claims
    table (`prebuilt_ready`) or this one's own tables are done. Started with the load it only
    took a share of two busy cores, and the load's end — statistics, copying the claims table
    in, the inspect hash — then ran on one core while the other idled."""
    import json
    import subprocess
    import threading

    t = time.perf_counter()
    zip_error: list[BaseException] = []
    zipped: list = []
    here = str(Path(__file__).resolve().parents[1])  # the folder holding `roundtrace`
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [here, *filter(None, [os.environ.get("PYTHONPATH")])]
    )}
    check = subprocess.Popen(
        [sys.executable, "-c", "from roundtrace.pipeline import _validation_main; "
         "_validation_main()", str(staging)],
        stdout=subprocess.PIPE,
        env=env,
    )
    free = threading.Event()  # this process's tables are loaded (or the load failed)
    failed: list[bool] = []

    def zip_it() -> None:
        while not (free.wait(0.1) or check.poll() is not None
                   or (prebuilt_ready is not None and prebuilt_ready())):
            pass
        if failed:
            return  # no output comes of it
        try:
            zipped.append(package.write_zip(staging, ZIP_NAME, layouts))
        except BaseException as exc:  # noqa: BLE001 - re-raised below
            zip_error.append(exc)

    zipper = threading.Thread(target=zip_it, name="roundtrace-zip")
    zipper.start()
    load_error: BaseException | None = None
    done = False
    try:
        load_package(staging, staging / DB_NAME, aside=prebuilt, loaded=free.set)
        write_metadata(staging)
        write_inspect(staging / DB_NAME, out_dir / DB_NAME)
        done = True
    except Exception as exc:  # noqa: BLE001 - a validation error takes precedence
        load_error = exc
    finally:
        if not done:
            failed.append(True)  # (before `free`: the zip thread reads it after the wait)
        free.set()
    timings["load"] = time.perf_counter() - t
    zipper.join()
    out, _ = check.communicate()
    timings["validate"] = time.perf_counter() - t
    if check.returncode != 0:
        raise RuntimeError(f"validation process failed (exit {check.returncode})")
    errors = json.loads(out)
    if errors:
        raise ValidationFailed(errors)
    if load_error is not None:
        raise load_error
    if zip_error:
        raise zip_error[0]
    return zipped[0]


def _validation_main() -> None:
    """Entry point of the validation process: prints the error lines as JSON."""
    import json

    try:
        _validate(Path(sys.argv[1]))
        errors: list[str] = []
    except ValidationFailed as exc:
        errors = list(exc.errors)
    except InputError as exc:
        errors = [str(exc)]
    print(json.dumps(errors))


def _release_memory() -> None:
    """Return freed heap pages to the OS (glibc keeps them otherwise), so the validation and
    load that follow start from the build's live data, not from its high-water mark."""
    import ctypes

    gc.collect()
    with contextlib.suppress(OSError, AttributeError):  # not glibc: nothing to do
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def _check_and_load(staging: Path, prebuilt: Callable[[], Path] | None) -> None:
    """On one core: fastvalidate's clean pass loading the rows it vouches for (each CSV read
    once); when it cannot vouch for the package, the exact check reports the errors, or finds
    none and the package loads as usual. With ROUNDTRACE_VALIDATOR=frictionless the reference
    validates first, then the package loads."""
    from .load import load_checked

    db = staging / DB_NAME
    fast = os.environ.get("ROUNDTRACE_VALIDATOR") != "frictionless"
    if fast and prebuilt is None and load_checked(staging, db):
        return
    _validate(staging)
    load_package(staging, db, aside=prebuilt)


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
