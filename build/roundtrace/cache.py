"""Per-article extraction cache: one small pickle per article, keyed by content.

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
import tempfile
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
    def __init__(self, root: Path | None, registry_bytes: bytes):
        self.root = root
        h = hashlib.sha256(code_hash().encode() + b"\0")
        h.update(hashlib.sha256(registry_bytes).digest())
        self.salt = h.digest()
        self._dirs: set[Path] = set()  # folders put() has made

    def key(self, name: str, data: bytes) -> str:
        h = hashlib.sha256(self.salt)
        h.update(name.encode("utf-8") + b"\0")
        h.update(data)
        return h.hexdigest()

    def _path(self, key: str) -> str:
        """(a string: pathlib's joins cost more than the read, 100k times over)"""
        assert self.root is not None
        return f"{self.root}{os.sep}{key[:2]}{os.sep}{key[2:]}.pkl"

    def has(self, key: str) -> bool:
        return self.root is not None and os.path.isfile(self._path(key))

    def get(self, key: str) -> tuple | None:
        if self.root is None:
            return None
        try:
            with open(self._path(key), "rb") as fh:
                return pickle.load(fh)
        except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ValueError):
            return None

    def put(self, key: str, record: tuple) -> None:
        if self.root is None:
            return
        path = Path(self._path(key))
        if path.parent not in self._dirs:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._dirs.add(path.parent)
        data = pickle.dumps(record, protocol=pickle.HIGHEST_PROTOCOL)
        # a name of this process's own (mkstemp's random names cost more than the write);
        # O_EXCL still guards against a stray file of that name
        tmp = path.parent / f".tmp-{os.getpid()}-{key[2:]}"
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except OSError:  # a stray file of that name, or the folder was removed meanwhile
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, name = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
            tmp = Path(name)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, path)  # atomic: concurrent builds never see half a record
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


def to_record(article: Article, ex: Extraction, rendered: dict | None = None) -> tuple:
    """(article fields without path, mentions, citations, claims, discovered, focal_id,
    rendered rows); `rendered`: `tables.render_article(article, ex)` when the caller has it."""
    if rendered is None:
        from .tables import render_article  # tables imports the synthesis: only when needed

        rendered = render_article(article, ex)
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
