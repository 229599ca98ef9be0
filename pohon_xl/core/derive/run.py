"""All derivations in one call: the plan, its tree and its report -> the derived sheets."""

from __future__ import annotations

from pohon_xl.core.derive import findings as F
from pohon_xl.core.derive.common import Derivation
from pohon_xl.core.derive.matriks import matriks
from pohon_xl.core.derive.pk import pk
from pohon_xl.core.derive.pohon import pohon_sheet
from pohon_xl.core.derive.program import kegiatan, program, subkegiatan
from pohon_xl.core.derive.ringkasan import ringkasan
from pohon_xl.core.derive.skp import skp
from pohon_xl.core.link import Tree
from pohon_xl.findings import Finding, Report
from pohon_xl.model import contract as C
from pohon_xl.model.plan import Plan
from pohon_xl.sheets import SheetSpec


def derive_all(plan: Plan, tree: Tree, report: Report) -> tuple[list[SheetSpec], list[Finding]]:
    """The derived sheets in the contract's order, and the derivation findings (TUR…).

    Nodes with a Galat in ``report`` are left out of every sheet (listed in Ringkasan).
    The findings are returned sorted and without duplicates; Ringkasan counts them together
    with the report's.
    """
    ctx = Derivation(plan, tree, report)
    if ctx.pk_year is None:
        row = plan.identity.rows.get(C.KEY_TAHUN_PK, 0)
        ctx.findings.append(F.NO_PK_YEAR.at(_identitas(plan), row, C.KEY_TAHUN_PK, 2))
    sheets = {
        C.PROGRAM: program(ctx),
        C.KEGIATAN: kegiatan(ctx),
        C.SUBKEGIATAN: subkegiatan(ctx),
        C.SKP: skp(ctx),
        C.PK: pk(ctx),
        C.MATRIKS: matriks(ctx),
    }
    findings = Report(ctx.findings).findings
    sheets[C.RINGKASAN] = ringkasan(ctx, report.findings + findings)
    sheets[C.POHON] = pohon_sheet(plan, tree, report)
    return [sheets[name] for name in C.DERIVED_SHEETS], findings


def _identitas(plan: Plan) -> str:
    info = plan.sheets.get(C.IDENTITAS)
    return info.name if info and info.present else C.IDENTITAS

