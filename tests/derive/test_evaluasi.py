"""``Evaluasi_Cascading`` on an office's workbook with planted cascade faults: each indicator
scores the Y/T (and the rules of each T) written out by hand below, and so does the share."""

from __future__ import annotations

import pytest

from pohon_xl.core.derive.evaluasi import BANDS, RULES, Band, criterion
from pohon_xl.core.derive.run import derive_all
from pohon_xl.core.run import continue_run, run_workbook
from pohon_xl.core.validate import validate
from pohon_xl.excel import examples as E
from pohon_xl.excel.read import read_raw
from pohon_xl.model import contract as C
from pohon_xl.model.parse import parse_workbook
from pohon_xl.sheets import SheetSpec
from tests.derive.golden import derive_example
from tests.derive.helpers import YEARS, jab, make_plan, more, node

BUDGET = {y: 1_000_000 for y in YEARS}
# One nomenclature code per level (a code named twice is only a Peringatan, NOM04).
CODES = {3: "1.15.02", 4: "1.15.02.1.01", 5: "1.15.02.1.01.0001"}


def _node(id: str, parent: str, owner: str, **values) -> dict[str, object]:
    return node(id, parent, f"Meningkatnya kinerja {id}", indikator=f"Persentase capaian {id}",
                owner=owner, code=CODES.get(int(id[1]), ""), name=f"Nama {id}", **values)


JABATAN = [
    jab("KADIS", "Kepala Dinas", "JPT", "WALIKOTA"),
    jab("KABID-A", "Kepala Bidang A", "Administrator", "KADIS"),
    jab("KABID-B", "Kepala Bidang B", "Administrator", "KADIS"),
    jab("KASI-A", "Kepala Seksi A", "Pengawas", "KABID-A"),
    jab("KASI-B", "Kepala Seksi B", "Pengawas", "KABID-B"),
    jab("STAF-A", "Staf A", "Pelaksana", "KASI-A"),
    jab("STAF-X", "Staf X", "Pelaksana", "KASI-B"),
]
# An office's workbook (no L1: its L2 hangs under the body's L1-01), one fault planted per
# node where the comment says so.
LEVELS: dict[int, list[dict[str, object]]] = {
    2: [_node("L2-01", "L1-01", "KADIS")],
    3: [_node("L3-01", "L2-01", "KABID-A"),
        _node("L3-02", "L2-01", "KABID-A", jenis="")],  # K3: Jenis Cascading empty
    4: [_node("L4-01", "L3-01", "KASI-A"),
        _node("L4-02", "L3-01", "KASI-B"),  # K6: KASI-B is under KABID-B, not KABID-A
        _node("L4-03", "L3-02", "KASI-A"),  # K9: nothing below it
        _node("L4-04", "L2-01", "KASI-A"),  # K2 (and K1: TAU02 is a Galat): skips L3
        _node("L4-05", "L3-01", "KABID-A")],
    5: [_node("L5-01", "L4-01", "KASI-A", budget=BUDGET),
        _node("L5-02", "L4-02", "KASI-B", budget={2025: 5, 2027: 5}),  # K8: no 2026 budget
        _node("L5-03", "L4-04", "STAF-A", budget=BUDGET),  # right itself, under a faulty L4
        _node("L5-04", "L4-05", "KABID-A", budget=BUDGET),  # K5: an Administrator on L5
        _node("L5-05", "L4-01", "KASI-Z", budget=BUDGET),  # K4 (+K1): no such position
        _node("L5-06", "L4-01", "KASI-A", budget=BUDGET),
        more("Jumlah laporan", "laporan",  # K7 (+K1 of the node): no 2026 target
             targets={2025: 1, 2027: 1, 2028: 1, 2029: 1})],
    6: [_node("L6-01", "L5-01", "STAF-A", targets={2026: 3}),
        _node("L6-02", "L5-01", "STAF-X", targets={2026: 3}),  # K6: STAF-X reports to KASI-B
        _node("L6-03", "L5-99", "STAF-A", targets={2026: 3}),  # K2 (+K1): unknown parent
        # Right: its parent's owner is unknown, which is the parent's fault (K4), not K6.
        _node("L6-04", "L5-05", "STAF-A", targets={2026: 3})],
}
# (ID, indicator) -> the rules a T breaks (none: Y), in the sheet's (cascade) order.
EXPECTED: list[tuple[str, str, tuple[str, ...]]] = [
    ("L2-01", "Persentase capaian L2-01", ()),
    ("L3-01", "Persentase capaian L3-01", ()),
    ("L4-01", "Persentase capaian L4-01", ()),
    ("L5-01", "Persentase capaian L5-01", ()),
    ("L6-01", "Persentase capaian L6-01", ()),
    ("L6-02", "Persentase capaian L6-02", ("K6",)),
    ("L5-05", "Persentase capaian L5-05", ("K1", "K4")),
    ("L6-04", "Persentase capaian L6-04", ()),
    ("L5-06", "Persentase capaian L5-06", ("K1",)),
    ("L5-06", "Jumlah laporan", ("K1", "K7")),
    ("L4-02", "Persentase capaian L4-02", ("K6",)),
    ("L5-02", "Persentase capaian L5-02", ("K8",)),
    ("L4-05", "Persentase capaian L4-05", ()),
    ("L5-04", "Persentase capaian L5-04", ("K5",)),
    ("L3-02", "Persentase capaian L3-02", ("K3",)),
    ("L4-03", "Persentase capaian L4-03", ("K9",)),
    ("L4-04", "Persentase capaian L4-04", ("K1", "K2")),
    ("L5-03", "Persentase capaian L5-03", ()),
    ("L6-03", "Persentase capaian L6-03", ("K1", "K2")),
]


