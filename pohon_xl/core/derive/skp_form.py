"""``SKP_Formulir``: the SKP of every employee with RHK as a form, one A4 page each.

The layout follows the SKP plan form of PermenPANRB 6/2022 (Lampiran; see docs/skp.md):
title, the appraisal period, *pegawai yang dinilai* beside *pejabat penilai kinerja*, the
*hasil kerja* table (the superior's RHK it intervenes, the RHK, aspect, individual indicator,
target; a JPT's form names its perspective instead of the aspect), the *perilaku kerja*
(BerAKHLAK core values with a column for the superior's specific expectations) and the two
signatures. The flat ``SKP`` list stays what one types into e-Kinerja.

A sheet holds a form per employee (1,267 at 10,000 rows): the parts every form repeats are
laid out once per sheet (:class:`_Fixed`) and only the employee's rows row by row.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from itertools import groupby, repeat

from pohon_xl.core.derive.common import (
    Derivation,
    blank,
    lines_height,
    num,
    wrapped_lines,
)
from pohon_xl.core.derive.pk import DOTS, Party, city, pihak_kedua
from pohon_xl.core.derive.skp import _ordered
from pohon_xl.model import contract as C
from pohon_xl.model.plan import Indicator, Node, Position
from pohon_xl.printing import fitted
from pohon_xl.sheets import Cell, SheetSpec, column_letter

# A No | B label | C value | D No | E label | F G H I J; the tables span them (see _ROW).
WIDTHS = (4, 12, 20, 4, 13, 11, 11, 22, 10, 12)
LAST = len(WIDTHS)
TITLE = "SASARAN KINERJA PEGAWAI"
APPROACH = "PENDEKATAN HASIL KERJA KUANTITATIF"
FOR_JPT = "BAGI PEJABAT PIMPINAN TINGGI DAN PIMPINAN UNIT KERJA MANDIRI"
FOR_OTHERS = "BAGI PEJABAT ADMINISTRASI DAN PEJABAT FUNGSIONAL"
PERIOD = "PERIODE PENILAIAN: 1 JANUARI SD 31 DESEMBER TAHUN {year}"
# The core values of ASN (BerAKHLAK) and their behaviour guides, as the form lists them.
BERAKHLAK = (
    ("Berorientasi Pelayanan", "Memahami dan memenuhi kebutuhan masyarakat; ramah, cekatan, "
     "solutif, dan dapat diandalkan; melakukan perbaikan tiada henti"),
    ("Akuntabel", "Melaksanakan tugas dengan jujur, bertanggung jawab, cermat, disiplin, dan "
     "berintegritas tinggi; menggunakan kekayaan dan barang milik negara secara bertanggung "
     "jawab, efektif, dan efisien; tidak menyalahgunakan kewenangan jabatan"),
    ("Kompeten", "Meningkatkan kompetensi diri untuk menjawab tantangan yang selalu berubah; "
     "membantu orang lain belajar; melaksanakan tugas dengan kualitas terbaik"),
    ("Harmonis", "Menghargai setiap orang apa pun latar belakangnya; suka menolong orang "
     "lain; membangun lingkungan kerja yang kondusif"),
    ("Loyal", "Memegang teguh ideologi Pancasila, UUD 1945, setia kepada NKRI serta "
     "pemerintahan yang sah; menjaga nama baik sesama ASN, pimpinan, instansi, dan negara; "
     "menjaga rahasia jabatan dan negara"),
    ("Adaptif", "Cepat menyesuaikan diri menghadapi perubahan; terus berinovasi dan "
     "mengembangkan kreativitas; bertindak proaktif"),
    ("Kolaboratif", "Memberi kesempatan kepada berbagai pihak untuk berkontribusi; terbuka "
     "dalam bekerja sama untuk menghasilkan nilai tambah; menggerakkan pemanfaatan berbagai "
     "sumber daya untuk tujuan bersama"),
)
SPACER = 8.0  # points: an empty row between the parts of a form


@dataclass(frozen=True, slots=True)
class _Line:
    """One row of a form, laid out: its cells, the spans of columns merged on it (by their
    letters) and its height (None: the default)."""

    cells: tuple[Cell | None, ...]
    merged: tuple[tuple[str, str], ...]
    height: float | None


def _line(*parts: tuple[int, int, Cell], height: float | None = None) -> _Line:
    """A row of (first column, last column, cell) parts, tall enough for its wrapped text."""
    row: list[Cell | None] = [None] * LAST
    merged = []
    lines = 1
    for first, last, cell in parts:  # ~40 rows a form: kept to plain lookups
        row[first - 1] = cell
        style = cell.style
        if last > first:
            merged.append((_LETTERS[first], _LETTERS[last]))
            row[first:last] = [blank(style)] * (last - first)
        if isinstance(cell.value, str) and style != "title" and style != "subtitle":
            needed = wrapped_lines(cell.value, _SPANS[first, last])
            if needed > lines:
                lines = needed
    if height is None and lines > 1:
        height = lines_height(lines)
    return _Line(tuple(row), tuple(merged), height)


class _Form:
    """Rows of the sheet being laid out: merges and heights fitted to the wrapped text."""

    def __init__(self) -> None:
        self.rows: list[list[Cell | None]] = []
        # An ordered set: a one-row merge made by add may be replaced by a taller one.
        self.merges: dict[str, None] = {}
        self.heights: dict[int, float] = {}

    @property
    def last(self) -> int:
        return len(self.rows)

    def add(self, *parts: tuple[int, int, Cell], height: float | None = None) -> int:
        return self.put(_line(*parts, height=height))

    def put(self, line: _Line) -> int:
        """Append a laid-out row (the parts every form repeats are laid out once)."""
        number = len(self.rows) + 1
        self.rows.append(list(line.cells))
        for first, last in line.merged:
            self.merges[f"{first}{number}:{last}{number}"] = None
        if line.height is not None:
            self.heights[number] = line.height
        return number

    def put_all(self, lines: list[_Line]) -> None:
        for line in lines:
            self.put(line)

    def merge_down(self, first: int, last: int, top: int, bottom: int, text: str) -> None:
        """Merge columns first..last over rows top..bottom (one row: merged by add), tall
        enough for ``text``."""
        if bottom > top:
            self.merges[f"{column_letter(first)}{top}:{column_letter(last)}{bottom}"] = None
        needed = lines_height(wrapped_lines(text, _span(first, last)))
        have = sum(map(self.heights.get, range(top, bottom + 1), repeat(lines_height(1))))
        if needed > have:
            self.heights[bottom] = self.heights.get(bottom, lines_height(1)) + needed - have


def _span(first: int, last: int) -> float:
    return _SPANS[first, last]


# The width of every span of columns, and the columns' letters (index 1 is A).
_SPANS = {(first, last): float(sum(WIDTHS[first - 1 : last]))
          for first in range(1, LAST + 1) for last in range(first, LAST + 1)}
_LETTERS = " " + "".join(column_letter(c) for c in range(1, LAST + 1))


def _is_jpt(position: Position | None) -> bool:
    return position is not None and position.kind.strip().casefold() == "jpt"


def _target(indicator: Indicator | None, year: int | None) -> str:
    cell = indicator.targets.get(year) if indicator and year is not None else None
    if cell is None or cell.empty:
        return ""
    value = str(cell.raw) if cell.value is None else f"{num(cell.value):g}"
    return f"{value} {indicator.unit if indicator else ''}".strip()


@lru_cache(maxsize=256)
def _number(number: int) -> Cell:
    """The cell of a row number (cells are immutable: one for every form)."""
    return Cell(number, "text_center")


# The identities' row numbers and labels, made once for every form.
_IDENTITY_LABELS = tuple((_number(number), Cell(label, "text")) for number, label in
                         enumerate(("NAMA", "NIP", "PANGKAT/GOL RUANG", "JABATAN", "UNIT KERJA"),
                                   start=1))


def _identities(form: _Form, employee: Party, unit: str, appraiser: Party,
                appraiser_unit: str) -> None:
    values = ((employee.name, appraiser.name),
              (employee.nip, appraiser.nip if appraiser.civil_servant else "-"),
              ("", ""),
              (employee.job, appraiser.job),
              (unit, appraiser_unit))
    for (number, label), (mine, theirs) in zip(_IDENTITY_LABELS, values):
        form.add((1, 1, number), (2, 2, label), (3, 3, Cell(mine or DOTS, "text")),
                 (4, 4, number), (5, 5, label), (6, LAST, Cell(theirs or DOTS, "text")))


# Columns of the hasil kerja table: (first, last) of No, RHK atasan, RHK, the aspect (or
# the JPT's perspective), indicator, target.
_ROW = ((1, 1), (2, 3), (4, 6), (7, 7), (8, 9), (10, 10))


def _results(form: _Form, ctx: Derivation, nodes: list[Node], jpt: bool) -> None:
    """The rows of the hasil kerja table (its header: :func:`_results_head`)."""
    year = ctx.pk_year
    for number, node in enumerate(nodes, start=1):
        parent = ctx.tree.parent(node)
        above = parent.sasaran if parent is not None else ""
        top = form.last + 1
        for index, indicator in enumerate(node.indicators or [None]):
            first = index == 0
            form.add((1, 1, _number(number) if first else blank("text_center")),
                     (2, 3, Cell(above, "text") if first else blank("text")),
                     (4, 6, Cell(node.sasaran, "text") if first else blank("text")),
                     (7, 7, Cell("" if jpt or not indicator else indicator.aspek, "text")),
                     (8, 9, Cell(indicator.name if indicator else "", "text")),
                     (10, 10, Cell(_target(indicator, year), "text_center")))
        bottom = form.last
        if bottom > top:
            form.merges[f"A{top}:A{bottom}"] = None
            for left, right in ((2, 3), (4, 6)):  # replace the one-row merges made by add
                for r in range(top, bottom + 1):
                    del form.merges[f"{column_letter(left)}{r}:{column_letter(right)}{r}"]
        form.merge_down(2, 3, top, bottom, above)
        form.merge_down(4, 6, top, bottom, node.sasaran)


# The signatures' columns: the employee's, the appraiser's (with the place and date).
_LEFT, _RIGHT = (1, 5), (6, LAST)


def _signatures(form: _Form, employee: Party, appraiser: Party) -> None:
    """The names under the signatures' space and the NIPs (above: :func:`_closing`)."""
    form.add((*_LEFT, Cell(employee.name or f"( {DOTS} )", "bold")),
             (*_RIGHT, Cell(appraiser.name or f"( {DOTS} )", "bold")))
    nips = [(*span, Cell(f"NIP. {party.nip}".strip(), "plain"))
            for span, party in ((_LEFT, employee), (_RIGHT, appraiser)) if party.civil_servant]
    form.add(*nips)


