/* referrals.js - the tracked referral (issue 15, docs/hospital-loop.md "Referrals").
 *
 * #/referrals: for a hospital desk (转诊办, specialists) the incoming work list, requested
 * first, then accepted, then the rest, with a filter by state (?status=); for a family-doctor
 * team the up-referrals it sent with their state and what came back, and the referrals it
 * received (down-referrals). #/referrals/ID: one referral with the summary of the record frozen
 * when it was sent, what the hospital returned, the events in time order, and the moves the
 * user's end may make now: accept, decline (with a reason), seen, return with summary and
 * plan (the receiving hospital); close, cancel (the family-doctor side). */
import { api } from '../api.js';
import { h, icon, pageHeader, card, facts, empty, toast, dataTable, chip } from '../dom.js';
import { t, label } from '../i18n.js';
import { can, isHospital } from '../roles.js';
import { formatDate, formatDateTime, todayIso } from '../format.js';
import { formField, fieldDialog, fieldError } from '../forms.js';
import { referralStatusBadge, withDepartmentNames } from './hospital-common.js';

const STATES = ['requested', 'accepted', 'seen', 'returned', 'declined', 'closed', 'cancelled'];
const ORDER = Object.fromEntries(STATES.map((s, i) => [s, i]));

function byWork(a, b) {
  return (ORDER[a.status] ?? 9) - (ORDER[b.status] ?? 9) || Number(Boolean(b.urgent)) - Number(Boolean(a.urgent))
    || String(a.referred_on || '').localeCompare(String(b.referred_on || ''));
}

function who(x) {
  return h('span', { class: 'ref-who' },
    h('a', { href: `#/referrals/${x.id}`, class: 'strong-link', 'data-testid': 'referral-link' }, x.resident_name || `#${x.resident_id}`),
    x.urgent ? h('span', { class: 'badge badge-warn', 'data-testid': 'referral-urgent' }, t('ref.urgent')) : null);
}

const columns = (incoming) => [
  { label: t('ref.col_patient'), render: who },
  { label: t('ref.col_category'), render: (x) => label('referral_category', x.category) },
  incoming
    ? { label: t('ref.col_from'), render: (x) => x.from_institution_name || '—' }
    : { label: t('ref.col_to'), render: (x) => x.to_institution_name || '—' },
  { label: t('ref.department'), render: (x) => x.department_name || x.department || '—' },
  { label: t('ref.col_sent'), cls: 'nowrap', render: (x) => formatDate(x.referred_on) },
  { label: t('ref.col_status'), render: (x) => referralStatusBadge(x.status) },
];

function list(items, incoming, testid) {
  if (!items.length) return empty(t('ref.none'), `${testid}-empty`);
  return dataTable(columns(incoming), items, { rowTestId: 'referral-row', rowHref: (x) => `#/referrals/${x.id}`, cls: 'table-compact ref-table' });
}

/* A returned up-referral as the family doctor reads it: the hospital's summary and plan. */
function returnedItem(x, onClose) {
  return h('li', { class: 'ref-return', 'data-testid': 'return-item', 'data-id': x.id },
    h('div', { class: 'ref-return-head' }, who(x), referralStatusBadge(x.status),
      h('span', { class: 'muted small' }, [x.to_institution_name, x.department_name, formatDate(x.returned_on)].filter(Boolean).join(' · '))),
    x.return_summary ? h('p', { class: 'ref-return-text' }, h('strong', null, t('ref.return_summary'), t('app.colon')), x.return_summary) : null,
    x.return_plan ? h('p', { class: 'ref-return-text', 'data-testid': 'return-plan' }, h('strong', null, t('ref.return_plan'), t('app.colon')), x.return_plan) : null,
    x.status === 'returned' ? h('div', { class: 'card-foot-actions' },
      h('a', { href: `#/referrals/${x.id}`, class: 'btn btn-ghost btn-small' }, t('ref.open')),
      h('button', { type: 'button', class: 'btn btn-primary btn-small', 'data-testid': 'return-close', onclick: () => onClose(x) }, icon('check'), t('ref.close'))) : null);
}

