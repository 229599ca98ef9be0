"""Owners (pemilik kinerja): every node has one accountable position, the position exists in
`Jabatan`, suits the level, and the positions form one chain of superiors.
"""

from __future__ import annotations

import re

from collections.abc import Mapping

from pohon_xl.findings import Finding, Severity
from pohon_xl.model import contract as C
from pohon_xl.model.plan import Position
from pohon_xl.rules.base import Context, Rule, meant, register

KINDS = {value.casefold(): value for value in C.JENIS_JABATAN_VALUES}
JPT, ADMINISTRATOR, PENGAWAS, FUNGSIONAL, PELAKSANA = C.JENIS_JABATAN_VALUES[1:]
# Jenis Jabatan that usually owns each level (PermenPANRB 89/2021, "Skema").
USUAL_KINDS: dict[int, tuple[str, ...]] = {
    1: (C.KEPALA_DAERAH,),
    2: (JPT,),
    3: (ADMINISTRATOR, JPT),
    4: (PENGAWAS, ADMINISTRATOR, FUNGSIONAL),
    5: (PENGAWAS, FUNGSIONAL, PELAKSANA),
}


# An office headed by an Administrator (a Kecamatan: its Camat) shifts the ladder one step
# down: the Camat owns its L2, the Sekretaris Camat (also an Administrator) and the Kepala
# Seksi (Pengawas) its L3 and L4.
ADMINISTRATOR_HEADED: dict[int, tuple[str, ...]] = {
    2: (ADMINISTRATOR,),
    3: (ADMINISTRATOR, PENGAWAS),
    4: (ADMINISTRATOR, PENGAWAS, FUNGSIONAL, PELAKSANA),
    5: (PENGAWAS, FUNGSIONAL, PELAKSANA),
}
RANK = {C.KEPALA_DAERAH: 0, JPT: 1, ADMINISTRATOR: 2, PENGAWAS: 3, FUNGSIONAL: 4, PELAKSANA: 4}


def canonical_kind(text: str) -> str:
    """The contract's Jenis Jabatan when typed as such (case and spaces aside), else ''."""
    return KINDS.get(" ".join(text.split()).casefold(), "")


_KIND_ALIASES = {
    "jpt pratama": JPT, "jpt madya": JPT, "jpt utama": JPT, "pimpinan tinggi": JPT,
    "jabatan pimpinan tinggi": JPT, "eselon i": JPT, "eselon ii": JPT,
    "eselon iii": ADMINISTRATOR, "jabatan administrator": ADMINISTRATOR,
    "eselon iv": PENGAWAS, "jabatan pengawas": PENGAWAS,
    "jabatan fungsional": FUNGSIONAL, "jft": FUNGSIONAL, "jf": FUNGSIONAL,
    "jabatan pelaksana": PELAKSANA, "staf": PELAKSANA, "staff": PELAKSANA, "jfu": PELAKSANA,
    "bupati": C.KEPALA_DAERAH, "wali kota": C.KEPALA_DAERAH, "walikota": C.KEPALA_DAERAH,
    "gubernur": C.KEPALA_DAERAH,
}


def kind_of(text: str) -> str:
    """The Jenis Jabatan meant, tolerating common spellings ('JPT Pratama' -> 'JPT',
    'Eselon IV' -> 'Pengawas'), or ''."""
    key = " ".join(text.split()).casefold()
    return KINDS.get(key) or _KIND_ALIASES.get(key) or (JPT if key.startswith("jpt ") else "")


def _outside_superior(ctx: Context, position: Position) -> bool:
    """In an OPD workbook the head of the OPD (a JPT, or the Administrator heading a
    Kecamatan) reports to the Kepala Daerah of the body-level workbook: a missing or unknown
    superior there is checked in batch mode."""
    return ctx.is_opd and kind_of(position.kind) in (JPT, _office_head(ctx))


