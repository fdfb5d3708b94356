//! Share links: a whole design in a URL fragment.
