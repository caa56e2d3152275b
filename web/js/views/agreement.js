/* agreement.js - the signed agreement as a printable A4 document (家庭医生签约服务协议书):
 * the parties, the term, the packages and their services, the fee and who pays it, the
 * rights and duties of both sides and lines to sign. The document is in Chinese
 * whatever the UI language (?lang=en prints a reference copy in English); the toolbar
 * above it is for the screen only, and @media print leaves just the document. */
import { api } from '../api.js';
import { h, icon } from '../dom.js';
import { t as uiT, translator, ensureLanguage } from '../i18n.js';
import { can } from '../roles.js';
import { formatDateTime, formatYuan as yuan } from '../format.js';

function longDate(tr, iso) {
  if (!iso) return '—';
  const [y, m, d] = String(iso).slice(0, 10).split('-');
  return tr.t('agreement.date', { y, m: Number(m), d: Number(d), mm: m, dd: d });
}

function nameIn(tr, x) {
  return tr.lang === 'en' && x.name_en ? x.name_en : x.name;
}

/* A two-column table of label/value rows for a party. */
function partyTable(rows) {
  return h('table', { class: 'ag-party' }, h('tbody', null, rows.filter(Boolean).map(([k, v, testid]) => h('tr', null,
    h('th', { scope: 'row' }, k),
    h('td', { 'data-testid': testid }, v === null || v === undefined || v === '' ? '—' : v)))));
}

function clauses(tr, prefix, n) {
  const items = [];
  for (let i = 1; i <= n; i++) items.push(h('li', null, tr.t(`${prefix}.${i}`)));
  return h('ol', { class: 'ag-clauses' }, items);
}

