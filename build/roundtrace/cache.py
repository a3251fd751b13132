"""Per-article extraction cache: a pickle per article, keyed by content, many to a pack file.

The key of an article is sha256 over: the file's name and bytes, the registry file's bytes, the
extractor version (`extract.EXTRACTOR`) and a hash of the source of every module extraction
depends on. Any change to one of those makes a new key, so a cached record is never stale;
old records are simply not looked up again (delete the folder to reclaim space).

Where: `<out>/../.roundtrace-cache/` by default (for `dist/` that is `./.roundtrace-cache/`,
git-ignored); `ROUNDTRACE_CACHE=/path` overrides it, `ROUNDTRACE_CACHE=off` disables it.

A record stores plain tuples (field values in dataclass order), not pickled dataclasses, so that
loading it is fast and the objects built from it are compact (see `pipeline`).
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import operator
import os
import pickle
import secrets
from collections.abc import Callable
from functools import cache
from importlib import metadata
from pathlib import Path

from . import extract
from .extract import Citation, Claim, Extraction, Mention
from .ingest import Article
from .paths import SCHEMA_DIR
from .registry import Entity

# Modules that only run after extraction. Every other module of the package is hashed into the
# key, so a new extraction module (like cues.py or discover.py) can never serve stale results.
# A record also holds the article's rendered rows (`tables.render_article`), so the modules that
# render them (tables, package, schema) and the Table Schemas are part of the key too.
DOWNSTREAM_MODULES = frozenset({
    "__init__", "__main__", "chunks", "cli", "curation", "delta", "docs", "errors", "evaluate",
    "fastvalidate", "forked", "load", "paths", "pipeline", "serve", "site", "synthesize",
    "validate",
})
# Third-party packages whose data or behaviour shows up in extraction results.
EXTRACTOR_PACKAGES = ("currencyconverter", "zhconv", "pyahocorasick", "pyyaml")
FORMAT = 2  # 2: records carry rendered rows


@cache
def code_hash() -> str:
    h = hashlib.sha256(f"format {FORMAT}\0{extract.EXTRACTOR}\0".encode())
    here = Path(__file__).resolve().parent
    for path in sorted(here.glob("*.py")):
        if path.stem not in DOWNSTREAM_MODULES:
            h.update(path.stem.encode() + b"\0" + path.read_bytes() + b"\0")
    for path in sorted(SCHEMA_DIR.glob("*.yaml")):
        h.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    for pkg in EXTRACTOR_PACKAGES:
        try:
            version = metadata.version(pkg)
        except metadata.PackageNotFoundError:
            version = "-"
        h.update(f"{pkg}=={version}\0".encode())
    return h.hexdigest()


def default_dir(out_dir: Path) -> Path | None:
    env = os.environ.get("ROUNDTRACE_CACHE")
    if env:
        return None if env.lower() in ("off", "0", "no", "false") else Path(env)
    return out_dir.resolve().parent / ".roundtrace-cache"


class ArticleCache:
    """Records are appended to pack files, many to a pack (creating a file costs this
    machine's file system ~0.2-0.5 ms of CPU, more than a record's write; 100k files were ~15
    CPU-s of a 100k build). `put` buffers; `flush` writes the buffered records as one pack and
    then its index (each written whole under a temporary name, then renamed: a reader never
    sees part of one, and concurrent builds write packs of their own names). The packs of one
    code and registry version live in a folder of their own (`version`), so a build reads only
    the indexes that can hit."""

    PACK_BYTES = 32 * 2**20  # `put` flushes by itself beyond this

    def __init__(self, root: Path | None, registry_bytes: bytes):
        self.root = root
        h = hashlib.sha256(code_hash().encode() + b"\0")
        h.update(hashlib.sha256(registry_bytes).digest())
        self.salt = h.digest()
        self.version = h.hexdigest()[:24]
        self._index: dict[str, tuple[str, int, int]] | None = None  # key → pack, offset, size
        self._indexes_read: set[str] = set()
        self._pending: dict[str, bytes] = {}
        self._pending_bytes = 0

    def key(self, name: str, data: bytes) -> str:
        h = hashlib.sha256(self.salt)
        h.update(name.encode("utf-8") + b"\0")
        h.update(data)
        return h.hexdigest()

    def _dir(self) -> str:
        """(a string: pathlib's joins cost more than a read, 100k times over)"""
        return f"{self.root}{os.sep}{self.version}"

    def index(self) -> dict[str, tuple[str, int, int]]:
        """Every record of this version on disk (read once; a forked worker inherits it)."""
        if self._index is None:
            self._index, self._indexes_read = {}, set()
            self.refresh()
        return self._index

    def refresh(self) -> None:
        """Reads the indexes written since (by other processes: the pool's workers)."""
        if self._index is None:
            self.index()
            return
        if self.root is None:
            return
        with contextlib.suppress(OSError):
            new = [e for e in os.scandir(self._dir())
                   if e.name.endswith(".idx") and not e.name.startswith(".")
                   and e.name not in self._indexes_read]
            # oldest first, so that a key written again (after its pack was found damaged)
            # maps to the newest copy
            for entry in sorted(new, key=_written):
                self._indexes_read.add(entry.name)
                self._read_index(entry.path)

    def _read_index(self, path: str) -> None:
        try:
            with open(path, "rb") as fh:
                entries = pickle.load(fh)
        except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ValueError):
            return  # an unreadable index: its records are extracted again
        pack = path[: -len(".idx")] + ".pack"
        for key, offset, size in entries:
            self._index[key] = (pack, offset, size)  # type: ignore[index]

    def has(self, key: str) -> bool:
        return self.root is not None and (key in self._pending or key in self.index())

    def get(self, key: str) -> tuple | None:
        if self.root is None:
            return None
        data = self._pending.get(key)
        if data is None:
            where = self.index().get(key)
            if where is None:
                return None
            pack, offset, size = where
            try:
                with open(pack, "rb") as fh:
                    fh.seek(offset)
                    data = fh.read(size)
            except OSError:
                return None
        try:
            return pickle.loads(data)
        except (EOFError, pickle.UnpicklingError, AttributeError, ValueError):
            return None

    def put(self, key: str, record: tuple) -> None:
        if self.root is None:
            return
        data = pickle.dumps(record, protocol=pickle.HIGHEST_PROTOCOL)
        self._pending[key] = data
        self._pending_bytes += len(data)
        if self._pending_bytes >= self.PACK_BYTES:
            self.flush()

    def flush(self) -> None:
        """Writes the records `put` since the last flush as one pack."""
        if not self._pending:
            return
        pending, self._pending, self._pending_bytes = self._pending, {}, 0
        folder = self._dir()
        os.makedirs(folder, exist_ok=True)
        name = f"{folder}{os.sep}{os.getpid()}-{secrets.token_hex(6)}"
        entries, offset = [], 0
        for key, data in pending.items():
            entries.append((key, offset, len(data)))
            offset += len(data)
        _write_whole(f"{name}.pack", b"".join(pending.values()))
        _write_whole(f"{name}.idx", pickle.dumps(entries, protocol=pickle.HIGHEST_PROTOCOL))
        index = self.index()
        self._indexes_read.add(os.path.basename(f"{name}.idx"))
        for key, offset, size in entries:
            index[key] = (f"{name}.pack", offset, size)


