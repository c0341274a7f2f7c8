-- Search (issue 11): the analysed terms of every searchable document, written by the
-- indexer that follows the event log. `terms` is text the analyser of tiski-knowledge made
-- (folded, stemmed words separated by spaces), so the engine's own tokenizer only splits it.
-- kind: 'ticket' (its subject), 'message' (a message or note of the ticket), 'customer',
-- 'article' (one section of a knowledge-base article: `position` 0 is the part before the first
-- `##` heading).
CREATE TABLE search_documents (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    ticket_id INTEGER,
    message_id INTEGER,
    customer_id INTEGER,
    article_id INTEGER,
    position INTEGER,
    internal INTEGER NOT NULL DEFAULT 0,
    language TEXT NOT NULL,
    terms TEXT NOT NULL
);
CREATE INDEX search_documents_ticket ON search_documents (ticket_id);
CREATE INDEX search_documents_message ON search_documents (message_id);
CREATE INDEX search_documents_customer ON search_documents (customer_id);
CREATE INDEX search_documents_article ON search_documents (article_id);

-- The full-text index over `terms`: FTS5 with the plain unicode61 tokenizer, its content
-- kept in search_documents (rows are only inserted and deleted, never updated).
CREATE VIRTUAL TABLE search_fts USING fts5(
    terms,
    content = 'search_documents',
    content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 0'
);
-- Deleted rows leave no term behind in the index's segments (an erasure must not).
INSERT INTO search_fts (search_fts, rank) VALUES ('secure-delete', 1);
CREATE TRIGGER search_documents_insert AFTER INSERT ON search_documents BEGIN
    INSERT INTO search_fts (rowid, terms) VALUES (new.id, new.terms);
END;
CREATE TRIGGER search_documents_delete AFTER DELETE ON search_documents BEGIN
    INSERT INTO search_fts (search_fts, rowid, terms) VALUES ('delete', old.id, old.terms);
END;

-- The knowledge base: articles (Markdown), every save a version, translations linked by the
-- group they share (the id of the group's first article).
CREATE TABLE kb_articles (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    language TEXT NOT NULL,
    visibility TEXT NOT NULL,
    category_id INTEGER,
    tags TEXT NOT NULL DEFAULT '[]',
    translation_group INTEGER NOT NULL,
    version INTEGER NOT NULL,
    created_by INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX kb_articles_group ON kb_articles (translation_group, id);

CREATE TABLE kb_article_versions (
    article_id INTEGER NOT NULL,
    version INTEGER NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    author_id INTEGER,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (article_id, version)
);
