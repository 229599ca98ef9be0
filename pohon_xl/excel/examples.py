"""The bundled examples: data files (``pohon_xl/data/examples/*.yml``) filled into the template.

* ``examples/Pohon_Kinerja_Kemacetan.xlsx`` — seed 002: "Menurunnya kemacetan" for Pemerintah
  Kota Contoh, cascaded through Dinas Perhubungan and Dinas PUPR down to sub-activities with
  budgets and the RHK of staff.
* ``examples/Pohon_Kinerja_Pariwisata.xlsx`` — seed 001: "Meningkatnya industri pariwisata"
  across six offices with the seed's targets and budgets (for the PK year 2026), and the SOP
  tasks of "Pelatihan usaha baru" as the RHK of Staf A, B and C.

Both are written with :func:`pohon_xl.excel.template.new_workbook`, so they carry the template's
dropdowns, prompts and formats. Regenerate with ``python -m pohon_xl.excel.template``.

A data file holds ``filename``, ``identity`` (the Identitas keys), ``positions`` (the Jabatan
rows; ``{from: kemacetan, code: X}`` repeats a position of another example) and ``levels``:
level number -> nodes, each with ``id``, ``parent``, ``sasaran``, ``owner``, ``cascading``,
``code``, ``code_name``, ``collaborators``, ``note``, ``budgets`` (L5: one per plan year) and
``indicators`` (``name``, ``unit``, ``arah``, ``baseline``, ``targets``: one per plan year, or
``{year: value}``; ``{same: ID}`` is the indicator of node ID unchanged, for Langsung).

Nomenclature: programme, activity and sub-activity codes and names follow the Kepmendagri
nomenclature as updated since 2021 (4-digit sub-activity codes, kab/kota digit ``2``); every
code below appears in the newer public list of ``shared/reference`` (where it is spelled with
``02`` for the kab/kota digit). No list is shipped with the package.

L5 budget totals per office (Rupiah; checked by ``tests/test_examples.py``)::

    Kemacetan                 2025           2026           2027           2028           2029
    Dinas Perhubungan    5.320.000.000  5.955.000.000  6.400.000.000  6.855.000.000  7.275.000.000
    Dinas PUPR          33.350.000.000 38.220.000.000 41.830.000.000 43.240.000.000 46.375.000.000
    Jumlah              38.670.000.000 44.175.000.000 48.230.000.000 50.095.000.000 53.650.000.000

    Pariwisata                2025           2026           2027           2028           2029
    Satpol PP            3.750.000.000  4.000.000.000  4.150.000.000  4.300.000.000  4.450.000.000
    Dinas Koperasi UKM   1.800.000.000  2.000.000.000  2.100.000.000  2.200.000.000  2.300.000.000
    Dinas Pariwisata     2.650.000.000  3.000.000.000  3.100.000.000  3.450.000.000  3.550.000.000
    Dinas Perhubungan    1.380.000.000  1.500.000.000  1.590.000.000  1.680.000.000  1.770.000.000
    Dinas PUPR           2.050.000.000  2.300.000.000  2.400.000.000  2.600.000.000  2.700.000.000
    Dinas LH               820.000.000    900.000.000    960.000.000  1.020.000.000  1.080.000.000
    Jumlah              12.450.000.000 13.700.000.000 14.300.000.000 15.250.000.000 15.850.000.000
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

import yaml
from openpyxl import Workbook

from pohon_xl.excel.template import REPO_ROOT, new_workbook, save_workbook, write_rows
from pohon_xl.model import contract as C

__all__ = [
    "EXAMPLES",
    "EXAMPLES_DIR",
    "KEMACETAN",
    "MISTAKES",
    "OFFICE",
    "PARIWISATA",
    "REALISATION",
    "Example",
    "Indicator",
    "Mistake",
    "Node",
    "Position",
    "budget_totals",
    "build_example",
    "data_file",
    "load_example",
    "office_of",
    "targets_by_year",
    "write_examples",
]

EXAMPLES_DIR = REPO_ROOT / "examples"
DATA = files("pohon_xl") / "data" / "examples"


@dataclass(frozen=True)
class Indicator:
    """One indicator row. ``targets`` is one value per plan year, or {year: value} (L6)."""

    name: str
    unit: str
    arah: str
    baseline: float | None
    targets: tuple[float, ...] | Mapping[int, float]
    aspek: str = ""


@dataclass(frozen=True)
class Node:
    """A node of the tree: its first row carries everything, further indicators follow."""

    id: str
    parent: str
    sasaran: str
    owner: str
    indicators: tuple[Indicator, ...]
    cascading: str = ""
    code: str = ""
    code_name: str = ""
    budgets: tuple[int | None, ...] = ()  # L5: one per plan year (None: left empty)
    collaborators: str = ""
    note: str = ""


@dataclass(frozen=True)
class Position:
    code: str
    name: str
    kind: str
    unit: str
    superior: str
    nip: str
    holder: str


@dataclass(frozen=True)
class Mistake:
    """A mistake put into an example on purpose, and the rule that reports it."""

    rule: str  # the code `pohon-xl validasi` reports
    what: str
    node: str  # the node's ID before the change
    set: Mapping[str, object]  # new values of the node's fields (or the indicator's)
    indicator: int | None = None


@dataclass(frozen=True)
class Example:
    filename: str
    identity: Mapping[str, object]
    positions: tuple[Position, ...]
    levels: Mapping[int, tuple[Node, ...]]  # level number -> nodes, in sheet order
    mistakes: tuple[Mistake, ...] = ()
    # The sheets people fill after the plan, as typed (pohon_xl.excel.filled_example).
    filled: Mapping[str, tuple[Mapping[str, Any], ...]] = field(default_factory=dict)
    start_year: int = 2025
    end_year: int = 2029
    pk_year: int = 2026
    years: range = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "years", range(self.start_year, self.end_year + 1))

    def nodes(self) -> Iterator[tuple[int, Node]]:
        for level, nodes in sorted(self.levels.items()):
            for node in nodes:
                yield level, node


# ============================================================================================
# Reading the data files
# ============================================================================================
def data_file(name: str) -> dict:
    """The contents of ``pohon_xl/data/examples/<name>.yml``."""
    data: dict = yaml.safe_load((DATA / f"{name}.yml").read_text(encoding="utf-8"))
    return data


def _position(entry: Mapping) -> Position:
    if "from" in entry:
        return next(p for p in load_example(entry["from"]).positions if p.code == entry["code"])
    return Position(**entry)


def _indicator(entry: Mapping, known: Mapping[str, Node]) -> Indicator:
    if "same" in entry:  # Langsung: the node's own indicator, unchanged
        same: Indicator = known[entry["same"]].indicators[entry.get("index", 0)]
        return same
    targets = entry["targets"]
    return Indicator(
        entry["name"], entry["unit"], entry["arah"], entry.get("baseline"),
        dict(targets) if isinstance(targets, Mapping) else tuple(targets),
        entry.get("aspek", ""),
    )


def _node(entry: Mapping, known: Mapping[str, Node]) -> Node:
    fields = {key: value for key, value in entry.items() if key != "indicators"}
    fields.setdefault("parent", "")
    fields["budgets"] = tuple(fields.get("budgets", ()))
    indicators = tuple(_indicator(item, known) for item in entry["indicators"])
    return Node(**fields, indicators=indicators)


def _part(base: Example, offices: list[str]) -> tuple[tuple[Position, ...], dict]:
    """The positions of some offices of an example and the nodes they own."""
    positions = tuple(p for p in base.positions if office_of(base, p.code) in offices)
    codes = {p.code for p in positions}
    levels = {level: tuple(n for n in nodes if n.owner in codes)
              for level, nodes in base.levels.items()}
    return positions, {level: nodes for level, nodes in levels.items() if nodes}


def _with_mistake(levels: Mapping[int, tuple[Node, ...]], mistake: Mistake) -> dict:
    values: dict[str, Any] = {key: tuple(value) if isinstance(value, list) else value
                              for key, value in mistake.set.items()}

    def changed(node: Node) -> Node:
        if node.id != mistake.node:
            return node
        if mistake.indicator is None:
            return replace(node, **values)
        indicators = list(node.indicators)
        indicators[mistake.indicator] = replace(indicators[mistake.indicator], **values)
        return replace(node, indicators=tuple(indicators))

    result = {level: tuple(changed(n) for n in nodes) for level, nodes in levels.items()}
    if result == levels:
        raise ValueError(f"{mistake.rule}: node {mistake.node} tidak ada atau tidak berubah")
    return result


@cache
def load_example(name: str) -> Example:
    """The example of ``pohon_xl/data/examples/<name>.yml``: its own tree, or the part of
    another example's (``part_of``) that some offices own, with its ``mistakes`` made."""
    data = data_file(name)
    levels: dict[int, tuple[Node, ...]] = {}
    if "part_of" in data:
        base = load_example(data["part_of"]["example"])
        positions, levels = _part(base, data["part_of"]["offices"])
    else:
        positions = tuple(_position(entry) for entry in data["positions"])
        known: dict[str, Node] = {}
        for level, entries in data["levels"].items():
            nodes = []
            for entry in entries:
                node = known[entry["id"]] = _node(entry, known)
                nodes.append(node)
            levels[int(level)] = tuple(nodes)
    mistakes = tuple(Mistake(**entry) for entry in data.get("mistakes", ()))
    for mistake in mistakes:
        levels = _with_mistake(levels, mistake)
    filled = {name: tuple(rows) for name, rows in (data.get("filled") or {}).items()}
    return Example(data["filename"], data["identity"], positions, levels, mistakes, filled)


