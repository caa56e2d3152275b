/* group.js - one self-management group: what it is, its members (add by searching the
 * residents in scope, leave), recording an activity with an attendance tick list of the
 * members on that day, and the activity history with each meeting's attendance rate. */
import { api, errorText } from '../api.js';
import { h, icon, pageHeader, card, facts, dataTable, empty, chip, formDialog, field, checkbox, toast } from '../dom.js';
import { t, label } from '../i18n.js';
import { can } from '../roles.js';
import { formatAge, formatDate, formatPercent, todayIso } from '../format.js';

const memberOn = (m, date) => m.joined_on <= date && (!m.left_on || m.left_on >= date);

/* The inline search: residents in the user's scope, each with a button to join. */
function memberSearch(group, ctx) {
  const current = new Set(group.members.filter((m) => !m.left_on).map((m) => m.resident_id));
  const input = h('input', {
    type: 'search', class: 'input search-input', maxlength: '50', placeholder: t('group.search_placeholder'),
    'aria-label': t('group.search_placeholder'), 'data-testid': 'member-search', enterkeyhint: 'search', autocomplete: 'off',
  });
  const results = h('div', { class: 'group-search-results', 'data-testid': 'member-results' });
  const form = h('form', { class: 'search-bar group-search', role: 'search' },
    h('div', { class: 'search-field' }, icon('search', 'icon search-icon'), input),
    h('button', { type: 'submit', class: 'btn btn-secondary', 'data-testid': 'member-search-submit' }, t('group.search')));
  const add = async (person, button) => {
    button.disabled = true;
    try {
      await api.post(`/groups/${group.id}/members`, { resident_id: person.id });
      toast(t('group.added', { name: person.name }));
      ctx.rerender();
    } catch (error) {
      button.disabled = false;
      toast(errorText(error), 'error');
    }
  };
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const q = input.value.trim();
    if (!q) return;
    try {
      const data = await api.get('/residents', { q, status: 'alive', limit: 10 });
      results.replaceChildren(...(data.items.length ? data.items.map((p) => {
        const button = h('button', { type: 'button', class: 'btn btn-small btn-primary', 'data-testid': 'member-add', disabled: current.has(p.id) },
          current.has(p.id) ? t('group.already') : t('group.add'));
        button.addEventListener('click', () => add(p, button));
        return h('div', { class: 'group-search-row', 'data-testid': 'member-result' },
          h('span', { class: 'group-search-who' },
            h('span', { class: 'strong' }, p.name),
            h('span', { class: 'muted' }, [label('sex', p.sex), formatAge(p.age), p.region_name].filter(Boolean).join(' · '))),
          button);
      }) : [empty(t('group.search_none'))]));
    } catch (error) {
      results.replaceChildren(h('p', { class: 'alert alert-error' }, errorText(error)));
    }
  });
  return h('div', { class: 'group-add', 'data-testid': 'member-add-panel' }, h('h3', { class: 'section-title' }, t('group.add_member')), form, results);
}

async function leave(group, member, ctx) {
  const done = await formDialog({
    title: t('group.leave_title'), help: t('group.leave_help', { name: member.name }), testid: 'leave-dialog',
    submitLabel: t('group.leave'), danger: true, fields: [],
    onSubmit: () => api.del(`/groups/${group.id}/members/${member.resident_id}`),
  });
  if (!done) return;
  toast(t('group.left', { name: member.name }));
  ctx.rerender();
}

function membersCard(group, ctx, writable) {
  const columns = [
    {
      label: t('group.col_name'),
      render: (m) => h('span', { class: 'member-name' },
        h('a', { href: `#/residents/${m.resident_id}`, class: 'strong-link' }, m.name),
        m.left_on ? h('span', { class: 'badge status-other badge-small' }, t('group.left_on', { date: formatDate(m.left_on) })) : null),
    },
    { label: t('group.col_person'), render: (m) => `${label('sex', m.sex)} · ${formatAge(m.age)}` },
    { label: t('group.col_joined'), render: (m) => formatDate(m.joined_on) },
    { label: t('group.col_attended'), cls: 'num', render: (m) => t('group.attended_n', { n: m.attended }) },
  ];
  if (writable) {
    columns.push({
      label: '', render: (m) => (m.left_on ? '' : h('button', {
        type: 'button', class: 'btn btn-ghost btn-small', 'data-testid': 'member-leave', onclick: () => leave(group, m, ctx),
      }, t('group.leave'))),
    });
  }
  const active = group.members.filter((m) => !m.left_on).length;
  const body = [group.members.length ? dataTable(columns, group.members, { rowTestId: 'group-member-row' }) : empty(t('group.no_members'))];
  if (writable) body.push(memberSearch(group, ctx));
  return card(t('group.members'), body, { testid: 'card-group-members', extra: h('span', { class: 'count-pill' }, t('group.members_active', { n: active })) });
}