def _sheet(levels=LEVELS, jabatan=JABATAN, **identity) -> SheetSpec:
    plan = make_plan(levels, jabatan, **identity)
    report, tree = validate(plan)  # the real rules decide which nodes have a Galat
    sheets, _ = derive_all(plan, tree, report)
    return next(s for s in sheets if s.name == C.EVALUASI_CASCADING)


def _table(sheet: SheetSpec) -> list[dict[str, object]]:
    values = sheet.values()
    rows = []
    for row in values[1:]:
        if not row or row[0] is None:
            break
        rows.append(dict(zip(values[0], row)))
    return rows


def _summary(sheet: SheetSpec) -> dict[str, object]:
    """Footer label -> its value (the Nilai column)."""
    nilai = sheet.values()[0].index("Nilai")
    return {str(row[0]): row[nilai] for row in sheet.values()[len(_table(sheet)) + 1:]
            if len(row) > nilai and row[0] is not None and row[nilai] is not None}


@pytest.fixture(scope="module")
def planted() -> SheetSpec:
    return _sheet()


def test_each_indicator_scores_the_planted_verdict(planted):
    rows = _table(planted)
    found = [(r[C.ID], r[C.INDIKATOR],
              tuple(part.split(":")[0] for part in str(r["Keterangan"] or "").split("; ") if part))
             for r in rows]
    assert found == EXPECTED
    for row, (_, _, broken) in zip(rows, EXPECTED):
        assert row["Cascading tepat?"] == ("T" if broken else "Y")
        assert row["Nilai"] == (0 if broken else 1)
    assert [row["No"] for row in rows] == list(range(1, len(rows) + 1))


def test_the_share_of_y_and_the_lke_answer(planted):
    summary = _summary(planted)
    right = sum(1 for _, _, broken in EXPECTED if not broken)
    assert (right, len(EXPECTED)) == (8, 19)
    assert summary["Jumlah indikator kinerja (IK) yang dievaluasi"] == 19
    assert summary["Jumlah nilai (a): indikator dengan Cascading tepat = Y"] == 8
    assert summary["Persentase pemenuhan kriteria = a / jumlah IK × 100%"] == round(8 / 19, 4)
    assert summary["Jawaban kriteria LKE"] == "D"  # 42.1 %: from 25 % up to 50 %


def test_presence_in_renstra_renja_and_pk(planted):
    rows = {(r[C.ID], r[C.INDIKATOR]): r for r in _table(planted)}

    def presence(node_id: str, indicator: str = "") -> tuple[object, ...]:
        row = rows[(node_id, indicator or f"Persentase capaian {node_id}")]
        return row["Renstra"], row["Renja"], row["PK"], row["Sesuai Level Jabatan"]

    assert presence("L2-01") == ("Ya", "-", "Ya", "Ya")  # Renja: from L3 on
    assert presence("L3-01") == ("Ya", "Ya", "Ya", "Ya")
    assert presence("L5-01") == ("-", "Ya", "Ya", "Ya")  # Renstra: up to L4
    assert presence("L5-02") == ("-", "Tidak", "Ya", "Ya")  # Renja needs the year's budget
    assert presence("L5-04") == ("-", "Ya", "Ya", "Tidak")  # an Administrator on L5
    assert presence("L5-05") == ("-", "Tidak", "Tidak", "-")  # owner unknown, left out
    assert presence("L4-04") == ("Tidak", "Tidak", "Tidak", "Ya")  # left out for its Galat
    assert presence("L6-01") == ("-", "-", "-", "Ya")  # RHK: in SKP, not in PK


def test_reasons_are_indonesian_and_name_what_is_wrong(planted):
    notes = {r[C.ID]: str(r["Keterangan"]) for r in _table(planted)}
    assert "STAF-X → KASI-B → KABID-B → KADIS" in notes["L6-02"]
    assert "induk 'L2-01' ada di L2, bukan L3" in notes["L4-04"]
    assert "Anggaran 2026 kosong" in notes["L5-02"]
    assert "pemilik 'KASI-Z' tidak ada di sheet Jabatan" in notes["L5-05"]


