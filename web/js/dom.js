/* dom.js - building the page without innerHTML: every piece of server text goes in as
 * a text node, so a resident's name can never become markup. Also the few shared
 * widgets (badges, responsive tables, dialogs, toasts, notices). */
import { label, t } from './i18n.js';
import { errorText } from './api.js';

/* h('a', {href, class, 'data-testid', onclick}, child, [children], 'text') */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  if (attrs) {
    for (const [key, value] of Object.entries(attrs)) {
      if (value === undefined || value === null || value === false) continue;
      if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
      else if (key === 'class') el.className = value;
      else if (key === 'value') el.value = value;
      else if (key === 'checked' || key === 'selected' || key === 'disabled' || key === 'required') el[key] = Boolean(value);
      else el.setAttribute(key, value === true ? '' : String(value));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else if (child instanceof Node) el.appendChild(child);
    else el.appendChild(document.createTextNode(String(child)));
  }
}

export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

/* Small inline SVG icons (markup is ours, never server data). */
const ICONS = {
  search: 'M11 4a7 7 0 1 0 4.2 12.6l4.1 4.1 1.4-1.4-4.1-4.1A7 7 0 0 0 11 4zm0 2a5 5 0 1 1 0 10 5 5 0 0 1 0-10z',
  flag: 'M5 3h2v18H5zM8 4h10l-2 4 2 4H8z',
  home: 'M12 3 2 12h3v8h6v-6h2v6h6v-8h3z',
  user: 'M12 12a4.5 4.5 0 1 0 0-9 4.5 4.5 0 0 0 0 9zm0 2c-4.4 0-8 2.2-8 5v2h16v-2c0-2.8-3.6-5-8-5z',
  team: 'M8 11a3.5 3.5 0 1 0 0-7 3.5 3.5 0 0 0 0 7zm8 0a3 3 0 1 0 0-6 3 3 0 0 0 0 6zM8 13c-3.3 0-6 1.7-6 4v2h12v-2c0-2.3-2.7-4-6-4zm8 0c-.6 0-1.2.1-1.7.2 1.1.9 1.7 2.1 1.7 3.8v2h6v-2c0-2.3-2.7-4-6-4z',
  list: 'M4 5h2v2H4zm4 0h12v2H8zM4 11h2v2H4zm4 0h12v2H8zm-4 6h2v2H4zm4 0h12v2H8z',
  chart: 'M4 20V4h2v14h14v2zm4-4v-6h3v6zm5 0V7h3v9zm5 0v-4h3v4z',
  dashboard: 'M3 13h8V3H3zm0 8h8v-6H3zm10 0h8V11h-8zm0-18v6h8V3z',
  back: 'M15.4 5.4 14 4l-8 8 8 8 1.4-1.4L8.8 12z',
  cross: 'M10 3h4v7h7v4h-7v7h-4v-7H3v-4h7z',
  logout: 'M10 4H4v16h6v-2H6V6h4zm5.6 3.4L14.2 8.8l2.2 2.2H9v2h7.4l-2.2 2.2 1.4 1.4L20.2 12z',
  globe: 'M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20zm6.9 9h-3a15 15 0 0 0-1.3-5.6A8 8 0 0 1 18.9 11zM12 4c.9 1.2 1.8 3.5 2 7h-4c.2-3.5 1.1-5.8 2-7zM9.4 5.4A15 15 0 0 0 8.1 11h-3a8 8 0 0 1 4.3-5.6zM5.1 13h3a15 15 0 0 0 1.3 5.6A8 8 0 0 1 5.1 13zm6.9 7c-.9-1.2-1.8-3.5-2-7h4c-.2 3.5-1.1 5.8-2 7zm2.6-1.4a15 15 0 0 0 1.3-5.6h3a8 8 0 0 1-4.3 5.6z',
  check: 'M9 16.2 4.8 12l-1.4 1.4L9 19 21 7l-1.4-1.4z',
  close: 'M18.3 5.7 16.9 4.3 12 9.2 7.1 4.3 5.7 5.7 10.6 10.6 5.7 15.5 7.1 16.9 12 12l4.9 4.9 1.4-1.4-4.9-4.9z',
  plus: 'M11 5h2v6h6v2h-6v6h-2v-6H5v-2h6z',
  contract: 'M14 2H6a2 2 0 0 0-2 2v16a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2V8zm4 18H6V4h7v5h5zM8 12h8v2H8zm0 4h8v2H8z',
  print: 'M19 8H5a3 3 0 0 0-3 3v6h4v4h12v-4h4v-6a3 3 0 0 0-3-3zm-3 11H8v-5h8zm3-7a1 1 0 1 1 0-2 1 1 0 0 1 0 2zM18 3H6v4h12z',
  renew: 'M12 6v3l4-4-4-4v3a8 8 0 0 0-6.8 12.2l1.5-1.5A6 6 0 0 1 12 6zm6.8 1.8-1.5 1.5A6 6 0 0 1 12 18v-3l-4 4 4 4v-3a8 8 0 0 0 6.8-12.2z',
  transfer: 'M7 11 3 15l4 4v-3h7v-2H7zm14-2-4-4v3h-7v2h7v3z',
  box: 'M21 7.5 12 2 3 7.5v9L12 22l9-5.5zM12 4.3l6.2 3.8L12 11.8 5.8 8.1zM5 9.9l6 3.6v6.1l-6-3.7zm8 9.7v-6.1l6-3.6v6z',
  /* three people around a table: a group that meets */
  groups: 'M12 3a2.5 2.5 0 1 1 0 5 2.5 2.5 0 0 1 0-5zM5 7a2 2 0 1 1 0 4 2 2 0 0 1 0-4zm14 0a2 2 0 1 1 0 4 2 2 0 0 1 0-4zM7 20v-3a5 5 0 0 1 10 0v3zm-5 0v-2.5A3.5 3.5 0 0 1 5 13h.6A6.9 6.9 0 0 0 5 17v3zm20 0h-3v-3a6.9 6.9 0 0 0-.6-4h.6a3.5 3.5 0 0 1 3 3.5z',
  pen: 'M3 17.25V21h3.75L17.8 9.94l-3.75-3.75zM20.7 7.04a1 1 0 0 0 0-1.41l-2.34-2.34a1 1 0 0 0-1.41 0l-1.83 1.83 3.75 3.75z',
  phone: 'M6.6 10.8a15.1 15.1 0 0 0 6.6 6.6l2.2-2.2a1 1 0 0 1 1-.25 11.4 11.4 0 0 0 3.6.57 1 1 0 0 1 1 1V20a1 1 0 0 1-1 1A17 17 0 0 1 3 4a1 1 0 0 1 1-1h3.5a1 1 0 0 1 1 1c0 1.25.2 2.45.57 3.57a1 1 0 0 1-.25 1z',
  download: 'M5 20h14v-2H5zM19 9h-4V3H9v6H5l7 7z',
  /* a file going up: bulk import */
  upload: 'M5 20h14v-2H5zM9 16h6v-6h4l-7-7-7 7h4z',
  /* a calendar page: slots and release settings (issue 15) */
  calendar: 'M7 2h2v2h6V2h2v2h3v18H4V4h3zM6 9v11h12V9zm2 2h3v3H8z',
  /* three dots: the phone tab bar's 更多 (More) */
  more: 'M5 10a2 2 0 1 0 0 4 2 2 0 0 0 0-4zm7 0a2 2 0 1 0 0 4 2 2 0 0 0 0-4zm7 0a2 2 0 1 0 0 4 2 2 0 0 0 0-4z',
  /* the resident's portal (issue 16): messages, points, consultations, surveys, text size */
  bell: 'M12 22a2.5 2.5 0 0 0 2.5-2.5h-5A2.5 2.5 0 0 0 12 22zm7-6V11a7 7 0 0 0-5.5-6.8V3a1.5 1.5 0 0 0-3 0v1.2A7 7 0 0 0 5 11v5l-2 2v1h18v-1z',
  gift: 'M20 7h-2.2A3 3 0 0 0 12 3.8 3 3 0 0 0 6.2 7H4a1 1 0 0 0-1 1v3h18V8a1 1 0 0 0-1-1zM9 7a1 1 0 1 1 1-1v1zm5 0V6a1 1 0 1 1 1 1zM4 13v7a1 1 0 0 0 1 1h6v-8zm9 8h6a1 1 0 0 0 1-1v-7h-7z',
  chat: 'M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H8l-5 4V5a2 2 0 0 1 1-2zm3 6v2h2V9zm4 0v2h2V9zm4 0v2h2V9z',
  survey: 'M9 2h6v2h4v18H5V4h4zm0 4H7v14h10V6h-2v2H9zm1 5 1.5 1.5L15 9l1.4 1.4-4.9 4.9L8.6 12.4z',
  text: 'M3 5h12v3h-2V7h-3v11h2v2H6v-2h2V7H5v1H3zm11 6h8v2h-1v-1h-2v6h1v2h-4v-2h1v-6h-2v1h-1z',
  chevron: 'M8.6 5.4 10 4l8 8-8 8-1.4-1.4L15.2 12z',
};

