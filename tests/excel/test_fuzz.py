"""Seeded fuzzing of the command line (issue 18): a few hundred mutations of a valid workbook.

For every mutation: exit status 0, 1 or 2 only, never the catch-all error, the input never
changed; every result opens in openpyxl (when its input does), has no cell outside Excel's
grid and no cell format that does not exist (unless the input's same cell had it), and
LibreOffice loads a sample of the results whenever it loads their inputs.

Run alone: ``make fuzz``; ``FUZZ_CASES`` and ``FUZZ_SEED`` change its size and seed.
"""

from __future__ import annotations

import hashlib
import os
import random
import re
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.excel.hostile import (
    CATCH_ALL, EXAMPLE, check_output, libreoffice_loads, opens, rezip, run_cli,
)

pytestmark = [pytest.mark.fuzz, pytest.mark.slow]

SEED = int(os.environ.get("FUZZ_SEED", "18"))
CASES = int(os.environ.get("FUZZ_CASES", "300"))
TURUNKAN_EVERY = 10  # turunkan writes much more; validasi on the others
LIBREOFFICE_SAMPLE = 12

ODD_VALUES = [b"", b"-1", b"0", b"1048577", b"16385", b"4294967296", b"99999", b"abc", b"'",
              b"XFD1048577", b"XFE1", b"A0", b"A1:XFD1048576", b"1:1048577", b"&amp;", b"1e9",
              b"Data 'Lama'", b"..", b"/xl/../../x.xml", b"\xe0\xb8\x82", b"_xlnm.Print_Titles"]
ODD_TEXTS = [b"", b"=1+1", b"@SUM(A1)", b"_x0041_", b"&#1;", b"x" * 40000, b"ID-1", b"12.5",
             b"\xd0\x94"]
_ATTRIBUTE = re.compile(rb'(\s[A-Za-z:]+=")([^"]*)(")')
_ELEMENT = re.compile(rb"<([A-Za-z:]+)\b[^>]*?(?:/>|>[^<]*</\1>)")
_TEXT = re.compile(rb">([^<]+)<")


def _attribute(data: bytes, rng: random.Random) -> bytes:
    found = list(_ATTRIBUTE.finditer(data))
    if not found:
        return data
    match = rng.choice(found)
    value = rng.choice(ODD_VALUES + [m.group(2) for m in rng.sample(found, min(3, len(found)))])
    return data[:match.start(2)] + value + data[match.end(2):]


def _element(data: bytes, rng: random.Random) -> bytes:
    found = list(_ELEMENT.finditer(data))
    if not found:
        return data
    match = rng.choice(found)
    if rng.random() < 0.5:
        return data[:match.start()] + data[match.end():]  # dropped
    return data[:match.end()] + match.group() + data[match.end():]  # twice


def _text(data: bytes, rng: random.Random) -> bytes:
    found = list(_TEXT.finditer(data))
    if not found:
        return data
    match = rng.choice(found)
    return data[:match.start(1)] + rng.choice(ODD_TEXTS) + data[match.end(1):]


def _truncated(data: bytes, rng: random.Random) -> bytes:
    return data[:rng.randrange(len(data))] if data else data


XML_MUTATIONS: list[Callable[[bytes, random.Random], bytes]] = [
    _attribute, _attribute, _attribute, _element, _text, _truncated]


def _mutate(rng: random.Random, folder: Path, index: int) -> Path:
    """One mutated copy of the example: mostly one to three changes inside its XML parts,
    sometimes a part removed or bytes of the zip itself changed."""
    path = folder / f"m{index:03d}.xlsx"
    with zipfile.ZipFile(EXAMPLE) as archive:
        names = archive.namelist()
        parts = {name: archive.read(name) for name in names}
    kind = rng.random()
    if kind < 0.08:
        rezip(EXAMPLE, path, {rng.choice(names): None})
    elif kind < 0.16:
        data = bytearray(EXAMPLE.read_bytes())
        for _ in range(rng.randint(1, 4)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        path.write_bytes(bytes(data))
    else:
        change: dict[str, bytes | None] = {}
        for _ in range(rng.randint(1, 3)):
            # Sheets most often: they are what the writer edits.
            name = rng.choice([n for n in names if "worksheets/" in n] * 3 + names)
            mutation = rng.choice(XML_MUTATIONS)
            change[name] = mutation(change.get(name) or parts[name], rng)
        rezip(EXAMPLE, path, change)
    return path


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_fuzz_the_command_line(tmp_path):
    rng = random.Random(SEED)
    outcomes: dict[int, int] = {0: 0, 1: 0, 2: 0}
    written: list[tuple[Path, Path]] = []
    for index in range(CASES):
        case = tmp_path / f"c{index:03d}"
        case.mkdir()
        path = _mutate(rng, case, index)
        command = "turunkan" if index % TURUNKAN_EVERY == 0 else "validasi"
        out = case / f"hasil{path.suffix}"
        before = _digest(path)
        code, err = run_cli(command, str(path), "-o", str(out))
        where = f"case {index} (seed {SEED}, {command})"
        assert code in (0, 1, 2), f"{where}: exit {code}: {err}"
        assert CATCH_ALL not in err and "Traceback" not in err, f"{where}: {err}"
        assert _digest(path) == before, f"{where}: input changed"
        outcomes[code] += 1
        if code == 2:
            assert len(err.strip().splitlines()) == 1 and not out.exists(), f"{where}: {err}"
            shutil.rmtree(case)
            continue
        try:
            check_output(path, out)
        except AssertionError as exc:
            raise AssertionError(f"{where}: {exc}") from None
        written.append((path, out))
    # Both answers happen: the mutations reach the writer, and some are refused.
    assert outcomes[2] and outcomes[0] + outcomes[1] > CASES // 3, outcomes
    if shutil.which("soffice") and written:
        sample = random.Random(SEED).sample(written, min(LIBREOFFICE_SAMPLE, len(written)))
        loads = libreoffice_loads([p for pair in sample for p in pair])
        broken = [out.name for path, out in sample if loads[path] and not loads[out]]
        assert not broken, f"LibreOffice loads the inputs but not: {broken}"
        assert any(loads.values())


def test_mutations_are_seeded(tmp_path):
    """The same seed gives the same workbooks: a failure can be replayed."""
    first = [_digest(_mutate(random.Random(SEED), tmp_path, 0)) for _ in range(2)]
    assert first[0] == first[1]
    assert opens(EXAMPLE)
