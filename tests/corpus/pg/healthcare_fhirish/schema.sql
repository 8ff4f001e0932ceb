-- Hand-written clinical and billing database of an outpatient group, shaped
-- after FHIR resources: schemas ref (lookup tables: ICD-10 codes, drugs with
-- brand-name arrays, LOINC codes, payers, the care sites' own contact data -
-- none of it personal), clinical and billing, plus audit; domains
-- (clinical.mrn, ref.icd10_code, billing.money); enums (gender, encounter
-- class and status, note type, claim status); text[] arrays (given names,
-- address lines, allergies, qualifications, brand names); identity columns
-- (GENERATED ALWAYS and BY DEFAULT); a jsonb FHIR Observation resource with
-- the subject's name and MRN inside (clinical."Observation", mixed-case
-- quoted names, like ref."CareSite"); clinical.encounters partitioned by
-- month (six monthly partitions and a DEFAULT one holding older visits);
-- stored generated columns (clinical.patients.full_name from the name parts,
-- billing.claims.patient_responsibility from amounts); a tsvector kept by a
-- trigger from clinical note titles and bodies, with a GIN index; an
-- updated_at trigger on patients; a populated materialized view
-- (clinical.patient_summary: MRN, name, birth date, phone); a table without
-- any key (audit.phi_access_log: who looked at which MRN, from which IP).
-- Person data: patients (MRN, SSN, birth and death dates, allergies),
-- practitioners (NPI, DEA number, work contacts), emergency contacts,
-- insurance member ids and subscribers, payers' names on payments, and
-- free-text complaints, notes and pharmacy notes.
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
-- a place: city, region, country and its ISO code, postal code prefix, all from one choice
CREATE FUNCTION pg_temp.place_n(seed text) RETURNS integer LANGUAGE sql IMMUTABLE
  AS $$ SELECT pg_temp.h('place:' || seed) % 30 $$;
CREATE FUNCTION pg_temp.city(seed text) RETURNS text LANGUAGE sql IMMUTABLE
  AS $$ SELECT ('{"Springfield","Portland","Austin","Denver","Boston","Seattle","Columbus","Raleigh",
    "Madison","Tucson","Toronto","Vancouver","London","Manchester","Edinburgh","Berlin",
    "Munich","Hamburg","Paris","Lyon","Madrid","Lisbon","Amsterdam","Stockholm",
    "Warsaw","Dublin","Sydney","Melbourne","Auckland","Osaka"}'::text[])[1 + pg_temp.place_n(seed)] $$;
CREATE FUNCTION pg_temp.region(seed text) RETURNS text LANGUAGE sql IMMUTABLE
  AS $$ SELECT ('{"IL","OR","TX","CO","MA","WA","OH","NC",
    "WI","AZ","ON","BC","England","England","Scotland","Berlin",
    "Bavaria","Hamburg","Ile-de-France","Auvergne-Rhone-Alpes","Madrid","Lisboa","North Holland","Stockholm",
    "Masovia","Leinster","NSW","VIC","Auckland","Osaka"}'::text[])[1 + pg_temp.place_n(seed)] $$;
CREATE FUNCTION pg_temp.country(seed text) RETURNS text LANGUAGE sql IMMUTABLE
  AS $$ SELECT ('{"United States","United States","United States","United States","United States","United States","United States","United States",
    "United States","United States","Canada","Canada","United Kingdom","United Kingdom","United Kingdom","Germany",
    "Germany","Germany","France","France","Spain","Portugal","Netherlands","Sweden",
    "Poland","Ireland","Australia","Australia","New Zealand","Japan"}'::text[])[1 + pg_temp.place_n(seed)] $$;
CREATE FUNCTION pg_temp.cc(seed text) RETURNS text LANGUAGE sql IMMUTABLE
  AS $$ SELECT ('{"US","US","US","US","US","US","US","US",
    "US","US","CA","CA","GB","GB","GB","DE",
    "DE","DE","FR","FR","ES","PT","NL","SE",
    "PL","IE","AU","AU","NZ","JP"}'::text[])[1 + pg_temp.place_n(seed)] $$;
CREATE FUNCTION pg_temp.zip(seed text) RETURNS text LANGUAGE sql IMMUTABLE
  AS $$ SELECT ('{"627","972","787","802","021","981","432","276",
    "537","857","M5V","V6B","SW1","M1","EH1","101",
    "803","203","750","690","280","110","101","111",
    "00-","D02","200","300","101","530"}'::text[])[1 + pg_temp.place_n(seed)] $$;
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
CREATE TEMP TABLE places AS SELECT (o - 1)::integer AS n, city, region, country, cc, zip FROM unnest(
    '{"Springfield","Portland","Austin","Denver","Boston","Seattle","Columbus","Raleigh",
    "Madison","Tucson","Toronto","Vancouver","London","Manchester","Edinburgh","Berlin",
    "Munich","Hamburg","Paris","Lyon","Madrid","Lisbon","Amsterdam","Stockholm",
    "Warsaw","Dublin","Sydney","Melbourne","Auckland","Osaka"}'::text[],
    '{"IL","OR","TX","CO","MA","WA","OH","NC",
    "WI","AZ","ON","BC","England","England","Scotland","Berlin",
    "Bavaria","Hamburg","Ile-de-France","Auvergne-Rhone-Alpes","Madrid","Lisboa","North Holland","Stockholm",
    "Masovia","Leinster","NSW","VIC","Auckland","Osaka"}'::text[],
    '{"United States","United States","United States","United States","United States","United States","United States","United States",
    "United States","United States","Canada","Canada","United Kingdom","United Kingdom","United Kingdom","Germany",
    "Germany","Germany","France","France","Spain","Portugal","Netherlands","Sweden",
    "Poland","Ireland","Australia","Australia","New Zealand","Japan"}'::text[],
    '{"US","US","US","US","US","US","US","US",
    "US","US","CA","CA","GB","GB","GB","DE",
    "DE","DE","FR","FR","ES","PT","NL","SE",
    "PL","IE","AU","AU","NZ","JP"}'::text[],
    '{"627","972","787","802","021","981","432","276",
    "537","857","M5V","V6B","SW1","M1","EH1","101",
    "803","203","750","690","280","110","101","111",
    "00-","D02","200","300","101","530"}'::text[]) WITH ORDINALITY AS t(city, region, country, cc, zip, o);
