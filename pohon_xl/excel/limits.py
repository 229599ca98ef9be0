"""What a workbook may hold inside before any work is done on it: the limits of a careful
unpacker, checked on the zip's directory alone (nothing is inflated to check them).

One over them is refused in one line (docs/batas.md). Excel's own grid bounds what a sheet
may address; :mod:`pohon_xl.excel.extent` bounds the grid a reader builds of it.
"""

from __future__ import annotations

import posixpath
import zipfile
import zlib
from collections.abc import Iterable

from pohon_xl.errors import InputError

MIB = 1 << 20
MAX_PART = 256 * MIB  # one part, inflated
MAX_TOTAL = 512 * MIB  # all parts together, inflated
MAX_RATIO = 100  # inflated / deflated, for parts over RATIO_FROM (Apache POI's default)
RATIO_FROM = 1 * MIB
MAX_MEMBERS = 10_000

MAX_ROW, MAX_COLUMN = 1_048_576, 16_384  # Excel's grid: row 1048576, column XFD
# Cells from A1 to the farthest filled cell, summed over the sheets read: calamine holds each
# sheet as a dense grid (~40 bytes a cell with its Python lists; docs/batas.md).
MAX_CELLS = 10_000_000

# What reading a damaged zip raises (RuntimeError: an encrypted member; NotImplementedError:
# an unknown compression method).
DAMAGED = (zipfile.BadZipFile, zlib.error, OSError, RuntimeError, NotImplementedError)

_ADVICE = "minta kiriman ulang atau buka dan simpan ulang di Excel"


def check_members(label: str, infos: Iterable[zipfile.ZipInfo]) -> None:
    """Refuse member names that are not plain relative paths, and parts that inflate beyond
    the limits, in one line each."""
    seen: set[str] = set()
    total = count = 0
    for info in infos:
        name = info.filename
        count += 1
        if count > MAX_MEMBERS:
            raise InputError(f"{label}: berisi lebih dari {MAX_MEMBERS} bagian; {_ADVICE}.")
        if not plain_name(name):
            raise InputError(f"{label}: nama bagian {name!r} di dalam berkas tidak wajar "
                             f"(keluar dari folder atau tidak sah); {_ADVICE}.")
        folded = name.casefold()
        if folded in seen:
            raise InputError(f"{label}: bagian {name!r} ada dua kali di dalam berkas; "
                             f"{_ADVICE}.")
        seen.add(folded)
        size = info.file_size
        if size > MAX_PART:
            raise InputError(f"{label}: bagian {name} terlalu besar setelah diekstrak "
                             f"({size // MIB} MiB; batas {MAX_PART // MIB} MiB per bagian); "
                             f"{_ADVICE}.")
        if size > RATIO_FROM and size > MAX_RATIO * max(info.compress_size, 1):
            raise InputError(f"{label}: bagian {name} mengembang lebih dari {MAX_RATIO} kali "
                             f"saat diekstrak (kemungkinan bom zip); {_ADVICE}.")
        total += size
        if total > MAX_TOTAL:
            raise InputError(f"{label}: isi berkas terlalu besar setelah diekstrak (lebih "
                             f"dari {MAX_TOTAL // MIB} MiB); {_ADVICE}.")


def plain_name(name: str) -> bool:
    """Whether a zip member name is a plain relative path that stays inside the package
    (a folder entry ends with "/")."""
    if not name or name.startswith("/") or "\\" in name:
        return False
    if any(ord(char) < 32 or char == "\x7f" for char in name):
        return False
    segments = name[:-1].split("/") if name.endswith("/") else name.split("/")
    if any(s in ("", ".", "..") or ":" in s for s in segments):
        return False
    return posixpath.normpath(name.rstrip("/")) == name.rstrip("/")
