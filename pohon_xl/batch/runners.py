"""Where the batch's jobs run: here (``--jobs 1``), in a pool of worker processes, or on a
Dask scheduler. Results come back in the order of the jobs' ``index`` where it matters to the
caller, never by completion, so the outputs do not depend on the runner.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import replace
from pathlib import Path
from typing import Any, Protocol, TypeVar

from pohon_xl.errors import InputError

J = TypeVar("J")
R = TypeVar("R")


class Runner(Protocol):
    def map(self, fn: Callable[[J], R], jobs: list[J], crashed: Callable[[J, str], R]
            ) -> Iterator[R]: ...

    def start(self, fn: Callable[[J], R], job: J) -> Callable[[], R] | None:
        """Run ``fn(job)`` alongside the next ``map``; None when it runs nowhere but here."""
        ...

    def close(self) -> None: ...


class InlineRunner:
    """``--jobs 1``: everything in this process, in order."""

    def map(self, fn, jobs, crashed):
        for job in jobs:
            yield fn(job)

    def start(self, fn, job):
        return None

    def close(self) -> None:
        pass


class ProcessRunner:
    """A process pool; at most ``2 × workers`` jobs in flight, so memory stays bounded.

    A worker that dies (a crash in a reader, the OOM killer) breaks the pool; the jobs that
    were not finished then run one by one, each in a fresh one-worker pool, so that only
    the culprit is reported and the others still complete.
    """

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self.pool: ProcessPoolExecutor | None = None

    # None: the platform's default start method (tests try "spawn", as on Windows and macOS).
    start_method: str | None = None

    def _executor(self, workers: int) -> ProcessPoolExecutor:
        import multiprocessing

        return ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context(
            self.start_method))

    def _pool(self) -> ProcessPoolExecutor:
        if self.pool is None:
            self.pool = self._executor(self.workers)
        return self.pool

    def map(self, fn, jobs, crashed):
        pending = iter(jobs)
        running: dict[Future, Any] = {}  # future -> its job (anything with an index)
        leftover: list = []

        def fill() -> bool:
            """False when the pool is broken (a job started with :meth:`start` may break it
            while no job of this map is running)."""
            while len(running) < 2 * self.workers:
                job = next(pending, None)
                if job is None:
                    return True
                try:
                    running[self._pool().submit(fn, job)] = job
                except BrokenProcessPool:
                    leftover.append(job)
                    return False
            return True

        broken = not fill()
        while running and not broken:
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in sorted(done, key=lambda f: running[f].index):
                job = running.pop(future)
                try:
                    yield future.result()
                except BrokenProcessPool:
                    broken = True
                    leftover.append(job)
            if not broken:
                broken = not fill()
        if broken:
            leftover += list(running.values()) + list(pending)
            running.clear()
            self.close()
        for job in sorted(leftover, key=lambda j: j.index):
            with self._executor(1) as single:
                try:
                    yield single.submit(fn, job).result()
                except BrokenProcessPool:
                    yield crashed(job, "proses pemeriksa berhenti mendadak (berkas mungkin "
                                       "rusak atau terlalu besar)")

    def start(self, fn, job):
        """Submitted ahead of the next ``map``'s jobs, so a worker takes it first. Should a
        worker die, it breaks like those jobs; its result() then raises and the caller
        does the work itself."""
        try:
            return self._pool().submit(fn, job).result
        except BrokenProcessPool:
            return None

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None


class DaskRunner:
    """The same job functions on a Dask distributed scheduler; files travel as bytes."""

    def __init__(self, address: str) -> None:
        try:
            from distributed import Client
        except ImportError:
            raise InputError('--dask memerlukan paket dask[distributed]: pip install '
                             '"dask[distributed]"') from None
        try:
            self.client = Client(address, timeout="10s")
        except Exception as exc:  # noqa: BLE001 - any connection failure is a bad argument
            raise InputError(f"tidak dapat terhubung ke penjadwal Dask {address} "
                             f"({type(exc).__name__}: {exc})") from None
        threads = sum(self.client.nthreads().values()) or 1
        self.window = max(4, 2 * threads)

    def map(self, fn, jobs, crashed):
        from distributed import as_completed

        pending = iter(jobs)
        by_key: dict[object, object] = {}
        stream = as_completed()

        def submit() -> bool:
            job = next(pending, None)
            if job is None:
                return False
            if job.path is not None and job.data is None:
                job = replace(job, data=Path(job.path).read_bytes(), path=None)
            future = self.client.submit(fn, job, pure=False)
            by_key[future.key] = job
            stream.add(future)
            return True

        for _ in range(self.window):
            if not submit():
                break
        for future in stream:
            job = by_key.pop(future.key)
            try:
                result = future.result()
            except Exception as exc:  # noqa: BLE001 - a killed worker, a lost task
                result = crashed(job, f"pekerja Dask gagal ({type(exc).__name__}: {exc})")
            future.release()
            yield result
            submit()

    def start(self, fn, job):
        future = self.client.submit(fn, job, pure=False)

        def result():
            try:
                return future.result()
            finally:
                future.release()

        return result

    def close(self) -> None:
        self.client.close()


def make_runner(jobs: int | None, dask: str | None, count: int) -> Runner:
    if dask:
        return DaskRunner(dask)
    workers = min(jobs or os.cpu_count() or 1, max(count, 1))
    return InlineRunner() if workers <= 1 else ProcessRunner(workers)