async function closeReferral(x) {
  return fieldDialog({
    title: t('ref.close_title'),
    help: `${x.resident_name || ''} · ${t('ref.close_help')}`,
    testid: 'close-dialog',
    submitLabel: t('ref.close'),
    fields: [formField('note', t('ref.note'), h('input', { type: 'text', class: 'input', maxlength: '500', 'data-testid': 'close-note' }))],
    onSubmit: (form) => {
      const note = form.querySelector('[name=note]').value.trim();
      return api.post(`/referrals/${x.id}/close`, note ? { note } : {});
    },
  });
}

async function hospitalList(ctx) {
  const status = ctx.query.get('status') || '';
  const data = await api.get('/referrals', { side: 'incoming', status });
  const items = (await withDepartmentNames(data.items || [])).sort(byWork);
  const counts = data.counts || {};
  const tab = (s) => h('a', {
    href: s ? `#/referrals?status=${s}` : '#/referrals', role: 'tab', class: `tab${s === status ? ' active' : ''}`,
    'aria-selected': s === status ? 'true' : 'false', 'data-testid': `ref-tab-${s || 'open'}`,
  }, s ? label('referral_status', s) : t('ref.tab_open'), counts[s || 'open'] !== undefined ? h('span', { class: 'tab-count' }, String(counts[s || 'open'])) : null);
  const shown = status ? items : items.filter((x) => x.status === 'requested' || x.status === 'accepted' || x.status === 'seen');
  return h('div', { class: 'page referrals-page', 'data-testid': 'referrals-page', 'data-side': 'hospital' },
    pageHeader(t('ref.incoming_title'), { subtitle: t('ref.incoming_subtitle') }),
    h('div', { class: 'tabs', role: 'tablist' }, ['', ...STATES].map(tab)),
    card(null, list(shown, true, 'incoming'), { testid: 'incoming-list' }));
}

async function teamList(ctx) {
  const [outgoing, incoming] = await Promise.all([
    api.get('/referrals', { side: 'outgoing', direction: 'up' }),
    api.get('/referrals', { side: 'incoming', direction: 'down' }),
  ]);
  const sent = await withDepartmentNames(outgoing.items || []);
  /* what came back: the list carries the state, the referral itself the summary and plan */
  const returned = await Promise.all(sent.filter((x) => x.status === 'returned').slice(0, 20)
    .map((x) => api.get(`/referrals/${x.id}`).catch(() => x)));
  const onClose = async (x) => {
    if (await closeReferral(x)) {
      toast(t('ref.closed', { name: x.resident_name || '' }));
      ctx.rerender();
    }
  };
  return h('div', { class: 'page referrals-page', 'data-testid': 'referrals-page', 'data-side': 'team' },
    pageHeader(t('ref.team_title'), { subtitle: t('ref.team_subtitle') }),
    card(t('ref.returns'), returned.length ? h('ul', { class: 'ref-returns', 'data-testid': 'return-list' }, returned.map((x) => returnedItem(x, onClose))) : empty(t('ref.returns_none'), 'returns-empty'), { testid: 'card-returns' }),
    card(t('ref.sent'), list(sent.sort(byWork), false, 'sent'), { testid: 'sent-list' }),
    card(t('ref.received'), list((incoming.items || []).sort(byWork), true, 'received'), { testid: 'received-list' }));
}

export async function referralsView(ctx) {
  ctx.setTitle(t(isHospital(ctx.user) ? 'ref.incoming_title' : 'ref.team_title'));
  return isHospital(ctx.user) ? hospitalList(ctx) : teamList(ctx);
}