# What every form repeats, laid out once per sheet (1,267 forms at 10k rows): ~27 of a
# form's ~38 rows. The rows between them depend on the employee.


def _opening(ctx: Derivation, jpt: bool) -> list[_Line]:
    """The titles, the office and period, the identities' header."""
    instansi = ctx.plan.identity.text(C.KEY_INSTANSI)
    return [
        _line((1, LAST, Cell(TITLE, "title")), height=22.0),
        _line((1, LAST, Cell(APPROACH, "title")), height=20.0),
        _line((1, LAST, Cell(FOR_JPT if jpt else FOR_OTHERS, "title")), height=20.0),
        _line(height=SPACER),
        _line((1, 5, Cell(instansi.upper(), "bold")),
              (6, LAST, Cell(PERIOD.format(year=ctx.pk_year), "bold"))),
        _line((1, 1, Cell("NO", "header")), (2, 3, Cell("PEGAWAI YANG DINILAI", "header")),
              (4, 4, Cell("NO", "header")),
              (5, LAST, Cell("PEJABAT PENILAI KINERJA", "header"))),
    ]


def _results_head(jpt: bool) -> list[_Line]:
    """The hasil kerja table's header, down to its first part."""
    heads = ("NO", "RENCANA HASIL KERJA PIMPINAN YANG DIINTERVENSI", "RENCANA HASIL KERJA",
             "PERSPEKTIF" if jpt else "ASPEK", "INDIKATOR KINERJA INDIVIDU", "TARGET")
    return [
        _line(height=SPACER),
        _line((1, LAST, Cell("HASIL KERJA", "header"))),
        _line(*[(*span, Cell(head, "header")) for span, head in zip(_ROW, heads)]),
        _line((1, LAST, Cell("A. UTAMA", "subtitle"))),
    ]


