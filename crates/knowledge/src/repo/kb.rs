//! The knowledge base's SQL: `kb_articles`, `kb_article_versions`, and the article sections
//! in `search_documents`.

use tiski_kernel::{AppError, AppResult, Engine, Sql};
use tiski_store::{Conn, Row, params};

use crate::kb::{ArticleView, VersionView};

const COLUMNS: &str = "id, title, body, language, visibility, category_id, tags, translation_group, version, created_by, created_at, updated_at";

fn view(row: &Row) -> AppResult<ArticleView> {
    let tags: String = row.get(6)?;
    Ok(ArticleView {
        id: row.get(0)?,
        title: row.get(1)?,
        body: row.get(2)?,
        html: String::new(),
        language: row.get(3)?,
        visibility: row.get(4)?,
        category_id: row.get(5)?,
        tags: serde_json::from_str(&tags)
            .map_err(|e| AppError::Corrupt(format!("kb_articles.tags: {e}")))?,
        translation_group: row.get(7)?,
        version: row.get(8)?,
        created_by: row.get(9)?,
        created_at: tiski_kernel::time::format(row.get(10)?),
        updated_at: tiski_kernel::time::format(row.get(11)?),
    })
}

/// What a save writes.
pub(crate) struct Saved<'a> {
    pub title: &'a str,
    pub body: &'a str,
    pub language: &'a str,
    pub visibility: &'a str,
    pub category_id: Option<i64>,
    pub tags: &'a [String],
}

/// Inserts an article at version 1 (its own translation group unless `group` is given).
pub(crate) fn insert(
    conn: &mut dyn Conn,
    a: &Saved<'_>,
    group: Option<i64>,
    author: Option<i64>,
    now: i64,
) -> AppResult<i64> {
    let tags = serde_json::to_string(a.tags).map_err(|e| AppError::Corrupt(e.to_string()))?;
    let id: i64 = conn.query_scalar(
        "INSERT INTO kb_articles (title, body, language, visibility, category_id, tags, translation_group, version, created_by, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, 0, 1, $7, $8, $8) RETURNING id",
        params![a.title, a.body, a.language, a.visibility, a.category_id, tags, author, now],
    )?;
    conn.execute(
        "UPDATE kb_articles SET translation_group = $1 WHERE id = $2",
        params![group.unwrap_or(id), id],
    )?;
    Ok(id)
}

/// Writes a new version of an article's content.
pub(crate) fn update(
    conn: &mut dyn Conn,
    id: i64,
    a: &Saved<'_>,
    version: i64,
    now: i64,
) -> AppResult<()> {
    let tags = serde_json::to_string(a.tags).map_err(|e| AppError::Corrupt(e.to_string()))?;
    conn.execute(
        "UPDATE kb_articles SET title = $1, body = $2, language = $3, visibility = $4, category_id = $5, tags = $6, version = $7, updated_at = $8 WHERE id = $9",
        params![a.title, a.body, a.language, a.visibility, a.category_id, tags, version, now, id],
    )?;
    Ok(())
}

/// Records a version.
pub(crate) fn insert_version(
    conn: &mut dyn Conn,
    id: i64,
    version: i64,
    a: &Saved<'_>,
    author: Option<i64>,
    now: i64,
) -> AppResult<()> {
    conn.execute(
        "INSERT INTO kb_article_versions (article_id, version, title, body, author_id, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
        params![id, version, a.title, a.body, author, now],
    )?;
    Ok(())
}

/// An article.
pub(crate) fn get(conn: &mut dyn Conn, id: i64) -> AppResult<Option<ArticleView>> {
    conn.query_opt(
        &format!("SELECT {COLUMNS} FROM kb_articles WHERE id = $1"),
        params![id],
    )?
    .map(|row| view(&row))
    .transpose()
}

/// Articles with ids below `before`, newest first, optionally of one language.
pub(crate) fn list(
    conn: &mut dyn Conn,
    language: Option<&str>,
    before: i64,
    limit: i64,
) -> AppResult<Vec<ArticleView>> {
    let mut sql = Sql::new(conn.engine());
    let before = sql.bind(before);
    let language = match language {
        Some(l) => format!("AND language = {}", sql.bind(l)),
        None => String::new(),
    };
    let limit = sql.bind(limit);
    conn.query(
        &format!("SELECT {COLUMNS} FROM kb_articles WHERE id < {before} {language} ORDER BY id DESC LIMIT {limit}"),
        sql.params(),
    )?
    .iter()
    .map(view)
    .collect()
}