# ============================================================================================
# Writing
# ============================================================================================
def targets_by_year(indicator: Indicator, years: range) -> dict[int, float]:
    """An indicator's targets as {year: value} (tuples map onto the plan years in order)."""
    if isinstance(indicator.targets, Mapping):
        return dict(indicator.targets)
    if len(indicator.targets) != len(years):
        raise ValueError(f"{indicator.name}: {len(indicator.targets)} target untuk "
                         f"{len(years)} tahun")
    return dict(zip(years, indicator.targets))


def _indicator_cells(indicator: Indicator, years: range, individual: bool) -> dict[str, object]:
    cells: dict[str, object] = {
        C.INDIKATOR: indicator.name,
        C.SATUAN: indicator.unit,
        C.ARAH: indicator.arah,
        C.BASELINE: indicator.baseline,
    }
    cells.update({C.target_header(y): v for y, v in targets_by_year(indicator, years).items()})
    if individual:
        cells[C.ASPEK] = indicator.aspek
    return cells


def _node_rows(node: Node, spec: C.LevelSpec, years: range) -> list[dict[str, object]]:
    first: dict[str, object] = {
        C.ID: node.id,
        C.ID_INDUK: node.parent,
        C.SASARAN: node.sasaran,
        C.JENIS_CASCADING: node.cascading,
        C.PEMILIK: node.owner,
        C.KOLABORATOR: node.collaborators,
        C.KETERANGAN: node.note,
    }
    if spec.code_header and spec.name_header:
        first[spec.code_header] = node.code
        first[spec.name_header] = node.code_name
    if spec.has_budget:
        if len(node.budgets) != len(years):
            raise ValueError(f"{node.id}: {len(node.budgets)} anggaran untuk {len(years)} tahun")
        first.update({C.budget_header(y): b for y, b in zip(years, node.budgets)})
    rows = []
    for index, indicator in enumerate(node.indicators):
        cells = _indicator_cells(indicator, years, spec.is_individual)
        rows.append({**first, **cells} if index == 0 else cells)
    return rows


