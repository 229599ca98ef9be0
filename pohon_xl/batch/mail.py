"""Reply e-mails (``.eml``) to the offices: the result, what to fix, the returned workbook.

Deterministic: no ``Date`` unless the submission's own e-mail had one (reused as is), no
``Message-ID``, and MIME boundaries derived from the content instead of random ones.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
from collections.abc import Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import parsedate_to_datetime

from pohon_xl.core.compare import Comparison
from pohon_xl.findings import Finding, Severity
from pohon_xl.model import contract as C

MAX_GALAT_LINES = 20
MAX_PERINGATAN_LINES = 10
_ADDRESS = re.compile(r"^[^@\s<>,;\"]+@[^@\s<>,;\"]+\.[^@\s<>,;\"]+$")
MIME_TYPES = {
    ".xlsx": ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ".xlsm": ("application", "vnd.ms-excel.sheet.macroEnabled.12"),
}


_MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
           "September", "Oktober", "November", "Desember")


def valid_address(text: str) -> str:
    """``text`` when it is a plain e-mail address (a workbook cell), else ""."""
    text = " ".join(str(text or "").split())
    return text if _ADDRESS.match(text) else ""


def first_address(text: str) -> str:
    """The first plain address in a cell that may hold more (``a@x.id\\nBcc: b@y.id``,
    ``Nama <a@x.id>; b@y.id``), else "". Only an address is ever taken, never a header."""
    for token in re.split(r"[\s,;]+", str(text or "")):
        if address := valid_address(token.strip("<>()[]\"'")):
            return address
    return ""


def malformed_address(text: str) -> bool:
    """True when an ``Email`` cell holds something other than one plain address."""
    text = str(text or "").strip()
    return bool(text) and not _ADDRESS.match(text)


def one_line(text: str) -> str:
    return " ".join(str(text or "").split())


@dataclass(frozen=True)
class Reply:
    """What a reply says; :func:`build_reply` turns it into the bytes of an ``.eml``."""

    file: str  # display name of the submission
    to: str = ""  # the workbook's Email, else the sender
    cc: str = ""  # the sender, when it differs from ``to``
    sender: str = ""  # From: the body-level workbook's Email (the central planner)
    instansi: str = ""
    office: str = ""  # Perangkat Daerah
    penyusun: str = ""
    in_reply_to: str = ""
    original_subject: str = ""
    date: str = ""  # the submission e-mail's Date, or "" (omitted)
    status: str = ""  # Diterima / Perlu perbaikan / Tidak terbaca
    problem: str = ""  # why the file could not be read
    attachment_name: str = ""
    note: str = ""  # a word about this submission's version (e.g. one that cannot be ordered)


def recipients(email_cell: str, sender: str) -> tuple[str, str]:
    """(To, Cc): the workbook's Email first; the e-mail sender as Cc when both differ."""
    address = first_address(email_cell)
    sender = one_line(sender)
    if address and sender and address.casefold() not in sender.casefold():
        return address, sender
    return address or sender, ""


def sent_name(display: str) -> str:
    """The file name as the office sent it (the inbox shows ``surel.eml/Nama.xlsx``)."""
    return posixpath.basename(display.rstrip("/")) or display


def origin(display: str, date: str = "") -> str:
    """How the file came, in words (innermost first); "" for a file of the inbox folder."""
    words = []
    for part in reversed(display.rstrip("/").split("/")[:-1]):
        if part.lower().endswith(".zip"):
            words.append(f"di dalam arsip {part}")
        elif part.lower().endswith(".eml"):
            day = _day(date)
            words.append(f"lampiran surel tanggal {day}" if day else "lampiran surel")
    return ", ".join(words)


def _day(date: str) -> str:
    try:
        when = parsedate_to_datetime(date)
    except (TypeError, ValueError, IndexError):
        return ""
    return f"{when.day} {_MONTHS[when.month - 1]} {when.year}"


def _submission(reply: Reply) -> str:
    how = origin(reply.file, reply.date)
    return f"\"{sent_name(reply.file)}\"" + (f" ({how})" if how else "")


def _where(finding: Finding) -> str:
    """``ID DISHUB-01 (L2_Sasaran_PD, baris 5, kolom ID Induk)``: the node's ID before the
    place, so that a finding in the column named ID never reads "kolom ID ID DISHUB-01"."""
    loc = finding.location
    parts = [loc.sheet] if loc.sheet else []
    if loc.row:
        parts.append(f"baris {loc.row}")
    if loc.column:
        parts.append(f"kolom {loc.column}")
    place = ", ".join(parts)
    if finding.node_id:
        return f"ID {finding.node_id}" + (f" ({place})" if place else "")
    return place or "workbook"


def _lines(findings: Sequence[Finding], limit: int) -> list[str]:
    lines = []
    for number, finding in enumerate(findings[:limit], start=1):
        lines.append(f"{number}. [{finding.code}] {_where(finding)}: {finding.message}")
        lines.append(f"   Saran: {finding.suggestion}")
    if len(findings) > limit:
        lines.append(f"… dan {len(findings) - limit} lagi (lihat sheet {C.LAPORAN}).")
    return lines


MAX_CHANGE_LINES = 30


