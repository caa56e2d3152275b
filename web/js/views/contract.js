/* contract.js - one contract (签约服务): the parties and the term, the packages signed,
 * the fee and who pays what, the services due with what is used and left (staff record
 * a service from each line), each delivery and where it came from (a follow-up, exam,
 * visit or group activity used it up by itself, issue 12, or it was recorded by hand),
 * the fulfilment rate and the status history; renewal, termination and transfer where
 * the status allows, and the printable agreement. */
import { api } from '../api.js';
import {
  h, icon, pageHeader, card, facts, dataTable, statusBadge, empty, toast, formDialog, field, localError, checkbox, KEEP_OPEN,
} from '../dom.js';
import { t, label } from '../i18n.js';
import { can } from '../roles.js';
import { daysBetween, formatDate, formatDateTime, formatPercent, formatYuan, todayIso } from '../format.js';
import { packages, packageName, renewalPrice } from '../packages.js';
import { channelSelect, sharesBlock, doctorOptions } from './sign.js';
import { enumerations } from '../enumerations.js';

const RENEW_WINDOW = 90;

/* A usage bar: used of quantity. */
function usageBar(used, quantity) {
  const pct = quantity ? Math.min(1, used / quantity) * 100 : 0;
  const fill = h('span', { class: `bar-fill ${pct >= 100 ? 'bar-done' : 'bar-good'}` });
  fill.style.width = `${pct.toFixed(1)}%`;
  return h('span', { class: 'bar usage-bar', role: 'img', 'aria-label': `${used} / ${quantity}` }, fill);
}

function deliveryDialog(c, e) {
  const max = Math.min(100, e.remaining);
  const quantity = h('input', { type: 'number', class: 'input input-short', min: '1', max: String(max), step: '1', value: '1', required: true, 'data-testid': 'delivery-quantity' });
  const today = todayIso();
  const on = h('input', { type: 'date', class: 'input', value: today, max: today < c.end_date ? today : c.end_date, min: c.start_date, required: true, 'data-testid': 'delivery-date' });
  const note = h('textarea', { class: 'input textarea', rows: '2', maxlength: '500', 'data-testid': 'delivery-note' });
  return formDialog({
    title: t('contract.record_service_title'),
    help: `${c.resident_name} · ${packageName(e)} · ${t('contract.remaining_n', { n: e.remaining, total: e.quantity })}`,
    testid: 'delivery-dialog',
    submitLabel: t('contract.record_service'),
    fields: [
      field(t('contract.delivery_quantity'), quantity, { required: true }),
      field(t('contract.delivery_date'), on, { required: true }),
      field(t('contract.delivery_note'), note),
    ],
    onSubmit: () => {
      const n = Number(quantity.value);
      if (!Number.isInteger(n) || n < 1) throw localError(t('contract.delivery_quantity_bad'));
      if (n > e.remaining) throw localError(t('contract.delivery_too_many', { n: e.remaining }));
      const body = { entitlement_id: e.id, quantity: n };
      if (on.value && on.value !== today) body.delivered_on = on.value;
      if (note.value.trim()) body.note = note.value.trim();
      return api.post(`/contracts/${c.id}/deliveries`, body);
    },
  });
}

async function terminateDialog(c) {
  const reasons = (await enumerations()).contract_end_reasons;
  const reason = h('select', { class: 'input select', required: true, 'data-testid': 'terminate-reason' },
    h('option', { value: '' }, t('contract.terminate_choose')),
    reasons.map((code) => h('option', { value: code }, label('end_reason', code))));
  const note = h('textarea', { class: 'input textarea', rows: '3', maxlength: '500', 'data-testid': 'terminate-note' });
  return formDialog({
    title: t('contract.terminate_title'),
    help: c.status === 'scheduled' ? t('contract.terminate_help_scheduled') : t('contract.terminate_help'),
    testid: 'terminate-dialog',
    submitLabel: t('contract.terminate'),
    danger: true,
    fields: [field(t('contract.terminate_reason'), reason, { required: true }), field(t('contract.terminate_note'), note)],
    onSubmit: () => {
      if (!reason.value) throw localError(t('contract.terminate_choose'));
      const body = { reason: reason.value };
      if (note.value.trim()) body.note = note.value.trim();
      return api.post(`/contracts/${c.id}/terminate`, body);
    },
  });
}

