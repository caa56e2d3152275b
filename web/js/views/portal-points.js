/* portal-points.js - 积分 (积分换健康): the balance in large numbers, how it was earned and
 * spent, and the catalogue with each item's cost and what is left of it; redeeming asks
 * first and says kindly when the points or the stock do not suffice.
 *
 * GET /api/v1/residents/{id}/points → {balance, items:[...]};
 * GET /api/v1/points/catalogue → {items:[{id,name,cost,stock}]};
 * POST /api/v1/points/redemptions {resident_id, item_id} → 201; 409 insufficient_points or
 * out_of_stock (API.md). */
import { api } from '../api.js';
import { h, icon, toast, formDialog, localError } from '../dom.js';
import { t, label, has } from '../i18n.js';
import { formatDate } from '../format.js';
import {
  personOf, soft, softPart, memberName, portalPage, kindEmpty, partError, refusalText, refreshUnread,
} from './portal-common.js';

const listOf = (data) => (Array.isArray(data) ? data : (data && data.items) || []);

/* A ledger line: what earned or spent the points, in words. */
function entryText(e) {
  if (e.text || e.description) return e.text || e.description;
  if (e.item_name) return t('portal.points_redeemed', { name: e.item_name });
  const event = e.event || e.kind || e.reason;
  if (event && has(`points_event.${event}`)) return label('points_event', event);
  return event || '';
}

function entryPoints(e) {
  const n = Number(e.points ?? e.delta ?? e.amount ?? 0);
  return n;
}

function historyCard(ledger) {
  const rows = listOf(ledger);
  const body = rows.length
    ? h('ul', { class: 'portal-ledger', 'data-testid': 'points-history' }, rows.map((e) => {
      const n = entryPoints(e);
      return h('li', { class: 'portal-ledger-row', 'data-testid': 'points-entry' },
        h('span', { class: 'portal-ledger-text' }, h('span', null, entryText(e)), h('span', { class: 'portal-when' }, formatDate(e.occurred_on || e.date || e.created_at))),
        h('span', { class: `portal-ledger-points ${n < 0 ? 'is-spent' : 'is-earned'}` }, n > 0 ? `+${n}` : String(n)));
    }))
    : kindEmpty(t('portal.points_history_none'), 'points-history-none');
  return h('section', { class: 'card portal-card', 'data-testid': 'points-history-card' },
    h('header', { class: 'card-header' }, h('h2', { class: 'card-title' }, t('portal.points_history'))),
    h('div', { class: 'card-body' }, body));
}

function redeem(ctx, id, item, balance) {
  return formDialog({
    title: t('portal.redeem_title'),
    help: t('portal.redeem_help', { name: item.name, cost: item.cost, left: balance - item.cost }),
    fields: [],
    submitLabel: t('portal.redeem_confirm'),
    testid: 'redeem-dialog',
    onSubmit: () => api.post('/points/redemptions', { resident_id: id, item_id: item.id }).then(() => true).catch((error) => {
      throw localError(refusalText(error));
    }),
  });
}

function catalogueCard(ctx, id, catalogue, balance) {
  if (catalogue instanceof Error) return h('section', { class: 'card portal-card' }, h('div', { class: 'card-body' }, partError(catalogue)));
  const items = listOf(catalogue);
  const body = items.length
    ? h('ul', { class: 'portal-catalogue', 'data-testid': 'points-catalogue' }, items.map((item) => {
      const out = Number(item.stock) <= 0;
      const short = balance !== null && Number(item.cost) > balance;
      return h('li', { class: 'portal-gift', 'data-testid': 'points-item', 'data-id': item.id, 'data-stock': item.stock },
        h('div', { class: 'portal-gift-head' },
          h('span', { class: 'portal-gift-icon', 'aria-hidden': 'true' }, icon('gift')),
          h('span', { class: 'portal-gift-name' }, item.name)),
        item.description ? h('p', { class: 'portal-help' }, item.description) : null,
        h('p', { class: 'portal-gift-facts' },
          h('span', { class: 'portal-gift-cost', 'data-testid': 'points-item-cost' }, t('portal.points_cost', { n: item.cost })),
          h('span', { class: out ? 'portal-gift-stock is-out' : 'portal-gift-stock', 'data-testid': 'points-item-stock' },
            out ? t('portal.points_out') : t('portal.points_stock', { n: item.stock }))),
        h('button', {
          type: 'button', class: 'btn btn-primary btn-block', 'data-testid': 'points-redeem', disabled: out,
          onclick: async () => {
            const done = await redeem(ctx, id, item, balance ?? 0);
            if (done) {
              toast(t('portal.redeem_done', { name: item.name }));
              ctx.rerender();
            }
          },
        }, out ? t('portal.points_out') : short ? t('portal.redeem_short') : t('portal.redeem')));
    }))
    : kindEmpty(t('portal.points_catalogue_none'), 'points-catalogue-none');
  return h('section', { class: 'card portal-card', 'data-testid': 'points-catalogue-card' },
    h('header', { class: 'card-header' }, h('h2', { class: 'card-title' }, t('portal.points_catalogue'))),
    h('div', { class: 'card-body' }, body));
}

export async function pointsView(ctx) {
  const id = personOf(ctx);
  const [points, catalogue, member] = await Promise.all([
    soft(api.get(`/residents/${id}/points`)), softPart(api.get('/points/catalogue')), memberName(ctx),
  ]);
  refreshUnread(id);
  const balance = points ? Number(points.balance) || 0 : null;
  const top = h('section', { class: 'card portal-card portal-balance', 'data-testid': 'points-balance-card' },
    h('div', { class: 'card-body' },
      h('p', { class: 'portal-balance-label' }, t('portal.points_balance')),
      h('p', { class: 'portal-balance-value' }, h('span', { class: 'portal-number', 'data-testid': 'points-balance' }, balance === null ? '—' : String(balance)),
        h('span', { class: 'portal-unit' }, t('portal.points_unit'))),
      h('p', { class: 'portal-help' }, balance === null ? t('portal.points_none') : t('portal.points_how'))));
  return portalPage(ctx, { title: t('portal.points_title'), testid: 'portal-points-page', member },
    top, catalogueCard(ctx, id, catalogue, balance), historyCard(points ? points.items : []));
}
