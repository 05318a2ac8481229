/**
 * A weight typed in stones and pounds ("10st 7lb", "10 st 7", "10 stone"), as British people
 * know theirs. Read by the weight form only, which shows the conversion to her unit before saving.
 */
import { lbToKg } from "./units";

export interface Stones {
  st: number;
  lb: number;
}

/** The stones and pounds in `text`, or null when it is not a weight in stones. */
export function readStones(text: string): Stones | null {
  const m = /^(\d+)\s*(?:st|stones?)\.?\s*(?:(\d+(?:[.,]\d+)?)\s*(?:lbs?|pounds?)?\.?)?$/i.exec(text.trim());
  return m ? { st: Number(m[1]), lb: Number((m[2] ?? "0").replace(",", ".")) } : null;
}

/** The weight in her unit (kg to 0.1, or lb) and the line that says it: "10 st 7 lb = 66.7 kg". */
export function stonesIn(s: Stones, us: boolean): { value: number; words: string } {
  const lb = s.st * 14 + s.lb;
  const value = us ? lb : Math.round(lbToKg(lb) * 10) / 10;
  return { value, words: `${s.st} st ${s.lb} lb = ${value} ${us ? "lb" : "kg"}` };
}
