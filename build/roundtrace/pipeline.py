"""The build: ingest → extract → synthesize → package → validate → load, written to a staging
folder beside the target and swapped in only when every step succeeded, so a failed build
leaves the previous output untouched."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from . import package
from .curation import load_rounds
from .errors import InputError
from .extract import Extraction, extract
from .ingest import Article, list_article_files, read_article
from .load import load_package, write_inspect
from .paths import DB_NAME, ENTITIES_FILE
from .registry import Registry
from .site import write_metadata
from .tables import assemble
from .validate import validate_package


@dataclass
class BuildResult:
    out: Path
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def _progress(total: int, enabled: bool) -> Callable[[int], None]:
    """A progress bar on a terminal; a few count lines in logs."""
    if not enabled:
        return lambda n: None
    if sys.stderr.isatty():
        from tqdm import tqdm

        bar = tqdm(total=total, unit="article", file=sys.stderr, leave=False)
        return lambda n: bar.update(n)
    step = max(1, total // 10)
    seen = [0]

    def tick(n: int) -> None:
        seen[0] += n
        if seen[0] % step == 0 or seen[0] == total:
            log(f"extracted {seen[0]}/{total} articles")

    return tick


def build(
    articles_dir: Path, out_dir: Path, entities_file: Path = ENTITIES_FILE, progress: bool = True
) -> BuildResult:
    t0 = time.perf_counter()
    registry = Registry.load(entities_file)
    curated_rounds = load_rounds(entities_file.parent / "rounds.yml", registry)
    files = list_article_files(articles_dir)
    if not files:
        raise InputError(articles_dir, "no article files (*.md) found")
    tick = _progress(len(files), progress)
    articles: list[Article] = []
    extractions: list[Extraction] = []
    seen_url: dict[str, str] = {}
    seen_body: dict[str, str] = {}
    seen_id: dict[str, str] = {}
    for path in files:
        art = read_article(path)
        for key, seen, what in (
            (art.url, seen_url, "url"),
            (art.body_sha256, seen_body, "body"),
            (art.source_id, seen_id, "source id"),
        ):
            if key in seen:
                raise InputError(path, f"duplicate article: same {what} as {seen[key]}", 1)
            seen[key] = str(path)
        articles.append(art)
        extractions.append(extract(art, registry))
        tick(1)
    tables = assemble(articles, extractions, registry, curated_rounds)
    result = write_output(tables, out_dir)
    result.seconds = time.perf_counter() - t0
    return result


def write_output(tables: dict[str, list[dict]], out_dir: Path) -> BuildResult:
    """Package, validate and load into a staging folder, then swap it in."""
    out_dir = out_dir.resolve()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.staging-", dir=out_dir.parent))
    try:
        counts = {name: package.write_table(staging, name, rows) for name, rows in tables.items()}
        package.write_descriptor(staging)
        validate_package(staging)
        load_package(staging, staging / DB_NAME)
        write_metadata(staging)
        write_inspect(staging / DB_NAME, out_dir / DB_NAME)
        staging.chmod(0o755)
        _swap(staging, out_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return BuildResult(out_dir, counts)


def _swap(staging: Path, out_dir: Path) -> None:
    old = None
    if out_dir.exists():
        old = out_dir.with_name(f".{out_dir.name}.old-{os.getpid()}")
        os.replace(out_dir, old)
    os.replace(staging, out_dir)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
