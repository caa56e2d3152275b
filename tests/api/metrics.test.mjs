// Operations (issue 21): GET /metrics in Prometheus text format, open to the system admin and
// to a scraper holding the metrics token, and the connection limit: requests on connections
// over --max-connections are answered 503 overloaded (Retry-After, Connection: close) while
// the ones admitted go on being served.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { makeDemo, startServer, cleanup, dbSql } from '../lib/server.mjs';

const LIMIT = 6;
let demo, s, token;

before(async () => {
  demo = makeDemo({ residents: 200 });
  token = randomBytes(30).toString('base64url');
  const file = join(demo.dir, 'metrics-token');
  writeFileSync(file, token + '\n', { mode: 0o600 });
  s = await startServer(demo.db, { args: ['--max-connections', String(LIMIT), '--metrics-token', file] });
});

after(async () => {
  await s?.stop();
  cleanup(demo?.dir);
});

/* The samples of a Prometheus text page: name{labels} -> value; every family typed. */
function parse(text) {
  const samples = new Map(), types = new Map();
  for (const line of text.split('\n')) {
    if (!line) continue;
    const t = line.match(/^# TYPE (\w+) (counter|gauge|histogram)$/);
    if (t) { types.set(t[1], t[2]); continue; }
    if (line.startsWith('# HELP ')) continue;
    const m = line.match(/^(\w+)(\{[^}]*\})? (-?[\d.e+]+)$/);
    assert.ok(m, `not a sample line: ${line}`);
    const family = m[1].replace(/_(bucket|sum|count)$/, '');
    assert.ok(types.has(m[1]) || types.get(family) === 'histogram', `${m[1]} has no # TYPE`);
    samples.set(m[1] + (m[2] || ''), Number(m[3]));
  }
  return samples;
}

const scrape = async () => {
  const r = await s.request('GET', '/metrics', { token });
  assert.equal(r.status, 200, r.text);
  assert.match(r.headers.get('content-type'), /^text\/plain; version=0\.0\.4/);
  return parse(r.text);
};

test('metrics: admin or token only; never open to the public or other roles', async () => {
  assert.equal((await s.request('GET', '/metrics')).status, 401);
  const oneOff = token.slice(0, -1) + (token.endsWith('x') ? 'y' : 'x');
  assert.equal((await s.request('GET', '/metrics', { token: oneOff })).status, 401);
  const doctor = await s.login('doctor01');
  const r = await s.request('GET', '/metrics', { token: doctor });
  assert.equal(r.status, 403);
  assert.equal(r.json.code, 'out_of_role');
  const county = await s.login('county');
  assert.equal((await s.request('GET', '/metrics', { token: county })).status, 403);
  const admin = await s.login('admin');
  const ok = await s.request('GET', '/metrics', { token: admin });
  assert.equal(ok.status, 200);
  assert.doesNotMatch(ok.text, /[\u4e00-\u9fff]/, 'no name, nothing but figures');
});

