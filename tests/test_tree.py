"""The one tree index (pohon_xl.core.link): links as typed and the branches down the levels,
on workbooks with every defect the rules report."""

from __future__ import annotations

from pohon_xl.core.link import Tree, cycle_members
from pohon_xl.model import contract as C
from pohon_xl.model.plan import Node, Position

_rows = iter(range(2, 10_000))


def node(node_id: str, level: int, parent: str = "") -> Node:
    return Node(id=node_id, level=level, sheet=C.LEVEL_BY_NUMBER[level].sheet, row=next(_rows),
                parent_id=parent)


def ids(nodes: list[Node]) -> list[str]:
    return [n.id for n in nodes]


def test_parents_and_children_of_a_sound_tree() -> None:
    s1, p1, p2 = node("S1", 1), node("P1", 2, "S1"), node("P2", 2, "S1")
    k1, k2 = node("K1", 3, "P1"), node("K2", 3, "P1")
    tree = Tree([s1, p1, k1, p2, k2])
    assert tree.parent(k1) is p1 and tree.parent(s1) is None
    assert tree.parent_of[id(k2)] is p1
    branches = tree.whole
    assert ids(branches.children(s1)) == ["P1", "P2"]
    assert ids(branches.children(p1)) == ["K1", "K2"]  # workbook order
    assert ids(branches.subtree(s1)) == ["S1", "P1", "K1", "K2", "P2"]  # depth first
    assert ids(branches.descendants(p1)) == ["K1", "K2"]
    assert branches.size(s1) == 5 and branches.leaf_slots(s1) == 3
    assert ids(tree.ancestors(k2)) == ["P1", "S1"]
    assert tree.ancestor_on(k2, 1) is s1 and tree.ancestor_on(k2, 4) is None
    assert tree.root(k1) is s1 and tree.root(s1) is s1
    assert tree.cycle_ids == set()
    assert branches.deepest_below == {id(s1): 3, id(p1): 3}
    assert branches.traces_to(k1, 1) and branches.traces_to(s1, 1)
    assert not branches.traces_to(p2, 3)
    assert [ids(p) for p in branches.paths([s1])] == [["S1", "P1", "K1"], ["S1", "P1", "K2"],
                                                      ["S1", "P2"]]


def test_duplicate_ids_the_first_one_wins_every_link() -> None:
    first, second = node("S1", 1), node("S1", 1)
    child = node("P1", 2, "S1")
    tree = Tree([first, second, child])
    assert tree.by_id["S1"] is first
    assert tree.duplicates == {"S1": [second]}
    assert tree.parent(child) is first
    assert ids(tree.whole.children(first)) == ["P1"]
    assert tree.whole.children(second) == []
    assert tree.whole.leaf_slots(second) == 1


def test_self_parent_and_unknown_parent_have_no_parent() -> None:
    own, lost, empty = node("P1", 2, "P1"), node("P2", 2, "TIDAK-ADA"), node("P3", 2)
    tree = Tree([own, lost, empty])
    assert [tree.parent(n) for n in (own, lost, empty)] == [None, None, None]
    assert tree.parentless == [own, lost, empty]
    assert tree.cycle_ids == {"P1"}  # its own parent: a cycle of one
    assert list(tree.ancestors(own)) == [] and tree.root(own) is own
    assert not tree.whole.traces_to(own, 1)


def test_a_cycle_and_its_tail() -> None:
    a, b = node("A", 3, "B"), node("B", 3, "A")
    tail = node("T", 4, "A")
    tree = Tree([a, b, tail])
    assert tree.cycle_ids == {"A", "B"}
    assert ids(tree.ancestors(tail)) == ["A", "B"]  # stops before A repeats
    assert tree.root(tail) is b
    assert not tree.whole.traces_to(tail, 1)
    assert not tree.whole.traces_to(a, 1)
    # Sideways links are no branches: the cycle draws nothing, the tail hangs under A.
    assert tree.whole.children(a) == [tail] and tree.whole.children(b) == []
    assert tree.whole.parent(a) is None and tree.whole.parent(tail) is a


