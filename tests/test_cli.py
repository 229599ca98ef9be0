"""The command line end to end: exit status, one-line reasons, files written or not."""

from __future__ import annotations

import hashlib
import io
import json
import subprocess
import sys
from pathlib import Path

import msoffcrypto.format.ooxml
import openpyxl
import pytest
import xlwt

from pohon_xl.cli import main
from pohon_xl.model import contract as C
from tests.conftest import YEARS, identitas_rows

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "Pohon_Kinerja_Kemacetan.xlsx"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def good(tmp_path) -> Path:
    from pohon_xl.excel.template import build_template

    path = tmp_path / "templat.xlsx"
    build_template(path)
    return path


def _broken(tmp_path: Path, good: Path) -> dict[str, Path]:
    cases = {}
    data = good.read_bytes()
    cases["terpotong"] = tmp_path / "terpotong.xlsx"
    cases["terpotong"].write_bytes(data[: len(data) // 2])
    cases["rusak"] = tmp_path / "rusak.xlsx"
    cases["rusak"].write_bytes(b"PK\x03\x04" + bytes(range(256)) * 20)
    cases["kosong"] = tmp_path / "kosong.xlsx"
    cases["kosong"].write_bytes(b"")
    cases["csv"] = tmp_path / "data.xlsx"
    cases["csv"].write_text("ID;Sasaran\nS1;Menurunnya kemacetan\n", encoding="utf-8")
    encrypted = tmp_path / "sandi.xlsx"
    with good.open("rb") as plain, encrypted.open("wb") as out:
        office = msoffcrypto.format.ooxml.OOXMLFile(plain)
        office.encrypt("rahasia", out)
    cases["sandi"] = encrypted
    book = xlwt.Workbook()
    book.add_sheet("Identitas").write(0, 0, "Instansi")
    cases["xls"] = tmp_path / "lama.xls"
    book.save(str(cases["xls"]))
    other = openpyxl.Workbook()
    other.active["A1"] = "Daftar belanja"
    cases["lain"] = tmp_path / "lain.xlsx"
    other.save(cases["lain"])
    cases["tidak-ada"] = tmp_path / "tidak-ada.xlsx"
    return cases


def test_each_unreadable_file_gets_exit_2_and_one_line(tmp_path, good, capsys):
    for name, path in _broken(tmp_path, good).items():
        code = main(["validasi", str(path)])
        err = capsys.readouterr().err
        assert code == 2, name
        assert err.count("\n") == 1 and err.startswith("pohon-xl: "), (name, err)
        assert "Traceback" not in err
        assert not list(tmp_path.glob("*_validasi.*")), name


@pytest.mark.parametrize("argv", [["validasi"], ["validasi", "--tidak-ada", "x.xlsx"], ["apa"]])
def test_bad_arguments_exit_2_one_line(argv, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1


def test_default_output_beside_input_and_input_untouched(good, capsys):
    before = _digest(good)
    code = main(["validasi", str(good)])
    assert code in (0, 1)
    assert _digest(good) == before
    assert good.with_name("templat_validasi.xlsx").exists()


def test_di_tempat_rewrites_the_input(good):
    before = _digest(good)
    main(["validasi", str(good), "--di-tempat"])
    assert _digest(good) != before
    sheet_names = openpyxl.load_workbook(good).sheetnames
    assert C.LAPORAN in sheet_names


def test_user_text_is_never_a_formula(tmp_path, workbook_factory):
    spec = C.LEVEL_BY_NUMBER[1]
    headers = C.level_headers(spec, YEARS)
    row = {C.ID: "S1", C.SASARAN: "=HYPERLINK(\"http://contoh\",\"klik\")", C.INDIKATOR: "+1",
           C.SATUAN: "@unit", C.ARAH: "-", C.BASELINE: "=1+1"}
    path = workbook_factory({"Identitas": identitas_rows(), spec.sheet: [
        headers, [row.get(h) for h in headers]]})
    # openpyxl would store "=..." strings as formulas: rewrite them as explicit text first.
    book = openpyxl.load_workbook(path)
    for cell in book[spec.sheet][2]:
        if isinstance(cell.value, str):
            cell.data_type = "s"
    book.save(path)
    out = tmp_path / "hasil.xlsx"
    main(["validasi", str(path), "-o", str(out)])
    result = openpyxl.load_workbook(out)
    for cell in result[spec.sheet][2]:
        if isinstance(cell.value, str):
            assert cell.data_type == "s", cell.coordinate
    for row_cells in result[C.LAPORAN].iter_rows(min_row=2):
        for cell in row_cells:
            assert cell.data_type != "f", cell.coordinate


@pytest.mark.skipif(not EXAMPLE.exists(), reason="contoh belum dibuat")
def test_example_has_no_galat_and_json_output(tmp_path, capsys):
    code = main(["validasi", str(EXAMPLE), "-o", str(tmp_path / "hasil.xlsx"), "--json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 0, [t for t in data["temuan"] if t["tingkat"] == "Galat"]
    assert data["jumlah"]["Galat"] == 0
    assert data["keluaran"].endswith("hasil.xlsx")


def test_module_entry_point_runs():
    result = subprocess.run([sys.executable, "-m", "pohon_xl", "--version"],
                            capture_output=True, text=True, check=True)
    assert "pohon-xl" in result.stdout


def test_console_script_ends_with_everything_printed_and_its_exit_status(tmp_path):
    """run() leaves with os._exit (no teardown): the output must still be complete."""
    out = tmp_path / "hasil.xlsx"
    result = subprocess.run([sys.executable, "-m", "pohon_xl", "turunkan", str(EXAMPLE), "-o",
                             str(out)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "Hasil ditulis ke:" in result.stdout and result.stdout.rstrip().endswith(out.name)
    assert "Sheet turunan:" in result.stdout and out.exists()
    failed = subprocess.run([sys.executable, "-m", "pohon_xl", "validasi",
                             str(tmp_path / "tidak-ada.xlsx")], capture_output=True, text=True)
    assert failed.returncode == 2 and failed.stderr.count("\n") == 1
    # A reader that stops early (`| head -1`): no traceback, whatever the status.
    with subprocess.Popen([sys.executable, "-m", "pohon_xl", "aturan"], stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE) as cut:
        assert cut.stdout is not None and cut.stdout.readline()
        cut.stdout.close()
        assert b"Traceback" not in cut.stderr.read()


def test_output_into_a_missing_folder_is_one_line(good, tmp_path, capsys):
    assert main(["validasi", str(good), "-o", str(tmp_path / "tidak-ada" / "hasil.xlsx")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Folder keluaran tidak ada" in err


# click's English, as it would show without pohon_xl.cli_text
ENGLISH = ("Usage", "Options", "Commands", "Error", "Missing", "No such", "Got unexpected",
           "Invalid value", "Try ", "does not exist", "is not", "requires", "Show this",
           "Show the", "default:", "required", "INTEGER", "PATH", "DIRECTORY", "[OPTIONS]",
           "COMMAND", "Did you mean", ", version ")


@pytest.mark.parametrize(("argv", "expected"), [
    (["template"], "pohon-xl: opsi -o/--output wajib diisi (lihat `pohon-xl template --help`)"),
    (["validasi"], "pohon-xl: argumen BERKAS wajib diisi (lihat `pohon-xl validasi --help`)"),
    (["template", "-o", "t.xlsx", "--tidak-ada"], "opsi --tidak-ada tidak dikenal"),
    (["turunkan", "a.xlsx", "b.xlsx"], "argumen berlebih: b.xlsx"),
    (["batch", "masuk", "-o", "hasil", "--jobs", "0"],
     "nilai --jobs tidak sah: 0 di luar rentang x>=1"),
    (["aturan", "--format", "html"],
     "nilai --format tidak sah: 'html' bukan salah satu dari 'teks', 'markdown'"),
    (["template", "--tahun-awal", "dua", "-o", "t.xlsx"],
     "nilai --tahun-awal tidak sah: 'dua' bukan bilangan bulat"),
    (["validasi", "a.xlsx", "--nomenklatur", "tidak-ada.csv"],
     "nilai --nomenklatur tidak sah: berkas 'tidak-ada.csv' tidak ada"),
    (["template", "-o"], "opsi -o memerlukan nilai (lihat `pohon-xl template --help`)"),
    (["templat"], "perintah templat tidak dikenal (maksudnya template?)"),
    (["--versi"], "opsi --versi tidak dikenal (maksudnya --version?)"),
])
def test_usage_errors_are_indonesian_one_line_exit_2(argv, expected, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert expected in err
    assert err.count("\n") == 1 and err.startswith("pohon-xl: ")
    assert not [word for word in ENGLISH if word in err], err


@pytest.mark.parametrize("argv", [["--help"], *(([name, "-h"]) for name in
                                                ("template", "validasi", "turunkan", "aturan",
                                                 "batch", "gambar", "makro", "addin", "lite"))])
def test_help_pages_are_indonesian(argv, capsys):
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert out.startswith("Penggunaan: pohon-xl") and "\nOpsi:\n" in out
    assert "Tampilkan bantuan ini lalu keluar." in out
    assert not [word for word in ENGLISH if word in out], out


def test_the_command_alone_shows_its_help_in_indonesian_and_exits_2(capsys):
    assert main([]) == 2
    err = capsys.readouterr().err
    assert err.startswith("Penggunaan: pohon-xl [OPSI] PERINTAH [ARGUMEN]...")
    assert "\nPerintah:\n" in err and "Tampilkan versi lalu keluar." in err
    assert not [word for word in ENGLISH if word in err], err


def test_version(capsys):
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.startswith("pohon-xl, versi ")
