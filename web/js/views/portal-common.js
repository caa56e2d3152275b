/* portal-common.js - what the resident's portal screens share (views/portal-*.js): the page
 * frame (a large title, the line saying whom a proxy acts for, one column), reads that turn
 * a missing route or an empty answer into a kind empty state instead of a broken page, the
 * unread badge on the 消息 tab, and the words for a refusal a resident can understand.
 *
 * Every portal address names the person it is about (#/portal/ID/...): the resident, or a
 * household member who consented to their proxy (the server checks every id). */
import { api, errorText } from '../api.js';
import { h, icon, empty } from '../dom.js';
import { t } from '../i18n.js';

export const personOf = (ctx) => Number(ctx.params[0]);
export const portalHref = (id, part) => `#/portal/${id}/${part}`;

/* A read that may not exist on this server yet, or answers "nothing here": null for
 * 404/405/501, the answer otherwise; other errors are thrown (the router shows them). */
export async function soft(promise) {
  try {
    return await promise;
  } catch (error) {
    if ([404, 405, 501].includes(error.status)) return null;
    throw error;
  }
}

/* The same, for a part of a screen: an Error is kept (shown in its card), not thrown. */
export async function softPart(promise) {
  try {
    return await soft(promise);
  } catch (error) {
    return error;
  }
}

/* The person's name when a proxy acts for a member (null for the resident themself). */
export async function memberName(ctx) {
  const id = personOf(ctx);
  if (id === ctx.user.resident_id) return null;
  const r = await api.get(`/residents/${id}`);
  return r.name;
}

/* The frame of a portal screen. `back`: {href, text} above the title. */
export function portalPage(ctx, { title, lead, testid, back, member }, ...body) {
  const id = personOf(ctx);
  ctx.setTitle(title);
  return h('div', { class: 'page portal portal-screen', 'data-testid': testid, 'data-id': id },
    member ? h('p', { class: 'portal-acting', 'data-testid': 'portal-acting' },
      icon('user'), h('span', null, t('portal.acting_for', { name: member })),
      h('a', { href: `#/residents/${ctx.user.resident_id}`, 'data-testid': 'portal-acting-back' }, t('portal.acting_back'))) : null,
    back ? h('a', { class: 'portal-backlink', href: back.href, 'data-testid': 'portal-backlink' }, icon('back'), back.text) : null,
    h('div', { class: 'portal-header' },
      h('h1', { class: 'portal-title', 'data-testid': 'portal-title' }, title),
      lead ? h('p', { class: 'portal-subtitle' }, lead) : null),
    h('div', { class: 'portal-column' }, body));
}

/* A kind empty state, large, with an optional next step. */
export function kindEmpty(text, testid, action) {
  return h('div', { class: 'portal-empty', 'data-testid': testid },
    h('p', null, text),
    action ? h('a', { class: 'btn btn-secondary btn-block', href: action.href }, action.text) : null);
}

/* A part of a screen that failed to load: the error in words, the rest of the screen stays. */
export function partError(error) {
  return h('div', { class: 'alert alert-error', role: 'alert', 'data-testid': 'portal-part-error' }, errorText(error));
}

/* A refusal in words: the portal's own text for the codes a resident meets (not signed,
 * not enough points, sold out, too many codes), else the server's translated detail. */
export function refusalText(error) {
  const key = `portal.refused.${error && error.code}`;
  const text = t(key);
  return text !== key ? text : errorText(error);
}

/* The unread count on the 消息 tab (and the screen's own count when it has one). */
export function setUnread(n) {
  const link = document.querySelector('[data-testid=nav-portal-messages]');
  if (!link) return;
  const old = link.querySelector('.nav-badge');
  if (old) old.remove();
  if (n > 0) {
    link.appendChild(h('span', { class: 'nav-badge', 'data-testid': 'nav-unread', 'aria-label': t('portal.unread_n', { n }) }, n > 99 ? '99+' : String(n)));
  }
}

/* Asks for the count behind the screen (never holds it up; no route yet: no badge). */
export function refreshUnread(id) {
  api.get(`/residents/${id}/content`).then((d) => setUnread(Number(d && d.unread) || 0)).catch(() => setUnread(0));
}

/* Dates the server sends as date-times or dates, shown as a date and, when there, a time. */
export function whenText(value) {
  if (!value) return '';
  const s = String(value).replace('T', ' ');
  return s.length > 16 ? s.slice(0, 16) : s;
}

/* The big row of a menu: icon, text, what is behind it, a chevron. */
export function menuRow({ href, iconName, text, hint, testid, badge }) {
  return h('a', { class: 'portal-menu-row', href, 'data-testid': testid },
    h('span', { class: 'portal-menu-icon', 'aria-hidden': 'true' }, icon(iconName)),
    h('span', { class: 'portal-menu-text' }, h('span', { class: 'portal-menu-title' }, text), hint ? h('span', { class: 'portal-menu-hint' }, hint) : null),
    badge ? h('span', { class: 'portal-count', 'data-testid': `${testid}-badge` }, badge) : null,
    icon('chevron', 'icon portal-chevron'));
}

export { empty };
