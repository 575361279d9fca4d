//! Fulfilment: an order's statuses, the moves an admin makes between them (with
//! what each move records), the history a shopper and an admin read, and the
//! order desk's list query.
//!
//! | from | to |
//! | --- | --- |
//! | placed | confirmed |
//! | confirmed | shipped (carrier and tracking number) |
//! | shipped | delivered (cash collected) |
//! | placed or confirmed | cancelled (a reason; the stock goes back) |
//! | delivered | returned (the stock goes back if the piece is resellable) |

use crate::checkout::FieldErrors;
use crate::order::OrderSummary;
use crate::text::{admin, fill, order};
use crate::{Currency, Money};
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrderStatus {
    Placed,
    Confirmed,
    Shipped,
    Delivered,
    Cancelled,
    Returned,
}

impl OrderStatus {
    pub const ALL: [OrderStatus; 6] = [
        OrderStatus::Placed,
        OrderStatus::Confirmed,
        OrderStatus::Shipped,
        OrderStatus::Delivered,
        OrderStatus::Cancelled,
        OrderStatus::Returned,
    ];

    /// As stored and as addresses and log lines name it: `placed`, `shipped`.
    pub fn as_str(self) -> &'static str {
        match self {
            OrderStatus::Placed => "placed",
            OrderStatus::Confirmed => "confirmed",
            OrderStatus::Shipped => "shipped",
            OrderStatus::Delivered => "delivered",
            OrderStatus::Cancelled => "cancelled",
            OrderStatus::Returned => "returned",
        }
    }

    pub fn parse(text: &str) -> Option<OrderStatus> {
        OrderStatus::ALL.into_iter().find(|s| s.as_str() == text.trim())
    }

    /// The statuses an order in this one may be moved to, in the order the desk offers them.
    pub fn next(self) -> &'static [OrderStatus] {
        match self {
            OrderStatus::Placed => &[OrderStatus::Confirmed, OrderStatus::Cancelled],
            OrderStatus::Confirmed => &[OrderStatus::Shipped, OrderStatus::Cancelled],
            OrderStatus::Shipped => &[OrderStatus::Delivered],
            OrderStatus::Delivered => &[OrderStatus::Returned],
            OrderStatus::Cancelled | OrderStatus::Returned => &[],
        }
    }

    pub fn may_become(self, to: OrderStatus) -> bool {
        self.next().contains(&to)
    }

    /// The status in `words`: "Đã giao", "delivered".
    pub fn label(self, words: &order::Words) -> &'static str {
        match self {
            OrderStatus::Placed => words.status_placed,
            OrderStatus::Confirmed => words.status_confirmed,
            OrderStatus::Shipped => words.status_shipped,
            OrderStatus::Delivered => words.status_delivered,
            OrderStatus::Cancelled => words.status_cancelled,
            OrderStatus::Returned => words.status_returned,
        }
    }
}

impl std::fmt::Display for OrderStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One step of an order's history: what it became, when, and what the move recorded.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusChange {
    pub status: OrderStatus,
    /// RFC 3339, UTC.
    pub at: String,
    /// The admin who moved it (their name as signed in); `None` for the shopper's
    /// placing, and on the shopper's own pages.
    pub actor: Option<String>,
    /// The admin's note or the reason for a cancellation; shown to admins only.
    pub note: Option<String>,
    /// Shipped: who carries it, and their tracking number.
    pub carrier: Option<String>,
    pub tracking: Option<String>,
    /// Delivered: the cash collected, in the order's currency.
    pub cash_collected: Option<Money>,
    /// Returned: whether the piece went back on sale.
    pub resellable: Option<bool>,
}

/// What the admin asked for, as the desk's form sends it (`input[to]`, ...).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MoveInput {
    pub order_id: String,
    /// The order's version when the page was loaded.
    pub version: String,
    /// The status to move it to.
    pub to: String,
    #[serde(default)]
    pub carrier: String,
    #[serde(default)]
    pub tracking: String,
    #[serde(default)]
    pub cash: String,
    /// A note; a cancellation's reason.
    #[serde(default)]
    pub note: String,
    /// A checkbox: present when the returned piece can be sold again.
    #[serde(default)]
    pub resellable: Option<String>,
}

