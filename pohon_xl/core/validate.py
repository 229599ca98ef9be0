"""Plan -> Report: link the tree, run every rule, collect every finding (lazy validation)."""

from __future__ import annotations

from pohon_xl.core.link import Tree
from pohon_xl.findings import Report
from pohon_xl.model.plan import Plan
from pohon_xl.rules.base import Context, run_rules


def validate(plan: Plan, nomenclature: dict[str, str] | None = None) -> tuple[Report, Tree]:
    tree = Tree(plan.nodes, plan.positions)
    ctx = Context(plan=plan, tree=tree, nomenclature=nomenclature)
    return Report(list(run_rules(ctx))), tree
