"""Every kind of output printed the way a planner prints it: LibreOffice's PDF export (with
Carlito, metric-compatible with Excel's Calibri), read back with poppler's ``pdftotext``.

Checked from the PDFs: no text under 7 pt, no word printed over another, a PK's table header
on each of its pages (a PK made longer than a page on purpose), one page per employee's SKP
form, and page counts within the bounds stated below.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest

from pohon_xl.cli import main
from pohon_xl.model import contract as C
from pohon_xl.pipeline import process
from tests.batch.builders import build_inbox
from tests.capaian.builders import with_realisation

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = {"kemacetan": ROOT / "examples" / "Pohon_Kinerja_Kemacetan.xlsx",
            "pariwisata": ROOT / "examples" / "Pohon_Kinerja_Pariwisata.xlsx"}
# A word's box as poppler reports it is its font's ascent + descent: 1.16 x the font size
# for Carlito and DejaVu Sans (the fonts of these PDFs).
HEIGHT_PER_POINT = 1.16
MIN_POINTS = 7.0
LONG_PK_ROWS = 40  # L4 rows added to one position: its PK takes more than one page
# Page counts: (least, most) per output, from the examples as they are.
# The derived workbooks hold Rencana_Aksi, Realisasi (about 20 pages: A4 landscape, two across)
# and Evaluasi_Cascading too.
PAGES = {"template": (10, 16), "validasi": (14, 20), "kemacetan": (70, 110),
         "pariwisata": (65, 105), "panjang": (90, 180), "konsolidasi": (40, 60),
         "gambar": (2, 8), "capaian": (30, 70)}

pytestmark = [
    pytest.mark.libreoffice,
    pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                       reason="soffice atau pdftotext tidak terpasang"),
]


@dataclass
class Word:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def points(self) -> float:
        return (self.y1 - self.y0) / HEIGHT_PER_POINT


Page = list[Word]
_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">'
                   r"([^<]*)</word>")


def _pages(pdf: Path) -> list[Page]:
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True,
                         text=True, check=True).stdout
    return [[Word(m[4], *map(float, m[:4])) for m in _WORD.findall(page)]
            for page in out.split("<page ")[1:]]


def _lines(page: Page) -> list[str]:
    """The page's text by line (words whose boxes share a top, left to right)."""
    rows: dict[int, list[Word]] = {}
    for word in page:
        rows.setdefault(round(word.y0), []).append(word)
    return [" ".join(w.text for w in sorted(row, key=lambda w: w.x0))
            for _, row in sorted(rows.items())]


def _long_pk(source: Path, target: Path) -> tuple[Path, str]:
    """The example with many more activities (L4) owned by one position; that position."""
    book = openpyxl.load_workbook(source)
    sheet = book[C.LEVEL_BY_NUMBER[4].sheet]
    first = [cell.value for cell in sheet[2]]
    owner = first[[c.value for c in sheet[1]].index(C.PEMILIK)]
    height = sheet.row_dimensions[2].height  # as Excel stores a row it fitted
    for number in range(1, LONG_PK_ROWS + 1):
        sheet.append([f"L4-9{number:02d}", *first[1:]])
        sheet.row_dimensions[sheet.max_row].height = height
    book.save(target)
    return target, owner


@pytest.fixture(scope="module")
def printed(tmp_path_factory) -> dict[str, list[Page]]:
    """Every kind of output, converted by one soffice run; name -> its pages."""
    work = tmp_path_factory.mktemp("cetak")
    books = {"template": ROOT / "templates" / "Pohon_Kinerja.xlsx"}
    source = work / "validasi_sumber.xlsx"
    shutil.copy(EXAMPLES["kemacetan"], source)
    books["validasi"] = process(source, work / "validasi.xlsx").output
    for name, path in EXAMPLES.items():
        shutil.copy(path, work / f"{name}_sumber.xlsx")
        books[name] = process(work / f"{name}_sumber.xlsx", work / f"{name}.xlsx",
                              derive=True).output
    # `pohon-xl capaian` on the office example with realisation: its sheets as they are
    # filled, Capaian_Kinerja and LKjIP
    main(["capaian", str(with_realisation(work / "capaian_sumber.xlsx")), "-o",
          str(work / "capaian.xlsx")])
    books["capaian"] = work / "capaian.xlsx"
    long_source, _ = _long_pk(EXAMPLES["kemacetan"], work / "panjang_sumber.xlsx")
    books["panjang"] = process(long_source, work / "panjang.xlsx", derive=True).output
    inbox = build_inbox(work / "masuk", work / "lain")
    main(["batch", str(inbox), "-o", str(work / "hasil"), "--jobs", "1"])
    consolidated = next((work / "hasil").glob("Konsolidasi_*.xlsx"))
    books["konsolidasi"] = shutil.copy(consolidated, work / "konsolidasi.xlsx")
    pdfs = work / "pdf"
    listed = [str(p) for p in books.values()]
    done = subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{work}/profil", "--headless", "--norestore",
         "--convert-to", "pdf", "--outdir", str(pdfs), *listed],
        capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr
    pages = {name: _pages(pdfs / f"{Path(path).stem}.pdf") for name, path in books.items()}
    if shutil.which("dot"):
        main(["gambar", str(EXAMPLES["kemacetan"]), "-o", str(work / "gambar.pdf")])
        pages["gambar"] = _pages(work / "gambar.pdf")
    return pages


