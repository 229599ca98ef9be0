"""``Matriks_Cascading``: one row per path from an L1 node down to the lowest node under it.

Columns per level: ``ID Lk`` and ``Sasaran Lk`` (the contract's pairs, in order), and from L2
on ``Jenis Cascading Lk`` right after the pair: the type of the link from that node up to its
parent, as typed on its level sheet. A node sits in its own level's columns (a skipped level
stays empty). A path stops above the first node with a Galat: the rows are the paths of the tree
without its left-out nodes.

An office's workbook alone starts its paths at its L2 and names, in the L1 columns, the ID its
L2 points to and that L1 lives in the body's workbook; in the batch the body's L1 is known and
the paths start there.
"""

from __future__ import annotations

from pohon_xl.core.derive.common import BODY_L1, Derivation, blank, table_sheet
from pohon_xl.model import contract as C
from pohon_xl.model.plan import Node
from pohon_xl.sheets import Cell, SheetSpec


def headers() -> list[str]:
    result: list[str] = []
    for spec in C.LEVELS:
        result += [f"{C.ID} L{spec.number}", f"{C.SASARAN} L{spec.number}"]
        if spec.number > 1:
            result.append(f"{C.JENIS_CASCADING} L{spec.number}")
    return result


def _column(level: int) -> int:
    """0-based column of ``ID L<level>``."""
    return 0 if level == 1 else 2 + (level - 2) * 3


def included_paths(ctx: Derivation) -> list[list[Node]]:
    """Tree paths from the included tops (:meth:`Derivation.tops`), cut above a left-out node
    or an upward link.

    A path cut to a prefix of another path adds nothing (its last node has other children):
    the paths end exactly at the nodes without included children below them."""
    return ctx.branches.paths(ctx.tops())


def matriks(ctx: Derivation) -> SheetSpec:
    names = headers()
    body: list[list[Cell | None]] = []
    cells: dict[int, tuple[int, list[Cell]]] = {}  # id(node) -> its column and cells
    for path in included_paths(ctx):
        row: list[Cell | None] = [blank()] * len(names)
        if path[0].level > 1:  # an office's L2 alone: its L1 is in the body's workbook
            row[0:2] = [Cell(path[0].parent_id), Cell(f"({BODY_L1})")]
        for node in path:
            found = cells.get(id(node))
            if found is None:
                parts = [Cell(node.id), Cell(node.sasaran)]
                if node.level > 1:
                    parts.append(Cell(node.jenis_cascading, "text_center"))
                found = cells[id(node)] = (_column(node.level), parts)
            col, parts = found
            row[col : col + len(parts)] = parts
        body.append(row)
    widths: list[float] = [10, 32, *[10, 32, 12] * (len(C.LEVELS) - 1)]
    return table_sheet(C.MATRIKS, names, body, widths)
