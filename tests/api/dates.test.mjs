// The demo is alive on any date (API.md "Added with the second batch"): built and served
// with JIAYI_TODAY set to a 1 January, a 31 December, 29 February 2028 and
// the run's own today, doctor01's team always has contracts ending within 30 days and work
// that is due, overdue and missed; the county has a year of history ending that day and
// nothing after it; the open year's indicators have data; the server, the daily pass and
// the counters all agree on the date.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeDemo, startServer, cleanup, jiayi, dbSql } from '../lib/server.mjs';
import { TODAY, addDays } from '../lib/clock.mjs';

const DATES = [...new Set(['2027-01-01', '2026-12-31', '2028-02-29', TODAY])];

for (const day of DATES) {
  test(`on ${day} the demo county is alive for doctor01 and the dashboard`, async () => {
    const saved = process.env.JIAYI_TODAY;
    process.env.JIAYI_TODAY = day;
    const demo = makeDemo({ residents: 1000, seed: 3 });
    const sql = (q) => dbSql(demo.db, q);
    const s = await startServer(demo.db);
    try {
      const doctor01 = await s.login('doctor01');
      const get = async (path, token = doctor01) => {
        const r = await s.request('GET', `/api/v1${path}`, { token });
        assert.equal(r.status, 200, `${path}: ${r.text}`);
        return r.json;
      };
      assert.equal((await get('/session')).today, day, 'the server says what day it is');

      // Contracts of doctor01 that end within 30 days, none already past their term.
      const expiring = await get('/contracts?doctor=me&status=active&expiring_within=30');
      assert.ok(expiring.total >= 3, `${expiring.total} contracts end within 30 days`);
      for (const c of expiring.items) assert.ok(c.end_date >= day && c.end_date <= addDays(day, 30), c.end_date);

      // Work that is due, overdue and missed today.
      for (const status of ['due', 'overdue', 'missed']) {
        const list = await get(`/worklist?doctor=me&status=${status}`);
        assert.ok(list.total >= 1, `doctor01 has ${status} work on ${day}`);
      }

      // A year of history that ends on the day: follow-ups, visits, contracts, nothing later.
      const yearAgo = addDays(day, -365);
      for (const [table, column] of [['followups', 'visit_date'], ['encounters', 'encounter_date'],
        ['referrals', 'referred_on'], ['contracts', 'start_date'], ['deliveries', 'delivered_on']]) {
        const [first, last] = sql(`SELECT min(${column}), max(${column}) FROM ${table}`).split('|');
        assert.ok(last <= day, `${table}: nothing after ${day} (latest ${last})`);
        if (table !== 'contracts' && table !== 'deliveries') {
          assert.ok(first <= addDays(yearAgo, 60), `${table} reach back a year (earliest ${first})`);
          assert.ok(last >= addDays(day, -14), `${table} run up to the day (latest ${last})`);
        }
      }
      assert.equal(sql(`SELECT count(*) FROM residents WHERE birth_date > '${day}'`), '0', 'nobody is born after today');

      // The open year on the dashboard: population, signings and visits counted as of the day.
      const county = await s.login('county');
      const year = day.slice(0, 4);
      const kpi = await get(`/indicators?scope=region:511524&period=${year}&codes=signing_rate,record_rate,in_county_visit_rate`, county);
      assert.equal(kpi.as_of, day);
      const by = Object.fromEntries(kpi.items.map((i) => [i.code, i]));
      assert.ok(by.signing_rate.denominator >= 900 && by.signing_rate.numerator > 0, JSON.stringify(by.signing_rate));
      assert.ok(by.record_rate.value > 0.5, JSON.stringify(by.record_rate));
      // 1 January: the year is a day old, visits of the day may be none; any other day has some.
      if (!day.endsWith('-01-01')) assert.ok(by.in_county_visit_rate.denominator > 0, JSON.stringify(by.in_county_visit_rate));
    } finally {
      assert.equal(await s.stop(), 0, 'the server stopped cleanly');
    }
    // The daily pass and the counters on the same day.
    jiayi(['daily', '--db', demo.db]);
    assert.equal(sql("SELECT value FROM settings WHERE key = 'kpi_as_of'"), day);
    jiayi(['kpi', 'check', '--db', demo.db]);
    cleanup(demo.dir);
    process.env.JIAYI_TODAY = saved;
  });
}
