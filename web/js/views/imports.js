/* imports.js - #/imports: bring another system's data in by file (issue 18): a census or
 * register of residents, diagnoses, programme enrolments, a hospital's encounters, the old
 * public-health system's follow-ups. The kinds offered are those the user's role may write
 * one by one. The file goes to the server as it is (UTF-8 or GB18030); the answer says what
 * was kept, what was already there and every returned row with its column and reason; the
 * imports made before are listed with their status, and one opens to its returned rows. */
import { request, errorText } from '../api.js';
import { t } from '../i18n.js';
import { can } from '../roles.js';
import { h, pageHeader, card, field, dataTable, empty } from '../dom.js';
import { formatDateTime } from '../format.js';

/* Each kind with the permission of the same write one by one (roles.js) and its columns. */
const KINDS = [
  { kind: 'residents', permission: 'resident.write' },
  { kind: 'diagnoses', permission: 'clinical.write' },
  { kind: 'enrolments', permission: 'clinical.write' },
  { kind: 'followups', permission: 'followup.write' },
  { kind: 'encounters', permission: 'encounter.write' },
];

const kindText = (kind) => t(`imports.kind_${kind}`);

function errorsTable(errors, truncated) {
  if (!errors.length) return null;
  return card(t('imports.errors'), [
    dataTable([
      { label: t('exams.row'), render: (e) => String(e.row), cls: 'num' },
      { label: t('exams.column'), render: (e) => e.field || '—' },
      { label: t('exams.reason'), render: (e) => e.message || e.code },
    ], errors, { rowTestId: 'import-error' }),
    truncated ? h('p', { class: 'muted' }, t('exams.truncated')) : null,
  ], { testid: 'import-errors' });
}

/* What an import did: its counts in a sentence, a warning when it stopped part-way. */
function outcome(result) {
  const counts = { rows: result.rows, accepted: result.accepted, unchanged: result.unchanged, rejected: result.rejected };
  const notice = result.status === 'partial' || result.status === 'running'
    ? h('p', { class: 'notice', role: 'alert', 'data-testid': 'import-incomplete' }, t('imports.incomplete', { row: result.stored_to_row }))
    : result.status === 'rejected'
      ? h('p', { class: 'notice', role: 'alert', 'data-testid': 'import-rejected' }, t('imports.all_rejected'))
      : null;
  return [notice, h('p', { class: 'notice', 'data-testid': 'import-summary' }, t('imports.summary', counts)),
    errorsTable(result.errors || [], result.errors_truncated)].filter(Boolean);
}

export async function importsView(ctx) {
  ctx.setTitle(t('imports.title'));
  const kinds = KINDS.filter((k) => can(ctx.user, k.permission));
  const kind = h('select', { class: 'input select', 'data-testid': 'import-kind' },
    kinds.map((k) => h('option', { value: k.kind }, kindText(k.kind))));
  const mode = h('select', { class: 'input select', 'data-testid': 'import-mode' },
    h('option', { value: 'good' }, t('imports.mode_good')), h('option', { value: 'all' }, t('imports.mode_all')));
  const help = h('span', { 'data-testid': 'import-help' });
  const showHelp = () => { help.textContent = t(`imports.help_${kind.value}`); };
  kind.addEventListener('change', showHelp);
  showHelp();
  const input = h('input', { type: 'file', accept: '.csv,text/csv', 'data-testid': 'import-file', required: true });
  const source = h('input', { type: 'text', maxlength: '100', 'data-testid': 'import-source' });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'import-submit' }, t('exams.submit'));
  const out = h('div', { 'data-testid': 'import-result', 'aria-live': 'polite' });
  const history = h('div', { 'data-testid': 'import-history' });

  async function showHistory() {
    let list;
    try {
      list = await request('GET', '/imports');
    } catch (error) {
      history.replaceChildren(h('p', { class: 'notice' }, errorText(error)));
      return;
    }
    const open = async (item) => {
      try {
        const one = await request('GET', `/imports/${item.id}`);
        out.replaceChildren(h('h2', { class: 'dash-section' }, `${kindText(one.kind)} · ${one.source}`), ...outcome(one));
        out.scrollIntoView({ block: 'start' });
      } catch (error) {
        out.replaceChildren(h('p', { class: 'notice', role: 'alert' }, errorText(error)));
      }
    };
    history.replaceChildren(card(t('imports.history'), list.items.length
      ? dataTable([
        { label: t('imports.started'), render: (x) => formatDateTime(x.started_at) },
        { label: t('imports.kind'), render: (x) => kindText(x.kind) },
        { label: t('exams.source'), render: (x) => h('button', { type: 'button', class: 'link-btn', 'data-testid': 'import-open', onclick: () => open(x) }, x.source) },
        { label: t('imports.status'), render: (x) => t(`imports.status_${x.status}`) },
        { label: t('imports.rows'), render: (x) => String(x.rows), cls: 'num' },
        { label: t('imports.accepted'), render: (x) => String(x.accepted), cls: 'num' },
        { label: t('imports.unchanged'), render: (x) => String(x.unchanged), cls: 'num' },
        { label: t('imports.rejected'), render: (x) => String(x.rejected), cls: 'num' },
      ], list.items, { rowTestId: 'import-row' })
      : empty(t('imports.none'))));
  }

  const form = h('form', { class: 'form', 'data-testid': 'import-form' },
    h('div', { class: 'form-grid' }, field(t('imports.kind'), kind), field(t('imports.mode'), mode)),
    field(t('imports.file'), input, { required: true, help }),
    field(t('exams.source'), source),
    h('div', { class: 'form-actions' }, submit));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const file = input.files && input.files[0];
    if (!file) return;
    submit.disabled = true;
    submit.textContent = t('exams.importing');
    out.replaceChildren();
    try {
      const result = await request('POST', '/imports', {
        query: { kind: kind.value, mode: mode.value, source: source.value.trim() || file.name }, raw: file, contentType: 'text/csv',
      });
      out.replaceChildren(...outcome(result));
      showHistory();
    } catch (error) {
      out.replaceChildren(h('p', { class: 'notice', role: 'alert', 'data-testid': 'import-failed' }, errorText(error)));
    } finally {
      submit.disabled = false;
      submit.textContent = t('exams.submit');
    }
  });
  const page = h('div', { class: 'page', 'data-testid': 'imports-page' },
    pageHeader(t('imports.title'), { subtitle: t('imports.subtitle') }),
    kinds.length ? card(null, [form]) : empty(t('imports.no_kinds')), out, history);
  await showHistory();
  return page;
}