@register
class OwnerMissing(Rule):
    """A node without `Pemilik Kinerja`: nobody is accountable, no PK/SKP can carry it.

    Salah: ``Pemilik Kinerja`` kosong · Benar: ``Pemilik Kinerja | KABID-LL`` (Kode Jabatan).
    """

    code = "PEM01"
    name = "Pemilik kinerja kosong"
    severity = Severity.GALAT
    message = "Node '{id}' tidak memiliki Pemilik Kinerja."
    suggestion = "Isi Pemilik Kinerja dengan satu Kode Jabatan dari sheet Jabatan."

    def check(self, ctx: Context):
        for (owner, level), links in ctx.by_owner.items():
            if not owner and ctx.has_column(C.LEVEL_BY_NUMBER[level].sheet, C.PEMILIK):
                for node, _ in links:
                    yield self.at_node(ctx, node, C.PEMILIK)


@register
class OwnerUnknown(Rule):
    """`Pemilik Kinerja` is not a `Kode Jabatan` of the `Jabatan` sheet.

    Info for an L1 node of an OPD workbook (the Kepala Daerah is listed in the body-level
    workbook).

    Salah: ``Pemilik Kinerja | Kabid Lalu Lintas`` (nama) · Benar: ``KABID-LL`` (kode).
    """

    code = "PEM02"
    name = "Pemilik kinerja tidak ada di Jabatan"
    severity = Severity.GALAT
    message = "Pemilik Kinerja '{owner}' tidak ada di sheet Jabatan{hint}."
    suggestion = (
        "Tulis Kode Jabatan persis seperti di sheet Jabatan, atau tambahkan jabatan itu ke "
        "sheet Jabatan."
    )

    def check(self, ctx: Context):
        for (owner, level), links in ctx.by_owner.items():
            if owner and owner not in ctx.positions:
                soft = level == 1 and ctx.is_opd
                for node, _ in links:
                    yield self.at_node(
                        ctx, node, C.PEMILIK, severity=Severity.INFO if soft else None,
                        params=dict(owner=owner, hint=meant(ctx.position_codes_loose, owner)))


def _office_head(ctx: Context) -> str:
    return office_head(ctx.plan.positions, ctx.positions)


def office_head(listed: list[Position], positions: Mapping[str, Position]) -> str:
    """The Jenis Jabatan of the office's head: the highest-ranked position at the top of the
    workbook's own chain of superiors (no superior, one outside the workbook, or the Kepala
    Daerah); '' when there is none. ``listed``: the Jabatan rows; ``positions``: by code."""
    kinds = []
    for position in listed:
        kind = kind_of(position.kind)
        if kind not in RANK or kind == C.KEPALA_DAERAH:
            continue
        superior = positions.get(position.superior)
        if superior is None or kind_of(superior.kind) == C.KEPALA_DAERAH:
            kinds.append(kind)
    return min(kinds, key=RANK.__getitem__, default="")


@register
class OwnerKindUnusual(Rule):
    """The owner's `Jenis Jabatan` is unusual for the level: L1 Kepala Daerah; L2 JPT;
    L3 Administrator (JPT tolerated); L4 Pengawas, Administrator or Fungsional; L5 Pengawas,
    Fungsional or Pelaksana; L6 any. The ladder is judged relative to the office's own head:
    in an office headed by an Administrator (a Kecamatan, whose Camat is an Administrator)
    L2 is the Administrator's, L3 an Administrator's or a Pengawas's, L4 also a Fungsional's
    or a Pelaksana's, L5 a Pengawas's, a Fungsional's or a Pelaksana's. The real pattern: every L2/L3 owner of a Kecamatan
    reported as unusual because the rule assumed a JPT at the top.

    Salah: sasaran program (L3) dimiliki ``Pelaksana`` · Benar: dimiliki Kepala Bidang
    (``Administrator``).
    """

    code = "PEM03"
    name = "Jenis jabatan pemilik tidak lazim untuk level"
    severity = Severity.PERINGATAN
    message = (
        "Pemilik '{owner}' berjenis jabatan {kind}, tidak lazim untuk {title} (L{node_level}); "
        "lazimnya {usual}."
    )
    suggestion = (
        "Periksa apakah pemiliknya sudah tepat, atau apakah node ini berada di level yang benar."
    )

    def check(self, ctx: Context):
        kinds: dict[str, str] = {}  # Jenis Jabatan as typed -> meant: a handful of values
        ladder, head_note = USUAL_KINDS, ""
        if _office_head(ctx) == ADMINISTRATOR:
            ladder = {**USUAL_KINDS, **ADMINISTRATOR_HEADED}
            head_note = " (perangkat daerah ini dipimpin Administrator)"
        for (owner, level), links in ctx.by_owner.items():
            usual = ladder.get(level)
            position = ctx.positions.get(owner) if owner else None
            if usual is None or position is None:
                continue
            kind = kinds.get(position.kind)
            if kind is None:
                kind = kinds[position.kind] = kind_of(position.kind)
            if kind and kind not in usual:
                for node, _ in links:
                    yield self.at_node(
                        ctx, node, C.PEMILIK,
                        params=dict(owner=owner, kind=kind, title=node.spec.title, node_level=level, usual=" atau ".join(usual) + (head_note if level > 1 else "")))


