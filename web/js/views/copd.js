/* copd.js - a COPD patient's follow-up (慢阻肺随访, docs/copd.md), #/residents/ID/copd: the
 * latest GOLD group and grade, when the next visit and the spirometry are due, the visits,
 * and 记录随访 (mMRC, CAT, exacerbations of the last year, SpO2, breathing rate, FEV1 when
 * spirometry was done, smoking and inhaler technique); the saved visit says what it set in
 * motion (the next visit, a referral). Enrolment is on the resident's page (纳入管理). */
import { api } from '../api.js';
import { h, icon, pageHeader, card, facts, dataTable, empty, toast, formDialog, field, checkbox } from '../dom.js';
import { t, label } from '../i18n.js';
import { can } from '../roles.js';
import { formatAge, formatDate, todayIso } from '../format.js';

const MODES = ['clinic', 'home_visit', 'phone'];

const number = (testid, min, max, value = '') => h('input', { type: 'number', class: 'input', min: String(min), max: String(max), inputmode: 'numeric', value: String(value), 'data-testid': testid });
const checked = (box) => box.querySelector('input').checked;

function visitDialog(r, since) {
  const date = h('input', { type: 'date', class: 'input', value: todayIso(), min: since, max: todayIso(), 'data-testid': 'copd-date' });
  const mode = h('select', { class: 'input', 'data-testid': 'copd-mode' }, MODES.map((m) => h('option', { value: m }, label('copd_mode', m))));
  const mmrc = h('select', { class: 'input', 'data-testid': 'copd-mmrc' }, [0, 1, 2, 3, 4].map((n) => h('option', { value: String(n) }, t(`copd.mmrc_${n}`))));
  const cat = number('copd-cat', 0, 40);
  const moderate = number('copd-moderate', 0, 50, 0);
  const hospitalised = number('copd-hospitalised', 0, 50, 0);
  const spo2 = number('copd-spo2', 50, 100);
  const rate = number('copd-rate', 5, 80);
  const fev1 = number('copd-fev1', 5, 150);
  const acute = checkbox(t('copd.acute'), { 'data-testid': 'copd-acute' });
  const danger = checkbox(t('copd.danger_signs'), { 'data-testid': 'copd-danger' });
  const smoking = checkbox(t('copd.smoking'), { 'data-testid': 'copd-smoking' });
  const inhaler = h('select', { class: 'input', 'data-testid': 'copd-inhaler' },
    h('option', { value: '' }, t('copd.inhaler_not_checked')), h('option', { value: 'true' }, t('copd.inhaler_ok')), h('option', { value: 'false' }, t('copd.inhaler_wrong')));
  const note = h('textarea', { class: 'input textarea', rows: '2', maxlength: '500', 'data-testid': 'copd-note' });
  return formDialog({
    title: t('copd.record'),
    help: t('copd.record_help'),
    testid: 'copd-visit-dialog',
    submitLabel: t('app.save'),
    fields: [
      h('div', { class: 'field-row' }, field(t('copd.visit_date'), date, { required: true }), field(t('copd.mode'), mode, { required: true })),
      field(t('copd.mmrc'), mmrc, { required: true }),
      field(t('copd.cat'), cat, { required: true, help: t('copd.cat_help') }),
      h('div', { class: 'field-row' }, field(t('copd.moderate'), moderate), field(t('copd.hospitalised'), hospitalised)),
      h('div', { class: 'field-row' }, field(t('copd.spo2'), spo2), field(t('copd.rate'), rate)),
      field(t('copd.fev1'), fev1, { help: t('copd.fev1_help') }),
      h('div', { class: 'field checks' }, acute, danger, smoking),
      field(t('copd.inhaler'), inhaler),
      field(t('copd.note'), note),
    ],
    onSubmit: () => {
      const body = { visit_date: date.value, mode: mode.value, mmrc: Number(mmrc.value), cat: cat.value === '' ? undefined : Number(cat.value),
        exacerbations_moderate: Number(moderate.value || 0), exacerbations_hospitalised: Number(hospitalised.value || 0),
        acute: checked(acute), danger_signs: checked(danger), smoking: checked(smoking) };
      for (const [key, input] of [['spo2', spo2], ['respiratory_rate', rate], ['fev1_pct', fev1]]) if (input.value !== '') body[key] = Number(input.value);
      if (inhaler.value) body.inhaler_ok = inhaler.value === 'true';
      if (note.value.trim()) body.note = note.value.trim();
      return api.post(`/residents/${r.id}/copd-visits`, body);
    },
  });
}

