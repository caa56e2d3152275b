/* packages.js - the service-package catalogue in the browser: who may sign a package and
 * what a selection costs each payer, so the signing screen can show a live total. Each
 * package's split comes from the server (GET /packages gives its fee_shares, computed by the
 * rule a signing uses); this only adds the selected ones up. The server's answer is
 * authoritative: a signing it refuses is shown with its reason, and the contract page shows
 * the shares it stored. Money is integer fen throughout. */
import { api } from './api.js';
import { ageFrom } from './format.js';
import { lang, t, label } from './i18n.js';

let catalogue = null;

/* The current catalogue (GET /packages), cached for the page's life. */
export async function packages() {
  if (!catalogue) {
    catalogue = api.get('/packages').then((data) => data.items || []).catch((error) => {
      catalogue = null;
      throw error;
    });
  }
  return catalogue;
}

/* Forgets the cached catalogue (after the administrator publishes a package). */
export function resetPackages() {
  catalogue = null;
}

/* A package's (or a signed package version's, or an entitlement's) name in the UI language. */
export function packageName(p) {
  if (!p) return '—';
  return lang() === 'en' && p.name_en ? p.name_en : p.name;
}

/* The fee and its shares for packages signed together, in the order given: each
 * package's split (the server's), one payer's shares added up, payers in order of first
 * appearance (as the server merges them). */
export function priceSelection(selected) {
  const shares = [];
  let fee = 0;
  for (const p of selected) {
    fee += p.price_fen;
    for (const part of p.fee_shares || []) {
      const same = shares.find((s) => s.payer === part.payer);
      if (same) same.amount_fen += part.amount_fen;
      else shares.push({ ...part });
    }
  }
  return { fee_fen: fee, shares };
}

/* Why a resident may not sign a package on `startIso` (their age on that day, their
 * population class, their active programs), or null when they may. */
export function ineligibility(pkg, resident, startIso) {
  const e = pkg.eligibility || {};
  const age = ageFrom(resident.birth_date, startIso);
  if (e.min_age !== null && e.min_age !== undefined && age !== null && age < e.min_age) {
    return { code: 'too_young', text: t('elig.too_young', { n: e.min_age }) };
  }
  if (e.max_age !== null && e.max_age !== undefined && age !== null && age > e.max_age) {
    return { code: 'too_old', text: t('elig.too_old', { n: e.max_age }) };
  }
  if (e.required_class && Number(resident.population_class) !== Number(e.required_class)) {
    return { code: 'wrong_class', text: t('elig.wrong_class', { cls: t(`class.${e.required_class}`) }) };
  }
  if (e.required_program) {
    const programs = resident.programs || (resident.enrolments || []).map((x) => x.program);
    if (!programs.includes(e.required_program)) {
      return { code: 'not_enrolled', text: t('elig.not_enrolled', { program: label('program', e.required_program) }) };
    }
  }
  return null;
}

/* The criteria of a package in words ("35岁及以上 · 高血压管理"), or '' when anyone may sign. */
export function criteriaText(pkg) {
  const e = pkg.eligibility || {};
  const parts = [];
  const hasMin = e.min_age !== null && e.min_age !== undefined;
  const hasMax = e.max_age !== null && e.max_age !== undefined;
  if (hasMin && hasMax) parts.push(t('elig.age_range', { min: e.min_age, max: e.max_age }));
  else if (hasMin) parts.push(t('elig.age_min', { n: e.min_age }));
  else if (hasMax) parts.push(t('elig.age_max', { n: e.max_age }));
  if (e.required_class) parts.push(t(`class.${e.required_class}`));
  if (e.required_program) parts.push(t('elig.program', { program: label('program', e.required_program) }));
  return parts.join(' · ');
}

/* What renewing the packages `codes` costs at today's catalogue, priced as the server prices
 * a renewal: {fee_fen, shares, resident_fen} (resident_fen: the resident's own share), or
 * null when a code is no longer on offer (the server then refuses the renewal itself). */
export async function renewalPrice(codes) {
  const list = await packages();
  const chosen = codes.map((code) => list.find((p) => p.code === code));
  if (!chosen.length || chosen.some((p) => !p)) return null;
  const priced = priceSelection(chosen);
  const own = priced.shares.find((s) => s.payer === 'resident');
  return { ...priced, resident_fen: own ? own.amount_fen : 0 };
}
