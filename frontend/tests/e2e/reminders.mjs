// Reminders in the browser (issue #7, docs/reminders.md §3): the service worker's push and
// notificationclick handlers, and the in-app banner. Imported by run.mjs; each test gets the
// shared backend and browser.
//
// Headless Chromium cannot subscribe to a real push service, so each person gets a fabricated
// subscription whose endpoint is the local peer (push-peer.mjs; plain http is accepted because
// the harness runs the backend with FORTIFY_ENVIRONMENT=test). The backend's own worker plans,
// claims, encrypts and sends the reminder; the peer checks VAPID and decrypts it; the test then
// hands that exact JSON to the service worker with CDP ServiceWorker.deliverPushMessage and
// reads the notification it shows. Chromium has no automation for clicking a notification, so
// the test dispatches a real NotificationEvent("notificationclick") inside the worker.
import { assert, PASSWORD, sleep, until, VIEWPORT } from "./harness.mjs";
import { PushPeer } from "./push-peer.mjs";



/** A person with one medicine whose reminder falls due in the next minute (UTC profile). */
async function personWithDueMedicine(backend, label, hhmm) {
  const email = `e2e-${label}-${Date.now()}@fortify.example`;
  const token = await backend.createPerson(email, PASSWORD, `E2E ${label}`);
  const item = await backend.api("POST", "/api/v1/regimen", token, {
    name: `Calcium ${label}`,
    kind: "supplement",
    form: "calcium_carbonate",
    nutrients_per_unit: { calcium_mg: 500 },
    default_units: 1,
    schedule_times: [hhmm],
  });
  assert(item.status === 201, `regimen item for ${label} (${item.status} ${JSON.stringify(item.body).slice(0, 200)})`);
  return { email, token, itemId: item.body.id };
}

function nextMinuteUtc() {
  // Far enough from the minute's end that the reminder is saved before it falls due.
  const now = new Date();
  const t = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), now.getUTCHours(), now.getUTCMinutes() + 1));
  return { hhmm: t.toISOString().slice(11, 16), at: t.getTime() };
}

async function dosesOf(backend, token, itemId) {
  const records = await backend.records(token);
  return [...records.values()].filter((r) => r.entity === "doses" && r.fields?.regimen_item_id === itemId);
}

/** A signed-in browser context for `person`, its page at Today, its service worker ready. */
async function signedInContext(browser, backend, person, pageErrors) {
  const context = await browser.newContext({ viewport: VIEWPORT });
  await context.grantPermissions(["notifications"], { origin: backend.base });
  const page = await context.newPage();
  page.on("pageerror", (e) => pageErrors.push(String(e)));
  page.setDefaultTimeout(15_000);
  await page.goto(backend.base + "/signin");
  await page.fill("#f-email", person.email);
  await page.fill("#f-password", person.password ?? PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(/\/today$/);
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) {
      await new Promise((r) => navigator.serviceWorker.addEventListener("controllerchange", r, { once: true }));
    }
  });
  return { context, page };
}

/** CDP: the page's service worker registration id, for ServiceWorker.deliverPushMessage. */
async function registrationId(context, page, origin) {
  const cdp = await context.newCDPSession(page);
  const live = new Set();
  const activated = new Set();
  cdp.on("ServiceWorker.workerRegistrationUpdated", ({ registrations }) => {
    for (const r of registrations) {
      if (!r.scopeURL.startsWith(origin)) continue;
      if (r.isDeleted) live.delete(r.registrationId);
      else live.add(r.registrationId);
    }
  });
  // A push delivered to a registration whose worker is not activated yet is dropped without a
  // word (CI, a loaded machine: "timed out waiting for the notification"): wait for an
  // activated worker of a live registration, not only for the registration.
  cdp.on("ServiceWorker.workerVersionUpdated", ({ versions }) => {
    for (const v of versions) if (v.status === "activated") activated.add(v.registrationId);
  });
  await cdp.send("ServiceWorker.enable");
  const id = await until("an activated service worker", () => [...live].find((r) => activated.has(r)) ?? null);
  return { cdp, registrationId: id };
}

