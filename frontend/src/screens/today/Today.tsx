/**
 * Today: the rings, the next best action, flags in plain words, one-tap "Taken" for each
 * scheduled dose, quick add, each component's progress, and today's entries.
 *
 * The scores are worked out on this phone from IndexedDB (the TypeScript port of the engine)
 * the moment anything is saved; once everything is synced, the server's report for the day
 * replaces the local one.
 */
import { jointPainNote } from "../../app/jointPain";
import type { JSX } from "preact";
import { useEffect, useMemo, useState } from "preact/hooks";
import { addDays, localDate } from "../../scoring";
import { dayReports, unscoredWhy } from "../../app/dayReport";
import { byEntryTime, dayOf, loadAll, localReport, nowInstant, timeZone, today, WHEN, type LocalData } from "../../app/day";
import { deleteEntry, saveEntry } from "../../app/entries";
import { useLive, useOnline, useSyncStatus, useSyncValue } from "../../app/hooks";
import { sourceWords } from "./source";
import { runtime } from "../../app/runtime";
import { entryTime, fmtTime, KIND_PATH, summary } from "../../app/summary";
import { currentZone, instantFromWall, wallTime } from "../../app/zone";
import { doseSlots, dueWords, notStarted, takenAsk } from "../../app/doseSlots";
import { TakenWhen } from "../../app/takenWhen";
import { Layout, Ring, StateBadge, useStates } from "../../app/ui";
import { latestVitaminDUnit, localiseText, weightsKgOf } from "../../app/units";
import type { DayReport } from "../../scoring";
import { keyOf, type StoredRecord } from "../../storage/store";
import { doseFields } from "../../reminders/dose";
import { useSnoozes } from "../../reminders/due";
import { dueOn } from "../../app/regimenSchedule";
import { InstallCard } from "../../app/install";
import type { ComponentsProps } from "./Components";
// In the first download (0.4 KB gzip, within its budget): a chunk of its own cost the precache more.
import { ownDaysNote } from "../../app/ownDays";
import { firstDayOf } from "../../app/firstDay";
import { stepAction } from "../../app/nextStep";
import { NewPatternNotice } from "../patterns/PainPattern";
import { ProfileNotices } from "./Notices";
import { amountWords, byRegimenOrder, regimenDisplayName } from "../../app/regimenName";

/**
 * The first Intl formatters of a page load ICU's locale and time-zone data: the costliest
 * single step of Today's first render on a slow phone. Made while IndexedDB is still reading,
 * in a task of their own, they stay out of that render (the formatters are cached after).
 */
function warmFormatters(): void {
  const epoch = new Date(0).toISOString();
  fmtTime(epoch, currentZone());
  localDate(epoch, currentZone());
}

export function Today() {
  const rt = runtime();
  useEffect(() => {
    const t = setTimeout(warmFormatters, 0);
    return () => clearTimeout(t);
  }, []);
  const data = useLive(async () => (rt ? loadAll(rt.store) : null), [rt]);
  if (!data) return <Layout title="Today"><p>Loading…</p></Layout>;
  return <TodayView data={data} />;
}

/**
 * The server's report for the day, once it has everything this phone has; `unscored` when the
 * server answered with no scores for the day (its report never replaces the phone's then: a
 * null score must not be drawn as 0).
 */
function useServerReport(day: string, data: LocalData): { report: DayReport | null; unscored: ReturnType<typeof unscoredWhy>; failed: boolean } {
  const synced = useSyncValue((s) => (s.phase === "idle" && s.pending === 0 ? s.lastSyncedAt : null), null);
  const pending = useSyncValue((s) => s.pending, 0);
  const [server, setServer] = useState<{ report: DayReport; at: number } | null>(null);
  // The last ask for the report got no answer (a refusal, a lost connection): said in words.
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    if (!synced) return;
    let live = true;
    dayReports
      .fetch(day)
      .then((report) => {
        if (!live) return;
        setFailed(report === null);
        if (report) setServer({ report, at: Date.now() });
      })
      .catch(() => live && setFailed(true));
    return () => {
      live = false;
    };
  }, [synced, day]);
  const lastLocal = useMemo(() => {
    let last = 0;
    for (const v of Object.values(data)) if (Array.isArray(v)) for (const r of v as StoredRecord[]) last = Math.max(last, r.touched);
    return last;
  }, [data]);
  if (!server || server.report.date !== day || pending > 0 || server.at < lastLocal) return { report: null, unscored: null, failed };
  const unscored = unscoredWhy(server.report);
  return { report: unscored ? null : server.report, unscored, failed };
}

