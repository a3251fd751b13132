"""Serve: run Datasette on the built database (immutable), rebuilding first when the output is
missing or older than any of its inputs."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from pathlib import Path

from .paths import (
    ARTICLES_DIR,
    DB_NAME,
    ENTITIES_FILE,
    METADATA_FILE,
    PLUGINS_DIR,
    ROOT,
    SCHEMA_DIR,
)
from .site import SETTINGS, TEMPLATES_DIR, write_metadata


def _newest_input() -> float:
    paths = [ENTITIES_FILE, METADATA_FILE]
    for folder in (
        ARTICLES_DIR,
        SCHEMA_DIR,
        PLUGINS_DIR,
        ROOT / "build" / "roundtrace",
        ROOT / "seeds",
    ):
        if folder.is_dir():
            paths.extend(p for p in folder.rglob("*") if p.is_file())
    return max((p.stat().st_mtime for p in paths if p.exists()), default=0.0)


def is_stale(out: Path) -> bool:
    db = out / DB_NAME
    return not db.exists() or db.stat().st_mtime < _newest_input()


def command(out: Path, host: str, port: int) -> list[str]:
    args = [
        sys.executable,
        "-m",
        "datasette",
        "serve",
        "-i",
        str(out / DB_NAME),
        "--metadata",
        str(out / "metadata.json"),
        "--plugins-dir",
        str(PLUGINS_DIR),
        "--template-dir",
        str(TEMPLATES_DIR),
        "--static",
        f"downloads:{out}",
        "--cors",
        "-h",
        host,
        "-p",
        str(port),
    ]
    inspect = out / "inspect.json"
    if inspect.exists():
        args += ["--inspect-file", str(inspect)]
    for key, value in SETTINGS.items():
        args += ["--setting", key, _setting(value)]
    return args


def _setting(value: object) -> str:
    if isinstance(value, bool):
        return "on" if value else "off"
    return str(value)


def run(host: str, port: int, out: Path) -> None:
    from .pipeline import build, log

    if is_stale(out):
        log(f"building {out} (missing or older than its inputs)…")
        build(ARTICLES_DIR, out)
    write_metadata(out)  # metadata.yml may have changed without the inputs of a build
    log(f"serving http://{host}:{port}/ (Ctrl-C to stop)")
    env = dict(os.environ)
    with contextlib.suppress(KeyboardInterrupt):
        subprocess.run(command(out, host, port), check=False, env=env)
