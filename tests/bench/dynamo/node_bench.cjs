// The schemaplay DynamoDB benchmark workload through the wasm build under Node.
//
// Usage: node node_bench.cjs <wasm-bindgen nodejs out dir> 10000 100000
// Prints one line per measurement: wasm <op> <items> <median microseconds per operation>.
// The workload mirrors crates/dynamo/benches/workload.rs.

const path = require("path");

const TABLE = "bench";
const PARTITIONS = 10000;
const HOT_PARTITIONS = 100;
const HOT_ITEMS = 50;
const MEASURE_MS = 1000;

const pad = (n, width) => String(n).padStart(width, "0");

function item(i) {
  const hot = HOT_PARTITIONS * HOT_ITEMS;
  let pk, sk;
  if (i < hot) {
    const kind = i % 2 === 0 ? "POST" : "ORDER";
    pk = `USER#hot${pad(Math.floor(i / HOT_ITEMS), 3)}`;
    sk = `${kind}#${pad(i % HOT_ITEMS, 6)}`;
  } else {
    const j = i - hot;
    const cold = PARTITIONS - HOT_PARTITIONS;
    pk = `USER#${pad(j % cold, 5)}`;
    sk = `POST#${pad(Math.floor(j / cold), 7)}`;
  }
  return {
    PK: { S: pk },
    SK: { S: sk },
    title: { S: `Title of item ${i}` },
    amount: { N: String(i % 1000) },
    balance: { N: "100" },
  };
}

const hot = (k) => `USER#hot${pad(k % HOT_PARTITIONS, 3)}`;

const REQUESTS = {
  GetItem: ["GetItem", (k) => ({ TableName: TABLE, Key: { PK: { S: hot(k) }, SK: { S: "POST#000010" } } })],
  Query25: ["Query", (k) => ({
    TableName: TABLE,
    KeyConditionExpression: "PK = :pk AND begins_with(SK, :sk)",
    ExpressionAttributeValues: { ":pk": { S: hot(k) }, ":sk": { S: "POST#" } },
  })],
  FilteredQuery: ["Query", (k) => ({
    TableName: TABLE,
    KeyConditionExpression: "PK = :pk",
    FilterExpression: "amount > :min",
    ExpressionAttributeValues: { ":pk": { S: hot(k) }, ":min": { N: "25" } },
  })],
  ConditionalUpdate: ["UpdateItem", (k) => ({
    TableName: TABLE,
    Key: { PK: { S: hot(k) }, SK: { S: "ORDER#000011" } },
    UpdateExpression: "SET balance = balance + :amount",
    ConditionExpression: "balance >= :min",
    ExpressionAttributeValues: { ":amount": { N: "1" }, ":min": { N: "0" } },
  })],
};

function run(pkg, n) {
  const session = new pkg.DynamoSession();
  session.execute("CreateTable", JSON.stringify({
    TableName: TABLE,
    BillingMode: "PAY_PER_REQUEST",
    AttributeDefinitions: [{ AttributeName: "PK", AttributeType: "S" }, { AttributeName: "SK", AttributeType: "S" }],
    KeySchema: [{ AttributeName: "PK", KeyType: "HASH" }, { AttributeName: "SK", KeyType: "RANGE" }],
  }));
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) {
    session.execute("PutItem", JSON.stringify({ TableName: TABLE, Item: item(i) }));
  }
  const loadS = Number(process.hrtime.bigint() - start) / 1e9;
  process.stderr.write(`# wasm loaded ${n} items in ${loadS.toFixed(1)} s\n`);
  // The facade answers as the engine does: 25 posts, and errors named after the exception.
  const posts = JSON.parse(session.execute("Query", JSON.stringify(REQUESTS.Query25[1](0))));
  if (posts.Count !== 25) throw new Error(`Query25 returned ${posts.Count} items`);
  try {
    session.execute("Query", JSON.stringify({ TableName: TABLE, KeyConditionExpression: "SK = :s",
      ExpressionAttributeValues: { ":s": { S: "x" } } }));
    throw new Error("a Query without the partition key succeeded");
  } catch (e) {
    if (e.name !== "ValidationException" || !e.message.startsWith("ValidationException: ")) throw e;
  }
  // The requests as JSON text, as a page would send them: the timing is the wasm call.
  for (const [name, [op, make]] of Object.entries(REQUESTS)) {
    const inputs = Array.from({ length: HOT_PARTITIONS }, (_, k) => JSON.stringify(make(k)));
    session.execute(op, inputs[0]);
    // Batches of 20 calls; the median batch gives the time per call.
    const batches = [];
    let count = 0;
    const t0 = process.hrtime.bigint();
    while (process.hrtime.bigint() - t0 < BigInt(MEASURE_MS) * 1000000n) {
      const b0 = process.hrtime.bigint();
      for (let r = 0; r < 20; r++) {
        session.execute(op, inputs[count % inputs.length]);
        count++;
      }
      batches.push(Number(process.hrtime.bigint() - b0) / 1000 / 20);
    }
    batches.sort((a, b) => a - b);
    console.log(`wasm ${name} ${n} ${batches[Math.floor(batches.length / 2)].toFixed(2)}`);
  }
  session.free();
}

const [dir, ...sizes] = process.argv.slice(2);
if (!dir) {
  console.error("usage: node node_bench.cjs <wasm-bindgen nodejs out dir> [sizes...]");
  process.exit(2);
}
const pkg = require(path.resolve(dir, "schemaplay_wasm.js"));
for (const n of sizes.length ? sizes : ["10000", "100000"]) {
  run(pkg, Number(n));
}
