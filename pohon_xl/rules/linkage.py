"""Links of the tree (pohon): `ID Induk` names an existing node on the level directly above,
there are no cycles, every outcome is supported down to budgeted work and every piece of
budgeted work traces up to a strategic outcome.
"""

from __future__ import annotations

from pohon_xl.findings import Severity
from pohon_xl.model import contract as C
from pohon_xl.rules.base import Context, Rule, meant, register


@register
class ParentNotFound(Rule):
    """`ID Induk` names no node of the workbook.

    Info instead of Galat for an L2 node of an OPD workbook that holds no L1 nodes: its parent
    lives in the body-level workbook and is checked in batch mode.

    Salah: ``ID Induk | S-1`` padahal sasaran daerah ber-ID ``S1`` · Benar: ``ID Induk | S1``.
    """

    code = "TAU01"
    name = "Induk tidak ditemukan"
    severity = Severity.GALAT
    message = "ID Induk '{parent}' tidak ditemukan pada node mana pun{hint}."
    suggestion = "Periksa ejaan ID Induk; ID harus sama persis dengan kolom ID node induknya."

    def check(self, ctx: Context):
        for node in ctx.tree.parentless:
            if node.level == 1 or not node.parent_id or node.parent_id in ctx.tree.by_id:
                continue
            soft = node.level == 2 and ctx.opd_without_l1
            yield self.at_node(
                ctx, node, C.ID_INDUK, parent=node.parent_id,
                hint=meant(ctx.ids_loose, node.parent_id),
                severity=Severity.INFO if soft else None,
            )


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
                    ctx, node, C.ID_INDUK, parent=parent.id, parent_level=parent.level,
                    node_level=node.level, expected=node.level - 1,
                    expected_sheet=C.LEVEL_BY_NUMBER[node.level - 1].sheet,
                )


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
                    ctx, node, C.ID_INDUK, node_level=node.level,
                    expected_sheet=C.LEVEL_BY_NUMBER[node.level - 1].sheet,
                )


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
                yield self.at_node(ctx, node, C.ID_INDUK, parent=node.parent_id)


@register
class OutcomeUnsupported(Rule):
    """An L1/L2 outcome with no chain of nodes under it down to L5 (no programme or budget
    supports it).

    Info when the workbook holds no nodes below that level at all (a body-level workbook with
    only L1), and for L1 nodes of an OPD workbook (other offices support them): both are
    checked across the body in batch mode.

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
                yield self.at_node(
                    ctx, node, C.ID, detail=detail, severity=Severity.INFO if soft else None
                )


@register
class OutputUntraced(Rule):
    """An L5 sub-activity whose chain of parents does not reach L1 (in an OPD workbook without
    L1 nodes: L2). Budget spent on it does not lift any strategic outcome.

    Salah: ``L5-03`` berinduk ``K9`` yang tidak berinduk · Benar: rantai ID Induk
    L5 → L4 → L3 → L2 → L1 utuh.
    """

    code = "TAU07"
    name = "Subkegiatan tidak tertelusur ke sasaran strategis"
    severity = Severity.PERINGATAN
    message = (
        "Subkegiatan '{id}' tidak tertelusur sampai L{top_level}: rantai induk berhenti di "
        "'{stop}' (L{stop_level})."
    )
    suggestion = "Lengkapi ID Induk di sepanjang rantai sampai sasaran L{top_level}."

    def check(self, ctx: Context):
        top_level = 2 if ctx.opd_without_l1 else 1
        for node in ctx.by_level[5]:
            if not ctx.tree.whole.traces_to(node, top_level):
                stop = ctx.tree.root(node)
                yield self.at_node(
                    ctx, node, C.ID_INDUK, top_level=top_level,
                    stop=stop.id, stop_level=stop.level,
                )
