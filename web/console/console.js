// The operator console: one page, hash routes, the operator REST API under /api/operator/.
// Every piece of case text is put into the page with textContent, never as HTML: it comes from
// people we do not know.

import { barChart } from './chart.js';
import { STRINGS } from './i18n.js';
import { playAlert, unlockAudio } from './sound.js';

const API = '/api/operator';
const LEVELS = ['imminent', 'high', 'concern'];
const URGENT = new Set(['imminent', 'high']);
const OFFER_LABELS = ['scam', 'trafficking_risk', 'legitimate'];
const OFFER_LEVELS = ['high', 'medium', 'low', 'none'];
const store = {
  lang: 'smb_console_lang',
  muted: 'smb_console_muted',
  csrf: 'smb_console_csrf',
};

const state = {
  lang: pickLanguage(),
  me: null,
  config: { slaSeconds: { imminent: 120, high: 600, concern: 3600 }, outcomes: [] },
  tab: 'waiting',
  lists: { waiting: [], claimed: [] },
  /** Server time minus browser time, so waiting times count from the server's clock. */
  skewMs: 0,
  caseId: null,
  caseData: null,
  canned: { lang: null, replies: [] },
  events: null,
  newUrgent: 0,
  seenCases: new Set(),
  alerts: 0,
  stats: null,
  /** Where to go after logging in (a deep link opened while logged out). */
  pendingHash: null,
  queueKey: '',
  caseKey: '',
};

const $ = (selector) => document.querySelector(selector);

// ---------------------------------------------------------------- helpers

function pickLanguage() {
  const saved = localStorage.getItem('smb_console_lang');
  if (saved === 'vi' || saved === 'en') return saved;
  return (navigator.language || 'vi').toLowerCase().startsWith('en') ? 'en' : 'vi';
}

/** The string `key` in the current language, with `{name}` placeholders filled. */
function t(key, vars = {}) {
  const text = STRINGS[state.lang][key] ?? STRINGS.vi[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => String(vars[name] ?? ''));
}

/** A translated label for a value, or the value itself when no translation exists. */
function tv(prefix, value) {
  const key = `${prefix}_${value}`;
  return STRINGS[state.lang][key] ?? String(value);
}

