//! What one request may spend: time (`maxTimeMS`) and, for a blocking sort or group that may
//! not use the disk, memory (the server's 100 MB).
//!
//! The crate reads no clock of its own: the host gives it a timer ([`Timer`]: milliseconds
//! from any origin, never going back; natively `std::time::Instant`, in a browser
//! `performance.now()`). Without a timer, time is not limited. The loops that can run long
//! (scans, index fetches, text search, sorts, `$group`, `$unwind`, `$lookup`, the other
//! stages' per-document work, updates and deletes) count their steps and read the timer once
//! every [`CHECK_EVERY`] steps, so a request stops within a bounded amount of work after its
//! time is up, with the server's `MaxTimeMSExpired`. A write stops before it changes anything:
//! every write computes what it will do before doing it.
//!
//! Memory is counted approximately, in BSON bytes (`value::doc_size`): the documents a sort
//! holds, the keys and accumulated values of a `$group`. Past 100 MB without `allowDiskUse`,
//! the request fails with `QueryExceededMemoryLimitNoDiskUseAllowed`; with it (the server's
//! default since 6.0, `allowDiskUseByDefault`), the simulator, which has no disk, carries on
//! in memory.

use std::cell::Cell;
use std::rc::Rc;

use crate::error::{MongoError, Result};

/// The host's timer: milliseconds from any fixed origin, never going back.
pub type Timer = Rc<dyn Fn() -> f64>;

/// Steps between two readings of the timer.
pub const CHECK_EVERY: u32 = 1024;

/// The memory a blocking sort or group may use without `allowDiskUse` (the server's
/// `internalQueryMaxBlockingSortMemoryUsageBytes` and `internalDocumentSourceGroupMaxMemoryBytes`).
pub const MAX_BLOCKING_BYTES: usize = 100 * 1024 * 1024;

/// The limits one request runs under, as its `maxTimeMS` and `allowDiskUse` give them (the
/// database's defaults where absent).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Limits {
    /// `maxTimeMS`: 0 or absent, no limit of its own.
    pub max_time_ms: Option<u64>,
    /// `allowDiskUse`.
    pub allow_disk_use: Option<bool>,
}

impl Limits {
    /// The limits a JSON request names: `maxTimeMS` (a whole number from 0 to 2^31 - 1) and
    /// `allowDiskUse` (a boolean), with the server's errors for other values.
    pub fn from_json(request: &serde_json::Value) -> Result<Limits> {
        let mut limits = Limits::default();
        match request.get("maxTimeMS") {
            None | Some(serde_json::Value::Null) => {}
            Some(serde_json::Value::Number(n)) => {
                let ms = match (n.as_i64(), n.as_f64()) {
                    (Some(i), _) => i as f64,
                    (None, Some(f)) => f,
                    (None, None) => f64::MAX,
                };
                if ms.fract() != 0.0 {
                    return Err(MongoError::bad_value("maxTimeMS has non-integral value"));
                }
                if !(0.0..=f64::from(i32::MAX)).contains(&ms) {
                    return Err(MongoError::bad_value("maxTimeMS is out of range"));
                }
                limits.max_time_ms = Some(ms as u64);
            }
            Some(_) => return Err(MongoError::bad_value("maxTimeMS must be a number")),
        }
        match request.get("allowDiskUse") {
            None | Some(serde_json::Value::Null) => {}
            Some(serde_json::Value::Bool(b)) => limits.allow_disk_use = Some(*b),
            Some(v) => {
                return Err(MongoError::type_mismatch(format!(
                    "BSON field 'allowDiskUse' is the wrong type '{}', expected type 'bool'",
                    match v {
                        serde_json::Value::Number(_) => "number",
                        serde_json::Value::String(_) => "string",
                        serde_json::Value::Array(_) => "array",
                        _ => "object",
                    }
                )))
            }
        }
        Ok(limits)
    }
}

/// What a request runs under where it says nothing: the host's timer, the default
/// `maxTimeMS`, and the server parameter `allowDiskUseByDefault` (true since 6.0).
#[derive(Clone)]
pub struct Defaults {
    pub timer: Option<Timer>,
    pub max_time_ms: Option<u64>,
    pub allow_disk_use: bool,
}

impl Default for Defaults {
    fn default() -> Self {
        Defaults {
            timer: None,
            max_time_ms: None,
            allow_disk_use: true,
        }
    }
}

