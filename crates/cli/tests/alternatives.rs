//! `schemaplay alternatives`: the choices of an example as text and JSON, and `--apply`
//! writing the design with one recorded (which `check` then reads), or naming what is wrong.

use std::process::Command;

/// Runs `schemaplay ARGS`: stdout, stderr and the exit status.
fn schemaplay(args: &[&str]) -> (String, String, i32) {
    let out = Command::new(env!("CARGO_BIN_EXE_schemaplay"))
        .args(args)
        .output()
        .expect("schemaplay runs");
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code().unwrap_or(-1),
    )
}

#[test]
fn lists_the_choices_of_an_example() {
    let (text, _, status) = schemaplay(&["alternatives", "--example", "user-app"]);
    assert_eq!(status, 0);
    let heads: Vec<&str> = text
        .lines()
        .filter(|l| !l.starts_with(' '))
        .map(|l| l.split(" — ").next().unwrap_or(l))
        .collect();
    assert_eq!(
        heads,
        [
            "embed:User/Post",
            "embed:Post/Comment",
            "placement:Post",
            "counter:Count users per city"
        ]
    );
    assert!(text.contains(
        "  - parentById: posts in their user's partition, keyed by id (USER#<authorId> / POST#<postId>)\n"
    ));
    let (json, _, _) = schemaplay(&["alternatives", "--example", "user-app", "--json"]);
    let value: serde_json::Value = serde_json::from_str(&json).unwrap_or_default();
    assert_eq!(value[2]["alternatives"][2]["key"], "own");
    assert_eq!(value[2]["alternatives"][2]["selected"], true);
    assert!(value[2]["alternatives"][1]["cost"]["onDemandMonthly"].as_f64() > Some(0.0));
}

#[test]
fn apply_prints_the_design_with_the_choice_recorded() {
    let (design, _, status) = schemaplay(&[
        "alternatives",
        "--example",
        "user-app",
        "--apply",
        "placement:Post=parentById",
    ]);
    assert_eq!(status, 0);
    assert!(design.contains(
        "\"keyTemplates\": {\n      \"Post\": {\n        \"pk\": \"USER#<authorId>\",\n        \"sk\": \"POST#<postId>\"\n      }\n    }"
    ), "{design}");
    let path = std::env::temp_dir().join(format!("altern-{}.json", std::process::id()));
    std::fs::write(&path, &design).expect("the temporary file is written");
    let (text, _, status) = schemaplay(&["alternatives", path.to_str().unwrap_or("")]);
    let _ = std::fs::remove_file(&path);
    assert_eq!(status, 0);
    assert!(text.contains("  * parentById: "), "{text}");
    assert!(text.starts_with("embed:User/Post"), "{text}");
    assert!(
        text.contains("\nsortIndex:List a user's posts — "),
        "{text}"
    );

    let (out, err, status) = schemaplay(&[
        "alternatives",
        "--example",
        "user-app",
        "--apply",
        "placement:Post",
    ]);
    assert_eq!((out.as_str(), status), ("", 1));
    assert_eq!(
        err,
        "error: --apply takes CHOICE=ALTERNATIVE (placement:Post=parentById), found \"placement:Post\"\n"
    );
}
