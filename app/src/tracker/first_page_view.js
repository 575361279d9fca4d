(function () {
  try {
    var w = window, d = document, uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
    var id = function () {
      var b = crypto.getRandomValues(new Uint8Array(16)), h = '';
      b[6] = (b[6] & 15) | 64;
      b[8] = (b[8] & 63) | 128;
      for (var i = 0; i < 16; i++) h += (b[i] + 256).toString(16).slice(1);
      return h.slice(0, 8) + '-' + h.slice(8, 12) + '-' + h.slice(12, 16) + '-' + h.slice(16, 20) + '-' + h.slice(20);
    };
    var get = function (s, k) { try { return w[s].getItem(k); } catch (e) { return null; } };
    var put = function (s, k, v) { try { w[s].setItem(k, v); } catch (e) {} };
    var del = function (s, k) { try { w[s].removeItem(k); } catch (e) {} };
    var choice = function () { var m = d.cookie.match(/(?:^|;\s*)CONSENT_NAME=([^;]*)/); return m && m[1].indexOf(NOTICE_VERSION + '.') == 0 ? m[1].slice(NOTICE_VERSION.length + 1) : ''; };
    var remember = function (c) { d.cookie = 'CONSENT_NAME=' + NOTICE_VERSION + '.' + c + '; path=/; max-age=REMEMBER_SECS; samesite=lax' + (location.protocol == 'https:' ? '; secure' : ''); };
    var forget = function () { del('localStorage', CLIENT_KEY); del('sessionStorage', SESSION_KEY); del('sessionStorage', BEACONED_KEY); };
    var ids = function () {
      var client = get('localStorage', CLIENT_KEY);
      if (!client || !uuid.test(client)) { client = id(); put('localStorage', CLIENT_KEY, client); }
      var s = null;
      try { s = JSON.parse(get('sessionStorage', SESSION_KEY)); } catch (e) {}
      var t = Date.now(), live = s && typeof s.id == 'string' && uuid.test(s.id) && t - s.lastSeen <= TIMEOUT && s.lastSeen <= t;
      var session = live ? s.id : id();
      put('sessionStorage', SESSION_KEY, JSON.stringify({ id: session, lastSeen: t }));
      return [client, session];
    };
    var view = function () {
      var c = ids();
      var event = {
        eventId: id(), eventName: 'page_view', eventTimestamp: new Date().toISOString(),
        clientId: c[0], sessionId: c[1], urlPath: (location.pathname + location.search).slice(0, 2048)
      };
      if (d.referrer) event.referrer = d.referrer.slice(0, 2048);
      var lang = d.documentElement.lang;
      if (LOCALES.indexOf(lang) >= 0) event.locale = lang;
      var q = new URLSearchParams(location.search);
      ['Source', 'Medium', 'Campaign', 'Term', 'Content'].forEach(function (k) {
        var v = (q.get('utm_' + k.toLowerCase()) || '').trim();
        if (v) event['utm' + k] = v.slice(0, 200);
      });
      w[FIRST_KEY] = event;
      if (navigator.sendBeacon) navigator.sendBeacon(EVENTS_URL, JSON.stringify({ events: [event] }));
    };
    var field = function (f, name, value) {
      var input = f.querySelector('input[type=hidden][name=' + name + ']');
      if (!input) { input = d.createElement('input'); input.type = 'hidden'; input.name = name; f.appendChild(input); }
      input.value = value;
    };
    d.addEventListener('submit', function (e) {
      var f = e.target, c = e.submitter && e.submitter.value;
      if (!f.hasAttribute('data-consent-form') || !c) return;
      if (c == 'accepted') { var i = ids(); field(f, 'clientId', i[0]); field(f, 'sessionId', i[1]); } else forget();
      remember(c);
      if (c != 'accepted') w.dispatchEvent(new Event('jw:consent'));
      if (!f.hasAttribute('data-banner') || !w.fetch) return;
      e.preventDefault();
      field(f, 'choice', c);
      var body = new URLSearchParams(new FormData(f));
      body.set('js', '1');
      fetch('/consent', { method: 'POST', body: body }).then(function (r) {
        if (!r.ok) throw r.status;
        f.parentNode.hidden = true;
        if (c == 'accepted') { view(); w.dispatchEvent(new Event('jw:consent')); }
      }).catch(function () { f.submit(); });
    });
    d.addEventListener('click', function (e) {
      var a = e.target.closest && e.target.closest('[data-consent-close]');
      if (a) { e.preventDefault(); a.closest('aside').hidden = true; }
    });
    var now_choice = choice();
    if (now_choice == 'accepted') { view(); return; }
    forget();
    if (!now_choice && navigator.globalPrivacyControl === true) {
      d.documentElement.setAttribute('data-gpc', '');
      remember('refused');
      var b = new URLSearchParams({ choice: 'refused', source: 'gpc', return_to: location.pathname, js: '1' });
      if (navigator.sendBeacon) navigator.sendBeacon('/consent', b);
    }
  } catch (e) {}
})();
