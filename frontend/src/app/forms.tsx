/** Labelled, large form controls. Every control has a visible label; targets are ≥ 44 px. */
import type { ComponentChildren } from "preact";
import { useState } from "preact/hooks";
import { numberOnlyWords, numberText, readNumber, shownText } from "./decimal";

let nextId = 0;
const fid = (prefix: string) => `${prefix}-${++nextId}`;

export function NumberField(props: {
  label: string;
  value: string;
  onInput: (v: string) => void;
  unit?: string;
  name?: string;
  required?: boolean;
  hint?: string;
  /** Where an amount is asked: "1/2", "½" and "1 1/2" are read as numbers too. */
  fractions?: boolean;
  /** The number shown in "Type the number only, for example …" (a usual value of this box). */
  example?: string;
  /** Her text is read by the form itself (a weight in stones): no "number only" words under the box. */
  read?: boolean;
}) {
  const id = props.name ? `f-${props.name}` : fid("num");
  return (
    <div class="field">
      <label for={id}>
        {props.label}
        {props.unit ? <span class="unit"> ({props.unit})</span> : null}
      </label>
      <DecimalInput id={id} name={props.name} value={props.value} onInput={props.onInput} required={props.required} describedBy={props.hint ? `${id}-hint` : undefined} unit={props.unit} fractions={props.fractions} example={props.example} read={props.read} />
      {props.hint ? <p class="hint" id={`${id}-hint`}>{props.hint}</p> : null}
    </div>
  );
}

/**
 * Every number box of the app: a text box with the decimal keypad, so "82,5" (a decimal comma)
 * means 82.5 (app/decimal.ts); `onInput` gets the number's text with a "." point, while the box
 * keeps showing what she typed. The box's own unit may follow the number ("600mg", "30 min"),
 * and where an amount is asked (`fractions`) a simple fraction ("1/2", "½"). Text that is no
 * number is passed on as typed (the form refuses it) and, once she leaves the box, the box says
 * under itself what to type instead: the refusal is by the field she got wrong, not by another.
 * A text box has no min/max/step: the forms check amounts themselves and say what is wrong in
 * words (app/limits.ts).
 */
export function DecimalInput(props: {
  id: string;
  value: string;
  onInput: (v: string) => void;
  name?: string | undefined;
  required?: boolean | undefined;
  describedBy?: string | undefined;
  unit?: string | undefined;
  fractions?: boolean | undefined;
  example?: string | undefined;
  read?: boolean | undefined;
}) {
  const [typed, setTyped] = useState<string | null>(null);
  const [left, setLeft] = useState(false);
  const reading = { unit: props.unit, fractions: props.fractions };
  const unreadable = !props.read && left && typed !== null && shownText(typed, props.value, reading) === typed && readNumber(typed, reading) === null;
  const errId = `${props.id}-num-err`;
  const described = [props.describedBy ?? "", unreadable ? errId : ""].filter(Boolean).join(" ");
  return (
    <>
      <input
        id={props.id}
        name={props.name}
        type="text"
        inputMode="decimal"
        autoComplete="off"
        value={shownText(typed, props.value, reading)}
        required={props.required}
        aria-invalid={unreadable ? true : undefined}
        aria-describedby={described || undefined}
        onBlur={() => {
          // The words wait for the tap that moved her on to land: shown at once, they pushed the
          // Save button down between the press and the release, and the tap missed it.
          let done = false;
          const show = () => {
            if (done) return;
            done = true;
            document.removeEventListener("click", show);
            clearTimeout(timer);
            setLeft(true);
          };
          const timer = setTimeout(show, 600);
          document.addEventListener("click", show);
        }}
        // Enter saves without leaving the box: the words under it show then too.
        onKeyDown={(e) => e.key === "Enter" && setLeft(true)}
        onInput={(e) => {
          const text = (e.target as HTMLInputElement).value;
          setTyped(text);
          // A number again: the words go at once; new words wait until she leaves the box.
          if (readNumber(text, reading) !== null) setLeft(false);
          props.onInput(numberText(text, reading));
        }}
      />
      {unreadable ? (
        <p class="error" id={errId} role="alert" data-testid="number-error">
          {numberOnlyWords(props.example ?? exampleFor(props.unit))}
        </p>
      ) : null}
    </>
  );
}

