-- TimeTracking-style app for SQLite (the style of examples/timetracking.db and
-- the blue/green deployment in the seeds): lower-case snake_case names,
-- INTEGER PRIMARY KEY rowid aliases, dates and times as TEXT, a migrations
-- table, columns added and renamed by later migrations (ALTER TABLE ADD /
-- RENAME COLUMN), users with password hashes and login IPs, time entries with
-- free-text notes, sessions with user agents, a view over hours per week.
--
-- Load: sqlite3 database.db < schema.sql   (deterministic: recursive CTEs over fixed lists)
PRAGMA foreign_keys = ON;
BEGIN;

CREATE TABLE migrations (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, applied_at TEXT NOT NULL);
CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE, full_name TEXT NOT NULL, role TEXT NOT NULL DEFAULT 'member');
CREATE TABLE projects (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE time_entries (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users(id),
  project_id INTEGER NOT NULL REFERENCES projects(id), day TEXT NOT NULL, minutes INTEGER NOT NULL, note TEXT);
CREATE INDEX idx_entries_user_day ON time_entries(user_id, day);
-- 002_auth
ALTER TABLE users ADD COLUMN password_hash TEXT;
ALTER TABLE users ADD COLUMN last_login_at TEXT;
ALTER TABLE users ADD COLUMN last_login_ip TEXT;
CREATE TABLE sessions (token TEXT PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at TEXT NOT NULL, expires_at TEXT NOT NULL, user_agent TEXT, ip TEXT);
-- 003_projects_clients
ALTER TABLE projects ADD COLUMN client TEXT;
ALTER TABLE projects ADD COLUMN client_contact_email TEXT;
ALTER TABLE projects ADD COLUMN hourly_rate_cents INTEGER NOT NULL DEFAULT 0;
ALTER TABLE projects ADD COLUMN archived INTEGER NOT NULL DEFAULT 0;
-- 004_notes_absences
CREATE TABLE notes (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users(id),
  entry_id INTEGER REFERENCES time_entries(id), body TEXT NOT NULL, created_at TEXT NOT NULL DEFAULT (datetime('now')));
CREATE TABLE absences (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users(id), from_day TEXT NOT NULL,
  to_day TEXT NOT NULL, kind TEXT NOT NULL CHECK (kind IN ('vacation', 'sick', 'parental', 'training')), comment TEXT);
-- 005_rename_full_name, 006_feature_flag, 007_phone
ALTER TABLE users RENAME COLUMN full_name TO name;
ALTER TABLE users ADD COLUMN feature_flag BOOLEAN DEFAULT false;
ALTER TABLE users ADD COLUMN phone TEXT;
CREATE INDEX idx_notes_user ON notes(user_id);
CREATE VIEW weekly_hours AS
  SELECT u.id AS user_id, u.name, u.email, strftime('%Y-%W', e.day) AS week, sum(e.minutes) / 60.0 AS hours
  FROM time_entries e JOIN users u ON u.id = e.user_id GROUP BY u.id, week;

-- ---------------------------------------------------------------------------
-- Deterministic data (word lists in temp tables, dropped at the end)
-- ---------------------------------------------------------------------------
CREATE TEMP TABLE fn (i INTEGER PRIMARY KEY, name TEXT, slug TEXT);
INSERT INTO fn VALUES
 (0,'James','james'),(1,'Mary','mary'),(2,'Robert','robert'),(3,'Patricia','patricia'),(4,'John','john'),
 (5,'Jennifer','jennifer'),(6,'Michael','michael'),(7,'Linda','linda'),(8,'David','david'),(9,'Elizabeth','elizabeth'),
 (10,'Anna','anna'),(11,'Lena','lena'),(12,'Felix','felix'),(13,'Jonas','jonas'),(14,'Leonie','leonie'),
 (15,'Maximilian','maximilian'),(16,'Sophie','sophie'),(17,'Paul','paul'),(18,'Marie','marie'),(19,'Tobias','tobias'),
 (20,'Julia','julia'),(21,'Niklas','niklas'),(22,'Katharina','katharina'),(23,'Florian','florian'),(24,'Priya','priya'),
 (25,'Wei','wei'),(26,'Fatima','fatima'),(27,'Mateo','mateo'),(28,'Sofia','sofia'),(29,'Lukas','lukas'),
 (30,'Hannah','hannah'),(31,'Aisha','aisha'),(32,'Olivia','olivia'),(33,'Noah','noah'),(34,'Jürgen','juergen'),
 (35,'René','rene'),(36,'翔太','shota');
CREATE TEMP TABLE ln (i INTEGER PRIMARY KEY, name TEXT, slug TEXT);
INSERT INTO ln VALUES
 (0,'Müller','mueller'),(1,'Schmidt','schmidt'),(2,'Schneider','schneider'),(3,'Fischer','fischer'),(4,'Weber','weber'),
 (5,'Meyer','meyer'),(6,'Wagner','wagner'),(7,'Becker','becker'),(8,'Schulz','schulz'),(9,'Hoffmann','hoffmann'),
 (10,'Koch','koch'),(11,'Richter','richter'),(12,'Klein','klein'),(13,'Wolf','wolf'),(14,'Schröder','schroeder'),
 (15,'Neumann','neumann'),(16,'Braun','braun'),(17,'Zimmermann','zimmermann'),(18,'Smith','smith'),(19,'Johnson','johnson'),
 (20,'Brown','brown'),(21,'Garcia','garcia'),(22,'Nguyen','nguyen'),(23,'Kowalski','kowalski'),(24,'Okafor','okafor'),
 (25,'Patel','patel'),(26,'Tanaka','tanaka'),(27,'O''Brien','obrien'),(28,'Lindqvist','lindqvist'),(29,'Dupré','dupre'),
 (30,'山田','yamada');
CREATE TEMP TABLE client (i INTEGER PRIMARY KEY, name TEXT, domain TEXT);
INSERT INTO client VALUES (0,'Stadtwerke Nordhafen','stadtwerke-nordhafen.de'),(1,'Brightwave Labs Inc.','brightwave.io'),
 (2,'Kessler Maschinenbau GmbH','kessler-mb.de'),(3,'Orchid Health','orchidhealth.org'),(4,'Atlas Freight Ltd','atlasfreight.co.uk'),
 (5,'Bäckerei Sonnenschein','baeckerei-sonnenschein.de'),(6,'Nimbus Cloudworks','nimbuscloud.io'),(7,'Redwood Legal LLP','redwoodlegal.com'),
 (8,'Meridian Travel','meridiantravel.com'),(9,'internal',NULL);

WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 7)
INSERT INTO migrations (name, applied_at)
SELECT printf('%03d_%s', i, CASE i WHEN 1 THEN 'initial' WHEN 2 THEN 'auth' WHEN 3 THEN 'projects_clients' WHEN 4 THEN 'notes_absences'
                                   WHEN 5 THEN 'rename_full_name' WHEN 6 THEN 'feature_flag' ELSE 'phone' END),
       datetime('2023-02-01 09:00:00', '+' || (i * 23) || ' days', '+' || (i * 611) || ' seconds')
