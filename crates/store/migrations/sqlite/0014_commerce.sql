-- Commerce: the product catalog, orders with their lines (prices fixed when ordered), refunds
-- and the refund limits of each role. Money is integer minor units of the row's currency
-- (ISO 4217); VAT rates are hundredths of a percent; dates are ISO 8601 text (YYYY-MM-DD);
-- times are microseconds since the Unix epoch.

CREATE TABLE products (
    id INTEGER PRIMARY KEY,
    sku TEXT NOT NULL,
    sku_key TEXT NOT NULL,
    kind TEXT NOT NULL,
    names TEXT NOT NULL,
    prices TEXT NOT NULL,
    vat_rate INTEGER NOT NULL,
    prices_include_vat INTEGER NOT NULL,
    lead_time_days INTEGER NOT NULL,
    warranty_months INTEGER NOT NULL,
    parts TEXT NOT NULL,
    active_from TEXT,
    active_until TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX products_sku ON products (sku_key);

-- What the catalog search matches by prefix: the SKU, each name and each word of a name,
-- lower case, compared bytewise.
CREATE TABLE product_terms (
    term TEXT NOT NULL,
    product_id INTEGER NOT NULL REFERENCES products(id),
    PRIMARY KEY (term, product_id)
);
CREATE INDEX product_terms_product ON product_terms (product_id);

CREATE TABLE orders (
    id INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers(id),
    ticket_id INTEGER REFERENCES tickets(id),
    currency TEXT NOT NULL,
    status TEXT NOT NULL,
    net INTEGER NOT NULL,
    vat INTEGER NOT NULL,
    total INTEGER NOT NULL,
    promised_date TEXT NOT NULL,
    created_by INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX orders_customer ON orders (customer_id, id);
CREATE INDEX orders_ticket ON orders (ticket_id, id);
CREATE INDEX orders_creator ON orders (created_by, id);

CREATE TABLE order_lines (
    order_id INTEGER NOT NULL REFERENCES orders(id),
    line_no INTEGER NOT NULL,
    product_id INTEGER NOT NULL REFERENCES products(id),
    sku TEXT NOT NULL,
    quantity INTEGER NOT NULL,
    unit_price INTEGER NOT NULL,
    vat_rate INTEGER NOT NULL,
    prices_include_vat INTEGER NOT NULL,
    net INTEGER NOT NULL,
    vat INTEGER NOT NULL,
    total INTEGER NOT NULL,
    PRIMARY KEY (order_id, line_no)
);
CREATE INDEX order_lines_product ON order_lines (product_id, order_id);

CREATE TABLE refunds (
    id INTEGER PRIMARY KEY,
    order_id INTEGER REFERENCES orders(id),
    ticket_id INTEGER REFERENCES tickets(id),
    amount INTEGER NOT NULL,
    currency TEXT NOT NULL,
    reason TEXT NOT NULL,
    state TEXT NOT NULL,
    requested_by INTEGER NOT NULL,
    decided_by INTEGER,
    created_at INTEGER NOT NULL,
    decided_at INTEGER
);
CREATE INDEX refunds_order ON refunds (order_id, id);
CREATE INDEX refunds_state ON refunds (state, id);

-- The most a role may refund without an approver, per currency; admins have no limit, and a
-- currency without a row here has a limit of zero (every refund in it waits for an admin).
CREATE TABLE refund_limits (
    role TEXT NOT NULL,
    currency TEXT NOT NULL,
    max_amount INTEGER NOT NULL,
    PRIMARY KEY (role, currency)
);
INSERT INTO refund_limits (role, currency, max_amount) VALUES
    ('agent', 'EUR', 5000), ('supervisor', 'EUR', 50000),
    ('agent', 'USD', 5000), ('supervisor', 'USD', 50000),
    ('agent', 'GBP', 5000), ('supervisor', 'GBP', 50000),
    ('agent', 'CHF', 5000), ('supervisor', 'CHF', 50000),
    ('agent', 'SEK', 50000), ('supervisor', 'SEK', 500000),
    ('agent', 'NOK', 50000), ('supervisor', 'NOK', 500000),
    ('agent', 'DKK', 40000), ('supervisor', 'DKK', 400000),
    ('agent', 'PLN', 20000), ('supervisor', 'PLN', 200000),
    ('agent', 'PHP', 300000), ('supervisor', 'PHP', 3000000),
    ('agent', 'JPY', 8000), ('supervisor', 'JPY', 80000);
