"""The one way a zip from outside is opened and read.

`zipfile` reports a damaged archive in half a dozen ways, some only when the damaged bytes are
finally read: `BadZipFile` (not a zip, a bad local header, a bad CRC at the end of a member),
`RuntimeError` (encrypted), `NotImplementedError` (a compression method it lacks), `zlib.error`
(a corrupt deflate stream), `EOFError` (a truncated one). Every one of them becomes a 422 naming
the upload here, at open and at every read, so no caller can forget one.

It also bounds what a small upload can unpack to: a member's uncompressed size and its
compression ratio are checked against the central directory before reading and again against the
bytes actually produced (a header can lie), each a 413 naming its rule.
"""

from __future__ import annotations

import io
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


@dataclass(frozen=True)
class ZipLimits:
    max_bytes: int  # uncompressed bytes of one member
    max_ratio: float  # uncompressed / compressed bytes of one member


def _damaged(field: str, what: str, rule: str = "zip_damaged") -> InvalidInput:
    return InvalidInput(f"The zip is damaged: {what}.", field=field, rule=rule)


def open_archive(source: IO[bytes], field: str = "file") -> zipfile.ZipFile:
    """A readable zip, or a 422 naming `field`."""
    try:
        return zipfile.ZipFile(source)
    except zipfile.BadZipFile as exc:
        raise InvalidInput("The file is not a zip.", field=field, rule="format") from exc
    except (*_DAMAGED, NotImplementedError, RuntimeError) as exc:
        raise _damaged(field, "its directory cannot be read") from exc


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
