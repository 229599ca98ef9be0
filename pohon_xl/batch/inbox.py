"""Collect the workbooks of an inbox folder: plain files, ``.zip`` archives, saved e-mails.

The folder comes from strangers' e-mails, so everything here is defensive:

* Nothing is ever extracted by its name. An archive member or an attachment is copied, in
  chunks, into a staging folder under a generated name (``0001.xlsx``); its name is only
  used, sanitised, for display and for the returned file's name.
* A member whose name escapes the folder (``../../evil.xlsx``, ``/etc/x.xlsx``, ``C:\\x``)
  is not read at all; it becomes a problem item with a one-line reason.
* Zip bombs: a member is read at most up to the smallest of the per-member limit, what is
  left of the total limit and ``max_ratio`` × its compressed size; reading stops as soon as
  the count passes the limit (declared sizes are checked first, but not trusted). Workbooks
  (themselves zip files) are checked from their central directory before any reader opens
  them.
* Nesting: exactly one archive level is opened. A ``.zip`` in the inbox, or attached to an
  e-mail, is opened; a ``.zip`` (or ``.eml``) inside an archive is reported, not opened.
  Attachments of a forwarded e-mail inside an ``.eml`` are MIME parts, not archives, and are
  collected.
* Names are made unique deterministically (``Dishub.xlsx``, ``Dishub (2).xlsx``) in the
  order of the sorted display names.

Only the top level of the inbox folder is read; sub-folders are listed as skipped.
"""

from __future__ import annotations

import datetime
import email
import email.utils
import io
import email.policy
import posixpath
import re
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass, field, replace
from email.message import EmailMessage
from pathlib import Path

from pohon_xl.errors import InputError

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb")  # .xls/.xlsb: refused with a reason later
ARCHIVE_SUFFIXES = (".zip",)
EMAIL_SUFFIXES = (".eml",)
SPREADSHEET_TYPES = {
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
    "application/vnd.ms-excel.sheet.macroenabled.12": ".xlsm",
    "application/vnd.ms-excel": ".xls",
}
_CHUNK = 1 << 20
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)),
             *(f"lpt{i}" for i in range(10))}
_UNSAFE_CHARS = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')


@dataclass(frozen=True)
class Limits:
    """Bounds on what the inbox may make us read (bytes are uncompressed sizes)."""

    max_member_bytes: int = 64 << 20  # one archive member or attachment
    max_total_bytes: int = 512 << 20  # everything copied out of archives and e-mails
    max_ratio: int = 100  # uncompressed / compressed size of an archive member
    ratio_floor: int = 1 << 20  # sizes below this are never refused for their ratio
    max_members: int = 2000  # entries of one archive
    max_file_bytes: int = 128 << 20  # an .eml read whole into memory
    max_workbook_bytes: int = 512 << 20  # declared uncompressed size of a workbook's parts
    max_workbook_ratio: int = 250  # compression ratio of one workbook part


@dataclass(frozen=True)
class InboxItem:
    """One submitted workbook, or a submission that cannot be used (``problem`` set)."""

    name: str  # stable display name: "Dishub.xlsx", "arsip.zip/Dishub.xlsx", "surat.eml/X.xlsx"
    filename: str = ""  # unique, safe file name for the returned workbook and the reply
    path: Path | None = None  # the workbook's bytes on disk (inbox file or a staged copy)
    sender: str = ""  # the e-mail's From (as decoded), when it came by e-mail
    subject: str = ""  # that e-mail's Subject
    date: str = ""  # that e-mail's Date header, reused in the reply (never "now")
    message_id: str = ""  # that e-mail's Message-ID, for In-Reply-To
    problem: str = ""  # Indonesian one-liner when the item cannot be used
    # When it was sent, as a POSIX time: the e-mail's Date, else the archive entry's or the
    # file's own time; None when nothing tells. Orders the versions of one office.
    sent_at: float | None = None

    @property
    def ok(self) -> bool:
        return not self.problem and self.path is not None

    @property
    def suffix(self) -> str:
        return Path(self.filename or self.name).suffix.lower()


@dataclass
class Inbox:
    items: list[InboxItem] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # ignored entries, for the log


class _Refused(Exception):
    """An entry that must not be read; ``str`` is the reason (Indonesian)."""


@dataclass
class _Mail:
    sender: str = ""
    subject: str = ""
    date: str = ""
    message_id: str = ""


