-- Personal CRM / address book app for SQLite: an FTS5 virtual table (search)
-- indexing contact names, note titles and note bodies, kept in sync by
-- triggers, with its shadow tables (search_data, search_idx, search_content,
-- search_docsize, search_config); WITHOUT ROWID tables (contact_emails with
-- an e-mail address in its primary key, tags, note_tags, settings); a JSON
-- text column checked with json_valid (contacts.profile, nested phone numbers
-- and addresses); generated columns (a VIRTUAL one and a STORED one derived
-- from personal data).
--
-- Load: sqlite3 contacts.db < schema.sql   (deterministic: recursive CTEs over fixed lists)
PRAGMA foreign_keys = ON;
BEGIN;

CREATE TABLE contacts (
    id INTEGER PRIMARY KEY,
    display_name TEXT NOT NULL,
    name_lower TEXT GENERATED ALWAYS AS (lower(display_name)) STORED,
    email TEXT,
    email_domain TEXT GENERATED ALWAYS AS (substr(email, instr(email, '@') + 1)) VIRTUAL,
    phone TEXT,
    birthday TEXT,
    profile TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(profile)),
    favorite INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX contacts_name_lower ON contacts (name_lower);

CREATE TABLE contact_emails (
    contact_id INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    email TEXT NOT NULL,
    label TEXT NOT NULL DEFAULT 'other',
    PRIMARY KEY (contact_id, email)
) WITHOUT ROWID;

