"""Independent workbooks for pohon-xl, built from the public workbook contract only.

Written without looking at the tool's code, templates or examples: only
/work/shared/workbook-contract.md, /work/shared/domain.md and the seeds.

The workbooks are built with XlsxWriter (not openpyxl), with our own formatting, a sheet
order different from the contract's listing (Jabatan first, then the level sheets from L6 up,
an extra sheet of our own in between, Identitas last), level-sheet columns in a different
order than the contract lists them, header labels in varied case and with surrounding spaces
(the contract says header matching ignores case and surrounding spaces), an extra column of
our own (`Sumber Dana` on L5) and an extra sheet (`Catatan_Penyusun`).

Subject: Pemerintah Kabupaten Sukamaju (fictional), Dinas Kesehatan, period 2025-2029,
Tahun PK 2026. Public-health tree from seed 001: life expectancy -> malnutrition / dengue
deaths -> food supplements, fogging.

Variants:
  correct        a fully correct tree L1..L6 (25 nodes)
  defective      the same, with planted defects listed in DEFECTS (sheet, Excel row, text)
  missing_column the correct workbook with the `Satuan` column dropped from L4

Usage:  python tests/contract/build_independent.py OUTDIR   (writes the three workbooks)
"""
from __future__ import annotations

import copy
import sys
from pathlib import Path

import xlsxwriter
from xlsxwriter.utility import xl_rowcol_to_cell

# --------------------------------------------------------------------------------------
# constants
# --------------------------------------------------------------------------------------
YEARS = [2025, 2026, 2027, 2028, 2029]
TAHUN_PK = 2026

S_ID = "Identitas"
S_JAB = "Jabatan"
L1 = "L1_Sasaran_Daerah"
L2 = "L2_Sasaran_PD"
L3 = "L3_Sasaran_Program"
L4 = "L4_Sasaran_Kegiatan"
L5 = "L5_Sasaran_Subkegiatan"
L6 = "L6_RHK_Individu"
LEVEL_SHEETS = [L1, L2, L3, L4, L5, L6]

EXTRA_SHEET = "Catatan_Penyusun"
EXTRA_COLUMN_SHEET = L5
EXTRA_COLUMN = "Sumber Dana"

# Our sheet order (deliberately not the contract's listing).
SHEET_ORDER = [S_JAB, L6, L5, L4, EXTRA_SHEET, L3, L2, L1, S_ID]


def T(y):
    return f"Target {y}"


def A(y):
    return f"Anggaran {y}"


# Column order per level sheet (canonical names; deliberately not the contract's order).
COMMON_TAIL = ["Jenis Cascading", "Pemilik Kinerja", "Kolaborator", "Keterangan"]
COLUMNS = {
    L1: ["Sasaran", "ID", "Indikator", "Satuan", "Arah", "Baseline", *map(T, YEARS),
         "Pemilik Kinerja", "Jenis Cascading", "ID Induk", "Kolaborator", "Keterangan"],
    L2: ["ID", "Sasaran", "ID Induk", "Jenis Cascading", "Indikator", "Satuan", "Arah",
         "Baseline", *map(T, YEARS), "Pemilik Kinerja", "Kolaborator", "Keterangan"],
    L3: ["Kode Program", "Nama Program", "ID", "ID Induk", "Sasaran", "Indikator", "Satuan",
         "Arah", "Baseline", *map(T, YEARS), *COMMON_TAIL],
    L4: ["ID", "Kode Kegiatan", "Sasaran", "Nama Kegiatan", "ID Induk", "Pemilik Kinerja",
         "Indikator", "Satuan", "Arah", "Baseline", *map(T, YEARS), "Jenis Cascading",
         "Keterangan", "Kolaborator"],
    L5: ["Kode Subkegiatan", "ID", "Sasaran", "Nama Subkegiatan", EXTRA_COLUMN, "ID Induk",
         "Indikator", "Satuan", "Arah", "Baseline", *map(A, YEARS), *map(T, YEARS),
         *COMMON_TAIL],
    # L6: only Target <Tahun PK> is required (contract), so only that target column.
    L6: ["Pemilik Kinerja", "ID Induk", "ID", "Sasaran", "Aspek", "Indikator", "Satuan",
         "Arah", "Baseline", T(TAHUN_PK), "Jenis Cascading", "Kolaborator", "Keterangan"],
}
JABATAN_COLUMNS = ["Nama Jabatan", "Kode Jabatan", "Jenis Jabatan", "Kode Jabatan Atasan",
                   "Unit Kerja", "Nama Pemangku", "NIP Pemangku"]


def header_label(name: str, i: int) -> str:
    """Vary case and surrounding spaces (tolerated by the contract), deterministically."""
    v = i % 5
    if v == 0:
        return name
    if v == 1:
        return name.upper()
    if v == 2:
        return name.lower() + " "
    if v == 3:
        return "  " + name
    return " " + name.upper() + "  "


