"""Incremental, parallel and streaming builds produce exactly what a plain in-memory build does."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import random
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from roundtrace import package, schema
from roundtrace.curation import load_rounds
from roundtrace.extract import extract
from roundtrace.ingest import list_article_files, read_article
from roundtrace.paths import ARTICLES_DIR, ENTITIES_FILE, ROOT
from roundtrace.pipeline import build
from roundtrace.registry import Registry
from roundtrace.tables import assemble

OUTPUTS = [f"{r.name}.csv" for r in schema.resources()] + ["datapackage.json"]
ZIP = "roundtrace-datapackage.zip"


def _generator():
    spec = importlib.util.spec_from_file_location(
        "generate_corpus", ROOT / "benchmarks" / "generate_corpus.py"
    )
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed articles plus 60 synthetic ones: enough to use the process pool."""
    folder = tmp_path_factory.mktemp("corpus") / "articles"
    shutil.copytree(ARTICLES_DIR, folder)
    _generator().generate(60, folder, seed=7)
    return folder


def same_package(a: Path, b: Path) -> None:
    for name in OUTPUTS:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


def same_output(a: Path, b: Path) -> None:
    """What an incremental build must share with a clean one: every file but the database
    and its inspect hash byte for byte, and the database's rows, search index and counts."""
    same_package(a, b)
    for name in (ZIP, "metadata.json"):
        assert (a / name).read_bytes() == (b / name).read_bytes(), name
    ca, cb = (sqlite3.connect(x / "roundtrace.db") for x in (a, b))
    for r in schema.resources():
        order = ",".join(r.primary_key)
        sql = f"select * from [{r.name}] order by {order}"
        assert ca.execute(sql).fetchall() == cb.execute(sql).fetchall(), r.name
    for table, key in (("claims", "claim_id"), ("sources", "source_id")):
        ca.execute(f"insert into {table}_fts({table}_fts) values('integrity-check')")
        sql = (f"select {key} from {table} where rowid in (select rowid from {table}_fts "
               f"where {table}_fts match ?) order by 1")
        for term in ("valuation", "Tencent", "billion", "腾讯"):
            assert ca.execute(sql, (term,)).fetchall() == cb.execute(sql, (term,)).fetchall()
    ia, ib = (json.loads((x / "inspect.json").read_text())["roundtrace"] for x in (a, b))
    counts = [{k: v for k, v in i["tables"].items() if "_fts_" not in k} for i in (ia, ib)]
    assert counts[0] == counts[1]
    assert ia["file"] == str(a.resolve() / "roundtrace.db") and ia["size"] == (
        a / "roundtrace.db"
    ).stat().st_size


def reference_package(articles: Path, out: Path) -> Path:
    """The obvious, all-in-memory build: full Article/Extraction objects into assemble."""
    registry = Registry.load(ENTITIES_FILE)
    rounds = load_rounds(ENTITIES_FILE.parent / "rounds.yml", registry)
    arts = [read_article(p) for p in list_article_files(articles)]
    tables = assemble(arts, [extract(a, registry) for a in arts], registry, rounds)
    out.mkdir(parents=True)
    for name, rows in tables.items():
        package.write_table(out, name, rows)
    package.write_descriptor(out)
    return out


def test_streaming_parallel_build_equals_in_memory_reference(corpus, tmp_path):
    built = build(corpus, tmp_path / "dist", ENTITIES_FILE, progress=False, jobs=2)
    assert built.extracted == len(list_article_files(corpus)) and built.cached == 0
    same_package(built.out, reference_package(corpus, tmp_path / "ref"))


def test_biggest_table_written_aside_gives_the_same_package(corpus, tmp_path, monkeypatch):
    from roundtrace import pipeline

    monkeypatch.setattr(pipeline, "ASIDE_ROWS", 1)  # the claims table goes to a forked writer
    built = build(corpus, tmp_path / "dist", ENTITIES_FILE, progress=False, cache_dir=None)
    same_package(built.out, reference_package(corpus, tmp_path / "ref"))
    assert list(built.counts) == [r.name for r in schema.resources()]


