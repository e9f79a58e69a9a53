// The web chat page: no build step, no third-party code. It keeps an anonymous session id in
// localStorage, posts messages, and receives replies over Server-Sent Events.
(() => {
  const UI = {
    vi: {
      title: 'Trợ lý di cư an toàn',
      exit: 'Thoát nhanh',
      send: 'Gửi',
      label: 'Tin nhắn',
      log: 'Cuộc trò chuyện',
      placeholder: 'Nhập tin nhắn hoặc dán tin tuyển dụng...',
      other: 'English',
      otherShort: 'EN',
      offline: 'Mất kết nối, đang thử lại...',
      failed: 'Chưa gửi được. Bạn thử lại nhé.',
      slow: 'Bạn gửi hơi nhanh, chờ một chút nhé.',
    },
    en: {
      title: 'Safe-migration assistant',
      exit: 'Quick exit',
      send: 'Send',
      label: 'Message',
      log: 'Conversation',
      placeholder: 'Type a message or paste a job offer...',
      other: 'Tiếng Việt',
      otherShort: 'VI',
      offline: 'Connection lost, retrying...',
      failed: 'Not sent. Please try again.',
      slow: 'You are sending quickly; please wait a moment.',
    },
  };
  const $ = (id) => document.getElementById(id);
  const log = $('log');
  const statusLine = $('status');
  const input = $('input');
  const base = document.currentScript ? new URL(document.currentScript.src).origin : location.origin;
  let lang =
    localStorage.getItem('smb.lang') ||
    ((navigator.language || 'vi').toLowerCase().startsWith('vi') ? 'vi' : 'en');
  let session = localStorage.getItem('smb.session');
  let source;

  function applyLanguage() {
    const t = UI[lang];
    document.documentElement.lang = lang;
    $('title').textContent = t.title;
    document.title = t.title;
    $('quick-exit').textContent = t.exit;
    $('send').textContent = t.send;
    $('input-label').textContent = t.label;
    log.setAttribute('aria-label', t.log);
    input.placeholder = t.placeholder;
    $('lang-toggle').textContent = t.otherShort;
    $('lang-toggle').setAttribute('aria-label', t.other);
  }

  function newId() {
    const bytes = new Uint8Array(12);
    crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  }

  function addBubble(kind, text) {
    const item = document.createElement('li');
    item.className = `msg ${kind}`;
    item.textContent = text;
    log.appendChild(item);
    item.scrollIntoView({ block: 'end' });
    return item;
  }

  function disableOldButtons() {
    for (const b of log.querySelectorAll('.buttons button')) b.disabled = true;
  }

  function renderReply(reply) {
    const item = addBubble(reply.from === 'operator' ? 'operator' : 'bot', reply.text);
    const rows = reply.buttons || [];
    const links = reply.links || [];
    const phones = reply.phones || [];
    if (rows.length || links.length || phones.length || reply.offersQuickExit) {
      const box = document.createElement('div');
      box.className = 'buttons';
      for (const row of rows) {
        for (const button of row) {
          const el = document.createElement('button');
          el.type = 'button';
          el.textContent = button.label;
          el.addEventListener('click', () => {
            disableOldButtons();
            addBubble('user', button.label);
            send({ button: button.payload });
          });
          box.appendChild(el);
        }
      }
      for (const link of links) {
        const a = document.createElement('a');
        a.href = link.url;
        a.textContent = link.label;
        a.target = '_blank';
        a.rel = 'noopener noreferrer';
        box.appendChild(a);
      }
      for (const phone of phones) {
        const a = document.createElement('a');
        a.href = `tel:${phone.phone.replace(/[^+\d]/g, '')}`;
        a.textContent = phone.label;
        box.appendChild(a);
      }
      item.appendChild(box);
    }
    item.scrollIntoView({ block: 'end' });
  }

  async function ensureSession() {
    if (session) return session;
    const res = await fetch(`${base}/chat/api/session`, { method: 'POST' });
    if (!res.ok) throw new Error(`session ${res.status}`);
    session = (await res.json()).session;
    localStorage.setItem('smb.session', session);
    return session;
  }

  // Sends one message; on a server hiccup it retries the SAME message id (the server dedupes), so
  // nothing is lost and nothing is answered twice. A safety text sent with a 503 is shown at once.
  async function send(body, id = newId(), attempt = 0) {
    statusLine.textContent = '';
    let retry = false;
    try {
      const s = await ensureSession();
      const res = await fetch(`${base}/chat/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ session: s, id, lang, ...body }),
        keepalive: true,
      });
      if (res.status === 429) statusLine.textContent = UI[lang].slow;
      else if (res.status >= 500) {
        const answer = await res.json().catch(() => ({}));
        if (answer.safety && attempt === 0) renderReply({ text: answer.safety.text });
        retry = true;
      } else if (!res.ok) statusLine.textContent = UI[lang].failed;
    } catch {
      retry = true;
    }
    if (retry) {
      statusLine.textContent = UI[lang].offline;
      if (attempt < 40)
        setTimeout(() => void send(body, id, attempt + 1), Math.min(15000, 1000 * 2 ** Math.min(attempt, 4)));
      else statusLine.textContent = UI[lang].failed;
    }
  }

  function listen() {
    if (source) source.close();
    const url = new URL(`${base}/chat/api/events`);
    url.searchParams.set('session', session);
    source = new EventSource(url);
    source.addEventListener('reply', (event) => {
      statusLine.textContent = '';
      renderReply(JSON.parse(event.data));
    });
    source.addEventListener('error', () => {
      statusLine.textContent = UI[lang].offline;
    });
    source.addEventListener('open', () => {
      statusLine.textContent = '';
    });
  }

  $('composer').addEventListener('submit', (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    input.value = '';
    disableOldButtons();
    addBubble('user', text);
    void send({ text });
  });
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault();
      $('composer').requestSubmit();
    }
  });
  $('lang-toggle').addEventListener('click', () => {
    lang = lang === 'vi' ? 'en' : 'vi';
    localStorage.setItem('smb.lang', lang);
    applyLanguage();
    void send({ text: `/lang ${lang}` });
  });
  // Quick exit: forget this conversation on this device and leave for an ordinary page at once.
  $('quick-exit').addEventListener('click', () => {
    if (session) void send({ text: '/exit' });
    localStorage.removeItem('smb.session');
    sessionStorage.clear();
    log.replaceChildren();
    location.replace('https://www.google.com/search?q=weather');
  });

  applyLanguage();
  (async () => {
    const fresh = !session;
    try {
      await ensureSession();
    } catch {
      statusLine.textContent = UI[lang].offline;
      return;
    }
    listen();
    if (fresh) await send({ text: '/start' });
  })();
})();
