/* slots.js - a family doctor finds a specialist slot and books it for a signed resident
 * (issue 15, docs/hospital-loop.md "Slots and bookings"). #/slots?hospital=&department=&
 * from=&to=&resident=&reschedule=: the filters live in the address, so a reload or a shared
 * link shows the same list. The slots come grouped by day with the doctor, the time, the
 * places left and whether the place was kept for family doctors. With `resident` the
 * booking is for that person (the resident page's 预约专家号); with `reschedule` the chosen
 * slot replaces that booking. Errors come back at the field: not_signed at the resident,
 * slot_taken and not_released at the slot (the list is refreshed behind a taken slot). */
import { api, ApiError } from '../api.js';
import { h, icon, pageHeader, card, empty, errorBox, toast, clear, loading } from '../dom.js';
import { t } from '../i18n.js';
import { addDaysIso, todayIso } from '../format.js';
import { formField, fieldDialog, fieldError, select } from '../forms.js';
import { hospitals, departments, departmentName, slotTime, slotDay, weekday, freePlaces, residentPicker } from './hospital-common.js';

function hashFor(query) {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v) p.set(k, v);
  const s = p.toString();
  return s ? `#/slots?${s}` : '#/slots';
}

function releaseBadge(slot) {
  if (slot.released_to === 'family_doctors' && !slot.open_to_public) {
    return h('span', { class: 'badge badge-ok slot-kind', 'data-testid': 'slot-family', 'data-kind': 'family_doctors' }, t('slots.family'));
  }
  return h('span', { class: 'badge badge-muted slot-kind', 'data-kind': slot.open_to_public ? 'open_to_public' : 'public' },
    t(slot.open_to_public ? 'slots.open_to_public' : 'slots.public'));
}

/* The booking form: the slot (where slot_taken / not_released show) and the resident (where
 * not_signed shows). Resolves with the booking, or null. */
function bookDialog(slot, { resident, reschedule, referral, onTaken }) {
  const picker = resident ? null : residentPicker({ testid: 'book-resident' });
  const who = resident
    ? h('div', { class: 'strong', 'data-testid': 'book-resident-name' }, resident.name)
    : picker.node;
  const slotText = h('div', { class: 'slot-chosen', 'data-testid': 'book-slot' },
    h('strong', null, `${slotDay(slot)} ${weekday(slotDay(slot))} ${slotTime(slot)}`),
    h('span', null, [slot.hospital_name, slot.department_name || slot.department, slot.doctor_name].filter(Boolean).join(' · ')));
  return fieldDialog({
    title: t(reschedule ? 'slots.reschedule_title' : 'slots.book_title'),
    help: t('slots.book_help'),
    testid: 'book-dialog',
    submitLabel: t(reschedule ? 'slots.reschedule_submit' : 'slots.book_submit'),
    fields: [
      formField('slot_id', t('slots.slot'), slotText),
      formField('resident_id', t('slots.resident'), who, { required: true }),
    ],
    onSubmit: async () => {
      const residentId = resident ? resident.id : picker.value();
      if (!residentId) throw fieldError('resident_id', t('forms.required'));
      try {
        if (reschedule) return await api.post(`/bookings/${reschedule}/reschedule`, { slot_id: slot.id });
        const body = { slot_id: slot.id, resident_id: residentId };
        if (referral) body.referral_id = Number(referral);
        return await api.post('/bookings', body);
      } catch (error) {
        if (error instanceof ApiError && error.code === 'slot_taken') {
          onTaken();
          if (!error.field) error.field = 'slot_id';
        }
        if (error instanceof ApiError && error.code === 'not_released' && !error.field) error.field = 'slot_id';
        throw error;
      }
    },
  });
}

function slotRow(slot, book) {
  const free = freePlaces(slot);
  return h('li', { class: `slot-row${free ? '' : ' slot-full'}`, 'data-testid': 'slot-row', 'data-id': slot.id, 'data-kind': slot.released_to },
    h('span', { class: 'slot-time strong' }, slotTime(slot)),
    h('span', { class: 'slot-who' },
      h('span', { class: 'strong' }, slot.doctor_name || '—'),
      h('span', { class: 'muted small' }, [slot.department_name || slot.department, slot.hospital_name].filter(Boolean).join(' · ')),
      h('span', { class: 'slot-meta' }, releaseBadge(slot),
        h('span', { class: 'slot-free', 'data-testid': 'slot-free' }, free ? t('slots.free', { n: free, of: slot.capacity }) : t('slots.full')))),
    h('button', {
      type: 'button', class: 'btn btn-primary btn-small slot-book', 'data-testid': 'slot-book', disabled: !free,
      onclick: () => book(slot),
    }, t('slots.book')));
}

