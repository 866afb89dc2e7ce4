// The long fuzz run: 1,000 requests per operation of the OpenAPI document, a fresh seed unless FUZZ_SEED
// names one (the run prints it, so a failure can be replayed). No per-file timeout: it takes minutes.
import { spawnSync } from 'node:child_process';
import { randomInt } from 'node:crypto';

const env = { ...process.env, FUZZ_REQUESTS: process.env.FUZZ_REQUESTS ?? '1000', FUZZ_SEED: process.env.FUZZ_SEED ?? String(randomInt(2 ** 31)) };
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', 'test/http/fuzz/fuzz.test.ts'], { stdio: 'inherit', env });
process.exit(result.status ?? 1);