@pytest.mark.parametrize("parallel_check", [True, False])
def test_claims_database_built_by_the_writing_process(corpus, tmp_path, monkeypatch,
                                                      parallel_check):
    """A big claims table: the process that writes claims.csv goes on to build its database
    (rows, indexes, FTS), which the load copies in — the same output as a build without it."""
    from roundtrace import load, pipeline

    ref = build(corpus, tmp_path / "ref", ENTITIES_FILE, progress=False, cache_dir=None)
    monkeypatch.setattr(pipeline, "ASIDE_ROWS", 1)
    monkeypatch.setattr(load, "SPLIT_BYTES", 1)
    monkeypatch.setattr(pipeline, "PARALLEL_CHECK_BYTES", 1 if parallel_check else 2**40)
    given = []
    real_load = pipeline.load_package

    def load_package(folder, db, aside=None, **kw):
        given.append(aside)
        if parallel_check:  # the zip waits for this process's own tables at the latest
            assert kw.get("loaded") is not None
        real_load(folder, db, aside=aside, **kw)

    monkeypatch.setattr(pipeline, "load_package", load_package)
    built = build(corpus, tmp_path / "dist", ENTITIES_FILE, progress=False, cache_dir=None)
    assert len(given) == 1 and given[0] is not None  # the load copied the prebuilt table in
    same_output(built.out, ref.out)
    assert not list(built.out.glob("*.db.*"))  # the aside database is gone
    assert not list(tmp_path.glob(".dist.*"))  # no staging or scratch folder is left

    def broken(folder, db_path):
        raise RuntimeError("claims.csv: a row before line 9 does not have 27 cells")

    monkeypatch.setattr(load, "build_aside", broken)  # (runs in the forked writer)
    before = {p.name: p.read_bytes() for p in built.out.glob("*.csv")}
    with pytest.raises(RuntimeError, match="a row before line 9"):
        build(corpus, tmp_path / "dist", ENTITIES_FILE, progress=False, cache_dir=None)
    assert {p.name: p.read_bytes() for p in built.out.glob("*.csv")} == before
    assert not list(tmp_path.glob(".dist.*"))


def test_synthesis_split_over_two_processes_gives_the_same_package(corpus, tmp_path,
                                                                   monkeypatch):
    from roundtrace import tables

    monkeypatch.setattr(tables, "SPLIT_CLAIMS", 1)
    built = build(corpus, tmp_path / "dist", ENTITIES_FILE, progress=False, cache_dir=None)
    same_package(built.out, reference_package(corpus, tmp_path / "ref"))


def test_roots_keep_competing_company_ids_together():
    from roundtrace.tables import _roots

    roots = _roots({"acme", "acme-labs", "acme-labs-eu", "acme0", "x-acme", "x-acme-b", "b"})
    assert roots == {"acme": "acme", "acme-labs": "acme", "acme-labs-eu": "acme",
                     "acme0": "acme0", "x-acme": "x-acme", "x-acme-b": "x-acme", "b": "b"}


def test_serial_and_parallel_builds_are_byte_identical(corpus, tmp_path):
    one = build(corpus, tmp_path / "one", ENTITIES_FILE, progress=False, cache_dir=None, jobs=1)
    two = build(corpus, tmp_path / "two", ENTITIES_FILE, progress=False, cache_dir=None, jobs=2)
    same_package(one.out, two.out)


