"""Rows -> the cascade: nodes linked by ``ID`` / ``ID Induk`` across all levels.

One lookup table built once, then single passes (the frictionless foreign-key pattern).
The tree tolerates every defect the rules report: duplicate IDs (the first one wins the
lookup), unknown parents, cycles.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from functools import cached_property

from pohon_xl.model.plan import Node, Position


class Tree:
    def __init__(self, nodes: Iterable[Node], positions: Iterable[Position] = ()) -> None:
        self.nodes: list[Node] = list(nodes)
        self.by_id: dict[str, Node] = {}
        self.duplicates: dict[str, list[Node]] = defaultdict(list)
        first = self.by_id.setdefault
        for node in self.nodes:
            node_id = node.id
            if node_id and first(node_id, node) is not node:
                self.duplicates[node_id].append(node)
        self.children: dict[str, list[Node]] = defaultdict(list)
        by_id = self.by_id.get
        for node in self.nodes:
            parent = by_id(node.parent_id)  # self.parent, inlined (one call per node)
            if parent is not None and parent is not node:
                self.children[parent.id].append(node)
        self.positions: dict[str, Position] = {}
        for position in positions:
            if position.code:
                self.positions.setdefault(position.code, position)

    def parent(self, node: Node) -> Node | None:
        parent = self.by_id.get(node.parent_id) if node.parent_id else None
        return parent if parent is not node else None

    def children_of(self, node: Node) -> list[Node]:
        # A duplicate (second) node with the same ID is not the target of any link.
        return self.children.get(node.id, []) if self.by_id.get(node.id) is node else []

    def ancestors(self, node: Node) -> Iterator[Node]:
        """Parent, grandparent, ... stopping before a cycle repeats."""
        seen = {id(node)}
        current = self.parent(node)
        while current is not None and id(current) not in seen:
            yield current
            seen.add(id(current))
            current = self.parent(current)

    @cached_property
    def in_cycle(self) -> set[str]:
        """IDs of nodes that are their own ancestor (self-parent included)."""
        result: set[str] = set()
        for node in self.by_id.values():
            if node.parent_id == node.id:
                result.add(node.id)
                continue
            current, seen = self.parent(node), {node.id}
            while current is not None and current.id not in seen:
                seen.add(current.id)
                current = self.parent(current)
            if current is not None and current.id == node.id:
                result.add(node.id)
        return result

    def descendants(self, node: Node) -> Iterator[Node]:
        stack, seen = list(self.children_of(node)), {id(node)}
        while stack:
            child = stack.pop()
            if id(child) in seen:
                continue
            seen.add(id(child))
            yield child
            stack.extend(self.children_of(child))

    @cached_property
    def deepest_level_below(self) -> dict[int, int]:
        """id(node) -> the lowest level (highest number) reachable below it, or its own."""
        memo: dict[int, int] = {}
        for node in sorted(self.nodes, key=lambda n: -n.level):
            deepest = node.level
            for child in self.children_of(node):
                if child.level > node.level:
                    deepest = max(deepest, memo.get(id(child), child.level))
            memo[id(node)] = deepest
        return memo

    def reaches(self, node: Node, level: int) -> bool:
        """Whether some chain of children goes down from the node to ``level``."""
        return any(d.level == level for d in self.descendants(node))

    def root(self, node: Node) -> Node:
        """The topmost ancestor (the node itself when it has no parent)."""
        top = node
        for top in self.ancestors(node):
            pass
        return top

    def traces_to(self, node: Node, level: int = 1) -> bool:
        return node.level == level or any(a.level == level for a in self.ancestors(node))

    def paths(self, roots: Iterable[Node] | None = None) -> Iterator[list[Node]]:
        """Every path from a root (default: the L1 nodes) down to a node with no children."""
        starts = roots if roots is not None else [n for n in self.by_id.values() if n.level == 1]
        for start in starts:
            yield from self._paths_from(start, [start])

    def _paths_from(self, node: Node, path: list[Node]) -> Iterator[list[Node]]:
        children = [c for c in self.children_of(node) if c not in path]
        if not children:
            yield path
        for child in children:
            yield from self._paths_from(child, path + [child])

    def owner(self, node: Node) -> Position | None:
        return self.positions.get(node.owner)

    def superior(self, position: Position) -> Position | None:
        return self.positions.get(position.superior) if position.superior else None
