/* tb.js - a tuberculosis patient's management (肺结核患者健康管理, PROTOCOLS.md §14),
 * #/residents/ID/tb: the open case (notice, course, supervision, phase, doses taken and
 * adherence, the next visit), its visits, and the two forms: 登记通知 (the county TB
 * institution's notice, which puts the home visit within 72 hours on the work list) and
 * 记录访视 (a visit; more than a week of missed doses, an adverse reaction or worsening and
 * the closing assessment each say what they set in motion). Closed cases below. */
import { api } from '../api.js';
import { h, icon, pageHeader, card, facts, dataTable, empty, toast, formDialog, field, checkbox } from '../dom.js';
import { t, label } from '../i18n.js';
import { can } from '../roles.js';
import { formatAge, formatDate, formatPercent, todayIso } from '../format.js';

const SUPERVISIONS = ['medical', 'family', 'volunteer', 'e_pillbox', 'self'];
const MODES = ['home_visit', 'clinic', 'phone'];
const OUTCOMES = ['cured', 'completed', 'failed', 'died', 'lost', 'transferred'];

const select = (name, codes, value, testid) => h('select', { class: 'input', name, 'data-testid': testid },
  codes.map((c) => h('option', { value: c, selected: c === value }, label(name, c))));
const number = (testid, value = '') => h('input', { type: 'number', class: 'input', min: '0', max: '400', inputmode: 'numeric', value: String(value), 'data-testid': testid });

function noticeDialog(r) {
  const notified = h('input', { type: 'date', class: 'input', value: todayIso(), max: todayIso(), 'data-testid': 'tb-notified' });
  const start = h('input', { type: 'date', class: 'input', value: todayIso(), max: todayIso(), 'data-testid': 'tb-start' });
  const supervision = select('tb_supervision', SUPERVISIONS, 'family', 'tb-supervision');
  const course = number('tb-course', 6);
  const intensive = number('tb-intensive', 2);
  const by = h('input', { type: 'text', class: 'input', maxlength: '100', placeholder: t('tb.notified_by_placeholder'), 'data-testid': 'tb-notified-by' });
  return formDialog({
    title: t('tb.notice'),
    help: t('tb.notice_help'),
    testid: 'tb-notice-dialog',
    submitLabel: t('app.save'),
    fields: [
      field(t('tb.notified_on'), notified, { required: true }),
      field(t('tb.treatment_start'), start, { required: true }),
      field(t('tb.supervision'), supervision, { required: true }),
      h('div', { class: 'field-row' }, field(t('tb.intensive_months'), intensive), field(t('tb.course_months'), course)),
      field(t('tb.notified_by'), by),
    ],
    onSubmit: () => api.post('/tb-cases', {
      resident_id: r.id, notified_on: notified.value, treatment_start: start.value, supervision: supervision.value,
      intensive_months: Number(intensive.value), course_months: Number(course.value),
      ...(by.value.trim() ? { notified_by: by.value.trim() } : {}),
    }),
  });
}

function visitDialog(c, closingDue) {
  const date = h('input', { type: 'date', class: 'input', value: todayIso(), min: c.notified_on, max: todayIso(), 'data-testid': 'tb-visit-date' });
  const mode = select('tb_mode', MODES, 'home_visit', 'tb-visit-mode');
  const due = number('tb-doses-due');
  const taken = number('tb-doses-taken');
  const adverse = checkbox(t('tb.adverse_reaction'), { 'data-testid': 'tb-adverse' });
  const worse = checkbox(t('tb.worsening'), { 'data-testid': 'tb-worsening' });
  const closing = checkbox(t('tb.closing'), { 'data-testid': 'tb-closing', checked: Boolean(closingDue) });
  const outcome = select('tb_outcome', OUTCOMES, 'completed', 'tb-outcome');
  const outcomeField = field(t('tb.outcome'), outcome);
  const showOutcome = () => { outcomeField.hidden = !closing.querySelector('input').checked; };
  closing.querySelector('input').addEventListener('change', showOutcome);
  showOutcome();
  const note = h('textarea', { class: 'input textarea', rows: '2', maxlength: '500', 'data-testid': 'tb-note' });
  return formDialog({
    title: c.visits.length ? t('tb.visit') : t('tb.first_visit'),
    help: t('tb.visit_help'),
    testid: 'tb-visit-dialog',
    submitLabel: t('app.save'),
    fields: [
      field(t('tb.visit_date'), date, { required: true }),
      field(t('tb.mode'), mode, { required: true }),
      h('div', { class: 'field-row' }, field(t('tb.doses_due'), due), field(t('tb.doses_taken'), taken)),
      h('div', { class: 'field checks' }, adverse, worse, closing),
      outcomeField,
      field(t('tb.note'), note),
    ],
    onSubmit: () => {
      const body = { visit_date: date.value, mode: mode.value, doses_due: Number(due.value || 0), doses_taken: Number(taken.value || 0),
        adverse_reaction: adverse.querySelector('input').checked, worsening: worse.querySelector('input').checked };
      if (closing.querySelector('input').checked) Object.assign(body, { kind: 'closing', outcome: outcome.value });
      if (note.value.trim()) body.note = note.value.trim();
      return api.post(`/tb-cases/${c.id}/visits`, body);
    },
  });
}

/* What a recorded visit set in motion, in words. */
function visitToast(result) {
  const e = result.evaluation;
  if (e.action === 'close') return t('tb.closed_toast');
  const parts = [t('tb.saved_next', { date: formatDate(e.next_due) })];
  if (e.report_missed) parts.push(t('tb.reported_toast'));
  if (e.refer) parts.push(t('tb.referred_toast'));
  return parts.join(' ');
}

