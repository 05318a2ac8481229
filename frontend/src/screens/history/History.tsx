/**
 * History: a month calendar of daily overall scores (worked out on this phone from local data,
 * so it works offline), and a tap on a day opens that day's report, whose entries can be edited
 * or deleted (with Undo) as on Today.
 */
import { useMemo, useState } from "preact/hooks";
import { addDays } from "../../scoring";
import { byEntryTime, dayOf, loadAll, localReport, timeZone, today, WHEN, type LocalData } from "../../app/day";
import { useLive } from "../../app/hooks";
import { runtime } from "../../app/runtime";
import { editPath, entryTime, summary } from "../../app/summary";
import { deleteEntry } from "../../app/entries";
import { asPastMeal, repeatMeal } from "../../app/meals";
import { navigate } from "../../app/router";
import { fmtDayMonth } from "../../app/zone";
import type { StoredRecord } from "../../storage/store";
import { Layout, Ring } from "../../app/ui";
import { COMPONENT_LABEL } from "../today/labels";
import { localiseText, weightsKgOf } from "../../app/units";
import { beforeFirstDayWords, firstDayOf } from "../../app/firstDay";
import { ownDaysNote } from "../../app/ownDays";
import { componentAmount } from "../../app/numbers";
import { regimenDisplayName } from "../../app/regimenName";
import { onThisDay } from "../../app/pastDay";
import { LabReadingLine } from "../../app/labReadingLine";

/** Monday first, as the calendar's columns. */
const WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

export function History(props: { day: string | null }) {
  const rt = runtime();
  const data = useLive(async () => (rt ? loadAll(rt.store) : null), [rt]);
  if (!data) return <Layout title="History"><p>Loading…</p></Layout>;
  return props.day ? <DayView data={data} day={props.day} /> : <Calendar data={data} />;
}

function band(score: number): string {
  return score >= 80 ? "high" : score >= 50 ? "mid" : score > 0 ? "low" : "none";
}

