"""The `Pohon` sheet: the tree drawn with cells.

Structure checks read the SheetSpec grid itself: every node has a box (its ID in the header
line, the level's styles), every drawn link is a line of connector cells that leads from the
parent box's bottom centre to exactly its children's top centres, boxes sit in their level's
band below their parent, and no two boxes share a cell.
"""

from __future__ import annotations

import random
import re
from collections import defaultdict, deque
from pathlib import Path

import pytest

from pohon_xl.core.derive.pohon import (
    BOX_POINTS,
    box_cuts,
    BOX_COLS,
    FIRST_COL,
    MAX_SLOTS,
    SLOT,
    POHON,
    UNLINKED_TITLE,
    Box,
    PohonLayout,
    pohon_layout,
    pohon_sheet,
)
from pohon_xl.core.link import Tree
from pohon_xl.findings import Finding, Location, Report, Severity
from pohon_xl.model import contract as C
from pohon_xl.model.plan import Identity, Indicator, Node, Number, Plan, Position
from pohon_xl.printing import min_scale
from pohon_xl.sheets import POHON_STYLES, STYLE_NAMES, Cell

YEAR = 2026
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
EXAMPLE_FILES = ["Pohon_Kinerja_Kemacetan.xlsx", "Pohon_Kinerja_Pariwisata.xlsx"]


# ---------------------------------------------------------------------------------------------
# Builders: plans made in code (no files)


class Builder:
    """Nodes with consecutive Excel rows per level sheet, like a filled workbook."""

    def __init__(self) -> None:
        self.nodes: list[Node] = []
        self.next_row: dict[int, int] = defaultdict(lambda: 2)
        self.positions = [
            Position(row=2, code="WALIKOTA", name="Wali Kota", kind=C.KEPALA_DAERAH),
            Position(row=3, code="KADISHUB", name="Kepala Dinas Perhubungan", kind="JPT"),
        ]

    def add(self, node_id: str, level: int, parent: str = "", sasaran: str = "",
            indicators: int = 1, aspek: str = "", **extra: object) -> Node:
        row = self.next_row[level]
        self.next_row[level] += indicators
        node = Node(
            id=node_id,
            level=level,
            sheet=C.LEVEL_BY_NUMBER[level].sheet,
            row=row,
            parent_id=parent,
            sasaran=sasaran or f"Meningkatnya kinerja {node_id or 'tanpa ID'}",
            owner="KADISHUB" if level > 1 else "WALIKOTA",
            indicators=[
                Indicator(
                    row=row + i,
                    name=f"Persentase capaian {node_id} ke-{i + 1}",
                    unit="%",
                    targets={YEAR: Number(raw=70 + i, value=70.0 + i)},
                    aspek=aspek,
                )
                for i in range(indicators)
            ],
            **extra,
        )
        self.nodes.append(node)
        return node

    def plan(self) -> tuple[Plan, Tree]:
        plan = Plan(
            nodes=self.nodes,
            positions=self.positions,
            identity=Identity(values={C.KEY_INSTANSI: "Pemerintah Kota Contoh",
                                      C.KEY_TAHUN_PK: YEAR}),
        )
        return plan, Tree(plan.nodes, plan.positions)


def finding(node: Node, severity: Severity, code: str = "UJI01") -> Finding:
    return Finding(code, severity, "pesan", "saran", Location(node.sheet, node.row), node.id,
                   node.level)


def small_tree() -> tuple[Plan, Tree, Report]:
    """The traffic-congestion shape: one outcome, two offices, a skipped level, a crosscut."""
    b = Builder()
    s1 = b.add("S1", 1, sasaran="Menurunnya kemacetan lalu lintas di ruas jalan utama kota")
    b.add("P1", 2, "S1", "Meningkatnya kelancaran arus lalu lintas", indicators=2)
    b.add("P2", 2, "S1", "Meningkatnya kualitas permukaan jalan",
          collaborators=["DISPUPR", "SATPOLPP"])
    g1 = b.add("G1", 3, "P1", code="2.15.02", code_name="Program Penyelenggaraan Lalu Lintas")
    b.add("G2", 3, "P1")
    b.add("G3", 3, "P2")
    for k in ("K1", "K2", "K3"):
        b.add(k, 4, "G1")
    k4 = b.add("K4", 4, "P2")  # skips L3: its line runs through the L3 band
    b.add("U1", 5, "K4")
    b.add("R1", 6, "U1", aspek="Kuantitas")
    plan, tree = b.plan()
    report = Report([finding(g1, Severity.GALAT), finding(k4, Severity.PERINGATAN),
                     finding(s1, Severity.INFO)])
    return plan, tree, report


