"""Deterministic generator of realistic workbooks of the contract, for the benchmarks.

A generated workbook looks like what a Kabupaten's offices really fill: few L1/L2 nodes and
many L5/L6 rows, one to three indicators per node (continuation rows), Indonesian text of
realistic length, Kepmendagri-style codes whose prefixes agree (programme ``2.15.02`` ->
activity ``2.15.02.2.06`` -> sub-activity ``2.15.02.2.06.0017``), budgets in the hundreds of
millions, a `Jabatan` sheet with a proper chain of superiors (Bupati -> Kepala Dinas ->
Kepala Bidang -> Kepala Seksi -> staff) and targets that move the way `Arah` says. It
validates without a single Galat (``python -m benchmarks.generate --check``).

Cases (``rows`` counts every row of the six level sheets, continuation rows included):

* ``rows-1000``, ``rows-10000``, ``rows-100000``: a body-wide workbook (L1 and every office's
  L2–L6); 100k is written with XlsxWriter's ``constant_memory`` (inline strings).
* ``office-500``: one office's workbook as it is returned in a batch (L2–L6, its L2 parents
  live in the body-level workbook).
* ``inbox-50``: a batch inbox: the body-level workbook (L1 and the Bupati) and 50 office
  workbooks of 150–350 rows each.

Files go to ``benchmarks/data/`` named by a content hash of the generator's parameters and of
this file's source, so they are generated once and regenerated only when either changes::

    python -m benchmarks.generate            # every case, prints the paths
    python -m benchmarks.generate --check    # ... and validates each, printing its findings
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

import xlsxwriter

from pohon_xl.model import contract as C
from pohon_xl.excel.examples import Position

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
SEED = 20250101
START, END, PK = 2025, 2029, 2026
YEARS = list(range(START, END + 1))
INSTANSI = "Pemerintah Kabupaten Contoh"
DAERAH = "Kabupaten Contoh"

# --- vocabulary ----------------------------------------------------------------------------
FIRST = ("Agus Andi Bambang Budi Dedi Dian Eko Fajar Hendra Indra Joko Rudi Slamet Wahyu "
         "Yusuf Ahmad Rizky Arief Hadi Teguh Ratna Sri Yuliana Nurul Intan Dewi Siti Rina "
         "Lestari Wulan Putri Fitri Ayu Maya Nur Endang Heru Bayu Dimas Galih").split()
LAST = ("Saputra Hartono Wicaksono Kurniawan Prasetyo Susanto Gunawan Setiawan Nugroho "
        "Wahyuni Lestari Permatasari Hidayah Rahman Riyadi Pratama Santoso Wibowo Siregar "
        "Nasution Simanjuntak Harahap Rahayu Anggraini Utami Kusuma Firmansyah").split()
DEGREES = ("", "", "S.E.", "S.T.", "S.Sos.", "S.H.", "S.Kom.", "A.Md.", "S.E., M.Si.",
           "S.T., M.T.", "S.Sos., M.AP.", "S.H., M.H.", "S.Kep., Ns.", "S.Pd., M.Pd.")


@dataclass(frozen=True)
class Theme:
    """An office (OPD) and the words its tree is written in."""

    opd: str
    kode: str
    urusan: str  # "2.15": urusan and bidang of the Kepmendagri code
    l1: int  # index of the L1 goal its L2 supports
    objects: tuple[str, ...]  # what the office improves
    programs: tuple[str, ...]
    activities: tuple[str, ...]  # activity objects (after a verb noun)
    bidang: tuple[str, ...]


THEMES: tuple[Theme, ...] = (
    Theme("Dinas Perhubungan", "DISHUB", "2.15", 2,
          ("kelancaran lalu lintas pada ruas jalan utama", "keselamatan pengguna jalan",
           "layanan angkutan umum perkotaan", "ketertiban perparkiran di pusat kota",
           "kelaikan kendaraan bermotor angkutan umum"),
          ("PROGRAM PENYELENGGARAAN LALU LINTAS DAN ANGKUTAN JALAN (LLAJ)",
           "PROGRAM PENGELOLAAN PELAYARAN", "PROGRAM PENGELOLAAN PERKERETAAPIAN"),
          ("perlengkapan jalan di jalan kabupaten", "manajemen dan rekayasa lalu lintas",
           "pengujian berkala kendaraan bermotor", "fasilitas parkir", "jaringan trayek",
           "terminal penumpang tipe C", "analisis dampak lalu lintas"),
          ("Lalu Lintas", "Angkutan", "Perparkiran", "Sarana dan Prasarana", "Keselamatan")),
    Theme("Dinas Pekerjaan Umum dan Penataan Ruang", "PUPR", "1.03", 2,
          ("kondisi jalan kabupaten yang mantap", "kinerja jaringan irigasi",
           "akses masyarakat terhadap air minum layak", "penanganan genangan di kawasan perkotaan",
           "kesesuaian pemanfaatan ruang"),
          ("PROGRAM PENYELENGGARAAN JALAN", "PROGRAM PENGELOLAAN SUMBER DAYA AIR (SDA)",
           "PROGRAM PENGELOLAAN DAN PENGEMBANGAN SISTEM PENYEDIAAN AIR MINUM",
           "PROGRAM PENYELENGGARAAN PENATAAN RUANG"),
          ("jalan kabupaten", "jembatan pada ruas jalan kabupaten", "jaringan irigasi permukaan",
           "sistem drainase perkotaan", "sistem penyediaan air minum", "rencana detail tata ruang"),
          ("Bina Marga", "Sumber Daya Air", "Cipta Karya", "Penataan Ruang", "Jasa Konstruksi")),
    Theme("Dinas Kesehatan", "DINKES", "1.02", 1,
          ("derajat kesehatan masyarakat", "cakupan pelayanan kesehatan ibu dan anak",
           "status gizi balita", "pengendalian penyakit menular", "mutu pelayanan puskesmas"),
          ("PROGRAM PEMENUHAN UPAYA KESEHATAN PERORANGAN DAN UPAYA KESEHATAN MASYARAKAT",
           "PROGRAM PENINGKATAN KAPASITAS SUMBER DAYA MANUSIA KESEHATAN",
           "PROGRAM SEDIAAN FARMASI, ALAT KESEHATAN DAN MAKANAN MINUMAN"),
          ("pelayanan kesehatan ibu hamil", "imunisasi dasar lengkap", "penanganan balita stunting",
           "pelayanan kesehatan penderita hipertensi", "sarana puskesmas", "surveilans penyakit"),
          ("Kesehatan Masyarakat", "Pencegahan dan Pengendalian Penyakit", "Pelayanan Kesehatan",
           "Sumber Daya Kesehatan")),
    Theme("Dinas Pendidikan", "DISDIK", "1.01", 1,
          ("mutu pendidikan dasar", "akses pendidikan anak usia dini",
           "kompetensi pendidik dan tenaga kependidikan", "budaya literasi peserta didik"),
          ("PROGRAM PENGELOLAAN PENDIDIKAN", "PROGRAM PENDIDIK DAN TENAGA KEPENDIDIKAN",
           "PROGRAM PENGEMBANGAN KURIKULUM"),
          ("satuan pendidikan sekolah dasar", "satuan pendidikan sekolah menengah pertama",
           "pendidikan anak usia dini", "sarana dan prasarana sekolah", "pelatihan guru",
           "bantuan operasional satuan pendidikan"),
          ("Pembinaan SD", "Pembinaan SMP", "Pembinaan PAUD", "Ketenagaan")),
    Theme("Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", "DPMPTSP", "2.18", 0,
          ("kualitas pelayanan perizinan berusaha", "realisasi investasi daerah",
           "kemudahan berusaha bagi pelaku usaha"),
          ("PROGRAM PELAYANAN PENANAMAN MODAL", "PROGRAM PROMOSI PENANAMAN MODAL",
           "PROGRAM PENGENDALIAN PELAKSANAAN PENANAMAN MODAL"),
          ("pelayanan perizinan dan nonperizinan secara terpadu satu pintu", "promosi investasi",
           "pengawasan pelaksanaan penanaman modal", "data dan sistem informasi penanaman modal"),
          ("Pelayanan Perizinan", "Promosi Penanaman Modal", "Pengendalian")),
    Theme("Dinas Lingkungan Hidup", "DLH", "2.11", 4,
          ("kualitas lingkungan hidup daerah", "pengelolaan sampah rumah tangga",
           "kualitas air sungai", "ketersediaan ruang terbuka hijau"),
          ("PROGRAM PENGELOLAAN PERSAMPAHAN", "PROGRAM PENGENDALIAN PENCEMARAN DAN/ATAU "
           "KERUSAKAN LINGKUNGAN HIDUP", "PROGRAM PERENCANAAN LINGKUNGAN HIDUP"),
          ("pengelolaan sampah", "pemantauan kualitas air", "pengawasan usaha terhadap izin "
           "lingkungan", "ruang terbuka hijau publik", "bank sampah"),
          ("Pengelolaan Sampah", "Pengendalian Pencemaran", "Tata Lingkungan")),
    Theme("Dinas Sosial", "DINSOS", "1.06", 1,
          ("perlindungan sosial bagi keluarga miskin", "rehabilitasi sosial penyandang disabilitas",
           "ketepatan sasaran bantuan sosial"),
          ("PROGRAM PERLINDUNGAN DAN JAMINAN SOSIAL", "PROGRAM REHABILITASI SOSIAL",
           "PROGRAM PENANGANAN BENCANA"),
          ("data terpadu kesejahteraan sosial", "bantuan sosial bagi keluarga miskin",
           "rehabilitasi sosial penyandang disabilitas", "perlindungan sosial korban bencana"),
          ("Perlindungan dan Jaminan Sosial", "Rehabilitasi Sosial", "Pemberdayaan Sosial")),
    Theme("Dinas Pariwisata", "DISPAR", "3.26", 0,
          ("daya tarik destinasi pariwisata daerah", "kunjungan wisatawan",
           "kapasitas pelaku usaha pariwisata"),
          ("PROGRAM PENINGKATAN DAYA TARIK DESTINASI PARIWISATA",
           "PROGRAM PEMASARAN PARIWISATA", "PROGRAM PENGEMBANGAN SUMBER DAYA PARIWISATA DAN "
           "EKONOMI KREATIF"),
          ("daya tarik wisata kabupaten", "promosi pariwisata", "sertifikasi pelaku usaha "
           "pariwisata", "kalender event pariwisata"),
          ("Destinasi", "Pemasaran", "Ekonomi Kreatif")),
    Theme("Dinas Komunikasi dan Informatika", "DISKOMINFO", "2.16", 3,
          ("kualitas layanan pemerintahan berbasis elektronik", "keterbukaan informasi publik",
           "keamanan informasi pemerintah daerah"),
          ("PROGRAM APLIKASI INFORMATIKA", "PROGRAM INFORMASI DAN KOMUNIKASI PUBLIK"),
          ("layanan aplikasi pemerintahan", "jaringan intra pemerintah daerah",
           "layanan informasi publik", "persandian untuk pengamanan informasi"),
          ("Aplikasi Informatika", "Informasi dan Komunikasi Publik", "Persandian")),
    Theme("Dinas Pertanian dan Ketahanan Pangan", "DISTAN", "3.27", 0,
          ("produktivitas tanaman pangan", "ketersediaan pangan daerah",
           "kesejahteraan petani"),
          ("PROGRAM PENYEDIAAN DAN PENGEMBANGAN SARANA PERTANIAN",
           "PROGRAM PENYULUHAN PERTANIAN", "PROGRAM PENINGKATAN DIVERSIFIKASI DAN KETAHANAN "
           "PANGAN MASYARAKAT"),
          ("benih tanaman pangan", "pupuk bersubsidi", "penyuluhan pertanian",
           "cadangan pangan pemerintah daerah", "alat dan mesin pertanian"),
          ("Tanaman Pangan", "Hortikultura", "Penyuluhan", "Ketahanan Pangan")),
)

L1_GOALS = (
    ("Meningkatnya pertumbuhan ekonomi daerah yang inklusif dan berkelanjutan",
     [("Laju pertumbuhan ekonomi", "%", C.ARAH_NAIK, 5.1, 0.2),
      ("Persentase penduduk miskin", "%", C.ARAH_TURUN, 9.8, 0.4)]),
    ("Meningkatnya kualitas sumber daya manusia yang sehat dan cerdas",
     [("Indeks Pembangunan Manusia", "indeks", C.ARAH_NAIK, 71.2, 0.5),
      ("Usia harapan hidup", "tahun", C.ARAH_NAIK, 71.6, 0.2)]),
    ("Meningkatnya kualitas infrastruktur wilayah yang merata",
     [("Persentase panjang jalan kabupaten dalam kondisi mantap", "%", C.ARAH_NAIK, 68.5, 2.5)]),
    ("Terwujudnya tata kelola pemerintahan yang baik, bersih dan melayani",
     [("Indeks Reformasi Birokrasi", "indeks", C.ARAH_NAIK, 62.4, 2.0),
      ("Nilai Sistem Akuntabilitas Kinerja Instansi Pemerintah (SAKIP)", "nilai",
       C.ARAH_NAIK, 66.0, 1.5)]),
    ("Meningkatnya kualitas lingkungan hidup dan ketahanan terhadap bencana",
     [("Indeks Kualitas Lingkungan Hidup", "indeks", C.ARAH_NAIK, 64.3, 0.8),
      ("Indeks Risiko Bencana", "indeks", C.ARAH_TURUN, 142.5, 3.0)]),
)

CONDITIONS = ("Meningkatnya", "Meningkatnya kualitas", "Terwujudnya", "Tersedianya",
              "Terpenuhinya", "Optimalnya", "Terkendalinya", "Meningkatnya cakupan")
ACTION_NOUNS = ("Penyediaan", "Pengelolaan", "Pembinaan", "Penyelenggaraan", "Pengembangan",
                "Pemeliharaan", "Pengawasan", "Fasilitasi", "Pembangunan", "Rehabilitasi")
RESULTS = ("yang sesuai standar pelayanan minimal", "yang tertangani tepat waktu",
           "dalam kondisi baik", "yang memenuhi standar teknis", "yang terlayani")


# --- the model of a generated tree -----------------------------------------------------------
@dataclass
class Ind:
    name: str
    unit: str
    arah: str
    baseline: float | None
    targets: dict[int, float]
    aspek: str = ""


@dataclass
class Node:
    level: int
    id: str
    parent: str
    sasaran: str
    owner: str
    indicators: list[Ind]
    cascading: str = ""
    code: str = ""
    code_name: str = ""
    budgets: list[int] = field(default_factory=list)
    collaborators: str = ""
    note: str = ""


@dataclass
class Book:
    """One workbook to write."""

    perangkat_daerah: str = ""
    kode_pd: str = ""
    email: str = "bappeda@kabcontoh.go.id"
    penyusun: str = "Bappeda Kabupaten Contoh — Bidang Perencanaan"
    positions: list[Position] = field(default_factory=list)
    nodes: dict[int, list[Node]] = field(default_factory=lambda: {n: [] for n in range(1, 7)})

    @property
    def rows(self) -> int:
        return sum(len(node.indicators) for nodes in self.nodes.values() for node in nodes)


def _series(rng: random.Random, baseline: float, step: float, arah: str, decimals: int
            ) -> dict[int, float]:
    sign = 1 if arah == C.ARAH_NAIK else -1
    value, result = baseline, {}
    for year in YEARS:
        value = value + sign * step * rng.choice((1, 1, 1, 2))
        result[year] = round(max(value, 0), decimals)
    return result


def _percent(rng: random.Random, name: str) -> Ind:
    base = round(rng.uniform(35, 80), 1)
    step = round((98 - base) / 12, 1)
    return Ind(name, "%", C.ARAH_NAIK, base, _series(rng, base, step, C.ARAH_NAIK, 1))


def _outcome_indicator(rng: random.Random, obj: str) -> Ind:
    kind = rng.randrange(4)
    if kind == 0:
        return _percent(rng, f"Persentase {obj} {rng.choice(RESULTS)}")
    if kind == 1:
        base = round(rng.uniform(70, 82), 2)
        return Ind(f"Indeks kepuasan masyarakat terhadap {obj}", "indeks", C.ARAH_NAIK, base,
                   _series(rng, base, 0.8, C.ARAH_NAIK, 2))
    if kind == 2:
        base = float(rng.randrange(12, 40))
        return Ind(f"Rata-rata waktu penyelesaian layanan {obj}", "hari", C.ARAH_TURUN, base,
                   _series(rng, base, 1.0, C.ARAH_TURUN, 0))
    return _percent(rng, f"Persentase capaian standar {obj}")


def _output_indicator(rng: random.Random, obj: str) -> Ind:
    if rng.random() < 0.5:
        return _percent(rng, f"Persentase {obj} {rng.choice(RESULTS)}")
    unit = rng.choice(("unit", "dokumen", "lokasi", "paket", "orang", "titik"))
    base = float(rng.randrange(8, 120))
    return Ind(f"Jumlah {obj} {rng.choice(RESULTS)}", unit, C.ARAH_NAIK, base,
               _series(rng, base, max(1.0, round(base / 12)), C.ARAH_NAIK, 0))


def _rhk_indicators(rng: random.Random, obj: str) -> list[Ind]:
    options = [
        Ind(f"Jumlah dokumen {obj} yang disusun tepat waktu", "dokumen", C.ARAH_NAIK, None,
            {PK: float(rng.randrange(2, 24))}, "Kuantitas"),
        Ind(f"Persentase {obj} yang diselesaikan sesuai standar operasional prosedur", "%",
            C.ARAH_NAIK, None, {PK: float(rng.choice((90, 95, 100)))}, "Kualitas"),
        Ind(f"Waktu penyelesaian {obj}", "hari", C.ARAH_TURUN, None,
            {PK: float(rng.randrange(3, 15))}, "Waktu"),
    ]
    return options[: rng.choice((1, 2, 2, 3))]


class Names:
    """Deterministic people and NIPs."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.count = 0

    def person(self) -> tuple[str, str]:
        rng = self.rng
        self.count += 1
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        degree = rng.choice(DEGREES)
        born = f"{rng.randrange(1968, 1998)}{rng.randrange(1, 13):02d}{rng.randrange(1, 29):02d}"
        nip = f"{born}{rng.randrange(1994, 2023)}{rng.randrange(1, 13):02d}{rng.randrange(1, 3)}" \
              f"{self.count % 1000:03d}"
        return (f"{name}, {degree}" if degree else name), nip


