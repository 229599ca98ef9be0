"""An inbox of a small body built in code: the body-level workbook and four offices, one
zipped, one attached to an e-mail (non-ASCII RFC 2231 file name), one with an ID another
office also uses, one whose L2 names an L1 that does not exist, plus unreadable files."""

from __future__ import annotations

import zipfile
from email.message import EmailMessage
from email.policy import SMTP
from pathlib import Path

from pohon_xl.model import contract as C
from tests.conftest import write_workbook

YEARS = range(2025, 2030)
INSTANSI = "Pemerintah Kota Contoh"
KDH = ["KDH", "Wali Kota Contoh", C.KEPALA_DAERAH, "Pemerintah Kota Contoh", "",
       "196501011990031001", "Budi Santoso"]
DISPAR_ATTACHMENT = "Dinas Pariwisata – Pohon Kinerja é.xlsx"
DISPAR_SENDER = "Seksi Perencanaan Dispar <rencana@dispar.contoh.go.id>"
DISPAR_DATE = "Mon, 02 Nov 2026 09:15:00 +0700"
SATPOL_SENDER = "satpol@contoh.go.id"


def identitas(pd: str, code: str, email: str, penyusun: str = "Subbag Perencanaan"):
    return [[C.KEY_INSTANSI, INSTANSI], [C.KEY_PERANGKAT_DAERAH, pd or None],
            [C.KEY_KODE_PD, code or None], [C.KEY_TAHUN_AWAL, 2025],
            [C.KEY_TAHUN_AKHIR, 2029], [C.KEY_TAHUN_PK, 2026],
            [C.KEY_PENYUSUN, penyusun], [C.KEY_EMAIL, email]]


def level_rows(level: int, rows: list[dict]) -> list[list[object]]:
    spec = C.LEVEL_BY_NUMBER[level]
    headers = C.level_headers(spec, YEARS)
    return [headers] + [[row.get(h) for h in headers] for row in rows]


def node(id_: str, parent: str, sasaran: str, indikator: str, owner: str, *, base: float = 10,
         step: float = 1, code: str = "", name: str = "", budget: float | None = None,
         jenis: str = C.KONTRIBUSI, kolaborator: str = "", aspek: str = "") -> dict:
    row = {C.ID: id_, C.ID_INDUK: parent or None, C.SASARAN: sasaran, C.INDIKATOR: indikator,
           C.SATUAN: "%", C.ARAH: C.ARAH_NAIK, C.BASELINE: base,
           C.JENIS_CASCADING: jenis or None, C.PEMILIK: owner, C.KOLABORATOR: kolaborator or None}
    for i, year in enumerate(YEARS, start=1):
        row[C.target_header(year)] = base + step * i
        if budget is not None:
            row[C.budget_header(year)] = budget + 1_000_000 * i
    if code:
        spec_level = {2: "Program", 4: "Kegiatan", 5: "Subkegiatan"}[code.count(".")]
        row[f"Kode {spec_level}"] = code
        row[f"Nama {spec_level}"] = name
    if aspek:
        row[C.ASPEK] = aspek
    return row


def more(indikator: str, base: float = 5) -> dict:
    """A continuation row: a second indicator of the node above."""
    row = {C.INDIKATOR: indikator, C.SATUAN: "%", C.ARAH: C.ARAH_NAIK, C.BASELINE: base}
    for i, year in enumerate(YEARS, start=1):
        row[C.target_header(year)] = base + i
    return row


def jabatan(*rows: list[object]) -> list[list[object]]:
    return [list(C.JABATAN_HEADERS), KDH, *rows]


def _without_kdh(*rows: list[object]) -> list[list[object]]:
    return [list(C.JABATAN_HEADERS), *rows]


def office(path: Path, *args, **kwargs) -> Path:
    return write_workbook(path, office_sheets(*args, **kwargs))


def office_sheets(pd: str, code: str, email: str, prefix: str, program: str,
                  parent_l1: str, budget: float, rhk_id: str | None = None,
                  with_kdh: bool = True) -> dict:
    """An office workbook: its Jabatan and one chain L2 -> L6 with two sub-activities."""
    kadis, kabid, kasi, staf = (f"{prefix}-KADIS", f"{prefix}-KABID", f"{prefix}-KASI",
                                f"{prefix}-STAF")
    kegiatan = f"{program}.2.01"
    sheets = {
        C.IDENTITAS: identitas(pd, code, email),
        C.JABATAN: (jabatan if with_kdh else _without_kdh)(
            [kadis, f"Kepala {pd}", "JPT", pd, "KDH", f"19700101199503100{len(prefix)}",
             f"Kadis {prefix}"],
            [kabid, f"Kepala Bidang {prefix}", "Administrator", pd, kadis, "", f"Kabid {prefix}"],
            [kasi, f"Kepala Seksi {prefix}", "Pengawas", pd, kabid, "", f"Kasi {prefix}"],
            [staf, f"Analis {prefix}", "Pelaksana", pd, kasi, "", f"Staf {prefix}"],
        ),
        "L2_Sasaran_PD": level_rows(2, [
            node(f"{prefix}-L2-1", parent_l1, f"Meningkatnya kinerja {pd}",
                 "Indeks kinerja layanan", kadis),
            more("Persentase kepuasan masyarakat"),
        ]),
        "L3_Sasaran_Program": level_rows(3, [
            node(f"{prefix}-L3-1", f"{prefix}-L2-1", f"Meningkatnya mutu program {prefix}",
                 "Persentase capaian program", kabid, code=program, name=f"Program {prefix}"),
        ]),
        "L4_Sasaran_Kegiatan": level_rows(4, [
            node(f"{prefix}-L4-1", f"{prefix}-L3-1", f"Meningkatnya mutu kegiatan {prefix}",
                 "Persentase capaian kegiatan", kasi, code=kegiatan,
                 name=f"Kegiatan {prefix}"),
        ]),
        "L5_Sasaran_Subkegiatan": level_rows(5, [
            node(f"{prefix}-L5-1", f"{prefix}-L4-1", f"Tersedianya layanan A {prefix}",
                 "Persentase layanan A", staf, code=f"{kegiatan}.0001",
                 name=f"Subkegiatan A {prefix}", budget=budget),
            node(f"{prefix}-L5-2", f"{prefix}-L4-1", f"Tersedianya layanan B {prefix}",
                 "Persentase layanan B", staf, code=f"{kegiatan}.0002",
                 name=f"Subkegiatan B {prefix}", budget=budget / 2),
        ]),
        "L6_RHK_Individu": level_rows(6, [
            node(rhk_id or f"{prefix}-L6-1", f"{prefix}-L5-1", f"Tersusunnya laporan {prefix}",
                 "Jumlah laporan", staf, aspek="Kuantitas"),
        ]),
    }
    return sheets


