/**
 * The in-app reminder banner (issue #7, "in-app fallback"): on every screen while something is
 * due, with the notification's own buttons. A polite live region that always exists, so screen
 * readers announce a reminder when it appears.
 */
import { useState } from "preact/hooks";
import { showToast } from "../app/toast";
import { wallTime } from "../app/zone";
import { SNOOZE_MINUTES } from "./actions";
import { snoozeDue, snoozeWords, takeDue, useDueReminders } from "./due";
import { takenLabel, type ReminderOccurrence } from "./payload";

export function ReminderBanner() {
  const due = useDueReminders();
  const [busy, setBusy] = useState(false);
  const act = async (fn: (o: ReminderOccurrence[]) => Promise<boolean>, list: ReminderOccurrence[], offlineText: string) => {
    setBusy(true);
    try {
      if (await fn(list)) showToast(offlineText);
    } finally {
      setBusy(false);
    }
  };
  // A snooze always says when the reminder comes back (it used to vanish without a word).
  const snoozeOne = async (o: ReminderOccurrence) => {
    setBusy(true);
    try {
      const done = await snoozeDue([o]);
      if (done) showToast(snoozeWords(wallTime(new Date(done.until).toISOString()).slice(11, 16), SNOOZE_MINUTES, done.queued));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="reminder-region" role="status" aria-live="polite" data-testid="reminder-banner">
      {due.length > 0 ? (
        <section class="reminder-banner" aria-labelledby="reminder-banner-h">
          <h2 id="reminder-banner-h" class="reminder-banner-title">
            {due.length === 1 ? "Reminder" : `${due.length} reminders`}
          </h2>
          <ul class="reminder-list">
            {due.map((o) => (
              <li key={o.id} class="reminder-item">
                <span>
                  <strong>{o.title}</strong> <span class="muted">due {o.local_time}</span>
                </span>
                <span class="reminder-actions">
                  <button type="button" class="btn btn-primary btn-small" disabled={busy} aria-label={`${takenLabel(o)}: ${o.title} at ${o.local_time}`} onClick={() => void act(takeDue, [o], "Saved on this device; it is sent when you are back online.")}>
                    {takenLabel(o)}
                  </button>
                  <button type="button" class="btn btn-small" disabled={busy} aria-label={`Snooze ${SNOOZE_MINUTES} min: ${o.title} at ${o.local_time}`} onClick={() => void snoozeOne(o)}>
                    Snooze {SNOOZE_MINUTES} min
                  </button>
                </span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}