class _Collector:
    def __init__(self, staging: Path, limits: Limits) -> None:
        self.staging = staging
        self.limits = limits
        self.items: list[InboxItem] = []
        self.skipped: list[str] = []
        self.total = 0
        self.counter = 0

    # --- staging -------------------------------------------------------------------------
    def _stage_path(self, suffix: str) -> Path:
        self.counter += 1
        safe = suffix if re.fullmatch(r"\.[a-z0-9]{1,5}", suffix) else ".bin"
        return self.staging / f"{self.counter:04d}{safe}"

    def _stage_bytes(self, data: bytes, suffix: str) -> Path:
        if len(data) > self.limits.max_member_bytes:
            limit = _mb(self.limits.max_member_bytes)
            raise _Refused(f"ukuran {_mb(len(data))} melebihi batas {limit}")
        if self.total + len(data) > self.limits.max_total_bytes:
            raise _Refused("batas total isi arsip dan lampiran terlampaui")
        self.total += len(data)
        path = self._stage_path(suffix)
        path.write_bytes(data)
        return path

    def _stage_member(self, archive: zipfile.ZipFile, info: zipfile.ZipInfo, suffix: str) -> Path:
        """Copy a member in chunks, stopping as soon as a limit is passed."""
        lim = self.limits
        by_ratio = max(lim.ratio_floor, lim.max_ratio * max(info.compress_size, 1))
        left = lim.max_total_bytes - self.total
        limit = min(lim.max_member_bytes, by_ratio, left)
        reason = (
            "batas total isi arsip terlampaui" if limit == left
            else f"rasio kompresi lebih dari {lim.max_ratio}:1 (kemungkinan bom zip)"
            if limit == by_ratio else f"ukuran melebihi batas {_mb(lim.max_member_bytes)}"
        )
        if info.file_size > limit:
            raise _Refused(reason)
        path = self._stage_path(suffix)
        written = 0
        try:
            with archive.open(info) as source, path.open("wb") as target:
                while chunk := source.read(min(_CHUNK, limit + 1 - written)):
                    written += len(chunk)
                    if written > limit:
                        raise _Refused(reason)
                    target.write(chunk)
        except _Refused:
            path.unlink(missing_ok=True)
            raise
        except RuntimeError:  # encrypted member
            path.unlink(missing_ok=True)
            raise _Refused("entri arsip dilindungi kata sandi") from None
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, OSError) as exc:
            path.unlink(missing_ok=True)
            raise _Refused(f"entri arsip rusak ({_short(exc)})") from None
        self.total += written
        return path

    # --- items ---------------------------------------------------------------------------
    def add(self, name: str, mail: _Mail | None = None, **fields: object) -> None:
        mail = mail or _Mail()
        sent = _mail_time(mail.date)
        if sent is not None:  # the e-mail's Date says when it was sent, whatever the file's
            fields["sent_at"] = sent
        self.items.append(
            InboxItem(name=name, sender=mail.sender, subject=mail.subject, date=mail.date,
                      message_id=mail.message_id, **fields)  # type: ignore[arg-type]
        )

    def problem(self, name: str, reason: str, mail: _Mail | None = None) -> None:
        self.add(name, mail, problem=f"{name}: {reason}")

    def workbook(self, name: str, path: Path, mail: _Mail | None = None,
                 sent_at: float | None = None) -> None:
        reason = check_workbook_zip(path, self.limits)
        if reason:
            self.problem(name, reason, mail)
        else:
            self.add(name, mail, path=path, sent_at=sent_at)

    # --- sources -------------------------------------------------------------------------
    def inbox_file(self, path: Path) -> None:
        suffix = path.suffix.lower()
        name = path.name
        if suffix in WORKBOOK_SUFFIXES:
            self.workbook(name, path, sent_at=path.stat().st_mtime)
        elif suffix in ARCHIVE_SUFFIXES:
            self.archive(name, path, None)
        elif suffix in EMAIL_SUFFIXES:
            self.email_file(name, path)
        else:
            self.skipped.append(f"{name}: bukan workbook, .zip atau .eml; dilewati")

    def archive(self, name: str, source: Path | bytes, mail: _Mail | None) -> None:
        """Open one archive level; members that are archives themselves are reported."""
        try:
            handle = zipfile.ZipFile(source if isinstance(source, Path) else io.BytesIO(source))
        except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
            self.problem(name, f"arsip .zip rusak atau bukan .zip ({_short(exc)})", mail)
            return
        with handle as archive:
            infos = archive.infolist()
            if len(infos) > self.limits.max_members:
                self.problem(name, f"arsip berisi {len(infos)} entri (batas "
                             f"{self.limits.max_members}); tidak dibuka", mail)
                return
            found = False
            for info in sorted(infos, key=lambda i: i.filename):
                member = info.filename.replace("\\", "/")
                display = f"{name}/{member}"
                if info.is_dir() or _ignored(member):
                    continue
                if _escapes(member):
                    self.problem(display, "nama entri arsip tidak aman (menunjuk ke luar "
                                 "folder); entri tidak dibuka", mail)
                    found = True
                    continue
                suffix = posixpath.splitext(member)[1].lower()
                if suffix in ARCHIVE_SUFFIXES + EMAIL_SUFFIXES:
                    self.problem(display, "arsip atau surel di dalam arsip tidak dibuka (hanya "
                                 "satu tingkat arsip); kirim workbook-nya langsung", mail)
                    found = True
                    continue
                if suffix not in WORKBOOK_SUFFIXES:
                    self.skipped.append(f"{display}: bukan workbook; dilewati")
                    continue
                found = True
                try:
                    staged = self._stage_member(archive, info, suffix)
                except _Refused as exc:
                    self.problem(display, f"entri tidak dibaca: {exc}", mail)
                    continue
                self.workbook(display, staged, mail, _zip_time(info))
            if not found:
                self.problem(name, "arsip tidak berisi workbook (.xlsx/.xlsm)", mail)

    def email_file(self, name: str, path: Path) -> None:
        size = path.stat().st_size
        if size > self.limits.max_file_bytes:
            self.problem(name, f"surel terlalu besar ({_mb(size)}); tidak dibuka")
            return
        try:
            with path.open("rb") as handle:
                message = email.message_from_binary_file(handle, policy=email.policy.default)
        except Exception as exc:  # noqa: BLE001 - any parser failure is a problem item
            self.problem(name, f"surel tidak dapat dibaca ({_short(exc)})")
            return
        mail = _mail_headers(message)
        found = False
        for part in message.walk():
            if part.is_multipart():
                continue
            filename = _attachment_name(part)
            if not filename:
                continue
            suffix = Path(filename).suffix.lower()
            if suffix not in WORKBOOK_SUFFIXES + ARCHIVE_SUFFIXES:
                self.skipped.append(f"{name}/{filename}: lampiran bukan workbook; dilewati")
                continue
            found = True
            display = f"{name}/{filename}"
            try:
                payload = part.get_payload(decode=True)  # bytes, None for a multipart
                data = payload if isinstance(payload, bytes) else b""
            except Exception as exc:  # noqa: BLE001
                self.problem(display, f"lampiran rusak ({_short(exc)})", mail)
                continue
            if suffix in ARCHIVE_SUFFIXES:
                if len(data) > self.limits.max_member_bytes:
                    self.problem(display, "lampiran .zip terlalu besar; tidak dibuka", mail)
                else:
                    self.archive(display, data, mail)
                continue
            try:
                staged = self._stage_bytes(data, suffix)
            except _Refused as exc:
                self.problem(display, f"lampiran tidak dibaca: {exc}", mail)
                continue
            self.workbook(display, staged, mail)
        if not found:
            self.problem(name, "surel tidak berlampiran workbook (.xlsx/.xlsm)", mail)


