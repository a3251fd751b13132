"""The package's Table Schemas (schema/*.yaml), the one place column meanings are written down.

Everything else derives from here: CSV column order, the datapackage.json descriptor, SQLite
DDL, indexes, Datasette column descriptions and the `vocabulary` table.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from .paths import SCHEMA_DIR

PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"


@dataclass(frozen=True)
class Resource:
    name: str
    title: str
    description: str
    schema: dict

    @property
    def fields(self) -> list[dict]:
        return self.schema["fields"]

    @property
    def field_names(self) -> list[str]:
        return [f["name"] for f in self.fields]

    @property
    def primary_key(self) -> list[str]:
        return list(self.schema.get("primaryKey", []))

    @property
    def foreign_keys(self) -> list[dict]:
        return list(self.schema.get("foreignKeys", []))

    @property
    def required(self) -> set[str]:
        """The fields that may not be empty (NOT NULL in SQLite)."""
        return {f["name"] for f in self.fields if f.get("constraints", {}).get("required")}

    def field(self, name: str) -> dict:
        return next(f for f in self.fields if f["name"] == name)

    def enum_fields(self) -> list[str]:
        return [f["name"] for f in self.fields if "enum" in f.get("constraints", {})]


@cache
def package(schema_dir: Path = SCHEMA_DIR) -> tuple[dict, tuple[Resource, ...]]:
    """The package descriptor (without resources) and its resources, in load order."""
    desc = yaml.safe_load((schema_dir / "package.yaml").read_text(encoding="utf-8"))
    resources = []
    for r in desc.pop("resources"):
        schema = yaml.safe_load((schema_dir / r["schema"]).read_text(encoding="utf-8"))
        resources.append(Resource(r["name"], r["title"], r["description"], schema))
    return desc, tuple(resources)


def resources() -> tuple[Resource, ...]:
    return package()[1]


def resource(name: str) -> Resource:
    return next(r for r in resources() if r.name == name)


def descriptor() -> dict:
    """datapackage.json for a built package: inline schemas, one CSV per resource."""
    meta, res = package()
    out = {
        "name": meta["name"],
        "title": meta["title"],
        "description": meta["description"],
        "licenses": meta["licenses"],
        "resources": [],
    }
    for r in res:
        schema = {k: v for k, v in r.schema.items()}
        schema["fields"] = [_field_for_frictionless(f) for f in r.fields]
        out["resources"].append(
            {
                "name": r.name,
                "type": "table",
                "path": f"{r.name}.csv",
                "scheme": "file",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "title": r.title,
                "description": r.description,
                "dialect": {"csv": {"delimiter": ",", "lineTerminator": "\n"}},
                "schema": schema,
            }
        )
    return out


def _field_for_frictionless(f: dict) -> dict:
    """Anchor patterns (frictionless matches them as full matches, SQLite does not care)."""
    out = {k: v for k, v in f.items() if k != "categories"}
    if "categories" in f:
        out["categories"] = [dict(c) for c in f["categories"]]
    return out


def vocabulary_rows() -> list[dict]:
    rows = []
    for r in resources():
        for f in r.fields:
            for c in f.get("categories", []):
                rows.append(
                    {
                        "table_name": r.name,
                        "column_name": f["name"],
                        "value": c["value"],
                        "label": c["label"],
                    }
                )
    return sorted(rows, key=lambda x: (x["table_name"], x["column_name"], x["value"]))


def column_descriptions() -> dict[str, dict[str, str]]:
    """{table: {column: description}} for Datasette."""
    return {r.name: {f["name"]: f.get("description", "") for f in r.fields} for r in resources()}