def defects_tree() -> tuple[Plan, Tree, Report]:
    """Duplicate IDs, a cycle, a self-parent, sideways and upward links, unknown parents."""
    b = Builder()
    b.add("S1", 1)
    b.add("S2", 1)  # an L1 without children
    b.add("P1", 2, "S1")
    b.add("G1", 3, "P1")
    b.add("G1", 3, "P1")  # duplicate ID: a second box under the same parent
    b.add("K1", 4, "G1")
    b.add("X1", 3, "X2")  # cycle X1 <-> X2
    b.add("X2", 3, "X1")
    b.add("SELF", 4, "SELF")
    b.add("SIDE", 3, "G1")  # parent on its own level
    b.add("UP", 2, "K1")  # parent below it
    b.add("LOST", 5, "TIDAK-ADA")
    b.add("", 4, "G1")  # no ID, but linked
    b.add("NOPARENT", 2)
    b.add("KID", 3, "NOPARENT")
    plan, tree = b.plan()
    return plan, tree, Report([])


def generated_tree(total: int = 500, seed: int = 7) -> tuple[Plan, Tree, Report]:
    """A deterministic wide tree with a few defects and findings."""
    rng = random.Random(seed)
    b = Builder()
    nodes = [b.add(f"S{i}", 1) for i in range(1, 4)]
    while len(b.nodes) < total - 6:
        parent = rng.choice([n for n in nodes if n.level < 6][-60:] or nodes)
        step = 2 if parent.level < 5 and rng.random() < 0.05 else 1
        nodes.append(b.add(f"N{len(b.nodes)}", parent.level + step, parent.id,
                           indicators=rng.choice((1, 1, 2))))
    b.add("N10", 4, "N3")  # duplicate ID
    b.add("Y1", 3, "Y2")
    b.add("Y2", 3, "Y1")
    b.add("Z1", 5, "HILANG")
    b.add("Z2", 6, "Z1")
    b.add("Z3", 2)
    plan, tree = b.plan()
    report = Report([finding(n, Severity.GALAT if i % 2 else Severity.PERINGATAN)
                     for i, n in enumerate(plan.nodes[::37])])
    return plan, tree, report


def example_plan(name: str) -> tuple[Plan, Tree, Report]:
    from pohon_xl.core.validate import validate
    from pohon_xl.excel.read import read_raw
    from pohon_xl.model.parse import parse_workbook

    path = EXAMPLES / name
    if not path.exists():
        pytest.skip(f"{path} is not there yet")
    plan = parse_workbook(read_raw(path), source=path.name)
    report, tree = validate(plan)
    return plan, tree, report


# ---------------------------------------------------------------------------------------------
# Reading the grid


def letter_to_index(letters: str) -> int:
    index = 0
    for ch in letters:
        index = index * 26 + ord(ch) - 64
    return index


def merged_ranges(layout: PohonLayout) -> set[tuple[int, int, int, int]]:
    result = set()
    for ref in layout.sheet.merges:
        m = re.fullmatch(r"([A-Z]+)(\d+):([A-Z]+)(\d+)", ref)
        assert m, ref
        result.add((int(m[2]), letter_to_index(m[1]), int(m[4]), letter_to_index(m[3])))
    return result


def cell(layout: PohonLayout, row: int, col: int) -> Cell | None:
    rows = layout.sheet.rows
    if row - 1 < len(rows) and col - 1 < len(rows[row - 1]):
        return rows[row - 1][col - 1]
    return None


