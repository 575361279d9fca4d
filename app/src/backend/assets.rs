//! The built site's asset names, as cargo-leptos hashed them.

use leptos::prelude::*;

/// Where cargo-leptos's `hash-files` leaves the content hashes it put in the built
/// site's file names (`jewelry.<hash>.css`): `hash.txt` (`options.hash_file`) beside
/// the server binary, where Leptos's `HydrationScripts` reads them too. `None`
/// without the file (a build without hashing, or a test binary).
pub fn hash_file(options: &LeptosOptions) -> Option<std::path::PathBuf> {
    let path = std::env::current_exe().ok()?.parent()?.join(options.hash_file.as_ref());
    path.is_file().then_some(path)
}

/// The href of the site's stylesheet: the hashed name when the site was built with
/// hashed names (`options.hash_files`), else the plain one. The hash file is read once.
pub fn stylesheet_href(options: &LeptosOptions) -> String {
    static CSS_HASH: std::sync::OnceLock<Option<String>> = std::sync::OnceLock::new();
    let hash = options
        .hash_files
        .then(|| {
            CSS_HASH.get_or_init(|| {
                let hashes = std::fs::read_to_string(hash_file(options)?).ok()?;
                hashes.lines().find_map(|line| {
                    let (kind, hash) = line.split_once(':')?;
                    (kind.trim() == "css").then(|| hash.trim().to_owned())
                })
            })
        })
        .and_then(Option::as_ref);
    let (pkg, name) = (&options.site_pkg_dir, &options.output_name);
    match hash {
        Some(hash) => format!("/{pkg}/{name}.{hash}.css"),
        None => format!("/{pkg}/{name}.css"),
    }
}
