-- Rails-style web shop (ActiveRecord 7 conventions, as `db:schema:load` plus a
-- few hand-written migrations leave it): bigserial ids, schema_migrations and
-- ar_internal_metadata, created_at/updated_at timestamp(6), Devise columns on
-- users (encrypted_password, reset/confirmation tokens, sign-in IPs as inet),
-- polymorphic associations (addresses.addressable_*, comments.commentable_*,
-- active_storage_attachments.record_*), a PaperTrail versions table whose
-- `object` column is YAML with personal values inside, an updated_at trigger
-- that rewrites the column on every UPDATE, and users.searchable: a tsvector
-- kept by a trigger from names and e-mail, with a GIN index.
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

CREATE TABLE public.schema_migrations (
    version character varying NOT NULL PRIMARY KEY
);

CREATE TABLE public.ar_internal_metadata (
    key character varying NOT NULL PRIMARY KEY,
    value character varying,
    created_at timestamp(6) without time zone NOT NULL,
    updated_at timestamp(6) without time zone NOT NULL
);

CREATE FUNCTION public.set_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.updated_at := now();
  RETURN NEW;
END;
$$;

CREATE FUNCTION public.users_searchable_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.searchable :=
    setweight(to_tsvector('simple', coalesce(NEW.first_name, '') || ' ' || coalesce(NEW.last_name, '')), 'A') ||
    setweight(to_tsvector('simple', coalesce(NEW.email, '')), 'B') ||
    setweight(to_tsvector('simple', coalesce(NEW.phone, '')), 'C');
  RETURN NEW;
END;
$$;

CREATE TABLE public.users (
    id bigserial PRIMARY KEY,
    email character varying DEFAULT ''::character varying NOT NULL,
    encrypted_password character varying DEFAULT ''::character varying NOT NULL,
    reset_password_token character varying,
    reset_password_sent_at timestamp(6) without time zone,
    remember_created_at timestamp(6) without time zone,
    sign_in_count integer DEFAULT 0 NOT NULL,
    current_sign_in_at timestamp(6) without time zone,
    last_sign_in_at timestamp(6) without time zone,
    current_sign_in_ip inet,
    last_sign_in_ip inet,
    confirmation_token character varying,
    confirmed_at timestamp(6) without time zone,
    first_name character varying,
    last_name character varying,
    phone character varying,
    date_of_birth date,
    admin boolean DEFAULT false NOT NULL,
    searchable tsvector,
    created_at timestamp(6) without time zone NOT NULL,
    updated_at timestamp(6) without time zone NOT NULL
);
CREATE UNIQUE INDEX index_users_on_email ON public.users USING btree (email);
CREATE UNIQUE INDEX index_users_on_reset_password_token ON public.users USING btree (reset_password_token);
CREATE UNIQUE INDEX index_users_on_confirmation_token ON public.users USING btree (confirmation_token);
CREATE INDEX index_users_on_searchable ON public.users USING gin (searchable);
CREATE INDEX index_users_on_lower_last_name ON public.users USING btree (lower((last_name)::text));

CREATE TABLE public.companies (
    id bigserial PRIMARY KEY,
    name character varying NOT NULL,
    website character varying,
    vat_number character varying,
    created_at timestamp(6) without time zone NOT NULL,
    updated_at timestamp(6) without time zone NOT NULL
);

CREATE TABLE public.addresses (
    id bigserial PRIMARY KEY,
    addressable_type character varying NOT NULL,
    addressable_id bigint NOT NULL,
    kind character varying DEFAULT 'shipping'::character varying NOT NULL,
    recipient_name character varying,
    line1 character varying NOT NULL,
    line2 character varying,
    city character varying NOT NULL,
    state character varying,
    postal_code character varying,
    country_code character varying(2) NOT NULL,
    created_at timestamp(6) without time zone NOT NULL,
    updated_at timestamp(6) without time zone NOT NULL
);
CREATE INDEX index_addresses_on_addressable ON public.addresses USING btree (addressable_type, addressable_id);

CREATE TABLE public.products (
    id bigserial PRIMARY KEY,
    name character varying NOT NULL,
    sku character varying NOT NULL,
    description text,
    price_cents integer DEFAULT 0 NOT NULL,
    price_currency character varying DEFAULT 'USD'::character varying NOT NULL,
    created_at timestamp(6) without time zone NOT NULL,
    updated_at timestamp(6) without time zone NOT NULL
);
CREATE UNIQUE INDEX index_products_on_sku ON public.products USING btree (sku);

