"""``Capaian_Kinerja``: target, realisation and achievement of every indicator reported in
`Realisasi`, per quarter and for the year, beside its parent's achievement.

Built only when the workbook has realisation (:func:`has_realisation`). The rows are those
of `Realisasi` that match an indicator of the tree by ``ID`` and indicator (the rows of a
node with a Galat are left out, like everywhere); the targets are the level sheet's
`Target <Tahun PK>` and `Target <Tahun Akhir>` and `Rencana_Aksi`'s `Target TW …`. How the
quarters make the year is `Rencana_Aksi`'s `Cara Akumulasi`, else the unit's nature
(counts add up, rates and indices do not: their year is the last quarter). The formulas are
in :mod:`pohon_xl.core.capaian` and ``docs/capaian.md``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from statistics import fmean

from pohon_xl.core import capaian as K
from pohon_xl.core.derive.common import (
    Derivation, blank, fit_heights, money, num, table_sheet,
)
from pohon_xl.model import contract as C
from pohon_xl.model.cycle import (
    KUMULATIF, NILAI_AKHIR, accumulation_of, annual, indicator_key, row_key,
)
from pohon_xl.model.plan import ActionPlanRow, Indicator, Node, Number, Plan, RealisationRow
from pohon_xl.rules.values import unit_is_additive
from pohon_xl.sheets import Cell, SheetSpec, column_letter

PERANGKAT_DAERAH = "Perangkat Daerah"
ROMAN = ("I", "II", "III", "IV")


NO_REALISATION = (
    "Belum ada realisasi: isi sheet Realisasi (Realisasi TW I … TW IV) lalu jalankan lagi; "
    "sheet itu dibuat oleh `pohon-xl turunkan`.")


def has_realisation(plan: Plan) -> bool:
    """Whether any quarter of `Realisasi` holds something: a skeleton sheet nobody filled
    yet builds no `Capaian_Kinerja`."""
    return any(not cell.empty for row in plan.realisation for cell in row.realisations)


@dataclass
class Measure:
    """One indicator's figures for the year of the PK."""

    node: Node
    indicator: Indicator
    accumulation: str
    lower_is_better: bool
    quarter_targets: list[K.Target | None] = field(default_factory=list)
    quarter_values: list[float | None] = field(default_factory=list)
    quarter_achievements: list[float | None] = field(default_factory=list)
    target: K.Target | None = None  # Target <Tahun PK>
    value: float | None = None  # the year's realisation (from the quarters)
    achievement: float | None = None
    previous: float | None = None  # Realisasi Tahun Lalu
    previous_target: K.Target | None = None  # Target <Tahun PK − 1>, when in the period
    end_target: K.Target | None = None  # Target <Tahun Akhir>
    progress: float | None = None  # achievement against the end target
    budget: float | None = None  # L5: Anggaran <Tahun PK>
    spent: float | None = None  # L5: the quarters' budget realisation

    @property
    def reported(self) -> bool:
        return self.value is not None

    @property
    def previous_achievement(self) -> float | None:
        return K.achievement(self.previous_target, self.previous, self.lower_is_better)


def _numbers(cells: list[Number]) -> list[float | None]:
    values = [cell.value for cell in cells]
    return (values + [None] * 4)[:4]


def _accumulation(indicator: Indicator, planned: ActionPlanRow | None) -> str:
    typed = accumulation_of(planned.accumulation) if planned is not None else None
    if typed:
        return typed
    return KUMULATIF if unit_is_additive(indicator.unit) else NILAI_AKHIR


