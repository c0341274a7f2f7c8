//! The knowledge base: articles in Markdown (rendered sanitised), a version on every save,
//! translations linked by a shared group, and a search over their sections that answers
//! nothing rather than a poor match.

pub(crate) mod find;
pub mod rules;

use serde::{Deserialize, Serialize};
use tiski_domain::event::{ArticleDeleted, ArticleSaved};
use tiski_domain::{LanguageTag, Permission};
use tiski_kernel::{Actor, AppError, AppResult, Conn};

use crate::Knowledge;
use crate::analyze::{Language, analyse};
use crate::repo::kb as repo;

/// The share of the query's words a section must hold to answer it at all.
pub const MIN_COVERAGE: f64 = 0.6;

/// Who may read an article.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Visibility {
    /// Everyone, the customer portal too (later).
    Public,
    /// Staff only.
    Internal,
}

impl Visibility {
    fn as_str(self) -> &'static str {
        match self {
            Visibility::Public => "public",
            Visibility::Internal => "internal",
        }
    }
}

/// A new article.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewArticle {
    /// The title.
    pub title: String,
    /// Markdown; `##` headings make sections.
    pub body: String,
    /// Its language (BCP 47).
    pub language: String,
    /// `public` or `internal`.
    pub visibility: Visibility,
    /// Its category.
    #[serde(default)]
    pub category_id: Option<i64>,
    /// Tags.
    #[serde(default)]
    pub tags: Vec<String>,
    /// The article this one translates: both then list each other as translations.
    #[serde(default)]
    pub translation_of: Option<i64>,
}

/// A change to an article; absent fields stay. Every change is a new version.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ArticlePatch {
    /// The title.
    pub title: Option<String>,
    /// Markdown.
    pub body: Option<String>,
    /// Its language.
    pub language: Option<String>,
    /// `public` or `internal`.
    pub visibility: Option<Visibility>,
    /// Its category.
    pub category_id: Option<i64>,
    /// Tags (replacing the old ones).
    pub tags: Option<Vec<String>>,
}

/// An article.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ArticleView {
    /// The article.
    pub id: i64,
    /// The title.
    pub title: String,
    /// The Markdown as written.
    pub body: String,
    /// The body rendered and sanitised.
    pub html: String,
    /// Its language.
    pub language: String,
    /// `public` or `internal`.
    pub visibility: String,
    /// Its category.
    pub category_id: Option<i64>,
    /// Tags.
    pub tags: Vec<String>,
    /// The translation group (the id of the group's first article).
    pub translation_group: i64,
    /// The current version, from 1.
    pub version: i64,
    /// Who wrote the first version.
    pub created_by: Option<i64>,
    /// When.
    pub created_at: String,
    /// When it last changed.
    pub updated_at: String,
}

/// One version of an article.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct VersionView {
    /// The version, from 1.
    pub version: i64,
    /// The title then.
    pub title: String,
    /// The Markdown then.
    pub body: String,
    /// Who saved it.
    pub author_id: Option<i64>,
    /// When.
    pub created_at: String,
}

/// A knowledge-base search hit: the best section of an article.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct KbHit {
    /// The article.
    pub article_id: i64,
    /// Its title.
    pub title: String,
    /// The heading of the matched section; null for the part before the first heading.
    pub section: Option<String>,
    /// HTML: the section's text around the first match, escaped, matches in `<mark>`.
    pub snippet: String,
    /// 0 to 1: the share of the query's words the section holds, refined by the engine's rank.
    pub score: f64,
}

/// A knowledge-base search's answer.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct KbResults {
    /// The hits, best first; none when nothing answers the query well.
    pub items: Vec<KbHit>,
}

/// Items of a list or lists' answer.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ArticleList {
    /// The articles, newest first.
    pub items: Vec<ArticleView>,
}

/// Versions of an article.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct VersionList {
    /// Newest first.
    pub items: Vec<VersionView>,
}

fn language(field: &str, tag: &str) -> AppResult<String> {
    LanguageTag::parse(tag)
        .map(|t| t.as_str().to_owned())
        .map_err(|e| AppError::invalid(field, e.message))
}