class TextNum(str):
    """A number typed as text, Indonesian style (e.g. '1.250.000.000', '0,85')."""


class Formula:
    """A formula with a cached value; `ref` names a column of the same row."""

    def __init__(self, template: str, ref: str, value):
        self.template, self.ref, self.value = template, ref, value


# --------------------------------------------------------------------------------------
# content
# --------------------------------------------------------------------------------------
IDENTITAS = [
    ("Instansi", "Pemerintah Kabupaten Sukamaju"),
    ("Perangkat Daerah", "Dinas Kesehatan"),
    ("Kode Perangkat Daerah", "DINKES"),
    ("Tahun Awal", 2025),
    ("Tahun Akhir", 2029),
    ("Tahun PK", TAHUN_PK),
    ("Penyusun", "dr. Rina Marlina, M.Kes. (Subbagian Perencanaan dan Evaluasi)"),
    ("Email", "perencanaan.dinkes@sukamajukab.go.id"),
]

UNIT = "Dinas Kesehatan Kabupaten Sukamaju"
JABATAN = [
    # kode, nama jabatan, jenis, atasan, unit kerja, nama pemangku, NIP
    ("BUP", "Bupati Sukamaju", "Kepala Daerah", "", "Pemerintah Kabupaten Sukamaju",
     "H. Ahmad Suryana, S.E., M.Si.", ""),
    ("KADINKES", "Kepala Dinas Kesehatan", "JPT", "BUP", UNIT,
     "dr. Hendra Gunawan, M.K.M.", "197203151998031004"),
    ("KABID-KESMAS", "Kepala Bidang Kesehatan Masyarakat", "Administrator", "KADINKES",
     "Bidang Kesehatan Masyarakat", "Siti Nurhayati, S.K.M., M.Kes.", "197808122003122007"),
    ("KABID-P2P", "Kepala Bidang Pencegahan dan Pengendalian Penyakit", "Administrator",
     "KADINKES", "Bidang P2P", "dr. Budi Santoso", "197911052005011002"),
    ("KASI-GIZI", "Kepala Seksi Kesehatan Keluarga dan Gizi Masyarakat", "Pengawas",
     "KABID-KESMAS", "Bidang Kesehatan Masyarakat", "Dewi Lestari, S.Gz., M.P.H.",
     "198402202009022003"),
    ("KASI-P2PM", "Kepala Seksi Pencegahan dan Pengendalian Penyakit Menular", "Pengawas",
     "KABID-P2P", "Bidang P2P", "Agus Wibowo, S.K.M.", "198106172006041011"),
    ("NUTR-MUDA", "Nutrisionis Ahli Muda", "Fungsional", "KASI-GIZI",
     "Bidang Kesehatan Masyarakat", "Rahmawati, S.Gz.", "198709142010012015"),
    ("EPID-MUDA", "Epidemiolog Kesehatan Ahli Muda", "Fungsional", "KASI-P2PM",
     "Bidang P2P", "Yusuf Hidayat, S.K.M., M.Epid.", "198805032011011008"),
    ("NUTR-PERTAMA", "Nutrisionis Ahli Pertama", "Fungsional", "NUTR-MUDA",
     "Bidang Kesehatan Masyarakat", "Anisa Putri, S.Gz.", "199502102020122012"),
    ("PENGELOLA-GIZI", "Pengelola Data Gizi", "Pelaksana", "NUTR-MUDA",
     "Bidang Kesehatan Masyarakat", "Rudi Hartono", "199111232019031006"),
    ("SANIT-TERAMPIL", "Sanitarian Terampil", "Fungsional", "EPID-MUDA", "Bidang P2P",
     "Eko Prasetyo, A.Md.K.L.", "199307082017081001"),
    ("PENGADM-LOG", "Pengadministrasi Logistik", "Pelaksana", "EPID-MUDA", "Bidang P2P",
     "Wahyu Saputra", "199012282014021003"),
]

PROG_UKM = "Program Pemenuhan Upaya Kesehatan Perorangan dan Upaya Kesehatan Masyarakat"
PROG_PEMB = "Program Pemberdayaan Masyarakat Bidang Kesehatan"
KEG_UKM = ("Penyediaan Layanan Kesehatan untuk UKM dan UKP Rujukan Tingkat Daerah "
           "Kabupaten/Kota")
KEG_UKBM = ("Pengembangan dan Pelaksanaan Upaya Kesehatan Bersumber Daya Masyarakat (UKBM) "
            "Tingkat Daerah Kabupaten/Kota")


def ind(indikator, satuan, arah, baseline, targets, **extra):
    """One indicator: targets is a list over YEARS (or a single value for L6)."""
    d = {"Indikator": indikator, "Satuan": satuan, "Arah": arah, "Baseline": baseline}
    if isinstance(targets, list):
        for y, t in zip(YEARS, targets):
            d[T(y)] = t
    else:
        d[T(TAHUN_PK)] = targets
    d.update(extra)
    return d


