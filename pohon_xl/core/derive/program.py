"""The Renstra matrices: ``Program`` (L3), ``Kegiatan`` (L4) and ``Subkegiatan`` (L5).

One row per sasaran indicator, grouped by code (sorted by code, then sasaran ID). Several
sasaran nodes may share a code; their rows form one group. ``Pagu <year>`` of a programme or
activity is the sum of the budgets of the sub-activities under all the group's nodes in the
tree, each counted once, written on the group's first row so that a column sum is the total.

The consolidation's matrices are per office, as Renstra matrices are: a first column names the
office, groups are per office and code (two offices' same code stay two groups, each with its
own Penanggung Jawab), offices in workbook order, and a last row totals the money columns.
"""

from __future__ import annotations

from itertools import groupby

from pohon_xl.core.derive import findings as F
from pohon_xl.core.derive.common import (
    ID_SASARAN,
    num,
    PENANGGUNG_JAWAB,
    Derivation,
    blank,
    money,
    natural_key,
    table_sheet,
    target_cell,
)
from pohon_xl.model import contract as C
from pohon_xl.model.plan import Node
from pohon_xl.sheets import Cell, SheetSpec

_SHEETS = {
    C.PROGRAM_LEVEL: C.PROGRAM,
    C.KEGIATAN_LEVEL: C.KEGIATAN,
    C.SUBKEGIATAN_LEVEL: C.SUBKEGIATAN,
}


def code_groups(ctx: Derivation, level: int) -> list[tuple[str, list[Node]]]:
    """Included nodes of a level grouped by code, codes and IDs in natural order."""
    nodes = sorted(ctx.nodes_on(level), key=lambda n: (natural_key(n.code), natural_key(n.id)))
    return [(code, list(group)) for code, group in groupby(nodes, key=lambda n: n.code)]


def office_groups(ctx: Derivation, level: int) -> list[tuple[str, str, list[Node]]]:
    """:func:`code_groups` with each group's office ("" outside the consolidation): per office
    (in workbook order), then code."""
    offices = ctx.offices
    if not offices:
        return [("", code, nodes) for code, nodes in code_groups(ctx, level)]
    order: dict[str, int] = {}
    for node in ctx.plan.nodes:
        order.setdefault(offices.get(id(node), ""), len(order))

    def office(node: Node) -> str:
        return offices.get(id(node), "")

    nodes = sorted(ctx.nodes_on(level), key=lambda n: (
        order[office(n)], natural_key(n.code), natural_key(n.id)))
    return [(name, code, list(group))
            for (name, code), group in groupby(nodes, key=lambda n: (office(n), n.code))]


def has_prefix(code: str, parent_code: str) -> bool:
    """Kepmendagri codes: a child's code is its parent's code, a dot, and more."""
    return not code or not parent_code or code.startswith(parent_code + ".")


def _group_name(ctx: Derivation, level: int, code: str, nodes: list[Node]) -> str:
    named = [n for n in nodes if n.code_name]
    if not named:
        return ""
    used = named[0]
    spec = C.LEVEL_BY_NUMBER[level]
    for node in named[1:]:
        if node.code_name != used.code_name:
            ctx.findings.append(
                F.NAME_MISMATCH.at_node(
                    ctx.plan, node, spec.name_header or "",
                    params=dict(code=code, used=used.code_name, other=node.code_name,
                                first=used.id, matrix=_SHEETS[level], header=spec.name_header),
                )
            )
    return used.code_name


def _check_prefixes(ctx: Derivation, level: int, code: str, nodes: list[Node]) -> None:
    """Sub-activities under the group in the tree whose code does not start with its code."""
    rule = F.SUB_OUTSIDE_PROGRAM if level == C.PROGRAM_LEVEL else F.SUB_OUTSIDE_KEGIATAN
    header = C.LEVEL_BY_NUMBER[C.SUBKEGIATAN_LEVEL].code_header or ""
    for sub in ctx.leaves_on(nodes, C.SUBKEGIATAN_LEVEL):
        if has_prefix(sub.code, code):
            continue
        if level == C.PROGRAM_LEVEL:  # an activity between them with a code explains it
            kegiatan = ctx.ancestor_on(sub, C.KEGIATAN_LEVEL)
            if kegiatan is not None and kegiatan.code:
                continue  # reported as TUR02 or TUR03
        params = dict(code=sub.code, parent=code)
        ctx.findings.append(rule.at_node(ctx.plan, sub, header, params=params))


