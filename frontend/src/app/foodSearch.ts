/**
 * Food search on the phone (the Meal screen's, loaded with it rather than with the app shell):
 * the server's rules (`search.ts`) over the offline pack and the person's own foods, and the
 * server's answer merged with what only the phone knows yet.
 */
import type { PackFood } from "./foods";
import { SearchIndex, searchText, tokens, type Hit } from "./search";

const indexes = new WeakMap<PackFood[], SearchIndex>();

/** The search index of a list of foods, built once per list (lists are replaced, not edited). */
function indexOf(foods: PackFood[]): SearchIndex {
  let index = indexes.get(foods);
  if (!index) {
    index = new SearchIndex(
      foods.map((f) => ({
        id: f.id,
        tier: f.source === "user" ? 0 : f.source === "usda" ? 2 : 1,
        name: f.name,
        searchText: searchText(f.name, f.synonyms ?? []),
      })),
    );
    indexes.set(foods, index);
  }
  return index;
}

function hits(foods: PackFood[], query: string, limit: number, recentIds: Iterable<string>): [Hit, PackFood][] {
  const words = tokens(query);
  if (words.length === 0) return [];
  const personal = new Set(recentIds);
  for (const f of foods) if (f.favourite || f.recent) personal.add(f.id);
  const byId = new Map(foods.map((f) => [f.id, f]));
  return indexOf(foods)
    .search(words, limit, personal)
    .map((hit): [Hit, PackFood | undefined] => [hit, byId.get(hit.id)])
    .filter((pair): pair is [Hit, PackFood] => !!pair[1]);
}

/**
 * The offline search (`search.ts`, the server's rules) over the pack and the person's own
 * foods; favourite and recent foods (the pack's flags and `recentIds`) rank with their own.
 */
export function searchFoods(foods: PackFood[], query: string, limit = 25, recentIds: Iterable<string> = []): PackFood[] {
  return hits(foods, query, limit, recentIds).map(([, food]) => food);
}

/**
 * The server's answer, with what only the phone knows yet: her own, favourite and recent foods
 * that hold every query word lead (as the server ranks them once it has heard of them, e.g. a
 * star tapped a second ago), then the server's results, less her own foods deleted here.
 */
export function withPersonal(serverFoods: PackFood[], foods: PackFood[], query: string, recentIds: Iterable<string> = [], limit = 25): PackFood[] {
  const mine = hits(foods, query, limit, recentIds)
    .filter(([hit]) => hit.complete && hit.tier === 0)
    .map(([, food]) => food);
  const seen = new Set(mine.map((f) => f.id));
  // Every food of her own is on the phone: one the server lists but the phone does not is
  // deleted here and the server has not heard yet.
  const onPhone = new Set(foods.filter((f) => f.source === "user").map((f) => f.id));
  const fresh = serverFoods.filter((f) => !seen.has(f.id) && (f.source !== "user" || onPhone.has(f.id)));
  return [...mine, ...fresh].slice(0, limit);
}