/* The frozen summary: diagnoses, latest follow-ups, medications, results. */
export function summaryBlock(s) {
  if (!s || typeof s !== 'object') return empty(t('ref.summary_none'), 'summary-empty');
  const section = (title, rows, testid) => h('div', { class: 'ref-summary-part', 'data-testid': testid },
    h('h3', { class: 'card-subtitle' }, title),
    rows && rows.length ? h('ul', { class: 'plain-list' }, rows.map((r) => h('li', null, r))) : h('p', { class: 'muted small' }, t('app.none')));
  const diag = (s.diagnoses || []).map((d) => [d.icd10, d.note, d.diagnosed_on ? formatDate(d.diagnosed_on) : null].filter(Boolean).join(' · '));
  if (s.kind === 'hospital') return h('div', { class: 'ref-summary', 'data-testid': 'referral-summary' }, h('p', { class: 'ref-return-text' }, s.text || t('ref.summary_none')));
  const fus = (s.latest_followups || []).map((f) => [formatDate(f.visit_date), label('program', f.program),
    f.sbp ? `${f.sbp}/${f.dbp} mmHg` : null, f.fbg ? `${f.fbg} mmol/L` : null,
    f.classification ? label('classification', f.classification) : null].filter(Boolean).join(' · '));
  const meds = (s.medications || []).map((m) => (typeof m === 'string' ? m : [m.drug_name || m.name, m.dose, m.frequency ? label('frequency', m.frequency) : null].filter(Boolean).join(' ')));
  const exam = s.latest_exam;
  const results = exam ? [[formatDate(exam.exam_date || exam.measured_on || exam.date), exam.sbp ? `${exam.sbp}/${exam.dbp} mmHg` : null, exam.fbg ? `${exam.fbg} mmol/L` : null].filter(Boolean).join(' · ')] : [];
  return h('div', { class: 'ref-summary', 'data-testid': 'referral-summary' },
    s.name ? facts([[t('ref.patient'), [s.name, label('sex', s.sex), s.age !== undefined ? t('format.age', { n: s.age }) : null].filter(Boolean).join(' · ')],
      (s.programs || []).length ? [t('ref.summary_programs'), s.programs.map((p) => label('program', p)).join('、')] : null]) : null,
    section(t('ref.summary_diagnoses'), diag, 'summary-diagnoses'),
    section(t('ref.summary_followups'), fus, 'summary-followups'),
    section(t('ref.summary_medications'), meds, 'summary-medications'),
    section(t('ref.summary_results'), results, 'summary-results'));
}

function declineDialog(x) {
  const reason = h('textarea', { class: 'input textarea', rows: '3', maxlength: '500', 'data-testid': 'decline-reason' });
  return fieldDialog({
    title: t('ref.decline_title'), help: x.resident_name, testid: 'decline-dialog', danger: true,
    submitLabel: t('ref.decline'),
    fields: [formField('reason', t('ref.decline_reason'), reason, { required: true })],
    onSubmit: () => {
      if (!reason.value.trim()) throw fieldError('reason', t('forms.required'));
      return api.post(`/referrals/${x.id}/decline`, { reason: reason.value.trim() });
    },
  });
}

function seenDialog(x) {
  const date = h('input', { type: 'date', class: 'input', value: todayIso(), max: todayIso(), 'data-testid': 'seen-date' });
  return fieldDialog({
    title: t('ref.seen_title'), help: x.resident_name, testid: 'seen-dialog', submitLabel: t('ref.seen'),
    fields: [formField('seen_on', t('ref.seen_on'), date, { required: true })],
    onSubmit: () => api.post(`/referrals/${x.id}/seen`, { seen_on: date.value }),
  });
}

