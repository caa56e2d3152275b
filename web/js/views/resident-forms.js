/* resident-forms.js - the records kept from a resident's page (issue 14): edit the
 * person's details, record a death or a move (out of the county, or to another cell or
 * household inside it), enrol in and end a programme, and record a visit, a referral and a
 * satisfaction answer. Every form shows the server's answer at the field it names and
 * says whether it saved (forms.js); the page then redraws with the record in place and a
 * line saying what was saved. Also the pickers the registration screen shares: the grid
 * cells the user may register into, and a household found by a member's name or phone. */
import { api } from '../api.js';
import { h, card, empty, toast, checkbox, clear } from '../dom.js';
import { t, label } from '../i18n.js';
import { can } from '../roles.js';
import { formatDate, todayIso } from '../format.js';
import { childRegions, topRegion } from '../regions.js';
import { formField, fieldDialog, fieldError, select } from '../forms.js';

export const RELATIONS = ['head', 'spouse', 'child', 'parent', 'grandchild', 'grandparent', 'sibling', 'child_in_law', 'other'];
/* The programmes a doctor enrols by hand (TB comes with its notice, on the TB screen). */
const PROGRAMS = ['hypertension', 'diabetes', 'smd', 'copd', 'elderly', 'child', 'maternal'];
const AUTOMATIC = ['elderly', 'child', 'maternal'];
const END_REASONS = ['excluded', 'refused', 'managed_elsewhere', 'lost_to_followup', 'other'];

/* What was saved last on a resident's page: kept across the redraw that follows the save,
 * so the page says so (and the new row is marked) until the user leaves the resident. */
const lastSaved = new Map();

function remember(residentId, kind, text, id) {
  lastSaved.set(residentId, { kind, text, id });
}

/* The saved line for the page, or null. */
export function savedNotice(residentId) {
  const s = lastSaved.get(residentId);
  if (!s) return null;
  return h('div', { class: 'alert alert-success saved-notice', role: 'status', 'data-testid': 'saved-notice', 'data-kind': s.kind },
    h('strong', null, t('forms.saved')), ' · ', s.text);
}

/* Forgets the saved line when another resident's page is opened. */
export function forgetSavedExcept(residentId) {
  for (const key of [...lastSaved.keys()]) if (key !== residentId) lastSaved.delete(key);
}

/* Pickers ---------------------------------------------------------------------------- */

/* The grid cells a user registers people into: their teams' cells (a team's staff), or
 * the villages and cells under their area (a centre or a system admin). Returns
 * {node, value(), region} where value() is the chosen division code ('' when none). */
export async function regionPicker(user, { testid = 'region', value = '' } = {}) {
  const teams = user.teams || [];
  if (teams.length) {
    const details = await Promise.all(teams.map((id) => api.get(`/teams/${id}`).catch(() => null)));
    const seen = new Set();
    const cells = [];
    for (const team of details.filter(Boolean)) {
      for (const c of team.grid_cells || []) {
        if (seen.has(c.code)) continue;
        seen.add(c.code);
        cells.push({ value: c.code, text: c.village ? `${c.village} · ${c.name}` : c.name });
      }
    }
    const control = select(cells, { testid, value: value || (cells.length === 1 ? cells[0].value : '') });
    return { node: control, value: () => control.value, control };
  }
  /* An area: its villages (or, above a township, its townships' villages), then the cells. */
  const root = user.scope_region || (await topRegion())?.code;
  let villages = root ? await childRegions(root) : [];
  if (villages.length && villages[0].level === 'township') {
    villages = (await Promise.all(villages.map((tw) => childRegions(tw.code)))).flat();
  }
  const village = select(villages.map((v) => ({ value: v.code, text: v.name })), { testid: `${testid}-village` });
  const cell = select([], { testid, placeholder: t('forms.choose') });
  village.addEventListener('change', async () => {
    clear(cell);
    cell.appendChild(h('option', { value: '' }, t('forms.choose')));
    if (!village.value) return;
    for (const c of await childRegions(village.value).catch(() => [])) cell.appendChild(h('option', { value: c.code }, c.name));
  });
  const node = h('div', { class: 'picker-pair' }, village, cell);
  return { node, value: () => cell.value || village.value, control: cell };
}

