/* resident-new.js - registering a resident with their household (建档, #/residents/new).
 *
 * Search comes first: the user looks the person up by name, ID number or phone in their
 * scope and opens the existing record when there is one; only then does the form appear.
 * The same name with the same birth date (read from the ID number) is a warning the user
 * must confirm; the same ID number is the server's 409 duplicate_id_number, shown at the
 * ID field with a link to the existing record when the user may see it (a search by the
 * full number answers only within the scope). The household is a new one in one of the
 * user's grid cells, or an existing one found through a member. */
import { api, ApiError } from '../api.js';
import { h, pageHeader, card, empty, toast, checkbox, clear, classBadge, icon } from '../dom.js';
import { t, label } from '../i18n.js';
import { formatAge, formatDate } from '../format.js';
import { formField, showProblem, clearProblems, fieldError, saveState, select } from '../forms.js';
import { RELATIONS, regionPicker, householdPicker } from './resident-forms.js';

/* The birth date an 18-character ID number states, or null. */
function birthFromId(id) {
  const m = /^\d{6}(\d{4})(\d{2})(\d{2})\d{3}[\dXx]$/.exec(id || '');
  return m ? `${m[1]}-${m[2]}-${m[3]}` : null;
}

function matchRow(r) {
  return h('li', { class: 'pick-item', 'data-testid': 'match-row', 'data-id': r.id },
    h('span', { class: 'pick-text' },
      h('strong', null, r.name), ' ',
      h('span', { class: 'muted small' }, [label('sex', r.sex), formatAge(r.age), r.id_number_masked, r.region_name || r.region].filter(Boolean).join(' · ')),
      ' ', classBadge(r.population_class)),
    h('a', { href: `#/residents/${r.id}`, class: 'btn btn-small btn-secondary', 'data-testid': 'match-open' }, t('register.open')));
}

