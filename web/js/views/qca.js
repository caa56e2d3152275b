/* qca.js - crisp-set qualitative comparative analysis (定性比较分析, issue 22; seed 002 found
 * the configurations of 14 institutions that reached good integration of treatment and
 * prevention). #/evaluation/qca: a CSV of cases (institutions and their calibrated
 * conditions) chosen from a file or the example, the outcome, conditions and cutoff; the
 * truth table and the complex and parsimonious solutions with each term's consistency and
 * coverage. Nothing is stored: the analysis is POST /qca's answer. */
import { api, errorText } from '../api.js';
import { h, icon, pageHeader, card, dataTable, empty } from '../dom.js';
import { formField, select } from '../forms.js';
import { t } from '../i18n.js';

const EXAMPLE = '/examples/qca-institutions.csv';
const fixed = (v) => Number(v).toFixed(3);

/* The header of a CSV text (the first line, commas; names trimmed, a BOM dropped). */
function header(text) {
  const first = text.replace(/^\uFEFF/, '').split(/\r?\n/)[0] || '';
  return first.split(',').map((x) => x.trim().replace(/^"|"$/g, '')).filter(Boolean);
}

function truthTable(result) {
  return dataTable([
    ...result.conditions.map((c) => ({ label: c, cls: 'num', render: (r) => String(r.configuration[c]) })),
    { label: t('qca.n'), cls: 'num', render: (r) => String(r.n) },
    { label: t('qca.consistency'), cls: 'num', render: (r) => fixed(r.consistency) },
    { label: result.outcome, cls: 'num', render: (r) => h('strong', { class: r.outcome ? 'text-success' : 'muted' }, String(r.outcome)) },
    { label: t('qca.cases'), render: (r) => r.cases.join('、') },
  ], result.truth_table, { rowTestId: 'qca-row', cls: 'eval-table qca-table' });
}

function solutions(kind, result) {
  const list = result[kind].solutions;
  if (!list.length) return empty(t('qca.no_solution'), `qca-${kind}-none`);
  return list.map((s, i) => h('div', { class: 'qca-solution', 'data-testid': `qca-${kind}` },
    h('p', { class: 'qca-expression' }, list.length > 1 ? `${t('qca.tie', { n: i + 1 })} ` : '', h('code', null, s.expression)),
    dataTable([
      { label: t('qca.term'), render: (x) => h('code', null, x.expression) },
      { label: t('qca.raw_coverage'), cls: 'num', render: (x) => fixed(x.raw_coverage) },
      { label: t('qca.unique_coverage'), cls: 'num', render: (x) => fixed(x.unique_coverage) },
      { label: t('qca.consistency'), cls: 'num', render: (x) => fixed(x.consistency) },
      { label: t('qca.cases'), render: (x) => x.cases.join('、') },
    ], s.terms, { rowTestId: `qca-${kind}-term`, cls: 'eval-table' }),
    h('p', { class: 'strong', 'data-testid': `qca-${kind}-fit` }, t('qca.solution_fit', { coverage: fixed(s.coverage), consistency: fixed(s.consistency) }))));
}

export async function qcaView(ctx) {
  ctx.setTitle(t('qca.title'));
  let text = '';
  const out = h('div', { 'data-testid': 'qca-result' });
  const outcome = select([], { testid: 'qca-outcome', placeholder: null });
  const cutoff = h('input', { type: 'number', class: 'input input-small', min: '0.5', max: '1', step: '0.05', value: '0.8', 'data-testid': 'qca-cutoff' });
  const status = h('p', { class: 'muted', 'data-testid': 'qca-file' }, t('qca.no_file'));
  const use = (csv, name) => {
    text = csv;
    const columns = header(csv);
    outcome.replaceChildren(...columns.slice(1).map((c) => h('option', { value: c }, c)));
    outcome.value = columns[columns.length - 1] || '';
    status.textContent = t('qca.loaded', { name, columns: columns.length });
    out.replaceChildren();
  };
  const file = h('input', { type: 'file', accept: '.csv,text/csv', class: 'input', 'data-testid': 'qca-upload',
    onchange: async () => { if (file.files[0]) use(await file.files[0].text(), file.files[0].name); } });
  const example = h('button', { type: 'button', class: 'btn btn-secondary', 'data-testid': 'qca-example',
    onclick: async () => use(await (await fetch(EXAMPLE)).text(), t('qca.example_name')) }, t('qca.example'));
  const run = h('button', { type: 'button', class: 'btn btn-primary', 'data-testid': 'qca-run',
    onclick: async () => {
      if (!text) { out.replaceChildren(h('p', { class: 'text-danger' }, t('qca.no_file'))); return; }
      try {
        const result = await api.post('/qca', { csv: text, outcome: outcome.value, cutoff: Number(cutoff.value) });
        out.replaceChildren(
          card(t('qca.truth_table', { n: result.n, positive: result.positive, remainders: result.remainders }), [truthTable(result)], { testid: 'qca-truth', cls: 'card-flush-mobile' }),
          card(t('qca.complex'), [h('p', { class: 'muted small' }, t('qca.complex_help')), solutions('complex', result)], { testid: 'qca-complex-card' }),
          card(t('qca.parsimonious'), [h('p', { class: 'muted small' }, t('qca.parsimonious_help')), solutions('parsimonious', result)], { testid: 'qca-parsimonious-card' }));
      } catch (e) {
        out.replaceChildren(h('p', { class: 'text-danger', 'data-testid': 'qca-error' }, errorText(e)));
      }
    } }, icon('chart'), t('qca.run'));
  return h('div', { class: 'page eval-page', 'data-testid': 'qca-page' },
    pageHeader(t('qca.title'), { back: { href: '#/evaluation', text: t('eval.title') }, subtitle: t('qca.subtitle'),
      actions: [h('button', { type: 'button', class: 'btn', onclick: () => window.print() }, icon('print'), t('eval.print'))] }),
    card(t('qca.data'), [
      h('p', { class: 'muted small' }, t('qca.data_help')),
      h('div', { class: 'btn-row no-print' }, file, example),
      status,
      h('div', { class: 'form-row no-print' }, formField('outcome', t('qca.outcome'), outcome), formField('cutoff', t('qca.cutoff'), cutoff, { help: t('qca.cutoff_help') })),
      h('div', { class: 'btn-row no-print' }, run),
    ], { testid: 'qca-input' }),
    out);
}
