//! The browser's clickstream tracker.
//!
//! Pages call the functions below; each stamps an event (a fresh `eventId`, the
//! client's clock, `clientId` from localStorage, `sessionId` from sessionStorage
//! with a 30-minute inactivity timeout, the page's path) and queues it. Nothing
//! waits on it: the queue is sent in batches (every 2 s or 10 events) to `/events`,
//! retried with backoff on network errors, 5xx and sends unanswered after 10 s,
//! dropped on 4xx, bounded in size, and handed to `navigator.sendBeacon` when the
//! page is hidden. Those rules live in [`outbox`], which needs no browser; the
//! browser side below only carries out what it says.
//!
//! Every link is a page load, so a page's queue goes by beacon as it is left, and
//! a beacon's arrival is never known (one sent while `/events` is unreachable is
//! lost). What went by beacon is also kept in sessionStorage, and the visit's next
//! page sends it again with its first event, through the queue's retries; the
//! server's dedup drops the copies of those that did arrive.
//!
//! The first page of a visit does not wait for the wasm: a few lines in the page
//! itself (`first_page_view.js`, inlined by the server under the page's CSP nonce)
//! read or mint the same ids under the same keys and send its `page_view` with
//! `sendBeacon` as soon as the page is parsed, leaving the event in
//! `window.__jwFirstPageView`. The tracker's own first `page_view` is that event,
//! sent again (a beacon's arrival is never known) with the same `eventId`, which
//! the server's dedup drops when the beacon did arrive.
//!
//! Nothing is sent, and no id is stored, until the shopper accepts analytics
//! ([`jewelry::consent`]): every event is dropped while the consent cookie records
//! no acceptance of the current notice, and a refusal or a withdrawal made on the
//! page (the page's script tells the tracker with a `jw:consent` event) drops what
//! is queued. Accepting reloads the page, whose script sends its `page_view`; the
//! tracker's first `page_view` is that one, as above.
//!
//! A `page_view` carries the `utm_*` parameters of its address (the landing page's,
//! for a visit from a campaign); the server keeps the session's first.
//!
//! On the server every function is a no-op: events describe what a shopper saw.

use jewelry::cart::{CartView, LineVariant};
use jewelry::catalog::ProductSummary;
use jewelry::events::EventName;
use jewelry::events::payload::{CartItemPayload, CartPayload, OrderPayload, ProductPayload};
use jewelry::order::PlacedItem;
use jewelry::{Currency, Money};

#[cfg(feature = "ssr")]
mod first_page_view;
pub mod outbox;

#[cfg(feature = "ssr")]
pub use first_page_view::first_page_view_script;

/// The endpoint events go to: the server function's path.
pub const EVENTS_URL: &str = crate::events::EVENTS_PATH;
/// localStorage key of the client id.
pub const CLIENT_ID_KEY: &str = "jw.clientId";
/// sessionStorage key of `{"id": ..., "lastSeen": <ms since epoch>}`.
pub const SESSION_KEY: &str = "jw.session";
/// sessionStorage key of the events the last pages handed to `sendBeacon`.
pub const BEACONED_KEY: &str = "jw.beaconed";
/// The next page of the visit sends those events again if they are younger than
/// this: inside the server's dedup window (15 minutes), so one whose beacon did
/// arrive is dropped there.
pub const RESEND_WITHIN_MS: f64 = 10.0 * 60.0 * 1000.0;
/// Where the page's own script leaves the first `page_view` it sent.
pub const FIRST_PAGE_VIEW: &str = "__jwFirstPageView";
/// A session ends after this long without an event.
pub const SESSION_TIMEOUT_MS: f64 = 30.0 * 60.0 * 1000.0;
/// Events per request.
pub const BATCH_SIZE: usize = 10;
/// The longest an event waits in the queue before a send is tried.
pub const FLUSH_INTERVAL_MS: u32 = 2_000;
/// Events kept while `/events` is unreachable; the oldest go first beyond this.
pub const MAX_QUEUE: usize = 200;
/// Retries back off from 1 s, doubling, to at most this.
pub const MAX_BACKOFF_MS: u32 = 30_000;
/// A send that has not been answered by then is abandoned and retried.
pub const SEND_TIMEOUT_MS: i32 = 10_000;

