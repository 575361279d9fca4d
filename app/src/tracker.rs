//! The browser's clickstream tracker.
//!
//! Pages call the functions below; each stamps an event (a fresh `eventId`, the
//! client's clock, `clientId` from localStorage, `sessionId` from sessionStorage
//! with a 30-minute inactivity timeout, the page's path) and queues it. Nothing
//! waits on it: the queue is sent in batches (every 2 s or 10 events) to `/events`,
//! retried with backoff on network errors and 5xx, dropped on 4xx, bounded in
//! size, and handed to `navigator.sendBeacon` when the page is hidden.
//!
//! On the server every function is a no-op: events describe what a shopper saw.

use jewelry::Money;
use jewelry::cart::CartView;
use jewelry::catalog::ProductSummary;
use jewelry::events::EventName;
use jewelry::events::payload::{CartItemPayload, CartPayload, OrderPayload, ProductPayload};

/// The endpoint events go to.
pub const EVENTS_URL: &str = "/events";
/// localStorage key of the client id.
pub const CLIENT_ID_KEY: &str = "jw.clientId";
/// sessionStorage key of `{"id": ..., "lastSeen": <ms since epoch>}`.
pub const SESSION_KEY: &str = "jw.session";
/// A session ends after this long without an event.
pub const SESSION_TIMEOUT_MS: f64 = 30.0 * 60.0 * 1000.0;
/// Events per request.
pub const BATCH_SIZE: usize = 10;
/// The longest an event waits in the queue before a send is tried.
pub const FLUSH_INTERVAL_MS: i32 = 2_000;
/// Events kept while `/events` is unreachable; the oldest go first beyond this.
pub const MAX_QUEUE: usize = 200;
/// Retries back off from 1 s, doubling, to at most this.
pub const MAX_BACKOFF_MS: i32 = 30_000;
/// A send that has not been answered by then is abandoned and retried.
pub const SEND_TIMEOUT_MS: i32 = 10_000;

fn product_payload(p: &ProductSummary, quantity: Option<u32>) -> ProductPayload {
    ProductPayload {
        product_id: p.id.clone(),
        name: Some(p.name.clone()),
        category: Some(p.category_id.clone()),
        brand: Some(p.brand.clone()),
        price: Some(p.price.as_units()),
        discount_price: p.discount_price.map(Money::as_units),
        currency: Some(jewelry::SHOP_CURRENCY.to_owned()),
        quantity,
    }
}

/// A page was shown: `url` is its path and query.
pub fn page_view(url: String) {
    imp::track(EventName::PageView, Some(url), Extra::default());
}

pub fn product_view(product: &ProductSummary) {
    imp::track(
        EventName::ProductView,
        None,
        Extra { product: Some(product_payload(product, None)), ..Extra::default() },
    );
}

pub fn add_to_cart(product: &ProductSummary, quantity: u32) {
    imp::track(
        EventName::AddToCart,
        None,
        Extra { product: Some(product_payload(product, Some(quantity))), ..Extra::default() },
    );
}

pub fn checkout_start(cart: &CartView) {
    let items = cart
        .lines
        .iter()
        .take(jewelry::events::MAX_CART_ITEMS)
        .map(|l| CartItemPayload {
            product_id: l.product.id.clone(),
            quantity: l.quantity,
            price: l.unit_price().as_units(),
        })
        .collect();
    let payload = CartPayload { items, value: cart.subtotal().as_units(), currency: jewelry::SHOP_CURRENCY.to_owned() };
    imp::track(EventName::CheckoutStart, None, Extra { cart: Some(payload), ..Extra::default() });
}

pub fn checkout_complete(order_id: &str, total: Money, currency: &str) {
    let payload =
        OrderPayload { order_id: order_id.to_owned(), value: total.as_units(), currency: currency.to_owned() };
    imp::track(EventName::CheckoutComplete, None, Extra { order: Some(payload), ..Extra::default() });
}

/// Marks the end of hydration (`<body data-hydrated="true">`), which the
/// end-to-end tests wait for before clicking.
pub fn mark_hydrated() {
    imp::mark_hydrated();
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
    pub(super) fn mark_hydrated() {}
}

#[cfg(feature = "hydrate")]
mod imp {
    use super::*;
    use jewelry::events::payload::{EventBatch, EventPayload};
    use std::cell::RefCell;
    use std::collections::VecDeque;
    use wasm_bindgen::JsCast;
    use wasm_bindgen::prelude::*;
    use wasm_bindgen_futures::JsFuture;

    #[derive(Default)]
    struct Tracker {
        queue: VecDeque<EventPayload>,
        in_flight: bool,
        timer: Option<i32>,
        backoff_ms: i32,
        listening: bool,
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

    pub(super) fn mark_hydrated() {
        if let Some(body) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.body()) {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    }