CREATE TEMP TABLE companies AS SELECT (o - 1)::integer AS n, name, domain FROM unnest(
    '{"Northwind Traders","Brightwave Labs Inc.","Acme Logistics","Bluefin Analytics","Summit Dental Group",
    "Redwood Legal LLP","Harbor & Finch","Kessler Maschinenbau GmbH","Orchid Health","Pinecrest Realty",
    "Vantage Point Consulting","Copperleaf Bakery","Atlas Freight Ltd","Nimbus Cloudworks","Greenfield Farms",
    "Lumen Optics","Sterling & Wu Accountants","Polar Bear Studios","Meridian Travel","Ironclad Security",
    "Blue Harbor Marina","Riverside Veterinary","Quantum Leap Tutoring","Sunrise Solar","Dupont Architectes",
    "Tanaka Trading Co.","Oakridge Dental","Silverline Media","Crescent Bakery","Evergreen Landscaping"}'::text[],
    '{"northwind.com","brightwave.io","acmelogistics.com","bluefin-analytics.com","summitdental.com","redwoodlegal.com",
    "harborfinch.co","kessler-mb.de","orchidhealth.org","pinecrestrealty.com","vantagepoint.co.uk","copperleaf.cafe",
    "atlasfreight.co.uk","nimbuscloud.io","greenfieldfarms.com","lumenoptics.com","sterlingwu.com","polarbear.studio",
    "meridiantravel.com","ironclad-sec.com","blueharbor.net","riversidevet.com","quantumleap.edu","sunrisesolar.energy",
    "dupont-archi.fr","tanaka-trading.jp","oakridgedental.com","silverline.media","crescentbakery.com","evergreenland.com"}'::text[]) WITH ORDINALITY AS t(name, domain, o);

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
-- phone numbers in the formats people really type
CREATE FUNCTION pg_temp.phone_fmt(d text, f integer) RETURNS text LANGUAGE sql IMMUTABLE
  AS $$ SELECT CASE f
    WHEN 0 THEN '+1 (' || substr(d, 1, 3) || ') ' || substr(d, 4, 3) || '-' || substr(d, 7, 4)
    WHEN 1 THEN '(' || substr(d, 1, 3) || ') ' || substr(d, 4, 3) || '-' || substr(d, 7, 4)
    WHEN 2 THEN substr(d, 1, 3) || '-' || substr(d, 4, 3) || '-' || substr(d, 7, 4)
    WHEN 3 THEN substr(d, 1, 3) || '.' || substr(d, 4, 3) || '.' || substr(d, 7, 4)
    WHEN 4 THEN '+44 20 ' || substr(d, 1, 4) || ' ' || substr(d, 5, 4)
    WHEN 5 THEN '+49 30 ' || substr(d, 1, 8)
    WHEN 6 THEN '+33 1 ' || substr(d, 1, 2) || ' ' || substr(d, 3, 2) || ' ' || substr(d, 5, 2) || ' ' || substr(d, 7, 2)
    ELSE '+1' || substr(d, 1, 10) END $$;
CREATE FUNCTION pg_temp.phone(seed text) RETURNS text LANGUAGE sql IMMUTABLE
  AS $$ SELECT pg_temp.phone_fmt('2' || pg_temp.digits('phone:' || seed, 11), pg_temp.h('phonefmt:' || seed) % 8) $$;
CREATE FUNCTION pg_temp.street(seed text) RETURNS text LANGUAGE sql IMMUTABLE
  AS $$ SELECT (1 + pg_temp.h('houseno:' || seed) % 9899)::text || ' ' || pg_temp.street_name(seed) $$;
CREATE FUNCTION pg_temp.postal(seed text) RETURNS text LANGUAGE sql IMMUTABLE
  AS $$ SELECT CASE pg_temp.cc(seed)
    WHEN 'GB' THEN pg_temp.zip(seed) || pg_temp.digits('zip:' || seed, 1) || ' ' || pg_temp.digits('zip2:' || seed, 1) || upper(substr(translate(md5(seed), '0123456789', 'ABDEFGHJLN'), 1, 2))
    WHEN 'CA' THEN pg_temp.zip(seed) || ' ' || pg_temp.digits('zip:' || seed, 1) || 'K' || pg_temp.digits('zip2:' || seed, 1)
    WHEN 'IE' THEN pg_temp.zip(seed) || ' ' || upper(substr(md5('zip:' || seed), 1, 4))
    WHEN 'PL' THEN pg_temp.zip(seed) || pg_temp.digits('zip:' || seed, 3)
    ELSE pg_temp.zip(seed) || pg_temp.digits('zip:' || seed, 2) END $$;
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
    'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.43 Mobile Safari/537.36'], 'ua:' || seed) $$;
-- ---------------------------------------------------------------------------
CREATE FUNCTION pg_temp.uuid(seed text) RETURNS uuid LANGUAGE sql IMMUTABLE
  AS $$ SELECT (substr(md5(seed), 1, 12) || '4' || substr(md5(seed), 14, 3) || 'a' || substr(md5(seed), 18, 15))::uuid $$;
