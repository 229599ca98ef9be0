"""`pohon-xl gambar`: the DOT source (pure) and the pictures `dot` draws from it."""

from __future__ import annotations

import ast
import html
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from pohon_xl.core.derive import graph
from pohon_xl.core.derive.graph import (
    MAX_NODES,
    WRAP_SMALL,
    dot_pictures,
    dot_source,
    dot_sources,
    parse_level,
)
from pohon_xl.core.link import Tree
from pohon_xl.errors import InputError
from pohon_xl.findings import Report, Severity
from pohon_xl.model.plan import Plan
from pohon_xl.sheets import GALAT_COLOR, LEVEL_COLORS
from tests.derive.test_pohon import (
    EXAMPLE_FILES,
    Builder,
    defects_tree,
    drawn_links,
    example_plan,
    finding,
    generated_tree,
    small_tree,
)

HAS_DOT = shutil.which("dot") is not None
needs_dot = pytest.mark.skipif(not HAS_DOT, reason="Graphviz `dot` is not installed")
SVG = "{http://www.w3.org/2000/svg}"
INDONESIAN = "Menurunnya kemacetan & antrean di simpang “Tugu” – rasio V/C ≤ 0,85 (km²)"

NODE = re.compile(r"^\s*(n\d+) \[label=<(.*)>, fillcolor=\"#(\w+)\", color=\"#(\w+)\", "
                  r"penwidth=([\d.]+)", re.M)
EDGE = re.compile(r"^\s*(n\d+) -> (n\d+);$", re.M)
RANK = re.compile(r"^\s*\{ rank=same; lvl(\d); (.*)\}$", re.M)


def names(tree: Tree) -> dict[int, str]:
    return {id(n): f"n{i}" for i, n in enumerate(tree.nodes)}


def parsed(source: str) -> tuple[dict[str, dict], set[tuple[str, str]], dict[str, int]]:
    nodes = {m[1]: {"label": m[2], "fill": m[3], "outline": m[4], "pen": float(m[5])}
             for m in NODE.finditer(source)}
    edges = {(m[1], m[2]) for m in EDGE.finditer(source)}
    ranks = {name: int(m[1]) for m in RANK.finditer(source)
             for name in m[2].replace(";", " ").split()}
    return nodes, edges, ranks


def label_lines(label: str) -> list[str]:
    """The visible lines of an HTML-like label."""
    text = re.sub(r"<BR/>|</TR>", "\n", label)
    return [html.unescape(line) for line in re.sub(r"<[^>]+>", "", text).split("\n") if line]


def expected_edges(tree: Tree) -> set[tuple[str, str]]:
    name = names(tree)
    return {(name[p], name[c]) for p, c in drawn_links(tree)}


def check_dot(plan: Plan, tree: Tree, report: Report, source: str) -> None:
    nodes, edges, ranks = parsed(source)
    name = names(tree)
    assert set(nodes) == set(name.values())
    assert edges == expected_edges(tree)
    for node in tree.nodes:
        info = nodes[name[id(node)]]
        assert ranks[name[id(node)]] == node.level
        assert info["fill"] == LEVEL_COLORS[node.level][1]
        for line in label_lines(info["label"]):
            assert len(line) <= WRAP_SMALL or " " not in line, line  # wrapped at spaces
    assert source.startswith("digraph pohon {") and "rankdir=TB" in source


# ---------------------------------------------------------------------------------------------
# DOT (pure)


def test_small_tree_dot() -> None:
    plan, tree, report = small_tree()
    source = dot_source(plan, tree, report)
    check_dot(plan, tree, report, source)
    nodes, _, _ = parsed(source)
    by_id = {n.id: nodes[f"n{i}"] for i, n in enumerate(tree.nodes)}
    assert by_id["G1"]["outline"] == GALAT_COLOR and by_id["G1"]["pen"] == 3
    assert by_id["K4"]["outline"] == graph.AMBER_OUTLINE and by_id["K4"]["pen"] == 3
    assert by_id["S1"]["outline"] == LEVEL_COLORS[1][0]  # Info: no marker
    assert label_lines(by_id["G1"]["label"])[0] == "⚠ Galat · L3 · G1"
    assert "⇄ Kolaborator: DISPUPR, SATPOLPP" in label_lines(by_id["P2"]["label"])
    p2 = next(line for line in source.splitlines() if "DISPUPR" in line)
    assert "peripheries=2" in p2
    assert "lvl1 -> lvl2 -> lvl3 -> lvl4 -> lvl5 -> lvl6 [style=invis];" in source


def test_indonesian_text_survives_in_dot() -> None:
    b = Builder()
    b.add("S1", 1, sasaran=INDONESIAN)
    plan, tree = b.plan()
    source = dot_source(plan, tree, Report([]))
    nodes, _, _ = parsed(source)
    lines = label_lines(nodes["n0"]["label"])
    bullet = next(i for i, line in enumerate(lines) if line.startswith("•"))
    assert " ".join(lines[1:bullet]) == INDONESIAN
    assert "&amp;" in source and "“Tugu”" in source and "km²" in source
    source.encode("utf-8")


