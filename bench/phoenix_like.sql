-- Copied from the project's shared benchmark recipes (shared/bench/phoenix_like.sql) so the demo and bench/transfer.sh
-- work from a plain clone.
-- A Phoenix/Oban-shaped database, as a Heroku app would have it. Scale with psql -v rows=N.
CREATE EXTENSION IF NOT EXISTS citext;
CREATE EXTENSION IF NOT EXISTS pgcrypto;
CREATE TYPE oban_job_state AS ENUM ('available','scheduled','executing','retryable','completed','discarded','cancelled');
CREATE TABLE schema_migrations (version bigint PRIMARY KEY, inserted_at timestamp(0));
CREATE TABLE users (
  id bigserial PRIMARY KEY,
  email citext NOT NULL UNIQUE,
  hashed_password varchar(255) NOT NULL,
  confirmed_at timestamp(0),
  profile jsonb NOT NULL DEFAULT '{}',
  inserted_at timestamp(0) NOT NULL, updated_at timestamp(0) NOT NULL);
CREATE TABLE posts (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  title text NOT NULL, body text, tags text[] NOT NULL DEFAULT '{}',
  score numeric(12,4), published boolean NOT NULL DEFAULT false,
  inserted_at timestamp(0) NOT NULL, updated_at timestamp(0) NOT NULL);
CREATE INDEX posts_user_id_index ON posts(user_id);
CREATE INDEX posts_tags_index ON posts USING gin(tags);
CREATE TABLE oban_jobs (
  id bigserial PRIMARY KEY, state oban_job_state NOT NULL DEFAULT 'available',
  queue text NOT NULL DEFAULT 'default', worker text NOT NULL, args jsonb NOT NULL DEFAULT '{}',
  errors jsonb[] NOT NULL DEFAULT ARRAY[]::jsonb[], attempt integer NOT NULL DEFAULT 0,
  max_attempts integer NOT NULL DEFAULT 20, inserted_at timestamp NOT NULL DEFAULT (now() AT TIME ZONE 'utc'),
  scheduled_at timestamp NOT NULL DEFAULT (now() AT TIME ZONE 'utc'), attempted_at timestamp, completed_at timestamp,
  attempted_by text[], discarded_at timestamp, priority integer NOT NULL DEFAULT 0, tags text[] DEFAULT ARRAY[]::text[],
  meta jsonb DEFAULT '{}', cancelled_at timestamp);
CREATE INDEX oban_jobs_state_queue_priority_scheduled_at_id_index ON oban_jobs (state, queue, priority, scheduled_at, id);
CREATE INDEX oban_jobs_args_index ON oban_jobs USING gin (args);
CREATE TABLE attachments (id bigserial PRIMARY KEY, post_id uuid REFERENCES posts(id), blob bytea NOT NULL, sha256 bytea);
INSERT INTO schema_migrations SELECT 20230000000000 + g, now() FROM generate_series(1, 120) g;
INSERT INTO users (email, hashed_password, confirmed_at, profile, inserted_at, updated_at)
  SELECT 'User' || g || '@Example.com', md5(g::text) || md5((g*7)::text), now() - (g || ' minutes')::interval,
         jsonb_build_object('name', 'user ' || g, 'locale', CASE WHEN g % 3 = 0 THEN 'pt-BR' ELSE 'en' END, 'bio', repeat('lorem ipsum ', g % 20)),
         now(), now()
  FROM generate_series(1, :rows / 10) g;
INSERT INTO posts (user_id, title, body, tags, score, published, inserted_at, updated_at)
  SELECT 1 + (g % (:rows / 10)), 'Post ' || g || ' – ünïcødé ✓', repeat(md5(g::text) || ' ', 1 + g % 30),
         ARRAY['elixir', 'phoenix', 'tag' || (g % 50)], (g % 10000) / 7.0, g % 2 = 0, now(), now()
  FROM generate_series(1, :rows) g;
INSERT INTO oban_jobs (state, queue, worker, args, attempt, attempted_by, tags, meta)
  SELECT (ARRAY['available','scheduled','completed','discarded']::oban_job_state[])[1 + g % 4], 'mailers',
         'MyApp.Workers.Mailer', jsonb_build_object('user_id', g, 'template', 'welcome', 'payload', repeat('x', g % 200)),
         g % 5, ARRAY['node-' || (g % 3)], ARRAY['mail'], '{}'
  FROM generate_series(1, :rows) g;
INSERT INTO attachments (post_id, blob, sha256)
  SELECT p.id, gen_random_bytes(1024) || gen_random_bytes(1024), digest(p.id::text, 'sha256') FROM posts p WHERE p.published LIMIT (:rows / 20);
ANALYZE;
