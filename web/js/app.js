/* app.js - start-up, the header and the hash router.
 *
 * Routes: #/login, #/residents, #/residents/new, #/residents/ID, #/residents/ID/sign,
 * #/residents/ID/followup/PROGRAM, #/residents/ID/schedule/child|maternal, #/residents/ID/tb, #/households/ID,
 * #/teams, #/teams/ID, #/flags, #/worklist, #/census, #/contracts/expiring,
 * #/contracts/ID, #/contracts/ID/agreement, #/packages, #/packages/new,
 * #/packages/CODE/edit, #/grid (?region=), #/groups, #/groups/ID, #/offline (writes waiting to sync), #/dashboard (?scope=&period=&code=&trail=&part=),
 * #/slots (?hospital=&department=&from=&to=&resident=&reschedule=), #/referrals (?status=), #/referrals/ID,
 * #/hospital/release-rules; a route may carry a query (#/worklist?team=3).
 * For a resident, #/residents/ID is the portal (views/portal.js), not the staff page, and
 * #/portal/ID/messages|messages/CID|visits|points|me|consult|consult/CID|surveys|surveys/CODE|
 * contract|family are the portal's other screens (views/portal-*.js), ID the person they act for.
 * Each view is an async function that fills <main>; ctx.alive() turns false once the
 * user has navigated elsewhere, so a slow answer never paints over a newer screen. */
import { errorText, onUnauthorized } from './api.js';
import { h, clear, icon, toast, errorBox, loading } from './dom.js';
import { t, label, lang, setLang, onLangChange, ensureLanguage } from './i18n.js';
import { can, homeRoute, navFor, phoneTabs } from './roles.js';
import * as session from './session.js';
import * as offline from './offline.js';
import { applyLargeText, largeText, setLargeText } from './large-text.js';

/* Views are imported when first shown: a first load over a slow link carries only the start-up
 * modules (src/http/static.c preloads exactly app.js's static imports). view('x', 'xView')
 * is a view function like any other; the service worker keeps every view for offline use. */
