/* portal-consult.js - 咨询: ask the family-doctor team a question and read their answers.
 * The list of the resident's questions (open, answered, closed), a box to ask a new one,
 * and a thread with the replies in a conversation and a box to write back.
 *
 * GET/POST /api/v1/residents/{id}/consultations ({subject, body} → 201; 422 not_signed
 * without an active contract), GET /api/v1/consultations/{id} (the thread),
 * POST /api/v1/consultations/{id}/messages {body} → 201. */
import { api } from '../api.js';
import { h, icon, toast } from '../dom.js';
import { t, label } from '../i18n.js';
import {
  personOf, portalHref, soft, memberName, portalPage, kindEmpty, refusalText, refreshUnread, whenText,
} from './portal-common.js';

const listOf = (data) => (Array.isArray(data) ? data : (data && data.items) || []);
const at = (x) => x.last_message_at || x.at || x.created_at || x.sent_at || '';

/* Who wrote a message: the team (a doctor's reply) or the resident. */
function fromTeam(m) {
  const who = m.from || m.author_kind || m.author_role || m.sender || m.role || '';
  if (who) return !['resident', 'self', 'patient'].includes(who);
  return Boolean(m.staff_id || m.staff_name);
}

function statusChip(status) {
  return h('span', { class: `portal-status portal-status-${status}`, 'data-testid': 'consult-status', 'data-status': status },
    label('portal_consultation_status', status));
}

/* The ask form: subject and question, large. */
function askForm(ctx, id) {
  const errorHost = h('div', { 'aria-live': 'assertive', 'data-testid': 'consult-error' });
  const subject = h('input', { type: 'text', class: 'input', maxlength: '100', 'data-testid': 'consult-subject', id: 'consult-subject' });
  const body = h('textarea', { class: 'input textarea', rows: '4', maxlength: '2000', 'data-testid': 'consult-body', id: 'consult-body' });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary btn-block', 'data-testid': 'consult-submit' }, icon('chat'), t('portal.consult_send'));
  const form = h('form', { class: 'portal-form', novalidate: true },
    h('div', { class: 'field' }, h('label', { class: 'field-label', for: 'consult-subject' }, t('portal.consult_subject')), subject),
    h('div', { class: 'field' }, h('label', { class: 'field-label', for: 'consult-body' }, t('portal.consult_body')), body),
    errorHost, submit);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    errorHost.replaceChildren();
    if (!body.value.trim()) {
      errorHost.append(h('div', { class: 'alert alert-error', role: 'alert' }, t('portal.consult_need_body')));
      return;
    }
    submit.disabled = true;
    try {
      const made = await api.post(`/residents/${id}/consultations`, {
        subject: subject.value.trim() || body.value.trim().slice(0, 20), body: body.value.trim(),
      });
      toast(t('portal.consult_sent'));
      if (made && made.id) location.hash = portalHref(id, `consult/${made.id}`);
      else ctx.rerender();
    } catch (error) {
      if (!ctx.alive()) return;
      errorHost.append(h('div', { class: 'alert alert-error', role: 'alert' }, refusalText(error),
        error.code === 'not_signed' ? h('a', { class: 'alert-link', href: portalHref(id, 'contract') }, ` ${t('portal.contract_open')}`) : null));
      submit.disabled = false;
    }
  });
  return h('section', { class: 'card portal-card', 'data-testid': 'consult-ask' },
    h('header', { class: 'card-header' }, h('h2', { class: 'card-title' }, t('portal.consult_ask_title'))),
    h('div', { class: 'card-body' }, h('p', { class: 'portal-help' }, t('portal.consult_ask_help')), form));
}

