import snmp from 'net-snmp';
import { oidPrefix, type PduModel } from '../hardware/power/pdu-models.js';
import type { OutletBank, OutletCommand } from './pdu-outlets.js';

/** What a column of a simulated outlet table does: take commands, show the state, or both (APC sPDUOutletCtl). */
type ColumnRole = 'control' | 'state' | 'both';

/** One SNMP table of outlets: its entry OID, and its columns, each indexed by outlet number. */
type OutletTable = { readonly entryOid: string; readonly columns: ReadonlyMap<number, ColumnRole> };

/** The part of net-snmp's MibRequest our handler uses (its typings leave the agent side `any`). */
type MibRequest = {
  readonly oid: string;
  readonly operation: number;
  readonly setValue?: unknown;
  readonly testSet?: boolean;
  readonly commitSet?: boolean;
  readonly instanceNode: { value: unknown };
  done(error?: { readonly errorStatus: number; readonly type: number; readonly value: null }): void;
};

/** The part of net-snmp's Mib the simulator uses. */
export type SimMib = {
  registerProvider(provider: object): void;
  addTableRow(providerName: string, row: readonly number[]): void;
};

/** Times of one exchange the agent handled, for tests that check exchanges never overlap. */
export type SimulatedExchange = { readonly kind: 'get' | 'set'; readonly outlet: number; readonly startedAtMs: number; readonly answeredAtMs: number };

/** What the outlet tables serve and where their handlers report. */
export type OutletMibOptions = {
  readonly model: PduModel;
  readonly bank: OutletBank;
  /** Delay before answering (and, for a SET, before checking the value): a slow PDU. */
  readonly answerDelayMs: number;
  /** A GET of an outlet that is on is answered once this resolves (see SimulatedPduOptions). */
  readonly holdReadBack?: (outlet: number) => Promise<void>;
  readonly record: (exchange: SimulatedExchange) => void;
};

/**
 * Registers the model's outlet tables in `mib`: the instance of outlet n of a column is
 * `<entry>.<column>.<n>`, so the model's templates (`<entry>.<column>.{outlet}`) address it.
 * Returns the function that silences the handlers before the agent's socket closes.
 */
export function registerOutletTables(mib: SimMib, options: OutletMibOptions): () => void {
  // Answers come later (a delayed answer, a SET's commit pass); one sent after the socket closed would
  // throw inside a timer, so once silenced the handlers answer nothing.
  let silenced = false;
  for (const table of outletTables(options.model)) {
    const name = `outlets-${table.entryOid}`;
    const columnNumbers = [...table.columns.keys()];
    const indexColumn = Math.max(...columnNumbers) + 1;
    mib.registerProvider({
      name,
      type: snmp.MibProviderType.Table,
      oid: table.entryOid,
      maxAccess: snmp.MaxAccess['not-accessible'],
      tableColumns: [
        ...columnNumbers.map((number) => ({
          number,
          name: `column${number}`,
          type: snmp.ObjectType.Integer,
          maxAccess: table.columns.get(number) === 'state' ? snmp.MaxAccess['read-only'] : snmp.MaxAccess['read-write'],
        })),
        { number: indexColumn, name: 'outletIndex', type: snmp.ObjectType.Integer, maxAccess: snmp.MaxAccess['not-accessible'] },
      ],
      tableIndex: [{ columnName: 'outletIndex' }],
      handler: createHandler(table, options, () => silenced),
    });
    for (let outlet = 1; outlet <= options.bank.count; outlet += 1) {
      mib.addTableRow(name, [...columnNumbers.map((number) => readValue(options.model, table.columns.get(number), false)), outlet]);
    }
  }
  return () => void (silenced = true);
}

function outletTables(model: PduModel): readonly OutletTable[] {
  const control = splitColumn(oidPrefix(model.outletControlOid));
  const state = splitColumn(oidPrefix(model.outletStateOid));
  if (control.entryOid === state.entryOid && control.column === state.column) return [{ entryOid: control.entryOid, columns: new Map([[control.column, 'both']]) }];
  if (control.entryOid === state.entryOid)
    return [
      {
        entryOid: control.entryOid,
        columns: new Map<number, ColumnRole>([
          [control.column, 'control'],
          [state.column, 'state'],
        ]),
      },
    ];
  return [
    { entryOid: control.entryOid, columns: new Map([[control.column, 'control']]) },
    { entryOid: state.entryOid, columns: new Map([[state.column, 'state']]) },
  ];
}

function splitColumn(prefix: string): { readonly entryOid: string; readonly column: number } {
  const cut = prefix.lastIndexOf('.');
  return { entryOid: prefix.slice(0, cut), column: Number(prefix.slice(cut + 1)) };
}

function createHandler(table: OutletTable, options: OutletMibOptions, isSilenced: () => boolean): (request: MibRequest) => void {
  const starts = new WeakMap<MibRequest, number>();
  return (request) => {
    const [column = NaN, outlet = NaN] = request.oid
      .slice(table.entryOid.length + 1)
      .split('.')
      .map(Number);
    const role = table.columns.get(column);
    const isSet = request.operation === snmp.PduType.SetRequest;
    const answer = (error?: number) => {
      if (isSilenced()) return;
      if (!isSet) request.instanceNode.value = readValue(options.model, role, options.bank.isOn(outlet));
      if (error !== undefined || !request.testSet) options.record({ kind: isSet ? 'set' : 'get', outlet, startedAtMs: starts.get(request) ?? performance.now(), answeredAtMs: performance.now() });
      request.done(error === undefined ? undefined : { errorStatus: error, type: snmp.ObjectType.Null, value: null });
    };
    if (request.commitSet) {
      // net-snmp runs a SET's handler twice (testSet, then commitSet): only the commit acts.
      const command = commandFor(options.model, request.setValue);
      if (command !== undefined) options.bank.command(outlet, command);
      return answer();
    }
    starts.set(request, performance.now());
    const check = () => (isSet && commandFor(options.model, request.setValue) === undefined ? answer(snmp.ErrorStatus.WrongValue) : answer());
    const delayed = () => (options.answerDelayMs > 0 ? void setTimeout(check, options.answerDelayMs) : check());
    if (!isSet && options.holdReadBack !== undefined && options.bank.isOn(outlet)) void options.holdReadBack(outlet).then(delayed);
    else delayed();
  };
}

function commandFor(model: PduModel, value: unknown): OutletCommand | undefined {
  if (value === model.onValue) return 'on';
  if (value === model.offValue) return 'off';
  if (model.rebootValue !== undefined && value === model.rebootValue) return 'reboot';
  return undefined;
}

/** What a column reads: a state column the model's state values, a control-only column the command matching the state. */
function readValue(model: PduModel, role: ColumnRole | undefined, on: boolean): number {
  if (role === 'control') return on ? model.onValue : model.offValue;
  return on ? model.stateOnValue : model.stateOffValue;
}