def drawn_links(tree: Tree) -> set[tuple[int, int]]:
    """(id(parent), id(child)) of every link that goes down the levels, computed apart."""
    result = set()
    for node in tree.nodes:
        parent = tree.by_id.get(node.parent_id) if node.parent_id else None
        if parent is not None and parent is not node and parent.level < node.level:
            result.add((id(parent), id(node)))
    return result


def reached_from_l1(tree: Tree) -> set[int]:
    links = drawn_links(tree)
    kids: dict[int, list[int]] = defaultdict(list)
    for p, c in links:
        kids[p].append(c)
    seen = set()
    stack = [id(n) for n in tree.nodes if n.level == 1]
    while stack:
        current = stack.pop()
        if current not in seen:
            seen.add(current)
            stack.extend(kids[current])
    return seen


def line_graph(layout: PohonLayout) -> dict[tuple[int, int], set[tuple[int, int]]]:
    """Lattice points (row edge y, column edge x) joined by the connector cells' borders.

    A cell (r, c) spans y in [r-1, r] and x in [c-1, c]; ``line_v`` is its right edge, ``line_h``
    its bottom edge. Box borders are not connectors and are left out on purpose.
    """
    graph: dict[tuple[int, int], set[tuple[int, int]]] = defaultdict(set)

    def join(a: tuple[int, int], b: tuple[int, int]) -> None:
        graph[a].add(b)
        graph[b].add(a)

    for r, row in enumerate(layout.sheet.rows, start=1):
        for c, value in enumerate(row, start=1):
            if value is None or not value.style.startswith("line_"):
                continue
            assert value.value is None
            if value.style in ("line_v", "line_vh"):
                join((r - 1, c), (r, c))
            if value.style in ("line_h", "line_vh"):
                join((r, c - 1), (r, c))
    return graph


def box_top(box: Box) -> tuple[int, int]:
    return (box.row - 1, box.centre)


def box_bottom(box: Box) -> tuple[int, int]:
    return (box.body_row, box.centre)


