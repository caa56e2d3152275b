// A county keeps its own grid without SQL (issue 14): regions and grid cells created, renamed
// and redrawn; institutions of every kind (健康小屋, CDC, maternal and child hospital, private
// hospital); staff caps. Bad input names its field, a centre admin of another township is
// refused and nothing is written, every write is audited. And the indicator counters stay
// equal to a full recomputation (`jiayi kpi check`) after a cell moves to another team, after
// a redraw, after a new responsible doctor, and after the elderly age and the renewal window
// change - without a `kpi rebuild`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { makeDemo, startServer, cleanup, jiayi, PASSWORD, dbSql, ORACLE_BIN } from '../lib/server.mjs';
import { YEAR } from '../lib/clock.mjs';

let demo, s, admin, town01, town02, doctor01, county;
const sqlite = (sql) => dbSql(demo.db, sql);
const req = (method, path, token, body) => s.request(method, `/api/v1${path}`, { token, body });

function kpiExact(what) {
  const r = jiayi(['kpi', 'check', '--db', demo.db], { check: false, bin: ORACLE_BIN });
  assert.equal(r.status, 0, `kpi check after ${what}:\n${r.stdout.slice(0, 3000)}${r.stderr}`);
}
function problem(r, status, code, field) {
  assert.equal(r.status, status, r.text);
  assert.match(r.headers.get('content-type'), /^application\/problem\+json/);
  if (code) assert.equal(r.json.code, code, r.text);
  if (field !== undefined) assert.equal(r.json.field, field, r.text);
}
const audited = (action, resource, id) =>
  Number(sqlite(`SELECT count(*) FROM audit_log WHERE action = '${action}' AND resource = '${resource}' AND resource_id = '${id}'`));

before(async () => {
  demo = makeDemo({ residents: 1500, name: 'grid' });
  jiayi(['user', 'add', '--db', demo.db, '--username', 'town02', '--role', 'center_admin', '--name', '二镇',
    '--region', '511524102', '--password', PASSWORD]);
  s = await startServer(demo.db);
  [admin, town01, town02, doctor01, county] = await Promise.all(['admin', 'town01', 'town02', 'doctor01', 'county'].map((u) => s.login(u)));
});
after(async () => { await s.stop(); cleanup(demo.dir); });