def _closing(ctx: Derivation) -> list[_Line]:
    """The hasil kerja's second part (none), the perilaku kerja (BerAKHLAK), and the
    signatures down to the space signed in."""
    place = city(ctx.plan.identity.text(C.KEY_INSTANSI))
    return [
        _line((1, LAST, Cell("B. TAMBAHAN", "subtitle"))),
        _line((1, 1, Cell("-", "text_center")), (2, LAST, Cell("-", "text"))),
        _line(height=SPACER),
        _line((1, LAST, Cell("PERILAKU KERJA", "header"))),
        _line((1, 1, Cell("NO", "header")), (2, 7, Cell("PERILAKU KERJA", "header")),
              (8, LAST, Cell("EKSPEKTASI KHUSUS PIMPINAN", "header"))),
        *[_line((1, 1, _number(number)), (2, 7, Cell(f"{value}: {guide}", "text")),
                (8, LAST, blank("text")))
          for number, (value, guide) in enumerate(BERAKHLAK, start=1)],
        _line(height=SPACER),
        _line((*_RIGHT, Cell(f"{place}, … Januari {ctx.pk_year}", "plain"))),
        _line((*_LEFT, Cell("Pegawai yang Dinilai,", "plain")),
              (*_RIGHT, Cell("Pejabat Penilai Kinerja,", "plain"))),
        _line(height=48.0),
    ]


