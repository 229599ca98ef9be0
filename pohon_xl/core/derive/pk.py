"""``PK`` (Perjanjian Kinerja): one A4 portrait page per position that owns L1–L5 nodes.

The layout follows the usual government format: title, statement, *pihak pertama* (the
holder) and *pihak kedua* (the superior), the commitment, the table of sasaran, indicators
and `Tahun PK` targets, the programmes / activities / sub-activities with that year's budget,
place and date, and the two signatures side by side. Only nodes without Galat are included.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import groupby, repeat

from pohon_xl.core.derive import findings as F
from pohon_xl.core.derive.common import (
    ROW_HEIGHT,
    Derivation,
    blank,
    lines_height,
    money,
    natural_key,
    num,
    target_cell,
    wrapped_lines,
)
from pohon_xl.findings import Finding
from pohon_xl.model import contract as C
from pohon_xl.model.plan import Node, Position
from pohon_xl.sheets import Cell, PrintSetup, SheetSpec, column_letter

WIDTHS = (5, 12, 22, 33, 10, 13)  # No | Sasaran (B:C) | Indikator | Satuan | Target
LAST_COL = len(WIDTHS)
SPACER = 9.0  # points: an empty row between parts of a block
SIGNATURES_HEIGHT = 5 * 15.0 + 54.0  # place and date, heads, jobs, the space, names, NIPs
# A4 portrait inside the writer's margins (0.5" left/right, 0.75" top/bottom), in points,
# with a little slack; a block taller than this at the print scale would spill onto a
# second page, so the columns are widened (fewer wrapped lines, smaller print scale).
PAGE_WIDTH, PAGE_HEIGHT = (8.27 - 1.0) * 72, (11.69 - 1.5) * 72 * 0.97
WIDENINGS = (1.0, 1.1, 1.2, 1.3, 1.4, 1.5)  # beyond, text gets too small: a longer block spills
WIDENED = (2, 3)  # 0-based: the wrapping text columns C (Sasaran, with B) and D (Indikator)

OPENING = (
    "Dalam rangka mewujudkan manajemen pemerintahan yang efektif, transparan, dan akuntabel "
    "serta berorientasi pada hasil, {kami} yang bertanda tangan di bawah ini:"
)
FIRST_PARTY = "selanjutnya disebut pihak pertama."
SECOND_PARTY = "selaku atasan pihak pertama, selanjutnya disebut pihak kedua."
PROMISE = (
    "Pihak pertama berjanji akan mewujudkan target kinerja yang seharusnya sesuai lampiran "
    "perjanjian ini, dalam rangka mencapai target kinerja jangka menengah seperti yang telah "
    "ditetapkan dalam dokumen perencanaan. Keberhasilan dan kegagalan pencapaian target "
    "kinerja tersebut menjadi tanggung jawab kami."
)
SUPERVISION = (
    "Pihak kedua akan melakukan supervisi yang diperlukan serta akan melakukan evaluasi "
    "terhadap capaian kinerja dari perjanjian ini dan mengambil tindakan yang diperlukan dalam "
    "rangka pemberian penghargaan dan sanksi."
)
PROMISE_ALONE = (
    "berjanji akan mewujudkan target kinerja tahunan sesuai lampiran perjanjian ini dalam "
    "rangka mencapai target kinerja jangka menengah seperti yang telah ditetapkan dalam "
    "dokumen perencanaan. Keberhasilan dan kegagalan pencapaian target kinerja tersebut menjadi "
    "tanggung jawab saya."
)
DOTS = "...................................."
BUDGET_LABELS = {1: "Program", 2: "Program", 3: "Program", 4: "Kegiatan", 5: "Subkegiatan"}


@dataclass(frozen=True)
class Party:
    job: str
    name: str = ""
    nip: str = ""
    civil_servant: bool = True  # shows an NIP line (the Kepala Daerah has none)


@dataclass
class Agreement:
    """What one PK says, before layout."""

    code: str
    unit: str
    first: Party
    second: Party | None  # None: the Kepala Daerah signs alone
    nodes: list[Node]
    budgets: list[tuple[str, Items]] = field(default_factory=list)  # (label, items) tables


def city(instansi: str) -> str:
    """'Pemerintah Kota Contoh' -> 'Contoh' (the place on the signature line)."""
    words = r"pemerintah|pemkot|pemkab|pemprov|kota|kabupaten|kab\.|provinsi|prov\.|daerah"
    name = re.sub(rf"^(?:(?:{words})\s+)+", "", instansi.strip(), flags=re.IGNORECASE)
    return name.strip() or DOTS


def _kind(position: Position | None) -> str:
    return position.kind.strip().casefold() if position is not None else ""


def _party(position: Position) -> Party:
    return Party(
        position.name or position.code,
        position.holder,
        position.nip,
        _kind(position) != C.KEPALA_DAERAH.casefold(),
    )


def pihak_kedua(ctx: Derivation, code: str) -> tuple[Party | None, str]:
    """The superior who signs as pihak kedua, and why it is unknown ('' when resolved)."""
    position = ctx.position(code)
    if position is None:
        return Party(""), f"kode jabatan {code} tidak ada di sheet Jabatan"
    if _kind(position) == C.KEPALA_DAERAH.casefold():
        return None, ""
    if position.superior:
        superior = ctx.position(position.superior)
        if superior is not None:
            return _party(superior), ""
        return Party(""), f"Kode Jabatan Atasan {position.superior} tidak ada di sheet Jabatan"
    if _kind(position) == "jpt":
        kepala = C.KEPALA_DAERAH.casefold()
        head = next((p for p in ctx.plan.positions if _kind(p) == kepala), None)
        return (_party(head) if head else Party(C.KEPALA_DAERAH, civil_servant=False)), ""
    return Party(""), "Kode Jabatan Atasan kosong"


SortKeys = dict[int, tuple]  # id(node) -> its natural (code, ID) order, made once per PK sheet


def _budget_items(ctx: Derivation, nodes: list[Node], level: int, keys: SortKeys) -> Items:
    """(code and name, budget of Tahun PK) per code of ``level`` under/among the nodes."""
    year = ctx.pk_year or 0
    found = ctx.leaves_on(nodes, level)

    def order(node: Node) -> tuple:  # the same nodes are listed for many positions
        key = keys.get(id(node))
        if key is None:
            key = keys[id(node)] = (natural_key(node.code), natural_key(node.id))
        return key

    found.sort(key=order)
    items = []
    for code, group in groupby(found, key=lambda n: n.code):
        members = list(group)
        name = next((n.code_name for n in members if n.code_name), "")
        items.append((f"{code} {name}".strip(), ctx.budget(members, year)))
    return items


Items = list[tuple[str, float]]  # (code and name, budget of Tahun PK)


def _budget_tables(ctx: Derivation, nodes: list[Node], keys: SortKeys
                   ) -> list[tuple[str, Items]]:
    """Programmes (for L1–L3 owners), then activities, then sub-activities the position owns,
    each money listed once: nodes under the position's own higher nodes are already counted."""
    tables = []
    higher = [n for n in nodes if n.level <= C.PROGRAM_LEVEL]
    if higher:
        tables.append((BUDGET_LABELS[C.PROGRAM_LEVEL],
                       _budget_items(ctx, higher, C.PROGRAM_LEVEL, keys)))
    for level in (C.KEGIATAN_LEVEL, C.SUBKEGIATAN_LEVEL):
        covered = ctx.below_ids(higher)
        mine = [n for n in nodes if n.level == level and id(n) not in covered]
        if mine:
            tables.append((BUDGET_LABELS[level], _budget_items(ctx, mine, level, keys)))
        higher += mine
    return [(label, items) for label, items in tables if items]


