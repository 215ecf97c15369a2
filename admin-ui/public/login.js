// @ts-check
/**
 * The login page before the console's bundle has arrived (the form itself is in index.html).
 *
 * Loaded synchronously in <head>, so it decides before the first paint: signed out → the form
 * (data-boot="login"), signed in → the loading sign. It signs in through the same API as the console
 * (POST /api/auth/login, the SSO return through /api/auth/refresh), stores the session where the
 * console's http client reads it (localStorage "jlt.session") and hands over: when the console has
 * mounted its login route (layout/LoginPage.tsx attaches through window.jltLogin), it finishes the
 * sign-in with react-admin's login (the page asked for, the query cache); otherwise the console
 * starts signed in and its login route hands over the moment it mounts.
 *
 * No imports and no build step (the CSP allows no inline script): plain JS, type-checked with
 * admin-ui/tsconfig.json.
 */
(function () {
  'use strict';

  var SESSION_KEY = 'jlt.session';
  // react-admin's localStorageStore('1', 'jlt') keeps the console's language under this key (JSON).
  var LOCALE_KEY = 'RaStorejlt.locale';

  /** @type {Record<'zh-CN' | 'en', Record<string, string>>} */
  var TEXT = {
    'zh-CN': {
      title: '教联体登记与审批',
      subtitle: '家校社协同育人“教联体”',
      username: '用户名',
      password: '密码',
      signIn: '登录',
      or: '或',
      sso: '使用%{label}登录',
      required: '必填',
      showPassword: '显示密码',
      hidePassword: '隐藏密码',
      signInError: '登录失败，请重试',
      httpError: '与服务器通信出错',
      otherLanguage: 'English',
      otherLanguageName: '切换到英文 / Switch to English',
      'sso.unknown_user': '统一身份认证账号“%{user}”在本系统中没有对应用户，请联系系统管理员开通。',
      'sso.inactive': '账号“%{user}”已停用，请联系系统管理员。',
      'sso.no_claim': '身份认证平台未提供用户名，无法登录。',
      'sso.expired': '单点登录已超时，请重试。',
      'sso.provider': '身份认证平台拒绝了登录。',
      'sso.failed': '单点登录失败，请重试或使用密码登录。',
    },
    en: {
      title: 'Alliance registrations',
      subtitle: 'School–family–community education alliances',
      username: 'Username',
      password: 'Password',
      signIn: 'Sign in',
      or: 'or',
      sso: 'Sign in with %{label}',
      required: 'Required',
      showPassword: 'Show password',
      hidePassword: 'Hide password',
      signInError: 'Authentication failed, please retry',
      httpError: 'Server communication error',
      otherLanguage: '中文',
      otherLanguageName: '切换到中文 / Switch to Chinese',
      'sso.unknown_user': 'The single sign-on account “%{user}” has no user in this system; ask an administrator to create one.',
      'sso.inactive': 'The account “%{user}” is deactivated; contact an administrator.',
      'sso.no_claim': 'The identity provider sent no username; cannot sign in.',
      'sso.expired': 'The single sign-on attempt expired; try again.',
      'sso.provider': 'The identity provider refused the sign-in.',
      'sso.failed': 'Single sign-on failed; try again or use your password.',
    },
  };

  /** @typedef {{ token: string; refreshToken: string; user: Record<string, unknown> }} Session */
  /** @typedef {{ onSignedIn(session: Session): void; onLocale(locale: string): void }} Attached */

  /** @type {'zh-CN' | 'en'} */
  var locale = storedLocale();
  /** @type {Attached | null} */
  var attached = null;
  /** @type {{ enabled: boolean; label?: string; loginUrl?: string } | null} */
  var oidc = null;
  /** @type {{ key: string; user: string } | null} */
  var ssoError = null;
  /** @type {{ key?: string; message?: string } | null} */
  var formError = null;
  var busy = false;
  /** The SSO return's token is being exchanged: the loading sign stays, even when the console mounts meanwhile. */
  var ssoPending = false;

  /** @returns {'zh-CN' | 'en'} */
  function storedLocale() {
    try {
      return JSON.parse(localStorage.getItem(LOCALE_KEY) || 'null') === 'en' ? 'en' : 'zh-CN';
    } catch (_e) {
      return 'zh-CN';
    }
  }

  /** @returns {Session | null} */
  function getSession() {
    try {
      var raw = localStorage.getItem(SESSION_KEY);
      return raw ? JSON.parse(raw) : null;
    } catch (_e) {
      return null;
    }
  }

  /** @param {string} key @param {Record<string, string>} [args] */
  function t(key, args) {
    var text = TEXT[locale][key] || TEXT['zh-CN'][key] || key;
    return text.replace(/%\{(\w+)\}/g, function (_m, name) {
      return args && args[name] !== undefined ? args[name] : '';
    });
  }

  /** The API writes "中文 / English": the half of the current language (as providers/localize.ts). @param {string} message */
  function localize(message) {
    var match = /\s?\/\s+(?=[A-Za-z])/.exec(message);
    if (!match || !/[\u3400-\u9fff]/.test(message.slice(0, match.index))) return message;
    return locale === 'en' ? message.slice(match.index + match[0].length).trim() : message.slice(0, match.index).trim();
  }

  /** @param {string} id */
  function el(id) {
    return /** @type {HTMLElement} */ (document.getElementById(id));
  }

  /** @param {'login' | 'app'} what */
  function show(what) {
    document.documentElement.setAttribute('data-boot', what);
    if (what === 'login') offerSso();
  }

  var asked = false;
  /** The SSO button, when the server has an OpenID Connect provider (asked once, when the form is first shown). */
  function offerSso() {
    if (asked) return;
    asked = true;
    fetch('/api/auth/providers')
      .then(function (res) {
        return res.ok ? res.json() : null;
      })
      .then(function (body) {
        oidc = body && body.oidc ? body.oidc : null;
        render();
      })
      .catch(function () {
        /* no SSO offer */
      });
  }

  /** Writes every text of the page in the current language (and the field messages, the errors). */
  function render() {
    // Until the page has parsed, the readystatechange below renders.
    if (document.readyState === 'loading' || !document.getElementById('login')) return;
    document.documentElement.lang = locale;
    document.querySelectorAll('#login [data-text]').forEach(function (node) {
      node.textContent = t(/** @type {string} */ (node.getAttribute('data-text')));
    });
    var lang = el('login-lang');
    lang.textContent = t('otherLanguage');
    lang.lang = locale === 'en' ? 'zh-CN' : 'en';
    lang.setAttribute('aria-label', t('otherLanguageName'));
    var password = /** @type {HTMLInputElement} */ (el('login-password'));
    el('login-toggle').setAttribute('aria-label', t(password.type === 'password' ? 'showPassword' : 'hidePassword'));
    ['username', 'password'].forEach(function (name) {
      var input = /** @type {HTMLInputElement} */ (el('login-' + name));
      var invalid = input.getAttribute('aria-invalid') === 'true';
      el('login-' + name + '-help').textContent = invalid ? t('required') : '';
    });
    el('login-error').textContent = formError ? (formError.key ? t(formError.key) : localize(formError.message || '')) : '';
    var submit = el('login-submit');
    submit.setAttribute('aria-busy', String(busy));
    var offer = !!(oidc && oidc.enabled && oidc.loginUrl);
    el('login-sso-offer').hidden = !offer;
    var ssoButton = /** @type {HTMLAnchorElement} */ (el('login-sso-button'));
    if (offer && oidc) {
      ssoButton.href = /** @type {string} */ (oidc.loginUrl);
      ssoButton.textContent = t('sso', { label: oidc.label || '' });
    }
    el('login-sso-error').textContent = ssoError ? t('sso.' + ssoError.key, { user: ssoError.user }) || t('sso.failed') : '';
    el('login-sso').hidden = !offer && !ssoError;
  }

  /** Stored, then handed to the console (now, or when its login route mounts). @param {Session} session */
  function signedIn(session) {
    // The next person at this screen (after a sign-out) starts from empty fields.
    var form = /** @type {HTMLFormElement | null} */ (document.getElementById('login-form'));
    if (form) form.reset();
    formError = null;
    ssoError = null;
    localStorage.setItem(SESSION_KEY, JSON.stringify({ token: session.token, refreshToken: session.refreshToken, user: session.user }));
    if (attached) attached.onSignedIn(getSession() || session);
    else show('app');
  }

  /** @param {string} url @param {unknown} body */
  function post(url, body) {
    return fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json' }, body: JSON.stringify(body) });
  }

  /** @param {SubmitEvent} event */
  function submit(event) {
    var form = /** @type {HTMLFormElement} */ (event.target);
    if (!form || form.id !== 'login-form') return;
    event.preventDefault();
    if (busy) return;
    var username = /** @type {HTMLInputElement} */ (el('login-username'));
    var password = /** @type {HTMLInputElement} */ (el('login-password'));
    var missing = [username, password].filter(function (input) {
      return !input.value;
    });
    [username, password].forEach(function (input) {
      input.setAttribute('aria-invalid', String(missing.indexOf(input) >= 0));
    });
    formError = null;
    if (missing.length) {
      render();
      missing[0].focus();
      return;
    }
    busy = true;
    render();
    post('/api/auth/login', { username: username.value, password: password.value })
      .then(
        function (res) {
          return res
            .json()
            .catch(function () {
              return {};
            })
            .then(function (body) {
              busy = false;
              if (res.ok) {
                signedIn(body);
              } else {
                formError = body && body.message ? { message: String(body.message) } : { key: 'signInError' };
              }
            });
        },
        function () {
          busy = false;
          formError = { key: 'httpError' };
        },
      )
      .then(render);
  }

  /** @param {'zh-CN' | 'en'} next */
  function setLocale(next) {
    locale = next;
    try {
      localStorage.setItem(LOCALE_KEY, JSON.stringify(next));
    } catch (_e) {
      /* private mode: the choice lasts for this page */
    }
    render();
    if (attached) attached.onLocale(next);
  }

  /** The provider's return: #/login?sso=<refresh token> or #/login?ssoError=<reason>&ssoUser=<name>. */
  function ssoReturn() {
    var query = window.location.hash.split('?')[1] || '';
    var params = new URLSearchParams(query);
    var refreshToken = params.get('sso');
    var reason = params.get('ssoError');
    if (!refreshToken && !reason) return false;
    // The token must not stay in the address bar or the history.
    window.history.replaceState(null, '', window.location.pathname + '#/login');
    if (reason) {
      ssoError = { key: TEXT['zh-CN']['sso.' + reason] ? reason : 'failed', user: params.get('ssoUser') || '' };
      return false;
    }
    // Rotated at once: the token that passed through the address bar is spent.
    ssoPending = true;
    post('/api/auth/refresh', { refreshToken: refreshToken })
      .then(function (res) {
        if (!res.ok) throw new Error(String(res.status));
        return res.json();
      })
      .then(
        function (session) {
          ssoPending = false;
          signedIn(session);
        },
        function () {
          ssoPending = false;
          ssoError = { key: 'failed', user: '' };
          render();
          show('login');
        },
      );
    return true;
  }

  // Before the first paint: which screen, and a signed-out deep link kept for after sign-in (as main.tsx).
  var signingInBySso = ssoReturn();
  if (signingInBySso || getSession()) {
    show('app');
  } else {
    if (!window.location.hash.startsWith('#/login')) {
      var wanted = window.location.hash.replace(/^#/, '') || '/';
      var parts = wanted.split('?');
      window.history.replaceState({ usr: { nextPathname: parts[0], nextSearch: parts[1] ? '?' + parts[1] : '' }, key: 'default', idx: 0 }, '', '#/login');
    }
    show('login');
  }

  // Delegated on the document, so a submit before the rest of the page has parsed is handled too.
  document.addEventListener('submit', submit);
  document.addEventListener('click', function (event) {
    var target = /** @type {Element | null} */ (event.target);
    var button = target && target.closest ? target.closest('#login-lang, #login-toggle') : null;
    if (!button) return;
    if (button.id === 'login-lang') setLocale(locale === 'en' ? 'zh-CN' : 'en');
    else {
      var password = /** @type {HTMLInputElement} */ (el('login-password'));
      password.type = password.type === 'password' ? 'text' : 'password';
      render();
    }
  });
  // A field filled in clears its "required" mark.
  document.addEventListener('input', function (event) {
    var input = /** @type {HTMLInputElement} */ (event.target);
    if (input && (input.id === 'login-username' || input.id === 'login-password') && input.value && input.getAttribute('aria-invalid') === 'true') {
      input.setAttribute('aria-invalid', 'false');
      render();
    }
  });
  // Once parsed ("interactive"), before the deferred bundle runs (DOMContentLoaded waits for it).
  document.addEventListener('readystatechange', function () {
    if (document.readyState !== 'interactive') return;
    render();
    if (document.documentElement.getAttribute('data-boot') === 'login' && document.activeElement === document.body) /** @type {HTMLInputElement} */ (el('login-username')).focus();
  });

  /** For the console's login route (layout/LoginPage.tsx). */
  window.jltLogin = {
    /**
     * Shows the form for the console's login route, in the console's language; returns the detach.
     * @param {Attached & { locale: string }} handlers
     */
    attach: function (handlers) {
      // What the user may already have typed (or a sign-in under way) stays.
      attached = handlers;
      locale = handlers.locale === 'en' ? 'en' : 'zh-CN';
      render();
      if (!ssoPending) show('login');
      return function () {
        // Not a sign-out: react-admin remounts the whole console on a language change; what the form says stays.
        if (attached === handlers) attached = null;
        show('app');
      };
    },
  };
})();