/// A move, checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidMove {
    pub order_id: String,
    pub version: i64,
    pub to: OrderStatus,
    pub note: Option<String>,
    pub carrier: Option<String>,
    pub tracking: Option<String>,
    pub cash_collected: Option<Money>,
    pub resellable: Option<bool>,
}

impl ValidMove {
    /// Whether the order's pieces go back into stock: a cancellation, or a return
    /// the admin says can be sold again.
    pub fn restocks(&self) -> bool {
        match self.to {
            OrderStatus::Cancelled => true,
            OrderStatus::Returned => self.resellable == Some(true),
            _ => false,
        }
    }
}

/// The longest note, reason, carrier and tracking number.
pub const MAX_NOTE_CHARS: usize = 500;
pub const MAX_CARRIER_CHARS: usize = 60;
pub const MAX_TRACKING_CHARS: usize = 60;

/// Checks a move's fields; whether the order may make it is the order's own
/// status's to say ([`OrderStatus::may_become`]), on the server.
pub fn validate_move(input: &MoveInput, currency: Currency, words: &admin::Words) -> Result<ValidMove, FieldErrors> {
    let mut errors = FieldErrors::new();
    let mut check = |field: &str, ok: bool, message: &str| {
        if !ok {
            errors.entry(field.to_owned()).or_insert_with(|| message.to_owned());
        }
    };
    let len = |s: &str| s.chars().count();
    let version = input.version.trim().parse::<i64>().ok();
    check("version", version.is_some(), words.error_reload);
    let to = OrderStatus::parse(&input.to);
    check("to", to.is_some_and(|s| s != OrderStatus::Placed), words.error_order_status);
    let note = input.note.trim();
    check("note", len(note) <= MAX_NOTE_CHARS, &fill(words.error_note, &[("max", &MAX_NOTE_CHARS)]));
    let (carrier, tracking) = (input.carrier.trim(), input.tracking.trim());
    let cash = Money::parse(&input.cash, currency);
    match to {
        Some(OrderStatus::Shipped) => {
            check("carrier", (1..=MAX_CARRIER_CHARS).contains(&len(carrier)), words.error_carrier);
            let readable = tracking.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | ' ' | '.' | '/'));
            check("tracking", (1..=MAX_TRACKING_CHARS).contains(&len(tracking)) && readable, words.error_tracking);
        }
        Some(OrderStatus::Delivered) => {
            let example = currency.price_example();
            check("cash", cash.is_some(), &fill(words.error_cash, &[("currency", &currency), ("example", &example)]));
        }
        Some(OrderStatus::Cancelled) => check("note", !note.is_empty(), words.error_reason),
        _ => {}
    }
    match (errors.is_empty(), version, to) {
        (true, Some(version), Some(to)) => Ok(ValidMove {
            order_id: input.order_id.trim().to_owned(),
            version,
            to,
            note: (!note.is_empty()).then(|| note.to_owned()),
            carrier: (to == OrderStatus::Shipped).then(|| carrier.to_owned()),
            tracking: (to == OrderStatus::Shipped).then(|| tracking.to_owned()),
            cash_collected: if to == OrderStatus::Delivered { cash } else { None },
            resellable: (to == OrderStatus::Returned)
                .then(|| input.resellable.as_deref().is_some_and(|r| !r.is_empty() && r != "off")),
        }),
        _ => Err(errors),
    }
}

/// What a move answered: done (the order's new status and version), or the form
/// needs fixing. A move the order may not make, or one made on an order someone
/// moved since, is an error answered with 409 (`order_move_not_allowed`,
/// `order_changed`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum MoveOutcome {
    Moved { status: OrderStatus, version: i64 },
    Invalid(FieldErrors),
}