function Calendar(props: { data: LocalData }) {
  const zone = timeZone(props.data);
  const now = today(zone);
  const [month, setMonth] = useState(now.slice(0, 7));
  const [y, m] = month.split("-").map(Number) as [number, number];
  const first = `${month}-01`;
  const daysIn = new Date(Date.UTC(y, m, 0)).getUTCDate();
  const lead = (new Date(Date.UTC(y, m - 1, 1)).getUTCDay() + 6) % 7; // Monday first
  const firstDay = firstDayOf(props.data, zone);
  const { out: scores, logged } = useMemo(() => {
    const out = new Map<string, number>();
    const logged = new Set<string>();
    // Every kind Today lists under "Logged today" (a lab or a weight is logged too).
    for (const kind of ["meals", "doses", "workouts", "symptoms", "labs", "measurements"] as const) {
      for (const r of props.data[kind]) {
        const d = dayOf(r.fields?.[WHEN[kind] ?? ""], zone);
        if (d) logged.add(d);
      }
    }
    for (let i = 0; i < daysIn; i++) {
      const d = addDays(first, i);
      // Today always has its score (Today shows it, logged or not); a past day with nothing
      // logged keeps its "·" (and its day view says "Nothing logged on this day" beside the score).
      if (d > now || (!logged.has(d) && d !== now)) continue;
      const rep = localReport(props.data, d);
      if (rep) out.set(d, rep.overall);
    }
    return { out, logged };
  }, [props.data, daysIn, first, now, zone]);
  const shift = (n: number) => {
    const d = new Date(Date.UTC(y, m - 1 + n, 1));
    setMonth(`${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, "0")}`);
  };
  return (
    <Layout title="History">
      <div class="month-nav">
        <button type="button" class="btn month-prev" onClick={() => shift(-1)} aria-label="Previous month">‹</button>
        <h2 class="month-title" data-testid="month-title">{MONTHS[m - 1]} {y}</h2>
        <button type="button" class="btn month-next" onClick={() => shift(1)} aria-label="Next month" disabled={month >= now.slice(0, 7)}>›</button>
      </div>
      <div class="calendar">
        {WEEKDAYS.map((d) => (
          <div key={d} class="cal-head" aria-hidden="true">{d}</div>
        ))}
        {Array.from({ length: lead }, (_, i) => <div key={`e${i}`} class="cal-empty" />)}
        {Array.from({ length: daysIn }, (_, i) => {
          const d = addDays(first, i);
          const s = scores.get(d);
          // On a narrow screen with large text the month is a list of days, one a row: each
          // row names its weekday (the columns' heads are hidden then).
          const weekday = <span class="cal-wd" aria-hidden="true">{WEEKDAYS[(lead + i) % 7]} </span>;
          if (d > now) {
            return (
              <span key={d} class="cal-day cal-future" data-testid="cal-future">
                <span class="cal-num" aria-hidden="true">{weekday}{i + 1}</span>
                <span class="visually-hidden">{`${MONTHS[m - 1]} ${i + 1}: still to come`}</span>
              </span>
            );
          }
          // Today is not over: its score is still growing, so it has no band's colour (a pink
          // "bad day" at breakfast); an outline and the word Today mark it instead.
          // Before her first day there is nothing to score: the same words as Trends, never
          // "nothing logged" (she was not using Fortify then). The day still opens (it says why).
          const before = firstDay !== null && d < firstDay;
          const isToday = d === now;
          // A score is never hidden behind "nothing logged": today with nothing logged yet says both.
          const nothing = !logged.has(d);
          const words = before ? "before your records start" : s === undefined ? "nothing logged" : `overall score ${s}${nothing ? ", nothing logged yet" : ""}`;
          return (
            <a key={d} href={`/history/${d}`} class={`cal-day band-${before || isToday || s === undefined ? "none" : band(s)}${before ? " cal-before" : ""}${isToday ? " cal-today" : ""}`} aria-current={isToday ? "date" : undefined} data-testid={before ? "cal-before" : isToday ? "cal-today" : undefined}>
              <span class="cal-num" aria-hidden="true">{weekday}{i + 1}</span>
              {isToday ? <span class="cal-today-word" aria-hidden="true">Today</span> : null}
              <span class="cal-score" aria-hidden={s === undefined}>{before ? "" : s ?? "·"}</span>
              <span class="visually-hidden">{`${MONTHS[m - 1]} ${i + 1}${isToday ? ", today" : ""}: ${words}`}</span>
            </a>
          );
        })}
      </div>
      <p class="hint">Each day shows its overall score. Tap a day to see its report.</p>
      <ul class="cal-key" data-testid="cal-key" aria-label="What the colours mean">
        <li><span class="cal-key-tile band-high" aria-hidden="true" /> 80 to 100</li>
        <li><span class="cal-key-tile band-mid" aria-hidden="true" /> 50 to 79</li>
        <li><span class="cal-key-tile band-low" aria-hidden="true" /> 1 to 49</li>
        <li><span class="cal-key-tile" aria-hidden="true">·</span> nothing logged</li>
        {firstDay !== null && first <= firstDay ? <li><span class="cal-key-tile cal-before" aria-hidden="true" /> before your records start ({fmtDayMonth(firstDay)})</li> : null}
        <li><span class="cal-key-tile cal-today" aria-hidden="true" /> today (its score is not final)</li>
      </ul>
    </Layout>
  );
}

