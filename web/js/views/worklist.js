/* worklist.js - the work list (工作清单): tasks of a doctor, a team or the whole scope,
 * counted by state (due, overdue, missed, upcoming) with one tab per state. An outreach
 * tool (after Simple's overdue list): each row carries the number to call, and the
 * outcome of a call is recorded on the row, which is redrawn in place (the tab, the
 * filters, the pages loaded and the scroll position stay); the list exports to XLSX. */
import { api } from '../api.js';
import * as offline from '../offline.js';
import { abnormalText, reviewText } from './exams.js';
import { h, icon, pageHeader, card, pagedResults, statusBadge, empty, toast, formDialog, field, tableRow, chip, localError } from '../dom.js';
import { t, label, lang } from '../i18n.js';
import { formatAge, formatDate, todayIso, addDaysIso } from '../format.js';
import { can } from '../roles.js';
import { PROGRAMS } from './followup.js';

const STATES = ['due', 'overdue', 'missed', 'upcoming'];
const PAGE = 50;

/* Which tasks: {doctor, team} from the address, defaulting to "mine" for staff. A village
 * doctor's default is the cells they serve (their whole scope): the team's tasks are
 * assigned to its GP, so "mine" would be empty while the village is full of work. */
function scopeFrom(ctx) {
  const doctor = ctx.query.get('doctor');
  const team = ctx.query.get('team');
  if (team) return { team };
  if (doctor) return { doctor };
  if (ctx.query.get('scope') === 'all' || !ctx.user.staff_id || ctx.user.role === 'village_doctor') return {};
  return { doctor: 'me' };
}

/* The address keeps who, which tab and the filters, so a save and Back return to them. */
function hashFor(scope, status, filters = {}) {
  const p = new URLSearchParams();
  if (scope.team) p.set('team', scope.team);
  else if (scope.doctor) p.set('doctor', scope.doctor);
  else p.set('scope', 'all');
  if (status) p.set('status', status);
  if (filters.program) p.set('program', filters.program);
  if (filters.q) p.set('q', filters.q);
  return `#/worklist?${p.toString()}`;
}

/* What the caller talks about on the phone: the last BP and glucose with their dates. */
function lastReadings(task) {
  const parts = [];
  if (task.last_bp) parts.push(`${t('worklist.last_bp')} ${task.last_bp.sbp}/${task.last_bp.dbp} (${formatDate(task.last_bp.date)})`);
  if (task.last_fbg) parts.push(`${t('worklist.last_fbg')} ${task.last_fbg.fbg} (${formatDate(task.last_fbg.date)})`);
  return parts.length ? h('span', { class: 'muted small', 'data-testid': 'task-readings' }, parts.join(' · ')) : null;
}

const OUTCOMES = ['reached', 'no_answer', 'wrong_number', 'refused', 'moved', 'died'];
const ENDS_TASK = ['wrong_number', 'refused', 'moved', 'died'];
const CLOSES_RECORD = { moved: 'moved_out', died: 'deceased' };

/* The outreach so far: attempts, the last outcome and the visit agreed (or the reason the
 * task ended, once a call ended it). */
function callSummary(task) {
  if (task.end_reason) {
    return h('span', { class: 'stack', 'data-testid': 'task-call' },
      chip(t('outreach.ended', { reason: label('end_reason', task.end_reason) }), 'chip-muted'));
  }
  const c = task.call;
  if (!c) return h('span', { class: 'muted small', 'data-testid': 'task-call' }, t('outreach.never'));
  const agreed = c.agreed_date
    ? chip(t(c.agreed_date >= todayIso() ? 'outreach.agreed' : 'outreach.agreed_passed', { date: formatDate(c.agreed_date) }),
      c.agreed_date >= todayIso() ? 'chip-ok' : 'chip-warn')
    : null;
  return h('span', { class: 'stack', 'data-testid': 'task-call' },
    agreed ? h('span', { 'data-testid': 'task-agreed' }, agreed) : null,
    h('span', { class: 'small', 'data-testid': 'task-call-last' }, t('outreach.last', { date: formatDate(c.last_called_on), outcome: label('call_outcome', c.last_outcome) })),
    h('span', { class: 'muted small', 'data-testid': 'task-call-attempts' }, t('outreach.attempts', { n: c.attempts })));
}

