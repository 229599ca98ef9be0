"""Nomenclature (nomenklatur): programme, activity and sub-activity codes on L3–L5 are present,
well formed, nested under their parent's code and named consistently (and, when an official
list is supplied, found in it).

Codes are compared in a normal form (kab/kota digit ``2`` = ``02``; 2- and 4-digit
sub-activities), see :mod:`pohon_xl.nomenclature`.
"""

from __future__ import annotations

import re

from pohon_xl.findings import Severity
from pohon_xl.model.plan import Node
from pohon_xl.nomenclature import (
    KEGIATAN_DEPTH,
    PROGRAM_DEPTH,
    SUBKEGIATAN_DEPTH,
    is_well_formed,
    normalise_code,
    normalise_name,
)
from pohon_xl.rules.base import Context, Rule, register

DEPTH = {3: PROGRAM_DEPTH, 4: KEGIATAN_DEPTH, 5: SUBKEGIATAN_DEPTH}
EXAMPLE = {3: "2.15.02", 4: "2.15.02.2.06", 5: "2.15.02.2.06.0017"}

# A code typed in its normal form (no spaces, a 1-digit kab/kota group, a 4-digit
# sub-activity) is well formed and normalises to itself: most codes are, and each is
# usually unique, so this one match spares the general normalisation per code.
_PROGRAM = r"[0-9X]\.[0-9X]{2}\.\d{2}"
_NORMAL = {
    PROGRAM_DEPTH: re.compile(_PROGRAM + r"\Z"),
    KEGIATAN_DEPTH: re.compile(_PROGRAM + r"\.\d\.\d{2}\Z"),
    SUBKEGIATAN_DEPTH: re.compile(_PROGRAM + r"\.\d\.\d{2}\.\d{4}\Z"),
}
_NORMAL_ANY = re.compile(_PROGRAM + r"(?:\.\d\.\d{2}(?:\.\d{4})?)?\Z")


def _normal(code: str) -> str:
    """``normalise_code(code)``, without its regexes for a code in normal form."""
    return code if _NORMAL_ANY.match(code) else normalise_code(code)


def _well_formed(code: str, depth: int) -> bool:
    """``is_well_formed(code, depth)``, at once for a code in normal form."""
    return _NORMAL[depth].match(code) is not None or is_well_formed(code, depth)


def _under(child: str, parent: str) -> bool:
    """``is_under(child, parent)`` (same test, through :func:`_normal`)."""
    parent_n = _normal(parent)
    return bool(parent_n) and _normal(child).startswith(parent_n + ".")


def _coded(ctx: Context):
    for level in (3, 4, 5):
        yield from ctx.by_level.get(level, [])


@register
class CodeMissing(Rule):
    """A node on L3–L5 without its code (`Kode Program`, `Kode Kegiatan`, `Kode Subkegiatan`):
    it cannot appear in the Program/Kegiatan/Subkegiatan matrices.

    Salah: ``Kode Program`` kosong · Benar: ``Kode Program | 2.15.02``.
    """

    code = "NOM01"
    name = "Kode nomenklatur kosong"
    severity = Severity.GALAT
    message = "{header} node '{id}' belum diisi."
    suggestion = "Isi {header} sesuai nomenklatur Kepmendagri (mis. {example})."

    def check(self, ctx: Context):
        for node in _coded(ctx):
            header = node.spec.code_header
            if not node.code and ctx.has_column(node.spec.sheet, header):
                yield self.at_node(
                    ctx, node, header,
                    params=dict(header=header, example=EXAMPLE[node.level]))


@register
class CodeMalformed(Rule):
    """A code that is not shaped like its level's code: programme ``X.XX.XX`` (``2.15.02``),
    activity programme + ``.2.06`` (or ``.02.06``), sub-activity activity + ``.0017`` (or the
    older 2-digit ``.17``).

    Salah: ``Kode Kegiatan | 2.15.2.6`` atau kode subkegiatan di kolom Kode Kegiatan ·
    Benar: ``2.15.02.2.06``.
    """

    code = "NOM02"
    name = "Format kode tidak sesuai"
    severity = Severity.PERINGATAN
    message = "{header} '{value}' tidak berformat kode {kind}."
    suggestion = "Tulis kode bertitik sesuai nomenklatur Kepmendagri, mis. {example}."

    KIND = {3: "program", 4: "kegiatan", 5: "subkegiatan"}

    def check(self, ctx: Context):
        for node in _coded(ctx):
            if node.code and not _well_formed(node.code, DEPTH[node.level]):
                yield self.at_node(
                    ctx, node, node.spec.code_header,
                    params=dict(header=node.spec.code_header, value=node.code, kind=self.KIND[node.level], example=EXAMPLE[node.level]))


