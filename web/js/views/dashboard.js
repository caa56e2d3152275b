/* dashboard.js - the command dashboard (指挥中心, #/dashboard): the headline indicators of a
 * scope as cards with their monthly trend, the scope's children (townships, villages, teams,
 * doctors) as a table and as tiles coloured by the chosen indicator, drilling down level by
 * level, and at a team or a doctor the residents behind a number (for the roles allowed to
 * see names). A team's own view adds its work-list counts and its rank among the township's
 * teams.
 *
 * The address carries everything: ?scope=region:511524101&period=2026-Q3&code=signing_rate
 * &trail=region:511524 (the scopes above, for the breadcrumbs) &part=numerator (the open
 * patient list). All numbers come from GET /indicators, /indicators/trend,
 * /indicators/breakdown and /indicators/patients. */
import { api } from '../api.js';
import { h, clear, card, pageHeader, dataTable, pagedResults, empty, errorBox, downloadLinks } from '../dom.js';
import { t, label } from '../i18n.js';
import { formatAge, formatDate, formatPercent, todayIso } from '../format.js';
import { can } from '../roles.js';
import { topRegion } from '../regions.js';
import { loadEcharts, drawChart } from '../charts.js';

/* The headline cards, in the order a county report lists them. */
export const HEADLINE = ['signing_rate', 'key_signing_rate', 'htn_standard_rate', 'htn_control_rate',
  'dm_standard_rate', 'dm_control_rate', 'elderly_mgmt_rate', 'child_mgmt_rate', 'record_rate', 'satisfaction_rate'];
const PAGE = 50;
const AREA_ROLES = ['system_admin', 'health_commission', 'center_admin'];

/* The title of an area's dashboard by the user's own region (issue 17): a city's or a
 * province's commission (511500 / 5115, 510000 / 51) steers more than a county. */
function areaTitle(user) {
  const code = user.scope_region || '';
  if (code.length === 2 || (code.length === 6 && code.endsWith('0000'))) return 'dash.title_province';
  if (code.length === 4 || (code.length === 6 && code.endsWith('00'))) return 'dash.title_city';
  return 'dash.title';
}

/* ---- the address --------------------------------------------------------------- */

/* The scope to show when the address names none: an area for administrators, the user's
 * own team for its members. */
async function defaultScope(user) {
  if (!AREA_ROLES.includes(user.role) && user.teams && user.teams.length) return `team:${user.teams[0]}`;
  if (user.scope_region) return `region:${user.scope_region}`;
  const top = await topRegion();
  return top ? `region:${top.code}` : null;
}

function hashFor(state, changes = {}) {
  const next = { ...state, ...changes };
  const p = new URLSearchParams();
  p.set('scope', next.scope);
  if (next.trail.length) p.set('trail', next.trail.join(','));
  p.set('period', next.period);
  p.set('code', next.code);
  if (next.part) p.set('part', next.part);
  return `#/dashboard?${p.toString()}`;
}

/* Which children a scope breaks into: regions down to the village, then the teams serving
 * the village, then a team's doctors; a doctor has none (the patient list instead). */
function childKind(scope) {
  const [kind, id] = scope.split(':');
  if (kind === 'region') return id.length < 12 ? 'region' : 'team';
  if (kind === 'institution') return 'team';
  if (kind === 'team') return 'doctor';
  return null;
}

/* ---- periods ------------------------------------------------------------------- */

function periodText(label_) {
  const [y, rest] = label_.split('-');
  if (!rest) return t('dash.period_year', { y });
  if (rest.startsWith('Q')) return t('dash.period_quarter', { y, q: rest.slice(1) });
  return t('dash.period_month', { y, m: rest });
}

