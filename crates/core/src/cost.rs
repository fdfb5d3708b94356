//! DynamoDB cost per access pattern and in total: the capacity units each
//! request consumes (counted by [`crate::dynamo::request_units`], which the
//! layout also needs to size a provisioned table) at each pattern's rate,
//! priced on-demand and provisioned, plus storage: the table's items with
//! DynamoDB's 100 bytes of overhead each, marker and link items, and every
//! index's copies ([`crate::dynamo::table_bytes`], [`crate::dynamo::index_bytes`]).

use serde::{Deserialize, Serialize};

use crate::dynamo::{request_units, DynamoLayout, Units};
use crate::model::*;
use crate::numbers::grouped_decimal;

/// Prices in US dollars, us-east-1, as published in November 2024.
pub mod pricing {
    /// On-demand: per million read request units.
    pub const ON_DEMAND_READ_PER_MILLION: f64 = 0.125;
    /// On-demand: per million write request units.
    pub const ON_DEMAND_WRITE_PER_MILLION: f64 = 0.625;
    /// Provisioned: per read capacity unit per hour.
    pub const PROVISIONED_RCU_HOUR: f64 = 0.00013;
    /// Provisioned: per write capacity unit per hour.
    pub const PROVISIONED_WCU_HOUR: f64 = 0.00065;
    /// Standard table class storage per GB-month (the first 25 GB are free, ignored here).
    pub const STORAGE_GB_MONTH: f64 = 0.25;
    /// Hours in the average month.
    pub const HOURS_PER_MONTH: f64 = 730.0;
    /// Provisioned capacity is sized for this utilization, as auto scaling targets.
    pub use crate::dynamo::TARGET_UTILIZATION;
}

