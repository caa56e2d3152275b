/* visit-day.js - 今日就诊 (pre-visit, issue 19): the people a team expects on a day - a
 * confirmed visit request, a follow-up, TB visit or vaccination due - each with why, the
 * colour of their latest follow-ups, their open tasks and the contract services left, so the
 * team prepares before they come (GET /visit-day). A row opens the resident, where 本次就诊
 * shows what to do while they are there. */
import { api } from '../api.js';
import { h, pageHeader, card, dataTable, empty, chip } from '../dom.js';
import { t, label } from '../i18n.js';
import { formatAge, todayIso } from '../format.js';

function reasonChip(reason) {
  if (reason.source === 'request') return chip(`${label('visit_kind', reason.kind)}${reason.time ? ` · ${label('visit_time', reason.time)}` : ''}`);
  return chip(`${label('task_kind', reason.kind)}${reason.program && reason.kind === 'followup' ? ` · ${label('program', reason.program)}` : ''}`);
}

export async function visitDayView(ctx) {
  const teams = ctx.user.teams || [];
  const team = Number(ctx.query.get('team')) || teams[0];
  const date = ctx.query.get('date') || todayIso();
  ctx.setTitle(t('visit_day.title'));
  const go = (changes) => { location.hash = `#/visit-day?${new URLSearchParams({ team, date, ...changes })}`; };
  const day = h('input', { type: 'date', class: 'input', value: date, 'data-testid': 'visit-day-date', onchange: (e) => go({ date: e.target.value }) });
  const header = pageHeader(t('visit_day.title'), { subtitle: t('visit_day.subtitle'), actions: [day] });
  if (!team) return h('div', { class: 'page' }, header, card(null, empty(t('visit_day.no_team'), 'visit-day-none')));
  const data = await api.get('/visit-day', { team, date });
  const table = data.items.length ? dataTable([
    { label: t('visit_day.resident'), render: (p) => h('span', { class: 'stack' },
      h('a', { href: `#/residents/${p.resident_id}`, class: 'strong-link', 'data-testid': 'visit-day-name' }, p.name),
      h('span', { class: 'muted small' }, [label('sex', p.sex), formatAge(p.age)].join(' · '))) },
    { label: t('visit_day.why'), render: (p) => h('span', { class: 'chips' }, p.reasons.map(reasonChip)) },
    { label: t('visit_day.colour'), render: (p) => (p.colour ? h('span', { class: `badge color-badge color-${p.colour}`, 'data-testid': 'visit-day-colour', 'data-colour': p.colour }, label('color', p.colour)) : '—') },
    { label: t('visit_day.due'), cls: 'num', render: (p) => String(p.due_count) },
    { label: t('visit_day.services_left'), cls: 'num', render: (p) => String(p.services_left) },
  ], data.items, { rowTestId: 'visit-day-row', rowHref: (p) => `#/residents/${p.resident_id}`, cls: 'table-compact' })
    : empty(t('visit_day.none'), 'visit-day-empty');
  return h('div', { class: 'page', 'data-testid': 'visit-day-page' }, header,
    card(t('visit_day.count', { n: data.items.length, date: data.date }), table, { cls: 'card-flush-mobile' }));
}
