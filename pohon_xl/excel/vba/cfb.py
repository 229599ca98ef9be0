"""A minimal Compound File Binary (MS-CFB) writer: the container a vbaProject.bin lives in.

Version 3 only (512-byte sectors), which is what Office writes for vbaProject.bin. Streams
smaller than 4096 bytes go to the mini stream (64-byte mini sectors, chained by the mini
FAT); larger ones get regular sectors chained by the FAT. More than 109 FAT sectors (files
over ~6.8 MB) spill into DIFAT sectors. CLSIDs, state bits and timestamps are all zero.

Siblings in a storage form a red-black tree ordered by the CFB rule (shorter name first,
then an upper-case code-point compare). We build a size-balanced tree from the sorted
siblings: every level is full except perhaps the last, so colouring that incomplete last
level red and everything else black satisfies the red-black rules.

Input is a mapping of paths ("VBA/dir") to bytes; storages are implied by the paths and
empty ones can be named separately. The root storage is "Root Entry".
"""

from __future__ import annotations

import struct
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

__all__ = ["CfbError", "build_compound_file", "cfb_name_key"]

MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
SECTOR_SIZE = 512
MINI_SECTOR_SIZE = 64
MINI_STREAM_CUTOFF = 4096
_IDS_PER_SECTOR = SECTOR_SIZE // 4
_HEADER_DIFAT = 109

FREESECT = 0xFFFFFFFF
ENDOFCHAIN = 0xFFFFFFFE
FATSECT = 0xFFFFFFFD
DIFSECT = 0xFFFFFFFC
NOSTREAM = 0xFFFFFFFF

_STORAGE, _STREAM, _ROOT = 1, 2, 5
_RED, _BLACK = 0, 1
_FORBIDDEN = set("/\\:!")


class CfbError(ValueError):
    """The requested compound file cannot be written (bad name, path clash, ...)."""


def cfb_name_key(name: str) -> tuple[int, str]:
    """Sort key of the CFB sibling order: UTF-16 length first, then upper-case compare."""
    return len(name.encode("utf-16-le")) // 2, name.upper()


@dataclass
class _Node:
    name: str
    kind: int
    data: bytes = b""
    children: dict[str, _Node] = field(default_factory=dict)  # keyed by upper-case name
    sid: int = 0
    left: int = NOSTREAM
    right: int = NOSTREAM
    child: int = NOSTREAM
    color: int = _BLACK
    start: int = ENDOFCHAIN


def _check_name(name: str, path: str) -> None:
    if not name:
        raise CfbError(f"empty name in path {path!r}")
    if len(name.encode("utf-16-le")) // 2 > 31:
        raise CfbError(f"name {name!r} is longer than 31 UTF-16 code units")
    if _FORBIDDEN & set(name):
        raise CfbError(f"name {name!r} contains one of / \\ : !")


def _build_tree(streams: Mapping[str, bytes], storages: Iterable[str]) -> _Node:
    root = _Node("Root Entry", _ROOT)

    def storage_at(parts: list[str], path: str) -> _Node:
        node = root
        for part in parts:
            _check_name(part, path)
            child = node.children.get(part.upper())
            if child is None:
                child = node.children[part.upper()] = _Node(part, _STORAGE, start=0)
            elif child.kind != _STORAGE or child.name != part:
                raise CfbError(f"{path!r}: {part!r} clashes with {child.name!r}")
            node = child
        return node

    for path in storages:
        storage_at(path.split("/"), path)
    for path, data in streams.items():
        *parents, name = path.split("/")
        parent = storage_at(parents, path)
        _check_name(name, path)
        if name.upper() in parent.children:
            raise CfbError(f"{path!r} is given twice (names compare case-insensitively)")
        parent.children[name.upper()] = _Node(name, _STREAM, bytes(data))
    return root


def _number(root: _Node) -> list[_Node]:
    """Give every node a directory index (root first, depth first) and link sibling trees."""
    order: list[_Node] = []

    def visit(node: _Node) -> None:
        node.sid = len(order)
        order.append(node)
        siblings = sorted(node.children.values(), key=lambda n: cfb_name_key(n.name))
        for child in siblings:
            visit(child)
        if siblings:
            node.child = _link_siblings(siblings)

    visit(root)
    return order


def _link_siblings(siblings: list[_Node]) -> int:
    """Make a size-balanced red-black tree of sorted siblings; return the root's index."""
    full_levels = (len(siblings) + 1).bit_length() - 1  # levels completely filled
    perfect = len(siblings) == (1 << full_levels) - 1

    def build(low: int, high: int, depth: int) -> int:
        if low >= high:
            return NOSTREAM
        middle = (low + high) // 2
        node = siblings[middle]
        node.left = build(low, middle, depth + 1)
        node.right = build(middle + 1, high, depth + 1)
        node.color = _RED if not perfect and depth == full_levels else _BLACK
        return node.sid

    return build(0, len(siblings), 0)


def _chain(fat: list[int], first: int, count: int) -> None:
    for index in range(first, first + count - 1):
        fat[index] = index + 1
    fat[first + count - 1] = ENDOFCHAIN


