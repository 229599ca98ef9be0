"""``Evaluasi_Cascading``: the evaluators' KKE of cascading, computed from the tree.

One row per indicator of every node (L1–L6), in cascade order (each node followed by its
subtree): whether it is in the Renstra, Renja and PK the workbook derives, the owner's
position level, and ``Cascading tepat?`` (Y/T) decided by the numbered rules of
:data:`RULES`, with the rule numbers and reasons of every T. Below the table: the number of
indicators, the number of Y, their share, and the answer that share implies for the LKE
criterion on cascading (PermenPANRB 88/2021), by the bands of :data:`BANDS` — our choice, as
the regulation states no bands; change them there. Sources and choices:
``docs/evaluasi_cascading.md``.

Unlike the other derived sheets, nodes with a Galat are listed (an evaluator counts every
indicator): they are T by rule K1, and absent from Renstra, Renja and PK as those sheets are.
Every question of the tree goes through the tree index (:class:`~pohon_xl.core.link.Tree`).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from pohon_xl.core.derive.common import (
    CAPITALS_FACTOR,
    CHARS_PER_UNIT,
    Derivation,
    blank,
    fit_heights,
    lines_height,
    wrapped_lines,
)
from pohon_xl.model import contract as C
from pohon_xl.model.plan import Indicator, Node
from pohon_xl.printing import fit_page
from pohon_xl.rules.owners import (
    ADMINISTRATOR,
    ADMINISTRATOR_HEADED,
    USUAL_KINDS,
    kind_of,
    office_head,
)
from pohon_xl.sheets import Cell, PrintSetup, SheetSpec, column_letter

HEADERS = ["No", "Level", C.ID, C.SASARAN, C.INDIKATOR, "Renstra", "Renja", "PK",
           C.PEMILIK, C.JENIS_JABATAN, "Sesuai Level Jabatan", "Cascading tepat?", "Nilai",
           "Keterangan"]
WIDTHS: list[float] = [5, 6, 10, 30, 30, 9, 9, 7, 13, 14, 10, 10, 7, 42]
LABEL_END = HEADERS.index("Nilai")  # summary labels span A up to the column before Nilai
YES, NO, NOT_APPLICABLE = "Ya", "Tidak", "-"
Y, T = "Y", "T"

# Levels whose indicators each planning document carries (the contract's "planning
# component it becomes"): Renstra L2–L4 with a target every year of the period, Renja L3–L5
# with the Tahun PK target (L5 also its budget), PK L1–L5 owned by a position of Jabatan.
RENSTRA_LEVELS, RENJA_LEVELS, PK_LEVELS = range(2, 5), range(3, 6), range(1, 6)
CASCADED_LEVELS = range(2, 6)  # levels that must say how they cascade (Jenis Cascading)
PARENT_OF_LEVELS = range(1, 5)  # levels whose nodes must be cascaded further down
CASCADING_TYPES = frozenset(v.casefold() for v in C.CASCADING_VALUES)

CRITERION = (
    "Kriteria LKE AKIP (PermenPANRB 88/2021, komponen Perencanaan Kinerja, sub-komponen "
    "kualitas, kriteria 8): Setiap dokumen perencanaan kinerja menggambarkan hubungan yang "
    "berkesinambungan, serta selaras antara kondisi/hasil yang akan dicapai di setiap level "
    "jabatan (cascading).")

# The numbered rules of "Cascading tepat?": code -> what a Y needs. An indicator is Y when
# every rule that applies to it holds.
RULES: tuple[tuple[str, str], ...] = (
    ("K1", "Node tanpa Galat, sehingga masuk ke dokumen turunan (PK, Renstra, Renja)."),
    ("K2", "Node di bawah puncak cascading mempunyai induk tepat satu level di atasnya (L2 "
           "di workbook perangkat daerah tanpa L1: induknya ada di workbook Pemda)."),
    ("K3", "L2–L5: Jenis Cascading diisi Langsung, Berbagi atau Kontribusi."),
    ("K4", "Pemilik Kinerja adalah Kode Jabatan di sheet Jabatan (L1 di workbook perangkat "
           "daerah: Kepala Daerah ada di workbook Pemda)."),
    ("K5", "L1–L5: Jenis Jabatan pemilik lazim untuk levelnya (seperti aturan PEM03)."),
    ("K6", "Induk dimiliki pemilik itu sendiri atau atasannya menurut rantai Kode Jabatan "
           "Atasan (pemilik induk yang tidak ada di sheet Jabatan: K4 pada induk)."),
    ("K7", "Indikator mempunyai target angka untuk Tahun PK."),
    ("K8", "L5: subkegiatan mempunyai anggaran Tahun PK."),
    ("K9", "L1–L4: node diturunkan ke level di bawahnya (mempunyai node anak), bila workbook "
           "memuat level itu."),
)


@dataclass(frozen=True)
class Band:
    """An answer of the LKE criterion for a share of Y from ``least`` (a fraction) up."""

    least: float
    answer: str
    value: float
    meaning: str


# Our bands (configurable): the LKE's answer scale A–E with its values 1 … 0, by the share
# of indicators whose cascade is right. See docs/evaluasi_cascading.md.
BANDS: tuple[Band, ...] = (
    Band(0.90, "A", 1.0, "cascading selaras dan logis di hampir semua level jabatan"),
    Band(0.75, "B", 0.75, "sebagian besar selaras, ada beberapa mata rantai terputus"),
    Band(0.50, "C", 0.5, "separuh lebih selaras, banyak mata rantai perlu diperbaiki"),
    Band(0.25, "D", 0.25, "sebagian kecil selaras"),
    Band(0.0, "E", 0.0, "cascading belum menggambarkan hubungan antar-level jabatan"),
)


def criterion(share: float | None, bands: tuple[Band, ...] = BANDS) -> Band | None:
    """The band a share of Y falls in (bands from the highest ``least`` down); None without
    indicators."""
    if share is None:
        return None
    return next((b for b in sorted(bands, key=lambda b: -b.least) if share >= b.least), None)


@dataclass(frozen=True)
class Verdict:
    """One indicator's row: presence per document, level fit, and the reasons of a T."""

    node: Node
    indicator: Indicator
    renstra: str
    renja: str
    pk: str
    kind: str
    kind_fits: str
    reasons: tuple[str, ...]

    @property
    def right(self) -> bool:
        return not self.reasons


