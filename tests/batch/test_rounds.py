"""Rounds of the e-mail loop: an office's revision supersedes its earlier submission in the
same inbox; the next round's returned workbooks and replies say exactly what changed and
which findings were resolved; the memory survives a failed run and another body's memory."""

from __future__ import annotations

import copy
import email
import email.policy
import json
import os
import zipfile
from pathlib import Path

import openpyxl
import pytest

from pohon_xl.batch.rounds import MEMORY_DIR, Memory, load_memory, order_versions
from pohon_xl.batch.run import run_batch
from pohon_xl.cli import main
from pohon_xl.model import contract as C
from pohon_xl.model.plan import Identity, Plan
from tests.batch.builders import body_sheets, eml, office_sheets
from tests.conftest import write_workbook

KONSOLIDASI = "Konsolidasi_Pemerintah_Kota_Contoh.xlsx"
OLD_TIME = 1_762_000_000  # 2025-11-01: the first Dishub file's own time
REVISION_DATE = "Tue, 03 Nov 2026 10:00:00 +0700"
YEAR_COLUMNS = {year: C.target_header(year) for year in range(2025, 2030)}


def _set(sheets: dict, sheet: str, row_id: str, header: str, value: object) -> None:
    rows = sheets[sheet]
    column = rows[0].index(header)
    [row] = [r for r in rows[1:] if r[0] == row_id]
    row[column] = value


def _add_l4(sheets: dict, prefix: str) -> None:
    rows = sheets["L4_Sasaran_Kegiatan"]
    new = list(rows[1])
    new[0] = f"{prefix}-L4-2"
    new[rows[0].index(C.SASARAN)] = f"Meningkatnya cakupan kegiatan baru {prefix}"
    new[rows[0].index(C.INDIKATOR)] = "Persentase cakupan kegiatan baru"
    rows.append(new)


def _dishub(version: int) -> dict:
    sheets = office_sheets("Dinas Perhubungan", "DISHUB", "perencanaan@dishub.contoh.go.id",
                           "DISHUB", "2.15.02", "S1", 400_000_000)
    if version == 0:  # the first submission: the RHK names a sub-activity that is not there
        _set(sheets, "L6_RHK_Individu", "DISHUB-L6-1", C.ID_INDUK, "DISHUB-L5-9")
        return sheets
    _set(sheets, "L5_Sasaran_Subkegiatan", "DISHUB-L5-1", YEAR_COLUMNS[2026], 99)
    _add_l4(sheets, "DISHUB")
    if version == 2:
        _set(sheets, "L5_Sasaran_Subkegiatan", "DISHUB-L5-2", YEAR_COLUMNS[2027], 77)
    return sheets


def _pupr(version: int) -> dict:
    sheets = office_sheets("Dinas Pekerjaan Umum", "PUPR", "rencana@pupr.contoh.go.id", "PUPR",
                           "1.03.10", "S1", 800_000_000)
    if version == 1:
        _set(sheets, "L6_RHK_Individu", "PUPR-L6-1", C.ID_INDUK, "PUPR-L5-9")
    else:
        _set(sheets, "L4_Sasaran_Kegiatan", "PUPR-L4-1", C.SASARAN,
             "Meningkatnya mutu jalan kota")
    return sheets


def _dispar() -> dict:
    return office_sheets("Dinas Pariwisata", "DISPAR", "rencana@dispar.contoh.go.id", "DISPAR",
                         "3.26.02", "S2", 200_000_000)


def _round_one(folder: Path, scratch: Path) -> Path:
    folder.mkdir(parents=True)
    scratch.mkdir(parents=True)
    write_workbook(folder / "Pemkot_Contoh.xlsx", body_sheets())
    old = write_workbook(folder / "Dishub.xlsx", _dishub(0))
    os.utime(old, (OLD_TIME, OLD_TIME))
    revision = write_workbook(scratch / "Dishub revisi.xlsx", _dishub(1))
    eml(folder / "revisi_dishub.eml", "perencanaan@dishub.contoh.go.id",
        [("Dishub revisi.xlsx", revision.read_bytes())], date=REVISION_DATE,
        subject="Revisi pohon kinerja Dishub")
    write_workbook(folder / "PUPR.xlsx", _pupr(1))
    dispar = write_workbook(scratch / "Dispar.xlsx", _dispar())
    with zipfile.ZipFile(folder / "dispar.zip", "w") as archive:
        archive.write(dispar, "Dispar.xlsx")
    return folder


def _round_two(folder: Path, first: Path) -> Path:
    folder.mkdir(parents=True)
    for name in ("Pemkot_Contoh.xlsx", "dispar.zip"):
        (folder / name).write_bytes((first / name).read_bytes())
    write_workbook(folder / "Dishub.xlsx", _dishub(2))
    write_workbook(folder / "PUPR.xlsx", _pupr(2))
    return folder