/* This year and last: the years, their started quarters and months. */
function periodOptions(today = todayIso()) {
  const year = Number(today.slice(0, 4));
  const month = Number(today.slice(5, 7));
  const options = [];
  for (const y of [year, year - 1]) {
    const months = y === year ? month : 12;
    options.push(String(y));
    for (let q = 1; q <= Math.ceil(months / 3); q++) options.push(`${y}-Q${q}`);
    for (let m = 1; m <= months; m++) options.push(`${y}-${String(m).padStart(2, '0')}`);
  }
  return options;
}

/* ---- names for the breadcrumbs ------------------------------------------------- */

async function scopeName(scope, previous) {
  const [kind, id] = scope.split(':');
  try {
    if (kind === 'region') return (await api.get(`/regions/${id}`)).name;
    if (kind === 'team') return (await api.get(`/teams/${id}`)).name;
    if (kind === 'doctor' && previous && previous.startsWith('team:')) {
      const team = await api.get(`/teams/${previous.slice(5)}`);
      const member = (team.members || []).find((m) => String(m.id) === id);
      if (member) return member.name;
    }
  } catch {
    /* a name we may not read: the scope's code stands in */
  }
  return id;
}

function breadcrumbs(state, names) {
  const all = [...state.trail, state.scope];
  return h('nav', { class: 'dash-crumbs', 'aria-label': t('dash.crumbs'), 'data-testid': 'dash-crumbs' },
    all.map((scope, i) => {
      const last = i === all.length - 1;
      const text = names[i];
      return h('span', { class: 'dash-crumb' },
        last ? h('span', { 'aria-current': 'page', 'data-testid': 'crumb-current' }, text)
          : h('a', { href: hashFor(state, { scope, trail: all.slice(0, i), part: '' }), 'data-testid': 'crumb' }, text));
    }));
}

/* ---- cards and charts ---------------------------------------------------------- */

/* Resolves once `el` is in the page (the view is built before <main> shows it). */
function inPage(el) {
  return new Promise((resolve) => {
    let frames = 0;
    const check = () => {
      if (el.isConnected) resolve(true);
      else if (++frames > 600) resolve(false);
      else requestAnimationFrame(check);
    };
    check();
  });
}

/* The number as its unit says: a rate as a percentage, a count as a count, a number per
 * person as a plain number (the API's `unit`; old answers without it: a rate). */
function unitOf(item) {
  return (item && item.unit) || (item && item.code.startsWith('referrals_') ? 'count' : 'percent');
}

function formatByUnit(unit, value) {
  if (value === null || value === undefined) return '—';
  if (unit === 'count') return Math.round(value).toLocaleString('en-US');
  if (unit === 'per_capita') return value.toFixed(2);
  return formatPercent(value);
}

function valueText(item) {
  if (!item || item.value === null || item.value === undefined) return '—';
  return unitOf(item) === 'count' ? String(item.numerator) : formatByUnit(unitOf(item), item.value);
}

/* Colours of a value judged against its own target (the API's `status`). */
export const STATUS_COLOUR = { met: '#2e7d32', near: '#b45f06', below: '#c62828', none: '#e1e7ed' };

function statusOf(item) {
  return item && item.status && item.value !== null ? item.status : 'none';
}

function targetText(item) {
  if (!item || item.target === null || item.target === undefined) return t('dash.no_target');
  return t(item.direction === 'lower_is_better' ? 'dash.target_lower' : 'dash.target', { value: formatByUnit(unitOf(item), item.target) });
}

/* What the colours mean; lower-is-better explained when such an indicator is shown. */
function statusLegend(items) {
  const lower = items.some((i) => i && i.direction === 'lower_is_better');
  return h('div', { class: 'dash-status-legend small', 'data-testid': 'dash-legend' },
    h('p', { class: 'muted dash-legend-title' }, t('dash.legend_title')),
    h('ul', { class: 'dash-legend-keys' }, ['met', 'near', 'below', 'none'].map((st) =>
      h('li', { 'data-status': st }, h('span', { class: 'dash-swatch', style: `background:${STATUS_COLOUR[st]}`, 'aria-hidden': 'true' }), t(`dash.status_${st}`)))),
    h('p', { class: 'muted' }, t('dash.legend_rule')),
    lower ? h('p', { class: 'muted', 'data-testid': 'dash-legend-lower' }, t('dash.legend_lower')) : null);
}

