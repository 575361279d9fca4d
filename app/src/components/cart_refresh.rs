//! The cart's changes, shared by the islands that show it.

use leptos::prelude::*;

/// Bumped after every cart change so the header badge and cart views reload.
#[derive(Clone, Copy)]
pub struct CartRefresh(pub RwSignal<u32>);

impl CartRefresh {
    pub fn bump(&self) {
        self.0.update(|v| *v = v.wrapping_add(1));
    }
}
