"""The two worked examples of the seeds, as data, filled into the template.

* ``examples/Pohon_Kinerja_Kemacetan.xlsx`` — seed 002: "Menurunnya kemacetan" for Pemerintah
  Kota Contoh, cascaded through Dinas Perhubungan and Dinas PUPR down to sub-activities with
  budgets and the RHK of staff.
* ``examples/Pohon_Kinerja_Pariwisata.xlsx`` — seed 001: "Meningkatnya industri pariwisata"
  across six offices with the seed's targets and budgets (for the PK year 2026), and the SOP
  tasks of "Pelatihan usaha baru" as the RHK of Staf A, B and C.

Both are written with :func:`pohon_xl.excel.template.new_workbook`, so they carry the template's
dropdowns, prompts and formats. Regenerate with ``python -m pohon_xl.excel.template``.

Nomenclature: programme, activity and sub-activity codes and names follow the Kepmendagri
nomenclature as updated since 2021 (4-digit sub-activity codes, kab/kota digit ``2``); every
code below appears in the newer public list of ``shared/reference`` (where it is spelled with
``02`` for the kab/kota digit). No list is shipped with the package.

L5 budget totals per office (Rupiah; checked by ``tests/test_examples.py``)::

    Kemacetan                 2025           2026           2027           2028           2029
    Dinas Perhubungan    5.320.000.000  5.955.000.000  6.400.000.000  6.855.000.000  7.275.000.000
    Dinas PUPR          33.350.000.000 38.220.000.000 41.830.000.000 43.240.000.000 46.375.000.000
    Jumlah              38.670.000.000 44.175.000.000 48.230.000.000 50.095.000.000 53.650.000.000

    Pariwisata                2025           2026           2027           2028           2029
    Satpol PP            3.750.000.000  4.000.000.000  4.150.000.000  4.300.000.000  4.450.000.000
    Dinas Koperasi UKM   1.800.000.000  2.000.000.000  2.100.000.000  2.200.000.000  2.300.000.000
    Dinas Pariwisata     2.650.000.000  3.000.000.000  3.100.000.000  3.450.000.000  3.550.000.000
    Dinas Perhubungan    1.380.000.000  1.500.000.000  1.590.000.000  1.680.000.000  1.770.000.000
    Dinas PUPR           2.050.000.000  2.300.000.000  2.400.000.000  2.600.000.000  2.700.000.000
    Dinas LH               820.000.000    900.000.000    960.000.000  1.020.000.000  1.080.000.000
    Jumlah              12.450.000.000 13.700.000.000 14.300.000.000 15.250.000.000 15.850.000.000
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook

from pohon_xl.excel.template import REPO_ROOT, new_workbook, save_workbook, write_rows
from pohon_xl.model import contract as C

__all__ = [
    "EXAMPLES",
    "EXAMPLES_DIR",
    "KEMACETAN",
    "PARIWISATA",
    "PARIWISATA_PAGU_PK",
    "Example",
    "Indicator",
    "Node",
    "Position",
    "budget_totals",
    "build_example",
    "office_of",
    "targets_by_year",
    "write_examples",
]

EXAMPLES_DIR = REPO_ROOT / "examples"
NAIK, TURUN = C.ARAH_NAIK, C.ARAH_TURUN
LANGSUNG, BERBAGI, KONTRIBUSI = C.LANGSUNG, C.BERBAGI, C.KONTRIBUSI


@dataclass(frozen=True)
class Indicator:
    """One indicator row. ``targets`` is one value per plan year, or {year: value} (L6)."""

    name: str
    unit: str
    arah: str
    baseline: float | None
    targets: tuple[float, ...] | Mapping[int, float]
    aspek: str = ""


@dataclass(frozen=True)
class Node:
    """A node of the tree: its first row carries everything, further indicators follow."""

    id: str
    parent: str
    sasaran: str
    owner: str
    indicators: tuple[Indicator, ...]
    cascading: str = ""
    code: str = ""
    code_name: str = ""
    budgets: tuple[int, ...] = ()  # L5: one per plan year
    collaborators: str = ""
    note: str = ""


@dataclass(frozen=True)
class Position:
    code: str
    name: str
    kind: str
    unit: str
    superior: str
    nip: str
    holder: str


@dataclass(frozen=True)
class Example:
    filename: str
    identity: Mapping[str, object]
    positions: tuple[Position, ...]
    levels: Mapping[int, tuple[Node, ...]]  # level number -> nodes, in sheet order
    start_year: int = 2025
    end_year: int = 2029
    pk_year: int = 2026
    years: range = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "years", range(self.start_year, self.end_year + 1))

    def nodes(self) -> Iterator[tuple[int, Node]]:
        for level, nodes in sorted(self.levels.items()):
            for node in nodes:
                yield level, node


def ind(name: str, unit: str, arah: str, baseline: float | None,
        targets: tuple[float, ...] | Mapping[int, float], aspek: str = "") -> Indicator:
    return Indicator(name, unit, arah, baseline, targets, aspek)


def same(node: Node, index: int = 0) -> Indicator:
    """Langsung: the parent's indicator, unchanged (name, unit, direction, baseline, targets)."""
    return node.indicators[index]


def rhk(name: str, unit: str, target: float, aspek: str, arah: str = NAIK,
        year: int = 2026) -> Indicator:
    """An L6 indicator: only the PK year's target."""
    return Indicator(name, unit, arah, None, {year: target}, aspek)


# ============================================================================================
# Example 1 — seed 002: Menurunnya kemacetan (Pemerintah Kota Contoh)
# ============================================================================================
_WALIKOTA = Position("WALIKOTA", "Wali Kota Contoh", C.KEPALA_DAERAH, "Pemerintah Kota Contoh",
                     "", "", "Dr. H. Arief Rahman, S.E., M.Si.")
