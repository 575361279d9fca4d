//! The pages' Content-Security-Policy, as the server builds it for this store and
//! sign-in provider.

/// The pages' `Content-Security-Policy` but for its per-response nonce: scripts
/// only from this site and the page's own nonce (the hydration script), wasm
/// compiled, styles from this site, images from this site and the media CDN,
/// connections to this site and the image store's upload origin, forms to this
/// site and the sign-in provider, and no framing.
#[derive(Clone, Debug, Default)]
pub struct PagePolicy {
    /// Where product images are read from besides this site (the CDN).
    pub image_origins: Vec<String>,
    /// Where the browser uploads images besides this site (the bucket).
    pub upload_origins: Vec<String>,
    /// Where a form here may end up besides this site (Cognito's sign-out).
    pub form_origins: Vec<String>,
}

impl PagePolicy {
    /// The header's value for a response whose inline scripts carry `nonce`.
    pub fn header_value(&self, nonce: &str) -> String {
        let with = |base: &str, extra: &[String]| {
            extra.iter().fold(base.to_owned(), |mut value, origin| {
                value.push(' ');
                value.push_str(origin);
                value
            })
        };
        format!(
            "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; style-src 'self'; \
             img-src {}; connect-src {}; font-src 'self'; object-src 'none'; base-uri 'self'; \
             form-action {}; frame-ancestors 'none'",
            with("'self'", &self.image_origins),
            with("'self'", &self.upload_origins),
            with("'self'", &self.form_origins),
        )
    }
}