def _sectors(size: int, sector: int) -> int:
    return -(-size // sector)


def _dir_entry(node: _Node, size: int) -> bytes:
    name = node.name.encode("utf-16-le") + b"\x00\x00"
    return struct.pack(
        "<64sHBBIII16sIQQIQ",
        name, len(name), node.kind, node.color, node.left, node.right, node.child,
        b"\x00" * 16, 0, 0, 0, node.start, size,
    )


_EMPTY_DIR_ENTRY = struct.pack(
    "<64sHBBIII16sIQQIQ", b"", 0, 0, 0, NOSTREAM, NOSTREAM, NOSTREAM, b"\x00" * 16, 0, 0, 0, 0, 0)


def build_compound_file(streams: Mapping[str, bytes], storages: Iterable[str] = ()) -> bytes:
    """Write a version-3 compound file holding ``streams`` (``"VBA/dir"`` -> bytes).

    ``storages`` names extra (possibly empty) storages; those containing streams are implied.
    """
    root = _build_tree(streams, storages)
    nodes = _number(root)
    stream_nodes = [n for n in nodes if n.kind == _STREAM]
    small = [n for n in stream_nodes if 0 < len(n.data) < MINI_STREAM_CUTOFF]
    large = [n for n in stream_nodes if len(n.data) >= MINI_STREAM_CUTOFF]

    # Mini stream and mini FAT.
    mini_fat: list[int] = []
    mini_stream = bytearray()
    for node in small:
        count = _sectors(len(node.data), MINI_SECTOR_SIZE)
        node.start = len(mini_fat)
        mini_fat += [0] * count
        _chain(mini_fat, node.start, count)
        mini_stream += node.data.ljust(count * MINI_SECTOR_SIZE, b"\x00")

    dir_count = _sectors(len(nodes) * 128, SECTOR_SIZE)
    minifat_count = _sectors(len(mini_fat) * 4, SECTOR_SIZE)
    ministream_count = _sectors(len(mini_stream), SECTOR_SIZE)
    data_count = dir_count + minifat_count + ministream_count + sum(
        _sectors(len(n.data), SECTOR_SIZE) for n in large)

    # FAT and DIFAT sectors describe themselves too: grow until the counts are stable.
    fat_count, difat_count = 0, 0
    while True:
        total = fat_count + difat_count + data_count
        need_fat = _sectors(total, _IDS_PER_SECTOR)
        need_difat = _sectors(max(need_fat - _HEADER_DIFAT, 0), _IDS_PER_SECTOR - 1)
        if (need_fat, need_difat) == (fat_count, difat_count):
            break
        fat_count, difat_count = need_fat, need_difat

    fat = [FREESECT] * (fat_count * _IDS_PER_SECTOR)
    next_sector = 0
    fat_sectors = list(range(next_sector, next_sector + fat_count))
    for sector in fat_sectors:
        fat[sector] = FATSECT
    next_sector += fat_count
    difat_sectors = list(range(next_sector, next_sector + difat_count))
    for sector in difat_sectors:
        fat[sector] = DIFSECT
    next_sector += difat_count

    def allocate(count: int) -> int:
        nonlocal next_sector
        if count == 0:
            return ENDOFCHAIN
        first = next_sector
        _chain(fat, first, count)
        next_sector += count
        return first

    dir_start = allocate(dir_count)
    minifat_start = allocate(minifat_count)
    root.start = allocate(ministream_count)
    for node in large:
        node.start = allocate(_sectors(len(node.data), SECTOR_SIZE))

    header_difat = (fat_sectors + [FREESECT] * _HEADER_DIFAT)[:_HEADER_DIFAT]
    header = struct.pack(
        "<8s16sHHHHH6sIIIIIIIII",
        MAGIC, b"\x00" * 16, 0x003E, 0x0003, 0xFFFE, 9, 6, b"\x00" * 6,
        0, fat_count, dir_start, 0, MINI_STREAM_CUTOFF,
        minifat_start, minifat_count,
        difat_sectors[0] if difat_sectors else ENDOFCHAIN, difat_count,
    ) + struct.pack(f"<{_HEADER_DIFAT}I", *header_difat)

    out = bytearray(header)
    out += struct.pack(f"<{len(fat)}I", *fat)
    spilled = fat_sectors[_HEADER_DIFAT:]
    for index, sector in enumerate(difat_sectors):
        ids = spilled[index * 127:(index + 1) * 127]
        ids += [FREESECT] * (127 - len(ids))
        ids.append(difat_sectors[index + 1] if index + 1 < len(difat_sectors) else ENDOFCHAIN)
        out += struct.pack("<128I", *ids)

    directory = bytearray()
    for node in nodes:
        size = len(mini_stream) if node.kind == _ROOT else len(node.data)
        directory += _dir_entry(node, size)
    while len(directory) % SECTOR_SIZE:
        directory += _EMPTY_DIR_ENTRY
    out += directory
    minifat_bytes = struct.pack(f"<{len(mini_fat)}I", *mini_fat)
    out += minifat_bytes.ljust(minifat_count * SECTOR_SIZE, b"\xff")
    out += bytes(mini_stream).ljust(ministream_count * SECTOR_SIZE, b"\x00")
    for node in large:
        out += node.data.ljust(_sectors(len(node.data), SECTOR_SIZE) * SECTOR_SIZE, b"\x00")
    assert len(out) == SECTOR_SIZE * (1 + next_sector)
    return bytes(out)
