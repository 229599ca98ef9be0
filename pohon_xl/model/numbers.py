"""Numbers as planners type them: ``1.250.000``, ``0,85``, ``70%``, ``Rp 2.500.000``."""

from __future__ import annotations

import math
import re

_CURRENCY = re.compile(r"^\s*(rp\.?|idr)\s*", re.IGNORECASE)
_THOUSANDS_DOT = re.compile(r"^-?\d{1,3}(\.\d{3})+$")
_THOUSANDS_DOT_DECIMAL_COMMA = re.compile(r"^-?\d{1,3}(\.\d{3})*,\d+$")
_THOUSANDS_COMMA_DECIMAL_DOT = re.compile(r"^-?\d{1,3}(,\d{3})+(\.\d+)?$")
_PLAIN = re.compile(r"^-?\d+([.,]\d+)?$")


def clean_float(value: float) -> float:
    """Remove binary noise (274.65999999999997 -> 274.66) without losing real digits."""
    return float(f"{value:.15g}")


def parse_number(value: object) -> float | None:
    """The number a cell means, or None when it is not a number.

    Indonesian style wins where a text is ambiguous: ``1.250`` is one thousand two hundred
    and fifty and ``0,85`` is a fraction, because that is how planners here type them.
    ``70%`` reads as 70, in the unit ``%``.
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        number = float(value)
        return clean_float(number) if math.isfinite(number) else None
    text = str(value).strip().replace("\u00a0", "").replace(" ", "")
    text = _CURRENCY.sub("", text)
    if text.endswith((",-", ".-")):  # "Rp 2.500.000,-"
        text = text[:-2]
    if text.endswith("%"):
        text = text[:-1]
    if text.startswith("(") and text.endswith(")"):  # accounting negative
        text = "-" + text[1:-1]
    if not text:
        return None
    if _THOUSANDS_DOT.match(text):
        text = text.replace(".", "")
    elif _THOUSANDS_DOT_DECIMAL_COMMA.match(text):
        text = text.replace(".", "").replace(",", ".")
    elif _THOUSANDS_COMMA_DECIMAL_DOT.match(text) and "." in text:
        text = text.replace(",", "")
    elif _PLAIN.match(text):
        text = text.replace(",", ".")
    else:
        return None
    try:
        return clean_float(float(text))
    except ValueError:
        return None


def parse_year(value: object) -> int | None:
    number = parse_number(value)
    if number is None or number != int(number) or not 1900 <= number <= 2200:
        return None
    return int(number)


def format_number(value: float | None) -> str:
    """Indonesian display: 1.250.000 and 0,85 (used in messages)."""
    if value is None:
        return ""
    if value == int(value):
        return f"{int(value):,}".replace(",", ".")
    whole, _, frac = f"{value:,.6f}".rstrip("0").partition(".")
    return whole.replace(",", ".") + ("," + frac if frac else "")


# A target typed as a range: "70–80", "70 - 80", "70 s.d. 80", "≥ 80", ">= 80", "min. 80",
# "≤ 5", "maks 5". Comparison signs are read as bounds (">" as "≥": a target names a level).
_AT_LEAST = re.compile(r"^\s*(?:≥|>=?|=>|min(?:imal|imum)?\.?)\s*(.+)$", re.IGNORECASE)
_AT_MOST = re.compile(r"^\s*(?:≤|<=?|=<|maks(?:imal|imum)?\.?|max(?:imal|imum)?\.?)\s*(.+)$",
                      re.IGNORECASE)
_BETWEEN = re.compile(r"^\s*(.*?\d%?)\s*(?:[-–—]|s\.?\s*/?\s*d\.?|sampai(?:\s+dengan)?)\s*(.+)$",
                      re.IGNORECASE)

Range = tuple[float | None, float | None]  # (low, high); None: open on that side


def parse_range(value: object) -> Range | None:
    """The bounds of a target typed as a range, or None when it is no range (a plain number
    is no range: :func:`parse_number` reads it). Bounds given the wrong way round are put in
    order."""
    if not isinstance(value, str):
        return None
    text = value.strip()
    for pattern, low_side in ((_AT_LEAST, True), (_AT_MOST, False)):
        match = pattern.match(text)
        if match:
            bound = parse_number(match.group(1))
            if bound is None:
                return None
            return (bound, None) if low_side else (None, bound)
    match = _BETWEEN.match(text)
    if match is None:
        return None
    low, high = parse_number(match.group(1)), parse_number(match.group(2))
    if low is None or high is None:
        return None
    return (min(low, high), max(low, high))
