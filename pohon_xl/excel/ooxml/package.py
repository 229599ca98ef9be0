"""An OPC package (the zip of an .xlsx/.xlsm) held as parts: bytes until someone edits them.

Untouched parts are written back byte for byte; edited parts are parsed once with a secure
lxml parser and serialised on save. Part names are zip member names (no leading slash).
"""

from __future__ import annotations

import io
import os
import posixpath
import struct
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from types import ModuleType
from typing import TYPE_CHECKING, Any, BinaryIO, Callable

from lxml import etree

from pohon_xl.errors import InputError

if TYPE_CHECKING:  # concurrent.futures is imported only when a large part is written
    from concurrent.futures import Future, ThreadPoolExecutor

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
STRICT_MAIN = "http://purl.oclc.org/ooxml/spreadsheetml/main"
STRICT_REL = "http://purl.oclc.org/ooxml/officeDocument/relationships"

# lxml names an undeclared namespace from a process-wide registry (openpyxl registers "r"
# on import, otherwise lxml invents "ns0"): register ours so the bytes never depend on what
# else was imported.
etree.register_namespace("r", REL)

RT_OFFICE_DOC = REL + "/officeDocument"
RT_WORKSHEET = REL + "/worksheet"
RT_STYLES = REL + "/styles"
RT_COMMENTS = REL + "/comments"
RT_VML = REL + "/vmlDrawing"
RT_CALC_CHAIN = REL + "/calcChain"
RT_CUSTOM_XML = REL + "/customXml"
RT_CUSTOM_XML_PROPS = REL + "/customXmlProps"

CT_WORKSHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
CT_STYLES = "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"
CT_COMMENTS = "application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml"
CT_VML = "application/vnd.openxmlformats-officedocument.vmlDrawing"
CT_CUSTOM_XML_PROPS = "application/vnd.openxmlformats-officedocument.customXmlProperties+xml"
CT_XML = "application/xml"
CT_RELS = "application/vnd.openxmlformats-package.relationships+xml"

CONTENT_TYPES = "[Content_Types].xml"

# No entity expansion, no network, default size limits: parts come from strangers' e-mails.
PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


def q(tag: str, ns: str = MAIN) -> str:
    return f"{{{ns}}}{tag}"


def parse_xml(data: bytes, what: str) -> etree._Element:
    try:
        return etree.fromstring(data, PARSER)
    except etree.XMLSyntaxError as exc:
        raise InputError(f"Bagian {what} tidak dapat dibaca (XML rusak: {exc}).") from None


