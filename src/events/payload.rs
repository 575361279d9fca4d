//! What the browser sends: the request body of `POST /events`, field for field as the
//! contract names them. The tracker builds these; the server reads bodies with
//! [`super::parse_body`], and the tests hold the two to each other.

use super::EventName;
use serde::{Deserialize, Serialize};

/// `{"events": [...]}`: the batch shape.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventBatch {
    pub events: Vec<EventPayload>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EventPayload {
    pub event_id: String,
    pub event_name: EventName,
    pub event_timestamp: String,
    pub client_id: String,
    pub session_id: String,
    pub url_path: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub referrer: Option<String>,
    /// The page's language (`vi`, `en`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
    /// The landing page's `utm_*` parameters ([`CampaignPayload::from_query`]), on a
    /// `page_view` only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub utm_source: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub utm_medium: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub utm_campaign: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub utm_term: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub utm_content: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product: Option<ProductPayload>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cart: Option<CartPayload>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order: Option<OrderPayload>,
}

/// `utmSource` ... `utmContent`: where the shopper came from, as the landing
/// page's address said (`?utm_source=zalo&utm_medium=social`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CampaignPayload {
    pub utm_source: Option<String>,
    pub utm_medium: Option<String>,
    pub utm_campaign: Option<String>,
    pub utm_term: Option<String>,
    pub utm_content: Option<String>,
}

impl CampaignPayload {
    /// The `utm_*` parameters of a query string (`a=1&utm_source=zalo`), each cut to
    /// the contract's 200 characters; empty ones left out.
    pub fn from_query(query: &str) -> CampaignPayload {
        let mut campaign = CampaignPayload::default();
        for pair in query.trim_start_matches('?').split('&') {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            // As a form encodes them: `+` for a space, then `%XX`.
            let value = value.replace('+', " ");
            let value = percent_encoding::percent_decode_str(&value).decode_utf8_lossy();
            let value = value.trim();
            if value.is_empty() {
                continue;
            }
            let slot = match key {
                "utm_source" => &mut campaign.utm_source,
                "utm_medium" => &mut campaign.utm_medium,
                "utm_campaign" => &mut campaign.utm_campaign,
                "utm_term" => &mut campaign.utm_term,
                "utm_content" => &mut campaign.utm_content,
                _ => continue,
            };
            slot.get_or_insert_with(|| crate::truncate_chars(value, super::MAX_UTM_CHARS).to_owned());
        }
        campaign
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ProductPayload {
    pub product_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub variant_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sku: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub brand: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub price: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discount_price: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quantity: Option<u32>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CartPayload {
    pub items: Vec<CartItemPayload>,
    pub value: f64,
    pub currency: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CartItemPayload {
    pub product_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub variant_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sku: Option<String>,
    pub quantity: u32,
    pub price: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct OrderPayload {
    pub order_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub items: Option<Vec<CartItemPayload>>,
    pub value: f64,
    pub currency: String,
}