def check_structure(plan: Plan, tree: Tree, report: Report) -> PohonLayout:
    layout = pohon_layout(plan, tree, report)
    sheet = layout.sheet
    assert sheet.name == POHON
    merges = merged_ranges(layout)

    # Every node has exactly one box of its own; other boxes repeat an ancestor as heading.
    own = [b for b in layout.boxes if not b.repeated]
    assert sorted(id(b.node) for b in own) == sorted(id(n) for n in tree.nodes)
    own_box = {id(b.node): b for b in own}
    assert len({id(b.node) for b in layout.boxes}) == len(own)

    # Each box: header line with the ID and the level's (or the finding's) style, a body.
    for box in layout.boxes:
        node = box.node
        head, body = cell(layout, box.row, box.col), cell(layout, box.body_row, box.col)
        assert head is not None and body is not None
        assert (node.id or "(tanpa ID)") in str(head.value)
        assert head.style in (f"head_l{node.level}", "box_galat", "box_peringatan")
        assert body.style == f"box_l{node.level}"
        assert node.sasaran in str(body.value)
        assert (box.row, box.col, box.row, box.last_col) in merges
        assert (box.body_row, box.col, box.body_row, box.last_col) in merges
        assert box.last_col - box.col + 1 == BOX_COLS  # every box has the same width
        assert box.col <= box.centre < box.last_col
        for r, c in box.cells:  # the covered cells carry the style for the borders
            assert cell(layout, r, c).style in (head.style, body.style)

    # No two boxes share a cell, and no connector runs over a box.
    taken: dict[tuple[int, int], Box] = {}
    for box in layout.boxes:
        for spot in box.cells:
            assert spot not in taken, (box.node.id, taken[spot].node.id)
            taken[spot] = box
    for r, row in enumerate(sheet.rows, start=1):
        for c, value in enumerate(row, start=1):
            if value is not None and value.style.startswith("line_"):
                assert (r, c) not in taken

    # Bands: the band label in column A names the box's level; a section's heading above it.
    headings = [r for r, row in enumerate(sheet.rows, start=1)
                if row and row[0] is not None and row[0].style == "subtitle"]
    assert headings == [s.first_row for s in layout.sections]

    def section_of(box: Box) -> int:
        return max(i for i, r in enumerate(headings) if r < box.row)

    for box in layout.boxes:
        label = cell(layout, box.row, 1)
        assert label is not None and label.style == f"head_l{box.node.level}"
        assert str(label.value).startswith(f"L{box.node.level}\n")
        assert (box.row, 1, box.body_row, 1) in merges
        assert section_of(box) == box.section
        section = layout.sections[box.section]
        assert section.bands[box.node.level] == (box.row, box.body_row)
        assert section.first_row < box.row < section.last_row

    # Links: exactly the downward links, each drawn in one section, child below parent.
    expected = drawn_links(tree)
    assert {(id(p.node), id(c.node)) for p, c in layout.links} == expected
    for parent, child in layout.links:
        assert parent.section == child.section
        assert child.row > parent.body_row + 1  # below the parent's band and its bar
    for p, c in expected:  # each link reaches the child's own box
        assert any(pb.node is not None and id(pb.node) == p and cb is own_box[c]
                   for pb, cb in layout.links)

    # Connectors: from each parent's bottom centre the lines reach exactly its children.
    graph = line_graph(layout)
    tops = {box_top(b): b for b in layout.boxes}
    children: dict[Box, list[Box]] = defaultdict(list)
    for parent, child in layout.links:
        children[parent].append(child)
    for box in layout.boxes:
        start = box_bottom(box)
        seen, queue = {start}, deque([start])
        while queue:
            point = queue.popleft()
            for nxt in graph.get(point, ()):
                if nxt not in seen:
                    seen.add(nxt)
                    queue.append(nxt)
        reached = {tops[p] for p in seen if p in tops}
        assert reached == set(children.get(box, [])), box.node.id
        if box not in children:
            assert start not in graph  # a leaf has no line hanging below it

    # Nodes not reached from an L1 are in the "Tidak terhubung ke L1" sections, the rest not.
    reached = reached_from_l1(tree)
    for box in own:
        section = layout.sections[box.section]
        assert section.unlinked == (id(box.node) not in reached)
        assert section.title.startswith(UNLINKED_TITLE) == section.unlinked

    # Each L2 reached from an L1 starts its own section(s): no other L2 of its own in them.
    for section in layout.sections:
        l2 = {id(b.node) for b in own if b.section == section.index and b.node.level == 2}
        if not section.unlinked:
            assert len(l2) <= 1

    # Print: A3 landscape, fit to width while the boxes print at 8 pt or more (else at that
    # size on pages across), a page break after each section but the last.
    assert (sheet.print.paper, sheet.print.landscape) == ("A3", True)
    assert sheet.print.fit_to_width or sheet.print.scale == min_scale(BOX_POINTS)
    assert not sheet.print.title_columns  # merges from column A would print twice
    breaks = sheet.print.row_breaks
    assert breaks == sorted(set(breaks))
    assert {s.last_row for s in layout.sections[:-1]} <= set(breaks)
    assert not {b.row for b in layout.boxes} & set(breaks)  # never between header and body
    # Pages across: a break cuts no more boxes than any other place of its page would.
    cuts = box_cuts([b.col for b in layout.boxes])
    start = FIRST_COL
    for after in sheet.print.column_breaks:
        assert cuts.get(after, 0) == min(cuts.get(c, 0) for c in range(start, after + 1))
        start = after + 1
    for before, after in zip(layout.sections, layout.sections[1:]):
        assert before.last_row < after.first_row

    # Every style used is one the writers know.
    used = {c.style for row in sheet.rows for c in row if c is not None}
    assert used <= set(STYLE_NAMES)
    return layout


# ---------------------------------------------------------------------------------------------
# Tests