CREATE TABLE public.orders (
    id bigserial PRIMARY KEY,
    user_id bigint NOT NULL,
    number character varying NOT NULL,
    status integer DEFAULT 0 NOT NULL,
    total_cents bigint DEFAULT 0 NOT NULL,
    currency character varying DEFAULT 'USD'::character varying NOT NULL,
    shipping_address_id bigint,
    billing_address_id bigint,
    gift_message text,
    customer_note text,
    placed_at timestamp(6) without time zone,
    created_at timestamp(6) without time zone NOT NULL,
    updated_at timestamp(6) without time zone NOT NULL
);
CREATE UNIQUE INDEX index_orders_on_number ON public.orders USING btree (number);
CREATE INDEX index_orders_on_user_id ON public.orders USING btree (user_id);

CREATE TABLE public.order_items (
    id bigserial PRIMARY KEY,
    order_id bigint NOT NULL,
    product_id bigint NOT NULL,
    quantity integer DEFAULT 1 NOT NULL,
    unit_price_cents integer NOT NULL,
    created_at timestamp(6) without time zone NOT NULL,
    updated_at timestamp(6) without time zone NOT NULL
);
CREATE INDEX index_order_items_on_order_id ON public.order_items USING btree (order_id);

CREATE TABLE public.comments (
    id bigserial PRIMARY KEY,
    commentable_type character varying NOT NULL,
    commentable_id bigint NOT NULL,
    user_id bigint,
    body text NOT NULL,
    created_at timestamp(6) without time zone NOT NULL,
    updated_at timestamp(6) without time zone NOT NULL
);
CREATE INDEX index_comments_on_commentable ON public.comments USING btree (commentable_type, commentable_id);

CREATE TABLE public.active_storage_blobs (
    id bigserial PRIMARY KEY,
    key character varying NOT NULL,
    filename character varying NOT NULL,
    content_type character varying,
    metadata text,
    service_name character varying NOT NULL,
    byte_size bigint NOT NULL,
    checksum character varying,
    created_at timestamp(6) without time zone NOT NULL
);
CREATE UNIQUE INDEX index_active_storage_blobs_on_key ON public.active_storage_blobs USING btree (key);

CREATE TABLE public.active_storage_attachments (
    id bigserial PRIMARY KEY,
    name character varying NOT NULL,
    record_type character varying NOT NULL,
    record_id bigint NOT NULL,
    blob_id bigint NOT NULL,
    created_at timestamp(6) without time zone NOT NULL
);
CREATE UNIQUE INDEX index_active_storage_attachments_uniqueness ON public.active_storage_attachments USING btree (record_type, record_id, name, blob_id);

CREATE TABLE public.versions (
    id bigserial PRIMARY KEY,
    item_type character varying NOT NULL,
    item_id bigint NOT NULL,
    event character varying NOT NULL,
    whodunnit character varying,
    object text,
    created_at timestamp(6) without time zone
);
CREATE INDEX index_versions_on_item_type_and_item_id ON public.versions USING btree (item_type, item_id);

CREATE TRIGGER users_searchable_trigger BEFORE INSERT OR UPDATE OF first_name, last_name, email, phone, searchable
    ON public.users FOR EACH ROW EXECUTE FUNCTION public.users_searchable_update();
CREATE TRIGGER users_set_updated_at BEFORE UPDATE ON public.users FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();
CREATE TRIGGER orders_set_updated_at BEFORE UPDATE ON public.orders FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();
CREATE TRIGGER addresses_set_updated_at BEFORE UPDATE ON public.addresses FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();
CREATE TRIGGER comments_set_updated_at BEFORE UPDATE ON public.comments FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();

-- ---------------------------------------------------------------------------
-- Data
-- ---------------------------------------------------------------------------
INSERT INTO public.schema_migrations (version)
SELECT to_char(timestamp '2021-03-04 10:15:00' + make_interval(days => k * 11, secs => pg_temp.h('mig' || k) % 86400), 'YYYYMMDDHH24MISS')
FROM generate_series(1, 48) AS k ORDER BY k;

INSERT INTO public.ar_internal_metadata (key, value, created_at, updated_at) VALUES
 ('environment', 'production', '2021-03-04 10:15:02.118833', '2021-03-04 10:15:02.118833'),
 ('schema_sha1', 'c1b0f3a4e5d60718293a4b5c6d7e8f9012345678', '2024-05-02 08:01:44.004211', '2024-05-02 08:01:44.004211');

