"""``LKjIP``: the tables of chapter III of the LKjIP (PermenPANRB 53/2014), one under another.

Per strategic sasaran — an office's L2, the body's L1 — and its indicators:

1. target against realisation and achievement of the Tahun PK;
2. the realisation and achievement of the year before against this year's;
3. the realisation against the Renstra's end target (`Target <Tahun Akhir>`);
4. efficiency: the sasaran's achievement against the absorption of the budget of the
   sub-activities (L5) under it; the rule is written under the table.

Built with ``Capaian_Kinerja`` (when the workbook has realisation); the figures are the same
(:mod:`pohon_xl.core.derive.capaian`).
"""

from __future__ import annotations

from pohon_xl.core import capaian as K
from pohon_xl.core.derive.capaian import (
    Measure, by_node, keyed_rows, measure, measures, node_achievement, pct, target_cell,
    value_cell,
)
from pohon_xl.core.derive.common import Derivation, blank, fit_heights, money, office_without_l1
from pohon_xl.model import contract as C
from pohon_xl.model.cycle import indicator_key
from pohon_xl.model.plan import Node
from pohon_xl.printing import fit_page
from pohon_xl.sheets import Cell, PrintSetup, SheetSpec

WIDTHS = {1: 5, 2: 34, 3: 34, 4: 11, 5: 16, 6: 16, 7: 13, 8: 13, 9: 13}
COLUMNS = len(WIDTHS)
EFFICIENCY_RULE = (
    "Efisiensi = capaian kinerja sasaran (%) − penyerapan anggaran (%): nol atau lebih berarti "
    "efisien (kinerja tercapai dengan anggaran yang sebanding atau lebih sedikit), kurang dari "
    "nol berarti kurang efisien. Capaian sasaran = rata-rata capaian indikatornya; anggaran = "
    "jumlah Anggaran subkegiatan (L5) di bawahnya; realisasi anggaran dari sheet Realisasi.")


class _Tables:
    def __init__(self) -> None:
        self.rows: list[list[Cell | None]] = []
        self.merges: list[str] = []
        self.breaks: list[int] = []

    def add(self, *cells: Cell | None) -> int:
        self.rows.append(list(cells))
        return len(self.rows)

    def wide(self, text: str, style: str) -> None:
        row = self.add(Cell(text, style))
        self.merges.append(f"A{row}:I{row}")

    def table(self, title: str, headers: list[str]) -> None:
        if self.rows:
            self.add()
        self.wide(title, "subtitle")
        self.add(*[Cell(h, "header") for h in headers])


def strategic_level(ctx: Derivation) -> int:
    """An office's strategic sasaran are its L2 (Renstra PD); the body's, its L1 (RPJMD)."""
    return 2 if office_without_l1(ctx.plan) or ctx.plan.identity.text(
        C.KEY_PERANGKAT_DAERAH) else 1


def _strategic(ctx: Derivation) -> list[tuple[Node, list[Measure]]]:
    done, planned = keyed_rows(ctx.plan)
    result = []
    for node in ctx.nodes_on(strategic_level(ctx)):
        items = []
        for indicator in node.indicators:
            key = indicator_key(node.id, indicator.name)
            items.append(measure(ctx, node, indicator, done.get(key), planned.get(key)))
        result.append((node, items))
    return result


def _lead(number: int, node: Node, index: int, item: Measure) -> list[Cell | None]:
    first = index == 0
    return [Cell(number if first else None, "number"),
            Cell(node.sasaran if first else None), Cell(item.indicator.name),
            Cell(item.indicator.unit)]


def _trend(item: Measure) -> str:
    if item.value is None or item.previous is None:
        return ""
    if item.value == item.previous:
        return "Tetap"
    better = item.value < item.previous if item.lower_is_better else item.value > item.previous
    return "Membaik" if better else "Menurun"


