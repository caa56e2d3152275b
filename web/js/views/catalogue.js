/* catalogue.js - the service-package catalogue (服务包), for the system administrator (the
 * county-wide catalogue and every institution's packages) and center admins (their own
 * institutions' packages; the county's are shown read-only):
 * #/packages lists the current version of every package; #/packages/new and
 * #/packages/CODE/edit open the form (basic fields, eligibility, services, fee rules
 * with a live split of the price). Publishing an existing package makes a new version;
 * contracts already signed keep the version they were signed on. The server checks
 * everything again: its refusal is shown with its detail and the field highlighted. */
import { api, errorText, ApiError } from '../api.js';
import { h, icon, pageHeader, card, dataTable, clear, empty, toast } from '../dom.js';
import { t, label } from '../i18n.js';
import { formatYuan } from '../format.js';
import { packageName, resetPackages } from '../packages.js';
import { sharesBlock } from './sign.js';

export const TIERS = ['basic', 'primary', 'intermediate', 'advanced'];
export const TYPES = ['general', 'hypertension', 'diabetes', 'elderly', 'maternal_child', 'disabled', 'copd', 'cancer', 'mental_health', 'tcm'];
export const PAYMENT_TYPES = ['government', 'fixed_price', 'negotiated'];
export const PAYERS = ['resident', 'insurance', 'city', 'district', 'county', 'public_funds'];
const PROGRAMS = ['hypertension', 'diabetes', 'smd', 'tb', 'copd', 'elderly', 'child', 'maternal'];

/* 12.5 → 1250 (fen or basis points); '' or junk → NaN. */
function toHundredths(text) {
  const s = String(text ?? '').trim();
  if (!/^\d+(\.\d{1,2})?$/.test(s)) return NaN;
  return Math.round(Number(s) * 100);
}

function fromHundredths(n) {
  if (n === null || n === undefined) return '';
  return (n / 100).toFixed(2).replace(/\.?0+$/, '');
}

function selectOf(kind, values, value, testid, { blank } = {}) {
  return h('select', { class: 'input select', 'data-testid': testid },
    blank ? h('option', { value: '' }, blank) : null,
    values.map((v) => h('option', { value: String(v), selected: String(v) === String(value ?? '') }, kind ? label(kind, v) : v)));
}

export async function catalogueView(ctx) {
  ctx.setTitle(t('catalogue.title'));
  const [list, mine] = await Promise.all([api.get('/packages').then((d) => d.items || []), ownInstitutions(ctx.user)]);
  const editable = (p) => ctx.user.role === 'system_admin' || (p.institution_id && mine.some((i) => i.id === p.institution_id));
  const columns = [
    { label: t('catalogue.col_code'), render: (p) => h('span', { class: 'mono', 'data-testid': 'package-code' }, p.code) },
    { label: t('catalogue.col_name'), render: (p) => h('span', { class: 'strong' }, packageName(p)) },
    { label: t('catalogue.col_tier'), render: (p) => h('span', { class: `badge tier-badge tier-${p.tier}` }, label('tier', p.tier)) },
    { label: t('catalogue.col_type'), render: (p) => label('pkg_type', p.type) },
    { label: t('catalogue.col_payment'), render: (p) => label('payment_type', p.payment_type) },
    { label: t('catalogue.col_price'), cls: 'num', render: (p) => h('span', { 'data-testid': 'package-price', 'data-fen': String(p.price_fen) }, formatYuan(p.price_fen)) },
    { label: t('catalogue.col_institution'), render: (p) => h('span', { 'data-testid': 'package-institution' }, p.institution || t('catalogue.county_wide')) },
    { label: t('catalogue.col_version'), cls: 'num', render: (p) => h('span', { 'data-testid': 'package-version' }, `v${p.version}`) },
    { label: t('catalogue.col_items'), cls: 'num', render: (p) => h('span', { 'data-testid': 'package-items' }, String((p.items || []).length)) },
    {
      label: t('catalogue.col_actions'),
      cls: 'actions',
      render: (p) => (editable(p)
        ? h('a', { class: 'btn btn-small btn-secondary', href: `#/packages/${encodeURIComponent(p.code)}/edit`, 'data-testid': 'package-edit' }, icon('pen'), t('catalogue.edit'))
        : h('span', { class: 'muted small' }, t('catalogue.read_only'))),
    },
  ];
  const table = dataTable(columns, list, { rowTestId: 'package-row', cls: 'catalogue-table' });
  table.querySelectorAll('tr[data-testid=package-row]').forEach((tr, i) => tr.setAttribute('data-code', list[i].code));
  const create = h('a', { class: 'btn btn-primary', href: '#/packages/new', 'data-testid': 'package-new' }, icon('plus'), t('catalogue.new'));
  return h('div', { class: 'page', 'data-testid': 'catalogue-page' },
    pageHeader(t('catalogue.title'), { subtitle: t('catalogue.subtitle'), actions: [create] }),
    h('div', { class: 'results-meta' }, h('span', { class: 'result-count', 'data-testid': 'result-count' }, t('app.total', { n: list.length }))),
    card(null, list.length ? table : empty(t('catalogue.empty')), { cls: 'card-flush' }));
}