function serviceWorker(context) {
  const sw = context.serviceWorkers()[0];
  assert(sw, "the context has a running service worker");
  return sw;
}

async function notifications(context) {
  return serviceWorker(context).evaluate(async () =>
    (await self.registration.getNotifications()).map((n) => ({ title: n.title, body: n.body, tag: n.tag, actions: n.actions.map((a) => ({ action: a.action, title: a.title })), data: n.data })),
  );
}

/** The notification's button, pressed: a real NotificationEvent dispatched in the worker. */
async function clickNotification(context, tag, action) {
  await serviceWorker(context).evaluate(
    async ({ tag, action }) => {
      const [notification] = await self.registration.getNotifications({ tag });
      if (!notification) throw new Error(`no notification with tag ${tag}`);
      self.dispatchEvent(new NotificationEvent("notificationclick", { notification, action }));
    },
    { tag, action },
  );
}

async function cdpPush(cdp, backend, id, payload) {
  await cdp.send("ServiceWorker.deliverPushMessage", { origin: backend.base, registrationId: id, data: JSON.stringify(payload) });
}

/** Shows `payload` through the push handler, as if the push service had delivered it. */
async function deliverPush(context, page, backend, payload) {
  const { cdp, registrationId: id } = await registrationId(context, page, backend.base);
  // The app is not the focused window in this test: the worker must show a system notification.
  await page.goto("about:blank");
  await cdpPush(cdp, backend, id, payload);
  return until("the notification", async () => (await notifications(context).catch(() => [])).find((n) => n.tag === payload.tag));
}

/** The dose `doseId` and its outbox ops in the person's IndexedDB, read inside the worker. */
async function localDose(context, email, doseId) {
  return serviceWorker(context).evaluate(
    async ({ name, doseId }) => {
      const db = await new Promise((res, rej) => {
        const r = indexedDB.open(name);
        r.onsuccess = () => res(r.result);
        r.onerror = () => rej(r.error);
      });
      try {
        const tx = db.transaction(["records", "outbox"]);
        const get = (req) => new Promise((res) => (req.onsuccess = () => res(req.result)));
        const record = await get(tx.objectStore("records").get(`doses:${doseId}`));
        const ops = (await get(tx.objectStore("outbox").getAll())).filter((o) => o.id === doseId);
        return record ? { record, ops } : null;
      } finally {
        db.close();
      }
    },
    { name: `fortify:${email.toLowerCase()}`, doseId },
  );
}