def lkjip(ctx: Derivation) -> SheetSpec:
    year = ctx.pk_year
    end = ctx.plan.end_year
    shown = f"{year}" if year else "Tahun PK"
    before = f"{year - 1}" if year else "Tahun Lalu"
    level = strategic_level(ctx)
    who = (ctx.plan.identity.text(C.KEY_PERANGKAT_DAERAH)
           or ctx.plan.identity.text(C.KEY_INSTANSI))
    strategic = _strategic(ctx)
    out = _Tables()
    out.wide(f"PENGUKURAN KINERJA TAHUN {shown}" + (f" — {who.upper()}" if who else ""), "title")
    out.wide(f"LKjIP Bab III (PermenPANRB 53/2014). Sasaran strategis: "
             f"{C.LEVEL_BY_NUMBER[level].title} (L{level}). Kategori capaian: "
             f"{K.bands_text(ctx.bands)}.", "plain")

    out.table(f"Tabel 3.1 Perbandingan target dan realisasi kinerja tahun {shown}",
              ["No", "Sasaran Strategis", "Indikator Kinerja", "Satuan", f"Target {shown}",
               f"Realisasi {shown}", "Capaian (%)", "Kategori"])
    for number, (node, items) in enumerate(strategic, start=1):
        for index, item in enumerate(items):
            out.add(*_lead(number, node, index, item), target_cell(item.target),
                    value_cell(item.value), pct(item.achievement),
                    Cell(K.category(item.achievement, ctx.bands), "text_center"))

    out.table(f"Tabel 3.2 Perbandingan realisasi dan capaian tahun {shown} dengan tahun "
              f"{before}",
              ["No", "Sasaran Strategis", "Indikator Kinerja", "Satuan", f"Realisasi {before}",
               f"Capaian {before} (%)", f"Realisasi {shown}", f"Capaian {shown} (%)",
               "Perkembangan"])
    for number, (node, items) in enumerate(strategic, start=1):
        for index, item in enumerate(items):
            out.add(*_lead(number, node, index, item), value_cell(item.previous),
                    pct(item.previous_achievement), value_cell(item.value),
                    pct(item.achievement), Cell(_trend(item), "text_center"))

    end_label = f"{end}" if end else "Akhir"
    out.table(f"Tabel 3.3 Perbandingan realisasi tahun {shown} dengan target akhir Renstra "
              f"({end_label})",
              ["No", "Sasaran Strategis", "Indikator Kinerja", "Satuan",
               f"Target {end_label}", f"Realisasi {shown}", "Capaian thd Target Akhir (%)"])
    for number, (node, items) in enumerate(strategic, start=1):
        for index, item in enumerate(items):
            out.add(*_lead(number, node, index, item), target_cell(item.end_target),
                    value_cell(item.value), pct(item.progress))

    out.table(f"Tabel 3.4 Efisiensi penggunaan sumber daya tahun {shown}",
              ["No", "Sasaran Strategis", f"Anggaran {shown}", "Capaian Kinerja (%)",
               "Realisasi Anggaran", "Penyerapan (%)", "Efisiensi (poin %)", "Keterangan"])
    spent_by_node = _spent(ctx)
    for number, (node, items) in enumerate(strategic, start=1):
        budget = ctx.budget([node], year) if year else None
        leaves = ctx.leaves_on([node], C.SUBKEGIATAN_LEVEL)
        spent_parts = [spent_by_node[id(n)] for n in leaves if id(n) in spent_by_node]
        spent = sum(spent_parts) if spent_parts else None
        achieved = node_achievement(items)
        absorbed = K.absorption(budget, spent)
        gap = None if achieved is None or absorbed is None else round(achieved - absorbed, 10)
        verdict = "" if gap is None else ("Efisien" if gap >= 0 else "Kurang efisien")
        out.add(Cell(number, "number"), Cell(node.sasaran),
                money(budget) if budget else blank("money"), pct(achieved),
                money(spent) if spent is not None else blank("money"), pct(absorbed),
                pct(gap), Cell(verdict, "text_center"))
    out.wide(EFFICIENCY_RULE, "plain")

    sheet = SheetSpec(name=C.LKJIP, rows=out.rows, widths=dict(WIDTHS), merges=out.merges,
                      protect=True, print=PrintSetup(area=f"A1:I{len(out.rows)}"))
    fit_page(sheet, title_columns=2)
    fit_heights(sheet)
    return sheet


def _spent(ctx: Derivation) -> dict[int, float]:
    """id(L5 node) -> its budget realisation of the year (the first indicator row that
    carries one)."""
    found: dict[int, float] = {}
    for node_id, items in by_node(measures(ctx)).items():
        for item in items:
            if item.node.level == C.SUBKEGIATAN_LEVEL and item.spent is not None:
                found.setdefault(node_id, item.spent)
    return found
