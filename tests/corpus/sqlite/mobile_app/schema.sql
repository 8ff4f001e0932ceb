-- Local store of "Chirp", an Android messaging app (Room): the file in
-- /data/data/app.chirp/databases/, as a support engineer would pull it from a
-- test phone. Room's own tables (android_metadata, keyless;
-- room_master_table); WAL journal mode and user_version as the app leaves
-- them; quoted PascalCase tables and columns from the first app version
-- ("Account", "Conversation", "CallLog") next to snake_case ones added later;
-- integer unix timestamps (seconds, and milliseconds on messages);
-- AUTOINCREMENT keys (so sqlite_sequence exists); WITHOUT ROWID tables
-- (conversation_members, reactions, sticker_packs, kv_store); JSON1 text
-- columns checked with json_valid (contacts.profile_json with e-mail
-- addresses and a birthday, "Conversation"."Settings"); BLOB avatars and
-- thumbnails; a device table with FCM/APNs push tokens; shared locations as
-- REAL latitude/longitude (messages, location_shares); an FTS5 table
-- messages_fts with external content (content='messages'), kept by the
-- usual insert/delete/update triggers, so its shadow tables
-- (messages_fts_data, _idx, _docsize, _config) hold the index of the message
-- bodies but no copy of them. Sticker packs and Room metadata are not
-- personal.
--
-- Load: sqlite3 chirp.db < schema.sql   (deterministic: recursive CTEs over fixed lists)
PRAGMA journal_mode = WAL;
PRAGMA user_version = 47;
PRAGMA foreign_keys = ON;
BEGIN;

CREATE TABLE android_metadata (locale TEXT);
CREATE TABLE room_master_table (id INTEGER PRIMARY KEY, identity_hash TEXT);