CREATE TABLE notes (
    id INTEGER PRIMARY KEY,
    contact_id INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX notes_contact ON notes (contact_id);

CREATE TABLE tags (tag TEXT PRIMARY KEY, color TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE note_tags (
    note_id INTEGER NOT NULL REFERENCES notes (id) ON DELETE CASCADE,
    tag TEXT NOT NULL REFERENCES tags (tag),
    PRIMARY KEY (note_id, tag)
) WITHOUT ROWID;
CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;

-- full-text search over the contact's name and the note (rowid = notes.id)
CREATE VIRTUAL TABLE search USING fts5(name, title, body, tokenize = 'unicode61 remove_diacritics 2');
CREATE TRIGGER notes_ai AFTER INSERT ON notes BEGIN
  INSERT INTO search (rowid, name, title, body)
  VALUES (new.id, (SELECT display_name FROM contacts WHERE id = new.contact_id), new.title, new.body);
END;
CREATE TRIGGER notes_au AFTER UPDATE ON notes BEGIN
  UPDATE search SET title = new.title, body = new.body WHERE rowid = new.id;
END;
CREATE TRIGGER notes_ad AFTER DELETE ON notes BEGIN
  DELETE FROM search WHERE rowid = old.id;
END;
CREATE TRIGGER contacts_au AFTER UPDATE OF display_name ON contacts BEGIN
  UPDATE search SET name = new.display_name WHERE rowid IN (SELECT id FROM notes WHERE contact_id = new.id);
END;

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
CREATE TEMP TABLE street (i INTEGER PRIMARY KEY, name TEXT, city TEXT, zip TEXT);
INSERT INTO street VALUES (0,'Maple Street','Springfield','62704'),(1,'Oak Avenue','Portland','97205'),
 (2,'Cedar Lane','Austin','78701'),(3,'Pine Road','Denver','80202'),(4,'Elm Street','Boston','02108'),
 (5,'High Street','London','SW1A 2AA'),(6,'Kings Road','Manchester','M1 1AE'),(7,'Hauptstrasse','Berlin','10115'),
 (8,'Rue de la Paix','Paris','75002'),(9,'Calle Mayor','Madrid','28013'),(10,'Bahnhofstrasse','Munich','80335'),
 (11,'Station Road','Dublin','D02 X285');
CREATE TEMP TABLE dom (i INTEGER PRIMARY KEY, d TEXT);
INSERT INTO dom VALUES (0,'gmail.com'),(1,'yahoo.com'),(2,'outlook.com'),(3,'hotmail.com'),(4,'icloud.com'),
 (5,'protonmail.com'),(6,'gmx.de'),(7,'web.de'),(8,'fastmail.com'),(9,'aol.com'),(10,'brightwave.io'),(11,'northwind.com');

INSERT INTO tags VALUES ('family','#e11d48'),('work','#2563eb'),('friends','#16a34a'),('birthday','#f59e0b'),
 ('follow-up','#7c3aed'),('gift-ideas','#db2777'),('health','#0891b2'),('travel','#65a30d'),('money','#ca8a04'),
 ('school','#9333ea'),('neighbours','#475569'),('important','#dc2626');

WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 800)
INSERT INTO contacts (id, display_name, email, phone, birthday, profile, favorite, created_at, updated_at)
SELECT n.i, f.name || ' ' || l.name,
       CASE WHEN n.i % 13 = 0 THEN NULL ELSE f.slug || '.' || l.slug || CASE WHEN n.i % 2 = 0 THEN n.i ELSE '' END || '@' || d.d END,
       CASE n.i % 5 WHEN 0 THEN NULL
                    WHEN 1 THEN printf('+1 (%03d) %03d-%04d', 200 + (n.i * 13) % 800, (n.i * 31) % 1000, (n.i * 7919) % 10000)
                    WHEN 2 THEN printf('+44 7700 %06d', (n.i * 104729) % 1000000)
                    WHEN 3 THEN printf('0151 %08d', (n.i * 7919) % 100000000)
                    ELSE printf('%03d.%03d.%04d', 200 + (n.i * 17) % 800, (n.i * 37) % 1000, (n.i * 6151) % 10000) END,
       CASE WHEN n.i % 3 <> 0 THEN printf('%04d-%02d-%02d', 1940 + (n.i * 7) % 65, 1 + (n.i * 5) % 12, 1 + (n.i * 11) % 28) END,
       json_object(
         'nickname', CASE WHEN n.i % 6 = 0 THEN substr(f.name, 1, 3) END,
         'company', CASE WHEN n.i % 4 = 0 THEN CASE n.i % 3 WHEN 0 THEN 'Northwind Traders' WHEN 1 THEN 'Brightwave Labs Inc.' ELSE 'Acme Logistics' END END,
         'phones', json_array(json_object('type', 'mobile', 'number', printf('+49 151 %04d %04d', (n.i * 97) % 10000, (n.i * 389) % 10000)),
                              json_object('type', 'home', 'number', printf('(%03d) %03d-%04d', 200 + (n.i * 7) % 800, (n.i * 53) % 1000, (n.i * 3571) % 10000))),
         'address', json_object('street', (1 + (n.i * 631) % 9000) || ' ' || s.name, 'city', s.city, 'postal_code', s.zip),
         'social', json_object('instagram', '@' || f.slug || '_' || l.slug, 'website', CASE WHEN n.i % 9 = 0 THEN 'https://' || f.slug || l.slug || '.com' END)),
       n.i % 11 = 0,
       datetime('2022-01-01', '+' || ((n.i * 7919) % 60000000) || ' seconds'),
       datetime('2022-01-01', '+' || ((n.i * 7919) % 60000000 + 86400 * (n.i % 90)) || ' seconds')
FROM n JOIN fn f ON f.i = (n.i * 7) % 38 JOIN ln l ON l.i = (n.i * 11 + n.i / 38) % 36
       JOIN dom d ON d.i = (n.i * 5) % 12 JOIN street s ON s.i = (n.i * 3) % 12
ORDER BY n.i;

WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1600)
INSERT OR IGNORE INTO contact_emails (contact_id, email, label)
SELECT c.id,
       CASE WHEN n.i <= 800 AND c.email IS NOT NULL THEN c.email
            ELSE (SELECT slug FROM fn WHERE fn.i = (c.id * 7) % 38) || '.' || (SELECT slug FROM ln WHERE ln.i = (c.id * 11 + c.id / 38) % 36)
                 || '@' || (SELECT d FROM dom WHERE dom.i = (n.i * 3 + 2) % 12) END,
       CASE WHEN n.i <= 800 THEN 'home' WHEN n.i % 2 = 0 THEN 'work' ELSE 'other' END
