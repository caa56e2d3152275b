/* portal.js - the resident's own record (档案开放), the screen a resident lands on: made
 * for someone of 70 on a phone, large type, one column, the most useful first. What to do
 * next and by when, the latest blood pressure and blood sugar with what they mean, the
 * trend chart (views/trends.js), a child's or a pregnancy's checks, the follow-ups with the
 * doctor's decision in a sentence, exam results, the family doctor, and for a proxy the
 * household members they may look at.
 *
 * The words come from the server (GET /residents/{id}/health-summary, in the UI's
 * language); this file only lays them out. While the record is not opened the server
 * answers 403 record_not_opened and the screen says so kindly, with the doctor to ask. */
import { api } from '../api.js';
import { h, icon, card, empty } from '../dom.js';
import { t } from '../i18n.js';
import { formatDate } from '../format.js';
import { trendsCard } from './trends.js';
import { portalHref, refreshUnread } from './portal-common.js';

const TONES = ['good', 'normal', 'attention', 'urgent'];

function toneClass(tone) {
  return `tone-${TONES.includes(tone) ? tone : 'normal'}`;
}

/* A dot that repeats the tone for those who do not see colour well: ✓, •, !, !! */
function toneMark(tone) {
  const marks = { good: '✓', normal: '•', attention: '!', urgent: '!!' };
  return h('span', { class: `tone-mark ${toneClass(tone)}`, 'aria-hidden': 'true' }, marks[tone] || '•');
}

/* What to do next: the open tasks, then each schedule's next check, soonest first. */
function nextCard(summary) {
  const items = summary.next_steps.map((n) => ({ text: n.text, tone: n.tone, date: n.due_date }));
  for (const s of summary.schedules) {
    if (s.next) items.push({ text: s.next.text, tone: s.next.due_now ? 'attention' : 'normal', date: s.next.to });
  }
  items.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  const body = items.length
    ? h('ul', { class: 'portal-list', 'data-testid': 'portal-next' }, items.map((n) => h('li', {
      class: `portal-next-item ${toneClass(n.tone)}`, 'data-testid': 'portal-next-item', 'data-tone': n.tone,
    }, toneMark(n.tone), h('span', null, n.text))))
    : empty(t('portal.next_none'), 'portal-next-none');
  return card(t('portal.next_title'), body, { testid: 'portal-card-next', cls: 'portal-card portal-card-next' });
}

function reading(kind, value, unit, r) {
  return h('div', { class: `portal-reading ${toneClass(r.tone)}`, 'data-testid': `portal-latest-${kind}`, 'data-tone': r.tone },
    h('div', { class: 'portal-reading-label' }, t(`portal.${kind}`)),
    h('div', { class: 'portal-reading-value' }, h('span', { class: 'portal-number' }, value), h('span', { class: 'portal-unit' }, unit)),
    h('div', { class: 'portal-verdict' }, toneMark(r.tone), h('span', null, r.text)),
    h('div', { class: 'portal-when' }, t('portal.measured_on', { date: formatDate(r.date) })));
}

/* The latest blood pressure and blood sugar, big, each with what it means; nothing when
 * neither was measured (a baby's record). */
function latestCard(summary) {
  const { blood_pressure: bp, glucose } = summary.latest;
  const parts = [];
  if (bp) parts.push(reading('bp', `${bp.sbp}/${bp.dbp}`, 'mmHg', bp));
  if (glucose) parts.push(reading('glucose', String(glucose.fbg), 'mmol/L', glucose));
  if (!parts.length) return null;
  return card(t('portal.latest_title'), h('div', { class: 'portal-readings' }, parts), { testid: 'portal-card-latest', cls: 'portal-card' });
}

function programmesCard(summary) {
  if (!summary.programmes.length) return null;
  return card(t('portal.programmes_title'), h('ul', { class: 'portal-chips', 'data-testid': 'portal-programmes' },
    summary.programmes.map((p) => h('li', { class: 'portal-chip' }, p.name,
      h('span', { class: 'portal-since' }, t('portal.since', { date: formatDate(p.since) }))))),
  { testid: 'portal-card-programmes', cls: 'portal-card' });
}

