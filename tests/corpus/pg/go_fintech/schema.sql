-- "Nova", a Go fintech (current accounts, cards, transfers): goose migrations,
-- sqlc queries over pgx, one schema per bounded context (ref, core, auth,
-- banking, audit, reporting). Go habits: uuid primary keys the service
-- generates (DEFAULT gen_random_uuid() as a fallback), `created_at timestamptz
-- NOT NULL DEFAULT now()`, money as numeric(19,4) next to a char(3) currency,
-- Postgres enums mapped to Go string types by sqlc, jsonb columns the service
-- marshals from structs (device fingerprints, risk signals, KYC provider
-- responses, audit diffs), identity columns (ALWAYS on the ledger and the
-- audit log, BY DEFAULT on reference data and operators), goose's own
-- goose_db_version in public (serial, OWNED BY). The double-entry ledger is
-- range-partitioned by month (banking.ledger_entries: six monthly partitions
-- and a DEFAULT one, identity on the partitioned parent, primary key
-- (id, posted_at), foreign keys from the partitioned table). A materialized
-- view for the back office (reporting.customer_overview) copies each
-- customer's legal name, e-mail and main IBAN. Personal data: the KYC record
-- of each customer (legal name, date of birth, national identity and tax
-- numbers, address, employer), identity documents and the provider's raw
-- verification response, IBANs and account numbers, card tokens and last
-- four digits, cardholder names, counterparties of transfers and the memo
-- text people type, device fingerprints and push tokens, sessions (refresh
-- token hashes, IPs, user agents), back-office operators' logins and TOTP
-- secrets, and the audit log (actor e-mail, IP, before/after values).
-- Reference data is not personal: currencies, countries, merchant category
-- codes, FX rates and bank branches (a bank's own address, switchboard and
-- branch mailbox), nor are merchants' names, amounts, balances and statuses.
--
-- Load: psql -v ON_ERROR_STOP=1 -d DB -f schema.sql   (deterministic: md5-based)
-- ---------------------------------------------------------------------------
-- Deterministic data helpers. They live in pg_temp (this session only), so
-- they are not part of the schema and never appear in pg_dump output. Every
-- "random" choice is md5 of a seed string: two loads give identical data.
-- The same person seed gives the same first name, last name and e-mail.
-- ---------------------------------------------------------------------------
SET client_min_messages = warning;
SET TIME ZONE 'UTC';

CREATE FUNCTION pg_temp.h(seed text) RETURNS integer LANGUAGE sql IMMUTABLE
  AS $$ SELECT ('x' || substr(md5(seed), 1, 7))::bit(28)::integer $$;
-- n pseudo-random decimal digits (n <= 64)
CREATE FUNCTION pg_temp.digits(seed text, n integer) RETURNS text LANGUAGE sql IMMUTABLE
  AS $$ SELECT substr(translate(md5(seed) || md5(seed || '#'), 'abcdef', '314159'), 1, n) $$;
CREATE FUNCTION pg_temp.pick(arr text[], seed text) RETURNS text LANGUAGE sql IMMUTABLE
  AS $$ SELECT arr[1 + pg_temp.h(seed) % array_length(arr, 1)] $$;
CREATE FUNCTION pg_temp.first_name(seed text) RETURNS text LANGUAGE sql IMMUTABLE
  AS $$ SELECT ('{"James","Mary","Robert","Patricia","John","Jennifer","Michael","Linda",
    "David","Elizabeth","William","Barbara","Richard","Susan","Joseph","Jessica",
    "Thomas","Sarah","Charles","Karen","Christopher","Lisa","Daniel","Nancy",
    "Matthew","Betty","Anthony","Sandra","Mark","Ashley","Steven","Emily",
    "Paul","Donna","Andrew","Michelle","Joshua","Carol","Kenneth","Amanda",
    "Kevin","Melissa","Brian","Deborah","George","Stephanie","Timothy","Rebecca",
    "Ronald","Laura","Priya","Wei","Fatima","Mateo","Sofia","Lukas",
    "Hannah","Aisha","Olivia","Noah","Liam","Emma","Ethan","Chloe",
    "Diego","Yuki","Ingrid","Omar","Nadia","Marcus","René","Jürgen",
    "翔太"}'::text[])[1 + pg_temp.h('first:' || seed) % 73] $$;
-- ASCII spelling of first_name(seed), for e-mail addresses and user names
CREATE FUNCTION pg_temp.first_slug(seed text) RETURNS text LANGUAGE sql IMMUTABLE
  AS $$ SELECT ('{"james","mary","robert","patricia","john","jennifer","michael","linda",
    "david","elizabeth","william","barbara","richard","susan","joseph","jessica",
    "thomas","sarah","charles","karen","christopher","lisa","daniel","nancy",
    "matthew","betty","anthony","sandra","mark","ashley","steven","emily",
    "paul","donna","andrew","michelle","joshua","carol","kenneth","amanda",
    "kevin","melissa","brian","deborah","george","stephanie","timothy","rebecca",
    "ronald","laura","priya","wei","fatima","mateo","sofia","lukas",
    "hannah","aisha","olivia","noah","liam","emma","ethan","chloe",
    "diego","yuki","ingrid","omar","nadia","marcus","rene","juergen",
    "shota"}'::text[])[1 + pg_temp.h('first:' || seed) % 73] $$;
CREATE FUNCTION pg_temp.last_name(seed text) RETURNS text LANGUAGE sql IMMUTABLE
  AS $$ SELECT ('{"Smith","Johnson","Williams","Brown","Jones","Garcia","Miller","Davis",
    "Rodriguez","Martinez","Hernandez","Lopez","Gonzalez","Wilson","Anderson","Thomas",
    "Taylor","Moore","Jackson","Martin","Lee","Perez","Thompson","White",
    "Harris","Sanchez","Clark","Ramirez","Lewis","Robinson","Walker","Young",
    "Allen","King","Wright","Scott","Torres","Nguyen","Hill","Flores",
    "Green","Adams","Nelson","Baker","Hall","Rivera","Campbell","Mitchell",
    "Carter","Roberts","Schneider","Fischer","Weber","Kowalski","Novak","Okafor",
    "Patel","Singh","Kim","Tanaka","O''Brien","Lindqvist","Haddad","Costa",
    "Murphy","Dupré","Müller","山田"}'::text[])[1 + pg_temp.h('last:' || seed) % 68] $$;
CREATE FUNCTION pg_temp.last_slug(seed text) RETURNS text LANGUAGE sql IMMUTABLE
  AS $$ SELECT ('{"smith","johnson","williams","brown","jones","garcia","miller","davis",
    "rodriguez","martinez","hernandez","lopez","gonzalez","wilson","anderson","thomas",
    "taylor","moore","jackson","martin","lee","perez","thompson","white",
    "harris","sanchez","clark","ramirez","lewis","robinson","walker","young",
    "allen","king","wright","scott","torres","nguyen","hill","flores",
    "green","adams","nelson","baker","hall","rivera","campbell","mitchell",
    "carter","roberts","schneider","fischer","weber","kowalski","novak","okafor",
    "patel","singh","kim","tanaka","obrien","lindqvist","haddad","costa",
    "murphy","dupre","mueller","yamada"}'::text[])[1 + pg_temp.h('last:' || seed) % 68] $$;
CREATE FUNCTION pg_temp.mail_domain(seed text) RETURNS text LANGUAGE sql IMMUTABLE
  AS $$ SELECT ('{"gmail.com","yahoo.com","outlook.com","hotmail.com","icloud.com","protonmail.com","gmx.de","web.de",
    "fastmail.com","aol.com","mail.com","yandex.com","comcast.net","btinternet.com","orange.fr","live.co.uk"}'::text[])[1 + pg_temp.h('dom:' || seed) % 16] $$;
CREATE FUNCTION pg_temp.street_name(seed text) RETURNS text LANGUAGE sql IMMUTABLE
  AS $$ SELECT ('{"Maple Street","Oak Avenue","Cedar Lane","Pine Road","Elm Street","Washington Boulevard","Lake Drive","Hillcrest Court",
    "Main Street","Park Avenue","Sunset Boulevard","Highland Way","Church Road","Mill Lane","River Road","Spring Street",
    "Franklin Avenue","Jefferson Place","Lincoln Drive","Madison Avenue","Station Road","Victoria Street","High Street","Kings Road",
    "Bahnhofstrasse","Hauptstrasse","Rue de la Paix","Calle Mayor","Willow Close","Birch Terrace"}'::text[])[1 + pg_temp.h('street:' || seed) % 30] $$;
CREATE FUNCTION pg_temp.company(seed text) RETURNS text LANGUAGE sql IMMUTABLE
  AS $$ SELECT ('{"Northwind Traders","Brightwave Labs Inc.","Acme Logistics","Bluefin Analytics","Summit Dental Group",
    "Redwood Legal LLP","Harbor & Finch","Kessler Maschinenbau GmbH","Orchid Health","Pinecrest Realty",
    "Vantage Point Consulting","Copperleaf Bakery","Atlas Freight Ltd","Nimbus Cloudworks","Greenfield Farms",
    "Lumen Optics","Sterling & Wu Accountants","Polar Bear Studios","Meridian Travel","Ironclad Security",
    "Blue Harbor Marina","Riverside Veterinary","Quantum Leap Tutoring","Sunrise Solar","Dupont Architectes",
    "Tanaka Trading Co.","Oakridge Dental","Silverline Media","Crescent Bakery","Evergreen Landscaping"}'::text[])[1 + pg_temp.h('co:' || seed) % 30] $$;
CREATE FUNCTION pg_temp.company_domain(seed text) RETURNS text LANGUAGE sql IMMUTABLE
  AS $$ SELECT ('{"northwind.com","brightwave.io","acmelogistics.com","bluefin-analytics.com","summitdental.com","redwoodlegal.com",
    "harborfinch.co","kessler-mb.de","orchidhealth.org","pinecrestrealty.com","vantagepoint.co.uk","copperleaf.cafe",
    "atlasfreight.co.uk","nimbuscloud.io","greenfieldfarms.com","lumenoptics.com","sterlingwu.com","polarbear.studio",
    "meridiantravel.com","ironclad-sec.com","blueharbor.net","riversidevet.com","quantumleap.edu","sunrisesolar.energy",
    "dupont-archi.fr","tanaka-trading.jp","oakridgedental.com","silverline.media","crescentbakery.com","evergreenland.com"}'::text[])[1 + pg_temp.h('co:' || seed) % 30] $$;
CREATE FUNCTION pg_temp.full_name(seed text) RETURNS text LANGUAGE sql IMMUTABLE
  AS $$ SELECT pg_temp.first_name(seed) || ' ' || pg_temp.last_name(seed) $$;
-- firstname.lastname@domain for the person with this seed (not unique)
CREATE FUNCTION pg_temp.email(seed text) RETURNS text LANGUAGE sql IMMUTABLE
  AS $$ SELECT pg_temp.first_slug(seed) || '.' || pg_temp.last_slug(seed) || '@' || pg_temp.mail_domain(seed) $$;
-- unique by construction: the local part ends in the (numeric) id, names never end in digits
CREATE FUNCTION pg_temp.unique_email(seed text, id bigint) RETURNS text LANGUAGE sql IMMUTABLE
  AS $$ SELECT CASE pg_temp.h('style:' || seed) % 4
    WHEN 0 THEN pg_temp.first_slug(seed) || '.' || pg_temp.last_slug(seed) || id
    WHEN 1 THEN left(pg_temp.first_slug(seed), 1) || pg_temp.last_slug(seed) || id
    WHEN 2 THEN pg_temp.first_slug(seed) || '_' || pg_temp.last_slug(seed) || '_' || id
    ELSE pg_temp.first_slug(seed) || '.' || pg_temp.last_slug(seed) || '.' || id END
    || '@' || pg_temp.mail_domain(seed) $$;
-- a point in time in 2021..2024, to the second
CREATE FUNCTION pg_temp.ts(seed text) RETURNS timestamptz LANGUAGE sql IMMUTABLE
  AS $$ SELECT timestamptz '2021-01-01 00:00:00+00' + make_interval(secs => pg_temp.h('ts:' || seed) % 126230400) $$;
CREATE FUNCTION pg_temp.ipv4(seed text) RETURNS text LANGUAGE sql IMMUTABLE
  AS $$ SELECT (11 + pg_temp.h('ip1:' || seed) % 200) || '.' || pg_temp.h('ip2:' || seed) % 256 || '.' || pg_temp.h('ip3:' || seed) % 256 || '.' || (1 + pg_temp.h('ip4:' || seed) % 254) $$;
CREATE FUNCTION pg_temp.user_agent(seed text) RETURNS text LANGUAGE sql IMMUTABLE
  AS $$ SELECT pg_temp.pick(ARRAY[
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36',
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15',
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1',
    'Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0',
    'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36'], 'ua:' || seed) $$;
CREATE FUNCTION pg_temp.alnum(seed text, n integer) RETURNS text LANGUAGE sql IMMUTABLE
  AS $$ SELECT substr(replace(translate(encode(sha256(convert_to(seed, 'UTF8')) || sha256(convert_to(seed || '#', 'UTF8')), 'base64'), '+/=', 'kQz'), E'\n', ''), 1, n) $$;