INSERT INTO public.users (email, encrypted_password, reset_password_token, reset_password_sent_at, remember_created_at,
    sign_in_count, current_sign_in_at, last_sign_in_at, current_sign_in_ip, last_sign_in_ip, confirmation_token,
    confirmed_at, first_name, last_name, phone, date_of_birth, admin, created_at, updated_at)
SELECT pg_temp.unique_email('user' || i, i),
       '$2a$12$' || substr(encode(sha256(('bcrypt' || i)::bytea), 'base64'), 1, 53),
       CASE WHEN i % 13 = 0 THEN substr(encode(sha256(('reset' || i)::bytea), 'hex'), 1, 20) END,
       CASE WHEN i % 13 = 0 THEN (pg_temp.ts('reset' || i))::timestamp END,
       CASE WHEN i % 4 = 0 THEN (pg_temp.ts('remember' || i))::timestamp END,
       pg_temp.h('signins' || i) % 140,
       (pg_temp.ts('cur' || i))::timestamp, (pg_temp.ts('last' || i))::timestamp,
       pg_temp.ipv4('cur' || i)::inet, pg_temp.ipv4('last' || i)::inet,
       CASE WHEN i % 29 = 0 THEN 'Zk' || substr(md5('confirm' || i), 1, 18) END,
       CASE WHEN i % 29 <> 0 THEN (pg_temp.ts('confirmed' || i))::timestamp END,
       pg_temp.first_name('user' || i), pg_temp.last_name('user' || i),
       CASE WHEN i % 5 <> 0 THEN pg_temp.phone('user' || i) END,
       CASE WHEN i % 3 = 0 THEN date '1950-01-01' + pg_temp.h('dob' || i) % 20000 END,
       i <= 3,
       (pg_temp.ts('ucreated' || i))::timestamp, (pg_temp.ts('ucreated' || i) + interval '3 days')::timestamp
FROM generate_series(1, 1500) AS i ORDER BY i;

INSERT INTO public.companies (name, website, vat_number, created_at, updated_at)
SELECT name, 'https://www.' || domain, CASE WHEN n % 3 = 0 THEN 'DE' || pg_temp.digits('vat' || n, 9) END,
       (pg_temp.ts('co' || n))::timestamp, (pg_temp.ts('co' || n))::timestamp
FROM pg_temp.companies ORDER BY n;

-- polymorphic: most addresses belong to users, some to companies
INSERT INTO public.addresses (addressable_type, addressable_id, kind, recipient_name, line1, line2, city, state,
    postal_code, country_code, created_at, updated_at)
SELECT CASE WHEN i <= 1800 THEN 'User' ELSE 'Company' END,
       CASE WHEN i <= 1800 THEN 1 + (i - 1) % 1500 ELSE 1 + (i - 1801) % 30 END,
       CASE WHEN i % 4 = 0 THEN 'billing' ELSE 'shipping' END,
       CASE WHEN i <= 1800 THEN pg_temp.full_name('user' || (1 + (i - 1) % 1500)) ELSE 'Accounts Payable' END,
       pg_temp.street('addr' || i),
       CASE WHEN pg_temp.h('l2' || i) % 6 = 0 THEN 'Suite ' || (100 + pg_temp.h('suite' || i) % 900) END,
       pg_temp.city('addr' || i), pg_temp.region('addr' || i),
       pg_temp.postal('addr' || i), pg_temp.cc('addr' || i),
       (pg_temp.ts('acreated' || i))::timestamp, (pg_temp.ts('acreated' || i))::timestamp
FROM generate_series(1, 1830) AS i ORDER BY i;

INSERT INTO public.products (name, sku, description, price_cents, price_currency, created_at, updated_at)
SELECT pg_temp.pick(ARRAY['Classic','Organic','Deluxe','Everyday','Vintage','Premium','Compact','Travel','Heavy-Duty','Smart'], 'pa' || i)
       || ' ' || pg_temp.pick(ARRAY['Cotton','Bamboo','Ceramic','Leather','Steel','Oak','Wool','Linen','Glass','Copper'], 'pb' || i)
       || ' ' || pg_temp.pick(ARRAY['Mug','Backpack','Throw Blanket','Desk Lamp','Notebook','Water Bottle','Tote Bag','Cutting Board','Scarf','Plant Pot'], 'pc' || i),
       'SKU-' || lpad(i::text, 5, '0') || '-' || upper(substr(md5('sku' || i), 1, 3)),
       'Made to last. Ships in recycled packaging. Care: ' || pg_temp.pick(ARRAY['hand wash only','machine washable','wipe clean','dishwasher safe'], 'pd' || i) || '.',
       500 + pg_temp.h('price' || i) % 15000, 'USD',
       (pg_temp.ts('pcreated' || i))::timestamp, (pg_temp.ts('pcreated' || i))::timestamp
