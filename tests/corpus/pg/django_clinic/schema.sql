-- Django-style clinic appointment app (Django 4.2 on PostgreSQL, as
-- `manage.py migrate` leaves it): auth_user with password hashes, auth groups
-- and permissions with their many-to-many join tables, django_content_type,
-- django_migrations, django_session (signed base64 session_data),
-- django_admin_log (object_repr holds patient names), and the app's own
-- tables prefixed clinic_, with a many-to-many join table
-- (clinic_patient_doctors), FK-heavy, every FK DEFERRABLE INITIALLY DEFERRED
-- as Django creates them, identity ids, and jsonb with a nested contact.
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

BEGIN;

CREATE TABLE public.django_migrations (
    id bigint NOT NULL GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    app character varying(255) NOT NULL,
    name character varying(255) NOT NULL,
    applied timestamp with time zone NOT NULL
);

CREATE TABLE public.django_content_type (
    id integer NOT NULL GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    app_label character varying(100) NOT NULL,
    model character varying(100) NOT NULL,
    CONSTRAINT django_content_type_app_label_model_76bd3d3b_uniq UNIQUE (app_label, model)
);

CREATE TABLE public.auth_permission (
    id integer NOT NULL GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    name character varying(255) NOT NULL,
    content_type_id integer NOT NULL,
    codename character varying(100) NOT NULL,
    CONSTRAINT auth_permission_content_type_id_codename_01ab375a_uniq UNIQUE (content_type_id, codename)
);
CREATE INDEX auth_permission_content_type_id_2f476e4b ON public.auth_permission USING btree (content_type_id);

CREATE TABLE public.auth_group (
    id integer NOT NULL GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    name character varying(150) NOT NULL,
    CONSTRAINT auth_group_name_key UNIQUE (name)
);

CREATE TABLE public.auth_group_permissions (
    id bigint NOT NULL GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    group_id integer NOT NULL,
    permission_id integer NOT NULL,
    CONSTRAINT auth_group_permissions_group_id_permission_id_0cd325b0_uniq UNIQUE (group_id, permission_id)
);

CREATE TABLE public.auth_user (
    id integer NOT NULL GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    password character varying(128) NOT NULL,
    last_login timestamp with time zone,
    is_superuser boolean NOT NULL,
    username character varying(150) NOT NULL,
    first_name character varying(150) NOT NULL,
    last_name character varying(150) NOT NULL,
    email character varying(254) NOT NULL,
    is_staff boolean NOT NULL,
    is_active boolean NOT NULL,
    date_joined timestamp with time zone NOT NULL,
    CONSTRAINT auth_user_username_key UNIQUE (username)
);
CREATE INDEX auth_user_username_6821ab7c_like ON public.auth_user USING btree (username varchar_pattern_ops);

CREATE TABLE public.auth_user_groups (
    id bigint NOT NULL GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    user_id integer NOT NULL,
    group_id integer NOT NULL,
    CONSTRAINT auth_user_groups_user_id_group_id_94350c0c_uniq UNIQUE (user_id, group_id)
);

CREATE TABLE public.auth_user_user_permissions (
    id bigint NOT NULL GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    user_id integer NOT NULL,
    permission_id integer NOT NULL,
    CONSTRAINT auth_user_user_permissions_user_id_permission_id_14a6b632_uniq UNIQUE (user_id, permission_id)
);

CREATE TABLE public.django_session (
    session_key character varying(40) NOT NULL PRIMARY KEY,
    session_data text NOT NULL,
    expire_date timestamp with time zone NOT NULL
);
CREATE INDEX django_session_expire_date_a5c62663 ON public.django_session USING btree (expire_date);
CREATE INDEX django_session_session_key_c0390e0f_like ON public.django_session USING btree (session_key varchar_pattern_ops);

CREATE TABLE public.django_admin_log (
    id integer NOT NULL GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    action_time timestamp with time zone NOT NULL,
    object_id text,
    object_repr character varying(200) NOT NULL,
    action_flag smallint NOT NULL,
    change_message text NOT NULL,
    content_type_id integer,
    user_id integer NOT NULL,
    CONSTRAINT django_admin_log_action_flag_check CHECK ((action_flag >= 0))
);

CREATE TABLE public.clinic_clinic (
    id bigint NOT NULL GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    name character varying(120) NOT NULL,
    phone character varying(32) NOT NULL,
    email character varying(254) NOT NULL,
    street character varying(200) NOT NULL,
    postal_code character varying(16) NOT NULL,
    city character varying(100) NOT NULL,
    opening_hours jsonb NOT NULL
);

