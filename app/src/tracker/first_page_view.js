(function () {
  try {
    var w = window, now = Date.now(), uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
    var id = function () {
      var b = crypto.getRandomValues(new Uint8Array(16)), h = '';
      b[6] = (b[6] & 15) | 64;
      b[8] = (b[8] & 63) | 128;
      for (var i = 0; i < 16; i++) h += (b[i] + 256).toString(16).slice(1);
      return h.slice(0, 8) + '-' + h.slice(8, 12) + '-' + h.slice(12, 16) + '-' + h.slice(16, 20) + '-' + h.slice(20);
    };
    var get = function (s, k) { try { return w[s].getItem(k); } catch (e) { return null; } };
    var put = function (s, k, v) { try { w[s].setItem(k, v); } catch (e) {} };
    var client = get('localStorage', CLIENT_KEY);
    if (!client || !uuid.test(client)) { client = id(); put('localStorage', CLIENT_KEY, client); }
    var s = null;
    try { s = JSON.parse(get('sessionStorage', SESSION_KEY)); } catch (e) {}
    var live = s && typeof s.id == 'string' && uuid.test(s.id) && now - s.lastSeen <= TIMEOUT && s.lastSeen <= now;
    var session = live ? s.id : id();
    put('sessionStorage', SESSION_KEY, JSON.stringify({ id: session, lastSeen: now }));
    var event = {
      eventId: id(), eventName: 'page_view', eventTimestamp: new Date(now).toISOString(),
      clientId: client, sessionId: session, urlPath: (location.pathname + location.search).slice(0, 2048)
    };
    if (document.referrer) event.referrer = document.referrer.slice(0, 2048);
    var lang = document.documentElement.lang;
    if (LOCALES.indexOf(lang) >= 0) event.locale = lang;
    w[FIRST_KEY] = event;
    if (navigator.sendBeacon) navigator.sendBeacon(EVENTS_URL, JSON.stringify({ events: [event] }));
  } catch (e) {}
})();
