"""A run's second core from its first moment: a helper process started before the parser,
the rules or pydantic are even imported (Linux, large workbooks).

Reading: the contract's sheets are shared out through a queue of tokens in a pipe, the
level sheets (most of a workbook's cells) first, the lowest level first. The child starts
taking them at once; this process takes the rest once it has imported what it needs, and
the child sends over what it read (:class:`SheetShare` is what the reader sees of it).

Writing (``validasi``): the child then opens the package and finds every row of the level
sheets (:func:`~pohon_xl.excel.xlsxpatch.prepare`) while this process parses and checks;
handed the edits, it writes the result file the way :func:`~pohon_xl.excel.write.
write_workbook` always does (a temporary file moved over the target).

Anything the child does not deliver (it failed, died, or was never started: Windows, macOS,
one core, a small file) is done here instead, the same way: the results are the same either
way, only later. The child writes nothing before it is handed the edits, so a run that stops
early (bad input, a crash) leaves no file behind.
"""

from __future__ import annotations

import marshal
import os
import pickle
import queue
import struct
import threading
from collections.abc import Callable
from pathlib import Path

from pohon_xl.excel.forked import can_fork, fork_child, single_threaded
from pohon_xl.model import contract as C
from pohon_xl.model.raw import RawSheet, level_sheet_names

MIN_BYTES = 256 * 1024  # below this (about 3 000 rows) a second process does not pay
_HEADER = struct.Struct("<QB")  # a frame: its length, and how it is encoded
_MARSHAL, _PICKLE = 0, 1
_CLOSED = object()  # the child's end of the pipe closed


class Ahead:
    """The helper for one workbook; use as a context manager (its exit stops the child).

    ``write``: the helper also prepares and writes the result (``validasi``); otherwise it
    only reads (``turunkan``, whose writing builds the derived sheets as it goes).
    """

    def __init__(self, path: Path, *, write: bool, fork: bool | None = None) -> None:
        self.path, self.write = Path(path), write
        self._pid = 0
        self._to_child = self._tokens = -1
        self._frames: queue.Queue = queue.Queue()
        self._reader: threading.Thread | None = None
        if fork is None:
            fork = _large(self.path)
        if fork and can_fork() and single_threaded():
            self._start()

    @property
    def started(self) -> bool:
        return self._pid != 0

    def share(self) -> SheetShare | None:
        """The reading of the sheets, shared with the child (None: read them all here)."""
        return SheetShare(self) if self._pid else None

    # -- this process -------------------------------------------------------------------------
    def _start(self) -> None:
        from_child, to_parent = os.pipe()
        from_parent, to_child = os.pipe()
        tokens, fill = os.pipe()

        def helper() -> None:  # in the child
            os.close(from_child)
            os.close(to_child)
            _Child(self.path, self.write, to_parent, from_parent, tokens, fill).run()

        pid = fork_child(helper)
        for fd in (to_parent, from_parent, fill):
            os.close(fd)
        self._pid, self._to_child, self._tokens = pid, to_child, tokens
        # Frames are read as they come: a child blocked on a full pipe would wait for us.
        self._reader = threading.Thread(target=self._drain, args=(from_child,), daemon=True)
        self._reader.start()

    def _drain(self, fd: int) -> None:
        with os.fdopen(fd, "rb") as pipe:
            while True:
                head = pipe.read(_HEADER.size)
                if len(head) < _HEADER.size:
                    break
                size, kind = _HEADER.unpack(head)
                data = pipe.read(size)
                if len(data) < size:
                    break
                self._frames.put((kind, data))
        self._frames.put(_CLOSED)

    def _next(self) -> object:
        """The child's next message; None once it is gone."""
        if not self._pid:
            return None
        frame = self._frames.get()
        if frame is _CLOSED:
            self._frames.put(_CLOSED)  # and for any later call
            return None
        kind, data = frame
        try:
            return marshal.loads(data) if kind == _MARSHAL else pickle.loads(data)
        except Exception:  # noqa: BLE001 - a garbled frame counts as nothing delivered
            return None

    def _take(self) -> int | None:
        token = os.read(self._tokens, 1) if self._pid else b""
        return token[0] if token else None

    def _send(self, message: object) -> bool:
        try:
            _send(self._to_child, message)
        except (OSError, pickle.PicklingError):
            return False
        return True

    def written(self, target: Path, edits: object,
                meanwhile: Callable[[], object] | None = None) -> bool:
        """Hand the child the edits (and run ``meanwhile`` here as it writes); True once it
        wrote ``target``, False when it did not (then nothing of it is left: write the file
        here)."""
        if not (self._pid and self.write) or not self._send((str(target), edits)):
            return False
        if meanwhile is not None:
            meanwhile()
        return self._next() is True

    def close(self) -> None:
        """Let the child go (closing its pipe tells it to stop) and wait for it."""
        if not self._pid:
            return
        os.close(self._to_child)
        os.close(self._tokens)
        if self._reader is not None:
            self._reader.join()
        os.waitpid(self._pid, 0)
        self._pid = 0

    def __enter__(self) -> Ahead:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class SheetShare:
    """What :func:`~pohon_xl.excel.read.read_raw` sees of the helper: which sheet to read
    next, and what the helper read."""

    def __init__(self, ahead: Ahead) -> None:
        self._ahead = ahead

    @staticmethod
    def order(names: list[str]) -> list[str]:
        """The sheets (as named in the workbook) in the order they are handed out: the level
        sheets, the lowest level (usually the largest sheet) first, then the others."""
        levels = level_sheet_names(names)
        return levels[::-1] + [name for name in names if name not in levels]

    def take(self) -> int | None:
        """The index in :meth:`order` of the next sheet to read here; None: none is left."""
        return self._ahead._take()

    def others(self, mine: dict[str, RawSheet]) -> dict[str, RawSheet]:
        """The sheets the helper read (once every sheet is taken); the helper is told the
        header rows of ``mine`` (to prepare the writing)."""
        ahead = self._ahead
        found: dict[str, RawSheet] = {}
        while (message := ahead._next()) is not None and message != "done":
            if isinstance(message, tuple) and len(message) == 3:
                name, rows, merged = message
                found[name] = RawSheet(name, rows, merged)
        if ahead.write:
            ahead._send({name: sheet.rows[0] if sheet.rows else []
                         for name, sheet in mine.items()})  # (it keeps the level sheets')
        else:
            ahead.close()  # nothing more to do for it
        return found


