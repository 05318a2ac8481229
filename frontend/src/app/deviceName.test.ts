import { describe, expect, it } from "vitest";
import { deviceName } from "./deviceName";

describe("a device's name in the signed-in list (issue #14 leftover 4)", () => {
  it.each([
    ["Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36", "Chrome on Android"],
    ["Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1", "Safari on iPhone"],
    ["Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/131.0.6778.73 Mobile/15E148 Safari/604.1", "Chrome on iPhone"],
    ["Mozilla/5.0 (Linux; Android 14; SAMSUNG SM-S911B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/25.0 Chrome/121.0.0.0 Mobile Safari/537.36", "Samsung Internet on Android"],
    ["Mozilla/5.0 (Android 14; Mobile; rv:132.0) Gecko/132.0 Firefox/132.0", "Firefox on Android"],
    ["Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0", "Edge on Windows"],
    ["Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15", "Safari on Mac"],
    ["Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36", "Chrome on Linux"],
  ])("%s → %s", (ua, name) => {
    expect(deviceName(ua)).toBe(name);
  });

  it("an iPad that asks for desktop pages is not a Mac", () => {
    const ua = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15";
    expect(deviceName(ua, undefined, 5)).toBe("Safari on iPad");
  });

  it("takes the client hints where the agent string says too little", () => {
    const vague = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
    expect(deviceName(vague, { platform: "Android", mobile: true, brands: [{ brand: "Not A(Brand" }, { brand: "Google Chrome" }] })).toBe("Chrome on Android");
    expect(deviceName(vague, { platform: "Chrome OS", brands: [{ brand: "Microsoft Edge" }] })).toBe("Edge on Chromebook");
  });

  it("says what it knows when it knows little", () => {
    expect(deviceName("curl/8.0")).toBe("A web browser");
    expect(deviceName("Something (X11; Linux)")).toBe("A browser on Linux");
  });
});
