"""Links of the tree (pohon): `ID Induk` names an existing node on the level directly above,
there are no cycles, every outcome is supported down to budgeted work and every piece of
budgeted work traces up to a strategic outcome.
"""

from __future__ import annotations

from pohon_xl.findings import Severity
from pohon_xl.model import contract as C
from pohon_xl.model.plan import Node
from pohon_xl.rules.base import Context, Rule, loose_key, meant, register

# Characters planners confuse when typing IDs: letter O for zero, l and I for one.
_CONFUSED = str.maketrans({"o": "0", "l": "1", "i": "1"})


def _deletions(key: str) -> set[str]:
    """The key and every key one character shorter (symmetric-delete index)."""
    return {key} | {key[:i] + key[i + 1:] for i in range(len(key))}


class _NearIds:
    """IDs per level, found again from a typo: the same ID once O/0 and l/I/1 are confused,
    or within one typed character (one added, dropped, changed or two swapped). Built once
    per run; a look-up costs a few dict probes, whatever the number of nodes."""

    def __init__(self, ctx: Context) -> None:
        self.confused: dict[tuple[int, str], set[str]] = {}
        self.near: dict[tuple[int, str], set[str]] = {}
        for node_id, node in ctx.tree.by_id.items():
            key = loose_key(node_id).translate(_CONFUSED)
            self.confused.setdefault((node.level, key), set()).add(node_id)
            if len(key) >= 3:
                for variant in _deletions(key):
                    self.near.setdefault((node.level, variant), set()).add(node_id)

    def find(self, typed: str, level: int) -> str:
        """The one ID on ``level`` that ``typed`` most likely meant ('' if none or several)."""
        key = loose_key(typed).translate(_CONFUSED)
        found = self.confused.get((level, key), set())
        if not found and len(key) >= 3:
            found = set().union(*(self.near.get((level, v), set()) for v in _deletions(key)))
        return next(iter(found)) if len(found) == 1 else ""


def meant_parent(ctx: Context, node: Node) -> str:
    """The existing ID that a node's unknown `ID Induk` most likely meant ('' if unsure)."""
    hint = meant(ctx.ids_loose, node.parent_id)
    if hint:
        return ctx.ids_loose[loose_key(node.parent_id)]
    near: _NearIds = ctx.shared("linkage.near", _NearIds)
    return near.find(node.parent_id, node.level - 1) if node.level > 1 else ""


def _broken_links(ctx: Context) -> list[tuple[Node, str]]:
    """Nodes whose `ID Induk` names no node, with the ID it most likely meant ('' if unsure)."""
    by_id = ctx.tree.by_id
    return [
        (node, meant_parent(ctx, node))
        for node in ctx.tree.parentless
        if node.level > 1 and node.parent_id and node.parent_id not in by_id
    ]


def _knock_on_causes(ctx: Context) -> dict[int, tuple[Node, str]]:
    """id(ancestor) -> (the node whose broken `ID Induk` cut it off, the ID meant): every
    node above the ID a typo meant loses that support."""
    causes: dict[int, tuple[Node, str]] = {}
    tree = ctx.tree
    for node, target_id in ctx.shared("linkage.broken", _broken_links):
        target = tree.by_id.get(target_id) if target_id else None
        if target is None:
            continue
        for cut_off in (target, *tree.ancestors(target)):
            causes.setdefault(id(cut_off), (node, target_id))
    return causes


@register
class ParentNotFound(Rule):
    """`ID Induk` names no node of the workbook.

    Info instead of Galat for an L2 node of an OPD workbook that holds no L1 nodes: its parent
    lives in the body-level workbook and is checked in batch mode. The message names the ID
    most likely meant: the same ID case and spacing aside, with ``O``/``0`` or ``l``/``1``
    confused, or one typed character away, on the level above. The real pattern:
    ``L2-O2`` (letter O) typed for ``L2-02``.

    Salah: ``ID Induk | S-1`` padahal sasaran daerah ber-ID ``S1`` · Benar: ``ID Induk | S1``.
    """

    code = "TAU01"
    name = "Induk tidak ditemukan"
    severity = Severity.GALAT
    message = "ID Induk '{parent}' tidak ditemukan pada node mana pun{hint}."
    suggestion = "Periksa ejaan ID Induk; ID harus sama persis dengan kolom ID node induknya."

    def check(self, ctx: Context):
        for node, target in ctx.shared("linkage.broken", _broken_links):
            soft = node.level == 2 and ctx.opd_without_l1
            yield self.at_node(
                ctx, node, C.ID_INDUK, severity=Severity.INFO if soft else None,
                params=dict(parent=node.parent_id, hint=f" (maksudnya '{target}'?)" if target else ""))


