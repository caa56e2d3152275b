/* roles.js - which role may do what, mirrored from `jiayi routes` so the UI only
 * offers what the server will allow (the server still checks every request). */

const STAFF = ['team_lead', 'doctor', 'nurse', 'public_health_doctor', 'village_doctor', 'assistant'];
/* a hospital's referral office (双向转诊办) and its specialists: their hospital's side only */
const HOSPITAL = ['hospital_office', 'specialist'];
export const isHospital = (user) => Boolean(user && HOSPITAL.includes(user.role));

const PERMISSIONS = {
  'resident.read': ['system_admin', 'center_admin', ...STAFF, 'resident'],
  'resident.search': ['system_admin', 'center_admin', ...STAFF],
  'record.write': ['team_lead', 'doctor', 'nurse', 'public_health_doctor', 'village_doctor'],
  'clinical.write': ['team_lead', 'doctor', 'public_health_doctor', 'village_doctor'],
  'census.write': STAFF,
  'census.read': ['system_admin', 'health_commission', 'center_admin', ...STAFF],
  'flag.create': ['system_admin', 'center_admin', ...STAFF],
  'flag.read': ['system_admin', 'center_admin', ...STAFF],
  'flag.decide': ['team_lead', 'doctor', 'public_health_doctor', 'village_doctor'],
  'worklist.read': ['center_admin', ...STAFF],
  'team.read': ['system_admin', 'health_commission', 'center_admin', ...STAFF, 'resident'],
  'team.list': ['system_admin', 'health_commission', 'center_admin', ...STAFF],
  'audit.read': ['system_admin', 'center_admin'],
  /* the catalogue screen: publishing packages and new versions of them */
  'package.write': ['system_admin', 'center_admin'],
  'exam.import': ['center_admin', 'team_lead', 'doctor', 'public_health_doctor'],
  'device.manage': ['team_lead', 'doctor', 'nurse', 'public_health_doctor', 'village_doctor'],
  'package.read': ['system_admin', 'health_commission', 'center_admin', ...STAFF, 'resident'],
  'institution.read': ['system_admin', 'health_commission', 'center_admin', ...STAFF],
  'contract.read': ['system_admin', 'center_admin', ...STAFF, 'resident'],
  /* signing, renewing, ending and moving contracts from the staff screens (the server
   * also lets residents act on their own contract; the portal does not offer it) */
  'contract.write': ['center_admin', ...STAFF],
  /* the renewal work list of a team or an institution */
  'contract.expiring': ['center_admin', ...STAFF],
  'service.write': STAFF,
  'followup.write': ['team_lead', 'doctor', 'nurse', 'public_health_doctor', 'village_doctor'],
  /* outreach calls on work-list tasks (the team's staff who phone their patients) */
  'task.call': STAFF,
  'followup.read': ['system_admin', 'center_admin', ...STAFF],
  /* the record itself (follow-ups, exams, measurements, schedules, the plain summary): a
   * resident's own and proxy-consenting members', once opened to them (档案开放) */
  'record.read': ['system_admin', 'center_admin', ...STAFF, 'resident'],
  /* self-management groups: the health commission reads only counts (no screen of its own) */
  'group.read': ['system_admin', 'center_admin', ...STAFF],
  /* team appraisal and income distribution: the managers (PROTOCOLS.md §10) */
  'score.read': ['system_admin', 'health_commission', 'center_admin', 'team_lead'],
  'evaluation.run': ['system_admin', 'health_commission', 'center_admin', 'team_lead'],
  /* the county's reports (the high-risk pregnancy report) */
  'report.read': ['system_admin', 'health_commission', 'center_admin', 'team_lead'],
  'group.write': ['center_admin', 'team_lead', 'doctor', 'nurse', 'public_health_doctor', 'village_doctor'],
  /* the command dashboard: counts for every role that reads indicators, the residents
   * behind a number for all of them but the health commission */
  'indicator.read': ['system_admin', 'health_commission', 'center_admin', 'team_lead', 'doctor', 'nurse', 'public_health_doctor', 'village_doctor'],
  'indicator.patients': ['system_admin', 'center_admin', 'team_lead', 'doctor', 'nurse', 'public_health_doctor', 'village_doctor'],
  /* registering and editing residents, recording a death or a move (issue 14) */
  'resident.write': ['system_admin', 'center_admin', ...STAFF],
  /* visits and referrals recorded by hand; satisfaction answers collected by staff */
  'encounter.write': ['team_lead', 'doctor', 'nurse', 'public_health_doctor', 'village_doctor'],
  'satisfaction.write': STAFF,
  /* teams, members, caps, grid cells, regions and institutions (api/grid.c, api/teams.c) */
  'team.write': ['system_admin', 'center_admin'],
  /* the [jiayi] settings and the indicator rules (elderly age, renewal window) */
  'protocol.configure': ['system_admin'],
  /* the hospital in the loop (issue 15): slots and bookings, referrals both ways, the
   * county drug catalogue and prescriptions (src/domain/roles.c) */
  'slot.read': ['system_admin', 'center_admin', ...STAFF, ...HOSPITAL],
  'booking.write': STAFF,
  'slot.manage': ['system_admin', 'hospital_office'],
  'referral.read': ['system_admin', 'center_admin', ...STAFF, ...HOSPITAL],
  'referral.write': ['team_lead', 'doctor', 'nurse', 'public_health_doctor', 'village_doctor', ...HOSPITAL],
  'drug.read': ['system_admin', 'health_commission', 'center_admin', ...STAFF, ...HOSPITAL],
  'drug.write': ['system_admin', 'health_commission'],
  'prescription.read': ['system_admin', 'center_admin', ...STAFF],
  'prescription.write': ['team_lead', 'doctor', 'village_doctor'],
  'dispense': ['team_lead', 'doctor', 'nurse', 'village_doctor', 'assistant'],
  /* the resident's own portal screens (issue 16): messages, consultations, visit requests,
   * points, surveys, the contract, family members (views/portal-*.js) */
  'portal.use': ['resident'],
  /* visit requests (issue 16): the team's list, confirm, done (the resident asks in the portal) */
  'visit.manage': STAFF,
  /* what health points buy: adding and restocking items (a centre its own, the county all) */
  'points.catalogue_write': ['system_admin', 'center_admin'],
  /* the resident in the loop (issue 16): a team's service group and its consultations */
  'content.write': STAFF,
  'allocation.write': ['center_admin', 'team_lead'],
  'assessment.write': ['health_commission', 'center_admin'],
  'consultation.answer': STAFF,
};

