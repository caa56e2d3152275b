/* allocation-card.js - 二次分配 on the team page (issue 19): the team's income shared among
 * its members, period by period, and a new one by weight (the server computes the amounts
 * exactly to the fen) for the team lead or the centre's administrator
 * (GET/POST /teams/{id}/allocations). */
import { api } from '../api.js';
import { h, icon, card, dataTable, empty, toast, formDialog, field } from '../dom.js';
import { t } from '../i18n.js';
import { can } from '../roles.js';
import { formatYuan, todayIso } from '../format.js';

function newDialog(tm) {
  const period = h('input', { type: 'text', class: 'input mono', value: todayIso().slice(0, 4), placeholder: '2026-Q3', 'data-testid': 'alloc-period' });
  const pool = h('input', { type: 'number', class: 'input', min: '0', step: '0.01', 'data-testid': 'alloc-pool' });
  const weights = (tm.members || []).map((m) => ({ m, input: h('input', { type: 'number', class: 'input', min: '0', step: '1', value: '1', 'data-testid': 'alloc-weight' }) }));
  return formDialog({
    title: t('alloc.new'), help: t('alloc.help'), testid: 'alloc-dialog', submitLabel: t('app.save'),
    fields: [field(t('alloc.period'), period, { required: true }), field(t('alloc.pool_yuan'), pool, { required: true }),
      ...weights.map(({ m, input }) => field(t('alloc.weight_of', { name: m.name }), input))],
    onSubmit: () => api.post(`/teams/${tm.id}/allocations`, {
      period: period.value.trim(), pool_fen: Math.round(Number(pool.value || 0) * 100),
      shares: weights.filter(({ input }) => Number(input.value) > 0).map(({ m, input }) => ({ staff_id: m.id, weight: Number(input.value) })),
    }),
  });
}

export async function allocationCard(tm, user, rerender) {
  if (!can(user, 'worklist.read')) return null;
  const data = await api.get(`/teams/${tm.id}/allocations`).catch(() => null);
  if (!data) return null;
  const body = data.items.length ? data.items.map((a) => h('div', { class: 'alloc', 'data-testid': 'alloc', 'data-period': a.period },
    h('h3', { class: 'card-subtitle' }, t('alloc.title_line', { period: a.period, pool: formatYuan(a.pool_fen) })),
    dataTable([
      { label: t('alloc.member'), cls: 'strong', render: (x) => x.name },
      { label: t('alloc.weight'), cls: 'num', render: (x) => (x.weight === null ? '—' : String(x.weight)) },
      { label: t('alloc.amount'), cls: 'num', render: (x) => h('span', { 'data-testid': 'alloc-amount' }, formatYuan(x.amount_fen)) },
    ], a.shares, { rowTestId: 'alloc-share', cls: 'table-compact' })))
    : [empty(t('alloc.none'))];
  const actions = can(user, 'allocation.write')
    ? [h('button', { type: 'button', class: 'btn btn-ghost btn-small', 'data-testid': 'alloc-new', onclick: async () => { if (await newDialog(tm)) { toast(t('alloc.saved')); rerender(); } } }, icon('plus'), t('alloc.new'))]
    : null;
  return card(t('alloc.card'), body, { testid: 'card-allocations', actions });
}