/* A renewal with something for the resident to pay asks first, showing the fee and who
 * pays what (issue 14); `renew()` posts it, its refusal shown in this dialog. Resolves
 * with the renewal, or null when not confirmed. */
export function confirmRenewalFee(c, price, renew) {
  const own = formatYuan(price.resident_fen);
  return formDialog({
    title: t('renew.confirm_title'),
    help: `${c.resident_name || ''} · ${t('renew.confirm_help', { amount: own })}`,
    testid: 'renew-fee-dialog',
    submitLabel: t('renew.confirm_submit', { amount: own }),
    fields: [
      h('p', { class: 'renew-own', 'data-testid': 'renew-fee-own', 'data-fen': String(price.resident_fen) },
        h('span', null, t('renew.resident_pays')), h('strong', null, own)),
      sharesBlock(price.fee_fen, price.shares, { testid: 'renew-fee-share', totalTestid: 'renew-fee-total' }),
    ],
    onSubmit: renew,
  });
}

/* The fee a renewal of `codes` would cost, live in the renewal dialog. */
function renewalFeeLine(host, codes) {
  const mine = Symbol('fee');
  host.latest = mine;
  if (!codes.length) return host.replaceChildren();
  renewalPrice(codes).then((price) => {
    if (host.latest !== mine) return;
    host.replaceChildren(!price ? '' : h('p', { class: 'renew-fee-line', 'data-testid': 'renew-fee-line', 'data-fen': String(price.resident_fen) },
      `${t('contract.fee_total')} ${formatYuan(price.fee_fen)} · `,
      price.resident_fen > 0 ? h('strong', null, `${t('renew.resident_pays')} ${formatYuan(price.resident_fen)}`) : t('renew.free')));
  }).catch(() => host.replaceChildren());
  return null;
}

async function renewDialog(c) {
  const [catalogue, lists] = await Promise.all([packages().catch(() => []), enumerations()]);
  const current = new Set(c.packages.map((p) => p.code));
  const boxes = catalogue.map((p) => checkbox(`${packageName(p)} · ${formatYuan(p.price_fen)}`, {
    value: p.code, checked: current.has(p.code), 'data-testid': 'renew-package', 'data-code': p.code,
  }));
  const channel = channelSelect(lists.contract_channels, c.channel, 'renew-channel');
  const late = c.status === 'expired';
  const chosen = () => boxes.map((b) => b.querySelector('input')).filter((i) => i.checked).map((i) => i.value);
  const feeLine = h('div', { class: 'renew-fee', 'aria-live': 'polite' });
  boxes.forEach((b) => b.addEventListener('change', () => renewalFeeLine(feeLine, chosen())));
  renewalFeeLine(feeLine, chosen());
  return formDialog({
    title: t('contract.renew_title'),
    help: late ? t('contract.renew_help_late') : t('contract.renew_help', { date: formatDate(c.end_date) }),
    testid: 'renew-dialog',
    submitLabel: t('contract.renew'),
    fields: [
      h('div', { class: 'field' }, h('span', { class: 'field-label' }, t('contract.renew_packages')), h('div', { class: 'checks checks-column' }, boxes)),
      feeLine,
      field(t('sign.channel'), channel),
    ],
    onSubmit: async () => {
      const codes = chosen();
      if (!codes.length) throw localError(t('sign.choose_package'));
      const body = {};
      const same = codes.length === current.size && codes.every((code) => current.has(code));
      if (!same) body.packages = codes;
      if (channel.value !== c.channel) body.channel = channel.value;
      const renew = () => api.post(`/contracts/${c.id}/renew`, body).catch((error) => {
        if (error.code === 'package_not_eligible' && error.value) {
          const p = catalogue.find((x) => x.code === error.value);
          throw localError(t('sign.refused_package', { name: p ? packageName(p) : error.value, detail: error.detail }));
        }
        throw error;
      });
      /* The resident pays something: show it and ask before renewing; free: at once. */
      const price = await renewalPrice(codes).catch(() => null);
      if (!price || price.resident_fen <= 0) return renew();
      const done = await confirmRenewalFee(c, price, renew);
      return done || KEEP_OPEN;
    },
  });
}

