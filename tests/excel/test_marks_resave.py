"""Marks stay true whoever saved the workbook last (issue 13 item 5).

A workbook is validated (marks: fill + note on each cell at fault), re-saved by another program
with one fault fixed meanwhile, and run again: the fixed cell gets its own fill back and loses
our note, the cell still at fault keeps exactly one mark, and the user's own fills and notes on
other cells are untouched — the same marks a first run on the fixed workbook makes.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest
from openpyxl.comments import Comment
from openpyxl.styles import PatternFill

from pohon_xl.cli import main
from pohon_xl.excel.styles import MARK_FILLS
from pohon_xl.marks import REGISTRY_SHEET
from pohon_xl.model import contract as C

from . import resave

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "Pohon_Kinerja_Kemacetan.xlsx"
L1, L2, L3 = (spec.sheet for spec in C.LEVELS[:3])
USER_BLUE, USER_YELLOW = "CCE5FF", "FFFF00"
OURS = set(MARK_FILLS.values())
FIXED = (L2, "B2")  # ID Induk: an unknown parent, fixed later
STAYS = (L3, "B3")  # ID Induk: an unknown parent, never fixed


def fill(cell) -> str:
    rgb = cell.fill.fgColor.rgb if cell.fill is not None and cell.fill.fill_type == "solid" \
        else ""
    return rgb[-6:].upper() if isinstance(rgb, str) else ""


def workbook(path: Path, parent: str) -> Path:
    """The example with the user's own fills and note, and L2!B2's parent set to ``parent``."""
    shutil.copy(EXAMPLE, path)
    book = openpyxl.load_workbook(path)
    book[L1]["C2"].fill = PatternFill("solid", fgColor=USER_YELLOW)
    book[L1]["C2"].comment = Comment("catatan pengguna", "Budi")
    book[L2]["B2"].fill = PatternFill("solid", fgColor=USER_BLUE)  # under our mark meanwhile
    book[L2]["B2"].value = parent
    book[L3]["B3"].value = "HILANG"
    book.save(path)
    return path


def marks(path: Path) -> dict[tuple[str, str], tuple[str, str]]:
    """Every cell of the level sheets with one of our fills or a note: (fill, note text)."""
    book = openpyxl.load_workbook(path)
    found = {}
    for spec in C.LEVELS:
        for row in book[spec.sheet].iter_rows():
            for cell in row:
                note = cell.comment.text.strip() if cell.comment is not None else ""
                if fill(cell) in OURS or note:
                    found[(spec.sheet, cell.coordinate)] = (fill(cell), note)
    return found


def run(*args: object) -> int:
    return main([str(a) for a in args])


@pytest.fixture(scope="module")
def fresh(tmp_path_factory) -> dict:
    """What a first run on the fixed workbook marks: what every re-run must end with."""
    path = workbook(tmp_path_factory.mktemp("fresh") / "segar.xlsx", "L1-01")
    assert run("validasi", path, "--di-tempat") == 1
    return marks(path)


def check(path: Path, fresh: dict, user_fill: str = USER_BLUE) -> None:
    got = marks(path)
    assert got == fresh
    book = openpyxl.load_workbook(path)
    sheet, ref = FIXED
    assert book[sheet][ref].comment is None and fill(book[sheet][ref]) == user_fill
    assert fill(book[L1]["C2"]) == USER_YELLOW
    assert book[L1]["C2"].comment.text.strip() == "catatan pengguna"
    sheet, ref = STAYS
    assert fill(book[sheet][ref]) == MARK_FILLS["Galat"]
    assert got[STAYS][1].count("pohon-xl:") == 1  # one note, not one per run


def marked_then_fixed(tmp_path: Path) -> Path:
    path = workbook(tmp_path / "kiriman.xlsx", "TIDAK-ADA")
    assert run("validasi", path, "--di-tempat") == 1
    book = openpyxl.load_workbook(path)
    assert fill(book[L2]["B2"]) == MARK_FILLS["Galat"] and book[L2]["B2"].comment is not None
    assert book[REGISTRY_SHEET].sheet_state == "hidden"
    return path


def fix(path: Path) -> None:
    book = openpyxl.load_workbook(path)
    book[FIXED[0]][FIXED[1]].value = "L1-01"
    book.save(path)


def fix_in_zip(path: Path) -> None:
    """The fix made on the file's parts, every other part kept as it is."""
    import zipfile

    with zipfile.ZipFile(path) as source:
        parts = {info: source.read(info.filename) for info in source.infolist()}
    assert sum(data.count(b">TIDAK-ADA<") for data in parts.values()) == 1
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info, data in parts.items():
            target.writestr(info, data.replace(b">TIDAK-ADA<", b">L1-01<"))


def rerun_and_check(path: Path, fresh: dict, user_fill: str = USER_BLUE) -> None:
    assert run("turunkan", path, "--di-tempat") == 1
    check(path, fresh, user_fill)
    again = path.with_name("lagi.xlsx")
    assert run("validasi", path, "-o", again) == 1
    check(again, fresh, user_fill)


