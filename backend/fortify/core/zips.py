"""The one way a zip from outside is opened and read.

`zipfile` reports a damaged archive in half a dozen ways, some only when the damaged bytes are
finally read: `BadZipFile` (not a zip, a bad local header, a bad CRC at the end of a member),
`RuntimeError` (encrypted), `NotImplementedError` (a compression method it lacks), `zlib.error`
(a corrupt deflate stream), `EOFError` (a truncated one). Every one of them becomes a 422 naming
the upload here, at open and at every read, so no caller can forget one.

It also bounds what a small upload can unpack to: a member's uncompressed size and its
compression ratio are checked against the central directory before reading and again against the
bytes actually produced (a header can lie), each a 413 naming its rule.

And it bounds what merely opening a zip costs: `zipfile.ZipFile` reads the whole central directory
into memory and makes one `ZipInfo` per entry (a 100 MB upload of 1.2 million empty entries grew
the server by 0.6-1.3 GB). So the End Of Central Directory record (and its zip64 twin, found the
way zipfile finds them) is read first, and a zip declaring more than `MAX_ZIP_ENTRIES` entries or
a central directory over `MAX_CENTRAL_DIRECTORY_BYTES` is a 413 (`max_zip_entries`,
`max_zip_directory_bytes`) before zipfile sees it. zipfile walks the directory by its byte size,
not by the declared count, so the byte bound is what holds even when the count lies; the count of
what it read is checked again after.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from dataclasses import dataclass
from typing import IO, Any

from fortify.core.errors import InvalidInput, PayloadTooLarge

# zipfile raises these for damaged members; OSError covers a truncated file under the archive.
_DAMAGED = (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError)
_SUPPORTED_METHODS = {zipfile.ZIP_STORED: "stored", zipfile.ZIP_DEFLATED: "deflate"}
# Below this size a member cannot be a bomb, whatever its ratio (a short XML file of repeated
# records compresses 20-50 times).
_RATIO_FLOOR_BYTES = 1 << 20
# An Apple Health export holds export.xml, export_cda.xml and one file per workout route and
# ECG: thousands of entries for years of workouts, not tens of thousands. A ZipInfo costs
# 0.5-1 KB, so 50,000 entries stay under about 50 MB.
MAX_ZIP_ENTRIES = 50_000
# 50,000 entries of 150-byte paths (46 bytes of header each) fit in 10 MiB.
MAX_CENTRAL_DIRECTORY_BYTES = 16 << 20

# The records zipfile reads to find the central directory (APPNOTE 4.3.14-4.3.16).
_EOCD = struct.Struct("<4s4H2LH")  # signature, disk, cd disk, entries here, entries, size, offset
_EOCD_SIGNATURE = b"PK\x05\x06"
_ZIP64_LOCATOR = struct.Struct("<4sLQL")
_ZIP64_LOCATOR_SIGNATURE = b"PK\x06\x07"
_ZIP64_EOCD = struct.Struct("<4sQ2H2L4Q")  # …, entries here, entries, size, offset
_ZIP64_EOCD_SIGNATURE = b"PK\x06\x06"
_MAX_COMMENT_BYTES = (1 << 16) - 1


@dataclass(frozen=True)
class ZipLimits:
    max_bytes: int  # uncompressed bytes of one member
    max_ratio: float  # uncompressed / compressed bytes of one member


def _damaged(field: str, what: str, rule: str = "zip_damaged") -> InvalidInput:
    return InvalidInput(f"The zip is damaged: {what}.", field=field, rule=rule)


def _declared_directory(source: IO[bytes]) -> tuple[int, int] | None:
    """(entries, central directory bytes) as the end records declare them, read the way
    zipfile reads them (the last End Of Central Directory record in the file's last 64 KiB,
    then the zip64 record just before its locator), or None when there is none (zipfile will
    then say what is wrong)."""
    source.seek(0, io.SEEK_END)
    size = source.tell()
    tail_start = max(0, size - _EOCD.size - _MAX_COMMENT_BYTES)
    source.seek(tail_start)
    tail = source.read()
    at = tail.rfind(_EOCD_SIGNATURE)
    if at < 0 or len(tail) - at < _EOCD.size:
        return None
    *_, entries, directory_bytes, _offset, _comment = _EOCD.unpack_from(tail, at)
    locator_at = tail_start + at - _ZIP64_LOCATOR.size
    record_at = locator_at - _ZIP64_EOCD.size
    if record_at >= 0:
        source.seek(record_at)
        head = source.read(_ZIP64_EOCD.size + _ZIP64_LOCATOR.size)
        if (
            len(head) == _ZIP64_EOCD.size + _ZIP64_LOCATOR.size
            and head[_ZIP64_EOCD.size :].startswith(_ZIP64_LOCATOR_SIGNATURE)
            and head.startswith(_ZIP64_EOCD_SIGNATURE)
        ):
            record = _ZIP64_EOCD.unpack_from(head)
            entries, directory_bytes = record[6], record[7]
    return int(entries), int(directory_bytes)


def _too_many_entries(limit: int, field: str) -> PayloadTooLarge:
    return PayloadTooLarge(
        f"The zip holds more than {limit} files; an export holds a few thousand.",
        field=field,
        rule="max_zip_entries",
    )


def open_archive(
    source: IO[bytes],
    field: str = "file",
    max_entries: int = MAX_ZIP_ENTRIES,
    max_directory_bytes: int = MAX_CENTRAL_DIRECTORY_BYTES,
) -> zipfile.ZipFile:
    """A readable zip, or a 422 naming `field`; a 413 when its directory is too large to
    read (before it is read)."""
    try:
        declared = _declared_directory(source)
        source.seek(0)
    except OSError as exc:
        raise _damaged(field, "its end cannot be read") from exc
    if declared is not None:
        entries, directory_bytes = declared
        if entries > max_entries:
            raise _too_many_entries(max_entries, field)
        if directory_bytes > max_directory_bytes:
            raise PayloadTooLarge(
                f"The zip's directory is larger than {max_directory_bytes} bytes.",
                field=field,
                rule="max_zip_directory_bytes",
            )
    try:
        archive = zipfile.ZipFile(source)
    except zipfile.BadZipFile as exc:
        raise InvalidInput("The file is not a zip.", field=field, rule="format") from exc
    except (*_DAMAGED, NotImplementedError, RuntimeError) as exc:
        raise _damaged(field, "its directory cannot be read") from exc
    if len(archive.filelist) > max_entries:  # a count that lied (the bytes bound the memory)
        archive.close()
        raise _too_many_entries(max_entries, field)
    return archive


def open_member(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, limits: ZipLimits, field: str = "file"
) -> IO[bytes]:
    """A buffered stream of one member's bytes that turns damage into a 422 and refuses (413)
    to produce more bytes, or a higher ratio, than `limits` allow."""
    if info.flag_bits & 0x1:
        raise InvalidInput(
            "The zip is encrypted: export it again without a password.",
            field=field,
            rule="zip_encrypted",
        )
    if info.compress_type not in _SUPPORTED_METHODS:
        raise InvalidInput(
            f"The zip uses a compression method this server does not read "
            f"({info.compress_type}); use {' or '.join(_SUPPORTED_METHODS.values())}.",
            field=field,
            rule="zip_compression_method",
        )
    _check_size(info.file_size, info.compress_size, limits, field)
    try:
        raw = archive.open(info)
    except (*_DAMAGED, NotImplementedError, RuntimeError) as exc:
        raise _damaged(field, "a member's header cannot be read") from exc
    return io.BufferedReader(_Guarded(raw, info.compress_size, limits, field), 1 << 16)


def _check_size(produced: int, compressed: int, limits: ZipLimits, field: str) -> None:
    if produced > limits.max_bytes:
        raise PayloadTooLarge(
            f"The zip unpacks to more than {limits.max_bytes} bytes.",
            field=field,
            rule="max_uncompressed_bytes",
        )
    if produced > _RATIO_FLOOR_BYTES and produced > limits.max_ratio * max(compressed, 1):
        raise PayloadTooLarge(
            f"The zip unpacks to more than {limits.max_ratio:g} times its size: "
            "a real export does not compress that well.",
            field=field,
            rule="max_compression_ratio",
        )


class _Guarded(io.RawIOBase):
    def __init__(self, raw: IO[bytes], compressed: int, limits: ZipLimits, field: str) -> None:
        self._raw = raw
        self._compressed = compressed
        self._limits = limits
        self._field = field
        self.produced = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        try:
            data = self._raw.read(len(buffer))
        except (*_DAMAGED, NotImplementedError, RuntimeError) as exc:
            raise _damaged(self._field, f"{type(exc).__name__}: {exc}") from exc
        self.produced += len(data)
        _check_size(self.produced, self._compressed, self._limits, self._field)
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        self._raw.close()
        super().close()
