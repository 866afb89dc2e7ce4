import type { Ledger } from './ledger.js';

type Device = { readonly name: string; readonly state: string; readonly request_id: number | null; readonly held_by?: string; readonly comments: string };
type Request = { readonly id: number; readonly state: string; readonly assigned_device: string; readonly expires: string };

/** What one look at a restarted server found wrong, by kind. */
export type Findings = {
  /** Acknowledged commands checked against what the server shows. */
  readonly checked: number;
  /** Acknowledged commands the server does not show. */
  readonly lost: string[];
  /** Devices held by a request that is closed, failed or unknown, or by a VM that is not running. */
  readonly stranded: string[];
  /** Devices two open holders claim. */
  readonly doubles: string[];
  /** Open requests whose lease ended more than a second before the server answered again. */
  readonly overdue: string[];
};

async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  return (await response.json()) as T;
}

function isOpen(state: string): boolean {
  return state !== 'closed' && !state.startsWith('failed_') && state !== 'expired';
}

/**
 * Checks a server that has just come back against the ledger: every acknowledged command shows,
 * every held device has a live holder, no device has two, no lease outlived its expiry by more than
 * a second (`answeredAtMs`: when the server answered again; a lease that ended while it was down
 * must be closed a second after that: the check looks then).
 */
export async function checkServer(url: string, ledger: Ledger, answeredAtMs: number): Promise<Findings> {
  // A lease that ran out while the server was down has until a second after its first answer.
  const waitMs = answeredAtMs + 1_000 - Date.now();
  if (waitMs > 0) await new Promise((resolve) => setTimeout(resolve, waitMs));
  const lookedAtMs = Date.now();
  const devices = (await getJson<{ devices: Device[] }>(`${url}/api/device/list/?details=1`)).devices;
  const requests = (await getJson<{ requests: Request[] }>(`${url}/api/request/list/?include_closed=1`)).requests;
  const byId = new Map(requests.map((request) => [request.id, request]));
  const lost: string[] = [];
  const doubles: string[] = [];
  const overdue: string[] = [];
  let checked = 0;

  for (const record of ledger.requests()) {
    checked++;
    const request =
      byId.get(record.id) ??
      (await fetch(`${url}/api/request/${record.id}/status/`).then((response) => (response.ok ? { id: record.id, state: 'exists', assigned_device: '', expires: '' } : undefined)));
    if (request === undefined) lost.push(`request ${record.id} (opened) is unknown`);
    else if (record.returned && isOpen(request.state)) lost.push(`request ${record.id} (returned) is ${request.state}`);
    else if (!record.unsure && !record.returned && request.expires !== '' && Date.parse(request.expires) < record.expiresNoEarlierThanMs - 1_000) {
      lost.push(`request ${record.id} expires ${request.expires}, before its acknowledged ${new Date(record.expiresNoEarlierThanMs).toISOString()}`);
    }
  }
  for (const [device, record] of ledger.comments()) {
    checked++;
    const shown = devices.find((candidate) => candidate.name === device)?.comments;
    if (shown !== record.acked && shown !== record.inFlight) lost.push(`${device} comments '${shown}', acknowledged '${record.acked}'`);
  }
  for (const [host, record] of ledger.hosts()) {
    checked++;
    if (record.unsure) continue;
    const answer = await fetch(`${url}/api/v1/vm/${host}`);
    const body = (await answer.json().catch(() => ({}))) as Record<string, { state?: string }>;
    const running = answer.ok && body[host]?.state === 'running';
    if (record.checkedOut !== running) lost.push(`vm ${host} ${record.checkedOut ? 'checked out' : 'deleted'}, shown ${running ? 'running' : (body[host]?.state ?? String(answer.status))}`);
  }

  const claims = new Map<string, string[]>();
  const claim = (device: string, by: string) => claims.set(device, [...(claims.get(device) ?? []), by]);
  for (const request of requests) {
    if (!isOpen(request.state)) continue;
    if (request.assigned_device !== '') claim(request.assigned_device, `request ${request.id}`);
    if (Date.parse(request.expires) < lookedAtMs - 1_000) overdue.push(`request ${request.id} (${request.state}) expired ${request.expires}, still open`);
  }
  for (const device of devices) if (device.held_by?.startsWith('vm ')) claim(device.name, device.held_by);
  for (const [device, by] of claims) if (by.length > 1) doubles.push(`${device}: ${by.join(', ')}`);
  return { checked, lost, stranded: await strandedFor(url, devices, byId), doubles, overdue };
}

/** Bounds only how long a broken build takes to fail: a holder's release reaches its device within moments. */
const STRANDED_PATIENCE_MS = 20_000;

/**
 * Devices held by a holder that let them go. A lease closed at restart (its expiry overdue) releases
 * its device a moment later: a device counts as stranded only while it stays held, so the look is
 * taken again until none is left or the patience runs out.
 */
async function strandedFor(url: string, devices: readonly Device[], byId: ReadonlyMap<number, Request>): Promise<string[]> {
  const giveUpAtMs = Date.now() + STRANDED_PATIENCE_MS;
  let stranded = await strandedAmong(url, devices, byId);
  while (stranded.length > 0 && Date.now() < giveUpAtMs) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const again = (await getJson<{ devices: Device[] }>(`${url}/api/device/list/?details=1`)).devices;
    const requests = (await getJson<{ requests: Request[] }>(`${url}/api/request/list/?include_closed=1`)).requests;
    stranded = await strandedAmong(url, again, new Map(requests.map((request) => [request.id, request])));
  }
  return stranded;
}

async function strandedAmong(url: string, devices: readonly Device[], byId: ReadonlyMap<number, Request>): Promise<string[]> {
  const stranded: string[] = [];
  for (const device of devices) {
    if (device.request_id !== null) {
      const request = byId.get(device.request_id);
      if (request === undefined || !isOpen(request.state)) stranded.push(`${device.name} held by request ${device.request_id} (${request?.state ?? 'unknown'})`);
      else if (request.assigned_device !== device.name) stranded.push(`${device.name} held by request ${device.request_id}, which holds ${request.assigned_device || 'nothing'}`);
    }
    if (device.held_by?.startsWith('vm ')) {
      const answer = await fetch(`${url}/api/v1/vm/${device.name}`);
      const body = (await answer.json().catch(() => ({}))) as Record<string, { state?: string }>;
      if (body[device.name]?.state !== 'running') stranded.push(`${device.name} held by ${device.held_by}, which is not running`);
    }
  }
  return stranded;
}
