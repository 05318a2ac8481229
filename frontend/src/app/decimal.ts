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
export function shownText(typed: string | null, value: string): string {
  return typed !== null && decimalText(typed) === value ? typed : value;
}