class Codes:
    """Programme / activity / sub-activity codes and their (consistent) names."""

    def __init__(self) -> None:
        self.names: dict[str, str] = {}
        self.next_activity: dict[str, int] = {}
        self.next_sub: dict[str, int] = {}

    def program(self, urusan: str, theme: Theme, index: int) -> tuple[str, str]:
        code = f"{urusan}.{index % 97 + 2:02d}"
        name = self.names.setdefault(code, theme.programs[index % len(theme.programs)] if
                                     index < len(theme.programs) else
                                     f"{theme.programs[index % len(theme.programs)]} "
                                     f"TAHAP {index // len(theme.programs) + 1}")
        return code, name

    def activity(self, program: str, rng: random.Random, theme: Theme) -> tuple[str, str]:
        number = self.next_activity.get(program, 0) % 98 + 1
        self.next_activity[program] = number
        code = f"{program}.2.{number:02d}"
        if code not in self.names:
            self.names[code] = (f"{rng.choice(ACTION_NOUNS)} "
                                f"{rng.choice(theme.activities).capitalize()} "
                                f"{rng.choice(('Kabupaten', 'Daerah', 'Tingkat Kabupaten'))}")
        return code, self.names[code]

    def sub(self, activity: str, rng: random.Random, theme: Theme) -> tuple[str, str]:
        number = self.next_sub.get(activity, 0) % 9998 + 1
        self.next_sub[activity] = number
        code = f"{activity}.{number:04d}"
        if code not in self.names:
            self.names[code] = (f"{rng.choice(ACTION_NOUNS)} {rng.choice(theme.activities)} "
                                f"{rng.choice(('di wilayah kabupaten', 'pada kawasan perkotaan', 'bagi masyarakat', 'sesuai standar'))}")
        return code, self.names[code]


