"""The looks of the named cell styles in ``pohon_xl.sheets.STYLE_NAMES``, adapter-neutral.

Every adapter (the zip patcher, live Excel) renders the same :class:`Look`, so a sheet looks
alike whichever way it was written.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from pohon_xl.sheets import POHON_STYLES

# Fills by severity/status (RRGGBB): Excel's own "bad / neutral / good" palette.
GALAT_FILL = "FFC7CE"
PERINGATAN_FILL = "FFEB9C"
OK_FILL = "C6EFCE"
INFO_FILL = "DDEBF7"
HEADER_FILL = "D9E1F2"
INPUT_FILL = "FFF2CC"  # a cell people type into (Rencana_Aksi, Realisasi)
UNUSED_FILL = "D9D9D9"
LINK_COLOR = "0563C1"

MONEY_FORMAT = '"Rp "#,##0'
NUMBER_FORMAT = "#,##0.##"
PERCENT_FORMAT = "0.0%"

# Fill of a cell at fault, by severity value ("Galat", "Peringatan", "Info").
MARK_FILLS = {"Galat": GALAT_FILL, "Peringatan": PERINGATAN_FILL, "Info": INFO_FILL}
# Named style of a `Status` cell, by status value.
STATUS_STYLES = {"Galat": "galat", "Peringatan": "peringatan", "OK": "ok", "Info": "info"}


@dataclass(frozen=True)
class Look:
    bold: bool = False
    size: float | None = None  # points; None = the workbook's default
    color: str = ""  # font colour RRGGBB
    underline: bool = False
    fill: str = ""  # solid fill RRGGBB
    border: bool = False  # thin border on all sides
    num_format: str = ""  # "" = General
    wrap: bool = False
    horizontal: str = ""  # "", "center", "left", "right"
    vertical: str = ""  # "", "top", "center"
    sides: tuple[tuple[str, str], ...] = ()  # extra edges: (side, "thin"|"medium"), for lines
    border_color: str = ""  # RRGGBB of the edges; "" = automatic

    def edges(self) -> dict[str, str]:
        """Side -> line style: all four thin when ``border``, then ``sides`` on top."""
        edges = dict.fromkeys(("left", "right", "top", "bottom"), "thin") if self.border else {}
        edges.update(self.sides)
        return edges


_TEXT = Look(border=True, wrap=True, vertical="top")

LOOKS: dict[str, Look] = {
    "text": _TEXT,
    "text_center": replace(_TEXT, horizontal="center"),
    "header": Look(bold=True, fill=HEADER_FILL, border=True, wrap=True, horizontal="center",
                   vertical="center"),
    "number": Look(border=True, num_format=NUMBER_FORMAT, vertical="top"),
    "money": Look(border=True, num_format=MONEY_FORMAT, vertical="top"),
    "percent": Look(border=True, num_format=PERCENT_FORMAT, vertical="top"),
    "title": Look(bold=True, size=14, horizontal="center", vertical="center"),
    "subtitle": Look(bold=True),
    "plain": Look(wrap=True, vertical="top"),
    "bold": Look(bold=True),
    "link": replace(_TEXT, color=LINK_COLOR, underline=True),
    "total": Look(bold=True, border=True, num_format=NUMBER_FORMAT, vertical="top"),
    "total_money": Look(bold=True, border=True, num_format=MONEY_FORMAT, vertical="top"),
    "galat": replace(_TEXT, fill=GALAT_FILL),
    "peringatan": replace(_TEXT, fill=PERINGATAN_FILL),
    "info": replace(_TEXT, fill=INFO_FILL),
    "ok": replace(_TEXT, fill=OK_FILL),
    "input": replace(_TEXT, fill=INPUT_FILL),
    "input_number": Look(border=True, num_format=NUMBER_FORMAT, vertical="top", fill=INPUT_FILL),
    "input_money": Look(border=True, num_format=MONEY_FORMAT, vertical="top", fill=INPUT_FILL),
    "unused": Look(border=True, fill=UNUSED_FILL),
}


def _pohon_look(spec: dict) -> Look:
    return Look(
        bold=spec.get("bold", False),
        size=spec.get("size"),
        color=spec.get("font_color", ""),
        fill=spec.get("fill", ""),
        wrap=spec.get("wrap", False),
        horizontal=spec.get("horizontal", ""),
        vertical=spec.get("vertical", ""),
        sides=tuple(sorted(spec.get("borders", {}).items())),
        border_color=spec.get("border_color", ""),
    )


LOOKS.update({name: _pohon_look(spec) for name, spec in POHON_STYLES.items()})
