//! DynamoDB statements from the AWS Developer Guide, the SDK for JavaScript's code examples
//! (v3 low-level, lib-dynamodb, v2) and the AWS CLI reference, with their expected results and
//! the errors the SDKs and the CLI give. One line per statement: `line: result`, `line: -`
//! (shows nothing) or `line: ! error @line:column`.

mod common;

use expect_test::{expect, Expect};
use schemaplay_script::Host;

fn check(source: &str, expect: Expect) {
    let mut host = Host::default();
    expect.assert_eq(&common::render(source, &mut host));
}

/// Runs `source` on a host whose DynamoDB has the Developer Guide's `Music` table.
fn check_music(source: &str, expect: Expect) {
    let mut host = Host::default();
    let setup = common::render(MUSIC, &mut host);
    assert!(!setup.contains('!'), "{setup}");
    expect.assert_eq(&common::render(source, &mut host));
}

/// The Developer Guide's `Music` table (Artist, SongTitle) with two songs, made with the CLI.
const MUSIC: &str = r##"
aws dynamodb create-table --table-name Music --attribute-definitions AttributeName=Artist,AttributeType=S AttributeName=SongTitle,AttributeType=S --key-schema AttributeName=Artist,KeyType=HASH AttributeName=SongTitle,KeyType=RANGE --billing-mode PAY_PER_REQUEST
aws dynamodb put-item --table-name Music --item '{"Artist": {"S": "No One You Know"}, "SongTitle": {"S": "Call Me Today"}, "AlbumTitle": {"S": "Somewhat Famous"}, "Awards": {"N": "1"}}'
aws dynamodb put-item --table-name Music --item '{"Artist": {"S": "Acme Band"}, "SongTitle": {"S": "Happy Day"}, "AlbumTitle": {"S": "Songs About Life"}, "Awards": {"N": "10"}}'
"##;

