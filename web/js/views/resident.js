/* resident.js - one resident's page (居民健康档案): basic data, the health record and
 * whether it is opened to the resident, programs, diagnoses, household members, first-
 * discovery flags and the serving team; for staff who read follow-ups, the blood-pressure
 * and glucose trends (views/trends.js) and the links to a child's or a pregnancy's
 * schedule (views/schedule.js). Staff may file a flag from here; roles that
 * keep records may mark the record opened and add diagnoses; admins see who read it. */
import { api } from '../api.js';
import * as offline from '../offline.js';
import {
  h, icon, pageHeader, card, facts, dataTable, classBadge, statusBadge, chip, empty, errorBox,
  toast, formDialog, field, localError, loading, clear,
} from '../dom.js';
import { t, label } from '../i18n.js';
import { visitCard } from './visit-card.js';
import { certificateCard } from './certificate-card.js';
import { resultsCard } from './results-card.js';
import { can } from '../roles.js';
import { ageFrom, daysBetween, formatAge, formatDate, formatDateTime, formatYuan, todayIso } from '../format.js';
import { packages as loadPackages, packageName } from '../packages.js';
import { PROGRAMS as FOLLOWUP_PROGRAMS } from './followup.js';
import { recordsCards } from './resident-records.js';
import { trendsCard, loadMeasurements } from './trends.js';
import { programsFormCard, residentActions, servicesCard, savedNotice, forgetSavedExcept } from './resident-forms.js';
import { bookingsCard, referralsCard, prescriptionsCard, loadHospitalData, bookAction } from './resident-hospital.js';

export const FLAG_REASONS = [
  'elderly_living_alone', 'suspected_hypertension', 'suspected_diabetes', 'pregnancy', 'newborn',
  'mental_health', 'disability', 'frailty', 'fall_risk', 'poverty', 'abnormal_exam', 'other',
];

/* The first-discovery form; resolves with the created flag or null. */
export function fileFlagDialog(resident) {
  const reason = h('select', { name: 'reason', class: 'input select', required: true, 'data-testid': 'flag-reason' },
    h('option', { value: '' }, t('flag.reason_choose')),
    FLAG_REASONS.map((code) => h('option', { value: code }, label('reason', code))));
  const note = h('textarea', {
    name: 'note', class: 'input textarea', rows: '3', maxlength: '1000',
    placeholder: t('flag.note_placeholder'), 'data-testid': 'flag-note',
  });
  return formDialog({
    title: t('flag.form_title'),
    help: `${resident.name} · ${t('flag.form_help')}`,
    testid: 'flag-dialog',
    submitLabel: t('flag.submit'),
    fields: [field(t('flag.reason'), reason, { required: true }), field(t('flag.note'), note)],
    onSubmit: async () => {
      if (!reason.value) throw localError(t('flag.reason_choose'));
      const body = { resident_id: resident.id, reason: reason.value };
      if (note.value.trim()) body.note = note.value.trim();
      return offline.submit('/flags', body, { resident_name: resident.name });
    },
  });
}

function openRecordDialog(resident) {
  const date = h('input', { type: 'date', class: 'input', value: todayIso(), max: todayIso(), required: true, 'data-testid': 'consent-date' });
  return formDialog({
    title: t('resident.open_record_title'),
    help: t('resident.open_record_help'),
    testid: 'record-dialog',
    submitLabel: t('resident.open_record'),
    fields: [field(t('resident.consent_date'), date, { required: true })],
    onSubmit: async () => {
      if (!date.value) throw localError(t('resident.consent_date'));
      return api.put(`/residents/${resident.id}/record`, { opened_to_resident: true, consent_date: date.value });
    },
  });
}

function closeRecordDialog(resident) {
  return formDialog({
    title: t('resident.close_record'),
    testid: 'record-close-dialog',
    submitLabel: t('resident.close_record'),
    danger: true,
    fields: [h('p', null, resident.name)],
    onSubmit: () => api.put(`/residents/${resident.id}/record`, { opened_to_resident: false }),
  });
}