_DISHUB = "Dinas Perhubungan"
_PUPR = "Dinas Pekerjaan Umum dan Penataan Ruang"
_KEMACETAN_POSITIONS = (
    _WALIKOTA,
    Position("DISHUB-01", "Kepala Dinas Perhubungan", "JPT", _DISHUB, "WALIKOTA",
             "197203151998031004", "Ir. Bambang Wicaksono, M.T."),
    Position("DISHUB-LL", "Kepala Bidang Lalu Lintas", "Administrator",
             f"{_DISHUB} — Bidang Lalu Lintas", "DISHUB-01", "197811202003121002",
             "Dedi Kurniawan, S.T., M.M."),
    Position("DISHUB-AP", "Kepala Bidang Angkutan dan Perparkiran", "Administrator",
             f"{_DISHUB} — Bidang Angkutan dan Perparkiran", "DISHUB-01", "198004122005012008",
             "Sri Wahyuni, S.E., M.Si."),
    Position("DISHUB-MRLL", "Kepala Seksi Manajemen dan Rekayasa Lalu Lintas", "Pengawas",
             f"{_DISHUB} — Bidang Lalu Lintas", "DISHUB-LL", "198507182010011015",
             "Andi Saputra, S.T."),
    Position("DISHUB-PJ", "Kepala Seksi Perlengkapan Jalan", "Pengawas",
             f"{_DISHUB} — Bidang Lalu Lintas", "DISHUB-LL", "198303052009031006",
             "Rudi Hartono, S.T."),
    Position("DISHUB-AK", "Analis Kebijakan Ahli Muda", "Fungsional",
             f"{_DISHUB} — Bidang Lalu Lintas", "DISHUB-LL", "198605252010012019",
             "Ratna Dewi, S.E., M.P.P."),
    Position("DISHUB-PKR", "Kepala Seksi Perparkiran", "Pengawas",
             f"{_DISHUB} — Bidang Angkutan dan Perparkiran", "DISHUB-AP", "198809092011012011",
             "Yuliana Putri, S.H."),
    Position("DISHUB-ANG", "Kepala Seksi Angkutan Orang", "Pengawas",
             f"{_DISHUB} — Bidang Angkutan dan Perparkiran", "DISHUB-AP", "198201302008011009",
             "Hendra Gunawan, S.Sos."),
    Position("DISHUB-MRLL-1", "Pengelola Layanan Operasional", "Pelaksana",
             f"{_DISHUB} — Seksi Manajemen dan Rekayasa Lalu Lintas", "DISHUB-MRLL",
             "199203142019031007", "Fajar Nugroho, A.Md."),
    Position("DISHUB-MRLL-2", "Penata Layanan Operasional", "Pelaksana",
             f"{_DISHUB} — Seksi Manajemen dan Rekayasa Lalu Lintas", "DISHUB-MRLL",
             "199407222020122014", "Intan Permatasari, S.Kom."),
    Position("DISHUB-PJ-1", "Operator Layanan Operasional", "Pelaksana",
             f"{_DISHUB} — Seksi Perlengkapan Jalan", "DISHUB-PJ", "199010102014061003",
             "Agus Setiawan"),
    Position("DISHUB-PKR-1", "Pengelola Layanan Operasional", "Pelaksana",
             f"{_DISHUB} — Seksi Perparkiran", "DISHUB-PKR", "199512052022031005",
             "Muhammad Rizky"),
    Position("PUPR-01", "Kepala Dinas Pekerjaan Umum dan Penataan Ruang", "JPT", _PUPR,
             "WALIKOTA", "197006091997031003", "Ir. Hadi Susanto, M.T."),
    Position("PUPR-BM", "Kepala Bidang Bina Marga", "Administrator",
             f"{_PUPR} — Bidang Bina Marga", "PUPR-01", "197909172005011004",
             "Wahyu Prasetyo, S.T., M.T."),
    Position("PUPR-PJJ", "Kepala Seksi Pemeliharaan Jalan dan Jembatan", "Pengawas",
             f"{_PUPR} — Bidang Bina Marga", "PUPR-BM", "198411262009022005",
             "Dian Lestari, S.T."),
    Position("PUPR-PBJ", "Kepala Seksi Pembangunan Jalan dan Jembatan", "Pengawas",
             f"{_PUPR} — Bidang Bina Marga", "PUPR-BM", "198102282006041008",
             "Eko Prabowo, S.T."),
    Position("PUPR-JFT", "Teknik Jalan dan Jembatan Ahli Pertama", "Fungsional",
             f"{_PUPR} — Seksi Pemeliharaan Jalan dan Jembatan", "PUPR-PJJ",
             "199306112019032016", "Nurul Hidayah, S.T."),
    Position("PUPR-PJJ-1", "Pengelola Layanan Operasional", "Pelaksana",
             f"{_PUPR} — Seksi Pemeliharaan Jalan dan Jembatan", "PUPR-PJJ",
             "198808082014021002", "Slamet Riyadi"),
    Position("PUPR-PBJ-1", "Penata Layanan Operasional", "Pelaksana",
             f"{_PUPR} — Seksi Pembangunan Jalan dan Jembatan", "PUPR-PBJ",
             "199601172022031004", "Bayu Aji Pratama, S.T."),
)

# Programme / activity nomenclature used below.
P_LLAJ = ("2.15.02", "PROGRAM PENYELENGGARAAN LALU LINTAS DAN ANGKUTAN JALAN (LLAJ)")
P_JALAN = ("1.03.10", "PROGRAM PENYELENGGARAAN JALAN")
K_RENCANA_INDUK = ("2.15.02.2.01", "Penetapan Rencana Induk Jaringan LLAJ Kabupaten/Kota")
K_PERLENGKAPAN = ("2.15.02.2.02", "Penyediaan Perlengkapan Jalan di Jalan Kabupaten/Kota")
K_PARKIR = ("2.15.02.2.04", "Penerbitan Izin Penyelenggaraan dan Pembangunan Fasilitas Parkir")
K_PKB = ("2.15.02.2.05", "Pengujian Berkala Kendaraan Bermotor")
K_MRLL = ("2.15.02.2.06",
          "Pelaksanaan Manajemen dan Rekayasa Lalu Lintas untuk Jaringan Jalan Kabupaten/Kota")
K_ANDALALIN = ("2.15.02.2.07", "Persetujuan Hasil Analisis Dampak Lalu Lintas (Andalalin) "
               "untuk Jalan Kabupaten/Kota")
K_ANGKUTAN = ("2.15.02.2.09", "Penyediaan Angkutan Umum untuk Jasa Angkutan Orang dan/atau "
              "Barang Antar Kota dalam 1 (Satu) Daerah Kabupaten/Kota")
K_TRAYEK = ("2.15.02.2.11", "Penetapan Rencana Umum Jaringan Trayek Perkotaan Dalam 1 (Satu) "
            "Daerah Kabupaten/Kota")
K_JALAN = ("1.03.10.2.01", "Penyelenggaraan Jalan Kabupaten/Kota")

# --- L1 -------------------------------------------------------------------------------------
_KM_L1 = (
    Node("L1-01", "", "Menurunnya kemacetan", "WALIKOTA", (
        ind("Level of Service (rasio volume/kapasitas) ruas jalan utama", "Indeks", TURUN, 0.92,
            (0.90, 0.87, 0.84, 0.81, 0.78)),
        ind("Kecepatan rata-rata kendaraan pada jam sibuk di ruas jalan utama", "km/jam", NAIK,
            18.5, (19.0, 20.0, 21.5, 23.0, 24.5)),
    ), note="Isu strategis RPJMD: kemacetan pada koridor utama (LoS E–F). LoS diukur sebagai "
         "rasio volume/kapasitas (V/C); makin kecil makin lancar. Sumber data: survei lalu "
         "lintas tahunan Dinas Perhubungan."),
)

# --- L2: Renstra sasaran of Dinas Perhubungan and Dinas PUPR (the CSFs of seed 002) ---------
_KM_L2 = (
    Node("L2-01", "L1-01", "Meningkatnya kapasitas jalan", "DISHUB-01", (
        ind("Kapasitas efektif ruas jalan utama", "smp/jam", NAIK, 2850,
            (2900, 2980, 3060, 3150, 3250)),
    ), KONTRIBUSI, collaborators="PUPR-01",
        note="CSF over kapasitas jalan; lintas perangkat daerah dengan Dinas PUPR."),
    Node("L2-02", "L1-01", "Menurunnya pelanggaran berlalu lintas", "DISHUB-01", (
        ind("Jumlah pelanggaran lalu lintas yang tercatat", "kasus", TURUN, 12400,
            (11800, 11000, 10200, 9500, 8800)),
        ind("Angka kecelakaan lalu lintas per 10.000 kendaraan", "kejadian", TURUN, 6.8,
            (6.5, 6.1, 5.8, 5.4, 5.0)),
    ), KONTRIBUSI, note="Data tilang dan kecelakaan bersama Satlantas Polres Kota Contoh."),
    Node("L2-03", "L1-01", "Berkurangnya parkir liar", "DISHUB-01", (
        ind("Jumlah titik parkir liar di ruas jalan utama", "titik", TURUN, 85,
            (78, 70, 60, 50, 40)),
    ), KONTRIBUSI),
    Node("L2-04", "L1-01", "Meningkatnya kualitas permukaan jalan", "PUPR-01", (
        ind("Persentase panjang jalan kota dalam kondisi mantap", "%", NAIK, 72.5,
            (75.0, 78.0, 81.0, 84.0, 87.5)),
        ind("Persentase jembatan dalam kondisi baik", "%", NAIK, 80.0,
            (82.5, 85.0, 87.5, 90.0, 92.5)),
    ), KONTRIBUSI),
    Node("L2-05", "L1-01", "Bertambahnya panjang dan lajur jalan kota", "PUPR-01", (
        ind("Panjang jalan kota yang memenuhi standar lebar lajur", "km", NAIK, 214.3,
            (216.8, 219.8, 223.1, 226.4, 229.9)),
    ), KONTRIBUSI, collaborators="DISHUB-01"),
)

