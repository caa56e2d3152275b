/* grid.js - #/grid?region=CODE: the county keeps its own grid (issue 14). The region tree
 * from the user's area down (county → township → village → grid cell): each region's
 * children, a form to add one, its name; for a village or cell, households moved into a
 * cell (a redraw); the health institutions of the region with their kind (健康小屋, CDC,
 * 妇幼保健院, 民营医院 ...), added and edited; for the system admin, the indicator rules.
 * Server refusals show at the field they name (fieldform.js). */
import { api } from '../api.js';
import { enumerations } from '../enumerations.js';
import { h, icon, pageHeader, card, dataTable, empty, toast } from '../dom.js';
import { t, label } from '../i18n.js';
import { can } from '../roles.js';
import { topRegion } from '../regions.js';
import { fieldForm, input, numberInput, select, checks } from '../fieldform.js';

const LENGTHS = { province: 2, city: 4, county: 6, township: 9, village: 12, grid: 14 };
const NEXT = { province: 'city', city: 'county', county: 'township', township: 'village', village: 'grid' };

/* The region a user keeps from: a centre admin's township, the system admin's top region. */
async function homeRegion(user) {
  if (user.scope_region) return user.scope_region;
  const top = await topRegion();
  return top ? top.code : null;
}

/* The regions from `home` down to `code`, by code prefix (a code's ancestors are its prefixes). */
async function trail(home, code) {
  const codes = Object.values(LENGTHS).filter((n) => n >= home.length && n < code.length).map((n) => code.slice(0, n));
  const regions = await Promise.all(codes.map((c) => api.get(`/regions/${c}`).catch(() => null)));
  return regions.filter(Boolean);
}

function reload(code) {
  const target = `#/grid?region=${encodeURIComponent(code)}`;
  if (location.hash === target) window.dispatchEvent(new HashChangeEvent('hashchange'));
  else location.hash = target;
}

function childrenCard(region) {
  const rows = region.children || [];
  const body = rows.length
    ? dataTable([
      { label: t('grid.col_name'), cls: 'col-name', render: (r) => h('a', { href: `#/grid?region=${r.code}`, class: 'strong-link', 'data-testid': 'region-link' }, r.name) },
      { label: t('grid.col_code'), cls: 'mono', render: (r) => r.code },
      { label: t('grid.col_level'), render: (r) => label('level', r.level) },
    ], rows, { rowTestId: 'region-row', rowHref: (r) => `#/grid?region=${r.code}`, cls: 'compact-cards' })
    : empty(t('grid.children_none'));
  return card(t('grid.children'), body, { testid: 'card-children', cls: 'card-flush-body' });
}

function addChildCard(region) {
  const level = NEXT[region.level];
  if (!level) return null;
  const n = LENGTHS[level];
  const code = input({ inputmode: 'numeric', maxlength: String(n), value: region.code, autocomplete: 'off', 'data-testid': 'child-code' });
  const name = input({ maxlength: '50', 'data-testid': 'child-name' });
  const form = fieldForm({
    testid: 'child-form',
    submitLabel: t('grid.add'),
    fields: [
      { name: 'code', label: t('grid.col_code'), control: code, required: true, help: t('grid.code_help', { n, parent: region.code }) },
      { name: 'name', label: t('grid.col_name'), control: name, required: true },
    ],
    onSubmit: async (v) => {
      const made = await api.post('/regions', { code: v.code, name: v.name, parent: region.code, level });
      toast(t('grid.created', { name: made.name }));
      reload(region.code);
    },
  });
  return card(t('grid.add_child', { level: label('level', level) }), form, { testid: 'card-add-child' });
}

function renameCard(region) {
  const name = input({ maxlength: '50', value: region.name, 'data-testid': 'rename-name' });
  const form = fieldForm({
    testid: 'rename-form',
    submitLabel: t('grid.rename_submit'),
    fields: [{ name: 'name', label: t('grid.col_name'), control: name, required: true, full: true }],
    onSubmit: async (v) => {
      await api.patch(`/regions/${region.code}`, { name: v.name });
      toast(t('grid.renamed'));
      reload(region.code);
    },
  });
  return card(t('grid.rename'), form, { testid: 'card-rename' });
}