FROM generate_series(1, 300) AS i ORDER BY i;

INSERT INTO public.orders (user_id, number, status, total_cents, currency, shipping_address_id, billing_address_id,
    gift_message, customer_note, placed_at, created_at, updated_at)
SELECT u, 'R' || lpad((100000000 + i * 7919)::text, 9, '0'), pg_temp.h('st' || i) % 5,
       0, 'USD', 1 + (u - 1), CASE WHEN i % 3 = 0 THEN 1 + (u - 1) END,
       CASE WHEN i % 11 = 0 THEN 'Happy birthday ' || pg_temp.first_name('gift' || i) || '! Love, ' || pg_temp.first_name('user' || u) END,
       CASE pg_temp.h('note' || i) % 9
         WHEN 0 THEN 'Please call me at ' || pg_temp.phone('user' || u) || ' before delivery.'
         WHEN 1 THEN 'Leave with the neighbour at ' || pg_temp.street('nb' || i) || ' if nobody is home.'
         WHEN 2 THEN 'Send the invoice to ' || pg_temp.email('acct' || i) || ', not to me.'
         WHEN 3 THEN 'Gate code 4' || pg_temp.digits('gate' || i, 3) || '#, ring twice.'
         END,
       (pg_temp.ts('placed' || i))::timestamp, (pg_temp.ts('placed' || i))::timestamp, (pg_temp.ts('placed' || i) + interval '2 hours')::timestamp
FROM generate_series(1, 4000) AS i, LATERAL (SELECT 1 + pg_temp.h('ou' || i) % 1500 AS u) x ORDER BY i;

INSERT INTO public.order_items (order_id, product_id, quantity, unit_price_cents, created_at, updated_at)
SELECT o, 1 + pg_temp.h('oip' || o || '/' || k) % 300, 1 + pg_temp.h('oiq' || o || '/' || k) % 3,
       500 + pg_temp.h('price' || (1 + pg_temp.h('oip' || o || '/' || k) % 300)) % 15000,
       (pg_temp.ts('placed' || o))::timestamp, (pg_temp.ts('placed' || o))::timestamp
FROM generate_series(1, 4000) AS o, generate_series(1, 3) AS k
WHERE k = 1 OR pg_temp.h('oin' || o) % 3 >= k - 1
ORDER BY o, k;

-- the totals, set without firing the updated_at trigger (as a data migration would with update_columns)
ALTER TABLE public.orders DISABLE TRIGGER orders_set_updated_at;
UPDATE public.orders o SET total_cents = s.total FROM (SELECT order_id, sum(quantity * unit_price_cents) AS total FROM public.order_items GROUP BY order_id) s WHERE s.order_id = o.id;
ALTER TABLE public.orders ENABLE TRIGGER orders_set_updated_at;

INSERT INTO public.comments (commentable_type, commentable_id, user_id, body, created_at, updated_at)
SELECT CASE WHEN i % 3 = 0 THEN 'Order' ELSE 'Product' END,
       CASE WHEN i % 3 = 0 THEN 1 + pg_temp.h('co' || i) % 4000 ELSE 1 + pg_temp.h('cp' || i) % 300 END,
       CASE WHEN i % 10 <> 0 THEN 1 + pg_temp.h('cu' || i) % 1500 END,
       CASE pg_temp.h('cb' || i) % 6
         WHEN 0 THEN 'Great quality, arrived quickly. Would buy again.'
         WHEN 1 THEN 'The color is a bit darker than in the photos.'
         WHEN 2 THEN 'Support (thanks ' || pg_temp.first_name('agent' || i) || '!) replaced it within a week.'
         WHEN 3 THEN 'Customer called from ' || pg_temp.phone('cc' || i) || ' about a missing item; reshipped.'
         WHEN 4 THEN 'Refund requested by ' || pg_temp.email('cr' || i) || ' - approved.'
         ELSE 'Wrong size, exchanged for a larger one.' END,
       (pg_temp.ts('cc' || i))::timestamp, (pg_temp.ts('cc' || i))::timestamp
FROM generate_series(1, 2500) AS i ORDER BY i;

