"""Hostile Apple Health exports: bounded memory, and a clear 413/422 for every limit.

The memory bound is measured in a child process (its peak resident size, `ru_maxrss`, before and
after parsing), so nothing the test itself allocates is counted and nothing the parser leaks
into this process survives the test.
"""

from __future__ import annotations

import functools
import io
import json
import struct
import subprocess
import sys
import tracemalloc
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from fortify.core import zips
from fortify.core.errors import PayloadTooLarge
from fortify.portability.apple_health import XmlLimits, read_export
from tests.factories import sign_up

MEMORY_BOUND_BYTES = 64 * 1024 * 1024
HEAD = b'<?xml version="1.0" encoding="UTF-8"?>\n<HealthData locale="en_GB">\n'
TAIL = b"</HealthData>\n"
RECORD = (
    b'<Record type="HKQuantityTypeIdentifierDietaryCalcium" sourceName="A" unit="mg" '
    b'startDate="2026-11-20 08:00:00 +0000" endDate="2026-11-20 08:00:00 +0000" value="300"/>'
)


def _tiny_elements() -> Iterator[bytes]:
    """20 MB of `<a/>`: five million children of the root (a 19 KB zip)."""
    yield HEAD
    for _ in range(100):
        yield b"<a/>" * 50_000
    yield TAIL


def _whitespace() -> Iterator[bytes]:
    """200 MB of spaces inside the root (a zip of about 200 KB)."""
    yield HEAD
    for _ in range(200):
        yield b" " * 1_000_000
    yield TAIL


def _deeply_nested() -> Iterator[bytes]:
    """Two million nested elements."""
    yield HEAD
    for _ in range(40):
        yield b"<a>" * 50_000
    for _ in range(40):
        yield b"</a>" * 50_000
    yield TAIL


def _huge_attribute() -> Iterator[bytes]:
    """One start tag of 200 MB (an attribute that never ends)."""
    yield HEAD + b'<Record type="'
    for _ in range(200):
        yield b"x" * 1_000_000
    yield b'"/>' + TAIL


def _workout_children() -> Iterator[bytes]:
    """A workout with three million metadata children, then a real record."""
    yield HEAD + b'<Workout workoutActivityType="HKWorkoutActivityTypeYoga">'
    for _ in range(60):
        yield b'<MetadataEntry key="k" value="v"/>' * 50_000
    yield b"</Workout>" + RECORD + TAIL


def _write_zip(path: Path, chunks: Iterator[bytes]) -> None:
    with (
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive,
        archive.open("apple_health_export/export.xml", "w", force_zip64=True) as member,
    ):
        for chunk in chunks:
            member.write(chunk)


# Runs in a child process: the growth of the peak resident size while one export.xml is parsed.
_MEASURE = """
import json, resource, sys, zipfile
from collections import Counter
from fortify.core.errors import FortifyError
from fortify.portability.apple_health import read_export

archive = zipfile.ZipFile(sys.argv[1])
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
outcome = "parsed"
skipped = Counter()
try:
    with archive.open(archive.infolist()[0]) as stream:
        mapped = sum(1 for _ in read_export(stream, skipped))
    outcome = f"parsed {mapped}"
except FortifyError as exc:
    outcome = f"{exc.status} {exc.errors()[0]['rule']}"
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"growth_bytes": (after - before) * 1024, "outcome": outcome}))
"""

HOSTILE: dict[str, tuple[Callable[[], Iterator[bytes]], str]] = {
    "tiny_elements": (_tiny_elements, "parsed 0"),
    "whitespace": (_whitespace, "parsed 0"),
    "deeply_nested": (_deeply_nested, "422 max_depth"),
    "huge_attribute": (_huge_attribute, "422 max_token_bytes"),
    "workout_children": (_workout_children, "parsed 1"),
}


class TestMemoryBound:
    @pytest.mark.parametrize("name", sorted(HOSTILE))
    def test_parsing_a_hostile_export_stays_within_64_mb(self, name: str, tmp_path: Path) -> None:
        chunks, expected = HOSTILE[name]
        path = tmp_path / "export.zip"
        _write_zip(path, chunks())
        assert path.stat().st_size < 1_000_000  # a small upload
        result = subprocess.run(
            [sys.executable, "-c", _MEASURE, str(path)],
            capture_output=True,
            text=True,
            check=True,
            timeout=300,
        )
        measured = json.loads(result.stdout)
        assert measured["growth_bytes"] <= MEMORY_BOUND_BYTES, measured
        assert measured["outcome"] == expected


