/* portal-contract.js - 签约: the resident's family-doctor contract in plain words - the
 * team and doctor, how long it still runs, each service of the packages with what is used
 * and what is left - and what they may do with it themselves: renew it (from 90 days before
 * it ends), end it, and, without a contract, sign one online with the team serving their
 * village. A proxy sees a member's contract; signing is for the person themself (the
 * server allows a resident to sign online only for their own record).
 *
 * GET /api/v1/residents/{id}/contract (404: none), GET /api/v1/contracts/{renewed_by},
 * POST /api/v1/contracts/{id}/renew {channel:"online"}, POST /api/v1/contracts/{id}/terminate
 * {reason, note}, POST /api/v1/contracts {resident_id, team_id, doctor_id, packages,
 * start_date, channel:"online"}; GET /api/v1/residents/{id}, /teams/{id}, /packages?team=. */
import { api } from '../api.js';
import { enumerations } from '../enumerations.js';
import { h, icon, toast, formDialog, localError, checkbox } from '../dom.js';
import { t, label } from '../i18n.js';
import { daysBetween, formatDate, formatYuan, todayIso } from '../format.js';
import { packageName, ineligibility } from '../packages.js';
import {
  personOf, portalHref, soft, memberName, portalPage, kindEmpty, refusalText, refreshUnread,
} from './portal-common.js';

const RENEW_WINDOW = 90;
/* Of the server's end reasons, those a resident gives for themself (a death or a doctor
 * leaving is recorded by the team). */
const RESIDENT_REASONS = new Set(['resident_request', 'moved_away', 'other']);

function termCard(c) {
  const today = todayIso();
  const left = daysBetween(today, c.end_date);
  const total = Math.max(1, daysBetween(c.start_date, c.end_date) + 1);
  const passed = Math.max(0, Math.min(total, daysBetween(c.start_date, today) + 1));
  const fill = h('span', { class: 'bar-fill bar-good' });
  fill.style.width = `${c.status === 'active' ? ((passed / total) * 100).toFixed(1) : 0}%`;
  const status = c.status === 'scheduled'
    ? t('portal.contract_starts', { date: formatDate(c.start_date) })
    : t('portal.contract_days_left', { n: Math.max(0, left), date: formatDate(c.end_date) });
  return h('section', { class: 'card portal-card portal-contract-term', 'data-testid': 'portal-contract-term', 'data-status': c.status },
    h('div', { class: 'card-body' },
      h('p', { class: 'portal-doctor-name', 'data-testid': 'portal-contract-doctor' }, t('portal.contract_doctor', { name: c.doctor_name })),
      h('p', { class: 'portal-doctor-team' }, c.team_name),
      h('p', { class: 'portal-contract-left', 'data-testid': 'portal-contract-left' }, status),
      h('span', { class: 'bar portal-term-bar', 'aria-hidden': 'true' }, fill),
      h('p', { class: 'portal-when' }, t('portal.contract_term', { from: formatDate(c.start_date), to: formatDate(c.end_date) })),
      (c.packages || []).length ? h('ul', { class: 'portal-chips', 'data-testid': 'portal-contract-packages' },
        c.packages.map((p) => h('li', { class: 'portal-chip' }, typeof p === 'string' ? p : packageName(p)))) : null));
}