def test_climbing_sideways_and_upward_links() -> None:
    s1 = node("S1", 1)
    skip = node("K1", 4, "S1")  # climbs three levels
    sub = node("SUB", 5, "K1")
    side = node("K2", 4, "K1")  # sideways
    up = node("P1", 2, "SUB")  # upwards
    tree = Tree([s1, skip, sub, side, up])
    assert tree.wrong_level_links == [(skip, s1), (side, skip), (up, sub)]
    assert tree.climbing_links == {4: [(skip, s1)], 5: [(sub, skip)]}
    assert tree.cycle_ids == set()
    assert ids(tree.whole.children(skip)) == ["SUB"]
    assert ids(tree.whole.subtree(s1)) == ["S1", "K1", "SUB"]
    assert tree.whole.deepest_below == {id(s1): 5, id(skip): 5}
    # Up the links as typed: the upward link still traces (as TAU07 asks).
    assert ids(tree.ancestors(up)) == ["SUB", "K1", "S1"]
    assert tree.whole.traces_to(up, 1) and tree.whole.traces_to(side, 1)


def test_a_filtered_view_cuts_the_branch_below_a_node_it_does_not_keep() -> None:
    s1, p1, p2 = node("S1", 1), node("P1", 2, "S1"), node("P2", 2, "S1")
    k1, k2 = node("K1", 3, "P1"), node("K2", 3, "P2")
    sub1, sub2 = node("L5-1", 5, "K1"), node("L5-2", 5, "K2")
    tree = Tree([s1, p1, p2, k1, k2, sub1, sub2])
    view = tree.view(lambda n: n is not p1)
    assert not view.keeps(p1) and view.keeps(p2)
    assert ids(view.children(s1)) == ["P2"]
    assert ids(view.children(p1)) == ["K1"]  # asked directly, a left-out node still answers
    assert view.parent(p1) is None and view.parent(k1) is p1
    assert ids(view.descendants(s1)) == ["P2", "K2", "L5-2"]
    assert list(view.below([s1, p2])) == [p2, k2, sub2]
    assert view.below_ids([s1, p2]) == {id(p2), id(k2), id(sub2)}
    assert view.leaves_on([s1], 5) == [sub2]
    assert view.leaves_on([p1, k1], 5) == [sub1]  # p1 is not kept, k1 is
    assert view.leaves_on([sub2, s1], 5) == [sub2]  # once, itself included
    assert not view.traces_to(sub1, 1) and view.traces_to(sub2, 1)
    assert tree.whole.traces_to(sub1, 1)  # the whole tree is unaffected
    assert [ids(p) for p in view.paths([s1])] == [["S1", "P2", "K2", "L5-2"]]
    assert view.deepest_below == {id(s1): 5, id(p2): 5, id(k2): 5, id(p1): 5, id(k1): 5}
    cut = tree.view(lambda n: n.level <= 2)
    assert cut.size(s1) == 3 and ids(cut.subtree(s1)) == ["S1", "P1", "P2"]


def test_memoised_answers_are_not_shared_lists() -> None:
    s1, p1 = node("S1", 1), node("P1", 2, "S1")
    tree = Tree([s1, p1])
    tree.whole.leaves_on([s1], 2).clear()
    tree.whole.descendants(s1).clear()
    assert tree.whole.leaves_on([s1], 2) == [p1]
    assert tree.whole.descendants(s1) == [p1]


def test_positions_owners_and_superior_cycles() -> None:
    head = Position(row=2, code="KADIS", superior="BUPATI")
    bupati = Position(row=3, code="BUPATI")
    a, b = Position(row=4, code="A", superior="B"), Position(row=5, code="B", superior="A")
    again = Position(row=6, code="KADIS", superior="A")
    owned = Node(id="S1", level=1, sheet="L1", row=2, owner="KADIS")
    tree = Tree([owned], [head, bupati, a, b, again])
    assert tree.owner(owned) is head and tree.superior(head) is bupati
    assert tree.superior(bupati) is None
    assert tree.superior_cycles == {"A", "B"}


def test_cycle_members_of_any_links() -> None:
    links = {"a": "b", "b": "c", "c": "b", "d": "d", "e": "x", "f": "e"}
    assert cycle_members(links, links.__getitem__) == {"b", "c", "d"}
