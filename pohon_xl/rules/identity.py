"""Identity: every node has an ID, no ID is used twice, and IDs are plainly written."""

from __future__ import annotations

import re

from pohon_xl.findings import Severity
from pohon_xl.model import contract as C
from pohon_xl.rules.base import Context, Rule, register


@register
class MissingId(Rule):
    """A row that starts a node (its `Sasaran` is filled) but has no `ID`.

    Salah: ``|  | S1 | Menurunnya kemacetan |`` · Benar: ``| P1 | S1 | Menurunnya kemacetan |``
    """

    code = "IDN01"
    name = "ID kosong"
    severity = Severity.GALAT
    message = "Baris ini berisi sasaran tetapi kolom ID kosong."
    suggestion = "Isi ID yang unik (mis. awalan level dan nomor urut: L3-01)."

    def check(self, ctx: Context):
        for node in ctx.plan.nodes:
            if not node.id:
                yield self.at_node(ctx, node, C.ID)


@register
class DuplicateId(Rule):
    """The same `ID` on two nodes: links by `ID Induk` become ambiguous (the first one wins).

    Salah: ``K1`` di L4 baris 2 dan ``K1`` lagi di L4 baris 5 · Benar: ``K1`` dan ``K2``.
    """

    code = "IDN02"
    name = "ID ganda"
    severity = Severity.GALAT
    message = "ID '{id}' sudah dipakai di {first_sheet} baris {first_row}."
    suggestion = "Beri ID lain pada salah satu baris; ID harus unik di seluruh workbook."

    def check(self, ctx: Context):
        for node_id, others in ctx.tree.duplicates.items():
            first = ctx.tree.by_id[node_id]
            for node in others:
                yield self.at_node(
                    ctx, node, C.ID, params=dict(first_sheet=first.sheet, first_row=first.row)
                )


_WELL_FORMED_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/\-]*$")
# Every ID of the workbook at once, separated by NUL (which no cell can hold): one match
# for the common case of no odd ID instead of one per node.
_ID = r"[A-Za-z0-9][A-Za-z0-9._/\-]*"
_ALL_WELL_FORMED = re.compile(_ID + r"(?:\x00" + _ID + r")*")


@register
class OddId(Rule):
    """An `ID` with spaces or unusual characters: easy to mistype in `ID Induk`.

    Salah: ``L3 01`` atau ``L3–01`` (tanda pisah panjang) · Benar: ``L3-01``.
    """

    code = "IDN03"
    name = "ID berisi spasi atau karakter tak lazim"
    severity = Severity.PERINGATAN
    message = "ID '{id}' berisi spasi atau karakter selain huruf, angka, titik, '-', '_' dan '/'."
    suggestion = (
        "Gunakan huruf, angka dan tanda '-' saja (mis. L3-01), lalu sesuaikan ID Induk yang "
        "merujuknya."
    )

    def check(self, ctx: Context):
        ids = ctx.tree.by_id  # duplicates have the same IDs
        joined = "\x00".join(ids)
        if joined.count("\x00") == len(ids) - 1 and _ALL_WELL_FORMED.fullmatch(joined):
            return
        for node in ctx.plan.nodes:
            if node.id and not _WELL_FORMED_ID.match(node.id):
                yield self.at_node(ctx, node, C.ID)