const SHOWN_AHEAD = 2; /* later checks beyond these fold away: a baby's list runs to six years */

function pointItem(p) {
  return h('li', { class: `portal-point ${toneClass(p.tone)}${p.done ? ' is-done' : ''}`, 'data-testid': 'portal-point' },
    toneMark(p.tone), h('span', { class: 'portal-point-name' }, p.name), h('span', { class: 'portal-point-text' }, p.text));
}

/* A child's or a pregnancy's checks: the next one first, then the points up to two after
 * it, the later ones folded away. */
function scheduleCard(s, index) {
  const next = s.next
    ? h('p', { class: `portal-callout ${s.next.due_now ? 'tone-attention' : 'tone-normal'}`, 'data-testid': 'portal-schedule-next' }, s.next.text)
    : h('p', { class: 'portal-callout tone-good', 'data-testid': 'portal-schedule-next' }, s.all_done_text);
  const at = s.next ? s.points.findIndex((p) => p.name === s.next.name && p.from === s.next.from) : -1;
  const cut = at < 0 ? s.points.length : Math.min(s.points.length, at + 1 + SHOWN_AHEAD);
  const later = s.points.slice(cut);
  return card(s.title, [
    s.weeks_text ? h('p', { class: 'portal-weeks' }, s.weeks_text) : null,
    next,
    h('ol', { class: 'portal-points' }, s.points.slice(0, cut).map(pointItem)),
    later.length ? h('details', { class: 'portal-details' },
      h('summary', null, t('portal.schedule_later', { n: later.length })),
      h('ol', { class: 'portal-points' }, later.map(pointItem))) : null,
  ], { testid: `portal-card-schedule-${index}`, cls: 'portal-card' });
}

function followupsCard(summary) {
  const body = summary.followups.length
    ? h('ul', { class: 'portal-list', 'data-testid': 'portal-followups' }, summary.followups.map((f) => {
      const values = [
        f.sbp && f.dbp ? `${t('portal.bp')} ${f.sbp}/${f.dbp} mmHg` : null,
        f.fbg !== undefined ? `${t('portal.glucose')} ${f.fbg} mmol/L` : null,
        f.weight_kg !== undefined ? `${t('portal.weight')} ${f.weight_kg} kg` : null,
      ].filter(Boolean);
      return h('li', { class: 'portal-entry', 'data-testid': 'portal-followup' },
        h('div', { class: 'portal-entry-head' }, h('span', { class: 'portal-date' }, formatDate(f.date)), h('span', { class: 'portal-entry-title' }, f.title)),
        values.length ? h('div', { class: 'portal-values' }, values.join(' · ')) : null,
        h('p', { class: `portal-result ${toneClass(f.tone)}`, 'data-testid': 'portal-followup-result', 'data-tone': f.tone }, toneMark(f.tone), h('span', null, f.result)),
        f.medicines.length ? h('p', { class: 'portal-meds' }, h('span', { class: 'portal-meds-label' }, t('portal.medicines')), f.medicines.join('；')) : null,
        f.doctor ? h('p', { class: 'portal-doctor-line' }, t('portal.by_doctor', { name: f.doctor })) : null);
    }))
    : empty(t('portal.followups_none'), 'portal-followups-none');
  return card(t('portal.followups_title'), body, { testid: 'portal-card-followups', cls: 'portal-card' });
}