@register
class ParentWrongLevel(Rule):
    """The parent exists but is not on the level directly above (L4 under L2, L3 under L3 …).

    Salah: node L4 ``K1`` dengan ``ID Induk | S1`` (node L2) · Benar: ``ID Induk | P1`` (node L3).
    """

    code = "TAU02"
    name = "Induk bukan di level tepat di atasnya"
    severity = Severity.GALAT
    message = (
        "Induk '{parent}' berada di L{parent_level}, padahal node L{node_level} harus berinduk ke "
        "L{expected}."
    )
    suggestion = (
        "Arahkan ID Induk ke node di sheet {expected_sheet}, atau pindahkan node ke level yang "
        "sesuai."
    )

    def check(self, ctx: Context):
        for node, parent in ctx.tree.wrong_level_links:
            if node.level > 1:
                yield self.at_node(
                    ctx, node, C.ID_INDUK,
                    params=dict(parent=parent.id, parent_level=parent.level, node_level=node.level, expected=node.level - 1, expected_sheet=C.LEVEL_BY_NUMBER[node.level - 1].sheet))


@register
class Cycle(Rule):
    """Nodes whose `ID Induk` chain comes back to themselves.

    Salah: ``A`` berinduk ``B`` dan ``B`` berinduk ``A`` · Benar: rantai induk selalu naik
    sampai L1.
    """

    code = "TAU03"
    name = "Tautan induk melingkar"
    severity = Severity.GALAT
    message = "Node '{id}' menjadi induk bagi dirinya sendiri melalui rantai ID Induk."
    suggestion = "Putus lingkaran: ID Induk harus menunjuk node di level tepat di atasnya."

    def check(self, ctx: Context):
        cycle = ctx.tree.cycle_ids
        for node in ctx.plan.nodes:
            if node.id in cycle and ctx.tree.by_id.get(node.id) is node:
                yield self.at_node(ctx, node, C.ID_INDUK)


@register
class ParentMissing(Rule):
    """A node below L1 with an empty `ID Induk`: it hangs in the air.

    Salah: node L3 dengan ``ID Induk`` kosong · Benar: ``ID Induk | S1`` (sasaran L2 yang
    didukungnya).
    """

    code = "TAU04"
    name = "ID Induk kosong"
    severity = Severity.GALAT
    message = "Node L{node_level} '{id}' tidak memiliki ID Induk."
    suggestion = "Isi ID Induk dengan ID node di {expected_sheet} yang didukung node ini."

    def check(self, ctx: Context):
        for node in ctx.tree.parentless:
            if node.level > 1 and not node.parent_id:
                yield self.at_node(
                    ctx, node, C.ID_INDUK,
                    params=dict(node_level=node.level, expected_sheet=C.LEVEL_BY_NUMBER[node.level - 1].sheet))


@register
class TopWithParent(Rule):
    """An L1 node with an `ID Induk`: L1 is the top of the tree, the value is ignored.

    Salah: sasaran daerah dengan ``ID Induk | VISI-1`` · Benar: ``ID Induk`` kosong di L1
    (tujuan/visi dapat ditulis di Keterangan).
    """

    code = "TAU05"
    name = "Sasaran L1 memiliki induk"
    severity = Severity.PERINGATAN
    message = "Node L1 '{id}' berisi ID Induk '{parent}', padahal L1 adalah puncak pohon."
    suggestion = "Kosongkan ID Induk di L1; rujukan ke tujuan/visi dapat ditulis di Keterangan."

    def check(self, ctx: Context):
        for node in ctx.by_level[1]:
            if node.parent_id:
                yield self.at_node(ctx, node, C.ID_INDUK, params=dict(parent=node.parent_id))