CREATE FUNCTION pg_temp.uuid(seed text) RETURNS uuid LANGUAGE sql IMMUTABLE
  AS $$ SELECT (substr(md5(seed), 1, 12) || '4' || substr(md5(seed), 14, 3) || 'a' || substr(md5(seed), 18, 15))::uuid $$;
CREATE FUNCTION pg_temp.hex(seed text, n integer) RETURNS text LANGUAGE sql IMMUTABLE
  AS $$ SELECT substr(encode(sha256(convert_to(seed, 'UTF8')), 'hex') || encode(sha256(convert_to(seed || '#', 'UTF8')), 'hex'), 1, n) $$;
-- an IPv4 or, one time in five, an IPv6 address
CREATE FUNCTION pg_temp.ip(seed text) RETURNS text LANGUAGE sql IMMUTABLE
  AS $$ SELECT CASE WHEN pg_temp.h('v6:' || seed) % 5 = 0
    THEN '2a02:' || substr(md5('v6a' || seed), 1, 4) || ':' || substr(md5('v6b' || seed), 1, 4) || ':' || ltrim(substr(md5('v6c' || seed), 1, 4), '0') || '::' || ltrim(substr(md5('v6d' || seed), 1, 3), '0') || '1'
    ELSE pg_temp.ipv4(seed) END $$;
-- a place of residence: city, region, ISO country, calling code (one choice for all four)
CREATE FUNCTION pg_temp.place_n(seed text) RETURNS integer LANGUAGE sql IMMUTABLE
  AS $$ SELECT pg_temp.h('place:' || seed) % 20 $$;
CREATE FUNCTION pg_temp.city(seed text) RETURNS text LANGUAGE sql IMMUTABLE
  AS $$ SELECT ('{"London","Manchester","Edinburgh","Bristol","Leeds","Dublin","Cork","Berlin","Munich","Hamburg",
    "Paris","Lyon","Madrid","Barcelona","Amsterdam","Rotterdam","Lisbon","Warsaw","Milan","New York"}'::text[])[1 + pg_temp.place_n(seed)] $$;
CREATE FUNCTION pg_temp.region(seed text) RETURNS text LANGUAGE sql IMMUTABLE
  AS $$ SELECT ('{"England","England","Scotland","England","England","Leinster","Munster","Berlin","Bavaria","Hamburg",
    "Ile-de-France","Auvergne-Rhone-Alpes","Madrid","Catalonia","North Holland","South Holland","Lisboa","Masovia","Lombardy","NY"}'::text[])[1 + pg_temp.place_n(seed)] $$;
CREATE FUNCTION pg_temp.cc(seed text) RETURNS text LANGUAGE sql IMMUTABLE
  AS $$ SELECT ('{"GB","GB","GB","GB","GB","IE","IE","DE","DE","DE","FR","FR","ES","ES","NL","NL","PT","PL","IT","US"}'::text[])[1 + pg_temp.place_n(seed)] $$;
CREATE FUNCTION pg_temp.calling(cc text) RETURNS text LANGUAGE sql IMMUTABLE
  AS $$ SELECT CASE cc WHEN 'GB' THEN '44' WHEN 'IE' THEN '353' WHEN 'DE' THEN '49' WHEN 'FR' THEN '33' WHEN 'ES' THEN '34'
    WHEN 'NL' THEN '31' WHEN 'PT' THEN '351' WHEN 'PL' THEN '48' WHEN 'IT' THEN '39' ELSE '1' END $$;
-- postal code of the place, in the country's shape
CREATE FUNCTION pg_temp.postal_at(p integer, seed text) RETURNS text LANGUAGE sql IMMUTABLE
  AS $$ SELECT CASE p
    WHEN 0 THEN 'SW' || (1 + pg_temp.h('pc1' || seed) % 19) || ' ' || pg_temp.digits('pc2' || seed, 1) || translate(upper(substr(md5('pc3' || seed), 1, 2)), '0123456789', 'ABDEFGHJLN')
    WHEN 1 THEN 'M' || (1 + pg_temp.h('pc1' || seed) % 40) || ' ' || pg_temp.digits('pc2' || seed, 1) || translate(upper(substr(md5('pc3' || seed), 1, 2)), '0123456789', 'PQRSTUWXYZ')
    WHEN 2 THEN 'EH' || (1 + pg_temp.h('pc1' || seed) % 17) || ' ' || pg_temp.digits('pc2' || seed, 1) || translate(upper(substr(md5('pc3' || seed), 1, 2)), '0123456789', 'ABDEFGHJLN')
    WHEN 3 THEN 'BS' || (1 + pg_temp.h('pc1' || seed) % 16) || ' ' || pg_temp.digits('pc2' || seed, 1) || translate(upper(substr(md5('pc3' || seed), 1, 2)), '0123456789', 'PQRSTUWXYZ')
    WHEN 4 THEN 'LS' || (1 + pg_temp.h('pc1' || seed) % 28) || ' ' || pg_temp.digits('pc2' || seed, 1) || translate(upper(substr(md5('pc3' || seed), 1, 2)), '0123456789', 'ABDEFGHJLN')
    WHEN 5 THEN 'D' || lpad((1 + pg_temp.h('pc1' || seed) % 24)::text, 2, '0') || ' ' || upper(substr(md5('pc3' || seed), 1, 4))
    WHEN 6 THEN 'T' || (12 + pg_temp.h('pc1' || seed) % 12) || ' ' || upper(substr(md5('pc3' || seed), 1, 4))
    WHEN 7 THEN '1' || lpad((pg_temp.h('pc1' || seed) % 4000)::text, 4, '0')
    WHEN 8 THEN '8' || lpad((pg_temp.h('pc1' || seed) % 1700)::text, 4, '0')
    WHEN 9 THEN '2' || lpad((pg_temp.h('pc1' || seed) % 2800)::text, 4, '0')
    WHEN 10 THEN '750' || lpad((1 + pg_temp.h('pc1' || seed) % 20)::text, 2, '0')
    WHEN 11 THEN '6900' || (1 + pg_temp.h('pc1' || seed) % 9)
    WHEN 12 THEN '280' || lpad((1 + pg_temp.h('pc1' || seed) % 55)::text, 2, '0')
    WHEN 13 THEN '080' || lpad((1 + pg_temp.h('pc1' || seed) % 42)::text, 2, '0')
    WHEN 14 THEN '10' || lpad((11 + pg_temp.h('pc1' || seed) % 89)::text, 2, '0') || ' ' || translate(upper(substr(md5('pc3' || seed), 1, 2)), '0123456789', 'ABEGHJKLNP')
    WHEN 15 THEN '30' || lpad((11 + pg_temp.h('pc1' || seed) % 89)::text, 2, '0') || ' ' || translate(upper(substr(md5('pc3' || seed), 1, 2)), '0123456789', 'ABEGHJKLNP')
    WHEN 16 THEN '1' || lpad((pg_temp.h('pc1' || seed) % 999)::text, 3, '0') || '-' || pg_temp.digits('pc2' || seed, 3)
    WHEN 17 THEN '0' || (pg_temp.h('pc1' || seed) % 5) || '-' || pg_temp.digits('pc2' || seed, 3)
    WHEN 18 THEN '201' || lpad((pg_temp.h('pc1' || seed) % 100)::text, 2, '0')
    ELSE '100' || lpad((1 + pg_temp.h('pc1' || seed) % 99)::text, 2, '0') END $$;
CREATE FUNCTION pg_temp.postal(seed text) RETURNS text LANGUAGE sql IMMUTABLE
  AS $$ SELECT pg_temp.postal_at(pg_temp.place_n(seed), seed) $$;
-- a mobile number in E.164 (no spaces), unique per n: n is in the last digits
CREATE FUNCTION pg_temp.e164(cc text, n integer) RETURNS text LANGUAGE sql IMMUTABLE
  AS $$ SELECT '+' || pg_temp.calling(cc) || CASE cc
    WHEN 'GB' THEN '7' || lpad(((n * 7907) % 1000)::text, 3, '0') || lpad(n::text, 6, '0')
    WHEN 'IE' THEN '8' || (3 + n % 7) || lpad(((n * 31) % 100)::text, 2, '0') || lpad(n::text, 5, '0')
    WHEN 'DE' THEN '15' || lpad(((n * 17) % 100)::text, 2, '0') || lpad(n::text, 7, '0')
    WHEN 'FR' THEN (6 + n % 2)::text || lpad(((n * 89) % 10000)::text, 4, '0') || lpad(n::text, 4, '0')
    WHEN 'ES' THEN '6' || lpad(((n * 13) % 10000)::text, 4, '0') || lpad(n::text, 4, '0')
    WHEN 'NL' THEN '6' || lpad(((n * 29) % 10000)::text, 4, '0') || lpad(n::text, 4, '0')
    WHEN 'PT' THEN '9' || (1 + n % 3) || lpad(((n * 7) % 1000)::text, 3, '0') || lpad(n::text, 4, '0')
    WHEN 'PL' THEN '5' || lpad(((n * 11) % 1000)::text, 3, '0') || lpad(n::text, 5, '0')
    WHEN 'IT' THEN '3' || lpad(((n * 19) % 1000)::text, 3, '0') || lpad(n::text, 6, '0')
    ELSE (201 + (n * 7) % 798)::text || lpad(((n * 13) % 1000)::text, 3, '0') || lpad(n::text, 4, '0') END $$;
-- the same number as people type it in a memo ("07700 900123", "+49 151 2345678", "(212) 555-0134")
CREATE FUNCTION pg_temp.typed_phone(cc text, n integer) RETURNS text LANGUAGE sql IMMUTABLE
  AS $$ SELECT CASE cc
    WHEN 'GB' THEN '07' || lpad(((n * 7907) % 1000)::text, 3, '0') || ' ' || lpad(n::text, 6, '0')
    WHEN 'DE' THEN '+49 15' || lpad(((n * 17) % 100)::text, 2, '0') || ' ' || lpad(n::text, 7, '0')
    WHEN 'US' THEN '(' || (201 + (n * 7) % 798) || ') ' || lpad(((n * 13) % 1000)::text, 3, '0') || '-' || lpad(n::text, 4, '0')
    ELSE '+' || pg_temp.calling(cc) || ' ' || substr(pg_temp.e164(cc, n), length(pg_temp.calling(cc)) + 2) END $$;
-- national identity number in the country's format
CREATE FUNCTION pg_temp.national_id(cc text, seed text) RETURNS text LANGUAGE sql IMMUTABLE
  AS $$ SELECT CASE cc
    WHEN 'GB' THEN translate(upper(substr(md5('ni' || seed), 1, 2)), '0123456789ADFIOQUV', 'ABCEGHJKLMNPRSTWXY') || pg_temp.digits('ni' || seed, 6) || substr('ABCD', 1 + pg_temp.h('nis' || seed) % 4, 1)
    WHEN 'IE' THEN pg_temp.digits('pps' || seed, 7) || substr('ABCDEFGHJKLMNPRTW', 1 + pg_temp.h('ppl' || seed) % 17, 1) || CASE WHEN pg_temp.h('ppa' || seed) % 3 = 0 THEN 'A' ELSE '' END
    WHEN 'DE' THEN substr('CFGHJKLMNPRTVWXYZ', 1 + pg_temp.h('pa1' || seed) % 17, 1) || upper(substr(translate(md5('pa' || seed), 'aeiou', 'cfghj'), 1, 8))
    WHEN 'FR' THEN (1 + pg_temp.h('sx' || seed) % 2)::text || pg_temp.digits('insee' || seed, 14)
    WHEN 'ES' THEN pg_temp.digits('dni' || seed, 8) || substr('TRWAGMYFPDXBNJZSQVHLCKE', 1 + pg_temp.h('dnil' || seed) % 23, 1)
    WHEN 'NL' THEN pg_temp.digits('bsn' || seed, 9)
    WHEN 'PT' THEN pg_temp.digits('cc' || seed, 8) || ' ' || pg_temp.digits('ccd' || seed, 1) || ' ' || upper(substr(translate(md5('ccl' || seed), '0123456789', 'ZXYWVUTSRQ'), 1, 2)) || pg_temp.digits('cce' || seed, 1)
    WHEN 'PL' THEN pg_temp.digits('pesel' || seed, 11)
    WHEN 'IT' THEN upper(substr(translate(md5('cf' || seed), '0123456789', 'BCDFGLMNRS'), 1, 6)) || pg_temp.digits('cfy' || seed, 2) || substr('ABCDEHLMPRST', 1 + pg_temp.h('cfm' || seed) % 12, 1)
                   || pg_temp.digits('cfd' || seed, 2) || 'F' || pg_temp.digits('cfc' || seed, 3) || substr('ABCDEFGHIJKLMNOPQRSTUVWXYZ', 1 + pg_temp.h('cfk' || seed) % 26, 1)
    ELSE (100 + pg_temp.h('ssn1' || seed) % 665)::text || '-' || lpad((1 + pg_temp.h('ssn2' || seed) % 99)::text, 2, '0') || '-' || lpad((1 + pg_temp.h('ssn3' || seed) % 9999)::text, 4, '0') END $$;
