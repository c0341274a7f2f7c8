//! A gzip-compressed tar archive (POSIX ustar), written in memory: enough for an export of
//! one customer (a JSON document and their files), with no dependency beyond `flate2`.

use flate2::Compression;
use flate2::write::GzEncoder;
use std::io::Write;

/// Packs `(path, bytes)` entries into a `.tar.gz`. Paths are made safe ([`safe_path`]).
pub fn tar_gz(entries: &[(String, Vec<u8>)], mtime: i64) -> std::io::Result<Vec<u8>> {
    let mut gz = GzEncoder::new(Vec::new(), Compression::default());
    for (path, bytes) in entries {
        gz.write_all(&header(&safe_path(path), bytes.len() as u64, mtime))?;
        gz.write_all(bytes)?;
        let pad = (512 - bytes.len() % 512) % 512;
        gz.write_all(&vec![0u8; pad])?;
    }
    gz.write_all(&[0u8; 1024])?;
    gz.finish()
}

/// A path of ASCII letters, digits, `.`, `-`, `_` and `/` separators, at most 100 bytes, never
/// absolute and never climbing (`..`): what a customer named a file cannot place it
/// elsewhere when the archive is unpacked.
pub fn safe_path(path: &str) -> String {
    let cleaned: Vec<String> = path
        .split('/')
        .map(|part| {
            part.chars()
                .map(|c| {
                    if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                        c
                    } else {
                        '_'
                    }
                })
                .collect::<String>()
        })
        .filter(|part| !part.is_empty() && part.chars().any(|c| c != '.'))
        .collect();
    let joined = cleaned.join("/");
    let joined = if joined.is_empty() {
        "file".to_string()
    } else {
        joined
    };
    if joined.len() <= 100 {
        return joined;
    }
    // Keep the folders and the end of an over-long name (with its extension).
    let (dir, name) = joined.rsplit_once('/').unwrap_or(("", &joined));
    let room = 100usize.saturating_sub(dir.len() + 1).max(1);
    let tail = &name[name.len().saturating_sub(room)..];
    if dir.is_empty() || dir.len() > 90 {
        return joined[joined.len() - 100..]
            .trim_start_matches('/')
            .to_string();
    }
    format!("{dir}/{tail}")
}

fn header(path: &str, size: u64, mtime: i64) -> [u8; 512] {
    let mut h = [0u8; 512];
    let field = |h: &mut [u8; 512], at: usize, value: &[u8]| {
        h[at..at + value.len()].copy_from_slice(value);
    };
    field(&mut h, 0, path.as_bytes());
    field(&mut h, 100, b"0000644\0");
    field(&mut h, 108, b"0000000\0");
    field(&mut h, 116, b"0000000\0");
    field(&mut h, 124, format!("{size:011o}\0").as_bytes());
    field(&mut h, 136, format!("{:011o}\0", mtime.max(0)).as_bytes());
    field(&mut h, 148, b"        ");
    h[156] = b'0';
    field(&mut h, 257, b"ustar\0");
    field(&mut h, 263, b"00");
    let sum: u32 = h.iter().map(|&b| u32::from(b)).sum();
    field(&mut h, 148, format!("{sum:06o}\0 ").as_bytes());
    h
}

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::read::GzDecoder;
    use std::io::Read;

    #[test]
    fn paths_stay_inside_the_archive() {
        assert_eq!(safe_path("../../etc/passwd"), "etc/passwd");
        assert_eq!(safe_path("/abs/x.txt"), "abs/x.txt");
        assert_eq!(safe_path("files/3/réseau ü.pdf"), "files/3/r_seau__.pdf");
        assert_eq!(safe_path(""), "file");
        assert_eq!(safe_path(&"a".repeat(300)).len(), 100);
        let long = safe_path(&format!("files/12/{}.pdf", "n".repeat(300)));
        assert!(
            long.starts_with("files/12/n") && long.ends_with(".pdf") && long.len() == 100,
            "{long}"
        );
    }

    #[test]
    fn an_archive_holds_its_entries() {
        let archive = tar_gz(
            &[
                ("customer.json".into(), b"{}".to_vec()),
                ("files/1/a.txt".into(), vec![b'x'; 600]),
            ],
            1_700_000_000,
        )
        .unwrap();
        let mut tar = Vec::new();
        GzDecoder::new(&archive[..]).read_to_end(&mut tar).unwrap();
        assert_eq!(tar.len(), 512 + 512 + 512 + 1024 + 1024);
        assert_eq!(&tar[0..13], b"customer.json");
        assert_eq!(&tar[257..262], b"ustar");
        assert_eq!(&tar[1024..1037], b"files/1/a.txt");
        assert_eq!(tar[1536], b'x');
    }
}