# --- L3: Sasaran Program ------------------------------------------------------------------------
_KM_L3 = (
    Node("L3-01", "L2-01", "Menurunnya volume kendaraan pada ruas jalan utama di jam sibuk",
         "DISHUB-LL", (
             ind("Rata-rata volume kendaraan pada jam sibuk di ruas jalan utama", "smp/jam",
                 TURUN, 3100, (3050, 2980, 2900, 2820, 2750)),
         ), KONTRIBUSI, *P_LLAJ),
    Node("L3-02", "L2-01", "Meningkatnya penggunaan angkutan umum perkotaan", "DISHUB-AP", (
        ind("Persentase perjalanan harian yang menggunakan angkutan umum", "%", NAIK, 8.5,
            (9.0, 10.0, 11.5, 13.0, 15.0)),
    ), KONTRIBUSI, *P_LLAJ),
    Node("L3-03", "L2-02", "Meningkatnya kepatuhan pengguna jalan terhadap rambu dan marka",
         "DISHUB-LL", (
             ind("Persentase pengguna jalan yang patuh pada rambu di titik pengamatan", "%",
                 NAIK, 68.0, (70.5, 73.0, 76.0, 79.0, 82.0)),
         ), KONTRIBUSI, *P_LLAJ),
    Node("L3-04", "L2-03", "Meningkatnya ketertiban perparkiran di ruas jalan utama",
         "DISHUB-AP", (
             ind("Persentase ruas jalan utama yang bebas parkir liar", "%", NAIK, 55.0,
                 (60.0, 65.0, 72.0, 78.0, 85.0)),
             ind("Persentase fasilitas parkir yang beroperasi sesuai izin", "%", NAIK, 62.5,
                 (65.0, 70.0, 75.0, 80.0, 85.0)),
         ), KONTRIBUSI, *P_LLAJ),
    Node("L3-05", "L2-04", "Meningkatnya kondisi jalan kota yang mantap", "PUPR-BM", (
        same(_KM_L2[3]),
    ), LANGSUNG, *P_JALAN, note="Cascading langsung: indikator dan target sama dengan L2-04."),
    Node("L3-06", "L2-05", "Meningkatnya kapasitas ruas jalan rawan kemacetan", "PUPR-BM", (
        ind("Persentase ruas jalan rawan kemacetan yang memenuhi standar lebar lajur", "%",
            NAIK, 40.0, (45.0, 52.0, 60.0, 68.0, 75.0)),
    ), KONTRIBUSI, *P_JALAN),
)

# --- L4: Sasaran Kegiatan -----------------------------------------------------------------------
_KM_L4 = (
    Node("L4-01", "L3-01", "Terlaksananya rekayasa lalu lintas ganjil-genap yang efektif",
         "DISHUB-MRLL", (
             ind("Persentase penurunan volume kendaraan di koridor ganjil-genap", "%", NAIK, 0,
                 (5.0, 8.0, 10.0, 12.0, 15.0)),
             ind("Persentase simpang utama dengan pengaturan APILL terkoordinasi (ATCS)", "%",
                 NAIK, 35.0, (40.0, 50.0, 60.0, 70.0, 80.0)),
         ), KONTRIBUSI, *K_MRLL),
    Node("L4-02", "L3-01",
         "Tersedianya arah penataan jaringan lalu lintas sesuai rencana induk jaringan LLAJ",
         "DISHUB-AK", (
             ind("Persentase ruas jalan utama yang penataannya sesuai rencana induk jaringan "
                 "LLAJ", "%", NAIK, 30.0, (40.0, 50.0, 60.0, 70.0, 80.0)),
         ), KONTRIBUSI, *K_RENCANA_INDUK),
    Node("L4-03", "L3-01", "Terkendalinya dampak lalu lintas dari pembangunan pusat kegiatan "
         "baru", "DISHUB-MRLL", (
             ind("Persentase rekomendasi teknis Andalalin yang dilaksanakan pengembang", "%",
                 NAIK, 60.0, (65.0, 70.0, 75.0, 80.0, 85.0)),
         ), KONTRIBUSI, *K_ANDALALIN),
    Node("L4-04", "L3-02", "Meningkatnya keandalan layanan angkutan umum pada trayek perkotaan",
         "DISHUB-ANG", (
             ind("Persentase trayek perkotaan yang beroperasi sesuai rencana umum jaringan "
                 "trayek", "%", NAIK, 70.0, (75.0, 80.0, 85.0, 90.0, 95.0)),
         ), KONTRIBUSI, *K_TRAYEK),
    Node("L4-05", "L3-03", "Tersedianya perlengkapan jalan yang memadai di titik rawan "
         "pelanggaran", "DISHUB-PJ", (
             ind("Persentase titik rawan pelanggaran yang dilengkapi rambu, marka dan APILL "
                 "sesuai standar", "%", NAIK, 45.0, (52.5, 60.0, 70.0, 80.0, 90.0)),
         ), KONTRIBUSI, *K_PERLENGKAPAN),
    Node("L4-06", "L3-03", "Meningkatnya pemahaman masyarakat tentang peraturan lalu lintas",
         "DISHUB-MRLL", (
             ind("Persentase responden survei yang memahami rambu dan marka lalu lintas", "%",
                 NAIK, 55.0, (60.0, 65.0, 70.0, 75.0, 80.0)),
         ), KONTRIBUSI, *K_MRLL),
    Node("L4-07", "L3-04", "Meningkatnya kepatuhan penyelenggara parkir terhadap izin dan "
         "standar", "DISHUB-PKR", (
             ind("Persentase penyelenggara parkir yang mematuhi ketentuan izin", "%", NAIK,
                 60.0, (65.0, 70.0, 75.0, 80.0, 85.0)),
         ), KONTRIBUSI, *K_PARKIR),
    Node("L4-08", "L3-05", "Terlaksananya pemeliharaan jalan dan jembatan sesuai standar",
         "PUPR-PJJ", (
             ind("Panjang jalan kota yang ditangani pemeliharaan", "km", NAIK, 43.0,
                 (45.0, 48.5, 52.0, 55.5, 60.0)),
             ind("Persentase pengaduan jalan rusak yang ditangani sesuai SPM", "%", NAIK, 70.0,
                 (80.0, 85.0, 90.0, 95.0, 100.0)),
         ), KONTRIBUSI, *K_JALAN),
    Node("L4-09", "L3-06", "Terlaksananya pelebaran dan pembangunan jalan pada ruas rawan "
         "kemacetan", "PUPR-PBJ", (
             ind("Panjang ruas rawan kemacetan yang dilebarkan atau dibangun", "km", NAIK, 2.0,
                 (2.5, 3.0, 3.3, 3.3, 3.5)),
         ), KONTRIBUSI, *K_JALAN),
)

