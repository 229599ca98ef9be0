"""The tree as a Graphviz picture: plan, tree, report -> DOT source text (pure; `dot` runs in
``pohon_xl.excel.render_graph``).

Layered top-down (``rankdir=TB``), one rank per level with the level names in a column on the
left, the same colours as the `Pohon` sheet, HTML-like labels wrapped at ~30 characters,
crosscutting nodes (with `Kolaborator`) with a double outline and their collaborators, nodes
with a `Galat` / `Peringatan` outlined red / amber. The same drawn links as the sheet: only
links that go down the levels; nodes not reached from an L1 are grouped in a dashed frame
"Tidak terhubung ke L1".

A picture of more than ``max_nodes`` nodes is split: one picture per L1 subtree, and a subtree
still too large one per child (its ancestors kept on top as the heading), down as far as needed.
"""

from __future__ import annotations

import html
import textwrap
from dataclasses import dataclass

from pohon_xl.core.derive.pohon import (
    UNLINKED_TITLE,
    Drawing,
    Piece,
    pack_roots,
    split_pieces,
)
from pohon_xl.core.link import Tree, TreeView
from pohon_xl.errors import InputError
from pohon_xl.findings import Report, Severity
from pohon_xl.model import contract as C
from pohon_xl.model.plan import Node, Plan
from pohon_xl.sheets import GALAT_COLOR, LEVEL_COLORS, LINE_COLOR, PERINGATAN_COLOR

__all__ = [
    "FONT",
    "MAX_NODES",
    "WRAP",
    "WRAP_SMALL",
    "Picture",
    "dot_pictures",
    "dot_source",
    "dot_sources",
    "parse_level",
]

MAX_NODES = 60  # nodes per picture before it is split
WRAP = 30  # characters per line of the (bold) sasaran
WRAP_SMALL = 36  # characters per line of the smaller text below it
FONT = "DejaVu Sans,Arial,Helvetica,sans-serif"
AMBER_OUTLINE = "E69500"  # PERINGATAN_COLOR is too light for a line on white


@dataclass(frozen=True)
class Picture:
    """One picture: its DOT source and what it shows (for file names and messages)."""

    title: str
    source: str
    node_names: tuple[str, ...]  # DOT names of the tree nodes drawn (``n<index>``)


def parse_level(value: object) -> int:
    """``3``, ``"3"``, ``"L3"`` or ``"l3"`` -> 3; anything else is an InputError."""
    text = str(value).strip().upper().removeprefix("L")
    if text.isdigit() and int(text) in C.LEVEL_BY_NUMBER:
        return int(text)
    raise InputError(f"Level '{value}' tidak dikenal; gunakan L1 sampai L6 (mis. --sampai L4).")


def dot_source(
    plan: Plan,
    tree: Tree,
    report: Report,
    *,
    from_id: str | None = None,
    to_level: int | str | None = None,
) -> str:
    """The whole (or ``from_id``'s subtree, cut below ``to_level``) as one DOT picture."""
    pictures = dot_pictures(
        plan, tree, report, from_id=from_id, to_level=to_level, max_nodes=None
    )
    return pictures[0].source


def dot_sources(
    plan: Plan,
    tree: Tree,
    report: Report,
    *,
    from_id: str | None = None,
    to_level: int | str | None = None,
    max_nodes: int | None = MAX_NODES,
) -> list[str]:
    """The DOT source of each picture, split when larger than ``max_nodes`` (None: never)."""
    pictures = dot_pictures(
        plan, tree, report, from_id=from_id, to_level=to_level, max_nodes=max_nodes
    )
    return [p.source for p in pictures]


def dot_pictures(
    plan: Plan,
    tree: Tree,
    report: Report,
    *,
    from_id: str | None = None,
    to_level: int | str | None = None,
    max_nodes: int | None = MAX_NODES,
) -> list[Picture]:
    """The pictures to draw: the whole tree (or ``from_id``'s subtree) cut below ``to_level``,
    split into parts of at most ``max_nodes`` nodes (None: one picture whatever its size)."""
    drawing = Drawing(plan, tree, report)
    cut = parse_level(to_level) if to_level not in (None, "") else 6
    shown = tree.view(lambda node: node.level <= cut)
    if from_id:
        start = tree.by_id.get(from_id.strip())
        if start is None:
            raise InputError(f"ID '{from_id}' tidak ditemukan di pohon (periksa --dari).")
        if start.level > cut:
            raise InputError(
                f"ID '{from_id}' ada di L{start.level}, di bawah batas --sampai L{cut}."
            )
        linked, unlinked = ([start], []) if not drawing.is_unlinked(start) else ([], [start])
    else:
        linked = [n for n in drawing.l1_roots if n.level <= cut]
        unlinked = [n for n in drawing.unlinked_roots if n.level <= cut]

    whole = sum(shown.size(r) for r in linked + unlinked)
    groups: list[tuple[list[Piece], list[Piece]]]
    if max_nodes is None or whole <= max_nodes:
        groups = [
            (
                [Piece((), tuple(linked))] if linked else [],
                [Piece((), tuple(unlinked))] if unlinked else [],
            )
        ]
    else:
        groups = [
            ([piece], [])
            for root in linked
            for piece in split_pieces((), root, shown.size, shown.children, max_nodes, True)
        ]
        groups += [
            ([], [piece])
            for piece in pack_roots(unlinked, shown.size, shown.children, max_nodes, True)
        ]
    scope = f" · mulai {from_id.strip()}" if from_id else ""
    scope += f" · sampai L{cut}" if cut < 6 else ""
    total = len(groups)
    return [
        _picture(drawing, shown, cut, linked_pieces, unlinked_pieces, scope, index, total)
        for index, (linked_pieces, unlinked_pieces) in enumerate(groups, start=1)
    ]


