"""The registry of derived sheets is complete: every builder in ``core/derive`` is registered,
and every registered sheet is built, under its own name, in the file's order."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from pathlib import Path

import pohon_xl.core.derive as derive_package
from pohon_xl.core.derive.common import Derivation
from pohon_xl.core.derive.registry import DERIVED_SHEETS, REGISTRY
from pohon_xl.core.run import WorkbookRun
from pohon_xl.pipeline import read_run
from pohon_xl.model import contract as C
from pohon_xl.sheets import SheetSpec
from tests.capaian.builders import with_realisation

EXAMPLE = Path(__file__).parents[2] / "examples" / "Pohon_Kinerja_Kemacetan.xlsx"


def _builders() -> dict[str, object]:
    """Every public function of the derive modules that takes a Derivation and returns a
    SheetSpec: a sheet builder."""
    found = {}
    for info in pkgutil.iter_modules(derive_package.__path__):
        module = importlib.import_module(f"{derive_package.__name__}.{info.name}")
        for name, func in inspect.getmembers(module, inspect.isfunction):
            if name.startswith("_") or func.__module__ != module.__name__:
                continue
            hints = inspect.get_annotations(func, eval_str=True)
            params = [p for p in inspect.signature(func).parameters.values()]
            if (hints.get("return") is SheetSpec and len(params) == 1
                    and hints.get(params[0].name) is Derivation):
                found[f"{module.__name__}.{name}"] = func
    return found


def test_every_builder_is_registered():
    registered = {id(sheet.build) for sheet in REGISTRY}
    unregistered = [name for name, func in _builders().items() if id(func) not in registered]
    assert unregistered == [], "built but not registered: add a line to core/derive/registry.py"


def test_names_and_positions_are_unique():
    assert len({s.name for s in REGISTRY}) == len(REGISTRY)
    assert len({s.position for s in REGISTRY}) == len(REGISTRY)
    assert sorted(DERIVED_SHEETS) == sorted(s.name for s in REGISTRY)


def test_every_registered_sheet_is_built_under_its_name(tmp_path):
    run = read_run(with_realisation(tmp_path / "realisasi.xlsx"), derive=True)
    built = [spec.name for spec in run.sheets()]
    assert built == [s.name for s in REGISTRY]
    assert run.derived == built


def test_a_conditional_sheet_is_built_only_when_its_condition_holds():
    run = read_run(EXAMPLE, derive=True)
    built = [spec.name for spec in run.sheets()]
    assert built == [s.name for s in REGISTRY if s.when is None]
    assert {s.name for s in REGISTRY if s.when is not None} == {C.CAPAIAN_KINERJA, C.LKJIP}


def test_validasi_builds_no_sheet():
    run = read_run(EXAMPLE)
    assert isinstance(run, WorkbookRun) and list(run.sheets()) == []
    assert [s.name for s in run.all_edits().sheets] == ["Laporan_Validasi"]