export async function agreementView(ctx) {
  const id = Number(ctx.params[0]);
  const docLang = ctx.query.get('lang') === 'en' ? 'en' : 'zh-CN';
  await ensureLanguage(docLang);
  const tr = translator(docLang);
  const c = await api.get(`/contracts/${id}`);
  const [resident, team, institutions] = await Promise.all([
    api.get(`/residents/${c.resident_id}`).catch(() => null),
    api.get(`/teams/${c.team_id}`).catch(() => null),
    (c.district_hospital_id || c.city_hospital_id) && can(ctx.user, 'institution.read')
      ? api.get('/institutions').then((d) => d.items || []).catch(() => [])
      : [],
  ]);
  ctx.setTitle(tr.t('agreement.title'));
  const doctor = team && team.members ? team.members.find((m) => m.id === c.doctor_id) : null;
  const hospital = (hid) => {
    if (!hid) return null;
    const found = institutions.find((i) => i.id === hid);
    return found ? found.name : `#${hid}`;
  };

  /* Screen only: back, language of the copy, print. */
  const other = docLang === 'en' ? 'zh-CN' : 'en';
  const toolbar = h('div', { class: 'agreement-toolbar no-print', 'data-testid': 'agreement-toolbar' },
    h('a', { class: 'back-link', href: `#/contracts/${c.id}`, 'data-testid': 'back-link' }, icon('back'), uiT('agreement.back')),
    h('div', { class: 'agreement-tools' },
      h('a', {
        class: 'btn btn-ghost', 'data-testid': 'agreement-lang',
        href: other === 'en' ? `#/contracts/${c.id}/agreement?lang=en` : `#/contracts/${c.id}/agreement`,
      }, icon('globe'), other === 'en' ? uiT('agreement.copy_en') : uiT('agreement.copy_zh')),
      h('a', {
        class: 'btn btn-ghost', 'data-testid': 'agreement-pdf', target: '_blank', rel: 'noopener',
        href: `/api/v1/contracts/${c.id}/agreement.pdf`,
      }, icon('print'), uiT('agreement.pdf')),
      h('button', { type: 'button', class: 'btn btn-primary', 'data-testid': 'agreement-print', onclick: () => window.print() }, icon('print'), uiT('agreement.print'))));

  const byPackage = new Map();
  for (const e of c.entitlements || []) {
    if (!byPackage.has(e.package)) byPackage.set(e.package, []);
    byPackage.get(e.package).push(e);
  }

  const services = h('div', { class: 'ag-packages' }, c.packages.map((p, i) => h('div', { class: 'ag-package', 'data-testid': 'agreement-package', 'data-code': p.code },
    h('div', { class: 'ag-package-head' },
      h('span', { class: 'ag-package-name' }, `${i + 1}. ${nameIn(tr, p)}`),
      h('span', { class: 'ag-package-code' }, `${p.code} v${p.version}`),
      h('span', { class: 'ag-package-price' }, p.price_fen ? yuan(p.price_fen) : tr.t('agreement.free'))),
    h('table', { class: 'ag-table' },
      h('thead', null, h('tr', null, h('th', null, tr.t('agreement.col_service')), h('th', { class: 'ag-num' }, tr.t('agreement.col_times')))),
      h('tbody', null, (byPackage.get(p.code) || []).map((e) => h('tr', { 'data-testid': 'agreement-item' },
        h('td', null, nameIn(tr, e)),
        h('td', { class: 'ag-num' }, String(e.quantity)))))))));

  const shares = c.shares && c.shares.length
    ? h('table', { class: 'ag-table ag-fees' },
      h('thead', null, h('tr', null, h('th', null, tr.t('agreement.col_payer')), h('th', { class: 'ag-num' }, tr.t('agreement.col_amount')))),
      h('tbody', null, c.shares.map((s) => h('tr', { 'data-testid': 'agreement-share', 'data-payer': s.payer, 'data-amount': String(s.amount_fen) },
        h('td', null, tr.label('payer', s.payer)),
        h('td', { class: 'ag-num' }, yuan(s.amount_fen))))),
      h('tfoot', null, h('tr', null, h('th', null, tr.t('agreement.total')), h('th', { class: 'ag-num', 'data-testid': 'agreement-total' }, yuan(c.fee_fen)))))
    : h('p', null, c.previous_id ? tr.t('agreement.fee_transferred', { id: c.previous_id }) : tr.t('agreement.fee_none'));

  const residentFee = (c.shares || []).find((s) => s.payer === 'resident');
  const partner = [hospital(c.district_hospital_id), hospital(c.city_hospital_id)].filter(Boolean);

  const doc = h('article', { class: 'agreement', lang: docLang, 'data-testid': 'agreement', 'data-id': c.id },
    h('header', { class: 'ag-header' },
      h('h1', { class: 'ag-title', 'data-testid': 'agreement-title' }, tr.t('agreement.title')),
      h('p', { class: 'ag-number' },
        h('span', null, tr.t('agreement.number'), tr.t('app.colon'), `JY-${String(c.id).padStart(8, '0')}`),
        h('span', null, tr.t('agreement.status'), tr.t('app.colon'), tr.label('contract_status', c.status)))),
    h('p', { class: 'ag-preamble' }, tr.t('agreement.preamble')),

    h('section', { class: 'ag-parties' },
      h('div', { class: 'ag-party-block' },
        h('h2', { class: 'ag-h2' }, tr.t('agreement.party_a')),
        partyTable([
          [tr.t('agreement.name'), c.resident_name, 'agreement-resident'],
          resident ? [tr.t('agreement.sex'), tr.label('sex', resident.sex)] : null,
          resident ? [tr.t('agreement.birth_date'), longDate(tr, resident.birth_date)] : null,
          [tr.t('agreement.id_number'), resident ? resident.id_number_masked : null, 'agreement-id'],
          [tr.t('agreement.address'), resident ? resident.address || resident.region_name : null],
        ])),
      h('div', { class: 'ag-party-block' },
        h('h2', { class: 'ag-h2' }, tr.t('agreement.party_b')),
        partyTable([
          [tr.t('agreement.team'), c.team_name, 'agreement-team'],
          [tr.t('agreement.doctor'), c.doctor_name, 'agreement-doctor'],
          [tr.t('agreement.institution'), team ? team.institution : null],
          [tr.t('agreement.phone'), doctor ? doctor.phone : null],
          partner.length ? [tr.t('agreement.partners'), partner.join('、')] : null,
        ]))),

    h('section', { class: 'ag-section' },
      h('h2', { class: 'ag-h2' }, tr.t('agreement.s1')),
      h('p', { 'data-testid': 'agreement-term' }, tr.t('agreement.term_text', { start: longDate(tr, c.start_date), end: longDate(tr, c.end_date) })),
      h('p', null, tr.t('agreement.channel_text', { channel: tr.label('channel', c.channel) }))),

    h('section', { class: 'ag-section' },
      h('h2', { class: 'ag-h2' }, tr.t('agreement.s2')),
      h('p', null, tr.t('agreement.services_text')),
      services),

    h('section', { class: 'ag-section ag-keep' },
      h('h2', { class: 'ag-h2' }, tr.t('agreement.s3')),
      h('p', null, c.shares && c.shares.length
        ? tr.t('agreement.fee_text', { total: yuan(c.fee_fen), own: yuan(residentFee ? residentFee.amount_fen : 0) })
        : tr.t('agreement.fee_text_none')),
      shares),

    h('section', { class: 'ag-section' },
      h('h2', { class: 'ag-h2' }, tr.t('agreement.s4')),
      clauses(tr, 'agreement.a', 4)),
    h('section', { class: 'ag-section' },
      h('h2', { class: 'ag-h2' }, tr.t('agreement.s5')),
      clauses(tr, 'agreement.b', 4)),
    h('section', { class: 'ag-section' },
      h('h2', { class: 'ag-h2' }, tr.t('agreement.s6')),
      clauses(tr, 'agreement.o', 3)),

    h('section', { class: 'ag-signatures', 'data-testid': 'agreement-signatures' },
      h('div', { class: 'ag-sign' },
        h('p', { class: 'ag-sign-role' }, tr.t('agreement.party_a_short')),
        h('p', { class: 'ag-sign-line' }, h('span', null, tr.t('agreement.sign_resident')), h('span', { class: 'ag-line' })),
        h('p', { class: 'ag-sign-line' }, h('span', null, tr.t('agreement.sign_date')), h('span', { class: 'ag-line' }))),
      h('div', { class: 'ag-sign' },
        h('p', { class: 'ag-sign-role' }, tr.t('agreement.party_b_short')),
        h('p', { class: 'ag-sign-line' }, h('span', null, tr.t('agreement.sign_doctor')), h('span', { class: 'ag-line' })),
        h('p', { class: 'ag-sign-line' }, h('span', null, tr.t('agreement.sign_date')), h('span', { class: 'ag-line' })),
        h('p', { class: 'ag-seal' }, tr.t('agreement.seal')))),
    h('footer', { class: 'ag-footer' }, tr.t('agreement.footer', { date: formatDateTime(c.signed_at).slice(0, 10), id: c.id })));

  return h('div', { class: 'page agreement-page', 'data-testid': 'agreement-page' }, toolbar, doc);
}
