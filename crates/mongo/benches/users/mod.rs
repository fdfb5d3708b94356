//! The 100,000 users of `tests/bench/mongo/bench.mjs`, in the same shape (their values come
//! from another generator).

use schemaplay_mongo::bson::{doc, Bson, DateTime, Document};

const CITIES: &[&str] = &[
    "Paris",
    "Lyon",
    "Nice",
    "Berlin",
    "Munich",
    "Madrid",
    "Rome",
    "Milan",
    "Vienna",
    "Prague",
    "Warsaw",
    "Lisbon",
    "Dublin",
    "London",
    "Oslo",
    "Stockholm",
    "Helsinki",
    "Athens",
    "Sofia",
    "Zagreb",
    "NYC",
    "Boston",
    "Chicago",
    "Austin",
    "Denver",
    "Seattle",
    "Portland",
    "Miami",
    "Atlanta",
    "Dallas",
    "Toronto",
    "Montreal",
    "Vancouver",
    "Calgary",
    "Ottawa",
    "Tokyo",
    "Osaka",
    "Seoul",
    "Busan",
    "Taipei",
    "Sydney",
    "Melbourne",
    "Perth",
    "Auckland",
    "Lima",
    "Bogota",
    "Quito",
    "Santiago",
    "Mexico",
    "Havana",
];
const TAGS: &[&str] = &[
    "developer",
    "nodejs",
    "rust",
    "go",
    "python",
    "java",
    "design",
    "ops",
    "data",
    "ml",
    "frontend",
    "backend",
    "mobile",
    "cloud",
    "security",
    "qa",
    "lead",
    "intern",
    "remote",
    "oss",
];

/// A deterministic generator (xorshift).
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }

    fn pick(&mut self, xs: &[&'static str]) -> &'static str {
        xs.get(self.below(xs.len())).copied().unwrap_or("")
    }
}

pub fn users(n: usize) -> Vec<Document> {
    let mut rng = Rng(42);
    (0..n)
        .map(|i| {
            let tags: Vec<Bson> = (0..1 + rng.below(4))
                .map(|_| Bson::from(rng.pick(TAGS)))
                .collect();
            let orders: Vec<Bson> = (0..rng.below(4))
                .map(|_| {
                    Bson::Document(doc! {
                        "sku": format!("SKU-{}", rng.below(50)),
                        "qty": 1 + rng.below(5) as i32,
                        "price": rng.below(10_000) as f64 / 100.0,
                    })
                })
                .collect();
            doc! {
                "_id": i as i32,
                "email": format!("user{i}@example.com"),
                "name": format!("{} {}", rng.pick(&["John", "Jane", "Ann", "Bob"]), rng.pick(&["Doe", "Lee", "King"])),
                "profile": {"age": 18 + rng.below(62) as i32, "city": rng.pick(CITIES), "bio": format!("{} and {} person", rng.pick(TAGS), rng.pick(TAGS))},
                "tags": tags,
                "orders": orders,
                "active": rng.below(10) < 8,
                "createdAt": DateTime::from_millis(1_704_067_200_000 + rng.below(365 * 86_400_000) as i64),
            }
        })
        .collect()
}