export async function residentNewView(ctx) {
  ctx.setTitle(t('register.title'));
  const user = ctx.user;
  const region = await regionPicker(user, { testid: 'reg-region' });

  /* Step 1: search. */
  const q = h('input', {
    type: 'search', class: 'input search-input', maxlength: '50', value: ctx.query.get('q') || '',
    placeholder: t('register.search_placeholder'), 'aria-label': t('register.search_placeholder'), 'data-testid': 'reg-search-q', autocomplete: 'off',
  });
  const found = h('div', { class: 'reg-found', 'data-testid': 'reg-search-results' });
  const searchForm = h('form', { class: 'search-bar', role: 'search', 'data-testid': 'reg-search-form' },
    h('div', { class: 'search-field' }, icon('search', 'icon search-icon'), q),
    h('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'reg-search' }, t('register.search')));

  /* Step 2: the form (hidden until a search has been made). */
  const name = h('input', { type: 'text', class: 'input', maxlength: '50', 'data-testid': 'reg-name', autocomplete: 'off' });
  const idNumber = h('input', { type: 'text', class: 'input mono', maxlength: '18', 'data-testid': 'reg-id', autocomplete: 'off', inputmode: 'text' });
  const phone = h('input', { type: 'tel', class: 'input mono', maxlength: '20', 'data-testid': 'reg-phone', autocomplete: 'off' });
  const address = h('input', { type: 'text', class: 'input', maxlength: '200', 'data-testid': 'reg-address' });
  const household = householdPicker({ testid: 'reg-household' });
  const relation = select(RELATIONS.filter((r) => r !== 'head').map((v) => ({ value: v, text: label('relation', v) })), { testid: 'reg-relation' });
  const disabled = checkbox(t('register.disabled'), { 'data-testid': 'reg-disabled' });
  const poverty = checkbox(t('register.poverty'), { 'data-testid': 'reg-poverty' });
  const mode = h('div', { class: 'radio-stack', role: 'radiogroup', 'data-testid': 'reg-household-mode' },
    ['new', 'existing'].map((m) => h('label', { class: 'check' },
      h('input', { type: 'radio', name: 'household-mode', value: m, checked: m === 'new', 'data-testid': `reg-household-${m}` }),
      h('span', null, t(`register.household_${m}`)))));
  const newPart = h('div', { class: 'form-grid' },
    formField('region', t('register.region'), region.node, { required: true }),
    formField('address', t('register.address'), address));
  const existingPart = h('div', { class: 'form-grid', hidden: true },
    formField('household_id', t('register.household'), household.node, { required: true, cls: 'field-full' }),
    formField('relation', t('register.relation'), relation, { required: true }));
  const currentMode = () => mode.querySelector('input:checked').value;
  mode.addEventListener('change', () => {
    newPart.hidden = currentMode() !== 'new';
    existingPart.hidden = currentMode() !== 'existing';
  });
  const birthNote = h('span', { class: 'muted small', 'data-testid': 'reg-birth' });
  idNumber.addEventListener('input', () => {
    const b = birthFromId(idNumber.value.trim());
    birthNote.textContent = b ? t('register.birth_from_id', { date: formatDate(b) }) : '';
  });
  const dupHost = h('div', { class: 'dup-host' });
  let confirmBox = null;
  let checkedFor = '';
  const state = saveState();
  const submit = h('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'reg-submit' }, t('register.submit'));
  const form = h('form', { class: 'record-form', novalidate: true, 'data-testid': 'reg-form' },
    h('div', { class: 'form-grid' },
      formField('name', t('register.name'), name, { required: true }),
      formField('id_number', t('register.id_number'), idNumber, { required: true, help: t('register.id_help') }),
      formField('phone', t('register.phone'), phone)),
    birthNote,
    formField('household', t('register.household'), mode),
    newPart,
    existingPart,
    h('div', { class: 'field check-stack' }, disabled, poverty),
    dupHost,
    h('div', { class: 'form-actions' }, state, submit));
  const formCard = card(t('register.form_title'), form, { testid: 'reg-form-card' });
  formCard.hidden = true;

  function openForm() {
    formCard.hidden = false;
    const text = q.value.trim();
    if (/^\d{17}[\dXx]$/.test(text)) idNumber.value = text.toUpperCase();
    else if (/^[\d\s+-]{7,}$/.test(text)) phone.value = text;
    else if (text && !name.value) name.value = text;
    idNumber.dispatchEvent(new Event('input'));
    (name.value ? idNumber : name).focus();
    formCard.scrollIntoView({ block: 'start' });
  }

  async function search() {
    const text = q.value.trim();
    clear(found);
    if (!text) {
      found.appendChild(h('p', { class: 'muted' }, t('register.search_hint')));
      return;
    }
    const data = await api.get('/residents', { q: text, limit: 20 }).catch((e) => e);
    if (data instanceof Error) {
      found.appendChild(h('div', { class: 'alert alert-error', role: 'alert' }, data.message));
      return;
    }
    if (data.items.length) {
      found.append(h('p', null, t('register.search_found', { n: data.total })), h('ul', { class: 'pick-list' }, data.items.map(matchRow)));
    } else {
      found.appendChild(empty(t('register.search_none'), 'reg-search-none'));
    }
    found.appendChild(h('div', { class: 'card-foot-actions' },
      h('button', { type: 'button', class: data.items.length ? 'btn btn-secondary' : 'btn btn-primary', 'data-testid': 'reg-new', onclick: openForm },
        icon('plus'), t(data.items.length ? 'register.not_found_new' : 'register.new_first'))));
  }
  searchForm.addEventListener('submit', (event) => {
    event.preventDefault();
    search();
  });

  /* Same name and birth date within the scope: a warning to confirm. */
  async function nameDuplicates(who, birth) {
    if (!birth) return [];
    const data = await api.get('/residents', { q: who, limit: 50 }).catch(() => ({ items: [] }));
    return data.items.filter((r) => r.name === who && r.birth_date === birth);
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearProblems(form);
    submit.disabled = true;
    state.set('saving');
    try {
      const who = name.value.trim();
      const id = idNumber.value.trim().toUpperCase();
      if (!who) throw fieldError('name', t('forms.required'));
      if (!id) throw fieldError('id_number', t('forms.required'));
      const body = { name: who, id_number: id };
      if (phone.value.trim()) body.phone = phone.value.trim();
      if (disabled.querySelector('input').checked) body.disabled = true;
      if (poverty.querySelector('input').checked) body.poverty = true;
      if (currentMode() === 'new') {
        if (!region.value()) throw fieldError('region', t('forms.required'));
        body.region = region.value();
        if (address.value.trim()) body.address = address.value.trim();
      } else {
        const hh = household.value();
        if (!hh) throw fieldError('household_id', t('register.household_required'));
        if (!relation.value) throw fieldError('relation', t('forms.required'));
        body.household_id = hh.id;
        body.region = hh.region;
        body.relation = relation.value;
      }
      const key = `${who}|${birthFromId(id)}`;
      if (!(confirmBox && confirmBox.querySelector('input').checked && checkedFor === key)) {
        const dups = await nameDuplicates(who, birthFromId(id));
        clear(dupHost);
        confirmBox = null;
        if (dups.length) {
          checkedFor = key;
          confirmBox = checkbox(t('register.dup_name_confirm'), { 'data-testid': 'reg-dup-confirm' });
          dupHost.appendChild(h('div', { class: 'alert alert-warn dup-warning', role: 'alert', 'data-testid': 'reg-dup-warning' },
            h('strong', null, t('register.dup_name_title')),
            h('p', null, t('register.dup_name_help')),
            h('ul', { class: 'pick-list' }, dups.map(matchRow)),
            confirmBox));
          state.set('error', t('forms.not_saved'));
          submit.disabled = false;
          confirmBox.querySelector('input').focus();
          return;
        }
      }
      const created = await api.post('/residents', body);
      state.set('saved');
      toast(t('register.done', { name: created.name }));
      location.hash = `#/residents/${created.id}`;
    } catch (error) {
      state.set('error', t('forms.not_saved'));
      submit.disabled = false;
      let extra = null;
      if (error instanceof ApiError && error.code === 'duplicate_id_number') {
        const same = await api.get('/residents', { q: idNumber.value.trim().toUpperCase(), limit: 1 }).catch(() => ({ items: [] }));
        extra = same.items.length
          ? h('a', { href: `#/residents/${same.items[0].id}`, 'data-testid': 'reg-dup-id-link' }, t('register.dup_id_open', { name: same.items[0].name }))
          : h('span', { 'data-testid': 'reg-dup-id-hidden' }, t('register.dup_id_hidden'));
      }
      showProblem(form, error, { extra });
    }
  });

  const page = h('div', { class: 'page register-page', 'data-testid': 'register-page' },
    pageHeader(t('register.title'), { subtitle: t('register.subtitle'), back: { href: '#/residents', text: t('register.back') } }),
    card(t('register.search_title'), [searchForm, found], { testid: 'reg-search-card' }),
    formCard);
  if (q.value) search();
  return page;
}