/* A household found through one of its members (name, phone or ID number, in the caller's
 * scope). Returns {node, value()} where value() is {id, region, name} or null. */
export function householdPicker({ testid = 'household' } = {}) {
  let chosen = null;
  const input = h('input', { type: 'search', class: 'input', maxlength: '50', placeholder: t('register.household_search'), 'data-testid': `${testid}-q`, autocomplete: 'off' });
  const go = h('button', { type: 'button', class: 'btn btn-secondary', 'data-testid': `${testid}-search` }, t('register.search'));
  const results = h('div', { class: 'picker-results', 'data-testid': `${testid}-results` });
  const shown = h('div', { class: 'picker-chosen', 'data-testid': `${testid}-chosen`, hidden: true });
  const row = h('div', { class: 'picker-row' }, input, go);
  async function search() {
    const q = input.value.trim();
    clear(results);
    if (!q) return;
    const data = await api.get('/residents', { q, limit: 10 }).catch(() => ({ items: [] }));
    const homes = data.items.filter((r) => r.household_id);
    if (!homes.length) {
      results.appendChild(empty(t('register.household_none')));
      return;
    }
    results.appendChild(h('ul', { class: 'pick-list' }, homes.map((r) => h('li', { class: 'pick-item' },
      h('span', null, h('strong', null, r.name), ` · ${label('relation', r.relation)} · ${r.region_name || r.region} · #${r.household_id}`),
      h('button', {
        type: 'button', class: 'btn btn-small btn-secondary', 'data-testid': `${testid}-pick`, 'data-id': r.household_id,
        onclick: () => {
          chosen = { id: r.household_id, region: r.region, name: r.name };
          clear(results);
          row.hidden = true;
          shown.hidden = false;
          clear(shown);
          shown.append(h('span', null, t('register.household_chosen', { name: r.name, id: r.household_id })),
            h('button', {
              type: 'button', class: 'btn btn-small btn-ghost', onclick: () => {
                chosen = null;
                shown.hidden = true;
                row.hidden = false;
                input.focus();
              },
            }, t('register.household_change')));
        },
      }, t('register.household_pick'))))));
  }
  go.addEventListener('click', search);
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') {
      event.preventDefault();
      search();
    }
  });
  const node = h('div', { class: 'household-picker', 'data-testid': testid, tabindex: '-1' }, row, results, shown);
  return { node, value: () => chosen, control: input };
}

/* Edit and status ------------------------------------------------------------------- */

function editDialog(r) {
  const name = h('input', { type: 'text', class: 'input', value: r.name, maxlength: '50', 'data-testid': 'edit-name' });
  const phone = h('input', { type: 'tel', class: 'input mono', value: r.phone || '', maxlength: '20', 'data-testid': 'edit-phone' });
  const address = h('input', { type: 'text', class: 'input', value: r.address || '', maxlength: '200', 'data-testid': 'edit-address' });
  const relation = select(RELATIONS.map((v) => ({ value: v, text: label('relation', v) })), { value: r.relation || '', testid: 'edit-relation' });
  const disabled = checkbox(t('edit.disabled'), { checked: r.disabled, 'data-testid': 'edit-disabled' });
  const poverty = checkbox(t('edit.poverty'), { checked: r.poverty, 'data-testid': 'edit-poverty' });
  const proxy = checkbox(t('edit.proxy_consent'), { checked: r.proxy_consent, 'data-testid': 'edit-proxy' });
  return fieldDialog({
    title: t('edit.title'),
    help: `${r.name} · ${r.id_number_masked || ''}`,
    testid: 'edit-dialog',
    submitLabel: t('app.save'),
    fields: [
      formField('name', t('edit.name'), name, { required: true }),
      formField('phone', t('edit.phone'), phone),
      formField('address', t('edit.address'), address),
      formField('relation', t('edit.relation'), relation),
      h('div', { class: 'field check-stack' }, disabled, poverty, proxy),
    ],
    onSubmit: () => {
      if (!name.value.trim()) throw fieldError('name', t('forms.required'));
      const body = {
        name: name.value.trim(),
        address: address.value.trim(),
        disabled: disabled.querySelector('input').checked,
        poverty: poverty.querySelector('input').checked,
        proxy_consent: proxy.querySelector('input').checked,
      };
      if (phone.value.trim() || r.phone) body.phone = phone.value.trim();
      if (relation.value) body.relation = relation.value;
      return api.patch(`/residents/${r.id}`, body);
    },
  });
}

