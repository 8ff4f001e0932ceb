-- The profile database of "Ember", a Chromium-based desktop browser that keeps
-- one SQLite file per profile (History, Login Data, Web Data and Cookies in one
-- file), as a support engineer would copy it from
-- ~/Library/Application Support/Ember/Default/Profile.db on the Mac of the
-- profile's owner, a recruiter. Chromium habits: LONGVARCHAR columns, times
-- as microseconds since 1601-01-01 (WebKit epoch) in INTEGER columns (unix
-- seconds in the autofill tables), no foreign keys (visits.url is urls.id,
-- icon_mapping.icon_id is favicons.id), AUTOINCREMENT keys (so
-- sqlite_sequence exists), tables keyed by text (meta, autofill_profiles by
-- guid), WITHOUT ROWID tables (autofill keyed by (name, value), prefs,
-- content_settings, downloads_url_chains), BLOBs for the OS-encrypted
-- passwords, card numbers and cookie values (prefix 'v10') and for icons and
-- download hashes. History: urls with visit and typed counts, visits, the
-- search terms typed into the omnibox, an FTS5 table history_fts over page
-- titles and URLs kept by triggers on urls (its shadow tables
-- history_fts_data, _idx, _content, _docsize and _config hold a copy of the
-- titles and URLs and the index terms), downloads whose paths carry the
-- owner's user name and the names of candidates whose CVs she downloaded.
-- Web Data: autofill name/value pairs (e-mails, phones, addresses typed into
-- forms, search boxes), address profiles with names, e-mails and phones in
-- their own tables, local and server cards. Login Data: saved logins (origin,
-- user name, encrypted password), per-site statistics. Cookies with host,
-- name, value. Two key/value tables: meta (schema versions, not personal)
-- and prefs (the signed-in account, the download folder, the profile name).
-- Search engines, site permissions and favicons are not personal.
--
-- Load: sqlite3 profile.db < schema.sql   (deterministic: recursive CTEs over fixed lists)
PRAGMA user_version = 82;
BEGIN;

-- History
CREATE TABLE meta (key LONGVARCHAR NOT NULL UNIQUE PRIMARY KEY, value LONGVARCHAR);
CREATE TABLE urls (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    url LONGVARCHAR,
    title LONGVARCHAR,
    visit_count INTEGER DEFAULT 0 NOT NULL,
    typed_count INTEGER DEFAULT 0 NOT NULL,
    last_visit_time INTEGER NOT NULL,
    hidden INTEGER DEFAULT 0 NOT NULL
);
CREATE INDEX urls_url_index ON urls (url);
CREATE TABLE visits (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    url INTEGER NOT NULL,
    visit_time INTEGER NOT NULL,
    from_visit INTEGER,
    transition INTEGER DEFAULT 0 NOT NULL,
    segment_id INTEGER,
    visit_duration INTEGER DEFAULT 0 NOT NULL,
    is_known_to_sync BOOLEAN DEFAULT FALSE NOT NULL
);
CREATE INDEX visits_url_index ON visits (url);
CREATE INDEX visits_time_index ON visits (visit_time);
CREATE TABLE keyword_search_terms (
    keyword_id INTEGER NOT NULL,
    url_id INTEGER NOT NULL,
    term LONGVARCHAR NOT NULL,
    normalized_term LONGVARCHAR NOT NULL
);
CREATE INDEX keyword_search_terms_index1 ON keyword_search_terms (keyword_id, normalized_term);
CREATE INDEX keyword_search_terms_index2 ON keyword_search_terms (url_id);
CREATE TABLE downloads (
    id INTEGER PRIMARY KEY,
    guid VARCHAR NOT NULL,
    current_path LONGVARCHAR NOT NULL,
    target_path LONGVARCHAR NOT NULL,
    start_time INTEGER NOT NULL,
    received_bytes INTEGER NOT NULL,
    total_bytes INTEGER NOT NULL,
    state INTEGER NOT NULL,
    danger_type INTEGER NOT NULL,
    interrupt_reason INTEGER NOT NULL,
    hash BLOB NOT NULL,
    end_time INTEGER NOT NULL,
    opened INTEGER NOT NULL,
    referrer VARCHAR NOT NULL,
    site_url VARCHAR NOT NULL,
    tab_url VARCHAR NOT NULL,
    mime_type VARCHAR(255) NOT NULL
);
CREATE TABLE downloads_url_chains (
    id INTEGER NOT NULL,
    chain_index INTEGER NOT NULL,
    url LONGVARCHAR NOT NULL,
    PRIMARY KEY (id, chain_index)
) WITHOUT ROWID;

