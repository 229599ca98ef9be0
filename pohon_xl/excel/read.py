"""Read a workbook file into raw tables (python-calamine: fast, cached formula values).

Also the gatekeeper for bad input: anything that is not a readable .xlsx/.xlsm of the
contract becomes an :class:`InputError` with one line saying what is wrong and what to do.
"""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path

from pohon_xl.errors import InputError
from pohon_xl.excel.extent import check_extent
from pohon_xl.excel.limits import DAMAGED, check_members
from pohon_xl.model.raw import (
    RawSheet, RawWorkbook, contract_sheet_names, is_contract_workbook,
)

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ENCRYPTION_MARK = "EncryptionInfo".encode("utf-16-le")
SUPPORTED_SUFFIXES = (".xlsx", ".xlsm")


def check_file(path: Path) -> None:
    """Refuse, with a reason, anything that is not an OOXML workbook we can read and patch."""
    if not path.exists():
        raise InputError(f"Berkas tidak ditemukan: {path}")
    if path.is_dir():
        raise InputError(f"{path} adalah folder, bukan berkas workbook.")
    with path.open("rb") as handle:
        head = handle.read(8)
    if not head:
        raise InputError(f"{path.name}: berkas kosong (0 byte); kirim ulang workbook yang utuh.")
    if head == OLE_MAGIC:
        if ENCRYPTION_MARK in path.read_bytes():
            raise InputError(
                f"{path.name}: workbook dilindungi kata sandi; buka di Excel, hapus kata sandi "
                "(File > Info > Protect Workbook), simpan, lalu jalankan lagi."
            )
        raise InputError(
            f"{path.name}: format Excel 97-2003 (.xls) tidak didukung; buka di Excel dan "
            "simpan sebagai Buku Kerja Excel (.xlsx)."
        )
    if not head.startswith(b"PK"):
        kind = "teks/CSV" if _looks_like_text(head) else "bukan workbook Excel"
        raise InputError(
            f"{path.name}: isi berkas {kind}, bukan workbook .xlsx (mungkin hanya diganti "
            "namanya); buka di Excel dan simpan sebagai .xlsx."
        )
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            check_members(path.name, archive.infolist())
            bad = _first_damaged(archive)
    except (*DAMAGED, EOFError) as exc:
        raise InputError(
            f"{path.name}: berkas rusak atau terpotong ({exc}); minta kiriman ulang atau "
            "buka dan simpan ulang di Excel."
        ) from None
    if bad is not None:
        raise InputError(f"{path.name}: bagian {bad} rusak; minta kiriman ulang atau simpan "
                         "ulang workbook di Excel.")
    if "xl/workbook.bin" in names:
        raise InputError(f"{path.name}: format .xlsb tidak didukung; simpan sebagai .xlsx.")
    if "xl/workbook.xml" not in names:
        raise InputError(
            f"{path.name}: berkas ZIP ini bukan workbook Excel (.xlsx); gunakan templat "
            "dari `pohon-xl template`."
        )


def _first_damaged(archive: zipfile.ZipFile) -> str | None:
    """The first member whose data does not inflate to its CRC and size (zipfile stops at
    the stated size, so nothing inflates further than :func:`check_members` allowed), in
    chunks: memory stays small whatever the part's size."""
    for info in archive.infolist():
        try:
            with archive.open(info) as member:
                while member.read(1 << 16):
                    pass
        except (zipfile.BadZipFile, zlib.error, EOFError):
            return info.filename
    return None


def _looks_like_text(head: bytes) -> bool:
    return all(32 <= b < 127 or b in (9, 10, 13) for b in head)


def read_raw(path: str | Path, *, contract_only: bool = False) -> RawWorkbook:
    """Every worksheet's values from A1 (an empty cell reads as ""), with merged ranges;
    raises InputError if unreadable.

    ``contract_only``: just the sheets the parser reads (a previous run's derived sheets
    can take longer to read than the tree itself)."""
    from python_calamine import CalamineError, PasswordError, XmlError, ZipError

    path = Path(path)
    check_file(path)
    try:
        book = open_workbook(path)
        names = worksheet_names(book, contract_only)
        check_extent(path, names)  # before calamine builds a grid of them
        read = {sheet.name: sheet for sheet in read_sheets(book, names)}
    except (CalamineError, PasswordError, XmlError, ZipError, ValueError, OSError) as exc:
        raise InputError(f"{path.name}: workbook tidak dapat dibaca ({exc}).") from None
    raw: RawWorkbook = {name: read[name] for name in names}
    if not is_contract_workbook(raw):
        from pohon_xl.core.run import not_a_contract_workbook

        raise not_a_contract_workbook(path.name)
    return raw


def all_sheet_names(path: Path) -> list[str]:
    """The names of every worksheet of a readable workbook (raises InputError otherwise)."""
    from python_calamine import CalamineError, PasswordError, XmlError, ZipError

    check_file(path)
    try:
        return worksheet_names(open_workbook(path), contract_only=False)
    except (CalamineError, PasswordError, XmlError, ZipError, ValueError, OSError) as exc:
        raise InputError(f"{path.name}: workbook tidak dapat dibaca ({exc}).") from None


def open_workbook(path: Path):
    """The file as a calamine workbook; calamine's errors pass through."""
    from python_calamine import CalamineWorkbook

    return CalamineWorkbook.from_path(str(path))


def worksheet_names(book, contract_only: bool) -> list[str]:
    """The worksheets of a calamine workbook, in order (only the contract's: ``contract_only``)."""
    names = [meta.name for meta in book.sheets_metadata
             if str(meta.typ) == "SheetTypeEnum.WorkSheet"]
    if contract_only:
        wanted = set(contract_sheet_names(names))
        names = [name for name in names if name in wanted]
    return names


def read_sheets(book, names: list[str]) -> list[RawSheet]:
    """The named sheets of a calamine workbook; calamine's errors pass through."""
    sheets = []
    for name in names:
        sheet = book.get_sheet_by_name(name)
        rows = sheet.to_python(skip_empty_area=False)  # empty cells read as ""
        merged = [
            (r0 + 1, c0 + 1, r1 + 1, c1 + 1)
            for (r0, c0), (r1, c1) in (sheet.merged_cell_ranges or [])
        ]
        sheets.append(RawSheet(name, rows, merged))
    return sheets
