"""Shared fixtures for the VBA project writer tests."""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from pathlib import Path

import pytest

XLSM = Callable[..., Path]


@pytest.fixture(scope="session")
def xlwings_dir() -> Path:
    """The installed xlwings package folder (it ships VBA sources and a real vbaProject)."""
    spec = importlib.util.find_spec("xlwings")
    if spec is None or spec.origin is None:
        pytest.skip("xlwings is not installed; its VBA files are the known-good samples")
    return Path(spec.origin).parent


@pytest.fixture
def make_xlsm(tmp_path: Path) -> XLSM:
    """Write an .xlsm around a vbaProject.bin with XlsxWriter, as the add-in build will."""
    xlsxwriter = pytest.importorskip("xlsxwriter")

    def make(vba_bin: bytes, name: str = "book.xlsm", sheet: str = "Data",
             code_name: str = "Sheet1", button_macro: str | None = None,
             caption: str = "Halo") -> Path:
        bin_path = tmp_path / f"{Path(name).stem}_vbaProject.bin"
        bin_path.write_bytes(vba_bin)
        path = tmp_path / name
        workbook = xlsxwriter.Workbook(str(path))
        worksheet = workbook.add_worksheet(sheet)
        workbook.add_vba_project(str(bin_path))
        workbook.set_vba_name("ThisWorkbook")
        worksheet.set_vba_name(code_name)
        if button_macro:
            worksheet.insert_button("B3", {"macro": button_macro, "caption": caption})
        workbook.close()
        return path

    return make