def body(path: Path) -> Path:
    return write_workbook(path, body_sheets())


def body_sheets() -> dict:
    return {
        C.IDENTITAS: identitas("", "", "bappeda@contoh.go.id", "Bidang Perencanaan Bappeda"),
        C.JABATAN: jabatan(),
        "L1_Sasaran_Daerah": level_rows(1, [
            node("S1", "", "Menurunnya kemacetan", "Indeks kemacetan", "KDH", jenis="",
                 kolaborator="DISHUB, PUPR, DINKES, SATPOL"),
            node("S2", "", "Meningkatnya kunjungan wisata", "Persentase kunjungan", "KDH",
                 jenis="", kolaborator="DISPAR"),
            node("S3", "", "Meningkatnya kualitas udara", "Indeks kualitas udara", "KDH",
                 jenis=""),
        ]),
    }


# The expected budgets: Anggaran <year> of every office's L5 rows.
BUDGETS = {"DISHUB": 400_000_000, "DISPAR": 200_000_000, "PUPR": 800_000_000,
           "DINKES": 100_000_000}


def total_budget(year: int) -> float:
    i = year - 2024
    return sum(b + 1_000_000 * i + b / 2 + 1_000_000 * i for b in BUDGETS.values())


def eml(path: Path, sender: str, attachments: list[tuple[str, bytes]], *, date: str = "",
        subject: str = "Pohon kinerja", message_id: str = "") -> Path:
    message = EmailMessage(policy=SMTP)
    message["From"] = sender
    message["To"] = "bappeda@contoh.go.id"
    message["Subject"] = subject
    if date:
        message["Date"] = date
    if message_id:
        message["Message-ID"] = message_id
    message.set_content("Terlampir pohon kinerja kami.\n")
    for name, data in attachments:
        message.add_attachment(data, maintype="application",
                               subtype="vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                               filename=name)
    path.write_bytes(message.as_bytes())
    return path


def build_inbox(folder: Path, scratch: Path) -> Path:
    """The inbox of the end-to-end tests (``scratch`` holds the workbooks packed elsewhere)."""
    folder.mkdir(parents=True)
    scratch.mkdir(parents=True)
    body(folder / "Pemkot_Contoh.xlsx")
    # PUPR uses DISHUB's RHK ID (a cross-office duplicate) and leaves the Kepala Daerah out
    # of its Jabatan (its head reports to KDH of the body); DINKES names a missing L1.
    office(folder / "PUPR.xlsx", "Dinas Pekerjaan Umum", "PUPR", "rencana@pupr.contoh.go.id",
           "PUPR", "1.03.10", "S1", BUDGETS["PUPR"], rhk_id="DISHUB-L6-1", with_kdh=False)
    office(folder / "Dinkes.xlsx", "Dinas Kesehatan", "DINKES", "rencana@dinkes.contoh.go.id",
           "DINKES", "1.02.02", "S9", BUDGETS["DINKES"])
    dishub = office(scratch / "Dishub.xlsx", "Dinas Perhubungan", "DISHUB",
                    "perencanaan@dishub.contoh.go.id", "DISHUB", "2.15.02", "S1",
                    BUDGETS["DISHUB"])
    with zipfile.ZipFile(folder / "arsip_dishub.zip", "w", zipfile.ZIP_DEFLATED) as archive:
        archive.write(dishub, "Dishub.xlsx")
        archive.writestr("baca saya.txt", "Pohon kinerja Dishub terlampir.")
    dispar = office(scratch / "dispar.xlsx", "Dinas Pariwisata", "DISPAR", "",
                    "DISPAR", "3.26.02", "S2", BUDGETS["DISPAR"])
    eml(folder / "surat_dispar.eml", DISPAR_SENDER, [(DISPAR_ATTACHMENT, dispar.read_bytes())],
        date=DISPAR_DATE, subject="Kiriman pohon kinerja Dinas Pariwisata",
        message_id="<dispar-1@contoh.go.id>")
    eml(folder / "surat_satpol.eml", SATPOL_SENDER,
        [("Satpol PP.xlsx", b"PK\x03\x04" + bytes(range(256)) * 4)])
    (folder / "Rusak.xlsx").write_bytes(b"PK\x03\x04 ini bukan workbook")
    return folder


def crash_on_two(job):
    """A job function for the runner tests: the worker process dies on job 2."""
    import os

    if job.index == 2:
        os._exit(3)
    return ("ok", job.index)
