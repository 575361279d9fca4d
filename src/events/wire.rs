//! Reading `POST /events` bodies without letting one bad field sink the batch.
//!
//! A derived `Deserialize` stops at the first type error or unknown field and loses
//! the whole batch. These visitors read every value whatever its JSON type, borrow
//! strings from the body where they can, and note the first problem per event, so
//! each event is judged on its own and the rest of the batch still gets in.

use super::{MAX_BATCH, RejectCode};
use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

/// A value as it arrived: absent, `null`, of the expected JSON type, or of another one.
#[derive(Debug, Default)]
pub(crate) enum Loose<T> {
    #[default]
    Absent,
    Null,
    Value(T),
    WrongType,
}

/// The first thing wrong with an event's structure (unknown or repeated field,
/// a nested problem), in document order.
#[derive(Debug)]
pub(crate) struct Problem {
    pub code: RejectCode,
    pub message: String,
}

/// What a field accepts; every other JSON type reads as [`Loose::WrongType`].
pub(crate) trait Expect<'de>: Sized {
    fn from_str(_value: Cow<'de, str>) -> Option<Self> {
        None
    }
    fn from_number(_value: f64) -> Option<Self> {
        None
    }
    fn from_map<A: MapAccess<'de>>(mut map: A) -> Result<Option<Self>, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(None)
    }
    fn from_seq<A: SeqAccess<'de>>(mut seq: A) -> Result<Option<Self>, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(None)
    }
}

impl<'de> Expect<'de> for Cow<'de, str> {
    fn from_str(value: Cow<'de, str>) -> Option<Self> {
        Some(value)
    }
}

impl<'de> Expect<'de> for f64 {
    fn from_number(value: f64) -> Option<Self> {
        Some(value)
    }
}

struct LooseVisitor<T>(PhantomData<T>);

impl<T> LooseVisitor<T> {
    fn found<E>(value: Option<T>) -> Result<Loose<T>, E> {
        Ok(value.map_or(Loose::WrongType, Loose::Value))
    }
}

impl<'de, T: Expect<'de>> Visitor<'de> for LooseVisitor<T> {
    type Value = Loose<T>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(Loose::Null)
    }
    fn visit_none<E>(self) -> Result<Self::Value, E> {
        Ok(Loose::Null)
    }
    fn visit_bool<E>(self, _v: bool) -> Result<Self::Value, E> {
        Ok(Loose::WrongType)
    }
    fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
        Self::found(T::from_number(v as f64))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
        Self::found(T::from_number(v as f64))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
        Self::found(T::from_number(v))
    }
    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
        Self::found(T::from_str(Cow::Borrowed(v)))
    }
    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Self::found(T::from_str(Cow::Owned(v.to_owned())))
    }
    fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
        Self::found(T::from_str(Cow::Owned(v)))
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        Self::found(T::from_map(map)?)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        Self::found(T::from_seq(seq)?)
    }
}

impl<'de, T: Expect<'de>> Deserialize<'de> for Loose<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(LooseVisitor(PhantomData))
    }
}

/// An object key, borrowed from the body when it holds no escapes.
struct Key<'de>(Cow<'de, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object key")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E>(self, v: String) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v)))
            }
        }
        deserializer.deserialize_str(KeyVisitor)
    }
}

/// Collects the fields of one JSON object, noting its first problem.
struct Fields<'p> {
    /// `"product."` inside nested objects, so messages name the full path.
    prefix: &'static str,
    problem: &'p mut Option<Problem>,
}

impl Fields<'_> {
    fn note(&mut self, code: RejectCode, message: impl FnOnce() -> String) {
        if self.problem.is_none() {
            *self.problem = Some(Problem { code, message: message() });
        }
    }

    fn take<'de, A, T>(&mut self, map: &mut A, slot: &mut Loose<T>, name: &'static str) -> Result<(), A::Error>
    where
        A: MapAccess<'de>,
        T: Expect<'de>,
    {
        let value = map.next_value::<Loose<T>>()?;
        if !matches!(slot, Loose::Absent) {
            let prefix = self.prefix;
            self.note(RejectCode::InvalidField, || format!("`{prefix}{name}` appears more than once"));
        }
        *slot = value;
        Ok(())
    }

    /// Reads a nested object and lifts its first problem into this one.
    fn take_nested<'de, A, T>(&mut self, map: &mut A, slot: &mut Loose<T>, name: &'static str) -> Result<(), A::Error>
    where
        A: MapAccess<'de>,
        T: Expect<'de> + Nested,
    {
        self.take(map, slot, name)?;
        if let Loose::Value(inner) = slot
            && let Some(problem) = inner.problem()
        {
            self.note(problem.code, || std::mem::take(&mut problem.message));
        }
        Ok(())
    }

    fn unknown<'de, A: MapAccess<'de>>(&mut self, map: &mut A, key: &str) -> Result<(), A::Error> {
        map.next_value::<IgnoredAny>()?;
        let prefix = self.prefix;
        self.note(RejectCode::UnknownField, || {
            let key = crate::truncate_chars(key, 64);
            match key {
                "userId" | "userLoginState" | "identitySource" if prefix.is_empty() => {
                    format!("unknown field `{key}`: the server derives identity, clients never send it")
                }
                _ => format!("unknown field `{prefix}{key}`"),
            }
        });
        Ok(())
    }
}

