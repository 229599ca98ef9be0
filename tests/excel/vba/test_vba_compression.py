"""MS-OVBA 2.4.1 compression, checked against oletools' decompressor and the spec's examples."""

from __future__ import annotations

import random
import zipfile

import olefile
import pytest
from oletools.olevba import decompress_stream

from pohon_xl.excel.vba.compression import (
    CompressionError,
    _copy_token_help,
    _pack_copy_token,
    _unpack_copy_token,
    compress,
    decompress,
)

VBA_SOURCE = (
    'Attribute VB_Name = "Module1"\r\n'
    "Option Explicit\r\n\r\n"
    "Sub Hello()\r\n"
    '    MsgBox "Halo, " & Application.UserName\r\n'
    "End Sub\r\n\r\n"
    "Function Tambah(a As Double, b As Double) As Double\r\n"
    "    Tambah = a + b\r\n"
    "End Function\r\n"
) * 40  # ~10 kB of real VBA: several chunks


def _seeded(size: int, seed: int = 20261123) -> bytes:
    return random.Random(seed).randbytes(size)


def _text(size: int) -> bytes:
    words = [b"Sub ", b"End ", b"Dim ", b"x", b" = ", b"Range(\"A1\")", b"\r\n", b"'", b"42"]
    rng = random.Random(size)
    out = bytearray()
    while len(out) < size:
        out += rng.choice(words)
    return bytes(out[:size])


CASES = {
    "empty": b"",
    "one byte": b"A",
    "short text": b"Halo, dunia!",
    "text 4095": _text(4095),
    "text 4096": _text(4096),
    "text 4097": _text(4097),
    "text 10000": _text(10000),
    "random 4096": _seeded(4096),
    "random 4097": _seeded(4097),
    "random 10000": _seeded(10000),
    "repetitive 4095": b"a" * 4095,
    "repetitive 10000": b"abc" * 3333 + b"a",
    "repetitive long period": bytes(range(256)) * 40,
    "vba source": VBA_SOURCE.encode("cp1252"),
}


@pytest.mark.parametrize("data", CASES.values(), ids=CASES.keys())
def test_round_trip_with_ours_and_oletools(data: bytes) -> None:
    container = compress(data)
    assert container[0] == 0x01
    assert decompress(container) == data
    assert bytes(decompress_stream(bytearray(container))) == data


def test_compresses_text_and_repetition() -> None:
    assert len(compress(b"a" * 10000)) < 40
    assert len(compress(VBA_SOURCE.encode())) < len(VBA_SOURCE) // 5


def test_incompressible_chunk_is_stored_raw() -> None:
    data = _seeded(8192)
    container = compress(data)
    assert len(container) == 1 + 2 * (2 + 4096)
    assert container[1:3] == b"\xff\x3f"  # size 4095 (+3 = 4098), signature 0b011, flag 0


def test_raw_last_chunk_is_padded_as_the_spec_says() -> None:
    data = _seeded(4095)  # 4095 random bytes do not compress: a raw chunk is always 4096 bytes
    container = compress(data)
    assert decompress(container) == data + b"\x00"
    assert bytes(decompress_stream(bytearray(container))) == data + b"\x00"


def test_spec_normal_compression_example_byte_for_byte() -> None:
    """MS-OVBA 3.2.2: our compressor gives exactly the spec's bytes."""
    plain = b"#aaabcdefaaaaghijaaaaaklaaamnopqaaaaaaaaaaaarstuvwxyzaaa"
    packed = bytes.fromhex(
        "01 2F B0 00 23 61 61 61 62 63 64 65 82 66 00 70 61 67 68 69 6A 01 38 08 61 6B 6C"
        " 00 20 6D 6E 6F 70 06 71 02 70 04 00 72 73 74 75 76 10 77 78 79 7A 00 2C")
    assert compress(plain) == packed
    assert decompress(packed) == plain


def test_spec_no_compression_example() -> None:
    """MS-OVBA 3.2.1: literals only, still a compressed chunk."""
    packed = bytes.fromhex(
        "01 19 B0 00 61 62 63 64 65 66 67 68 00 69 6A 6B 6C 6D 6E 6F 70 00 71 72 73 74 75 76 2E")
    assert compress(b"abcdefghijklmnopqrstuv.") == packed
    assert decompress(packed) == b"abcdefghijklmnopqrstuv."


@pytest.mark.parametrize(("difference", "bit_count", "maximum_length"), [
    (1, 4, 4098), (16, 4, 4098), (17, 5, 2050), (32, 5, 2050), (33, 6, 1026),
    (256, 8, 258), (257, 9, 130), (2048, 11, 34), (2049, 12, 18), (4096, 12, 18),
])
def test_copy_token_help(difference: int, bit_count: int, maximum_length: int) -> None:
    """2.4.1.3.19.1: offset bits grow with the position in the chunk, length bits shrink."""
    got_bits, length_mask, got_max = _copy_token_help(difference)
    assert (got_bits, got_max) == (bit_count, maximum_length)
    assert length_mask == 0xFFFF >> bit_count


def test_copy_token_pack_unpack_every_position() -> None:
    for difference in range(1, 4097):
        _, _, maximum_length = _copy_token_help(difference)
        for offset in {1, difference, (difference + 1) // 2}:
            for length in {3, maximum_length, (3 + maximum_length) // 2}:
                token = _pack_copy_token(offset, length, difference)
                assert 0 <= token <= 0xFFFF
                assert _unpack_copy_token(token, difference) == (offset, length)


def test_decompresses_office_written_streams(xlwings_dir) -> None:
    """Streams Excel itself compressed (the vbaProject.bin xlwings ships in quickstart.xlsm)."""
    with zipfile.ZipFile(xlwings_dir / "quickstart_standalone.xlsm") as archive:
        ole = olefile.OleFileIO(archive.read("xl/vbaProject.bin"))
    dir_stream = decompress(ole.openstream("VBA/dir").read())
    assert dir_stream == bytes(decompress_stream(bytearray(ole.openstream("VBA/dir").read())))
    assert dir_stream[:2] == b"\x01\x00"  # PROJECTSYSKIND
    module = ole.openstream("VBA/Module1").read()
    source = decompress(module[0x45F:])  # MODULEOFFSET from that dir stream
    assert source.startswith(b'Attribute VB_Name = "Module1"\r\nSub SampleCall()')
    # The standalone xlwings module is stored at offset 0: compare with the .bas it came from.
    stored = decompress(ole.openstream("VBA/xlwings").read()).decode("cp1252")
    shipped = (xlwings_dir / "xlwings.bas").read_text(encoding="utf-8")
    assert stored.replace("\r\n", "\n").strip() == shipped.replace("\r\n", "\n").strip()
    # And our compressor's output of the same text is read back identically by oletools.
    assert bytes(decompress_stream(bytearray(compress(stored.encode("cp1252"))))) == \
        stored.encode("cp1252")


@pytest.mark.parametrize(("container", "message"), [
    (b"", "signature byte"),
    (b"\x02\x00\xb0a", "signature is 0x02"),
    (b"\x01\x00\x80a", "not 0b011"),
    (b"\x01\x03\xb0\x01\x00\x00", "starts a chunk"),
    (b"\x01\x03\xb0\x02a\x00\x10", "before the chunk start"),
    (b"\x01\x10\x30abc", "not 4098"),
])
def test_rejects_malformed_containers(container: bytes, message: str) -> None:
    with pytest.raises(CompressionError, match=message):
        decompress(container)
