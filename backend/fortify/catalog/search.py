"""Forgiving food search: normalised text, a token index for candidates, rapidfuzz for ranking.

Pure (no session, no I/O), so it ranks identically on SQLite and PostgreSQL and is tested
without a database. The catalog (curated + USDA, about 9,000 foods) is indexed once per
process; a person's own foods are indexed per request (they are few).

1. **Normalise** both the catalog's names and synonyms and the query the same way: lower case,
   accents dropped, British spellings and food names mapped to American ones (yoghurt →
   yogurt, aubergine → eggplant, tinned → canned), filler words dropped, and every word
   reduced to its Snowball stem, so plurals and word forms meet ("sardines" and "sardine" →
   "sardin", "canned" → "can").
2. **Candidates** come from an inverted index of those stems. A query word the index does not
   know is taken as a prefix (typing as you go: "sard" → "sardin") or, failing that, corrected
   to its nearest indexed words by rapidfuzz edit distance ("brocoli" → "broccoli"). Scoring
   only the foods that share a word with the query keeps a search well under a millisecond or
   two instead of the ~20 ms a scan of every name would take.
3. **Ranking**: rapidfuzz `WRatio` of the corrected query against each alias (name or synonym)
   of each candidate; a food scores its best alias. Foods with an alias holding *every* query
   word (or its correction) come first, ordered by tier (the person's own, favourite and
   recent foods, then curated, then USDA) and then by match; so "salmon" lists the person's
   favourite sockeye before the curated Atlantic salmon, and both before USDA's dozens. Foods
   that miss a query word follow, by match plus a small tier bonus, so a custom "milk chocolate
   spread" never outranks whole milk for "whole milk". Equal matches break on where the
   query's first word stands in the alias (the food named after it first: for "coffee with
   milk", "Beverages, coffee, … milk based" before "Candies, milk chocolate coated coffee
   beans"), then on the shorter name, then the name, so the order is deterministic. The phone's
   search (frontend/src/app/search.ts) follows the same rules.

The normaliser is versioned (`NORMALISER_VERSION`): stored `search_text` is derived from it,
and `catalog.service.sync_curated` recomputes every row's `search_text` when it changes.
"""

from __future__ import annotations

import bisect
import heapq
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence, Set
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Final

import snowballstemmer
from rapidfuzz import fuzz, process

NORMALISER_VERSION: Final = 1
ALIAS_SEPARATOR: Final = " | "

# British (and other regional) words → the word USDA and most American labels use. Applied
# before stemming, to the catalog and to queries alike.
SPELLINGS: Final[dict[str, str]] = {
    "yoghurt": "yogurt",
    "yoghurts": "yogurt",
    "yoghourt": "yogurt",
    "yogourt": "yogurt",
    "colour": "color",
    "coloured": "colored",
    "flavour": "flavor",
    "flavoured": "flavored",
    "fibre": "fiber",
    "savoury": "savory",
    "chilli": "chili",
    "chillies": "chili",
    "grey": "gray",
    "liquorice": "licorice",
    "doughnut": "donut",
    "doughnuts": "donut",
    "houmous": "hummus",
    "hummous": "hummus",
    "catsup": "ketchup",
    "aubergine": "eggplant",
    "aubergines": "eggplant",
    "courgette": "zucchini",
    "courgettes": "zucchini",
    "prawn": "shrimp",
    "prawns": "shrimp",
    "tinned": "canned",
    "tin": "canned",
    "rapeseed": "canola",
    "beetroot": "beet",
    "beetroots": "beet",
    "coriander": "cilantro",
    "mince": "ground",
    "minced": "ground",
    "wholemeal": "whole wheat",
    "wholegrain": "whole grain",
    "wholewheat": "whole wheat",
    "skimmed": "skim",
    "semi": "reduced",
    "soya": "soy",
    "swede": "rutabaga",
    "mangetout": "snow peas",
    "sultana": "raisin",
    "sultanas": "raisins",
    "crisps": "chips",
}
STOP_WORDS: Final = frozenset({"a", "an", "and", "the", "of", "in", "with", "or", "to", "for"})

_stemmer = snowballstemmer.stemmer("english")
_WORD = re.compile(r"[a-z0-9]+")


@lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    stem: str = _stemmer.stemWord(word)
    return stem


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def tokens(text: str) -> list[str]:
    """The normalised words of `text`, in order: "Greek Yoghurts" → ["greek", "yogurt"]."""
    out: list[str] = []
    for word in _WORD.findall(_fold(text)):
        for mapped in SPELLINGS.get(word, word).split():
            if mapped not in STOP_WORDS:
                out.append(_stem(mapped))
    return out


def normalise(text: str) -> str:
    return " ".join(tokens(text))


def search_text(name: str, synonyms: Iterable[str]) -> str:
    """The stored `search_text` of a food: its normalised aliases, name first, no repeats."""
    seen: list[str] = []
    for alias in (name, *synonyms):
        norm = normalise(alias)
        if norm and norm not in seen:
            seen.append(norm)
    return ALIAS_SEPARATOR.join(seen)


