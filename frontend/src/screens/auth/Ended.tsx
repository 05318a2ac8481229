/**
 * On the sign-in screen after her session ended elsewhere (app/ended.ts): why, that her data is
 * kept hidden on this phone until she signs in again as herself, and "Remove my data from this
 * phone" for a phone that is lost, passed on or shared. If the account was deleted meanwhile,
 * the server says so to the ended token, and everything of hers is removed at once.
 */
import { useEffect, useState } from "preact/hooks";
import { endedSession, endedWhy, maskedEmail, rememberEnded } from "../../app/ended";
import { removeEverythingOf } from "../../app/runtime";
import { dbName } from "../../app/session";
import { Store } from "../../storage/store";
import { endedReason } from "../../sync/engine";

/** How many changes wait in her outbox, without creating a database that is not there. */
async function unsentIn(email: string): Promise<number> {
  const name = dbName(email);
  try {
    if (!(await indexedDB.databases()).some((d) => d.name === name)) return 0;
  } catch {
    return 0;
  }
  const store = Store.open(name);
  try {
    return (await store.counts()).pending;
  } finally {
    store.db.close();
  }
}

/** Asks the server, with the ended token, whether the account behind it was deleted. */
async function accountDeleted(token: string): Promise<boolean> {
  try {
    const r = await fetch("/api/v1/profile", { headers: { Authorization: `Bearer ${token}` } });
    return r.status === 401 && endedReason(await r.json().catch(() => null)) === "account_deleted";
  } catch {
    return false; // Offline: asked again the next time this screen opens.
  }
}

/**
 * An address that may break after its "@" and its dots on a narrow screen (at 200 % text a long
 * one does not fit a line), never inside its words.
 */
function Address(props: { email: string }) {
  const parts = props.email.split(/(?<=[@.])/);
  return <>{parts.map((p, i) => (i === 0 ? p : [<wbr key={i} />, p]))}</>;
}

export function EndedNotice() {
  const [ended, setEnded] = useState(endedSession);
  const [unsent, setUnsent] = useState(0);
  const [removed, setRemoved] = useState<"all" | "sent" | null>(null);
  const [busy, setBusy] = useState(false);
  // Changes not yet sent are lost by a removal: a second tap, as sign-out asks in Settings.
  const [confirming, setConfirming] = useState(false);

  useEffect(() => {
    if (!ended) return;
    void unsentIn(ended.email).then(setUnsent);
    void accountDeleted(ended.token).then(async (gone) => {
      if (!gone) return;
      await removeEverythingOf(ended.email);
      location.replace("/signin?deleted=1");
    });
  }, [ended]);

  if (removed) {
    return (
      <p role="status" class="warn" data-testid="ended-removed">
        {removed === "all"
          ? "Your data was removed from this phone. It is still in your account: sign in to see it again."
          : "Your data was removed from this phone. What was sent is still in your account: sign in to see it again."}
      </p>
    );
  }
  if (!ended) return null;
  const remove = async () => {
    if (unsent > 0 && !confirming) {
      setConfirming(true);
      return;
    }
    setBusy(true);
    await removeEverythingOf(ended.email);
    rememberEnded(null);
    setEnded(null);
    setRemoved(unsent > 0 ? "sent" : "all");
  };
  const changes = `${unsent} change${unsent === 1 ? "" : "s"}`;
  return (
    <div role="alert" class="warn" data-testid="session-ended">
      <p>
        <strong>Please sign in again.</strong> {endedWhy(ended.reason)} What you logged stays hidden on this phone until <Address email={maskedEmail(ended.email)} /> signs in again here
        {unsent > 0 ? `; ${changes} not yet sent ${unsent === 1 ? "is" : "are"} sent then.` : "."}
      </p>
      <p>Passing this phone on, or sharing it? Remove your data from it: your account keeps everything that was sent{unsent > 0 ? `, but the ${changes} not yet sent will be lost` : ""}.</p>
      {confirming ? (
        <>
          <p data-testid="ended-remove-confirm-words">
            <strong>{`The ${changes} not yet sent will be lost.`}</strong> Sign in again to send them first, or remove them with the rest.
          </p>
          <button type="button" class="btn btn-block" data-testid="ended-remove-confirm" disabled={busy} onClick={() => void remove()}>
            {`Remove my data and the ${changes}`}
          </button>
          <button type="button" class="btn btn-quiet btn-block" onClick={() => setConfirming(false)}>
            Keep them
          </button>
        </>
      ) : (
        <button type="button" class="btn btn-block" data-testid="ended-remove" disabled={busy} onClick={() => void remove()}>
          Remove my data from this phone
        </button>
      )}
    </div>
  );
}