function returnDialog(x) {
  const summary = h('textarea', { class: 'input textarea', rows: '4', maxlength: '4000', 'data-testid': 'return-summary' });
  const plan = h('textarea', { class: 'input textarea', rows: '4', maxlength: '4000', 'data-testid': 'return-plan-input' });
  return fieldDialog({
    title: t('ref.return_title'), help: `${x.resident_name || ''} · ${t('ref.return_help')}`, testid: 'return-dialog',
    submitLabel: t('ref.return'),
    fields: [
      formField('summary', t('ref.return_summary'), summary, { required: true }),
      formField('plan', t('ref.return_plan'), plan, { required: true, help: t('ref.return_plan_help') }),
    ],
    onSubmit: () => {
      if (!summary.value.trim()) throw fieldError('summary', t('forms.required'));
      if (!plan.value.trim()) throw fieldError('plan', t('forms.required'));
      return api.post(`/referrals/${x.id}/return`, { summary: summary.value.trim(), plan: plan.value.trim() });
    },
  });
}

function cancelDialog(x) {
  return fieldDialog({
    title: t('ref.cancel_title'), help: x.resident_name, testid: 'cancel-dialog', danger: true, submitLabel: t('ref.cancel'),
    fields: [formField('note', t('ref.note'), h('input', { type: 'text', class: 'input', maxlength: '500' }))],
    onSubmit: (form) => {
      const note = form.querySelector('[name=note]').value.trim();
      return api.post(`/referrals/${x.id}/cancel`, note ? { note } : {});
    },
  });
}

/* The moves this user may make now. The server decides (409 invalid_state, 403); the list
 * only offers what its end may do from this state. */
function moves(x, user) {
  const hospital = isHospital(user);
  const up = x.direction !== 'down';
  const receiver = hospital ? up : !up;
  const out = [];
  const add = (key, dialog, cls = 'btn-secondary') => out.push({ key, dialog, cls });
  if (receiver && x.status === 'requested') {
    add('accept', null, 'btn-primary');
    add('decline', declineDialog, 'btn-ghost');
  }
  if (receiver && (x.status === 'requested' || x.status === 'accepted')) add('seen', seenDialog, x.status === 'accepted' ? 'btn-primary' : 'btn-secondary');
  if (receiver && up && x.status === 'seen') add('return', returnDialog, 'btn-primary');
  if (x.status === 'seen' && (receiver || !hospital)) add('close', closeReferral);
  if (!receiver && x.status === 'returned') add('close', closeReferral, 'btn-primary');
  if (!receiver && (x.status === 'requested' || x.status === 'accepted')) add('cancel', cancelDialog, 'btn-ghost');
  return out;
}

function eventsCard(events) {
  const items = events || [];
  return card(t('ref.events'), items.length ? h('ol', { class: 'timeline', 'data-testid': 'referral-events' }, items.map((e) => h('li', { class: 'timeline-item', 'data-testid': 'referral-event', 'data-status': e.to },
    h('div', { class: 'timeline-head' },
      h('strong', null, e.from ? label('referral_status', e.to) : t('ref.event_sent')),
      h('span', { class: 'muted small nowrap' }, formatDateTime(e.at)),
      e.by ? h('span', { class: 'muted small' }, [e.by, e.by_role ? label('role', e.by_role) : null].filter(Boolean).join(' · ')) : null),
    e.note ? h('p', { class: 'timeline-text' }, e.note) : null))) : empty(t('ref.events_none')), { testid: 'card-events' });
}