class Evaluator:
    """The rules, asked of one node and indicator at a time; what they share computed once."""

    def __init__(self, ctx: Derivation) -> None:
        self.ctx = ctx
        self.tree = ctx.tree
        self.year = ctx.pk_year
        plan = ctx.plan
        self.office = bool(plan.identity.text(C.KEY_PERANGKAT_DAERAH))
        self.levels_held = {n.level for n in plan.nodes}
        self.office_top = self.office and not any(n.level == 1 for n in self.tree.nodes)
        self.kinds: dict[str, str] = {}  # Jenis Jabatan as typed -> meant (a handful)
        head = office_head(plan.positions, self.tree.positions)
        self.ladder = ({**USUAL_KINDS, **ADMINISTRATOR_HEADED} if head == ADMINISTRATOR
                       else USUAL_KINDS)
        self._chains: dict[str, list[str]] = {}

    def superiors(self, code: str) -> list[str]:
        """The owner's chain of Kode Jabatan Atasan upwards (a code outside Jabatan ends it;
        a cycle stops before it repeats)."""
        found = self._chains.get(code)
        if found is None:
            found, seen = [], {code}
            position = self.tree.positions.get(code)
            while position is not None and position.superior and position.superior not in seen:
                found.append(position.superior)
                seen.add(position.superior)
                position = self.tree.superior(position)
            self._chains[code] = found
        return found

    def verdicts(self, node: Node) -> Iterator[Verdict]:
        # What the node decides for all its indicators, once; an indicator adds only K7.
        node_reasons = tuple(sorted(self._node_reasons(node), key=_rule_order))
        included = self.ctx.included(node)
        owner = self.tree.owner(node)
        kind = self.kind(owner.kind) if owner is not None else ""
        kind_fits = self._kind_fits(node, kind) if owner is not None else NOT_APPLICABLE
        renstra_ok = included and node.level in RENSTRA_LEVELS
        renja_ok = included and not self._budget_reason(node)
        pk = (NOT_APPLICABLE if node.level not in PK_LEVELS else
              _yes(included and owner is not None))
        shown_kind = kind or (owner.kind if owner is not None else "")
        for indicator in node.indicators or [Indicator(row=node.row)]:
            target = self._target_reason(indicator)
            reasons = (tuple(sorted([*node_reasons, target], key=_rule_order)) if target
                       else node_reasons)
            renstra = (NOT_APPLICABLE if node.level not in RENSTRA_LEVELS else
                       _yes(renstra_ok and self._every_year(indicator)))
            renja = (NOT_APPLICABLE if node.level not in RENJA_LEVELS else
                     _yes(renja_ok and not target))
            yield Verdict(node, indicator, renstra, renja, pk, shown_kind, kind_fits, reasons)

    def kind(self, typed: str) -> str:
        found = self.kinds.get(typed)
        if found is None:
            found = self.kinds[typed] = kind_of(typed)
        return found

    def _node_reasons(self, node: Node) -> Iterator[str]:
        for check in (self._galat, self._parent, self._jenis, self._owner, self._level_fit,
                      self._superior_line, self._budget_reason, self._cascaded):
            reason = check(node)
            if reason:
                yield reason

    def _galat(self, node: Node) -> str:
        if self.ctx.included(node):
            return ""
        return "K1: node memiliki Galat (lihat Laporan_Validasi), tidak masuk dokumen turunan"

    def _is_top(self, node: Node) -> bool:
        return node.level == 1 or (node.level == 2 and self.office_top)

    def _parent(self, node: Node) -> str:
        if self._is_top(node):
            return ""
        parent = self.tree.parent(node)
        if not node.parent_id:
            return "K2: ID Induk kosong"
        if parent is None:
            return f"K2: induk '{node.parent_id}' tidak ditemukan"
        if parent.level != node.level - 1:
            return f"K2: induk '{parent.id}' ada di L{parent.level}, bukan L{node.level - 1}"
        return ""

    def _jenis(self, node: Node) -> str:
        if node.level not in CASCADED_LEVELS:
            return ""
        jenis = node.jenis_cascading.strip()
        if not jenis:
            return "K3: Jenis Cascading kosong"
        if jenis.casefold() not in CASCADING_TYPES:
            return f"K3: Jenis Cascading '{jenis}' tidak dikenal"
        return ""

    def _owner(self, node: Node) -> str:
        if node.level == 1 and self.office:
            return ""
        if not node.owner:
            return "K4: Pemilik Kinerja kosong"
        if self.tree.owner(node) is None:
            return f"K4: pemilik '{node.owner}' tidak ada di sheet Jabatan"
        return ""

    def _kind_fits(self, node: Node, kind: str) -> str:
        usual = self.ladder.get(node.level)
        if usual is None:  # L6: any position writes its own RHK
            return YES
        return _yes(kind in usual)

    def _level_fit(self, node: Node) -> str:
        owner = self.tree.owner(node)
        usual = self.ladder.get(node.level)
        if owner is None or usual is None:
            return ""
        kind = self.kind(owner.kind)
        if not kind:
            return f"K5: Jenis Jabatan '{owner.kind}' pemilik tidak dikenali"
        if kind not in usual:
            return f"K5: {kind} tidak lazim untuk L{node.level} (lazimnya {' atau '.join(usual)})"
        return ""

    def _superior_line(self, node: Node) -> str:
        parent = self.tree.parent(node)
        if (parent is None or parent.level >= node.level or not parent.owner
                or self.tree.owner(node) is None):
            return ""  # no parent above (K2), or an owner missing (K4 of the one or the other)
        chain = self.superiors(node.owner)
        if parent.owner == node.owner or parent.owner in chain:
            return ""
        if parent.owner not in self.tree.positions:
            return ""  # the parent's owner is unknown: K4 of the parent
        return (f"K6: induk '{parent.id}' dimiliki '{parent.owner}', bukan atasan pemilik "
                f"(rantai atasan: {' → '.join([node.owner, *chain])})")

    def _target_reason(self, indicator: Indicator) -> str:
        if self.year is None:
            return "K7: Tahun PK di sheet Identitas kosong atau tidak valid"
        cell = indicator.targets.get(self.year)
        if cell is None or cell.empty:
            return f"K7: Target {self.year} kosong"
        if cell.value is None:
            return f"K7: Target {self.year} bukan angka ('{cell.raw}')"
        return ""

    def _budget_reason(self, node: Node) -> str:
        if node.level != C.SUBKEGIATAN_LEVEL or self.year is None:
            return ""
        if node.budget(self.year) <= 0:
            return f"K8: Anggaran {self.year} kosong"
        return ""

    def _cascaded(self, node: Node) -> str:
        if node.level not in PARENT_OF_LEVELS or node.level + 1 not in self.levels_held:
            return ""
        if self.tree.whole.children(node):
            return ""
        return "K9: tidak diturunkan ke level di bawahnya (tidak ada node anak)"

    def _every_year(self, indicator: Indicator) -> bool:
        years = self.ctx.years
        return bool(years) and all(
            (cell := indicator.targets.get(y)) is not None and cell.value is not None
            for y in years)