def node(id_, induk, sasaran, jenis, pemilik, indicators, merge=False, **extra):
    """A node = first row (node columns + first indicator) + continuation rows."""
    first = {"ID": id_, "ID Induk": induk, "Sasaran": sasaran, "Jenis Cascading": jenis,
             "Pemilik Kinerja": pemilik, **extra, **indicators[0]}
    rows = [first]
    for more in indicators[1:]:
        rows.append(dict(more))  # continuation: ID and Sasaran empty, Indikator filled
    if merge:
        first["_merge"] = len(rows)
    return rows


BLANK = {"_blank": True}


def correct_model():
    """Rows per sheet, in order (each row a dict keyed by canonical column name)."""
    m = {s: [] for s in LEVEL_SHEETS}

    # ---- L1: RPJMD sasaran, Kepala Daerah --------------------------------------------
    m[L1] += node(
        "SD-01", "", "Meningkatnya derajat kesehatan masyarakat Kabupaten Sukamaju", "", "BUP",
        [ind("Angka Harapan Hidup", "tahun", "Naik", TextNum("71,20"),
             [71.40, TextNum("71,60"), 71.80, 72.00, 72.20]),
         ind("Angka Kematian Bayi", "per 1.000 kelahiran hidup", "Turun", 14.5,
             [14.0, 13.5, 13.0, 12.5, 12.0])],
        Keterangan="RPJMD 2025-2029, Misi 2: sumber daya manusia yang sehat")

    # ---- L2: Renstra Dinas Kesehatan, Kepala Dinas ---------------------------------
    m[L2] += node(
        "PD-01", "SD-01", "Menurunnya prevalensi balita gizi buruk", "Kontribusi", "KADINKES",
        [ind("Persentase balita gizi buruk", "%", "Turun", 2.1, [1.9, 1.7, 1.5, 1.3, 1.1])],
        Keterangan="Data e-PPGBM")
    m[L2] += node(
        "PD-02", "SD-01", "Menurunnya kematian akibat demam berdarah dengue", "Kontribusi",
        "KADINKES",
        [ind("Case Fatality Rate (CFR) DBD", "%", "Turun", 0.95,
             [0.90, TextNum("0,85"), 0.80, 0.75, 0.70]),
         ind("Incidence Rate (IR) DBD", "kasus per 100.000 penduduk", "Turun", 48,
             [45, 42, 39, 36, 33])],
        Kolaborator="DLH, KABID-KESMAS",
        Keterangan="Lintas sektor: lingkungan hidup dan promosi kesehatan")

    # ---- L3: Sasaran Program, Kepala Bidang ----------------------------------------
    m[L3] += node(
        "PR-01", "PD-01", "Meningkatnya penanganan balita gizi kurang", "Kontribusi",
        "KABID-KESMAS",
        [ind("Persentase balita gizi kurang yang tertangani", "%", "Naik", 80,
             [82, 84, 86, 88, 90])],
        **{"Kode Program": "1.02.02", "Nama Program": PROG_UKM})
    m[L3] += node(
        "PR-02", "PD-02", "Menurunnya penularan demam berdarah dengue di masyarakat",
        "Kontribusi", "KABID-P2P",
        [ind("Angka Bebas Jentik (ABJ)", "%", "Naik", 88, [90, 91, 92, 93, 95])],
        **{"Kode Program": "1.02.02", "Nama Program": PROG_UKM})
    m[L3] += node(
        "PR-03", "PD-01", "Meningkatnya peran serta masyarakat dalam pemantauan gizi balita",
        "Kontribusi", "KABID-KESMAS",
        [ind("Persentase posyandu aktif", "%", "Naik", 65, [68, 71, 74, 77, 80])],
        **{"Kode Program": "1.02.05", "Nama Program": PROG_PEMB})

    # ---- L4: Sasaran Kegiatan, Kepala Seksi ----------------------------------------
    m[L4] += node(
        "KG-01", "PR-01", "Meningkatnya asupan gizi balita gizi kurang", "Kontribusi",
        "KASI-GIZI",
        [ind("Persentase balita gizi kurang yang mendapat makanan tambahan", "%", "Naik", 75,
             [80, 85, 88, 90, 92]),
         ind("Persentase balita gizi kurang yang naik berat badannya", "%", "Naik", 60,
             [65, 68, 70, 72, 75])],
        merge=True,  # ID and Sasaran merged vertically over the two indicator rows
        **{"Kode Kegiatan": "1.02.02.2.02", "Nama Kegiatan": KEG_UKM})
    m[L4] += node(
        "KG-02", "PR-03", "Meningkatnya kualitas pemantauan pertumbuhan balita di posyandu",
        "Kontribusi", "KASI-GIZI",
        [ind("Persentase balita yang ditimbang setiap bulan (D/S)", "%", "Naik", 70,
             [74, 78, 80, 82, 85])],
        **{"Kode Kegiatan": "1.02.05.2.03", "Nama Kegiatan": KEG_UKBM})
    m[L4] += node(  # Langsung: same indicator, unit, baseline and targets as PR-02
        "KG-03", "PR-02", "Meningkatnya rumah tangga yang bebas jentik nyamuk", "Langsung",
        "KASI-P2PM",
        [ind("Angka Bebas Jentik (ABJ)", "%", "Naik", 88, [90, 91, 92, 93, 95])],
        **{"Kode Kegiatan": "1.02.02.2.02", "Nama Kegiatan": KEG_UKM})
    m[L4] += node(
        "KG-04", "PR-02", "Menurunnya kepadatan nyamuk penular DBD di lokasi kasus",
        "Kontribusi", "KASI-P2PM",
        [ind("Persentase kasus DBD yang ditindaklanjuti pengendalian vektor", "%", "Naik", 85,
             [90, 92, 95, 97, 100])],
        **{"Kode Kegiatan": "1.02.02.2.02", "Nama Kegiatan": KEG_UKM})

    # ---- L5: Sasaran Subkegiatan with budgets, fungsional ahli muda -----------------
    def budget(values):
        return {A(y): v for y, v in zip(YEARS, values)}

    m[L5] += node(
        "SK-01", "KG-01", "Tersedianya makanan tambahan bagi balita gizi kurang", "Kontribusi",
        "NUTR-MUDA",
        [ind("Jumlah paket makanan tambahan balita yang tersedia", "paket", "Naik",
             TextNum("12.000"), [13000, TextNum("14.000"), 15000, 16000, 17000])],
        **{"Kode Subkegiatan": "1.02.02.2.02.0016",
           "Nama Subkegiatan": "Pengelolaan Pelayanan Kesehatan Gizi Masyarakat",
           EXTRA_COLUMN: "DAK Non Fisik"},
        **budget([TextNum("1.250.000.000"), 1300000000, 1350000000, 1400000000,
                  1450000000]))
    m[L5] += node(
        "SK-02", "KG-01", "Terlaksananya pemberian makanan tambahan kepada balita gizi kurang",
        "Kontribusi", "NUTR-MUDA",
        [ind("Jumlah balita gizi kurang yang mendapat makanan tambahan", "balita", "Naik",
             1100, [1200, TextNum("1.300"), 1400, 1500, 1600])],
        **{"Kode Subkegiatan": "1.02.02.2.02.0004",
           "Nama Subkegiatan": "Pengelolaan Pelayanan Kesehatan Balita",
           EXTRA_COLUMN: "APBD Kabupaten"},
        **budget([TextNum("450.000.000"), 475000000,
                  Formula("=ROUND({ref}*1.05,-6)", A(2026), 499000000),
                  525000000, 550000000]))
    m[L5] += node(
        "SK-03", "KG-02", "Terlaksananya pembinaan posyandu dalam pemantauan pertumbuhan balita",
        "Kontribusi", "NUTR-MUDA",
        [ind("Jumlah posyandu yang dibina", "posyandu", "Naik", 150, [160, 170, 180, 190, 200])],
        **{"Kode Subkegiatan": "1.02.05.2.03.0001",
           "Nama Subkegiatan": ("Bimbingan Teknis dan Supervisi Pengembangan dan Pelaksanaan "
                                "Upaya Kesehatan Bersumber Daya Masyarakat (UKBM)"),
           EXTRA_COLUMN: "APBD Kabupaten"},
        **budget([175000000, 180000000, 185000000, 190000000, 200000000]))
    m[L5].append(dict(BLANK))  # a fully empty row between the two groups (ignored)
    m[L5] += node(
        "SK-04", "KG-03", "Terlaksananya pemantauan jentik berkala di rumah penduduk",
        "Kontribusi", "EPID-MUDA",
        [ind("Jumlah rumah yang diperiksa jentiknya", "rumah", "Naik", 20000,
             [21000, 22000, 23000, 24000, 25000])],
        **{"Kode Subkegiatan": "1.02.02.2.02.0018",
           "Nama Subkegiatan": "Pengelolaan Pelayanan Kesehatan Lingkungan",
           EXTRA_COLUMN: "APBD Kabupaten"},
        **budget([210000000, 220000000, 230000000, 240000000, 250000000]))
    m[L5] += node(
        "SK-05", "KG-04", "Terlaksananya penyelidikan epidemiologi setiap kasus DBD",
        "Kontribusi", "EPID-MUDA",
        [ind("Persentase kasus DBD yang dilakukan penyelidikan epidemiologi", "%", "Naik", 90,
             [95, 100, 100, 100, 100])],
        **{"Kode Subkegiatan": "1.02.02.2.02.0036",
           "Nama Subkegiatan": "Pengelolaan Surveilans Kesehatan",
           EXTRA_COLUMN: "APBD Kabupaten"},
        **budget([95000000, 100000000, 105000000, 110000000, 115000000]))
    m[L5] += node(
        "SK-06", "KG-04", "Terlaksananya fogging fokus di wilayah kasus DBD", "Kontribusi",
        "EPID-MUDA",
        [ind("Jumlah kecamatan yang mendapat fogging fokus", "kecamatan", "Naik", 8,
             [8, 9, 9, 10, 10]),
         ind("Jumlah cairan insektisida fogging yang diadakan", "liter", "Naik", 400,
             [450, 450, 500, 500, 550])],
        **{"Kode Subkegiatan": "1.02.02.2.02.0020",
           "Nama Subkegiatan": "Pengelolaan Pelayanan Kesehatan Penyakit Menular dan Tidak Menular",
           EXTRA_COLUMN: "DAK Non Fisik"},
        **budget([TextNum("650.000.000"), 680000000, 700000000, 720000000, 750000000]))

    # ---- L6: RHK individu (SKP), only Target 2026 --------------------------------
    m[L6] += node(
        "RHK-01", "SK-02",
        "Terlaksananya pemberian makanan tambahan kepada balita gizi kurang di wilayah "
        "Puskesmas Sukamaju dan Cibening", "Berbagi", "NUTR-PERTAMA",
        [ind("Jumlah balita gizi kurang yang mendapat makanan tambahan", "balita", "Naik", 600,
             700, Aspek="Kuantitas")])
    m[L6] += node(
        "RHK-02", "SK-02",
        "Terlaksananya pemberian makanan tambahan kepada balita gizi kurang di wilayah "
        "Puskesmas Karanganyar dan Sindangsari", "Berbagi", "PENGELOLA-GIZI",
        [ind("Jumlah balita gizi kurang yang mendapat makanan tambahan", "balita", "Naik", 500,
             600, Aspek="Kuantitas")])  # 700 + 600 = 1.300 = SK-02's 2026 target
    m[L6] += node(
        "RHK-03", "SK-01", "Tersusunnya laporan distribusi makanan tambahan balita",
        "Kontribusi", "PENGELOLA-GIZI",
        [ind("Jumlah laporan distribusi makanan tambahan yang disampaikan tepat waktu",
             "laporan", "Naik", 10, 12, Aspek="Waktu"),
         ind("Persentase data penerima makanan tambahan yang lengkap dan valid", "%", "Naik",
             90, 95, Aspek="Kualitas")])
    m[L6] += node(
        "RHK-04", "SK-03", "Terlaksananya kunjungan pembinaan posyandu", "Kontribusi",
        "NUTR-PERTAMA",
        [ind("Jumlah kunjungan pembinaan posyandu", "kunjungan", "Naik", 100, 120,
             Aspek="Kuantitas")])
    m[L6] += node(
        "RHK-05", "SK-04",
        "Terlaksananya pemeriksaan jentik di rumah penduduk wilayah Kecamatan Sukamaju",
        "Berbagi", "SANIT-TERAMPIL",
        [ind("Jumlah rumah yang diperiksa jentiknya", "rumah", "Naik", 11000,
             TextNum("12.000"), Aspek="Kuantitas")])  # part of SK-04's 22.000
    m[L6] += node(
        "RHK-06", "SK-06", "Terlaksananya fogging fokus sesuai standar operasional",
        "Kontribusi", "SANIT-TERAMPIL",
        [ind("Persentase pelaksanaan fogging fokus sesuai SOP", "%", "Naik", 90, 100,
             Aspek="Kualitas")])
    m[L6] += node(
        "RHK-07", "SK-06", "Tersedianya mesin fogging siap pakai", "Kontribusi", "PENGADM-LOG",
        [ind("Jumlah mesin fogging yang siap pakai", "unit", "Naik", 8, 10,
             Aspek="Kuantitas")])
    m[L6] += node(
        "RHK-08", "SK-05", "Tersampaikannya laporan penyelidikan epidemiologi DBD tepat waktu",
        "Kontribusi", "SANIT-TERAMPIL",
        [ind("Rata-rata waktu penyampaian laporan penyelidikan epidemiologi sejak kasus "
             "dilaporkan", "hari", "Turun", 4, 3, Aspek="Waktu")])
    m[L6] += node(
        "RHK-09", "SK-01", "Terjaminnya mutu makanan tambahan balita sebelum didistribusikan",
        "Kontribusi", "NUTR-PERTAMA",
        [ind("Persentase paket makanan tambahan yang lolos uji organoleptik", "%", "Naik", 95,
             100, Aspek="Kualitas")])
    return m