def _mail_time(date: str) -> float | None:
    """The POSIX time of an e-mail's Date header (None: absent or unreadable)."""
    if not date:
        return None
    try:
        moment = email.utils.parsedate_to_datetime(date)
    except (TypeError, ValueError, IndexError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.timezone.utc)
    return moment.timestamp()


def _zip_time(info: zipfile.ZipInfo) -> float | None:
    """An archive entry's time (a zip stores local time without a zone: read as UTC, which
    orders the entries of one archive or one sender correctly)."""
    try:
        return datetime.datetime(*info.date_time, tzinfo=datetime.timezone.utc).timestamp()
    except ValueError:
        return None


def collect(inbox: Path, staging: Path, limits: Limits | None = None) -> Inbox:
    """Every submission of the inbox folder, sorted by display name, with unique file names.

    ``staging`` is an existing, empty folder that receives copies of archive members and
    attachments (under generated names). Raises :class:`InputError` when the inbox itself is
    unusable (missing, not a folder, unreadable, or holding nothing to check).
    """
    inbox = Path(inbox)
    if not inbox.exists():
        raise InputError(f"Folder kotak masuk tidak ditemukan: {inbox}")
    if not inbox.is_dir():
        raise InputError(f"{inbox} bukan folder; berikan folder berisi workbook, .zip atau .eml.")
    try:
        entries = sorted(inbox.iterdir(), key=lambda p: p.name)
    except OSError as exc:
        raise InputError(f"Folder {inbox} tidak dapat dibaca ({_short(exc)}).") from None
    collector = _Collector(staging, limits or Limits())
    for entry in entries:
        if _ignored(entry.name):
            continue
        if entry.is_dir():
            collector.skipped.append(f"{entry.name}/: sub-folder tidak dibaca; dilewati")
            continue
        collector.inbox_file(entry)
    if not collector.items:
        raise InputError(
            f"Folder {inbox} tidak berisi workbook (.xlsx/.xlsm), arsip .zip atau surel .eml."
        )
    return Inbox(items=unique_names(collector.items), skipped=collector.skipped)


