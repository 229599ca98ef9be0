"""Cross-workbook checks of a batch (group ``BAT``). Pure: plans in, findings out.

Each workbook is first validated alone, exactly as ``pohon-xl validasi`` would (where an L2
``ID Induk`` that the workbook does not hold is only an Info, since L2 parents live in the
body-level workbook). These checks then look at all the workbooks of the body together and
add findings, each tagged with the ``source`` (display name) of the workbook it concerns;
findings about the batch as a whole (no body workbook) have an empty ``source``.

``CATALOGUE`` lists every code with its severity, title, message template and suggestion.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace

from pohon_xl.core.link import Tree
from pohon_xl.findings import Finding, FindingType, Location, Severity
from pohon_xl.model import contract as C
from pohon_xl.model.plan import Node, Plan, Position

GROUP = ("BAT", "Batch: lintas workbook")
NO_BODY_NAME = "(belum dikirim)"


@dataclass(frozen=True)
class CrossRule(FindingType):
    def finding(self, source: str, location: Location = Location(), *, node_id: str = "",
                level: int = 0, **params: object) -> Finding:
        return self.make(location, node_id=node_id, level=level, source=source, **params)


DUPLICATE_ID = CrossRule(
    "BAT01", Severity.GALAT, "ID dipakai dua workbook",
    "ID '{id}' juga dipakai di {others}; tautan ID Induk ke ID ini menjadi rancu.",
    "ID harus unik di seluruh instansi: beri awalan kode perangkat daerah (mis. "
    "{prefix}-L3-01) dan sesuaikan ID Induk di bawahnya.",
)
L2_PARENT_NOT_IN_BODY = CrossRule(
    "BAT02", Severity.GALAT, "Induk L2 tidak ada di L1 instansi",
    "ID Induk '{parent}' tidak ditemukan di antara sasaran L1 workbook instansi ({body}).",
    "Isi ID Induk dengan ID sasaran daerah (L1) dari workbook instansi: {choices}.",
)
L1_UNSUPPORTED = CrossRule(
    "BAT03", Severity.PERINGATAN, "Sasaran L1 tidak didukung perangkat daerah sampai L5",
    "Sasaran daerah '{id}' ({sasaran}) tidak didukung sampai L5 oleh workbook perangkat daerah "
    "mana pun (terdalam: L{deepest}).",
    "Pastikan perangkat daerah yang bertanggung jawab mengisi sasaran L2 dengan ID Induk {id} "
    "dan menurunkannya sampai subkegiatan (L5).",
)
COLLABORATOR_ABSENT = CrossRule(
    "BAT04", Severity.PERINGATAN, "Kolaborator belum berkontribusi",
    "{code} tercantum sebagai Kolaborator sasaran '{id}', tetapi workbook {code} ({other}) "
    "tidak berisi sasaran di bawahnya.",
    "Koordinasikan dengan {code} agar menambahkan sasaran dengan ID Induk {id}, atau hapus "
    "{code} dari Kolaborator.",
)
COLLABORATOR_ASKED = CrossRule(
    "BAT05", Severity.INFO, "Diminta berkolaborasi",
    "Workbook {owner} mencantumkan {code} sebagai Kolaborator sasaran '{id}' ({sasaran}), "
    "tetapi workbook ini belum berisi sasaran di bawahnya.",
    "Tambahkan sasaran perangkat daerah Anda dengan ID Induk {id} bila memang berkontribusi, "
    "atau minta {owner} menghapus {code} dari Kolaborator.",
)
COLLABORATOR_UNKNOWN = CrossRule(
    "BAT06", Severity.INFO, "Kolaborator tidak dikenal",
    "Kolaborator '{code}' bukan kode perangkat daerah yang mengirim workbook dan bukan Kode "
    "Jabatan di workbook mana pun.",
    "Periksa ejaan kode; bila {code} berada di luar instansi (mis. kepolisian), abaikan.",
)
FOREIGN_OWNER = CrossRule(
    "BAT07", Severity.GALAT, "Sasaran milik jabatan perangkat daerah lain",
    "Pemilik Kinerja '{owner}' adalah jabatan di {other} ({name}), bukan jabatan di "
    "workbook ini; perangkat daerah hanya menyusun sasaran jabatannya sendiri.",
    "Hapus sasaran ini (biar {other} yang mengisinya) atau ganti pemiliknya dengan jabatan "
    "di sheet Jabatan workbook ini.",
)
OFFICE_DEFINES_L1 = CrossRule(
    "BAT08", Severity.GALAT, "Perangkat daerah mengisi L1",
    "Workbook perangkat daerah berisi sasaran daerah (L1) '{id}'; L1 ditetapkan di workbook "
    "instansi ({body}).",
    "Kosongkan sheet L1 di workbook ini; rujuk sasaran daerah lewat ID Induk di L2.",
)
POSITION_CONFLICT = CrossRule(
    "BAT09", Severity.GALAT, "Satu kode jabatan, dua jabatan",
    "Kode Jabatan '{code}' di sini adalah '{name}'{nip}, tetapi di {other} adalah "
    "'{other_name}'{other_nip}.",
    "Samakan data jabatan {code} dengan {other}, atau beri jabatan ini kode lain.",
)
NO_BODY = CrossRule(
    "BAT10", Severity.GALAT, "Workbook instansi tidak ada",
    "Tidak ada workbook tingkat instansi (Perangkat Daerah kosong) di antara {count} "
    "workbook yang terbaca; L2 perangkat daerah tidak dapat ditautkan ke sasaran daerah (L1).",
    "Sertakan workbook instansi (L1 dan Jabatan Kepala Daerah) di folder kotak masuk.",
)
EXTRA_BODY = CrossRule(
    "BAT11", Severity.GALAT, "Workbook instansi ganda",
    "Perangkat Daerah kosong sehingga workbook ini dianggap workbook instansi, padahal {body} "
    "sudah menjadi workbook instansi.",
    "Isi Perangkat Daerah dan Kode Perangkat Daerah di sheet Identitas, atau kirim hanya satu "
    "workbook instansi.",
)
DUPLICATE_OFFICE = CrossRule(
    "BAT12", Severity.PERINGATAN, "Dua workbook satu perangkat daerah",
    "Kode Perangkat Daerah '{code}' juga dipakai oleh {others}.",
    "Kirim satu workbook per perangkat daerah; periksa Kode Perangkat Daerah di Identitas.",
)

HEAD_WITHOUT_SUPERIOR = CrossRule(
    "BAT13", Severity.PERINGATAN, "Atasan kepala perangkat daerah tidak ditemukan",
    "Jabatan '{code}' ({name}) beratasan '{superior}', yang tidak ada di Jabatan workbook "
    "instansi ({body}) maupun workbook lain; PK-nya tidak memiliki pihak kedua.",
    "Isi Kode Jabatan Atasan dengan Kode Jabatan Kepala Daerah seperti di workbook instansi.",
)

CATALOGUE: tuple[CrossRule, ...] = (
    DUPLICATE_ID,
    L2_PARENT_NOT_IN_BODY,
    L1_UNSUPPORTED,
    COLLABORATOR_ABSENT,
    COLLABORATOR_ASKED,
    COLLABORATOR_UNKNOWN,
    FOREIGN_OWNER,
    OFFICE_DEFINES_L1,
    POSITION_CONFLICT,
    NO_BODY,
    EXTRA_BODY,
    DUPLICATE_OFFICE,
    HEAD_WITHOUT_SUPERIOR,
)


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
        return self.body.source if self.body else NO_BODY_NAME


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
            yield NO_BODY.finding("", count=len(self.batch.offices))
        for plan in self.batch.extra_bodies:
            yield EXTRA_BODY.finding(plan.source, self.at_identity(plan, C.KEY_PERANGKAT_DAERAH),
                                     body=self.batch.body_name)

    def duplicate_offices(self) -> Iterator[Finding]:
        for plans in self.codes.values():
            for plan in plans[1:]:
                others = ", ".join(p.source for p in plans if p is not plan)
                yield DUPLICATE_OFFICE.finding(plan.source, self.at_identity(plan, C.KEY_KODE_PD),
                                               code=office_code(plan), others=others)

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
                others = "; ".join(f"{p.source} ({n.sheet} baris {n.row})"
                                   for p, n in places if p is not plan)
                prefix = office_code(plan) or "OPD"
                yield DUPLICATE_ID.finding(plan.source, self.at_node(plan, node, C.ID),
                                           node_id=node.id, level=node.level, id=node_id,
                                           others=others, prefix=prefix)

    def office_l1(self) -> Iterator[Finding]:
        for plan in self.batch.offices:
            if any(plan is extra for extra in self.batch.extra_bodies):
                continue  # a second body-level workbook: BAT11 says what is wrong with it
            for node in plan.nodes_on(1):
                yield OFFICE_DEFINES_L1.finding(plan.source, self.at_node(plan, node, C.ID),
                                                node_id=node.id, level=1,
                                                id=node.id or node.sasaran,
                                                body=self.batch.body_name)

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
                    level=2, parent=parent, body=self.batch.body_name, choices=choices,
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
                                             node_id=node.id, level=1, id=node.id,
                                             sasaran=node.sasaran, deepest=depth)

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
                                node_id=node.id, level=node.level, code=code)
                        continue
                    below = {id(self.plan_of.get(id(d))) for d in self.tree.whole.descendants(node)}
                    if any(id(p) in below for p in partners):
                        continue
                    other = ", ".join(p.source for p in partners)
                    yield COLLABORATOR_ABSENT.finding(
                        plan.source, self.at_node(plan, node, C.KOLABORATOR), node_id=node.id,
                        level=node.level, code=code, id=node.id, other=other)
                    for partner in partners:
                        yield COLLABORATOR_ASKED.finding(
                            partner.source, self.at_identity(partner, C.KEY_KODE_PD),
                            node_id=node.id, code=code, id=node.id, sasaran=node.sasaran,
                            owner=plan.source)

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
                    level=node.level, owner=node.owner, other=other.source,
                    name=position.name or position.code)

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
                    plan.source, self.at_position(plan, position, column), code=code,
                    name=position.name, nip=_nip(position.nip), other=first_plan.source,
                    other_name=first.name, other_nip=_nip(first.nip))


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
                    code=position.code, name=position.name or position.code,
                    superior=position.superior or "(kosong)", body=self.batch.body_name)


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
