/**
 * The phone's food search: the server's `catalog/search.py`, ported line for line, so a query
 * finds the same foods offline as online (typos, plurals, British spellings, whole-word matches
 * first). Pure: no storage, no UI.
 *
 * 1. Normalise names, synonyms and the query alike: lower case, accents dropped, British words
 *    mapped to American ones (`search-words.json`, generated from search.py and checked for
 *    drift by tests/catalog/test_search_words.py), filler words dropped, each word reduced to
 *    its Porter2 (Snowball English) stem, the stemmer the server uses.
 * 2. Candidates come from an inverted index of stems; an unknown query word is taken as a
 *    prefix (typing as you go) or corrected to the nearest indexed words by edit distance.
 * 3. Ranking: WRatio (rapidfuzz's definition, below) of the query against each alias; foods
 *    with an alias holding every query word come first, by tier (own, favourite and recent
 *    foods, then curated, then USDA), then by match; partial matches follow, by match plus a
 *    small tier bonus.
 *
 * The scorers are written here rather than taken from a library: fuzzball (the JavaScript
 * port of TheFuzz) is 48 KB, which the precache budget cannot carry, and the few functions
 * WRatio needs are short.
 */
import { stem } from "porter2";
import WORDS from "./search-words.json";

const SPELLINGS: Record<string, string> = WORDS.spellings;
const STOP_WORDS = new Set<string>(WORDS.stop_words);
/** Normalised words naming a processed form ("evaporated", "dry", "powdered"): the server's `PROCESSED_FORMS`. */
const PROCESSED_FORMS = new Set<string>(WORDS.processed_forms);
const ALIAS_SEPARATOR = " | ";

/**
 * Where the server's Snowball 3 English stemmer and the `porter2` package (Snowball 2's rules)
 * part: Snowball 3 added R1 exceptions ("past", "organ", "univers"…). The phone's test checks
 * every word of every catalog name against the server's stems, so this list is complete there.
 */
const STEM_EXCEPTIONS: Record<string, string> = {
  added: "add",
  adding: "add",
  interstate: "interstat",
  interstates: "interstat",
  organic: "organic",
  organics: "organic",
  organically: "organic",
  paste: "paste",
  pastes: "paste",
  pasted: "paste",
  pasting: "paste",
  universal: "universal",
};

const stems = new Map<string, string>();
function stemOf(word: string): string {
  let s = stems.get(word);
  if (s === undefined) {
    s = STEM_EXCEPTIONS[word] ?? stem(word);
    if (stems.size > 65536) stems.clear();
    stems.set(word, s);
  }
  return s;
}

/** The normalised words of `text`, in order: "Greek Yoghurts" → ["greek", "yogurt"]. */
export function tokens(text: string): string[] {
  const folded = text.toLowerCase().normalize("NFKD").replace(/\p{M}/gu, "");
  const out: string[] = [];
  for (const word of folded.match(/[a-z0-9]+/g) ?? []) {
    for (const mapped of (SPELLINGS[word] ?? word).split(" ")) {
      if (!STOP_WORDS.has(mapped)) out.push(stemOf(mapped));
    }
  }
  return out;
}

export function normalise(text: string): string {
  return tokens(text).join(" ");
}

/** A food's normalised aliases, name first, no repeats (the server's stored `search_text`). */
export function searchText(name: string, synonyms: readonly string[]): string {
  const seen: string[] = [];
  for (const alias of [name, ...synonyms]) {
    const n = normalise(alias);
    if (n && !seen.includes(n)) seen.push(n);
  }
  return seen.join(ALIAS_SEPARATOR);
}

// --- the scorers (rapidfuzz.fuzz, for already-normalised text) -------------------------------

/** Length of the longest common subsequence (the Indel distance is len1 + len2 - 2 LCS). */
function lcs(a: string, b: string): number {
  if (!a.length || !b.length) return 0;
  let prev = new Uint16Array(b.length + 1);
  let cur = new Uint16Array(b.length + 1);
  for (let i = 1; i <= a.length; i++) {
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= b.length; j++) {
      cur[j] = ca === b.charCodeAt(j - 1) ? prev[j - 1]! + 1 : Math.max(prev[j]!, cur[j - 1]!);
    }
    [prev, cur] = [cur, prev];
  }
  return prev[b.length]!;
}

/** fuzz.ratio: 100 × (1 − Indel distance / total length). */
export function ratio(a: string, b: string): number {
  const total = a.length + b.length;
  if (total === 0) return 100;
  return (200 * lcs(a, b)) / total;
}

