/**
 * The name a device signs in with (`device_name`), shown in Settings' list of signed-in devices:
 * "Chrome on Android", "Safari on iPhone". Read from the user agent, with the UA Client Hints
 * (`navigator.userAgentData`) where the agent string says too little: Chrome's reduced string
 * still names Android, but a browser may say "Linux" or nothing useful where the hints know.
 */

/** What `navigator.userAgentData` gives without asking (Chromium only). */
export interface UaHints {
  platform?: string;
  mobile?: boolean;
  brands?: readonly { brand: string }[];
}

const HINT_PLATFORMS: Record<string, string> = {
  Android: "Android",
  iOS: "iPhone",
  macOS: "Mac",
  Windows: "Windows",
  "Chrome OS": "Chromebook",
  ChromeOS: "Chromebook",
  Linux: "Linux",
};

const HINT_BRANDS: [RegExp, string][] = [
  [/Edge/, "Edge"],
  [/Opera/, "Opera"],
  [/Samsung/, "Samsung Internet"],
  [/Chrome|Chromium/, "Chrome"],
];

function systemOf(ua: string, hints: UaHints | undefined, touchPoints: number): string | null {
  if (/iPhone|iPod/.test(ua)) return "iPhone";
  if (/iPad/.test(ua)) return "iPad";
  if (/Android/.test(ua)) return "Android";
  if (/CrOS/.test(ua)) return "Chromebook";
  if (/Windows/.test(ua)) return "Windows";
  // An iPad asks for desktop pages as a Mac; a Mac has no touch screen.
  if (/Macintosh|Mac OS X/.test(ua)) return touchPoints > 1 ? "iPad" : "Mac";
  const hinted = hints?.platform ? HINT_PLATFORMS[hints.platform] : undefined;
  if (hinted) return hinted;
  if (/Linux/.test(ua)) return hints?.mobile ? "Android" : "Linux";
  return null;
}

function browserOf(ua: string, hints: UaHints | undefined): string | null {
  // On iPhone and iPad every browser is Safari's engine; the others add their own token.
  if (/CriOS\//.test(ua)) return "Chrome";
  if (/FxiOS\//.test(ua)) return "Firefox";
  if (/EdgiOS\//.test(ua)) return "Edge";
  if (/SamsungBrowser\//.test(ua)) return "Samsung Internet";
  if (/Edg(A|e)?\//.test(ua)) return "Edge";
  if (/OPR\/|Opera/.test(ua)) return "Opera";
  if (/Firefox\//.test(ua)) return "Firefox";
  for (const { brand } of hints?.brands ?? []) {
    const found = HINT_BRANDS.find(([re]) => re.test(brand));
    if (found) return found[1];
  }
  if (/Chrome\/|Chromium\//.test(ua)) return "Chrome";
  if (/Safari\//.test(ua)) return "Safari";
  return null;
}

/** "Chrome on Android", "Safari on iPhone"; "A browser on Linux" or "This browser" when unsure. */
export function deviceName(ua: string, hints?: UaHints, touchPoints = 0): string {
  const system = systemOf(ua, hints, touchPoints);
  const browser = browserOf(ua, hints);
  if (browser && system) return `${browser} on ${system}`;
  if (system) return `A browser on ${system}`;
  return browser ?? "A web browser";
}

/** This browser's name, from `navigator`. */
export function thisDeviceName(): string {
  const nav = navigator as Navigator & { userAgentData?: UaHints };
  return deviceName(nav.userAgent, nav.userAgentData, nav.maxTouchPoints ?? 0);
}
