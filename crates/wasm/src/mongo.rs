//! The MongoDB session handle.