/// The desk's list: which orders, as the page's address says (`?status=shipped&from=2026-12-01&q=JW-…&page=2`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderQuery {
    pub status: Option<OrderStatus>,
    /// The first and last day placed, `YYYY-MM-DD`, in the shop's time zone.
    pub from: Option<String>,
    pub to: Option<String>,
    /// An order number, an email or a phone number (or a part of one).
    pub q: String,
    /// From 1.
    pub page: u32,
}

/// Orders on one page of the desk's list.
pub const ORDERS_PER_PAGE: u32 = 25;

impl OrderQuery {
    /// From the address's parameters; what does not parse is left out.
    pub fn from_params<'a>(get: impl Fn(&str) -> Option<String> + 'a) -> OrderQuery {
        OrderQuery {
            status: get("status").as_deref().and_then(OrderStatus::parse),
            from: get("from"),
            to: get("to"),
            q: get("q").unwrap_or_default(),
            page: get("page").and_then(|p| p.parse().ok()).unwrap_or(1),
        }
        .bounded()
    }

    /// What the server takes: a page within reason, dates that are dates.
    pub fn bounded(mut self) -> OrderQuery {
        self.page = self.page.clamp(1, 10_000);
        self.from = self.from.filter(|d| is_date(d));
        self.to = self.to.filter(|d| is_date(d));
        self.q = self.q.trim().chars().take(100).collect();
        self
    }

    /// The address's query for `page` of this list (`?status=…&page=2`; empty for the first page of all).
    pub fn href_query(&self, page: u32) -> String {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        if let Some(status) = self.status {
            pairs.push(("status", status.as_str().to_owned()));
        }
        if let Some(from) = &self.from {
            pairs.push(("from", from.clone()));
        }
        if let Some(to) = &self.to {
            pairs.push(("to", to.clone()));
        }
        if !self.q.is_empty() {
            pairs.push(("q", self.q.clone()));
        }
        if page > 1 {
            pairs.push(("page", page.to_string()));
        }
        if pairs.is_empty() {
            return String::new();
        }
        let encoded: Vec<String> =
            pairs.iter().map(|(k, v)| format!("{k}={}", crate::catalog::encode_component(v))).collect();
        format!("?{}", encoded.join("&"))
    }
}

/// `YYYY-MM-DD`, a real day.
pub fn is_date(text: &str) -> bool {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    text.len() == 10 && time::Date::parse(text, &format).is_ok()
}

/// A page of the desk's list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderList {
    pub orders: Vec<OrderSummary>,
    /// Orders matching, on every page.
    pub total: u64,
    pub page: u32,
    pub pages: u32,
}

/// An order as the desk shows it: the order with its whole history, and where it may go next.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminOrder {
    pub order: crate::order::OrderView,
    /// The account that placed it, if any (its `sub`).
    pub user_id: Option<String>,
    pub moves: Vec<OrderStatus>,
}

/// An email in the outbox, as the admins' mail page lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxEmail {
    pub id: String,
    pub order_id: String,
    /// `order_placed`, `order_confirmed`, `order_shipped`, `order_delivered`, `order_cancelled`.
    pub kind: String,
    pub recipient: String,
    pub subject: String,
    /// RFC 3339, UTC.
    pub created_at: String,
    pub sent_at: Option<String>,
    /// Refused for good by the transport.
    pub failed_at: Option<String>,
    pub attempts: i64,
    /// Why the last try failed (a code, never the address).
    pub last_error: Option<String>,
    /// The file it was written to, with the file transport.
    pub file: Option<String>,
}

/// How many emails the mail page lists: the latest.
pub const OUTBOX_PAGE: u32 = 100;

#[cfg(test)]
mod tests {
    use super::*;
    use OrderStatus::*;

    fn input(to: &str) -> MoveInput {
        MoveInput { order_id: "JW-1".into(), version: "3".into(), to: to.into(), ..MoveInput::default() }
    }

    fn check(input: &MoveInput) -> Result<ValidMove, FieldErrors> {
        validate_move(input, Currency::Vnd, &admin::EN)
    }