fn product_payload(
    p: &ProductSummary,
    variant: Option<&LineVariant>,
    quantity: Option<u32>,
    currency: Currency,
) -> ProductPayload {
    ProductPayload {
        product_id: p.id.clone(),
        variant_id: variant.map(|v| v.id.clone()),
        sku: variant.map(|v| v.sku.clone()),
        // As the shopper saw it: in the page's language.
        name: Some(p.name.get(crate::i18n::locale()).to_owned()),
        category: Some(p.category_id.clone()),
        brand: Some(p.brand.clone()),
        price: Some(p.price.as_units(currency)),
        discount_price: p.discount_price.map(|d| d.as_units(currency)),
        currency: Some(currency.code().to_owned()),
        quantity,
    }
}

/// This page was shown (every page is a page load): its path and query.
/// Admin pages are not shop traffic ([`jewelry::events::is_shop_page`]): nothing is sent for them.
pub fn page_view() {
    let url = imp::current_path();
    if jewelry::events::is_shop_page(&url) {
        imp::track(EventName::PageView, Some(url), Extra::default());
    }
}

/// A product page was seen, showing `variant` (its price and stock `product`'s).
pub fn product_view(product: &ProductSummary, variant: Option<&LineVariant>, currency: Currency) {
    imp::track(
        EventName::ProductView,
        None,
        Extra { product: Some(product_payload(product, variant, None, currency)), ..Extra::default() },
    );
}

pub fn add_to_cart(product: &ProductSummary, variant: &LineVariant, quantity: u32, currency: Currency) {
    imp::track(
        EventName::AddToCart,
        None,
        Extra { product: Some(product_payload(product, Some(variant), Some(quantity), currency)), ..Extra::default() },
    );
}

/// A cart's lines as an event's items: a line per variant.
fn items(cart: &CartView, currency: Currency) -> Vec<CartItemPayload> {
    cart.lines
        .iter()
        .take(jewelry::events::MAX_CART_ITEMS)
        .map(|l| CartItemPayload {
            product_id: l.product.id.clone(),
            variant_id: Some(l.variant.id.clone()),
            sku: Some(l.variant.sku.clone()),
            quantity: l.quantity,
            price: l.unit_price().as_units(currency),
        })
        .collect()
}

pub fn checkout_start(cart: &CartView, currency: Currency) {
    let payload = CartPayload {
        items: items(cart, currency),
        value: cart.subtotal().as_units(currency),
        currency: currency.code().to_owned(),
    };
    imp::track(EventName::CheckoutStart, None, Extra { cart: Some(payload), ..Extra::default() });
}

/// An order was placed, of `placed` (as the server answered: what it took).
pub fn checkout_complete(order_id: &str, total: Money, currency: Currency, placed: &[PlacedItem]) {
    let items = placed
        .iter()
        .take(jewelry::events::MAX_CART_ITEMS)
        .map(|i| CartItemPayload {
            product_id: i.product_id.clone(),
            variant_id: Some(i.variant_id.clone()),
            sku: Some(i.sku.clone()),
            quantity: i.quantity,
            price: i.unit_price.as_units(currency),
        })
        .collect::<Vec<_>>();
    let payload = OrderPayload {
        order_id: order_id.to_owned(),
        items: (!items.is_empty()).then_some(items),
        value: total.as_units(currency),
        currency: currency.code().to_owned(),
    };
    imp::track(EventName::CheckoutComplete, None, Extra { order: Some(payload), ..Extra::default() });
}

/// The optional parts of an event.
#[derive(Default)]
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
struct Extra {
    product: Option<ProductPayload>,
    cart: Option<CartPayload>,
    order: Option<OrderPayload>,
}

#[cfg(not(feature = "hydrate"))]
mod imp {
    use super::Extra;
    use jewelry::events::EventName;

    pub(super) fn track(_name: EventName, _url: Option<String>, _extra: Extra) {}
    pub(super) fn current_path() -> String {
        String::new()
    }
}

#[cfg(feature = "hydrate")]
mod imp {
    use super::outbox::{Effect, Outbox};
    use super::*;
    use jewelry::events::payload::EventPayload;
    use std::cell::RefCell;
    use wasm_bindgen::JsCast;
    use wasm_bindgen::prelude::*;
    use wasm_bindgen_futures::JsFuture;

    /// A queued event: its id, and the event as it is sent (`EventPayload`'s
    /// JSON). Events are written once and never read back into Rust types, so
    /// the wasm holds no deserializer for them: the events a page's script or an
    /// earlier page left are read through the browser's own `JSON`.
    #[derive(Clone)]
    struct Queued {
        id: String,
        json: String,
    }