export function icon(name, cls = 'icon') {
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('class', cls);
  const path = document.createElementNS('http://www.w3.org/2000/svg', 'path');
  path.setAttribute('d', ICONS[name] || '');
  svg.appendChild(path);
  return svg;
}

/* Badges ---------------------------------------------------------------- */

export function classBadge(populationClass) {
  const n = Number(populationClass);
  if (![1, 2, 3].includes(n)) return h('span', { class: 'badge' }, '—');
  return h('span', { class: `badge class-${n}`, title: t(`class_long.${n}`), 'data-testid': 'class-badge' }, t(`class.${n}`));
}

export function statusBadge(kind, code, testid) {
  return h('span', { class: `badge ${kind}-${code}`, 'data-testid': testid }, label(kind, code));
}

export function chip(text, cls = '') {
  return h('span', { class: `chip ${cls}` }, text);
}

/* Layout pieces ------------------------------------------------------------ */

/* Links that download a whole list as a file: the API's ?format=xlsx|csv of the list's query
 * (every page; the server writes it in the caller's scope and audits it). */
export function downloadLinks(path, params, testid) {
  const query = new URLSearchParams(Object.entries(params)
    .filter(([k, v]) => v !== undefined && v !== null && v !== '' && k !== 'limit' && k !== 'cursor')).toString();
  const link = (format) => h('a', {
    class: 'btn btn-secondary btn-small no-print download-link', href: `/api/v1${path}?${query ? `${query}&` : ''}format=${format}`,
    download: '', 'data-testid': `${testid}-${format}`,
  }, icon('download'), h('span', null, t(`download.${format}`)));
  return [link('xlsx'), link('csv')];
}