@register
class RhkNotUnderSuperior(Rule):
    """An L6 RHK whose parent is not owned by the employee's superior (`Kode Jabatan Atasan`):
    the RHK does not intervene the leader's performance. A parent owned by the employee
    itself is accepted.

    Salah: RHK milik ``ANALIS-01`` (atasan ``KASI-RLL``) berinduk sasaran milik ``KASI-PKB`` ·
    Benar: berinduk sasaran milik ``KASI-RLL``.
    """

    code = "PEM04"
    name = "RHK tidak berinduk kinerja atasan"
    severity = Severity.PERINGATAN
    message = (
        "RHK milik '{owner}' (atasan '{superior}') berinduk '{parent}' yang dimiliki "
        "'{parent_owner}'."
    )
    suggestion = (
        "Arahkan ID Induk ke kinerja milik atasan langsung '{superior}', atau perbaiki Kode "
        "Jabatan Atasan."
    )

    def check(self, ctx: Context):
        for (owner, level), links in ctx.by_owner.items():
            position = ctx.positions.get(owner) if owner and level == 6 else None
            if position is None or not position.superior:
                continue
            accepted = (position.superior, position.code)
            for node, parent in links:
                if parent is not None and parent.owner not in accepted:
                    yield self.at_node(
                        ctx, node, C.ID_INDUK,
                        params=dict(owner=owner, superior=position.superior, parent=parent.id, parent_owner=parent.owner or "(kosong)"))


def _jabatan(rule: Rule, ctx: Context, position: Position, column: str, *,
             severity: Severity | None = None, params: Mapping[str, object]) -> Finding:
    return rule.at(ctx, C.JABATAN, position.row, column, severity=severity, params=params)


@register
class PositionCodeDuplicate(Rule):
    """The same `Kode Jabatan` on two rows of `Jabatan`.

    Salah: dua baris ``KASI-01`` · Benar: ``KASI-RLL`` dan ``KASI-PKB``.
    """

    code = "PEM05"
    name = "Kode Jabatan ganda"
    severity = Severity.GALAT
    message = "Kode Jabatan '{code}' sudah dipakai di baris {first_row}."
    suggestion = "Beri kode lain pada salah satu jabatan; Kode Jabatan harus unik."

    def check(self, ctx: Context):
        for position in ctx.plan.positions:
            first = ctx.positions.get(position.code)
            if position.code and first is not None and first is not position:
                yield _jabatan(
                    self, ctx, position, C.KODE_JABATAN,
                    params=dict(code=position.code, first_row=first.row))


@register
class PositionCodeMissing(Rule):
    """A row of `Jabatan` without `Kode Jabatan`: no node can name it as owner.

    Salah: ``Kode Jabatan`` kosong · Benar: ``KABID-LL``.
    """

    code = "PEM06"
    name = "Kode Jabatan kosong"
    severity = Severity.GALAT
    message = "Jabatan '{name}' tidak memiliki Kode Jabatan."
    suggestion = "Isi Kode Jabatan yang singkat dan unik (mis. KABID-LL)."

    def check(self, ctx: Context):
        for position in ctx.plan.positions:
            if not position.code:
                yield _jabatan(
                    self, ctx, position, C.KODE_JABATAN,
                    params=dict(name=position.name or "(tanpa nama)"))


