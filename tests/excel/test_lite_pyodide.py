"""The xlwings Lite scripts as Lite runs them: Python 3.14 in WebAssembly (Pyodide, under
Node), offline, from the ``main.py`` that ``pohon-xl lite`` writes.

One Pyodide boot runs every job (``lite_support/run_lite.mjs`` + ``harness.py``): each example
workbook — and the one with twelve typical mistakes — as xlwings' JSON payload, through
``@xw.script`` Validasi and Turunkan, the way the add-in calls them. The recorded actions are
applied to a copy of the file and compared cell by cell with ``pohon-xl validasi``/``turunkan``,
and with the actions CPython records for the same scripts.

Needs ``node``, the npm package ``pyodide`` and the Pyodide wheel of xlwings
in ``.lite/`` (``POHON_XL_LITE_DIR``), which ``.ci/run`` installs; without them the test is
skipped, except under CI (``POHON_XL_CI=1``), where it fails. The network is cut with
``unshare -rn`` where user namespaces are allowed.
"""

from __future__ import annotations

import copy
import json
import os
import shutil
import subprocess
import warnings
from pathlib import Path

import openpyxl
import pytest

os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")  # before xlwings is imported
xw = pytest.importorskip("xlwings")

from pohon_xl.excel import lite, lite_bundle  # noqa: E402
from pohon_xl.pipeline import process  # noqa: E402

from . import test_live as live_tests  # noqa: E402 - its comparison helpers, not its tests
from .live_support.applier import apply_actions  # noqa: E402
from .live_support.payload import ensure_remote_engine, payload_from_xlsx  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
LITE_DIR = Path(os.environ.get("POHON_XL_LITE_DIR", REPO / ".lite"))
RUNNER = Path(__file__).parent / "lite_support" / "run_lite.mjs"
EXAMPLES = sorted((REPO / "examples").glob("*.xlsx"))
assert any(p.name == "Pohon_Kinerja_Kesalahan_Umum.xlsx" for p in EXAMPLES)
SCRIPTS = ("validasi", "turunkan")
JOBS = [(path, script) for path in EXAMPLES for script in SCRIPTS]

pytestmark = pytest.mark.slow


def _missing() -> str | None:
    if shutil.which("node") is None:
        return "node (Node.js) tidak terpasang"
    if not (LITE_DIR / "node_modules" / "pyodide" / "pyodide.mjs").is_file():
        return f"paket npm pyodide tidak ada di {LITE_DIR}/node_modules (lihat .ci/run)"
    wheels = {p.name.split("-")[0].lower() for p in (LITE_DIR / "wheels").glob("*.whl")}
    lacking = {"xlwings"} - wheels
    if lacking:
        return f"wheel Pyodide tidak ada di {LITE_DIR}/wheels: {', '.join(sorted(lacking))}"
    return None


def _require() -> None:
    """Skip without node, Pyodide or the wheels; under CI (``POHON_XL_CI=1``) fail instead."""
    missing = _missing()
    if missing:
        if os.environ.get("POHON_XL_CI") == "1":
            pytest.fail(f"CI: {missing}")
        pytest.skip(missing)


def _offline_prefix() -> list[str]:
    """``unshare -rn``: a network namespace of its own, with nothing but loopback down."""
    probe = shutil.which("unshare") and subprocess.run(["unshare", "-rn", "true"],
                                                       capture_output=True)
    if probe and probe.returncode == 0:
        return ["unshare", "-rn"]
    warnings.warn("unshare -rn is not allowed here: Pyodide runs with the network on")
    return []


@pytest.fixture(scope="module")
def pyodide_run(tmp_path_factory) -> dict:
    _require()
    work = tmp_path_factory.mktemp("lite")
    (work / "main").mkdir()
    (work / "io").mkdir()
    lite_bundle.write_lite(work / "main")
    jobs = [{"id": f"{path.stem}:{script}", "script": script,
             "payload": payload_from_xlsx(path)} for path, script in JOBS]
    (work / "io" / "jobs.json").write_text(json.dumps(jobs), encoding="utf-8")
    done = subprocess.run([*_offline_prefix(), "node", str(RUNNER), str(LITE_DIR),
                           str(work / "main"), str(work / "io")],
                          capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads((work / "io" / "out.json").read_text(encoding="utf-8"))
    result["jobs"] = {job["id"]: job for job in result["jobs"]}
    result["payloads"] = {job["id"]: job["payload"] for job in jobs}
    return result


def test_the_scripts_run_in_pyodide_as_lite_lists_them(pyodide_run: dict) -> None:
    assert pyodide_run["platform"] == "emscripten"
    assert pyodide_run["version"].startswith("3.14")
    assert {s["function_name"]: s["name"] for s in pyodide_run["scripts"]} == {
        "validasi": "Validasi", "turunkan": "Turunkan", "buka_laporan": "Buka Laporan"}


def test_requirements_resolve_to_the_wheels_used() -> None:
    """Every line of requirements.txt is met by a Pyodide wheel from PyPI (what Lite's
    installer looks at first), so the tested set is the set a planner gets."""
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name, parse_wheel_filename

    _require()
    wheels = [parse_wheel_filename(p.name) for p in (LITE_DIR / "wheels").glob("*.whl")]
    for line in lite_bundle.REQUIREMENTS:
        requirement = Requirement(line)
        versions = [version for name, version, _, _ in wheels
                    if name == canonicalize_name(requirement.name)]
        assert any(v in requirement.specifier for v in versions), (line, versions)


@pytest.mark.parametrize("path, script", JOBS,
                         ids=[f"{p.stem}-{s}" for p, s in JOBS])
def test_pyodide_gives_the_cells_of_the_cli(pyodide_run: dict, path: Path, script: str,
                                            tmp_path: Path) -> None:
    job_id = f"{path.stem}:{script}"
    actions = pyodide_run["jobs"][job_id]["actions"]
    payload = pyodide_run["payloads"][job_id]
    derive = script == "turunkan"

    applier = apply_actions(path, tmp_path / "lite.xlsx", payload, actions)
    assert applier.unhandled == []
    cli = process(path, tmp_path / "cli.xlsx", derive=derive)
    live_tests.assert_same_as_cli(tmp_path / "lite.xlsx", tmp_path / "cli.xlsx",
                                  derived=list(cli.derived) if derive else [])
    (prompt, _, _, mode, _), = applier.alerts
    counts = cli.report.counts()
    galat = sum(n for s, n in counts.items() if s.value == "Galat")
    assert (f"{galat} Galat" in prompt) if galat else ("Tidak ada Galat" in prompt)
    assert mode == ("critical" if galat else "info")
    assert lite.ERROR_SHEET not in openpyxl.load_workbook(tmp_path / "lite.xlsx").sheetnames

    # and exactly the actions CPython records for the same script
    ensure_remote_engine()
    book = xw.Book(json=copy.deepcopy(payload))
    getattr(lite, script)(book)
    assert json.loads(json.dumps(book.json()["actions"], default=str)) == actions
