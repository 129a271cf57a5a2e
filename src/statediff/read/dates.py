"""Dates in front matter, headers and page metadata: one reading for every reader."""

from __future__ import annotations

import datetime as dt
from typing import Any

from statediff.errors import StatediffError


def parse_date(value: Any, name: str = "<input>") -> dt.date | None:
    """A ``date`` field as a date: YAML dates, ISO strings, or nothing."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError as exc:
        raise StatediffError(f"{name}: date {str(value)!r} is not a date in YYYY-MM-DD form; fix the date field") from exc