def _l1_nodes(rng: random.Random) -> list[Node]:
    nodes = []
    for index, (sasaran, indicators) in enumerate(L1_GOALS, start=1):
        inds = [Ind(name, unit, arah, base, _series(rng, base, step, arah, 2))
                for name, unit, arah, base, step in indicators]
        nodes.append(Node(1, f"SD-{index:02d}", "", sasaran, "BUPATI", inds,
                          note="Sasaran RPJMD Kabupaten Contoh 2025–2029."))
    return nodes


def _bupati(names: Names) -> Position:
    holder, _ = names.person()
    return Position("BUPATI", "Bupati Contoh", C.KEPALA_DAERAH, INSTANSI, "", "", holder)


def _office(rng: random.Random, names: Names, codes: Codes, theme: Theme, number: int,
            quota: int, l1_ids: list[str]) -> Book:
    """One office's positions and its L2–L6, exactly ``quota`` level rows (quota ≥ ~120)."""
    suffix = "" if number == 0 else f" Wilayah {number + 1}"
    kode = theme.kode if number == 0 else f"{theme.kode}{number + 1}"
    urusan = theme.urusan if number == 0 else f"{theme.urusan[:-2]}{(int(theme.urusan[-2:]) + 30 * number) % 100:02d}"
    opd = f"{theme.opd}{suffix}"
    book = Book(perangkat_daerah=opd, kode_pd=kode, email=f"{kode.lower()}@kabcontoh.go.id",
                penyusun=f"Sekretariat {opd} — Subbagian Perencanaan")
    holder, nip = names.person()
    head = Position(f"{kode}-01", f"Kepala {opd}", "JPT", opd, "BUPATI", nip, holder)
    book.positions.append(head)
    used: set[str] = set()

    def distinct(text: str) -> str:
        """The sasaran, made unique within the office (rule KUA04 reports twins)."""
        result, n = text, 1
        while result.casefold() in used:
            n += 1
            result = f"{text} tahap {n}"
        used.add(result.casefold())
        return result

    l2s = []
    for i in range(rng.choice((2, 3))):
        obj = theme.objects[i % len(theme.objects)]
        l2 = Node(2, f"{kode}.SS-{i + 1:02d}", l1_ids[theme.l1 if i == 0 else rng.randrange(len(l1_ids))],
                  distinct(f"{rng.choice(CONDITIONS)} {obj} di {DAERAH}"), head.code,
                  [_outcome_indicator(rng, obj) for _ in range(rng.choice((1, 2)))],
                  C.KONTRIBUSI, note=rng.choice(("", "Sasaran Renstra Perangkat Daerah 2025–2029.")))
        l2s.append(l2)
    book.nodes[2] = l2s
    counter = {n: 0 for n in range(3, 7)}

    def next_id(level: int, prefix: str) -> str:
        counter[level] += 1
        return f"{kode}.{prefix}-{counter[level]:04d}"

    bidang_index = 0
    while book.rows < quota:
        bidang = theme.bidang[bidang_index % len(theme.bidang)]
        if bidang_index >= len(theme.bidang):
            bidang = f"{bidang} {bidang_index // len(theme.bidang) + 1}"
        holder, nip = names.person()
        kabid = Position(f"{kode}-B{bidang_index + 1:02d}", f"Kepala Bidang {bidang}", "Administrator",
                    f"{opd} — Bidang {bidang}", head.code, nip, holder)
        book.positions.append(kabid)
        parent_l2 = l2s[bidang_index % len(l2s)]
        obj = rng.choice(theme.objects)
        program, program_name = codes.program(urusan, theme, bidang_index % (len(theme.programs) + 2))
        langsung = rng.random() < 0.2
        inds = ([Ind(**vars(parent_l2.indicators[0]))] if langsung else
                [_outcome_indicator(rng, obj) for _ in range(rng.choice((1, 1, 2)))])
        l3 = Node(3, next_id(3, "SP"), parent_l2.id,
                  distinct(f"{rng.choice(CONDITIONS)} {obj} melalui program bidang "
                           f"{bidang.lower()}"),
                  kabid.code, inds, C.LANGSUNG if langsung else C.KONTRIBUSI, program,
                  program_name)
        book.nodes[3].append(l3)
        for s in range(rng.choice((2, 3, 3, 4))):
            holder, nip = names.person()
            kasi = Position(f"{kabid.code}-S{s + 1}", f"Kepala Seksi {bidang} {s + 1}", "Pengawas",
                       f"{opd} — Bidang {bidang}", kabid.code, nip, holder)
            book.positions.append(kasi)
            staff = []
            for t in range(rng.choice((2, 3, 4))):
                holder, nip = names.person()
                kind = rng.choice(("Pelaksana", "Pelaksana", "Fungsional"))
                title = ("Pengelola Layanan Operasional" if kind == "Pelaksana" else
                         rng.choice(("Analis Kebijakan Ahli Pertama", "Perencana Ahli Muda",
                                     "Pranata Komputer Ahli Pertama")))
                person = Position(f"{kasi.code}-{t + 1}", title, kind, f"{opd} — Seksi {bidang} {s + 1}",
                             kasi.code, nip, holder)
                staff.append(person)
                book.positions.append(person)
            for _ in range(rng.choice((1, 1, 2))):
                activity, activity_name = codes.activity(program, rng, theme)
                aobj = rng.choice(theme.activities)
                l4 = Node(4, next_id(4, "SK"), l3.id,
                          distinct(f"{rng.choice(CONDITIONS)} {aobj} {rng.choice(RESULTS)}"),
                          kasi.code,
                          # L4 is an immediate outcome: no output counts (rule KUA03)
                          [_outcome_indicator(rng, aobj) for _ in range(rng.choice((1, 1, 2)))],
                          C.KONTRIBUSI, activity, activity_name)
                book.nodes[4].append(l4)
                for _ in range(rng.choice((2, 3, 3, 4))):
                    sub, sub_name = codes.sub(activity, rng, theme)
                    sobj = rng.choice(theme.activities)
                    budget = rng.randrange(150, 950) * 1_000_000
                    budgets = [int(budget * (1 + 0.05 * k) // 1_000_000 * 1_000_000)
                               for k in range(len(YEARS))]
                    l5 = Node(5, next_id(5, "SSK"), l4.id,
                              distinct(f"Tersedianya {sobj} {rng.choice(RESULTS)}"), kasi.code,
                              [_output_indicator(rng, sobj) for _ in range(rng.choice((1, 1, 2)))],
                              C.KONTRIBUSI, sub, sub_name, budgets,
                              collaborators=rng.choice(("",) * 9 + (head.code,)))
                    book.nodes[5].append(l5)
                    for person in rng.sample(staff, k=min(len(staff), rng.choice((1, 2, 2)))):
                        robj = rng.choice(theme.activities)
                        book.nodes[6].append(Node(
                            6, next_id(6, "RHK"), l5.id,
                            f"Terlaksananya pengelolaan {robj} sesuai rencana kerja",
                            person.code, _rhk_indicators(rng, robj), C.KONTRIBUSI))
        bidang_index += 1
    _trim(book, quota)
    return book


def _trim(book: Book, quota: int) -> None:
    """Remove trailing L6 rows (whole nodes, then continuation rows) to exactly ``quota``."""
    l6 = book.nodes[6]
    while l6 and book.rows - len(l6[-1].indicators) >= quota:
        l6.pop()
    excess = book.rows - quota
    if excess > 0 and l6:
        del l6[-1].indicators[len(l6[-1].indicators) - excess:]
    if book.rows != quota:
        raise ValueError(f"cannot trim to {quota} rows (have {book.rows})")


def body_book(rng: random.Random, names: Names, rows: int) -> Book:
    """A body-wide workbook: L1 and offices' L2–L6, ``rows`` level rows in all."""
    book = Book()
    bupati = _bupati(names)
    book.positions.append(bupati)
    book.nodes[1] = _l1_nodes(rng)
    l1_ids = [node.id for node in book.nodes[1]]
    codes = Codes()
    remaining = rows - book.rows
    offices = max(1, min(40, round(remaining / 500)))
    for index in range(offices):
        quota = remaining // (offices - index)
        theme = THEMES[index % len(THEMES)]
        office = _office(rng, names, codes, theme, index // len(THEMES), quota, l1_ids)
        book.positions += office.positions
        for level in range(2, 7):
            book.nodes[level] += office.nodes[level]
        remaining -= quota
    assert book.rows == rows, (book.rows, rows)
    return book


# --- writing -----------------------------------------------------------------------------------
def write_book(book: Book, path: Path, constant_memory: bool = False) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    wb = xlsxwriter.Workbook(str(tmp), {"constant_memory": constant_memory,
                                        "strings_to_numbers": False,
                                        "strings_to_formulas": False, "strings_to_urls": False})
    header = wb.add_format({"bold": True, "bg_color": "#1F4E78", "font_color": "#FFFFFF",
                            "text_wrap": True, "valign": "top", "border": 1})
    wrap = wb.add_format({"text_wrap": True, "valign": "top"})
    money = wb.add_format({"num_format": "#,##0", "valign": "top"})
    number = wb.add_format({"num_format": "#,##0.##", "valign": "top"})
    guide = wb.add_worksheet(C.PETUNJUK)
    guide.set_column(0, 0, 110, wrap)
    for row, text in enumerate((
        "Petunjuk Pengisian Pohon Kinerja (Penjenjangan Kinerja)",
        "Isi sheet Identitas dan Jabatan terlebih dahulu, lalu setiap level mulai dari L1.",
        "Satu baris = satu indikator. Baris tanpa ID dan Sasaran melanjutkan node di atasnya.",
        "ID Induk menunjuk ID node pada level tepat di atasnya.",
    )):
        guide.write_string(row, 0, text)

    ws = wb.add_worksheet(C.IDENTITAS)
    ws.set_column(0, 0, 24)
    ws.set_column(1, 1, 60)
    ws.write_row(0, 0, ["Kunci", "Nilai"], header)
    values = {C.KEY_INSTANSI: INSTANSI, C.KEY_PERANGKAT_DAERAH: book.perangkat_daerah,
              C.KEY_KODE_PD: book.kode_pd, C.KEY_TAHUN_AWAL: START, C.KEY_TAHUN_AKHIR: END,
              C.KEY_TAHUN_PK: PK, C.KEY_PENYUSUN: book.penyusun, C.KEY_EMAIL: book.email}
    for row, key in enumerate(C.IDENTITAS_KEYS, start=1):
        ws.write_string(row, 0, key)
        value = values[key]
        if isinstance(value, int):
            ws.write_number(row, 1, value)
        elif value:
            ws.write_string(row, 1, value)

    ws = wb.add_worksheet(C.JABATAN)
    ws.freeze_panes(1, 0)
    ws.set_column(0, 6, 22)
    ws.write_row(0, 0, list(C.JABATAN_HEADERS), header)
    for row, p in enumerate(book.positions, start=1):
        for col, value in enumerate((p.code, p.name, p.kind, p.unit, p.superior, p.nip, p.holder)):
            if value:
                ws.write_string(row, col, value)
    if book.positions:
        ws.data_validation(1, 2, 1_000, 2, {"validate": "list",
                                            "source": list(C.JENIS_JABATAN_VALUES)})

    for spec in C.LEVELS:
        headers = C.level_headers(spec, range(START, END + 1))
        col = {h: i for i, h in enumerate(headers)}
        ws = wb.add_worksheet(spec.sheet)
        ws.freeze_panes(1, 2)
        ws.write_row(0, 0, headers, header)
        for name, i in col.items():
            width = 48 if name in (C.SASARAN, C.INDIKATOR, C.KETERANGAN) else (
                40 if name == spec.name_header else 14)
            fmt = wrap if width > 14 else (money if name.startswith(C.ANGGARAN_PREFIX) else
                                           number if name.startswith(C.TARGET_PREFIX)
                                           or name == C.BASELINE else None)
            ws.set_column(i, i, width, fmt)
        ws.data_validation(1, col[C.ARAH], 100_000, col[C.ARAH],
                           {"validate": "list", "source": list(C.ARAH_VALUES)})
        ws.data_validation(1, col[C.JENIS_CASCADING], 100_000, col[C.JENIS_CASCADING],
                           {"validate": "list", "source": list(C.CASCADING_VALUES)})
        if spec.is_individual:
            ws.data_validation(1, col[C.ASPEK], 100_000, col[C.ASPEK],
                               {"validate": "list", "source": list(C.ASPEK_VALUES)})
        row = 1
        for node in book.nodes[spec.number]:
            for index, ind in enumerate(node.indicators):
                if index == 0:
                    first = {C.ID: node.id, C.ID_INDUK: node.parent, C.SASARAN: node.sasaran,
                             C.JENIS_CASCADING: node.cascading, C.PEMILIK: node.owner,
                             C.KOLABORATOR: node.collaborators, C.KETERANGAN: node.note}
                    if spec.code_header:
                        first[spec.code_header] = node.code
                        first[spec.name_header] = node.code_name
                    for header_name, value in first.items():
                        if value:
                            ws.write_string(row, col[header_name], value)
                    for year, amount in zip(YEARS, node.budgets):
                        ws.write_number(row, col[C.budget_header(year)], amount)
                ws.write_string(row, col[C.INDIKATOR], ind.name)
                ws.write_string(row, col[C.SATUAN], ind.unit)
                ws.write_string(row, col[C.ARAH], ind.arah)
                if ind.baseline is not None:
                    ws.write_number(row, col[C.BASELINE], ind.baseline)
                for year, value in ind.targets.items():
                    ws.write_number(row, col[C.target_header(year)], value)
                if ind.aspek:
                    ws.write_string(row, col[C.ASPEK], ind.aspek)
                row += 1
    wb.close()
    os.replace(tmp, path)


# --- cases and the cache -------------------------------------------------------------------------
CASES: dict[str, dict[str, object]] = {
    "rows-1000": {"kind": "body", "rows": 1_000},
    "rows-10000": {"kind": "body", "rows": 10_000},
    "rows-100000": {"kind": "body", "rows": 100_000},
    "office-500": {"kind": "office", "rows": 500},
    "inbox-50": {"kind": "inbox", "offices": 50, "rows": (150, 350)},
}


def _digest(params: dict[str, object]) -> str:
    source = Path(__file__).read_bytes()
    blob = json.dumps({"params": params, "seed": SEED}, sort_keys=True).encode() + source
    return hashlib.sha256(blob).hexdigest()[:12]


def case_path(name: str) -> Path:
    params = CASES[name]
    suffix = "" if params["kind"] == "inbox" else ".xlsx"
    return DATA / f"{name}-{_digest(params)}{suffix}"


def generate(name: str) -> Path:
    """The case's file (or inbox folder), generated when not cached."""
    path = case_path(name)
    if path.exists():
        return path
    DATA.mkdir(parents=True, exist_ok=True)
    for stale in DATA.glob(f"{name}-*"):  # an older generator's files
        shutil.rmtree(stale) if stale.is_dir() else stale.unlink()
    params = CASES[name]
    rng = random.Random(f"{SEED}:{name}")
    names = Names(rng)
    if params["kind"] == "body":
        rows = int(params["rows"])
        write_book(body_book(rng, names, rows), path, constant_memory=rows >= 50_000)
    elif params["kind"] == "office":
        book = _office(rng, names, Codes(), THEMES[0], 0, int(params["rows"]),
                       [f"SD-{i:02d}" for i in range(1, len(L1_GOALS) + 1)])
        write_book(book, path)
    else:
        tmp = path.with_name(f".{path.name}.tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir()
        body = Book()
        body.positions.append(_bupati(names))
        body.nodes[1] = _l1_nodes(rng)
        write_book(body, tmp / "00_Pohon_Kinerja_Kabupaten_Contoh.xlsx")
        l1_ids = [node.id for node in body.nodes[1]]
        codes = Codes()
        low, high = params["rows"]  # type: ignore[misc]
        for index in range(int(params["offices"])):
            theme = THEMES[index % len(THEMES)]
            office = _office(rng, names, codes, theme, index // len(THEMES),
                             rng.randrange(low, high + 1), l1_ids)
            write_book(office, tmp / f"{index + 1:02d}_Pohon_Kinerja_{office.kode_pd}.xlsx")
        os.replace(tmp, path)
    return path


def _check(path: Path) -> None:
    from collections import Counter

    from pohon_xl.pipeline import analyse

    files = sorted(path.glob("*.xlsx")) if path.is_dir() else [path]
    for file in files:
        outcome = analyse(file, derive=True)
        counts = Counter(f"{f.code}/{f.severity.value}" for f in outcome.report.findings)
        galat = sum(1 for f in outcome.report.findings if f.severity.value == "Galat")
        print(f"  {file.name}: {len(outcome.plan.nodes)} nodes, Galat {galat}; "
              f"{dict(counts.most_common(8))}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("cases", nargs="*", default=list(CASES), help="cases (default: all)")
    parser.add_argument("--check", action="store_true", help="validate and print findings")
    args = parser.parse_args(argv)
    for name in args.cases:
        path = generate(name)
        print(f"{name}: {path}")
        if args.check:
            _check(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
