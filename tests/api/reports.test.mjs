// The fee report (issue 4): per period and payer, exact to the fen, scoped by region, as
// JSON, CSV (UTF-8 with BOM) and XLSX (a real workbook: a zip with the sheets).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { makeDemo, startServer, cleanup, dbSql } from '../lib/server.mjs';
import { YEAR as year } from '../lib/clock.mjs';

let demo, s, county, town01, doctor01;
const sqlite = (sql) => dbSql(demo.db, sql);

before(async () => {
  demo = makeDemo({ residents: 2500, seed: 11 });
  s = await startServer(demo.db);
  [county, town01, doctor01] = await Promise.all(['county', 'town01', 'doctor01'].map((u) => s.login(u)));
});
after(async () => { await s.stop(); cleanup(demo.dir); });

test('county totals per payer equal the shares stored, and sum to the fees', async () => {
  const r = await s.request('GET', `/api/v1/reports/fees?period=${year}`, { token: county });
  assert.equal(r.status, 200, r.text);
  const expected = Object.fromEntries(sqlite(`SELECT payer, sum(amount_fen) FROM contract_shares sh JOIN contracts c ON c.id = sh.contract_id WHERE c.start_date BETWEEN '${year}-01-01' AND '${year}-12-31' GROUP BY payer`).split('\n').map((l) => { const [p, v] = l.split('|'); return [p, Number(v)]; }));
  assert.deepEqual(r.json.totals, expected);
  const sum = Object.values(r.json.totals).reduce((a, b) => a + b, 0);
  assert.equal(sum, r.json.fee_fen);
  assert.equal(r.json.rows.length, Number(sqlite(`SELECT count(*) FROM contracts WHERE start_date BETWEEN '${year}-01-01' AND '${year}-12-31'`)));
  assert.ok(r.json.rows.every((row) => !('resident_name' in row)), 'no names in a finance report');
});

test('a township sees only its own contracts; a doctor cannot read finance reports', async () => {
  const all = await s.request('GET', `/api/v1/reports/fees?period=${year}`, { token: county });
  const mine = await s.request('GET', `/api/v1/reports/fees?period=${year}`, { token: town01 });
  assert.ok(mine.json.rows.length > 0 && mine.json.rows.length < all.json.rows.length);
  assert.ok(mine.json.rows.every((row) => row.township === '长宁镇'));
  assert.equal((await s.request('GET', `/api/v1/reports/fees?period=${year}&region=511524102`, { token: town01 })).status, 403);
  assert.equal((await s.request('GET', `/api/v1/reports/fees?period=${year}`, { token: doctor01 })).status, 403);
  assert.equal((await s.request('GET', '/api/v1/reports/fees?period=2026-Q5', { token: county })).json.field, 'period');
  assert.equal((await s.request('GET', `/api/v1/reports/fees?period=${year}&format=pdf`, { token: county })).json.field, 'format');
});

test('CSV for Excel (UTF-8 BOM, Chinese headers) and XLSX downloads', async () => {
  const csv = await fetch(`${s.base}/api/v1/reports/fees?period=${year}&format=csv`, { headers: { Authorization: `Bearer ${town01}` } });
  assert.equal(csv.status, 200);
  assert.match(csv.headers.get('content-disposition'), /attachment; filename="fees-\d{4}\.csv"/);
  const bytes = new Uint8Array(await csv.arrayBuffer());
  assert.deepEqual([...bytes.slice(0, 3)], [0xef, 0xbb, 0xbf]);
  const text = new TextDecoder().decode(bytes.slice(3));
  const lines = text.trim().split('\r\n');
  assert.match(lines[0], /^"合同编号","起始日期"/);
  assert.match(lines.at(-1), /^"合计"/);
  const json = await s.request('GET', `/api/v1/reports/fees?period=${year}`, { token: town01 });
  assert.equal(lines.length, json.json.rows.length + 2);
  const total = lines.at(-1).split(',')[8];
  assert.equal(total, (json.json.fee_fen / 100).toFixed(2));
  const xlsx = await fetch(`${s.base}/api/v1/reports/fees?period=${year}&format=xlsx`, { headers: { Authorization: `Bearer ${town01}`, 'Accept-Language': 'en' } });
  assert.equal(xlsx.status, 200);
  assert.match(xlsx.headers.get('content-type'), /spreadsheetml/);
  const book = Buffer.from(await xlsx.arrayBuffer());
  assert.equal(book.slice(0, 2).toString(), 'PK');
  assert.ok(book.includes(Buffer.from('xl/worksheets/sheet2.xml')));
});

test('fulfilment per doctor and team: delivered over entitled, by service', async () => {
  const me = (await s.request('GET', '/api/v1/session', { token: doctor01 })).json.user;
  const r = await s.request('GET', '/api/v1/fulfilment?doctor=me', { token: doctor01 });
  assert.equal(r.status, 200, r.text);
  const expected = sqlite(`SELECT sum(e.quantity) || '|' || sum(min(e.used, e.quantity)) || '|' || count(DISTINCT c.id) FROM contracts c JOIN entitlements e ON e.contract_id = c.id WHERE c.status = 'active' AND c.doctor_id = ${me.staff_id}`).split('|').map(Number);
  assert.deepEqual([r.json.entitled, r.json.delivered, r.json.contracts], expected);
  assert.equal(r.json.rate, r.json.delivered / r.json.entitled);
  assert.ok(r.json.by_service.some((x) => x.service === 'record_management'));
  const team = await s.request('GET', `/api/v1/fulfilment?team=${me.teams[0]}`, { token: town01 });
  assert.equal(team.status, 200);
  assert.ok(team.json.entitled >= r.json.entitled);
  assert.equal((await s.request('GET', '/api/v1/fulfilment?team=99999', { token: town01 })).status, 404);
});
