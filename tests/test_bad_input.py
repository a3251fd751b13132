"""Bad input: one clear message naming file and line, exit code 1, no traceback, and the
previous output left exactly as it was."""

import hashlib
from pathlib import Path

import pytest
from support import copy_seeds, run_cli

from roundtrace.paths import ENTITIES_FILE


def snapshot(folder: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.iterdir())
        if p.is_file()
    }


@pytest.fixture(scope="module")
def good_out(tmp_path_factory):
    out = tmp_path_factory.mktemp("good") / "dist"
    proc = run_cli("build", "--out", str(out), "--quiet")
    assert proc.returncode == 0, proc.stderr
    return out


def first_article(folder: Path) -> Path:
    return sorted(folder.glob("*.md"))[0]


def break_front_matter(folder: Path) -> str:
    p = first_article(folder)
    p.write_text(p.read_text().replace("language: en", "language: [en", 1))
    return f"{p.name}:"


def unknown_key(folder: Path) -> str:
    p = first_article(folder)
    p.write_text(p.read_text().replace("language: en", "language: en\nlanguag: en", 1))
    return f"{p.name}:6: unknown front-matter key 'languag'"


def missing_url(folder: Path) -> str:
    p = first_article(folder)
    lines = p.read_text().splitlines(keepends=True)
    p.write_text("".join(line for line in lines if not line.startswith("url:")))
    return f"{p.name}:2: front matter needs a 'url'"


def non_utf8(folder: Path) -> str:
    p = first_article(folder)
    raw = p.read_bytes()
    p.write_bytes(raw + b"\nCaf\xe9 latin-1 line\n")
    line = raw.count(b"\n") + 2
    return f"{p.name}:{line}: not valid UTF-8"


def empty_body(folder: Path) -> str:
    p = first_article(folder)
    head, _, _ = p.read_text().partition("\n---\n")
    p.write_text(head + "\n---\n\n")
    return f"{p.name}:"


def duplicate(folder: Path) -> str:
    p = first_article(folder)
    (folder / "zzz_copy.md").write_bytes(p.read_bytes())
    return "zzz_copy.md:1: duplicate article: same url"


CASES = [break_front_matter, unknown_key, missing_url, non_utf8, empty_body, duplicate]


@pytest.mark.parametrize("breaker", CASES, ids=[c.__name__ for c in CASES])
def test_bad_article_fails_cleanly_and_keeps_previous_output(breaker, good_out, tmp_path):
    before = snapshot(good_out)
    articles = copy_seeds(tmp_path / "articles")
    expected = breaker(articles)
    proc = run_cli("build", "--articles", str(articles), "--out", str(good_out), "--quiet")
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert expected in proc.stderr, proc.stderr
    assert proc.stderr.startswith("error: ")
    assert snapshot(good_out) == before
    assert not [p for p in good_out.parent.iterdir() if ".staging-" in p.name]


def test_unknown_entity_id_in_curated_rounds(good_out, tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "entities.yml").write_bytes(ENTITIES_FILE.read_bytes())
    (seeds / "rounds.yml").write_text(
        "- id: r1\n  company: deepseek\n- id: r2\n  company: deepsek\n"
    )
    before = snapshot(good_out)
    proc = run_cli("build", "--entities", str(seeds / "entities.yml"), "--out", str(good_out))
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert "rounds.yml:3: company: unknown entity id 'deepsek'" in proc.stderr
    assert snapshot(good_out) == before


def test_broken_registry_yaml(good_out, tmp_path):
    bad = tmp_path / "entities.yml"
    bad.write_text("- id: deepseek\n  name: DeepSeek\n  type: company\n  aliases: [a, b\n")
    proc = run_cli("build", "--entities", str(bad), "--out", str(good_out))
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert "entities.yml:" in proc.stderr and "not valid YAML" in proc.stderr


def test_missing_articles_folder(tmp_path):
    proc = run_cli("build", "--articles", str(tmp_path / "nope"), "--out", str(tmp_path / "o"))
    assert proc.returncode == 1 and "articles folder not found" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_validate_reports_a_corrupted_package(good_out, tmp_path):
    import shutil

    broken = tmp_path / "pkg"
    shutil.copytree(good_out, broken)
    claims = broken / "claims.csv"
    lines = claims.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[1] = lines[1].replace(",valuation,", ",valuations,").replace(",investor,", ",investors,")
    lines[1] = lines[1].replace(",round_status,", ",round_stat,")
    claims.write_text("".join(lines), encoding="utf-8")
    proc = run_cli("validate", str(broken))
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert "claims.csv:2:" in proc.stderr and "predicate" in proc.stderr
    ok = run_cli("validate", str(good_out))
    assert ok.returncode == 0 and "valid" in ok.stdout


@pytest.mark.parametrize(
    "descriptor, expected",
    [
        ('{"resources": [\n', "datapackage.json:2: not valid JSON"),
        (b"\xff\xfe{}", "datapackage.json: not valid UTF-8 at byte 0"),
        ("[1, 2]\n", "not a data package: expected a JSON object"),
        ('{"resources": "none"}\n', "datapackage.json: package-error"),
        (
            '{"resources": [{"name": "x", "path": "x.csv",'
            ' "schema": {"fields": [{"name": "a", "type": "nonsense"}]}}]}\n',
            'field type "nonsense" is not supported',
        ),
    ],
    ids=["broken-json", "not-utf8", "not-an-object", "bad-resources", "unknown-type"],
)
def test_validate_reports_a_broken_descriptor_without_a_traceback(tmp_path, descriptor, expected):
    """`roundtrace validate` on a hand-edited package: the descriptor's own mistakes are the
    user's, located, not frictionless's traceback."""
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    (pkg / "x.csv").write_text("a\n1\n", encoding="utf-8")
    path = pkg / "datapackage.json"
    if isinstance(descriptor, bytes):
        path.write_bytes(descriptor)
    else:
        path.write_text(descriptor, encoding="utf-8")
    proc = run_cli("validate", str(pkg))
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert expected in proc.stderr
