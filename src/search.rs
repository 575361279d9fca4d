//! Search as shoppers type it, on a phone as often as not: accents and case are
//! ignored ("nhan vang" finds "Nhẫn vàng", "NHẪN" finds "nhẫn", "đ" matches "d"),
//! every word of the search must start a word of the product (in any field), and a
//! word of five letters or more may carry one typo ("daimond" finds "diamond"),
//! Meilisearch's default rule. Results rank by typos, then by where the words
//! matched: the name before the brand before the rest.
//!
//! Pure Rust over text already in memory, so the shop searches the same way on
//! SQLite and PostgreSQL (their accent and collation rules differ), and the catalog
//! and the admin's product list share it.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Words of a search beyond this many are ignored.
pub const MAX_SEARCH_TERMS: usize = 5;

/// Words this long (in letters) or longer may carry one typo.
pub const TYPO_MIN_CHARS: usize = 5;

/// `text` lowercased, without accents, `đ` as `d`: what searching compares.
pub fn fold(text: &str) -> String {
    text.nfd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .map(|c| if c == 'đ' { 'd' } else { c })
        .collect()
}

/// The words of `text`, folded: runs of letters and digits.
fn words(text: &str) -> Vec<Vec<char>> {
    fold(text).split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(|w| w.chars().collect()).collect()
}

/// One field of a product (its name, brand, description...), folded once into its
/// distinct words so that many searches read it cheaply.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SearchField {
    words: Vec<Vec<char>>,
}

impl SearchField {
    pub fn new(text: &str) -> Self {
        let mut words = words(text);
        words.sort();
        words.dedup();
        SearchField { words }
    }
}

/// How well a product matched; smaller is better. Fields count by their place in
/// the list given to [`SearchTerms::rank`] (0 for the first).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Rank {
    /// Words matched only through a typo.
    pub typos: u32,
    /// The sum, over the search's words, of the best field each matched in.
    pub fields: u32,
    /// Words that matched the start of a longer word rather than a whole one.
    pub partial: u32,
}

/// A search, folded into its words (at most [`MAX_SEARCH_TERMS`]).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SearchTerms {
    terms: Vec<Vec<char>>,
}

impl SearchTerms {
    pub fn parse(search: &str) -> Self {
        let mut terms = words(search);
        terms.truncate(MAX_SEARCH_TERMS);
        SearchTerms { terms }
    }

    /// No word to search for: a search of only punctuation matches nothing.
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// How well `fields` (best first) match every word of the search, `None` when
    /// a word matches none of them.
    pub fn rank(&self, fields: &[&SearchField]) -> Option<Rank> {
        if self.terms.is_empty() {
            return None;
        }
        let mut rank = Rank::default();
        for term in &self.terms {
            let best = fields
                .iter()
                .enumerate()
                .filter_map(|(place, field)| {
                    field.words.iter().filter_map(|word| word_match(term, word)).min().map(|m| (m.0, place, m.1))
                })
                .min()?;
            let (typo, place, partial) = best;
            rank.typos += u32::from(typo);
            rank.fields += place as u32;
            rank.partial += u32::from(partial);
        }
        Some(rank)
    }
}

/// Whether `term` starts `word`: `(typo, partial)` when it does, exactly or (for a
/// term of [`TYPO_MIN_CHARS`] or more) with one letter added, missing, changed or
/// two swapped; `partial` when the word goes on past the term.
fn word_match(term: &[char], word: &[char]) -> Option<(bool, bool)> {
    if word.starts_with(term) {
        return Some((false, word.len() > term.len()));
    }
    if term.len() < TYPO_MIN_CHARS || word.len() + 1 < term.len() {
        return None;
    }
    let (distance, whole) = prefix_distance(term, word);
    (distance <= 1).then_some((true, !whole))
}