const VIEWS = {
  login: () => import('./views/login.js'),
  residents: () => import('./views/residents.js'),
  resident: () => import('./views/resident.js'),
  portal: () => import('./views/portal.js'),
  household: () => import('./views/household.js'),
  teams: () => import('./views/teams.js'),
  flags: () => import('./views/flags.js'),
  worklist: () => import('./views/worklist.js'),
  exams: () => import('./views/exams.js'),
  census: () => import('./views/census.js'),
  sign: () => import('./views/sign.js'),
  contract: () => import('./views/contract.js'),
  agreement: () => import('./views/agreement.js'),
  followup: () => import('./views/followup.js'),
  schedule: () => import('./views/schedule.js'),
  tb: () => import('./views/tb.js'),
  copd: () => import('./views/copd.js'),
  assessments: () => import('./views/assessments.js'),
  visitDay: () => import('./views/visit-day.js'),
  sickbed: () => import('./views/sickbed.js'),
  expiring: () => import('./views/expiring.js'),
  catalogue: () => import('./views/catalogue.js'),
  groups: () => import('./views/groups.js'),
  teamScores: () => import('./views/team-scores.js'),
  evaluation: () => import('./views/evaluation.js'),
  qca: () => import('./views/qca.js'),
  group: () => import('./views/group.js'),
  dashboard: () => import('./views/dashboard.js'),
  pregnancyReport: () => import('./views/pregnancy-report.js'),
  offline: () => import('./views/offline.js'),
  residentNew: () => import('./views/resident-new.js'),
  grid: () => import('./views/grid.js'),
  slots: () => import('./views/slots.js'),
  referrals: () => import('./views/referrals.js'),
  releaseRules: () => import('./views/release-rules.js'),
  portalMessages: () => import('./views/portal-messages.js'),
  portalConsult: () => import('./views/portal-consult.js'),
  portalVisits: () => import('./views/portal-visits.js'),
  portalPoints: () => import('./views/portal-points.js'),
  portalSurveys: () => import('./views/portal-surveys.js'),
  portalContract: () => import('./views/portal-contract.js'),
  portalMe: () => import('./views/portal-me.js'),
  visitRequests: () => import('./views/visit-requests.js'),
  pointsCatalogue: () => import('./views/points-catalogue.js'),
  serviceGroup: () => import('./views/service-group.js'),
  imports: () => import('./views/imports.js'),
};
const view = (module, name) => Object.assign(async (ctx) => (await VIEWS[module]())[name](ctx), {
  preload: () => VIEWS[module](),
});
const loginView = view('login', 'loginView');
const residentsView = view('residents', 'residentsView');
const residentView = view('resident', 'residentView');
const portalView = view('portal', 'portalView');
const householdView = view('household', 'householdView');
const teamsView = view('teams', 'teamsView');
const teamView = view('teams', 'teamView');
const flagsView = view('flags', 'flagsView');
const worklistView = view('worklist', 'worklistView');
const examsImportView = view('exams', 'examsImportView');
const importsView = view('imports', 'importsView');
const censusView = view('census', 'censusView');
const signView = view('sign', 'signView');
const contractView = view('contract', 'contractView');
const agreementView = view('agreement', 'agreementView');
const followupView = view('followup', 'followupView');
const scheduleView = view('schedule', 'scheduleView');
const tbView = view('tb', 'tbView');
const copdView = view('copd', 'copdView');
const assessmentsView = view('assessments', 'assessmentsView');
const evaluationsView = view('evaluation', 'evaluationsView');
const evaluationView = view('evaluation', 'evaluationView');
const qcaView = view('qca', 'qcaView');
const assessmentView = view('assessments', 'assessmentView');
const visitDayView = view('visitDay', 'visitDayView');
const sickbedView = view('sickbed', 'sickbedView');
const expiringView = view('expiring', 'expiringView');
const catalogueView = view('catalogue', 'catalogueView');
const packageNewView = view('catalogue', 'packageNewView');
const packageEditView = view('catalogue', 'packageEditView');
const groupsView = view('groups', 'groupsView');
const teamScoresView = view('teamScores', 'teamScoresView');
const groupView = view('group', 'groupView');
const dashboardView = view('dashboard', 'dashboardView');
const pregnancyReportView = view('pregnancyReport', 'pregnancyReportView');
const offlineView = view('offline', 'offlineView');
const residentNewView = view('residentNew', 'residentNewView');
const gridView = view('grid', 'gridView');
const slotsView = view('slots', 'slotsView');
const referralsView = view('referrals', 'referralsView');
const referralView = view('referrals', 'referralView');
const releaseRulesView = view('releaseRules', 'releaseRulesView');
const portalMessagesView = view('portalMessages', 'messagesView');
const portalMessageView = view('portalMessages', 'messageView');
const portalConsultationsView = view('portalConsult', 'consultationsView');
const portalConsultationView = view('portalConsult', 'consultationView');
const portalVisitsView = view('portalVisits', 'visitsView');
const portalPointsView = view('portalPoints', 'pointsView');
const portalSurveysView = view('portalSurveys', 'surveysView');
const portalSurveyView = view('portalSurveys', 'surveyView');
const portalContractView = view('portalContract', 'portalContractView');
const portalMeView = view('portalMe', 'meView');
const portalFamilyView = view('portalMe', 'familyView');
const visitRequestsView = view('visitRequests', 'visitRequestsView');
const pointsCatalogueView = view('pointsCatalogue', 'pointsCatalogueView');
const serviceGroupView = view('serviceGroup', 'serviceGroupView');
const consultationsView = view('serviceGroup', 'consultationsView');

