"""What a planner pastes into xlwings Lite: ``main.py`` and ``requirements.txt``
(``pohon-xl lite -o DIR``).

pohon-xl is not on PyPI, and Lite installs ``requirements.txt`` from PyPI or Pyodide's own
repository (another package only from a URL the browser can fetch). So the part of pohon-xl
the buttons need — :mod:`pohon_xl.excel.lite` and every pohon-xl module it imports, found by
reading their ``import`` statements — travels inside ``main.py`` as a zip in base64, which
the script writes to Pyodide's in-memory file system and puts on ``sys.path``
(``zipimport``). The workbook then carries the core itself: nothing to host, nothing to
download but xlwings, which ``requirements.txt`` names.
"""

from __future__ import annotations

import ast
import base64
import hashlib
import io
import zipfile
from pathlib import Path

from pohon_xl import __version__

__all__ = ["ENTRY", "REQUIREMENTS", "bundle_modules", "bundle_zip", "main_script",
           "write_lite"]

ENTRY = "pohon_xl.excel.lite"
# xlwings >= 0.37.5: Range.set_colors. The core needs nothing else (its models are dataclasses).
REQUIREMENTS = ("xlwings>=0.37.5",)
_PACKAGE_ROOT = Path(__file__).resolve().parents[1]
_LINE = 100  # base64 characters per line of main.py


def _module_path(name: str) -> Path | None:
    parts = name.split(".")[1:]
    base = _PACKAGE_ROOT.joinpath(*parts)
    if (base / "__init__.py").is_file():
        return base / "__init__.py"
    file = base.with_suffix(".py")
    return file if file.is_file() else None


def _imports(name: str, path: Path) -> set[str]:
    """The pohon_xl modules a module imports anywhere (inside functions too)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{parent}.{base}" if base else parent
            found.add(base)
            found |= {f"{base}.{alias.name}" for alias in node.names}  # submodules
    return {n for n in found if n == "pohon_xl" or n.startswith("pohon_xl.")}


def bundle_modules(entry: str = ENTRY) -> dict[str, Path]:
    """Every pohon_xl module ``entry`` needs, with its parent packages: name -> source file."""
    seen: dict[str, Path] = {}
    todo = [entry]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        path = _module_path(name)
        if path is None:  # a name imported from a module, not a module
            continue
        seen[name] = path
        parts = name.split(".")
        todo += [".".join(parts[:i]) for i in range(1, len(parts))]
        todo += sorted(_imports(name, path))
    return dict(sorted(seen.items()))


def bundle_zip(entry: str = ENTRY) -> bytes:
    """The modules as a zip that ``zipimport`` reads; the same bytes for the same sources."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for path in bundle_modules(entry).values():
            info = zipfile.ZipInfo(path.relative_to(_PACKAGE_ROOT.parent).as_posix(),
                                   date_time=(2025, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, path.read_bytes())
    return buffer.getvalue()


_SCRIPT = '''\
"""pohon-xl {version} untuk xlwings Lite: tombol Validasi, Turunkan dan Buka Laporan.

Dibuat oleh `pohon-xl lite`; jangan diubah dengan tangan. Tempel seluruh isi berkas ini ke
main.py di xlwings Lite, dan isi requirements.txt ke tab requirements.txt. Panduan:
docs/excel.md. Inti pohon-xl ({size} KB) ada di bawah sebagai zip (base64), sehingga
workbook ini membawanya sendiri.
"""

import xlwings as xw


def _muat_pohon_xl() -> None:
    """Letakkan inti pohon-xl di sys.path (sistem berkas di memori Pyodide)."""
    import base64
    import os
    import sys
    import tempfile

    path = os.path.join(tempfile.gettempdir(), "pohon_xl-{version}-{digest}.zip")
    if not os.path.exists(path):
        with open(path, "wb") as file:
            file.write(base64.b64decode("".join(_PAKET)))
    loaded = sys.modules.get("pohon_xl")
    if loaded is not None and not str(getattr(loaded, "__file__", "")).startswith(path):
        for name in [n for n in sys.modules if n == "pohon_xl" or n.startswith("pohon_xl.")]:
            del sys.modules[name]  # another version was loaded before this one
    if path not in sys.path:
        sys.path.insert(0, path)


@xw.script(name="Validasi")
def validasi(book: xw.Book):
    """Periksa workbook; setiap masalah ditandai di selnya dan dicantumkan di Laporan_Validasi."""
    from pohon_xl.excel import lite

    lite.validasi(book)


@xw.script(name="Turunkan")
def turunkan(book: xw.Book):
    """Validasi, lalu tulis ulang PK, Program, Kegiatan, Subkegiatan, SKP dan sheet turunan lain."""
    from pohon_xl.excel import lite

    lite.turunkan(book)


@xw.script(name="Buka Laporan")
def buka_laporan(book: xw.Book):
    """Pindah ke sheet Laporan_Validasi."""
    from pohon_xl.excel import lite

    lite.buka_laporan(book)


_PAKET = (
{lines}
)

_muat_pohon_xl()
'''


def main_script(entry: str = ENTRY) -> str:
    """The ``main.py`` of xlwings Lite: the three scripts and the embedded core."""
    data = bundle_zip(entry)
    text = base64.b64encode(data).decode("ascii")
    lines = "\n".join(f'    "{text[i:i + _LINE]}"' for i in range(0, len(text), _LINE))
    return _SCRIPT.format(version=__version__, size=round(len(data) / 1024),
                          digest=hashlib.sha256(data).hexdigest()[:12], lines=lines)


def write_lite(directory: Path) -> list[Path]:
    """Write ``main.py`` and ``requirements.txt`` into ``directory``; return their paths."""
    directory.mkdir(parents=True, exist_ok=True)
    main = directory / "main.py"
    main.write_text(main_script(), encoding="utf-8")
    requirements = directory / "requirements.txt"
    requirements.write_text("".join(f"{line}\n" for line in REQUIREMENTS), encoding="utf-8")
    return [main, requirements]