-- a point in time between 2023-10-01 and 2024-06-30 (the encounters' range)
CREATE FUNCTION pg_temp.visit_ts(seed text) RETURNS timestamptz LANGUAGE sql IMMUTABLE
  AS $$ SELECT timestamptz '2023-10-01 07:00:00+00' + make_interval(days => pg_temp.h('vd:' || seed) % 273, secs => pg_temp.h('vs:' || seed) % 39600) $$;
CREATE FUNCTION pg_temp.mrn(i bigint) RETURNS text LANGUAGE sql IMMUTABLE
  AS $$ SELECT 'MRN' || lpad((10000000 + (i * 7919) % 89999999)::text, 8, '0') $$;

BEGIN;

CREATE SCHEMA ref;
CREATE SCHEMA clinical;
CREATE SCHEMA billing;
CREATE SCHEMA audit;

CREATE DOMAIN ref.icd10_code AS text CHECK (VALUE ~ '^[A-Z][0-9][0-9A-Z](\.[0-9A-Z]{1,4})?$');
CREATE DOMAIN clinical.mrn AS text CHECK (VALUE ~ '^[A-Za-z0-9-]{6,24}$');
CREATE DOMAIN billing.money AS numeric(12,2) CHECK (VALUE >= 0);

CREATE TYPE clinical.administrative_gender AS ENUM ('male', 'female', 'other', 'unknown');
CREATE TYPE clinical.encounter_class AS ENUM ('AMB', 'EMER', 'IMP', 'VR', 'HH');
CREATE TYPE clinical.encounter_status AS ENUM ('planned', 'arrived', 'in-progress', 'finished', 'cancelled');
CREATE TYPE clinical.note_type AS ENUM ('progress', 'consult', 'discharge', 'telephone');
CREATE TYPE clinical.condition_status AS ENUM ('active', 'recurrence', 'remission', 'resolved');
CREATE TYPE ref.dose_form AS ENUM ('tablet', 'capsule', 'solution', 'injection', 'inhaler', 'cream');
CREATE TYPE billing.claim_status AS ENUM ('draft', 'submitted', 'accepted', 'denied', 'paid');
CREATE TYPE billing.payment_method AS ENUM ('card', 'cash', 'check', 'bank_transfer');

-- ---------------------------------------------------------------------------
-- Reference data (not personal)
-- ---------------------------------------------------------------------------
CREATE TABLE ref.icd10_codes (
    code ref.icd10_code PRIMARY KEY,
    title text NOT NULL,
    chapter text NOT NULL,
    is_billable boolean NOT NULL DEFAULT true
);

CREATE TABLE ref.drugs (
    id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    rxnorm_code text NOT NULL UNIQUE,
    generic_name text NOT NULL,
    brand_names text[] NOT NULL DEFAULT '{}',
    dose_form ref.dose_form NOT NULL,
    strength text NOT NULL,
    atc_code text
);

CREATE TABLE ref.loinc_codes (
    code text PRIMARY KEY,
    long_common_name text NOT NULL,
    default_unit text
);

CREATE TABLE ref."CareSite" (
    "SiteId" integer GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    "SiteName" text NOT NULL,
    "Street" text,
    "City" text,
    "PostalCode" text,
    "MainPhone" text,
    "NPI" text UNIQUE,
    "OpeningHours" jsonb
);

CREATE TABLE ref.payers (
    id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name text NOT NULL,
    payer_code text NOT NULL UNIQUE,
    claims_phone text,
    claims_address text
);

-- ---------------------------------------------------------------------------
-- Clinical
-- ---------------------------------------------------------------------------
CREATE FUNCTION clinical.touch_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.updated_at := now();
  RETURN NEW;
END;
$$;

CREATE FUNCTION clinical.notes_search_vector_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.search_vector :=
    setweight(to_tsvector('pg_catalog.english', coalesce(NEW.title, '')), 'A') ||
    setweight(to_tsvector('pg_catalog.english', coalesce(NEW.body, '')), 'B');
  RETURN NEW;
END;
$$;

CREATE TABLE clinical.practitioners (
    id integer GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    npi text NOT NULL UNIQUE,
    prefix text,
    given_name text NOT NULL,
    family_name text NOT NULL,
    qualifications text[] NOT NULL DEFAULT '{}',
    specialty text NOT NULL,
    work_email text,
    work_phone text,
    dea_number text,
    care_site_id integer REFERENCES ref."CareSite" ("SiteId"),
    active boolean NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL
);

CREATE TABLE clinical.patients (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    mrn clinical.mrn NOT NULL UNIQUE,
    family_name text NOT NULL,
    given_names text[] NOT NULL,
    preferred_name text,
    full_name text GENERATED ALWAYS AS (given_names[1] || ' ' || family_name) STORED,
    birth_date date NOT NULL,
    gender clinical.administrative_gender NOT NULL,
    deceased_at timestamptz,
    national_id text,
    phone_mobile text,
    phone_home text,
    email text,
    address_lines text[],
    city text,
    state text,
    postal_code text,
    country_code character(2) NOT NULL DEFAULT 'US',
    preferred_language text NOT NULL DEFAULT 'en',
    known_allergies text[] NOT NULL DEFAULT '{}',
    care_site_id integer REFERENCES ref."CareSite" ("SiteId"),
    primary_practitioner_id integer REFERENCES clinical.practitioners (id),
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL
);
CREATE INDEX patients_family_name_idx ON clinical.patients (lower(family_name));
CREATE INDEX patients_birth_date_idx ON clinical.patients (birth_date);

CREATE TABLE clinical.emergency_contacts (
    id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    patient_id bigint NOT NULL REFERENCES clinical.patients (id) ON DELETE CASCADE,
    name text NOT NULL,
    relationship text NOT NULL CHECK (relationship IN ('spouse', 'parent', 'child', 'sibling', 'friend', 'guardian', 'other')),
    phone text,
    email text,
    address text,
    is_primary boolean NOT NULL DEFAULT false
);
CREATE INDEX emergency_contacts_patient_idx ON clinical.emergency_contacts (patient_id);

CREATE TABLE clinical.insurance_coverages (
    id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    patient_id bigint NOT NULL REFERENCES clinical.patients (id) ON DELETE CASCADE,
    payer_id integer NOT NULL REFERENCES ref.payers (id),
    member_id text NOT NULL,
    group_number text,
    subscriber_name text NOT NULL,
    subscriber_relationship text NOT NULL CHECK (subscriber_relationship IN ('self', 'spouse', 'child', 'other')),
    valid_from date NOT NULL,
    valid_to date,
    priority smallint NOT NULL DEFAULT 1,
    UNIQUE (payer_id, member_id)
);

CREATE SEQUENCE clinical.encounters_id_seq;
CREATE TABLE clinical.encounters (
    id bigint NOT NULL DEFAULT nextval('clinical.encounters_id_seq'),
    patient_id bigint NOT NULL REFERENCES clinical.patients (id),
    practitioner_id integer REFERENCES clinical.practitioners (id),
    care_site_id integer REFERENCES ref."CareSite" ("SiteId"),
    class clinical.encounter_class NOT NULL,
    status clinical.encounter_status NOT NULL,
    period_start timestamptz NOT NULL,
    period_end timestamptz,
    chief_complaint text,
    discharge_disposition text,
    PRIMARY KEY (id, period_start)
) PARTITION BY RANGE (period_start);
ALTER SEQUENCE clinical.encounters_id_seq OWNED BY clinical.encounters.id;
CREATE TABLE clinical.encounters_2024_01 PARTITION OF clinical.encounters FOR VALUES FROM ('2024-01-01 00:00:00+00') TO ('2024-02-01 00:00:00+00');
CREATE TABLE clinical.encounters_2024_02 PARTITION OF clinical.encounters FOR VALUES FROM ('2024-02-01 00:00:00+00') TO ('2024-03-01 00:00:00+00');
CREATE TABLE clinical.encounters_2024_03 PARTITION OF clinical.encounters FOR VALUES FROM ('2024-03-01 00:00:00+00') TO ('2024-04-01 00:00:00+00');
CREATE TABLE clinical.encounters_2024_04 PARTITION OF clinical.encounters FOR VALUES FROM ('2024-04-01 00:00:00+00') TO ('2024-05-01 00:00:00+00');
CREATE TABLE clinical.encounters_2024_05 PARTITION OF clinical.encounters FOR VALUES FROM ('2024-05-01 00:00:00+00') TO ('2024-06-01 00:00:00+00');
CREATE TABLE clinical.encounters_2024_06 PARTITION OF clinical.encounters FOR VALUES FROM ('2024-06-01 00:00:00+00') TO ('2024-07-01 00:00:00+00');
CREATE TABLE clinical.encounters_default PARTITION OF clinical.encounters DEFAULT;
CREATE INDEX encounters_patient_idx ON clinical.encounters (patient_id, period_start);

CREATE TABLE clinical.conditions (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    patient_id bigint NOT NULL REFERENCES clinical.patients (id),
    encounter_id bigint,
    icd10_code ref.icd10_code NOT NULL REFERENCES ref.icd10_codes (code),
    clinical_status clinical.condition_status NOT NULL,
    recorded_at timestamptz NOT NULL,
    note text
);
CREATE INDEX conditions_patient_idx ON clinical.conditions (patient_id);

CREATE TABLE clinical.prescriptions (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    patient_id bigint NOT NULL REFERENCES clinical.patients (id),
    prescriber_id integer NOT NULL REFERENCES clinical.practitioners (id),
    drug_id integer NOT NULL REFERENCES ref.drugs (id),
    dose text NOT NULL,
    frequency text NOT NULL CHECK (frequency IN ('QD', 'BID', 'TID', 'QID', 'PRN', 'QHS')),
    quantity integer NOT NULL,
    refills smallint NOT NULL DEFAULT 0,
    written_on date NOT NULL,
    status text NOT NULL DEFAULT 'active',
    pharmacy_note text
);

CREATE TABLE clinical.clinical_notes (
    id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    encounter_id bigint NOT NULL,
    patient_id bigint NOT NULL REFERENCES clinical.patients (id),
    author_id integer REFERENCES clinical.practitioners (id),
    note_type clinical.note_type NOT NULL,
    title text NOT NULL,
    body text NOT NULL,
    search_vector tsvector,
    signed_at timestamptz,
    created_at timestamptz NOT NULL
);
CREATE INDEX clinical_notes_search_idx ON clinical.clinical_notes USING gin (search_vector);
CREATE INDEX clinical_notes_patient_idx ON clinical.clinical_notes (patient_id);

CREATE TABLE clinical."Observation" (
    "id" uuid PRIMARY KEY,
    "patientId" bigint NOT NULL REFERENCES clinical.patients (id),
    "encounterId" bigint,
    "code" text NOT NULL REFERENCES ref.loinc_codes (code),
    "status" text NOT NULL DEFAULT 'final',
    "effectiveDateTime" timestamptz NOT NULL,
    "resource" jsonb NOT NULL,
    "lastUpdated" timestamptz NOT NULL
);
CREATE INDEX "Observation_patientId_code_idx" ON clinical."Observation" ("patientId", "code");

CREATE TRIGGER patients_touch_updated_at BEFORE UPDATE ON clinical.patients
    FOR EACH ROW EXECUTE FUNCTION clinical.touch_updated_at();
CREATE TRIGGER clinical_notes_search_vector BEFORE INSERT OR UPDATE OF title, body ON clinical.clinical_notes
    FOR EACH ROW EXECUTE FUNCTION clinical.notes_search_vector_update();

-- ---------------------------------------------------------------------------
-- Billing
-- ---------------------------------------------------------------------------
CREATE TABLE billing.claims (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    claim_number text NOT NULL UNIQUE,
    patient_id bigint NOT NULL REFERENCES clinical.patients (id),
    coverage_id bigint REFERENCES clinical.insurance_coverages (id),
    encounter_id bigint,
    payer_id integer REFERENCES ref.payers (id),
    billed_amount billing.money NOT NULL,
    allowed_amount billing.money,
    paid_amount billing.money,
    patient_responsibility numeric(12,2) GENERATED ALWAYS AS (billed_amount - coalesce(paid_amount, 0)) STORED,
    status billing.claim_status NOT NULL,
    submitted_at timestamptz,
    adjudicated_at timestamptz,
    denial_reason text
);

CREATE TABLE billing.claim_lines (
    claim_id bigint NOT NULL REFERENCES billing.claims (id) ON DELETE CASCADE,
    line_no smallint NOT NULL,
    cpt_code text NOT NULL,
    icd10_code ref.icd10_code REFERENCES ref.icd10_codes (code),
    units smallint NOT NULL DEFAULT 1,
    charge billing.money NOT NULL,
    PRIMARY KEY (claim_id, line_no)
);

CREATE TABLE billing.payments (
    id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    patient_id bigint NOT NULL REFERENCES clinical.patients (id),
    claim_id bigint REFERENCES billing.claims (id),
    method billing.payment_method NOT NULL,
    amount billing.money NOT NULL,
    payer_name text,
    card_last4 character(4),
    paid_at timestamptz NOT NULL,
    reference text
);

-- HIPAA access trail, appended by the application; no key of any kind
CREATE TABLE audit.phi_access_log (
    accessed_at timestamptz NOT NULL,
    username text NOT NULL,
    patient_mrn text,
    action text NOT NULL,
    resource_path text,
    client_ip inet
);
CREATE INDEX phi_access_log_accessed_at_idx ON audit.phi_access_log (accessed_at);

-- ---------------------------------------------------------------------------
-- Data
-- ---------------------------------------------------------------------------
INSERT INTO ref.icd10_codes (code, title, chapter, is_billable) VALUES
 ('E11.9', 'Type 2 diabetes mellitus without complications', 'Endocrine, nutritional and metabolic diseases', true),
 ('E11.65', 'Type 2 diabetes mellitus with hyperglycemia', 'Endocrine, nutritional and metabolic diseases', true),
 ('E78.5', 'Hyperlipidemia, unspecified', 'Endocrine, nutritional and metabolic diseases', true),
 ('E03.9', 'Hypothyroidism, unspecified', 'Endocrine, nutritional and metabolic diseases', true),
 ('E66.9', 'Obesity, unspecified', 'Endocrine, nutritional and metabolic diseases', true),
 ('I10', 'Essential (primary) hypertension', 'Diseases of the circulatory system', true),
 ('I25.10', 'Atherosclerotic heart disease of native coronary artery without angina pectoris', 'Diseases of the circulatory system', true),
 ('I48.91', 'Unspecified atrial fibrillation', 'Diseases of the circulatory system', true),
 ('J06.9', 'Acute upper respiratory infection, unspecified', 'Diseases of the respiratory system', true),
 ('J45.909', 'Unspecified asthma, uncomplicated', 'Diseases of the respiratory system', true),
 ('J44.9', 'Chronic obstructive pulmonary disease, unspecified', 'Diseases of the respiratory system', true),
 ('J02.9', 'Acute pharyngitis, unspecified', 'Diseases of the respiratory system', true),
 ('K21.9', 'Gastro-esophageal reflux disease without esophagitis', 'Diseases of the digestive system', true),
 ('K58.9', 'Irritable bowel syndrome without diarrhea', 'Diseases of the digestive system', true),
 ('M54.50', 'Low back pain, unspecified', 'Diseases of the musculoskeletal system and connective tissue', true),
 ('M17.11', 'Unilateral primary osteoarthritis, right knee', 'Diseases of the musculoskeletal system and connective tissue', true),
 ('M79.7', 'Fibromyalgia', 'Diseases of the musculoskeletal system and connective tissue', true),
 ('F32.9', 'Major depressive disorder, single episode, unspecified', 'Mental, behavioral and neurodevelopmental disorders', true),
 ('F41.1', 'Generalized anxiety disorder', 'Mental, behavioral and neurodevelopmental disorders', true),
 ('F90.0', 'Attention-deficit hyperactivity disorder, predominantly inattentive type', 'Mental, behavioral and neurodevelopmental disorders', true),
 ('F10.20', 'Alcohol dependence, uncomplicated', 'Mental, behavioral and neurodevelopmental disorders', true),
 ('G43.909', 'Migraine, unspecified, not intractable, without status migrainosus', 'Diseases of the nervous system', true),
 ('G47.33', 'Obstructive sleep apnea (adult) (pediatric)', 'Diseases of the nervous system', true),
 ('N39.0', 'Urinary tract infection, site not specified', 'Diseases of the genitourinary system', true),
 ('N18.3', 'Chronic kidney disease, stage 3 (moderate)', 'Diseases of the genitourinary system', false),
 ('L40.0', 'Psoriasis vulgaris', 'Diseases of the skin and subcutaneous tissue', true),
 ('L20.9', 'Atopic dermatitis, unspecified', 'Diseases of the skin and subcutaneous tissue', true),
 ('B20', 'Human immunodeficiency virus [HIV] disease', 'Certain infectious and parasitic diseases', true),
 ('U07.1', 'COVID-19', 'Codes for special purposes', true),
 ('O80', 'Encounter for full-term uncomplicated delivery', 'Pregnancy, childbirth and the puerperium', true),
 ('Z34.00', 'Encounter for supervision of normal first pregnancy, unspecified trimester', 'Factors influencing health status and contact with health services', true),
 ('Z00.00', 'Encounter for general adult medical examination without abnormal findings', 'Factors influencing health status and contact with health services', true),
 ('Z23', 'Encounter for immunization', 'Factors influencing health status and contact with health services', true),
 ('Z79.4', 'Long term (current) use of insulin', 'Factors influencing health status and contact with health services', true),
 ('R51.9', 'Headache, unspecified', 'Symptoms, signs and abnormal clinical and laboratory findings', true),
 ('R07.9', 'Chest pain, unspecified', 'Symptoms, signs and abnormal clinical and laboratory findings', true),
 ('R50.9', 'Fever, unspecified', 'Symptoms, signs and abnormal clinical and laboratory findings', true),
 ('S93.401A', 'Sprain of unspecified ligament of right ankle, initial encounter', 'Injury, poisoning and certain other consequences of external causes', true),
 ('S52.501A', 'Unspecified fracture of the lower end of right radius, initial encounter', 'Injury, poisoning and certain other consequences of external causes', true),
 ('C50.911', 'Malignant neoplasm of unspecified site of right female breast', 'Neoplasms', true);

INSERT INTO ref.drugs (rxnorm_code, generic_name, brand_names, dose_form, strength, atc_code) VALUES
 ('860975', 'metformin hydrochloride', '{Glucophage,Fortamet,Riomet}', 'tablet', '500 mg', 'A10BA02'),
 ('314076', 'lisinopril', '{Prinivil,Zestril,Qbrelis}', 'tablet', '10 mg', 'C09AA03'),
 ('617312', 'atorvastatin calcium', '{Lipitor}', 'tablet', '20 mg', 'C10AA05'),
 ('197361', 'amlodipine besylate', '{Norvasc,Katerzia}', 'tablet', '5 mg', 'C08CA01'),
 ('198053', 'omeprazole', '{Prilosec}', 'capsule', '20 mg', 'A02BC01'),
 ('966247', 'levothyroxine sodium', '{Synthroid,Levoxyl,Unithroid,Euthyrox}', 'tablet', '50 mcg', 'H03AA01'),
 ('745679', 'albuterol sulfate', '{ProAir,Ventolin,Proventil}', 'inhaler', '90 mcg/actuation', 'R03AC02'),
 ('312940', 'sertraline hydrochloride', '{Zoloft}', 'tablet', '50 mg', 'N06AB06'),
 ('308182', 'amoxicillin', '{Amoxil,Moxatag}', 'capsule', '500 mg', 'J01CA04'),
 ('310965', 'ibuprofen', '{Advil,Motrin}', 'tablet', '400 mg', 'M01AE01'),
 ('313782', 'acetaminophen', '{Tylenol,Panadol}', 'tablet', '500 mg', 'N02BE01'),
 ('197381', 'atenolol', '{Tenormin}', 'tablet', '50 mg', 'C07AB03'),
 ('310798', 'hydrochlorothiazide', '{Microzide}', 'tablet', '25 mg', 'C03AA03'),
 ('312961', 'simvastatin', '{Zocor,Flolipid}', 'tablet', '20 mg', 'C10AA01'),
 ('311702', 'losartan potassium', '{Cozaar}', 'tablet', '50 mg', 'C09CA01'),
 ('855332', 'warfarin sodium', '{Coumadin,Jantoven}', 'tablet', '5 mg', 'B01AA03'),
 ('1364430', 'apixaban', '{Eliquis}', 'tablet', '5 mg', 'B01AF02'),
 ('849574', 'escitalopram oxalate', '{Lexapro}', 'tablet', '10 mg', 'N06AB10'),
 ('1049221', 'bupropion hydrochloride', '{Wellbutrin,Zyban,Aplenzin}', 'tablet', '150 mg', 'N06AX12'),
 ('313988', 'fluticasone propionate', '{Flonase,Flovent}', 'inhaler', '50 mcg/actuation', 'R01AD08'),
 ('285018', 'insulin glargine', '{Lantus,Basaglar,Toujeo,Semglee}', 'injection', '100 units/mL', 'A10AE04'),
 ('1991302', 'semaglutide', '{Ozempic,Wegovy,Rybelsus}', 'injection', '0.5 mg/dose', 'A10BJ06'),
 ('197696', 'furosemide', '{Lasix}', 'tablet', '40 mg', 'C03CA01'),
 ('993781', 'gabapentin', '{Neurontin,Gralise}', 'capsule', '300 mg', 'N03AX12'),
 ('1000048', 'montelukast sodium', '{Singulair}', 'tablet', '10 mg', 'R03DC03'),
 ('239191', 'azithromycin', '{Zithromax}', 'tablet', '250 mg', 'J01FA10'),
 ('197517', 'clopidogrel bisulfate', '{Plavix}', 'tablet', '75 mg', 'B01AC04'),
 ('311989', 'prednisone', '{Deltasone,Rayos}', 'tablet', '20 mg', 'H02AB07'),
 ('2123111', 'methylphenidate hydrochloride', '{Ritalin,Concerta}', 'tablet', '10 mg', 'N06BA04'),
 ('106258', 'hydrocortisone', '{Cortaid,Cortizone}', 'cream', '1 %', 'D07AA02'),
 ('1719', 'emtricitabine/tenofovir', '{Truvada,Descovy}', 'tablet', '200 mg/300 mg', 'J05AR03'),
 ('1094107', 'adalimumab', '{Humira,Amjevita,Hadlima}', 'injection', '40 mg/0.4 mL', 'L04AB04'),
 ('313002', 'sumatriptan', '{Imitrex}', 'tablet', '50 mg', 'N02CC01'),
 ('1361048', 'lorazepam', '{Ativan}', 'tablet', '1 mg', 'N05BA06'),
 ('1190795', 'nicotine', '{Nicorette,NicoDerm}', 'solution', '2 mg', 'N07BA01'),
 ('1545653', 'ondansetron', '{Zofran}', 'tablet', '4 mg', 'A04AA01');

INSERT INTO ref.loinc_codes (code, long_common_name, default_unit) VALUES
 ('8867-4', 'Heart rate', '/min'),
 ('8480-6', 'Systolic blood pressure', 'mm[Hg]'),
 ('8462-4', 'Diastolic blood pressure', 'mm[Hg]'),
 ('29463-7', 'Body weight', 'kg'),
 ('8302-2', 'Body height', 'cm'),
 ('39156-5', 'Body mass index (BMI) [Ratio]', 'kg/m2'),
 ('8310-5', 'Body temperature', 'Cel'),
 ('2708-6', 'Oxygen saturation in Arterial blood', '%'),
 ('2339-0', 'Glucose [Mass/volume] in Blood', 'mg/dL'),
 ('4548-4', 'Hemoglobin A1c/Hemoglobin.total in Blood', '%'),
 ('2093-3', 'Cholesterol [Mass/volume] in Serum or Plasma', 'mg/dL'),
 ('72166-2', 'Tobacco smoking status', NULL);

INSERT INTO ref."CareSite" ("SiteName", "Street", "City", "PostalCode", "MainPhone", "NPI", "OpeningHours") VALUES
 ('Riverside Family Medicine', '1200 River Road', 'Springfield', '62704', '(217) 555-0140', '1588667788', '{"mon-fri": "08:00-18:00", "sat": "09:00-12:00"}'),
 ('Northgate Urgent Care', '455 Northgate Boulevard', 'Springfield', '62702', '(217) 555-0199', '1992837465', '{"daily": "07:00-22:00"}'),
 ('Lakeview Cardiology Associates', '78 Lake Drive, Suite 300', 'Chicago', '60611', '(312) 555-0175', '1366554433', '{"mon-fri": "08:00-17:00"}'),
 ('Westside Pediatrics', '2100 Madison Avenue', 'Chicago', '60612', '(312) 555-0123', '1477665544', '{"mon-fri": "08:00-17:30"}'),
 ('Maple Grove Women''s Health', '19 Maple Street', 'Peoria', '61602', '(309) 555-0161', '1255443322', '{"mon-thu": "08:00-16:00", "fri": "08:00-12:00"}'),
 ('Prairie Behavioral Health', '3300 Washington Boulevard', 'Peoria', '61604', '(309) 555-0188', '1144332211', '{"mon-fri": "09:00-19:00"}'),
 ('Central Lab & Imaging', '640 Main Street', 'Springfield', '62701', '(217) 555-0107', '1033221100', '{"mon-sat": "06:30-15:00"}'),
 ('Virtual Care Center', NULL, NULL, NULL, '(800) 555-0135', '1922110099', '{"daily": "00:00-24:00"}');

INSERT INTO ref.payers (name, payer_code, claims_phone, claims_address) VALUES
 ('Blue Cross Blue Shield of Illinois', 'BCBSIL', '(800) 555-0311', 'PO Box 805107, Chicago, IL 60680'),
 ('Aetna', 'AETNA', '(800) 555-0312', 'PO Box 981106, El Paso, TX 79998'),
 ('UnitedHealthcare', 'UHC', '(877) 555-0313', 'PO Box 30555, Salt Lake City, UT 84130'),
 ('Cigna', 'CIGNA', '(800) 555-0314', 'PO Box 188061, Chattanooga, TN 37422'),
 ('Humana', 'HUMANA', '(800) 555-0315', 'PO Box 14601, Lexington, KY 40512'),
 ('Medicare Part B (Novitas)', 'MCRB', '(855) 555-0316', 'PO Box 3702, Mechanicsburg, PA 17055'),
 ('Illinois Medicaid (HFS)', 'ILMCD', '(877) 555-0317', '201 South Grand Avenue East, Springfield, IL 62763'),
 ('Anthem', 'ANTHEM', '(800) 555-0318', 'PO Box 105187, Atlanta, GA 30348'),
 ('Oscar Health', 'OSCAR', '(855) 555-0319', 'PO Box 52146, Phoenix, AZ 85072'),
 ('Molina Healthcare', 'MOLINA', '(888) 555-0320', 'PO Box 540, Long Beach, CA 90801'),
 ('TRICARE East', 'TRICE', '(800) 555-0321', 'PO Box 7981, Madison, WI 53707'),
 ('Self-pay', 'SELF', NULL, NULL);

-- 120 practitioners
INSERT INTO clinical.practitioners (npi, prefix, given_name, family_name, qualifications, specialty, work_email, work_phone,
    dea_number, care_site_id, active, created_at)
SELECT '1' || pg_temp.digits('npi' || d, 9),
       CASE WHEN d % 5 <> 4 THEN 'Dr.' END,
       pg_temp.first_name('doc' || d), pg_temp.last_name('doc' || d),
       CASE d % 5 WHEN 0 THEN '{MD,FACC}' WHEN 1 THEN '{MD}' WHEN 2 THEN '{DO}' WHEN 3 THEN '{MD,PhD}' ELSE '{NP,RN}' END::text[],
       pg_temp.pick(ARRAY['Family Medicine','Internal Medicine','Cardiology','Pediatrics','Obstetrics and Gynecology','Psychiatry','Emergency Medicine','Endocrinology','Dermatology','Orthopedic Surgery'], 'spec' || d),
       pg_temp.first_slug('doc' || d) || '.' || pg_temp.last_slug('doc' || d) || d || '@riversidehealth.org',
       CASE WHEN d % 3 <> 0 THEN pg_temp.phone('docwork' || d) END,
       CASE WHEN d % 5 <> 4 THEN upper(substr(pg_temp.last_slug('doc' || d), 1, 1)) || chr(65 + d % 26) || pg_temp.digits('dea' || d, 7) END,
       1 + d % 8, d % 23 <> 0, pg_temp.ts('docjoined' || d)
FROM generate_series(1, 120) AS d ORDER BY d;

-- 2000 patients
INSERT INTO clinical.patients (mrn, family_name, given_names, preferred_name, birth_date, gender, deceased_at, national_id,
    phone_mobile, phone_home, email, address_lines, city, state, postal_code, country_code, preferred_language,
    known_allergies, care_site_id, primary_practitioner_id, created_at, updated_at)
SELECT pg_temp.mrn(i),
       pg_temp.last_name(s),
       CASE WHEN i % 3 = 0 THEN ARRAY[pg_temp.first_name(s), pg_temp.first_name('middle' || s)] ELSE ARRAY[pg_temp.first_name(s)] END,
       CASE WHEN i % 9 = 0 THEN pg_temp.first_name('pref' || s) END,
       date '1930-01-01' + pg_temp.h('dob' || s) % 33000,
       (ARRAY['female','male','female','male','other','unknown']::clinical.administrative_gender[])[1 + CASE WHEN pg_temp.h('g' || s) % 40 = 0 THEN 4 + pg_temp.h('g2' || s) % 2 ELSE pg_temp.h('g' || s) % 4 END],
       CASE WHEN i % 97 = 0 THEN pg_temp.visit_ts('died' || s) END,
       CASE WHEN i % 4 <> 3 THEN pg_temp.digits('ssn' || s, 3) || '-' || pg_temp.digits('ssn2' || s, 2) || '-' || pg_temp.digits('ssn3' || s, 4) END,
       CASE WHEN i % 6 <> 0 THEN pg_temp.phone('mobile' || s) END,
       CASE WHEN i % 4 = 0 THEN pg_temp.phone('home' || s) END,
       CASE WHEN i % 7 <> 0 THEN pg_temp.unique_email(s, i) END,
       CASE WHEN i % 5 = 0 THEN ARRAY[pg_temp.street(s), 'Apt ' || (1 + pg_temp.h('apt' || s) % 40)] ELSE ARRAY[pg_temp.street(s)] END,
       pg_temp.pick(ARRAY['Springfield','Chicago','Peoria','Champaign','Decatur','Bloomington','Naperville','Joliet'], 'city' || s),
       'IL',
       '6' || pg_temp.digits('zip' || s, 4),
       'US',
       pg_temp.pick(ARRAY['en','en','en','en','es','es','pl','zh','ar'], 'lang' || s),
       CASE pg_temp.h('allergy' || s) % 8
         WHEN 0 THEN '{Penicillin}' WHEN 1 THEN '{"Peanuts","Tree nuts"}' WHEN 2 THEN '{Sulfonamides,Latex}'
         WHEN 3 THEN '{"Shellfish"}' ELSE '{}' END::text[],
       1 + pg_temp.h('site' || s) % 7, 1 + pg_temp.h('pcp' || s) % 120,
       pg_temp.ts('pcreated' || s), pg_temp.ts('pcreated' || s) + interval '40 days'
FROM generate_series(1, 2000) AS i, LATERAL (SELECT 'pat' || i AS s) x
ORDER BY i;

INSERT INTO clinical.emergency_contacts (patient_id, name, relationship, phone, email, address, is_primary)
SELECT p, pg_temp.full_name('ec' || k),
       pg_temp.pick(ARRAY['spouse','spouse','parent','child','sibling','friend','guardian','other'], 'rel' || k),
       pg_temp.phone('ec' || k),
       CASE WHEN k % 3 = 0 THEN pg_temp.email('ec' || k) END,
       CASE WHEN k % 4 = 0 THEN pg_temp.street('ec' || k) || ', ' || pg_temp.pick(ARRAY['Springfield, IL','Chicago, IL','St. Louis, MO','Indianapolis, IN'], 'eca' || k) END,
       k <= 2000
FROM generate_series(1, 2600) AS k, LATERAL (SELECT CASE WHEN k <= 2000 THEN k ELSE 1 + pg_temp.h('ecp' || k) % 2000 END AS p) x
WHERE k <= 2000 AND k % 8 <> 0 OR k > 2000
ORDER BY k;

INSERT INTO clinical.insurance_coverages (patient_id, payer_id, member_id, group_number, subscriber_name, subscriber_relationship,
    valid_from, valid_to, priority)
SELECT p, pay,
       upper(substr(md5('memberprefix' || pay), 1, 3)) || pg_temp.digits('member' || k, 9),
       CASE WHEN pay NOT IN (6, 7, 12) THEN 'GRP-' || (10000 + pg_temp.h('grp' || k) % 400) END,
       CASE WHEN rel = 'self' THEN pg_temp.first_name('pat' || p) || ' ' || pg_temp.last_name('pat' || p) ELSE pg_temp.full_name('sub' || k) END,
       rel,
       date '2019-01-01' + pg_temp.h('vf' || k) % 1800,
       CASE WHEN k % 9 = 0 THEN date '2024-12-31' END,
       CASE WHEN k <= 2000 THEN 1 ELSE 2 END
FROM generate_series(1, 2400) AS k,
LATERAL (SELECT CASE WHEN k <= 2000 THEN k ELSE 1 + (k * 37) % 2000 END AS p, 1 + pg_temp.h('payer' || k) % 12 AS pay,
                pg_temp.pick(ARRAY['self','self','self','spouse','child','other'], 'subrel' || k) AS rel) x
ORDER BY k;

-- 6000 encounters from October 2023 to June 2024 (the DEFAULT partition holds 2023)
INSERT INTO clinical.encounters (patient_id, practitioner_id, care_site_id, class, status, period_start, period_end,
    chief_complaint, discharge_disposition)
SELECT p, 1 + pg_temp.h('encdoc' || e) % 120, 1 + pg_temp.h('encsite' || e) % 8,
       (ARRAY['AMB','AMB','AMB','AMB','EMER','IMP','VR','HH']::clinical.encounter_class[])[1 + pg_temp.h('class' || e) % 8],
       (ARRAY['finished','finished','finished','finished','cancelled','arrived']::clinical.encounter_status[])[1 + pg_temp.h('estatus' || e) % 6],
       t, t + make_interval(mins => 15 + pg_temp.h('dur' || e) % 120),
       CASE pg_temp.h('cc' || e) % 10
         WHEN 0 THEN 'Chest pain radiating to the left arm since this morning'
         WHEN 1 THEN 'Follow-up type 2 diabetes; home glucose readings 180-220'
         WHEN 2 THEN 'Cough and fever for three days'
         WHEN 3 THEN 'Fell at home (' || pg_temp.street('pat' || p) || '), brought in by neighbour ' || pg_temp.full_name('nb' || e)
         WHEN 4 THEN 'Anxiety and poor sleep since separation from husband'
         WHEN 5 THEN 'Medication refill; asks for a call back at ' || pg_temp.phone('mobile' || 'pat' || p)
         WHEN 6 THEN 'Annual physical'
         WHEN 7 THEN 'Pregnancy test positive, first prenatal visit'
         WHEN 8 THEN 'Wants the results sent to ' || pg_temp.unique_email('pat' || p, p) || ' instead of the portal'
         ELSE NULL END,
       pg_temp.pick(ARRAY['home','home','home','home-health','snf','other-hcf'], 'disp' || e)
FROM generate_series(1, 6000) AS e,
LATERAL (SELECT 1 + pg_temp.h('encp' || e) % 2000 AS p, pg_temp.visit_ts('enc' || e) AS t) x
ORDER BY e;

INSERT INTO clinical.conditions (patient_id, encounter_id, icd10_code, clinical_status, recorded_at, note)
SELECT e.patient_id, e.id,
       (SELECT code FROM ref.icd10_codes ORDER BY code OFFSET pg_temp.h('dx' || c) % 40 LIMIT 1),
       (ARRAY['active','active','active','recurrence','remission','resolved']::clinical.condition_status[])[1 + pg_temp.h('cstat' || c) % 6],
       e.period_start + interval '20 minutes',
       CASE pg_temp.h('cnote' || c) % 6
         WHEN 0 THEN 'Patient reports symptoms worse since losing job; lives alone at ' || pg_temp.street('pat' || e.patient_id) || '.'
         WHEN 1 THEN 'Discussed with daughter ' || pg_temp.full_name('dtr' || c) || ' (' || pg_temp.phone('dtr' || c) || ').'
         WHEN 2 THEN 'Family history: mother with breast cancer at 45.'
         WHEN 3 THEN 'Stable on current regimen.'
         ELSE NULL END
FROM generate_series(1, 3500) AS c
JOIN clinical.encounters e ON e.id = 1 + pg_temp.h('cenc' || c) % 6000
ORDER BY c;

INSERT INTO clinical.prescriptions (patient_id, prescriber_id, drug_id, dose, frequency, quantity, refills, written_on, status, pharmacy_note)
SELECT 1 + pg_temp.h('rxp' || r) % 2000, 1 + pg_temp.h('rxd' || r) % 120, 1 + pg_temp.h('rxdrug' || r) % 36,
       pg_temp.pick(ARRAY['1 tablet','2 tablets','1 capsule','2 puffs','10 units','0.5 mg','apply thin layer'], 'dose' || r),
       pg_temp.pick(ARRAY['QD','BID','TID','QID','PRN','QHS'], 'freq' || r),
       (ARRAY[30, 60, 90, 1, 14])[1 + pg_temp.h('qty' || r) % 5], pg_temp.h('refill' || r) % 6,
       (pg_temp.visit_ts('rx' || r))::date,
       pg_temp.pick(ARRAY['active','active','completed','stopped'], 'rxst' || r),
       CASE pg_temp.h('rxnote' || r) % 7
         WHEN 0 THEN 'Patient asks for a text at ' || pg_temp.phone('mobile' || 'pat' || (1 + pg_temp.h('rxp' || r) % 2000)) || ' when ready.'
         WHEN 1 THEN 'Deliver to ' || pg_temp.street('rxdel' || r) || ', leave with ' || pg_temp.first_name('rxdel' || r) || '.'
         WHEN 2 THEN 'Prior authorization approved by payer.'
         WHEN 3 THEN 'Generic substitution permitted.'
         ELSE NULL END
FROM generate_series(1, 3000) AS r ORDER BY r;

INSERT INTO clinical.clinical_notes (encounter_id, patient_id, author_id, note_type, title, body, signed_at, created_at)
SELECT e.id, e.patient_id, e.practitioner_id,
       (ARRAY['progress','progress','consult','discharge','telephone']::clinical.note_type[])[1 + pg_temp.h('nt' || e.id) % 5],
       CASE pg_temp.h('ntitle' || e.id) % 4
         WHEN 0 THEN 'Progress note'
         WHEN 1 THEN 'Telephone encounter: ' || p.given_names[1] || ' ' || p.family_name
         WHEN 2 THEN 'Consult - ' || (SELECT specialty FROM clinical.practitioners d WHERE d.id = e.practitioner_id)
         ELSE 'Discharge summary for ' || p.family_name || ', ' || p.given_names[1] END,
       'S: ' || CASE pg_temp.h('nbody' || e.id) % 5
         WHEN 0 THEN p.given_names[1] || ' ' || p.family_name || ' (DOB ' || to_char(p.birth_date, 'MM/DD/YYYY') || ') reports intermittent chest tightness on exertion.'
         WHEN 1 THEN 'Pt seen with wife ' || pg_temp.full_name('wife' || e.id) || '. Sleeping poorly, drinking 4-5 beers nightly.'
         WHEN 2 THEN 'Called patient at ' || coalesce(p.phone_mobile, p.phone_home, 'no number on file') || ' to discuss A1c of 8.9%.'
         WHEN 3 THEN 'Lives at ' || p.address_lines[1] || ', ' || p.city || ' with two children; requests home visit.'
         ELSE 'Routine follow-up, no new complaints. Portal message from ' || coalesce(p.email, 'patient') || ' reviewed.' END
         || E'\nO: BP ' || (110 + pg_temp.h('bp' || e.id) % 50) || '/' || (65 + pg_temp.h('bpd' || e.id) % 30) || ', HR ' || (55 + pg_temp.h('hr' || e.id) % 50) || '.'
         || E'\nA/P: ' || pg_temp.pick(ARRAY['Continue current medications.','Start metformin 500 mg BID, recheck in 3 months.','Refer to cardiology for stress test.','Counseled on alcohol use; referred to behavioral health.','Order CBC and CMP.'], 'plan' || e.id),
       e.period_end + interval '3 hours', e.period_end
FROM clinical.encounters e JOIN clinical.patients p ON p.id = e.patient_id
WHERE e.id % 12 < 5
ORDER BY e.id;

INSERT INTO clinical."Observation" ("id", "patientId", "encounterId", "code", "status", "effectiveDateTime", "resource", "lastUpdated")
SELECT o.obs_id, e.patient_id, e.id, l.code, 'final', e.period_start + interval '10 minutes',
       jsonb_build_object(
         'resourceType', 'Observation',
         'id', o.obs_id::text,
         'status', 'final',
         'category', jsonb_build_array(jsonb_build_object('coding', jsonb_build_array(jsonb_build_object('system', 'http://terminology.hl7.org/CodeSystem/observation-category', 'code', CASE WHEN l.code IN ('2339-0', '4548-4', '2093-3') THEN 'laboratory' ELSE 'vital-signs' END)))),
         'code', jsonb_build_object('coding', jsonb_build_array(jsonb_build_object('system', 'http://loinc.org', 'code', l.code, 'display', l.long_common_name))),
         'subject', jsonb_build_object('reference', 'Patient/' || e.patient_id, 'display', p.given_names[1] || ' ' || p.family_name,
                                       'identifier', jsonb_build_object('system', 'urn:oid:2.16.840.1.113883.3.7201.1', 'value', p.mrn)),
         'effectiveDateTime', to_char(e.period_start + interval '10 minutes', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
         'performer', jsonb_build_array(jsonb_build_object('reference', 'Practitioner/' || e.practitioner_id,
                                        'display', 'Dr. ' || pg_temp.first_name('doc' || e.practitioner_id) || ' ' || pg_temp.last_name('doc' || e.practitioner_id))),
         'valueQuantity', jsonb_build_object('value', round((CASE l.code WHEN '8867-4' THEN 55 + pg_temp.h('v' || e.id) % 50 WHEN '8480-6' THEN 105 + pg_temp.h('v' || e.id) % 60
                                               WHEN '8462-4' THEN 60 + pg_temp.h('v' || e.id) % 35 WHEN '29463-7' THEN 45 + pg_temp.h('v' || e.id) % 90
                                               WHEN '8302-2' THEN 150 + pg_temp.h('v' || e.id) % 45 WHEN '8310-5' THEN 36 + pg_temp.h('v' || e.id) % 30 / 10.0
                                               ELSE 5 + pg_temp.h('v' || e.id) % 200 END)::numeric, 1),
                                             'unit', coalesce(l.default_unit, '1'), 'system', 'http://unitsofmeasure.org'))
       || CASE WHEN e.id % 5 = 0 THEN jsonb_build_object('note', jsonb_build_array(jsonb_build_object('text',
              CASE WHEN e.id % 10 = 0 THEN 'Measured twice; patient anxious. Husband ' || pg_temp.full_name('hus' || e.id) || ' (' || pg_temp.phone('hus' || e.id) || ') present.'
                   ELSE 'Repeat measurement after 5 minutes rest.' END)))
               ELSE '{}'::jsonb END,
       e.period_start + interval '1 hour'
FROM clinical.encounters e
JOIN clinical.patients p ON p.id = e.patient_id
JOIN LATERAL (SELECT code, long_common_name, default_unit FROM ref.loinc_codes ORDER BY code OFFSET pg_temp.h('loinc' || e.id) % 12 LIMIT 1) l ON true
CROSS JOIN LATERAL (SELECT pg_temp.uuid('obs' || e.id) AS obs_id) o
WHERE e.id % 2 = 0
ORDER BY e.id;

INSERT INTO billing.claims (claim_number, patient_id, coverage_id, encounter_id, payer_id, billed_amount, allowed_amount, paid_amount,
    status, submitted_at, adjudicated_at, denial_reason)
SELECT 'CLM-' || to_char(e.period_start, 'YYYY') || '-' || lpad(e.id::text, 6, '0'), e.patient_id, cv.id, e.id, cv.payer_id,
       b, CASE WHEN st IN ('accepted', 'paid') THEN round(b * 0.7, 2) END, CASE WHEN st = 'paid' THEN round(b * 0.55, 2) END,
       st, CASE WHEN st <> 'draft' THEN e.period_end + interval '2 days' END,
       CASE WHEN st IN ('accepted', 'denied', 'paid') THEN e.period_end + interval '19 days' END,
       CASE WHEN st = 'denied' THEN pg_temp.pick(ARRAY['CO-16: Claim lacks information needed for adjudication','CO-50: Not deemed a medical necessity','CO-97: Payment included in another service','PR-1: Deductible amount','CO-29: Time limit for filing has expired'], 'deny' || e.id) END
FROM clinical.encounters e
JOIN clinical.insurance_coverages cv ON cv.patient_id = e.patient_id AND cv.priority = 1
CROSS JOIN LATERAL (SELECT (80 + pg_temp.h('bill' || e.id) % 900)::numeric(12,2) AS b,
                           (ARRAY['draft','submitted','accepted','denied','paid','paid','paid']::billing.claim_status[])[1 + pg_temp.h('clst' || e.id) % 7] AS st) x
WHERE e.id % 2 = 1
ORDER BY e.id;

INSERT INTO billing.claim_lines (claim_id, line_no, cpt_code, icd10_code, units, charge)
SELECT c.id, k, pg_temp.pick(ARRAY['99213','99214','99203','99395','93000','36415','81002','90471','99283','71046'], 'cpt' || c.id || '/' || k),
       (SELECT code FROM ref.icd10_codes ORDER BY code OFFSET pg_temp.h('cldx' || c.id || '/' || k) % 40 LIMIT 1),
       1 + (pg_temp.h('units' || c.id || '/' || k) % 10 = 0)::integer,
       round(c.billed_amount / (1 + pg_temp.h('nlines' || c.id) % 3), 2)
FROM billing.claims c CROSS JOIN generate_series(1, 3) AS k
WHERE k <= 1 + pg_temp.h('nlines' || c.id) % 3
ORDER BY c.id, k;

INSERT INTO billing.payments (patient_id, claim_id, method, amount, payer_name, card_last4, paid_at, reference)
SELECT c.patient_id, c.id, m, c.patient_responsibility,
       CASE WHEN pg_temp.h('pyr' || c.id) % 4 = 0 THEN pg_temp.full_name('guarantor' || c.id)
            ELSE (SELECT given_names[1] || ' ' || family_name FROM clinical.patients p WHERE p.id = c.patient_id) END,
       CASE WHEN m = 'card' THEN pg_temp.digits('card' || c.id, 4) END,
       c.adjudicated_at + interval '12 days',
       CASE m WHEN 'check' THEN 'CHK-' || (1000 + pg_temp.h('chk' || c.id) % 9000) WHEN 'card' THEN 'TXN-' || upper(substr(md5('txn' || c.id), 1, 10)) ELSE NULL END
FROM billing.claims c
CROSS JOIN LATERAL (SELECT (ARRAY['card','card','card','cash','check','bank_transfer']::billing.payment_method[])[1 + pg_temp.h('pm' || c.id) % 6] AS m) x
WHERE c.status = 'paid'
ORDER BY c.id;

INSERT INTO audit.phi_access_log (accessed_at, username, patient_mrn, action, resource_path, client_ip)
SELECT pg_temp.visit_ts('access' || a),
       lower(left(pg_temp.first_slug('doc' || d), 1) || pg_temp.last_slug('doc' || d)) || CASE WHEN d > 60 THEN d::text ELSE '' END,
       CASE WHEN a % 17 <> 0 THEN pg_temp.mrn(p) END,
       pg_temp.pick(ARRAY['view','view','view','update','print','export'], 'act' || a),
       '/patients/' || p || pg_temp.pick(ARRAY['','/notes','/observations','/claims','/prescriptions'], 'path' || a),
       ('10.20.' || (pg_temp.h('sub' || d) % 30) || '.' || (2 + pg_temp.h('host' || d) % 250))::inet
FROM generate_series(1, 3000) AS a,
LATERAL (SELECT 1 + pg_temp.h('accdoc' || a) % 120 AS d, 1 + pg_temp.h('accpat' || a) % 2000 AS p) x
ORDER BY a;

CREATE MATERIALIZED VIEW clinical.patient_summary AS
SELECT p.id AS patient_id, p.mrn, p.full_name AS display_name, p.birth_date,
       coalesce(p.phone_mobile, p.phone_home) AS primary_phone,
       (SELECT max(e.period_start) FROM clinical.encounters e WHERE e.patient_id = p.id) AS last_encounter_at,
       (SELECT count(*) FROM clinical.conditions c WHERE c.patient_id = p.id AND c.clinical_status = 'active') AS active_conditions
FROM clinical.patients p
WITH DATA;
CREATE UNIQUE INDEX patient_summary_patient_id_idx ON clinical.patient_summary (patient_id);

COMMIT;
