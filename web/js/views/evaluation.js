/* evaluation.js - before-and-after cohort studies (队列研究, issue 22, docs/evaluation.md).
 * #/evaluation: the studies the caller may see and 新建研究 (a team's service group, a
 * package's signers, a team's patients of a program, or a list of residents, with the two
 * periods); #/evaluation/ID: the report - headline changes, charts of the trust scale's items
 * and of the yes/no measures, the tables of every measure with its tests, the regression of
 * a change on the members' factors (chosen in place), downloads and a printable page. */
import { api } from '../api.js';
import { h, icon, pageHeader, card, facts, dataTable, empty, toast, downloadLinks } from '../dom.js';
import { fieldDialog, formField, select } from '../forms.js';
import { t } from '../i18n.js';
import { addDaysIso, formatDate, formatPercent, todayIso } from '../format.js';
import { loadEcharts, drawChart } from '../charts.js';

const KINDS = ['service_group', 'package', 'program', 'list'];
const PROGRAMS = ['hypertension', 'diabetes', 'smd', 'tb', 'copd', 'elderly', 'child', 'maternal'];
const FACTORS = ['age', 'male', 'chronic_conditions', 'key_population', 'poverty', 'disabled'];
/* The headline measures of seed 000, shown first. */
const HEADLINE = ['fd_visits_per_month', 'fd_share', 'trust_total', 'satisfaction'];

const dateInput = (value, testid) => h('input', { type: 'date', class: 'input', value, 'data-testid': testid });
const number = (v, digits = 2) => (v === null || v === undefined ? '—' : Number(v).toFixed(digits));
/* p as journals write it, with the stars of the usual levels */
export function formatP(p) {
  if (p === null || p === undefined) return '—';
  const stars = p < 0.001 ? '***' : p < 0.01 ? '**' : p < 0.05 ? '*' : '';
  return `${p < 0.001 ? '<0.001' : p.toFixed(3)}${stars}`;
}
const pCell = (p) => h('span', { class: p !== undefined && p < 0.05 ? 'strong p-significant' : 'muted' }, formatP(p));
const studyKind = (s) => {
  const what = s.kind === 'service_group' ? s.team : s.kind === 'program' ? `${s.team} · ${t(`program.${s.program}`)}` : s.kind === 'package' ? s.package : s.region;
  return `${t(`eval.kind_${s.kind}`)}${what ? ` · ${what}` : ''}`;
};
const periodText = (p) => `${formatDate(p.from)} – ${formatDate(p.to)}`;

async function createDialog(user) {
  const [teams, packages] = await Promise.all([
    api.get('/teams').then((d) => d.items || []).catch(() => []),
    api.get('/packages').then((d) => d.items || []).catch(() => []),
  ]);
  const today = todayIso();
  const name = h('input', { type: 'text', class: 'input', maxlength: '100', 'data-testid': 'eval-name', value: t('eval.default_name') });
  const kind = select(KINDS.map((k) => ({ value: k, text: t(`eval.kind_${k}`) })), { value: 'service_group', testid: 'eval-kind', placeholder: null });
  const team = select(teams.map((x) => ({ value: x.id, text: x.name })), { value: teams.length === 1 ? teams[0].id : '', testid: 'eval-team' });
  const pkg = select(packages.map((x) => ({ value: x.id, text: x.name_zh || x.name || x.code })), { testid: 'eval-package' });
  const program = select(PROGRAMS.map((p) => ({ value: p, text: t(`program.${p}`) })), { value: 'hypertension', testid: 'eval-program', placeholder: null });
  const region = h('input', { type: 'text', class: 'input', value: user.scope_region || '', 'data-testid': 'eval-region' });
  const residents = h('textarea', { class: 'input', rows: '3', 'data-testid': 'eval-residents', placeholder: t('eval.residents_placeholder') });
  const bf = dateInput(addDaysIso(today, -365), 'eval-before-from');
  const bt = dateInput(addDaysIso(today, -183), 'eval-before-to');
  const af = dateInput(addDaysIso(today, -182), 'eval-after-from');
  const at = dateInput(addDaysIso(today, -1), 'eval-after-to');
  const fields = {
    team_id: formField('team_id', t('eval.team'), team, { required: true }),
    package_id: formField('package_id', t('eval.package'), pkg, { required: true }),
    program: formField('program', t('eval.program'), program, { required: true }),
    region: formField('region', t('eval.region'), region, { required: true, help: t('eval.region_help') }),
    resident_ids: formField('resident_ids', t('eval.residents'), residents, { required: true, help: t('eval.residents_help') }),
  };
  const shown = { service_group: ['team_id'], program: ['team_id', 'program'], package: ['package_id', 'region'], list: ['region', 'resident_ids'] };
  const fill = () => Object.entries(fields).forEach(([k, f]) => { f.hidden = !shown[kind.value].includes(k); });
  kind.addEventListener('change', fill);
  fill();
  return fieldDialog({
    title: t('eval.new'),
    help: t('eval.new_help'),
    testid: 'eval-dialog',
    submitLabel: t('eval.create'),
    fields: [
      formField('name', t('eval.name'), name, { required: true }),
      formField('kind', t('eval.kind'), kind, { required: true }),
      ...Object.values(fields),
      h('div', { class: 'form-row' }, formField('before.from', t('eval.before_from'), bf, { required: true }), formField('before.to', t('eval.before_to'), bt, { required: true })),
      h('div', { class: 'form-row' }, formField('after.from', t('eval.after_from'), af, { required: true, help: t('eval.after_help') }), formField('after.to', t('eval.after_to'), at, { required: true })),
    ],
    onSubmit: () => {
      const body = { name: name.value.trim(), kind: kind.value, before: { from: bf.value, to: bt.value }, after: { from: af.value, to: at.value } };
      const k = kind.value;
      if (shown[k].includes('team_id') && team.value) body.team_id = Number(team.value);
      if (k === 'program') body.program = program.value;
      if (k === 'package' && pkg.value) body.package_id = Number(pkg.value);
      if (shown[k].includes('region')) body.region = region.value.trim();
      if (k === 'list') {
        /* resident IDs, or the ID numbers a spreadsheet of participants has */
        const items = residents.value.split(/[\s,，;；]+/).filter(Boolean);
        if (items.some((x) => x.length >= 15)) body.id_numbers = items;
        else body.resident_ids = items.map(Number);
      }
      return api.post('/cohort-studies', body);
    },
  });
}

