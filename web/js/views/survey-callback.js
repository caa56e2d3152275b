/* survey-callback.js - a questionnaire answered on a telephone call-back (电话回访), from the
 * resident's page: the staff member reads each item out and ticks the answer. The server
 * keeps the rule that the caller is not on the team being rated (a team cannot raise its own
 * satisfaction or trust score), and names the field when it refuses. */
import { api } from '../api.js';
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { formField, fieldDialog, fieldError, select } from '../forms.js';

function scale(code, item) {
  const words = /satisf/.test(code) ? 'satisfaction' : 'agree';
  const values = [];
  for (let v = item.scale_max; v >= item.scale_min; v--) values.push(v);
  const worded = item.scale_min === 1 && item.scale_max === 5;
  return values.map((v) => ({ value: v, text: worded ? `${v} ${t(`portal.scale_${words}_${v}`)}` : String(v) }));
}

/* Resolves with the stored response ({id,total,...}) or null when cancelled. */
export async function surveyCallbackDialog(r) {
  const questionnaires = (await api.get('/questionnaires')).items;
  const which = select(questionnaires.map((q) => ({ value: q.code, text: q.name })),
    { value: questionnaires[0].code, testid: 'callback-questionnaire', placeholder: null });
  const itemsHost = h('div', { class: 'callback-items' });
  let answers = [];
  function drawItems() {
    const q = questionnaires.find((x) => x.code === which.value);
    answers = q.items.map((item) => ({
      n: item.n,
      control: select(scale(q.code, item), { testid: `callback-item-${item.n}` }),
      item,
    }));
    itemsHost.replaceChildren(...answers.map((a) => formField(`answers[${a.n - 1}]`, `${a.n}. ${a.item.text}`, a.control, { required: true })));
  }
  which.addEventListener('change', drawItems);
  drawItems();
  return fieldDialog({
    title: t('callback.title'),
    help: `${r.name} · ${t('callback.help')}`,
    testid: 'callback-dialog',
    submitLabel: t('app.save'),
    fields: [
      formField('questionnaire', t('callback.questionnaire'), which),
      /* The team rated is the contract's; the server refuses a caller on it (team_id). */
      formField('team_id', t('contract.team'), h('div', { class: 'muted' }, r.contract ? r.contract.team_name : t('resident.contract_none'))),
      itemsHost,
    ],
    onSubmit: () => {
      const missing = answers.find((a) => !a.control.value);
      if (missing) throw fieldError(`answers[${missing.n - 1}]`, t('forms.required'));
      return api.post('/survey-responses', {
        questionnaire: which.value, resident_id: r.id, channel: 'phone_callback',
        answers: answers.map((a) => ({ n: a.n, value: Number(a.control.value) })),
      });
    },
  });
}