def agreements(ctx: Derivation) -> list[Agreement]:
    owned: dict[str, list[Node]] = {}
    for node in ctx.plan.nodes:
        if node.level <= C.SUBKEGIATAN_LEVEL and node.owner and ctx.included(node):
            owned.setdefault(node.owner, []).append(node)
    order = ctx.position_order
    codes = sorted(
        owned,
        key=lambda c: (min(n.level for n in owned[c]), order.get(c, len(order)), natural_key(c)),
    )
    result = []
    keys: SortKeys = {}
    for code in codes:
        nodes = sorted(owned[code], key=lambda n: (n.level, natural_key(n.id), n.row))
        position = ctx.position(code)
        first = _party(position) if position else Party(code)
        second, reason = pihak_kedua(ctx, code)
        if reason:
            ctx.findings.append(_at_position(ctx, F.NO_PIHAK_KEDUA, position, code, reason))
        if position is not None and not position.holder:
            ctx.findings.append(_at_position(ctx, F.NO_HOLDER, position, code))
        unit = position.unit if position and position.unit else ""
        if not unit and second is not None:
            unit = ctx.plan.identity.text(C.KEY_PERANGKAT_DAERAH)
        agreement = Agreement(code, unit, first, second, nodes)
        agreement.budgets = _budget_tables(ctx, nodes, keys)
        result.append(agreement)
    return result