@pytest.fixture(scope="module")
def rounds(tmp_path_factory):
    root = tmp_path_factory.mktemp("putaran")
    first_inbox = _round_one(root / "masuk1", root / "bahan")
    out = root / "hasil"
    first = run_batch(first_inbox, out, jobs=1)
    first_files = {f.name: f for f in first.files}
    first_rekap = _rekap(out)
    second = run_batch(_round_two(root / "masuk2", first_inbox), out, jobs=1)
    return {"root": root, "out": out, "first": first, "first_files": first_files,
            "first_rekap": first_rekap, "second": second,
            "second_files": {f.name: f for f in second.files}}


def _rekap(out: Path) -> dict[str, dict]:
    book = openpyxl.load_workbook(out / KONSOLIDASI, read_only=True)
    rows = list(book["Rekap"].iter_rows(values_only=True))
    header = rows[0]
    return {r[3]: dict(zip(header, r)) for r in rows[1:] if r[0] is not None}


def _reply(out: Path, filename: str) -> str:
    with (out / "balasan" / f"{filename}.eml").open("rb") as handle:
        message = email.message_from_binary_file(handle, policy=email.policy.default)
    return message.get_body(("plain",)).get_content()


def _change_lines(text: str) -> list[str]:
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("Perubahan sejak"))
    found = []
    for line in lines[start + 1:]:
        if not line.startswith("- "):
            break
        found.append(line[2:])
    return found


def test_the_revision_supersedes_the_earlier_submission(rounds):
    files = rounds["first_files"]
    codes = {f.code for result in files.values() for f in result.findings}
    assert "BAT01" not in codes  # the two versions were never checked against each other
    old = files["Dishub.xlsx"]
    assert old.row.status == "Digantikan" and old.returned is None and old.reply is None
    assert "revisi_dishub.eml/Dishub revisi.xlsx" in old.row.reason
    assert "2025-11-01" in old.row.reason and "2026-11-03" in old.row.reason
    assert rounds["first_rekap"]["Dishub.xlsx"]["Status"] == "Digantikan"
    revision = files["revisi_dishub.eml/Dishub revisi.xlsx"]
    assert revision.row.status == "Diterima"  # the RHK's parent was fixed
    book = openpyxl.load_workbook(revision.returned, read_only=True)
    assert "PK" in book.sheetnames and "Perubahan" not in book.sheetnames
    assert any("DISHUB" in str(v) for row in book["Program"].iter_rows(values_only=True)
               for v in row)
    assert not rounds["first"].has_errors or rounds["first_files"]["PUPR.xlsx"].row.counts[0]


def test_the_consolidation_holds_the_latest_version_only(rounds):
    book = openpyxl.load_workbook(rounds["out"] / KONSOLIDASI, read_only=True)
    ids = [r[0] for r in book["L4_Sasaran_Kegiatan"].iter_rows(min_row=2, values_only=True)]
    assert ids.count("DISHUB-L4-1") == 1 and "DISHUB-L4-2" in ids


def test_next_round_names_exactly_the_planted_changes(rounds):
    out = rounds["out"]
    dishub = _change_lines(_reply(out, "Dishub.xlsx"))
    assert dishub == ["DISHUB-L5-2 (indikator 'Persentase layanan B'): Target 2027 13 → 77"]
    pupr_text = _reply(out, "PUPR.xlsx")
    assert _change_lines(pupr_text) == [
        "PUPR-L4-1: Sasaran 'Meningkatnya mutu kegiatan PUPR' → 'Meningkatnya mutu jalan kota'",
        "PUPR-L6-1 dipindah dari induk 'PUPR-L5-9' ke 'PUPR-L5-1'",
    ]
    resolved = [line for line in pupr_text.splitlines() if line.startswith("- Selesai:")]
    assert any("[TAU" in line and "PUPR-L6-1" in line for line in resolved)
    rekap = _rekap(out)
    assert rekap["PUPR.xlsx"]["Perubahan"] == "2 diubah" or rekap["PUPR.xlsx"]["Perubahan"] \
        == "1 dipindah, 1 diubah"
    assert rekap["PUPR.xlsx"]["Temuan selesai"] >= 1
    assert rekap["Dishub.xlsx"]["Perubahan"] == "1 diubah"
    book = openpyxl.load_workbook(out / "dikembalikan" / "PUPR.xlsx")
    sheet = book["Perubahan"]
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0][:4] == ["Jenis", "Sheet", "Baris", "ID / Kode"]
    moved = next(row for row in sheet.iter_rows(min_row=2) if row[0].value == "Dipindah")
    assert moved[1].hyperlink.location == "'L6_RHK_Individu'!B2"


