/* sign.js - signing a resident (签约): the team and its responsible doctor, the channel
 * and start date, the service packages the resident may sign (those they may not are
 * shown disabled with the reason), the optional 1+1+1 partner hospitals, and a live
 * total split between payers exactly as the server splits it. The server decides: a
 * package it refuses is disabled with its reason, and its shares are the ones kept. */
import { api, errorText } from '../api.js';
import { h, icon, pageHeader, card, classBadge, clear, toast } from '../dom.js';
import { t, label } from '../i18n.js';
import { addDaysIso, formatAge, formatYuan, todayIso } from '../format.js';
import { packages, packageName, priceSelection, ineligibility, criteriaText } from '../packages.js';
import { enumerations } from '../enumerations.js';

const DISTRICT_KINDS = ['district_hospital', 'county_hospital', 'tcm_hospital'];
const CITY_KINDS = ['municipal_hospital'];

/* The fee and its payers: a total, a stacked bar and one line per payer. */
export function sharesBlock(feeFen, shares, { testid = 'share-row', totalTestid } = {}) {
  const shown = shares.filter((s) => s.amount_fen > 0 || feeFen === 0);
  const bar = h('div', { class: 'share-bar', 'aria-hidden': 'true' });
  shown.forEach((s, i) => {
    if (!feeFen || !s.amount_fen) return;
    const part = h('span', { class: `share-seg share-seg-${i % 6}` });
    part.style.width = `${((s.amount_fen / feeFen) * 100).toFixed(2)}%`;
    bar.appendChild(part);
  });
  return h('div', { class: 'shares' },
    h('div', { class: 'shares-total' },
      h('span', { class: 'shares-total-label' }, t('contract.fee_total')),
      h('span', { class: 'shares-total-value', 'data-testid': totalTestid, 'data-fen': String(feeFen) }, formatYuan(feeFen))),
    feeFen > 0 ? bar : null,
    h('ul', { class: 'share-list' }, shares.map((s, i) => h('li', {
      class: s.amount_fen > 0 ? 'share-item' : 'share-item share-zero', 'data-testid': testid, 'data-payer': s.payer, 'data-amount': String(s.amount_fen),
    },
    h('span', { class: `share-dot share-seg-${shown.indexOf(s) >= 0 ? shown.indexOf(s) % 6 : i % 6}`, 'aria-hidden': 'true' }),
    h('span', { class: 'share-payer' }, label('payer', s.payer)),
    h('span', { class: 'share-amount' }, formatYuan(s.amount_fen))))));
}

/* One package as a card: name, tier, price, criteria and the services with quantities. */
export function packageCard(p, { checkbox, reason, warning, testid = 'package-option' } = {}) {
  const criteria = criteriaText(p);
  return h('label', {
    class: `pkg-card pkg-tier-${p.tier}${reason ? ' pkg-disabled' : ''}`,
    'data-testid': testid, 'data-code': p.code, 'data-eligible': reason ? 'false' : 'true',
  },
  h('span', { class: 'pkg-head' },
    checkbox || null,
    h('span', { class: 'pkg-title' },
      h('span', { class: 'pkg-name' }, packageName(p)),
      h('span', { class: 'pkg-meta' },
        h('span', { class: `badge tier-badge tier-${p.tier}` }, label('tier', p.tier)),
        h('span', { class: 'mono muted small' }, p.code))),
    h('span', { class: 'pkg-price', 'data-fen': String(p.price_fen) }, p.price_fen ? formatYuan(p.price_fen) : t('sign.free'))),
  criteria ? h('span', { class: 'pkg-criteria' }, t('sign.criteria'), t('app.colon'), criteria) : null,
  h('ul', { class: 'pkg-items' }, (p.items || []).map((it) => h('li', null,
    h('span', { class: 'pkg-item-name' }, packageName(it)),
    h('span', { class: 'pkg-item-qty' }, t('sign.times', { n: it.quantity }))))),
  reason ? h('span', { class: 'pkg-reason', 'data-testid': 'package-reason' }, icon('close', 'icon pkg-reason-icon'), reason) : null,
  !reason && warning ? h('span', { class: 'pkg-warning', 'data-testid': 'package-warning' }, warning) : null);
}

/* Packages meant for a group the catalogue's criteria cannot express (the server lets
 * anyone sign them): a hint, not a refusal. */
export function packageWarning(p, resident) {
  if (p.type === 'disabled' && !resident.disabled) return t('sign.warn_disabled');
  const programs = resident.programs || [];
  if (p.type === 'maternal_child' && !programs.includes('maternal') && !programs.includes('child')) return t('sign.warn_maternal_child');
  return null;
}