class _Fixed:
    """The repeated parts of the forms of one sheet, by kind of form (JPT or not)."""

    def __init__(self, ctx: Derivation) -> None:
        self.opening = {jpt: _opening(ctx, jpt) for jpt in (False, True)}
        self.results_head = {jpt: _results_head(jpt) for jpt in (False, True)}
        self.closing = _closing(ctx)


def _block(form: _Form, ctx: Derivation, fixed: _Fixed, code: str, nodes: list[Node]) -> None:
    position = ctx.position(code)
    jpt = _is_jpt(position)
    employee = (Party(position.name or position.code, position.holder, position.nip)
                if position else Party(code))
    appraiser, _ = pihak_kedua(ctx, code)  # an unknown superior is reported by the PK
    appraiser = appraiser or Party(C.KEPALA_DAERAH, civil_servant=False)
    unit = (position.unit if position and position.unit else "") or \
        ctx.plan.identity.text(C.KEY_PERANGKAT_DAERAH)
    superior = ctx.position(position.superior) if position and position.superior else None
    appraiser_unit = (superior.unit if superior and superior.unit else "") or \
        (unit if appraiser.civil_servant else ctx.plan.identity.text(C.KEY_INSTANSI))
    form.put_all(fixed.opening[jpt])
    _identities(form, employee, unit, appraiser, appraiser_unit)
    form.put_all(fixed.results_head[jpt])
    _results(form, ctx, nodes, jpt)
    form.put_all(fixed.closing)
    _signatures(form, employee, appraiser)


def skp_form(ctx: Derivation) -> SheetSpec:
    """One form per employee with RHK (L6) without Galat, in the order of the ``SKP`` list;
    a page break after each."""
    form, breaks = _Form(), []
    if ctx.pk_year is not None:
        fixed = _Fixed(ctx)
        nodes = _ordered(ctx, ctx.nodes_on(C.RHK_LEVEL))
        for code, group in groupby(nodes, key=lambda n: n.owner):
            if form.rows:
                breaks.append(len(form.rows))
            _block(form, ctx, fixed, code, list(group))
    else:
        form.add((1, LAST, Cell("SKP tidak dibuat: Tahun PK di sheet Identitas kosong atau "
                                "tidak valid.", "plain")))
    area = f"A1:{column_letter(LAST)}{max(len(form.rows), 1)}"
    return SheetSpec(
        name=C.SKP_FORMULIR,
        rows=form.rows,
        widths={i: float(w) for i, w in enumerate(WIDTHS, start=1)},
        heights=form.heights,
        merges=list(form.merges),
        protect=True,
        print=fitted(WIDTHS, area=area, row_breaks=breaks),
    )