CREATE TABLE public.clinic_doctor (
    id bigint NOT NULL GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    user_id integer NOT NULL,
    specialty character varying(64) NOT NULL,
    license_number character varying(32) NOT NULL,
    office_phone character varying(32) NOT NULL,
    bio text NOT NULL,
    clinic_id bigint NOT NULL,
    CONSTRAINT clinic_doctor_user_id_key UNIQUE (user_id)
);

CREATE TABLE public.clinic_patient (
    id bigint NOT NULL GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    first_name character varying(100) NOT NULL,
    last_name character varying(100) NOT NULL,
    date_of_birth date NOT NULL,
    sex character varying(1) NOT NULL,
    email character varying(254) NOT NULL,
    phone character varying(32) NOT NULL,
    street character varying(200) NOT NULL,
    postal_code character varying(16) NOT NULL,
    city character varying(100) NOT NULL,
    insurance_number character varying(32) NOT NULL,
    emergency_contact jsonb,
    notes text NOT NULL,
    created_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL
);
CREATE INDEX clinic_patient_last_name_9a1d7e2c ON public.clinic_patient USING btree (last_name);

CREATE TABLE public.clinic_patient_doctors (
    id bigint NOT NULL GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    patient_id bigint NOT NULL,
    doctor_id bigint NOT NULL,
    CONSTRAINT clinic_patient_doctors_patient_id_doctor_id_3f0f2b7a_uniq UNIQUE (patient_id, doctor_id)
);

CREATE TABLE public.clinic_appointment (
    id bigint NOT NULL GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    starts_at timestamp with time zone NOT NULL,
    duration_minutes integer NOT NULL,
    reason text NOT NULL,
    status character varying(20) NOT NULL,
    created_at timestamp with time zone NOT NULL,
    clinic_id bigint NOT NULL,
    doctor_id bigint NOT NULL,
    patient_id bigint NOT NULL,
    CONSTRAINT clinic_appointment_duration_minutes_check CHECK ((duration_minutes >= 0))
);
CREATE INDEX clinic_appointment_patient_id_5b1a4c1e ON public.clinic_appointment USING btree (patient_id);
CREATE INDEX clinic_appointment_doctor_id_starts_at_0c7e9d11 ON public.clinic_appointment USING btree (doctor_id, starts_at);

-- ---------------------------------------------------------------------------
-- Data
-- ---------------------------------------------------------------------------
INSERT INTO public.django_migrations (app, name, applied)
SELECT app, name, timestamptz '2023-01-09 14:02:11+00' + make_interval(secs => (o * 3)::double precision, days => (CASE WHEN app = 'clinic' THEN (o - 20) * 21 ELSE 0 END)::integer)
FROM unnest(ARRAY['contenttypes','auth','auth','auth','auth','auth','auth','auth','auth','auth','auth','auth','auth','auth',
                  'admin','admin','admin','contenttypes','sessions','clinic','clinic','clinic','clinic','clinic','clinic','clinic'],
            ARRAY['0001_initial','0001_initial','0002_alter_permission_name_max_length','0003_alter_user_email_max_length',
                  '0004_alter_user_username_opts','0005_alter_user_last_login_null','0006_require_contenttypes_0002',
                  '0007_alter_validators_add_error_messages','0008_alter_user_username_max_length',
                  '0009_alter_user_last_name_max_length','0010_alter_group_name_max_length','0011_update_proxy_permissions',
                  '0012_alter_user_first_name_max_length','0001_initial','0001_initial','0002_logentry_remove_auto_add',
                  '0003_logentry_add_action_flag_choices','0002_remove_content_type_name','0001_initial','0001_initial',
                  '0002_patient_emergency_contact','0003_appointment_status','0004_doctor_bio','0005_patient_doctors',
                  '0006_clinic_opening_hours','0007_alter_patient_notes']) WITH ORDINALITY AS t(app, name, o)
ORDER BY o;

INSERT INTO public.django_content_type (app_label, model)
SELECT a, m FROM unnest(ARRAY['admin','auth','auth','auth','contenttypes','sessions','clinic','clinic','clinic','clinic'],
                        ARRAY['logentry','permission','group','user','contenttype','session','clinic','doctor','patient','appointment'])
            WITH ORDINALITY AS t(a, m, o) ORDER BY o;

INSERT INTO public.auth_permission (name, content_type_id, codename)
SELECT 'Can ' || act || ' ' || CASE ct.model WHEN 'logentry' THEN 'log entry' WHEN 'contenttype' THEN 'content type' ELSE ct.model END,
       ct.id, act || '_' || ct.model