def test_no_text_under_seven_points(printed):
    for name, pages in printed.items():
        for number, page in enumerate(pages, start=1):
            small = [w.text for w in page if w.points < MIN_POINTS]
            assert not small, f"{name} halaman {number}: {small[:5]}"


def test_no_word_printed_over_another(printed):
    for name, pages in printed.items():
        for number, page in enumerate(pages, start=1):
            words = sorted(page, key=lambda w: w.y0)
            for i, word in enumerate(words):
                for other in words[i + 1:]:
                    if other.y0 >= word.y1:
                        break
                    width = min(word.x1, other.x1) - max(word.x0, other.x0)
                    height = min(word.y1, other.y1) - max(word.y0, other.y0)
                    smaller = min(word.y1 - word.y0, other.y1 - other.y0)
                    assert not (width > 1 and height > smaller / 2), (
                        f"{name} halaman {number}: {word.text!r} di atas {other.text!r}")


def test_page_counts_within_bounds(printed):
    for name, pages in printed.items():
        least, most = PAGES[name]
        assert least <= len(pages) <= most, f"{name}: {len(pages)} halaman"


def _pk_pages(pages: list[Page]) -> list[list[str]]:
    """The lines of the PK sheet's pages: from the first PK title to the Program matrix."""
    lines = [_lines(p) for p in pages]
    first = next(i for i, text in enumerate(lines)
                 if any(t.startswith("PERJANJIAN KINERJA TAHUN") for t in text))
    last = next(i for i, text in enumerate(lines) if i > first and text
                and text[0].startswith("Kode Program"))
    return lines[first:last]


def test_each_pk_page_starts_with_its_title_or_a_table_header(printed):
    for name in ("kemacetan", "pariwisata", "panjang"):
        continued = 0
        for text in _pk_pages(printed[name]):
            head = text[0]
            if head.startswith("PERJANJIAN KINERJA TAHUN"):
                continue
            continued += 1
            assert re.match(r"No (Sasaran Indikator Satuan Target \d{4}|"
                            r"(Program|Kegiatan|Subkegiatan) Anggaran)$", head) or \
                re.match(r".+, … Januari \d{4}$", head), f"{name}: {head!r}"
        assert continued >= (2 if name == "panjang" else 0), name


def test_a_pk_longer_than_a_page_repeats_its_header(printed):
    pages = _pk_pages(printed["panjang"])
    headers = sum(text[0].startswith("No Sasaran Indikator") for text in pages)
    assert headers >= 2  # the long PK's table goes on under its header


def test_one_skp_form_page_per_employee(printed):
    for name, path in EXAMPLES.items():
        book = openpyxl.load_workbook(path, read_only=True)
        sheet = book[C.LEVEL_BY_NUMBER[6].sheet]
        rows = sheet.iter_rows(values_only=True)
        owner = next(rows).index(C.PEMILIK)
        employees = {r[owner] for r in rows if r[owner]}
        forms = [_lines(p) for p in printed[name]
                 if any(t == "SASARAN KINERJA PEGAWAI" for t in _lines(p))]
        assert len(forms) == len(employees), name
        for text in forms:  # the whole form on its page: the signatures close it
            assert any(t.startswith("Pegawai yang Dinilai,") for t in text), name


def test_evaluasi_cascading_pages_repeat_the_header_and_end_with_the_score(printed):
    for name in ("kemacetan", "pariwisata", "konsolidasi"):
        pages = [_lines(p) for p in printed[name]]
        # The header row on top of every page (its wrapped labels take a line or two more).
        ours = [text for text in pages if any(
            line.startswith("No Level ID Sasaran Indikator Renstra Renja PK") for line in text[:4])]
        assert ours, name
        rest = " ".join(" ".join(text) for text in ours)
        for needle in ("Persentase pemenuhan kriteria", "Jawaban kriteria LKE", "K1", "K9"):
            assert needle in rest, (name, needle)


def test_the_sheets_people_fill_repeat_their_header_on_every_page(printed):
    """`Rencana_Aksi` and `Realisasi` (A4 landscape: tests/cycle) are wider than a page: each
    page, across and down, starts with the header row and the ID … Indikator columns."""
    for name in ("kemacetan", "pariwisata", "panjang"):
        pages = [i for i, page in enumerate(printed[name])
                 if any(line.startswith("ID Tingkat Sasaran Indikator")
                        for line in _lines(page)[:3])]
        assert len(pages) >= 4, name  # two sheets, two pages across at least
        assert pages == list(range(pages[0], pages[-1] + 1)), f"{name}: {pages}"


def test_capaian_pages_repeat_their_header_and_lkjip_prints_its_tables(printed):
    lines = [_lines(page) for page in printed["capaian"]]
    header = [text for text in lines if any(t.startswith("ID Tingkat Sasaran Indikator")
                                            for t in text[:3])]
    assert len(header) >= 2  # longer than a page: the header row on each page down
    start = next(i for i, text in enumerate(lines)
                 if any(t.startswith("PENGUKURAN KINERJA TAHUN") for t in text))
    lkjip = [t for text in lines[start:] for t in text]  # the last sheet of the file
    assert [t.split()[1] for t in lkjip if t.startswith("Tabel 3.")] == [
        "3.1", "3.2", "3.3", "3.4"]
    assert any(t.startswith("Efisiensi = capaian") for t in lkjip)
