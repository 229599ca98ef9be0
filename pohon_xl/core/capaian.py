"""Achievement (*capaian kinerja*): target against realisation, per quarter and per year.

Pure: numbers in, numbers out; :mod:`pohon_xl.core.derive.capaian` lays them out as sheets.

The formulas (PermenPANRB 53/2014, LKjIP chapter III; the same in the e-SAKIP tools):

- ``Naik`` (higher is better): ``R / T × 100``.
- ``Turun`` (lower is better): ``(2T − R) / T × 100``. Some tools use ``T / R × 100`` instead;
  that one divides by zero when the realisation is the best possible (zero cases), grows
  without bound as R falls, and is not symmetric with ``Naik`` (missing by 10 % gives 90,9 %,
  not 90 %). ``(2T − R) / T`` is linear: a miss or an overshoot of x % of the target gives
  100 − x or 100 + x, exactly as for ``Naik``.

Both are ``100 ± (R − T) / |T| × 100`` (+ for Naik, − for Turun), which is how they are
computed here: for a positive target the same figure, and a negative target (a growth of
−2 %) keeps the sign of "better" right.

A target of zero is not divided by: it is met (100) when the realisation is on its good side
or equal (Naik: R ≥ 0; Turun: R ≤ 0) and missed (0) otherwise.

A target typed as a range (``70–80``, ``≥ 80``, ``≤ 5``) is clamped to the bound nearer the
realisation: a realisation inside the range met its target (100); below ``70–80`` it is
measured against 70, above against 80.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pohon_xl.model import contract as C
from pohon_xl.model.numbers import Range, format_number, parse_range
from pohon_xl.model.plan import Number

# Category bands: an achievement above the first bound is the first category, and so on; at
# or below the last bound, the last category. The default is the evaluation scale of
# Permendagri 86/2017 (evaluasi hasil RKPD): Sangat Tinggi 91–100, Tinggi 76–90, Sedang
# 66–75, Rendah 51–65, Sangat Rendah ≤ 50 — on whole percents, "above 90" is 91 and more.
DEFAULT_BANDS: tuple[float, ...] = (90.0, 75.0, 65.0, 50.0)
CATEGORIES = ("Sangat Tinggi", "Tinggi", "Sedang", "Rendah", "Sangat Rendah")
BANDS_SOURCE = "Permendagri 86/2017"


@dataclass(frozen=True)
class Target:
    """A target: a number, or a range with one or two bounds."""

    low: float | None
    high: float | None

    @property
    def is_range(self) -> bool:
        return self.low != self.high

    def nearest(self, realisation: float) -> float:
        """The value the realisation is measured against: itself inside the range, else the
        nearer bound."""
        value = realisation
        if self.low is not None and value < self.low:
            value = self.low
        if self.high is not None and value > self.high:
            value = self.high
        return value

    def text(self) -> str:
        """The target as planners write it (Indonesian numbers)."""
        if not self.is_range:
            return format_number(self.low)
        if self.high is None:
            return f"≥ {format_number(self.low)}"
        if self.low is None:
            return f"≤ {format_number(self.high)}"
        return f"{format_number(self.low)}–{format_number(self.high)}"


def target_of(cell: Number | None) -> Target | None:
    """A target cell as a :class:`Target` (None: empty, or neither a number nor a range)."""
    if cell is None:
        return None
    if cell.value is not None:
        return Target(cell.value, cell.value)
    bounds: Range | None = parse_range(cell.raw)
    return Target(*bounds) if bounds is not None else None


def descending(arah: str) -> bool:
    """Whether lower is better (``Turun``, as typed in any case); anything else reads Naik."""
    return arah.strip().casefold() == C.ARAH_TURUN.casefold()


def achievement(target: Target | None, realisation: float | None, lower_is_better: bool
                ) -> float | None:
    """The achievement in percent (None when the target or the realisation is missing)."""
    if target is None or realisation is None:
        return None
    goal = target.nearest(realisation)
    if goal == 0:
        met = realisation <= 0 if lower_is_better else realisation >= 0
        return 100.0 if met else 0.0
    gap = (realisation - goal) / abs(goal) * 100
    return round(100 - gap if lower_is_better else 100 + gap, 10)


def category(value: float | None, bands: Sequence[float] = DEFAULT_BANDS) -> str:
    """The category of an achievement under ``bands`` (descending bounds; see
    :data:`DEFAULT_BANDS`); "" when there is no achievement."""
    if value is None:
        return ""
    names = categories(len(bands))
    for name, bound in zip(names, bands):
        if value > bound:
            return name
    return names[len(bands)]


def categories(bounds: int) -> tuple[str, ...]:
    """The names of ``bounds + 1`` categories: the five of the regulation, or fewer from its
    ends (three bounds: Sangat Tinggi, Tinggi, Rendah, Sangat Rendah)."""
    if bounds + 1 == len(CATEGORIES):
        return CATEGORIES
    if bounds + 1 < len(CATEGORIES):
        half = (bounds + 1) // 2
        return CATEGORIES[:half] + CATEGORIES[len(CATEGORIES) - (bounds + 1 - half):]
    return tuple(f"Kategori {i}" for i in range(1, bounds + 2))


def parse_bands(text: str) -> tuple[float, ...]:
    """``--pita 90,75,65,50`` -> (90, 75, 65, 50); raises ValueError with an Indonesian
    message when the bounds are not numbers or not strictly descending."""
    from pohon_xl.model.numbers import parse_number

    parts = [part.strip() for part in text.replace(";", ",").split(",") if part.strip()]
    values = [parse_number(part) for part in parts]
    if not values or any(v is None for v in values):
        raise ValueError(f"pita '{text}' harus berupa angka dipisah koma, mis. 90,75,65,50")
    bands = tuple(float(v) for v in values if v is not None)
    if any(a <= b for a, b in zip(bands, bands[1:])):
        raise ValueError(f"pita '{text}' harus menurun, mis. 90,75,65,50")
    return bands


def bands_text(bands: Sequence[float]) -> str:
    """The bands in words, for the sheets: "Sangat Tinggi > 90; Tinggi > 75 …"."""
    names = categories(len(bands))
    parts = [f"{name} > {format_number(bound)}" for name, bound in zip(names, bands)]
    parts.append(f"{names[len(bands)]} ≤ {format_number(bands[-1])}")
    return "; ".join(parts)


def absorption(budget: float | None, spent: float | None) -> float | None:
    """Budget absorption in percent (None without a budget or a realisation)."""
    if not budget or spent is None:
        return None
    return round(spent / budget * 100, 10)


def change(now: float | None, before: float | None) -> float | None:
    """The realisation's change from the previous year, in the indicator's unit."""
    if now is None or before is None:
        return None
    return round(now - before, 10)