/** Builds an element; children are nodes or strings (as text, never as HTML). */
function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') node.className = value;
    else if (key === 'text') node.textContent = value;
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else if (value === true) node.setAttribute(key, '');
    else node.setAttribute(key, String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** Replaces the children of `node`, skipping empty slots (DOM would print them as "null"). */
function fill(node, ...children) {
  node.replaceChildren(...children.flat().filter((c) => c !== null && c !== undefined && c !== false));
}

function announce(message, kind = 'info') {
  const status = $('#status');
  status.textContent = message;
  status.dataset.kind = kind;
}

function formatDuration(ms) {
  const total = Math.max(0, Math.floor(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = String(total % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}` : `${minutes}:${seconds}`;
}

function formatTime(at) {
  const locale = state.lang === 'vi' ? 'vi-VN' : 'en-GB';
  return new Date(at).toLocaleString(locale, { dateStyle: 'short', timeStyle: 'medium' });
}

function serverNow() {
  return Date.now() + state.skewMs;
}

/** Same rule as the server: amber from half the target, breached from the target; only waiting runs late. */
function slaOf(c) {
  if (c.state !== 'waiting') return 'ok';
  const target = (state.config.slaSeconds[c.level] ?? 600) * 1000;
  const waited = serverNow() - c.createdAt;
  if (waited >= target) return 'breached';
  return waited >= target / 2 ? 'amber' : 'ok';
}

// ---------------------------------------------------------------- API

class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** Calls the operator API. Mutations carry the CSRF token; a 401 ends the session in the page. */
async function api(path, { method = 'GET', body, quiet401 = false } = {}) {
  const headers = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET') headers['x-csrf-token'] = sessionStorage.getItem(store.csrf) ?? '';
  let response;
  try {
    response = await fetch(`${API}${path}`, {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'NETWORK', t('offline'));
  }
  const data = await response.json().catch(() => ({}));
  if (!response.ok) {
    const error = new ApiError(
      response.status,
      data?.error?.code ?? 'HTTP',
      data?.error?.message ?? response.statusText,
    );
    if (response.status === 401 && !quiet401) sessionEnded();
    throw error;
  }
  return data;
}

function showError(error) {
  if (error instanceof ApiError && error.status === 401) return; // the login page says it
  if (error instanceof ApiError && error.status === 403 && error.code === 'FORBIDDEN') {
    announce(t('forbidden'), 'error');
    return;
  }
  announce(t('error', { message: error.message }), 'error');
}

// ---------------------------------------------------------------- session

function sessionEnded() {
  // Several calls may fail at once; only the first one has a session to end.
  if (state.me === null) return;
  if (location.hash.startsWith('#/case/')) state.pendingHash = location.hash;
  signOutLocally();
  showLogin(t('sessionEnded'));
}

function signOutLocally() {
  state.me = null;
  sessionStorage.removeItem(store.csrf);
  state.events?.close();
  state.events = null;
  state.newUrgent = 0;
  updateTitle();
  $('#nav').hidden = true;
  $('#logout').hidden = true;
  $('#mute').hidden = true;
  $('#who').textContent = '';
}

function showLogin(message) {
  showView('login');
  const box = $('#login-message');
  box.hidden = !message;
  box.textContent = message ?? '';
  if (location.hash !== '#/login') history.replaceState(null, '', '#/login');
  $('#login-name').focus();
}

async function onLogin(event) {
  event.preventDefault();
  unlockAudio();
  const name = $('#login-name').value.trim();
  const secret = $('#login-secret').value;
  const box = $('#login-message');
  if (!name || !secret) {
    box.hidden = false;
    box.textContent = t('loginMissing');
    return;
  }
  try {
    const me = await api('/login', { method: 'POST', body: { name, secret }, quiet401: true });
    $('#login-secret').value = '';
    box.hidden = true;
    startSession(me);
    // Back to where a link (an alert in the team chat) pointed before the login, or the queue.
    const target = state.pendingHash ?? '#/queue';
    state.pendingHash = null;
    if (location.hash === target) route();
    else location.hash = target;
  } catch (error) {
    box.hidden = false;
    if (error.status === 401) box.textContent = t('loginWrong');
    else if (error.status === 429) box.textContent = t('loginLocked');
    else box.textContent = t('error', { message: error.message });
    $('#login-secret').focus();
  }
}

function startSession(me) {
  state.me = me;
  if (me.csrfToken) sessionStorage.setItem(store.csrf, me.csrfToken);
  $('#nav').hidden = false;
  $('#logout').hidden = false;
  $('#mute').hidden = false;
  for (const link of document.querySelectorAll('#nav [data-supervisor]'))
    link.hidden = me.role !== 'supervisor';
  renderWho();
  connectEvents();
}

function renderWho() {
  if (!state.me) return;
  $('#who').textContent = t('signedInAs', { name: state.me.name, role: tv('role', state.me.role) });
}

async function onLogout() {
  try {
    await api('/logout', { method: 'POST', quiet401: true });
  } catch {
    // the session may already be gone; either way we forget it here
  }
  signOutLocally();
  showLogin(t('loggedOut'));
}

// ---------------------------------------------------------------- live events

function connectEvents() {
  state.events?.close();
  const source = new EventSource(`${API}/events`);
  state.events = source;
  const types = [
    'case_created',
    'case_updated',
    'case_claimed',
    'case_released',
    'case_resolved',
    'message',
    'sla_breach',
    'contact_alert',
  ];
  for (const type of types) {
    source.addEventListener(type, (message) => {
      let event = {};
      try {
        event = JSON.parse(message.data);
      } catch {
        // a nudge without data still means: refresh
      }
      onOperatorEvent(type, event);
    });
  }
  source.addEventListener('open', () => {
    document.body.dataset.live = 'on';
  });
  source.addEventListener('error', () => {
    document.body.dataset.live = 'off';
    // EventSource retries by itself; a 401 (ended session) shows on the next API call.
    if (state.me) void api('/me').catch(() => {});
  });
}

function onOperatorEvent(type, event) {
  if (type === 'sla_breach') announce(t('slaBreachAlert'), 'error');
  if (type === 'case_created' && URGENT.has(event.level) && !state.seenCases.has(event.caseId)) {
    state.seenCases.add(event.caseId);
    alertNewCase();
  }
  if (!$('#view-queue').hidden) void loadQueue();
  if (type === 'contact_alert' && !$('#view-offers').hidden) void loadOffers();
  if (event.caseId && event.caseId === state.caseId && !$('#view-case').hidden) void loadCase(state.caseId);
}

function alertNewCase() {
  state.newUrgent += 1;
  updateTitle();
  if (localStorage.getItem(store.muted) === '1') return;
  if (playAlert()) {
    state.alerts += 1;
    document.body.dataset.alerts = String(state.alerts);
  }
}

function updateTitle() {
  const base = t('appName');
  document.title = state.newUrgent > 0 ? `(${state.newUrgent}) ${base}` : base;
}

function clearBadge() {
  state.newUrgent = 0;
  updateTitle();
}

function renderMute() {
  const muted = localStorage.getItem(store.muted) === '1';
  const button = $('#mute');
  button.setAttribute('aria-pressed', String(muted));
  button.textContent = muted ? t('muteOff') : t('muteOn');
}

// ---------------------------------------------------------------- routing

function showView(name) {
  for (const view of document.querySelectorAll('main > .view')) view.hidden = view.id !== `view-${name}`;
  for (const link of document.querySelectorAll('#nav a')) {
    if (link.dataset.view === name || (name === 'case' && link.dataset.view === 'queue'))
      link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
}

function route() {
  // Operator alerts link to /console#case=<id>.
  const deep = /^#case=([A-Za-z0-9_-]{1,100})$/.exec(location.hash);
  if (deep) {
    history.replaceState(null, '', `#/case/${deep[1]}`);
  }
  if (!state.me) {
    if (location.hash.startsWith('#/case/')) state.pendingHash = location.hash;
    showLogin($('#login-message').hidden ? '' : $('#login-message').textContent);
    return;
  }
  const [, view, id] = location.hash.split('/');
  state.caseId = null;
  switch (view) {
    case 'case':
      if (id) {
        state.caseId = decodeURIComponent(id);
        showView('case');
        clearBadge();
        void loadCase(state.caseId, true);
        return;
      }
      break;
    case 'offers':
      showView('offers');
      void loadOffers();
      return;
    case 'dashboard':
      showView('dashboard');
      void loadDashboard();
      return;
    case 'accounts':
      showView('accounts');
      void loadAccounts();
      return;
    default:
      break;
  }
  if (location.hash !== '#/queue') history.replaceState(null, '', '#/queue');
  showView('queue');
  clearBadge();
  renderTabs();
  state.queueKey = '';
  void loadQueue();
}

// ---------------------------------------------------------------- queue

async function loadQueue() {
  try {
    const [waiting, claimed] = await Promise.all([api('/cases?state=waiting'), api('/cases?state=claimed')]);
    state.lists.waiting = waiting.cases ?? [];
    state.lists.claimed = claimed.cases ?? [];
    const sample = state.lists.waiting.find((c) => typeof c.waitingSeconds === 'number');
    if (sample) state.skewMs = sample.createdAt + sample.waitingSeconds * 1000 - Date.now();
    for (const c of state.lists.waiting) state.seenCases.add(c.id);
    // Redraw only on a real change, so that focus and scroll stay put for keyboard users.
    const key = fingerprint(state.lists);
    if (key === state.queueKey && $('#queue-panel').childElementCount > 0) return;
    state.queueKey = key;
    renderQueue();
  } catch (error) {
    showError(error);
  }
}

/** JSON of API data without the fields that change every second (the page counts those itself). */
function fingerprint(value) {
  return JSON.stringify(value, (key, v) => (key === 'waitingSeconds' || key === 'sla' ? undefined : v));
}

function renderTabs() {
  for (const tab of document.querySelectorAll('[role=tab]')) {
    const selected = tab.dataset.tab === state.tab;
    tab.setAttribute('aria-selected', String(selected));
    tab.tabIndex = selected ? 0 : -1;
  }
  $('#queue-panel').setAttribute('aria-labelledby', `tab-${state.tab}`);
}

function currentList() {
  if (state.tab === 'waiting') return state.lists.waiting;
  if (state.tab === 'mine') return state.lists.claimed.filter((c) => c.assignee === state.me?.name);
  return state.lists.claimed;
}

function renderQueue() {
  const panel = $('#queue-panel');
  const list = currentList();
  panel.replaceChildren();
  if (list.length === 0) {
    panel.append(h('p', { class: 'empty', text: t('queueEmpty') }));
    return;
  }
  const showAssignee = state.tab !== 'waiting';
  const head = h(
    'tr',
    {},
    h('th', { scope: 'col', text: t('colLevel') }),
    h('th', { scope: 'col', text: t('colWaiting') }),
    h('th', { scope: 'col', text: t('colSla') }),
    h('th', { scope: 'col', text: t('colChannel') }),
    h('th', { scope: 'col', text: t('colLanguage') }),
    h('th', { scope: 'col', text: t('colFlags') }),
    showAssignee ? h('th', { scope: 'col', text: t('colAssignee') }) : null,
    h('th', { scope: 'col', text: t('colOpen') }),
  );
  const rows = list.map((c) => {
    const sla = slaOf(c);
    return h(
      'tr',
      { 'data-case': c.id, class: `level-${c.level}` },
      h(
        'td',
        { 'data-label': t('colLevel') },
        h('span', { class: `badge level ${c.level}`, text: tv('level', c.level) }),
      ),
      h(
        'td',
        { 'data-label': t('colWaiting'), class: 'waiting', 'data-since': c.createdAt },
        formatDuration(serverNow() - c.createdAt),
      ),
      h(
        'td',
        { 'data-label': t('colSla') },
        h('span', { class: `badge sla ${sla}`, 'data-sla': sla, text: tv('sla', sla) }),
      ),
      h('td', { 'data-label': t('colChannel'), text: tv('channel', c.channel) }),
      h('td', { 'data-label': t('colLanguage'), text: tv('lang', c.locale) }),
      h(
        'td',
        { 'data-label': t('colFlags') },
        c.discreet ? h('span', { class: 'badge discreet', text: t('discreet') }) : null,
        c.minor ? h('span', { class: 'badge minor', text: t('minor') }) : null,
        c.raisedByModel ? h('span', { class: 'badge by-model', text: t('byModel') }) : null,
      ),
      showAssignee
        ? h('td', { 'data-label': t('colAssignee'), class: 'assignee', text: c.assignee ?? '' })
        : null,
      h(
        'td',
        {},
        h('a', {
          href: `#/case/${encodeURIComponent(c.id)}`,
          class: 'button',
          'aria-label': t('openCase', { id: c.id }),
          text: t('open'),
        }),
      ),
    );
  });
  panel.append(
    h(
      'table',
      { class: 'queue' },
      h('caption', { text: t('queueCaption') }),
      h('thead', {}, head),
      h('tbody', {}, rows),
    ),
  );
}

/** Counts the waiting times and SLA colours forward every second without refetching. */
function tick() {
  for (const cell of document.querySelectorAll('.waiting[data-since]')) {
    cell.textContent = formatDuration(serverNow() - Number(cell.dataset.since));
  }
  if ($('#view-queue').hidden) return;
  for (const row of document.querySelectorAll('#queue-panel tr[data-case]')) {
    const c = currentList().find((x) => x.id === row.dataset.case);
    const badge = row.querySelector('.badge.sla');
    if (!c || !badge) continue;
    const sla = slaOf(c);
    if (badge.dataset.sla !== sla) {
      badge.dataset.sla = sla;
      badge.className = `badge sla ${sla}`;
      badge.textContent = tv('sla', sla);
    }
  }
}

function onTabKey(event) {
  const tabs = [...document.querySelectorAll('[role=tab]')];
  const index = tabs.indexOf(event.target);
  if (index < 0) return;
  let next = -1;
  if (event.key === 'ArrowRight') next = (index + 1) % tabs.length;
  if (event.key === 'ArrowLeft') next = (index - 1 + tabs.length) % tabs.length;
  if (next < 0) return;
  event.preventDefault();
  tabs[next].focus();
  tabs[next].click();
}

// ---------------------------------------------------------------- case view

async function loadCase(id, first = false) {
  try {
    const data = await api(`/cases/${encodeURIComponent(id)}`);
    if (state.caseId !== id) return;
    const key = fingerprint(data);
    if (!first && key === state.caseKey) return;
    state.caseKey = key;
    state.caseData = data;
    const c = data.case;
    if (typeof c.waitingSeconds === 'number' && c.state === 'waiting')
      state.skewMs = c.createdAt + c.waitingSeconds * 1000 - Date.now();
    if (state.canned.lang !== c.locale) await loadCanned(c.locale);
    renderCase(first);
  } catch (error) {
    showError(error);
  }
}

async function loadCanned(lang) {
  try {
    const data = await api(`/canned-replies?lang=${encodeURIComponent(lang)}`);
    state.canned = { lang, replies: data.replies ?? [] };
  } catch (error) {
    state.canned = { lang, replies: [] };
    showError(error);
  }
}

function renderCase(first) {
  const view = $('#view-case');
  const { case: c, audit = [] } = state.caseData;
  const me = state.me;
  const mine = c.state === 'claimed' && c.assignee === me.name;
  const supervisor = me.role === 'supervisor';
  // Keep what the operator was typing across live refreshes.
  const draft = view.querySelector('#reply-text')?.value ?? '';
  const noteDraft = view.querySelector('#note-text')?.value ?? '';
  const outcomeChoice = view.querySelector('#outcome')?.value;
  const focusedId = document.activeElement?.id;

  const failed = (c.transcript ?? []).some((e) => e.delivery === 'failed');
  const warning =
    c.unreachable || failed
      ? h(
          'p',
          { class: 'banner danger', role: 'alert', id: 'unreachable' },
          t('unreachable', { reason: c.unreachable || t('deliveryFailed') }),
        )
      : null;

  const facts = h(
    'dl',
    { class: 'facts' },
    h('dt', { text: t('colLevel') }),
    h('dd', {}, h('span', { class: `badge level ${c.level}`, text: tv('level', c.level) })),
    h('dt', { text: t('caseState') }),
    h('dd', { id: 'case-state', text: tv('state', c.state) }),
    h('dt', { text: t('caseAssignee') }),
    h('dd', { id: 'case-assignee', text: c.assignee ?? '—' }),
    h('dt', { text: t('colChannel') }),
    h('dd', { text: tv('channel', c.channel) }),
    h('dt', { text: t('colLanguage') }),
    h('dd', { text: tv('lang', c.locale) }),
    h('dt', { text: t('caseOpened') }),
    h('dd', {}, formatTime(c.createdAt)),
    c.state === 'waiting' ? h('dt', { text: t('colWaiting') }) : null,
    c.state === 'waiting'
      ? h('dd', { class: 'waiting', 'data-since': c.createdAt }, formatDuration(serverNow() - c.createdAt))
      : null,
  );

  const flags = h(
    'div',
    { class: 'flags' },
    c.discreet
      ? h('p', { class: 'banner info' }, h('strong', { text: `${t('discreet')}: ` }), t('discreetHint'))
      : null,
    c.minor ? h('p', { class: 'banner info' }, h('strong', { text: t('minor') })) : null,
    c.raisedByModel
      ? h(
          'p',
          { class: 'banner info', id: 'raised-by-model' },
          h('strong', { text: `${t('byModel')}: ` }),
          t('byModelHint', { level: tv('level', c.raisedByModel) }),
        )
      : null,
  );

  const actions = h('div', { class: 'actions' });
  if (c.state === 'waiting')
    actions.append(
      h('button', { type: 'button', class: 'primary', id: 'claim', onclick: onClaim, text: t('claim') }),
    );
  // The API lets the assignee resolve, anyone close a waiting case (spam), and a supervisor always.
  const canResolve = c.state === 'waiting' || (c.state === 'claimed' && (mine || supervisor));
  if (c.state === 'claimed' && (mine || supervisor))
    actions.append(h('button', { type: 'button', id: 'release', onclick: onRelease, text: t('release') }));
  if (canResolve) {
    const select = h(
      'select',
      { id: 'outcome', required: true },
      // No default: an outcome picked by accident would skew the figures.
      h('option', { value: '', text: t('outcomeChoose') }),
      state.config.outcomes.map((o) => h('option', { value: o, text: tv('outcome', o) })),
    );
    if (outcomeChoice) select.value = outcomeChoice;
    actions.append(
      h(
        'form',
        { class: 'inline', id: 'resolve-form', novalidate: true, onsubmit: onResolve },
        h('label', { for: 'outcome', text: t('outcome') }),
        select,
        h('button', { type: 'submit', class: 'danger', id: 'resolve', text: t('resolve') }),
      ),
    );
  }
  if (c.state === 'claimed' && !mine)
    actions.append(h('p', { class: 'muted', text: t('claimedBy', { name: c.assignee }) }));

  const transcript = h(
    'ol',
    { class: 'transcript', 'aria-live': 'polite' },
    (c.transcript ?? []).map((e) =>
      h(
        'li',
        { class: `msg from-${e.from}`, 'data-entry': e.id },
        h(
          'div',
          { class: 'meta' },
          h('span', {
            class: 'who',
            text:
              e.from === 'operator' && e.author ? `${tv('from', e.from)} (${e.author})` : tv('from', e.from),
          }),
          h('time', { datetime: new Date(e.at).toISOString(), text: formatTime(e.at) }),
          e.delivery
            ? h('span', {
                class: `delivery ${e.delivery}`,
                'data-delivery': e.delivery,
                text: tv('delivery', e.delivery) + (e.failure ? ` (${e.failure})` : ''),
              })
            : null,
        ),
        h('p', { class: 'text', text: e.text }),
      ),
    ),
  );

  const intakeEntries = Object.entries(c.intake ?? {});
  const intake = intakeEntries.length
    ? h(
        'dl',
        { class: 'facts' },
        intakeEntries.flatMap(([k, v]) => [h('dt', { text: tv('intake', k) }), h('dd', { text: v })]),
      )
    : h('p', { class: 'muted', text: t('intakeEmpty') });
  const signals = (c.signals ?? []).length
    ? h(
        'ul',
        { class: 'chips' },
        c.signals.map((s) => h('li', { text: s })),
      )
    : h('p', { class: 'muted', text: t('signalsEmpty') });

  const cannedSelect = h(
    'select',
    { id: 'canned' },
    h('option', { value: '', text: t('cannedChoose') }),
    state.canned.replies.map((r) => h('option', { value: r.id, text: r.label })),
  );
  const replyBox = h(
    'form',
    { id: 'reply-form', class: 'reply', onsubmit: onSend },
    h('h2', { id: 'reply-title', text: t('reply') }),
    mine ? null : h('p', { class: 'muted', text: t('claimToReply') }),
    h(
      'div',
      { class: 'inline' },
      h('label', { for: 'canned', text: t('canned') }),
      cannedSelect,
      h('button', {
        type: 'button',
        id: 'canned-insert',
        onclick: onInsertCanned,
        disabled: !mine,
        text: t('cannedInsert'),
      }),
    ),
    h('p', { class: 'hint', id: 'canned-hint', text: t('cannedHint') }),
    h('label', { for: 'reply-text', text: t('replyLabel') }),
    h('textarea', {
      id: 'reply-text',
      rows: 4,
      maxlength: 4000,
      disabled: !mine,
      'aria-describedby': 'canned-hint',
    }),
    h('button', { type: 'submit', class: 'primary', id: 'send', disabled: !mine, text: t('send') }),
  );

  const notes = h(
    'section',
    { class: 'notes', 'aria-labelledby': 'notes-title' },
    h('h2', { id: 'notes-title', text: t('notes') }),
    h('p', { class: 'banner internal', id: 'notes-warning', text: t('notesWarning') }),
    (c.notes ?? []).length
      ? h(
          'ul',
          { class: 'note-list' },
          c.notes.map((n) =>
            h(
              'li',
              {},
              h(
                'div',
                { class: 'meta' },
                h('span', { class: 'who', text: n.author }),
                h('time', { text: formatTime(n.at) }),
              ),
              h('p', { class: 'text', text: n.text }),
            ),
          ),
        )
      : h('p', { class: 'muted', text: t('notesEmpty') }),
    h(
      'form',
      { id: 'note-form', onsubmit: onAddNote },
      h('label', { for: 'note-text', text: t('noteLabel') }),
      h('textarea', { id: 'note-text', rows: 3, maxlength: 4000, 'aria-describedby': 'notes-warning' }),
      h('button', { type: 'submit', id: 'add-note', text: t('addNote') }),
    ),
  );

  const auditList = h(
    'details',
    { class: 'audit' },
    h('summary', { text: t('audit') }),
    h(
      'ul',
      {},
      audit.map((a) =>
        h(
          'li',
          {},
          h('time', { text: formatTime(a.at) }),
          ` ${a.actor}: ${a.action}${a.detail ? ` (${a.detail})` : ''}`,
        ),
      ),
    ),
  );

  fill(
    view,
    h('p', {}, h('a', { href: '#/queue', text: t('back') })),
    h('h1', { id: 'case-title', tabindex: '-1', text: t('caseTitle', { id: c.id }) }),
    warning,
    flags,
    h(
      'div',
      { class: 'case-grid' },
      h(
        'div',
        { class: 'case-main' },
        actions,
        h(
          'section',
          { 'aria-labelledby': 'transcript-title' },
          h('h2', { id: 'transcript-title', text: t('transcript') }),
          c.transcript?.length ? transcript : h('p', { class: 'muted', text: t('transcriptEmpty') }),
        ),
        replyBox,
      ),
      h(
        'aside',
        { class: 'case-side' },
        h(
          'section',
          { 'aria-labelledby': 'facts-title' },
          h('h2', { id: 'facts-title', class: 'visually-hidden', text: t('caseState') }),
          facts,
        ),
        h(
          'section',
          { 'aria-labelledby': 'intake-title' },
          h('h2', { id: 'intake-title', text: t('intake') }),
          intake,
        ),
        h(
          'section',
          { 'aria-labelledby': 'signals-title' },
          h('h2', { id: 'signals-title', text: t('signals') }),
          signals,
        ),
        notes,
        auditList,
      ),
    ),
  );
  view.querySelector('#reply-text').value = draft;
  view.querySelector('#note-text').value = noteDraft;
  if (first) view.querySelector('#case-title').focus();
  else if (focusedId) document.getElementById(focusedId)?.focus();
}

async function caseAction(path, body, doneMessage) {
  const id = state.caseId;
  try {
    await api(`/cases/${encodeURIComponent(id)}/${path}`, { method: 'POST', body });
    announce(doneMessage);
    await loadCase(id);
    return true;
  } catch (error) {
    if (error.status === 409 && path === 'claim') announce(t('claimConflict'), 'error');
    else showError(error);
    await loadCase(id);
    return false;
  }
}

function onClaim() {
  void caseAction('claim', undefined, t('claimed'));
}

function onRelease() {
  void caseAction('release', undefined, t('released'));
}

async function onResolve(event) {
  event.preventDefault();
  const outcome = $('#outcome').value;
  if (!outcome) {
    announce(t('outcomeRequired'), 'error');
    $('#outcome').focus();
    return;
  }
  if (await caseAction('resolve', { outcome }, t('resolved'))) location.hash = '#/queue';
}

function onInsertCanned() {
  const id = $('#canned').value;
  const reply = state.canned.replies.find((r) => r.id === id);
  if (!reply) return;
  const box = $('#reply-text');
  box.value = box.value.trim() ? `${box.value.trim()}\n\n${reply.text}` : reply.text;
  box.focus();
}

async function onSend(event) {
  event.preventDefault();
  const box = $('#reply-text');
  const text = box.value.trim();
  if (!text) {
    announce(t('required'), 'error');
    box.focus();
    return;
  }
  try {
    await api(`/cases/${encodeURIComponent(state.caseId)}/messages`, { method: 'POST', body: { text } });
    box.value = '';
    announce(t('sent'));
  } catch (error) {
    announce(`${t('sendFailed')} ${error.message}`, 'error');
  }
  await loadCase(state.caseId);
}

async function onAddNote(event) {
  event.preventDefault();
  const box = $('#note-text');
  const text = box.value.trim();
  if (!text) {
    announce(t('required'), 'error');
    box.focus();
    return;
  }
  if (await caseAction('notes', { text }, t('noteAdded'))) $('#note-text').value = '';
}

// ---------------------------------------------------------------- offer labels

async function loadOffers() {
  const view = $('#view-offers');
  const title = h('h1', { id: 'offers-title', text: t('offersTitle') });
  let data;
  try {
    data = await api('/offers/clusters');
  } catch (error) {
    // A server without the offer memory routes: say so, never invent rows.
    if (error.status === 404) {
      fill(view, title, h('p', { class: 'banner info', id: 'offers-unavailable', text: t('notAvailable') }));
      return;
    }
    showError(error);
    fill(view, title);
    return;
  }
  const clusters = Array.isArray(data) ? data : (data.clusters ?? []);
  const contacts = Array.isArray(data) ? [] : (data.contacts ?? []);
  // A label may come as the bare label or as the record { label, by, at }.
  const labelOf = (record) => (typeof record?.label === 'object' ? record.label?.label : record?.label);
  const supervisor = state.me?.role === 'supervisor';
  const labelForm = (target, current, name) => {
    // Only supervisors may label (the API refuses others): operators see the label as text.
    if (!supervisor) return h('span', { text: current ? tv('label', current) : t('label_none') });
    const selectId = `label-${target}`;
    return h(
      'form',
      {
        class: 'inline',
        onsubmit: async (event) => {
          event.preventDefault();
          const label = document.getElementById(selectId).value;
          if (!label) return;
          try {
            const saved = await api('/offers/labels', { method: 'POST', body: { target, label } });
            announce(
              saved?.notified
                ? `${t('labelSaved')} ${t('labelNotified', { count: saved.notified })}`
                : t('labelSaved'),
            );
            await loadOffers();
          } catch (error) {
            showError(error);
          }
        },
      },
      h('label', { for: selectId, class: 'visually-hidden', text: `${t('label')}: ${name}` }),
      h(
        'select',
        { id: selectId },
        h('option', { value: '', text: t('label_none') }),
        OFFER_LABELS.map((l) => h('option', { value: l, selected: current === l, text: tv('label', l) })),
      ),
      h('button', { type: 'submit', text: t('saveLabel') }),
    );
  };
  const head = (...names) =>
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        names.map((x) => h('th', { scope: 'col', text: x })),
      ),
    );
  const clusterTable = clusters.length
    ? h(
        'table',
        { class: 'list', id: 'clusters' },
        head(t('count'), t('colLevel'), t('flags'), t('lastSeen'), t('label')),
        h(
          'tbody',
          {},
          clusters.map((cl) =>
            h(
              'tr',
              { 'data-cluster': cl.id },
              h('td', { 'data-label': t('count'), text: String(cl.count ?? '') }),
              h('td', { 'data-label': t('colLevel'), text: cl.level ? tv('offerLevel', cl.level) : '' }),
              h('td', { 'data-label': t('flags'), text: (cl.topFlags ?? cl.flags ?? []).join(', ') }),
              h('td', { 'data-label': t('lastSeen'), text: cl.lastSeen ? formatTime(cl.lastSeen) : '' }),
              h('td', {}, labelForm(cl.id, labelOf(cl), `${t('clusterNamed')} ${cl.id}`)),
            ),
          ),
        ),
      )
    : h('p', { class: 'muted', text: t('noData') });
  const contactTable = contacts.length
    ? h(
        'table',
        { class: 'list', id: 'contacts' },
        head(t('contact'), t('count'), t('label')),
        h(
          'tbody',
          {},
          contacts.map((ct) => {
            // Contacts arrive as keyed hashes: a short prefix is enough to tell them apart.
            const shown = ct.display ?? `${ct.kind ?? ''} ${String(ct.id).slice(0, 10)}…`.trim();
            return h(
              'tr',
              { 'data-contact': ct.id },
              h('td', { 'data-label': t('contact'), text: shown }),
              h('td', { 'data-label': t('count'), text: String(ct.count ?? '') }),
              h('td', {}, labelForm(ct.id, labelOf(ct), shown)),
            );
          }),
        ),
      )
    : h('p', { class: 'muted', text: t('noData') });
  fill(
    view,
    title,
    h('p', { text: t('offersIntro') }),
    h('h2', { text: t('clusters') }),
    clusterTable,
    h('h2', { text: t('contacts') }),
    contactTable,
  );
}