async function statusDialog(r, user) {
  const kind = h('div', { class: 'radio-stack', role: 'radiogroup', 'data-testid': 'status-kind' },
    ['deceased', 'moved_out', 'move'].map((k) => h('label', { class: 'check' },
      h('input', { type: 'radio', name: 'status-kind', value: k, 'data-testid': `status-kind-${k}`, checked: k === 'deceased' }),
      h('span', null, t(`status.kind_${k}`)))));
  const date = h('input', { type: 'date', class: 'input', value: todayIso(), max: todayIso(), 'data-testid': 'status-date' });
  const dateField = formField('status_date', t('status.date_deceased'), date, { required: true });
  const ends = h('p', { class: 'dialog-help warn-text' }, t('status.ends'));
  const region = await regionPicker(user, { testid: 'move-region' });
  const household = householdPicker({ testid: 'move-household' });
  const address = h('input', { type: 'text', class: 'input', maxlength: '200', value: r.address || '', 'data-testid': 'move-address' });
  const moveMode = h('div', { class: 'radio-stack', role: 'radiogroup' },
    ['new', 'existing'].map((m) => h('label', { class: 'check' },
      h('input', { type: 'radio', name: 'move-mode', value: m, 'data-testid': `move-mode-${m}`, checked: m === 'new' }),
      h('span', null, t(`status.move_household_${m}`)))));
  const newPart = h('div', null, formField('region', t('status.move_region'), region.node), formField('address', t('status.move_address'), address));
  const existingPart = h('div', { hidden: true }, formField('household_id', t('status.move_household'), household.node));
  const movePart = h('div', { hidden: true, class: 'move-part' }, h('p', { class: 'dialog-help' }, t('status.move_help')), moveMode, newPart, existingPart);
  const current = () => kind.querySelector('input:checked').value;
  const mode = () => moveMode.querySelector('input:checked').value;
  kind.addEventListener('change', () => {
    const k = current();
    movePart.hidden = k !== 'move';
    dateField.hidden = k === 'move';
    ends.hidden = k === 'move';
    dateField.querySelector('.field-label').firstChild.textContent = t(k === 'moved_out' ? 'status.date_moved_out' : 'status.date_deceased');
  });
  moveMode.addEventListener('change', () => {
    newPart.hidden = mode() !== 'new';
    existingPart.hidden = mode() !== 'existing';
  });
  const saved = await fieldDialog({
    title: t('status.title'),
    help: `${r.name} · ${r.id_number_masked || ''}`,
    testid: 'status-dialog',
    danger: true,
    submitLabel: t('status.submit'),
    fields: [formField('status', t('status.kind'), kind), dateField, ends, movePart],
    onSubmit: async () => {
      const k = current();
      if (k !== 'move') {
        if (!date.value) throw fieldError('status_date', t('forms.required'));
        return { kind: k, resident: await api.patch(`/residents/${r.id}`, { status: k, status_date: date.value }) };
      }
      if (mode() === 'existing') {
        const hh = household.value();
        if (!hh) throw fieldError('household_id', t('register.household_required'));
        return { kind: k, resident: await api.patch(`/residents/${r.id}`, { household_id: hh.id, region: hh.region, relation: 'other' }) };
      }
      const code = region.value();
      if (!code) throw fieldError('region', t('status.nothing'));
      /* A new household at the new address, then the person into it: the household is
       * created first so that a refusal of the move leaves at most an empty household. */
      const hh = await api.post('/households', { region: code, address: address.value.trim() || undefined });
      return { kind: k, resident: await api.patch(`/residents/${r.id}`, { region: code, household_id: hh.id, address: address.value.trim() || undefined, relation: 'head' }) };
    },
  });
  return saved;
}

