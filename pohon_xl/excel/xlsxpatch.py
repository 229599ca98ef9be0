"""Apply :class:`~pohon_xl.sheets.WorkbookEdits` to an .xlsx/.xlsm at the level of its parts.

Only the parts that must change are parsed and rewritten (edited sheets, styles, comments,
workbook lists); every other part — images, charts, shapes, VBA — is copied byte for byte.
"""

from __future__ import annotations

import gc
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import BinaryIO

from pohon_xl.errors import InputError
from pohon_xl.excel.forked import Forked
from pohon_xl.excel.ooxml.cellref import ref
from pohon_xl.excel.ooxml.newsheet import defined_names, render_sheet, sheet_chunks
from pohon_xl.excel.ooxml.notes import AUTHOR, SheetNotes, taken_blocks
from pohon_xl.excel.ooxml.splice import SplicedSheet, TextCells, Unsupported, text_cell
from pohon_xl.excel.ooxml.package import (
    CT_STYLES, CT_WORKSHEET, RT_COMMENTS, RT_STYLES, Package, Packed, deflate_chunks, parse_xml,
    rels_name,
)
from pohon_xl.excel.ooxml.state import MarkState, load_state, save_state
from pohon_xl.excel.ooxml.stylebook import MINIMAL_STYLES, StyleBook
from pohon_xl.excel.ooxml.workbook import SheetEntry, Workbook
from pohon_xl.excel.ooxml.worksheet import SheetEditor
from pohon_xl.excel.limits import MAX_COLUMN, MAX_ROW  # Excel's grid
from pohon_xl.excel.styles import MARK_FILLS, STATUS_STYLES
from pohon_xl.findings import Severity
from pohon_xl.model.contract import CATATAN, STATUS
from pohon_xl.sheets import (
    STYLE_NAMES, CellMark, RowStatus, SheetSpec, WorkbookEdits, group_marks,
)

STATUS_WIDTH, CATATAN_WIDTH = 12, 60
BUILTIN_NAMES = {"_xlnm.Print_Titles", "_xlnm.Print_Area", "_xlnm._FilterDatabase"}
# Level sheets get their Status/Catatan cells spliced in as bytes (ooxml.splice) when the
# sheet allows it, instead of a round trip of the whole sheet through lxml. Tests turn it
# off to compare both paths.
FAST_SPLICE = True


def patch(src: Path, target: BinaryIO, edits: WorkbookEdits | Callable[[], WorkbookEdits],
          derived: Iterable[SheetSpec] = (), order: Sequence[str] = (),
          apart: Sequence[Callable[[], SheetSpec]] = (), fork: bool = False,
          prepared: Prepared | None = None) -> None:
    """Write ``src`` with ``edits`` applied to ``target``.

    ``derived`` are more new sheets, placed after ``edits.sheets`` (in the order of their
    names in ``order``, else as handed out): each is rendered and deflated as soon as the
    iterable hands it out, and dropped before the next is asked for, so a large run never
    holds them all. ``apart`` builds more of them independently of the rest: with ``fork``
    they are built and rendered in one child process meanwhile (:mod:`~pohon_xl.excel.
    forked`; the file is the same either way). ``edits`` may be a function called once
    ``derived`` is exhausted (when the derivations' findings are known). ``prepared``: what
    :func:`prepare` did ahead for this ``src``.
    """
    # Tens of thousands of short-lived objects trigger the cyclic GC again and again, which
    # walks every live lxml proxy; nothing here makes cycles, so pause it for the run.
    enabled = gc.isenabled()
    gc.disable()
    try:
        _patch(src, target, edits, derived, order, apart, fork, prepared)
    finally:
        if enabled:
            gc.enable()


def _patch(src: Path, target: BinaryIO, edits: WorkbookEdits | Callable[[], WorkbookEdits],
           derived: Iterable[SheetSpec], order: Sequence[str],
           apart: Sequence[Callable[[], SheetSpec]], fork: bool,
           prepared: Prepared | None) -> None:
    if prepared is None:
        prepared = prepare(src, {})
    package = prepared.package
    book = Workbook(package)
    styles = _stylebook(package, book)
    state = load_state(package, book.part)
    state.clones = {c: (base, rgb) for c, (base, rgb) in state.clones.items()
                    if styles.is_clone(c, base, rgb)}
    if apart:
        # Every look a derived sheet may use, in one fixed order, before any is rendered:
        # a sheet rendered in another process then finds the same style indexes, and the
        # file does not depend on which process rendered what.
        for name in STYLE_NAMES:
            styles.named(name)
    background = Forked(partial(_render_apart, apart, styles), fork=fork and bool(apart))
    rendered = _render_all(derived, styles.named)
    if callable(edits):
        edits = edits()
    patcher = _Patcher(package, book, styles, state, edits, rendered, prepared.sheets)
    # The input sheets are patched while the child may still be rendering. Their marks may
    # add styles (fills): a sheet built apart uses none of them, its looks were registered.
    patcher.input_sheets(also_new=order)
    if apart:
        sheets, complete = background.result()
        if not complete and background.from_child:
            sheets = _render_all((build() for build in apart), styles.named)
        rendered += sheets
    rank = {name: index for index, name in enumerate(order)}
    rendered.sort(key=lambda sheet: rank.get(sheet.name, len(rank)))
    patcher.new_sheets()
    if patcher.stale_calc_chain:
        book.drop_calc_chain()
    if styles.changed:
        package.touch(styles.part)
    save_state(package, book.part, state)
    package.save(target)