export function can(user, permission) {
  if (!user) return false;
  const roles = PERMISSIONS[permission];
  return Boolean(roles && roles.includes(user.role));
}

/* The screen a user lands on after logging in. */
export function homeRoute(user) {
  if (!user) return '#/login';
  if (user.role === 'resident') return user.resident_id ? `#/residents/${user.resident_id}` : '#/login';
  /* Each role lands where its day starts: the commission on the command dashboard (指挥中心),
   * a centre admin on its township's dashboard, staff of a team on their residents. */
  if (user.role === 'health_commission' || user.role === 'center_admin') return '#/dashboard';
  /* a hospital desk starts from the referrals sent to it */
  if (isHospital(user)) return '#/referrals';
  return '#/residents';
}

/* Navigation entries for a role: [{route, key, id, icon}] in display order. */
export function navFor(user, path = '') {
  if (!user) return [];
  if (user.role === 'resident') return user.resident_id ? portalNav(actingFor(user, path)) : [];
  const items = [];
  /* administrators of an area come for the numbers: the dashboard leads their navigation */
  const dashboard = { route: '#/dashboard', key: 'nav.dashboard', id: 'dashboard', icon: 'dashboard' };
  const areaRole = ['system_admin', 'health_commission', 'center_admin'].includes(user.role);
  if (areaRole && can(user, 'indicator.read')) items.push(dashboard);
  if (can(user, 'resident.search')) items.push({ route: '#/residents', key: 'nav.residents', id: 'residents', icon: 'user' });
  if (can(user, 'worklist.read')) items.push({ route: '#/worklist', key: 'nav.worklist', id: 'worklist', icon: 'list' });
  /* the hospital in the loop: referrals (a desk's incoming work list, a team's sent and
   * returned ones), the slots to book, a desk's release settings */
  if (isHospital(user) && can(user, 'referral.read')) items.push({ route: '#/referrals', key: 'nav.referrals_in', id: 'referrals', icon: 'transfer' });
  if (isHospital(user) && can(user, 'slot.manage')) items.push({ route: '#/hospital/release-rules', key: 'nav.release_rules', id: 'release-rules', icon: 'calendar' });
  if (can(user, 'contract.expiring')) items.push({ route: '#/contracts/expiring', key: 'nav.contracts', id: 'contracts', icon: 'contract' });
  if (can(user, 'flag.read')) items.push({ route: '#/flags', key: 'nav.flags', id: 'flags', icon: 'flag' });
  if (can(user, 'group.read')) items.push({ route: '#/groups', key: 'nav.groups', id: 'groups', icon: 'groups' });
  if (can(user, 'team.list')) items.push({ route: '#/teams', key: 'nav.teams', id: 'teams', icon: 'team' });
  if (!areaRole && can(user, 'indicator.read')) items.push(dashboard);
  if (can(user, 'score.read')) items.push({ route: '#/team-scores', key: 'nav.scores', id: 'scores', icon: 'chart' });
  if (can(user, 'evaluation.run')) items.push({ route: '#/evaluation', key: 'nav.evaluation', id: 'evaluation', icon: 'chart' });
  if (can(user, 'census.read')) items.push({ route: '#/census', key: 'nav.census', id: 'census', icon: 'chart' });
  if (can(user, 'package.write')) items.push({ route: '#/packages', key: 'nav.packages', id: 'packages', icon: 'box' });
  if (can(user, 'team.write')) items.push({ route: '#/grid', key: 'nav.grid', id: 'grid', icon: 'home' });
  /* a team's referrals (sent up, returned, received down) and the slots it books: last, so
   * the phone bar keeps its places and these open from 更多 */
  if (!isHospital(user) && can(user, 'referral.write')) items.push({ route: '#/referrals', key: 'nav.referrals', id: 'referrals', icon: 'transfer' });
  if (!isHospital(user) && can(user, 'booking.write')) items.push({ route: '#/slots', key: 'nav.slots', id: 'slots', icon: 'calendar' });
  if (can(user, 'visit.manage')) items.push({ route: '#/visit-requests', key: 'nav.visit_requests', id: 'visit-requests', icon: 'home' });
  /* the team's service group (服务群) and its residents' consultations (咨询) */
  if (can(user, 'content.write')) items.push({ route: '#/service-group', key: 'nav.service_group', id: 'service-group', icon: 'groups' });
  if (can(user, 'consultation.answer')) items.push({ route: '#/consultations', key: 'nav.consultations', id: 'consultations', icon: 'list' });
  if (can(user, 'points.catalogue_write')) items.push({ route: '#/points-catalogue', key: 'nav.points_catalogue', id: 'points-catalogue', icon: 'gift' });
  return items;
}

