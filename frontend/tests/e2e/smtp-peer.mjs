// A tiny SMTP server for the e2e backend (FORTIFY_SMTP_URL=smtp://127.0.0.1:PORT): it speaks
// just enough of RFC 5321 for Python's smtplib (EHLO, MAIL, RCPT, DATA, QUIT), keeps every
// message, and lets a test wait for the link in the newest mail to an address.
import { createServer } from "node:net";

export class SmtpPeer {
  constructor() {
    this.messages = [];
    this.waiters = [];
  }

  async start() {
    this.server = createServer((socket) => this.converse(socket));
    await new Promise((res) => this.server.listen(0, "127.0.0.1", res));
    this.port = this.server.address().port;
  }

  converse(socket) {
    let buffer = "";
    let inData = false;
    let rcpt = [];
    const say = (line) => socket.write(`${line}\r\n`);
    say("220 fortify-e2e ESMTP");
    socket.on("data", (chunk) => {
      buffer += chunk.toString("utf8");
      for (;;) {
        if (inData) {
          const end = buffer.indexOf("\r\n.\r\n");
          if (end < 0) return;
          const raw = buffer.slice(0, end).replace(/\r\n\.\./g, "\r\n.");
          buffer = buffer.slice(end + 5);
          inData = false;
          this.messages.push({ to: rcpt, raw, text: decode(raw) });
          rcpt = [];
          say("250 OK");
          for (const w of this.waiters.splice(0)) w();
          continue;
        }
        const nl = buffer.indexOf("\r\n");
        if (nl < 0) return;
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 2);
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === "EHLO" || verb === "HELO") say("250 fortify-e2e");
        else if (verb === "MAIL") say("250 OK");
        else if (verb === "RCPT") {
          rcpt.push((/<([^>]*)>/.exec(line) ?? [])[1]);
          say("250 OK");
        } else if (verb === "DATA") {
          inData = true;
          say("354 End data with <CR><LF>.<CR><LF>");
        } else if (verb === "QUIT") {
          say("221 Bye");
          socket.end();
          return;
        } else say("250 OK");
      }
    });
    socket.on("error", () => undefined);
  }

  /** The newest /verify or /reset link mailed to `email`, waiting up to `timeout` ms for it. */
  async link(email, kind = "verify", { after = 0, timeout = 15_000 } = {}) {
    const deadline = Date.now() + timeout;
    for (;;) {
      const found = this.messages
        .slice(after)
        .filter((m) => m.to.includes(email))
        .map((m) => new RegExp(`https?://\\S+/${kind}#token=[\\w-]+`).exec(m.text)?.[0])
        .filter(Boolean)
        .at(-1);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no ${kind} link mailed to ${email}`);
      await new Promise((res) => {
        this.waiters.push(res);
        setTimeout(res, 500);
      });
    }
  }

  stop() {
    this.server?.close();
  }
}

/** The body of a plain-text mail (quoted-printable or 7bit, as Python's email package writes). */
function decode(raw) {
  const [head, ...rest] = raw.split("\r\n\r\n");
  const body = rest.join("\r\n\r\n");
  if (/content-transfer-encoding:\s*quoted-printable/i.test(head)) {
    return body.replace(/=\r\n/g, "").replace(/=([0-9A-F]{2})/g, (_m, h) => String.fromCharCode(parseInt(h, 16)));
  }
  if (/content-transfer-encoding:\s*base64/i.test(head)) return Buffer.from(body, "base64").toString("utf8");
  return body;
}
