//! Garbage in, no panic out: random bytes, random tokens, truncations and deep nesting, every
//! outcome an error or a result. The runs get a 4 MiB stack: unoptimised test builds use about
//! four times the stack of a release build, which handles the deepest input the limits allow
//! in under 512 KiB (measured natively), half of WebAssembly's 1 MiB.

mod common;

use schemaplay_script::{run, Host};

/// A small deterministic generator (xorshift), so a failure reproduces.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const PIECES: &[&str] = &[
    "db",
    ".",
    "users",
    "find",
    "(",
    ")",
    "{",
    "}",
    "[",
    "]",
    ",",
    ":",
    ";",
    "\n",
    " ",
    "'a'",
    "\"b\"",
    "`t${",
    "}`",
    "`",
    "/re/i",
    "/",
    "1",
    "-2.5e3",
    "0x",
    "await",
    "const",
    "let",
    "x",
    "=",
    "=>",
    "new",
    "Date",
    "ObjectId",
    "ISODate(",
    "...",
    "?.",
    "??",
    "!",
    "+",
    "-",
    "*",
    "import",
    "from",
    "'mongoose'",
    "mongoose",
    "Schema",
    "model",
    "$set",
    "$gt",
    "User",
    "create",
    "null",
    "true",
    "undefined",
    "Set",
    "typeof",
    "show",
    "collections",
    "require(",
    "//",
    "/*",
    "*/",
    "\\u{",
    "\\",
    "insertOne",
    "aggregate",
    "$group",
    "$match",
    "sort",
    "limit",
    "explain",
    "index",
    "userSchema",
];

/// A corpus of valid statements whose truncations make realistic broken input.
const SCRIPT: &str = r#"
import mongoose from 'mongoose'
const userSchema = new mongoose.Schema({ email: { type: String, required: true, unique: true }, tags: [String], createdAt: { type: Date, default: Date.now } })
const User = mongoose.model('User', userSchema)
await User.create({ email: 'a@b.c', tags: ['x'] })
db.users.find({ email: /^a/i, n: { $gt: -1 } }, { _id: 0 }).sort({ email: 1 }).limit(5).explain("executionStats")
db.users.aggregate([{ $match: { tags: 'x' } }, { $group: { _id: '$email', n: { $sum: 1 } } }])
const id = `USER#${1 + 2}`
db.users.updateOne({ _id: ObjectId("507f1f77bcf86cd799439011") }, { $set: { at: new Date(Date.now() - 86400000) } }, { upsert: true })
{ _id: 1, tags: new Set([1, 2]), d: ISODate("2024-01-01T00:00:00Z"), n: NumberDecimal("1.5") }
"#;

fn no_panic(source: &str) {
    let mut host = Host::default();
    let out = run(source, &mut host);
    for o in out {
        if let Err(e) = o.result {
            assert!(!e.message.is_empty());
            assert!(e.line >= 1 && e.column >= 1, "{e:?} in {source:?}");
        }
    }
}

fn on_small_stack(f: impl FnOnce() + Send + 'static) {
    let handle = std::thread::Builder::new()
        .stack_size(4 << 20)
        .spawn(f)
        .expect("a thread");
    assert!(
        handle.join().is_ok(),
        "the run panicked or overflowed its stack"
    );
}

#[test]
fn random_tokens_do_not_panic() {
    on_small_stack(|| {
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        for _ in 0..3000 {
            let n = 1 + rng.below(40);
            let src: String = (0..n).map(|_| PIECES[rng.below(PIECES.len())]).collect();
            no_panic(&src);
        }
    });
}

#[test]
fn random_bytes_do_not_panic() {
    on_small_stack(|| {
        let mut rng = Rng(42);
        for _ in 0..2000 {
            let n = rng.below(80);
            let bytes: Vec<u8> = (0..n).map(|_| (rng.next() & 0xff) as u8).collect();
            no_panic(&String::from_utf8_lossy(&bytes));
        }
    });
}

#[test]
fn every_truncation_of_a_real_script_runs() {
    on_small_stack(|| {
        let chars: Vec<char> = SCRIPT.chars().collect();
        for end in 0..chars.len() {
            let src: String = chars.iter().take(end).collect();
            no_panic(&src);
        }
        // And every single-character deletion.
        for at in (0..chars.len()).step_by(3) {
            let src: String = chars
                .iter()
                .enumerate()
                .filter(|(i, _)| *i != at)
                .map(|(_, c)| *c)
                .collect();
            no_panic(&src);
        }
    });
}

#[test]
fn deep_nesting_is_an_error() {
    on_small_stack(|| {
        for (open, close) in [
            ("[", "]"),
            ("{a:", "}"),
            ("(", ")"),
            ("f(", ")"),
            ("-", ""),
            ("!", ""),
            ("`${", "}`"),
            ("await ", ""),
        ] {
            let src = format!("{}1{}", open.repeat(5000), close.repeat(5000));
            let mut host = Host::default();
            let out = run(&src, &mut host);
            assert!(out.iter().any(|o| o.result.is_err()), "{open}: {out:?}");
        }
        // Values nested through names, one level per statement.
        let mut src = String::from("const v0 = 1\n");
        for i in 1..300 {
            src.push_str(&format!("const v{i} = [v{}]\n", i - 1));
        }
        src.push_str("db.deep.insertOne({ v: v299 })\n");
        let mut host = Host::default();
        let out = run(&src, &mut host);
        let last = out.last().map(|o| o.result.clone());
        assert!(matches!(last, Some(Err(_))), "{last:?}");
    });
}

#[test]
fn an_oversized_script_is_one_error() {
    let src = "1\n".repeat(600_000);
    let out = run(&src, &mut Host::default());
    assert_eq!(out.len(), 1);
    assert!(out.first().is_some_and(|o| o.result.is_err()));
}

#[test]
fn seeded_host_survives_garbage_too() {
    on_small_stack(|| {
        let mut host = common::seeded();
        let mut rng = Rng(7);
        for _ in 0..500 {
            let n = 1 + rng.below(30);
            let src: String = (0..n).map(|_| PIECES[rng.below(PIECES.len())]).collect();
            let _ = common::render(&src, &mut host);
        }
    });
}