/* Whom a resident acts for on the screen at `path` (#/residents/ID or #/portal/ID/...):
 * themself, or a household member who consented to their proxy (the server checks). */
export function actingFor(user, path = '') {
  const m = /^\/(?:residents|portal)\/(\d+)(?:\/|$)/.exec(path);
  return m ? Number(m[1]) : user.resident_id;
}

/* The resident's bottom tab bar (首页 / 消息 / 预约 / 积分 / 我的) for the person `id`;
 * consultations, surveys, the contract and family open from 我的 and the home screen. */
function portalNav(id) {
  return [
    { route: `#/residents/${id}`, key: 'nav.portal_home', id: 'my-record', icon: 'home' },
    { route: `#/portal/${id}/messages`, key: 'nav.portal_messages', id: 'portal-messages', icon: 'bell' },
    { route: `#/portal/${id}/visits`, key: 'nav.portal_visits', id: 'portal-visits', icon: 'calendar' },
    { route: `#/portal/${id}/points`, key: 'nav.portal_points', id: 'portal-points', icon: 'gift' },
    { route: `#/portal/${id}/me`, key: 'nav.portal_me', id: 'portal-me', icon: 'user' },
  ];
}

/* The phone's bottom tab bar holds at most PHONE_TABS places of navFor's list; when there
 * are more, a 更多 (More) tab opens the rest. The place on screen always stays in the bar
 * (it takes the last place). Returns {bar, more}, both in navFor's order. */
export const PHONE_TABS = 5;
export function phoneTabs(items, activeId) {
  if (items.length <= PHONE_TABS) return { bar: items, more: [] };
  let bar = items.slice(0, PHONE_TABS);
  const active = items.find((item) => item.id === activeId);
  if (active && !bar.includes(active)) bar = [...bar.slice(0, PHONE_TABS - 1), active];
  return { bar, more: items.filter((item) => !bar.includes(item)) };
}
