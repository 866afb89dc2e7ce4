/** JSON-serialisable value: what events, commands' payloads and snapshots are made of. */
export type Json = null | boolean | number | string | readonly Json[] | { readonly [key: string]: Json };
