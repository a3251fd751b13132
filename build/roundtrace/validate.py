"""Validate: check a built package against its own schema with frictionless (types,
constraints, enums, primary and foreign keys), and report each error with its location."""

from __future__ import annotations

import warnings
from pathlib import Path

from .errors import InputError, ValidationFailed

MAX_REPORTED = 50


def validate_package(folder: Path) -> None:
    """Raise ValidationFailed listing '<resource>.csv:<row>: <field>: <message>' lines."""
    descriptor = folder / "datapackage.json"
    if not descriptor.is_file():
        raise InputError(folder, "no datapackage.json here: build the package first")
    from frictionless import Package, system

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with system.use_context(trusted=True):
            report = Package(str(descriptor)).validate()
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