FROM n ORDER BY i;

WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 250)
INSERT INTO users (id, email, name, role, password_hash, last_login_at, last_login_ip, feature_flag, phone)
SELECT n.i,
       CASE WHEN n.i % 3 = 0 THEN f.slug || '.' || l.slug || n.i || '@' || (SELECT domain FROM client WHERE client.i = n.i % 9)
            WHEN n.i % 3 = 1 THEN substr(f.slug, 1, 1) || '.' || l.slug || n.i || '@firma-beispiel.de'
            ELSE f.slug || '.' || l.slug || '.' || n.i || '@gmail.com' END,
       f.name || ' ' || l.name,
       CASE WHEN n.i <= 2 THEN 'admin' WHEN n.i % 10 = 0 THEN 'manager' ELSE 'member' END,
       '$2b$10$' || substr(printf('%08x%08x%08x%08x%08x%08x%04x', n.i * 2654435761 % 4294967296, n.i * 40503 % 4294967296,
              n.i * 2246822519 % 4294967296, n.i * 3266489917 % 4294967296, n.i * 668265263 % 4294967296, n.i * 374761393 % 4294967296, n.i % 65536), 1, 53),
       CASE WHEN n.i % 8 <> 0 THEN datetime('2024-01-01', '+' || ((n.i * 7919) % 300) || ' days', '+' || ((n.i * 104729) % 86400) || ' seconds') END,
       CASE WHEN n.i % 8 <> 0 THEN printf('%d.%d.%d.%d', 11 + (n.i * 37) % 200, (n.i * 91) % 256, (n.i * 53) % 256, 1 + (n.i * 29) % 254) END,
       n.i % 5 = 0,
       CASE n.i % 4 WHEN 0 THEN printf('+49 151 %04d %04d', (n.i * 97) % 10000, (n.i * 7919) % 10000)
                    WHEN 1 THEN printf('0171/%07d', (n.i * 104729) % 10000000)
                    WHEN 2 THEN printf('+1 (%03d) %03d-%04d', 200 + (n.i * 13) % 800, (n.i * 31) % 1000, (n.i * 7919) % 10000) END
FROM n JOIN fn f ON f.i = (n.i * 7) % 37 JOIN ln l ON l.i = (n.i * 11 + n.i / 31) % 31
ORDER BY n.i;

WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 60)
INSERT INTO projects (id, name, client, client_contact_email, hourly_rate_cents, archived)
SELECT n.i,
       CASE n.i % 6 WHEN 0 THEN 'Website relaunch' WHEN 1 THEN 'Data migration' WHEN 2 THEN 'Support retainer'
                    WHEN 3 THEN 'Mobile app' WHEN 4 THEN 'Security audit' ELSE 'Internal tooling' END || ' ' || (2022 + n.i % 3),
       c.name,
       CASE WHEN c.domain IS NOT NULL THEN f.slug || '.' || l.slug || '@' || c.domain END,
       CASE WHEN c.domain IS NULL THEN 0 ELSE 6500 + (n.i * 250) % 6000 END,
       n.i % 7 = 0