@pytest.mark.libreoffice
@pytest.mark.skipif(shutil.which("soffice") is None, reason="soffice tidak terpasang")
def test_after_libreoffice(tmp_path: Path, fresh: dict) -> None:
    path = marked_then_fixed(tmp_path)
    fix(path)
    resave.libreoffice(path, tmp_path / "profil")
    rerun_and_check(path, fresh)


def test_after_openpyxl(tmp_path: Path, fresh: dict) -> None:
    path = marked_then_fixed(tmp_path)
    fix(path)  # openpyxl loads and saves: the last writer
    rerun_and_check(path, fresh)


def test_after_xlsxwriter(tmp_path: Path, fresh: dict) -> None:
    path = marked_then_fixed(tmp_path)
    fix(path)
    resave.by_xlsxwriter(path)
    rerun_and_check(path, fresh)


def test_registry_lost_our_marks_still_known_by_what_they_show(tmp_path: Path,
                                                                fresh: dict) -> None:
    """Without the registry our fill + our note still identify the mark: it is cleared to no
    fill (the user's own fill under it cannot be known any more); nothing else is touched."""
    path = marked_then_fixed(tmp_path)
    fix(path)
    resave.by_xlsxwriter(path, keep_registry=False)
    rerun_and_check(path, fresh, user_fill="")


def test_a_fill_the_user_changed_is_left(tmp_path: Path, fresh: dict) -> None:
    path = marked_then_fixed(tmp_path)
    book = openpyxl.load_workbook(path)
    book[FIXED[0]][FIXED[1]].value = "L1-01"
    book[FIXED[0]][FIXED[1]].fill = PatternFill("solid", fgColor="00B050")  # the user's green
    book.save(path)
    assert run("validasi", path, "--di-tempat") == 1
    book = openpyxl.load_workbook(path)
    assert fill(book[FIXED[0]][FIXED[1]]) == "00B050"
    assert book[FIXED[0]][FIXED[1]].comment is None


def test_an_earlier_versions_custom_xml_record_still_clears(tmp_path: Path,
                                                             fresh: dict) -> None:
    """``data/legacy_marked.xlsx``: :func:`workbook` with the unknown parent, validated by
    pohon-xl 0364b17, which kept its record in a custom XML part (cloned formats). Its marks
    clear to the user's own fill, and the part is dropped."""
    import zipfile

    path = tmp_path / "lama.xlsx"
    shutil.copy(Path(__file__).parent / "data" / "legacy_marked.xlsx", path)
    assert "customXml/item1.xml" in zipfile.ZipFile(path).namelist()
    fix_in_zip(path)  # as Excel would: the custom XML part stays
    rerun_and_check(path, fresh)
    assert not [n for n in zipfile.ZipFile(path).namelist() if n.startswith("customXml")]


def test_an_earlier_versions_record_lost_too(tmp_path: Path, fresh: dict) -> None:
    """The same workbook re-saved by openpyxl (which drops the part) before the fix: our fill
    and our note still tell the mark, cleared to no fill."""
    path = tmp_path / "lama.xlsx"
    shutil.copy(Path(__file__).parent / "data" / "legacy_marked.xlsx", path)
    fix(path)
    rerun_and_check(path, fresh, user_fill="")


def test_a_theme_colour_under_a_mark_comes_back(tmp_path: Path) -> None:
    """Excel's palette gives theme colours (no RGB): kept as their attributes in the registry."""
    from openpyxl.styles.colors import Color

    path = workbook(tmp_path / "tema.xlsx", "TIDAK-ADA")
    book = openpyxl.load_workbook(path)
    book[FIXED[0]][FIXED[1]].fill = PatternFill("solid", fgColor=Color(theme=4, tint=0.6))
    book.save(path)
    assert run("validasi", path, "--di-tempat") == 1
    fix(path)
    assert run("validasi", path, "--di-tempat") == 1
    color = openpyxl.load_workbook(path)[FIXED[0]][FIXED[1]].fill.fgColor
    assert (color.type, color.theme, color.tint) == ("theme", 4, 0.6)


def test_what_the_user_changed_on_a_marked_cell_stays(tmp_path: Path) -> None:
    """Only the fill goes back: a font, border or number format set meanwhile is kept."""
    from openpyxl.styles import Border, Font, Side

    path = marked_then_fixed(tmp_path)
    book = openpyxl.load_workbook(path)
    cell = book[FIXED[0]][FIXED[1]]
    cell.value = "L1-01"
    cell.font = Font(bold=True, color="FF0000")
    cell.border = Border(left=Side(style="thick"))
    cell.number_format = "@"
    book.save(path)
    assert run("validasi", path, "--di-tempat") == 1
    cell = openpyxl.load_workbook(path)[FIXED[0]][FIXED[1]]
    assert fill(cell) == USER_BLUE and cell.comment is None
    assert cell.font.b and cell.font.color.rgb == "00FF0000"
    assert cell.border.left.style == "thick" and cell.number_format == "@"