const ROUTES = [
  { pattern: /^\/login$/, view: loginView, public: true },
  { pattern: /^\/residents$/, view: residentsView, permission: 'resident.search', nav: 'residents' },
  { pattern: /^\/residents\/new$/, view: residentNewView, permission: 'resident.write', nav: 'residents' },
  /* A resident sees a person's record as the portal (their own, or a proxy-consenting member's). */
  { pattern: /^\/residents\/(\d+)$/, view: (ctx) => (ctx.user.role === 'resident' ? portalView(ctx) : residentView(ctx)), permission: 'resident.read', nav: 'residents' },
  { pattern: /^\/households\/(\d+)$/, view: householdView, permission: 'resident.read', nav: 'residents' },
  { pattern: /^\/teams$/, view: teamsView, permission: 'team.list', nav: 'teams' },
  { pattern: /^\/teams\/(\d+)$/, view: teamView, permission: 'team.read', nav: 'teams' },
  { pattern: /^\/flags$/, view: flagsView, permission: 'flag.read', nav: 'flags' },
  { pattern: /^\/worklist$/, view: worklistView, permission: 'worklist.read', nav: 'worklist' },
  { pattern: /^\/visit-day$/, view: visitDayView, permission: 'worklist.read', nav: 'worklist' },
  { pattern: /^\/exams\/import$/, view: examsImportView, permission: 'exam.import', nav: 'worklist' },
  { pattern: /^\/imports$/, view: importsView, permission: 'resident.write', nav: 'residents' },
  { pattern: /^\/census$/, view: censusView, permission: 'census.read', nav: 'census' },
  { pattern: /^\/residents\/(\d+)\/sign$/, view: signView, permission: 'contract.write', nav: 'residents' },
  { pattern: /^\/residents\/(\d+)\/followup\/([a-z]+)$/, view: followupView, permission: 'followup.write', nav: 'worklist' },
  { pattern: /^\/residents\/(\d+)\/schedule\/(child|maternal)$/, view: scheduleView, permission: 'followup.read', nav: 'residents' },
  { pattern: /^\/residents\/(\d+)\/tb$/, view: tbView, permission: 'followup.read', nav: 'residents' },
  { pattern: /^\/residents\/(\d+)\/copd$/, view: copdView, permission: 'followup.read', nav: 'residents' },
  { pattern: /^\/residents\/(\d+)\/sickbed$/, view: sickbedView, permission: 'followup.read', nav: 'residents' },
  { pattern: /^\/contracts\/expiring$/, view: expiringView, permission: 'contract.expiring', nav: 'contracts' },
  { pattern: /^\/contracts\/(\d+)$/, view: contractView, permission: 'contract.read', nav: 'contracts' },
  { pattern: /^\/contracts\/(\d+)\/agreement$/, view: agreementView, permission: 'contract.read', nav: 'contracts', page: 'print' },
  { pattern: /^\/groups$/, view: groupsView, permission: 'group.read', nav: 'groups' },
  { pattern: /^\/team-scores$/, view: teamScoresView, permission: 'score.read', nav: 'scores' },
  { pattern: /^\/assessments$/, view: assessmentsView, permission: 'score.read', nav: 'scores' },
  { pattern: /^\/evaluation$/, view: evaluationsView, permission: 'evaluation.run', nav: 'evaluation' },
  { pattern: /^\/evaluation\/qca$/, view: qcaView, permission: 'evaluation.run', nav: 'evaluation' },
  { pattern: /^\/evaluation\/(\d+)$/, view: evaluationView, permission: 'evaluation.run', nav: 'evaluation' },
  { pattern: /^\/assessments\/(\d+)$/, view: assessmentView, permission: 'score.read', nav: 'scores' },
  { pattern: /^\/groups\/(\d+)$/, view: groupView, permission: 'group.read', nav: 'groups' },
  { pattern: /^\/dashboard$/, view: dashboardView, permission: 'indicator.read', nav: 'dashboard' },
  { pattern: /^\/reports\/high-risk-pregnancies$/, view: pregnancyReportView, permission: 'report.read', nav: 'dashboard' },
  { pattern: /^\/packages$/, view: catalogueView, permission: 'package.write', nav: 'packages' },
  { pattern: /^\/packages\/new$/, view: packageNewView, permission: 'package.write', nav: 'packages' },
  { pattern: /^\/packages\/([^/]+)\/edit$/, view: packageEditView, permission: 'package.write', nav: 'packages' },
  { pattern: /^\/grid$/, view: gridView, permission: 'team.write', nav: 'grid' },
  { pattern: /^\/slots$/, view: slotsView, permission: 'booking.write', nav: 'slots' },
  { pattern: /^\/referrals$/, view: referralsView, permission: 'referral.read', nav: 'referrals' },
  { pattern: /^\/referrals\/(\d+)$/, view: referralView, permission: 'referral.read', nav: 'referrals' },
  { pattern: /^\/hospital\/release-rules$/, view: releaseRulesView, permission: 'slot.manage', nav: 'release-rules' },
  { pattern: /^\/visit-requests$/, view: visitRequestsView, permission: 'visit.manage', nav: 'visit-requests' },
  { pattern: /^\/points-catalogue$/, view: pointsCatalogueView, permission: 'points.catalogue_write', nav: 'points-catalogue' },
  /* the team's service group and its consultations (issue 16) */
  { pattern: /^\/service-group$/, view: serviceGroupView, permission: 'content.write', nav: 'service-group' },
  { pattern: /^\/consultations$/, view: consultationsView, permission: 'consultation.answer', nav: 'consultations' },
  { pattern: /^\/offline$/, view: offlineView },
  /* the resident's portal (issue 16) */
  { pattern: /^\/portal\/(\d+)\/messages$/, view: portalMessagesView, permission: 'portal.use', nav: 'portal-messages' },
  { pattern: /^\/portal\/(\d+)\/messages\/(\d+)$/, view: portalMessageView, permission: 'portal.use', nav: 'portal-messages' },
  { pattern: /^\/portal\/(\d+)\/visits$/, view: portalVisitsView, permission: 'portal.use', nav: 'portal-visits' },
  { pattern: /^\/portal\/(\d+)\/points$/, view: portalPointsView, permission: 'portal.use', nav: 'portal-points' },
  { pattern: /^\/portal\/(\d+)\/me$/, view: portalMeView, permission: 'portal.use', nav: 'portal-me' },
  { pattern: /^\/portal\/(\d+)\/consult$/, view: portalConsultationsView, permission: 'portal.use', nav: 'portal-me' },
  { pattern: /^\/portal\/(\d+)\/consult\/(\d+)$/, view: portalConsultationView, permission: 'portal.use', nav: 'portal-me' },
  { pattern: /^\/portal\/(\d+)\/surveys$/, view: portalSurveysView, permission: 'portal.use', nav: 'portal-me' },
  { pattern: /^\/portal\/(\d+)\/surveys\/([a-z0-9_]+)$/, view: portalSurveyView, permission: 'portal.use', nav: 'portal-me' },
  { pattern: /^\/portal\/(\d+)\/contract$/, view: portalContractView, permission: 'portal.use', nav: 'portal-me' },
  { pattern: /^\/portal\/(\d+)\/family$/, view: portalFamilyView, permission: 'portal.use', nav: 'portal-me' },
];

