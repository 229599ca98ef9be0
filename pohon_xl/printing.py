"""Paper, orientation and print scale of a sheet, chosen from its column widths.

A sheet fitted to the width of a page prints at whatever size that takes: a wide matrix on
A4 printed at under 5 pt. Here a sheet is fitted to a page's width only while its body text
stays at :data:`MIN_POINTS` or more; a wider sheet prints at that size on more pages across,
with its title columns repeated on each. Pure: the writers render the result.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from pohon_xl.sheets import PrintSetup, SheetSpec, column_letter

BODY_POINTS = 11.0  # the body font of every sheet written (Calibri 11)
MIN_POINTS = 8.0  # the smallest body text a sheet may print at
MIN_SCALE = math.ceil(100 * MIN_POINTS / BODY_POINTS)  # 73 %
SIDE_MARGINS = 1.0  # inches, left and right together (the writers' page margins)
# Paper in inches (short side, long side), tried in this order: the first that holds the
# sheet at MIN_POINTS or more across is chosen.
PAPERS: dict[str, tuple[float, float]] = {"A4": (8.27, 11.69), "A3": (11.69, 16.54)}
TRIALS = (("A4", False), ("A4", True), ("A3", True))


def column_points(width: float) -> float:
    """Printed width of a column ``width`` units wide (Excel: 7 px a unit + 5 px, 96 dpi)."""
    return 0.75 * (7 * width + 5)


def printable_width(paper: str, landscape: bool) -> float:
    short, long = PAPERS[paper]
    return ((long if landscape else short) - SIDE_MARGINS) * 72


def min_scale(body_points: float = BODY_POINTS) -> int:
    """The smallest print scale, in percent, at which text of ``body_points`` stays legible."""
    return math.ceil(100 * MIN_POINTS / body_points)


def fitted(widths: Iterable[float], *, title_rows: str = "", title_columns: int = 0,
           area: str = "", row_breaks: list[int] | None = None,
           body_points: float = BODY_POINTS,
           trials: tuple[tuple[str, bool], ...] = TRIALS) -> PrintSetup:
    """The first paper of ``trials`` on which the columns fit across with text of
    ``body_points`` printed at :data:`MIN_POINTS` or more; else the last paper at that
    smallest scale, with the first ``title_columns`` columns repeated on every page across."""
    total = sum(column_points(w) for w in widths) or 1.0
    smallest = min_scale(body_points)
    breaks = list(row_breaks or [])
    for paper, landscape in trials:
        if printable_width(paper, landscape) / total * 100 >= smallest:
            return PrintSetup(landscape=landscape, paper=paper, fit_to_width=True,
                              title_rows=title_rows, area=area, row_breaks=breaks)
    paper, landscape = trials[-1]
    columns = f"A:{column_letter(title_columns)}" if title_columns else ""
    return PrintSetup(landscape=landscape, paper=paper, fit_to_width=False, scale=smallest,
                      title_columns=columns, title_rows=title_rows, area=area, row_breaks=breaks)


def print_scale(setup: PrintSetup, widths: Iterable[float]) -> float:
    """The scale (1.0 = 100 %) the sheet prints at with ``setup``."""
    if not setup.fit_to_width:
        return (setup.scale or 100) / 100
    total = sum(column_points(w) for w in widths) or 1.0
    return min(1.0, printable_width(setup.paper, setup.landscape) / total)


def fit_page(sheet: SheetSpec, title_columns: int = 0, default_width: float = 8.43) -> None:
    """:func:`fitted` for a sheet's own widths, keeping its title rows, area and breaks."""
    last = max(max(map(len, sheet.rows), default=0), max(sheet.widths, default=0))
    widths = [sheet.widths.get(c, default_width) for c in range(1, last + 1)]
    setup = sheet.print
    sheet.print = fitted(widths, title_rows=setup.title_rows, title_columns=title_columns,
                         area=setup.area, row_breaks=setup.row_breaks)
