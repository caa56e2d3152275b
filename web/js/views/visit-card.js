/* visit-card.js - 本次就诊 on the resident page (issue 19: every visit is a prevention
 * visit): while the resident is here, what else is due (the open tasks, a child's next
 * vaccination), the services left on the contract, and the offers the rules make - a
 * programme for a chronic diagnosis not yet managed, a contract for an unsigned key-population
 * resident - answered in place and counted (GET /residents/{id}/visit-prompts, POST
 * /residents/{id}/visit-offers). */
import { api } from '../api.js';
import { h, icon, card, chip, toast, empty } from '../dom.js';
import { t, label } from '../i18n.js';
import { can } from '../roles.js';
import { formatDate } from '../format.js';

/* Offers declined while this page is open stay out of it (the next visit offers them again). */
const declined = new Map(); /* resident id -> Set of "kind:program" */
const keyOf = (offer) => `${offer.kind}:${offer.program || ''}`;

function offerRow(r, offer, user, refresh) {
  const text = offer.kind === 'enrol'
    ? t('visit.offer_enrol', { program: label('program', offer.program), code: offer.diagnosis })
    : t('visit.offer_sign');
  const say = async (response) => {
    await api.post(`/residents/${r.id}/visit-offers`, { kind: offer.kind, ...(offer.program ? { program: offer.program } : {}), response });
    if (offer.kind === 'sign' && response === 'accepted') {
      location.hash = `#/residents/${r.id}/sign`;
      return;
    }
    if (response === 'declined') declined.set(r.id, (declined.get(r.id) || new Set()).add(keyOf(offer)));
    toast(response === 'accepted' ? t('visit.enrolled', { program: label('program', offer.program) }) : t('visit.declined'));
    refresh();
  };
  const writes = can(user, 'clinical.write');
  return h('li', { class: 'visit-offer', 'data-testid': 'visit-offer', 'data-kind': offer.kind, 'data-program': offer.program || '' },
    h('span', { class: 'visit-offer-text' }, icon('flag'), ' ', text),
    writes ? h('span', { class: 'row-actions' },
      h('button', { type: 'button', class: 'btn btn-small btn-primary', 'data-testid': 'visit-offer-accept', onclick: () => say('accepted') },
        offer.kind === 'enrol' ? t('visit.enrol') : t('visit.sign')),
      h('button', { type: 'button', class: 'btn btn-small btn-ghost', 'data-testid': 'visit-offer-decline', onclick: () => say('declined') }, t('visit.decline')))
      : null);
}

export async function visitCard(r, user, refresh) {
  if (!can(user, 'followup.read') || r.status !== 'alive') return null;
  const p = await api.get(`/residents/${r.id}/visit-prompts`).catch(() => null);
  if (!p) return null;
  const body = [];
  const skip = declined.get(r.id) || new Set();
  const offers = p.offers.filter((o) => !skip.has(keyOf(o)));
  if (offers.length) {
    body.push(h('ul', { class: 'visit-offers', 'data-testid': 'visit-offers' }, offers.map((o) => offerRow(r, o, user, refresh))));
  }
  const due = p.due.map((task) => h('li', { 'data-testid': 'visit-due' },
    h('strong', null, label('task_kind', task.kind)),
    task.program ? ` · ${label('program', task.program)}` : '',
    h('span', { class: 'muted small' }, ` ${t('visit.due_by', { date: formatDate(task.due_date) })}`)));
  if (p.next_vaccination) {
    const v = p.next_vaccination;
    due.push(h('li', { 'data-testid': 'visit-vaccination' },
      h('a', { href: `#/residents/${r.id}/schedule/child` }, t('immunisation.dose_name', { vaccine: label('vaccine', v.vaccine), n: v.dose })),
      h('span', { class: 'muted small' }, ` ${t('visit.due_by', { date: formatDate(v.due_date) })} · ${label('dose_status', v.status)}`)));
  }
  if (due.length) body.push(h('h3', { class: 'card-subtitle' }, t('visit.due')), h('ul', { class: 'visit-due-list' }, due));
  if (p.services_left.length) {
    body.push(h('h3', { class: 'card-subtitle' }, t('visit.services_left')),
      h('div', { class: 'chips', 'data-testid': 'visit-services' }, p.services_left.map((s) => chip(`${s.name} ×${s.remaining}`))));
  }
  if (!body.length) body.push(empty(t('visit.nothing'), 'visit-nothing'));
  return card(t('visit.title'), body, { testid: 'card-visit', cls: offers.length ? 'card-visit card-attention' : 'card-visit' });
}
