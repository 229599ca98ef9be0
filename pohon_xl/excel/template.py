"""The blank workbook planners fill: `Petunjuk`, `Identitas`, `Jabatan` and the six level sheets.

Everything named here (sheets, headers, allowed values) comes from :mod:`pohon_xl.model.contract`.
The same builder makes the committed template and the committed examples
(:mod:`pohon_xl.excel.examples` fills :func:`new_workbook` and saves it with
:func:`save_workbook`), so the examples carry the same dropdowns, prompts and formats.

Output is deterministic: no timestamps in cells, fixed workbook properties. The committed files
are compared with freshly built ones by :func:`snapshot` (values and settings, not bytes).
Regenerate them with ``python -m pohon_xl.excel.template``.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Literal

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.styles.proxy import StyleProxy
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from pohon_xl.excel.native_checks import add_native_checks
from pohon_xl.excel.xlsxpatch import CATATAN_WIDTH, STATUS_WIDTH
from pohon_xl.model import contract as C
from pohon_xl.printing import fitted

__all__ = [
    "DATA_ROWS",
    "FIXED_TIMESTAMP",
    "TEMPLATE_PATH",
    "build_template",
    "main",
    "new_workbook",
    "save_workbook",
    "snapshot",
    "write_rows",
]

REPO_ROOT = Path(__file__).resolve().parents[2]
TEMPLATE_PATH = REPO_ROOT / "templates" / "Pohon_Kinerja.xlsx"
DATA_ROWS = 500  # rows 2..501 carry the dropdowns and column formats
LAST_ROW = DATA_ROWS + 1
FIXED_TIMESTAMP = dt.datetime(2025, 1, 1, 0, 0, 0)
AUTHOR = "pohon-xl"

NUMBER_FORMAT = "#,##0.##"
MONEY_FORMAT = '"Rp "#,##0'
TEXT_FORMAT = "@"
YEAR_FORMAT = "0"

# The values write_rows puts in a cell (openpyxl refuses other types).
_CELL_TYPES = (str, int, float, Decimal, dt.date, dt.time, dt.timedelta)

_THIN = Side(style="thin", color="A6A6A6")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_REQUIRED_FILL = PatternFill("solid", fgColor="FFF2CC")  # Target <Tahun PK> / Anggaran <Tahun PK>
_SECTION_FILL = PatternFill("solid", fgColor="1F4E78")
_HEADER_FONT = Font(bold=True)
_WRAP_TOP = Alignment(wrap_text=True, vertical="top")
_TOP = Alignment(vertical="top")
_CENTER_TOP = Alignment(horizontal="center", vertical="top")
_HEADER_ALIGN = Alignment(wrap_text=True, horizontal="center", vertical="center")
_TAB_COLORS = {"guide": "808080", "input": "548235", "level": "2F75B5"}

# --------------------------------------------------------------------------------------------
# Column descriptions: the input message on each header cell (Excel allows 255 characters).
# --------------------------------------------------------------------------------------------
_LEVEL_PROMPTS: dict[str, str] = {
    C.ID: "Kode unik sasaran ini, mis. L3-01; tidak boleh sama dengan ID lain di seluruh "
    "workbook. Kosongkan pada baris lanjutan (indikator kedua dan seterusnya dari sasaran di "
    "atasnya).",
    C.ID_INDUK: "ID sasaran induk pada level tepat di atasnya (pilih dari daftar). Sasaran ini "
    "adalah penyebab tercapainya sasaran induk. ID induk L2 boleh berasal dari workbook "
    "tingkat Pemda.",
    C.SASARAN: "Kondisi yang ingin dicapai, dirumuskan sebagai hasil: Meningkatnya…, "
    "Menurunnya…, Terlaksananya…, Tersedianya…. Jangan menuliskan nama kegiatan.",
    C.INDIKATOR: "Ukuran keberhasilan yang spesifik dan terukur. Pada L1–L3 gunakan indikator "
    "hasil (outcome), bukan 'Jumlah kegiatan'. Indikator kedua dst. diisi di baris bawahnya "
    "dengan ID dan Sasaran kosong.",
    C.SATUAN: "Satuan indikator, mis. %, indeks, km, dokumen, orang.",
    C.ARAH: "Naik: makin besar makin baik. Turun: makin kecil makin baik (mis. angka "
    "kriminalitas). Target tiap tahun harus bergerak ke arah ini dari baseline.",
    C.BASELINE: "Capaian awal (kondisi sebelum periode rencana) sebagai pembanding target. "
    "Isi angka saja, tanpa satuan.",
    C.ASPEK: "Aspek target RHK (PermenPANRB 6/2022): Kuantitas, Kualitas, Waktu atau Biaya.",
    C.JENIS_CASCADING: "Hubungan dengan induk: Langsung (indikator dan target sama), Berbagi "
    "(indikator sama, target dibagi; jumlah bagian ≤ target induk), Kontribusi (indikator "
    "sendiri yang menyebabkan indikator induk).",
    C.PEMILIK: "Kode Jabatan pemilik (penanggung jawab) sasaran ini, dipilih dari sheet "
    "Jabatan. Satu sasaran, satu pemilik.",
    C.KOLABORATOR: "Opsional: Kode Jabatan atau kode perangkat daerah lain yang ikut berperan "
    "(sasaran lintas sektor/crosscutting), dipisahkan koma.",
    C.KETERANGAN: "Catatan bebas: sumber data, cara menghitung indikator, asumsi target.",
}
_L1_PROMPTS = {
    C.ID_INDUK: "Kosongkan pada L1: sasaran daerah adalah puncak pohon kinerja.",
    C.JENIS_CASCADING: "Kosongkan pada L1: sasaran daerah tidak mempunyai induk.",
}
_L6_PROMPTS = {
    C.SASARAN: "Rencana Hasil Kerja (RHK) pegawai: hasil kerja yang mengintervensi RHK atasan "
    "(sasaran induk di L5), diambil dari tugas dalam SOP kegiatan.",
    C.INDIKATOR: "Ukuran RHK. Satu baris per aspek (Kuantitas, Kualitas, Waktu, Biaya); baris "
    "lanjutan diisi dengan ID dan Sasaran kosong.",
    C.PEMILIK: "Kode Jabatan pegawai pemilik RHK. Sasaran induknya harus dimiliki atasan "
    "langsung pegawai ini.",
}
_CODE_PROMPTS = {
    3: ("Kode program menurut nomenklatur Kepmendagri, mis. 2.15.02.",
        "Nama program sesuai nomenklatur Kepmendagri untuk kode di sebelah kiri."),
    4: ("Kode kegiatan menurut nomenklatur Kepmendagri, mis. 2.15.02.2.06; awalannya harus "
        "kode program sasaran induk.",
        "Nama kegiatan sesuai nomenklatur Kepmendagri untuk kode di sebelah kiri."),
    5: ("Kode subkegiatan menurut nomenklatur Kepmendagri, mis. 2.15.02.2.06.0017; awalannya "
        "harus kode kegiatan sasaran induk.",
        "Nama subkegiatan sesuai nomenklatur Kepmendagri untuk kode di sebelah kiri."),
}
_JABATAN_PROMPTS = {
    C.KODE_JABATAN: "Kode unik jabatan, mis. DISHUB-01. Kode ini dipilih di kolom Pemilik "
    "Kinerja pada sheet level.",
    C.NAMA_JABATAN: "Nama jabatan lengkap, mis. Kepala Bidang Lalu Lintas.",
    C.JENIS_JABATAN: "Pilih: Kepala Daerah, JPT, Administrator, Pengawas, Fungsional atau "
    "Pelaksana. Jenis jabatan menentukan level sasaran yang boleh dimiliki.",
    C.UNIT_KERJA: "Unit kerja atau perangkat daerah tempat jabatan ini berada.",
    C.KODE_ATASAN: "Kode Jabatan atasan langsung (pihak kedua pada PK, atasan penilai SKP). "
    "Kosong hanya untuk kepala daerah.",
    C.NIP_PEMANGKU: "NIP 18 digit pemangku jabatan, tanpa spasi (disimpan sebagai teks).",
    C.NAMA_PEMANGKU: "Nama lengkap pemangku jabatan beserta gelar.",
}
_IDENTITAS_HELP = {
    C.KEY_INSTANSI: "Nama instansi, mis. Pemerintah Kota Contoh.",
    C.KEY_PERANGKAT_DAERAH: "Perangkat daerah yang mengisi workbook ini; kosongkan pada "
    "workbook tingkat Pemda.",
    C.KEY_KODE_PD: "Kode singkat perangkat daerah, mis. DISHUB.",
    C.KEY_TAHUN_AWAL: "Tahun pertama periode rencana (RPJMD/Renstra). Jika periode diubah, "
    "buat templat baru dengan `pohon-xl template` agar kolom Target/Anggaran ikut berubah.",
    C.KEY_TAHUN_AKHIR: "Tahun terakhir periode rencana; kolom Target dan Anggaran tersedia "
    "untuk setiap tahun dari Tahun Awal sampai Tahun Akhir.",
    C.KEY_TAHUN_PK: "Tahun Perjanjian Kinerja (PK) dan SKP yang diturunkan; harus di antara "
    "Tahun Awal dan Tahun Akhir.",
    C.KEY_PENYUSUN: "Nama dan unit penyusun workbook ini.",
    C.KEY_EMAIL: "Alamat e-mail untuk pengembalian hasil validasi.",
}

# Column widths by header (year columns by prefix).
_WIDTHS = {
    C.ID: 10,
    C.ID_INDUK: 10,
    C.SASARAN: 42,
    C.INDIKATOR: 40,
    C.SATUAN: 12,
    C.ARAH: 9,
    C.BASELINE: 12,
    C.ASPEK: 12,
    C.JENIS_CASCADING: 14,
    C.PEMILIK: 16,
    C.KOLABORATOR: 18,
    C.KETERANGAN: 32,
    C.KODE_JABATAN: 16,
    C.NAMA_JABATAN: 40,
    C.JENIS_JABATAN: 16,
    C.UNIT_KERJA: 40,
    C.KODE_ATASAN: 18,
    C.NIP_PEMANGKU: 21,
    C.NAMA_PEMANGKU: 32,
}
_TEXT_WRAP = {C.SASARAN, C.INDIKATOR, C.KOLABORATOR, C.KETERANGAN, C.NAMA_JABATAN,
              C.UNIT_KERJA, C.NAMA_PEMANGKU}
_TEXT_CODES = {C.ID, C.ID_INDUK, C.PEMILIK, C.KODE_JABATAN, C.KODE_ATASAN, C.NIP_PEMANGKU}


def _is_target(header: str) -> bool:
    return header.startswith(C.TARGET_PREFIX + " ")


def _is_budget(header: str) -> bool:
    return header.startswith(C.ANGGARAN_PREFIX + " ")


def _column_style(spec: C.LevelSpec | None, header: str) -> tuple[float, str, Alignment]:
    """Width, number format and alignment of a data column."""
    code_headers = {spec.code_header} if spec and spec.code_header else set()
    name_headers = {spec.name_header} if spec and spec.name_header else set()
    if _is_budget(header):
        return 17, MONEY_FORMAT, _TOP
    if _is_target(header) or header == C.BASELINE:
        return 12, NUMBER_FORMAT, _TOP
    if header in code_headers:
        return (20 if spec and spec.number == C.SUBKEGIATAN_LEVEL else 15), TEXT_FORMAT, _TOP
    if header in name_headers:
        return 40, "General", _WRAP_TOP
    if header in (C.ARAH, C.ASPEK, C.JENIS_CASCADING):
        return _WIDTHS[header], "General", _CENTER_TOP
    fmt = TEXT_FORMAT if header in _TEXT_CODES else "General"
    return _WIDTHS.get(header, 14), fmt, _WRAP_TOP if header in _TEXT_WRAP else _TOP


def _level_prompt(spec: C.LevelSpec, header: str, pk_year: int) -> str:
    if spec.number == 1 and header in _L1_PROMPTS:
        return _L1_PROMPTS[header]
    if spec.is_individual and header in _L6_PROMPTS:
        return _L6_PROMPTS[header]
    if spec.code_header and header == spec.code_header:
        return _CODE_PROMPTS[spec.number][0]
    if spec.name_header and header == spec.name_header:
        return _CODE_PROMPTS[spec.number][1]
    if _is_target(header):
        year = header.split()[-1]
        if spec.is_individual:
            required = "wajib diisi" if int(year) == pk_year else "tidak wajib"
            return f"Target RHK tahun {year} ({required}; pada L6 hanya Target {pk_year} yang " \
                "wajib). Isi angka saja."
        return f"Target indikator tahun {year}. Isi angka saja, tanpa satuan; pecahan " \
            "memakai pemisah desimal sesuai pengaturan Excel."
    if _is_budget(header):
        year = header.split()[-1]
        required = " Wajib diisi untuk Tahun PK." if int(year) == pk_year else ""
        return f"Pagu anggaran subkegiatan tahun {year} dalam rupiah penuh (angka saja), " \
            f"diisi pada baris pertama sasaran.{required}"
    return _LEVEL_PROMPTS[header]


def _prompt_dv(cell: str, title: str, prompt: str) -> DataValidation:
    if len(prompt) > 255:  # Excel refuses longer input messages
        raise ValueError(f"pesan input '{title}' terlalu panjang ({len(prompt)} > 255)")
    dv = DataValidation(allow_blank=True, showInputMessage=True, showErrorMessage=False,
                        promptTitle=title[:32], prompt=prompt)
    dv.add(cell)
    return dv


def _list_dv(column: str, formula: str, title: str, error: str, *, strict: bool = True,
             first_row: int = 2) -> DataValidation:
    """A dropdown on rows first_row..LAST_ROW; blanks allowed; lookups only warn."""
    dv = DataValidation(type="list", formula1=formula, allow_blank=True,
                        showErrorMessage=True, errorStyle="stop" if strict else "warning",
                        errorTitle=title[:32], error=error)
    dv.add(f"{column}{first_row}:{column}{LAST_ROW}")
    return dv


def _quoted_list(values: Iterable[str]) -> str:
    return '"' + ",".join(values) + '"'


def _write_header(ws: Worksheet, headers: Sequence[str],
                  styles: Sequence[tuple[float, str, Alignment]],
                  highlight: Iterable[str] = ()) -> None:
    highlight = set(highlight)
    for index, (header, (width, fmt, align)) in enumerate(zip(headers, styles), start=1):
        letter = get_column_letter(index)
        cell = ws.cell(row=1, column=index, value=header)
        cell.font = _HEADER_FONT
        cell.fill = _REQUIRED_FILL if header in highlight else _HEADER_FILL
        cell.alignment = _HEADER_ALIGN
        cell.border = _BORDER
        dim = ws.column_dimensions[letter]
        dim.width = width
        dim.number_format = fmt
        dim.alignment = align
    ws.row_dimensions[1].height = 33
    ws.freeze_panes = "A2"


def _print_setup(ws: Worksheet, repeat_header: bool = True, reserve: tuple[float, ...] = (),
                 title_columns: int = 0) -> None:
    """Paper, orientation and scale for the sheet's widths plus ``reserve`` (the columns a
    run adds), so that its text prints at 8 pt or more (pohon_xl.printing)."""
    widths = [ws.column_dimensions[get_column_letter(c)].width or 8.43
              for c in range(1, ws.max_column + 1)]
    setup = fitted([*widths, *reserve], title_columns=title_columns)
    ws.page_setup.orientation = "landscape" if setup.landscape else "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A3 if setup.paper == "A3" else ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=setup.fit_to_width)
    if setup.fit_to_width:
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
    else:
        ws.page_setup.scale = setup.scale
    ws.print_options.gridLines = False
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    if repeat_header:
        ws.print_title_rows = "1:1"
    if setup.title_columns:
        ws.print_title_cols = setup.title_columns


# --------------------------------------------------------------------------------------------
# Sheets
# --------------------------------------------------------------------------------------------
def _build_level(ws: Worksheet, spec: C.LevelSpec, years: range, pk_year: int) -> None:
    headers = C.level_headers(spec, years)
    styles = [_column_style(spec, h) for h in headers]
    highlight = {C.target_header(pk_year)} if spec.is_individual else set()
    if spec.has_budget:
        highlight.add(C.budget_header(pk_year))
    _write_header(ws, headers, styles, highlight)
    col = {h: get_column_letter(i) for i, h in enumerate(headers, start=1)}
    for header in headers:
        ws.add_data_validation(
            _prompt_dv(f"{col[header]}1", header, _level_prompt(spec, header, pk_year)))
    ws.add_data_validation(_list_dv(col[C.ARAH], _quoted_list(C.ARAH_VALUES), C.ARAH,
                                    "Pilih Naik atau Turun."))
    if spec.number > 1:
        ws.add_data_validation(_list_dv(
            col[C.JENIS_CASCADING], _quoted_list(C.CASCADING_VALUES), C.JENIS_CASCADING,
            "Pilih Langsung, Berbagi atau Kontribusi."))
        above = C.LEVEL_BY_NUMBER[spec.number - 1].sheet
        ws.add_data_validation(_list_dv(
            col[C.ID_INDUK], f"'{above}'!$A$2:$A${LAST_ROW}", C.ID_INDUK,
            f"ID ini tidak ada di sheet {above}. Pastikan induknya berada satu level di atas "
            "(ID induk L2 boleh dari workbook tingkat Pemda).", strict=False))
    ws.add_data_validation(_list_dv(
        col[C.PEMILIK], f"{C.JABATAN}!$A$2:$A${LAST_ROW}", C.PEMILIK,
        f"Kode ini belum ada di kolom {C.KODE_JABATAN} sheet {C.JABATAN}; tambahkan "
        "jabatannya terlebih dahulu.", strict=False))
    if spec.is_individual:
        ws.add_data_validation(_list_dv(col[C.ASPEK], _quoted_list(C.ASPEK_VALUES), C.ASPEK,
                                        "Pilih Kuantitas, Kualitas, Waktu atau Biaya."))
    ws.sheet_properties.tabColor = _TAB_COLORS["level"]
    _print_setup(ws, reserve=(STATUS_WIDTH, CATATAN_WIDTH), title_columns=1)


def _build_jabatan(ws: Worksheet) -> None:
    headers = list(C.JABATAN_HEADERS)
    styles = [_column_style(None, h) for h in headers]
    _write_header(ws, headers, styles)
    col = {h: get_column_letter(i) for i, h in enumerate(headers, start=1)}
    for header in headers:
        ws.add_data_validation(_prompt_dv(f"{col[header]}1", header, _JABATAN_PROMPTS[header]))
    ws.add_data_validation(_list_dv(
        col[C.JENIS_JABATAN], _quoted_list(C.JENIS_JABATAN_VALUES), C.JENIS_JABATAN,
        "Pilih salah satu jenis jabatan dari daftar."))
    ws.add_data_validation(_list_dv(
        col[C.KODE_ATASAN], f"${col[C.KODE_JABATAN]}$2:${col[C.KODE_JABATAN]}${LAST_ROW}",
        C.KODE_ATASAN, "Kode atasan harus salah satu Kode Jabatan di sheet ini.",
        strict=False))
    ws.sheet_properties.tabColor = _TAB_COLORS["input"]
    _print_setup(ws)


def _build_identitas(ws: Worksheet, values: Mapping[str, str | int]) -> None:
    ws.column_dimensions["A"].width = 24
    ws.column_dimensions["B"].width = 42
    ws.column_dimensions["C"].width = 90
    ws.column_dimensions["B"].number_format = TEXT_FORMAT
    help_font = Font(italic=True, color="595959")
    for row, key in enumerate(C.IDENTITAS_KEYS, start=1):
        key_cell = ws.cell(row=row, column=1, value=key)
        key_cell.font = _HEADER_FONT
        key_cell.fill = _HEADER_FILL
        key_cell.border = _BORDER
        key_cell.alignment = _TOP
        value = values.get(key)
        cell = ws.cell(row=row, column=2, value=value if value != "" else None)
        cell.border = _BORDER
        cell.alignment = _WRAP_TOP
        is_year = key in (C.KEY_TAHUN_AWAL, C.KEY_TAHUN_AKHIR, C.KEY_TAHUN_PK)
        cell.number_format = YEAR_FORMAT if is_year else TEXT_FORMAT
        note = ws.cell(row=row, column=3, value=_IDENTITAS_HELP[key])
        note.font = help_font
        note.alignment = _WRAP_TOP
        if is_year:
            dv = DataValidation(type="whole", operator="between", formula1="2000",
                                formula2="2100", allow_blank=True, showInputMessage=True,
                                showErrorMessage=True, promptTitle=key,
                                prompt=_IDENTITAS_HELP[key], errorTitle=key,
                                error="Isi tahun empat angka, mis. 2026.")
            dv.add(f"B{row}")
        else:
            dv = _prompt_dv(f"B{row}", key, _IDENTITAS_HELP[key])
        ws.add_data_validation(dv)
        _fit_row_height(ws, row)
    ws.sheet_properties.tabColor = _TAB_COLORS["input"]
    _print_setup(ws, repeat_header=False)


# Petunjuk: four columns; paragraphs are merged across B:D with a computed row height.
_GUIDE_WIDTHS = {"A": 26, "B": 44, "C": 44, "D": 44}


# A row of `Petunjuk`: a line of text, a (label, text) pair, or the cells of a table row.
_GuideRow = (tuple[Literal["title", "section", "para"], str]
             | tuple[Literal["item", "status"], tuple[str, str]]
             | tuple[Literal["table", "row"], tuple[str, ...]])


def _guide_rows(years: range, pk_year: int) -> list[_GuideRow]:
    """The content of `Petunjuk` as (kind, payload) rows, in order."""
    levels = C.LEVEL_BY_NUMBER
    first, last = years[0], years[-1]
    table_rows = [
        (levels[1].sheet, "Strategis — hasil akhir (ultimate outcome)",
         "RPJMD: tujuan/sasaran Pemda", "Kepala Daerah (PK Kepala Daerah)"),
        (levels[2].sheet, "Strategis sektor — hasil antara (intermediate outcome)",
         "Renstra Perangkat Daerah: tujuan/sasaran PD",
         "Kepala Perangkat Daerah, JPT (PK Kepala PD)"),
        (levels[3].sheet, "Taktis — hasil antara (intermediate outcome)",
         "Sasaran Program (dengan Kode dan Nama Program)",
         "Eselon III / Administrator (PK)"),
        (levels[4].sheet, "Taktis — hasil langsung (immediate outcome)",
         "Sasaran Kegiatan (dengan Kode dan Nama Kegiatan)",
         "Eselon IV / Pengawas / Fungsional (PK/SKP)"),
        (levels[5].sheet, "Operasional — keluaran (output)",
         "Sasaran Subkegiatan, dengan anggaran per tahun",
         "Pengawas / Fungsional / Pelaksana (PK/SKP)"),
        (levels[6].sheet, "Individu", "SKP: Rencana Hasil Kerja (RHK) pegawai",
         "Setiap ASN; RHK mengintervensi RHK atasan"),
    ]
    return [
        ("title", "Petunjuk Pengisian Pohon Kinerja (Penjenjangan Kinerja)"),
        ("para", "Workbook ini menampung pohon kinerja instansi dan penjenjangannya (cascading) "
         "sesuai PermenPANRB Nomor 89 Tahun 2021 tentang Pedoman Penjenjangan Kinerja Instansi "
         "Pemerintah, sampai ke Rencana Hasil Kerja (RHK) pegawai menurut PermenPANRB Nomor 6 "
         "Tahun 2022. Setiap baris pada sheet level adalah satu kondisi (sasaran) beserta "
         "indikatornya; sasaran dihubungkan ke induknya melalui kolom ID Induk. Nama sheet dan "
         "judul kolom jangan diubah; kolom atau sheet tambahan milik Anda boleh ditambahkan."),
        ("section", "Urutan pengisian"),
        ("item", ("1.", f"Isi sheet {C.IDENTITAS}: instansi, perangkat daerah, periode "
                  f"{first}–{last} dan Tahun PK ({pk_year}).")),
        ("item", ("2.", f"Isi sheet {C.JABATAN}: semua jabatan pemilik kinerja, dari kepala "
                  "daerah sampai pelaksana, lengkap dengan atasan langsung, NIP dan nama "
                  "pemangku.")),
        ("item", ("3.", "Isi sheet level dari atas ke bawah (L1 → L6). Mulailah dari hasil "
                  "(outcome) yang ingin dicapai, cari faktor kunci keberhasilannya (critical "
                  "success factor), lalu uraikan menjadi kondisi antara dan kondisi operasional "
                  "sampai ke subkegiatan dan RHK pegawai.")),
        ("item", ("4.", "Jalankan validasi, perbaiki setiap Galat, tinjau setiap Peringatan, "
                  "lalu turunkan dokumen PK, matriks Renstra/Renja dan SKP.")),
        ("section", "Sheet dan cara mengisinya"),
        ("item", (C.IDENTITAS, "Kolom A berisi kunci (jangan diubah), kolom B nilainya. Tahun "
                  "diisi angka empat digit. Perangkat Daerah dikosongkan pada workbook tingkat "
                  "Pemda.")),
        ("item", (C.JABATAN, "Satu baris per jabatan. Kode Jabatan harus unik dan dipakai di "
                  "kolom Pemilik Kinerja. Jenis Jabatan dipilih dari daftar; Kode Jabatan "
                  "Atasan menunjuk atasan langsung; NIP ditulis 18 digit.")),
        ("item", ("Sheet L1–L6", "Satu baris per sasaran. ID unik; ID Induk menunjuk sasaran "
                  "pada level tepat di atasnya. Sasaran dirumuskan sebagai kondisi "
                  "(Meningkatnya…, Menurunnya…, Terlaksananya…, Tersedianya…). Isi Satuan, Arah, "
                  "Baseline dan Target setiap tahun dengan angka saja. Jenis Cascading kosong "
                  "pada L1.")),
        ("item", ("Beberapa indikator", "Jika satu sasaran mempunyai beberapa indikator, isi "
                  "indikator kedua dan seterusnya pada baris di bawahnya dengan ID dan Sasaran "
                  "dikosongkan (sel yang digabung vertikal juga terbaca demikian).")),
        ("item", ("Kode dan anggaran", "L3–L5 memuat kode dan nama program/kegiatan/subkegiatan "
                  "menurut nomenklatur Kepmendagri; awalan kode harus sama dengan kode induknya "
                  "(kegiatan 2.15.02.2.06 di bawah program 2.15.02; subkegiatan 2.15.02.2.06.0017 "
                  "di bawah kegiatan itu). Anggaran diisi di L5 dalam rupiah penuh, wajib untuk "
                  "Tahun PK.")),
        ("item", (levels[6].sheet, "RHK setiap pegawai, diturunkan dari tugas dalam SOP "
                  "kegiatan. Induknya adalah sasaran L5 milik atasan langsung pegawai. Isi "
                  f"Aspek (Kuantitas, Kualitas, Waktu atau Biaya); cukup Target {pk_year}.")),
        ("section", "Level kinerja dan penuangannya"),
        ("table", ("Sheet", "Level kinerja", "Komponen perencanaan", "Pemilik kinerja")),
        *[("row", row) for row in table_rows],
        ("section", "Jenis cascading (kolom Jenis Cascading)"),
        ("item", (C.LANGSUNG, "Penjenjangan langsung (direct/full): sasaran bawahan memakai "
                  "indikator dan target yang sama persis dengan induknya.")),
        ("item", (C.BERBAGI, "Penjenjangan berbagi (sharing/partial): beberapa unit memikul "
                  "indikator yang sama dengan sebagian target; untuk indikator yang dapat "
                  "dijumlahkan, jumlah target bagian tidak melebihi target induk.")),
        ("item", (C.KONTRIBUSI, "Penjenjangan kontribusi (cause–effect/contributing): sasaran "
                  "bawahan mempunyai indikator sendiri yang berbeda, yang menjadi penyebab "
                  "tercapainya indikator induk.")),
        ("section", f"Evaluasi cascading (sheet {C.EVALUASI_CASCADING}, dibuat oleh Turunkan)"),
        ("para", "Kertas kerja evaluasi (KKE) untuk kriteria cascading LKE AKIP (PermenPANRB "
         "88/2021): satu baris per indikator — ada di Renstra, Renja dan PK atau tidak, jenis "
         "jabatan pemilik dan kesesuaiannya dengan level, serta Cascading tepat? (Y/T) menurut "
         "aturan bernomor K1–K9 dengan alasan setiap T di kolom Keterangan. Di bawah tabel: "
         "persentase Y dan jawaban kriteria LKE yang ditunjukkannya; rentang jawabannya "
         "ditetapkan pohon-xl, bukan oleh peraturan."),
        ("section", "Status hasil validasi (kolom Status dan sheet Laporan_Validasi)"),
        ("status", ("OK", "Baris memenuhi semua aturan.")),
        ("status", ("Peringatan", "Ada hal yang perlu ditinjau (mis. rumusan indikator atau "
                    "target yang janggal); workbook tetap dapat diproses.")),
        ("status", ("Galat", "Ada kesalahan yang harus diperbaiki (mis. ID ganda, induk tidak "
                    "ditemukan, target tidak terisi); dokumen turunan belum dapat diandalkan.")),
        ("para", "Sel yang bermasalah diberi warna dan catatan; sheet Laporan_Validasi memuat "
         "satu baris per temuan dengan tautan ke selnya."),
        ("section", f"Setelah rencana: sheet {C.RENCANA_AKSI} dan {C.REALISASI}"),
        ("para", f"Turunkan menambahkan sheet {C.RENCANA_AKSI} dan {C.REALISASI}: satu baris "
         f"per indikator yang mempunyai Target {pk_year} pada L2–L6, menurut urutan pohon. "
         "Kolom berwarna kuning muda diisi oleh Anda; kolom lain disalin dari pohon. Baris "
         "L2–L3 boleh dibiarkan kosong bila perangkat daerah tidak merencanakannya per "
         "triwulan."),
        ("item", (C.RENCANA_AKSI, "Pilih Cara Akumulasi (Kumulatif: target triwulan "
                  "dijumlahkan menjadi target tahunan; Nilai Akhir: target TW terakhir yang diisi "
                  "adalah target tahunan; Rata-rata: rata-rata triwulan), lalu isi Target TW I–IV "
                  "dan, untuk subkegiatan (L5), Anggaran TW I–IV yang berjumlah anggaran "
                  f"{pk_year}.")),
        ("item", (C.REALISASI, "Setiap akhir triwulan isi Realisasi TW, Realisasi Anggaran TW "
                  "(L5, per triwulan, bukan kumulatif) dan Bukti Dukung (nama dokumen atau "
                  "tautannya). Isi angka saja; tanda - berarti kosong.")),
        ("para", "Menjalankan Turunkan lagi tidak pernah menghapus isian: sel salinan dari "
         "pohon diperbarui, indikator baru ditambahkan di bawah, dan baris yang node atau "
         "indikatornya sudah tidak ada di pohon tetap disimpan dan ditandai pada kolom "
         "Status (RAK05). Rumus dan kolom tambahan Anda tetap."),
        ("section", "Perintah"),
        ("item", ("pohon-xl validasi", "pohon-xl validasi BERKAS.xlsx [-o HASIL.xlsx] — "
                  "memeriksa workbook dan menambahkan kolom Status, Catatan Validasi serta sheet "
                  "Laporan_Validasi. Berkas masukan tidak diubah.")),
        ("item", ("pohon-xl turunkan", "pohon-xl turunkan BERKAS.xlsx [-o HASIL.xlsx] — "
                  "memvalidasi lalu menurunkan sheet PK, Program, Kegiatan, Subkegiatan, SKP, "
                  f"Matriks_Cascading dan Ringkasan, serta menambahkan {C.RENCANA_AKSI} dan "
                  f"{C.REALISASI} untuk diisi.")),
        ("item", ("pohon-xl capaian", "pohon-xl capaian BERKAS.xlsx [--pita 90,75,65,50] — "
                  "setelah sheet Realisasi diisi: menghitung capaian setiap indikator per "
                  "triwulan dan setahun (Naik: realisasi/target×100; Turun: (2×target − "
                  "realisasi)/target×100) ke sheet Capaian_Kinerja, dan tabel Bab III LKjIP ke "
                  "sheet LKjIP. Turunkan juga membuat keduanya bila realisasi sudah ada.")),
        ("item", ("pohon-xl template", "pohon-xl template -o BERKAS.xlsx --tahun-awal "
                  f"{first} --tahun-akhir {last} — membuat templat kosong ini.")),
        ("item", ("pohon-xl batch", "pohon-xl batch KOTAK_MASUK -o FOLDER_HASIL — memproses "
                  "semua workbook kiriman perangkat daerah sekaligus.")),
        ("para", "Kode keluar: 0 tanpa Galat; 1 ada Galat; 2 berkas tidak dapat diproses."),
    ]


def _paragraph_height(text: str, width: float) -> float:
    """Height of a merged, wrapped text cell (Excel does not fit merged cells itself)."""
    return 15.0 * _wrapped_lines(text, width) + 3


def _build_petunjuk(ws: Worksheet, years: range, pk_year: int) -> None:
    for letter, width in _GUIDE_WIDTHS.items():
        ws.column_dimensions[letter].width = width
    white_bold = Font(bold=True, color="FFFFFF")
    status_fill = {"OK": "C6EFCE", "Peringatan": "FFEB9C", "Galat": "FFC7CE"}
    row = 0
    # Indexing (not unpacking) the row lets the type checker narrow the payload by its kind.
    for guide_row in _guide_rows(years, pk_year):
        kind = guide_row[0]
        row += 1
        if guide_row[0] == "title":
            ws.cell(row=row, column=1, value=guide_row[1]).font = Font(bold=True, size=14)
            ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=4)
            ws.row_dimensions[row].height = 24
        elif guide_row[0] == "section":
            row += 1  # a blank line before each section
            cell = ws.cell(row=row, column=1, value=guide_row[1])
            cell.font = white_bold
            for column in range(1, 5):
                ws.cell(row=row, column=column).fill = _SECTION_FILL
        elif guide_row[0] == "para":
            text = guide_row[1]
            cell = ws.cell(row=row, column=1, value=text)
            cell.alignment = _WRAP_TOP
            ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=4)
            ws.row_dimensions[row].height = _paragraph_height(text, sum(_GUIDE_WIDTHS.values()))
        elif guide_row[0] == "item" or guide_row[0] == "status":
            label, text = guide_row[1]
            head = ws.cell(row=row, column=1, value=label)
            head.font = _HEADER_FONT
            head.alignment = _WRAP_TOP
            if kind == "status":
                head.fill = PatternFill("solid", fgColor=status_fill[label])
                head.border = _BORDER
            body = ws.cell(row=row, column=2, value=text)
            body.alignment = _WRAP_TOP
            ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=4)
            body_width = sum(_GUIDE_WIDTHS.values()) - _GUIDE_WIDTHS["A"]
            ws.row_dimensions[row].height = _paragraph_height(text, body_width)
        else:  # "table" or "row"
            for column, text in enumerate(guide_row[1], start=1):
                cell = ws.cell(row=row, column=column, value=text)
                cell.alignment = _WRAP_TOP
                cell.border = _BORDER
                if kind == "table":
                    cell.font = _HEADER_FONT
                    cell.fill = _HEADER_FILL
                elif column == 1:
                    cell.font = _HEADER_FONT
            _fit_row_height(ws, row)
    ws.sheet_view.showGridLines = False
    ws.sheet_properties.tabColor = _TAB_COLORS["guide"]
    _print_setup(ws, repeat_header=False)


# --------------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------------
def new_workbook(
    start_year: int = 2025,
    end_year: int = 2029,
    pk_year: int | None = None,
    instansi: str = "",
    perangkat_daerah: str = "",
    *,
    kode_perangkat_daerah: str = "",
    penyusun: str = "",
    email: str = "",
) -> Workbook:
    """The template as an openpyxl workbook (not saved), ready to be filled or saved."""
    if not 1900 <= start_year <= end_year <= start_year + 20:
        raise ValueError(f"periode tidak sah: {start_year}–{end_year}")
    # The PK is signed for the year after the plan is set: the second year of the period.
    pk_year = min(start_year + 1, end_year) if pk_year is None else pk_year
    if not start_year <= pk_year <= end_year:
        raise ValueError(f"Tahun PK {pk_year} di luar periode {start_year}–{end_year}")
    years = range(start_year, end_year + 1)
    wb = Workbook()
    guide = wb.active
    assert isinstance(guide, Worksheet)  # a new workbook opens on its one worksheet
    guide.title = C.PETUNJUK
    _build_petunjuk(guide, years, pk_year)
    _build_identitas(wb.create_sheet(C.IDENTITAS), {
        C.KEY_INSTANSI: instansi,
        C.KEY_PERANGKAT_DAERAH: perangkat_daerah,
        C.KEY_KODE_PD: kode_perangkat_daerah,
        C.KEY_TAHUN_AWAL: start_year,
        C.KEY_TAHUN_AKHIR: end_year,
        C.KEY_TAHUN_PK: pk_year,
        C.KEY_PENYUSUN: penyusun,
        C.KEY_EMAIL: email,
    })
    _build_jabatan(wb.create_sheet(C.JABATAN))
    for spec in C.LEVELS:
        _build_level(wb.create_sheet(spec.sheet), spec, years, pk_year)
    add_native_checks(wb)  # conditional formats: empty required cells, duplicate IDs, parents
    wb.active = 1  # open on Identitas
    return wb


def write_rows(ws: Worksheet, rows: Iterable[Mapping[str, object]], first_row: int = 2) -> int:
    """Write rows keyed by header label under the header row, with the column's format.

    Returns the next free row. Values of ``None`` or ``""`` leave the cell empty.
    """
    columns = {cell.value: cell.column for cell in ws[1] if cell.value}
    row = first_row
    for values in rows:
        unknown = set(values) - set(columns)
        if unknown:
            raise KeyError(f"{ws.title}: kolom tidak dikenal {sorted(unknown)}")
        for header, value in values.items():
            if value is None or value == "":
                continue
            column = columns[header]
            dim = ws.column_dimensions[get_column_letter(column)]
            if not isinstance(value, _CELL_TYPES):
                raise TypeError(f"{ws.title}: nilai {value!r} untuk kolom {header} tidak dapat "
                                "ditulis ke sel")
            cell = ws.cell(row=row, column=column, value=value)
            cell.number_format = dim.number_format
            cell.alignment = _copy_alignment(dim.alignment)
        _fit_row_height(ws, row)
        row += 1
    return row


def _copy_alignment(alignment: Alignment | StyleProxy) -> Alignment:
    return Alignment(horizontal=alignment.horizontal, vertical=alignment.vertical,
                     wrap_text=alignment.wrap_text)


def _fit_row_height(ws: Worksheet, row: int) -> None:
    """An explicit height for a filled row whose wrapped text needs more than one line.

    Excel and LibreOffice do not re-fit row heights when opening a file, so without this the
    wrapped text of the examples would overlap.
    """
    lines = 1
    for cell in ws[row]:
        if cell.value is None or not cell.alignment.wrap_text:
            continue
        width = ws.column_dimensions[cell.column_letter].width or 10
        lines = max(lines, _wrapped_lines(str(cell.value), width))
    if lines > 1:
        ws.row_dimensions[row].height = 15.0 * lines + 2


def _wrapped_lines(text: str, width: float) -> int:
    """Lines a text takes in a column of ``width`` (greedy word wrap, 11 pt, conservative)."""
    capacity = max(1, int(width * 1.05) - 1)
    lines = 0
    for paragraph in text.split("\n"):
        used, count = 0, 1
        for word in paragraph.split():
            size = len(word) + (1 if used else 0)
            if used and used + size > capacity:
                count, used = count + 1, len(word)
            else:
                used += size
            while used > capacity:  # a word longer than the line
                count, used = count + 1, used - capacity
        lines += count
    return max(1, lines)


def save_workbook(wb: Workbook, path: str | Path) -> Path:
    """Save with fixed document properties, so that regenerating changes nothing."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    props = wb.properties
    props.creator = props.lastModifiedBy = AUTHOR
    props.created = props.modified = FIXED_TIMESTAMP
    props.title = "Pohon Kinerja"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        ExcelWriter(wb, archive).write_data()
    # Re-pack with a fixed date on every member: same workbook, same bytes (quiet git diffs).
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(
        path, "w", zipfile.ZIP_DEFLATED, allowZip64=True
    ) as target:
        for member in source.infolist():
            info = zipfile.ZipInfo(member.filename, date_time=FIXED_TIMESTAMP.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            target.writestr(info, source.read(member.filename))
    return path


def build_template(
    path: str | Path,
    start_year: int = 2025,
    end_year: int = 2029,
    pk_year: int | None = None,
    instansi: str = "",
    perangkat_daerah: str = "",
) -> None:
    """Write the blank template (see the module docstring) to ``path``."""
    save_workbook(new_workbook(start_year, end_year, pk_year, instansi, perangkat_daerah), path)


def snapshot(path: str | Path) -> dict[str, object]:
    """What makes two workbooks "the same" for the golden tests: values and settings.

    Sheet order, every non-empty cell value, data validations (range, type, formulas, prompt,
    error), freeze panes, column widths and formats, merged cells, row heights, print setup
    and defined names. Bytes, styles of single cells and zip metadata are ignored.
    """
    wb = load_workbook(path)
    result: dict[str, object] = {
        "sheets": wb.sheetnames,
        "defined_names": sorted((n, d.attr_text) for n, d in wb.defined_names.items()),
        "properties": (wb.properties.created, wb.properties.modified, wb.properties.creator),
    }
    for ws in wb.worksheets:
        cells = {
            cell.coordinate: cell.value
            for row in ws.iter_rows()
            for cell in row
            if cell.value is not None
        }
        validations = sorted(
            (str(dv.sqref), dv.type or "", dv.formula1 or "", dv.formula2 or "",
             dv.promptTitle or "", dv.prompt or "", dv.errorStyle or "", dv.error or "",
             bool(dv.allow_blank))
            for dv in ws.data_validations.dataValidation
        )
        widths = {
            key: (dim.width, dim.number_format)
            for key, dim in sorted(ws.column_dimensions.items())
            if dim.width or dim.number_format != "General"
        }
        setup = ws.page_setup
        result[ws.title] = {
            "cells": cells,
            "validations": validations,
            "freeze": ws.freeze_panes,
            "columns": widths,
            "heights": {k: d.height for k, d in sorted(ws.row_dimensions.items()) if d.height},
            "merged": sorted(str(r) for r in ws.merged_cells.ranges),
            "print": (setup.orientation, str(setup.paperSize), setup.fitToWidth,
                      setup.fitToHeight, ws.sheet_properties.pageSetUpPr.fitToPage
                      if ws.sheet_properties.pageSetUpPr else None, ws.print_title_rows),
        }
    return result


def main(argv: Sequence[str] | None = None) -> int:
    """Rewrite the committed template and examples (``python -m pohon_xl.excel.template``)."""
    from pohon_xl.excel import examples

    build_template(TEMPLATE_PATH, 2025, 2029, pk_year=2026)
    print(f"ditulis: {TEMPLATE_PATH.relative_to(REPO_ROOT)}")
    for path in examples.write_examples():
        print(f"ditulis: {path.relative_to(REPO_ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
