//! Text that Leptos 0.8 writes into server-rendered HTML as it is.
//!
//! Leptos escapes text nodes and attribute values, except in three places that
//! take text from this shop's users: the `<title>` (`leptos_meta` 0.8.7, the latest
//! 0.8 release, writes it raw) and the children of `<textarea>` and `<noscript>`
//! (tachys 0.2 treats them as raw text, as it does `<script>`). Both `<title>` and
//! `<textarea>` are RCDATA: only their own end tag ends them, and character
//! references are read, so escaping is exactly right. Whatever reaches one of them
//! goes through [`raw_text`] first.

/// `text` escaped for HTML on the server (with the escaping Leptos gives text
/// nodes); unchanged in the browser, where it is set as text and never parsed.
pub fn raw_text(text: String) -> String {
    #[cfg(feature = "ssr")]
    let text = html_escape::encode_text(&text).into_owned();
    text
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    #[test]
    fn the_server_escapes_what_could_end_the_element() {
        assert_eq!(
            super::raw_text("a </textarea><x> & </title>".into()),
            "a &lt;/textarea&gt;&lt;x&gt; &amp; &lt;/title&gt;"
        );
    }
}
