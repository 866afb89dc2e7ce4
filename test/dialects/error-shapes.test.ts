import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DIALECTS } from '../../src/dialects/dialects.js';
import { formatProblem, httpError, isProblem } from '../../src/http/errors.js';

const STATUSES = [400, 401, 404, 405, 409, 413, 415, 500, 503];
const FAMILIES = [...DIALECTS, { name: 'labpool', formatError: formatProblem, isErrorBody: isProblem }];

describe('error shapes', () => {
  for (const family of FAMILIES) {
    it(`${family.name} recognises every error its formatter writes`, () => {
      for (const status of STATUSES) assert.ok(family.isErrorBody(family.formatError(httpError(status, 'why')).body, status), `${family.name} ${status}`);
    });
  }

  it('tells the families apart, and refuses what is no error body at all', () => {
    const bodies = FAMILIES.map((family) => family.formatError(httpError(404)).body);
    FAMILIES.forEach((family, i) => {
      bodies.forEach((body, j) => assert.equal(family.isErrorBody(body, 404), i === j, `${family.name} on body ${j}`));
      for (const other of [undefined, null, 'error', [], {}, { ok: true }, { error: 1 }]) assert.equal(family.isErrorBody(other, 404), false, `${family.name} on ${JSON.stringify(other)}`);
    });
  });

  it('holds a problem document to the status it was answered with', () => {
    assert.equal(isProblem(formatProblem(httpError(404)).body, 400), false);
  });
});