/* A village or a cell: households of the village (and whole sibling cells) moved into it. */
async function redrawCard(region) {
  const village = region.code.slice(0, 12);
  const [households, cells] = await Promise.all([
    api.get('/households', { region: village, limit: 500 }),
    api.get('/regions', { parent: village }),
  ]);
  const cellName = new Map(cells.items.map((c) => [c.code, c.name]));
  const movable = households.items.filter((x) => x.region !== region.code);
  const boxes = checks(movable.map((x) => [String(x.id), t('grid.household_label', {
    head: x.head_name || t('grid.household_no_head'), members: x.members, cell: x.region_name || cellName.get(x.region) || x.region,
  })]), { testid: 'redraw-households' });
  boxes.classList.add('check-grid', 'check-scroll');
  const from = select(cells.items.filter((c) => c.code !== region.code).map((c) => [c.code, `${c.name} (${c.code})`]),
    { blank: t('grid.redraw_from_none'), 'data-testid': 'redraw-from' });
  const form = fieldForm({
    testid: 'redraw-form',
    submitLabel: t('grid.redraw_submit'),
    fields: [
      { name: 'household_ids', label: t('grid.redraw_households'), control: movable.length ? boxes : h('p', { class: 'muted' }, t('grid.households_none')), full: true },
      { name: 'from', label: t('grid.redraw_from'), control: from, full: true },
    ],
    onSubmit: async (v) => {
      const body = {};
      if (Array.isArray(v.household_ids) && v.household_ids.length) body.household_ids = v.household_ids.map(Number);
      if (v.from) body.from = v.from;
      const done = await api.post(`/regions/${region.code}/redraw`, body);
      toast(t('grid.redrawn', { households: done.households, residents: done.residents }));
      reload(region.code);
    },
  });
  return card(t('grid.redraw'), [h('p', { class: 'card-lead muted' }, t('grid.redraw_help', { name: region.name })), form], { testid: 'card-redraw' });
}

/* `lists`: the server's institution kinds and levels (GET /enumerations). */
function institutionForm(region, existing, host, lists) {
  const code = input({ maxlength: '30', autocomplete: 'off', 'data-testid': 'inst-code' });
  const name = input({ maxlength: '80', value: existing ? existing.name : '', 'data-testid': 'inst-name' });
  const kind = select(lists.institution_kinds.map((k) => [k, label('institution_kind', k)]), { value: existing ? existing.kind : 'health_hut', 'data-testid': 'inst-kind' });
  const grade = select(lists.institution_levels.map((g) => [g, label('institution_level', g)]), { value: existing ? existing.level : undefined, blank: existing ? undefined : t('grid.level_default'), 'data-testid': 'inst-level' });
  const fields = [
    ...(existing ? [] : [{ name: 'code', label: t('grid.inst_code'), control: code, required: true }]),
    { name: 'name', label: t('grid.col_name'), control: name, required: true },
    { name: 'kind', label: t('grid.col_kind'), control: kind, required: true },
    { name: 'level', label: t('grid.col_grade'), control: grade },
  ];
  return fieldForm({
    testid: existing ? 'inst-edit-form' : 'inst-form',
    submitLabel: existing ? t('app.save') : t('grid.add'),
    fields,
    onSubmit: async (v) => {
      if (existing) await api.patch(`/institutions/${existing.id}`, { name: v.name, kind: v.kind, level: v.level });
      else await api.post('/institutions', { code: v.code, name: v.name, kind: v.kind, level: v.level, region: region.code });
      toast(t('grid.institution_saved'));
      if (host) host.remove();
      reload(region.code);
    },
  });
}

