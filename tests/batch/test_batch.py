"""``pohon-xl batch`` end to end: one shared run (two worker processes) checked from every
side, then the same inbox with ``--jobs 1``, a second run and a Dask cluster must give the
same outputs."""

from __future__ import annotations

import email
import email.policy
import io
import json
import zipfile
from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest

import pohon_xl.batch.run as batch_run
from pohon_xl.batch.run import run_batch
from pohon_xl.batch.runners import InlineRunner
from pohon_xl.cli import main
from pohon_xl.findings import Severity
from pohon_xl.model import contract as C
from tests.batch.builders import (
    DISPAR_ATTACHMENT,
    DISPAR_DATE,
    DISPAR_SENDER,
    SATPOL_SENDER,
    YEARS,
    body,
    build_inbox,
    office,
    total_budget,
)

KONSOLIDASI = "Konsolidasi_Pemerintah_Kota_Contoh.xlsx"
DISPAR_FILE = DISPAR_ATTACHMENT


# --- helpers -------------------------------------------------------------------------------
def book_values(data: bytes | Path) -> dict[str, list[tuple]]:
    source = io.BytesIO(data) if isinstance(data, bytes) else data
    book = openpyxl.load_workbook(source, read_only=True)
    try:
        return {ws.title: [tuple(r) for r in ws.iter_rows(values_only=True)] for ws in book}
    finally:
        book.close()


def parse_eml(path: Path):
    return email.message_from_bytes(path.read_bytes(), policy=email.policy.default)


def eml_content(path: Path) -> dict:
    message = parse_eml(path)
    return {
        "headers": sorted((k, str(v)) for k, v in message.items()),
        "body": message.get_body(("plain",)).get_content(),
        "attachments": [(a.get_filename(), a.get_content_type(), book_values(a.get_content()))
                        for a in message.iter_attachments()],
    }


def snapshot(outdir: Path) -> dict[str, object]:
    """Every output by content: workbooks by cell values, e-mails parsed."""
    result: dict[str, object] = {}
    for path in sorted(outdir.rglob("*")):
        key = path.relative_to(outdir).as_posix()
        if path.is_dir():
            result[key] = "dir"
        elif path.suffix == ".xlsx":
            result[key] = book_values(path)
        elif path.suffix == ".eml":
            result[key] = eml_content(path)
        else:
            result[key] = path.read_bytes()
    return result


def laporan(values: dict[str, list[tuple]]) -> list[dict]:
    rows = values[C.LAPORAN]
    return [dict(zip(rows[0], row)) for row in rows[1:]]


def table(values: dict[str, list[tuple]], sheet: str) -> list[dict]:
    rows = values[sheet]
    return [dict(zip(rows[0], row)) for row in rows[1:] if any(v is not None for v in row)]


def all_files(root: Path) -> set[Path]:
    return set(root.rglob("*"))


# --- the shared run ------------------------------------------------------------------------
@pytest.fixture(scope="module")
def world(tmp_path_factory):
    root = tmp_path_factory.mktemp("batch")
    inbox = build_inbox(root / "kotak", root / "bahan")
    before = all_files(root)
    result = run_batch(inbox, root / "hasil", jobs=2)
    return {"root": root, "inbox": inbox, "out": root / "hasil", "result": result,
            "before": before, "after": all_files(root)}


@pytest.fixture(scope="module")
def consolidated(world):
    return book_values(world["out"] / KONSOLIDASI)


def test_outputs_written_and_nothing_else(world):
    out = world["out"]
    assert sorted(p.name for p in (out / "dikembalikan").iterdir()) == sorted([
        "Dinkes.xlsx", "PUPR.xlsx", "Pemkot_Contoh.xlsx", "Dishub.xlsx", DISPAR_FILE])
    assert sorted(p.name for p in (out / "balasan").iterdir()) == sorted([
        "Dinkes.xlsx.eml", "PUPR.xlsx.eml", "Pemkot_Contoh.xlsx.eml", "Dishub.xlsx.eml",
        f"{DISPAR_FILE}.eml", "Satpol PP.xlsx.eml"])  # Rusak.xlsx has no known sender
    assert sorted(p.name for p in out.iterdir()) == ["Konsolidasi_Pemerintah_Kota_Contoh.xlsx",
                                                     "balasan", "dikembalikan", "riwayat"]
    created = world["after"] - world["before"]
    assert all(p == out or out in p.parents for p in created)
    assert world["result"].exit_code == 1
    assert world["result"].general == []


