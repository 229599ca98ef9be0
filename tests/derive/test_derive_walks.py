"""The tree walks every derivation shares (descendants, leaves, matrix paths) against the
plain algorithms they replace, on random trees with every defect: cycles, duplicate IDs,
upward and sideways links, unknown parents, and Galat nodes that cut the chain."""

from __future__ import annotations

import random
from collections.abc import Iterable, Iterator

import pytest

from pohon_xl.core.derive.common import Derivation
from pohon_xl.core.derive.matriks import included_paths
from pohon_xl.core.link import Tree
from pohon_xl.findings import Finding, Location, Report, Severity
from pohon_xl.model import contract as C
from pohon_xl.model.plan import Indicator, Node, Plan


def _random_plan(seed: int) -> tuple[Plan, Tree, Report]:
    rnd = random.Random(seed)
    nodes: list[Node] = []
    ids = [f"N{i}" for i in range(rnd.randint(1, 60))]
    for row, node_id in enumerate(ids, start=2):
        level = rnd.randint(1, 6)
        parent = rnd.choice(ids + ["", "TIDAK-ADA"]) if rnd.random() < 0.95 else node_id
        nodes.append(Node(id=node_id if rnd.random() < 0.9 else rnd.choice(ids), level=level,
                          sheet=C.LEVEL_BY_NUMBER[level].sheet, row=row, parent_id=parent,
                          indicators=[Indicator(row=row)]))
    galat = [Finding("UJI01", Severity.GALAT, "pesan", "saran", Location(n.sheet, n.row), n.id,
                     n.level) for n in nodes if rnd.random() < 0.1]
    plan = Plan(nodes=nodes)
    return plan, Tree(plan.nodes), Report(galat)


def _below(ctx: Derivation, nodes: Iterable[Node]) -> Iterator[Node]:
    """The stack walk below() replaced."""
    seen: set[int] = set()
    stack = [c for n in reversed(list(nodes)) for c in reversed(ctx.children(n))]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        yield node
        stack.extend(reversed(ctx.children(node)))


def _tree_paths(tree: Tree, node: Node, path: list[Node]) -> Iterator[list[Node]]:
    """Every path down the links as typed (any level) to a node without children, stopping
    before a node repeats."""
    children = [c for c in tree.nodes if tree.parent(c) is node and c not in path]
    if not children:
        yield path
    for child in children:
        yield from _tree_paths(tree, child, path + [child])


def _paths(ctx: Derivation) -> list[list[Node]]:
    """The path filter included_paths() replaced: every tree path, cut and deduplicated."""
    result: list[list[Node]] = []
    seen: set[tuple[int, ...]] = set()
    roots = [n for n in ctx.tree.by_id.values() if n.level == 1 and ctx.included(n)]
    for path in (p for root in roots for p in _tree_paths(ctx.tree, root, [root])):
        kept = [path[0]]
        for node in path[1:]:
            if not ctx.included(node) or node.level <= kept[-1].level:
                break
            kept.append(node)
        key = tuple(id(n) for n in kept)
        if key not in seen:
            seen.add(key)
            result.append(kept)
    prefixes = {key[:i] for key in seen for i in range(1, len(key))}
    return [p for p in result if tuple(id(n) for n in p) not in prefixes]


@pytest.mark.parametrize("seed", range(60))
def test_walks_match_the_plain_algorithms(seed: int) -> None:
    plan, tree, report = _random_plan(seed)
    ctx = Derivation(plan, tree, report)
    rnd = random.Random(seed)
    for _ in range(20):
        picked = rnd.sample(plan.nodes, rnd.randint(1, min(5, len(plan.nodes))))
        expected = list(_below(ctx, picked))
        assert list(ctx.below(picked)) == expected
        assert ctx.below_ids(picked) == {id(n) for n in expected}
        level = rnd.randint(1, 6)
        included = [n for n in picked if ctx.included(n)]
        leaves = {id(n): n for n in included if n.level == level}
        for node in _below(ctx, included):
            if node.level == level:
                leaves.setdefault(id(node), node)
        assert ctx.leaves_on(picked, level) == list(leaves.values())
    assert [list(map(id, p)) for p in included_paths(ctx)] == [
        list(map(id, p)) for p in _paths(ctx)
    ]


def _wrapped_lines(text: str, width: float) -> int:
    """The word-by-word count wrapped_lines() shortcuts for plain text (of small letters)."""
    limit = max(int((width - 1) * 1.0), 1)
    lines = 0
    for paragraph in str(text).split("\n"):
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


def test_wrapped_lines_shortcut_counts_as_word_by_word() -> None:
    from pohon_xl.core.derive.common import CAPITALS_FACTOR, CHARS_PER_UNIT, wrapped_lines

    assert CHARS_PER_UNIT == 1.0
    rnd = random.Random(3)
    pieces = ["a", "kata", " ", " ", "  ", "\n", "\t", "\xa0", "x" * 30, "–"]
    for _ in range(20000):
        if rnd.random() < 0.5:
            text = "".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 25)))
        else:
            text = " ".join("ab–"[rnd.randrange(3)] * rnd.randint(1, 14)
                            for _ in range(rnd.randint(1, 14)))
        width = rnd.choice([1.0, 2.5, 8.43, 10.0, 12.0, 38.0])
        wrapped_lines.cache_clear()
        expected = _wrapped_lines(text, width)
        assert wrapped_lines(text, width) == expected, (text, width)
        one_line = max(int((width - 1) * CHARS_PER_UNIT * CAPITALS_FACTOR), 1)
        if "\n" not in text and len(text) <= one_line:
            assert expected == 1  # what fit_heights assumes without counting


def test_wrapped_lines_counts_capitals_and_other_whitespace_as_str_does() -> None:
    """The shortcuts (capitals counted in bytes for ASCII, other whitespace found by
    splitting) agree with ``str.isupper`` and ``str.isspace`` on any text."""
    import re

    from pohon_xl.core.derive.common import (
        CAPITALS_FACTOR, plain_words, single_spaced, wrapped_lines)

    rnd = random.Random(7)
    pieces = ["a", "Kata", "KATA", " ", "  ", "\n", "\t", "\xa0", "\u2003", "\x1c", "\x85",
              "É", "é", "ǅ", "Ⅻ", "ß", "@", "[", "x" * 20]
    other_space = re.compile(r"[^\S ]")
    for _ in range(20000):
        text = "".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 16)))
        assert single_spaced(text) == (plain_words(text) and not other_space.search(text))
        width = rnd.choice([2.5, 8.43, 12.0, 38.0])
        capitals = sum(map(str.isupper, text))
        factor = CAPITALS_FACTOR if 2 * capitals > len(text) else 1.0
        wrapped_lines.cache_clear()
        assert wrapped_lines(text, width) == _wrapped_lines(text, (width - 1) * factor + 1), (
            text, width)