FROM public.django_content_type ct, unnest(ARRAY['add','change','delete','view']) WITH ORDINALITY AS a(act, o)
ORDER BY ct.id, a.o;

INSERT INTO public.auth_group (name) VALUES ('Front desk'), ('Doctors'), ('Billing'), ('Practice managers');

INSERT INTO public.auth_group_permissions (group_id, permission_id)
SELECT g, p FROM generate_series(1, 4) AS g, generate_series(1, 40) AS p
WHERE pg_temp.h('gp' || g || '/' || p) % 3 = 0 OR (g = 4 AND p > 24) ORDER BY g, p;

-- users 1..3 admins, 4..43 doctors, the rest front desk and billing staff
INSERT INTO public.auth_user (password, last_login, is_superuser, username, first_name, last_name, email, is_staff, is_active, date_joined)
SELECT 'pbkdf2_sha256$600000$' || substr(translate(encode(sha256(('salt' || i)::bytea), 'base64'), '+/=', 'aZ0'), 1, 22) || '$'
         || encode(sha256(('pw' || i)::bytea), 'base64'),
       CASE WHEN i % 9 <> 0 THEN pg_temp.ts('login' || i) END,
       i <= 3,
       pg_temp.first_slug('staff' || i) || '.' || pg_temp.last_slug('staff' || i) || CASE WHEN i > 60 THEN i::text ELSE '' END,
       pg_temp.first_name('staff' || i), pg_temp.last_name('staff' || i),
       CASE WHEN i % 4 = 0 THEN pg_temp.email('staff' || i)
            ELSE pg_temp.first_slug('staff' || i) || '.' || pg_temp.last_slug('staff' || i) || '@harborviewclinic.org' END,
       true, i % 23 <> 0, pg_temp.ts('joined' || i)
FROM generate_series(1, 160) AS i ORDER BY i;

INSERT INTO public.auth_user_groups (user_id, group_id)
SELECT i, CASE WHEN i BETWEEN 4 AND 43 THEN 2 WHEN i % 5 = 0 THEN 3 WHEN i <= 3 THEN 4 ELSE 1 END
FROM generate_series(1, 160) AS i ORDER BY i;

INSERT INTO public.auth_user_user_permissions (user_id, permission_id)
SELECT DISTINCT 44 + pg_temp.h('up' || k) % 117, 1 + pg_temp.h('upp' || k) % 40 FROM generate_series(1, 60) AS k ORDER BY 1, 2;

INSERT INTO public.clinic_clinic (name, phone, email, street, postal_code, city, opening_hours)
SELECT 'Harborview Clinic ' || pg_temp.city('clinic' || i), pg_temp.phone('clinic' || i),
       'frontdesk.' || lower(pg_temp.city('clinic' || i)) || '@harborviewclinic.org',
       pg_temp.street('clinic' || i), pg_temp.postal('clinic' || i), pg_temp.city('clinic' || i),
       '{"mon": ["08:00", "18:00"], "tue": ["08:00", "18:00"], "wed": ["08:00", "13:00"], "thu": ["08:00", "18:00"], "fri": ["08:00", "16:00"]}'
FROM generate_series(1, 8) AS i ORDER BY i;

INSERT INTO public.clinic_doctor (user_id, specialty, license_number, office_phone, bio, clinic_id)
SELECT u, pg_temp.pick(ARRAY['General practice','Cardiology','Dermatology','Pediatrics','Orthopedics','Psychiatry','Gynecology','Neurology'], 'spec' || u),
       'MD-' || upper(substr(md5('lic' || u), 1, 2)) || '-' || pg_temp.digits('lic' || u, 6),
       pg_temp.phone('office' || u),
       'Dr. ' || pg_temp.last_name('staff' || u) || ' joined Harborview in ' || (2005 + pg_temp.h('since' || u) % 18)
         || ' and sees patients at our ' || pg_temp.city('clinic' || (1 + u % 8)) || ' location.',
       1 + u % 8
FROM generate_series(4, 43) AS u ORDER BY u;

INSERT INTO public.clinic_patient (first_name, last_name, date_of_birth, sex, email, phone, street, postal_code, city,
    insurance_number, emergency_contact, notes, created_at, updated_at)