@dataclass(frozen=True, slots=True)
class IndexedFood:
    """What the index needs of a food: its id, tier (0 personal, 1 curated, 2 USDA), name and
    stored `search_text`."""

    id: str
    tier: int
    name: str
    search_text: str


@dataclass(frozen=True, slots=True)
class Hit:
    id: str
    name: str
    tier: int
    complete: bool  # every query word (or its correction) is in one of the food's aliases
    match: float  # rapidfuzz WRatio, 0-100
    # Where the query's first word stands in the food's best alias (0: the name starts with it).
    lead: int = 0
    # The query names the food's kind (`food_kinds`): "milk" is what "Skim milk" is, and only
    # what "Milk chocolate" holds.
    kind: bool = False
    # The name holds a processed-form word the query does not (`processed_forms`): "Evaporated
    # milk" is milk, but not the milk meant by "milk".
    processed: bool = False

    def order(self) -> tuple[int, float, int, int, float, int, int, str, str]:
        """Complete matches first, by tier, then the foods of the kind the query names, then the
        plain forms before the processed ones, then by match, then by where the query's first
        word stands; the rest by match plus tier bonus."""
        if self.complete:
            return (
                0,
                self.tier,
                0 if self.kind else 1,
                1 if self.processed else 0,
                -self.match,
                self.lead,
                len(self.name),
                self.name,
                self.id,
            )
        bonus = TIER_BONUS[self.tier]
        return (1, 0, 0, 0, -(self.match + bonus), self.lead, len(self.name), self.name, self.id)


# Among partial matches (some query word found nowhere), a small bonus by tier: enough to
# reorder comparable matches, not enough to lift a weak match over a strong one.
TIER_BONUS: Final[dict[int, float]] = {0: 10.0, 1: 6.0, 2: 0.0}
MIN_MATCH: Final = 60.0
# A hit this far below the best match is noise ("milk" should not list "mink").
MAX_GAP: Final = 30.0
MAX_CANDIDATES: Final = 400
MAX_PREFIX_EXPANSION: Final = 20
# The lead of an alias that does not hold the query's first word (it holds a correction of it).
MAX_LEAD: Final = 99


@dataclass
class SearchIndex:
    """An inverted index from stems to aliases; aliases map to foods."""

    foods: list[IndexedFood]
    alias_text: list[str] = field(default_factory=list)
    alias_food: list[int] = field(default_factory=list)
    # Curated aliases first, then by length: which aliases to score when too many match.
    alias_rank: list[int] = field(default_factory=list)
    postings: dict[str, list[int]] = field(default_factory=dict)
    vocabulary: list[str] = field(default_factory=list)  # sorted, for prefixes and corrections

    @classmethod
    def build(cls, foods: Sequence[IndexedFood]) -> SearchIndex:
        index = cls(list(foods))
        postings: dict[str, list[int]] = {}
        for food_no, food in enumerate(index.foods):
            for alias in food.search_text.split(ALIAS_SEPARATOR):
                alias = alias.strip()
                if not alias:
                    continue
                alias_no = len(index.alias_text)
                index.alias_text.append(alias)
                index.alias_food.append(food_no)
                index.alias_rank.append(len(alias) + (0 if food.tier < 2 else 1000))
                for word in set(alias.split()):
                    postings.setdefault(word, []).append(alias_no)
        index.postings = postings
        index.vocabulary = sorted(postings)
        return index

    def __len__(self) -> int:
        return len(self.foods)

    def _expand(self, word: str) -> tuple[list[str], str]:
        """Indexed words a query word stands for, and the word to score the query with."""
        if word in self.postings:
            return [word], word
        if len(word) >= 3:
            start = bisect.bisect_left(self.vocabulary, word)
            prefixed: list[str] = []
            for candidate in self.vocabulary[start:]:
                if not candidate.startswith(word):
                    break
                prefixed.append(candidate)
            if prefixed:
                # Typing "sard": the most common completions, and score against the first.
                prefixed.sort(key=lambda w: -len(self.postings[w]))
                prefixed = prefixed[:MAX_PREFIX_EXPANSION]
                return prefixed, prefixed[0]
        if len(word) >= 4:
            cutoff = 75.0 if len(word) <= 5 else 80.0
            found = process.extract(
                word, self.vocabulary, scorer=fuzz.ratio, limit=3, score_cutoff=cutoff
            )
            if found:
                # Best edit-distance match; among equals, the word more foods use.
                found.sort(key=lambda m: (-m[1], -len(self.postings[m[0]])))
                return [m[0] for m in found], found[0][0]
        return [], word

    def _join_compounds(self, words: Sequence[str]) -> list[str]:
        """Two query words the index knows as one: "chick peas" → "chickpea"."""
        out: list[str] = []
        i = 0
        while i < len(words):
            if i + 1 < len(words) and (joined := _stem(words[i] + words[i + 1])) in self.postings:
                out.append(joined)
                i += 2
            else:
                out.append(words[i])
                i += 1
        return out

    def search(
        self, query_words: Sequence[str], limit: int, personal: Set[str] = frozenset()
    ) -> list[Hit]:
        """Foods matching the normalised query words, best first (at most `limit`); foods whose
        id is in `personal` (favourites, recents) rank in the personal tier."""
        if not query_words or not self.foods:
            return []
        scored_words: list[str] = []
        # How many query words each alias holds (an alias counts once per query word).
        coverage: Counter[int] = Counter()
        for word in dict.fromkeys(self._join_compounds(query_words)):
            expanded, scored_as = self._expand(word)
            scored_words.append(scored_as)
            lists = [self.postings[indexed] for indexed in expanded]
            if lists:
                coverage.update(lists[0] if len(lists) == 1 else set().union(*lists))
        if not coverage:
            return []
        wanted = len(scored_words)
        candidates = list(coverage)
        if len(candidates) > MAX_CANDIDATES:
            # Very common words ("raw", "cooked"): score the aliases holding the most query
            # words, curated ones first, then the shortest (the best WRatio matches anyway).
            full = [a for a in candidates if coverage[a] == wanted]
            full.sort(key=self.alias_rank.__getitem__)
            if len(full) < MAX_CANDIDATES:
                rest = [a for a in candidates if coverage[a] != wanted]
                rest.sort(key=lambda a: (-coverage[a], self.alias_rank[a]))
                full += rest
            candidates = full[:MAX_CANDIDATES]
        query = " ".join(scored_words)
        texts = [self.alias_text[a] for a in candidates]
        best: dict[int, tuple[bool, float, int]] = {}
        # One call into rapidfuzz's C loop rather than one Python call per alias.
        for _text, match, position in process.extract(
            query, texts, scorer=fuzz.WRatio, limit=None, score_cutoff=MIN_MATCH
        ):
            alias_no = candidates[position]
            food_no = self.alias_food[alias_no]
            lead = _lead(scored_words[0], self.alias_text[alias_no])
            found = (coverage[alias_no] == wanted, match, -lead)
            if found > best.get(food_no, (False, 0.0, -MAX_LEAD)):
                best[food_no] = found
        hits = []
        named = set(scored_words)
        for food_no, (complete, match, minus_lead) in best.items():
            food = self.foods[food_no]
            tier = 0 if food.id in personal else food.tier
            kind = not food_kinds(food.name).isdisjoint(named)
            processed = not processed_forms(food.name) <= named
            hits.append(
                Hit(food.id, food.name, tier, complete, match, -minus_lead, kind, processed)
            )
        return merge([hits], limit)


