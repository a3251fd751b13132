"""Where the project's inputs live. The code sits in build/roundtrace, so the repo root is two up;
ROUNDTRACE_ROOT overrides it (e.g. for an installed copy)."""

import os
from pathlib import Path

ROOT = Path(os.environ.get("ROUNDTRACE_ROOT") or Path(__file__).resolve().parents[2])
SCHEMA_DIR = ROOT / "schema"
SEEDS_DIR = ROOT / "seeds"
ARTICLES_DIR = SEEDS_DIR / "articles"
ENTITIES_FILE = SEEDS_DIR / "entities.yml"
METADATA_FILE = ROOT / "metadata.yml"
PLUGINS_DIR = ROOT / "datasette-plugins"
DIST_DIR = ROOT / "dist"
DB_NAME = "roundtrace.db"
