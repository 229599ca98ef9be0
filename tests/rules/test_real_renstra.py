"""Real plans transcribed from public data (tests/rules/real/*.yml): the findings must read as a
reviewer's list. Each expected finding is explained in docs/temuan_data_nyata.md; a change of
these findings is a change of what pohon-xl tells a real office, and is made consciously."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import yaml

from pohon_xl.core.validate import validate
from pohon_xl.model import contract as C
from pohon_xl.model.parse import RawSheet, RawWorkbook, parse_workbook

REAL = Path(__file__).parent / "real"


def build(name: str) -> RawWorkbook:
    """A workbook of the contract from a transcription: Identitas, Jabatan and level rows."""
    data = yaml.safe_load((REAL / name).read_text(encoding="utf-8"))
    identitas = data["identitas"]
    years = range(int(identitas[C.KEY_TAHUN_AWAL]), int(identitas[C.KEY_TAHUN_AKHIR]) + 1)
    raw: RawWorkbook = {C.IDENTITAS: RawSheet(C.IDENTITAS, [[k, v] for k, v in identitas.items()])}
    tables = [(C.JABATAN, list(C.JABATAN_HEADERS), data["jabatan"])]
    tables += [
        (spec.sheet, C.level_headers(spec, years), data["levels"].get(spec.sheet, []))
        for spec in C.LEVELS
    ]
    for name_, headers, rows in tables:
        unknown = {key for row in rows for key in row} - set(headers)
        assert not unknown, f"{name_}: {unknown}"
        raw[name_] = RawSheet(name_, [headers] + [[row.get(h) for h in headers] for row in rows])
    return raw


def findings(name: str):
    report, _ = validate(parse_workbook(build(name), name))
    return report.findings


def test_kecamatan_porong_2023_reads_as_a_reviewers_list():
    found = findings("kecamatan_porong_2023.yml")
    located = sorted((f.code, f.severity.value, f.location.sheet, f.location.row,
                      f.location.column) for f in found)
    assert located == sorted([
        # The record links the programme to no Renstra sasaran (id_rpjmd 0).
        ("TAU04", "Galat", "L3_Sasaran_Program", 2, "ID Induk"),
        # No kondisi awal for any indicator.
        ("NIL17", "Peringatan", "L3_Sasaran_Program", 2, "Baseline"),
        ("NIL17", "Peringatan", "L3_Sasaran_Program", 3, "Baseline"),
        ("NIL17", "Peringatan", "L3_Sasaran_Program", 4, "Baseline"),
        ("NIL17", "Peringatan", "L4_Sasaran_Kegiatan", 2, "Baseline"),
        ("NIL17", "Peringatan", "L5_Sasaran_Subkegiatan", 2, "Baseline"),
        ("NIL17", "Peringatan", "L5_Sasaran_Subkegiatan", 3, "Baseline"),
        # The record names no sasaran for the programme and the activity.
        ("KUA05", "Peringatan", "L3_Sasaran_Program", 2, "Sasaran"),
        ("KUA05", "Peringatan", "L4_Sasaran_Kegiatan", 2, "Sasaran"),
        # The activity's indicator counts reports (an output), at L4.
        ("KUA03", "Peringatan", "L4_Sasaran_Kegiatan", 2, "Indikator"),
        # The programme's parent is missing, so the sub-activity's budget traces to no outcome.
        ("TAU07", "Peringatan", "L5_Sasaran_Subkegiatan", 2, "ID Induk"),
        # The Camat's superior (the Bupati) is in the body-level workbook: Info only.
        ("PEM07", "Info", "Jabatan", 2, "Kode Jabatan Atasan"),
    ]), "\n".join(f"{f.code} {f.location.sheet}!{f.location.row}: {f.message}" for f in found)


def test_kecamatan_porong_2023_counts_per_code():
    counts = Counter(f.code for f in findings("kecamatan_porong_2023.yml"))
    assert counts == {"NIL17": 6, "TAU04": 1, "KUA03": 1, "TAU07": 1, "PEM07": 1,
                      "KUA05": 2}
