"""Stable identifiers: a hash of what a row *is*, never of where it sits, so ids survive
re-ordering, re-builds and incremental updates."""

import hashlib
import re


def stable_id(prefix: str, *parts: object) -> str:
    text = "\x1f".join(["" if p is None else str(p) for p in parts])
    return f"{prefix}-{hashlib.sha1(text.encode('utf-8')).hexdigest()[:16]}"


_UNSAFE = re.compile(r"[^a-z0-9._-]+")


def slugify(text: str) -> str:
    """Lower-case ASCII slug; non-ASCII names fall back to a short hash so ids stay ASCII."""
    slug = _UNSAFE.sub("-", text.lower()).strip("-.")
    if not slug:
        slug = hashlib.sha1(text.encode("utf-8")).hexdigest()[:10]
    return slug