// ---------------------------------------------------------------- dashboard

async function loadDashboard() {
  const view = $('#view-dashboard');
  try {
    state.stats = await api('/stats');
  } catch (error) {
    showError(error);
    return;
  }
  const s = state.stats.cases ?? state.stats;
  const pct = (v) => (v === null || v === undefined ? '—' : `${Math.round(v * 100)}%`);
  const secs = (v) => (v === null || v === undefined ? '—' : String(Math.round(v)));
  const chart = (title, entries, format) =>
    entries.length
      ? h('figure', {}, h('figcaption', { text: title }), barChart({ title, data: entries, format }))
      : h('figure', {}, h('figcaption', { text: title }), h('p', { class: 'muted', text: t('noData') }));

  const byLevel = LEVELS.map((l) => ({ label: tv('level', l), value: s.byLevel?.[l] ?? 0, className: l }));
  const byState = Object.entries(s.byState ?? {}).map(([k, v]) => ({ label: tv('state', k), value: v }));
  const byOutcome = Object.entries(s.byOutcome ?? {}).map(([k, v]) => ({
    label: tv('outcome', k),
    value: v,
  }));
  const perOperator = Object.entries(s.openPerOperator ?? {}).map(([k, v]) => ({ label: k, value: v }));
  const claimRows = LEVELS.map((l) => {
    const x = s.timeToClaim?.[l] ?? {};
    return h(
      'tr',
      {},
      h('th', { scope: 'row', text: tv('level', l) }),
      h('td', { text: String(x.count ?? 0) }),
      h('td', { text: secs(x.medianSeconds) }),
      h('td', { text: secs(x.p90Seconds) }),
    );
  });
  // Levels never claimed have no time to show: they stay in the table as "—", not as a 0 bar.
  const claimed = LEVELS.filter((l) => typeof s.timeToClaim?.[l]?.medianSeconds === 'number');
  const medianChart = claimed.map((l) => ({
    label: `${tv('level', l)} · ${t('median')}`,
    value: s.timeToClaim[l].medianSeconds,
    className: l,
  }));
  const p90Chart = claimed.map((l) => ({
    label: `${tv('level', l)} · ${t('p90')}`,
    value: s.timeToClaim[l].p90Seconds,
    className: l,
  }));

  const extra = Array.isArray(state.stats.offersPerDay)
    ? activityFigures(state.stats, chart)
    : h('p', { class: 'muted', text: t('notAvailable') });

  fill(
    view,
    h('h1', { id: 'dashboard-title', text: t('dashboardTitle') }),
    h('p', {}, h('button', { type: 'button', id: 'export-csv', onclick: exportCsv, text: t('exportCsv') })),
    h(
      'dl',
      { class: 'kpis' },
      h(
        'div',
        {},
        h('dt', { text: t('totalCases') }),
        h('dd', { id: 'kpi-total', text: String(s.total ?? 0) }),
      ),
      h('div', {}, h('dt', { text: t('slaHitRate') }), h('dd', { id: 'kpi-sla', text: pct(s.slaHitRate) })),
    ),
    h(
      'div',
      { class: 'charts' },
      chart(t('casesPerLevel'), byLevel),
      chart(t('casesPerState'), byState),
      chart(t('casesPerOutcome'), byOutcome),
      chart(t('openPerOperator'), perOperator),
      chart(t('timeToClaim'), [...medianChart, ...p90Chart], secs),
    ),
    h(
      'table',
      { class: 'list' },
      h('caption', { text: t('timeToClaim') }),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', { scope: 'col', text: t('colLevel') }),
          h('th', { scope: 'col', text: t('claimedCount') }),
          h('th', { scope: 'col', text: t('median') }),
          h('th', { scope: 'col', text: t('p90') }),
        ),
      ),
      h('tbody', {}, claimRows),
    ),
    h('h2', { text: t('otherFigures') }),
    extra,
  );
}

