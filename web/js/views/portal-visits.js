/* portal-visits.js - 预约: ask the family-doctor team for a visit - at the clinic, at home,
 * or a specialist through the team - on a preferred day, morning or afternoon, and see
 * each request's state (requested, confirmed with the day, done, cancelled).
 *
 * POST /api/v1/residents/{id}/visit-requests {kind, preferred_date, preferred_time, reason}
 * → 201 {id, status, priority}; GET /api/v1/residents/{id}/visit-requests;
 * POST /api/v1/visit-requests/{id}/cancel while it is requested or confirmed. */
import { api } from '../api.js';
import { h, icon, toast, formDialog } from '../dom.js';
import { t, label } from '../i18n.js';
import { addDaysIso, todayIso, formatDate } from '../format.js';
import {
  personOf, soft, memberName, portalPage, kindEmpty, refusalText, refreshUnread,
} from './portal-common.js';

const KINDS = ['home', 'clinic', 'specialist'];
const KIND_ICONS = { home: 'home', clinic: 'cross', specialist: 'transfer' };
const listOf = (data) => (Array.isArray(data) ? data : (data && data.items) || []);

/* Large radio cards: one choice per row, the whole row a target. */
function choices(name, options, selected, testid, cls = '') {
  return h('div', { class: `portal-choices ${cls}`, role: 'radiogroup' }, options.map((o) => h('label', { class: 'portal-choice', 'data-testid': `${testid}-${o.value}` },
    h('input', { type: 'radio', name, value: o.value, checked: o.value === selected }),
    o.icon ? h('span', { class: 'portal-choice-icon', 'aria-hidden': 'true' }, icon(o.icon)) : null,
    h('span', { class: 'portal-choice-text' }, h('span', { class: 'portal-choice-title' }, o.text), o.hint ? h('span', { class: 'portal-choice-hint' }, o.hint) : null))));
}

function picked(form, name) {
  const el = form.querySelector(`input[name=${name}]:checked`);
  return el ? el.value : null;
}

function requestForm(ctx, id) {
  const today = todayIso();
  const date = h('input', {
    type: 'date', class: 'input', id: 'visit-date', 'data-testid': 'visit-date', value: addDaysIso(today, 1), min: today, max: addDaysIso(today, 90),
  });
  const reason = h('textarea', { class: 'input textarea', id: 'visit-reason', rows: '3', maxlength: '500', 'data-testid': 'visit-reason' });
  const errorHost = h('div', { 'aria-live': 'assertive', 'data-testid': 'visit-error' });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary btn-block', 'data-testid': 'visit-submit' }, icon('calendar'), t('portal.visit_submit'));
  const form = h('form', { class: 'portal-form', novalidate: true },
    h('fieldset', { class: 'portal-fieldset' }, h('legend', { class: 'field-label' }, t('portal.visit_kind')),
      choices('visit-kind', KINDS.map((k) => ({ value: k, text: label('visit_kind', k), hint: t(`portal.visit_kind_hint.${k}`), icon: KIND_ICONS[k] })), 'home', 'visit-kind')),
    h('div', { class: 'field' }, h('label', { class: 'field-label', for: 'visit-date' }, t('portal.visit_date')), date),
    h('fieldset', { class: 'portal-fieldset' }, h('legend', { class: 'field-label' }, t('portal.visit_time')),
      choices('visit-time', [
        { value: 'am', text: label('visit_time', 'am') }, { value: 'pm', text: label('visit_time', 'pm') },
      ], 'am', 'visit-time', 'portal-choices-row')),
    h('div', { class: 'field' }, h('label', { class: 'field-label', for: 'visit-reason' }, t('portal.visit_reason')), reason,
      h('p', { class: 'field-help' }, t('portal.visit_reason_help'))),
    errorHost, submit);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    errorHost.replaceChildren();
    const body = {
      kind: picked(form, 'visit-kind'), preferred_date: date.value, preferred_time: picked(form, 'visit-time'),
    };
    if (reason.value.trim()) body.reason = reason.value.trim();
    if (!body.preferred_date || body.preferred_date < today) {
      errorHost.append(h('div', { class: 'alert alert-error', role: 'alert' }, t('portal.visit_need_date')));
      return;
    }
    submit.disabled = true;
    try {
      const made = await api.post(`/residents/${id}/visit-requests`, body);
      toast(made && made.priority === 'high' ? t('portal.visit_sent_high') : t('portal.visit_sent'));
      ctx.rerender();
    } catch (error) {
      if (!ctx.alive()) return;
      errorHost.append(h('div', { class: 'alert alert-error', role: 'alert' }, refusalText(error)));
      submit.disabled = false;
    }
  });
  return h('section', { class: 'card portal-card', 'data-testid': 'visit-form' },
    h('header', { class: 'card-header' }, h('h2', { class: 'card-title' }, t('portal.visit_new'))),
    h('div', { class: 'card-body' }, form));
}

