//! The house rules, checked on the whole repository. Each failure lists what to fix.

use std::collections::BTreeSet;
use tiski_tidy::*;

fn crates_files() -> Vec<std::path::PathBuf> {
    rust_files(&root().join("crates"))
}

#[test]
fn no_rust_file_is_too_long() {
    let long = too_long(&crates_files());
    assert!(
        long.is_empty(),
        "split these along their seams (at most {MAX_LINES} lines each): {long:#?}"
    );
}

#[test]
fn sql_lives_only_in_repositories() {
    let found = sql_outside_repositories(&crates_files());
    assert!(
        found.is_empty(),
        "move this SQL into the context's repository (repo.rs or repo/): {found:#?}"
    );
}

#[test]
fn no_test_is_ignored() {
    let found = ignored_tests(&crates_files());
    assert!(
        found.is_empty(),
        "a skipped test is not a passing one: {found:#?}"
    );
}

#[test]
fn time_comes_from_the_clock() {
    let found = wall_clock_reads(&crates_files());
    assert!(
        found.is_empty(),
        "read the application's clock (Kernel::now, Tx::now) instead: {found:#?}"
    );
}

#[test]
fn crates_depend_only_on_what_architecture_md_allows() {
    let architecture =
        std::fs::read_to_string(root().join("ARCHITECTURE.md")).expect("ARCHITECTURE.md");
    let allowed = allowed_dependencies(&architecture);
    assert!(
        allowed.len() >= 10,
        "ARCHITECTURE.md has no dependency table: {allowed:?}"
    );
    let output = std::process::Command::new(env!("CARGO"))
        .args([
            "metadata",
            "--format-version",
            "1",
            "--no-deps",
            "--offline",
        ])
        .current_dir(root())
        .output()
        .expect("cargo metadata runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let metadata: serde_json::Value =
        serde_json::from_slice(&output.stdout).expect("metadata JSON");
    let mut problems = Vec::new();
    for (krate, normal, dev) in workspace_dependencies(&metadata) {
        let Some((_, may)) = allowed.iter().find(|(name, _)| *name == krate) else {
            problems.push(format!(
                "{krate} is not in ARCHITECTURE.md's dependency table"
            ));
            continue;
        };
        for dep in &normal {
            if !may.contains(dep) {
                problems.push(format!(
                    "{krate} depends on {dep}, which ARCHITECTURE.md does not allow"
                ));
            }
        }
        for dep in &dev {
            if !may.contains(dep) && dep != "testkit" {
                problems.push(format!(
                    "{krate}'s tests depend on {dep}, which ARCHITECTURE.md does not allow"
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn every_catalog_has_exactly_the_english_keys_and_every_error_message() {
    let dir = root().join("crates/web/locales");
    let english: BTreeSet<String> =
        fluent_keys(&std::fs::read_to_string(dir.join("en.ftl")).unwrap())
            .into_iter()
            .collect();
    assert!(english.len() > 100, "the English catalog looks empty");
    for code in ["fi", "pl", "lt", "tl"] {
        let keys = fluent_keys(&std::fs::read_to_string(dir.join(format!("{code}.ftl"))).unwrap());
        let set: BTreeSet<String> = keys.iter().cloned().collect();
        assert_eq!(set.len(), keys.len(), "{code}.ftl has a key twice");
        let missing: Vec<_> = english.difference(&set).collect();
        let extra: Vec<_> = set.difference(&english).collect();
        assert!(missing.is_empty(), "{code}.ftl lacks {missing:?}");
        assert!(
            extra.is_empty(),
            "{code}.ftl has keys English lacks: {extra:?}"
        );
    }
    // Every message id of the error-code table has a translation.
    let table = std::fs::read_to_string(root().join("crates/kernel/src/error.rs")).unwrap();
    let ids: Vec<&str> = table
        .lines()
        .filter_map(|l| l.trim().strip_suffix(";"))
        .filter_map(|l| {
            l.rsplit_once(", \"")
                .map(|(_, id)| id.trim_end_matches('"'))
        })
        .filter(|id| id.starts_with("error-"))
        .collect();
    assert!(
        ids.len() >= 20,
        "the error-code table was not found: {ids:?}"
    );
    let missing: Vec<_> = ids.iter().filter(|id| !english.contains(**id)).collect();
    assert!(
        missing.is_empty(),
        "en.ftl lacks the error messages {missing:?}"
    );
}

/// The words each language's glossary chose, checked against its catalog: a banned word in any
/// string, or a fixed string changed, fails with the line to fix and the glossary's reason.
#[test]
fn every_catalog_keeps_to_its_glossary() {
    let dir = root().join("crates/web/locales");
    // The terms the issue asked every glossary to settle, at the least.
    let core = [
        "ticket", "assign", "pending", "on hold", "channel", "macro", "queue", "team", "tag",
        "reply", "note", "solve",
    ];
    let mut problems = Vec::new();
    for code in ["fi", "pl", "lt", "tl"] {
        let path = dir.join(format!("glossary/{code}.md"));
        let markdown =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let glossary = glossary::parse(&markdown).unwrap_or_else(|e| panic!("{code}.md: {e}"));
        let missing: Vec<_> = core
            .iter()
            .filter(|t| !glossary.terms.iter().any(|have| have == *t))
            .collect();
        assert!(
            missing.is_empty(),
            "glossary/{code}.md lacks the terms {missing:?}"
        );
        assert!(!glossary.bans.is_empty(), "glossary/{code}.md bans nothing");
        let catalog = std::fs::read_to_string(dir.join(format!("{code}.ftl"))).unwrap();
        problems.extend(glossary::breaches(
            &glossary,
            &format!("{code}.ftl"),
            &catalog,
        ));
    }
    assert!(problems.is_empty(), "{problems:#?}");
}

/// A context's own catalogs (`crates/<context>/locales/*.ftl`, such as the digest mail's in
/// notify) have exactly their English keys in every language and use no word a language's
/// glossary bans.
#[test]
fn context_catalogs_have_the_english_keys_and_keep_to_the_glossary_bans() {
    let mut problems = Vec::new();
    let mut seen = 0;
    for entry in std::fs::read_dir(root().join("crates")).unwrap().flatten() {
        let dir = entry.path().join("locales");
        if entry.file_name() == "web" || !dir.join("en.ftl").exists() {
            continue;
        }
        seen += 1;
        let english: BTreeSet<String> =
            fluent_keys(&std::fs::read_to_string(dir.join("en.ftl")).unwrap())
                .into_iter()
                .collect();
        for code in ["fi", "pl", "lt", "tl"] {
            let name = format!("{}/{code}.ftl", dir.display());
            let Ok(catalog) = std::fs::read_to_string(dir.join(format!("{code}.ftl"))) else {
                problems.push(format!("{name} is missing"));
                continue;
            };
            let keys: BTreeSet<String> = fluent_keys(&catalog).into_iter().collect();
            if keys != english {
                problems.push(format!("{name} has other keys than en.ftl"));
            }
            let markdown = std::fs::read_to_string(
                root().join(format!("crates/web/locales/glossary/{code}.md")),
            )
            .unwrap();
            let mut glossary = glossary::parse(&markdown).unwrap();
            // Fixed strings are the workspace's keys; the bans hold for every string.
            glossary.fixed.clear();
            problems.extend(glossary::breaches(&glossary, &name, &catalog));
        }
    }
    assert!(
        seen >= 1,
        "no context catalogs found (crates/notify/locales)"
    );
    assert!(problems.is_empty(), "{problems:#?}");
}
