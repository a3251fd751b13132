"""The per-article cache's pack files: what one process writes, another finds; a damaged pack
costs only a re-extraction."""

from __future__ import annotations

import os
from pathlib import Path

from roundtrace.cache import ArticleCache


def records(n: int) -> dict[str, tuple]:
    return {f"{i:064x}": ({"n": i}, [("m", i)], "x" * (i % 7)) for i in range(n)}


def test_put_is_buffered_then_one_pack_holds_every_record(tmp_path):
    store = ArticleCache(tmp_path, b"registry")
    recs = records(50)
    for key, rec in recs.items():
        store.put(key, rec)
    assert store.get("0" * 64) == recs["0" * 64]  # still buffered
    assert not list(tmp_path.rglob("*.pack"))
    store.flush()
    assert len(list(tmp_path.rglob("*.pack"))) == 1 and len(list(tmp_path.rglob("*.idx"))) == 1
    again = ArticleCache(tmp_path, b"registry")  # another build, later
    assert all(again.has(k) and again.get(k) == rec for k, rec in recs.items())
    assert not again.has("f" * 64) and again.get("f" * 64) is None


def test_another_version_does_not_see_the_records(tmp_path):
    store = ArticleCache(tmp_path, b"registry")
    store.put("a" * 64, ("x",))
    store.flush()
    assert not ArticleCache(tmp_path, b"another registry").has("a" * 64)


def test_refresh_finds_what_other_processes_wrote(tmp_path):
    here = ArticleCache(tmp_path, b"registry")
    assert not here.has("b" * 64)  # its index is read now
    there = ArticleCache(tmp_path, b"registry")
    there.put("b" * 64, ("y",))
    there.flush()
    assert not here.has("b" * 64)
    here.refresh()
    assert here.get("b" * 64) == ("y",)


def test_put_flushes_by_itself_past_the_pack_size(tmp_path, monkeypatch):
    monkeypatch.setattr(ArticleCache, "PACK_BYTES", 200)
    store = ArticleCache(tmp_path, b"registry")
    for key, rec in records(30).items():
        store.put(key, rec)
    assert len(list(tmp_path.rglob("*.pack"))) > 3


def test_a_damaged_pack_or_index_reads_as_missing(tmp_path):
    store = ArticleCache(tmp_path, b"registry")
    recs = records(20)
    for key, rec in recs.items():
        store.put(key, rec)
    store.flush()
    (pack,) = tmp_path.rglob("*.pack")
    pack.write_bytes(pack.read_bytes()[: pack.stat().st_size // 2])
    damaged = ArticleCache(tmp_path, b"registry")
    got = {k: damaged.get(k) for k in recs}
    assert None in got.values() and all(v is None or v == recs[k] for k, v in got.items())
    (index,) = tmp_path.rglob("*.idx")
    index.write_bytes(b"not a pickle")
    assert not ArticleCache(tmp_path, b"registry").has(next(iter(recs)))


def test_a_record_written_again_wins_over_its_damaged_copy(tmp_path):
    """After a damaged record is extracted and written again, later builds read the new copy
    (whatever the packs' names), so the article is not extracted again on every build."""
    key = "e" * 64
    first = ArticleCache(tmp_path, b"registry")
    first.put(key, ("old",))
    first.flush()
    (pack,) = tmp_path.rglob("*.pack")
    (index,) = tmp_path.rglob("*.idx")
    pack.write_bytes(b"\x80garbage")
    # the damaged pack's name sorts after any other (names are pid-random)
    pack = pack.rename(pack.with_name("zzzz.pack"))
    index = index.rename(index.with_name("zzzz.idx"))
    os.utime(index, ns=(10**18, 10**18))  # written long before the copy below
    second = ArticleCache(tmp_path, b"registry")
    assert second.get(key) is None  # damaged: the build extracts the article again
    second.put(key, ("new",))
    second.flush()
    assert ArticleCache(tmp_path, b"registry").get(key) == ("new",)


def test_no_root_keeps_nothing(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # a write to a relative path would show here
    store = ArticleCache(None, b"registry")
    store.put("c" * 64, ("z",))
    store.flush()
    assert store.get("c" * 64) is None and not store.has("c" * 64)
    assert os.listdir(tmp_path) == []


def test_packs_are_written_whole(tmp_path):
    store = ArticleCache(tmp_path, b"registry")
    store.put("d" * 64, ("w",))
    store.flush()
    assert not [p for p in Path(tmp_path).rglob(".tmp-*")]
