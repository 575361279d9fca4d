(function () {
  try {
    var w = window, d = document, V = NOTICE_VERSION, U = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
    var id = function () {
      var b = crypto.getRandomValues(new Uint8Array(16)), h = '', i = 0;
      b[6] = b[6] & 15 | 64; b[8] = b[8] & 63 | 128;
      for (; i < 16; i++) h += (b[i] + 256).toString(16).slice(1);
      return h.slice(0, 8) + '-' + h.slice(8, 12) + '-' + h.slice(12, 16) + '-' + h.slice(16, 20) + '-' + h.slice(20);
    };
    var get = function (s, k) { try { return w[s].getItem(k); } catch (e) { return null; } };
    var put = function (s, k, v) { try { w[s].setItem(k, v); } catch (e) {} };
    var del = function (s, k) { try { w[s].removeItem(k); } catch (e) {} };
    var m = d.cookie.match(/(?:^|;\s*)CONSENT_NAME=([^;]*)/), choice = m && m[1].indexOf(V + '.') == 0 ? m[1].slice(V.length + 1) : '';
    var remember = function (c) { d.cookie = 'CONSENT_NAME=' + V + '.' + c + ';path=/;max-age=REMEMBER_SECS;samesite=lax' + (location.protocol == 'https:' ? ';secure' : ''); };
    var forget = function () { del('localStorage', CLIENT_KEY); del('sessionStorage', SESSION_KEY); del('sessionStorage', BEACONED_KEY); };
    var ids = function () {
      var c = get('localStorage', CLIENT_KEY), s = null, t = Date.now();
      if (!c || !U.test(c)) { c = id(); put('localStorage', CLIENT_KEY, c); }
      try { s = JSON.parse(get('sessionStorage', SESSION_KEY)); } catch (e) {}
      s = s && typeof s.id == 'string' && U.test(s.id) && t - s.lastSeen <= TIMEOUT && s.lastSeen <= t ? s.id : id();
      put('sessionStorage', SESSION_KEY, JSON.stringify({ id: s, lastSeen: t }));
      return [c, s];
    };
    d.addEventListener('submit', function (e) {
      var f = e.target, c = e.submitter && e.submitter.value, i, k;
      if (!f.hasAttribute('data-consent-form') || !c) return;
      if (c == 'accepted') {
        i = ids();
        for (k = 0; k < 2; k++) { var x = d.createElement('input'); x.type = 'hidden'; x.name = ['clientId', 'sessionId'][k]; x.value = i[k]; f.appendChild(x); }
      } else { forget(); remember(c); w.dispatchEvent(new Event('jw:consent')); }
    });
    if (choice == 'accepted') {
      var i = ids(), q = new URLSearchParams(location.search), ev = {
        eventId: id(), eventName: 'page_view', eventTimestamp: new Date().toISOString(),
        clientId: i[0], sessionId: i[1], urlPath: (location.pathname + location.search).slice(0, 2048)
      };
      if (d.referrer) ev.referrer = d.referrer.slice(0, 2048);
      if (LOCALES.indexOf(d.documentElement.lang) >= 0) ev.locale = d.documentElement.lang;
      ['Source', 'Medium', 'Campaign', 'Term', 'Content'].forEach(function (k) {
        var v = (q.get('utm_' + k.toLowerCase()) || '').trim();
        if (v) ev['utm' + k] = v.slice(0, 200);
      });
      w[FIRST_KEY] = ev;
      if (navigator.sendBeacon) navigator.sendBeacon(EVENTS_URL, JSON.stringify({ events: [ev] }));
      return;
    }
    forget();
    if (!choice && navigator.globalPrivacyControl === true) {
      d.documentElement.setAttribute('data-gpc', '');
      remember('refused');
      if (navigator.sendBeacon) navigator.sendBeacon('/consent', new URLSearchParams({ choice: 'refused', source: 'gpc', return_to: location.pathname, js: '1' }));
    }
  } catch (e) {}
})();
