import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { checkAnswers, checkStore, checkViews, deviceDetails, raceAny } from './support/any-race.js';
import { startRaceLab, type RaceLab } from './support/race-lab.js';

const DEVICES = 100;
const REQUESTS = 300;

/**
 * `npm start` twice on one SQLite file, each process the imaging server of half the devices, without
 * a peer token (each hands out only its own), 300 `any` requests at once over real HTTP.
 */
describe('two labpool processes writing one SQLite file', () => {
  let lab: RaceLab;

  before(async () => {
    lab = await startRaceLab({ servers: 2, devices: DEVICES });
  });

  after(async () => {
    await lab?.stop();
  });

  it('gives each device to one request at most, from its own process; the rest get 409, none 5xx', async () => {
    const { servers, processes, store } = lab;
    const answers = await raceAny(`two processes, ${DEVICES} devices`, servers, REQUESTS);
    const winners = checkAnswers(answers, servers);
    for (const server of servers) await checkViews(server, winners);
    await checkStore(store, winners);
    for (const [i, served] of processes.entries()) {
      assert.doesNotMatch(served.output(), /"level":(50|60)/, `process ${i} logged no error`);
      assert.equal(served.child.exitCode, null, `process ${i} still runs`);
    }
    assert.ok((await deviceDetails(servers[0]!)).length === DEVICES);
  });
});