/** A usual number for a box of this unit, for "for example …". */
function exampleFor(unit: string | undefined): string {
  const head = (unit ?? "").trim().split(/\s/)[0] ?? "";
  return ({ mg: "600", IU: "1000", mcg: "100", minutes: "30", g: "100", oz: "4", kg: "70", lb: "150", cm: "165" } as Record<string, string>)[head] ?? "2";
}

export function TextField(props: {
  label: string;
  value: string;
  onInput: (v: string) => void;
  type?: string;
  name?: string;
  autocomplete?: string;
  required?: boolean;
  minLength?: number;
}) {
  const id = props.name ? `f-${props.name}` : fid("txt");
  return (
    <div class="field">
      <label for={id}>{props.label}</label>
      <input
        id={id}
        name={props.name}
        type={props.type ?? "text"}
        value={props.value}
        autocomplete={props.autocomplete}
        required={props.required}
        minLength={props.minLength}
        onInput={(e) => props.onInput((e.target as HTMLInputElement).value)}
      />
    </div>
  );
}

/**
 * A password, with a "Show password" button (44 px, `aria-pressed`): typed blind, a long password
 * fails often for a shaky hand. `error` (the app's own words, e.g. too short) shows under it.
 */
export function PasswordField(props: {
  label: string;
  value: string;
  onInput: (v: string) => void;
  name: string;
  autocomplete: string;
  error?: string | null;
  required?: boolean;
}) {
  const [shown, setShown] = useState(false);
  const id = `f-${props.name}`;
  return (
    <div class="field">
      <label for={id}>{props.label}</label>
      <div class="password-row">
        <input
          id={id}
          name={props.name}
          type={shown ? "text" : "password"}
          value={props.value}
          autocomplete={props.autocomplete}
          autocapitalize="off"
          spellcheck={false}
          required={props.required}
          aria-invalid={props.error ? true : undefined}
          aria-describedby={props.error ? `${id}-err` : undefined}
          onInput={(e) => props.onInput((e.target as HTMLInputElement).value)}
        />
        <button type="button" class="btn btn-small show-password" aria-pressed={shown} aria-controls={id} onClick={() => setShown(!shown)}>
          Show password
        </button>
      </div>
      {props.error ? <p class="error" id={`${id}-err`} role="alert" data-testid="password-error">{props.error}</p> : null}
    </div>
  );
}

export function SelectField(props: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  options: readonly (readonly [string, string])[];
  name?: string;
}) {
  const id = props.name ? `f-${props.name}` : fid("sel");
  return (
    <div class="field">
      <label for={id}>{props.label}</label>
      <select id={id} name={props.name} value={props.value} onChange={(e) => props.onChange((e.target as HTMLSelectElement).value)}>
        {props.options.map(([v, l]) => (
          <option key={v} value={v}>
            {l}
          </option>
        ))}
      </select>
    </div>
  );
}

/**
 * A row of big toggle buttons, one choice (radio group semantics). `error` (an answer is needed)
 * shows under the buttons themselves, with `id` naming the group so a form can bring her there.
 */
export function Choice<T extends string>(props: {
  label: string;
  value: T | null;
  options: readonly (readonly [T, string])[];
  onChange: (v: T) => void;
  id?: string;
  error?: string | null;
}) {
  const errId = props.id ? `${props.id}-err` : undefined;
  return (
    <fieldset class="field choice" id={props.id}>
      <legend>{props.label}</legend>
      <div class="choice-row" role="radiogroup" aria-invalid={props.error ? true : undefined} aria-describedby={props.error ? errId : undefined}>
        {props.options.map(([v, l]) => (
          <button
            key={v}
            type="button"
            role="radio"
            aria-checked={props.value === v}
            class={props.value === v ? "pill pill-on" : "pill"}
            onClick={() => props.onChange(v)}
          >
            {l}
          </button>
        ))}
      </div>
      {props.error ? <p class="error" id={errId} role="alert">{props.error}</p> : null}
    </fieldset>
  );
}

