/* portal-messages.js - 消息: what the family-doctor team pushed to the resident (health
 * education, package descriptions, seasonal notices), newest first, the unread ones marked
 * 新; opening one shows it whole and sends the read receipt.
 *
 * GET /api/v1/residents/{id}/content → {items:[{id,kind,title,body,published_at,team_name,
 * read_at}],unread}; POST /api/v1/content/{id}/read {resident_id} → 204 (the first read
 * counts). No route yet, or nothing pushed: a kind empty state. */
import { api } from '../api.js';
import { h, icon } from '../dom.js';
import { t, label } from '../i18n.js';
import {
  personOf, portalHref, soft, memberName, portalPage, kindEmpty, setUnread, whenText,
} from './portal-common.js';

function kindChip(kind) {
  return h('span', { class: `portal-kind portal-kind-${kind}` }, label('portal_content_kind', kind));
}

function firstLine(body) {
  const text = String(body || '').replace(/\s+/g, ' ').trim();
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}

export async function messagesView(ctx) {
  const id = personOf(ctx);
  const [data, member] = await Promise.all([soft(api.get(`/residents/${id}/content`)), memberName(ctx)]);
  const items = (data && data.items) || [];
  const unread = data ? Number(data.unread) || items.filter((m) => !m.read_at).length : 0;
  setUnread(unread);
  const list = items.length
    ? h('ul', { class: 'portal-messages', 'data-testid': 'portal-messages' }, items.map((m) => h('li', null,
      h('a', {
        class: `portal-message${m.read_at ? '' : ' is-unread'}`, href: portalHref(id, `messages/${m.id}`),
        'data-testid': 'portal-message', 'data-id': m.id, 'data-read': m.read_at ? 'true' : 'false',
      },
      h('span', { class: 'portal-message-head' },
        m.read_at ? null : h('span', { class: 'portal-new', 'data-testid': 'portal-message-new' }, t('portal.new')),
        kindChip(m.kind),
        h('span', { class: 'portal-message-date' }, whenText(m.published_at).slice(0, 10))),
      h('span', { class: 'portal-message-title' }, m.title),
      h('span', { class: 'portal-message-lead' }, firstLine(m.body)),
      m.team_name ? h('span', { class: 'portal-message-from' }, t('portal.from_team', { team: m.team_name })) : null))))
    : kindEmpty(t('portal.messages_none'), 'portal-messages-none');
  return portalPage(ctx, {
    title: t('portal.messages_title'),
    lead: unread ? t('portal.unread_n', { n: unread }) : t('portal.messages_lead'),
    testid: 'portal-messages-page',
    member,
  }, h('section', { class: 'card portal-card' }, h('div', { class: 'card-body' }, list)));
}

export async function messageView(ctx) {
  const id = personOf(ctx);
  const itemId = Number(ctx.params[1]);
  const [data, member] = await Promise.all([soft(api.get(`/residents/${id}/content`)), memberName(ctx)]);
  const m = ((data && data.items) || []).find((x) => x.id === itemId);
  const back = { href: portalHref(id, 'messages'), text: t('portal.messages_back') };
  if (!m) {
    return portalPage(ctx, { title: t('portal.messages_title'), testid: 'portal-message-page', back, member },
      kindEmpty(t('portal.message_gone'), 'portal-message-gone'));
  }
  /* The read receipt: sent once, when first opened; the count follows. */
  if (!m.read_at) {
    try {
      await api.post(`/content/${m.id}/read`, { resident_id: id });
      setUnread(Math.max(0, (Number(data.unread) || 1) - 1));
    } catch {
      /* the receipt is the server's business; reading goes on */
    }
  } else {
    setUnread(Number(data.unread) || 0);
  }
  const paragraphs = String(m.body || '').split(/\n+/).filter((p) => p.trim());
  return portalPage(ctx, { title: m.title, testid: 'portal-message-page', back, member },
    h('article', { class: 'card portal-card portal-article', 'data-testid': 'portal-article', 'data-id': m.id },
      h('div', { class: 'card-body' },
        h('p', { class: 'portal-article-meta' }, kindChip(m.kind),
          h('span', null, whenText(m.published_at).slice(0, 10)),
          m.team_name ? h('span', null, icon('team'), m.team_name) : null),
        paragraphs.map((p) => h('p', { class: 'portal-article-text' }, p)))),
    h('a', { class: 'btn btn-secondary btn-block', href: portalHref(id, 'consult'), 'data-testid': 'portal-ask-about' }, icon('chat'), t('portal.ask_doctor')));
}