const root = document.getElementById('app');
let renderCount = 0;

function parseHash() {
  const raw = location.hash.replace(/^#/, '') || '/';
  const [path, search = ''] = raw.split('?');
  return { path, query: new URLSearchParams(search) };
}

function isActive(item, path) {
  const base = item.route.replace(/^#/, '').split('?')[0];
  return path === base || (base !== '/' && path.startsWith(base + '/'));
}

/* The header (brand, language, user, log out) and the role's navigation: a bar under
 * the header on a desk, a bottom tab bar on a phone (CSS). */
function renderHeader(path, route) {
  const user = session.user();
  const langButton = h('button', {
    type: 'button', class: 'header-btn lang-btn', 'data-testid': 'lang-switch',
    title: t('app.lang_switch_title'), lang: lang() === 'en' ? 'zh-CN' : 'en',
    onclick: () => setLang(lang() === 'en' ? 'zh-CN' : 'en'),
  }, icon('globe'), h('span', null, t('app.lang_switch')));

  const brand = h('a', { class: 'brand', href: user ? homeRoute(user) : '#/login', 'data-testid': 'brand' },
    h('span', { class: 'brand-mark', 'aria-hidden': 'true' }, icon('cross', 'brand-cross')),
    h('span', { class: 'brand-text' },
      h('span', { class: 'brand-name' }, t('app.name')),
      h('span', { class: 'brand-sub' }, t('app.subtitle'))));

  const right = h('div', { class: 'header-right' }, langButton);
  /* 大字 for the residents' portal (and its log-in): every text larger, remembered */
  if (!user || user.role === 'resident') {
    const on = largeText();
    right.insertBefore(h('button', {
      type: 'button', class: `header-btn large-text-btn${on ? ' is-on' : ''}`, 'data-testid': 'large-text-switch',
      'aria-pressed': on ? 'true' : 'false', title: t('portal.large_text_title'),
      onclick: (event) => {
        const now = !largeText();
        setLargeText(now);
        event.currentTarget.classList.toggle('is-on', now);
        event.currentTarget.setAttribute('aria-pressed', now ? 'true' : 'false');
        const row = document.querySelector('[data-testid=portal-large-text]');
        if (row) row.checked = now;
      },
    }, h('span', { class: 'large-text-label' }, t('portal.large_text'))), langButton);
  }
  if (user) {
    right.insertBefore(offline.badge(), langButton);
    right.appendChild(h('div', { class: 'user-box', 'data-testid': 'user-box' },
      h('span', { class: 'user-avatar', 'aria-hidden': 'true' }, icon('user')),
      h('span', { class: 'user-text' },
        h('span', { class: 'user-name', 'data-testid': 'user-name' }, user.display_name || user.username),
        h('span', { class: user.display_name === label('role', user.role) ? 'user-role visually-hidden' : 'user-role', 'data-testid': 'user-role' }, label('role', user.role)))));
    right.appendChild(h('button', {
      type: 'button', class: 'header-btn', 'data-testid': 'logout', title: t('app.logout'),
      onclick: async () => {
        /* Queued writes stay for their author, but say so before leaving. */
        if (offline.pendingCount() && !window.confirm(t('offline.logout_pending', { n: offline.pendingCount() }))) return;
        try {
          await session.logout();
        } catch {
          /* the cookie is gone or the server is away: forget the user either way */
        }
        location.hash = '#/login';
      },
    }, icon('logout'), h('span', { class: 'header-btn-text' }, t('app.logout'))));
  }

  const header = h('header', { class: 'app-header', 'data-testid': 'app-header' },
    h('div', { class: 'header-bar' }, h('div', { class: 'container header-inner' }, brand, right)));
  const items = navFor(user, path);
  let nav = null;
  if (items.length) {
    const isOn = (item) => isActive(item, path) || Boolean(route && route.nav === item.id);
    const current = items.find(isOn);
    const { more } = phoneTabs(items, current && current.id);
    const portal = user.role === 'resident' ? ' nav-portal' : '';
    nav = (h('nav', { class: `app-nav nav-count-${items.length - more.length + (more.length ? 1 : 0)}${portal}`, 'aria-label': t('app.name') },
      h('div', { class: 'container nav-inner' }, items.map((item) => {
        const active = isOn(item);
        const cls = `nav-link${active ? ' active' : ''}${more.includes(item) ? ' nav-overflow' : ''}`;
        return h('a', {
          href: item.route, class: cls,
          'aria-current': active ? 'page' : null, 'data-testid': `nav-${item.id}`,
        }, icon(item.icon, 'icon nav-icon'), h('span', { class: 'nav-text' }, t(item.key)));
      }), more.length ? moreMenu(more) : null)));
  }
  return [header, nav];
}

/* The phone's 更多 (More) tab and the sheet it opens with the places the bar has no room
 * for (CSS shows both below 720px only; a desk shows every place in the bar). */
function moreMenu(more) {
  const sheet = h('div', { class: 'nav-sheet', id: 'nav-sheet', hidden: true, 'data-testid': 'nav-more-sheet', role: 'menu', 'aria-label': t('nav.more_title') },
    more.map((item) => h('a', { href: item.route, class: 'nav-sheet-link', role: 'menuitem', 'data-testid': `nav-more-${item.id}` },
      icon(item.icon, 'icon'), h('span', null, t(item.key)))));
  const button = h('button', {
    type: 'button', class: 'nav-link nav-more', 'data-testid': 'nav-more', 'aria-haspopup': 'true',
    'aria-expanded': 'false', 'aria-controls': 'nav-sheet',
  }, icon('more', 'icon nav-icon'), h('span', { class: 'nav-text' }, t('nav.more')));
  const show = (open) => {
    sheet.hidden = !open;
    button.setAttribute('aria-expanded', open ? 'true' : 'false');
  };
  button.addEventListener('click', (event) => {
    event.stopPropagation();
    show(sheet.hidden);
  });
  const away = (event) => {
    if (!button.isConnected) {
      document.removeEventListener('click', away);
      document.removeEventListener('keydown', away);
      return;
    }
    if (event.type === 'keydown' ? event.key === 'Escape' : !sheet.contains(event.target)) show(false);
  };
  document.addEventListener('click', away);
  document.addEventListener('keydown', away);
  return [button, sheet];
}

let currentContainer = null;

/* The address whose screen is now drawn, on <html data-rendered>: the URL changes before the
 * hashchange event redraws, so a test (or a script) reading the screen waits for this. */
function markRendered() {
  document.documentElement.dataset.rendered = location.hash;
}

/* Draws the screen for the current address. With `refresh` (after a change made on
 * the screen) the old content stays, scrolled where it was, until the new is ready. */
async function render({ refresh = false } = {}) {
  const count = ++renderCount;
  const { path, query } = parseHash();
  let user = session.user();
  let route = null;
  let params = [];
  for (const r of ROUTES) {
    const m = path.match(r.pattern);
    if (m) {
      route = r;
      params = m.slice(1);
      break;
    }
  }
  if (!user && !(route && route.public)) {
    const next = path !== '/' && path !== '/login' ? location.hash : '';
    location.replace(next ? `#/login?next=${encodeURIComponent(next)}` : '#/login');
    return;
  }
  if (user && (path === '/' || path === '/login')) {
    location.replace(homeRoute(user));
    return;
  }
  if (route && route.permission && !can(user, route.permission)) {
    location.replace(homeRoute(user));
    return;
  }

  const ctx = {
    params,
    query,
    user,
    alive: () => count === renderCount,
    rerender: () => render({ refresh: true }),
    setTitle: (title) => {
      document.title = `${title} · ${t('app.name')}`;
    },
  };
  if (refresh && route && currentContainer && currentContainer.isConnected) {
    const y = window.scrollY;
    const container = currentContainer;
    try {
      const content = await route.view(ctx);
      if (!ctx.alive()) return;
      clear(container);
      if (content) container.appendChild(content);
      window.scrollTo(0, y);
      markRendered();
    } catch (error) {
      if (!ctx.alive()) return;
      toast(errorText(error), 'error');
    }
    return;
  }

  document.documentElement.lang = lang();
  document.title = t('app.name');
  const main = h('main', { id: 'main', class: route && route.public ? 'main main-login' : route && route.page === 'print' ? 'main main-print' : 'main', tabindex: '-1' });
  clear(root);
  for (const part of renderHeader(path, route)) if (part) root.appendChild(part);
  root.appendChild(main);
  window.scrollTo(0, 0);

  const container = h('div', { class: 'container' });
  currentContainer = container;
  main.appendChild(container);
  if (!route) {
    container.appendChild(h('div', { class: 'card not-found', 'data-testid': 'not-found' },
      h('h1', { class: 'page-title' }, t('app.not_found')),
      h('a', { class: 'btn btn-primary', href: user ? homeRoute(user) : '#/login' }, t('app.back_home'))));
    markRendered();
    return;
  }
  container.appendChild(loading());
  try {
    const content = await route.view(ctx);
    if (!ctx.alive()) return;
    clear(container);
    if (content) container.appendChild(content);
    markRendered();
  } catch (error) {
    if (!ctx.alive()) return;
    clear(container);
    /* Out of scope or unknown: trying again will not help; offer the way home. */
    const final = error.status === 403 || error.status === 404;
    container.appendChild(errorBox(error, final ? null : () => render()));
    if (final) {
      container.appendChild(h('p', { class: 'error-actions' },
        h('a', { class: 'btn btn-secondary', href: homeRoute(user), 'data-testid': 'error-home' }, t('app.back_home'))));
    }
    markRendered();
  }
}

onUnauthorized(() => {
  if (!session.user()) return;
  session.forget();
  toast(t('app.session_expired'), 'error');
  const { path } = parseHash();
  location.replace(path === '/login' ? '#/login' : `#/login?next=${encodeURIComponent(location.hash)}`);
});

onLangChange(() => render());
window.addEventListener('hashchange', () => render());

session.onChange((user) => offline.setUser(user));

async function start() {
  applyLargeText();
  offline.start();
  document.documentElement.lang = lang();
  clear(root);
  root.appendChild(h('div', { class: 'boot' }, loading()));
  /* The screen the address names is fetched while the session is read: one round trip
   * less on a slow link (an import is fetched once, whoever asks first). */
  const named = ROUTES.find((r) => r.pattern.test(parseHash().path));
  if (named && named.view.preload) named.view.preload().catch(() => {});
  try {
    await Promise.all([session.restore(), ensureLanguage(lang())]);
  } catch (error) {
    clear(root);
    root.appendChild(h('div', { class: 'container boot' }, errorBox(error, () => start())));
    return;
  }
  render();
}

start();