/// Nested objects carry their own first problem until the parent lifts it.
pub(crate) trait Nested {
    fn problem(&mut self) -> &mut Option<Problem>;
}

#[derive(Debug, Default)]
pub(crate) struct EventDraft<'de> {
    pub event_id: Loose<Cow<'de, str>>,
    pub event_name: Loose<Cow<'de, str>>,
    pub event_timestamp: Loose<Cow<'de, str>>,
    pub client_id: Loose<Cow<'de, str>>,
    pub session_id: Loose<Cow<'de, str>>,
    pub url_path: Loose<Cow<'de, str>>,
    pub referrer: Loose<Cow<'de, str>>,
    pub locale: Loose<Cow<'de, str>>,
    pub utm_source: Loose<Cow<'de, str>>,
    pub utm_medium: Loose<Cow<'de, str>>,
    pub utm_campaign: Loose<Cow<'de, str>>,
    pub utm_term: Loose<Cow<'de, str>>,
    pub utm_content: Loose<Cow<'de, str>>,
    pub product: Loose<ProductDraft<'de>>,
    pub cart: Loose<CartDraft<'de>>,
    pub order: Loose<OrderDraft<'de>>,
    pub problem: Option<Problem>,
    /// How many keys the object had: a batch body must have none besides `events`.
    pub keys: usize,
}

impl<'de> EventDraft<'de> {
    fn accept<A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<(), A::Error> {
        self.keys += 1;
        let mut f = Fields { prefix: "", problem: &mut self.problem };
        match key {
            "eventId" => f.take(map, &mut self.event_id, "eventId"),
            "eventName" => f.take(map, &mut self.event_name, "eventName"),
            "eventTimestamp" => f.take(map, &mut self.event_timestamp, "eventTimestamp"),
            "clientId" => f.take(map, &mut self.client_id, "clientId"),
            "sessionId" => f.take(map, &mut self.session_id, "sessionId"),
            "urlPath" => f.take(map, &mut self.url_path, "urlPath"),
            "referrer" => f.take(map, &mut self.referrer, "referrer"),
            "locale" => f.take(map, &mut self.locale, "locale"),
            "utmSource" => f.take(map, &mut self.utm_source, "utmSource"),
            "utmMedium" => f.take(map, &mut self.utm_medium, "utmMedium"),
            "utmCampaign" => f.take(map, &mut self.utm_campaign, "utmCampaign"),
            "utmTerm" => f.take(map, &mut self.utm_term, "utmTerm"),
            "utmContent" => f.take(map, &mut self.utm_content, "utmContent"),
            "product" => f.take_nested(map, &mut self.product, "product"),
            "cart" => f.take_nested(map, &mut self.cart, "cart"),
            "order" => f.take_nested(map, &mut self.order, "order"),
            other => f.unknown(map, other),
        }
    }
}

impl<'de> Expect<'de> for EventDraft<'de> {
    fn from_map<A: MapAccess<'de>>(mut map: A) -> Result<Option<Self>, A::Error> {
        let mut draft = EventDraft::default();
        while let Some(Key(key)) = map.next_key::<Key>()? {
            draft.accept(&key, &mut map)?;
        }
        Ok(Some(draft))
    }
}

#[derive(Debug, Default)]
pub(crate) struct ProductDraft<'de> {
    pub product_id: Loose<Cow<'de, str>>,
    pub variant_id: Loose<Cow<'de, str>>,
    pub sku: Loose<Cow<'de, str>>,
    pub name: Loose<Cow<'de, str>>,
    pub category: Loose<Cow<'de, str>>,
    pub brand: Loose<Cow<'de, str>>,
    pub price: Loose<f64>,
    pub discount_price: Loose<f64>,
    pub currency: Loose<Cow<'de, str>>,
    pub quantity: Loose<f64>,
    pub problem: Option<Problem>,
}

