"""Front matter parsing: exact bodies, strict keys, located errors."""

from pathlib import Path

import pytest

from roundtrace.errors import InputError
from roundtrace.ingest import parse_article

GOOD = b"---\nurl: https://example.org/a\npublished: 2026-04-22\nlanguage: zh-Hans\n---\n"


def parse(raw: bytes, name: str = "a1.md"):
    return parse_article(raw, Path(name), name)


def test_body_is_everything_after_the_closing_fence_exactly():
    body = "  第一行，DeepSeek。\n\nsecond line without newline at end"
    art = parse(GOOD + body.encode())
    assert art.body == body
    assert art.published == "2026-04-22"
    assert art.language == "zh-Hans"
    assert art.source_id == "a1"
    assert art.body_line == 6


def test_crlf_fences_are_accepted_and_body_kept_with_its_line_endings():
    raw = b"---\r\nurl: https://example.org/a\r\n---\r\nline one\r\nline two\r\n"
    assert parse(raw).body == "line one\r\nline two\r\n"


@pytest.mark.parametrize(
    "raw, line, needle",
    [
        (b"url: https://example.org\n---\nbody", 1, "missing front matter"),
        (b"---\nurl: https://example.org\nbody", 1, "not closed"),
        (
            b"---\nurl: https://example.org\ntitel: typo\n---\nbody",
            3,
            "unknown front-matter key 'titel'",
        ),
        (b"---\npublisher: X\n---\nbody", 2, "needs a 'url'"),
        (b"---\nurl: [unclosed\n---\nbody", None, "not valid YAML"),
        (b"---\nurl: https://example.org\n---\n\n  \n", 4, "body is empty"),
        (
            b"---\nurl: https://example.org\npublished: 22/04/2026\n---\nbody",
            3,
            "published must be a date",
        ),
        (b"---\nurl: https://example.org\nlanguage: zh\n---\nbody", 3, "language must be one of"),
        (b"---\nurl: ftp://example.org\n---\nbody", 2, "http(s) URL"),
        (b"---\nurl: https://example.org\n---\nfine\nbad \xff byte\n", 5, "not valid UTF-8"),
    ],
)
def test_bad_input_names_file_and_line(raw, line, needle):
    with pytest.raises(InputError) as err:
        parse(raw, "broken.md")
    assert needle in err.value.message
    assert err.value.path == "broken.md"
    if line is not None:
        assert err.value.line == line
    assert str(err.value).startswith("broken.md")


def test_yaml_error_line_points_into_the_file():
    with pytest.raises(InputError) as err:
        parse(b'---\nurl: https://example.org\ntitle: "open\n---\nbody')
    assert err.value.line is not None and err.value.line >= 3


@pytest.mark.parametrize("head", [
    'url: https://example.org/a\ntitle: "A \\"quoted\\" title — 标题"\npublished: 2025-01-02\n',
    "url: https://example.org/a\npublisher: 样本科技 709\nnotes: null\nretrieved:\n",
    "url: https://example.org/a\ntitle: yes\npublished: 2025-13-40\n",
    "url: https://example.org/a\ntitle: 12:30\nnotes: ~\n",
    'url: https://example.org/a\ntitle: "\\u00e9\\x41\\/"\n',
])
def test_libyaml_front_matter_reads_like_the_pure_parser(head):
    import yaml

    from roundtrace.ingest import _SIMPLE_HEAD, _load_yaml

    def outcome(load):
        try:
            return repr(load(head))
        except Exception as exc:  # noqa: BLE001 - the same error either way
            return type(exc).__name__, str(exc)

    assert _SIMPLE_HEAD.fullmatch(head)
    assert outcome(_load_yaml) == outcome(yaml.safe_load)


def test_front_matter_outside_the_simple_shape_goes_to_the_pure_parser():
    from roundtrace.ingest import _SIMPLE_HEAD

    for head in ("url: [a, b]\n", "title: 'single'\n", "title: a # comment\n",
                 "title: |\n  block\n", "  url: x\n", "title: a: b\n", "title:\tx\n"):
        assert not _SIMPLE_HEAD.fullmatch(head), head