/* Programmes ---------------------------------------------------------------------------- */

function enrolDialog(r) {
  const active = new Set(r.programs || []);
  const program = select(PROGRAMS.filter((p) => !active.has(p)).map((p) => ({ value: p, text: label('program', p) })), { testid: 'enrol-program' });
  const start = h('input', { type: 'date', class: 'input', value: todayIso(), max: todayIso(), 'data-testid': 'enrol-start' });
  return fieldDialog({
    title: t('enrol.title'),
    help: r.name,
    testid: 'enrol-dialog',
    submitLabel: t('enrol.submit'),
    fields: [formField('program', t('enrol.program'), program, { required: true }), formField('start_date', t('enrol.start_date'), start, { required: true })],
    onSubmit: () => {
      if (!program.value) throw fieldError('program', t('forms.required'));
      return api.post('/enrolments', { resident_id: r.id, program: program.value, start_date: start.value });
    },
  });
}

function endDialog(r, e) {
  const date = h('input', { type: 'date', class: 'input', value: todayIso(), min: e.start_date, max: todayIso(), 'data-testid': 'end-date' });
  const reason = select(END_REASONS.map((v) => ({ value: v, text: label('end_reason', v) })), { testid: 'end-reason' });
  const note = h('input', { type: 'text', class: 'input', maxlength: '500', 'data-testid': 'end-note' });
  return fieldDialog({
    title: t('enrol.end_title', { program: label('program', e.program) }),
    help: t('enrol.end_help'),
    testid: 'end-dialog',
    danger: true,
    submitLabel: t('enrol.end_submit'),
    fields: [
      formField('end_date', t('enrol.end_date'), date, { required: true }),
      formField('reason', t('enrol.end_reason'), reason, { required: true }),
      formField('note', t('enrol.end_note'), note),
    ],
    onSubmit: () => {
      if (!reason.value) throw fieldError('reason', t('forms.required'));
      const body = { end_date: date.value, reason: reason.value };
      if (note.value.trim()) body.note = note.value.trim();
      return api.post(`/enrolments/${e.id}/end`, body);
    },
  });
}

/* The programmes card with its enrol and end buttons (replaces the read-only one). */
export function programsFormCard(r, user, refresh) {
  const writer = can(user, 'clinical.write') && r.status === 'alive';
  const list = r.enrolments && r.enrolments.length
    ? h('ul', { class: 'program-list', 'data-testid': 'programs' }, r.enrolments.map((e) => h('li', { class: 'program-item', 'data-program': e.program, 'data-testid': 'program-item' },
      h('span', { class: 'program-name' }, label('program', e.program)),
      h('span', { class: 'muted small' }, t('resident.since', { date: formatDate(e.start_date) })),
      writer && !AUTOMATIC.includes(e.program)
        ? h('button', {
          type: 'button', class: 'btn btn-ghost btn-small program-end', 'data-testid': `end-${e.program}`,
          onclick: async () => {
            const done = await endDialog(r, e);
            if (done) {
              const text = t('enrol.end_done', { program: label('program', e.program), n: done.tasks_cancelled });
              remember(r.id, 'end', text);
              toast(text);
              refresh();
            }
          },
        }, t('enrol.end'))
        : (AUTOMATIC.includes(e.program) ? h('span', { class: 'muted small' }, t('enrol.automatic')) : null))))
    : empty(t('resident.programs_none'));
  const actions = writer ? [h('button', {
    type: 'button', class: 'btn btn-ghost btn-small', 'data-testid': 'enrol',
    onclick: async () => {
      const e = await enrolDialog(r);
      if (e) {
        const text = t('enrol.done', { program: label('program', e.program) });
        remember(r.id, 'enrol', text);
        toast(text);
        refresh();
      }
    },
  }, t('enrol.button'))] : [];
  return card(t('resident.programs'), list, { testid: 'card-programs', actions });
}

