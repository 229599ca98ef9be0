"""All derivations: the plan, its tree and its report -> the derived sheets.

:class:`Derivations` hands the sheets out one at a time, so that a writer can render each
and let it go before the next is built (a 100k-row workbook's sheets together take
gigabytes); :func:`derive_all` collects them all.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial

from pohon_xl.core.derive import findings as F
from pohon_xl.core.derive.common import Derivation
from pohon_xl.core.derive.matriks import matriks
from pohon_xl.core.derive.pk import pk
from pohon_xl.core.derive.pohon import pohon_sheet
from pohon_xl.core.derive.program import kegiatan, program, subkegiatan
from pohon_xl.core.derive.ringkasan import ringkasan
from pohon_xl.core.derive.skp import skp
from pohon_xl.core.derive.skp_form import skp_form
from pohon_xl.core.link import Tree
from pohon_xl.findings import Finding, Report
from pohon_xl.model import contract as C
from pohon_xl.model.plan import Plan
from pohon_xl.sheets import SheetSpec

# The order the sheets are built in. Pohon, the largest by far and independent of the
# others, comes first, while the least memory is in use (what it frees is reused by the
# rest); Ringkasan counts the findings of those before it.
BUILD_ORDER = (C.POHON, C.PROGRAM, C.KEGIATAN, C.SUBKEGIATAN, C.SKP, C.SKP_FORMULIR, C.PK,
               C.MATRIKS, C.RINGKASAN)


class Derivations:
    """The derived sheets, built one at a time in :data:`BUILD_ORDER` by iterating (once).

    Nodes with a Galat in ``report`` are left out of every sheet (listed in Ringkasan).
    :attr:`findings` — the derivation findings (TUR…), sorted and without duplicates — is
    complete once Ringkasan has been handed out, and None before.
    """

    def __init__(self, plan: Plan, tree: Tree, report: Report) -> None:
        self.plan, self.tree, self.report = plan, tree, report
        self.findings: list[Finding] | None = None
        self._apart = False

    # Built apart on request: they need nothing of the others and find nothing.
    APART = (C.POHON, C.SKP, C.MATRIKS)

    def apart(self) -> list[Callable[[], SheetSpec]]:
        """The builds of :attr:`APART`, taken out of the iteration: a caller may run them
        elsewhere, e.g. on another core."""
        self._apart = True
        args = (self.plan, self.tree, self.report)
        return [partial(pohon_sheet, *args), partial(_alone, skp, *args),
                partial(_alone, matriks, *args)]

    def __iter__(self) -> Iterator[SheetSpec]:
        plan, tree, report = self.plan, self.tree, self.report
        if not self._apart:
            yield pohon_sheet(plan, tree, report)
        ctx = Derivation(plan, tree, report)
        if ctx.pk_year is None:
            row = plan.identity.rows.get(C.KEY_TAHUN_PK, 0)
            ctx.findings.append(F.NO_PK_YEAR.at(_identitas(plan), row, C.KEY_TAHUN_PK, 2))
        for build in (program, kegiatan, subkegiatan, skp, skp_form, pk, matriks):
            if not (self._apart and build in (skp, matriks)):
                yield build(ctx)
        self.findings = Report(ctx.findings).findings
        yield ringkasan(ctx, report.findings + self.findings)


def derive_all(plan: Plan, tree: Tree, report: Report) -> tuple[list[SheetSpec], list[Finding]]:
    """The derived sheets in the contract's order, and the derivation findings (TUR…).

    Nodes with a Galat in ``report`` are left out of every sheet (listed in Ringkasan).
    The findings are returned sorted and without duplicates; Ringkasan counts them together
    with the report's.
    """
    derivations = Derivations(plan, tree, report)
    sheets = dict(zip(BUILD_ORDER, derivations, strict=True))
    assert derivations.findings is not None
    return [sheets[name] for name in C.DERIVED_SHEETS], derivations.findings


def _alone(build: Callable[[Derivation], SheetSpec], plan: Plan, tree: Tree, report: Report
           ) -> SheetSpec:
    return build(Derivation(plan, tree, report))  # it adds no findings: none are lost


def _identitas(plan: Plan) -> str:
    info = plan.sheets.get(C.IDENTITAS)
    return info.name if info and info.present else C.IDENTITAS