/* The channels the server takes (GET /enumerations), `value` chosen. */
export function channelSelect(channels, value, testid) {
  return h('select', { class: 'input select', 'data-testid': testid },
    channels.map((c) => h('option', { value: c, selected: c === value }, label('channel', c))));
}

export function doctorOptions(select, team, preferred) {
  clear(select);
  const members = (team && team.members) || [];
  const chosen = members.some((m) => m.id === preferred) ? preferred : team && team.doctor_id;
  for (const m of members) {
    const extra = m.id === team.doctor_id ? ` · ${t('team.lead_doctor')}` : '';
    select.appendChild(h('option', { value: String(m.id), selected: m.id === chosen }, `${m.name}（${label('member_role', m.role)}）${extra}`));
  }
  if (!members.length) select.appendChild(h('option', { value: '' }, t('app.none')));
}

function hospitalSelect(list, testid, emptyText) {
  const select = h('select', { class: 'input select', 'data-testid': testid, disabled: !list.length },
    h('option', { value: '' }, list.length ? t('sign.hospital_none') : emptyText),
    list.map((i) => h('option', { value: String(i.id) }, i.name)));
  return select;
}

export async function signView(ctx) {
  const id = Number(ctx.params[0]);
  const r = await api.get(`/residents/${id}`);
  ctx.setTitle(t('sign.title_for', { name: r.name }));
  const back = { href: `#/residents/${r.id}`, text: t('sign.back') };
  const subtitle = h('span', { class: 'resident-sub' },
    h('span', null, label('sex', r.sex)), h('span', { class: 'dot' }, '·'),
    h('span', null, formatAge(r.age)), h('span', { class: 'dot' }, '·'),
    h('span', { class: 'mono' }, r.id_number_masked || ''),
    classBadge(r.population_class),
    (r.programs || []).map((p) => h('span', { class: 'chip' }, label('program', p))));
  const header = pageHeader(t('sign.title_for', { name: r.name }), { back });
  header.querySelector('.page-title-block').appendChild(h('p', { class: 'page-subtitle' }, subtitle));

  if (r.contract && r.contract.status === 'active') {
    return h('div', { class: 'page', 'data-testid': 'sign-page' }, header,
      card(null, h('div', { class: 'notice', 'data-testid': 'sign-blocked' },
        h('p', null, t('sign.already')),
        h('a', { class: 'btn btn-primary', href: `#/contracts/${r.contract.id}`, 'data-testid': 'open-contract' }, icon('contract'), t('resident.contract_open')))));
  }
  if (r.status !== 'alive') {
    return h('div', { class: 'page', 'data-testid': 'sign-page' }, header,
      card(null, h('p', { class: 'notice', 'data-testid': 'sign-blocked' }, t('sign.not_alive', { status: label('status', r.status) }))));
  }

  const township = (r.region || '').slice(0, 9);
  const county = (r.region || '').slice(0, 6);
  const [catalogue, teamList, institutions, lists] = await Promise.all([
    packages(),
    api.get('/teams', { region: township, limit: 500 }).then((d) => d.items || []).catch(() => []),
    api.get('/institutions', { region: county }).then((d) => d.items || []).catch(() => []),
    enumerations(),
  ]);
  const serving = new Set((r.teams || []).map((tm) => tm.id));
  /* A serving team outside the township list (should not happen) is fetched on its own. */
  const missing = (r.teams || []).filter((tm) => !teamList.some((x) => x.id === tm.id));
  const extra = await Promise.all(missing.map((tm) => api.get(`/teams/${tm.id}`).catch(() => null)));
  const teams = [...teamList, ...extra.filter(Boolean)];
  const byId = new Map(teams.map((tm) => [tm.id, tm]));

  /* Parties: team, doctor, channel, start date and, across grid cells, why. */
  const servingTeams = teams.filter((tm) => serving.has(tm.id));
  const otherTeams = teams.filter((tm) => !serving.has(tm.id));
  const teamSelect = h('select', { class: 'input select', 'data-testid': 'sign-team' },
    servingTeams.length ? h('optgroup', { label: t('sign.teams_serving') }, servingTeams.map((tm) => h('option', { value: String(tm.id) }, tm.name))) : null,
    otherTeams.length ? h('optgroup', { label: t('sign.teams_other') }, otherTeams.map((tm) => h('option', { value: String(tm.id) }, tm.name))) : null);
  const firstTeam = servingTeams[0] || otherTeams[0] || null;
  if (firstTeam) teamSelect.value = String(firstTeam.id);
  const doctorSelect = h('select', { class: 'input select', 'data-testid': 'sign-doctor' });
  const channel = channelSelect(lists.contract_channels, 'clinic', 'sign-channel');
  const today = todayIso();
  const start = h('input', {
    type: 'date', class: 'input', value: today, min: addDaysIso(today, -364), max: addDaysIso(today, 90),
    required: true, 'data-testid': 'sign-start',
  });
  const crossReason = h('input', { type: 'text', class: 'input', maxlength: '200', 'data-testid': 'sign-cross-grid', placeholder: t('sign.cross_grid_placeholder') });
  const crossField = h('div', { class: 'field field-full', hidden: true },
    h('label', { class: 'field-label', for: 'sign-cross' }, t('sign.cross_grid'), h('span', { class: 'required', 'aria-hidden': 'true' }, ' *')),
    crossReason,
    h('p', { class: 'field-help' }, t('sign.cross_grid_help')));
  crossReason.id = 'sign-cross';
  const fieldOf = (text, control, help) => {
    control.id = control.id || `f-${control.dataset.testid}`;
    return h('div', { class: 'field' }, h('label', { class: 'field-label', for: control.id }, text), control, help ? h('p', { class: 'field-help' }, help) : null);
  };
  const teamHelp = h('p', { class: 'field-help', 'data-testid': 'sign-team-help' });
  const teamField = h('div', { class: 'field' }, h('label', { class: 'field-label', for: 'sign-team-select' }, t('sign.team')), teamSelect, teamHelp);
  teamSelect.id = 'sign-team-select';
  const parties = card(t('sign.parties'), h('div', { class: 'form-grid' },
    teamField,
    fieldOf(t('sign.doctor'), doctorSelect),
    fieldOf(t('sign.channel'), channel),
    fieldOf(t('sign.start'), start, t('sign.start_help')),
    crossField), { testid: 'sign-parties' });

  function syncTeam() {
    const team = byId.get(Number(teamSelect.value));
    doctorOptions(doctorSelect, team, Number(doctorSelect.value));
    const cross = team && !serving.has(team.id);
    crossField.hidden = !cross;
    teamHelp.textContent = team ? [team.model, team.institution].filter(Boolean).join(' · ') : t('resident.team_none');
  }
  teamSelect.addEventListener('change', syncTeam);
  syncTeam();

  /* Packages. */
  const refused = new Map(); /* code → the server's reason */
  const chosen = new Set(catalogue.some((p) => p.code === 'BASIC') ? ['BASIC'] : []);
  const grid = h('div', { class: 'pkg-grid', 'data-testid': 'package-grid' });
  function reasonFor(p) {
    if (refused.has(p.code)) return refused.get(p.code);
    /* An institution's own package is offered by its teams only (the server checks too). */
    const team = byId.get(Number(teamSelect.value));
    if (p.institution_id && team && team.institution_id !== p.institution_id) return t('sign.other_institution', { name: p.institution });
    const why = ineligibility(p, r, start.value || today);
    return why ? why.text : null;
  }
  function drawPackages() {
    clear(grid);
    for (const p of catalogue) {
      const reason = reasonFor(p);
      if (reason) chosen.delete(p.code);
      const box = h('input', {
        type: 'checkbox', class: 'pkg-check', value: p.code, checked: chosen.has(p.code), disabled: Boolean(reason),
        'data-testid': 'package-check', 'aria-label': packageName(p),
      });
      box.addEventListener('change', () => {
        if (box.checked) chosen.add(p.code);
        else chosen.delete(p.code);
        box.closest('.pkg-card').classList.toggle('pkg-selected', box.checked);
        drawSummary();
      });
      const el = packageCard(p, { checkbox: box, reason, warning: packageWarning(p, r) });
      if (box.checked) el.classList.add('pkg-selected');
      grid.appendChild(el);
    }
  }
  for (const control of [start, teamSelect]) {
    control.addEventListener('change', () => {
      drawPackages();
      drawSummary();
    });
  }
  const packagesCard = card(t('sign.packages'), [h('p', { class: 'muted small card-lead' }, t('sign.packages_help')), grid], { testid: 'sign-packages' });

  /* 1+1+1 partner hospitals. */
  const hospitals = institutions.filter((i) => /hospital/.test(i.kind));
  const districtList = hospitals.filter((i) => DISTRICT_KINDS.includes(i.kind));
  const cityList = hospitals.filter((i) => CITY_KINDS.includes(i.kind));
  const district = hospitalSelect(districtList.length ? districtList : hospitals, 'sign-district-hospital', t('sign.hospital_unavailable'));
  const city = hospitalSelect(cityList, 'sign-city-hospital', t('sign.hospital_unavailable'));
  const hospitalsCard = card(t('sign.hospitals'), [
    h('p', { class: 'muted small card-lead' }, t('sign.hospitals_help')),
    h('div', { class: 'form-grid' }, fieldOf(t('sign.district_hospital'), district), fieldOf(t('sign.city_hospital'), city)),
  ], { testid: 'sign-hospitals' });

  /* The summary: chosen packages, total and payers, the button. */
  const summaryBody = h('div', { class: 'sign-summary-body' });
  const errorHost = h('div', { class: 'sign-error', 'data-testid': 'sign-error', role: 'alert' });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary btn-large btn-block', 'data-testid': 'sign-submit' }, icon('pen'), t('sign.submit'));
  /* On a phone the summary is far below the packages: a bar with the total and the
   * button stays in reach above the tab bar (CSS shows it below 720px only). */
  const barTotal = h('span', { class: 'sign-bar-total', 'data-testid': 'sign-bar-total' });
  const barSubmit = h('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'sign-submit-bar' }, icon('pen'), t('sign.submit'));
  const bar = h('div', { class: 'sign-bar' },
    h('span', { class: 'sign-bar-text' }, h('span', { class: 'sign-bar-label' }, t('contract.fee_total')), barTotal), barSubmit);
  function selected() {
    return catalogue.filter((p) => chosen.has(p.code));
  }
  function drawSummary() {
    clear(summaryBody);
    const list = selected();
    const { fee_fen: fee, shares } = priceSelection(list);
    summaryBody.appendChild(list.length
      ? h('ul', { class: 'summary-packages', 'data-testid': 'sign-selected' }, list.map((p) => h('li', { 'data-code': p.code },
        h('span', null, packageName(p)), h('span', { class: 'summary-price' }, formatYuan(p.price_fen)))))
      : h('p', { class: 'muted small' }, t('sign.choose_package')));
    summaryBody.appendChild(sharesBlock(fee, shares, { testid: 'sign-share', totalTestid: 'sign-total' }));
    summaryBody.appendChild(h('p', { class: 'muted small summary-note' }, t('sign.shares_note')));
    submit.disabled = !list.length;
    barSubmit.disabled = !list.length;
    barTotal.textContent = formatYuan(fee);
  }
  const summary = h('section', { class: 'card sign-summary', 'data-testid': 'sign-summary' },
    h('header', { class: 'card-header' }, h('h2', { class: 'card-title' }, t('sign.summary'))),
    h('div', { class: 'card-body' },
      h('p', { class: 'summary-who' }, h('span', { class: 'strong' }, r.name), h('span', { class: 'muted small' }, ` · ${formatAge(r.age)}`)),
      summaryBody, errorHost, submit));

  drawPackages();
  drawSummary();

  const form = h('form', { class: 'page sign-page', 'data-testid': 'sign-page', 'data-resident': r.id, novalidate: true },
    header,
    h('div', { class: 'two-col' },
      h('div', { class: 'col-main' }, parties, packagesCard, hospitalsCard),
      h('div', { class: 'col-side' }, summary)),
    bar);

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clear(errorHost);
    const fail = (message) => errorHost.appendChild(h('div', { class: 'alert alert-error' }, message));
    const list = selected();
    const team = byId.get(Number(teamSelect.value));
    if (!team) return fail(t('sign.need_team'));
    if (!doctorSelect.value) return fail(t('sign.need_doctor'));
    if (!list.length) return fail(t('sign.choose_package'));
    if (!start.value) return fail(t('sign.need_start'));
    const cross = !serving.has(team.id);
    if (cross && !crossReason.value.trim()) {
      crossReason.focus();
      return fail(t('sign.need_cross_grid'));
    }
    const body = {
      resident_id: r.id,
      team_id: team.id,
      doctor_id: Number(doctorSelect.value),
      packages: list.map((p) => p.code),
      start_date: start.value,
      channel: channel.value,
    };
    if (cross) body.cross_grid_reason = crossReason.value.trim();
    if (district.value) body.district_hospital_id = Number(district.value);
    if (city.value) body.city_hospital_id = Number(city.value);
    submit.disabled = true;
    barSubmit.disabled = true;
    try {
      const contract = await api.post('/contracts', body);
      toast(t('sign.done'));
      location.hash = `#/contracts/${contract.id}`;
    } catch (error) {
      submit.disabled = false;
      barSubmit.disabled = false;
      if (error.code === 'package_not_eligible' && error.value) {
        const p = catalogue.find((x) => x.code === error.value);
        refused.set(error.value, error.detail);
        drawPackages();
        drawSummary();
        fail(t('sign.refused_package', { name: p ? packageName(p) : error.value, detail: error.detail }));
      } else if (error.code === 'active_contract_exists') {
        fail(errorText(error));
        errorHost.appendChild(h('a', { class: 'btn btn-secondary btn-small', href: `#/residents/${r.id}` }, t('sign.back')));
      } else {
        fail(errorText(error));
      }
      errorHost.scrollIntoView({ block: 'nearest' });
    }
    return null;
  });
  return form;
}