# --------------------------------------------------------------------------------------
# defects
# --------------------------------------------------------------------------------------
def _find(rows, id_):
    for i, r in enumerate(rows):
        if r.get("ID") == id_:
            return i
    raise KeyError(id_)


def defective_model():
    """The correct model with planted defects; each defective row gets a `_defect` tag.

    Defects are placed on distinct rows, and away from rows where another defect's
    consequences land (e.g. the subtree orphaned by the bad `ID Induk`).
    Only one row is added (at the end of L5), so all other rows keep their Excel row.
    """
    m = correct_model()

    def tag(sheet, idx, text):
        row = m[sheet][idx]
        assert "_defect" not in row, (sheet, idx)
        row["_defect"] = text

    # 1. duplicate ID: a new, otherwise valid L5 node reusing ID SK-04 (appended at the end)
    dup = node(
        "SK-04", "KG-03", "Terlaksananya abatisasi selektif di rumah yang ditemukan jentik",
        "Kontribusi", "EPID-MUDA",
        [ind("Jumlah rumah yang mendapat abatisasi selektif", "rumah", "Naik", 1500,
             [1600, 1700, 1800, 1900, 2000])],
        **{"Kode Subkegiatan": "1.02.02.2.02.0018",
           "Nama Subkegiatan": "Pengelolaan Pelayanan Kesehatan Lingkungan",
           EXTRA_COLUMN: "APBD Kabupaten"},
        **{A(y): v for y, v in zip(YEARS, [60000000, 62000000, 64000000, 66000000, 68000000])})
    first = excel_row(L5, _find(m[L5], "SK-04"))
    m[L5] += dup
    tag(L5, len(m[L5]) - 1, f"duplicate ID 'SK-04' (already used on {L5} row {first})")

    # 2. ID Induk naming a node that does not exist
    i = _find(m[L4], "KG-02")
    m[L4][i]["ID Induk"] = "PR-09"
    tag(L4, i, "KG-02: ID Induk 'PR-09' names no existing node")

    # 3. parent two levels up: L4 node whose parent is an L2 node
    i = _find(m[L4], "KG-04")
    m[L4][i]["ID Induk"] = "PD-02"
    tag(L4, i, "KG-04 (L4): ID Induk 'PD-02' is an L2 node (skips L3)")

    # 4. missing ID on a row with a Sasaran
    i = _find(m[L6], "RHK-09")
    m[L6][i]["ID"] = ""
    tag(L6, i, "row has a Sasaran but no ID (was RHK-09)")

    # 5. target typed as words
    i = _find(m[L3], "PR-01")
    m[L3][i][T(2027)] = "tiga puluh"
    tag(L3, i, "PR-01: Target 2027 is 'tiga puluh' (not a number)")

    # 6. missing target for one year
    i = _find(m[L2], "PD-01")
    m[L2][i][T(2028)] = None
    tag(L2, i, "PD-01: Target 2028 is empty")

    # 7. targets moving against Arah (continuation row of SD-01: AKB, Turun, rises in 2027)
    i = _find(m[L1], "SD-01") + 1
    assert m[L1][i]["Indikator"] == "Angka Kematian Bayi"
    m[L1][i][T(2027)] = 13.9  # 13,5 (2026) -> 13,9 (2027) while Arah = Turun
    tag(L1, i, "SD-01 2nd indicator (Angka Kematian Bayi, Arah Turun): target rises "
               "13,5 (2026) -> 13,9 (2027)")

    # 8. unknown Jenis Cascading
    i = _find(m[L5], "SK-05")
    m[L5][i]["Jenis Cascading"] = "Sebagian"
    tag(L5, i, "SK-05: Jenis Cascading 'Sebagian' is not Langsung/Berbagi/Kontribusi")

    # 9. Pemilik Kinerja not in Jabatan
    i = _find(m[L6], "RHK-07")
    m[L6][i]["Pemilik Kinerja"] = "STAF-GUDANG"
    tag(L6, i, "RHK-07: Pemilik Kinerja 'STAF-GUDANG' is not a Kode Jabatan")

    # 10. sub-activity code not starting with the parent activity's code (KG-04: 1.02.02.2.02)
    i = _find(m[L5], "SK-06")
    m[L5][i]["Kode Subkegiatan"] = "1.02.02.2.01.0020"
    tag(L5, i, "SK-06: Kode Subkegiatan 1.02.02.2.01.0020 does not start with the parent "
               "activity code 1.02.02.2.02")

    # 11. L5 without budget for the Tahun PK
    i = _find(m[L5], "SK-01")
    m[L5][i][A(TAHUN_PK)] = None
    tag(L5, i, "SK-01: no Anggaran 2026 (Tahun PK)")

    # 12. L2 outcome indicator counting activities
    i = _find(m[L2], "PD-02")
    m[L2][i].update(ind("Jumlah kegiatan sosialisasi pencegahan DBD", "kegiatan", "Naik", 10,
                        [12, 12, 14, 14, 16]))
    tag(L2, i, "PD-02 (L2 outcome): indicator 'Jumlah kegiatan sosialisasi pencegahan DBD' "
               "counts activities")

    # 13. Langsung child with a different indicator than its parent (PR-02: ABJ)
    i = _find(m[L4], "KG-03")
    m[L4][i]["Indikator"] = "Persentase rumah bebas jentik"
    tag(L4, i, "KG-03 (Langsung from PR-02): indicator 'Persentase rumah bebas jentik' "
               "differs from the parent's 'Angka Bebas Jentik (ABJ)'")
    return m