/** fuzz.partial_ratio: the best ratio of the shorter string against any window of the longer. */
function partialRatio(a: string, b: string): number {
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  if (!short.length) return long.length ? 0 : 100;
  const m = short.length;
  const chars = new Set(short);
  let best = 0;
  // Prefixes shorter than the needle, full windows, then suffixes (as rapidfuzz does).
  for (let i = 1; i < m && best < 100; i++) if (chars.has(long[i - 1]!)) best = Math.max(best, ratio(short, long.slice(0, i)));
  for (let i = 0; i + m <= long.length && best < 100; i++) {
    if (chars.has(long[i + m - 1]!) || chars.has(long[i]!)) best = Math.max(best, ratio(short, long.slice(i, i + m)));
  }
  for (let i = long.length - m + 1; i < long.length && best < 100; i++) if (chars.has(long[i]!)) best = Math.max(best, ratio(short, long.slice(i)));
  return best;
}

const words = (s: string) => s.split(" ").filter(Boolean);
const sortedJoin = (ws: Iterable<string>) => [...ws].sort().join(" ");

function tokenSortRatio(a: string, b: string): number {
  return ratio(sortedJoin(words(a)), sortedJoin(words(b)));
}

function tokenSetRatio(a: string, b: string): number {
  const ta = new Set(words(a));
  const tb = new Set(words(b));
  if (!ta.size || !tb.size) return 0;
  const sect = [...ta].filter((w) => tb.has(w));
  const ab = [...ta].filter((w) => !tb.has(w));
  const ba = [...tb].filter((w) => !ta.has(w));
  if (sect.length && (!ab.length || !ba.length)) return 100;
  const abJoined = sortedJoin(ab);
  const baJoined = sortedJoin(ba);
  const sectLen = sortedJoin(sect).length;
  const sep = sectLen ? 1 : 0;
  const sectAbLen = sectLen + sep + abJoined.length;
  const sectBaLen = sectLen + sep + baJoined.length;
  const norm = (dist: number, total: number) => (total ? 100 - (100 * dist) / total : 0);
  const dist = abJoined.length + baJoined.length - 2 * lcs(abJoined, baJoined);
  let result = norm(dist, sectAbLen + sectBaLen);
  if (!sectLen) return result;
  result = Math.max(result, norm(sep + abJoined.length, sectLen + sectAbLen));
  return Math.max(result, norm(sep + baJoined.length, sectLen + sectBaLen));
}

function partialTokenRatio(a: string, b: string): number {
  const la = words(a);
  const lb = words(b);
  const ta = new Set(la);
  const tb = new Set(lb);
  if ([...ta].some((w) => tb.has(w))) return 100;
  const ab = [...ta].filter((w) => !tb.has(w));
  const ba = [...tb].filter((w) => !ta.has(w));
  const result = partialRatio(sortedJoin(la), sortedJoin(lb));
  if (la.length === ab.length && lb.length === ba.length) return result;
  return Math.max(result, partialRatio(sortedJoin(ab), sortedJoin(ba)));
}

/** fuzz.WRatio: the best of ratio, token and partial scores, weighted by the length ratio. */
export function wratio(a: string, b: string): number {
  if (!a || !b) return 0;
  const UNBASE = 0.95;
  const lenRatio = a.length > b.length ? a.length / b.length : b.length / a.length;
  const end = ratio(a, b);
  if (lenRatio < 1.5) return Math.max(end, Math.max(tokenSetRatio(a, b), tokenSortRatio(a, b)) * UNBASE);
  const PARTIAL = lenRatio < 8 ? 0.9 : 0.6;
  const best = Math.max(end, partialRatio(a, b) * PARTIAL);
  return Math.max(best, partialTokenRatio(a, b) * UNBASE * PARTIAL);
}

// --- the index -------------------------------------------------------------------------------

/** What the index needs of a food: id, tier (0 personal, 1 curated, 2 USDA), name, aliases. */
export interface IndexedFood {
  id: string;
  tier: number;
  name: string;
  searchText: string;
}

export interface Hit {
  id: string;
  name: string;
  tier: number;
  /** Every query word (or its correction) is in one of the food's aliases. */
  complete: boolean;
  /** WRatio, 0-100. */
  match: number;
  /** Where the query's first word stands in the food's best alias (0: the name starts with it). */
  lead: number;
  /** The query names the food's kind (`foodKinds`): "milk" is what "Skim milk" is, and only what "Milk chocolate" holds. */
  kind?: boolean;
  /** The name holds a processed-form word the query does not: "Evaporated milk" is milk, but not the milk meant by "milk". */
  processed?: boolean;
}