def test_one_article_changes_reextract_only_that_article(corpus, tmp_path):
    articles = tmp_path / "articles"
    shutil.copytree(corpus, articles)
    cache = tmp_path / "cache"
    first = build(articles, tmp_path / "dist", ENTITIES_FILE, progress=False, cache_dir=cache)
    n = len(list_article_files(articles))
    assert (first.extracted, first.cached) == (n, 0)

    again = build(articles, tmp_path / "dist", ENTITIES_FILE, progress=False, cache_dir=cache)
    assert (again.extracted, again.cached) == (0, n)

    files = list_article_files(articles)
    edited = files[3]
    edited.write_text(
        edited.read_text(encoding="utf-8")
        + "\nPeople familiar with the matter said Tencent may invest $2 billion.\n",
        encoding="utf-8",
    )
    step = build(articles, tmp_path / "dist", ENTITIES_FILE, progress=False, cache_dir=cache)
    assert (step.extracted, step.cached) == (1, n - 1)
    assert step.incremental
    clean = build(articles, tmp_path / "clean1", ENTITIES_FILE, progress=False, cache_dir=None)
    assert not clean.incremental
    same_output(step.out, clean.out)
    assert step.counts == clean.counts

    shutil.copy(files[10], articles / "zz-added.md")
    (articles / "zz-added.md").write_text(
        (articles / "zz-added.md")
        .read_text(encoding="utf-8")
        .replace("url: ", "url: https://example.org/added?from=", 1)
        + "\nAdded paragraph.\n",
        encoding="utf-8",
    )
    files[20].unlink()
    step = build(articles, tmp_path / "dist", ENTITIES_FILE, progress=False, cache_dir=cache)
    assert (step.extracted, step.cached) == (1, n - 1)
    assert step.incremental
    clean = build(articles, tmp_path / "clean2", ENTITIES_FILE, progress=False, cache_dir=None)
    same_output(step.out, clean.out)