def serialise(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def rels_name(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")


def relative_target(source: str, target: str) -> str:
    return posixpath.relpath(target, posixpath.dirname(source) or ".")


class Package:
    """Parts of one zip, in their original order; edits are kept until :meth:`save`."""

    def __init__(self, archive: zipfile.ZipFile, label: str, source: bytes = b"") -> None:
        """``source``: the zip's bytes, when ``archive`` reads them; its parts are then
        inflated only when asked for, and those never changed are copied as they are."""
        self.label = label
        self._archive = archive if source else None
        self._source = source
        self._infos = {info.filename: info for info in archive.infolist()}
        self._order = list(self._infos)
        if source:
            self._bytes: dict[str, bytes] = {}
            self._unread = set(self._order)  # still only in the archive
        else:
            self._bytes = {name: archive.read(name) for name in self._order}
            self._unread = set()
        self._original = set(self._order)  # parts still as read
        # Parts deflated already (or being deflated on the worker thread).
        self._packed: dict[str, Packed | Future[Packed]] = {}
        self._deflater: ThreadPoolExecutor | None = None
        self._trees: dict[str, etree._Element] = {}
        self._dirty: set[str] = set()  # parts written from their tree, not their bytes
        self._rels: dict[str, Rels] = {}
        self.content_types = ContentTypes(
            self.xml(CONTENT_TYPES, edit=False), lambda: self.touch(CONTENT_TYPES)
        )

    @classmethod
    def open(cls, source: BinaryIO | str, label: str) -> Package:
        try:
            data = _read_all(source)
            return cls(zipfile.ZipFile(io.BytesIO(data)), label, data)
        except _BAD_ZIP as exc:  # RuntimeError: encrypted zip members
            raise InputError(f"{label}: berkas rusak atau bukan workbook ({exc}).") from None

    def _load(self, name: str) -> bytes | None:
        """The part's bytes (inflated on first use), None when there is no such part."""
        found = self._bytes.get(name)
        if found is None and name in self._packed:
            return self._packed_part(name).inflate()
        if found is None and name in self._unread and self._archive is not None:
            try:
                found = self._bytes[name] = self._archive.read(name)
            except _BAD_ZIP as exc:
                raise InputError(f"{self.label}: berkas rusak atau bukan workbook ({exc}).") \
                    from None
            self._unread.discard(name)
        return found

    def __contains__(self, name: str) -> bool:
        return (name in self._bytes or name in self._unread or name in self._trees
                or name in self._packed)

    def names(self) -> list[str]:
        return [n for n in self._order if n in self]

    def read(self, name: str) -> bytes:
        if name in self._dirty:
            return serialise(self._trees[name])
        found = self._load(name)
        if found is None:
            raise KeyError(name)
        return found

    def raw(self, name: str) -> bytes | None:
        """The part's bytes as read, or None when it has a tree (or does not exist)."""
        if name in self._trees or name in self._dirty:
            return None
        return self._load(name)

    def xml(self, name: str, edit: bool = True) -> etree._Element:
        """The parsed part; with ``edit`` it is written from this tree on save."""
        if name not in self._trees:
            data = self._load(name)
            if data is None:
                raise InputError(f"{self.label}: bagian {name} tidak ada di dalam berkas.")
            self._trees[name] = parse_xml(data, f"{name} di {self.label}")
        if edit:
            self.touch(name)
        return self._trees[name]

    def touch(self, name: str) -> None:
        self._dirty.add(name)
        self._original.discard(name)

    def settle(self, name: str) -> None:
        """Serialise an edited part now and drop its tree (the bytes are what :meth:`save`
        would write). A large workbook then holds one sheet's tree at a time, not all."""
        if name in self._dirty and name in self._trees:
            self._bytes[name] = serialise(self._trees.pop(name))
            self._dirty.discard(name)

    def put_xml(self, name: str, root: etree._Element, content_type: str = "") -> None:
        self._forget(name)
        self._trees[name] = root
        self._dirty.add(name)
        self._add_name(name, content_type)

    def put_bytes(self, name: str, data: bytes, content_type: str = "") -> None:
        """Set the part's bytes. A large part is deflated at once (at :data:`FAST_LEVEL`,
        like the sheets we render) on worker threads (the next part is made meanwhile), and
        only its deflated bytes are kept."""
        self._forget(name)
        old = self._infos.get(name)
        if len(data) >= _PARALLEL_BYTES and (old is None
                                            or old.compress_type == zipfile.ZIP_DEFLATED):
            if self._deflater is None:
                from concurrent.futures import ThreadPoolExecutor

                self._deflater = ThreadPoolExecutor(min(2, os.cpu_count() or 1))
            self._packed[name] = self._deflater.submit(_pack, data)
        else:
            self._bytes[name] = data
        self._add_name(name, content_type)

    def _packed_part(self, name: str) -> Packed:
        packed = self._packed[name]
        return packed if isinstance(packed, Packed) else packed.result()

    def put_packed(self, name: str, packed: Packed, content_type: str = "") -> None:
        """A part given deflated (see :func:`deflate_chunks`): written as it is on save."""
        self._forget(name)
        self._packed[name] = packed
        self._add_name(name, content_type)

    def _add_name(self, name: str, content_type: str) -> None:
        if name not in self._order:
            self._order.append(name)
        if content_type:
            self.content_types.override(name, content_type)

    def _forget(self, name: str) -> None:
        """Drop every form of the part (it is replaced or removed)."""
        for held in (self._bytes, self._packed, self._trees):
            held.pop(name, None)
        for names in (self._unread, self._original, self._dirty):
            names.discard(name)

    def remove(self, name: str) -> None:
        self._forget(name)
        self._rels.pop(name, None)
        for source in [s for s in self._rels if rels_name(s) == name]:
            del self._rels[source]
        self.content_types.drop_override(name)
        rels = rels_name(name)
        if rels in self and rels != name:
            self.remove(rels)

    def unused_name(self, pattern: str) -> str:
        """The first free ``pattern.format(n)`` for n = 1, 2, … (case-insensitive)."""
        taken = {n.casefold() for n in self.names()}
        n = 1
        while pattern.format(n).casefold() in taken:
            n += 1
        return pattern.format(n)

    def rels(self, part: str) -> Rels:
        """Relationships of ``part`` (created empty when the part has none)."""
        if part not in self._rels:
            name = rels_name(part)
            if name not in self:
                root = etree.Element(q("Relationships", PKG_REL), nsmap={None: PKG_REL})
                self.put_xml(name, root)
            self._rels[part] = Rels(part, self.xml(name, edit=False), self)
        return self._rels[part]

    def has_rels(self, part: str) -> bool:
        return rels_name(part) in self

    def save(self, target: BinaryIO) -> None:
        # Drop relationship parts we emptied: Excel accepts them, but they are clutter.
        for part, rels in list(self._rels.items()):
            if not len(rels.root) and rels_name(part) in self._dirty:
                self.remove(rels_name(part))
        copied = {name: self._as_stored(name) for name in self.names() if self._copyable(name)}
        parts = [(name, None if name in self._packed or name in copied else self.read(name))
                 for name in self.names()]
        packed = _deflate_large(parts, self._infos)
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
            for name, data in parts:
                old = self._infos.get(name)
                info = zipfile.ZipInfo(name, old.date_time if old else (1980, 1, 1, 0, 0, 0))
                info.compress_type = old.compress_type if old else zipfile.ZIP_DEFLATED
                info.external_attr = old.external_attr if old else 0o644 << 16
                if data is None:
                    _write_deflated(out, info, copied.get(name) or self._packed_part(name))
                elif name in packed:
                    _write_packed(out, info, data, packed.pop(name))
                else:
                    out.writestr(info, data)
        if self._deflater is not None:
            self._deflater.shutdown()
            self._deflater = None

    def _copyable(self, name: str) -> bool:
        """Whether the part is still as read and deflated in the source: its deflated
        bytes are then copied, not inflated and deflated again."""
        info = self._infos.get(name)
        return (self._archive is not None and name in self._original and info is not None
                and info.compress_type == zipfile.ZIP_DEFLATED and not info.flag_bits & 1
                and name not in self._dirty)

    def _as_stored(self, name: str) -> Packed:
        """The part's deflated bytes as stored in the source, checked against its CRC."""
        info = self._infos[name]
        start = info.header_offset
        source = self._source
        if source[start:start + 4] != b"PK\x03\x04":
            raise InputError(f"{self.label}: berkas rusak atau bukan workbook ({name}).")
        name_length, extra_length = struct.unpack_from("<HH", source, start + 26)
        start += 30 + name_length + extra_length
        packed = Packed(source[start:start + info.compress_size], info.CRC, info.file_size)
        if name in self._bytes:  # read through zipfile, which checked it
            return packed
        try:
            data = packed.inflate()
        except zlib.error as exc:
            raise InputError(f"{self.label}: berkas rusak atau bukan workbook ({exc}).") \
                from None
        if zlib.crc32(data) != info.CRC or len(data) != info.file_size:
            raise InputError(f"{self.label}: berkas rusak atau bukan workbook "
                             f"(Bad CRC-32 for file {name!r}).")
        return packed


_BAD_ZIP = (zipfile.BadZipFile, OSError, EOFError, KeyError, RuntimeError, NotImplementedError,
            zlib.error)


def _read_all(source: BinaryIO | str) -> bytes:
    if isinstance(source, str | os.PathLike):
        with open(source, "rb") as handle:
            return handle.read()
    source.seek(0)
    return source.read()


_PARALLEL_BYTES = 256 * 1024  # parts this large are deflated on worker threads


def _deflate(data: bytes, level: int = zlib.Z_DEFAULT_COMPRESSION) -> bytes:
    # A ZIP_DEFLATED member's data (zipfile's default level, or ISA-L's near it), in one call.
    compressor = _compressor(level)
    deflated: bytes = compressor.compress(data) + compressor.flush()
    return deflated


def _pack(data: bytes) -> Packed:
    return Packed(_deflate(data, FAST_LEVEL), zlib.crc32(data), len(data))


def _deflate_large(parts: list[tuple[str, bytes | None]], infos: dict[str, zipfile.ZipInfo]
                   ) -> dict[str, bytes]:
    """Large deflated parts compressed in parallel (zlib and ISA-L release the GIL): name ->
    bytes, at zipfile's level. Empty on a single core."""
    large = [(name, data) for name, data in parts if data is not None
             and len(data) >= _PARALLEL_BYTES
             and (infos[name].compress_type if name in infos else zipfile.ZIP_DEFLATED)
             == zipfile.ZIP_DEFLATED]
    workers = min(len(large), os.cpu_count() or 1)
    if workers < 2:
        return {}

    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(workers) as pool:
        return dict(zip((name for name, _ in large), pool.map(_deflate, (d for _, d in large))))


class _Packed:
    """A stand-in compressor that returns data deflated beforehand."""

    def __init__(self, packed: bytes) -> None:
        self.packed = packed

    def compress(self, data: bytes) -> bytes:
        packed, self.packed = self.packed, b""
        return packed

    def flush(self) -> bytes:
        return b""


def _write_packed(out: zipfile.ZipFile, info: zipfile.ZipInfo, data: bytes, packed: bytes
                  ) -> None:
    """``out.writestr(info, data)`` with the deflating already done: zipfile still writes
    the headers, the CRC and the sizes; only its compressor is swapped for the result."""
    info.file_size = len(data)
    with out.open(info, mode="w") as dest:
        if getattr(dest, "_compressor", None) is None:  # not the zipfile we know: plain path
            dest.write(data)
            return
        # zipfile's private writer, checked above: the stubs only know IO[bytes]
        dest._compressor = _Packed(packed)  # type: ignore[attr-defined]
        dest.write(data)


@dataclass(frozen=True)
class Packed:
    """A part's bytes deflated (raw deflate, as in a zip member), with its CRC and size."""

    data: bytes
    crc: int
    size: int

    def inflate(self) -> bytes:
        return zlib.decompress(self.data, -15)


# Level of the parts deflated on the fly (the large sheets we render): level 1 is about six
# times faster than zipfile's default (6) for a file about 40% larger.
FAST_LEVEL = 1


def _isal_zlib() -> ModuleType | None:
    """ISA-L's deflate (python-isal; any zip reader inflates it like zlib's), when there is a
    wheel for the platform (Pyodide, which has no use for this writer, has none)."""
    try:
        from isal import isal_zlib
    except ImportError:
        return None
    return isal_zlib


ISAL = _isal_zlib()

# zlib's levels as ISA-L's (0–3). On the XML we write, ISA-L's level 1 is ~4× faster than
# zlib's level 1 and 10 % smaller; its level 2 ~14× faster than zlib's default (6) and ~25 %
# larger (an 8 MB sheet: 0.25 s -> 0.02 s, 0.68 MB -> 0.87 MB).
_ISAL_LEVEL = {FAST_LEVEL: 1, zlib.Z_DEFAULT_COMPRESSION: 2}


def _compressor(level: int) -> Any:
    """A raw-deflate compressor (as in a zip member) at zlib's ``level``: ISA-L's when it is
    installed and knows the level, else zlib's."""
    if ISAL is not None and level in _ISAL_LEVEL:
        return ISAL.compressobj(_ISAL_LEVEL[level], ISAL.DEFLATED, -15)
    return zlib.compressobj(level, zlib.DEFLATED, -15)


def deflate_chunks(chunks: Iterable[bytes], level: int = FAST_LEVEL) -> Packed:
    """Deflate ``chunks`` as they are made; only the result is kept.

    In this thread: handing each chunk to a worker thread (zlib releases the GIL) overlapped
    little on two shared cores and cost more in hand-overs than it saved (a 10k ``turunkan``
    took ~12 % longer at a load average of 3)."""
    compressor = _compressor(level)
    crc = size = 0
    done: list[bytes] = []
    for chunk in chunks:
        crc = zlib.crc32(chunk, crc)
        size += len(chunk)
        done.append(compressor.compress(chunk))
    done.append(compressor.flush())
    return Packed(b"".join(done), crc, size)


def _write_deflated(out: zipfile.ZipFile, info: zipfile.ZipInfo, packed: Packed) -> None:
    """Write a member deflated beforehand: zipfile writes the headers; the CRC and the size
    are the ones computed while deflating."""
    if info.compress_type != zipfile.ZIP_DEFLATED:
        out.writestr(info, packed.inflate())
        return
    info.file_size = packed.size
    with out.open(info, mode="w") as dest:
        if not all(hasattr(dest, a) for a in ("_compressor", "_crc", "_file_size")):
            dest.write(packed.inflate())  # not the zipfile we know: the plain path
            return
        # zipfile's private writer, checked above: the stubs only know IO[bytes]
        dest._compressor = _Packed(packed.data)  # type: ignore[attr-defined]
        dest.write(b"")  # the stand-in hands over the deflated bytes
        dest._crc, dest._file_size = packed.crc, packed.size  # type: ignore[attr-defined]


class ContentTypes:
    def __init__(self, root: etree._Element, changed: Callable[[], None]) -> None:
        self.root = root
        self._changed = changed
        self._overrides = {
            el.get("PartName", "").lstrip("/").casefold(): el
            for el in root.iter(q("Override", CT))
        }
        self._defaults = {
            el.get("Extension", "").casefold(): el for el in root.iter(q("Default", CT))
        }

    def of(self, part: str) -> str:
        el = self._overrides.get(part.casefold())
        if el is None:
            el = self._defaults.get(posixpath.splitext(part)[1].lstrip(".").casefold())
        return "" if el is None else el.get("ContentType", "")

    def override(self, part: str, content_type: str) -> None:
        if self.of(part) == content_type:
            return
        el = self._overrides.get(part.casefold())
        if el is None:
            el = etree.SubElement(self.root, q("Override", CT), PartName="/" + part)
            self._overrides[part.casefold()] = el
        el.set("ContentType", content_type)
        self._changed()

    def ensure_default(self, extension: str, content_type: str) -> None:
        if extension.casefold() not in self._defaults:
            el = etree.Element(q("Default", CT), Extension=extension, ContentType=content_type)
            self.root.insert(0, el)  # Defaults come before Overrides by convention
            self._defaults[extension.casefold()] = el
            self._changed()

    def drop_override(self, part: str) -> None:
        el = self._overrides.pop(part.casefold(), None)
        if el is not None:
            self.root.remove(el)
            self._changed()


class Rels:
    """The relationships of one source part; targets resolved to part names."""

    def __init__(self, source: str, root: etree._Element, package: Package) -> None:
        self.source = source
        self.root = root
        self._package = package

    def __iter__(self):
        return iter(self.root.iter(q("Relationship", PKG_REL)))

    def target(self, el: etree._Element) -> str:
        """Part name of an internal relationship target ("" for external ones)."""
        if el.get("TargetMode") == "External":
            return ""
        target = el.get("Target", "")
        if target.startswith("/"):
            return posixpath.normpath(target.lstrip("/"))
        return posixpath.normpath(posixpath.join(posixpath.dirname(self.source), target))

    def by_id(self, rid: str) -> etree._Element | None:
        return next((el for el in self if el.get("Id") == rid), None)

    def of_type(self, rel_type: str) -> list[etree._Element]:
        return [el for el in self if el.get("Type") == rel_type]

    def add(self, rel_type: str, target_part: str) -> str:
        ids = {el.get("Id") for el in self}
        n = len(ids) + 1
        while f"rId{n}" in ids:
            n += 1
        etree.SubElement(
            self.root,
            q("Relationship", PKG_REL),
            Id=f"rId{n}",
            Type=rel_type,
            Target=relative_target(self.source, target_part),
        )
        self._package.touch(rels_name(self.source))
        return f"rId{n}"

    def remove(self, el: etree._Element) -> None:
        self.root.remove(el)
        self._package.touch(rels_name(self.source))