def test_statuses_per_file(world):
    rows = {f.name: f.row for f in world["result"].files}
    assert list(rows) == sorted(rows)
    assert {name: row.status for name, row in rows.items()} == {
        "Dinkes.xlsx": "Perlu perbaikan",
        "PUPR.xlsx": "Perlu perbaikan",
        "Pemkot_Contoh.xlsx": "Diterima",
        "Rusak.xlsx": "Tidak terbaca",
        "arsip_dishub.zip/Dishub.xlsx": "Perlu perbaikan",
        f"surat_dispar.eml/{DISPAR_ATTACHMENT}": "Diterima",
        "surat_satpol.eml/Satpol PP.xlsx": "Tidak terbaca",
    }
    assert "rusak" in rows["Rusak.xlsx"].reason
    assert rows["arsip_dishub.zip/Dishub.xlsx"].code == "DISHUB"


@pytest.mark.parametrize("name, expected", [
    ("PUPR.xlsx", {("BAT01", "Galat", "L6_RHK_Individu", 2)}),
    ("Dishub.xlsx", {("BAT01", "Galat", "L6_RHK_Individu", 2)}),
    ("Dinkes.xlsx", {("BAT02", "Galat", "L2_Sasaran_PD", 2), ("BAT05", "Info", "Identitas", 3)}),
    ("Pemkot_Contoh.xlsx", {("BAT03", "Peringatan", "L1_Sasaran_Daerah", 4),
                            ("BAT04", "Peringatan", "L1_Sasaran_Daerah", 2),
                            ("BAT06", "Info", "L1_Sasaran_Daerah", 2)}),
    (DISPAR_FILE, set()),
])
def test_returned_workbooks_carry_their_cross_findings(world, name, expected):
    values = book_values(world["out"] / "dikembalikan" / name)
    found = {(r["Kode"], r["Tingkat"], r["Sheet"], r["Baris"]) for r in laporan(values)
             if str(r["Kode"]).startswith("BAT")}
    assert found == expected
    assert {"PK", "Program", "Subkegiatan", "SKP"} <= set(values)
    if name == "PUPR.xlsx":
        l6 = table(values, "L6_RHK_Individu")
        assert l6[0]["Status"] == "Galat" and "[BAT01]" in l6[0]["Catatan Validasi"]
    if name == DISPAR_FILE:
        assert not any(r["Tingkat"] == "Galat" for r in laporan(values))


def test_body_workbook_split_findings_are_reconsidered(world):
    values = book_values(world["out"] / "dikembalikan" / "Pemkot_Contoh.xlsx")
    rows = laporan(values)
    assert not any(r["Tingkat"] == "Galat" for r in rows)  # missing L2-L6 sheets: Info here
    assert not any(r["Kode"] == "TAU06" for r in rows)  # BAT03 answers it
    pupr = laporan(book_values(world["out"] / "dikembalikan" / "PUPR.xlsx"))
    assert not any(r["Kode"] == "TAU01" for r in pupr)  # S1 is found in the body


def test_office_pk_names_the_kepala_daerah_of_the_body(world):
    values = book_values(world["out"] / "dikembalikan" / "PUPR.xlsx")
    assert "KDH" not in [r[C.KODE_JABATAN] for r in table(values, C.JABATAN)]  # untouched
    text = "\n".join(str(v) for row in values["PK"] for v in row if v is not None)
    assert "Kepala Dinas Pekerjaan Umum" in text and "Wali Kota Contoh" in text
    codes = {r["Kode"] for r in laporan(values)}
    assert not codes & {"TUR05", "PEM08", "BAT13"}


def _ringkasan_line(values: dict[str, list[tuple]], start: str) -> tuple:
    return next(row for row in values["Ringkasan"] if str(row[1] or "").startswith(start))