CREATE TABLE "Account" (
    "AccountId" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "PhoneNumber" TEXT NOT NULL,
    "DisplayName" TEXT,
    "About" TEXT,
    "AvatarBlob" BLOB,
    "AuthToken" TEXT,
    "PinHash" TEXT,
    "RegisteredAt" INTEGER NOT NULL,
    "IsActive" INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX "index_Account_PhoneNumber" ON "Account" ("PhoneNumber");

CREATE TABLE device (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    account_id INTEGER NOT NULL REFERENCES "Account" ("AccountId") ON DELETE CASCADE,
    device_name TEXT,
    platform TEXT NOT NULL CHECK (platform IN ('android', 'ios', 'desktop')),
    model TEXT,
    os_version TEXT,
    app_version TEXT NOT NULL,
    push_token TEXT,
    registered_at INTEGER NOT NULL,
    last_seen_at INTEGER,
    is_current INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE contacts (
    id INTEGER PRIMARY KEY,
    phone_e164 TEXT NOT NULL,
    display_name TEXT,
    given_name TEXT,
    family_name TEXT,
    avatar BLOB,
    about TEXT,
    profile_json TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(profile_json)),
    is_blocked INTEGER NOT NULL DEFAULT 0,
    is_favorite INTEGER NOT NULL DEFAULT 0,
    last_seen_at INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX index_contacts_phone_e164 ON contacts (phone_e164);

CREATE TABLE "Conversation" (
    "ConversationId" INTEGER PRIMARY KEY,
    "Kind" TEXT NOT NULL CHECK ("Kind" IN ('direct', 'group')),
    "Title" TEXT,
    "AvatarBlob" BLOB,
    "MutedUntil" INTEGER,
    "PinnedRank" INTEGER,
    "DraftText" TEXT,
    "Settings" TEXT NOT NULL DEFAULT '{}' CHECK (json_valid("Settings")),
    "CreatedAt" INTEGER NOT NULL,
    "LastMessageAt" INTEGER
);

CREATE TABLE conversation_members (
    conversation_id INTEGER NOT NULL REFERENCES "Conversation" ("ConversationId") ON DELETE CASCADE,
    contact_id INTEGER NOT NULL REFERENCES contacts (id),
    role TEXT NOT NULL DEFAULT 'member',
    joined_at INTEGER NOT NULL,
    PRIMARY KEY (conversation_id, contact_id)
) WITHOUT ROWID;

CREATE TABLE messages (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    conversation_id INTEGER NOT NULL REFERENCES "Conversation" ("ConversationId") ON DELETE CASCADE,
    sender_id INTEGER REFERENCES contacts (id),
    kind TEXT NOT NULL DEFAULT 'text',
    body TEXT,
    latitude REAL,
    longitude REAL,
    location_label TEXT,
    reply_to_id INTEGER REFERENCES messages (id),
    status INTEGER NOT NULL DEFAULT 0,
    sent_at INTEGER NOT NULL,
    received_at INTEGER,
    read_at INTEGER
);
CREATE INDEX index_messages_conversation_id_sent_at ON messages (conversation_id, sent_at);

-- full-text search over message bodies; the index only, the text stays in messages
CREATE VIRTUAL TABLE messages_fts USING fts5(body, content = 'messages', content_rowid = 'id', tokenize = 'unicode61 remove_diacritics 2');
CREATE TRIGGER messages_fts_ai AFTER INSERT ON messages BEGIN
  INSERT INTO messages_fts (rowid, body) VALUES (new.id, new.body);
END;
CREATE TRIGGER messages_fts_ad AFTER DELETE ON messages BEGIN
  INSERT INTO messages_fts (messages_fts, rowid, body) VALUES ('delete', old.id, old.body);
END;
CREATE TRIGGER messages_fts_au AFTER UPDATE OF body ON messages BEGIN
  INSERT INTO messages_fts (messages_fts, rowid, body) VALUES ('delete', old.id, old.body);
  INSERT INTO messages_fts (rowid, body) VALUES (new.id, new.body);
END;

CREATE TABLE attachments (
    id INTEGER PRIMARY KEY,
    message_id INTEGER NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    mime_type TEXT NOT NULL,
    file_name TEXT,
    byte_size INTEGER NOT NULL,
    width INTEGER,
    height INTEGER,
    duration_ms INTEGER,
    local_path TEXT,
    sha256 TEXT,
    thumbnail BLOB
);
CREATE INDEX index_attachments_message_id ON attachments (message_id);

CREATE TABLE reactions (
    message_id INTEGER NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    reactor_id INTEGER NOT NULL,
    emoji TEXT NOT NULL,
    reacted_at INTEGER NOT NULL,
    PRIMARY KEY (message_id, reactor_id)
) WITHOUT ROWID;

CREATE TABLE "CallLog" (
    "CallId" INTEGER PRIMARY KEY,
    "ContactId" INTEGER REFERENCES contacts (id),
    "PeerNumber" TEXT NOT NULL,
    "Direction" TEXT NOT NULL CHECK ("Direction" IN ('in', 'out')),
    "Missed" INTEGER NOT NULL DEFAULT 0,
    "Video" INTEGER NOT NULL DEFAULT 0,
    "StartedAt" INTEGER NOT NULL,
    "DurationSec" INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE location_shares (
    id INTEGER PRIMARY KEY,
    contact_id INTEGER NOT NULL REFERENCES contacts (id),
    latitude REAL NOT NULL,
    longitude REAL NOT NULL,
    accuracy_m REAL,
    captured_at INTEGER NOT NULL,
    expires_at INTEGER
);

CREATE TABLE sticker_packs (
    pack_id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    author TEXT NOT NULL,
    cover BLOB,
    sticker_count INTEGER NOT NULL,
    installed_at INTEGER
) WITHOUT ROWID;

CREATE TABLE kv_store (key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;

-- ---------------------------------------------------------------------------
-- Deterministic data (word lists in temp tables, dropped at the end)
-- ---------------------------------------------------------------------------
CREATE TEMP TABLE fn (i INTEGER PRIMARY KEY, name TEXT, slug TEXT);
INSERT INTO fn VALUES
 (0,'James','james'),(1,'Mary','mary'),(2,'Robert','robert'),(3,'Patricia','patricia'),(4,'John','john'),
 (5,'Jennifer','jennifer'),(6,'Michael','michael'),(7,'Linda','linda'),(8,'David','david'),(9,'Elizabeth','elizabeth'),
 (10,'William','william'),(11,'Barbara','barbara'),(12,'Richard','richard'),(13,'Susan','susan'),(14,'Joseph','joseph'),
 (15,'Jessica','jessica'),(16,'Thomas','thomas'),(17,'Sarah','sarah'),(18,'Charles','charles'),(19,'Karen','karen'),
 (20,'Priya','priya'),(21,'Wei','wei'),(22,'Fatima','fatima'),(23,'Mateo','mateo'),(24,'Sofia','sofia'),
 (25,'Lukas','lukas'),(26,'Hannah','hannah'),(27,'Aisha','aisha'),(28,'Olivia','olivia'),(29,'Noah','noah'),
 (30,'Chloe','chloe'),(31,'Diego','diego'),(32,'Yuki','yuki'),(33,'Ingrid','ingrid'),(34,'Omar','omar'),
 (35,'René','rene'),(36,'Jürgen','juergen'),(37,'翔太','shota');
CREATE TEMP TABLE ln (i INTEGER PRIMARY KEY, name TEXT, slug TEXT);
INSERT INTO ln VALUES
 (0,'Smith','smith'),(1,'Johnson','johnson'),(2,'Williams','williams'),(3,'Brown','brown'),(4,'Jones','jones'),
 (5,'Garcia','garcia'),(6,'Miller','miller'),(7,'Davis','davis'),(8,'Rodriguez','rodriguez'),(9,'Martinez','martinez'),
 (10,'Wilson','wilson'),(11,'Anderson','anderson'),(12,'Taylor','taylor'),(13,'Moore','moore'),(14,'Jackson','jackson'),
 (15,'Lee','lee'),(16,'Thompson','thompson'),(17,'White','white'),(18,'Harris','harris'),(19,'Clark','clark'),
 (20,'Schneider','schneider'),(21,'Fischer','fischer'),(22,'Weber','weber'),(23,'Kowalski','kowalski'),(24,'Novak','novak'),
 (25,'Okafor','okafor'),(26,'Patel','patel'),(27,'Singh','singh'),(28,'Kim','kim'),(29,'Tanaka','tanaka'),
 (30,'O''Brien','obrien'),(31,'Lindqvist','lindqvist'),(32,'Haddad','haddad'),(33,'Dupré','dupre'),(34,'Müller','mueller'),
 (35,'山田','yamada');
CREATE TEMP TABLE dom (i INTEGER PRIMARY KEY, d TEXT);
INSERT INTO dom VALUES (0,'gmail.com'),(1,'yahoo.com'),(2,'outlook.com'),(3,'hotmail.com'),(4,'icloud.com'),
 (5,'protonmail.com'),(6,'gmx.de'),(7,'web.de'),(8,'fastmail.com'),(9,'aol.com'),(10,'brightwave.io'),(11,'northwind.com');
CREATE TEMP TABLE street (i INTEGER PRIMARY KEY, name TEXT, city TEXT, lat REAL, lon REAL);
INSERT INTO street VALUES (0,'Maple Street','Springfield',39.7817,-89.6501),(1,'Oak Avenue','Portland',45.5152,-122.6784),
 (2,'Cedar Lane','Austin',30.2672,-97.7431),(3,'Pine Road','Denver',39.7392,-104.9903),(4,'Elm Street','Boston',42.3601,-71.0589),
 (5,'High Street','London',51.5072,-0.1276),(6,'Kings Road','Manchester',53.4808,-2.2426),(7,'Hauptstrasse','Berlin',52.5200,13.4050),
 (8,'Rue de la Paix','Paris',48.8566,2.3522),(9,'Calle Mayor','Madrid',40.4168,-3.7038),(10,'Bahnhofstrasse','Munich',48.1351,11.5820),
 (11,'Station Road','Dublin',53.3498,-6.2603);
-- n -> a phone number in one of the shapes a phone book holds; unique per n (n is in the last digits)
CREATE TEMP TABLE nums (n INTEGER PRIMARY KEY, e164 TEXT, shown TEXT);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1700)
INSERT INTO nums
SELECT i,
       CASE i % 4 WHEN 0 THEN printf('+1%03d%03d%04d', 201 + (i * 7) % 798, (i * 13) % 1000, i)
                  WHEN 1 THEN printf('+447%03d%06d', (i * 31) % 1000, i)
                  WHEN 2 THEN printf('+4915%02d%07d', (i * 17) % 100, i)
                  ELSE printf('+33%d%04d%04d', 6 + i % 2, (i * 89) % 10000, i) END,
       CASE i % 4 WHEN 0 THEN printf('(%03d) %03d-%04d', 201 + (i * 7) % 798, (i * 13) % 1000, i)
                  WHEN 1 THEN printf('+44 7%03d %06d', (i * 31) % 1000, i)
                  WHEN 2 THEN printf('+49 15%02d %07d', (i * 17) % 100, i)
                  ELSE printf('0%d %02d %02d %02d %02d', 6 + i % 2, (i * 89) % 10000 / 100, (i * 89) % 100, i / 100, i % 100) END
FROM n;

INSERT INTO android_metadata (locale) VALUES ('en_US');
INSERT INTO room_master_table (id, identity_hash) VALUES (42, '7b1d4c2e9f0a83b6c5d4e3f2a1b0c9d8');

INSERT INTO "Account" ("PhoneNumber", "DisplayName", "About", "AvatarBlob", "AuthToken", "PinHash", "RegisteredAt", "IsActive") VALUES
 ('+14155550132', 'Jennifer Walker', 'Busy building things. Call +1 (415) 555-0132 if urgent', CAST('JFIF' || hex(zeroblob(120)) || 'account-1' AS BLOB),
  'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIrMTQxNTU1NTAxMzIiLCJkZXYiOjF9.k3Vq0x8wR2nT5pYb7cLm1sQe9uZaHf4dJg6oKi2lMwE',
  '$argon2id$v=19$m=65536,t=2,p=1$Q2hpcnBQaW5TYWx0$5mQwZy3rV8sK1nL0pT7bXc2dF9gH4jA6', 1651234567, 1),
 ('+4915112345678', 'Jenny W. (work)', NULL, NULL,
  'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIrNDkxNTExMjM0NTY3OCIsImRldiI6Mn0.Rz9Lq2Wn7Yc4Tb1Vx6Mk3Pa8Sd5Fg0Hj2Kl7Qe4Ui9O', NULL, 1689012345, 0),
 ('+447700900461', 'Jennifer Walker', 'Old UK number', NULL, NULL, NULL, 1580000000, 0);

INSERT INTO device (account_id, device_name, platform, model, os_version, app_version, push_token, registered_at, last_seen_at, is_current) VALUES
 (1, 'Jennifer''s Pixel 8', 'android', 'Pixel 8', '14', '7.12.2',
  'fYk3sQ2mR0e:APA91bH7xK2pLw9zQ4vN8cT1yJ6uB3mD5rF0gS7hA2kE9oW4iL1nX8qZ6tC3vM0bP5jY2fU7dG4sR1aK9wE6hN3lO8xV5zB2cQ7mT0yJ4uI1', 1699999999, 1717171717, 1),
 (1, 'MacBook Pro (Jennifer)', 'desktop', 'MacBookPro18,3', 'macOS 14.5', '7.12.0', NULL, 1700100000, 1717000000, 0),
 (1, 'Galaxy S21', 'android', 'SM-G991B', '13', '6.44.1',
  'cQ9vT4nW1a:APA91bF2hK8mL5pZ0xR7wN3yB6tJ1uD4sG9eA2kC5oV8iQ3lX0zM7bP4jY1fU6dH3rE0aS9wT2nL5gO8cK1vI4xB7zQ0mJ3yR6uW9tD2sF5h', 1640000000, 1690000000, 0),
 (2, 'Pixel 8 (work profile)', 'android', 'Pixel 8', '14', '7.12.2',
  'dR2wU5oX2b:APA91bG3iL9nM6qA1yS8xO4zC7uK2vE5tH0fB3lD6pW9jR4mY1aN8cQ5kZ2gV7eI4sF1bT0oX3hJ6wL9uP2rA5dM8yC1nK4qG7zE0iS3vB6tH9', 1689012345, 1717171000, 1),
 (3, 'iPhone 11', 'ios', 'iPhone12,1', '16.7.8', '6.30.0',
  'a3f19c0b6d2e48f7a91c05d3b7e2f68a4c1d9e0b37f6a25c8d4e1f0b9a7c6d35', 1580000000, 1650000000, 0),
 (3, NULL, 'ios', 'iPad13,18', '17.5', '7.01.0', NULL, 1660000000, 1661000000, 0);

-- 1500 address-book contacts
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1500)
INSERT INTO contacts (id, phone_e164, display_name, given_name, family_name, avatar, about, profile_json, is_blocked, is_favorite,
                      last_seen_at, created_at, updated_at)
SELECT n.i, nu.e164,
       CASE n.i % 11 WHEN 0 THEN 'Dr. ' || l.name WHEN 1 THEN f.name || ' (work)' WHEN 2 THEN f.name
                     WHEN 3 THEN CASE WHEN n.i % 3 = 0 THEN 'Mom' ELSE f.name || ' ' || substr(l.name, 1, 1) || '.' END
                     ELSE f.name || ' ' || l.name END,
       f.name, CASE WHEN n.i % 11 NOT IN (2, 3) THEN l.name END,
       CASE WHEN n.i % 5 < 2 THEN CAST('JFIF' || hex(zeroblob(60 + n.i % 90)) || 'avatar-' || n.i AS BLOB) END,
       CASE n.i % 9 WHEN 0 THEN 'Hey there! I am using Chirp.' WHEN 1 THEN 'At the gym 💪' WHEN 2 THEN 'Busy'
                    WHEN 3 THEN 'Work: ' || f.slug || '.' || l.slug || '@' || d.d
                    WHEN 4 THEN f.name || ' ' || l.name || ' - ' || CASE n.i % 3 WHEN 0 THEN 'Northwind Traders' WHEN 1 THEN 'Brightwave Labs' ELSE 'Acme Logistics' END
                    WHEN 5 THEN 'Urgent? Call ' || nu.shown
                    WHEN 6 THEN 'Living in ' || s.city
                    ELSE NULL END,
       json_object('emails', CASE WHEN n.i % 4 = 0 THEN json_array() ELSE json_array(f.slug || '.' || l.slug || CASE WHEN n.i % 2 = 0 THEN n.i ELSE '' END || '@' || d.d) END,
                   'birthday', CASE WHEN n.i % 3 = 0 THEN printf('%04d-%02d-%02d', 1950 + (n.i * 7) % 55, 1 + (n.i * 5) % 12, 1 + (n.i * 11) % 28) END,
                   'nickname', CASE WHEN n.i % 7 = 0 THEN substr(f.name, 1, 3) END,
                   'organization', CASE WHEN n.i % 5 = 0 THEN CASE n.i % 3 WHEN 0 THEN 'Northwind Traders' WHEN 1 THEN 'Brightwave Labs' ELSE 'Acme Logistics' END END,
                   'labels', json_array(CASE n.i % 4 WHEN 0 THEN 'family' WHEN 1 THEN 'work' WHEN 2 THEN 'friends' ELSE 'other' END)),
       (n.i % 97 = 0), (n.i % 13 = 0),
       CASE WHEN n.i % 6 <> 0 THEN 1700000000 + (n.i * 7919) % 17000000 END,
       1600000000 + (n.i * 104729) % 90000000,
       1600000000 + (n.i * 104729) % 90000000 + (n.i % 50) * 86400
FROM n JOIN fn f ON f.i = (n.i * 7) % 38 JOIN ln l ON l.i = (n.i * 11 + n.i / 38) % 36
       JOIN dom d ON d.i = (n.i * 5) % 12 JOIN street s ON s.i = (n.i * 3) % 12 JOIN nums nu ON nu.n = n.i
ORDER BY n.i;

-- 300 direct chats (with contact 5 * id) and 100 groups
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 400)
INSERT INTO "Conversation" ("ConversationId", "Kind", "Title", "AvatarBlob", "MutedUntil", "PinnedRank", "DraftText", "Settings", "CreatedAt", "LastMessageAt")
SELECT n.i, CASE WHEN n.i <= 300 THEN 'direct' ELSE 'group' END,
       CASE WHEN n.i <= 300 THEN CASE WHEN n.i % 2 = 0 THEN (SELECT display_name FROM contacts WHERE id = n.i * 5) END
            ELSE CASE n.i % 12
              WHEN 0 THEN 'Family 🏡' WHEN 1 THEN 'Book club' WHEN 2 THEN (SELECT name FROM ln WHERE ln.i = n.i % 36) || ' family'
              WHEN 3 THEN 'Hiking crew' WHEN 4 THEN 'Flat 3B' WHEN 5 THEN (SELECT name FROM fn WHERE fn.i = n.i % 38) || '''s birthday 🎉'
              WHEN 6 THEN 'Work - Northwind' WHEN 7 THEN 'Football Sundays' WHEN 8 THEN 'School parents 4B'
              WHEN 9 THEN 'Wedding of ' || (SELECT name FROM fn WHERE fn.i = (n.i * 3) % 38) || ' & ' || (SELECT name FROM fn WHERE fn.i = (n.i * 5) % 38)
              WHEN 10 THEN 'Neighbours ' || (SELECT name FROM street WHERE street.i = n.i % 12)
              ELSE 'Ski trip 2024' END END,
       CASE WHEN n.i > 300 AND n.i % 3 = 0 THEN CAST('JFIF' || hex(zeroblob(80 + n.i % 40)) || 'group-' || n.i AS BLOB) END,
       CASE WHEN n.i % 17 = 0 THEN 1735689600 END,
       CASE WHEN n.i % 50 = 1 THEN n.i / 50 + 1 END,
       CASE n.i % 25 WHEN 0 THEN 'I can pick you up at ' || (SELECT (1 + n.i % 90) || ' ' || name FROM street WHERE street.i = n.i % 12) || ' at 7'
                     WHEN 1 THEN 'Send me your email, mine is ' || (SELECT slug FROM fn WHERE fn.i = n.i % 38) || '.walker@gmail.com'
                     WHEN 2 THEN 'ok' ELSE NULL END,
       json_object('disappearing_secs', CASE WHEN n.i % 10 = 0 THEN 604800 ELSE 0 END, 'theme', CASE n.i % 3 WHEN 0 THEN 'ocean' WHEN 1 THEN 'default' ELSE 'sunset' END,
                   'notify', json(CASE WHEN n.i % 17 = 0 THEN 'false' ELSE 'true' END), 'wallpaper', 'default'),
       1620000000 + (n.i * 7919) % 60000000, NULL
FROM n ORDER BY n.i;

INSERT INTO conversation_members (conversation_id, contact_id, role, joined_at)
SELECT "ConversationId", "ConversationId" * 5, 'member', "CreatedAt" FROM "Conversation" WHERE "Kind" = 'direct' ORDER BY 1;
WITH RECURSIVE k(j) AS (SELECT 0 UNION ALL SELECT j + 1 FROM k WHERE j < 11)
INSERT OR IGNORE INTO conversation_members (conversation_id, contact_id, role, joined_at)
SELECT c."ConversationId", 1 + (c."ConversationId" * 37 + k.j * 101) % 1500, CASE WHEN k.j = 0 THEN 'admin' ELSE 'member' END,
       c."CreatedAt" + k.j * 3600
FROM "Conversation" c JOIN k ON k.j < 3 + c."ConversationId" % 10
WHERE c."Kind" = 'group' ORDER BY 1, 2;

-- 6000 messages (sent_at in milliseconds); sender NULL = sent from this phone
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 6000)
INSERT INTO messages (conversation_id, sender_id, kind, body, latitude, longitude, location_label, reply_to_id, status, sent_at, received_at, read_at)
SELECT m.c,
       CASE WHEN n.i % 5 < 2 THEN NULL WHEN m.c <= 300 THEN m.c * 5 ELSE 1 + (m.c * 37 + (n.i % (3 + m.c % 10)) * 101) % 1500 END,
       m.kind,
       CASE m.kind
         WHEN 'location' THEN NULL
         WHEN 'image' THEN CASE WHEN n.i % 3 = 0 THEN 'Look who I ran into! ' || f.name || ' says hi' WHEN n.i % 3 = 1 THEN 'Receipt for the tickets' END
         WHEN 'voice' THEN NULL
         ELSE CASE (n.i * 7) % 16
           WHEN 0 THEN 'Running 10 min late, sorry!'
           WHEN 1 THEN 'Can you send me ' || f.name || '''s number?'
           WHEN 2 THEN 'Here it is: ' || nu.shown
           WHEN 3 THEN 'My new email is ' || f.slug || '.' || l.slug || '@' || d.d
           WHEN 4 THEN 'Happy birthday ' || f.name || '!! 🎂'
           WHEN 5 THEN 'I''m at ' || (1 + n.i % 120) || ' ' || s.name || ', ring the top bell'
           WHEN 6 THEN 'The doctor said it''s just a sprain, no fracture. Physio twice a week now.'
           WHEN 7 THEN 'Dinner at ours on Friday?'
           WHEN 8 THEN 'Sure 👍'
           WHEN 9 THEN 'Call me at ' || nu.e164 || ' when you land'
           WHEN 10 THEN 'Did you see the match last night?'
           WHEN 11 THEN f.name || ' ' || l.name || ' is moving to ' || s.city || ' next month'
           WHEN 12 THEN 'Pin for the door is 4' || (n.i % 900 + 100) || ', don''t share it'
           WHEN 13 THEN 'lol'
           WHEN 14 THEN 'Kids are with ' || f.name || ' this weekend, so I''m free'
           ELSE 'Thanks, got it!' END END,
       CASE WHEN m.kind = 'location' THEN round(s.lat + ((n.i * 37) % 2000 - 1000) / 50000.0, 6) END,
       CASE WHEN m.kind = 'location' THEN round(s.lon + ((n.i * 53) % 2000 - 1000) / 50000.0, 6) END,
       CASE WHEN m.kind = 'location' THEN CASE n.i % 3 WHEN 0 THEN 'Home' WHEN 1 THEN (1 + n.i % 120) || ' ' || s.name || ', ' || s.city ELSE 'Current location' END END,
       CASE WHEN n.i % 10 = 0 THEN n.i - 1 END,
       CASE WHEN n.i % 5 < 2 THEN 2 ELSE 3 END,
       (1704067200 + (n.i * 2654) % 15000000) * 1000 + (n.i * 7) % 1000,
       CASE WHEN n.i % 5 >= 2 THEN (1704067200 + (n.i * 2654) % 15000000) * 1000 + (n.i * 7) % 1000 + 800 END,
       CASE WHEN n.i % 4 <> 0 THEN (1704067200 + (n.i * 2654) % 15000000 + 600) * 1000 END
FROM n
JOIN (SELECT i, 1 + (i * 389) % 400 AS c,
             CASE WHEN i % 23 = 0 THEN 'location' WHEN i % 7 = 0 THEN 'image' WHEN i % 19 = 0 THEN 'voice' WHEN i % 41 = 0 THEN 'file' ELSE 'text' END AS kind
      FROM n) m ON m.i = n.i
JOIN fn f ON f.i = (n.i * 13) % 38 JOIN ln l ON l.i = (n.i * 17) % 36 JOIN dom d ON d.i = (n.i * 5) % 12
JOIN street s ON s.i = (n.i * 7) % 12 JOIN nums nu ON nu.n = 1 + (n.i * 11) % 1700
ORDER BY n.i;

UPDATE "Conversation" SET "LastMessageAt" = (SELECT max(sent_at) / 1000 FROM messages WHERE conversation_id = "ConversationId");

INSERT INTO attachments (id, message_id, mime_type, file_name, byte_size, width, height, duration_ms, local_path, sha256, thumbnail)
SELECT m.id, m.id,
       CASE m.kind WHEN 'image' THEN 'image/jpeg' WHEN 'voice' THEN 'audio/ogg' ELSE 'application/pdf' END,
       CASE m.kind
         WHEN 'image' THEN CASE WHEN m.id % 2 = 0 THEN printf('IMG_2024%02d%02d_%02d%02d%02d.jpg', 1 + m.id % 12, 1 + m.id % 28, m.id % 24, m.id % 60, (m.id * 7) % 60)
                                ELSE 'Screenshot_2024-0' || (1 + m.id % 9) || '-1' || (m.id % 10) || '.png' END
         WHEN 'voice' THEN printf('PTT-2024%02d%02d-WA%04d.opus', 1 + m.id % 12, 1 + m.id % 28, m.id % 10000)
         ELSE CASE m.id % 3 WHEN 0 THEN 'Scan_passport_' || (SELECT name FROM fn WHERE fn.i = m.id % 38) || '_' || (SELECT slug FROM ln WHERE ln.i = m.id % 36) || '.pdf'
                            WHEN 1 THEN 'Lease_agreement_' || (SELECT name FROM ln WHERE ln.i = (m.id * 3) % 36) || '.pdf'
                            ELSE 'boarding-pass.pdf' END END,
       20000 + (m.id * 7919) % 3000000,
       CASE WHEN m.kind = 'image' THEN 1080 + (m.id % 3) * 360 END,
       CASE WHEN m.kind = 'image' THEN 1440 + (m.id % 4) * 360 END,
       CASE WHEN m.kind = 'voice' THEN 2000 + (m.id * 131) % 90000 END,
       '/data/user/0/app.chirp/files/attachments/' || printf('%02x', m.id % 256) || '/' || printf('%016x%016x', m.id * 1103515245, m.id * 2654435761) || '.bin',
       printf('%016x%016x%016x%016x', m.id * 6364136223, m.id * 1442695041, m.id * 2862933555, m.id * 3202034522),
       CASE WHEN m.kind = 'image' THEN CAST('JFIF' || hex(zeroblob(200 + m.id % 100)) || 'thumb-' || m.id AS BLOB) END
FROM messages m WHERE m.kind IN ('image', 'voice', 'file') ORDER BY m.id;

WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2500)
INSERT OR IGNORE INTO reactions (message_id, reactor_id, emoji, reacted_at)
SELECT 1 + (n.i * 7) % 6000, CASE WHEN n.i % 4 = 0 THEN 0 ELSE 1 + (n.i * 13) % 1500 END,
       CASE n.i % 6 WHEN 0 THEN '👍' WHEN 1 THEN '❤️' WHEN 2 THEN '😂' WHEN 3 THEN '😮' WHEN 4 THEN '😢' ELSE '🙏' END,
       1704067200 + (n.i * 2654) % 15000000
