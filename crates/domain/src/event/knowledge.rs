//! Events of the knowledge base.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A knowledge-base article was saved: created (version 1) or changed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ArticleSaved {
    /// The article.
    pub article_id: i64,
    /// The version this save made.
    pub version: i64,
}

/// A knowledge-base article was deleted with its versions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ArticleDeleted {
    /// The article.
    pub article_id: i64,
}