/* The year to date at each month end; the month still open drawn hollow and dashed. */
function sparkOption(points, name, unit, target) {
  const font = getComputedStyle(document.body).fontFamily;
  const fmt = (v) => formatByUnit(unit, v);
  const last = points.length - 1;
  const partial = last >= 0 && points[last].partial;
  const values = points.map((p) => p.value);
  const solid = values.map((v, i) => (partial && i === last ? null : v));
  const dashed = values.map((v, i) => (partial && i >= last - 1 ? v : null));
  const percent = unit === 'percent';
  const series = [{ name, type: 'line', color: '#0b7a75', symbolSize: 4, connectNulls: true, data: solid, areaStyle: { opacity: 0.08 } }];
  if (partial) {
    series.push({
      name, type: 'line', color: '#0b7a75', lineStyle: { type: 'dashed' }, symbol: 'emptyCircle', symbolSize: 7, data: dashed,
      tooltip: { valueFormatter: (v) => `${fmt(v)} · ${t('dash.partial', { date: points[last].as_of })}` },
    });
  }
  if (target !== null && target !== undefined) {
    series[0].markLine = { silent: true, symbol: 'none', label: { show: false }, lineStyle: { color: '#8a94a6', type: 'dotted' }, data: [{ yAxis: target }] };
  }
  return {
    animation: false,
    textStyle: { fontFamily: font },
    grid: { left: 2, right: 6, top: 6, bottom: 2, containLabel: true },
    tooltip: { trigger: 'axis', valueFormatter: (v) => (v === null || v === undefined ? '—' : fmt(v)) },
    xAxis: { type: 'category', data: points.map((p) => p.period.slice(5)), axisLabel: { fontSize: 10, hideOverlap: true }, axisTick: { show: false } },
    yAxis: percent
      ? { type: 'value', min: 0, max: 1, splitNumber: 2, axisLabel: { fontSize: 10, formatter: (v) => `${Math.round(v * 100)}%` } }
      : { type: 'value', min: 0, splitNumber: 2, axisLabel: { fontSize: 10, formatter: (v) => fmt(v) } },
    series,
  };
}

function headlineCards(state, items, trendPromise) {
  const charts = [];
  const grid = h('div', { class: 'dash-cards', 'data-testid': 'dash-cards' }, items.map((item) => {
    const canvas = h('div', { class: 'dash-spark', role: 'img', 'aria-label': t('dash.trend_label', { name: item.name }), 'data-testid': `spark-${item.code}` });
    charts.push({ canvas, item });
    const chosen = item.code === state.code;
    const status = statusOf(item);
    return h('a', {
      class: `${chosen ? 'dash-card chosen' : 'dash-card'} status-${status}`, href: hashFor(state, { code: item.code, part: '' }),
      'data-testid': `dash-card-${item.code}`, 'aria-current': chosen ? 'true' : null, 'data-status': status,
      style: `border-left-color:${STATUS_COLOUR[status]}`,
    },
    h('span', { class: 'dash-card-name' }, item.name),
    h('span', { class: 'dash-card-value', 'data-testid': 'card-value', style: status === 'none' ? null : `color:${STATUS_COLOUR[status]}` }, valueText(item)),
    h('span', { class: 'dash-card-fraction muted small', 'data-testid': 'card-fraction' }, t('dash.fraction', { num: item.numerator, den: item.denominator })),
    h('span', { class: 'dash-card-status small', 'data-testid': 'card-status' },
      h('span', { 'data-testid': 'card-target' }, targetText(item)), ' · ', t(`dash.status_${status}`)),
    canvas);
  }));
  /* The sparklines come after the numbers: a year to date at each month end may take a while. */
  Promise.all([loadEcharts(), trendPromise]).then(async ([echarts, trend]) => {
    if (!trend || !(await inPage(grid))) return;
    for (const c of charts) {
      const points = trend.months.map((m) => {
        const it = m.items.find((i) => i.code === c.item.code) || {};
        return { period: m.period, as_of: m.as_of, partial: Boolean(m.partial), value: it.value ?? null };
      });
      drawChart(echarts, c.canvas, sparkOption(points, c.item.name, unitOf(c.item), c.item.target));
      c.canvas.setAttribute('data-drawn', 'true');
      c.canvas.setAttribute('data-points', String(points.length));
      if (points.length && points[points.length - 1].partial) c.canvas.setAttribute('data-partial', points[points.length - 1].as_of);
    }
  }).catch((error) => console.warn(error)); /* the numbers stand without their lines */
  return grid;
}

