/* residents.js - search residents in the user's scope: by name, phone, full or masked
 * ID number or its last four digits, filtered by population class, programme, status and
 * whether they have signed (未签约: a signing campaign's list). The search lives in the
 * address (#/residents?q=...&class=1&signed=false) so Back returns to it. */
import { api } from '../api.js';
import { h, icon, pageHeader, card, pagedResults, classBadge, empty, errorBox, downloadLinks } from '../dom.js';
import { t, label } from '../i18n.js';
import { can } from '../roles.js';
import { formatAge } from '../format.js';

const PAGE = 50;

function columns() {
  return [
    {
      label: t('residents.col_name'),
      cls: 'col-name',
      render: (r) => h('a', { href: `#/residents/${r.id}`, class: 'strong-link', 'data-testid': 'resident-link' }, r.name),
    },
    { label: t('residents.col_sex'), render: (r) => label('sex', r.sex) },
    { label: t('residents.col_age'), cls: 'num', render: (r) => formatAge(r.age) },
    { label: t('residents.col_id'), cls: 'mono', render: (r) => h('span', { 'data-testid': 'id-masked' }, r.id_number_masked || '—') },
    { label: t('residents.col_class'), render: (r) => classBadge(r.population_class) },
    {
      label: t('residents.col_region'),
      render: (r) => h('span', null, r.region_name || r.region || '—',
        r.status && r.status !== 'alive' ? h('span', { class: 'badge status-other' }, label('status', r.status)) : null),
    },
    { label: t('residents.col_phone'), cls: 'mono', render: (r) => r.phone || '—' },
  ];
}

export async function residentsView(ctx) {
  ctx.setTitle(t('residents.title'));
  const q = ctx.query.get('q') || '';
  const cls = ctx.query.get('class') || '';
  const status = ctx.query.get('status') || '';
  const signed = ctx.query.get('signed') || '';
  const program = ctx.query.get('program') || '';

  const input = h('input', {
    type: 'search', name: 'q', class: 'input search-input', value: q, maxlength: '50',
    placeholder: t('residents.search_placeholder'), 'aria-label': t('residents.search_placeholder'),
    'data-testid': 'search-input', enterkeyhint: 'search', autocomplete: 'off',
  });
  const classSelect = h('select', { name: 'class', class: 'input select', 'data-testid': 'search-class', 'aria-label': t('residents.col_class') },
    h('option', { value: '' }, t('residents.class_all')),
    [1, 2, 3].map((n) => h('option', { value: String(n), selected: cls === String(n) }, t(`class_long.${n}`))));
  const statusSelect = h('select', { name: 'status', class: 'input select', 'data-testid': 'search-status', 'aria-label': t('resident.status') },
    h('option', { value: '' }, t('residents.status_all')),
    ['alive', 'deceased', 'moved_out'].map((s) => h('option', { value: s, selected: status === s }, label('status', s))));

  const signedSelect = h('select', { name: 'signed', class: 'input select', 'data-testid': 'search-signed', 'aria-label': t('residents.signed_label') },
    h('option', { value: '' }, t('residents.signed_all')),
    ['false', 'true'].map((v) => h('option', { value: v, selected: signed === v }, t(`residents.signed_${v}`))));
  const programSelect = h('select', { name: 'program', class: 'input select', 'data-testid': 'search-program', 'aria-label': t('residents.program_label') },
    h('option', { value: '' }, t('residents.program_all')),
    ['hypertension', 'diabetes', 'smd', 'elderly', 'child', 'maternal'].map((p) => h('option', { value: p, selected: program === p }, t(`program.${p}`))));

  const form = h('form', { class: 'search-bar', role: 'search', 'data-testid': 'search-form' },
    h('div', { class: 'search-field' }, icon('search', 'icon search-icon'), input),
    classSelect,
    programSelect,
    signedSelect,
    statusSelect,
    h('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'search-submit' }, t('residents.search')));

  function go() {
    const p = new URLSearchParams();
    if (input.value.trim()) p.set('q', input.value.trim());
    if (classSelect.value) p.set('class', classSelect.value);
    if (programSelect.value) p.set('program', programSelect.value);
    if (signedSelect.value) p.set('signed', signedSelect.value);
    if (statusSelect.value) p.set('status', statusSelect.value);
    const s = p.toString();
    const target = s ? `#/residents?${s}` : '#/residents';
    if (location.hash === target) ctx.rerender();
    else location.hash = target;
  }
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    go();
  });
  classSelect.addEventListener('change', go);
  statusSelect.addEventListener('change', go);
  signedSelect.addEventListener('change', go);
  programSelect.addEventListener('change', go);

  const results = h('div', { class: 'results', 'data-testid': 'search-results' });
  const page = h('div', { class: 'page' },
    pageHeader(t('residents.title'), {
      actions: [
        ...downloadLinks('/residents', { q, class: cls, status, signed, program }, 'residents-export'),
        can(ctx.user, 'resident.write')
          ? h('a', { href: '#/imports', class: 'btn btn-secondary btn-small download-link', 'data-testid': 'open-imports' }, icon('upload'), t('imports.open'))
          : null,
        can(ctx.user, 'resident.write')
          ? h('a', { href: q ? `#/residents/new?q=${encodeURIComponent(q)}` : '#/residents/new', class: 'btn btn-primary', 'data-testid': 'register-resident' }, icon('plus'), t('register.button'))
          : null].filter(Boolean),
    }),
    h('div', { class: 'card search-card' }, form),
    results);

  const query = { q, class: cls, status, signed, program, limit: PAGE };
  let data;
  try {
    data = await api.get('/residents', query);
  } catch (error) {
    results.appendChild(errorBox(error, () => ctx.rerender()));
    return page;
  }
  if (!data.items.length) {
    results.appendChild(card(null, empty(t('residents.empty'), 'search-empty')));
    return page;
  }
  results.appendChild(pagedResults(columns(), data, {
    rowTestId: 'resident-row', rowHref: (r) => `#/residents/${r.id}`, cls: 'compact-cards', fetchPage: (cursor) => api.get('/residents', { ...query, cursor }),
  }));
  return page;
}
