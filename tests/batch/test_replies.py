"""Replies when an office's `Email` cell holds more than one address: a line break and a second
header (``…go.id\\nBcc: …``), or nothing usable. The reply goes to the first valid address (or
the e-mail's sender), no header is ever injected, and the cell is a BAT14 finding in the reply
and in `Rekap`."""

from __future__ import annotations

import email
import email.policy
from pathlib import Path

import openpyxl
import pytest

from pohon_xl.batch.mail import first_address, malformed_address, origin, recipients, sent_name
from pohon_xl.batch.run import run_batch
from pohon_xl.model import contract as C
from tests.batch.builders import body, eml, office

INJECTED = "rencana@dishub.contoh.go.id\nBcc: mata-mata@luar.example"
NOTHING_USABLE = "Bcc: \nSubag Perencanaan Dinkes"
DINKES_SENDER = "Perencanaan Dinkes <rencana@dinkes.contoh.go.id>"


@pytest.mark.parametrize(("cell", "first", "malformed"), [
    ("a@dinas.go.id", "a@dinas.go.id", False),
    ("  a@dinas.go.id ", "a@dinas.go.id", False),
    (INJECTED, "rencana@dishub.contoh.go.id", True),
    ("Perencanaan <a@dinas.go.id>; b@dinas.go.id", "a@dinas.go.id", True),
    ("a@dinas.go.id, b@dinas.go.id", "a@dinas.go.id", True),
    (NOTHING_USABLE, "", True),
    ("", "", False),
])
def test_first_address_of_a_cell(cell, first, malformed):
    assert first_address(cell) == first
    assert malformed_address(cell) is malformed


@pytest.mark.parametrize(("display", "date", "name", "words"), [
    ("Dishub.xlsx", "", "Dishub.xlsx", ""),
    ("arsip.zip/2026/Dishub.xlsx", "", "Dishub.xlsx", "di dalam arsip arsip.zip"),
    ("surat.eml/arsip.zip/X.xlsx", "Tue, 03 Nov 2026 08:00:00 +0700", "X.xlsx",
     "di dalam arsip arsip.zip, lampiran surel tanggal 3 November 2026"),
    ("surat.eml/X.xlsx", "bukan tanggal", "X.xlsx", "lampiran surel"),
])
def test_a_submission_in_words(display, date, name, words):
    assert sent_name(display) == name
    assert origin(display, date) == words


def test_recipients_never_carry_a_header():
    assert recipients(INJECTED, "") == ("rencana@dishub.contoh.go.id", "")
    assert recipients(NOTHING_USABLE, DINKES_SENDER) == (DINKES_SENDER, "")


def _set_email(path: Path, value: str) -> Path:
    book = openpyxl.load_workbook(path)
    sheet = book[C.IDENTITAS]
    row = next(r for r in sheet.iter_rows() if r[0].value == C.KEY_EMAIL)
    row[1].value = value
    book.save(path)
    return path


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    root = tmp_path_factory.mktemp("surel")
    inbox, scratch = root / "kotak", root / "bahan"
    inbox.mkdir()
    scratch.mkdir()
    body(inbox / "Pemkot.xlsx")
    _set_email(office(inbox / "Dishub.xlsx", "Dinas Perhubungan", "DISHUB", "x@y.id", "DISHUB",
                      "2.15.02", "S1", 4e8), INJECTED)
    dinkes = _set_email(office(scratch / "Dinkes.xlsx", "Dinas Kesehatan", "DINKES", "x@y.id",
                               "DINKES", "1.02.02", "S1", 1e8), NOTHING_USABLE)
    eml(inbox / "surat_dinkes.eml", DINKES_SENDER, [("Pohon Kinerja Dinkes.xlsx",
                                                     dinkes.read_bytes())],
        date="Tue, 03 Nov 2026 08:00:00 +0700", subject="Pohon kinerja Dinkes")
    result = run_batch(inbox, root / "hasil", jobs=1)
    return {"out": root / "hasil", "result": result}


def _reply(batch, name: str):
    data = (batch["out"] / "balasan" / name).read_bytes()
    return data, email.message_from_bytes(data, policy=email.policy.default)


def test_reply_goes_to_the_first_address_and_names_the_cell(batch):
    data, message = _reply(batch, "Dishub.xlsx.eml")
    assert message["To"] == "rencana@dishub.contoh.go.id"
    assert message["Bcc"] is None and message["Cc"] is None
    assert b"mata-mata@luar.example" not in data.split(b"\r\n\r\n", 1)[0]  # not in a header
    text = message.get_body(("plain",)).get_content()
    assert ("[BAT14] Identitas, baris 8, kolom Email: Email di Identitas berisi "
            "'rencana@dishub.contoh.go.id ↵ Bcc: mata-mata@luar.example', bukan satu alamat "
            "surel; balasan hanya dikirim ke rencana@dishub.contoh.go.id.") in text


def test_no_usable_address_replies_to_the_sender_with_the_finding(batch):
    _data, message = _reply(batch, "Pohon Kinerja Dinkes.xlsx.eml")
    assert message["To"] == DINKES_SENDER
    text = message.get_body(("plain",)).get_content()
    assert "[BAT14]" in text and "tidak ada alamat yang dapat dipakai untuk balasan" in text
    assert ('Workbook pohon kinerja "Pohon Kinerja Dinkes.xlsx" (lampiran surel tanggal '
            '3 November 2026)') in text


def test_rekap_reports_the_cell(batch):
    book = openpyxl.load_workbook(batch["out"] / "Konsolidasi_Pemerintah_Kota_Contoh.xlsx")
    rows = list(book["Rekap"].iter_rows(values_only=True))
    by_file = {r[3]: dict(zip(rows[0], r)) for r in rows[1:] if r[3]}
    dishub = by_file["Dishub.xlsx"]
    assert dishub["Keterangan"].endswith(
        "[BAT14] Email di Identitas bukan satu alamat; balasan ke rencana@dishub.contoh.go.id.")
    assert dishub["Pengirim"] == "rencana@dishub.contoh.go.id"
    dinkes = by_file["surat_dinkes.eml/Pohon Kinerja Dinkes.xlsx"]
    assert f"balasan ke {DINKES_SENDER}." in dinkes["Keterangan"]
    for row in (dishub, dinkes):
        assert row["Peringatan"] >= 1
    codes = {(f.name, x.code) for f in batch["result"].files for x in f.findings}
    assert ("Dishub.xlsx", "BAT14") in codes
    assert ("surat_dinkes.eml/Pohon Kinerja Dinkes.xlsx", "BAT14") in codes