test('regions: a centre admin adds and renames villages and cells below its township; bad codes name the field', async () => {
  const village = await req('POST', '/regions', town01, { code: '511524101901', name: '新村', parent: '511524101' });
  assert.equal(village.status, 201, village.text);
  assert.deepEqual([village.json.level, village.json.parent, village.json.children], ['village', '511524101', []]);
  const cell = await req('POST', '/regions', town01, { code: '51152410190101', name: '新村一组', parent: '511524101901', level: 'grid' });
  assert.equal(cell.status, 201, cell.text);
  assert.equal(cell.json.level, 'grid');
  const renamed = await req('PATCH', '/regions/51152410190101', town01, { name: '新村第一网格' });
  assert.equal(renamed.status, 200, renamed.text);
  assert.equal(renamed.json.name, '新村第一网格');
  const listed = await req('GET', '/regions?parent=511524101901', doctor01);
  assert.deepEqual(listed.json.items.map((x) => [x.code, x.name, x.level]), [['51152410190101', '新村第一网格', 'grid']]);
  assert.equal(audited('create', 'region', '511524101901'), 1);
  assert.equal(audited('create', 'region', '51152410190101'), 1);
  assert.equal(audited('rename', 'region', '51152410190101'), 1);

  const before = sqlite("SELECT count(*) || ':' || max(name) FROM regions");
  problem(await req('POST', '/regions', town01, { code: '5115241019AB', name: 'x', parent: '511524101' }), 422, 'invalid_region_code', 'code');
  problem(await req('POST', '/regions', town01, { code: '5115241019', name: 'x', parent: '511524101' }), 422, 'invalid_region_code', 'code');
  problem(await req('POST', '/regions', town01, { code: '51152410190102', name: 'x', parent: '511524101' }), 422, 'invalid_parent', 'parent');
  problem(await req('POST', '/regions', town01, { code: '51152410200101', name: 'x', parent: '511524101901' }), 422, 'invalid_region_code', 'code');
  problem(await req('POST', '/regions', town01, { code: '511524101902', name: 'x', parent: '511524101', level: 'grid' }), 422, 'invalid_field', 'level');
  problem(await req('POST', '/regions', town01, { code: '511524101902', name: 'x', parent: '511524199' }), 422, 'invalid_region', 'parent');
  problem(await req('POST', '/regions', town01, { code: '511524101902', parent: '511524101' }), 422, 'missing_field', 'name');
  problem(await req('POST', '/regions', town01, { code: '511524101903', name: 'x' }), 422, 'missing_field', 'parent');
  problem(await req('POST', '/regions', town01, { code: '511524101901', name: '重复', parent: '511524101' }), 409, 'region_exists', 'code');
  problem(await req('PATCH', '/regions/511524101901', town01, { name: '' }), 422, 'missing_field', 'name');
  problem(await req('PATCH', '/regions/511524101999', town01, { name: 'x' }), 404, 'not_found');

  // Scope: another township's admin, the township itself, a new township, the wrong roles.
  problem(await req('POST', '/regions', town02, { code: '511524101904', name: 'x', parent: '511524101' }), 403, 'out_of_scope', 'parent');
  problem(await req('PATCH', '/regions/511524101901', town02, { name: '别人改名' }), 403, 'out_of_scope');
  problem(await req('PATCH', '/regions/511524101', town01, { name: '自改乡名' }), 403, 'out_of_scope');
  problem(await req('POST', '/regions', town01, { code: '511524120', name: '新乡', parent: '511524' }), 403, 'out_of_scope', 'parent');
  problem(await req('POST', '/regions', town01, { code: '511525', name: '新县' }), 403, 'out_of_scope', 'parent');
  problem(await req('POST', '/regions', doctor01, { code: '511524101905', name: 'x', parent: '511524101' }), 403, 'out_of_role');
  problem(await req('POST', '/regions', county, { code: '511524101905', name: 'x', parent: '511524101' }), 403, 'out_of_role');
  assert.equal(sqlite("SELECT count(*) || ':' || max(name) FROM regions"), before, 'a refused or invalid request writes nothing');
  assert.equal(sqlite("SELECT name FROM regions WHERE code = '511524101901'"), '新村');

  // The system admin keeps the county's townships.
  const township = await req('POST', '/regions', admin, { code: '511524120', name: '新设镇', parent: '511524' });
  assert.equal(township.status, 201, township.text);
  assert.equal((await req('PATCH', '/regions/511524120', admin, { name: '新设镇（改）' })).json.name, '新设镇（改）');
});