    #[test]
    fn only_the_table_s_moves_are_allowed() {
        let allowed = [
            (Placed, Confirmed),
            (Confirmed, Shipped),
            (Shipped, Delivered),
            (Placed, Cancelled),
            (Confirmed, Cancelled),
            (Delivered, Returned),
        ];
        for from in OrderStatus::ALL {
            for to in OrderStatus::ALL {
                assert_eq!(from.may_become(to), allowed.contains(&(from, to)), "{from} -> {to}");
            }
        }
    }

    #[test]
    fn statuses_are_named_as_stored_and_in_each_language() {
        for status in OrderStatus::ALL {
            assert_eq!(OrderStatus::parse(status.as_str()), Some(status));
            assert_ne!(status.label(&order::VI), status.label(&order::EN));
        }
        assert_eq!(OrderStatus::parse("paid"), None);
        assert_eq!(Shipped.label(&order::VI), "Đang giao");
    }

    #[test]
    fn a_shipment_needs_a_carrier_and_a_readable_tracking_number() {
        let errors = check(&input("shipped")).unwrap_err();
        assert!(errors.contains_key("carrier") && errors.contains_key("tracking"), "{errors:?}");
        let mut ship = input("shipped");
        ship.carrier = "Giao Hàng Nhanh".into();
        ship.tracking = "<script>".into();
        assert!(check(&ship).unwrap_err().contains_key("tracking"));
        ship.tracking = " GHN-123 456 ".into();
        let valid = check(&ship).unwrap();
        assert_eq!(
            (valid.carrier.as_deref(), valid.tracking.as_deref()),
            (Some("Giao Hàng Nhanh"), Some("GHN-123 456"))
        );
        assert!(!valid.restocks());
    }

    #[test]
    fn a_delivery_records_the_cash_and_a_cancellation_its_reason() {
        assert!(check(&input("delivered")).unwrap_err().contains_key("cash"));
        let mut deliver = input("delivered");
        deliver.cash = "1.250.000".into();
        assert_eq!(check(&deliver).unwrap().cash_collected, Some(Money::from_minor(1_250_000)));
        assert!(check(&input("cancelled")).unwrap_err().contains_key("note"));
        let mut cancel = input("cancelled");
        cancel.note = "The shopper asked".into();
        let valid = check(&cancel).unwrap();
        assert!(valid.restocks());
        assert_eq!(valid.note.as_deref(), Some("The shopper asked"));
    }

    #[test]
    fn a_return_restocks_only_a_resellable_piece() {
        let kept = check(&input("returned")).unwrap();
        assert_eq!(kept.resellable, Some(false));
        assert!(!kept.restocks());
        let mut resold = input("returned");
        resold.resellable = Some("on".into());
        assert!(check(&resold).unwrap().restocks());
    }

    #[test]
    fn unknown_or_placed_targets_and_stale_versions_are_refused() {
        assert!(check(&input("paid")).unwrap_err().contains_key("to"));
        assert!(check(&input("placed")).unwrap_err().contains_key("to"));
        let mut stale = input("confirmed");
        stale.version = "three".into();
        assert!(check(&stale).unwrap_err().contains_key("version"));
    }

    #[test]
    fn the_list_query_reads_and_writes_the_address() {
        let params =
            [("status", "shipped"), ("from", "2026-12-01"), ("to", "2026-02-30"), ("q", " JW-12 "), ("page", "2")];
        let query =
            OrderQuery::from_params(|k| params.iter().find(|(name, _)| *name == k).map(|(_, v)| (*v).to_owned()));
        assert_eq!(query.status, Some(Shipped));
        assert_eq!(query.from.as_deref(), Some("2026-12-01"));
        assert_eq!(query.to, None, "not a day");
        assert_eq!(query.q, "JW-12");
        assert_eq!(query.href_query(3), "?status=shipped&from=2026-12-01&q=JW-12&page=3");
        assert_eq!(OrderQuery::default().href_query(1), "");
        assert_eq!(OrderQuery::from_params(|_| None).page, 1);
    }
}