def _yes(flag: bool) -> str:
    return YES if flag else NO


def _rule_order(reason: str) -> int:
    return int(reason[1:reason.index(":")])


def cascade_order(ctx: Derivation) -> list[Node]:
    """Every node of the workbook once: level by level, each node not yet listed followed by
    its subtree (the tree's branches), so a chain reads down; orphans come after their
    level's rooted nodes."""
    whole = ctx.tree.whole
    own = {id(n) for n in ctx.plan.nodes}
    listed: set[int] = set()
    ordered: list[Node] = []
    for node in sorted(ctx.plan.nodes, key=lambda n: n.level):
        if id(node) in listed:
            continue
        for found in whole.subtree(node):
            if id(found) not in listed and id(found) in own:
                listed.add(id(found))
                ordered.append(found)
    return ordered


def evaluate(ctx: Derivation) -> list[Verdict]:
    """The verdict of every indicator, in cascade order."""
    evaluator = Evaluator(ctx)
    return [v for node in cascade_order(ctx) for v in evaluator.verdicts(node)]


# Cells many rows share (cells are immutable): the marks, the verdict and its value.
_CENTRED = {text: Cell(text, "text_center") for text in (YES, NO, NOT_APPLICABLE)}
_VERDICT = {True: (Cell(Y, "ok"), Cell(1, "number")), False: (Cell(T, "galat"), Cell(0, "number"))}
# The table's columns whose text may wrap, by 0-based index (the others hold short marks).
_WRAPPING = tuple(HEADERS.index(h) for h in (C.ID, C.SASARAN, C.INDIKATOR, C.PEMILIK,
                                             C.JENIS_JABATAN, "Keterangan"))


