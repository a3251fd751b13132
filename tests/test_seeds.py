"""The seed articles are the originals, byte for byte, with the publishing facts of
shared/seeds/sources.yml in their front matter."""

import hashlib

import yaml
from support import require_shared

from roundtrace.ingest import iter_articles, read_article
from roundtrace.paths import ARTICLES_DIR


def test_every_original_has_a_byte_identical_body():
    shared = require_shared()
    originals = sorted((shared / "seeds" / "original").glob("*.txt"))
    assert len(originals) == 5
    for orig in originals:
        art = read_article(ARTICLES_DIR / f"{orig.stem}.md")
        raw = orig.read_bytes()
        assert art.body.encode("utf-8") == raw
        assert art.body_sha256 == hashlib.sha256(raw).hexdigest()


def test_front_matter_matches_sources_yml():
    shared = require_shared()
    sources = yaml.safe_load((shared / "seeds" / "sources.yml").read_text(encoding="utf-8"))
    by_stem = {a.path.stem: a for a in iter_articles(ARTICLES_DIR)}
    assert set(by_stem) == {s["file"].removesuffix(".txt") for s in sources}
    for s in sources:
        art = by_stem[s["file"].removesuffix(".txt")]
        assert art.url == s["url"]
        assert art.publisher == s["publisher"]
        assert art.published == s["published"]
        assert art.language == s["language"]
