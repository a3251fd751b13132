"""User-facing errors. The CLI prints these as one line each (no traceback) and exits non-zero;
anything else escaping the pipeline is a bug and keeps its traceback."""

from pathlib import Path


class InputError(Exception):
    """A problem in an input file the user can fix: names the file and, when known, the line."""

    def __init__(self, path: Path | str, message: str, line: int | None = None):
        self.path = str(path)
        self.line = line
        self.message = message
        super().__init__(str(self))

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}"


class ValidationFailed(Exception):
    """The built package broke its own schema; `errors` lists each problem, located."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__(f"{len(errors)} validation error(s)")
