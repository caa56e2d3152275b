/* visit-requests.js - 预约上门: the team's side of the residents' visit requests (issue 16,
 * docs/resident-loop.md "Visit requests"). #/visit-requests?status=&team=: the team's
 * requests, high priority first (80 or over, bedridden), then by day; each confirmed with a
 * day and a half-day - a specialist request by choosing a family-doctor slot from GET /slots,
 * which books it - cancelled, or marked done on or after its day. Errors come back at their
 * field (date_in_past at the day, slot_taken at the slot). The resident's own screen is the
 * portal's. */
import { api, ApiError } from '../api.js';
import { h, icon, pageHeader, card, empty, errorBox, toast, clear, loading } from '../dom.js';
import { t } from '../i18n.js';
import { addDaysIso, todayIso } from '../format.js';
import { formField, fieldDialog, fieldError, select } from '../forms.js';
import { slotDay, slotTime, weekday, freePlaces } from './hospital-common.js';

const TABS = ['open', 'requested', 'confirmed', 'done', 'cancelled'];

function hashFor(query) {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v) p.set(k, v);
  const s = p.toString();
  return s ? `#/visit-requests?${s}` : '#/visit-requests';
}

const halfDay = (time) => (time ? t(`visits.time.${time}`) : t('visits.time.any'));

function priorityBadge(x) {
  if (x.priority !== 'high') return null;
  const why = (x.priority_reasons || []).map((r) => t(`visits.reason.${r}`)).join('、');
  return h('span', { class: 'badge badge-warn visit-priority', 'data-testid': 'visit-priority', title: why },
    icon('flag'), t('visits.high'), why ? h('span', { class: 'visit-why' }, `· ${why}`) : null);
}

function statusBadge(status) {
  const cls = { requested: 'badge-warn', confirmed: 'badge-ok', done: 'badge-muted', cancelled: 'badge-muted' }[status] || '';
  return h('span', { class: `badge ${cls} visit-status`, 'data-testid': 'visit-status', 'data-status': status }, t(`visits.status.${status}`));
}

/* The confirm form of a clinic or home visit: a day and a half-day. */
function confirmVisitDialog(x) {
  const day = h('input', { type: 'date', class: 'input', min: todayIso(), max: addDaysIso(todayIso(), 90), value: x.preferred_date >= todayIso() ? x.preferred_date : todayIso(), 'data-testid': 'confirm-date' });
  const time = select([{ value: 'am', text: t('visits.time.am') }, { value: 'pm', text: t('visits.time.pm') }], { value: x.preferred_time || 'am', testid: 'confirm-time', placeholder: null });
  return fieldDialog({
    title: t('visits.confirm_title', { name: x.resident_name }),
    help: t('visits.confirm_help'),
    testid: 'visit-confirm-dialog',
    submitLabel: t('visits.confirm'),
    fields: [
      formField('date', t('visits.day'), day, { required: true }),
      formField('time', t('visits.half_day'), time, { required: true }),
    ],
    onSubmit: async () => {
      if (!day.value) throw fieldError('date', t('forms.required'));
      return api.post(`/visit-requests/${x.id}/confirm`, { date: day.value, time: time.value });
    },
  });
}

/* The confirm form of a specialist request: the family-doctor slots open from a day on, the
 * requested department's first; choosing one books it. */