function visitsTable(c) {
  if (!c.visits.length) return empty(t('tb.no_visits'), 'tb-no-visits');
  return dataTable([
    { label: t('tb.visit_date'), cls: 'strong nowrap', render: (v) => formatDate(v.visit_date) },
    { label: t('tb.kind'), render: (v) => `${label('tb_visit_kind', v.kind)} · ${label('tb_mode', v.mode)}` },
    { label: t('tb.phase'), render: (v) => label('tb_phase', v.phase) },
    { label: t('tb.doses'), cls: 'nowrap', render: (v) => `${v.doses_taken} / ${v.doses_due}` },
    { label: t('tb.action'), render: (v) => h('span', { class: `badge tb-action tb-${v.action}`, 'data-testid': 'tb-visit-action' }, label('tb_action', v.action)) },
    { label: t('tb.next_due'), cls: 'nowrap', render: (v) => (v.next_due ? formatDate(v.next_due) : '—') },
  ], c.visits, { rowTestId: 'tb-visit', cls: 'table-compact' });
}

function caseCard(c, user, rerender) {
  const open = c.status === 'open';
  const lastVisit = c.visits[c.visits.length - 1];
  const next = open ? (lastVisit ? lastVisit.next_due : c.first_visit_due) : null;
  const closingNext = next === c.course_end;
  const phase = todayIso() < addMonthsIso(c.treatment_start, c.intensive_months) ? 'intensive' : 'continuation';
  const body = [
    facts([
      [t('tb.status'), h('span', { class: `badge tb-status tb-status-${c.status}`, 'data-testid': 'tb-status' }, label('tb_status', c.status))],
      [t('tb.notified_on'), `${formatDate(c.notified_on)}${c.notified_by ? ` · ${c.notified_by}` : ''}`],
      [t('tb.treatment_start'), `${formatDate(c.treatment_start)} – ${formatDate(c.course_end)} (${t('tb.months', { n: c.course_months })})`],
      [t('tb.supervision'), label('tb_supervision', c.supervision)],
      open ? [t('tb.phase'), label('tb_phase', phase)] : [t('tb.outcome'), `${label('tb_outcome', c.outcome)} · ${formatDate(c.closed_on)}`],
      [t('tb.adherence'), h('span', { 'data-testid': 'tb-adherence' },
        c.adherence === null ? '—' : `${formatPercent(c.adherence)} (${t('tb.doses_of', { taken: c.doses_taken, due: c.doses_due })})`)],
      c.missed_reported_on ? [t('tb.missed_reported'), h('span', { class: 'badge tb-report', 'data-testid': 'tb-missed-reported' }, formatDate(c.missed_reported_on))] : null,
      next ? [c.visits.length ? t('tb.next_due') : t('tb.first_visit_due'),
        h('strong', { 'data-testid': 'tb-next-due' }, `${formatDate(next)}${closingNext ? ` · ${t('tb.closing')}` : ''}`)] : null,
    ]),
    h('h3', { class: 'card-subtitle' }, t('tb.visits')),
    visitsTable(c),
  ];
  const actions = open && can(user, 'record.write')
    ? [h('button', { type: 'button', class: 'btn btn-primary btn-small', 'data-testid': 'tb-record-visit',
      onclick: async () => {
        const done = await visitDialog(c, closingNext);
        if (!done) return;
        toast(visitToast(done), done.evaluation.refer || done.evaluation.report_missed ? 'warning' : 'success');
        rerender();
      } }, icon('plus'), c.visits.length ? t('tb.visit') : t('tb.first_visit'))]
    : null;
  return card(open ? t('tb.case_open') : t('tb.case_closed', { date: formatDate(c.notified_on) }), body,
    { testid: open ? 'tb-case-open' : 'tb-case-closed', cls: 'card-flush-mobile', actions });
}

function addMonthsIso(iso, months) {
  const [y, m, d] = iso.split('-').map(Number);
  const index = y * 12 + (m - 1) + months;
  const year = Math.floor(index / 12), month = index % 12 + 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${year}-${String(month).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

export async function tbView(ctx) {
  const id = Number(ctx.params[0]);
  const [r, cases] = await Promise.all([api.get(`/residents/${id}`), api.get(`/residents/${id}/tb-cases`)]);
  ctx.setTitle(`${r.name} · ${t('tb.title')}`);
  const items = cases.items || [];
  const open = items.find((c) => c.status === 'open');
  const actions = !open && can(ctx.user, 'clinical.write')
    ? [h('button', { type: 'button', class: 'btn btn-primary', 'data-testid': 'tb-notice',
      onclick: async () => {
        const made = await noticeDialog(r);
        if (!made) return;
        toast(t('tb.notice_saved', { date: formatDate(made.first_visit_due) }));
        ctx.rerender();
      } }, icon('plus'), t('tb.notice'))]
    : [];
  const header = pageHeader(t('tb.title'), {
    back: { href: `#/residents/${id}`, text: t('followup.back') },
    subtitle: `${r.name} · ${label('sex', r.sex)} · ${formatAge(r.age)}`,
    actions,
  });
  const body = items.length ? items.map((c) => caseCard(c, ctx.user, () => ctx.rerender())) : [card(null, [empty(t('tb.none'), 'tb-none')])];
  return h('div', { class: 'page tb-page', 'data-testid': 'tb-page' }, header, ...body);
}