function diagnosisDialog(resident) {
  const code = h('input', { type: 'text', class: 'input mono', maxlength: '8', autocapitalize: 'characters', required: true, 'data-testid': 'diagnosis-icd10', placeholder: 'I10' });
  const on = h('input', { type: 'date', class: 'input', value: todayIso(), max: todayIso(), required: true, 'data-testid': 'diagnosis-date' });
  const note = h('input', { type: 'text', class: 'input', maxlength: '500', 'data-testid': 'diagnosis-note' });
  return formDialog({
    title: t('resident.add_diagnosis'),
    help: resident.name,
    testid: 'diagnosis-dialog',
    submitLabel: t('app.save'),
    fields: [
      field(t('resident.diagnosis_icd10'), code, { required: true, help: t('resident.diagnosis_icd_help') }),
      field(t('resident.diagnosis_date'), on, { required: true }),
      field(t('resident.diagnosis_note'), note),
    ],
    onSubmit: () => {
      const body = { icd10: code.value.trim().toUpperCase(), diagnosed_on: on.value };
      if (note.value.trim()) body.note = note.value.trim();
      return api.post(`/residents/${resident.id}/diagnoses`, body);
    },
  });
}

function basicCard(r) {
  const tags = [];
  if (r.disabled) tags.push(chip(t('resident.disabled'), 'chip-warn'));
  if (r.poverty) tags.push(chip(t('resident.poverty'), 'chip-warn'));
  if (r.proxy_consent) tags.push(chip(t('resident.proxy_consent')));
  return card(t('resident.basic'), facts([
    [t('resident.name'), r.name, 'fact-name'],
    [t('resident.sex'), label('sex', r.sex)],
    [t('resident.birth_date'), formatDate(r.birth_date)],
    [t('resident.age'), formatAge(r.age)],
    [t('resident.id_number'), h('span', { class: 'mono nowrap', 'data-testid': 'resident-id-masked' }, r.id_number_masked || '—'), 'fact-id'],
    [t('resident.phone'), r.phone ? h('a', { href: `tel:${r.phone}`, class: 'mono' }, r.phone) : null],
    [t('resident.region'), r.region_name || r.region],
    [t('resident.address'), r.address, 'fact-address'],
    [t('resident.status'), h('span', null, label('status', r.status), r.status_date ? ` · ${formatDate(r.status_date)}` : '')],
    [t('resident.relation'), label('relation', r.relation)],
    [t('resident.household'), r.household_id
      ? h('a', { href: `#/households/${r.household_id}`, 'data-testid': 'household-link' }, `#${r.household_id} · ${t('resident.open_household')}`)
      : null],
    tags.length ? [t('resident.tags'), h('span', { class: 'chips' }, tags)] : null,
  ]), { testid: 'card-basic' });
}

function recordCard(r, user, refresh) {
  const rec = r.record;
  const actions = [];
  if (rec && can(user, 'record.write')) {
    if (!rec.opened_to_resident) {
      actions.push(h('button', {
        type: 'button', class: 'btn btn-secondary btn-small', 'data-testid': 'open-record',
        onclick: async () => {
          if (await openRecordDialog(r)) {
            toast(t('resident.record_saved'));
            refresh();
          }
        },
      }, icon('check'), t('resident.open_record')));
    } else {
      actions.push(h('button', {
        type: 'button', class: 'btn btn-ghost btn-small', 'data-testid': 'close-record',
        onclick: async () => {
          if (await closeRecordDialog(r)) {
            toast(t('resident.record_saved'));
            refresh();
          }
        },
      }, t('resident.close_record')));
    }
  }
  const body = rec
    ? facts([
      [t('resident.record_opened'), h('span', {
        class: rec.opened_to_resident ? 'badge badge-ok' : 'badge badge-muted',
        'data-testid': 'record-opened', 'data-opened': rec.opened_to_resident ? 'true' : 'false',
      }, rec.opened_to_resident ? t('resident.record_opened_yes') : t('resident.record_opened_no'))],
      [t('resident.record_consent'), formatDate(rec.consent_date)],
      [t('resident.record_created'), formatDate(rec.created_on)],
      [t('resident.contract'), contractValue(r, user)],
    ])
    : empty(t('resident.record_none'), 'record-none');
  return card(t('resident.record'), [body, actions.length ? h('div', { class: 'card-foot-actions' }, actions) : null], { testid: 'card-record' });
}

