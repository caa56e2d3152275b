/* forms.js - forms that answer where the user looks: the server's problem+json is shown
 * beside the field it names (the field's own label is right there, in the user's
 * language), the rest above the buttons with the field's label; and a save shows its state
 * (saving, saved, not saved) in words, not only in colour. Used by the record forms of the
 * resident screens (views/resident-new.js, views/resident-forms.js). */
import { ApiError, errorText } from './api.js';
import { h, clear, icon } from './dom.js';
import { t } from './i18n.js';

let ids = 0;

/* A labelled control that answers to the server field `name`. */
export function formField(name, labelText, control, { help, required, cls = '' } = {}) {
  if (!control.id) control.id = `ff-${name.replace(/\W/g, '-')}-${++ids}`;
  if (!control.name && control.tagName !== 'DIV') control.name = name;
  const wrap = h('div', { class: `field ${cls}`.trim(), 'data-field': name, 'data-label': labelText },
    h('label', { for: control.id, class: 'field-label' }, labelText,
      required ? h('span', { class: 'required', 'aria-hidden': 'true' }, ' *') : null),
    control,
    help ? h('p', { class: 'field-help' }, help) : null,
    h('p', { class: 'field-error', role: 'alert', 'data-testid': `error-${name}`, hidden: true }));
  return wrap;
}

/* Removes every mark a previous answer left. */
export function clearProblems(form) {
  for (const el of form.querySelectorAll('.field-invalid')) el.classList.remove('field-invalid');
  for (const el of form.querySelectorAll('[aria-invalid="true"]')) el.removeAttribute('aria-invalid');
  for (const el of form.querySelectorAll('.field-error')) {
    el.hidden = true;
    clear(el);
  }
  const general = form.querySelector('.form-problem');
  if (general) clear(general);
}

/* Marks field `name` with `message` (text or nodes); false when the form has no such field. */
export function markField(form, name, message, extra) {
  const wrap = form.querySelector(`[data-field="${CSS.escape(name)}"]`);
  if (!wrap) return false;
  wrap.classList.add('field-invalid');
  const control = wrap.querySelector('input, select, textarea');
  if (control) control.setAttribute('aria-invalid', 'true');
  const out = wrap.querySelector('.field-error');
  clear(out);
  out.append(message);
  if (extra) out.append(' ', extra);
  out.hidden = false;
  return true;
}

/* Shows an error from a save: at its field when the form has it, else in the form's
 * general problem area with the field's label. Focuses the field. */
export function showProblem(form, error, { extra } = {}) {
  clearProblems(form);
  const field = error instanceof ApiError ? error.field : error.field || null;
  const message = error instanceof ApiError
    ? error.title + (error.value ? ` [${error.value}]` : '')
    : error.localMessage || errorText(error);
  if (field && markField(form, field, message, extra)) {
    const control = form.querySelector(`[data-field="${CSS.escape(field)}"] input, [data-field="${CSS.escape(field)}"] select, [data-field="${CSS.escape(field)}"] textarea`);
    if (control && typeof control.focus === 'function') control.focus();
    return;
  }
  let general = form.querySelector('.form-problem');
  if (!general) {
    general = h('div', { class: 'form-problem' });
    form.prepend(general);
  }
  clear(general);
  general.appendChild(h('div', { class: 'alert alert-error', role: 'alert', 'data-testid': 'form-problem' },
    error instanceof ApiError ? errorText(error) : message, extra ? [' ', extra] : null));
}

/* A check made in the browser, shaped like a server answer so showProblem puts it at the field. */
export function fieldError(field, message) {
  const e = new Error(message);
  e.field = field;
  e.localMessage = message;
  return e;
}

/* The save state line: saving / saved / not saved, with data-state for tests. */
export function saveState() {
  const el = h('p', { class: 'save-state', 'data-testid': 'save-state', 'data-state': 'idle', 'aria-live': 'polite' });
  el.set = (state, text) => {
    el.dataset.state = state;
    clear(el);
    if (state === 'idle') return;
    if (state === 'saved') el.appendChild(icon('check', 'icon save-icon'));
    el.appendChild(h('span', null, text || t(state === 'saving' ? 'forms.saving' : state === 'saved' ? 'forms.saved' : 'forms.not_saved')));
  };
  return el;
}

/* A modal form whose errors are shown at their fields. onSubmit(form) → Promise of the
 * result; a thrown error stays in the dialog (at its field) and the dialog stays open.
 * Resolves with the result, or null when cancelled. */
export function fieldDialog({ title, help, fields, submitLabel, testid, danger = false, onSubmit }) {
  return new Promise((resolve) => {
    const state = saveState();
    const submit = h('button', { type: 'submit', class: `btn ${danger ? 'btn-danger' : 'btn-primary'}`, 'data-testid': 'dialog-submit' }, submitLabel);
    const cancel = h('button', { type: 'button', class: 'btn btn-ghost', 'data-testid': 'dialog-cancel' }, t('app.cancel'));
    const body = h('div', { class: 'dialog-body' }, help ? h('p', { class: 'dialog-help' }, help) : null, fields);
    const form = h('form', { class: 'dialog-form record-form', method: 'dialog', novalidate: true },
      h('header', { class: 'dialog-header' },
        h('h2', { class: 'dialog-title' }, title),
        h('button', { type: 'button', class: 'icon-btn', 'aria-label': t('app.close'), onclick: () => close(null) }, icon('close'))),
      body,
      h('footer', { class: 'dialog-footer' }, state, cancel, submit));
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
      clearProblems(body);
      submit.disabled = true;
      state.set('saving');
      try {
        const result = await onSubmit(form);
        state.set('saved');
        close(result);
      } catch (error) {
        state.set('error', t('forms.not_saved'));
        showProblem(body, error);
        submit.disabled = false;
      }
    });
    document.body.appendChild(dialog);
    dialog.showModal();
    const first = form.querySelector('select, input, textarea');
    if (first) first.focus();
  });
}

/* A select of options [{value, text}] with a leading "choose" entry. */
export function select(options, { value = '', testid, placeholder = t('forms.choose') } = {}) {
  return h('select', { class: 'input select', 'data-testid': testid },
    placeholder === null ? null : h('option', { value: '' }, placeholder),
    options.map((o) => h('option', { value: String(o.value), selected: String(o.value) === String(value) }, o.text)));
}
