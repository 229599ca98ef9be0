"""The bundled inbox ``examples/kotak_masuk/`` for ``pohon-xl batch``, as described by
``pohon_xl/data/examples/kotak_masuk.yml``: each workbook is an example of
:mod:`pohon_xl.excel.examples`, written as a file, inside a ``.zip``, attached to a saved
e-mail (``.eml``) or cut off (a broken file). Every byte is fixed, so regenerating changes
nothing.
"""

from __future__ import annotations

import io
import tempfile
import zipfile
from collections.abc import Mapping
from email.message import EmailMessage
from pathlib import Path

from pohon_xl.excel.examples import EXAMPLES_DIR, build_example, data_file, load_example
from pohon_xl.excel.template import FIXED_TIMESTAMP, save_workbook

XLSX_TYPE = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
BOUNDARY = "=_pohon-kinerja-contoh_="


def workbook_bytes(name: str) -> tuple[str, bytes]:
    """An example's file name and bytes."""
    example = load_example(name)
    with tempfile.TemporaryDirectory() as tmp:
        path = save_workbook(build_example(example), Path(tmp) / example.filename)
        return example.filename, path.read_bytes()


def zipped(filename: str, content: bytes) -> bytes:
    """A ``.zip`` holding the workbook (a fixed date, as the workbooks' own members)."""
    info = zipfile.ZipInfo(filename, date_time=FIXED_TIMESTAMP.timetuple()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(info, content)
    return buffer.getvalue()


def mailed(headers: Mapping[str, str], filename: str, content: bytes) -> bytes:
    """A saved e-mail with the workbook attached (a fixed MIME boundary)."""
    message = EmailMessage()
    for key in ("From", "To", "Date", "Subject", "Message-ID"):
        message[key] = headers[key]
    message.set_content(headers["body"])
    message.add_attachment(content, *XLSX_TYPE, filename=filename)
    message.set_boundary(BOUNDARY)
    return message.as_bytes()


def write_inbox(directory: str | Path = EXAMPLES_DIR) -> list[Path]:
    """Write the inbox folder into ``directory``; returns the paths written."""
    spec = data_file("kotak_masuk")
    folder = Path(directory) / spec["directory"]
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for item in spec["files"]:
        filename, content = workbook_bytes(item["example"])
        if "zip" in item:
            filename, content = item["zip"], zipped(filename, content)
        elif "email" in item:
            filename, content = item["email"]["file"], mailed(item["email"], filename, content)
        elif "truncated" in item:
            filename = item["truncated"]["file"]
            content = content[: item["truncated"]["bytes"]]
        path = folder / filename
        path.write_bytes(content)
        written.append(path)
    return written