/* May this user sign this resident now? Staff roles, a living resident, no active contract. */
function maySign(r, user) {
  return can(user, 'contract.write') && user.role !== 'resident' && r.status === 'alive' && !(r.contract && r.contract.status === 'active');
}

/* The record card's contract line: the status linking to the contract, or a 签约 button. */
function contractValue(r, user) {
  if (r.contract) {
    return h('a', { href: `#/contracts/${r.contract.id}`, class: 'contract-status-link', 'data-testid': 'record-contract' },
      statusBadge('contract_status', r.contract.status));
  }
  if (maySign(r, user)) {
    return h('a', { href: `#/residents/${r.id}/sign`, class: 'btn btn-secondary btn-small', 'data-testid': 'record-sign' }, icon('pen'), t('resident.sign'));
  }
  return h('span', { class: 'muted' }, t('resident.contract_none'));
}

/* The current contract in short: status, term, packages, doctor; or the way to sign. */
function contractCard(r, user, catalogue) {
  const c = r.contract;
  if (!c) {
    const body = [empty(t('resident.contract_none'), 'contract-none')];
    if (maySign(r, user)) {
      body.push(h('div', { class: 'card-foot-actions' },
        h('a', { href: `#/residents/${r.id}/sign`, class: 'btn btn-primary btn-block', 'data-testid': 'sign-contract' }, icon('pen'), t('resident.sign'))));
    }
    return card(t('resident.contract_card'), body, { testid: 'card-contract' });
  }
  const byCode = new Map((catalogue instanceof Error ? [] : catalogue || []).map((p) => [p.code, p]));
  const left = daysBetween(todayIso(), c.end_date);
  const soon = c.status === 'active' && left >= 0 && left <= 30;
  const body = [
    h('div', { class: 'contract-summary-head' },
      statusBadge('contract_status', c.status, 'contract-summary-status'),
      soon ? h('span', { class: 'badge badge-warn', 'data-testid': 'contract-expiring' }, t('expiring.days', { n: left })) : null),
    facts([
      [t('contract.term'), h('span', { class: 'nowrap', 'data-testid': 'contract-summary-term' }, `${formatDate(c.start_date)} — ${formatDate(c.end_date)}`)],
      [t('contract.doctor'), c.doctor_name],
      [t('contract.team'), c.team_name],
      [t('contract.fee_total'), formatYuan(c.fee_fen)],
    ]),
    h('div', { class: 'chips contract-summary-packages', 'data-testid': 'contract-summary-packages' },
      (c.packages || []).map((code) => chip(byCode.has(code) ? packageName(byCode.get(code)) : code))),
    h('div', { class: 'card-foot-actions' },
      h('a', { href: `#/contracts/${c.id}`, class: 'btn btn-secondary btn-block', 'data-testid': 'open-contract' }, icon('contract'), t('resident.contract_open'))),
  ];
  return card(t('resident.contract_card'), body, { testid: 'card-contract', cls: 'card-contract' });
}