def evaluasi_cascading(ctx: Derivation) -> SheetSpec:
    verdicts = evaluate(ctx)
    rows: list[list[Cell | None]] = [[Cell(h, "header") for h in HEADERS]]
    lead: dict[int, list[Cell]] = {}  # id(node) -> its cells, shared by its indicators' rows
    empty = blank()
    for number, v in enumerate(verdicts, start=1):
        node = v.node
        cells = lead.get(id(node))
        if cells is None:
            cells = lead[id(node)] = [Cell(f"L{node.level}", "text_center"), Cell(node.id),
                                      Cell(node.sasaran), Cell(node.owner), Cell(v.kind),
                                      _CENTRED[v.kind_fits]]
        level, node_id, sasaran, owner, kind, fits = cells
        rows.append([Cell(number, "number"), level, node_id, sasaran, Cell(v.indicator.name),
                     _CENTRED[v.renstra], _CENTRED[v.renja], _CENTRED[v.pk], owner, kind, fits,
                     *_VERDICT[v.right], Cell("; ".join(v.reasons)) if v.reasons else empty])
    table_end = len(rows)
    merges = _summary(rows, verdicts)
    last = f"{column_letter(len(HEADERS))}{len(rows)}"
    sheet = SheetSpec(
        name=C.EVALUASI_CASCADING,
        rows=rows,
        widths={i: w for i, w in enumerate(WIDTHS, start=1)},
        heights=_table_heights(rows[1:table_end]),
        merges=merges,
        freeze="A2",
        autofilter=f"A1:{column_letter(len(HEADERS))}{table_end}",
        protect=True,
        print=PrintSetup(title_rows="1:1", area=f"A1:{last}"),
    )
    fit_page(sheet, title_columns=3)
    fit_heights(sheet)  # the header and the footer: the table's rows have their heights
    return sheet