def _at_position(ctx: Derivation, rule: F.DerivationRule, position: Position | None, code: str,
                 reason: str = "") -> Finding:
    name = position.name if position else ""
    if position is None:
        return rule.at(C.JABATAN, params=dict(code=code, name=name, reason=reason))
    info = ctx.plan.sheets.get(C.JABATAN)
    column = C.KODE_ATASAN if rule is F.NO_PIHAK_KEDUA else C.NAMA_PEMANGKU
    index = info.columns.get(column, 0) if info else 0
    sheet = info.name if info else C.JABATAN
    params = dict(code=code, name=name, reason=reason)
    return rule.at(sheet, position.row, column, index, params=params)


_LETTERS = tuple(column_letter(c) for c in range(LAST_COL + 1))  # "", "A", … "F"


def _span_table(widths: tuple[float, ...]) -> list[list[float]]:
    """spans[first][last]: the width of columns first..last (1-based)."""
    spans = [[0.0] * (LAST_COL + 1) for _ in range(LAST_COL + 1)]
    for first in range(1, LAST_COL + 1):
        for last in range(first, LAST_COL + 1):
            spans[first][last] = float(sum(widths[first - 1 : last]))
    return spans


class Page:
    """Rows of the PK sheet being laid out, with merges and heights, for given widths."""

    def __init__(self, widths: tuple[float, ...]) -> None:
        self.widths = widths
        self.rows: list[list[Cell | None]] = []
        self.merges: list[str] = []
        self.heights: dict[int, float] = {}
        self._spans = _span_table(widths)
        # A printed page's height in the sheet's points, the first row of the page being
        # filled, and the page breaks made inside blocks taller than a page.
        self.limit = PAGE_HEIGHT / min(1.0, PAGE_WIDTH / _points(widths))
        self.page_top = 1
        self.breaks: list[int] = []

    def room_for(self, height: float) -> bool:
        """Whether ``height`` more points fit on the page being filled."""
        return self.height(self.page_top, self.last) + height <= self.limit

    def new_page(self) -> None:
        self.breaks.append(self.last)
        self.page_top = self.last + 1

    @property
    def last(self) -> int:
        return len(self.rows)

    def span(self, first: int, last: int) -> float:
        return self._spans[first][last]

    def lines(self, text: str, first: int, last: int) -> int:
        return wrapped_lines(text, self._spans[first][last])

    def height(self, first_row: int, last_row: int) -> float:
        # Asked before every row group of a page (room_for): summed without a Python loop.
        return sum(map(self.heights.get, range(first_row, last_row + 1), repeat(ROW_HEIGHT)))

    def add(self, *parts: tuple[int, int, Cell], height: float | None = None) -> int:
        """A row of (first column, last column, cell) parts, merged where a part spans; as
        tall as its wrapped text unless ``height`` is given."""
        if height is None:
            lines = 1
            spans = self._spans
            for first, last, cell in parts:
                value = cell.value
                if isinstance(value, str) and cell.style != "title":
                    needed = wrapped_lines(value, spans[first][last])
                    if needed > lines:
                        lines = needed
            if lines > 1:
                height = lines_height(lines)
        return self.row(parts, height)

    def row(self, parts: tuple[tuple[int, int, Cell], ...], height: float | None) -> int:
        """A row of parts ``height`` tall (None: the default height), its text not measured."""
        row: list[Cell | None] = [None] * LAST_COL
        number = len(self.rows) + 1
        for first, last, cell in parts:
            row[first - 1] = cell
            if last > first:
                self.merges.append(f"{_LETTERS[first]}{number}:{_LETTERS[last]}{number}")
                row[first:last] = [blank(cell.style)] * (last - first)  # borders of the merge
        self.rows.append(row)
        if height is not None:
            self.heights[number] = height
        return number

    def blank(self, height: float | None = SPACER) -> None:
        self.add(height=height)


@lru_cache(maxsize=1024)
def _text(text: str, style: str) -> Cell:
    """A cell of fixed wording (labels, headers, the agreement's sentences), made once: every
    block repeats them (cells are immutable)."""
    return Cell(text, style)


def _whole(text: str, style: str = "plain") -> tuple[int, int, Cell]:
    return (1, LAST_COL, _text(text, style))


def _identity_lines(page: Page, party: Party) -> None:
    lines = [("Nama", party.name)]
    if party.civil_servant:
        lines.append(("NIP", party.nip))
    lines.append(("Jabatan", party.job))
    for label, value in lines:
        page.add((2, 2, _text(label, "plain")), (3, LAST_COL, Cell(f": {value or DOTS}", "plain")))


