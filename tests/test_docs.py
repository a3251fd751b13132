"""The README's generated sections match schema/ (one source of truth for column meanings)."""

from roundtrace import schema
from roundtrace.docs import render
from roundtrace.paths import ROOT


def test_readme_generated_sections_are_current():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert render(text) == text, "README.md is stale: run `roundtrace docs`"


def test_readme_documents_every_coded_value():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    for r in schema.resources():
        for f in r.fields:
            for value in f.get("constraints", {}).get("enum", []):
                assert f"`{value}`" in text, (r.name, f["name"], value)
