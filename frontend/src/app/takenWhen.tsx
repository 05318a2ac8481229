/**
 * "When did you take it?": asked when a dose is marked taken more than an hour after its time
 * (app/doseSlots.ts takenAsk), with two big choices, its time ("At 08:00") and "Just now".
 * The dose then carries when she took it, so the advice built on that time is about her day.
 * Its mirror, more than an hour before the time (`early`: her clock now): "This dose is due at
 * 20:00. Did you take it now?", [Taken now (01:34)] [Not yet].
 */
import { useEffect, useRef } from "preact/hooks";

export function TakenWhen(props: { time: string; onPick: (choice: "due" | "now" | "not") => void; other?: string; early?: string }) {
  const box = useRef<HTMLDivElement>(null);
  // The question takes the focus: a screen reader reads it, the keyboard is on its choices.
  useEffect(() => box.current?.focus(), []);
  const early = props.early;
  return (
    <div class="card" role="group" aria-labelledby="taken-when-q" tabIndex={-1} ref={box} data-testid={early ? "taken-early" : "taken-when"}>
      <p id="taken-when-q">
        <strong>{early ? `This dose is due at ${props.time}. Did you take it now?` : "When did you take it?"}</strong>
      </p>
      <div class="actions">
        <button type="button" class="btn btn-primary" onClick={() => props.onPick(early ? "now" : "due")}>
          {early ? `Taken now (${early})` : `At ${props.time}`}
        </button>
        <button type="button" class="btn" onClick={() => props.onPick(early ? "not" : "now")}>
          {early ? "Not yet" : "Just now"}
        </button>
        {props.other && !early ? (
          <a class="btn btn-quiet" href={props.other}>
            Another time
          </a>
        ) : null}
      </div>
    </div>
  );
}
