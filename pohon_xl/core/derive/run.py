"""All derivations: the plan, its tree and its report -> the derived sheets.

:class:`Derivations` hands the sheets of :data:`~pohon_xl.core.derive.registry.REGISTRY` out
one at a time, so that a writer can render each and let it go before the next is built (a
100k-row workbook's sheets together take gigabytes); :func:`derive_all` collects them all.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from pohon_xl.core.capaian import DEFAULT_BANDS
from pohon_xl.core.derive import findings as F
from pohon_xl.core.derive.common import Derivation
from pohon_xl.core.derive.registry import DERIVED_SHEETS, REGISTRY
from pohon_xl.core.link import Tree
from pohon_xl.findings import Finding, Report
from pohon_xl.model import contract as C
from pohon_xl.model.plan import Plan
from pohon_xl.sheets import SheetSpec


class Derivations:
    """The derived sheets, built one at a time in the registry's order by iterating (once).

    Nodes with a Galat in ``report`` are left out of every sheet (listed in Ringkasan).
    :attr:`findings` — the derivation findings (TUR…), sorted and without duplicates — is
    complete once the last sheet has been handed out, and None before.
    """

    def __init__(self, plan: Plan, tree: Tree, report: Report,
                 offices: dict[int, str] | None = None, *,
                 bands: tuple[float, ...] = DEFAULT_BANDS, only: Sequence[str] = ()) -> None:
        self.plan, self.tree, self.report = plan, tree, report
        self.offices = offices or {}  # id(node) -> its office (the consolidation)
        self.bands = bands  # achievement categories (`--pita`)
        self.only = set(only)  # these sheets only (`pohon-xl capaian`); empty: all
        self.findings: list[Finding] | None = None

    def __iter__(self) -> Iterator[SheetSpec]:
        ctx = Derivation(self.plan, self.tree, self.report, offices=self.offices,
                         bands=self.bands)
        if ctx.pk_year is None:
            row = self.plan.identity.rows.get(C.KEY_TAHUN_PK, 0)
            ctx.findings.append(F.NO_PK_YEAR.at(_identitas(self.plan), row, C.KEY_TAHUN_PK, 2))
        for sheet in REGISTRY:
            if sheet.wanted(self.plan) and (not self.only or sheet.name in self.only):
                yield sheet.build(ctx)
        self.findings = Report(ctx.findings).findings


def derive_all(plan: Plan, tree: Tree, report: Report, offices: dict[int, str] | None = None
               ) -> tuple[list[SheetSpec], list[Finding]]:
    """The derived sheets in the order of the file, and the derivation findings (TUR…).

    ``offices`` (id(node) -> its office; the consolidation) makes the Renstra matrices per
    office, with an office column and a total row.

    Nodes with a Galat in ``report`` are left out of every sheet (listed in Ringkasan);
    a sheet whose condition the plan does not meet (the achievement sheets without
    realisation) is not built. The findings are returned sorted and without duplicates; Ringkasan counts them together
    with the report's.
    """
    derivations = Derivations(plan, tree, report, offices)
    sheets = {sheet.name: sheet for sheet in derivations}
    assert derivations.findings is not None
    return [sheets[name] for name in DERIVED_SHEETS if name in sheets], derivations.findings


def _identitas(plan: Plan) -> str:
    info = plan.sheets.get(C.IDENTITAS)
    return info.name if info and info.present else C.IDENTITAS
