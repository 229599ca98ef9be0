"""Run the benchmarks: every case as a whole process, several times; medians, ratios, targets.

    python -m benchmarks.run                    # everything (``make bench``)
    python -m benchmarks.run --quick            # 1k/10k and the office workbook only, 3 runs
    python -m benchmarks.run --only 10k/validasi,10k/openpyxl   # some cases
    python -m benchmarks.run --markdown benchmarks/RESULTS.md   # record a run for the docs

Each run is a subprocess; its wall time is measured around it and its peak memory (maximum
resident set size) comes from ``os.wait4`` of that child (for the batch: the largest of the
parent and its workers, as the kernel reports it). Baselines run in the same session, on the
same files, so ratios compare like with like on a noisy machine. Results go to
``benchmarks/results/latest.json`` and ``latest.md`` (git-ignored); the recorded run is
``benchmarks/RESULTS.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from benchmarks.generate import CASES, generate

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
PY = sys.executable
GIB = 1024 ** 3


def _cli() -> list[str]:
    script = Path(PY).with_name("pohon-xl")
    return [str(script)] if script.exists() else [PY, "-m", "pohon_xl"]


@dataclass
class Result:
    key: str  # e.g. "10k/validasi"
    label: str
    size: str
    runs: list[float] = field(default_factory=list)
    peaks: list[int] = field(default_factory=list)  # bytes
    exit_codes: list[int] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.runs)

    @property
    def peak(self) -> int:
        return max(self.peaks)


def measure(argv: list[str], cwd: Path) -> tuple[float, int, int]:
    """(wall seconds, peak RSS bytes, exit status) of one process."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    proc.stderr and proc.stderr.close()
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"{' '.join(argv)} exited {proc.returncode}:\n{err[-2000:]}")
    return elapsed, usage.ru_maxrss * 1024, proc.returncode


def machine() -> dict[str, object]:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) / 1024 ** 2:.1f} GiB"
    except OSError:
        pass
    versions = {}
    from importlib.metadata import PackageNotFoundError, version

    for package in ("pohon-xl", "python-calamine", "lxml", "isal", "openpyxl",
                    "frictionless", "xlsxwriter"):
        try:
            versions[package] = version(package)
        except PackageNotFoundError:
            versions[package] = "-"
    return {
        "nproc": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        "cpu": cpu or platform.processor(),
        "memory": memory,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "packages": versions,
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    }


def plan(quick: bool) -> list[tuple[str, str, str, list[str], int]]:
    """(key, label, size, argv, repeats); argv uses {out} for a fresh output path."""
    cli = _cli()
    bench = [PY, "-m", "benchmarks.baselines"]
    items: list[tuple[str, str, str, list[str], int]] = [
        ("import", "python -c 'import pohon_xl'", "-", [PY, "-c", "import pohon_xl"], 5),
    ]
    sizes = [("1k", "rows-1000", 5), ("10k", "rows-10000", 5)]
    if not quick:
        sizes.append(("100k", "rows-100000", 2))
    for size, case, repeats in sizes:
        path = str(generate(case))
        slow = {"1k": 5, "10k": 3, "100k": 1}[size]  # the slowest baselines: fewer runs
        items += [
            (f"{size}/calamine", "calamine: read all sheets", size, bench + ["calamine", path],
             repeats),
            (f"{size}/openpyxl", "openpyxl: load + 1 cell + save", size,
             bench + ["openpyxl", path, "{out}"], slow),
            (f"{size}/frictionless", "frictionless (its Excel support): PK + FK", size,
             bench + ["frictionless", path], slow),
            (f"{size}/frictionless-csv", "frictionless on CSV export: PK + FK", size,
             bench + ["frictionless-csv", path], repeats),
            (f"{size}/validasi", "pohon-xl validasi", size, cli + ["validasi", path, "-o", "{out}"],
             repeats),
            (f"{size}/turunkan", "pohon-xl turunkan", size, cli + ["turunkan", path, "-o", "{out}"],
             repeats),
            (f"{size}/turunkan-8", "turunkan, the 8 sheets of the target's day", size,
             bench + ["turunkan-8", path, "{out}"], repeats),
        ]
    office = str(generate("office-500"))
    items += [
        ("500/openpyxl-load", "openpyxl: load only (office, 500 rows)", "500",
         bench + ["openpyxl-load", office], 5),
        ("500/validasi", "pohon-xl validasi (office, 500 rows)", "500",
         cli + ["validasi", office, "-o", "{out}"], 5),
        ("500/turunkan", "pohon-xl turunkan (office, 500 rows)", "500",
         cli + ["turunkan", office, "-o", "{out}"], 5),
    ]
    if not quick:
        inbox = str(generate("inbox-50"))
        for jobs in (1, 2):
            items.append((f"batch/jobs{jobs}", f"pohon-xl batch (50 offices) --jobs {jobs}",
                          "50 files", cli + ["batch", inbox, "-o", "{outdir}", "--jobs", str(jobs)],
                          3))
        for processes in (1, 2):  # the machine's ceiling for the speedup above
            items.append((f"batch/cpu{processes}", f"fixed Python work in {processes} "
                          f"process{'es' if processes > 1 else ''}", "-",
                          bench + ["cpu", str(processes)], 3))
    return items