def _hidden(drawing: Drawing, node: Node, cut: int) -> int:
    """How many drawn nodes below ``node`` the cut below level ``cut`` leaves out."""
    branches = drawing.branches
    return sum(branches.size(k) for k in branches.children(node) if k.level > cut)


def _name(drawing: Drawing, node: Node) -> str:
    return f"n{drawing.index[id(node)]}"


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


def _wrap(text: str, width: int = WRAP) -> str:
    lines = textwrap.wrap(text, width, break_on_hyphens=False) or [""]
    return "<BR/>".join(_esc(line) for line in lines)


def _attr(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _row(inner: str, fill: str = "") -> str:
    background = f' BGCOLOR="{fill}"' if fill else ""
    return f'<TR><TD ALIGN="LEFT" BALIGN="LEFT"{background}>{inner}</TD></TR>'


def _small(text: str, colour: str = "") -> str:
    ink = f' COLOR="{colour}"' if colour else ""
    return f'<FONT POINT-SIZE="9"{ink}>{text}</FONT>'


def _label(drawing: Drawing, cut: int, node: Node, unlinked: bool) -> str:
    """Header line (level, ID, marker), the sasaran in bold, then the details in 9 pt."""
    dark, _ = LEVEL_COLORS[node.level]
    worst = drawing.severity(node)
    head_fill, head_ink = f"#{dark}", "#FFFFFF"
    if worst is Severity.GALAT:
        head_fill = f"#{GALAT_COLOR}"
    elif worst is Severity.PERINGATAN:
        head_fill, head_ink = f"#{PERINGATAN_COLOR}", "#000000"
    head = _wrap(drawing.title(node, with_level=True))
    rows = [
        f'<TR><TD BGCOLOR="{head_fill}" ALIGN="CENTER"><FONT COLOR="{head_ink}"><B>{head}</B>'
        "</FONT></TD></TR>"
    ]
    details: list[str] = []
    tail: list[str] = []
    for kind, text in drawing.parts(node, unlinked=unlinked):
        if kind == "sasaran":
            rows.append(_row(f"<B>{_wrap(text)}</B>"))
        elif kind == "collaborators":
            tail.append(_row(_small(f"⇄ {_wrap(text, WRAP_SMALL)}"), "#FFFFFF"))
        elif kind == "findings":
            colour = f"#{GALAT_COLOR}" if worst is Severity.GALAT else ""
            tail.append(_row(_small(_wrap(text, WRAP_SMALL), colour)))
        else:
            details.append(_wrap(text, WRAP_SMALL))
    hidden = _hidden(drawing, node, cut)
    if hidden:
        details.append(_wrap(f"(+{hidden} simpul di bawah L{cut} tidak ditampilkan)",
                             WRAP_SMALL))
    if details:
        rows.append(_row(_small("<BR/>".join(details))))
    return (
        '<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="3">'
        + "".join(rows + tail)
        + "</TABLE>>"
    )


def _node_line(drawing: Drawing, cut: int, node: Node, unlinked: bool) -> str:
    dark, light = LEVEL_COLORS[node.level]
    worst = drawing.severity(node)
    outline, width = f"#{dark}", "1.2"
    if worst is Severity.GALAT:
        outline, width = f"#{GALAT_COLOR}", "3"
    elif worst is Severity.PERINGATAN:
        outline, width = f"#{AMBER_OUTLINE}", "3"
    attrs = [
        f"label={_label(drawing, cut, node, unlinked)}",
        f'fillcolor="#{light}"',
        f'color="{outline}"',
        f"penwidth={width}",
        f"tooltip={_attr(node.id or '(tanpa ID)')}",
    ]
    if node.collaborators:
        attrs.append("peripheries=2")
    return f"  {_name(drawing, node)} [{', '.join(attrs)}];"


def _members(
    shown: TreeView, linked: list[Piece], unlinked: list[Piece]
) -> tuple[list[tuple[Node, bool]], list[tuple[Node, Node]]]:
    """The nodes of a picture (each with: in the unlinked frame?) and its edges."""
    members: list[tuple[Node, bool]] = []
    edges: list[tuple[Node, Node]] = []
    for pieces, outside in ((linked, False), (unlinked, True)):
        for piece in pieces:
            chain = list(piece.ancestors)
            for upper, lower in zip(chain, chain[1:]):
                members.append((upper, outside))
                edges.append((upper, lower))
            if chain:
                members.append((chain[-1], outside))
                edges.extend((chain[-1], top) for top in piece.tops)
            for top in piece.tops:
                for node in shown.subtree(top):
                    members.append((node, outside))
                    edges.extend((node, kid) for kid in shown.children(node))
    return members, edges


def _graph_attributes(title: str, part: str) -> str:
    caption = f"<B>{_esc(title)}</B>"
    if part:
        caption += f'<BR/><FONT POINT-SIZE="13">{_esc(part)}</FONT>'
    attributes = [
        'charset="UTF-8"',
        "rankdir=TB",
        "newrank=true",
        'splines="polyline"',
        "nodesep=0.3",
        "ranksep=0.5",
        "pad=0.3",
        'bgcolor="white"',
        f"fontname={_attr(FONT)}",
        "fontsize=18",
        'labelloc="t"',
        'labeljust="l"',
        f"label=<{caption}>",
    ]
    return f"  graph [{', '.join(attributes)}];"


def _picture(
    drawing: Drawing,
    shown: TreeView,
    cut: int,
    linked: list[Piece],
    unlinked: list[Piece],
    scope: str,
    index: int,
    total: int,
) -> Picture:
    plan = drawing.plan
    body = plan.identity.text(C.KEY_INSTANSI) or "Instansi"
    office = plan.identity.text(C.KEY_PERANGKAT_DAERAH)
    title = f"Pohon Kinerja — {body}" + (f" · {office}" if office else "")
    title += (f" · target {drawing.year}" if drawing.year else "") + scope
    part = ""
    if total > 1:
        where = linked[0].title() if linked else UNLINKED_TITLE
        part = f"Bagian {index} dari {total}: {where}"
    members, edges = _members(shown, linked, unlinked)
    levels = sorted({node.level for node, _ in members})

    lines = [
        "digraph pohon {",
        _graph_attributes(title, part),
        f'  node [shape=box, style="filled", fontname={_attr(FONT)}, fontsize=10, margin=0];',
        # Parent -> child, drawn as an arrow from the child up to the parent (cause -> effect).
        f'  edge [color="#{LINE_COLOR}", penwidth=1.2, dir=back, arrowtail=normal, '
        "arrowsize=0.6, tailport=s, headport=n];",
    ]
    bands = range(levels[0], levels[-1] + 1) if levels else range(0)
    for level in bands:  # the level names down the left, one rank each
        dark, _ = LEVEL_COLORS[level]
        label = f"<B>L{level}</B><BR/>" + _wrap(C.LEVEL_BY_NUMBER[level].title, 14)
        lines.append(
            f'  lvl{level} [shape=plaintext, style="", fontcolor="#{dark}", fontsize=12, '
            f"label=<{label}>];"
        )
    if len(bands) > 1:
        lines.append(f"  {' -> '.join(f'lvl{level}' for level in bands)} [style=invis];")

    def node_line(node: Node, outside: bool) -> str:
        return _node_line(drawing, cut, node, outside and drawing.is_unlinked(node))

    framed = any(outside for _, outside in members) and not all(o for _, o in members)
    lines += [node_line(node, outside) for node, outside in members if not (outside and framed)]
    if framed:
        lines.append("  subgraph cluster_unlinked {")
        lines.append(
            f'    label=<<B>{_esc(UNLINKED_TITLE)}</B>>; style="dashed"; '
            f'color="#{LINE_COLOR}"; fontsize=13;'
        )
        lines += ["  " + node_line(node, True) for node, outside in members if outside]
        lines.append("  }")
    for level in bands:
        ranked = "".join(f" {_name(drawing, n)};" for n, _ in members if n.level == level)
        lines.append(f"  {{ rank=same; lvl{level};{ranked} }}")
    lines += [f"  {_name(drawing, a)} -> {_name(drawing, b)};" for a, b in edges]
    lines.append("}")
    names = tuple(_name(drawing, n) for n, _ in members)
    return Picture(part or title, "\n".join(lines) + "\n", names)