/* ---- the care cascade ---------------------------------------------------------- */

function cascadeOption(data, name) {
  const font = getComputedStyle(document.body).fontFamily;
  const colours = ['#5b8def', '#0b7a75', '#2f9e8f', '#2e7d32'];
  return {
    animation: false,
    textStyle: { fontFamily: font },
    grid: { left: 4, right: 48, top: 4, bottom: 4, containLabel: true },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    xAxis: { type: 'value', show: false, max: Math.max(1, data.steps[0].count) },
    yAxis: { type: 'category', inverse: true, data: data.steps.map((st) => st.name), axisTick: { show: false }, axisLabel: { fontSize: 11, width: 118, overflow: 'break' } },
    series: [{
      name, type: 'bar', barWidth: '62%',
      data: data.steps.map((st, i) => ({ value: st.count, itemStyle: { color: colours[i] } })),
      label: { show: true, position: 'right', fontSize: 11, formatter: (p) => {
        const share = data.steps[p.dataIndex].share;
        return p.dataIndex === 0 || share === null ? String(p.value) : `${p.value} · ${Math.round(share * 100)}%`;
      } },
    }],
  };
}

function cascadeBlock(state, asOf) {
  const programs = [['hypertension', 'dash.cascade_htn'], ['diabetes', 'dash.cascade_dm']];
  const panes = programs.map(([program, key]) => {
    const chart = h('div', { class: 'dash-cascade-chart', role: 'img', 'aria-label': t('dash.cascade_label', { name: t(key) }), 'data-testid': `cascade-chart-${program}` });
    const facts = h('p', { class: 'muted small', 'data-testid': `cascade-facts-${program}` });
    const pane = h('div', { class: 'dash-cascade-pane', 'data-testid': `cascade-${program}` }, h('h3', { class: 'dash-cascade-name' }, t(key)), chart, facts);
    Promise.all([loadEcharts(), api.get('/indicators/cascade', { scope: state.scope, program, period: state.period })]).then(async ([echarts, data]) => {
      pane.setAttribute('data-counts', data.steps.map((st) => st.count).join(','));
      facts.textContent = `${t('dash.cascade_control', { rate: formatPercent(data.control_rate), num: data.steps[3].count, den: data.control_base })} · ${t('dash.cascade_lost', { lost: data.lost_to_follow_up, missed: data.missed_visit })}`;
      if (!(await inPage(chart))) return;
      drawChart(echarts, chart, cascadeOption(data, t(key)));
      chart.setAttribute('data-drawn', 'true');
    }).catch((error) => {
      clear(pane);
      pane.appendChild(errorBox(error));
    });
    return pane;
  });
  return card(t('dash.cascade_title'), [h('p', { class: 'muted small card-lead' }, t('dash.cascade_lead', { date: formatDate(asOf) })), h('div', { class: 'dash-cascade' }, panes)], { testid: 'dash-cascade' });
}

/* ---- the children: table and tiles --------------------------------------------- */

/* A tile's colour is its value judged against the indicator's target, never against the
 * other tiles (48.6% beside 50.0% is not red beside green when both miss a 60% target). */
