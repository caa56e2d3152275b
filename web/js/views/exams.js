/* exams.js - #/exams/import: load an exam centre's results file. The file goes to the
 * server as it is (UTF-8 or GB18030); the answer says how many rows were written and
 * lists every returned row with its column and reason, so the sender can fix just those.
 * A file refused whole names the row and column; an import stopped part-way says up to
 * which row it is done, and that sending the file again is safe. */
import { request, errorText } from '../api.js';
import { t, label } from '../i18n.js';
import { h, pageHeader, card, field, dataTable, localError } from '../dom.js';

function summary(result) {
  const errors = result.errors.length
    ? card(t('exams.errors'), [
      dataTable([
        { label: t('exams.row'), render: (e) => String(e.row) },
        { label: t('exams.column'), render: (e) => e.field || '—' },
        { label: t('exams.reason'), render: (e) => e.message },
      ], result.errors, { rowTestId: 'exam-error' }),
      result.errors_truncated ? h('p', { class: 'muted' }, t('exams.truncated')) : null,
    ], { testid: 'exam-errors' })
    : null;
  const unchanged = result.unchanged ? h('p', { class: 'muted', 'data-testid': 'exam-unchanged' }, t('exams.unchanged', result)) : null;
  const incomplete = result.complete === false
    ? h('p', { class: 'notice', role: 'alert', 'data-testid': 'exam-incomplete' }, t('exams.incomplete', result))
    : null;
  return [incomplete, h('p', { class: 'notice', 'data-testid': 'exam-summary' }, t('exams.summary', result)), unchanged, errors];
}

export function examsImportView() {
  const input = h('input', { type: 'file', accept: '.csv,text/csv', 'data-testid': 'exam-file', required: true });
  const source = h('input', { type: 'text', maxlength: '100', 'data-testid': 'exam-source' });
  const submit = h('button', { type: 'submit', class: 'btn', 'data-testid': 'exam-submit' }, t('exams.submit'));
  const out = h('div', { 'data-testid': 'exam-result' });
  const form = h('form', { class: 'form', 'data-testid': 'exam-form' },
    field(t('exams.file'), input, { help: t('exams.help'), required: true }),
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
      const result = await request('POST', '/exams/import', {
        query: { source: source.value.trim() || file.name }, raw: file, contentType: 'text/csv',
      });
      out.replaceChildren(...summary(result).filter(Boolean));
    } catch (error) {
      out.replaceChildren(localError(errorText(error)));
    } finally {
      submit.disabled = false;
      submit.textContent = t('exams.submit');
    }
  });
  return h('div', { class: 'page', 'data-testid': 'exams-page' },
    pageHeader(t('exams.title'), { subtitle: t('exams.subtitle') }),
    card(null, [form]), out);
}

/* The abnormal codes of an exam or a reading, translated and joined. */
export function abnormalText(codes) {
  return (codes || []).map((c) => label('abnormal', c)).join('、');
}

/* A review task's note, "ecg_review:顺钟向转位;ultrasound_review:肝内钙化灶": each
 * conclusion to read in words with the text nobody recognised, as the exam centre wrote it. */
export function reviewText(note) {
  return (note || '').split(';').filter(Boolean).map((part) => {
    const at = part.indexOf(':');
    return at < 0 ? label('abnormal', part) : `${label('abnormal', part.slice(0, at))}${t('app.colon')}${part.slice(at + 1)}`;
  }).join('；');
}