/// The checked content of a save.
#[derive(Clone)]
struct Content {
    title: String,
    body: String,
    language: String,
    visibility: Visibility,
    category_id: Option<i64>,
    tags: Vec<String>,
}

impl Content {
    fn saved(&self) -> repo::Saved<'_> {
        repo::Saved {
            title: &self.title,
            body: &self.body,
            language: &self.language,
            visibility: self.visibility.as_str(),
            category_id: self.category_id,
            tags: &self.tags,
        }
    }
}

/// Writes an article's sections to the index (replacing what was there).
fn index(conn: &mut dyn Conn, id: i64, c: &Content) -> AppResult<()> {
    repo::delete_sections(conn, id)?;
    let analysis = Language::from_tag(Some(&c.language));
    let sections = rules::sections(&c.body);
    let only = sections.len() == 1;
    for section in sections {
        // An empty part before the first heading is no answer of its own; the title is
        // indexed with every section instead.
        if section.heading.is_none() && section.text.trim().is_empty() && !only {
            continue;
        }
        let head = section.heading.clone().unwrap_or_default();
        let text = format!("{}\n{head}\n{}", c.title, section.text);
        let terms = analyse(&text, analysis).join(" ");
        let internal = c.visibility == Visibility::Internal;
        let words = crate::analyze::surface(&text);
        repo::insert_section(
            conn,
            id,
            section.position,
            internal,
            &c.language,
            (&terms, &words),
        )?;
    }
    Ok(())
}

fn rendered(mut view: ArticleView) -> ArticleView {
    view.html = rules::render(&view.body);
    view
}

fn found(conn: &mut dyn Conn, id: i64) -> AppResult<ArticleView> {
    repo::get(conn, id)?.ok_or_else(|| AppError::not_found("article"))
}

impl Knowledge {
    /// Creates an article (version 1), indexed in the same transaction.
    pub async fn create_article(&self, actor: &Actor, new: NewArticle) -> AppResult<ArticleView> {
        let grant = actor.grant(Permission::KbWrite)?;
        let content = Content {
            title: rules::title(&new.title)?,
            body: rules::body(&new.body)?,
            language: language("language", &new.language)?,
            visibility: new.visibility,
            category_id: new.category_id,
            tags: rules::tags(&new.tags)?,
        };
        let translation_of = new.translation_of;
        self.kernel
            .command(&grant, "article.create", move |tx| {
                let group = match translation_of {
                    Some(of) => Some(
                        repo::get(tx.conn(), of)?
                            .ok_or_else(|| {
                                AppError::invalid("translation_of", "There is no such article.")
                            })?
                            .translation_group,
                    ),
                    None => None,
                };
                let author = Some(tx.actor().id).filter(|_| !tx.actor().is_system());
                let now = tx.now();
                let id = repo::insert(tx.conn(), &content.saved(), group, author, now)?;
                repo::insert_version(tx.conn(), id, 1, &content.saved(), author, now)?;
                index(tx.conn(), id, &content)?;
                tx.emit(
                    None,
                    ArticleSaved {
                        article_id: id,
                        version: 1,
                    },
                )?;
                found(tx.conn(), id).map(rendered)
            })
            .await
    }

    /// Changes an article: a new version, indexed in the same transaction.
    pub async fn update_article(
        &self,
        actor: &Actor,
        id: i64,
        patch: ArticlePatch,
    ) -> AppResult<ArticleView> {
        let grant = actor.grant(Permission::KbWrite)?;
        let title = patch.title.as_deref().map(rules::title).transpose()?;
        let body = patch.body.as_deref().map(rules::body).transpose()?;
        let lang = patch
            .language
            .as_deref()
            .map(|l| language("language", l))
            .transpose()?;
        let tags = patch.tags.as_deref().map(rules::tags).transpose()?;
        self.kernel
            .command(&grant, "article.update", move |tx| {
                let before = found(tx.conn(), id)?;
                let content = Content {
                    title: title.clone().unwrap_or(before.title.clone()),
                    body: body.clone().unwrap_or(before.body.clone()),
                    language: lang.clone().unwrap_or(before.language.clone()),
                    visibility: patch
                        .visibility
                        .unwrap_or(if before.visibility == "internal" {
                            Visibility::Internal
                        } else {
                            Visibility::Public
                        }),
                    category_id: patch.category_id.or(before.category_id),
                    tags: tags.clone().unwrap_or(before.tags.clone()),
                };
                let version = before.version + 1;
                let author = Some(tx.actor().id).filter(|_| !tx.actor().is_system());
                let now = tx.now();
                repo::update(tx.conn(), id, &content.saved(), version, now)?;
                repo::insert_version(tx.conn(), id, version, &content.saved(), author, now)?;
                index(tx.conn(), id, &content)?;
                tx.emit(
                    None,
                    ArticleSaved {
                        article_id: id,
                        version,
                    },
                )?;
                found(tx.conn(), id).map(rendered)
            })
            .await
    }