/// The articles of a translation group, oldest first.
pub(crate) fn group(conn: &mut dyn Conn, group: i64) -> AppResult<Vec<ArticleView>> {
    conn.query(
        &format!("SELECT {COLUMNS} FROM kb_articles WHERE translation_group = $1 ORDER BY id"),
        params![group],
    )?
    .iter()
    .map(view)
    .collect()
}

/// An article's versions, newest first.
pub(crate) fn versions(conn: &mut dyn Conn, id: i64) -> AppResult<Vec<VersionView>> {
    conn.query(
        "SELECT version, title, body, author_id, created_at FROM kb_article_versions WHERE article_id = $1 ORDER BY version DESC",
        params![id],
    )?
    .iter()
    .map(|row| {
        Ok(VersionView {
            version: row.get(0)?,
            title: row.get(1)?,
            body: row.get(2)?,
            author_id: row.get(3)?,
            created_at: tiski_kernel::time::format(row.get(4)?),
        })
    })
    .collect()
}

/// Deletes an article, its versions and its sections in the index.
pub(crate) fn delete(conn: &mut dyn Conn, id: i64) -> AppResult<()> {
    delete_sections(conn, id)?;
    conn.execute(
        "DELETE FROM kb_article_versions WHERE article_id = $1",
        params![id],
    )?;
    conn.execute("DELETE FROM kb_articles WHERE id = $1", params![id])?;
    Ok(())
}

/// Removes an article's sections from the index.
pub(crate) fn delete_sections(conn: &mut dyn Conn, id: i64) -> AppResult<()> {
    let mut sql = Sql::new(conn.engine());
    let id = sql.bind(id);
    super::delete_where(
        conn,
        sql,
        &format!("article_id = {id} AND kind = 'article'"),
    )
}

/// Indexes one section of an article.
pub(crate) fn insert_section(
    conn: &mut dyn Conn,
    id: i64,
    position: i64,
    internal: bool,
    language: &str,
    (terms, words): (&str, &str),
) -> AppResult<()> {
    if terms.is_empty() {
        return Ok(());
    }
    conn.execute(
        "INSERT INTO search_documents (kind, article_id, position, internal, language, terms, words) VALUES ('article', $1, $2, $3, $4, $5, $6)",
        params![id, position, i64::from(internal), language, terms, words],
    )?;
    super::vocab::add(conn, &format!("{terms} {words}"))
}

/// A candidate section: article, position, its terms, and the engine's rank (higher better).
pub(crate) struct SectionHit {
    pub article_id: i64,
    pub position: i64,
    pub terms: String,
    pub rank: f64,
}

/// Sections holding any of `terms`, best first by the engine, at most `limit`; of one
/// language (its primary subtag) when given; internal articles' only when `internal`.
pub(crate) fn sections(
    conn: &mut dyn Conn,
    terms: &[String],
    language: Option<&str>,
    internal: bool,
    limit: i64,
) -> AppResult<Vec<SectionHit>> {
    let Some(expression) = super::match_expression(conn.engine(), &[terms.to_vec()]) else {
        return Ok(Vec::new());
    };
    let mut sql = Sql::new(conn.engine());
    let q = sql.bind(expression);
    let mut language = match language {
        Some(l) => format!(
            "AND (a.language = {} OR a.language LIKE {})",
            sql.bind(l),
            sql.bind(format!("{l}-%"))
        ),
        None => String::new(),
    };
    if !internal {
        language.push_str(" AND d.internal = 0");
    }
    let limit = sql.bind(limit);
    let text = match conn.engine() {
        Engine::Sqlite => format!(
            "SELECT d.article_id, d.position, d.terms, -bm25(search_fts) FROM search_fts \
             JOIN search_documents d ON d.id = search_fts.rowid JOIN kb_articles a ON a.id = d.article_id \
             WHERE search_fts MATCH {q} AND d.kind = 'article' {language} ORDER BY bm25(search_fts), d.id LIMIT {limit}"
        ),
        Engine::Postgres => format!(
            "SELECT d.article_id, d.position, d.terms, CAST(ts_rank(d.tsv, to_tsquery('simple', {q})) AS DOUBLE PRECISION) AS score \
             FROM search_documents d JOIN kb_articles a ON a.id = d.article_id \
             WHERE d.tsv @@ to_tsquery('simple', {q}) AND d.kind = 'article' {language} ORDER BY score DESC, d.id LIMIT {limit}"
        ),
    };
    conn.query(&text, sql.params())?
        .iter()
        .map(|row| {
            Ok(SectionHit {
                article_id: row.get(0)?,
                position: row.get(1)?,
                terms: row.get(2)?,
                rank: row.get(3)?,
            })
        })
        .collect()
}