async function transferDialog(c) {
  const own = await api.get(`/teams/${c.team_id}`).catch(() => null);
  const region = own && own.region ? own.region : '';
  const list = await api.get('/teams', { region, limit: 500 }).then((d) => d.items || []).catch(() => (own ? [own] : []));
  const byId = new Map(list.map((tm) => [tm.id, tm]));
  const teamSelect = h('select', { class: 'input select', required: true, 'data-testid': 'transfer-team' },
    list.map((tm) => h('option', { value: String(tm.id), selected: tm.id === c.team_id }, tm.name)));
  const doctor = h('select', { class: 'input select', required: true, 'data-testid': 'transfer-doctor' });
  const sync = () => doctorOptions(doctor, byId.get(Number(teamSelect.value)), c.doctor_id);
  teamSelect.addEventListener('change', () => doctorOptions(doctor, byId.get(Number(teamSelect.value)), null));
  sync();
  const reason = h('input', { type: 'text', class: 'input', maxlength: '200', required: true, 'data-testid': 'transfer-reason' });
  const cross = h('input', { type: 'text', class: 'input', maxlength: '200', 'data-testid': 'transfer-cross-grid' });
  return formDialog({
    title: t('contract.transfer_title'),
    help: t('contract.transfer_help'),
    testid: 'transfer-dialog',
    submitLabel: t('contract.transfer'),
    fields: [
      field(t('sign.team'), teamSelect, { required: true }),
      field(t('sign.doctor'), doctor, { required: true }),
      field(t('contract.transfer_reason'), reason, { required: true }),
      field(t('sign.cross_grid'), cross, { help: t('contract.transfer_cross_help') }),
    ],
    onSubmit: () => {
      if (!doctor.value) throw localError(t('sign.need_doctor'));
      if (Number(teamSelect.value) === c.team_id && Number(doctor.value) === c.doctor_id) throw localError(t('contract.transfer_same'));
      if (!reason.value.trim()) throw localError(t('contract.transfer_need_reason'));
      const body = { team_id: Number(teamSelect.value), doctor_id: Number(doctor.value), reason: reason.value.trim() };
      if (cross.value.trim()) body.cross_grid_reason = cross.value.trim();
      return api.post(`/contracts/${c.id}/transfer`, body);
    },
  });
}

/* The history's reasons are codes (a channel at signing, renewal, transfer, an end
 * reason) or the words someone typed. */
function historyReason(reason) {
  if (!reason) return '';
  for (const kind of ['channel', 'end_reason', 'history_reason']) {
    const text = label(kind, reason);
    if (text !== reason) return text;
  }
  return reason;
}

function historyCard(c) {
  const items = c.history || [];
  const body = items.length
    ? h('ol', { class: 'timeline', 'data-testid': 'contract-history' }, items.slice().reverse().map((e) => h('li', { class: 'timeline-item', 'data-testid': 'history-item', 'data-to': e.to },
      h('div', { class: 'timeline-head' },
        h('span', { class: 'strong' }, formatDateTime(e.at)),
        h('span', { class: 'muted' }, e.by || t('contract.by_system'))),
      h('div', { class: 'history-change' },
        e.from ? [statusBadge('contract_status', e.from), h('span', { class: 'muted', 'aria-hidden': 'true' }, '→')] : null,
        statusBadge('contract_status', e.to)),
      e.reason ? h('p', { class: 'timeline-text' }, historyReason(e.reason)) : null)))
    : empty(t('app.none'));
  return card(t('contract.history'), body, { testid: 'card-history' });
}

