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


def yaml_problem(exc: Exception, first_line: int = 1) -> tuple[int | None, str]:
    """(line, one-line problem) of a PyYAML error; `first_line` is the file line of the YAML
    text's first line (2 for front matter after its opening fence)."""
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    return (mark.line + first_line if mark else None), problem
