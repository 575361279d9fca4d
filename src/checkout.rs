//! Checkout: the contact and shipping details a shopper types, and the rules they
//! must meet. The browser shows the messages the server answers, in the page's
//! language (the words of [`crate::text::order`]).

use crate::Locale;
use crate::text::order::Words;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Countries the shop can ship to: ISO 3166-1 alpha-2 code and English name. Pages
/// name them in their language with [`country_name`].
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

/// Vietnam, the shop's home: its addresses and phone numbers have rules of their own.
pub const VIETNAM: &str = "VN";

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
    /// Empty when there is none (optional in Vietnam).
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

/// The name of the country `code` (one of [`COUNTRIES`]) in `locale`.
pub fn country_name(code: &str, locale: Locale) -> Option<&'static str> {
    let w = crate::text::order::words(locale);
    Some(match code {
        "US" => w.country_us,
        "CA" => w.country_ca,
        "GB" => w.country_gb,
        "IE" => w.country_ie,
        "FR" => w.country_fr,
        "DE" => w.country_de,
        "NL" => w.country_nl,
        "IT" => w.country_it,
        "ES" => w.country_es,
        "AU" => w.country_au,
        "NZ" => w.country_nz,
        "JP" => w.country_jp,
        "SG" => w.country_sg,
        "VN" => w.country_vn,
        _ => return None,
    })
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

/// A Vietnamese number as people write it: `0xx xxx xxxx` or `+84 xx xxx xxxx`
/// (spaces, dots or hyphens between the digits).
fn vietnamese_phone(phone: &str) -> bool {
    if !phone.chars().all(|c| c.is_ascii_digit() || " .-+".contains(c)) {
        return false;
    }
    let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
    match phone.strip_prefix('+') {
        Some(rest) => !rest.contains('+') && digits.len() == 11 && digits.starts_with("84"),
        None => !phone.contains('+') && digits.len() == 10 && digits.starts_with('0'),
    }
}

fn plausible_phone(phone: &str) -> bool {
    let digits = phone.chars().filter(char::is_ascii_digit).count();
    (7..=15).contains(&digits) && phone.chars().all(|c| c.is_ascii_digit() || " +-().".contains(c))
}