function TodayView(props: { data: LocalData }) {
  const { data } = props;
  const zone = timeZone(data);
  const day = today(zone);
  // Worked out once per change of the data (not on every sync-status re-render).
  const local = useMemo(() => localReport(data, day), [data, day]);
  const { report: server, unscored, failed } = useServerReport(day, data);
  const report = server ?? local;
  const states = useStates();
  const regimenName = (id: string) => regimenDisplayName(data.regimen.find((r) => r.id === id)?.fields) || undefined;
  const us = data.profile?.fields?.unit_system === "us";
  const weightsKg = useMemo(() => weightsKgOf(data.measurements), [data]);
  const vitaminDUnit = useMemo(() => latestVitaminDUnit(data.labs), [data]);

  const entries = useMemo(() => entriesOn(data, day, zone), [data, day, zone]);
  // "What makes up your scores" is below the fold: drawn in a task of its own after the first
  // paint, so the first render (the part the person sees) is one short task on a slow phone.
  const [below, setBelow] = useState(false);
  useEffect(() => {
    const t = setTimeout(() => setBelow(true), 0);
    return () => clearTimeout(t);
  }, []);

  return (
    <Layout title="Today">
      <ProfileNotices profile={data.profile} />
      {report ? (
        <section aria-labelledby="scores-h" class="scores">
          <h2 id="scores-h" class="visually-hidden">Scores</h2>
          <div class="rings">
            <Ring label="Overall" value={report.overall} size={120} testid="ring-overall" />
            <div class="rings-small">
              <Ring label="Bone" value={report.bone} size={84} testid="ring-bone" />
              <Ring label="Heart" value={report.heart} size={84} testid="ring-heart" />
              <Ring label="Joint" value={report.joint} size={84} testid="ring-joint" />
            </div>
          </div>
          <ReportSource server={server !== null} unscored={unscored} failed={failed} />
          {report.next_best_action ? <NextStep data={data} step={report.next_best_action} /> : null}
          {report.flags.length > 0 ? (
            <div class="card flags">
              <h3>Worth knowing</h3>
              <ul>
                {report.flags.map((f) => (
                  <li key={f.key} data-key={f.key}>{localiseText(f.message, us ? "us" : "metric", weightsKg, vitaminDUnit)}</li>
                ))}
              </ul>
            </div>
          ) : null}
        </section>
      ) : null}

      <NewPatternNotice data={data} day={day} />
      <JointPainNote entries={entries} />

      <DosesDue data={data} day={day} zone={zone} />

      <section aria-labelledby="quick-h">
        <h2 id="quick-h">Quick add</h2>
        <div class="quick">
          <a class="btn" href="/log/meal">Meal</a>
          <a class="btn" href="/log/workout">Workout</a>
          <a class="btn" href="/log/symptom">Joint symptoms</a>
          <a class="btn" href="/log/dose">Dose</a>
          <a class="btn" href="/log/weight">Weight</a>
          <a class="btn" href="/log/lab">Lab result</a>
        </div>
      </section>

      <section aria-labelledby="entries-h">
        <h2 id="entries-h">Logged today</h2>
        {entries.length === 0 ? <p class="empty">Nothing logged yet today.</p> : null}
        <ul class="list" data-testid="today-entries">
          {entries.map((r) => (
            <li key={r.key} class="list-row">
              <div>
                {entryTime(r, zone) ? <span class="muted">{entryTime(r, zone)}</span> : null} {summary(r, regimenName, us)}
                {/* What a result means stays here, not only in the toast after saving (newcomer walk). */}
                {r.entity === "labs" ? <LabLine fields={r.fields} sex={data.profile?.fields?.sex} /> : null}
                <div><StateBadge state={states.get(r.key)} /></div>
              </div>
              <div class="row-actions">
                <a class="btn btn-quiet" href={`/log/${KIND_PATH[r.entity] ?? ""}?id=${r.id}`} aria-label={`Edit: ${summary(r, regimenName, us)}`}>Edit</a>
                <button type="button" class="btn btn-quiet" onClick={() => void deleteEntry(r.entity, r.id)} aria-label={`Delete: ${summary(r, regimenName, us)}`}>Delete</button>
              </div>
            </li>
          ))}
        </ul>
      </section>

      {report && below ? <LazyComponents report={report} units={us ? "us" : "metric"} weightsKg={weightsKg} day={day} first={firstDayOf(data, zone)} ownDaysNote={ownDaysNote} /> : null}
      {/* At the page's foot: between the doses and Quick add it read as part of the medicines list (newcomer walk). */}
      <InstallCard loggedDay={entries.length > 0 || hasLogged(data)} />
    </Layout>
  );
}

type LabLineProps = { fields: StoredRecord["fields"]; sex: unknown };

/**
 * A lab result's reading in words (app/labReadingLine.tsx, as History and Trends show it),
 * fetched when a result is listed: its rules stay out of the first download, and the service
 * worker precaches the chunk, so it shows offline too.
 */
