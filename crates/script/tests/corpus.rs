//! Statements from the MongoDB manual's mongosh examples (CRUD, query and update operators,
//! aggregation, indexes, explain) and the mongoose documentation, each with its expected
//! result. One line per statement: `line: result`, `line: -` (shows nothing) or
//! `line: ! error @line:column`.

mod common;

use expect_test::{expect, Expect};
use schemaplay_script::Host;

fn check(source: &str, expect: Expect) {
    let mut host = Host::default();
    expect.assert_eq(&common::render(source, &mut host));
}

fn check_seeded(source: &str, expect: Expect) {
    let mut host = common::seeded();
    expect.assert_eq(&common::render(source, &mut host));
}

#[test]
fn crud_from_the_manual() {
    // docs.mongodb.com: Insert, Query, Update and Delete Documents (the inventory examples).
    check(
        r#"
db.inventory.insertOne({ item: "canvas", qty: 100, tags: ["cotton"], size: { h: 28, w: 35.5, uom: "cm" } })
db.inventory.insertMany([
   { item: "journal", qty: 25, tags: ["blank", "red"], size: { h: 14, w: 21, uom: "cm" }, status: "A" },
   { item: "mat", qty: 85, tags: ["gray"], size: { h: 27.9, w: 35.5, uom: "cm" }, status: "A" },
   { item: "mousepad", qty: 25, tags: ["gel", "blue"], size: { h: 19, w: 22.85, uom: "cm" }, status: "P" },
   { item: "notebook", qty: 50, size: { h: 8.5, w: 11, uom: "in" }, status: "P" },
   { item: "paper", qty: 100, size: { h: 8.5, w: 11, uom: "in" }, status: "D" },
   { item: "planner", qty: 75, size: { h: 22.85, w: 30, uom: "cm" }, status: "D" },
   { item: "postcard", qty: 45, size: { h: 10, w: 15.25, uom: "cm" }, status: "A" },
]);
db.inventory.find( { item: "canvas" }, { _id: 0, item: 1, qty: 1 } )
db.inventory.find( { status: "D" } ).count()
db.inventory.find( { status: { $in: [ "A", "D" ] } }, { item: 1, _id: 0 } ).sort({ item: 1 })
db.inventory.find( { status: "A", qty: { $lt: 30 } }, { item: 1, _id: 0 } )
db.inventory.find( { $or: [ { status: "A" }, { qty: { $lt: 30 } } ] }, { item: 1, _id: 0 } ).sort({ item: -1 }).limit(3)
db.inventory.find( { status: "A", $or: [ { qty: { $lt: 30 } }, { item: /^p/ } ] }, { item: 1, _id: 0 } )
db.inventory.find( { "size.uom": "in" }, { item: 1, _id: 0 } )
db.inventory.find( { "size.h": { $lt: 15 } }, { item: 1, "size.h": 1, _id: 0 } ).sort({ "size.h": 1 }).skip(1)
db.inventory.find( { tags: "red" }, { item: 1, _id: 0 } )
db.inventory.find( { tags: { $all: ["red", "blank"] } }, { item: 1, _id: 0 } )
db.inventory.find( { tags: { $size: 2 } }, { item: 1, _id: 0 } ).toArray()
db.inventory.findOne( { qty: { $gte: 100 } }, { item: 1, _id: 0 } )
db.inventory.updateOne(
   { item: "paper" },
   { $set: { "size.uom": "cm", status: "P" }, $currentDate: { lastModified: true } }
)
db.inventory.updateMany( { qty: { $lt: 50 } }, { $set: { "size.uom": "in", status: "P" } } )
db.inventory.replaceOne(
   { item: "paper" },
   { item: "paper", instock: [ { warehouse: "A", qty: 60 }, { warehouse: "B", qty: 40 } ] }
)
db.inventory.findOne({ item: "paper" }, { _id: 0 })
db.inventory.updateOne({ item: "pencil" }, { $set: { qty: 10 } }, { upsert: true })
db.inventory.deleteOne( { status: "D" } )
db.inventory.deleteMany({ status : "P" })
db.inventory.countDocuments()
db.inventory.estimatedDocumentCount()
db.inventory.distinct("item")
db.inventory.findOneAndUpdate({ item: "mat" }, { $inc: { qty: 5 } }, { returnDocument: "after", projection: { _id: 0, qty: 1 } })
db.inventory.findOneAndDelete({ item: "mat" }, { projection: { item: 1 } })
db.getCollection("inventory").find({}, { item: 1, _id: 0 }).sort({ item: 1 })
db.inventory.drop()
db.getCollectionNames()
"#,
        expect![[r#"
            2: {"acknowledged":true,"insertedId":{"$oid":"659200805c68656d61000001"}}
            3: {"acknowledged":true,"insertedIds":{"0":{"$oid":"659200805c68656d61000002"},"1":{"$oid":"659200805c68656d61000003"},"2":{"$oid":"659200805c68656d61000004"},"3":{"$oid":"659200805c68656d61000005"},"4":{"$oid":"659200805c68656d61000006"},"5":{"$oid":"659200805c68656d61000007"},"6":{"$oid":"659200805c68656d61000008"}}}
            12: [{"item":"canvas","qty":100}]
            13: 2
            14: [{"item":"journal"},{"item":"mat"},{"item":"paper"},{"item":"planner"},{"item":"postcard"}]
            15: [{"item":"journal"}]
            16: [{"item":"postcard"},{"item":"mousepad"},{"item":"mat"}]
            17: [{"item":"journal"},{"item":"postcard"}]
            18: [{"item":"notebook"},{"item":"paper"}]
            19: [{"item":"paper","size":{"h":8.5}},{"item":"postcard","size":{"h":10}},{"item":"journal","size":{"h":14}}]
            20: [{"item":"journal"}]
            21: [{"item":"journal"}]
            22: [{"item":"journal"},{"item":"mousepad"}]
            23: {"item":"canvas"}
            24: {"acknowledged":true,"insertedId":null,"matchedCount":1,"modifiedCount":1,"upsertedCount":0}
            28: {"acknowledged":true,"insertedId":null,"matchedCount":3,"modifiedCount":3,"upsertedCount":0}
            29: {"acknowledged":true,"insertedId":null,"matchedCount":1,"modifiedCount":1,"upsertedCount":0}
            33: {"item":"paper","instock":[{"warehouse":"A","qty":60},{"warehouse":"B","qty":40}]}
            34: {"acknowledged":true,"insertedId":{"$oid":"659200805c68656d61000009"},"matchedCount":0,"modifiedCount":0,"upsertedCount":1}
            35: {"acknowledged":true,"deletedCount":1}
            36: {"acknowledged":true,"deletedCount":4}
            37: 4
            38: 4
            39: ["canvas","mat","paper","pencil"]
            40: {"qty":90}
            41: {"_id":{"$oid":"659200805c68656d61000003"},"item":"mat","qty":90,"tags":["gray"],"size":{"h":27.9,"w":35.5,"uom":"cm"},"status":"A"}
            42: [{"item":"canvas"},{"item":"paper"},{"item":"pencil"}]
            43: true
            44: []
        "#]],
    );
}

#[test]
fn query_operators() {
    check_seeded(
        r#"
db.users.find({ "profile.age": { $gt: 30 } }, { name: 1, _id: 0 })
db.users.find({ "profile.age": { $gte: 27, $lte: 35 } }, { name: 1, _id: 0 })
db.users.find({ "profile.city": { $ne: "NYC" } }, { name: 1, _id: 0 })
db.users.find({ "profile.city": { $nin: ["NYC"] } }, { name: 1, _id: 0 })
db.users.find({ tags: { $elemMatch: { $eq: "python" } } }, { name: 1, _id: 0 })
db.users.find({ email: { $regex: "^j", $options: "i" } }, { email: 1, _id: 0 })
db.users.find({ name: /LEE$/i }, { name: 1, _id: 0 })
db.users.find({ "profile.bio": { $exists: false } }).count()
db.users.find({ $and: [{ "profile.city": "NYC" }, { tags: "design" }] }, { name: 1, _id: 0 })
db.users.find({ $nor: [{ "profile.city": "NYC" }] }, { name: 1, _id: 0 })
db.users.find({ "profile.age": { $not: { $gt: 30 } } }, { name: 1, _id: 0 })
db.users.find({ "profile.age": { $type: "int" } }).count()
db.users.find({ $expr: { $gt: ["$profile.age", 40] } }, { name: 1, _id: 0 })
db.users.find({ "profile.age": { $mod: [5, 0] } }, { name: 1, _id: 0 })
db.users.find({ createdAt: { $gte: ISODate("2024-02-01"), $lt: new Date("2024-03-01") } }, { name: 1, _id: 0 })
db.users.find({ createdAt: { $lt: new Date(Date.now() - 86400000) } }).count()
db.users.find({ _id: ObjectId("507f1f77bcf86cd799439013") }, { name: 1 })
db.users.find({ _id: userId }, { email: 1, _id: 0 })
db.users.find({}, { name: 1, _id: 0 }).sort({ "profile.age": -1 }).limit(2)
db.users.find({}, { _id: 0, name: 1, tags: { $slice: 1 } }).skip(2)
db.users.find({ tags: "developer" }).project({ _id: 0, email: 1 }).sort({ email: 1 })
db.users.find({ "profile.age": { $in: [27, 41] } }).size()
"#,
        expect![[r#"
            2: [{"name":"Ann Lee"},{"name":"Bo Chen"}]
            3: [{"name":"Jane Roe"},{"name":"Bo Chen"}]
            4: [{"name":"Bo Chen"}]
            5: [{"name":"Bo Chen"}]
            6: [{"name":"Bo Chen"}]
            7: [{"email":"jane@example.com"}]
            8: [{"name":"Ann Lee"}]
            9: 0
            10: [{"name":"Jane Roe"}]
            11: [{"name":"Bo Chen"}]
            12: [{"name":"Jane Roe"}]
            13: 3
            14: [{"name":"Ann Lee"}]
            15: [{"name":"Bo Chen"}]
            16: [{"name":"Jane Roe"}]
            17: 0
            18: [{"_id":{"$oid":"507f1f77bcf86cd799439013"},"name":"Bo Chen"}]
            19: [{"email":"jane@example.com"}]
            20: [{"name":"Ann Lee"},{"name":"Bo Chen"}]
            21: [{"name":"Bo Chen","tags":["developer"]}]
            22: [{"email":"ann@example.com"},{"email":"bo@example.com"}]
            23: 2
        "#]],
    );
}

#[test]
fn update_operators() {
    check(
        r#"
db.products.insertOne({ _id: 100, sku: "abc123", quantity: 250, instock: true, reorder: false, details: { model: "14QQ", make: "Clothes Corp" }, tags: [ "apparel", "clothing" ], ratings: [ { by: "Customer007", rating: 4 } ] })
db.products.updateOne({ _id: 100 }, { $set: { "details.make": "Kustom Kidz", "tags.1": "rain gear" } })
db.products.updateOne({ _id: 100 }, { $unset: { reorder: "", instock: "" } })
db.products.updateOne({ sku: "abc123" }, { $inc: { quantity: -2, "metrics.orders": 1 } })
db.products.updateOne({ _id: 100 }, { $mul: { quantity: NumberInt(2) } })
db.products.updateOne({ _id: 100 }, { $min: { quantity: 400 }, $max: { high: 10 } })
db.products.updateOne({ _id: 100 }, { $rename: { "details.model": "details.modelNo" } })
db.products.updateOne({ _id: 100 }, { $push: { tags: { $each: ["warm", "kids"], $sort: 1 } } })
db.products.updateOne({ _id: 100 }, { $addToSet: { tags: "warm" } })
db.products.updateOne({ _id: 100 }, { $pull: { tags: { $in: ["apparel"] } } })
db.products.updateOne({ _id: 100 }, { $pop: { tags: -1 } })
db.products.updateOne({ _id: 100, "ratings.by": "Customer007" }, { $set: { "ratings.$.rating": 5 } })
db.products.updateOne({ _id: 100 }, { $set: { "ratings.$[r].rating": 3 } }, { arrayFilters: [{ "r.rating": { $gt: 4 } }] })
db.products.updateOne({ _id: 100 }, [{ $set: { total: { $multiply: ["$quantity", 2] } } }])
db.products.updateOne({ _id: 101 }, { $setOnInsert: { created: true }, $set: { sku: "new" } }, { upsert: true })
db.products.find({}, { _id: 0, details: 0 }).sort({ _id: 1 })
"#,
        expect![[r#"
            2: {"acknowledged":true,"insertedId":100}
            3: {"acknowledged":true,"insertedId":null,"matchedCount":1,"modifiedCount":1,"upsertedCount":0}
            4: {"acknowledged":true,"insertedId":null,"matchedCount":1,"modifiedCount":1,"upsertedCount":0}
            5: {"acknowledged":true,"insertedId":null,"matchedCount":1,"modifiedCount":1,"upsertedCount":0}
            6: {"acknowledged":true,"insertedId":null,"matchedCount":1,"modifiedCount":1,"upsertedCount":0}
            7: {"acknowledged":true,"insertedId":null,"matchedCount":1,"modifiedCount":1,"upsertedCount":0}
            8: {"acknowledged":true,"insertedId":null,"matchedCount":1,"modifiedCount":1,"upsertedCount":0}
            9: {"acknowledged":true,"insertedId":null,"matchedCount":1,"modifiedCount":1,"upsertedCount":0}
            10: {"acknowledged":true,"insertedId":null,"matchedCount":1,"modifiedCount":0,"upsertedCount":0}
            11: {"acknowledged":true,"insertedId":null,"matchedCount":1,"modifiedCount":1,"upsertedCount":0}
            12: {"acknowledged":true,"insertedId":null,"matchedCount":1,"modifiedCount":1,"upsertedCount":0}
            13: {"acknowledged":true,"insertedId":null,"matchedCount":1,"modifiedCount":1,"upsertedCount":0}
            14: {"acknowledged":true,"insertedId":null,"matchedCount":1,"modifiedCount":1,"upsertedCount":0}
            15: {"acknowledged":true,"insertedId":null,"matchedCount":1,"modifiedCount":1,"upsertedCount":0}
            16: {"acknowledged":true,"insertedId":101,"matchedCount":0,"modifiedCount":0,"upsertedCount":1}
            17: [{"sku":"abc123","quantity":400,"tags":["rain gear","warm"],"ratings":[{"by":"Customer007","rating":3}],"metrics":{"orders":1},"high":10,"total":800},{"created":true,"sku":"new"}]
        "#]],
    );
}

#[test]
fn aggregation() {
    check(
        r#"
db.orders.insertMany( [
   { _id: 0, name: "Pepperoni", size: "small", price: 19, quantity: 10, date: ISODate( "2021-03-13T08:14:30Z" ) },
   { _id: 1, name: "Pepperoni", size: "medium", price: 20, quantity: 20, date : ISODate( "2021-03-13T09:13:24Z" ) },
   { _id: 2, name: "Pepperoni", size: "large", price: 21, quantity: 30, date : ISODate( "2021-03-17T09:22:12Z" ) },
   { _id: 3, name: "Cheese", size: "small", price: 12, quantity: 15, date : ISODate( "2021-03-13T11:21:39.736Z" ) },
   { _id: 4, name: "Cheese", size: "medium", price: 13, quantity:50, date : ISODate( "2022-01-12T21:23:13.331Z" ) },
   { _id: 5, name: "Cheese", size: "large", price: 14, quantity: 10, date : ISODate( "2022-01-12T05:08:13Z" ) },
   { _id: 6, name: "Vegan", size: "small", price: 17, quantity: 10, date : ISODate( "2021-01-13T05:08:13Z" ) },
   { _id: 7, name: "Vegan", size: "medium", price: 18, quantity: 10, date : ISODate( "2021-01-13T05:10:13Z" ) }
] )
db.orders.aggregate( [
   { $match: { size: "medium" } },
   { $group: { _id: "$name", totalQuantity: { $sum: "$quantity" } } },
   { $sort: { _id: 1 } }
] )
db.orders.aggregate( [
   { $match: { "date": { $gte: new ISODate( "2020-01-30" ), $lt: new ISODate( "2022-01-30" ) } } },
   { $group: { _id: { $dateToString: { format: "%Y-%m-%d", date: "$date" } }, totalOrderValue: { $sum: { $multiply: [ "$price", "$quantity" ] } }, averageOrderQuantity: { $avg: "$quantity" } } },
   { $sort: { totalOrderValue: -1 } },
   { $limit: 2 }
 ] )
db.orders.aggregate([{ $project: { _id: 0, name: 1, big: { $gte: ["$quantity", 20] } } }, { $match: { big: true } }])
db.orders.aggregate([{ $group: { _id: null, n: { $sum: 1 }, names: { $addToSet: "$name" } } }, { $project: { _id: 0, n: 1, kinds: { $size: "$names" } } }])
db.orders.aggregate({ $match: { name: "Vegan" } }, { $count: "vegan" })
db.orders.aggregate([{ $sortByCount: "$name" }])
db.orders.aggregate([{ $bucket: { groupBy: "$price", boundaries: [10, 15, 20, 25], default: "other", output: { count: { $sum: 1 } } } }])
db.orders.aggregate([{ $match: { _id: { $lt: 2 } } }, { $addFields: { label: { $concat: ["$name", "-", "$size"] } } }, { $project: { label: 1 } }]).toArray()
db.orders.aggregate([{ $unwind: "$missing" }])
db.orders.aggregate([{ $bogus: 1 }])
"#,
        expect![[r#"
            2: {"acknowledged":true,"insertedIds":{"0":0,"1":1,"2":2,"3":3,"4":4,"5":5,"6":6,"7":7}}
            12: [{"_id":"Cheese","totalQuantity":50},{"_id":"Pepperoni","totalQuantity":20},{"_id":"Vegan","totalQuantity":10}]
            17: [{"_id":"2022-01-12","totalOrderValue":790,"averageOrderQuantity":30.0},{"_id":"2021-03-13","totalOrderValue":770,"averageOrderQuantity":15.0}]
            23: [{"name":"Pepperoni","big":true},{"name":"Pepperoni","big":true},{"name":"Cheese","big":true}]
            24: [{"n":8,"kinds":3}]
            25: [{"vegan":2}]
            26: [{"_id":"Pepperoni","count":3},{"_id":"Cheese","count":3},{"_id":"Vegan","count":2}]
            27: [{"_id":10,"count":3},{"_id":15,"count":3},{"_id":20,"count":2}]
            28: [{"_id":0,"label":"Pepperoni-small"},{"_id":1,"label":"Pepperoni-medium"}]
            29: []
            30: ! MongoServerError[Location40324]: Unrecognized pipeline stage name: '$bogus' @30:1
        "#]],
    );
}

#[test]
fn indexes_and_explain() {
    check_seeded(
        r#"
db.users.createIndex({ email: 1 }, { unique: true })
db.users.createIndex({ "profile.city": 1, createdAt: -1 })
db.users.createIndex({ name: "text", "profile.bio": "text" })
db.users.createIndex({ tags: 1 }, { sparse: true, name: "tags_sparse" })
db.users.createIndex({ "profile.age": 1 }, { partialFilterExpression: { "profile.age": { $gt: 30 } } })
db.users.createIndexes([{ createdAt: 1 }, { name: 1 }])
db.users.createIndex({ name: 1 }, { name: "name_ci", collation: { locale: "en", strength: 2 } })
db.users.createIndex({ lastSeen: 1 }, { expireAfterSeconds: 3600 })
db.users.createIndex({ x: 1 }, { frobnicate: true })
db.users.getIndexes().length
db.users.find({ $text: { $search: "developer nodejs" } }, { name: 1, _id: 0 })
db.users.find({ "profile.city": "NYC" }).sort({ createdAt: -1 }).explain("executionStats").executionStats.totalKeysExamined
db.users.find({ "profile.city": "NYC" }).explain().queryPlanner.winningPlan.inputStage.indexName
db.users.explain("executionStats").find({ email: "jane@example.com" }).executionStats.nReturned
db.users.explain().aggregate([{ $match: { email: "jane@example.com" } }]).stages.length
db.users.find({ email: "x" }).explain("verbose")
db.users.insertOne({ email: "jane@example.com" })
db.users.dropIndex("tags_sparse")
db.users.dropIndex({ name: 1 })
db.users.dropIndex("nope")
db.users.dropIndexes()
show collections
show dbs
use test
use other
"#,
        expect![[r#"
            2: "email_1"
            3: "profile.city_1_createdAt_-1"
            4: "name_text_profile.bio_text"
            5: "tags_sparse"
            6: "profile.age_1"
            7: ["createdAt_1","name_1"]
            8: "name_ci"
            9: "lastSeen_1"
            10: ! MongoServerError[Location40415]: BSON field 'createIndexes.frobnicate' is an unknown field. @10:10
            11: 10
            12: [{"name":"Ann Lee"},{"name":"Bo Chen"}]
            13: 2
            14: "profile.city_1_createdAt_-1"
            15: 1
            16: 1
            17: ! MongoServerError[BadValue]: verbosity string must be one of {'queryPlanner', 'executionStats', 'allPlansExecution'}, not 'verbose' @17:31
            18: ! MongoServerError[DuplicateKey]: E11000 duplicate key error collection: test.users index: email_1 dup key: { email: "jane@example.com" } @18:10
            19: {"nIndexesWas":10,"ok":1}
            20: {"nIndexesWas":9,"ok":1}
            21: ! MongoServerError[IndexNotFound]: index not found with name [nope] @21:10
            22: {"nIndexesWas":8,"msg":"non-_id indexes dropped for collection","ok":1}
            23: ["users"]
            24: [{"name":"test","collections":1}]
            25: "already on db test"
            26: ! NotSupportedError: the playground has one database, 'test': `use other` cannot switch to another @26:1
        "#]],
    );
}

#[test]
fn shell_literals() {
    check(
        r#"
{ a: 1, 'b c': "two", [`k${1 + 1}`]: 3, ...{ d: 4 }, e: [1, , 3], };
({ n: NumberInt("42"), l: NumberLong("9007199254740993"), d: NumberDecimal("1.10"), f: 1.5, x: 0x1F, big: 1_000_000, e: 2e3, neg: -7 })
const id = 'u1';
`USER#${id}`
'USER#' + id + "/" + 42
Date.now() - 86400000
new Date(Date.now() - 86400000)
ISODate("2024-01-01T10:00:00.123+02:00")
new Date(2024, 0, 31)
new Date("2024-01-01").toISOString()
UUID("3b241101-e2bb-4255-8caf-4136c566a962");
/^a.*z$/gi
new Set([1, 2, 2, "x"])
typeof id === "string" && !false
1 < 2 ? "yes" : "no"
null ?? "fallback";
[1, 2, 3].length
ObjectId("507f1f77bcf86cd799439011").getTimestamp()
ObjectId("507f1f77bcf86cd799439011").toHexString()
ObjectId("not hex")
JSON.stringify({ a: [1, 2] })
console.log("hello", 1)
const user = { name: "A" }
const user = { name: "B" }
user.name
undefined
"#,
        expect![[r#"
            2: {"a":1,"b c":"two","k2":3,"d":4,"e":[1,null,3]}
            3: {"n":42,"l":9007199254740993,"d":{"$numberDecimal":"1.10"},"f":1.5,"x":31,"big":1000000,"e":2000,"neg":-7}
            4: -
            5: "USER#u1"
            6: "USER#u1/42"
            7: 1703980800000
            8: {"$date":"2023-12-31T00:00:00Z"}
            9: {"$date":"2024-01-01T08:00:00.123Z"}
            10: {"$date":"2024-01-31T00:00:00Z"}
            11: "2024-01-01T00:00:00.000Z"
            12: {"$binary":{"base64":"OyQRAeK7QlWMr0E2xWapYg==","subType":"04"}}
            13: {"$regularExpression":{"pattern":"^a.*z$","options":"i"}}
            14: [1,2,"x"]
            15: true
            16: "yes"
            17: "fallback"
            18: 3
            19: {"$date":"2012-10-17T21:13:27Z"}
            20: "507f1f77bcf86cd799439011"
            21: ! BSONError: input must be a 24 character hex string, 12 byte Uint8Array, or an integer @21:1
            22: "{\"a\":[1,2]}"
            23: ["hello",1]
            24: -
            25: -
            26: "B"
            27: -
        "#]],
    );
}

#[test]
fn mongoose_documentation() {
    check(
        r#"
const mongoose = require('mongoose')
const { Schema } = mongoose
await mongoose.connect('mongodb://127.0.0.1:27017/test')
const personSchema = new Schema({
  name: { type: String, required: true, trim: true },
  email: { type: String, lowercase: true, unique: true, match: /@/ },
  age: { type: Number, min: 18, max: [65, 'Too old: {VALUE}'] },
  role: { type: String, enum: ['admin', 'user'], default: 'user' },
  tags: [String],
  address: { city: String, zip: String },
  friends: [{ type: mongoose.Schema.Types.ObjectId, ref: 'Person' }],
  posts: [{ title: String, likes: { type: Number, default: 0 } }],
  joined: { type: Date, default: Date.now },
  active: Boolean,
}, { timestamps: true })
personSchema.index({ 'address.city': 1, age: -1 })
const Person = mongoose.model('Person', personSchema)
Person.collection.name
await Person.create({ name: '  Ada  ', email: 'ADA@Example.com', age: 36, tags: 'math', address: { city: 'London' }, posts: [{ title: 'Notes' }], extra: 1 })
await Person.create({ email: 'bad', age: 12, role: 'root' })
await Person.create({ name: 'Bob', age: 'old' })
await Person.create({ name: 'Cy', age: 70 })
await Person.create({ name: 'Dee', email: 'ada@example.com' })
const ada = await Person.findOne({ name: 'Ada' }).select('name email -_id')
ada
const doc = new Person({ name: 'Eve', age: '40' })
await doc.save()
doc.isNew
await Person.find({ age: { $gte: '30' } }).sort('-age').select({ name: 1, _id: 0 }).lean()
await Person.countDocuments({ role: 'user' })
await Person.updateOne({ name: 'Eve' }, { age: '41' })
await Person.findOneAndUpdate({ name: 'Eve' }, { $inc: { age: 1 } })
await Person.findOneAndUpdate({ name: 'Eve' }, { $inc: { age: 1 } }, { new: true, projection: { age: 1, _id: 0 } })
await Person.findById('not-an-id')
await Person.findById(doc._id, 'name')
await Person.exists({ name: 'Zed' })
await Person.distinct('role')
await Person.aggregate([{ $group: { _id: '$role', n: { $sum: 1 } } }])
await Person.aggregate().match({ role: 'user' }).count('users')
await Person.deleteMany({ age: { $gt: 40 } })
await Person.insertMany([{ name: 'Fay' }, { name: 'Gus', age: 30 }]).length
await Person.find({}, 'name').sort({ name: 1 })
mongoose.model('Person', personSchema)
mongoose.model('Ghost')
mongoose.model('Category', new Schema({ title: String })).collection.name
await Person.find().populate('friends')
"#,
        expect![[r#"
            2: -
            3: -
            4: -
            5: -
            17: -
            18: -
            19: "people"
            20: warning mongoose dropped the field 'extra': it is not in the Person schema (strict mode)
            20: {"_id":{"$oid":"659200805c68656d61000001"},"name":"Ada","email":"ada@example.com","age":36,"role":"user","tags":["math"],"address":{"city":"London"},"friends":[],"posts":[{"_id":{"$oid":"659200805c68656d61000002"},"title":"Notes","likes":0}],"joined":{"$date":"2024-01-01T00:00:00Z"},"createdAt":{"$date":"2024-01-01T00:00:00Z"},"updatedAt":{"$date":"2024-01-01T00:00:00Z"},"__v":0}
            21: ! ValidationError: Person validation failed: name: Path `name` is required., email: Path `email` is invalid (bad)., age: Path `age` (12) is less than minimum allowed value (18)., role: `root` is not a valid enum value for path `role`. @21:14
            22: ! ValidationError: Person validation failed: age: Cast to Number failed for value "old" (type string) at path "age" @22:14
            23: ! ValidationError: Person validation failed: age: Too old: 70 @23:14
            24: ! MongoServerError: E11000 duplicate key error collection: test.people index: email_1 dup key: { email: "ada@example.com" } @24:14
            25: {"name":"Ada","email":"ada@example.com"}
            26: {"name":"Ada","email":"ada@example.com"}
            27: -
            28: {"_id":{"$oid":"659200805c68656d61000007"},"name":"Eve","age":40,"role":"user","tags":[],"friends":[],"posts":[],"joined":{"$date":"2024-01-01T00:00:00Z"},"createdAt":{"$date":"2024-01-01T00:00:00Z"},"updatedAt":{"$date":"2024-01-01T00:00:00Z"},"__v":0}
            29: false
            30: [{"name":"Eve"},{"name":"Ada"}]
            31: 2
            32: {"acknowledged":true,"modifiedCount":1,"upsertedId":null,"upsertedCount":0,"matchedCount":1}
            33: {"_id":{"$oid":"659200805c68656d61000007"},"name":"Eve","age":41,"role":"user","tags":[],"friends":[],"posts":[],"joined":{"$date":"2024-01-01T00:00:00Z"},"createdAt":{"$date":"2024-01-01T00:00:00Z"},"updatedAt":{"$date":"2024-01-01T00:00:00Z"},"__v":0}
            34: {"age":43}
            35: ! CastError: Cast to ObjectId failed for value "not-an-id" (type string) at path "_id" for model "Person" because of "BSONError" @35:7
            36: {"_id":{"$oid":"659200805c68656d61000007"},"name":"Eve"}
            37: null
            38: ["user"]
            39: [{"_id":"user","n":2}]
            40: [{"users":2}]
            41: {"acknowledged":true,"deletedCount":1}
            42: ! MongoServerError: E11000 duplicate key error collection: test.people index: email_1 dup key: { email: null } @42:14
            43: [{"_id":{"$oid":"659200805c68656d61000001"},"name":"Ada"},{"_id":{"$oid":"659200805c68656d61000008"},"name":"Fay"}]
            44: ! OverwriteModelError: Cannot overwrite `Person` model once compiled. @44:10
            45: ! MissingSchemaError: Schema hasn't been registered for model "Ghost".
            Use mongoose.model(name, schema) @45:10
            46: "categories"
            47: ! NotSupportedError: Query.populate() is not supported by the console @47:21
        "#]],
    );
}

#[test]
fn the_node_driver() {
    check(
        r#"
import { MongoClient, ObjectId } from 'mongodb'
const client = new MongoClient('mongodb://localhost:27017')
const database = client.db('test')
const movies = database.collection('movies')
await movies.insertOne({ title: 'Back to the Future', year: 1985 })
await movies.insertOne({ _id: new ObjectId('507f1f77bcf86cd799439011'), title: 'Alien' })
await movies.find({ year: { $gt: 1980 } }).project({ _id: 0, title: 1 }).toArray()
await movies.updateOne({ title: 'Alien' }, { $set: { year: 1979 } })
await movies.insertOne({ _id: new ObjectId('507f1f77bcf86cd799439011') })
await client.close()
import x from 'left-pad'
"#,
        expect![[r#"
            2: -
            3: -
            4: -
            5: -
            6: {"acknowledged":true,"insertedId":{"$oid":"659200805c68656d61000001"}}
            7: {"acknowledged":true,"insertedId":{"$oid":"507f1f77bcf86cd799439011"}}
            8: [{"title":"Back to the Future"}]
            9: {"acknowledged":true,"modifiedCount":1,"upsertedId":null,"upsertedCount":0,"matchedCount":1}
            10: ! MongoServerError: E11000 duplicate key error collection: test.movies index: _id_ dup key: { _id: ObjectId('507f1f77bcf86cd799439011') } @10:14
            11: -
            12: ! Error: Cannot find package 'left-pad': the console knows mongoose, mongodb, @aws-sdk/client-dynamodb, @aws-sdk/lib-dynamodb, @aws-sdk/util-dynamodb, aws-sdk @12:1
        "#]],
    );
}

/// `while` loops, as paging code writes them: each page starts where the one before stopped,
/// until there is no next start; a body needs its braces; a loop that never ends stops.
#[test]
fn while_loops() {
    check(
        r#"
db.n.insertMany([{ _id: 1 }, { _id: 2 }, { _id: 3 }, { _id: 4 }, { _id: 5 }])
let all = []
let start = 0
while (start !== undefined) {
  const page = db.n.find({ _id: { $gt: start } }).sort({ _id: 1 }).limit(2).toArray()
  all = [...all, ...page]
  start = page.length === 2 ? page[1]._id : undefined
}
all
while (all) all = null
let n = 0
while (true) {
  n = n + 1
}
n
"#,
        expect![[r#"
            2: {"acknowledged":true,"insertedIds":{"0":1,"1":2,"2":3,"3":4,"4":5}}
            3: -
            4: -
            5: -
            10: [{"_id":1},{"_id":2},{"_id":3},{"_id":4},{"_id":5}]
            11: -
            12: -
            13: ! RangeError: the loop ran 1000 times and its condition still holds: the console stops it there @13:1
            16: 1000
        "#]],
    );
}

#[test]
fn outside_the_subset() {
    check(
        r#"
for (const u of users) {}
do {} while (x)
if (x) { y }
function f() {}
const f = () => 1
db.users.find().forEach(u => print(u))
class A {}
db.users.x = 1
let n = 0
n += 1
n++
try { a } catch (e) {}
return 1
switch (a) {}
label: 1
const [a, b] = [1, 2]
a | b
this.x
async function g() {}
const fn = function () {}
({ m() {} })
db.users.find({ a: 1 }).hint({ a: 1 })
db.users.bulkWrite([])
db.users.frobnicate()
unknownName
Math.max(1, 2)
"#,
        expect![[r#"
            2: ! ReferenceError: users is not defined @2:17
            3: ! SyntaxError: `do ... while` loops are outside the supported subset of JavaScript @3:1
            4: ! ReferenceError: x is not defined @4:5
            5: -
            6: -
            7: -
            8: ! SyntaxError: classes are outside the supported subset of JavaScript @8:1
            9: ! SyntaxError: assignments to members (`db.users.x = ...`) are outside the supported subset of JavaScript @9:12
            10: -
            11: -
            12: -
            13: -
            14: ! SyntaxError: Illegal return statement @14:1
            15: ! SyntaxError: `switch` statements are outside the supported subset of JavaScript @15:1
            16: ! SyntaxError: labels are outside the supported subset of JavaScript @16:1
            17: -
            18: ! SyntaxError: bitwise operators are outside the supported subset of JavaScript @18:3
            19: ! SyntaxError: `this` is outside the supported subset of JavaScript @19:1
            20: -
            21: ! SyntaxError: methods in object literals are outside the supported subset of JavaScript @22:4
            23: ! NotSupportedError: cursor.hint() is not supported by the console @23:25
            24: ! NotSupportedError: db.users.bulkWrite() is not supported by the console @24:10
            25: ! TypeError: db.users.frobnicate is not a function @25:10
            26: ! ReferenceError: unknownName is not defined @26:1
            27: ! ReferenceError: Math is not defined @27:1
        "#]],
    );
}

#[test]
fn syntax_errors_resume_at_the_next_statement() {
    check(
        "const a = {\n  b: 1,\n  c: ,\n}\ndb.t.insertOne({ a: 1 })\nconst s = 'unterminated\ndb.t.countDocuments()\nconst r = /unterminated\nconst t = `x${ 1 +  }`\ndb.t.find({}, { _id: 0 })\n1 2\n",
        expect![[r#"
            1: ! SyntaxError: Unexpected token ',' @3:6
            5: {"acknowledged":true,"insertedId":{"$oid":"659200805c68656d61000001"}}
            6: ! SyntaxError: Invalid or unexpected token: unterminated string @6:11
            7: 1
            8: ! SyntaxError: Invalid regular expression: missing / @8:11
            9: ! SyntaxError: Unexpected end of input @9:18
            10: [{"a":1}]
            11: ! SyntaxError: Unexpected number @11:3
        "#]],
    );
}

#[test]
fn collations_validators_and_ttl() {
    // docs.mongodb.com: Collation (the French `cafe` examples, strength 1 and 2), Schema
    // Validation ($jsonSchema, validationLevel, validationAction, collMod,
    // bypassDocumentValidation), TTL indexes; mongoose: schema.index collation, query
    // collation, the `expires` path option, `_id: false`, a models file's `export`.
    check(
        r#"
db.myColl.insertMany([
  { _id: 1, category: "café", status: "A" },
  { _id: 2, category: "cafe", status: "a" },
  { _id: 3, category: "cafE", status: "a" }
])
db.myColl.find({ category: "cafe" }).collation({ locale: "fr", strength: 1 })
db.myColl.find({ category: "cafe" }, {}, { collation: { locale: "fr", strength: 2 } })
db.myColl.countDocuments({ status: "a" }, { collation: { locale: "en", strength: 2 } })
db.myColl.distinct("category", {}, { collation: { locale: "fr", strength: 1 } })
db.myColl.aggregate([{ $group: { _id: "$status", n: { $sum: 1 } } }, { $sort: { _id: 1 } }], { collation: { locale: "en", strength: 2 } })
db.myColl.updateMany({ status: "A" }, { $set: { seen: true } }, { collation: { locale: "en", strength: 2 } })
db.myColl.deleteOne({ category: "CAFE" }, { collation: { locale: "fr", strength: 1 } })
db.myColl.createIndex({ category: 1 }, { collation: { locale: "fr", strength: 2 } })
db.myColl.find({ category: "cafe" }).collation({ locale: "fr", strength: 2 }).explain().queryPlanner.winningPlan.inputStage.stage
db.myColl.find({ category: "cafe" }).collation({ locale: "xx" })
db.createCollection("students", {
   validator: {
      $jsonSchema: {
         bsonType: "object",
         required: [ "name", "year" ],
         properties: {
            name: { bsonType: "string", description: "must be a string and is required" },
            year: { bsonType: "int", minimum: 2017, maximum: 3017 }
         }
      }
   },
   validationAction: "error"
})
db.students.insertOne({ name: "Alice", year: NumberInt(2019) })
db.students.insertOne({ name: "Bob", year: NumberInt(2016) }).insertedId
db.students.insertOne({ name: "Bob" }, { bypassDocumentValidation: true }).acknowledged
db.runCommand({ collMod: "students", validationLevel: "moderate" })
db.getCollectionInfos()[1].options
db.createCollection("students")
db.createCollection("logs", { capped: true, size: 1000 })
db.createCollection("logs2", { frobnicate: 1 })
db.events.createIndex({ createdAt: 1 }, { expireAfterSeconds: 3600 })
db.runCommand({ collMod: "events", index: { keyPattern: { createdAt: 1 }, expireAfterSeconds: 60 } })
db.runCommand({ compact: "events" })
const mongoose = require('mongoose')
const citySchema = new mongoose.Schema({ name: String })
citySchema.index({ name: 1 }, { collation: { locale: 'en', strength: 2 } })
const City = mongoose.model('City', citySchema)
await City.insertMany([{ name: 'Paris' }, { name: 'paris' }, { name: 'Oslo' }])
await City.find({ name: 'PARIS' }).collation({ locale: 'en', strength: 2 }).select({ name: 1, _id: 0 })
await City.countDocuments({ name: 'PARIS' }).collation({ locale: 'en', strength: 2 })
await City.find({ name: 'PARIS' }, null, { collation: { locale: 'en', strength: 1 } }).select('name -_id')
const sessionSchema = new mongoose.Schema({ token: String, createdAt: { type: Date, expires: '1h' } })
const Session = mongoose.model('Session', sessionSchema)
await Session.listIndexes()
const keySchema = new mongoose.Schema({ _id: String, owner: String }, { _id: false })
const Key = mongoose.model('Key', keySchema)
await Key.create({ _id: 'k1', owner: 'ann' })
await Key.create({ owner: 'bob' })
const tagSchema = new mongoose.Schema({ label: String }, { _id: false })
const Tag = mongoose.model('Tag', tagSchema)
await Tag.create({ label: 'x' })
export { City, Session }
export { Nobody }
export default City
export * from 'mongoose'
"#,
        expect![[r#"
            2: {"acknowledged":true,"insertedIds":{"0":1,"1":2,"2":3}}
            7: [{"_id":1,"category":"café","status":"A"},{"_id":2,"category":"cafe","status":"a"},{"_id":3,"category":"cafE","status":"a"}]
            8: [{"_id":2,"category":"cafe","status":"a"},{"_id":3,"category":"cafE","status":"a"}]
            9: 3
            10: ["café"]
            11: [{"_id":"A","n":3}]
            12: {"acknowledged":true,"insertedId":null,"matchedCount":3,"modifiedCount":3,"upsertedCount":0}
            13: {"acknowledged":true,"deletedCount":1}
            14: "category_1"
            15: "IXSCAN"
            16: ! MongoServerError[BadValue]: Field 'locale' is invalid in: { locale: "xx" }. The simulator implements the root collation rules, which these locales use: en, en_US, en_GB, en_AU, en_CA, en_IN, en_IE, en_NZ, en_ZA, de, de_AT, fr, it, nl, pt, id, ms @16:1
            17: {"ok":1}
            30: {"acknowledged":true,"insertedId":{"$oid":"659200805c68656d61000001"}}
            31: ! MongoServerError[DocumentValidationFailure]: Document failed validation @31:13
            32: true
            33: {"ok":1}
            34: {"validator":{"$jsonSchema":{"bsonType":"object","required":["name","year"],"properties":{"name":{"bsonType":"string","description":"must be a string and is required"},"year":{"bsonType":"int","minimum":2017,"maximum":3017}}}},"validationAction":"error","validationLevel":"moderate"}
            35: ! MongoServerError[NamespaceExists]: Collection test.students already exists. @35:4
            36: ! MongoServerError[BadValue]: the createCollection option 'capped' is not simulated: the playground creates ordinary collections (validator, validationLevel, validationAction and collation are supported) @36:4
            37: ! MongoServerError[Location40415]: BSON field 'create.frobnicate' is an unknown field. @37:4
            38: "createdAt_1"
            39: {"expireAfterSeconds_old":3600,"expireAfterSeconds_new":60,"ok":1}
            40: ! NotSupportedError: db.runCommand({ compact: ... }) is not supported by the console: it runs the commands create and collMod @40:4
            41: -
            42: -
            43: -
            44: -
            45: [{"_id":{"$oid":"659200805c68656d61000004"},"name":"Paris","__v":0},{"_id":{"$oid":"659200805c68656d61000005"},"name":"paris","__v":0},{"_id":{"$oid":"659200805c68656d61000006"},"name":"Oslo","__v":0}]
            46: [{"name":"Paris"},{"name":"paris"}]
            47: 2
            48: [{"name":"Paris"},{"name":"paris"}]
            49: -
            50: -
            51: [{"v":2,"key":{"_id":1},"name":"_id_"},{"v":2,"key":{"createdAt":1},"name":"createdAt_1","expireAfterSeconds":3600}]
            52: -
            53: -
            54: {"_id":"k1","owner":"ann","__v":0}
            55: ! MongooseError: document must have an _id before saving @55:11
            56: -
            57: -
            58: ! MongooseError: document must have an _id before saving @58:11
            59: -
            60: ! ReferenceError: Nobody is not defined @60:10
            61: -
            62: ! SyntaxError: this form of `export` is outside the supported subset of JavaScript (the console reads `export { names }`, `export const ...` and `export default ...`) @62:1
        "#]],
    );
}