/* What a recorded visit set in motion, in words. */
function visitToast(result) {
  const e = result.evaluation;
  const parts = [t('copd.saved', { group: e.group, date: formatDate(e.next_due) })];
  if (e.action === 'urgent_refer') parts.push(t('copd.urgent_toast'));
  else if (e.action === 'refer') parts.push(t('copd.refer_toast'));
  else if (e.action === 'adjust_treatment') parts.push(t('copd.adjust_toast'));
  if (e.spirometry_due) parts.push(t('copd.spirometry_toast'));
  return parts.join(' ');
}

function visitsTable(visits) {
  if (!visits.length) return empty(t('copd.no_visits'), 'copd-no-visits');
  return dataTable([
    { label: t('copd.visit_date'), cls: 'strong nowrap', render: (v) => formatDate(v.visit_date) },
    { label: t('copd.mode'), render: (v) => label('copd_mode', v.mode) },
    { label: t('copd.group'), render: (v) => h('span', { class: `badge copd-group copd-group-${v.group}`, 'data-testid': 'copd-visit-group' }, v.group) },
    { label: 'mMRC · CAT', cls: 'nowrap', render: (v) => `${v.mmrc} · ${v.cat}` },
    { label: t('copd.measures'), render: (v) => [v.spo2 !== null ? `SpO₂ ${v.spo2}%` : null, v.fev1_pct !== null ? `FEV₁ ${v.fev1_pct}%` : null].filter(Boolean).join(' · ') || '—' },
    { label: t('copd.action'), render: (v) => h('span', { class: `badge copd-action copd-${v.action}`, 'data-testid': 'copd-visit-action' }, label('copd_action', v.action)) },
    { label: t('copd.advice'), render: (v) => v.reasons.map((c) => label('copd_reason', c)).join('、') || '—' },
    { label: t('copd.next_due'), cls: 'nowrap', render: (v) => formatDate(v.next_due) },
  ], visits, { rowTestId: 'copd-visit', cls: 'table-compact' });
}

export async function copdView(ctx) {
  const id = Number(ctx.params[0]);
  const [r, visits] = await Promise.all([api.get(`/residents/${id}`), api.get(`/residents/${id}/copd-visits`)]);
  ctx.setTitle(`${r.name} · ${t('copd.title')}`);
  const items = visits.items || [];
  const enrolled = (r.programs || []).includes('copd');
  const since = (r.enrolments || []).find((e) => e.program === 'copd' && !e.end_date)?.start_date;
  const latest = items[0];
  const actions = enrolled && can(ctx.user, 'record.write') && r.status === 'alive'
    ? [h('button', { type: 'button', class: 'btn btn-primary', 'data-testid': 'copd-record',
      onclick: async () => {
        const done = await visitDialog(r, since);
        if (!done) return;
        const e = done.evaluation;
        toast(visitToast(done), e.action === 'continue' ? 'success' : 'warning');
        ctx.rerender();
      } }, icon('plus'), t('copd.record'))]
    : [];
  const header = pageHeader(t('copd.title'), {
    back: { href: `#/residents/${id}`, text: t('followup.back') },
    subtitle: `${r.name} · ${label('sex', r.sex)} · ${formatAge(r.age)}`,
    actions,
  });
  const summary = card(t('copd.summary'), [
    enrolled ? null : h('p', { class: 'muted', 'data-testid': 'copd-not-enrolled' }, t('copd.not_enrolled')),
    facts([
      latest ? [t('copd.group'), h('strong', { 'data-testid': 'copd-group' }, `${latest.group} · ${t(`copd.group_${latest.group}`)}`)] : null,
      latest && latest.gold_grade ? [t('copd.grade'), `GOLD ${latest.gold_grade}`] : null,
      latest ? [t('copd.next_due'), h('strong', { 'data-testid': 'copd-next-due' }, formatDate(latest.next_due))] : null,
      latest && latest.reasons.includes('spirometry_due') ? [t('copd.spirometry'), h('span', { class: 'badge badge-warn', 'data-testid': 'copd-spirometry-due' }, t('copd.spirometry_due'))] : null,
    ].filter(Boolean)),
  ], { testid: 'copd-summary' });
  return h('div', { class: 'page copd-page', 'data-testid': 'copd-page' }, header, summary,
    card(t('copd.visits'), [visitsTable(items)], { cls: 'card-flush-mobile', testid: 'copd-visits' }));
}
