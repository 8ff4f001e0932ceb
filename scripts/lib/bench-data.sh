# shellcheck shell=bash
# Sourced by the scripts/bench-* benchmarks: a Prisma-style application database, the kind the
# operations guides back up and refresh (users, OAuth accounts, sessions, orders, events with JSON
# payloads and free-text notes holding e-mails and phone numbers; indexes and foreign keys).
# At scale 1 its plain dump is about 320 MB; SCALE multiplies every table.
#
#   make_app_db DB SCALE        (needs $PSQL from the caller, connected to the bench cluster)

make_app_db() {
  local db=$1 scale=$2
  $PSQL -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" >/dev/null
  $PSQL -d "$db" -v scale="$scale" >/dev/null <<'SQL'
SELECT (300000 * :scale)::bigint AS n_users \gset
CREATE TABLE "User" (
  id text PRIMARY KEY, email text UNIQUE NOT NULL, name text, image text,
  "emailVerified" timestamp(3), "createdAt" timestamp(3) NOT NULL DEFAULT now());
CREATE TABLE "Account" (
  id text PRIMARY KEY, "userId" text NOT NULL REFERENCES "User"(id) ON DELETE CASCADE,
  provider text NOT NULL, "providerAccountId" text NOT NULL, refresh_token text, access_token text,
  expires_at int, UNIQUE (provider, "providerAccountId"));
CREATE TABLE "Session" (
  id text PRIMARY KEY, "sessionToken" text UNIQUE NOT NULL,
  "userId" text NOT NULL REFERENCES "User"(id) ON DELETE CASCADE, expires timestamp(3) NOT NULL);
CREATE TABLE orders (
  id bigserial PRIMARY KEY, user_id text NOT NULL REFERENCES "User"(id), total numeric(12,2) NOT NULL,
  status text NOT NULL, shipping jsonb NOT NULL, note text, created_at timestamptz NOT NULL);
CREATE TABLE events (
  id bigserial PRIMARY KEY, user_id text REFERENCES "User"(id), kind text NOT NULL,
  payload jsonb NOT NULL, created_at timestamptz NOT NULL);
INSERT INTO "User"
SELECT 'c' || md5(g::text), 'user' || g || '@' || (ARRAY['example.com','mail.test','corp.example'])[1 + g % 3],
  initcap(substr(md5((g * 7)::text), 1, 6)) || ' ' || initcap(substr(md5((g * 11)::text), 1, 9)),
  CASE WHEN g % 3 = 0 THEN 'https://cdn.example.com/avatars/' || md5(g::text) || '.png' END,
  CASE WHEN g % 2 = 0 THEN timestamp '2024-01-01' + g * interval '1 minute' END,
  timestamp '2023-01-01' + g * interval '2 minutes'
FROM generate_series(1, :n_users) g;
INSERT INTO "Account"
SELECT 'a' || md5(g::text), 'c' || md5(g::text), (ARRAY['google','github','apple'])[1 + g % 3],
  (100000000000 + g::bigint * 7919)::text, 'rt_' || md5((g * 3)::text) || md5((g * 5)::text),
  'ya29.' || md5((g * 13)::text) || md5((g * 17)::text) || md5((g * 19)::text), 1700000000 + g
FROM generate_series(1, :n_users) g;
INSERT INTO "Session"
SELECT 's' || md5(g::text), md5((g * 23)::text) || md5((g * 29)::text), 'c' || md5((1 + g % :n_users)::text),
  timestamp '2026-01-01' + g * interval '1 minute'
FROM generate_series(1, (:n_users * 4 / 3)::bigint) g;
INSERT INTO orders (user_id, total, status, shipping, note, created_at)
SELECT 'c' || md5((1 + g % :n_users)::text), (g % 50000) / 100.0, (ARRAY['paid','shipped','refunded'])[1 + g % 3],
  jsonb_build_object('name', 'Recipient ' || g, 'street', (g % 300) || ' Main Street', 'city', 'Springfield',
                     'phone', '+1 555 ' || lpad((g % 10000)::text, 4, '0'), 'email', 'ship' || g || '@example.com'),
  CASE WHEN g % 4 = 0 THEN 'Call me at +49 151 ' || (10000000 + g % 9999999) || ' or write to buyer' || g || '@mail.test' END,
  timestamptz '2024-01-01' + g * interval '50 seconds'
FROM generate_series(1, (:n_users * 2)::bigint) g;
INSERT INTO events (user_id, kind, payload, created_at)
SELECT 'c' || md5((1 + g % :n_users)::text), (ARRAY['login','upload','share','comment'])[1 + g % 4],
  jsonb_build_object('ip', '10.' || (g % 256) || '.' || (g * 7 % 256) || '.' || (g * 13 % 256),
                     'ua', 'Mozilla/5.0 (X11; Linux x86_64) agent/' || (g % 40),
                     'text', CASE WHEN g % 5 = 0 THEN 'reply to friend' || g || '@example.com please' ELSE 'ok' END,
                     'n', g % 1000),
  timestamptz '2025-01-01' + g * interval '3 seconds'
FROM generate_series(1, (:n_users * 5 / 3)::bigint) g;
CREATE INDEX orders_user ON orders (user_id);
CREATE INDEX events_user ON events (user_id);
CREATE INDEX events_created ON events (created_at);
ANALYZE;
SQL
}