def test_the_rules_and_bands_are_printed_under_the_table(planted):
    text = [str(v) for row in planted.values() for v in row if v is not None]
    for code, rule in RULES:
        assert code in text and rule in text
    assert any("PermenPANRB 88/2021" in t for t in text)
    assert sum(t.startswith("≥ ") for t in text) == len(BANDS)


@pytest.mark.parametrize(("name", "faults"), [
    ("Pohon_Kinerja_Kemacetan", []),
    # The road-building sub-activity hangs under the road-maintenance section's activity: its
    # owner (PUPR-PBJ) is a peer of the activity's owner (PUPR-PJJ), not under it.
    ("Pohon_Kinerja_Pariwisata", [("PW5-09", "K6")]),
])
def test_the_bundled_examples_score_a(name, faults):
    _, _, sheets, _ = derive_example(name)
    sheet = next(s for s in sheets if s.name == C.EVALUASI_CASCADING)
    rows = _table(sheet)
    wrong = [(r[C.ID], str(r["Keterangan"])[:2]) for r in rows if r["Cascading tepat?"] == "T"]
    assert len(rows) > 30 and wrong == faults
    assert _summary(sheet)["Jawaban kriteria LKE"] == "A"


def test_without_a_pk_year_every_target_rule_fails():
    rows = _table(_sheet(pk=None))
    assert rows and all("K7: Tahun PK di sheet Identitas kosong atau tidak valid"
                        in str(r["Keterangan"]) for r in rows)


def test_an_empty_workbook_has_no_share_and_no_answer():
    sheet = _sheet(levels={}, jabatan=[])
    assert _table(sheet) == []
    assert _summary(sheet)["Jawaban kriteria LKE"] == "-"
    assert _summary(sheet)["Jumlah indikator kinerja (IK) yang dievaluasi"] == 0


@pytest.mark.parametrize(("share", "answer"), [
    (1.0, "A"), (0.9, "A"), (0.8999, "B"), (0.75, "B"), (0.5, "C"), (0.4999, "D"),
    (0.25, "D"), (0.2, "E"), (0.0, "E"),
])
def test_bands(share, answer):
    band = criterion(share)
    assert band is not None and band.answer == answer


def test_bands_are_configurable():
    two = (Band(0.0, "T", 0.0, "tidak"), Band(0.8, "Y", 1.0, "ya"))  # any order
    assert [criterion(s, two).answer for s in (0.79, 0.8)] == ["T", "Y"]  # type: ignore[union-attr]
    assert criterion(None) is None


def _plan(path):
    return parse_workbook(read_raw(path), source=path.name)


def _run_sheet(run) -> SheetSpec:
    return next(s for s in run.sheets() if s.name == C.EVALUASI_CASCADING)


def test_an_office_workbook_alone_and_with_the_body_l1_lent():
    """Alone, the office's L2 are the top (their L1 is in the body's workbook); in the batch
    they hang under the body's L1, owned by the Wali Kota their head reports to."""
    office, body = (E.EXAMPLES_DIR / e.filename for e in (E.OFFICE, E.KEMACETAN))
    alone = _run_sheet(run_workbook(read_raw(office), office.name, derive=True))
    lent = _run_sheet(continue_run(_plan(office), [], body_l1=_plan(body).nodes_on(1)))
    for sheet in (alone, lent):
        rows = _table(sheet)
        assert rows and all(r["Cascading tepat?"] == "Y" for r in rows)
        assert [r["Level"] for r in rows][0] == "L2"  # the body's L1 is not the office's row


def test_the_common_mistakes_example():
    path = E.EXAMPLES_DIR / "Pohon_Kinerja_Kesalahan_Umum.xlsx"
    sheet = _run_sheet(run_workbook(read_raw(path), path.name, derive=True))
    wrong = {(r[C.ID], tuple(p.split(":")[0] for p in str(r["Keterangan"]).split("; ")))
             for r in _table(sheet) if r["Cascading tepat?"] == "T"}
    assert wrong == {("L4-02", ("K3",)), ("L5-03", ("K8",)), ("L4-03", ("K9",)),
                     ("L6-01", ("K6",)), ("L5-07", ("K1",)), ("L4-07", ("K1", "K4")),
                     ("L5-09", ("K1",)), ("L5-04", ("K1", "K2"))}
    summary = _summary(sheet)
    assert summary["Jumlah nilai (a): indikator dengan Cascading tepat = Y"] == 30
    assert summary["Jumlah indikator kinerja (IK) yang dievaluasi"] == 41
    assert summary["Jawaban kriteria LKE"] == "C"  # 73.2 %
