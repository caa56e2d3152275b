/* immunisation.js - a child's vaccinations (国家免疫规划, PROTOCOLS.md §13) on the child's
 * schedule page: every dose with its due date and status (done, due, overdue, upcoming;
 * colour-coded), the dose to do next, and 记录接种 to record a dose given at the clinic or
 * copied from the vaccination booklet (POST /residents/{id}/vaccinations). */
import { api } from '../api.js';
import { h, icon, card, dataTable, toast, formDialog, field, empty } from '../dom.js';
import { t, label } from '../i18n.js';
import { can } from '../roles.js';
import { formatDate, todayIso } from '../format.js';

const STATUSES = ['done', 'due', 'overdue', 'upcoming'];

const doseName = (d) => t('immunisation.dose_name', { vaccine: label('vaccine', d.vaccine), n: d.dose });

function badge(status) {
  return h('span', { class: `badge dose-badge dose-${status}`, 'data-testid': 'dose-status', 'data-status': status },
    label('dose_status', status));
}

function counts(items) {
  return h('div', { class: 'schedule-summary', 'data-testid': 'immunisation-summary' },
    STATUSES.map((s) => h('span', { class: `schedule-count dose-${s}` }, badge(s),
      h('strong', null, String(items.filter((d) => d.status === s).length)))));
}

function recordDialog(id, data, chosen) {
  const owed = data.items.filter((d) => d.status !== 'done');
  const dose = h('select', { class: 'input', required: true, 'data-testid': 'vaccination-dose' },
    owed.map((d) => h('option', { value: `${d.vaccine}:${d.dose}`, selected: Boolean(chosen) && d.vaccine === chosen.vaccine && d.dose === chosen.dose },
      `${doseName(d)} · ${t('immunisation.due_on', { date: formatDate(d.due_date) })}`)));
  const date = h('input', { type: 'date', class: 'input', value: todayIso(), min: data.birth_date, max: todayIso(), required: true, 'data-testid': 'vaccination-date' });
  const lot = h('input', { type: 'text', class: 'input', maxlength: '40', 'data-testid': 'vaccination-lot' });
  const place = h('input', { type: 'text', class: 'input', maxlength: '100', placeholder: t('immunisation.place_placeholder'), 'data-testid': 'vaccination-place' });
  return formDialog({
    title: t('immunisation.record'),
    help: t('immunisation.record_help'),
    testid: 'vaccination-dialog',
    submitLabel: t('app.save'),
    fields: [
      field(t('immunisation.dose'), dose, { required: true }),
      field(t('immunisation.date'), date, { required: true }),
      field(t('immunisation.lot'), lot),
      field(t('immunisation.place'), place),
    ],
    onSubmit: () => {
      const [vaccine, n] = dose.value.split(':');
      const body = { vaccine, dose: Number(n), date: date.value };
      if (lot.value.trim()) body.lot = lot.value.trim();
      if (place.value.trim()) body.place = place.value.trim();
      return api.post(`/residents/${id}/vaccinations`, body);
    },
  });
}

/* The card, and what to do after a dose is recorded (redraw the page). */
export async function immunisationCard(id, user, onRecorded) {
  const data = await api.get(`/residents/${id}/schedule/immunisation`);
  const writes = can(user, 'record.write');
  const given = Object.fromEntries((data.given || []).map((g) => [`${g.vaccine}:${g.dose}`, g]));
  const record = async (chosen) => {
    const done = await recordDialog(id, data, chosen);
    if (!done) return;
    toast(t('immunisation.recorded', { dose: doseName(done) }));
    onRecorded();
  };
  const columns = [
    { label: t('immunisation.vaccine'), cls: 'strong', render: (d) => doseName(d) },
    { label: t('immunisation.due_date'), cls: 'nowrap', render: (d) => formatDate(d.due_date) },
    { label: t('schedule.status'), render: (d) => badge(d.status) },
    { label: t('immunisation.date'), cls: 'nowrap', render: (d) => (d.date ? formatDate(d.date) : '—') },
    { label: t('immunisation.lot'), cls: 'muted small', render: (d) => (given[`${d.vaccine}:${d.dose}`] || {}).lot || '' },
  ];
  if (writes) {
    columns.push({
      label: t('schedule.action'), cls: 'actions',
      render: (d) => (d.status === 'due' || d.status === 'overdue'
        ? h('button', { type: 'button', class: 'btn btn-small btn-primary', 'data-testid': 'vaccination-record-row', onclick: () => record(d) }, t('immunisation.record_short'))
        : null),
    });
  }
  const table = dataTable(columns, data.items, { rowTestId: 'dose-row', cls: 'table-compact schedule-table' });
  table.querySelectorAll('tbody tr').forEach((tr, i) => {
    tr.setAttribute('data-dose', `${data.items[i].vaccine}:${data.items[i].dose}`);
    tr.setAttribute('data-status', data.items[i].status);
    tr.classList.add(`point-row-${data.items[i].status === 'overdue' ? 'missed' : data.items[i].status}`);
  });
  const next = data.next
    ? h('p', { class: 'immunisation-next', 'data-testid': 'immunisation-next' }, icon('calendar'), ' ',
      t('immunisation.next', { dose: doseName(data.next), date: formatDate(data.next.due_date) }), ' ', badge(data.next.status))
    : h('p', { class: 'muted', 'data-testid': 'immunisation-next' }, t('immunisation.nothing_owed'));
  const actions = writes && data.items.some((d) => d.status !== 'done')
    ? [h('button', { type: 'button', class: 'btn btn-primary btn-small', 'data-testid': 'vaccination-record', onclick: () => record(data.next) }, icon('plus'), t('immunisation.record'))]
    : null;
  const body = data.items.length ? [counts(data.items), next, table] : [empty(t('immunisation.nothing_owed'), 'immunisation-empty')];
  return card(t('immunisation.title'), body, { testid: 'immunisation', cls: 'card-flush-mobile', actions });
}
