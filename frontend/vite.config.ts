import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";
import { VitePWA } from "vite-plugin-pwa";

/** Chunks only the online pages load: not precached, cached at first use (src/sw/sw.ts). */
const ONLINE_ASSETS = "assets/online";
// app/deviceName.ts: loaded only by a sign-in (app/signIn.ts), which needs the server anyway.
const ONLINE_ENTRIES = ["/src/screens/auth/Auth.tsx", "/src/screens/settings/online.tsx", "/src/app/deviceName.ts"];

/**
 * The app shell is precached by a custom, typed service worker (src/sw/sw.ts, injectManifest).
 * Registration happens from code (`app/pwa.ts`), never from an injected inline
 * script: the server's CSP allows `script-src 'self'` only.
 */
export default defineConfig({
  esbuild: { jsx: "automatic", jsxImportSource: "preact" },
  resolve: {
    alias: {
      // Dexie's package entry wraps its ES5 UMD build (polyfills for browsers that cannot run
      // this app anyway: it targets ES2022). Its modern ES module is the same Dexie, 12 KB
      // smaller minified. Tests resolve it too, so they run the code that ships.
      dexie: fileURLToPath(new URL("node_modules/dexie/dist/modern/dexie.mjs", import.meta.url)),
    },
  },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    // Maps are written (dist/assets/*.map) but not named in each precached file: the 34
    // "//# sourceMappingURL" lines cost 1.4 KB of the 400 KB precache budget.
    sourcemap: "hidden",
    target: "es2022",
    // Terser (two compress passes) rather than esbuild's minifier: 2.9 KB less of the 80 KB
    // gzip first download and of the 400 KB precache, where each screen's fix competes for the
    // last kilobyte (issue #14). The build takes a few seconds longer.
    minify: "terser",
    terserOptions: { compress: { passes: 2 }, ecma: 2020, module: true },
    rollupOptions: {
      output: {
        // The pages that need the server anyway (the signed-out pages, screens/auth/Auth.tsx;
        // the Settings pages of settings/online.tsx) go to assets/online/, which the precache
        // leaves out (globIgnores below) and the service worker caches on first use (sw.ts):
        // issue #14, the 400 KB precache budget.
        chunkFileNames: (chunk) =>
          ONLINE_ENTRIES.some((entry) => chunk.facadeModuleId?.endsWith(entry)) ? `${ONLINE_ASSETS}/[name]-[hash].js` : "assets/[name]-[hash].js",
      },
    },
  },
  server: { proxy: { "/api": "http://127.0.0.1:8000" } },
  plugins: [
    VitePWA({
      strategies: "injectManifest",
      srcDir: "src/sw",
      filename: "sw.ts",
      injectRegister: false,
      registerType: "prompt",
      // Precached: the shell (scripts, styles, the page; the plugin adds the web manifest once)
      // and icon-192, the favicon and every reminder's notification icon, so both work offline.
      // Not precached: source maps, and the icons only an installer fetches, online, once
      // (512 px, maskable, the shortcuts' 96 px, Safari's apple-touch-icon). Listing a file both
      // here and in includeAssets precached it twice (issue #14).
      includeAssets: [],
      includeManifestIcons: false,
      injectManifest: {
        globPatterns: ["**/*.{js,css,html}", "icons/icon-192.png"],
        globIgnores: [`${ONLINE_ASSETS}/**`],
        rollupFormat: "es",
      },
      manifest: {
        id: "/",
        name: "Fortify: bone, heart and joint care",
        short_name: "Fortify",
        description:
          "Log meals, medicines, workouts and joint symptoms alongside anastrozole, and see your daily bone, heart and joint scores, even offline.",
        start_url: "/today",
        scope: "/",
        display: "standalone",
        orientation: "portrait",
        lang: "en",
        theme_color: "#1f5f8b",
        background_color: "#ffffff",
        categories: ["health", "medical", "lifestyle"],
        icons: [
          { src: "/icons/icon-192.png", sizes: "192x192", type: "image/png", purpose: "any" },
          { src: "/icons/icon-512.png", sizes: "512x512", type: "image/png", purpose: "any" },
          { src: "/icons/maskable-512.png", sizes: "512x512", type: "image/png", purpose: "maskable" },
        ],
        shortcuts: [
          {
            name: "Log a dose",
            short_name: "Dose",
            url: "/today#doses",
            icons: [{ src: "/icons/shortcut-96.png", sizes: "96x96", type: "image/png" }],
          },
          {
            name: "Log a meal",
            short_name: "Meal",
            url: "/log/meal",
            icons: [{ src: "/icons/shortcut-96.png", sizes: "96x96", type: "image/png" }],
          },
          {
            name: "Log a workout",
            short_name: "Workout",
            url: "/log/workout",
            icons: [{ src: "/icons/shortcut-96.png", sizes: "96x96", type: "image/png" }],
          },
        ],
      },
    }),
  ],
  test: {
    include: ["src/**/*.test.ts"],
    environment: "node",
  },
});