TARGETS = [
    # (name, numerator key, denominator key or None, limit, kind); "reference" rows are
    # printed for comparison and never fail.
    ("validasi 500-row office ≤ 1.15× a bare openpyxl load", "500/validasi",
     "500/openpyxl-load", 1.15, "ratio"),
    ("turunkan 500-row office ≤ 1.75× a bare openpyxl load", "500/turunkan",
     "500/openpyxl-load", 1.75, "ratio"),
    ("validasi 10k ≤ 0.25× openpyxl load+save", "10k/validasi", "10k/openpyxl", 0.25, "ratio"),
    ("turunkan 10k ≤ 0.5× openpyxl load+save", "10k/turunkan", "10k/openpyxl", 0.5, "ratio"),
    ("turunkan 100k peak memory ≤ 1 GiB", "100k/turunkan", None, 1.0, "memory"),
    ("batch 50: --jobs 2 ≥ 1.5× faster than --jobs 1", "batch/jobs1", "batch/jobs2", 1.5,
     "speedup"),
    ("(reference) turunkan 10k, the 8 derived sheets of the target's day, against openpyxl "
     "load+save", "10k/turunkan-8", "10k/openpyxl", None, "reference"),
    ("(reference) validasi 10k against frictionless", "10k/validasi", "10k/frictionless",
     None, "reference"),
    ("(reference) validasi 100k against openpyxl load+save", "100k/validasi",
     "100k/openpyxl", None, "reference"),
    ("(reference) turunkan 100k against openpyxl load+save", "100k/turunkan",
     "100k/openpyxl", None, "reference"),
]


def evaluate(results: dict[str, Result]) -> list[dict[str, object]]:
    verdicts = []
    for name, key, ref, limit, kind in TARGETS:
        if key not in results or (ref and ref not in results):
            continue
        value = results[key].median
        if kind == "reference":
            assert ref is not None
            figure = value / results[ref].median
            ok = None
            text = f"{figure:.3f}× ({value:.2f} s / {results[ref].median:.2f} s)"
            if "frictionless" in ref:
                text = (f"{1 / figure:.1f}× faster ({value:.2f} s vs "
                        f"{results[ref].median:.2f} s)")
        elif kind == "ratio":
            figure = value / results[ref].median
            ok = figure <= limit
            text = f"{figure:.3f}× ({value:.2f} s / {results[ref].median:.2f} s)"
        elif kind == "speedup":
            figure = value / results[ref].median
            ok = figure >= limit
            text = f"{figure:.2f}× ({value:.2f} s → {results[ref].median:.2f} s)"
            one, two = results.get("batch/cpu1"), results.get("batch/cpu2")
            if one and two:
                text += (f"; this machine's ceiling, the same Python work in 1 and 2 "
                         f"processes: {one.median / two.median:.2f}×")
        elif kind == "memory":
            figure = results[key].peak / GIB
            ok = figure <= limit
            text = f"{results[key].peak / 2 ** 20:.0f} MiB"
        else:
            figure = value
            ok = value <= limit
            text = f"{value:.3f} s"
        verdicts.append({"target": name, "pass": ok, "figure": round(figure, 4), "text": text})
    return verdicts


REFERENCE = {"validasi": "openpyxl", "turunkan": "openpyxl", "calamine": "openpyxl",
             "frictionless": "openpyxl", "frictionless-csv": "openpyxl"}


def table(results: dict[str, Result], rows_of: dict[str, int]) -> list[list[str]]:
    lines = [["case", "rows", "what", "runs", "median s", "min s", "peak MiB", "× openpyxl"]]
    for key, result in results.items():
        size, _, what = key.partition("/")
        ref = results.get(f"{size}/openpyxl")
        ratio = f"{result.median / ref.median:.2f}" if ref and what != "openpyxl" else ""
        lines.append([key, str(rows_of.get(size, "")), result.label, str(len(result.runs)),
                      f"{result.median:.3f}", f"{min(result.runs):.3f}",
                      f"{result.peak / 2 ** 20:.0f}", ratio])
    return lines


def render_text(lines: list[list[str]]) -> str:
    widths = [max(len(row[i]) for row in lines) for i in range(len(lines[0]))]
    out = []
    for index, row in enumerate(lines):
        out.append("  ".join(cell.ljust(w) if i in (0, 2) else cell.rjust(w)
                             for i, (cell, w) in enumerate(zip(row, widths))))
        if index == 0:
            out.append("  ".join("-" * w for w in widths))
    return "\n".join(out)