def test_returned_office_workbook_hangs_under_the_body_l1(world):
    values = book_values(world["out"] / "dikembalikan" / "PUPR.xlsx")
    matriks = table(values, C.MATRIKS)
    assert [(r["ID L1"], r["ID L2"], r["ID L5"]) for r in matriks] == [
        ("S1", "PUPR-L2-1", "PUPR-L5-1"), ("S1", "PUPR-L2-1", "PUPR-L5-2")]
    assert _ringkasan_line(values, "Subkegiatan (L5) yang tertelusur")[2:4] == (2, 2)
    pohon = [str(v) for row in values[C.POHON] for v in row if v is not None]
    assert not any("Tidak terhubung" in text for text in pohon)
    assert "L1 S1 ▸ L2 PUPR-L2-1: Meningkatnya kinerja Dinas Pekerjaan Umum" in pohon
    assert "L1_Sasaran_Daerah" not in values  # the body's L1 is lent, never written
    # DINKES names an L1 the body does not have: with the body known, it is unlinked
    dinkes = book_values(world["out"] / "dikembalikan" / "Dinkes.xlsx")
    assert table(dinkes, C.MATRIKS) == []
    assert _ringkasan_line(dinkes, "Subkegiatan (L5) yang tertelusur")[2:4] == (0, 2)


def test_consolidated_levels_and_sources(consolidated):
    assert list(consolidated)[:10] == ["Rekap", "Identitas", "Jabatan", *(s.sheet for s in
                                       C.LEVELS), "Laporan_Validasi"]
    l5 = table(consolidated, "L5_Sasaran_Subkegiatan")
    assert len(l5) == 8
    assert {r["Sumber"] for r in l5} == {"Dinkes.xlsx", "PUPR.xlsx",
                                         "arsip_dishub.zip/Dishub.xlsx",
                                         f"surat_dispar.eml/{DISPAR_ATTACHMENT}"}
    l2 = table(consolidated, "L2_Sasaran_PD")
    assert len(l2) == 8  # four nodes of two indicators each
    assert [r["Status"] for r in l2 if r["ID"] == "DINKES-L2-1"] == ["Galat"]
    jabatan = table(consolidated, "Jabatan")
    assert [r["Kode Jabatan"] for r in jabatan].count("KDH") == 1
    assert jabatan[0]["Sumber"] == "Pemkot_Contoh.xlsx"
    identitas = dict(consolidated["Identitas"])
    assert identitas["Instansi"] == "Pemerintah Kota Contoh" and identitas["Tahun PK"] == 2026


def test_consolidated_budgets_sum_every_office(consolidated):
    # The matrices end with a total row (added with the office column): the rows above it sum
    # to it, and it is every office's budget.
    *program, program_total = table(consolidated, "Program")
    *subs, subs_total = table(consolidated, "Subkegiatan")
    assert program_total[C.KEY_PERANGKAT_DAERAH] == subs_total[C.KEY_PERANGKAT_DAERAH] == "Jumlah"
    for year in YEARS:
        pagu = sum(r[C.pagu_header(year)] or 0 for r in program)
        assert pagu == total_budget(year) == program_total[C.pagu_header(year)]
        assert sum(r[C.budget_header(year)] or 0 for r in subs) == total_budget(year)
        assert subs_total[C.budget_header(year)] == total_budget(year)


def test_consolidated_matrices_are_per_office(consolidated):
    for sheet in ("Program", "Kegiatan", "Subkegiatan"):
        *rows, _total = table(consolidated, sheet)
        offices = [r[C.KEY_PERANGKAT_DAERAH] for r in rows]
        assert all(offices) and len(set(offices)) > 1
        # grouped: an office's rows stand together
        assert len([o for i, o in enumerate(offices) if i == 0 or offices[i - 1] != o]) == len(
            set(offices))


def test_consolidated_pk_of_the_kepala_daerah_covers_l1(consolidated):
    text = "\n".join(str(v) for row in consolidated["PK"] for v in row if v is not None)
    assert "Wali Kota Contoh" in text and "Budi Santoso" in text
    assert "Menurunnya kemacetan" in text and "Meningkatnya kunjungan wisata" in text


def test_consolidated_laporan_names_the_file(consolidated):
    rows = laporan(consolidated)
    assert list(rows[0])[0] == "Berkas"
    bat01 = sorted(r["Berkas"] for r in rows if r["Kode"] == "BAT01")
    assert bat01 == ["PUPR.xlsx", "arsip_dishub.zip/Dishub.xlsx"]


