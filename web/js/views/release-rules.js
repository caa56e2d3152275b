/* release-rules.js - a hospital's slot release settings (号源下沉, issue 15): the share of each
 * session's slots kept for family doctors and how many days ahead family doctors and the
 * public may book, for the hospital and per department (a department's rule overrides the
 * hospital's). Each form says in plain words what it will do ("20% of slots, 7 days before
 * the public"), and the server's answer shows at the field it names. #/hospital/release-rules */
import { api } from '../api.js';
import { h, pageHeader, card, toast, empty } from '../dom.js';
import { t } from '../i18n.js';
import { fieldForm, numberInput } from '../fieldform.js';
import { departmentName } from './hospital-common.js';

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

function ruleForm(hospitalId, dept, rule, { inherited, onSaved }) {
  const r = rule || inherited || { family_share: 0, family_lead_days: 14, public_lead_days: 14 };
  const share = numberInput({ min: '0', max: '100', step: '1', value: String(r.family_share), 'data-testid': 'rule-share' });
  const family = numberInput({ min: '0', max: '365', step: '1', value: String(r.family_lead_days), 'data-testid': 'rule-family-days' });
  const pub = numberInput({ min: '0', max: '365', step: '1', value: String(r.public_lead_days), 'data-testid': 'rule-public-days' });
  const preview = h('p', { class: 'rule-preview', 'data-testid': 'rule-preview', 'aria-live': 'polite' });
  const update = () => {
    preview.textContent = rulePreview({ family_share: share.value === '' ? NaN : share.value, family_lead_days: family.value === '' ? NaN : family.value, public_lead_days: pub.value === '' ? NaN : pub.value });
  };
  for (const el of [share, family, pub]) el.addEventListener('input', update);
  update();
  const form = fieldForm({
    testid: dept ? `rule-form-${dept.id}` : 'rule-form-hospital',
    submitLabel: t('app.save'),
    cls: 'rule-form',
    fields: [
      { name: 'family_share', label: t('release.family_share'), control: share, required: true, help: t('release.family_share_help') },
      { name: 'family_lead_days', label: t('release.family_lead_days'), control: family, required: true },
      { name: 'public_lead_days', label: t('release.public_lead_days'), control: pub, required: true },
    ],
    onSubmit: async (values) => {
      const body = { family_share: values.family_share, family_lead_days: values.family_lead_days, public_lead_days: values.public_lead_days };
      if (dept) body.department_id = dept.id;
      const saved = await api.put(`/hospitals/${hospitalId}/release-rules`, body);
      toast(t('release.saved'));
      onSaved(saved);
    },
  });
  form.prepend(h('div', { class: 'field-full' }, preview));
  return form;
}

export async function releaseRulesView(ctx) {
  ctx.setTitle(t('release.title'));
  const hospitalId = ctx.query.get('hospital') || ctx.user.institution_id;
  const data = await api.get(`/hospitals/${hospitalId}/release-rules`);
  const hospitalRule = data.rule || data.hospital_rule || null;
  const depts = data.departments || [];
  const refresh = () => ctx.rerender();
  const deptCards = depts.map((d) => {
    const own = d.rule || null;
    const status = h('span', { class: own ? 'badge badge-ok' : 'badge badge-muted', 'data-testid': 'rule-source' }, t(own ? 'release.own_rule' : 'release.inherits'));
    return card(departmentName(d), ruleForm(hospitalId, d, own, { inherited: hospitalRule, onSaved: refresh }), { testid: 'rule-department', cls: 'rule-card', extra: status });
  });
  return h('div', { class: 'page release-page', 'data-testid': 'release-page' },
    pageHeader(t('release.title'), { subtitle: data.hospital_name ? `${data.hospital_name} · ${t('release.subtitle')}` : t('release.subtitle') }),
    card(t('release.hospital_rule'), ruleForm(hospitalId, null, hospitalRule, { onSaved: refresh }), { testid: 'rule-hospital', cls: 'rule-card' }),
    h('h2', { class: 'section-title' }, t('release.departments')),
    h('p', { class: 'muted' }, t('release.departments_help')),
    deptCards.length ? h('div', { class: 'rule-grid' }, deptCards) : empty(t('release.departments_none')));
}
