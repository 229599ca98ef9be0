"""Derived sheets are outputs, never inputs: a second run on the result gives the same sheets."""

from __future__ import annotations

import pytest

from pohon_xl.core.derive.registry import DERIVED_SHEETS
from pohon_xl.core.derive.run import derive_all
from pohon_xl.core.validate import validate
from pohon_xl.excel.read import read_raw
from pohon_xl.model import contract as C
from pohon_xl.model.parse import parse_workbook
from pohon_xl.pipeline import process
from tests.derive.golden import example_path

NAME = "Pohon_Kinerja_Kemacetan"


def derived(path):
    plan = parse_workbook(read_raw(path), source="x.xlsx")
    report, tree = validate(plan)
    return derive_all(plan, tree, report)


@pytest.mark.skipif(not example_path(NAME).exists(), reason="example not there yet")
def test_second_run_on_own_output_is_identical(tmp_path):
    first, second = tmp_path / "satu.xlsx", tmp_path / "dua.xlsx"
    process(example_path(NAME), first, derive=True)
    process(first, second, derive=True)
    assert derived(example_path(NAME)) == derived(first) == derived(second)
    raw1, raw2 = read_raw(first), read_raw(second)
    written = [name for name in DERIVED_SHEETS if name in raw1]
    assert written == [name for name in DERIVED_SHEETS if name in raw2]
    assert C.PK in written
    for name in written:
        assert raw1[name].rows == raw2[name].rows, name
    assert list(raw1).count(C.PK) == 1 and list(raw2).count(C.PK) == 1
