"""The other programs a returned workbook passes through before it comes back: each re-saves
it its own way (LibreOffice Calc, openpyxl, a user's XlsxWriter script)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import openpyxl


def libreoffice(path: Path, profile: Path) -> None:
    """Open and save ``path`` in LibreOffice Calc (headless convert back to .xlsx), in place."""
    out = path.parent / "lo"
    result = subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
         "--convert-to", "xlsx", "--outdir", str(out), str(path)],
        capture_output=True, text=True, timeout=240)
    converted = out / f"{path.stem}.xlsx"
    assert result.returncode == 0 and converted.exists(), result.stderr
    shutil.move(converted, path)


def by_openpyxl(path: Path) -> None:
    openpyxl.load_workbook(path).save(path)


def by_xlsxwriter(path: Path, keep_registry: bool = True) -> None:
    """Write the workbook anew with XlsxWriter, as a user's script copying it would: values,
    solid fills, notes with their author, hidden sheets hidden (the registry among them unless
    ``keep_registry`` is false)."""
    import xlsxwriter

    source = openpyxl.load_workbook(path)
    target = path.with_name(path.stem + "_xw.xlsx")
    book = xlsxwriter.Workbook(str(target))
    formats: dict[str, object] = {}
    for ws in source.worksheets:
        if not keep_registry and ws.title == "_PohonXL_Tanda":
            continue
        sheet = book.add_worksheet(ws.title)
        if ws.sheet_state != "visible":
            sheet.hide()
        for row in ws.iter_rows():
            for cell in row:
                rgb = (cell.fill.fgColor.rgb or "") if cell.fill.fill_type == "solid" else ""
                rgb = rgb[-6:] if isinstance(rgb, str) else ""
                fmt = None
                if rgb:
                    fmt = formats.setdefault(rgb, book.add_format({"bg_color": f"#{rgb}",
                                                                   "pattern": 1}))
                r, c, value = cell.row - 1, cell.column - 1, cell.value
                if isinstance(value, str):
                    sheet.write_string(r, c, value, fmt)
                elif isinstance(value, bool):
                    sheet.write_boolean(r, c, value, fmt)
                elif isinstance(value, (int, float)):
                    sheet.write_number(r, c, value, fmt)
                elif value is not None:
                    sheet.write(r, c, value, fmt)
                elif fmt is not None:
                    sheet.write_blank(r, c, None, fmt)
                if cell.comment is not None:
                    sheet.write_comment(r, c, cell.comment.text,
                                        {"author": cell.comment.author or ""})
    book.close()
    shutil.move(target, path)
