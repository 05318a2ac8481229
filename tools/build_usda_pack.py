"""Build the USDA SR28 pack that `fortify migrate` loads: catalog/data/usda_sr28.json.gz.

The pack holds only what Fortify stores of each of the 8,789 SR28 foods (NDB number, name, food
group, the twelve nutrients per 100 g with null for unknown, household portions), derived from
the raw SR28 files by the same parser `fortify catalog import-usda` uses, so loading the pack
and importing the full download give the same rows. SR28 is public domain; the raw files are
never copied into the repository.

    .venv/bin/python tools/build_usda_pack.py          # write it from ../shared/data/usda-sr
    .venv/bin/python tools/build_usda_pack.py --check  # exit 1 when the committed pack differs
    .venv/bin/python tools/build_usda_pack.py --sr-dir DIR --out FILE

`--check` compares the decompressed JSON, not the gzip bytes, so a different zlib build cannot
make it fail.
"""

from __future__ import annotations

import argparse
import gzip
import sys
from pathlib import Path

from fortify.catalog.usda import iter_foods, pack_document

ROOT = Path(__file__).resolve().parents[1]
SR_DIR = ROOT.parent / "shared" / "data" / "usda-sr"
PACK = ROOT / "backend" / "fortify" / "catalog" / "data" / "usda_sr28.json.gz"
MAX_BYTES = 2_000_000


def build(sr_dir: Path) -> bytes:
    """The pack's uncompressed JSON, from the SR28 files in `sr_dir`."""
    return pack_document(iter_foods(sr_dir))


def compress(document: bytes) -> bytes:
    # mtime=0 and no file name in the header: the same input gives the same bytes.
    return gzip.compress(document, compresslevel=9, mtime=0)


def check(sr_dir: Path, pack: Path) -> str | None:
    """None when `pack` is what the tool builds from `sr_dir`, else what is wrong."""
    if not pack.is_file():
        return f"{pack} is missing: run tools/build_usda_pack.py"
    if pack.stat().st_size >= MAX_BYTES:
        return f"{pack} is {pack.stat().st_size} bytes, over the {MAX_BYTES} limit"
    if gzip.decompress(pack.read_bytes()) != build(sr_dir):
        return f"{pack} differs from what {sr_dir} gives: run tools/build_usda_pack.py"
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sr-dir", type=Path, default=SR_DIR, help="the SR28 .txt files")
    parser.add_argument("--out", type=Path, default=PACK, help="the pack to write or check")
    parser.add_argument("--check", action="store_true", help="verify, write nothing")
    args = parser.parse_args(argv)
    if args.check:
        problem = check(args.sr_dir, args.out)
        print(problem or f"{args.out} is up to date")
        return 1 if problem else 0
    data = compress(build(args.sr_dir))
    if len(data) >= MAX_BYTES:
        print(f"the pack would be {len(data)} bytes, over the {MAX_BYTES} limit", file=sys.stderr)
        return 1
    args.out.write_bytes(data)
    print(f"wrote {args.out} ({len(data):,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