/* Each service with what is used and left, largest first the ones still to come. */
function entitlementsCard(c) {
  const rows = c.entitlements || [];
  const f = c.fulfilment || null;
  const body = rows.length
    ? h('ul', { class: 'portal-entitlements', 'data-testid': 'portal-entitlements' }, rows.map((e) => {
      const pct = e.quantity ? Math.min(1, e.used / e.quantity) * 100 : 0;
      const fill = h('span', { class: `bar-fill ${pct >= 100 ? 'bar-done' : 'bar-good'}` });
      fill.style.width = `${pct.toFixed(1)}%`;
      return h('li', { class: 'portal-entitlement', 'data-testid': 'portal-entitlement', 'data-remaining': e.remaining },
        h('div', { class: 'portal-entitlement-head' },
          h('span', { class: 'portal-entitlement-name' }, packageName(e)),
          h('span', { class: e.remaining ? 'portal-entitlement-left' : 'portal-entitlement-left is-done' },
            e.remaining ? t('portal.contract_left_n', { n: e.remaining }) : t('portal.contract_used_up'))),
        h('span', { class: 'bar portal-term-bar', role: 'img', 'aria-label': t('portal.contract_used_of', { used: e.used, total: e.quantity }) }, fill),
        h('p', { class: 'portal-when' }, t('portal.contract_used_of', { used: e.used, total: e.quantity })));
    }))
    : kindEmpty(t('portal.contract_no_services'), 'portal-entitlements-none');
  return h('section', { class: 'card portal-card', 'data-testid': 'portal-contract-services' },
    h('header', { class: 'card-header' }, h('h2', { class: 'card-title' }, t('portal.contract_services'))),
    h('div', { class: 'card-body' },
      f && f.entitled ? h('p', { class: 'portal-help', 'data-testid': 'portal-contract-fulfilment' }, t('portal.contract_fulfilment', { done: f.delivered, total: f.entitled })) : null,
      body));
}

function renewDialog(c) {
  return formDialog({
    title: t('portal.contract_renew_title'),
    help: t('portal.contract_renew_help', { date: formatDate(c.end_date) }),
    fields: [],
    submitLabel: t('portal.contract_renew'),
    testid: 'portal-renew-dialog',
    onSubmit: () => api.post(`/contracts/${c.id}/renew`, { channel: 'online' }).catch((error) => { throw localError(refusalText(error)); }),
  });
}

async function endDialog(c) {
  const reasons = (await enumerations()).contract_end_reasons.filter((r) => RESIDENT_REASONS.has(r));
  const reason = h('div', { class: 'portal-choices', role: 'radiogroup' }, reasons.map((code, i) => h('label', { class: 'portal-choice', 'data-testid': `portal-end-${code}` },
    h('input', { type: 'radio', name: 'end-reason', value: code, checked: i === 0 }),
    h('span', { class: 'portal-choice-text' }, h('span', { class: 'portal-choice-title' }, label('end_reason', code))))));
  const note = h('textarea', { class: 'input textarea', rows: '2', maxlength: '500', 'data-testid': 'portal-end-note', 'aria-label': t('portal.contract_end_note') });
  return formDialog({
    title: t('portal.contract_end_title'),
    help: t('portal.contract_end_help'),
    fields: [reason, h('div', { class: 'field' }, h('span', { class: 'field-label' }, t('portal.contract_end_note')), note)],
    submitLabel: t('portal.contract_end'),
    danger: true,
    testid: 'portal-end-dialog',
    onSubmit: (form) => {
      const body = { reason: form.querySelector('input[name=end-reason]:checked').value };
      if (note.value.trim()) body.note = note.value.trim();
      return api.post(`/contracts/${c.id}/terminate`, body).catch((error) => { throw localError(refusalText(error)); });
    },
  });
}

async function actionsCard(ctx, c) {
  const today = todayIso();
  const left = daysBetween(today, c.end_date);
  const parts = [];
  if (c.renewed_by) {
    const next = await soft(api.get(`/contracts/${c.renewed_by}`)).catch(() => null);
    parts.push(h('p', { class: 'portal-callout tone-good', 'data-testid': 'portal-contract-renewed' },
      next ? t('portal.contract_renewed_from', { date: formatDate(next.start_date) }) : t('portal.contract_renewed')));
  } else if (c.status === 'active' && left <= RENEW_WINDOW) {
    parts.push(h('button', {
      type: 'button', class: 'btn btn-primary btn-block', 'data-testid': 'portal-renew',
      onclick: async () => {
        if (await renewDialog(c)) {
          toast(t('portal.contract_renewed'));
          ctx.rerender();
        }
      },
    }, icon('renew'), t('portal.contract_renew')));
  } else if (c.status === 'active') {
    parts.push(h('p', { class: 'portal-help', 'data-testid': 'portal-renew-later' }, t('portal.contract_renew_later', { n: left - RENEW_WINDOW })));
  }
  parts.push(h('a', { class: 'btn btn-secondary btn-block', href: `/api/v1/contracts/${c.id}/agreement.pdf`, target: '_blank', rel: 'noopener', 'data-testid': 'portal-agreement' }, icon('download'), t('portal.contract_agreement')));
  parts.push(h('button', {
    type: 'button', class: 'btn btn-ghost btn-block portal-danger-text', 'data-testid': 'portal-end',
    onclick: async () => {
      if (await endDialog(c)) {
        toast(t('portal.contract_ended'));
        ctx.rerender();
      }
    },
  }, t('portal.contract_end')));
  return h('section', { class: 'card portal-card', 'data-testid': 'portal-contract-actions' },
    h('div', { class: 'card-body portal-actions' }, parts));
}

