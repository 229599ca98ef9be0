"""One workbook's run, from its raw sheets to what is written back.

raw sheets -> plan -> tree -> findings -> derived sheets and the edits of the input sheets.
The command line, the batch and the Excel buttons all walk this road; only how they read the
raw sheets and how they write the result differ.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace

from pohon_xl.core.annotate import validation_edits
from pohon_xl.core.capaian import DEFAULT_BANDS
from pohon_xl.core.link import Tree
from pohon_xl.core.validate import validate
from pohon_xl.errors import InputError
from pohon_xl.findings import Finding, Report
from pohon_xl.model.parse import parse_workbook
from pohon_xl.model.plan import Node, Plan, Position
from pohon_xl.model.raw import RawWorkbook, is_contract_workbook
from pohon_xl.sheets import SheetSpec, WorkbookEdits


def not_a_contract_workbook(source: str) -> InputError:
    who = f"{source}: bukan" if source else "Workbook ini bukan"
    return InputError(
        f"{who} workbook pohon kinerja (tidak ada sheet Identitas atau L1_Sasaran_Daerah … "
        "L6_RHK_Individu); mulai dari `pohon-xl template`."
    )


@dataclass
class WorkbookRun:
    """A checked workbook on its way to being written.

    ``derive``: whether the derived sheets are built (``turunkan``); :meth:`sheets` builds
    them one at a time, and :meth:`edits` — the `Status`/`Catatan Validasi` columns, the
    marks and `Laporan_Validasi` — then counts the derivations' findings too.
    """

    plan: Plan
    tree: Tree
    report: Report
    derive: bool = False
    # Positions of other workbooks this one's heads report to (the batch: the body's head),
    # known to the derivations, never written into this workbook's sheets.
    superiors: Sequence[Position] = ()
    # The batch names the workbook each finding belongs to; the derivations' findings too.
    finding_source: str = ""
    # The body-level workbook's L1 nodes (the batch, for an office's workbook without L1): the
    # derivations start the cascade at those its L2 hang under; never written into its sheets.
    body_l1: Sequence[Node] = ()
    derived: list[str] = field(default_factory=list)  # names of the sheets built so far
    # Rencana_Aksi / Realisasi -> what the last edits() did to them (derive only).
    filled: dict[str, str] = field(default_factory=dict)
    bands: tuple[float, ...] = DEFAULT_BANDS  # achievement categories (`--pita`)
    only: Sequence[str] = ()  # build these derived sheets only (`capaian`); empty: all

    def sheets(self) -> Iterator[SheetSpec]:
        """The derived sheets in the order they are built (none unless ``derive``); each is
        handed out as soon as it is built and not kept here."""
        if not self.derive:
            return
        from pohon_xl.core.derive.run import Derivations

        plan, tree = self.plan, self.tree
        if self.superiors:
            plan = replace(plan, positions=plan.positions + list(self.superiors))
        if self.superiors or self.body_l1:  # the workbook's own nodes first: they win an ID
            tree = Tree([*plan.nodes, *self.body_l1], plan.positions)
        derivations = Derivations(plan, tree, self.report, bands=self.bands, only=self.only)
        for spec in derivations:
            self.derived.append(spec.name)
            yield spec
            del spec  # not held while the next one is built
        extra = derivations.findings or []
        if self.finding_source:
            extra = [replace(f, source=self.finding_source) for f in extra]
        if extra:
            self.report = Report(self.report.findings + extra)

    def edits(self) -> WorkbookEdits:
        """What to write on the input sheets, and `Laporan_Validasi` (after :meth:`sheets`);
        with ``derive``, `Rencana_Aksi` and `Realisasi` too (added, or patched when present)."""
        edits = validation_edits(self.plan, self.report)
        if self.derive:
            from pohon_xl.core.filled.edits import filled_edits

            filled = filled_edits(self.plan, self.tree)
            for sheet in filled.sheets:  # a sheet written whole gets no status columns
                edits.status_columns.pop(sheet.name, None)
            edits.sheets += filled.sheets
            edits.values += filled.values
            self.filled = filled.said
        return edits

    def all_edits(self) -> WorkbookEdits:
        """The edits with every derived sheet in them, in the order of the file (for a writer
        that takes everything at once)."""
        from pohon_xl.core.derive.registry import DERIVED_SHEETS

        built = {spec.name: spec for spec in self.sheets()}
        edits = self.edits()
        edits.sheets.extend(built[name] for name in DERIVED_SHEETS if name in built)
        return edits


def run_workbook(raw: RawWorkbook, source: str = "", *, derive: bool = False,
                 nomenclature: dict[str, str] | None = None) -> WorkbookRun:
    """Parse and check the raw sheets of one workbook (raises InputError when they are not
    a workbook of the contract)."""
    if not is_contract_workbook(raw):
        raise not_a_contract_workbook(source)
    plan = parse_workbook(raw, source=source)
    report, tree = validate(plan, nomenclature)
    return WorkbookRun(plan, tree, report, derive)


def continue_run(plan: Plan, findings: Sequence[Finding], *, derive: bool = True,
                 superiors: Sequence[Position] = (), finding_source: str = "",
                 body_l1: Sequence[Node] = ()) -> WorkbookRun:
    """A run of a plan checked earlier, with the findings it has by now (the batch adds the
    cross-workbook findings between checking and writing)."""
    return WorkbookRun(plan, Tree(plan.nodes, plan.positions), Report(list(findings)), derive,
                       superiors, finding_source, body_l1=body_l1)