def measure(ctx: Derivation, node: Node, indicator: Indicator,
            done: RealisationRow | None, planned: ActionPlanRow | None) -> Measure:
    """The figures of one indicator (``done``/``planned``: its rows of `Realisasi` and
    `Rencana_Aksi`, None when it has none)."""
    year, end = ctx.pk_year, ctx.plan.end_year
    lower = K.descending(indicator.arah)
    found = Measure(node, indicator, _accumulation(indicator, planned), lower)
    targets = planned.targets if planned is not None else []
    found.quarter_targets = [K.target_of(targets[q] if q < len(targets) else None)
                             for q in range(4)]
    found.quarter_values = _numbers(done.realisations) if done is not None else [None] * 4
    found.quarter_achievements = [K.achievement(t, r, lower) for t, r in
                                  zip(found.quarter_targets, found.quarter_values)]
    if year is not None:
        found.target = K.target_of(indicator.targets.get(year))
        found.previous_target = K.target_of(indicator.targets.get(year - 1))
    found.value = annual(found.quarter_values, found.accumulation)
    found.achievement = K.achievement(found.target, found.value, lower)
    if end is not None:
        found.end_target = K.target_of(indicator.targets.get(end))
        found.progress = K.achievement(found.end_target, found.value, lower)
    if done is not None:
        found.previous = done.previous_year.value
        spent = [v for v in _numbers(done.budget_realisations) if v is not None]
        found.spent = sum(spent) if spent else None
    if node.level == C.SUBKEGIATAN_LEVEL and year is not None and indicator is node.indicators[0]:
        cell = indicator.budgets.get(year)
        found.budget = cell.value if cell is not None else None
    return found


def measures(ctx: Derivation) -> list[Measure]:
    """The figures of every indicator with a `Realisasi` row, in the order of the level
    sheets (memoised on the derivation: the LKjIP tables read them too)."""
    cached = ctx.memo.get("capaian")
    if cached is None:
        cached = ctx.memo["capaian"] = _measures(ctx)
    return cached  # type: ignore[return-value]


Keyed = tuple[dict[tuple[str, str], RealisationRow], dict[tuple[str, str], ActionPlanRow]]


def keyed_rows(plan: Plan) -> Keyed:
    """The rows of `Realisasi` and `Rencana_Aksi` by (ID, indicator); of two rows with one
    key the first wins."""
    return ({row_key(r): r for r in reversed(plan.realisation)},
            {row_key(r): r for r in reversed(plan.action_plan)})


def _measures(ctx: Derivation) -> list[Measure]:
    done, planned = keyed_rows(ctx.plan)
    found = []
    for node in ctx.plan.nodes:
        if not ctx.included(node):
            continue
        for indicator in node.indicators:
            key = indicator_key(node.id, indicator.name)
            if key in done:
                found.append(measure(ctx, node, indicator, done[key], planned.get(key)))
    return found


def by_node(found: list[Measure]) -> dict[int, list[Measure]]:
    grouped: dict[int, list[Measure]] = {}
    for item in found:
        grouped.setdefault(id(item.node), []).append(item)
    return grouped


def node_achievement(items: list[Measure]) -> float | None:
    """A node's achievement: the mean of its indicators' (those with one)."""
    values = [m.achievement for m in items if m.achievement is not None]
    return round(fmean(values), 10) if values else None


def pct(value: float | None) -> Cell:
    """An achievement or share in percent, to two decimals."""
    return Cell(None if value is None else num(round(value, 2)), "number")


def value_cell(value: float | None) -> Cell:
    return Cell(num(None if value is None else round(value, 6)), "number")


def target_cell(target: K.Target | None) -> Cell:
    if target is None:
        return blank("number")
    if target.is_range:
        return Cell(target.text(), "text_center")
    return Cell(num(target.low), "number")


