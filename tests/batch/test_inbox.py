"""Collecting an inbox: plain files, zips, e-mails, and what hostile ones cannot do."""

from __future__ import annotations

import zipfile
from email.message import EmailMessage
from email.policy import SMTP
from pathlib import Path

import pytest

from pohon_xl.batch.inbox import Limits, collect, safe_filename
from pohon_xl.errors import InputError
from tests.batch.builders import body, eml


@pytest.fixture
def workbook(tmp_path) -> bytes:
    return body(tmp_path / "src.xlsx").read_bytes()


def _collect(inbox: Path, tmp_path: Path, **limits):
    staging = tmp_path / "staging"
    staging.mkdir(exist_ok=True)
    return collect(inbox, staging, Limits(**limits) if limits else None)


def _files(root: Path) -> set[Path]:
    return {p for p in root.rglob("*")}


def test_plain_zip_and_eml_items_with_stable_names(tmp_path, workbook):
    inbox = tmp_path / "kotak"
    inbox.mkdir()
    (inbox / "Dishub.xlsx").write_bytes(workbook)
    with zipfile.ZipFile(inbox / "arsip.zip", "w") as archive:
        archive.writestr("Dishub.xlsx", workbook)  # same name as the plain file
        archive.writestr("sub/Dinkes.xlsm", workbook)
        archive.writestr("__MACOSX/._Dinkes.xlsm", b"fork")
        archive.writestr("catatan.txt", b"hi")
    eml(inbox / "surat.eml", "Dinas <a@b.go.id>", [("Dishub.xlsx", workbook)],
        date="Tue, 03 Nov 2026 08:00:00 +0700", message_id="<m1@b.go.id>")
    (inbox / "~$Dishub.xlsx").write_bytes(b"lock")
    (inbox / "sub").mkdir()
    found = _collect(inbox, tmp_path)
    names = [i.name for i in found.items]
    assert names == ["Dishub.xlsx", "arsip.zip/Dishub.xlsx", "arsip.zip/sub/Dinkes.xlsm",
                     "surat.eml/Dishub.xlsx"]
    assert [i.filename for i in found.items] == ["Dishub.xlsx", "Dishub (2).xlsx",
                                                 "Dinkes.xlsm", "Dishub (3).xlsx"]
    assert all(i.ok for i in found.items)
    mail = found.items[3]
    assert mail.sender == "Dinas <a@b.go.id>"
    assert mail.date == "Tue, 03 Nov 2026 08:00:00 +0700"
    assert mail.message_id == "<m1@b.go.id>"
    assert mail.path.read_bytes() == workbook
    assert mail.path.parent == tmp_path / "staging"  # staged under a generated name
    assert any("catatan.txt" in s for s in found.skipped)
    assert any(s.startswith("sub/") for s in found.skipped)


@pytest.mark.parametrize("header", [
    # RFC 2231 in a non-UTF-8 charset
    "attachment; filename*=iso-8859-1''Dinas%20Pariwisata%20%E9.xlsx",
    # RFC 2231 continuations in UTF-8
    "attachment; filename*0*=utf-8''Dinas%20Pariwisata;\r\n filename*1*=%20%C3%A9.xlsx",
    # encoded-word in a quoted parameter (what many mail programs send)
    'attachment; filename="=?windows-1252?Q?Dinas_Pariwisata_=E9.xlsx?="',
])
def test_attachment_filename_encodings(tmp_path, workbook, header):
    message = EmailMessage(policy=SMTP)
    message["From"] = "=?utf-8?q?Seksi_Perencanaan_=C3=A9?= <x@y.go.id>"
    message.set_content("lampiran")
    message.add_attachment(workbook, maintype="application", subtype="octet-stream",
                           filename="placeholder.xlsx")
    raw = message.as_bytes()
    placeholder = b'Content-Disposition: attachment; filename="placeholder.xlsx"'
    assert placeholder in raw
    raw = raw.replace(placeholder, b"Content-Disposition: " + header.encode())
    inbox = tmp_path / "kotak"
    inbox.mkdir()
    (inbox / "surat.eml").write_bytes(raw)
    [item] = _collect(inbox, tmp_path).items
    assert item.name == "surat.eml/Dinas Pariwisata é.xlsx"
    assert item.filename == "Dinas Pariwisata é.xlsx"
    assert item.sender == "Seksi Perencanaan é <x@y.go.id>"
    assert item.ok