FROM n ORDER BY n.i;

WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1200)
INSERT INTO "CallLog" ("CallId", "ContactId", "PeerNumber", "Direction", "Missed", "Video", "StartedAt", "DurationSec")
SELECT n.i, CASE WHEN n.i % 8 = 0 THEN NULL ELSE 1 + (n.i * 31) % 1500 END,
       CASE WHEN n.i % 8 = 0 THEN (SELECT e164 FROM nums WHERE nums.n = 1501 + n.i % 200) ELSE (SELECT e164 FROM nums WHERE nums.n = 1 + (n.i * 31) % 1500) END,
       CASE WHEN n.i % 3 = 0 THEN 'out' ELSE 'in' END, (n.i % 5 = 0), (n.i % 9 = 0),
       1704067200 + (n.i * 12289) % 15000000,
       CASE WHEN n.i % 5 = 0 THEN 0 ELSE 5 + (n.i * 97) % 3600 END
FROM n ORDER BY n.i;

WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 800)
INSERT INTO location_shares (id, contact_id, latitude, longitude, accuracy_m, captured_at, expires_at)
SELECT n.i, 1 + (n.i * 7) % 60 * 25, round(s.lat + ((n.i * 37) % 1000 - 500) / 20000.0, 6), round(s.lon + ((n.i * 61) % 1000 - 500) / 20000.0, 6),
       round(3 + (n.i * 13) % 60 + (n.i % 10) / 10.0, 1),
       1710000000 + n.i * 300, CASE WHEN n.i % 2 = 0 THEN 1710000000 + n.i * 300 + 3600 END
