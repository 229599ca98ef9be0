"""Render the tree pictures with Graphviz: DOT (from the pure core) -> .svg, .png or .pdf.

The only module that runs `dot`. The CLI's ``pohon-xl gambar`` calls :func:`render_tree`.
"""

from __future__ import annotations

import io
import math
import shutil
import subprocess
from pathlib import Path

from pohon_xl.core.derive.graph import MAX_NODES, dot_sources
from pohon_xl.core.link import Tree
from pohon_xl.errors import InputError
from pohon_xl.findings import Report
from pohon_xl.model.plan import Plan

__all__ = ["FORMATS", "find_dot", "output_format", "render_dot", "render_tree"]

FORMATS = {".svg": "svg", ".png": "png", ".pdf": "pdf"}
PNG_DPI = 144
A3 = (1190.55, 841.89)  # points, landscape: the pages a PDF picture is cut into
TIMEOUT = 300  # seconds per picture

_INSTALL_HINT = (
    "Program Graphviz (`dot`) belum terpasang atau tidak ada di PATH; pasang dari "
    "https://graphviz.org/download/ (Windows: installer, centang \"Add Graphviz to the system "
    "PATH\"; Debian/Ubuntu: sudo apt install graphviz; macOS: brew install graphviz), lalu "
    "jalankan lagi."
)


def find_dot() -> str:
    """The path of Graphviz's `dot`, or an InputError saying how to install it."""
    found = shutil.which("dot")
    if not found:
        raise InputError(_INSTALL_HINT)
    return found


def output_format(out: Path) -> str:
    fmt = FORMATS.get(out.suffix.lower())
    if fmt is None:
        shown = out.suffix or "(tanpa akhiran)"
        raise InputError(
            f"Format gambar {shown} tidak dikenal; gunakan nama berkas berakhiran .svg, .png "
            "atau .pdf (mis. -o pohon.svg)."
        )
    return fmt


def render_dot(source: str, fmt: str, dot: str | None = None) -> bytes:
    """Run `dot` on a DOT source; returns the picture's bytes."""
    command = [dot or find_dot(), f"-T{fmt}"]
    if fmt == "png":
        command.append(f"-Gdpi={PNG_DPI}")
    try:
        done = subprocess.run(
            command, input=source.encode("utf-8"), capture_output=True, timeout=TIMEOUT,
            check=False,
        )
    except FileNotFoundError:
        raise InputError(_INSTALL_HINT) from None
    except subprocess.TimeoutExpired:
        raise InputError(
            f"Graphviz tidak selesai dalam {TIMEOUT} detik; gambar bagian yang lebih kecil "
            "dengan --dari ID atau --sampai LEVEL."
        ) from None
    if done.returncode != 0 or not done.stdout:
        reason = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise InputError(
            "Graphviz gagal menggambar pohon" + (f": {reason[-1]}" if reason else ".")
        )
    return done.stdout


def render_tree(
    plan: Plan,
    tree: Tree,
    report: Report,
    out: Path,
    from_id: str | None = None,
    to_level: int | str | None = None,
    max_nodes: int | None = MAX_NODES,
    poster: bool = False,
) -> list[Path]:
    """Write the tree picture(s) to ``out`` (.svg, .png or .pdf); returns the files written.

    A PDF is cut into A3 pages (:func:`paginate`), or with ``poster`` kept one page.

    A tree of more than ``max_nodes`` nodes becomes one picture per L1 (or L2 …) subtree,
    written as ``name-1.svg``, ``name-2.svg`` … beside ``out``.
    """
    out = Path(out)
    fmt = output_format(out)
    dot = find_dot()
    sources = dot_sources(
        plan, tree, report, from_id=from_id, to_level=to_level, max_nodes=max_nodes
    )
    if len(sources) == 1:
        targets = [out]
    else:
        targets = [out.with_name(f"{out.stem}-{i}{out.suffix}") for i in range(1, len(sources) + 1)]
    out.parent.mkdir(parents=True, exist_ok=True)
    for source, target in zip(sources, targets):
        picture = render_dot(source, fmt, dot)
        target.write_bytes(paginate(picture) if fmt == "pdf" and not poster else picture)
    return targets


def paginate(pdf: bytes, page: tuple[float, float] = A3) -> bytes:
    """A one-page PDF picture cut into A3 pages at its full size (left to right, then top
    to bottom; portrait for a tall picture), centred on them, so its text prints at the
    size it was drawn; a picture that fits one page is left as it is."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import RectangleObject

    source = PdfReader(io.BytesIO(pdf)).pages[0]
    box = source.mediabox
    width, height = float(box.width), float(box.height)
    def count(size: tuple[float, float]) -> int:
        return math.ceil(width / size[0]) * math.ceil(height / size[1])

    # The orientation that takes fewer pages; on a tie, the picture's own.
    turned = (page[1], page[0])
    page_width, page_height = min((page, turned) if width >= height else (turned, page),
                                  key=count)
    across, down = math.ceil(width / page_width), math.ceil(height / page_height)
    if across * down == 1:
        return pdf
    left = float(box.left) - (across * page_width - width) / 2
    top = float(box.top) + (down * page_height - height) / 2
    writer = PdfWriter()
    for row in range(down):
        for column in range(across):
            tile = writer.add_page(source)
            x, y = left + column * page_width, top - (row + 1) * page_height
            tile.mediabox = RectangleObject((x, y, x + page_width, y + page_height))
            tile.cropbox = RectangleObject((x, y, x + page_width, y + page_height))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
