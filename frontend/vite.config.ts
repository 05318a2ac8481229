import { defineConfig } from "vite";
import { VitePWA } from "vite-plugin-pwa";

/**
 * The app shell is precached by a custom, typed service worker (src/sw/sw.ts, injectManifest).
 * Registration happens from code (`virtual:pwa-register`), never from an injected inline
 * script: the server's CSP allows `script-src 'self'` only.
 */
export default defineConfig({
  esbuild: { jsx: "automatic", jsxImportSource: "preact" },
  build: { outDir: "dist", emptyOutDir: true, sourcemap: true, target: "es2022" },
  server: { proxy: { "/api": "http://127.0.0.1:8000" } },
  plugins: [
    VitePWA({
      strategies: "injectManifest",
      srcDir: "src/sw",
      filename: "sw.ts",
      injectRegister: false,
      registerType: "prompt",
      includeAssets: ["icons/icon-192.png", "icons/apple-touch-icon.png"],
      includeManifestIcons: false,
      injectManifest: {
        // The shell: scripts, styles, the page, small icons. Source maps and the large icons
        // (fetched by the installer, not by the app) stay out of the precache.
        globPatterns: ["**/*.{js,css,html,webmanifest}", "icons/icon-192.png", "icons/shortcut-96.png"],
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
