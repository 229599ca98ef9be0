"""The workbook contract (version 1) as data: sheet names, headers and allowed values.

Everything that names a sheet or a header comes from here, so the reader, the rules, the
template and the writers cannot drift apart. See ``docs/workbook-contract.md``.
"""

from __future__ import annotations

from dataclasses import dataclass

IDENTITAS = "Identitas"
JABATAN = "Jabatan"
PETUNJUK = "Petunjuk"
LAPORAN = "Laporan_Validasi"

# Identitas keys (column A) -> meaning.
KEY_INSTANSI = "Instansi"
KEY_PERANGKAT_DAERAH = "Perangkat Daerah"
KEY_KODE_PD = "Kode Perangkat Daerah"
KEY_TAHUN_AWAL = "Tahun Awal"
KEY_TAHUN_AKHIR = "Tahun Akhir"
KEY_TAHUN_PK = "Tahun PK"
KEY_PENYUSUN = "Penyusun"
KEY_EMAIL = "Email"
IDENTITAS_KEYS = (
    KEY_INSTANSI,
    KEY_PERANGKAT_DAERAH,
    KEY_KODE_PD,
    KEY_TAHUN_AWAL,
    KEY_TAHUN_AKHIR,
    KEY_TAHUN_PK,
    KEY_PENYUSUN,
    KEY_EMAIL,
)

# Jabatan headers.
KODE_JABATAN = "Kode Jabatan"
NAMA_JABATAN = "Nama Jabatan"
JENIS_JABATAN = "Jenis Jabatan"
UNIT_KERJA = "Unit Kerja"
KODE_ATASAN = "Kode Jabatan Atasan"
NIP_PEMANGKU = "NIP Pemangku"
NAMA_PEMANGKU = "Nama Pemangku"
JABATAN_HEADERS = (
    KODE_JABATAN,
    NAMA_JABATAN,
    JENIS_JABATAN,
    UNIT_KERJA,
    KODE_ATASAN,
    NIP_PEMANGKU,
    NAMA_PEMANGKU,
)
JABATAN_REQUIRED = (KODE_JABATAN, NAMA_JABATAN, JENIS_JABATAN)

# Level sheet headers.
ID = "ID"
ID_INDUK = "ID Induk"
SASARAN = "Sasaran"
INDIKATOR = "Indikator"
SATUAN = "Satuan"
ARAH = "Arah"
BASELINE = "Baseline"
JENIS_CASCADING = "Jenis Cascading"
PEMILIK = "Pemilik Kinerja"
KOLABORATOR = "Kolaborator"
KETERANGAN = "Keterangan"
ASPEK = "Aspek"
TARGET_PREFIX = "Target"
ANGGARAN_PREFIX = "Anggaran"
PAGU_PREFIX = "Pagu"

# Columns the processor writes at the right of each level sheet.
STATUS = "Status"
CATATAN = "Catatan Validasi"

# Allowed values (the template's dropdowns use the same tuples).
ARAH_NAIK = "Naik"
ARAH_TURUN = "Turun"
ARAH_VALUES = (ARAH_NAIK, ARAH_TURUN)
LANGSUNG = "Langsung"
BERBAGI = "Berbagi"
KONTRIBUSI = "Kontribusi"
CASCADING_VALUES = (LANGSUNG, BERBAGI, KONTRIBUSI)
KEPALA_DAERAH = "Kepala Daerah"
JENIS_JABATAN_VALUES = (KEPALA_DAERAH, "JPT", "Administrator", "Pengawas", "Fungsional", "Pelaksana")
ASPEK_VALUES = ("Kuantitas", "Kualitas", "Waktu", "Biaya")
STATUS_OK = "OK"


@dataclass(frozen=True)
class LevelSpec:
    """One level of the tree: its number, sheet, meaning and extra columns."""

    number: int
    sheet: str
    title: str  # Indonesian name of the level, for messages
    code_header: str | None = None  # nomenclature code column (L3-L5)
    name_header: str | None = None  # nomenclature name column (L3-L5)
    has_budget: bool = False  # Anggaran <year> columns (L5)
    is_individual: bool = False  # L6: Aspek, only Target <Tahun PK> required

    @property
    def extra_headers(self) -> tuple[str, ...]:
        headers = tuple(h for h in (self.code_header, self.name_header) if h)
        return headers + ((ASPEK,) if self.is_individual else ())


LEVELS: tuple[LevelSpec, ...] = (
    LevelSpec(1, "L1_Sasaran_Daerah", "Sasaran Daerah"),
    LevelSpec(2, "L2_Sasaran_PD", "Sasaran Perangkat Daerah"),
    LevelSpec(3, "L3_Sasaran_Program", "Sasaran Program", "Kode Program", "Nama Program"),
    LevelSpec(4, "L4_Sasaran_Kegiatan", "Sasaran Kegiatan", "Kode Kegiatan", "Nama Kegiatan"),
    LevelSpec(
        5,
        "L5_Sasaran_Subkegiatan",
        "Sasaran Subkegiatan",
        "Kode Subkegiatan",
        "Nama Subkegiatan",
        has_budget=True,
    ),
    LevelSpec(6, "L6_RHK_Individu", "RHK Individu", is_individual=True),
)
LEVEL_BY_NUMBER = {spec.number: spec for spec in LEVELS}
LEVEL_BY_SHEET = {spec.sheet: spec for spec in LEVELS}
PROGRAM_LEVEL, KEGIATAN_LEVEL, SUBKEGIATAN_LEVEL, RHK_LEVEL = 3, 4, 5, 6

# Derived sheets (written by Turunkan).
PROGRAM = "Program"
KEGIATAN = "Kegiatan"
SUBKEGIATAN = "Subkegiatan"
SKP = "SKP"
SKP_FORMULIR = "SKP_Formulir"
PK = "PK"
MATRIKS = "Matriks_Cascading"
RINGKASAN = "Ringkasan"
POHON = "Pohon"  # the tree drawn with cells (an addition to contract version 1)
EVALUASI_CASCADING = "Evaluasi_Cascading"  # the evaluators' KKE of cascading (an addition)
# The derived sheets' order and builders: pohon_xl.core.derive.registry.


def target_header(year: int) -> str:
    return f"{TARGET_PREFIX} {year}"


def budget_header(year: int) -> str:
    return f"{ANGGARAN_PREFIX} {year}"


def pagu_header(year: int) -> str:
    return f"{PAGU_PREFIX} {year}"


def level_headers(spec: LevelSpec, years: range) -> list[str]:
    """The contract's header row of a level sheet, in the template's order."""
    headers = [ID, ID_INDUK]
    headers += list(spec.extra_headers[:2]) if spec.code_header else []
    headers += [SASARAN, INDIKATOR, SATUAN, ARAH, BASELINE]
    headers += [target_header(y) for y in years]
    headers += [budget_header(y) for y in years] if spec.has_budget else []
    headers += [ASPEK] if spec.is_individual else []
    headers += [JENIS_CASCADING, PEMILIK, KOLABORATOR, KETERANGAN]
    return headers


def required_headers(spec: LevelSpec) -> tuple[str, ...]:
    """Headers without which a level sheet cannot be read (year columns are checked apart)."""
    base = (ID, ID_INDUK, SASARAN, INDIKATOR, SATUAN, PEMILIK)
    if spec.is_individual:
        return base
    return base + (ARAH, BASELINE, JENIS_CASCADING) + tuple(h for h in (spec.code_header,) if h)


def normalise_header(text: object) -> str:
    """Header matching ignores case and surrounding (and doubled) spaces."""
    return " ".join(str(text).split()).casefold() if text is not None else ""
