/* pregnancy-report.js - the county's report of high-risk pregnancies (高危孕产妇, PROTOCOLS.md
 * §7): the counts of orange, red and purple pregnancies still under care, how many were
 * reported later than 3 days after the assessment, and the list (names only for roles that
 * care for people; the health commission steers by counts). */
import { api } from '../api.js';
import { h, pageHeader, card, dataTable, empty } from '../dom.js';
import { t, label } from '../i18n.js';
import { formatDate, ageFrom, formatAge } from '../format.js';

function colorBadges(item) {
  return h('span', { class: 'stack-inline', 'data-testid': 'hrp-color', 'data-color': item.color },
    h('span', { class: `badge color-badge color-${item.color}` }, label('color', item.color)),
    item.purple ? h('span', { class: 'badge color-badge color-purple' }, label('color', 'purple')) : null);
}

function columns() {
  return [
    {
      label: t('pregnancy_report.col_resident'),
      cls: 'col-name',
      render: (x) => (x.name
        ? h('span', { class: 'stack' }, h('a', { href: `#/residents/${x.resident_id}`, class: 'strong-link', 'data-testid': 'hrp-resident' }, x.name),
          h('span', { class: 'muted small' }, formatAge(ageFrom(x.birth_date))))
        : h('span', { class: 'muted' }, '—')),
    },
    { label: t('pregnancy_report.col_region'), render: (x) => [x.township, x.village].filter(Boolean).join(' · ') || '—' },
    { label: t('pregnancy_report.col_color'), render: colorBadges },
    { label: t('pregnancy_report.col_assessed'), cls: 'nowrap', render: (x) => formatDate(x.assessed_on) },
    {
      label: t('pregnancy_report.col_reported'),
      cls: 'nowrap',
      render: (x) => h('span', { class: x.reported_within_days > 3 ? 'text-danger' : null }, formatDate(x.reported_on), ' · ',
        t('pregnancy_report.reported_in', { n: x.reported_within_days })),
    },
    {
      label: t('pregnancy_report.col_referral'),
      render: (x) => (x.referral_id
        ? h('span', { class: 'stack' }, label('target_level', x.referral_target),
          h('span', { class: 'muted small' }, x.referral_seen_on ? t('pregnancy_report.referral_seen', { date: formatDate(x.referral_seen_on) }) : t('pregnancy_report.referral_pending')))
        : '—'),
    },
  ];
}

export async function pregnancyReportView(ctx) {
  ctx.setTitle(t('pregnancy_report.title'));
  const region = ctx.query.get('region') || ctx.user.scope_region || '';
  const data = await api.get('/reports/high-risk-pregnancies', region ? { region } : {});
  const c = data.counts;
  const tile = (key, n, cls, testid) => h('div', { class: `dash-card hrp-tile ${cls}`, 'data-testid': testid },
    h('span', { class: 'dash-card-name' }, key), h('span', { class: 'dash-card-value', 'data-testid': 'hrp-count' }, String(n)));
  const tiles = h('div', { class: 'dash-cards hrp-tiles', 'data-testid': 'hrp-counts' },
    tile(t('pregnancy_report.total'), c.total, '', 'hrp-total'),
    tile(label('color', 'red'), c.red, 'tile-red', 'hrp-red'),
    tile(label('color', 'orange'), c.orange, 'tile-orange', 'hrp-orange'),
    tile(label('color', 'purple'), c.purple, 'tile-purple', 'hrp-purple'),
    tile(t('pregnancy_report.late'), c.reported_late, c.reported_late ? 'tile-red' : '', 'hrp-late'));
  const named = data.items.some((x) => x.name);
  return h('div', { class: 'page', 'data-testid': 'hrp-page' },
    pageHeader(t('pregnancy_report.title'), { subtitle: t('pregnancy_report.subtitle', { date: formatDate(data.as_of) }) }),
    tiles,
    card(named || !data.items.length ? null : t('pregnancy_report.unnamed'), data.items.length
      ? dataTable(columns(), data.items, { rowTestId: 'hrp-row' })
      : empty(t('pregnancy_report.empty'), 'hrp-empty'), { testid: 'hrp-table' }));
}