@register
class SuperiorMissing(Rule):
    """A position other than Kepala Daerah without `Kode Jabatan Atasan`: its PK has no
    *pihak kedua*. Info for the head of an OPD (a JPT, or the Administrator heading a
    Kecamatan) in an OPD workbook.

    Salah: Kepala Bidang dengan atasan kosong · Benar: ``Kode Jabatan Atasan | KADISHUB``.
    """

    code = "PEM07"
    name = "Atasan kosong"
    severity = Severity.PERINGATAN
    message = "Jabatan '{code}' tidak memiliki Kode Jabatan Atasan."
    suggestion = "Isi Kode Jabatan Atasan dengan kode atasan langsung (pihak kedua pada PK)."

    def check(self, ctx: Context):
        if not ctx.has_column(C.JABATAN, C.KODE_ATASAN):
            return
        for position in ctx.plan.positions:
            if position.superior or not position.code or kind_of(position.kind) == C.KEPALA_DAERAH:
                continue
            soft = _outside_superior(ctx, position)
            yield _jabatan(
                self, ctx, position, C.KODE_ATASAN, severity=Severity.INFO if soft else None,
                params=dict(code=position.code))


@register
class SuperiorUnknown(Rule):
    """`Kode Jabatan Atasan` names no position of `Jabatan`. Info for the head of an OPD (a JPT,
    or the Administrator heading a Kecamatan) in an OPD workbook (the Kepala Daerah is in the
    body-level workbook).

    Salah: ``Kode Jabatan Atasan | KADIS`` padahal kodenya ``KADISHUB`` · Benar: ``KADISHUB``.
    """

    code = "PEM08"
    name = "Atasan tidak ditemukan"
    severity = Severity.PERINGATAN
    message = "Kode Jabatan Atasan '{superior}' tidak ada di sheet Jabatan{hint}."
    suggestion = "Tulis Kode Jabatan atasan persis seperti di kolom Kode Jabatan."

    def check(self, ctx: Context):
        for position in ctx.plan.positions:
            if position.superior and position.superior not in ctx.positions:
                soft = _outside_superior(ctx, position)
                yield _jabatan(
                    self, ctx, position, C.KODE_ATASAN, severity=Severity.INFO if soft else None,
                    params=dict(superior=position.superior, hint=meant(ctx.position_codes_loose, position.superior)))


@register
class SuperiorCycle(Rule):
    """Positions whose chain of superiors comes back to themselves.

    Salah: ``A`` beratasan ``B`` dan ``B`` beratasan ``A`` · Benar: rantai atasan berakhir di
    Kepala Daerah.
    """

    code = "PEM09"
    name = "Rantai atasan melingkar"
    severity = Severity.GALAT
    message = (
        "Jabatan '{code}' menjadi atasan bagi dirinya sendiri melalui rantai Kode Jabatan Atasan."
    )
    suggestion = "Perbaiki Kode Jabatan Atasan sehingga rantai atasan naik sampai Kepala Daerah."

    def check(self, ctx: Context):
        positions, in_cycle = ctx.positions, ctx.tree.superior_cycles
        for position in ctx.plan.positions:
            if position.code in in_cycle and positions.get(position.code) is position:
                yield _jabatan(self, ctx, position, C.KODE_ATASAN, params=dict(code=position.code))


@register
class PositionKindUnknown(Rule):
    """`Jenis Jabatan` empty or not one of the contract's values (case and spaces aside). Common
    spellings are recognised for the hint and for PEM03, but PK and the summary need the
    contract's value.

    Salah: ``Jenis Jabatan | Eselon IV`` atau ``JPT Pratama`` · Benar: ``Pengawas``, ``JPT``
    (Kepala Daerah, JPT, Administrator, Pengawas, Fungsional, Pelaksana).
    """

    code = "PEM10"
    name = "Jenis Jabatan tidak dikenal"
    severity = Severity.PERINGATAN
    message = "Jenis Jabatan {value} pada jabatan '{code}' tidak dikenal{hint}."
    suggestion = "Pilih salah satu: " + ", ".join(C.JENIS_JABATAN_VALUES) + "."

    def check(self, ctx: Context):
        if not ctx.has_column(C.JABATAN, C.JENIS_JABATAN):
            return
        for position in ctx.plan.positions:
            if not canonical_kind(position.kind):
                value = f"'{position.kind}'" if position.kind else "(kosong)"
                meant_kind = kind_of(position.kind)
                yield _jabatan(
                    self, ctx, position, C.JENIS_JABATAN,
                    params=dict(value=value, code=position.code, hint=f" (maksudnya '{meant_kind}'?)" if meant_kind else ""))