/** Several choices (checkbox semantics). */
export function MultiChoice(props: {
  label: string;
  values: readonly string[];
  options: readonly (readonly [string, string])[];
  onChange: (v: string[]) => void;
}) {
  const toggle = (v: string) =>
    props.onChange(props.values.includes(v) ? props.values.filter((x) => x !== v) : [...props.values, v]);
  return (
    <fieldset class="field choice">
      <legend>{props.label}</legend>
      <div class="choice-row">
        {props.options.map(([v, l]) => (
          <button
            key={v}
            type="button"
            role="checkbox"
            aria-checked={props.values.includes(v)}
            class={props.values.includes(v) ? "pill pill-on" : "pill"}
            onClick={() => toggle(v)}
          >
            {l}
          </button>
        ))}
      </div>
    </fieldset>
  );
}

export function Toggle(props: { label: string; checked: boolean; onChange: (v: boolean) => void; hint?: string; name?: string }) {
  const id = props.name ? `f-${props.name}` : fid("chk");
  return (
    <div class="field toggle">
      <input id={id} type="checkbox" checked={props.checked} onChange={(e) => props.onChange((e.target as HTMLInputElement).checked)} />
      <label for={id}>
        {props.label}
        {props.hint ? <span class="hint"> {props.hint}</span> : null}
      </label>
    </div>
  );
}

export function Actions(props: { children: ComponentChildren }) {
  return <div class="actions">{props.children}</div>;
}

/** A date and time; `error` (why it cannot be saved) shows under it and marks it invalid. */
/** The one "When" field of a form: "Change it" on a time question puts the focus here. */
export const WHEN_FIELD_ID = "f-when";

export function WhenField(props: { label: string; value: string; onInput: (v: string) => void; error?: string | null }) {
  const id = WHEN_FIELD_ID;
  return (
    <div class="field">
      <label for={id}>{props.label}</label>
      <input
        id={id}
        type="datetime-local"
        value={props.value}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={props.error ? `${id}-err` : undefined}
        onInput={(e) => props.onInput((e.target as HTMLInputElement).value)}
      />
      {props.error ? <p class="error" id={`${id}-err`} role="alert" data-testid="when-error">{props.error}</p> : null}
    </div>
  );
}

/** A date alone (a lab test copied from a letter); `error` shows under it and marks it invalid. */
export function DateField(props: { label: string; value: string; onInput: (v: string) => void; error?: string | null; name?: string; hint?: string }) {
  const id = props.name ? `f-${props.name}` : fid("date");
  const described = [props.hint ? `${id}-hint` : "", props.error ? `${id}-err` : ""].filter(Boolean).join(" ");
  return (
    <div class="field">
      <label for={id}>{props.label}</label>
      <input
        id={id}
        name={props.name}
        type="date"
        value={props.value}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={described || undefined}
        onInput={(e) => props.onInput((e.target as HTMLInputElement).value)}
      />
      {props.hint ? <p class="hint" id={`${id}-hint`}>{props.hint}</p> : null}
      {props.error ? <p class="error" id={`${id}-err`} role="alert" data-testid="when-error">{props.error}</p> : null}
    </div>
  );
}

/** `value` when it is one of `options` (a control's values, typed by the API), else undefined. */
export function oneOf<T extends string>(options: readonly T[], value: unknown): T | undefined {
  return options.find((o) => o === value);
}

/** `value` when it is a key of `table` (a table keyed by the API's names), else undefined. */
export function keyIn<T extends object>(table: T, value: unknown): Extract<keyof T, string> | undefined {
  for (const k in table) if (k === value) return k;
  return undefined;
}
