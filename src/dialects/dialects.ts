import type { Dialect } from './dialect.js';
import { mozpoolDialect } from './mozpool/mozpool-dialect.js';

/** Every API family labpool answers in; the app, its error path and OpenAPI loop over this list. */
export const DIALECTS: readonly Dialect[] = [mozpoolDialect];
