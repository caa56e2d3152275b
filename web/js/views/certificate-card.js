/* certificate-card.js - 慢病证 on the resident page (issue 19): the person's chronic-disease
 * outpatient certificates with their step, number and term, the next step in place (notify,
 * pre-review, granted with its number or rejected with the reason), and 筛查办理 for a disease
 * a diagnosis on the record qualifies for (POST /residents/{id}/certificates; the server
 * checks the diagnosis). */
import { api } from '../api.js';
import { h, icon, card, empty, toast, formDialog, field } from '../dom.js';
import { t, label } from '../i18n.js';
import { can } from '../roles.js';
import { formatDate, todayIso } from '../format.js';

const DISEASES = ['hypertension', 'diabetes', 'coronary', 'stroke', 'copd', 'smd', 'ckd'];
const NEXT = { screened: ['notified'], notified: ['pre_reviewed'], pre_reviewed: ['granted', 'rejected'], rejected: ['pre_reviewed'], granted: ['pre_reviewed'], expired: ['pre_reviewed'] };

function stepDialog(c, to) {
  const date = h('input', { type: 'date', class: 'input', value: todayIso(), max: todayIso(), 'data-testid': 'cert-date' });
  const number = h('input', { type: 'text', class: 'input mono', maxlength: '40', 'data-testid': 'cert-number' });
  const validTo = h('input', { type: 'date', class: 'input', 'data-testid': 'cert-valid-to' });
  const reason = h('input', { type: 'text', class: 'input', maxlength: '200', 'data-testid': 'cert-reason' });
  const fields = [field(t('cert.date'), date, { required: true })];
  if (to === 'granted') fields.push(field(t('cert.number'), number, { required: true }), field(t('cert.valid_to'), validTo, { help: t('cert.valid_to_help') }));
  if (to === 'rejected') fields.push(field(t('cert.reason'), reason, { required: true }));
  return formDialog({
    title: `${label('cert_disease', c.disease)} · ${label('cert_step', to)}`, testid: 'cert-dialog', submitLabel: t('app.save'), fields,
    onSubmit: () => api.post(`/certificates/${c.id}/transition`, { to, date: date.value,
      ...(to === 'granted' ? { number: number.value.trim(), ...(validTo.value ? { valid_to: validTo.value } : {}) } : {}),
      ...(to === 'rejected' ? { reason: reason.value.trim() } : {}) }),
  });
}

function screenDialog(r) {
  const disease = h('select', { class: 'input', 'data-testid': 'cert-disease' }, DISEASES.map((d) => h('option', { value: d }, label('cert_disease', d))));
  return formDialog({
    title: t('cert.screen'), help: t('cert.screen_help'), testid: 'cert-screen-dialog', submitLabel: t('app.save'),
    fields: [field(t('cert.disease'), disease, { required: true })],
    onSubmit: () => api.post(`/residents/${r.id}/certificates`, { disease: disease.value }),
  });
}

export async function certificateCard(r, user, refresh) {
  if (!can(user, 'followup.read')) return null;
  const data = await api.get(`/residents/${r.id}/certificates`).catch(() => null);
  if (!data) return null;
  const writes = can(user, 'clinical.write') && r.status === 'alive';
  const act = (dialog) => async () => { if (await dialog()) { toast(t('cert.saved')); refresh(); } };
  const items = data.items.map((c) => h('li', { class: 'cert-item', 'data-testid': 'cert-item', 'data-status': c.status, 'data-disease': c.disease },
    h('div', { class: 'flag-line' },
      h('strong', null, label('cert_disease', c.disease)),
      h('span', { class: `badge cert-${c.status}`, 'data-testid': 'cert-status' }, label('cert_step', c.status))),
    c.number ? h('p', { class: 'muted small' }, t('cert.granted_line', { number: c.number, from: formatDate(c.valid_from), to: formatDate(c.valid_to) })) : null,
    c.status === 'rejected' && c.reason ? h('p', { class: 'muted small' }, c.reason) : null,
    writes ? h('div', { class: 'row-actions' }, (NEXT[c.status] || []).map((to) => h('button', {
      type: 'button', class: 'btn btn-small btn-secondary', 'data-testid': `cert-to-${to}`, onclick: act(() => stepDialog(c, to)),
    }, label('cert_step', to)))) : null));
  const body = items.length ? h('ul', { class: 'flag-list', 'data-testid': 'cert-list' }, items) : empty(t('cert.none'));
  const actions = writes ? [h('button', { type: 'button', class: 'btn btn-ghost btn-small', 'data-testid': 'cert-screen', onclick: act(() => screenDialog(r)) }, icon('plus'), t('cert.screen'))] : null;
  return card(t('cert.title'), body, { testid: 'card-certificates', actions });
}
