"""Cross-workbook checks of a batch (group ``BAT``). Pure: plans in, findings out.

Each workbook is first validated alone, exactly as ``pohon-xl validasi`` would (where an L2
``ID Induk`` that the workbook does not hold is only an Info, since L2 parents live in the
body-level workbook). These checks then look at all the workbooks of the body together and
add findings, each tagged with the ``source`` (display name) of the workbook it concerns;
findings about the batch as a whole (no body workbook) have an empty ``source``.

The kinds of finding (codes, severities, messages) are declared in
:mod:`pohon_xl.findings_batch`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace

from pohon_xl.core.link import Tree
from pohon_xl.findings import Finding, Location, Severity
from pohon_xl.findings_batch import (  # noqa: F401  (CATALOGUE: re-exported)
    CATALOGUE,
    COLLABORATOR_ABSENT,
    COLLABORATOR_ASKED,
    COLLABORATOR_UNKNOWN,
    DUPLICATE_ID,
    DUPLICATE_OFFICE,
    EXTRA_BODY,
    FOREIGN_OWNER,
    HEAD_WITHOUT_SUPERIOR,
    L1_UNSUPPORTED,
    L2_PARENT_NOT_IN_BODY,
    MALFORMED_EMAIL,
    NO_BODY,
    OFFICE_DEFINES_L1,
    POSITION_CONFLICT,
)
from pohon_xl.model import contract as C
from pohon_xl.model.plan import Node, Plan, Position

from .mail import first_address, malformed_address, sent_name

NO_BODY_NAME = "(belum dikirim)"


def is_body(plan: Plan) -> bool:
    """The body-level workbook: an Identitas sheet whose `Perangkat Daerah` is empty."""
    info = plan.sheets.get(C.IDENTITAS)
    return bool(info and info.present) and not plan.identity.text(C.KEY_PERANGKAT_DAERAH)


def office_code(plan: Plan) -> str:
    return plan.identity.text(C.KEY_KODE_PD)


@dataclass
class Batch:
    """The plans of one batch, ordered: the body workbook first, then the others by name."""

    body: Plan | None
    offices: list[Plan]  # every other workbook (extra body workbooks included)
    extra_bodies: list[Plan] = field(default_factory=list)

    @property
    def plans(self) -> list[Plan]:
        return ([self.body] if self.body else []) + self.offices

    @property
    def body_name(self) -> str:
        return sent_name(self.body.source) if self.body else NO_BODY_NAME


def workbook_name(plan: Plan) -> str:
    """Another workbook as a message names it to an office: by its office and the file name
    it was sent as (``Dinas Perhubungan (Pohon_Kinerja.xlsx)``), never by the inbox's path
    (``surel.eml/Pohon_Kinerja.xlsx``), which means nothing to the office."""
    label = (plan.identity.text(C.KEY_PERANGKAT_DAERAH) or plan.identity.text(C.KEY_INSTANSI))
    name = sent_name(plan.source)
    return f"{label} ({name})" if label else name


def arrange(plans: Sequence[Plan]) -> Batch:
    """Pick the body workbook (with L1 nodes first, then by name); order the rest by name."""
    ordered = sorted(plans, key=lambda p: p.source)
    bodies = sorted((p for p in ordered if is_body(p)),
                    key=lambda p: (not p.nodes_on(1), p.source))
    body = bodies[0] if bodies else None
    offices = [p for p in ordered if p is not body]
    return Batch(body, offices, bodies[1:])


def cross_check(plans: Sequence[Plan]) -> list[Finding]:
    """Every cross-workbook finding of a batch (``source`` names the workbook concerned)."""
    batch = arrange(plans)
    return sorted(_Checker(batch).run(), key=Finding.sort_key)


def merged_tree(batch: Batch) -> Tree:
    """One tree over every workbook's nodes (body first: its IDs win the lookup)."""
    return Tree([n for p in batch.plans for n in p.nodes],
                [pos for p in batch.plans for pos in p.positions])