function tileColour(item) {
  return STATUS_COLOUR[statusOf(item)];
}

function childHref(state, child) {
  return hashFor(state, { scope: child.scope, trail: [...state.trail, state.scope], part: '' });
}

function childrenBlock(state, data, kind, codes) {
  const title = t(`dash.children_${kind}`);
  if (!data.items.length) return card(title, empty(t('dash.children_none'), 'dash-children-empty'), { testid: 'dash-children' });
  const columns = [
    { label: t('dash.col_name'), render: (c) => h('a', { href: childHref(state, c), 'data-testid': 'child-link' }, c.name) },
    ...codes.map((code) => ({
      label: (data.items[0].items.find((i) => i.code === code) || {}).name || code,
      cls: code === state.code ? 'num dash-col-chosen' : 'num dash-col-other', /* a phone shows the chosen one */
      render: (c) => {
        const item = c.items.find((i) => i.code === code);
        return h('span', { class: 'dash-cell', title: item ? `${item.numerator} / ${item.denominator}` : null }, valueText(item));
      },
    })),
  ];
  const table = dataTable(columns, data.items.map((c) => ({ ...c, id: c.scope })), { rowTestId: 'child-row', rowHref: (c) => childHref(state, c), cls: 'dash-table' });

  const chosenItem = data.items[0].items.find((i) => i.code === state.code);
  const chosenName = (chosenItem || {}).name || state.code;
  const tiles = h('div', { class: 'dash-tiles', 'data-testid': 'dash-tiles' }, data.items.map((c) => {
    const item = c.items.find((i) => i.code === state.code);
    const status = statusOf(item);
    return h('a', {
      class: status !== 'none' ? 'dash-tile' : 'dash-tile dash-tile-empty', href: childHref(state, c), 'data-testid': 'dash-tile',
      'data-status': status, style: `background:${tileColour(item)}`,
      title: item ? `${c.name} · ${item.numerator} / ${item.denominator} · ${targetText(item)} · ${t(`dash.status_${status}`)}` : c.name,
    }, h('span', { class: 'dash-tile-name' }, c.name), h('span', { class: 'dash-tile-value' }, valueText(item)));
  }));
  const legend = h('div', { class: 'dash-legend small' },
    h('span', { class: 'dash-legend-target', 'data-testid': 'dash-map-target' }, `${chosenName} · ${targetText(chosenItem)}`),
    statusLegend([chosenItem]));
  return h('div', { class: 'dash-children' },
    card(t('dash.map_title', { name: chosenName }), [h('p', { class: 'muted small card-lead no-print' }, t('dash.drill_hint')), tiles, legend], { testid: 'dash-map' }),
    card(title, table, { testid: 'dash-children', cls: 'card-flush' }));
}

/* ---- the residents behind a number --------------------------------------------- */

function patientsBlock(ctx, state, item) {
  const title = t('dash.patients_title', { name: item ? item.name : state.code });
  if (!can(ctx.user, 'indicator.patients')) {
    return card(title, h('p', { class: 'dash-note', 'data-testid': 'dash-patients-note' }, t('dash.patients_county_note')), { testid: 'dash-patients' });
  }
  const tabs = h('div', { class: 'tabs no-print', role: 'tablist' }, ['numerator', 'denominator'].map((part) =>
    h('a', {
      class: state.part === part ? 'tab active' : 'tab', role: 'tab', 'aria-selected': String(state.part === part),
      href: hashFor(state, { part }), 'data-testid': `patients-${part}`,
    }, t(`dash.patients_${part}`, { n: item ? item[part] : '—' }))));
  const body = [tabs];
  if (!state.part) {
    body.push(h('p', { class: 'muted small' }, t('dash.patients_pick')));
    return card(title, body, { testid: 'dash-patients' });
  }
  const list = h('div', { 'data-testid': 'patients-list' }, h('p', { class: 'muted small' }, t('app.loading')));
  body.push(list);
  const columns = [
    { label: t('dash.col_resident'), render: (p) => h('a', { href: `#/residents/${p.id}` }, p.name) },
    { label: t('dash.col_sex'), render: (p) => label('sex', p.sex) },
    { label: t('dash.col_age'), cls: 'num', render: (p) => formatAge(p.age) },
    { label: t('dash.col_region'), render: (p) => p.region_name || p.region },
  ];
  const query = { scope: state.scope, period: state.period, code: state.code, part: state.part, limit: PAGE };
  api.get('/indicators/patients', query).then((data) => {
    if (!ctx.alive()) return;
    clear(list);
    list.appendChild(data.items.length ? pagedResults(columns, data, {
      fetchPage: (cursor) => api.get('/indicators/patients', { ...query, cursor }),
      rowTestId: 'patient-row', rowHref: (p) => `#/residents/${p.id}`,
    }) : empty(t('dash.patients_empty'), 'patients-empty'));
  }).catch((error) => {
    clear(list);
    list.appendChild(errorBox(error));
  });
  return card(title, body, { testid: 'dash-patients' });
}

