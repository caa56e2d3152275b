/* resident-hospital.js - the hospital in the loop on a resident's page (issue 15): the
 * specialist bookings (cancel, reschedule; 预约专家号 opens the slot finder with the resident
 * chosen), an up-referral sent with the summary of the record (the summary shown before it
 * goes), and prescriptions: ordinary, long (长处方: the rule's verdict and reasons shown
 * before submitting) and extended (延伸处方: the hospital prescription it continues and the
 * delivery). Every form answers at the field the server names (forms.js). */
import { api } from '../api.js';
import { h, icon, card, empty, toast, clear, errorBox, chip } from '../dom.js';
import { t, label } from '../i18n.js';
import { can } from '../roles.js';
import { addDaysIso, formatDate, todayIso } from '../format.js';
import { formField, fieldDialog, fieldError, select } from '../forms.js';
import { departments, departmentName, referralStatusBadge, slotTime, slotDay, withDepartmentNames } from './hospital-common.js';
import { summaryBlock } from './referrals.js';

export const UP_CATEGORIES = ['diagnosis', 'imaging', 'treatment_adjustment', 'admission', 'emergency'];
export const REFERRAL_REASONS = ['uncontrolled', 'complication', 'diagnosis_unclear', 'exam_needed', 'adverse_reaction', 'acute', 'patient_request', 'other'];
const FREQUENCIES = ['qd', 'bid', 'tid', 'qid', 'qn', 'prn', 'qw'];
const CHRONIC = ['hypertension', 'diabetes'];

const isActiveBooking = (b) => b.status === 'booked';

/* Bookings ------------------------------------------------------------------------------ */

function bookingLine(b) {
  return [b.hospital_name, b.department_name || b.department, b.doctor_name].filter(Boolean).join(' · ');
}

function cancelBookingDialog(r, b) {
  return fieldDialog({
    title: t('booking.cancel_title'), help: `${r.name} · ${slotDay(b)} ${slotTime(b)} · ${bookingLine(b)}`,
    testid: 'booking-cancel-dialog', danger: true, submitLabel: t('booking.cancel'),
    fields: [h('div', { 'data-field': 'status' }, h('p', { class: 'field-error', role: 'alert', hidden: true }))],
    onSubmit: () => api.post(`/bookings/${b.id}/cancel`, {}),
  });
}

export function bookingsCard(r, user, bookings, refresh) {
  if (!bookings) return null;
  const mayBook = can(user, 'booking.write') && r.status === 'alive';
  const items = bookings instanceof Error ? null : bookings;
  const body = items === null ? errorBox(bookings) : items.length
    ? h('ul', { class: 'fu-history booking-list', 'data-testid': 'booking-list' }, items.slice(0, 8).map((b) => h('li', {
      class: `fu-history-item booking-item booking-${b.status}`, 'data-testid': 'booking-item', 'data-id': b.id, 'data-status': b.status,
    },
    h('strong', { class: 'nowrap' }, `${slotDay(b)} ${slotTime(b)}`),
    h('span', null, bookingLine(b)),
    h('span', { class: `badge booking-status booking-status-${b.status}`, 'data-testid': 'booking-status' }, label('booking_status', b.status)),
    mayBook && isActiveBooking(b) ? h('span', { class: 'booking-actions' },
      h('a', { class: 'btn btn-ghost btn-small', 'data-testid': 'booking-reschedule', href: `#/slots?resident=${r.id}&reschedule=${b.id}${b.hospital_id ? `&hospital=${b.hospital_id}` : ''}` }, t('booking.reschedule')),
      h('button', {
        type: 'button', class: 'btn btn-ghost btn-small btn-danger-text', 'data-testid': 'booking-cancel',
        onclick: async () => {
          if (await cancelBookingDialog(r, b)) {
            toast(t('booking.cancelled'));
            refresh();
          }
        },
      }, t('booking.cancel'))) : null)))
    : empty(t('booking.none'), 'booking-none');
  const actions = mayBook ? [h('a', { href: `#/slots?resident=${r.id}`, class: 'btn btn-secondary btn-small', 'data-testid': 'card-book-slot' }, icon('calendar'), t('booking.book'))] : [];
  return card(t('booking.card'), body, { testid: 'card-bookings', actions });
}

