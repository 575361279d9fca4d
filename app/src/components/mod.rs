pub mod form;
pub mod layout;
pub mod notice;
pub mod product;
pub mod search;
pub mod seo;