def test_rekap_rows_and_chart(world, consolidated):
    rekap = consolidated["Rekap"]
    header = rekap[0]
    assert header == ("No", "Perangkat Daerah", "Kode", "Berkas", "Pengirim", "Galat",
                      "Peringatan", "Info", "Status", "Keterangan", "Perubahan",
                      "Temuan selesai", "Indikator Terlapor", "Persentase Terlapor")
    rows = [dict(zip(header, r)) for r in rekap[1:8]]
    # no workbook of this inbox has a Realisasi sheet: nothing to report as a share
    assert all(r["Indikator Terlapor"] is None for r in rows)
    assert [r["Berkas"] for r in rows] == [f.name for f in world["result"].files]
    by_file = {r["Berkas"]: r for r in rows}
    assert by_file["Rusak.xlsx"]["Status"] == "Tidak terbaca"
    assert "rusak" in by_file["Rusak.xlsx"]["Keterangan"]
    assert by_file["PUPR.xlsx"]["Galat"] == 1 and by_file["PUPR.xlsx"]["Kode"] == "PUPR"
    assert by_file[f"surat_dispar.eml/{DISPAR_ATTACHMENT}"]["Pengirim"] == DISPAR_SENDER
    totals = dict(zip(header, rekap[8]))
    assert totals["Perangkat Daerah"] == "Jumlah"
    assert totals["Galat"] == sum(r["Galat"] for r in rows)
    book = openpyxl.load_workbook(world["out"] / KONSOLIDASI)
    [chart] = book["Rekap"]._charts
    assert chart.grouping == "stacked" and len(chart.series) == 3
    # "per perangkat daerah": each bar is labelled by the office (column B), not the file
    assert "Temuan per perangkat daerah" in str(chart.title.tx.rich.p[0].r[0].t)
    assert chart.series[0].cat.strRef.f == f"Rekap!$B$2:$B${len(rows) + 1}"
    assert by_file["Rusak.xlsx"]["Perangkat Daerah"] == "(tidak terbaca)"


def test_reply_to_workbook_email(world):
    message = parse_eml(world["out"] / "balasan" / "PUPR.xlsx.eml")
    assert message["To"] == "rencana@pupr.contoh.go.id"
    assert message["From"] == "bappeda@contoh.go.id"
    assert message["Date"] is None  # not from an e-mail: no date at all
    assert "Perlu perbaikan" in message["Subject"] and "1 galat" in message["Subject"]
    text = message.get_body(("plain",)).get_content()
    assert "[BAT01] ID DISHUB-L6-1 (L6_RHK_Individu, baris 2, kolom ID): ID 'DISHUB-L6-1'" in text
    assert "kolom ID ID" not in text
    assert text.index("Galat") < text.index("Peringatan") if "Peringatan" in text else True
    [attachment] = list(message.iter_attachments())
    assert attachment.get_filename() == "PUPR.xlsx"
    values = book_values(attachment.get_content())
    assert any(r["Kode"] == "BAT01" for r in laporan(values))


def test_reply_to_the_sender_of_an_email(world):
    message = parse_eml(world["out"] / "balasan" / f"{DISPAR_FILE}.eml")
    assert message["To"] == DISPAR_SENDER  # Identitas Email is empty
    assert message["Date"] == DISPAR_DATE
    assert message["In-Reply-To"] == "<dispar-1@contoh.go.id>"
    assert "Diterima" in message["Subject"]
    text = message.get_body(("plain",)).get_content()
    # the name the office gave its file and how it came, never the inbox's path
    assert (f'Workbook pohon kinerja "{DISPAR_ATTACHMENT}" (lampiran surel tanggal '
            '2 November 2026) sudah kami periksa.') in text
    assert ".eml/" not in text and ".eml" not in message["Subject"]
    [attachment] = list(message.iter_attachments())
    assert attachment.get_filename() == DISPAR_ATTACHMENT
    book = openpyxl.load_workbook(io.BytesIO(attachment.get_content()))
    assert C.LAPORAN in book.sheetnames


def test_reply_for_an_unreadable_attachment(world):
    message = parse_eml(world["out"] / "balasan" / "Satpol PP.xlsx.eml")
    assert message["To"] == SATPOL_SENDER
    assert "Tidak terbaca" in message["Subject"]
    text = message.get_body(("plain",)).get_content()
    assert 'Workbook "Satpol PP.xlsx" (lampiran surel) yang Bapak/Ibu kirim tidak dapat kami ' \
           "baca:\r\n  berkas rusak atau terpotong" in text
    assert message["Subject"] == "Pohon kinerja Satpol PP.xlsx: Tidak terbaca"
    assert ".eml/" not in text
    assert list(message.iter_attachments()) == []


