//! DynamoDB capacity and cost per access pattern and in total.
//!
//! Reads cost one read unit per 4 KB (summed over a Query's items, per item
//! for GetItem), half of that when eventually consistent; writes cost one
//! write unit per 1 KB of item, once more for every global index the item is
//! copied into, and twice in a transaction.

use serde::Serialize;

use crate::dynamo::DynamoLayout;
use crate::model::*;

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
    pub const TARGET_UTILIZATION: f64 = 0.7;
}

/// Bytes per read unit.
pub const READ_UNIT_BYTES: u64 = 4096;
/// Bytes per write unit.
pub const WRITE_UNIT_BYTES: u64 = 1024;

#[derive(Serialize, Clone, Debug, PartialEq)]
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

#[derive(Serialize, Clone, Debug, PartialEq)]
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

fn units(bytes: u64, unit: u64) -> f64 {
    bytes.max(1).div_ceil(unit) as f64
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
        let strong = pattern.consistency == Consistency::Strong && request.index.is_none();
        let factor = if strong { 1.0 } else { 0.5 };
        let consistency = if strong {
            "strongly consistent"
        } else {
            "eventually consistent, half price"
        };
        let per_item = request.bytes / request.items.max(1);
        let (read, write, explanation) = match request.operation.as_str() {
            "GetItem" => {
                let r = units(request.bytes, READ_UNIT_BYTES) * factor;
                (
                    r,
                    0.0,
                    format!(
                        "one item of about {} bytes: {} read unit(s), {consistency}",
                        request.bytes, r
                    ),
                )
            }
            "Query" | "Scan" => {
                let r = units(request.bytes, READ_UNIT_BYTES) * factor;
                let mut w = 0.0;
                let mut text = format!(
                    "{} item(s), {} bytes in all, rounded up to 4 KB: {r} read unit(s), {consistency}",
                    request.items, request.bytes
                );
                if pattern.kind.is_write() {
                    // The write after the read.
                    w = units(per_item, WRITE_UNIT_BYTES) * f64::from(1 + request.index_writes);
                    text.push_str(&format!("; then the write: {w} write unit(s)"));
                }
                (r, w, text)
            }
            "TransactWriteItems" => {
                let main = units(per_item, WRITE_UNIT_BYTES) * f64::from(1 + request.index_writes);
                let markers = request.items.saturating_sub(1) as f64;
                let w = (main + markers) * 2.0;
                let marker_text = if markers > 0.0 {
                    format!(" and {markers} marker item(s)")
                } else {
                    String::new()
                };
                (
                    0.0,
                    w,
                    format!(
                        "the item ({main} unit(s) with its index copies){marker_text}, doubled in a transaction: {w} write units"
                    ),
                )
            }
            _ => {
                let mut w = units(per_item, WRITE_UNIT_BYTES) * f64::from(1 + request.index_writes);
                let mut text = format!(
                    "an item of about {per_item} bytes: {} write unit(s) per 1 KB",
                    units(per_item, WRITE_UNIT_BYTES)
                );
                if request.index_writes > 0 {
                    text.push_str(&format!(
                        ", times {} for its global index copies",
                        1 + request.index_writes
                    ));
                }
                if pattern.transactional {
                    w *= 2.0;
                    text.push_str(", doubled in a transaction");
                }
                text.push_str(&format!(": {w} write unit(s)"));
                (0.0, w, text)
            }
        };
        let rps = pattern.requests_per_second;
        let rs = read * rps;
        let ws = write * rps;
        let on_demand =
            (rs * ON_DEMAND_READ_PER_MILLION + ws * ON_DEMAND_WRITE_PER_MILLION) * seconds / 1e6;
        let provisioned = ((rs / TARGET_UTILIZATION).ceil() * PROVISIONED_RCU_HOUR
            + (ws / TARGET_UTILIZATION).ceil() * PROVISIONED_WCU_HOUR)
            * HOURS_PER_MONTH;
        patterns.push(PatternCost {
            pattern: pattern.name.clone(),
            operation: request.operation.clone(),
            requests_per_second: rps,
            read_units_per_request: read,
            write_units_per_request: write,
            read_units_per_second: rs,
            write_units_per_second: ws,
            on_demand_monthly: money(on_demand),
            provisioned_monthly: money(provisioned),
            explanation,
        });
    }
    let rs = total(patterns.iter().map(|p| p.read_units_per_second));
    let ws = total(patterns.iter().map(|p| p.write_units_per_second));
    let storage_bytes: u64 = crate::dynamo::table_bytes(design, layout);
    let storage_gb = storage_bytes as f64 / 1e9;
    let storage_monthly = money(storage_gb * STORAGE_GB_MONTH);
    let on_demand = money(total(patterns.iter().map(|p| p.on_demand_monthly)));
    let provisioned = money(
        ((rs / TARGET_UTILIZATION).ceil() * PROVISIONED_RCU_HOUR
            + (ws / TARGET_UTILIZATION).ceil() * PROVISIONED_WCU_HOUR)
            * HOURS_PER_MONTH,
    );
    let scan_on_demand = money(total(
        patterns
            .iter()
            .filter(|p| p.operation == "Scan")
            .map(|p| p.on_demand_monthly),
    ));
    let advice = if on_demand == 0.0 && provisioned == 0.0 {
        "no request rates are set, so there is nothing to compare".to_string()
    } else if provisioned < on_demand {
        format!(
            "at this steady rate provisioned capacity (${provisioned:.2}/month at {:.0}% utilization) is cheaper than on-demand (${on_demand:.2}/month); on-demand wins when traffic is spiky or mostly idle",
            TARGET_UTILIZATION * 100.0
        )
    } else {
        format!(
            "on-demand (${on_demand:.2}/month) is cheaper than provisioned capacity (${provisioned:.2}/month) at this rate; provisioned wins for steady, high traffic"
        )
    };
    let advice = if scan_on_demand > 0.0 {
        format!(
            "{advice}. The Scans alone cost ${scan_on_demand:.2}/month on-demand: serve those patterns with a key, an index or a search service and the rest costs ${:.2}",
            money(on_demand - scan_on_demand)
        )
    } else {
        advice
    };
    CostReport {
        patterns,
        read_units_per_second: rs,
        write_units_per_second: ws,
        storage_gb: (storage_gb * 1000.0).round() / 1000.0,
        storage_monthly,
        on_demand_monthly: on_demand,
        provisioned_monthly: provisioned,
        scan_on_demand_monthly: scan_on_demand,
        advice,
    }
}
