"""Ingest: read article files (YAML front matter + exact body) into `Article` records.

The body is everything after the closing `---` line, byte for byte; offsets everywhere else are
Python string indices (code points) into it. Every user mistake becomes an `InputError` that
names the file and line.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from .errors import InputError, yaml_problem
from .ids import slugify

ALLOWED_KEYS = ("url", "publisher", "published", "language", "title", "retrieved", "notes")
LANGUAGES = ("en", "zh-Hans", "zh-Hant")
ARTICLE_SUFFIXES = (".md", ".markdown", ".txt")
_FENCE = re.compile(rb"---[ \t]*\r?\n")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class Article:
    source_id: str
    file: str  # file name, relative to the articles folder
    path: Path
    url: str
    publisher: str | None
    published: str | None  # ISO date
    language: str
    title: str | None
    retrieved: str | None
    notes: str | None
    body: str
    body_sha256: str
    body_line: int  # 1-based line number of the body's first line in the file

    @property
    def host(self) -> str:
        host = urlsplit(self.url).hostname or ""
        return host.removeprefix("www.")


def list_article_files(folder: Path) -> list[Path]:
    """Article files in a stable order (by name), ignoring hidden files and READMEs."""
    if not folder.is_dir():
        raise InputError(folder, "articles folder not found")
    # (scandir: the entry's type comes with the listing, no stat per file; names sort as the
    # paths of one folder do)
    names = []
    with os.scandir(folder) as entries:
        for e in entries:
            stem, suffix = os.path.splitext(e.name)
            if (not e.name.startswith(".") and suffix.lower() in ARTICLE_SUFFIXES
                    and stem.upper() != "README" and e.is_file()):
                names.append(e.name)
    return [folder / name for name in sorted(names)]


def iter_articles(folder: Path) -> Iterator[Article]:
    for path in list_article_files(folder):
        yield read_article(path)


def read_article(path: Path, display: str | None = None) -> Article:
    shown = display or str(path)
    raw = path.read_bytes()
    return parse_article(raw, path, shown)


def parse_article(raw: bytes, path: Path, shown: str) -> Article:
    if raw.startswith(b"\xef\xbb\xbf"):
        raise InputError(shown, "file starts with a UTF-8 byte-order mark; save it without BOM", 1)
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise InputError(
            shown, f"not valid UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start})", line
        ) from None
    opening = _FENCE.match(raw)
    if not opening:
        raise InputError(shown, "missing front matter: the file must start with a '---' line", 1)
    closing = _FENCE.search(raw, opening.end())
    # The closing fence must start a line.
    while closing and raw[closing.start() - 1 : closing.start()] != b"\n":
        closing = _FENCE.search(raw, closing.end())
    if not closing:
        raise InputError(shown, "front matter is not closed: add a '---' line after it", 1)
    head = raw[opening.end() : closing.start()].decode("utf-8")
    body = raw[closing.end() :].decode("utf-8")
    body_line = raw.count(b"\n", 0, closing.end()) + 1
    meta = _parse_front_matter(head, shown)
    if not body.strip():
        raise InputError(shown, "article body is empty", body_line)
    return Article(
        source_id=_source_id(path, shown),
        file=path.name,
        path=path,
        body=body,
        body_sha256=hashlib.sha256(body.encode("utf-8")).hexdigest(),
        body_line=body_line,
        **meta,
    )


# libyaml's parser (when PyYAML has it) reads front matter ~7x faster than the pure-Python one.
# It is used only on the plain shape every article has — `key: value` lines, each value a plain
# scalar of ordinary characters or one double-quoted string — where the two parsers agree (the
# constructor and the resolver, which turn scalars into dates, numbers or text, are the same
# Python code for both). Anything else, and any error, goes through `yaml.safe_load`, so results
# and error messages are the pure parser's.
_CSafeLoader = getattr(yaml, "CSafeLoader", None)
# characters neither parser treats specially: no controls, no line or paragraph separators
# (U+0085, U+2028, U+2029), no byte-order mark or non-characters
_ODD = r"\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff"
_SIMPLE_HEAD = re.compile(
    r"(?:[a-z]+:(?: (?:"
    # a plain scalar: no indicator first; no ': ', ' #', '#', tab or trailing space or colon
    rf"[^\s\-?:,\[\]{{}}#&*!|>'\"%@`{_ODD}](?:[^\s:#{_ODD}]|:(?=\S)| (?=[^\s#]))*"
    # or a double-quoted scalar, escapes included
    rf'|"(?:[^"\\\s{_ODD}]| |\\[^\s{_ODD}])*"'
    r"))?\n)*"
)


def _load_yaml(head: str) -> object:
    if _CSafeLoader is not None and _SIMPLE_HEAD.fullmatch(head):
        plain = _plain_mapping(head)
        if plain is not None:
            return plain
        try:
            return yaml.load(head, Loader=_CSafeLoader)  # noqa: S506 - the safe loader
        except yaml.YAMLError:
            pass  # the pure parser raises its own error below
    return yaml.safe_load(head)


_RESOLVER = yaml.resolver.Resolver()
_STR, _NULL, _TIMESTAMP = (f"tag:yaml.org,2002:{t}" for t in ("str", "null", "timestamp"))
_YMD = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def _plain_mapping(head: str) -> dict | None:
    """What the YAML loaders make of a `_SIMPLE_HEAD` whose keys are all allowed ones and whose
    values are text, null or a plain YYYY-MM-DD date — every article's shape — read without
    building YAML nodes (the scalar types come from YAML's own resolver); None for anything
    else (escapes, numbers, times, …), which the loaders read."""
    out: dict = {}
    for line in head.splitlines():
        key, _, value = line.partition(":")
        if key not in ALLOWED_KEYS:
            return None
        value = value[1:]  # (the one space after the colon)
        if value.startswith('"'):
            if "\\" in value:
                return None
            out[key] = value[1:-1]  # a quoted scalar is text
            continue
        tag = _RESOLVER.resolve(yaml.ScalarNode, value, (True, False))
        if tag == _STR:
            out[key] = value
        elif tag == _NULL:
            out[key] = None
        elif tag == _TIMESTAMP and (ymd := _YMD.fullmatch(value)):
            try:
                out[key] = dt.date(*map(int, ymd.groups()))
            except ValueError:
                return None
        else:
            return None
    return out


def _parse_front_matter(head: str, shown: str) -> dict:
    try:
        data = _load_yaml(head)
    except yaml.YAMLError as exc:
        line, problem = yaml_problem(exc, first_line=2)  # (after the opening fence)
        raise InputError(shown, f"front matter is not valid YAML: {problem}", line) from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise InputError(shown, "front matter must be a mapping of key: value lines", 2)
    lines = _key_lines(head)
    for key in data:
        if key not in ALLOWED_KEYS:
            allowed = ", ".join(ALLOWED_KEYS)
            raise InputError(
                shown, f"unknown front-matter key {key!r} (allowed: {allowed})", lines.get(key)
            )
    url = data.get("url")
    if not url:
        raise InputError(shown, "front matter needs a 'url'", 2)
    if not isinstance(url, str) or urlsplit(url).scheme not in ("http", "https"):
        raise InputError(shown, f"url must be an http(s) URL, got {url!r}", lines.get("url"))
    language = data.get("language") or "en"
    if language not in LANGUAGES:
        raise InputError(
            shown,
            f"language must be one of {', '.join(LANGUAGES)}, got {language!r}",
            lines.get("language"),
        )
    return {
        "url": url,
        "publisher": _text(data, "publisher", shown, lines),
        "published": _date(data, "published", shown, lines),
        "language": language,
        "title": _text(data, "title", shown, lines),
        "retrieved": _date(data, "retrieved", shown, lines),
        "notes": _text(data, "notes", shown, lines),
    }


def _key_lines(head: str) -> dict[str, int]:
    """Line of each top-level key in the file (front matter starts on line 2)."""
    out: dict[str, int] = {}
    for i, line in enumerate(head.splitlines()):
        m = re.match(r"([A-Za-z_][\w-]*)\s*:", line)
        if m:
            out.setdefault(m.group(1), i + 2)
    return out


def _text(data: dict, key: str, shown: str, lines: dict[str, int]) -> str | None:
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, (dict, list)):
        raise InputError(shown, f"{key} must be text, not a {type(value).__name__}", lines.get(key))
    value = str(value).strip()
    return value or None


def _date(data: dict, key: str, shown: str, lines: dict[str, int]) -> str | None:
    value = data.get(key)
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str) and _DATE.fullmatch(value.strip()):
        try:
            return dt.date.fromisoformat(value.strip()).isoformat()
        except ValueError:
            pass
    raise InputError(
        shown, f"{key} must be a date YYYY-MM-DD or null, got {value!r}", lines.get(key)
    )


def _source_id(path: Path, shown: str) -> str:
    sid = slugify(path.stem)
    if not sid[0].isalnum():
        raise InputError(shown, "file name must start with a letter or digit")
    return sid
