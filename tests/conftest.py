"""Shared fixtures: one real build of the seed articles per test session. Plain helper
functions live in support.py (importable from any test folder)."""

from __future__ import annotations

from pathlib import Path

import pytest

from roundtrace.paths import ARTICLES_DIR, ENTITIES_FILE
from roundtrace.pipeline import build


@pytest.fixture(scope="session")
def seed_dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("seed") / "dist"
    build(ARTICLES_DIR, out, ENTITIES_FILE, progress=False)
    return out
