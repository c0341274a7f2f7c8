-- Search (issue 11), typo tolerance: the vocabulary of indexed terms and words, each with the number of
-- documents holding it (a term no document holds any more is deleted, so an erasure leaves
-- none of its words here), and the deletion neighbourhood of each term (every form with one
-- letter left out, and two for terms of eight letters or more) that a misspelt query word is
-- looked up in. Written by tiski-knowledge whenever it indexes or removes a document.
CREATE TABLE search_terms (
    term TEXT PRIMARY KEY,
    docs INTEGER NOT NULL
);
CREATE TABLE search_term_variants (
    variant TEXT NOT NULL,
    term TEXT NOT NULL,
    PRIMARY KEY (variant, term)
);
CREATE INDEX search_term_variants_term ON search_term_variants (term);
-- The document's words as written (folded, unstemmed, each once): what a misspelt query word
-- is compared with, and what its removal uncounts.
ALTER TABLE search_documents ADD COLUMN words TEXT NOT NULL DEFAULT '';
