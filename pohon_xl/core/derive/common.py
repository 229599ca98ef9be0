"""What every derivation shares: the included tree, positions, cell helpers, table sheets.

A node with a ``Galat`` is left out of every derived document and cuts the chain: nothing
below it rolls up through it (budgets, coverage, matrix paths). ``Ringkasan`` lists it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from pohon_xl.core.capaian import DEFAULT_BANDS
from pohon_xl.core.link import Tree, TreeView
from pohon_xl.findings import Finding, Report, Severity
from pohon_xl.model import contract as C
from pohon_xl.model.plan import Indicator, Node, Plan, Position
from pohon_xl.printing import fit_page
from pohon_xl.sheets import Cell, PrintSetup, SheetSpec, column_letter

ROW_HEIGHT, LINE_HEIGHT = 15.0, 13.5  # points: a default row; a line of wrapped 11 pt text
CHARS_PER_UNIT = 1.0  # characters of 11 pt Carlito/Calibri per unit of column width, with a margin
CAPITALS_FACTOR = 0.78  # of those, for a text of mostly capitals (Calibri's are wider)
WRAPPING = frozenset({"text", "text_center", "header", "plain", "link", "galat", "peringatan",
                      "info", "ok"})

# Headers of the derived matrices that the input contract does not already name.
ID_SASARAN = "ID Sasaran"
PENANGGUNG_JAWAB = "Penanggung Jawab"


_NUMBERS = re.compile(r"(\d+)")


def natural_key(text: str) -> tuple:
    """Codes and IDs in human order: 2.15.02 < 2.15.10, L3-2 < L3-10; empty last."""
    parts = _NUMBERS.split(text.casefold())
    return (not text, tuple([(0, int(p), "") if p.isdigit() else (1, 0, p) for p in parts if p]))


@lru_cache(maxsize=1 << 16)
def wrapped_lines(text: str, width: float) -> int:
    """Lines a wrapped cell ``width`` units wide needs (greedy on words, less a padding unit).

    Memoised: layouts ask again for the same texts and widths."""
    text = str(text)
    limit = max(int((width - 1) * CHARS_PER_UNIT * _case_factor(text)), 1)
    if single_spaced(text):
        lines = greedy_lines(text, limit)
        if lines:
            return lines
    lines = 0
    for paragraph in text.split("\n"):
        used = 0
        lines += 1
        for word in paragraph.split():
            size = len(word)
            if used and used + 1 + size > limit:
                lines += 1
                used = 0
            used += size + (1 if used else 0)
            while used > limit:
                lines += 1
                used -= limit
    return lines


def _case_factor(text: str) -> float:
    """Capitals are wider than the average letter: a line of mostly capitals holds fewer."""
    if text.isascii():  # the usual text: its capitals (A-Z) deleted in C, not tested one by one
        capitals = len(text) - len(text.encode().translate(None, _ASCII_CAPITALS))
    else:
        capitals = sum(map(str.isupper, text))
    return CAPITALS_FACTOR if 2 * capitals > len(text) else 1.0


_ASCII_CAPITALS = bytes(range(ord("A"), ord("Z") + 1))  # what str.isupper holds in ASCII


def plain_words(text: str) -> bool:
    """Some text, single spaces between its words, none at either end."""
    return bool(text) and "  " not in text and text[0] != " " and text[-1] != " "


def single_spaced(text: str) -> bool:
    """:func:`plain_words` with no whitespace but those spaces (no line break, no tab)."""
    # Split at any whitespace (str.isspace) and joined again, in C: cheaper than looking
    # for other whitespace with a regular expression.
    return bool(text) and " ".join(text.split()) == text


def greedy_lines(text: str, limit: int) -> int:
    """Lines of words one space apart, each line as many words as fit ``limit`` characters;
    0 when a word is longer than a line (the caller counts those its own way)."""
    lines, start, end = 1, 0, len(text)
    while end - start > limit:
        space = text.rfind(" ", start, start + limit + 1)  # the last one that fits
        if space < 0:
            return 0
        lines, start = lines + 1, space + 1
    return lines


# An office's workbook holds its cascade from L2 down; its L2 hang under the body's L1.
BODY_L1 = "Sasaran Daerah (L1) ada di workbook Pemda"


def office_without_l1(plan: Plan) -> bool:
    """An office's workbook (``Perangkat Daerah`` filled) with no L1 of its own."""
    return bool(plan.identity.text(C.KEY_PERANGKAT_DAERAH)) and not any(
        n.level == 1 for n in plan.nodes)


def lent_nodes(plan: Plan, tree: Tree) -> list[Node]:
    """Nodes of the tree that the plan does not hold: the body's L1 that the batch lends an
    office's workbook (known to the derivations, never written into its sheets)."""
    own = {id(n) for n in plan.nodes}
    return [n for n in tree.nodes if id(n) not in own]


def top_level(plan: Plan, tree: Tree) -> int:
    """Where the cascade starts: L1; an office's L2 when no L1 is known (its workbook alone)."""
    if office_without_l1(plan) and not any(n.level == 1 for n in tree.nodes):
        return 2
    return 1


