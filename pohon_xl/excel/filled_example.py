"""The example of the sheets people fill: an office's workbook with `Rencana_Aksi` and
`Realisasi` as `turunkan` generates them, then typed into as the data file says
(``pohon_xl/data/examples/opd_dishub_realisasi.yml``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from pohon_xl.core.filled.edits import new_sheet
from pohon_xl.core.filled.layout import Expected, columns_of, expected_rows
from pohon_xl.core.link import Tree
from pohon_xl.excel.examples import Example
from pohon_xl.excel.read import read_raw
from pohon_xl.excel.write import write_workbook
from pohon_xl.model import contract as C
from pohon_xl.model.cycle import (
    ANGGARAN_TW, BUKTI_DUKUNG, CARA_AKUMULASI, REALISASI_ANGGARAN_TW, REALISASI_TAHUN_LALU,
    REALISASI_TW, TARGET_TW,
)
from pohon_xl.model.parse import parse_workbook
from pohon_xl.sheets import Cell, SheetSpec, WorkbookEdits

# A data row's key -> the headers it fills (a list: TW I … TW IV).
_TYPED: dict[str, tuple[str, ...]] = {
    "accumulation": (CARA_AKUMULASI,), "targets": TARGET_TW, "budgets": ANGGARAN_TW,
    "realisations": REALISASI_TW, "budget_realisations": REALISASI_ANGGARAN_TW,
    "previous_year": (REALISASI_TAHUN_LALU,), "evidence": (BUKTI_DUKUNG,),
    "note": (C.KETERANGAN,),
}


def _typed_cells(entry: Mapping[str, Any]) -> dict[str, str | int | float | None]:
    cells: dict[str, str | int | float | None] = {}
    for key, headers in _TYPED.items():
        if key in entry:
            values = entry[key] if isinstance(entry[key], list) else [entry[key]]
            if len(values) != len(headers):
                raise ValueError(f"{entry['id']}: {key} perlu {len(headers)} nilai")
            cells.update(zip(headers, values))
    return cells


def _row_of(rows: Sequence[Expected], entry: Mapping[str, Any]) -> int:
    """The sheet row (header = 1) of the data file's ``id`` and ``indicator`` index."""
    index = entry.get("indicator", 0)
    for number, expected in enumerate(rows, start=2):
        node = expected.node
        if node.id == entry["id"] and node.indicators[index] is expected.indicator:
            return number
    raise ValueError(f"{entry['id']} indikator {index}: tidak ada barisnya")


def filled_sheets(path: Path, example: Example) -> list[SheetSpec]:
    """The two sheets as generated for the workbook at ``path``, with the data typed in."""
    plan = parse_workbook(read_raw(path), source=path.name)
    rows = expected_rows(plan, Tree(plan.nodes, plan.positions))
    sheets = []
    # Realisasi's Cara Akumulasi is copied from Rencana_Aksi (by the next run of turunkan).
    copied = [{"id": entry["id"], "indicator": entry.get("indicator", 0),
               "accumulation": entry["accumulation"]}
              for entry in example.filled.get(C.RENCANA_AKSI, ()) if "accumulation" in entry]
    for name in C.FILLED_SHEETS:
        spec = new_sheet(name, columns_of(name, plan.pk_year), rows)
        where = {cell.value: column for column, cell in enumerate(spec.rows[0]) if cell}
        entries = list(example.filled.get(name, ()))
        if name == C.REALISASI:
            entries += copied
        for entry in entries:
            line = spec.rows[_row_of(rows, entry) - 1]
            for header, value in _typed_cells(entry).items():
                old = line[where[header]]
                style = old.style if old is not None else "input"
                line[where[header]] = Cell(value, style)
        sheets.append(spec)
    return sheets


def write_filled(path: Path, example: Example) -> Path:
    """Add the filled sheets to the saved example workbook at ``path`` (in place)."""
    write_workbook(path, path, WorkbookEdits(sheets=filled_sheets(path, example)))
    return path