def test_hostile_zip_entries_are_reported_not_extracted(tmp_path, workbook):
    inbox = tmp_path / "kotak"
    inbox.mkdir()
    inner = tmp_path / "inner.zip"
    with zipfile.ZipFile(inner, "w") as nested:
        nested.writestr("Dalam.xlsx", workbook)
    with zipfile.ZipFile(inbox / "jahat.zip", "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("../../evil.xlsx", workbook)
        archive.writestr("/tmp/evil_absolut.xlsx", workbook)
        archive.writestr("C:/Windows/evil.xlsx", workbook)
        archive.writestr("..\\..\\evil2.xlsx", workbook)
        archive.writestr("bom.xlsx", b"\0" * (8 << 20))  # ~8 KB compressed, ratio ~1000:1
        archive.writestr("bersarang.zip", inner.read_bytes())
        archive.writestr("Baik.xlsx", workbook)
    before = _files(tmp_path.parent)
    found = _collect(inbox, tmp_path)
    problems = {i.name: i.problem for i in found.items if not i.ok}
    assert set(problems) == {
        "jahat.zip/../../evil.xlsx", "jahat.zip//tmp/evil_absolut.xlsx",
        "jahat.zip/C:/Windows/evil.xlsx", "jahat.zip/../../evil2.xlsx",
        "jahat.zip/bom.xlsx", "jahat.zip/bersarang.zip",
    }
    assert "tidak aman" in problems["jahat.zip/../../evil.xlsx"]
    assert "bom zip" in problems["jahat.zip/bom.xlsx"]
    assert "satu tingkat" in problems["jahat.zip/bersarang.zip"]
    assert [i.name for i in found.items if i.ok] == ["jahat.zip/Baik.xlsx"]
    created = _files(tmp_path.parent) - before
    assert all(tmp_path / "staging" in p.parents or p == tmp_path / "staging"
               for p in created), created
    assert not Path("/tmp/evil_absolut.xlsx").exists()
    # only the good member was staged, under a generated name
    assert [p.name for p in (tmp_path / "staging").iterdir()] == ["0001.xlsx"]


def test_limits_stop_reading_at_the_limit(tmp_path, workbook):
    inbox = tmp_path / "kotak"
    inbox.mkdir()
    with zipfile.ZipFile(inbox / "besar.zip", "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("A.xlsx", workbook)
        archive.writestr("B.xlsx", workbook)
    size = len(workbook)
    found = _collect(inbox, tmp_path, max_member_bytes=size - 1)
    assert all("melebihi batas" in i.problem for i in found.items)
    staging = tmp_path / "staging2"
    staging.mkdir()
    found = collect(inbox, staging, Limits(max_total_bytes=size + 10))
    assert [i.ok for i in found.items] == [True, False]
    assert "total" in found.items[1].problem
    assert len(list(staging.iterdir())) == 1  # the partial copy of B was removed


def test_workbook_that_would_decompress_too_far(tmp_path):
    inbox = tmp_path / "kotak"
    inbox.mkdir()
    with zipfile.ZipFile(inbox / "Bom.xlsx", "w", zipfile.ZIP_DEFLATED) as book:
        book.writestr("xl/workbook.xml", "<workbook/>")
        book.writestr("xl/worksheets/sheet1.xml", b" " * (4 << 20))
    [item] = _collect(inbox, tmp_path).items
    assert not item.ok and "bom zip" in item.problem


def test_eml_without_workbook_and_broken_inputs(tmp_path):
    inbox = tmp_path / "kotak"
    inbox.mkdir()
    eml(inbox / "kosong.eml", "a@b.go.id", [])
    (inbox / "rusak.zip").write_bytes(b"PK\x03\x04 bukan zip")
    found = _collect(inbox, tmp_path)
    by_name = {i.name: i for i in found.items}
    assert "tidak berlampiran workbook" in by_name["kosong.eml"].problem
    assert by_name["kosong.eml"].sender == "a@b.go.id"
    assert "rusak" in by_name["rusak.zip"].problem


def test_unusable_inbox(tmp_path):
    with pytest.raises(InputError, match="tidak ditemukan"):
        _collect(tmp_path / "tidak-ada", tmp_path)
    (tmp_path / "berkas.txt").write_text("x")
    with pytest.raises(InputError, match="bukan folder"):
        _collect(tmp_path / "berkas.txt", tmp_path)
    (tmp_path / "kosong").mkdir()
    with pytest.raises(InputError, match="tidak berisi workbook"):
        _collect(tmp_path / "kosong", tmp_path)


@pytest.mark.parametrize("name, safe", [
    ("Dishub.xlsx", "Dishub.xlsx"),
    ("a/b\\c:d*?.xlsx", "a_b_c_d__.xlsx"),
    ("  .hidden.xlsx ", "hidden.xlsx"),
    ("CON.xlsx", "_CON.xlsx"),
    ("x" * 300 + ".xlsx", "x" * 115 + ".xlsx"),
])
def test_safe_filename(name, safe):
    assert safe_filename(name) == safe


def test_zip_attached_to_an_email_is_one_archive_level(tmp_path, workbook):
    archive = tmp_path / "lampiran.zip"
    inner = tmp_path / "dalam.zip"
    with zipfile.ZipFile(inner, "w") as nested:
        nested.writestr("Lagi.xlsx", workbook)
    with zipfile.ZipFile(archive, "w") as packed:
        packed.writestr("Dishub.xlsx", workbook)
        packed.writestr("dalam.zip", inner.read_bytes())
    message = EmailMessage(policy=SMTP)
    message["From"] = "Dishub <a@dishub.go.id>"
    message.set_content("terlampir")
    message.add_attachment(archive.read_bytes(), maintype="application", subtype="zip",
                           filename="lampiran.zip")
    inbox = tmp_path / "kotak"
    inbox.mkdir()
    (inbox / "surat.eml").write_bytes(message.as_bytes())
    found = _collect(inbox, tmp_path)
    assert [(i.name, i.ok, i.sender) for i in found.items] == [
        ("surat.eml/lampiran.zip/Dishub.xlsx", True, "Dishub <a@dishub.go.id>"),
        ("surat.eml/lampiran.zip/dalam.zip", False, "Dishub <a@dishub.go.id>"),
    ]
