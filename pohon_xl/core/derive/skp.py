"""``SKP``: one row per indicator of each individual RHK (L6), by position then ID."""

from __future__ import annotations

from pohon_xl.core.derive.common import Derivation, natural_key, table_sheet, target_cell
from pohon_xl.model import contract as C
from pohon_xl.model.plan import Node
from pohon_xl.sheets import Cell, SheetSpec

HEADERS = [
    "NIP",
    "Nama",
    "Jabatan",
    "RHK Atasan yang Diintervensi",
    "RHK",
    C.ASPEK,
    C.INDIKATOR,
    C.SATUAN,
    "Target",
    C.ID,
]
WIDTHS: list[float] = [22, 26, 30, 40, 40, 12, 38, 12, 11, 10]


def _ordered(ctx: Derivation, nodes: list[Node]) -> list[Node]:
    """Positions in the order of the Jabatan sheet (unknown owners last), then natural ID."""
    order = ctx.position_order
    owners: dict[str, tuple] = {}  # an owner has many RHK: its part of the key made once

    def key(node: Node) -> tuple:
        owner = owners.get(node.owner)
        if owner is None:
            owner = owners[node.owner] = (order.get(node.owner, len(order)),
                                          natural_key(node.owner))
        return (*owner, natural_key(node.id), node.row)

    return sorted(nodes, key=key)


def skp(ctx: Derivation) -> SheetSpec:
    body: list[list[Cell | None]] = []
    for node in _ordered(ctx, ctx.nodes_on(C.RHK_LEVEL)):
        position = ctx.position(node.owner)
        parent = ctx.tree.parent(node)
        nip = position.nip if position else ""
        holder = position.holder if position else ""
        job = (position.name or position.code) if position else node.owner
        # The node's cells are shared by its indicator rows (cells are immutable).
        lead = [Cell(nip), Cell(holder), Cell(job),
                Cell(parent.sasaran if parent is not None else ""), Cell(node.sasaran)]
        node_id = Cell(node.id)
        for indicator in node.indicators:
            body.append([
                *lead,
                Cell(indicator.aspek),
                Cell(indicator.name),
                Cell(indicator.unit),
                target_cell(indicator, ctx.pk_year),
                node_id,
            ])
    return table_sheet(C.SKP, HEADERS, body, WIDTHS, title_columns=2)
