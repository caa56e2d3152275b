/* sickbed.js - a resident's family sickbeds (家庭病床, issue 19), #/residents/ID/sickbed: the
 * open bed (admitted, diagnosis, round interval, the next round, the rounds made) with 巡诊
 * (a round, recorded as a home visit) and 撤床 (discharge with its outcome), 建床 when there
 * is none, and earlier beds below. */
import { api } from '../api.js';
import { h, icon, pageHeader, card, facts, dataTable, empty, toast, formDialog, field } from '../dom.js';
import { t, label } from '../i18n.js';
import { can } from '../roles.js';
import { formatAge, formatDate, todayIso } from '../format.js';

const OUTCOMES = ['recovered', 'improved', 'referred', 'died', 'other'];
const dateInput = (testid, min) => h('input', { type: 'date', class: 'input', value: todayIso(), min, max: todayIso(), 'data-testid': testid });

function admitDialog(r) {
  const admitted = dateInput('sickbed-admitted');
  const diagnosis = h('input', { type: 'text', class: 'input mono', placeholder: 'I63.9', autocapitalize: 'characters', 'data-testid': 'sickbed-diagnosis' });
  const reason = h('input', { type: 'text', class: 'input', maxlength: '200', 'data-testid': 'sickbed-reason' });
  const days = h('input', { type: 'number', class: 'input', min: '1', max: '30', value: '7', 'data-testid': 'sickbed-days' });
  return formDialog({
    title: t('sickbed.admit'), help: t('sickbed.admit_help'), testid: 'sickbed-admit-dialog', submitLabel: t('app.save'),
    fields: [field(t('sickbed.admitted_on'), admitted, { required: true }), field(t('sickbed.diagnosis'), diagnosis, { required: true }),
      field(t('sickbed.reason'), reason), field(t('sickbed.round_days'), days)],
    onSubmit: () => api.post(`/residents/${r.id}/sickbeds`, { admitted_on: admitted.value, diagnosis: diagnosis.value.trim().toUpperCase(),
      round_days: Number(days.value || 7), ...(reason.value.trim() ? { reason: reason.value.trim() } : {}) }),
  });
}

function roundDialog(bed) {
  const date = dateInput('sickbed-round-date', bed.admitted_on);
  const note = h('textarea', { class: 'input textarea', rows: '3', maxlength: '500', 'data-testid': 'sickbed-round-note' });
  return formDialog({
    title: t('sickbed.round'), testid: 'sickbed-round-dialog', submitLabel: t('app.save'),
    fields: [field(t('sickbed.round_date'), date, { required: true }), field(t('sickbed.note'), note)],
    onSubmit: () => api.post(`/sickbeds/${bed.id}/rounds`, { date: date.value, ...(note.value.trim() ? { note: note.value.trim() } : {}) }),
  });
}

function dischargeDialog(bed) {
  const date = dateInput('sickbed-discharge-date', bed.admitted_on);
  const outcome = h('select', { class: 'input', 'data-testid': 'sickbed-outcome' }, OUTCOMES.map((o) => h('option', { value: o }, label('sickbed_outcome', o))));
  return formDialog({
    title: t('sickbed.discharge'), testid: 'sickbed-discharge-dialog', submitLabel: t('app.save'),
    fields: [field(t('sickbed.discharged_on'), date, { required: true }), field(t('sickbed.outcome'), outcome, { required: true })],
    onSubmit: () => api.post(`/sickbeds/${bed.id}/discharge`, { date: date.value, outcome: outcome.value }),
  });
}

function bedCard(bed, user, rerender) {
  const open = bed.status === 'open';
  const act = (dialog, message) => async () => { if (await dialog(bed)) { toast(message); rerender(); } };
  const actions = open ? [
    can(user, 'record.write') ? h('button', { type: 'button', class: 'btn btn-primary btn-small', 'data-testid': 'sickbed-round', onclick: act(roundDialog, t('sickbed.round_saved')) }, icon('plus'), t('sickbed.round')) : null,
    can(user, 'clinical.write') ? h('button', { type: 'button', class: 'btn btn-secondary btn-small', 'data-testid': 'sickbed-discharge', onclick: act(dischargeDialog, t('sickbed.discharged')) }, t('sickbed.discharge')) : null,
  ].filter(Boolean) : null;
  const rounds = bed.rounds.length ? dataTable([
    { label: t('sickbed.round_date'), cls: 'strong nowrap', render: (x) => formatDate(x.round_date) },
    { label: t('sickbed.by'), render: (x) => x.staff_name || '—' },
    { label: t('sickbed.note'), render: (x) => x.note || '—' },
  ], bed.rounds, { rowTestId: 'sickbed-round-row', cls: 'table-compact' }) : empty(t('sickbed.no_rounds'));
  return card(open ? t('sickbed.open') : t('sickbed.closed', { date: formatDate(bed.admitted_on) }), [
    facts([
      [t('sickbed.admitted_on'), formatDate(bed.admitted_on)],
      [t('sickbed.diagnosis'), h('span', { class: 'mono' }, bed.diagnosis)],
      bed.reason ? [t('sickbed.reason'), bed.reason] : null,
      [t('sickbed.round_days'), t('sickbed.every', { n: bed.round_days })],
      open ? [t('sickbed.next_round'), h('strong', { 'data-testid': 'sickbed-next' }, formatDate(bed.next_round))]
        : [t('sickbed.outcome'), `${label('sickbed_outcome', bed.outcome)} · ${formatDate(bed.discharged_on)}`],
    ]),
    h('h3', { class: 'card-subtitle' }, t('sickbed.rounds')), rounds,
  ], { testid: open ? 'sickbed-open' : 'sickbed-closed', cls: 'card-flush-mobile', actions });
}

export async function sickbedView(ctx) {
  const id = Number(ctx.params[0]);
  const [r, beds] = await Promise.all([api.get(`/residents/${id}`), api.get(`/residents/${id}/sickbeds`)]);
  ctx.setTitle(`${r.name} · ${t('sickbed.title')}`);
  const items = beds.items || [];
  const actions = !items.some((b) => b.status === 'open') && can(ctx.user, 'clinical.write') && r.status === 'alive'
    ? [h('button', { type: 'button', class: 'btn btn-primary', 'data-testid': 'sickbed-admit',
      onclick: async () => { if (await admitDialog(r)) { toast(t('sickbed.admitted')); ctx.rerender(); } } }, icon('plus'), t('sickbed.admit'))]
    : [];
  const header = pageHeader(t('sickbed.title'), { back: { href: `#/residents/${id}`, text: t('followup.back') },
    subtitle: `${r.name} · ${label('sex', r.sex)} · ${formatAge(r.age)}`, actions });
  const body = items.length ? items.map((b) => bedCard(b, ctx.user, () => ctx.rerender())) : [card(null, [empty(t('sickbed.none'), 'sickbed-none')])];
  return h('div', { class: 'page sickbed-page', 'data-testid': 'sickbed-page' }, header, ...body);
}
