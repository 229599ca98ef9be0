"""Two versions of one workbook -> what changed (``pohon-xl banding``, the batch's rounds).

Nodes are matched by ``ID`` across every level sheet, positions by ``Kode Jabatan``; the
indicators of a node by their name (typed case and spacing aside), and those renamed by
their order within the node, never by row number (rows move when a node is added above).
Findings are matched by code, node and column, not by row or message (a message quotes the
value, which is what was fixed).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from pohon_xl.findings import Finding, Report
from pohon_xl.model import contract as C
from pohon_xl.model.plan import Indicator, Node, Number, Plan, Position
from pohon_xl.sheets import Cell, SheetSpec, cell_link

ADDED, REMOVED, MOVED, CHANGED = "Ditambah", "Dihapus", "Dipindah", "Diubah"
RESOLVED, STILL_OPEN, NEW = "Selesai", "Masih ada", "Baru"


@dataclass(frozen=True)
class Change:
    """One difference, located in the new version (``row`` 0: the thing was removed)."""

    kind: str  # ADDED, REMOVED, MOVED, CHANGED
    sheet: str  # the sheet as named in the new version (the old one's when removed)
    key: str  # ID, Kode Jabatan or Identitas key
    column: str = ""  # the contract header that changed ("" for a whole node or position)
    old: object = None
    new: object = None
    row: int = 0
    indicator: str = ""  # which indicator of the node, when the change is one of its values

    def describe(self) -> str:
        """One Indonesian sentence, as the reply e-mail and the terminal say it."""
        what = f"{self.key}" + (f" (indikator '{_short(self.indicator)}')" if self.indicator else "")
        if self.kind == ADDED:
            return f"{what} ditambahkan" + (f" di {self.sheet}" if self.sheet else "")
        if self.kind == REMOVED:
            return f"{what} dihapus" + (f" dari {self.sheet}" if self.sheet else "")
        if self.kind == MOVED:
            return f"{what} dipindah dari induk {_shown(self.old)} ke {_shown(self.new)}"
        return f"{what}: {self.column} {_shown(self.old)} → {_shown(self.new)}"


@dataclass(frozen=True)
class FindingChange:
    status: str  # RESOLVED, STILL_OPEN, NEW
    finding: Finding  # the new version's finding (the old one's when resolved)


@dataclass
class Comparison:
    changes: list[Change] = field(default_factory=list)
    findings: list[FindingChange] = field(default_factory=list)

    def of(self, status: str) -> list[Finding]:
        return [f.finding for f in self.findings if f.status == status]

    @property
    def resolved(self) -> list[Finding]:
        return self.of(RESOLVED)

    @property
    def still_open(self) -> list[Finding]:
        return self.of(STILL_OPEN)

    @property
    def new(self) -> list[Finding]:
        return self.of(NEW)

    def counts(self) -> dict[str, int]:
        kinds = [c.kind for c in self.changes]
        return {kind: kinds.count(kind) for kind in (ADDED, REMOVED, MOVED, CHANGED)}

    def to_dict(self) -> dict[str, object]:
        return {
            "perubahan": [
                {"jenis": c.kind, "sheet": c.sheet, "kunci": c.key, "kolom": c.column,
                 "indikator": c.indicator, "lama": _plain(c.old), "baru": _plain(c.new),
                 "baris": c.row or None, "uraian": c.describe()}
                for c in self.changes
            ],
            "temuan": {
                "selesai": [f.to_dict() for f in self.resolved],
                "masih_ada": [f.to_dict() for f in self.still_open],
                "baru": [f.to_dict() for f in self.new],
            },
        }


def compare(old: Plan, new: Plan, old_report: Report | None = None,
            new_report: Report | None = None) -> Comparison:
    """What changed from ``old`` to ``new`` (and, given both reports, which findings were
    resolved, are still open and are new)."""
    result = Comparison()
    result.changes += _identity_changes(old, new)
    result.changes += _position_changes(old.positions, new.positions, _sheet(new, C.JABATAN))
    result.changes += _node_changes(old, new)
    if old_report is not None and new_report is not None:
        result.findings = _finding_changes(old_report.findings, new_report.findings)
    return result


# --- Identitas and Jabatan ----------------------------------------------------------------
def _identity_changes(old: Plan, new: Plan) -> Iterator[Change]:
    sheet = _sheet(new, C.IDENTITAS)
    for key in C.IDENTITAS_KEYS:
        before, after = old.identity.text(key), new.identity.text(key)
        if before != after:
            yield Change(CHANGED, sheet, key, key, before or None, after or None,
                         new.identity.rows.get(key, 0))


_POSITION_FIELDS = ((C.NAMA_JABATAN, "name"), (C.JENIS_JABATAN, "kind"), (C.UNIT_KERJA, "unit"),
                    (C.KODE_ATASAN, "superior"), (C.NIP_PEMANGKU, "nip"),
                    (C.NAMA_PEMANGKU, "holder"))


def _position_changes(old: list[Position], new: list[Position], sheet: str) -> Iterator[Change]:
    before = _first_by(old, lambda p: p.code)
    after = _first_by(new, lambda p: p.code)
    for code, position in after.items():
        was = before.get(code)
        if was is None:
            yield Change(ADDED, sheet, code, row=position.row)
            continue
        for header, attr in _POSITION_FIELDS:
            a, b = getattr(was, attr), getattr(position, attr)
            if a != b:
                yield Change(CHANGED, sheet, code, header, a or None, b or None, position.row)
    for code, position in before.items():
        if code not in after:
            yield Change(REMOVED, sheet, code)


# --- the tree ------------------------------------------------------------------------------
_NODE_FIELDS = ((C.SASARAN, "sasaran"), (C.JENIS_CASCADING, "jenis_cascading"),
                (C.PEMILIK, "owner"), (C.KETERANGAN, "keterangan"))


def _node_changes(old: Plan, new: Plan) -> Iterator[Change]:
    before = _first_by(old.nodes, lambda n: n.id)
    after = _first_by(new.nodes, lambda n: n.id)
    for node_id, node in after.items():
        was = before.get(node_id)
        if was is None:
            yield Change(ADDED, node.sheet, node_id, row=node.row)
            continue
        if was.level != node.level:
            yield Change(MOVED, node.sheet, node_id, C.ID, was.spec.sheet, node.spec.sheet,
                         node.row)
        if was.parent_id != node.parent_id:
            yield Change(MOVED, node.sheet, node_id, C.ID_INDUK, was.parent_id or None,
                         node.parent_id or None, node.row)
        for header, attr in _NODE_FIELDS:
            a, b = getattr(was, attr), getattr(node, attr)
            if a != b:
                yield Change(CHANGED, node.sheet, node_id, header, a or None, b or None, node.row)
        if was.collaborators != node.collaborators:
            yield Change(CHANGED, node.sheet, node_id, C.KOLABORATOR,
                         ", ".join(was.collaborators) or None,
                         ", ".join(node.collaborators) or None, node.row)
        spec = node.spec
        for header, attr in ((spec.code_header, "code"), (spec.name_header, "code_name")):
            if header and getattr(was, attr) != getattr(node, attr):
                yield Change(CHANGED, node.sheet, node_id, header, getattr(was, attr) or None,
                             getattr(node, attr) or None, node.row)
        yield from _indicator_changes(was, node)
    for node_id, node in before.items():
        if node_id not in after:
            yield Change(REMOVED, node.sheet, node_id)


def _indicator_changes(old: Node, new: Node) -> Iterator[Change]:
    pairs, added, removed = match_indicators(old.indicators, new.indicators)
    sheet = new.sheet
    for was, now in pairs:
        label = now.name or was.name
        if _key(was.name) != _key(now.name):
            yield Change(CHANGED, sheet, new.id, C.INDIKATOR, was.name or None, now.name or None,
                         now.row, was.name)
        for header, attr in ((C.SATUAN, "unit"), (C.ARAH, "arah"), (C.ASPEK, "aspek")):
            a, b = getattr(was, attr), getattr(now, attr)
            if a != b:
                yield Change(CHANGED, sheet, new.id, header, a or None, b or None, now.row, label)
        if not _same_number(was.baseline, now.baseline):
            yield Change(CHANGED, sheet, new.id, C.BASELINE, _value(was.baseline),
                         _value(now.baseline), now.row, label)
        for prefix, a, b in ((C.TARGET_PREFIX, was.targets, now.targets),
                             (C.ANGGARAN_PREFIX, was.budgets, now.budgets)):
            for year in sorted(set(a) | set(b)):
                x, y = a.get(year, Number()), b.get(year, Number())
                if not _same_number(x, y):
                    yield Change(CHANGED, sheet, new.id, f"{prefix} {year}", _value(x),
                                 _value(y), now.row, label)
    for indicator in added:
        yield Change(ADDED, sheet, new.id, C.INDIKATOR, None, indicator.name or None,
                     indicator.row, indicator.name)
    for indicator in removed:
        yield Change(REMOVED, sheet, new.id, C.INDIKATOR, indicator.name or None, None, 0,
                     indicator.name)


def match_indicators(old: list[Indicator], new: list[Indicator]
                     ) -> tuple[list[tuple[Indicator, Indicator]], list[Indicator], list[Indicator]]:
    """(matched pairs, added, removed): by name first, then what is left in order (a renamed
    indicator keeps its place in the node)."""
    pairs: list[tuple[Indicator, Indicator]] = []
    left_old = list(old)
    left_new: list[Indicator] = []
    for indicator in new:
        match = next((o for o in left_old if _key(o.name) == _key(indicator.name)), None)
        if match is None:
            left_new.append(indicator)
        else:
            left_old.remove(match)
            pairs.append((match, indicator))
    count = min(len(left_old), len(left_new))
    pairs += list(zip(left_old[:count], left_new[:count]))
    pairs.sort(key=lambda pair: pair[1].row)
    return pairs, left_new[count:], left_old[count:]


# --- findings -------------------------------------------------------------------------------
def finding_key(finding: Finding) -> tuple[object, ...]:
    """What makes a finding 'the same one' in the next version: code and where it points,
    by node ID when it has one (rows move), else by sheet and column and message."""
    loc = finding.location
    if finding.node_id:
        return (finding.code, finding.node_id, loc.column)
    return (finding.code, loc.sheet, loc.column, finding.message)


def _finding_changes(old: Iterable[Finding], new: Iterable[Finding]) -> list[FindingChange]:
    before = {finding_key(f): f for f in old}
    after = {finding_key(f): f for f in new}
    result = [FindingChange(RESOLVED, f) for k, f in before.items() if k not in after]
    result += [FindingChange(STILL_OPEN if k in before else NEW, f) for k, f in after.items()]
    return result


# --- small helpers ------------------------------------------------------------------------
_SPACES = re.compile(r"\s+")


def _key(text: str) -> str:
    return _SPACES.sub(" ", text).strip().casefold()


def _first_by(items, key) -> dict:
    found: dict = {}
    for item in items:
        k = key(item)
        if k:
            found.setdefault(k, item)
    return found


def _same_number(a: Number, b: Number) -> bool:
    if a.value is not None and b.value is not None:
        return a.value == b.value
    return a.empty and b.empty or (_text(a.raw) == _text(b.raw))


def _text(raw: object) -> str:
    return "" if raw is None else str(raw).strip()


def _value(number: Number) -> object:
    if number.value is not None:
        value = number.value
        return int(value) if float(value).is_integer() else value
    return None if number.empty else _text(number.raw)


def _plain(value: object) -> object:
    return value if isinstance(value, (int, float, str)) or value is None else str(value)


def _shown(value: object) -> str:
    if value is None or value == "":
        return "(kosong)"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, (int, float)):
        from pohon_xl.model.numbers import format_number

        return format_number(value)
    return f"'{_short(str(value))}'"


def _short(text: str, limit: int = 60) -> str:
    text = _SPACES.sub(" ", text).strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _sheet(plan: Plan, contract_name: str) -> str:
    info = plan.sheets.get(contract_name)
    return info.name if info and info.present else contract_name


# --- the `Perubahan` sheet ------------------------------------------------------------------
PERUBAHAN = "Perubahan"
CHANGE_HEADERS = ["Jenis", "Sheet", "Baris", "ID / Kode", "Indikator", "Kolom", "Lama", "Baru",
                  "Uraian"]
# Under the changes, in the same columns: status, sheet, row, ID, code and level, message.
FINDING_HEADERS = ["Temuan", "Sheet", "Baris", "ID", "Kode (tingkat)", "Pesan"]


def perubahan_sheet(comparison: Comparison, new: Plan, *, links: bool = True) -> SheetSpec:
    """The differences as a sheet, each linking to its cell in the new version (``links``:
    when the sheet goes into that workbook), then the findings resolved, still open and
    new."""
    from pohon_xl.core.derive.common import fit_heights, table_sheet

    body: list[list[Cell | None]] = []
    for change in comparison.changes:
        link = _link(new, change.sheet, change.row, change.column) if links and change.row else ""
        body.append([
            Cell(change.kind), Cell(change.sheet, "link" if link else "text", link=link),
            Cell(change.row or None, "number"), Cell(change.key), Cell(change.indicator or None),
            Cell(change.column or None), Cell(_cell_value(change.old)),
            Cell(_cell_value(change.new)), Cell(change.describe()),
        ])
    if not body:
        body.append([Cell("Tidak ada perubahan"), *[Cell(None)] * (len(CHANGE_HEADERS) - 1)])
    sheet = table_sheet(PERUBAHAN, CHANGE_HEADERS, body, [9, 23, 6, 11, 22, 13, 16, 16, 40])
    if comparison.findings:
        sheet.rows.append([])
        headers: list[Cell | None] = [Cell(h, "header") for h in FINDING_HEADERS]
        sheet.rows.append(headers + [Cell(None, "header")] * 3)
        order = {RESOLVED: 0, STILL_OPEN: 1, NEW: 2}
        for item in sorted(comparison.findings, key=lambda f: order[f.status]):
            f = item.finding
            sheet.rows.append([
                Cell(item.status), Cell(f.location.sheet), Cell(f.location.row or None, "number"),
                Cell(f.node_id or None), Cell(f"{f.code} ({f.severity.value})"),
                Cell(f.message), Cell(None), Cell(None), Cell(None),
            ])
        sheet.merges += [f"F{r}:I{r}" for r in range(len(body) + 3, len(sheet.rows) + 1)]
        sheet.autofilter = ""  # two tables on one sheet: no filter over both
        sheet.print.area = f"A1:I{len(sheet.rows)}"
        fit_heights(sheet)
    return sheet


def _cell_value(value: object) -> str | int | float | None:
    if value is None or isinstance(value, (str, int, float)):
        return value
    return str(value)


def _link(plan: Plan, sheet: str, row: int, column: str) -> str:
    info = next((i for i in plan.sheets.values() if i.name == sheet and i.present), None)
    if info is None:
        return ""
    return cell_link(sheet, row, info.columns.get(column, 0) if column else 1)