-- tax number (UTR, Steuer-ID, numero fiscal, NIF, TIN...), or NULL when none was collected
CREATE FUNCTION pg_temp.tax_id(cc text, seed text) RETURNS text LANGUAGE sql IMMUTABLE
  AS $$ SELECT CASE WHEN pg_temp.h('taxnull' || seed) % 4 = 0 THEN NULL ELSE CASE cc
    WHEN 'GB' THEN pg_temp.digits('utr' || seed, 5) || ' ' || pg_temp.digits('utr2' || seed, 5)
    WHEN 'DE' THEN pg_temp.digits('stid' || seed, 2) || ' ' || pg_temp.digits('stid2' || seed, 3) || ' ' || pg_temp.digits('stid3' || seed, 3) || ' ' || pg_temp.digits('stid4' || seed, 3)
    WHEN 'FR' THEN pg_temp.digits('spi' || seed, 13)
    WHEN 'ES' THEN pg_temp.national_id(cc, seed)
    WHEN 'PT' THEN '2' || pg_temp.digits('nif' || seed, 8)
    WHEN 'US' THEN pg_temp.national_id(cc, seed)
    WHEN 'IE' THEN pg_temp.national_id(cc, seed)
    ELSE pg_temp.digits('tin' || seed, 10) END END $$;
-- IBAN with its real check digits (ISO 13616 mod 97)
CREATE FUNCTION pg_temp.iban_num(t text) RETURNS numeric LANGUAGE sql IMMUTABLE
  AS $$ SELECT string_agg(CASE WHEN c ~ '[A-Z]' THEN (ascii(c) - 55)::text ELSE c END, '' ORDER BY i)::numeric
        FROM unnest(string_to_array(t, NULL)) WITH ORDINALITY AS x(c, i) $$;
CREATE FUNCTION pg_temp.iban(cc text, bban text) RETURNS text LANGUAGE sql IMMUTABLE
  AS $$ SELECT cc || lpad((98 - mod(pg_temp.iban_num(bban || cc || '00'), 97))::text, 2, '0') || bban $$;
-- an IBAN printed in groups of four, as people paste it
CREATE FUNCTION pg_temp.iban_print(iban text) RETURNS text LANGUAGE sql IMMUTABLE
  AS $$ SELECT trim(regexp_replace(iban, '(.{4})', '\1 ', 'g')) $$;

BEGIN;

-- goose (pressly/goose v3) bookkeeping, created by the tool itself
CREATE TABLE public.goose_db_version (
    id serial NOT NULL,
    version_id bigint NOT NULL,
    is_applied boolean NOT NULL,
    tstamp timestamp without time zone DEFAULT now(),
    CONSTRAINT goose_db_version_pkey PRIMARY KEY (id)
);

CREATE SCHEMA ref;
CREATE SCHEMA core;
CREATE SCHEMA auth;
CREATE SCHEMA banking;
CREATE SCHEMA audit;
CREATE SCHEMA reporting;

-- 00002_reference_data.sql
CREATE TABLE ref.currencies (
    code char(3) PRIMARY KEY,
    numeric_code smallint NOT NULL UNIQUE,
    name text NOT NULL,
    minor_units smallint NOT NULL DEFAULT 2 CHECK (minor_units BETWEEN 0 AND 4),
    symbol text NOT NULL,
    enabled boolean NOT NULL DEFAULT true
);

CREATE TABLE ref.countries (
    iso2 char(2) PRIMARY KEY,
    iso3 char(3) NOT NULL UNIQUE,
    name text NOT NULL,
    calling_code text NOT NULL,
    currency char(3) REFERENCES ref.currencies (code),
    sepa boolean NOT NULL DEFAULT false,
    risk_tier smallint NOT NULL DEFAULT 1 CHECK (risk_tier BETWEEN 1 AND 4)
);

CREATE TABLE ref.merchant_category_codes (
    mcc char(4) PRIMARY KEY,
    description text NOT NULL,
    category text NOT NULL,
    is_high_risk boolean NOT NULL DEFAULT false
);

CREATE TABLE ref.bank_branches (
    id integer GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    bank_name text NOT NULL,
    bic varchar(11) NOT NULL,
    bank_code text NOT NULL,
    branch_code text,
    branch_name text NOT NULL,
    street text NOT NULL,
    city text NOT NULL,
    postal_code text NOT NULL,
    country char(2) NOT NULL REFERENCES ref.countries (iso2),
    phone text,
    email text,
    opening_hours text
);
CREATE INDEX bank_branches_bic_idx ON ref.bank_branches (bic);

CREATE TABLE ref.fx_rates (
    rate_date date NOT NULL,
    base char(3) NOT NULL REFERENCES ref.currencies (code),
    quote char(3) NOT NULL REFERENCES ref.currencies (code),
    rate numeric(18,8) NOT NULL CHECK (rate > 0),
    source text NOT NULL DEFAULT 'ecb',
    PRIMARY KEY (rate_date, base, quote)
);

-- 00003_customers.sql
CREATE TYPE core.kyc_status AS ENUM ('pending', 'in_review', 'verified', 'rejected', 'expired');
CREATE TYPE core.risk_level AS ENUM ('low', 'medium', 'high');

CREATE TABLE core.customers (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    external_ref text NOT NULL UNIQUE,
    email text NOT NULL,
    email_verified_at timestamptz,
    phone_e164 text,
    first_name text NOT NULL,
    middle_name text,
    last_name text NOT NULL,
    date_of_birth date NOT NULL,
    nationality char(2) REFERENCES ref.countries (iso2),
    country_of_residence char(2) NOT NULL REFERENCES ref.countries (iso2),
    national_id text,
    tax_id text,
    address_line1 text NOT NULL,
    address_line2 text,
    city text NOT NULL,
    region text,
    postal_code text NOT NULL,
    employer_name text,
    kyc_status core.kyc_status NOT NULL DEFAULT 'pending',
    risk_level core.risk_level NOT NULL DEFAULT 'low',
    marketing_opt_in boolean NOT NULL DEFAULT false,
    referral_code text NOT NULL,
    referred_by uuid REFERENCES core.customers (id),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz
);
CREATE UNIQUE INDEX customers_email_key ON core.customers (lower(email)) WHERE deleted_at IS NULL;
CREATE UNIQUE INDEX customers_referral_code_key ON core.customers (referral_code);
CREATE INDEX customers_last_name_idx ON core.customers (last_name, first_name);