def test_defects_dot_frames_the_unlinked_nodes() -> None:
    plan, tree, report = defects_tree()
    source = dot_source(plan, tree, report)
    check_dot(plan, tree, report, source)
    frame = source[source.index("subgraph cluster_unlinked"):]
    frame = frame[: frame.index("\n  }")]
    inside = set(re.findall(r"^\s*(n\d+) \[", frame, re.M))
    unlinked = {f"n{i}" for i, n in enumerate(tree.nodes)
                if n.id in {"X1", "X2", "SELF", "SIDE", "UP", "LOST", "NOPARENT", "KID"}}
    assert inside == unlinked
    assert "Tidak terhubung ke L1" in frame
    nodes, _, _ = parsed(source)
    text = {tree.nodes[int(n[1:])].id: " ".join(label_lines(v["label"])) for n, v in nodes.items()}
    assert "ID Induk: (kosong)" in text["NOPARENT"]
    assert "ID Induk: X2" in text["X1"]
    assert "ID Induk" not in text["KID"]  # drawn under NOPARENT: its link is shown


def test_from_id_and_to_level() -> None:
    plan, tree, report = small_tree()
    nodes, edges, _ = parsed(dot_source(plan, tree, report, from_id="P2"))
    ids = {tree.nodes[int(n[1:])].id for n in nodes}
    assert ids == {"P2", "G3", "K4", "U1", "R1"}
    nodes, edges, _ = parsed(dot_source(plan, tree, report, to_level="L3"))
    assert {tree.nodes[int(n[1:])].level for n in nodes} == {1, 2, 3}
    g1 = nodes[f"n{next(i for i, n in enumerate(tree.nodes) if n.id == 'G1')}"]
    assert "(+3 simpul di bawah L3 tidak ditampilkan)" in " ".join(label_lines(g1["label"]))
    source = dot_source(plan, tree, report, from_id="P2", to_level=4)
    nodes, _, _ = parsed(source)
    assert {tree.nodes[int(n[1:])].id for n in nodes} == {"P2", "G3", "K4"}
    assert "Pemerintah Kota Contoh · target 2026 · mulai P2 · sampai L4" in source
    with pytest.raises(InputError, match="ID 'ZZ' tidak ditemukan"):
        dot_source(plan, tree, report, from_id="ZZ")
    with pytest.raises(InputError, match="di bawah batas"):
        dot_source(plan, tree, report, from_id="U1", to_level="L3")


@pytest.mark.parametrize("text, level", [("L3", 3), ("l6", 6), (" 2 ", 2), (1, 1)])
def test_parse_level(text: object, level: int) -> None:
    assert parse_level(text) == level


@pytest.mark.parametrize("text", ["L7", "L0", "tiga", "", "L3.5"])
def test_parse_level_refuses(text: str) -> None:
    with pytest.raises(InputError, match="L1 sampai L6"):
        parse_level(text)


def test_split_large_tree() -> None:
    plan, tree, report = generated_tree()
    pictures = dot_pictures(plan, tree, report)
    assert len(pictures) > 1
    seen: dict[str, int] = {}
    all_edges: set[tuple[str, str]] = set()
    for index, picture in enumerate(pictures, start=1):
        nodes, edges, ranks = parsed(picture.source)
        assert set(nodes) == set(picture.node_names)
        assert len(nodes) <= MAX_NODES
        assert f"Bagian {index} dari {len(pictures)}" in picture.source
        for name in nodes:
            assert ranks[name] == tree.nodes[int(name[1:])].level
            seen[name] = seen.get(name, 0) + 1
        all_edges |= edges
    assert set(seen) == set(names(tree).values())  # every node drawn somewhere
    assert all_edges == expected_edges(tree)
    # Only ancestors repeated as headings appear more than once.
    repeated = {tree.nodes[int(n[1:])].level for n, count in seen.items() if count > 1}
    assert repeated <= {1, 2, 3, 4, 5}
    whole = dot_sources(plan, tree, report, max_nodes=None)
    assert len(whole) == 1
    check_dot(plan, tree, report, whole[0])


def test_small_limit_splits_per_l2() -> None:
    plan, tree, report = small_tree()
    pictures = dot_pictures(plan, tree, report, max_nodes=7)
    titles = [p.title for p in pictures]
    assert titles == ["Bagian 1 dari 2: L1 S1 ▸ L2 P1: Meningkatnya kelancaran arus lalu lintas",
                      "Bagian 2 dari 2: L1 S1 ▸ L2 P2: Meningkatnya kualitas permukaan jalan"]


def test_deterministic() -> None:
    assert dot_sources(*generated_tree()) == dot_sources(*generated_tree())


def test_empty_plan() -> None:
    plan, tree = Builder().plan()
    source = dot_source(plan, tree, Report([]))
    assert parsed(source)[0] == {}


@pytest.mark.parametrize("module", ["graph.py", "pohon.py"])
def test_core_stays_pure(module: str) -> None:
    path = Path(graph.__file__).with_name(module)
    imported = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            imported |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            imported.add((node.module or "").split(".")[0])
    assert not imported & {"openpyxl", "xlwings", "graphviz", "subprocess", "os", "shutil"}


