"""MS-OVBA 2.4.1 compression: the LZ77 variant every VBA stream is stored in.

A CompressedContainer is the signature byte 0x01 followed by chunks. Each chunk carries at
most 4096 bytes of decompressed data and starts with a 16-bit header:

- bits 0-11: chunk size including the header, minus 3;
- bits 12-14: the chunk signature 0b011;
- bit 15: 1 when the chunk holds token sequences, 0 for a raw chunk of exactly 4096 bytes.

A token sequence is a flag byte followed by up to eight tokens, bit *i* of the flag telling
whether token *i* is a literal byte (0) or a 16-bit CopyToken (1). A CopyToken packs an
offset and a length, and how many bits each gets depends on how far into the decompressed
chunk the token starts (2.4.1.3.19.1 "CopyToken Help"): the further in, the more offset bits.

The compressor is greedy (longest match first, as in the spec) with a hash chain to find
candidates quickly; any valid match decompresses the same, so output is deterministic but
not byte-identical to Office's.
"""

from __future__ import annotations

import struct

__all__ = ["CompressionError", "compress", "decompress"]

SIGNATURE = 0x01
CHUNK_SIZE = 4096  # decompressed bytes per chunk
_CHUNK_SIGNATURE = 0b011
_MAX_CHUNK_DATA = 4096  # a compressed chunk's data (after the header) may not exceed this
_MIN_MATCH = 3
_MAX_CANDIDATES = 128  # hash-chain depth: enough for source code, bounded for random data


class CompressionError(ValueError):
    """The bytes are not a valid MS-OVBA CompressedContainer."""


def _copy_token_help(difference: int) -> tuple[int, int, int]:
    """Return (bit_count, length_mask, maximum_length) for a token ``difference`` bytes in.

    ``difference`` is DecompressedCurrent - DecompressedChunkStart (>= 1 for a CopyToken).
    """
    bit_count = max((difference - 1).bit_length(), 4)  # ceil(log2(difference)), at least 4
    length_mask = 0xFFFF >> bit_count
    return bit_count, length_mask, length_mask + 3


def _pack_copy_token(offset: int, length: int, difference: int) -> int:
    bit_count, _, maximum_length = _copy_token_help(difference)
    assert 1 <= offset <= difference and _MIN_MATCH <= length <= maximum_length
    return ((offset - 1) << (16 - bit_count)) | (length - 3)


def _unpack_copy_token(token: int, difference: int) -> tuple[int, int]:
    bit_count, length_mask, _ = _copy_token_help(difference)
    length = (token & length_mask) + 3
    offset = ((token & ~length_mask & 0xFFFF) >> (16 - bit_count)) + 1
    return offset, length


def _match_length(data: bytes, candidate: int, current: int, limit: int) -> int:
    """How many bytes from ``candidate`` equal those from ``current`` (at most ``limit``).

    Comparing in the original buffer is exact even when the match overlaps ``current``:
    the decompressor copies byte by byte, reproducing exactly these bytes.
    """
    n = 0
    while n + 32 <= limit and (data[candidate + n:candidate + n + 32]
                               == data[current + n:current + n + 32]):
        n += 32
    while n < limit and data[candidate + n] == data[current + n]:
        n += 1
    return n


def _compress_chunk(chunk: bytes) -> bytes:
    """Token sequences for one decompressed chunk (2.4.1.3.7), without the header."""
    out = bytearray()
    heads: dict[bytes, list[int]] = {}  # 3-byte prefix -> earlier positions, oldest first
    end = len(chunk)
    current = 0
    while current < end:
        flag_index = len(out)
        out.append(0)
        flag = 0
        for bit in range(8):
            if current >= end:
                break
            best_length, best_offset = 0, 0
            if current > 0 and current + _MIN_MATCH <= end:
                _, _, maximum_length = _copy_token_help(current)
                limit = min(maximum_length, end - current)
                for candidate in reversed(heads.get(chunk[current:current + 3], ())[-_MAX_CANDIDATES:]):
                    length = _match_length(chunk, candidate, current, limit)
                    if length > best_length:
                        best_length, best_offset = length, current - candidate
                        if length == limit:
                            break
            step = best_length if best_length >= _MIN_MATCH else 1
            if step > 1:
                out += struct.pack("<H", _pack_copy_token(best_offset, best_length, current))
                flag |= 1 << bit
            else:
                out.append(chunk[current])
            for position in range(current, min(current + step, end - 2)):
                heads.setdefault(chunk[position:position + 3], []).append(position)
            current += step
        out[flag_index] = flag
    return bytes(out)