/* The record dialog: the tick list follows the date, so only members on the day appear. */
async function recordActivity(group, ctx) {
  const date = h('input', { type: 'date', class: 'input', max: todayIso(), value: todayIso(), 'data-testid': 'activity-date' });
  const topic = h('input', { class: 'input', maxlength: '100', placeholder: t('group.topic_placeholder'), 'data-testid': 'activity-topic' });
  const leader = h('input', { class: 'input', maxlength: '40', placeholder: t('group.leader_default'), 'data-testid': 'activity-leader' });
  const note = h('textarea', { class: 'input', rows: '2', maxlength: '500', 'data-testid': 'activity-note' });
  const list = h('div', { class: 'attendance-list', 'data-testid': 'attendance-list' });
  const all = h('input', { type: 'checkbox', 'data-testid': 'attendance-all' });
  const fill = () => {
    const members = group.members.filter((m) => memberOn(m, date.value));
    list.replaceChildren(...(members.length
      ? members.map((m) => checkbox(m.name, { value: String(m.resident_id), 'data-testid': 'attendance-check' }))
      : [empty(t('group.none_on_date'))]));
    all.checked = false;
  };
  all.addEventListener('change', () => list.querySelectorAll('input').forEach((box) => { box.checked = all.checked; }));
  date.addEventListener('change', fill);
  fill();
  const result = await formDialog({
    title: t('group.record'), testid: 'activity-dialog', submitLabel: t('app.save'),
    fields: [
      field(t('group.activity_date'), date, { required: true }),
      field(t('group.topic'), topic, { required: true }),
      field(t('group.activity_leader'), leader, { help: t('group.leader_help') }),
      field(t('group.note'), note),
      h('fieldset', { class: 'attendance' },
        h('legend', { class: 'field-label' }, t('group.attendance')),
        h('label', { class: 'check attendance-all' }, all, h('span', null, t('group.all'))),
        list),
    ],
    onSubmit: () => api.post(`/groups/${group.id}/activities`, {
      activity_date: date.value, topic: topic.value.trim(), leader: leader.value.trim() || undefined, note: note.value.trim() || undefined,
      attendees: [...list.querySelectorAll('input:checked')].map((box) => Number(box.value)),
    }),
  });
  if (!result) return;
  toast(t('group.recorded', { n: result.attended }));
  ctx.rerender();
}

function activityItem(a) {
  const rate = a.member_count ? a.attended / a.member_count : null;
  return h('li', { class: 'activity-item', 'data-testid': 'activity-row', 'data-id': a.id },
    h('div', { class: 'activity-head' },
      h('span', { class: 'activity-date mono' }, formatDate(a.activity_date)),
      h('span', { class: 'activity-topic strong' }, a.topic)),
    h('div', { class: 'activity-meta muted' }, [a.leader_name, a.note].filter(Boolean).join(' · ')),
    h('div', { class: 'activity-rate' },
      h('span', { class: 'rate-bar', 'aria-hidden': 'true' }, h('span', { class: 'rate-fill', style: `width:${Math.round((rate || 0) * 100)}%` })),
      h('span', { 'data-testid': 'activity-attended' }, t('group.attended_of', { n: a.attended, of: a.member_count }), ' · ', formatPercent(rate))));
}

export async function groupView(ctx) {
  const id = Number(ctx.params[0]);
  const group = await api.get(`/groups/${id}`);
  ctx.setTitle(group.name);
  const writable = can(ctx.user, 'group.write');
  const actions = writable
    ? [h('button', { type: 'button', class: 'btn btn-primary', 'data-testid': 'activity-new', onclick: () => recordActivity(group, ctx) }, icon('plus'), t('group.record'))]
    : [];
  const info = card(t('group.info'), facts([
    [t('groups.col_focus'), chip(label('focus', group.focus), `chip-focus focus-${group.focus}`)],
    [t('groups.col_village'), group.region_name || group.region],
    [t('groups.col_team'), group.team_name],
    [t('group.leader'), group.leader_name],
    [t('group.created_at'), formatDate((group.created_at || '').slice(0, 10))],
    [t('groups.col_rate'), h('span', { 'data-testid': 'group-rate' }, formatPercent(group.attendance_rate))],
  ], 'facts-wide'), { testid: 'card-group-info' });
  const history = group.activities.length
    ? h('ul', { class: 'activity-list' }, group.activities.map(activityItem))
    : empty(t('group.no_activities'));
  return h('div', { class: 'page', 'data-testid': 'group-page', 'data-id': group.id },
    pageHeader(group.name, { back: { href: '#/groups', text: t('group.back') }, subtitle: [label('focus', group.focus), group.region_name].filter(Boolean).join(' · '), actions }),
    info,
    membersCard(group, ctx, writable),
    card(t('group.activities'), history, { testid: 'card-group-activities', extra: h('span', { class: 'count-pill' }, t('groups.activities_count', { n: group.activities.length })) }));
}
