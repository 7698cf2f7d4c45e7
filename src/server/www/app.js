// app.js -- progressive enhancement for the corpsearch search page.
//
// The page works without this file: every link and form is plain HTML. With
// it: suggestions as you type (from /api/suggest), and searches, filters and
// pages load without a full reload (the server-rendered page is fetched and
// its <main> swapped in; the URL and the back button keep working).
'use strict';

(function () {
  const form = document.getElementById('search-form');
  const input = document.getElementById('q');
  const list = document.getElementById('suggest');
  if (!form || !input || !list) return;

  // ---- suggestions ----------------------------------------------------
  let timer = 0;
  let active = -1;
  let lastAsked = '';
  let controller = null;

  function closeSuggest() {
    list.hidden = true;
    list.replaceChildren();
    active = -1;
    input.setAttribute('aria-expanded', 'false');
  }

  function showSuggest(items) {
    list.replaceChildren();
    active = -1;
    items.forEach(function (text, i) {
      const li = document.createElement('li');
      li.setAttribute('role', 'option');
      li.id = 'sg-' + i;
      li.textContent = text;          // text, never HTML
      li.addEventListener('mousedown', function (ev) {
        ev.preventDefault();          // keep focus in the box
        choose(text);
      });
      list.appendChild(li);
    });
    list.hidden = items.length === 0;
    input.setAttribute('aria-expanded', items.length ? 'true' : 'false');
  }

  function highlight(i) {
    const items = list.children;
    if (!items.length) return;
    active = (i + items.length) % items.length;
    for (let k = 0; k < items.length; k++)
      items[k].setAttribute('aria-selected', k === active ? 'true' : 'false');
    input.setAttribute('aria-activedescendant', items[active].id);
  }

  function choose(text) {
    input.value = text;
    closeSuggest();
    submitForm(form);
  }

  function askSuggest() {
    const q = input.value.trim();
    if (q === lastAsked) return;
    lastAsked = q;
    if (q.length < 2) { closeSuggest(); return; }
    if (controller) controller.abort();
    controller = new AbortController();
    fetch('/api/suggest?q=' + encodeURIComponent(q), { signal: controller.signal })
      .then(function (r) { return r.ok ? r.json() : { suggestions: [] }; })
      .then(function (j) {
        if (input.value.trim() === q && document.activeElement === input)
          showSuggest(j.suggestions || []);
      })
      .catch(function () { /* aborted or offline: no suggestions */ });
  }

  input.setAttribute('aria-expanded', 'false');
  input.addEventListener('input', function () {
    clearTimeout(timer);
    timer = setTimeout(askSuggest, 120);
  });
  input.addEventListener('keydown', function (ev) {
    if (list.hidden) return;
    if (ev.key === 'ArrowDown') { ev.preventDefault(); highlight(active + 1); }
    else if (ev.key === 'ArrowUp') { ev.preventDefault(); highlight(active - 1); }
    else if (ev.key === 'Escape') { ev.preventDefault(); closeSuggest(); }  // not clear the box
    else if (ev.key === 'Enter' && active >= 0) {
      ev.preventDefault();
      choose(list.children[active].textContent);
    }
  });
  input.addEventListener('blur', function () { setTimeout(closeSuggest, 100); });

  // "/" anywhere focuses the search box, as on many search sites.
  document.addEventListener('keydown', function (ev) {
    const tag = (ev.target && ev.target.tagName) || '';
    if (ev.key === '/' && tag !== 'INPUT' && tag !== 'TEXTAREA') {
      ev.preventDefault();
      input.focus();
      input.select();
    }
  });

  // ---- navigation without full reloads -------------------------------
  const parser = new DOMParser();
  let loading = null;

  function sameApp(url) {
    return url.origin === location.origin && url.pathname === '/';
  }

  function swapIn(html) {
    const doc = parser.parseFromString(html, 'text/html');
    const main = doc.getElementById('main');
    if (!main) return false;
    document.getElementById('main').replaceWith(main);
    ['state', 'langs'].forEach(function (id) {
      const el = document.getElementById(id);
      const nu = doc.getElementById(id);
      if (el && nu) el.replaceWith(nu);
    });
    const nq = doc.getElementById('q');
    if (nq && document.activeElement !== input) input.value = nq.value;
    document.title = doc.title;
    document.documentElement.lang = doc.documentElement.lang;
    adaptPanel();
    return true;
  }

  function navigate(href, push) {
    if (loading) loading.abort();
    loading = new AbortController();
    document.body.classList.add('loading');
    fetch(href, { headers: { Accept: 'text/html' }, signal: loading.signal })
      .then(function (r) { return r.text(); })
      .then(function (html) {
        if (!swapIn(html)) { location.href = href; return; }
        if (push) history.pushState(null, '', href);
        document.body.classList.remove('loading');
        window.scrollTo(0, 0);
      })
      .catch(function (err) {
        if (err.name !== 'AbortError') location.href = href;  // let the browser try
      });
  }

  // GET forms: the same URL the browser would build, minus empty fields.
  function submitForm(f) {
    const params = new URLSearchParams();
    new FormData(f).forEach(function (v, k) { if (v !== '') params.append(k, v); });
    const qs = params.toString();
    navigate('/' + (qs ? '?' + qs : ''), true);
  }

  document.addEventListener('click', function (ev) {
    if (ev.defaultPrevented || ev.button !== 0 || ev.metaKey || ev.ctrlKey ||
        ev.shiftKey || ev.altKey) return;
    const a = ev.target.closest && ev.target.closest('a[href]');
    if (!a || a.target) return;
    const url = new URL(a.href, location.href);
    if (!sameApp(url)) return;
    ev.preventDefault();
    navigate(url.pathname + url.search, true);
  });

  document.addEventListener('submit', function (ev) {
    const f = ev.target;
    if (!f.action || !sameApp(new URL(f.action, location.href)) ||
        (f.method || 'get').toLowerCase() !== 'get') return;
    if (f.checkValidity && !f.checkValidity()) return;
    ev.preventDefault();
    closeSuggest();
    submitForm(f);
  });

  window.addEventListener('popstate', function () {
    navigate(location.pathname + location.search, false);
  });

  // ---- the filter panel on phones -------------------------------------
  // Open by default so it works without JS; folded on narrow screens here.
  const narrow = window.matchMedia('(max-width: 760px)');
  function adaptPanel() {
    const panel = document.getElementById('panel');
    if (panel) panel.open = !narrow.matches;
  }
  adaptPanel();
  narrow.addEventListener('change', adaptPanel);
})();