function confirmSpecialistDialog(x) {
  const from = h('input', { type: 'date', class: 'input', min: todayIso(), value: x.preferred_date >= todayIso() ? x.preferred_date : todayIso(), 'data-testid': 'slot-from' });
  const only = h('input', { type: 'checkbox', checked: Boolean(x.department_name), 'data-testid': 'slot-only-department' });
  const list = h('div', { class: 'visit-slot-list', 'data-testid': 'visit-slot-list', role: 'radiogroup' });
  let chosen = null;
  async function load() {
    chosen = null;
    clear(list).appendChild(loading());
    try {
      const data = await api.get('/slots', { from: from.value || todayIso(), to: addDaysIso(from.value || todayIso(), 6), limit: 200 });
      let items = (data.items || []).filter((s) => freePlaces(s) > 0);
      if (only.checked && x.department_name) items = items.filter((s) => s.department_name === x.department_name);
      items = items.slice(0, 40);
      clear(list);
      if (!items.length) list.appendChild(empty(t('visits.no_slots'), 'visit-no-slots'));
      for (const s of items) {
        const radio = h('input', { type: 'radio', name: 'visit-slot', value: String(s.id), onchange: () => { chosen = s; } });
        list.appendChild(h('label', { class: 'visit-slot', 'data-testid': 'visit-slot', 'data-id': s.id }, radio,
          h('span', { class: 'visit-slot-when strong' }, `${slotDay(s).slice(5)} ${weekday(slotDay(s))} ${slotTime(s)}`),
          h('span', { class: 'visit-slot-where muted small' }, [s.hospital_name, s.department_name || s.department, s.doctor_name].filter(Boolean).join(' · '))));
      }
    } catch (error) {
      clear(list).appendChild(errorBox(error, load));
    }
  }
  from.addEventListener('change', load);
  only.addEventListener('change', load);
  load();
  return fieldDialog({
    title: t('visits.confirm_title', { name: x.resident_name }),
    help: t('visits.slot_help'),
    testid: 'visit-confirm-dialog',
    submitLabel: t('visits.book_confirm'),
    fields: [
      formField('from', t('visits.slots_from'), from),
      x.department_name ? h('label', { class: 'checkbox visit-only' }, only, h('span', null, t('visits.only_department', { name: x.department_name }))) : null,
      formField('slot_id', t('visits.slot'), list, { required: true }),
    ],
    onSubmit: async () => {
      if (!chosen) throw fieldError('slot_id', t('visits.choose_slot'));
      try {
        return await api.post(`/visit-requests/${x.id}/confirm`, { slot_id: chosen.id });
      } catch (error) {
        if (error instanceof ApiError && ['slot_taken', 'already_booked', 'not_released'].includes(error.code)) {
          error.field = 'slot_id';
          load();
        }
        throw error;
      }
    },
  });
}

function cancelDialog(x) {
  const reason = h('textarea', { class: 'input', rows: 2, maxlength: 500, 'data-testid': 'cancel-reason' });
  return fieldDialog({
    title: t('visits.cancel_title', { name: x.resident_name }),
    help: x.status === 'confirmed' ? t('visits.cancel_help_confirmed') : t('visits.cancel_help'),
    testid: 'visit-cancel-dialog',
    submitLabel: t('visits.cancel'),
    danger: true,
    fields: [formField('reason', t('visits.cancel_reason'), reason)],
    onSubmit: () => api.post(`/visit-requests/${x.id}/cancel`, reason.value.trim() ? { reason: reason.value.trim() } : {}),
  });
}

function requestItem(x, act) {
  const when = x.confirmed_date
    ? h('span', { class: 'visit-when strong', 'data-testid': 'visit-confirmed' }, icon('calendar'),
      x.slot_starts_at ? `${x.confirmed_date} ${x.slot_starts_at.slice(11, 16)}` : `${x.confirmed_date} ${halfDay(x.confirmed_time)}`)
    : h('span', { class: 'visit-when', 'data-testid': 'visit-preferred' }, t('visits.preferred'), t('app.colon'), `${x.preferred_date} ${halfDay(x.preferred_time)}`);
  const place = x.slot_starts_at ? [x.hospital_name, x.department_name].filter(Boolean).join(' · ') : (x.kind === 'specialist' && x.department_name ? x.department_name : '');
  const today = todayIso();
  const actions = [];
  if (x.status === 'requested') actions.push(h('button', { type: 'button', class: 'btn btn-primary btn-small', 'data-testid': 'visit-confirm', onclick: () => act('confirm', x) }, icon('check'), t(x.kind === 'specialist' ? 'visits.book_confirm' : 'visits.confirm')));
  if (x.status === 'confirmed' && x.confirmed_date <= today) actions.push(h('button', { type: 'button', class: 'btn btn-primary btn-small', 'data-testid': 'visit-done', onclick: () => act('done', x) }, icon('check'), t('visits.done')));
  if (x.status === 'requested' || x.status === 'confirmed') actions.push(h('button', { type: 'button', class: 'btn btn-ghost btn-small', 'data-testid': 'visit-cancel', onclick: () => act('cancel', x) }, t('visits.cancel')));
  return h('li', { class: `visit-item${x.priority === 'high' ? ' visit-high' : ''}`, 'data-testid': 'visit-item', 'data-id': x.id, 'data-kind': x.kind, 'data-priority': x.priority },
    h('div', { class: 'visit-head' },
      h('span', { class: `badge visit-kind visit-kind-${x.kind}`, 'data-testid': 'visit-kind' }, t(`visits.kind.${x.kind}`)),
      h('a', { href: `#/residents/${x.resident_id}`, class: 'strong-link visit-name', 'data-testid': 'visit-resident' }, x.resident_name),
      h('span', { class: 'muted small' }, [x.sex ? t(`visits.sex.${x.sex}`) : '', x.age != null ? t('visits.age', { n: x.age }) : ''].filter(Boolean).join(' · ')),
      priorityBadge(x),
      statusBadge(x.status)),
    h('div', { class: 'visit-body' },
      when,
      place ? h('span', { class: 'muted small visit-place' }, place) : null,
      x.reason ? h('p', { class: 'visit-reason', 'data-testid': 'visit-reason' }, x.reason) : null,
      x.kind === 'home' && x.address ? h('p', { class: 'muted small visit-address' }, icon('home'), x.address) : null,
      x.phone ? h('a', { class: 'small visit-phone', href: `tel:${x.phone}` }, icon('phone'), x.phone) : null,
      x.cancel_reason ? h('p', { class: 'muted small' }, t('visits.cancel_reason'), t('app.colon'), x.cancel_reason) : null),
    actions.length ? h('div', { class: 'visit-actions' }, actions) : null);
}

