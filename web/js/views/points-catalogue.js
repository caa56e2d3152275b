/* points-catalogue.js - what health points buy (积分商城), for the centre's and the county's
 * admins: each item with its cost and what is left in stock, adding an item and restocking
 * one. Residents see the same catalogue in the portal (portal-points.js) and redeem there;
 * the server never lets stock go below zero. #/points-catalogue */
import { api } from '../api.js';
import { enumerations } from '../enumerations.js';
import { h, icon, pageHeader, card, dataTable, empty, toast } from '../dom.js';
import { t } from '../i18n.js';
import { formField, fieldDialog, fieldError, select } from '../forms.js';


function numberInput(testid, value = '') {
  return h('input', { type: 'number', class: 'input', min: '0', step: '1', inputmode: 'numeric', value: String(value), 'data-testid': testid });
}

function whole(input, name) {
  const n = Number(input.value);
  if (input.value === '' || !Number.isInteger(n) || n < 0) throw fieldError(name, t('pc.whole_number'));
  return n;
}

/* The institutions an admin keeps items for: a centre's own area's (it sees the county's
 * hospitals too, but does not stock them), the county admin's all. */
async function ownInstitutions(user) {
  const all = (await api.get('/institutions')).items;
  const area = user.role === 'system_admin' ? '' : user.scope_region || '';
  return all.filter((i) => String(i.region || '').startsWith(area));
}

async function addItem(user) {
  const [institutions, lists] = await Promise.all([ownInstitutions(user), enumerations()]);
  const name = h('input', { type: 'text', class: 'input', maxlength: '60', 'data-testid': 'pc-name' });
  const kind = select(lists.points_item_kinds.map((k) => ({ value: k, text: t(`pc.kind_${k}`) })), { value: 'goods', testid: 'pc-kind', placeholder: null });
  const cost = numberInput('pc-cost');
  const stock = numberInput('pc-stock-input');
  const where = select(institutions.map((i) => ({ value: i.id, text: i.name })), { testid: 'pc-institution' });
  return fieldDialog({
    title: t('pc.add'),
    help: t('pc.add_help'),
    testid: 'pc-add-dialog',
    submitLabel: t('app.save'),
    fields: [
      formField('name', t('pc.name'), name, { required: true }),
      formField('kind', t('pc.kind'), kind, { required: true }),
      formField('cost', t('pc.cost'), cost, { required: true }),
      formField('stock', t('pc.stock'), stock, { required: true }),
      formField('institution_id', t('pc.institution'), where, { required: true }),
    ],
    onSubmit: () => {
      if (!name.value.trim()) throw fieldError('name', t('forms.required'));
      if (!where.value) throw fieldError('institution_id', t('forms.required'));
      return api.post('/points/catalogue', {
        name: name.value.trim(), kind: kind.value, cost: whole(cost, 'cost'), stock: whole(stock, 'stock'),
        institution_id: Number(where.value),
      });
    },
  });
}

async function restock(item) {
  const more = numberInput('pc-restock');
  return fieldDialog({
    title: t('pc.restock_title', { name: item.name }),
    help: t('pc.restock_help', { stock: item.stock }),
    testid: 'pc-restock-dialog',
    submitLabel: t('app.save'),
    fields: [formField('restock', t('pc.restock_by'), more, { required: true })],
    onSubmit: () => api.post('/points/catalogue', { id: item.id, restock: whole(more, 'restock') }),
  });
}

export async function pointsCatalogueView(ctx) {
  ctx.setTitle(t('pc.title'));
  const [items, own] = await Promise.all([api.get('/points/catalogue').then((d) => d.items), ownInstitutions(ctx.user)]);
  const keeps = (x) => ctx.user.role === 'system_admin' || own.some((i) => i.id === x.institution_id);
  const columns = [
    { label: t('pc.name'), cls: 'col-name', render: (x) => h('strong', null, x.name) },
    { label: t('pc.kind'), render: (x) => t(`pc.kind_${x.kind}`) },
    { label: t('pc.cost'), cls: 'num', render: (x) => String(x.cost) },
    { label: t('pc.stock'), cls: 'num', render: (x) => h('span', { class: x.stock === 0 ? 'chip chip-warn' : '', 'data-testid': 'pc-stock' }, String(x.stock)) },
    { label: t('pc.institution'), render: (x) => x.institution_name || t('pc.county_wide') },
    /* a centre restocks its own institutions' items; the county's admin every item */
    { label: '', render: (x) => (!keeps(x) ? null : h('button', {
      type: 'button', class: 'btn btn-small btn-secondary', 'data-testid': 'pc-restock-open',
      onclick: async () => {
        const done = await restock(x);
        if (done) { toast(t('pc.restocked', { name: x.name, stock: done.stock })); ctx.rerender(); }
      },
    }, t('pc.restock'))) },
  ];
  const add = h('button', {
    type: 'button', class: 'btn btn-primary', 'data-testid': 'pc-add',
    onclick: async () => {
      const made = await addItem(ctx.user);
      if (made) { toast(t('pc.added', { name: made.name })); ctx.rerender(); }
    },
  }, icon('plus'), t('pc.add'));
  return h('div', { class: 'page', 'data-testid': 'points-catalogue-page' },
    pageHeader(t('pc.title'), { subtitle: t('pc.subtitle'), actions: [add] }),
    items.length
      ? card(null, dataTable(columns, items, { rowTestId: 'pc-row', caption: t('pc.title') }))
      : card(null, empty(t('pc.empty'))));
}