/* Referral up with the summary ---------------------------------------------------------- */

let institutionsPromise = null;
function institutions() {
  if (!institutionsPromise) {
    institutionsPromise = api.get('/institutions').then((d) => d.items || []).catch((e) => {
      institutionsPromise = null;
      throw e;
    });
  }
  return institutionsPromise;
}

/* The primary-care institutions of the resident's township (the sending end of an
 * up-referral is the team's own centre), and its village clinics (pick-up of medicines). */
function townshipOf(list, r, levels) {
  const town = (r.region || '').slice(0, 9);
  return list.filter((i) => levels.includes(i.level) && String(i.region || '').startsWith(town));
}

/* What POST /referrals freezes, assembled from the page's own data so the doctor sees it
 * before sending (the server assembles the same from the record). */
function summaryPreview(r, followups) {
  const latest = [];
  const medications = [];
  for (const f of followups || []) {
    if (latest.some((l) => l.program === f.program)) continue;
    const e = f.evaluation || {};
    latest.push({ program: f.program, visit_date: f.visit_date, sbp: f.sbp, dbp: f.dbp, fbg: f.fbg, classification: e.classification });
    for (const m of f.medications || []) medications.push(m);
  }
  return {
    name: r.name, sex: r.sex, age: r.age, programs: r.programs || [],
    diagnoses: r.diagnoses || [], latest_followups: latest, medications, latest_exam: null,
  };
}

async function referUpDialog(r) {
  const [list, followups] = await Promise.all([
    institutions().catch(() => []),
    api.get(`/residents/${r.id}/followups`).then((d) => d.items).catch(() => []),
  ]);
  const hospitalList = list.filter((i) => i.level !== 'primary' && i.level !== 'village');
  const own = townshipOf(list, r, ['primary']);
  const from = select(own.map((i) => ({ value: i.id, text: i.name })), { value: own.length ? String(own[0].id) : '', testid: 'refer-from', placeholder: own.length === 1 ? null : undefined });
  const category = select(UP_CATEGORIES.map((c) => ({ value: c, text: label('referral_category', c) })), { testid: 'refer-category' });
  const reasons = h('div', { class: 'check-group', 'data-testid': 'refer-reasons' }, REFERRAL_REASONS.map((code) => h('label', { class: 'check' },
    h('input', { type: 'checkbox', value: code }), h('span', null, label('referral_reason', code)))));
  const hospital = select(hospitalList.map((i) => ({ value: i.id, text: i.name })), { testid: 'refer-hospital' });
  const department = select([], { testid: 'refer-department' });
  department.disabled = true;
  hospital.addEventListener('change', async () => {
    clear(department).appendChild(h('option', { value: '' }, t('forms.choose')));
    department.disabled = !hospital.value;
    if (!hospital.value) return;
    for (const d of await departments(hospital.value).catch(() => [])) department.appendChild(h('option', { value: d.code }, departmentName(d)));
  });
  const urgent = h('label', { class: 'check' }, h('input', { type: 'checkbox', 'data-testid': 'refer-urgent' }), h('span', null, t('ref.urgent_label')));
  const note = h('input', { type: 'text', class: 'input', maxlength: '200', 'data-testid': 'refer-note' });
  const preview = h('div', { class: 'ref-summary-preview', 'data-testid': 'refer-summary-preview' }, summaryBlock(summaryPreview(r, followups)));
  const chosen = await fieldDialog({
    title: t('ref.new_title'),
    help: `${r.name} · ${t('ref.new_help')}`,
    testid: 'refer-dialog',
    submitLabel: t('ref.send'),
    fields: [
      formField('category', t('ref.col_category'), category, { required: true }),
      formField('reasons', t('ref.reasons'), reasons, { required: true }),
      formField('to_institution_id', t('ref.hospital'), hospital, { required: true }),
      formField('department', t('ref.department'), department, { required: true }),
      formField('from_institution_id', t('ref.col_from'), from, { required: true }),
      h('div', { class: 'field check-stack', 'data-field': 'urgent' }, urgent),
      formField('reason', t('ref.note'), note),
      h('div', { class: 'field field-full' }, h('p', { class: 'field-label' }, t('ref.summary_to_send')), preview),
    ],
    onSubmit: () => {
      const codes = [...reasons.querySelectorAll('input:checked')].map((c) => c.value);
      if (!category.value) throw fieldError('category', t('forms.required'));
      if (!codes.length) throw fieldError('reasons', t('forms.required'));
      if (!hospital.value) throw fieldError('to_institution_id', t('forms.required'));
      if (!department.value) throw fieldError('department', t('forms.required'));
      if (!from.value) throw fieldError('from_institution_id', t('forms.required'));
      const body = {
        resident_id: r.id, direction: 'up', category: category.value, reasons: codes,
        from_institution_id: Number(from.value), to_institution_id: Number(hospital.value),
        department: department.value, urgent: urgent.querySelector('input').checked, referred_on: todayIso(),
      };
      if (note.value.trim()) body.reason = note.value.trim();
      return api.post('/referrals', body);
    },
  });
  return chosen;
}

