//! Everything the core derives from a design (findings, both layouts, cost, scaling), computed
//! once per design revision and only when a view shows it, then shared by the views.

use std::cell::RefCell;
use std::rc::Rc;

use schemaplay_core::model::Design;
use schemaplay_core::Analysis;

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

/// The last analysis and the revision it belongs to.
#[derive(Clone, Default)]
pub struct Derived {
    cache: Rc<RefCell<Option<(u64, Shared)>>>,
}

impl Derived {
    /// The analysis of the design at `revision`, computed on first use.
    pub fn get(&self, revision: u64, design: &Design) -> Shared {
        if let Some((cached, analysis)) = &*self.cache.borrow() {
            if *cached == revision {
                return analysis.clone();
            }
        }
        let analysis = Shared::new(schemaplay_core::analyze(design));
        *self.cache.borrow_mut() = Some((revision, analysis.clone()));
        analysis
    }
}