pub use crate::dynamo::{READ_UNIT_BYTES, WRITE_UNIT_BYTES};

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct PatternCost {
    pub pattern: String,
    pub operation: String,
    pub requests_per_second: f64,
    pub read_units_per_request: f64,
    pub write_units_per_request: f64,
    pub read_units_per_second: f64,
    pub write_units_per_second: f64,
    pub on_demand_monthly: f64,
    pub provisioned_monthly: f64,
    /// How the units were counted.
    pub explanation: String,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct CostReport {
    pub patterns: Vec<PatternCost>,
    pub read_units_per_second: f64,
    pub write_units_per_second: f64,
    pub storage_gb: f64,
    pub storage_monthly: f64,
    pub on_demand_monthly: f64,
    pub provisioned_monthly: f64,
    /// The on-demand cost of the flagged Scans alone (included in the totals).
    pub scan_on_demand_monthly: f64,
    /// Which billing mode is cheaper at this steady rate, and when the other wins.
    pub advice: String,
}

/// Rounded to cents; never `-0.0` (which JSON would show as `-0`).
fn money(x: f64) -> f64 {
    (x * 100.0).round() / 100.0 + 0.0
}

/// A sum starting from `+0.0`: `Iterator::sum` of floats starts from `-0.0`,
/// so an empty sum would print as `-0`.
fn total(values: impl Iterator<Item = f64>) -> f64 {
    values.fold(0.0, |a, b| a + b)
}

/// Provisioned capacity for these units per second, sized for the target utilization, per month.
fn provisioned_monthly(read_units: f64, write_units: f64) -> f64 {
    use pricing::*;
    ((read_units / TARGET_UTILIZATION).ceil() * PROVISIONED_RCU_HOUR
        + (write_units / TARGET_UTILIZATION).ceil() * PROVISIONED_WCU_HOUR)
        * HOURS_PER_MONTH
}

/// The cost of every access pattern of the layout.
pub fn estimate(design: &Design, layout: &DynamoLayout) -> CostReport {
    use pricing::*;
    let seconds = HOURS_PER_MONTH * 3600.0;
    let mut patterns = Vec::new();
    for request in &layout.requests {
        let Some(pattern) = design
            .access_patterns
            .iter()
            .find(|p| p.name == request.pattern)
        else {
            continue;
        };
        let Units {
            read,
            write,
            explanation,
        } = request_units(request);
        let rps = pattern.requests_per_second;
        let rs = read * rps;
        let ws = write * rps;
        let on_demand =
            (rs * ON_DEMAND_READ_PER_MILLION + ws * ON_DEMAND_WRITE_PER_MILLION) * seconds / 1e6;
        patterns.push(PatternCost {
            pattern: pattern.name.clone(),
            operation: request.operation.clone(),
            requests_per_second: rps,
            read_units_per_request: read,
            write_units_per_request: write,
            read_units_per_second: rs,
            write_units_per_second: ws,
            on_demand_monthly: money(on_demand),
            provisioned_monthly: money(provisioned_monthly(rs, ws)),
            explanation,
        });
    }
    let rs = total(patterns.iter().map(|p| p.read_units_per_second));
    let ws = total(patterns.iter().map(|p| p.write_units_per_second));
    // The table's items and the copies its global indexes keep, each billed as stored.
    let storage_bytes: u64 = crate::dynamo::table_bytes(design, layout)
        .saturating_add(crate::dynamo::index_bytes(design, layout));
    let storage_gb = storage_bytes as f64 / 1e9;
    let storage_monthly = money(storage_gb * STORAGE_GB_MONTH);
    let on_demand = money(total(patterns.iter().map(|p| p.on_demand_monthly)));
    let provisioned = money(provisioned_monthly(rs, ws));
    let scan_on_demand = money(total(
        patterns
            .iter()
            .filter(|p| p.operation == "Scan")
            .map(|p| p.on_demand_monthly),
    ));
    CostReport {
        patterns,
        read_units_per_second: rs,
        write_units_per_second: ws,
        storage_gb: (storage_gb * 1000.0).round() / 1000.0,
        storage_monthly,
        on_demand_monthly: on_demand,
        provisioned_monthly: provisioned,
        scan_on_demand_monthly: scan_on_demand,
        advice: ttl_notes(design, advice(on_demand, provisioned, scan_on_demand)),
    }
}

/// The advice with how each entity's TTL sets what is stored.
fn ttl_notes(design: &Design, advice: String) -> String {
    let notes: Vec<String> = design
        .entities
        .iter()
        .filter_map(|e| crate::dynamo::living_items(design, e).1)
        .collect();
    if notes.is_empty() {
        advice
    } else {
        format!("{advice}. {}", notes.join("; "))
    }
}

/// Which billing mode is cheaper at this steady rate, and what the Scans cost.
fn advice(on_demand: f64, provisioned: f64, scan_on_demand: f64) -> String {
    use pricing::TARGET_UTILIZATION;
    let dollars = |x: f64| format!("${}", grouped_decimal(x, 2));
    let advice = if on_demand == 0.0 && provisioned == 0.0 {
        "no request rates are set, so there is nothing to compare".to_string()
    } else if provisioned < on_demand {
        format!(
            "at this steady rate provisioned capacity ({}/month at {:.0}% utilization) is cheaper than on-demand ({}/month); on-demand wins when traffic is spiky or mostly idle",
            dollars(provisioned),
            TARGET_UTILIZATION * 100.0,
            dollars(on_demand)
        )
    } else {
        format!(
            "on-demand ({}/month) is cheaper than provisioned capacity ({}/month) at this rate; provisioned wins for steady, high traffic",
            dollars(on_demand),
            dollars(provisioned)
        )
    };
    if scan_on_demand > 0.0 {
        format!(
            "{advice}. The Scans alone cost {}/month on-demand: serve those patterns with a key, an index or a search service and the rest costs {}",
            dollars(scan_on_demand),
            dollars(money(on_demand - scan_on_demand))
        )
    } else {
        advice
    }
}