export function referralsCard(r, user, referrals, refresh) {
  if (!referrals) return null;
  const items = referrals instanceof Error ? [] : referrals.filter((x) => x.status);
  const body = items.length
    ? h('ul', { class: 'fu-history', 'data-testid': 'tracked-referrals' }, items.slice(0, 6).map((x) => h('li', { class: 'fu-history-item', 'data-testid': 'tracked-referral', 'data-id': x.id },
      h('strong', null, formatDate(x.referred_on)),
      h('a', { href: `#/referrals/${x.id}`, class: 'strong-link' }, x.category ? label('referral_category', x.category) : t(`ref.dir_${x.direction === 'down' ? 'down' : 'up'}`)),
      h('span', { class: 'muted small' }, [x.to_institution_name, x.department_name || x.department].filter(Boolean).join(' · ')),
      referralStatusBadge(x.status))))
    : empty(t('ref.none'), 'tracked-none');
  const actions = can(user, 'referral.write') && r.status === 'alive'
    ? [h('button', {
      type: 'button', class: 'btn btn-secondary btn-small', 'data-testid': 'refer-up',
      onclick: async () => {
        const x = await referUpDialog(r);
        if (x) {
          /* a slot at the hospital it went to, booked for this referral */
          toast(t('ref.sent_done'), 'success', can(user, 'booking.write')
            ? { href: `#/slots?resident=${r.id}&referral=${x.id}&hospital=${x.to_institution_id}${x.department ? `&department=${encodeURIComponent(x.department)}` : ''}`, text: t('ref.book_for') }
            : null);
          refresh();
        }
      },
    }, icon('transfer'), t('ref.new'))]
    : [];
  return card(t('ref.card'), body, { testid: 'card-referrals', actions });
}

/* Prescriptions --------------------------------------------------------------------------- */

/* One item row: a drug found in the catalogue (typed name or pinyin initials, then a tap on
 * one of the matches), dose, unit, frequency. */