#[test]
fn sdk_v3_low_level_client() {
    check_music(
        r##"
import { DynamoDBClient, GetItemCommand, PutItemCommand, UpdateItemCommand, DeleteItemCommand, QueryCommand, ScanCommand, BatchGetItemCommand, BatchWriteItemCommand, TransactWriteItemsCommand, TransactGetItemsCommand, DescribeTableCommand, ListTablesCommand, DeleteTableCommand, CreateTableCommand, DynamoDB, ReturnValue } from "@aws-sdk/client-dynamodb";
const client = new DynamoDBClient({ region: "us-east-1" });
await client.send(new GetItemCommand({ TableName: "Music", Key: { Artist: { S: "Acme Band" }, SongTitle: { S: "Happy Day" } }, ProjectionExpression: "AlbumTitle, Awards" }));
const put = await client.send(new PutItemCommand({ TableName: "Music", Item: { Artist: { S: "Acme Band" }, SongTitle: { S: "PartiQL Rocks" }, AlbumTitle: { S: "Another Album Title" }, Genres: { SS: ["rock", "pop"] }, Cover: { B: Buffer.from("png") } }, ReturnConsumedCapacity: "TOTAL" }));
await client.send(new UpdateItemCommand({ TableName: "Music", Key: { Artist: { S: "Acme Band" }, SongTitle: { S: "Happy Day" } }, UpdateExpression: "SET AlbumTitle = :newval ADD Awards :inc", ExpressionAttributeValues: { ":newval": { S: "Updated Album Title" }, ":inc": { N: "1" } }, ReturnValues: ReturnValue.UPDATED_NEW }));
await client.send(new QueryCommand({ TableName: "Music", KeyConditionExpression: "Artist = :a AND begins_with(SongTitle, :t)", ExpressionAttributeValues: { ":a": { S: "Acme Band" }, ":t": { S: "P" } } }));
const scan = await client.send(new ScanCommand({ TableName: "Music", FilterExpression: "Awards > :n", ExpressionAttributeValues: { ":n": { N: "5" } }, ProjectionExpression: "SongTitle" }));
scan.Items.length
await client.send(new BatchWriteItemCommand({ RequestItems: { Music: [{ PutRequest: { Item: { Artist: { S: "The Acme Band" }, SongTitle: { S: "Still in Love" } } } }, { DeleteRequest: { Key: { Artist: { S: "Acme Band" }, SongTitle: { S: "PartiQL Rocks" } } } }] } }));
await client.send(new BatchGetItemCommand({ RequestItems: { Music: { Keys: [{ Artist: { S: "The Acme Band" }, SongTitle: { S: "Still in Love" } }, { Artist: { S: "Nobody" }, SongTitle: { S: "Nothing" } }], ProjectionExpression: "SongTitle" } } }));
await client.send(new TransactWriteItemsCommand({ TransactItems: [{ Put: { TableName: "Music", Item: { Artist: { S: "Duo" }, SongTitle: { S: "One" } }, ConditionExpression: "attribute_not_exists(Artist)" } }, { Update: { TableName: "Music", Key: { Artist: { S: "Acme Band" }, SongTitle: { S: "Happy Day" } }, UpdateExpression: "SET Sold = :y", ExpressionAttributeValues: { ":y": { BOOL: true } } } }] }));
await client.send(new TransactGetItemsCommand({ TransactItems: [{ Get: { TableName: "Music", Key: { Artist: { S: "Duo" }, SongTitle: { S: "One" } } } }] }));
await client.send(new DeleteItemCommand({ TableName: "Music", Key: { Artist: { S: "Duo" }, SongTitle: { S: "One" } }, ReturnValues: "ALL_OLD" }));
const described = await client.send(new DescribeTableCommand({ TableName: "Music" }));
described.Table.KeySchema
await client.send(new ListTablesCommand({}));
const ddb = new DynamoDB({});
await ddb.getItem({ TableName: "Music", Key: { Artist: { S: "The Acme Band" }, SongTitle: { S: "Still in Love" } } });
await client.send(new CreateTableCommand({ TableName: "EspressoDrinks", AttributeDefinitions: [{ AttributeName: "DrinkName", AttributeType: "S" }], KeySchema: [{ AttributeName: "DrinkName", KeyType: "HASH" }], ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } }));
const deleted = await client.send(new DeleteTableCommand({ TableName: "EspressoDrinks" }));
deleted.TableDescription.TableStatus
"##,
        expect![[r#"
            2: -
            3: -
            4: {"Item":{"AlbumTitle":{"S":"Songs About Life"},"Awards":{"N":"10"}}}
            5: {"ConsumedCapacity":{"TableName":"Music","CapacityUnits":1}}
            6: {"Attributes":{"AlbumTitle":{"S":"Updated Album Title"},"Awards":{"N":"11"}}}
            7: {"Items":[{"AlbumTitle":{"S":"Another Album Title"},"Artist":{"S":"Acme Band"},"Cover":{"B":{"$binary":{"base64":"cG5n","subType":"00"}}},"Genres":{"SS":["pop","rock"]},"SongTitle":{"S":"PartiQL Rocks"}}],"Count":1,"ScannedCount":1}
            8: {"Items":[{"SongTitle":{"S":"Happy Day"}}],"Count":1,"ScannedCount":3}
            9: 1
            10: {"UnprocessedItems":{}}
            11: {"Responses":{"Music":[{"SongTitle":{"S":"Still in Love"}}]},"UnprocessedKeys":{}}
            12: {}
            13: {"Responses":[{"Item":{"Artist":{"S":"Duo"},"SongTitle":{"S":"One"}}}]}
            14: {"Attributes":{"Artist":{"S":"Duo"},"SongTitle":{"S":"One"}}}
            15: {"Table":{"TableName":"Music","TableArn":"arn:aws:dynamodb:us-east-1:000000000000:table/Music","TableStatus":"ACTIVE","CreationDateTime":1700000001,"KeySchema":[{"AttributeName":"Artist","KeyType":"HASH"},{"AttributeName":"SongTitle","KeyType":"RANGE"}],"AttributeDefinitions":[{"AttributeName":"Artist","AttributeType":"S"},{"AttributeName":"SongTitle","AttributeType":"S"}],"ItemCount":3,"TableSizeBytes":192,"ProvisionedThroughput":{"NumberOfDecreasesToday":0,"ReadCapacityUnits":0,"WriteCapacityUnits":0},"BillingModeSummary":{"BillingMode":"PAY_PER_REQUEST"}}}
            16: [{"AttributeName":"Artist","KeyType":"HASH"},{"AttributeName":"SongTitle","KeyType":"RANGE"}]
            17: {"TableNames":["Music"]}
            18: -
            19: {"Item":{"Artist":{"S":"The Acme Band"},"SongTitle":{"S":"Still in Love"}}}
            20: {"TableDescription":{"TableName":"EspressoDrinks","TableArn":"arn:aws:dynamodb:us-east-1:000000000000:table/EspressoDrinks","TableStatus":"ACTIVE","CreationDateTime":1700000002,"KeySchema":[{"AttributeName":"DrinkName","KeyType":"HASH"}],"AttributeDefinitions":[{"AttributeName":"DrinkName","AttributeType":"S"}],"ItemCount":0,"TableSizeBytes":0,"ProvisionedThroughput":{"NumberOfDecreasesToday":0,"ReadCapacityUnits":1,"WriteCapacityUnits":1},"BillingModeSummary":{"BillingMode":"PROVISIONED"}}}
            21: {"TableDescription":{"TableName":"EspressoDrinks","TableArn":"arn:aws:dynamodb:us-east-1:000000000000:table/EspressoDrinks","TableStatus":"DELETING","CreationDateTime":1700000002,"KeySchema":[{"AttributeName":"DrinkName","KeyType":"HASH"}],"AttributeDefinitions":[{"AttributeName":"DrinkName","AttributeType":"S"}],"ItemCount":0,"TableSizeBytes":0,"ProvisionedThroughput":{"NumberOfDecreasesToday":0,"ReadCapacityUnits":1,"WriteCapacityUnits":1},"BillingModeSummary":{"BillingMode":"PROVISIONED"}}}
            22: "DELETING"
        "#]],
    );
}

#[test]
fn lib_dynamodb_document_client() {
    check(
        r##"
import { DynamoDBClient, CreateTableCommand } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, DynamoDBDocument, PutCommand, GetCommand, UpdateCommand, DeleteCommand, QueryCommand, ScanCommand, BatchGetCommand, BatchWriteCommand, TransactWriteCommand, TransactGetCommand, NumberValue } from "@aws-sdk/lib-dynamodb";
const client = new DynamoDBClient({});
const docClient = DynamoDBDocumentClient.from(client);
await client.send(new CreateTableCommand({ TableName: "CoffeeCrop", BillingMode: "PAY_PER_REQUEST", AttributeDefinitions: [{ AttributeName: "OriginCountry", AttributeType: "S" }, { AttributeName: "RoastDate", AttributeType: "S" }], KeySchema: [{ AttributeName: "OriginCountry", KeyType: "HASH" }, { AttributeName: "RoastDate", KeyType: "RANGE" }] }));
await docClient.send(new PutCommand({ TableName: "CoffeeCrop", Item: { OriginCountry: "Ethiopia", RoastDate: "2023-05-01", Varietals: new Set(["Heirloom", "Gesha"]), Scores: new Set([86, 88.5]), Cupping: { aroma: 8.5, notes: ["jasmine", "bergamot"] }, Organic: true, Grade: null } }));
await docClient.send(new PutCommand({ TableName: "CoffeeCrop", Item: { OriginCountry: "Ethiopia", RoastDate: "2023-06-12", Bags: 40 } }));
const { Item } = await docClient.send(new GetCommand({ TableName: "CoffeeCrop", Key: { OriginCountry: "Ethiopia", RoastDate: "2023-05-01" }, ConsistentRead: true }));
Item.Scores.has(88.5)
await docClient.send(new QueryCommand({ TableName: "CoffeeCrop", KeyConditionExpression: "OriginCountry = :originCountry AND RoastDate > :roastDate", ExpressionAttributeValues: { ":originCountry": "Ethiopia", ":roastDate": "2023-05-01" }, ConsistentRead: true }));
await docClient.send(new UpdateCommand({ TableName: "CoffeeCrop", Key: { OriginCountry: "Ethiopia", RoastDate: "2023-06-12" }, UpdateExpression: "set Bags = Bags - :sold, Buyer = :buyer", ConditionExpression: "Bags >= :sold", ExpressionAttributeValues: { ":sold": 15, ":buyer": "Cafe Nine" }, ReturnValues: "ALL_NEW" }));
await docClient.send(new UpdateCommand({ TableName: "CoffeeCrop", Key: { OriginCountry: "Ethiopia", RoastDate: "2023-06-12" }, UpdateExpression: "ADD Tags :t", ExpressionAttributeValues: { ":t": new Set(["washed", "light", "dark"]) }, ReturnValues: "UPDATED_NEW" }));
await docClient.send(new UpdateCommand({ TableName: "CoffeeCrop", Key: { OriginCountry: "Ethiopia", RoastDate: "2023-06-12" }, UpdateExpression: "DELETE Tags :dark", ExpressionAttributeValues: { ":dark": new Set(["dark"]) }, ReturnValues: "UPDATED_NEW" }));
await docClient.send(new ScanCommand({ TableName: "CoffeeCrop", FilterExpression: "contains(Varietals, :v)", ExpressionAttributeValues: { ":v": "Gesha" }, ProjectionExpression: "RoastDate, Varietals", Limit: 10 }));
await docClient.send(new BatchWriteCommand({ RequestItems: { CoffeeCrop: [{ PutRequest: { Item: { OriginCountry: "Kenya", RoastDate: "2023-07-01", Lot: "AA" } } }, { PutRequest: { Item: { OriginCountry: "Kenya", RoastDate: "2023-07-02", Lot: "AB" } } }] } }));
await docClient.send(new BatchGetCommand({ RequestItems: { CoffeeCrop: { Keys: [{ OriginCountry: "Kenya", RoastDate: "2023-07-01" }, { OriginCountry: "Kenya", RoastDate: "2023-07-02" }], ProjectionExpression: "Lot" } } }));
await docClient.send(new TransactWriteCommand({ TransactItems: [{ ConditionCheck: { TableName: "CoffeeCrop", Key: { OriginCountry: "Kenya", RoastDate: "2023-07-01" }, ConditionExpression: "Lot = :lot", ExpressionAttributeValues: { ":lot": "AA" } } }, { Delete: { TableName: "CoffeeCrop", Key: { OriginCountry: "Kenya", RoastDate: "2023-07-02" } } }] }));
await docClient.send(new TransactGetCommand({ TransactItems: [{ Get: { TableName: "CoffeeCrop", Key: { OriginCountry: "Kenya", RoastDate: "2023-07-01" } } }, { Get: { TableName: "CoffeeCrop", Key: { OriginCountry: "Kenya", RoastDate: "2023-07-02" } } }] }));
await docClient.send(new DeleteCommand({ TableName: "CoffeeCrop", Key: { OriginCountry: "Kenya", RoastDate: "2023-07-01" }, ReturnValues: "ALL_OLD" }));
const exact = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true, convertEmptyValues: true }, unmarshallOptions: { wrapNumbers: true } });
await exact.send(new PutCommand({ TableName: "CoffeeCrop", Item: { OriginCountry: "Peru", RoastDate: "2023-08-01", Notes: "", Price: NumberValue.from("12.345678901234567890123"), Skipped: undefined, Nested: { gone: undefined, kept: 1 } } }));
await exact.send(new GetCommand({ TableName: "CoffeeCrop", Key: { OriginCountry: "Peru", RoastDate: "2023-08-01" } }));
const doc = DynamoDBDocument.from(client);
await doc.get({ TableName: "CoffeeCrop", Key: { OriginCountry: "Ethiopia", RoastDate: "2023-06-12" }, ProjectionExpression: "Bags, Buyer" });
await docClient.send(new PutCommand({ TableName: "CoffeeCrop", Item: { OriginCountry: "Peru", RoastDate: "2023-08-02", Big: 12345678901234567890 } }));
await docClient.send(new PutCommand({ TableName: "CoffeeCrop", Item: { OriginCountry: "Peru", RoastDate: "2023-08-02", Empty: new Set() } }));
await docClient.send(new PutCommand({ TableName: "CoffeeCrop", Item: { OriginCountry: "Peru", RoastDate: "2023-08-02", Roasted: new Date("2023-08-02") } }));
await docClient.send(new PutCommand({ TableName: "CoffeeCrop", Item: { OriginCountry: "Peru", RoastDate: "2023-08-02", Tasting: [1, undefined] } }));
await docClient.send(new UpdateCommand({ TableName: "CoffeeCrop", Key: { OriginCountry: "Ethiopia", RoastDate: "2023-06-12" }, UpdateExpression: "set Bags = Bags - :sold", ConditionExpression: "Bags >= :sold", ExpressionAttributeValues: { ":sold": 100 }, ReturnValuesOnConditionCheckFailure: "ALL_OLD" }));
"##,
        expect![[r#"
            2: -
            3: -
            4: -
            5: -
            6: {"TableDescription":{"TableName":"CoffeeCrop","TableArn":"arn:aws:dynamodb:us-east-1:000000000000:table/CoffeeCrop","TableStatus":"ACTIVE","CreationDateTime":1700000001,"KeySchema":[{"AttributeName":"OriginCountry","KeyType":"HASH"},{"AttributeName":"RoastDate","KeyType":"RANGE"}],"AttributeDefinitions":[{"AttributeName":"OriginCountry","AttributeType":"S"},{"AttributeName":"RoastDate","AttributeType":"S"}],"ItemCount":0,"TableSizeBytes":0,"ProvisionedThroughput":{"NumberOfDecreasesToday":0,"ReadCapacityUnits":0,"WriteCapacityUnits":0},"BillingModeSummary":{"BillingMode":"PAY_PER_REQUEST"}}}
            7: {}
            8: {}
            9: {"Item":{"Cupping":{"aroma":8.5,"notes":["jasmine","bergamot"]},"Grade":null,"Organic":true,"OriginCountry":"Ethiopia","RoastDate":"2023-05-01","Scores":[86,88.5],"Varietals":["Gesha","Heirloom"]}}
            10: true
            11: {"Items":[{"Bags":40,"OriginCountry":"Ethiopia","RoastDate":"2023-06-12"}],"Count":1,"ScannedCount":1}
            12: {"Attributes":{"Bags":25,"Buyer":"Cafe Nine","OriginCountry":"Ethiopia","RoastDate":"2023-06-12"}}
            13: {"Attributes":{"Tags":["dark","light","washed"]}}
            14: {"Attributes":{"Tags":["light","washed"]}}
            15: {"Items":[{"RoastDate":"2023-05-01","Varietals":["Gesha","Heirloom"]}],"Count":1,"ScannedCount":2}
            16: {"UnprocessedItems":{}}
            17: {"Responses":{"CoffeeCrop":[{"Lot":"AA"},{"Lot":"AB"}]},"UnprocessedKeys":{}}
            18: {}
            19: {"Responses":[{"Item":{"Lot":"AA","OriginCountry":"Kenya","RoastDate":"2023-07-01"}},{}]}
            20: {"Attributes":{"Lot":"AA","OriginCountry":"Kenya","RoastDate":"2023-07-01"}}
            21: -
            22: {}
            23: {"Item":{"Nested":{"kept":{"value":"1"}},"Notes":null,"OriginCountry":"Peru","Price":{"value":"12.345678901234567890123"},"RoastDate":"2023-08-01"}}
            24: -
            25: {"Item":{"Bags":25,"Buyer":"Cafe Nine"}}
            26: ! Error: Number 12345678901234567000 is greater than Number.MAX_SAFE_INTEGER. Use NumberValue from @aws-sdk/lib-dynamodb. @26:17
            27: ! Error: Pass a non-empty set, or options.convertEmptyValues=true. @27:17
            28: ! Error: Unsupported type passed: Wed Aug 02 2023 00:00:00 GMT+0000 (Coordinated Universal Time). Pass options.convertClassInstanceToMap=true to marshall typeof object as map attribute. @28:17
            29: ! Error: Pass options.removeUndefinedValues=true to remove undefined values from map/array/set. @29:17
            30: ! ConditionalCheckFailedException: The conditional request failed {"Item":{"Bags":{"N":"25"},"Buyer":{"S":"Cafe Nine"},"OriginCountry":{"S":"Ethiopia"},"RoastDate":{"S":"2023-06-12"},"Tags":{"SS":["light","washed"]}}} @30:17
        "#]],
    );
}

