/* assessments.js - assessment rounds with spot checks (考核与抽查, docs/assessments.md).
 * #/assessments: the rounds of the caller's area and 新建考核 (a centre's quarter, or the
 * county's half year); #/assessments/ID: each team's tally and coefficient, and for the
 * assessors the checks to call (the resident, their phone, what the record says) with the
 * call's outcome recorded in place, then 签署 (sign-off) once every check has one. */
import { api } from '../api.js';
import { h, icon, pageHeader, card, facts, dataTable, empty, toast } from '../dom.js';
import { fieldDialog, formField, select } from '../forms.js';
import { t, label } from '../i18n.js';
import { can } from '../roles.js';
import { formatDate, formatPercent, todayIso } from '../format.js';

const OUTCOMES = ['confirmed', 'not_confirmed', 'unreachable'];

/* The periods worth assessing: this and the previous three quarters, or this and the last half. */
function periods(level) {
  const [y, m] = todayIso().split('-').map(Number);
  const out = [];
  if (level === 'county') {
    for (let k = 0; k < 2; k++) { const i = y * 2 + (m > 6 ? 1 : 0) - k; out.push(`${Math.floor(i / 2)}-H${i % 2 + 1}`); }
  } else {
    for (let k = 0; k < 4; k++) { const i = y * 4 + Math.floor((m - 1) / 3) - k; out.push(`${Math.floor(i / 4)}-Q${i % 4 + 1}`); }
  }
  return out;
}

async function createDialog(user) {
  const centres = user.role === 'health_commission' || user.role === 'center_admin'
    ? await api.get('/institutions', { region: user.scope_region }).then((d) => (d.items || []).filter((i) => /center/.test(i.kind))).catch(() => [])
    : [];
  const levels = user.role === 'health_commission' ? ['institution', 'county'] : ['institution'];
  const level = select(levels.map((l) => ({ value: l, text: label('assessment_level', l) })), { value: 'institution', testid: 'assess-level', placeholder: null });
  const period = select([], { testid: 'assess-period', placeholder: null });
  const centre = select(centres.map((c) => ({ value: c.id, text: c.name })), { value: centres.length === 1 ? centres[0].id : '', testid: 'assess-institution' });
  const sample = h('input', { type: 'number', class: 'input', min: '1', max: '100', value: '10', 'data-testid': 'assess-sample' });
  const centreField = formField('institution_id', t('assess.institution'), centre, { required: true });
  const fill = () => {
    period.replaceChildren(...periods(level.value).map((p) => h('option', { value: p }, p)));
    centreField.hidden = level.value === 'county';
  };
  level.addEventListener('change', fill);
  fill();
  return fieldDialog({
    title: t('assess.new'),
    help: t('assess.new_help'),
    testid: 'assess-dialog',
    submitLabel: t('assess.create'),
    fields: [
      formField('level', t('assess.level'), level, { required: true }),
      formField('period', t('assess.period'), period, { required: true }),
      centreField,
      formField('sample_per_team', t('assess.sample'), sample, { help: t('assess.sample_help') }),
    ],
    onSubmit: () => {
      const body = { level: level.value, period: period.value, sample_per_team: Number(sample.value) };
      if (level.value === 'county') body.region = user.scope_region.slice(0, 6);
      else if (centre.value) body.institution_id = Number(centre.value);
      return api.post('/assessment-rounds', body);
    },
  });
}

const progress = (round) => `${round.checks - round.pending} / ${round.checks}`;
const statusBadge = (status) => h('span', { class: `badge assess-status assess-${status}`, 'data-testid': 'assess-status' }, label('assessment_status', status));

export async function assessmentsView(ctx) {
  ctx.setTitle(t('assess.title'));
  const rounds = (await api.get('/assessment-rounds')).items || [];
  const actions = can(ctx.user, 'assessment.write')
    ? [h('button', { type: 'button', class: 'btn btn-primary', 'data-testid': 'assess-new',
      onclick: async () => {
        const made = await createDialog(ctx.user);
        if (!made) return;
        toast(t('assess.created', { n: made.checks }));
        location.hash = `#/assessments/${made.id}`;
      } }, icon('plus'), t('assess.new'))]
    : [];
  const table = rounds.length ? dataTable([
    { label: t('assess.period'), cls: 'strong nowrap', render: (x) => x.period },
    { label: t('assess.level'), render: (x) => label('assessment_level', x.level) },
    { label: t('assess.place'), render: (x) => x.institution || x.region },
    { label: t('assess.progress'), cls: 'num', render: (x) => progress(x) },
    { label: t('assess.status'), render: (x) => statusBadge(x.status) },
  ], rounds, { rowTestId: 'assess-round', rowHref: (x) => `#/assessments/${x.id}` }) : empty(t('assess.none'), 'assess-none');
  return h('div', { class: 'page assess-page', 'data-testid': 'assess-page' },
    pageHeader(t('assess.title'), { back: { href: '#/team-scores', text: t('scores.title') }, subtitle: t('assess.subtitle'), actions }),
    card(null, [table]));
}