/// The fewest edits (insert, delete, substitute, swap two neighbours) that turn
/// `term` into some start of `word`, and whether that start is the whole word at
/// that distance: the optimal string alignment distance, read along the last row.
fn prefix_distance(term: &[char], word: &[char]) -> (usize, bool) {
    let (m, n) = (term.len(), word.len());
    // Three rows of the (m + 1) x (n + 1) table: two back (for swaps), one back, this one.
    let mut before: Vec<usize> = vec![0; n + 1];
    let mut previous: Vec<usize> = (0..=n).collect();
    let mut current: Vec<usize> = vec![0; n + 1];
    for i in 1..=m {
        current[0] = i;
        for j in 1..=n {
            let cost = usize::from(term[i - 1] != word[j - 1]);
            let mut best = (previous[j] + 1).min(current[j - 1] + 1).min(previous[j - 1] + cost);
            if i > 1 && j > 1 && term[i - 1] == word[j - 2] && term[i - 2] == word[j - 1] {
                best = best.min(before[j - 2] + 1);
            }
            current[j] = best;
        }
        std::mem::swap(&mut before, &mut previous);
        std::mem::swap(&mut previous, &mut current);
    }
    let least = previous.iter().copied().min().unwrap_or(m);
    (least, previous[n] == least)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rank(search: &str, fields: &[&str]) -> Option<Rank> {
        let fields: Vec<SearchField> = fields.iter().map(|f| SearchField::new(f)).collect();
        let refs: Vec<&SearchField> = fields.iter().collect();
        SearchTerms::parse(search).rank(&refs)
    }

    fn matches(search: &str, text: &str) -> bool {
        rank(search, &[text]).is_some()
    }

    #[test]
    fn folds_case_and_vietnamese_accents() {
        assert_eq!(fold("Nhẫn Vàng 18K"), "nhan vang 18k");
        assert_eq!(fold("NHẪN"), "nhan");
        assert_eq!(fold("Đồng hồ đeo tay"), "dong ho deo tay");
        assert_eq!(fold("Bông tai ngọc trai"), "bong tai ngoc trai");
        assert_eq!(fold("Dây chuyền bạc"), "day chuyen bac");
        assert_eq!(fold("Crème brûlée"), "creme brulee");
        // Precomposed and decomposed forms fold alike.
        assert_eq!(fold("e\u{0302}\u{0301}"), fold("ế"));
    }

    /// The search table: what a shopper types, what it must find and what not.
    #[test]
    fn finds_what_shoppers_type_and_nothing_else() {
        let table: &[(&str, &str, bool)] = &[
            ("nhan vang", "Nhẫn vàng 18K đính kim cương", true),
            ("NHẪN", "nhẫn bạc", true),
            ("nhẫn", "NHẪN BẠC", true),
            ("dong ho", "Đồng hồ nữ", true),
            ("đồng", "dong ho", true),
            ("nhan kim cuong", "Nhẫn vàng 18K đính kim cương", true),
            ("nhan bac", "Nhẫn vàng 18K đính kim cương", false),
            ("ring", "Rings and bands", true),
            ("rose ruby", "Rosette Ruby Pendant", true),
            ("rose ruby", "Ember Ruby Band", false),
            // One typo from five letters on: swapped, changed, missing, extra.
            ("daimond", "Diamond Tennis Bracelet", true),
            ("diamnd", "Diamond Tennis Bracelet", true),
            ("diamomd", "Diamond Tennis Bracelet", true),
            ("diammond", "Diamond Tennis Bracelet", true),
            ("daimonds", "Diamonds", true),
            ("daimonds", "Diamond", false),
            ("emrald", "Verdant Emerald Cocktail Ring", true),
            // Two typos, or a typo in a short word, find nothing.
            ("daimnod", "Diamond", false),
            ("rimg", "Ring", false),
            ("gokd", "Gold", false),
            // The start of a word, not its middle.
            ("mond", "Diamond", false),
            ("%", "100% gold", false),
            ("", "anything", false),
        ];
        for (search, text, expected) in table {
            assert_eq!(matches(search, text), *expected, "{search:?} in {text:?}");
        }
    }

    #[test]
    fn ranks_the_name_before_the_brand_before_the_description() {
        let in_name = rank("pearl", &["Pearl Drops", "Lumen", "Freshwater pearls"]).unwrap();
        let in_brand = rank("pearl", &["Moon Drops", "Pearl House", "Freshwater pearls"]).unwrap();
        let in_description = rank("pearl", &["Moon Drops", "Lumen", "Freshwater pearls"]).unwrap();
        assert!(in_name < in_brand && in_brand < in_description, "{in_name:?} {in_brand:?} {in_description:?}");
        let exact = rank("diamond", &["Diamond Ring"]).unwrap();
        let typo = rank("daimond", &["Diamond Ring"]).unwrap();
        assert!(exact < typo);
        let whole = rank("ring", &["Ring"]).unwrap();
        let start = rank("ring", &["Ringlet"]).unwrap();
        assert!(whole < start);
    }

    #[test]
    fn reads_at_most_five_words() {
        assert_eq!(SearchTerms::parse("a b c d e f g").terms.len(), MAX_SEARCH_TERMS);
        assert!(SearchTerms::parse(" %_ ").is_empty());
    }
}
