"""Programme / activity / sub-activity codes of the Kepmendagri nomenclature.

Codes are compared in a normal form, because real lists and workbooks disagree on two
details (see ``shared/reference/README.md``):

- the kab/kota (or province) digit of an activity is ``2`` in the decree and ``02`` in many
  regional applications: ``2.15.02.2.06`` and ``2.15.02.02.06`` are the same activity;
- sub-activities have 2 digits in the 2020 decree (``…2.06.02``) and 4 digits since 2021
  (``…2.06.0002``).

The official list is not shipped (it changes by decree): users supply it as a CSV, or as rows
read from a sheet, and :func:`load_nomenclature` / :func:`nomenclature_from_rows` turn it into
``normalised code -> name``.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path

from pohon_xl.errors import InputError

PROGRAM_DEPTH, KEGIATAN_DEPTH, SUBKEGIATAN_DEPTH = 3, 5, 6

# Accepted spellings, after removing spaces and upper-casing: urusan (1 char, digit or X),
# bidang (2), programme (2), kab/kota digit (1, or 2 with a leading 0), activity (2),
# sub-activity (2 or 4).
_WELL_FORMED = re.compile(
    r"^[0-9X]\.[0-9X]{2}\.\d{2}"  # programme  2.15.02
    r"(\.0?\d\.\d{2}"  # activity   .2.06 / .02.06
    r"(\.(\d{2}|\d{4}))?)?$"  # sub-activity .0017 / .17
)


def normalise_code(code: object) -> str:
    """The comparable form of a code: ``2.15.02.02.06.17`` -> ``2.15.02.2.06.0017``."""
    if code is None:
        return ""
    return _normalise_text(str(code))


@lru_cache(maxsize=1 << 16)
def _normalise_text(code: str) -> str:
    text = re.sub(r"\s+", "", str(code)).upper().strip(".")
    parts = [part for part in text.split(".") if part]
    if len(parts) >= 4 and len(parts[3]) == 2 and parts[3].startswith("0"):
        parts[3] = parts[3][1:]
    if len(parts) >= 6 and parts[5].isdigit() and len(parts[5]) < 4:
        parts[5] = parts[5].zfill(4)
    return ".".join(parts)


def code_depth(code: str) -> int:
    """Number of dotted groups (3 programme, 5 activity, 6 sub-activity)."""
    return len(normalise_code(code).split(".")) if code else 0


@lru_cache(maxsize=1 << 16)
def is_well_formed(code: str, depth: int) -> bool:
    """Whether a code as typed is a valid code with ``depth`` groups."""
    text = re.sub(r"\s+", "", code).upper().strip()
    return bool(_WELL_FORMED.match(text)) and code_depth(text) == depth


def is_under(child: str, parent: str) -> bool:
    """Whether ``child``'s code starts with ``parent``'s (both normalised)."""
    child_n, parent_n = normalise_code(child), normalise_code(parent)
    return bool(parent_n) and child_n.startswith(parent_n + ".")


def normalise_name(name: object) -> str:
    """Names compare without case, doubled spaces or trailing punctuation."""
    return " ".join(str(name or "").split()).casefold().strip(" .;,")


class Nomenclature(dict[str, str]):
    """``normalised code -> name`` (the first name read), plus every other name of a code.

    Lists often hold a code twice with different names (the province and the kab/kota
    version of a programme): ``alternates`` keeps all of them, so a name is accepted when it
    matches any.
    """

    def __init__(self, source: str = "") -> None:
        super().__init__()
        self.alternates: dict[str, set[str]] = {}
        self.source = source  # which list: named in the findings that use it

    def key_of(self, code: object) -> str:
        """The list's key for a code, or ''. The support programmes (``X.XX.01`` …) are
        written once for every urusan: ``7.01.01.2.01.0001`` is ``X.XX.01.2.01.0001``."""
        key = normalise_code(code)
        if key in self:
            return key
        parts = key.split(".")
        if len(parts) >= 3:
            general = ".".join(["X", "XX", *parts[2:]])
            if general in self:
                return general
        return ""

    def add(self, code: object, name: object) -> None:
        key = normalise_code(code)
        label = " ".join(str(name or "").split())
        if not key or not label:
            return
        self.setdefault(key, label)
        self.alternates.setdefault(key, set()).add(normalise_name(label))

    def accepts_name(self, code: str, name: str) -> bool:
        key = self.key_of(code) or normalise_code(code)
        names = self.alternates.get(key)
        if names is None:
            value = self.get(key)
            names = {normalise_name(value)} if value else set()
        return normalise_name(name) in names


_CODE_WORDS = ("kode", "code", "nomor", "kd")
_NAME_WORDS = ("nama", "name", "nomenklatur", "uraian", "nm")


def _column_key(header: object) -> str:
    return re.sub(r"[^a-z0-9]+", "_", str(header or "").casefold()).strip("_")


def _tokens(key: str) -> list[str]:
    return [t for t in key.split("_") if t]


def _strip_words(key: str, words: Sequence[str]) -> tuple[bool, str]:
    tokens = _tokens(key)
    kept = [t for t in tokens if t not in words]
    return len(kept) < len(tokens), "_".join(kept)


def _looks_like_code(value: str) -> bool:
    return bool(re.match(r"^\s*[0-9X]\s*\.\s*[0-9X]{2}", value.upper()))


def _pair_columns(
    header: Sequence[object], sample: Sequence[Sequence[object]]
) -> list[tuple[int, int]]:
    """(code column, name column) pairs found in a header row.

    ``kode_program`` pairs with ``nama_program`` (same suffix); a list with a single code
    column (``nomor_kode_raw``) pairs it with the first name-like column (``nomenklatur``).
    Without recognisable headers, the first column whose values look like codes pairs with
    the next text column.
    """
    keys = [_column_key(h) for h in header]
    codes: dict[str, int] = {}
    names: dict[str, int] = {}
    for index, key in enumerate(keys):
        is_code, rest = _strip_words(key, _CODE_WORDS)
        if is_code:
            codes.setdefault(rest, index)
            continue
        is_name, rest = _strip_words(key, _NAME_WORDS)
        if is_name:
            names.setdefault(rest, index)
    pairs = [(codes[s], names[s]) for s in codes if s in names]
    if pairs:
        return pairs
    if codes and names:
        return [(min(codes.values()), min(names.values()))]
    for index in range(len(header)):
        values = [str(r[index]) for r in sample if index < len(r) and r[index] not in (None, "")]
        if values and sum(_looks_like_code(v) for v in values) >= max(1, len(values) // 2):
            return [(index, index + 1)] if index + 1 < len(header) else []
    return []


def nomenclature_from_rows(rows: Iterable[Sequence[object]]) -> Nomenclature:
    """A list read as rows (the first row is the header): from a CSV or a workbook sheet."""
    rows = [list(r) for r in rows]
    result = Nomenclature()
    if not rows:
        return result
    header, body = rows[0], rows[1:]
    if any(cell is not None and _looks_like_code(str(cell)) for cell in header):
        header, body = [None] * len(header), rows  # no header row at all
    pairs = _pair_columns(header, body[:50])
    for row in body:
        for code_col, name_col in pairs:
            code = row[code_col] if code_col < len(row) else None
            name = row[name_col] if name_col < len(row) else None
            if code is not None and _looks_like_code(str(code)):
                result.add(code, name)
    return result


def load_nomenclature(path: str | Path) -> Nomenclature:
    """Read a nomenclature CSV (comma or semicolon, UTF-8 or Windows encoding).

    Columns vary between sources; the code and name columns are detected from the header
    (``kode_program``/``nama_program``…, or ``nomor_kode_raw``/``nomenklatur``). A file with
    no recognisable code raises :class:`~pohon_xl.errors.InputError` (exit status 2).
    """
    data = Path(path).read_bytes()
    for encoding in ("utf-8-sig", "cp1252", "latin-1"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    first_line = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)
    result = nomenclature_from_rows(csv.reader(io.StringIO(text), delimiter=delimiter))
    result.source = Path(path).name
    if not result:
        raise InputError(
            f"{Path(path).name}: tidak ada kode nomenklatur yang dikenali; berkas CSV perlu "
            "kolom kode (mis. kode_program) dan kolom nama (mis. nama_program)."
        )
    return result