@register
class CodeNotUnderParent(Rule):
    """An L4 `Kode Kegiatan` that does not start with its L3 parent's `Kode Program` (or an L5
    `Kode Subkegiatan` with its L4 parent's `Kode Kegiatan`): the Renstra matrix would put it
    under another programme.

    Salah: L3 ``2.15.02`` dengan anak L4 ``2.15.03.2.01`` · Benar: ``2.15.02.2.06``.
    """

    code = "NOM03"
    name = "Kode tidak berada di bawah kode induk"
    severity = Severity.GALAT
    message = (
        "{header} '{value}' tidak berada di bawah {parent_header} induk '{parent}' "
        "({parent_code})."
    )
    suggestion = (
        "Pilih {header} yang diawali '{parent_code}', atau arahkan ID Induk ke node yang kodenya "
        "sesuai."
    )

    def check(self, ctx: Context):
        for level in (4, 5):
            for node, parent in ctx.tree.climbing_links.get(level, []):
                if parent.level != level - 1 or not node.code or not parent.code:
                    continue
                if not _under(node.code, parent.code):
                    header = node.spec.code_header or ""
                    yield self.at_node(
                        ctx, node, header,
                        params=dict(header=header, value=node.code,
                                    parent_header=parent.spec.code_header, parent=parent.id,
                                    parent_code=parent.code))


@register
class CodeNameInconsistent(Rule):
    """One code written with two different names (compared without case and spacing).

    Salah: ``2.15.02`` bernama ``Program LLAJ`` di satu baris dan ``PROGRAM PENYELENGGARAAN
    LALU LINTAS DAN ANGKUTAN JALAN (LLAJ)`` di baris lain · Benar: nama yang sama.
    """

    code = "NOM04"
    name = "Satu kode dengan dua nama"
    severity = Severity.PERINGATAN
    message = (
        "{header} '{value}' bernama '{name}', padahal di {first_sheet} baris {first_row} bernama "
        "'{first_name}'."
    )
    suggestion = "Samakan nama untuk kode yang sama (salin dari nomenklatur resmi)."

    def check(self, ctx: Context):
        first: dict[str, Node] = {}
        for node in _coded(ctx):
            if not node.code or not node.code_name:
                continue
            seen = first.setdefault(_normal(node.code), node)
            if seen is not node and normalise_name(seen.code_name) != normalise_name(
                node.code_name
            ):
                yield self.at_node(
                    ctx, node, node.spec.name_header,
                    params=dict(header=node.spec.code_header, value=node.code, name=node.code_name, first_sheet=seen.sheet, first_row=seen.row, first_name=seen.code_name))


@register
class CodeNameMissing(Rule):
    """A code without its name (`Nama Program`, `Nama Kegiatan`, `Nama Subkegiatan`).

    Salah: ``Kode Program | 2.15.02`` dengan ``Nama Program`` kosong · Benar: ``PROGRAM
    PENYELENGGARAAN LALU LINTAS DAN ANGKUTAN JALAN (LLAJ)``.
    """

    code = "NOM05"
    name = "Nama nomenklatur kosong"
    severity = Severity.PERINGATAN
    message = "{header} untuk kode '{value}' belum diisi."
    suggestion = "Isi {header} sesuai nomenklatur Kepmendagri."

    def check(self, ctx: Context):
        for node in _coded(ctx):
            header = node.spec.name_header
            if node.code and not node.code_name and ctx.has_column(node.spec.sheet, header):
                yield self.at_node(ctx, node, header, params=dict(header=header, value=node.code))


@register
class CodeNotOfficial(Rule):
    """A code that is not in the official nomenclature list (runs only when a list is given);
    the finding names the list used. The support programmes, activities and sub-activities
    that the list writes once for every urusan (``X.XX.01…``) match any urusan's code. The
    real pattern: 28 of 35 warnings on one office were its ``X.XX.01`` support codes.

    Salah: ``Kode Kegiatan | 2.15.02.2.99`` · Benar: kode yang ada di Kepmendagri yang
    berlaku (``2.15.02.2.06``).
    """

    code = "NOM06"
    name = "Kode tidak ada di nomenklatur resmi"
    severity = Severity.PERINGATAN
    message = "{header} '{value}' tidak ditemukan di daftar nomenklatur resmi ({source})."
    suggestion = (
        "Periksa kode terhadap Kepmendagri yang berlaku, atau perbarui daftar nomenklatur yang "
        "dipakai."
    )

    def check(self, ctx: Context):
        official = ctx.official
        if official is None:
            return
        source = official.source or "daftar yang diberikan"
        for node in _coded(ctx):
            if node.code and not official.key_of(node.code):
                yield self.at_node(
                    ctx, node, node.spec.code_header,
                    params=dict(header=node.spec.code_header, value=node.code, source=source))


@register
class NameNotOfficial(Rule):
    """A code found in the official list but written with another name (runs only when a list
    is given; case and spacing ignored).

    Salah: ``2.15.02`` bernama ``Program Perhubungan`` · Benar: ``PROGRAM PENYELENGGARAAN
    LALU LINTAS DAN ANGKUTAN JALAN (LLAJ)``.
    """

    code = "NOM07"
    name = "Nama berbeda dari nomenklatur resmi"
    severity = Severity.INFO
    message = "{header} '{name}' berbeda dari nama resmi kode '{value}': '{official}'."
    suggestion = "Gunakan nama resmi bila memang kode ini yang dimaksud."

    def check(self, ctx: Context):
        nomenclature = ctx.official
        if nomenclature is None:
            return
        for node in _coded(ctx):
            key = nomenclature.key_of(node.code) if node.code else ""
            official = nomenclature.get(key) if key else None
            if official is None or not node.code_name:
                continue
            if not nomenclature.accepts_name(node.code, node.code_name):
                yield self.at_node(
                    ctx, node, node.spec.name_header,
                    params=dict(header=node.spec.name_header, name=node.code_name, value=node.code, official=official))