def _verdict(ok: object) -> str:
    return "reference" if ok is None else "PASS" if ok else "FAIL"


def render_markdown(data: dict[str, object], lines: list[list[str]]) -> str:
    m = data["machine"]
    out = [
        "# Benchmark results",
        "",
        "Written by `python -m benchmarks.run --markdown benchmarks/RESULTS.md` (`make bench` "
        "writes the same to `benchmarks/results/latest.md`); do not edit by hand. Every figure is a whole process (wall time, median of the runs; "
        "peak resident memory), measured in one session on the same generated files "
        "(`benchmarks/generate.py`).",
        "",
        f"Machine: {m['cpu']}, nproc {m['nproc']}, {m['memory']} memory, Python {m['python']} "
        f"({m['platform']}); {m['date']}.",
        "Packages: " + ", ".join(f"{k} {v}" for k, v in m["packages"].items()) + ".",
        "",
        "| " + " | ".join(lines[0]) + " |",
        "|" + "|".join("---" if i in (0, 2) else "---:" for i in range(len(lines[0]))) + "|",
    ]
    out += ["| " + " | ".join(row) + " |" for row in lines[1:]]
    out += ["", "| target | result | figure |", "|---|---|---|"]
    out += [f"| {v['target']} | {_verdict(v['pass'])} | {v['text']} |" for v in data["targets"]]
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="pohon-xl benchmarks")
    parser.add_argument("--quick", action="store_true", help="1k/10k/500 only")
    parser.add_argument("--only", default="", help="comma-separated key prefixes to run")
    parser.add_argument("--repeats", type=int, default=0, help="override the number of runs")
    parser.add_argument("--markdown", type=Path, help="also write the results as Markdown")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    print("Menyiapkan data …", flush=True)
    for case in CASES:
        if args.quick and case in ("rows-100000", "inbox-50"):
            continue
        generate(case)
    # As installed: with bytecode. (A PYTHONDONTWRITEBYTECODE environment would otherwise
    # make every measured process compile pohon_xl from source, ~0.1 s each.)
    subprocess.run([PY, "-m", "compileall", "-q", str(HERE.parent / "pohon_xl"), str(HERE)],
                   check=True)
    items = plan(args.quick)
    if args.only:
        prefixes = tuple(args.only.split(","))
        items = [item for item in items if item[0].startswith(prefixes)]
    rows_of = {"1k": 1_000, "10k": 10_000, "100k": 100_000, "500": 500}
    results: dict[str, Result] = {}
    repo = HERE.parent
    # Runs are interleaved within a group (one size: pohon-xl and its baselines): round 1
    # runs every case once, round 2 again, … so that a busy spell of the machine falls on
    # all the cases being compared, not on one of them.
    groups: dict[str, list[tuple[str, str, str, list[str], int]]] = {}
    for item in items:
        groups.setdefault(item[0].split("/")[0], []).append(item)
    with tempfile.TemporaryDirectory(prefix="pohon-bench-") as tmp:
        for group in groups.values():
            for key, label, size, _, _ in group:
                results[key] = Result(key, label, size)
            rounds = max(args.repeats or repeats for *_, repeats in group)
            for run in range(rounds):
                for key, _, _, argv_template, repeats in group:
                    if run >= (args.repeats or repeats):
                        continue
                    out = Path(tmp) / f"out-{run}.xlsx"
                    outdir = Path(tmp) / f"batch-{run}"
                    shutil.rmtree(outdir, ignore_errors=True)
                    out.unlink(missing_ok=True)
                    argv = [a.replace("{out}", str(out)).replace("{outdir}", str(outdir))
                            for a in argv_template]
                    elapsed, peak, code = measure(argv, repo)
                    result = results[key]
                    result.runs.append(elapsed)
                    result.peaks.append(peak)
                    result.exit_codes.append(code)
            for key, *_ in group:
                result = results[key]
                print(f"  {key:24s} median {result.median:7.3f} s  peak "
                      f"{result.peak / 2 ** 20:6.0f} MiB  ({len(result.runs)} runs)", flush=True)
    lines = table(results, rows_of)
    verdicts = evaluate(results)
    data = {
        "machine": machine(),
        "results": {k: {**asdict(r), "median": r.median, "peak": r.peak} for k, r in results.items()},
        "targets": verdicts,
        "seconds": round(time.perf_counter() - started, 1),
    }
    print()
    print(render_text(lines))
    print()
    for v in verdicts:
        print(f"{_verdict(v['pass']):9s}  {v['target']}: {v['text']}")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "latest.json").write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n",
                                         encoding="utf-8")
    markdown = render_markdown(data, lines)
    (RESULTS / "latest.md").write_text(markdown, encoding="utf-8")
    if args.markdown:
        args.markdown.write_text(markdown, encoding="utf-8")
    print(f"\n{data['seconds']} s; hasil: {RESULTS / 'latest.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