def _zip(xml: bytes, method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        archive.writestr("apple_health_export/export.xml", xml)
    return buffer.getvalue()


def _upload(client: TestClient, body: bytes) -> tuple[int, dict[str, object]]:
    person = sign_up(client)
    response = person.post(
        "/api/v1/import/apple-health", files={"file": ("export.zip", body, "application/zip")}
    )
    assert response.headers["content-type"] == "application/problem+json", response.text
    problem = response.json()
    assert problem["errors"][0]["field"] == "file"
    return response.status_code, problem["errors"][0]


class TestLimits:
    def test_a_zip_bomb_is_refused_by_its_compression_ratio(self, client: TestClient) -> None:
        status, error = _upload(client, _zip(HEAD + b" " * 5_000_000 + TAIL))
        assert (status, error["rule"]) == (413, "max_compression_ratio")

    def test_an_export_larger_than_the_uncompressed_limit_is_413(
        self, app: FastAPI, client: TestClient, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setattr(app.state.settings, "apple_health_max_xml_bytes", 10_000)
        status, error = _upload(client, _zip(HEAD + RECORD * 200 + TAIL, zipfile.ZIP_STORED))
        assert (status, error["rule"]) == (413, "max_uncompressed_bytes")

    def test_too_many_elements_is_413(self) -> None:
        stream = io.BytesIO(HEAD + RECORD * 200 + TAIL)
        with pytest.raises(PayloadTooLarge) as raised:
            list(read_export(stream, Counter(), XmlLimits(max_elements=100)))
        assert raised.value.errors()[0] | {"detail": ""} == {
            "field": "file",
            "rule": "max_elements",
            "detail": "",
        }

    def test_an_entity_declaration_is_refused(self, client: TestClient) -> None:
        xml = b'<!DOCTYPE HealthData [<!ENTITY a "aaaa">]>\n<HealthData>&a;</HealthData>'
        status, error = _upload(client, _zip(xml))
        assert (status, error["rule"]) == (422, "no_entities")


def _damaged(kind: str) -> bytes:
    """A small export zip damaged in one of the ways zipfile reports differently."""
    xml = HEAD + RECORD * 50 + TAIL
    body = bytearray(_zip(xml))
    compressed_at = body.index(b"export.xml") + len(b"export.xml")  # local header's name end
    if kind == "encrypted":
        body[6] |= 0x1  # general purpose flag: encrypted (local header)
        central = body.index(b"PK\x01\x02")
        body[central + 8] |= 0x1  # and in the central directory
    elif kind == "unknown_method":
        central = body.index(b"PK\x01\x02")
        body[central + 10] = 99  # AES, which zipfile does not read
        body[8] = 99
    elif kind == "corrupt_deflate":
        body[compressed_at : compressed_at + 8] = b"\xff" * 8
    elif kind == "bad_crc":
        central = body.index(b"PK\x01\x02")
        body[central + 16] ^= 0xFF
        body[14] ^= 0xFF
    elif kind == "truncated":
        del body[compressed_at + 20 : compressed_at + 40]
    return bytes(body)


class TestDamagedZips:
    @pytest.mark.parametrize(
        ("kind", "rule"),
        [
            ("encrypted", "zip_encrypted"),
            ("unknown_method", "zip_compression_method"),
            ("corrupt_deflate", "zip_damaged"),
            ("bad_crc", "zip_damaged"),
            ("truncated", "zip_damaged"),
        ],
    )
    def test_a_damaged_zip_is_a_422_naming_the_file(
        self, client: TestClient, kind: str, rule: str
    ) -> None:
        status, error = _upload(client, _damaged(kind))
        assert (status, error["rule"]) == (422, rule)


@functools.lru_cache(maxsize=4)
def _many_entries(count: int) -> bytes:
    """A valid export.zip (export.xml first) followed by `count` empty files (built once per
    process: tens of thousands of entries take seconds)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("apple_health_export/export.xml", HEAD + RECORD + TAIL)
        for n in range(count):
            archive.writestr(f"e/{n}", b"")
    return buffer.getvalue()


def _declaring(body: bytes, entries: int) -> bytes:
    """`body` with its End Of Central Directory record claiming `entries` entries (a lie)."""
    patched = bytearray(body)
    at = patched.rindex(b"PK\x05\x06")
    patched[at + 8 : at + 12] = struct.pack("<2H", entries, entries)
    return bytes(patched)


class TestZipDirectory:
    """A zip's directory is read whole by zipfile, one ZipInfo per entry (1.2 million empty
    entries in a 100 MB upload grew the server by 0.6-1.3 GB): it is bounded before it is read."""

    def test_a_zip_of_many_entries_is_413_before_its_directory_is_read(
        self, client: TestClient
    ) -> None:
        body = _many_entries(zips.MAX_ZIP_ENTRIES)
        tracemalloc.start()
        try:
            with pytest.raises(PayloadTooLarge) as raised:
                zips.open_archive(io.BytesIO(body))
            _, peak_bytes = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        assert raised.value.errors()[0]["rule"] == "max_zip_entries"
        # The directory (50,001 entries) is never parsed: only the zip's last 64 KiB are read.
        assert peak_bytes < 1 << 20, peak_bytes
        status, error = _upload(client, body)
        assert (status, error["rule"]) == (413, "max_zip_entries")

    def test_a_directory_larger_than_its_bound_is_413_whatever_the_count_says(self) -> None:
        body = _declaring(_many_entries(2_000), 1)
        tracemalloc.start()
        try:
            with pytest.raises(PayloadTooLarge) as raised:
                zips.open_archive(io.BytesIO(body), max_directory_bytes=10_000)
            _, peak_bytes = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        assert raised.value.errors()[0]["rule"] == "max_zip_directory_bytes"
        assert peak_bytes < 1 << 20, peak_bytes

    def test_a_count_that_lies_is_caught_once_read(self) -> None:
        body = _declaring(_many_entries(200), 1)
        with pytest.raises(PayloadTooLarge) as raised:
            zips.open_archive(io.BytesIO(body), max_entries=100)
        assert raised.value.errors()[0]["rule"] == "max_zip_entries"

    def test_a_zip64_directory_is_read_for_its_count(self) -> None:
        # One more entry than the 16-bit count holds: the zip has zip64 end records.
        body = _many_entries(0xFFFF)
        with pytest.raises(PayloadTooLarge) as raised:
            zips.open_archive(io.BytesIO(body), max_entries=0xFFFF)
        assert raised.value.errors()[0]["rule"] == "max_zip_entries"

    def test_a_zip_within_the_bounds_opens(self) -> None:
        archive = zips.open_archive(io.BytesIO(_many_entries(10)))
        assert len(archive.infolist()) == 11