/* The institutions a center admin may publish for (the system admin: all, plus county-wide). */
async function ownInstitutions(user) {
  const query = user.role === 'system_admin' ? {} : { region: user.scope_region };
  return api.get('/institutions', query).then((d) => (d.items || []).filter((i) => !/hospital/.test(i.kind))).catch(() => []);
}

export async function packageNewView(ctx) {
  return packageForm(ctx, null, await ownInstitutions(ctx.user));
}

export async function packageEditView(ctx) {
  const code = decodeURIComponent(ctx.params[0]);
  const list = await api.get('/packages').then((d) => d.items || []);
  const pkg = list.find((p) => p.code === code);
  if (!pkg) throw new ApiError(404, { code: 'not_found', detail: t('catalogue.not_found', { code }) });
  return packageForm(ctx, pkg, []);
}

function packageForm(ctx, pkg, institutions) {
  const editing = Boolean(pkg);
  const title = editing ? t('catalogue.edit_title', { code: pkg.code }) : t('catalogue.new_title');
  ctx.setTitle(title);
  const p = pkg || { tier: 'primary', type: 'general', payment_type: 'fixed_price', price_fen: 0, personalised: true, eligibility: {}, items: [], fee_rules: [] };
  const e = p.eligibility || {};
  const controls = new Map(); /* server field name → the element to highlight */

  const fieldOf = (name, text, control, { help, full, required } = {}) => {
    control.id = control.id || `pkg-f-${name.replace(/\W/g, '-')}`;
    const wrap = h('div', { class: full ? 'field field-full' : 'field', 'data-field': name },
      h('label', { class: 'field-label', for: control.id }, text, required ? h('span', { class: 'required', 'aria-hidden': 'true' }, ' *') : null),
      control, help ? h('p', { class: 'field-help' }, help) : null);
    controls.set(name, wrap);
    return wrap;
  };

  const code = h('input', { type: 'text', class: 'input mono', maxlength: '32', value: p.code || '', 'data-testid': 'pkg-code', autocomplete: 'off', disabled: editing, placeholder: 'HTN-120' });
  const name = h('input', { type: 'text', class: 'input', maxlength: '60', value: p.name || '', 'data-testid': 'pkg-name' });
  const nameEn = h('input', { type: 'text', class: 'input', maxlength: '100', value: p.name_en || '', 'data-testid': 'pkg-name-en' });
  const tier = selectOf('tier', TIERS, p.tier, 'pkg-tier');
  const type = selectOf('pkg_type', TYPES, p.type, 'pkg-type');
  const payment = selectOf('payment_type', PAYMENT_TYPES, p.payment_type, 'pkg-payment');
  const price = h('input', { type: 'text', inputmode: 'decimal', class: 'input input-short', value: fromHundredths(p.price_fen) || '0', 'data-testid': 'pkg-price' });
  const personalised = h('input', { type: 'checkbox', checked: p.personalised !== false, 'data-testid': 'pkg-personalised' });
  /* Who offers it: fixed once published; a center admin's default is their center. */
  const owner = editing
    ? h('input', { type: 'text', class: 'input', value: p.institution || t('catalogue.county_wide'), disabled: true, 'data-testid': 'pkg-institution' })
    : h('select', { class: 'input select', 'data-testid': 'pkg-institution' },
      ctx.user.role === 'system_admin' ? h('option', { value: '' }, t('catalogue.county_wide')) : null,
      institutions.map((i) => h('option', { value: String(i.id) }, i.name)));
  const basics = card(t('catalogue.basics'), h('div', { class: 'form-grid' },
    fieldOf('code', t('catalogue.code'), code, { help: editing ? t('catalogue.code_fixed') : t('catalogue.code_help'), required: !editing }),
    fieldOf('price_fen', t('catalogue.price'), price, { help: t('catalogue.price_help'), required: true }),
    fieldOf('name', t('catalogue.name'), name, { required: true }),
    fieldOf('name_en', t('catalogue.name_en'), nameEn, { required: true }),
    fieldOf('tier', t('catalogue.col_tier'), tier),
    fieldOf('type', t('catalogue.col_type'), type),
    fieldOf('payment_type', t('catalogue.col_payment'), payment),
    fieldOf('institution_id', t('catalogue.col_institution'), owner, { help: t('catalogue.institution_help') }),
    h('div', { class: 'field', 'data-field': 'personalised' }, h('span', { class: 'field-label' }, t('catalogue.personalised')),
      h('label', { class: 'check' }, personalised, h('span', null, t('catalogue.personalised_help'))))), { testid: 'pkg-basics' });

  const minAge = h('input', { type: 'number', min: '0', max: '120', class: 'input input-short', value: e.min_age ?? '', 'data-testid': 'pkg-min-age' });
  const maxAge = h('input', { type: 'number', min: '0', max: '120', class: 'input input-short', value: e.max_age ?? '', 'data-testid': 'pkg-max-age' });
  const program = selectOf('program', PROGRAMS, e.required_program, 'pkg-program', { blank: t('catalogue.any') });
  const klass = h('select', { class: 'input select', 'data-testid': 'pkg-class' },
    h('option', { value: '' }, t('catalogue.any')),
    [1, 2, 3].map((n) => h('option', { value: String(n), selected: Number(e.required_class) === n }, t(`class_long.${n}`))));
  const eligibility = card(t('catalogue.eligibility'), [
    h('p', { class: 'muted small card-lead' }, t('catalogue.eligibility_help')),
    h('div', { class: 'form-grid' },
      fieldOf('eligibility.min_age', t('catalogue.min_age'), minAge),
      fieldOf('eligibility.max_age', t('catalogue.max_age'), maxAge),
      fieldOf('eligibility.required_program', t('catalogue.program'), program),
      fieldOf('eligibility.required_class', t('catalogue.class'), klass)),
  ], { testid: 'pkg-eligibility' });

  /* Services: one editable row each. */
  const itemList = h('div', { class: 'edit-rows', 'data-testid': 'pkg-items' });
  const itemRow = (it = {}) => {
    const cell = (text, control) => h('label', { class: 'edit-cell' }, h('span', { class: 'edit-cell-label' }, text), control);
    const row = h('div', { class: 'edit-row item-row', 'data-testid': 'pkg-item' },
      cell(t('catalogue.item_service'), h('input', { type: 'text', class: 'input mono', maxlength: '40', value: it.service || '', 'data-testid': 'item-service', 'data-key': 'service' })),
      cell(t('catalogue.item_name'), h('input', { type: 'text', class: 'input', maxlength: '60', value: it.name || '', 'data-testid': 'item-name', 'data-key': 'name' })),
      cell(t('catalogue.item_name_en'), h('input', { type: 'text', class: 'input', maxlength: '100', value: it.name_en || '', 'data-testid': 'item-name-en', 'data-key': 'name_en' })),
      cell(t('catalogue.item_quantity'), h('input', { type: 'number', min: '1', max: '1000', class: 'input', value: it.quantity ?? 1, 'data-testid': 'item-quantity', 'data-key': 'quantity' })),
      cell(t('catalogue.item_weight'), h('input', { type: 'number', min: '0', max: '100', class: 'input', value: it.workload_weight ?? 1, step: '0.1', 'data-testid': 'item-weight', 'data-key': 'workload_weight' })),
      h('button', { type: 'button', class: 'btn btn-ghost btn-small btn-danger-text row-remove', 'data-testid': 'item-remove', 'aria-label': t('catalogue.remove'), title: t('catalogue.remove'), onclick: () => row.remove() }, icon('close'), h('span', { class: 'row-remove-text' }, t('catalogue.remove'))));
    itemList.appendChild(row);
    return row;
  };
  for (const it of p.items || []) itemRow(it);
  if (!itemList.children.length) itemRow();
  const addItem = h('button', { type: 'button', class: 'btn btn-secondary btn-small', 'data-testid': 'item-add', onclick: () => itemRow().querySelector('input').focus() }, icon('plus'), t('catalogue.item_add'));
  const itemsCard = card(t('catalogue.items'), [itemList, h('div', { class: 'edit-rows-actions' }, addItem)], { testid: 'pkg-items-card' });
  controls.set('items', itemsCard);

  /* Fee rules and the live split. */
  const ruleList = h('div', { class: 'edit-rows', 'data-testid': 'pkg-rules' });
  const preview = h('div', { class: 'fee-preview', 'data-testid': 'pkg-preview' });
  const ruleRow = (r = { payer: 'resident', kind: 'percent', value: 10000 }) => {
    const payer = selectOf('payer', PAYERS, r.payer, 'rule-payer');
    const kind = h('select', { class: 'input select', 'data-testid': 'rule-kind' },
      ['percent', 'fixed'].map((k) => h('option', { value: k, selected: k === r.kind }, t(`catalogue.kind_${k}`))));
    const value = h('input', { type: 'text', inputmode: 'decimal', class: 'input', value: fromHundredths(r.value), 'data-testid': 'rule-value' });
    const unit = h('span', { class: 'rule-unit', 'data-testid': 'rule-unit' });
    const syncUnit = () => {
      unit.textContent = kind.value === 'percent' ? '%' : t('catalogue.yuan');
    };
    syncUnit();
    const cell = (text, control) => h('label', { class: 'edit-cell' }, h('span', { class: 'edit-cell-label' }, text), control);
    const row = h('div', { class: 'edit-row rule-row', 'data-testid': 'pkg-rule' },
      cell(t('catalogue.rule_payer'), payer),
      cell(t('catalogue.rule_kind'), kind),
      cell(t('catalogue.rule_value'), h('span', { class: 'input-unit' }, value, unit)),
      h('button', { type: 'button', class: 'btn btn-ghost btn-small btn-danger-text row-remove', 'data-testid': 'rule-remove', 'aria-label': t('catalogue.remove'), title: t('catalogue.remove'), onclick: () => { row.remove(); drawPreview(); } }, icon('close'), h('span', { class: 'row-remove-text' }, t('catalogue.remove'))));
    kind.addEventListener('change', () => {
      syncUnit();
      drawPreview();
    });
    payer.addEventListener('change', drawPreview);
    value.addEventListener('input', drawPreview);
    ruleList.appendChild(row);
    return row;
  };
  const readRules = () => [...ruleList.querySelectorAll('[data-testid=pkg-rule]')].map((row) => ({
    payer: row.querySelector('[data-testid=rule-payer]').value,
    kind: row.querySelector('[data-testid=rule-kind]').value,
    value: toHundredths(row.querySelector('[data-testid=rule-value]').value),
  }));
  /* The split is the server's (POST /fee-split, the rule a signing uses): asked again at
   * each change, the latest answer drawn; data-state says whether it is up to date. */
  let asked = 0;
  function problemText(check, fen) {
    switch (check.reason) {
      case 'percent_sum': return t('catalogue.rules_percent', { sum: fromHundredths(check.percent_bp) });
      case 'fixed_sum': return t('catalogue.rules_fixed', { sum: formatYuan(check.fixed_fen), price: formatYuan(fen) });
      case 'fixed_over': return t('catalogue.rules_fixed_over', { sum: formatYuan(check.fixed_fen), price: formatYuan(fen) });
      case 'payer_twice': return t('catalogue.rules_payer_twice');
      default: return t('catalogue.rules_other');
    }
  }
  const verdict = (problem) => (problem
    ? h('p', { class: 'rule-check rule-check-bad', 'data-testid': 'pkg-preview-check', 'data-ok': 'false' }, icon('close', 'icon'), problem)
    : h('p', { class: 'rule-check rule-check-ok', 'data-testid': 'pkg-preview-check', 'data-ok': 'true' }, icon('check', 'icon'), t('catalogue.rules_ok')));
  async function drawPreview() {
    const mine = ++asked;
    const fen = toHundredths(price.value);
    const rules = readRules();
    const show = (...nodes) => {
      if (mine !== asked) return;
      preview.replaceChildren(...nodes);
      preview.dataset.state = 'ready';
    };
    preview.dataset.state = 'pending';
    if (Number.isNaN(fen) || rules.some((r) => Number.isNaN(r.value))) {
      return show(h('p', { class: 'muted small', 'data-testid': 'pkg-preview-invalid' }, t('catalogue.preview_incomplete')));
    }
    if (!rules.length) return show(verdict(t('catalogue.rules_none')));
    try {
      const split = await api.post('/fee-split', { price_fen: fen, fee_rules: rules });
      show(...(split.check.ok ? [sharesBlock(fen, split.shares, { testid: 'pkg-share', totalTestid: 'pkg-preview-total' })] : []),
        verdict(split.check.ok ? null : problemText(split.check, fen)));
    } catch (error) {
      show(verdict(errorText(error)));
    }
  }
  for (const r of p.fee_rules || []) ruleRow(r);
  if (!ruleList.children.length) ruleRow();
  price.addEventListener('input', drawPreview);
  const addRule = h('button', { type: 'button', class: 'btn btn-secondary btn-small', 'data-testid': 'rule-add', onclick: () => { ruleRow({ payer: 'insurance', kind: 'percent', value: 0 }); drawPreview(); } }, icon('plus'), t('catalogue.rule_add'));
  const rulesCard = card(t('catalogue.fee_rules'), [
    h('p', { class: 'muted small card-lead' }, t('catalogue.fee_rules_help')),
    ruleList, h('div', { class: 'edit-rows-actions' }, addRule),
    h('h3', { class: 'subheading' }, t('catalogue.preview')), preview,
  ], { testid: 'pkg-rules-card' });
  controls.set('fee_rules', rulesCard);
  drawPreview();

  /* Publishing. */
  const errorHost = h('div', { class: 'pkg-error', 'data-testid': 'pkg-error', role: 'alert' });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary btn-large', 'data-testid': 'pkg-submit' }, icon('check'), editing ? t('catalogue.publish_version', { n: pkg.version + 1 }) : t('catalogue.publish_new'));
  const cancel = h('a', { class: 'btn btn-ghost', href: '#/packages', 'data-testid': 'pkg-cancel' }, t('app.cancel'));
  const note = h('p', { class: 'notice-bar pkg-version-note', 'data-testid': 'pkg-version-note' }, t('catalogue.version_note'));

  function clearMarks() {
    clear(errorHost);
    for (const el of document.querySelectorAll('.field-invalid')) el.classList.remove('field-invalid');
    for (const el of document.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
  }
  function mark(fieldName) {
    if (!fieldName) return;
    let target = controls.get(fieldName);
    const m = fieldName.match(/^(items|fee_rules)\[(\d+)\](?:\.(\w+))?/);
    if (m) {
      const rows = (m[1] === 'items' ? itemList : ruleList).children;
      const row = rows[Number(m[2])];
      if (row) {
        target = row;
        const input = m[3] ? row.querySelector(`[data-key=${m[3]}]`) : null;
        if (input) input.setAttribute('aria-invalid', 'true');
      }
    }
    if (!target) target = controls.get(fieldName.split('[')[0].split('.')[0]);
    if (!target) return;
    target.classList.add('field-invalid');
    target.setAttribute('data-invalid', 'true');
    const input = target.classList.contains('field') ? target.querySelector('input, select') : null;
    if (input) input.setAttribute('aria-invalid', 'true');
    target.scrollIntoView({ block: 'center' });
  }
  function fail(message, fieldName) {
    errorHost.appendChild(h('div', { class: 'alert alert-error', 'data-testid': 'pkg-error-message', 'data-field': fieldName || '' }, message));
    mark(fieldName);
  }

  function body() {
    const intOr = (input) => (input.value.trim() === '' ? undefined : Number(input.value));
    const elig = {};
    if (intOr(minAge) !== undefined) elig.min_age = intOr(minAge);
    if (intOr(maxAge) !== undefined) elig.max_age = intOr(maxAge);
    if (program.value) elig.required_program = program.value;
    if (klass.value) elig.required_class = Number(klass.value);
    const out = {
      name: name.value.trim(),
      name_en: nameEn.value.trim(),
      tier: tier.value,
      type: type.value,
      payment_type: payment.value,
      price_fen: toHundredths(price.value),
      personalised: personalised.checked,
      eligibility: elig,
      items: [...itemList.children].map((row) => {
        const get = (k) => row.querySelector(`[data-key=${k}]`).value.trim();
        return { service: get('service'), name: get('name'), name_en: get('name_en'), quantity: Number(get('quantity')), workload_weight: Number(get('workload_weight') || 0) };
      }),
      fee_rules: readRules(),
    };
    if (!editing) out.code = code.value.trim();
    if (!editing && owner.value) out.institution_id = Number(owner.value);
    return out;
  }

  const form = h('form', { class: 'pkg-form', novalidate: true, 'data-testid': 'pkg-form' },
    basics, eligibility, itemsCard, rulesCard,
    h('section', { class: 'card pkg-publish' }, h('div', { class: 'card-body' }, note, errorHost, h('div', { class: 'form-actions' }, cancel, submit))));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearMarks();
    const data = body();
    if (!editing && !data.code) return fail(t('catalogue.need_code'), 'code');
    if (Number.isNaN(data.price_fen)) return fail(t('catalogue.need_price'), 'price_fen');
    const badRule = data.fee_rules.findIndex((r) => Number.isNaN(r.value));
    if (badRule >= 0) return fail(t('catalogue.need_rule_value'), `fee_rules[${badRule}]`);
    submit.disabled = true;
    try {
      const saved = editing ? await api.put(`/packages/${encodeURIComponent(pkg.code)}`, data) : await api.post('/packages', data);
      resetPackages();
      toast(editing ? t('catalogue.published_version', { code: saved.code, n: saved.version }) : t('catalogue.created', { code: saved.code }));
      location.hash = '#/packages';
    } catch (error) {
      submit.disabled = false;
      fail(errorText(error), error.field);
    }
  });

  const header = pageHeader(title, { back: { href: '#/packages', text: t('catalogue.back') } });
  if (editing) header.querySelector('.page-title-block').appendChild(h('p', { class: 'page-subtitle' }, `${packageName(pkg)} · v${pkg.version}`));
  return h('div', { class: 'page', 'data-testid': editing ? 'package-edit-page' : 'package-new-page', 'data-code': editing ? pkg.code : null }, header, form);
}