function partiesCard(c, hospitals, renewal) {
  const hospitalName = (hid) => {
    if (!hid) return null;
    const found = hospitals.find((i) => i.id === hid);
    return found ? found.name : `#${hid}`;
  };
  return card(t('contract.parties'), facts([
    [t('contract.resident'), h('a', { href: `#/residents/${c.resident_id}`, class: 'strong-link', 'data-testid': 'contract-resident' }, c.resident_name)],
    [t('contract.team'), h('a', { href: `#/teams/${c.team_id}`, 'data-testid': 'contract-team' }, c.team_name)],
    [t('contract.doctor'), h('span', { class: 'strong', 'data-testid': 'contract-doctor' }, c.doctor_name)],
    [t('contract.channel'), label('channel', c.channel)],
    [t('contract.signed_at'), formatDateTime(c.signed_at)],
    c.district_hospital_id ? [t('sign.district_hospital'), hospitalName(c.district_hospital_id)] : null,
    c.city_hospital_id ? [t('sign.city_hospital'), hospitalName(c.city_hospital_id)] : null,
    c.cross_grid_reason ? [t('sign.cross_grid'), c.cross_grid_reason] : null,
    c.previous_id ? [t('contract.previous'), h('a', { href: `#/contracts/${c.previous_id}`, 'data-testid': 'contract-previous' }, `#${c.previous_id}`)] : null,
    renewal ? [t('contract.renewal'), h('a', { href: `#/contracts/${renewal.id}`, 'data-testid': 'contract-renewal' }, t('contract.renewal_link', { id: renewal.id, date: formatDate(renewal.start_date) }))] : null,
    c.ended_on ? [t('contract.ended_on'), formatDate(c.ended_on)] : null,
    c.end_reason ? [t('contract.end_reason'), label('end_reason', c.end_reason)] : null,
  ]), { testid: 'card-parties' });
}

function termStats(c) {
  const today = todayIso();
  const left = daysBetween(today, c.end_date);
  const total = daysBetween(c.start_date, c.end_date) + 1;
  const passed = Math.max(0, Math.min(total, daysBetween(c.start_date, today) + 1));
  let hint;
  if (c.status === 'scheduled') hint = t('contract.starts_in', { n: Math.max(0, daysBetween(today, c.start_date)) });
  else if (c.status !== 'active') hint = label('contract_status', c.status);
  else hint = left >= 0 ? t('contract.days_left', { n: left }) : t('contract.ended');
  const termFill = h('span', { class: 'bar-fill bar-good' });
  termFill.style.width = `${c.status === 'active' ? ((passed / total) * 100).toFixed(1) : c.status === 'scheduled' ? 0 : 100}%`;
  const f = c.fulfilment || { delivered: 0, entitled: 0, rate: null };
  const rateFill = h('span', { class: 'bar-fill bar-good' });
  rateFill.style.width = `${((f.rate || 0) * 100).toFixed(1)}%`;
  return h('div', { class: 'contract-stats' },
    h('div', { class: 'stat stat-term' },
      h('span', { class: 'stat-label' }, t('contract.term')),
      h('span', { class: 'stat-value stat-value-sm', 'data-testid': 'contract-term' }, `${formatDate(c.start_date)} — ${formatDate(c.end_date)}`),
      h('span', { class: 'bar stat-bar', 'aria-hidden': 'true' }, termFill),
      h('span', { class: 'stat-hint', 'data-testid': 'contract-days-left' }, hint)),
    h('div', { class: 'stat stat-fee' },
      h('span', { class: 'stat-label' }, t('contract.fee_total')),
      h('span', { class: 'stat-value', 'data-testid': 'contract-fee', 'data-fen': String(c.fee_fen) }, formatYuan(c.fee_fen)),
      h('span', { class: 'stat-hint' }, t('contract.packages_n', { n: c.packages.length }))),
    h('div', { class: 'stat stat-rate' },
      h('span', { class: 'stat-label' }, t('contract.fulfilment')),
      h('span', { class: 'stat-value', 'data-testid': 'fulfilment-rate' }, formatPercent(f.rate)),
      h('span', { class: 'bar stat-bar', 'aria-hidden': 'true' }, rateFill),
      h('span', { class: 'stat-hint', 'data-testid': 'fulfilment-count' }, t('contract.fulfilment_n', { done: f.delivered, total: f.entitled }))));
}

