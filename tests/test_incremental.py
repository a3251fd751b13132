"""Incremental, parallel and streaming builds produce exactly what a plain in-memory build does."""

from __future__ import annotations

import importlib.util
import shutil
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
    clean = build(articles, tmp_path / "clean1", ENTITIES_FILE, progress=False, cache_dir=None)
    same_package(step.out, clean.out)

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
    clean = build(articles, tmp_path / "clean2", ENTITIES_FILE, progress=False, cache_dir=None)
    same_package(step.out, clean.out)


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
