/* portal-me.js - 我的: the rest of the portal in one list of large rows - 咨询, 问卷, 签约,
 * 家人 - and the settings an older person needs at hand: 大字 (every text larger, kept on
 * this phone), the language, and logging out. 家人: the household members who consented
 * to the resident acting for them; choosing one makes every portal screen theirs (the
 * address carries whom, #/portal/ID/...), with a line on each screen saying so.
 *
 * GET /api/v1/residents?limit=20 (for a resident: themself and the consenting members),
 * GET /api/v1/residents/{id}/consultations and /surveys for the counts on the rows. */
import { api } from '../api.js';
import { h, icon } from '../dom.js';
import { t, lang, setLang } from '../i18n.js';
import { largeText, setLargeText } from '../large-text.js';
import * as session from '../session.js';
import {
  personOf, portalHref, soft, memberName, portalPage, menuRow, kindEmpty, refreshUnread,
} from './portal-common.js';

const listOf = (data) => (Array.isArray(data) ? data : (data && data.items) || []);

function toggleRow({ text, hint, on, testid, onchange }) {
  const input = h('input', { type: 'checkbox', role: 'switch', class: 'portal-switch-input', checked: on, 'data-testid': testid });
  input.addEventListener('change', () => onchange(input.checked));
  return h('label', { class: 'portal-menu-row portal-switch' },
    h('span', { class: 'portal-menu-icon', 'aria-hidden': 'true' }, icon('text')),
    h('span', { class: 'portal-menu-text' }, h('span', { class: 'portal-menu-title' }, text), hint ? h('span', { class: 'portal-menu-hint' }, hint) : null),
    input, h('span', { class: 'portal-switch-track', 'aria-hidden': 'true' }));
}

export async function meView(ctx) {
  const id = personOf(ctx);
  const [member, consultations, surveys, people] = await Promise.all([
    memberName(ctx),
    soft(api.get(`/residents/${id}/consultations`)).catch(() => null),
    soft(api.get(`/residents/${id}/surveys`)).catch(() => null),
    api.get('/residents', { limit: 20 }).then((d) => d.items || []).catch(() => []),
  ]);
  refreshUnread(id);
  const waiting = listOf(consultations).filter((c) => c.status === 'answered').length;
  const due = surveys ? listOf(surveys.due || listOf(surveys).filter((s) => s.status === 'due')).length : 0;
  const family = people.length > 1;
  const rows = [
    menuRow({ href: portalHref(id, 'consult'), iconName: 'chat', text: t('portal.consult_title'), hint: t('portal.me_consult_hint'), testid: 'portal-me-consult', badge: waiting ? t('portal.me_answered_n', { n: waiting }) : null }),
    menuRow({ href: portalHref(id, 'surveys'), iconName: 'survey', text: t('portal.surveys_title'), hint: t('portal.me_surveys_hint'), testid: 'portal-me-surveys', badge: due ? t('portal.me_due_n', { n: due }) : null }),
    menuRow({ href: portalHref(id, 'contract'), iconName: 'contract', text: t('portal.contract_title'), hint: t('portal.me_contract_hint'), testid: 'portal-me-contract' }),
    family ? menuRow({ href: portalHref(id, 'family'), iconName: 'team', text: t('portal.family_menu'), hint: t('portal.me_family_hint'), testid: 'portal-me-family' }) : null,
  ];
  const settings = [
    toggleRow({
      text: t('portal.large_text_row'), hint: t('portal.large_text_hint'), on: largeText(), testid: 'portal-large-text',
      onchange: (on) => {
        setLargeText(on);
        const head = document.querySelector('[data-testid=large-text-switch]');
        if (head) {
          head.classList.toggle('is-on', on);
          head.setAttribute('aria-pressed', on ? 'true' : 'false');
        }
      },
    }),
    h('button', {
      type: 'button', class: 'portal-menu-row', 'data-testid': 'portal-lang',
      onclick: () => setLang(lang() === 'en' ? 'zh-CN' : 'en'),
    }, h('span', { class: 'portal-menu-icon', 'aria-hidden': 'true' }, icon('globe')),
    h('span', { class: 'portal-menu-text' }, h('span', { class: 'portal-menu-title' }, t('portal.lang_row')), h('span', { class: 'portal-menu-hint' }, t('app.lang_switch'))),
    icon('chevron', 'icon portal-chevron')),
    h('button', {
      type: 'button', class: 'portal-menu-row', 'data-testid': 'portal-logout',
      onclick: async () => {
        try {
          await session.logout();
        } catch {
          /* forget the user either way */
        }
        location.hash = '#/login';
      },
    }, h('span', { class: 'portal-menu-icon', 'aria-hidden': 'true' }, icon('logout')),
    h('span', { class: 'portal-menu-text' }, h('span', { class: 'portal-menu-title' }, t('app.logout')))),
  ];
  return portalPage(ctx, { title: t('portal.me_title'), lead: ctx.user.display_name, testid: 'portal-me-page', member },
    h('nav', { class: 'card portal-card portal-menu', 'aria-label': t('portal.me_title') }, rows),
    h('section', { class: 'card portal-card portal-menu', 'data-testid': 'portal-settings' },
      h('header', { class: 'card-header' }, h('h2', { class: 'card-title' }, t('portal.settings'))), settings));
}

export async function familyView(ctx) {
  const id = personOf(ctx);
  const mine = ctx.user.resident_id;
  const [member, people] = await Promise.all([memberName(ctx), api.get('/residents', { limit: 20 }).then((d) => d.items || [])]);
  refreshUnread(id);
  const list = people.length > 1
    ? h('ul', { class: 'portal-family', 'data-testid': 'portal-family-switch' }, people.map((p) => {
      const current = p.id === id;
      const name = p.id === mine ? t('portal.family_me', { name: p.name }) : p.name;
      return h('li', { class: current ? 'portal-person is-current' : 'portal-person' },
        h('a', {
          href: `#/residents/${p.id}`, class: current ? 'portal-person-name' : 'portal-person-link',
          'data-testid': 'portal-family-choose', 'data-id': p.id, 'aria-current': current ? 'true' : null,
        }, icon('user'), h('span', null, name), current ? h('span', { class: 'portal-person-now' }, t('portal.family_now')) : null));
    }))
    : kindEmpty(t('portal.family_none'), 'portal-family-none');
  return portalPage(ctx, {
    title: t('portal.family_menu'), lead: t('portal.family_switch_help'), testid: 'portal-family-page', member,
    back: { href: portalHref(id, 'me'), text: t('portal.me_back') },
  }, h('section', { class: 'card portal-card' }, h('div', { class: 'card-body' }, list)));
}