/* What is used, and below it how: recorded services, deliveries by hand, and what a
 * transfer carried over from the contract before (used without a delivery here). */
function usedCell(e) {
  const automatic = e.used_automatic || 0, manual = e.used_manual || 0;
  const carried = Math.max(0, e.used - automatic - manual);
  const parts = [];
  if (automatic) parts.push(t('contract.used_automatic', { n: automatic }));
  if (manual) parts.push(t('contract.used_manual', { n: manual }));
  if (carried) parts.push(t('contract.used_carried', { n: carried }));
  return h('span', { class: 'stack used-cell' },
    h('span', { 'data-testid': 'ent-used' }, String(e.used)),
    parts.length ? h('span', { class: 'muted small', 'data-testid': 'ent-used-split' }, parts.join(' · ')) : null);
}

/* Every delivery of the contract, newest first, with its source. */
function deliveriesCard(c) {
  const rows = (c.entitlements || []).flatMap((e) => (e.deliveries || []).map((d) => ({ ...d, entitlement: e })))
    .sort((a, b) => (a.delivered_on === b.delivered_on ? b.id - a.id : a.delivered_on < b.delivered_on ? 1 : -1));
  const cols = [
    { label: t('contract.col_date'), cls: 'col-date', render: (d) => formatDate(d.delivered_on) },
    {
      label: t('contract.col_service'),
      cls: 'col-name',
      render: (d) => h('span', { class: 'strong' }, packageName(d.entitlement)),
    },
    { label: t('contract.col_times'), cls: 'num', render: (d) => String(d.quantity) },
    {
      label: t('contract.col_source'),
      cls: 'col-source',
      render: (d) => (d.automatic
        ? h('span', { class: 'badge badge-ok', 'data-testid': 'delivery-source' },
          icon('check'), `${t('contract.source_automatic')} · ${label('delivery_source', d.source.kind)}`)
        : h('span', { class: 'badge badge-muted', 'data-testid': 'delivery-source' }, t('contract.source_manual'))),
    },
    { label: t('contract.col_by'), cls: 'col-by', render: (d) => d.staff_name || '' },
    { label: t('contract.col_note'), cls: 'col-note', render: (d) => (d.note ? h('span', { class: 'muted' }, d.note) : '') },
  ];
  const body = rows.length
    ? dataTable(cols, rows, { rowTestId: 'delivery-row', cls: 'delivery-table' })
    : empty(t('contract.no_deliveries'));
  for (const tr of body.querySelectorAll('tr[data-testid=delivery-row]')) {
    const d = rows.find((x) => String(x.id) === tr.dataset.id);
    tr.dataset.automatic = String(d.automatic);
    tr.dataset.service = d.entitlement.service;
    if (d.source) tr.dataset.sourceKind = d.source.kind;
  }
  return card(t('contract.deliveries'), [
    h('p', { class: 'muted small deliveries-help', 'data-testid': 'deliveries-help' }, t('contract.deliveries_help')), body,
  ], { testid: 'card-deliveries' });
}

