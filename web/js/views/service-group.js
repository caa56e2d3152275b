/* service-group.js - the team's side of the resident in the loop (issue 16,
 * docs/resident-loop.md): 服务群, the team's service group - publish an item to its signed
 * residents (or a programme's, a population class's, a grid cell's) and see how many it
 * reached and read it; 咨询, the team's consultations, open ones first with how long they
 * have waited, each thread with a reply box. */
import { api } from '../api.js';
import { h, icon, pageHeader, card, dataTable, empty, chip, formDialog, field, localError, toast, facts } from '../dom.js';
import { t, label } from '../i18n.js';
import { formatDateTime, formatPercent } from '../format.js';

const KINDS = ['article', 'package', 'notice'];
const PROGRAMS = ['hypertension', 'diabetes', 'smd', 'tb', 'copd', 'elderly', 'child', 'maternal'];

/* The team the screen is about: ?team= when it is one of the user's, else their first. */
function teamOf(ctx) {
  const teams = ctx.user.teams || [];
  const asked = Number(ctx.query.get('team'));
  return teams.includes(asked) ? asked : teams[0] || null;
}

function teamPicker(ctx, team, route) {
  const teams = ctx.user.teams || [];
  if (teams.length < 2) return null;
  const select = h('select', { class: 'input select', 'aria-label': t('sg.team'), 'data-testid': 'sg-team' },
    teams.map((id) => h('option', { value: id, selected: id === team ? 'selected' : null }, t('sg.team_n', { id }))));
  select.addEventListener('change', () => { location.hash = `${route}?team=${select.value}`; });
  return select;
}

async function publish(team) {
  const kind = h('select', { class: 'input select', name: 'kind', 'data-testid': 'sg-kind' },
    KINDS.map((k) => h('option', { value: k }, label('content_kind', k))));
  const title = h('input', { class: 'input', name: 'title', maxlength: '80', 'data-testid': 'sg-title', placeholder: t('sg.title_placeholder') });
  const body = h('textarea', { class: 'input textarea', name: 'body', rows: '6', maxlength: '5000', 'data-testid': 'sg-body' });
  const program = h('select', { class: 'input select', name: 'program', 'data-testid': 'sg-program' },
    [h('option', { value: '' }, t('sg.audience_any')), ...PROGRAMS.map((p) => h('option', { value: p }, label('program', p)))]);
  const klass = h('select', { class: 'input select', name: 'population_class', 'data-testid': 'sg-class' },
    [h('option', { value: '' }, t('sg.audience_any')), ...[1, 2, 3].map((c) => h('option', { value: c }, t(`sg.class_${c}`)))]);
  const cell = h('select', { class: 'input select', name: 'cell_id', 'data-testid': 'sg-cell' }, h('option', { value: '' }, t('sg.audience_any')));
  api.get(`/teams/${team}`).then((tm) => {
    for (const c of tm.grid_cells || []) cell.appendChild(h('option', { value: c.code }, c.name || c.code));
  }).catch(() => {});
  return formDialog({
    title: t('sg.publish'),
    help: t('sg.publish_help'),
    testid: 'sg-dialog',
    submitLabel: t('sg.publish_submit'),
    fields: [
      field(t('sg.kind'), kind, { required: true }),
      field(t('sg.item_title'), title, { required: true }),
      field(t('sg.item_body'), body, { required: true }),
      h('fieldset', { class: 'sg-audience' }, h('legend', null, t('sg.audience')),
        field(t('sg.audience_program'), program), field(t('sg.audience_class'), klass), field(t('sg.audience_cell'), cell)),
    ],
    onSubmit: async () => {
      if (!title.value.trim()) throw localError(t('sg.title_required'));
      if (!body.value.trim()) throw localError(t('sg.body_required'));
      const audience = {};
      if (program.value) audience.program = program.value;
      if (klass.value) audience.population_class = Number(klass.value);
      if (cell.value) audience.cell_id = cell.value;
      return api.post(`/teams/${team}/content`, { kind: kind.value, title: title.value.trim(), body: body.value.trim(), audience });
    },
  });
}

function audienceText(a) {
  const parts = [];
  if (a && a.program) parts.push(label('program', a.program));
  if (a && a.population_class) parts.push(t(`sg.class_${a.population_class}`));
  if (a && a.cell_id) parts.push(a.cell_id);
  return parts.length ? parts.join(' · ') : t('sg.audience_all');
}