const TIER_BONUS: Record<number, number> = { 0: 10, 1: 6, 2: 0 };
const MIN_MATCH = 60;
const MAX_GAP = 30;
const MAX_CANDIDATES = 400;
const MAX_PREFIX_EXPANSION = 20;
/** The lead of an alias that does not hold the query's first word (it holds a correction of it). */
const MAX_LEAD = 99;

/**
 * Where the query's first word (or the word it stands for) stands among an alias's words:
 * WRatio scores "milk chocolate coated coffee beans" and "coffee, ready to drink, milk based"
 * alike for "coffee with milk", and the food named after the first word is the one meant.
 */
function lead(firstWord: string, alias: string): number {
  const words = alias.split(" ");
  for (let i = 0; i < words.length; i++) if (words[i]!.startsWith(firstWord) || firstWord.startsWith(words[i]!)) return i;
  return MAX_LEAD;
}

/**
 * What a food is, as normalised words: the last word of its name's first part, brackets left
 * out, and a one-word bracket's word ("Porridge (oatmeal)" is oatmeal too). "Whole milk (3.25%)"
 * and "Milk, whole, 3.25% milkfat" are milk; "Milk chocolate" is chocolate; "Candies, milk
 * chocolate coated coffee beans" are candies. A search for "milk" lists the milks before the
 * foods that only hold the word (issue #14, the newcomer walk). The server's `food_kinds`.
 */
export function foodKinds(name: string): Set<string> {
  const first = name.split(",", 1)[0] ?? "";
  const words = tokens(first.replace(/\([^)]*\)/g, " "));
  const kinds = new Set<string>(words.length ? [words[words.length - 1]!] : []);
  for (const m of first.matchAll(/\(([^)]*)\)/g)) {
    const inner = tokens(m[1] ?? "");
    if (inner.length === 1 && !/^\d+$/.test(inner[0]!)) kinds.add(inner[0]!);
  }
  return kinds;
}

/**
 * The processed-form words of a food's name, normalised: "Milk, dry, nonfat" → {"dri"}. A search
 * for the food lists its plain forms first ("milk": whole, 2 %, skim before evaporated or dry
 * milk) unless the query names the form. The server's `processed_forms`.
 */
export function processedForms(name: string): Set<string> {
  return new Set(tokens(name).filter((w) => PROCESSED_FORMS.has(w)));
}

function order(h: Hit): (number | string)[] {
  if (h.complete) return [0, h.tier, h.kind ? 0 : 1, h.processed ? 1 : 0, -h.match, h.lead, h.name.length, h.name, h.id];
  return [1, 0, 0, 0, -(h.match + (TIER_BONUS[h.tier] ?? 0)), h.lead, h.name.length, h.name, h.id];
}

function compare(a: Hit, b: Hit): number {
  const x = order(a);
  const y = order(b);
  for (let i = 0; i < x.length; i++) {
    const [p, q] = [x[i]!, y[i]!];
    if (p < q) return -1;
    if (p > q) return 1;
  }
  return 0;
}

export class SearchIndex {
  readonly foods: IndexedFood[];
  private aliasText: string[] = [];
  private aliasFood: number[] = [];
  private aliasRank: number[] = [];
  private postings = new Map<string, number[]>();
  private vocabulary: string[] = [];

  constructor(foods: IndexedFood[]) {
    this.foods = foods;
    foods.forEach((food, foodNo) => {
      for (const raw of food.searchText.split(ALIAS_SEPARATOR)) {
        const alias = raw.trim();
        if (!alias) continue;
        const aliasNo = this.aliasText.length;
        this.aliasText.push(alias);
        this.aliasFood.push(foodNo);
        this.aliasRank.push(alias.length + (food.tier < 2 ? 0 : 1000));
        for (const word of new Set(alias.split(" "))) {
          const list = this.postings.get(word);
          if (list) list.push(aliasNo);
          else this.postings.set(word, [aliasNo]);
        }
      }
    });
    this.vocabulary = [...this.postings.keys()].sort();
  }

  private count(word: string): number {
    return this.postings.get(word)?.length ?? 0;
  }

