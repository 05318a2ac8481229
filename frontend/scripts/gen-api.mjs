// Regenerates src/api/schema.d.ts from the backend's OpenAPI document (never written by hand).
// The document comes from the app factory, so no server needs to run.
// `--check` writes nothing and fails when the committed file differs from what the backend
// says now, so a schema change that forgot `npm run gen:api` fails `make test`.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const check = process.argv.includes("--check");
const target = "src/api/schema.d.ts";
const python = new URL("../../.venv/bin/python", import.meta.url).pathname;
const spec = execFileSync(
  python,
  ["-c", "import json; from fortify.main import create_app; print(json.dumps(create_app().openapi()))"],
  { maxBuffer: 64 * 1024 * 1024 },
);
const scratch = mkdtempSync(join(tmpdir(), "fortify-api-"));
const file = join(scratch, "openapi.json");
writeFileSync(file, spec);
const output = check ? join(scratch, "schema.d.ts") : target;
execFileSync("npx", ["openapi-typescript", file, "-o", output], { stdio: check ? "ignore" : "inherit" });
if (check) {
  if (readFileSync(output, "utf8") !== readFileSync(target, "utf8")) {
    console.error(`${target} is out of date with the backend's OpenAPI: run \`npm run gen:api\`.`);
    process.exit(1);
  }
  console.log(`${target} matches the backend's OpenAPI.`);
}
