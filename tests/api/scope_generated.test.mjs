// Data scope from outside, route by route: for every route of `jiayi routes` and every
// parameter that names a person, a household, a team, a doctor, an institution, a region, a
// scope or any other record (in the path, the query or the body), each narrow-scoped login
// tries values outside its scope. It must be refused (403/404) with no personal data in the
// answer and nothing written; a list must hold only people inside the caller's scope.
//
// The oracle for "inside the scope" is the database's own definition (the user_scope view
// and the resident/proxy rule), read with the sqlite3 CLI. A route without a case in CASES
// fails the test, so a new route cannot ship without its scope being tried.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { makeDemo, startServer, cleanup, jiayi, PASSWORD, idNumber, dbSql, dbJson, ON_POSTGRESQL, openPii } from '../lib/server.mjs';
import { TODAY, YEAR } from '../lib/clock.mjs';

const COUNTY = '511524';
const OWN_TOWN = '511524101';
const FOREIGN_TOWN = '511524102';

let demo, s;
const callers = {}; // username -> { token, userId, role, visible:Set }
const F = {};       // kind -> foreign values (outside every narrow caller's scope)
const O = {};       // kind -> doctor01's own values (positive controls)

const sql = (query) => dbJson(demo.db, query);
const one = (query) => { const rows = sql(query); return rows.length ? Object.values(rows[0])[0] : null; };

// Residents the user may see, by the schema's definition of scope (plus a team's signed people).
function visibleResidents(userId) {
  const rows = sql(`SELECT r.id FROM residents r WHERE EXISTS (SELECT 1 FROM user_scope s WHERE s.user_id = ${userId}
      AND r.region >= s.code AND r.region < s.code || ';' AND (s.subtree = 1 OR r.region = s.code))
    OR r.id IN (SELECT m.id FROM users u JOIN residents me ON me.id = u.resident_id JOIN residents m
      ON m.id = me.id OR (m.household_id = me.household_id AND m.proxy_consent = 1) WHERE u.id = ${userId})
    OR r.id IN (SELECT c.resident_id FROM contracts c JOIN team_members tm ON tm.team_id = c.team_id
      JOIN staff st ON st.id = tm.staff_id WHERE st.user_id = ${userId} AND c.status = 'active')`);
  return new Set(rows.map((r) => r.id));
}

// Row counts of every table a request could write (not the audit log and its list subjects,
// which the auditor writes a moment after earlier reads, nor sessions or counters).
// One query (one CLI process) per digest: the tables are listed once, for the schema stays.
let digestSql = null;
function writeDigest() {
  const skip = "('audit_log', 'audit_subjects', 'sessions', 'kpi_counters', 'kpi_snapshots', 'schema_migrations')";
  digestSql ??= sql(ON_POSTGRESQL
    ? `SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' AND tablename NOT IN ${skip}`
    : `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT IN ${skip} AND name NOT LIKE 'sqlite_%'`)
    .map((t) => `SELECT '${t.name}' AS t, count(*) AS n FROM "${t.name}"`).join(' UNION ALL ');
  return JSON.stringify(sql(digestSql));
}

const q = (...names) => ({ query: names });

/* One entry per route. `p` maps each scope-bearing parameter to the kind of value it takes
 * (path parameters by their {name}, query parameters listed in `query`, the rest are body
 * fields filled by `body(v)`). `list` marks a list whose rows are checked against the scope.
 * `none` says why a route names nothing to try. `control: false` skips the positive control
 * (a destructive route: its own fixtures are consumed elsewhere). */