export async function consultationsView(ctx) {
  const id = personOf(ctx);
  const [data, member] = await Promise.all([soft(api.get(`/residents/${id}/consultations`)), memberName(ctx)]);
  refreshUnread(id);
  const items = listOf(data).slice().sort((a, b) => (at(a) < at(b) ? 1 : at(a) > at(b) ? -1 : 0));
  const list = items.length
    ? h('ul', { class: 'portal-messages', 'data-testid': 'consult-list' }, items.map((c) => h('li', null,
      h('a', { class: 'portal-message', href: portalHref(id, `consult/${c.id}`), 'data-testid': 'consult-item', 'data-id': c.id },
        h('span', { class: 'portal-message-head' }, statusChip(c.status), h('span', { class: 'portal-message-date' }, whenText(at(c)).slice(0, 10))),
        h('span', { class: 'portal-message-title' }, c.subject || t('portal.consult_untitled')),
        c.last_message || c.body ? h('span', { class: 'portal-message-lead' }, String(c.last_message || c.body).slice(0, 60)) : null))))
    : kindEmpty(t('portal.consult_none'), 'consult-none');
  return portalPage(ctx, {
    title: t('portal.consult_title'), lead: t('portal.consult_lead'), testid: 'portal-consult-page', member,
    back: { href: portalHref(id, 'me'), text: t('portal.me_back') },
  },
  askForm(ctx, id),
  h('section', { class: 'card portal-card' },
    h('header', { class: 'card-header' }, h('h2', { class: 'card-title' }, t('portal.consult_mine'))),
    h('div', { class: 'card-body' }, list)));
}

export async function consultationView(ctx) {
  const id = personOf(ctx);
  const cid = Number(ctx.params[1]);
  const [c, member] = await Promise.all([soft(api.get(`/consultations/${cid}`)), memberName(ctx)]);
  const back = { href: portalHref(id, 'consult'), text: t('portal.consult_back') };
  if (!c) {
    return portalPage(ctx, { title: t('portal.consult_title'), testid: 'portal-thread-page', back, member },
      kindEmpty(t('portal.consult_gone'), 'consult-gone'));
  }
  /* the thread (GET /consultations/{id} names it `thread`; `messages` is its count) */
  const messages = listOf(Array.isArray(c.thread) ? c.thread : c.messages).slice().sort((a, b) => (at(a) < at(b) ? -1 : at(a) > at(b) ? 1 : 0));
  const thread = h('ol', { class: 'portal-thread', 'data-testid': 'consult-thread' }, messages.map((m) => {
    const team = fromTeam(m);
    return h('li', { class: `portal-bubble ${team ? 'from-team' : 'from-me'}`, 'data-testid': 'consult-message', 'data-from': team ? 'team' : 'me' },
      h('span', { class: 'portal-bubble-who' }, team ? (m.author_name || m.staff_name || m.author || t('portal.consult_team')) : t('portal.consult_me')),
      h('span', { class: 'portal-bubble-text' }, m.body),
      h('span', { class: 'portal-bubble-when' }, whenText(at(m))));
  }));
  const closed = c.status === 'closed';
  let reply = null;
  if (!closed) {
    const errorHost = h('div', { 'aria-live': 'assertive' });
    const body = h('textarea', { class: 'input textarea', rows: '3', maxlength: '2000', 'data-testid': 'consult-reply', id: 'consult-reply', 'aria-label': t('portal.consult_reply') });
    const submit = h('button', { type: 'submit', class: 'btn btn-primary btn-block', 'data-testid': 'consult-reply-submit' }, t('portal.consult_reply_send'));
    reply = h('form', { class: 'portal-form portal-reply', novalidate: true }, body, errorHost, submit);
    reply.addEventListener('submit', async (event) => {
      event.preventDefault();
      errorHost.replaceChildren();
      if (!body.value.trim()) return;
      submit.disabled = true;
      try {
        await api.post(`/consultations/${cid}/messages`, { body: body.value.trim() });
        ctx.rerender();
      } catch (error) {
        if (!ctx.alive()) return;
        errorHost.append(h('div', { class: 'alert alert-error', role: 'alert' }, refusalText(error)));
        submit.disabled = false;
      }
    });
  }
  return portalPage(ctx, { title: c.subject || t('portal.consult_title'), testid: 'portal-thread-page', back, member },
    h('section', { class: 'card portal-card', 'data-testid': 'consult-thread-card', 'data-status': c.status },
      h('div', { class: 'card-body' },
        h('p', { class: 'portal-article-meta' }, statusChip(c.status), c.team_name ? h('span', null, icon('team'), c.team_name) : null),
        messages.length ? thread : kindEmpty(t('portal.consult_empty'), 'consult-thread-empty'),
        closed ? h('p', { class: 'portal-help', 'data-testid': 'consult-closed' }, t('portal.consult_closed')) : reply)));
}