def excel_row(sheet, idx):
    """Excel row of model row idx: header on row 1, data from row 2."""
    return idx + 2


def _defects_of(m):
    out = []
    for sheet in LEVEL_SHEETS:
        for idx, r in enumerate(m[sheet]):
            if "_defect" in r:
                out.append((sheet, excel_row(sheet, idx), r["_defect"]))
    return out


DEFECTS = _defects_of(defective_model())

# --------------------------------------------------------------------------------------
# writing
# --------------------------------------------------------------------------------------
MONEY_COLS = {A(y) for y in YEARS}


def _formats(wb):
    f = {}
    f["hdr"] = wb.add_format({"bold": True, "font_color": "#FFFFFF", "bg_color": "#1F6E43",
                              "border": 1, "text_wrap": True, "valign": "vcenter",
                              "align": "center", "font_name": "Calibri", "font_size": 10})
    f["txt"] = wb.add_format({"border": 1, "text_wrap": True, "valign": "top",
                              "font_size": 10})
    f["id"] = wb.add_format({"border": 1, "bold": True, "valign": "vcenter", "align": "center",
                             "font_size": 10, "bg_color": "#E8F3EC"})
    f["merged_txt"] = wb.add_format({"border": 1, "text_wrap": True, "valign": "vcenter",
                                     "font_size": 10, "bg_color": "#E8F3EC"})
    f["num"] = wb.add_format({"border": 1, "num_format": "#,##0.00", "font_size": 10})
    f["int"] = wb.add_format({"border": 1, "num_format": "#,##0", "font_size": 10})
    f["money"] = wb.add_format({"border": 1, "num_format": "\"Rp\" #,##0", "font_size": 10,
                                "font_color": "#0B3D91"})
    f["textnum"] = wb.add_format({"border": 1, "align": "right", "font_size": 10,
                                  "font_color": "#7A4B00"})
    f["extra"] = wb.add_format({"border": 1, "italic": True, "bg_color": "#FFF4CC",
                                "font_size": 10})
    f["title"] = wb.add_format({"bold": True, "font_size": 14, "font_color": "#1F6E43"})
    f["key"] = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    f["val"] = wb.add_format({"border": 1})
    return f