export async function visitRequestsView(ctx) {
  const q = ctx.query;
  const teams = (ctx.user.teams || []).map(Number);
  const query = { status: [...TABS, 'all'].includes(q.get('status')) ? q.get('status') : 'open', team: q.get('team') || String(teams[0] || '') };
  ctx.setTitle(t('visits.title'));
  const results = h('div', { class: 'visit-results', 'data-testid': 'visit-results' });
  const go = (patch) => { location.hash = hashFor({ ...query, ...patch }); };
  const tabs = h('div', { class: 'tabs', role: 'tablist' }, TABS.map((s) => h('a', {
    href: hashFor({ ...query, status: s }), role: 'tab', class: `tab${s === query.status ? ' active' : ''}`,
    'aria-selected': s === query.status ? 'true' : 'false', 'data-testid': `visit-tab-${s}`,
  }, t(`visits.tab.${s}`))));
  let teamSelect = null;
  if (teams.length > 1) {
    const names = await Promise.all(teams.map((id) => api.get(`/teams/${id}`).then((x) => ({ value: id, text: x.name })).catch(() => ({ value: id, text: `#${id}` }))));
    teamSelect = select(names, { value: query.team, testid: 'visit-team', placeholder: null });
    teamSelect.addEventListener('change', () => go({ team: teamSelect.value }));
  }

  async function load() {
    clear(results).appendChild(loading());
    if (!query.team) {
      clear(results).appendChild(card(null, empty(t('visits.no_team'), 'visit-no-team')));
      return;
    }
    try {
      const data = await api.get(`/teams/${query.team}/visit-requests`, { status: query.status, limit: 200 });
      if (!ctx.alive()) return;
      const items = data.items || [];
      const high = items.filter((x) => x.priority === 'high').length;
      clear(results).append(
        h('p', { class: 'results-meta muted', 'data-testid': 'visit-count' }, t('visits.total', { n: items.length, high })),
        items.length ? h('ul', { class: 'visit-list card' }, items.map((x) => requestItem(x, act))) : card(null, empty(t('visits.none'), 'visit-empty')));
    } catch (error) {
      clear(results).appendChild(errorBox(error, load));
    }
  }
  async function act(what, x) {
    let done = null;
    if (what === 'confirm') done = await (x.kind === 'specialist' ? confirmSpecialistDialog(x) : confirmVisitDialog(x));
    else if (what === 'cancel') done = await cancelDialog(x);
    else {
      try {
        done = await api.post(`/visit-requests/${x.id}/done`, {});
      } catch (error) {
        toast(error.message, 'error');
        return;
      }
    }
    if (!done) return;
    toast(t(`visits.${what}ed`, { name: x.resident_name }));
    load();
  }
  await load();
  return h('div', { class: 'page visits-page', 'data-testid': 'visits-page' },
    pageHeader(t('visits.title'), { subtitle: t('visits.subtitle'), actions: teamSelect ? [teamSelect] : [] }),
    tabs,
    results);
}
