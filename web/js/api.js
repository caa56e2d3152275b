/* api.js - the one place the UI talks to the server.
 *
 * Authentication is the HttpOnly session cookie (credentials: 'same-origin'); every
 * request that is not a GET carries the CSRF token the server gave at login, kept in
 * sessionStorage so a reload keeps it (GET /session hands it out again at start-up).
 * Errors come back as application/problem+json and are thrown as ApiError with the
 * server's machine `code`, the offending `field` and the translated `detail`. */
import { lang, t } from './i18n.js';

const BASE = '/api/v1';
const CSRF_KEY = 'jiayi.csrf';

export class ApiError extends Error {
  constructor(status, problem) {
    const detail = problem.detail || problem.title || t('app.error_generic');
    super(detail);
    this.name = 'ApiError';
    this.status = status;
    this.code = problem.code || 'error';
    this.field = problem.field || null;
    /* the offending value, when the server names it (a package code for package_not_eligible) */
    this.value = problem.value ?? null;
    /* where in an uploaded file (a CSV refused whole), 1-based */
    this.row = problem.row ?? null;
    this.column = problem.column ?? null;
    this.detail = detail;
    /* the message alone, without the field's code: what a form shows beside the field */
    this.title = problem.title || detail;
    /* the whole problem body, for answers that carry more (a refusal's reasons) */
    this.problem = problem;
  }
}

let unauthorizedHandler = null;

/* Called with the error when a request other than the log-in itself answers 401. */
export function onUnauthorized(fn) {
  unauthorizedHandler = fn;
}

export function setCsrf(token) {
  try {
    if (token) sessionStorage.setItem(CSRF_KEY, token);
    else sessionStorage.removeItem(CSRF_KEY);
  } catch {
    /* storage disabled: GET /session restores it on the next load */
  }
}

function csrf() {
  try {
    return sessionStorage.getItem(CSRF_KEY) || '';
  } catch {
    return '';
  }
}

function queryString(query) {
  if (!query) return '';
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v !== undefined && v !== null && v !== '') p.set(k, String(v));
  }
  const s = p.toString();
  return s ? `?${s}` : '';
}

/* request('GET', '/residents', {query: {q}}) → parsed JSON, or throws ApiError.
 * `quiet401` keeps a 401 from sending the user to the log-in page (start-up probe, log-in);
 * `headers` adds request headers (the offline queue's Idempotency-Key). */
export async function request(method, path, { query, body, raw, contentType, quiet401 = false, headers: extra } = {}) {
  const headers = { Accept: 'application/json', 'Accept-Language': lang() === 'en' ? 'en' : 'zh-CN', ...extra };
  const init = { method, headers, credentials: 'same-origin', cache: 'no-store' };
  if (method !== 'GET' && method !== 'HEAD') {
    headers['X-CSRF-Token'] = csrf();
    if (raw !== undefined) {
      headers['Content-Type'] = contentType || 'application/octet-stream';
      init.body = raw;
    } else if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
  }
  let response;
  try {
    response = await fetch(BASE + path + queryString(query), init);
  } catch {
    throw new ApiError(0, { code: 'network', detail: t('app.error_network') });
  }
  const type = response.headers.get('Content-Type') || '';
  let data = null;
  if (type.includes('json')) {
    try {
      data = await response.json();
    } catch {
      data = null;
    }
  }
  if (response.ok) return data;
  const problem = data && typeof data === 'object' ? data : { code: 'http_' + response.status, detail: `${t('app.error_generic')} (HTTP ${response.status})` };
  const error = new ApiError(response.status, problem);
  if (response.status === 401 && !quiet401 && unauthorizedHandler) unauthorizedHandler(error);
  throw error;
}

export const api = {
  get: (path, query, options = {}) => request('GET', path, { ...options, query }),
  post: (path, body, options = {}) => request('POST', path, { ...options, body: body ?? {} }),
  put: (path, body, options = {}) => request('PUT', path, { ...options, body: body ?? {} }),
  patch: (path, body, options = {}) => request('PATCH', path, { ...options, body: body ?? {} }),
  del: (path, options = {}) => request('DELETE', path, options),
};

/* The message to show for an error: the server's translated detail, plus the field. */
export function errorText(error) {
  if (!(error instanceof ApiError)) return t('app.error_generic');
  const text = fieldText(error);
  if (!error.row) return text;
  const where = t('app.file_position', { row: error.row, column: error.column });
  return lang() === 'en' ? `${text} (${where})` : `${text}（${where}）`;
}

function fieldText(error) {
  if (error.field && !error.detail.includes(error.field)) {
    const fieldKey = `field.${error.field}`;
    const fieldName = t(fieldKey) === fieldKey ? error.field : t(fieldKey);
    const field = t('app.field', { field: fieldName });
    return lang() === 'en' ? `${error.detail} (${field})` : `${error.detail}（${field}）`;
  }
  return error.detail;
}
