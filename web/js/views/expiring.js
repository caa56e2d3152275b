/* expiring.js - the renewal work list (即将到期): active contracts of my team (or my own,
 * or everything in scope) whose term ends within 30, 60 or 90 days, soonest first, with
 * a one-click renewal (续约) on each line. A contract that already has its renewal
 * waiting says so and links to it instead. */
import { api, errorText } from '../api.js';
import { h, icon, pageHeader, card, pagedResults, statusBadge, empty, toast, clear, downloadLinks } from '../dom.js';
import { t } from '../i18n.js';
import { daysBetween, formatDate, formatYuan, todayIso } from '../format.js';
import { renewalPrice } from '../packages.js';
import { confirmRenewalFee } from './contract.js';

const WINDOWS = [30, 60, 90];
const PAGE = 50;

function scopeFrom(ctx) {
  const team = ctx.query.get('team');
  const doctor = ctx.query.get('doctor');
  if (team) return { team };
  if (doctor) return { doctor };
  if (ctx.query.get('scope') === 'all') return {};
  const teams = ctx.user.teams || [];
  if (teams.length) return { team: String(teams[0]) };
  return {};
}

function hashFor(scope, within) {
  const p = new URLSearchParams();
  if (scope.team) p.set('team', scope.team);
  else if (scope.doctor) p.set('doctor', scope.doctor);
  else p.set('scope', 'all');
  p.set('within', String(within));
  return `#/contracts/expiring?${p.toString()}`;
}

/* The cell that renews: a button, then the renewal it made (or why it could not). */
function renewCell(c, renewed) {
  const host = h('span', { class: 'renew-cell', 'data-testid': 'renew-cell' });
  const showDone = (next, fresh) => {
    clear(host);
    host.appendChild(h('a', {
      href: `#/contracts/${next.id}`, class: `renewed${fresh ? ' renewed-fresh' : ''}`, 'data-testid': 'renewed-link', 'data-id': next.id,
    }, icon('check', 'icon renewed-icon'), h('span', null, t('expiring.renewed', { date: formatDate(next.start_date) }))));
  };
  if (renewed) {
    showDone(renewed, false);
    return host;
  }
  const button = h('button', { type: 'button', class: 'btn btn-primary btn-small', 'data-testid': 'renew-button' }, icon('renew'), t('contract.renew'));
  button.addEventListener('click', async () => {
    button.disabled = true;
    const old = host.querySelector('.renew-error');
    if (old) old.remove();
    try {
      /* Renewing the same packages: when the resident has something to pay, show the fee
       * and ask first (issue 14); a free renewal needs no extra step. */
      const full = await api.get(`/contracts/${c.id}`);
      const price = await renewalPrice((full.packages || []).map((p) => p.code)).catch(() => null);
      const renew = () => api.post(`/contracts/${c.id}/renew`, {});
      const next = price && price.resident_fen > 0 ? await confirmRenewalFee(full, price, renew) : await renew();
      if (!next) {
        button.disabled = false;
        return;
      }
      showDone(next, true);
      toast(t('expiring.renewed_toast', { name: c.resident_name, date: formatDate(next.start_date) }), 'success', { href: `#/contracts/${next.id}`, text: t('expiring.open') });
    } catch (error) {
      button.disabled = false;
      host.appendChild(h('span', { class: 'renew-error', 'data-testid': 'renew-error', role: 'alert' }, errorText(error)));
      toast(errorText(error), 'error');
    }
  });
  host.appendChild(button);
  return host;
}