-- full-text search over the history (Ember's own addition), kept by triggers on urls
CREATE VIRTUAL TABLE history_fts USING fts5(title, url, tokenize = 'porter unicode61');
CREATE TRIGGER urls_fts_ai AFTER INSERT ON urls BEGIN
  INSERT INTO history_fts (rowid, title, url) VALUES (new.id, new.title, new.url);
END;
CREATE TRIGGER urls_fts_ad AFTER DELETE ON urls BEGIN
  DELETE FROM history_fts WHERE rowid = old.id;
END;
CREATE TRIGGER urls_fts_au AFTER UPDATE OF title, url ON urls BEGIN
  UPDATE history_fts SET title = new.title, url = new.url WHERE rowid = new.id;
END;

-- Favicons
CREATE TABLE favicons (id INTEGER PRIMARY KEY, url LONGVARCHAR NOT NULL, icon_type INTEGER DEFAULT 1);
CREATE TABLE favicon_bitmaps (
    id INTEGER PRIMARY KEY,
    icon_id INTEGER NOT NULL,
    last_updated INTEGER DEFAULT 0,
    image_data BLOB,
    width INTEGER DEFAULT 0,
    height INTEGER DEFAULT 0,
    last_requested INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE icon_mapping (id INTEGER PRIMARY KEY, page_url LONGVARCHAR NOT NULL, icon_id INTEGER);
CREATE INDEX icon_mapping_page_url_idx ON icon_mapping (page_url);

-- Web Data
CREATE TABLE keywords (
    id INTEGER PRIMARY KEY,
    short_name VARCHAR NOT NULL,
    keyword VARCHAR NOT NULL,
    favicon_url VARCHAR NOT NULL,
    url VARCHAR NOT NULL,
    safe_for_autoreplace INTEGER,
    date_created INTEGER DEFAULT 0,
    usage_count INTEGER DEFAULT 0,
    input_encodings VARCHAR,
    suggest_url VARCHAR,
    prepopulate_id INTEGER DEFAULT 0,
    sync_guid VARCHAR,
    last_modified INTEGER DEFAULT 0
);
CREATE TABLE autofill (
    name VARCHAR,
    value VARCHAR,
    value_lower VARCHAR,
    date_created INTEGER DEFAULT 0,
    date_last_used INTEGER DEFAULT 0,
    count INTEGER DEFAULT 1,
    PRIMARY KEY (name, value)
) WITHOUT ROWID;
CREATE INDEX autofill_name_value_lower ON autofill (name, value_lower);
CREATE TABLE autofill_profiles (
    guid VARCHAR PRIMARY KEY,
    company_name VARCHAR,
    street_address VARCHAR,
    city VARCHAR,
    state VARCHAR,
    zipcode VARCHAR,
    country_code VARCHAR,
    date_modified INTEGER NOT NULL DEFAULT 0,
    origin VARCHAR DEFAULT '',
    language_code VARCHAR,
    use_count INTEGER NOT NULL DEFAULT 0,
    use_date INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE autofill_profile_names (guid VARCHAR, first_name VARCHAR, middle_name VARCHAR, last_name VARCHAR, full_name VARCHAR);
CREATE TABLE autofill_profile_emails (guid VARCHAR, email VARCHAR);
CREATE TABLE autofill_profile_phones (guid VARCHAR, number VARCHAR);
CREATE TABLE credit_cards (
    guid VARCHAR PRIMARY KEY,
    name_on_card VARCHAR,
    expiration_month INTEGER,
    expiration_year INTEGER,
    card_number_encrypted BLOB,
    date_modified INTEGER NOT NULL DEFAULT 0,
    origin VARCHAR DEFAULT '',
    use_count INTEGER NOT NULL DEFAULT 0,
    use_date INTEGER NOT NULL DEFAULT 0,
    billing_address_id VARCHAR,
    nickname VARCHAR
);
CREATE TABLE masked_credit_cards (
    id VARCHAR,
    name_on_card VARCHAR,
    network VARCHAR,
    last_four VARCHAR,
    exp_month INTEGER DEFAULT 0,
    exp_year INTEGER DEFAULT 0,
    bank_name VARCHAR,
    nickname VARCHAR
);

-- Login Data
CREATE TABLE logins (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    origin_url VARCHAR NOT NULL,
    action_url VARCHAR,
    username_element VARCHAR,
    username_value VARCHAR,
    password_element VARCHAR,
    password_value BLOB,
    signon_realm VARCHAR NOT NULL,
    date_created INTEGER NOT NULL,
    blacklisted_by_user INTEGER NOT NULL,
    scheme INTEGER NOT NULL,
    times_used INTEGER,
    display_name VARCHAR,
    icon_url VARCHAR,
    date_last_used INTEGER NOT NULL DEFAULT 0,
    date_password_modified INTEGER NOT NULL DEFAULT 0,
    UNIQUE (origin_url, username_element, username_value, password_element, signon_realm)
);
CREATE INDEX logins_signon ON logins (signon_realm);
CREATE TABLE stats (
    origin_domain VARCHAR NOT NULL,
    username_value VARCHAR,
    dismissal_count INTEGER,
    update_time INTEGER NOT NULL,
    UNIQUE (origin_domain, username_value)
);
CREATE TABLE insecure_credentials (
    parent_id INTEGER NOT NULL,
    insecurity_type INTEGER NOT NULL,
    create_time INTEGER NOT NULL,
    is_muted INTEGER NOT NULL DEFAULT 0,
    UNIQUE (parent_id, insecurity_type)
);

-- Cookies
CREATE TABLE cookies (
    creation_utc INTEGER NOT NULL,
    host_key TEXT NOT NULL,
    top_frame_site_key TEXT NOT NULL,
    name TEXT NOT NULL,
    value TEXT NOT NULL,
    encrypted_value BLOB NOT NULL,
    path TEXT NOT NULL,
    expires_utc INTEGER NOT NULL,
    is_secure INTEGER NOT NULL,
    is_httponly INTEGER NOT NULL,
    last_access_utc INTEGER NOT NULL,
    has_expires INTEGER NOT NULL,
    is_persistent INTEGER NOT NULL,
    priority INTEGER NOT NULL,
    samesite INTEGER NOT NULL,
    source_scheme INTEGER NOT NULL,
    source_port INTEGER NOT NULL,
    last_update_utc INTEGER NOT NULL,
    UNIQUE (host_key, top_frame_site_key, name, path, source_scheme, source_port)
);

-- Preferences
CREATE TABLE content_settings (
    origin TEXT NOT NULL,
    type TEXT NOT NULL,
    setting INTEGER NOT NULL,
    last_modified INTEGER NOT NULL,
    PRIMARY KEY (origin, type)
) WITHOUT ROWID;
CREATE TABLE prefs (key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;

-- ---------------------------------------------------------------------------
-- Deterministic data (word lists in temp tables, dropped at the end). Times:
-- WebKit microseconds; 13348540800000000 is 2024-01-01 00:00:00 UTC.
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
 (5,'protonmail.com'),(6,'gmx.de'),(7,'web.de'),(8,'fastmail.com'),(9,'aol.com'),(10,'live.co.uk'),(11,'btinternet.com');
-- the candidates, colleagues and friends who turn up in the history: person k
CREATE TEMP TABLE person (k INTEGER PRIMARY KEY, first TEXT, last TEXT, fslug TEXT, lslug TEXT, email TEXT, phone TEXT);
WITH RECURSIVE n(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM n WHERE k < 700)
INSERT INTO person
SELECT n.k, f.name, l.name, f.slug, l.slug,
       CASE n.k % 3 WHEN 0 THEN f.slug || '.' || l.slug WHEN 1 THEN substr(f.slug, 1, 1) || l.slug || (n.k % 97) ELSE f.slug || '_' || l.slug END || '@' || d.d,
       CASE n.k % 4 WHEN 0 THEN printf('07%03d %06d', 700 + (n.k * 7) % 300, 100000 + (n.k * 7919) % 900000)
                    WHEN 1 THEN printf('+44 7%03d %06d', 400 + (n.k * 13) % 600, 100000 + (n.k * 104729) % 900000)
                    WHEN 2 THEN printf('+49 15%02d %07d', (n.k * 17) % 100, 1000000 + (n.k * 7919) % 9000000)
                    ELSE printf('+1 (%03d) %03d-%04d', 201 + (n.k * 7) % 798, 200 + (n.k * 13) % 800, (n.k * 7919) % 10000) END
FROM n JOIN fn f ON f.i = (n.k * 7) % 38 JOIN ln l ON l.i = (n.k * 11) % 36 JOIN dom d ON d.i = (n.k * 5) % 12;
CREATE TEMP TABLE searches (i INTEGER PRIMARY KEY, q TEXT);
INSERT INTO searches VALUES (0,'flights london to lisbon'),(1,'weather london'),(2,'senior golang developer salary london'),
 (3,'symptoms of shingles'),(4,'sertraline side effects'),(5,'2 bed flat islington rent'),(6,'how to write a job offer letter'),
 (7,'brightwave labs glassdoor'),(8,'tfl status'),(9,'best pho near old street'),(10,'ovulation calculator'),(11,'gp surgery n1 opening times'),
 (12,'uk visa sponsorship skilled worker'),(13,'right to work check online'),(14,'marathon training plan 16 weeks'),(15,'nova bank app down'),
 (16,'recruiter interview questions backend'),(17,'notice period uk law'),(18,'cheap hotels porto'),(19,'couples therapy london'),
 (20,'kubernetes engineer market rate'),(21,'london to berlin train'),(22,'how to negotiate salary'),(23,'mum birthday gift ideas'),
 (24,'dentist emergency islington'),(25,'child benefit form'),(26,'premier league table'),(27,'pad thai recipe'),
 (28,'solicitor tenancy deposit dispute'),(29,'pregnancy test accuracy');
CREATE TEMP TABLE conds (i INTEGER PRIMARY KEY, slug TEXT, name TEXT);
INSERT INTO conds VALUES (0,'shingles','Shingles'),(1,'migraine','Migraine'),(2,'depression','Depression in adults'),(3,'asthma','Asthma'),
 (4,'anxiety','Generalised anxiety disorder in adults'),(5,'endometriosis','Endometriosis'),(6,'tonsillitis','Tonsillitis'),
 (7,'iron-deficiency-anaemia','Iron deficiency anaemia'),(8,'back-pain','Back pain'),(9,'hay-fever','Hay fever'),(10,'insomnia','Insomnia'),
 (11,'covid-19','COVID-19');
CREATE TEMP TABLE news (i INTEGER PRIMARY KEY, t TEXT);
INSERT INTO news VALUES (0,'Bank of England holds interest rates'),(1,'Storm warning for south-east England'),(2,'Tube strike called off'),
 (3,'New rules for skilled worker visas'),(4,'Tech job market cools in London'),(5,'Heathrow passenger numbers hit record'),
 (6,'Inflation falls to lowest level in two years'),(7,'Champions League draw in full'),(8,'House prices rise again in March'),
 (9,'Elections: what the polls say'),(10,'Rail fares to rise in March'),(11,'Heatwave expected this weekend');
CREATE TEMP TABLE products (i INTEGER PRIMARY KEY, t TEXT);
INSERT INTO products VALUES (0,'Anker USB C Charger 65W'),(1,'Kindle Paperwhite (16 GB)'),(2,'Bose QuietComfort Headphones'),
 (3,'Ergonomic Office Chair with Lumbar Support'),(4,'Yoga Mat Non Slip 6mm'),(5,'Running Shoes Women Lightweight'),
 (6,'Laptop Stand Aluminium'),(7,'Nespresso Vertuo Pods Variety Pack'),(8,'Logitech MX Master 3S Mouse'),(9,'Electric Toothbrush'),
 (10,'Baby Monitor with Camera'),(11,'Cast Iron Casserole Dish 24cm');
CREATE TEMP TABLE videos (i INTEGER PRIMARY KEY, t TEXT);
INSERT INTO videos VALUES (0,'How to answer "tell me about yourself"'),(1,'30 minute yoga for beginners'),(2,'Lisbon travel guide'),
 (3,'Go concurrency patterns'),(4,'Lofi hip hop radio'),(5,'Salary negotiation tips from a recruiter'),(6,'Premier League highlights'),
 (7,'Easy weeknight dinners'),(8,'Marathon pacing explained'),(9,'Portuguese for beginners lesson 1');
CREATE TEMP TABLE wiki (i INTEGER PRIMARY KEY, t TEXT);
INSERT INTO wiki VALUES (0,'Kubernetes'),(1,'Go_(programming_language)'),(2,'Lisbon'),(3,'Right_to_work_(United_Kingdom)'),
 (4,'Equality_Act_2010'),(5,'Porto'),(6,'Stock_option'),(7,'Islington'),(8,'Fado'),(9,'Applicant_tracking_system');
-- sites the owner uses: host, its favicon, where its login form lives
CREATE TEMP TABLE sites (i INTEGER PRIMARY KEY, host TEXT, login_path TEXT, ufield TEXT);
INSERT INTO sites VALUES (0,'accounts.google.com','/v3/signin/identifier','identifier'),(1,'www.linkedin.com','/login','session_key'),
 (2,'app.brightwave.io','/login','email'),(3,'www.amazon.co.uk','/ap/signin','email'),(4,'www.netflix.com','/gb/login','userLoginId'),
 (5,'github.com','/login','login'),(6,'www.nova-bank.co.uk','/app/login','email'),(7,'www.bbc.co.uk','/account/signin','username'),
 (8,'www.rightmove.co.uk','/login.html','email'),(9,'www.booking.com','/sign-in','username'),(10,'www.airbnb.co.uk','/login','email'),
 (11,'www.ryanair.com','/gb/en/login','email'),(12,'www.tesco.com','/account/login','email'),(13,'www.ocado.com','/webshop/login','email'),
 (14,'app.slack.com','/signin','email'),(15,'zoom.us','/signin','email'),(16,'www.glassdoor.co.uk','/profile/login','username'),
 (17,'www.indeed.co.uk','/account/login','__email'),(18,'www.dropbox.com','/login','login_email'),(19,'www.notion.so','/login','email'),
 (20,'www.spotify.com','/uk/login','username'),(21,'www.deliveroo.co.uk','/login','email'),(22,'www.uber.com','/login','email'),
 (23,'www.gov.uk','/sign-in','email'),(24,'www.nhs.uk','/nhs-login','email'),(25,'www.monzo.com','/login','email'),
 (26,'www.ebay.co.uk','/signin','userid'),(27,'www.strava.com','/login','email'),(28,'www.asos.com','/login','Username'),
 (29,'www.trainline.com','/my-account/login','email'),(30,'www.octopus.energy','/login','email'),(31,'www.thameswater.co.uk','/my-account','email'),
 (32,'www.hmrc.gov.uk','/sign-in','userId'),(33,'login.microsoftonline.com','/common/oauth2/authorize','loginfmt'),(34,'www.workday.com','/signin','username'),
 (35,'www.greenhouse.io','/users/sign_in','user[email]'),(36,'www.lever.co','/login','email'),(37,'www.canva.com','/login','email'),
 (38,'www.figma.com','/login','email'),(39,'www.ikea.com','/gb/en/profile/login','username');
CREATE TEMP TABLE usernames (i INTEGER PRIMARY KEY, u TEXT);
INSERT INTO usernames VALUES (0,'sofia.costa@gmail.com'),(1,'sofia.costa@brightwave.io'),(2,'scosta'),(3,'sofiacosta88'),(4,'sofia.costa+shopping@gmail.com'),
 (5,'maria.costa@sapo.pt'),(6,'s.costa@brightwave.io'),(7,'sofia.c.costa@icloud.com');

INSERT INTO meta (key, value) VALUES ('mmap_status', '-1'), ('version', '82'), ('last_compatible_version', '16'),
 ('early_expiration_threshold', '13348540800000000'), ('db_category', 'history+web_data+login_data+cookies');

-- 3000 history entries
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000)
INSERT INTO urls (id, url, title, visit_count, typed_count, last_visit_time, hidden)
SELECT n.i,
       CASE n.i % 20
         WHEN 0 THEN 'https://www.google.com/search?q=' || replace(s.q, ' ', '+') || '&oq=' || replace(s.q, ' ', '+') || '&sourceid=chrome&ie=UTF-8&ei=' || printf('%08x', (n.i * 2654435761) % 4294967296)
         WHEN 1 THEN 'https://www.google.com/search?q=' || p.fslug || '+' || p.lslug || '+linkedin&sourceid=chrome&ie=UTF-8&ei=' || printf('%08x', (n.i * 2654435761) % 4294967296)
         WHEN 2 THEN 'https://mail.google.com/mail/u/' || (n.i % 2) || '/#inbox/FMfcgz' || printf('%08X%06X', (n.i * 2654435761) % 4294967296, (n.i * 40503) % 16777216)
         WHEN 3 THEN 'https://www.linkedin.com/in/' || p.fslug || '-' || p.lslug || '-' || printf('%x', (n.i * 40503) % 1048576) || '/'
         WHEN 4 THEN 'https://www.linkedin.com/in/' || p.fslug || p.lslug || (n.i % 89) || '/recent-activity/all/'
         WHEN 5 THEN 'https://app.brightwave.io/ats/candidates/' || (10000 + n.i) || '?tab=cv&name=' || p.fslug || '+' || p.lslug
         WHEN 6 THEN 'https://docs.google.com/document/d/1' || printf('%010x%010x', (n.i * 2654435761) % 1099511627776, (n.i * 40503) % 1099511627776) || '/edit'
         WHEN 7 THEN 'https://www.bbc.co.uk/news/articles/c' || printf('%010x', (n.i * 2654435761) % 1099511627776) || 'o'
         WHEN 8 THEN 'https://www.amazon.co.uk/dp/B0' || printf('%08X', (n.i * 2654435761) % 4294967296) || '?th=1'
         WHEN 9 THEN 'https://www.youtube.com/watch?v=' || printf('%011x', (n.i * 2654435761) % 17592186044416)
         WHEN 10 THEN 'https://www.nhs.uk/conditions/' || c.slug || '/' || CASE n.i % 3 WHEN 0 THEN 'symptoms/' WHEN 1 THEN 'treatment/' ELSE '' END || '?ref=' || n.i
         WHEN 11 THEN 'https://www.rightmove.co.uk/properties/' || (140000000 + n.i * 7919) || '#/?channel=RES_LET'
         WHEN 12 THEN 'https://github.com/' || CASE n.i % 3 WHEN 0 THEN 'golang/go' WHEN 1 THEN 'kubernetes/kubernetes' ELSE 'brightwave/ats-web' END || '/issues/' || (1000 + n.i)
         WHEN 13 THEN 'https://calendar.google.com/calendar/u/0/r/day/2024/' || (1 + n.i % 6) || '/' || (1 + n.i % 28) || '?pli=' || n.i
         WHEN 14 THEN 'https://accounts.google.com/v3/signin/identifier?continue=https%3A%2F%2Fmail.google.com%2Fmail%2F&login_hint=' || replace(CASE WHEN n.i % 3 = 0 THEN 'sofia.costa@brightwave.io' ELSE 'sofia.costa@gmail.com' END, '@', '%40') || '&flowName=GlifWebSignIn&n=' || n.i
         WHEN 15 THEN 'https://meet.google.com/' || printf('%03x-%04x-%03x', n.i % 4096, (n.i * 40503) % 65536, (n.i * 7919) % 4096)
         WHEN 16 THEN 'https://www.nova-bank.co.uk/app/payments/' || printf('%08x', (n.i * 2654435761) % 4294967296)
         WHEN 17 THEN 'https://en.wikipedia.org/wiki/' || w.t || '?oldid=' || n.i
         WHEN 18 THEN 'https://www.linkedin.com/talent/search?keywords=' || CASE n.i % 5 WHEN 0 THEN 'golang' WHEN 1 THEN 'kubernetes' WHEN 2 THEN 'site+reliability' WHEN 3 THEN 'staff+engineer' ELSE 'rust' END || '&location=London&start=' || (n.i * 25)
         ELSE 'https://' || p.fslug || p.lslug || '.dev/projects/' || n.i END,
       CASE n.i % 20
         WHEN 0 THEN s.q || ' - Google Search'
         WHEN 1 THEN p.first || ' ' || p.last || ' linkedin - Google Search'
         WHEN 2 THEN CASE WHEN n.i % 3 = 0 THEN 'Re: Interview with ' || p.first || ' ' || p.last || ' - sofia.costa@brightwave.io - Brightwave Labs Mail'
                          ELSE 'Inbox (' || (n.i % 50) || ') - sofia.costa@gmail.com - Gmail' END
         WHEN 3 THEN p.first || ' ' || p.last || ' | LinkedIn'
         WHEN 4 THEN '(' || (n.i % 9) || ') ' || p.first || ' ' || p.last || ' | Activity | LinkedIn'
         WHEN 5 THEN 'Candidate ' || p.first || ' ' || p.last || ' - CV - Brightwave ATS'
         WHEN 6 THEN CASE n.i % 3 WHEN 0 THEN 'Offer letter - ' || p.first || ' ' || p.last WHEN 1 THEN 'Interview notes: ' || p.first || ' ' || substr(p.last, 1, 1) || '.' ELSE 'Q2 hiring plan' END || ' - Google Docs'
         WHEN 7 THEN nw.t || ' - BBC News'
         WHEN 8 THEN pr.t || ' : Amazon.co.uk'
         WHEN 9 THEN v.t || ' - YouTube'
         WHEN 10 THEN c.name || ' - NHS'
         WHEN 11 THEN (1 + n.i % 3) || ' bedroom flat for rent in ' || CASE n.i % 5 WHEN 0 THEN 'Islington' WHEN 1 THEN 'Hackney' WHEN 2 THEN 'Camden' WHEN 3 THEN 'Clapham' ELSE 'Stoke Newington' END || ', London' || ' - Rightmove'
         WHEN 12 THEN 'Issue #' || (1000 + n.i) || ' · ' || CASE n.i % 3 WHEN 0 THEN 'golang/go' WHEN 1 THEN 'kubernetes/kubernetes' ELSE 'brightwave/ats-web' END || ' · GitHub'
         WHEN 13 THEN 'Google Calendar - ' || (1 + n.i % 28) || ' ' || CASE 1 + n.i % 6 WHEN 1 THEN 'January' WHEN 2 THEN 'February' WHEN 3 THEN 'March' WHEN 4 THEN 'April' WHEN 5 THEN 'May' ELSE 'June' END || ' 2024'
         WHEN 14 THEN 'Sign in - Google Accounts'
         WHEN 15 THEN 'Meet - Interview: ' || p.first || ' ' || p.last
         WHEN 16 THEN 'Payments | Nova'
         WHEN 17 THEN replace(w.t, '_', ' ') || ' - Wikipedia'
         WHEN 18 THEN 'Search | LinkedIn Talent Solutions'
         ELSE p.first || ' ' || p.last || ' - Portfolio' END,
       0, CASE WHEN n.i % 20 IN (0, 14) OR n.i % 37 = 0 THEN 1 + n.i % 4 ELSE 0 END, 13348540800000000, 0
FROM n
JOIN person p ON p.k = 1 + (n.i * 7919) % 700
JOIN searches s ON s.i = (n.i * 31) % 30
JOIN conds c ON c.i = (n.i * 7) % 12
JOIN news nw ON nw.i = (n.i * 5) % 12
JOIN products pr ON pr.i = (n.i * 11) % 12
JOIN videos v ON v.i = (n.i * 3) % 10
JOIN wiki w ON w.i = (n.i * 13) % 10;

-- 7000 visits, in time order; a visit follows the previous one now and then (a link click)
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 7000)
INSERT INTO visits (id, url, visit_time, from_visit, transition, segment_id, visit_duration, is_known_to_sync)
SELECT i, 1 + (i * 7919) % 3000,
       13348540800000000 + i * 2221000000 + (i * 104729) % 1000000000,
       CASE WHEN i % 3 = 0 THEN i - 1 ELSE 0 END,
       CASE i % 7 WHEN 0 THEN 805306369 WHEN 1 THEN 838860801 WHEN 2 THEN 268435457 ELSE 805306368 END,
       CASE WHEN i % 5 = 0 THEN 1 + (i * 7) % 200 ELSE 0 END,
       ((i * 7919) % 600) * 1000000 + (i * 13) % 1000000,
       i % 4 <> 0
FROM n;
UPDATE urls SET visit_count = (SELECT count(*) FROM visits WHERE visits.url = urls.id),
                last_visit_time = coalesce((SELECT max(visit_time) FROM visits WHERE visits.url = urls.id), last_visit_time),
                hidden = CASE WHEN id % 20 IN (2, 14) AND id % 7 = 0 THEN 1 ELSE 0 END;

-- what was typed into the omnibox for the search result pages
INSERT INTO keyword_search_terms (keyword_id, url_id, term, normalized_term)
SELECT 2, u.id,
       CASE WHEN u.id % 20 = 0 THEN (SELECT CASE WHEN u.id % 3 = 0 THEN upper(substr(q, 1, 1)) || substr(q, 2) ELSE q END FROM searches WHERE i = (u.id * 31) % 30)
            ELSE (SELECT first || ' ' || last || ' linkedin' FROM person WHERE k = 1 + (u.id * 7919) % 700) END,
       CASE WHEN u.id % 20 = 0 THEN (SELECT q FROM searches WHERE i = (u.id * 31) % 30)
            ELSE (SELECT lower(first || ' ' || last) || ' linkedin' FROM person WHERE k = 1 + (u.id * 7919) % 700) END
FROM urls u WHERE u.id % 20 IN (0, 1) ORDER BY u.id;

-- site icons, two sizes each, and the pages that use them
INSERT INTO favicons (id, url, icon_type)
SELECT i + 1, 'https://' || host || '/favicon.ico', 1 FROM sites;
INSERT INTO favicons (id, url, icon_type) VALUES
 (41, 'https://www.google.com/favicon.ico', 1), (42, 'https://ssl.gstatic.com/ui/v1/icons/mail/rfr/gmail.ico', 1),
 (43, 'https://static.licdn.com/aero-v1/sc/h/al2o9zrvru7aqj8e1x2rzsrca', 1), (44, 'https://ssl.gstatic.com/docs/documents/images/kix-favicon7.ico', 1),
 (45, 'https://www.youtube.com/s/desktop/5bb1e0ac/img/favicon_32x32.png', 1), (46, 'https://en.wikipedia.org/static/favicon/wikipedia.ico', 1),
 (47, 'https://fonts.gstatic.com/s/i/productlogos/calendar_2020q4/v13/web-32dp/logo_calendar_2020q4_color_1x_web_32dp.png', 1),
 (48, 'https://fonts.gstatic.com/s/i/productlogos/meet_2020q4/v1/web-32dp/logo_meet_2020q4_color_1x_web_32dp.png', 1),
 (49, 'https://static.files.bbci.co.uk/core/website/assets/static/icons/favicon/news/favicon-32.png', 1),
 (50, 'https://assets.nhs.uk/favicons/favicon-32x32.png', 1);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100)
INSERT INTO favicon_bitmaps (id, icon_id, last_updated, image_data, width, height, last_requested)
SELECT i, 1 + (i - 1) % 50, 13348540800000000 + i * 86400000000,
       CAST(X'89504E470D0A1A0A' || zeroblob(40 + i % 30) || CAST(printf('icon-%d', 1 + (i - 1) % 50) AS BLOB) AS BLOB),
       CASE WHEN i <= 50 THEN 16 ELSE 32 END, CASE WHEN i <= 50 THEN 16 ELSE 32 END, 0
FROM n;
INSERT INTO icon_mapping (id, page_url, icon_id)
SELECT u.id, u.url,
       CASE u.id % 20 WHEN 0 THEN 41 WHEN 1 THEN 41 WHEN 2 THEN 42 WHEN 3 THEN 43 WHEN 4 THEN 43 WHEN 5 THEN 3 WHEN 6 THEN 44
                      WHEN 7 THEN 49 WHEN 8 THEN 4 WHEN 9 THEN 45 WHEN 10 THEN 50 WHEN 11 THEN 9 WHEN 12 THEN 6 WHEN 13 THEN 47
                      WHEN 14 THEN 1 WHEN 15 THEN 48 WHEN 16 THEN 7 WHEN 17 THEN 46 WHEN 18 THEN 43 ELSE NULL END
FROM urls u WHERE u.id <= 2500 ORDER BY u.id;

INSERT INTO keywords (id, short_name, keyword, favicon_url, url, safe_for_autoreplace, date_created, usage_count, input_encodings, suggest_url, prepopulate_id, sync_guid, last_modified) VALUES
 (2, 'Google', 'google.com', 'https://www.google.com/images/branding/product/ico/googleg_lodp.ico', '{google:baseURL}search?q={searchTerms}&{google:RLZ}{google:originalQueryForSuggestion}{google:assistedQueryStats}{google:searchFieldtrialParameter}{google:iOSSearchLanguage}{google:prefetchSource}{google:searchClient}{google:sourceId}{google:contextualSearchVersion}ie={inputEncoding}', 1, 0, 2311, 'UTF-8', '{google:baseSuggestURL}search?{google:searchFieldtrialParameter}client={google:suggestClient}&gs_ri={google:suggestRid}&xssi=t&q={searchTerms}&{google:inputType}{google:omniboxFocusType}{google:cursorPosition}{google:currentPageUrl}{google:pageClassification}{google:clientCacheTimeToLive}{google:searchVersion}{google:sessionToken}{google:prefetchQuery}sugkey={google:suggestAPIKeyParameter}', 1, '485bf7d3-0215-45af-87dc-538868000001', 0),
 (3, 'Bing', 'bing.com', 'https://www.bing.com/sa/simg/bing_p_rr_teal_min.ico', 'https://www.bing.com/search?q={searchTerms}&PC=U316&FORM=CHROMN', 1, 0, 4, 'UTF-8', 'https://www.bing.com/osjson.aspx?query={searchTerms}&language={language}&PC=U316', 3, '485bf7d3-0215-45af-87dc-538868000003', 0),
 (4, 'DuckDuckGo', 'duckduckgo.com', 'https://duckduckgo.com/favicon.ico', 'https://duckduckgo.com/?q={searchTerms}', 1, 0, 17, 'UTF-8', 'https://duckduckgo.com/ac/?q={searchTerms}&type=list', 92, '485bf7d3-0215-45af-87dc-538868000092', 0),
 (5, 'Ecosia', 'ecosia.org', 'https://cdn.ecosia.org/assets/images/ico/favicon.ico', 'https://www.ecosia.org/search?q={searchTerms}', 1, 0, 0, 'UTF-8', 'https://ac.ecosia.org/autocomplete?q={searchTerms}&type=list', 101, '485bf7d3-0215-45af-87dc-538868000101', 0),
 (6, 'Wikipedia (en)', 'en.wikipedia.org', 'https://en.wikipedia.org/static/favicon/wikipedia.ico', 'https://en.wikipedia.org/w/index.php?title=Special:Search&search={searchTerms}', 0, 13349000000000000, 12, 'UTF-8', NULL, 0, 'a1c4e2b0-7d7e-4b8a-9a61-2f7c1d5e0006', 13349000000000000),
 (7, 'YouTube', 'youtube.com', 'https://www.youtube.com/s/desktop/5bb1e0ac/img/favicon_32x32.png', 'https://www.youtube.com/results?search_query={searchTerms}&page={startPage?}&utm_source=opensearch', 0, 13349100000000000, 31, 'UTF-8', NULL, 0, 'a1c4e2b0-7d7e-4b8a-9a61-2f7c1d5e0007', 13349100000000000),
 (8, 'Brightwave ATS', 'ats', 'https://app.brightwave.io/favicon.ico', 'https://app.brightwave.io/ats/search?q={searchTerms}', 0, 13349200000000000, 140, 'UTF-8', NULL, 0, 'a1c4e2b0-7d7e-4b8a-9a61-2f7c1d5e0008', 13349200000000000);

-- 400 downloads: candidates' CVs, the owner's payslips and tenancy papers, installers, photos
CREATE TEMP TABLE dl (i INTEGER PRIMARY KEY, path TEXT, size INTEGER, ref TEXT, site TEXT, tab TEXT, mime TEXT, chain0 TEXT, chain1 TEXT);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 400)
INSERT INTO dl
SELECT n.i,
       '/Users/sofiacosta/' || CASE n.i % 10
         WHEN 0 THEN 'Downloads/CV_' || p.first || '_' || p.last || '.pdf'
         WHEN 1 THEN 'Downloads/CV_' || p.first || '_' || p.last || CASE WHEN n.i % 7 = 0 THEN ' (1)' ELSE '' END || '.pdf'
         WHEN 2 THEN 'Downloads/' || p.first || ' ' || p.last || ' - Resume.docx'
         WHEN 3 THEN 'Documents/Payslips/Payslip_Sofia_Costa_2024-' || printf('%02d', 1 + n.i % 6) || '.pdf'
         WHEN 4 THEN 'Downloads/IMG_' || (4000 + n.i) || '.jpeg'
         WHEN 5 THEN 'Downloads/Brightwave_Offer_' || p.last || '_' || p.first || '.pdf'
         WHEN 6 THEN 'Downloads/' || CASE n.i % 4 WHEN 0 THEN 'Slack-4.36.140-macOS.dmg' WHEN 1 THEN 'zoomusInstallerFull.pkg' WHEN 2 THEN 'Docker.dmg' ELSE 'GoogleDrive.dmg' END
         WHEN 7 THEN 'Downloads/' || CASE n.i % 3 WHEN 0 THEN 'Tenancy agreement - Flat 2, 27 Elm Grove N1 2AB.pdf' WHEN 1 THEN 'Nova statement ' || (1 + n.i % 6) || '-2024.pdf' ELSE 'Council_Tax_Bill_S_Costa.pdf' END
         WHEN 8 THEN 'Downloads/RTW_share_code_' || p.first || '_' || p.last || '.pdf'
         ELSE 'Downloads/Boarding pass - COSTA SOFIA - ' || CASE n.i % 2 WHEN 0 THEN 'LIS' ELSE 'OPO' END || '.pdf' END,
       20000 + (n.i * 7919) % 900000,
       CASE n.i % 10
         WHEN 0 THEN 'https://app.brightwave.io/ats/candidates/' || (10000 + n.i * 7) || '?tab=cv&name=' || p.fslug || '+' || p.lslug
         WHEN 1 THEN 'https://app.brightwave.io/ats/candidates/' || (10000 + n.i * 7) || '?tab=cv&name=' || p.fslug || '+' || p.lslug
         WHEN 2 THEN 'https://mail.google.com/mail/u/1/'
         WHEN 3 THEN 'https://www.workday.com/brightwave/d/pex/payslips.htmld'
         WHEN 4 THEN 'https://photos.google.com/u/0/photo/AF1Qip' || printf('%012x', (n.i * 2654435761 * 7) % 281474976710656)
         WHEN 5 THEN 'https://docs.google.com/document/u/0/?tgif=d'
         WHEN 6 THEN ''
         WHEN 7 THEN 'https://www.nova-bank.co.uk/app/statements'
         WHEN 8 THEN 'https://www.gov.uk/view-right-to-work?share_code=' || upper(printf('%03x%03x%03x', (n.i * 7) % 4096, (n.i * 13) % 4096, (n.i * 31) % 4096)) || '&dob=' || (1970 + n.i % 30) || '-0' || (1 + n.i % 9) || '-1' || (n.i % 9)
         ELSE 'https://www.ryanair.com/gb/en/trip/manage' END,
       CASE n.i % 10 WHEN 0 THEN 'https://app.brightwave.io/' WHEN 1 THEN 'https://app.brightwave.io/' WHEN 2 THEN 'https://mail.google.com/'
                     WHEN 3 THEN 'https://www.workday.com/' WHEN 4 THEN 'https://photos.google.com/' WHEN 5 THEN 'https://docs.google.com/'
                     WHEN 6 THEN CASE n.i % 4 WHEN 0 THEN 'https://slack.com/' WHEN 1 THEN 'https://zoom.us/' WHEN 2 THEN 'https://www.docker.com/' ELSE 'https://www.google.com/' END
                     WHEN 7 THEN 'https://www.nova-bank.co.uk/' WHEN 8 THEN 'https://www.gov.uk/' ELSE 'https://www.ryanair.com/' END,
       CASE n.i % 10
         WHEN 2 THEN 'https://mail.google.com/mail/u/1/#inbox/FMfcgz' || printf('%08X%06X', (n.i * 2654435761) % 4294967296, (n.i * 40503) % 16777216)
         WHEN 5 THEN 'https://docs.google.com/document/d/1' || printf('%010x%010x', (n.i * 2654435761) % 1099511627776, (n.i * 40503) % 1099511627776) || '/edit'
         WHEN 6 THEN CASE n.i % 4 WHEN 0 THEN 'https://slack.com/downloads/mac' WHEN 1 THEN 'https://zoom.us/download' WHEN 2 THEN 'https://www.docker.com/products/docker-desktop/' ELSE 'https://www.google.com/drive/download/' END
         WHEN 4 THEN 'https://photos.google.com/photo/AF1Qip' || printf('%012x', (n.i * 2654435761 * 7) % 281474976710656)
         ELSE '' END,
       CASE n.i % 10 WHEN 2 THEN 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' WHEN 4 THEN 'image/jpeg'
                     WHEN 6 THEN CASE n.i % 4 WHEN 1 THEN 'application/octet-stream' ELSE 'application/x-apple-diskimage' END ELSE 'application/pdf' END,
       CASE n.i % 10
         WHEN 0 THEN 'https://files.brightwave.io/cv/' || (10000 + n.i * 7) || '/CV_' || p.fslug || '_' || p.lslug || '.pdf?X-Amz-Signature=' || printf('%016x', (n.i * 2654435761 * 40503) % 9007199254740992)
         WHEN 1 THEN 'https://files.brightwave.io/cv/' || (10000 + n.i * 7) || '/CV_' || p.fslug || '_' || p.lslug || '.pdf?X-Amz-Signature=' || printf('%016x', (n.i * 2654435761 * 40503) % 9007199254740992)
         WHEN 2 THEN 'https://mail-attachment.googleusercontent.com/attachment/u/1/?ui=2&ik=' || printf('%010x', (n.i * 2654435761) % 1099511627776) || '&attid=0.1&permmsgid=msg-f:17' || (80000000000000000 + n.i * 7919) || '&disp=safe'
         WHEN 3 THEN 'https://www.workday.com/brightwave/payslip/' || printf('%08x', (n.i * 40503) % 4294967296) || '.pdf'
         WHEN 4 THEN 'https://lh3.googleusercontent.com/pw/AP1Gcz' || printf('%016x', (n.i * 2654435761 * 13) % 9007199254740992) || '=d'
         WHEN 5 THEN 'https://docs.google.com/document/d/1' || printf('%010x%010x', (n.i * 2654435761) % 1099511627776, (n.i * 40503) % 1099511627776) || '/export?format=pdf'
         WHEN 6 THEN CASE n.i % 4 WHEN 0 THEN 'https://downloads.slack-edge.com/desktop-releases/mac/universal/4.36.140/Slack-4.36.140-macOS.dmg'
                                 WHEN 1 THEN 'https://cdn.zoom.us/prod/5.17.11.31580/zoomusInstallerFull.pkg'
                                 WHEN 2 THEN 'https://desktop.docker.com/mac/main/arm64/Docker.dmg' ELSE 'https://dl.google.com/drive-file-stream/GoogleDrive.dmg' END
         WHEN 7 THEN 'https://www.nova-bank.co.uk/app/statements/download?id=' || printf('%08x', (n.i * 2654435761) % 4294967296)
         WHEN 8 THEN 'https://www.gov.uk/view-right-to-work/download?holder=' || p.fslug || '-' || p.lslug
         ELSE 'https://www.ryanair.com/api/boardingpass/pdf?surname=COSTA&firstname=SOFIA&pnr=' || upper(printf('%06x', (n.i * 7919) % 16777216)) END,
       CASE WHEN n.i % 4 = 0 AND n.i % 10 IN (0, 1, 6) THEN
         CASE n.i % 10 WHEN 6 THEN 'https://objects.githubusercontent.com/release-assets/' || n.i
                       ELSE 'https://brightwave-cv-store.s3.eu-west-2.amazonaws.com/cv/' || (10000 + n.i * 7) || '/CV_' || p.fslug || '_' || p.lslug || '.pdf' END END
