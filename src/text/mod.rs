//! Every word the shop shows, in each language it speaks, one module per area of
//! the shop. Each area declares its words with [`words!`]: one entry, one name,
//! its Vietnamese then its English. An entry missing a language does not compile,
//! so a page can never show a key or the other language's words. Values with
//! parts filled in (a count, a name) name them in braces, `{n}`, filled by
//! [`fill`]; a test checks that both languages name the same parts.
//!
//! Why typed tables rather than `leptos_i18n` or Fluent: the shop speaks two
//! languages whose plural rules need no engine (Vietnamese has no plural; English
//! has one and other, two entries), the compiler refuses a missing translation
//! (Fluent finds it at run time), and a page's islands are sent only the words
//! they use, in the page's language, as their props: the tables never reach the
//! wasm. `leptos_i18n` does that too, but with a build step reading JSON files and
//! a macro crate the build would have to fetch and keep in step with Leptos.

use crate::Locale;
use std::fmt::Display;

/// Declares an area's words: `name: "Vietnamese", "English";` for each.
/// Makes `Words` (a field per entry), `VI` and `EN`, and `words(locale)`.
#[macro_export]
macro_rules! words {
    ($( $(#[$doc:meta])* $name:ident: $vi:literal, $en:literal; )*) => {
        /// This area's words in one language.
        #[derive(Debug)]
        pub struct Words { $( $(#[$doc])* pub $name: &'static str, )* }

        pub const VI: Words = Words { $( $name: $vi, )* };
        pub const EN: Words = Words { $( $name: $en, )* };

        /// This area's words in `locale`.
        pub fn words(locale: $crate::Locale) -> &'static Words {
            match locale {
                $crate::Locale::Vi => &VI,
                $crate::Locale::En => &EN,
            }
        }

        impl Words {
            /// Every entry, by name (for the tests).
            pub fn entries(&self) -> Vec<(&'static str, &'static str)> {
                vec![$( (stringify!($name), self.$name), )*]
            }
        }
    };
}

pub mod admin;
pub mod common;
pub mod order;
pub mod privacy;
pub mod store;

/// `template` with each `{name}` replaced by its value in `parts`.
pub fn fill(template: &str, parts: &[(&str, &dyn Display)]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}').and_then(|close| {
            let name = &after[..close];
            parts.iter().find(|(n, _)| *n == name).map(|(_, value)| (close, value))
        }) {
            Some((close, value)) => {
                out.push_str(&value.to_string());
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Every entry of every area in `locale`, by area and name (for the tests).
pub fn all(locale: Locale) -> Vec<(&'static str, &'static str, &'static str)> {
    let areas: [(&str, Vec<(&'static str, &'static str)>); 5] = [
        ("common", common::words(locale).entries()),
        ("store", store::words(locale).entries()),
        ("order", order::words(locale).entries()),
        ("admin", admin::words(locale).entries()),
        ("privacy", privacy::words(locale).entries()),
    ];
    areas.into_iter().flat_map(|(area, entries)| entries.into_iter().map(move |(n, v)| (area, n, v))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The `{name}` parts a template names, in order.
    fn parts(template: &str) -> Vec<&str> {
        template.split('{').skip(1).filter_map(|s| s.split_once('}').map(|(name, _)| name)).collect()
    }

    #[test]
    fn fills_named_parts() {
        assert_eq!(fill("Chỉ còn {n} chiếc.", &[("n", &3)]), "Chỉ còn 3 chiếc.");
        assert_eq!(fill("{a} and {b}", &[("b", &"B"), ("a", &1)]), "1 and B");
        assert_eq!(fill("no {part} here", &[]), "no {part} here");
        assert_eq!(fill("{", &[]), "{");
    }

    #[test]
    fn both_languages_have_every_entry_with_the_same_parts() {
        let (vi, en) = (all(Locale::Vi), all(Locale::En));
        assert_eq!(vi.len(), en.len());
        for ((area, name, vi), (_, _, en)) in vi.iter().zip(&en) {
            assert!(!vi.trim().is_empty() && !en.trim().is_empty(), "{area}.{name} is empty");
            let (mut a, mut b) = (parts(vi), parts(en));
            a.sort_unstable();
            b.sort_unstable();
            assert_eq!(a, b, "{area}.{name}: the languages fill different parts");
        }
    }
}
