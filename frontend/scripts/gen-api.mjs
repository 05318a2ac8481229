// Regenerates src/api/schema.d.ts from the backend's OpenAPI document (never written by hand).
// The document comes from the app factory, so no server needs to run.
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const python = new URL("../../.venv/bin/python", import.meta.url).pathname;
const spec = execFileSync(
  python,
  ["-c", "import json; from fortify.main import create_app; print(json.dumps(create_app().openapi()))"],
  { maxBuffer: 64 * 1024 * 1024 },
);
const file = join(mkdtempSync(join(tmpdir(), "fortify-api-")), "openapi.json");
writeFileSync(file, spec);
execFileSync("npx", ["openapi-typescript", file, "-o", "src/api/schema.d.ts"], { stdio: "inherit" });
