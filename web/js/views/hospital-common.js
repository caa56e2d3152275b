/* hospital-common.js - what the hospital-in-the-loop screens share (issue 15): the hospitals
 * and their departments, a slot's day and time, a resident picker for booking from the
 * slot list, and the labels of referral states. */
import { api } from '../api.js';
import { h, clear } from '../dom.js';
import { t, label, lang } from '../i18n.js';

const isPrimary = (i) => i.level === 'primary' || i.level === 'village';

let hospitalsPromise = null;
/* The county's hospitals (secondary and tertiary institutions), fetched once. */
export function hospitals() {
  if (!hospitalsPromise) {
    hospitalsPromise = api.get('/institutions').then((d) => (d.items || []).filter((i) => !isPrimary(i))).catch((e) => {
      hospitalsPromise = null;
      throw e;
    });
  }
  return hospitalsPromise;
}

const departmentCache = new Map();
/* A hospital's departments [{id, code, name, name_en}]. */
export function departments(hospitalId) {
  const key = String(hospitalId);
  if (!departmentCache.has(key)) {
    departmentCache.set(key, api.get(`/hospitals/${hospitalId}/departments`).then((d) => d.items || []).catch((e) => {
      departmentCache.delete(key);
      throw e;
    }));
  }
  return departmentCache.get(key);
}

/* Sets department_name on referrals (which carry the target hospital's department code),
 * from the departments of each hospital named; a code no list knows stays as it is. */
export async function withDepartmentNames(items) {
  const ids = [...new Set(items.filter((x) => x.department && x.to_institution_id).map((x) => x.to_institution_id))];
  const lists = await Promise.all(ids.map((id) => departments(id).catch(() => [])));
  const names = new Map();
  ids.forEach((id, i) => { for (const d of lists[i]) names.set(`${id}:${d.code}`, departmentName(d)); });
  for (const x of items) x.department_name = names.get(`${x.to_institution_id}:${x.department}`) || x.department_name || x.department;
  return items;
}

export function departmentName(d) {
  if (!d) return '—';
  return (lang() === 'en' ? d.name_en || d.name_zh : d.name_zh || d.name_en) || d.department_name || d.code || d.department || '—';
}

/* starts_at is local time, YYYY-MM-DDTHH:MM. */
export const slotDay = (slot) => String(slot.starts_at || '').slice(0, 10);
export const slotTime = (slot) => String(slot.starts_at || '').slice(11, 16);
export const freePlaces = (slot) => Math.max(0, Number(slot.capacity || 0) - Number(slot.booked || 0));

export function weekday(iso) {
  const [y, m, d] = iso.split('-').map(Number);
  if (!y) return '';
  const n = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  return t(`weekday.${n}`);
}

/* A resident found by name, phone or ID number among the user's signed residents.
 * Returns {node, value()} (the chosen resident's id, or ''). */
export function residentPicker({ testid = 'resident-picker' } = {}) {
  const input = h('input', { type: 'search', class: 'input', placeholder: t('slots.resident_search'), 'data-testid': `${testid}-q`, autocomplete: 'off' });
  const choice = h('select', { class: 'input select', 'data-testid': testid }, h('option', { value: '' }, t('slots.resident_choose')));
  let timer = null;
  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const q = input.value.trim();
      if (!q) return;
      try {
        const data = await api.get('/residents', { q, signed: 'true', limit: 20 });
        clear(choice).appendChild(h('option', { value: '' }, data.items.length ? t('slots.resident_choose') : t('slots.resident_none')));
        for (const r of data.items) choice.appendChild(h('option', { value: String(r.id) }, `${r.name} · ${r.id_number_masked || ''}`));
        if (data.items.length === 1) choice.value = String(data.items[0].id);
      } catch {
        /* the list stays as it was */
      }
    }, 250);
  });
  return { node: h('div', { class: 'resident-picker' }, input, choice), value: () => (choice.value ? Number(choice.value) : '') };
}

export function referralStatusBadge(status, testid = 'referral-status') {
  return h('span', { class: `badge ref-status ref-${status}`, 'data-testid': testid, 'data-status': status }, label('referral_status', status));
}
