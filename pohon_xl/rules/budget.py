"""Budget (anggaran): sub-activities carry the budget of the PK year, once per node, never
negative; budgets roll up from L5 to activities and programmes.
"""

from __future__ import annotations

from pohon_xl.findings import Severity
from pohon_xl.model import contract as C
from pohon_xl.model.numbers import format_number
from pohon_xl.rules.base import Context, Rule, register
from pohon_xl.rules.values import not_a_number

EPSILON = 1e-6


@register
class PkBudgetMissing(Rule):
    """An L5 sub-activity with no budget (empty or 0) for `Tahun PK`: the PK shows no money
    behind it and the programme ceiling (pagu) misses it.

    Salah: ``Anggaran 2026`` kosong · Benar: ``Anggaran 2026 | 250.000.000``.
    """

    code = "ANG01"
    name = "Anggaran tahun PK kosong"
    severity = Severity.PERINGATAN
    message = "Subkegiatan '{id}' tidak memiliki anggaran untuk Tahun PK {year}."
    suggestion = "Isi Anggaran {year} di baris pertama node (pagu indikatif bila belum final)."

    def check(self, ctx: Context):
        year = ctx.pk_year
        info = ctx.plan.sheets.get(C.LEVEL_BY_NUMBER[5].sheet)
        if year is None or info is None or year not in info.budget_years:
            return
        for node in ctx.by_level[5]:
            first = node.indicators[0].budgets.get(year) if node.indicators else None
            if first is not None and first.value:
                continue  # the common case: a budget
            if first is not None and not_a_number(first.raw, first.invalid):
                continue  # reported as not a number (NIL02)
            if not node.budget(year):
                yield self.at_node(ctx, node, C.budget_header(year), params=dict(year=year))


@register
class ContinuationBudgetDiffers(Rule):
    """A budget on a continuation row (a node's second, third … indicator) that differs from
    the node's first row: only the first row counts, the budget belongs to the node.

    Salah: baris pertama 250.000.000 dan baris lanjutan 100.000.000 · Benar: anggaran hanya di
    baris pertama (atau sel digabung).
    """

    code = "ANG02"
    name = "Anggaran di baris lanjutan berbeda"
    severity = Severity.PERINGATAN
    message = (
        "Anggaran {year} di baris lanjutan ({value}) berbeda dari baris pertama node '{id}' "
        "({first}); hanya baris pertama yang dihitung."
    )
    suggestion = "Tulis anggaran node sekali di baris pertamanya dan kosongkan baris lanjutan."

    def check(self, ctx: Context):
        for node in ctx.budget_nodes:
            if len(node.indicators) < 2:
                continue
            head = node.indicators[0]
            for indicator in node.indicators[1:]:
                for year, cell in indicator.budgets.items():
                    if cell.value is None:
                        continue
                    first = head.budgets.get(year)
                    first_value = first.value if first is not None and first.value else 0.0
                    if abs(cell.value - first_value) > EPSILON:
                        yield self.at_node(
                            ctx, node, C.budget_header(year), row=indicator.row,
                            params=dict(year=year,
                            value=format_number(cell.value), first=format_number(first_value)),
                        )
                        break


@register
class NegativeBudget(Rule):
    """A negative budget.

    Salah: ``Anggaran 2026 | -250.000.000`` · Benar: ``250.000.000``.
    """

    code = "ANG03"
    name = "Anggaran negatif"
    severity = Severity.GALAT
    message = "{kolom} bernilai negatif ({value})."
    suggestion = "Anggaran tidak boleh negatif; tulis nilai pagu yang benar."

    def check(self, ctx: Context):
        for node in ctx.budget_nodes:
            for indicator in node.indicators:
                for year, cell in indicator.budgets.items():
                    if cell.value is not None and cell.value < 0:
                        column = C.budget_header(year)
                        yield self.at_node(
                            ctx, node, column, row=indicator.row, params=dict(kolom=column,
                            value=format_number(cell.value)),
                        )


@register
class BudgetOutsideL5(Rule):
    """`Anggaran <year>` columns on a level sheet other than L5: budgets are read from
    sub-activities only, programme and activity ceilings are their sums.

    Salah: kolom ``Anggaran 2026`` di L3_Sasaran_Program · Benar: anggaran di
    L5_Sasaran_Subkegiatan; Pagu program dihitung otomatis.
    """

    code = "ANG04"
    name = "Kolom anggaran di luar L5"
    severity = Severity.INFO
    message = "Kolom anggaran di sheet {sheet} tidak dipakai; anggaran hanya dibaca dari L5."
    suggestion = (
        "Pindahkan anggaran ke subkegiatan (L5); pagu program dan kegiatan dijumlahkan otomatis."
    )

    def check(self, ctx: Context):
        for spec in C.LEVELS:
            info = ctx.plan.sheets.get(spec.sheet)
            if spec.has_budget or info is None or not info.present or not info.budget_years:
                continue
            first = C.budget_header(min(info.budget_years))
            yield self.at(ctx, spec.sheet, 1, first, params=dict(sheet=info.name))