SELECT pg_temp.first_name('pat' || i), pg_temp.last_name('pat' || i),
       date '1935-01-01' + pg_temp.h('dob' || i) % 31000,
       (ARRAY['F','M','X'])[1 + pg_temp.h('sex' || i) % 3],
       pg_temp.unique_email('pat' || i, i), pg_temp.phone('pat' || i),
       pg_temp.street('pat' || i), pg_temp.postal('pat' || i), pg_temp.city('pat' || i),
       upper(substr(md5('ins' || i), 1, 1)) || pg_temp.digits('ins' || i, 9),
       CASE WHEN i % 6 <> 0 THEN jsonb_build_object('name', pg_temp.full_name('emerg' || i),
            'relation', pg_temp.pick(ARRAY['spouse','parent','sibling','friend','child'], 'rel' || i),
            'phone', pg_temp.phone('emerg' || i),
            'address', jsonb_build_object('street', pg_temp.street('emerg' || i), 'city', pg_temp.city('emerg' || i))) END,
       CASE pg_temp.h('pnote' || i) % 6
         WHEN 0 THEN ''
         WHEN 1 THEN 'Prefers morning appointments. Allergic to penicillin.'
         WHEN 2 THEN 'Daughter ' || pg_temp.first_name('dtr' || i) || ' handles scheduling: ' || pg_temp.phone('dtr' || i) || '.'
         WHEN 3 THEN 'Send lab results to ' || pg_temp.email('pat' || i) || ' only, never by post.'
         WHEN 4 THEN 'Type 2 diabetes, HbA1c checked quarterly.'
         ELSE 'Moved from ' || pg_temp.city('old' || i) || '; previous GP faxed records from ' || pg_temp.phone('fax' || i) || '.' END,
       pg_temp.ts('pc' || i), pg_temp.ts('pc' || i) + interval '14 days'
FROM generate_series(1, 2000) AS i ORDER BY i;

INSERT INTO public.clinic_patient_doctors (patient_id, doctor_id)
SELECT DISTINCT p, 1 + pg_temp.h('pd' || p || '/' || k) % 40
FROM generate_series(1, 2000) AS p, generate_series(1, 2) AS k ORDER BY 1, 2;

INSERT INTO public.clinic_appointment (starts_at, duration_minutes, reason, status, created_at, clinic_id, doctor_id, patient_id)
SELECT date_trunc('hour', pg_temp.ts('ap' || i)) + make_interval(mins => 15 * (pg_temp.h('apm' || i) % 4)),
       (ARRAY[15, 20, 30, 45, 60])[1 + pg_temp.h('dur' || i) % 5],
       pg_temp.pick(ARRAY['Annual check-up', 'Follow-up on blood pressure', 'Persistent cough for two weeks',
                          'Knee pain after running', 'Vaccination (influenza)', 'Skin rash on forearm',
                          'Anxiety and trouble sleeping', 'Prenatal visit, week 20', 'Migraine, third this month',
                          'Review of MRI results'], 'reason' || i)
         || CASE WHEN i % 17 = 0 THEN ' - patient asks to be called back on ' || pg_temp.phone('cb' || i) ELSE '' END,
       pg_temp.pick(ARRAY['scheduled','completed','completed','completed','cancelled','no_show'], 'st' || i),
       pg_temp.ts('ap' || i) - interval '9 days',
       1 + d % 8, d, 1 + pg_temp.h('app' || i) % 2000
FROM generate_series(1, 5000) AS i, LATERAL (SELECT 1 + pg_temp.h('apd' || i) % 40 AS d) x ORDER BY i;

INSERT INTO public.django_session (session_key, session_data, expire_date)
SELECT substr(translate(md5('sk' || i) || md5('sk2' || i), 'abcdef0123456789', 'k7m2p9x4v1q8z3w6'), 1, 32),
       rtrim(translate(encode(convert_to('{"_auth_user_id":"' || u || '","_auth_user_backend":"django.contrib.auth.backends.ModelBackend","_auth_user_hash":"'
              || encode(sha256(('uh' || u)::bytea), 'hex') || '","last_patient_search":"' || pg_temp.last_name('pat' || i) || '"}', 'UTF8'), 'base64'),
              E'+/\n', '-_'), '=')
         || ':1' || substr(translate(md5('ts' || i), 'abcdef', 'QWERTY'), 1, 5) || ':'
         || rtrim(translate(encode(sha256(('sig' || i)::bytea), 'base64'), '+/', '-_'), '='),
       pg_temp.ts('sess' || i) + interval '14 days'
FROM generate_series(1, 300) AS i, LATERAL (SELECT 1 + pg_temp.h('su' || i) % 160 AS u) x ORDER BY i;

