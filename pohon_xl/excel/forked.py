"""Run a pure build in a forked child process while this process goes on.

The derivations and their rendering are pure Python, so threads cannot overlap them (the
GIL); a forked child starts with everything already in memory (the plan, the tree, the
style book) at no copying cost, builds its part on the second core and sends back only the
result. Where there is no ``fork`` (Windows, where Excel runs; macOS, where forking is
unsafe) or only one core, or when the child fails in any way, the build runs here instead:
the result is the same, only later.
"""

from __future__ import annotations

import os
import pickle
import sys
import threading
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


def can_fork() -> bool:
    return sys.platform == "linux" and hasattr(os, "fork") and (os.cpu_count() or 1) > 1


def single_threaded() -> bool:
    """Whether this process runs no other thread: one might hold a lock that a forked
    child would then wait on forever."""
    return threading.active_count() == 1


def fork_child(body: Callable[[], object]) -> int:
    """Fork; the child runs ``body`` and leaves at once (status 0 when it returned, 1 when it
    raised) without running anything of this process's exit. Returns the child's pid."""
    pid = os.fork()
    if pid == 0:
        status = 1
        try:
            body()
            status = 0
        finally:
            os._exit(status)
    return pid


class Forked(Generic[T]):
    """``work()`` started in a child process; :meth:`result` waits for what it returned.

    ``work`` must be pure and deterministic, and its result picklable: on any failure of
    the child it is simply run again here, and must then give the same result.
    """

    def __init__(self, work: Callable[[], T], *, fork: bool = True) -> None:
        self._work = work
        self._pid = 0
        self._chunks: list[bytes] = []
        self._reader: threading.Thread | None = None
        self.from_child = False  # whether :meth:`result` came from the child
        if fork and can_fork():
            self._start()

    def _start(self) -> None:
        read_end, write_end = os.pipe()

        def build_and_send() -> None:  # in the child
            os.close(read_end)
            result = self._work()
            with os.fdopen(write_end, "wb") as pipe:
                pickle.dump(result, pipe, protocol=pickle.HIGHEST_PROTOCOL)

        self._pid = fork_child(build_and_send)
        os.close(write_end)
        # Read as it comes: a child blocked on a full pipe would hold its memory meanwhile.
        self._reader = threading.Thread(target=self._drain, args=(read_end,), daemon=True)
        self._reader.start()

    def _drain(self, read_end: int) -> None:
        with os.fdopen(read_end, "rb") as pipe:
            while chunk := pipe.read(1 << 20):
                self._chunks.append(chunk)

    @property
    def forked(self) -> bool:
        return self._pid != 0

    def result(self) -> T:
        if self._pid:
            assert self._reader is not None
            self._reader.join()
            _, status = os.waitpid(self._pid, 0)
            self._pid = 0
            data, self._chunks = b"".join(self._chunks), []
            if os.waitstatus_to_exitcode(status) == 0 and data:
                self.from_child = True
                return pickle.loads(data)
        return self._work()