# --- L5: Sasaran Subkegiatan with budgets 2025..2029 -------------------------------------------
_KM_L5 = (
    # Dinas Perhubungan
    Node("L5-01", "L4-01", "Terlaksananya penataan manajemen dan rekayasa lalu lintas "
         "ganjil-genap", "DISHUB-MRLL", (
             ind("Jumlah koridor yang diterapkan rekayasa lalu lintas ganjil-genap", "koridor",
                 NAIK, 0, (2, 3, 4, 5, 6)),
             ind("Jumlah simpang yang dioptimalkan pengaturan waktu APILL-nya", "simpang", NAIK,
                 12, (16, 20, 25, 30, 35)),
         ), KONTRIBUSI, "2.15.02.2.06.0017",
         "Penataan Manajemen dan Rekayasa Lalu Lintas untuk Jaringan Jalan Kabupaten/Kota",
         (1_250_000_000, 1_475_000_000, 1_600_000_000, 1_725_000_000, 1_850_000_000)),
    Node("L5-02", "L4-01", "Terlaksananya pengawasan efektivitas kebijakan ganjil-genap",
         "DISHUB-MRLL", (
             ind("Jumlah laporan evaluasi efektivitas kebijakan lalu lintas", "laporan", NAIK, 2,
                 (4, 4, 4, 4, 4)),
         ), KONTRIBUSI, "2.15.02.2.06.0004",
         "Pengawasan dan Pengendalian Efektivitas Pelaksanaan Kebijakan untuk Jalan "
         "Kabupaten/Kota",
         (325_000_000, 350_000_000, 365_000_000, 380_000_000, 400_000_000)),
    Node("L5-03", "L4-02", "Tersedianya rencana induk jaringan LLAJ kota yang mutakhir",
         "DISHUB-AK", (
             ind("Jumlah dokumen rencana induk jaringan LLAJ yang disusun atau dimutakhirkan",
                 "dokumen", NAIK, 0, (1, 1, 1, 1, 1)),
             ind("Jumlah laporan evaluasi pelaksanaan rencana induk jaringan LLAJ", "laporan",
                 NAIK, 1, (2, 2, 2, 2, 2)),
         ), KONTRIBUSI, "2.15.02.2.01.0001",
         "Pelaksanaan Penyusunan Rencana Induk Jaringan LLAJ Kabupaten/Kota",
        (275_000_000, 300_000_000, 310_000_000, 325_000_000, 340_000_000)),
    Node("L5-04", "L4-03", "Terlaksananya pengawasan pelaksanaan rekomendasi teknis Andalalin",
         "DISHUB-MRLL", (
             ind("Jumlah pusat kegiatan yang diawasi pelaksanaan rekomendasi Andalalin",
                 "lokasi", NAIK, 15, (20, 24, 28, 32, 36)),
         ), KONTRIBUSI, "2.15.02.2.07.0006",
         "Pengawasan Pelaksanaan Rekomendasi Persetujuan Teknis Andalalin",
         (180_000_000, 210_000_000, 225_000_000, 240_000_000, 260_000_000)),
    Node("L5-05", "L4-04", "Terlaksananya pengendalian operasional trayek angkutan perkotaan",
         "DISHUB-ANG", (same(_KM_L4[3]),), LANGSUNG, "2.15.02.2.11.0003",
         "Pengendalian Pelaksanaan Rencana Umum Jaringan Trayek Perkotaan dalam 1 (Satu) "
         "Daerah Kabupaten/Kota",
         (420_000_000, 450_000_000, 475_000_000, 500_000_000, 525_000_000),
         note="Cascading langsung: indikator dan target sama dengan L4-04."),
    Node("L5-06", "L4-05", "Tersedianya rambu, marka dan APILL di titik rawan pelanggaran",
         "DISHUB-PJ", (
             ind("Jumlah rambu lalu lintas yang terpasang", "unit", NAIK, 120,
                 (150, 180, 200, 220, 240)),
             ind("Panjang marka jalan yang terpasang", "m", NAIK, 4000,
                 (4500, 5000, 5500, 6000, 6500)),
         ), KONTRIBUSI, "2.15.02.2.02.0002",
         "Penyediaan Perlengkapan Jalan di Jalan Kabupaten/Kota",
         (1_450_000_000, 1_600_000_000, 1_750_000_000, 1_900_000_000, 2_000_000_000)),
    Node("L5-07", "L4-05", "Terlaksananya pemeliharaan perlengkapan jalan agar tetap berfungsi",
         "DISHUB-PJ", (
             ind("Persentase perlengkapan jalan dalam kondisi berfungsi baik", "%", NAIK, 78.0,
                 (80.5, 85.0, 88.0, 91.0, 95.0)),
         ), KONTRIBUSI, "2.15.02.2.02.0004", "Rehabilitasi dan Pemeliharaan Perlengkapan Jalan",
         (650_000_000, 700_000_000, 750_000_000, 800_000_000, 850_000_000)),
    Node("L5-08", "L4-06", "Terlaksananya sosialisasi peraturan lalu lintas di sekolah, kampus "
         "dan media sosial", "DISHUB-MRLL", (
             ind("Jumlah sekolah dan perguruan tinggi yang mendapat sosialisasi peraturan lalu "
                 "lintas", "lembaga", NAIK, 20, (30, 40, 50, 60, 70)),
             ind("Jangkauan konten sosialisasi lalu lintas di media sosial", "ribu akun", NAIK,
                 120.5, (150.0, 200.0, 260.0, 320.0, 400.0)),
         ), KONTRIBUSI, "2.15.02.2.06.0015",
         "Forum Lalu Lintas dan Angkutan Jalan untuk Jaringan Jalan Kabupaten/Kota",
         (240_000_000, 285_000_000, 300_000_000, 320_000_000, 340_000_000)),
    Node("L5-09", "L4-07", "Terlaksananya pengawasan dan penertiban parkir liar", "DISHUB-PKR", (
        ind("Jumlah operasi pengawasan dan penertiban parkir", "kali", NAIK, 36,
            (48, 60, 72, 84, 96)),
    ), KONTRIBUSI, "2.15.02.2.04.0002",
        "Koordinasi dan Sinkronisasi Pengawasan Pelaksanaan Izin Penyelenggaraan dan "
        "Pembangunan Fasilitas Parkir Kewenangan Kabupaten/Kota",
        (380_000_000, 420_000_000, 450_000_000, 480_000_000, 510_000_000)),
    Node("L5-10", "L4-07", "Tersedianya fasilitas parkir berizin di kawasan rawan parkir liar",
         "DISHUB-PKR", (
             ind("Jumlah fasilitas parkir yang difasilitasi perizinannya", "lokasi", NAIK, 8,
                 (10, 12, 14, 16, 18)),
         ), KONTRIBUSI, "2.15.02.2.04.0001",
         "Fasilitasi Pemenuhan Persyaratan Perolehan Izin Penyelenggaraan dan Pembangunan "
         "Fasilitas Parkir Kewenangan Kabupaten/Kota dalam Sistem Pelayanan Perizinan Berusaha "
         "Terintegrasi Secara Elektronik",
         (150_000_000, 165_000_000, 175_000_000, 185_000_000, 200_000_000)),
    # Dinas PUPR: three sub-activities share L4-08's road length (Berbagi; parts sum to it)
    Node("L5-11", "L4-08", "Terlaksananya pemeliharaan berkala jalan kota", "PUPR-PJJ", (
        ind("Panjang jalan kota yang ditangani pemeliharaan", "km", NAIK, 19.0,
            (20.0, 22.0, 24.0, 26.0, 27.0)),
    ), BERBAGI, "1.03.10.2.01.0034", "Pemeliharaan Berkala Jalan",
        (6_500_000_000, 7_150_000_000, 7_800_000_000, 8_450_000_000, 8_775_000_000)),
    Node("L5-12", "L4-08", "Terlaksananya rehabilitasi ruas jalan rusak", "PUPR-JFT", (
        ind("Panjang jalan kota yang ditangani pemeliharaan", "km", NAIK, 9.0,
            (10.0, 11.5, 13.0, 14.5, 15.0)),
    ), BERBAGI, "1.03.10.2.01.0044", "Rehabilitasi Jalan",
        (4_000_000_000, 4_600_000_000, 5_200_000_000, 5_800_000_000, 6_000_000_000)),
    Node("L5-13", "L4-08", "Terlaksananya pemeliharaan rutin jalan dan penanganan cepat aduan "
         "jalan rusak", "PUPR-PJJ", (
             ind("Panjang jalan kota yang ditangani pemeliharaan", "km", NAIK, 15.0,
                 (15.0, 15.0, 15.0, 15.0, 18.0)),
         ), BERBAGI, "1.03.10.2.01.0046", "Pemeliharaan Rutin Jalan",
         (2_100_000_000, 2_250_000_000, 2_350_000_000, 2_450_000_000, 2_600_000_000)),
    Node("L5-14", "L4-08", "Terlaksananya pemeliharaan rutin jembatan kota", "PUPR-PJJ", (
        ind("Jumlah jembatan yang dipelihara rutin", "buah", NAIK, 18, (20, 22, 24, 26, 28)),
    ), KONTRIBUSI, "1.03.10.2.01.0038", "Pemeliharaan Rutin Jembatan",
        (750_000_000, 820_000_000, 880_000_000, 940_000_000, 1_000_000_000)),
    Node("L5-15", "L4-09", "Terbangunnya jalan baru penghubung untuk mengurai ruas rawan "
         "kemacetan", "PUPR-PBJ", (
             ind("Panjang jalan baru yang terbangun", "km", NAIK, 0.8, (1.0, 1.2, 1.3, 1.3, 1.5)),
         ), KONTRIBUSI, "1.03.10.2.01.0032", "Pembangunan Jalan",
         (12_500_000_000, 14_400_000_000, 15_600_000_000, 15_600_000_000, 18_000_000_000)),
    Node("L5-16", "L4-09", "Terlaksananya pelebaran jalan melalui rekonstruksi pada ruas rawan "
         "kemacetan", "PUPR-PBJ", (
             ind("Panjang ruas jalan yang dilebarkan melalui rekonstruksi", "km", NAIK, 1.2,
                 (1.5, 1.8, 2.0, 2.0, 2.0)),
         ), KONTRIBUSI, "1.03.10.2.01.0033", "Rekonstruksi Jalan",
         (7_500_000_000, 9_000_000_000, 10_000_000_000, 10_000_000_000, 10_000_000_000)),
)

