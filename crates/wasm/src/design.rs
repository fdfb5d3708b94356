//! The design handle: validate, derive layouts, export and import.
