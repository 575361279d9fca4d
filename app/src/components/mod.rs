pub mod browser;
pub mod cart_refresh;
pub mod form;
pub mod layout;
pub mod notice;
pub mod product;
pub mod search;
pub mod seo;