/// Checks every field and reports every problem at once, so the shopper fixes them in
/// one go. `ships_to` are the countries the shop ships to (a setting). A Vietnamese
/// address is province or city (`region`), ward or commune (`city`), then street and
/// number (`address_line1`), its postal code optional, its phone Vietnamese. The
/// messages are said in `words` (the request's language).
pub fn validate(input: &CheckoutInput, ships_to: &[&str], words: &Words) -> Result<ShippingDetails, FieldErrors> {
    let mut errors = FieldErrors::new();
    let mut check = |field: &str, ok: bool, message: &str| {
        if !ok {
            errors.entry(field.to_owned()).or_insert_with(|| message.to_owned());
        }
    };
    let len = |s: &str| s.chars().count();

    let email = input.email.trim();
    check("email", !email.is_empty(), words.field_email_missing);
    check("email", len(email) <= 254 && plausible_email(email), words.field_email_invalid);

    let full_name = input.full_name.trim();
    check("full_name", !full_name.is_empty(), words.field_name_missing);
    check("full_name", (2..=100).contains(&len(full_name)), words.field_name_length);

    let country = input.country.trim();
    let known = COUNTRIES.iter().any(|(code, _)| *code == country);
    check("country", known && ships_to.contains(&country), words.field_country);
    let vietnam = country == VIETNAM;

    let phone = input.phone.trim();
    check("phone", !phone.is_empty(), words.field_phone_missing);
    if vietnam {
        check("phone", vietnamese_phone(phone), words.field_phone_vn);
    } else {
        check("phone", plausible_phone(phone), words.field_phone_digits);
    }

    let line1 = input.address_line1.trim();
    let (street, street_length) = match vietnam {
        true => (words.field_vn_street_missing, words.field_vn_street_length),
        false => (words.field_street_missing, words.field_street_length),
    };
    check("address_line1", !line1.is_empty(), street);
    check("address_line1", (3..=200).contains(&len(line1)), street_length);

    let line2 = input.address_line2.trim();
    check("address_line2", len(line2) <= 200, words.field_line2_length);

    let city = input.city.trim();
    let (town, town_length) = match vietnam {
        true => (words.field_vn_ward_missing, words.field_vn_ward_length),
        false => (words.field_town_missing, words.field_town_length),
    };
    check("city", !city.is_empty(), town);
    check("city", (2..=100).contains(&len(city)), town_length);

    let region = input.region.trim();
    if vietnam {
        check("region", !region.is_empty(), words.field_vn_region_missing);
        check("region", len(region) <= 100, words.field_vn_region_length);
    } else {
        check("region", len(region) <= 100, words.field_region_length);
    }

    let postal = input.postal_code.trim();
    if vietnam {
        check(
            "postal_code",
            postal.is_empty() || (postal.len() == 5 && postal.bytes().all(|b| b.is_ascii_digit())),
            words.field_vn_postal_code,
        );
    } else {
        check("postal_code", !postal.is_empty(), words.field_postal_code_missing);
        check(
            "postal_code",
            (3..=12).contains(&len(postal))
                && postal.chars().all(|c| c.is_ascii_alphanumeric() || c == ' ' || c == '-'),
            words.field_postal_code_invalid,
        );
    }

    let payment = input.payment_method.trim();
    check("payment_method", payment.is_empty() || payment == PAYMENT_CASH_ON_DELIVERY, words.field_payment_method);

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
    use crate::text::order::{EN, VI};

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

    const SHIPS_TO: &[&str] = &["VN", "GB"];

    fn vietnamese() -> CheckoutInput {
        CheckoutInput {
            email: "lan@example.vn".into(),
            full_name: "Nguyễn Thị Lan".into(),
            phone: "090 123 4567".into(),
            address_line1: "12 Hàng Bạc".into(),
            address_line2: "".into(),
            city: "Phường Hoàn Kiếm".into(),
            region: "Hà Nội".into(),
            postal_code: "".into(),
            country: "VN".into(),
            payment_method: PAYMENT_CASH_ON_DELIVERY.into(),
        }
    }

    #[test]
    fn accepts_a_vietnamese_address_as_people_there_write_it() {
        let d = validate(&vietnamese(), SHIPS_TO, &EN).expect("valid");
        assert_eq!((d.region(), d.city(), d.address_line1()), (Some("Hà Nội"), "Phường Hoàn Kiếm", "12 Hàng Bạc"));
        assert_eq!(d.postal_code(), "", "the postal code is optional");
        for phone in ["0901234567", "090 123 4567", "090.123.4567", "+84 90 123 4567", "+84901234567"] {
            let input = CheckoutInput { phone: phone.into(), ..vietnamese() };
            assert!(validate(&input, SHIPS_TO, &EN).is_ok(), "{phone}");
        }
        let with_code = CheckoutInput { postal_code: "10000".into(), ..vietnamese() };
        assert_eq!(validate(&with_code, SHIPS_TO, &EN).unwrap().postal_code(), "10000");
    }

    #[test]
    fn refuses_what_a_vietnamese_address_cannot_be() {
        let refused = |input: CheckoutInput| validate(&input, SHIPS_TO, &EN).unwrap_err();
        for phone in
            ["90 123 4567", "0901 234 56", "+44 20 7946 0958", "+84 090 123 4567", "0901234567+", "090-abc-4567"]
        {
            let errors = refused(CheckoutInput { phone: phone.into(), ..vietnamese() });
            assert_eq!(errors["phone"], "Enter a phone number like 090 123 4567 or +84 90 123 4567.", "{phone}");
        }
        let errors = refused(CheckoutInput { region: " ".into(), city: "".into(), ..vietnamese() });
        assert_eq!(errors["region"], "Enter the province or city.");
        assert_eq!(errors["city"], "Enter the ward or commune.");
        let errors = refused(CheckoutInput { address_line1: "".into(), postal_code: "1000".into(), ..vietnamese() });
        assert_eq!(errors["address_line1"], "Enter the street and house number.");
        assert_eq!(errors["postal_code"], "Enter the 5-digit postal code, or leave it empty.");
    }

    #[test]
    fn says_its_messages_in_the_words_given() {
        let input = CheckoutInput { city: "".into(), email: "lan@".into(), ..vietnamese() };
        let errors = validate(&input, SHIPS_TO, &VI).unwrap_err();
        assert_eq!(errors["city"], "Vui lòng nhập phường/xã.");
        assert_eq!(errors["email"], VI.field_email_invalid);
    }

    #[test]
    fn names_every_country_in_each_language() {
        for (code, english) in COUNTRIES {
            assert_eq!(country_name(code, Locale::En), Some(*english));
            assert!(country_name(code, Locale::Vi).is_some_and(|name| !name.is_empty()), "{code}");
        }
        assert_eq!(country_name("VN", Locale::Vi), Some("Việt Nam"));
        assert_eq!(country_name("ZZ", Locale::En), None);
    }

    #[test]
    fn ships_only_to_the_countries_the_shop_names() {
        assert!(validate(&good(), &["VN"], &EN).unwrap_err().contains_key("country"), "GB is not shipped to");
        assert!(validate(&good(), SHIPS_TO, &EN).is_ok());
        let elsewhere = CheckoutInput { country: "FR".into(), ..good() };
        assert_eq!(validate(&elsewhere, SHIPS_TO, &EN).unwrap_err()["country"], "Choose a country we ship to.");
    }

    #[test]
    fn accepts_and_trims_good_details() {
        let d = validate(&good(), SHIPS_TO, &EN).expect("valid");
        assert_eq!(d.email(), "ada@example.com");
        assert_eq!(d.address_line2(), None);
        assert_eq!(d.postal_code(), "SW1Y 4JH");
        assert_eq!(d.country(), "GB");
    }

    #[test]
    fn reports_every_bad_field_at_once() {
        let input = CheckoutInput { country: "ZZ".into(), ..CheckoutInput::default() };
        let errors = validate(&input, SHIPS_TO, &EN).unwrap_err();
        let fields: Vec<&str> = errors.keys().map(String::as_str).collect();
        assert_eq!(fields, ["address_line1", "city", "country", "email", "full_name", "phone", "postal_code"]);
        assert_eq!(errors["email"], "Enter your email address.");
    }

    #[test]
    fn checks_each_rule() {
        let bad = |f: fn(&mut CheckoutInput), field: &str| {
            let mut input = good();
            f(&mut input);
            let errors = validate(&input, SHIPS_TO, &EN).unwrap_err();
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