function examsCard(summary) {
  const body = summary.exams.length
    ? h('ul', { class: 'portal-list', 'data-testid': 'portal-exams' }, summary.exams.map((e) => h('li', { class: 'portal-entry', 'data-testid': 'portal-exam' },
      h('div', { class: 'portal-entry-head' }, h('span', { class: 'portal-date' }, formatDate(e.date)), h('span', { class: 'portal-entry-title' }, t('portal.exam'))),
      h('p', { class: `portal-result ${toneClass(e.tone)}`, 'data-tone': e.tone }, toneMark(e.tone), h('span', null, e.summary)),
      e.findings.length ? h('ul', { class: 'portal-findings', 'data-testid': 'portal-exam-findings' }, e.findings.map((f) => h('li', null, f))) : null,
      e.results.length ? h('details', { class: 'portal-details' },
        h('summary', null, t('portal.exam_all')),
        h('dl', { class: 'portal-results' }, e.results.map((x) => h('div', { class: 'portal-result-row' },
          h('dt', null, x.name), h('dd', null, x.unit ? `${x.value} ${x.unit}` : x.value))))) : null)))
    : empty(t('portal.exams_none'), 'portal-exams-none');
  return card(t('portal.exams_title'), body, { testid: 'portal-card-exams', cls: 'portal-card' });
}

/* The family doctor: the contract's, else the team serving the village; a call button when
 * the team's responsible doctor left a phone number. */
function doctorCard(resident, summary, team, self) {
  const contract = resident.contract;
  const teamRef = contract ? { id: contract.team_id, name: contract.team_name } : (resident.teams || [])[0];
  const detail = team && !(team instanceof Error) ? team : null;
  const lead = detail && detail.members ? (detail.members.find((m) => m.id === detail.doctor_id) || detail.members.find((m) => m.role === 'lead')) : null;
  const doctorName = (summary && summary.doctor && summary.doctor.name) || (contract && contract.doctor_name) || (lead && lead.name);
  const lines = [];
  if (doctorName) lines.push(h('p', { class: 'portal-doctor-name', 'data-testid': 'portal-doctor-name' }, doctorName));
  if (teamRef) lines.push(h('p', { class: 'portal-doctor-team' }, teamRef.name));
  if (contract && contract.end_date) lines.push(h('p', { class: 'portal-when' }, t('portal.doctor_until', { date: formatDate(contract.end_date) })));
  if (!contract) lines.push(h('p', { class: 'portal-when' }, t('portal.doctor_unsigned')));
  const actions = [];
  if (lead && lead.phone) {
    actions.push(h('a', { class: 'btn btn-primary btn-block portal-call', href: `tel:${lead.phone}`, 'data-testid': 'portal-call' },
      t('portal.call', { phone: lead.phone })));
  }
  if (teamRef) {
    actions.push(h('a', { class: 'btn btn-secondary btn-block', href: `#/teams/${teamRef.id}`, 'data-testid': 'team-link' }, icon('team'), t('portal.team_open')));
  }
  const body = lines.length ? [h('div', { class: 'portal-doctor' }, lines), actions.length ? h('div', { class: 'portal-actions' }, actions) : null]
    : empty(t('portal.doctor_none'), 'portal-doctor-none');
  return card(t(self ? 'portal.doctor_title' : 'portal.doctor_title_member'), body, { testid: 'portal-card-doctor', cls: 'portal-card' });
}

/* For a proxy: the people of the household whose records they may look at. */
function familyCard(people, currentId, userResidentId) {
  if (!people || people instanceof Error || people.length < 2) return null;
  return card(t('portal.family_title'), [
    h('p', { class: 'portal-help' }, t('portal.family_help')),
    h('ul', { class: 'portal-family', 'data-testid': 'portal-family' }, people.map((p) => {
      const current = p.id === currentId;
      const name = p.id === userResidentId ? t('portal.family_me', { name: p.name }) : p.name;
      return h('li', { class: current ? 'portal-person is-current' : 'portal-person' },
        current
          ? h('span', { class: 'portal-person-name', 'aria-current': 'page' }, icon('user'), name)
          : h('a', { href: `#/residents/${p.id}`, class: 'portal-person-link', 'data-testid': 'portal-family-link', 'data-id': p.id }, icon('user'), name));
    })),
  ], { testid: 'portal-card-family', cls: 'portal-card' });
}

