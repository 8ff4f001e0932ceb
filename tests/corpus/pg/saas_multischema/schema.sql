-- Multi-schema B2B SaaS (hand-written DDL, several teams' conventions):
-- schemas crm, billing and audit; quoted mixed-case names with spaces
-- (crm."Contact Notes"."Body Text", billing."Invoice Lines");
-- GENERATED ALWAYS AS IDENTITY ids (loaded with OVERRIDING SYSTEM VALUE);
-- stored generated columns derived from personal data (crm.contacts.full_name,
-- crm.contacts.email_lower, billing."Invoice Lines".amount); a domain over text
-- (crm.email_address); table inheritance (crm.leads INHERITS crm.people,
-- sharing one sequence); a list-partitioned table (audit.events) with two
-- partitions created with the parent and two added after data was loaded
-- (one ATTACHed with a different physical column order, one DEFAULT); text[]
-- arrays of e-mail addresses and phone numbers; jsonb with nested personal
-- data; a table without any key (audit.raw_log); an FK cycle
-- (crm.accounts.primary_contact_id <-> crm.contacts.account_id, one side
-- DEFERRABLE INITIALLY DEFERRED); company names, region and state columns;
-- free-text notes with e-mail addresses and phone numbers inside.
--
-- Load: psql -v ON_ERROR_STOP=1 -d DB -f schema.sql   (deterministic: md5-based)
-- Deterministic data helpers (in pg_temp: never part of the schema or its dumps).
\ir ../helpers.sql


BEGIN;

CREATE SCHEMA crm;
CREATE SCHEMA billing;
CREATE SCHEMA audit;

CREATE DOMAIN crm.email_address AS text
    CONSTRAINT email_address_check CHECK (VALUE ~ '^[^@[:space:]]+@[^@[:space:]]+\.[^@[:space:]]+$');

CREATE TABLE crm.accounts (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    "Company Name" text NOT NULL,
    domain text,
    industry text,
    region text NOT NULL,
    state text,
    country_code character(2) NOT NULL,
    employees integer,
    primary_contact_id bigint,
    owner_email text NOT NULL,
    created_at timestamp with time zone NOT NULL
);

CREATE TABLE crm.contacts (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id bigint NOT NULL REFERENCES crm.accounts (id),
    first_name text NOT NULL,
    last_name text NOT NULL,
    full_name text GENERATED ALWAYS AS (first_name || ' ' || last_name) STORED,
    email crm.email_address,
    email_lower text GENERATED ALWAYS AS (lower(email::text)) STORED,
    phones text[] DEFAULT '{}'::text[] NOT NULL,
    alt_emails text[],
    job_title text,
    state text,
    profile jsonb,
    created_at timestamp with time zone NOT NULL
);
CREATE UNIQUE INDEX contacts_email_lower_key ON crm.contacts (email_lower);
CREATE INDEX contacts_account_id_idx ON crm.contacts (account_id);

-- the other half of the cycle: deferrable, so both rows can be inserted in one transaction
ALTER TABLE crm.accounts ADD CONSTRAINT accounts_primary_contact_id_fkey
    FOREIGN KEY (primary_contact_id) REFERENCES crm.contacts (id) DEFERRABLE INITIALLY DEFERRED;

CREATE TABLE crm."Contact Notes" (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    "Contact ID" bigint NOT NULL REFERENCES crm.contacts (id) ON DELETE CASCADE,
    "Author" text NOT NULL,
    "Body Text" text NOT NULL,
    "Pinned" boolean DEFAULT false NOT NULL,
    "Created At" timestamp with time zone NOT NULL
);

CREATE SEQUENCE crm.people_id_seq;
CREATE TABLE crm.people (
    id bigint DEFAULT nextval('crm.people_id_seq') NOT NULL PRIMARY KEY,
    first_name text,
    last_name text,
    email text,
    phone text,
    source text NOT NULL,
    created_at timestamp with time zone NOT NULL
);
CREATE TABLE crm.leads (
    score integer DEFAULT 0 NOT NULL,
    stage text NOT NULL,
    company_name text,
    CONSTRAINT leads_pkey PRIMARY KEY (id)
) INHERITS (crm.people);

CREATE TABLE billing.tax_rates (
    country_code character(2) NOT NULL,
    region text NOT NULL,
    state text NOT NULL,
    rate numeric(5,4) NOT NULL,
    PRIMARY KEY (country_code, state)
);

CREATE TABLE billing."Invoice" (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id bigint NOT NULL REFERENCES crm.accounts (id),
    "Number" text NOT NULL UNIQUE,
    "Billing Email" text NOT NULL,
    "Billing Address" jsonb NOT NULL,
    issued_on date NOT NULL,
    due_on date NOT NULL,
    total numeric(12,2) DEFAULT 0 NOT NULL,
    currency character(3) NOT NULL,
    status text NOT NULL
);

CREATE TABLE billing."Invoice Lines" (
    invoice_id bigint NOT NULL REFERENCES billing."Invoice" (id) ON DELETE CASCADE,
    line_no integer NOT NULL,
    description text NOT NULL,
    quantity numeric(10,2) NOT NULL,
    unit_price numeric(12,2) NOT NULL,
    amount numeric(14,2) GENERATED ALWAYS AS (quantity * unit_price) STORED,
    PRIMARY KEY (invoice_id, line_no)
);

CREATE TABLE billing.payment_methods (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id bigint NOT NULL REFERENCES crm.accounts (id),
    brand text NOT NULL,
    last4 character(4) NOT NULL,
    cardholder_name text NOT NULL,
    exp_month smallint NOT NULL,
    exp_year smallint NOT NULL,
    billing_zip text,
    processor_token text NOT NULL UNIQUE,
    is_default boolean DEFAULT false NOT NULL
);

CREATE TABLE audit.events (
    id bigint NOT NULL,
    kind text NOT NULL,
    actor_email text,
    ip inet,
    user_agent text,
    payload jsonb DEFAULT '{}'::jsonb NOT NULL,
    occurred_at timestamp with time zone NOT NULL,
    PRIMARY KEY (kind, id)
) PARTITION BY LIST (kind);
CREATE SEQUENCE audit.events_id_seq OWNED BY audit.events.id;
ALTER TABLE audit.events ALTER COLUMN id SET DEFAULT nextval('audit.events_id_seq');
CREATE TABLE audit.events_auth PARTITION OF audit.events FOR VALUES IN ('login', 'logout', 'password_reset');
CREATE TABLE audit.events_billing PARTITION OF audit.events FOR VALUES IN ('invoice.sent', 'payment.failed', 'payment.succeeded');
CREATE INDEX events_occurred_at_idx ON audit.events (occurred_at);

CREATE TABLE audit.raw_log (
    received_at timestamp with time zone NOT NULL,
    host text NOT NULL,
    line text NOT NULL
);

-- ---------------------------------------------------------------------------
-- Data
-- ---------------------------------------------------------------------------
INSERT INTO billing.tax_rates (country_code, region, state, rate)
SELECT DISTINCT ON (cc, region) cc, CASE WHEN cc IN ('US', 'CA') THEN 'NA' WHEN cc IN ('AU', 'NZ', 'JP') THEN 'APAC' ELSE 'EMEA' END,
       region, (pg_temp.h('tax' || region) % 2500) / 10000.0
FROM pg_temp.places ORDER BY cc, region;

-- accounts and their primary contacts reference each other: contact 5*(a-1)+1 is account a's primary
INSERT INTO crm.accounts (id, "Company Name", domain, industry, region, state, country_code, employees, primary_contact_id, owner_email, created_at)
OVERRIDING SYSTEM VALUE
SELECT a,
       CASE WHEN a <= 30 THEN c.name
            ELSE pg_temp.last_name('acct' || a) || pg_temp.pick(ARRAY[' & Sons', ' LLC', ' Inc.', ' GmbH', ' Consulting', ' Group', ' Partners', ' Ltd'], 'sfx' || a) END,
       CASE WHEN a <= 30 THEN c.domain ELSE pg_temp.last_slug('acct' || a) || (a % 97) || '.com' END,
       pg_temp.pick(ARRAY['Software', 'Healthcare', 'Retail', 'Logistics', 'Legal', 'Construction', 'Hospitality', 'Education'], 'ind' || a),
       CASE WHEN pg_temp.cc('acct' || a) IN ('US', 'CA') THEN 'NA' WHEN pg_temp.cc('acct' || a) IN ('AU', 'NZ', 'JP') THEN 'APAC' ELSE 'EMEA' END,
       pg_temp.region('acct' || a), pg_temp.cc('acct' || a),
       5 + pg_temp.h('emp' || a) % 5000,
       5 * (a - 1) + 1,
       pg_temp.first_slug('rep' || (a % 12)) || '.' || pg_temp.last_slug('rep' || (a % 12)) || '@saasly.io',
       pg_temp.ts('acc' || a)
FROM generate_series(1, 300) AS a LEFT JOIN pg_temp.companies c ON c.n = a - 1 ORDER BY a;

INSERT INTO crm.contacts (id, account_id, first_name, last_name, email, phones, alt_emails, job_title, state, profile, created_at)
OVERRIDING SYSTEM VALUE
SELECT i, 1 + (i - 1) / 5,
       pg_temp.first_name('ct' || i), pg_temp.last_name('ct' || i),
       CASE WHEN i % 37 = 0 THEN NULL
            WHEN i % 3 = 0 THEN pg_temp.first_slug('ct' || i) || '.' || pg_temp.last_slug('ct' || i) || i || '@' || a.domain
            ELSE pg_temp.unique_email('ct' || i, i) END,
       CASE pg_temp.h('np' || i) % 4
         WHEN 0 THEN '{}'::text[]
         WHEN 1 THEN ARRAY[pg_temp.phone('ct' || i)]
         ELSE ARRAY[pg_temp.phone('ct' || i), pg_temp.phone('ct-mobile' || i)] END,
       CASE WHEN i % 4 = 0 THEN ARRAY[pg_temp.email('ct-alt' || i), pg_temp.first_slug('ct' || i) || '@' || pg_temp.mail_domain('ct-alt2' || i)] END,
       pg_temp.pick(ARRAY['CEO', 'CTO', 'Head of Operations', 'Office Manager', 'Procurement Lead', 'VP Sales', 'IT Administrator', 'Finance Director'], 'jt' || i),
       a.state,
       CASE WHEN i % 5 <> 0 THEN jsonb_build_object(
         'linkedin', 'https://www.linkedin.com/in/' || pg_temp.first_slug('ct' || i) || '-' || pg_temp.last_slug('ct' || i) || '-' || substr(md5('li' || i), 1, 6),
         'assistant', CASE WHEN i % 3 = 0 THEN jsonb_build_object('name', pg_temp.full_name('asst' || i), 'email', pg_temp.email('asst' || i), 'phone', pg_temp.phone('asst' || i)) END,
         'preferences', jsonb_build_object('newsletter', i % 2 = 0, 'language', pg_temp.pick(ARRAY['en', 'de', 'fr', 'es'], 'lang' || i)),
         'addresses', jsonb_build_array(jsonb_build_object('type', 'office', 'street', pg_temp.street('off' || i), 'city', pg_temp.city('off' || i), 'postal_code', pg_temp.postal('off' || i)))) END,
       pg_temp.ts('ctc' || i)
FROM generate_series(1, 1500) AS i JOIN crm.accounts a ON a.id = 1 + (i - 1) / 5 ORDER BY i;

INSERT INTO crm."Contact Notes" ("Contact ID", "Author", "Body Text", "Pinned", "Created At")
SELECT c, pg_temp.full_name('rep' || (n % 12)),
       CASE pg_temp.h('nb' || n) % 8
         WHEN 0 THEN 'Spoke with ' || pg_temp.first_name('ct' || c) || ' (' || pg_temp.phone('ct' || c) || '); follow up at ' || pg_temp.email('ct' || c) || ' next week.'
         WHEN 1 THEN 'Forwarded thread from ' || pg_temp.email('fw' || n) || ': please call ' || pg_temp.phone('fw' || n) || ' or ' || pg_temp.phone('fw2' || n) || '.'
         WHEN 2 THEN 'Renewal discussed. Budget approved by ' || pg_temp.full_name('boss' || n) || ', cc ' || pg_temp.email('boss' || n) || E'.\nNext step: send the quote.'
         WHEN 3 THEN 'Met at the trade fair, prefers WhatsApp ' || pg_temp.phone('wa' || n) || '.'
         WHEN 4 THEN 'No answer on ' || pg_temp.phone('ct' || c) || ', left voicemail.'
         WHEN 5 THEN 'Assistant ' || pg_temp.full_name('asst' || c) || ' <' || pg_temp.email('asst' || c) || '> handles the calendar.'
         WHEN 6 THEN 'Asked to update the invoice address to ' || pg_temp.street('inv' || n) || ', ' || pg_temp.city('inv' || n) || ' ' || pg_temp.postal('inv' || n) || '.'
         ELSE 'Demo went well; technical questions to ' || pg_temp.first_slug('it' || n) || '@' || a.domain || '.' END,
       n % 13 = 0, pg_temp.ts('note' || n)
FROM generate_series(1, 2500) AS n
     CROSS JOIN LATERAL (SELECT 1 + pg_temp.h('nc' || n) % 1500 AS c) x
     JOIN crm.accounts a ON a.id = 1 + (x.c - 1) / 5
ORDER BY n;

-- Notes pasted from web forms, webhooks, mail signatures and chats: at signs encoded as URLs, JSON
-- and HTML write them, phone numbers in URLs (%20 for spaces, %2B for plus), typeset with no-break,
-- narrow or thin spaces and dashes, glued to their label, dotted as Swiss numbers are or with a
-- leading zero (0176.3593138); apostrophes in addresses.
INSERT INTO crm."Contact Notes" ("Contact ID", "Author", "Body Text", "Pinned", "Created At")
SELECT c, pg_temp.full_name('rep' || (n % 12)),
       CASE n % 8
         WHEN 0 THEN 'Pasted from the web form: https://forms.example/unsubscribe?email=' || replace(pg_temp.email('pw' || n), '@', '%40') || '&phone=%2B49%20170%20' || substr(d, 1, 7) || '&tel=%22030' || substr(d, 8, 7) || '%22&alt=030' || substr(d, 15, 7) || '%200171' || substr(d, 18, 7) || '&src=crm'
         WHEN 1 THEN 'Webhook body {"reply_to": "' || replace(pg_temp.email('pj' || n), '@', '\u0040') || '", "note": "call back"} kept as is.'
         WHEN 2 THEN 'Signature: <a href="mailto:' || replace(pg_temp.email('ph' || n), '@', '&#64;') || '">write</a> or ' || replace(pg_temp.email('px' || n), '@', '&#x40;') || ', <a href="tel:+1%20212%20' || substr(d, 1, 3) || '%20' || substr(d, 4, 4) || '">call</a>'
         WHEN 3 THEN 'Portable' || U&'\00A0' || ': +33' || U&'\202F' || '6' || U&'\202F' || substr(d, 1, 2) || U&'\202F' || substr(d, 3, 2) || U&'\202F' || substr(d, 5, 2) || U&'\202F' || substr(d, 7, 2) || ', bureau 01' || U&'\00A0' || substr(d, 9, 2) || U&'\00A0' || substr(d, 11, 2) || U&'\00A0' || substr(d, 13, 2) || U&'\00A0' || substr(d, 15, 2) || '.'
         WHEN 4 THEN 'From the signature: Tel.030' || substr(d, 1, 7) || ' | Fax030' || substr(d, 8, 7) || ' | Mobil:0171/' || substr(d, 15, 7)
         WHEN 5 THEN 'Prefers chat: https://wa.me/49170' || substr(d, 1, 7) || '?text=Hallo, else Handy' || U&'\00A0' || 'Tel.0172-' || substr(d, 8, 7) || ' or 0176.' || substr(d, 15, 7) || ', from [u''' || pg_temp.email('pu' || n) || ''']'
         WHEN 6 THEN 'Swiss office: Natel 079.' || substr(d, 1, 3) || '.' || substr(d, 4, 2) || '.' || substr(d, 6, 2) || ', Zentrale 044.' || substr(d, 8, 3) || '.' || substr(d, 11, 2) || '.' || substr(d, 13, 2)
         ELSE 'B' || U&'\00FC' || 'ro 030' || U&'\2013' || substr(d, 1, 7) || ', thin-spaced +1' || U&'\2009' || '212' || U&'\2009' || substr(d, 8, 3) || U&'\2009' || substr(d, 11, 4) || '; write to ' || pg_temp.first_slug('pa' || n) || '.o''' || pg_temp.last_slug('pa' || n) || '@' || pg_temp.mail_domain('pa' || n) END,
       false, pg_temp.ts('pasted' || n)
FROM generate_series(1, 160) AS n
     CROSS JOIN LATERAL (SELECT 1 + pg_temp.h('pc' || n) % 1500 AS c, pg_temp.digits('pd' || n, 24) AS d) x
ORDER BY n;

INSERT INTO crm.people (first_name, last_name, email, phone, source, created_at)
SELECT pg_temp.first_name('pp' || i), CASE WHEN i % 9 <> 0 THEN pg_temp.last_name('pp' || i) END,
       pg_temp.email('pp' || i), CASE WHEN i % 2 = 0 THEN pg_temp.phone('pp' || i) END,
       pg_temp.pick(ARRAY['newsletter', 'webinar', 'import', 'event'], 'src' || i), pg_temp.ts('pp' || i)
FROM generate_series(1, 500) AS i ORDER BY i;

INSERT INTO crm.leads (first_name, last_name, email, phone, source, created_at, score, stage, company_name)
SELECT pg_temp.first_name('ld' || i), pg_temp.last_name('ld' || i),
       pg_temp.first_slug('ld' || i) || '.' || pg_temp.last_slug('ld' || i) || '@' || pg_temp.company_domain('ld' || i),
       pg_temp.phone('ld' || i), pg_temp.pick(ARRAY['website', 'referral', 'cold call', 'partner'], 'lsrc' || i), pg_temp.ts('ld' || i),
       pg_temp.h('score' || i) % 100, pg_temp.pick(ARRAY['new', 'contacted', 'qualified', 'lost'], 'stg' || i), pg_temp.company('ld' || i)
FROM generate_series(1, 700) AS i ORDER BY i;

INSERT INTO billing."Invoice" (id, account_id, "Number", "Billing Email", "Billing Address", issued_on, due_on, currency, status)
OVERRIDING SYSTEM VALUE
SELECT i, a.id, 'INV-' || to_char(d, 'YYYY') || '-' || lpad(i::text, 6, '0'),
       CASE WHEN i % 2 = 0 THEN 'accounts@' || a.domain ELSE pg_temp.first_slug('ct' || (5 * (a.id - 1) + 1)) || '.' || pg_temp.last_slug('ct' || (5 * (a.id - 1) + 1)) || '@' || a.domain END,
       jsonb_build_object('attention', pg_temp.full_name('ct' || (5 * (a.id - 1) + 1)), 'company', a."Company Name",
                          'line1', pg_temp.street('bill' || a.id), 'line2', CASE WHEN a.id % 4 = 0 THEN 'Floor ' || (1 + a.id % 20) END,
                          'city', pg_temp.city('bill' || a.id), 'state', a.state, 'postal_code', pg_temp.postal('bill' || a.id), 'country', a.country_code),
       d, d + 30, CASE WHEN a.region = 'EMEA' THEN 'EUR' ELSE 'USD' END,
       pg_temp.pick(ARRAY['paid', 'paid', 'paid', 'open', 'overdue', 'void'], 'ist' || i)
FROM generate_series(1, 2000) AS i
     CROSS JOIN LATERAL (SELECT (pg_temp.ts('iss' || i))::date AS d, 1 + pg_temp.h('ia' || i) % 300 AS acct) y
     JOIN crm.accounts a ON a.id = y.acct
ORDER BY i;

INSERT INTO billing."Invoice Lines" (invoice_id, line_no, description, quantity, unit_price)
SELECT i, k, pg_temp.pick(ARRAY['Pro plan - seats', 'Enterprise plan - seats', 'Onboarding package', 'Additional storage (100 GB)', 'Premium support', 'API overage'], 'il' || i || '/' || k),
       1 + pg_temp.h('iq' || i || '/' || k) % 50, (pg_temp.h('ip' || i || '/' || k) % 20000) / 100.0
FROM generate_series(1, 2000) AS i, generate_series(1, 4) AS k
WHERE k <= 1 + pg_temp.h('ik' || i) % 4 ORDER BY i, k;

UPDATE billing."Invoice" v SET total = s.t FROM (SELECT invoice_id, sum(amount) AS t FROM billing."Invoice Lines" GROUP BY invoice_id) s WHERE s.invoice_id = v.id;

INSERT INTO billing.payment_methods (account_id, brand, last4, cardholder_name, exp_month, exp_year, billing_zip, processor_token, is_default)
SELECT 1 + (i - 1) % 300, pg_temp.pick(ARRAY['visa', 'mastercard', 'amex', 'visa'], 'br' || i), pg_temp.digits('l4' || i, 4),
       upper(pg_temp.first_slug('ch' || i) || ' ' || pg_temp.last_slug('ch' || i)), 1 + pg_temp.h('em' || i) % 12, 2025 + pg_temp.h('ey' || i) % 6,
       pg_temp.postal('ch' || i), 'pm_1' || substr(translate(md5('pm' || i) || md5('pm2' || i), 'abcdef', 'KqZxWv'), 1, 23), i <= 300
FROM generate_series(1, 420) AS i ORDER BY i;

INSERT INTO audit.events (kind, actor_email, ip, user_agent, payload, occurred_at)
SELECT k, e, pg_temp.ipv4('ev' || i)::inet, pg_temp.user_agent('ev' || i),
       CASE WHEN k IN ('login', 'logout', 'password_reset')
            THEN jsonb_build_object('method', pg_temp.pick(ARRAY['password', 'sso', 'magic_link'], 'm' || i), 'mfa', i % 3 = 0, 'email', e)
            ELSE jsonb_build_object('invoice', 'INV-2023-' || lpad((1 + i % 2000)::text, 6, '0'), 'amount', (pg_temp.h('amt' || i) % 900000) / 100.0,
                                    'recipient', pg_temp.email('rcp' || i)) END,
       pg_temp.ts('evt' || i)
FROM generate_series(1, 3000) AS i,
     LATERAL (SELECT pg_temp.pick(ARRAY['login', 'login', 'login', 'logout', 'password_reset', 'invoice.sent', 'payment.failed', 'payment.succeeded'], 'k' || i) AS k,
                     pg_temp.unique_email('ct' || (1 + i % 1500), 1 + i % 1500) AS e) x
ORDER BY i;

-- Later migrations: CRM events get their own partition (built separately, with a
-- different physical column order, then attached), and a DEFAULT partition.
CREATE TABLE audit.events_crm (
    occurred_at timestamp with time zone NOT NULL,
    kind text NOT NULL,
    id bigint DEFAULT nextval('audit.events_id_seq') NOT NULL,
    payload jsonb DEFAULT '{}'::jsonb NOT NULL,
    actor_email text,
    user_agent text,
    ip inet
);
INSERT INTO audit.events_crm (occurred_at, kind, payload, actor_email, user_agent, ip)
SELECT pg_temp.ts('crm' || i), k,
       jsonb_build_object('contact_id', c, 'changes',
         CASE WHEN k = 'contact.updated' THEN jsonb_build_object(
              'email', jsonb_build_array(pg_temp.email('old' || i), pg_temp.unique_email('ct' || c, c)),
              'phone', jsonb_build_array(pg_temp.phone('old' || i), pg_temp.phone('ct' || c)))
         ELSE '{}'::jsonb END),
       pg_temp.first_slug('rep' || (i % 12)) || '.' || pg_temp.last_slug('rep' || (i % 12)) || '@saasly.io',
       pg_temp.user_agent('crm' || i), pg_temp.ipv4('crm' || i)::inet
FROM generate_series(1, 1200) AS i,
     LATERAL (SELECT pg_temp.pick(ARRAY['contact.created', 'contact.updated', 'contact.updated', 'contact.merged'], 'ck' || i) AS k, 1 + pg_temp.h('cc' || i) % 1500 AS c) x
ORDER BY i;
ALTER TABLE audit.events ATTACH PARTITION audit.events_crm FOR VALUES IN ('contact.created', 'contact.updated', 'contact.merged');
CREATE TABLE audit.events_other PARTITION OF audit.events DEFAULT;
INSERT INTO audit.events (kind, actor_email, ip, user_agent, payload, occurred_at)
SELECT pg_temp.pick(ARRAY['export.requested', 'api_key.created', 'sso.configured'], 'ok' || i),
       pg_temp.first_slug('rep' || (i % 12)) || '.' || pg_temp.last_slug('rep' || (i % 12)) || '@saasly.io',
       pg_temp.ipv4('oth' || i)::inet, pg_temp.user_agent('oth' || i), jsonb_build_object('note', 'requested via admin console'), pg_temp.ts('oth' || i)
FROM generate_series(1, 200) AS i ORDER BY i;

INSERT INTO audit.raw_log (received_at, host, line)
SELECT t, 'web-' || (1 + i % 3) || '.prod.saasly.internal',
       to_char(t, 'YYYY-MM-DD"T"HH24:MI:SS"Z"') || ' ' ||
       CASE pg_temp.h('rl' || i) % 5
         WHEN 0 THEN 'INFO  auth: login ok user=' || pg_temp.unique_email('ct' || (1 + i % 1500), 1 + i % 1500) || ' ip=' || pg_temp.ipv4('rl' || i)
         WHEN 1 THEN 'WARN  auth: failed login for ' || pg_temp.email('rl' || i) || ' from ' || pg_temp.ipv4('rl' || i) || ' (attempt ' || (1 + i % 5) || ')'
         WHEN 2 THEN 'INFO  sms: sent verification code to ' || pg_temp.phone('rl' || i)
         WHEN 3 THEN 'ERROR billing: card declined for account ' || (1 + i % 300) || ' (' || pg_temp.email('rlb' || i) || ')'
         ELSE 'INFO  http: GET /api/v2/contacts?page=' || (i % 40) || ' 200 ' || (5 + pg_temp.h('ms' || i) % 400) || 'ms' END
FROM generate_series(1, 2000) AS i, LATERAL (SELECT pg_temp.ts('rlt' || i) AS t) x ORDER BY i;

SELECT setval('crm.accounts_id_seq', 300), setval('crm.contacts_id_seq', 1500), setval('billing."Invoice_id_seq"', 2000);

COMMIT;
