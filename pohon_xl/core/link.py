"""Rows -> the cascade, and the one index that answers every question about it.

Nodes are linked by ``ID`` / ``ID Induk`` across all levels: one lookup table built once,
then single passes (the frictionless foreign-key pattern). The tree tolerates every defect
the rules report: duplicate IDs (the first one wins the lookup and is the only one a link can
name), unknown parents, self-parents, cycles, links sideways or upwards.

Two directions, two kinds of answer:

* Up the links as typed (:class:`Tree`): parent, ancestors, the ancestor on a level, the
  root, cycles. A chain stops before it repeats.
* Down the *branches* (:class:`TreeView`): only the links to a child on a lower level than its
  parent. Whatever the workbook holds, the branches form a forest at most six levels deep, so
  every walk down ends: children, descendants, leaves on a level, paths, the deepest level
  below. A view may keep only some nodes (the derivations leave out the nodes with a Galat,
  the picture cuts below a level); a node it does not keep is no child, and cuts the branch
  below it. :attr:`Tree.whole` keeps every node.

Answers asked repeatedly are memoised per tree or per view (the rules ask them of 100 000
nodes).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator
from functools import cached_property

from pohon_xl.model.plan import Node, Position

Link = tuple[Node, Node | None]  # a node and its parent (None: none, unknown, or itself)
Keep = Callable[[Node], bool]


def cycle_members(keys: Collection[str], up: Callable[[str], str]) -> set[str]:
    """The keys on a cycle of ``up`` links (a key's ``up`` is its parent's key): one linear
    pass, colouring each key visiting (1) then done (2)."""
    state: dict[str, int] = {}
    result: set[str] = set()
    for start in keys:
        path: list[str] = []
        current = start
        while current in keys and current not in state:
            state[current] = 1
            path.append(current)
            current = up(current)
        if current in keys and state.get(current) == 1:
            result.update(path[path.index(current):])
        for visited in path:
            state[visited] = 2
    return result


class _LinkKinds:
    """The links sorted by kind in one pass: each visit of 100 000 scattered nodes costs about
    as much as the test made there."""

    def __init__(self, links: list[Link]) -> None:
        self.parentless: list[Node] = []
        self.wrong_level: list[tuple[Node, Node]] = []  # parent not on the level above
        self.climbing: dict[int, list[tuple[Node, Node]]] = {}  # level -> parent above it
        add_parentless, add_wrong = self.parentless.append, self.wrong_level.append
        climbing = self.climbing
        for node, up in links:
            if up is None:
                add_parentless(node)
                continue
            level = node.level
            if up.level != level - 1:
                add_wrong((node, up))
            if up.level < level:
                found = climbing.get(level)
                if found is None:
                    found = climbing[level] = []
                found.append((node, up))


class Tree:
    """The nodes, their links as typed, and what follows up those links."""

    def __init__(self, nodes: Iterable[Node], positions: Iterable[Position] = ()) -> None:
        self.nodes: list[Node] = list(nodes)
        self.by_id: dict[str, Node] = {}
        self.duplicates: dict[str, list[Node]] = defaultdict(list)
        first = self.by_id.setdefault
        for node in self.nodes:
            node_id = node.id
            if node_id and first(node_id, node) is not node:
                self.duplicates[node_id].append(node)
        self.links: list[Link] = []  # every node with its parent, in workbook order
        find, add = self.by_id.get, self.links.append
        for node in self.nodes:
            up = find(node.parent_id)  # self.parent, inlined (one call per node)
            add((node, up if up is not node else None))
        self.positions: dict[str, Position] = {}
        for position in positions:
            if position.code:
                self.positions.setdefault(position.code, position)

    # --- up the links as typed ------------------------------------------------------------

    def parent(self, node: Node) -> Node | None:
        parent = self.by_id.get(node.parent_id) if node.parent_id else None
        return parent if parent is not node else None

    @cached_property
    def parent_of(self) -> dict[int, Node | None]:
        """id(node) -> its parent, for walks up the tree."""
        return {id(node): up for node, up in self.links}

    def ancestors(self, node: Node) -> Iterator[Node]:
        """Parent, grandparent, ... stopping before a cycle repeats."""
        seen = {id(node)}
        current = self.parent(node)
        while current is not None and id(current) not in seen:
            yield current
            seen.add(id(current))
            current = self.parent(current)

    def ancestor_on(self, node: Node, level: int) -> Node | None:
        """The nearest ancestor on ``level``."""
        return next((a for a in self.ancestors(node) if a.level == level), None)

    def root(self, node: Node) -> Node:
        """The topmost ancestor (the node itself when it has no parent)."""
        top = node
        for top in self.ancestors(node):
            pass
        return top

    @cached_property
    def _kinds(self) -> _LinkKinds:
        return _LinkKinds(self.links)

    @property
    def parentless(self) -> list[Node]:
        """Nodes without a parent: no `ID Induk`, an unknown one, or their own ID."""
        return self._kinds.parentless

    @property
    def wrong_level_links(self) -> list[tuple[Node, Node]]:
        """Nodes whose parent is not on the level directly above (L1's parents included)."""
        return self._kinds.wrong_level

    @property
    def climbing_links(self) -> dict[int, list[tuple[Node, Node]]]:
        """Level -> its nodes whose parent is on a level above, with that parent: the
        branches, by the level of the child."""
        return self._kinds.climbing

    @cached_property
    def cycle_ids(self) -> set[str]:
        """IDs of nodes on a cycle of `ID Induk` links (their own parent included)."""
        if not any(up.level >= node.level for node, up in self.wrong_level_links) and not any(
            node.id and node.parent_id == node.id for node in self.parentless
        ):
            return set()  # every link climbs a level: no chain can come back
        by_id = self.by_id
        return cycle_members(by_id, lambda node_id: by_id[node_id].parent_id)

    # --- positions ------------------------------------------------------------------------

    def owner(self, node: Node) -> Position | None:
        return self.positions.get(node.owner)

    def superior(self, position: Position) -> Position | None:
        return self.positions.get(position.superior) if position.superior else None

    @cached_property
    def superior_cycles(self) -> set[str]:
        """Kode Jabatan on a cycle of `Kode Jabatan Atasan` links."""
        positions = self.positions
        return cycle_members(positions, lambda code: positions[code].superior)

    # --- down the branches ----------------------------------------------------------------

    @cached_property
    def whole(self) -> TreeView:
        """The branches of every node."""
        return TreeView(self)

    def view(self, keep: Keep) -> TreeView:
        """The branches through the nodes ``keep`` accepts."""
        return TreeView(self, keep)


class TreeView:
    """The branches of a tree (links down the levels) through the nodes ``keep`` accepts
    (every node when None). Asked of a node the view does not keep, the downward questions
    answer for its kept children all the same."""

    def __init__(self, tree: Tree, keep: Keep | None = None) -> None:
        self.tree = tree
        self.keep = keep
        self._below: dict[int, list[Node]] = {}
        self._below_on: dict[tuple[int, int], list[Node]] = {}
        self._leaves: dict[tuple[int, tuple[int, ...]], list[Node]] = {}
        self._slots: dict[int, int] = {}
        self._traces: dict[int, dict[int, bool]] = {}

    def keeps(self, node: Node) -> bool:
        return self.keep is None or self.keep(node)

    @cached_property
    def _children(self) -> dict[int, list[Node]]:
        children: dict[int, list[Node]] = {}
        keep = self.keep
        for node, up in self.tree.links:
            if up is not None and up.level < node.level and (keep is None or keep(node)):
                kids = children.get(id(up))
                if kids is None:
                    kids = children[id(up)] = []
                kids.append(node)
        return children

    def parent(self, node: Node) -> Node | None:
        """The parent whose child the node is in the view (None on a link not going down)."""
        up = self.tree.parent(node)
        if up is None or up.level >= node.level or not self.keeps(node):
            return None
        return up

    def children(self, node: Node) -> list[Node]:
        """Kept children on lower levels, in workbook order (do not modify the list). A node
        whose ID another node had first has none: no link names it."""
        return self._children.get(id(node), [])

    def _descendants(self, node: Node) -> list[Node]:
        """Depth first, memoised: a node's list is its children, each followed by its own
        list (the branches form a forest of at most six levels)."""
        found = self._below.get(id(node))
        if found is None:
            found = []
            for child in self.children(node):
                found.append(child)
                found += self._descendants(child)
            self._below[id(node)] = found
        return found

    def descendants(self, node: Node) -> list[Node]:
        return list(self._descendants(node))

    def subtree(self, node: Node) -> list[Node]:
        """The node and its descendants, depth first in workbook order."""
        return [node, *self._descendants(node)]

    def size(self, node: Node) -> int:
        return 1 + len(self._descendants(node))

    def leaf_slots(self, node: Node) -> int:
        """How many nodes without children end the node's branches (1 for a leaf)."""
        found = self._slots.get(id(node))
        if found is None:
            kids = self.children(node)
            found = self._slots[id(node)] = sum(map(self.leaf_slots, kids)) if kids else 1
        return found

    def below(self, nodes: Iterable[Node]) -> Iterator[Node]:
        """The descendants of the given nodes, each once."""
        seen: set[int] = set()
        for node in nodes:
            for found in self._descendants(node):
                if id(found) not in seen:
                    seen.add(id(found))
                    yield found

    def below_ids(self, nodes: Iterable[Node]) -> set[int]:
        """``{id(n) for n in self.below(nodes)}``, faster."""
        found: set[int] = set()
        for node in nodes:
            found.update(map(id, self._descendants(node)))
        return found

    def descendants_on(self, node: Node, level: int) -> list[Node]:
        """The node's descendants on a level, depth first (memoised; do not modify)."""
        found = self._below_on.get((id(node), level))
        if found is None:
            found = [n for n in self._descendants(node) if n.level == level]
            self._below_on[(id(node), level)] = found
        return found

    def leaves_on(self, nodes: Iterable[Node], level: int) -> list[Node]:
        """The kept nodes of a level among and under the given kept nodes, once each, in the
        order :meth:`below` meets them (memoised)."""
        nodes = list(nodes)
        key = (level, tuple(map(id, nodes)))
        found = self._leaves.get(key)
        if found is None:
            kept = [n for n in nodes if self.keeps(n)]
            on_level = {id(n): n for n in kept if n.level == level}
            for node in kept:
                for low in self.descendants_on(node, level):
                    on_level.setdefault(id(low), low)
            found = self._leaves[key] = list(on_level.values())
        return list(found)

    @cached_property
    def deepest_below(self) -> dict[int, int]:
        """id(node) -> the deepest level its branches reach (only nodes that have children).
        A branch only goes down, so one pass from the lowest level up passes each node's depth
        to its parent after the node has its own."""
        deepest: dict[int, int] = {}
        climbing, keep = self.tree.climbing_links, self.keep
        for level in sorted(climbing, reverse=True):
            for node, up in climbing[level]:
                if keep is not None and not keep(node):
                    continue
                depth = deepest.get(id(node), level)
                if depth > deepest.get(id(up), up.level):
                    deepest[id(up)] = depth
        return deepest

    def paths(self, roots: Iterable[Node]) -> list[list[Node]]:
        """Every path from one of the roots down to a node without children, depth first."""
        result: list[list[Node]] = []

        def walk(path: list[Node]) -> None:
            children = self.children(path[-1])
            if not children:
                result.append(path)
            for child in children:
                walk([*path, child])

        for root in roots:
            walk([root])
        return result

    def traces_to(self, node: Node, level: int) -> bool:
        """Whether the node, or an ancestor reached up the links as typed through kept nodes
        only, is on ``level`` (memoised: linear over all the nodes asked about)."""
        memo = self._traces.setdefault(level, {})
        keep, parent_of = self.keep, self.tree.parent_of
        chain: list[int] = []
        current: Node | None = node
        seen: set[int] = set()
        answer = False
        while current is not None:
            key = id(current)
            if key in memo:
                answer = memo[key]
                break
            if keep is not None and not keep(current):
                break
            if current.level == level:
                answer = True
                break
            if key in seen:
                break
            seen.add(key)
            chain.append(key)
            current = parent_of[key] if key in parent_of else self.tree.parent(current)
        for key in chain:
            memo[key] = answer
        return answer