function itemColumns() {
  return [
    { label: t('sg.col_title'), cls: 'col-name', render: (x) => h('div', null,
      h('div', { class: 'strong' }, x.title),
      h('div', { class: 'muted small sg-snippet' }, x.body.length > 60 ? `${x.body.slice(0, 60)}…` : x.body)) },
    { label: t('sg.col_kind'), render: (x) => chip(label('content_kind', x.kind), `chip-kind kind-${x.kind}`) },
    { label: t('sg.col_audience'), render: (x) => audienceText(x.audience) },
    { label: t('sg.col_published'), render: (x) => formatDateTime(x.published_at) },
    { label: t('sg.col_recipients'), cls: 'num', render: (x) => h('span', { 'data-testid': 'sg-recipients' }, String(x.recipients)) },
    { label: t('sg.col_read'), cls: 'num', render: (x) => h('button', {
      type: 'button', class: 'btn btn-ghost btn-small', 'data-testid': 'sg-receipts-open',
      title: t('sg.receipts_open'), onclick: () => showReceipts(x),
    }, h('span', { 'data-testid': 'sg-read' }, String(x.read))) },
    { label: t('sg.col_rate'), cls: 'num', render: (x) => h('span', { 'data-testid': 'sg-rate' }, formatPercent(x.read_rate)) },
  ];
}

/* Who an item went to and who has read it, the unread first: the ones to remind by phone. */
async function showReceipts(item) {
  const data = await api.get(`/content/${item.id}/receipts`);
  const rows = data.items.map((x) => h('li', { class: 'sg-receipt', 'data-testid': 'sg-receipt', 'data-read': String(Boolean(x.read_at)) },
    h('span', { class: 'strong' }, x.name),
    h('span', { class: x.read_at ? 'muted small' : 'chip chip-warn' }, x.read_at ? t('sg.read_on', { at: formatDateTime(x.read_at) }) : t('sg.unread'))));
  await formDialog({
    title: item.title,
    help: t('sg.receipts_help', { read: data.read, n: data.recipients }),
    fields: rows.length ? h('ul', { class: 'sg-receipts' }, rows) : empty(t('sg.receipts_none')),
    submitLabel: t('app.close'),
    testid: 'sg-receipts',
    onSubmit: async () => true,
  });
}

export async function serviceGroupView(ctx) {
  ctx.setTitle(t('sg.title'));
  const team = teamOf(ctx);
  const page = h('div', { class: 'page', 'data-testid': 'service-group-page' });
  if (!team) {
    page.append(pageHeader(t('sg.title')), card(null, empty(t('sg.no_team'))));
    return page;
  }
  const data = await api.get(`/teams/${team}/content`);
  const actions = [teamPicker(ctx, team, '#/service-group'),
    ctx.user.role === 'center_admin' ? null : h('button', {
      type: 'button', class: 'btn btn-primary', 'data-testid': 'sg-new',
      onclick: async () => {
        const made = await publish(team);
        if (!made) return;
        toast(t('sg.published', { n: made.recipients }));
        ctx.rerender();
      },
    }, icon('plus'), t('sg.publish'))].filter(Boolean);
  page.appendChild(pageHeader(t('sg.title'), { subtitle: t('sg.subtitle'), actions }));
  const items = data.items || [];
  const reached = items.reduce((n, x) => n + x.recipients, 0);
  const read = items.reduce((n, x) => n + x.read, 0);
  page.appendChild(card(null, facts([
    [t('sg.items'), String(items.length), 'sg-items'],
    [t('sg.reached'), String(reached)],
    [t('sg.read_rate'), formatPercent(reached ? read / reached : null), 'sg-total-rate'],
  ], 'facts-inline')));
  page.appendChild(items.length
    ? card(t('sg.list'), dataTable(itemColumns(), items, { rowTestId: 'sg-row', caption: t('sg.list') }))
    : card(null, empty(t('sg.empty'))));
  return page;
}

/* ---- consultations ---- */

function waiting(minutes) {
  if (minutes === null || minutes === undefined) return '—';
  if (minutes < 60) return t('cons.minutes', { n: minutes });
  if (minutes < 1440) return t('cons.hours', { n: Math.floor(minutes / 60) });
  return t('cons.days', { n: Math.floor(minutes / 1440) });
}

function statusChip(status) {
  return chip(label('consultation_status', status), `chip-status status-${status}`);
}