/* The header buttons: edit, and death / move (roles that write residents). */
export function residentActions(r, user, refresh) {
  if (!can(user, 'resident.write') || user.role === 'resident') return [];
  const out = [h('button', {
    type: 'button', class: 'btn btn-secondary', 'data-testid': 'edit-resident',
    onclick: async () => {
      if (await editDialog(r)) {
        remember(r.id, 'edit', t('edit.done'));
        toast(t('edit.done'));
        refresh();
      }
    },
  }, t('edit.button'))];
  if (r.status === 'alive') {
    out.push(h('button', {
      type: 'button', class: 'btn btn-ghost', 'data-testid': 'status-resident',
      onclick: async () => {
        const done = await statusDialog(r, user);
        if (done) {
          const text = t(`status.done_${done.kind}`);
          remember(r.id, 'status', text);
          toast(text);
          refresh();
        }
      },
    }, t('status.button')));
  }
  return out;
}

/* Visits, referrals, satisfaction ----------------------------------------------------- */

let institutionsPromise = null;
function institutions() {
  if (!institutionsPromise) {
    institutionsPromise = api.get('/institutions').then((d) => d.items).catch((e) => {
      institutionsPromise = null;
      throw e;
    });
  }
  return institutionsPromise;
}

const isPrimary = (i) => i.level === 'primary' || i.level === 'village';

/* Institutions for a select: the resident's township's primary care first, then hospitals. */
function institutionOptions(list, r, { primary = true, hospitals = true } = {}) {
  const town = (r.region || '').slice(0, 9);
  const mine = list.filter((i) => isPrimary(i) && i.region.startsWith(town));
  const far = list.filter((i) => !isPrimary(i));
  return [
    ...(primary ? mine.map((i) => ({ value: i.id, text: `${i.name}（${t('encounter.primary')}）` })) : []),
    ...(hospitals ? far.map((i) => ({ value: i.id, text: `${i.name}（${t('encounter.hospital')}）` })) : []),
  ];
}

