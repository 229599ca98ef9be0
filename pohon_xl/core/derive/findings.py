"""The derivation findings (group ``TUR``, *Turunkan*): a catalogue of stable codes.

A derivation that meets a disagreement it has to resolve (the tree says one thing, a code
says another) records a finding instead of choosing silently. ``CATALOGUE`` lists every code
with its severity, title, message template and suggestion, for ``pohon-xl aturan``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from pohon_xl.findings import Finding, FindingType, Location, Severity
from pohon_xl.model.plan import Node, Plan

GROUP = ("TUR", "Turunan dokumen")


@dataclass(frozen=True)
class DerivationRule(FindingType):
    def at(
        self,
        sheet: str,
        row: int = 0,
        column: str = "",
        column_index: int = 0,
        *,
        node_id: str = "",
        level: int = 0,
        source: str = "",
        params: Mapping[str, object] | None = None,
    ) -> Finding:
        location = Location(sheet, row, column, column_index)
        return self.make(location, node_id=node_id, level=level, source=source, params=params)

    def at_node(self, plan: Plan, node: Node, column: str = "", *, source: str = "",
                params: Mapping[str, object] | None = None) -> Finding:
        info = plan.sheets.get(node.spec.sheet)
        index = info.columns.get(column, 0) if info and column else 0
        return self.at(node.sheet, node.row, column, index, node_id=node.id, level=node.level,
                       source=source, params={"id": node.id, **(params or {})})


SUB_OUTSIDE_PROGRAM = DerivationRule(
    "TUR01",
    Severity.PERINGATAN,
    "Kode subkegiatan tidak sesuai program induk",
    "Subkegiatan {code} (ID {id}) berada di bawah program {parent} dalam pohon, tetapi kodenya "
    "tidak berawalan {parent}; anggarannya tetap dihitung ke pagu program {parent} mengikuti "
    "pohon.",
    "Periksa Kode Subkegiatan dan ID Induk: kode subkegiatan berawalan kode programnya "
    "(mis. program 2.15.02 → subkegiatan 2.15.02.2.01.0003).",
)
SUB_OUTSIDE_KEGIATAN = DerivationRule(
    "TUR02",
    Severity.PERINGATAN,
    "Kode subkegiatan tidak sesuai kegiatan induk",
    "Subkegiatan {code} (ID {id}) berada di bawah kegiatan {parent} dalam pohon, tetapi "
    "kodenya tidak berawalan {parent}; anggarannya tetap dihitung ke pagu kegiatan {parent} "
    "mengikuti pohon.",
    "Periksa Kode Subkegiatan dan ID Induk: kode subkegiatan berawalan kode kegiatannya "
    "(mis. kegiatan 2.15.02.2.01 → subkegiatan 2.15.02.2.01.0003).",
)
KEGIATAN_OUTSIDE_PROGRAM = DerivationRule(
    "TUR03",
    Severity.PERINGATAN,
    "Kode kegiatan tidak sesuai program induk",
    "Kegiatan {code} (ID {id}) berada di bawah program {parent} dalam pohon, tetapi kodenya "
    "tidak berawalan {parent}; matriks Kegiatan mencantumkan Kode Program {parent} mengikuti "
    "pohon.",
    "Periksa Kode Kegiatan dan ID Induk: kode kegiatan berawalan kode programnya "
    "(mis. program 2.15.02 → kegiatan 2.15.02.2.01).",
)
NAME_MISMATCH = DerivationRule(
    "TUR04",
    Severity.PERINGATAN,
    "Satu kode, beberapa nama",
    "Kode {code} bernama '{used}' pada ID {first} tetapi '{other}' pada ID {id}; matriks "
    "{matrix} memakai '{used}'.",
    "Samakan {header} untuk semua sasaran dengan kode {code} (ikuti nomenklatur Kepmendagri).",
)
NO_PIHAK_KEDUA = DerivationRule(
    "TUR05",
    Severity.PERINGATAN,
    "Pihak kedua PK tidak ditemukan",
    "PK jabatan {code} ({name}) tidak punya pihak kedua: {reason}; kolom pihak kedua "
    "dibiarkan kosong untuk diisi tangan.",
    "Isi Kode Jabatan Atasan dengan Kode Jabatan atasan langsung yang ada di sheet Jabatan.",
)
NO_HOLDER = DerivationRule(
    "TUR06",
    Severity.INFO,
    "PK tanpa nama pemangku",
    "PK jabatan {code} ({name}) dibuat tanpa nama dan NIP pihak pertama karena Nama Pemangku "
    "kosong.",
    "Isi Nama Pemangku dan NIP Pemangku di sheet Jabatan, atau biarkan bila jabatan lowong.",
)
NO_PK_YEAR = DerivationRule(
    "TUR07",
    Severity.PERINGATAN,
    "Tahun PK tidak diketahui",
    "Tahun PK kosong atau tidak valid; sheet PK tidak dibuat dan kolom Target di SKP kosong.",
    "Isi Tahun PK di sheet Identitas dengan tahun di dalam periode rencana (mis. 2026).",
)

CATALOGUE: tuple[DerivationRule, ...] = (
    SUB_OUTSIDE_PROGRAM,
    SUB_OUTSIDE_KEGIATAN,
    KEGIATAN_OUTSIDE_PROGRAM,
    NAME_MISMATCH,
    NO_PIHAK_KEDUA,
    NO_HOLDER,
    NO_PK_YEAR,
)