const CASES = {
  'GET /api/v1/health': { none: 'public' },
  'GET /metrics': { none: 'system admin only (role gate); counts, never a person' },
  'POST /api/v1/imports': { none: 'a row naming a place outside the scope is refused on its own, out_of_scope (api/imports)' },
  'GET /api/v1/imports': { none: 'the caller\'s own imports' },
  'GET /api/v1/imports/{id}': { none: 'the caller\'s own imports; another\'s reads as none (tested in api/imports)' },
  'GET /fhir/metadata': { none: 'public' },
  'GET /fhir/Patient': { p: { _id: 'resident' }, ...q('_id'), list: true },
  'GET /fhir/Patient/{id}': { p: { id: 'resident' } },
  'GET /fhir/Observation': { p: { patient: 'resident' }, ...q('patient'), required: ['patient'] },
  'GET /fhir/Observation/{id}': { p: { id: 'observation' } },
  'GET /fhir/Condition': { p: { patient: 'resident' }, ...q('patient'), required: ['patient'] },
  'GET /fhir/Condition/{id}': { p: { id: 'diagnosis' } },
  'GET /fhir/EpisodeOfCare': { p: { patient: 'resident' }, ...q('patient'), required: ['patient'] },
  'GET /fhir/EpisodeOfCare/{id}': { p: { id: 'episode' } },
  'GET /fhir/Schedule/{id}': { none: 'a hospital session, as /api/v1/slots' },
  'GET /fhir/Slot': { none: 'the slot pool, as /api/v1/slots' },
  'GET /fhir/Appointment': { p: { patient: 'resident' }, ...q('patient'), list: true },
  'GET /fhir/Appointment/{id}': { p: { id: 'booking' } },
  'POST /fhir/Encounter': { p: { resident: 'resident' }, body: (v) => ({ resourceType: 'Encounter', status: 'finished', class: { code: 'AMB' }, subject: { reference: `Patient/${v.resident}` }, period: { start: TODAY }, extension: [{ url: 'urn:jiayi:fhir:StructureDefinition:in-county', valueBoolean: true }] }), control: false },
  'POST /fhir/Appointment': { p: { resident: 'resident' }, body: (v) => ({ resourceType: 'Appointment', status: 'booked', slot: [{ reference: `Slot/${O.slot}` }], participant: [{ actor: { reference: `Patient/${v.resident}` }, status: 'accepted' }] }), control: false },
  'GET /fhir/Questionnaire': { none: 'the instruments, as /api/v1/questionnaires' },
  'GET /fhir/Questionnaire/{id}': { none: 'the instruments, as /api/v1/questionnaires' },
  'GET /fhir/QuestionnaireResponse': { p: { patient: 'resident' }, ...q('patient'), required: ['patient'] },
  'GET /fhir/QuestionnaireResponse/{id}': { p: { id: 'surveyResponse' } },
  'POST /fhir/QuestionnaireResponse': { p: { resident: 'resident' }, body: (v) => ({ resourceType: 'QuestionnaireResponse', status: 'completed', questionnaire: 'urn:jiayi:fhir:Questionnaire:satisfaction_service', subject: { reference: `Patient/${v.resident}` }, item: [1, 2, 3, 4, 5, 6].map((n) => ({ linkId: String(n), answer: [{ valueInteger: 4 }] })) }), control: false },
  'GET /fhir/Encounter': { p: { patient: 'resident' }, ...q('patient'), required: ['patient'] },
  'GET /fhir/Encounter/{id}': { p: { id: 'encounter' } },
  'GET /fhir/ServiceRequest': { p: { patient: 'resident' }, ...q('patient'), required: ['patient'] },
  'GET /fhir/ServiceRequest/{id}': { p: { id: 'referral' } },
  'GET /fhir/MedicationRequest': { p: { patient: 'resident' }, ...q('patient'), required: ['patient'] },
  'GET /fhir/MedicationRequest/{id}': { p: { id: 'medication' } },
  'GET /fhir/RelatedPerson': { p: { patient: 'resident' }, ...q('patient'), required: ['patient'] },
  'GET /fhir/RelatedPerson/{id}': { p: { id: 'relatedPerson' } },
  'GET /fhir/Consent': { p: { patient: 'resident' }, ...q('patient'), required: ['patient'] },
  'GET /fhir/Consent/{id}': { p: { id: 'consent' } },
  'GET /fhir/Organization': { none: 'the grid, as /api/v1/institutions' },
  'GET /fhir/Organization/{id}': { none: 'the grid, as /api/v1/institutions' },
  'GET /fhir/Location': { none: 'the grid, as /api/v1/regions' },
  'GET /fhir/Location/{id}': { none: 'the grid, as /api/v1/regions' },
  'GET /fhir/Practitioner': { none: 'the grid, as /api/v1/staff' },
  'GET /fhir/Practitioner/{id}': { none: 'the grid, as /api/v1/staff' },
  'GET /fhir/PractitionerRole': { none: 'the grid, as /api/v1/staff' },
  'GET /fhir/PractitionerRole/{id}': { none: 'the grid, as /api/v1/staff' },
  'GET /fhir/CareTeam': { none: 'the grid, as /api/v1/teams' },
  'GET /fhir/CareTeam/{id}': { none: 'the grid, as /api/v1/teams' },
  'POST /fhir/Patient': { p: { region: 'region' }, body: (v) => ({ resourceType: 'Patient', name: [{ text: '越界居民' }], identifier: [{ system: 'urn:oid:2.16.156.10011.1.3', value: idNumber('1980-01-01', 79, COUNTY) }], address: [{ extension: [{ url: 'urn:jiayi:fhir:StructureDefinition:region', valueCode: v.region }] }] }), control: false },
  'POST /api/v1/session': { none: 'login' },
  'GET /api/v1/session': { none: 'the caller only' },
  'DELETE /api/v1/session': { none: 'the caller only' },
  'GET /api/v1/regions': { none: 'the grid is public within the county' },
  'GET /api/v1/regions/{code}': { none: 'the grid is public within the county' },
  'GET /api/v1/institutions': { none: 'institutions are public' },
  'GET /api/v1/teams': { list: true },
  // Teams are public (公示); their staff's phones are not (minimum necessary).
  'GET /api/v1/teams/{id}': { p: { id: 'team' }, answered: (r) => foreignPhones().filter((p) => r.text.includes(p)).map((p) => `phone ${p}`) },
  'POST /api/v1/teams': { p: { institution_id: 'institution' }, body: (v) => ({ name: '越界团队', model: 'basic', institution_id: v.institution_id }), control: false },
  'PATCH /api/v1/teams/{id}': { p: { id: 'team', doctor_id: 'doctor' }, body: (v) => ({ name: '改名', doctor_id: v.doctor_id }), control: false },
  'POST /api/v1/teams/{id}/members': { p: { id: 'team', staff_id: 'staff' }, body: (v) => ({ staff_id: v.staff_id, role: 'nurse' }), control: false },
  'DELETE /api/v1/teams/{id}/members/{staff_id}': { p: { id: 'team', staff_id: 'staff' }, control: false },
  'PUT /api/v1/teams/{id}/cells': { p: { id: 'team', cells: 'cell' }, body: (v) => ({ cells: [v.cells] }), control: false },
  'GET /api/v1/staff': { list: true },
  'POST /api/v1/staff': { p: { institution_id: 'institution' }, body: (v) => ({ name: '越界', profession: 'nurse', institution_id: v.institution_id }), control: false },
  // The county's grid (api/grid.c): a centre admin keeps only what lies below its township.
  'POST /api/v1/regions': { p: { parent: 'region' }, body: (v) => ({ code: `${v.parent}951`, name: '越界村', parent: v.parent }), control: false },
  'PATCH /api/v1/regions/{code}': { p: { code: 'cell' }, body: () => ({ name: '越界改名' }), control: false },
  'POST /api/v1/regions/{code}/redraw': { p: { code: 'cell', household_ids: 'household' }, body: (v) => ({ household_ids: [v.household_ids] }), control: false },
  'POST /api/v1/institutions': { p: { region: 'region' }, body: (v) => ({ code: `X${v.region}`, name: '越界机构', kind: 'health_hut', region: v.region }), control: false },
  'PATCH /api/v1/institutions/{id}': { p: { id: 'institution' }, body: () => ({ name: '越界改名' }), control: false },
  'PATCH /api/v1/staff/{id}': { p: { id: 'staff' }, body: () => ({ max_contracts: 1 }), control: false },
  'GET /api/v1/residents': { p: { region: 'region', team: 'team' }, ...q('region', 'team'), list: true },
  'POST /api/v1/residents': { p: { region: 'region', household_id: 'household' }, body: (v) => ({ name: '越界居民', id_number: idNumber('1980-01-01', 77, COUNTY), region: v.region, household_id: v.household_id }), control: false },
  'GET /api/v1/residents/{id}': { p: { id: 'resident' } },
  'PATCH /api/v1/residents/{id}': { p: { id: 'resident', household_id: 'household', region: 'cell' }, body: (v) => ({ address: '越界', household_id: v.household_id, region: v.region }), control: false },
  'PUT /api/v1/residents/{id}/record': { p: { id: 'resident' }, body: () => ({ opened_to_resident: true, consent_date: TODAY }) },
  'POST /api/v1/residents/{id}/diagnoses': { p: { id: 'resident' }, body: () => ({ icd10: 'I10', diagnosed_on: TODAY }), control: false },
  'GET /api/v1/households': { p: { region: 'region' }, ...q('region'), list: true },
  'POST /api/v1/households': { p: { region: 'cell' }, body: (v) => ({ region: v.region }), control: false },
  'GET /api/v1/households/{id}': { p: { id: 'household' } },
  'PATCH /api/v1/households/{id}': { p: { id: 'household', head_id: 'resident' }, body: (v) => ({ address: '越界', head_id: v.head_id }), control: false },
  'POST /api/v1/census-visits': { p: { household_id: 'household' }, body: (v) => ({ household_id: v.household_id, visit_date: TODAY }) },
  // Intersected: the households counted are the caller's own.
  'GET /api/v1/census-rates': { p: { region: 'region' }, ...q('region'), answered: (r, caller, v) => (r.json.households > visibleHouseholds(caller, v.region) ? ['counts households outside scope'] : []) },
  'POST /api/v1/flags': { p: { resident_id: 'resident' }, body: (v) => ({ resident_id: v.resident_id, reason: 'other', note: 'scope test' }) },
  'GET /api/v1/flags': { p: { resident: 'resident' }, ...q('resident'), list: true },
  'GET /api/v1/flags/{id}': { p: { id: 'flag' } },
  'POST /api/v1/flags/{id}/confirm': { p: { id: 'flag' }, body: () => ({ note: 'x' }), control: false },
  'POST /api/v1/flags/{id}/dismiss': { p: { id: 'flag' }, body: () => ({ note: 'x' }), control: false },
  'GET /api/v1/worklist': { p: { doctor: 'doctor', team: 'team', region: 'region', resident: 'resident' }, ...q('doctor', 'team', 'region', 'resident'), list: true },
  'POST /api/v1/tasks/{id}/close': { p: { id: 'task' }, body: () => ({ outcome: 'done', note: 'x' }), control: false },
  'POST /api/v1/tasks/{id}/calls': { p: { id: 'task' }, body: () => ({ outcome: 'no_answer', note: 'scope test' }) },
  'POST /api/v1/enrolments': { p: { resident_id: 'resident' }, body: (v) => ({ resident_id: v.resident_id, program: 'elderly', start_date: TODAY }), control: false },
  'POST /api/v1/enrolments/{id}/end': { p: { id: 'enrolment' }, body: () => ({ end_date: TODAY, reason: 'other' }), control: false },
  'POST /api/v1/protocols/{program}/evaluate': { none: 'a dry run on the data sent' },
  'GET /api/v1/protocol-settings': { none: 'county settings' },
  'PUT /api/v1/protocol-settings': { none: 'county settings' },
  'GET /api/v1/protocol-lists': { none: 'county settings' },
  'PUT /api/v1/protocol-lists/{key}': { none: 'county settings' },
  'POST /api/v1/followups': { p: { resident_id: 'resident' }, body: (v) => ({ resident_id: v.resident_id, program: 'hypertension', visit_date: TODAY, sbp: 130, dbp: 80, findings: [], mode: 'clinic' }), control: false },
  'DELETE /api/v1/followups/{id}': { p: { id: 'followup' }, control: false },
  'GET /api/v1/followups': { p: { region: 'region', team: 'team', doctor: 'doctor' }, ...q('region', 'team', 'doctor'), list: true },
  'GET /api/v1/residents/{id}/followups': { p: { id: 'resident' } },
  'GET /api/v1/residents/{id}/management': { p: { id: 'resident' } },
  'POST /api/v1/exams/import': { none: 'the exam file: tests/api/exam_import.test.mjs answers every row alike' },
  'GET /api/v1/residents/{id}/exams': { p: { id: 'resident' } },
  'POST /api/v1/devices': { p: { resident_id: 'resident' }, body: (v) => ({ resident_id: v.resident_id, kind: 'bp_monitor' }) },
  'POST /api/v1/devices/{id}/revoke': { p: { id: 'device' }, body: () => ({}), control: false },
  'GET /api/v1/residents/{id}/devices': { p: { id: 'resident' } },
  'POST /api/v1/observations': { none: 'a device token names its one resident' },
  'GET /api/v1/residents/{id}/observations': { p: { id: 'resident' } },
  'GET /api/v1/residents/{id}/schedule/{program}': { p: { id: 'resident' }, fixed: { program: 'child' }, control: false },
  'POST /api/v1/residents/{id}/vaccinations': { p: { id: 'resident' }, body: () => ({ vaccine: 'bcg', dose: 1, date: TODAY }), control: false },
  'GET /api/v1/residents/{id}/tb-cases': { p: { id: 'resident' } },
  'POST /api/v1/tb-cases': { p: { resident_id: 'resident' }, body: (v) => ({ resident_id: v.resident_id, notified_on: TODAY, treatment_start: TODAY, supervision: 'family' }), control: false },
  'POST /api/v1/tb-cases/evaluate': { none: 'a dry run of the rules: names nobody' },
  'POST /api/v1/copd/evaluate': { none: 'a dry run of the rules: names nobody' },
  'POST /api/v1/cohort-studies': {
    p: { team_id: 'team', region: 'region', resident_ids: 'resident' },
    body: (v) => ({ name: '范围', kind: 'list', team_id: v.team_id, region: v.region, resident_ids: [v.resident_ids], before: { from: `${Number(YEAR) - 1}-01-01`, to: `${Number(YEAR) - 1}-06-30` }, after: { from: `${Number(YEAR) - 1}-07-01`, to: `${Number(YEAR) - 1}-12-31` } }),
  },
  'GET /api/v1/cohort-studies': { none: 'only the studies the caller may see (tested in api/cohort_studies)' },
  'GET /api/v1/cohort-studies/{id}': { p: { id: 'cohort_study' } },
  'GET /api/v1/cohort-studies/{id}/regression': { p: { id: 'cohort_study' } },
  'GET /api/v1/cohort-studies/{id}/members': { p: { id: 'cohort_study' } },
  'POST /api/v1/qca': { none: 'names no record: the cases are the caller\'s own table' },
  'POST /api/v1/assessment-rounds': { p: { institution_id: 'institution' }, body: (v) => ({ level: 'institution', period: `${YEAR}-Q1`, institution_id: v.institution_id }), control: false },
  'GET /api/v1/assessment-rounds': { none: 'only the rounds inside the caller\'s area (tested in api/assessments)' },
  'GET /api/v1/assessment-rounds/{id}': { p: { id: 'assessment_round' } },
  'POST /api/v1/assessment-rounds/{id}/checks/{check_id}': { p: { id: 'assessment_round', check_id: 'assessment_check' }, body: () => ({ outcome: 'confirmed' }), control: false },
  'POST /api/v1/assessment-rounds/{id}/sign-off': { p: { id: 'assessment_round' }, control: false },
  'GET /api/v1/residents/{id}/copd-visits': { p: { id: 'resident' } },
  'POST /api/v1/residents/{id}/copd-visits': { p: { id: 'resident' }, body: () => ({ visit_date: TODAY, mode: 'clinic', mmrc: 1, cat: 8 }), control: false },
  'GET /api/v1/residents/{id}/visit-prompts': { p: { id: 'resident' } },
  'POST /api/v1/residents/{id}/visit-offers': { p: { id: 'resident' }, body: () => ({ kind: 'sign', response: 'declined' }), control: false },
  'GET /api/v1/reports/visit-offers': { p: { region: 'region' }, ...q('region'), required: ['region'] },
  'GET /api/v1/visit-day': { p: { team: 'team' }, ...q('team'), required: ['team'], list: true },
  'GET /api/v1/residents/{id}/sickbeds': { p: { id: 'resident' } },
  'POST /api/v1/residents/{id}/sickbeds': { p: { id: 'resident' }, body: () => ({ admitted_on: TODAY, diagnosis: 'I63.9' }), control: false },
  'POST /api/v1/sickbeds/{id}/rounds': { p: { id: 'sickbed' }, body: () => ({ date: TODAY }), control: false },
  'POST /api/v1/sickbeds/{id}/discharge': { p: { id: 'sickbed' }, body: () => ({ date: TODAY, outcome: 'improved' }), control: false },
  'GET /api/v1/residents/{id}/certificates': { p: { id: 'resident' } },
  'POST /api/v1/residents/{id}/certificates': { p: { id: 'resident' }, body: () => ({ disease: 'hypertension' }), control: false },
  'POST /api/v1/certificates/{id}/transition': { p: { id: 'certificate' }, body: () => ({ to: 'notified', date: TODAY }), control: false },
  'GET /api/v1/certificates': { p: { team: 'team' }, ...q('team'), required: ['team'], list: true },
  'GET /api/v1/residents/{id}/test-results': { p: { id: 'resident' } },
  'POST /api/v1/residents/{id}/test-results': { p: { id: 'resident' }, body: () => ({ item: 'cbc', taken_on: TODAY, source: 'HIS' }), control: false },
  'GET /api/v1/residents/{id}/test-results/check': { p: { id: 'resident' }, fixed: { item: 'cbc' } },
  'GET /api/v1/recognised-items': { none: 'the county\'s catalogue: names nobody' },
  'GET /api/v1/teams/{id}/allocations': { p: { id: 'team' } },
  'POST /api/v1/teams/{id}/allocations': { p: { id: 'team' }, body: () => ({ period: '2001', pool_fen: 100, shares: [{ staff_id: O.doctor, weight: 1 }] }), control: false },
  'GET /api/v1/tb-cases/{id}': { p: { id: 'tb_case' } },
  'POST /api/v1/tb-cases/{id}/visits': { p: { id: 'tb_case' }, body: () => ({ visit_date: TODAY, mode: 'home_visit', doses_due: 1, doses_taken: 1 }), control: false },
  'GET /api/v1/residents/{id}/measurements': { p: { id: 'resident' } },
  'GET /api/v1/residents/{id}/health-summary': { p: { id: 'resident' } },
  'GET /api/v1/audit': { none: 'system and centre admins only (role gate)' },
  'GET /api/v1/reports/fees': { p: { region: 'region' }, ...q('region'), fixed: { period: YEAR }, answered: (r, caller) => feeRowsOutside(r.json, caller) },
  'GET /api/v1/fulfilment': { p: { team: 'team', doctor: 'doctor' }, ...q('team', 'doctor'), aggregate: true },
  'GET /api/v1/packages': { none: 'the county catalogue' },
  'POST /api/v1/fee-split': { none: 'a price and its rules, no one\'s data' },
  'GET /api/v1/enumerations': { none: 'the API\'s closed lists' },
  'POST /api/v1/packages': { none: 'county catalogue (admins)' },
  'PUT /api/v1/packages/{code}': { none: 'county catalogue (admins)' },
  'POST /api/v1/contracts': { p: { resident_id: 'resident', team_id: 'team', doctor_id: 'doctor' }, body: (v) => ({ resident_id: v.resident_id, team_id: v.team_id, doctor_id: v.doctor_id, packages: ['BASIC'], start_date: TODAY, channel: 'clinic' }), control: false },
  'GET /api/v1/contracts': { p: { team: 'team', doctor: 'doctor' }, ...q('team', 'doctor'), list: true },
  'GET /api/v1/contracts/{id}': { p: { id: 'contract' } },
  'GET /api/v1/contracts/{id}/agreement.pdf': { p: { id: 'contract' } },
  'POST /api/v1/contracts/{id}/terminate': { p: { id: 'contract' }, body: () => ({ reason: 'other' }), control: false },
  'POST /api/v1/contracts/{id}/renew': { p: { id: 'contract' }, body: () => ({}), control: false },
  'POST /api/v1/contracts/{id}/transfer': { p: { id: 'contract', team_id: 'team', doctor_id: 'doctor' }, body: (v) => ({ team_id: v.team_id, doctor_id: v.doctor_id, reason: 'x', cross_grid_reason: 'x' }), control: false },
  'POST /api/v1/contracts/{id}/deliveries': { p: { id: 'contract' }, body: () => ({ service: 'followup', quantity: 1, delivered_on: TODAY }), control: false },
  'GET /api/v1/residents/{id}/contract': { p: { id: 'resident' } },
  'GET /api/v1/indicators': { p: { scope: 'scope' }, ...q('scope'), aggregate: true },
  'GET /api/v1/indicators/breakdown': { p: { scope: 'scope' }, ...q('scope'), aggregate: true },
  'GET /api/v1/indicators/trend': { p: { scope: 'scope' }, ...q('scope'), aggregate: true, fixed: { codes: 'htn_control_rate' } },
  'GET /api/v1/indicators/patients': { p: { scope: 'scope' }, ...q('scope'), list: true, fixed: { code: 'htn_control_rate', part: 'denominator' } },
  'GET /api/v1/indicators/overdue': { p: { scope: 'scope' }, ...q('scope'), list: true, fixed: { program: 'hypertension' } },
  'GET /api/v1/indicators/cascade': { p: { scope: 'scope' }, ...q('scope'), aggregate: true, fixed: { program: 'hypertension' } },
  'GET /api/v1/indicator-targets': { none: 'county settings' },
  'PUT /api/v1/indicator-targets': { none: 'county settings' },
  'GET /api/v1/team-scores': { p: { scope: 'scope' }, ...q('scope'), aggregate: true },
  'GET /api/v1/team-score-settings': { none: 'county settings' },
  'PUT /api/v1/team-score-settings': { none: 'county settings' },
  'GET /api/v1/groups': { p: { region: 'region', team: 'team' }, ...q('region', 'team'), list: true },
  'POST /api/v1/groups': { p: { region: 'cell', team_id: 'team', leader_staff_id: 'staff' }, body: (v) => ({ name: '越界小组', focus: 'hypertension', region: v.region, team_id: v.team_id, leader_staff_id: v.leader_staff_id }), control: false },
  'GET /api/v1/groups/{id}': { p: { id: 'group' } },
  'POST /api/v1/groups/{id}/members': { p: { id: 'group', resident_id: 'resident' }, body: (v) => ({ resident_id: v.resident_id }), control: false },
  'DELETE /api/v1/groups/{id}/members/{resident_id}': { p: { id: 'group', resident_id: 'resident' }, control: false },
  'POST /api/v1/groups/{id}/activities': { p: { id: 'group', attendees: 'resident', leader_staff_id: 'staff' }, body: (v) => ({ activity_date: TODAY, topic: '越界', attendees: [v.attendees], leader_staff_id: v.leader_staff_id }), control: false },
  'DELETE /api/v1/groups/{id}/activities/{activity_id}/attendees/{resident_id}': { p: { id: 'group', activity_id: 'activity', resident_id: 'resident' }, control: false },
  'POST /api/v1/encounters': { p: { resident_id: 'resident', team_id: 'team', staff_id: 'staff' }, body: (v) => ({ resident_id: v.resident_id, encounter_date: TODAY, in_county: true, team_id: v.team_id, staff_id: v.staff_id }), control: false },
  'DELETE /api/v1/encounters/{id}': { p: { id: 'encounter' }, control: false },
  'GET /api/v1/residents/{id}/encounters': { p: { id: 'resident' } },
  'POST /api/v1/referrals': { p: { resident_id: 'resident', from_institution_id: 'institution' }, body: (v) => ({ resident_id: v.resident_id, referred_on: TODAY, direction: 'up', from_institution_id: v.from_institution_id, to_institution_id: O.hospital }), control: false },
  'GET /api/v1/residents/{id}/referrals': { p: { id: 'resident' } },
  'POST /api/v1/referrals/{id}/seen': { p: { id: 'referral' }, body: () => ({ seen_on: TODAY }), control: false },
  // The tracked referral (issue 15): either end reads it; the list holds the caller's own.
  'GET /api/v1/referrals': { list: true },
  'GET /api/v1/referrals/{id}': { p: { id: 'referral' } },
  'POST /api/v1/referrals/{id}/accept': { p: { id: 'referral' }, control: false },
  'POST /api/v1/referrals/{id}/decline': { p: { id: 'referral' }, body: () => ({ reason: '越界' }), control: false },
  'POST /api/v1/referrals/{id}/return': { p: { id: 'referral' }, body: () => ({ summary: '越界', plan: '越界' }), control: false },
  'POST /api/v1/referrals/{id}/close': { p: { id: 'referral' }, control: false },
  'POST /api/v1/referrals/{id}/cancel': { p: { id: 'referral' }, control: false },
  'POST /api/v1/referrals/{id}/satisfaction': { p: { id: 'referral' }, body: () => ({ score: 5 }), control: false },
  'GET /api/v1/reports/high-risk-pregnancies': { p: { region: 'region' }, ...q('region'), list: true, required: ['region'] },
  'POST /api/v1/satisfaction': { p: { resident_id: 'resident', team_id: 'team' }, body: (v) => ({ resident_id: v.resident_id, team_id: v.team_id, score: 5, answered_on: TODAY }), control: false },
  'GET /api/v1/drugs': { none: 'the county drug catalogue names no one' },
  'GET /api/v1/drugs/versions': { none: 'the county drug catalogue names no one' },
  'POST /api/v1/drugs/versions': { none: 'the county drug catalogue names no one' },
  'GET /api/v1/residents/{id}/long-prescription-check': { p: { id: 'resident' }, fixed: { program: 'hypertension' } },
  'POST /api/v1/prescriptions': { p: { resident_id: 'resident' }, body: (v) => ({ resident_id: v.resident_id, kind: 'ordinary', days_supply: 7, items: [{ drug_code: F.drug, dose: '1', unit: 'mg', frequency: 'qd' }] }), control: false },
  'GET /api/v1/residents/{id}/prescriptions': { p: { id: 'resident' } },
  'GET /api/v1/prescriptions/{id}': { p: { id: 'prescription' } },
  'POST /api/v1/prescriptions/{id}/delivery': { p: { id: 'prescription' }, body: () => ({ status: 'picked_up' }), control: false },
  // Specialist slots (issue 15): family doctors search any hospital; a desk only its own.
  'GET /api/v1/slots': { p: { hospital: 'hospital' }, ...q('hospital'), list: true },
  'GET /api/v1/slots/utilisation': { p: { hospital: 'hospital' }, ...q('hospital'), list: true },
  'GET /api/v1/bookings': { p: { resident: 'resident', hospital: 'hospital' }, ...q('resident', 'hospital'), list: true },
  'POST /api/v1/bookings': { p: { resident_id: 'resident' }, body: (v) => ({ slot_id: O.slot, resident_id: v.resident_id }), control: false },
  'POST /api/v1/bookings/{id}/cancel': { p: { id: 'booking' }, control: false },
  'POST /api/v1/bookings/{id}/reschedule': { p: { id: 'booking' }, body: () => ({ slot_id: O.slot }), control: false },
  'POST /api/v1/bookings/{id}/attendance': { p: { id: 'booking' }, body: () => ({ status: 'no_show' }), control: false },
  'GET /api/v1/hospitals/{id}/departments': { none: 'a hospital\'s departments are public to whoever searches its slots' },
  'POST /api/v1/hospitals/{id}/departments': { p: { id: 'hospital' }, body: () => ({ code: 'far', name_zh: '越界科', name_en: 'Far' }), control: false },
  'POST /api/v1/hospitals/{id}/schedules': { p: { id: 'hospital' }, body: () => ({ department: 'acupuncture', doctor_name: '越界', date: TODAY, start: '20:00', end: '21:00', slot_minutes: 15, capacity: 1 }), control: false },
  'GET /api/v1/hospitals/{id}/release-rules': { p: { id: 'hospital' }, control: false },
  'PUT /api/v1/hospitals/{id}/release-rules': { p: { id: 'hospital' }, body: () => ({ family_share: 0, family_lead_days: 0, public_lead_days: 0 }), control: false },
  // Health points and surveys (issue 16).
  'GET /api/v1/residents/{id}/points': { p: { id: 'resident' } },
  'GET /api/v1/points/catalogue': { none: 'what points buy names no one' },
  'POST /api/v1/points/catalogue': { p: { institution_id: 'institution' }, body: (v) => ({ name: '越界物品', kind: 'goods', cost: 1, stock: 1, institution_id: v.institution_id }), control: false },
  'POST /api/v1/points/redemptions': { p: { resident_id: 'resident' }, body: (v) => ({ resident_id: v.resident_id, item_id: one('SELECT min(id) FROM points_items') }), control: false },
  'GET /api/v1/points/rules': { none: 'the county\'s rules name no one' },
  'PUT /api/v1/points/rules': { none: 'the county\'s rules name no one' },
  'GET /api/v1/questionnaires': { none: 'the questionnaires name no one' },
  'POST /api/v1/survey-responses': { p: { resident_id: 'resident', team_id: 'team' }, body: (v) => ({ questionnaire: 'wake_forest_trust_10', resident_id: v.resident_id, team_id: v.team_id, channel: 'phone_callback', answers: Array.from({ length: 10 }, (_, i) => ({ n: i + 1, value: 3 })) }), control: false },
  'GET /api/v1/residents/{id}/surveys': { p: { id: 'resident' } },
  'GET /api/v1/teams/{id}/survey-results': { p: { id: 'team' }, fixed: { questionnaire: 'wake_forest_trust_10' } },
  // Visit requests (issue 16): a resident's own; staff only for a team they are on.
  'POST /api/v1/residents/{id}/visit-requests': { p: { id: 'resident' }, body: () => ({ kind: O.visitKind, preferred_date: TODAY, preferred_time: 'pm' }) },
  'GET /api/v1/residents/{id}/visit-requests': { p: { id: 'resident' } },
  'GET /api/v1/teams/{id}/visit-requests': { p: { id: 'team' }, list: true },
  'POST /api/v1/visit-requests/{id}/confirm': { p: { id: 'visit' }, body: () => ({ date: TODAY, time: 'am' }), control: false },
  'POST /api/v1/visit-requests/{id}/cancel': { p: { id: 'visit' }, body: () => ({}), control: false },
  'POST /api/v1/visit-requests/{id}/done': { p: { id: 'visit' }, body: () => ({}), control: false },
  // The outbox (issue 16): a centre's admin lists its own area's messages only.
  'POST /api/v1/session/code': { none: 'public: the same answer for every phone (tests/api/outbox.test.mjs)' },
  'GET /api/v1/outbox': { p: { region: 'region' }, ...q('region'), list: true },
  'POST /api/v1/outbox/receipts': { none: 'a channel\'s token, not a login; a message key names no one' },
  // The team's service group and consultations (issue 16): a team publishes and answers for
  // itself; a resident reads, acknowledges and asks for themself (or by proxy consent).
  'POST /api/v1/teams/{id}/content': { p: { id: 'team' }, body: () => ({ kind: 'notice', title: '越界通知', body: '越界' }) },
  'GET /api/v1/teams/{id}/content': { p: { id: 'team' } },
  'GET /api/v1/residents/{id}/content': { p: { id: 'resident' } },
  'GET /api/v1/content/{id}/receipts': { p: { id: 'content' } },
  'POST /api/v1/content/{id}/read': { p: { id: 'content', resident_id: 'resident' }, body: (v) => ({ resident_id: v.resident_id }), control: false },
  'POST /api/v1/residents/{id}/consultations': { p: { id: 'resident' }, body: () => ({ subject: '越界', body: '越界' }), control: false },
  'GET /api/v1/residents/{id}/consultations': { p: { id: 'resident' } },
  'GET /api/v1/consultations/{id}': { p: { id: 'consultation' } },
  'POST /api/v1/consultations/{id}/messages': { p: { id: 'consultation' }, body: () => ({ body: '越界回复' }) },
  'POST /api/v1/consultations/{id}/close': { p: { id: 'consultation' } },
  'GET /api/v1/teams/{id}/consultations': { p: { id: 'team' } },
  'GET /api/v1/reminders/effect': { p: { scope: 'scope' }, ...q('scope'), aggregate: true },
};