function threadNode(c, onReply) {
  const messages = h('ol', { class: 'cons-thread', 'data-testid': 'cons-thread' },
    (c.thread || []).map((m) => h('li', { class: `cons-msg cons-${m.author_kind}`, 'data-testid': 'cons-msg' },
      h('div', { class: 'cons-meta muted small' }, `${m.author_name} · ${formatDateTime(m.created_at)}`),
      h('div', { class: 'cons-body' }, m.body))));
  if (c.status === 'closed') return h('div', null, messages, h('p', { class: 'muted' }, t('cons.closed_note')));
  const box = h('textarea', { class: 'input textarea', rows: '3', maxlength: '2000', 'data-testid': 'cons-reply', 'aria-label': t('cons.reply') });
  const send = h('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'cons-send' }, t('cons.send'));
  const close = h('button', { type: 'button', class: 'btn btn-ghost', 'data-testid': 'cons-close' }, t('cons.close'));
  const form = h('form', { class: 'cons-form' }, field(t('cons.reply'), box), h('div', { class: 'cons-actions' }, close, send));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!box.value.trim()) return;
    send.disabled = true;
    try {
      await api.post(`/consultations/${c.id}/messages`, { body: box.value.trim() });
      toast(t('cons.sent'));
      onReply();
    } catch (error) {
      send.disabled = false;
      throw error;
    }
  });
  close.addEventListener('click', async () => {
    await api.post(`/consultations/${c.id}/close`);
    toast(t('cons.closed'));
    onReply();
  });
  return h('div', null, messages, form);
}

export async function consultationsView(ctx) {
  ctx.setTitle(t('cons.title'));
  const team = teamOf(ctx);
  const page = h('div', { class: 'page', 'data-testid': 'consultations-page' });
  if (!team) {
    page.append(pageHeader(t('cons.title')), card(null, empty(t('sg.no_team'))));
    return page;
  }
  const status = ['open', 'answered', 'closed'].includes(ctx.query.get('status')) ? ctx.query.get('status') : null;
  const data = await api.get(`/teams/${team}/consultations`, status ? { status } : undefined);
  page.appendChild(pageHeader(t('cons.title'), { subtitle: t('cons.subtitle'), actions: [teamPicker(ctx, team, '#/consultations')].filter(Boolean) }));
  page.appendChild(card(null, facts([
    [t('cons.open'), String(data.open), 'cons-open-count'],
    [t('cons.median'), data.median_first_response_minutes === null ? '—' : waiting(Math.round(data.median_first_response_minutes)), 'cons-median'],
    [t('cons.resolved'), formatPercent(data.resolved_share), 'cons-resolved'],
  ], 'facts-inline')));
  const tabs = h('nav', { class: 'tabs cons-tabs', 'aria-label': t('cons.filter') },
    [null, 'open', 'answered', 'closed'].map((s) => h('a', {
      class: `tab${s === status ? ' active' : ''}`, href: `#/consultations${s ? `?status=${s}` : ''}`, 'aria-current': s === status ? 'page' : null,
    }, s ? label('consultation_status', s) : t('cons.all'))));
  page.appendChild(tabs);
  const items = data.items || [];
  if (!items.length) {
    page.appendChild(card(null, empty(t('cons.empty'))));
    return page;
  }
  const selected = Number(ctx.query.get('id')) || items[0].id;
  const list = h('ul', { class: 'cons-list', 'data-testid': 'cons-list' }, items.map((c) => h('li', null,
    h('a', {
      class: `cons-item${c.id === selected ? ' active' : ''}`, 'data-testid': 'cons-item', 'data-id': c.id,
      href: `#/consultations?${new URLSearchParams({ ...(status ? { status } : {}), id: c.id })}`,
    },
    h('div', { class: 'cons-item-top' }, h('span', { class: 'strong' }, c.subject), statusChip(c.status)),
    h('div', { class: 'muted small' }, `${c.resident_name} · ${c.status === 'open' ? t('cons.waiting', { time: waiting(c.waiting_minutes) }) : formatDateTime(c.last_message_at)}`)))));
  const threadHost = h('div', { class: 'cons-thread-host', 'data-testid': 'cons-detail' });
  const load = async () => {
    const c = await api.get(`/consultations/${selected}`);
    threadHost.replaceChildren(card(c.subject, threadNode(c, () => ctx.rerender()), {
      extra: h('span', { class: 'cons-who muted small' }, ' ', h('a', { href: `#/residents/${c.resident_id}` }, c.resident_name)),
      actions: [statusChip(c.status)],
    }));
  };
  await load();
  page.appendChild(h('div', { class: 'cons-layout' }, card(null, list, { cls: 'cons-list-card' }), threadHost));
  return page;
}