    pub(super) fn track(name: EventName, url: Option<String>, extra: Extra) {
        let Some(window) = web_sys::window() else {
            return;
        };
        listen_for_page_hide(&window);
        let location = window.location();
        let url_path = url.unwrap_or_else(|| {
            let path = location.pathname().unwrap_or_else(|_| "/".into());
            format!("{path}{}", location.search().unwrap_or_default())
        });
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
        let event = EventPayload {
            event_id: new_uuid(&window),
            event_name: name,
            event_timestamp: js_sys::Date::new_0().to_iso_string().into(),
            client_id,
            session_id,
            url_path: jewelry::truncate_chars(&url_path, 2048).to_owned(),
            referrer: referrer.map(|r| jewelry::truncate_chars(&r, 2048).to_owned()),
            product: extra.product,
            cart: extra.cart,
            order: extra.order,
        };
        enqueue(event);
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

    /// The browser's id: minted once, kept in localStorage (or memory without it).
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

    fn enqueue(event: EventPayload) {
        let send_now = with(|t| {
            if t.queue.len() >= MAX_QUEUE {
                t.queue.pop_front();
            }
            t.queue.push_back(event);
            t.queue.len() >= BATCH_SIZE && !t.in_flight && t.backoff_ms == 0
        });
        if send_now {
            cancel_timer();
            flush();
        } else {
            schedule(FLUSH_INTERVAL_MS);
        }
    }

    fn schedule(delay_ms: i32) {
        if with(|t| t.timer.is_some()) {
            return;
        }
        let Some(window) = web_sys::window() else {
            return;
        };
        let callback = Closure::once_into_js(|| {
            with(|t| t.timer = None);
            flush();
        });
        if let Ok(handle) =
            window.set_timeout_with_callback_and_timeout_and_arguments_0(callback.unchecked_ref(), delay_ms)
        {
            with(|t| t.timer = Some(handle));
        }
    }

    fn cancel_timer() {
        if let (Some(handle), Some(window)) = (with(|t| t.timer.take()), web_sys::window()) {
            window.clear_timeout_with_handle(handle);
        }
    }

    enum Delivery {
        /// 2xx, or 4xx: the server has judged the batch; retrying cannot help.
        Done,
        /// A network error or 5xx: worth another try.
        Retry,
    }

    fn flush() {
        let batch: Vec<EventPayload> = with(|t| {
            if t.in_flight || t.queue.is_empty() {
                return Vec::new();
            }
            t.in_flight = true;
            let n = t.queue.len().min(BATCH_SIZE);
            t.queue.drain(..n).collect()
        });
        if batch.is_empty() {
            return;
        }
        wasm_bindgen_futures::spawn_local(async move {
            let delivery = post(&batch).await;
            let next = with(|t| {
                t.in_flight = false;
                match delivery {
                    Delivery::Done => t.backoff_ms = 0,
                    Delivery::Retry => {
                        for event in batch.into_iter().rev() {
                            if t.queue.len() >= MAX_QUEUE {
                                break;
                            }
                            t.queue.push_front(event);
                        }
                        t.backoff_ms = (t.backoff_ms * 2).clamp(1_000, MAX_BACKOFF_MS);
                    }
                }
                match (t.queue.len(), t.backoff_ms) {
                    (0, _) => None,
                    (_, b) if b > 0 => Some(b + (js_sys::Math::random() * 250.0) as i32),
                    (n, _) if n >= BATCH_SIZE => Some(0),
                    _ => Some(FLUSH_INTERVAL_MS),
                }
            });
            if let Some(delay) = next {
                schedule(delay);
            }
        });
    }

    async fn post(batch: &[EventPayload]) -> Delivery {
        let Some(window) = web_sys::window() else {
            return Delivery::Retry;
        };
        let Ok(body) = serde_json::to_string(&EventBatch { events: batch.to_vec() }) else {
            return Delivery::Done;
        };
        let init = web_sys::RequestInit::new();
        init.set_method("POST");
        init.set_body(&JsValue::from_str(&body));
        // Lets a send started just before the page goes away finish (web-sys has no setter).
        let _ = js_sys::Reflect::set(&init, &JsValue::from_str("keepalive"), &JsValue::TRUE);
        let Ok(headers) = web_sys::Headers::new() else {
            return Delivery::Retry;
        };
        let _ = headers.set("Content-Type", "application/json");
        init.set_headers(&headers);
        let Ok(request) = web_sys::Request::new_with_str_and_init(EVENTS_URL, &init) else {
            return Delivery::Retry;
        };
        match JsFuture::from(window.fetch_with_request(&request)).await {
            Ok(response) => match response.dyn_into::<web_sys::Response>() {
                Ok(r) if r.status() >= 500 => Delivery::Retry,
                Ok(r) if r.status() >= 400 => {
                    web_sys::console::warn_1(&format!("clickstream: /events refused a batch ({})", r.status()).into());
                    Delivery::Done
                }
                Ok(_) => Delivery::Done,
                Err(_) => Delivery::Retry,
            },
            Err(_) => Delivery::Retry,
        }
    }

    /// When the page is hidden or unloaded, whatever is queued leaves with
    /// `sendBeacon`, which the browser delivers even after the page is gone.
    fn listen_for_page_hide(window: &web_sys::Window) {
        if with(|t| std::mem::replace(&mut t.listening, true)) {
            return;
        }
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
        cancel_timer();
        let Some(window) = web_sys::window() else {
            return;
        };
        let navigator = window.navigator();
        let events: Vec<EventPayload> = with(|t| t.queue.drain(..).collect());
        let mut unsent = Vec::new();
        for chunk in events.chunks(BATCH_SIZE * 2) {
            let sent = serde_json::to_string(&EventBatch { events: chunk.to_vec() })
                .ok()
                .and_then(|body| navigator.send_beacon_with_opt_str(EVENTS_URL, Some(&body)).ok())
                .unwrap_or(false);
            if !sent {
                unsent.extend_from_slice(chunk);
            }
        }
        if !unsent.is_empty() {
            // The browser's beacon quota is full: keep them for the next send.
            with(|t| t.queue.extend(unsent));
            schedule(FLUSH_INTERVAL_MS);
        }
    }
}
