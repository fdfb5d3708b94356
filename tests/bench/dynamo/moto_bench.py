"""The schemaplay DynamoDB benchmark workload through moto (in process, mock_aws).

Usage: python3 moto_bench.py 10000 100000
Prints one line per measurement: moto <op> <items> <median microseconds per operation>.
The workload mirrors crates/dynamo/benches/workload.rs.
"""

import statistics
import sys
import time

import boto3
from moto import mock_aws

TABLE = "bench"
PARTITIONS = 10_000
HOT_PARTITIONS = 100
HOT_ITEMS = 50
MEASURE_SECONDS = 1.0


def item(i):
    hot = HOT_PARTITIONS * HOT_ITEMS
    if i < hot:
        kind = "POST" if i % 2 == 0 else "ORDER"
        pk, sk = "USER#hot%03d" % (i // HOT_ITEMS), "%s#%06d" % (kind, i % HOT_ITEMS)
    else:
        j = i - hot
        cold = PARTITIONS - HOT_PARTITIONS
        pk, sk = "USER#%05d" % (j % cold), "POST#%07d" % (j // cold)
    return {
        "PK": {"S": pk},
        "SK": {"S": sk},
        "title": {"S": "Title of item %d" % i},
        "amount": {"N": str(i % 1000)},
        "balance": {"N": "100"},
    }


def hot(k):
    return "USER#hot%03d" % (k % HOT_PARTITIONS)


REQUESTS = {
    "GetItem": ("get_item", lambda k: {
        "TableName": TABLE, "Key": {"PK": {"S": hot(k)}, "SK": {"S": "POST#000010"}}}),
    "Query25": ("query", lambda k: {
        "TableName": TABLE,
        "KeyConditionExpression": "PK = :pk AND begins_with(SK, :sk)",
        "ExpressionAttributeValues": {":pk": {"S": hot(k)}, ":sk": {"S": "POST#"}}}),
    "FilteredQuery": ("query", lambda k: {
        "TableName": TABLE,
        "KeyConditionExpression": "PK = :pk",
        "FilterExpression": "amount > :min",
        "ExpressionAttributeValues": {":pk": {"S": hot(k)}, ":min": {"N": "25"}}}),
    "ConditionalUpdate": ("update_item", lambda k: {
        "TableName": TABLE,
        "Key": {"PK": {"S": hot(k)}, "SK": {"S": "ORDER#000011"}},
        "UpdateExpression": "SET balance = balance + :amount",
        "ConditionExpression": "balance >= :min",
        "ExpressionAttributeValues": {":amount": {"N": "1"}, ":min": {"N": "0"}}}),
}


def run(n):
    with mock_aws():
        client = boto3.client("dynamodb", region_name="us-east-1")
        client.create_table(
            TableName=TABLE,
            BillingMode="PAY_PER_REQUEST",
            AttributeDefinitions=[{"AttributeName": "PK", "AttributeType": "S"},
                                  {"AttributeName": "SK", "AttributeType": "S"}],
            KeySchema=[{"AttributeName": "PK", "KeyType": "HASH"},
                       {"AttributeName": "SK", "KeyType": "RANGE"}])
        start = time.perf_counter()
        for base in range(0, n, 25):
            batch = [{"PutRequest": {"Item": item(i)}} for i in range(base, min(n, base + 25))]
            client.batch_write_item(RequestItems={TABLE: batch})
        print("# moto loaded %d items in %.1f s" % (n, time.perf_counter() - start), file=sys.stderr)
        for name, (method, make) in REQUESTS.items():
            call = getattr(client, method)
            call(**make(0))  # warm up
            times, k = [], 0
            start = time.perf_counter()
            while time.perf_counter() - start < MEASURE_SECONDS or len(times) < 3:
                t0 = time.perf_counter()
                call(**make(k))
                times.append(time.perf_counter() - t0)
                k += 1
            print("moto %s %d %.2f" % (name, n, statistics.median(times) * 1e6), flush=True)


if __name__ == "__main__":
    for size in sys.argv[1:] or ["10000", "100000"]:
        run(int(size))
