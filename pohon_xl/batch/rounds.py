"""Rounds of the e-mail loop: which submission of an office is its latest, and the batch's
memory of what each office last sent and got back.

Versions: every submission is recognised by its office (``Kode Perangkat Daerah``, else the
office's name; the body-level workbook by its ``Instansi``) and ordered by when it was sent
(:attr:`~pohon_xl.batch.inbox.InboxItem.sent_at`). The latest is checked, returned and
consolidated; the earlier ones are superseded (*digantikan*). Submissions of one office that
cannot be ordered (the same time, or no time) are never resolved silently: each is checked
on its own and reported as such.

Memory (``riwayat/``): per office, the workbooks of its last two rounds and the findings
returned each time, with an index naming the body. Running the same inbox again is not a new
round: a submission equal to the office's last one is compared with the round before it, so
a re-run gives the same files. It is replaced whole at the end of a run (written
beside it, then swapped in), so a run that stops midway leaves the previous memory as it was.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import shutil
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pohon_xl.findings import Finding, Location, Severity
from pohon_xl.model import contract as C
from pohon_xl.model.plan import Plan

from .cross import is_body

MEMORY_DIR = "riwayat"
INDEX = "riwayat.json"
MEMORY_VERSION = 2


def office_key(plan: Plan) -> str:
    """The office a workbook belongs to, whatever its file is called."""
    code = plan.identity.text(C.KEY_KODE_PD)
    if code:
        return f"kode:{code.casefold()}"
    office = plan.identity.text(C.KEY_PERANGKAT_DAERAH)
    if office:
        return f"nama:{' '.join(office.casefold().split())}"
    if is_body(plan):
        return f"instansi:{' '.join(plan.identity.text(C.KEY_INSTANSI).casefold().split())}"
    return ""


def sent_label(sent_at: float | None) -> str:
    if sent_at is None:
        return "tanpa tanggal"
    moment = datetime.datetime.fromtimestamp(sent_at, datetime.timezone.utc)
    return moment.strftime("%Y-%m-%d %H:%M UTC")


@dataclass
class Versions:
    """Which submissions count (index -> office key), and what happened to the others."""

    current: dict[int, str] = field(default_factory=dict)
    superseded: dict[int, int] = field(default_factory=dict)  # index -> the newer one's
    unordered: dict[int, list[int]] = field(default_factory=dict)  # index -> its twins


def order_versions(submissions: Sequence[tuple[int, Plan, float | None]]) -> Versions:
    """(index, plan, sent_at) of every readable submission -> :class:`Versions`."""
    by_office: dict[str, list[tuple[int, float | None]]] = {}
    versions = Versions()
    for index, plan, sent_at in submissions:
        key = office_key(plan)
        if not key:  # nothing identifies the office: a submission of its own
            versions.current[index] = ""
            continue
        by_office.setdefault(key, []).append((index, sent_at))
    for key, entries in by_office.items():
        if len(entries) == 1:
            versions.current[entries[0][0]] = key
            continue
        latest = max((sent for _, sent in entries if sent is not None), default=None)
        top = [index for index, sent in entries if sent == latest] if latest is not None else []
        undated = [index for index, sent in entries if sent is None]
        if len(top) == 1 and not undated:
            newest = top[0]
            versions.current[newest] = key
            for index, _ in entries:
                if index != newest:
                    versions.superseded[index] = newest
            continue
        # The latest cannot be told: the tied and the undated are each checked alone.
        twins = top + undated
        for index in twins:
            versions.current[index] = key
            versions.unordered[index] = [other for other in twins if other != index]
        for index, sent in entries:
            if index not in twins:
                versions.superseded[index] = twins[0]
    return versions


# --- memory ----------------------------------------------------------------------------------
@dataclass
class PreviousRound:
    """What an office submitted last time and what it got back."""

    file: str
    sent: str
    workbook: bytes
    findings: list[Finding]


@dataclass
class Memory:
    instansi: str = ""
    offices: dict[str, list[PreviousRound]] = field(default_factory=dict)  # newest first
    notice: str = ""  # one line when an unusable memory was set aside

    def previous(self, key: str, submitted: bytes) -> PreviousRound | None:
        """The round to compare a submission with: the office's last one, or the one before
        when this submission is the last one again (a re-run of the same inbox)."""
        rounds = self.offices.get(key, [])
        if rounds and rounds[0].workbook == submitted:
            return rounds[1] if len(rounds) > 1 else None
        return rounds[0] if rounds else None

    def remember(self, key: str, submitted: PreviousRound) -> None:
        rounds = self.offices.get(key, [])
        if rounds and rounds[0].workbook == submitted.workbook:
            rounds = rounds[1:]  # the same submission again: it replaces itself
        self.offices[key] = [submitted, *rounds[:1]]


def _slug(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()[:16]


def load_memory(folder: Path, instansi: str) -> Memory:
    """The memory in ``folder``; an empty one (with a notice) when it is missing, unreadable
    or of another body. Never raises."""
    index_path = folder / INDEX
    if not index_path.exists():
        return Memory(instansi)
    try:
        index = json.loads(index_path.read_text(encoding="utf-8"))
        if index.get("versi") != MEMORY_VERSION:
            raise ValueError("versi riwayat tidak dikenal")
        if _norm(index.get("instansi", "")) != _norm(instansi):
            return Memory(instansi, notice=(
                f"Riwayat di {folder} milik instansi lain ({index.get('instansi') or '-'}); "
                "riwayat baru dimulai."))
        offices: dict[str, list[PreviousRound]] = {}
        for key, entries in index.get("kantor", {}).items():
            offices[key] = [
                PreviousRound(entry.get("berkas", ""), entry.get("dikirim", ""),
                              (folder / f"{_slug(key)}-{number}.xlsx").read_bytes(),
                              [_finding(f) for f in entry.get("temuan", [])])
                for number, entry in enumerate(entries)]
        return Memory(instansi, offices)
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        return Memory(instansi, notice=(
            f"Riwayat di {folder} tidak dapat dibaca ({type(exc).__name__}); riwayat baru "
            "dimulai."))


def save_memory(folder: Path, memory: Memory) -> None:
    """Replace the memory in ``folder`` whole: written beside it, then swapped in."""
    folder = Path(folder)
    fresh = folder.with_name(f".{folder.name}.baru")
    stale = folder.with_name(f".{folder.name}.lama")
    shutil.rmtree(fresh, ignore_errors=True)
    shutil.rmtree(stale, ignore_errors=True)
    fresh.mkdir(parents=True)
    offices = {}
    for key, rounds in sorted(memory.offices.items()):
        for number, entry in enumerate(rounds):
            (fresh / f"{_slug(key)}-{number}.xlsx").write_bytes(entry.workbook)
        offices[key] = [{"berkas": entry.file, "dikirim": entry.sent,
                         "temuan": [_finding_dict(f) for f in entry.findings]}
                        for entry in rounds]
    index = {"versi": MEMORY_VERSION, "instansi": memory.instansi, "kantor": offices}
    (fresh / INDEX).write_text(json.dumps(index, ensure_ascii=False, indent=1) + "\n",
                               encoding="utf-8")
    if folder.exists():
        os.replace(folder, stale)
    os.replace(fresh, folder)
    shutil.rmtree(stale, ignore_errors=True)


def _norm(text: str) -> str:
    return " ".join(str(text).casefold().split())


def _finding_dict(f: Finding) -> dict[str, object]:
    loc = f.location
    return {"kode": f.code, "tingkat": f.severity.value, "pesan": f.message, "saran": f.suggestion,
            "sheet": loc.sheet, "baris": loc.row, "kolom": loc.column,
            "indeks_kolom": loc.column_index, "id": f.node_id, "level": f.level}


def _finding(data: dict[str, object]) -> Finding:
    return Finding(
        code=str(data["kode"]), severity=Severity(data["tingkat"]), message=str(data["pesan"]),
        suggestion=str(data.get("saran", "")),
        location=Location(sheet=str(data.get("sheet", "")), row=_int(data.get("baris")),
                          column=str(data.get("kolom", "")),
                          column_index=_int(data.get("indeks_kolom"))),
        node_id=str(data.get("id", "")), level=_int(data.get("level")),
    )


def _int(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        return 0
    return int(value)
