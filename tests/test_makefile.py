"""The Makefile's first hour: the Python check, a venv made again when it is stale, `make clean`.

`make` runs for real, in a copy of the Makefile, with stand-in interpreters: shell scripts that
answer ``--version`` like a given Python, make a "venv" holding a copy of themselves and log
what pip is asked to do, so no test downloads anything.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="make not found")

FAKE_PYTHON = """#!/bin/sh
case "$1" in
  --version) echo "Python {version}" ;;
  -m) case "$2" in
        venv) mkdir -p "$3/bin" && cp "$0" "$3/bin/python" ;;
        pip) echo "$*" >> "$(dirname "$0")/../../pip.log" ;;
        *) exit 1 ;;
      esac ;;
  *) exit 1 ;;
esac
"""


def fake_python(path: Path, version: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(FAKE_PYTHON.format(version=version))
    path.chmod(0o755)
    return path


@pytest.fixture
def project(tmp_path: Path) -> Path:
    for name in ("Makefile", "pyproject.toml"):
        shutil.copy(REPO / name, tmp_path / name)
    return tmp_path


def make(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["make", "--no-print-directory", *args], cwd=project,
                          capture_output=True, text=True, timeout=60)


def pip_calls(project: Path) -> list[str]:
    log = project / "pip.log"
    return log.read_text().splitlines() if log.exists() else []


def test_an_old_python_is_refused_before_anything_is_made(project: Path):
    old = fake_python(project / "py310" / "python3", "3.10.12")
    done = make(project, "setup", f"PYTHON={old}")
    assert done.returncode != 0
    assert "pohon-xl memerlukan Python 3.11 atau lebih baru" in done.stderr
    assert "pohon-xl needs Python 3.11 or newer" in done.stderr
    assert "'" + str(old) + "' adalah Python 3.10.12." in done.stderr
    assert not (project / ".venv").exists()


def test_a_missing_python_is_named(project: Path):
    done = make(project, "setup", "PYTHON=python-yang-tidak-ada")
    assert done.returncode != 0
    assert "'python-yang-tidak-ada' tidak ditemukan" in done.stderr
    assert "'python-yang-tidak-ada' was not found" in done.stderr


def test_a_venv_of_an_older_python_is_made_again(project: Path):
    fake_python(project / ".venv" / "bin" / "python", "3.10.12")
    (project / ".venv" / "lib" / "python3.10").mkdir(parents=True)
    (project / ".venv" / ".installed").touch()  # even a stamp: the venv's Python decides
    new = fake_python(project / "py311" / "python3", "3.11.7")
    done = make(project, "setup", f"PYTHON={new}")
    assert done.returncode == 0, done.stderr
    assert not (project / ".venv" / "lib" / "python3.10").exists()
    venv_python = (project / ".venv" / "bin" / "python").read_text()
    assert "Python 3.11.7" in venv_python
    assert any("install --quiet -e .[test,graph]" in c for c in pip_calls(project))
    assert (project / ".venv" / ".installed").exists()
    # made once: the next run has nothing to do
    calls = len(pip_calls(project))
    assert make(project, "setup", f"PYTHON={new}").returncode == 0
    assert len(pip_calls(project)) == calls


def test_a_half_made_venv_is_finished_not_trusted(project: Path):
    fake_python(project / ".venv" / "bin" / "python", "3.12.1")  # pip failed: no stamp
    (project / ".venv" / "kept").touch()
    new = fake_python(project / "py312" / "python3", "3.12.1")
    done = make(project, "setup", f"PYTHON={new}")
    assert done.returncode == 0, done.stderr
    assert (project / ".venv" / "kept").exists()  # the right Python's venv is reused
    assert any("install --quiet -e .[test,graph]" in c for c in pip_calls(project))
    assert (project / ".venv" / ".installed").exists()


def test_clean_removes_what_setup_demo_and_test_made(project: Path):
    made = [".venv/bin", "out", "build/lib", "dist", "pohon_xl.egg-info", ".pytest_cache",
            "pohon_xl/__pycache__", "tests/batch/__pycache__"]
    for folder in made:
        (project / folder).mkdir(parents=True)
    (project / "pohon_xl" / "cli.py").touch()
    done = make(project, "clean")
    assert done.returncode == 0, done.stderr
    assert [f for f in made if (project / f).exists()] == []
    assert (project / "pohon_xl" / "cli.py").exists()
    assert (project / "Makefile").exists() and (project / "pyproject.toml").exists()
