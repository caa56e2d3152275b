/* trends.js - the resident page's trend card (健康指标趋势): blood pressure with the 140/90
 * mmHg lines and fasting glucose with the 7.0 mmol/L line (the control targets of
 * PROTOCOLS.md §3-§4), over the last 24 months, from GET /residents/{id}/measurements.
 * The card appears only when there is something to draw; ECharts is fetched when it does. */
import { api } from '../api.js';
import { h, card, clear } from '../dom.js';
import { t } from '../i18n.js';
import { formatDate, todayIso } from '../format.js';
import { loadEcharts, drawChart } from '../charts.js';

export const TREND_MONTHS = 24;
const SBP_LIMIT = 140;
const DBP_LIMIT = 90;
const FBG_LIMIT = 7.0;
const COLORS = { sbp: '#1d64a8', dbp: '#0b7a75', fbg: '#b9560b', limit: '#c0362c' };

function monthsBefore(iso, months) {
  const [y, m, d] = iso.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1 - months, d)).toISOString().slice(0, 10);
}

/* The first day of the window the measurements are read for, YYYY-MM-DD. */
export function trendFrom(today = todayIso()) {
  return monthsBefore(today, TREND_MONTHS);
}

/* Where the date axis starts: at least a year back, further (up to the whole window) when
 * the readings go further, so that one recent visit is not stretched over two years. */
function axisStart(points) {
  const yearAgo = monthsBefore(todayIso(), 12);
  return points.length && points[0].date < yearAgo ? points[0].date : yearAgo;
}

/* The measurements of the window; [] when they cannot be read (the card is then left out). */
export function loadMeasurements(id) {
  return api.get(`/residents/${id}/measurements`, { from: trendFrom() }).then((d) => d.items || []).catch(() => []);
}

/* The target line; `large` (the portal) labels it at the start, clear of the recent points. */
function referenceLine(value, large) {
  return {
    silent: true,
    symbol: 'none',
    lineStyle: { type: 'dashed', color: COLORS.limit, width: 1.5 },
    label: { formatter: String(value), position: large ? 'insideStartTop' : 'insideEndTop', color: COLORS.limit, fontSize: large ? 13 : 11 },
    data: [{ yAxis: value }],
  };
}

function series(name, key, points, color, limit, large) {
  return {
    name, type: 'line', color, symbolSize: large ? 9 : 7, showSymbol: true, showAllSymbol: true, connectNulls: true,
    data: points.filter((p) => p[key] !== undefined && p[key] !== null).map((p) => [p.date, p[key]]),
    markLine: referenceLine(limit, large),
  };
}

/* Shared frame: a date axis over the whole window so that gaps between visits show.
 * `large` is the resident portal's: bigger labels for older eyes. */
function baseOption(from, unit, yBounds, large) { /* from: the axis start */
  const font = getComputedStyle(document.body).fontFamily;
  const size = large ? 14 : 11;
  return {
    animation: false, /* a handful of points: drawn at once, and the same in every screenshot */
    textStyle: { fontFamily: font },
    grid: { left: 4, right: 28, top: large ? 40 : 32, bottom: 4, containLabel: true },
    legend: { top: 0, left: 0, itemWidth: 18, textStyle: { fontSize: size + 1 } },
    tooltip: { trigger: 'axis', valueFormatter: (v) => `${v} ${unit}` },
    xAxis: {
      type: 'time', min: from, max: todayIso(), splitNumber: large ? 3 : 4,
      axisLabel: { formatter: '{yyyy}-{MM}', hideOverlap: true, fontSize: size },
    },
    yAxis: { type: 'value', scale: true, axisLabel: { fontSize: size }, ...yBounds }, /* the unit is in the heading */
  };
}

