"""Safe full-text search: an `escape_fts(text)` SQL function for canned queries (their snippets
are highlighted by cells.py).

escape_fts quotes every whitespace-separated word as an FTS5 string (doubling inner quotes), so
any user text is a plain phrase list: `"`, `*`, `(`, `'`, AND/OR/NOT/NEAR and column filters
lose their special meaning and never raise an FTS5 syntax error. It replaces Datasette's own
escape_fts (registered last, so it wins), which fails on an unbalanced quote; the table pages'
?_search= use it too. Snippets are produced with
char(2)/char(3) as markers (never in article text); cells.py HTML-escapes the snippet and only
then turns the markers into <mark>.
"""

from __future__ import annotations

import re

from datasette import hookimpl

_TOKENS = re.compile(r'"([^"]*)"|(\S+)')
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def escape_fts(query: object) -> str:
    """Balanced "quoted phrases" stay phrases; every other run of non-space characters becomes
    one quoted FTS5 string (inner quotes doubled). Nothing left → an empty phrase, which matches
    nothing and is never a syntax error."""
    parts = []
    text = _CONTROL.sub(" ", str(query or ""))  # FTS5 reads the query as a C string
    for phrase, word in _TOKENS.findall(text):
        text = phrase or word
        if text.strip():
            parts.append('"{}"'.format(text.replace('"', '""')))
    return " ".join(parts) or '""'


@hookimpl(trylast=True)
def prepare_connection(conn):
    conn.create_function("escape_fts", 1, escape_fts)
