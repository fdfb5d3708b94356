//! Skew: the share of a pattern's requests on its hottest key, in the
//! hot-partition findings and write-sharding advice, and in sample data.

mod common;

use common::design;
use expect_test::{expect, Expect};
use schemaplay_core::sample::SampleContext;
use schemaplay_core::{analyze, Design};

/// Prints the hot-partition findings.
fn check_hot(d: &Design, expect: Expect) {
    let text: String = analyze(d)
        .findings
        .iter()
        .filter(|f| f.id == "dynamo-hot-partition")
        .map(|f| format!("{f}\n"))
        .collect();
    expect.assert_eq(&text);
}

const DEVICES: &str = r#"{"name": "Device", "id": "deviceId", "fields": [{"name": "deviceId", "type": "string", "required": true}, {"name": "name", "type": "string"}], "volume": 1000},
    {"name": "Reading", "fields": [{"name": "readingId", "type": "string", "required": true}, {"name": "deviceId", "type": {"ref": "Device"}, "required": true}, {"name": "at", "type": "date", "required": true}, {"name": "value", "type": "double"}], "volume": 100000000}"#;
const DEVICE_READINGS: &str = r#"{"from": "Device", "to": "Reading", "cardinality": "oneToMany", "expectedCount": 100000, "field": "deviceId"}"#;

/// Readings written at 3,000 a second and a device read at 10,000, with the given skews.
fn devices(write_share: &str, read_share: &str) -> Design {
    devices_with(DEVICE_READINGS, write_share, read_share)
}

fn devices_with(relationship: &str, write_share: &str, read_share: &str) -> Design {
    design(
        DEVICES,
        relationship,
        &format!(
            r#"{{"name": "Record reading", "entity": "Reading", "kind": "insert", "requestsPerSecond": 3000{write_share}}},
               {{"name": "Latest readings", "entity": "Reading", "kind": "list", "equality": ["deviceId"], "sort": {{"field": "at", "order": "desc"}}, "pageSize": 10, "requestsPerSecond": 50}},
               {{"name": "Get device", "entity": "Device", "kind": "getOne", "equality": ["deviceId"], "requestsPerSecond": 10000{read_share}}}"#
        ),
    )
}

#[test]
fn even_traffic_over_a_thousand_devices_is_no_hot_partition() {
    check_hot(&devices("", ""), expect![[r#""#]]);
}

#[test]
fn the_hottest_key_share_makes_a_hot_partition() {
    check_hot(
        &devices(r#", "hotKeyShare": 0.5"#, r#", "hotKeyShare": 0.8"#),
        expect![[r#"
            accessPatterns[0]: the hottest DEVICE#<deviceId> value, with 50% of the requests (hotKeyShare 0.5), takes about 3000 write units per second, over the 1,000 a partition serves: add a suffix #0..#3 (random or from a hash of the id) to spread writes; reading all of one key then takes 4 Queries, merged by the client
            accessPatterns[2]: the hottest DEVICE#<deviceId> value, with 80% of the requests (hotKeyShare 0.8), takes about 4000 read units per second, over the 3,000 a partition serves: cache it (DAX) or copy it under 2 suffixed keys and read one at random
        "#]],
    );
}

/// How many of the first `n` readings belong to device record 0 (the hot key).
fn on_device_0(d: &Design, n: u64) -> u64 {
    let ctx = SampleContext {
        design: d,
        seed: 1,
        max_per_entity: n,
    };
    let rel = &d.relationships[0];
    (1..n).filter(|i| ctx.parent_index(rel, *i) == 0).count() as u64
}

#[test]
fn sample_data_gives_the_hot_key_its_share_of_the_children() {
    // About 20 readings a device in the sample, so 2,000 readings go to about 100 devices.
    let twenty = r#"{"from": "Device", "to": "Reading", "cardinality": "oneToMany", "expectedCount": 20, "field": "deviceId"}"#;
    let even = devices_with(twenty, "", "");
    let hot = devices_with(twenty, r#", "hotKeyShare": 0.5"#, "");
    expect![[r#"
        even: 202 of 2000, hot: 1127 of 2000
    "#]]
    .assert_eq(&format!(
        "even: {} of 2000, hot: {} of 2000\n",
        on_device_0(&even, 2001),
        on_device_0(&hot, 2001)
    ));
}
