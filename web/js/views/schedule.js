/* schedule.js - a child's (0–6岁儿童健康管理) or a pregnancy's (孕产期保健) service schedule,
 * #/residents/ID/schedule/child|maternal: every point of PROTOCOLS.md §6/§7 with its window,
 * its status (done, due, upcoming, missed; colour-coded) and the visit that did it, from
 * GET /residents/{id}/schedule/{program}. A due point offers 记录随访, the follow-up form. A
 * child's page also holds the vaccinations (immunisation.js). */
import { api } from '../api.js';
import { h, icon, pageHeader, card, facts, dataTable, empty } from '../dom.js';
import { t, label } from '../i18n.js';
import { can } from '../roles.js';
import { formatAge, formatDate } from '../format.js';
import { immunisationCard } from './immunisation.js';

export const SCHEDULE_PROGRAMS = ['child', 'maternal'];
const STATUSES = ['done', 'due', 'missed', 'upcoming'];

function statusBadge(status) {
  return h('span', { class: `badge point-badge point-${status}`, 'data-testid': 'point-status', 'data-status': status }, label('point_status', status));
}

/* Counts per status, in the order a nurse reads them: done, due, missed, upcoming. */
function summary(schedule) {
  const n = Object.fromEntries(STATUSES.map((s) => [s, schedule.filter((p) => p.status === s).length]));
  return h('div', { class: 'schedule-summary', 'data-testid': 'schedule-summary' },
    STATUSES.map((s) => h('span', { class: `schedule-count point-${s}` }, statusBadge(s), h('strong', null, String(n[s])))));
}

function recordFacts(data, r) {
  if (data.program === 'child') {
    return facts([
      [t('resident.birth_date'), formatDate(data.birth_date)],
      [t('resident.age'), formatAge(r.age)],
      [t('schedule.as_of_label'), formatDate(data.as_of)],
      [t('followup.next_due'), data.next_due ? formatDate(data.next_due) : '—'],
    ]);
  }
  return facts([
    [t('followup.lmp'), formatDate(data.lmp)],
    [t('schedule.gestation'), h('span', { 'data-testid': 'schedule-weeks' }, t('followup.weeks', { n: data.gestational_weeks }))],
    data.delivery_date ? [t('followup.delivery_date'), formatDate(data.delivery_date)] : null,
    data.discharge_date ? [t('followup.discharge_date'), formatDate(data.discharge_date)] : null,
    [t('schedule.risk'), h('span', { class: 'chips', 'data-testid': 'schedule-colors' },
      (data.colors || []).map((c) => h('span', { class: `badge color-badge color-${c}`, 'data-color': c }, label('color', c))))],
    [t('schedule.as_of_label'), formatDate(data.as_of)],
    [t('followup.next_due'), data.next_due ? formatDate(data.next_due) : '—'],
  ]);
}

function pointsTable(data, id, user) {
  const writes = can(user, 'followup.write');
  const href = `#/residents/${id}/followup/${data.program}`;
  const columns = [
    { label: t('schedule.point'), cls: 'strong', render: (p) => label('point', p.point) },
    { label: t('schedule.window'), cls: 'nowrap', render: (p) => `${formatDate(p.window_start)} – ${formatDate(p.window_end)}` },
    { label: t('schedule.status'), render: (p) => statusBadge(p.status) },
    { label: t('schedule.visit_date'), render: (p) => (p.visit_date ? formatDate(p.visit_date) : '—') },
  ];
  if (writes) {
    columns.push({
      label: t('schedule.action'), cls: 'actions',
      render: (p) => (p.status === 'due'
        ? h('a', { class: 'btn btn-primary btn-small', href, 'data-testid': 'schedule-record' }, icon('plus'), t('followup.record'))
        : null),
    });
  }
  const table = dataTable(columns, data.schedule, { rowTestId: 'schedule-point', cls: 'table-compact schedule-table' });
  /* Each row carries its point and status, for the colour bar and for tests. */
  table.querySelectorAll('tbody tr').forEach((tr, i) => {
    tr.setAttribute('data-point', data.schedule[i].point);
    tr.setAttribute('data-status', data.schedule[i].status);
    tr.classList.add(`point-row-${data.schedule[i].status}`);
  });
  return table;
}

/* No pregnancy on the record yet: say how one is registered (the first antenatal visit). */
function noPregnancy(r, user) {
  const body = [empty(t('schedule.no_pregnancy'), 'schedule-none')];
  if (can(user, 'followup.write')) {
    body.push(h('div', { class: 'card-foot-actions' },
      h('a', { class: 'btn btn-primary', href: `#/residents/${r.id}/followup/maternal`, 'data-testid': 'schedule-register' }, icon('plus'), t('followup.record'))));
  }
  return card(null, body, { testid: 'schedule-empty' });
}

export async function scheduleView(ctx) {
  const id = Number(ctx.params[0]);
  const program = ctx.params[1];
  if (!SCHEDULE_PROGRAMS.includes(program)) throw new Error(t('app.not_found'));
  const r = await api.get(`/residents/${id}`);
  const title = t(`schedule.title_${program}`);
  ctx.setTitle(`${r.name} · ${title}`);
  const header = pageHeader(title, {
    back: { href: `#/residents/${id}`, text: t('followup.back') },
    subtitle: `${r.name} · ${label('sex', r.sex)} · ${formatAge(r.age)}`,
  });
  const page = (...content) => h('div', { class: 'page schedule-page', 'data-testid': 'schedule-page', 'data-program': program }, header, ...content);
  let data;
  try {
    data = await api.get(`/residents/${id}/schedule/${program}`);
  } catch (error) {
    if (error.status === 404 && error.field === 'pregnancy') return page(noPregnancy(r, ctx.user));
    throw error;
  }
  /* A child's vaccinations sit under the health checks: one page for the child's visits. */
  const vaccinations = program === 'child' ? await immunisationCard(id, ctx.user, () => ctx.rerender()) : null;
  return page(
    card(t('schedule.record'), [recordFacts(data, r), summary(data.schedule)], { testid: 'schedule-facts' }),
    card(t('schedule.points'), pointsTable(data, id, ctx.user), { testid: 'schedule-points', cls: 'card-flush-mobile' }),
    vaccinations);
}
