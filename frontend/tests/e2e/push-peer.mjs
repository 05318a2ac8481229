// A local Web Push peer for the e2e tests (the JavaScript twin of tests/reminders/push_peer.py):
// an HTTP server on 127.0.0.1 standing in for a browser's push service. The test makes each
// subscription's P-256 key pair and auth secret itself (headless Chromium cannot subscribe),
// registers the endpoint with the backend, and the peer checks every delivery the way a push
// service and a browser would: VAPID JWT (ES256 against the `k=` key, `aud` = this origin, `exp`
// ahead), TTL > 0, an Urgency, then decrypts the aes128gcm body (RFC 8188/8291). The decrypted
// JSON is what the test hands to the service worker with CDP ServiceWorker.deliverPushMessage.
import { createECDH, createHmac, createDecipheriv, createPublicKey, randomBytes, verify } from "node:crypto";
import { createServer } from "node:http";

const b64url = (buf) => Buffer.from(buf).toString("base64url");
const unb64url = (s) => Buffer.from(s, "base64url");
const hmac = (key, data) => createHmac("sha256", key).update(data).digest();

/** RFC 8291 §3.4 and RFC 8188: the content-encryption key and nonce, then one record. */
export function decryptAes128gcm(body, uaPrivate, uaPublic, authSecret) {
  const salt = body.subarray(0, 16);
  const rs = body.readUInt32BE(16);
  const idlen = body[20];
  const asPublic = body.subarray(21, 21 + idlen);
  const ciphertext = body.subarray(21 + idlen);
  if (ciphertext.length > rs) throw new Error("more than one record: unexpected for a small payload");
  const ecdh = createECDH("prime256v1");
  ecdh.setPrivateKey(uaPrivate);
  const secret = ecdh.computeSecret(asPublic);
  const prkKey = hmac(authSecret, secret);
  const keyInfo = Buffer.concat([Buffer.from("WebPush: info\0"), uaPublic, asPublic, Buffer.from([1])]);
  const ikm = hmac(prkKey, keyInfo);
  const prk = hmac(salt, ikm);
  const cek = hmac(prk, Buffer.from("Content-Encoding: aes128gcm\0\x01", "binary")).subarray(0, 16);
  const nonce = hmac(prk, Buffer.from("Content-Encoding: nonce\0\x01", "binary")).subarray(0, 12);
  const decipher = createDecipheriv("aes-128-gcm", cek, nonce);
  decipher.setAuthTag(ciphertext.subarray(ciphertext.length - 16));
  const padded = Buffer.concat([decipher.update(ciphertext.subarray(0, ciphertext.length - 16)), decipher.final()]);
  // The last record ends with the delimiter 0x02 followed by zero padding.
  let end = padded.length - 1;
  while (end >= 0 && padded[end] === 0) end -= 1;
  if (padded[end] !== 2) throw new Error("bad padding delimiter");
  return padded.subarray(0, end);
}

function checkVapid(authorization, origin) {
  const [scheme, params = ""] = authorization.split(/ (.*)/s);
  if ((scheme ?? "").toLowerCase() !== "vapid") throw new Error(`Authorization scheme must be vapid (${scheme})`);
  const parts = Object.fromEntries(params.split(",").map((p) => p.trim().split(/=(.*)/s).slice(0, 2)));
  const [h, c, sig] = parts.t.split(".");
  const header = JSON.parse(unb64url(h).toString());
  if (header.alg !== "ES256") throw new Error("alg must be ES256");
  const raw = unb64url(parts.k);
  const key = createPublicKey({
    key: { kty: "EC", crv: "P-256", x: b64url(raw.subarray(1, 33)), y: b64url(raw.subarray(33, 65)) },
    format: "jwk",
  });
  const ok = verify("sha256", Buffer.from(`${h}.${c}`), { key, dsaEncoding: "ieee-p1363" }, unb64url(sig));
  if (!ok) throw new Error("VAPID signature does not verify");
  const claims = JSON.parse(unb64url(c).toString());
  if (claims.aud !== origin) throw new Error(`aud must be ${origin}, got ${claims.aud}`);
  const now = Date.now() / 1000;
  if (!(claims.exp > now && claims.exp <= now + 24 * 3600)) throw new Error("exp out of range");
  return claims;
}

export class PushPeer {
  constructor() {
    this.subscriptions = new Map();
    this.deliveries = [];
    this.errors = [];
  }

  async start() {
    this.server = createServer((req, res) => {
      const chunks = [];
      req.on("data", (d) => chunks.push(d));
      req.on("end", () => this.handle(req, Buffer.concat(chunks), res));
    });
    await new Promise((r) => this.server.listen(0, "127.0.0.1", r));
    this.origin = `http://127.0.0.1:${this.server.address().port}`;
    return this;
  }

  stop() {
    return new Promise((r) => this.server.close(r));
  }

  /** A browser's side of a new subscription: its private key stays here. */
  subscribe() {
    const ecdh = createECDH("prime256v1");
    ecdh.generateKeys();
    const token = randomBytes(12).toString("hex");
    const sub = { token, ecdh, auth: randomBytes(16), endpoint: `${this.origin}/push/${token}` };
    this.subscriptions.set(token, sub);
    return sub;
  }

  /** `PushSubscription.toJSON()` of a subscription made by `subscribe()`. */
  static toJSON(sub) {
    return { endpoint: sub.endpoint, expirationTime: null, keys: { p256dh: b64url(sub.ecdh.getPublicKey()), auth: b64url(sub.auth) } };
  }

  payloads(sub) {
    return this.deliveries.filter((d) => !sub || d.token === sub.token).map((d) => d.payload);
  }

  handle(req, body, res) {
    const token = req.url.split("/").pop();
    const sub = this.subscriptions.get(token);
    if (req.method !== "POST" || !sub) {
      res.writeHead(404).end();
      return;
    }
    try {
      checkVapid(req.headers.authorization ?? "", this.origin);
      if (!(Number(req.headers.ttl) > 0)) throw new Error("TTL must be above 0");
      if (!["very-low", "low", "normal", "high"].includes(req.headers.urgency)) throw new Error("no Urgency");
      if (req.headers["content-encoding"] !== "aes128gcm") throw new Error("Content-Encoding must be aes128gcm");
      const plain = decryptAes128gcm(body, sub.ecdh.getPrivateKey(), sub.ecdh.getPublicKey(), sub.auth);
      this.deliveries.push({ token, payload: JSON.parse(plain.toString("utf8")), at: Date.now() });
      res.writeHead(201).end();
    } catch (error) {
      this.errors.push(String(error));
      res.writeHead(403).end();
    }
  }
}
