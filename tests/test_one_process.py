"""Issue 12's rule: one process. Nothing in the package forks or switches the garbage
collector; the batch's pool (standard library, the platform's start method) is the only
place that makes processes."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "pohon_xl"
FORBIDDEN_CALLS = {("os", "fork"), ("os", "forkpty"), ("gc", "disable"), ("gc", "enable"),
                   ("gc", "freeze"), ("gc", "set_threshold")}
POOL = {PACKAGE / "batch" / "runners.py"}  # where worker processes may be started


def _calls(tree: ast.AST) -> set[tuple[str, str]]:
    return {(node.value.id, node.attr) for node in ast.walk(tree)
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)}


def _imports(tree: ast.AST) -> set[str]:
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_no_fork_and_no_gc_switching() -> None:
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        found = _calls(tree) & FORBIDDEN_CALLS
        if "gc" in _imports(tree):
            found.add(("import", "gc"))
        if found:
            offenders.append(f"{path.relative_to(PACKAGE)}: {sorted(found)}")
    assert offenders == []


def _starts_processes(tree: ast.AST) -> bool:
    """Imports multiprocessing or names a process pool (threads are allowed: the writer
    deflates large parts on a thread)."""
    named = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
    named |= {alias.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
              for alias in node.names}
    return "multiprocessing" in _imports(tree) or "ProcessPoolExecutor" in named


def test_only_the_batch_pool_starts_processes() -> None:
    found = [path.relative_to(PACKAGE).as_posix() for path in sorted(PACKAGE.rglob("*.py"))
             if _starts_processes(ast.parse(path.read_text(encoding="utf-8")))]
    assert found == [path.relative_to(PACKAGE).as_posix() for path in sorted(POOL)]


def test_the_checks_see_what_they_look_for() -> None:
    """The scanners are not blind: a module that forks and pauses the collector is caught."""
    tree = ast.parse("import gc, os\ngc.disable()\nos.fork()\n"
                     "from concurrent.futures import ProcessPoolExecutor\n")
    assert _calls(tree) & FORBIDDEN_CALLS == {("gc", "disable"), ("os", "fork")}
    assert "gc" in _imports(tree) and _starts_processes(tree)
    assert not _starts_processes(ast.parse("from concurrent.futures import ThreadPoolExecutor"))