// The values a caller may try for a kind: the foreign ones, plus (for a team's staff) the
// township or centre around their own cells, which a team's exact grant must not open.
function foreignValues(caller, kind) {
  const teamStaff = ['doctor', 'team_lead', 'nurse', 'village_doctor'].includes(caller.role);
  const resident = caller.role === 'resident';
  switch (kind) {
    case 'region': return [FOREIGN_TOWN, ...(teamStaff || resident ? [OWN_TOWN] : []), ...(resident ? [COUNTY] : [])];
    case 'scope': return [`region:${FOREIGN_TOWN}`, `region:${COUNTY}`, `team:${F.team}`, `doctor:${F.doctor}`,
      `institution:${F.institution}`, ...(teamStaff ? [`region:${OWN_TOWN}`, `institution:${O.institution}`] : [])];
    case 'resident': return [F.resident, ...(teamStaff || resident ? [O.otherTeamResident] : [])];
    default: return [F[kind]];
  }
}

// Every resident id an answer names: resident_id anywhere, and the id of a residents-list row.
function residentIdsIn(json, route) {
  const ids = [];
  const walk = (x) => {
    if (Array.isArray(x)) return x.forEach(walk);
    if (x && typeof x === 'object') {
      for (const [k, v] of Object.entries(x)) {
        if (k === 'resident_id' && typeof v === 'number') ids.push(v);
        else walk(v);
      }
    }
  };
  walk(json);
  if (route === 'GET /api/v1/residents') for (const item of json.items || []) ids.push(item.id);
  if (route === 'GET /fhir/Patient') for (const e of json.entry || []) ids.push(Number(e.resource.id));
  // every Patient a FHIR answer refers to
  const refs = (x) => {
    if (Array.isArray(x)) return x.forEach(refs);
    if (x && typeof x === 'object') for (const [k, v] of Object.entries(x)) {
      const m = k === 'reference' && typeof v === 'string' && v.match(/^Patient\/(\d+)$/);
      if (m) ids.push(Number(m[1])); else refs(v);
    }
  };
  if (route.includes(' /fhir/')) refs(json);
  if (route === 'GET /api/v1/households') for (const h of json.items || []) if (Array.isArray(h.members)) for (const m of h.members) ids.push(m.id);
  return ids;
}