class _Checker:
    def __init__(self, batch: Batch) -> None:
        self.batch = batch
        self.tree = merged_tree(batch)
        self.plan_of: dict[int, Plan] = {id(n): p for p in batch.plans for n in p.nodes}
        self.codes: dict[str, list[Plan]] = defaultdict(list)  # OPD code (casefold) -> plans
        for plan in batch.offices:
            if office_code(plan):
                self.codes[office_code(plan).casefold()].append(plan)
        self.positions: dict[str, list[tuple[Plan, Position]]] = defaultdict(list)
        for plan in batch.plans:
            seen: set[str] = set()
            for position in plan.positions:
                if position.code and position.code not in seen:
                    seen.add(position.code)
                    self.positions[position.code].append((plan, position))

    def run(self) -> Iterator[Finding]:
        yield from self.bodies()
        yield from self.duplicate_offices()
        yield from self.duplicate_ids()
        yield from self.office_l1()
        yield from self.l2_parents()
        yield from self.unsupported_l1()
        yield from self.collaborators()
        yield from self.foreign_owners()
        yield from self.position_conflicts()
        yield from self.head_superiors()
        yield from self.emails()

    # --- locations -----------------------------------------------------------------------
    @staticmethod
    def at_node(plan: Plan, node: Node, column: str) -> Location:
        info = plan.sheets.get(node.spec.sheet)
        index = info.columns.get(column, 0) if info else 0
        return Location(node.sheet, node.row, column, index)

    @staticmethod
    def at_identity(plan: Plan, key: str) -> Location:
        info = plan.sheets.get(C.IDENTITAS)
        row = plan.identity.rows.get(key, 0)
        return Location(info.name if info else C.IDENTITAS, row, key, 2 if row else 0)

    @staticmethod
    def at_position(plan: Plan, position: Position, column: str) -> Location:
        info = plan.sheets.get(C.JABATAN)
        index = info.columns.get(column, 0) if info else 0
        return Location(info.name if info else C.JABATAN, position.row, column, index)

    # --- checks --------------------------------------------------------------------------
    def bodies(self) -> Iterator[Finding]:
        if self.batch.body is None:
            yield NO_BODY.finding("", params=dict(count=len(self.batch.offices)))
        for plan in self.batch.extra_bodies:
            yield EXTRA_BODY.finding(plan.source, self.at_identity(plan, C.KEY_PERANGKAT_DAERAH),
                                     params=dict(body=self.batch.body_name))

    def duplicate_offices(self) -> Iterator[Finding]:
        for plans in self.codes.values():
            for plan in plans[1:]:
                others = ", ".join(workbook_name(p) for p in plans if p is not plan)
                yield DUPLICATE_OFFICE.finding(plan.source, self.at_identity(plan, C.KEY_KODE_PD),
                                               params=dict(code=office_code(plan), others=others))

    def duplicate_ids(self) -> Iterator[Finding]:
        users: dict[str, list[tuple[Plan, Node]]] = defaultdict(list)
        for plan in self.batch.plans:
            seen: set[str] = set()
            for node in plan.nodes:
                if not node.id or node.id in seen:
                    continue  # a duplicate inside one workbook is that workbook's own finding
                seen.add(node.id)
                if node.level == 1 and plan is not self.batch.body:
                    continue  # an office's L1 is reported as such (BAT08)
                users[node.id].append((plan, node))
        for node_id, places in users.items():
            if len(places) < 2:
                continue
            for plan, node in places:
                others = "; ".join(f"{workbook_name(p)}, {n.sheet} baris {n.row}"
                                   for p, n in places if p is not plan)
                prefix = office_code(plan) or "OPD"
                yield DUPLICATE_ID.finding(plan.source, self.at_node(plan, node, C.ID),
                                           node_id=node.id, level=node.level,
                                           params=dict(id=node_id, others=others, prefix=prefix))

    def office_l1(self) -> Iterator[Finding]:
        for plan in self.batch.offices:
            if any(plan is extra for extra in self.batch.extra_bodies):
                continue  # a second body-level workbook: BAT11 says what is wrong with it
            for node in plan.nodes_on(1):
                yield OFFICE_DEFINES_L1.finding(plan.source, self.at_node(plan, node, C.ID),
                                                node_id=node.id, level=1,
                                                params=dict(id=node.id or node.sasaran,
                                                body=self.batch.body_name))

    def body_l1(self) -> list[Node]:
        return self.batch.body.nodes_on(1) if self.batch.body else []

    def l2_parents(self) -> Iterator[Finding]:
        if self.batch.body is None:
            return  # reported once as BAT10
        l1_ids = {n.id for n in self.body_l1() if n.id}
        choices = ", ".join(sorted(l1_ids)) or "(L1 instansi kosong)"
        for plan in self.batch.offices:
            own = {n.id for n in plan.nodes if n.id}
            for node in plan.nodes_on(2):
                parent = node.parent_id
                if not parent or parent in l1_ids or parent in own:
                    continue  # empty or own parents are the single workbook's rules' business
                yield L2_PARENT_NOT_IN_BODY.finding(
                    plan.source, self.at_node(plan, node, C.ID_INDUK), node_id=node.id,
                    level=2, params=dict(parent=parent, body=self.batch.body_name, choices=choices),
                )

    def unsupported_l1(self) -> Iterator[Finding]:
        body = self.batch.body
        if body is None:
            return
        deepest = self.tree.whole.deepest_below
        for node in self.body_l1():
            depth = deepest.get(id(node), 1)
            if node.id and depth < 5:
                yield L1_UNSUPPORTED.finding(body.source, self.at_node(body, node, C.ID),
                                             node_id=node.id, level=1, params=dict(id=node.id,
                                             sasaran=node.sasaran, deepest=depth))

    def collaborators(self) -> Iterator[Finding]:
        for plan in self.batch.plans:
            own_code = office_code(plan).casefold()
            for node in plan.nodes:
                for code in node.collaborators:
                    key = code.casefold()
                    if key == own_code:
                        continue
                    partners = self.codes.get(key)
                    if not partners:
                        # A position code is the single workbook's rules' business.
                        if self.codes and code not in self.positions:
                            yield COLLABORATOR_UNKNOWN.finding(
                                plan.source, self.at_node(plan, node, C.KOLABORATOR),
                                node_id=node.id, level=node.level, params=dict(code=code))
                        continue
                    below = {id(self.plan_of.get(id(d))) for d in self.tree.whole.descendants(node)}
                    if any(id(p) in below for p in partners):
                        continue
                    other = ", ".join(sent_name(p.source) for p in partners)
                    yield COLLABORATOR_ABSENT.finding(
                        plan.source, self.at_node(plan, node, C.KOLABORATOR), node_id=node.id,
                        level=node.level, params=dict(code=code, id=node.id, other=other))
                    for partner in partners:
                        yield COLLABORATOR_ASKED.finding(
                            partner.source, self.at_identity(partner, C.KEY_KODE_PD),
                            node_id=node.id, params=dict(code=code, id=node.id,
                                                         sasaran=node.sasaran,
                                                         owner=workbook_name(plan)))

    def foreign_owners(self) -> Iterator[Finding]:
        for plan in self.batch.plans:
            own = {p.code for p in plan.positions if p.code}
            for node in plan.nodes:
                if not node.owner or node.owner in own:
                    continue
                elsewhere = [(p, pos) for p, pos in self.positions.get(node.owner, [])
                             if p is not plan]
                if not elsewhere:
                    continue  # unknown everywhere: the single workbook's owner rule says so
                other, position = elsewhere[0]
                yield FOREIGN_OWNER.finding(
                    plan.source, self.at_node(plan, node, C.PEMILIK), node_id=node.id,
                    level=node.level, params=dict(owner=node.owner, other=workbook_name(other),
                    name=position.name or position.code))

    def position_conflicts(self) -> Iterator[Finding]:
        for code, places in self.positions.items():
            first_plan, first = places[0]
            for plan, position in places[1:]:
                name_differs = _norm(position.name) != _norm(first.name) and bool(
                    position.name and first.name)
                nip_differs = position.nip != first.nip and bool(position.nip and first.nip)
                if not (name_differs or nip_differs):
                    continue
                column = C.NAMA_JABATAN if name_differs else C.NIP_PEMANGKU
                yield POSITION_CONFLICT.finding(
                    plan.source, self.at_position(plan, position, column), params=dict(code=code,
                    name=position.name, nip=_nip(position.nip), other=workbook_name(first_plan),
                    other_name=first.name, other_nip=_nip(first.nip)))


    def head_superiors(self) -> Iterator[Finding]:
        """The head of an office (JPT) reports to a position of the body-level workbook."""
        if self.batch.body is None:
            return
        for plan in self.batch.offices:
            for position in plan.positions:
                if not _norm(position.kind).startswith("jpt") or not position.code:
                    continue
                if position.superior and position.superior in self.positions:
                    continue
                yield HEAD_WITHOUT_SUPERIOR.finding(
                    plan.source, self.at_position(plan, position, C.KODE_ATASAN),
                    params=dict(code=position.code, name=position.name or position.code,
                    superior=position.superior or "(kosong)", body=self.batch.body_name))



    def emails(self) -> Iterator[Finding]:
        """An Email cell the reply cannot use as it is (two lines, a header, a name ...)."""
        for plan in self.batch.plans:
            cell = plan.identity.text(C.KEY_EMAIL)
            if not malformed_address(cell):
                continue
            first = first_address(cell)
            used = (f"balasan hanya dikirim ke {first}" if first
                    else "tidak ada alamat yang dapat dipakai untuk balasan")
            shown = " ↵ ".join(line.strip() for line in cell.splitlines() if line.strip())
            yield MALFORMED_EMAIL.finding(plan.source, self.at_identity(plan, C.KEY_EMAIL),
                                          params=dict(value=_clip(shown, 80), used=used))


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"