export async function expiringView(ctx) {
  ctx.setTitle(t('expiring.title'));
  const user = ctx.user;
  const scope = scopeFrom(ctx);
  const within = WINDOWS.includes(Number(ctx.query.get('within'))) ? Number(ctx.query.get('within')) : 30;
  const query = { ...scope, status: 'active', expiring_within: within, limit: PAGE };
  const teamIds = user.teams || [];
  const [data, scheduled, teams] = await Promise.all([
    api.get('/contracts', query),
    /* Renewals already waiting, to mark the contracts they renew. */
    api.get('/contracts', { ...scope, status: 'scheduled', limit: 500 }).then((d) => d.items || []).catch(() => []),
    Promise.all(teamIds.map((tid) => api.get(`/teams/${tid}`).catch(() => ({ id: tid, name: null })))),
  ]);
  const renewals = new Map(scheduled.filter((x) => x.previous_id).map((x) => [x.previous_id, x]));

  const options = [];
  for (const tm of teams) options.push({ value: `team:${tm.id}`, text: tm.name ? t('worklist.scope_team', { name: tm.name }) : t('worklist.scope_team_id', { id: tm.id }) });
  if (user.staff_id) options.push({ value: 'doctor:me', text: t('expiring.scope_me') });
  options.push({ value: 'all', text: t('worklist.scope_all') });
  const current = scope.team ? `team:${scope.team}` : scope.doctor ? `doctor:${scope.doctor}` : 'all';
  if (!options.some((o) => o.value === current)) {
    options.unshift({ value: current, text: scope.team ? t('worklist.scope_team_id', { id: scope.team }) : t('worklist.scope_doctor', { id: scope.doctor }) });
  }
  const select = h('select', { class: 'input select', 'data-testid': 'expiring-scope', 'aria-label': t('expiring.scope') },
    options.map((o) => h('option', { value: o.value, selected: o.value === current }, o.text)));
  select.addEventListener('change', () => {
    const [kind, value] = select.value.split(':');
    location.hash = hashFor(kind === 'team' ? { team: value } : kind === 'doctor' ? { doctor: value } : {}, within);
  });

  const tabs = h('div', { class: 'tabs', role: 'tablist' }, WINDOWS.map((n) => h('a', {
    href: hashFor(scope, n), role: 'tab', class: `tab${n === within ? ' active' : ''}`,
    'aria-selected': n === within ? 'true' : 'false', 'data-testid': `expiring-tab-${n}`,
  }, t('expiring.within', { n }), n === within ? h('span', { class: 'tab-count', 'data-testid': 'expiring-count' }, String(data.total)) : null)));

  const page = h('div', { class: 'page', 'data-testid': 'expiring-page', 'data-within': within },
    pageHeader(t('expiring.title'), { subtitle: t('expiring.subtitle', { date: todayIso(), n: within }), actions: [select, ...downloadLinks('/contracts', query, 'expiring-export')] }),
    tabs);

  if (!data.items.length) {
    page.appendChild(card(null, empty(t('expiring.empty', { n: within }), 'expiring-empty')));
    return page;
  }
  const today = todayIso();
  const cols = [
    {
      label: t('expiring.col_resident'),
      cls: 'col-name',
      render: (c) => h('span', { class: 'stack' },
        h('a', { href: `#/residents/${c.resident_id}`, class: 'strong-link', 'data-testid': 'expiring-resident' }, c.resident_name || `#${c.resident_id}`),
        h('a', { href: `#/contracts/${c.id}`, class: 'muted small', 'data-testid': 'expiring-contract' }, t('contract.number', { id: c.id }))),
    },
    {
      label: t('expiring.col_end'),
      cls: 'nowrap',
      render: (c) => {
        const left = daysBetween(today, c.end_date);
        return h('span', { class: 'stack' },
          h('span', { class: 'strong' }, formatDate(c.end_date)),
          h('span', { class: left <= 7 ? 'days-left days-urgent' : 'days-left' }, left >= 0 ? t('expiring.days', { n: left }) : t('contract.ended')));
      },
    },
    {
      label: t('expiring.col_team'),
      render: (c) => h('span', { class: 'stack' }, h('span', null, c.doctor_name), h('span', { class: 'muted small' }, c.team_name)),
    },
    { label: t('expiring.col_fee'), cls: 'num', render: (c) => formatYuan(c.fee_fen) },
    { label: t('expiring.col_status'), render: (c) => statusBadge('contract_status', c.status) },
    { label: t('expiring.col_action'), cls: 'col-actions', render: (c) => renewCell(c, renewals.get(c.id)) },
  ];
  page.appendChild(pagedResults(cols, data, {
    rowTestId: 'expiring-row', rowHref: (c) => `#/contracts/${c.id}`, fetchPage: (cursor) => api.get('/contracts', { ...query, cursor }),
  }));
  return page;
}