test('institutions: every kind, 健康小屋 to private hospital, created and edited in scope', async () => {
  const hut = await req('POST', '/institutions', town01, { code: 'HH511524101001', name: '一村健康小屋', kind: 'health_hut', region: '511524101001' });
  assert.equal(hut.status, 201, hut.text);
  assert.deepEqual([hut.json.kind, hut.json.level, hut.json.region], ['health_hut', 'village', '511524101001']);
  const made = {};
  for (const [kind, level] of [['cdc', 'secondary'], ['maternal_child_hospital', 'secondary'], ['private_hospital', 'primary']]) {
    const r = await req('POST', '/institutions', admin, { code: `X-${kind}`, name: `县${kind}`, kind, region: '511524' });
    assert.equal(r.status, 201, r.text);
    assert.deepEqual([r.json.kind, r.json.level], [kind, level]);
    made[kind] = r.json.id;
    assert.equal(audited('create', 'institution', r.json.id), 1);
  }
  const listed = await req('GET', '/institutions?region=511524', county);
  const kinds = new Set(listed.json.items.map((i) => i.kind));
  for (const k of ['health_hut', 'cdc', 'maternal_child_hospital', 'private_hospital', 'county_hospital', 'village_clinic']) assert.ok(kinds.has(k), k);

  const edited = await req('PATCH', `/institutions/${hut.json.id}`, town01, { name: '一村健康小屋（新址）', level: 'village' });
  assert.equal(edited.status, 200, edited.text);
  assert.equal(edited.json.name, '一村健康小屋（新址）');
  assert.equal((await req('PATCH', `/institutions/${made.private_hospital}`, admin, { kind: 'district_hospital', level: 'secondary' })).json.kind, 'district_hospital');
  assert.equal(audited('update', 'institution', hut.json.id), 1);

  const count = sqlite('SELECT count(*) || group_concat(name) FROM institutions');
  problem(await req('POST', '/institutions', town01, { code: 'HH2', name: 'x', kind: 'spa', region: '511524101001' }), 422, 'invalid_field', 'kind');
  problem(await req('POST', '/institutions', town01, { code: 'HH 2', name: 'x', kind: 'health_hut', region: '511524101001' }), 422, 'invalid_institution_code', 'code');
  problem(await req('POST', '/institutions', town01, { code: 'HH511524101001', name: 'x', kind: 'health_hut', region: '511524101001' }), 409, 'institution_exists', 'code');
  problem(await req('POST', '/institutions', town01, { code: 'HH3', name: 'x', kind: 'health_hut', region: '51152410100101' }), 422, 'invalid_parent', 'region');
  problem(await req('POST', '/institutions', town01, { code: 'HH3', name: 'x', kind: 'health_hut', region: '511524199' }), 422, 'invalid_region', 'region');
  problem(await req('POST', '/institutions', town01, { code: 'HH3', name: 'x', kind: 'health_hut', level: 'quaternary', region: '511524101001' }), 422, 'invalid_field', 'level');
  problem(await req('POST', '/institutions', town01, { code: 'HH3', name: 'x', kind: 'cdc', region: '511524' }), 403, 'out_of_scope', 'region');
  problem(await req('POST', '/institutions', town02, { code: 'HH3', name: 'x', kind: 'health_hut', region: '511524101001' }), 403, 'out_of_scope', 'region');
  problem(await req('PATCH', `/institutions/${hut.json.id}`, town02, { name: '别人的小屋' }), 403, 'out_of_scope');
  problem(await req('PATCH', `/institutions/${made.cdc}`, town01, { name: 'x' }), 403, 'out_of_scope');
  problem(await req('PATCH', `/institutions/${hut.json.id}`, town01, { kind: 'castle' }), 422, 'invalid_field', 'kind');
  problem(await req('PATCH', '/institutions/999999', town01, { name: 'x' }), 404, 'not_found');
  problem(await req('POST', '/institutions', county, { code: 'HH3', name: 'x', kind: 'cdc', region: '511524' }), 403, 'out_of_role');
  assert.equal(sqlite('SELECT count(*) || group_concat(name) FROM institutions'), count);
});

// A village of township 101 with residents in more than one cell, the teams serving them.
async function villageWithPeople() {
  const rows = sqlite("SELECT region, count(*) FROM residents WHERE region LIKE '511524101%' AND length(region) = 14 GROUP BY region HAVING count(*) >= 6 ORDER BY region").split('\n').map((l) => l.split('|'));
  const byVillage = new Map();
  for (const [cell] of rows) byVillage.set(cell.slice(0, 12), [...(byVillage.get(cell.slice(0, 12)) || []), cell]);
  const [village, cells] = [...byVillage.entries()].find(([, c]) => c.length >= 2);
  return { village, cells };
}
const teamOf = (cell) => Number(sqlite(`SELECT team_id FROM team_cells WHERE region_code = '${cell}' ORDER BY team_id LIMIT 1`));

