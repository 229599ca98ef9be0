"""Small plans built in code for the derivation tests (no files, no Excel)."""

from __future__ import annotations

from collections.abc import Iterable

from pohon_xl.core.derive.run import derive_all
from pohon_xl.core.link import Tree
from pohon_xl.findings import Finding, Location, Report, Severity
from pohon_xl.model import contract as C
from pohon_xl.model.parse import RawSheet, parse_workbook
from pohon_xl.model.plan import Plan
from pohon_xl.sheets import SheetSpec

YEARS = range(2025, 2030)


def identitas(pk: int | None = 2026, instansi: str = "Pemerintah Kota Contoh",
              pd: str = "Dinas Perhubungan") -> list[list[object]]:
    return [
        [C.KEY_INSTANSI, instansi],
        [C.KEY_PERANGKAT_DAERAH, pd],
        [C.KEY_KODE_PD, "DISHUB"],
        [C.KEY_TAHUN_AWAL, YEARS[0]],
        [C.KEY_TAHUN_AKHIR, YEARS[-1]],
        [C.KEY_TAHUN_PK, pk],
    ]


def jab(code: str, name: str, kind: str, superior: str = "", nip: str = "", holder: str = "",
        unit: str = "") -> dict[str, object]:
    return {C.KODE_JABATAN: code, C.NAMA_JABATAN: name, C.JENIS_JABATAN: kind,
            C.UNIT_KERJA: unit, C.KODE_ATASAN: superior, C.NIP_PEMANGKU: nip,
            C.NAMA_PEMANGKU: holder}


def node(id: str, parent: str, sasaran: str, indikator: str = "Indikator", satuan: str = "%",
         owner: str = "", targets: dict[int, object] | None = None, code: str = "",
         name: str = "", budget: dict[int, object] | None = None, jenis: str = "Kontribusi",
         aspek: str = "") -> dict[str, object]:
    row: dict[str, object] = {
        C.ID: id, C.ID_INDUK: parent, C.SASARAN: sasaran, C.INDIKATOR: indikator,
        C.SATUAN: satuan, C.ARAH: "Naik", C.BASELINE: 1, C.JENIS_CASCADING: jenis,
        C.PEMILIK: owner, C.ASPEK: aspek, "code": code, "name": name,
    }
    for year, value in (targets or {y: 10 + i for i, y in enumerate(YEARS)}).items():
        row[C.target_header(year)] = value
    for year, value in (budget or {}).items():
        row[C.budget_header(year)] = value
    return row


def more(indikator: str, satuan: str = "%", targets: dict[int, object] | None = None,
         aspek: str = "") -> dict[str, object]:
    """A continuation row: another indicator of the node above."""
    row: dict[str, object] = {C.INDIKATOR: indikator, C.SATUAN: satuan, C.ASPEK: aspek}
    for year, value in (targets or {y: 1 for y in YEARS}).items():
        row[C.target_header(year)] = value
    return row


def make_plan(levels: dict[int, list[dict[str, object]]], jabatan: Iterable[dict[str, object]],
              pk: int | None = 2026, **identity: str) -> Plan:
    raw = {C.IDENTITAS: RawSheet(C.IDENTITAS, identitas(pk, **identity))}
    jrows = [list(C.JABATAN_HEADERS)] + [[j.get(h) for h in C.JABATAN_HEADERS] for j in jabatan]
    raw[C.JABATAN] = RawSheet(C.JABATAN, jrows)
    for level, rows in levels.items():
        spec = C.LEVEL_BY_NUMBER[level]
        headers = C.level_headers(spec, YEARS)
        table = [headers]
        for row in rows:
            values = dict(row)
            if spec.code_header:
                values[spec.code_header] = row.get("code", "")
                values[spec.name_header or ""] = row.get("name", "")
            table.append([values.get(h) for h in headers])
        raw[spec.sheet] = RawSheet(spec.sheet, table)
    return parse_workbook(raw)


def galat(plan: Plan, node_id: str, code: str = "NIL01") -> Finding:
    """A Galat on a node, as a validation rule would report it."""
    target = next(n for n in plan.nodes if n.id == node_id)
    return Finding(code, Severity.GALAT, "Contoh galat.", "Perbaiki.",
                   Location(target.sheet, target.row), node_id=node_id, level=target.level)


def derive(plan: Plan, findings: Iterable[Finding] = ()
           ) -> tuple[dict[str, SheetSpec], list[Finding]]:
    sheets, found = derive_all(plan, Tree(plan.nodes, plan.positions), Report(list(findings)))
    return {s.name: s for s in sheets}, found


def records(sheet: SheetSpec) -> list[dict[str, object]]:
    """A matrix sheet as dicts keyed by its header row."""
    values = sheet.values()
    return [dict(zip(values[0], row)) for row in values[1:]]


def texts(sheet: SheetSpec) -> list[str]:
    return [str(v) for row in sheet.values() for v in row if v is not None]
