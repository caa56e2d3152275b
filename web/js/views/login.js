/* login.js - the log-in screen. After logging in the user goes back to where a
 * lapsed session interrupted them (?next=) or to their role's home screen.
 * Two tabs: 密码登录 (username and password) and 验证码登录 for residents - the phone number,
 * POST /session/code (202 whether or not the phone is known), a six-digit code from the SMS,
 * POST /session {phone, code}; a new code can be asked for after a minute (the countdown). */
import { api, errorText } from '../api.js';
import { h, clear, icon } from '../dom.js';
import { t } from '../i18n.js';
import { homeRoute } from '../roles.js';
import * as session from '../session.js';

export async function loginView(ctx) {
  ctx.setTitle(t('login.title'));
  const errorHost = h('div', { class: 'login-error', 'data-testid': 'login-error', 'aria-live': 'assertive' });
  const username = h('input', {
    id: 'login-username', name: 'username', type: 'text', autocomplete: 'username', autocapitalize: 'none',
    spellcheck: 'false', required: true, class: 'input', 'data-testid': 'login-username',
  });
  const password = h('input', {
    id: 'login-password', name: 'password', type: 'password', autocomplete: 'current-password', required: true,
    class: 'input', 'data-testid': 'login-password',
  });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary btn-block btn-large', 'data-testid': 'login-submit' }, t('login.submit'));

  const form = h('form', { class: 'login-form', novalidate: true },
    h('div', { class: 'field' }, h('label', { class: 'field-label', for: 'login-username' }, t('login.username')), username),
    h('div', { class: 'field' }, h('label', { class: 'field-label', for: 'login-password' }, t('login.password')), password),
    errorHost,
    submit);

  const goHome = (user) => {
    const next = ctx.query.get('next');
    location.hash = next && next.startsWith('#/') && !next.startsWith('#/login') && user.role !== 'resident' ? next : homeRoute(user);
  };

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clear(errorHost);
    if (!username.value.trim() || !password.value) {
      errorHost.appendChild(h('div', { class: 'alert alert-error', role: 'alert' }, t('login.required')));
      return;
    }
    submit.disabled = true;
    submit.textContent = t('login.submitting');
    try {
      goHome(await session.login(username.value.trim(), password.value));
    } catch (error) {
      if (!ctx.alive()) return;
      errorHost.appendChild(h('div', { class: 'alert alert-error', role: 'alert' }, errorText(error)));
      submit.disabled = false;
      submit.textContent = t('login.submit');
      password.select();
    }
  });

  const codeForm = codeLogin(ctx, goHome);
  const useCode = ctx.query.get('with') === 'code';
  const tab = (which, text) => h('button', {
    type: 'button', role: 'tab', id: `login-tab-${which}`, class: 'login-tab', 'data-testid': `login-tab-${which}`,
    'aria-controls': `login-panel-${which}`, 'aria-selected': String((which === 'code') === useCode),
    onclick: () => choose(which),
  }, text);
  const tabs = h('div', { class: 'login-tabs', role: 'tablist' }, tab('password', t('login.tab_password')), tab('code', t('login.tab_code')));
  const panels = {
    password: h('div', { id: 'login-panel-password', role: 'tabpanel', 'aria-labelledby': 'login-tab-password', hidden: useCode }, form),
    code: h('div', { id: 'login-panel-code', role: 'tabpanel', 'aria-labelledby': 'login-tab-code', hidden: !useCode }, codeForm),
  };
  function choose(which) {
    for (const [name, panel] of Object.entries(panels)) {
      panel.hidden = name !== which;
      tabs.querySelector(`#login-tab-${name}`).setAttribute('aria-selected', String(name === which));
    }
    (which === 'code' ? codeForm.querySelector('input') : username).focus();
  }

  setTimeout(() => (useCode ? codeForm.querySelector('input') : username).focus(), 0);

  return h('div', { class: 'login-page' },
    h('div', { class: 'login-hero', 'aria-hidden': 'true' },
      h('div', { class: 'login-hero-mark' }, icon('cross', 'login-cross')),
      h('div', { class: 'login-hero-text' },
        h('p', { class: 'login-hero-title' }, t('app.name')),
        h('p', { class: 'login-hero-sub' }, t('app.subtitle')))),
    h('section', { class: 'card login-card', 'data-testid': 'login-card' },
      h('h1', { class: 'login-title' }, t('login.title')),
      h('p', { class: 'login-hint' }, t('login.hint')),
      tabs, panels.password, panels.code,
      h('p', { class: 'login-footer' }, t('login.footer'))));
}

