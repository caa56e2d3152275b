/* teams.js - family-doctor teams (家医团队): the list by township, and one team with
 * its members and roles, the grid cells it serves and a way into its work list. */
import { api } from '../api.js';
import { enumerations } from '../enumerations.js';
import { h, icon, pageHeader, card, facts, dataTable, pagedResults, empty, chip, toast } from '../dom.js';
import { t, label } from '../i18n.js';
import { can } from '../roles.js';
import { townshipNames, topRegion } from '../regions.js';
import { fieldForm, input, numberInput, select, checks } from '../fieldform.js';
import { allocationCard } from './allocation-card.js';

const MODELS = ['1+1+X', '1+4+N', 'three_masters', 'basic', 'standard', 'enhanced'];

function rerender() {
  window.dispatchEvent(new HashChangeEvent('hashchange'));
}

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

  if (can(ctx.user, 'team.write')) page.appendChild(await createTeamCard(ctx.user, region));
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
  const admin = can(user, 'team.write') ? await teamAdminCards(tm) : [];
  const allocations = await allocationCard(tm, user, () => ctx.rerender());
  return h('div', { class: 'page', 'data-testid': 'team-page', 'data-id': tm.id },
    pageHeader(tm.name, { back, subtitle: [tm.model, tm.institution].filter(Boolean).join(' · '), actions }),
    info,
    card(t('team.members'), memberTable, { testid: 'card-team-members', cls: 'card-flush-body' }),
    card(t('team.grid_cells'), cellsBody, { testid: 'card-grid-cells' }),
    allocations,
    admin);
}

/* A new team of an institution in the admin's area (POST /teams). */
async function createTeamCard(user, region) {
  const area = region || user.scope_region || (await topRegion())?.code;
  const institutions = (await api.get('/institutions', area ? { region: area } : {})).items;
  const name = input({ maxlength: '80', 'data-testid': 'new-team-name' });
  const model = select(MODELS.map((m) => [m, m]), { value: '1+1+X', 'data-testid': 'new-team-model' });
  const inst = select(institutions.map((i) => [String(i.id), `${i.name}（${label('institution_kind', i.kind)}）`]), { blank: '—', 'data-testid': 'new-team-institution' });
  const form = fieldForm({
    testid: 'new-team-form',
    submitLabel: t('teamadmin.create'),
    fields: [
      { name: 'name', label: t('teams.col_name'), control: name, required: true },
      { name: 'model', label: t('teams.col_model'), control: model, required: true },
      { name: 'institution_id', label: t('teams.col_institution'), control: inst, required: true, full: true },
    ],
    onSubmit: async (v) => {
      const team = await api.post('/teams', { name: v.name, model: v.model, institution_id: v.institution_id ? Number(v.institution_id) : undefined });
      toast(t('teamadmin.created'));
      location.hash = `#/teams/${team.id}`;
    },
  });
  const box = h('details', { class: 'card admin-details', 'data-testid': 'card-new-team' },
    h('summary', { class: 'card-title' }, icon('plus'), t('teamadmin.create')), h('div', { class: 'card-body' }, form));
  return box;
}

/* Members with their role and cap, the responsible doctor, new members and new staff, the
 * grid cells served: for system and centre admins (team.write). */