export function pageHeader(title, { subtitle, back, actions } = {}) {
  return h('div', { class: 'page-header' },
    back ? h('a', { class: 'back-link', href: back.href, 'data-testid': 'back-link' }, icon('back'), back.text) : null,
    h('div', { class: 'page-header-row' },
      h('div', { class: 'page-title-block' },
        h('h1', { class: 'page-title', 'data-testid': 'page-title' }, title),
        subtitle ? h('p', { class: 'page-subtitle' }, subtitle) : null),
      actions && actions.length ? h('div', { class: 'page-actions' }, actions) : null));
}

export function card(title, body, { actions, testid, cls = '', extra } = {}) {
  return h('section', { class: `card ${cls}`, 'data-testid': testid },
    title ? h('header', { class: 'card-header' },
      h('h2', { class: 'card-title' }, title, extra || null),
      actions && actions.length ? h('div', { class: 'card-actions' }, actions) : null) : null,
    h('div', { class: 'card-body' }, body));
}

/* A definition list of [label, value] pairs; values may be nodes. */
export function facts(pairs, cls = '') {
  return h('dl', { class: `facts ${cls}` },
    pairs.filter(Boolean).map(([k, v, testid]) => h('div', { class: testid ? `fact ${testid}` : 'fact', 'data-testid': testid },
      h('dt', null, k), h('dd', null, v === null || v === undefined || v === '' ? '—' : v))));
}