    /// Deletes an article with its versions and its place in the index.
    pub async fn delete_article(&self, actor: &Actor, id: i64) -> AppResult<()> {
        let grant = actor.grant(Permission::KbWrite)?;
        self.kernel
            .command(&grant, "article.delete", move |tx| {
                found(tx.conn(), id)?;
                repo::delete(tx.conn(), id)?;
                tx.emit(None, ArticleDeleted { article_id: id })
            })
            .await
    }

    /// An article.
    pub async fn article(&self, actor: &Actor, id: i64) -> AppResult<ArticleView> {
        let grant = actor.grant(Permission::KbRead)?;
        self.kernel
            .query(&grant, move |conn| found(conn, id).map(rendered))
            .await
    }

    /// Articles, newest first, optionally of one language.
    pub async fn articles(
        &self,
        actor: &Actor,
        lang: Option<String>,
        limit: i64,
    ) -> AppResult<ArticleList> {
        let grant = actor.grant(Permission::KbRead)?;
        let lang = lang
            .as_deref()
            .map(|l| language("language", l))
            .transpose()?;
        let limit = tiski_kernel::cursor::limit(Some(limit))?;
        self.kernel
            .query(&grant, move |conn| {
                let items = repo::list(conn, lang.as_deref(), i64::MAX, limit)?;
                Ok(ArticleList {
                    items: items.into_iter().map(rendered).collect(),
                })
            })
            .await
    }

    /// An article's versions, newest first.
    pub async fn versions(&self, actor: &Actor, id: i64) -> AppResult<VersionList> {
        let grant = actor.grant(Permission::KbRead)?;
        self.kernel
            .query(&grant, move |conn| {
                found(conn, id)?;
                Ok(VersionList {
                    items: repo::versions(conn, id)?,
                })
            })
            .await
    }

    /// The other articles of an article's translation group.
    pub async fn translations(&self, actor: &Actor, id: i64) -> AppResult<ArticleList> {
        let grant = actor.grant(Permission::KbRead)?;
        self.kernel
            .query(&grant, move |conn| {
                let article = found(conn, id)?;
                let items = repo::group(conn, article.translation_group)?
                    .into_iter()
                    .filter(|a| a.id != id)
                    .map(rendered)
                    .collect();
                Ok(ArticleList { items })
            })
            .await
    }

    /// Searches the articles' sections. A section answers when it holds at least
    /// [`MIN_COVERAGE`] of the query's words (and its phrases); the best section per article,
    /// best first; no items when no section answers. With `language`, only articles in it,
    /// found directly or through a translation of the article that answers.
    pub async fn search_articles(
        &self,
        actor: &Actor,
        q: String,
        lang: Option<String>,
        limit: i64,
    ) -> AppResult<KbResults> {
        let grant = actor.grant(Permission::KbRead)?;
        let query = crate::query::parse(&q, None)?;
        let lang = lang
            .as_deref()
            .map(|l| language("language", l))
            .transpose()?
            .map(|l| l.split('-').next().unwrap_or_default().to_owned());
        if !(1..=crate::search::MAX_LIMIT).contains(&limit) {
            return Err(AppError::invalid("limit", "The limit is 1 to 100."));
        }
        if query.words.is_empty() {
            return Ok(KbResults { items: Vec::new() });
        }
        self.kernel
            .query(&grant, move |conn| {
                let items = find::find(conn, &query, lang.as_deref(), true, limit)?;
                Ok(KbResults { items })
            })
            .await
    }
}