function DayView(props: { data: LocalData; day: string }) {
  const { data, day } = props;
  const zone = timeZone(data);
  // A day still to come has no score: its W7 would count this week's exercise for it.
  const future = day > today(zone);
  const first = firstDayOf(data, zone);
  const before = first !== null && day < first;
  const report = future ? null : localReport(data, day);
  const epaDha = report?.components.find((c) => c.key === "epa_dha")?.value ?? null;
  const regimenName = (id: string) => regimenDisplayName(data.regimen.find((r) => r.id === id)?.fields) || undefined;
  const when = (r: StoredRecord) => String(r.fields?.[WHEN[r.entity] ?? ""] ?? "");
  // Refused new entries are listed (marked "not saved") but not counted in the day's scores.
  const entries = [...(["meals", "doses", "workouts", "symptoms", "labs", "measurements"] as const).flatMap((k) => data[k]), ...(data.notSaved ?? [])]
    .filter((r) => dayOf(when(r), zone) === day)
    .sort(byEntryTime);
  const us = data.profile?.fields?.unit_system === "us";
  const notSaved = new Set((data.notSaved ?? []).map((r) => r.key));
  // The wording says "today"; any other day's report says "on this day".
  const pastDay = (text: string) => (day === today(zone) ? text : onThisDay(text));
  return (
    <Layout title={fmtDayMonth(day) + " " + day.slice(0, 4)} back="/history">
      {report ? (
        <>
          <div class="rings-small">
            <Ring label="Overall" value={report.overall} size={84} />
            <Ring label="Bone" value={report.bone} size={84} />
            <Ring label="Heart" value={report.heart} size={84} />
            <Ring label="Joint" value={report.joint} size={84} />
          </div>
          <ul class="components card">
            {report.components.filter((c) => !c.excluded).map((c) => {
              // In her first week, her own days' figure under a 7-day average, as on Today.
              const note = ownDaysNote(c, day, first, epaDha, today(zone));
              return (
                <li key={c.key} class="component">
                  <div class="component-head"><span>{COMPONENT_LABEL[c.key] ?? c.key}</span><span class="muted">{componentAmount(c)}</span></div>
                  <p class="hint">{pastDay(localiseText(c.explanation, data.profile?.fields?.unit_system === "us" ? "us" : "metric", weightsKgOf(data.measurements)))}</p>
                  {note ? <p class="hint" data-testid="own-days-note">{note}</p> : null}
                </li>
              );
            })}
          </ul>
        </>
      ) : null}
      {future ? <p class="empty" data-testid="future-day">This day has not come yet, so it has no scores.</p> : null}
      {before && first ? <p class="empty" data-testid="before-first-day">{beforeFirstDayWords(fmtDayMonth(first) + " " + first.slice(0, 4))}</p> : null}
      <h2>Entries</h2>
      {entries.length === 0 ? <p class="empty">Nothing logged on this day.</p> : (
        <ul class="list" data-testid="history-entries">
          {entries.map((r) => {
            const meal = r.entity === "meals" ? asPastMeal(r, new Date().toISOString(), zone) : null;
            return (
              <li key={r.key} class="list-row">
                <div>
                  {entryTime(r, zone) ? <span class="muted">{entryTime(r, zone)}</span> : null} {summary(r, regimenName, us)}
                  {r.entity === "labs" ? <LabReadingLine fields={r.fields} sex={data.profile?.fields?.sex} /> : null}
                  {notSaved.has(r.key) ? <span class="badge badge-attention" data-state="not-saved"> Not saved: not counted until you fix it (see Sync)</span> : null}
                </div>
                <div class="row-actions">
                  {meal ? (
                    // Works offline like Repeat a meal: a new meal now, through the outbox, with Undo.
                    <button type="button" class="btn btn-quiet" aria-label={`Log again now: ${meal.name}, ${meal.when}`} onClick={() => void repeatMeal(meal).then(() => navigate("/today"))}>
                      Log again
                    </button>
                  ) : null}
                  {/* The same form and outbox path as Today's Edit; it comes back to this day. */}
                  {editPath(r.entity, r.id, `/history/${day}`) ? (
                    <a class="btn btn-quiet" href={editPath(r.entity, r.id, `/history/${day}`) ?? ""} aria-label={`Edit: ${summary(r, regimenName, us)}`}>Edit</a>
                  ) : null}
                  <button type="button" class="btn btn-quiet" onClick={() => void deleteEntry(r.entity, r.id)} aria-label={`Delete: ${summary(r, regimenName, us)}`}>Delete</button>
                </div>
              </li>
            );
          })}
        </ul>
      )}
    </Layout>
  );
}