function itemRow(index, days) {
  const search = h('input', { type: 'search', class: 'input', placeholder: t('rx.drug_search'), 'data-testid': 'rx-drug-q', autocomplete: 'off' });
  const matches = h('ul', { class: 'rx-matches', 'data-testid': 'rx-drug-matches', hidden: true });
  const flags = h('span', { class: 'rx-drug-flags', 'data-testid': 'rx-drug-flags' });
  const dose = h('input', { type: 'text', class: 'input', inputmode: 'decimal', maxlength: '20', 'data-testid': 'rx-dose', placeholder: '5' });
  const unit = h('input', { type: 'text', class: 'input', maxlength: '10', 'data-testid': 'rx-unit', placeholder: 'mg' });
  const freq = select(FREQUENCIES.map((f) => ({ value: f, text: label('frequency', f) })), { value: 'qd', testid: 'rx-frequency', placeholder: null });
  let chosen = null;
  function choose(d) {
    chosen = d;
    search.value = drugText(d);
    matches.hidden = true;
    clear(matches);
    clear(flags);
    if (d.essential) flags.appendChild(chip(t('rx.essential'), 'chip-ok'));
    if (!d.primary_care) flags.appendChild(chip(t('rx.not_primary'), 'chip-warn'));
    if (!d.village) flags.appendChild(chip(t('rx.not_village'), 'chip-muted'));
    if (d.insurance_class && d.insurance_class !== 'none') flags.appendChild(chip(label('insurance_class', d.insurance_class)));
    const m = /^([\d.]+)\s*(\D+)$/.exec(String(d.strength || ''));
    if (m) {
      if (!dose.value) dose.value = m[1];
      if (!unit.value) unit.value = m[2];
    }
  }
  let timer = null;
  search.addEventListener('input', () => {
    chosen = null;
    clear(flags);
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const q = search.value.trim();
      if (!q) return;
      try {
        const data = await api.get('/drugs', { q, limit: 8 });
        if (search.value.trim() !== q) return;
        clear(matches);
        for (const d of data.items || []) {
          matches.appendChild(h('li', null, h('button', {
            type: 'button', class: 'rx-match', 'data-testid': 'rx-drug-option', 'data-code': d.code, onclick: () => choose(d),
          }, h('span', { class: 'strong' }, drugText(d)), d.primary_care ? null : h('span', { class: 'muted small' }, ` · ${t('rx.not_primary')}`))));
        }
        if (!(data.items || []).length) matches.appendChild(h('li', { class: 'muted small' }, t('rx.drug_none')));
        matches.hidden = false;
      } catch {
        /* keep typing */
      }
    }, 200);
  });
  const row = h('div', { class: 'rx-item', 'data-testid': 'rx-item' },
    formField(`items[${index}].drug_code`, t('rx.drug'), h('div', { class: 'rx-drug-pick' }, search, matches, flags), { required: true, cls: 'rx-drug' }),
    formField(`items[${index}].dose`, t('rx.dose'), dose, { required: true, cls: 'rx-small' }),
    formField(`items[${index}].unit`, t('rx.unit'), unit, { required: true, cls: 'rx-small' }),
    formField(`items[${index}].frequency`, t('rx.frequency'), freq, { cls: 'rx-small' }));
  row.value = () => {
    if (!chosen) throw fieldError(`items[${index}].drug_code`, t('rx.drug_pick'));
    if (!dose.value.trim()) throw fieldError(`items[${index}].dose`, t('forms.required'));
    if (!unit.value.trim()) throw fieldError(`items[${index}].unit`, t('forms.required'));
    return { drug_code: chosen.code, dose: dose.value.trim(), unit: unit.value.trim(), frequency: freq.value, days: Number(days()) || undefined };
  };
  return row;
}

function commonPrefix(a = '', b = '') {
  let n = 0;
  while (n < a.length && a[n] === b[n]) n++;
  return n;
}

export function drugText(d) {
  return [d.generic_name || d.name, d.strength, d.dosage_form].filter(Boolean).join(' ');
}

/* The long-prescription rule's verdict, asked before submitting. */
function verdictBox() {
  const box = h('div', { class: 'rx-verdict', 'data-testid': 'rx-verdict', 'aria-live': 'polite' });
  box.show = (v) => {
    clear(box);
    if (!v) return;
    box.dataset.allowed = v.allowed ? 'true' : 'false';
    box.appendChild(h('div', { class: `alert ${v.allowed ? 'alert-success' : 'alert-warn'}` },
      h('strong', { 'data-testid': 'rx-verdict-text' }, t(v.allowed ? 'rx.long_allowed' : 'rx.long_refused')),
      v.reasons && v.reasons.length ? h('ul', { class: 'rx-reasons' }, v.reasons.map((code) => h('li', { 'data-testid': 'rx-reason', 'data-code': code }, label('rx_reason', code)))) : null,
      v.latest_followup ? h('p', { class: 'small', 'data-testid': 'rx-latest-followup' }, t('rx.latest_followup', {
        date: formatDate(v.latest_followup.visit_date),
        state: [v.latest_followup.classification ? label('classification', v.latest_followup.classification) : null,
          v.latest_followup.medication_adherence ? label('adherence', v.latest_followup.medication_adherence) : null].filter(Boolean).join('，') || '—',
      })) : null));
  };
  return box;
}