# --- L6: RHK of staff (each under an L5 owned by the employee's direct superior) --------------
_KM_L6 = (
    Node("L6-01", "L5-01", "Tersedianya data volume lalu lintas pada koridor ganjil-genap",
         "DISHUB-MRLL-1", (
             rhk("Jumlah laporan survei volume lalu lintas koridor ganjil-genap", "laporan", 12,
                 "Kuantitas"),
             rhk("Laporan survei disampaikan setiap bulan tepat waktu", "bulan", 12, "Waktu"),
         ), KONTRIBUSI),
    Node("L6-02", "L5-02", "Tersusunnya bahan evaluasi efektivitas kebijakan ganjil-genap",
         "DISHUB-MRLL-2", (
             rhk("Jumlah bahan evaluasi yang disusun", "dokumen", 4, "Kuantitas"),
             rhk("Persentase bahan evaluasi yang diterima atasan tanpa revisi mayor", "%", 90,
                 "Kualitas"),
         ), KONTRIBUSI),
    Node("L6-03", "L5-08", "Terlaksananya sosialisasi peraturan lalu lintas di sekolah dan "
         "kampus", "DISHUB-MRLL-2", (
             rhk("Jumlah sekolah dan kampus yang disosialisasi", "lembaga", 40, "Kuantitas"),
             rhk("Persentase peserta yang lulus post-test pemahaman rambu", "%", 80, "Kualitas"),
         ), KONTRIBUSI),
    Node("L6-04", "L5-06", "Terpasangnya rambu lalu lintas sesuai rencana penempatan",
         "DISHUB-PJ-1", (
             rhk("Jumlah rambu yang dipasang", "unit", 180, "Kuantitas"),
             rhk("Waktu penyelesaian pemasangan rambu", "bulan", 10, "Waktu", TURUN),
         ), KONTRIBUSI),
    Node("L6-05", "L5-09", "Terlaksananya operasi penertiban parkir liar", "DISHUB-PKR-1", (
        rhk("Jumlah operasi penertiban yang dilaksanakan", "kali", 60, "Kuantitas"),
        rhk("Persentase berita acara penertiban yang lengkap", "%", 100, "Kualitas"),
    ), KONTRIBUSI),
    Node("L6-06", "L5-11", "Tersedianya desain teknis dan pengawasan mutu pemeliharaan berkala "
         "jalan", "PUPR-JFT", (
             rhk("Jumlah dokumen desain teknis pemeliharaan berkala", "dokumen", 6, "Kuantitas"),
             rhk("Persentase pekerjaan pemeliharaan yang sesuai spesifikasi teknis", "%", 95,
                 "Kualitas"),
         ), KONTRIBUSI),
    Node("L6-07", "L5-13", "Terlaksananya pemantauan kondisi jalan dan tindak lanjut aduan "
         "jalan rusak", "PUPR-PJJ-1", (
             rhk("Jumlah laporan pemantauan kondisi jalan", "laporan", 12, "Kuantitas"),
             rhk("Rata-rata waktu tindak lanjut aduan jalan rusak", "jam", 48, "Waktu", TURUN),
         ), KONTRIBUSI),
    Node("L6-08", "L5-15", "Terlaksananya pengawasan lapangan pembangunan jalan baru",
         "PUPR-PBJ-1", (
             rhk("Jumlah laporan pengawasan mingguan", "laporan", 40, "Kuantitas"),
             rhk("Persentase temuan pengawasan yang ditindaklanjuti kontraktor", "%", 90,
                 "Kualitas"),
         ), KONTRIBUSI),
)

KEMACETAN = Example(
    filename="Pohon_Kinerja_Kemacetan.xlsx",
    identity={
        C.KEY_INSTANSI: "Pemerintah Kota Contoh",
        C.KEY_PERANGKAT_DAERAH: "",
        C.KEY_KODE_PD: "",
        C.KEY_PENYUSUN: "Bappeda Kota Contoh — Bidang Perencanaan Infrastruktur",
        C.KEY_EMAIL: "bappeda@kotacontoh.go.id",
    },
    positions=_KEMACETAN_POSITIONS,
    levels={1: _KM_L1, 2: _KM_L2, 3: _KM_L3, 4: _KM_L4, 5: _KM_L5, 6: _KM_L6},
)

# ============================================================================================
# Example 2 — seed 001: Meningkatnya industri pariwisata (budgets of the PK year 2026)
# ============================================================================================
# The seed's budget per office for the PK year; the L5 budgets of each office sum to these.
PARIWISATA_PAGU_PK = {
    "Satuan Polisi Pamong Praja": 4_000_000_000,
    "Dinas Koperasi dan Usaha Kecil Menengah": 2_000_000_000,
    "Dinas Pariwisata": 3_000_000_000,
    "Dinas Perhubungan": 1_500_000_000,
    "Dinas Pekerjaan Umum dan Penataan Ruang": 2_300_000_000,
    "Dinas Lingkungan Hidup": 900_000_000,
}
_SATPOL, _KUKM = "Satuan Polisi Pamong Praja", "Dinas Koperasi dan Usaha Kecil Menengah"
_DISPAR, _DLH = "Dinas Pariwisata", "Dinas Lingkungan Hidup"
_STAF_UNIT = f"{_KUKM} — Seksi Pengembangan Usaha Mikro"


def _shared(code: str) -> Position:
    """A position of the congestion example that the tourism example shares."""
    return next(p for p in _KEMACETAN_POSITIONS if p.code == code)


_PARIWISATA_POSITIONS = (
    _WALIKOTA,
    Position("SATPOL-01", "Kepala Satuan Polisi Pamong Praja", "JPT", _SATPOL, "WALIKOTA",
             "197408141999031005", "Drs. Joko Susilo, M.Si."),
    Position("SATPOL-TIBUM", "Kepala Bidang Ketertiban Umum dan Ketenteraman Masyarakat",
             "Administrator", f"{_SATPOL} — Bidang Ketertiban Umum dan Ketenteraman Masyarakat",
             "SATPOL-01", "197912032006041007", "Agung Firmansyah, S.H., M.H."),
    Position("SATPOL-OPS", "Kepala Seksi Operasi dan Pengendalian", "Pengawas",
             f"{_SATPOL} — Bidang Ketertiban Umum dan Ketenteraman Masyarakat", "SATPOL-TIBUM",
             "198506212010011012", "Teguh Santoso, S.Sos."),
    Position("KUKM-01", "Kepala Dinas Koperasi dan Usaha Kecil Menengah", "JPT", _KUKM,
             "WALIKOTA", "197510231999032004", "Dra. Endang Sulistyowati, M.M."),
    Position("KUKM-UM", "Kepala Bidang Pemberdayaan Usaha Mikro", "Administrator",
             f"{_KUKM} — Bidang Pemberdayaan Usaha Mikro", "KUKM-01", "198102142006042011",
             "Lina Marlina, S.E., M.Si."),
    Position("KUKM-PUM", "Kepala Seksi Pengembangan Usaha Mikro", "Pengawas",
             f"{_KUKM} — Bidang Pemberdayaan Usaha Mikro", "KUKM-UM", "198707302011011008",
             "Rahmat Hidayat, S.E."),
    Position("KUKM-STAF-A", "Pengelola Layanan Operasional (Staf A)", "Pelaksana", _STAF_UNIT,
             "KUKM-PUM", "199104182015032009", "Siti Aminah, S.E."),
    Position("KUKM-STAF-B", "Penata Layanan Operasional (Staf B)", "Pelaksana", _STAF_UNIT,
             "KUKM-PUM", "199309052019031011", "Yoga Pratama, S.AB."),
    Position("KUKM-STAF-C", "Operator Layanan Operasional (Staf C)", "Pelaksana", _STAF_UNIT,
             "KUKM-PUM", "199611272022032007", "Dewi Anggraini, A.Md."),
    Position("DISPAR-01", "Kepala Dinas Pariwisata", "JPT", _DISPAR, "WALIKOTA",
             "197301101998031006", "Drs. I Made Suarjana, M.Par."),
    Position("DISPAR-DEST", "Kepala Bidang Destinasi Pariwisata", "Administrator",
             f"{_DISPAR} — Bidang Destinasi Pariwisata", "DISPAR-01", "198003172005012010",
             "Maria Ulfa, S.ST.Par., M.M."),
    Position("DISPAR-PDW", "Kepala Seksi Pengembangan Destinasi Wisata", "Pengawas",
             f"{_DISPAR} — Bidang Destinasi Pariwisata", "DISPAR-DEST", "198608082010011014",
             "Ferdy Kusuma, S.T."),
    _shared("DISHUB-01"),
    _shared("DISHUB-AP"),
    _shared("DISHUB-ANG"),
    Position("DISHUB-PKB", "Kepala UPTD Pengujian Kendaraan Bermotor", "Pengawas",
             f"{_DISHUB} — UPTD Pengujian Kendaraan Bermotor", "DISHUB-AP",
             "198405112009011010", "Arif Budiman, S.T."),
    _shared("PUPR-01"),
    _shared("PUPR-BM"),
    _shared("PUPR-PJJ"),
    _shared("PUPR-PBJ"),
    Position("DLH-01", "Kepala Dinas Lingkungan Hidup", "JPT", _DLH, "WALIKOTA",
             "197607252000121003", "Ir. Sugeng Widodo, M.Sc."),
    Position("DLH-PS", "Kepala Bidang Pengelolaan Sampah", "Administrator",
             f"{_DLH} — Bidang Pengelolaan Sampah", "DLH-01", "198209192008012013",
             "Retno Wulandari, S.T., M.Eng."),
    Position("DLH-PNS", "Kepala Seksi Penanganan Sampah", "Pengawas",
             f"{_DLH} — Bidang Pengelolaan Sampah", "DLH-PS", "198812012014031004",
             "Dimas Ardiansyah, S.Si."),
)

