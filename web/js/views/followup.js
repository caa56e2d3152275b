/* followup.js - recording a program follow-up (随访), #/residents/ID/followup/PROGRAM:
 * the visit, the measurements, signs and medication for hypertension and diabetes, the
 * danger level for severe mental disorders, the self-care form for the elderly, the
 * visit date for a child check, the LMP and risk factors for a pregnancy. As fields are
 * filled, the server's protocol engine (POST /protocols/{program}/evaluate) shows the
 * classification, the action and the next due date; saving (POST /followups) closes the
 * open task and creates the next one. ?from=worklist returns to the work list.
 *
 * A save that fails keeps what was typed and says why where it happened (issue 14): the
 * server's problem at its field (highlighted, the message under it, the field's label in
 * the user's language) and a summary at the top; no network says so; a second visit of the
 * day asks to confirm (409 duplicate_followup). The evaluation stays in view while saving
 * (beside the form on a desk, just above Save on a phone); a result that refers says so and
 * the save creates the referral, shown done in place. After a save the form's history entry
 * is replaced (Back never reopens a blank form); leaving with typed data asks first. */
import { api, errorText } from '../api.js';
import * as offline from '../offline.js';
import { h, icon, pageHeader, card, clear, toast, chip, formDialog } from '../dom.js';
import { t, label } from '../i18n.js';
import { todayIso, ageFrom, formatDate, formatAge } from '../format.js';

export const PROGRAMS = ['hypertension', 'diabetes', 'smd', 'elderly', 'child', 'maternal'];
const FINDINGS = {
  hypertension: ['severe_headache', 'dizziness', 'vomiting', 'blurred_vision', 'eye_pain', 'palpitations', 'chest_tightness',
    'dyspnoea', 'altered_consciousness', 'pregnant_or_lactating', 'unmanageable_condition', 'adverse_reaction',
    'adverse_reaction_uncontrolled', 'new_complication'],
  diabetes: ['altered_consciousness', 'acetone_breath', 'palpitations', 'sweating', 'vomiting', 'polyuria', 'abdominal_pain',
    'deep_breathing', 'flushed_skin', 'sudden_vision_loss', 'pregnant_or_lactating', 'adverse_reaction',
    'adverse_reaction_uncontrolled', 'new_complication'],
  smd: ['psychotic_symptoms', 'no_insight', 'poor_social_function', 'adverse_reaction', 'adverse_reaction_uncontrolled',
    'serious_physical_illness'],
};
const SELF_CARE = ['eating', 'grooming', 'dressing', 'toileting', 'activity'];
const RISKS = [['advanced_age', 'yellow'], ['hypertension', 'orange'], ['diabetes', 'yellow'], ['scar_uterus', 'yellow'],
  ['heart_disease', 'red'], ['infectious', 'purple']];
const UNCONTROLLED = new Set(['first_uncontrolled', 'consecutive_uncontrolled', 'emergency', 'basically_stable', 'unstable']);

const num = (attrs) => h('input', { type: 'number', inputmode: 'decimal', class: 'input input-short', ...attrs });
const fieldOf = (text, control, testid) => h('label', { class: 'field', 'data-field': testid }, h('span', { class: 'field-label' }, text), control);

/* A reason code is a threshold (reason.*) or a finding (finding.*). */
function reasonText(code) {
  const text = label('reason', code);
  return text === code ? label('finding', code) : text;
}

/* The items of a resident's active prescriptions, newest first, one per drug. */
function prescribedItems(data) {
  const seen = new Set();
  const items = [];
  for (const p of (data.items || []).filter((x) => x.status === 'active').sort((a, b) => b.prescribed_on.localeCompare(a.prescribed_on))) {
    for (const item of p.items || []) {
      if (seen.has(item.drug_code)) continue;
      seen.add(item.drug_code);
      const doseText = `${item.dose}${item.unit || ''}`;
      items.push({ ...item, dose_text: doseText, text: `${item.drug_name} ${doseText} ${item.frequency} · ${formatDate(p.prescribed_on)}` });
    }
  }
  return items;
}

/* Uncontrolled results in a row at the top of the history (newest first). */
function inRow(history) {
  let n = 0;
  for (const f of history) {
    if (!f.evaluation || !UNCONTROLLED.has(f.evaluation.classification)) break;
    n++;
  }
  return n;
}

