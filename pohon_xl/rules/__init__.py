"""Validation rules, one module per group; importing this package registers them all.

Groups (code prefix): STR structure, IDN identity, TAU links of the tree, NIL values and
targets, PEM owners, NOM nomenclature, ANG budget, KUA quality of wording, RAK the sheets people fill after the plan
(`Rencana_Aksi`, `Realisasi`). Codes are stable:
a retired code is never reused. ``python -m pohon_xl.rules.catalog`` writes ``docs/aturan.md``.
"""

from pohon_xl.rules import (  # noqa: F401
    budget,
    cycle,
    identity,
    linkage,
    nomenclature,
    owners,
    quality,
    structure,
    values,
)