def _large(path: Path) -> bool:
    try:
        return path.stat().st_size >= MIN_BYTES
    except OSError:
        return False


def _send(fd: int, message: object) -> None:
    """One frame: marshal where it can (plain cell values: about twice as fast), else
    pickle (dates, the edits)."""
    try:
        data, kind = marshal.dumps(message), _MARSHAL
    except ValueError:
        data, kind = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL), _PICKLE
    view = memoryview(_HEADER.pack(len(data), kind) + data)
    while view:
        view = view[os.write(fd, view):]


def _receive(fd: int) -> object:
    """The next message from the parent; None when it closed the pipe."""
    head = _read_exactly(fd, _HEADER.size)
    if head is None:
        return None
    size, kind = _HEADER.unpack(head)
    data = _read_exactly(fd, size)
    if data is None:
        return None
    return marshal.loads(data) if kind == _MARSHAL else pickle.loads(data)


def _read_exactly(fd: int, size: int) -> bytes | None:
    parts, left = [], size
    while left:
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            return None
        parts.append(chunk)
        left -= len(chunk)
    return b"".join(parts)


# -- the child ----------------------------------------------------------------------------------
class _Child:
    def __init__(self, path: Path, write: bool, to_parent: int, from_parent: int,
                 tokens: int, fill: int) -> None:
        self.path, self.write = path, write
        self.to_parent, self.from_parent = to_parent, from_parent
        self.tokens, self.fill = tokens, fill
        self.levels: set[str] = set()
        self.first_columns: dict[str, int] = {}

    def run(self) -> None:
        self.read()
        _send(self.to_parent, "done")
        if not self.write:
            return
        headers = _receive(self.from_parent)  # of the sheets the parent read
        if headers is None:  # the run stopped before writing
            return
        for name, header in headers.items():
            if name in self.levels:
                self.first_columns[name] = first_written_column(header)
        prepared = self.prepare()
        message = _receive(self.from_parent)
        if message is None:
            return
        from pohon_xl.excel.write import write_workbook

        target, edits = message
        try:
            write_workbook(self.path, Path(target), edits, prepared=prepared)
        except BaseException:  # noqa: BLE001 - the parent writes it, and reports the error
            _send(self.to_parent, False)
            return
        _send(self.to_parent, True)

    def read(self) -> None:
        """Take sheets off the queue and send each as it is read. The queue is filled here:
        if this fails first, the parent finds it empty and reads them all."""
        from pohon_xl.excel.read import open_workbook, read_sheets, worksheet_names

        try:
            book = open_workbook(self.path)
            names = worksheet_names(book, contract_only=True)
            self.levels = set(level_sheet_names(names))
            order = SheetShare.order(names)
            os.write(self.fill, bytes(range(len(order))))
        finally:
            os.close(self.fill)  # the queue is complete (or empty)
        while token := os.read(self.tokens, 1):
            name = order[token[0]]
            try:
                sheet = read_sheets(book, [name])[0]
            except Exception:  # noqa: BLE001 - not sent: the parent reads it, and reports it
                continue
            if name in self.levels:
                self.first_columns[name] = first_written_column(sheet.rows[0] if sheet.rows
                                                                else [])
            _send(self.to_parent, (sheet.name, sheet.rows, sheet.merged))
        os.close(self.tokens)

    def prepare(self):
        """The package opened and the level sheets scanned for where `Status` probably
        goes (the parser decides; the guess only saves a second look at each row)."""
        from pohon_xl.excel.xlsxpatch import prepare

        try:
            return prepare(self.path, self.first_columns)
        except Exception:  # noqa: BLE001 - then patch() opens it itself
            return None


_OURS = {C.normalise_header(C.STATUS), C.normalise_header(C.CATATAN)}


def first_written_column(header: list[object]) -> int:
    """The first column ``validasi`` probably writes on a level sheet with this header row:
    an existing `Status`/`Catatan Validasi` column, else the one right of the last header
    (:func:`pohon_xl.core.annotate.status_columns` decides; this only guesses, from the
    header alone, for a scan made before the parser runs)."""
    ours, last = [], 0
    for index, label in enumerate(header, start=1):
        key = C.normalise_header(label)
        if key in _OURS:
            ours.append(index)
        elif key:
            last = index
    return min(ours) if ours else last + 1
