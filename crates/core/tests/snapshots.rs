//! Snapshots of everything derived from each example design, so a change of a
//! rule shows up as a reviewed diff. Run with UPDATE_EXPECT=1 to accept.

use expect_test::expect_file;
use schemaplay_core::examples;

#[test]
fn mongo_layouts() {
    for example in examples::all() {
        let layout = schemaplay_core::mongo::layout(&example.design);
        let text = serde_json::to_string_pretty(&layout).unwrap_or_default();
        expect_file![format!("snapshots/{}.mongo.json", example.id)].assert_eq(&text);
    }
}

#[test]
fn dynamo_layouts() {
    for example in examples::all() {
        let layout = schemaplay_core::dynamo::layout(&example.design);
        let text = serde_json::to_string_pretty(&layout).unwrap_or_default();
        expect_file![format!("snapshots/{}.dynamo.json", example.id)].assert_eq(&text);
    }
}
