// A newcomer's walk (issue 14, H1 and M6): what she typed in an edit form is saved by the form's
// own Save, never dropped without a word; a weight in stones is read; an error sits by its own
// field only. Imported by run.mjs.
import { assert, PASSWORD, until, VIEWPORT } from "./harness.mjs";

export function editFormTests({ backend, browser, pageErrors, shot }) {
  /** A person made through the API, with a metric profile, signed in on a phone. */
  async function person(label, unitSystem = "metric") {
    const email = `e2e-${label}-${Date.now()}@fortify.example`;
    const token = await backend.createPerson(email, PASSWORD, "Ada");
    const r = await backend.api("PATCH", "/api/v1/profile", token, { unit_system: unitSystem, time_zone: "Europe/London", sex: "female" });
    assert(r.status === 200, `profile (${r.status} ${JSON.stringify(r.body).slice(0, 200)})`);
    const context = await browser.newContext({ viewport: VIEWPORT, hasTouch: true, timezoneId: "Europe/London" });
    const page = await context.newPage();
    page.on("pageerror", (e) => pageErrors.push(String(e)));
    page.setDefaultTimeout(15_000);
    return { context, page, token, email };
  }

  async function signIn(page, email) {
    await page.goto(backend.base + "/signin");
    await page.fill("#f-email", email);
    await page.fill("#f-password", PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(/\/today$/);
  }

  return [
    [
      "edit a meal (H1): an amount typed under Change amount is saved by the big Save meal, not dropped",
      async () => {
        const { context, page, token, email } = await person("meal-edit");
        try {
          const made = await backend.api("POST", "/api/v1/meals", token, {
            name: "Breakfast",
            eaten_at: new Date(Date.now() - 3600_000).toISOString(),
            items: [
              { food_name: "Plain yogurt, low-fat", grams: 125, nutrients: { calcium_mg: 229 } },
              { food_id: "blueberries", food_name: "Blueberries", grams: 80, nutrients: { calcium_mg: 5 } },
            ],
          });
          assert(made.status === 201, `the breakfast (${made.status} ${JSON.stringify(made.body).slice(0, 200)})`);
          const id = made.body.id;
          await signIn(page, email);
          const edit = page.getByRole("link", { name: /^Edit: .*Breakfast/ });
          await edit.waitFor({ timeout: 20_000 });
          await edit.click();
          await page.getByRole("button", { name: "Change amount: Plain yogurt, low-fat" }).click();
          await page.fill("#f-grams", "250");
          await shot(page, "h1-01-typed-250");
          // The big Save meal, not the panel's own Change amount.
          await page.getByRole("button", { name: "Save meal" }).click();
          await page.waitForURL(/\/today$/);
          await until("the server has the yoghurt at 250 g", async () => {
            const got = await backend.api("GET", `/api/v1/meals/${id}`, token);
            return got.body?.items?.[0]?.grams === 250;
          }, 30_000);
          const got = await backend.api("GET", `/api/v1/meals/${id}`, token);
          assert(got.body.items[0].nutrients.calcium_mg === 458, `its calcium follows the amount (${JSON.stringify(got.body.items[0])})`);
          assert(got.body.items[1].grams === 80, "the other food is as it was");
          await page.waitForSelector("text=/Breakfast.*463 mg calcium/");
          await shot(page, "h1-02-today-after-save");

          // A food being added (picked, amount typed) is saved with the meal too.
          await page.getByRole("link", { name: /^Edit: .*Breakfast/ }).click();
          await page.getByRole("button", { name: "Change amount: Blueberries" }).click();
          await page.fill("#f-grams", "lots");
          await page.getByRole("button", { name: "Save meal" }).click();
          // Words it cannot read: the meal is not saved and the box says why, once.
          await page.waitForSelector("[data-testid=number-error]");
          assert((await page.locator("text=Type the number only").count()) === 1, "the refusal is said once, under the amount");
          assert(/\/log\/meal/.test(page.url()), "still on the meal");
          await shot(page, "h1-03-unreadable-amount");
          // A food of her own half made: Save meal says so instead of dropping it.
          await page.getByRole("button", { name: "Cancel" }).click();
          await page.getByRole("button", { name: "Add a food that is not listed" }).click();
          await page.getByRole("button", { name: "Save meal" }).click();
          await page.waitForSelector("[data-testid=amount-refused] >> text=Save your food first, or Cancel it.");
          assert(/\/log\/meal/.test(page.url()), "still on the meal");
        } finally {
          await context.close();
        }
      },
    ],
    [
      "weight in stones (M6): 10st 7lb is read as 66.7 kg before saving; words it cannot read are said under the weight only",
      async () => {
        const { context, page, token, email } = await person("stones");
        try {
          await signIn(page, email);
          await page.goto(backend.base + "/log/weight");
          await page.fill("#f-weight", "10st 7lb");
          await page.waitForSelector("text=10 st 7 lb = 66.7 kg");
          await shot(page, "m6-01-stones-shown");
          await page.fill("#f-weight", "ten stone");
          await page.getByRole("button", { name: "Save", exact: true }).click();
          await page.waitForSelector("[data-testid=number-error]");
          assert((await page.locator("text=/Type the (number only|weight)/").count()) === 1, "the refusal is said once");
          const under = await page.locator("#f-weight ~ [data-testid=number-error]").count();
          assert(under === 1, "the refusal sits under the weight box");
          await shot(page, "m6-02-unreadable-once");
          // The class: a lab result's words are refused once, under its box, not again by Save.
          await page.goto(backend.base + "/log/lab");
          await page.fill("#f-value", "high");
          await page.getByRole("button", { name: "Save", exact: true }).click();
          await page.waitForSelector("#f-value ~ [data-testid=number-error]");
          assert((await page.locator("text=/Type the number only|Enter the result/").count()) === 1, "the lab refusal is said once");
          await shot(page, "m6-03-lab-unreadable-once");
          await page.goto(backend.base + "/log/weight");
          await page.fill("#f-weight", "10 st 7");
          await page.getByRole("button", { name: "Save", exact: true }).click();
          await page.waitForURL(/\/today$/);
          await until("the server has 66.7 kg", async () => {
            const got = await backend.api("GET", "/api/v1/measurements", token);
            const rows = got.body?.items ?? got.body ?? [];
            return rows.some?.((m) => Math.abs((m.weight_kg ?? 0) - 66.68) < 0.05);
          }, 30_000);
        } finally {
          await context.close();
        }
      },
    ],
  ];
}
