"""Tests for benchmarks/generate_corpus.py (synthetic benchmark corpus)."""

from __future__ import annotations

import collections
import datetime as dt
import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "benchmarks" / "generate_corpus.py"


def _load():
    spec = importlib.util.spec_from_file_location("generate_corpus", SCRIPT)
    mod = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("generate_corpus", mod)
    spec.loader.exec_module(mod)
    return mod


gc = _load()
ALLOWED = set(gc.ALLOWED_KEYS)


def _split(text: str) -> tuple[dict, str]:
    assert text.startswith("---\n")
    head, sep, body = text[4:].partition("\n---\n")
    assert sep, "closing front-matter delimiter missing"
    return yaml.safe_load(head), body


def _read_dir(path: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(path.iterdir())}


@pytest.fixture(scope="module")
def sample():
    return [gc.article(i) for i in range(400)]


def test_generate_is_deterministic(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    assert gc.generate(60, a, seed=3) == 60
    gc.generate(60, b, seed=3)
    files_a, files_b = _read_dir(a), _read_dir(b)
    assert list(files_a) == [f"a{i:07d}.md" for i in range(60)]
    assert files_a == files_b


def test_seed_changes_output():
    assert gc.article(5, seed=0) != gc.article(5, seed=1)


def test_prefix_stability(tmp_path):
    small, large = tmp_path / "small", tmp_path / "large"
    gc.generate(40, small, seed=7)
    gc.generate(120, large, seed=7)
    files_small, files_large = _read_dir(small), _read_dir(large)
    for name, data in files_small.items():
        assert files_large[name] == data
    # article(i) does not depend on what was generated before it
    gc._round.cache_clear()
    assert gc.article(100, seed=7).encode() == files_large["a0000100.md"]


def test_cli_matches_api(tmp_path):
    out = tmp_path / "cli"
    subprocess.run(
        [sys.executable, str(SCRIPT), "25", str(out), "--seed", "2", "--start-date", "2024-06-01"],
        check=True,
        capture_output=True,
    )
    start = dt.date(2024, 6, 1)
    for i in range(25):
        expected = gc.article(i, seed=2, start_date=start).encode("utf-8")
        assert (out / f"a{i:07d}.md").read_bytes() == expected


def test_every_article_parses(sample):
    for text in sample:
        assert "\r" not in text
        assert text.endswith("\n")
        meta, body = _split(text)
        assert isinstance(meta, dict)
        assert set(meta) == ALLOWED
        assert isinstance(meta["url"], str) and meta["url"].startswith("https://")
        assert meta["language"] in gc.LANGUAGES
        assert isinstance(meta["title"], str) and meta["title"].strip()
        assert meta["publisher"] is None or isinstance(meta["publisher"], str)
        assert meta["published"] is None or isinstance(meta["published"], dt.date)
        assert isinstance(meta["retrieved"], dt.date)
        assert meta["notes"] == "synthetic benchmark article"
        assert body.strip()
        assert "{" not in body and "}" not in body, "unfilled template placeholder"


def test_lengths_in_range(sample):
    for text in sample:
        meta, body = _split(text)
        zh = meta["language"] != "en"
        words = len(body) / 1.7 if zh else len(body.split())
        assert 140 <= words <= 820, (meta["url"], words)


def test_languages_and_relays_present(sample):
    metas = [gc.article_meta(i) for i in range(200)]
    langs = collections.Counter(m["language"] for m in metas)
    assert langs["en"] > 0 and langs["zh-Hans"] > 0
    assert langs["en"] > langs["zh-Hans"]
    relays = [m for m in metas if m["relay"]]
    assert relays, "expected some relay articles in 200"
    for m in relays:
        body = _split(sample[m["index"]])[1]
        assert m["primary_outlet"] in body or _outlet_zh(m) in body


def _outlet_zh(m) -> str:
    for en, zh, *_ in gc._REAL_OUTLETS + gc._INVENTED_OUTLETS:
        if en == m["primary_outlet"]:
            return gc._to_hant(zh) if m["language"] == "zh-Hant" else zh
    return m["primary_outlet"]


def test_corpus_shape():
    metas = [gc.article_meta(i) for i in range(2000)]
    langs = collections.Counter(m["language"] for m in metas)
    assert 0.62 < langs["en"] / 2000 < 0.78
    assert 0.18 < langs["zh-Hans"] / 2000 < 0.32
    assert 0.02 < langs["zh-Hant"] / 2000 < 0.09
    relay_share = sum(m["relay"] for m in metas) / 2000
    assert 0.05 <= relay_share <= 0.15
    rounds = {m["round_id"] for m in metas}
    assert 0.75 * 2000 / 8 <= len(rounds) <= 1.1 * 2000 / 8
    identities = {(m["company"], m["round_label"]) for m in metas}
    assert len(identities) == len(rounds)


def test_relays_copy_primary_figures():
    by_round = collections.defaultdict(list)
    for i in range(3000):
        m = gc.article_meta(i)
        if m["relay"]:
            by_round[(m["round_id"], m["language"])].append(i)
    groups = [v for v in by_round.values() if len(v) > 1]
    assert groups
    for idx in groups:
        metas = [gc.article_meta(i) for i in idx]
        figures = {(m["valuation_text"], m["amount_text"], m["status"]) for m in metas}
        assert len(figures) == 1, figures
        for i, m in zip(idx, metas, strict=True):
            lede = _split(gc.article(i))[1].split("\n\n")[0]
            assert m["valuation_text"] in lede and m["amount_text"] in lede


def test_benchmark_calibration_step_times_extraction(tmp_path):
    """`benchmarks/_steps.py calibrate` (the machine-speed line of `benchmarks/run`) extracts
    the corpus it is given and reports CPU milliseconds per article."""
    gc.generate(12, tmp_path / "c")
    out = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "_steps.py"), "calibrate", str(tmp_path / "c"),
         "10"],
        capture_output=True, text=True, check=True,
        env={"PYTHONPATH": str(ROOT / "build"), "PATH": "/usr/bin:/bin"},
    )
    got = json.loads(out.stdout.strip().splitlines()[-1])
    assert got["articles"] == 10
    assert 0 < got["ms_per_article"] < 1000
