//! Everything the app shows about a design, computed in one call.

use serde::{Deserialize, Serialize};

use crate::cost::{self, CostReport};
use crate::dynamo::{self, DynamoLayout};
use crate::model::*;
use crate::mongo::{self, MongoLayout};
use crate::scaling::{self, Scaling};

/// The derived view of a design: findings, both layouts, cost and scaling.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Analysis {
    /// Validation errors first, then lint findings by severity.
    pub findings: Vec<Finding>,
    pub mongo: MongoLayout,
    pub dynamo: DynamoLayout,
    pub cost: CostReport,
    pub scaling: Scaling,
}

/// Derives everything from a design. Works on invalid designs too, skipping
/// the parts that name missing entities, so an editor can show what it can.
pub fn analyze(design: &Design) -> Analysis {
    let mongo = mongo::layout(design);
    let dynamo = dynamo::layout(design);
    let cost = cost::estimate(design, &dynamo);
    let scaling = scaling::analyze(design, &mongo, &dynamo, &cost);
    let mut findings = crate::model::validate(design);
    let mut lints = crate::lint::lint(design, &mongo, &dynamo, &cost, &scaling);
    lints.sort_by_key(|f| f.severity);
    findings.extend(lints);
    Analysis {
        findings,
        mongo,
        dynamo,
        cost,
        scaling,
    }
}

/// Validation errors and lint findings only.
pub fn findings(design: &Design) -> Vec<Finding> {
    analyze(design).findings
}