FROM n JOIN person p ON p.k = 1 + (n.i * 104729) % 700;

INSERT INTO downloads (id, guid, current_path, target_path, start_time, received_bytes, total_bytes, state, danger_type, interrupt_reason, hash,
                       end_time, opened, referrer, site_url, tab_url, mime_type)
SELECT i,
       printf('%08x-%04x-4%03x-a%03x-%012x', (i * 2654435761) % 4294967296, (i * 40503) % 65536, (i * 7) % 4096, (i * 13) % 4096, (i * 104729 * 7919) % 281474976710656),
       CASE WHEN i % 53 = 0 THEN path || '.crdownload' ELSE path END, path,
       13348540800000000 + i * 38000000000, CASE WHEN i % 53 = 0 THEN 4096 ELSE size END, size,
       CASE WHEN i % 53 = 0 THEN 2 ELSE 1 END, CASE WHEN mime = 'application/x-apple-diskimage' THEN 1 ELSE 0 END,
       CASE WHEN i % 53 = 0 THEN 40 ELSE 0 END,
       CAST(printf('%016x%016x', (i * 2654435761) % 9007199254740992, (i * 40503 * 104729) % 9007199254740992) AS BLOB),
       13348540800000000 + i * 38000000000 + 4000000, i % 3 <> 0,
       ref, site, tab, mime
