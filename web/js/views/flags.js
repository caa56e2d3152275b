/* flags.js - first-discovery flags (首获登记) in the user's scope. The grid team
 * confirms a flag (which puts a task on its work list) or dismisses it with a reason. */
import { api } from '../api.js';
import { h, icon, pageHeader, card, pagedResults, statusBadge, empty, errorBox, toast, formDialog, field, localError } from '../dom.js';
import { t, label } from '../i18n.js';
import { can } from '../roles.js';
import { addDaysIso, formatDateTime, todayIso } from '../format.js';

const STATUSES = ['open', 'confirmed', 'dismissed'];
const PAGE = 50;

function confirmDialog(flag) {
  const note = h('textarea', { class: 'input textarea', rows: '3', maxlength: '1000', 'data-testid': 'decision-note' });
  const due = h('input', { type: 'date', class: 'input', value: addDaysIso(todayIso(), 7), min: todayIso(), 'data-testid': 'decision-due' });
  return formDialog({
    title: t('flags.confirm_title'),
    help: `${flag.resident_name} · ${label('reason', flag.reason)} — ${t('flags.confirm_help')}`,
    testid: 'confirm-dialog',
    submitLabel: t('flags.confirm'),
    fields: [field(t('flags.due_date'), due), field(t('flags.decision_note'), note)],
    onSubmit: () => {
      const body = {};
      if (note.value.trim()) body.note = note.value.trim();
      if (due.value) body.due_date = due.value;
      return api.post(`/flags/${flag.id}/confirm`, body);
    },
  });
}

function dismissDialog(flag) {
  const note = h('textarea', { class: 'input textarea', rows: '3', maxlength: '1000', required: true, 'data-testid': 'decision-note' });
  return formDialog({
    title: t('flags.dismiss_title'),
    help: `${flag.resident_name} · ${label('reason', flag.reason)} — ${t('flags.dismiss_help')}`,
    testid: 'dismiss-dialog',
    submitLabel: t('flags.dismiss'),
    danger: true,
    fields: [field(t('flags.decision_note'), note, { required: true })],
    onSubmit: () => {
      if (!note.value.trim()) throw localError(t('flags.note_required'));
      return api.post(`/flags/${flag.id}/dismiss`, { note: note.value.trim() });
    },
  });
}

export async function flagsView(ctx) {
  ctx.setTitle(t('flags.title'));
  const status = STATUSES.includes(ctx.query.get('status')) ? ctx.query.get('status') : 'open';
  const decides = can(ctx.user, 'flag.decide');
  const query = { status, limit: PAGE };

  const tabs = h('div', { class: 'tabs', role: 'tablist' }, STATUSES.map((s) => h('a', {
    href: `#/flags?status=${s}`, role: 'tab', class: s === status ? 'tab active' : 'tab',
    'aria-selected': s === status ? 'true' : 'false', 'data-testid': `flags-tab-${s}`,
  }, label('flag_status', s))));

  const page = h('div', { class: 'page', 'data-testid': 'flags-page' },
    pageHeader(t('flags.title'), { subtitle: t('flags.subtitle') }), tabs);

  let data;
  try {
    data = await api.get('/flags', query);
  } catch (error) {
    page.appendChild(errorBox(error, () => ctx.rerender()));
    return page;
  }
  if (!data.items.length) {
    page.appendChild(card(null, empty(t('flags.empty'), 'flags-empty')));
    return page;
  }

  const cols = [
    { label: t('flags.col_resident'), cls: 'col-name', render: (f) => h('a', { href: `#/residents/${f.resident_id}`, class: 'strong-link', 'data-testid': 'flag-resident' }, f.resident_name || `#${f.resident_id}`) },
    { label: t('flags.col_reason'), render: (f) => h('span', { class: 'flag-reason' }, icon('flag', 'icon flag-icon'), label('reason', f.reason)) },
    { label: t('flags.col_note'), cls: 'col-note', render: (f) => h('span', null, f.note || '—', f.decision_note ? h('span', { class: 'muted small block' }, `${t('flag.decision_note')}${t('app.colon')}${f.decision_note}`) : null) },
    { label: t('flags.col_raised'), render: (f) => h('span', { class: 'stack' }, h('span', null, f.raised_by || '—'), h('span', { class: 'muted small' }, formatDateTime(f.raised_at))) },
    { label: t('flags.col_status'), render: (f) => statusBadge('flag_status', f.status, 'flag-status') },
  ];
  if (decides && status === 'open') {
    cols.push({
      label: t('flags.col_actions'),
      cls: 'col-actions',
      render: (f) => h('span', { class: 'row-actions' },
        h('button', {
          type: 'button', class: 'btn btn-primary btn-small', 'data-testid': 'flag-confirm',
          onclick: async () => {
            const result = await confirmDialog(f);
            if (result) {
              toast(t('flags.confirmed_toast'), 'success', { href: '#/worklist', text: t('flags.view_worklist') });
              ctx.rerender();
            }
          },
        }, icon('check'), t('flags.confirm')),
        h('button', {
          type: 'button', class: 'btn btn-ghost btn-small', 'data-testid': 'flag-dismiss',
          onclick: async () => {
            const result = await dismissDialog(f);
            if (result) {
              toast(t('flags.dismissed_toast'));
              ctx.rerender();
            }
          },
        }, t('flags.dismiss'))),
    });
  }
  page.appendChild(pagedResults(cols, data, {
    rowTestId: 'flag-row', fetchPage: (cursor) => api.get('/flags', { ...query, cursor }),
  }));
  return page;
}
