"""Datasette configuration derived from one source of truth.

metadata.yml holds what is about presentation (facets, sorts, label columns, canned queries);
table and column descriptions come from schema/ and are merged in here, never copied by hand.
"""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from . import schema
from .errors import InputError
from .paths import DB_NAME, METADATA_FILE, PLUGINS_DIR

DB = DB_NAME.removesuffix(".db")
# Page templates of the plugins (round, article and API pages), passed to --template-dir.
TEMPLATES_DIR = PLUGINS_DIR / "templates"
# The whole data package in one file, served at /downloads/<ZIP_NAME> beside its parts.
ZIP_NAME = "roundtrace-datapackage.zip"

# Public-instance settings: bounded SQL, bounded rows, downloads on, cached, no facet suggestions
# (they scan every column of big tables on each page view).
# facet_time_limit_ms (issue 6, measured at 100k articles / 1.2M claims): every plain configured
# facet has an index (load._presentation_indexes) and finishes in ~100-300 ms, so 500 ms keeps
# them all. Datasette 0.65's array facet (`select distinct j.value, inner.*`) cannot use an index
# and takes 1-4 s on claims.hedges and term_history.conflict_kinds at that size: no limit that
# keeps pages usable lets it finish, so datasette-plugins/facet_cache.py computes the configured
# facets of unfiltered pages once at start-up; live (filtered) facets keep this limit, and one
# that times out is listed on the page and in the JSON, never silently dropped.
SETTINGS = {
    "sql_time_limit_ms": 1000,
    "max_returned_rows": 1000,
    "allow_download": True,
    "default_cache_ttl": 300,
    "suggest_facets": False,
    "facet_time_limit_ms": 500,
    "num_sql_threads": 3,
    "max_csv_mb": 100,
}


def load_metadata(path: Path = METADATA_FILE) -> dict:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except FileNotFoundError:
        raise InputError(path, "metadata file not found") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise InputError(
            path, f"not valid YAML: {getattr(exc, 'problem', exc)}", mark.line + 1 if mark else None
        ) from None
    return data


def metadata(path: Path = METADATA_FILE) -> dict:
    """metadata.yml with schema descriptions merged into every table."""
    meta = load_metadata(path)
    tables = meta.setdefault("databases", {}).setdefault(DB, {}).setdefault("tables", {})
    for r in schema.resources():
        t = tables.setdefault(r.name, {})
        t.setdefault("title", r.title)
        t.setdefault("description", r.description)
        t["columns"] = {f["name"]: f.get("description", "") for f in r.fields}
    return meta


def write_metadata(out_dir: Path, path: Path = METADATA_FILE) -> Path:
    target = out_dir / "metadata.json"
    target.write_text(
        json.dumps(metadata(path), ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    return target


def write_zip(out_dir: Path) -> Path:
    """The package as one deterministic zip (see package.write_zip), under its public name."""
    from .package import write_zip as write_package_zip

    return write_package_zip(out_dir, ZIP_NAME)
