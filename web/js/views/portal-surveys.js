/* portal-surveys.js - 问卷: the questionnaires due to the resident (the post-service
 * satisfaction survey, the Wake Forest trust scale) and those answered; answering shows one
 * question a screen, its five answers in words as large buttons (never a bare 1-5), with
 * back and the count of questions, then sends them all at once.
 *
 * GET /api/v1/questionnaires (items, scales, reverse-scored items: the server scores them),
 * GET /api/v1/residents/{id}/surveys (due and answered),
 * POST /api/v1/survey-responses {questionnaire, resident_id, team_id, channel:"portal",
 * answers:[{n,value}]}. */
import { api } from '../api.js';
import { h, icon, toast } from '../dom.js';
import { t } from '../i18n.js';
import { formatDate } from '../format.js';
import {
  personOf, portalHref, soft, memberName, portalPage, kindEmpty, refusalText, refreshUnread,
} from './portal-common.js';

const listOf = (data) => (Array.isArray(data) ? data : (data && data.items) || []);
const codeOf = (q) => q.code || q.questionnaire || q.id;
const nameOf = (q) => q.name || q.title || q.questionnaire_name || codeOf(q);

/* What is due and what was answered, whichever shape the answer has. */
function split(data) {
  if (!data) return { due: [], answered: [] };
  if (data.due || data.answered) return { due: listOf(data.due), answered: listOf(data.answered) };
  const items = listOf(data);
  return { due: items.filter((s) => s.status === 'due' || (!s.answered_on && !s.answered_at && s.status !== 'answered')), answered: items.filter((s) => s.status === 'answered' || s.answered_on || s.answered_at) };
}

/* The words for 1-5: the questionnaire's own, else agreement (trust) or satisfaction. */
function scaleWords(q, item) {
  const own = (item && (item.labels || item.options)) || (q.scale && (q.scale.labels || q.scale.options)) || q.labels || q.scale_labels;
  if (Array.isArray(own) && own.length) {
    return own.map((o, i) => (typeof o === 'string' ? { value: i + 1, text: o } : { value: Number(o.value ?? i + 1), text: o.text || o.label || o.name }));
  }
  const min = Number((item && item.scale_min) ?? 1), max = Number((item && item.scale_max) ?? 5);
  const values = [];
  for (let v = min; v <= max && values.length < 11; v++) values.push(v);
  if (min !== 1 || max !== 5) return values.map((v) => ({ value: v, text: String(v) }));
  const kind = /satisf/.test(String(codeOf(q))) ? 'satisfaction' : 'agree';
  return values.map((v) => ({ value: v, text: t(`portal.scale_${kind}_${v}`) }));
}

function itemsOf(q) {
  return listOf(q.items || q.questions).map((item, i) => ({ n: Number(item.n ?? item.number ?? i + 1), text: item.text || item.label || item.name, raw: item }));
}

export async function surveysView(ctx) {
  const id = personOf(ctx);
  const [mine, all, member] = await Promise.all([
    soft(api.get(`/residents/${id}/surveys`)), soft(api.get('/questionnaires')), memberName(ctx),
  ]);
  refreshUnread(id);
  const catalogue = listOf(all);
  const { due, answered } = split(mine);
  const find = (code) => catalogue.find((q) => codeOf(q) === code);
  const dueList = due.length
    ? h('ul', { class: 'portal-menu', 'data-testid': 'survey-due' }, due.map((s) => {
      const code = codeOf(s);
      const q = find(code) || s;
      const query = s.team_id ? `?team=${s.team_id}` : '';
      return h('li', null, h('a', { class: 'portal-menu-row', href: `${portalHref(id, `surveys/${code}`)}${query}`, 'data-testid': 'survey-open', 'data-code': code },
        h('span', { class: 'portal-menu-icon', 'aria-hidden': 'true' }, icon('survey')),
        h('span', { class: 'portal-menu-text' }, h('span', { class: 'portal-menu-title' }, nameOf(q)),
          h('span', { class: 'portal-menu-hint' }, t('portal.survey_n_items', { n: itemsOf(q).length || listOf(q.items).length || 10 }))),
        icon('chevron', 'icon portal-chevron')));
    }))
    : kindEmpty(t('portal.surveys_none'), 'surveys-none');
  const doneList = answered.length
    ? h('ul', { class: 'portal-list', 'data-testid': 'survey-answered' }, answered.map((s) => h('li', { class: 'portal-entry' },
      h('div', { class: 'portal-entry-head' }, h('span', { class: 'portal-entry-title' }, nameOf(find(codeOf(s)) || s)),
        h('span', { class: 'portal-date' }, formatDate(String(s.answered_on || s.answered_at || '').slice(0, 10)))))))
    : null;
  return portalPage(ctx, {
    title: t('portal.surveys_title'), lead: t('portal.surveys_lead'), testid: 'portal-surveys-page', member,
    back: { href: portalHref(id, 'me'), text: t('portal.me_back') },
  },
  h('section', { class: 'card portal-card' },
    h('header', { class: 'card-header' }, h('h2', { class: 'card-title' }, t('portal.surveys_due'))),
    h('div', { class: 'card-body' }, dueList)),
  doneList ? h('section', { class: 'card portal-card' },
    h('header', { class: 'card-header' }, h('h2', { class: 'card-title' }, t('portal.surveys_answered'))),
    h('div', { class: 'card-body' }, doneList)) : null);
}