impl<'de> Expect<'de> for ProductDraft<'de> {
    fn from_map<A: MapAccess<'de>>(mut map: A) -> Result<Option<Self>, A::Error> {
        let mut d = ProductDraft::default();
        let mut f = Fields { prefix: "product.", problem: &mut d.problem };
        while let Some(Key(key)) = map.next_key::<Key>()? {
            match &*key {
                "productId" => f.take(&mut map, &mut d.product_id, "productId")?,
                "variantId" => f.take(&mut map, &mut d.variant_id, "variantId")?,
                "sku" => f.take(&mut map, &mut d.sku, "sku")?,
                "name" => f.take(&mut map, &mut d.name, "name")?,
                "category" => f.take(&mut map, &mut d.category, "category")?,
                "brand" => f.take(&mut map, &mut d.brand, "brand")?,
                "price" => f.take(&mut map, &mut d.price, "price")?,
                "discountPrice" => f.take(&mut map, &mut d.discount_price, "discountPrice")?,
                "currency" => f.take(&mut map, &mut d.currency, "currency")?,
                "quantity" => f.take(&mut map, &mut d.quantity, "quantity")?,
                other => f.unknown(&mut map, other)?,
            }
        }
        Ok(Some(d))
    }
}

impl Nested for ProductDraft<'_> {
    fn problem(&mut self) -> &mut Option<Problem> {
        &mut self.problem
    }
}

#[derive(Debug, Default)]
pub(crate) struct CartDraft<'de> {
    pub items: Loose<ItemsDraft<'de, false>>,
    pub value: Loose<f64>,
    pub currency: Loose<Cow<'de, str>>,
    pub problem: Option<Problem>,
}

impl<'de> Expect<'de> for CartDraft<'de> {
    fn from_map<A: MapAccess<'de>>(mut map: A) -> Result<Option<Self>, A::Error> {
        let mut d = CartDraft::default();
        let mut f = Fields { prefix: "cart.", problem: &mut d.problem };
        while let Some(Key(key)) = map.next_key::<Key>()? {
            match &*key {
                "items" => f.take_nested(&mut map, &mut d.items, "items")?,
                "value" => f.take(&mut map, &mut d.value, "value")?,
                "currency" => f.take(&mut map, &mut d.currency, "currency")?,
                other => f.unknown(&mut map, other)?,
            }
        }
        Ok(Some(d))
    }
}

impl Nested for CartDraft<'_> {
    fn problem(&mut self) -> &mut Option<Problem> {
        &mut self.problem
    }
}

/// A cart's items (an order's, `ORDER`). Only the first [`super::MAX_CART_ITEMS`] +
/// 1 are kept: one more than allowed is enough to reject the event, and the rest is
/// skipped unread.
#[derive(Debug, Default)]
pub(crate) struct ItemsDraft<'de, const ORDER: bool> {
    pub items: Vec<Loose<ItemDraft<'de, ORDER>>>,
    pub count: usize,
    pub problem: Option<Problem>,
}

impl<'de, const ORDER: bool> Expect<'de> for ItemsDraft<'de, ORDER> {
    fn from_seq<A: SeqAccess<'de>>(mut seq: A) -> Result<Option<Self>, A::Error> {
        let mut d = ItemsDraft::default();
        while d.count <= super::MAX_CART_ITEMS {
            match seq.next_element::<Loose<ItemDraft<'de, ORDER>>>()? {
                Some(mut item) => {
                    if let (Loose::Value(inner), None) = (&mut item, &d.problem) {
                        d.problem = inner.problem.take();
                    }
                    d.items.push(item);
                    d.count += 1;
                }
                None => return Ok(Some(d)),
            }
        }
        while seq.next_element::<IgnoredAny>()?.is_some() {
            d.count += 1;
        }
        Ok(Some(d))
    }
}

impl<const ORDER: bool> Nested for ItemsDraft<'_, ORDER> {
    fn problem(&mut self) -> &mut Option<Problem> {
        &mut self.problem
    }
}

/// An item of a cart, or of an order (`ORDER`).
#[derive(Debug, Default)]
pub(crate) struct ItemDraft<'de, const ORDER: bool> {
    pub product_id: Loose<Cow<'de, str>>,
    pub variant_id: Loose<Cow<'de, str>>,
    pub sku: Loose<Cow<'de, str>>,
    pub quantity: Loose<f64>,
    pub price: Loose<f64>,
    pub problem: Option<Problem>,
}