async function institutionsCards(region) {
  const [all, lists] = await Promise.all([api.get('/institutions', { region: region.code }).then((d) => d.items), enumerations()]);
  /* A county lists what sits at the county itself; below it, the whole subtree. */
  const items = region.level === 'county' || region.level === 'city' || region.level === 'province'
    ? all.filter((i) => i.region === region.code) : all;
  const editHost = h('div', { class: 'inst-edit', 'data-testid': 'inst-edit-host' });
  const edit = (inst) => {
    editHost.replaceChildren(card(t('grid.edit_institution', { name: inst.name }), institutionForm(region, inst, null, lists), { testid: 'card-inst-edit' }));
    editHost.scrollIntoView({ block: 'nearest' });
  };
  const list = items.length
    ? dataTable([
      { label: t('grid.col_name'), cls: 'col-name', render: (i) => h('span', { class: 'strong' }, i.name) },
      { label: t('grid.col_kind'), render: (i) => h('span', { class: `chip chip-kind kind-${i.kind}`, 'data-testid': 'inst-kind-label' }, label('institution_kind', i.kind)) },
      { label: t('grid.col_grade'), render: (i) => label('institution_level', i.level) },
      { label: t('grid.col_place'), render: (i) => i.region_name || i.region },
      { label: t('grid.inst_code'), cls: 'mono', render: (i) => i.code },
      { label: '', render: (i) => h('button', { type: 'button', class: 'btn btn-ghost btn-small', 'data-testid': 'inst-edit', onclick: () => edit(i) }, icon('pen'), t('grid.edit')) },
    ], items, { rowTestId: 'inst-row', cls: 'compact-cards' })
    : empty(t('grid.institutions_none'));
  return [
    card(t('grid.institutions'), list, { testid: 'card-institutions', cls: 'card-flush-body' }),
    editHost,
    region.level === 'grid' ? null : card(t('grid.add_institution'), institutionForm(region, null, null, lists), { testid: 'card-add-institution' }),
  ];
}

async function rulesCard() {
  const settings = (await api.get('/protocol-settings')).items;
  const keys = ['elderly_age', 'child_age_below', 'kpi_renewal_days'];
  const controls = Object.fromEntries(keys.map((k) => {
    const s = settings.find((x) => x.key === k) || {};
    return [k, numberInput({ min: String(s.min ?? 0), max: String(s.max ?? 999), value: s.value ?? '', 'data-testid': `rule-${k}` })];
  }));
  const form = fieldForm({
    testid: 'rules-form',
    submitLabel: t('app.save'),
    fields: keys.map((k) => ({ name: `values.${k}`, label: t(`grid.rule.${k}`), control: controls[k], required: true })),
    onSubmit: async (v) => {
      const values = {};
      for (const k of keys) if (v[`values.${k}`] !== undefined) values[k] = v[`values.${k}`];
      await api.put('/protocol-settings', { values });
      toast(t('grid.rules_saved'));
    },
  });
  return card(t('grid.rules'), [h('p', { class: 'card-lead muted' }, t('grid.rules_help')), form], { testid: 'card-rules' });
}

export async function gridView(ctx) {
  ctx.setTitle(t('grid.title'));
  const home = await homeRegion(ctx.user);
  if (!home) return h('div', { class: 'page' }, pageHeader(t('grid.title')), card(null, empty(t('grid.no_scope'))));
  let code = ctx.query.get('region') || home;
  if (!code.startsWith(home)) code = home;
  const region = await api.get(`/regions/${code}`);
  const ancestors = await trail(home, code);
  const crumbs = h('nav', { class: 'grid-trail', 'aria-label': t('grid.title'), 'data-testid': 'grid-trail' },
    [...ancestors, region].map((r, i, all) => (i < all.length - 1
      ? [h('a', { href: `#/grid?region=${r.code}` }, r.name), h('span', { class: 'muted' }, ' / ')]
      : h('span', { class: 'strong', 'data-testid': 'grid-current' }, `${r.name} · ${label('level', r.level)}`))));
  const page = h('div', { class: 'page grid-page', 'data-testid': 'grid-page', 'data-region': region.code },
    pageHeader(t('grid.title'), { subtitle: t('grid.subtitle') }), crumbs);
  /* A centre admin keeps what lies below its township, not the township's own name. */
  const renamable = region.code !== home || ctx.user.role === 'system_admin';
  const [redraw, institutions, rules] = await Promise.all([
    region.level === 'village' || region.level === 'grid' ? redrawCard(region) : null,
    institutionsCards(region),
    can(ctx.user, 'protocol.configure') && region.code === home ? rulesCard() : null,
  ]);
  page.append(...[region.level === 'grid' ? null : childrenCard(region), addChildCard(region), redraw, renamable ? renameCard(region) : null,
    ...institutions, rules].filter(Boolean));
  return page;
}
