/* team-scores.js - family-doctor team appraisal (团队绩效考核, PROTOCOLS.md §10): each team's
 * weighted score, rank, standardised workload and how its signing income is distributed
 * (institution, team, performance bonus), the weights in force, and CSV / XLSX downloads. */
import { api } from '../api.js';
import { h, pageHeader, card, dataTable, empty } from '../dom.js';
import { t } from '../i18n.js';
import { formatPercent, formatYuan, todayIso } from '../format.js';

function columns() {
  return [
    { label: t('scores.col_rank'), cls: 'num', render: (x) => h('span', { 'data-testid': 'score-rank' }, String(x.rank)) },
    { label: t('scores.col_team'), cls: 'col-name', render: (x) => h('span', { class: 'strong' }, x.team) },
    { label: t('scores.col_institution'), render: (x) => x.institution },
    { label: t('scores.col_score'), cls: 'num', render: (x) => h('span', { 'data-testid': 'score-value' }, x.score.toFixed(2)) },
    /* The spot checks' coefficient of a signed-off assessment round (docs/assessments.md). */
    { label: t('scores.col_verification'), cls: 'num', render: (x) => (x.verification
      ? h('a', { href: `#/assessments/${x.verification.round_id}`, 'data-testid': 'score-verification' }, formatPercent(x.verification.coefficient))
      : '—') },
    { label: t('scores.col_workload'), cls: 'num', render: (x) => x.workload.toFixed(1) },
    { label: t('scores.col_income'), cls: 'num', render: (x) => formatYuan(x.income_fen) },
    { label: t('scores.col_institution_share'), cls: 'num', render: (x) => formatYuan(x.institution_fen) },
    { label: t('scores.col_team_share'), cls: 'num', render: (x) => formatYuan(x.team_fen) },
    { label: t('scores.col_bonus'), cls: 'num', render: (x) => h('span', { 'data-testid': 'score-bonus' }, formatYuan(x.bonus_fen)) },
    { label: t('scores.col_missing'), render: (x) => (x.missing.length ? x.missing.length : '—') },
  ];
}

export async function teamScoresView(ctx) {
  ctx.setTitle(t('scores.title'));
  const year = todayIso().slice(0, 4);
  const region = ctx.user.scope_region;
  if (!region) return h('div', { 'data-testid': 'scores-page' }, pageHeader(t('scores.title')), empty(t('scores.no_scope')));
  const query = `scope=region:${region}&period=${year}`;
  const data = await api.get(`/team-scores?${query}`);
  const s = data.settings;
  const download = (format, key) => h('a', {
    class: 'btn', href: `/api/v1/team-scores?${query}&format=${format}`, download: '', 'data-testid': `scores-${format}`,
  }, t(key));
  const weights = h('ul', { class: 'weights', 'data-testid': 'scores-weights' },
    s.indicators.map((i) => h('li', null, `${i.name} ${i.weight}`)));
  const shares = h('p', { 'data-testid': 'scores-shares' }, t('scores.shares', {
    institution: s.institution_share, team: s.team_share, bonus: s.bonus_share,
  }));
  const total = h('p', { 'data-testid': 'scores-total' }, t('scores.total', {
    income: formatYuan(data.income_fen), pool: formatYuan(data.bonus_pool_fen),
  }));
  return h('div', { 'data-testid': 'scores-page' },
    pageHeader(t('scores.title'), {
      subtitle: t('scores.subtitle', { period: data.period, as_of: data.as_of }),
      actions: [h('a', { class: 'btn', href: '#/assessments', 'data-testid': 'scores-assessments' }, t('assess.title')),
        download('csv', 'scores.csv'), download('xlsx', 'scores.xlsx')],
    }),
    card(t('scores.table'), data.items.length
      ? [dataTable(columns(), data.items, { rowTestId: 'score-row' }), total]
      : empty(t('scores.empty')), { testid: 'scores-table' }),
    card(t('scores.weights', { version: s.version }), [weights, shares,
      h('p', { class: 'muted' }, t('scores.rule', { rate: formatPercent(1) }))], { testid: 'scores-settings' }));
}