impl<'de, const ORDER: bool> Expect<'de> for ItemDraft<'de, ORDER> {
    fn from_map<A: MapAccess<'de>>(mut map: A) -> Result<Option<Self>, A::Error> {
        let mut d = ItemDraft::default();
        let prefix = if ORDER { "order.items[]." } else { "cart.items[]." };
        let mut f = Fields { prefix, problem: &mut d.problem };
        while let Some(Key(key)) = map.next_key::<Key>()? {
            match &*key {
                "productId" => f.take(&mut map, &mut d.product_id, "productId")?,
                "variantId" => f.take(&mut map, &mut d.variant_id, "variantId")?,
                "sku" => f.take(&mut map, &mut d.sku, "sku")?,
                "quantity" => f.take(&mut map, &mut d.quantity, "quantity")?,
                "price" => f.take(&mut map, &mut d.price, "price")?,
                other => f.unknown(&mut map, other)?,
            }
        }
        Ok(Some(d))
    }
}

#[derive(Debug, Default)]
pub(crate) struct OrderDraft<'de> {
    pub order_id: Loose<Cow<'de, str>>,
    pub items: Loose<ItemsDraft<'de, true>>,
    pub value: Loose<f64>,
    pub currency: Loose<Cow<'de, str>>,
    pub problem: Option<Problem>,
}

impl<'de> Expect<'de> for OrderDraft<'de> {
    fn from_map<A: MapAccess<'de>>(mut map: A) -> Result<Option<Self>, A::Error> {
        let mut d = OrderDraft::default();
        let mut f = Fields { prefix: "order.", problem: &mut d.problem };
        while let Some(Key(key)) = map.next_key::<Key>()? {
            match &*key {
                "orderId" => f.take(&mut map, &mut d.order_id, "orderId")?,
                "items" => f.take_nested(&mut map, &mut d.items, "items")?,
                "value" => f.take(&mut map, &mut d.value, "value")?,
                "currency" => f.take(&mut map, &mut d.currency, "currency")?,
                other => f.unknown(&mut map, other)?,
            }
        }
        Ok(Some(d))
    }
}

impl Nested for OrderDraft<'_> {
    fn problem(&mut self) -> &mut Option<Problem> {
        &mut self.problem
    }
}

/// A request body, in one of the contract's two shapes.
#[derive(Debug)]
pub(crate) enum BodyDraft<'de> {
    Batch(Vec<EventDraft<'de>>),
    Single(Box<EventDraft<'de>>),
    /// `events` held more than [`MAX_BATCH`]: how many it held.
    TooMany(usize),
}

/// The `events` array: every element must be an object, else the body is malformed.
struct EventsArray<'de> {
    events: Vec<EventDraft<'de>>,
    count: usize,
}

impl<'de> Deserialize<'de> for EventsArray<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ArrayVisitor;
        impl<'de> Visitor<'de> for ArrayVisitor {
            type Value = EventsArray<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an array of event objects")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut out =
                    EventsArray { events: Vec::with_capacity(seq.size_hint().unwrap_or(8).min(MAX_BATCH)), count: 0 };
                while out.count < MAX_BATCH {
                    match seq.next_element::<Loose<EventDraft>>()? {
                        Some(Loose::Value(event)) => {
                            out.events.push(event);
                            out.count += 1;
                        }
                        Some(_) => {
                            return Err(de::Error::custom("every element of `events` must be an event object"));
                        }
                        None => return Ok(out),
                    }
                }
                while seq.next_element::<IgnoredAny>()?.is_some() {
                    out.count += 1;
                }
                Ok(out)
            }
        }
        deserializer.deserialize_seq(ArrayVisitor)
    }
}

impl<'de> Deserialize<'de> for BodyDraft<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct BodyVisitor;
        impl<'de> Visitor<'de> for BodyVisitor {
            type Value = BodyDraft<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object: {\"events\": [...]} or a single event")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut single = EventDraft::default();
                let mut batch: Option<EventsArray> = None;
                while let Some(Key(key)) = map.next_key::<Key>()? {
                    if key == "events" {
                        if batch.is_some() {
                            return Err(de::Error::custom("`events` appears more than once"));
                        }
                        batch = Some(map.next_value()?);
                    } else {
                        single.accept(&key, &mut map)?;
                    }
                }
                match batch {
                    None => Ok(BodyDraft::Single(Box::new(single))),
                    Some(_) if single.keys > 0 => Err(de::Error::custom(
                        "a batch body holds only `events`; event fields belong inside its elements",
                    )),
                    Some(array) if array.count > MAX_BATCH => Ok(BodyDraft::TooMany(array.count)),
                    Some(array) if array.events.is_empty() => {
                        Err(de::Error::custom(format!("`events` must hold 1 to {MAX_BATCH} events")))
                    }
                    Some(array) => Ok(BodyDraft::Batch(array.events)),
                }
            }
        }
        deserializer.deserialize_map(BodyVisitor)
    }
}