async function prescribeDialog(r) {
  const programs = CHRONIC.filter((p) => (r.programs || []).includes(p));
  const all = await institutions().catch(() => []);
  const list = all.filter((i) => i.level === 'secondary' || i.level === 'tertiary');
  const villages = townshipOf(all, r, ['village']);
  const kind = select(['ordinary', 'long', 'extended'].map((k) => ({ value: k, text: label('rx_kind', k) })), { value: 'ordinary', testid: 'rx-kind', placeholder: null });
  const program = select((programs.length ? programs : CHRONIC).map((p) => ({ value: p, text: label('program', p) })), { value: programs[0] || '', testid: 'rx-program' });
  const days = h('input', { type: 'number', class: 'input', min: '1', max: '90', value: '14', inputmode: 'numeric', 'data-testid': 'rx-days' });
  const verdict = verdictBox();
  const items = h('div', { class: 'rx-items' });
  let count = 0;
  const addItem = () => items.appendChild(itemRow(count++, () => days.value));
  addItem();
  const more = h('button', { type: 'button', class: 'btn btn-ghost btn-small', 'data-testid': 'rx-add-item', onclick: addItem }, icon('plus'), t('rx.add_item'));
  /* extended: the hospital prescription continued */
  const source = select(list.map((i) => ({ value: i.id, text: i.name })), { testid: 'rx-source-hospital' });
  const reference = h('input', { type: 'text', class: 'input', maxlength: '64', 'data-testid': 'rx-source-ref' });
  const prescriber = h('input', { type: 'text', class: 'input', maxlength: '64', 'data-testid': 'rx-source-prescriber' });
  const sourceDate = h('input', { type: 'date', class: 'input', max: todayIso(), value: todayIso(), 'data-testid': 'rx-source-date' });
  const method = select(['pickup', 'courier'].map((m) => ({ value: m, text: label('delivery_method', m) })), { value: 'courier', testid: 'rx-delivery', placeholder: null });
  /* the village clinic nearest the resident first */
  const near = [...villages].sort((a, b) => commonPrefix(b.region, r.region) - commonPrefix(a.region, r.region));
  const pickup = select(near.map((i) => ({ value: i.id, text: i.name })), { value: near.length ? String(near[0].id) : '', testid: 'rx-pickup' });
  const pickupField = formField('delivery.institution_id', t('rx.pickup_at'), pickup, { required: true });
  const syncMethod = () => { pickupField.hidden = method.value !== 'pickup'; };
  method.addEventListener('change', syncMethod);
  syncMethod();
  const extended = h('div', { class: 'rx-extended form-grid', 'data-testid': 'rx-extended', hidden: true },
    formField('source.institution_id', t('rx.source_hospital'), source, { required: true }),
    formField('source.reference', t('rx.source_reference'), reference, { required: true }),
    formField('source.prescriber', t('rx.source_prescriber'), prescriber, { required: true }),
    formField('source.date', t('rx.source_date'), sourceDate, { required: true }),
    formField('delivery.method', t('rx.delivery_method'), method, { required: true }),
    pickupField);
  const programField = formField('program', t('rx.program'), program, { required: true });
  let asked = 0;
  async function check() {
    const mine = ++asked;
    if (kind.value !== 'long') return verdict.show(null);
    if (!program.value) return verdict.show(null);
    try {
      const v = await api.get(`/residents/${r.id}/long-prescription-check`, { program: program.value, days: days.value || undefined });
      if (mine === asked) verdict.show(v);
    } catch (error) {
      if (mine === asked) clear(verdict).appendChild(errorBox(error));
    }
  }
  const sync = () => {
    const k = kind.value;
    programField.hidden = k === 'ordinary';
    extended.hidden = k !== 'extended';
    if (k === 'long' && Number(days.value) < 28) days.value = '28';
    if (k !== 'long' && Number(days.value) > 27 && k === 'ordinary') days.value = '14';
    check();
  };
  kind.addEventListener('change', sync);
  program.addEventListener('change', check);
  days.addEventListener('change', check);
  sync();
  return fieldDialog({
    title: t('rx.new_title'),
    help: `${r.name} · ${t('rx.new_help')}`,
    testid: 'rx-dialog',
    submitLabel: t('rx.submit'),
    fields: [
      formField('kind', t('rx.kind'), kind, { required: true }),
      programField,
      formField('days_supply', t('rx.days'), days, { required: true, help: t('rx.days_help') }),
      verdict,
      extended,
      h('div', { class: 'field field-full' }, h('p', { class: 'field-label' }, t('rx.items')), items, more),
    ],
    onSubmit: async () => {
      const body = { resident_id: r.id, kind: kind.value, days_supply: Number(days.value), items: [...items.children].map((row) => row.value()) };
      if (kind.value !== 'ordinary' && program.value) body.program = program.value;
      if (kind.value === 'extended') {
        if (!source.value) throw fieldError('source.institution_id', t('forms.required'));
        if (!reference.value.trim()) throw fieldError('source.reference', t('forms.required'));
        if (!prescriber.value.trim()) throw fieldError('source.prescriber', t('forms.required'));
        body.source = { institution_id: Number(source.value), reference: reference.value.trim(), prescriber: prescriber.value.trim(), date: sourceDate.value };
        body.delivery = method.value === 'pickup' ? { method: 'pickup', institution_id: Number(pickup.value) || undefined } : { method: 'courier' };
      }
      try {
        return await api.post('/prescriptions', body);
      } catch (error) {
        /* a refusal by the rule carries every reason: show them with the verdict */
        const reasons = error.problem && error.problem.reasons;
        if (Array.isArray(reasons) && reasons.length) verdict.show({ allowed: false, reasons });
        throw error;
      }
    },
  });
}

