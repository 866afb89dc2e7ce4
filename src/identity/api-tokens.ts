import { createHash, randomInt } from 'node:crypto';

const TOKEN_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
export const TOKEN_LENGTH = 32;
const WELL_FORMED = /^[a-z0-9]{32}$/;

/** A new token: 32 characters of `[a-z0-9]`, each drawn uniformly (`randomInt` has no modulo bias). */
export function generateToken(): string {
  let token = '';
  for (let i = 0; i < TOKEN_LENGTH; i++) token += TOKEN_ALPHABET[randomInt(TOKEN_ALPHABET.length)];
  return token;
}

/** Whether `token` could be one labpool generated; anything else is refused before any lookup. */
export function isWellFormedToken(token: string): boolean {
  return WELL_FORMED.test(token);
}

/** The token as stored: SHA-256, hex. Tokens are random, not chosen by people: a plain hash suffices. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