def test_small_tree_structure() -> None:
    plan, tree, report = small_tree()
    layout = check_structure(plan, tree, report)
    sections = layout.sections
    assert [s.title.split(":")[0] for s in sections] == ["L1 S1 ▸ L2 P1", "L1 S1 ▸ L2 P2"]
    assert [b.node.id for b in layout.boxes if b.repeated] == ["S1"]
    assert all(not s.unlinked for s in sections)
    # K4 skips L3: the line to it passes the empty L3 band of its section.
    k4 = next(b for b in layout.boxes if b.node.id == "K4")
    l3_head, l3_body = sections[k4.section].bands[3]
    assert cell(layout, l3_head, k4.centre).style == "line_v"
    assert cell(layout, l3_body, k4.centre).style == "line_v"


def test_box_text_and_markers() -> None:
    plan, tree, report = small_tree()
    layout = pohon_layout(plan, tree, report)
    boxes = {b.node.id: b for b in layout.boxes if not b.repeated}
    head = {k: cell(layout, b.row, b.col) for k, b in boxes.items()}
    body = {k: cell(layout, b.body_row, b.col) for k, b in boxes.items()}
    assert (head["G1"].value, head["G1"].style) == ("⚠ Galat · G1", "box_galat")
    assert (head["K4"].value, head["K4"].style) == ("⚠ Peringatan · K4", "box_peringatan")
    assert (head["S1"].value, head["S1"].style) == ("S1", "head_l1")  # Info is not marked
    assert body["P1"].value.splitlines() == [
        "Meningkatnya kelancaran arus lalu lintas",
        "• Persentase capaian P1 ke-1: 70\u00a0%",  # the unit stays with its number
        "• Persentase capaian P1 ke-2: 71\u00a0%",
        "Pemilik: KADISHUB – Kepala Dinas Perhubungan",
    ]
    assert "2.15.02 Program Penyelenggaraan Lalu Lintas" in body["G1"].value
    assert "Temuan: UJI01" in body["G1"].value
    assert "Kolaborator: DISPUPR, SATPOLPP" in body["P2"].value
    assert "• [Kuantitas] Persentase capaian R1 ke-1: 70\u00a0%" in body["R1"].value
    # Band labels and the title rows.
    assert cell(layout, 1, 1).value == "Pohon Kinerja — Pemerintah Kota Contoh"
    labels = [c.value for row in layout.sheet.rows if row and (c := row[0]) is not None
              and c.style.startswith("head_l") and c.value]
    assert labels[:6] == ["L1\nSasaran Daerah", "L2\nSasaran Perangkat Daerah",
                          "L3\nSasaran Program", "L4\nSasaran Kegiatan", "L1\nSasaran Daerah",
                          "L2\nSasaran Perangkat Daerah"]


def test_defects_drawn_once_and_unlinked_section() -> None:
    plan, tree, report = defects_tree()
    layout = check_structure(plan, tree, report)
    unlinked = {b.node.id for b in layout.boxes if layout.sections[b.section].unlinked}
    assert unlinked == {"X1", "X2", "SELF", "SIDE", "UP", "LOST", "NOPARENT", "KID"}
    assert [b.node.id for b in layout.boxes if b.node.id == "G1"] == ["G1", "G1"]
    assert any(b.node.id == "S2" for b in layout.boxes)  # an L1 alone still gets a section
    body = {b.node.id: cell(layout, b.body_row, b.col).value for b in layout.boxes}
    assert "ID Induk: TIDAK-ADA" in body["LOST"]
    assert "ID Induk: (kosong)" in body["NOPARENT"]
    assert "ID Induk" not in body["KID"]  # linked to NOPARENT, which is shown above it


def test_wide_subtree_is_cut_with_the_heading_repeated() -> None:
    b = Builder()
    b.add("S1", 1)
    b.add("P1", 2, "S1")
    for i in range(25):
        b.add(f"G{i}", 3, "P1")
    plan, tree = b.plan()
    layout = check_structure(plan, tree, Report([]))
    assert len(layout.sections) == 3  # 25 leaves in runs of at most MAX_SLOTS
    for section in layout.sections:
        ids = [x.node.id for x in layout.boxes if x.section == section.index]
        assert ids[-2:] == ["P1", "S1"]  # the heading boxes over each run
        assert len(ids) - 2 <= MAX_SLOTS


