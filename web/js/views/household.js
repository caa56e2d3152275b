/* household.js - a household (家庭户): address, family type, members with their
 * relation and population class, and the door-knocking census visits (入户), which
 * staff can record here. */
import { api } from '../api.js';
import * as offline from '../offline.js';
import { h, icon, pageHeader, card, facts, dataTable, classBadge, empty, toast, formDialog, field, checkbox } from '../dom.js';
import { t, label } from '../i18n.js';
import { can } from '../roles.js';
import { ageFrom, formatAge, formatDate, todayIso } from '../format.js';

function censusDialog(household) {
  const date = h('input', { type: 'date', class: 'input', value: todayIso(), max: todayIso(), required: true, 'data-testid': 'census-date' });
  const card_ = checkbox(t('household.contact_card'), { name: 'contact_card', 'data-testid': 'census-card' });
  const explained = checkbox(t('household.services_explained'), { name: 'services_explained', 'data-testid': 'census-explained' });
  const plan = h('textarea', { class: 'input textarea', rows: '3', maxlength: '1000', 'data-testid': 'census-plan' });
  return formDialog({
    title: t('household.census_form_title'),
    help: household.address || '',
    testid: 'census-dialog',
    submitLabel: t('app.save'),
    fields: [
      field(t('household.census_date'), date, { required: true }),
      h('div', { class: 'field checks' }, card_, explained),
      field(t('household.plan'), plan),
    ],
    onSubmit: () => {
      const body = {
        household_id: household.id,
        visit_date: date.value,
        contact_card: card_.querySelector('input').checked,
        services_explained: explained.querySelector('input').checked,
      };
      if (plan.value.trim()) body.plan = plan.value.trim();
      const head = (household.members || []).find((m) => m.id === household.head_id);
      return offline.submit('/census-visits', body, { resident_name: head ? head.name : null });
    },
  });
}

export async function householdView(ctx) {
  const id = Number(ctx.params[0]);
  const hh = await api.get(`/households/${id}`);
  const title = t('household.title', { id: hh.id });
  ctx.setTitle(title);
  const head = (hh.members || []).find((m) => m.id === hh.head_id);

  const info = card(null, facts([
    [t('household.head'), head ? h('a', { href: `#/residents/${head.id}`, class: 'strong-link' }, head.name) : '—'],
    [t('household.address'), hh.address],
    [t('household.region'), hh.region_name || hh.region],
    [t('household.family_type'), hh.family_type ? h('span', { class: `badge family-${hh.family_type}`, 'data-testid': 'family-type' }, label('family_type', hh.family_type)) : '—'],
  ], 'facts-wide'), { testid: 'card-household' });

  const members = hh.members && hh.members.length
    ? dataTable([
      { label: t('household.col_name'), render: (m) => h('a', { href: `#/residents/${m.id}`, class: 'strong-link', 'data-testid': 'member-link' }, m.name) },
      { label: t('household.col_relation'), render: (m) => label('relation', m.relation) },
      { label: t('household.col_sex'), render: (m) => label('sex', m.sex) },
      { label: t('household.col_age'), cls: 'num', render: (m) => formatAge(ageFrom(m.birth_date)) },
      { label: t('household.col_class'), render: (m) => classBadge(m.population_class) },
      { label: t('household.col_status'), render: (m) => label('status', m.status) },
      { label: t('household.col_proxy'), render: (m) => (m.proxy_consent ? t('app.yes') : t('app.no')) },
    ], hh.members, { rowTestId: 'member-row', rowHref: (m) => `#/residents/${m.id}` })
    : empty(t('resident.members_none'));

  const visits = hh.census_visits || [];
  const censusBody = visits.length
    ? h('ul', { class: 'timeline', 'data-testid': 'census-list' }, visits.map((v) => h('li', { class: 'timeline-item', 'data-testid': 'census-item' },
      h('div', { class: 'timeline-head' },
        h('span', { class: 'strong' }, formatDate(v.visit_date)),
        v.staff ? h('span', { class: 'muted' }, v.staff) : null),
      h('div', { class: 'chips' },
        h('span', { class: v.contact_card ? 'chip chip-ok' : 'chip chip-muted' }, v.contact_card ? icon('check', 'icon chip-icon') : null, t('household.contact_card')),
        h('span', { class: v.services_explained ? 'chip chip-ok' : 'chip chip-muted' }, v.services_explained ? icon('check', 'icon chip-icon') : null, t('household.services_explained'))),
      v.plan ? h('p', { class: 'timeline-text' }, h('span', { class: 'muted' }, t('household.plan'), t('app.colon')), v.plan) : null)))
    : empty(t('household.census_none'));
  const censusActions = can(ctx.user, 'census.write') ? [h('button', {
    type: 'button', class: 'btn btn-ghost btn-small', 'data-testid': 'add-census',
    onclick: async () => {
      const saved = await censusDialog(hh);
      if (saved) {
        toast(saved.queued ? t('offline.queued') : t('household.census_saved'), saved.queued ? 'warning' : 'success');
        ctx.rerender();
      }
    },
  }, icon('plus'), t('household.add_census'))] : [];

  const back = head ? { href: `#/residents/${head.id}`, text: head.name } : null;
  return h('div', { class: 'page', 'data-testid': 'household-page' },
    pageHeader(title, { back, subtitle: hh.address || '' }),
    info,
    card(t('household.members'), members, { testid: 'card-household-members', cls: 'card-flush-body' }),
    card(t('household.census'), censusBody, { testid: 'card-census', actions: censusActions }));
}