/** Offers checked per day, by level, the most frequent red flags and lessons (last 30 days). */
function activityFigures(stats, chart) {
  const days = stats.offersPerDay;
  const checked = days.reduce((sum, d) => sum + (d.total ?? 0), 0);
  const levels = {};
  for (const d of days)
    for (const [k, v] of Object.entries(d.byLevel ?? {})) levels[k] = (levels[k] ?? 0) + v;
  const perDay = days.map((d) => ({ label: String(d.day).slice(5), value: d.total ?? 0 }));
  const byLevel = OFFER_LEVELS.filter((l) => levels[l] !== undefined).map((l) => ({
    label: tv('offerLevel', l),
    value: levels[l],
    className: l === 'high' ? 'high' : undefined,
  }));
  const flagName = (f) => f.name?.[state.lang] ?? f.id;
  // Names are long sentences: the chart shows their start, the table below shows them whole.
  const short = (text) => (text.length > 22 ? `${text.slice(0, 21)}…` : text);
  const flags = (stats.topFlags ?? []).map((f) => ({ label: short(flagName(f)), value: f.count }));
  const flagTable = (stats.topFlags ?? []).length
    ? h(
        'table',
        { class: 'list', id: 'top-flags' },
        h('caption', { text: t('topFlags') }),
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('th', { scope: 'col', text: t('flagName') }),
            h('th', { scope: 'col', text: t('count') }),
          ),
        ),
        h(
          'tbody',
          {},
          stats.topFlags.map((f) =>
            h(
              'tr',
              { 'data-flag': f.id },
              h('td', { text: flagName(f) }),
              h('td', { text: String(f.count) }),
            ),
          ),
        ),
      )
    : null;
  const lessons = stats.lessons ?? {};
  const kpi = (id, label, value) =>
    h('div', {}, h('dt', { text: label }), h('dd', { id, text: String(value ?? 0) }));
  return h(
    'div',
    { id: 'activity' },
    h('p', {
      class: 'muted',
      text: t('activityPeriod', {
        from: stats.activityPeriod?.from ?? '',
        to: stats.activityPeriod?.to ?? '',
      }),
    }),
    h(
      'dl',
      { class: 'kpis' },
      kpi('kpi-offers', t('offersChecked'), checked),
      kpi('kpi-reported', t('offersReported'), stats.offersReported),
      kpi('kpi-lessons-started', t('lessonsStarted'), lessons.started),
      kpi('kpi-lessons-completed', t('lessonsCompleted'), lessons.completed),
    ),
    h(
      'div',
      { class: 'charts' },
      checked > 0 ? chart(t('offersPerDay'), perDay) : chart(t('offersPerDay'), []),
      chart(t('offersPerLevel'), byLevel),
      chart(t('topFlags'), flags),
      chart(t('lessonsChart'), [
        { label: t('lessonsStarted'), value: lessons.started ?? 0 },
        { label: t('lessonsCompleted'), value: lessons.completed ?? 0 },
      ]),
    ),
    flagTable,
  );
}

