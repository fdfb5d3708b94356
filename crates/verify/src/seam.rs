//! The requests and stored data a record or an argument becomes, rendered today from what core
//! derives for sample record 0 (the key templates, the derived requests' shapes and
//! placeholders). Core is adding this seam itself (`request_for`, `query_for`, the items and
//! documents a record becomes); when it lands, these modules give way to it and nothing else
//! in the crate changes.

pub mod dynamo;
pub mod mongo;

#[cfg(test)]
mod fidelity;
