"""Checks of a result workbook shared by the hostile-input and fuzz tests, and a way to run
the command line in this process."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import tempfile
import zipfile
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import openpyxl
from lxml import etree

from pohon_xl.cli import main
from pohon_xl.excel.limits import MAX_COLUMN, MAX_ROW
from pohon_xl.excel.ooxml.cellref import split_ref

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "Pohon_Kinerja_Kemacetan.xlsx"
MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
CATCH_ALL = "galat tak terduga"
_DATE = (1980, 1, 1, 0, 0, 0)  # the same bytes on every run
_RECOVER = etree.XMLParser(recover=True, resolve_entities=False, no_network=True)


def run_cli(*args: str) -> tuple[int, str]:
    """``pohon-xl ARGS`` in this process: the exit status and what went to stderr."""
    err = io.StringIO()
    with redirect_stdout(io.StringIO()), redirect_stderr(err):
        code = main(list(args))
    return code, err.getvalue()


def rezip(src: Path, dst: Path, change: dict[str, bytes | None]) -> Path:
    """``src`` with parts replaced (None: removed); new names are added at the end."""
    with zipfile.ZipFile(src) as old, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as new:
        for name in old.namelist():
            data = change.get(name, old.read(name))
            if data is not None:
                new.writestr(zipfile.ZipInfo(name, _DATE), data, zipfile.ZIP_DEFLATED)
        for name, data in change.items():
            if name not in old.namelist() and data is not None:
                new.writestr(zipfile.ZipInfo(name, _DATE), data, zipfile.ZIP_DEFLATED)
    return dst


def cell_formats(archive: zipfile.ZipFile) -> int:
    """How many cellXfs the workbook's styles part has (0 without one)."""
    rels = archive.read("xl/_rels/workbook.xml.rels")
    found = re.search(rb'Type="[^"]*/styles" Target="([^"]+)"', rels) or re.search(
        rb'Target="([^"]+)"[^>]*Type="[^"]*/styles"', rels)
    if found is None:
        return 0
    target = found.group(1).decode().lstrip("/")
    name = target if target.startswith("xl/") else "xl/" + target
    root = etree.fromstring(archive.read(name))
    xfs = root.find(MAIN + "cellXfs")
    return 0 if xfs is None else len(xfs)


def bad_cells(path: Path) -> dict[tuple[str, str], str]:
    """Cells outside Excel's grid or with a style index that does not exist, per worksheet
    part and reference: what is wrong."""
    found: dict[tuple[str, str], str] = {}
    with zipfile.ZipFile(path) as archive:
        count = cell_formats(archive)
        for name in archive.namelist():
            if not re.fullmatch(r"xl/worksheets/sheet\d+\.xml", name):
                continue
            # recover: a part the input got wrong is compared as far as it reads
            root = etree.fromstring(archive.read(name), _RECOVER)
            for cell in () if root is None else root.iter(MAIN + "c"):
                where = cell.get("r", "")
                if where:
                    row, column = split_ref(where)
                    if not (1 <= row <= MAX_ROW and 1 <= column <= MAX_COLUMN):
                        found[(name, where)] = "di luar grid"
                style = cell.get("s")
                if style is not None and not (style.isdigit() and int(style) < max(count, 1)):
                    found[(name, where)] = f"gaya {style!r}"
    return found


def opens(path: Path) -> bool:
    try:
        openpyxl.load_workbook(path).close()
    except Exception:  # noqa: BLE001 - whatever openpyxl raises on a file it cannot read
        return False
    return True


# openpyxl makes a cell object for every edge cell of a merged range: a merge over the whole
# grid (a mutation the fuzz test makes) costs it minutes and gigabytes, where pohon-xl needs
# neither. Such inputs skip the openpyxl check; the grid and style checks still run.
_MERGE = re.compile(rb'<mergeCell ref="([A-Z]{1,3})(\d{1,7}):([A-Z]{1,3})(\d{1,7})"')
OPENPYXL_MERGE_EDGE = 100_000


def huge_merge(path: Path) -> bool:
    """Whether a worksheet of ``path`` merges a range whose edges hold more cells than
    openpyxl can load in reasonable time and memory."""
    try:
        with zipfile.ZipFile(path) as archive:
            for name in archive.namelist():
                if not re.fullmatch(r"xl/worksheets/sheet\d+\.xml", name):
                    continue
                for c0, r0, c1, r1 in _MERGE.findall(archive.read(name)):
                    rows = int(r1) - int(r0) + 1
                    columns = split_ref(c1.decode() + "1")[1] - split_ref(c0.decode() + "1")[1] + 1
                    if 2 * (rows + columns) > OPENPYXL_MERGE_EDGE:
                        return True
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return False
    return False


def check_output(source: Path, output: Path) -> None:
    """What every result must be: it opens in openpyxl (when the input does: a cell format
    the input got wrong is never repaired nor made worse), and no cell is outside the grid
    or points at a missing format unless the input's same cell already did."""
    if not huge_merge(source) and opens(source):
        openpyxl.load_workbook(output).close()
    worse = set(bad_cells(output).items()) - set(bad_cells(source).items())
    assert not worse, sorted(worse)[:5]


def libreoffice_loads(paths: list[Path]) -> dict[Path, bool]:
    """Which files LibreOffice converts to PDF, in one soffice run."""
    soffice = shutil.which("soffice")
    assert soffice is not None
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work)
        copies = {}
        for index, path in enumerate(paths):
            copy = folder / f"f{index}{path.suffix}"
            shutil.copyfile(path, copy)
            copies[path] = copy
        subprocess.run([soffice, f"-env:UserInstallation=file://{folder}/profile", "--headless",
                        "--convert-to", "pdf", "--outdir", str(folder / "pdf"),
                        *map(str, copies.values())], capture_output=True, timeout=900,
                       check=False)
        return {path: (folder / "pdf" / (copy.stem + ".pdf")).exists()
                for path, copy in copies.items()}
