"""The tree as a picture made of cells: the `Pohon` sheet (pure: plan, tree, report -> SheetSpec).

Drawn the way planners draw a *pohon kinerja* in Excel: one box per node, levels as bands from
the strategic outcome (L1) at the top to individual RHK (L6) at the bottom, the children of a
node grouped under it, connector lines made of cell borders, a colour per level and a marker on
every node with a finding.

Layout (a small tidy-tree layout, in cell coordinates):

* All columns but the label column have one narrow width. A box is :data:`BOX_COLS` columns
  wide and each leaf takes one *slot* of :data:`SLOT` columns (the box and a gap). A parent
  is placed over the middle of its children's span (rounded to the left), so the boxes of one
  subtree never leave the columns of its leaves and two subtrees never overlap.
* A box is two rows, merged across its columns: a header line (ID, or ``⚠ Galat · ID``) and
  a body (sasaran, indicators with the `Tahun PK` target and unit, owner, collaborators).
  Its *centre line* is the right edge of its middle column (:attr:`Box.centre`): connectors
  run on it.
* Between two bands there are two gap rows. The parent's line drops through the first one,
  the bar runs along the bottom edge of the first one, and each child's line drops from the
  bar to its box (through any band the link skips).
* Only links that go down the levels are drawn (a child on a lower level than its parent);
  that makes the drawing a forest whatever the workbook holds (duplicate IDs, cycles, links
  sideways or upwards). Nodes not reached from an L1 that way are drawn, once, in the sections
  "Tidak terhubung ke L1", with the `ID Induk` they name. An office's workbook alone has no L1
  to hang its L2 under: its L2 are the roots, each titled with the L1 ID it names in the body's
  workbook; the body's L1 lent by the batch is drawn over the office's L2 it holds.
* The sheet is cut into sections, one per L2 subtree (one per L1 without children), stacked
  top to bottom with a page break between them; the L1 box is repeated over each of its L2
  sections as the heading (:attr:`Box.repeated`). A subtree wider than :data:`MAX_SLOTS`
  leaves is cut further: its children in runs of at most that many leaves, one section each,
  with the subtree's root and ancestors repeated over every run. A section taller than a
  printed page (A3 landscape, fit to width while the boxes print at 8 pt or more, else pages
  across broken between boxes) also breaks
  between two bands, never inside a box, into pages as even as the bands allow.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from pohon_xl.core.derive.common import (
    BODY_L1,
    Derivation,
    greedy_lines,
    plain_words,
    single_spaced,
    top_level,
)
from pohon_xl.core.link import Tree, TreeView
from pohon_xl.findings import Report, Severity
from pohon_xl.model import contract as C
from pohon_xl.model.numbers import format_number
from pohon_xl.model.plan import Node, Plan
from pohon_xl.printing import column_points, fitted, print_scale, printable_width
from pohon_xl.sheets import POHON_STYLES, Cell, PrintSetup, SheetSpec, column_letter

__all__ = [
    "BOX_COLS",
    "FIRST_COL",
    "MAX_SLOTS",
    "POHON",
    "POHON_STYLES",
    "SLOT",
    "UNLINKED_TITLE",
    "Box",
    "Drawing",
    "Piece",
    "PohonLayout",
    "Section",
    "pack_roots",
    "pohon_layout",
    "pohon",
    "pohon_sheet",
    "split_pieces",
]

POHON = C.POHON  # sheet name
UNLINKED_TITLE = "Tidak terhubung ke L1"
MAX_SLOTS = 10  # leaves per section before a subtree is cut into one section per child

LABEL_COL = 1  # column A: the band labels
FIRST_COL = 2  # column B: the first slot (a gap, then the first box)
BOX_COLS = 6  # columns per box (even: the centre line is a column edge)
SLOT = BOX_COLS + 1  # columns per leaf slot: a box and a gap
COL_WIDTH = 5.5  # every drawing column; a box is ~33 characters wide
LABEL_WIDTH = 13.0
CHARS_PER_LINE = 38  # what surely fits across a box at 9 pt (Calibri fits ~45)
LINE_POINTS = 12.0
HEAD_POINTS = 15.0
GAP_POINTS = 9.0
NBSP = "\u00a0"
LEGEND_COLS = 3  # columns per legend entry
FIRST_SECTION_ROW = 5  # rows 1-3: title, subtitle, legend; row 4 blank


# --------------------------------------------------------------------------------------------
# What both pictures share (the sheet here and the Graphviz picture in graph.py)


@dataclass
class Drawing:
    """The tree as drawn: which links are drawn, the roots, and what each box says."""

    plan: Plan
    tree: Tree
    report: Report

    @cached_property
    def branches(self) -> TreeView:
        """The drawn links: those going down the levels (a forest whatever the workbook holds)."""
        return self.tree.whole

    @cached_property
    def index(self) -> dict[int, int]:
        """id(node) -> its position in the workbook order (stable names for pictures)."""
        return {id(n): i for i, n in enumerate(self.tree.nodes)}

    @cached_property
    def top_level(self) -> int:
        return top_level(self.plan, self.tree)

    @cached_property
    def l1_roots(self) -> list[Node]:
        """The roots of the tree proper: the L1 nodes (a lent L1 of the body only over the
        office's nodes it holds), or an office's L2 when no L1 is known."""
        own = {id(n) for n in self.plan.nodes}
        level = self.top_level
        branches = self.branches
        return [n for n in self.tree.nodes if n.level == level and branches.parent(n) is None
                and (id(n) in own or branches.children(n))]

    @cached_property
    def unlinked_roots(self) -> list[Node]:
        """Tops of the subtrees not reached from a root: by level, then workbook order."""
        roots = [n for n in self.tree.nodes if self.is_unlinked(n)]
        return sorted(roots, key=lambda n: (n.level, self.index[id(n)]))

    @cached_property
    def year(self) -> int | None:
        """The year whose targets the boxes show: `Tahun PK`, else the first plan year."""
        if self.plan.pk_year:
            return self.plan.pk_year
        years = self.plan.years
        return years[0] if years else None

    @cached_property
    def _findings(self) -> dict[int, tuple[Severity | None, list[str]]]:
        by_row: dict[tuple[str, int], list] = defaultdict(list)
        by_id: dict[str, list] = defaultdict(list)
        for f in self.report.findings:
            if f.severity is Severity.INFO:
                continue
            if f.location.row:
                by_row[(f.location.sheet, f.location.row)].append(f)
            elif f.node_id:
                by_id[f.node_id].append(f)
        result: dict[int, tuple[Severity | None, list[str]]] = {}  # nodes with findings
        for node in self.tree.nodes:
            found = [f for row in node.rows for f in by_row.get((node.sheet, row), ())]
            found += by_id.get(node.id, ()) if node.id else ()
            if found:
                worst = min((f.severity for f in found), key=lambda s: s.rank)
                result[id(node)] = (worst, sorted({f.code for f in found}))
        return result

    def severity(self, node: Node) -> Severity | None:
        """The worst Galat/Peringatan on the node's rows (Info is not marked)."""
        return self._findings.get(id(node), (None, []))[0]

    def finding_codes(self, node: Node) -> list[str]:
        return self._findings.get(id(node), (None, []))[1]

    def title(self, node: Node, with_level: bool = False) -> str:
        """The box's first line: ``P-01`` or ``⚠ Galat · P-01`` (``L3 · P-01`` with level)."""
        name = node.id or "(tanpa ID)"
        if with_level:
            name = f"L{node.level} · {name}"
        worst = self.severity(node)
        return f"⚠ {worst.value} · {name}" if worst else name

    def parts(self, node: Node, unlinked: bool = False) -> list[tuple[str, str]]:
        """The box's body as (kind, text) lines; kinds: sasaran, code, indicator, budget,
        owner, collaborators, parent (unlinked nodes only), findings."""
        parts = [("sasaran", node.sasaran or "(sasaran kosong)")]
        if node.code or node.code_name:
            parts.append(("code", f"{node.code} {node.code_name}".strip()))
        year = self.year
        for indicator in node.indicators:
            target = indicator.targets.get(year) if year else None
            if target is None or target.empty:
                value = "–"
            elif target.value is None:
                value = str(target.raw).strip()
            else:
                value = format_number(target.value)
            if not indicator.name and value == "–" and not indicator.unit:
                continue
            aspek = f"[{indicator.aspek}] " if indicator.aspek else ""
            unit = f"{_glue(indicator.unit)}{indicator.unit}" if indicator.unit else ""
            name = indicator.name or "(indikator kosong)"
            parts.append(("indicator", f"• {aspek}{name}: {value}{unit}"))
        if year and node.spec.has_budget:
            budget = node.budget(year)
            if budget:
                parts.append(("budget", f"Anggaran {year}: Rp{NBSP}{format_number(budget)}"))
        position = self.tree.owner(node)
        owner = node.owner or "–"
        if position is not None and position.name:
            owner = f"{owner} – {position.name}"
        parts.append(("owner", f"Pemilik: {owner}"))
        if node.collaborators:
            parts.append(("collaborators", f"Kolaborator: {', '.join(node.collaborators)}"))
        if unlinked and node.level > 1:
            parts.append(("parent", f"ID Induk: {node.parent_id or '(kosong)'}"))
        codes = self.finding_codes(node)
        if codes:
            parts.append(("findings", f"Temuan: {', '.join(codes)}"))
        return parts

    def lines(self, node: Node, unlinked: bool = False) -> list[str]:
        """The box's body, one logical line each (wrapped by the picture)."""
        return [text for _, text in self.parts(node, unlinked)]

    def is_unlinked(self, node: Node) -> bool:
        return node.level > self.top_level and self.branches.parent(node) is None


def _glue(unit: str) -> str:
    """A short unit stays on the line of its number (a no-break space)."""
    return NBSP if len(unit) <= 12 else " "


def level_label(level: int) -> str:
    spec = C.LEVEL_BY_NUMBER.get(level)
    return f"L{level} {spec.title}" if spec else f"L{level}"


def wrapped_count(lines: list[str], width: int = CHARS_PER_LINE) -> int:
    return sum(_wrapped(line, width) for line in lines)


@lru_cache(maxsize=1 << 16)
def _wrapped(line: str, width: int) -> int:
    """Lines of one wrapped text line (memoised: boxes repeat their lines)."""
    return max(1, wrap_count(line, width))


_SPACES = re.compile(r"( +)")


def wrap_count(text: str, width: int) -> int:
    """``len(textwrap.wrap(text, width, break_on_hyphens=False))`` without building the
    lines: the same steps (tabs expanded, whitespace made spaces, chunks placed greedily,
    long words cut, whitespace dropped at line ends), on chunk lengths."""
    if width <= 0:
        raise ValueError(f"invalid width {width!r} (must be > 0)")
    if "\t" in text:
        text = text.expandtabs()
    for char in "\n\x0b\x0c\r":  # textwrap's other whitespace
        if char in text:
            text = text.replace(char, " ")
    if single_spaced(text) or (  # the usual text: words one space apart
        plain_words(text) and not any(map(str.isspace, text.split(" ")))
    ):  # (textwrap drops a word of only other whitespace at a line's end: not plain)
        lines = greedy_lines(text, width)
        if lines:
            return lines
    chunks = [chunk for chunk in _SPACES.split(text) if chunk]
    chunks.reverse()
    lines = 0
    while chunks:
        if lines and not chunks[-1].strip():  # a line does not start with whitespace
            del chunks[-1]
        used = count = 0
        last = ""
        while chunks:
            size = len(chunks[-1])
            if used + size > width:
                break
            last = chunks.pop()
            used += size
            count += 1
        if chunks and len(chunks[-1]) > width:  # a word longer than a line: cut to fit
            chunk = chunks[-1]
            last, chunks[-1] = chunk[: width - used], chunk[width - used :]
            count += 1
        if count and not last.strip():  # nor end with it
            count -= 1
        if count:
            lines += 1
    return lines


@dataclass(frozen=True)
class Piece:
    """A part of the tree shown together: ``ancestors`` one above the other as the heading
    (each over the next, the last over the tops), then ``tops`` side by side, each with its
    whole subtree."""

    ancestors: tuple[Node, ...]
    tops: tuple[Node, ...]

    def title(self) -> str:
        path = " ▸ ".join(f"L{n.level} {n.id or '(tanpa ID)'}" for n in self.ancestors)
        if len(self.tops) == 1:
            top = self.tops[0]
            last = f"L{top.level} {top.id or '(tanpa ID)'}"
            text = f"{last}: {_short(top.sasaran or '(sasaran kosong)')}"
        else:
            text = ", ".join(n.id or "(tanpa ID)" for n in self.tops)
        return f"{path} ▸ {text}" if path else text


def split_pieces(
    ancestors: tuple[Node, ...],
    top: Node,
    weight: Callable[[Node], int],
    children: Callable[[Node], list[Node]],
    limit: int,
    count_ancestors: bool = False,
) -> list[Piece]:
    """Cut ``top``'s subtree into pieces of at most ``limit`` weight: a subtree too heavy is
    replaced by its children, consecutive light children sharing a piece, with ``top`` (and
    its ancestors) repeated over each piece."""
    extra = len(ancestors) if count_ancestors else 0
    kids = children(top)
    if not kids or weight(top) + extra <= limit:
        return [Piece(ancestors, (top,))]
    below = ancestors + (top,)
    extra = len(below) if count_ancestors else 0
    pieces: list[Piece] = []
    run: list[Node] = []
    size = 0
    for kid in kids:
        heavy = weight(kid) + extra > limit
        if run and (heavy or size + weight(kid) + extra > limit):
            pieces.append(Piece(below, tuple(run)))
            run, size = [], 0
        if heavy:
            pieces.extend(split_pieces(below, kid, weight, children, limit, count_ancestors))
        else:
            run.append(kid)
            size += weight(kid)
    if run:
        pieces.append(Piece(below, tuple(run)))
    return pieces


def pack_roots(
    roots: list[Node],
    weight: Callable[[Node], int],
    children: Callable[[Node], list[Node]],
    limit: int,
    count_ancestors: bool = False,
) -> list[Piece]:
    """Whole subtrees side by side up to ``limit``; a heavier one is split on its own."""
    pieces: list[Piece] = []
    run: list[Node] = []
    size = 0
    for root in roots:
        heavy = weight(root) > limit
        if run and (heavy or size + weight(root) > limit):
            pieces.append(Piece((), tuple(run)))
            run, size = [], 0
        if heavy:
            pieces.extend(split_pieces((), root, weight, children, limit, count_ancestors))
        else:
            run.append(root)
            size += weight(root)
    if run:
        pieces.append(Piece((), tuple(run)))
    return pieces


def _short(text: str, limit: int = 70) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# --------------------------------------------------------------------------------------------
# The layout


@dataclass(frozen=True)
class Box:
    """A node's box: header line at ``row``, body at ``row + 1``, columns ``col`` to
    ``col + BOX_COLS - 1``; connectors meet it on the right edge of column ``centre``."""

    node: Node = field(compare=False)
    section: int
    row: int
    col: int
    repeated: bool = False  # an ancestor repeated as the heading of a later section

    @property
    def body_row(self) -> int:
        return self.row + 1

    @property
    def last_col(self) -> int:
        return self.col + BOX_COLS - 1

    @property
    def centre(self) -> int:
        return self.col + BOX_COLS // 2 - 1

    @property
    def cells(self) -> list[tuple[int, int]]:
        columns = range(self.col, self.last_col + 1)
        return [(r, c) for r in (self.row, self.row + 1) for c in columns]


@dataclass
class Section:
    """A band of rows printed as its own page: a heading row, then one band per level."""

    index: int
    title: str
    pieces: list[Piece]  # side by side (several only in the unlinked sections)
    first_row: int = 0
    last_row: int = 0
    bands: dict[int, tuple[int, int]] = field(default_factory=dict)  # level -> (head, body) rows
    unlinked: bool = False


@dataclass
class PohonLayout:
    boxes: list[Box]
    links: list[tuple[Box, Box]]  # parent box -> child box, each drawn with connector cells
    sections: list[Section]
    sheet: SheetSpec


_LINE_STYLES = {1: "line_v", 2: "line_h", 3: "line_vh"}  # connector kinds: v = 1, h = 2
_HEAD_STYLES = {level: f"head_l{level}" for level in range(1, 7)}
_BODY_STYLES = {level: f"box_l{level}" for level in range(1, 7)}


class _Grid:
    """The sheet's cells as rows of columns, filled as boxes are placed.

    The cells a merge covers (their borders draw the box) and the connector cells are shared
    empty cells, one per style (cells are immutable): the grid holds hundreds of thousands."""

    def __init__(self) -> None:
        self.table: list[list[Cell | None]] = []  # table[r - 1][c - 1]; rows grow as filled
        self.lines: dict[tuple[int, int], int] = {}  # (row, col) -> connector kinds
        self.merges: list[str] = []
        self.heights: dict[int, float] = {}
        self._empty: dict[str, Cell] = {}

    def empty(self, style: str) -> Cell:
        cell = self._empty.get(style)
        if cell is None:
            cell = self._empty[style] = Cell(None, style)
        return cell

    def _row(self, row: int, last_col: int) -> list[Cell | None]:
        table = self.table
        if len(table) < row:
            table.extend([] for _ in range(row - len(table)))
        cells = table[row - 1]
        if len(cells) < last_col:
            cells.extend([None] * (last_col - len(cells)))
        return cells

    def put(self, row: int, col: int, cell: Cell) -> None:
        self._row(row, col)[col - 1] = cell

    def merge(self, r0: int, c0: int, r1: int, c1: int, cell: Cell) -> None:
        covered = [self.empty(cell.style)] * (c1 - c0 + 1)
        for r in range(r0, r1 + 1):
            self._row(r, c1)[c0 - 1 : c1] = covered
        self.table[r0 - 1][c0 - 1] = cell
        if (r0, c0) != (r1, c1):
            self.merges.append(f"{column_letter(c0)}{r0}:{column_letter(c1)}{r1}")

    def rows(self) -> list[list[Cell | None]]:
        """The finished rows, all as wide as the widest (the grid is handed over)."""
        table, lines = self.table, self.lines
        if lines:
            self._row(max(r for r, _ in lines), 0)
        styles = {kinds: self.empty(style) for kinds, style in _LINE_STYLES.items()}
        for (r, c), kinds in lines.items():
            cells = table[r - 1]
            if len(cells) < c:
                cells.extend([None] * (c - len(cells)))
            elif cells[c - 1] is not None:  # pragma: no cover - the layout never lets this
                raise AssertionError(f"connector over a box at {column_letter(c)}{r}")
            cells[c - 1] = styles[kinds]
        last_col = max(map(len, table), default=0)
        for cells in table:
            if len(cells) < last_col:
                cells.extend([None] * (last_col - len(cells)))
        return table


@lru_cache(maxsize=None)
def _band_label(level: int) -> Cell:
    """Column A of a level's band (one cell for all sections: cells are immutable)."""
    return Cell(f"L{level}\n{C.LEVEL_BY_NUMBER[level].title}", f"head_l{level}")


def _sections(drawing: Drawing) -> list[Section]:
    branches = drawing.branches
    slots, children = branches.leaf_slots, branches.children
    sections: list[Section] = []
    for root in drawing.l1_roots:
        kids = children(root)
        prefix = ""
        if root.level > 1:  # an office's L2 alone: its L1 is in the body's workbook
            prefix = f"L1 {root.parent_id or '(kosong)'} (workbook Pemda) ▸ "
            pieces = split_pieces((), root, slots, children, MAX_SLOTS)
        elif not kids:
            pieces = [Piece((), (root,))]
        else:  # each L2 (each child of the L1) starts its own section
            pieces = [
                piece
                for kid in kids
                for piece in split_pieces((root,), kid, slots, children, MAX_SLOTS)
            ]
        for piece in pieces:
            sections.append(Section(len(sections), prefix + piece.title(), [piece]))
    for number, piece in enumerate(
        pack_roots(drawing.unlinked_roots, slots, children, MAX_SLOTS)
    ):
        more = " (lanjutan)" if number else ""
        title = (
            f"{UNLINKED_TITLE}{more}: simpul yang ID Induk-nya kosong, tidak ditemukan, atau "
            "bukan simpul pada level di atasnya"
        )
        sections.append(Section(len(sections), title, [piece], unlinked=True))
    return sections


def pohon_layout(plan: Plan, tree: Tree, report: Report) -> PohonLayout:
    """Place every box and connector, and describe the `Pohon` sheet."""
    return _Painter(Drawing(plan, tree, report)).paint()


class _Painter:
    """Lays the sections out one below the other and paints them into a grid of cells."""

    def __init__(self, drawing: Drawing) -> None:
        self.drawing = drawing
        self.grid = _Grid()
        self.boxes: list[Box] = []
        self.links: list[tuple[Box, Box]] = []
        self.drawn: set[int] = set()  # id(node) of the nodes that have their own box
        self.bodies: dict[tuple[int, bool], tuple[Cell, float]] = {}  # a box's body, height
        self.widest = FIRST_COL + SLOT - 1
        self.row = FIRST_SECTION_ROW

    def paint(self) -> PohonLayout:
        sections = _sections(self.drawing)
        for section in sections:
            cols, shown = self._columns(section)
            self._bands(section, sorted({node.level for node, _ in shown}))
            by_node = {id(node): self._box(section, node, cols[id(node)]) for node, _ in shown}
            for node, kids in shown:
                self._connect(by_node[id(node)], [by_node[id(k)] for k in kids])

        grid, widest = self.grid, self.widest
        last_row = max(self.row - 2, FIRST_SECTION_ROW)
        legend_cols = [FIRST_COL + LEGEND_COLS * i for i in range(8)]
        widest = max(widest, legend_cols[-1] + LEGEND_COLS - 1)
        _title_rows(self.drawing, grid, widest, legend_cols)
        chars = int(sum(_widths(widest).values()))
        for section in sections:
            grid.merge(section.first_row, LABEL_COL, section.first_row, widest,
                       Cell(section.title, "subtitle"))
            grid.heights[section.first_row] = wrapped_count([section.title], chars) * 15.0 + 5
        sheet = SheetSpec(
            name=POHON,
            rows=grid.rows(),
            merges=grid.merges,
            heights=dict(sorted(grid.heights.items())),
            widths=_widths(widest),
            freeze="B4",
            print=_print_setup(sections, grid.heights, widest, last_row,
                               [box.col for box in self.boxes]),
            tab_color=POHON_STYLES["head_l1"]["fill"],
        )
        return PohonLayout(self.boxes, self.links, sections, sheet)

    def _columns(self, section: Section) -> tuple[dict[int, int], list[tuple[Node, list[Node]]]]:
        """The tidy layout: id(node) -> left column of its box, and each node of the section
        (once, in drawing order) with its children shown."""
        cols: dict[int, int] = {}
        shown: list[tuple[Node, list[Node]]] = []
        next_leaf = 0

        def place(node: Node) -> int:
            nonlocal next_leaf
            kids = self.drawing.branches.children(node)
            shown.append((node, kids))
            if not kids:
                col = FIRST_COL + 1 + SLOT * next_leaf  # a gap column before each box
                next_leaf += 1
            else:
                spots = [place(kid) for kid in kids]
                col = (spots[0] + spots[-1]) // 2
            cols[id(node)] = col
            return col

        for piece in section.pieces:
            spots = [place(top) for top in piece.tops]
            below = list(piece.tops)
            for ancestor in reversed(piece.ancestors):  # the heading, over the tops' middle
                shown.append((ancestor, below))
                cols[id(ancestor)] = (spots[0] + spots[-1]) // 2
                below = [ancestor]
        del place  # empties the recursive closure's cell: no cycle keeps the painter alive
        return cols, shown

    def _bands(self, section: Section, levels: list[int]) -> None:
        """Rows: the heading, a spacer, then per level a header and a body row, with two gap
        rows between levels; the band labels in column A."""
        grid = self.grid
        low, high = levels[0], levels[-1]
        section.first_row = self.row  # the heading, merged across the sheet's width at the end
        self.row += 2
        for level in range(low, high + 1):
            head, body = section.bands[level] = (self.row, self.row + 1)
            self.row += 4 if level < high else 2
            grid.merge(head, LABEL_COL, body, LABEL_COL, _band_label(level))
            grid.heights[head] = grid.heights[body] = HEAD_POINTS
            if level < high:
                grid.heights[body + 1] = grid.heights[body + 2] = GAP_POINTS
        section.last_row = self.row
        grid.heights[self.row] = GAP_POINTS
        self.row += 2  # a blank row between sections on screen

    def _box(self, section: Section, node: Node, col: int) -> Box:
        drawing, grid = self.drawing, self.grid
        level = node.level
        head, body = section.bands[level]
        box = Box(node, section.index, head, col, repeated=id(node) in self.drawn)
        self.drawn.add(id(node))
        self.boxes.append(box)
        worst = drawing.severity(node)
        style = _HEAD_STYLES[level]
        if worst is Severity.GALAT:
            style = "box_galat"
        elif worst is Severity.PERINGATAN:
            style = "box_peringatan"
        title = drawing.title(node)
        last_col = col + BOX_COLS - 1
        heights = grid.heights
        grid.merge(head, col, head, last_col, Cell(title, style))
        if len(title) > CHARS_PER_LINE - 4:
            heights[head] = max(heights[head], 2 * LINE_POINTS + 3)
        unlinked = section.unlinked and drawing.is_unlinked(node)
        found = self.bodies.get((id(node), unlinked))  # a heading repeats its node's box
        if found is None:
            lines = drawing.lines(node, unlinked=unlinked)
            found = self.bodies[(id(node), unlinked)] = (
                Cell("\n".join(lines), _BODY_STYLES[level]),
                min(409.0, wrapped_count(lines) * LINE_POINTS + 6),
            )
        cell, height = found
        grid.merge(body, col, body, last_col, cell)
        if height > heights[body]:
            heights[body] = height
        if last_col + 1 > self.widest:
            self.widest = last_col + 1
        return box

    def _connect(self, parent: Box, children: list[Box]) -> None:
        """The parent's line down into the first gap row, the bar along that row's bottom
        edge, and each child's line from the bar down to its box."""
        if not children:
            return
        lines = self.grid.lines  # kinds: v = 1, h = 2
        bar = parent.body_row + 1
        lines[(bar, parent.centre)] = lines.get((bar, parent.centre), 0) | 1
        centres = [child.centre for child in children] + [parent.centre]
        for col in range(min(centres) + 1, max(centres) + 1):
            lines[(bar, col)] = lines.get((bar, col), 0) | 2
        for child in children:
            centre = child.centre
            for r in range(bar + 1, child.row):
                lines[(r, centre)] = lines.get((r, centre), 0) | 1
            self.links.append((parent, child))


# Printable A3 landscape inside the writers' margins (0.5" sides, 0.75" top and bottom), pt.
PAGE_HEIGHT = 841.9 - 2 * 54.0
A3_WIDTH = printable_width("A3", True)
DEFAULT_ROW = 15.0
BOX_POINTS = 9.0  # the boxes' text: what must stay legible in print


def _print_setup(sections: list[Section], heights: dict[int, float], widest: int,
                 last_row: int, box_cols: list[int]) -> PrintSetup:
    """A3 landscape, fitted to the width while the boxes' text prints at 8 pt or more, else
    at that size on pages across; breaks between bands and between boxes."""
    widths = _widths(widest)
    columns = [widths.get(c, COL_WIDTH) for c in range(1, widest + 1)]
    # No title columns repeated: the titles and section headings are merged from column A,
    # and a merge starting in a repeated column prints its text over the page's own.
    setup = fitted(columns, area=f"A1:{column_letter(widest)}{last_row}",
                   body_points=BOX_POINTS, trials=(("A3", True),))
    scale = print_scale(setup, columns)
    setup.row_breaks = _row_breaks(sections, heights, PAGE_HEIGHT / scale)
    if not setup.fit_to_width:
        setup.column_breaks = _column_breaks(columns, A3_WIDTH / scale, box_cols)
    return setup


def box_cuts(box_cols: list[int]) -> dict[int, int]:
    """Column -> how many boxes a page break after it would cut (``box_cols``: the boxes'
    first columns)."""
    cuts: dict[int, int] = {}
    for first in box_cols:
        for column in range(first, first + BOX_COLS - 1):
            cuts[column] = cuts.get(column, 0) + 1
    return cuts


def _column_breaks(columns: list[float], page: float, box_cols: list[int]) -> list[int]:
    """Breaks between pages across, between boxes where the boxes allow (``box_cols``: their
    first columns);
    ``page``: a printed page's width in the sheet's points."""
    room = page * 0.97
    cuts = box_cuts(box_cols)
    breaks: list[int] = []
    used, start = 0.0, FIRST_COL
    column = FIRST_COL
    while column <= len(columns):
        used += column_points(columns[column - 1])
        if used > room and column > start:
            # The rightmost place on the page that cuts fewest boxes (of all sections: where
            # their boxes interleave, no place may be free).
            after = min(range(column - 1, start - 1, -1), key=lambda c: cuts.get(c, 0))
            breaks.append(after)
            used, start = 0.0, after + 1
            column = after + 1
            continue
        column += 1
    return breaks


def _row_breaks(sections: list[Section], heights: dict[int, float], page: float) -> list[int]:
    """A break after each section, and inside a section too tall for one page (at the
    fit-to-width scale) between bands, so no box is cut in two: as few pages as the bands
    allow, split as evenly as they allow (the lowest band is never left alone on a page
    while the bands above it could share it: each page shows a subtree with its boxes).
    ``page``: a printed page's height in the sheet's points."""
    breaks: list[int] = []
    for index, section in enumerate(sections):
        bands = sorted(section.bands.values())
        blocks = [sum(heights.get(r, DEFAULT_ROW) for r in range(head, body + 3))
                  for head, body in bands]
        top = 1 if index == 0 else section.first_row  # the first page holds the titles too
        blocks[0] += sum(heights.get(r, DEFAULT_ROW) for r in range(top, bands[0][0]))
        breaks += [bands[i][0] - 1 for i in _even_split(blocks, page)]
        if index < len(sections) - 1:
            breaks.append(section.last_row)
    return breaks


def _even_split(blocks: list[float], page: float) -> list[int]:
    """Indexes of the blocks that start a new page: the fewest pages (a block taller than a
    page has one of its own), then the smallest tallest page."""
    count = len(blocks)
    # best[i]: (pages, tallest page, starts) for blocks[i:]
    best: list[tuple[int, float, list[int]]] = [(0, 0.0, [])] * (count + 1)
    for i in range(count - 1, -1, -1):
        options = []
        used = 0.0
        for j in range(i, count):
            used += blocks[j]
            if used > page and j > i:
                break
            pages, tallest, starts = best[j + 1]
            options.append((pages + 1, max(used, tallest), [j + 1] * (j + 1 < count) + starts))
        best[i] = min(options, key=lambda o: (o[0], o[1]))
    return best[0][2]


def _widths(widest: int) -> dict[int, float]:
    widths = {LABEL_COL: LABEL_WIDTH}
    for col in range(FIRST_COL, widest + 1):
        widths[col] = COL_WIDTH
    return widths


def _title_rows(drawing: Drawing, grid: _Grid, widest: int, legend_cols: list[int]) -> None:
    plan = drawing.plan
    body = plan.identity.text(C.KEY_INSTANSI) or "Instansi"
    office = plan.identity.text(C.KEY_PERANGKAT_DAERAH)
    title = f"Pohon Kinerja — {body}" + (f" · {office}" if office else "")
    grid.merge(1, LABEL_COL, 1, widest, Cell(title, "title"))
    grid.heights[1] = 22.0
    year = f"target Tahun PK {drawing.year}" if drawing.year else "target tahunan"
    note = (
        f"Setiap kotak: ID, sasaran, indikator dengan {year} dan satuan, pemilik kinerja. "
        "⚠ menandai simpul dengan temuan validasi (lihat Laporan_Validasi). "
        "Sheet ini dibuat ulang setiap kali dijalankan; jangan diubah."
    )
    if drawing.top_level > 1:
        note += f" {BODY_L1}; pohon dimulai dari Sasaran Perangkat Daerah (L2)."
    grid.merge(2, LABEL_COL, 2, widest, Cell(note, "plain"))
    chars = sum(_widths(widest).values())
    grid.heights[2] = min(409.0, wrapped_count([note], int(chars)) * 14.0 + 4)
    grid.put(3, LABEL_COL, Cell("Warna:", "bold"))
    legend = [(f"L{lv}", f"head_l{lv}") for lv in range(1, 7)]
    legend += [("⚠ Galat", "box_galat"), ("⚠ Peringatan", "box_peringatan")]
    for col, (text, style) in zip(legend_cols, legend):
        grid.merge(3, col, 3, col + LEGEND_COLS - 1, Cell(text, style))
    grid.heights[3] = HEAD_POINTS


def pohon_sheet(plan: Plan, tree: Tree, report: Report) -> SheetSpec:
    """The `Pohon` sheet: the tree drawn with cells (see the module's docstring)."""
    return pohon_layout(plan, tree, report).sheet


def pohon(ctx: Derivation) -> SheetSpec:
    """:func:`pohon_sheet` as a registered builder."""
    return pohon_sheet(ctx.plan, ctx.tree, ctx.report)