/* Follow-ups (随访): a button per program the resident is managed in, and the latest visits. */
function followupsCard(r, user, followups) {
  const programs = FOLLOWUP_PROGRAMS.filter((p) => (r.programs || []).includes(p)
    || (p === 'elderly' && r.age >= 65) || (p === 'child' && r.age < 7));
  const actions = can(user, 'followup.write') ? programs.map((p) => h('a', {
    class: 'btn btn-small btn-secondary', href: `#/residents/${r.id}/followup/${p}`, 'data-testid': `record-followup-${p}`,
  }, icon('plus'), label('program', p))) : [];
  /* The schedules: a child's always; a pregnancy's once the record shows one. */
  const schedules = [];
  if (r.age < 7) schedules.push('child');
  if (r.sex === 'F' && ((r.programs || []).includes('maternal') || (followups || []).some((f) => f.program === 'maternal'))) schedules.push('maternal');
  actions.push(...schedules.map((p) => h('a', {
    class: 'btn btn-small btn-ghost', href: `#/residents/${r.id}/schedule/${p}`, 'data-testid': `open-schedule-${p}`,
  }, icon('list'), t(`schedule.open_${p}`))));
  /* COPD follow-up (docs/copd.md): its own screen once enrolled. */
  if ((r.programs || []).includes('copd')) {
    actions.push(h('a', { class: 'btn btn-small btn-secondary', href: `#/residents/${r.id}/copd`, 'data-testid': 'open-copd' },
      icon('plus'), t('copd.title')));
  }
  /* Tuberculosis care (§14): the patient's cases; a clinician registers a notice there. */
  if ((r.programs || []).includes('tb') || can(user, 'clinical.write')) {
    actions.push(h('a', { class: 'btn btn-small btn-ghost', href: `#/residents/${r.id}/tb`, 'data-testid': 'open-tb' },
      icon('list'), (r.programs || []).includes('tb') ? t('tb.open') : t('tb.notice')));
    actions.push(h('a', { class: 'btn btn-small btn-ghost', href: `#/residents/${r.id}/sickbed`, 'data-testid': 'open-sickbed' },
      icon('list'), t('sickbed.title')));
  }
  const items = (followups || []).slice(0, 8);
  const body = items.length
    ? h('ul', { class: 'fu-history', 'data-testid': 'followup-list' }, items.map((f) => {
      const e = f.evaluation || {};
      const code = e.classification || e.color || (e.colors && e.colors[0]);
      const values = [f.sbp ? `${f.sbp}/${f.dbp} mmHg` : null, f.fbg ? `${f.fbg} mmol/L` : null, f.hba1c ? `HbA1c ${f.hba1c}%` : null,
        e.self_care_score !== undefined ? t('followup.score', { n: e.self_care_score }) : null].filter(Boolean).join(' · ');
      return h('li', { class: 'fu-history-item', 'data-testid': 'followup-item', 'data-program': f.program },
        h('span', { class: 'strong' }, formatDate(f.visit_date)),
        h('span', null, label('program', f.program)),
        code ? h('span', { class: `badge fu-badge fu-${code} color-badge color-${code}`, 'data-testid': 'followup-class' }, label(e.classification ? 'classification' : 'color', code)) : null,
        h('span', { class: 'muted small' }, values));
    }))
    : empty(t('followup.none'));
  return card(t('followup.history'), [body, actions.length ? h('div', { class: 'card-foot-actions' }, actions) : null], { testid: 'card-followups' });
}

function diagnosesCard(r, user, refresh) {
  const actions = [];
  if (can(user, 'clinical.write')) {
    actions.push(h('button', {
      type: 'button', class: 'btn btn-ghost btn-small', 'data-testid': 'add-diagnosis',
      onclick: async () => {
        if (await diagnosisDialog(r)) {
          toast(t('resident.diagnosis_saved'));
          refresh();
        }
      },
    }, icon('plus'), t('resident.add_diagnosis')));
  }
  const body = r.diagnoses && r.diagnoses.length
    ? dataTable([
      { label: t('resident.diagnosis_icd10'), cls: 'mono', render: (d) => d.icd10 },
      { label: t('resident.diagnosis_date'), render: (d) => formatDate(d.diagnosed_on) },
      { label: t('resident.diagnosis_note'), render: (d) => d.note || '—' },
    ], r.diagnoses, { rowTestId: 'diagnosis-row', cls: 'table-compact' })
    : empty(t('resident.diagnoses_none'));
  return card(t('resident.diagnoses'), body, { testid: 'card-diagnoses', actions });
}