/* The call dialog: the outcome as large radio buttons (a thumb on a phone), the agreed date
 * for a reached patient, the date of a death or a move, a note. Resolves with the answer of
 * POST /tasks/{id}/calls, or null when cancelled. */
function callDialog(task) {
  const name = `outcome-${task.id}`;
  const radios = OUTCOMES.map((o) => {
    const input = h('input', { type: 'radio', name, value: o, 'data-testid': `call-outcome-${o}`, checked: o === 'no_answer' ? '' : null });
    return { o, input, node: h('label', { class: 'check call-outcome' }, input, h('span', null, label('call_outcome', o))) };
  });
  const today = todayIso();
  const agreed = h('input', { type: 'date', class: 'input', min: today, max: addDaysIso(today, 90), value: addDaysIso(today, 7), 'data-testid': 'call-agreed-date' });
  const statusDate = h('input', { type: 'date', class: 'input', max: today, 'data-testid': 'call-status-date' });
  const note = h('textarea', { class: 'input textarea', rows: '2', maxlength: '500', 'data-testid': 'call-note' });
  const agreedField = field(t('outreach.agreed_date'), agreed, { required: true });
  const statusField = field(t('outreach.status_date'), statusDate, { help: t('outreach.status_date_help') });
  const warning = h('p', { class: 'alert alert-warn', 'data-testid': 'call-warning', role: 'status' });
  const chosen = () => (radios.find((r) => r.input.checked) || {}).o;
  const sync = () => {
    const o = chosen();
    const show = (el, on) => { el.style.display = on ? '' : 'none'; };
    show(agreedField, o === 'reached');
    show(statusField, Boolean(CLOSES_RECORD[o]));
    show(warning, ENDS_TASK.includes(o));
    warning.textContent = CLOSES_RECORD[o] ? t('outreach.closes_record', { status: label('status', CLOSES_RECORD[o]) }) : t('outreach.ends_task');
  };
  radios.forEach((r) => r.input.addEventListener('change', sync));
  sync();
  const outcomes = h('fieldset', { class: 'field call-outcomes', 'data-testid': 'call-outcomes' },
    h('legend', { class: 'field-label' }, t('outreach.outcome')), radios.map((r) => r.node));
  return formDialog({
    title: t('outreach.title'),
    help: [task.resident_name, task.phone, label('task_kind', task.kind)].filter(Boolean).join(' · '),
    testid: 'call-dialog',
    submitLabel: t('outreach.submit'),
    fields: [outcomes, agreedField, statusField, warning, field(t('outreach.note'), note)],
    onSubmit: async () => {
      const o = chosen();
      const body = { outcome: o };
      if (o === 'reached') body.agreed_date = agreed.value;
      if (CLOSES_RECORD[o] && statusDate.value) body.status_date = statusDate.value;
      if (note.value.trim()) body.note = note.value.trim();
      for (const el of [agreed, statusDate, note]) el.removeAttribute('aria-invalid');
      try {
        return await api.post(`/tasks/${task.id}/calls`, body);
      } catch (error) {
        /* The problem names the field: mark it, and say it with its label, not its code. */
        const at = { agreed_date: agreed, status_date: statusDate, note }[error.field];
        if (at) { at.setAttribute('aria-invalid', 'true'); at.focus(); }
        const fieldLabel = { agreed_date: 'outreach.agreed_date', status_date: 'outreach.status_date', note: 'outreach.note', outcome: 'outreach.outcome' }[error.field];
        if (!fieldLabel || !error.detail) throw error;
        const message = error.detail.split(`: ${error.field}`)[0];
        throw localError(lang() === 'en' ? `${t(fieldLabel)}: ${message}` : `${t(fieldLabel)}：${message}`);
      }
    },
  });
}

