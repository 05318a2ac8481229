/**
 * The phone's time zone differs from her profile's (she travels, or the profile was set wrong):
 * every time on screen follows the profile, hours off her phone's clock, and nothing said so
 * (newcomer walk F18). Said once in city names, with Switch (the profile takes the phone's
 * zone, through the normal sync path) and Keep (remembered on this phone for that pair of zones,
 * so the same trip does not ask again, and a new trip does).
 */

/** The zone's canonical name as this browser resolves it ("Etc/UTC" and "UTC" are one). */
function canonicalZone(zone: string): string {
  try {
    return new Intl.DateTimeFormat("en-GB", { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    return zone;
  }
}

/** "Chicago time", "UTC": a zone in the words a person uses for it. */
export function zoneTimeWords(zone: string): string {
  const z = canonicalZone(zone);
  if (z === "UTC" || z === "Etc/UTC" || z === "Etc/GMT") return "UTC";
  const parts = z.split("/");
  return `${(parts[parts.length - 1] ?? z).replace(/_/g, " ")} time`;
}

export const KEEP_PREFIX = "fortify.zoneKept.";

/** The key under which Keep is remembered for this pair of zones. */
export function keepKey(profileZone: string, phoneZone: string): string {
  return `${KEEP_PREFIX}${canonicalZone(profileZone)}|${canonicalZone(phoneZone)}`;
}

export interface ZoneNotice {
  words: string;
  switchLabel: string;
  keepLabel: string;
  phoneZone: string;
  key: string;
}

/** The zone's offset from UTC at `at` ("GMT+1"), or null when the browser cannot say. */
function offsetAt(zone: string, at: Date): string | null {
  try {
    const part = new Intl.DateTimeFormat("en-GB", { timeZone: zone, timeZoneName: "longOffset" }).formatToParts(at).find((p) => p.type === "timeZoneName");
    return part?.value ?? null;
  } catch {
    return null;
  }
}

/**
 * The notice for this pair of zones, or null when the clocks agree at `at` (London and UTC in
 * winter, or the same zone by two names) or she chose to keep hers for this pair.
 */
export function zoneNotice(profileZone: string | null | undefined, phoneZone: string, kept: (key: string) => boolean, at: Date = new Date()): ZoneNotice | null {
  if (!profileZone || !phoneZone) return null;
  if (canonicalZone(profileZone) === canonicalZone(phoneZone)) return null;
  const offsets = [offsetAt(profileZone, at), offsetAt(phoneZone, at)];
  if (offsets[0] !== null && offsets[0] === offsets[1]) return null;
  const key = keepKey(profileZone, phoneZone);
  if (kept(key)) return null;
  const phone = zoneTimeWords(phoneZone);
  const profile = zoneTimeWords(profileZone);
  return {
    words: `Your phone is on ${phone}; Fortify uses ${profile}. Switch to ${phone}?`,
    switchLabel: `Switch to ${phone}`,
    keepLabel: `Keep ${profile}`,
    phoneZone,
    key,
  };
}

/** Keep, remembered in this phone's storage; false when storage is unavailable. */
export function storedKept(key: string): boolean {
  try {
    return localStorage.getItem(key) === "1";
  } catch {
    return false;
  }
}

export function rememberKept(key: string): void {
  try {
    localStorage.setItem(key, "1");
  } catch {
    // Private mode: asked again next time.
  }
}