@register
class OutcomeUnsupported(Rule):
    """An L1/L2 outcome with no chain of nodes under it down to L5 (no programme or budget
    supports it).

    Info when the workbook holds no nodes below that level at all (a body-level workbook with
    only L1), and for L1 nodes of an OPD workbook (other offices support them): both are
    checked across the body in batch mode.

    A finding that follows from a mistyped `ID Induk` below (TAU01 with a "maksudnya …?")
    names that cause.

    Salah: sasaran L2 ``Meningkatnya kelancaran lalu lintas`` tanpa sasaran program di bawahnya
    · Benar: turunkan sampai sasaran subkegiatan (L5) yang beranggaran.
    """

    code = "TAU06"
    name = "Sasaran strategis tidak didukung sampai L5"
    severity = Severity.PERINGATAN
    message = "Sasaran '{id}' tidak didukung sampai subkegiatan (L5): {detail}."
    suggestion = (
        "Turunkan sasaran ini ke sasaran program, kegiatan dan subkegiatan yang mendukungnya, "
        "atau tinjau apakah sasaran ini masih diperlukan."
    )

    def check(self, ctx: Context):
        deepest = ctx.tree.whole.deepest_below
        causes = _knock_on_causes(ctx) if ctx.shared("linkage.broken", _broken_links) else {}
        lowest_present = max((n.level for n in ctx.plan.nodes), default=0)
        for level in (1, 2):
            for node in ctx.by_level[level]:
                depth = deepest.get(id(node), node.level)
                if depth >= 5:
                    continue
                soft = lowest_present <= level or (level == 1 and ctx.is_opd)
                detail = (
                    "belum ada node turunan" if depth == node.level
                    else f"turunannya baru sampai L{depth}"
                )
                cause = causes.get(id(node))
                if cause is not None:
                    child, target = cause
                    detail += (
                        f", kemungkinan akibat ID Induk '{child.parent_id}' pada '{child.id}' "
                        f"(maksudnya '{target}'?, lihat TAU01)"
                    )
                yield self.at_node(
                    ctx, node, C.ID, severity=Severity.INFO if soft else None,
                    params=dict(detail=detail))


@register
class OutputUntraced(Rule):
    """An L5 sub-activity whose chain of parents does not reach L1 (in an OPD workbook without
    L1 nodes: L2). Budget spent on it does not lift any strategic outcome.

    The message names the cause where the chain stops (an unknown or empty `ID Induk`).

    Salah: ``L5-03`` berinduk ``K9`` yang tidak berinduk · Benar: rantai ID Induk
    L5 → L4 → L3 → L2 → L1 utuh.
    """

    code = "TAU07"
    name = "Subkegiatan tidak tertelusur ke sasaran strategis"
    severity = Severity.PERINGATAN
    message = (
        "Subkegiatan '{id}' tidak tertelusur sampai L{top_level}: rantai induk berhenti di "
        "'{stop}' (L{stop_level}){cause}."
    )
    suggestion = "Lengkapi ID Induk di sepanjang rantai sampai sasaran L{top_level}."

    def check(self, ctx: Context):
        top_level = 2 if ctx.opd_without_l1 else 1
        for node in ctx.by_level[5]:
            if not ctx.tree.whole.traces_to(node, top_level):
                stop = ctx.tree.root(node)
                yield self.at_node(
                    ctx, node, C.ID_INDUK,
                    params=dict(top_level=top_level, stop=stop.id, stop_level=stop.level, cause=_stop_cause(ctx, stop)))


def _stop_cause(ctx: Context, stop: Node) -> str:
    """Why a chain stops at ``stop``: the finding on its own `ID Induk`, named."""
    if not stop.parent_id:
        return ", yang ID Induk-nya kosong (lihat TAU04)" if stop.level > 1 else ""
    if stop.parent_id in ctx.tree.by_id:
        return ""
    target = meant_parent(ctx, stop)
    hint = f"; maksudnya '{target}'?" if target else ""
    return f", akibat ID Induk '{stop.parent_id}' yang tidak ditemukan (lihat TAU01{hint})"