before(async () => {
  demo = makeDemo({ residents: 800, name: 'scope' });
  // A team lead and a nurse linked to doctor01's team, as a real centre sets them up.
  const team1 = one(`SELECT tm.team_id FROM team_members tm JOIN staff st ON st.id = tm.staff_id JOIN users u ON u.id = st.user_id WHERE u.username = 'doctor01'`);
  const spare = sql(`SELECT st.id FROM team_members tm JOIN staff st ON st.id = tm.staff_id WHERE tm.team_id = ${team1} AND st.user_id IS NULL ORDER BY st.id LIMIT 2`);
  assert.equal(spare.length, 2, 'doctor01\'s team has two members without a login');
  jiayi(['user', 'add', '--db', demo.db, '--username', 'lead1', '--role', 'team_lead', '--name', 'lead1', '--password', PASSWORD, '--staff', String(spare[0].id)]);
  jiayi(['user', 'add', '--db', demo.db, '--username', 'nurse1', '--role', 'nurse', '--name', 'nurse1', '--password', PASSWORD, '--staff', String(spare[1].id)]);
  s = await startServer(demo.db);
  for (const username of ['doctor01', 'village01', 'town01', 'resident01', 'lead1', 'nurse1']) {
    const [u] = sql(`SELECT id, role FROM users WHERE username = '${username}'`);
    callers[username] = { username, userId: u.id, role: u.role, token: await s.login(username), visible: visibleResidents(u.id) };
  }
  const doc1 = callers.doctor01;
  const vis1 = [...doc1.visible].join(',');

  // Foreign: township 102, the team of a signed resident there (a login for its GP makes
  // the fixtures the API must create, such as a device).
  F.resident = one(`SELECT r.id FROM residents r JOIN contracts c ON c.resident_id = r.id AND c.status = 'active' WHERE r.region LIKE '${FOREIGN_TOWN}%' ORDER BY r.id LIMIT 1`);
  F.contract = one(`SELECT id FROM contracts WHERE resident_id = ${F.resident} AND status = 'active'`);
  F.team = one(`SELECT team_id FROM contracts WHERE id = ${F.contract}`);
  F.doctor = one(`SELECT doctor_id FROM contracts WHERE id = ${F.contract}`);
  jiayi(['user', 'add', '--db', demo.db, '--username', 'far1', '--role', 'doctor', '--name', 'far1', '--password', PASSWORD, '--staff', String(F.doctor)]);
  const far = await s.login('far1');
  // A member of the foreign team from its own township (hospital specialists on 1+4+N
  // teams serve every township and are anyone's colleague).
  F.staff = one(`SELECT tm.staff_id FROM team_members tm JOIN staff st ON st.id = tm.staff_id JOIN institutions i ON i.id = st.institution_id
    WHERE tm.team_id = ${F.team} AND tm.staff_id <> ${F.doctor} AND i.region LIKE '${FOREIGN_TOWN}%' LIMIT 1`);
  F.institution = one(`SELECT institution_id FROM teams WHERE id = ${F.team}`);
  F.cell = one(`SELECT region_code FROM team_cells WHERE team_id = ${F.team} LIMIT 1`);
  F.household = one(`SELECT household_id FROM residents WHERE id = ${F.resident}`);
  F.task = one(`SELECT t.id FROM tasks t JOIN residents r ON r.id = t.resident_id WHERE r.region LIKE '${FOREIGN_TOWN}%' AND t.status = 'open' LIMIT 1`);
  F.enrolment = one(`SELECT e.id FROM enrolments e JOIN residents r ON r.id = e.resident_id WHERE r.region LIKE '${FOREIGN_TOWN}%' AND e.end_date IS NULL AND e.program = 'hypertension' LIMIT 1`);
  F.followup = one(`SELECT f.id FROM followups f JOIN residents r ON r.id = f.resident_id WHERE r.region LIKE '${FOREIGN_TOWN}%' ORDER BY f.visit_date DESC LIMIT 1`);
  // The records the foreign team keeps, made through the API by that team's own GP.
  const make = async (path, payload) => {
    const r = await s.request('POST', path, { token: far, body: payload });
    assert.equal(r.status, 201, `${path}: ${r.text}`);
    return r.json;
  };
  F.flag = (await make('/api/v1/flags', { resident_id: F.resident, reason: 'other', note: 'fixture' })).id;
  const openCase = (resident) => one(`SELECT id FROM tb_cases WHERE resident_id = ${resident} AND status = 'open'`);
  F.tb_case = openCase(F.resident) || (await make('/api/v1/tb-cases', { resident_id: F.resident, notified_on: TODAY, treatment_start: TODAY, supervision: 'family' })).id;
  const hypertensive = one(`SELECT d.resident_id FROM diagnoses d JOIN residents r ON r.id = d.resident_id WHERE r.region LIKE '${FOREIGN_TOWN}%'
    AND r.status = 'alive' AND d.icd10 LIKE 'I10%' AND NOT EXISTS (SELECT 1 FROM chronic_certificates c WHERE c.resident_id = r.id) ORDER BY r.id LIMIT 1`);
  F.certificate = (await make(`/api/v1/residents/${hypertensive}/certificates`, { disease: 'hypertension' })).id;
  F.sickbed = one(`SELECT id FROM sickbeds WHERE resident_id = ${F.resident} AND status = 'open'`) || (await make(`/api/v1/residents/${F.resident}/sickbeds`, { admitted_on: TODAY, diagnosis: 'I63.9' })).id;
  F.device = (await make('/api/v1/devices', { resident_id: F.resident, kind: 'bp_monitor' })).id;
  F.encounter = (await make('/api/v1/encounters', { resident_id: F.resident, encounter_date: TODAY, in_county: true })).id;
  F.referral = (await make('/api/v1/referrals', { resident_id: F.resident, referred_on: TODAY, direction: 'up', from_institution_id: F.institution, to_institution_id: one(`SELECT id FROM institutions WHERE kind = 'county_hospital' LIMIT 1`) })).id;
  // A booking of the foreign team at the county hospital, and free family-doctor slots there.
  const openSlots = sql(`SELECT s.id FROM slots s JOIN institutions i ON i.id = s.institution_id AND i.kind = 'county_hospital'
    WHERE s.released_to = 'family_doctors' AND s.family_from <= '${TODAY}' AND s.starts_at >= '${TODAY}T23:59' AND s.booked = 0 ORDER BY s.starts_at DESC LIMIT 3`);
  F.booking = (await make('/api/v1/bookings', { slot_id: openSlots[0].id, resident_id: F.resident })).id;
  O.slot = openSlots[1].id;
  O.spareSlot = openSlots[2].id;
  F.hospital = one(`SELECT id FROM institutions WHERE kind = 'tcm_hospital' LIMIT 1`);
  F.group = (await make('/api/v1/groups', { name: '外镇小组', focus: 'hypertension', team_id: F.team, region: F.cell })).id;
  await make(`/api/v1/groups/${F.group}/members`, { resident_id: F.resident });
  F.activity = (await make(`/api/v1/groups/${F.group}/activities`, { activity_date: TODAY, topic: '外镇活动', attendees: [F.resident] })).id;
  F.visit = (await make(`/api/v1/residents/${F.resident}/visit-requests`, { kind: 'home', preferred_date: TODAY })).id;
  F.drug = one(`SELECT code FROM drugs WHERE version = (SELECT max(version) FROM drugs) AND primary_care = 1 ORDER BY code LIMIT 1`);
  F.prescription = (await make('/api/v1/prescriptions', { resident_id: F.resident, kind: 'ordinary', days_supply: 7, items: [{ drug_code: F.drug, dose: '1', unit: 'mg', frequency: 'qd' }] })).id;
  F.content = (await make(`/api/v1/teams/${F.team}/content`, { kind: 'notice', title: '外镇通知', body: '外镇' })).id;
  F.consultation = consultationFixture(F.resident, F.team, '外镇咨询');
  for (const [k, v] of Object.entries(F)) assert.ok(v, `the demo has a foreign ${k}`);

  // Own: doctor01's team, for the positive controls.
  O.team = team1;
  O.institution = one(`SELECT institution_id FROM teams WHERE id = ${team1}`);
  O.hospital = one(`SELECT id FROM institutions WHERE kind = 'county_hospital' LIMIT 1`);
  O.resident = one(`SELECT r.id FROM residents r JOIN contracts c ON c.resident_id = r.id AND c.status = 'active' AND c.team_id = ${team1}
    JOIN enrolments e ON e.resident_id = r.id AND e.program = 'hypertension' WHERE r.id IN (${vis1}) ORDER BY r.id LIMIT 1`);
  O.household = one(`SELECT household_id FROM residents WHERE id = ${O.resident}`);
  O.contract = one(`SELECT id FROM contracts WHERE resident_id = ${O.resident} AND status = 'active'`);
  O.flag = one(`SELECT id FROM flags WHERE resident_id IN (${vis1}) LIMIT 1`);
  O.task = one(`SELECT id FROM tasks WHERE resident_id IN (${vis1}) AND status = 'open' ORDER BY id LIMIT 1`);
  O.doctor = one(`SELECT st.id FROM staff st JOIN users u ON u.id = st.user_id WHERE u.username = 'doctor01'`);
  O.cell = one(`SELECT region_code FROM team_cells WHERE team_id = ${team1} LIMIT 1`);
  const g = await s.request('POST', '/api/v1/groups', { token: doc1.token, body: { name: '本组', focus: 'hypertension', team_id: team1, region: O.cell } });
  assert.equal(g.status, 201, g.text);
  O.group = g.json.id;
  const rx = await s.request('POST', '/api/v1/prescriptions', { token: doc1.token, body: { resident_id: O.resident, kind: 'ordinary', days_supply: 7, items: [{ drug_code: F.drug, dose: '1', unit: 'mg', frequency: 'qd' }] } });
  assert.equal(rx.status, 201, rx.text);
  O.prescription = rx.json.id;
  const own = await s.request('POST', '/api/v1/referrals', { token: doc1.token, body: { resident_id: O.resident, referred_on: TODAY, direction: 'up', from_institution_id: O.institution, to_institution_id: O.hospital, category: 'diagnosis' } });
  assert.equal(own.status, 201, own.text);
  O.referral = own.json.id;
  O.tb_case = one(`SELECT id FROM tb_cases WHERE resident_id = ${O.resident} AND status = 'open'`);
  if (!O.tb_case) {
    const tb = await s.request('POST', '/api/v1/tb-cases', { token: doc1.token, body: { resident_id: O.resident, notified_on: TODAY, treatment_start: TODAY, supervision: 'family' } });
    assert.equal(tb.status, 201, tb.text);
    O.tb_case = tb.json.id;
  }
  const booked = await s.request('POST', '/api/v1/bookings', { token: doc1.token, body: { slot_id: O.spareSlot, resident_id: O.resident } });
  assert.equal(booked.status, 201, booked.text);
  O.booking = booked.json.id;
  // A kind the own resident has no open request of (the demo gives some residents theirs).
  O.visitKind = ['clinic', 'home', 'specialist'].find((k) => !one(`SELECT count(*) FROM visit_requests WHERE resident_id = ${O.resident} AND kind = '${k}' AND status IN ('requested', 'confirmed')`));
  assert.ok(O.visitKind, 'a kind of visit request left for the own resident');
  const item = await s.request('POST', `/api/v1/teams/${team1}/content`, { token: doc1.token, body: { kind: 'article', title: '本队科普', body: '本队' } });
  assert.equal(item.status, 201, item.text);
  O.content = item.json.id;
  O.consultation = consultationFixture(O.resident, team1, '本队咨询');
  // FHIR ids of a resident's facts: a follow-up's blood pressure, a diagnosis, an enrolment.
  const factIn = (where) => ({
    observation: `followup-${one(`SELECT f.id FROM followups f JOIN residents r ON r.id = f.resident_id WHERE ${where} AND f.sbp IS NOT NULL AND f.dbp IS NOT NULL ORDER BY f.id LIMIT 1`)}-bp`,
    diagnosis: one(`SELECT d.id FROM diagnoses d JOIN residents r ON r.id = d.resident_id WHERE ${where} ORDER BY d.id LIMIT 1`),
    episode: `program-${one(`SELECT e.id FROM enrolments e JOIN residents r ON r.id = e.resident_id WHERE ${where} ORDER BY e.id LIMIT 1`)}`,
    encounter: one(`SELECT e.id FROM encounters e JOIN residents r ON r.id = e.resident_id WHERE ${where} ORDER BY e.id LIMIT 1`),
    medication: one(`SELECT i.id FROM prescription_items i JOIN prescriptions p ON p.id = i.prescription_id JOIN residents r ON r.id = p.resident_id WHERE ${where} ORDER BY i.id LIMIT 1`),
    relatedPerson: (([x]) => x && `${x.a}-${x.b}`)(sql(`SELECT r.id AS a, m.id AS b FROM residents r JOIN residents m ON m.household_id = r.household_id AND m.id <> r.id WHERE ${where} ORDER BY r.id LIMIT 1`)),
    surveyResponse: one(`SELECT sr.id FROM survey_responses sr JOIN residents r ON r.id = sr.resident_id WHERE ${where} ORDER BY sr.id LIMIT 1`),
    consent: `record-${one(`SELECT h.resident_id FROM health_records h JOIN residents r ON r.id = h.resident_id WHERE ${where} ORDER BY h.resident_id LIMIT 1`)}`,
  });
  Object.assign(F, factIn(`r.region LIKE '${FOREIGN_TOWN}%'`));
  Object.assign(O, factIn(`r.id IN (${vis1})`));
  // An assessment round of each township's centre with one spot check (written as the
  // centre's administrator would make them).
  const round = (institution, team, resident) => {
    dbSql(demo.db, `INSERT INTO assessment_rounds (level, period, period_first, period_last, institution_id, region, sample_per_team, full_rate, county_code)
      VALUES ('institution', '2001-Q1', '2001-01-01', '2001-03-31', ${institution}, (SELECT region FROM institutions WHERE id = ${institution}), 1, 95, '${COUNTY}');
      INSERT INTO assessment_checks (round_id, team_id, kind, record_id, resident_id, record_date)
      VALUES ((SELECT max(id) FROM assessment_rounds), ${team}, 'contract', 1, ${resident}, '2001-01-02');`);
    return [one('SELECT max(id) FROM assessment_rounds'), one('SELECT max(id) FROM assessment_checks')];
  };
  [F.assessment_round, F.assessment_check] = round(F.institution, F.team, F.resident);
  [O.assessment_round, O.assessment_check] = round(O.institution, O.team, O.resident);
  // A cohort study of each township's team (written as POST /cohort-studies would).
  const cohort = (team, region) => {
    dbSql(demo.db, `INSERT INTO cohort_studies (name, kind, team_id, region, before_from, before_to, after_from, after_to, members, county_code)
      VALUES ('范围', 'service_group', ${team}, '${region}', '2001-01-01', '2001-06-30', '2001-07-01', '2001-12-31', 0, '${COUNTY}')`);
    return one('SELECT max(id) FROM cohort_studies');
  };
  F.cohort_study = cohort(F.team, FOREIGN_TOWN);
  O.cohort_study = cohort(O.team, OWN_TOWN);
  O.otherTeamResident = one(`SELECT r.id FROM residents r WHERE r.region LIKE '${OWN_TOWN}%' AND r.id NOT IN (${vis1}) ORDER BY r.id LIMIT 1`);
  assert.ok(O.otherTeamResident, 'township 101 has residents of another team');
});
after(async () => { if (s) await s.stop(); if (demo) cleanup(demo.dir); });

