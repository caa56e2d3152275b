/* offline.js (view) - #/offline: the writes recorded offline and their state, one row each
 * (waiting, sending, conflict with the server's reason), and what to do with a conflict:
 * discard it, or, for a follow-up whose task a colleague closed, save it anyway as a new
 * follow-up. Nothing refused is dropped without the user's word. */
import * as offline from '../offline.js';
import { h, icon, pageHeader, card, empty, chip, clear } from '../dom.js';
import { t, label } from '../i18n.js';
import { formatDate } from '../format.js';

const KINDS = { '/followups': 'offline.kind_followups', '/census-visits': 'offline.kind_census', '/flags': 'offline.kind_flags' };

function row(item) {
  const what = [t(KINDS[item.path] || item.path)];
  if (item.program) what.push(label('program', item.program));
  const status = h('span', { class: `badge sync-status sync-status-${item.status}`, 'data-testid': 'sync-item-status', 'data-status': item.status }, t(`offline.status_${item.status}`));
  const lines = [
    h('div', { class: 'sync-item-head' },
      h('span', { class: 'strong', 'data-testid': 'sync-item-name' }, item.resident_name || '—'), status),
    h('div', { class: 'muted small' }, [what.join(' · '), item.visit_date ? formatDate(item.visit_date) : null,
      t('offline.recorded_at', { time: item.created_at.slice(0, 16).replace('T', ' ') })].filter(Boolean).join(' · ')),
  ];
  if (item.status === 'conflict' && item.error) {
    lines.push(h('p', { class: 'alert alert-error sync-reason', 'data-testid': 'sync-item-reason', 'data-code': item.error.code }, item.error.detail || item.error.code));
    const actions = h('div', { class: 'form-actions sync-actions' });
    if (item.error.code === 'task_closed') {
      actions.appendChild(h('button', {
        type: 'button', class: 'btn btn-small btn-secondary', title: t('offline.resend_help'), 'data-testid': 'sync-item-resend',
        onclick: () => offline.resend(item.key),
      }, t('offline.resend')));
    }
    actions.appendChild(h('button', {
      type: 'button', class: 'btn btn-small btn-ghost', 'data-testid': 'sync-item-discard',
      onclick: () => { if (window.confirm(t('offline.discard_confirm'))) offline.discard(item.key); },
    }, t('offline.discard')));
    lines.push(actions);
  }
  return h('li', { class: `sync-item sync-item-${item.status}`, 'data-testid': 'sync-item', 'data-key': item.key }, lines);
}

export async function offlineView(ctx) {
  ctx.setTitle(t('offline.title'));
  const body = h('div', { 'data-testid': 'sync-list' });
  const syncButton = h('button', { type: 'button', class: 'btn btn-primary btn-small', 'data-testid': 'sync-now', onclick: () => offline.sync() }, icon('renew'), t('offline.sync_now'));
  const draw = (items) => {
    clear(body);
    syncButton.disabled = navigator.onLine === false || !items.some((x) => x.status === 'pending');
    const conflicts = items.filter((x) => x.status === 'conflict');
    const waiting = items.filter((x) => x.status !== 'conflict');
    if (!items.length) body.appendChild(card(null, empty(t('offline.empty'), 'sync-empty')));
    if (conflicts.length) {
      body.appendChild(card(t('offline.conflicts_title'), [h('p', { class: 'muted small card-lead' }, t('offline.conflicts_help')),
        h('ul', { class: 'sync-items', 'data-testid': 'sync-conflicts' }, conflicts.map(row))], { testid: 'sync-conflicts-card' }));
    }
    if (waiting.length) {
      body.appendChild(card(t('offline.title'), h('ul', { class: 'sync-items', 'data-testid': 'sync-pending' }, waiting.map(row)), { testid: 'sync-pending-card', extra: chip(String(waiting.length)) }));
    }
  };
  const unsubscribe = offline.subscribe((items) => {
    if (!body.isConnected && !ctx.alive()) {
      unsubscribe();
      return;
    }
    draw(items);
  });
  return h('div', { class: 'page', 'data-testid': 'offline-page' },
    pageHeader(t('offline.title'), { subtitle: t('offline.subtitle'), actions: [syncButton] }),
    body);
}