function when(v) {
  const date = v.confirmed_date || v.date || v.preferred_date;
  const time = v.confirmed_time || v.time || v.preferred_time;
  return `${formatDate(date)} ${time ? label('visit_time', time) : ''}`.trim();
}

function requestItem(ctx, v) {
  const cancel = v.status === 'requested' || v.status === 'confirmed' ? h('button', {
    type: 'button', class: 'btn btn-ghost btn-block', 'data-testid': 'visit-cancel',
    onclick: async () => {
      const done = await formDialog({
        title: t('portal.visit_cancel_title'), help: `${label('visit_kind', v.kind)} · ${when(v)}`, fields: [],
        submitLabel: t('portal.visit_cancel'), danger: true, testid: 'visit-cancel-dialog',
        onSubmit: () => api.post(`/visit-requests/${v.id}/cancel`, {}).then(() => true).catch((error) => {
          throw Object.assign(new Error(refusalText(error)), { localMessage: refusalText(error) });
        }),
      });
      if (done) ctx.rerender();
    },
  }, t('portal.visit_cancel')) : null;
  const confirmed = v.status === 'confirmed';
  return h('li', { class: 'portal-visit', 'data-testid': 'visit-item', 'data-id': v.id, 'data-kind': v.kind, 'data-status': v.status },
    h('div', { class: 'portal-visit-head' },
      h('span', { class: 'portal-visit-kind' }, icon(KIND_ICONS[v.kind] || 'calendar'), label('visit_kind', v.kind)),
      h('span', { class: `portal-status portal-status-${v.status}`, 'data-testid': 'visit-status' }, label('visit_status', v.status))),
    h('p', { class: 'portal-visit-when' }, confirmed ? t('portal.visit_confirmed_on', { when: when(v) }) : t('portal.visit_preferred', { when: when(v) })),
    v.priority === 'high' && v.status === 'requested' ? h('p', { class: 'portal-help', 'data-testid': 'visit-priority' }, t('portal.visit_priority_high')) : null,
    v.hospital_name || v.department_name ? h('p', { class: 'portal-visit-reason' }, [v.hospital_name, v.department_name].filter(Boolean).join(' · ')) : null,
    v.reason ? h('p', { class: 'portal-visit-reason' }, v.reason) : null,
    v.staff_name || v.doctor_name ? h('p', { class: 'portal-help' }, t('portal.by_doctor', { name: v.staff_name || v.doctor_name })) : null,
    cancel);
}

export async function visitsView(ctx) {
  const id = personOf(ctx);
  const [data, member] = await Promise.all([soft(api.get(`/residents/${id}/visit-requests`)), memberName(ctx)]);
  refreshUnread(id);
  const items = listOf(data);
  const open = items.filter((v) => v.status === 'requested' || v.status === 'confirmed');
  const past = items.filter((v) => !open.includes(v));
  const list = (rows, testid) => h('ul', { class: 'portal-visits', 'data-testid': testid }, rows.map((v) => requestItem(ctx, v)));
  return portalPage(ctx, { title: t('portal.visits_title'), lead: t('portal.visits_lead'), testid: 'portal-visits-page', member },
    open.length ? h('section', { class: 'card portal-card' },
      h('header', { class: 'card-header' }, h('h2', { class: 'card-title' }, t('portal.visits_open'))),
      h('div', { class: 'card-body' }, list(open, 'visit-list'))) : null,
    requestForm(ctx, id),
    h('section', { class: 'card portal-card' },
      h('header', { class: 'card-header' }, h('h2', { class: 'card-title' }, t('portal.visits_past'))),
      h('div', { class: 'card-body' }, past.length ? list(past, 'visit-past') : kindEmpty(t(items.length ? 'portal.visits_past_none' : 'portal.visits_none'), 'visits-none'))));
}