FROM dl ORDER BY i;
INSERT INTO downloads_url_chains (id, chain_index, url)
SELECT i, 0, coalesce(chain1, chain0) FROM dl
UNION ALL SELECT i, 1, chain0 FROM dl WHERE chain1 IS NOT NULL
ORDER BY 1, 2;

-- autofill: what was typed into form fields, by field name (the owner's own details, candidates', search boxes)
INSERT INTO autofill (name, value, value_lower, date_created, date_last_used, count) VALUES
 ('email', 'sofia.costa@gmail.com', 'sofia.costa@gmail.com', 1690000000, 1719700000, 214),
 ('email', 'sofia.costa@brightwave.io', 'sofia.costa@brightwave.io', 1695000000, 1719600000, 96),
 ('email', 'Sofia.Costa@gmail.com', 'sofia.costa@gmail.com', 1691000000, 1701000000, 3),
 ('name', 'Sofia Costa', 'sofia costa', 1690000000, 1719500000, 57),
 ('firstname', 'Sofia', 'sofia', 1690000000, 1719500000, 41),
 ('lastname', 'Costa', 'costa', 1690000000, 1719500000, 41),
 ('phone', '07911 123456', '07911 123456', 1690000000, 1719400000, 38),
 ('tel', '+447911123456', '+447911123456', 1692000000, 1719300000, 12),
 ('address', 'Flat 2, 27 Elm Grove', 'flat 2, 27 elm grove', 1690000000, 1719200000, 22),
 ('postcode', 'N1 2AB', 'n1 2ab', 1690000000, 1719200000, 25),
 ('city', 'London', 'london', 1690000000, 1719200000, 25),
 ('company', 'Brightwave Labs Inc.', 'brightwave labs inc.', 1695000000, 1719000000, 14),
 ('username', 'scosta', 'scosta', 1695000000, 1718000000, 9),
 ('dob', '14/03/1988', '14/03/1988', 1696000000, 1712000000, 2),
 ('coupon', 'WELCOME10', 'welcome10', 1700000000, 1700000000, 1),
 ('qty', '2', '2', 1700000000, 1710000000, 6);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1250),
