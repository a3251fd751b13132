"""Helpers for tests: run the real CLI, copy the seeds, find the read-only originals."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from roundtrace.paths import ARTICLES_DIR, ROOT

SHARED = ROOT.parent / "shared"


def run_cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    """Run the real `roundtrace` command in a subprocess, as a user would."""
    env = dict(os.environ, PYTHONPATH=str(ROOT / "build"))
    return subprocess.run(
        [sys.executable, "-m", "roundtrace", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=300,
    )


def copy_seeds(target: Path) -> Path:
    """A private copy of the seed articles to break in a test."""
    shutil.copytree(ARTICLES_DIR, target)
    return target


def require_shared() -> Path:
    if not SHARED.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"{SHARED} is missing under CI")
        pytest.skip(f"{SHARED} (the read-only originals) is not beside the repo")
    return SHARED