function LabLine(props: LabLineProps) {
  const [Line, setLine] = useState<((p: LabLineProps) => JSX.Element | null) | null>(null);
  useEffect(() => {
    let live = true;
    void import("../../app/labReadingLine").then((m) => live && setLine(() => m.LabReadingLine));
    return () => {
      live = false;
    };
  }, []);
  return Line ? <Line {...props} /> : null;
}

/** A worst joint pain of 5/10 or more logged today, acknowledged in words (app/jointPain.ts). */
function JointPainNote(props: { entries: readonly { entity: string; fields?: Record<string, unknown> | null | undefined }[] }) {
  const note = props.entries.map((r) => (r.entity === "symptoms" ? jointPainNote(r.fields?.worst_pain_0_10) : null)).find((n) => n !== null);
  return note ? <p class="card" data-testid="joint-pain-note">{note}</p> : null;
}

/** The next best step, with a button that opens the form to do it (app/nextStep.ts), when there is one. */
function NextStep(props: { data: LocalData; step: { key: string; text: string } }) {
  const { data, step } = props;
  const items = data.regimen.map((r) => ({ id: r.id, name: String(r.fields?.name ?? ""), active: r.fields?.active !== false }));
  const action = stepAction(step.key, step.text, items);
  return (
    <div class="card next" data-testid="next-action" data-key={step.key}>
      <h3>Next best step</h3>
      <p>{step.text}</p>
      {action ? <a class="btn btn-primary" href={action.href} data-testid="next-action-go">{action.label}</a> : null}
    </div>
  );
}

/** Where the rings come from (source.ts); its own component, so sync news re-renders only this line. */
function ReportSource(props: { server: boolean; unscored: ReturnType<typeof unscoredWhy>; failed: boolean }) {
  const status = useSyncStatus();
  const online = useOnline();
  return (
    <p class="muted source" data-testid="report-source">
      {sourceWords({ ...props, online, pending: status?.pending ?? 0, phase: status?.phase ?? null })}
    </p>
  );
}

/** The day's entries, oldest first (`byEntryTime`). A cheap date-string filter runs before the zone-exact one. */
export function entriesOn(data: LocalData, day: string, zone: string): StoredRecord[] {
  const lo = addDays(day, -1);
  const hi = addDays(day, 1);
  const when = (r: StoredRecord) => String(r.fields?.[WHEN[r.entity] ?? ""] ?? "");
  return [...(["meals", "doses", "workouts", "symptoms", "labs", "measurements"] as const).flatMap((k) => data[k]), ...(data.notSaved ?? [])]
    .filter((r) => {
      const d = when(r).slice(0, 10);
      return d >= lo && d <= hi && dayOf(when(r), zone) === day;
    })
    .sort(byEntryTime);
}

/** Whether she has logged anything at all (any day): the install card waits for that. */
function hasLogged(data: LocalData): boolean {
  return data.meals.length + data.doses.length + data.workouts.length + data.symptoms.length + data.measurements.length > 0;
}

