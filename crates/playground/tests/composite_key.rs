//! A SQL composite primary key in the MongoDB layout: `order_items(order_id, line_no)` imported
//! from the pg_dump and mysqldump fixtures gets the compound unique index `{ orderId: 1,
//! lineNo: 1 }`; generating builds it, and a second line with a pair already there is refused
//! with MongoDB's E11000 naming the index.

use schemaplay_core::import;
use schemaplay_playground::{Error, MongoField, MongoForm, MongoOp, Playground};

const FIXTURES: [&str; 2] = [
    include_str!("../../core/tests/fixtures/sql/shop.pg_dump.sql"),
    include_str!("../../core/tests/fixtures/sql/shop.mysqldump.sql"),
];

/// Sample data gives each line its own pair: generating many loads every line, in both
/// databases (a duplicate pair would be refused by the index, and be one DynamoDB item).
#[test]
fn sample_lines_have_distinct_pairs() {
    for sql in FIXTURES {
        let mut playground = Playground::new(import::sql(sql).design);
        let summary = playground.generate(5000, 7, &mut |_| {}).clone();
        assert!(summary.problems.is_empty(), "{:?}", summary.problems);
        assert!(
            summary
                .collections
                .contains(&("orderItems".to_string(), 5000)),
            "{:?}",
            summary.collections
        );
        assert_eq!(summary.items, 3 * 5000, "{summary:?}");
    }
}

#[test]
fn an_insert_of_a_taken_composite_key_gets_e11000_naming_the_index() {
    for sql in FIXTURES {
        let mut playground = Playground::new(import::sql(sql).design);
        playground.generate(20, 1, &mut |_| {});
        let index = playground
            .analysis()
            .mongo
            .collections
            .iter()
            .flat_map(|c| &c.indexes)
            .find(|i| i.collection == "orderItems" && i.unique)
            .map(|i| (i.name.clone(), i.keys.to_string()));
        assert_eq!(
            index,
            Some((
                "orderId_1_lineNo_1".to_string(),
                r#"{"orderId":1,"lineNo":1}"#.to_string()
            ))
        );

        let find = MongoForm::new("orderItems")
            .with_operation(MongoOp::Find)
            .with_input(MongoField::Filter, "{}".to_string());
        let line = match playground
            .run_mongo(&find)
            .map(|a| a.rows().first().cloned())
        {
            Ok(Some(row)) => row,
            other => panic!("no order item: {other:?}"),
        };
        let pair = format!(
            r#""orderId": {}, "lineNo": {}"#,
            line["orderId"], line["lineNo"]
        );

        let twin = MongoForm::new("orderItems")
            .with_operation(MongoOp::InsertOne)
            .with_input(
                MongoField::Document,
                format!(r#"{{{pair}, "productSku": "TWIN", "quantity": 1}}"#),
            );
        match playground.run_mongo(&twin) {
            Err(Error::Message(m)) => assert!(
                m.contains("E11000 duplicate key error collection: ")
                    && m.contains("orderItems index: orderId_1_lineNo_1 dup key: { orderId: "),
                "{m}"
            ),
            other => panic!("the taken pair was not refused: {other:?}"),
        }

        // Another line number of the same order is a new line.
        let next = MongoForm::new("orderItems")
            .with_operation(MongoOp::InsertOne)
            .with_input(
                MongoField::Document,
                format!(
                    r#"{{"orderId": {}, "lineNo": 999999, "productSku": "NEW", "quantity": 1}}"#,
                    line["orderId"]
                ),
            );
        assert!(playground.run_mongo(&next).is_ok());
    }
}