def _written(entry: os.DirEntry) -> tuple[int, str]:
    try:
        return entry.stat().st_mtime_ns, entry.name
    except OSError:
        return 0, entry.name


def _write_whole(path: str, data: bytes) -> None:
    """`data` at `path`, never seen in part: written under a hidden name, then renamed."""
    folder, name = os.path.split(path)
    tmp = f"{folder}{os.sep}.tmp-{name}"
    try:
        with open(tmp, "xb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


@cache
def _getter(cls: type) -> Callable[[object], tuple]:
    """The field values of a dataclass instance, in field order, as a tuple."""
    return operator.attrgetter(*(f.name for f in dataclasses.fields(cls)))


def _values(obj: object) -> tuple:
    return _getter(type(obj))(obj)


_ARTICLE_FIELDS = tuple(f.name for f in dataclasses.fields(Article))


def to_record(article: Article, ex: Extraction, rendered: dict) -> tuple:
    """(article fields without path, mentions, citations, claims, discovered, focal_id,
    rendered rows); `rendered`: `tables.render_article(article, ex)`."""
    art = dict(zip(_ARTICLE_FIELDS, _getter(Article)(article), strict=True))
    art.pop("path")
    return (
        art,
        list(map(_getter(Mention), ex.mentions)),
        list(map(_getter(Citation), ex.citations)),
        list(map(_getter(Claim), ex.claims)),
        [_values(e) for e in ex.discovered],
        ex.focal_id,
        rendered,
    )


def from_record(record: tuple, path: Path) -> tuple[Article, Extraction, dict]:
    """The objects back, with the article's rendered rows (`tables.render_article`)."""
    art, mentions, citations, claims, discovered, focal, rendered = record
    article = Article(path=path, **art)
    return article, Extraction(
        article.source_id,
        [Mention(*m) for m in mentions],
        [Citation(*c) for c in citations],
        [Claim(*c) for c in claims],
        [Entity(*e) for e in discovered],
        focal,
    ), rendered