// A consultation asked by a resident (who has no login here), written as the portal would.
function consultationFixture(resident, team, subject) {
  const at = `${TODAY}T01:00:00Z`;
  dbSql(demo.db, `INSERT INTO consultations (resident_id, team_id, subject, created_at, waiting_since, county_code)
    VALUES (${resident}, ${team}, '${subject}', '${at}', '${at}', '${COUNTY}');
    INSERT INTO consultation_messages (consultation_id, author_kind, author_name, body, created_at)
    VALUES ((SELECT max(id) FROM consultations), 'resident', '居民', '${subject}', '${at}');`);
  return one(`SELECT max(id) FROM consultations WHERE resident_id = ${resident}`);
}

function routes() {
  return jiayi(['routes']).stdout.trim().split('\n').map((line) => {
    const [method, pattern, action, ...roles] = line.trim().split(/\s+/);
    return { key: `${method} ${pattern}`, method, pattern, action, roles };
  });
}

// The request for a case with values v (param -> value).
function build(route, c, v) {
  let path = route.pattern;
  const query = new URLSearchParams(c.fixed || {});
  for (const [name, value] of Object.entries(v)) {
    if (path.includes(`{${name}}`)) path = path.replace(`{${name}}`, encodeURIComponent(value));
    else if ((c.query || []).includes(name)) query.set(name, String(value));
  }
  path = path.replace('{program}', (c.fixed || {}).program);
  for (const name of Object.keys(c.fixed || {})) if (route.pattern.includes(`{${name}}`)) query.delete(name);
  const qs = query.toString();
  return { path: path + (qs ? `?${qs}` : ''), body: c.body ? c.body(v) : (route.method === 'GET' || route.method === 'DELETE' ? undefined : {}) };
}

