"""The blank template: committed file == code, contract headers, dropdowns, prompts, layout."""

from __future__ import annotations

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from pohon_xl.excel.read import read_raw
from pohon_xl.excel.template import (
    DATA_ROWS,
    MONEY_FORMAT,
    NUMBER_FORMAT,
    TEMPLATE_PATH,
    build_template,
    new_workbook,
    snapshot,
    write_rows,
)
from pohon_xl.excel.xlsxpatch import CATATAN_WIDTH, STATUS_WIDTH
from pohon_xl.model import contract as C
from pohon_xl.model.parse import parse_workbook
from pohon_xl.printing import MIN_SCALE, column_points, printable_width

YEARS = range(2025, 2030)
PK_YEAR = 2026
LAST_ROW = DATA_ROWS + 1
REGENERATE = "Jalankan `python -m pohon_xl.excel.template` lalu commit hasilnya."


def snapshot_differences(expected: dict, actual: dict, limit: int = 12) -> list[str]:
    """Readable differences between two :func:`snapshot` results (sheet/part/key)."""
    out: list[str] = []

    def walk(a: object, b: object, path: str) -> None:
        if len(out) >= limit or a == b:
            return
        if isinstance(a, dict) and isinstance(b, dict):
            for key in sorted(set(a) | set(b), key=str):
                walk(a.get(key, "<tidak ada>"), b.get(key, "<tidak ada>"), f"{path}/{key}")
        elif isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
            for index, (x, y) in enumerate(zip(a, b)):
                walk(x, y, f"{path}[{index}]")
        else:
            out.append(f"{path}: berkas={a!r} kode={b!r}"[:300])

    walk(expected, actual, "")
    return out


def assert_same_workbook(committed, generated) -> None:
    assert committed.exists(), f"{committed} belum ada. {REGENERATE}"
    diff = snapshot_differences(snapshot(committed), snapshot(generated))
    assert not diff, f"{committed.name} berbeda dari hasil kode. {REGENERATE}\n" + "\n".join(diff)


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    path = tmp_path_factory.mktemp("templat") / "Pohon_Kinerja.xlsx"
    build_template(path, 2025, 2029, pk_year=PK_YEAR)
    return path


@pytest.fixture(scope="module")
def book(template):
    return openpyxl.load_workbook(template)


def _validations(ws):
    return {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}


def _column(ws, header: str) -> str:
    return next(cell.column_letter for cell in ws[1] if cell.value == header)


def test_committed_template_matches_the_code(template):
    assert_same_workbook(TEMPLATE_PATH, template)


def test_the_command_without_options_writes_the_committed_template(tmp_path, capsys):
    from pohon_xl.cli import main

    path = tmp_path / "Pohon_Kinerja.xlsx"
    assert main(["template", "-o", str(path)]) == 0
    plan = parse_workbook(read_raw(path))
    assert plan.pk_year == PK_YEAR  # the second year, as `--help` says
    assert_same_workbook(TEMPLATE_PATH, path)
    main(["template", "--help"])
    assert "Tahun PK (bawaan: tahun kedua)" in capsys.readouterr().out


def test_output_is_deterministic(tmp_path, template):
    again = tmp_path / "lagi.xlsx"
    build_template(again, 2025, 2029, pk_year=PK_YEAR)
    assert again.read_bytes() == template.read_bytes()
    props = openpyxl.load_workbook(again).properties
    assert props.created == props.modified and props.created.year == 2025


def test_template_parses_into_an_empty_plan(template):
    plan = parse_workbook(read_raw(template), source=template.name)
    assert set(plan.sheets) == {C.IDENTITAS, C.JABATAN, *(s.sheet for s in C.LEVELS)}
    for name, info in plan.sheets.items():
        assert info.present, name
        assert info.missing_columns == [], name
    for spec in C.LEVELS:
        assert plan.sheets[spec.sheet].years == list(YEARS)
    assert plan.sheets[C.LEVEL_BY_NUMBER[5].sheet].budget_years == list(YEARS)
    assert (plan.start_year, plan.end_year, plan.pk_year) == (2025, 2029, PK_YEAR)
    assert plan.nodes == [] and plan.positions == [] and plan.orphan_rows == []


def test_sheet_order_and_contract_headers(book):
    assert book.sheetnames == [C.PETUNJUK, C.IDENTITAS, C.JABATAN, *(s.sheet for s in C.LEVELS)]
    assert [c.value for c in book[C.JABATAN][1]] == list(C.JABATAN_HEADERS)
    for spec in C.LEVELS:
        assert [c.value for c in book[spec.sheet][1]] == C.level_headers(spec, YEARS)
    identitas = book[C.IDENTITAS]
    assert [identitas.cell(row=r, column=1).value for r in range(1, 9)] == list(C.IDENTITAS_KEYS)
    years = {identitas.cell(row=r, column=1).value: identitas.cell(row=r, column=2).value
             for r in range(1, 9)}
    assert (years[C.KEY_TAHUN_AWAL], years[C.KEY_TAHUN_AKHIR], years[C.KEY_TAHUN_PK]) == (
        2025, 2029, PK_YEAR)


def test_every_header_cell_has_a_short_indonesian_prompt(book):
    for name in [C.JABATAN, *(s.sheet for s in C.LEVELS)]:
        ws = book[name]
        validations = _validations(ws)
        for cell in ws[1]:
            dv = validations.get(cell.coordinate)
            assert dv is not None and dv.showInputMessage, (name, cell.value)
            assert dv.prompt and len(dv.prompt) <= 255, (name, cell.value)
            assert dv.promptTitle and len(dv.promptTitle) <= 32, (name, cell.value)
    identitas = _validations(book[C.IDENTITAS])
    assert all(f"B{row}" in identitas for row in range(1, 9))


