import { pino, type DestinationStream, type Logger } from 'pino';
import { ConfigError } from '../config/config.js';
import { findStoreUnavailable } from '../store/port.js';

export type { Logger } from 'pino';

/** pino's levels; `silent` logs nothing. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export type LogLevel = (typeof LOG_LEVELS)[number];

/** The environment variable that sets the level of `labpool serve`. */
export const LOG_LEVEL_ENV = 'LABPOOL_LOG_LEVEL';

function isLogLevel(value: string): value is LogLevel {
  return (LOG_LEVELS as readonly string[]).includes(value);
}

/** The level named by LABPOOL_LOG_LEVEL, else `fallback`; a misspelt level is an error, not silence. */
export function logLevelFromEnv(env: Readonly<Record<string, string | undefined>>, fallback: LogLevel = 'info'): LogLevel {
  const value = env[LOG_LEVEL_ENV]?.trim().toLowerCase();
  if (value === undefined || value === '') return fallback;
  if (!isLogLevel(value)) throw new ConfigError([`${LOG_LEVEL_ENV}=${value} is not one of ${LOG_LEVELS.join(', ')}`]);
  return value;
}

export interface LoggerOptions {
  readonly level?: LogLevel;
  /** Where the JSON lines go; default stdout. Tests pass an in-memory stream. */
  readonly destination?: DestinationStream;
}

/** labpool's one logger: JSON lines with an ISO time; parts of labpool log through children of it. */
export function createLogger(options: LoggerOptions = {}): Logger {
  const settings = { name: 'labpool', level: options.level ?? 'info', timestamp: pino.stdTimeFunctions.isoTime };
  return options.destination === undefined ? pino(settings) : pino(settings, options.destination);
}

/** How the actor system, the projections and the lab report a failure they cannot hand to anyone. */
export type ErrorReporter = (error: unknown, context: string) => void;

/**
 * An `onError(error, context)` callback (actor system, projections, lab) that logs through `logger`.
 * A store that cannot write is logged once per episode by the store's metrics (logStoreWritabilityTo):
 * here, where it would repeat for every deadline and hardware result it refuses, it goes to debug.
 */
export function logErrorsTo(logger: Logger, component: string): ErrorReporter {
  const child = logger.child({ component });
  return (error, context) => {
    if (findStoreUnavailable(error) === undefined) child.error({ err: error, context }, `${component}: ${context}`);
    else child.debug({ err: error, context }, `${component}: ${context}`);
  };
}

/** How the lab reports trouble that is not an error of its own (a PDU that fails, a device that gives up). */
export type WarningReporter = (fields: Readonly<Record<string, unknown>>, message: string) => void;

/** A `warn(fields, message)` callback that logs through `logger` at warn, tagged with `component`. */
export function logWarningsTo(logger: Logger, component: string): WarningReporter {
  const child = logger.child({ component });
  return (fields, message) => child.warn(fields, message);
}

/** For a labpool started without a logger (tests): errors only, on stderr, as console.error had them. */
export function createErrorOnlyLogger(): Logger {
  return createLogger({ level: 'error', destination: process.stderr });
}