export function reminderTests({ backend, browser, pageErrors, axe, shot }) {
  const peer = new PushPeer();
  const people = {};

  return [
    [
      "reminders: the worker delivers through a fabricated subscription to the local push peer (VAPID checked, aes128gcm decrypted)",
      async () => {
        await peer.start();
        let next = nextMinuteUtc();
        if (next.at - Date.now() < 8_000) {
          await sleep(next.at - Date.now() + 500);
          next = nextMinuteUtc();
        }
        for (const label of ["online", "offline", "banner"]) people[label] = await personWithDueMedicine(backend, label, next.hhmm);
        for (const label of ["online", "offline"]) {
          const p = people[label];
          p.sub = peer.subscribe();
          const r = await backend.api("POST", "/api/v1/push/subscriptions", p.token, { ...PushPeer.toJSON(p.sub), device_name: "e2e peer" });
          assert(r.status === 201, `subscription registered (${r.status} ${JSON.stringify(r.body)})`);
        }
        for (const label of ["online", "offline"]) {
          const p = people[label];
          const [payload] = await until(`${label}'s push`, () => (peer.payloads(p.sub).length > 0 ? peer.payloads(p.sub) : null), 90_000, 500);
          assert(peer.errors.length === 0, `the peer accepted every push: ${peer.errors.join(" | ")}`);
          assert(payload.type === "reminder" && payload.title === `Calcium ${label}` && payload.occurrences.length === 1, `payload: ${JSON.stringify(payload)}`);
          assert(payload.occurrences[0].dose_id && payload.occurrences[0].regimen_item_id === p.itemId, "a dose occurrence with its dose_id");
          assert(JSON.stringify(payload.actions.map((a) => a.action)) === '["taken","snooze"]', "Taken and Snooze actions");
          p.payload = payload;
        }
        await peer.stop();
      },
    ],
    [
      "reminders: the service worker shows the pushed notification; “Taken” logs exactly one dose online, even when tapped twice",
      async () => {
        const p = people.online;
        const { context, page } = await signedInContext(browser, backend, p, pageErrors);
        try {
          const shown = await deliverPush(context, page, backend, p.payload);
          assert(shown.title === p.payload.title && shown.body === p.payload.body, `title and body (${JSON.stringify(shown)})`);
          assert(JSON.stringify(shown.actions) === JSON.stringify(p.payload.actions), `actions ${JSON.stringify(shown.actions)}`);
          assert(shown.data?.occurrences?.[0]?.id === p.payload.occurrences[0].id, "the payload rides along as data");
          await clickNotification(context, p.payload.tag, "taken");
          const doses = await until("the dose on the server", async () => {
            const d = await dosesOf(backend, p.token, p.itemId);
            return d.length > 0 ? d : null;
          });
          assert(doses.length === 1 && doses[0].id === p.payload.occurrences[0].dose_id, `one dose with the occurrence's dose_id (${JSON.stringify(doses.map((d) => d.id))})`);
          assert((await notifications(context)).length === 0, "the notification is closed");
          // The same push again (a retry) and a second tap: still one dose.
          await deliverPush(context, await context.newPage(), backend, p.payload);
          await clickNotification(context, p.payload.tag, "taken");
          await sleep(1500);
          assert((await dosesOf(backend, p.token, p.itemId)).length === 1, "a second Taken logs nothing more");
          const due = await backend.api("GET", "/api/v1/reminders/due", p.token);
          assert(due.body.length === 0, "nothing is due any more");
        } finally {
          await context.close();
        }
      },
    ],
    [
      "reminders: with the app focused, the service worker hands the reminder to its banner instead of a notification",
      async () => {
        const p = people.online;
        const { context, page } = await signedInContext(browser, backend, p, pageErrors);
        try {
          const { cdp, registrationId: id } = await registrationId(context, page, backend.base);
          // Let the banner's first poll (nothing due: it was taken) land before the push.
          await sleep(1500);
          await cdpPush(cdp, backend, id, { ...p.payload, tag: "fortify-reminder-focused" });
          await page.locator("[data-testid=reminder-banner]").getByText("Calcium online").waitFor();
          assert((await notifications(context)).length === 0, "no system notification while the app is in front");
        } finally {
          await context.close();
        }
      },
    ],
    [
      "reminders: “Taken” offline writes the dose and its outbox op in IndexedDB; back online, sync stores exactly one dose",
      async () => {
        const p = people.offline;
        const { context, page } = await signedInContext(browser, backend, p, pageErrors);
        try {
          await deliverPush(context, page, backend, p.payload);
          await context.setOffline(true);
          // Playwright's offline emulation covers pages, not the service worker's own fetches:
          // stopping the server makes the worker's "Taken" fail the way it does offline.
          await backend.stop();
          try {
            await clickNotification(context, p.payload.tag, "taken");
            const doseId = p.payload.occurrences[0].dose_id;
            const local = await until("the dose in IndexedDB", () => localDose(context, p.email, doseId));
            assert(local.ops.length === 1 && local.ops[0].entity === "doses" && local.ops[0].kind === "upsert" && local.ops[0].base_version === null, `one outbox op (${JSON.stringify(local.ops)})`);
            assert(local.record.fields.regimen_item_id === p.itemId && local.record.fields.nutrients?.calcium_mg === 500, `the dose as Today logs it (${JSON.stringify(local.record.fields)})`);
            // Tapped again while still offline: nothing more is queued.
            await deliverPush(context, await context.newPage(), backend, p.payload);
            await clickNotification(context, p.payload.tag, "taken");
            await sleep(1000);
            const after = await localDose(context, p.email, doseId);
            assert(after?.ops.length === 1, `still one outbox op after a second tap (${JSON.stringify(after?.ops)})`);
          } finally {
            await backend.start();
          }
          await context.setOffline(false);
          const app = await context.newPage();
          app.on("pageerror", (e) => pageErrors.push(String(e)));
          await app.goto(backend.base + "/today");
          const doses = await until("the offline dose on the server", async () => {
            const d = await dosesOf(backend, p.token, p.itemId);
            return d.length > 0 ? d : null;
          }, 30_000);
          assert(doses.length === 1 && doses[0].id === p.payload.occurrences[0].dose_id, `exactly one dose, with the dose_id (${JSON.stringify(doses.map((d) => d.id))})`);
          // "Taken" once more, now online: the server recognises the dose; still one.
          const again = await backend.api("POST", `/api/v1/reminders/occurrences/${p.payload.occurrences[0].id}/taken`, p.token);
          assert(again.status === 200 && again.body.dose_created === false, `a later Taken creates nothing (${JSON.stringify(again.body)})`);
          assert((await dosesOf(backend, p.token, p.itemId)).length === 1, "one dose in the end");
        } finally {
          await context.close();
        }
      },
    ],
    [
      "reminders: a due reminder shows as an accessible banner with Taken and Snooze; Taken logs the dose and clears it",
      async () => {
        const p = people.banner;
        const due = await until("the reminder to be due", async () => {
          const r = await backend.api("GET", "/api/v1/reminders/due", p.token);
          return r.body?.length ? r.body : null;
        }, 90_000, 1000);
        const { context, page } = await signedInContext(browser, backend, p, pageErrors);
        try {
          const banner = page.locator("[data-testid=reminder-banner]");
          await banner.getByText(`Calcium banner`).waitFor();
          assert((await banner.getAttribute("role")) === "status", "the banner is a live region");
          const taken = banner.getByRole("button", { name: new RegExp(`^Taken: Calcium banner`) });
          const snooze = banner.getByRole("button", { name: /^Snooze 30 min: Calcium banner/ });
          for (const b of [taken, snooze]) {
            const box = await b.boundingBox();
            assert(box && box.height >= 44 && box.width >= 44, `buttons are at least 44 px (${JSON.stringify(box)})`);
          }
          if (axe) await axe(page, "/today with the reminder banner");
          if (shot) await shot(page, "31-reminder-banner");
          // 320 px wide and 200 % text: the banner wraps, nothing scrolls sideways.
          await page.setViewportSize({ width: 320, height: 700 });
          await page.evaluate(() => (document.documentElement.style.fontSize = "225%"));
          const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
          assert(overflow <= 1, `the banner fits 320 px at 200 % text (overflow ${overflow}px)`);
          await page.evaluate(() => (document.documentElement.style.fontSize = ""));
          await page.setViewportSize(VIEWPORT);
          await taken.click();
          await until("the banner to clear", async () => (await banner.getByText("Calcium banner").count()) === 0);
          const doses = await until("the dose on the server", async () => {
            const d = await dosesOf(backend, p.token, p.itemId);
            return d.length > 0 ? d : null;
          });
          assert(doses.length === 1 && doses[0].id === due[0].dose_id, "one dose, the occurrence's");
          await page.waitForSelector("text=✓ Taken");
        } finally {
          await context.close();
        }
      },
    ],
    [
      "reminders: Settings lists the reminders, makes, copies and revokes the calendar link, explains when push is impossible; sign-out drops the subscription",
      async () => {
        const p = people.banner;
        const { context, page } = await signedInContext(browser, backend, p, pageErrors);
        try {
          await context.grantPermissions(["notifications", "clipboard-read", "clipboard-write"], { origin: backend.base });
          await page.goto(backend.base + "/more/settings");
          await page.getByRole("link", { name: /^Reminders/ }).click();
          await page.waitForURL(/\/more\/settings\/reminders$/);
          await page.locator("[data-testid=reminder-list]").getByText("Calcium banner").waitFor();
          // Headless Chromium has no push service: the button explains, and names the fallback.
          await page.getByRole("button", { name: "Turn on notifications" }).click();
          await page.getByText(/calendar link/i).first().waitFor();
          await page.waitForSelector("text=could not be turned on");
          // The calendar link: made, shown once, copied, readable without signing in, revoked.
          await page.getByRole("button", { name: "Make a new calendar link" }).click();
          const url = (await page.locator("[data-testid=feed-created] .feed-url").innerText()).trim();
          assert(/\/api\/v1\/calendar\/fcal_[\w-]+\.ics$/.test(url), `a secret .ics link (${url})`);
          await page.getByRole("button", { name: "Copy link" }).click();
          await page.waitForSelector("text=Link copied.");
          const copied = await page.evaluate(() => navigator.clipboard.readText());
          assert(copied === url, "the copied link is the link");
          const webcal = await page.getByRole("link", { name: "Add to calendar" }).getAttribute("href");
          assert(webcal === url.replace(/^https?:/, "webcal:"), `webcal:// for one-tap subscribing (${webcal})`);
          const feed = await fetch(url);
          const ics = await feed.text();
          assert(feed.status === 200 && ics.includes("BEGIN:VCALENDAR") && ics.includes("Calcium banner"), `the feed answers (${feed.status})`);
          if (axe) await axe(page, "/more/settings/reminders");
          if (shot) await shot(page, "30-settings-reminders");
          // A second link is named apart from the first, both rows say when they were made, and
          // the older one is offered for revoking (the newcomer walk's F15): revoked from there.
          await page.getByRole("button", { name: "Make a new calendar link" }).click();
          await page.waitForSelector("[data-testid=feed-older]");
          await page.waitForSelector("[data-testid=feed-list] li >> nth=1");
          const rows = (await page.locator("[data-testid=feed-list] li").allInnerTexts()).map((t) => t.replace(/\s+/g, " ").trim());
          assert(rows.length === 2 && rows[0] !== rows[1] && rows.some((r) => r.startsWith("My calendar 2")), `two rows told apart (${rows.join(" | ")})`);
          assert(rows.every((r) => /made \d+ \w+, \d\d:\d\d/.test(r)), `each says when it was made, to the minute (${rows.join(" | ")})`);
          if (shot) await shot(page, "30b-settings-two-calendar-links");
          await page.locator("[data-testid=feed-older]").getByRole("button", { name: "Revoke “My calendar”" }).click();
          await page.waitForSelector("text=revoked");
          await until("one link left", async () => (await page.locator("[data-testid=feed-list] li").count()) === 1);
          assert((await fetch(url)).status === 404, "a revoked link answers 404");
          // Sign-out deletes this device's subscription on the server.
          const sub = await backend.api("POST", "/api/v1/push/subscriptions", p.token, { ...PushPeer.toJSON(peer.subscribe()), device_name: "this browser" });
          assert(sub.status === 201, `subscription made (${sub.status})`);
          await page.evaluate((s) => localStorage.setItem("fortify.push.subscription", JSON.stringify(s)), { id: sub.body.id, endpoint: sub.body.endpoint });
          await page.getByRole("link", { name: "Back" }).click();
          await page.getByTestId("sign-out").click();
          await page.waitForURL(/\/signin$/);
          const left = await backend.api("GET", "/api/v1/push/subscriptions", p.token);
          assert(left.status === 200 && left.body.length === 0, `no subscription left (${JSON.stringify(left.body)})`);
        } finally {
          await context.close();
        }
      },
    ],
  ];
}
