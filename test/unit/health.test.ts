import { expect } from 'chai';
import { healthService } from '../../server/platform/operations/health.service.js';

describe('database availability for pages', () => {
  function fakeDatabase() {
    const state = { up: true, pings: 0 };
    return {
      state,
      ping: async () => {
        state.pings++;
        if (!state.up) throw Object.assign(new Error('refused'), { code: 'ECONNREFUSED' });
      },
    };
  }

  it('pings at most once a second, and concurrent requests share the ping', async () => {
    let clock = 0;
    const database = fakeDatabase();
    const health = healthService(database, () => clock);
    expect(await Promise.all([health.available(), health.available(), health.available()])).to.deep.equal([
      true,
      true,
      true,
    ]);
    expect(database.state.pings).to.equal(1);
    database.state.up = false;
    clock = 999;
    expect(await health.available()).to.equal(true);
    clock = 1000;
    expect(await health.available()).to.equal(false);
    expect(database.state.pings).to.equal(2);
    database.state.up = true;
    clock = 2500;
    expect(await health.available()).to.equal(true);
  });

  it('takes the answer of the latest readiness check at once', async () => {
    const database = fakeDatabase();
    const health = healthService(database, () => 0);
    expect(await health.available()).to.equal(true);
    database.state.up = false;
    expect((await health.readiness()).status).to.equal('unavailable');
    expect(await health.available()).to.equal(false);
  });
});