function csvCell(value) {
  const text = value === null || value === undefined ? '' : String(value);
  // A leading = + - @ would make a spreadsheet run the cell as a formula.
  const safe = /^[=+\-@]/.test(text) ? `'${text}` : text;
  return /[",\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** Flattens the statistics JSON into section,key,value rows, in the browser. */
function statsToCsv(stats) {
  const rows = [['section', 'key', 'value']];
  const walk = (prefix, value) => {
    if (value !== null && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) walk(prefix ? `${prefix}.${k}` : k, v);
      return;
    }
    const dot = prefix.indexOf('.');
    rows.push(dot < 0 ? ['', prefix, value] : [prefix.slice(0, dot), prefix.slice(dot + 1), value]);
  };
  // Lists become day or flag keyed rows, so the spreadsheet reads "offersPerDay,2026-11-28.total,4".
  const flat = { ...stats };
  if (Array.isArray(stats.offersPerDay))
    flat.offersPerDay = Object.fromEntries(
      stats.offersPerDay.map((d) => [d.day, { total: d.total, ...(d.byLevel ?? {}) }]),
    );
  if (Array.isArray(stats.topFlags))
    flat.topFlags = Object.fromEntries(stats.topFlags.map((f) => [f.id, f.count]));
  walk('', flat);
  return `${rows.map((r) => r.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

/** YYYY-MM-DD of the browser's own calendar day (the API gives the hotline's day when it can). */
function localIsoDate(date) {
  const pad = (n) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

function exportCsv() {
  if (!state.stats) return;
  const blob = new Blob([statsToCsv(state.stats)], { type: 'text/csv;charset=utf-8' });
  const link = h('a', {
    href: URL.createObjectURL(blob),
    // Named after the server's day (the hotline's time zone), not the UTC date.
    download: `case-stats-${state.stats.activityPeriod?.to ?? localIsoDate(new Date())}.csv`,
  });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
}

// ---------------------------------------------------------------- accounts

async function loadAccounts(secretBox) {
  const view = $('#view-accounts');
  let accounts;
  try {
    const data = await api('/accounts');
    accounts = Array.isArray(data) ? data : (data.accounts ?? []);
  } catch (error) {
    showError(error);
    return;
  }
  const rows = accounts.map((a) =>
    h(
      'tr',
      { 'data-account': a.name },
      h('td', { 'data-label': t('accountName'), text: a.name }),
      h('td', { 'data-label': t('accountRole'), text: tv('role', a.role) }),
      h('td', { 'data-label': t('caseState'), text: a.disabled ? t('disabled') : t('active') }),
      h('td', { 'data-label': t('createdAt'), text: a.createdAt ? formatTime(a.createdAt) : '' }),
      h(
        'td',
        { class: 'row-actions' },
        h('button', {
          type: 'button',
          disabled: a.disabled,
          'aria-label': t('disableNamed', { name: a.name }),
          onclick: () => accountAction(a.name, 'disable'),
          text: t('disable'),
        }),
        h('button', {
          type: 'button',
          'aria-label': t('resetNamed', { name: a.name }),
          onclick: () => accountAction(a.name, 'reset'),
          text: t('reset'),
        }),
      ),
    ),
  );
  fill(
    view,
    h('h1', { id: 'accounts-title', text: t('accountsTitle') }),
    secretBox ?? null,
    h(
      'form',
      { id: 'account-form', class: 'inline card', onsubmit: onAddAccount },
      h('h2', { text: t('addAccount') }),
      h('label', { for: 'account-name', text: t('accountName') }),
      h('input', {
        id: 'account-name',
        required: true,
        autocomplete: 'off',
        spellcheck: 'false',
        pattern: '[A-Za-z0-9][A-Za-z0-9_.\\-]{0,39}',
      }),
      h('label', { for: 'account-role', text: t('accountRole') }),
      h(
        'select',
        { id: 'account-role' },
        ['operator', 'supervisor'].map((r) => h('option', { value: r, text: tv('role', r) })),
      ),
      h('button', { type: 'submit', class: 'primary', text: t('add') }),
    ),
    h(
      'table',
      { class: 'list' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          [t('accountName'), t('accountRole'), t('caseState'), t('createdAt'), t('actions')].map((x) =>
            h('th', { scope: 'col', text: x }),
          ),
        ),
      ),
      h('tbody', {}, rows),
    ),
  );
  secretBox?.querySelector('code')?.focus();
}

function secretNotice(name, secret) {
  return h(
    'div',
    { class: 'banner warn', role: 'alert', id: 'secret-once' },
    h('p', { text: t('secretOnce', { name }) }),
    h('code', { tabindex: '0', class: 'secret', text: secret }),
  );
}

async function onAddAccount(event) {
  event.preventDefault();
  const name = $('#account-name').value.trim();
  const role = $('#account-role').value;
  try {
    const created = await api('/accounts', { method: 'POST', body: { name, role } });
    await loadAccounts(secretNotice(created.name ?? name, created.secret));
  } catch (error) {
    showError(error);
  }
}

async function accountAction(name, action) {
  const question = action === 'disable' ? t('confirmDisable', { name }) : t('confirmReset', { name });
  if (!window.confirm(question)) return;
  try {
    const result = await api(`/accounts/${encodeURIComponent(name)}/${action}`, { method: 'POST' });
    await loadAccounts(action === 'reset' && result.secret ? secretNotice(name, result.secret) : undefined);
  } catch (error) {
    showError(error);
  }
}

// ---------------------------------------------------------------- language

function applyLanguage() {
  document.documentElement.lang = state.lang;
  for (const node of document.querySelectorAll('[data-i18n]')) node.textContent = t(node.dataset.i18n);
  const toggle = $('#lang');
  toggle.textContent = t('otherLanguage');
  toggle.lang = state.lang === 'vi' ? 'en' : 'vi';
  updateTitle();
  renderMute();
  renderWho();
}

function toggleLanguage() {
  state.lang = state.lang === 'vi' ? 'en' : 'vi';
  localStorage.setItem(store.lang, state.lang);
  state.queueKey = '';
  applyLanguage();
  if (state.me) route();
}

// ---------------------------------------------------------------- start

async function start() {
  applyLanguage();
  $('#login-form').addEventListener('submit', onLogin);
  $('#logout').addEventListener('click', onLogout);
  $('#lang').addEventListener('click', toggleLanguage);
  $('#mute').addEventListener('click', () => {
    const muted = localStorage.getItem(store.muted) === '1';
    localStorage.setItem(store.muted, muted ? '0' : '1');
    renderMute();
  });
  for (const tab of document.querySelectorAll('[role=tab]')) {
    tab.addEventListener('click', () => {
      state.tab = tab.dataset.tab;
      renderTabs();
      renderQueue();
    });
    tab.addEventListener('keydown', onTabKey);
  }
  window.addEventListener('hashchange', route);
  setInterval(tick, 1000);
  // Refetch now and then in case an event was missed while the stream reconnected.
  setInterval(() => {
    if (!state.me) return;
    if (!$('#view-queue').hidden) void loadQueue();
    else if (state.caseId && !$('#view-case').hidden) void loadCase(state.caseId);
  }, 15_000);

  try {
    const config = await fetch('/console/config.json', { credentials: 'same-origin' }).then((r) => r.json());
    if (config?.slaSeconds) state.config = config;
  } catch {
    // the defaults above serve until the next load
  }
  try {
    // A reload keeps the session (the cookie); the CSRF token comes back with it.
    const me = await api('/me', { quiet401: true });
    startSession(me);
  } catch {
    // not logged in
  }
  document.body.dataset.ready = 'true';
  route();
}

void start();