def _target_table(page: Page, ctx: Derivation, agreement: Agreement) -> None:
    """No | Sasaran (B:C) | Indikator | Satuan | Target; a sasaran spans its indicator rows.
    A sasaran that does not fit on the page goes to the next, under the header again."""
    year = ctx.pk_year

    def header() -> None:
        page.add(
            (1, 1, _text("No", "header")),
            (2, 3, _text("Sasaran", "header")),
            (4, 4, _text(C.INDIKATOR, "header")),
            (5, 5, _text(C.SATUAN, "header")),
            (6, 6, _text(C.target_header(year or 0), "header")),
        )

    header()
    for number, node in enumerate(agreement.nodes, start=1):
        if not page.room_for(_sasaran_height(page, node)) and page.last > page.page_top:
            page.new_page()
            header()
        top = page.last + 1
        for index, indicator in enumerate(node.indicators):
            first = index == 0
            # As tall as the indicator and its unit: the sasaran spans the rows (below).
            lines = max(page.lines(indicator.name, 4, 4), page.lines(indicator.unit, 5, 5))
            page.row((
                (1, 1, Cell(number, "text_center") if first else blank("text_center")),
                (2, 2, Cell(node.sasaran, "text") if first else blank("text")),
                (3, 3, blank("text")),
                (4, 4, Cell(indicator.name, "text")),
                (5, 5, Cell(indicator.unit, "text_center")),
                (6, 6, target_cell(indicator, year)),
            ), lines_height(lines) if lines > 1 else None)
        bottom = page.last
        page.merges.append(f"B{top}:C{bottom}")
        if bottom > top:
            page.merges.append(f"A{top}:A{bottom}")
        needed = lines_height(page.lines(node.sasaran, 2, 3))
        have = page.height(top, bottom)
        if needed > have:
            page.heights[bottom] = page.heights.get(bottom, ROW_HEIGHT) + needed - have


def _sasaran_height(page: Page, node: Node) -> float:
    """The rows a sasaran of the target table takes."""
    rows = sum(lines_height(max(page.lines(i.name, 4, 4), page.lines(i.unit, 5, 5)))
               for i in node.indicators)
    return max(rows, lines_height(page.lines(node.sasaran, 2, 3)))


def _budget_table(page: Page, label: str, items: list[tuple[str, float]]) -> None:
    """No | programme, activity or sub-activity | budget; under its header again on the next
    page when it does not fit."""

    def header() -> None:
        page.add(
            (1, 1, _text("No", "header")),
            (2, 4, _text(label, "header")),
            (5, 6, _text(C.ANGGARAN_PREFIX, "header")),
        )

    if not page.room_for(2 * ROW_HEIGHT + SPACER) and page.last >= page.page_top:
        page.new_page()  # a header with no row under it ends no page
    header()
    for number, (text, amount) in enumerate(items, start=1):
        if not page.room_for(lines_height(page.lines(text, 2, 4))):
            page.new_page()
            header()
        page.add((1, 1, Cell(number, "text_center")), (2, 4, Cell(text, "text")),
                 (5, 6, money(amount)))
    total = sum(amount for _, amount in items)
    page.add((1, 4, _text("Jumlah", "total")), (5, 6, Cell(num(total), "total_money")))


def _signatures(page: Page, ctx: Derivation, agreement: Agreement) -> None:
    """Place and date over the right column; Pihak Kedua left, Pihak Pertama right."""
    place = city(ctx.plan.identity.text(C.KEY_INSTANSI))
    right = (4, LAST_COL)
    parties = [(right, "Pihak Pertama,", agreement.first)]
    if agreement.second is not None:
        parties.insert(0, ((1, 3), "Pihak Kedua,", agreement.second))
    page.add((*right, _text(f"{place}, … Januari {ctx.pk_year}", "plain")))
    if agreement.second is not None:  # who signs alone signs by office, not as a party
        page.add(*[(*span, _text(head, "bold")) for span, head, _ in parties])
    page.add(*[(*span, Cell(party.job or DOTS, "plain")) for span, _, party in parties])
    page.blank(height=54.0)
    page.add(*[(*span, Cell(party.name or f"( {DOTS} )", "bold")) for span, _, party in parties])
    nips = [
        (*span, Cell(f"NIP. {party.nip}".strip(), "plain"))
        for span, _, party in parties
        if party.civil_servant
    ]
    if nips:
        page.add(*nips)


def _titles(page: Page, text: str) -> None:
    """Title lines (14 pt bold capitals do not wrap): a long name is cut at its dash, then
    between words."""
    capacity = max(int((page.span(1, LAST_COL) - 2) / 1.4), 10)
    parts = re.split(r"\s[—–-]\s", text) if len(text) > capacity else [text]
    for part in parts:
        line = ""
        for word in part.split():
            if line and len(line) + 1 + len(word) > capacity:
                page.add(_whole(line, "title"), height=20.0)
                line = ""
            line = f"{line} {word}".strip()
        page.add(_whole(line, "title"), height=20.0)