FROM n JOIN street s ON s.i = ((n.i * 7) % 60) % 12 ORDER BY n.i;

INSERT INTO sticker_packs (pack_id, title, author, cover, sticker_count, installed_at) VALUES
 ('a1f0c3d2e5b4', 'Chirpy the Bird', 'Chirp Studio', CAST('PNG' || hex(zeroblob(64)) AS BLOB), 24, 1651234600),
 ('b2e1d4c3f6a5', 'Office Cats', 'Kawaii Factory', CAST('PNG' || hex(zeroblob(72)) AS BLOB), 30, 1660000000),
 ('c3d2e5f4a7b6', 'Bubble Tea Friends', 'Kawaii Factory', NULL, 18, 1670000000),
 ('d4c3f6a5b8c7', 'Retro Pixels', 'Pixel Forge Studio', CAST('PNG' || hex(zeroblob(80)) AS BLOB), 40, NULL),
 ('e5b4a7b6c9d8', 'Good Morning Flowers', 'Chirp Studio', NULL, 16, 1680000000),
 ('f6a5b8c7d0e9', 'Football Legends', 'Goal Sticker Co.', NULL, 32, 1690000000),
 ('07b6c9d8e1f0', 'Holiday Lights', 'Chirp Studio', NULL, 20, 1701388800),
 ('18c7d0e9f201', 'Space Llamas', 'Nebula Arts', NULL, 26, NULL);