export async function followupView(ctx) {
  const id = Number(ctx.params[0]);
  const program = ctx.params[1];
  if (!PROGRAMS.includes(program)) throw new Error(t('app.not_found'));
  /* Back to the work list the form came from, with its tab and filters (only a query of
   * #/worklist: `back` cannot lead anywhere else). */
  const listQuery = ctx.query.get('back') || '';
  const back = ctx.query.get('from') === 'worklist' ? `#/worklist${listQuery ? `?${listQuery.replace(/#/g, '')}` : ''}` : `#/residents/${id}`;
  /* Back (or Forward) to a form already saved: not a blank form again, but where it led. */
  if (window.history.state && window.history.state.followupSaved) {
    location.replace(back);
    return null;
  }
  /* Offline, the kept copies answer (the service worker); a person never opened here is
   * drawn from the work list's row, without history (the server completes it at sync). */
  const person = offline.rememberedPerson(id);
  const fallback = (what) => (error) => {
    if (!offline.isNetworkError(error) || !person) throw error;
    return what;
  };
  const [r, history, prescribed] = await Promise.all([
    api.get(`/residents/${id}`).catch(fallback({ ...person, programs: [] })),
    api.get(`/residents/${id}/followups`, { program }).then((d) => d.items || []).catch(fallback([])),
    /* the medicines of the resident's active prescriptions, which a medication row may name;
     * none offline or for a role that does not read prescriptions */
    FINDINGS[program] ? api.get(`/residents/${id}/prescriptions`).then(prescribedItems).catch(() => []) : [],
  ]);
  const taskId = Number(ctx.query.get('task')) || null;
  const title = t('followup.title', { program: label('program', program) });
  ctx.setTitle(`${r.name} · ${title}`);

  const date = h('input', { type: 'date', class: 'input', value: todayIso(), max: todayIso(), 'data-testid': 'fu-date', required: true });
  const mode = h('select', { class: 'input select', 'data-testid': 'fu-mode' },
    ['clinic', 'home_visit', 'phone', 'device'].map((m) => h('option', { value: m }, label('mode', m))));
  const note = h('input', { type: 'text', class: 'input', maxlength: '500', 'data-testid': 'fu-note' });
  const controls = {};
  const sections = [card(t('followup.visit'), h('div', { class: 'form-grid' },
    fieldOf(t('followup.visit_date'), date, 'visit_date'), fieldOf(t('followup.mode'), mode, 'mode')), { testid: 'fu-visit' })];

  if (program === 'hypertension' || program === 'diabetes') {
    controls.sbp = num({ min: 40, max: 300, 'data-testid': 'fu-sbp' });
    controls.dbp = num({ min: 20, max: 200, 'data-testid': 'fu-dbp' });
    controls.heart_rate = num({ min: 20, max: 300, 'data-testid': 'fu-heart-rate' });
    const grid = [fieldOf(t('followup.sbp'), controls.sbp, 'sbp'), fieldOf(t('followup.dbp'), controls.dbp, 'dbp'),
      fieldOf(t('followup.heart_rate'), controls.heart_rate, 'heart_rate')];
    if (program === 'diabetes') {
      controls.fbg = num({ min: 0.5, max: 60, step: '0.1', 'data-testid': 'fu-fbg' });
      controls.temperature = num({ min: 30, max: 45, step: '0.1', 'data-testid': 'fu-temperature' });
      grid.unshift(fieldOf(t('followup.fbg'), controls.fbg, 'fbg'));
      grid.push(fieldOf(t('followup.temperature'), controls.temperature, 'temperature'));
      /* A recent laboratory HbA1c, when the patient brings one (not part of the evaluation). */
      controls.hba1c = num({ min: 3, max: 20, step: '0.1', 'data-testid': 'fu-hba1c' });
      grid.push(fieldOf(t('followup.hba1c'), controls.hba1c, 'hba1c'));
    }
    controls.weight = num({ min: 1, max: 400, step: '0.1', 'data-testid': 'fu-weight' });
    grid.push(fieldOf(t('followup.weight'), controls.weight, 'weight_kg'));
    sections.push(card(t('followup.measures'), h('div', { class: 'form-grid' }, grid), { testid: 'fu-measures' }));
  }
  if (program === 'smd') {
    controls.danger = h('select', { class: 'input select', 'data-testid': 'fu-danger' },
      [0, 1, 2, 3, 4, 5].map((n) => h('option', { value: String(n) }, label('danger', n))));
    sections.push(card(t('followup.danger_level'), fieldOf(t('followup.danger_level'), controls.danger, 'danger_level'), { testid: 'fu-measures' }));
  }
  let findingBoxes = [];
  if (FINDINGS[program]) {
    findingBoxes = FINDINGS[program].map((code) => h('input', { type: 'checkbox', value: code, 'data-testid': `fu-finding-${code}` }));
    sections.push(card(t('followup.findings'), h('div', { class: 'check-grid' },
      findingBoxes.map((box) => h('label', { class: 'check' }, box, h('span', null, label('finding', box.value))))), { testid: 'fu-findings' }));
    /* Medication at the visit: one row per medicine. */
    const meds = h('div', { class: 'edit-rows', 'data-testid': 'fu-meds' });
    const addMed = (m = {}) => {
      const inputs = ['name', 'dose', 'frequency'].map((k) => h('input', { type: 'text', class: 'input', maxlength: '60', value: m[k] || '', 'data-key': k, 'data-testid': `fu-med-${k}` }));
      const row = h('div', { class: 'edit-row med-row', 'data-testid': 'fu-med' },
        inputs.map((input, i) => h('label', { class: 'edit-cell' }, h('span', { class: 'edit-cell-label' }, t(`followup.med_${['name', 'dose', 'frequency'][i]}`)), input)));
      /* A medicine of a prescription: the row names its item, and the server writes its name,
       * dose and frequency (issue 15: medications link to prescription items). */
      if (prescribed.length) {
        const pick = h('select', { class: 'input select', 'data-testid': 'fu-med-rx' },
          h('option', { value: '' }, t('followup.med_typed')),
          prescribed.map((item) => h('option', { value: String(item.id) }, item.text)));
        const choose = () => {
          const item = prescribed.find((x) => String(x.id) === pick.value);
          row.dataset.item = item ? String(item.id) : '';
          inputs.forEach((input, i) => {
            if (item) input.value = [item.drug_name, item.dose_text, item.frequency][i];
            input.readOnly = Boolean(item);
          });
        };
        pick.addEventListener('change', choose);
        if (m.prescription_item_id && prescribed.some((x) => x.id === m.prescription_item_id)) {
          pick.value = String(m.prescription_item_id);
          choose();
        }
        row.prepend(h('label', { class: 'edit-cell' }, h('span', { class: 'edit-cell-label' }, t('followup.med_from_rx')), pick));
      }
      meds.appendChild(row);
    };
    const last = history.find((f) => f.medications && f.medications.length);
    (last ? last.medications : [{}]).forEach(addMed); /* last visit's medicines, to confirm or change */
    controls.meds = meds;
    /* 服药依从性 of the national form: a long prescription needs it recorded as regular. */
    controls.adherence = h('select', { class: 'input select', 'data-testid': 'fu-adherence' },
      h('option', { value: '' }, t('followup.adherence_unknown')),
      ['regular', 'intermittent', 'none'].map((code) => h('option', { value: code }, label('adherence', code))));
    sections.push(card(t('followup.medications'), [meds, h('button', { type: 'button', class: 'btn btn-ghost btn-small', 'data-testid': 'fu-med-add', onclick: () => addMed() }, icon('plus'), t('followup.med_add')),
      fieldOf(t('followup.adherence'), controls.adherence, 'medication_adherence')], { testid: 'fu-medications' }));
  }
  if (program === 'elderly') {
    controls.care = SELF_CARE.map((item) => h('select', { class: 'input select', 'data-item': item, 'data-testid': `fu-care-${item}` },
      [0, 1, 2, 3].map((n) => h('option', { value: String(n) }, label('self_care_answer', n)))));
    sections.push(card(t('followup.self_care'), h('div', { class: 'form-grid' },
      controls.care.map((c) => fieldOf(label('self_care', c.dataset.item), c, `self_care.${c.dataset.item}`))), { testid: 'fu-self-care' }));
  }
  if (program === 'maternal') {
    controls.lmp = h('input', { type: 'date', class: 'input', max: todayIso(), 'data-testid': 'fu-lmp' });
    controls.delivery = h('input', { type: 'date', class: 'input', max: todayIso(), 'data-testid': 'fu-delivery' });
    controls.discharge = h('input', { type: 'date', class: 'input', max: todayIso(), 'data-testid': 'fu-discharge' });
    controls.risks = RISKS.map(([code, color]) => h('input', { type: 'checkbox', value: code, 'data-color': color, 'data-testid': `fu-risk-${code}` }));
    /* A visit assesses the risk only when the doctor says so: otherwise the standing
     * assessment stays (orange, red and purple are never downgraded by a routine visit).
     * The first visit of a pregnancy (no history yet) is its first assessment. */
    controls.assessed = h('input', { type: 'checkbox', 'data-testid': 'fu-risk-assessed', checked: history.length ? null : '' });
    controls.risks.forEach((box) => box.addEventListener('change', () => { if (box.checked) controls.assessed.checked = true; }));
    sections.push(card(t('followup.measures'), [h('div', { class: 'form-grid' },
      fieldOf(t('followup.lmp'), controls.lmp, 'lmp'), fieldOf(t('followup.delivery_date'), controls.delivery, 'delivery_date'),
      fieldOf(t('followup.discharge_date'), controls.discharge, 'discharge_date')),
    h('p', { class: 'field-label' }, t('followup.risk_factors')),
    h('div', { class: 'check-grid' }, controls.risks.map((box) => h('label', { class: 'check' }, box,
      h('span', null, label('risk', box.value), ' ', h('span', { class: `badge color-badge color-${box.dataset.color}` }, label('color', box.dataset.color)))))),
    h('label', { class: 'check', 'data-field': 'risk_factors' }, controls.assessed, h('span', null, t('followup.risk_assessed'))),
    h('p', { class: 'muted small' }, t('followup.risk_standing'))],
    { testid: 'fu-maternal' }));
  }
  sections.push(card(t('followup.note'), note, { testid: 'fu-note-card' }));

  /* The body for both the dry run and the record. */
  const value = (el) => (el && el.value !== '' ? Number(el.value) : undefined);
  function body() {
    const b = { visit_date: date.value };
    for (const k of ['sbp', 'dbp', 'heart_rate', 'fbg', 'temperature']) if (value(controls[k]) !== undefined) b[k] = value(controls[k]);
    if (controls.danger) b.danger_level = Number(controls.danger.value);
    if (findingBoxes.length) b.findings = findingBoxes.filter((x) => x.checked).map((x) => x.value);
    if (controls.care) b.self_care = Object.fromEntries(controls.care.map((c) => [c.dataset.item, Number(c.value)]));
    if (controls.lmp) {
      if (controls.lmp.value) b.lmp = controls.lmp.value;
      if (controls.delivery.value) b.delivery_date = controls.delivery.value;
      if (controls.discharge.value) b.discharge_date = controls.discharge.value;
      if (controls.assessed.checked) b.risk_factors = controls.risks.filter((x) => x.checked).map((x) => ({ code: x.value, color: x.dataset.color }));
    }
    return b;
  }
  /* The dry run needs what the record would supply. */
  function dryRun(b) {
    const visits = history.map((f) => f.visit_date).filter((d) => d < b.visit_date).concat([b.visit_date]);
    if (['hypertension', 'diabetes', 'smd'].includes(program)) return { ...b, age: ageFrom(r.birth_date, b.visit_date), previous_uncontrolled: inRow(history) };
    if (program === 'elderly') {
      const chronic = (r.programs || []).filter((p) => ['hypertension', 'diabetes', 'smd', 'tb', 'copd'].includes(p)).length;
      return { ...b, assessment_date: b.visit_date, chronic_programs: chronic };
    }
    if (program === 'child') return { birth_date: r.birth_date, visits, as_of: b.visit_date };
    return { ...b, visits, as_of: b.visit_date };
  }

  const result = h('div', { class: 'fu-result', 'data-testid': 'fu-result', 'aria-live': 'polite' });
  let seq = 0;
  async function evaluate() {
    const mine = ++seq;
    const b = body();
    try {
      const out = await api.post(`/protocols/${program}/evaluate`, dryRun(b));
      if (mine === seq) showResult(out);
    } catch (error) {
      if (mine !== seq) return;
      clear(result);
      result.setAttribute('data-state', 'waiting');
      result.appendChild(h('p', { class: 'muted', 'data-testid': offline.isNetworkError(error) ? 'fu-offline' : null },
        error.status === 422 ? t('followup.result_wait') : offline.isNetworkError(error) ? t('offline.no_evaluation') : errorText(error)));
    }
  }
  /* A result that refers: what saving will set in motion, and a button that does it. The
   * server creates the referral with the record (issue 12), so this is the only way to make
   * it: one referral, never a second one by hand. */
  function referralOffer(urgent) {
    return h('div', { class: `fu-offer${urgent ? ' fu-offer-urgent' : ''}`, 'data-testid': 'fu-referral-offer', 'data-urgent': urgent ? 'true' : 'false' },
      h('p', { class: 'fu-offer-title' }, icon('transfer'), t(urgent ? 'fu.refer_offer_urgent' : 'fu.refer_offer')),
      h('p', { class: 'muted small', 'data-testid': 'fu-will-refer' }, t('fu.refer_offer_help', { level: label('target_level', 'secondary') })),
      h('button', { type: 'button', class: `btn ${urgent ? 'btn-danger' : 'btn-primary'} btn-small`, 'data-testid': 'fu-refer', onclick: () => form.requestSubmit() },
        icon('transfer'), t('fu.save_and_refer')));
  }
  function showResult(out) {
    refers = out.action === 'refer' || out.action === 'urgent_refer';
    submitText.textContent = t(refers ? 'fu.save_and_refer' : 'followup.submit');
    clear(result);
    result.setAttribute('data-state', 'ready');
    const rows = [];
    if (out.classification) {
      rows.push(h('p', { class: 'fu-class' }, h('span', { class: `badge fu-badge fu-${out.classification}`, 'data-testid': 'fu-classification', 'data-code': out.classification }, label('classification', out.classification))));
      rows.push(h('p', { 'data-testid': 'fu-action', 'data-code': out.action }, label('action', out.action)));
      if (inRow(history)) rows.push(h('p', { class: 'muted small' }, t('followup.in_row', { n: inRow(history) })));
      if (out.reasons && out.reasons.length) rows.push(h('div', { class: 'chips', 'data-testid': 'fu-reasons' }, out.reasons.map((c) => chip(reasonText(c)))));
      if ((out.action === 'refer' || out.action === 'urgent_refer') && !savedAlready) rows.push(referralOffer(out.action === 'urgent_refer'));
    }
    if (out.color) {
      rows.push(h('p', { class: 'fu-class' }, h('span', { class: `badge color-badge color-${out.color}`, 'data-testid': 'fu-classification', 'data-code': out.color }, label('color', out.color))));
      rows.push(h('p', null, t('followup.score', { n: out.self_care_score }), ' · ', label('self_care_level', out.self_care_level)));
    }
    if (out.colors) rows.push(h('p', { class: 'fu-class' }, out.colors.map((c) => h('span', { class: `badge color-badge color-${c}`, 'data-testid': 'fu-color' }, label('color', c)))));
    if (out.gestational_weeks !== undefined) rows.push(h('p', { 'data-testid': 'fu-weeks' }, t('followup.weeks', { n: out.gestational_weeks })));
    if (out.schedule) {
      rows.push(h('ol', { class: 'fu-schedule', 'data-testid': 'fu-schedule' }, out.schedule.map((p) => h('li', { class: `fu-point point-${p.status}`, 'data-point': p.point, 'data-status': p.status },
        h('span', null, label('point', p.point)), h('span', { class: 'muted small' }, `${formatDate(p.window_start)}–${formatDate(p.window_end)}`),
        h('span', { class: `badge point-badge point-${p.status}` }, label('point_status', p.status))))));
    }
    rows.push(h('p', { class: 'fu-next' }, t('followup.next_due'), t('app.colon'), h('strong', { 'data-testid': 'fu-next-due' }, out.next_due ? formatDate(out.next_due) : '—')));
    rows.forEach((row) => result.appendChild(row));
  }
  let timer;
  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(evaluate, 200);
  };

  /* Saving: the state beside the button, the problems at their fields and at the top. */
  const summary = h('div', { class: 'fu-summary', 'data-testid': 'fu-summary', hidden: true, tabindex: '-1' });
  const state = h('p', { class: 'fu-state', 'data-testid': 'fu-save-state', 'data-state': 'draft', role: 'status' }, t('fu.state_draft'));
  const submitText = h('span', null, t('followup.submit'));
  const submit = h('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'fu-submit' }, icon('check'), submitText);
  const cancel = h('button', { type: 'button', class: 'btn btn-ghost', 'data-testid': 'fu-cancel', onclick: () => leave(back) }, t('app.cancel'));
  /* On a phone the evaluation sits here, just above Save; on a desk beside the form. */
  const phoneSlot = h('div', { class: 'fu-phone-slot' });
  const form = h('form', { class: 'fu-form', novalidate: true, 'data-testid': 'fu-form' }, summary, ...sections, phoneSlot,
    h('div', { class: 'card fu-actions-card' }, h('div', { class: 'card-body' }, h('div', { class: 'form-actions fu-actions' }, state, cancel, submit))));
  let refers = false;
  let savedAlready = false; /* the referral offered is made: the evaluation no longer offers it */
  let dirty = false;
  let saving = false;
  form.addEventListener('input', schedule);
  form.addEventListener('change', schedule);
  const touched = (event) => {
    if (!event.isTrusted) return;
    dirty = true;
    const host = event.target.closest && event.target.closest('.field-invalid');
    if (host) unmark(host);
  };
  form.addEventListener('input', touched);
  form.addEventListener('change', touched);

  const setState = (code, text) => {
    state.setAttribute('data-state', code);
    state.textContent = text;
  };
  /* The field's own label, in the user's language (the form's words). */
  function hostOf(field) {
    if (!field) return null;
    const name = field === 'assessment_date' ? 'visit_date' : field;
    const med = /^medications\[(\d+)\]/.exec(name);
    if (med && controls.meds) return controls.meds.children[Number(med[1])] || controls.meds;
    return form.querySelector(`[data-field="${CSS.escape(name)}"]`);
  }
  function labelOf(field, host) {
    const own = host && host.querySelector('.field-label, .edit-cell-label, span');
    if (own && host.matches('[data-field]')) return own.textContent.trim();
    if (/^medications/.test(field || '')) return t('followup.medications');
    if (field === 'program') return t('fu.field_program');
    if (field === 'resident_id') return t('fu.field_resident');
    return field ? t('app.field', { field }) : '';
  }
  function unmark(host) {
    host.classList.remove('field-invalid');
    host.querySelectorAll('.field-error').forEach((e) => e.remove());
    host.querySelectorAll('[aria-invalid]').forEach((c) => c.removeAttribute('aria-invalid'));
  }
  function clearProblems() {
    form.querySelectorAll('.field-invalid').forEach(unmark);
    clear(summary);
    summary.hidden = true;
  }
  /* problems: [{field?, message}]. Each at its field, all of them at the top. */
  function showProblems(problems, title) {
    clearProblems();
    const items = [];
    let first = null;
    problems.forEach((p, n) => {
      const host = hostOf(p.field);
      const name = labelOf(p.field, host);
      if (host) {
        host.classList.add('field-invalid');
        const control = host.querySelector('input, select, textarea');
        const id = `fu-error-${n}`;
        host.appendChild(h('span', { class: 'field-error', id, 'data-testid': 'fu-field-error', 'data-field': p.field }, p.message));
        if (control) {
          control.setAttribute('aria-invalid', 'true');
          control.setAttribute('aria-describedby', id);
          first = first || control;
        }
      }
      items.push(h('li', null, host
        ? h('button', { type: 'button', class: 'link-btn', onclick: () => (host.querySelector('input, select, textarea') || host).focus() }, name ? `${name}${t('app.colon')}${p.message}` : p.message)
        : h('span', null, name ? `${name}${t('app.colon')}${p.message}` : p.message)));
    });
    summary.appendChild(h('div', { class: 'alert alert-error fu-summary-box', role: 'alert', 'data-testid': 'fu-error-summary' },
      h('div', null, h('p', { class: 'fu-summary-title' }, title || t('fu.summary_title', { n: problems.length })), h('ul', { class: 'fu-summary-list' }, items))));
    summary.hidden = false;
    return first;
  }
  /* What the browser can tell without asking: the fields a record of the program needs. */
  function localProblems() {
    const need = (field, el) => (el && el.value === '' ? [{ field, message: t('fu.required') }] : []);
    const out = need('visit_date', date);
    if (program === 'hypertension') out.push(...need('sbp', controls.sbp), ...need('dbp', controls.dbp));
    if (program === 'diabetes') {
      out.push(...need('fbg', controls.fbg));
      if ((controls.sbp.value === '') !== (controls.dbp.value === '')) {
        out.push({ field: controls.sbp.value === '' ? 'sbp' : 'dbp', message: t('fu.pair_required') });
      }
    }
    return out;
  }

  async function save({ confirmDuplicate = false } = {}) {
    if (saving) return;
    const local = localProblems();
    if (local.length) {
      const first = showProblems(local);
      setState('not_saved', t('fu.state_not_saved'));
      if (first) first.focus();
      return;
    }
    clearProblems();
    const b = { ...body(), resident_id: id, program, mode: mode.value };
    if (taskId) b.task_id = taskId; /* a colleague's visit meanwhile is then a conflict, not a second record */
    if (note.value.trim()) b.note = note.value.trim();
    if (value(controls.weight) !== undefined) b.weight_kg = value(controls.weight);
    if (value(controls.hba1c) !== undefined) b.hba1c = value(controls.hba1c);
    if (controls.meds) {
      b.medications = [...controls.meds.children].map((row) => ({
        ...Object.fromEntries([...row.querySelectorAll('input')].map((i) => [i.dataset.key, i.value.trim()])),
        ...(row.dataset.item ? { prescription_item_id: Number(row.dataset.item) } : {}),
      })).filter((m) => m.name);
    }
    if (controls.adherence && controls.adherence.value) b.medication_adherence = controls.adherence.value;
    if (confirmDuplicate) b.confirm_duplicate = true;
    saving = true;
    submit.disabled = true;
    setState('saving', t('fu.state_saving'));
    let saved;
    try {
      saved = await offline.submit('/followups', b, { resident_name: r.name, program, task_id: taskId });
    } catch (error) {
      saving = false;
      submit.disabled = false;
      failed(error, b);
      return;
    }
    saving = false;
    dirty = false;
    if (saved.queued) {
      /* No link: kept on this device with its Idempotency-Key and sent when the link returns. */
      setState('saved', t('offline.queued'));
      toast(t('offline.queued'), 'warning');
      location.replace(back);
      return;
    }
    setState('saved', t('fu.state_saved'));
    /* This entry of the history is done: coming back to it leaves at once. */
    try {
      window.history.replaceState({ ...(window.history.state || {}), followupSaved: saved.id }, '');
    } catch {
      /* no history API: the replace below is enough */
    }
    toast(t('followup.saved', { date: saved.next_due ? formatDate(saved.next_due) : '—' }));
    const referrals = saved.referrals || [];
    if (referrals.length) {
      const by = referrals.map((x) => x.confirm_by).sort()[0];
      toast(t('referral.created', { n: referrals.length, date: formatDate(by) }), 'warning');
      await showSaved(saved);
      return;
    }
    location.replace(back);
  }

  function failed(error, b) {
    if (error.status === 0 || error.code === 'network') {
      summary.hidden = false;
      clear(summary).appendChild(h('div', { class: 'alert alert-error', role: 'alert', 'data-testid': 'fu-network-error' }, t('fu.network')));
      setState('network', t('fu.state_network'));
      summary.scrollIntoView({ block: 'nearest' });
      return;
    }
    if (error.code === 'duplicate_followup') {
      clearProblems();
      const host = hostOf('visit_date');
      if (host) host.classList.add('field-invalid');
      summary.appendChild(h('div', { class: 'alert alert-warning fu-duplicate', role: 'alert', 'data-testid': 'fu-duplicate' },
        h('div', null,
          h('p', { class: 'fu-summary-title' }, t('fu.duplicate_title', { date: formatDate(b.visit_date), program: label('program', program) })),
          h('p', { class: 'small' }, t('fu.duplicate_help'))),
        h('button', { type: 'button', class: 'btn btn-secondary btn-small', 'data-testid': 'fu-confirm-duplicate', onclick: () => save({ confirmDuplicate: true }) }, t('fu.duplicate_confirm'))));
      summary.hidden = false;
      setState('not_saved', t('fu.state_not_saved'));
      summary.scrollIntoView({ block: 'nearest' });
      return;
    }
    const first = showProblems([{ field: error.field, message: fieldMessage(error) }]);
    setState('not_saved', t('fu.state_not_saved'));
    if (first) first.focus();
    else summary.scrollIntoView({ block: 'nearest' });
  }

  /* The server's words for a field, without the field's code it appends ("…: sbp (…)")
   * since the label says which; with the plausible range when the input knows it. */
  function fieldMessage(error) {
    let text = error.detail || errorText(error);
    if (error.field) {
      const at = text.lastIndexOf(`: ${error.field}`);
      if (at >= 0) text = text.slice(0, at) + text.slice(at + error.field.length + 2);
    }
    const host = hostOf(error.field);
    const control = host && host.querySelector('input[type=number][min][max]');
    if (control && ['invalid_field', 'out_of_range'].includes(error.code)) text += t('fu.range', { min: control.min, max: control.max });
    return text.trim();
  }

  /* Saved with a referral: the form gives way to what was done, the evaluation beside it. */
  async function showSaved(saved) {
    const listed = await api.get(`/residents/${id}/referrals`).then((d) => d.items || []).catch(() => []);
    const names = new Map(listed.map((x) => [x.id, x.to_institution_name]));
    const leaveTo = (href) => () => location.replace(href);
    const panel = card(t('fu.saved_title'), [
      h('p', { class: 'fu-saved-next' }, saved.next_due ? t('fu.saved_next', { date: formatDate(saved.next_due) }) : t('fu.saved_no_next')),
      h('ul', { class: 'fu-referrals' }, saved.referrals.map((x) => {
        const to = names.get(x.id) || label('target_level', x.target_level);
        return h('li', { class: 'fu-referral-done', 'data-testid': 'fu-referral-done', 'data-id': x.id, 'data-urgent': x.urgent ? 'true' : 'false' },
          icon('check', 'icon fu-done-icon'),
          h('span', null, h('strong', null, t(x.urgent ? 'fu.referral_done_urgent' : 'fu.referral_done', { to })),
            h('span', { class: 'muted small fu-block' }, t('fu.referral_confirm_by', { date: formatDate(x.confirm_by) }))));
      })),
      h('div', { class: 'form-actions' },
        h('button', { type: 'button', class: 'btn btn-secondary', 'data-testid': 'fu-saved-resident', onclick: leaveTo(`#/residents/${id}`) }, t('fu.back_resident')),
        back.startsWith('#/worklist') ? h('button', { type: 'button', class: 'btn btn-primary', 'data-testid': 'fu-saved-worklist', onclick: leaveTo(back) }, t('fu.back_worklist')) : null),
    ], { testid: 'fu-saved', cls: 'fu-saved' });
    savedAlready = true;
    result.querySelectorAll('[data-testid=fu-referral-offer]').forEach((offer) => offer.remove());
    form.hidden = true;
    form.after(panel);
    placeResult();
    panel.scrollIntoView({ block: 'start' });
  }

  /* Leaving with typed data asks first; with nothing typed it just goes. */
  async function leave(href) {
    if (dirty) {
      const sure = await formDialog({
        title: t('fu.discard_title'), help: t('fu.discard_help'), fields: [], submitLabel: t('fu.discard'),
        testid: 'fu-discard-dialog', danger: true, onSubmit: async () => true,
      });
      if (!sure) return;
      dirty = false;
    }
    location.hash = href;
  }
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    save();
  });
  const onUnload = (event) => {
    if (!form.isConnected) return window.removeEventListener('beforeunload', onUnload);
    if (dirty) event.preventDefault();
  };
  window.addEventListener('beforeunload', onUnload);
  /* The evaluation asked while offline said so: ask again when the link is back. */
  const onOnline = () => (form.isConnected ? evaluate() : window.removeEventListener('online', onOnline));
  window.addEventListener('online', onOnline);
  evaluate();

  const header = pageHeader(title, { back: { href: back, text: t('followup.back') }, subtitle: `${r.name} · ${label('sex', r.sex)} · ${formatAge(r.age)}` });
  header.querySelector('[data-testid=back-link]').addEventListener('click', (event) => {
    if (!dirty) return;
    event.preventDefault();
    leave(back);
  });
  const resultCard = card(t('followup.result'), [h('p', { class: 'muted small card-lead' }, t('followup.result_help')), result], { testid: 'fu-result-card', cls: 'fu-sticky' });
  const side = h('div', { class: 'col-side' }, resultCard);
  const main = h('div', { class: 'col-main' }, form);
  /* One evaluation card, moved where the width wants it. */
  const narrow = window.matchMedia('(max-width: 980px)');
  function placeResult() {
    if (!narrow.matches) side.appendChild(resultCard);
    else if (form.hidden) main.appendChild(resultCard);
    else phoneSlot.appendChild(resultCard);
  }
  placeResult();
  const onWidth = () => {
    if (main.isConnected) placeResult();
    else narrow.removeEventListener('change', onWidth);
  };
  narrow.addEventListener('change', onWidth);
  return h('div', { class: 'page followup-page', 'data-testid': 'followup-page', 'data-program': program }, header,
    h('div', { class: 'two-col fu-layout' }, main, side));
}
