//! The side effects: localStorage, the URL fragment, keyboard shortcuts, the theme.

pub mod derive;
pub mod engine;
pub mod focus;
pub mod fragment;
pub mod keys;
pub mod saving;
pub mod storage;
