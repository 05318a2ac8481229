"""Write the phone's copy of the search words (frontend/src/app/search-words.json) and examples.

The British-to-American spellings and the filler words live in backend/fortify/catalog/search.py;
the PWA's port of the search (frontend/src/app/search.ts) reads this generated copy, so both
normalise a query the same way. tests/catalog/test_search_words.py fails when the copy drifts.

    .venv/bin/python tools/build_search_words.py          # write it
    .venv/bin/python tools/build_search_words.py --check  # exit 1 when it differs
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from fortify.catalog import search
from fortify.catalog.curated import load_curated
from fortify.catalog.importer import pack_bytes
from fortify.catalog.usda import read_pack

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "frontend" / "src" / "app" / "search-words.json"
# Every curated name and synonym, every quality query and every USDA name's word, normalised by
# the server: the phone's
# test compares its own normaliser (stemmer included) with these.
EXAMPLES = ROOT / "tests" / "catalog" / "search_normalised.json"
QUALITY = ROOT / "tests" / "catalog" / "search_quality.json"


def document() -> str:
    words = {
        "spellings": search.SPELLINGS,
        "stop_words": sorted(search.STOP_WORDS),
        "processed_forms": sorted(search.PROCESSED_FORMS),
    }
    return json.dumps(words, indent=1, ensure_ascii=False) + "\n"


def examples() -> str:
    texts = [a for food in load_curated() for a in (food.name, *food.synonyms)]
    texts += [q["query"] for q in json.loads(QUALITY.read_text(encoding="utf-8"))["queries"]]
    # And every word of every USDA name: the phone's stemmer must agree on the whole vocabulary.
    texts += {word for food in read_pack(pack_bytes()) for word in food.name.lower().split()}
    pairs = {text: search.normalise(text) for text in sorted(set(texts))}
    return json.dumps(pairs, indent=0, ensure_ascii=False) + "\n"


def outputs() -> dict[Path, str]:
    return {OUT: document(), EXAMPLES: examples()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="verify, write nothing")
    args = parser.parse_args(argv)
    stale = 0
    for path, text in outputs().items():
        if not args.check:
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path}")
        elif not path.is_file() or path.read_text(encoding="utf-8") != text:
            print(f"{path} differs: run tools/build_search_words.py")
            stale += 1
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