def headers(ctx: Derivation) -> list[str]:
    year = ctx.pk_year or "Tahun PK"
    end = ctx.plan.end_year or "Tahun Akhir"
    names = [C.ID, "Tingkat", C.SASARAN, C.INDIKATOR, C.SATUAN, C.ARAH, "Cara Akumulasi",
             f"Target {year}"]
    for q in ROMAN:
        names += [f"Target TW {q}", f"Realisasi TW {q}", f"Capaian TW {q} (%)"]
    names += [f"Realisasi {year}", "Capaian (%)", "Kategori", "ID Induk", "Capaian Induk (%)",
              "Realisasi Tahun Lalu", "Perubahan dari Tahun Lalu", f"Target {end}",
              f"Capaian terhadap Target {end} (%)", f"Anggaran {year}", "Realisasi Anggaran",
              "Penyerapan Anggaran (%)"]
    if ctx.offices:
        names.insert(0, PERANGKAT_DAERAH)
    return names


# Wide enough for the longest word of each (bold, wrapped) header: "Akumulasi", "Realisasi",
# "Penyerapan".
WIDTHS: list[float] = [10, 8, 30, 30, 10, 7, 13, 11, *[11, 11, 10] * 4, 11, 10, 13, 10, 10, 11,
                       12, 11, 12, 15, 15, 13]


def capaian_kinerja(ctx: Derivation) -> SheetSpec:
    found = measures(ctx)
    grouped = by_node(found)
    body: list[list[Cell | None]] = []
    for item in found:
        node, indicator = item.node, item.indicator
        parent = ctx.branches.parent(node)
        parent_value = node_achievement(grouped.get(id(parent), [])) if parent else None
        row: list[Cell | None] = [
            Cell(node.id), Cell(f"L{node.level}", "text_center"), Cell(node.sasaran),
            Cell(indicator.name), Cell(indicator.unit), Cell(indicator.arah, "text_center"),
            Cell(item.accumulation, "text_center"), target_cell(item.target)]
        for q in range(4):
            row += [target_cell(item.quarter_targets[q]), value_cell(item.quarter_values[q]),
                    pct(item.quarter_achievements[q])]
        row += [value_cell(item.value), pct(item.achievement),
                Cell(K.category(item.achievement, ctx.bands), "text_center"),
                Cell(parent.id if parent else ""), pct(parent_value),
                value_cell(item.previous), value_cell(K.change(item.value, item.previous)),
                target_cell(item.end_target), pct(item.progress),
                money(item.budget) if item.budget is not None else blank("money"),
                money(item.spent) if item.budget is not None else blank("money"),
                pct(K.absorption(item.budget, item.spent))]
        if ctx.offices:
            row.insert(0, Cell(ctx.offices.get(id(node), "")))
        body.append(row)
    widths = ([24.0] if ctx.offices else []) + WIDTHS
    names = headers(ctx)
    sheet = table_sheet(C.CAPAIAN_KINERJA, names, body, widths,
                        title_columns=5 if ctx.offices else 4)
    note = (f"Kategori capaian: {K.bands_text(ctx.bands)} (pita bawaan: {K.BANDS_SOURCE}). "
            "Naik: R/T×100; Turun: (2T−R)/T×100; rumus lengkap di docs/capaian.md.")
    add_note(sheet, note, len(names))
    return sheet


def add_note(sheet: SheetSpec, note: str, columns: int) -> None:
    """A line under the table, across its first columns, inside the print area (outside
    the filter)."""
    sheet.rows += [[], [Cell(note, "plain")]]
    row = len(sheet.rows)
    last = column_letter(columns)
    sheet.merges.append(f"A{row}:{column_letter(min(columns, 8))}{row}")
    sheet.print.area = f"A1:{last}{row}"
    fit_heights(sheet)


def reported_share(plan: Plan) -> tuple[int, int]:
    """(indicators reported, indicators with a `Realisasi` row matching the tree): what
    `Rekap` shows per office. Reported: a realisation in at least one quarter."""
    indicators = {indicator_key(n.id, i.name) for n in plan.nodes for i in n.indicators}
    rows = {row_key(r): r for r in plan.realisation if row_key(r) in indicators}
    reported = sum(any(not c.empty for c in r.realisations) for r in rows.values())
    return reported, len(rows)
