/**
 * The unit system offered first on a new profile, from the phone's languages and time zone.
 * Only onboarding asks, so it lives apart from units.ts, which the first download carries.
 */
import { US_ZONE, type UnitSystem } from "./units";

/** The regions that use US customary units day to day: the United States, Liberia, Myanmar. */
const US_UNIT_REGIONS = new Set(["US", "LR", "MM"]);

/** The region of a language tag ("en-US" → "US"), or null when it names none ("en"). */
export function languageRegion(language: string | undefined): string | null {
  if (!language) return null;
  try {
    return new Intl.Locale(language).maximize().region ?? null;
  } catch {
    return null;
  }
}

/** Zones that name no place (a phone left on UTC): they say nothing about where she lives. */
const NEUTRAL_ZONE = /^(UTC|GMT|UCT|Universal|Zulu|Etc\/.+)$/;

/** Zones of the other places that weigh in pounds: Liberia and Myanmar. */
const OTHER_US_UNIT_ZONE = /^(Africa\/Monrovia|Asia\/(Yangon|Rangoon))$/;

/** The first region her phone's languages name ("en-GB" in ["en-GB", "en"]), or null. */
function firstRegion(languages: string | readonly string[] | undefined): string | null {
  const list = typeof languages === "string" ? [languages] : (languages ?? []);
  for (const language of list) {
    const region = /[-_][A-Za-z]{2}\b|[-_]\d{3}\b/.test(language) ? languageRegion(language) : null;
    if (region) return region;
  }
  return null;
}

/**
 * The unit system to offer first, from the phone's languages (`navigator.languages`, best
 * first) and its time zone. A language naming a metric region (en-GB, fr-FR, es-419) means
 * metric. A US one (en-US) means US units where the zone agrees or names no place (an en-US
 * phone set to UTC, as many are, is in the US all the same); but en-US is also the factory
 * English of many phones and browsers set up anywhere, so a phone on London time is offered
 * metric (newcomer walk: a London phone started on US units). With no region, the zone decides.
 * She can change it at once on the same form and later in Settings.
 */
export function guessUnitSystem(zone: string, languages?: string | readonly string[]): UnitSystem {
  const region = firstRegion(languages);
  const zoneUs = US_ZONE.test(zone) || OTHER_US_UNIT_ZONE.test(zone);
  if (region !== null && !US_UNIT_REGIONS.has(region)) return "metric";
  if (region !== null) return zoneUs || NEUTRAL_ZONE.test(zone) ? "us" : "metric";
  return zoneUs ? "us" : "metric";
}