def _table_heights(body: list[list[Cell | None]]) -> dict[int, float]:
    """Every table row's height (row 2 on), from its wrapping columns only: what
    :func:`fit_heights` would give, without visiting the columns of short marks."""
    columns = [(i, WIDTHS[i], max(int((WIDTHS[i] - 1) * CHARS_PER_UNIT * CAPITALS_FACTOR), 1))
               for i in _WRAPPING]
    heights: dict[int, float] = {}
    for r, row in enumerate(body, start=2):
        lines = 1
        for i, width, one_line in columns:
            cell = row[i]
            text = cell.value if cell is not None else None
            if isinstance(text, str) and (len(text) > one_line or "\n" in text):
                lines = max(lines, wrapped_lines(text, width))
        heights[r] = lines_height(lines)
    return heights


def _summary(rows: list[list[Cell | None]], verdicts: list[Verdict]) -> list[str]:
    """The KKE's footer under the table: counts, the share of Y and the LKE answer it
    implies; then the bands and the rules. Returns the merges."""
    merges: list[str] = []
    label_end = column_letter(LABEL_END)

    def line(label: str, value: Cell, note: str = "") -> None:
        row: list[Cell | None] = [Cell(label), *[blank()] * (LABEL_END - 1)]
        rows.append([*row, value, Cell(note)])
        merges.append(f"A{len(rows)}:{label_end}{len(rows)}")

    def text(content: str, style: str = "plain", first: str = "") -> None:
        """A line across the sheet; with ``first``, a bordered row of a list (a rule, a band)."""
        rows.append([Cell(first, "text_center"), Cell(content)] if first else
                    [None, Cell(content, style)])
        merges.append(f"B{len(rows)}:{column_letter(len(HEADERS))}{len(rows)}")

    total = len(verdicts)
    right = sum(1 for v in verdicts if v.right)
    share = round(right / total, 4) if total else None
    band = criterion(share)
    rows.append([])
    line("Jumlah indikator kinerja (IK) yang dievaluasi", Cell(total, "number"))
    line("Jumlah nilai (a): indikator dengan Cascading tepat = Y", Cell(right, "number"))
    line("Persentase pemenuhan kriteria = a / jumlah IK × 100%", Cell(share, "percent"))
    if band is None:
        line("Jawaban kriteria LKE", Cell(NOT_APPLICABLE, "text_center"),
             "Tidak ada indikator yang dapat dievaluasi.")
    else:
        line("Jawaban kriteria LKE", Cell(band.answer, "text_center"),
             f"Nilai {_decimal(band.value)}: {band.meaning}.")
    rows.append([])
    text(CRITERION)
    text("Rentang jawaban (dapat diubah; ditetapkan pohon-xl, bukan oleh peraturan):",
         "subtitle")
    ordered = sorted(BANDS, key=lambda b: -b.least)
    for upper, band_row in zip([None, *ordered], ordered):
        top = "" if upper is None else f" dan < {_decimal(upper.least * 100)}%"
        text(f"≥ {_decimal(band_row.least * 100)}%{top}: {band_row.answer} (nilai "
             f"{_decimal(band_row.value)}) — {band_row.meaning}", first=band_row.answer)
    rows.append([])
    text("Aturan Cascading tepat? (Y bila semua aturan yang berlaku terpenuhi; alasan setiap "
         "T di kolom Keterangan):", "subtitle")
    for code, rule in RULES:
        text(rule, first=code)
    return merges


def _decimal(value: float) -> str:
    """0.75 -> '0,75', 90.0 -> '90' (Indonesian decimal comma)."""
    number = f"{value:g}"
    return number.replace(".", ",")