def _write_value(ws, r, c, col, v, fmt, row_cells):
    if v is None or v == "":
        ws.write_blank(r, c, None, fmt["extra"] if col == EXTRA_COLUMN else fmt["txt"])
    elif isinstance(v, Formula):
        ref = xl_rowcol_to_cell(r, row_cells[v.ref])
        ws.write_formula(r, c, v.template.format(ref=ref), fmt["money"], v.value)
    elif isinstance(v, TextNum):
        ws.write_string(r, c, str(v), fmt["textnum"])
    elif isinstance(v, bool):
        raise TypeError(v)
    elif isinstance(v, (int, float)):
        if col in MONEY_COLS:
            f = fmt["money"]
        elif isinstance(v, float) and not float(v).is_integer():
            f = fmt["num"]
        else:
            f = fmt["int"]
        ws.write_number(r, c, v, f)
    else:
        ws.write_string(r, c, str(v), fmt["extra"] if col == EXTRA_COLUMN else fmt["txt"])


def _write_level_sheet(wb, ws, sheet, rows, columns, fmt):
    for c, col in enumerate(columns):
        ws.write_string(0, c, header_label(col, c + LEVEL_SHEETS.index(sheet)), fmt["hdr"])
        width = 40 if col in ("Sasaran", "Indikator", "Nama Program", "Nama Kegiatan",
                              "Nama Subkegiatan") else 16 if col in MONEY_COLS else 13
        ws.set_column(c, c, width)
    ws.set_row(0, 32)
    ws.freeze_panes(1, 0)
    colidx = {col: c for c, col in enumerate(columns)}
    merged_cells = set()
    for idx, row in enumerate(rows):
        r = excel_row(sheet, idx) - 1  # 0-based for XlsxWriter
        if row.get("_blank"):
            continue
        span = row.get("_merge", 1)
        for col in columns:
            c = colidx[col]
            if (r, c) in merged_cells:
                continue
            v = row.get(col)
            if span > 1 and col in ("ID", "Sasaran"):
                f = fmt["id"] if col == "ID" else fmt["merged_txt"]
                ws.merge_range(r, c, r + span - 1, c, v, f)
                for k in range(1, span):
                    merged_cells.add((r + k, c))
                continue
            if col == "ID" and v:
                ws.write_string(r, c, v, fmt["id"])
                continue
            _write_value(ws, r, c, col, v, fmt, colidx)
    if sheet == L6:
        ws.data_validation(1, colidx["Aspek"], 200, colidx["Aspek"],
                           {"validate": "list",
                            "source": ["Kuantitas", "Kualitas", "Waktu", "Biaya"]})
    ws.data_validation(1, colidx["Arah"], 200, colidx["Arah"],
                       {"validate": "list", "source": ["Naik", "Turun"]})


