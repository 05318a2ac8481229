// ESLint (flat config): the hooks rules and typescript-eslint's recommended rules over src/.
// `npm run lint`, run by `make lint`. tsc (strict) does the type checking; this catches what
// it cannot: hooks called conditionally or with missing dependencies, and casts that lie.
import js from "@eslint/js";
import reactHooks from "eslint-plugin-react-hooks";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/", "dev-dist/", "src/api/schema.d.ts"] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    files: ["src/**/*.{ts,tsx}", "vite.config.ts"],
    plugins: { "react-hooks": reactHooks },
    rules: {
      // Preact's hooks follow React's rules. Only these two: the plugin's other rules check
      // code for the React Compiler, which a Preact app does not use.
      "react-hooks/rules-of-hooks": "error",
      "react-hooks/exhaustive-deps": "error",
      // A cast through `never` or `unknown` silences the type checker instead of informing it
      // (the writes and the sync wire are typed by the API: api/entities.ts).
      "no-restricted-syntax": [
        "error",
        {
          selector: "TSAsExpression > TSAsExpression.expression",
          message: "No double cast (`as unknown as`): narrow the value or type it at its source.",
        },
        {
          selector: "TSAsExpression > TSNeverKeyword.typeAnnotation",
          message: "No `as never`: type the value (the API's types are in src/api/).",
        },
      ],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
);
