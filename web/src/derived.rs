//! Everything the core derives from a design (findings, both layouts, cost, scaling, exports,
//! alternatives), computed by the worker once per design revision and only when a view shows
//! it (`hooks/derive.rs`), then shared by the views. The page links none of the derivations.

use std::rc::Rc;

use schemaplay_core::Analysis;
use schemaplay_playground::derive::{DerivedViews, Wants};

/// A value shared between renders that views compare by identity, not by content: the
/// analysis of one revision, an answer with many rows.
#[derive(Debug)]
pub struct Shared<T = Analysis>(pub Rc<T>);

impl<T> Shared<T> {
    pub fn new(value: T) -> Self {
        Shared(Rc::new(value))
    }
}

impl<T> Clone for Shared<T> {
    fn clone(&self) -> Self {
        Shared(self.0.clone())
    }
}

impl<T> PartialEq for Shared<T> {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl<T> std::ops::Deref for Shared<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0
    }
}

/// What the worker derived from the design at one revision: the analysis and the views'
/// extras (samples, exports, alternatives, paged lists, scripts).
#[derive(Clone, PartialEq)]
pub struct Derived {
    pub key: DeriveKey,
    pub analysis: Shared<Analysis>,
    pub views: Shared<DerivedViews>,
}

/// Which derivation: the design's revision, the seed of the console's data (the prefilled
/// scripts read its keys) and the parts only some views need.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DeriveKey {
    pub revision: u64,
    pub seed: u64,
    pub wants: Wants,
}

impl DeriveKey {
    /// Whether a derivation made for `self` answers what `wanted` asks: the same revision,
    /// and every part asked for (scripts of the same seed).
    pub fn answers(&self, wanted: &DeriveKey) -> bool {
        self.revision == wanted.revision
            && (!wanted.wants.alternatives || self.wants.alternatives)
            && (!wanted.wants.scripts || self.wants.scripts && self.seed == wanted.seed)
    }
}
