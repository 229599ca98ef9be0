"""The compound-file writer, read back by olefile in its strict mode."""

from __future__ import annotations

import io
import random
import struct

import olefile
import pytest

from pohon_xl.excel.vba.cfb import CfbError, build_compound_file, cfb_name_key

NOSTREAM = 0xFFFFFFFF


def _open(data: bytes) -> olefile.OleFileIO:
    # DEFECT_INCORRECT: olefile raises on anything the spec calls incorrect, not just fatal.
    return olefile.OleFileIO(io.BytesIO(data), raise_defects=olefile.DEFECT_INCORRECT)


def _tree(ole: olefile.OleFileIO) -> dict[str, str]:
    return {"/".join(path): ("stream" if ole.get_type("/".join(path)) == olefile.STGTY_STREAM
                             else "storage")
            for path in ole.listdir(streams=True, storages=True)}


def _check_red_black(ole: olefile.OleFileIO) -> int:
    """Check every storage's sibling tree: CFB order, no red-red, equal black heights."""
    entries = ole.direntries
    checked = 0

    def walk(sid: int, low: tuple | None, high: tuple | None) -> int:
        if sid == NOSTREAM:
            return 1
        entry = entries[sid]
        key = cfb_name_key(entry.name)
        assert (low is None or low < key) and (high is None or key < high), entry.name
        if entry.color == 0:  # red
            for child in (entry.sid_left, entry.sid_right):
                assert child == NOSTREAM or entries[child].color == 1, f"red-red at {entry.name}"
        left = walk(entry.sid_left, low, key)
        right = walk(entry.sid_right, key, high)
        assert left == right, f"black heights differ under {entry.name}"
        return left + (entry.color == 1)

    for entry in entries:
        if entry is not None and entry.entry_type in (olefile.STGTY_STORAGE, olefile.STGTY_ROOT):
            if entry.sid_child != NOSTREAM:
                assert entries[entry.sid_child].color == 1, "a sibling tree's root must be black"
                walk(entry.sid_child, None, None)
                checked += 1
    return checked


def test_vba_project_shape_reads_back() -> None:
    rng = random.Random(7)
    streams = {
        "PROJECT": b'ID="{00000000-0000-0000-0000-000000000000}"\r\n' * 10,
        "PROJECTwm": b"Module1\x00M\x00o\x00d\x00u\x00l\x00e\x001\x00\x00\x00\x00\x00",
        "VBA/_VBA_PROJECT": b"\xcc\x61\xff\xff\x00\x01\x00",
        "VBA/dir": rng.randbytes(1500),
        "VBA/Module1": rng.randbytes(4096),  # exactly the cutoff: a regular stream
        "VBA/ThisWorkbook": rng.randbytes(4095),  # just under: the mini stream
        "VBA/Sheet1": b"",
    }
    ole = _open(build_compound_file(streams))
    assert _tree(ole) == {"PROJECT": "stream", "PROJECTwm": "stream", "VBA": "storage",
                          **{path: "stream" for path in streams if path.startswith("VBA/")}}
    for path, data in streams.items():
        assert ole.openstream(path).read() == data, path
        assert ole.get_size(path) == len(data)
    assert ole.root.name == "Root Entry"
    assert all(e.clsid == "" for e in ole.direntries if e is not None)
    _check_red_black(ole)


def test_header_is_version_3_with_512_byte_sectors() -> None:
    data = build_compound_file({"a": b"x"})
    assert data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    minor, major, byte_order, sector_shift, mini_shift = struct.unpack_from("<HHHHH", data, 24)
    assert (minor, major, byte_order, sector_shift, mini_shift) == (0x3E, 3, 0xFFFE, 9, 6)
    (cutoff,) = struct.unpack_from("<I", data, 56)
    assert cutoff == 4096
    assert len(data) % 512 == 0


def test_nested_and_empty_storages() -> None:
    streams = {"A/B/C/deep": b"deep", "A/top": b"t" * 5000, "Z": b""}
    ole = _open(build_compound_file(streams, storages=["Empty", "A/B/Also empty"]))
    assert _tree(ole) == {
        "A": "storage", "A/B": "storage", "A/B/C": "storage", "A/B/C/deep": "stream",
        "A/B/Also empty": "storage", "A/top": "stream", "Empty": "storage", "Z": "stream"}
    assert ole.openstream("A/B/C/deep").read() == b"deep"
    assert ole.openstream("Z").read() == b""


@pytest.mark.parametrize("count", [1, 2, 3, 4, 7, 8, 15, 16, 31, 100])
def test_sibling_trees_are_valid_red_black_trees(count: int) -> None:
    rng = random.Random(count)
    names = {f"{rng.choice('abcXYZ_')}{rng.randrange(10 ** rng.randrange(1, 6))}" for _ in range(count)}
    streams = {f"S/{name}": name.encode() * rng.randrange(1, 300) for name in names}
    ole = _open(build_compound_file(streams))
    assert _check_red_black(ole) == 2  # the root's tree and S's
    for path, data in streams.items():
        assert ole.openstream(path).read() == data


def test_cfb_name_order_is_length_first_then_case_insensitive() -> None:
    names = ["dir", "_VBA_PROJECT", "Module1", "b", "A", "Sheet10", "Sheet2", "ThisWorkbook"]
    assert sorted(names, key=cfb_name_key) == [
        "A", "b", "dir", "Sheet2", "Module1", "Sheet10", "ThisWorkbook", "_VBA_PROJECT"]


def test_large_file_spills_fat_into_difat_sectors() -> None:
    """Over 109 FAT sectors (~6.8 MB) the FAT sector list continues in DIFAT sectors."""
    streams = {f"S{index}": bytes([index]) * 100_000 for index in range(75)}
    data = build_compound_file(streams)
    fat_sectors, = struct.unpack_from("<I", data, 44)
    difat_start, difat_count = struct.unpack_from("<II", data, 68)
    assert fat_sectors > 109 and difat_count >= 1 and difat_start != 0xFFFFFFFE
    ole = _open(data)
    for path, content in streams.items():
        assert ole.openstream(path).read() == content


@pytest.mark.parametrize(("streams", "message"), [
    ({"a/": b""}, "empty name"),
    ({"x" * 32: b""}, "longer than 31"),
    ({"a:b": b""}, "contains one of"),
    ({"VBA": b"", "vba/dir": b""}, "clashes"),
    ({"Module1": b"", "MODULE1": b""}, "given twice"),
])
def test_rejects_invalid_names(streams: dict[str, bytes], message: str) -> None:
    with pytest.raises(CfbError, match=message):
        build_compound_file(streams)