async function teamAdminCards(tm) {
  const township = (tm.region || '').slice(0, 9);
  const [staff, villages, lists] = await Promise.all([
    api.get('/staff', { institution: tm.institution_id, limit: 500 }).catch(() => ({ items: [] })),
    township ? api.get('/regions', { parent: township }).then((d) => d.items).catch(() => []) : [],
    enumerations(),
  ]);
  const cellsByVillage = await Promise.all(villages.map((v) => api.get('/regions', { parent: v.code }).then((d) => d.items).catch(() => [])));
  const members = tm.members || [];
  const memberIds = new Set(members.map((m) => m.id));

  const memberRows = members.map((m) => {
    const cap = numberInput({ min: '0', max: '100000', value: m.max_contracts ?? '', 'data-testid': 'member-cap' });
    const capForm = fieldForm({
      testid: 'member-cap-form',
      cls: 'inline-cap',
      submitLabel: t('teamadmin.cap_submit'),
      fields: [{ name: 'max_contracts', label: t('field.max_contracts'), control: cap, required: true, full: true,
        help: `${t('teamadmin.col_cap')}: ${m.households ?? 0} / ${m.max_contracts ?? 0}` }],
      onSubmit: async (v) => {
        await api.patch(`/staff/${m.id}`, { max_contracts: v.max_contracts });
        toast(t('teamadmin.saved'));
        rerender();
      },
    });
    const buttons = h('div', { class: 'member-actions' },
      m.id !== tm.doctor_id ? h('button', { type: 'button', class: 'btn btn-ghost btn-small', 'data-testid': 'member-make-doctor', onclick: async () => {
        try {
          await api.patch(`/teams/${tm.id}`, { doctor_id: m.id });
          toast(t('teamadmin.doctor_set', { name: m.name }));
          rerender();
        } catch (e) { toast(e.detail || String(e), 'error'); }
      } }, t('teamadmin.make_doctor')) : null,
      m.id !== tm.doctor_id ? h('button', { type: 'button', class: 'btn btn-ghost btn-small btn-danger-text', 'data-testid': 'member-remove', onclick: async () => {
        try {
          await api.del(`/teams/${tm.id}/members/${m.id}`);
          toast(t('teamadmin.removed', { name: m.name }));
          rerender();
        } catch (e) { toast(e.detail || String(e), 'error'); }
      } }, t('teamadmin.remove')) : null);
    return h('div', { class: 'admin-member', 'data-testid': 'admin-member', 'data-staff': m.id },
      h('div', { class: 'admin-member-head' }, h('span', { class: 'strong' }, m.name),
        h('span', { class: `badge role-badge role-${m.role}` }, label('member_role', m.role)),
        m.id === tm.doctor_id ? h('span', { class: 'badge badge-ok badge-small' }, t('team.lead_doctor')) : null),
      capForm, buttons);
  });

  const candidates = staff.items.filter((x) => !memberIds.has(x.id));
  const who = select(candidates.map((x) => [String(x.id), `${x.name}（${label('profession', x.profession)}）`]), { blank: '—', 'data-testid': 'add-member-staff' });
  const role = select(lists.team_member_roles.map((r) => [r, label('member_role', r)]), { value: 'gp', 'data-testid': 'add-member-role' });
  const addForm = fieldForm({
    testid: 'add-member-form',
    submitLabel: t('teamadmin.add_member_submit'),
    fields: [
      { name: 'staff_id', label: t('field.staff_id'), control: who, required: true, help: candidates.length ? null : t('teamadmin.no_staff') },
      { name: 'role', label: t('field.role'), control: role, required: true },
    ],
    onSubmit: async (v) => {
      await api.post(`/teams/${tm.id}/members`, { staff_id: v.staff_id ? Number(v.staff_id) : undefined, role: v.role });
      toast(t('teamadmin.member_added', { name: candidates.find((x) => String(x.id) === v.staff_id)?.name || '' }));
      rerender();
    },
  });

  const staffName = input({ maxlength: '50', 'data-testid': 'new-staff-name' });
  const profession = select(lists.staff_professions.map((p) => [p, label('profession', p)]), { value: 'gp', 'data-testid': 'new-staff-profession' });
  const phone = input({ type: 'tel', maxlength: '20', 'data-testid': 'new-staff-phone' });
  const max = numberInput({ min: '0', max: '100000', 'data-testid': 'new-staff-cap' });
  const newRole = select(lists.team_member_roles.map((r) => [r, label('member_role', r)]), { value: 'gp', 'data-testid': 'new-staff-role' });
  const staffForm = fieldForm({
    testid: 'new-staff-form',
    submitLabel: t('teamadmin.new_staff_submit'),
    fields: [
      { name: 'name', label: t('team.col_name'), control: staffName, required: true },
      { name: 'profession', label: t('field.profession'), control: profession, required: true },
      { name: 'phone', label: t('field.phone'), control: phone },
      { name: 'max_contracts', label: t('field.max_contracts'), control: max, help: t('teamadmin.cap_help') },
      { name: 'role', label: t('field.role'), control: newRole, required: true },
    ],
    onSubmit: async (v) => {
      const made = await api.post('/staff', { name: v.name, profession: v.profession, phone: v.phone, max_contracts: v.max_contracts, institution_id: tm.institution_id });
      await api.post(`/teams/${tm.id}/members`, { staff_id: made.id, role: v.role });
      toast(t('teamadmin.staff_created', { name: made.name }));
      rerender();
    },
  });

  const teamName = input({ maxlength: '80', value: tm.name, 'data-testid': 'team-edit-name' });
  const teamModel = select(MODELS.map((m) => [m, m]), { value: tm.model, 'data-testid': 'team-edit-model' });
  const editForm = fieldForm({
    testid: 'team-edit-form',
    submitLabel: t('app.save'),
    fields: [
      { name: 'name', label: t('teams.col_name'), control: teamName, required: true },
      { name: 'model', label: t('teams.col_model'), control: teamModel, required: true },
    ],
    onSubmit: async (v) => {
      await api.patch(`/teams/${tm.id}`, { name: v.name, model: v.model });
      toast(t('teamadmin.saved'));
      rerender();
    },
  });

  const served = (tm.grid_cells || []).map((c) => c.code);
  const options = villages.flatMap((v, i) => [[v.code, t('teamadmin.whole_village', { name: v.name })],
    ...cellsByVillage[i].map((c) => [c.code, `${v.name} · ${c.name}`])]);
  const cellChecks = checks(options, { checked: served, testid: 'team-cells' });
  cellChecks.classList.add('check-grid', 'check-scroll');
  const cellsForm = fieldForm({
    testid: 'team-cells-form',
    submitLabel: t('teamadmin.cells_submit'),
    fields: [{ name: 'cells', label: t('field.cells'), control: cellChecks, full: true, help: t('teamadmin.cells_help') }],
    onSubmit: async (v) => {
      await api.put(`/teams/${tm.id}/cells`, { cells: v.cells });
      toast(t('teamadmin.cells_saved'));
      rerender();
    },
  });

  return [
    card(t('teamadmin.manage'), [h('div', { class: 'admin-members' }, memberRows)], { testid: 'card-team-admin' }),
    card(t('teamadmin.add_member'), addForm, { testid: 'card-add-member' }),
    card(t('teamadmin.new_staff'), staffForm, { testid: 'card-new-staff' }),
    card(t('teamadmin.cells'), cellsForm, { testid: 'card-team-cells' }),
    card(t('teamadmin.edit'), editForm, { testid: 'card-team-edit' }),
  ];
}
