"""The phone's copy of the search words is the server's (tools/build_search_words.py)."""

from __future__ import annotations

import json

from fortify.catalog import search
from tests.tools import load_tool

build_search_words = load_tool("build_search_words")


def test_the_phones_search_words_are_the_servers() -> None:
    copy = json.loads(build_search_words.OUT.read_text(encoding="utf-8"))
    assert copy == {
        "spellings": search.SPELLINGS,
        "stop_words": sorted(search.STOP_WORDS),
        "processed_forms": sorted(search.PROCESSED_FORMS),
    }
    assert build_search_words.main(["--check"]) == 0
