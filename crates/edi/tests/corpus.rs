//! Every sample of the EDI corpus is read without a panic: an interchange (with its problems)
//! or a refusal naming why.

use std::path::Path;
use tiski_edi::{Syntax, parse};

fn files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            files(&path, out);
        } else if path.file_name().is_some_and(|n| n != "SOURCES.md") {
            out.push(path);
        }
    }
}

#[test]
fn every_sample_is_read_or_refused() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpora/edi");
    let mut all = Vec::new();
    files(&root, &mut all);
    all.sort();
    assert!(all.len() > 100, "the corpus is at {}", root.display());
    let mut clean = 0;
    for path in &all {
        let bytes = std::fs::read(path).unwrap();
        let text = String::from_utf8(bytes.clone())
            .unwrap_or_else(|_| bytes.iter().map(|&b| b as char).collect());
        let syntax = if text
            .trim_start_matches('\u{feff}')
            .trim_start()
            .starts_with("ISA")
        {
            Syntax::X12
        } else {
            Syntax::Edifact
        };
        let name = path.strip_prefix(&root).unwrap().display().to_string();
        match parse(&text, syntax) {
            Ok(ic) => {
                let problems = ic.all_problems();
                let kinds: Vec<_> = ic.messages().map(|m| m.kind.clone()).collect();
                if problems.is_empty() {
                    clean += 1;
                }
                println!(
                    "{name}\t{:?}\t{}\t{}",
                    kinds,
                    problems.len(),
                    problems
                        .first()
                        .map(|p| format!("{} {}", p.path, p.message))
                        .unwrap_or_default()
                );
            }
            Err(fatal) => println!("{name}\trefused\t{fatal}"),
        }
    }
    assert!(clean > 45, "only {clean} samples read without problems");
}