x AS (
  SELECT n.i,
         CASE n.i % 8 WHEN 0 THEN 'candidate_email' WHEN 1 THEN 'candidate_name' WHEN 2 THEN 'reference_phone' WHEN 3 THEN 'q'
                      WHEN 4 THEN 'search_query' WHEN 5 THEN 'referee_email' WHEN 6 THEN 'attendee' ELSE 'location' END AS name,
         CASE n.i % 8 WHEN 0 THEN p.email WHEN 1 THEN p.first || ' ' || p.last WHEN 2 THEN p.phone
                      WHEN 3 THEN s.q WHEN 4 THEN v.t
                      WHEN 5 THEN p.fslug || '.' || p.lslug || '@' || CASE n.i % 3 WHEN 0 THEN 'northwind.com' WHEN 1 THEN 'bluefin-analytics.com' ELSE 'gmail.com' END
                      WHEN 6 THEN p.first || ' ' || p.last || ' <' || p.email || '>'
                      ELSE CASE n.i % 5 WHEN 0 THEN 'Islington' WHEN 1 THEN 'Shoreditch' WHEN 2 THEN 'Remote (UK)' WHEN 3 THEN 'Berlin' ELSE 'Lisbon' END END AS v
  FROM n
  JOIN person p ON p.k = 1 + (n.i * 7919) % 700
  JOIN searches s ON s.i = (n.i * 7) % 30
  JOIN videos v ON v.i = n.i % 10)