FROM n JOIN client c ON c.i = n.i % 10 JOIN fn f ON f.i = (n.i * 5) % 37 JOIN ln l ON l.i = (n.i * 3) % 31
ORDER BY n.i;

WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 6000)
INSERT INTO time_entries (id, user_id, project_id, day, minutes, note)
SELECT n.i, 1 + (n.i * 389) % 250, 1 + (n.i * 7) % 60, date('2024-01-01', '+' || ((n.i * 31) % 330) || ' days'),
       15 * (1 + (n.i * 13) % 32),
       CASE (n.i * 17) % 9
         WHEN 0 THEN NULL WHEN 1 THEN 'Standup + sprint planning' WHEN 2 THEN 'Code review'
         WHEN 3 THEN 'Call with ' || (SELECT name FROM fn WHERE fn.i = (n.i * 3) % 37) || ' from the client, +49 30 ' || printf('%07d', (n.i * 7919) % 10000000)
         WHEN 4 THEN 'Bugfix #' || (1000 + n.i % 900)
         WHEN 5 THEN 'Meeting notes sent to ' || (SELECT slug FROM fn WHERE fn.i = (n.i * 5) % 37) || '.' || (SELECT slug FROM ln WHERE ln.i = (n.i * 7) % 31) || '@gmail.com'
         WHEN 6 THEN 'Deployment to staging'
         WHEN 7 THEN 'Doctor appointment, made up hours later'
         ELSE 'Workshop' END
FROM n ORDER BY n.i;

WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1500)
INSERT INTO notes (id, user_id, entry_id, body, created_at)
SELECT n.i, 1 + (n.i * 389) % 250, CASE WHEN n.i % 3 <> 0 THEN 1 + (n.i * 4007) % 6000 END,
       CASE (n.i * 7) % 6
         WHEN 0 THEN 'Reminder: send timesheet to ' || (SELECT slug FROM fn WHERE fn.i = (n.i * 3) % 37) || '@firma-beispiel.de by Friday.'
         WHEN 1 THEN 'Client asked to be called back on ' || printf('+44 20 %04d %04d', (n.i * 97) % 10000, (n.i * 131) % 10000) || '.'
         WHEN 2 THEN 'Overtime approved by ' || (SELECT name FROM fn WHERE fn.i = (n.i * 11) % 37) || ' ' || (SELECT name FROM ln WHERE ln.i = (n.i * 13) % 31) || '.'
         WHEN 3 THEN 'VPN was down, worked offline.'
         WHEN 4 THEN 'Home office: ' || (10 + (n.i * 7) % 190) || ' ' || CASE n.i % 3 WHEN 0 THEN 'Hauptstrasse' WHEN 1 THEN 'Bahnhofstrasse' ELSE 'Lindenallee' END || ', ' || printf('%05d', 10000 + (n.i * 7919) % 89999) || ' Berlin'
         ELSE 'Nothing special.' END,
       datetime('2024-01-01', '+' || ((n.i * 31) % 330) || ' days', '+' || ((n.i * 7919) % 86400) || ' seconds')
FROM n ORDER BY n.i;

WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 400)
INSERT INTO sessions (token, user_id, created_at, expires_at, user_agent, ip)
SELECT lower(printf('%08x%08x%08x%08x', n.i * 2654435761 % 4294967296, n.i * 2246822519 % 4294967296, n.i * 3266489917 % 4294967296, n.i * 668265263 % 4294967296)),
       1 + (n.i * 197) % 250,
       datetime('2024-10-01', '+' || ((n.i * 7919) % 5000000) || ' seconds'),
       datetime('2024-10-01', '+' || ((n.i * 7919) % 5000000 + 1209600) || ' seconds'),
       CASE n.i % 3 WHEN 0 THEN 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36'
                    WHEN 1 THEN 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15'
                    ELSE 'TimeTracking/2.4.1 (iPhone; iOS 17.1)' END,
       printf('%d.%d.%d.%d', 11 + (n.i * 41) % 200, (n.i * 97) % 256, (n.i * 59) % 256, 1 + (n.i * 23) % 254)
FROM n ORDER BY n.i;

WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300)
INSERT INTO absences (id, user_id, from_day, to_day, kind, comment)
SELECT n.i, 1 + (n.i * 83) % 250, date('2024-01-01', '+' || ((n.i * 37) % 330) || ' days'),
       date('2024-01-01', '+' || ((n.i * 37) % 330 + (n.i % 10)) || ' days'),
       CASE n.i % 7 WHEN 0 THEN 'sick' WHEN 1 THEN 'sick' WHEN 2 THEN 'parental' WHEN 3 THEN 'training' ELSE 'vacation' END,
       CASE n.i % 7 WHEN 0 THEN 'Flu, doctor''s note submitted' WHEN 1 THEN 'Back surgery' WHEN 2 THEN 'Birth of daughter'
                    WHEN 4 THEN 'Reachable at ' || printf('+49 170 %07d', (n.i * 7919) % 10000000) || ' for emergencies' END
FROM n ORDER BY n.i;

DROP TABLE temp.fn; DROP TABLE temp.ln; DROP TABLE temp.client;
COMMIT;
