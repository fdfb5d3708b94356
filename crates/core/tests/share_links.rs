//! Share links as people hold them: links already shared keep opening, and a link with the
//! user's example and a script stays short enough to paste anywhere.

use schemaplay_core::share::{self, Console, ConsoleDatabase, ConsoleMode, Link};
use schemaplay_core::Design;

/// A page address as a deployment serves it, before the fragment.
const PAGE: &str = "https://schemaplay.github.io/schemaplay/#design=";

/// A version 1 link written by the build before version 2 existed, of the design in
/// `design-v1.json`. It must open as long as schemaplay reads links.
#[test]
fn a_version_1_link_still_opens() {
    let fragment = include_str!("fixtures/share-link-v1.txt");
    let expected = Design::from_json_unchecked(include_str!("fixtures/design-v1.json"));
    let link = share::decode_link(fragment);
    let design = link
        .as_ref()
        .map(|link| Design::from_json_unchecked(&link.design));
    assert_eq!(design.as_ref().ok(), Some(&expected));
    assert!(expected.is_ok());
    assert_eq!(link.map(|link| link.console), Ok(None));
}

/// Links written by the first build of format version 2, of the design in `design-v2.json`:
/// alone (a version 1 link) and with a console (a version 2 link). They must open as long as
/// schemaplay reads links.
#[test]
fn links_of_a_format_version_2_design_still_open() {
    let expected = Design::from_json(include_str!("fixtures/design-v2.json"));
    assert!(expected.is_ok());
    let alone = share::decode_link(include_str!("fixtures/share-link-format-v2.txt"));
    let Ok(alone) = alone else {
        panic!("the design-only link does not open: {alone:?}");
    };
    assert_eq!(Design::from_json(&alone.design), expected);
    assert_eq!(alone.console, None);

    let with_console =
        share::decode_link(include_str!("fixtures/share-link-format-v2-console.txt"));
    let Ok(with_console) = with_console else {
        panic!("the link with a console does not open: {with_console:?}");
    };
    assert_eq!(Design::from_json(&with_console.design), expected);
    let console = Console {
        view: Some("query".into()),
        database: Some(ConsoleDatabase::Dynamo),
        mode: Some(ConsoleMode::Script),
        pattern: Some("Account by email".into()),
        per_entity: Some(500),
        seed: Some(7),
        script: "await client.send(new GetCommand({ TableName: TABLE, Key: { PK: 'ACCOUNT#1', SK: 'PROFILE' } }))\n".into(),
    };
    assert_eq!(with_console.console, Some(Ok(console)));
}

/// A version 1 link opens as the format version 2 design it upgrades to.
#[test]
fn a_version_1_link_opens_as_the_version_2_design() {
    let link = share::decode_link(include_str!("fixtures/share-link-v1.txt"));
    let Ok(link) = link else {
        panic!("the link does not open: {link:?}");
    };
    let design = Design::from_json(&link.design);
    assert_eq!(design.map(|d| d.format_version), Ok(2));
}

/// Three statements of the user's examples, pasted as they are.
const MONGOOSE: &str = "// Find
const users = await User.find({ 'profile.city': 'NYC' })
const user = await User.findOne({ email: 'john@example.com' })
// Aggregation
const stats = await User.aggregate([
{ $match: { 'profile.city': 'NYC' } },
{ $group: { _id: '$profile.city', count: { $sum: 1 } } }
])
";

const SDK: &str = "// Get item
const result = await client.send(new GetCommand({
TableName: TABLE,
Key: { PK: 'USER#123', SK: 'PROFILE' }
}))
// Query (same partition key)
const posts = await client.send(new QueryCommand({
TableName: TABLE,
KeyConditionExpression: 'PK = :pk AND begins_with(SK, :sk)',
ExpressionAttributeValues: {
':pk': 'USER#123',
':sk': 'POST#'
}
}))
// Query by email (not primary key)
await client.send(new QueryCommand({
TableName: TABLE,
IndexName: 'EmailIndex',
KeyConditionExpression: 'email = :email',
ExpressionAttributeValues: {
':email': 'john@example.com'
}
}))
";

#[test]
fn the_users_example_with_a_three_statement_script_stays_under_2000_characters() {
    let example = schemaplay_core::examples::all()
        .into_iter()
        .find(|e| e.id == "user-app");
    let Some(example) = example else {
        panic!("the user-app example is gone");
    };
    for (database, script) in [
        (ConsoleDatabase::Mongo, MONGOOSE),
        (ConsoleDatabase::Dynamo, SDK),
    ] {
        let console = Console {
            view: Some("query".into()),
            database: Some(database),
            mode: Some(ConsoleMode::Script),
            pattern: Some("List users in a city".into()),
            per_entity: Some(1000),
            seed: Some(1),
            script: script.into(),
        };
        let fragment = share::encode_design_with_console(&example.design, &console);
        let link = format!("{PAGE}{fragment}");
        println!("{database:?}: {} characters", link.len());
        assert!(link.len() < 2000, "{database:?}: {} characters", link.len());
        let Ok(Link {
            design,
            console: back,
        }) = share::decode_link(&fragment)
        else {
            panic!("the link does not open");
        };
        assert_eq!(
            Design::from_json_unchecked(&design),
            Ok(example.design.clone())
        );
        assert_eq!(back, Some(Ok(console)));
    }
}