INSERT OR IGNORE INTO autofill (name, value, value_lower, date_created, date_last_used, count)
SELECT name, v, lower(v), 1700000000 + i * 14000, 1700000000 + i * 14000 + (i * 7919) % 900000, 1 + i % 5
FROM x ORDER BY i;

-- address profiles: home, work, the previous flat, the owner's mother, her partner, a friend she sends gifts to
INSERT INTO autofill_profiles (guid, company_name, street_address, city, state, zipcode, country_code, date_modified, origin, language_code, use_count, use_date) VALUES
 ('6b1e5c1d-2f3a-4b4c-9d8e-7f6a5b4c3d01', '', 'Flat 2
27 Elm Grove', 'London', '', 'N1 2AB', 'GB', 1712000000, '', 'en', 48, 1719500000),
 ('6b1e5c1d-2f3a-4b4c-9d8e-7f6a5b4c3d02', 'Brightwave Labs Inc.', '100 Shoreditch High Street
Floor 4', 'London', '', 'E1 6JQ', 'GB', 1705000000, 'https://www.amazon.co.uk', 'en', 12, 1718000000),
 ('6b1e5c1d-2f3a-4b4c-9d8e-7f6a5b4c3d03', '', '8 Victoria Street
Flat 3', 'Bristol', '', 'BS1 6AA', 'GB', 1660000000, '', 'en', 30, 1688000000),
 ('6b1e5c1d-2f3a-4b4c-9d8e-7f6a5b4c3d04', '', 'Rua Augusta 112, 3º Esq', 'Lisboa', '', '1100-053', 'PT', 1701000000, 'https://www.amazon.co.uk', 'pt', 5, 1716000000),
 ('6b1e5c1d-2f3a-4b4c-9d8e-7f6a5b4c3d05', 'Kessler Maschinenbau GmbH', 'Hauptstrasse 7', 'Berlin', '', '10115', 'DE', 1708000000, '', 'de', 3, 1714000000),
 ('6b1e5c1d-2f3a-4b4c-9d8e-7f6a5b4c3d06', '', '14 Kings Road', 'Manchester', '', 'M1 4BT', 'GB', 1710000000, 'https://www.etsy.com', 'en', 2, 1710500000);
INSERT INTO autofill_profile_names (guid, first_name, middle_name, last_name, full_name) VALUES
 ('6b1e5c1d-2f3a-4b4c-9d8e-7f6a5b4c3d01', 'Sofia', 'Isabel', 'Costa', 'Sofia Isabel Costa'),
 ('6b1e5c1d-2f3a-4b4c-9d8e-7f6a5b4c3d02', 'Sofia', '', 'Costa', 'Sofia Costa'),
 ('6b1e5c1d-2f3a-4b4c-9d8e-7f6a5b4c3d03', 'Sofia', '', 'Costa', 'Sofia Costa'),
 ('6b1e5c1d-2f3a-4b4c-9d8e-7f6a5b4c3d04', 'Maria', 'Helena', 'Costa', 'Maria Helena Costa'),
 ('6b1e5c1d-2f3a-4b4c-9d8e-7f6a5b4c3d05', 'Daniel', '', 'Weber', 'Daniel Weber'),
 ('6b1e5c1d-2f3a-4b4c-9d8e-7f6a5b4c3d06', 'Priya', '', 'Patel', 'Priya Patel');
INSERT INTO autofill_profile_emails (guid, email) VALUES
 ('6b1e5c1d-2f3a-4b4c-9d8e-7f6a5b4c3d01', 'sofia.costa@gmail.com'), ('6b1e5c1d-2f3a-4b4c-9d8e-7f6a5b4c3d02', 'sofia.costa@brightwave.io'),
 ('6b1e5c1d-2f3a-4b4c-9d8e-7f6a5b4c3d03', 'sofia.costa@gmail.com'), ('6b1e5c1d-2f3a-4b4c-9d8e-7f6a5b4c3d04', 'maria.costa@sapo.pt'),
 ('6b1e5c1d-2f3a-4b4c-9d8e-7f6a5b4c3d05', 'daniel.weber@kessler-mb.de'), ('6b1e5c1d-2f3a-4b4c-9d8e-7f6a5b4c3d06', '');
INSERT INTO autofill_profile_phones (guid, number) VALUES
 ('6b1e5c1d-2f3a-4b4c-9d8e-7f6a5b4c3d01', '07911 123456'), ('6b1e5c1d-2f3a-4b4c-9d8e-7f6a5b4c3d02', '+44 20 7946 0321'),
 ('6b1e5c1d-2f3a-4b4c-9d8e-7f6a5b4c3d03', '07911 123456'), ('6b1e5c1d-2f3a-4b4c-9d8e-7f6a5b4c3d04', '+351 912 345 678'),
 ('6b1e5c1d-2f3a-4b4c-9d8e-7f6a5b4c3d05', '+49 151 23456789'), ('6b1e5c1d-2f3a-4b4c-9d8e-7f6a5b4c3d06', '+44 7700 900123');

-- cards kept by the browser (number encrypted with the OS key) and the bank's server cards (last four digits only)
INSERT INTO credit_cards (guid, name_on_card, expiration_month, expiration_year, card_number_encrypted, date_modified, origin, use_count, use_date, billing_address_id, nickname) VALUES
 ('c0a1b2c3-d4e5-4f60-8a9b-0c1d2e3f4a01', 'SOFIA I COSTA', 9, 2027, CAST('v10' || 'K3p9Qe7Lw2Rt5Yu8Io1Pa4Sd' AS BLOB), 1712000000, '', 64, 1719600000, '6b1e5c1d-2f3a-4b4c-9d8e-7f6a5b4c3d01', 'Personal Visa'),
 ('c0a1b2c3-d4e5-4f60-8a9b-0c1d2e3f4a02', 'Sofia Costa', 3, 2026, CAST('v10' || 'Zx8Cv5Bn2Mq9Wn4Er7Ty1Ui' AS BLOB), 1705000000, 'https://www.amazon.co.uk', 11, 1717000000, '6b1e5c1d-2f3a-4b4c-9d8e-7f6a5b4c3d02', 'Brightwave Amex'),
 ('c0a1b2c3-d4e5-4f60-8a9b-0c1d2e3f4a03', 'MARIA H COSTA', 12, 2025, CAST('v10' || 'Lk2Jh5Gf8Ds1Aq4Wz7Xs0Ed' AS BLOB), 1701000000, '', 2, 1716000000, '6b1e5c1d-2f3a-4b4c-9d8e-7f6a5b4c3d04', 'Mum''s Multibanco card');
INSERT INTO masked_credit_cards (id, name_on_card, network, last_four, exp_month, exp_year, bank_name, nickname) VALUES
 ('a3f5c7e9b1d2', 'Sofia Costa', 'visa', '4821', 9, 2027, 'Nova', 'Nova debit'),
 ('b4e6d8f0a2c3', 'Sofia Costa', 'mastercard', '0392', 5, 2026, 'Monzo', NULL),
 ('c5d7e9f1b3a4', 'S COSTA', 'amex', '1007', 3, 2026, 'American Express', 'Work card');

-- saved logins: per site, the owner's addresses and handles, her mother's streaming account; "never save" entries
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 400)
INSERT OR IGNORE INTO logins (origin_url, action_url, username_element, username_value, password_element, password_value, signon_realm,
    date_created, blacklisted_by_user, scheme, times_used, display_name, icon_url, date_last_used, date_password_modified)
SELECT 'https://' || st.host || st.login_path || CASE WHEN n.i > 40 THEN '?v=' || (n.i / 40) ELSE '' END,
       'https://' || st.host || st.login_path,
       CASE WHEN n.i % 29 = 0 THEN '' ELSE st.ufield END,
       CASE WHEN n.i % 29 = 0 THEN '' WHEN n.i % 8 = 4 THEN 'sofia.costa+' || replace(st.host, 'www.', '') || '@gmail.com' ELSE u.u END,
       CASE WHEN n.i % 29 = 0 THEN '' ELSE 'password' END,
       CASE WHEN n.i % 29 = 0 THEN NULL ELSE CAST('v10' || printf('%032x', (n.i * 2654435761 * 40503) % 9223372036854775807) AS BLOB) END,
       'https://' || st.host || '/',
       13340000000000000 + n.i * 20000000000, n.i % 29 = 0, 0, CASE WHEN n.i % 29 = 0 THEN 0 ELSE 1 + (n.i * 7) % 120 END,
       CASE WHEN st.host = 'accounts.google.com' OR n.i % 37 = 0 THEN 'Sofia Costa' ELSE '' END,
       CASE WHEN st.host = 'accounts.google.com' OR n.i % 37 = 0 THEN 'https://lh3.googleusercontent.com/a/ACg8ocK' || printf('%012x', (n.i * 2654435761) % 281474976710656) || '=s96-c' ELSE '' END,
       13348540800000000 + (n.i * 7919) % 15552000 * 1000000, 13340000000000000 + n.i * 20000000000
FROM n JOIN sites st ON st.i = (n.i * 7) % 40 JOIN usernames u ON u.i = (n.i * 3) % 8;

WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 60)
INSERT OR IGNORE INTO stats (origin_domain, username_value, dismissal_count, update_time)
SELECT 'https://' || st.host || '/', u.u, n.i % 4, 13348540800000000 + n.i * 250000000000
FROM n JOIN sites st ON st.i = (n.i * 11) % 40 JOIN usernames u ON u.i = (n.i * 5) % 8;

WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 30)
INSERT OR IGNORE INTO insecure_credentials (parent_id, insecurity_type, create_time, is_muted)
SELECT 1 + (n.i * 13) % 300, n.i % 3, 13348540800000000 + n.i * 86400000000, n.i % 5 = 0 FROM n;