export async function evaluationsView(ctx) {
  ctx.setTitle(t('eval.title'));
  const studies = (await api.get('/cohort-studies')).items || [];
  const actions = [
    h('a', { class: 'btn', href: '#/evaluation/qca', 'data-testid': 'eval-qca' }, icon('chart'), t('qca.title')),
    h('button', { type: 'button', class: 'btn btn-primary', 'data-testid': 'eval-new',
      onclick: async () => {
        const made = await createDialog(ctx.user);
        if (!made) return;
        toast(t('eval.created', { n: made.members }));
        location.hash = `#/evaluation/${made.id}`;
      } }, icon('plus'), t('eval.new')),
  ];
  const table = studies.length ? dataTable([
    { label: t('eval.name'), cls: 'strong', render: (s) => s.name },
    { label: t('eval.cohort'), render: (s) => studyKind(s) },
    { label: t('eval.before'), cls: 'nowrap', render: (s) => periodText(s.before) },
    { label: t('eval.after'), cls: 'nowrap', render: (s) => periodText(s.after) },
    { label: t('eval.members'), cls: 'num', render: (s) => String(s.members) },
    { label: t('eval.created_at'), cls: 'nowrap', render: (s) => formatDate(s.created_at.slice(0, 10)) },
  ], studies, { rowTestId: 'eval-study', rowHref: (s) => `#/evaluation/${s.id}` }) : empty(t('eval.none'), 'eval-none');
  return h('div', { class: 'page eval-page', 'data-testid': 'eval-page' },
    pageHeader(t('eval.title'), { subtitle: t('eval.subtitle'), actions }),
    card(null, [table]));
}

/* Headline tiles: before → after and the paired test's p. */
function headline(items) {
  const tiles = HEADLINE.map((code) => items.find((m) => m.code === code)).filter((m) => m && m.n > 0).map((m) => {
    const rate = m.code === 'fd_share';
    const fmt = (v) => (v === null ? '—' : rate ? formatPercent(v) : number(v));
    return h('div', { class: 'eval-tile', 'data-testid': `eval-tile-${m.code}` },
      h('div', { class: 'eval-tile-label' }, m.name),
      h('div', { class: 'eval-tile-value' }, h('span', { class: 'muted' }, fmt(m.before_mean)), ' → ', h('strong', null, fmt(m.after_mean))),
      h('div', { class: 'eval-tile-note' }, `n = ${m.n} · P ${formatP(m.paired_t && m.paired_t.p)}`));
  });
  return tiles.length ? h('div', { class: 'eval-tiles' }, tiles) : null;
}

function chartCard(title, testid, option) {
  const el = h('div', { class: 'eval-chart', 'data-testid': testid });
  loadEcharts().then((echarts) => {
    if (el.isConnected) drawChart(echarts, el, option);
    else requestAnimationFrame(() => el.isConnected && drawChart(echarts, el, option));
  }).catch(() => el.replaceChildren(h('p', { class: 'muted' }, t('eval.chart_unavailable'))));
  return card(title, [el], { testid: `${testid}-card`, cls: 'eval-chart-card' });
}