/* No contract: sign online with the team serving the village, its responsible doctor, the
 * packages the person may sign (the free basic one chosen). */
async function signCard(ctx, id, self) {
  if (!self) return kindEmpty(t('portal.contract_member_none'), 'portal-contract-none');
  const r = await api.get(`/residents/${id}`);
  const teamRef = (r.teams || [])[0];
  if (!teamRef) return kindEmpty(t('portal.contract_no_team'), 'portal-contract-none');
  const today = todayIso();
  const [team, list] = await Promise.all([
    api.get(`/teams/${teamRef.id}`),
    api.get('/packages', { team: teamRef.id }).then((d) => d.items || []).catch(() => []),
  ]);
  const offer = list.filter((p) => !ineligibility(p, r, today));
  const doctor = (team.members || []).find((m) => m.id === team.doctor_id) || null;
  const boxes = offer.map((p) => checkbox(`${packageName(p)} · ${p.price_fen ? formatYuan(p.price_fen) : t('sign.free')}`, {
    value: p.code, checked: p.code === 'BASIC', 'data-testid': 'portal-sign-package', 'data-code': p.code,
  }));
  const errorHost = h('div', { 'aria-live': 'assertive', 'data-testid': 'portal-sign-error' });
  const submit = h('button', { type: 'button', class: 'btn btn-primary btn-block', 'data-testid': 'portal-sign' }, icon('pen'), t('portal.contract_sign'));
  submit.addEventListener('click', async () => {
    errorHost.replaceChildren();
    const codes = boxes.map((b) => b.querySelector('input')).filter((i) => i.checked).map((i) => i.value);
    if (!codes.length) {
      errorHost.append(h('div', { class: 'alert alert-error', role: 'alert' }, t('sign.choose_package')));
      return;
    }
    submit.disabled = true;
    try {
      await api.post('/contracts', {
        resident_id: id, team_id: team.id, doctor_id: team.doctor_id, packages: codes, start_date: today, channel: 'online',
      });
      toast(t('portal.contract_signed'));
      ctx.rerender();
    } catch (error) {
      if (!ctx.alive()) return;
      errorHost.append(h('div', { class: 'alert alert-error', role: 'alert' }, refusalText(error)));
      submit.disabled = false;
    }
  });
  return h('section', { class: 'card portal-card', 'data-testid': 'portal-sign-card' },
    h('header', { class: 'card-header' }, h('h2', { class: 'card-title' }, t('portal.contract_sign_title'))),
    h('div', { class: 'card-body' },
      h('p', { class: 'portal-help' }, t('portal.contract_sign_help')),
      h('p', { class: 'portal-doctor-name', 'data-testid': 'portal-sign-team' }, team.name),
      doctor ? h('p', { class: 'portal-doctor-team' }, t('portal.contract_doctor', { name: doctor.name })) : null,
      h('div', { class: 'checks checks-column portal-checks' }, boxes),
      errorHost, submit));
}

export async function portalContractView(ctx) {
  const id = personOf(ctx);
  const self = id === ctx.user.resident_id;
  const [c, member] = await Promise.all([soft(api.get(`/residents/${id}/contract`)), memberName(ctx)]);
  refreshUnread(id);
  const frame = { title: t('portal.contract_title'), testid: 'portal-contract-page', member, back: { href: portalHref(id, 'me'), text: t('portal.me_back') } };
  if (!c) {
    return portalPage(ctx, { ...frame, lead: t('portal.contract_none') }, await signCard(ctx, id, self));
  }
  return portalPage(ctx, frame, termCard(c), entitlementsCard(c), await actionsCard(ctx, c));
}