function entitlementsCard(c, user, refresh) {
  const records = can(user, 'service.write') && c.status === 'active';
  const names = new Map(c.packages.map((p) => [p.code, packageName(p)]));
  const cols = [
    {
      label: t('contract.col_service'),
      cls: 'col-name',
      render: (e) => h('span', { class: 'stack' },
        h('span', { class: 'strong' }, packageName(e)),
        h('span', { class: 'muted small' }, names.get(e.package) || e.package)),
    },
    { label: t('contract.col_quantity'), cls: 'num col-q', render: (e) => h('span', { 'data-testid': 'ent-quantity' }, String(e.quantity)) },
    { label: t('contract.col_used'), cls: 'num col-u', render: usedCell },
    {
      label: t('contract.col_remaining'),
      cls: 'col-usage',
      render: (e) => h('span', { class: 'usage-cell' }, usageBar(e.used, e.quantity),
        h('span', { class: e.remaining ? 'usage-text' : 'usage-text muted', 'data-testid': 'ent-remaining' }, String(e.remaining))),
    },
  ];
  if (records) {
    cols.push({
      label: t('flags.col_actions'),
      cls: 'col-actions',
      render: (e) => h('span', { class: 'row-actions' }, h('button', {
        type: 'button', class: 'btn btn-ghost btn-small', 'data-testid': 'record-service', disabled: e.remaining <= 0,
        onclick: async () => {
          const updated = await deliveryDialog(c, e);
          if (updated) {
            toast(t('contract.service_recorded', { name: packageName(e) }));
            refresh();
          }
        },
      }, icon('check'), e.remaining > 0 ? t('contract.record_service') : t('contract.used_up'))),
    });
  }
  const rows = (c.entitlements || []).map((e) => ({ ...e }));
  const table = rows.length
    ? dataTable(cols, rows, { rowTestId: 'entitlement-row', cls: 'entitlement-table' })
    : empty(t('contract.no_entitlements'));
  for (const tr of table.querySelectorAll('tr[data-testid=entitlement-row]')) {
    const e = rows.find((x) => String(x.id) === tr.dataset.id);
    tr.dataset.service = e.service;
    tr.dataset.used = String(e.used);
    tr.dataset.remaining = String(e.remaining);
  }
  return card(t('contract.entitlements'), table, { testid: 'card-entitlements', cls: 'card-flush-body' });
}

function packagesCard(c) {
  const body = c.packages.length
    ? h('ul', { class: 'signed-packages', 'data-testid': 'contract-packages' }, c.packages.map((p) => h('li', { class: 'signed-package', 'data-code': p.code },
      h('span', { class: 'stack' },
        h('span', { class: 'strong' }, packageName(p)),
        h('span', { class: 'muted small mono' }, `${p.code} · v${p.version}`)),
      h('span', { class: 'signed-price' }, p.price_fen ? formatYuan(p.price_fen) : t('sign.free')))))
    : empty(t('app.none'));
  return card(t('contract.packages'), body, { testid: 'card-packages' });
}

function feeCard(c) {
  const body = c.shares && c.shares.length
    ? sharesBlock(c.fee_fen, c.shares, { testid: 'contract-share', totalTestid: 'contract-fee-total' })
    : h('p', { class: 'muted small', 'data-testid': 'no-shares' }, c.previous_id && c.fee_fen === 0 ? t('contract.no_fee_transfer') : t('app.none'));
  return card(t('contract.fee'), body, { testid: 'card-fee' });
}

