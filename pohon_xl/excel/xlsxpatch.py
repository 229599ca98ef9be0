"""Apply :class:`~pohon_xl.sheets.WorkbookEdits` to an .xlsx/.xlsm at the level of its parts.

Only the parts that must change are parsed and rewritten (edited sheets, styles, comments,
workbook lists); every other part — images, charts, shapes, VBA — is copied byte for byte.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from lxml import etree

from pohon_xl.errors import InputError
from pohon_xl.excel.ooxml.cellref import ref
from pohon_xl.excel.ooxml.newsheet import defined_names, render_sheet, sheet_chunks
from pohon_xl.excel.ooxml.notes import SheetNotes, our_note_cells, taken_blocks
from pohon_xl.excel.ooxml.rowheight import NoteHeights, RowFit
from pohon_xl.excel.ooxml.splice import SplicedSheet, TextCells, Unsupported, text_cell
from pohon_xl.excel.ooxml.package import (
    CT_STYLES, CT_WORKSHEET, RT_COMMENTS, RT_STYLES, Package, Packed, deflate_chunks, parse_xml,
    rels_name,
)
from pohon_xl.excel.ooxml.state import LegacyState, load_registry, shared_strings, take_legacy
from pohon_xl.excel.ooxml.stylebook import MINIMAL_STYLES, StyleBook
from pohon_xl.excel.ooxml.workbook import SheetEntry, Workbook
from pohon_xl.excel.ooxml.worksheet import SheetEditor
from pohon_xl.excel.limits import MAX_COLUMN, MAX_ROW  # Excel's grid
from pohon_xl.excel.styles import MARK_FILLS, STATUS_STYLES
from pohon_xl.findings import Severity
from pohon_xl.marks import REGISTRY_SHEET, Mark, first_fill, registry_spec, restored_fill
from pohon_xl.model.contract import CATATAN, STATUS
from pohon_xl.sheets import (
    CellMark, CellValue, RowStatus, SheetSpec, WorkbookEdits, appended_below, group_marks,
)

STATUS_WIDTH, CATATAN_WIDTH = 12, 60
BUILTIN_NAMES = {"_xlnm.Print_Titles", "_xlnm.Print_Area", "_xlnm._FilterDatabase"}
# Level sheets get their Status/Catatan cells spliced in as bytes (ooxml.splice) when the
# sheet allows it, instead of a round trip of the whole sheet through lxml. Tests turn it
# off to compare both paths.
FAST_SPLICE = True


def patch(src: Path, target: BinaryIO, edits: WorkbookEdits | Callable[[], WorkbookEdits],
          derived: Iterable[SheetSpec] = (), order: Sequence[str] = ()) -> None:
    """Write ``src`` with ``edits`` applied to ``target``.

    ``derived`` are more new sheets, placed after ``edits.sheets`` (in the order of their
    names in ``order``, else as handed out): each is rendered and deflated as soon as the
    iterable hands it out, and dropped before the next is asked for, so a large run never
    holds them all. ``edits`` may be a function called once ``derived`` is exhausted (when
    the derivations' findings are known).
    """
    package = Package.open(str(src), Path(src).name)
    book = Workbook(package)
    styles = _stylebook(package, book)
    legacy = take_legacy(package, book)
    legacy.clones = {c: (base, rgb) for c, (base, rgb) in legacy.clones.items()
                     if styles.is_clone(c, base, rgb)}
    rendered = _render_all(derived, styles.named)
    if callable(edits):
        edits = edits()
    patcher = _Patcher(package, book, styles, legacy, edits, rendered)
    patcher.input_sheets()
    rank = {name: index for index, name in enumerate(order)}
    rendered.sort(key=lambda sheet: rank.get(sheet.name, len(rank)))
    patcher.new_sheets()
    if patcher.stale_calc_chain:
        book.drop_calc_chain()
    if styles.changed:
        package.touch(styles.part)
    package.save(target)


@dataclass(frozen=True)
class _Rendered:
    """A new sheet rendered and deflated: all the patcher needs of its spec."""

    name: str
    part: Packed
    names: dict[str, str]  # its defined names

    @classmethod
    def of(cls, spec: SheetSpec, style: Callable[[str], int]) -> _Rendered:
        return cls(spec.name, deflate_chunks(sheet_chunks(spec, style)), defined_names(spec))


def _render_all(specs: Iterable[SheetSpec], style: Callable[[str], int]) -> list[_Rendered]:
    rendered = []
    for spec in specs:
        rendered.append(_Rendered.of(spec, style))
        del spec  # not held while the next one is built
    return rendered


def _stylebook(package: Package, book: Workbook) -> StyleBook:
    found = book.rels.of_type(RT_STYLES)
    if found:
        part = book.rels.target(found[0])
        styles = StyleBook(package.xml(part, edit=False))
    elif (part := _unlinked_styles(package)):
        # A styles part the workbook does not link to: the cells' formats are there.
        package.content_types.override(part, CT_STYLES)
        book.rels.add(RT_STYLES, part)
        styles = StyleBook(package.xml(part, edit=False))
    else:
        part = "xl/styles.xml"  # free: _unlinked_styles would have found it
        package.put_xml(part, parse_xml(MINIMAL_STYLES, "styles"), CT_STYLES)
        book.rels.add(RT_STYLES, part)
        styles = StyleBook(package.xml(part))
        # The cells may point at formats of a styles part that was lost: give every index
        # they use a plain format, so none points past the end.
        cells, differential = _highest_styles(package, book)
        styles.pad_formats(cells + 1, differential + 1 if differential >= 0 else 0)
    styles.part = part
    return styles


Cells = dict[tuple[int, int], "Mark | None"]  # (row, column) -> its record, if any
Grouped = dict[tuple[int, int], tuple[Severity, str]]  # (row, column) -> this run's mark


def _unlinked_styles(package: Package) -> str:
    """A styles part in the package that nothing links to, if any."""
    for name in package.names():
        if (package.content_types.of(name) == CT_STYLES
                or name.casefold() == "xl/styles.xml") and not name.endswith(".rels"):
            return name
    return ""


_CELL_STYLE = re.compile(rb'<c\b[^>]*?\ss="(\d{1,9})"')
_DXF = re.compile(rb'\sdxfId="(\d{1,9})"')


def _highest_styles(package: Package, book: Workbook) -> tuple[int, int]:
    """The highest cell format index a cell of any worksheet uses (0 when none), and the
    highest differential format a conditional format uses (-1 when none)."""
    cells, differential = 0, -1
    for entry in book.sheets():
        data = package.raw(entry.part) if entry.part and entry.part in package else None
        if data:
            cells = max([cells, *(int(m) for m in _CELL_STYLE.findall(data))])
            differential = max([differential, *(int(m) for m in _DXF.findall(data))])
    return cells, differential


class _Patcher:
    def __init__(self, package: Package, book: Workbook, styles: StyleBook, legacy: LegacyState,
                 edits: WorkbookEdits, rendered: list[_Rendered]) -> None:
        self.package, self.book, self.styles, self.legacy, self.edits = (
            package, book, styles, legacy, edits)
        # The marks registry (pohon_xl.marks): as read, and as this run leaves it.
        self.registry = {mark.key: mark for mark in load_registry(package, book)}
        self.recorded: dict[tuple[str, int, int], Mark] = {}
        self._fills: dict[tuple[int, int], str] = {}  # a marked cell of a sheet -> fill before
        self.rendered = rendered
        self.stale_calc_chain = False
        self._blocks: set[int] | None = None
        self._names: dict[str, str] = {}
        self._strings: list[str] | None = None

    # -- input sheets ---------------------------------------------------------------------
    def input_sheets(self) -> None:
        """Statuses, marks and notes on the input sheets."""
        edits = self.edits
        name = self._actual_name  # edits may spell a sheet in another case
        specs: list[SheetSpec | _Rendered] = [*edits.sheets, *self.rendered]
        replaced = {spec.name.casefold() for spec in specs}
        columns = {name(sheet): cols for sheet, cols in edits.status_columns.items()}
        statuses: dict[str, list[RowStatus]] = defaultdict(list)
        marks: dict[str, list[CellMark]] = defaultdict(list)
        lists: dict[str, list[RowStatus]] = {}  # as spelt in edits -> its statuses
        for status in edits.statuses:  # one per row: no call per status
            found = lists.get(status.sheet)
            if found is None:
                if name(status.sheet) not in columns:
                    raise ValueError(f"status for {status.sheet!r} without status_columns")
                found = lists[status.sheet] = statuses[name(status.sheet)]
            found.append(status)
        for mark in edits.marks:
            marks[name(mark.sheet)].append(mark)
        _check_grid(self.package.label, columns, statuses, marks)
        values: dict[str, list[CellValue]] = defaultdict(list)
        for value in edits.values:
            values[name(value.sheet)].append(value)
        edited = set(columns) | set(marks) | set(values)
        if any(sheet.casefold() in replaced for sheet in edited):
            raise ValueError("marks or statuses on a sheet that edits.sheets replaces")
        self.legacy.sheets &= set(self.package.names())  # forget sheets deleted since
        alive = {entry.name.casefold() for entry in self.book.sheets()} - replaced
        if edits.clear_marks:
            edited |= {s for s in self._sheets_with_our_marks() if s.casefold() in alive}
        else:  # earlier marks stay, and so do their records
            self.recorded = {k: m for k, m in self.registry.items() if k[0] in alive}
        for sheet in sorted(edited):
            self._patch_sheet(self.book.worksheet(sheet), columns.get(sheet), statuses[sheet],
                              marks[sheet], values[sheet])

    def _actual_name(self, sheet: str) -> str:
        if sheet not in self._names:
            self._names[sheet] = self.book.worksheet(sheet).name
        return self._names[sheet]

    def _sheets_with_our_marks(self) -> set[str]:
        """Sheets the registry, an earlier version's record or our notes say we marked."""
        recorded = {sheet for sheet, _, _ in self.registry}
        found = set()
        for entry in self.book.sheets():
            if not entry.part or entry.part not in self.package:
                continue
            if (entry.name.casefold() in recorded or entry.part in self.legacy.sheets
                    or our_note_cells(self.package, entry.part)):
                found.add(entry.name)
        return found

    def _earlier(self, entry: SheetEntry, grouped: Grouped
                 ) -> tuple[Cells, Cells, set[tuple[int, int]]]:
        """This sheet's records, the cells marked before and not now (to put back), and the
        cells carrying our note."""
        name = entry.name.casefold()
        records: Cells = {(r, c): m for (s, r, c), m in self.registry.items() if s == name}
        ours = our_note_cells(self.package, entry.part)
        stale: Cells = {}
        if self.edits.clear_marks:
            stale = {cell: records.get(cell) for cell in sorted(set(records) | ours)
                     if cell not in grouped}
        return records, stale, ours

    def _style(self, cell: tuple[int, int], current: int, grouped: Grouped, records: Cells,
               ours: set[tuple[int, int]]) -> int:
        """The format of a cell marked now (ours: its own with our fill; its fill before is
        recorded) or marked before (its own fill back, unless the user changed it since)."""
        if cell in grouped:
            before = records.get(cell)
            self._fills[cell] = before.fill if before is not None else first_fill(
                self.styles.fill_of(current), cell in ours)
            return self.styles.with_fill(current, MARK_FILLS[grouped[cell][0].value])
        rgb = restored_fill(self.styles.fill_of(current), records.get(cell))
        return current if rgb is None else self.styles.with_fill(current, rgb)

    def _patch_sheet(self, entry: SheetEntry, columns: tuple[int, int] | None,
                     statuses: list[RowStatus], marks: list[CellMark],
                     values: list[CellValue]) -> None:
        if (FAST_SPLICE and columns and not values
                and self._splice_sheet(entry, columns, statuses, marks)):
            return
        root = self.package.xml(entry.part)
        sheet = SheetEditor(root, entry.name)
        for value in appended_below(values, sheet.last_filled_row()):
            sheet.set_value(value.row, value.column, value.value)
            cell = sheet.cell(value.row, value.column) if value.style else None
            if cell is not None:  # a row added to a sheet people fill: its input fill
                cell.set("s", str(self.styles.named(value.style)))
        if self._legacy(entry):
            sheet.restyle({clone: base for clone, (base, _) in self.legacy.clones.items()})
        if columns:
            self._status_columns(sheet, columns, statuses)
            heights = self._heights(root, columns, statuses)
            for number in heights.notes:
                heights.element(number, sheet.row(number))
        grouped = _group(marks)
        records, stale, ours = self._earlier(entry, grouped)
        self._fills = {}
        for (row, column) in [*grouped, *stale]:
            cell = sheet.cell(row, column, create=(row, column) in grouped)
            if cell is not None:
                style = self._style((row, column), sheet.style_of(cell), grouped, records, ours)
                cell.set("s", str(style))
        sheet.extend_dimension()
        self.stale_calc_chain |= sheet.formula_removed
        self._notes_and_records(entry, root, grouped, records)
        self.package.settle(entry.part)  # done with this sheet: free its tree

    def _splice_sheet(self, entry: SheetEntry, columns: tuple[int, int],
                      statuses: list[RowStatus], marks: list[CellMark]) -> bool:
        """What the tree path does, on the sheet's bytes; False (nothing done) when the
        sheet needs the tree path."""
        data = self.package.raw(entry.part)
        if data is None:
            return False
        try:
            sheet = SplicedSheet(data)
        except Unsupported:
            return False
        if self._legacy(entry):
            sheet.restyle({clone: base for clone, (base, _) in self.legacy.clones.items()})
        status_col, note_col = columns
        header = self.styles.named("header")
        puts = {1: {status_col: text_cell(1, status_col, STATUS, header),
                    note_col: text_cell(1, note_col, CATATAN, header)}}
        text = self.styles.named("text")
        cell = TextCells()  # most rows get the same status and an empty note
        styles: dict[str, int] = {}
        last_status = 0
        for status in statuses:
            value, row_number = status.status, status.row
            if row_number < 2:
                continue  # row 1 holds the headers
            if row_number > last_status:
                last_status = row_number
            style = styles.get(value)
            if style is None:
                style = styles[value] = self.styles.named(STATUS_STYLES.get(value, "text"))
            cells = {status_col: cell(row_number, status_col, value, style),
                     note_col: cell(row_number, note_col, status.notes, text)}
            row = puts.get(row_number)
            if row is None:
                puts[row_number] = cells
            else:
                row.update(cells)
        editor = sheet.editor
        editor.ensure_width(status_col, STATUS_WIDTH)
        editor.ensure_width(note_col, CATATAN_WIDTH)
        grouped = _group(marks)
        records, stale, ours = self._earlier(entry, grouped)
        self._fills = {}
        mark_rows: dict[int, list[int]] = defaultdict(list)
        for row_number, column in [*grouped, *(c for c in stale if c[1] not in columns)]:
            mark_rows[row_number].append(column)
        heights = self._heights(sheet.root, columns, statuses)
        try:
            marked = sheet.splice({status_col, note_col}, puts, mark_rows, heights.notes,
                                  heights.tag)
        except Unsupported:
            return False
        # The same maxima the tree path reaches: new header cells, the status cells, new
        # cells for marks.
        found = [(1, c) for c in columns if c not in sheet.header_present]
        if last_status:
            found.append((last_status, max(columns)))
        found += [(r, c) for r, c, _, created in marked if created]
        if found:
            editor.max_row = max(r for r, _ in found)
            editor.max_col = max(c for _, c in found)
        sheet.set_mark_styles([self._style((r, c), style, grouped, records, ours)
                               for r, c, style, _ in marked])
        editor.extend_dimension()
        self.stale_calc_chain |= sheet.formula_removed
        self._notes_and_records(entry, sheet.root, grouped, records)
        self.package.put_bytes(entry.part, sheet.to_bytes())
        return True

    def _heights(self, root: etree._Element, columns: tuple[int, int],
                 statuses: list[RowStatus]) -> NoteHeights:
        """Rows whose note wraps (their columns' widths as this run leaves them)."""
        fit = RowFit(root, self.styles, self._shared_strings)
        return NoteHeights(fit, columns, ((s.row, s.notes) for s in statuses if s.notes),
                           self.styles.named("text"), root.nsmap)

    def _shared_strings(self) -> list[str]:
        if self._strings is None:
            self._strings = shared_strings(self.package, self.book)
        return self._strings

    def _legacy(self, entry: SheetEntry) -> bool:
        """Whether to put an earlier version's cloned formats back on this sheet first."""
        return bool(self.edits.clear_marks and self.legacy.clones
                    and entry.part in self.legacy.sheets)

    def _notes_and_records(self, entry: SheetEntry, root, grouped: Grouped,
                           records: Cells) -> None:
        notes_needed = grouped or (self.edits.clear_marks and self._has_notes(entry.part))
        if notes_needed:
            notes = SheetNotes(self.package, entry.part, root, self._taken_blocks())
            if self.edits.clear_marks:
                notes.remove_ours()
            for (row, column), (_, text) in grouped.items():
                put = notes.put(ref(row, column), text)
                before = records.get((row, column))
                mark = Mark(entry.name, row, column, self._fills.get((row, column), ""),
                            before.note if before is not None else "", put)
                self.recorded[mark.key] = mark
            notes.finish()

    def _status_columns(self, sheet: SheetEditor, columns: tuple[int, int],
                        statuses: Iterable[RowStatus]) -> None:
        status_col, note_col = columns
        header = self.styles.named("header")
        sheet.set_text(1, status_col, STATUS, header)
        sheet.set_text(1, note_col, CATATAN, header)
        statuses = [s for s in statuses if s.row >= 2]  # row 1 holds the headers
        sheet.clear_columns({status_col, note_col}, 2, keep={s.row for s in statuses})
        text = self.styles.named("text")
        cells = []
        for status in statuses:
            style = self.styles.named(STATUS_STYLES.get(status.status, "text"))
            cells.append((status.row, status_col, status.status, style))
            cells.append((status.row, note_col, status.notes, text))
        sheet.put_texts(cells)
        sheet.ensure_width(status_col, STATUS_WIDTH)
        sheet.ensure_width(note_col, CATATAN_WIDTH)

    def _has_notes(self, part: str) -> bool:
        return self.package.has_rels(part) and bool(
            self.package.rels(part).of_type(RT_COMMENTS))

    def _taken_blocks(self) -> set[int]:
        if self._blocks is None:
            self._blocks = taken_blocks(self.package)
        return self._blocks

    # -- new sheets ---------------------------------------------------------------------
    def new_sheets(self) -> None:
        for spec in self.edits.sheets:
            self._write_spec(spec)
        for sheet in self.rendered:
            entry = self._sheet_entry(sheet.name)
            self.package.put_packed(entry.part, sheet.part)
            self.book.set_local_names(entry.index, sheet.names, BUILTIN_NAMES)
        registry = self._registry_sheet()
        if registry is not None:  # after the derived sheets: a new one goes last
            self._write_spec(registry)
        # Our sheets carry local names (print titles, filters): keep LibreOffice loading them.
        self.book.before_apostrophe_sheets(
            [spec.name for spec in self.edits.sheets] + [sheet.name for sheet in self.rendered])

    def _write_spec(self, spec: SheetSpec) -> None:
        entry = self._sheet_entry(spec.name)
        if _large(spec):
            self.package.put_packed(entry.part, _Rendered.of(spec, self.styles.named).part)
        else:
            self.package.put_bytes(entry.part, render_sheet(spec, self.styles.named))
        self.book.set_local_names(entry.index, defined_names(spec), BUILTIN_NAMES)
        if spec.hidden:
            entry.element.set("state", "hidden")

    def _registry_sheet(self) -> SheetSpec | None:
        """The hidden registry sheet, when this run's records differ from the ones read."""
        exists = self.book.find(REGISTRY_SHEET) is not None
        if self.recorded == self.registry and (exists or not self.recorded):
            return None
        return registry_spec(list(self.recorded.values()))

    def _sheet_entry(self, name: str) -> SheetEntry:
        """The entry of a new sheet: added at the end, or the one it replaces (emptied)."""
        entry = self.book.find(name)
        if entry is None:
            return self.book.add_sheet(name)
        if self.package.content_types.of(entry.part) != CT_WORKSHEET:
            raise InputError(f"{self.package.label}: sheet {name!r} bukan lembar "
                             "kerja biasa dan tidak dapat diganti; hapus atau ganti "
                             "namanya.")
        self._drop_relations(entry.part)
        self.stale_calc_chain = True
        self.legacy.sheets.discard(entry.part)
        return entry

    def _drop_relations(self, part: str) -> None:
        """Drop a replaced sheet's rels and the parts only it used (its notes, drawings…)."""
        if not self.package.has_rels(part):
            return
        candidates = self._reachable([part]) - {part}
        self.package.remove(rels_name(part))
        still_used = self._reachable([""])
        for name in candidates - still_used:
            self.package.remove(name)

    def _reachable(self, starts: list[str]) -> set[str]:
        seen, todo = set(starts), list(starts)
        while todo:
            part = todo.pop()
            if not self.package.has_rels(part):
                continue
            rels = self.package.rels(part)
            for rel in rels:
                target = rels.target(rel)
                if target and target not in seen and target in self.package:
                    seen.add(target)
                    todo.append(target)
        return seen


def _check_grid(label: str, columns: dict[str, tuple[int, int]],
                statuses: dict[str, list[RowStatus]], marks: dict[str, list[CellMark]]) -> None:
    """Refuse, before anything is written, cells that would fall outside Excel's grid."""
    for sheet, (status_col, note_col) in columns.items():
        if max(status_col, note_col) > MAX_COLUMN:
            raise InputError(
                f"{label}: sheet {sheet!r} terisi sampai kolom terakhir Excel (XFD); tidak ada "
                "ruang untuk kolom Status dan Catatan Validasi. Hapus kolom kosong di kanan "
                "tabel, simpan, lalu jalankan lagi.")
    cells: list[tuple[str, list[RowStatus] | list[CellMark]]] = [*statuses.items(),
                                                                   *marks.items()]
    for sheet, found in cells:
        if any(item.row > MAX_ROW for item in found):
            raise InputError(
                f"{label}: sheet {sheet!r} berisi baris di luar batas Excel ({MAX_ROW}); "
                "berkas rusak, minta kiriman ulang atau simpan ulang di Excel.")


_LARGE_CELLS = 20_000  # sheets with more cells are deflated while they are rendered


def _large(spec: SheetSpec) -> bool:
    cells = 0
    for row in spec.rows:
        cells += len(row)
        if cells > _LARGE_CELLS:
            return True
    return False


def _group(marks: list[CellMark]) -> Grouped:
    """One mark per cell of a sheet, by row and column."""
    return dict(sorted(group_marks(marks, lambda mark: (mark.row, mark.column)).items()))