-- cookies: 110 hosts x up to 28 names; session cookies encrypted ('v10' + ciphertext, value empty), the rest in clear
CREATE TEMP TABLE chost (i INTEGER PRIMARY KEY, host TEXT);
INSERT INTO chost SELECT i, CASE WHEN host LIKE 'www.%' THEN substr(host, 4) ELSE host END FROM sites;
INSERT INTO chost (host) VALUES
 ('.doubleclick.net'),('.google-analytics.com'),('.facebook.com'),('.hotjar.com'),('.cloudflare.com'),('.bing.com'),('.twitter.com'),
 ('.tiktok.com'),('.criteo.com'),('.adnxs.com'),('.taboola.com'),('.outbrain.com'),('.scorecardresearch.com'),('.quantserve.com'),
 ('.amazon-adsystem.com'),('.rubiconproject.com'),('.pubmatic.com'),('.openx.net'),('.casalemedia.com'),('.demdex.net'),
 ('.bluekai.com'),('.mathtag.com'),('.adsrvr.org'),('.yahoo.com'),('.reddit.com'),('.pinterest.com'),('.theguardian.com'),
 ('.ft.com'),('.economist.com'),('.nytimes.com'),('.medium.com'),('.stackoverflow.com'),('.wikipedia.org'),('.bbc.com'),
 ('.etsy.com'),('.ebay.com'),('.johnlewis.com'),('.argos.co.uk'),('.boots.com'),('.sainsburys.co.uk'),('.waitrose.com'),
 ('.nationalrail.co.uk'),('.tfl.gov.uk'),('.citymapper.com'),('.skyscanner.net'),('.expedia.co.uk'),('.hotels.com'),
 ('.tripadvisor.co.uk'),('.opentable.co.uk'),('.timeout.com'),('.eventbrite.co.uk'),('.meetup.com'),('.coursera.org'),
 ('.udemy.com'),('.duolingo.com'),('.intercom.io'),('.posthog.com'),('.segment.io'),('.hubspot.com'),('.mailchimp.com'),
 ('.typeform.com'),('.calendly.com'),('.docusign.net'),('.ashbyhq.com'),('.workable.com'),('.personio.de'),('.deel.com'),
 ('.remote.com'),('.hibob.com'),('.smartrecruiters.com');