def test_tall_section_breaks_between_bands() -> None:
    b = Builder()
    parent = ""
    for level in range(1, 7):
        b.add(f"T{level}", level, parent, indicators=8)
        parent = f"T{level}"
    plan, tree = b.plan()
    layout = check_structure(plan, tree, Report([]))
    (section,) = layout.sections
    breaks = layout.sheet.print.row_breaks
    assert breaks and all(section.first_row < r < section.last_row for r in breaks)
    heads = {head for head, _ in section.bands.values()}
    assert all(r + 1 in heads for r in breaks)  # right before a band's header row


def test_generated_500_nodes() -> None:
    plan, tree, report = generated_tree()
    assert len(plan.nodes) == 500
    layout = check_structure(plan, tree, report)
    assert len(layout.sections) > 3
    widest = max(b.last_col for b in layout.boxes)
    assert widest <= FIRST_COL + SLOT * MAX_SLOTS  # the cut keeps each section within the limit


def test_deterministic() -> None:
    first = pohon_sheet(*generated_tree())
    second = pohon_sheet(*generated_tree())
    assert first == second


def test_empty_plan() -> None:
    plan, tree = Builder().plan()
    layout = pohon_layout(plan, tree, Report([]))
    assert layout.boxes == [] and layout.sections == []
    assert layout.sheet.rows[0][0].value.startswith("Pohon Kinerja")


def test_style_table_is_complete() -> None:
    assert set(POHON_STYLES) <= set(STYLE_NAMES)
    levels = {f"box_l{n}" for n in range(1, 7)} | {f"head_l{n}" for n in range(1, 7)}
    assert levels | {"box_galat", "box_peringatan", "line_v", "line_h", "line_vh"} == set(
        POHON_STYLES)
    allowed = {"fill", "font_color", "bold", "size", "wrap", "horizontal", "vertical",
               "borders", "border_color"}
    for look in POHON_STYLES.values():
        assert set(look) <= allowed
        for key in ("fill", "font_color", "border_color"):
            if key in look:
                assert re.fullmatch(r"[0-9A-F]{6}", look[key])
        assert set(look.get("borders", {})) <= {"left", "right", "top", "bottom"}
        assert set(look.get("borders", {}).values()) <= {"thin", "medium"}
    assert POHON_STYLES["line_vh"]["borders"] == {"right": "medium", "bottom": "medium"}


@pytest.mark.parametrize("name", EXAMPLE_FILES)
def test_examples(name: str) -> None:
    plan, tree, report = example_plan(name)
    layout = check_structure(plan, tree, report)
    assert layout.boxes
    l1 = [n for n in plan.nodes if n.level == 1]
    assert l1 and all(n.sasaran in str(layout.sheet.rows[b.body_row - 1][b.col - 1].value)
                      for n in l1 for b in layout.boxes if b.node is n)


def test_wrap_count_is_textwrap() -> None:
    """The box heights count wrapped lines exactly as textwrap would (tabs, line breaks,
    runs of spaces, no-break and other Unicode spaces, words longer than a line)."""
    import textwrap

    from pohon_xl.core.derive.pohon import wrap_count

    pieces = ["a", "kata", "-", " ", " ", "  ", "\t", "\n", "\r\n", "\x0b", "\xa0", "\u2003",
              "\x1c", "–", "x" * 40, "y" * 90]
    rnd = random.Random(7)
    for _ in range(20000):
        if rnd.random() < 0.5:
            text = "".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 25)))
        else:  # words one space apart, the usual text
            text = " ".join("ab\xa0–"[rnd.randrange(4)] * rnd.randint(0, 12)
                            for _ in range(rnd.randint(1, 12)))
        width = rnd.choice([1, 2, 5, 12, 38, 60])
        expected = len(textwrap.wrap(text, width, break_on_hyphens=False))
        assert wrap_count(text, width) == expected, (text, width)
