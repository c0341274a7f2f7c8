//! The house rules of the tiski repository, as functions over its files: each returns what
//! breaks a rule, so `tests/tidy.rs` can fail with a list a person can act on. Nothing here
//! is linked into tiski.

use std::path::{Path, PathBuf};

pub mod glossary;

/// The longest a Rust file may be, in lines: past it, a file has seams to split along.
pub const MAX_LINES: usize = 620;

/// The repository root (two levels above this crate).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Every `.rs` file under `dir`, recursively, sorted.
pub fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// The path of `file` relative to the repository root, with `/` separators.
pub fn relative(file: &Path) -> String {
    let root = root().canonicalize().unwrap_or_else(|_| root());
    let file = file.canonicalize().unwrap_or_else(|_| file.to_path_buf());
    file.strip_prefix(&root)
        .unwrap_or(&file)
        .to_string_lossy()
        .replace('\\', "/")
}

/// Files longer than [`MAX_LINES`]: `path (lines)`.
pub fn too_long(files: &[PathBuf]) -> Vec<String> {
    files
        .iter()
        .filter_map(|file| {
            let lines = std::fs::read_to_string(file).ok()?.lines().count();
            (lines > MAX_LINES).then(|| format!("{} ({lines} lines)", relative(file)))
        })
        .collect()
}

/// Whether a source file may hold SQL: a context's repository (`repo.rs` or under `repo/`),
/// or the store crate, which is the SQL engine.
pub fn may_hold_sql(path: &str) -> bool {
    path.starts_with("crates/store/") || path.ends_with("/repo.rs") || path.contains("/repo/")
}

/// The SQL statements a line starts in a string literal, if any.
pub fn sql_in(line: &str) -> bool {
    const STATEMENTS: [&str; 8] = [
        "SELECT ",
        "INSERT INTO ",
        "DELETE FROM ",
        "CREATE TABLE ",
        "ALTER TABLE ",
        "CREATE INDEX ",
        "UPDATE ",
        "WITH ",
    ];
    let mut rest = line;
    while let Some(start) = rest.find('"') {
        let literal = &rest[start + 1..];
        let trimmed = literal.trim_start();
        if STATEMENTS.iter().any(|s| trimmed.starts_with(s))
            && (!trimmed.starts_with("UPDATE ") || trimmed.contains(" SET "))
            && (!trimmed.starts_with("WITH ") || trimmed.contains(" AS ("))
        {
            return true;
        }
        rest = literal;
    }
    false
}

