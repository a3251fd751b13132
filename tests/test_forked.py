"""forked.start: a result comes back, and any failure of the child is a RuntimeError that says
what failed, never a hang."""

from __future__ import annotations

import os

import pytest

from roundtrace import forked


def test_the_result_comes_back():
    data = list(range(1000))  # seen by the child as it is (fork)
    assert forked.start(lambda: sum(data), "summing")() == sum(data)


def test_an_error_in_the_child_is_raised_here():
    def boom() -> None:
        raise ValueError("bad cell")

    with pytest.raises(RuntimeError, match=r"^checking failed: ValueError\('bad cell'\)$"):
        forked.start(boom, "checking")()


def test_a_child_that_dies_is_reported():
    with pytest.raises(RuntimeError, match="^loading failed: its process died$"):
        forked.start(lambda: os._exit(3), "loading")()