@pytest.mark.parametrize("spec", C.LEVELS, ids=lambda s: s.sheet)
def test_level_dropdowns(book, spec):
    ws = book[spec.sheet]
    validations = _validations(ws)

    def dropdown(header):
        letter = _column(ws, header)
        dv = validations.get(f"{letter}2:{letter}{LAST_ROW}")
        assert dv is not None, (spec.sheet, header)
        assert dv.type == "list" and dv.allow_blank, (spec.sheet, header)
        return dv

    assert dropdown(C.ARAH).formula1 == '"Naik,Turun"'
    assert dropdown(C.PEMILIK).formula1 == f"{C.JABATAN}!$A$2:$A${LAST_ROW}"
    if spec.number > 1:
        assert dropdown(C.JENIS_CASCADING).formula1 == '"Langsung,Berbagi,Kontribusi"'
        above = C.LEVEL_BY_NUMBER[spec.number - 1].sheet
        assert dropdown(C.ID_INDUK).formula1 == f"'{above}'!$A$2:$A${LAST_ROW}"
    if spec.is_individual:
        assert dropdown(C.ASPEK).formula1 == '"' + ",".join(C.ASPEK_VALUES) + '"'


def test_jabatan_dropdowns(book):
    ws = book[C.JABATAN]
    validations = _validations(ws)
    kind = validations[f"{_column(ws, C.JENIS_JABATAN)}2:{_column(ws, C.JENIS_JABATAN)}{LAST_ROW}"]
    assert kind.formula1 == '"' + ",".join(C.JENIS_JABATAN_VALUES) + '"' and kind.allow_blank
    superior = validations[f"{_column(ws, C.KODE_ATASAN)}2:{_column(ws, C.KODE_ATASAN)}{LAST_ROW}"]
    assert superior.formula1 == f"$A$2:$A${LAST_ROW}"


def test_layout_formats_and_print_setup(book):
    for name in [C.JABATAN, *(s.sheet for s in C.LEVELS)]:
        ws = book[name]
        assert ws.freeze_panes == "A2", name
        assert ws.print_title_rows == "$1:$1", name
        assert all(cell.font.bold for cell in ws[1]), name
    for ws in book.worksheets:  # every sheet prints its 11 pt text at 8 pt or more
        setup = ws.page_setup
        paper = {str(ws.PAPERSIZE_A4): "A4", str(ws.PAPERSIZE_A3): "A3"}[str(setup.paperSize)]
        if ws.sheet_properties.pageSetUpPr.fitToPage:
            assert (setup.fitToWidth, setup.fitToHeight) == (1, 0), ws.title
            widths = [ws.column_dimensions[get_column_letter(c)].width or 8.43
                      for c in range(1, ws.max_column + 1)]
            if ws.title in [s.sheet for s in C.LEVELS]:
                widths += [STATUS_WIDTH, CATATAN_WIDTH]  # what a run adds
            scale = printable_width(paper, setup.orientation == "landscape") / sum(
                column_points(w) for w in widths)
            assert min(scale, 1.0) * 100 >= MIN_SCALE, ws.title
        else:
            assert setup.scale >= MIN_SCALE and ws.print_title_cols == "$A:$A", ws.title
    l5 = book[C.LEVEL_BY_NUMBER[5].sheet]
    for header in (C.BASELINE, C.target_header(2027)):
        assert l5.column_dimensions[_column(l5, header)].number_format == NUMBER_FORMAT
    assert l5.column_dimensions[_column(l5, C.budget_header(2026))].number_format == MONEY_FORMAT
    sasaran = l5.column_dimensions[_column(l5, C.SASARAN)]
    assert sasaran.alignment.wrap_text and sasaran.width >= 30
    nip = book[C.JABATAN].column_dimensions[_column(book[C.JABATAN], C.NIP_PEMANGKU)]
    assert nip.number_format == "@"  # 18 digits would lose precision as a number


def test_petunjuk_covers_levels_types_statuses_and_commands(book):
    text = "\n".join(
        str(cell.value) for row in book[C.PETUNJUK].iter_rows() for cell in row if cell.value
    )
    for needle in [*(s.sheet for s in C.LEVELS), *C.CASCADING_VALUES, "OK", "Peringatan",
                   "Galat", "pohon-xl validasi", "pohon-xl turunkan", "PermenPANRB",
                   C.EVALUASI_CASCADING, "Cascading tepat?"]:
        assert needle in text, needle


def test_other_periods_and_bad_arguments(tmp_path):
    path = tmp_path / "t.xlsx"
    build_template(path, 2027, 2031, instansi="Pemerintah Kabupaten Uji")
    plan = parse_workbook(read_raw(path))
    assert plan.sheets[C.LEVEL_BY_NUMBER[1].sheet].years == list(range(2027, 2032))
    assert plan.pk_year == 2028  # defaults to the second year, as `template --help` says
    assert plan.identity.text(C.KEY_INSTANSI) == "Pemerintah Kabupaten Uji"
    with pytest.raises(ValueError):
        build_template(path, 2025, 2029, pk_year=2030)
    with pytest.raises(ValueError):
        build_template(path, 2029, 2025)


def test_write_rows_writes_cell_values_and_refuses_others():
    wb = new_workbook()
    sheet = wb[C.JABATAN]
    assert write_rows(sheet, [{C.KODE_JABATAN: "J1", C.NIP_PEMANGKU: ""}]) == 3
    assert sheet.cell(row=2, column=1).value == "J1"
    with pytest.raises(TypeError, match="tidak dapat ditulis"):
        write_rows(sheet, [{C.KODE_JABATAN: ["J2"]}], first_row=3)
