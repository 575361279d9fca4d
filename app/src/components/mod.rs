pub mod layout;
pub mod notice;
pub mod product;