function checkRow(round, check, onChange) {
  const finding = h('input', { type: 'text', class: 'input input-small', maxlength: '500', placeholder: t('assess.finding'), value: check.finding || '', 'data-testid': 'assess-finding' });
  const buttons = round.status === 'open'
    ? OUTCOMES.map((o) => h('button', {
      type: 'button', class: `btn btn-small ${check.outcome === o ? 'btn-primary' : 'btn-ghost'}`, 'data-testid': `assess-${o}`,
      onclick: async () => {
        try {
          await api.post(`/assessment-rounds/${round.id}/checks/${check.id}`, { outcome: o, ...(finding.value.trim() ? { finding: finding.value.trim() } : {}) });
          onChange();
        } catch (e) { toast(e.message || t('forms.not_saved'), 'error'); }
      } }, label('assessment_outcome', o)))
    : [h('span', { class: `badge assess-outcome assess-${check.outcome}` }, label('assessment_outcome', check.outcome))];
  return { check, finding, buttons };
}

export async function assessmentView(ctx) {
  const id = Number(ctx.params[0]);
  const round = await api.get(`/assessment-rounds/${id}`);
  ctx.setTitle(`${t('assess.title')} · ${round.period}`);
  const teamName = Object.fromEntries(round.teams.map((x) => [x.team_id, x.team]));
  const teams = dataTable([
    { label: t('assess.team'), cls: 'col-name', render: (x) => h('span', { class: 'strong' }, x.team) },
    { label: label('assessment_outcome', 'confirmed'), cls: 'num', render: (x) => String(x.confirmed) },
    { label: label('assessment_outcome', 'not_confirmed'), cls: 'num', render: (x) => h('span', { class: x.not_confirmed ? 'text-danger strong' : '' }, String(x.not_confirmed)) },
    { label: label('assessment_outcome', 'unreachable'), cls: 'num', render: (x) => String(x.unreachable) },
    { label: t('assess.pending'), cls: 'num', render: (x) => String(x.pending) },
    { label: t('assess.coefficient'), cls: 'num', render: (x) => h('span', { 'data-testid': 'assess-coefficient' },
      x.coefficient === null ? '—' : x.judged ? formatPercent(x.coefficient) : t('assess.not_judged')) },
  ], round.teams, { rowTestId: 'assess-team' });
  const checks = round.items ? round.items.map((c) => checkRow(round, c, () => ctx.rerender())) : null;
  const checksCard = checks && card(t('assess.checks'), checks.length ? dataTable([
    { label: t('assess.team'), render: ({ check }) => teamName[check.team_id] },
    { label: t('assess.resident'), cls: 'strong', render: ({ check }) => check.name },
    { label: t('assess.phone'), cls: 'nowrap', render: ({ check }) => (check.phone ? h('a', { href: `tel:${check.phone}` }, check.phone) : '—') },
    { label: t('assess.record'), render: ({ check }) => `${formatDate(check.record_date)} ${check.kind === 'contract' ? t('assess.kind_contract') : `${label('program', check.program)}${t('assess.kind_followup')} · ${label('mode', check.mode)}`}` },
    { label: t('assess.ask'), render: ({ check }) => t(check.kind === 'contract' ? 'assess.ask_contract' : 'assess.ask_followup') },
    { label: t('assess.outcome'), cls: 'actions', render: ({ finding, buttons }) => h('div', { class: 'assess-outcome-cell' }, h('div', { class: 'btn-row' }, buttons), round.status === 'open' ? finding : null) },
  ], checks, { rowTestId: 'assess-check' }) : empty(t('assess.no_checks')), { testid: 'assess-checks', cls: 'card-flush-mobile' });
  const actions = round.status === 'open' && can(ctx.user, 'assessment.write')
    ? [h('button', { type: 'button', class: 'btn btn-primary', 'data-testid': 'assess-sign-off', disabled: round.pending > 0,
      onclick: async () => {
        try {
          await api.post(`/assessment-rounds/${id}/sign-off`, {});
          toast(t('assess.signed'));
          ctx.rerender();
        } catch (e) { toast(e.message || t('forms.not_saved'), 'error'); }
      } }, icon('check'), t('assess.sign_off'))]
    : [];
  return h('div', { class: 'page assess-page', 'data-testid': 'assess-round-page' },
    pageHeader(`${t('assess.title')} · ${round.period}`, { back: { href: '#/assessments', text: t('assess.title') }, subtitle: round.institution || round.region, actions }),
    card(t('assess.summary'), [facts([
      [t('assess.level'), label('assessment_level', round.level)],
      [t('assess.period'), `${formatDate(round.period_first)} – ${formatDate(round.period_last)}`],
      [t('assess.status'), statusBadge(round.status)],
      [t('assess.progress'), h('strong', { 'data-testid': 'assess-progress' }, progress(round))],
      [t('assess.full_rate'), `${round.full_rate}%`],
      round.signed_off_at ? [t('assess.signed_by'), `${round.signed_off_by || ''} · ${round.signed_off_at.slice(0, 10)}`] : null,
    ]), h('p', { class: 'muted' }, t('assess.rule', { rate: round.full_rate }))], { testid: 'assess-summary' }),
    card(t('assess.teams'), [teams], { testid: 'assess-teams', cls: 'card-flush-mobile' }),
    checksCard);
}
