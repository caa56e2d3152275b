/* login.js - the log-in screen. After logging in the user goes back to where a
 * lapsed session interrupted them (?next=) or to their role's home screen. */
import { errorText } from '../api.js';
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
      const user = await session.login(username.value.trim(), password.value);
      const next = ctx.query.get('next');
      const target = next && next.startsWith('#/') && !next.startsWith('#/login') && user.role !== 'resident' ? next : homeRoute(user);
      location.hash = target;
    } catch (error) {
      if (!ctx.alive()) return;
      errorHost.appendChild(h('div', { class: 'alert alert-error', role: 'alert' }, errorText(error)));
      submit.disabled = false;
      submit.textContent = t('login.submit');
      password.select();
    }
  });

  setTimeout(() => username.focus(), 0);

  return h('div', { class: 'login-page' },
    h('div', { class: 'login-hero', 'aria-hidden': 'true' },
      h('div', { class: 'login-hero-mark' }, icon('cross', 'login-cross')),
      h('div', { class: 'login-hero-text' },
        h('p', { class: 'login-hero-title' }, t('app.name')),
        h('p', { class: 'login-hero-sub' }, t('app.subtitle')))),
    h('section', { class: 'card login-card', 'data-testid': 'login-card' },
      h('h1', { class: 'login-title' }, t('login.title')),
      h('p', { class: 'login-hint' }, t('login.hint')),
      form,
      h('p', { class: 'login-footer' }, t('login.footer'))));
}