def test_reply_names_the_archive_a_file_came_in(world):
    message = parse_eml(world["out"] / "balasan" / "Dishub.xlsx.eml")
    text = message.get_body(("plain",)).get_content()
    assert 'Workbook pohon kinerja "Dishub.xlsx" (di dalam arsip arsip_dishub.zip)' in text
    assert ".zip/" not in text


# --- determinism ---------------------------------------------------------------------------
def test_same_outputs_with_one_job_and_on_a_second_run(world, tmp_path):
    expected = snapshot(world["out"])
    run_batch(world["inbox"], tmp_path / "satu", jobs=1)
    assert snapshot(tmp_path / "satu") == expected
    first = {p: p.read_bytes() for p in (tmp_path / "satu").rglob("*") if p.is_file()}
    run_batch(world["inbox"], tmp_path / "satu", jobs=1)  # again, into the same folder
    again = {p: p.read_bytes() for p in (tmp_path / "satu").rglob("*") if p.is_file()}
    assert again.keys() == first.keys()
    assert [p.name for p in again if again[p] != first[p]] == []  # byte for byte
    jobs2 = {p.relative_to(world["out"]): p.read_bytes() for p in world["out"].rglob("*")
             if p.is_file()}
    jobs1 = {p.relative_to(tmp_path / "satu"): data for p, data in first.items()}
    assert [str(p) for p in jobs1 if jobs1[p] != jobs2[p]] == []  # whatever --jobs


class _EarlyRunner(InlineRunner):
    """Inline, but with a job started early whose result is ``early`` (a callable)."""

    def __init__(self, early):
        self.early, self.started = early, []

    def start(self, fn, job):
        self.started.append(job)
        return lambda: self.early(fn, job)


def _consolidated_with(monkeypatch, tmp_path, world, runner) -> bytes:
    monkeypatch.setattr(batch_run, "make_runner", lambda jobs, dask, count: runner)
    run_batch(world["inbox"], tmp_path / "awal", jobs=2)
    assert runner.started  # the consolidation was handed to the runner before phase 3
    return (tmp_path / "awal" / KONSOLIDASI).read_bytes()


def test_early_consolidation_is_used_when_nothing_changed(world, tmp_path, monkeypatch):
    def parent_builds(job):
        raise AssertionError("the parent rebuilt the consolidated workbook")

    runner = _EarlyRunner(lambda fn, job: fn(job))
    monkeypatch.setattr(batch_run, "_consolidated_bytes", parent_builds)
    data = _consolidated_with(monkeypatch, tmp_path, world, runner)
    assert data == (world["out"] / KONSOLIDASI).read_bytes()


def test_stale_or_failed_early_consolidation_is_rebuilt(world, tmp_path, monkeypatch):
    # A file whose derivation adds findings changes the inputs after the job was sent:
    # simulated with a guess that differs from the final inputs.
    guess = batch_run._Batch.consolidate_job
    monkeypatch.setattr(batch_run._Batch, "consolidate_job",
                        lambda self, *a: replace(guess(self, *a), instansi="lain"))
    stale = _consolidated_with(monkeypatch, tmp_path / "a", world,
                               _EarlyRunner(lambda fn, job: b"usang"))
    monkeypatch.undo()

    def crash(fn, job):
        raise RuntimeError("pekerja mati")

    failed = _consolidated_with(monkeypatch, tmp_path / "b", world, _EarlyRunner(crash))
    expected = (world["out"] / KONSOLIDASI).read_bytes()
    assert stale == expected and failed == expected


@pytest.mark.slow
def test_same_outputs_on_a_dask_cluster(world, tmp_path):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        run_batch(world["inbox"], tmp_path / "dask", dask=cluster.scheduler_address)
    assert snapshot(tmp_path / "dask") == snapshot(world["out"])
    differing = [p.name for p in (tmp_path / "dask").rglob("*") if p.is_file() and
                 p.read_bytes() != (world["out"] / p.relative_to(tmp_path / "dask")).read_bytes()]
    assert differing == []  # byte for byte, too


