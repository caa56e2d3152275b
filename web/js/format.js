/* format.js - dates, times and ages as people in the county read them.
 * Times come from the server in UTC; they are shown in China Standard Time, the
 * institutions' zone, whatever the browser's own zone is. */
import { t } from './i18n.js';

const ZONE = 'Asia/Shanghai';

/* The server's today (GET /session: JIAYI_TODAY when the server runs with one), so defaults,
 * ages and "ends in n days" agree with the server whatever the browser's clock says. */
let serverToday = null;
export function setServerToday(iso) {
  serverToday = /^\d{4}-\d{2}-\d{2}$/.test(iso || '') ? iso : null;
}

/* Today's date, YYYY-MM-DD: the server's, else the institutions' zone's on this browser. */
export function todayIso() {
  if (serverToday) return serverToday;
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(new Date());
  const get = (type) => parts.find((p) => p.type === type).value;
  return `${get('year')}-${get('month')}-${get('day')}`;
}

export function addDaysIso(iso, days) {
  const [y, m, d] = iso.split('-').map(Number);
  const date = new Date(Date.UTC(y, m - 1, d + days));
  return date.toISOString().slice(0, 10);
}

export function formatDate(iso) {
  return iso ? String(iso).slice(0, 10) : '—';
}

export function formatDateTime(iso) {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return String(iso);
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  }).formatToParts(date);
  const get = (type) => parts.find((p) => p.type === type).value;
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}`;
}

/* Age in whole years on `onIso` (default today) from a YYYY-MM-DD birth date. */
export function ageFrom(birthIso, onIso = todayIso()) {
  if (!birthIso) return null;
  const [by, bm, bd] = birthIso.split('-').map(Number);
  const [y, m, d] = onIso.split('-').map(Number);
  let age = y - by;
  if (m < bm || (m === bm && d < bd)) age -= 1;
  return age;
}

export function formatAge(age) {
  if (age === null || age === undefined) return '—';
  return t('format.age', { n: age });
}

export function formatPercent(rate) {
  if (rate === null || rate === undefined) return '—';
  return `${(rate * 100).toFixed(1)}%`;
}

/* Money is integer fen on the wire; shown as yuan with two decimals: 12000 → ¥120.00. */
export function formatYuan(fen) {
  if (fen === null || fen === undefined || Number.isNaN(Number(fen))) return '—';
  const n = Math.round(Number(fen));
  const sign = n < 0 ? '-' : '';
  const abs = Math.abs(n);
  const yuan = Math.floor(abs / 100).toLocaleString('en-US');
  return `${sign}¥${yuan}.${String(abs % 100).padStart(2, '0')}`;
}

/* Whole days from `fromIso` to `toIso` (both YYYY-MM-DD); negative when `toIso` is earlier. */
export function daysBetween(fromIso, toIso) {
  const parse = (iso) => {
    const [y, m, d] = iso.split('-').map(Number);
    return Date.UTC(y, m - 1, d);
  };
  return Math.round((parse(toIso) - parse(fromIso)) / 86400000);
}
