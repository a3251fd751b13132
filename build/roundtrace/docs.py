"""Docs: the README's data-model and vocabulary sections, generated from schema/ so that column
meanings and coded values are written once. `roundtrace docs` rewrites them in place; a test
fails when the README is out of date."""

from __future__ import annotations

import re
from pathlib import Path

from . import schema

BEGIN = "<!-- BEGIN GENERATED {name} (roundtrace docs) -->"
END = "<!-- END GENERATED {name} -->"


def _cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def tables_section() -> str:
    lines = ["| table | what one row is | key |", "|---|---|---|"]
    for r in schema.resources():
        key = ", ".join(f"`{k}`" for k in r.primary_key)
        lines.append(f"| `{r.name}` | {_cell(r.description)} | {key} |")
    return "\n".join(lines)


def vocabulary_section() -> str:
    out = []
    for r in schema.resources():
        for f in r.fields:
            cats = f.get("categories")
            if not cats or r.name == "vocabulary":
                continue
            out.append(f"**`{r.name}.{f['name']}`** — {_cell(f.get('description', ''))}\n")
            out.extend(f"- `{c['value']}`: {_cell(c['label'])}" for c in cats)
            out.append("")
    return "\n".join(out).rstrip()


SECTIONS = {"TABLES": tables_section, "VOCABULARY": vocabulary_section}


def render(readme: str) -> str:
    for name, make in SECTIONS.items():
        begin, end = BEGIN.format(name=name), END.format(name=name)
        pattern = re.compile(re.escape(begin) + r".*?" + re.escape(end), re.DOTALL)
        if not pattern.search(readme):
            raise ValueError(f"README has no {begin} … {end} block")
        readme = pattern.sub(lambda _m, b=begin, e=end, f=make: f"{b}\n{f()}\n{e}", readme)
    return readme


def update(path: Path) -> bool:
    """Rewrite the generated sections; True when the file changed."""
    old = path.read_text(encoding="utf-8")
    new = render(old)
    if new != old:
        path.write_text(new, encoding="utf-8")
    return new != old
