"""Validate: check a built package against its own schema with frictionless (types,
constraints, enums, primary and foreign keys), and report each error with its location."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

from .errors import InputError, ValidationFailed

MAX_REPORTED = 50


def validate_package(folder: Path) -> None:
    """Raise ValidationFailed listing '<resource>.csv:<row>: <field>: <message>' lines."""
    descriptor = folder / "datapackage.json"
    if not descriptor.is_file():
        raise InputError(folder, "no datapackage.json here: build the package first")
    try:
        # read here first: frictionless reports a JSON mistake without its line
        doc = json.loads(descriptor.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        raise InputError(descriptor, f"not valid UTF-8 at byte {exc.start}") from None
    except json.JSONDecodeError as exc:
        raise InputError(descriptor, f"not valid JSON: {exc.msg}", exc.lineno) from None
    if not isinstance(doc, dict):
        raise InputError(descriptor, "not a data package: expected a JSON object")
    from frictionless import FrictionlessException, Package, system

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with system.use_context(trusted=True):
            try:
                report = Package(str(descriptor)).validate()
            except FrictionlessException as exc:
                # a descriptor frictionless cannot open at all (not a package, say)
                raise ValidationFailed(
                    [f"datapackage.json: {exc.error.type}: {exc.error.note or exc.error.message}"]
                ) from None
    if report.valid:
        return
    errors: list[str] = []
    for task in report.tasks:
        name = task.name or "package"
        for err in task.errors:
            row = getattr(err, "row_number", None)
            fieldname = getattr(err, "field_name", None)
            where = f"{name}.csv" + (f":{row}" if row else "")
            what = f"{fieldname}: " if fieldname else ""
            errors.append(f"{where}: {what}{err.type}: {err.note or err.message}")
    for err in report.errors:
        errors.append(f"datapackage.json: {err.type}: {err.note or err.message}")
    raise ValidationFailed(
        errors[:MAX_REPORTED]
        + ([f"… and {len(errors) - MAX_REPORTED} more"] if len(errors) > MAX_REPORTED else [])
    )