FROM n JOIN contacts c ON c.id = 1 + (n.i - 1) % 800
WHERE n.i <= 800 OR n.i % 3 <> 0
ORDER BY n.i;

WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2500)
INSERT INTO notes (id, contact_id, title, body, created_at)
SELECT n.i, c.id,
       CASE n.i % 7 WHEN 0 THEN 'Birthday' WHEN 1 THEN 'Lunch with ' || substr(c.display_name, 1, instr(c.display_name, ' ') - 1)
                    WHEN 2 THEN 'Call back' WHEN 3 THEN 'Gift ideas' WHEN 4 THEN 'Moved'
                    WHEN 5 THEN 'Doctor recommendation' ELSE 'Misc' END,
       CASE n.i % 7
         WHEN 0 THEN 'Birthday on ' || coalesce(c.birthday, 'unknown') || '. Party at ' || json_extract(c.profile, '$.address.street') || '.'
         WHEN 1 THEN 'Met at the cafe on ' || json_extract(c.profile, '$.address.city') || ' Road. Wants the recipe, send to '
                     || coalesce(c.email, 'their work address') || '.'
         WHEN 2 THEN 'Missed call from ' || coalesce(c.phone, json_extract(c.profile, '$.phones[0].number')) || ', call back after 6pm.'
         WHEN 3 THEN 'Likes jazz records and hiking gear. Size M.'
         WHEN 4 THEN 'New address: ' || (1 + (n.i * 37) % 900) || ' ' || (SELECT name FROM street WHERE street.i = (n.i * 5) % 12) || ', '
                     || (SELECT city FROM street WHERE street.i = (n.i * 5) % 12) || '. New number ' || printf('+44 20 %04d %04d', (n.i * 97) % 10000, (n.i * 131) % 10000) || '.'
         WHEN 5 THEN 'Recommended Dr. ' || (SELECT name FROM ln WHERE ln.i = (n.i * 13) % 36) || ' for the knee, practice phone '
                     || printf('(%03d) %03d-%04d', 200 + (n.i * 7) % 800, (n.i * 53) % 1000, (n.i * 3571) % 10000) || '.'
         ELSE 'Owes me 40 EUR for the concert tickets.' END,
       datetime('2022-06-01', '+' || ((n.i * 104729) % 70000000) || ' seconds')
FROM n JOIN contacts c ON c.id = 1 + (n.i * 389) % 800 ORDER BY n.i;

WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000)
INSERT OR IGNORE INTO note_tags (note_id, tag)
SELECT 1 + (n.i * 7) % 2500, t.tag
FROM n JOIN (SELECT tag, row_number() OVER (ORDER BY tag) - 1 AS k FROM tags) t ON t.k = (n.i * 5) % 12 ORDER BY n.i;

INSERT INTO settings (key, value) VALUES
 ('schema_version', '12'),
 ('sync', json_object('enabled', json('true'), 'account', 'jennifer.walker@icloud.com', 'last_sync', '2024-11-03T18:22:07Z')),
 ('owner', json_object('name', 'Jennifer Walker', 'email', 'jennifer.walker@icloud.com', 'phone', '+1 (415) 555-0132')),
 ('theme', '"dark"'),
 ('default_country', '"US"'),
 ('backup', json_object('target', 's3://personal-backups-jw/contacts', 'schedule', 'daily')),
 ('search.tokenizer', '"unicode61 remove_diacritics 2"'),
 ('locale', '"en_US"');

INSERT INTO search (search) VALUES ('optimize');
DROP TABLE temp.fn; DROP TABLE temp.ln; DROP TABLE temp.street; DROP TABLE temp.dom;
COMMIT;