def test_registry_change_invalidates_the_cache(corpus, tmp_path):
    cache = tmp_path / "cache"
    seeds = tmp_path / "seeds"
    shutil.copytree(ENTITIES_FILE.parent, seeds, ignore=shutil.ignore_patterns("articles"))
    entities = seeds / ENTITIES_FILE.name
    first = build(corpus, tmp_path / "dist", entities, progress=False, cache_dir=cache)
    entities.write_text(entities.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    second = build(corpus, tmp_path / "dist", entities, progress=False, cache_dir=cache)
    assert second.extracted == first.extracted and second.cached == 0


def test_bad_article_in_a_parallel_build_names_the_first_bad_file(corpus, tmp_path):
    from roundtrace.errors import InputError

    articles = tmp_path / "articles"
    shutil.copytree(corpus, articles)
    files = list_article_files(articles)
    for bad in (files[-1], files[30]):
        bad.write_bytes(b"no front matter\n")
    with pytest.raises(InputError) as exc:
        build(articles, tmp_path / "dist", ENTITIES_FILE, progress=False, cache_dir=None, jobs=2)
    assert exc.value.path == str(files[30])
    assert not (tmp_path / "dist").exists()


def test_duplicate_articles_in_two_workers_ranges_name_both_files(corpus, tmp_path):
    from roundtrace.errors import InputError
    from roundtrace.pipeline import _ranges

    articles = tmp_path / "articles"
    shutil.copytree(corpus, articles)
    first = list_article_files(articles)[2]
    copy = articles / "zzz_copy.md"
    copy.write_bytes(first.read_bytes())
    files = list_article_files(articles)
    spans = _ranges(len(files), 2)
    assert len(spans) > 1 and files.index(copy) >= spans[0][1]  # another worker's range
    with pytest.raises(InputError) as exc:
        build(articles, tmp_path / "dist", ENTITIES_FILE, progress=False, cache_dir=None, jobs=2)
    assert exc.value.path == str(copy)
    assert f"same url as {first}" in exc.value.message
    assert not (tmp_path / "dist").exists()


def test_assembler_parts_merged_in_order_equal_adding_every_article(corpus, tmp_path):
    """What the build's workers do: assemble ranges of articles apart, then merge the parts."""
    from roundtrace.ingest import parse_article
    from roundtrace.tables import ARTICLE_TABLES, LATE_COLUMNS, Assembler

    registry = Registry.load(ENTITIES_FILE)
    curated = load_rounds(ENTITIES_FILE.parent / "rounds.yml", registry)
    read = [parse_article(p.read_bytes(), p, str(p)) for p in list_article_files(corpus)]
    pairs = [(a, extract(a, registry)) for a in read]

    def assembler(folder: Path) -> Assembler:
        folder.mkdir()
        return Assembler(registry, curated, sink=lambda name: package.SpillTable(
            name, folder, late=LATE_COLUMNS.get(name, ())) if name in package.CHUNKED else [])

    whole = assembler(tmp_path / "whole")
    for a, ex in pairs:
        whole.add(a, ex)
    merged, worker = assembler(tmp_path / "merged"), assembler(tmp_path / "worker")
    for lo, hi in ((0, 7), (7, 40), (40, len(pairs))):
        for a, ex in pairs[lo:hi]:
            worker.add(a, ex)
        merged.merge(worker.take_part())
    assert merged.infos == whole.infos and list(merged.entities) == list(whole.entities)
    for name, out in (("whole", whole.finish()), ("merged", merged.finish())):
        (tmp_path / f"pkg-{name}").mkdir()
        for table, rows in out.items():
            if isinstance(rows, package.SpillTable):
                rows.write(tmp_path / f"pkg-{name}")
            else:
                package.write_table(tmp_path / f"pkg-{name}", table, rows)
    for table in out:
        one = (tmp_path / "pkg-whole" / f"{table}.csv").read_bytes()
        assert one == (tmp_path / "pkg-merged" / f"{table}.csv").read_bytes(), table
        assert table not in ARTICLE_TABLES or one.count(b"\n") > 2, table


SENTENCES = [
    "People familiar with the matter said Tencent may invest $2 billion in DeepSeek.",
    "DeepSeek is in talks to raise $500 million at a valuation of more than $20 billion, "
    "Reuters reported.",
    "Moonshot AI closed a $1 billion Series C led by Alibaba, valuing it at $4.3 billion.",
    "智谱AI完成新一轮融资，估值约400亿元，腾讯参投。",
    "Zhipu AI raised 3 billion yuan from Hangzhou city funds, according to Bloomberg.",
    "Quillstone Robotics, a start-up nobody had heard of, raised $80 million led by Sequoia.",
]


def test_random_edits_keep_the_incremental_output_equal_to_a_clean_build(corpus, tmp_path):
    """Edits, additions, removals and figure changes, one after the other: each incremental
    output equals a clean build of the same articles."""
    articles = tmp_path / "articles"
    shutil.copytree(corpus, articles)
    cache = tmp_path / "cache"
    out = tmp_path / "dist"
    build(articles, out, ENTITIES_FILE, progress=False, cache_dir=cache)
    rng = random.Random(11)
    ops = ["edit", "add", "remove", "figures", "edit"]
    for step, op in enumerate(ops):
        files = list_article_files(articles)
        f = rng.choice(files)
        if op == "edit":
            f.write_text(f.read_text(encoding="utf-8") + "\n" + rng.choice(SENTENCES) + "\n",
                         encoding="utf-8")
        elif op == "add":
            text = f.read_text(encoding="utf-8")
            text = text.replace("url: ", f"url: https://example.org/{step}?", 1)
            (articles / f"zz-{step}.md").write_text(text + "\n" + SENTENCES[-1] + "\n",
                                                    encoding="utf-8")
        elif op == "remove":
            f.unlink()
        else:
            text = f.read_text(encoding="utf-8")
            f.write_text(text.replace("billion", "million").replace("亿", "万") + "\n",
                         encoding="utf-8")
        got = build(articles, out, ENTITIES_FILE, progress=False, cache_dir=cache)
        assert got.incremental, op
        clean = build(articles, tmp_path / f"clean{step}", ENTITIES_FILE, progress=False,
                      cache_dir=None)
        same_output(got.out, clean.out)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_bad_article_in_an_incremental_build_changes_nothing(corpus, tmp_path):
    from roundtrace.errors import InputError

    articles = tmp_path / "articles"
    shutil.copytree(corpus, articles)
    cache, out = tmp_path / "cache", tmp_path / "dist"
    build(articles, out, ENTITIES_FILE, progress=False, cache_dir=cache)
    before = {p.name: _digest(p) for p in out.iterdir()}
    victim = list_article_files(articles)[5]
    good = victim.read_bytes()
    victim.write_bytes(b"---\nurl: [unclosed\n---\nBody.\n")
    with pytest.raises(InputError) as exc:
        build(articles, out, ENTITIES_FILE, progress=False, cache_dir=cache)
    assert exc.value.path == str(victim)
    assert {p.name: _digest(p) for p in out.iterdir()} == before
    victim.write_bytes(good + b"\nDeepSeek was valued at $3 billion, Reuters reported.\n")
    again = build(articles, out, ENTITIES_FILE, progress=False, cache_dir=cache)
    assert again.incremental  # the failed attempt left the state usable
    same_output(again.out, build(articles, tmp_path / "clean", ENTITIES_FILE, progress=False,
                                 cache_dir=None).out)


def test_a_database_open_elsewhere_is_patched_in_a_copy(corpus, tmp_path):
    """A server reading the previous database must never see it change under it."""
    articles = tmp_path / "articles"
    shutil.copytree(corpus, articles)
    cache, out = tmp_path / "cache", tmp_path / "dist"
    build(articles, out, ENTITIES_FILE, progress=False, cache_dir=cache)
    db = out / "roundtrace.db"
    digest, inode = _digest(db), db.stat().st_ino
    reader = subprocess.Popen(
        [sys.executable, "-c", "import sys; f = open(sys.argv[1], 'rb'); sys.stdin.read()",
         str(db)],
        stdin=subprocess.PIPE,
    )
    try:
        for _ in range(100):  # until the reader has the file open
            fds = os.listdir(f"/proc/{reader.pid}/fd")
            if any(os.path.realpath(f"/proc/{reader.pid}/fd/{fd}") == str(db.resolve())
                   for fd in fds):
                break
            import time

            time.sleep(0.05)
        victim = list_article_files(articles)[7]
        victim.write_text(victim.read_text(encoding="utf-8") + "\nMiniMax raised $600 million.\n",
                          encoding="utf-8")
        got = build(articles, out, ENTITIES_FILE, progress=False, cache_dir=cache)
        assert got.incremental
        assert (out / "roundtrace.db").stat().st_ino != inode
        held = Path(f"/proc/{reader.pid}/fd")
        old = next(p for p in held.iterdir() if "roundtrace.db" in os.readlink(p))
        assert _digest(old) == digest
    finally:
        reader.communicate(b"")
    same_output(out, build(articles, tmp_path / "clean", ENTITIES_FILE, progress=False,
                           cache_dir=None).out)


def test_full_build_on_request_and_after_a_schema_change(corpus, tmp_path, monkeypatch):
    from roundtrace import delta

    articles = tmp_path / "articles"
    shutil.copytree(corpus, articles)
    cache, out = tmp_path / "cache", tmp_path / "dist"
    build(articles, out, ENTITIES_FILE, progress=False, cache_dir=cache)
    victim = list_article_files(articles)[9]
    victim.write_text(victim.read_text(encoding="utf-8") + "\nAdded.\n", encoding="utf-8")
    full = build(articles, out, ENTITIES_FILE, progress=False, cache_dir=cache, incremental=False)
    assert not full.incremental and full.extracted == 1
    monkeypatch.setattr(delta, "fingerprint", lambda entities: "something else changed")
    victim.write_text(victim.read_text(encoding="utf-8") + "\nAgain.\n", encoding="utf-8")
    assert not build(articles, out, ENTITIES_FILE, progress=False, cache_dir=cache).incremental


@pytest.mark.parametrize("jobs", [1, 2])
def test_extracting_many_articles_writes_a_pack_per_batch(corpus, tmp_path, jobs):
    """The incremental build's extraction caches its records a batch at a time (one pack per
    batch, not per article); a bad file is reported and the rest still cached."""
    from roundtrace import cache as cachelib
    from roundtrace.pipeline import _extract_missing

    articles = tmp_path / "articles"
    shutil.copytree(corpus, articles)
    files = list_article_files(articles)[:40]
    files[7].write_bytes(b"no front matter\n")
    store = cachelib.ArticleCache(tmp_path / "cache", ENTITIES_FILE.read_bytes())
    tasks = [(i, str(p), store.key(p.name, p.read_bytes())) for i, p in enumerate(files)]
    ticks: list[int] = []
    errors = _extract_missing(tasks, Registry.load(ENTITIES_FILE), store, jobs, ticks.append)
    assert list(errors) == [7] and errors[7][0] == str(files[7])
    assert sum(ticks) == len(tasks)
    packs = list((tmp_path / "cache").rglob("*.pack"))
    assert 1 <= len(packs) <= 10  # (40 articles)
    store.refresh()
    assert all(store.has(key) == (i != 7) for i, _, key in tasks)