const RESEND_SECONDS = 60;

/* 验证码登录: the phone, 获取验证码 with its countdown, the code box, 登录. */
function codeLogin(ctx, goHome) {
  const errorHost = h('div', { class: 'login-error', 'data-testid': 'code-error', 'aria-live': 'assertive' });
  const sentHost = h('p', { class: 'login-code-sent', 'data-testid': 'code-sent', 'aria-live': 'polite' });
  const phone = h('input', {
    id: 'login-phone', name: 'phone', type: 'tel', inputmode: 'numeric', autocomplete: 'tel', maxlength: '11',
    class: 'input input-large', 'data-testid': 'code-phone',
  });
  const code = h('input', {
    id: 'login-code', name: 'code', type: 'text', inputmode: 'numeric', autocomplete: 'one-time-code', maxlength: '6',
    pattern: '[0-9]*', class: 'input input-large login-code-input', 'data-testid': 'code-code',
  });
  const ask = h('button', { type: 'button', class: 'btn btn-secondary login-code-ask', 'data-testid': 'code-ask' }, t('login.code_ask'));
  const submit = h('button', { type: 'submit', class: 'btn btn-primary btn-block btn-large', 'data-testid': 'code-submit' }, t('login.submit'));
  const form = h('form', { class: 'login-form', novalidate: true, 'data-testid': 'code-form' },
    h('p', { class: 'login-code-help' }, t('login.code_help')),
    h('div', { class: 'field' }, h('label', { class: 'field-label', for: 'login-phone' }, t('login.phone')), phone),
    h('div', { class: 'field' }, h('label', { class: 'field-label', for: 'login-code' }, t('login.code')),
      h('div', { class: 'login-code-row' }, code, ask)),
    sentHost, errorHost, submit);

  const say = (text) => {
    clear(errorHost);
    if (text) errorHost.appendChild(h('div', { class: 'alert alert-error', role: 'alert' }, text));
  };
  const phoneOk = () => /^1\d{10}$/.test(phone.value.trim());
  let timer = null;
  const countdown = (seconds) => {
    clearInterval(timer);
    let left = seconds;
    const tick = () => {
      if (!ask.isConnected || left <= 0) {
        clearInterval(timer);
        ask.disabled = false;
        ask.textContent = t('login.code_again');
        return;
      }
      ask.disabled = true;
      ask.textContent = t('login.code_wait', { n: left });
      left -= 1;
    };
    tick();
    timer = setInterval(tick, 1000);
  };

  ask.addEventListener('click', async () => {
    say(null);
    if (!phoneOk()) {
      say(t('login.phone_bad'));
      phone.focus();
      return;
    }
    ask.disabled = true;
    try {
      const r = await api.post('/session/code', { phone: phone.value.trim() }, { quiet401: true });
      const minutes = Math.max(1, Math.round(((r && r.expires_in) || 300) / 60));
      sentHost.textContent = t('login.code_sent', { phone: phone.value.trim(), n: minutes });
      countdown(RESEND_SECONDS);
      code.focus();
    } catch (error) {
      if (!ctx.alive()) return;
      ask.disabled = false;
      say(error.status === 429 ? t('login.code_too_many') : error.status === 404 ? t('login.code_unavailable') : errorText(error));
      if (error.status === 429) countdown(RESEND_SECONDS);
    }
  });

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    say(null);
    if (!phoneOk()) {
      say(t('login.phone_bad'));
      return;
    }
    if (!/^\d{6}$/.test(code.value.trim())) {
      say(t('login.code_bad'));
      code.focus();
      return;
    }
    submit.disabled = true;
    submit.textContent = t('login.submitting');
    try {
      goHome(await session.loginWithCode(phone.value.trim(), code.value.trim()));
    } catch (error) {
      if (!ctx.alive()) return;
      say(error.status === 429 ? t('login.code_too_many') : error.status === 401 || error.status === 422 ? t('login.code_wrong') : errorText(error));
      submit.disabled = false;
      submit.textContent = t('login.submit');
      code.select();
    }
  });
  return form;
}