def unique_names(items: list[InboxItem]) -> list[InboxItem]:
    """Sort by display name; give each a unique display name and a unique safe file name."""
    result: list[InboxItem] = []
    names: set[str] = set()
    files: set[str] = set()
    for item in sorted(items, key=lambda i: (i.name, i.problem)):
        name = _unique(item.name, names)
        base = safe_filename(posixpath.basename(item.name.rstrip("/")) or "berkas")
        filename = _unique(base, files)
        result.append(replace(item, name=name, filename=filename))
    return result


def _unique(name: str, taken: set[str]) -> str:
    """``X.xlsx``, then ``X (2).xlsx`` … (case-insensitive, for Windows and macOS folders)."""
    stem, suffix = _split(name)
    candidate, number = name, 1
    while candidate.casefold() in taken:
        number += 1
        candidate = f"{stem} ({number}){suffix}"
    taken.add(candidate.casefold())
    return candidate


def _split(name: str) -> tuple[str, str]:
    suffix = posixpath.splitext(name)[1]
    if not re.fullmatch(r"\.[A-Za-z0-9]{1,5}", suffix or "-"):
        return name, ""
    return name[: -len(suffix)], suffix


def safe_filename(name: str, max_length: int = 120) -> str:
    """A file name safe on every system: no separators, control or reserved characters."""
    name = unicodedata.normalize("NFC", name)
    name = _UNSAFE_CHARS.sub("_", name)
    name = " ".join(name.split()).strip(" .")
    stem, suffix = _split(name)
    if stem.split(".")[0].casefold() in _RESERVED:
        stem = "_" + stem
    stem = stem[: max(1, max_length - len(suffix))].strip(" .") or "berkas"
    return stem + suffix


def check_workbook_zip(path: Path, limits: Limits) -> str:
    """Reason to refuse a workbook that would decompress too far; "" when fine or not a zip.

    Only the central directory is read. ``zipfile`` (used by the readers and writers here)
    never decompresses past a part's declared size, so bounding declared sizes bounds work.
    """
    try:
        if not zipfile.is_zipfile(path):
            return ""  # not a zip: the reader explains what it is
        with zipfile.ZipFile(path) as book:
            infos = book.infolist()
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        return ""
    if len(infos) > limits.max_members:
        return f"workbook berisi {len(infos)} bagian; tidak dibuka (kemungkinan bom zip)"
    total = sum(i.file_size for i in infos)
    if total > limits.max_workbook_bytes:
        return (f"isi workbook {_mb(total)} setelah diekstrak melebihi batas "
                f"{_mb(limits.max_workbook_bytes)} (kemungkinan bom zip)")
    for info in infos:
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > limits.ratio_floor and ratio > limits.max_workbook_ratio:
            return (f"bagian {info.filename} berasio kompresi {ratio:.0f}:1 (kemungkinan bom "
                    "zip); tidak dibuka")
    return ""


def _escapes(member: str) -> bool:
    """A member name that is absolute or climbs out of the folder it is extracted into."""
    if member.startswith("/") or re.match(r"^[A-Za-z]:", member) or "\x00" in member:
        return True
    return ".." in member.split("/")


def _ignored(name: str) -> bool:
    """Noise that is never a submission: hidden files, Excel lock files, macOS forks."""
    base = posixpath.basename(name.rstrip("/"))
    return (base.startswith((".", "~$")) or name.startswith("__MACOSX/")
            or "/__MACOSX/" in name)


def _attachment_name(part: EmailMessage) -> str:
    """The attachment's file name, decoded (RFC 2231, encoded-words, any charset)."""
    try:
        filename = part.get_filename() or ""
    except Exception:  # noqa: BLE001 - a malformed parameter: treat as unnamed
        filename = ""
    if "=?" in filename:  # encoded-words left undecoded in a quoted parameter
        from email.header import decode_header, make_header

        try:
            filename = str(make_header(decode_header(filename)))
        except Exception:  # noqa: BLE001
            pass
    filename = posixpath.basename(filename.replace("\\", "/")).strip()
    if not filename and part.get_content_type() in SPREADSHEET_TYPES:
        filename = "lampiran" + SPREADSHEET_TYPES[part.get_content_type()]
    return filename


def _mail_headers(message: EmailMessage) -> _Mail:
    def header(key: str) -> str:
        try:
            value = message.get(key)
        except Exception:  # noqa: BLE001 - a defective header is as good as absent
            return ""
        return " ".join(str(value).split()) if value is not None else ""

    return _Mail(header("From"), header("Subject"), header("Date"), header("Message-ID"))


def _mb(size: int) -> str:
    return f"{size / (1 << 20):.0f} MB" if size >= 1 << 20 else f"{size} byte"


def _short(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text[:160]
