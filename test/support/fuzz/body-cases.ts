import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { isNestedDeeperThan, MAX_JSON_BODY_DEPTH } from '../../../src/http/json-depth.js';
import { deeplyNested } from './garbage.js';
import type { Prng } from './prng.js';

type JsonSchema = {
  readonly type?: string | readonly string[];
  readonly required?: readonly string[];
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly anyOf?: readonly JsonSchema[];
  readonly minLength?: number;
  readonly minimum?: number;
};

/** A JSON body and whether the route must refuse it. */
export interface BodyCase {
  readonly text: string;
  readonly mutation: string;
  /** The route's body schema refuses it (checked with ajv, not assumed), or it is nested too deep for any route. */
  readonly refused: boolean;
}

const ajv = new Ajv({ strict: false, allErrors: false });
addFormats.default(ajv);
const validators = new WeakMap<object, ValidateFunction>();

function validatorOf(schema: object): ValidateFunction {
  let validate = validators.get(schema);
  if (validate === undefined) {
    validate = ajv.compile(schema);
    validators.set(schema, validate);
  }
  return validate;
}

/** A value the property's schema most likely takes: the start every mutation departs from. */
function sampleOf(schema: JsonSchema | undefined): unknown {
  const first = schema?.anyOf?.[0] ?? schema;
  const type = Array.isArray(first?.type) ? first.type[0] : first?.type;
  if (type === 'integer' || type === 'number') return Math.max(1, first?.minimum ?? 1);
  if (type === 'boolean') return true;
  if (type === 'object') return {};
  if (type === 'array') return [];
  return 'fuzz';
}

function takesObject(schema: JsonSchema): boolean {
  return [schema, ...(schema.anyOf ?? [])].some((option) => option.type === 'object' || (Array.isArray(option.type) && option.type.includes('object')));
}

function baselineOf(schema: JsonSchema): Record<string, unknown> {
  const names = [...(schema.required ?? []), ...Object.keys(schema.properties ?? {})];
  return Object.fromEntries(names.map((name) => [name, sampleOf(schema.properties?.[name])]));
}

/** Values of every JSON type, and some that stress whoever stores or prints them. */
function oddValue(prng: Prng): unknown {
  return prng.pick<() => unknown>([
    () => null,
    () => prng.int(2) === 0,
    () => -1,
    () => 1e308,
    () => 2 ** 53 + 1,
    () => 0.5,
    () => '',
    () => 'x'.repeat(10_000),
    () => '\u0000\u202e\ud83d\udca9',
    () => [],
    () => [1, 'two', null],
    () => ({}),
    () => ({ nested: { deeper: [{}] } }),
  ])();
}

/** A key that no schema names: prototype keys, empty, long, unicode. */
function extraKey(prng: Prng): string {
  return prng.pick(['__proto__', 'constructor', 'prototype', '', 'x'.repeat(1_000), '\u0000', '☃', `fuzz_${prng.int(1000)}`]);
}

/** Adds one property to `body` as an own property, even `__proto__`. */
function withProperty(body: Record<string, unknown>, key: string, value: unknown): Record<string, unknown> {
  const copy = { ...body };
  Object.defineProperty(copy, key, { value, enumerable: true, configurable: true, writable: true });
  return copy;
}

type Mutation = (body: Record<string, unknown>, schema: JsonSchema, prng: Prng) => { readonly mutation: string; readonly text: string };

const stringify = (value: unknown) => JSON.stringify(value);
/** A deeply nested value spliced in as text: building it as an object would overflow JSON.stringify here. */
const spliceDeep = (body: Record<string, unknown>, key: string, prng: Prng) =>
  stringify(withProperty(body, key, '\u0001')).replace('"\\u0001"', deeplyNested(2_000 + prng.int(20_000), prng.chance(0.5)));

const MUTATIONS: readonly Mutation[] = [
  (body, schema, prng) => {
    const required = schema.required ?? [];
    if (required.length === 0) return { mutation: 'body: empty object', text: '{}' };
    const { [prng.pick(required)]: _dropped, ...rest } = body;
    return { mutation: 'body: a required field missing', text: stringify(rest) };
  },
  (body, _schema, prng) => {
    const names = Object.keys(body);
    const name = names.length > 0 ? prng.pick(names) : extraKey(prng);
    return { mutation: 'body: a field of another type', text: stringify(withProperty(body, name, oddValue(prng))) };
  },
  (body, _schema, prng) => ({ mutation: 'body: extra fields', text: stringify(withProperty(withProperty(body, extraKey(prng), oddValue(prng)), extraKey(prng), oddValue(prng))) }),
  (_body, _schema, prng) => ({ mutation: 'body: not an object', text: stringify(prng.pick([[], [{}], [null], [1, 2, 3]])) }),
  (body, schema, prng) => {
    // Where the schema takes an object the value travels furthest (a boot config is stored as its JSON text).
    const objectFields = Object.entries(schema.properties ?? {}).filter(([, property]) => takesObject(property));
    const key = objectFields.length > 0 && prng.chance(0.8) ? prng.pick(objectFields)[0] : extraKey(prng);
    return { mutation: 'body: deeply nested', text: spliceDeep(body, key, prng) };
  },
  (body, _schema, prng) => {
    const names = Object.keys(body);
    const name = names.length > 0 ? prng.pick(names) : 'pad';
    return { mutation: 'body: a 200 kB field', text: stringify(withProperty(body, name, 'z'.repeat(200_000))) };
  },
];

/** One mutated JSON body for an operation, with ajv's verdict when the operation has a schema. */
export function createBodyCase(schema: object | undefined, prng: Prng): BodyCase {
  const json = (schema ?? {}) as JsonSchema;
  const { mutation, text } = prng.pick(MUTATIONS)(baselineOf(json), json, prng);
  const body: unknown = JSON.parse(text);
  return { text, mutation, refused: isNestedDeeperThan(body, MAX_JSON_BODY_DEPTH) || (schema !== undefined && !validatorOf(schema)(body)) };
}

/** The body most likely accepted: what the other kinds of mutation carry when they are not about the body. */
export function baselineBody(schema: object | undefined): string {
  return JSON.stringify(baselineOf(schema ?? {}));
}
