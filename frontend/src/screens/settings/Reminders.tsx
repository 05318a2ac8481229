/**
 * Settings → Reminders: notifications on this device, the reminders the server keeps (each
 * medicine time is one), and the secret calendar link, the fallback for phones without web
 * push (docs/reminders.md). Everything here needs the server, so it says so when offline.
 */
import { useEffect, useState } from "preact/hooks";
import { api } from "../../api/client";
import type { components } from "../../api/schema";
import { Toggle } from "../../app/forms";
import { useLive, useOnline } from "../../app/hooks";
import { byRegimenOrder, regimenDisplayName } from "../../app/regimenName";
import { runtime } from "../../app/runtime";
import type { StoredRecord } from "../../storage/store";
import { fmtDate } from "../../app/zone";
import { feedWhenWords, nextFeedName } from "./calendarFeeds";
import { BLOCKED_TEXT, CALENDAR_HINT, UNBLOCK_APP_HINT, enablePush, pushState, type PushState } from "../../reminders/push";

type ReminderView = components["schemas"]["ReminderView"];
type Feed = components["schemas"]["CalendarFeedRead"];

const DAY_NAMES = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

export function RemindersSettings() {
  const online = useOnline();
  return (
    <>
      {!online ? <p class="warn" role="status">You are offline. Connect to the internet to change reminders.</p> : null}
      <Notifications />
      <Schedules online={online} />
      <CalendarFeed online={online} />
    </>
  );
}

/** On this page the calendar link is just below: "go to Settings → Reminders" would send her where she is. */
const CALENDAR_HERE = "You can still be reminded through your phone's calendar: see Calendar link below.";

/** A message from reminders/push.ts, worded for this page. */
function onThisPage(message: string): string {
  return message.replace(CALENDAR_HINT, CALENDAR_HERE);
}

const STATE_TEXT: Record<PushState, string> = {
  on: "Notifications are on for this device.",
  off: "Notifications are allowed but this device is not signed up for them yet.",
  prompt: "Notifications are not turned on yet.",
  denied: `${BLOCKED_TEXT} ${UNBLOCK_APP_HINT} ${CALENDAR_HERE}`,
  unsupported: `This browser can't show Fortify's notifications (on iPhone or iPad, add Fortify to the home screen first, iOS 16.4 or later). ${CALENDAR_HERE}`,
};

function Notifications() {
  const [state, setState] = useState<PushState | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    void pushState().then(setState);
  }, []);
  const enable = async () => {
    setBusy(true);
    const result = await enablePush();
    setBusy(false);
    setState(result.state);
    setMessage(onThisPage(result.message));
  };
  // Said once: a refusal from the browser is the "blocked" state's own text, so after "Turn on"
  // is refused it is said in the status line alone, not again above it (the newcomer walk saw
  // both, almost word for word); a message that only repeats the state is said once too.
  const said = message && state !== "on" ? (state === "denied" ? STATE_TEXT.denied : message) : null;
  const stateShown = state !== null && !(said !== null && (state === "denied" || said === STATE_TEXT[state]));
  return (
    <section class="card" aria-labelledby="notif-h">
      <h2 id="notif-h">Notifications</h2>
      {stateShown ? <p data-testid="push-state">{STATE_TEXT[state]}</p> : null}
      {state === "prompt" || state === "off" ? (
        <button type="button" class="btn btn-primary btn-block" disabled={busy} onClick={() => void enable()}>
          Turn on notifications
        </button>
      ) : null}
      <p role="status" class={said ? "warn" : "hint"} data-testid="push-message">{said ?? ""}</p>
      {state === "denied" || state === "unsupported" || (message && state !== "on") ? (
        <a class="btn btn-block" href="#calendar" data-testid="use-calendar">Use a calendar link instead</a>
      ) : null}
      <p class="hint">While Fortify is open, due reminders also show at the top of the screen.</p>
    </section>
  );
}

function describe(r: ReminderView): string {
  const times = r.effective_times.length > 0 ? r.effective_times.join(", ") : "no times";
  const days = r.days_of_week && r.days_of_week.length < 7 ? ` on ${r.days_of_week.map((d) => DAY_NAMES[d] ?? "?").join(", ")}` : " every day";
  return `${times}${days}`;
}

/**
 * Her reminders in the order her medicines are listed everywhere (app/regimenName.ts
 * byRegimenOrder): a medicine's reminder by its item, then those of no item (a lab, her own) by time.
 */
function inRegimenOrder(list: readonly ReminderView[], regimen: readonly StoredRecord[]): ReminderView[] {
  const items = new Map(regimen.map((i) => [i.id, i]));
  const itemOf = (r: ReminderView) => (r.regimen_item_id ? items.get(r.regimen_item_id) : undefined);
  const firstTime = (r: ReminderView) => [...r.effective_times].sort()[0] ?? "99:99";
  return [...list].sort((a, b) => {
    const ia = itemOf(a);
    const ib = itemOf(b);
    if (ia && ib) return byRegimenOrder(ia, ib);
    if (ia || ib) return ia ? -1 : 1;
    return firstTime(a).localeCompare(firstTime(b)) || a.title.localeCompare(b.title);
  });
}