async function encounterDialog(r, user) {
  const list = await institutions().catch(() => []);
  const date = h('input', { type: 'date', class: 'input', value: todayIso(), max: todayIso(), 'data-testid': 'encounter-date' });
  const inst = select([...institutionOptions(list, r), { value: 'outside', text: t('encounter.institution_outside') }], { testid: 'encounter-institution' });
  const inCounty = checkbox(t('encounter.in_county'), { 'data-testid': 'encounter-in-county' });
  const inCountyField = formField('in_county', t('encounter.in_county'), h('div', null, inCounty));
  inCountyField.hidden = true;
  inst.addEventListener('change', () => {
    inCountyField.hidden = inst.value !== 'outside';
  });
  const chronic = select([{ value: '', text: t('encounter.program_none') }, ...['hypertension', 'diabetes'].map((p) => ({ value: p, text: label('program', p) }))], { testid: 'encounter-program', placeholder: null });
  /* The kind (门诊, 住院 with its discharge, 上门, 电话), the ICD-10 diagnoses and a changed
   * treatment, which puts a post-visit call on the team's work list (issue 19). */
  const kind = select(['outpatient', 'inpatient', 'home_visit', 'telephone'].map((k) => ({ value: k, text: label('encounter_kind', k) })), { value: 'outpatient', testid: 'encounter-kind', placeholder: null });
  const discharge = h('input', { type: 'date', class: 'input', max: todayIso(), 'data-testid': 'encounter-discharge' });
  const dischargeField = formField('discharge_date', t('encounter.discharge_date'), discharge);
  dischargeField.hidden = true;
  kind.addEventListener('change', () => { dischargeField.hidden = kind.value !== 'inpatient'; });
  const diagnoses = h('input', { type: 'text', class: 'input mono', placeholder: 'I10, E11.9', autocapitalize: 'characters', 'data-testid': 'encounter-diagnoses' });
  const changed = checkbox(t('encounter.treatment_changed'), { 'data-testid': 'encounter-treatment-changed' });
  const mine = user.staff_id ? checkbox(t('encounter.mine'), { checked: true, 'data-testid': 'encounter-mine' }) : null;
  return fieldDialog({
    title: t('encounter.title'),
    help: r.name,
    testid: 'encounter-dialog',
    submitLabel: t('app.save'),
    fields: [
      formField('encounter_date', t('encounter.date'), date, { required: true }),
      formField('institution_id', t('encounter.institution'), inst, { required: true }),
      inCountyField,
      formField('kind', t('encounter.kind'), kind),
      dischargeField,
      formField('chronic_program', t('encounter.program'), chronic),
      formField('diagnoses', t('encounter.diagnoses'), diagnoses),
      h('div', { class: 'field check-stack' }, changed, mine),
    ],
    onSubmit: () => {
      if (!inst.value) throw fieldError('institution_id', t('forms.required'));
      const body = { resident_id: r.id, encounter_date: date.value };
      if (inst.value === 'outside') body.in_county = inCounty.querySelector('input').checked;
      else body.institution_id = Number(inst.value);
      if (chronic.value) body.chronic_program = chronic.value;
      body.kind = kind.value;
      if (kind.value === 'inpatient' && discharge.value) body.discharge_date = discharge.value;
      const codes = diagnoses.value.split(/[\s,，;；]+/).map((c) => c.trim().toUpperCase()).filter(Boolean);
      if (codes.length) body.diagnoses = codes;
      if (changed.querySelector('input').checked) body.treatment_changed = true;
      if (mine && mine.querySelector('input').checked) {
        body.staff_id = user.staff_id;
        if (user.teams && user.teams.length) body.team_id = user.teams[0];
      }
      return api.post('/encounters', body);
    },
  });
}

async function referralDialog(r) {
  const list = await institutions().catch(() => []);
  const date = h('input', { type: 'date', class: 'input', value: todayIso(), max: todayIso(), 'data-testid': 'referral-date' });
  const direction = select(['up', 'down'].map((d) => ({ value: d, text: t(`referral.${d}`) })), { value: 'up', testid: 'referral-direction', placeholder: null });
  const from = select([], { testid: 'referral-from' });
  const to = select([], { testid: 'referral-to' });
  function fill() {
    const up = direction.value === 'up';
    const primary = institutionOptions(list, r, { hospitals: false });
    const hospitals = institutionOptions(list, r, { primary: false });
    for (const [el, options] of [[from, up ? primary : hospitals], [to, up ? hospitals : primary]]) {
      clear(el);
      el.appendChild(h('option', { value: '' }, t('forms.choose')));
      for (const o of options) el.appendChild(h('option', { value: String(o.value) }, o.text));
    }
    /* The primary-care end is most often the township's health centre. */
    const primaryEl = up ? from : to;
    if (primary.length) primaryEl.value = String(primary[0].value);
  }
  fill();
  direction.addEventListener('change', fill);
  const reason = h('input', { type: 'text', class: 'input', maxlength: '200', 'data-testid': 'referral-reason' });
  return fieldDialog({
    title: t('referral.title'),
    help: r.name,
    testid: 'referral-dialog',
    submitLabel: t('app.save'),
    fields: [
      formField('referred_on', t('referral.date'), date, { required: true }),
      formField('direction', t('referral.direction'), direction, { required: true }),
      formField('from_institution_id', t('referral.from'), from, { required: true }),
      formField('to_institution_id', t('referral.to'), to, { required: true }),
      formField('reason', t('referral.reason'), reason),
    ],
    onSubmit: () => {
      if (!from.value) throw fieldError('from_institution_id', t('forms.required'));
      if (!to.value) throw fieldError('to_institution_id', t('forms.required'));
      const body = { resident_id: r.id, referred_on: date.value, direction: direction.value, from_institution_id: Number(from.value), to_institution_id: Number(to.value) };
      if (reason.value.trim()) body.reason = reason.value.trim();
      return api.post('/referrals', body);
    },
  });
}