#[test]
fn sdk_v2() {
    check_music(
        r##"
const AWS = require("aws-sdk");
AWS.config.update({ region: "us-west-2" });
const docClient = new AWS.DynamoDB.DocumentClient();
const dynamodb = new AWS.DynamoDB({ apiVersion: "2012-08-10" });
await docClient.get({ TableName: "Music", Key: { Artist: "Acme Band", SongTitle: "Happy Day" } }).promise();
await docClient.put({ TableName: "Music", Item: { Artist: "Acme Band", SongTitle: "Moonlight", Tags: docClient.createSet(["slow", "night"]), Year: 2021, Liner: undefined } }).promise();
await docClient.update({ TableName: "Music", Key: { Artist: "Acme Band", SongTitle: "Moonlight" }, UpdateExpression: "set Plays = :p", ExpressionAttributeValues: { ":p": 3 }, ReturnValues: "UPDATED_NEW" }).promise();
const inc = docClient.update({ TableName: "Music", Key: { Artist: "Acme Band", SongTitle: "Moonlight" }, UpdateExpression: "SET Plays = Plays + :one", ExpressionAttributeValues: { ":one": 1 }, ReturnValues: "UPDATED_NEW" });
await inc.promise();
await inc.promise();
const request = docClient.query({ TableName: "Music", KeyConditionExpression: "Artist = :a", ExpressionAttributeValues: { ":a": "Acme Band" }, ProjectionExpression: "SongTitle, Tags" });
await request.promise();
await request.promise();
await docClient.scan({ TableName: "Music", FilterExpression: "Awards >= :n", ExpressionAttributeValues: { ":n": 1 }, Select: "COUNT" }).promise();
await docClient.batchWrite({ RequestItems: { Music: [{ PutRequest: { Item: { Artist: "Solo", SongTitle: "Alone" } } }] } }).promise();
await docClient.batchGet({ RequestItems: { Music: { Keys: [{ Artist: "Solo", SongTitle: "Alone" }] } } }).promise();
await docClient.transactWrite({ TransactItems: [{ Update: { TableName: "Music", Key: { Artist: "Solo", SongTitle: "Alone" }, UpdateExpression: "SET Plays = :z", ExpressionAttributeValues: { ":z": 0 } } }] }).promise();
await docClient.transactGet({ TransactItems: [{ Get: { TableName: "Music", Key: { Artist: "Solo", SongTitle: "Alone" } } }] }).promise();
await docClient.delete({ TableName: "Music", Key: { Artist: "Solo", SongTitle: "Alone" }, ReturnValues: "ALL_OLD" }).promise();
await dynamodb.getItem({ TableName: "Music", Key: { Artist: { S: "No One You Know" }, SongTitle: { S: "Call Me Today" } } }).promise();
const table = await dynamodb.describeTable({ TableName: "Music" }).promise();
table.Table.ItemCount
await docClient.get({ TableName: "Music", Key: { Artist: "Acme Band", SongTitle: "Happy Day" } });
const bound = new AWS.DynamoDB.DocumentClient({ params: { TableName: "Music" }, wrapNumbers: true });
await bound.get({ Key: { Artist: "Acme Band", SongTitle: "Happy Day" } }).promise();
AWS.DynamoDB.Converter.marshall({ a: "x", n: 1, s: docClient.createSet([1, 2]) });
AWS.DynamoDB.Converter.unmarshall({ a: { S: "x" }, n: { N: "1.50" } });
docClient.createSet([true]);
await docClient.put({ TableName: "Music", Item: { Artist: "Acme Band", SongTitle: "Set", Tags: new Set(["a"]) } }).promise();
"##,
        expect![[r#"
            2: -
            3: -
            4: -
            5: -
            6: {"Item":{"AlbumTitle":"Songs About Life","Artist":"Acme Band","Awards":10,"SongTitle":"Happy Day"}}
            7: {}
            8: {"Attributes":{"Plays":3}}
            9: -
            10: {"Attributes":{"Plays":4}}
            11: {"Attributes":{"Plays":4}}
            12: -
            13: {"Items":[{"SongTitle":"Happy Day"},{"SongTitle":"Moonlight","Tags":["night","slow"]}],"Count":2,"ScannedCount":2}
            14: {"Items":[{"SongTitle":"Happy Day"},{"SongTitle":"Moonlight","Tags":["night","slow"]}],"Count":2,"ScannedCount":2}
            15: {"Count":2,"ScannedCount":3}
            16: {"UnprocessedItems":{}}
            17: {"Responses":{"Music":[{"Artist":"Solo","SongTitle":"Alone"}]},"UnprocessedKeys":{}}
            18: {}
            19: {"Responses":[{"Item":{"Artist":"Solo","Plays":0,"SongTitle":"Alone"}}]}
            20: {"Attributes":{"Artist":"Solo","Plays":0,"SongTitle":"Alone"}}
            21: {"Item":{"AlbumTitle":{"S":"Somewhat Famous"},"Artist":{"S":"No One You Know"},"Awards":{"N":"1"},"SongTitle":{"S":"Call Me Today"}}}
            22: {"Table":{"TableName":"Music","TableArn":"arn:aws:dynamodb:us-east-1:000000000000:table/Music","TableStatus":"ACTIVE","CreationDateTime":1700000001,"KeySchema":[{"AttributeName":"Artist","KeyType":"HASH"},{"AttributeName":"SongTitle","KeyType":"RANGE"}],"AttributeDefinitions":[{"AttributeName":"Artist","AttributeType":"S"},{"AttributeName":"SongTitle","AttributeType":"S"}],"ItemCount":3,"TableSizeBytes":203,"ProvisionedThroughput":{"NumberOfDecreasesToday":0,"ReadCapacityUnits":0,"WriteCapacityUnits":0},"BillingModeSummary":{"BillingMode":"PAY_PER_REQUEST"}}}
            23: 3
            24: warning docClient.get(...) returns an AWS.Request, which is not a promise: awaited without .promise() it is the request object, and the request is not sent (the console did not run it; write docClient.get(params).promise())
            24: -
            25: -
            26: {"Item":{"AlbumTitle":"Songs About Life","Artist":"Acme Band","Awards":10,"SongTitle":"Happy Day"}}
            27: {"a":{"S":"x"},"n":{"N":"1"},"s":{"NS":["1","2"]}}
            28: {"a":"x","n":1.5}
            29: ! InvalidSetType: Sets can contain string, number, or binary values @29:11
            30: ! ValidationException: Supplied AttributeValue is empty, must contain exactly one of the supported datatypes @30:116
        "#]],
    );
}

#[test]
fn aws_cli_reference() {
    check_music(
        r##"
aws dynamodb get-item \
    --table-name Music \
    --key '{"Artist": {"S": "Acme Band"}, "SongTitle": {"S": "Happy Day"}}' \
    --projection-expression "AlbumTitle, Awards" \
    --return-consumed-capacity TOTAL
aws dynamodb update-item \
    --table-name Music \
    --key '{
        "Artist": {"S": "Acme Band"},
        "SongTitle": {"S": "Happy Day"}
    }' \
    --update-expression "SET #Y = :y, #AT = :t" \
    --expression-attribute-names '{"#Y":"Year", "#AT":"AlbumTitle"}' \
    --expression-attribute-values '{":y":{"N": "2015"}, ":t":{"S": "Louder Than Ever"}}' \
    --return-values ALL_NEW
aws dynamodb update-item --table-name Music --key '{"Artist": {"S": "Acme Band"}, "SongTitle": {"S": "Happy Day"}}' --update-expression "SET #Y = :y" --expression-attribute-names '{"#Y":"Year"}' --expression-attribute-values '{":y":{"N": "2016"}}' --condition-expression "attribute_not_exists(#Y)"
aws dynamodb query --table-name Music --key-condition-expression "Artist = :v1" --expression-attribute-values '{":v1": {"S": "No One You Know"}}' --projection-expression SongTitle
aws dynamodb query --table-name Music --key-condition-expression "Artist = :v1" --expression-attribute-values '{":v1": {"S": "No One You Know"}}' --select COUNT --consistent-read
aws dynamodb scan --table-name Music --filter-expression "Awards > :a" --expression-attribute-values '{":a": {"N": "5"}}' --return-consumed-capacity TOTAL
aws dynamodb scan --table-name Music --max-items 1 --projection-expression Artist
aws dynamodb scan --table-name Music --limit 1 --projection-expression Artist
aws dynamodb scan --table-name Music --page-size 1 --projection-expression SongTitle --return-consumed-capacity TOTAL
aws dynamodb batch-write-item --request-items '{
    "Music": [
        {"PutRequest": {"Item": {"Artist": {"S": "No One You Know"}, "SongTitle": {"S": "My Dog Spot"}}}},
        {"DeleteRequest": {"Key": {"Artist": {"S": "Acme Band"}, "SongTitle": {"S": "Happy Day"}}}}
    ]
}' --return-consumed-capacity INDEXES
aws dynamodb batch-get-item --request-items '{"Music": {"Keys": [{"Artist": {"S": "No One You Know"}, "SongTitle": {"S": "My Dog Spot"}}], "ProjectionExpression": "SongTitle"}}'
aws dynamodb transact-write-items --transact-items '[{"Put": {"TableName": "Music", "Item": {"Artist": {"S": "Duo"}, "SongTitle": {"S": "Two"}}}}, {"ConditionCheck": {"TableName": "Music", "Key": {"Artist": {"S": "Nobody"}, "SongTitle": {"S": "Nothing"}}, "ConditionExpression": "attribute_exists(Artist)"}}]'
aws dynamodb transact-get-items --transact-items '[{"Get": {"TableName": "Music", "Key": {"Artist": {"S": "No One You Know"}, "SongTitle": {"S": "Call Me Today"}}, "ProjectionExpression": "AlbumTitle"}}]'
aws dynamodb delete-item --table-name Music --key '{"Artist": {"S": "No One You Know"}, "SongTitle": {"S": "My Dog Spot"}}' --return-values ALL_OLD
aws dynamodb put-item --table-name Music --item Artist={S=Duo},SongTitle={S=Three},Plays={N=3}
aws dynamodb get-item --table-name Music --key Artist={S=Duo},SongTitle={S=Three} --output json --region us-east-1 --endpoint-url http://localhost:8000
aws dynamodb create-table --table-name GameScores --attribute-definitions AttributeName=UserId,AttributeType=S AttributeName=GameTitle,AttributeType=S AttributeName=TopScore,AttributeType=N --key-schema AttributeName=UserId,KeyType=HASH AttributeName=GameTitle,KeyType=RANGE --global-secondary-indexes "IndexName=GameTitleIndex,KeySchema=[{AttributeName=GameTitle,KeyType=HASH},{AttributeName=TopScore,KeyType=RANGE}],Projection={ProjectionType=ALL}" --billing-mode PAY_PER_REQUEST --query TableDescription.GlobalSecondaryIndexes
aws dynamodb create-table --table-name GameScores --attribute-definitions AttributeName=UserId,AttributeType=S AttributeName=GameTitle,AttributeType=S AttributeName=TopScore,AttributeType=N --key-schema AttributeName=UserId,KeyType=HASH AttributeName=GameTitle,KeyType=RANGE --global-secondary-indexes "IndexName=GameTitleIndex,KeySchema=[{AttributeName=GameTitle,KeyType=HASH},{AttributeName=TopScore,KeyType=RANGE}],Projection={ProjectionType=ALL}" --billing-mode PAY_PER_REQUEST
aws dynamodb put-item --table-name GameScores --item '{"UserId": {"S": "101"}, "GameTitle": {"S": "Galaxy Invaders"}, "TopScore": {"N": "5842"}}'
aws dynamodb query --table-name GameScores --index-name GameTitleIndex --key-condition-expression "GameTitle = :g and TopScore > :s" --expression-attribute-values '{":g": {"S": "Galaxy Invaders"}, ":s": {"N": "1000"}}' --no-scan-index-forward
aws dynamodb list-tables
aws dynamodb describe-table --table-name GameScores --output text
aws dynamodb delete-table --table-name GameScores
"##,
        expect![[r#"
            2: {"Item":{"AlbumTitle":{"S":"Songs About Life"},"Awards":{"N":"10"}},"ConsumedCapacity":{"TableName":"Music","CapacityUnits":0.5}}
            7: {"Attributes":{"AlbumTitle":{"S":"Louder Than Ever"},"Artist":{"S":"Acme Band"},"Awards":{"N":"10"},"SongTitle":{"S":"Happy Day"},"Year":{"N":"2015"}}}
            17: ! An error occurred (ConditionalCheckFailedException) when calling the UpdateItem operation: The conditional request failed @17:1
            18: {"Items":[{"SongTitle":{"S":"Call Me Today"}}],"Count":1,"ScannedCount":1}
            19: {"Count":1,"ScannedCount":1}
            20: {"Items":[{"AlbumTitle":{"S":"Louder Than Ever"},"Artist":{"S":"Acme Band"},"Awards":{"N":"10"},"SongTitle":{"S":"Happy Day"},"Year":{"N":"2015"}}],"Count":1,"ScannedCount":2,"ConsumedCapacity":{"TableName":"Music","CapacityUnits":0.5}}
            21: {"Items":[{"Artist":{"S":"Acme Band"}}],"Count":2,"ScannedCount":2,"NextToken":"eyJFeGNsdXNpdmVTdGFydEtleSI6IG51bGwsICJib3RvX3RydW5jYXRlX2Ftb3VudCI6IDF9"}
            22: {"Items":[{"Artist":{"S":"Acme Band"}}],"Count":1,"ScannedCount":1,"LastEvaluatedKey":{"Artist":{"S":"Acme Band"},"SongTitle":{"S":"Happy Day"}}}
            23: {"Items":[{"SongTitle":{"S":"Happy Day"}},{"SongTitle":{"S":"Call Me Today"}}],"Count":2,"ScannedCount":2,"ConsumedCapacity":{"TableName":"Music","CapacityUnits":1.5}}
            24: {"UnprocessedItems":{},"ConsumedCapacity":[{"TableName":"Music","CapacityUnits":2.0,"Table":{"CapacityUnits":2.0}}]}
            30: {"Responses":{"Music":[{"SongTitle":{"S":"My Dog Spot"}}]},"UnprocessedKeys":{}}
            31: ! An error occurred (TransactionCanceledException) when calling the TransactWriteItems operation: Transaction cancelled, please refer cancellation reasons for specific reasons [None, ConditionalCheckFailed] @31:1
            32: {"Responses":[{"Item":{"AlbumTitle":{"S":"Somewhat Famous"}}}]}
            33: {"Attributes":{"Artist":{"S":"No One You Know"},"SongTitle":{"S":"My Dog Spot"}}}
            34: -
            35: {"Item":{"Artist":{"S":"Duo"},"Plays":{"N":"3"},"SongTitle":{"S":"Three"}}}
            36: ! NotSupportedError: the console does not implement the CLI's --query (a JMESPath expression over the output) @36:483
            37: {"TableDescription":{"TableName":"GameScores","TableArn":"arn:aws:dynamodb:us-east-1:000000000000:table/GameScores","TableStatus":"ACTIVE","CreationDateTime":1700000002,"KeySchema":[{"AttributeName":"UserId","KeyType":"HASH"},{"AttributeName":"GameTitle","KeyType":"RANGE"}],"AttributeDefinitions":[{"AttributeName":"UserId","AttributeType":"S"},{"AttributeName":"GameTitle","AttributeType":"S"},{"AttributeName":"TopScore","AttributeType":"N"}],"ItemCount":0,"TableSizeBytes":0,"ProvisionedThroughput":{"NumberOfDecreasesToday":0,"ReadCapacityUnits":0,"WriteCapacityUnits":0},"BillingModeSummary":{"BillingMode":"PAY_PER_REQUEST"},"GlobalSecondaryIndexes":[{"IndexName":"GameTitleIndex","KeySchema":[{"AttributeName":"GameTitle","KeyType":"HASH"},{"AttributeName":"TopScore","KeyType":"RANGE"}],"Projection":{"ProjectionType":"ALL"},"ItemCount":0,"IndexSizeBytes":0,"IndexArn":"arn:aws:dynamodb:us-east-1:000000000000:table/GameScores/index/GameTitleIndex","IndexStatus":"ACTIVE","ProvisionedThroughput":{"ReadCapacityUnits":0,"WriteCapacityUnits":0}}]}}
            38: -
            39: {"Items":[{"GameTitle":{"S":"Galaxy Invaders"},"TopScore":{"N":"5842"},"UserId":{"S":"101"}}],"Count":1,"ScannedCount":1}
            40: {"TableNames":["GameScores","Music"]}
            41: ! NotSupportedError: the console prints what `--output json` prints; `--output text` is not implemented @41:62
            42: {"TableDescription":{"TableName":"GameScores","TableArn":"arn:aws:dynamodb:us-east-1:000000000000:table/GameScores","TableStatus":"DELETING","CreationDateTime":1700000002,"KeySchema":[{"AttributeName":"UserId","KeyType":"HASH"},{"AttributeName":"GameTitle","KeyType":"RANGE"}],"AttributeDefinitions":[{"AttributeName":"UserId","AttributeType":"S"},{"AttributeName":"GameTitle","AttributeType":"S"},{"AttributeName":"TopScore","AttributeType":"N"}],"ItemCount":1,"TableSizeBytes":44,"ProvisionedThroughput":{"NumberOfDecreasesToday":0,"ReadCapacityUnits":0,"WriteCapacityUnits":0},"BillingModeSummary":{"BillingMode":"PAY_PER_REQUEST"},"GlobalSecondaryIndexes":[{"IndexName":"GameTitleIndex","KeySchema":[{"AttributeName":"GameTitle","KeyType":"HASH"},{"AttributeName":"TopScore","KeyType":"RANGE"}],"Projection":{"ProjectionType":"ALL"},"ItemCount":1,"IndexSizeBytes":44,"IndexArn":"arn:aws:dynamodb:us-east-1:000000000000:table/GameScores/index/GameTitleIndex","IndexStatus":"ACTIVE","ProvisionedThroughput":{"ReadCapacityUnits":0,"WriteCapacityUnits":0}}]}}
        "#]],
    );
}

#[test]
fn errors_as_the_sdks_and_the_cli_give_them() {
    check_music(
        r##"
import { DynamoDBClient, GetItemCommand, PutItemCommand, QueryCommand, TransactWriteItemsCommand, UpdateTableCommand, paginateQuery } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
const client = new DynamoDBClient({});
const docClient = DynamoDBDocumentClient.from(client);
await client.send(new GetItemCommand({ TableName: "Nope", Key: { Artist: { S: "x" } } }));
await client.send(new GetItemCommand({ TableName: "Music", Key: { Artist: { S: "x" } } }));
await client.send(new PutItemCommand({ TableName: "Music", Item: { Artist: { S: "x" }, SongTitle: { N: "abc" } } }));
await docClient.send(new UpdateCommand({ TableName: "Music", Key: { Artist: "Acme Band", SongTitle: "Happy Day" }, UpdateExpression: "SET Awards = :a", ConditionExpression: "Awards > :max", ExpressionAttributeValues: { ":a": 1, ":max": 100 }, ReturnValuesOnConditionCheckFailure: "ALL_OLD" }));
await client.send(new TransactWriteItemsCommand({ TransactItems: [{ Put: { TableName: "Music", Item: { Artist: { S: "Acme Band" }, SongTitle: { S: "Happy Day" } }, ConditionExpression: "attribute_not_exists(Artist)" } }, { Put: { TableName: "Music", Item: { Artist: { S: "New" }, SongTitle: { S: "Song" } } } }] }));
await client.send(new QueryCommand({ TableName: "Music", KeyConditionExpression: "SongTitle = :t", ExpressionAttributeValues: { ":t": { S: "x" } } }));
await docClient.send(new PutCommand({ TableName: "Music", Item: { Artist: "x", SongTitle: "y", Plays: NaN } }));
await client.send(new UpdateTableCommand({ TableName: "Music", BillingMode: "PROVISIONED" }));
paginateQuery({ client }, { TableName: "Music" })
for await (const page of paginateQuery({ client }, { TableName: "Music" })) {}
await client.send({ TableName: "Music" })
DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefined: true } })
aws dynamodb describe-table --table-name Music --query Table.TableStatus
aws dynamodb get-item --table-name Music --key '{"Artist": "Acme Band"}'
aws dynamodb get-item --table-name Music --key '{"Artist": {"STRING": "Acme Band"}}'
aws dynamodb get-item --table-name Music --key '{Artist: {S: "Acme Band"}}'
aws dynamodb get-item --table-name Music --key file://key.json
aws dynamodb get-item --table-name Music
aws dynamodb put-item --table-name Music --item '{"Artist": {"S": "x"}}'
aws dynamodb scan --table-name Music --limit ten
aws dynamodb scan --table-name Music --bogus 1
aws dynamodb scan --table-name Music --no-paginate --max-items 1
aws dynamodb update-table --table-name Music
aws dynamodb wait table-exists --table-name Music
aws dynamodb get-itme --table-name Music
aws dynamodb scan --table-name $TABLE | jq .Items
aws dynamodb put-item --table-name Music --item '{"Artist": {"S": "x"}
aws dynamodb list-tables
"##,
        expect![[r#"
            2: -
            3: -
            4: -
            5: -
            6: ! ResourceNotFoundException: Requested resource not found @6:14
            7: ! ValidationException: The provided key element does not match the schema @7:14
            8: ! ValidationException: The parameter cannot be converted to a numeric value: abc @8:14
            9: ! ConditionalCheckFailedException: The conditional request failed {"Item":{"AlbumTitle":{"S":"Songs About Life"},"Artist":{"S":"Acme Band"},"Awards":{"N":"10"},"SongTitle":{"S":"Happy Day"}}} @9:17
            10: ! TransactionCanceledException: Transaction cancelled, please refer cancellation reasons for specific reasons [ConditionalCheckFailed, None] {"CancellationReasons":[{"Code":"ConditionalCheckFailed","Message":"The conditional request failed"},{"Code":"None"}]} @10:14
            11: ! ValidationException: Query condition missed key schema element: Artist @11:14
            12: ! Error: Special numeric value NaN is not allowed @12:17
            13: ! NotSupportedError: the playground's DynamoDB simulator does not run UpdateTableCommand: it runs GetItem, PutItem, UpdateItem, DeleteItem, Query, Scan, BatchGetItem, BatchWriteItem, TransactGetItems, TransactWriteItems, CreateTable, DescribeTable, DeleteTable, ListTables, UpdateTimeToLive, DescribeTimeToLive @13:14
            14: ! NotSupportedError: paginateQuery returns an async iterator of pages, which the console does not implement: send one QueryCommand per page instead (a `while` loop does it), with ExclusiveStartKey set to the previous page's LastEvaluatedKey @14:1
            15: ! NotSupportedError: paginateQuery returns an async iterator of pages, which the console does not implement: send one QueryCommand per page instead (a `while` loop does it), with ExclusiveStartKey set to the previous page's LastEvaluatedKey @15:26
            16: ! TypeError: command.resolveMiddleware is not a function @16:14
            17: ! NotSupportedError: the console does not implement the marshallOptions option 'removeUndefined' (it knows convertEmptyValues, removeUndefinedValues, convertClassInstanceToMap, allowImpreciseNumbers) @17:24
            18: ! NotSupportedError: the console does not implement the CLI's --query (a JMESPath expression over the output) @18:48
            19: ! Parameter validation failed:
            Invalid type for parameter Key.Artist, value: Acme Band, type: <class 'str'>, valid types: <class 'dict'> @19:48
            20: ! Parameter validation failed:
            Unknown parameter in Key.Artist: "STRING", must be one of: S, N, B, SS, NS, BS, M, L, NULL, BOOL @20:48
            21: ! Error parsing parameter '--key': Invalid JSON: key must be a string at line 1 column 2
            JSON received: {Artist: {S: "Acme Band"}} @21:48
            22: ! Error parsing parameter '--key': the console cannot read files (file://key.json): paste the file's content in its place @22:48
            23: ! usage: aws [options] <command> <subcommand> [<subcommand> ...] [parameters]
            aws: error: the following arguments are required: --key @23:1
            24: ! An error occurred (ValidationException) when calling the PutItem operation: One or more parameter values were invalid: Missing the key SongTitle in the item @24:1
            25: ! aws: error: argument --limit: invalid int value: 'ten' @25:46
            26: ! aws: error: Unknown options: --bogus, 1 @26:1
            27: ! Cannot specify --no-paginate along with pagination arguments: --max-items @27:1
            28: ! NotSupportedError: the playground's DynamoDB simulator does not run `aws dynamodb update-table`: it runs get-item, put-item, update-item, delete-item, query, scan, batch-get-item, batch-write-item, transact-get-items, transact-write-items, create-table, describe-table, delete-table, list-tables @28:14
            29: ! NotSupportedError: the playground's DynamoDB simulator does not run `aws dynamodb wait`: it runs get-item, put-item, update-item, delete-item, query, scan, batch-get-item, batch-write-item, transact-get-items, transact-write-items, create-table, describe-table, delete-table, list-tables @29:14
            30: ! usage: aws [options] <command> <subcommand> [<subcommand> ...] [parameters]
            aws: error: argument operation: Invalid choice, valid choices are: get-item | put-item | update-item | delete-item | query | scan | batch-get-item | batch-write-item | transact-get-items | transact-write-items | create-table | describe-table | delete-table | list-tables @30:14
            31: ! $TABLE is a shell expansion: the console has no shell variables, so write the value itself @31:32
            32: ! the single quote at line 32, column 49 is never closed (the shell would wait for it) @32:49
        "#]],
    );
}