INSERT INTO public.active_storage_blobs (key, filename, content_type, metadata, service_name, byte_size, checksum, created_at)
SELECT substr(translate(encode(sha256(('blob' || i)::bytea), 'base64'), '+/=', 'xyz'), 1, 28),
       CASE i % 4
         WHEN 0 THEN 'avatar.jpg'
         WHEN 1 THEN 'IMG_' || (1000 + pg_temp.h('img' || i) % 9000) || '.HEIC'
         WHEN 2 THEN 'resume-' || pg_temp.first_slug('user' || i) || '-' || pg_temp.last_slug('user' || i) || '.pdf'
         ELSE 'receipt_' || to_char(pg_temp.ts('rc' || i), 'YYYY-MM-DD') || '.png' END,
       CASE i % 4 WHEN 0 THEN 'image/jpeg' WHEN 1 THEN 'image/heic' WHEN 2 THEN 'application/pdf' ELSE 'image/png' END,
       '{"identified":true,"width":' || (200 + pg_temp.h('w' || i) % 3000) || ',"height":' || (200 + pg_temp.h('hh' || i) % 3000) || ',"analyzed":true}',
       'amazon', 20000 + pg_temp.h('size' || i) % 4000000,
       encode(decode(md5('blobsum' || i), 'hex'), 'base64'),
       (pg_temp.ts('blob' || i))::timestamp
FROM generate_series(1, 800) AS i ORDER BY i;

INSERT INTO public.active_storage_attachments (name, record_type, record_id, blob_id, created_at)
SELECT CASE i % 4 WHEN 0 THEN 'avatar' WHEN 2 THEN 'resume' ELSE 'photos' END,
       CASE i % 4 WHEN 3 THEN 'Order' ELSE 'User' END,
       CASE i % 4 WHEN 3 THEN 1 + pg_temp.h('ar' || i) % 4000 ELSE i END,
       i AS blob_id, (pg_temp.ts('blob' || i))::timestamp
FROM generate_series(1, 800) AS i ORDER BY blob_id;

-- PaperTrail: YAML of the previous state
INSERT INTO public.versions (item_type, item_id, event, whodunnit, object, created_at)
SELECT 'User', u, CASE WHEN i % 7 = 0 THEN 'destroy' ELSE 'update' END,
       CASE WHEN i % 5 = 0 THEN NULL ELSE (1 + pg_temp.h('who' || i) % 3)::text END,
       E'---\nid: ' || u || E'\nemail: ' || pg_temp.unique_email('user' || u, u)
         || E'\nfirst_name: ' || pg_temp.first_slug('user' || u) || E'\nlast_name: ' || pg_temp.last_slug('user' || u)
         || E'\nphone: ''' || pg_temp.phone('old' || i) || E'''\nsign_in_count: ' || (pg_temp.h('sc' || i) % 50)
         || E'\nupdated_at: ' || to_char(pg_temp.ts('v' || i), 'YYYY-MM-DD HH24:MI:SS.US') || E' Z\n',
       (pg_temp.ts('v' || i))::timestamp
FROM generate_series(1, 1200) AS i, LATERAL (SELECT 1 + pg_temp.h('vu' || i) % 1500 AS u) x ORDER BY i;

ALTER TABLE ONLY public.orders ADD CONSTRAINT fk_rails_f868b47f6a FOREIGN KEY (user_id) REFERENCES public.users(id);
ALTER TABLE ONLY public.orders ADD CONSTRAINT fk_rails_shipping FOREIGN KEY (shipping_address_id) REFERENCES public.addresses(id);
ALTER TABLE ONLY public.orders ADD CONSTRAINT fk_rails_billing FOREIGN KEY (billing_address_id) REFERENCES public.addresses(id);
ALTER TABLE ONLY public.order_items ADD CONSTRAINT fk_rails_e3cb28f071 FOREIGN KEY (order_id) REFERENCES public.orders(id);
ALTER TABLE ONLY public.order_items ADD CONSTRAINT fk_rails_f1a29ddd47 FOREIGN KEY (product_id) REFERENCES public.products(id);
ALTER TABLE ONLY public.comments ADD CONSTRAINT fk_rails_03de2dc08c FOREIGN KEY (user_id) REFERENCES public.users(id);
ALTER TABLE ONLY public.active_storage_attachments ADD CONSTRAINT fk_rails_c3b3935057 FOREIGN KEY (blob_id) REFERENCES public.active_storage_blobs(id);

COMMIT;