/* ---- the team's own extras ----------------------------------------------------- */

async function teamExtras(ctx, state, teamId) {
  const team = await api.get(`/teams/${teamId}`);
  const town = team.region;
  const [ranking, work, townName] = await Promise.all([
    town ? api.get('/indicators/breakdown', { scope: `region:${town}`, by: 'team', period: state.period, codes: state.code }).catch(() => null) : null,
    can(ctx.user, 'worklist.read') ? api.get('/worklist', { team: teamId, limit: 1 }).catch(() => null) : null,
    town ? scopeName(`region:${town}`) : '',
  ]);
  const blocks = [];
  if (ranking && ranking.items.length) {
    const valued = ranking.items.map((c) => ({ scope: c.scope, value: c.items[0].value }))
      .sort((a, b) => (b.value ?? -1) - (a.value ?? -1));
    const rank = valued.findIndex((c) => c.scope === `team:${teamId}`) + 1;
    if (rank > 0) {
      blocks.push(h('div', { class: 'stat', 'data-testid': 'team-rank' },
        h('span', { class: 'stat-label' }, `${t('dash.team_rank', { town: townName })} · ${ranking.items[0].items[0].name}`),
        h('span', { class: 'stat-value' }, t('dash.rank_value', { rank, n: valued.length }))));
    }
  }
  if (work && work.counts) {
    blocks.push(h('div', { class: 'stat', 'data-testid': 'team-work' },
      h('span', { class: 'stat-label' }, t('dash.work_counts')),
      h('span', { class: 'dash-work' }, ['due', 'overdue', 'missed', 'upcoming'].map((s) =>
        h('a', { class: `dash-work-item status-${s}`, href: `#/worklist?team=${teamId}&status=${s}`, 'data-testid': `work-${s}` },
          h('strong', null, String(work.counts[s] || 0)), ' ', label('task_status', s))))));
  }
  return blocks.length ? h('div', { class: 'dash-team-row' }, blocks) : null;
}

/* ---- the view ------------------------------------------------------------------ */