_BRACKETS: Final = re.compile(r"\(([^)]*)\)")


@lru_cache(maxsize=65536)
def food_kinds(name: str) -> frozenset[str]:
    """What a food is, as normalised words: the last word of its name's first part, brackets
    left out, and a one-word bracket's word ("Porridge (oatmeal)" is oatmeal too). "Whole milk
    (3.25%)" and "Milk, whole, 3.25% milkfat" are milk; "Milk chocolate" is chocolate; "Candies,
    milk chocolate coated coffee beans" are candies. A search for "milk" lists the milks before
    the foods that only hold the word (issue #14, the newcomer walk)."""
    first = name.split(",", 1)[0]
    words = tokens(_BRACKETS.sub(" ", first))
    kinds = {words[-1]} if words else set()
    for bracket in _BRACKETS.findall(first):
        inner = tokens(bracket)
        if len(inner) == 1 and not inner[0].isdigit():
            kinds.add(inner[0])
    return frozenset(kinds)


# Words that name a processed form of a food: a search for the food lists its plain forms first
# ("milk": whole, 2 %, skim before evaporated, condensed or dry milk), unless the query names
# the form ("evaporated milk"). Normalised (stemmed) as names are; the phone reads them from
# search-words.json.
PROCESSED_FORM_WORDS: Final = (
    "evaporated",
    "condensed",
    "dry",
    "dried",
    "powdered",
    "powder",
    "dehydrated",
)
PROCESSED_FORMS: Final = frozenset(tokens(" ".join(PROCESSED_FORM_WORDS)))


@lru_cache(maxsize=65536)
def processed_forms(name: str) -> frozenset[str]:
    """The processed-form words of a food's name, normalised: "Milk, dry, nonfat" → {"dri"}."""
    return frozenset(tokens(name)) & PROCESSED_FORMS


def _lead(first_word: str, alias: str) -> int:
    """Where the query's first word (or the word it stands for) stands among an alias's words:
    WRatio scores "milk chocolate coated coffee beans" and "coffee, ready to drink, milk based"
    alike for "coffee with milk", and the food named after the first word is the one meant."""
    for position, word in enumerate(alias.split()):
        if word.startswith(first_word) or first_word.startswith(word):
            return position
    return MAX_LEAD


def merge(results: Iterable[Sequence[Hit]], limit: int) -> list[Hit]:
    """Rank hits from one or several indexes (the catalog, a person's own foods) together,
    dropping partial matches far below the best match."""
    hits = [hit for group in results for hit in group]
    if not hits:
        return []
    floor = max(hit.match for hit in hits) - MAX_GAP
    kept = (hit for hit in hits if hit.complete or hit.match >= floor)
    return heapq.nsmallest(limit, kept, key=Hit.order)
