import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';

// The repository's eslint.config.js, without type information: the snippets name files that do not exist.
const eslint = new ESLint({ overrideConfig: [{ files: ['**/*.ts'], ...tseslint.configs.disableTypeChecked }] });

/** The import boundary messages ESLint reports for `source` as if it were the file at `filePath`. */
async function boundaryMessages(filePath: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(`${source}\n`, { filePath });
  assert.ok(result, `no lint result for ${filePath}`);
  const fatal = result.messages.filter((message) => message.fatal === true);
  assert.deepEqual(fatal, [], `${filePath} did not parse`);
  return result.messages.filter((message) => message.ruleId === 'no-restricted-imports').map((message) => message.message);
}

async function assertForbidden(filePath: string, specifier: string): Promise<void> {
  const forms = [`import x from '${specifier}';`, `import type { X } from '${specifier}';`, `export { x } from '${specifier}';`];
  for (const source of forms) {
    assert.equal((await boundaryMessages(filePath, source)).length, 1, `${filePath}: expected \`${source}\` to be reported`);
  }
}

async function assertAllowed(filePath: string, specifier: string): Promise<void> {
  assert.deepEqual(await boundaryMessages(filePath, `import x from '${specifier}';`), [], `${filePath}: expected '${specifier}' to be allowed`);
}

describe('lint: import boundaries (DESIGN.md §6)', () => {
  it('only src/actors/runtime.ts imports nact', async () => {
    await assertAllowed('src/actors/runtime.ts', 'nact');
    for (const file of ['src/actors/actor-system.ts', 'src/lab/lab.ts', 'src/store/sqlite-store.ts', 'src/dialects/mozpool/mozpool-dialect.ts', 'test/actors/runtime.test.ts', 'bench/run.ts']) {
      await assertForbidden(file, 'nact');
    }
  });

  it('only src/store/ imports the store clients; tests and benchmarks may too', async () => {
    for (const client of ['@eventstore/db-client', 'better-sqlite3', '@grpc/grpc-js']) {
      await assertAllowed('src/store/some-adapter.ts', client);
      await assertAllowed('test/support/esdb-emulator.ts', client);
      await assertAllowed('bench/store-section.ts', client);
      for (const file of ['src/actors/runtime.ts', 'src/lab/lab.ts', 'src/http/server.ts', 'src/main.ts', 'src/dialects/vmpooler/vmpooler-dialect.ts']) {
        await assertForbidden(file, client);
      }
    }
  });

  const domainFiles = ['src/domain/device/device-decider.ts', 'src/domain/decider.ts', 'src/dialects/mozpool/domain/request-decider.ts'];

  it('domain folders import nothing with I/O', async () => {
    const io = ['node:fs', 'fs', 'fs/promises', 'node:net', 'dgram', 'node:http', 'child_process', 'node:worker_threads', 'koa', '@koa/router'];
    const clients = ['pino', 'net-snmp', 'snmp-native', 'tftp', 'better-sqlite3', 'nact', '@eventstore/db-client'];
    for (const file of domainFiles) {
      for (const specifier of [...io, ...clients]) await assertForbidden(file, specifier);
      await assertAllowed(file, 'ajv');
    }
  });

  it('domain folders import nothing from the core folders with I/O', async () => {
    for (const folder of ['store', 'actors', 'hardware', 'http', 'lab', 'projections']) {
      await assertForbidden('src/domain/device/device-decider.ts', `../../${folder}/x.js`);
      await assertForbidden('src/domain/decider.ts', `../${folder}/x.js`);
      await assertForbidden('src/dialects/mozpool/domain/request-decider.ts', `../../../${folder}/x.js`);
    }
    await assertAllowed('src/domain/device/device-decider.ts', './device-events.js');
    await assertAllowed('src/domain/device/device-decider.ts', '../decider.js');
    await assertAllowed('src/dialects/mozpool/domain/request-decider.ts', '../../../domain/decider.js');
  });

  const families = ['mozpool', 'vmpooler', 'drydock', 'commissaire', 'lbaas'];

  it('a family never imports another family', async () => {
    for (const family of families) {
      for (const other of families.filter((name) => name !== family)) {
        await assertForbidden(`src/dialects/${family}/${family}-dialect.ts`, `../${other}/${other}-dialect.js`);
        await assertForbidden(`src/dialects/${family}/routes/routes.ts`, `../../${other}/routes/routes.js`);
        await assertForbidden(`src/dialects/${family}/domain/decider.ts`, `../../../dialects/${other}/domain/decider.js`);
      }
    }
  });

  it('a family imports the core and itself', async () => {
    for (const family of families) {
      await assertAllowed(`src/dialects/${family}/${family}-dialect.ts`, `./routes/${family}-routes.js`);
      await assertAllowed(`src/dialects/${family}/routes/routes.ts`, '../../../lab/lab.js');
      await assertAllowed(`src/dialects/${family}/routes/routes.ts`, '../../../http/errors.js');
      await assertAllowed(`src/dialects/${family}/routes/routes.ts`, 'koa');
      await assertAllowed(`src/dialects/${family}/domain/decider.ts`, '../../../domain/decider.js');
    }
  });
});