export async function referralView(ctx) {
  const id = Number(ctx.params[0]);
  const x = await api.get(`/referrals/${id}`);
  await withDepartmentNames([x]);
  ctx.setTitle(`${t('ref.title')} · ${x.resident_name || ''}`);
  const buttons = moves(x, ctx.user).map((m) => h('button', {
    type: 'button', class: `btn ${m.cls}`, 'data-testid': `ref-${m.key}`,
    onclick: async (event) => {
      const button = event.currentTarget;
      let done;
      if (m.dialog) done = await m.dialog(x);
      else {
        button.disabled = true;
        try {
          done = await api.post(`/referrals/${x.id}/${m.key}`, {});
        } catch (error) {
          button.disabled = false;
          toast(error.detail || t('app.error_generic'), 'error');
          return;
        }
      }
      if (done) {
        toast(t(`ref.done_${m.key}`));
        ctx.rerender();
      }
    },
  }, t(`ref.${m.key}`)));
  const head = facts([
    [t('ref.direction'), t(`ref.dir_${x.direction === 'down' ? 'down' : 'up'}`)],
    [t('ref.col_category'), label('referral_category', x.category), 'fact-category'],
    [t('ref.reasons'), (x.reasons || []).length ? h('span', { class: 'chips' }, x.reasons.map((r) => chip(label('referral_reason', r)))) : (x.reason || null)],
    [t('ref.col_from'), x.from_institution_name],
    [t('ref.col_to'), [x.to_institution_name, x.department_name || x.department].filter(Boolean).join(' · ')],
    [t('ref.col_sent'), formatDate(x.referred_on)],
    x.booking ? [t('ref.booking'), `${String(x.booking.starts_at || '').replace('T', ' ')} · ${x.booking.doctor_name || ''}`] : null,
    x.decline_reason ? [t('ref.decline_reason'), x.decline_reason, 'fact-decline'] : null,
    x.seen_on ? [t('ref.seen_on'), formatDate(x.seen_on)] : null,
  ]);
  const returned = x.return_summary || x.return_plan
    ? card(t('ref.returned_card'), [
      h('h3', { class: 'card-subtitle' }, t('ref.return_summary')), h('p', { class: 'ref-return-text', 'data-testid': 'fact-return-summary' }, x.return_summary || '—'),
      h('h3', { class: 'card-subtitle' }, t('ref.return_plan')), h('p', { class: 'ref-return-text', 'data-testid': 'fact-return-plan' }, x.return_plan || '—'),
      h('p', { class: 'muted small' }, `${t('ref.returned_on')}${t('app.colon')}${formatDate(x.returned_on)}`),
    ], { testid: 'card-return', cls: 'card-return' })
    : null;
  /* the family doctor books a slot at the hospital for a referral still waiting */
  if (!isHospital(ctx.user) && x.direction !== 'down' && (x.status === 'requested' || x.status === 'accepted') && can(ctx.user, 'booking.write')) {
    buttons.push(h('a', {
      class: 'btn btn-secondary', 'data-testid': 'ref-book',
      href: `#/slots?resident=${x.resident_id}&referral=${x.id}&hospital=${x.to_institution_id}${x.department ? `&department=${encodeURIComponent(x.department)}` : ''}`,
    }, icon('calendar'), t('ref.book_for')));
  }
  const back = { href: '#/referrals', text: t(isHospital(ctx.user) ? 'ref.incoming_title' : 'ref.team_title') };
  const title = h('span', null, x.resident_name || `#${x.resident_id}`);
  const header = pageHeader(title, { back, actions: buttons });
  header.querySelector('.page-title-block').appendChild(h('p', { class: 'page-subtitle' }, referralStatusBadge(x.status, 'referral-state'),
    x.urgent ? h('span', { class: 'badge badge-warn' }, t('ref.urgent')) : null));
  const residentLink = !isHospital(ctx.user) && x.resident_id
    ? h('a', { href: `#/residents/${x.resident_id}`, class: 'btn btn-ghost btn-small', 'data-testid': 'referral-resident' }, icon('user'), t('ref.open_resident'))
    : null;
  return h('div', { class: 'page referral-page', 'data-testid': 'referral-page', 'data-id': x.id, 'data-status': x.status }, header,
    h('div', { class: 'two-col' },
      h('div', { class: 'col-main' },
        returned,
        card(t('ref.details'), [head, residentLink], { testid: 'card-referral' }),
        card(t('ref.summary'), summaryBlock(x.summary), { testid: 'card-summary', extra: h('span', { class: 'muted small ref-frozen' }, t('ref.summary_frozen')) })),
      h('div', { class: 'col-side' }, eventsCard(x.events))));
}