def build_example(example: Example) -> Workbook:
    """The example as a filled template (not saved)."""
    wb = new_workbook(
        example.start_year,
        example.end_year,
        example.pk_year,
        str(example.identity.get(C.KEY_INSTANSI, "")),
        str(example.identity.get(C.KEY_PERANGKAT_DAERAH, "")),
        kode_perangkat_daerah=str(example.identity.get(C.KEY_KODE_PD, "")),
        penyusun=str(example.identity.get(C.KEY_PENYUSUN, "")),
        email=str(example.identity.get(C.KEY_EMAIL, "")),
    )
    write_rows(wb[C.JABATAN], (
        {
            C.KODE_JABATAN: p.code,
            C.NAMA_JABATAN: p.name,
            C.JENIS_JABATAN: p.kind,
            C.UNIT_KERJA: p.unit,
            C.KODE_ATASAN: p.superior,
            C.NIP_PEMANGKU: p.nip,
            C.NAMA_PEMANGKU: p.holder,
        }
        for p in example.positions
    ))
    for level, nodes in sorted(example.levels.items()):
        spec = C.LEVEL_BY_NUMBER[level]
        rows = [row for node in nodes for row in _node_rows(node, spec, example.years)]
        write_rows(wb[spec.sheet], rows)
    return wb


def write_examples(directory: str | Path = EXAMPLES_DIR) -> list[Path]:
    """Write every example workbook and the inbox folder into ``directory``; returns the
    paths written, :data:`EXAMPLES` first."""
    from pohon_xl.excel.inbox_example import write_inbox  # it builds on this module

    from pohon_xl.excel.filled_example import write_filled

    directory = Path(directory)
    books = [save_workbook(build_example(ex), directory / ex.filename)
             for ex in (*EXAMPLES, OFFICE, MISTAKES)]
    books.append(write_filled(save_workbook(build_example(REALISATION),
                                            directory / REALISATION.filename), REALISATION))
    return books + write_inbox(directory)


def office_of(example: Example, position_code: str) -> str:
    """The office (Unit Kerja of the JPT above, or the position's own) owning a position."""
    by_code = {p.code: p for p in example.positions}
    position = by_code[position_code]
    seen: set[str] = set()
    while position.kind not in ("JPT", C.KEPALA_DAERAH) and position.superior in by_code:
        if position.code in seen:
            break
        seen.add(position.code)
        position = by_code[position.superior]
    return position.unit


def budget_totals(example: Example) -> dict[str, dict[int, int]]:
    """L5 budget per office and year (the figures in this module's docstring)."""
    totals: dict[str, dict[int, int]] = {}
    for node in example.levels.get(C.SUBKEGIATAN_LEVEL, ()):
        office = totals.setdefault(office_of(example, node.owner),
                                   {y: 0 for y in example.years})
        for year, amount in zip(example.years, node.budgets):
            office[year] += amount or 0
    return totals


KEMACETAN = load_example("kemacetan")
PARIWISATA = load_example("pariwisata")
EXAMPLES: tuple[Example, ...] = (KEMACETAN, PARIWISATA)  # whole trees, without a finding
OFFICE = load_example("opd_dishub")  # an office's workbook: L2–L6 under the L1 of KEMACETAN
MISTAKES = load_example("kesalahan_umum")  # OFFICE with twelve typical mistakes
REALISATION = load_example("opd_dishub_realisasi")  # OFFICE in its year: action plan, realisation


if __name__ == "__main__":
    for written in write_examples():
        print(f"ditulis: {written}")
