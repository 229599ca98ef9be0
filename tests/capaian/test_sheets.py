"""`Capaian_Kinerja` and `LKjIP` on the Dishub example with made-up realisation: every
achievement figure equals the formula computed here from the typed cells, Turun, range and
zero targets included; the sheets are built only when there is realisation."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from pohon_xl.cli import main
from pohon_xl.model import contract as C
from pohon_xl.pipeline import process, read_run
from tests.capaian.builders import DISHUB, with_realisation

RANGE_ID, RANGE_TARGET = "L3-03", "70–80"  # a target typed as a range on the level sheet
ZERO_ID = "L6-04"  # its Turun indicator gets a target of zero


def _plant(path: Path) -> None:
    """A range target and a zero target typed on the level sheets."""
    book = openpyxl.load_workbook(path)
    for sheet_name, node_id, arah, value in ((C.LEVEL_BY_NUMBER[3].sheet, RANGE_ID, None,
                                              RANGE_TARGET),
                                             (C.LEVEL_BY_NUMBER[6].sheet, ZERO_ID, "Turun", 0)):
        sheet = book[sheet_name]
        header = [c.value for c in sheet[1]]
        column = header.index("Target 2026") + 1
        current = None
        for row in sheet.iter_rows(min_row=2):
            current = row[0].value or current  # a continuation row leaves ID empty
            if current == node_id and (arah is None or row[header.index("Arah")].value == arah):
                row[column - 1].value = value
    book.save(path)


@pytest.fixture(scope="module")
def result(tmp_path_factory):
    folder = tmp_path_factory.mktemp("capaian")
    source = with_realisation(folder / "dishub.xlsx")
    _plant(source)
    outcome = process(source, folder / "hasil.xlsx", derive=True)
    return source, outcome


def _records(path: Path, name: str) -> list[dict[str, object]]:
    sheet = openpyxl.load_workbook(path, data_only=True)[name]
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    return [dict(zip(header, row)) for row in rows[1:] if row[0] and str(row[0]).startswith("L")]


def _formula(target: float, done: float, turun: bool) -> float:
    if target == 0:
        return 100.0 if (done <= 0 if turun else done >= 0) else 0.0
    return ((2 * target - done) / target if turun else done / target) * 100


def _nearest(low: float, high: float, done: float) -> float:
    return min(max(done, low), high)


def test_every_achievement_equals_the_formula(result):
    source, outcome = result
    assert C.CAPAIAN_KINERJA in outcome.derived and C.LKJIP in outcome.derived
    typed = {(r.id, r.indicator): r for r in read_run(source).plan.realisation}
    rows = _records(outcome.output, C.CAPAIAN_KINERJA)
    assert len(rows) == len(typed)
    kinds = set()
    for row in rows:
        turun = row[C.ARAH] == "Turun"
        done = typed[(row[C.ID], row[C.INDIKATOR])]
        quarters = [cell.value for cell in done.realisations]
        for q, roman in enumerate(("I", "II", "III", "IV")):
            target = row[f"Target TW {roman}"]
            assert row[f"Realisasi TW {roman}"] == pytest.approx(quarters[q])
            assert row[f"Capaian TW {roman} (%)"] == pytest.approx(
                round(_formula(target, quarters[q], turun), 2))
        year = sum(quarters) if row["Cara Akumulasi"] == "Kumulatif" else quarters[-1]
        assert row["Realisasi 2026"] == pytest.approx(year)
        target = row["Target 2026"]
        if target == RANGE_TARGET:
            kinds.add("range")
            goal = _nearest(70, 80, year)
        else:
            kinds.add("zero" if target == 0 else "Turun" if turun else "Naik")
            goal = target
        assert row["Capaian (%)"] == pytest.approx(round(_formula(goal, year, turun), 2))
        end = row["Target 2029"]
        progress = row["Capaian terhadap Target 2029 (%)"]
        if end is None:  # L6: RHK have a target of the Tahun PK only
            assert row["Tingkat"] == "L6" and progress is None
        else:
            assert progress == pytest.approx(round(_formula(end, year, turun), 2))
        if row["Anggaran 2026"]:
            assert row["Penyerapan Anggaran (%)"] == pytest.approx(
                round(row["Realisasi Anggaran"] / row["Anggaran 2026"] * 100, 2))
    assert kinds == {"Naik", "Turun", "range", "zero"}


def test_a_parent_achievement_stands_beside_its_children(result):
    _, outcome = result
    rows = _records(outcome.output, C.CAPAIAN_KINERJA)
    by_node: dict[str, list[float]] = {}
    for row in rows:
        by_node.setdefault(row[C.ID], []).append(row["Capaian (%)"])
    children = [row for row in rows if row["ID Induk"] in by_node]
    assert children
    for row in children:
        own = by_node[row["ID Induk"]]
        assert row["Capaian Induk (%)"] == pytest.approx(sum(own) / len(own), abs=0.01)


def test_categories_follow_the_bands(result):
    _, outcome = result
    for row in _records(outcome.output, C.CAPAIAN_KINERJA):
        value = row["Capaian (%)"]
        expected = ("Sangat Tinggi" if value > 90 else "Tinggi" if value > 75 else "Sedang"
                    if value > 65 else "Rendah" if value > 50 else "Sangat Rendah")
        assert row["Kategori"] == expected


def test_a_range_target_is_no_finding(result):
    _, outcome = result
    assert not [f for f in outcome.report.findings
                if f.code == "NIL01" and f.location.id == RANGE_ID]


def test_lkjip_tables_per_office_sasaran(result):
    _, outcome = result
    sheet = openpyxl.load_workbook(outcome.output)[C.LKJIP]
    values = [[c for c in row] for row in sheet.iter_rows(values_only=True)]
    titles = [row[0] for row in values if isinstance(row[0], str) and row[0].startswith("Tabel")]
    assert [t.split()[1] for t in titles] == ["3.1", "3.2", "3.3", "3.4"]
    capaian = {(r[C.ID], r[C.INDIKATOR]): r for r in _records(outcome.output, C.CAPAIAN_KINERJA)}
    l2 = [(k, r) for k, r in capaian.items() if r["Tingkat"] == "L2"]
    first = values.index(next(row for row in values if row[0] == "No"))
    table = values[first + 1:first + 1 + len(l2)]
    for (key, expected), row in zip(l2, table):
        assert row[2] == key[1] and row[6] == expected["Capaian (%)"]
    efficiency = values[values.index(next(r for r in values if r[0] == titles[3])) + 2:]
    rows = [r for r in efficiency if isinstance(r[0], int)]
    assert len(rows) == len({k[0] for k, _ in l2})
    for row in rows:
        budget, achieved, spent, absorbed, gap, verdict = row[2:8]
        assert absorbed == pytest.approx(round(spent / budget * 100, 2))
        assert gap == pytest.approx(round(achieved - absorbed, 2), abs=0.011)
        assert verdict == ("Efisien" if gap >= 0 else "Kurang efisien")
    assert any("Efisiensi = capaian" in str(row[0]) for row in values)


def test_without_realisation_no_achievement_sheet(tmp_path):
    skeleton = with_realisation(tmp_path / "kosong.xlsx", skip=10_000)
    outcome = process(skeleton, tmp_path / "hasil.xlsx", derive=True)
    assert C.CAPAIAN_KINERJA not in outcome.derived and C.LKJIP not in outcome.derived
    assert C.PK in outcome.derived


def test_capaian_command(tmp_path, capsys):
    source = with_realisation(tmp_path / "dishub.xlsx")
    assert main(["capaian", str(source), "--pita", "95,85,70,60"]) == 0
    written = tmp_path / "dishub_capaian.xlsx"
    book = openpyxl.load_workbook(written)
    assert {C.CAPAIAN_KINERJA, C.LKJIP} <= set(book.sheetnames)
    assert C.PK not in book.sheetnames  # the achievement sheets only
    rows = _records(written, C.CAPAIAN_KINERJA)
    for row in rows:
        value = row["Capaian (%)"]
        assert row["Kategori"] == ("Sangat Tinggi" if value > 95 else "Tinggi" if value > 85
                                   else "Sedang" if value > 70 else "Rendah" if value > 60
                                   else "Sangat Rendah")


def test_capaian_command_refuses_a_workbook_without_realisation(tmp_path, capsys):
    assert main(["capaian", str(DISHUB), "-o", str(tmp_path / "x.xlsx")]) == 2
    assert "Belum ada realisasi" in capsys.readouterr().err
    assert not (tmp_path / "x.xlsx").exists()


def test_bad_bands_are_a_usage_error(tmp_path, capsys):
    source = with_realisation(tmp_path / "dishub.xlsx")
    assert main(["capaian", str(source), "--pita", "50,90"]) == 2
    assert "menurun" in capsys.readouterr().err


def test_a_second_run_on_its_own_output_gives_the_same_sheets(tmp_path):
    from pohon_xl.excel.read import read_raw

    source = with_realisation(tmp_path / "dishub.xlsx")
    first, second = tmp_path / "satu.xlsx", tmp_path / "dua.xlsx"
    process(source, first, derive=True)
    process(first, second, derive=True)
    raw1, raw2 = read_raw(first), read_raw(second)
    for name in (C.CAPAIAN_KINERJA, C.LKJIP):
        assert raw1[name].rows == raw2[name].rows, name
    assert list(raw2).count(C.CAPAIAN_KINERJA) == 1
