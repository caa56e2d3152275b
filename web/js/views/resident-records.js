/* resident-records.js - the resident page's cards for results that arrive without
 * re-typing and for this year's standardised management: exam results with their
 * abnormal findings, home devices with their latest readings (binding a device shows its
 * token once), and per programme the follow-ups done against those owed. */
import { api, errorText } from '../api.js';
import { t, label } from '../i18n.js';
import { h, card, empty, formDialog, field, toast } from '../dom.js';
import { formatDate, formatDateTime } from '../format.js';
import { can } from '../roles.js';
import { abnormalText } from './exams.js';

function examsCard(items) {
  const body = items.length
    ? h('ul', { class: 'fu-history', 'data-testid': 'exam-list' }, items.slice(0, 5).map((e) => h('li', { class: 'fu-history-item', 'data-testid': 'exam-item' },
      h('strong', null, formatDate(e.exam_date)),
      h('span', null, [
        e.sbp ? `${t('exams.bp')} ${e.sbp}/${e.dbp}` : null,
        e.fbg ? `${t('exams.fbg')} ${e.fbg}` : null,
        e.tc ? `${t('exams.lipids')} ${[e.tc, e.tg, e.ldl, e.hdl].map((v) => v ?? '—').join('/')}` : null,
        e.bmi ? `${t('exams.bmi')} ${e.bmi}` : null,
        e.hba1c ? `HbA1c ${e.hba1c}%` : null,
        e.ecg ? `${t('exams.ecg')} ${e.ecg}` : null,
        e.ultrasound ? `${t('exams.ultrasound')} ${e.ultrasound}` : null,
      ].filter(Boolean).join(' · ')),
      h('span', { class: e.abnormal.length ? 'badge color-badge color-yellow' : 'badge color-badge color-green', 'data-testid': 'exam-abnormal' },
        e.abnormal.length ? abnormalText(e.abnormal) : t('exams.normal')))))
    : empty(t('exams.none'));
  return card(t('exams.card'), [body], { testid: 'card-exams' });
}

async function bindDevice(r, refresh) {
  const kind = h('select', { name: 'kind', 'data-testid': 'device-kind' },
    ['bp_monitor', 'glucometer'].map((k) => h('option', { value: k }, label('device_kind', k))));
  const name = h('input', { type: 'text', name: 'label', maxlength: '60', 'data-testid': 'device-label' });
  const device = await formDialog({
    title: t('devices.add'), testid: 'device-dialog',
    fields: [field(t('devices.kind'), kind), field(t('devices.label'), name)],
    submitLabel: t('devices.add'),
    onSubmit: () => api.post('/devices', { resident_id: r.id, kind: kind.value, label: name.value.trim() || undefined }),
  });
  if (!device) return;
  await formDialog({
    title: t('devices.token'), testid: 'device-token-dialog',
    fields: [h('code', { class: 'mono token', 'data-testid': 'device-token' }, device.token)],
    submitLabel: 'OK', onSubmit: async () => true,
  });
  refresh();
}

function devicesCard(r, user, devices, readings, refresh) {
  const live = devices.filter((d) => !d.revoked_at);
  const list = devices.length
    ? h('ul', { class: 'fu-history', 'data-testid': 'device-list' }, devices.map((d) => h('li', { class: 'fu-history-item' },
      h('strong', null, d.label || label('device_kind', d.kind)),
      h('span', null, label('device_kind', d.kind)),
      d.revoked_at ? h('span', { class: 'badge status-other' }, t('devices.revoked'))
        : can(user, 'device.manage') ? h('button', {
          type: 'button', class: 'btn btn-small btn-secondary', 'data-testid': 'device-revoke',
          onclick: async () => {
            try {
              await api.post(`/devices/${d.id}/revoke`);
              refresh();
            } catch (error) {
              toast(errorText(error), 'error');
            }
          },
        }, t('devices.revoke')) : null)))
    : empty(t('devices.none'));
  const latest = readings.slice(0, 6);
  const readingList = latest.length ? [h('h3', { class: 'card-subtitle' }, t('devices.readings')),
    h('ul', { class: 'fu-history', 'data-testid': 'reading-list' }, latest.map((o) => h('li', { class: 'fu-history-item' },
      h('span', null, formatDateTime(o.observed_at)),
      h('strong', null, o.sbp ? `${o.sbp}/${o.dbp} mmHg` : `${o.glucose} mmol/L`),
      h('span', { class: `badge level-${o.level}`, 'data-testid': 'reading-level' }, label('level', o.level)))))] : [];
  const actions = can(user, 'device.manage') && r.status === 'alive'
    ? [h('button', { type: 'button', class: 'btn btn-small', 'data-testid': 'device-add', onclick: () => bindDevice(r, refresh) }, t('devices.add'))]
    : [];
  return live.length || devices.length || actions.length ? card(t('devices.card'), [list, ...readingList], { actions, testid: 'card-devices' }) : null;
}

function managementCard(data) {
  const body = data.items.length
    ? h('ul', { class: 'fu-history', 'data-testid': 'management-list' }, data.items.map((m) => h('li', { class: 'fu-history-item', 'data-testid': 'management-item', 'data-program': m.program },
      h('strong', null, label('program', m.program)),
      m.required !== null ? h('span', null, t('management.done', { done: m.followups, required: m.required })) : null,
      m.standardised === null ? null : h('span', { class: `badge color-badge ${m.standardised ? 'color-green' : 'color-yellow'}`, 'data-testid': 'management-status' },
        t(m.standardised ? 'management.standard' : 'management.not_standard')),
      m.controlled === undefined || m.controlled === null ? null
        : h('span', { class: `badge color-badge ${m.controlled ? 'color-green' : 'color-red'}` }, t(m.controlled ? 'management.controlled' : 'management.uncontrolled')))))
    : empty(t('management.none'));
  return card(t('management.card', { year: data.year }), [body], { testid: 'card-management' });
}

/* The cards, or [] for a user who may not read follow-ups (the resident themself). */
export async function recordsCards(r, user, refresh) {
  if (!can(user, 'followup.read')) return [];
  const base = `/residents/${r.id}`;
  const [management, exams, devices, readings] = await Promise.all([
    api.get(`${base}/management`).catch(() => null),
    api.get(`${base}/exams`).then((d) => d.items).catch(() => []),
    api.get(`${base}/devices`).then((d) => d.items).catch(() => []),
    api.get(`${base}/observations`).then((d) => d.items).catch(() => []),
  ]);
  return [management ? managementCard(management) : null, examsCard(exams),
    devicesCard(r, user, devices, readings, refresh)].filter(Boolean);
}