export async function dashboardView(ctx) {
  const q = ctx.query;
  const scope = q.get('scope') || await defaultScope(ctx.user);
  const options = periodOptions();
  const state = {
    scope,
    trail: (q.get('trail') || '').split(',').filter(Boolean),
    period: options.includes(q.get('period')) ? q.get('period') : options[0],
    code: q.get('code') || 'signing_rate',
    part: ['numerator', 'denominator'].includes(q.get('part')) ? q.get('part') : '',
  };
  const kind = childKind(scope);
  const isTeam = scope.startsWith('team:') || scope.startsWith('doctor:');
  ctx.setTitle(t(isTeam ? 'dash.title_team' : areaTitle(ctx.user)));
  const codes = HEADLINE.includes(state.code) ? HEADLINE : [...HEADLINE, state.code]; /* the table's columns */
  const year = state.period.slice(0, 4);

  const all = [...state.trail, state.scope];
  const trend = api.get('/indicators/trend', { scope, year, codes: HEADLINE.join(','), cumulative: 'true' }).catch((error) => {
    console.warn(error);
    return null;
  });
  const [current, children, names, extras] = await Promise.all([
    api.get('/indicators', { scope, period: state.period }), /* every code: the chooser lists them all */
    kind ? api.get('/indicators/breakdown', { scope, period: state.period, codes: codes.join(','), by: kind }) : null,
    Promise.all(all.map((s, i) => scopeName(s, all[i - 1]))),
    scope.startsWith('team:') ? teamExtras(ctx, state, scope.slice(5)).catch(() => null) : null,
  ]);
  const chosen = current.items.find((i) => i.code === state.code);

  const periodSelect = h('select', {
    class: 'input select', 'data-testid': 'dash-period', 'aria-label': t('dash.period'),
    onchange: (e) => { location.hash = hashFor(state, { period: e.target.value, part: '' }); },
  }, options.map((p) => h('option', { value: p, selected: p === state.period }, periodText(p))));
  const codeSelect = h('select', {
    class: 'input select', 'data-testid': 'dash-indicator', 'aria-label': t('dash.indicator'),
    onchange: (e) => { location.hash = hashFor(state, { code: e.target.value, part: '' }); },
  }, current.items.map((i) => h('option', { value: i.code, selected: i.code === state.code }, i.name)));
  const printButton = h('button', { type: 'button', class: 'btn btn-secondary', onclick: () => window.print() }, t('dash.print'));

  const switchLink = ctx.user.teams && ctx.user.teams.length && ctx.user.scope_region
    ? h('a', { class: 'btn btn-secondary', href: isTeam ? `#/dashboard?scope=region:${ctx.user.scope_region}` : `#/dashboard?scope=team:${ctx.user.teams[0]}` },
      t(isTeam ? 'dash.view_county' : 'dash.view_team'))
    : null;

  const page = h('div', { class: 'dashboard', 'data-testid': 'dashboard-page', 'data-scope': scope },
    pageHeader(t(isTeam ? 'dash.title_team' : areaTitle(ctx.user)), {
      subtitle: `${names[names.length - 1]} · ${periodText(state.period)} · ${t('dash.as_of', { date: formatDate(current.as_of) })}`,
      actions: [switchLink, can(ctx.user, 'report.read')
        ? h('a', { class: 'btn btn-secondary', href: '#/reports/high-risk-pregnancies', 'data-testid': 'open-hrp' }, t('pregnancy_report.nav'))
        : null, printButton,
        /* the table below as a file: every indicator, by the places (teams, doctors) shown */
        ...downloadLinks(kind ? '/indicators/breakdown' : '/indicators', { scope, period: state.period, by: kind || null }, 'dash-export')].filter(Boolean),
    }),
    breadcrumbs(state, names),
    h('div', { class: 'dash-controls no-print' },
      h('label', { class: 'dash-control' }, h('span', null, t('dash.period')), periodSelect),
      h('label', { class: 'dash-control' }, h('span', null, t('dash.indicator')), codeSelect)));
  if (extras) page.appendChild(extras);
  page.appendChild(h('h2', { class: 'dash-section' }, t('dash.headline')));
  const headline = current.items.filter((i) => HEADLINE.includes(i.code));
  page.appendChild(headlineCards(state, headline, trend));
  page.appendChild(h('div', { class: 'dash-card-notes' }, statusLegend(headline), h('p', { class: 'muted small' }, t('dash.spark_note'))));
  page.appendChild(cascadeBlock(state, current.as_of));
  if (children) page.appendChild(childrenBlock(state, children, kind, codes));
  if (scope.startsWith('team:') || scope.startsWith('doctor:')) page.appendChild(patientsBlock(ctx, state, chosen));
  return page;
}