def build_workbook(path, variant="correct"):
    """Write the workbook for `variant`; return the planted defects (empty unless defective)."""
    if variant == "correct":
        model, defects = correct_model(), []
    elif variant == "defective":
        model, defects = defective_model(), list(DEFECTS)
    elif variant == "missing_column":
        model, defects = correct_model(), []
    else:
        raise ValueError(variant)
    columns = copy.deepcopy(COLUMNS)
    if variant == "missing_column":
        columns[L4].remove("Satuan")

    path = Path(path)
    wb = xlsxwriter.Workbook(str(path))
    wb.set_properties({"title": "Pohon Kinerja Dinas Kesehatan Kabupaten Sukamaju 2025-2029",
                       "author": "Subbagian Perencanaan dan Evaluasi Dinas Kesehatan",
                       "company": "Pemerintah Kabupaten Sukamaju"})
    fmt = _formats(wb)
    sheets = {name: wb.add_worksheet(name) for name in SHEET_ORDER}

    # Jabatan
    ws = sheets[S_JAB]
    for c, col in enumerate(JABATAN_COLUMNS):
        ws.write_string(0, c, header_label(col, c + 2), fmt["hdr"])
        ws.set_column(c, c, 34 if col in ("Nama Jabatan", "Unit Kerja", "Nama Pemangku") else 20)
    ws.freeze_panes(1, 0)
    keys = ["Kode Jabatan", "Nama Jabatan", "Jenis Jabatan", "Kode Jabatan Atasan",
            "Unit Kerja", "Nama Pemangku", "NIP Pemangku"]
    for i, j in enumerate(JABATAN):
        rec = dict(zip(keys, (j[0], j[1], j[2], j[3], j[4], j[5], j[6])))
        for c, col in enumerate(JABATAN_COLUMNS):
            v = rec[col]
            if v:
                ws.write_string(i + 1, c, v, fmt["txt"])  # NIP as text (18 digits)
            else:
                ws.write_blank(i + 1, c, None, fmt["txt"])

    # level sheets
    for sheet in LEVEL_SHEETS:
        _write_level_sheet(wb, sheets[sheet], sheet, model[sheet], columns[sheet], fmt)

    # our own extra sheet
    ws = sheets[EXTRA_SHEET]
    ws.set_tab_color("#FFC000")
    ws.write_string(0, 0, "Catatan penyusun (bukan bagian dari kontrak)", fmt["title"])
    notes = [
        ("Tanggal", "12 Januari 2026"),
        ("Sumber data", "Profil Kesehatan Kabupaten Sukamaju 2024; e-PPGBM; SKDR"),
        ("Rapat pembahasan", "Forum Perangkat Daerah, 8 Januari 2026"),
        ("Catatan", "Target ABJ mengikuti Renstra Kemenkes; CFR DBD diselaraskan dengan RPJMD"),
    ]
    for i, (k, v) in enumerate(notes):
        ws.write_string(i + 2, 0, k, fmt["key"])
        ws.write_string(i + 2, 1, v, fmt["val"])
    ws.write_string(7, 0, "Jumlah pagu 2026 (Rp)", fmt["key"])
    ws.write_number(7, 1, 2955000000, fmt["money"])
    ws.set_column(0, 0, 24)
    ws.set_column(1, 1, 80)

    # Identitas, last
    ws = sheets[S_ID]
    for i, (k, v) in enumerate(IDENTITAS):
        ws.write_string(i, 0, k, fmt["key"])
        if isinstance(v, int):
            ws.write_number(i, 1, v, fmt["val"])
        else:
            ws.write_string(i, 1, v, fmt["val"])
    ws.set_column(0, 0, 26)
    ws.set_column(1, 1, 62)
    sheets[L1].activate()
    wb.close()
    return defects


def build_all(outdir):
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    paths = {}
    for variant in ("correct", "defective", "missing_column"):
        p = outdir / f"sukamaju_dinkes_{variant}.xlsx"
        build_workbook(p, variant)
        paths[variant] = p
    return paths


if __name__ == "__main__":
    out = build_all(sys.argv[1] if len(sys.argv) > 1 else "out_contract")
    for k, v in out.items():
        print(k, v)
    for d in DEFECTS:
        print(d)