CREATE TEMP TABLE cname (i INTEGER PRIMARY KEY, name TEXT, enc INTEGER);
INSERT INTO cname VALUES (0,'_ga',0),(1,'_gid',0),(2,'SID',1),(3,'__Secure-3PSID',1),(4,'session_id',0),(5,'csrftoken',0),(6,'li_at',1),
 (7,'ajs_user_id',0),(8,'user_email',0),(9,'OptanonConsent',0),(10,'cookie_consent',0),(11,'lang',0),(12,'_fbp',0),
 (13,'remember_user_token',1),(14,'_gcl_au',0),(15,'AWSALB',0),(16,'uid',0),(17,'currency',0),(18,'ph_phc_posthog',0),
 (19,'last_search',0),(20,'JSESSIONID',1),(21,'PHPSESSID',0),(22,'__cf_bm',0),(23,'_dd_s',0),(24,'NID',0),
 (25,'intercom-session',1),(26,'_hjSessionUser',0),(27,'recently_viewed',0);

WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 2999)
INSERT INTO cookies (creation_utc, host_key, top_frame_site_key, name, value, encrypted_value, path, expires_utc, is_secure, is_httponly,
    last_access_utc, has_expires, is_persistent, priority, samesite, source_scheme, source_port, last_update_utc)
SELECT 13348540800000000 + n.i * 5100000000 + (n.i * 7919) % 1000000,
       h.host, '', c.name,
       CASE WHEN c.enc = 1 THEN '' ELSE CASE c.i
         WHEN 0 THEN 'GA1.1.' || (100000000 + (n.i * 7919) % 900000000) || '.' || (1700000000 + (n.i * 104729) % 19000000)
         WHEN 1 THEN 'GA1.1.' || (100000000 + (n.i * 104729) % 900000000) || '.' || (1718000000 + n.i % 1000000)
         WHEN 4 THEN printf('%016x%016x', (n.i * 2654435761) % 9007199254740992, (n.i * 40503 * 7919) % 9007199254740992)
         WHEN 5 THEN printf('%016X%016x', (n.i * 40503) % 9007199254740992, (n.i * 2654435761 * 13) % 9007199254740992)
         WHEN 7 THEN '%22' || replace(CASE WHEN n.i % 3 = 0 THEN 'sofia.costa@brightwave.io' ELSE 'sofia.costa@gmail.com' END, '@', '%40') || '%22'
         WHEN 8 THEN replace(CASE WHEN n.i % 2 = 0 THEN 'sofia.costa@gmail.com' ELSE 'sofia.costa+' || replace(h.host, '.', '') || '@gmail.com' END, '@', '%40')
         WHEN 9 THEN 'isGpcEnabled=0&datestamp=Mon+Jun+03+2024+10%3A1' || (n.i % 10) || '%3A00+GMT%2B0100&version=202405.1.0&consentId=' || printf('%08x-%04x', (n.i * 2654435761) % 4294967296, n.i % 65536) || '&interactionCount=1&groups=C0001%3A1%2CC0002%3A0%2CC0004%3A0'
         WHEN 10 THEN 'accepted'
         WHEN 11 THEN 'en-GB'
         WHEN 12 THEN 'fb.1.' || (1718000000000 + n.i * 7919) || '.' || (100000000 + (n.i * 104729) % 900000000)
         WHEN 14 THEN '1.1.' || (100000000 + (n.i * 7919) % 900000000) || '.' || (1716000000 + n.i)
         WHEN 15 THEN printf('%016x', (n.i * 2654435761 * 104729) % 9007199254740992) || 'ALB' || printf('%08x', n.i * 40503 % 4294967296)
         WHEN 16 THEN CASE n.i % 3 WHEN 0 THEN 'scosta' WHEN 1 THEN 'sofiacosta88' ELSE (100000 + (n.i * 7919) % 900000) END
         WHEN 17 THEN 'GBP'
         WHEN 18 THEN '%7B%22distinct_id%22%3A%22' || replace('sofia.costa@brightwave.io', '@', '%40') || '%22%2C%22%24sesid%22%3A%5B' || (1718000000000 + n.i) || '%5D%7D'
         WHEN 19 THEN replace((SELECT q FROM searches WHERE i = n.i % 30), ' ', '+')
         WHEN 21 THEN printf('%026x', (n.i * 2654435761 * 7) % 9007199254740992)
         WHEN 22 THEN printf('%x', (n.i * 40503 * 13) % 9007199254740992) || '-' || (1718000000 + n.i) || '-1.0.1.1-' || printf('%x', n.i * 7919)
         WHEN 23 THEN 'rum=0&expire=' || (1718000000000 + n.i * 1000)
         WHEN 24 THEN '511=' || printf('%016x', (n.i * 2654435761 * 40503) % 9007199254740992)
         WHEN 26 THEN '%7B%22id%22%3A%22' || printf('%08x-%04x', (n.i * 104729) % 4294967296, n.i % 65536) || '%22%2C%22created%22%3A' || (1718000000000 + n.i) || '%7D'
         ELSE (SELECT group_concat(pr.i, '%2C') FROM products pr WHERE pr.i <= n.i % 12) END END,
       CASE WHEN c.enc = 1 THEN CAST('v10' || printf('%016x%016x', (n.i * 2654435761) % 9007199254740992, (n.i * 104729 * 13) % 9007199254740992) AS BLOB) ELSE X'' END,
       '/', 13380000000000000 + (n.i * 7919) % 30000000 * 1000000, 1, c.enc, 13349000000000000 + n.i * 4000000000, 1, 1, 1,
       CASE WHEN c.enc = 1 THEN 0 ELSE -1 END, 2, 443, 13348540800000000 + n.i * 5100000000
FROM n JOIN chost h ON h.i = n.i % 110 JOIN cname c ON c.i = n.i / 110;

-- site permissions (notifications, camera, microphone, location...)
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 320)
INSERT OR IGNORE INTO content_settings (origin, type, setting, last_modified)
SELECT 'https://' || CASE WHEN h.host LIKE '.%' THEN 'www' || h.host ELSE h.host END || ':443',
       CASE n.i % 7 WHEN 0 THEN 'notifications' WHEN 1 THEN 'geolocation' WHEN 2 THEN 'media_stream_camera' WHEN 3 THEN 'media_stream_mic'
                    WHEN 4 THEN 'popups' WHEN 5 THEN 'sound' ELSE 'clipboard' END,
       CASE WHEN n.i % 5 = 0 THEN 2 ELSE 1 END, 13348540800000000 + n.i * 48000000000
FROM n JOIN chost h ON h.i = (n.i * 13) % 110;

-- preferences of the profile
INSERT INTO prefs (key, value) VALUES
 ('account_info.email', 'sofia.costa@gmail.com'),
 ('account_info.full_name', 'Sofia Costa'),
 ('account_info.given_name', 'Sofia'),
 ('account_info.gaia_id', '110948372615290384756'),
 ('account_info.picture_url', 'https://lh3.googleusercontent.com/a/ACg8ocKd8Vq2xY7nR0pTz4mW1sJ5bL9hF3cE6uA2oI8eN=s96-c'),
 ('autofill.credit_card_enabled', 'true'),
 ('autofill.profile_enabled', 'true'),
 ('browser.has_seen_welcome_page', 'true'),
 ('download.default_directory', '/Users/sofiacosta/Downloads'),
 ('download.prompt_for_download', 'false'),
 ('homepage', 'https://app.brightwave.io/ats/dashboard'),
 ('intl.accept_languages', 'en-GB,en,pt-PT'),
 ('profile.avatar_index', '26'),
 ('profile.content_settings.exceptions.last_reset', '13348540800000000'),
 ('profile.created_by_version', '120.0.6099.71'),
 ('profile.name', 'Sofia (Work)'),
 ('profile.exit_type', 'Normal'),
 ('savefile.default_directory', '/Users/sofiacosta/Documents'),
 ('session.restore_on_startup', '1'),
 ('signin.allowed', 'true'),
 ('signin.last_username', 'sofia.costa@brightwave.io'),
 ('sync.requested', 'true'),
 ('sync.last_synced_time', '13365840000000000'),
 ('translate_blocked_languages', 'pt'),
 ('webkit.webprefs.default_font_size', '16'),
 ('extensions.settings.count', '7'),
 ('printing.print_preview_sticky_settings.appState', '{"recentDestinations":[{"id":"HP_LaserJet_Brightwave_4F","origin":"local"}]}'),
 ('spellcheck.dictionaries', 'en-GB,pt-PT'),
 ('ntp.custom_links', 'https://mail.google.com/mail/u/0/,https://app.brightwave.io/ats/dashboard,https://www.linkedin.com/talent/'),
 ('credentials_enable_service', 'true');

INSERT INTO history_fts (history_fts) VALUES ('optimize');
DROP TABLE temp.fn; DROP TABLE temp.ln; DROP TABLE temp.dom; DROP TABLE temp.person; DROP TABLE temp.searches; DROP TABLE temp.conds;
DROP TABLE temp.news; DROP TABLE temp.products; DROP TABLE temp.videos; DROP TABLE temp.wiki; DROP TABLE temp.sites; DROP TABLE temp.usernames;
DROP TABLE temp.dl; DROP TABLE temp.chost; DROP TABLE temp.cname;
COMMIT;