function Schedules(props: { online: boolean }) {
  const [list, setList] = useState<ReminderView[] | null>(null);
  // A medicine's reminder says its strength as the medicine list does ("Anastrozole 1 mg").
  const rt = runtime();
  const regimen = useLive(async () => (rt ? rt.store.list("regimen") : []), [rt]) ?? [];
  const title = (r: ReminderView) => {
    const item = r.regimen_item_id ? regimen.find((i) => i.id === r.regimen_item_id) : undefined;
    return item ? regimenDisplayName({ ...item.fields, name: r.title }) : r.title;
  };
  const [error, setError] = useState<string | null>(null);
  const load = () => {
    api
      .GET("/api/v1/reminders")
      .then((r) => setList(r.data ?? null))
      .catch(() => setList(null));
  };
  useEffect(() => {
    if (props.online) load();
  }, [props.online]);
  const toggle = async (r: ReminderView) => {
    setError(null);
    try {
      const res = await api.PATCH("/api/v1/reminders/{reminder_id}", {
        params: { path: { reminder_id: r.id } },
        body: { enabled: !r.enabled },
      });
      if (!res.data) throw new Error("refused");
      load();
    } catch {
      setError("That did not work. Check the connection and try again.");
    }
  };
  return (
    <section class="card" aria-labelledby="sched-h">
      <h2 id="sched-h">Reminders</h2>
      <p class="hint">Each time of a medicine or supplement reminds you.</p>
      {/* A button-sized link, not one inside the sentence: every control is at least 44 px. */}
      <a class="btn btn-block" href="/more/regimen">Change the times in My medicines and supplements</a>
      {list && list.length === 0 ? <p class="empty">No reminders yet: add a time to a medicine.</p> : null}
      <ul class="list" data-testid="reminder-list">
        {inRegimenOrder(list ?? [], regimen).map((r) => (
          <li key={r.id}>
            <Toggle label={title(r)} name={`reminder-${r.id}`} checked={r.enabled} hint={r.enabled ? describe(r) : "Off"} onChange={() => void toggle(r)} />
          </li>
        ))}
      </ul>
      <p role="status" class="hint">{error ?? ""}</p>
    </section>
  );
}

function CalendarFeed(props: { online: boolean }) {
  const [feeds, setFeeds] = useState<Feed[] | null>(null);
  // The link just made, and the links she had before it (offered for revoking: they stay live).
  const [created, setCreated] = useState<{ id: string; url: string; name: string; older: Feed[] } | null>(null);
  const [status, setStatus] = useState("");
  const load = () => {
    api
      .GET("/api/v1/calendar-feeds")
      .then((r) => setFeeds(r.data ?? null))
      .catch(() => setFeeds(null));
  };
  useEffect(() => {
    if (props.online) load();
  }, [props.online]);
  const create = async () => {
    setStatus("");
    try {
      const older = feeds ?? [];
      const name = nextFeedName(older.map((f) => f.name));
      const r = await api.POST("/api/v1/calendar-feeds", { body: { name } });
      if (!r.data) throw new Error("refused");
      setCreated({ id: r.data.id, url: r.data.url, name, older });
      setStatus("Calendar link made. Copy it now: it is shown only once.");
      load();
    } catch {
      setStatus("The link could not be made. Check the connection and try again.");
    }
  };
  const copy = async (url: string) => {
    try {
      await navigator.clipboard.writeText(url);
      setStatus("Link copied.");
    } catch {
      setStatus("Copying is not allowed here: select the link and copy it.");
    }
  };
  const revoke = async (feed: Feed) => {
    try {
      await api.DELETE("/api/v1/calendar-feeds/{feed_id}", { params: { path: { feed_id: feed.id } } });
      if (created?.id === feed.id) setCreated(null);
      else if (created) setCreated({ ...created, older: created.older.filter((o) => o.id !== feed.id) });
      setStatus(`“${feed.name}” revoked: calendars using it stop updating.`);
      load();
    } catch {
      setStatus("The link could not be revoked. Check the connection and try again.");
    }
  };
  const webcal = created ? created.url.replace(/^https?:/, "webcal:") : null;
  return (
    <section class="card" id="calendar" aria-labelledby="cal-h">
      <h2 id="cal-h">Calendar link</h2>
      <p class="hint">
        A secret link your phone's calendar can subscribe to: it reminds you even where notifications don't work. Anyone with the link can see your reminder times, so share it with no one; revoke it if it leaks.
      </p>
      {created ? (
        <div class="card" data-testid="feed-created">
          <p class="feed-url" id="feed-url">{created.url}</p>
          <div class="actions">
            <button type="button" class="btn btn-primary" onClick={() => void copy(created.url)} aria-describedby="feed-url">Copy link</button>
            {webcal ? <a class="btn" href={webcal}>Add to calendar</a> : null}
          </div>
          {created.older.length > 0 ? (
            <div data-testid="feed-older">
              <p>
                This is “{created.name}”. Your older {created.older.length === 1 ? "link still works" : "links still work"}: once your calendar uses the new one, revoke the old, so no copy of it stays live.
              </p>
              <div class="actions">
                {created.older.map((o) => (
                  <button key={o.id} type="button" class="btn" disabled={!props.online} onClick={() => void revoke(o)}>
                    Revoke “{o.name}”
                  </button>
                ))}
              </div>
            </div>
          ) : null}
        </div>
      ) : null}
      <button type="button" class="btn btn-block" disabled={!props.online} onClick={() => void create()}>
        Make a new calendar link
      </button>
      <ul class="list" data-testid="feed-list">
        {(feeds ?? []).map((f) => (
          <li key={f.id} class="list-row">
            <span>
              {f.name}
              <br />
              <span class="muted">{feedWhenWords(f, undefined, feeds ?? [])}{created?.id === f.id ? " · the new one" : ""}</span>
            </span>
            <button type="button" class="btn btn-quiet" disabled={!props.online} aria-label={`Revoke ${f.name}, made ${fmtDate(f.created_at)}`} onClick={() => void revoke(f)}>
              Revoke
            </button>
          </li>
        ))}
      </ul>
      <p role="status" class="hint">{status}</p>
    </section>
  );
}
