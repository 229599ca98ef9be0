"""The process runner: results for every job, even when a worker process dies."""

from __future__ import annotations

import pytest

from pohon_xl.batch.jobs import Job
from pohon_xl.batch.runners import InlineRunner, ProcessRunner, make_runner
from tests.batch.builders import crash_on_two


def test_a_dying_worker_only_loses_its_own_job():
    jobs = [Job(i, f"B{i}.xlsx", f"B{i}.xlsx") for i in range(5)]
    runner = ProcessRunner(2)
    try:
        results = list(runner.map(crash_on_two, jobs, lambda job, why: ("mati", job.index, why)))
    finally:
        runner.close()
    by_index = {r[1]: r for r in results}
    assert sorted(by_index) == [0, 1, 2, 3, 4] and len(results) == 5
    assert by_index[2][0] == "mati" and "berhenti mendadak" in by_index[2][2]
    assert all(by_index[i] == ("ok", i) for i in (0, 1, 3, 4))


def test_a_started_job_that_kills_its_worker_leaves_the_map_whole():
    runner = ProcessRunner(2)
    try:
        early = runner.start(crash_on_two, Job(2, "B2.xlsx", "B2.xlsx"))
        jobs = [Job(i, f"B{i}.xlsx", f"B{i}.xlsx") for i in (0, 1, 3, 4)]
        results = list(runner.map(crash_on_two, jobs, lambda job, why: ("mati", job.index, why)))
        with pytest.raises(Exception):  # noqa: B017 - broken pool or cancelled: the caller redoes it
            early()
    finally:
        runner.close()
    assert sorted(results) == [("ok", 0), ("ok", 1), ("ok", 3), ("ok", 4)]


def test_one_job_or_one_file_runs_inline():
    assert isinstance(make_runner(1, None, 10), InlineRunner)
    assert isinstance(make_runner(8, None, 1), InlineRunner)
    runner = make_runner(2, None, 10)
    assert isinstance(runner, ProcessRunner) and runner.workers == 2
