/* census.js - door-knocking census rates (入户率). The server counts by village; at
 * county level the villages are added up by township (the first 9 digits of the
 * division code) so the commission sees 13 rows, and a township opens its villages. */
import { api } from '../api.js';
import { h, pageHeader, card, dataTable, empty } from '../dom.js';
import { t } from '../i18n.js';
import { formatPercent } from '../format.js';
import { topRegion, childRegions } from '../regions.js';

function rateBar(rate) {
  const pct = rate === null || rate === undefined ? 0 : Math.max(0, Math.min(1, rate)) * 100;
  const level = pct >= 90 ? 'good' : pct >= 70 ? 'fair' : 'low';
  const fill = h('span', { class: `bar-fill bar-${level}` });
  fill.style.width = `${pct.toFixed(1)}%`;
  return h('span', { class: 'rate-cell' },
    h('span', { class: 'bar', 'aria-hidden': 'true' }, fill),
    h('span', { class: 'rate-text' }, formatPercent(rate)));
}

async function defaultRegion(user) {
  if (user.scope_region) return user.scope_region;
  if (user.teams && user.teams.length) {
    try {
      const team = await api.get(`/teams/${user.teams[0]}`);
      if (team.region) return team.region;
    } catch {
      /* fall back to the top region */
    }
  }
  const top = await topRegion();
  return top ? top.code : '';
}

export async function censusView(ctx) {
  ctx.setTitle(t('census.title'));
  const region = ctx.query.get('region') || await defaultRegion(ctx.user);
  const data = await api.get('/census-rates', { region });

  let rows = data.items;
  let drill = null;
  if (region.length === 6) {
    /* County: add the villages up by township. */
    const townships = await childRegions(region).catch(() => []);
    const byCode = new Map(townships.map((r) => [r.code, { region: r.code, name: r.name, households: 0, visited: 0 }]));
    for (const item of data.items) {
      const code = item.region.slice(0, 9);
      if (!byCode.has(code)) byCode.set(code, { region: code, name: code, households: 0, visited: 0 });
      const row = byCode.get(code);
      row.households += item.households;
      row.visited += item.visited;
    }
    rows = [...byCode.values()].filter((r) => r.households > 0).map((r) => ({ ...r, rate: r.households ? r.visited / r.households : null }));
    drill = (r) => `#/census?region=${r.region}`;
  }

  let regionName = region;
  let parentCode = null;
  try {
    const info = await api.get(`/regions/${region}`);
    regionName = info.name || region;
    parentCode = info.parent;
  } catch {
    /* the name is a nicety */
  }
  const scopeTop = ctx.user.scope_region;
  const canGoUp = parentCode && (!scopeTop || region.length > scopeTop.length);
  const back = canGoUp ? { href: `#/census?region=${parentCode}`, text: t('census.back_up') } : null;

  const summary = h('div', { class: 'stat-row', 'data-testid': 'census-summary' },
    h('div', { class: 'stat' }, h('span', { class: 'stat-label' }, t('census.households')), h('span', { class: 'stat-value' }, String(data.households))),
    h('div', { class: 'stat' }, h('span', { class: 'stat-label' }, t('census.visited')), h('span', { class: 'stat-value' }, String(data.visited))),
    h('div', { class: 'stat stat-accent' }, h('span', { class: 'stat-label' }, t('census.rate')), h('span', { class: 'stat-value', 'data-testid': 'census-rate' }, formatPercent(data.rate))));

  const table = rows.length
    ? dataTable([
      {
        label: t('census.col_region'),
        cls: 'col-name',
        render: (r) => (drill ? h('a', { href: drill(r), class: 'strong-link', 'data-testid': 'census-drill' }, r.name) : h('span', { class: 'strong' }, r.name)),
      },
      { label: t('census.households'), cls: 'num col-households', render: (r) => String(r.households) },
      { label: t('census.visited'), cls: 'num col-visited', render: (r) => String(r.visited) },
      { label: t('census.rate'), cls: 'col-rate', render: (r) => rateBar(r.rate) },
    ], rows, { rowTestId: 'census-row', rowHref: drill, cls: 'census-cards' })
    : empty(t('census.empty'));

  return h('div', { class: 'page', 'data-testid': 'census-page' },
    pageHeader(`${t('census.title')} · ${regionName}`, { back, subtitle: t(drill ? 'census.subtitle_county' : 'census.subtitle') }),
    summary,
    card(null, table, { cls: 'card-flush' }));
}
