"""Work for the second core: a function run in a forked process while the caller goes on.

Fork, not spawn: the child sees the parent's data as it is (spilled runs, synthesis input), and
only the result travels back through a pipe."""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def start(fn: Callable[[], T], what: str) -> Callable[[], T]:
    """Runs fn() in a forked process; returns a function that waits for it and gives fn's
    result, or raises RuntimeError("<what> failed: …") with the child's error."""
    ctx = multiprocessing.get_context("fork")
    receive, send = ctx.Pipe(duplex=False)

    def child() -> None:
        try:
            result = ("ok", fn())
        except BaseException as exc:  # noqa: BLE001 - reported in the parent
            result = ("error", str(exc) if isinstance(exc, RuntimeError) else repr(exc))
        send.send(result)

    proc = ctx.Process(target=child, name=f"roundtrace {what}")
    proc.start()
    send.close()

    def wait() -> T:
        try:
            status, value = receive.recv()
        except EOFError:
            status, value = "error", "its process died"
        proc.join()
        if status != "ok":
            raise RuntimeError(f"{what} failed: {value}")
        return value

    return wait