/* A warning task's note is its reason codes ("bp_high,ldl_high"); a review task's names the
 * conclusion and the text to read; other notes are codes too. */
function noteText(task) {
  if (!task.note) return '—';
  if (task.kind === 'exam_abnormal' || task.kind === 'device_warning') return abnormalText(task.note.split(','));
  if (task.kind === 'exam_review') return reviewText(task.note);
  if (task.kind === 'post_visit_call') return label('task_note', task.note.split(':')[0]); /* "discharge:ENCOUNTER" */
  if (task.kind === 'vaccination') { /* "hepb:2": the dose to give */
    const [vaccine, n] = task.note.split(':');
    return t('immunisation.dose_name', { vaccine: label('vaccine', vaccine), n });
  }
  /* notes whose words depend on the kind: "first_visit" of a COPD patient is not a TB one */
  if (task.kind === 'copd_visit' || task.kind === 'screening_invite') return label('task_note', `${task.kind}:${task.note}`);
  return label('task_note', task.note);
}

export async function worklistView(ctx) {
  /* Where a follow-up form returns to: this very list (tab and filters). */
  const here = location.hash.startsWith('#/worklist') ? location.hash.slice('#/worklist'.length).replace(/^\?/, '') : '';
  ctx.setTitle(t('worklist.title'));
  const user = ctx.user;
  const scope = scopeFrom(ctx);
  const status = STATES.includes(ctx.query.get('status')) ? ctx.query.get('status') : '';
  const filters = { program: PROGRAMS.includes(ctx.query.get('program')) ? ctx.query.get('program') : '', q: ctx.query.get('q') || '' };
  const query = { ...scope, status, ...filters, limit: PAGE };

  const teamIds = user.teams || [];
  const [data, teams] = await Promise.all([
    api.get('/worklist', query),
    Promise.all(teamIds.map((id) => api.get(`/teams/${id}`).catch(() => ({ id, name: null })))),
  ]);

  /* The scope picker. */
  const options = [];
  if (user.staff_id) options.push({ value: 'doctor:me', text: t('worklist.scope_me') });
  for (const tm of teams) options.push({ value: `team:${tm.id}`, text: tm.name ? t('worklist.scope_team', { name: tm.name }) : t('worklist.scope_team_id', { id: tm.id }) });
  options.push({ value: 'all', text: t('worklist.scope_all') });
  const current = scope.team ? `team:${scope.team}` : scope.doctor ? `doctor:${scope.doctor}` : 'all';
  if (!options.some((o) => o.value === current)) {
    options.splice(options.length - 1, 0, { value: current, text: scope.team ? t('worklist.scope_team_id', { id: scope.team }) : t('worklist.scope_doctor', { id: scope.doctor }) });
  }
  const select = h('select', { class: 'input select', 'data-testid': 'worklist-scope', 'aria-label': t('worklist.title') },
    options.map((o) => h('option', { value: o.value, selected: o.value === current }, o.text)));
  select.addEventListener('change', () => {
    const [kind, value] = select.value.split(':');
    location.hash = hashFor(kind === 'team' ? { team: value } : kind === 'doctor' ? { doctor: value } : {}, status, filters);
  });

  /* Outreach filters: a programme, and a name, phone or ID number. */
  const search = h('input', {
    type: 'search', class: 'input search-input', value: filters.q, maxlength: '50', 'data-testid': 'worklist-search',
    placeholder: t('residents.search_placeholder'), 'aria-label': t('residents.search_placeholder'), enterkeyhint: 'search',
  });
  const programSelect = h('select', { class: 'input select', 'data-testid': 'worklist-program', 'aria-label': t('residents.program_label') },
    h('option', { value: '' }, t('residents.program_all')),
    PROGRAMS.map((p) => h('option', { value: p, selected: filters.program === p }, label('program', p))));
  const filter = () => { location.hash = hashFor(scope, status, { program: programSelect.value, q: search.value.trim() }); };
  const filterBar = h('form', { class: 'search-bar', role: 'search', 'data-testid': 'worklist-filters', onsubmit: (event) => { event.preventDefault(); filter(); } },
    h('div', { class: 'search-field' }, icon('search', 'icon search-icon'), search), programSelect,
    h('button', { type: 'submit', class: 'btn btn-secondary' }, t('residents.search')));
  programSelect.addEventListener('change', filter);

  const counts = data.counts || {};
  const all = STATES.reduce((n, s) => n + (counts[s] || 0), 0);
  const tab = (s, text, n) => h('a', {
    href: hashFor(scope, s, filters), role: 'tab', class: `tab tab-${s || 'all'}${s === status ? ' active' : ''}`,
    'aria-selected': s === status ? 'true' : 'false', 'data-testid': `worklist-tab-${s || 'all'}`,
  }, h('span', null, text), h('span', { class: 'tab-count', 'data-testid': `worklist-count-${s || 'all'}` }, String(n)));
  const tabs = h('div', { class: 'tabs tabs-counts', role: 'tablist' },
    tab('', t('worklist.tab_all'), all),
    STATES.map((s) => tab(s, label('task_status', s), counts[s] || 0)));

  const page = h('div', { class: 'page', 'data-testid': 'worklist-page' },
    pageHeader(t('worklist.title'), {
      subtitle: t('worklist.subtitle', { date: data.as_of || '' }),
      actions: [select,
        h('a', { class: 'btn btn-secondary btn-small', href: '#/visit-day', 'data-testid': 'open-visit-day' }, icon('calendar'), h('span', null, t('visit_day.title'))),
        h('a', {
          class: 'btn btn-secondary btn-small', href: `/api/v1/worklist?${new URLSearchParams(Object.entries({ ...scope, status, ...filters }).filter(([, v]) => v)).toString()}&format=xlsx`,
          download: '', 'data-testid': 'worklist-export',
        }, icon('download'), h('span', null, t('outreach.export'))),
        h('a', {
          class: 'btn btn-secondary btn-small', href: `/api/v1/worklist?${new URLSearchParams(Object.entries({ ...scope, status, ...filters }).filter(([, v]) => v)).toString()}&format=csv`,
          download: '', 'data-testid': 'worklist-export-csv',
        }, icon('download'), h('span', null, t('download.csv'))),
        can(ctx.user, 'exam.import')
        ? h('a', { class: 'btn btn-secondary btn-small', href: '#/exams/import', 'data-testid': 'open-exam-import' }, t('exams.open'))
        : null].filter(Boolean),
    }),
    h('div', { class: 'card search-card' }, filterBar),
    tabs);

  offline.rememberPeople(data.items); /* the follow-up form opens offline for these */
  offline.rememberWorklist(location.hash);
  if (!data.items.length) {
    page.appendChild(card(null, empty(t('worklist.empty'), 'worklist-empty')));
    return page;
  }
  const cols = [
    { label: t('worklist.col_due'), cls: 'nowrap', render: (task) => h('span', { class: 'strong' }, formatDate(task.due_date)) },
    {
      label: t('worklist.col_resident'),
      cls: 'col-name',
      render: (task) => h('span', { class: 'stack' },
        h('a', { href: `#/residents/${task.resident_id}`, class: 'strong-link', 'data-testid': 'task-resident' }, task.resident_name || `#${task.resident_id}`),
        h('span', { class: 'muted small' }, [label('sex', task.sex), formatAge(task.age)].join(' · ')),
        task.phone ? h('a', { href: `tel:${task.phone}`, class: 'small mono', 'data-testid': 'task-phone', onclick: (event) => event.stopPropagation() }, task.phone) : null,
        lastReadings(task)),
    },
    {
      label: t('worklist.col_kind'),
      render: (task) => h('span', { class: 'stack' },
        h('span', null, label('task_kind', task.kind)),
        task.program ? h('span', { class: 'muted small' }, label('program', task.program)) : null,
        task.contract_id ? h('a', { href: `#/contracts/${task.contract_id}`, class: 'small', 'data-testid': 'task-contract' }, t('contract.number', { id: task.contract_id })) : null),
    },
    { label: t('worklist.col_status'), render: (task) => statusBadge('task_status', task.status, 'task-status') },
    { label: t('worklist.col_note'), cls: 'col-note', render: (task) => noteText(task) },
    { label: t('outreach.col_call'), cls: 'col-call', render: callSummary },
  ];
  /* Recording a call redraws its row from the answer; a call that ended the task leaves
   * the row in place, marked ended, and takes it out of its tab's count. */
  const countOf = (s) => page.querySelector(`[data-testid="worklist-count-${s}"]`);
  const callButton = (task) => h('button', {
    type: 'button', class: 'btn btn-small btn-secondary', 'data-testid': 'task-call-button',
    onclick: async (event) => {
      event.stopPropagation();
      const tr = event.currentTarget.closest('tr');
      const answer = await callDialog(task);
      if (!answer) return;
      const updated = { ...task, call: answer.task.call, end_reason: answer.task.end_reason };
      tr.replaceWith(tableRow(cols, updated, { rowTestId: 'task-row', rowHref }));
      if (updated.end_reason) {
        for (const s of [task.status, 'all']) {
          const el = countOf(s);
          if (el) el.textContent = String(Math.max(0, Number(el.textContent) - 1));
        }
      }
      toast(t('outreach.saved', { name: task.resident_name, outcome: label('call_outcome', answer.outcome) }));
    },
  }, icon('phone'), h('span', null, t('outreach.button')));
  /* A follow-up task opens its form; saving it closes the task and the list moves on. A
   * referral's task closes when the patient is confirmed seen (today). */
  const seenButton = (task) => h('button', {
    type: 'button', class: 'btn btn-small btn-secondary', 'data-testid': 'task-referral-seen',
    onclick: async (event) => {
      event.stopPropagation();
      event.currentTarget.disabled = true;
      await api.post(`/referrals/${task.referral_id}/seen`, { seen_on: todayIso() });
      toast(t('referral.seen_done', { name: task.resident_name }));
      ctx.rerender();
    },
  }, t('referral.seen'));
  /* A task no record closes (a discovery, an abnormal or unreadable result) closes by the
   * doctor's decision, with a note of what was done. */
  const closeButton = (task) => h('button', {
    type: 'button', class: 'btn btn-small btn-secondary', 'data-testid': 'task-close',
    onclick: async (event) => {
      event.stopPropagation();
      const outcome = h('select', { class: 'input select', 'data-testid': 'task-close-outcome' },
        ['done', 'dismissed'].map((o) => h('option', { value: o }, t(`task_close.outcome_${o}`))));
      const note = h('textarea', { class: 'input textarea', rows: '3', maxlength: '500', 'data-testid': 'task-close-note' });
      /* A post-visit call (issue 19) keeps what the patient said: the effect, adherence,
       * satisfaction and a revisit booked. */
      const call = task.kind === 'post_visit_call' ? {
        effect: h('select', { class: 'input select', 'data-testid': 'call-effect' }, ['better', 'same', 'worse'].map((v) => h('option', { value: v }, label('call_effect', v)))),
        adherence: h('select', { class: 'input select', 'data-testid': 'call-adherence' }, ['full', 'partial', 'none'].map((v) => h('option', { value: v }, label('call_adherence', v)))),
        satisfaction: h('select', { class: 'input select', 'data-testid': 'call-satisfaction' }, [5, 4, 3, 2, 1].map((v) => h('option', { value: String(v) }, label('call_satisfaction', String(v))))),
        revisit: h('input', { type: 'date', class: 'input', min: todayIso(), 'data-testid': 'call-revisit' }),
      } : null;
      const callFields = call ? [field(t('call.effect'), call.effect), field(t('call.adherence'), call.adherence),
        field(t('call.satisfaction'), call.satisfaction), field(t('call.revisit'), call.revisit)] : [];
      const answers = () => (call && outcome.value === 'done' ? { answers: { effect: call.effect.value, adherence: call.adherence.value,
        satisfaction: Number(call.satisfaction.value), ...(call.revisit.value ? { revisit_date: call.revisit.value } : {}) } } : {});
      const closed = await formDialog({
        title: call ? t('call.title') : t('task_close.title'),
        help: `${task.resident_name} · ${label('task_kind', task.kind)}`,
        testid: 'task-close-dialog',
        submitLabel: t('task_close.submit'),
        fields: [field(t('task_close.outcome'), outcome), ...callFields, field(t('task_close.note'), note)],
        onSubmit: () => api.post(`/tasks/${task.id}/close`, { outcome: outcome.value, ...answers(), ...(note.value.trim() ? { note: note.value.trim() } : {}) }),
      });
      if (closed) {
        toast(t('task_close.done', { name: task.resident_name }));
        ctx.rerender();
      }
    },
  }, t('task_close.button'));
  const DECIDED = ['first_discovery', 'exam_abnormal', 'exam_review', 'device_warning', 'tb_report', 'post_visit_call'];
  const back = here ? `&back=${encodeURIComponent(here)}` : '';
  const recordAction = (task) => (!can(user, 'followup.write') ? null
    : task.kind === 'followup' && PROGRAMS.includes(task.program)
      ? h('a', { class: 'btn btn-small btn-primary', href: `#/residents/${task.resident_id}/followup/${task.program}?from=worklist&task=${task.id}${back}`, 'data-testid': 'task-followup' }, t('followup.do'))
      : task.kind === 'vaccination'
        ? h('a', { class: 'btn btn-small btn-primary', href: `#/residents/${task.resident_id}/schedule/child`, 'data-testid': 'task-vaccination' }, t('immunisation.record_short'))
      : task.kind === 'sickbed_round'
        ? h('a', { class: 'btn btn-small btn-primary', href: `#/residents/${task.resident_id}/sickbed`, 'data-testid': 'task-sickbed' }, t('sickbed.round'))
      : task.kind === 'screening_invite' && task.contract_id
        ? h('a', { class: 'btn btn-small btn-primary', href: `#/contracts/${task.contract_id}`, 'data-testid': 'task-screening' }, t('screening.record'))
      : task.kind === 'copd_visit'
        ? h('a', { class: 'btn btn-small btn-primary', href: `#/residents/${task.resident_id}/copd`, 'data-testid': 'task-copd' }, t('copd.record'))
      : task.kind === 'tb_visit'
        ? h('a', { class: 'btn btn-small btn-primary', href: `#/residents/${task.resident_id}/tb`, 'data-testid': 'task-tb' }, t('tb.visit'))
      : task.kind === 'referral_confirm' && task.referral_id ? seenButton(task)
        : DECIDED.includes(task.kind) && can(user, 'flag.decide') ? closeButton(task) : null);
  if (can(user, 'followup.write') || can(user, 'task.call')) {
    cols.push({
      label: t('worklist.col_action'),
      cls: 'actions',
      render: (task) => (task.end_reason ? null
        : task.kind === 'followup' && PROGRAMS.includes(task.program) && offline.queuedForTask(task.id)
          ? h('a', { class: 'badge sync-status sync-status-pending', href: '#/offline', 'data-testid': 'task-queued' }, t('offline.task_queued'))
          : h('span', { class: 'row-actions' }, recordAction(task), can(user, 'task.call') ? callButton(task) : null)),
    });
  }
  const rowHref = (task) => `#/residents/${task.resident_id}`;
  page.appendChild(pagedResults(cols, data, {
    rowTestId: 'task-row', rowHref, fetchPage: (cursor) => api.get('/worklist', { ...query, cursor }),
  }));
  /* The queue of offline writes is read from the device at start-up, perhaps after this list
   * was drawn: when the rows it marks change, draw the list again. */
  const queuedIds = () => data.items.filter((task) => offline.queuedForTask(task.id)).map((task) => task.id).join();
  const shown = queuedIds();
  let stop = null;
  stop = offline.subscribe(() => {
    if (!stop) return; /* the call made at once, on subscribing */
    if (!ctx.alive()) stop();
    else if (queuedIds() !== shown) {
      stop();
      ctx.rerender();
    }
  });
  return page;
}