def compress(data: bytes) -> bytes:
    """Compress ``data`` into an MS-OVBA CompressedContainer (2.4.1.3.6).

    A chunk whose token sequences would exceed 4096 bytes is stored raw instead; a raw chunk
    is always 4096 bytes, so a raw *last* chunk is padded with 0x00 (2.4.1.3.10), and
    decompressing returns that padding. Text never needs a raw chunk.
    """
    out = bytearray([SIGNATURE])
    for start in range(0, len(data), CHUNK_SIZE):
        chunk = bytes(data[start:start + CHUNK_SIZE])
        tokens = _compress_chunk(chunk)
        if len(tokens) <= _MAX_CHUNK_DATA:
            header = 0x8000 | (_CHUNK_SIGNATURE << 12) | (len(tokens) + 2 - 3)
            out += struct.pack("<H", header) + tokens
        else:
            header = (_CHUNK_SIGNATURE << 12) | (CHUNK_SIZE + 2 - 3)
            out += struct.pack("<H", header) + chunk.ljust(CHUNK_SIZE, b"\x00")
    return bytes(out)


def decompress(container: bytes) -> bytes:
    """Decompress an MS-OVBA CompressedContainer (2.4.1.3.1).

    Strict about signatures, sizes and offsets; lenient in one way Office itself is: a raw
    last chunk cut short by the end of the stream yields the bytes that are there.
    """
    if not container:
        raise CompressionError("empty CompressedContainer: the signature byte 0x01 is missing")
    if container[0] != SIGNATURE:
        raise CompressionError(f"CompressedContainer signature is 0x{container[0]:02X}, not 0x01")
    out = bytearray()
    position = 1
    while position < len(container):
        if position + 2 > len(container):
            raise CompressionError(f"truncated chunk header at byte {position}")
        (header,) = struct.unpack_from("<H", container, position)
        size = (header & 0x0FFF) + 3
        if (header >> 12) & 0b111 != _CHUNK_SIGNATURE:
            raise CompressionError(f"chunk at byte {position}: signature is not 0b011")
        chunk_end = min(position + size, len(container))
        position += 2
        chunk_start = len(out)
        if not header & 0x8000:
            if size != CHUNK_SIZE + 2:
                raise CompressionError(f"raw chunk at byte {position - 2} has size {size}, not 4098")
            out += container[position:position + CHUNK_SIZE]
            position += CHUNK_SIZE
            continue
        while position < chunk_end:
            flag = container[position]
            position += 1
            for bit in range(8):
                if position >= chunk_end:
                    break
                if not flag >> bit & 1:
                    out.append(container[position])
                    position += 1
                    continue
                if position + 2 > chunk_end:
                    raise CompressionError(f"truncated CopyToken at byte {position}")
                (token,) = struct.unpack_from("<H", container, position)
                position += 2
                difference = len(out) - chunk_start
                if difference == 0:
                    raise CompressionError(f"CopyToken at byte {position - 2} starts a chunk")
                offset, length = _unpack_copy_token(token, difference)
                if offset > difference:
                    raise CompressionError(
                        f"CopyToken at byte {position - 2} points {offset} bytes back, "
                        f"before the chunk start ({difference} bytes back)")
                source = len(out) - offset
                if length <= offset:
                    out += out[source:source + length]
                else:  # overlapping copy: repeat the pattern byte by byte
                    for index in range(length):
                        out.append(out[source + index])
            if len(out) - chunk_start > CHUNK_SIZE:
                raise CompressionError("a chunk decompresses to more than 4096 bytes")
    return bytes(out)
