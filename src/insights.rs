//! What the clickstream tells the shop: the admins' insights page's figures and
//! the arithmetic on them. The server counts; this is what it answers with.

use crate::Money;
use crate::events::EventName;
use serde::{Deserialize, Serialize};

/// The days a report covers, ending today in the shop's time zone.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Range {
    Today,
    #[default]
    Week,
    Month,
}

impl Range {
    pub const ALL: [Range; 3] = [Range::Today, Range::Week, Range::Month];

    /// How many days, today included.
    pub const fn days(self) -> u32 {
        match self {
            Range::Today => 1,
            Range::Week => 7,
            Range::Month => 30,
        }
    }

    /// As the page's address writes it (`?range=7d`).
    pub const fn as_str(self) -> &'static str {
        match self {
            Range::Today => "today",
            Range::Week => "7d",
            Range::Month => "30d",
        }
    }

    pub const fn label(self) -> &'static str {
        match self {
            Range::Today => "Today",
            Range::Week => "7 days",
            Range::Month => "30 days",
        }
    }

    /// The range a query string names; anything else is the default week.
    pub fn parse(s: &str) -> Range {
        Range::ALL.into_iter().find(|r| r.as_str() == s).unwrap_or_default()
    }
}

/// The funnel's steps, in order: a session's furthest step is the last of these
/// it sent. Every event is a step.
pub const FUNNEL: [EventName; 5] = EventName::ALL;

/// Where `name` is in [`FUNNEL`], from 1.
pub fn step_of(name: EventName) -> u8 {
    FUNNEL.iter().position(|n| *n == name).map_or(0, |i| i as u8 + 1)
}

/// One step of the funnel: the sessions that reached it or a later one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FunnelStep {
    pub event: EventName,
    pub sessions: u64,
}

/// One day of the range.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Day {
    /// `YYYY-MM-DD` in the shop's time zone.
    pub date: String,
    /// Sessions that began that day (shoppers', not bots').
    pub sessions: u64,
    /// Orders placed that day.
    pub orders: u64,
    /// What they came to.
    pub revenue: Money,
    /// Orders delivered that day, and the cash collected for them.
    #[serde(default)]
    pub delivered: u64,
    #[serde(default)]
    pub delivered_revenue: Money,
    /// Orders cancelled that day, and their totals.
    #[serde(default)]
    pub cancelled: u64,
    #[serde(default)]
    pub cancelled_revenue: Money,
    /// Orders returned that day, and their totals.
    #[serde(default)]
    pub returned: u64,
    #[serde(default)]
    pub returned_revenue: Money,
}

/// One product's shoppers over the range.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductFigures {
    pub product_id: String,
    /// The product's name now; `None` if it was deleted since.
    pub name: Option<crate::Localized>,
    /// `product_view` events.
    pub views: u64,
    /// `add_to_cart` events.
    pub adds: u64,
}

impl ProductFigures {
    /// Adds to cart per view; `None` before any view.
    pub fn view_to_cart(&self) -> Option<f64> {
        ratio(self.adds, self.views)
    }

    /// What names the product in `locale`: its name, or its id once deleted.
    pub fn label(&self, locale: crate::Locale) -> &str {
        self.name.as_ref().map_or(&self.product_id, |name| name.get(locale))
    }
}

/// One variant's figures: the events that named it, and the units sold.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VariantFigures {
    pub product_id: String,
    pub variant_id: String,
    pub sku: Option<String>,
    /// `product_view` events that named it.
    pub views: u64,
    /// `add_to_cart` events that named it.
    pub adds: u64,
    /// Units ordered.
    pub sold: u64,
}

/// Sessions, checkouts, orders and revenue of the sessions one source brought
/// (a row of [`Report::sources`]): each session counts for the campaign and
/// referring site of its first page view, and an order for the session it was
/// placed in (the last touch).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceFigures {
    /// What the row is of: `zalo / social`, `tet2027`, `www.google.com`; `None` for
    /// sessions with none (direct visits, or a campaign without that part).
    pub key: Option<String>,
    pub sessions: u64,
    /// Sessions that started a checkout.
    pub checkouts: u64,
    pub orders: u64,
    pub revenue: Money,
}

/// The ways [`Report::sources`] groups sessions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SourceDimension {
    /// `utm_source / utm_medium`.
    SourceMedium,
    Campaign,
    /// The referring site's host.
    ReferringSite,
}