function satisfactionDialog(r) {
  const date = h('input', { type: 'date', class: 'input', value: todayIso(), max: todayIso(), 'data-testid': 'satisfaction-date' });
  const score = select([5, 4, 3, 2, 1].map((n) => ({ value: n, text: t(`satisfaction.score_${n}`) })), { testid: 'satisfaction-score' });
  const channel = select(['survey', 'phone_callback'].map((c) => ({ value: c, text: t(`satisfaction.channel_${c}`) })), { value: 'survey', testid: 'satisfaction-channel', placeholder: null });
  /* 知晓率: asked by the survey or call-back; left blank when the question was not asked. */
  const knows = select([{ value: 'true', text: t('satisfaction.knows_yes') }, { value: 'false', text: t('satisfaction.knows_no') }],
    { testid: 'satisfaction-knows', placeholder: t('satisfaction.knows_not_asked') });
  /* The team rated is the contract's; the server refuses a rater on that team (team_id). */
  const team = h('div', { class: 'muted' }, r.contract ? r.contract.team_name : t('resident.contract_none'));
  return fieldDialog({
    title: t('satisfaction.title'),
    help: `${r.name} · ${t('satisfaction.help')}`,
    testid: 'satisfaction-dialog',
    submitLabel: t('app.save'),
    fields: [
      formField('answered_on', t('satisfaction.date'), date, { required: true }),
      formField('score', t('satisfaction.score'), score, { required: true }),
      formField('channel', t('satisfaction.channel'), channel),
      formField('knows_doctor', t('satisfaction.knows'), knows),
      formField('team_id', t('contract.team'), team),
      h('div', { hidden: true, 'data-field': 'resident_id', 'data-label': r.name }, h('p', { class: 'field-error', role: 'alert', hidden: true, 'data-testid': 'error-resident_id' })),
    ],
    onSubmit: () => {
      if (!score.value) throw fieldError('score', t('forms.required'));
      const body = { resident_id: r.id, answered_on: date.value, score: Number(score.value), channel: channel.value };
      if (knows.value) body.knows_doctor = knows.value === 'true';
      return api.post('/satisfaction', body);
    },
  });
}

