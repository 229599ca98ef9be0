"""The derived sheets, declared once: name, builder and place in the file.

Adding a derived sheet is a new module with a builder ``(Derivation) -> SheetSpec`` and one
line here; the contract's list (:data:`DERIVED_SHEETS`), the writers and the test that every
builder is registered follow from it. A sheet that only some workbooks call for names its
condition (``when``: the achievement sheets need realisation); the others are always built.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from pohon_xl.core.derive.capaian import capaian_kinerja, has_realisation
from pohon_xl.core.derive.common import Derivation
from pohon_xl.core.derive.evaluasi import evaluasi_cascading
from pohon_xl.core.derive.lkjip import lkjip
from pohon_xl.core.derive.matriks import matriks
from pohon_xl.core.derive.pk import pk
from pohon_xl.core.derive.pohon import pohon
from pohon_xl.core.derive.program import kegiatan, program, subkegiatan
from pohon_xl.core.derive.ringkasan import ringkasan
from pohon_xl.core.derive.skp import skp
from pohon_xl.core.derive.skp_form import skp_form
from pohon_xl.model import contract as C
from pohon_xl.model.plan import Plan
from pohon_xl.sheets import SheetSpec


@dataclass(frozen=True)
class DerivedSheet:
    name: str
    build: Callable[[Derivation], SheetSpec]
    position: int  # its place in the file among the derived sheets (lower comes first)
    when: Callable[[Plan], bool] | None = None  # built only for plans it holds for

    def wanted(self, plan: Plan) -> bool:
        return self.when is None or self.when(plan)


# In the order the sheets are built. Pohon, the largest by far and independent of the others,
# comes first, while the least memory is in use; Ringkasan counts the findings of all the
# others, so it comes last (the achievement sheets find nothing, so they come before it).
REGISTRY: tuple[DerivedSheet, ...] = (
    DerivedSheet(C.POHON, pohon, 80),
    DerivedSheet(C.PROGRAM, program, 20),
    DerivedSheet(C.KEGIATAN, kegiatan, 30),
    DerivedSheet(C.SUBKEGIATAN, subkegiatan, 40),
    DerivedSheet(C.SKP, skp, 50),
    DerivedSheet(C.SKP_FORMULIR, skp_form, 55),
    DerivedSheet(C.PK, pk, 10),
    DerivedSheet(C.MATRIKS, matriks, 60),
    DerivedSheet(C.EVALUASI_CASCADING, evaluasi_cascading, 65),
    DerivedSheet(C.CAPAIAN_KINERJA, capaian_kinerja, 64, when=has_realisation),
    DerivedSheet(C.LKJIP, lkjip, 66, when=has_realisation),
    DerivedSheet(C.RINGKASAN, ringkasan, 70),
)

# Only the achievement sheets (`pohon-xl capaian`).
CAPAIAN_SHEETS: tuple[str, ...] = (C.CAPAIAN_KINERJA, C.LKJIP)

# The derived sheets in the order they stand in the file.
DERIVED_SHEETS: tuple[str, ...] = tuple(
    sheet.name for sheet in sorted(REGISTRY, key=lambda sheet: sheet.position))
