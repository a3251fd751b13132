"""The `roundtrace` command: build, validate, serve, eval.

User mistakes (bad input files, an invalid package) print one clear line per problem on
stderr and exit 1 — never a traceback."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from . import __version__
from .errors import InputError, ValidationFailed
from .paths import ARTICLES_DIR, DIST_DIR, ENTITIES_FILE


def _fail(lines: list[str]) -> None:
    for line in lines:
        click.echo(f"error: {line}", err=True)
    sys.exit(1)


@click.group()
@click.version_option(__version__, prog_name="roundtrace")
def main() -> None:
    """Trace funding rounds through what the press claims about them."""


@main.command()
@click.option(
    "--articles",
    "articles",
    type=click.Path(path_type=Path),
    default=ARTICLES_DIR,
    show_default=True,
    help="Folder of article files (YAML front matter + body).",
)
@click.option(
    "--out",
    "out",
    type=click.Path(path_type=Path),
    default=DIST_DIR,
    show_default=True,
    help="Output folder (replaced only when the build succeeds).",
)
@click.option(
    "--entities",
    type=click.Path(path_type=Path),
    default=ENTITIES_FILE,
    show_default=True,
    help="Curated entity registry.",
)
@click.option("--quiet", is_flag=True, help="No progress output.")
@click.option(
    "--full",
    is_flag=True,
    help="Rebuild everything (by default a build after a few changed articles updates only "
    "what they touch).",
)
def build(articles: Path, out: Path, entities: Path, quiet: bool, full: bool) -> None:
    """Build the data package, validate it and load it into SQLite."""
    from .pipeline import build as run_build

    try:
        result = run_build(articles, out, entities, progress=not quiet, incremental=not full)
    except InputError as exc:
        _fail([str(exc)])
    except ValidationFailed as exc:
        _fail(["the built package is invalid; nothing was replaced", *exc.errors])
    if not quiet:
        counts = ", ".join(f"{n} {t}" for t, n in result.counts.items() if t != "vocabulary")
        click.echo(f"built {result.out} in {result.seconds:.1f}s: {counts}", err=True)


@main.command()
@click.argument("folder", type=click.Path(path_type=Path), default=DIST_DIR)
def validate(folder: Path) -> None:
    """Re-validate a built package (types, constraints, primary and foreign keys)."""
    from .validate import validate_package

    try:
        validate_package(folder)
    except InputError as exc:
        _fail([str(exc)])
    except ValidationFailed as exc:
        _fail([f"{folder}/datapackage.json is invalid", *exc.errors])
    click.echo(f"{folder}/datapackage.json: valid")


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8001, show_default=True, type=int)
@click.option(
    "--out",
    "out",
    type=click.Path(path_type=Path),
    default=DIST_DIR,
    show_default=True,
    help="Built output folder to serve.",
)
def serve(host: str, port: int, out: Path) -> None:
    """Serve the dataset with Datasette (building first when the output is stale)."""
    from .serve import run

    try:
        run(host, port, out)
    except InputError as exc:
        _fail([str(exc)])
    except ValidationFailed as exc:
        _fail(["the built package is invalid", *exc.errors])


@main.command(name="eval")
@click.option(
    "--gold",
    "gold",
    type=click.Path(path_type=Path, exists=True),
    required=True,
    help="Folder of gold annotation files (*.yml).",
)
@click.option(
    "--articles",
    "articles",
    type=click.Path(path_type=Path),
    default=None,
    help="Articles to build and score (default: the seeds).",
)
@click.option(
    "--json",
    "as_json",
    type=click.Path(path_type=Path),
    default=None,
    help="Also write the scores as JSON to this file ('-' for stdout).",
)
def eval_(gold: Path, articles: Path | None, as_json: Path | None) -> None:
    """Score extraction against gold annotations: P/R/F1 per claim type."""
    import json
    import tempfile

    from . import evaluate
    from .pipeline import build as run_build

    try:
        with tempfile.TemporaryDirectory(prefix="roundtrace-eval-") as tmp:
            out = Path(tmp) / "dist"
            run_build(articles or ARTICLES_DIR, out, ENTITIES_FILE, progress=False)
            report = evaluate.score(gold, out)
    except (InputError, ValueError) as exc:
        _fail([str(exc)])
    except ValidationFailed as exc:
        _fail(["the built package is invalid", *exc.errors])
    click.echo(evaluate.format_table(report))
    if as_json:
        text = json.dumps(evaluate.report_json(report), indent=2, ensure_ascii=False)
        if str(as_json) == "-":
            click.echo(text)
        else:
            as_json.write_text(text + "\n", encoding="utf-8")


@main.command()
@click.option("--check", is_flag=True, help="Exit 1 if README.md is out of date; change nothing.")
def docs(check: bool) -> None:
    """Regenerate README.md's data-model and vocabulary sections from schema/."""
    from .docs import render, update
    from .paths import ROOT

    readme = ROOT / "README.md"
    if check:
        text = readme.read_text(encoding="utf-8")
        if render(text) != text:
            _fail(["README.md is out of date: run `roundtrace docs`"])
        click.echo("README.md is up to date")
        return
    click.echo("README.md updated" if update(readme) else "README.md already up to date")