# ---------------------------------------------------------------------------------------------
# Rendering (needs Graphviz)


def svg_layout(path: Path) -> tuple[dict[str, float], set[tuple[str, str]], str]:
    """Node name -> vertical centre (SVG y grows downwards), edges, and all the text."""
    root = ET.parse(path).getroot()
    centres: dict[str, float] = {}
    edges: set[tuple[str, str]] = set()
    for group in root.iter(f"{SVG}g"):
        title = group.findtext(f"{SVG}title") or ""
        if group.get("class") == "node" and title.startswith("n"):
            shape = next(group.iter(f"{SVG}polygon"))  # the outline (inside the tooltip link)
            ys = [float(p.split(",")[1]) for p in shape.get("points").split()]
            centres[title] = (min(ys) + max(ys)) / 2
        elif group.get("class") == "edge":
            tail, head = (end.split(":")[0] for end in title.split("->"))  # "n0:s->n4:n"
            if tail.startswith("n"):
                edges.add((tail, head))
    text = " ".join(t.text or "" for t in root.iter(f"{SVG}text"))
    return centres, edges, text


def check_svg(tree: Tree, path: Path, expect_nodes: set[str] | None = None) -> None:
    centres, edges, _ = svg_layout(path)
    if expect_nodes is not None:
        assert set(centres) == expect_nodes
    for tail, head in edges:
        assert centres[head] > centres[tail], (tail, head)  # every child below its parent
        assert tree.nodes[int(head[1:])].level > tree.nodes[int(tail[1:])].level


@needs_dot
def test_render_svg_small(tmp_path: Path) -> None:
    from pohon_xl.excel.render_graph import render_tree

    b = Builder()
    b.add("S1", 1, sasaran=INDONESIAN)
    for i in range(3):
        b.add(f"P{i}", 2, "S1")
        b.add(f"G{i}", 3, f"P{i}")
    b.add("K0", 4, "G0")
    b.add("K1", 5, "G0")  # a skipped level
    plan, tree = b.plan()
    report = Report([finding(tree.nodes[3], Severity.GALAT)])
    written = render_tree(plan, tree, report, tmp_path / "pohon.svg")
    assert written == [tmp_path / "pohon.svg"]
    _, edges, text = svg_layout(written[0])
    assert edges == expected_edges(tree)
    check_svg(tree, written[0], set(names(tree).values()))
    words = INDONESIAN.split()
    assert all(word in text for word in words)
    assert "⚠ Galat" in text


@needs_dot
def test_render_formats_and_split(tmp_path: Path) -> None:
    from pohon_xl.excel.render_graph import render_tree

    plan, tree, report = small_tree()
    png = render_tree(plan, tree, report, tmp_path / "a.png")
    assert png[0].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    pdf = render_tree(plan, tree, report, tmp_path / "b.PDF", to_level="L2")
    assert pdf[0].read_bytes()[:5] == b"%PDF-"
    parts = render_tree(plan, tree, report, tmp_path / "c.svg", max_nodes=7)
    assert parts == [tmp_path / "c-1.svg", tmp_path / "c-2.svg"]
    for path in parts:
        check_svg(tree, path)


@needs_dot
@pytest.mark.slow
def test_render_generated_tree(tmp_path: Path) -> None:
    from pohon_xl.excel.render_graph import render_tree

    plan, tree, report = generated_tree()
    written = render_tree(plan, tree, report, tmp_path / "besar.svg")
    assert len(written) == len(dot_sources(plan, tree, report)) > 1
    drawn: set[str] = set()
    for path in written:
        check_svg(tree, path)
        drawn |= set(svg_layout(path)[0])
    assert drawn == set(names(tree).values())


@needs_dot
@pytest.mark.parametrize("name", EXAMPLE_FILES)
def test_render_examples(tmp_path: Path, name: str) -> None:
    from pohon_xl.excel.render_graph import render_tree

    plan, tree, report = example_plan(name)
    written = render_tree(plan, tree, report, tmp_path / "contoh.svg")
    drawn: set[str] = set()
    for path in written:
        check_svg(tree, path)
        drawn |= set(svg_layout(path)[0])
    assert drawn == set(names(tree).values())


def test_render_refuses_unknown_format(tmp_path: Path) -> None:
    from pohon_xl.excel.render_graph import render_tree

    plan, tree, report = small_tree()
    with pytest.raises(InputError, match=r"Format gambar \.jpg tidak dikenal"):
        render_tree(plan, tree, report, tmp_path / "pohon.jpg")
    with pytest.raises(InputError, match="tanpa akhiran"):
        render_tree(plan, tree, report, tmp_path / "pohon")


def test_render_without_dot(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from pohon_xl.excel import render_graph

    monkeypatch.setattr(render_graph.shutil, "which", lambda name: None)
    plan, tree, report = small_tree()
    with pytest.raises(InputError, match=r"Graphviz \(`dot`\) belum terpasang"):
        render_graph.render_tree(plan, tree, report, tmp_path / "pohon.svg")
    assert not (tmp_path / "pohon.svg").exists()