const barOption = (labels, before, after, { percent = false, max } = {}) => ({
  animation: false,
  grid: { left: 48, right: 16, top: 36, bottom: 64 },
  legend: { data: [t('eval.before'), t('eval.after')], top: 0 },
  tooltip: { trigger: 'axis' },
  xAxis: { type: 'category', data: labels, axisLabel: { interval: 0, rotate: labels.length > 5 ? 30 : 0 } },
  yAxis: { type: 'value', max, axisLabel: { formatter: percent ? (v) => `${Math.round(v * 100)}%` : undefined } },
  series: [
    { name: t('eval.before'), type: 'bar', data: before, itemStyle: { color: '#9aa5b1' } },
    { name: t('eval.after'), type: 'bar', data: after, itemStyle: { color: '#1f7a5a' } },
  ],
});

function scoreTable(items) {
  return dataTable([
    { label: t('eval.measure'), cls: 'strong', render: (m) => m.name },
    { label: 'n', cls: 'num', render: (m) => String(m.n) },
    { label: t('eval.before_mean_sd'), cls: 'num nowrap', render: (m) => (m.n ? `${number(m.before_mean)} ± ${number(m.before_sd)}` : '—') },
    { label: t('eval.after_mean_sd'), cls: 'num nowrap', render: (m) => (m.n ? `${number(m.after_mean)} ± ${number(m.after_sd)}` : '—') },
    { label: t('eval.change'), cls: 'num', render: (m) => number(m.mean_change) },
    { label: 't', cls: 'num', render: (m) => (m.paired_t.error ? t(`eval.error_${m.paired_t.error}`) : number(m.paired_t.statistic, 3)) },
    { label: t('eval.p_t'), cls: 'num', render: (m) => pCell(m.paired_t.p) },
    { label: 'W', cls: 'num', render: (m) => (m.wilcoxon.error ? '—' : number(m.wilcoxon.statistic, 1)) },
    { label: t('eval.p_w'), cls: 'num', render: (m) => pCell(m.wilcoxon.p) },
  ], items, { rowTestId: 'eval-score-row', cls: 'eval-table' });
}

function binaryTable(items) {
  return dataTable([
    { label: t('eval.measure'), cls: 'strong', render: (m) => m.name },
    { label: 'n', cls: 'num', render: (m) => String(m.n) },
    { label: t('eval.before_rate'), cls: 'num', render: (m) => (m.n ? `${formatPercent(m.before_mean)} (${m.before_yes})` : '—') },
    { label: t('eval.after_rate'), cls: 'num', render: (m) => (m.n ? `${formatPercent(m.after_mean)} (${m.after_yes})` : '—') },
    { label: t('eval.b'), cls: 'num', render: (m) => String(m.b) },
    { label: t('eval.c'), cls: 'num', render: (m) => String(m.c) },
    { label: t('eval.statistic'), cls: 'num', render: (m) => (m.mcnemar.error ? t(`eval.error_${m.mcnemar.error}`) : number(m.mcnemar.statistic, 3)) },
    { label: 'P', cls: 'num', render: (m) => pCell(m.mcnemar.p) },
    { label: t('eval.method'), render: (m) => (m.mcnemar.method ? t(`eval.method_${m.mcnemar.method}`) : '—') },
  ], items, { rowTestId: 'eval-binary-row', cls: 'eval-table' });
}

