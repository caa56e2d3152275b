/* release-rules.js - a hospital's slot release settings (号源下沉, issue 15): the share of each
 * session's slots kept for family doctors and how many days ahead family doctors and the
 * public may book, for the hospital and per department (a department's rule overrides the
 * hospital's). Each form says in plain words what it will do ("20% of slots, 7 days before
 * the public"), and the server's answer shows at the field it names. #/hospital/release-rules */
import { api } from '../api.js';
import { h, pageHeader, card, toast, empty } from '../dom.js';
import { t } from '../i18n.js';
import { formField, showProblem, clearProblems, saveState } from '../forms.js';
import { departments, departmentName } from './hospital-common.js';

/* The rule in plain words. */
export function rulePreview(rule) {
  const share = Number(rule.family_share);
  const family = Number(rule.family_lead_days);
  const pub = Number(rule.public_lead_days);
  if (![share, family, pub].every(Number.isFinite)) return t('release.preview_incomplete');
  if (share <= 0) return t('release.preview_none', { public: pub });
  const earlier = family - pub;
  return earlier > 0
    ? t('release.preview', { share, earlier, family, public: pub })
    : t('release.preview_same', { share, family });
}

/* Three number inputs for a rule, named `${prefix}family_share` and so on, and its preview. */
function ruleFields(prefix, rule, testid) {
  const r = rule || { family_share: 0, family_lead_days: 14, public_lead_days: 14 };
  const num = (name, value, max) => h('input', { type: 'number', class: 'input', min: '0', max, step: '1', inputmode: 'numeric', value: String(value), 'data-testid': `${testid}-${name}` });
  const share = num('share', r.family_share, '100');
  const family = num('family-days', r.family_lead_days, '365');
  const pub = num('public-days', r.public_lead_days, '365');
  const preview = h('p', { class: 'rule-preview', 'data-testid': `${testid}-preview`, 'aria-live': 'polite' });
  const read = () => ({ family_share: share.value === '' ? NaN : Number(share.value), family_lead_days: family.value === '' ? NaN : Number(family.value), public_lead_days: pub.value === '' ? NaN : Number(pub.value) });
  const update = () => { preview.textContent = rulePreview(read()); };
  for (const el of [share, family, pub]) el.addEventListener('input', update);
  update();
  const node = h('div', { class: 'rule-fields' },
    preview,
    h('div', { class: 'rule-inputs' },
      formField(`${prefix}family_share`, t('release.family_share'), share, { required: true }),
      formField(`${prefix}family_lead_days`, t('release.family_lead_days'), family, { required: true }),
      formField(`${prefix}public_lead_days`, t('release.public_lead_days'), pub, { required: true })));
  return { node, read };
}

export async function releaseRulesView(ctx) {
  ctx.setTitle(t('release.title'));
  const hospitalId = ctx.query.get('hospital') || ctx.user.institution_id;
  const [data, depts] = await Promise.all([
    api.get(`/hospitals/${hospitalId}/release-rules`),
    departments(hospitalId).catch(() => []),
  ]);
  const hospitalRule = ruleFields('', data.rule || data.default, 'rule-hospital');
  const overrides = new Map((data.departments || []).map((d) => [d.department, d]));
  /* a department's own rule, or none (it follows the hospital's) */
  const rows = depts.map((d) => {
    const own = overrides.get(d.code) || null;
    const fields = ruleFields(`dept:${d.code}.`, own || data.rule || data.default, `rule-${d.code}`);
    const toggle = h('input', { type: 'checkbox', checked: Boolean(own), 'data-testid': `rule-${d.code}-own` });
    const body = h('div', { class: 'rule-dept-body' }, fields.node);
    body.hidden = !own;
    toggle.addEventListener('change', () => { body.hidden = !toggle.checked; });
    const node = h('section', { class: 'rule-dept', 'data-testid': 'rule-department', 'data-code': d.code },
      h('label', { class: 'check rule-dept-head' }, toggle, h('span', { class: 'strong' }, departmentName(d)),
        h('span', { class: 'muted small' }, t(own ? 'release.own_rule' : 'release.inherits'))),
      body);
    return { d, node, toggle, fields };
  });
  const state = saveState();
  const submit = h('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'rules-save' }, t('app.save'));
  const form = h('form', { class: 'release-form', novalidate: true, 'data-testid': 'release-form' },
    card(t('release.hospital_rule'), hospitalRule.node, { testid: 'rule-hospital' }),
    card(t('release.departments'), [
      h('p', { class: 'muted' }, t('release.departments_help')),
      rows.length ? h('div', { class: 'rule-grid' }, rows.map((x) => x.node)) : empty(t('release.departments_none')),
    ], { testid: 'rule-departments' }),
    h('div', { class: 'form-actions' }, state, submit));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearProblems(form);
    const chosen = rows.filter((x) => x.toggle.checked);
    const body = { ...hospitalRule.read(), departments: chosen.map((x) => ({ department: x.d.code, ...x.fields.read() })) };
    submit.disabled = true;
    state.set('saving');
    try {
      await api.put(`/hospitals/${hospitalId}/release-rules`, body);
      state.set('saved');
      toast(t('release.saved'));
      ctx.rerender();
    } catch (error) {
      state.set('error');
      /* departments[2].family_share names the third department sent: its own fields */
      const m = /^departments\[(\d+)\]\.(.+)$/.exec(error.field || '');
      if (m && chosen[Number(m[1])]) error.field = `dept:${chosen[Number(m[1])].d.code}.${m[2] === 'department' ? 'family_share' : m[2]}`;
      showProblem(form, error);
    } finally {
      submit.disabled = false;
    }
  });
  return h('div', { class: 'page release-page', 'data-testid': 'release-page' },
    pageHeader(t('release.title'), { subtitle: t('release.subtitle') }),
    form);
}