test('redrawing cells moves households with their people; counters stay exact; audit names each person', async () => {
  const { village, cells: [a, b] } = await villageWithPeople();
  const fresh = `${village}91`;
  assert.equal((await req('POST', '/regions', town01, { code: fresh, name: '新划网格', parent: village })).status, 201);
  const households = sqlite(`SELECT id FROM households WHERE region = '${a}' ORDER BY id LIMIT 2`).split('\n').map(Number);
  const people = sqlite(`SELECT group_concat(id) FROM (SELECT id FROM residents WHERE household_id IN (${households}) ORDER BY id) sub`);
  const moved = await req('POST', `/regions/${fresh}/redraw`, town01, { household_ids: households });
  assert.equal(moved.status, 200, moved.text);
  assert.equal(moved.json.households, 2);
  assert.equal(moved.json.residents, people.split(',').length);
  assert.equal(sqlite(`SELECT group_concat(DISTINCT region) FROM residents WHERE household_id IN (${households})`), fresh);
  assert.equal(sqlite(`SELECT group_concat(DISTINCT region) FROM households WHERE id IN (${households})`), fresh);
  for (const id of people.split(',')) assert.equal(audited('move', 'resident', id), 1, `audit of resident ${id}`);
  assert.equal(audited('redraw', 'region', fresh), 1);
  kpiExact('households moved to a cell no team serves');

  // Merge what is left of cell b into cell a (everyone registered there).
  const left = Number(sqlite(`SELECT count(*) FROM residents WHERE region = '${b}'`));
  const merged = await req('POST', `/regions/${a}/redraw`, town01, { from: b });
  assert.equal(merged.status, 200, merged.text);
  assert.equal(merged.json.residents, left);
  assert.equal(sqlite(`SELECT count(*) FROM residents WHERE region = '${b}'`), '0');
  kpiExact('a cell merged into another');

  const state = sqlite('SELECT group_concat(region) FROM (SELECT region FROM residents ORDER BY id) sub');
  const otherVillage = sqlite(`SELECT id FROM households WHERE region LIKE '511524101%' AND substr(region, 1, 12) <> '${village}' LIMIT 1`);
  problem(await req('POST', `/regions/${fresh}/redraw`, town01, { household_ids: [Number(otherVillage)] }), 422, 'not_same_village', 'household_ids');
  problem(await req('POST', `/regions/${fresh}/redraw`, town01, { household_ids: [99999999] }), 422, 'invalid_household', 'household_ids');
  problem(await req('POST', `/regions/${fresh}/redraw`, town01, { household_ids: 'all' }), 422, 'invalid_field', 'household_ids');
  problem(await req('POST', `/regions/${fresh}/redraw`, town01, {}), 422, 'missing_field', 'household_ids');
  problem(await req('POST', `/regions/${fresh}/redraw`, town01, { from: fresh }), 422, 'invalid_field', 'from');
  problem(await req('POST', `/regions/${fresh}/redraw`, town01, { from: '51152410290101' }), 422, 'invalid_region', 'from');
  problem(await req('POST', `/regions/${village}01/redraw`.replace(`${village}01`, '511524101'), town01, { from: a }), 422, 'invalid_region', 'code');
  problem(await req('POST', `/regions/${fresh}/redraw`, town02, { from: a }), 403, 'out_of_scope');
  problem(await req('POST', `/regions/${fresh}/redraw`, doctor01, { from: a }), 403, 'out_of_role');
  assert.equal(sqlite('SELECT group_concat(region) FROM (SELECT region FROM residents ORDER BY id) sub'), state);

  // The new cell goes to the team of cell a, then moves to another team of the township.
  const teamA = teamOf(a);
  const cellsOf = async (id) => (await req('GET', `/teams/${id}`, town01)).json.grid_cells.map((c) => c.code);
  const give = await req('PUT', `/teams/${teamA}/cells`, town01, { cells: [...await cellsOf(teamA), fresh] });
  assert.equal(give.status, 200, give.text);
  kpiExact('a cell given to a team');
  const other = (await req('GET', '/teams?region=511524101&limit=100', town01)).json.items.find((t) => t.id !== teamA && t.doctor_id && t.grid_cells.length);
  assert.ok(other, 'another team of the township');
  // Residents without a contract count for their cell's team: these counters move with it.
  const unsigned = Number(sqlite(`SELECT count(*) FROM residents r WHERE r.region = '${a}' AND NOT EXISTS (SELECT 1 FROM contracts c WHERE c.resident_id = r.id AND c.status = 'active')`));
  assert.ok(unsigned > 0, 'cell a has residents without a contract');
  assert.equal((await req('PUT', `/teams/${other.id}/cells`, town01, { cells: [...await cellsOf(other.id), a] })).status, 200);
  assert.equal((await req('PUT', `/teams/${teamA}/cells`, town01, { cells: (await cellsOf(teamA)).filter((c) => c !== a) })).status, 200);
  assert.equal(teamOf(a), other.id);
  kpiExact('a cell moved to another team');

  // A new responsible doctor for the team: its cells' residents count for the new doctor.
  const team = (await req('GET', `/teams/${other.id}`, town01)).json;
  const next = team.members.find((m) => m.id !== team.doctor_id);
  assert.ok(next, 'a second member');
  assert.equal((await req('PATCH', `/teams/${other.id}`, town01, { doctor_id: next.id })).status, 200);
  kpiExact('a new responsible doctor');
});

