-- The cases a Heroku database brings that a plain dump gets wrong or that are easy to lose.
CREATE SCHEMA heroku_ext;
CREATE EXTENSION IF NOT EXISTS hstore WITH SCHEMA heroku_ext;
DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET search_path = "$user", public, heroku_ext', current_database()); END $$;
CREATE TYPE plan AS ENUM ('free', 'pro', 'team');
CREATE DOMAIN positive AS integer CHECK (VALUE > 0);
CREATE TABLE "Billing ""Accounts""" (
  id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  "naïve name ✓" text NOT NULL,
  plan plan NOT NULL DEFAULT 'free',
  seats positive NOT NULL,
  monthly numeric GENERATED ALWAYS AS (seats * 9.5) STORED,
  attrs heroku_ext.hstore
);
INSERT INTO "Billing ""Accounts""" ("naïve name ✓", plan, seats, attrs)
  SELECT 'Kunde ' || g || ' – ünïcødé', (ARRAY['free', 'pro', 'team']::plan[])[1 + g % 3], 1 + g % 40, ('tier => gold, id => ' || g)::heroku_ext.hstore
  FROM generate_series(1, 500) g;
CREATE TABLE events (id bigint NOT NULL, at date NOT NULL, payload jsonb) PARTITION BY RANGE (at);
CREATE TABLE events_2025 PARTITION OF events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE events_2026 PARTITION OF events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
ALTER TABLE events ADD PRIMARY KEY (id, at);
INSERT INTO events SELECT g, date '2025-01-01' + g % 600, jsonb_build_object('n', g, 'f', g / 3.0) FROM generate_series(1, 3000) g;
CREATE MATERIALIZED VIEW seats_by_plan AS SELECT plan, sum(seats) AS seats FROM "Billing ""Accounts""" GROUP BY plan;
CREATE TABLE invoices_pdf (id serial PRIMARY KEY, pdf oid);
INSERT INTO invoices_pdf (pdf) VALUES (lo_from_bytea(0, convert_to('%PDF-1.4 demo', 'UTF8')));
