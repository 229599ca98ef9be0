"""Write a run's edits into a workbook file, atomically.

:class:`WorkbookWriter` is the port; :class:`ZipPatchWriter` (the zip-level patcher of
:mod:`pohon_xl.excel.xlsxpatch`) is the adapter for files. Another adapter, e.g. one driving
a live Excel, only has to provide ``write``.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Protocol

from pohon_xl.errors import InputError
from pohon_xl.excel import xlsxpatch
from pohon_xl.sheets import SheetSpec, WorkbookEdits

__all__ = ["WorkbookWriter", "ZipPatchWriter", "write_workbook"]


class WorkbookWriter(Protocol):
    def write(self, src: Path, dst: Path, edits: WorkbookEdits) -> None: ...


class ZipPatchWriter:
    """Patches only the parts that change; everything else is copied byte for byte."""

    def write(self, src: Path, dst: Path, edits: WorkbookEdits) -> None:
        write_workbook(src, dst, edits)


def write_workbook(src: Path, dst: Path, edits: WorkbookEdits | Callable[[], WorkbookEdits],
                   derived: Iterable[SheetSpec] = (), order: Sequence[str] = ()) -> None:
    """Apply ``edits`` to the workbook ``src`` and write ``dst`` (which may be ``src``).

    ``derived``: more new sheets after ``edits.sheets`` (in ``order`` of their names),
    written one at a time as the iterable hands them out; ``edits`` may then be a function,
    called after the last one.

    The result is written to a temporary file beside ``dst`` and moved over it only when
    complete, so a failure leaves ``dst`` as it was. Raises ``InputError`` for workbooks that
    cannot be patched safely.
    """
    src, dst = Path(src), Path(dst)
    if not dst.parent.is_dir():
        raise InputError(f"Folder keluaran tidak ada: {dst.parent}")
    try:
        handle, temp_name = tempfile.mkstemp(prefix=f".{dst.name}.", suffix=".tmp",
                                             dir=dst.parent)
    except PermissionError:
        raise InputError(
            f"Folder {dst.parent} tidak dapat ditulisi; pilih folder lain dengan -o."
        ) from None
    temp = Path(temp_name)
    try:
        with os.fdopen(handle, "wb") as out:
            xlsxpatch.patch(src, out, edits, derived, order)
            out.flush()
            os.fsync(out.fileno())
        _copy_mode(dst if dst.exists() else None, temp)
        os.replace(temp, dst)
    except PermissionError:
        temp.unlink(missing_ok=True)
        raise InputError(
            f"{dst.name} tidak dapat ditimpa (mungkin sedang dibuka di Excel); tutup berkasnya "
            "lalu jalankan lagi."
        ) from None
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def _copy_mode(existing: Path | None, temp: Path) -> None:
    # mkstemp creates 0600; give the result the old file's mode or the usual umask default.
    if existing is not None:
        os.chmod(temp, existing.stat().st_mode & 0o7777)
    else:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temp, 0o666 & ~umask)