# Single-workbook findings that only exist because the body is split over workbooks, and
# that the batch re-evaluates (or that a BAT code replaces, with the consolidated answer):
_SPLIT_SHEETS = {spec.sheet for spec in C.LEVELS[1:]}


def reconsider(findings: Sequence[Finding], plan: Plan, batch: Batch) -> list[Finding]:
    """A workbook's own findings, re-evaluated once every workbook of the body is known.

    With a body-level workbook and at least one office in the batch:

    * body workbook: a missing L2-L6 sheet (STR01) is Info, since the offices' rows are its
      L2-L6; "L1 not supported down to L5" (TAU06) is dropped, BAT03 answers it over the
      whole body;
    * office workbook: "L2 parent not found" (TAU01, Info for an OPD) is dropped, BAT02
      reports the parents that are really missing; "superior of the head of office missing
      or unknown" (PEM07/PEM08, Info for an OPD) is dropped, BAT13 checks it against the
      body's positions.

    Everything else is kept as the single validation found it.
    """
    if batch.body is None or not batch.offices:
        return list(findings)
    result = []
    for finding in findings:
        if plan is batch.body:
            if finding.code == "TAU06" and finding.level == 1:
                continue
            if (finding.code == "STR01" and finding.severity is Severity.GALAT
                    and finding.location.sheet in _SPLIT_SHEETS):
                finding = replace(finding, severity=Severity.INFO)
        elif finding.severity is Severity.INFO and (
                (finding.code == "TAU01" and finding.level == 2)
                or finding.code in ("PEM07", "PEM08")):
            continue
        result.append(finding)
    return result


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


def _nip(nip: str) -> str:
    return f" (NIP {nip})" if nip else ""