_PW_L1 = (
    Node("PW1-01", "", "Meningkatnya industri pariwisata", "WALIKOTA", (
        ind("Kontribusi sektor pariwisata terhadap PDRB", "%", NAIK, 8.2,
            (9.0, 10.0, 10.8, 11.5, 12.2)),
    ), note="Sasaran RPJMD; target Tahun PK 2026 sesuai contoh pengintegrasian perencanaan "
         "kinerja dengan penganggaran (PDRB sektor pariwisata 10%)."),
)
_PW_L2 = (
    Node("PW2-01", "PW1-01", "Meningkatnya daya saing UMKM", "KUKM-01", (
        ind("Persentase UMKM yang sehat", "%", NAIK, 62.0, (66.0, 70.0, 73.0, 76.0, 80.0)),
    ), KONTRIBUSI, note="Faktor kunci: industri kecil."),
    Node("PW2-02", "PW1-01", "Meningkatnya keamanan wisatawan", "SATPOL-01", (
        ind("Angka kriminalitas di kawasan wisata", "%", TURUN, 7.5, (6.2, 5.0, 4.5, 4.0, 3.5)),
    ), KONTRIBUSI, note="Faktor kunci: keamanan."),
    Node("PW2-03", "PW1-01", "Meningkatnya daya saing pariwisata", "DISPAR-01", (
        ind("Jumlah kunjungan wisatawan", "juta kunjungan", NAIK, 5.2,
            (5.6, 6.0, 6.4, 6.8, 7.2)),
    ), KONTRIBUSI, note="Faktor kunci: obyek pariwisata."),
    Node("PW2-04", "PW1-01", "Terwujudnya konektivitas antarwilayah", "DISHUB-01", (
        ind("Indeks aksesibilitas", "indeks", NAIK, 7.2, (7.6, 8.0, 8.2, 8.4, 8.6)),
    ), KONTRIBUSI, note="Faktor kunci: transportasi."),
    Node("PW2-05", "PW1-01", "Terwujudnya infrastruktur jalan yang memadai", "PUPR-01", (
        ind("Persentase jalan dalam kondisi mantap", "%", NAIK, 74.0,
            (77.0, 80.0, 82.5, 85.0, 87.5)),
    ), KONTRIBUSI, note="Faktor kunci: infrastruktur."),
    Node("PW2-06", "PW1-01", "Meningkatnya kualitas lingkungan hidup", "DLH-01", (
        ind("Indeks Kualitas Lingkungan Hidup", "indeks", NAIK, 76.4,
            (78.0, 80.0, 81.0, 82.0, 83.0)),
    ), KONTRIBUSI, note="Faktor kunci: kebersihan."),
)
_PW_L3 = (
    Node("PW3-01", "PW2-01", "Meningkatnya iklim usaha yang kondusif bagi usaha mikro",
         "KUKM-UM", (
             ind("Jumlah UMKM baru", "unit usaha", NAIK, 1500, (1750, 2000, 2200, 2400, 2600)),
         ), KONTRIBUSI, "2.17.07",
         "PROGRAM PEMBERDAYAAN USAHA MENENGAH, USAHA KECIL, DAN USAHA MIKRO (UMKM)"),
    Node("PW3-02", "PW2-02", "Meningkatnya pencegahan kriminalitas di kawasan wisata",
         "SATPOL-TIBUM", (
             ind("Persentase potensi kriminalitas yang dapat dicegah", "%", NAIK, 80.0,
                 (85.0, 90.0, 92.0, 94.0, 95.0)),
         ), KONTRIBUSI, "1.05.02", "PROGRAM PENINGKATAN KETENTERAMAN DAN KETERTIBAN UMUM"),
    Node("PW3-03", "PW2-03", "Meningkatnya kualitas destinasi wisata", "DISPAR-DEST", (
        ind("Jumlah destinasi wisata yang memenuhi standar", "destinasi", NAIK, 32,
            (36, 40, 44, 48, 52)),
    ), KONTRIBUSI, "3.26.02", "PROGRAM PENINGKATAN DAYA TARIK DESTINASI PARIWISATA"),
    Node("PW3-04", "PW2-04", "Meningkatnya layanan angkutan umum", "DISHUB-AP", (
        ind("Persentase penumpang yang terlayani angkutan umum", "%", NAIK, 84.0,
            (87.0, 90.0, 91.0, 92.0, 93.0)),
    ), KONTRIBUSI, *P_LLAJ),
    Node("PW3-05", "PW2-05", "Meningkatnya kualitas jalan menuju kawasan wisata", "PUPR-BM", (
        ind("Persentase jalan dalam kondisi baik", "%", NAIK, 85.0,
            (87.5, 90.0, 91.0, 92.0, 93.0)),
    ), KONTRIBUSI, *P_JALAN),
    Node("PW3-06", "PW2-06", "Meningkatnya kesehatan lingkungan di kawasan wisata", "DLH-PS", (
        ind("Persentase ekosistem dalam kondisi terjaga", "%", NAIK, 72.0,
            (76.0, 80.0, 82.0, 84.0, 86.0)),
    ), KONTRIBUSI, "2.11.11", "PROGRAM PENGELOLAAN PERSAMPAHAN"),
)
_PW_L4 = (
    Node("PW4-01", "PW3-01", "Meningkatnya kapasitas pelaku usaha mikro baru", "KUKM-PUM", (
        ind("Persentase peserta pelatihan yang memulai atau mengembangkan usaha", "%", NAIK,
            55.0, (60.0, 65.0, 68.0, 70.0, 72.0)),
    ), KONTRIBUSI, "2.17.07.2.01",
        "Pemberdayaan Usaha Mikro yang Dilakukan Melalui Pendataan, Kemitraan, Kemudahan "
        "Perizinan, Penguatan Kelembagaan dan Koordinasi dengan Para Pemangku Kepentingan"),
    Node("PW4-02", "PW3-02", "Meningkatnya pencegahan kejadian kriminalitas di kawasan wisata",
         "SATPOL-OPS", (same(_PW_L3[1]),), LANGSUNG, "1.05.02.2.01",
         "Penanganan Gangguan Ketenteraman dan Ketertiban Umum dalam 1 (Satu) Daerah "
         "Kabupaten/Kota",
         note="Cascading langsung: indikator dan target sama dengan PW3-02."),
    Node("PW4-03", "PW3-03", "Meningkatnya kualitas sarana dan prasarana destinasi wisata",
         "DISPAR-PDW", (
             ind("Jumlah destinasi wisata yang dikembangkan dan direhabilitasi", "destinasi",
                 NAIK, 6, (8, 10, 10, 12, 12)),
         ), KONTRIBUSI, "3.26.02.2.03", "Pengelolaan Destinasi Pariwisata Kabupaten/Kota"),
    Node("PW4-04", "PW3-04", "Terpantaunya kinerja layanan angkutan jalan", "DISHUB-ANG", (
        ind("Persentase armada angkutan umum yang memenuhi standar pelayanan minimal", "%",
            NAIK, 70.0, (75.0, 80.0, 83.0, 86.0, 90.0)),
    ), KONTRIBUSI, *K_ANGKUTAN),
    Node("PW4-05", "PW3-04", "Meningkatnya kelaikan jalan kendaraan angkutan umum",
         "DISHUB-PKB", (
             ind("Persentase kendaraan angkutan umum yang lulus uji berkala", "%", NAIK, 82.0,
                 (85.0, 88.0, 90.0, 92.0, 94.0)),
         ), KONTRIBUSI, *K_PKB),
    Node("PW4-06", "PW3-05", "Terlaksananya pembangunan dan pemeliharaan jalan menuju "
         "destinasi wisata", "PUPR-PJJ", (
             ind("Panjang jalan menuju destinasi wisata yang ditangani", "km", NAIK, 10.0,
                 (11.0, 12.0, 12.5, 13.0, 13.5)),
         ), KONTRIBUSI, *K_JALAN),
    Node("PW4-07", "PW3-06", "Meningkatnya penanganan sampah di kawasan wisata", "DLH-PNS", (
        ind("Persentase sampah kawasan wisata yang tertangani", "%", NAIK, 78.0,
            (82.0, 86.0, 88.0, 90.0, 92.0)),
    ), KONTRIBUSI, "2.11.11.2.01", "Pengelolaan Sampah"),
)
_PW_L5 = (
    # Satuan Polisi Pamong Praja — Rp 4.000.000.000 in 2026
    Node("PW5-01", "PW4-02", "Terlaksananya patroli keamanan di kawasan wisata", "SATPOL-OPS", (
        ind("Jumlah patroli keamanan di kawasan wisata", "kali", NAIK, 300,
            (330, 365, 365, 400, 400)),
    ), KONTRIBUSI, "1.05.02.2.01.0015",
        "Pencegahan Gangguan Ketenteraman dan Ketertiban Umum Melalui Deteksi Dini dan Cegah "
        "Dini, Pembinaan dan Penyuluhan, Pelaksanaan Patroli, Pengamanan, dan Pengawalan",
        (2_450_000_000, 2_600_000_000, 2_700_000_000, 2_800_000_000, 2_900_000_000)),
    Node("PW5-02", "PW4-02", "Terlaksananya sosialisasi pencegahan kriminalitas bersama pelaku "
         "wisata", "SATPOL-OPS", (
             ind("Jumlah pelaku usaha wisata yang mengikuti sosialisasi pencegahan "
                 "kriminalitas", "orang", NAIK, 250, (300, 350, 400, 450, 500)),
         ), KONTRIBUSI, "1.05.02.2.01.0006",
         "Kerja Sama antar Lembaga dan Kemitraan dalam Teknik Pencegahan dan Penanganan "
         "Gangguan Ketentraman dan Ketertiban Umum",
         (1_300_000_000, 1_400_000_000, 1_450_000_000, 1_500_000_000, 1_550_000_000)),
    # Dinas Koperasi dan UKM — Rp 2.000.000.000 in 2026
    Node("PW5-03", "PW4-01", "Terlaksananya pelatihan usaha baru bagi calon wirausaha",
         "KUKM-PUM", (
             ind("Jumlah peserta pelatihan usaha baru", "orang", NAIK, 300,
                 (350, 400, 450, 500, 550)),
             ind("Persentase peserta yang lulus pelatihan", "%", NAIK, 85.0,
                 (88.0, 90.0, 90.0, 92.0, 92.0)),
         ), KONTRIBUSI, "2.17.07.2.01.0004",
         "Pemberdayaan Kelembagaan Potensi dan Pengembangan Usaha Mikro",
         (1_100_000_000, 1_250_000_000, 1_300_000_000, 1_350_000_000, 1_400_000_000),
         note="Kegiatan \"Pelatihan usaha baru\"; SOP: perencanaan, pelaksanaan, pelaporan "
              "dan evaluasi pelatihan."),
    Node("PW5-04", "PW4-01", "Terlaksananya kemitraan usaha mikro dengan koperasi dan dunia "
         "usaha", "KUKM-PUM", (
             ind("Jumlah usaha mikro yang bermitra dengan koperasi atau dunia usaha",
                 "unit usaha", NAIK, 120, (150, 180, 210, 240, 270)),
         ), KONTRIBUSI, "2.17.07.2.01.0002", "Pemberdayaan Melalui Kemitraan Usaha Mikro",
         (700_000_000, 750_000_000, 800_000_000, 850_000_000, 900_000_000)),
    # Dinas Pariwisata — Rp 3.000.000.000 in 2026 (Berbagi: parts sum to PW4-03)
    Node("PW5-05", "PW4-03", "Terbangunnya destinasi wisata baru berbasis masyarakat (desa "
         "wisata)", "DISPAR-PDW", (
             ind("Jumlah destinasi wisata yang dikembangkan dan direhabilitasi", "destinasi",
                 NAIK, 2, (3, 4, 4, 5, 5)),
         ), BERBAGI, "3.26.02.2.03.0006",
         "Pemberdayaan Masyarakat dalam Pengelolaan Destinasi Pariwisata Kabupaten/Kota",
        (1_600_000_000, 1_800_000_000, 1_850_000_000, 2_100_000_000, 2_150_000_000)),
    Node("PW5-06", "PW4-03", "Terlaksananya rehabilitasi sarana dan prasarana destinasi wisata",
         "DISPAR-PDW", (
             ind("Jumlah destinasi wisata yang dikembangkan dan direhabilitasi", "destinasi",
                 NAIK, 4, (5, 6, 6, 7, 7)),
         ), BERBAGI, "3.26.02.2.03.0004",
         "Pengadaan/Pemeliharaan/Rehabilitasi Sarana dan Prasarana dalam Pengelolaan "
         "Destinasi Pariwisata Kabupaten/Kota",
         (1_050_000_000, 1_200_000_000, 1_250_000_000, 1_350_000_000, 1_400_000_000)),
    # Dinas Perhubungan — Rp 1.500.000.000 in 2026
    Node("PW5-07", "PW4-04", "Terlaksananya pemantauan kinerja angkutan jalan", "DISHUB-ANG", (
        ind("Jumlah armada angkutan umum yang dipantau kinerjanya", "kendaraan", NAIK, 180,
            (200, 220, 240, 260, 280)),
    ), KONTRIBUSI, "2.15.02.2.09.0002",
        "Pengendalian dan Pengawasan Ketersediaan Angkutan Umum untuk Jasa Angkutan Orang "
        "dan/atau Barang Antar Kota dalam 1 (Satu) Kabupaten/Kota",
        (820_000_000, 900_000_000, 950_000_000, 1_000_000_000, 1_050_000_000)),
    Node("PW5-08", "PW4-05", "Terlaksananya uji berkala (uji KIR) kendaraan angkutan umum",
         "DISHUB-PKB", (
             ind("Jumlah kendaraan yang diuji berkala", "kendaraan", NAIK, 5200,
                 (5500, 5800, 6100, 6400, 6700)),
         ), KONTRIBUSI, "2.15.02.2.05.0004",
         "Penyediaan Bukti Lulus Uji Pengujian Berkala Kendaraan Bermotor",
         (560_000_000, 600_000_000, 640_000_000, 680_000_000, 720_000_000)),
    # Dinas PUPR — Rp 2.300.000.000 in 2026 (Berbagi: parts sum to PW4-06)
    Node("PW5-09", "PW4-06", "Terbangunnya jalan akses menuju destinasi wisata", "PUPR-PBJ", (
        ind("Panjang jalan menuju destinasi wisata yang ditangani", "km", NAIK, 3.0,
            (3.5, 4.0, 4.0, 4.5, 4.5)),
    ), BERBAGI, "1.03.10.2.01.0032", "Pembangunan Jalan",
        (1_300_000_000, 1_500_000_000, 1_550_000_000, 1_700_000_000, 1_750_000_000)),
    Node("PW5-10", "PW4-06", "Terlaksananya pemeliharaan rutin jalan menuju destinasi wisata",
         "PUPR-PJJ", (
             ind("Panjang jalan menuju destinasi wisata yang ditangani", "km", NAIK, 7.0,
                 (7.5, 8.0, 8.5, 8.5, 9.0)),
         ), BERBAGI, "1.03.10.2.01.0046", "Pemeliharaan Rutin Jalan",
         (750_000_000, 800_000_000, 850_000_000, 900_000_000, 950_000_000)),
    # Dinas Lingkungan Hidup — Rp 900.000.000 in 2026
    Node("PW5-11", "PW4-07", "Terlaksananya pengangkutan sampah dari kawasan wisata", "DLH-PNS", (
        ind("Volume sampah kawasan wisata yang terangkut ke TPA", "ton/hari", NAIK, 18.5,
            (20.0, 22.0, 23.5, 25.0, 26.5)),
    ), KONTRIBUSI, "2.11.11.2.01.0012", "Penanganan sampah melalui pengangkutan",
        (600_000_000, 650_000_000, 690_000_000, 730_000_000, 770_000_000)),
    Node("PW5-12", "PW4-07", "Terlaksananya sosialisasi hidup bersih dan sehat di kawasan "
         "wisata", "DLH-PNS", (
             ind("Jumlah kelompok masyarakat dan pelaku wisata yang dibina", "kelompok", NAIK,
                 20, (25, 30, 35, 40, 45)),
         ), KONTRIBUSI, "2.11.11.2.01.0004",
         "Peningkatan Peran Serta Masyarakat dalam Pengelolaan Persampahan",
         (220_000_000, 250_000_000, 270_000_000, 290_000_000, 310_000_000)),
)
# SOP "Pelatihan usaha baru", tahap perencanaan pelatihan: task -> output, duration, staff.
_SOP = "SOP Pelatihan usaha baru, tahap perencanaan pelatihan"
_PW_L6 = (
    Node("PW6-01", "PW5-03", "Tersusunnya proposal tempat pelatihan dan magang", "KUKM-STAF-A", (
        rhk("Jumlah proposal tempat pelatihan dan magang yang disusun", "proposal", 1,
            "Kuantitas"),
        rhk("Waktu penyusunan proposal", "jam", 8, "Waktu", TURUN),
    ), KONTRIBUSI, note=f"{_SOP}, langkah 1: penyusunan proposal tempat pelatihan dan magang."),
    Node("PW6-02", "PW5-03", "Tersusunnya surat permintaan narasumber pelatihan", "KUKM-STAF-B", (
        rhk("Jumlah surat permintaan narasumber yang dibuat", "surat", 1, "Kuantitas"),
        rhk("Waktu pembuatan surat permintaan narasumber", "menit", 30, "Waktu", TURUN),
    ), KONTRIBUSI, note=f"{_SOP}, langkah 2: pembuatan surat permintaan narasumber."),
    Node("PW6-03", "PW5-03", "Tersusunnya surat undangan peserta pelatihan", "KUKM-STAF-C", (
        rhk("Jumlah surat undangan peserta yang dibuat", "surat", 1, "Kuantitas"),
        rhk("Waktu pembuatan surat undangan peserta", "menit", 30, "Waktu", TURUN),
    ), KONTRIBUSI, note=f"{_SOP}, langkah 3: pembuatan surat undangan peserta."),
)