// Own values for every parameter of a case (the caller's own, from O by kind). A filter
// left out of the query is the caller's whole scope; a required scope is the caller's own.
function ownValues(c, caller) {
  const v = {};
  for (const [name, kind] of Object.entries(c.p || {})) {
    if (c.query?.includes(name) && kind !== 'scope' && !c.required?.includes(name)) continue;
    v[name] = { region: OWN_TOWN, scope: caller?.role === 'center_admin' ? `region:${OWN_TOWN}` : `team:${O.team}`, staff: O.doctor }[kind] ?? O[kind];
  }
  return v;
}

// The phones of the foreign team's members.
function foreignPhones() {
  return sql(`SELECT s.phone FROM staff s JOIN team_members tm ON tm.staff_id = s.id JOIN institutions i ON i.id = s.institution_id
    WHERE tm.team_id = ${F.team} AND s.phone IS NOT NULL AND i.region LIKE '${FOREIGN_TOWN}%'`).map((x) => x.phone);
}

// Households under `region` the caller may see (the scope rule on the household's place).
function visibleHouseholds(caller, region) {
  return one(`SELECT count(*) FROM households h WHERE h.region >= '${region}' AND h.region < '${region};'
    AND EXISTS (SELECT 1 FROM user_scope s WHERE s.user_id = ${caller.userId}
      AND h.region >= s.code AND h.region < s.code || ';' AND (s.subtree = 1 OR h.region = s.code))`);
}

