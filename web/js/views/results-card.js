/* results-card.js - 检查检验结果 (结果互认, issue 19) on the resident page: laboratory and
 * imaging results of any institution with their source, date and whether they are still
 * valid, and the check before a test is ordered again (GET /residents/{id}/test-results and
 * .../check). */
import { api } from '../api.js';
import { h, card, dataTable, empty } from '../dom.js';
import { t, lang } from '../i18n.js';
import { can } from '../roles.js';
import { formatDate } from '../format.js';

export async function resultsCard(r, user) {
  if (!can(user, 'followup.read')) return null;
  const [data, catalogue] = await Promise.all([
    api.get(`/residents/${r.id}/test-results`).catch(() => null),
    api.get('/recognised-items').catch(() => ({ items: [] })),
  ]);
  if (!data) return null;
  const name = (x) => (lang() === 'en' ? x.name_en : x.name);
  const table = data.items.length ? dataTable([
    { label: t('results.item'), cls: 'strong', render: (x) => name(x) },
    { label: t('results.taken_on'), cls: 'nowrap', render: (x) => formatDate(x.taken_on) },
    { label: t('results.value'), render: (x) => x.value || x.conclusion || '—' },
    { label: t('results.source'), render: (x) => x.institution_name || x.source || '—' },
    { label: t('results.valid'), render: (x) => h('span', { class: `badge ${x.still_valid ? 'level-normal' : 'level-warning'}`, 'data-testid': 'result-valid', 'data-valid': String(x.still_valid) },
      x.still_valid ? t('results.valid_until', { date: formatDate(x.valid_until) }) : t('results.expired')) },
  ], data.items, { rowTestId: 'result-row', cls: 'table-compact' }) : empty(t('results.none'));
  /* Before ordering: does a valid result spare the repeat? */
  const answer = h('p', { class: 'muted small', 'data-testid': 'result-check-answer' });
  const item = h('select', { class: 'input', 'data-testid': 'result-check-item', onchange: async () => {
    if (!item.value) { answer.textContent = ''; return; }
    const c = await api.get(`/residents/${r.id}/test-results/check`, { item: item.value });
    answer.textContent = c.repeat ? t('results.repeat') : t('results.spared', { date: formatDate(c.result.taken_on), source: c.result.institution_name || c.result.source || '', until: formatDate(c.result.valid_until) });
  } }, h('option', { value: '' }, t('results.check')), catalogue.items.map((x) => h('option', { value: x.code }, name(x))));
  return card(t('results.title'), [table, h('div', { class: 'result-check' }, item, answer)], { testid: 'card-results', cls: 'card-flush-mobile' });
}
