"""The layout of the sheets people fill (`Rencana_Aksi`, `Realisasi`) and the rows the tree
asks of them.

A column is either *generated* (copied from the tree on every run: ID, Sasaran, the target of
the Tahun PK …) or *typed* (people fill it: the quarters, the evidence). Generated cells are
refreshed when the tree changes; typed cells are never written once the sheet exists.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from pohon_xl.core.link import Tree
from pohon_xl.model import contract as C
from pohon_xl.model.cycle import (
    ANGGARAN_TW, BUKTI_DUKUNG, CARA_AKUMULASI, REALISASI_ANGGARAN_TW,
    REALISASI_TAHUN_LALU, REALISASI_TW, TARGET_TW, TINGKAT, accumulation_of, indicator_key,
)
from pohon_xl.model.plan import Indicator, Node, Number, Plan

PENANGGUNG_JAWAB = "Penanggung Jawab"
FIRST_LEVEL = 2  # L1 is the region's: offices plan their own levels, L2 down

# Column kinds: generated text / number / money, typed text / number / money; a "budget"
# kind (typed money on L5, greyed elsewhere) and the generated budget of the year (L5 only).
GEN, GEN_CENTER, GEN_NUMBER, GEN_MONEY = "gen", "gen_center", "gen_number", "gen_money"
IN_TEXT, IN_NUMBER, IN_BUDGET = "input", "input_number", "input_money"
GENERATED_KINDS = (GEN, GEN_CENTER, GEN_NUMBER, GEN_MONEY)


@dataclass(frozen=True)
class Column:
    header: str
    kind: str
    width: float
    l5_only: bool = False  # budget columns: only on a sub-activity's first row, else grey

    @property
    def generated(self) -> bool:
        return self.kind in GENERATED_KINDS


def target_header(year: int | None) -> str:
    return f"Target {year}" if year else "Target"


def budget_header(year: int | None) -> str:
    return f"Anggaran {year}" if year else "Anggaran"


def _lead() -> list[Column]:
    return [Column(C.ID, GEN, 10), Column(TINGKAT, GEN_CENTER, 7), Column(C.SASARAN, GEN, 30),
            Column(C.INDIKATOR, GEN, 32), Column(C.SATUAN, GEN, 9), Column(C.ARAH, GEN_CENTER, 7)]


def action_plan_columns(year: int | None) -> list[Column]:
    return [
        *_lead(),
        Column(target_header(year), GEN_NUMBER, 10),
        Column(CARA_AKUMULASI, IN_TEXT, 12),
        *(Column(h, IN_NUMBER, 9) for h in TARGET_TW),
        Column(budget_header(year), GEN_MONEY, 16, l5_only=True),
        *(Column(h, IN_BUDGET, 15, l5_only=True) for h in ANGGARAN_TW),
        Column(PENANGGUNG_JAWAB, GEN, 22),
        Column(C.KETERANGAN, IN_TEXT, 18),
    ]


def realisation_columns(year: int | None) -> list[Column]:
    return [
        *_lead(),
        Column(CARA_AKUMULASI, GEN_CENTER, 12),
        Column(target_header(year), GEN_NUMBER, 10),
        *(Column(h, IN_NUMBER, 10) for h in REALISASI_TW),
        Column(budget_header(year), GEN_MONEY, 16, l5_only=True),
        *(Column(h, IN_BUDGET, 15, l5_only=True) for h in REALISASI_ANGGARAN_TW),
        Column(REALISASI_TAHUN_LALU, IN_NUMBER, 11),
        Column(BUKTI_DUKUNG, IN_TEXT, 24),
        Column(C.KETERANGAN, IN_TEXT, 18),
    ]


def columns_of(sheet: str, year: int | None) -> list[Column]:
    return action_plan_columns(year) if sheet == C.RENCANA_AKSI else realisation_columns(year)


@dataclass(frozen=True)
class Expected:
    """A row the tree asks of a filled sheet: its key and its generated values by header."""

    key: tuple[str, str]
    node: Node
    indicator: Indicator
    values: dict[str, str | int | float | None]


def tree_order(plan: Plan, tree: Tree) -> list[Node]:
    """The nodes depth first from each top (workbook order among siblings), then any node a
    cycle keeps out of reach, in workbook order."""
    view = tree.whole
    order: list[Node] = []
    seen: set[int] = set()
    for node in plan.nodes:
        if view.parent(node) is None:
            for member in view.subtree(node):
                if id(member) not in seen:
                    seen.add(id(member))
                    order.append(member)
    order += [node for node in plan.nodes if id(node) not in seen]
    return order


def _number(cell: Number | None) -> str | int | float | None:
    if cell is None or cell.empty:
        return None
    if cell.value is None:
        return str(cell.raw)  # not a number: shown as typed
    return int(cell.value) if float(cell.value).is_integer() else cell.value


def responsible(tree: Tree, node: Node) -> str:
    position = tree.positions.get(node.owner)
    if position is None:
        return node.owner
    name = position.name or position.code
    return f"{name} ({position.holder})" if position.holder else name


def planned(plan: Plan, tree: Tree) -> Iterator[tuple[Node, Indicator]]:
    """Every indicator of L2–L6 with a target for the Tahun PK, in tree order, each key once."""
    for _, node, indicator in _keyed_planned(plan, tree):
        yield node, indicator


def _keyed_planned(plan: Plan, tree: Tree
                   ) -> Iterator[tuple[tuple[str, str], Node, Indicator]]:
    """:func:`planned`, each with its row key (made once: it is what keeps keys unique)."""
    year = plan.pk_year
    if year is None:
        return
    keys: set[tuple[str, str]] = set()
    for node in tree_order(plan, tree):
        if node.level < FIRST_LEVEL or not node.id:
            continue
        for indicator in node.indicators:
            target = indicator.targets.get(year)
            if target is None or target.empty or not indicator.name:
                continue
            key = indicator_key(node.id, indicator.name)
            if key in keys:
                continue
            keys.add(key)
            yield key, node, indicator


def expected_rows(plan: Plan, tree: Tree) -> list[Expected]:
    """The rows both filled sheets should hold, with their generated values."""
    year = plan.pk_year
    accumulation = {indicator_key(row.id, row.indicator): row.accumulation
                    for row in plan.action_plan}
    target, budget = target_header(year), budget_header(year)
    rows = []
    for key, node, indicator in _keyed_planned(plan, tree):
        typed = accumulation.get(key, "")
        values: dict[str, str | int | float | None] = {
            C.ID: node.id, TINGKAT: f"L{node.level}", C.SASARAN: node.sasaran,
            C.INDIKATOR: indicator.name, C.SATUAN: indicator.unit, C.ARAH: indicator.arah,
            target: _number(indicator.targets.get(year) if year else None),
            budget: _number(indicator.budgets.get(year)) if (
                year is not None and carries_budget(node, indicator)) else None,
            PENANGGUNG_JAWAB: responsible(tree, node),
            CARA_AKUMULASI: (accumulation_of(typed) or typed) if typed else None,
        }
        rows.append(Expected(key, node, indicator, values))
    return rows


def carries_budget(node: Node, indicator: Indicator) -> bool:
    """The budget belongs to a sub-activity (L5), once: on its first indicator's row."""
    return node.level == C.SUBKEGIATAN_LEVEL and indicator is node.indicators[0]


def is_budgeted(expected: Expected) -> bool:
    return carries_budget(expected.node, expected.indicator)

