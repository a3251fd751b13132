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

from . import package, schema
from .curation import CuratedRound, load_rounds
from .errors import InputError
from .extract import Citation, Claim, Extraction, extract
from .ingest import Article, list_article_files, read_article
from .load import load_package, write_inspect
from .paths import DB_NAME, ENTITIES_FILE
from .registry import Registry
from .site import write_metadata
from .synthesize import assign_rounds, independence_key, synthesize
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


def assemble(
    articles: list[Article],
    extractions: list[Extraction],
    registry: Registry,
    curated_rounds: list[CuratedRound] | None = None,
) -> dict[str, list[dict]]:
    """Rows for every resource, from per-article extractions."""
    entities = {e.entity_id: e for e in registry.entities.values()}
    for ex in extractions:
        for e in ex.discovered:
            entities.setdefault(e.entity_id, e)
    names = {k: e.name for k, e in entities.items()}
    publications = {k for k, e in entities.items() if e.type == "publication"}
    claims: list[Claim] = [c for ex in extractions for c in ex.claims]
    citations: list[Citation] = [c for ex in extractions for c in ex.citations]
    cites_by_source: dict[str, list[Citation]] = {}
    for c in citations:
        cites_by_source.setdefault(c.source_id, []).append(c)
    independence = {
        a.source_id: independence_key(
            a.source_id, cites_by_source.get(a.source_id, []), publications
        )
        for a in articles
    }
    rounds_by_subject = assign_rounds(claims, curated_rounds or [])
    for c in claims:
        if c.predicate in (
            "valuation",
            "round_amount",
            "investment_amount",
            "investor",
            "round_status",
            "expected_close",
            "investor_count",
        ):
            c.round_id = rounds_by_subject.get(c.subject_id)
    published = {a.source_id: a.published for a in articles}
    syn = synthesize(claims, published, independence, names)

    mention_rows = [vars(m) for ex in extractions for m in ex.mentions]
    mention_count: dict[str, int] = {}
    article_sets: dict[str, set[str]] = {}
    for m in mention_rows:
        mention_count[m["entity_id"]] = mention_count.get(m["entity_id"], 0) + 1
        article_sets.setdefault(m["entity_id"], set()).add(m["source_id"])
    claim_count: dict[str, int] = {}
    for c in claims:
        claim_count[c.source_id] = claim_count.get(c.source_id, 0) + 1
    alias_of_publisher = {}
    for e in entities.values():
        if e.type == "publication":
            for n in (e.name, *e.aliases):
                alias_of_publisher.setdefault(n.lower(), e.entity_id)
    return {
        "sources": [
            _source_row(a, claim_count.get(a.source_id, 0), alias_of_publisher) for a in articles
        ],
        "entities": [
            {
                "entity_id": e.entity_id,
                "name": e.name,
                "type": e.type,
                "aliases": e.aliases,
                "country": e.country,
                "description": e.description,
                "curated": e.curated,
                "mention_count": mention_count.get(e.entity_id, 0),
                "article_count": len(article_sets.get(e.entity_id, ())),
            }
            for e in entities.values()
        ],
        "mentions": mention_rows,
        "citations": [vars(c) for c in citations],
        "claims": [vars(c) for c in claims],
        "rounds": syn.rounds,
        "round_investors": syn.round_investors,
        "conflicts": syn.conflicts,
        "conflict_claims": syn.conflict_claims,
        "vocabulary": schema.vocabulary_rows(),
    }


def _source_row(a: Article, claim_count: int, publishers: dict[str, str]) -> dict:
    who = a.publisher or a.host
    what = a.title or _opening(a.body)
    return {
        "source_id": a.source_id,
        "label": f"{who}: {what}",
        "file": a.file,
        "url": a.url,
        "host": a.host,
        "publisher": a.publisher,
        "publisher_id": publishers.get((a.publisher or "").lower()),
        "published": a.published,
        "language": a.language,
        "title": a.title,
        "retrieved": a.retrieved,
        "notes": a.notes,
        "body_sha256": a.body_sha256,
        "char_count": len(a.body),
        "claim_count": claim_count,
        "text": a.body,
    }


def _opening(body: str, limit: int = 60) -> str:
    first = " ".join(body.split())[: limit + 1]
    return first if len(first) <= limit else first[:limit].rsplit(" ", 1)[0] + "…"


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
