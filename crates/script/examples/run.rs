//! Runs a script file through the console and prints one JSON line per statement.
use std::io::Read;

fn main() {
    let mut source = String::new();
    let path = std::env::args().nth(1);
    match path {
        Some(p) => source = std::fs::read_to_string(p).unwrap_or_default(),
        None => {
            let _ = std::io::stdin().read_to_string(&mut source);
        }
    }
    let mut host = schemaplay_script::Host::default();
    for o in schemaplay_script::run(&source, &mut host) {
        for w in &o.warnings {
            println!("  warning: {w}");
        }
        match o.result {
            Ok(Some(v)) => println!("{} => {}", o.line, v),
            Ok(None) => println!("{} (nothing)", o.line),
            Err(e) => println!("{} !! {}:{} {}", o.line, e.line, e.column, e.message),
        }
    }
}
