/**
 * What the fault suite's clients were told: every command a server answered 2xx, and the commands
 * in flight when it died (which may or may not have happened). After each restart, `reflection`
 * says which acknowledged commands the server no longer shows.
 */

/** One client's last word on a MozPool request. */
type RequestRecord = {
  readonly id: number;
  /** Acknowledged: opened, then maybe renewed; `returned` once a return was acknowledged. */
  returned: boolean;
  /** The latest expiry a server acknowledged, from the client's clock when it sent the command (the server's is later). */
  expiresNoEarlierThanMs: number;
  /** A return or renewal sent and not answered: the server may have done it. */
  unsure: boolean;
};

/** The last acknowledged vmpooler command on a host, and whether another was in flight. */
type HostRecord = { checkedOut: boolean; unsure: boolean };

/** The last acknowledged comment of a device, and the one in flight. */
type CommentRecord = { acked: string | undefined; inFlight: string | undefined };

export type Ledger = ReturnType<typeof createLedger>;

export function createLedger() {
  const requests = new Map<number, RequestRecord>();
  const hosts = new Map<string, HostRecord>();
  const comments = new Map<string, CommentRecord>();
  let acknowledged = 0;
  /** Checkouts sent and not answered: any host they could take may be checked out. */
  let checkoutsInFlight = 0;

  const host = (name: string) => {
    let record = hosts.get(name);
    if (record === undefined) hosts.set(name, (record = { checkedOut: false, unsure: false }));
    return record;
  };
  const comment = (device: string) => {
    let record = comments.get(device);
    if (record === undefined) comments.set(device, (record = { acked: undefined, inFlight: undefined }));
    return record;
  };

  return {
    get acknowledged() {
      return acknowledged;
    },
    requests: () => [...requests.values()],
    hosts: () => [...hosts.entries()],
    comments: () => [...comments.entries()],
    opened(id: number, sentAtMs: number, durationS: number) {
      acknowledged++;
      requests.set(id, { id, returned: false, expiresNoEarlierThanMs: sentAtMs + durationS * 1000, unsure: false });
    },
    /** A return or renew about to be sent: until answered, the request's fate is open. */
    sending(id: number) {
      const record = requests.get(id);
      if (record) record.unsure = true;
    },
    returned(id: number) {
      acknowledged++;
      const record = requests.get(id)!;
      record.returned = true;
      record.unsure = false;
    },
    renewed(id: number, sentAtMs: number, durationS: number) {
      acknowledged++;
      const record = requests.get(id)!;
      record.expiresNoEarlierThanMs = sentAtMs + durationS * 1000;
      record.unsure = false;
    },
    hostSending(name: string) {
      host(name).unsure = true;
    },
    checkoutSending() {
      checkoutsInFlight++;
    },
    checkoutAnswered() {
      checkoutsInFlight--;
    },
    checkedOut(name: string) {
      acknowledged++;
      hosts.set(name, { checkedOut: true, unsure: false });
    },
    deleted(name: string) {
      acknowledged++;
      hosts.set(name, { checkedOut: false, unsure: false });
    },
    commentSending(device: string, text: string) {
      comment(device).inFlight = text;
    },
    commented(device: string, text: string) {
      acknowledged++;
      comments.set(device, { acked: text, inFlight: undefined });
    },
    /**
     * The server died. What was in flight stays unsure (it may or may not have happened) until the
     * next acknowledged command on the same thing; a checkout in flight may have taken any host.
     */
    killed() {
      if (checkoutsInFlight > 0) for (const record of hosts.values()) if (!record.checkedOut) record.unsure = true;
      checkoutsInFlight = 0;
    },
  };
}