def _block(page: Page, ctx: Derivation, agreement: Agreement) -> None:
    instansi = ctx.plan.identity.text(C.KEY_INSTANSI)
    alone = agreement.second is None
    page.add(_whole(f"PERJANJIAN KINERJA TAHUN {ctx.pk_year}", "title"), height=24.0)
    if agreement.unit and agreement.unit.casefold() != instansi.casefold():
        _titles(page, agreement.unit.upper())
    if instansi:
        _titles(page, instansi.upper())
    page.blank()
    page.add(_whole(OPENING.format(kami="saya" if alone else "kami")))
    _identity_lines(page, agreement.first)
    if alone:
        page.add(_whole(PROMISE_ALONE))
    else:
        page.add(_whole(FIRST_PARTY))
        page.blank(height=5.0)
        _identity_lines(page, agreement.second or Party(""))
        page.add(_whole(SECOND_PARTY))
        page.blank(height=5.0)
        page.add(_whole(PROMISE))
        page.add(_whole(SUPERVISION))
    page.blank()
    _target_table(page, ctx, agreement)
    for label, items in agreement.budgets:
        page.blank()
        _budget_table(page, label, items)
    page.blank()
    if not page.room_for(SIGNATURES_HEIGHT):
        page.new_page()  # the place, date and signatures are not parted
    _signatures(page, ctx, agreement)


def _points(widths: tuple[float, ...]) -> float:
    """Printed width of columns (Excel: a unit is 7 px plus 5 px padding at 96 dpi)."""
    return sum(0.75 * (7 * w + 5) for w in widths)


def _layout(ctx: Derivation, items: list[Agreement], widths: tuple[float, ...], *,
            stop: bool = False) -> tuple[Page, list[int], Agreement | None]:
    """The blocks laid out for ``widths`` and the page breaks; with ``stop``, the layout is
    abandoned at the first block too tall for a page, which is returned (else None)."""
    page = Page(widths)
    for agreement in items:
        if page.last:
            page.new_page()
        start = page.last + 1
        _block(page, ctx, agreement)
        if stop and not _fits(page.height(start, page.last), widths):
            return page, page.breaks, agreement
    return page, page.breaks, None


def _block_height(ctx: Derivation, agreement: Agreement, widths: tuple[float, ...]) -> float:
    """One block's height for ``widths`` (a block's rows do not depend on where it starts)."""
    scratch = Page(widths)
    _block(scratch, ctx, agreement)
    return scratch.height(1, scratch.last)


def _fits(height: float, widths: tuple[float, ...]) -> bool:
    """Whether a block this tall fits a printed page at these widths (fit to width)."""
    return height * min(1.0, PAGE_WIDTH / _points(widths)) <= PAGE_HEIGHT


def pk(ctx: Derivation) -> SheetSpec:
    """One block per agreement, a page break after each; columns widened (up to the last
    widening) until every block fits a page.

    A widening is rejected as soon as one block does not fit, and a block that did not fit
    is tried alone first at the next widening: the whole layout is done once or twice, not
    once per widening."""
    items = agreements(ctx) if ctx.pk_year is not None else []
    ctx.pk_owners.update(a.code for a in items)
    too_tall: Agreement | None = None
    for step, factor in enumerate(WIDENINGS):
        widths = tuple(round(w * factor, 1) if i in WIDENED else w for i, w in enumerate(WIDTHS))
        if step == len(WIDENINGS) - 1:
            page, breaks, _ = _layout(ctx, items, widths)  # the widest: laid out whatever fits
            break
        if too_tall is not None and not _fits(_block_height(ctx, too_tall, widths), widths):
            continue
        page, breaks, too_tall = _layout(ctx, items, widths, stop=True)
        if too_tall is None:
            break
    if ctx.pk_year is None:
        page.add(_whole("PK tidak dibuat: Tahun PK di sheet Identitas kosong atau tidak valid."))
    area = f"A1:{column_letter(LAST_COL)}{max(page.last, 1)}"
    return SheetSpec(
        name=C.PK,
        rows=page.rows,
        widths={i: w for i, w in enumerate(widths, start=1)},
        heights=page.heights,
        merges=page.merges,
        protect=True,
        print=PrintSetup(landscape=False, paper="A4", fit_to_width=True, area=area,
                         title_rows="", row_breaks=breaks),
    )