function membersCard(r, household) {
  let body;
  if (household instanceof Error) body = errorBox(household);
  else if (!household || !household.members || !household.members.length) body = empty(t('resident.members_none'));
  else {
    body = dataTable([
      {
        label: t('household.col_name'),
        render: (m) => (m.id === r.id
          ? h('span', { class: 'strong' }, m.name, h('span', { class: 'muted small' }, ` (${t('resident.self')})`))
          : h('a', { href: `#/residents/${m.id}`, class: 'strong-link', 'data-testid': 'member-link' }, m.name)),
      },
      { label: t('household.col_relation'), render: (m) => label('relation', m.relation) },
      { label: t('household.col_sex'), render: (m) => label('sex', m.sex) },
      { label: t('household.col_age'), cls: 'num', render: (m) => formatAge(ageFrom(m.birth_date)) },
      { label: t('household.col_class'), render: (m) => classBadge(m.population_class) },
    ], household.members, { rowTestId: 'member-row', cls: 'table-compact compact-cards' });
  }
  const actions = r.household_id
    ? [h('a', { href: `#/households/${r.household_id}`, class: 'btn btn-ghost btn-small', 'data-testid': 'open-household' }, t('resident.open_household'))]
    : [];
  return card(t('resident.members'), body, { testid: 'card-members', actions });
}

function flagsCard(r) {
  const flags = r.flags || [];
  const open = flags.filter((f) => f.status === 'open').length;
  const body = flags.length
    ? h('ul', { class: 'flag-list', 'data-testid': 'resident-flags' }, flags.map((f) => h('li', {
      class: `flag-item flag-${f.status}`, 'data-testid': 'flag-item', 'data-status': f.status, 'data-reason': f.reason, 'data-id': f.id,
    },
    h('div', { class: 'flag-line' },
      h('span', { class: 'flag-reason' }, icon('flag', 'icon flag-icon'), label('reason', f.reason)),
      statusBadge('flag_status', f.status, 'flag-status')),
    f.note ? h('p', { class: 'flag-note' }, f.note) : null,
    h('p', { class: 'muted small' }, formatDateTime(f.raised_at)))))
    : empty(t('resident.flags_none'));
  const extra = open ? h('span', { class: 'count-pill', 'data-testid': 'open-flag-count' }, t('resident.flags_open_count', { n: open })) : null;
  return card(t('resident.flags'), body, { testid: 'card-flags', extra });
}

function teamCard(r, team) {
  if (!r.teams || !r.teams.length) return card(t('resident.team'), empty(t('resident.team_none')), { testid: 'card-team' });
  const items = r.teams.map((tm) => {
    const detail = team && !(team instanceof Error) && team.id === tm.id ? team : null;
    const lead = detail && detail.members ? (detail.members.find((m) => m.id === detail.doctor_id) || detail.members.find((m) => m.role === 'lead')) : null;
    return h('div', { class: 'team-summary' },
      h('a', { href: `#/teams/${tm.id}`, class: 'team-name strong-link', 'data-testid': 'team-link' }, icon('team', 'icon team-icon'), tm.name),
      detail ? h('p', { class: 'muted small' }, [detail.model, detail.institution].filter(Boolean).join(' · ')) : null,
      lead ? h('div', { class: 'lead-line' },
        h('span', { class: 'muted' }, t('resident.team_lead'), t('app.colon')),
        h('span', { class: 'strong' }, lead.name),
        lead.phone ? h('a', { href: `tel:${lead.phone}`, class: 'mono lead-phone' }, lead.phone) : null) : null);
  });
  return card(t('resident.team'), items, { testid: 'card-team' });
}

function auditCard(r) {
  const host = h('div', { class: 'audit-host' });
  const button = h('button', { type: 'button', class: 'btn btn-ghost btn-small', 'data-testid': 'show-audit' }, t('resident.audit_show'));
  button.addEventListener('click', async () => {
    button.remove();
    host.appendChild(loading());
    try {
      const data = await api.get('/audit', { resident: r.id, limit: 50 });
      clear(host);
      host.appendChild(data.items.length ? dataTable([
        { label: t('resident.audit_at'), cls: 'nowrap', render: (a) => formatDateTime(a.at) },
        { label: t('resident.audit_user'), render: (a) => `${a.username} · ${label('role', a.role)}` },
        { label: t('resident.audit_action'), render: (a) => label('audit_action', a.action) },
        { label: t('resident.audit_resource'), cls: 'mono', render: (a) => `${a.resource} ${a.resource_id}` },
      ], data.items, { rowTestId: 'audit-row', cls: 'table-compact' }) : empty(t('resident.audit_none')));
    } catch (error) {
      clear(host);
      host.appendChild(errorBox(error));
    }
  });
  host.appendChild(button);
  return card(t('resident.audit'), host, { testid: 'card-audit' });
}