    impl Queued {
        fn new(event: &EventPayload) -> Option<Queued> {
            let json = serde_json::to_string(event).ok()?;
            Some(Queued { id: event.event_id.clone(), json })
        }

        /// An event the browser holds (a page's script made it, or it was kept in
        /// storage), if it has a valid `eventId`.
        fn from_js(event: &JsValue) -> Option<Queued> {
            let id = string_field(event, "eventId").filter(|id| is_uuid(id))?;
            let json = js_sys::JSON::stringify(event).ok()?.as_string()?;
            Some(Queued { id, json })
        }
    }

    fn string_field(object: &JsValue, name: &str) -> Option<String> {
        js_sys::Reflect::get(object, &JsValue::from_str(name)).ok()?.as_string()
    }

    /// The events, already JSON, as a JSON array.
    fn json_array(events: &[Queued]) -> String {
        let mut array = String::from("[");
        for (i, event) in events.iter().enumerate() {
            if i > 0 {
                array.push(',');
            }
            array.push_str(&event.json);
        }
        array.push(']');
        array
    }

    /// A request's body: `{"events": [...]}` ([`jewelry::events::payload::EventBatch`]).
    fn batch_body(events: &[Queued]) -> String {
        format!("{{\"events\":{}}}", json_array(events))
    }

    #[derive(Default)]
    struct Tracker {
        outbox: Outbox<Queued>,
        /// The flush or retry timer's handle.
        timer: Option<i32>,
        listening: bool,
        /// Listening for the page script's news of a consent choice.
        consent_heard: bool,
        /// The last page shown, the referrer of the next one.
        last_url: Option<String>,
        /// Used when storage is unavailable (private mode, quota, disabled).
        memory_client_id: Option<String>,
        memory_session: Option<(String, f64)>,
    }

    thread_local! {
        static TRACKER: RefCell<Tracker> = RefCell::new(Tracker::default());
    }

    fn with<R>(f: impl FnOnce(&mut Tracker) -> R) -> R {
        TRACKER.with(|t| f(&mut t.borrow_mut()))
    }

    /// The page's path and query.
    pub(super) fn current_path() -> String {
        let Some(location) = web_sys::window().map(|w| w.location()) else {
            return "/".to_owned();
        };
        let path = location.pathname().unwrap_or_else(|_| "/".into());
        format!("{path}{}", location.search().unwrap_or_default())
    }

    pub(super) fn track(name: EventName, url: Option<String>, extra: Extra) {
        let Some(window) = web_sys::window() else {
            return;
        };
        listen_for_consent(&window);
        if !consented(&window) {
            return;
        }
        listen_for_page_hide(&window);
        let location = window.location();
        if name == EventName::PageView
            && let Some(first) = first_page_view(&window)
        {
            // The page's own script sent this page's view before the wasm was here:
            // the same event goes again (same `eventId`, so the server keeps one), in
            // case its beacon never arrived, and its ids are this tracker's from now on.
            let origin = location.origin().unwrap_or_default();
            with(|t| {
                t.last_url = Some(format!("{origin}{}", first.url_path));
                if let Some(id) = first.client_id {
                    t.memory_client_id.get_or_insert(id);
                }
                if let Some(id) = first.session_id {
                    t.memory_session.get_or_insert_with(|| (id, js_sys::Date::now()));
                }
            });
            enqueue(first.event);
            return;
        }
        let url_path = url.unwrap_or_else(current_path);
        let url_path = if url_path.starts_with('/') { url_path } else { format!("/{url_path}") };
        let now = js_sys::Date::now();
        let client_id = client_id(&window);
        let session_id = session_id(&window, now);
        let referrer = if name == EventName::PageView {
            let origin = location.origin().unwrap_or_default();
            let previous = with(|t| t.last_url.replace(format!("{origin}{url_path}")));
            previous.or_else(|| window.document().map(|d| d.referrer())).filter(|r| !r.is_empty())
        } else {
            None
        };
        let campaign = match name {
            EventName::PageView => jewelry::events::payload::CampaignPayload::from_query(
                url_path.split_once('?').map_or("", |(_, query)| query),
            ),
            _ => Default::default(),
        };
        let event = EventPayload {
            event_id: new_uuid(&window),
            event_name: name,
            event_timestamp: js_sys::Date::new_0().to_iso_string().into(),
            client_id,
            session_id,
            url_path: jewelry::truncate_chars(&url_path, 2048).to_owned(),
            referrer: referrer.map(|r| jewelry::truncate_chars(&r, 2048).to_owned()),
            locale: crate::components::browser::page_locale().map(|l| l.code().to_owned()),
            utm_source: campaign.utm_source,
            utm_medium: campaign.utm_medium,
            utm_campaign: campaign.utm_campaign,
            utm_term: campaign.utm_term,
            utm_content: campaign.utm_content,
            product: extra.product,
            cart: extra.cart,
            order: extra.order,
        };
        if let Some(event) = Queued::new(&event) {
            enqueue(event);
        }
    }

