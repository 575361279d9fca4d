//! Checkout: the contact and shipping details a shopper types, and the rules they
//! must meet. The browser shows the same messages the server enforces.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Countries the shop ships to: ISO 3166-1 alpha-2 code and name.
pub const COUNTRIES: &[(&str, &str)] = &[
    ("US", "United States"),
    ("CA", "Canada"),
    ("GB", "United Kingdom"),
    ("IE", "Ireland"),
    ("FR", "France"),
    ("DE", "Germany"),
    ("NL", "Netherlands"),
    ("IT", "Italy"),
    ("ES", "Spain"),
    ("AU", "Australia"),
    ("NZ", "New Zealand"),
    ("JP", "Japan"),
    ("SG", "Singapore"),
    ("VN", "Vietnam"),
];

/// The one payment method this shop offers.
pub const PAYMENT_CASH_ON_DELIVERY: &str = "cash_on_delivery";

/// The checkout form as submitted: every field a string, as a form posts it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckoutInput {
    pub email: String,
    pub full_name: String,
    pub phone: String,
    pub address_line1: String,
    #[serde(default)]
    pub address_line2: String,
    pub city: String,
    #[serde(default)]
    pub region: String,
    pub postal_code: String,
    pub country: String,
    /// Only cash on delivery is offered; an empty value means it.
    #[serde(default)]
    pub payment_method: String,
}

/// Details that passed every rule, trimmed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShippingDetails {
    email: String,
    full_name: String,
    phone: String,
    address_line1: String,
    address_line2: Option<String>,
    city: String,
    region: Option<String>,
    postal_code: String,
    country: String,
}

impl ShippingDetails {
    pub fn email(&self) -> &str {
        &self.email
    }
    pub fn full_name(&self) -> &str {
        &self.full_name
    }
    pub fn phone(&self) -> &str {
        &self.phone
    }
    pub fn address_line1(&self) -> &str {
        &self.address_line1
    }
    pub fn address_line2(&self) -> Option<&str> {
        self.address_line2.as_deref()
    }
    pub fn city(&self) -> &str {
        &self.city
    }
    pub fn region(&self) -> Option<&str> {
        self.region.as_deref()
    }
    pub fn postal_code(&self) -> &str {
        &self.postal_code
    }
    /// ISO 3166-1 alpha-2.
    pub fn country(&self) -> &str {
        &self.country
    }
}

/// Field name (as in [`CheckoutInput`]) to the message shown beside it.
pub type FieldErrors = BTreeMap<String, String>;

pub fn country_name(code: &str) -> Option<&'static str> {
    COUNTRIES.iter().find(|(c, _)| *c == code).map(|(_, name)| *name)
}

fn plausible_email(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && local.len() <= 64
        && domain.len() >= 3
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..")
        && !email.chars().any(|c| c.is_whitespace() || c.is_control())
        && !domain.contains('@')
}

fn plausible_phone(phone: &str) -> bool {
    let digits = phone.chars().filter(char::is_ascii_digit).count();
    (7..=15).contains(&digits) && phone.chars().all(|c| c.is_ascii_digit() || " +-().".contains(c))
}

