//! The two migration trees build the same schema: a fresh SQLite database and a fresh
//! PostgreSQL schema, both migrated by the store, have the same tables, the same columns (types
//! compared loosely, and whether they take NULL) and the same indexes. Needs
//! `TISKI_TEST_DATABASE_URL`; without it the comparison is skipped.
//!
//! Indexes made by `CREATE INDEX` are matched by name. Indexes behind a PRIMARY KEY or UNIQUE
//! constraint are named by each engine in its own way (`sqlite_autoindex_…`, `…_key`), so they
//! are matched by table, kind and columns instead. SQLite's `INTEGER PRIMARY KEY` is the rowid
//! and has no index of its own; primary keys are therefore read from the table's columns on
//! SQLite and from the primary-key index on PostgreSQL.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use tiski_store::{Conn, Location, Row, Store, StoreError, params};

/// A column type as the store sees it: the five kinds of [`tiski_store::Value`] but NULL.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Kind {
    /// SQLite's INTEGER affinity; PostgreSQL's integers and booleans (the store reads and binds
    /// a boolean as an integer, so one is as good as the other to it).
    Integer,
    /// SQLite's TEXT affinity; PostgreSQL's text, varchar and char.
    Text,
    /// SQLite's REAL affinity; PostgreSQL's real and double precision.
    Real,
    /// SQLite's BLOB affinity; PostgreSQL's bytea.
    Bytes,
    /// Anything else, such as SQLite's NUMERIC affinity or PostgreSQL's numeric or json.
    Other,
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Kind::Integer => "integer",
            Kind::Text => "text",
            Kind::Real => "real",
            Kind::Bytes => "bytes",
            Kind::Other => "other",
        })
    }
}

/// SQLite's rules for the affinity of a declared type (section 3.1 of "Datatypes In SQLite").
fn sqlite_kind(declared: &str) -> Kind {
    let upper = declared.to_uppercase();
    if upper.contains("INT") {
        Kind::Integer
    } else if ["CHAR", "CLOB", "TEXT"].iter().any(|t| upper.contains(t)) {
        Kind::Text
    } else if upper.contains("BLOB") || upper.is_empty() {
        Kind::Bytes
    } else if ["REAL", "FLOA", "DOUB"].iter().any(|t| upper.contains(t)) {
        Kind::Real
    } else {
        Kind::Other
    }
}

/// `information_schema.columns.data_type` of PostgreSQL.
fn postgres_kind(data_type: &str) -> Kind {
    match data_type {
        "smallint" | "integer" | "bigint" | "boolean" => Kind::Integer,
        "text" | "character varying" | "character" | "name" => Kind::Text,
        "real" | "double precision" => Kind::Real,
        "bytea" => Kind::Bytes,
        _ => Kind::Other,
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Column {
    kind: Kind,
    /// The type as the engine spells it, for messages.
    declared: String,
    not_null: bool,
    /// Part of the primary key (read on SQLite only, for [`differences`]).
    in_primary_key: bool,
}

impl fmt::Display for Column {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} ({}){}",
            self.kind,
            self.declared,
            if self.not_null { " NOT NULL" } else { "" }
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Index {
    table: String,
    columns: Vec<String>,
    unique: bool,
    /// The WHERE clause of a partial index, normalised by [`predicate`].
    predicate: Option<String>,
}

impl fmt::Display for Index {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}on {} ({})",
            if self.unique { "unique " } else { "" },
            self.table,
            self.columns.join(", ")
        )?;
        if let Some(predicate) = &self.predicate {
            write!(f, " where {predicate}")?;
        }
        Ok(())
    }
}

/// A schema as far as the comparison goes.
#[derive(Debug, Clone, Default)]
struct Schema {
    /// Columns by table, then by name.
    tables: BTreeMap<String, BTreeMap<String, Column>>,
    /// Indexes by their key: the name of an index made by `CREATE INDEX`, otherwise
    /// `<table> primary key (<columns>)` or `<table> unique (<columns>)`.
    indexes: BTreeMap<String, Index>,
}