def lines_height(lines: int) -> float:
    return ROW_HEIGHT if lines <= 1 else LINE_HEIGHT * lines + 2.5


def _ref(text: str) -> tuple[int, int]:
    """'AB12' -> (12, 28)."""
    match = re.fullmatch(r"([A-Z]+)(\d+)", text.upper())
    if match is None:
        raise ValueError(text)
    col = 0
    for letter in match.group(1):
        col = col * 26 + ord(letter) - 64
    return int(match.group(2)), col


def fit_heights(sheet: SheetSpec, default_width: float = 8.43) -> None:
    """Row heights for wrapped text (neither Excel nor LibreOffice fits them on opening);
    rows with a height already set are kept."""
    spans: dict[tuple[int, int], float] = {}
    covered: set[tuple[int, int]] = set()
    for merge in sheet.merges:
        (r0, c0), (r1, c1) = (_ref(part) for part in merge.split(":"))
        cells = {(r, c) for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)}
        covered |= cells - {(r0, c0)}
        if r0 == r1:
            spans[(r0, c0)] = sum(sheet.widths.get(c, default_width) for c in range(c0, c1 + 1))
        else:
            covered.add((r0, c0))  # a tall merge is sized by its rows
    heights, widths = sheet.heights, sheet.widths
    widest = max(map(len, sheet.rows), default=0)
    column_width = [widths.get(c, default_width) for c in range(1, widest + 1)]
    # A text no longer than a line of capitals of its column is one line (as wrapped_lines
    # counts); a longer one is measured.
    one_line = [max(int((w - 1) * CHARS_PER_UNIT * CAPITALS_FACTOR), 1) for w in column_width]
    merged = {r for r, _ in covered} | {r for r, _ in spans}
    for r, row in enumerate(sheet.rows, start=1):
        if r in heights:
            continue
        lines = 1
        if r in merged:
            lines = _merged_row_lines(r, row, column_width, spans, covered)
        else:
            for cell, limit, width in zip(row, one_line, column_width):
                if cell is None:
                    continue
                value = cell.value
                if (isinstance(value, str) and (len(value) > limit or "\n" in value)
                        and cell.style in WRAPPING):
                    needed = wrapped_lines(value, width)
                    if needed > lines:
                        lines = needed
        if lines > 1:
            heights[r] = lines_height(lines)


def _merged_row_lines(r: int, row: list[Cell | None], column_width: list[float],
                      spans: dict[tuple[int, int], float], covered: set[tuple[int, int]]) -> int:
    """fit_heights for a row with merged cells: a cell spanning columns wraps at their width,
    cells a merge covers (and tall merges) do not count."""
    lines = 1
    for c, cell in enumerate(row, start=1):
        if cell is None or (r, c) in covered:
            continue
        value = cell.value
        if isinstance(value, str) and cell.style in WRAPPING:
            needed = wrapped_lines(value, spans.get((r, c), column_width[c - 1]))
            if needed > lines:
                lines = needed
    return lines


def num(value: float | None) -> int | float | None:
    """Integral floats as int so that cells and golden files read 12, not 12.0."""
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value


def target_cell(indicator: Indicator, year: int | None) -> Cell:
    cell = indicator.targets.get(year) if year is not None else None
    if cell is None or cell.empty:
        return blank("number")
    if cell.value is None:  # not a number: show what was typed
        return Cell(str(cell.raw), "text")
    return Cell(num(cell.value), "number")


def money(value: float | None) -> Cell:
    return Cell(num(value), "money")


_BLANKS: dict[str, Cell] = {}


def blank(style: str = "text") -> Cell:
    """An empty cell of a style; one instance per style (cells are immutable), as sheets
    hold many."""
    cell = _BLANKS.get(style)
    if cell is None:
        cell = _BLANKS[style] = Cell(None, style)
    return cell