    /// The shopper accepted analytics under the current notice: the consent cookie
    /// says so (read each time: a choice made in another tab counts at once).
    fn consented(window: &web_sys::Window) -> bool {
        let Some(document) = window.document() else {
            return false;
        };
        let cookies = js_sys::Reflect::get(&document, &JsValue::from_str("cookie")).ok().and_then(|c| c.as_string());
        let choice = cookies.as_deref().and_then(jewelry::consent::in_cookies);
        jewelry::consent::current_choice(choice) == Some(jewelry::consent::Choice::Accepted)
    }

    /// The page's script says the shopper refused or withdrew (`jw:consent`): what
    /// waits is dropped at once. (An acceptance reloads the page, whose script then
    /// sends its `page_view`.)
    fn listen_for_consent(window: &web_sys::Window) {
        if with(|t| std::mem::replace(&mut t.consent_heard, true)) {
            return;
        }
        let on_choice = Closure::<dyn FnMut(web_sys::Event)>::new(|_e: web_sys::Event| {
            if !web_sys::window().is_some_and(|w| consented(&w)) {
                let effects = with(|t| t.outbox.clear());
                carry_out(effects);
            }
        });
        let _ = window.add_event_listener_with_callback("jw:consent", on_choice.as_ref().unchecked_ref());
        on_choice.forget();
    }

    /// The page script's `page_view`, and the ids and path it names.
    struct FirstPageView {
        event: Queued,
        url_path: String,
        client_id: Option<String>,
        session_id: Option<String>,
    }

    /// The `page_view` the page's script sent (`window.__jwFirstPageView`), taken
    /// once: only the first page of a visit has one, and only until the tracker's
    /// first `page_view`, which is that page's.
    fn first_page_view(window: &web_sys::Window) -> Option<FirstPageView> {
        let key = JsValue::from_str(FIRST_PAGE_VIEW);
        let value = js_sys::Reflect::get(window, &key).ok().filter(|v| v.is_object())?;
        let _ = js_sys::Reflect::delete_property(window, &key);
        if string_field(&value, "eventName").as_deref() != Some(EventName::PageView.as_str()) {
            return None;
        }
        Some(FirstPageView {
            url_path: string_field(&value, "urlPath")?,
            client_id: string_field(&value, "clientId").filter(|id| is_uuid(id)),
            session_id: string_field(&value, "sessionId").filter(|id| is_uuid(id)),
            event: Queued::from_js(&value)?,
        })
    }

    fn new_uuid(window: &web_sys::Window) -> String {
        let mut bytes = [0u8; 16];
        let filled = window.crypto().and_then(|c| c.get_random_values_with_u8_array(&mut bytes).map(|_| ()));
        if filled.is_err() {
            // No Web Crypto: Math.random is good enough to tell events apart.
            for b in bytes.iter_mut() {
                *b = (js_sys::Math::random() * 256.0) as u8;
            }
        }
        uuid::Builder::from_random_bytes(bytes).into_uuid().hyphenated().to_string()
    }

    fn is_uuid(s: &str) -> bool {
        s.len() == 36 && uuid::Uuid::try_parse(s).is_ok()
    }

    /// The browser's id: minted once, kept in localStorage (without it, in memory: for
    /// this page only, as every link is a page load).
    fn client_id(window: &web_sys::Window) -> String {
        if let Some(storage) = window.local_storage().ok().flatten() {
            if let Ok(Some(id)) = storage.get_item(CLIENT_ID_KEY)
                && is_uuid(&id)
            {
                return id;
            }
            let id = new_uuid(window);
            if storage.set_item(CLIENT_ID_KEY, &id).is_ok() {
                return id;
            }
        }
        with(|t| t.memory_client_id.clone()).unwrap_or_else(|| {
            let id = new_uuid(window);
            with(|t| t.memory_client_id = Some(id.clone()));
            id
        })
    }