function regressionCard(study, regression) {
  const scores = study.items.filter((m) => m.kind === 'score');
  const outcome = select(scores.map((m) => ({ value: m.code, text: m.name })), { value: regression.outcome, testid: 'eval-outcome', placeholder: null });
  const boxes = FACTORS.map((f) => h('label', { class: 'checkbox-inline' },
    h('input', { type: 'checkbox', value: f, checked: regression.factors.includes(f), 'data-testid': `eval-factor-${f}` }), ` ${t(`eval.factor_${f}`)}`));
  const apply = h('button', { type: 'button', class: 'btn btn-small no-print', 'data-testid': 'eval-regress',
    onclick: () => {
      const chosen = boxes.map((b) => b.querySelector('input')).filter((i) => i.checked).map((i) => i.value);
      location.hash = `#/evaluation/${study.id}?outcome=${outcome.value}&factors=${chosen.join(',')}`;
    } }, t('eval.regress'));
  const body = regression.error
    ? empty(t(`eval.error_${regression.error}`), 'eval-regression-error')
    : [dataTable([
      { label: t('eval.variable'), cls: 'strong', render: (c) => c.label },
      { label: 'B', cls: 'num', render: (c) => number(c.estimate, 4) },
      { label: 'SE', cls: 'num', render: (c) => number(c.se, 4) },
      { label: 't', cls: 'num', render: (c) => number(c.t, 3) },
      { label: 'P', cls: 'num', render: (c) => pCell(c.p) },
    ], regression.coefficients, { rowTestId: 'eval-coefficient', cls: 'eval-table' }),
    h('p', { class: 'muted', 'data-testid': 'eval-fit' }, t('eval.fit', {
      n: regression.n, r2: number(regression.r2, 3), adj: number(regression.adj_r2, 3), f: number(regression.f, 2), p: formatP(regression.f_p),
    }))];
  const dropped = (regression.dropped || []).length
    ? h('p', { class: 'muted small', 'data-testid': 'eval-dropped' }, t('eval.dropped', { factors: regression.dropped.map((f) => t(`eval.factor_${f}`)).join('、') }))
    : null;
  const query = { outcome: regression.outcome, factors: regression.factors.join(',') };
  return card(t('eval.regression', { outcome: (scores.find((m) => m.code === regression.outcome) || {}).name || regression.outcome }), [
    h('div', { class: 'eval-regression-controls no-print' }, formField('outcome', t('eval.outcome'), outcome), h('div', { class: 'eval-factors' }, boxes), apply),
    body,
    dropped,
    h('div', { class: 'btn-row no-print' }, downloadLinks(`/cohort-studies/${study.id}/regression`, query, 'eval-regression')),
  ], { testid: 'eval-regression' });
}

export async function evaluationView(ctx) {
  const id = Number(ctx.params[0]);
  const query = ctx.query || new URLSearchParams();
  const params = {};
  if (query.get('outcome')) params.outcome = query.get('outcome');
  if (query.get('factors')) params.factors = query.get('factors');
  const study = await api.get(`/cohort-studies/${id}`, params);
  ctx.setTitle(study.name);
  const scores = study.items.filter((m) => m.kind === 'score');
  const binary = study.items.filter((m) => m.kind === 'binary');
  const trust = scores.filter((m) => /^trust_item_/.test(m.code) && m.n > 0);
  const rated = binary.filter((m) => m.n > 0);
  const print = h('button', { type: 'button', class: 'btn', 'data-testid': 'eval-print', onclick: () => window.print() }, icon('print'), t('eval.print'));
  return h('div', { class: 'page eval-page eval-report', 'data-testid': 'eval-report' },
    pageHeader(study.name, {
      back: { href: '#/evaluation', text: t('eval.title') },
      subtitle: t('eval.report_subtitle', { cohort: studyKind(study), members: study.members, before: periodText(study.before), after: periodText(study.after) }),
      actions: [print, ...downloadLinks(`/cohort-studies/${id}`, params, 'eval-report')],
    }),
    card(t('eval.summary'), [facts([
      [t('eval.cohort'), studyKind(study)],
      [t('eval.members'), h('strong', { 'data-testid': 'eval-members' }, String(study.members))],
      [t('eval.before'), periodText(study.before)],
      [t('eval.after'), periodText(study.after)],
      [t('eval.fixed_on'), formatDate(study.after.from)],
    ]), headline(study.items), h('p', { class: 'muted small' }, t('eval.method_note')),
    h('div', { class: 'btn-row no-print' }, h('span', { class: 'muted small' }, t('eval.data_set')), downloadLinks(`/cohort-studies/${id}/members`, {}, 'eval-members'))], { testid: 'eval-summary' }),
    trust.length ? chartCard(t('eval.trust_chart'), 'eval-trust-chart',
      barOption(trust.map((m) => m.code.replace('trust_item_', '')), trust.map((m) => +m.before_mean.toFixed(2)), trust.map((m) => +m.after_mean.toFixed(2)), { max: 5 })) : null,
    rated.length ? chartCard(t('eval.rates_chart'), 'eval-rates-chart',
      barOption(rated.map((m) => m.name), rated.map((m) => +m.before_mean.toFixed(3)), rated.map((m) => +m.after_mean.toFixed(3)), { percent: true, max: 1 })) : null,
    card(t('eval.scores'), [scoreTable(scores), h('p', { class: 'muted small' }, t('eval.scores_note'))], { testid: 'eval-scores', cls: 'card-flush-mobile' }),
    card(t('eval.binary'), [binaryTable(binary), h('p', { class: 'muted small' }, t('eval.binary_note'))], { testid: 'eval-binary', cls: 'card-flush-mobile' }),
    regressionCard(study, study.regression));
}