  /** Indexed words a query word stands for, and the word to score the query with. */
  private expand(word: string): [string[], string] {
    if (this.postings.has(word)) return [[word], word];
    if (word.length >= 3) {
      let lo = 0;
      let hi = this.vocabulary.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (this.vocabulary[mid]! < word) lo = mid + 1;
        else hi = mid;
      }
      const prefixed: string[] = [];
      for (let i = lo; i < this.vocabulary.length && this.vocabulary[i]!.startsWith(word); i++) prefixed.push(this.vocabulary[i]!);
      if (prefixed.length) {
        prefixed.sort((a, b) => this.count(b) - this.count(a));
        const kept = prefixed.slice(0, MAX_PREFIX_EXPANSION);
        return [kept, kept[0]!];
      }
    }
    if (word.length >= 4) {
      const cutoff = word.length <= 5 ? 75 : 80;
      const scored = this.vocabulary
        .map((w): [string, number] => [w, ratio(word, w)])
        .filter(([, s]) => s >= cutoff)
        .sort((a, b) => b[1] - a[1])
        .slice(0, 3)
        .sort((a, b) => b[1] - a[1] || this.count(b[0]) - this.count(a[0]));
      if (scored.length) return [scored.map(([w]) => w), scored[0]![0]];
    }
    return [[], word];
  }

  /** Two query words the index knows as one: "chick peas" → "chickpea". */
  private joinCompounds(ws: string[]): string[] {
    const out: string[] = [];
    for (let i = 0; i < ws.length; i++) {
      const joined = i + 1 < ws.length ? stemOf(ws[i]! + ws[i + 1]!) : null;
      if (joined !== null && this.postings.has(joined)) {
        out.push(joined);
        i++;
      } else out.push(ws[i]!);
    }
    return out;
  }

  /** Foods matching the normalised query words, best first; ids in `personal` rank as tier 0. */
  search(queryWords: string[], limit: number, personal: ReadonlySet<string> = new Set()): Hit[] {
    if (!queryWords.length || !this.foods.length) return [];
    const scoredWords: string[] = [];
    const coverage = new Map<number, number>();
    for (const word of new Set(this.joinCompounds(queryWords))) {
      const [expanded, scoredAs] = this.expand(word);
      scoredWords.push(scoredAs);
      const aliases = new Set<number>();
      for (const w of expanded) for (const a of this.postings.get(w) ?? []) aliases.add(a);
      for (const a of aliases) coverage.set(a, (coverage.get(a) ?? 0) + 1);
    }
    if (!coverage.size) return [];
    const wanted = scoredWords.length;
    let candidates = [...coverage.keys()];
    if (candidates.length > MAX_CANDIDATES) {
      const full = candidates.filter((a) => coverage.get(a) === wanted).sort((a, b) => this.aliasRank[a]! - this.aliasRank[b]!);
      if (full.length < MAX_CANDIDATES) {
        const rest = candidates
          .filter((a) => coverage.get(a) !== wanted)
          .sort((a, b) => coverage.get(b)! - coverage.get(a)! || this.aliasRank[a]! - this.aliasRank[b]!);
        full.push(...rest);
      }
      candidates = full.slice(0, MAX_CANDIDATES);
    }
    const query = scoredWords.join(" ");
    const best = new Map<number, [boolean, number, number]>();
    for (const aliasNo of candidates) {
      const match = wratio(query, this.aliasText[aliasNo]!);
      if (match < MIN_MATCH) continue;
      const foodNo = this.aliasFood[aliasNo]!;
      const found: [boolean, number, number] = [coverage.get(aliasNo) === wanted, match, lead(scoredWords[0]!, this.aliasText[aliasNo]!)];
      const prev = best.get(foodNo);
      const better =
        !prev || Number(found[0]) > Number(prev[0]) || (found[0] === prev[0] && (found[1] > prev[1] || (found[1] === prev[1] && found[2] < prev[2])));
      if (better) best.set(foodNo, found);
    }
    const hits: Hit[] = [];
    const named = new Set(scoredWords);
    for (const [foodNo, [complete, match, first]] of best) {
      const food = this.foods[foodNo]!;
      hits.push({ id: food.id, name: food.name, tier: personal.has(food.id) ? 0 : food.tier, complete, match, lead: first, kind: [...foodKinds(food.name)].some((k) => named.has(k)), processed: [...processedForms(food.name)].some((w) => !named.has(w)) });
    }
    return merge([hits], limit);
  }
}

/** Ranks hits from one or several indexes together, dropping partial matches far below the best. */
export function merge(results: Hit[][], limit: number): Hit[] {
  const hits = results.flat();
  if (!hits.length) return [];
  const floor = Math.max(...hits.map((h) => h.match)) - MAX_GAP;
  return hits.filter((h) => h.complete || h.match >= floor).sort(compare).slice(0, limit);
}