// Fee-report rows whose contract belongs to someone outside the caller's scope.
function feeRowsOutside(json, caller) {
  const ids = (json.rows || []).map((row) => row.contract_id).filter(Boolean);
  if (!ids.length) return [];
  const owners = sql(`SELECT resident_id FROM contracts WHERE id IN (${ids.join(',')})`).map((x) => x.resident_id);
  const outside = owners.filter((id) => !caller.visible.has(id));
  return outside.length ? [`fee report lists ${outside.length} contracts outside scope`] : [];
}

function personalData() {
  const [r] = sql(`SELECT name, id_number, phone, address FROM residents WHERE id = ${F.resident}`);
  return [r.name, openPii(demo.db, r.id_number), openPii(demo.db, r.phone), r.address].filter((x) => x && String(x).length >= 2);
}

test('every route has a scope case', () => {
  const missing = routes().filter((r) => !CASES[r.key]).map((r) => r.key);
  assert.deepEqual(missing, [], 'routes without a case in tests/api/scope_generated.test.mjs');
  const known = new Set(routes().map((r) => r.key));
  assert.deepEqual(Object.keys(CASES).filter((k) => !known.has(k)), [], 'cases for routes that no longer exist');
});

// Refused writes are checked by a digest of row counts around them. A digest costs a
// CLI process and a count of every table (160 ms on PostgreSQL), so the writes run after
// every read (a read may write what is not personal data: snapshots, the record's opening)
// and are checked in chunks: a chunk whose digest moved names all its probes.
const WRITES_PER_DIGEST = 16;

