/* teams.js - family-doctor teams (家医团队): the list by township, and one team with
 * its members and roles, the grid cells it serves and a way into its work list. */
import { api } from '../api.js';
import { h, icon, pageHeader, card, facts, dataTable, pagedResults, empty, chip } from '../dom.js';
import { t, label } from '../i18n.js';
import { can } from '../roles.js';
import { townshipNames } from '../regions.js';

const PAGE = 20;

function teamColumns(names) {
  return [
    { label: t('teams.col_name'), cls: 'col-name', render: (tm) => h('a', { href: `#/teams/${tm.id}`, class: 'strong-link', 'data-testid': 'team-link' }, tm.name) },
    { label: t('teams.col_model'), render: (tm) => (tm.model ? chip(tm.model, 'chip-model') : '—') },
    { label: t('teams.col_institution'), render: (tm) => tm.institution || '—' },
    { label: t('teams.col_region'), render: (tm) => names.get(tm.region) || tm.region || '—' },
    { label: t('teams.col_members'), cls: 'num', render: (tm) => t('teams.members_count', { n: (tm.members || []).length }) },
  ];
}

export async function teamsView(ctx) {
  ctx.setTitle(t('teams.title'));
  const region = ctx.query.get('region') || '';
  const names = await townshipNames();
  const query = { region, limit: PAGE };
  const [data, mine] = await Promise.all([
    api.get('/teams', query),
    ctx.user.teams && ctx.user.teams.length && !region
      ? Promise.all(ctx.user.teams.map((id) => api.get(`/teams/${id}`).catch(() => null)))
      : Promise.resolve([]),
  ]);

  const select = h('select', { class: 'input select', 'data-testid': 'teams-region', 'aria-label': t('teams.col_region') },
    h('option', { value: '' }, t('teams.all_regions')),
    [...names.entries()].map(([code, name]) => h('option', { value: code, selected: code === region }, name)));
  select.addEventListener('change', () => {
    location.hash = select.value ? `#/teams?region=${encodeURIComponent(select.value)}` : '#/teams';
  });

  const page = h('div', { class: 'page', 'data-testid': 'teams-page' },
    pageHeader(t('teams.title'), { actions: [select] }));

  const myTeams = mine.filter(Boolean);
  if (myTeams.length) {
    page.appendChild(h('section', { class: 'my-teams', 'data-testid': 'my-teams' },
      h('h2', { class: 'section-title' }, t('teams.mine')),
      h('div', { class: 'tile-grid' }, myTeams.map((tm) => h('a', { href: `#/teams/${tm.id}`, class: 'tile', 'data-testid': 'my-team' },
        h('span', { class: 'tile-icon' }, icon('team')),
        h('span', { class: 'tile-text' },
          h('span', { class: 'tile-title' }, tm.name),
          h('span', { class: 'tile-sub' }, [tm.model, tm.institution, t('teams.members_count', { n: (tm.members || []).length })].filter(Boolean).join(' · '))))))));
  }

  if (!data.items.length) {
    page.appendChild(card(null, empty(t('teams.empty'))));
    return page;
  }
  page.appendChild(pagedResults(teamColumns(names), data, {
    rowTestId: 'team-row', rowHref: (tm) => `#/teams/${tm.id}`, cls: 'compact-cards', fetchPage: (cursor) => api.get('/teams', { ...query, cursor }),
  }));
  return page;
}

export async function teamView(ctx) {
  const id = Number(ctx.params[0]);
  const [tm, names] = await Promise.all([api.get(`/teams/${id}`), townshipNames()]);
  ctx.setTitle(tm.name);
  const user = ctx.user;
  const seesWorklist = can(user, 'worklist.read');
  const members = tm.members || [];
  const doctor = members.find((m) => m.id === tm.doctor_id);

  const actions = seesWorklist
    ? [h('a', { href: `#/worklist?team=${tm.id}`, class: 'btn btn-primary', 'data-testid': 'team-worklist' }, icon('list'), t('team.worklist'))]
    : [];

  const info = card(t('team.info'), facts([
    [t('team.model'), tm.model ? chip(tm.model, 'chip-model') : '—'],
    [t('team.institution'), tm.institution],
    [t('team.region'), names.get(tm.region) || tm.region],
    [t('team.lead_doctor'), doctor ? h('span', null, h('span', { class: 'strong' }, doctor.name), doctor.phone ? h('a', { href: `tel:${doctor.phone}`, class: 'mono lead-phone' }, doctor.phone) : null) : '—'],
  ], 'facts-wide'), { testid: 'card-team-info' });

  const memberTable = members.length
    ? dataTable([
      {
        label: t('team.col_name'),
        render: (m) => h('span', { class: 'member-name' },
          h('span', { class: 'strong' }, m.name),
          m.id === tm.doctor_id ? h('span', { class: 'badge badge-ok badge-small' }, t('team.lead_doctor')) : null),
      },
      { label: t('team.col_role'), render: (m) => h('span', { class: `badge role-badge role-${m.role}`, 'data-testid': 'member-role' }, label('member_role', m.role)) },
      { label: t('team.col_profession'), render: (m) => label('profession', m.profession) },
      { label: t('team.col_phone'), cls: 'mono', render: (m) => (m.phone ? h('a', { href: `tel:${m.phone}` }, m.phone) : '—') },
      {
        label: t('team.col_account'),
        render: (m) => {
          const doctorLike = m.role === 'lead' || m.id === tm.doctor_id || m.profession === 'gp' || m.role === 'village_doctor';
          return h('span', { class: 'account-cell' },
            m.username ? h('span', { class: 'mono muted' }, m.username) : '—',
            seesWorklist && doctorLike ? h('a', { href: `#/worklist?doctor=${m.id}`, class: 'btn btn-ghost btn-small', 'data-testid': 'member-worklist' }, t('team.member_worklist')) : null);
        },
      },
    ], members, { rowTestId: 'team-member-row' })
    : empty(t('app.none'));

  const cells = tm.grid_cells || [];
  const cellsBody = cells.length
    ? dataTable([
      { label: t('team.col_cell'), render: (c) => h('span', { class: 'strong' }, c.name) },
      { label: t('team.col_village'), render: (c) => c.village || '—' },
      { label: t('team.col_code'), cls: 'mono', render: (c) => c.code },
    ], cells, { rowTestId: 'grid-cell-row', cls: 'table-compact' })
    : empty(t('team.grid_none'));

  const back = can(user, 'team.list') ? { href: '#/teams', text: t('team.back') } : null;
  return h('div', { class: 'page', 'data-testid': 'team-page', 'data-id': tm.id },
    pageHeader(tm.name, { back, subtitle: [tm.model, tm.institution].filter(Boolean).join(' · '), actions }),
    info,
    card(t('team.members'), memberTable, { testid: 'card-team-members', cls: 'card-flush-body' }),
    card(t('team.grid_cells'), cellsBody, { testid: 'card-grid-cells' }));
}