    #[derive(serde::Serialize, serde::Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct StoredSession {
        id: String,
        last_seen: f64,
    }

    /// The session's id: renewed after [`SESSION_TIMEOUT_MS`] without events; every
    /// event moves `lastSeen` on.
    fn session_id(window: &web_sys::Window, now: f64) -> String {
        let live = |id: &str, last_seen: f64| is_uuid(id) && now - last_seen <= SESSION_TIMEOUT_MS && last_seen <= now;
        if let Some(storage) = window.session_storage().ok().flatten() {
            let stored = storage
                .get_item(SESSION_KEY)
                .ok()
                .flatten()
                .and_then(|raw| serde_json::from_str::<StoredSession>(&raw).ok())
                .filter(|s| live(&s.id, s.last_seen));
            let id = stored.map(|s| s.id).unwrap_or_else(|| new_uuid(window));
            let record = serde_json::to_string(&StoredSession { id: id.clone(), last_seen: now }).unwrap_or_default();
            if storage.set_item(SESSION_KEY, &record).is_ok() {
                return id;
            }
        }
        let id = with(|t| t.memory_session.clone())
            .filter(|(id, last_seen)| live(id, *last_seen))
            .map(|(id, _)| id)
            .unwrap_or_else(|| new_uuid(window));
        with(|t| t.memory_session = Some((id.clone(), now)));
        id
    }

    fn enqueue(event: Queued) {
        let effects = with(|t| t.outbox.push(event));
        carry_out(effects);
    }

    /// Does what the outbox asks for.
    fn carry_out(effects: Vec<Effect<Queued>>) {
        for effect in effects {
            match effect {
                Effect::Send(batch) => {
                    if !web_sys::window().is_some_and(|w| consented(&w)) {
                        // Consent was taken back since these were queued.
                        let effects = with(|t| t.outbox.clear());
                        carry_out(effects);
                        continue;
                    }
                    wasm_bindgen_futures::spawn_local(async move {
                        let status = post(&batch).await;
                        let jitter = (js_sys::Math::random() * 250.0) as u32;
                        let effects = with(|t| t.outbox.answered(status, jitter));
                        carry_out(effects);
                    });
                }
                Effect::StartTimer(delay_ms) => start_timer(delay_ms),
                Effect::CancelTimer => cancel_timer(),
            }
        }
    }

    fn start_timer(delay_ms: u32) {
        let Some(window) = web_sys::window() else {
            return;
        };
        let callback = Closure::once_into_js(|| {
            with(|t| t.timer = None);
            let effects = with(|t| t.outbox.timer_fired());
            carry_out(effects);
        });
        let delay = i32::try_from(delay_ms).unwrap_or(i32::MAX);
        if let Ok(handle) =
            window.set_timeout_with_callback_and_timeout_and_arguments_0(callback.unchecked_ref(), delay)
        {
            with(|t| t.timer = Some(handle));
        }
    }

    fn cancel_timer() {
        if let (Some(handle), Some(window)) = (with(|t| t.timer.take()), web_sys::window()) {
            window.clear_timeout_with_handle(handle);
        }
    }

    /// POSTs the batch; answers the status, or `None` on a network error or when no
    /// answer came within [`SEND_TIMEOUT_MS`] (the request is then aborted).
    async fn post(batch: &[Queued]) -> Option<u16> {
        let window = web_sys::window()?;
        let body = batch_body(batch);
        let init = web_sys::RequestInit::new();
        init.set_method("POST");
        init.set_body(&JsValue::from_str(&body));
        // Lets a send started just before the page goes away finish (web-sys has no setter).
        let _ = js_sys::Reflect::set(&init, &JsValue::from_str("keepalive"), &JsValue::TRUE);
        let headers = web_sys::Headers::new().ok()?;
        let _ = headers.set("Content-Type", "application/json");
        init.set_headers(&headers);
        let controller = web_sys::AbortController::new().ok();
        let abort_timer = controller.as_ref().and_then(|controller| {
            init.set_signal(Some(&controller.signal()));
            let controller = controller.clone();
            let abort = Closure::once_into_js(move || controller.abort());
            window.set_timeout_with_callback_and_timeout_and_arguments_0(abort.unchecked_ref(), SEND_TIMEOUT_MS).ok()
        });
        let request = web_sys::Request::new_with_str_and_init(EVENTS_URL, &init).ok()?;
        let answer = JsFuture::from(window.fetch_with_request(&request)).await;
        if let Some(handle) = abort_timer {
            window.clear_timeout_with_handle(handle);
        }
        let response = answer.ok()?.dyn_into::<web_sys::Response>().ok()?;
        let status = response.status();
        if (400..500).contains(&status) {
            web_sys::console::warn_1(&format!("clickstream: /events refused a batch ({status})").into());
        }
        Some(status)
    }

    /// When the page is hidden or unloaded, whatever is queued leaves with
    /// `sendBeacon`, which the browser delivers even after the page is gone.
    fn listen_for_page_hide(window: &web_sys::Window) {
        if with(|t| std::mem::replace(&mut t.listening, true)) {
            return;
        }
        resend_beaconed(window);
        let on_hide = Closure::<dyn FnMut(web_sys::Event)>::new(|_e: web_sys::Event| send_all_with_beacon());
        let _ = window.add_event_listener_with_callback("pagehide", on_hide.as_ref().unchecked_ref());
        on_hide.forget();
        if let Some(document) = window.document() {
            let on_visibility = Closure::<dyn FnMut(web_sys::Event)>::new(|_e: web_sys::Event| {
                let hidden = web_sys::window().and_then(|w| w.document()).is_some_and(|d| d.hidden());
                if hidden {
                    send_all_with_beacon();
                }
            });
            let _ =
                document.add_event_listener_with_callback("visibilitychange", on_visibility.as_ref().unchecked_ref());
            on_visibility.forget();
        }
    }

    fn send_all_with_beacon() {
        let Some(window) = web_sys::window() else {
            return;
        };
        if !consented(&window) {
            let effects = with(|t| t.outbox.clear());
            carry_out(effects);
            return;
        }
        let (effects, chunks) = with(|t| t.outbox.take_for_beacon());
        carry_out(effects);
        remember_beaconed(&window, chunks.iter().flatten());
        let navigator = window.navigator();
        let mut unsent = Vec::new();
        for chunk in chunks {
            let sent = navigator.send_beacon_with_opt_str(EVENTS_URL, Some(&batch_body(&chunk))).unwrap_or(false);
            if !sent {
                unsent.extend(chunk);
            }
        }
        if !unsent.is_empty() {
            // The browser's beacon quota is full: keep them for the next send.
            let effects = with(|t| t.outbox.beacon_refused(unsent));
            carry_out(effects);
        }
    }

    /// The kept events (a JSON array of events), each with its timestamp in ms
    /// since the epoch (NaN for one that does not parse).
    fn read_beaconed(storage: &web_sys::Storage) -> Vec<(Queued, f64)> {
        let Some(kept) = storage
            .get_item(BEACONED_KEY)
            .ok()
            .flatten()
            .and_then(|json| js_sys::JSON::parse(&json).ok())
            .and_then(|value| value.dyn_into::<js_sys::Array>().ok())
        else {
            return Vec::new();
        };
        kept.iter()
            .filter_map(|event| {
                let at = string_field(&event, "eventTimestamp").map_or(f64::NAN, |ts| js_sys::Date::parse(&ts));
                Some((Queued::from_js(&event)?, at))
            })
            .collect()
    }

    /// Adds the events handed to beacons to those kept for the next page (the
    /// newest [`MAX_QUEUE`]).
    fn remember_beaconed<'a>(window: &web_sys::Window, events: impl Iterator<Item = &'a Queued>) {
        let Some(storage) = window.session_storage().ok().flatten() else {
            return;
        };
        let mut kept: Vec<Queued> = read_beaconed(&storage).into_iter().map(|(event, _)| event).collect();
        for event in events {
            kept.retain(|k| k.id != event.id);
            kept.push(event.clone());
        }
        let start = kept.len().saturating_sub(MAX_QUEUE);
        let _ = storage.set_item(BEACONED_KEY, &json_array(&kept[start..]));
    }

    /// Queues again what the visit's pages before this one handed to beacons, the
    /// events younger than [`RESEND_WITHIN_MS`].
    fn resend_beaconed(window: &web_sys::Window) {
        let Some(storage) = window.session_storage().ok().flatten() else {
            return;
        };
        let kept = read_beaconed(&storage);
        if kept.is_empty() {
            return;
        }
        let _ = storage.remove_item(BEACONED_KEY);
        let now = js_sys::Date::now();
        for (event, at) in kept {
            // NaN for a timestamp that does not parse: not sent again.
            if now - at < RESEND_WITHIN_MS {
                enqueue(event);
            }
        }
    }
}