function DosesDue(props: { data: LocalData; day: string; zone: string }) {
  const { data, day, zone } = props;
  // Only what is due today: an item taken on some weekdays (its reminder's days) is not listed on the others.
  const rt = runtime();
  const reminders = useLive(async () => (rt ? rt.store.list("reminders") : []), [rt]) ?? [];
  const scheduled = data.regimen.filter((r) => r.fields?.active !== false && ((r.fields?.schedule_times as string[] | undefined)?.length ?? 0) > 0);
  // In the one regimen order: two doses at the same minute list anastrozole, medicines, then supplements.
  const active = scheduled.filter((r) => dueOn(r.id, reminders, day, r.fields?.schedule_days)).sort(byRegimenOrder);
  // Before the early return: a hook is called on every render, in the same order.
  const todays = useMemo(() => entriesOn({ ...data, meals: [], workouts: [], symptoms: [], labs: [], measurements: [] }, day, zone), [data, day, zone]);
  // The clock moves on while Today is open: "2 h late" is worked out again each minute.
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 60_000);
    return () => clearInterval(t);
  }, []);
  // A reminder snoozed from the banner: the card says when it comes again.
  const snoozedUntil = useSnoozes();
  // The row whose "Mark taken" asks when she took it ("<item id>-<time>").
  const [askingWhen, setAskingWhen] = useState<string | null>(null);
  if (active.length === 0) {
    return (
      <section id="doses" aria-labelledby="doses-h">
        <h2 id="doses-h">Medicines and supplements</h2>
        {scheduled.length > 0 ? <p class="empty">Nothing due today.</p> : <p class="empty">No schedule yet. <a href="/more/regimen">Add your medicines and supplements</a>.</p>}
      </section>
    );
  }
  // Her wall clock at each dose of the item logged today: the slot shows when she took it.
  const takenToday = (id: string) => todays.filter((d) => d.fields?.regimen_item_id === id).map((d) => wallTime(d.fields?.taken_at as string | undefined, zone).slice(11, 16));
  const nowWall = wallTime(undefined, zone, now).slice(11, 16);
  const slots = doseSlots(active, takenToday, nowWall, (item) => addedTodayAt(item, day, zone));
  return (
    <section id="doses" aria-labelledby="doses-h">
      <h2 id="doses-h">Medicines and supplements</h2>
      <ul class="list" data-testid="doses-due">
        {slots.map((slot) => {
          const { item, time: t } = slot;
          const name = regimenDisplayName(item.fields);
          const due = dueWords(slot);
          const snoozed = slot.taken ? null : snoozedUntil(item.id, now);
          const key = `${item.id}-${t}`;
          const ask = takenAsk(t, nowWall);
          return (
            <li key={key} class="list-row" data-time={t} data-row={key}>
              <div>
                <strong>{name}</strong>
                <div class={slot.lateMinutes > 0 ? "due late" : "due muted"} data-testid="dose-due">{due}</div>
                {snoozed !== null ? (
                  <div class="muted" data-testid="dose-snoozed">
                    Snoozed · reminder at {wallTime(new Date(snoozed).toISOString(), zone).slice(11, 16)}
                  </div>
                ) : null}
                {amountWords(item.fields ?? {}) ? <div class="muted">{amountWords(item.fields ?? {})}</div> : null}
              </div>
              {slot.taken ? (
                <span class="done" aria-label={`${name} at ${t}: taken${slot.takenAt !== null ? ` at ${slot.takenAt}` : ""}`}>✓ Taken</span>
              ) : askingWhen === key || notStarted(slot) ? null : (
                <button
                  type="button"
                  class="btn"
                  data-testid="dose-taken"
                  aria-label={`Mark taken: ${name} at ${t}${slot.lateMinutes > 0 ? `, ${due.split(" · ")[1] ?? ""}` : ""}`}
                  onClick={() => (ask ? setAskingWhen(key) : void takeDose(item))}
                >
                  Mark taken
                </button>
              )}
              {askingWhen === key && !slot.taken ? (
                <TakenWhen
                  time={t}
                  early={ask === "early" ? nowWall : undefined}
                  other={`/log/dose?item=${encodeURIComponent(item.id)}`}
                  onPick={(choice) => {
                    setAskingWhen(null);
                    // "Not yet": the focus goes back to its "Mark taken", shown again after this render.
                    if (choice === "not") return void setTimeout(() => document.querySelector<HTMLElement>(`[data-row="${key}"] [data-testid=dose-taken]`)?.focus());
                    void takeDose(item, undefined, choice === "due" ? instantFromWall(`${day}T${t}`, zone) : undefined);
                  }}
                />
              ) : null}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

/**
 * Her wall clock ("HH:MM") when `item` was added, when that was on `day`; else null. The
 * server's `created_at` once synced, else this phone's save time (PROTOCOL.md §1 reads an
 * item's creation the same way: app/day.ts regimenItems).
 */
function addedTodayAt(item: StoredRecord, day: string, zone: string): string | null {
  const created = item.fields?.created_at;
  const at = typeof created === "string" ? created : item.touched > 0 ? new Date(item.touched).toISOString() : null;
  if (at === null || Number.isNaN(Date.parse(at)) || dayOf(at, zone) !== day) return null;
  return wallTime(at, zone).slice(11, 16);
}

export { doseFields };

export async function takeDose(item: StoredRecord, units?: number, takenAt?: string): Promise<void> {
  const n = units ?? Number(item.fields?.default_units ?? 1);
  await saveEntry("doses", null, doseFields(item, n, takenAt ?? nowInstant()));
}

export { keyOf };

/** The chunk of "What makes up your scores" (Components.tsx), fetched once after the first paint. */
let componentsChunk: Promise<(p: ComponentsProps) => JSX.Element> | null = null;

function LazyComponents(props: ComponentsProps) {
  const [Shown, setShown] = useState<{ c: (p: ComponentsProps) => JSX.Element } | null>(null);
  useEffect(() => {
    let live = true;
    componentsChunk ??= import("./Components").then((m) => m.Components);
    componentsChunk.then(
      (c) => live && setShown({ c }),
      (error: unknown) => {
        // Offline before the precache finished: tried again on the next visit.
        componentsChunk = null;
        if (navigator.onLine !== false) console.error(error);
      },
    );
    return () => {
      live = false;
    };
  }, []);
  return Shown ? <Shown.c {...props} /> : null;
}