PARIWISATA = Example(
    filename="Pohon_Kinerja_Pariwisata.xlsx",
    identity={
        C.KEY_INSTANSI: "Pemerintah Kota Contoh",
        C.KEY_PERANGKAT_DAERAH: "",
        C.KEY_KODE_PD: "",
        C.KEY_PENYUSUN: "Bappeda Kota Contoh — Bidang Perencanaan Perekonomian",
        C.KEY_EMAIL: "bappeda@kotacontoh.go.id",
    },
    positions=_PARIWISATA_POSITIONS,
    levels={1: _PW_L1, 2: _PW_L2, 3: _PW_L3, 4: _PW_L4, 5: _PW_L5, 6: _PW_L6},
)

EXAMPLES: tuple[Example, ...] = (KEMACETAN, PARIWISATA)


# ============================================================================================
# Writing
# ============================================================================================
def targets_by_year(indicator: Indicator, years: range) -> dict[int, float]:
    """An indicator's targets as {year: value} (tuples map onto the plan years in order)."""
    if isinstance(indicator.targets, Mapping):
        return dict(indicator.targets)
    if len(indicator.targets) != len(years):
        raise ValueError(f"{indicator.name}: {len(indicator.targets)} target untuk "
                         f"{len(years)} tahun")
    return dict(zip(years, indicator.targets))