INSERT INTO kv_store (key, value) VALUES
 ('account.number', '+14155550132'),
 ('account.display_name', 'Jennifer Walker'),
 ('account.recovery_email', 'jennifer.walker@icloud.com'),
 ('backup.enabled', 'true'),
 ('backup.last_run', '1717100000'),
 ('backup.target', 'Google Drive (jennifer.walker.backup@gmail.com)'),
 ('notifications.sound', 'chirp_default'),
 ('privacy.read_receipts', 'true'),
 ('privacy.last_seen', 'contacts'),
 ('registration.lock_reminder', '1717000000'),
 ('settings.theme', 'dark'),
 ('settings.font_scale', '1.15'),
 ('settings.language', 'en-US'),
 ('sos.emergency_contact', 'Mark Walker +1 (415) 555-0178'),
 ('storage.auto_download', 'wifi'),
 ('sync.last_contacts_sync', '1717171000'),
 ('ui.last_conversation', '17'),
 ('ui.onboarding_done', 'true'),
 ('ui.sticker_pack_order', 'a1f0c3d2e5b4,b2e1d4c3f6a5,c3d2e5f4a7b6');

INSERT INTO messages_fts (messages_fts) VALUES ('optimize');
DROP TABLE temp.fn; DROP TABLE temp.ln; DROP TABLE temp.dom; DROP TABLE temp.street; DROP TABLE temp.nums;
COMMIT;
