//! The language tutorials write: functions (arrows, `function`, `async`), closures, `if`,
//! loops, `throw`, `try`/`catch`/`finally`, destructuring, promises, and transactions whose
//! callbacks throw. Each test is a script and what every statement shows.

mod common;

use expect_test::{expect, Expect};
use schemaplay_script::Host;

fn check(source: &str, expect: Expect) {
    let mut host = Host::default();
    expect.assert_eq(&common::render(source, &mut host));
}

#[test]
fn arrow_functions_with_expression_and_block_bodies_as_callbacks() {
    check(
        r#"const names = ['ann', 'bo', 'cy']
names.map(n => n.toUpperCase())
names.filter((n) => n.length === 2)
names.find(n => n.startsWith('c'))
names.findIndex(n => n === 'zed')
names.some(n => n === 'bo')
names.every(n => n.length > 1)
names.reduce((acc, n) => acc + n.length, 0)
const doubled = [3, 1, 2].map((x, i) => { const y = x * 2; return y + i })
doubled
;[3, 1, 2].sort((a, b) => a - b)
const seen = []
names.forEach(n => console.log(`hi ${n}`))
const add = function (a, b = 10) { return a + b }
add(1)
add(1, 2)
const fact = function f(n) { return n <= 1 ? 1 : n * f(n - 1) }
fact(5)
"#,
        expect![[r#"
            1: -
            2: ["ANN","BO","CY"]
            3: ["bo","cy"]
            4: "cy"
            5: -1
            6: true
            7: true
            8: 7
            9: -
            10: [6,3,6]
            11: [1,2,3]
            12: -
            13: ["hi ann","hi bo","hi cy"]
            14: -
            15: 11
            16: 3
            17: -
            18: 120
        "#]],
    );
}

#[test]
fn closures_capture_their_scope_and_see_later_changes() {
    check(
        r#"function counter() {
  let n = 0
  return () => { n += 1; return n }
}
const next = counter()
next()
next()
const other = counter()
other()
let base = 1
const plus = x => x + base
base = 100
plus(1)
twice(4)
function twice(x) { return x * 2 }
"#,
        expect![[r#"
            1: -
            5: -
            6: 1
            7: 2
            8: -
            9: 1
            10: -
            11: -
            12: -
            13: 101
            14: 8
            15: -
        "#]],
    );
}

#[test]
fn if_else_and_loops() {
    check(
        r#"function grade(score) {
  if (score >= 90) return 'A'
  else if (score >= 80) {
    return 'B'
  } else {
    return 'C'
  }
}
[95, 85, 10].map(grade)
let total = 0
for (const x of [1, 2, 3, 4]) {
  if (x === 2) continue
  if (x === 4) break
  total += x
}
total
let s = ''
for (let i = 0; i < 3; i++) s += i
s
for (const { name, age } of [{ name: 'a', age: 1 }]) console.log(name, age)
const [first, , third] = ['x', 'y', 'z']
third
"#,
        expect![[r#"
            1: -
            9: ["A","B","C"]
            10: -
            11: -
            16: 4
            17: -
            18: -
            19: "012"
            20: ["a",1]
            21: -
            22: "z"
        "#]],
    );
}

#[test]
fn throw_try_catch_finally() {
    check(
        r#"try {
  throw new Error('boom')
} catch (e) {
  console.log(e.message, e.name, `${e}`)
} finally {
  console.log('cleanup')
}
try { JSON.parse('{') } catch (err) { console.log(err.name) }
try { db.users.insertOne({ _id: 1 }); db.users.insertOne({ _id: 1 }) } catch (e) { console.log(e.name, e.codeName) }
const safe = () => { try { return 'tried' } finally { console.log('finally runs') } }
safe()
throw new TypeError('bad input')
throw 'plain'
function deep() { undefinedName }
deep()
try { throw { code: 42 } } catch ({ code }) { code }
"#,
        expect![[r#"
            1: ["boom","Error","Error: boom","cleanup"]
            8: "SyntaxError"
            9: ["MongoServerError","DuplicateKey"]
            10: -
            11: "finally runs"
            12: ! TypeError: bad input @12:1
            13: ! Uncaught 'plain' @13:1
            14: -
            15: ! ReferenceError: undefinedName is not defined @14:19
            16: -
        "#]],
    );
}

#[test]
fn async_functions_await_and_promises() {
    check(
        r#"async function run() {
  await db.movies.insertOne({ title: 'Jaws', year: 1975 })
  const movie = await db.movies.findOne({ title: 'Jaws' }, { projection: { _id: 0 } })
  return movie
}
run()
const main = async () => {
  const docs = await db.movies.find().toArray()
  return docs.map(d => d.title)
}
await main()
run().then(m => m.year)
async function fails() { throw new Error('nope') }
fails().catch(e => `caught ${e.message}`)
fails()
await Promise.all([1, 2].map(async x => x * 10))
"#,
        expect![[r#"
            1: -
            6: {"_id":{"$oid":"659200805c68656d61000001"},"title":"Jaws","year":1975}
            7: -
            11: ["Jaws"]
            12: 1975
            13: -
            14: "caught nope"
            15: ! Error: nope @13:26
            16: [10,20]
        "#]],
    );
}

#[test]
fn a_runaway_callback_stops_with_a_range_error() {
    check(
        r#"const forever = () => { while (true) {} }
forever()
function recurse(n) { return recurse(n + 1) }
recurse(0)
let n = 0
const spin = () => { for (let i = 0; i < 900; i++) { n += 1 } }
for (let j = 0; j < 900; j++) spin()
try { recurse(0) } catch (e) { e.message }
return 1
break
"#,
        expect![[r#"
            1: -
            2: ! RangeError: the loop ran 1000 times and its condition still holds: the console stops it there @1:25
            3: -
            4: ! RangeError: Maximum call stack size exceeded @3:30
            5: -
            6: -
            7: ! RangeError: the statement ran 100000 loop runs and function calls: the console stops it there @6:22
            8: -
            9: ! SyntaxError: Illegal return statement @9:1
            10: ! SyntaxError: Illegal break statement: no loop encloses it @10:1
        "#]],
    );
}

#[test]
fn a_throw_in_a_transaction_callback_aborts_it() {
    check(
        r#"db.products.insertMany([{ _id: 'p1', stock: 1 }, { _id: 'p2', stock: 0 }])
const session = db.getMongo().startSession()
session.withTransaction(() => {
  const tx = session.getDatabase(db.getName())
  tx.orders.insertOne({ _id: 'o1' })
  if (tx.products.updateOne({ _id: 'p1', stock: { $gte: 1 } }, { $inc: { stock: -1 } }).matchedCount !== 1) throw new Error('p1: nothing matched')
  if (tx.products.updateOne({ _id: 'p2', stock: { $gte: 1 } }, { $inc: { stock: -1 } }).matchedCount !== 1) throw new Error('p2: nothing matched')
})
db.orders.countDocuments()
db.products.find().toArray()
session.withTransaction(() => {
  session.getDatabase('test').orders.insertOne({ _id: 'o2' })
})
db.orders.countDocuments()
session.endSession()
session.startTransaction()
const manual = db.getMongo().startSession()
manual.startTransaction()
db.orders.insertOne({ _id: 'o3' })
manual.abortTransaction()
db.orders.countDocuments()
"#,
        expect![[r#"
            1: {"acknowledged":true,"insertedIds":{"0":"p1","1":"p2"}}
            2: -
            3: ! Error: p2: nothing matched @7:109
            9: 0
            10: [{"_id":"p1","stock":1},{"_id":"p2","stock":0}]
            11: -
            14: 1
            15: -
            16: ! MongoExpiredSessionError: Cannot use a session that has ended @16:9
            17: -
            18: -
            19: {"acknowledged":true,"insertedId":"o3"}
            20: -
            21: 1
        "#]],
    );
}

#[test]
fn a_mongoose_transaction_commits_or_aborts() {
    check(
        r#"const mongoose = require('mongoose')
const Order = mongoose.model('Order', new mongoose.Schema({ total: Number }))
const Product = mongoose.model('Product', new mongoose.Schema({ _id: String, stock: Number }))
await Product.create([{ _id: 'p1', stock: 2 }])
await mongoose.connection.transaction(async (session) => {
  const [order] = await Order.create([{ total: 10 }], { session })
  const r = await Product.updateOne({ _id: 'p1', stock: { $gte: 1 } }, { $inc: { stock: -1 } }, { session })
  if (r.matchedCount !== 1) throw new Error('out of stock')
  return order.total
})
await Order.countDocuments()
await mongoose.connection.transaction(async (session) => {
  await Order.create([{ total: 20 }], { session })
  const r = await Product.updateOne({ _id: 'p1', stock: { $gte: 5 } }, { $inc: { stock: -5 } }).session(session)
  if (r.matchedCount !== 1) throw new Error('out of stock')
})
await Order.countDocuments()
const session = await mongoose.startSession()
await session.withTransaction(async () => {
  await Order.create([{ total: 30 }], { session })
})
session.endSession()
await Order.countDocuments()
;(await Product.findById('p1').lean()).stock
"#,
        expect![[r#"
            1: -
            2: -
            3: -
            4: [{"_id":"p1","stock":2,"__v":0}]
            5: 10
            11: 1
            12: ! Error: out of stock @15:29
            17: 1
            18: -
            19: -
            22: -
            23: 2
            24: 1
        "#]],
    );
}