def test_an_office_resending_the_same_file_is_no_new_round(rounds):
    # Dispar sent the same archive twice: nothing to compare, and no Perubahan sheet.
    dispar = rounds["second_files"]["dispar.zip/Dispar.xlsx"]
    book = openpyxl.load_workbook(dispar.returned, read_only=True)
    assert "Perubahan" not in book.sheetnames
    assert dispar.row.changes == ""


def test_same_time_submissions_are_reported_not_resolved(tmp_path):
    inbox = tmp_path / "masuk"
    inbox.mkdir()
    write_workbook(inbox / "Pemkot.xlsx", body_sheets())
    for name in ("A.xlsx", "B.xlsx"):
        path = write_workbook(inbox / name, _dishub(1))
        os.utime(path, (OLD_TIME, OLD_TIME))
    result = run_batch(inbox, tmp_path / "hasil", jobs=1)
    rows = {f.name: f.row for f in result.files}
    for name in ("A.xlsx", "B.xlsx"):
        assert "Versi ganda" in rows[name].reason
        assert "BAT01" not in {f.code for f in {x.name: x for x in result.files}[name].findings}
    assert "Versi ganda" in _reply(tmp_path / "hasil", "A.xlsx")


def test_order_versions_by_time_and_office():
    def plan(code: str) -> Plan:
        return Plan(identity=Identity(values={C.KEY_KODE_PD: code, C.KEY_INSTANSI: "X"}))

    versions = order_versions([(0, plan("A"), 10.0), (1, plan("a"), 20.0), (2, plan("B"), None),
                               (3, plan("C"), 5.0), (4, plan("C"), None)])
    assert versions.superseded == {0: 1}
    assert set(versions.current) == {1, 2, 3, 4}
    assert versions.unordered == {3: [4], 4: [3]}


def test_memory_missing_broken_or_of_another_body(tmp_path):
    assert load_memory(tmp_path / "tidak-ada", "X") == Memory("X")
    broken = tmp_path / "rusak"
    broken.mkdir()
    (broken / "riwayat.json").write_text("{bukan json", encoding="utf-8")
    memory = load_memory(broken, "X")
    assert memory.offices == {} and "tidak dapat dibaca" in memory.notice
    other = tmp_path / "lain"
    other.mkdir()
    (other / "riwayat.json").write_text(json.dumps({"versi": 2, "instansi": "Y", "kantor": {}}))
    assert "instansi lain" in load_memory(other, "X").notice


def test_a_run_that_stops_midway_keeps_the_previous_memory(rounds, tmp_path, monkeypatch):
    out = tmp_path / "hasil"
    first = rounds["root"] / "masuk1"
    run_batch(first, out, jobs=1)
    before = {p.name: p.read_bytes() for p in (out / MEMORY_DIR).iterdir()}

    import pohon_xl.batch.run as batch_run

    def crash(*args, **kwargs):
        raise RuntimeError("listrik padam")

    monkeypatch.setattr(batch_run, "_consolidated_bytes", crash)
    with pytest.raises(RuntimeError):
        run_batch(rounds["root"] / "masuk2", out, jobs=1)
    after = {p.name: p.read_bytes() for p in (out / MEMORY_DIR).iterdir()}
    assert after == before


def test_banding_lists_exactly_the_planted_differences(tmp_path, capsys):
    old = write_workbook(tmp_path / "lama.xlsx", _dishub(1))
    sheets = copy.deepcopy(_dishub(2))
    new = write_workbook(tmp_path / "baru.xlsx", sheets)
    assert main(["banding", str(old), str(new)]) == 0
    text = capsys.readouterr().out
    assert "DISHUB-L5-2 (indikator 'Persentase layanan B'): Target 2027 13 → 77" in text
    assert text.count("\n- ") == 1
    assert main(["banding", str(old), str(new), "--json", "-o", str(tmp_path / "beda.xlsx")]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [(c["jenis"], c["kunci"], c["kolom"], c["lama"], c["baru"])
            for c in data["perubahan"]] == [("Diubah", "DISHUB-L5-2", "Target 2027", 13, 77)]
    book = openpyxl.load_workbook(tmp_path / "beda.xlsx")
    rows = [[c.value for c in row] for row in book["Perubahan"].iter_rows()]
    assert rows[1][:8] == ["Diubah", "L5_Sasaran_Subkegiatan", 3, "DISHUB-L5-2",
                           "Persentase layanan B", "Target 2027", 13, 77]
    assert len([r for r in rows[1:] if r[0] in ("Diubah", "Ditambah", "Dihapus", "Dipindah")]) == 1


def test_banding_of_an_unreadable_file_exits_2(tmp_path, capsys):
    good = write_workbook(tmp_path / "lama.xlsx", _dishub(1))
    bad = tmp_path / "rusak.xlsx"
    bad.write_bytes(b"PK\x03\x04 rusak")
    assert main(["banding", str(good), str(bad)]) == 2
    assert "rusak.xlsx" in capsys.readouterr().err