export function empty(text, testid = 'empty') {
  return h('p', { class: 'empty', 'data-testid': testid }, text);
}

export function loading() {
  return h('div', { class: 'loading', role: 'status' }, h('span', { class: 'spinner', 'aria-hidden': 'true' }), t('app.loading'));
}

export function errorBox(error, retry) {
  return h('div', { class: 'alert alert-error', role: 'alert', 'data-testid': 'error' },
    h('span', null, errorText(error)),
    retry ? h('button', { type: 'button', class: 'btn btn-small', onclick: retry }, t('app.retry')) : null);
}

/* A table that becomes a stack of cards on a phone (CSS reads data-label).
 * columns: [{label, render(row) → node|text, cls}] */
export function dataTable(columns, rows, { rowTestId, rowHref, caption, cls = '' } = {}) {
  const tbody = h('tbody');
  for (const row of rows) tbody.appendChild(tableRow(columns, row, { rowTestId, rowHref }));
  return h('div', { class: `table-wrap ${cls}` },
    h('table', { class: 'table' },
      caption ? h('caption', { class: 'visually-hidden' }, caption) : null,
      h('thead', null, h('tr', null, columns.map((c) => h('th', { class: c.cls && c.cls.includes('num') ? 'num' : null, scope: 'col' }, c.label)))),
      tbody));
}

export function tableRow(columns, row, { rowTestId, rowHref } = {}) {
  const href = rowHref ? rowHref(row) : null;
  const tr = h('tr', {
    'data-testid': rowTestId,
    'data-id': row.id,
    class: href ? 'clickable' : null,
  }, columns.map((c) => h('td', { class: c.cls, 'data-label': c.label }, c.render(row))));
  if (href) {
    tr.addEventListener('click', (event) => {
      if (event.target.closest('a, button, input, select, textarea')) return;
      location.hash = href;
    });
  }
  return tr;
}

/* Toasts ------------------------------------------------------------------- */

export function toast(message, kind = 'success', action) {
  let host = document.getElementById('toasts');
  if (!host) {
    host = h('div', { id: 'toasts', class: 'toasts', 'aria-live': 'polite' });
    document.body.appendChild(host);
  }
  const el = h('div', { class: `toast toast-${kind}`, role: 'status', 'data-testid': 'toast' },
    icon(kind === 'error' ? 'close' : 'check', 'icon toast-icon'),
    h('span', null, message),
    action ? h('a', { href: action.href, class: 'toast-action', 'data-testid': 'toast-action' }, action.text) : null);
  host.appendChild(el);
  setTimeout(() => el.classList.add('leaving'), 4200);
  setTimeout(() => el.remove(), 4600);
}

/* Dialogs ------------------------------------------------------------------ */

/* What a formDialog's onSubmit returns to keep the dialog open without an error (a second
 * step, such as a confirmation it asked for and did not get). */
export const KEEP_OPEN = Symbol('keep-open');

/* A modal form. fields: nodes (labelled inputs). onSubmit(form) → Promise; a thrown
 * error is shown inside the dialog and the dialog stays open (so does KEEP_OPEN).
 * Resolves with the submit's result, or null when cancelled. */