@dataclass
class Prepared:
    """A workbook opened, and some of its sheets' rows found, before the edits are known."""

    package: Package
    sheets: dict[str, SplicedSheet]  # part -> the sheet, scanned


def prepare(src: Path, first_columns: dict[str, int]) -> Prepared:
    """Open ``src`` and scan the rows of the sheets of ``first_columns`` (sheet name -> the
    first column the edits are expected to write there; any guess gives the same file,
    :meth:`SplicedSheet.scan`): the part of :func:`patch` that needs no edits. A sheet that
    needs the tree path is left out."""
    package = Package.open(str(src), Path(src).name)
    book = Workbook(package)
    sheets: dict[str, SplicedSheet] = {}
    for name, column in first_columns.items():
        entry = book.find(name)
        data = package.raw(entry.part) if entry is not None and entry.part else None
        if data is None:
            continue
        try:
            sheet = SplicedSheet(data)
            sheet.scan(column)
        except Unsupported:
            continue
        sheets[entry.part] = sheet
    return Prepared(package, sheets)


@dataclass(frozen=True)
class _Rendered:
    """A new sheet rendered and deflated: all the patcher needs of its spec."""

    name: str
    part: Packed
    names: dict[str, str]  # its defined names

    @classmethod
    def of(cls, spec: SheetSpec, style: Callable[[str], int]) -> _Rendered:
        return cls(spec.name, deflate_chunks(sheet_chunks(spec, style)), defined_names(spec))