test('ids and scopes outside the caller are refused, with nothing leaked and nothing written', async () => {
  const secrets = personalData();
  const failures = [];
  const probes = [];
  for (const route of routes()) {
    const c = CASES[route.key];
    if (!c || c.none || !c.p) continue;
    for (const caller of Object.values(callers)) {
      if (!route.roles.includes(caller.role)) continue;
      for (const [name, kind] of Object.entries(c.p)) {
        for (const foreign of foreignValues(caller, kind)) probes.push({ route, c, caller, name, foreign });
      }
    }
  }
  const probe = async ({ route, c, caller, name, foreign }) => {
    const v = { ...ownValues(c, caller), [name]: foreign };
    const req = build(route, c, v);
    const r = await s.request(route.method, req.path, { token: caller.token, body: req.body });
    const what = `${caller.username} ${route.method} ${req.path} ${name}=${foreign}: ${r.status} ${r.text.slice(0, 160)}`;
    if (r.status >= 500) { failures.push(`server error: ${what}`); return what; }
    const listed = route.method === 'GET' && (c.list || c.answered) && r.status === 200;
    if (listed && c.answered) {
      for (const problem of c.answered(r, caller, v)) failures.push(`${problem}: ${what}`);
    } else if (listed && (c.query || []).includes(name)) {
      const outside = residentIdsIn(r.json, route.key).filter((id) => !caller.visible.has(id));
      if (outside.length) failures.push(`lists ${outside.length} people outside scope: ${what}`);
    } else if (r.status !== 403 && r.status !== 404) {
      failures.push(`not refused: ${what}`);
    }
    if (!listed) for (const secret of secrets) if (r.text.includes(secret)) failures.push(`leaks "${secret}": ${what}`);
    return what;
  };
  for (const p of probes.filter((x) => x.route.method === 'GET')) await probe(p);
  const writes = probes.filter((x) => x.route.method !== 'GET');
  let digest = writeDigest();
  for (let i = 0; i < writes.length; i += WRITES_PER_DIGEST) {
    const chunk = [];
    for (const p of writes.slice(i, i + WRITES_PER_DIGEST)) chunk.push(await probe(p));
    const after = writeDigest();
    if (after !== digest) failures.push(`wrote although refused, one of:\n  ${chunk.join('\n  ')}`);
    digest = after;
  }
  if (process.env.SCOPE_REPORT) writeFileSync(process.env.SCOPE_REPORT, failures.join('\n') + '\n');
  assert.ok(probes.length > 150, `probes: ${probes.length}`);
  assert.ok(writes.length > 100, `write probes: ${writes.length}`);
  assert.deepEqual(failures, []);
});

test('every row of every list lies inside the caller\'s scope', async () => {
  for (const caller of Object.values(callers)) caller.visible = visibleResidents(caller.userId);
  const failures = [];
  for (const route of routes()) {
    const c = CASES[route.key];
    if (!c?.list) continue;
    for (const caller of Object.values(callers)) {
      if (!route.roles.includes(caller.role)) continue;
      const req = build(route, c, ownValues(c, caller));
      const page = route.pattern.startsWith('/fhir/') ? '_count=500' : 'limit=500';
      const r = await s.request('GET', req.path + (req.path.includes('?') ? '&' : '?') + page, { token: caller.token });
      if (r.status !== 200) { failures.push(`${caller.username} ${req.path}: ${r.status} ${r.text.slice(0, 120)}`); continue; }
      const outside = residentIdsIn(r.json, route.key).filter((id) => !caller.visible.has(id));
      if (outside.length) failures.push(`${caller.username} ${req.path}: ${outside.length} people outside scope`);
    }
  }
  assert.deepEqual(failures, []);
});

test('a team ranks itself among its township\'s teams, which stay anonymous; nothing wider', async () => {
  for (const caller of [callers.doctor01, callers.lead1]) {
    const r = await s.request('GET', `/api/v1/indicators/breakdown?scope=region:${OWN_TOWN}&by=team&codes=signing_rate`, { token: caller.token });
    assert.equal(r.status, 200, r.text);
    assert.ok(r.json.items.length > 1, 'the township has several teams');
    assert.deepEqual(r.json.items.filter((x) => x.scope !== null).map((x) => x.scope), [`team:${O.team}`]);
    assert.ok(r.json.items.every((x) => x.scope !== null || x.name === null));
    for (const wider of [COUNTY, FOREIGN_TOWN]) {
      const w = await s.request('GET', `/api/v1/indicators/breakdown?scope=region:${wider}&by=team`, { token: caller.token });
      assert.equal(w.status, 403, `${caller.username} region:${wider}: ${w.text.slice(0, 100)}`);
    }
  }
});

test('the staff directory shows phones only to colleagues of the institution or team; a resident only their team\'s', async () => {
  // Who may read whose phone, from the schema: the same institution, a shared team, or (a
  // resident) the team of their active contract. Centre admins: the institutions of their area.
  const allowed = (userId) => new Set(sql(`SELECT s.id FROM staff s WHERE
      s.institution_id IN (SELECT institution_id FROM staff WHERE user_id = ${userId})
      OR s.id IN (SELECT theirs.staff_id FROM team_members mine JOIN staff me ON me.id = mine.staff_id AND me.user_id = ${userId}
                  JOIN team_members theirs ON theirs.team_id = mine.team_id)
      OR s.institution_id IN (SELECT i.id FROM institutions i JOIN user_scope us ON us.user_id = ${userId}
                  AND i.region >= us.code AND i.region < us.code || ';' AND us.subtree = 1)
      OR s.id IN (SELECT tm.staff_id FROM users u JOIN contracts c ON c.resident_id = u.resident_id AND c.status = 'active'
                  JOIN team_members tm ON tm.team_id = c.team_id WHERE u.id = ${userId})`).map((x) => x.id));
  const withPhone = Number(one('SELECT count(*) FROM staff WHERE phone IS NOT NULL'));
  for (const caller of [callers.doctor01, callers.nurse1, callers.town01]) {
    const ok = allowed(caller.userId);
    let shown = 0;
    for (let cursor = 0, pages = 0; pages < 10; pages++) {
      const r = await s.request('GET', `/api/v1/staff?limit=500${cursor ? `&cursor=${cursor}` : ''}`, { token: caller.token });
      assert.equal(r.status, 200, r.text);
      for (const st of r.json.items) {
        if (st.phone) {
          shown++;
          assert.ok(ok.has(st.id), `${caller.username} reads the phone of staff ${st.id}`);
        }
      }
      if (!r.json.next_cursor) break;
      cursor = r.json.next_cursor;
    }
    assert.ok(shown > 0 && shown < withPhone, `${caller.username}: ${shown} of ${withPhone} phones`);
  }
  // A resident: the team they signed with, through the teams they may list.
  const teams = await s.request('GET', '/api/v1/teams?limit=500', { token: callers.resident01.token });
  const ok = allowed(callers.resident01.userId);
  for (const team of teams.json.items) for (const m of team.members) if (m.phone) assert.ok(ok.has(m.id), `resident01 reads the phone of staff ${m.id}`);
});

test('positive controls: the same requests with the caller\'s own values are answered', async () => {
  const failures = [];
  let controls = 0;
  for (const route of routes()) {
    const c = CASES[route.key];
    if (!c || c.none || !c.p || c.control === false) continue;
    const caller = ['doctor01', 'town01'].map((u) => callers[u]).find((x) => route.roles.includes(x.role));
    if (!caller) continue;
    const req = build(route, c, ownValues(c, caller));
    const r = await s.request(route.method, req.path, { token: caller.token, body: req.body });
    controls++;
    if (r.status >= 400) failures.push(`${caller.username} ${route.method} ${req.path}: ${r.status} ${r.text.slice(0, 160)}`);
  }
  assert.ok(controls >= 20, `controls: ${controls}`);
  assert.deepEqual(failures, []);
});