export async function contractView(ctx) {
  const id = Number(ctx.params[0]);
  const user = ctx.user;
  const c = await api.get(`/contracts/${id}`);
  ctx.setTitle(t('contract.title', { name: c.resident_name }));
  const writes = can(user, 'contract.write');
  const needsHospitals = (c.district_hospital_id || c.city_hospital_id) && can(user, 'institution.read');
  const [hospitals, scheduled] = await Promise.all([
    needsHospitals ? api.get('/institutions').then((d) => d.items || []).catch(() => []) : [],
    /* Is there a renewal waiting? The list has no resident filter; scheduled contracts
     * (of the team, when it is the caller's) name what they renew in previous_id. */
    writes && c.status === 'active'
      ? api.get('/contracts', {
        team: (user.teams || []).includes(c.team_id) ? c.team_id : null, status: 'scheduled', limit: 500,
      }).then((d) => d.items || []).catch(() => [])
      : [],
  ]);
  const renewal = scheduled.find((x) => x.previous_id === c.id) || null;
  const refresh = () => ctx.rerender();

  const actions = [
    h('a', { href: `#/contracts/${c.id}/agreement`, class: 'btn btn-secondary', 'data-testid': 'print-agreement' }, icon('print'), t('contract.print')),
  ];
  /* Renewal is offered in the last 90 days of a term (the renewal list's longest
   * window; the server would take it any time) or within 90 days after it expired. */
  const endsIn = daysBetween(todayIso(), c.end_date);
  const dueRenewal = c.status === 'active' && !renewal && endsIn <= RENEW_WINDOW;
  const lateRenewal = c.status === 'expired' && -endsIn <= 90;
  if (writes && (dueRenewal || lateRenewal)) {
    actions.push(h('button', {
      type: 'button', class: 'btn btn-primary', 'data-testid': 'contract-renew',
      onclick: async () => {
        const next = await renewDialog(c);
        if (next) {
          toast(t('contract.renewed', { date: formatDate(next.start_date) }));
          location.hash = `#/contracts/${next.id}`;
        }
      },
    }, icon('renew'), t('contract.renew')));
  }
  if (writes && c.status === 'active') {
    actions.push(h('button', {
      type: 'button', class: 'btn btn-ghost', 'data-testid': 'contract-transfer',
      onclick: async () => {
        const moved = await transferDialog(c);
        if (moved) {
          toast(t('contract.transferred'));
          location.hash = `#/contracts/${moved.id}`;
        }
      },
    }, icon('transfer'), t('contract.transfer')));
  }
  if (writes && (c.status === 'active' || c.status === 'scheduled')) {
    actions.push(h('button', {
      type: 'button', class: 'btn btn-ghost btn-danger-text', 'data-testid': 'contract-terminate',
      onclick: async () => {
        if (await terminateDialog(c)) {
          toast(t('contract.terminated'));
          refresh();
        }
      },
    }, icon('close'), t('contract.terminate')));
  }

  const subtitle = h('span', { class: 'resident-sub' },
    statusBadge('contract_status', c.status, 'contract-status'),
    h('span', { class: 'muted' }, t('contract.number', { id: c.id })),
    h('span', { class: 'sub-group' },
      h('span', null, c.team_name),
      h('span', { class: 'dot' }, '·'),
      h('span', null, t('contract.doctor_short', { name: c.doctor_name }))));
  const back = { href: `#/residents/${c.resident_id}`, text: t('contract.back_resident') };
  const header = pageHeader(t('contract.title', { name: c.resident_name }), { back, actions });
  header.querySelector('.page-title-block').appendChild(h('p', { class: 'page-subtitle' }, subtitle));

  const notices = [];
  if (renewal) {
    notices.push(h('div', { class: 'notice-bar', 'data-testid': 'renewal-notice' }, icon('renew'),
      h('span', null, t('contract.renewal_notice', { date: formatDate(renewal.start_date) })),
      h('a', { href: `#/contracts/${renewal.id}` }, t('contract.open_renewal'))));
  }

  return h('div', { class: 'page contract-page', 'data-testid': 'contract-page', 'data-id': c.id, 'data-status': c.status },
    header,
    notices,
    termStats(c),
    h('div', { class: 'two-col' },
      h('div', { class: 'col-main' }, entitlementsCard(c, user, refresh), deliveriesCard(c), packagesCard(c)),
      h('div', { class: 'col-side' }, partiesCard(c, hospitals, renewal), feeCard(c), historyCard(c))));
}