/* The portal's doors from the home screen (issue 16): ask the doctor, book a visit, the
 * contract and what is left of it, the questionnaires; large tiles, two a row. */
function doorsCard(id) {
  const door = (part, iconName, key, testid) => h('a', { class: 'portal-door', href: portalHref(id, part), 'data-testid': testid },
    h('span', { class: 'portal-door-icon', 'aria-hidden': 'true' }, icon(iconName)), h('span', null, t(key)));
  return h('nav', { class: 'portal-doors', 'data-testid': 'portal-doors', 'aria-label': t('portal.doors') },
    door('consult', 'chat', 'portal.door_consult', 'portal-door-consult'),
    door('visits', 'calendar', 'portal.door_visit', 'portal-door-visits'),
    door('contract', 'contract', 'portal.door_contract', 'portal-door-contract'),
    door('surveys', 'survey', 'portal.door_surveys', 'portal-door-surveys'));
}

/* The kind message while the record is not opened. */
function notOpenedCard(resident, self) {
  const title = self ? t('portal.not_opened_title') : t('portal.not_opened_member_title', { name: resident.name });
  const body = self ? t('portal.not_opened_body') : t('portal.not_opened_member_body', { name: resident.name });
  return h('section', { class: 'card portal-card portal-closed', 'data-testid': 'portal-not-opened', role: 'status' },
    h('div', { class: 'card-body' },
      h('div', { class: 'portal-closed-icon', 'aria-hidden': 'true' }, icon('contract', 'icon')),
      h('h2', { class: 'portal-closed-title' }, title),
      h('p', { class: 'portal-closed-text' }, body)));
}

export async function portalView(ctx) {
  const id = Number(ctx.params[0]);
  const mine = ctx.user.resident_id;
  const self = id === mine;
  const resident = await api.get(`/residents/${id}`);
  ctx.setTitle(self ? t('portal.subtitle') : resident.name);
  const teamId = resident.contract ? resident.contract.team_id : (resident.teams || [])[0]?.id;
  const [summary, people, team] = await Promise.all([
    api.get(`/residents/${id}/health-summary`).catch((error) => {
      if (error.code === 'record_not_opened') return null;
      throw error;
    }),
    api.get('/residents', { limit: 20 }).then((d) => d.items).catch((e) => e),
    teamId ? api.get(`/teams/${teamId}`).catch((e) => e) : null,
  ]);

  const header = h('div', { class: 'portal-header' },
    h('h1', { class: 'portal-title', 'data-testid': 'resident-name' }, self ? t('portal.hello', { name: resident.name }) : t('portal.viewing', { name: resident.name })),
    h('p', { class: 'portal-subtitle' }, self ? t('portal.subtitle') : t('portal.member_subtitle')),
    self ? null : h('a', { class: 'btn btn-secondary portal-back', href: `#/residents/${mine}`, 'data-testid': 'portal-back' }, icon('back'), t('portal.back_to_mine')));

  const main = h('div', { class: 'portal-column' }, doorsCard(id));
  refreshUnread(id);
  if (!summary) {
    main.append(notOpenedCard(resident, self));
  } else {
    main.append(nextCard(summary));
    const latest = latestCard(summary);
    if (latest) main.append(latest);
    const trends = trendsCard(summary.measurements, {
      title: t('portal.trend_title'), lead: t('portal.trend_lead'), large: true, limits: summary.targets,
    });
    if (trends) main.append(trends);
    summary.schedules.forEach((s, i) => main.append(scheduleCard(s, i)));
    main.append(followupsCard(summary), examsCard(summary));
    const programmes = programmesCard(summary);
    if (programmes) main.append(programmes);
  }
  main.append(doctorCard(resident, summary, team, self));
  const family = familyCard(people, id, mine);
  if (family) main.append(family);
  return h('div', {
    class: 'page portal', 'data-testid': 'resident-page', 'data-id': id, 'data-opened': summary ? 'true' : 'false',
  }, header, main);
}