impl std::fmt::Debug for Defaults {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Defaults")
            .field("timer", &self.timer.is_some())
            .field("max_time_ms", &self.max_time_ms)
            .field("allow_disk_use", &self.allow_disk_use)
            .finish()
    }
}

impl Defaults {
    /// The budget of a request with these limits, starting now.
    pub fn budget(&self, limits: Limits) -> Budget {
        let max_time_ms = limits.max_time_ms.filter(|ms| *ms > 0).or(self.max_time_ms);
        Budget::new(
            self.timer.clone(),
            max_time_ms,
            limits.allow_disk_use.unwrap_or(self.allow_disk_use),
        )
    }
}

/// The budget of the request running now.
#[derive(Clone, Default)]
pub struct Budget {
    timer: Option<Timer>,
    /// When the request must stop, on the timer's scale.
    deadline: Option<f64>,
    steps: Cell<u32>,
    expired: Cell<bool>,
    allow_disk_use: bool,
}

impl std::fmt::Debug for Budget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Budget")
            .field("deadline", &self.deadline)
            .field("allow_disk_use", &self.allow_disk_use)
            .finish()
    }
}

impl Budget {
    /// A budget of `max_time_ms` from now (none when absent or 0, or without a timer).
    pub fn new(timer: Option<Timer>, max_time_ms: Option<u64>, allow_disk_use: bool) -> Self {
        let deadline = match (&timer, max_time_ms) {
            (Some(t), Some(ms)) if ms > 0 => Some(t() + ms as f64),
            _ => None,
        };
        Budget {
            timer,
            deadline,
            steps: Cell::new(0),
            expired: Cell::new(false),
            allow_disk_use,
        }
    }

    /// No limit of time, and the disk allowed.
    pub fn unlimited() -> Self {
        Budget {
            allow_disk_use: true,
            ..Budget::default()
        }
    }

    /// One step of work: the time limit's error once the timer says the time is up (read
    /// every [`CHECK_EVERY`] steps).
    #[inline]
    pub fn step(&self) -> Result<()> {
        if self.deadline.is_none() {
            return Ok(());
        }
        let steps = self.steps.get().wrapping_add(1);
        self.steps.set(steps);
        if steps % CHECK_EVERY != 0 && !self.expired.get() {
            return Ok(());
        }
        self.check()
    }

    /// Reads the timer now.
    pub fn check(&self) -> Result<()> {
        if self.expired.get() {
            return Err(expired());
        }
        if let (Some(timer), Some(deadline)) = (&self.timer, self.deadline) {
            if timer() > deadline {
                self.expired.set(true);
                return Err(expired());
            }
        }
        Ok(())
    }

    /// A step where no error can be returned (a comparison inside a sort): whether the time is
    /// up, so the caller can finish quickly and report it with [`Budget::check`].
    #[inline]
    pub fn step_is_over(&self) -> bool {
        self.step().is_err()
    }

    /// Whether `bytes` held by a blocking sort fit: the server's error past 100 MB without
    /// `allowDiskUse`.
    pub fn sort_memory(&self, bytes: usize) -> Result<()> {
        self.blocking_memory(bytes, || {
            format!(
                "Sort exceeded memory limit of {MAX_BLOCKING_BYTES} bytes, but did not opt in to external sorting."
            )
        })
    }

    /// Whether `bytes` held by a `$group` fit: the server's error past 100 MB without
    /// `allowDiskUse`.
    pub fn group_memory(&self, bytes: usize) -> Result<()> {
        self.blocking_memory(bytes, || {
            "Exceeded memory limit for $group, but didn't allow external sort. Pass allowDiskUse:true to opt in.".into()
        })
    }

    fn blocking_memory(&self, bytes: usize, message: impl FnOnce() -> String) -> Result<()> {
        if self.allow_disk_use || bytes <= MAX_BLOCKING_BYTES {
            return Ok(());
        }
        Err(MongoError::new(
            292,
            "QueryExceededMemoryLimitNoDiskUseAllowed",
            message(),
        ))
    }

    /// Whether memory is counted at all (only when the disk may not be used).
    pub fn counts_memory(&self) -> bool {
        !self.allow_disk_use
    }
}

fn expired() -> MongoError {
    MongoError::new(50, "MaxTimeMSExpired", "operation exceeded time limit")
}