export function formDialog({ title, help, fields, submitLabel, testid, danger = false, onSubmit }) {
  return new Promise((resolve) => {
    const errorHost = h('div', { class: 'dialog-error', 'data-testid': 'dialog-error' });
    const submit = h('button', { type: 'submit', class: `btn ${danger ? 'btn-danger' : 'btn-primary'}`, 'data-testid': 'dialog-submit' }, submitLabel);
    const cancel = h('button', { type: 'button', class: 'btn btn-ghost', 'data-testid': 'dialog-cancel' }, t('app.cancel'));
    const form = h('form', { class: 'dialog-form', method: 'dialog', novalidate: true },
      h('header', { class: 'dialog-header' },
        h('h2', { class: 'dialog-title' }, title),
        h('button', { type: 'button', class: 'icon-btn', 'aria-label': t('app.close'), onclick: () => close(null) }, icon('close'))),
      h('div', { class: 'dialog-body' }, help ? h('p', { class: 'dialog-help' }, help) : null, fields, errorHost),
      h('footer', { class: 'dialog-footer' }, cancel, submit));
    const dialog = h('dialog', { class: 'dialog', 'data-testid': testid }, form);
    let settled = false;
    function close(value) {
      if (settled) return;
      settled = true;
      dialog.close();
      dialog.remove();
      resolve(value);
    }
    cancel.addEventListener('click', () => close(null));
    dialog.addEventListener('cancel', (event) => {
      event.preventDefault();
      close(null);
    });
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      clear(errorHost);
      submit.disabled = true;
      try {
        const result = await onSubmit(form);
        if (result === KEEP_OPEN) submit.disabled = false;
        else close(result);
      } catch (error) {
        errorHost.appendChild(h('div', { class: 'alert alert-error', role: 'alert' }, error.localMessage || errorText(error)));
        submit.disabled = false;
      }
    });
    document.body.appendChild(dialog);
    dialog.showModal();
    const first = form.querySelector('select, input, textarea');
    if (first) first.focus();
  });
}

/* A labelled form control. */
export function field(labelText, control, { help, required } = {}) {
  const id = control.id || `f-${Math.random().toString(36).slice(2, 9)}`;
  control.id = id;
  return h('div', { class: 'field' },
    h('label', { for: id, class: 'field-label' }, labelText, required ? h('span', { class: 'required', 'aria-hidden': 'true' }, ' *') : null),
    control,
    help ? h('p', { class: 'field-help' }, help) : null);
}

export function checkbox(labelText, attrs) {
  return h('label', { class: 'check' }, h('input', { type: 'checkbox', ...attrs }), h('span', null, labelText));
}

/* An error to throw from a dialog's onSubmit for a check made in the browser. */
export function localError(message) {
  const e = new Error(message);
  e.localMessage = message;
  return e;
}

/* A list answer ({items,next_cursor,total}) as a count line and a table with a
 * "load more" button; fetchPage(cursor) returns the next answer. */
export function pagedResults(columns, data, { fetchPage, rowTestId, rowHref, cls }) {
  const table = dataTable(columns, data.items, { rowTestId, rowHref, cls });
  const tbody = table.querySelector('tbody');
  const count = h('span', { class: 'result-count', 'data-testid': 'result-count' });
  let shown = data.items.length;
  let cursor = data.next_cursor;
  const updateCount = () => {
    count.textContent = shown < data.total ? t('app.showing', { shown, total: data.total }) : t('app.total', { n: data.total });
  };
  updateCount();
  const more = h('div', { class: 'load-more' });
  function addButton() {
    if (!cursor) return;
    const button = h('button', { type: 'button', class: 'btn btn-secondary', 'data-testid': 'load-more' }, t('app.load_more'));
    button.addEventListener('click', async () => {
      button.disabled = true;
      try {
        const next = await fetchPage(cursor);
        for (const row of next.items) tbody.appendChild(tableRow(columns, row, { rowTestId, rowHref }));
        shown += next.items.length;
        cursor = next.next_cursor;
        updateCount();
        button.remove();
        addButton();
      } catch (error) {
        button.disabled = false;
        more.appendChild(errorBox(error));
      }
    });
    more.appendChild(button);
  }
  addButton();
  return h('div', { class: 'results' },
    h('div', { class: 'results-meta' }, count),
    card(null, [table, more], { cls: 'card-flush' }));
}
