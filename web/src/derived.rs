//! Everything the core derives from a design (findings, both layouts, cost, scaling), computed
//! once per design revision and only when a view shows it, then shared by the views.

use std::cell::RefCell;
use std::rc::Rc;

use schemaplay_core::model::Design;
use schemaplay_core::Analysis;

/// The analysis of one revision; views compare it by identity, not by content.
#[derive(Clone)]
pub struct Shared(pub Rc<Analysis>);

impl PartialEq for Shared {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl std::ops::Deref for Shared {
    type Target = Analysis;

    fn deref(&self) -> &Analysis {
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
        let analysis = Shared(Rc::new(schemaplay_core::analyze(design)));
        *self.cache.borrow_mut() = Some((revision, analysis.clone()));
        analysis
    }
}