INSERT INTO public.django_admin_log (action_time, object_id, object_repr, action_flag, change_message, content_type_id, user_id)
SELECT pg_temp.ts('log' || i), p::text,
       pg_temp.first_name('pat' || p) || ' ' || pg_temp.last_name('pat' || p) || ' (' || to_char(date '1935-01-01' + pg_temp.h('dob' || p) % 31000, 'YYYY-MM-DD') || ')',
       1 + pg_temp.h('flag' || i) % 3,
       CASE 1 + pg_temp.h('flag' || i) % 3
         WHEN 1 THEN '[{"added": {}}]'
         WHEN 2 THEN '[{"changed": {"fields": ["' || pg_temp.pick(ARRAY['Phone','Email','Street','Notes','Emergency contact'], 'fld' || i) || '"]}}]'
         ELSE '' END,
       9, 1 + pg_temp.h('lu' || i) % 160
FROM generate_series(1, 1500) AS i, LATERAL (SELECT 1 + pg_temp.h('lp' || i) % 2000 AS p) x ORDER BY i;

SELECT setval(pg_get_serial_sequence('public.auth_user', 'id'), 160);

-- ---------------------------------------------------------------------------
-- Constraints (Django creates every FK DEFERRABLE INITIALLY DEFERRED)
-- ---------------------------------------------------------------------------
ALTER TABLE ONLY public.auth_permission ADD CONSTRAINT auth_permission_content_type_id_2f476e4b_fk_django_co FOREIGN KEY (content_type_id) REFERENCES public.django_content_type(id) DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE ONLY public.auth_group_permissions ADD CONSTRAINT auth_group_permissio_permission_id_84c5c92e_fk_auth_perm FOREIGN KEY (permission_id) REFERENCES public.auth_permission(id) DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE ONLY public.auth_group_permissions ADD CONSTRAINT auth_group_permissions_group_id_b120cbf9_fk_auth_group_id FOREIGN KEY (group_id) REFERENCES public.auth_group(id) DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE ONLY public.auth_user_groups ADD CONSTRAINT auth_user_groups_group_id_97559544_fk_auth_group_id FOREIGN KEY (group_id) REFERENCES public.auth_group(id) DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE ONLY public.auth_user_groups ADD CONSTRAINT auth_user_groups_user_id_6a12ed8b_fk_auth_user_id FOREIGN KEY (user_id) REFERENCES public.auth_user(id) DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE ONLY public.auth_user_user_permissions ADD CONSTRAINT auth_user_user_permi_permission_id_1fbb5f2c_fk_auth_perm FOREIGN KEY (permission_id) REFERENCES public.auth_permission(id) DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE ONLY public.auth_user_user_permissions ADD CONSTRAINT auth_user_user_permissions_user_id_a95ead1b_fk_auth_user_id FOREIGN KEY (user_id) REFERENCES public.auth_user(id) DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE ONLY public.django_admin_log ADD CONSTRAINT django_admin_log_content_type_id_c4bce8eb_fk_django_co FOREIGN KEY (content_type_id) REFERENCES public.django_content_type(id) DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE ONLY public.django_admin_log ADD CONSTRAINT django_admin_log_user_id_c564eba6_fk_auth_user_id FOREIGN KEY (user_id) REFERENCES public.auth_user(id) DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE ONLY public.clinic_doctor ADD CONSTRAINT clinic_doctor_user_id_4c1a9e0b_fk_auth_user_id FOREIGN KEY (user_id) REFERENCES public.auth_user(id) DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE ONLY public.clinic_doctor ADD CONSTRAINT clinic_doctor_clinic_id_77aa12b3_fk_clinic_clinic_id FOREIGN KEY (clinic_id) REFERENCES public.clinic_clinic(id) DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE ONLY public.clinic_patient_doctors ADD CONSTRAINT clinic_patient_doctors_patient_id_0b8f3c4e_fk_clinic_patient_id FOREIGN KEY (patient_id) REFERENCES public.clinic_patient(id) DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE ONLY public.clinic_patient_doctors ADD CONSTRAINT clinic_patient_doctors_doctor_id_6e2d1a9f_fk_clinic_doctor_id FOREIGN KEY (doctor_id) REFERENCES public.clinic_doctor(id) DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE ONLY public.clinic_appointment ADD CONSTRAINT clinic_appointment_clinic_id_5a0e7c21_fk_clinic_clinic_id FOREIGN KEY (clinic_id) REFERENCES public.clinic_clinic(id) DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE ONLY public.clinic_appointment ADD CONSTRAINT clinic_appointment_doctor_id_1d9b4f33_fk_clinic_doctor_id FOREIGN KEY (doctor_id) REFERENCES public.clinic_doctor(id) DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE ONLY public.clinic_appointment ADD CONSTRAINT clinic_appointment_patient_id_8e3c2a4d_fk_clinic_patient_id FOREIGN KEY (patient_id) REFERENCES public.clinic_patient(id) DEFERRABLE INITIALLY DEFERRED;

COMMIT;