def _render_apart(builds: Sequence[Callable[[], SheetSpec]], styles: StyleBook
                  ) -> tuple[list[_Rendered], bool]:
    """Each build rendered, and whether they needed no style that was not registered yet
    (in a child process a new one would be lost: the sheets are then rendered again here)."""
    count = styles.xf_count
    sheets = _render_all((build() for build in builds), styles.named)
    return sheets, styles.xf_count == count


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
    def __init__(self, package: Package, book: Workbook, styles: StyleBook, state: MarkState,
                 edits: WorkbookEdits, rendered: list[_Rendered],
                 scanned: dict[str, SplicedSheet]) -> None:
        self.package, self.book, self.styles, self.state, self.edits = (
            package, book, styles, state, edits)
        self.rendered = rendered
        self.scanned = scanned
        self.stale_calc_chain = False
        self._blocks: set[int] | None = None
        self._names: dict[str, str] = {}

    # -- input sheets ---------------------------------------------------------------------
    def input_sheets(self, also_new: Iterable[str] = ()) -> None:
        """Statuses, marks and notes on the input sheets. ``also_new``: names of new sheets
        not rendered yet (these replace any input sheet of that name too)."""
        edits = self.edits
        name = self._actual_name  # edits may spell a sheet in another case
        replaced = {spec.name.casefold() for spec in [*edits.sheets, *self.rendered]}
        replaced |= {new.casefold() for new in also_new}
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
        edited = set(columns) | set(marks)
        if any(sheet.casefold() in replaced for sheet in edited):
            raise ValueError("marks or statuses on a sheet that edits.sheets replaces")
        self.state.sheets &= set(self.package.names())  # forget sheets deleted since
        if edits.clear_marks:
            edited |= {s for s in self._sheets_with_our_marks() if s.casefold() not in replaced}
        for sheet in sorted(edited):
            self._patch_sheet(self.book.worksheet(sheet), columns.get(sheet), statuses[sheet],
                              marks[sheet])

    def _actual_name(self, sheet: str) -> str:
        if sheet not in self._names:
            self._names[sheet] = self.book.worksheet(sheet).name
        return self._names[sheet]

    def _sheets_with_our_marks(self) -> set[str]:
        found = set()
        for entry in self.book.sheets():
            if not entry.part or entry.part not in self.package:
                continue
            if entry.part in self.state.sheets:
                found.add(entry.name)
            elif self.package.has_rels(entry.part):
                rels = self.package.rels(entry.part)
                for rel in rels.of_type(RT_COMMENTS):
                    part = rels.target(rel)
                    if part in self.package and f">{AUTHOR}<".encode() in self.package.read(part):
                        found.add(entry.name)
        return found

    def _patch_sheet(self, entry: SheetEntry, columns: tuple[int, int] | None,
                     statuses: list[RowStatus], marks: list[CellMark]) -> None:
        if FAST_SPLICE and columns and self._splice_sheet(entry, columns, statuses, marks):
            return
        root = self.package.xml(entry.part)
        sheet = SheetEditor(root, entry.name)
        if self.edits.clear_marks and self.state.clones and entry.part in self.state.sheets:
            sheet.restyle({clone: base for clone, (base, _) in self.state.clones.items()})
        if columns:
            self._status_columns(sheet, columns, statuses)
        grouped = _group(marks)
        for (row, column), (severity, _) in grouped.items():
            cell = sheet.cell(row, column)
            cell.set("s", str(self._marked_style(sheet.style_of(cell), severity)))
        sheet.extend_dimension()
        self.stale_calc_chain |= sheet.formula_removed
        self._notes_and_state(entry, root, grouped)
        self.package.settle(entry.part)  # done with this sheet: free its tree

    def _splice_sheet(self, entry: SheetEntry, columns: tuple[int, int],
                      statuses: list[RowStatus], marks: list[CellMark]) -> bool:
        """What the tree path does, on the sheet's bytes; False (nothing done) when the
        sheet needs the tree path."""
        data = self.package.raw(entry.part)
        if data is None:
            return False
        sheet = self.scanned.pop(entry.part, None)
        if sheet is None:
            try:
                sheet = SplicedSheet(data)
            except Unsupported:
                return False
        if self.edits.clear_marks and self.state.clones and entry.part in self.state.sheets:
            sheet.restyle({clone: base for clone, (base, _) in self.state.clones.items()})
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
        mark_rows: dict[int, list[int]] = defaultdict(list)
        for row_number, column in grouped:
            mark_rows[row_number].append(column)
        try:
            marked = sheet.splice({status_col, note_col}, puts, mark_rows)
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
        sheet.set_mark_styles([self._marked_style(style, grouped[(r, c)][0])
                               for r, c, style, _ in marked])
        editor.extend_dimension()
        self.stale_calc_chain |= sheet.formula_removed
        self._notes_and_state(entry, sheet.root, grouped)
        self.package.put_bytes(entry.part, sheet.to_bytes())
        return True

    def _notes_and_state(self, entry: SheetEntry, root, grouped) -> None:
        notes_needed = grouped or (self.edits.clear_marks and self._has_notes(entry.part))
        if notes_needed:
            notes = SheetNotes(self.package, entry.part, root, self._taken_blocks())
            if self.edits.clear_marks:
                notes.remove_ours()
            for (row, column), (_, text) in grouped.items():
                notes.put(ref(row, column), text)
            notes.finish()
        if grouped:
            self.state.sheets.add(entry.part)
        elif self.edits.clear_marks:
            self.state.sheets.discard(entry.part)

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

    def _marked_style(self, current: int, severity: Severity) -> int:
        base = self.state.clones.get(current, (current, ""))[0]  # never clone a clone
        rgb = MARK_FILLS[severity.value]
        clone = self.state.clone_for(base, rgb)
        if clone is None or clone >= self.styles.xf_count:
            clone = self.styles.clone_with_fill(base, rgb)
            self.state.clones[clone] = (base, rgb)
        return clone

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
            entry = self._sheet_entry(spec.name)
            if _large(spec):
                self.package.put_packed(entry.part, _Rendered.of(spec, self.styles.named).part)
            else:
                self.package.put_bytes(entry.part, render_sheet(spec, self.styles.named))
            self.book.set_local_names(entry.index, defined_names(spec), BUILTIN_NAMES)
        for sheet in self.rendered:
            entry = self._sheet_entry(sheet.name)
            self.package.put_packed(entry.part, sheet.part)
            self.book.set_local_names(entry.index, sheet.names, BUILTIN_NAMES)
        # Our sheets carry local names (print titles, filters): keep LibreOffice loading them.
        self.book.before_apostrophe_sheets(
            [spec.name for spec in self.edits.sheets] + [sheet.name for sheet in self.rendered])

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
        self.state.sheets.discard(entry.part)
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
    for sheet, found in [*statuses.items(), *marks.items()]:
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


def _group(marks: list[CellMark]) -> dict[tuple[int, int], tuple[Severity, str]]:
    """One mark per cell of a sheet, by row and column."""
    return dict(sorted(group_marks(marks, lambda mark: (mark.row, mark.column)).items()))