export async function residentView(ctx) {
  const id = Number(ctx.params[0]);
  const user = ctx.user;
  const r = await api.get(`/residents/${id}`);
  ctx.setTitle(r.name);
  const refresh = () => ctx.rerender();
  forgetSavedExcept(id);
  const [household, team, catalogue, followups, records, measurements, services, hospital, visit, certificates, results] = await Promise.all([
    r.household_id ? api.get(`/households/${r.household_id}`).catch((e) => e) : null,
    r.teams && r.teams.length ? api.get(`/teams/${r.teams[0].id}`).catch((e) => e) : null,
    r.contract ? loadPackages().catch((e) => e) : null,
    can(user, 'followup.read') ? api.get(`/residents/${id}/followups`).then((d) => d.items).catch(() => []) : null,
    recordsCards(r, user, refresh),
    can(user, 'followup.read') ? loadMeasurements(id) : [],
    servicesCard(r, user, refresh),
    loadHospitalData(r, user),
    visitCard(r, user, refresh),
    certificateCard(r, user, refresh),
    resultsCard(r, user),
  ]);

  const actions = [...residentActions(r, user, refresh)];
  const book = bookAction(r, user);
  if (book) actions.push(book);
  if (can(user, 'flag.create')) {
    actions.push(h('button', {
      type: 'button', class: 'btn btn-primary', 'data-testid': 'file-flag',
      onclick: async () => {
        const flag = await fileFlagDialog(r);
        if (flag) {
          toast(flag.queued ? t('offline.queued') : t('flag.created'), flag.queued ? 'warning' : 'success');
          refresh();
        }
      },
    }, icon('flag'), t('resident.file_flag')));
  }

  const subtitle = h('span', { class: 'resident-sub' },
    h('span', null, label('sex', r.sex)),
    h('span', { class: 'dot' }, '·'),
    h('span', { 'data-testid': 'resident-age' }, formatAge(r.age)),
    h('span', { class: 'dot' }, '·'),
    h('span', { class: 'mono' }, r.id_number_masked || ''),
    classBadge(r.population_class),
    r.status !== 'alive' ? h('span', { class: 'badge status-other' }, label('status', r.status)) : null);

  const header = pageHeader(r.name, {
    back: user.role === 'resident' ? null : { href: '#/residents', text: t('resident.back') },
    actions,
  });
  header.querySelector('.page-title-block').appendChild(h('p', { class: 'page-subtitle' }, subtitle));
  header.querySelector('.page-title').setAttribute('data-testid', 'resident-name');

  const main = h('div', { class: 'col-main' }, basicCard(r), programsFormCard(r, user, refresh));
  if (visit) main.insertBefore(visit, main.children[1]); /* this visit's prompts, under who it is */
  const trends = trendsCard(measurements);
  if (trends) main.appendChild(trends);
  if (followups) main.appendChild(followupsCard(r, user, followups));
  if (services) main.appendChild(services);
  /* the hospital in the loop: referrals with their state, bookings, prescriptions */
  const [bookings, referrals, prescriptions] = hospital;
  for (const c of [referralsCard(r, user, referrals, refresh), prescriptionsCard(r, user, prescriptions, refresh)]) if (c) main.appendChild(c);
  main.append(...records);
  if (results) main.appendChild(results);
  main.append(diagnosesCard(r, user, refresh), membersCard(r, household));
  const side = h('div', { class: 'col-side' }, contractCard(r, user, catalogue), recordCard(r, user, refresh), teamCard(r, team));
  const bookingCard = bookingsCard(r, user, bookings, refresh);
  if (bookingCard) side.insertBefore(bookingCard, side.children[1]);
  if (certificates) side.appendChild(certificates);
  if (user.role !== 'resident') side.appendChild(flagsCard(r));
  if (can(user, 'audit.read')) main.appendChild(auditCard(r));

  return h('div', { class: user.role === 'resident' ? 'page resident-page portal' : 'page resident-page', 'data-testid': 'resident-page', 'data-id': r.id }, header, savedNotice(r.id), h('div', { class: 'two-col' }, main, side));
}