/// Lines with SQL outside the places that may hold it: `path:line`.
pub fn sql_outside_repositories(files: &[PathBuf]) -> Vec<String> {
    let mut found = Vec::new();
    for file in files {
        let path = relative(file);
        if may_hold_sql(&path) || path.contains("/tests/") || path.starts_with("crates/tidy/") {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(file) else {
            continue;
        };
        for (number, line) in text.lines().enumerate() {
            if sql_in(line) {
                found.push(format!("{path}:{}: {}", number + 1, line.trim()));
            }
        }
    }
    found
}

/// Lines that mark a test as ignored: `path:line`.
pub fn ignored_tests(files: &[PathBuf]) -> Vec<String> {
    let marker = ["#[", "ignore"].concat();
    let mut found = Vec::new();
    for file in files {
        let Ok(text) = std::fs::read_to_string(file) else {
            continue;
        };
        for (number, line) in text.lines().enumerate() {
            if line.trim_start().starts_with(&marker) {
                found.push(format!("{}:{}", relative(file), number + 1));
            }
        }
    }
    found
}

/// Reads of the wall clock outside the clock (time comes from the application's clock):
/// `path:line`. The store (below the clock: its schema bookkeeping), the load generator and
/// test helpers measure real time on purpose.
pub fn wall_clock_reads(files: &[PathBuf]) -> Vec<String> {
    let allowed = ["crates/kernel/src/clock.rs"];
    let needle = ["SystemTime", "::now()"].concat();
    let mut found = Vec::new();
    for file in files {
        let path = relative(file);
        if allowed.contains(&path.as_str())
            || path.starts_with("crates/bench/")
            || path.starts_with("crates/store/")
            || path.starts_with("crates/testkit/")
            || path.starts_with("crates/tidy/")
            || path.contains("/tests/")
        {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(file) else {
            continue;
        };
        for (number, line) in text.lines().enumerate() {
            if line.contains(&needle) {
                found.push(format!("{path}:{}", number + 1));
            }
        }
    }
    found
}

/// The message keys of a Fluent catalog, in order.
pub fn fluent_keys(source: &str) -> Vec<String> {
    source
        .lines()
        .filter(|l| !l.starts_with([' ', '#', '.', '\t', '*', '[']) && l.contains(" = "))
        .filter_map(|l| l.split_once(" = ").map(|(k, _)| k.trim().to_string()))
        .collect()
}

/// The allowed workspace dependencies of each crate, from the table under the heading
/// `## Allowed dependencies` of `ARCHITECTURE.md`: `| crate | may depend on |` rows with
/// crate names in backticks.
pub fn allowed_dependencies(architecture: &str) -> Vec<(String, Vec<String>)> {
    let Some(start) = architecture.find("## Allowed dependencies") else {
        return Vec::new();
    };
    let section = &architecture[start..];
    let section = section[2..]
        .find("\n## ")
        .map(|end| &section[..end + 2])
        .unwrap_or(section);
    let names = |cell: &str| -> Vec<String> {
        cell.split('`')
            .skip(1)
            .step_by(2)
            .map(str::to_string)
            .collect()
    };
    section
        .lines()
        .filter(|l| l.starts_with("| `"))
        .filter_map(|l| {
            let cells: Vec<&str> = l.split('|').collect();
            let krate = names(cells.get(1)?).into_iter().next()?;
            Some((krate, names(cells.get(2)?)))
        })
        .collect()
}

/// The workspace dependencies of each workspace crate, from `cargo metadata`: `(crate, normal
/// and build dependencies, dev dependencies)`, every name without its `tiski-` prefix.
pub fn workspace_dependencies(
    metadata: &serde_json::Value,
) -> Vec<(String, Vec<String>, Vec<String>)> {
    let short = |name: &str| name.strip_prefix("tiski-").unwrap_or(name).to_string();
    let packages = metadata["packages"].as_array().cloned().unwrap_or_default();
    let members: Vec<String> = packages
        .iter()
        .filter_map(|p| p["name"].as_str().map(str::to_string))
        .collect();
    packages
        .iter()
        .filter_map(|package| {
            let name = package["name"].as_str()?;
            let mut normal = Vec::new();
            let mut dev = Vec::new();
            for dependency in package["dependencies"].as_array()? {
                let Some(dep) = dependency["name"].as_str() else {
                    continue;
                };
                if !members.iter().any(|m| m == dep) {
                    continue;
                }
                match dependency["kind"].as_str() {
                    Some("dev") => dev.push(short(dep)),
                    _ => normal.push(short(dep)),
                }
            }
            Some((short(name), normal, dev))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sql_is_recognised_in_string_literals_only() {
        assert!(sql_in(r#"conn.query("SELECT id FROM tickets", &[])"#));
        assert!(sql_in(
            r#"    "UPDATE tickets SET status = $1 WHERE id = $2","#
        ));
        assert!(sql_in(r#"format!("INSERT INTO x VALUES ($1)")"#));
        assert!(!sql_in(r#"tr.t("select-ticket")"#));
        assert!(!sql_in(r#""Update the ticket's subject""#));
        assert!(!sql_in("// SELECT in a comment"));
        assert!(may_hold_sql("crates/ticketing/src/repo/tickets.rs"));
        assert!(may_hold_sql("crates/webhooks/src/repo.rs"));
        assert!(!may_hold_sql("crates/ticketing/src/tickets/commands.rs"));
    }

    #[test]
    fn the_dependency_table_is_read() {
        let doc = "# x\n\n## Allowed dependencies\n\n| crate | may depend on |\n|---|---|\n| `kernel` | `domain`, `store` |\n| `domain` | |\n\n## Next\n| `nope` | `x` |\n";
        assert_eq!(
            allowed_dependencies(doc),
            vec![
                (
                    "kernel".to_string(),
                    vec!["domain".to_string(), "store".to_string()]
                ),
                ("domain".to_string(), vec![])
            ]
        );
    }

    #[test]
    fn fluent_keys_skip_attributes_and_comments() {
        let keys = fluent_keys("# comment\nhello = Hi\n    .title = T\nbye = { $name } left\n");
        assert_eq!(keys, vec!["hello", "bye"]);
    }
}
