// Every route x every role over HTTP: the server must refuse exactly what the policy
// (printed by `jiayi routes`) refuses, with 403 out_of_role, and 401 without a login.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { makeDemo, startServer, cleanup, jiayi, PASSWORD } from '../lib/server.mjs';

let demo, s;
const tokens = {};

before(async () => {
  demo = makeDemo({ residents: 50 });
  // The demo has no team lead, nurse, public-health doctor or assistant login: add them.
  for (const [username, role] of [['lead1', 'team_lead'], ['nurse1', 'nurse'], ['ph1', 'public_health_doctor'], ['assist1', 'assistant']])
    jiayi(['user', 'add', '--db', demo.db, '--username', username, '--role', role, '--name', username, '--password', PASSWORD]);
  s = await startServer(demo.db);
  const users = { system_admin: 'admin', health_commission: 'county', center_admin: 'town01', doctor: 'doctor01', village_doctor: 'village01', resident: 'resident01', hospital_office: 'hospital01', specialist: 'specialist01', team_lead: 'lead1', nurse: 'nurse1', public_health_doctor: 'ph1', assistant: 'assist1' };
  for (const [role, username] of Object.entries(users)) tokens[role] = await s.login(username);
});
after(async () => { await s.stop(); cleanup(demo.dir); });

function routes() {
  return jiayi(['routes']).stdout.trim().split('\n').map((line) => {
    const [method, pattern, action, ...roles] = line.trim().split(/\s+/);
    return { method, pattern, action, roles };
  });
}

test('each route refuses exactly the roles its policy refuses', async () => {
  const table = routes();
  assert.ok(table.length >= 26);
  for (const route of table) {
    const path = route.pattern.replace('{code}', '511524').replace(/\{[a-z_]+\}/g, '1');
    for (const [role, token] of Object.entries(tokens)) {
      if (route.method === 'DELETE' && route.pattern === '/api/v1/session') continue; // would log out
      const r = await s.request(route.method, path, { token, body: ['POST', 'PUT', 'PATCH'].includes(route.method) ? {} : undefined });
      // problem+json under /api/v1, an OperationOutcome under /fhir: the same stable code
      const code = r.json?.code ?? r.json?.issue?.[0]?.details?.coding?.[0]?.code;
      const refused = r.status === 403 && code === 'out_of_role';
      assert.equal(refused, !route.roles.includes(role) && route.action !== 'public',
        `${route.method} ${route.pattern} as ${role}: ${r.status} ${r.text.slice(0, 120)}`);
      assert.ok(r.status < 500, `${route.method} ${route.pattern} as ${role}: ${r.status}`);
    }
    if (route.action !== 'public') {
      const anonymous = await s.request(route.method, path, { body: route.method === 'GET' ? undefined : {} });
      assert.equal(anonymous.status, 401, `${route.method} ${route.pattern} without login`);
    }
  }
});