test('the elderly age, the child age and the renewal window change; the counters follow exactly', async () => {
  const ind = async () => {
    const items = (await req('GET', `/indicators?scope=region:511524&period=${YEAR}&codes=elderly_mgmt_rate,renewal_rate,child_mgmt_rate`, admin)).json.items;
    return ['elderly_mgmt_rate', 'renewal_rate', 'child_mgmt_rate'].map((c) => items.find((x) => x.code === c));
  };
  const start = await ind();
  const put = (values, token = admin) => req('PUT', '/protocol-settings', token, { values });
  let r = await put({ elderly_age: 60 });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.items.find((x) => x.key === 'elderly_age').value, 60);
  assert.equal(r.json.items.find((x) => x.key === 'elderly_age').version, 1);
  kpiExact('the elderly age set to 60');
  const sixty = await ind();
  assert.ok(sixty[0].denominator > start[0].denominator, `more elderly counted at 60: ${JSON.stringify([start[0], sixty[0]])}`);
  r = await put({ kpi_renewal_days: 90, child_age_below: 4 });
  assert.equal(r.status, 200, r.text);
  kpiExact('the renewal window and the child age changed');
  const later = await ind();
  assert.ok(later[2].denominator < sixty[2].denominator, 'fewer children under 4 than under 7');
  r = await put({ elderly_age: 65, kpi_renewal_days: 30, child_age_below: 7 });
  assert.equal(r.status, 200, r.text);
  kpiExact('the rules set back');
  assert.deepEqual(await ind(), start);
  assert.equal(sqlite("SELECT group_concat(value) FROM (SELECT value FROM settings WHERE key IN ('elderly_age', 'kpi_renewal_days', 'child_age_below') ORDER BY key) sub"), '7,65,30');
  assert.equal(Number(sqlite("SELECT count(*) FROM audit_log WHERE resource = 'protocol_setting'")), 6);

  problem(await put({ elderly_age: 90 }), 422, 'invalid_field', 'values.elderly_age');
  problem(await put({ kpi_renewal_days: -1 }), 422, 'invalid_field', 'values.kpi_renewal_days');
  problem(await put({ elderly_age: 60 }, town01), 403, 'out_of_role');
  assert.equal(sqlite("SELECT value FROM settings WHERE key = 'elderly_age'"), '65');
});

test('staff: the contract cap of a team member is kept by the admin of its institution', async () => {
  const team = (await req('GET', '/teams?region=511524101&limit=1', town01)).json.items[0];
  const member = team.members[0];
  const r = await req('PATCH', `/staff/${member.id}`, town01, { max_contracts: 120, phone: '13800000009' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.max_contracts, 120);
  assert.equal(typeof r.json.households, 'number');
  assert.equal(audited('update', 'staff', member.id), 1);
  problem(await req('PATCH', `/staff/${member.id}`, town01, { max_contracts: -5 }), 422, 'invalid_field', 'max_contracts');
  problem(await req('PATCH', `/staff/${member.id}`, town01, {}), 422, 'missing_field');
  problem(await req('PATCH', `/staff/${member.id}`, town02, { max_contracts: 1 }), 403, 'out_of_scope');
  problem(await req('PATCH', '/staff/99999999', town01, { max_contracts: 1 }), 404, 'not_found');
  assert.equal(sqlite(`SELECT max_contracts FROM staff WHERE id = ${member.id}`), '120');
});