def changes_text(comparison: Comparison) -> list[str]:
    """What the office changed since its previous submission, and what became of the
    findings it was sent then, in plain Indonesian."""
    out = []
    if comparison.changes:
        out.append(f"Perubahan sejak kiriman sebelumnya ({len(comparison.changes)}):")
        out += [f"- {change.describe()}" for change in comparison.changes[:MAX_CHANGE_LINES]]
        if len(comparison.changes) > MAX_CHANGE_LINES:
            out.append(f"… dan {len(comparison.changes) - MAX_CHANGE_LINES} lagi (lihat sheet "
                       "Perubahan).")
    else:
        out.append("Tidak ada perubahan isi sejak kiriman sebelumnya.")
    resolved, still = comparison.resolved, comparison.still_open
    out.append(f"Temuan kiriman sebelumnya: {len(resolved)} sudah selesai, {len(still)} masih "
               f"ada; {len(comparison.new)} temuan baru.")
    for finding in resolved[:MAX_CHANGE_LINES]:
        node = f" ID {finding.node_id}" if finding.node_id else ""
        out.append(f"- Selesai: [{finding.code}]{node}: {finding.message}")
    out.append("")
    return out


def body_text(reply: Reply, findings: Sequence[Finding],
              comparison: Comparison | None = None) -> str:
    greeting = f"Yth. {reply.penyusun or reply.office or 'Bapak/Ibu'},"
    out = [greeting, ""]
    if reply.original_subject:
        out += [f"Menjawab surel \"{one_line(reply.original_subject)}\":", ""]
    if reply.note:
        out += [reply.note, ""]
    if reply.problem:
        out += [
            f"Workbook {_submission(reply)} yang Bapak/Ibu kirim tidak dapat kami baca:",
            f"  {reply.problem.removeprefix(f'{reply.file}: ')}",
            "",
            "Mohon kirim ulang workbook pohon kinerja (.xlsx) yang utuh dengan membalas surel "
            "ini.",
        ]
    else:
        galat = [f for f in findings if f.severity is Severity.GALAT]
        warn = [f for f in findings if f.severity is Severity.PERINGATAN]
        info = [f for f in findings if f.severity is Severity.INFO]
        out.append(f"Workbook pohon kinerja {_submission(reply)} sudah kami periksa.")
        out.append(f"Hasil: {reply.status} ({len(galat)} galat, {len(warn)} peringatan, "
                   f"{len(info)} info).")
        out.append("")
        if comparison is not None:
            out += changes_text(comparison)
        if galat:
            out.append("Yang wajib diperbaiki (Galat):")
            out += _lines(galat, MAX_GALAT_LINES)
            out.append("")
        if warn:
            out.append("Sebaiknya diperbaiki (Peringatan):")
            out += _lines(warn, MAX_PERINGATAN_LINES)
            out.append("")
        if not galat and not warn:
            out.append("Tidak ada yang perlu diperbaiki. Terima kasih.")
            out.append("")
        out.append(
            f"Rincian lengkap ada di sheet {C.LAPORAN} pada workbook terlampir "
            f"({reply.attachment_name}); setiap baris juga ditandai di kolom Status dan "
            "Catatan Validasi, dan sheet turunan (PK, Program, Kegiatan, Subkegiatan, SKP) "
            "sudah diisi."
        )
        if galat:
            out.append("Mohon perbaiki di workbook terlampir lalu kirim kembali dengan membalas "
                       "surel ini.")
    out += ["", "Salam,", f"Tim Perencana {reply.instansi}".rstrip(),
            "(surel ini disusun otomatis oleh pohon-xl)"]
    return "\n".join(out) + "\n"


def subject(reply: Reply, findings: Sequence[Finding]) -> str:
    label = reply.office or sent_name(reply.file)
    galat = sum(f.severity is Severity.GALAT for f in findings)
    detail = f" ({galat} galat)" if galat else ""
    return one_line(f"Pohon kinerja {label}: {reply.status}{detail}")


def build_reply(reply: Reply, findings: Sequence[Finding], attachment: bytes | None = None,
                comparison: Comparison | None = None) -> bytes:
    """The reply as the bytes of an ``.eml`` (CRLF line ends, as mail clients expect)."""
    message = EmailMessage(policy=SMTP)
    for header, value in (("From", reply.sender), ("To", reply.to), ("Cc", reply.cc)):
        value = one_line(value)
        if value:
            try:
                message[header] = value
            except (ValueError, TypeError):
                pass  # an address the e-mail library refuses: leave the header for a person
    message["Subject"] = subject(reply, findings)
    if reply.date:
        try:
            message["Date"] = one_line(reply.date)
        except (ValueError, TypeError):
            pass
    if reply.in_reply_to:
        message["In-Reply-To"] = one_line(reply.in_reply_to)
        message["References"] = one_line(reply.in_reply_to)
    message["X-Mailer"] = "pohon-xl"
    text = body_text(reply, findings, comparison)
    message.set_content(text, subtype="plain", charset="utf-8", cte="quoted-printable")
    if attachment is not None:
        suffix = "." + reply.attachment_name.rsplit(".", 1)[-1].lower()
        maintype, subtype = MIME_TYPES.get(suffix, ("application", "octet-stream"))
        message.add_attachment(attachment, maintype=maintype, subtype=subtype,
                               filename=reply.attachment_name)
        # Unique within the message, yet fixed: "-" never occurs in base64, and "=" is
        # escaped in quoted-printable, so the boundary cannot appear in either part.
        digest = hashlib.sha256(f"{text}\0{reply.attachment_name}".encode()).hexdigest()[:24]
        message.set_boundary(f"==pohon-xl-{digest}==")
    return message.as_bytes()