@register
class CollaboratorUnknown(Rule):
    """A `Kolaborator` code that is neither a `Kode Jabatan` nor this workbook's OPD code
    (other OPDs' codes are only known in batch mode).

    Salah: ``Kolaborator | Satpol`` · Benar: ``SATPOLPP`` (kode OPD) atau ``KASI-OPS``
    (Kode Jabatan).
    """

    code = "PEM11"
    name = "Kolaborator tidak dikenal"
    severity = Severity.INFO
    message = (
        "Kolaborator '{code}' bukan Kode Jabatan di sheet Jabatan maupun kode perangkat daerah "
        "ini."
    )
    suggestion = (
        "Pastikan kode kolaborator benar (Kode Jabatan atau kode OPD); OPD lain diperiksa saat "
        "batch."
    )

    def check(self, ctx: Context):
        own = ctx.plan.identity.text(C.KEY_KODE_PD).casefold()
        known = ctx.positions_casefold
        for node in ctx.plan.nodes:
            for code in node.collaborators:
                key = code.casefold()
                if key not in known and key != own:
                    yield self.at_node(ctx, node, C.KOLABORATOR, params=dict(code=code))


def _nip_problem(nip: str) -> tuple[str, bool]:
    """What is wrong with a NIP as read ('' when nothing), and whether it is a Galat (the
    digits are lost: Excel keeps 15 significant digits of a number)."""
    text = nip.replace(" ", "")
    if re.fullmatch(r"\d(\.\d+)?E\+?\d+", text, re.IGNORECASE):
        return (
            "tersimpan sebagai angka: Excel hanya menyimpan 15 digit, digit terakhirnya hilang",
            True,
        )
    if not text.isdigit():
        return "berisi karakter selain angka", False
    if len(text) != 18:
        return f"terdiri dari {len(text)} digit, bukan 18", False
    born_y, born_m, born_d = int(text[0:4]), int(text[4:6]), int(text[6:8])
    tmt_y, tmt_m = int(text[8:12]), int(text[12:14])
    if not (
        1930 <= born_y <= 2015 and 1 <= born_m <= 12 and 1 <= born_d <= 31
        and 1950 <= tmt_y <= 2040 and 1 <= tmt_m <= 12 and text[14] in "12"
        and text[15:] != "000"
    ):
        return "tidak berpola NIP (tanggal lahir, TMT, jenis kelamin, nomor urut)", False
    return "", False


@register
class NipMalformed(Rule):
    """A `NIP Pemangku` that is not an 18-digit NIP (birth date, TMT CPNS, sex, serial
    number). Galat when it was stored as a number: Excel keeps 15 significant digits, so
    ``199203172015031002`` becomes ``1.99203172015031E+17`` and the SKP prints another
    person's NIP. The real pattern: NIPs pasted into a number-formatted column.

    Salah: ``NIP Pemangku | 1.99203172015031E+17`` (angka) atau ``19920317 2015`` ·
    Benar: ``199203172015031002`` sebagai teks.
    """

    code = "PEM12"
    name = "NIP tidak berbentuk NIP 18 digit"
    severity = Severity.PERINGATAN
    message = "NIP '{nip}' pada jabatan '{code}' {detail}."
    suggestion = (
        "Format sel NIP sebagai Teks, lalu ketik ulang 18 digit NIP dari SK pemangku "
        "(spasi boleh, tanpa tanda lain)."
    )

    def check(self, ctx: Context):
        for position in ctx.plan.positions:
            if not position.nip:
                continue
            detail, lost = _nip_problem(position.nip)
            if detail:
                yield _jabatan(
                    self, ctx, position, C.NIP_PEMANGKU, severity=Severity.GALAT if lost else None,
                    params=dict(nip=position.nip, code=position.code, detail=detail))