export function prescriptionsCard(r, user, prescriptions, refresh) {
  if (!prescriptions) return null;
  const items = prescriptions instanceof Error ? null : prescriptions;
  const body = items === null ? errorBox(prescriptions) : items.length
    ? h('ul', { class: 'fu-history rx-list', 'data-testid': 'rx-list' }, items.slice(0, 8).map((p) => h('li', { class: 'fu-history-item rx-row', 'data-testid': 'rx-row', 'data-id': p.id, 'data-kind': p.kind },
      h('strong', null, formatDate(p.prescribed_on)),
      h('span', { class: `badge rx-kind rx-kind-${p.kind}`, 'data-testid': 'rx-kind-badge' }, label('rx_kind', p.kind)),
      h('span', null, (p.items || []).map((i) => i.drug_name).join('、') || '—'),
      h('span', { class: 'muted small' }, t('rx.days_n', { n: p.days_supply }), p.days_supply ? ` · ${t('rx.until', { date: addDaysIso(String(p.prescribed_on).slice(0, 10), p.days_supply - 1) })}` : ''),
      p.delivery && p.delivery.method ? h('span', { class: `badge delivery-${p.delivery.status}`, 'data-testid': 'rx-delivery-status', 'data-status': p.delivery.status }, `${label('delivery_method', p.delivery.method)} · ${label('delivery_status', p.delivery.status)}`) : null)))
    : empty(t('rx.none'), 'rx-none');
  const actions = can(user, 'prescription.write') && r.status === 'alive'
    ? [h('button', {
      type: 'button', class: 'btn btn-secondary btn-small', 'data-testid': 'prescribe',
      onclick: async () => {
        const p = await prescribeDialog(r);
        if (p) {
          toast(t('rx.saved'));
          refresh();
        }
      },
    }, icon('plus'), t('rx.new'))]
    : [];
  return card(t('rx.card'), body, { testid: 'card-prescriptions', actions });
}

/* What the resident page fetches for these cards (nulls when the user may not read them). */
export function loadHospitalData(r, user) {
  const list = (path) => api.get(path).then((d) => d.items || []).catch((e) => e);
  return Promise.all([
    can(user, 'booking.write') ? list(`/bookings?resident=${r.id}`) : null,
    can(user, 'referral.write') ? list(`/residents/${r.id}/referrals`).then((x) => (x instanceof Error ? x : withDepartmentNames(x))) : null,
    can(user, 'prescription.read') ? list(`/residents/${r.id}/prescriptions`) : null,
  ]);
}

/* The header button 预约专家号. */
export function bookAction(r, user) {
  if (!can(user, 'booking.write') || r.status !== 'alive' || user.role === 'resident') return null;
  return h('a', { href: `#/slots?resident=${r.id}`, class: 'btn btn-secondary', 'data-testid': 'book-slot' }, icon('calendar'), t('booking.book'));
}
