/**
 * The form's answer to a number outside its range (app/limits.ts): a refusal in plain words next
 * to the Save button, or the question "Are you sure?" with "Yes, save it" and "Change it".
 * Saving waits for her answer; nothing is saved, changed or dropped without it. While it asks,
 * those two are the only choices: the form hides its own Save (`asking`), which did nothing
 * when tapped again, and "Change it" puts her back in the field the question is about.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import { worstOf, type AmountCheck } from "./limits";

type Prompt = { kind: "refuse"; message: string } | { kind: "ask"; message: string; proceed: () => void; field?: string | undefined; yes?: string | undefined; no?: string | undefined };

export function useAskFirst() {
  const [prompt, setPrompt] = useState<Prompt | null>(null);
  return {
    /**
     * Runs `save` now when every number is usual; otherwise refuses or asks first. `field`: the
     * id of the input the question is about, focused again on "Change it".
     */
    guard(checks: readonly AmountCheck[], save: () => void, field?: string): void {
      const worst = worstOf(checks);
      if (worst.kind === "ok") {
        setPrompt(null);
        save();
      } else if (worst.kind === "refuse") {
        // Words in the box that are no number: the box says what to type under itself
        // (forms.tsx); said here too, by Save, the words were doubled under the next field.
        const box = field ? document.getElementById(field) : null;
        setPrompt(box instanceof HTMLInputElement && box.value.trim() && worst.message.startsWith("Type the number") ? null : { kind: "refuse", message: worst.message });
      } else {
        setPrompt({ kind: "ask", message: worst.message, proceed: save, field: worst.field ?? field, yes: worst.yes, no: worst.no });
      }
    },
    /** A refusal of the form's own (an empty field, a time not allowed). */
    refuse(message: string): void {
      setPrompt({ kind: "refuse", message });
    },
    clear: () => setPrompt(null),
    /** Whether the question is showing: the form's own Save is hidden meanwhile. */
    asking: prompt?.kind === "ask",
    view: <AskFirst prompt={prompt} onClose={() => setPrompt(null)} />,
  };
}

function AskFirst(props: { prompt: Prompt | null; onClose: () => void }) {
  const box = useRef<HTMLDivElement>(null);
  const p = props.prompt;
  // The question takes the focus, so a screen reader reads it and the keyboard is on its buttons.
  useEffect(() => {
    if (p?.kind === "ask") box.current?.focus();
  }, [p]);
  if (!p) return null;
  if (p.kind === "refuse") {
    return (
      <p class="error" role="alert" data-testid="amount-refused">
        {p.message}
      </p>
    );
  }
  return (
    <div class="card" role="alertdialog" aria-labelledby="ask-first-q" tabIndex={-1} ref={box} data-testid="amount-ask">
      <p id="ask-first-q">
        <strong>{p.message}</strong>
      </p>
      <div class="actions">
        <button
          type="button"
          class="btn btn-primary"
          onClick={() => {
            props.onClose();
            p.proceed();
          }}
        >
          {p.yes ?? "Yes, save it"}
        </button>
        <button
          type="button"
          class="btn"
          onClick={() => {
            props.onClose();
            // Back in the field the question is about, its number selected to type over.
            const input = p.field ? document.getElementById(p.field) : null;
            if (input instanceof HTMLInputElement) {
              input.focus();
              input.select();
            } else if (input instanceof HTMLSelectElement) input.focus();
          }}
        >
          {p.no ?? "Change it"}
        </button>
      </div>
    </div>
  );
}
