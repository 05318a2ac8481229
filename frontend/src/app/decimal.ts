/**
 * What a number box's text means as a number, for readers who write a decimal comma: "82,5" is
 * 82.5 (a type=number box in an English browser turned it into 825). A comma is a thousands
 * separator only where it plainly is one: beside a decimal point ("1,200.5") or before groups of
 * exactly three digits with no leading 0 ("1,200", "12,000"). Every other comma is the decimal
 * point ("82,5", "0,125", "1,25"). Returns the text with a "." decimal point, for Number().
 */
export function decimalText(text: string): string {
  const t = text.trim();
  if (!t.includes(",")) return t;
  if (t.includes(".") || /^-?[1-9]\d{0,2}(,\d{3})+$/.test(t)) return t.replace(/,/g, "");
  return t.replace(",", ".");
}

/**
 * The text a number box shows: what she typed, while it still means the value held (so "82,5"
 * stays "82,5" on screen), else the value held (it was set from outside: a saved entry, a reset).
 */
export function shownText(typed: string | null, value: string, reading: NumberReading = {}): string {
  return typed !== null && numberText(typed, reading) === value ? typed : value;
}

/**
 * What a number box accepts beside the bare number: the unit it shows (a label reads "600mg",
 * a workout "30 min"), and, where an amount is asked, a simple fraction ("1/2", "½", "1 1/2").
 * `unit` is the unit the box shows; only its first word counts ("mg of calcium" is mg).
 */
export interface NumberReading {
  unit?: string | undefined;
  fractions?: boolean | undefined;
}

/** The ways of writing each unit a number box shows (lower case; "mg" also as "milligrams"). */
const UNIT_WORDS: Record<string, readonly string[]> = {
  mg: ["mg", "mgs", "milligram", "milligrams"],
  iu: ["iu", "i.u.", "ius", "unit", "units"],
  mcg: ["mcg", "µg", "μg", "ug", "microgram", "micrograms"],
  g: ["g", "gm", "gms", "gr", "gram", "grams"],
  oz: ["oz", "ounce", "ounces"],
  lb: ["lb", "lbs", "pound", "pounds"],
  kg: ["kg", "kgs", "kilo", "kilos", "kilogram", "kilograms"],
  cm: ["cm", "cms"],
  ft: ["ft", "foot", "feet"],
  in: ["in", "inch", "inches"],
  minutes: ["m", "min", "mins", "minute", "minutes"],
};

/** Fraction characters a phone keyboard offers. */
const VULGAR: Record<string, number> = { "½": 1 / 2, "¼": 1 / 4, "¾": 3 / 4, "⅓": 1 / 3, "⅔": 2 / 3, "⅛": 1 / 8 };

/** A fraction's value as text with a "." point, to three places (½ oz is "0.5", ⅓ is "0.333"). */
function fractionText(value: number): string {
  return String(Math.round(value * 1000) / 1000);
}

/** `text` without the box's own unit at its end ("600mg", "600 mg.", "20 mins"), trimmed. */
function withoutUnit(text: string, unit: string | undefined): string {
  const head = (unit ?? "").trim().split(/\s/)[0]?.toLowerCase() ?? "";
  const words = UNIT_WORDS[head] ?? (head ? [head] : []);
  const lower = text.toLowerCase();
  // Longest first, so "mins" is stripped whole and not as "s" left after "min".
  for (const w of [...words].sort((a, b) => b.length - a.length)) {
    for (const end of [w, `${w}.`]) {
      if (lower.endsWith(end)) {
        const rest = text.slice(0, text.length - end.length);
        // "600mg" and "600 mg", never a unit glued to a word ("summing").
        if (/[\d½¼¾⅓⅔⅛.,]\s*$/.test(rest)) return rest.trim();
      }
    }
  }
  return text;
}

/**
 * The number a box's text means, as text with a "." point (for Number()), or null when it
 * cannot be read as one: "600mg" in a mg box is "600", "1 1/2" is "1.5", "82,5" is "82.5",
 * while "about 20", "600 IU" in a mg box, or "1/0" are null. Empty text is "".
 */
export function readNumber(text: string, reading: NumberReading = {}): string | null {
  const t = withoutUnit(text.trim(), reading.unit).replace(/\s+/g, " ");
  if (t === "") return text.trim() === "" ? "" : null;
  if (reading.fractions) {
    const vulgar = /^(\d+)? ?([½¼¾⅓⅔⅛])$/.exec(t);
    if (vulgar) return fractionText(Number(vulgar[1] ?? 0) + (VULGAR[vulgar[2] ?? ""] ?? 0));
    const slash = /^(?:(\d+) )?(\d+) ?\/ ?(\d+)$/.exec(t);
    if (slash) {
      const den = Number(slash[3]);
      return den > 0 ? fractionText(Number(slash[1] ?? 0) + Number(slash[2]) / den) : null;
    }
  }
  const d = decimalText(t);
  return /^-?(\d+\.?\d*|\.\d+)$/.test(d) ? d : null;
}

/** What a box passes on: the number read, else (unreadable) her text as decimalText gives it, so the form refuses it. */
export function numberText(text: string, reading: NumberReading = {}): string {
  return readNumber(text, reading) ?? decimalText(text);
}

/** The words under a box whose text is not a number: what to type instead. */
export function numberOnlyWords(example: string): string {
  return `Type the number only, for example ${example}.`;
}
