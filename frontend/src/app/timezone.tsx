/**
 * The time-zone picker: search by city, pick from the list, never free text. The server accepts
 * only zone names it knows ("America/New_York"); a typed "New York" used to pass the form and
 * be refused later by sync, so the form now offers only names the browser itself lists.
 * A few large cities that have no zone of their own name are found through the zone they use.
 */
import { useMemo, useState } from "preact/hooks";

const EXTRA_CITIES: Readonly<Record<string, string>> = {
  Atlanta: "America/New_York",
  Boston: "America/New_York",
  Miami: "America/New_York",
  Philadelphia: "America/New_York",
  Washington: "America/New_York",
  Dallas: "America/Chicago",
  Houston: "America/Chicago",
  Minneapolis: "America/Chicago",
  "Salt Lake City": "America/Denver",
  "Las Vegas": "America/Los_Angeles",
  "San Diego": "America/Los_Angeles",
  "San Francisco": "America/Los_Angeles",
  Seattle: "America/Los_Angeles",
  Ottawa: "America/Toronto",
  Montreal: "America/Toronto",
  Birmingham: "Europe/London",
  Cardiff: "Europe/London",
  Edinburgh: "Europe/London",
  Glasgow: "Europe/London",
  Manchester: "Europe/London",
  Barcelona: "Europe/Madrid",
  Frankfurt: "Europe/Berlin",
  Hamburg: "Europe/Berlin",
  Munich: "Europe/Berlin",
  Milan: "Europe/Rome",
  Geneva: "Europe/Zurich",
  Beijing: "Asia/Shanghai",
  Delhi: "Asia/Kolkata",
  Mumbai: "Asia/Kolkata",
  Canberra: "Australia/Sydney",
};

export interface ZoneOption {
  zone: string;
  city: string;
  region: string;
}

function fold(s: string): string {
  return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/[_\s-]+/g, " ").trim();
}

/** Every zone the browser knows (plus UTC), each with a city name to search and show. */
export function zoneOptions(): ZoneOption[] {
  // Optional: browsers before 2022 lack it.
  const intl: { supportedValuesOf?: (key: "timeZone") => string[] } = Intl;
  const zones = intl.supportedValuesOf?.("timeZone") ?? [Intl.DateTimeFormat().resolvedOptions().timeZone];
  const out: ZoneOption[] = zones.map((zone) => {
    const parts = zone.split("/");
    return { zone, city: (parts[parts.length - 1] ?? zone).replace(/_/g, " "), region: parts.length > 1 ? (parts[0] ?? "").replace(/_/g, " ") : "" };
  });
  for (const [city, zone] of Object.entries(EXTRA_CITIES)) {
    if (zones.includes(zone)) out.push({ zone, city, region: zone.split("/")[0] ?? "" });
  }
  if (!zones.includes("UTC")) out.push({ zone: "UTC", city: "UTC (no time zone)", region: "" });
  return out;
}

/** Options matching `query`: cities that start with it first, then any word or zone match. */
export function searchZones(options: readonly ZoneOption[], query: string, limit = 8): ZoneOption[] {
  const q = fold(query);
  if (!q) return [];
  const scored: [number, ZoneOption][] = [];
  for (const o of options) {
    const city = fold(o.city);
    const rank = city === q ? 0 : city.startsWith(q) ? 1 : city.split(" ").some((w) => w.startsWith(q)) ? 2 : fold(o.zone).includes(q) || fold(o.region).startsWith(q) ? 3 : -1;
    if (rank >= 0) scored.push([rank, o]);
  }
  scored.sort((a, b) => a[0] - b[0] || a[1].city.localeCompare(b[1].city));
  return scored.slice(0, limit).map(([, o]) => o);
}

/** "GMT-5" for a zone now, or "" when the browser cannot say. */
export function zoneOffset(zone: string): string {
  try {
    const part = new Intl.DateTimeFormat("en-GB", { timeZone: zone, timeZoneName: "shortOffset" }).formatToParts(new Date()).find((p) => p.type === "timeZoneName");
    return part?.value ?? "";
  } catch {
    return "";
  }
}

/** "New York (America, GMT-5)": a zone in words. */
export function zoneWords(zone: string): string {
  const parts = zone.split("/");
  const city = (parts[parts.length - 1] ?? zone).replace(/_/g, " ");
  const region = parts.length > 1 ? (parts[0] ?? "").replace(/_/g, " ") : "";
  const offset = zoneOffset(zone);
  const extra = [region, offset].filter(Boolean).join(", ");
  return extra ? `${city} (${extra})` : city;
}

export function deviceZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
}

export function TimeZonePicker(props: { value: string; onChange: (zone: string) => void }) {
  const options = useMemo(zoneOptions, []);
  const [query, setQuery] = useState("");
  const [open, setOpen] = useState(false);
  const matches = searchZones(options, query);
  const detected = deviceZone();
  return (
    <fieldset class="field zone-picker">
      <legend>Time zone</legend>
      <p data-testid="zone-current">
        <strong>{zoneWords(props.value)}</strong>
        {props.value === detected ? <span class="muted"> · this phone's time zone</span> : null}
      </p>
      {open ? (
        <>
          <label for="f-zone-search">Search by city</label>
          <input
            id="f-zone-search"
            type="search"
            autocomplete="off"
            placeholder="For example: London, Chicago"
            value={query}
            onInput={(e) => setQuery((e.target as HTMLInputElement).value)}
          />
          {query && matches.length === 0 ? <p class="hint" role="status">No city matches “{query}”. Try the largest city near you.</p> : null}
          <ul class="list" data-testid="zone-results" aria-label="Matching time zones">
            {matches.map((o) => (
              <li key={`${o.city}:${o.zone}`}>
                <button
                  type="button"
                  class="pick"
                  onClick={() => {
                    props.onChange(o.zone);
                    setOpen(false);
                    setQuery("");
                  }}
                >
                  <span>{o.city}</span>
                  <span class="muted">{[o.region, zoneOffset(o.zone)].filter(Boolean).join(", ")}</span>
                </button>
              </li>
            ))}
          </ul>
          <div class="actions">
            {props.value !== detected ? (
              <button type="button" class="btn" onClick={() => { props.onChange(detected); setOpen(false); }}>Use this phone's: {zoneWords(detected)}</button>
            ) : null}
            <button type="button" class="btn btn-quiet" onClick={() => setOpen(false)}>Cancel</button>
          </div>
        </>
      ) : (
        <button type="button" class="btn" onClick={() => setOpen(true)}>Change time zone</button>
      )}
    </fieldset>
  );
}

/**
 * "Your phone is in X; your profile says Y", with one tap to switch, or null when they agree.
 * Entries and scores use the profile's zone, so a phone that travelled (or a profile still on
 * the default UTC) is said in words rather than shown as if it were the profile's.
 */
export function zoneMismatch(profileZone: string, phoneZone: string): string | null {
  if (profileZone === phoneZone) return null;
  return `Your phone is in ${zoneWords(phoneZone)}; your profile says ${zoneWords(profileZone)}. Your days and times follow your profile.`;
}

export function ZoneMismatch(props: { profileZone: string; onSwitch: (zone: string) => void }) {
  const phone = deviceZone();
  const words = zoneMismatch(props.profileZone, phone);
  if (!words) return null;
  return (
    <div class="card" role="status" data-testid="zone-mismatch">
      <p>{words}</p>
      <button type="button" class="btn" onClick={() => props.onSwitch(phone)}>Switch to {zoneWords(phone)}</button>
    </div>
  );
}
