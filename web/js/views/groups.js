/* groups.js - chronic-disease self-management groups (慢性病自我管理小组): the groups in
 * the user's scope with their members, activities and attendance rate, and a dialog to
 * start a new one in a village the user serves (a team's villages, or a center admin's). */
import { api } from '../api.js';
import { h, icon, pageHeader, card, pagedResults, empty, chip, formDialog, field, localError, toast } from '../dom.js';
import { t, label } from '../i18n.js';
import { can } from '../roles.js';
import { formatDate, formatPercent } from '../format.js';
import { childRegions } from '../regions.js';

const PAGE = 30;
const FOCUSES = ['hypertension', 'diabetes', 'mixed'];

function columns() {
  return [
    { label: t('groups.col_name'), cls: 'col-name', render: (g) => h('a', { href: `#/groups/${g.id}`, class: 'strong-link', 'data-testid': 'group-link' }, g.name) },
    { label: t('groups.col_focus'), render: (g) => chip(label('focus', g.focus), `chip-focus focus-${g.focus}`) },
    { label: t('groups.col_village'), render: (g) => g.region_name || g.region },
    { label: t('groups.col_members'), cls: 'num', render: (g) => h('span', { 'data-testid': 'group-members' }, t('groups.members_count', { n: g.member_count })) },
    { label: t('groups.col_activities'), cls: 'num', render: (g) => t('groups.activities_count', { n: g.activity_count }) },
    { label: t('groups.col_last'), render: (g) => (g.last_activity ? formatDate(g.last_activity) : '—') },
    { label: t('groups.col_rate'), cls: 'num', render: (g) => h('span', { 'data-testid': 'group-rate' }, formatPercent(g.attendance_rate)) },
  ];
}

/* The villages a user may start a group in, with the team serving each: from the user's
 * teams' grid cells, else the villages of a center admin's (or village doctor's) region. */
async function villageChoices(user) {
  const villages = new Map();
  const teams = await Promise.all((user.teams || []).map((id) => api.get(`/teams/${id}`).catch(() => null)));
  for (const team of teams.filter(Boolean)) {
    for (const cell of team.grid_cells || []) {
      const code = cell.code.slice(0, 12);
      if (!villages.has(code)) villages.set(code, { code, name: cell.village || code, teams: [] });
      const v = villages.get(code);
      if (!v.teams.some((x) => x.id === team.id)) v.teams.push({ id: team.id, name: team.name });
    }
  }
  if (!villages.size && user.scope_region) {
    const list = user.scope_region.length >= 12 ? [{ code: user.scope_region, name: user.scope_region }] : await childRegions(user.scope_region);
    for (const r of list) villages.set(r.code, { code: r.code, name: r.name, teams: [] });
  }
  return [...villages.values()];
}

async function createGroup(user) {
  const villages = await villageChoices(user);
  if (!villages.length) {
    toast(t('groups.no_villages'), 'error');
    return null;
  }
  const name = h('input', { class: 'input', name: 'name', maxlength: '40', placeholder: t('groups.name_placeholder'), 'data-testid': 'group-name' });
  const focus = h('select', { class: 'input select', name: 'focus', 'data-testid': 'group-focus' },
    FOCUSES.map((f) => h('option', { value: f }, label('focus', f))));
  const village = h('select', { class: 'input select', name: 'region', 'data-testid': 'group-village' },
    villages.map((v) => h('option', { value: v.code }, v.name)));
  const team = h('select', { class: 'input select', name: 'team', 'data-testid': 'group-team' });
  const fillTeams = () => {
    const v = villages.find((x) => x.code === village.value);
    team.replaceChildren(...(v.teams.length ? v.teams : [{ id: '', name: t('groups.team_none') }]).map((tm) => h('option', { value: tm.id }, tm.name)));
  };
  village.addEventListener('change', fillTeams);
  fillTeams();
  return formDialog({
    title: t('groups.new'),
    testid: 'group-dialog',
    submitLabel: t('app.save'),
    fields: [
      field(t('groups.name'), name, { required: true }),
      field(t('groups.focus'), focus, { required: true }),
      field(t('groups.village'), village, { required: true }),
      field(t('groups.team'), team),
    ],
    onSubmit: async () => {
      if (!name.value.trim()) throw localError(t('groups.name_required'));
      const body = { name: name.value.trim(), focus: focus.value, region: village.value };
      if (team.value) body.team_id = Number(team.value);
      return api.post('/groups', body);
    },
  });
}

export async function groupsView(ctx) {
  ctx.setTitle(t('groups.title'));
  const query = { limit: PAGE };
  const data = await api.get('/groups', query);
  const actions = can(ctx.user, 'group.write')
    ? [h('button', {
      type: 'button', class: 'btn btn-primary', 'data-testid': 'group-new',
      onclick: async () => {
        const group = await createGroup(ctx.user);
        if (!group) return;
        toast(t('groups.created'));
        location.hash = `#/groups/${group.id}`;
      },
    }, icon('plus'), t('groups.new'))]
    : [];
  const page = h('div', { class: 'page', 'data-testid': 'groups-page' },
    pageHeader(t('groups.title'), { subtitle: t('groups.subtitle'), actions }));
  if (!data.items.length) {
    page.appendChild(card(null, empty(t('groups.empty'))));
    return page;
  }
  page.appendChild(pagedResults(columns(), data, {
    rowTestId: 'group-row', rowHref: (g) => `#/groups/${g.id}`,
    fetchPage: (cursor) => api.get('/groups', { ...query, cursor }),
  }));
  return page;
}