/* Slots grouped by their day, in time order. */
function dayGroups(items, book) {
  const byDay = new Map();
  for (const s of [...items].sort((a, b) => String(a.starts_at).localeCompare(String(b.starts_at)))) {
    const day = slotDay(s);
    if (!byDay.has(day)) byDay.set(day, []);
    byDay.get(day).push(s);
  }
  return [...byDay].map(([day, slots]) => h('section', { class: 'slot-day card', 'data-testid': 'slot-day', 'data-day': day },
    h('header', { class: 'card-header' }, h('h2', { class: 'card-title' }, day, h('span', { class: 'muted small slot-weekday' }, weekday(day))),
      h('span', { class: 'count-pill' }, t('slots.count', { n: slots.length }))),
    h('div', { class: 'card-body' }, h('ul', { class: 'slot-list' }, slots.map((s) => slotRow(s, book))))));
}

export async function slotsView(ctx) {
  const q = ctx.query;
  const query = {
    hospital: q.get('hospital') || '', department: q.get('department') || '',
    from: q.get('from') || todayIso(), to: q.get('to') || addDaysIso(q.get('from') || todayIso(), 13),
    resident: q.get('resident') || '', reschedule: q.get('reschedule') || '', referral: q.get('referral') || '',
  };
  ctx.setTitle(t('slots.title'));
  const [list, resident] = await Promise.all([
    hospitals().catch(() => []),
    query.resident ? api.get(`/residents/${query.resident}`) : null,
  ]);
  const depts = query.hospital ? await departments(query.hospital).catch(() => []) : [];

  const go = (patch) => {
    const next = { ...query, ...patch };
    location.hash = hashFor(next);
  };
  const hospitalSelect = select(list.map((i) => ({ value: i.id, text: i.name })), { value: query.hospital, testid: 'slots-hospital', placeholder: t('slots.all_hospitals') });
  const deptSelect = select(depts.map((d) => ({ value: d.code, text: departmentName(d) })), { value: query.department, testid: 'slots-department', placeholder: t('slots.all_departments') });
  deptSelect.disabled = !query.hospital;
  const from = h('input', { type: 'date', class: 'input', value: query.from, 'data-testid': 'slots-from', 'aria-label': t('slots.from') });
  const to = h('input', { type: 'date', class: 'input', value: query.to, 'data-testid': 'slots-to', 'aria-label': t('slots.to') });
  hospitalSelect.addEventListener('change', () => go({ hospital: hospitalSelect.value, department: '' }));
  deptSelect.addEventListener('change', () => go({ department: deptSelect.value }));
  const form = h('form', { class: 'slot-filters', 'data-testid': 'slots-filters' },
    h('label', { class: 'slot-filter' }, h('span', { class: 'field-label' }, t('slots.hospital')), hospitalSelect),
    h('label', { class: 'slot-filter' }, h('span', { class: 'field-label' }, t('slots.department')), deptSelect),
    h('label', { class: 'slot-filter' }, h('span', { class: 'field-label' }, t('slots.from')), from),
    h('label', { class: 'slot-filter' }, h('span', { class: 'field-label' }, t('slots.to')), to),
    h('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'slots-search' }, icon('search'), t('slots.search')));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    go({ from: from.value, to: to.value });
  });

  const results = h('div', { class: 'slot-results', 'data-testid': 'slot-results' });
  async function load() {
    clear(results).appendChild(loading());
    try {
      const data = await api.get('/slots', { hospital: query.hospital, department: query.department, from: query.from, to: query.to, limit: 500 });
      if (!ctx.alive()) return;
      clear(results);
      const items = data.items || [];
      results.append(h('p', { class: 'results-meta muted', 'data-testid': 'slots-count' }, t('slots.total', { n: items.length })));
      results.append(...(items.length ? dayGroups(items, book) : [card(null, empty(t('slots.none'), 'slots-empty'))]));
    } catch (error) {
      clear(results).appendChild(errorBox(error, load));
    }
  }
  async function book(slot) {
    const booking = await bookDialog(slot, { resident, reschedule: query.reschedule, referral: query.referral, onTaken: load });
    if (!booking) return;
    toast(t(query.reschedule ? 'slots.rescheduled' : 'slots.booked', { name: resident ? resident.name : '' }));
    if (resident) location.hash = `#/residents/${resident.id}`;
    else load();
  }
  await load();

  const banner = resident ? h('div', { class: 'alert alert-success slot-for', 'data-testid': 'slots-for' },
    icon('user'), h('span', null, t(query.reschedule ? 'slots.rescheduling_for' : 'slots.booking_for', { name: resident.name })),
    h('a', { href: `#/residents/${resident.id}`, class: 'btn btn-ghost btn-small' }, t('slots.back_resident'))) : null;
  return h('div', { class: 'page slots-page', 'data-testid': 'slots-page' },
    pageHeader(t('slots.title'), { subtitle: t('slots.subtitle') }),
    banner,
    h('div', { class: 'card search-card' }, form),
    results);
}