def _indicator_cells(indicator: Indicator, years: range, individual: bool) -> dict[str, object]:
    cells: dict[str, object] = {
        C.INDIKATOR: indicator.name,
        C.SATUAN: indicator.unit,
        C.ARAH: indicator.arah,
        C.BASELINE: indicator.baseline,
    }
    cells.update({C.target_header(y): v for y, v in targets_by_year(indicator, years).items()})
    if individual:
        cells[C.ASPEK] = indicator.aspek
    return cells


def _node_rows(node: Node, spec: C.LevelSpec, years: range) -> list[dict[str, object]]:
    first: dict[str, object] = {
        C.ID: node.id,
        C.ID_INDUK: node.parent,
        C.SASARAN: node.sasaran,
        C.JENIS_CASCADING: node.cascading,
        C.PEMILIK: node.owner,
        C.KOLABORATOR: node.collaborators,
        C.KETERANGAN: node.note,
    }
    if spec.code_header:
        first[spec.code_header] = node.code
        first[spec.name_header] = node.code_name
    if spec.has_budget:
        if len(node.budgets) != len(years):
            raise ValueError(f"{node.id}: {len(node.budgets)} anggaran untuk {len(years)} tahun")
        first.update({C.budget_header(y): b for y, b in zip(years, node.budgets)})
    rows = []
    for index, indicator in enumerate(node.indicators):
        cells = _indicator_cells(indicator, years, spec.is_individual)
        rows.append({**first, **cells} if index == 0 else cells)
    return rows


def build_example(example: Example) -> Workbook:
    """The example as a filled template (not saved)."""
    wb = new_workbook(
        example.start_year,
        example.end_year,
        example.pk_year,
        str(example.identity.get(C.KEY_INSTANSI, "")),
        str(example.identity.get(C.KEY_PERANGKAT_DAERAH, "")),
        kode_perangkat_daerah=str(example.identity.get(C.KEY_KODE_PD, "")),
        penyusun=str(example.identity.get(C.KEY_PENYUSUN, "")),
        email=str(example.identity.get(C.KEY_EMAIL, "")),
    )
    write_rows(wb[C.JABATAN], (
        {
            C.KODE_JABATAN: p.code,
            C.NAMA_JABATAN: p.name,
            C.JENIS_JABATAN: p.kind,
            C.UNIT_KERJA: p.unit,
            C.KODE_ATASAN: p.superior,
            C.NIP_PEMANGKU: p.nip,
            C.NAMA_PEMANGKU: p.holder,
        }
        for p in example.positions
    ))
    for level, nodes in sorted(example.levels.items()):
        spec = C.LEVEL_BY_NUMBER[level]
        rows = [row for node in nodes for row in _node_rows(node, spec, example.years)]
        write_rows(wb[spec.sheet], rows)
    return wb


def write_examples(directory: str | Path = EXAMPLES_DIR) -> list[Path]:
    """Write every example into ``directory``; returns the paths written."""
    directory = Path(directory)
    return [save_workbook(build_example(ex), directory / ex.filename) for ex in EXAMPLES]


def office_of(example: Example, position_code: str) -> str:
    """The office (Unit Kerja of the JPT above, or the position's own) owning a position."""
    by_code = {p.code: p for p in example.positions}
    position = by_code[position_code]
    seen: set[str] = set()
    while position.kind not in ("JPT", C.KEPALA_DAERAH) and position.superior in by_code:
        if position.code in seen:
            break
        seen.add(position.code)
        position = by_code[position.superior]
    return position.unit


def budget_totals(example: Example) -> dict[str, dict[int, int]]:
    """L5 budget per office and year (the figures in this module's docstring)."""
    totals: dict[str, dict[int, int]] = {}
    for node in example.levels.get(C.SUBKEGIATAN_LEVEL, ()):
        office = totals.setdefault(office_of(example, node.owner),
                                   {y: 0 for y in example.years})
        for year, amount in zip(example.years, node.budgets):
            office[year] += amount
    return totals


if __name__ == "__main__":
    for written in write_examples():
        print(f"ditulis: {written}")
