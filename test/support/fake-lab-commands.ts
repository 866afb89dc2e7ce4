import type { LabCommands, LabResult, RequestDeviceInput } from '../../src/dialects/mozpool/actors/lab-commands.js';
import type { EventMetadata } from '../../src/store/port.js';

/** One call the HTTP layer made, without its metadata. */
export type LabCall = { readonly method: keyof LabCommands; readonly args: readonly unknown[] };

type Refusal = { readonly status: 400 | 404 | 409; readonly message: string };

/**
 * An in-memory {@link LabCommands}: records every call (and its metadata), answers ok by default,
 * and refuses a method once told to. `onRequestDevice` lets a test put the new request into its
 * read models, as the real lab does before it resolves.
 */
export class FakeLabCommands implements LabCommands {
  readonly calls: LabCall[] = [];
  readonly metadata: EventMetadata[] = [];
  nextRequestId = 1;
  pingSuccess = true;
  onRequestDevice: (input: RequestDeviceInput, requestId: number) => void = () => {
    // Tests that follow requests set their own.
  };
  private readonly refusals = new Map<keyof LabCommands, Refusal>();

  /** Makes every later call of `method` refuse with this status and message. */
  refuse(method: keyof LabCommands, status: Refusal['status'], message: string): void {
    this.refusals.set(method, { status, message });
  }

  private answer<Value>(method: keyof LabCommands, args: readonly unknown[], metadata: EventMetadata, value: () => Value): Promise<LabResult<Value>> {
    this.calls.push({ method, args });
    this.metadata.push(metadata);
    const refusal = this.refusals.get(method);
    if (refusal !== undefined) return Promise.resolve({ ok: false, ...refusal });
    return Promise.resolve({ ok: true, value: value() });
  }

  requestDevice(input: RequestDeviceInput, metadata: EventMetadata) {
    return this.answer('requestDevice', [input], metadata, () => {
      const requestId = this.nextRequestId++;
      this.onRequestDevice(input, requestId);
      return { requestId };
    });
  }
  renewRequest(id: number, durationS: number, metadata: EventMetadata) {
    return this.answer('renewRequest', [id, durationS], metadata, () => null);
  }
  returnRequest(id: number, metadata: EventMetadata) {
    return this.answer('returnRequest', [id], metadata, () => null);
  }
  requestEvent(id: number, event: string, metadata: EventMetadata) {
    return this.answer('requestEvent', [id, event], metadata, () => null);
  }
  deviceEvent(device: string, event: string, args: Readonly<Record<string, unknown>>, metadata: EventMetadata) {
    return this.answer('deviceEvent', [device, event, args], metadata, () => null);
  }
  forceState(device: string, from: string, to: string, metadata: EventMetadata) {
    return this.answer('forceState', [device, from, to], metadata, () => null);
  }
  powerCycle(device: string, options: { readonly pxeConfig?: string; readonly bootConfig?: string }, metadata: EventMetadata) {
    return this.answer('powerCycle', [device, options], metadata, () => null);
  }
  powerOff(device: string, metadata: EventMetadata) {
    return this.answer('powerOff', [device], metadata, () => null);
  }
  ping(device: string, metadata: EventMetadata) {
    return this.answer('ping', [device], metadata, () => ({ success: this.pingSuccess }));
  }
  clearPxe(device: string, metadata: EventMetadata) {
    return this.answer('clearPxe', [device], metadata, () => null);
  }
  setComments(device: string, comments: string, metadata: EventMetadata) {
    return this.answer('setComments', [device, comments], metadata, () => null);
  }
  setEnvironment(device: string, environment: string, metadata: EventMetadata) {
    return this.answer('setEnvironment', [device, environment], metadata, () => null);
  }
  bootImage(device: string, image: string, bootConfig: string, metadata: EventMetadata) {
    return this.answer('bootImage', [device, image, bootConfig], metadata, () => null);
  }
  bootComplete(device: string, metadata: EventMetadata) {
    return this.answer('bootComplete', [device], metadata, () => null);
  }
}