/// The key of an index that backs a constraint.
fn constraint_key(table: &str, primary: bool, columns: &[String]) -> String {
    format!(
        "{table} {} ({})",
        if primary { "primary key" } else { "unique" },
        columns.join(", ")
    )
}

/// A partial index's condition reduced to what both engines agree on: PostgreSQL adds
/// parentheses and casts (`(status = 'solved'::text)`), SQLite keeps the text as written.
fn predicate(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text.trim();
    while let Some(position) = rest.find("::") {
        out.push_str(&rest[..position]);
        rest = rest[position + 2..].trim_start_matches(|c: char| c.is_alphanumeric() || c == '_');
    }
    out.push_str(rest);
    out.chars()
        .filter(|c| *c != '(' && *c != ')' && *c != '"')
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

fn text(row: &Row, index: usize) -> Result<String, StoreError> {
    Ok(row.get::<Option<String>>(index)?.unwrap_or_default())
}

fn read_sqlite(conn: &mut dyn Conn) -> Result<Schema, StoreError> {
    let mut schema = Schema::default();
    let tables = conn.query(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name",
        &[],
    )?;
    for table in tables.iter().map(|row| text(row, 0)) {
        let table = table?;
        let mut columns = BTreeMap::new();
        let mut primary = Vec::new();
        for row in conn.query(
            "SELECT name, type, \"notnull\", pk FROM pragma_table_info($1) ORDER BY cid",
            params![table.as_str()],
        )? {
            let name = text(&row, 0)?;
            let declared = text(&row, 1)?;
            let pk: i64 = row.get(3)?;
            if pk > 0 {
                primary.push((pk, name.clone()));
            }
            columns.insert(
                name,
                Column {
                    kind: sqlite_kind(&declared),
                    declared,
                    not_null: row.get(2)?,
                    in_primary_key: pk > 0,
                },
            );
        }
        if let [(_, only)] = primary.as_slice()
            && let Some(column) = columns.get_mut(only)
            && column.declared.eq_ignore_ascii_case("INTEGER")
        {
            // An INTEGER PRIMARY KEY is the rowid, never NULL whatever it declares.
            column.not_null = true;
        }
        if !primary.is_empty() {
            primary.sort();
            let columns: Vec<String> = primary.into_iter().map(|(_, name)| name).collect();
            schema.indexes.insert(
                constraint_key(&table, true, &columns),
                Index {
                    table: table.clone(),
                    columns,
                    unique: true,
                    predicate: None,
                },
            );
        }
        for row in conn.query(
            "SELECT name, \"unique\", origin, partial FROM pragma_index_list($1)",
            params![table.as_str()],
        )? {
            let name = text(&row, 0)?;
            let unique: bool = row.get(1)?;
            let origin = text(&row, 2)?;
            if origin == "pk" {
                continue; // read from the columns above
            }
            let columns = conn
                .query(
                    "SELECT name FROM pragma_index_info($1) ORDER BY seqno",
                    params![name.as_str()],
                )?
                .iter()
                .map(|row| {
                    Ok(row
                        .get::<Option<String>>(0)?
                        .unwrap_or_else(|| "<expression>".into()))
                })
                .collect::<Result<Vec<_>, StoreError>>()?;
            let predicate = if row.get(3)? {
                let sql: String = conn.query_scalar(
                    "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = $1",
                    params![name.as_str()],
                )?;
                let sql = sql.split_whitespace().collect::<Vec<_>>().join(" ");
                let at = sql
                    .to_ascii_uppercase()
                    .rfind(" WHERE ")
                    .expect("a partial index has a WHERE");
                Some(predicate(&sql[at + " WHERE ".len()..]))
            } else {
                None
            };
            let key = if origin == "u" {
                constraint_key(&table, false, &columns)
            } else {
                name
            };
            schema.indexes.insert(
                key,
                Index {
                    table: table.clone(),
                    columns,
                    unique,
                    predicate,
                },
            );
        }
        schema.tables.insert(table, columns);
    }
    Ok(schema)
}

fn read_postgres(conn: &mut dyn Conn) -> Result<Schema, StoreError> {
    let mut schema = Schema::default();
    for row in conn.query(
        "SELECT table_name::text FROM information_schema.tables \
         WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY 1",
        &[],
    )? {
        schema.tables.insert(text(&row, 0)?, BTreeMap::new());
    }
    for row in conn.query(
        "SELECT table_name::text, column_name::text, data_type::text, is_nullable::text \
         FROM information_schema.columns WHERE table_schema = current_schema() \
         ORDER BY table_name, ordinal_position",
        &[],
    )? {
        let Some(columns) = schema.tables.get_mut(&text(&row, 0)?) else {
            continue; // a view's column
        };
        let declared = text(&row, 2)?;
        columns.insert(
            text(&row, 1)?,
            Column {
                kind: postgres_kind(&declared),
                declared,
                not_null: text(&row, 3)? == "NO",
                in_primary_key: false,
            },
        );
    }
    // Key columns one per line, separated by a control character no name contains.
    for row in conn.query(
        "SELECT i.tablename::text, i.indexname::text, x.indisunique, x.indisprimary, \
                EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid \
                        AND k.contype IN ('p', 'u')), \
                pg_get_expr(x.indpred, x.indrelid), \
                (SELECT string_agg(pg_get_indexdef(x.indexrelid, n, true), chr(31) ORDER BY n) \
                 FROM generate_series(1, x.indnkeyatts::int) AS n) \
         FROM pg_indexes i \
         JOIN pg_namespace s ON s.nspname = i.schemaname \
         JOIN pg_class c ON c.relname = i.indexname AND c.relnamespace = s.oid \
         JOIN pg_index x ON x.indexrelid = c.oid \
         WHERE i.schemaname = current_schema() ORDER BY 1, 2",
        &[],
    )? {
        let table = text(&row, 0)?;
        let name = text(&row, 1)?;
        let unique: bool = row.get(2)?;
        let primary: bool = row.get(3)?;
        let backs_constraint: bool = row.get(4)?;
        let predicate = row.get::<Option<String>>(5)?.map(|p| predicate(&p));
        let columns: Vec<String> = text(&row, 6)?
            .split('\u{1f}')
            .map(|c| c.trim_matches('"').to_owned())
            .collect();
        let key = if backs_constraint {
            constraint_key(&table, primary, &columns)
        } else {
            name
        };
        schema.indexes.insert(
            key,
            Index {
                table,
                columns,
                unique,
                predicate,
            },
        );
    }
    Ok(schema)
}

/// The schema less the full-text index, which each engine builds its own way (migration 0017):
/// SQLite's FTS5 table `search_fts` and its shadow tables `search_fts_…`, PostgreSQL's
/// `search_documents.tsv` column and its GIN index. The rows they index (`search_documents`)
/// are compared as usual.
fn without_full_text(mut schema: Schema) -> Schema {
    schema
        .tables
        .retain(|name, _| !name.starts_with("search_fts"));
    if let Some(columns) = schema.tables.get_mut("search_documents") {
        columns.remove("tsv");
    }
    schema.indexes.retain(|name, index| {
        !index.table.starts_with("search_fts") && name != "search_documents_tsv"
    });
    schema
}

/// What the comparison found, one readable line each.
#[derive(Debug, Default)]
struct Found {
    /// Differences that fail the test.
    differences: Vec<String>,
    /// Differences known to come from the engines rather than the migrations: SQLite lets a
    /// primary-key column that is not the rowid hold NULL unless it says NOT NULL (a quirk it
    /// keeps for compatibility), where PostgreSQL makes every primary-key column NOT NULL.
    notes: Vec<String>,
}

/// Every difference between the two schemas.
fn differences(sqlite: &Schema, postgres: &Schema) -> Found {
    let mut found = Found::default();
    let out = &mut found.differences;
    let tables: BTreeSet<&String> = sqlite.tables.keys().chain(postgres.tables.keys()).collect();
    for table in tables {
        let (lite, pg) = match (sqlite.tables.get(table), postgres.tables.get(table)) {
            (Some(lite), Some(pg)) => (lite, pg),
            (Some(_), None) => {
                out.push(format!("table {table}: only on SQLite"));
                continue;
            }
            (None, Some(_)) => {
                out.push(format!("table {table}: only on PostgreSQL"));
                continue;
            }
            (None, None) => unreachable!(),
        };
        let names: BTreeSet<&String> = lite.keys().chain(pg.keys()).collect();
        for name in names {
            match (lite.get(name), pg.get(name)) {
                (Some(l), Some(p))
                    if l.kind == p.kind && l.in_primary_key && !l.not_null && p.not_null =>
                {
                    found.notes.push(format!(
                        "column {table}.{name}: SQLite {l}, PostgreSQL {p} (a primary key without NOT NULL on SQLite)"
                    ));
                }
                (Some(l), Some(p)) if l.kind != p.kind || l.not_null != p.not_null => {
                    out.push(format!("column {table}.{name}: SQLite {l}, PostgreSQL {p}"));
                }
                (Some(_), Some(_)) => {}
                (Some(l), None) => out.push(format!("column {table}.{name}: only on SQLite ({l})")),
                (None, Some(p)) => {
                    out.push(format!("column {table}.{name}: only on PostgreSQL ({p})"))
                }
                (None, None) => unreachable!(),
            }
        }
    }
    let keys: BTreeSet<&String> = sqlite
        .indexes
        .keys()
        .chain(postgres.indexes.keys())
        .collect();
    for key in keys {
        match (sqlite.indexes.get(key), postgres.indexes.get(key)) {
            (Some(l), Some(p)) if l != p => {
                out.push(format!("index {key}: SQLite {l}, PostgreSQL {p}"));
            }
            (Some(_), Some(_)) => {}
            (Some(l), None) => out.push(format!("index {key}: only on SQLite ({l})")),
            (None, Some(p)) => out.push(format!("index {key}: only on PostgreSQL ({p})")),
            (None, None) => unreachable!(),
        }
    }
    found
}

/// A store on a fresh PostgreSQL schema of `url`.
async fn fresh_postgres(url: &str) -> Store {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    let schema = format!("s_schema_{}_{nanos}", std::process::id());
    let setup_url = url.to_owned();
    let create = format!("CREATE SCHEMA {schema}");
    // The synchronous client runs a runtime of its own, so not on this one's thread.
    std::thread::spawn(move || {
        let mut client = postgres::Client::connect(&setup_url, postgres::NoTls).unwrap();
        client.batch_execute(&create).unwrap();
    })
    .join()
    .unwrap();
    let separator = if url.contains('?') { '&' } else { '?' };
    let url = format!("{url}{separator}options=-c%20search_path%3D{schema}");
    Store::open(Location::Postgres { url, pool_size: 2 })
        .await
        .unwrap()
}

#[tokio::test]
async fn sqlite_and_postgres_migrations_build_the_same_schema() {
    let url = match std::env::var("TISKI_TEST_DATABASE_URL") {
        Ok(url) if !url.is_empty() => url,
        _ => {
            println!(
                "skipped: TISKI_TEST_DATABASE_URL is not set, so there is no PostgreSQL schema to compare"
            );
            return;
        }
    };
    let dir = tempfile::tempdir().unwrap();
    let lite_store = Store::open(Location::sqlite(dir.path().join("schema.db")))
        .await
        .unwrap();
    let sqlite = without_full_text(lite_store.read(read_sqlite).await.unwrap());
    lite_store.close().await;
    let pg_store = fresh_postgres(&url).await;
    let postgres = without_full_text(pg_store.read(read_postgres).await.unwrap());
    pg_store.close().await;

    // Guard against comparing two empty readings.
    assert!(sqlite.tables.contains_key("tickets"), "{sqlite:#?}");
    assert!(postgres.tables.contains_key("tickets"), "{postgres:#?}");

    let found = differences(&sqlite, &postgres);
    for note in &found.notes {
        println!("note: {note}");
    }
    assert!(
        found.differences.is_empty(),
        "the SQLite and PostgreSQL migrations build different schemas ({} differences):\n  {}\n",
        found.differences.len(),
        found.differences.join("\n  ")
    );
    println!(
        "schemas agree: {} tables, {} columns, {} indexes",
        sqlite.tables.len(),
        sqlite.tables.values().map(BTreeMap::len).sum::<usize>(),
        sqlite.indexes.len()
    );
}

/// The comparison itself, without a database: each kind of difference gets its line.
#[test]
fn differences_name_each_kind_of_mismatch() {
    let column = |kind, declared: &str, not_null| Column {
        kind,
        declared: declared.into(),
        not_null,
        in_primary_key: false,
    };
    let index = |columns: &[&str], unique, predicate: Option<&str>| Index {
        table: "t".into(),
        columns: columns.iter().map(|c| c.to_string()).collect(),
        unique,
        predicate: predicate.map(Into::into),
    };
    let mut lite = Schema::default();
    lite.tables.insert(
        "t".into(),
        BTreeMap::from([
            ("id".into(), column(Kind::Integer, "INTEGER", true)),
            ("a".into(), column(Kind::Text, "TEXT", true)),
            ("b".into(), column(Kind::Integer, "INTEGER", false)),
            ("only_lite".into(), column(Kind::Real, "REAL", false)),
            (
                "key".into(),
                Column {
                    in_primary_key: true,
                    ..column(Kind::Text, "TEXT", false)
                },
            ),
        ]),
    );
    lite.tables.insert("gone".into(), BTreeMap::new());
    lite.indexes
        .insert("t_a".into(), index(&["a"], false, None));
    lite.indexes.insert(
        "t_b".into(),
        index(&["b"], false, Some(&predicate("a = 'x'"))),
    );
    let mut pg = Schema::default();
    pg.tables.insert(
        "t".into(),
        BTreeMap::from([
            ("id".into(), column(Kind::Integer, "bigint", true)),
            ("a".into(), column(Kind::Bytes, "bytea", true)),
            ("b".into(), column(Kind::Integer, "bigint", true)),
            ("key".into(), column(Kind::Text, "text", true)),
        ]),
    );
    pg.indexes
        .insert("t_a".into(), index(&["a", "id"], true, None));
    pg.indexes.insert(
        "t_b".into(),
        index(&["b"], false, Some(&predicate("(a = 'x'::text)"))),
    );
    pg.indexes.insert("t_c".into(), index(&["b"], false, None));
    let found = differences(&lite, &pg);
    assert_eq!(
        found.notes,
        [
            "column t.key: SQLite text (TEXT), PostgreSQL text (text) NOT NULL (a primary key without NOT NULL on SQLite)"
        ]
    );
    assert_eq!(
        found.differences,
        [
            "table gone: only on SQLite",
            "column t.a: SQLite text (TEXT) NOT NULL, PostgreSQL bytes (bytea) NOT NULL",
            "column t.b: SQLite integer (INTEGER), PostgreSQL integer (bigint) NOT NULL",
            "column t.only_lite: only on SQLite (real (REAL))",
            "index t_a: SQLite on t (a), PostgreSQL unique on t (a, id)",
            "index t_c: only on PostgreSQL (on t (b))",
        ]
    );
    assert_eq!(sqlite_kind("BIGINT"), Kind::Integer);
    assert_eq!(sqlite_kind("VARCHAR(20)"), Kind::Text);
    assert_eq!(sqlite_kind("BLOB"), Kind::Bytes);
    assert_eq!(sqlite_kind("DOUBLE PRECISION"), Kind::Real);
    assert_eq!(sqlite_kind("NUMERIC"), Kind::Other);
    assert_eq!(postgres_kind("double precision"), Kind::Real);
}