function bpOption(points, from, large, limits) {
  return {
    ...baseOption(from, 'mmHg', {
      min: (v) => Math.floor((Math.min(v.min, limits.dbp) - 10) / 10) * 10,
      max: (v) => Math.ceil((Math.max(v.max, limits.sbp) + 10) / 10) * 10,
    }, large),
    series: [series(t('trend.sbp'), 'sbp', points, COLORS.sbp, limits.sbp, large), series(t('trend.dbp'), 'dbp', points, COLORS.dbp, limits.dbp, large)],
  };
}

function fbgOption(points, from, large, limits) {
  return {
    ...baseOption(from, 'mmol/L', {
      min: (v) => Math.max(0, Math.floor(Math.min(v.min, limits.fbg) - 1)),
      max: (v) => Math.ceil(Math.max(v.max, limits.fbg) + 1),
    }, large),
    series: [series(t('trend.fbg_series'), 'fbg', points, COLORS.fbg, limits.fbg, large)],
  };
}

/* Resolves once `el` is in the page (the view is built before <main> shows it). */
function inPage(el) {
  return new Promise((resolve) => {
    let frames = 0;
    const check = () => {
      if (el.isConnected) resolve(true);
      else if (++frames > 600) resolve(false);
      else requestAnimationFrame(check);
    };
    check();
  });
}

/* One chart block: a heading, the latest reading in words (also for screen readers), the canvas. */
function block(kind, title, latest, testid) {
  const canvas = h('div', { class: 'trend-chart', 'data-testid': testid, role: 'img', 'aria-label': `${title} · ${latest}` });
  return {
    canvas,
    node: h('div', { class: 'trend-block', 'data-kind': kind },
      h('div', { class: 'trend-head' }, h('h3', { class: 'trend-title' }, title), h('span', { class: 'muted small' }, latest)),
      canvas),
  };
}

/* The card, or null when no blood pressure or glucose was measured in the window. The
 * resident portal gives its own title and lead, asks for `large` labels and passes the
 * person's own target lines (`limits`: {sbp, dbp, fbg}; 150 mmHg systolic from 65). */
export function trendsCard(points, {
  title = t('trend.title'), lead = t('trend.range', { n: TREND_MONTHS }), large = false,
  limits = { sbp: SBP_LIMIT, dbp: DBP_LIMIT, fbg: FBG_LIMIT },
} = {}) {
  const bp = points.filter((p) => p.sbp !== undefined && p.sbp !== null);
  const fbg = points.filter((p) => p.fbg !== undefined && p.fbg !== null);
  if (!bp.length && !fbg.length) return null;
  const blocks = [];
  if (bp.length) {
    const last = bp[bp.length - 1];
    const b = block('bp', t('trend.bp'), t('trend.latest', { value: `${last.sbp}/${last.dbp} mmHg`, date: formatDate(last.date) }), 'trend-bp');
    blocks.push({ ...b, option: () => bpOption(bp, axisStart(bp), large, limits) });
  }
  if (fbg.length) {
    const last = fbg[fbg.length - 1];
    const b = block('fbg', t('trend.fbg'), t('trend.latest', { value: `${last.fbg} mmol/L`, date: formatDate(last.date) }), 'trend-fbg');
    blocks.push({ ...b, option: () => fbgOption(fbg, axisStart(fbg), large, limits) });
  }
  const body = h('div', { class: 'trend-blocks' }, blocks.map((b) => b.node));
  loadEcharts().then(async (echarts) => {
    if (!(await inPage(body))) return;
    for (const b of blocks) {
      drawChart(echarts, b.canvas, b.option());
      b.canvas.setAttribute('data-drawn', 'true');
    }
  }).catch((error) => {
    clear(body);
    body.appendChild(h('div', { class: 'alert alert-error', role: 'alert', 'data-testid': 'trend-error' }, t('trend.load_error')));
    console.warn(error);
  });
  return card(title, [h('p', { class: 'muted small card-lead' }, lead), body], { testid: 'card-trends', cls: large ? 'card-trends-large' : '' });
}