/// Checks every field and reports every problem at once, so the shopper fixes them in one go.
pub fn validate(input: &CheckoutInput) -> Result<ShippingDetails, FieldErrors> {
    let mut errors = FieldErrors::new();
    let mut check = |field: &str, ok: bool, message: &str| {
        if !ok {
            errors.entry(field.to_owned()).or_insert_with(|| message.to_owned());
        }
    };
    let len = |s: &str| s.chars().count();

    let email = input.email.trim();
    check("email", !email.is_empty(), "Enter your email address.");
    check("email", len(email) <= 254 && plausible_email(email), "Enter an email address like name@example.com.");

    let full_name = input.full_name.trim();
    check("full_name", !full_name.is_empty(), "Enter your full name.");
    check("full_name", (2..=100).contains(&len(full_name)), "Your name must be 2 to 100 characters.");

    let phone = input.phone.trim();
    check("phone", !phone.is_empty(), "Enter a phone number so the courier can reach you.");
    check("phone", plausible_phone(phone), "Enter a phone number of 7 to 15 digits.");

    let line1 = input.address_line1.trim();
    check("address_line1", !line1.is_empty(), "Enter the street address.");
    check("address_line1", (3..=200).contains(&len(line1)), "The street address must be 3 to 200 characters.");

    let line2 = input.address_line2.trim();
    check("address_line2", len(line2) <= 200, "This line must be at most 200 characters.");

    let city = input.city.trim();
    check("city", !city.is_empty(), "Enter the town or city.");
    check("city", (2..=100).contains(&len(city)), "The town or city must be 2 to 100 characters.");

    let region = input.region.trim();
    check("region", len(region) <= 100, "The state or region must be at most 100 characters.");

    let postal = input.postal_code.trim();
    check("postal_code", !postal.is_empty(), "Enter the postal code.");
    check(
        "postal_code",
        (3..=12).contains(&len(postal)) && postal.chars().all(|c| c.is_ascii_alphanumeric() || c == ' ' || c == '-'),
        "Enter a postal code of 3 to 12 letters, digits, spaces or hyphens.",
    );

    let country = input.country.trim();
    check("country", country_name(country).is_some(), "Choose a country we ship to.");

    let payment = input.payment_method.trim();
    check(
        "payment_method",
        payment.is_empty() || payment == PAYMENT_CASH_ON_DELIVERY,
        "Cash on delivery is the only payment method we offer.",
    );

    if !errors.is_empty() {
        return Err(errors);
    }
    let optional = |s: &str| (!s.is_empty()).then(|| s.to_owned());
    Ok(ShippingDetails {
        email: email.to_owned(),
        full_name: full_name.to_owned(),
        phone: phone.to_owned(),
        address_line1: line1.to_owned(),
        address_line2: optional(line2),
        city: city.to_owned(),
        region: optional(region),
        postal_code: postal.to_uppercase(),
        country: country.to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn good() -> CheckoutInput {
        CheckoutInput {
            email: " ada@example.com ".into(),
            full_name: "Ada Lovelace".into(),
            phone: "+44 20 7946 0958".into(),
            address_line1: "12 St James's Square".into(),
            address_line2: "".into(),
            city: "London".into(),
            region: "".into(),
            postal_code: "sw1y 4jh".into(),
            country: "GB".into(),
            payment_method: PAYMENT_CASH_ON_DELIVERY.into(),
        }
    }

    #[test]
    fn accepts_and_trims_good_details() {
        let d = validate(&good()).expect("valid");
        assert_eq!(d.email(), "ada@example.com");
        assert_eq!(d.address_line2(), None);
        assert_eq!(d.postal_code(), "SW1Y 4JH");
        assert_eq!(d.country(), "GB");
    }

    #[test]
    fn reports_every_bad_field_at_once() {
        let input = CheckoutInput { country: "ZZ".into(), ..CheckoutInput::default() };
        let errors = validate(&input).unwrap_err();
        let fields: Vec<&str> = errors.keys().map(String::as_str).collect();
        assert_eq!(fields, ["address_line1", "city", "country", "email", "full_name", "phone", "postal_code"]);
        assert_eq!(errors["email"], "Enter your email address.");
    }

    #[test]
    fn checks_each_rule() {
        let bad = |f: fn(&mut CheckoutInput), field: &str| {
            let mut input = good();
            f(&mut input);
            let errors = validate(&input).unwrap_err();
            assert!(errors.contains_key(field), "{field} should be refused: {errors:?}");
            assert_eq!(errors.len(), 1, "only {field} is wrong: {errors:?}");
        };
        bad(|i| i.email = "ada@".into(), "email");
        bad(|i| i.email = "ada example.com".into(), "email");
        bad(|i| i.email = "ada@example".into(), "email");
        bad(|i| i.full_name = "A".into(), "full_name");
        bad(|i| i.phone = "12345".into(), "phone");
        bad(|i| i.phone = "call me maybe".into(), "phone");
        bad(|i| i.address_line1 = "x".into(), "address_line1");
        bad(|i| i.address_line2 = "x".repeat(201), "address_line2");
        bad(|i| i.postal_code = "<script>".into(), "postal_code");
        bad(|i| i.country = "gb".into(), "country");
        bad(|i| i.payment_method = "card".into(), "payment_method");
    }
}
