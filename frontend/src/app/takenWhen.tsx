/**
 * "When did you take it?": asked when a dose is marked taken more than an hour after its time
 * (app/doseSlots.ts askWhenTaken), with two big choices, its time ("At 08:00") and "Just now".
 * The dose then carries when she took it, so the advice built on that time is about her day.
 */
import { useEffect, useRef } from "preact/hooks";

export function TakenWhen(props: { time: string; onPick: (choice: "due" | "now") => void; other?: string }) {
  const box = useRef<HTMLDivElement>(null);
  // The question takes the focus: a screen reader reads it, the keyboard is on its choices.
  useEffect(() => box.current?.focus(), []);
  return (
    <div class="card" role="group" aria-labelledby="taken-when-q" tabIndex={-1} ref={box} data-testid="taken-when">
      <p id="taken-when-q">
        <strong>When did you take it?</strong>
      </p>
      <div class="actions">
        <button type="button" class="btn btn-primary" onClick={() => props.onPick("due")}>
          At {props.time}
        </button>
        <button type="button" class="btn" onClick={() => props.onPick("now")}>
          Just now
        </button>
        {props.other ? (
          <a class="btn btn-quiet" href={props.other}>
            Another time
          </a>
        ) : null}
      </div>
    </div>
  );
}