impl SourceDimension {
    pub const ALL: [SourceDimension; 3] =
        [SourceDimension::SourceMedium, SourceDimension::Campaign, SourceDimension::ReferringSite];
}

/// A product needs this many views over the range to be ranked by its
/// view-to-cart rate (one view and one add is not a rate).
pub const MIN_VIEWS_FOR_RATE: u64 = 5;
/// How many products each top list shows.
pub const TOP_PRODUCTS: usize = 5;

/// The insights page's figures for one range.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub range: Range,
    /// The first and last day, `YYYY-MM-DD`, in [`Report::time_zone`].
    pub from: String,
    pub to: String,
    /// The shop's time zone (IANA name), which days are counted in.
    pub time_zone: String,
    /// Sessions by the furthest step they reached, in [`FUNNEL`]'s order.
    pub funnel: Vec<FunnelStep>,
    /// Every day of the range, oldest first.
    pub days: Vec<Day>,
    /// Every product viewed or added over the range.
    pub products: Vec<ProductFigures>,
    /// Every variant viewed, added or sold over the range, most viewed first.
    #[serde(default)]
    pub variants: Vec<VariantFigures>,
    /// Sessions by where they came from, one list per [`SourceDimension`] in its
    /// order, most sessions first.
    pub sources: Vec<(SourceDimension, Vec<SourceFigures>)>,
    /// Storefront pages served per day (bots' left out), consent or not: the
    /// traffic the sessions above are the consenting share of. Oldest first, one
    /// per day of [`Report::days`].
    pub page_requests: Vec<u64>,
}

/// `part / whole`, `None` when `whole` is 0.
pub fn ratio(part: u64, whole: u64) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

impl Report {
    /// Step `i`'s sessions over step `i - 1`'s; `None` for the first step.
    pub fn step_conversion(&self, i: usize) -> Option<f64> {
        let previous = self.funnel.get(i.checked_sub(1)?)?;
        ratio(self.funnel.get(i)?.sessions, previous.sessions)
    }

    /// Step `i`'s sessions over the first step's.
    pub fn overall_conversion(&self, i: usize) -> Option<f64> {
        ratio(self.funnel.get(i)?.sessions, self.funnel.first()?.sessions)
    }

    fn sessions_at(&self, event: EventName) -> u64 {
        self.funnel.iter().find(|s| s.event == event).map_or(0, |s| s.sessions)
    }

    /// Sessions that started checking out and did not complete, over those that started.
    pub fn cart_abandonment(&self) -> Option<f64> {
        let started = self.sessions_at(EventName::CheckoutStart);
        let completed = self.sessions_at(EventName::CheckoutComplete);
        ratio(started.saturating_sub(completed), started)
    }

    pub fn total_sessions(&self) -> u64 {
        self.days.iter().map(|d| d.sessions).sum()
    }

    pub fn total_orders(&self) -> u64 {
        self.days.iter().map(|d| d.orders).sum()
    }

    pub fn total_revenue(&self) -> Money {
        Money::from_minor(self.days.iter().map(|d| d.revenue.minor()).sum())
    }

    /// Orders delivered, cancelled and returned over the range (each counted on
    /// the day of its move), with the cash collected and the totals: in that order.
    pub fn after_placing(&self) -> [(u64, Money); 3] {
        let sum = |count: fn(&Day) -> (u64, Money)| {
            self.days
                .iter()
                .map(count)
                .fold((0, Money::ZERO), |(n, m), (dn, dm)| (n + dn, Money::from_minor(m.minor() + dm.minor())))
        };
        [
            sum(|d| (d.delivered, d.delivered_revenue)),
            sum(|d| (d.cancelled, d.cancelled_revenue)),
            sum(|d| (d.returned, d.returned_revenue)),
        ]
    }

    /// The variants of `product_id` with figures, most viewed first (then most sold).
    pub fn variants_of(&self, product_id: &str) -> Vec<&VariantFigures> {
        self.variants.iter().filter(|v| v.product_id == product_id).collect()
    }

    /// The most viewed products, most first.
    pub fn top_viewed(&self) -> Vec<&ProductFigures> {
        self.top(|p| p.views > 0, |a, b| b.views.cmp(&a.views))
    }

    /// The most added to carts, most first.
    pub fn top_added(&self) -> Vec<&ProductFigures> {
        self.top(|p| p.adds > 0, |a, b| b.adds.cmp(&a.adds))
    }