/* One questionnaire, one question a screen. */
export async function surveyView(ctx) {
  const id = personOf(ctx);
  const code = ctx.params[1];
  const [all, resident, member] = await Promise.all([soft(api.get('/questionnaires')), api.get(`/residents/${id}`), memberName(ctx)]);
  const q = listOf(all).find((x) => codeOf(x) === code);
  const back = { href: portalHref(id, 'surveys'), text: t('portal.surveys_back') };
  const items = q ? itemsOf(q) : [];
  if (!q || !items.length) {
    return portalPage(ctx, { title: t('portal.surveys_title'), testid: 'portal-survey-page', back, member },
      kindEmpty(t('portal.survey_gone'), 'survey-gone'));
  }
  const team = Number(ctx.query.get('team')) || (resident.contract && resident.contract.team_id) || ((resident.teams || [])[0] || {}).id;
  const answers = new Map();
  let at = 0;
  const stage = h('div', { class: 'portal-survey-stage', 'aria-live': 'polite' });
  const root = h('section', { class: 'card portal-card portal-survey', 'data-testid': 'survey-card', 'data-code': code },
    h('div', { class: 'card-body' }, q.description || q.intro ? h('p', { class: 'portal-help' }, q.description || q.intro) : null, stage));

  function show() {
    stage.replaceChildren();
    if (at >= items.length) return review();
    const item = items[at];
    const chosen = answers.get(item.n);
    stage.append(
      h('p', { class: 'portal-survey-count', 'data-testid': 'survey-progress' }, t('portal.survey_progress', { i: at + 1, n: items.length })),
      h('div', { class: 'bar portal-survey-bar', 'aria-hidden': 'true' }, Object.assign(h('span', { class: 'bar-fill bar-good' }), { style: `width:${((at) / items.length) * 100}%` })),
      h('h2', { class: 'portal-survey-question', 'data-testid': 'survey-question', 'data-n': item.n }, item.text),
      h('div', { class: 'portal-answers', role: 'group', 'aria-label': item.text }, scaleWords(q, item.raw).map((w) => h('button', {
        type: 'button', class: `portal-answer${chosen === w.value ? ' is-chosen' : ''}`, 'data-testid': 'survey-answer', 'data-value': w.value,
        'aria-pressed': chosen === w.value ? 'true' : 'false',
        onclick: () => {
          answers.set(item.n, w.value);
          at += 1;
          show();
        },
      }, w.text))),
      at > 0 ? h('button', { type: 'button', class: 'btn btn-ghost btn-block', 'data-testid': 'survey-prev', onclick: () => { at -= 1; show(); } }, icon('back'), t('portal.survey_prev')) : null);
    return null;
  }

  function review() {
    const errorHost = h('div', { 'aria-live': 'assertive' });
    const submit = h('button', { type: 'button', class: 'btn btn-primary btn-block', 'data-testid': 'survey-submit' }, t('portal.survey_submit'));
    submit.addEventListener('click', async () => {
      errorHost.replaceChildren();
      submit.disabled = true;
      try {
        const body = {
          questionnaire: code, resident_id: id, channel: 'portal', answers: items.map((item) => ({ n: item.n, value: answers.get(item.n) })),
        };
        if (team) body.team_id = team;
        await api.post('/survey-responses', body);
        toast(t('portal.survey_thanks'));
        stage.replaceChildren(h('div', { class: 'portal-survey-done', 'data-testid': 'survey-done' },
          h('p', { class: 'portal-callout tone-good' }, t('portal.survey_thanks')),
          h('a', { class: 'btn btn-secondary btn-block', href: portalHref(id, 'surveys') }, t('portal.surveys_back'))));
      } catch (error) {
        if (!ctx.alive()) return;
        errorHost.append(h('div', { class: 'alert alert-error', role: 'alert' }, refusalText(error)));
        submit.disabled = false;
      }
    });
    const words = (item) => (scaleWords(q, item.raw).find((w) => w.value === answers.get(item.n)) || {}).text || '—';
    stage.append(
      h('p', { class: 'portal-survey-count', 'data-testid': 'survey-progress' }, t('portal.survey_review')),
      h('ol', { class: 'portal-review', 'data-testid': 'survey-review' }, items.map((item, i) => h('li', null,
        h('span', { class: 'portal-review-q' }, item.text),
        h('button', { type: 'button', class: 'portal-review-a', onclick: () => { at = i; show(); } }, words(item))))),
      errorHost, submit,
      h('button', { type: 'button', class: 'btn btn-ghost btn-block', 'data-testid': 'survey-prev', onclick: () => { at = items.length - 1; show(); } }, icon('back'), t('portal.survey_prev')));
  }

  show();
  return portalPage(ctx, { title: nameOf(q), testid: 'portal-survey-page', back, member }, root);
}