CREATE TABLE core.kyc_documents (
    id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    customer_id uuid NOT NULL REFERENCES core.customers (id) ON DELETE CASCADE,
    doc_type text NOT NULL CHECK (doc_type IN ('passport', 'id_card', 'driving_licence', 'residence_permit', 'proof_of_address')),
    doc_number text,
    issuing_country char(2) REFERENCES ref.countries (iso2),
    expires_on date,
    file_name text NOT NULL,
    storage_key text NOT NULL UNIQUE,
    sha256 char(64) NOT NULL,
    uploaded_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX kyc_documents_customer_idx ON core.kyc_documents (customer_id);

CREATE TABLE core.kyc_checks (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    customer_id uuid NOT NULL REFERENCES core.customers (id) ON DELETE CASCADE,
    provider text NOT NULL,
    provider_applicant_id text NOT NULL,
    check_type text NOT NULL,
    result text CHECK (result IN ('clear', 'consider', 'rejected')),
    raw_response jsonb NOT NULL DEFAULT '{}',
    created_at timestamptz NOT NULL DEFAULT now(),
    completed_at timestamptz
);
CREATE INDEX kyc_checks_customer_idx ON core.kyc_checks (customer_id);

-- 00005_auth.sql
CREATE TABLE auth.operators (
    id integer GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    email text NOT NULL UNIQUE,
    full_name text NOT NULL,
    role text NOT NULL CHECK (role IN ('support', 'compliance', 'finance', 'engineer', 'admin')),
    password_hash text NOT NULL,
    totp_secret text,
    last_login_at timestamptz,
    last_login_ip inet,
    is_active boolean NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE auth.devices (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    customer_id uuid NOT NULL REFERENCES core.customers (id) ON DELETE CASCADE,
    platform text NOT NULL CHECK (platform IN ('ios', 'android', 'web')),
    device_name text,
    model text,
    os_version text,
    app_version text NOT NULL,
    push_token text,
    fingerprint jsonb NOT NULL DEFAULT '{}',
    trusted boolean NOT NULL DEFAULT false,
    first_seen_at timestamptz NOT NULL DEFAULT now(),
    last_seen_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX devices_customer_idx ON auth.devices (customer_id);

CREATE TABLE auth.sessions (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    customer_id uuid NOT NULL REFERENCES core.customers (id) ON DELETE CASCADE,
    device_id uuid REFERENCES auth.devices (id) ON DELETE SET NULL,
    refresh_token_hash char(64) NOT NULL UNIQUE,
    ip inet,
    user_agent text,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    revoked_at timestamptz
);
CREATE INDEX sessions_customer_idx ON auth.sessions (customer_id);

-- 00007_banking.sql
CREATE TYPE banking.account_status AS ENUM ('active', 'frozen', 'closed');
CREATE TYPE banking.card_status AS ENUM ('active', 'locked', 'expired', 'cancelled');
CREATE TYPE banking.txn_kind AS ENUM ('card', 'transfer_in', 'transfer_out', 'direct_debit', 'fee', 'interest', 'topup');
CREATE TYPE banking.txn_direction AS ENUM ('debit', 'credit');
CREATE TYPE banking.txn_status AS ENUM ('pending', 'booked', 'declined', 'reversed');

CREATE TABLE banking.accounts (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    customer_id uuid NOT NULL REFERENCES core.customers (id),
    product text NOT NULL CHECK (product IN ('current', 'savings', 'euro')),
    currency char(3) NOT NULL REFERENCES ref.currencies (code),
    account_number varchar(16) NOT NULL UNIQUE,
    sort_code varchar(6),
    iban varchar(34) NOT NULL UNIQUE,
    nickname text,
    status banking.account_status NOT NULL DEFAULT 'active',
    overdraft_limit numeric(19,4) NOT NULL DEFAULT 0 CHECK (overdraft_limit >= 0),
    interest_rate_bps integer NOT NULL DEFAULT 0,
    opened_at timestamptz NOT NULL DEFAULT now(),
    closed_at timestamptz
);
CREATE INDEX accounts_customer_idx ON banking.accounts (customer_id);

CREATE TABLE banking.external_accounts (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    customer_id uuid NOT NULL REFERENCES core.customers (id) ON DELETE CASCADE,
    holder_name text NOT NULL,
    iban varchar(34),
    account_number varchar(20),
    bic varchar(11),
    bank_branch_id integer REFERENCES ref.bank_branches (id),
    verified_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX external_accounts_customer_idx ON banking.external_accounts (customer_id);

CREATE TABLE banking.cards (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    account_id uuid NOT NULL REFERENCES banking.accounts (id),
    customer_id uuid NOT NULL REFERENCES core.customers (id),
    pan_token text NOT NULL UNIQUE,
    last4 char(4) NOT NULL CHECK (last4 ~ '^[0-9]{4}$'),
    brand text NOT NULL CHECK (brand IN ('visa', 'mastercard')),
    exp_month smallint NOT NULL CHECK (exp_month BETWEEN 1 AND 12),
    exp_year smallint NOT NULL,
    cardholder_name text NOT NULL,
    is_virtual boolean NOT NULL DEFAULT false,
    status banking.card_status NOT NULL DEFAULT 'active',
    daily_limit numeric(19,4) NOT NULL DEFAULT 1000,
    issued_at timestamptz NOT NULL DEFAULT now(),
    cancelled_at timestamptz
);
CREATE INDEX cards_account_idx ON banking.cards (account_id);

CREATE TABLE banking.payees (
    id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    customer_id uuid NOT NULL REFERENCES core.customers (id) ON DELETE CASCADE,
    display_name text NOT NULL,
    iban varchar(34) NOT NULL,
    default_reference text,
    created_at timestamptz NOT NULL DEFAULT now(),
    last_paid_at timestamptz,
    UNIQUE (customer_id, iban)
);

CREATE TABLE banking.transactions (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    account_id uuid NOT NULL REFERENCES banking.accounts (id),
    card_id uuid REFERENCES banking.cards (id),
    payee_id bigint REFERENCES banking.payees (id),
    kind banking.txn_kind NOT NULL,
    direction banking.txn_direction NOT NULL,
    status banking.txn_status NOT NULL DEFAULT 'pending',
    amount numeric(19,4) NOT NULL CHECK (amount > 0),
    currency char(3) NOT NULL REFERENCES ref.currencies (code),
    original_amount numeric(19,4),
    original_currency char(3) REFERENCES ref.currencies (code),
    merchant_name text,
    mcc char(4) REFERENCES ref.merchant_category_codes (mcc),
    counterparty_name text,
    counterparty_iban varchar(34),
    reference text,
    memo text,
    idempotency_key uuid NOT NULL UNIQUE,
    risk_signals jsonb,
    created_at timestamptz NOT NULL DEFAULT now(),
    booked_at timestamptz
);
CREATE INDEX transactions_account_created_idx ON banking.transactions (account_id, created_at DESC);
CREATE INDEX transactions_card_idx ON banking.transactions (card_id) WHERE card_id IS NOT NULL;

-- 00009_ledger.sql: double entry, partitioned by month
CREATE TABLE banking.ledger_entries (
    id bigint GENERATED ALWAYS AS IDENTITY,
    transaction_id uuid NOT NULL REFERENCES banking.transactions (id),
    account_id uuid NOT NULL REFERENCES banking.accounts (id),
    entry_type text NOT NULL CHECK (entry_type IN ('principal', 'fee', 'fx_margin', 'interest')),
    direction banking.txn_direction NOT NULL,
    amount numeric(19,4) NOT NULL CHECK (amount > 0),
    currency char(3) NOT NULL,
    balance_after numeric(19,4) NOT NULL,
    posted_at timestamptz NOT NULL,
    PRIMARY KEY (id, posted_at)
) PARTITION BY RANGE (posted_at);
CREATE TABLE banking.ledger_entries_2024_01 PARTITION OF banking.ledger_entries FOR VALUES FROM ('2024-01-01') TO ('2024-02-01');
CREATE TABLE banking.ledger_entries_2024_02 PARTITION OF banking.ledger_entries FOR VALUES FROM ('2024-02-01') TO ('2024-03-01');
CREATE TABLE banking.ledger_entries_2024_03 PARTITION OF banking.ledger_entries FOR VALUES FROM ('2024-03-01') TO ('2024-04-01');
CREATE TABLE banking.ledger_entries_2024_04 PARTITION OF banking.ledger_entries FOR VALUES FROM ('2024-04-01') TO ('2024-05-01');
CREATE TABLE banking.ledger_entries_2024_05 PARTITION OF banking.ledger_entries FOR VALUES FROM ('2024-05-01') TO ('2024-06-01');
CREATE TABLE banking.ledger_entries_2024_06 PARTITION OF banking.ledger_entries FOR VALUES FROM ('2024-06-01') TO ('2024-07-01');
CREATE TABLE banking.ledger_entries_default PARTITION OF banking.ledger_entries DEFAULT;
CREATE INDEX ledger_entries_account_idx ON banking.ledger_entries (account_id, posted_at);

-- 00011_audit.sql
CREATE TYPE audit.actor_type AS ENUM ('customer', 'operator', 'system');

CREATE TABLE audit.events (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    occurred_at timestamptz NOT NULL DEFAULT now(),
    actor_type audit.actor_type NOT NULL,
    actor_id text,
    actor_email text,
    ip inet,
    action text NOT NULL,
    entity_type text NOT NULL,
    entity_id text NOT NULL,
    diff jsonb,
    request_id uuid NOT NULL
);
CREATE INDEX events_entity_idx ON audit.events (entity_type, entity_id);

-- ---------------------------------------------------------------------------
-- Data
-- ---------------------------------------------------------------------------
INSERT INTO public.goose_db_version (version_id, is_applied, tstamp)
SELECT v, true, t FROM (VALUES
  (0, timestamp '2023-01-04 10:15:00'), (20230104101500, timestamp '2023-01-04 10:15:01'), (20230104101600, timestamp '2023-01-04 10:15:01'),
  (20230111093000, timestamp '2023-01-11 09:31:12'), (20230125141500, timestamp '2023-01-25 14:16:40'), (20230208120000, timestamp '2023-02-08 12:02:03'),
  (20230301083000, timestamp '2023-03-01 08:31:55'), (20230315160000, timestamp '2023-03-15 16:00:48'), (20230405110000, timestamp '2023-04-05 11:01:10'),
  (20230503090000, timestamp '2023-05-03 09:00:31'), (20230531150000, timestamp '2023-05-31 15:02:14'), (20230621101500, timestamp '2023-06-21 10:16:02'),
  (20230719133000, timestamp '2023-07-19 13:30:44'), (20230823094500, timestamp '2023-08-23 09:46:20'), (20230920170000, timestamp '2023-09-20 17:01:05'),
  (20231018120000, timestamp '2023-10-18 12:00:27'), (20231115081500, timestamp '2023-11-15 08:15:39'), (20231213100000, timestamp '2023-12-13 10:00:58'),
  (20240110143000, timestamp '2024-01-10 14:31:16'), (20240207091500, timestamp '2024-02-07 09:15:42'), (20240306120000, timestamp '2024-03-06 12:01:09'),
  (20240403160000, timestamp '2024-04-03 16:00:33'), (20240508103000, timestamp '2024-05-08 10:30:51'), (20240605090000, timestamp '2024-06-05 09:00:24')
) AS g(v, t) ORDER BY t, v;

INSERT INTO ref.currencies (code, numeric_code, name, minor_units, symbol, enabled) VALUES
 ('GBP', 826, 'Pound Sterling', 2, '£', true), ('EUR', 978, 'Euro', 2, '€', true), ('USD', 840, 'US Dollar', 2, '$', true),
 ('PLN', 985, 'Zloty', 2, 'zł', true), ('CHF', 756, 'Swiss Franc', 2, 'CHF', true), ('SEK', 752, 'Swedish Krona', 2, 'kr', true),
 ('DKK', 208, 'Danish Krone', 2, 'kr', true), ('NOK', 578, 'Norwegian Krone', 2, 'kr', true), ('CZK', 203, 'Czech Koruna', 2, 'Kč', false),
 ('HUF', 348, 'Forint', 2, 'Ft', false), ('JPY', 392, 'Yen', 0, '¥', true), ('CAD', 124, 'Canadian Dollar', 2, '$', true);

INSERT INTO ref.countries (iso2, iso3, name, calling_code, currency, sepa, risk_tier) VALUES
 ('GB', 'GBR', 'United Kingdom', '44', 'GBP', true, 1), ('IE', 'IRL', 'Ireland', '353', 'EUR', true, 1), ('DE', 'DEU', 'Germany', '49', 'EUR', true, 1),
 ('FR', 'FRA', 'France', '33', 'EUR', true, 1), ('ES', 'ESP', 'Spain', '34', 'EUR', true, 1), ('NL', 'NLD', 'Netherlands', '31', 'EUR', true, 1),
 ('PT', 'PRT', 'Portugal', '351', 'EUR', true, 1), ('PL', 'POL', 'Poland', '48', 'PLN', true, 1), ('IT', 'ITA', 'Italy', '39', 'EUR', true, 1),
 ('US', 'USA', 'United States', '1', 'USD', false, 1), ('CH', 'CHE', 'Switzerland', '41', 'CHF', true, 1), ('SE', 'SWE', 'Sweden', '46', 'SEK', true, 1),
 ('DK', 'DNK', 'Denmark', '45', 'DKK', true, 1), ('NO', 'NOR', 'Norway', '47', 'NOK', true, 1), ('CZ', 'CZE', 'Czechia', '420', 'CZK', true, 1),
 ('HU', 'HUN', 'Hungary', '36', 'HUF', true, 1), ('JP', 'JPN', 'Japan', '81', 'JPY', false, 1), ('CA', 'CAN', 'Canada', '1', 'CAD', false, 1),
 ('AT', 'AUT', 'Austria', '43', 'EUR', true, 1), ('BE', 'BEL', 'Belgium', '32', 'EUR', true, 1), ('IN', 'IND', 'India', '91', NULL, false, 2),
 ('NG', 'NGA', 'Nigeria', '234', NULL, false, 3), ('BR', 'BRA', 'Brazil', '55', NULL, false, 2), ('AE', 'ARE', 'United Arab Emirates', '971', NULL, false, 2),
 ('RO', 'ROU', 'Romania', '40', NULL, true, 2), ('UA', 'UKR', 'Ukraine', '380', NULL, false, 3), ('TR', 'TUR', 'Turkey', '90', NULL, false, 2),
 ('CN', 'CHN', 'China', '86', NULL, false, 2), ('PK', 'PAK', 'Pakistan', '92', NULL, false, 3), ('ZA', 'ZAF', 'South Africa', '27', NULL, false, 2);

INSERT INTO ref.merchant_category_codes (mcc, description, category, is_high_risk) VALUES
 ('4111', 'Local and Suburban Commuter Passenger Transportation', 'transport', false), ('4121', 'Taxicabs and Limousines', 'transport', false),
 ('4511', 'Airlines and Air Carriers', 'travel', false), ('4784', 'Tolls and Bridge Fees', 'transport', false),
 ('4814', 'Telecommunication Services', 'bills', false), ('4829', 'Wire Transfers and Money Orders', 'transfers', true),
 ('4900', 'Utilities - Electric, Gas, Water, Sanitary', 'bills', false), ('5200', 'Home Supply Warehouse Stores', 'shopping', false),
 ('5211', 'Lumber and Building Materials Stores', 'shopping', false), ('5311', 'Department Stores', 'shopping', false),
 ('5411', 'Grocery Stores and Supermarkets', 'groceries', false), ('5441', 'Candy, Nut and Confectionery Stores', 'groceries', false),
 ('5462', 'Bakeries', 'groceries', false), ('5541', 'Service Stations', 'transport', false),
 ('5651', 'Family Clothing Stores', 'shopping', false), ('5691', 'Men''s and Women''s Clothing Stores', 'shopping', false),
 ('5732', 'Electronics Stores', 'shopping', false), ('5812', 'Eating Places and Restaurants', 'eating_out', false),
 ('5813', 'Drinking Places (Bars, Taverns, Nightclubs)', 'eating_out', false), ('5814', 'Fast Food Restaurants', 'eating_out', false),
 ('5815', 'Digital Goods: Media, Books, Movies, Music', 'entertainment', false), ('5816', 'Digital Goods: Games', 'entertainment', false),
 ('5817', 'Digital Goods: Applications', 'entertainment', false), ('5912', 'Drug Stores and Pharmacies', 'health', false),
 ('5942', 'Book Stores', 'shopping', false), ('5968', 'Direct Marketing: Continuity and Subscription Merchants', 'bills', false),
 ('5995', 'Pet Shops, Pet Food and Supplies', 'shopping', false), ('5999', 'Miscellaneous and Specialty Retail Stores', 'shopping', false),
 ('6011', 'Automated Cash Disbursements', 'cash', false), ('6051', 'Non-Financial Institutions: Foreign Currency, Crypto', 'transfers', true),
 ('7011', 'Lodging: Hotels, Motels, Resorts', 'travel', false), ('7298', 'Health and Beauty Spas', 'personal_care', false),
 ('7523', 'Parking Lots and Garages', 'transport', false), ('7832', 'Motion Picture Theaters', 'entertainment', false),
 ('7995', 'Betting, Casino Gaming Chips, Off-Track Betting', 'gambling', true), ('7997', 'Membership Clubs (Sports, Recreation, Athletic)', 'entertainment', false),
 ('8011', 'Doctors and Physicians', 'health', false), ('8021', 'Dentists and Orthodontists', 'health', false),
 ('8062', 'Hospitals', 'health', false), ('8220', 'Colleges, Universities, Professional Schools', 'education', false),
 ('8398', 'Charitable and Social Service Organizations', 'charity', false), ('9311', 'Tax Payments', 'bills', false);

-- places and banks for the branch directory
CREATE TEMP TABLE places AS
SELECT (n - 1)::integer AS n, city, region, cc FROM unnest(
  '{"London","Manchester","Edinburgh","Bristol","Leeds","Dublin","Cork","Berlin","Munich","Hamburg","Paris","Lyon","Madrid","Barcelona","Amsterdam","Rotterdam","Lisbon","Warsaw","Milan","New York"}'::text[],
  '{"England","England","Scotland","England","England","Leinster","Munster","Berlin","Bavaria","Hamburg","Ile-de-France","Auvergne-Rhone-Alpes","Madrid","Catalonia","North Holland","South Holland","Lisboa","Masovia","Lombardy","NY"}'::text[],
  '{"GB","GB","GB","GB","GB","IE","IE","DE","DE","DE","FR","FR","ES","ES","NL","NL","PT","PL","IT","US"}'::text[]) WITH ORDINALITY AS p(city, region, cc, n);

CREATE TEMP TABLE banks AS
SELECT (n - 1)::integer AS n, name, bic, code, cc, domain, sort2 FROM unnest(
  '{"NatWest","Barclays","HSBC UK","Lloyds Bank","AIB","Bank of Ireland","Deutsche Bank","Commerzbank","Hamburger Sparkasse","BNP Paribas","Societe Generale","ABN AMRO","ING","Rabobank","Banco Santander","BBVA","Millennium bcp","PKO Bank Polski","UniCredit","JPMorgan Chase"}'::text[],
  '{"NWBKGB2L","BARCGB22","HBUKGB4B","LOYDGB2L","AIBKIE2D","BOFIIE2D","DEUTDEBB","COBADEFF","HASPDEHH","BNPAFRPP","SOGEFRPP","ABNANL2A","INGBNL2A","RABONL2U","BSCHESMM","BBVAESMM","BCOMPTPL","BPKOPLPW","UNCRITMM","CHASUS33"}'::text[],
  '{"NWBK","BARC","HBUK","LOYD","AIBK","BOFI","10070000","10040000","20050550","30004","30003","ABNA","INGB","RABO","0049","0182","0033","10201026","02008","021000021"}'::text[],
  '{"GB","GB","GB","GB","IE","IE","DE","DE","DE","FR","FR","NL","NL","NL","ES","ES","PT","PL","IT","US"}'::text[],
  '{"natwest.com","barclays.co.uk","hsbc.co.uk","lloydsbank.com","aib.ie","bankofireland.com","deutsche-bank.de","commerzbank.de","haspa.de","bnpparibas.fr","societegenerale.fr","abnamro.nl","ing.nl","rabobank.nl","santander.es","bbva.es","millenniumbcp.pt","pkobp.pl","unicredit.it","chase.com"}'::text[],
  '{"60","20","40","30","93","90","","","","","","","","","","","","","",""}'::text[]) WITH ORDINALITY AS b(name, bic, code, cc, domain, sort2, n);

-- 200 branches: ten per bank, in the bank's country
INSERT INTO ref.bank_branches (id, bank_name, bic, bank_code, branch_code, branch_name, street, city, postal_code, country, phone, email, opening_hours)
SELECT i, b.name, b.bic, b.code,
       CASE WHEN b.cc IN ('GB', 'IE') THEN b.sort2 || lpad(((i * 37) % 10000)::text, 4, '0')
            WHEN b.cc = 'FR' THEN lpad(((i * 53) % 100000)::text, 5, '0')
            WHEN b.cc = 'ES' THEN lpad(((i * 71) % 10000)::text, 4, '0') END,
       b.name || ' ' || p.city || ' ' || (ARRAY['Central', 'High Street', 'Station', 'North', 'Market', 'Riverside', 'Old Town', 'West', 'University', 'Airport'])[1 + (i - 1) / 20],
       (1 + pg_temp.h('bno' || i) % 180)::text || ' ' || pg_temp.street_name('branch' || i),
       p.city, pg_temp.postal_at(p.n, 'branch' || i), b.cc,
       '+' || pg_temp.calling(b.cc) || ' ' || pg_temp.digits('bph' || i, 2) || ' ' || pg_temp.digits('bph2' || i, 4) || ' ' || lpad(((i * 7) % 100)::text, 2, '0') || '00',
       CASE WHEN i % 4 <> 3 THEN 'branch.' || lower(replace(p.city, ' ', '')) || '.' || lpad((i % 10 + 1)::text, 2, '0') || '@' || b.domain END,
       CASE WHEN b.cc IN ('GB', 'IE', 'US') THEN 'Mon-Fri 09:30-16:30' || CASE WHEN i % 3 = 0 THEN ', Sat 09:30-12:30' ELSE '' END
            WHEN b.cc = 'DE' THEN 'Mo-Fr 09:00-13:00, 14:00-18:00' ELSE 'Mon-Fri 08:30-15:00' END
FROM generate_series(1, 200) AS i
JOIN banks b ON b.n = (i - 1) % 20
JOIN LATERAL (SELECT pl.n, pl.city FROM places pl WHERE pl.cc = b.cc ORDER BY pl.n
              OFFSET ((i - 1) / 20) % (SELECT count(*) FROM places q WHERE q.cc = b.cc) LIMIT 1) p ON true
ORDER BY i;
SELECT setval(pg_get_serial_sequence('ref.bank_branches', 'id'), (SELECT max(id) FROM ref.bank_branches));

-- daily reference rates for 182 days, six quotes against EUR and GBP
INSERT INTO ref.fx_rates (rate_date, base, quote, rate, source)
SELECT d::date, base, quote, round((mid * (1 + ((pg_temp.h('fx' || d::date || base || quote) % 2001) - 1000) / 100000.0))::numeric, 8), 'ecb'
FROM generate_series(date '2024-01-01', date '2024-06-30', interval '1 day') AS d,
(VALUES ('EUR', 'GBP', 0.8575), ('EUR', 'USD', 1.0850), ('EUR', 'PLN', 4.3200), ('GBP', 'EUR', 1.1662), ('GBP', 'USD', 1.2650), ('GBP', 'JPY', 191.40)) AS q(base, quote, mid)
ORDER BY 1, 2, 3;

-- the customers (seed 'cust' || n) and what the other tables need of them
CREATE TEMP TABLE cust AS
SELECT x.n, s, pg_temp.uuid(s) AS id, pn, city, region, cc,
       pg_temp.first_name(s) AS first, pg_temp.last_name(s) AS last,
       pg_temp.first_slug(s) AS fslug, pg_temp.last_slug(s) AS lslug,
       CASE WHEN x.n % 7 = 0 THEN pg_temp.pick(ARRAY['Aurelio', 'Wilhelmina', 'Evander', 'Philippa', 'Leopold', 'Rosalind', 'Bartholomew',
                                                     'Ottilie', 'Ignatius', 'Clementine', 'Thaddeus', 'Seraphina', 'Maximilian', 'Genoveva'], 'mid' || s) END AS middle,
       pg_temp.unique_email(s, x.n) AS email,
       (ARRAY[51.5072, 53.4808, 55.9533, 51.4545, 53.8008, 53.3498, 51.8985, 52.5200, 48.1351, 53.5511,
              48.8566, 45.7640, 40.4168, 41.3874, 52.3676, 51.9244, 38.7223, 52.2297, 45.4642, 40.7128])[1 + pn] AS lat,
       (ARRAY[-0.1276, -2.2426, -3.1883, -2.5879, -1.5491, -6.2603, -8.4756, 13.4050, 11.5820, 9.9937,
              2.3522, 4.8357, -3.7038, 2.1686, 4.9041, 4.4777, -9.1393, 21.0122, 9.1900, -74.0060])[1 + pn] AS lon,
       (ARRAY['Europe/London', 'Europe/London', 'Europe/London', 'Europe/London', 'Europe/London', 'Europe/Dublin', 'Europe/Dublin',
              'Europe/Berlin', 'Europe/Berlin', 'Europe/Berlin', 'Europe/Paris', 'Europe/Paris', 'Europe/Madrid', 'Europe/Madrid',
              'Europe/Amsterdam', 'Europe/Amsterdam', 'Europe/Lisbon', 'Europe/Warsaw', 'Europe/Rome', 'America/New_York'])[1 + pn] AS tz,
       (ARRAY['en-GB', 'en-GB', 'en-GB', 'en-GB', 'en-GB', 'en-IE', 'en-IE', 'de-DE', 'de-DE', 'de-DE', 'fr-FR', 'fr-FR', 'es-ES', 'es-ES',
              'nl-NL', 'nl-NL', 'pt-PT', 'pl-PL', 'it-IT', 'en-US'])[1 + pn] AS locale,
       timestamptz '2022-01-01 00:00:00+00' + make_interval(secs => pg_temp.h('created' || s) % 63072000) AS created,
       CASE WHEN pg_temp.h('kyc' || s) % 100 < 85 THEN 'verified' WHEN pg_temp.h('kyc' || s) % 100 < 90 THEN 'pending'
            WHEN pg_temp.h('kyc' || s) % 100 < 94 THEN 'in_review' WHEN pg_temp.h('kyc' || s) % 100 < 97 THEN 'rejected' ELSE 'expired' END AS kyc,
       CASE WHEN x.n % 3 = 0 THEN pg_temp.company(s) WHEN x.n % 17 = 0 THEN 'Self-employed' END AS employer
FROM (SELECT n, 'cust' || n AS s, pg_temp.place_n('cust' || n) AS pn FROM generate_series(1, 2000) AS n) x
JOIN places p ON p.n = x.pn;

INSERT INTO core.customers (id, external_ref, email, email_verified_at, phone_e164, first_name, middle_name, last_name, date_of_birth,
    nationality, country_of_residence, national_id, tax_id, address_line1, address_line2, city, region, postal_code, employer_name,
    kyc_status, risk_level, marketing_opt_in, referral_code, referred_by, created_at, updated_at, deleted_at)
SELECT c.id, 'CUS-' || lpad(c.n::text, 6, '0'), c.email,
       CASE WHEN c.kyc <> 'pending' THEN c.created + interval '11 minutes' END,
       CASE WHEN c.n % 20 <> 7 THEN pg_temp.e164(c.cc, c.n) END,
       c.first, c.middle, c.last,
       date '1948-01-01' + pg_temp.h('dob' || c.s) % 20000,
       CASE WHEN pg_temp.h('nat' || c.s) % 100 < 85 THEN c.cc ELSE pg_temp.pick(ARRAY['IN','NG','BR','RO','PL','IT','ES','UA','TR','CN','PK','ZA','US','FR'], 'natc' || c.s) END,
       c.cc, pg_temp.national_id(c.cc, c.s), pg_temp.tax_id(c.cc, c.s),
       CASE WHEN c.cc IN ('GB', 'IE', 'US') THEN (1 + pg_temp.h('houseno' || c.s) % 240) || ' ' || pg_temp.street_name(c.s)
            ELSE pg_temp.street_name(c.s) || ' ' || (1 + pg_temp.h('houseno' || c.s) % 240) END,
       CASE WHEN c.n % 5 = 0 THEN CASE c.cc WHEN 'DE' THEN (1 + pg_temp.h('fl' || c.s) % 5) || '. OG'
                                            WHEN 'ES' THEN (1 + pg_temp.h('fl' || c.s) % 8) || 'º ' || (1 + pg_temp.h('fl2' || c.s) % 4) || 'ª'
                                            WHEN 'FR' THEN 'Bâtiment ' || chr(65 + pg_temp.h('fl' || c.s) % 4)
                                            WHEN 'US' THEN 'Apt ' || (1 + pg_temp.h('fl' || c.s) % 30) || chr(65 + pg_temp.h('fl2' || c.s) % 6)
                                            ELSE 'Flat ' || (1 + pg_temp.h('fl' || c.s) % 40) END END,
       c.city, CASE WHEN c.cc IN ('US', 'ES', 'IT') THEN c.region END, pg_temp.postal_at(c.pn, c.s), c.employer,
       c.kyc::core.kyc_status,
       (CASE WHEN pg_temp.h('risk' || c.s) % 100 < 80 THEN 'low' WHEN pg_temp.h('risk' || c.s) % 100 < 95 THEN 'medium' ELSE 'high' END)::core.risk_level,
       c.n % 3 = 1, upper(left(c.fslug, 4)) || c.n,
       CASE WHEN c.n > 100 AND c.n % 9 = 0 THEN pg_temp.uuid('cust' || (c.n / 9)) END,
       c.created, c.created + make_interval(days => pg_temp.h('upd' || c.s) % 100),
       CASE WHEN c.n % 97 = 0 THEN c.created + make_interval(days => 101 + pg_temp.h('del' || c.s) % 100) END
FROM cust c ORDER BY c.n;

-- identity documents (one each) and proofs of address (one customer in three)
INSERT INTO core.kyc_documents (customer_id, doc_type, doc_number, issuing_country, expires_on, file_name, storage_key, sha256, uploaded_at)
SELECT c.id, d.t,
       CASE d.t WHEN 'passport' THEN CASE c.cc WHEN 'GB' THEN pg_temp.digits('pp' || c.s, 9) WHEN 'US' THEN 'A' || pg_temp.digits('pp' || c.s, 8)
                                                 WHEN 'DE' THEN 'C' || upper(substr(translate(md5('pp' || c.s), 'aeiou', 'fghjk'), 1, 8)) ELSE upper(substr(md5('pp' || c.s), 1, 2)) || pg_temp.digits('pp' || c.s, 7) END
                WHEN 'id_card' THEN pg_temp.national_id(c.cc, 'card' || c.s)
                WHEN 'driving_licence' THEN CASE WHEN c.cc = 'GB' THEN upper(rpad(left(c.lslug, 5), 5, '9')) || pg_temp.digits('dl' || c.s, 6) || upper(left(c.fslug, 1)) || '9' || upper(substr(md5('dl' || c.s), 1, 2))
                                                 ELSE upper(substr(md5('dl' || c.s), 1, 3)) || pg_temp.digits('dl' || c.s, 7) END END,
       CASE WHEN d.t <> 'proof_of_address' THEN c.cc END,
       CASE WHEN d.t <> 'proof_of_address' THEN date '2025-01-01' + pg_temp.h('exp' || c.s || d.t) % 3650 END,
       CASE WHEN d.t = 'proof_of_address' THEN
              CASE pg_temp.h('fpoa' || c.s) % 4 WHEN 0 THEN 'Council Tax bill ' || c.last || '.pdf' WHEN 1 THEN 'bank_statement_march.pdf'
                                               WHEN 2 THEN 'utility-bill-' || c.lslug || '-2024.pdf' ELSE 'Scan ' || to_char(c.created, 'YYYY-MM-DD') || '.pdf' END
            ELSE CASE pg_temp.h('fid' || c.s) % 5 WHEN 0 THEN 'IMG_' || (1000 + pg_temp.h('img' || c.s) % 9000) || '.HEIC'
                                                 WHEN 1 THEN d.t || '_' || c.fslug || '_' || c.lslug || '.jpg'
                                                 WHEN 2 THEN 'scan0' || (1 + pg_temp.h('img' || c.s) % 9) || '.pdf'
                                                 WHEN 3 THEN c.first || ' ' || c.last || ' ID.png' ELSE 'photo.jpg' END END,
       'kyc/' || c.id || '/' || d.t || '-' || d.k || CASE WHEN d.t = 'proof_of_address' THEN '.pdf' ELSE '.jpg' END,
       pg_temp.hex('doc' || c.s || d.t, 64),
       c.created + make_interval(mins => 3 + d.k)
FROM cust c,
LATERAL (SELECT 1 AS k, (ARRAY['passport', 'id_card', 'driving_licence', 'passport', 'residence_permit'])[1 + pg_temp.h('dt' || c.s) % 5] AS t
         UNION ALL SELECT 2, 'proof_of_address' WHERE c.n % 3 = 0) d
WHERE NOT (c.cc IN ('GB', 'US') AND d.t = 'id_card')
ORDER BY c.n, d.k;

INSERT INTO core.kyc_checks (id, customer_id, provider, provider_applicant_id, check_type, result, raw_response, created_at, completed_at)
SELECT pg_temp.uuid('chk' || c.s), c.id, p.provider,
       CASE p.provider WHEN 'onfido' THEN pg_temp.uuid('applicant' || c.s)::text ELSE pg_temp.hex('applicant' || c.s, 24) END,
       CASE WHEN c.n % 2 = 0 THEN 'identity_enhanced' ELSE 'document_facial_similarity' END,
       CASE c.kyc WHEN 'verified' THEN 'clear' WHEN 'expired' THEN 'clear' WHEN 'rejected' THEN 'rejected' WHEN 'in_review' THEN 'consider' END,
       jsonb_build_object(
         'id', pg_temp.uuid('chk' || c.s)::text,
         'status', CASE WHEN c.kyc = 'pending' THEN 'in_progress' ELSE 'complete' END,
         'href', '/v3.6/checks/' || pg_temp.uuid('chk' || c.s),
         'applicant', jsonb_build_object('first_name', c.first, 'last_name', c.last,
                                         'dob', to_char(date '1948-01-01' + pg_temp.h('dob' || c.s) % 20000, 'YYYY-MM-DD'),
                                         'email', c.email,
                                         'address', jsonb_build_object('town', c.city, 'postcode', pg_temp.postal_at(c.pn, c.s), 'country', c.cc)),
         'document', jsonb_build_object('type', CASE WHEN pg_temp.h('dt' || c.s) % 5 IN (0, 3) THEN 'passport' ELSE 'national_identity_card' END,
                                        'issuing_country', c.cc),
         'breakdown', jsonb_build_object('data_comparison', CASE WHEN c.kyc = 'rejected' THEN 'consider' ELSE 'clear' END,
                                         'image_integrity', 'clear', 'visual_authenticity', 'clear',
                                         'facial_similarity_score', round((0.80 + (pg_temp.h('fs' || c.s) % 199) / 1000.0)::numeric, 3))),
       c.created + interval '5 minutes',
       CASE WHEN c.kyc <> 'pending' THEN c.created + make_interval(mins => 6 + pg_temp.h('chkdur' || c.s) % 2000) END
FROM cust c, LATERAL (SELECT CASE WHEN c.n % 4 = 0 THEN 'sumsub' ELSE 'onfido' END AS provider) p
ORDER BY c.n;

-- back office
INSERT INTO auth.operators (email, full_name, role, password_hash, totp_secret, last_login_at, last_login_ip, is_active, created_at)
SELECT pg_temp.first_slug('op' || i) || '.' || pg_temp.last_slug('op' || i) || CASE WHEN i > 30 THEN i::text ELSE '' END || '@novabank.co.uk',
       pg_temp.full_name('op' || i),
       (ARRAY['support', 'support', 'support', 'compliance', 'compliance', 'finance', 'engineer', 'admin'])[1 + i % 8],
       '$2a$12$' || translate(pg_temp.alnum('bcrypt' || i, 53), 'kQz', './Z'),
       CASE WHEN i % 6 <> 5 THEN translate(upper(pg_temp.alnum('totp' || i, 32)), '0189KQZ', '2345672') END,
       timestamptz '2024-06-01 08:00:00+00' + make_interval(secs => pg_temp.h('oplog' || i) % 2592000),
       CASE WHEN i % 4 = 0 THEN pg_temp.ipv4('home' || i) ELSE '81.2.69.' || (140 + i % 20) END::inet,
       i % 13 <> 0,
       timestamptz '2022-03-01 00:00:00+00' + make_interval(days => pg_temp.h('opc' || i) % 700)
FROM generate_series(1, 40) AS i ORDER BY i;

-- devices: one per customer, a second one for every third
INSERT INTO auth.devices (id, customer_id, platform, device_name, model, os_version, app_version, push_token, fingerprint, trusted, first_seen_at, last_seen_at)
SELECT pg_temp.uuid('dev' || c.n || ':' || j), c.id, pf,
       CASE WHEN pf = 'ios' AND c.n % 3 = 0 THEN c.first || '''s iPhone'
            WHEN pf = 'android' AND c.n % 4 = 0 THEN c.first || '''s ' || split_part(mdl, ' ', 1) END,
       CASE pf WHEN 'web' THEN NULL ELSE mdl END,
       CASE pf WHEN 'ios' THEN (ARRAY['17.5.1', '17.4', '16.7.8'])[1 + c.n % 3] WHEN 'android' THEN (ARRAY['14', '13', '12'])[1 + c.n % 3] END,
       '3.' || (10 + pg_temp.h('appv' || c.n || j) % 5) || '.' || pg_temp.h('appp' || c.n || j) % 4,
       CASE pf WHEN 'ios' THEN pg_temp.hex('apns' || c.n || j, 64)
               WHEN 'android' THEN pg_temp.alnum('fcm1' || c.n || j, 11) || ':APA91b' || pg_temp.alnum('fcm2' || c.n || j, 80) || pg_temp.alnum('fcm3' || c.n || j, 54) END,
       jsonb_build_object(
         'device_id', upper(pg_temp.uuid('hw' || c.n || ':' || j)::text),
         'ip', pg_temp.ip('devip' || c.n || j),
         'user_agent', CASE pf WHEN 'web' THEN pg_temp.user_agent('dev' || c.s || j)
                               ELSE 'Nova/3.14.2 (' || mdl || '; ' || CASE pf WHEN 'ios' THEN 'iOS' ELSE 'Android' END || ')' END,
         'screen', CASE pf WHEN 'ios' THEN '1179x2556' WHEN 'android' THEN '1080x2400' ELSE '1920x1080' END,
         'timezone', c.tz, 'locale', c.locale,
         'carrier', CASE WHEN pf <> 'web' THEN (ARRAY['EE', 'Vodafone', 'O2', 'Three', 'Telekom', 'Orange'])[1 + pg_temp.h('car' || c.n) % 6] END,
         'rooted', false,
         'geo', jsonb_build_object('lat', round((c.lat + (pg_temp.h('glat' || c.n || j) % 2001 - 1000) / 20000.0)::numeric, 5),
                                   'lon', round((c.lon + (pg_temp.h('glon' || c.n || j) % 2001 - 1000) / 20000.0)::numeric, 5))),
       j = 1 AND c.kyc = 'verified',
       c.created + make_interval(days => (j - 1) * (20 + pg_temp.h('dfs' || c.n) % 300)),
       timestamptz '2024-05-01 00:00:00+00' + make_interval(secs => pg_temp.h('dls' || c.n || j) % 5184000)
FROM cust c, generate_series(1, 2) AS j,
LATERAL (SELECT (ARRAY['ios', 'android', 'ios', 'android', 'web'])[1 + pg_temp.h('pf' || c.n || j) % 5] AS pf) p,
LATERAL (SELECT CASE p.pf WHEN 'ios' THEN (ARRAY['iPhone15,2', 'iPhone14,5', 'iPhone16,1', 'iPhone13,2'])[1 + pg_temp.h('mdl' || c.n || j) % 4]
                          WHEN 'android' THEN (ARRAY['Pixel 8', 'Pixel 7a', 'Galaxy S23', 'Galaxy A54', 'OnePlus 11'])[1 + pg_temp.h('mdl' || c.n || j) % 5] END AS mdl) m
WHERE j = 1 OR c.n % 3 = 0
ORDER BY c.n, j;

INSERT INTO auth.sessions (id, customer_id, device_id, refresh_token_hash, ip, user_agent, created_at, expires_at, revoked_at)
SELECT pg_temp.uuid('sess' || k), c.id, d.id, pg_temp.hex('refresh' || k, 64), pg_temp.ip('sip' || k)::inet,
       CASE d.platform WHEN 'web' THEN pg_temp.user_agent('sua' || k)
                       ELSE 'Nova/3.14.2 (' || d.model || '; ' || CASE d.platform WHEN 'ios' THEN 'iOS ' ELSE 'Android ' END || d.os_version || ') okhttp/4.12.0' END,
       st, st + interval '30 days', CASE WHEN k % 5 = 0 THEN st + make_interval(hours => 1 + pg_temp.h('rev' || k) % 500) END
FROM generate_series(1, 3500) AS k
JOIN cust c ON c.n = 1 + (k * 7919) % 2000
JOIN auth.devices d ON d.id = pg_temp.uuid('dev' || c.n || ':' || CASE WHEN c.n % 3 = 0 AND k % 2 = 0 THEN 2 ELSE 1 END),
LATERAL (SELECT timestamptz '2024-01-01 00:00:00+00' + make_interval(secs => pg_temp.h('sst' || k) % 15724800) AS st) t
ORDER BY k;

-- accounts: a current account in the currency of residence, savings for three in ten, a euro wallet for some UK residents
CREATE TEMP TABLE acct AS
SELECT row_number() OVER (ORDER BY c.n, a.o) AS seq, c.n, c.id AS customer_id, a.product, a.cur,
       pg_temp.uuid('acct' || c.n || ':' || a.product) AS id
FROM cust c,
LATERAL (SELECT 1 AS o, 'current' AS product, CASE WHEN c.cc = 'GB' THEN 'GBP' WHEN c.cc = 'US' THEN 'USD' WHEN c.cc = 'PL' THEN 'PLN' ELSE 'EUR' END AS cur
         UNION ALL SELECT 2, 'savings', CASE WHEN c.cc = 'GB' THEN 'GBP' WHEN c.cc = 'US' THEN 'USD' WHEN c.cc = 'PL' THEN 'PLN' ELSE 'EUR' END WHERE c.n % 10 < 3
         UNION ALL SELECT 3, 'euro', 'EUR' WHERE c.cc = 'GB' AND c.n % 4 = 0) a;
ALTER TABLE acct ADD COLUMN number text;
UPDATE acct SET number = CASE WHEN cur = 'GBP' THEN (10000000 + seq * 7919)::text ELSE lpad((20000000000 + seq * 104729)::text, 11, '0') END;

INSERT INTO banking.accounts (id, customer_id, product, currency, account_number, sort_code, iban, nickname, status, overdraft_limit, interest_rate_bps, opened_at, closed_at)
SELECT a.id, a.customer_id, a.product, a.cur, a.number, CASE WHEN a.cur = 'GBP' THEN '040075' END,
       CASE WHEN a.cur = 'GBP' THEN pg_temp.iban('GB', 'NOVA040075' || a.number) ELSE pg_temp.iban('LT', '32500' || a.number) END,
       CASE a.product
         WHEN 'savings' THEN CASE pg_temp.h('nick' || a.seq) % 8 WHEN 0 THEN 'Rainy day' WHEN 1 THEN 'Holiday fund' WHEN 2 THEN 'House deposit'
                                 WHEN 3 THEN pg_temp.first_name('kid' || c.s) || '''s pocket money' WHEN 4 THEN 'Wedding: ' || c.first || ' & ' || pg_temp.first_name('partner' || c.s)
                                 WHEN 5 THEN 'Tax pot' WHEN 6 THEN 'Christmas ' || pg_temp.last_name(c.s) || ' family' END
         WHEN 'euro' THEN CASE WHEN a.seq % 2 = 0 THEN 'Euro wallet' END END,
       (CASE WHEN c.n % 97 = 0 THEN 'closed' WHEN c.n % 89 = 0 THEN 'frozen' ELSE 'active' END)::banking.account_status,
       CASE WHEN a.product = 'current' AND c.n % 6 = 0 THEN (ARRAY[250, 500, 1000])[1 + c.n % 3] ELSE 0 END,
       CASE WHEN a.product = 'savings' THEN (ARRAY[325, 410])[1 + c.n % 2] ELSE 0 END,
       c.created + interval '1 day' + make_interval(days => CASE a.product WHEN 'current' THEN 0 ELSE 10 + pg_temp.h('aop' || a.seq) % 200 END),
       CASE WHEN c.n % 97 = 0 THEN c.created + make_interval(days => 101 + pg_temp.h('del' || c.s) % 100) END
FROM acct a JOIN cust c ON c.n = a.n ORDER BY a.seq;

-- linked accounts at other banks (for top-ups and withdrawals)
INSERT INTO banking.external_accounts (id, customer_id, holder_name, iban, account_number, bic, bank_branch_id, verified_at, created_at)
SELECT pg_temp.uuid('ext' || c.n), c.id,
       CASE pg_temp.h('hold' || c.s) % 5 WHEN 0 THEN upper(left(c.first, 1)) || ' ' || upper(c.last)
                                        WHEN 1 THEN 'MR ' || upper(c.first) || ' ' || upper(c.last)
                                        WHEN 2 THEN c.first || ' ' || c.last || ' & ' || pg_temp.first_name('partner' || c.s) || ' ' || c.last
                                        ELSE c.first || ' ' || c.last END,
       CASE WHEN br.country <> 'US' THEN pg_temp.iban(br.country, CASE br.country
            WHEN 'GB' THEN left(br.bank_code, 4) || br.branch_code || x.acct8
            WHEN 'IE' THEN left(br.bank_code, 4) || br.branch_code || x.acct8
            WHEN 'DE' THEN br.bank_code || x.acct10
            WHEN 'NL' THEN br.bank_code || x.acct10
            WHEN 'FR' THEN br.bank_code || br.branch_code || '000' || x.acct8 || pg_temp.digits('key' || c.s, 2)
            WHEN 'ES' THEN br.bank_code || br.branch_code || pg_temp.digits('dc' || c.s, 2) || x.acct10
            WHEN 'PT' THEN br.bank_code || '0000' || x.acct10 || '5' || pg_temp.digits('nib' || c.s, 2)
            WHEN 'PL' THEN br.bank_code || '0000' || x.acct8 || pg_temp.digits('pl' || c.s, 4)
            ELSE chr(65 + pg_temp.h('cin' || c.s) % 26) || br.bank_code || '01600' || '00' || x.acct10 END) END,
       CASE WHEN br.country IN ('GB', 'IE') THEN x.acct8 WHEN br.country = 'US' THEN x.acct10 END,
       br.bic, br.id,
       CASE WHEN c.n % 11 <> 0 THEN c.created + interval '2 days' END,
       c.created + interval '1 day'
FROM cust c
JOIN LATERAL (SELECT b.* FROM ref.bank_branches b WHERE b.country = c.cc ORDER BY b.id
              OFFSET pg_temp.h('br' || c.s) % (SELECT count(*) FROM ref.bank_branches q WHERE q.country = c.cc) LIMIT 1) br ON true,
LATERAL (SELECT pg_temp.digits('acct8' || c.s, 8) AS acct8, pg_temp.digits('acct10' || c.s, 10) AS acct10) x
WHERE c.n % 5 < 3
ORDER BY c.n;

-- cards: a physical card on each current account, a virtual one for one in five, an expired old card for one in seven
INSERT INTO banking.cards (id, account_id, customer_id, pan_token, last4, brand, exp_month, exp_year, cardholder_name, is_virtual, status, daily_limit, issued_at, cancelled_at)
SELECT pg_temp.uuid('card' || c.n || ':' || k.j), a.id, c.id, 'tok_' || pg_temp.alnum('pan' || c.n || k.j, 24),
       lpad((pg_temp.h('last4' || c.n || k.j) % 10000)::text, 4, '0'),
       CASE WHEN a.cur = 'GBP' THEN 'visa' ELSE 'mastercard' END,
       1 + pg_temp.h('expm' || c.n || k.j) % 12,
       CASE k.j WHEN 3 THEN 2023 + pg_temp.h('expy' || c.n) % 2 ELSE 2026 + pg_temp.h('expy' || c.n || k.j) % 3 END,
       left(upper(c.first || ' ' || CASE WHEN c.middle IS NOT NULL AND c.n % 2 = 0 THEN left(c.middle, 1) || ' ' ELSE '' END || c.last), 26),
       k.j = 2,
       (CASE WHEN k.j = 3 THEN 'expired' WHEN c.n % 97 = 0 THEN 'cancelled' WHEN c.n % 31 = 0 THEN 'locked' ELSE 'active' END)::banking.card_status,
       CASE WHEN k.j = 2 THEN 500 ELSE (ARRAY[1000, 1500, 2500])[1 + c.n % 3] END,
       c.created + make_interval(days => 2 + k.j * 30),
       CASE WHEN c.n % 97 = 0 THEN c.created + make_interval(days => 101 + pg_temp.h('del' || c.s) % 100) END
FROM cust c
JOIN acct a ON a.n = c.n AND a.product = 'current',
LATERAL (SELECT 1 AS j UNION ALL SELECT 2 WHERE c.n % 5 = 0 UNION ALL SELECT 3 WHERE c.n % 7 = 0) k
ORDER BY c.n, k.j;

-- saved payees: people (friends, family, landlords) and a few businesses
INSERT INTO banking.payees (customer_id, display_name, iban, default_reference, created_at, last_paid_at)
SELECT c.id,
       CASE pg_temp.h('pk' || p) % 8 WHEN 0 THEN 'Mum' WHEN 1 THEN pg_temp.first_name('payee' || p)
                                     WHEN 2 THEN pg_temp.company('payee' || p) WHEN 3 THEN 'Landlord - ' || pg_temp.full_name('payee' || p)
                                     ELSE pg_temp.full_name('payee' || p) END,
       pg_temp.iban('GB', (ARRAY['NWBK', 'BARC', 'HBUK', 'LOYD', 'MONZ', 'SRLG'])[1 + p % 6] || pg_temp.digits('psort' || p, 6) || pg_temp.digits('pacct' || p, 8)),
       CASE pg_temp.h('pref' || p) % 7 WHEN 0 THEN 'Rent' WHEN 1 THEN 'Flat ' || (1 + p % 9) || ' rent ' || pg_temp.street_name('payee' || p)
                                       WHEN 2 THEN 'Pocket money ' || pg_temp.first_name('kid' || p) WHEN 3 THEN 'Savings'
                                       WHEN 4 THEN 'Invoice' WHEN 5 THEN pg_temp.first_name('payee' || p) || ' birthday' END,
       c.created + make_interval(days => 3 + pg_temp.h('pc' || p) % 300),
       CASE WHEN p % 4 <> 0 THEN timestamptz '2024-01-01 00:00:00+00' + make_interval(secs => pg_temp.h('plp' || p) % 15724800) END
FROM generate_series(1, 1500) AS p
JOIN cust c ON c.n = 1 + (p * 7919) % 2000
ORDER BY p;

CREATE TEMP TABLE merchants AS
SELECT (n - 1)::integer AS n, name, mcc, lo, hi FROM unnest(
  '{"Tesco Stores 3021","Sainsbury''s S/Mkt","Lidl GB London","REWE Markt GmbH","Carrefour City","Albert Heijn 1234","Mercadona","Pret A Manger","Wagamama","McDonald''s","Starbucks","TfL Travel Charge","Deutsche Bahn","Uber *Trip","Bolt.eu","Shell 4213","Boots 1102","Amazon.co.uk*AB12C","Amazon Mktplace DE","Netflix.com","Spotify P1A2B3","Apple.com/bill","Steam Purchase","Ryanair","easyJet","Booking.com Hotel","Odeon Cinemas","Zara","IKEA","Bet365","Coinbase UK","Deliveroo","Just Eat","Waterstones","Currys","Pets at Home","NCP Parking","Bupa Dental Care","LloydsPharmacy","British Red Cross","Dartford Crossing","ATM Cardtronics"}'::text[],
  '{"5411","5411","5411","5411","5411","5411","5411","5812","5812","5814","5814","4111","4111","4121","4121","5541","5912","5999","5999","5968","5815","5817","5816","4511","4511","7011","7832","5651","5200","7995","6051","5812","5814","5942","5732","5995","7523","8021","5912","8398","4784","6011"}'::text[],
  '{2,3,2,4,3,2,3,4,9,3,2,2,12,6,5,30,3,5,8,11,11,1,4,25,30,80,9,15,20,5,50,12,10,7,20,8,4,45,3,5,2,20}'::int[],
  '{120,140,90,150,80,70,110,18,45,15,9,9,140,45,30,95,40,180,200,18,17,30,60,260,240,600,35,140,400,100,1000,55,45,40,900,70,25,250,30,50,4,200}'::int[])
  WITH ORDINALITY AS m(name, mcc, lo, hi, n);
CREATE TEMP TABLE billers AS
SELECT (n - 1)::integer AS n, name, mcc FROM unnest(
  '{"Octopus Energy","British Gas","Vodafone Ltd","EE Limited","PureGym Ltd","Netflix.com","Thames Water","Leeds City Council","AXA Insurance","Virgin Media"}'::text[],
  '{"4900","4900","4814","4814","7997","5968","4900","9311","5999","4814"}'::text[]) WITH ORDINALITY AS b(name, mcc, n);

-- 8000 transactions on current accounts, January to early July 2024
CREATE TEMP TABLE txn AS
SELECT t, c.n AS cn, c.s AS cs, c.id AS customer_id, c.cc, a.id AS account_id, a.cur, x.kind, x.st, x.created,
       CASE WHEN x.kind IN ('card', 'transfer_out', 'direct_debit', 'fee') THEN 'debit' ELSE 'credit' END AS direction
FROM generate_series(1, 8000) AS t
JOIN cust c ON c.n = 1 + (t * 7919) % 2000
JOIN acct a ON a.n = c.n AND a.product = 'current',
LATERAL (SELECT CASE WHEN pg_temp.h('kind' || t) % 100 < 60 THEN 'card' WHEN pg_temp.h('kind' || t) % 100 < 72 THEN 'transfer_out'
                     WHEN pg_temp.h('kind' || t) % 100 < 82 THEN 'transfer_in' WHEN pg_temp.h('kind' || t) % 100 < 90 THEN 'direct_debit'
                     WHEN pg_temp.h('kind' || t) % 100 < 94 THEN 'topup' WHEN pg_temp.h('kind' || t) % 100 < 97 THEN 'fee' ELSE 'interest' END AS kind,
                CASE WHEN pg_temp.h('tst' || t) % 100 < 92 THEN 'booked' WHEN pg_temp.h('tst' || t) % 100 < 96 THEN 'pending'
                     WHEN pg_temp.h('tst' || t) % 100 < 99 THEN 'declined' ELSE 'reversed' END AS st,
                CASE WHEN t > 7920 THEN timestamptz '2024-07-01 00:00:00+00' + make_interval(secs => pg_temp.h('tts' || t) % 345600)
                     ELSE timestamptz '2024-01-01 00:00:00+00' + make_interval(secs => pg_temp.h('tts' || t) % 15724800) END AS created) x;

INSERT INTO banking.transactions (id, account_id, card_id, payee_id, kind, direction, status, amount, currency, original_amount, original_currency,
    merchant_name, mcc, counterparty_name, counterparty_iban, reference, memo, idempotency_key, risk_signals, created_at, booked_at)
SELECT pg_temp.uuid('txn' || x.t), x.account_id,
       CASE WHEN x.kind = 'card' THEN pg_temp.uuid('card' || x.cn || ':' || CASE WHEN x.cn % 5 = 0 AND x.t % 3 = 0 THEN 2 ELSE 1 END) END,
       py.id,
       x.kind::banking.txn_kind, x.direction::banking.txn_direction, x.st::banking.txn_status,
       round(CASE x.kind WHEN 'card' THEN m.lo + (pg_temp.h('amt' || x.t) % ((m.hi - m.lo) * 100)) / 100.0
                         WHEN 'transfer_out' THEN 5 + pg_temp.h('amt' || x.t) % 150000 / 100.0
                         WHEN 'transfer_in' THEN CASE WHEN x.t % 10 = 0 THEN 1800 + pg_temp.h('amt' || x.t) % 240000 / 100.0 ELSE 5 + pg_temp.h('amt' || x.t) % 40000 / 100.0 END
                         WHEN 'direct_debit' THEN 9.99 + pg_temp.h('amt' || x.t) % 11000 / 100.0
                         WHEN 'topup' THEN (ARRAY[20, 50, 100, 200, 250, 500])[1 + x.t % 6]
                         WHEN 'fee' THEN (ARRAY[0.50, 1.00, 2.50, 5.00])[1 + x.t % 4]
                         ELSE 0.01 + pg_temp.h('amt' || x.t) % 1200 / 100.0 END::numeric, 2),
       x.cur,
       CASE WHEN x.kind = 'card' AND x.t % 13 = 0 THEN round((m.lo + (pg_temp.h('amt' || x.t) % ((m.hi - m.lo) * 100)) / 100.0)::numeric * 1.17, 2) END,
       CASE WHEN x.kind = 'card' AND x.t % 13 = 0 THEN CASE WHEN x.cur = 'USD' THEN 'EUR' ELSE 'USD' END END,
       CASE x.kind WHEN 'card' THEN m.name WHEN 'direct_debit' THEN b.name END,
       CASE x.kind WHEN 'card' THEN m.mcc WHEN 'direct_debit' THEN b.mcc END,
       CASE x.kind WHEN 'transfer_out' THEN coalesce(py.display_name, pg_temp.full_name('cp' || x.t))
                   WHEN 'transfer_in' THEN CASE WHEN x.t % 10 = 0 THEN coalesce((SELECT employer_name FROM core.customers WHERE id = x.customer_id AND employer_name <> 'Self-employed'), pg_temp.company('cp' || x.t))
                                                WHEN x.t % 3 = 0 THEN upper(left(pg_temp.first_name('cp' || x.t), 1)) || ' ' || upper(pg_temp.last_name('cp' || x.t))
                                                ELSE pg_temp.full_name('cp' || x.t) END
                   WHEN 'topup' THEN (SELECT holder_name FROM banking.external_accounts e WHERE e.customer_id = x.customer_id) END,
       CASE x.kind WHEN 'transfer_out' THEN coalesce(py.iban, pg_temp.iban('GB', 'BARC20' || pg_temp.digits('cps' || x.t, 4) || pg_temp.digits('cpa' || x.t, 8)))
                   WHEN 'transfer_in' THEN pg_temp.iban('GB', (ARRAY['NWBK', 'HBUK', 'LOYD'])[1 + x.t % 3] || pg_temp.digits('cps' || x.t, 6) || pg_temp.digits('cpa' || x.t, 8))
                   WHEN 'topup' THEN (SELECT coalesce(e.iban, e.account_number) FROM banking.external_accounts e WHERE e.customer_id = x.customer_id) END,
       CASE x.kind WHEN 'card' THEN 'AUTH ' || pg_temp.digits('auth' || x.t, 6)
                   WHEN 'direct_debit' THEN 'DDI-' || upper(pg_temp.hex('ddi' || x.cn || b.n, 10))
                   WHEN 'fee' THEN (ARRAY['FX fee', 'ATM fee', 'Card replacement', 'Overdraft fee'])[1 + x.t % 4]
                   WHEN 'interest' THEN 'Interest ' || to_char(x.created, 'Mon YYYY')
                   ELSE 'NOVA' || upper(pg_temp.hex('e2e' || x.t, 14)) END,
       CASE WHEN x.kind IN ('transfer_out', 'transfer_in') AND pg_temp.h('memo' || x.t) % 100 < 45 OR x.kind = 'card' AND x.t % 20 = 0 THEN
         CASE pg_temp.h('memot' || x.t) % 12
           WHEN 0 THEN 'Rent ' || to_char(x.created, 'FMMonth')
           WHEN 1 THEN 'Dinner at ' || (ARRAY['Luigi''s', 'Dishoom', 'the Thai place', 'Nandos'])[1 + x.t % 4] || ' with ' || pg_temp.first_name('memo' || x.t)
           WHEN 2 THEN 'Paid back ' || pg_temp.full_name('memo' || x.t)
           WHEN 3 THEN 'Birthday present for ' || pg_temp.first_name('memo' || x.t) || ' 🎁'
           WHEN 4 THEN 'Deposit for the flat at ' || (1 + x.t % 90) || ' ' || pg_temp.street_name('memo' || x.t) || ', call me on ' || pg_temp.typed_phone(x.cc, x.cn)
           WHEN 5 THEN 'Splitting the bill - send receipts to ' || pg_temp.email('memo' || x.t)
           WHEN 6 THEN 'Pocket money'
           WHEN 7 THEN 'Physio for my knee, session ' || (1 + x.t % 6)
           WHEN 8 THEN 'Wedding gift for ' || pg_temp.first_name('memo' || x.t) || ' & ' || pg_temp.first_name('memo2' || x.t)
           WHEN 9 THEN 'Invoice 2024-' || lpad((x.t % 300)::text, 3, '0') || ' ' || pg_temp.company_domain('memo' || x.t)
           WHEN 10 THEN 'Therapy ' || to_char(x.created, 'DD/MM')
           ELSE 'Thanks! Pay ' || pg_temp.first_name('memo' || x.t) || ' the rest via ' || pg_temp.iban_print(pg_temp.iban('GB', 'MONZ04' || pg_temp.digits('mi' || x.t, 12))) END END,
       pg_temp.uuid('idem' || x.t),
       CASE WHEN x.kind IN ('card', 'transfer_out', 'topup') THEN
         CASE WHEN x.kind = 'card' AND x.t % 4 <> 0 THEN
                jsonb_build_object('score', pg_temp.h('score' || x.t) % 60, 'pos_entry', (ARRAY['contactless', 'chip', 'apple_pay', 'google_pay'])[1 + x.t % 4],
                                   'terminal_country', CASE WHEN x.t % 13 = 0 THEN 'US' ELSE x.cc END, 'rules', jsonb_build_array('velocity_ok'))
              ELSE jsonb_build_object('score', pg_temp.h('score' || x.t) % 100,
                                      'ip', pg_temp.ip('tip' || x.cn || (x.t % 3)),
                                      'device_id', pg_temp.uuid('dev' || x.cn || ':1')::text,
                                      'user_agent', 'Nova/3.14.2 (' || (ARRAY['iPhone15,2', 'Pixel 8', 'Galaxy S23'])[1 + x.cn % 3] || ')',
                                      'geo', jsonb_build_object('lat', round((c.lat + (pg_temp.h('tlat' || x.t) % 2001 - 1000) / 20000.0)::numeric, 5),
                                                                'lon', round((c.lon + (pg_temp.h('tlon' || x.t) % 2001 - 1000) / 20000.0)::numeric, 5)),
                                      'rules', CASE WHEN pg_temp.h('score' || x.t) % 100 > 90 THEN jsonb_build_array('new_payee', 'high_amount') ELSE jsonb_build_array() END) END END,
       x.created,
       CASE WHEN x.st IN ('booked', 'reversed') THEN x.created + make_interval(mins => 1 + pg_temp.h('book' || x.t) % 2880) END
FROM txn x
JOIN cust c ON c.n = x.cn
JOIN merchants m ON m.n = pg_temp.h('merch' || x.t) % 42
JOIN billers b ON b.n = (x.cn + x.t) % 10
LEFT JOIN LATERAL (SELECT p.id, p.display_name, p.iban FROM banking.payees p WHERE p.customer_id = x.customer_id AND x.kind = 'transfer_out'
                   ORDER BY p.id OFFSET x.t % 2 LIMIT 1) py ON true
ORDER BY x.t;

-- the ledger: one principal entry per booked transaction (with the running balance), an FX margin on foreign card payments
INSERT INTO banking.ledger_entries (transaction_id, account_id, entry_type, direction, amount, currency, balance_after, posted_at)
SELECT transaction_id, account_id, entry_type, direction, amount, currency,
       1000 + sum(CASE WHEN direction = 'credit' THEN amount ELSE -amount END) OVER (PARTITION BY account_id ORDER BY posted_at, o, transaction_id),
       posted_at
FROM (
  SELECT t.id AS transaction_id, t.account_id, 'principal' AS entry_type, t.direction, t.amount, t.currency, t.booked_at AS posted_at, 1 AS o
  FROM banking.transactions t WHERE t.status IN ('booked', 'reversed')
  UNION ALL
  SELECT t.id, t.account_id, 'fx_margin', 'debit', round(t.amount * 0.005, 4) + 0.01, t.currency, t.booked_at + interval '1 second', 2
  FROM banking.transactions t WHERE t.status = 'booked' AND t.original_currency IS NOT NULL
) e
ORDER BY posted_at, o, transaction_id;

-- audit log: what customers, operators and jobs changed (before/after values in diff)
INSERT INTO audit.events (occurred_at, actor_type, actor_id, actor_email, ip, action, entity_type, entity_id, diff, request_id)
SELECT timestamptz '2024-01-01 00:00:00+00' + make_interval(secs => pg_temp.h('ev' || e) % 15724800),
       a.actor::audit.actor_type,
       CASE a.actor WHEN 'customer' THEN c.id::text WHEN 'operator' THEN op.id::text END,
       CASE a.actor WHEN 'customer' THEN c.email WHEN 'operator' THEN op.email END,
       CASE a.actor WHEN 'customer' THEN pg_temp.ip('evip' || c.n || (e % 4)) WHEN 'operator' THEN host(op.last_login_ip) END::inet,
       a.action,
       CASE WHEN a.action LIKE 'card.%' THEN 'card' WHEN a.action LIKE 'payee.%' THEN 'payee' WHEN a.action LIKE 'account.%' THEN 'account' ELSE 'customer' END,
       CASE WHEN a.action LIKE 'card.%' THEN pg_temp.uuid('card' || c.n || ':1')::text WHEN a.action LIKE 'account.%' THEN pg_temp.uuid('acct' || c.n || ':current')::text
            WHEN a.action LIKE 'payee.%' THEN (1 + e % 1500)::text ELSE c.id::text END,
       CASE a.action
         WHEN 'customer.update_email' THEN jsonb_build_object('old', jsonb_build_object('email', pg_temp.email('old' || c.s)), 'new', jsonb_build_object('email', c.email))
         WHEN 'customer.update_phone' THEN jsonb_build_object('old', jsonb_build_object('phone_e164', pg_temp.e164(c.cc, 5000 + c.n)), 'new', jsonb_build_object('phone_e164', pg_temp.e164(c.cc, c.n)))
         WHEN 'customer.update_address' THEN jsonb_build_object(
              'old', jsonb_build_object('address_line1', (1 + pg_temp.h('oldno' || c.s) % 240) || ' ' || pg_temp.street_name('old' || c.s), 'postal_code', pg_temp.postal_at(c.pn, 'old' || c.s)),
              'new', jsonb_build_object('address_line1', (SELECT address_line1 FROM core.customers WHERE id = c.id), 'postal_code', pg_temp.postal_at(c.pn, c.s)))
         WHEN 'customer.update_name' THEN jsonb_build_object('old', jsonb_build_object('last_name', pg_temp.last_name('maiden' || c.s)), 'new', jsonb_build_object('last_name', c.last),
              'reason', 'Marriage certificate checked by ' || op.full_name)
         WHEN 'kyc.approve' THEN jsonb_build_object('old', jsonb_build_object('kyc_status', 'in_review'), 'new', jsonb_build_object('kyc_status', 'verified'))
         WHEN 'card.lock' THEN jsonb_build_object('old', jsonb_build_object('status', 'active'), 'new', jsonb_build_object('status', 'locked'))
         WHEN 'card.unlock' THEN jsonb_build_object('old', jsonb_build_object('status', 'locked'), 'new', jsonb_build_object('status', 'active'))
         WHEN 'account.freeze' THEN jsonb_build_object('old', jsonb_build_object('status', 'active'), 'new', jsonb_build_object('status', 'frozen'), 'note', 'Suspicious activity, see case ' || (1000 + e % 500))
         WHEN 'payee.create' THEN jsonb_build_object('new', jsonb_build_object('display_name', pg_temp.full_name('payee' || (1 + e % 1500)), 'iban', pg_temp.iban('GB', 'LOYD30' || pg_temp.digits('evp' || e, 12))))
       END,
       pg_temp.uuid('req' || e)
FROM generate_series(1, 4000) AS e
JOIN cust c ON c.n = 1 + (e * 6007) % 2000
JOIN auth.operators op ON op.id = 1 + e % 40,
LATERAL (SELECT CASE WHEN pg_temp.h('act' || e) % 100 < 45 THEN 'customer.login'
                     WHEN pg_temp.h('act' || e) % 100 < 52 THEN 'customer.update_email'
                     WHEN pg_temp.h('act' || e) % 100 < 58 THEN 'customer.update_phone'
                     WHEN pg_temp.h('act' || e) % 100 < 64 THEN 'customer.update_address'
                     WHEN pg_temp.h('act' || e) % 100 < 70 THEN 'card.lock'
                     WHEN pg_temp.h('act' || e) % 100 < 74 THEN 'card.unlock'
                     WHEN pg_temp.h('act' || e) % 100 < 80 THEN 'payee.create'
                     WHEN pg_temp.h('act' || e) % 100 < 86 THEN 'kyc.approve'
                     WHEN pg_temp.h('act' || e) % 100 < 89 THEN 'account.freeze'
                     WHEN pg_temp.h('act' || e) % 100 < 92 THEN 'customer.update_name'
                     WHEN pg_temp.h('act' || e) % 100 < 96 THEN 'customer.view_pii'
                     ELSE 'card.expire' END AS action) x,
LATERAL (SELECT CASE WHEN x.action IN ('kyc.approve', 'account.freeze', 'customer.update_name', 'customer.view_pii') THEN 'operator'
                     WHEN x.action = 'card.expire' THEN 'system' ELSE 'customer' END AS actor, x.action) a
ORDER BY 1, e;

-- back-office overview, refreshed nightly
CREATE MATERIALIZED VIEW reporting.customer_overview AS
WITH main AS (
  SELECT DISTINCT ON (customer_id) customer_id, iban FROM banking.accounts ORDER BY customer_id, opened_at, product
), acc AS (
  SELECT customer_id, count(*) AS accounts FROM banking.accounts GROUP BY customer_id
), crd AS (
  SELECT customer_id, count(*) FILTER (WHERE status = 'active') AS active_cards FROM banking.cards GROUP BY customer_id
), tx AS (
  SELECT a.customer_id, max(t.created_at) AS last_transaction_at,
         sum(t.amount) FILTER (WHERE t.direction = 'debit' AND t.status = 'booked') AS total_debits
  FROM banking.transactions t JOIN banking.accounts a ON a.id = t.account_id
  GROUP BY a.customer_id
)
SELECT c.id AS customer_id, c.external_ref, c.first_name || ' ' || c.last_name AS legal_name, c.email, c.kyc_status, c.risk_level,
       main.iban AS main_iban, coalesce(acc.accounts, 0) AS accounts, coalesce(crd.active_cards, 0) AS active_cards,
       tx.last_transaction_at, coalesce(tx.total_debits, 0) AS total_debits
FROM core.customers c
LEFT JOIN main ON main.customer_id = c.id
LEFT JOIN acc ON acc.customer_id = c.id
LEFT JOIN crd ON crd.customer_id = c.id
LEFT JOIN tx ON tx.customer_id = c.id
WHERE c.deleted_at IS NULL;
CREATE UNIQUE INDEX customer_overview_customer_id_idx ON reporting.customer_overview (customer_id);

COMMIT;