@dataclass
class Derivation:
    """The inputs of one run plus what every sheet needs to ask of them."""

    plan: Plan
    tree: Tree
    report: Report
    findings: list[Finding] = field(default_factory=list)  # derivation findings (TUR)
    pk_owners: set[str] = field(default_factory=set)  # positions given a PK page
    # id(node) -> the office it belongs to (the consolidation: its matrices are per office).
    offices: dict[int, str] = field(default_factory=dict)
    # Achievement category bounds (`--pita`), descending; see pohon_xl.core.capaian.
    bands: tuple[float, ...] = DEFAULT_BANDS
    memo: dict[str, object] = field(default_factory=dict)  # figures two sheets share

    @cached_property
    def years(self) -> list[int]:
        return self.plan.years

    @cached_property
    def pk_year(self) -> int | None:
        return self.plan.pk_year

    @cached_property
    def galat_rows(self) -> set[tuple[str, int]]:
        worst = self.report.worst_by_row()
        return {key for key, severity in worst.items() if severity is Severity.GALAT}

    @cached_property
    def galat_ids(self) -> set[str]:
        return self.report.node_ids_with_errors()

    def has_galat(self, node: Node) -> bool:
        if node.id and node.id in self.galat_ids:
            return True
        return any((node.sheet, row) in self.galat_rows for row in node.rows)

    @cached_property
    def left_out(self) -> list[Node]:
        """Nodes with a Galat, in sheet order."""
        return [n for n in self.plan.nodes if self.has_galat(n)]

    @cached_property
    def _left_out_ids(self) -> set[int]:
        return {id(n) for n in self.left_out}

    def included(self, node: Node) -> bool:
        return id(node) not in self._left_out_ids

    @cached_property
    def _by_level(self) -> dict[int, list[Node]]:
        found: dict[int, list[Node]] = {}
        for node in self.plan.nodes:
            if self.included(node):
                found.setdefault(node.level, []).append(node)
        return found

    def nodes_on(self, level: int) -> list[Node]:
        return list(self._by_level.get(level, ()))

    @cached_property
    def branches(self) -> TreeView:
        """The tree without the left-out nodes: what rolls up, rolls up through these."""
        return self.tree.view(self.included)

    @cached_property
    def top_level(self) -> int:
        return top_level(self.plan, self.tree)

    @cached_property
    def lent_l1(self) -> list[Node]:
        """The body's L1 nodes lent to an office's workbook that its included nodes hang under."""
        return [n for n in lent_nodes(self.plan, self.tree) if n.level == 1 and self.children(n)]

    def tops(self) -> list[Node]:
        """The included nodes the cascade starts from, in workbook order: the L1 nodes (the
        body's lent ones after the workbook's own), or an office's L2 when no L1 is known."""
        lent = {id(n) for n in self.lent_l1}
        own = {id(n) for n in self.nodes_on(self.top_level)}
        return [n for n in self.tree.by_id.values() if id(n) in own or id(n) in lent]

    def children(self, node: Node) -> list[Node]:
        """Included children that sit below the node (a link upwards is not a cascade)."""
        return self.branches.children(node)

    def below(self, nodes: Iterable[Node]) -> Iterator[Node]:
        """Included descendants of the given nodes, each once, not through a left-out node."""
        return self.branches.below(nodes)

    def below_ids(self, nodes: Iterable[Node]) -> set[int]:
        return self.branches.below_ids(nodes)

    def leaves_on(self, nodes: Iterable[Node], level: int) -> list[Node]:
        """The included nodes of a level under the given nodes (themselves included), once."""
        return self.branches.leaves_on(nodes, level)

    @cached_property
    def _budgets(self) -> dict[tuple[int, tuple[int, ...]], float]:
        return {}

    def budget(self, nodes: Iterable[Node], year: int) -> float:
        """Sum of the budgets of the L5 nodes under (or among) the nodes, each counted once
        (memoised: the matrices and Ringkasan ask for the same sums)."""
        nodes = list(nodes)
        key = (year, tuple(map(id, nodes)))
        found = self._budgets.get(key)
        if found is None:
            amounts = self._leaf_budgets.get(year)
            if amounts is None:  # every included L5 node's budget of the year, read once
                level = self._by_level.get(C.SUBKEGIATAN_LEVEL, ())
                amounts = self._leaf_budgets[year] = {id(n): n.budget(year) for n in level}
            leaves = self.leaves_on(nodes, C.SUBKEGIATAN_LEVEL)
            try:
                found = sum(map(amounts.__getitem__, map(id, leaves)))
            except KeyError:  # a tree of nodes the plan does not hold
                found = sum(n.budget(year) for n in leaves)
            self._budgets[key] = found
        return found

    @cached_property
    def _leaf_budgets(self) -> dict[int, dict[int, float]]:
        return {}

    def ancestor_on(self, node: Node, level: int) -> Node | None:
        return self.tree.ancestor_on(node, level)

    def traces_up(self, node: Node, level: int = 1) -> bool:
        """Whether the node reaches ``level`` going up through included nodes only."""
        return self.branches.traces_to(node, level)

    def position(self, code: str) -> Position | None:
        return self.tree.positions.get(code)

    @cached_property
    def position_order(self) -> dict[str, int]:
        return {p.code: i for i, p in enumerate(self.plan.positions) if p.code}

    def responsible(self, node: Node) -> str:
        """``Nama Jabatan (Nama Pemangku)``; the owner code when it is not in Jabatan."""
        position = self.position(node.owner)
        if position is None:
            return node.owner
        name = position.name or position.code
        return f"{name} ({position.holder})" if position.holder else name


def table_sheet(
    name: str,
    headers: list[str],
    body: list[list[Cell | None]],
    widths: list[float],
    title_columns: int = 1,
) -> SheetSpec:
    """A flat matrix: header row, frozen, filterable, printed with the header on every page
    (and ``title_columns`` on every page across when it is wider than a page)."""
    rows: list[list[Cell | None]] = [[Cell(h, "header") for h in headers], *body]
    last = f"{column_letter(len(headers))}{len(rows)}"
    sheet = SheetSpec(
        name=name,
        rows=rows,
        widths={i: w for i, w in enumerate(widths, start=1)},
        freeze="A2",
        autofilter=f"A1:{last}",
        protect=True,
        print=PrintSetup(title_rows="1:1", area=f"A1:{last}"),
    )
    fit_page(sheet, title_columns)
    fit_heights(sheet)
    return sheet