    /// The best view-to-cart rates among products with [`MIN_VIEWS_FOR_RATE`] views.
    pub fn top_view_to_cart(&self) -> Vec<&ProductFigures> {
        self.top(
            |p| p.views >= MIN_VIEWS_FOR_RATE,
            |a, b| {
                let rate = |p: &ProductFigures| p.view_to_cart().unwrap_or(0.0);
                rate(b).total_cmp(&rate(a)).then(b.views.cmp(&a.views))
            },
        )
    }

    fn top(
        &self,
        keep: impl Fn(&ProductFigures) -> bool,
        order: impl Fn(&ProductFigures, &ProductFigures) -> std::cmp::Ordering,
    ) -> Vec<&ProductFigures> {
        let mut products: Vec<&ProductFigures> = self.products.iter().filter(|p| keep(p)).collect();
        products.sort_by(|a, b| order(a, b).then_with(|| a.product_id.cmp(&b.product_id)));
        products.truncate(TOP_PRODUCTS);
        products
    }
}

/// A share as the page writes it: `42.5%`, or an en dash when there is none.
pub fn percent(share: Option<f64>) -> String {
    match share {
        Some(share) => format!("{:.1}%", share * 100.0),
        None => "–".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(funnel: [u64; 5], products: Vec<ProductFigures>) -> Report {
        Report {
            variants: Vec::new(),
            range: Range::Week,
            from: "2026-11-26".into(),
            to: "2026-12-02".into(),
            time_zone: "UTC".into(),
            funnel: FUNNEL.iter().zip(funnel).map(|(event, sessions)| FunnelStep { event: *event, sessions }).collect(),
            days: Vec::new(),
            products,
            sources: Vec::new(),
            page_requests: Vec::new(),
        }
    }

    fn product(id: &str, views: u64, adds: u64) -> ProductFigures {
        ProductFigures { product_id: id.into(), name: None, views, adds }
    }

    #[test]
    fn steps_convert_from_the_step_before_and_from_the_first() {
        let r = report([200, 100, 40, 20, 15], Vec::new());
        assert_eq!(r.step_conversion(0), None);
        assert_eq!(r.step_conversion(1), Some(0.5));
        assert_eq!(r.step_conversion(2), Some(0.4));
        assert_eq!(r.overall_conversion(2), Some(0.2));
        assert_eq!(r.overall_conversion(4), Some(0.075));
        assert_eq!(percent(r.overall_conversion(4)), "7.5%");
    }

    #[test]
    fn abandonment_is_checkouts_started_and_not_completed() {
        assert_eq!(report([10, 8, 6, 4, 1], Vec::new()).cart_abandonment(), Some(0.75));
        assert_eq!(report([10, 8, 6, 0, 0], Vec::new()).cart_abandonment(), None);
        assert_eq!(percent(None), "–");
    }

    #[test]
    fn an_empty_funnel_has_no_rates() {
        let r = report([0; 5], Vec::new());
        assert_eq!(r.step_conversion(1), None);
        assert_eq!(r.overall_conversion(0), None);
    }

    #[test]
    fn top_lists_rank_and_rates_need_enough_views() {
        let r = report(
            [0; 5],
            vec![product("a", 10, 1), product("b", 30, 3), product("c", 4, 4), product("d", 6, 3), product("e", 0, 2)],
        );
        let ids = |list: Vec<&ProductFigures>| list.iter().map(|p| p.product_id.clone()).collect::<Vec<_>>();
        assert_eq!(ids(r.top_viewed()), ["b", "a", "d", "c"]);
        assert_eq!(ids(r.top_added()), ["c", "b", "d", "e", "a"]);
        // c's 4 of 4 is left out: too few views to be a rate.
        assert_eq!(ids(r.top_view_to_cart()), ["d", "b", "a"]);
    }

    #[test]
    fn ranges_read_from_the_address_and_default_to_a_week() {
        assert_eq!(Range::parse("today"), Range::Today);
        assert_eq!(Range::parse("30d"), Range::Month);
        assert_eq!(Range::parse("junk"), Range::Week);
        assert_eq!(Range::Month.days(), 30);
    }

    #[test]
    fn steps_follow_the_funnel() {
        assert_eq!(step_of(EventName::PageView), 1);
        assert_eq!(step_of(EventName::CheckoutComplete), 5);
    }
}