# --- hostile and broken inboxes ------------------------------------------------------------
def test_hostile_archive_ends_in_a_report(tmp_path):
    inbox = tmp_path / "kotak"
    inbox.mkdir()
    good = body(inbox / "Pemkot.xlsx").read_bytes()
    nested = io.BytesIO()
    with zipfile.ZipFile(nested, "w") as inner:
        inner.writestr("Dalam.xlsx", good)
    with zipfile.ZipFile(inbox / "jahat.zip", "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("../../evil.xlsx", good)
        archive.writestr("/tmp/pohon_xl_evil_abs.xlsx", good)
        archive.writestr("bom.xlsx", b"\0" * (8 << 20))
        archive.writestr("bersarang.zip", nested.getvalue())
    before = all_files(tmp_path)
    result = run_batch(inbox, tmp_path / "hasil", jobs=1)
    created = all_files(tmp_path) - before
    out = tmp_path / "hasil"
    assert all(p == out or out in p.parents for p in created)
    assert not Path("/tmp/pohon_xl_evil_abs.xlsx").exists()
    assert not any(p.name.startswith(".") for p in out.rglob("*"))  # staging removed
    status = {f.name: (f.row.status, f.row.reason) for f in result.files}
    assert status["Pemkot.xlsx"][0] != "Tidak terbaca"
    for name in ("jahat.zip/../../evil.xlsx", "jahat.zip//tmp/pohon_xl_evil_abs.xlsx",
                 "jahat.zip/bom.xlsx", "jahat.zip/bersarang.zip"):
        assert status[name][0] == "Tidak terbaca", name
    rekap = book_values(out / "Konsolidasi_Pemerintah_Kota_Contoh.xlsx")["Rekap"]
    assert sum(1 for r in rekap if r[8] == "Tidak terbaca") == 4


def test_missing_body_is_reported(tmp_path, capsys):
    inbox = tmp_path / "kotak"
    inbox.mkdir()
    office(inbox / "Dishub.xlsx", "Dinas Perhubungan", "DISHUB", "a@dishub.go.id", "DISHUB",
           "2.15.02", "S1", 4e8)
    code = main(["batch", str(inbox), "-o", str(tmp_path / "hasil"), "--jobs", "1", "--json"])
    assert code == 1
    data = json.loads(capsys.readouterr().out)
    assert [g["kode"] for g in data["temuan_batch"]] == ["BAT10"]
    assert data["berkas"][0]["status"] == "Diterima"
    rekap = book_values(tmp_path / "hasil" / "Konsolidasi_Pemerintah_Kota_Contoh.xlsx")["Rekap"]
    assert any("BAT10" in row for row in rekap)


def test_cli_summary_and_exit_codes(tmp_path, capsys):
    inbox = tmp_path / "kotak"
    inbox.mkdir()
    body(inbox / "Pemkot.xlsx")
    office(inbox / "Dishub.xlsx", "Dinas Perhubungan", "DISHUB", "a@dishub.go.id", "DISHUB",
           "2.15.02", "S1", 4e8)
    assert main(["batch", str(inbox), "-o", str(tmp_path / "hasil"), "--jobs", "1"]) == 0
    captured = capsys.readouterr()
    assert "Hasil batch" in captured.out and "Pemkot.xlsx" in captured.out
    [total] = [line for line in captured.out.splitlines() if "│ 2 berkas" in line]
    cells = [cell.strip() for cell in total.strip("│ ").split("│")]
    # the count of accepted files under Status, the Perangkat Daerah column left empty
    assert (cells[1], cells[2], cells[-1]) == ("", "0", "2 diterima")
    assert "Memeriksa [2/2] Pemkot.xlsx" in captured.err  # not a terminal: plain lines
    assert main(["batch", str(tmp_path / "tidak-ada"), "-o", str(tmp_path / "x")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "tidak ditemukan" in err[0]
    assert main(["batch", str(inbox), "-o", str(inbox)]) == 2
    assert "berbeda" in capsys.readouterr().err
    assert main(["batch", str(inbox), "-o", str(tmp_path / "y"), "--jobs", "0"]) == 2
    empty = tmp_path / "kosong"
    empty.mkdir()
    assert main(["batch", str(empty), "-o", str(tmp_path / "z")]) == 2
    assert not (tmp_path / "z").exists() and not (tmp_path / "x").exists()


def test_severity_counts_match_findings(world):
    for f in world["result"].files:
        if f.row.status == "Tidak terbaca":
            continue
        galat = sum(x.severity is Severity.GALAT for x in f.findings)
        assert f.row.counts[0] == galat