def _check_kegiatan(ctx: Derivation, node: Node) -> str:
    """The Kode Program of an activity: its L3 ancestor's code (the tree decides)."""
    program = ctx.ancestor_on(node, C.PROGRAM_LEVEL)
    parent_code = program.code if program is not None else ""
    if not has_prefix(node.code, parent_code):
        ctx.findings.append(
            F.KEGIATAN_OUTSIDE_PROGRAM.at_node(
                ctx.plan, node, C.LEVEL_BY_NUMBER[C.KEGIATAN_LEVEL].code_header or "",
                params=dict(code=node.code, parent=parent_code),
            )
        )
    return parent_code


def _parent_code(ctx: Derivation, node: Node) -> str:
    if node.level == C.KEGIATAN_LEVEL:
        return _check_kegiatan(ctx, node)
    ancestor = ctx.ancestor_on(node, node.level - 1)
    return ancestor.code if ancestor is not None else ""


def _budget_cells(node: Node, years: list[int]) -> list[Cell]:
    first = node.indicators[0] if node.indicators else None
    cells = []
    for year in years:
        cell = first.budgets.get(year) if first else None
        cells.append(money(cell.value) if cell is not None and not cell.empty else blank("money"))
    return cells


def matrix(ctx: Derivation, level: int) -> SheetSpec:
    spec = C.LEVEL_BY_NUMBER[level]
    years = ctx.years
    parent_spec = C.LEVEL_BY_NUMBER.get(level - 1)
    has_parent_code = level > C.PROGRAM_LEVEL and parent_spec is not None
    lead = [spec.code_header or "", spec.name_header or ""]
    lead += [parent_spec.code_header or ""] if has_parent_code and parent_spec else []
    money_prefix = C.budget_header if spec.has_budget else C.pagu_header
    headers = lead + [ID_SASARAN, spec.title, C.INDIKATOR, C.SATUAN]
    headers += [C.target_header(y) for y in years] + [money_prefix(y) for y in years]
    headers += [PENANGGUNG_JAWAB]
    per_office = bool(ctx.offices)
    if per_office:
        headers = [C.KEY_PERANGKAT_DAERAH, *headers]
    body: list[list[Cell | None]] = []
    for office, code, nodes in office_groups(ctx, level):
        name = _group_name(ctx, level, code, nodes)
        pagu: list[float] = []
        if not spec.has_budget:
            _check_prefixes(ctx, level, code, nodes)
            pagu = [ctx.budget(nodes, y) for y in years]
        group = [Cell(code), Cell(name)]  # cells repeated on rows are shared (immutable)
        if per_office:
            group.insert(0, Cell(office))
        for n_index, node in enumerate(nodes):
            parent_code = [Cell(_parent_code(ctx, node))] if has_parent_code else []
            row_lead = [*group, *parent_code, Cell(node.id), Cell(node.sasaran)]
            owner = Cell(ctx.responsible(node))
            for i_index, indicator in enumerate(node.indicators):
                row: list[Cell | None] = [*row_lead, Cell(indicator.name), Cell(indicator.unit)]
                row += [target_cell(indicator, y) for y in years]
                if spec.has_budget and i_index == 0:
                    row += _budget_cells(node, years)
                elif not spec.has_budget and n_index == 0 and i_index == 0:
                    row += [money(value) for value in pagu]
                else:
                    row += [blank("money")] * len(years)
                row.append(owner)
                body.append(row)
    widths: list[float] = [18, 34, *([18] if has_parent_code else []), 10, 38, 38, 12]
    widths += [11] * len(years) + [18] * len(years) + [30]
    if per_office:
        widths.insert(0, 30)
        body.append(_total_row(ctx, level, len(headers), len(years)))
    return table_sheet(_SHEETS[level], headers, body, widths)


def _total_row(ctx: Derivation, level: int, width: int, count: int) -> list[Cell | None]:
    """``Jumlah``: the money columns summed over every office (each sub-activity once)."""
    nodes = ctx.nodes_on(level)
    row: list[Cell | None] = [Cell("Jumlah", "total"), *[Cell(None, "total")] * (width - 1)]
    first = width - 1 - count  # the money columns stand before Penanggung Jawab
    row[first : first + count] = [Cell(num(ctx.budget(nodes, y)), "total_money")
                                  for y in ctx.years]
    return row


def program(ctx: Derivation) -> SheetSpec:
    return matrix(ctx, C.PROGRAM_LEVEL)


def kegiatan(ctx: Derivation) -> SheetSpec:
    return matrix(ctx, C.KEGIATAN_LEVEL)


def subkegiatan(ctx: Derivation) -> SheetSpec:
    return matrix(ctx, C.SUBKEGIATAN_LEVEL)