/* The card: three buttons, and the latest visits and referrals (the one just saved marked). */
export async function servicesCard(r, user, refresh) {
  if (!can(user, 'followup.read') || user.role === 'resident') return null;
  const writeEncounter = can(user, 'encounter.write') && r.status === 'alive';
  const writeSatisfaction = can(user, 'satisfaction.write') && r.status === 'alive';
  const [encounters, referrals] = await Promise.all([
    api.get(`/residents/${r.id}/encounters`).then((d) => d.items).catch(() => []),
    api.get(`/residents/${r.id}/referrals`).then((d) => d.items).catch(() => []),
  ]);
  const last = lastSaved.get(r.id);
  const mark = (kind, id) => (last && last.kind === kind && last.id === id ? h('span', { class: 'badge badge-ok', 'data-testid': 'new-mark' }, t('services.new')) : null);
  const encounterList = encounters.length
    ? h('ul', { class: 'fu-history', 'data-testid': 'encounter-list' }, encounters.slice(0, 5).map((e) => h('li', { class: 'fu-history-item', 'data-testid': 'encounter-item', 'data-id': e.id },
      h('strong', null, formatDate(e.encounter_date)),
      h('span', null, e.institution_id ? e.institution_name || `#${e.institution_id}` : t(e.in_county ? 'encounter.in_county' : 'encounter.institution_outside')),
      h('span', { class: 'badge', 'data-testid': 'encounter-kind' }, label('encounter_kind', e.kind || (e.at_home ? 'home_visit' : 'outpatient'))),
      e.discharge_date ? h('span', { class: 'muted small' }, t('encounter.discharged_on', { date: formatDate(e.discharge_date) })) : null,
      e.chronic_program ? h('span', { class: 'muted small' }, label('program', e.chronic_program)) : null,
      (e.diagnoses || []).length ? h('span', { class: 'mono small' }, e.diagnoses.join(' ')) : null,
      e.treatment_changed ? h('span', { class: 'muted small' }, t('encounter.treatment_changed')) : null,
      mark('encounter', e.id))))
    : empty(t('services.none'));
  const referralList = referrals.length
    ? h('ul', { class: 'fu-history', 'data-testid': 'referral-list' }, referrals.slice(0, 5).map((x) => h('li', { class: 'fu-history-item', 'data-testid': 'referral-item', 'data-id': x.id },
      h('strong', null, formatDate(x.referred_on)),
      h('span', null, t(`referral.${x.direction}`)),
      h('span', null, `${x.from_institution_name || ''} → ${x.to_institution_name || ''}`),
      h('span', { class: 'muted small' }, t(x.seen_on ? 'referral.seen' : 'referral.waiting')),
      mark('referral', x.id))))
    : empty(t('services.none'));
  const after = (kind, text, id) => {
    remember(r.id, kind, text, id);
    toast(text);
    refresh();
  };
  const buttons = [];
  if (writeEncounter) {
    buttons.push(h('button', {
      type: 'button', class: 'btn btn-small btn-secondary', 'data-testid': 'record-encounter',
      onclick: async () => {
        const e = await encounterDialog(r, user);
        if (e) after('encounter', t('services.saved_encounter', { date: formatDate(e.encounter_date) }), e.id);
      },
    }, t('services.encounter')));
    buttons.push(h('button', {
      type: 'button', class: 'btn btn-small btn-secondary', 'data-testid': 'record-referral',
      onclick: async () => {
        const x = await referralDialog(r);
        if (x) after('referral', t('services.saved_referral', { date: formatDate(x.referred_on) }), x.id);
      },
    }, t('services.referral')));
  }
  if (writeSatisfaction) {
    buttons.push(h('button', {
      type: 'button', class: 'btn btn-small btn-secondary', 'data-testid': 'record-satisfaction',
      onclick: async () => {
        const a = await satisfactionDialog(r);
        if (a) after('satisfaction', t('services.saved_satisfaction', { date: formatDate(a.answered_on), score: a.score }), a.id);
      },
    }, t('services.satisfaction')));
    buttons.push(h('button', {
      type: 'button', class: 'btn btn-small btn-secondary', 'data-testid': 'record-survey-callback',
      onclick: async () => {
        const { surveyCallbackDialog } = await import('./survey-callback.js');
        const a = await surveyCallbackDialog(r);
        if (a) after('survey', t('callback.saved', { total: a.total, max: a.max_total }), a.id);
      },
    }, t('callback.button')));
  }
  return card(t('services.card'), [
    h('h3', { class: 'card-subtitle' }, t('services.encounters')), encounterList,
    h('h3', { class: 'card-subtitle' }, t('services.referrals')), referralList,
    buttons.length ? h('div', { class: 'card-foot-actions' }, buttons) : null,
  ], { testid: 'card-services' });
}