test('metrics: requests, latency, writer, outbox and counters move with what happens', async () => {
  const before = await scrape();
  const doctor = await s.login('doctor01');
  for (let i = 0; i < 5; i++) assert.equal((await s.request('GET', '/api/v1/residents?limit=3', { token: doctor })).status, 200);
  assert.equal((await s.request('GET', '/api/v1/residents/999999999', { token: doctor })).status, 404);
  const now = await scrape();
  const reads2xx = 'jiayi_http_requests_total{kind="read",status="2xx"}';
  // five lists and the first scrape itself
  assert.ok(now.get(reads2xx) - before.get(reads2xx) >= 6, 'reads counted');
  assert.ok(now.get('jiayi_http_requests_total{kind="read",status="4xx"}') > before.get('jiayi_http_requests_total{kind="read",status="4xx"}'));
  assert.ok(now.get('jiayi_http_requests_total{kind="write",status="2xx"}') > before.get('jiayi_http_requests_total{kind="write",status="2xx"}'), 'the login is a write');
  // The histogram is cumulative, ends in +Inf = _count, and has a plausible sum.
  for (const kind of ['read', 'write']) {
    const buckets = [...now].filter(([k]) => k.startsWith(`jiayi_http_request_duration_seconds_bucket{kind="${kind}"`)).map(([, v]) => v);
    for (let i = 1; i < buckets.length; i++) assert.ok(buckets[i] >= buckets[i - 1], `${kind} buckets cumulative`);
    assert.equal(buckets.at(-1), now.get(`jiayi_http_request_duration_seconds_count{kind="${kind}"}`));
    assert.ok(now.get(`jiayi_http_request_duration_seconds_sum{kind="${kind}"}`) > 0);
  }
  assert.ok(now.get('jiayi_writer_requests_total') >= 1 && now.get('jiayi_writer_commits_total') >= 1);
  assert.ok(now.get('jiayi_writer_commits_total') <= now.get('jiayi_writer_requests_total'));
  assert.equal(now.get('jiayi_writer_queue'), 0);
  assert.ok(now.get('jiayi_http_connections_open') >= 1);
  // The outbox and counter figures are the database's.
  // The outbox worker sends while we look: the figure lies between two counts around a
  // fresh scrape, as the database had it at some moment.
  const pendingNow = () => Number(dbSql(demo.db, "SELECT count(*) FROM outbox WHERE status = 'pending'"));
  const low = pendingNow(), seen = await scrape(), high = pendingNow();
  const figure = seen.get('jiayi_outbox_pending');
  assert.ok(figure >= Math.min(low, high) && figure <= Math.max(low, high), `outbox pending ${figure}, database ${low}..${high}`);
  assert.ok(seen.get('jiayi_outbox_due') <= figure);
  assert.equal(now.get('jiayi_counters_built'), 1);
  assert.equal(now.get('jiayi_counters_lag_days'), 0, 'the demo leaves the counters at today');
});

/* One request on its own keep-alive connection, which it keeps open (held) until released. */
function holdConnection(agents) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  agents.push(agent);
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port: s.port, path: '/api/v1/health', agent }, (res) => {
      let body = '';
      res.on('data', (d) => { body += d; });
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body }));
    });
    req.on('error', (e) => resolve({ status: 'error', body: String(e) }));
  });
}

test('connections over --max-connections are answered 503 overloaded; those admitted are served', async () => {
  const before = await scrape();
  const agents = [];
  try {
    const answers = await Promise.all(Array.from({ length: LIMIT + 4 }, () => holdConnection(agents)));
    const ok = answers.filter((a) => a.status === 200), refused = answers.filter((a) => a.status === 503);
    // The connections fetch keeps alive (the scrape's among them) hold places of the limit;
    // one of them may have closed since.
    const already = before.get('jiayi_http_connections_open');
    assert.ok(ok.length >= LIMIT - already && ok.length <= LIMIT - already + 1, `admitted ${ok.length}, ${already} open before`);
    assert.ok(refused.length >= 3);
    assert.equal(ok.length + refused.length, answers.length, JSON.stringify(answers.filter((a) => a.status !== 200 && a.status !== 503)));
    for (const a of refused) {
      assert.equal(a.headers.connection, 'close');
      assert.equal(a.headers['retry-after'], '1');
      assert.match(a.headers['content-type'], /application\/problem\+json/);
      assert.equal(JSON.parse(a.body).code, 'overloaded');
    }
    // The admitted connections are still served while the refused ones are gone.
    const again = await Promise.all(agents.map((agent) => new Promise((resolve) => {
      http.get({ host: '127.0.0.1', port: s.port, path: '/api/v1/health', agent }, (res) => { res.resume(); res.on('end', () => resolve(res.statusCode)); })
        .on('error', () => resolve('error'));
    })));
    assert.ok(again.filter((c) => c === 200).length >= ok.length);
  } finally {
    for (const a of agents) a.destroy();
  }
  await new Promise((r) => setTimeout(r, 300));
  const now = await scrape();
  assert.ok(now.get('jiayi_http_connections_refused_total') - before.get('jiayi_http_connections_refused_total') >= 3);
  assert.ok(now.get('jiayi_http_connections_open') <= before.get('jiayi_http_connections_open') + 1, 'closed connections are no longer counted');
  // Once they are closed, a new client is served again.
  assert.equal((await s.request('GET', '/api/v1/health')).status, 200);
});
