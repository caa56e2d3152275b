/* fieldform.js - a small inline form whose server errors show at the field they name.
 *
 * fieldForm({fields: [{name, label, control, required, help, full}], submitLabel, testid,
 * onSubmit}) → <form>. onSubmit(values) gets {name: control value}; an ApiError with a
 * `field` (problem+json) is written under that field, with the field's label in the user's
 * language, and the control is marked aria-invalid; an error naming no known field shows
 * above the buttons. The form stays as typed after a failure. */
import { ApiError, errorText } from './api.js';
import { h, clear, icon } from './dom.js';

let serial = 0;

/* The value of a control: checked boxes of a group, a number, or the text. */
function valueOf(control) {
  if (control.dataset.kind === 'checks') {
    return [...control.querySelectorAll('input[type=checkbox]:checked')].map((c) => c.value);
  }
  if (control.type === 'number') return control.value.trim() === '' ? undefined : Number(control.value);
  const v = control.value.trim();
  return v === '' ? undefined : v;
}

/* The message for an error at a field: the server's words, without the raw field name the
 * detail may end with ("字段取值无效: code"), since the label is shown right above. */
function atField(error) {
  const detail = (error.detail || '').replace(new RegExp(`[:：]\\s*${error.field}$`), '');
  return detail || errorText(error);
}

export function fieldForm({ fields, submitLabel, testid, onSubmit, cls = '' }) {
  const id = `ff-${++serial}`;
  const rows = new Map();
  const general = h('div', { class: 'ff-error', role: 'alert', 'data-testid': 'form-error' });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': `${testid}-submit` }, icon('check'), submitLabel);
  const body = fields.map((f) => {
    const controlId = `${id}-${f.name}`;
    f.control.id = controlId;
    f.control.name = f.name;
    f.control.setAttribute('data-field', f.name);
    const message = h('p', { class: 'field-error', 'data-testid': 'field-error', 'data-field': f.name, hidden: true });
    const row = h('div', { class: `field${f.full ? ' field-full' : ''}`, 'data-field-row': f.name },
      h('label', { for: controlId, class: 'field-label' }, f.label, f.required ? h('span', { class: 'required', 'aria-hidden': 'true' }, ' *') : null),
      f.control,
      f.help ? h('p', { class: 'field-help' }, f.help) : null,
      message);
    rows.set(f.name, { row, control: f.control, message });
    return row;
  });
  const form = h('form', { class: `field-form form-grid ${cls}`, novalidate: true, 'data-testid': testid },
    body, h('div', { class: 'field-full ff-footer' }, general, submit));

  function reset() {
    clear(general);
    for (const { row, control, message } of rows.values()) {
      row.classList.remove('field-invalid');
      control.removeAttribute('aria-invalid');
      message.hidden = true;
      message.textContent = '';
    }
  }

  /* The row an error's field belongs to: exact, or its head (values.elderly_age → values). */
  function rowFor(name) {
    if (!name) return null;
    return rows.get(name) || rows.get(name.split(/[.[]/)[0]) || null;
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    reset();
    const values = {};
    for (const [name, { control }] of rows) values[name] = valueOf(control);
    submit.disabled = true;
    try {
      await onSubmit(values, form);
    } catch (error) {
      const target = error instanceof ApiError ? rowFor(error.field) : null;
      if (target) {
        target.row.classList.add('field-invalid');
        target.control.setAttribute('aria-invalid', 'true');
        target.message.textContent = atField(error);
        target.message.hidden = false;
        target.control.focus();
      } else {
        general.appendChild(h('div', { class: 'alert alert-error' }, error.localMessage || errorText(error)));
      }
    } finally {
      submit.disabled = false;
    }
  });
  form.resetErrors = reset;
  return form;
}

/* Controls, so views read as a list of fields. */
export const input = (attrs = {}) => h('input', { class: 'input', type: 'text', ...attrs });
export const numberInput = (attrs = {}) => h('input', { class: 'input', type: 'number', inputmode: 'numeric', ...attrs });
export function select(options, { value, blank, ...attrs } = {}) {
  return h('select', { class: 'input select', ...attrs },
    blank !== undefined ? h('option', { value: '' }, blank) : null,
    options.map(([v, text]) => h('option', { value: v, selected: v === value }, text)));
}
/* A group of checkboxes read as an array of the checked values. */
export function checks(options, { checked = [], testid } = {}) {
  const box = h('div', { class: 'check-group', 'data-kind': 'checks', 'data-testid': testid, tabindex: '-1' },
    options.map(([v, text]) => h('label', { class: 'check' },
      h('input', { type: 'checkbox', value: v, checked: checked.includes(v) }), h('span', null, text))));
  return box;
}
