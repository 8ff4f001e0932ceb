-- WordPress 6.4 + WooCommerce 8.4 (HPOS order tables) shop "Lumen Optics", first run on
-- MySQL 8 (InnoDB, utf8mb4) and moved to PostgreSQL with a dump converter and hand fixes, so it
-- keeps MySQL habits: every AUTO_INCREMENT became a free-standing CREATE SEQUENCE with a
-- DEFAULT nextval(...) that is NOT OWNED BY its column, set past max(id) at the end (MySQL's
-- counter ran ahead after deleted auto-drafts); `bigint(20) unsigned` keys are bigint with
-- CHECK (col >= 0), every other `bigint unsigned` column is numeric(20,0) (the converter's safe
-- mapping); tinyint is smallint, tinyint(1) flags with CHECK (col IN (0, 1)), tinyint unsigned
-- with CHECK (col >= 0); MySQL's mixed-case column names are quoted, so they keep their case ("ID",
-- "comment_ID", "comment_post_ID", "comment_author_IP"); index names got the table as prefix;
-- `NOT NULL DEFAULT ''` everywhere; '0000-00-00 00:00:00' dates became NULL (drafts'
-- post_date_gmt, comments imported from Disqus); no foreign keys (WordPress declares none).
-- Key/value stores everywhere: wp_options (site settings, PHP-serialized arrays, the admin's
-- e-mail), wp_usermeta (names, bios, WooCommerce billing and shipping addresses, serialized
-- session tokens with IP and user agent), wp_postmeta (product prices, SKUs, image metadata:
-- not personal), wp_commentmeta (ratings, Akismet's serialized copy of the submitted comment),
-- wp_wc_orders_meta (Stripe customer ids, order attribution with the user agent, the address
-- search index) and wp_woocommerce_order_itemmeta (quantities and totals, engraving texts and
-- gift-card recipients). Guest comments carry name, e-mail, URL, IP and user agent; order notes
-- are comments too. HPOS orders keep their id from a placeholder post (type
-- shop_order_placehold), so wp_wc_orders.id has no default. The catalog (products, variations,
-- terms, coupons, Action Scheduler's queue) and the shop's own address and e-mail are not
-- personal.
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
    'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36'], 'ua:' || seed) $$;
-- ---------------------------------------------------------------------------
-- base64 without line breaks; random-looking [A-Za-z0-9] strings; json_encode-style compact JSON
CREATE FUNCTION pg_temp.b64(t text) RETURNS text LANGUAGE sql IMMUTABLE
  AS $$ SELECT replace(encode(convert_to(t, 'UTF8'), 'base64'), E'\n', '') $$;
CREATE FUNCTION pg_temp.alnum(seed text, n integer) RETURNS text LANGUAGE sql IMMUTABLE
  AS $$ SELECT substr(replace(translate(encode(sha256(convert_to(seed, 'UTF8')) || sha256(convert_to(seed || '#', 'UTF8')), 'base64'), '+/=', 'kQz'), E'\n', ''), 1, n) $$;
CREATE FUNCTION pg_temp.compact(j json) RETURNS text LANGUAGE sql IMMUTABLE
  AS $$ SELECT replace(replace(j::text, ' : ', ':'), ', "', ',"') $$;
-- PHP serialize() of a string: s:<bytes>:"...";
CREATE FUNCTION pg_temp.php_s(t text) RETURNS text LANGUAGE sql IMMUTABLE
  AS $$ SELECT 's:' || octet_length(t) || ':"' || t || '";' $$;
CREATE FUNCTION pg_temp.uuid(seed text) RETURNS uuid LANGUAGE sql IMMUTABLE
  AS $$ SELECT (substr(md5(seed), 1, 12) || '4' || substr(md5(seed), 14, 3) || 'a' || substr(md5(seed), 18, 15))::uuid $$;
CREATE FUNCTION pg_temp.ts0(seed text) RETURNS timestamp LANGUAGE sql IMMUTABLE
  AS $$ SELECT date_trunc('second', (pg_temp.ts(seed) AT TIME ZONE 'UTC')) $$;

-- phpass portable hashes as WordPress writes them: $P$B + 31 characters of ./0-9A-Za-z
CREATE FUNCTION pg_temp.phpass(seed text) RETURNS text LANGUAGE sql IMMUTABLE
  AS $$ SELECT '$P$B' || translate(pg_temp.alnum('phpass' || seed, 31), 'kQz', './Z') $$;
CREATE FUNCTION pg_temp.hex(seed text, n integer) RETURNS text LANGUAGE sql IMMUTABLE
  AS $$ SELECT substr(encode(sha256(convert_to(seed, 'UTF8')), 'hex') || encode(sha256(convert_to(seed || '#', 'UTF8')), 'hex'), 1, n) $$;
CREATE FUNCTION pg_temp.php_i(i bigint) RETURNS text LANGUAGE sql IMMUTABLE
  AS $$ SELECT 'i:' || i || ';' $$;
-- an IPv4 or, one time in five, an IPv6 address
CREATE FUNCTION pg_temp.ip(seed text) RETURNS text LANGUAGE sql IMMUTABLE
  AS $$ SELECT CASE WHEN pg_temp.h('v6:' || seed) % 5 = 0
    THEN '2a02:' || substr(md5('v6a' || seed), 1, 4) || ':' || substr(md5('v6b' || seed), 1, 4) || ':' || ltrim(substr(md5('v6c' || seed), 1, 4), '0') || '::' || ltrim(substr(md5('v6d' || seed), 1, 3), '0') || '1'
    ELSE pg_temp.ipv4(seed) END $$;
CREATE FUNCTION pg_temp.wpts(seed text) RETURNS timestamp LANGUAGE sql IMMUTABLE
  AS $$ SELECT timestamp '2022-01-01 00:00:00' + make_interval(secs => pg_temp.h('wpts:' || seed) % 78796800) $$;

BEGIN;

-- MySQL AUTO_INCREMENT counters, created on their own (not OWNED BY a column)
CREATE SEQUENCE public.wp_options_option_id_seq START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;
CREATE SEQUENCE public.wp_users_id_seq START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;
CREATE SEQUENCE public.wp_usermeta_umeta_id_seq START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;
CREATE SEQUENCE public.wp_posts_id_seq START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;
CREATE SEQUENCE public.wp_postmeta_meta_id_seq START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;
CREATE SEQUENCE public.wp_comments_comment_id_seq START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;
CREATE SEQUENCE public.wp_commentmeta_meta_id_seq START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;
CREATE SEQUENCE public.wp_terms_term_id_seq START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;
CREATE SEQUENCE public.wp_term_taxonomy_term_taxonomy_id_seq START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;
CREATE SEQUENCE public.wp_termmeta_meta_id_seq START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;
CREATE SEQUENCE public.wp_wc_order_addresses_id_seq START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;
CREATE SEQUENCE public.wp_wc_order_operational_data_id_seq START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;
CREATE SEQUENCE public.wp_wc_orders_meta_id_seq START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;
CREATE SEQUENCE public.wp_woocommerce_order_items_order_item_id_seq START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;
CREATE SEQUENCE public.wp_woocommerce_order_itemmeta_meta_id_seq START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;
CREATE SEQUENCE public.wp_woocommerce_sessions_session_id_seq START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;
CREATE SEQUENCE public.wp_wc_customer_lookup_customer_id_seq START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;
CREATE SEQUENCE public.wp_woocommerce_api_keys_key_id_seq START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;
CREATE SEQUENCE public.wp_woocommerce_downloadable_product_permissions_permission_id_seq START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;
CREATE SEQUENCE public.wp_wc_download_log_download_log_id_seq START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;
CREATE SEQUENCE public.wp_actionscheduler_actions_action_id_seq START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;
CREATE SEQUENCE public.wp_actionscheduler_logs_log_id_seq START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;

CREATE TABLE public.wp_options (
    option_id bigint DEFAULT nextval('public.wp_options_option_id_seq'::regclass) NOT NULL CHECK (option_id >= 0),
    option_name character varying(191) DEFAULT ''::character varying NOT NULL,
    option_value text NOT NULL,
    autoload character varying(20) DEFAULT 'yes'::character varying NOT NULL,
    CONSTRAINT wp_options_pkey PRIMARY KEY (option_id)
);
CREATE UNIQUE INDEX wp_options_option_name ON public.wp_options USING btree (option_name);
CREATE INDEX wp_options_autoload ON public.wp_options USING btree (autoload);

CREATE TABLE public.wp_users (
    "ID" bigint DEFAULT nextval('public.wp_users_id_seq'::regclass) NOT NULL CHECK ("ID" >= 0),
    user_login character varying(60) DEFAULT ''::character varying NOT NULL,
    user_pass character varying(255) DEFAULT ''::character varying NOT NULL,
    user_nicename character varying(50) DEFAULT ''::character varying NOT NULL,
    user_email character varying(100) DEFAULT ''::character varying NOT NULL,
    user_url character varying(100) DEFAULT ''::character varying NOT NULL,
    user_registered timestamp without time zone,
    user_activation_key character varying(255) DEFAULT ''::character varying NOT NULL,
    user_status integer DEFAULT 0 NOT NULL,
    display_name character varying(250) DEFAULT ''::character varying NOT NULL,
    CONSTRAINT wp_users_pkey PRIMARY KEY ("ID")
);
CREATE INDEX wp_users_user_login_key ON public.wp_users USING btree (user_login);
CREATE INDEX wp_users_user_nicename ON public.wp_users USING btree (user_nicename);
CREATE INDEX wp_users_user_email ON public.wp_users USING btree (user_email);

CREATE TABLE public.wp_usermeta (
    umeta_id bigint DEFAULT nextval('public.wp_usermeta_umeta_id_seq'::regclass) NOT NULL CHECK (umeta_id >= 0),
    user_id numeric(20,0) DEFAULT 0 NOT NULL,
    meta_key character varying(255),
    meta_value text,
    CONSTRAINT wp_usermeta_pkey PRIMARY KEY (umeta_id)
);
CREATE INDEX wp_usermeta_user_id ON public.wp_usermeta USING btree (user_id);
CREATE INDEX wp_usermeta_meta_key ON public.wp_usermeta USING btree (meta_key);

CREATE TABLE public.wp_posts (
    "ID" bigint DEFAULT nextval('public.wp_posts_id_seq'::regclass) NOT NULL CHECK ("ID" >= 0),
    post_author numeric(20,0) DEFAULT 0 NOT NULL,
    post_date timestamp without time zone NOT NULL,
    post_date_gmt timestamp without time zone,
    post_content text NOT NULL,
    post_title text NOT NULL,
    post_excerpt text NOT NULL,
    post_status character varying(20) DEFAULT 'publish'::character varying NOT NULL,
    comment_status character varying(20) DEFAULT 'open'::character varying NOT NULL,
    ping_status character varying(20) DEFAULT 'open'::character varying NOT NULL,
    post_password character varying(255) DEFAULT ''::character varying NOT NULL,
    post_name character varying(200) DEFAULT ''::character varying NOT NULL,
    to_ping text NOT NULL,
    pinged text NOT NULL,
    post_modified timestamp without time zone NOT NULL,
    post_modified_gmt timestamp without time zone,
    post_content_filtered text NOT NULL,
    post_parent numeric(20,0) DEFAULT 0 NOT NULL,
    guid character varying(255) DEFAULT ''::character varying NOT NULL,
    menu_order integer DEFAULT 0 NOT NULL,
    post_type character varying(20) DEFAULT 'post'::character varying NOT NULL,
    post_mime_type character varying(100) DEFAULT ''::character varying NOT NULL,
    comment_count bigint DEFAULT 0 NOT NULL,
    CONSTRAINT wp_posts_pkey PRIMARY KEY ("ID")
);
CREATE INDEX wp_posts_post_name ON public.wp_posts USING btree (post_name);
CREATE INDEX wp_posts_type_status_date ON public.wp_posts USING btree (post_type, post_status, post_date, "ID");
CREATE INDEX wp_posts_post_parent ON public.wp_posts USING btree (post_parent);
CREATE INDEX wp_posts_post_author ON public.wp_posts USING btree (post_author);

CREATE TABLE public.wp_postmeta (
    meta_id bigint DEFAULT nextval('public.wp_postmeta_meta_id_seq'::regclass) NOT NULL CHECK (meta_id >= 0),
    post_id numeric(20,0) DEFAULT 0 NOT NULL,
    meta_key character varying(255),
    meta_value text,
    CONSTRAINT wp_postmeta_pkey PRIMARY KEY (meta_id)
);
CREATE INDEX wp_postmeta_post_id ON public.wp_postmeta USING btree (post_id);
CREATE INDEX wp_postmeta_meta_key ON public.wp_postmeta USING btree (meta_key);

CREATE TABLE public.wp_comments (
    "comment_ID" bigint DEFAULT nextval('public.wp_comments_comment_id_seq'::regclass) NOT NULL CHECK ("comment_ID" >= 0),
    "comment_post_ID" numeric(20,0) DEFAULT 0 NOT NULL,
    comment_author text NOT NULL,
    comment_author_email character varying(100) DEFAULT ''::character varying NOT NULL,
    comment_author_url character varying(200) DEFAULT ''::character varying NOT NULL,
    "comment_author_IP" character varying(100) DEFAULT ''::character varying NOT NULL,
    comment_date timestamp without time zone NOT NULL,
    comment_date_gmt timestamp without time zone,
    comment_content text NOT NULL,
    comment_karma integer DEFAULT 0 NOT NULL,
    comment_approved character varying(20) DEFAULT '1'::character varying NOT NULL,
    comment_agent character varying(255) DEFAULT ''::character varying NOT NULL,
    comment_type character varying(20) DEFAULT 'comment'::character varying NOT NULL,
    comment_parent numeric(20,0) DEFAULT 0 NOT NULL,
    user_id numeric(20,0) DEFAULT 0 NOT NULL,
    CONSTRAINT wp_comments_pkey PRIMARY KEY ("comment_ID")
);
CREATE INDEX "wp_comments_comment_post_ID" ON public.wp_comments USING btree ("comment_post_ID");
CREATE INDEX wp_comments_comment_approved_date_gmt ON public.wp_comments USING btree (comment_approved, comment_date_gmt);
CREATE INDEX wp_comments_comment_parent ON public.wp_comments USING btree (comment_parent);
CREATE INDEX wp_comments_comment_author_email ON public.wp_comments USING btree (comment_author_email);
CREATE INDEX wp_comments_woo_idx_comment_type ON public.wp_comments USING btree (comment_type);

CREATE TABLE public.wp_commentmeta (
    meta_id bigint DEFAULT nextval('public.wp_commentmeta_meta_id_seq'::regclass) NOT NULL CHECK (meta_id >= 0),
    comment_id numeric(20,0) DEFAULT 0 NOT NULL,
    meta_key character varying(255),
    meta_value text,
    CONSTRAINT wp_commentmeta_pkey PRIMARY KEY (meta_id)
);
CREATE INDEX wp_commentmeta_comment_id ON public.wp_commentmeta USING btree (comment_id);
CREATE INDEX wp_commentmeta_meta_key ON public.wp_commentmeta USING btree (meta_key);

CREATE TABLE public.wp_terms (
    term_id bigint DEFAULT nextval('public.wp_terms_term_id_seq'::regclass) NOT NULL CHECK (term_id >= 0),
    name character varying(200) DEFAULT ''::character varying NOT NULL,
    slug character varying(200) DEFAULT ''::character varying NOT NULL,
    term_group bigint DEFAULT 0 NOT NULL,
    CONSTRAINT wp_terms_pkey PRIMARY KEY (term_id)
);
CREATE INDEX wp_terms_slug ON public.wp_terms USING btree (slug);
CREATE INDEX wp_terms_name ON public.wp_terms USING btree (name);

CREATE TABLE public.wp_term_taxonomy (
    term_taxonomy_id bigint DEFAULT nextval('public.wp_term_taxonomy_term_taxonomy_id_seq'::regclass) NOT NULL CHECK (term_taxonomy_id >= 0),
    term_id numeric(20,0) DEFAULT 0 NOT NULL,
    taxonomy character varying(32) DEFAULT ''::character varying NOT NULL,
    description text NOT NULL,
    parent numeric(20,0) DEFAULT 0 NOT NULL,
    count bigint DEFAULT 0 NOT NULL,
    CONSTRAINT wp_term_taxonomy_pkey PRIMARY KEY (term_taxonomy_id)
);
CREATE UNIQUE INDEX wp_term_taxonomy_term_id_taxonomy ON public.wp_term_taxonomy USING btree (term_id, taxonomy);

CREATE TABLE public.wp_term_relationships (
    object_id numeric(20,0) DEFAULT 0 NOT NULL,
    term_taxonomy_id numeric(20,0) DEFAULT 0 NOT NULL,
    term_order integer DEFAULT 0 NOT NULL,
    CONSTRAINT wp_term_relationships_pkey PRIMARY KEY (object_id, term_taxonomy_id)
);
CREATE INDEX wp_term_relationships_term_taxonomy_id ON public.wp_term_relationships USING btree (term_taxonomy_id);

CREATE TABLE public.wp_termmeta (
    meta_id bigint DEFAULT nextval('public.wp_termmeta_meta_id_seq'::regclass) NOT NULL CHECK (meta_id >= 0),
    term_id numeric(20,0) DEFAULT 0 NOT NULL,
    meta_key character varying(255),
    meta_value text,
    CONSTRAINT wp_termmeta_pkey PRIMARY KEY (meta_id)
);
CREATE INDEX wp_termmeta_term_id ON public.wp_termmeta USING btree (term_id);

-- WooCommerce High-Performance Order Storage: the id is the placeholder post's "ID"
CREATE TABLE public.wp_wc_orders (
    id numeric(20,0) NOT NULL,
    status character varying(20),
    currency character varying(10),
    type character varying(20),
    tax_amount numeric(26,8),
    total_amount numeric(26,8),
    customer_id numeric(20,0),
    billing_email character varying(320),
    date_created_gmt timestamp without time zone,
    date_updated_gmt timestamp without time zone,
    parent_order_id numeric(20,0),
    payment_method character varying(100),
    payment_method_title text,
    transaction_id character varying(100),
    ip_address character varying(100),
    user_agent text,
    customer_note text,
    CONSTRAINT wp_wc_orders_pkey PRIMARY KEY (id)
);
CREATE INDEX wp_wc_orders_status ON public.wp_wc_orders USING btree (status);
CREATE INDEX wp_wc_orders_date_created ON public.wp_wc_orders USING btree (date_created_gmt);
CREATE INDEX wp_wc_orders_customer_id_billing_email ON public.wp_wc_orders USING btree (customer_id, billing_email);
CREATE INDEX wp_wc_orders_billing_email ON public.wp_wc_orders USING btree (billing_email);
CREATE INDEX wp_wc_orders_type_status_date ON public.wp_wc_orders USING btree (type, status, date_created_gmt);
CREATE INDEX wp_wc_orders_parent_order_id ON public.wp_wc_orders USING btree (parent_order_id);

CREATE TABLE public.wp_wc_order_addresses (
    id bigint DEFAULT nextval('public.wp_wc_order_addresses_id_seq'::regclass) NOT NULL CHECK (id >= 0),
    order_id numeric(20,0) NOT NULL,
    address_type character varying(20),
    first_name text,
    last_name text,
    company text,
    address_1 text,
    address_2 text,
    city text,
    state text,
    postcode text,
    country text,
    email character varying(320),
    phone character varying(100),
    CONSTRAINT wp_wc_order_addresses_pkey PRIMARY KEY (id)
);
CREATE UNIQUE INDEX wp_wc_order_addresses_address_type_order_id ON public.wp_wc_order_addresses USING btree (address_type, order_id);
CREATE INDEX wp_wc_order_addresses_order_id ON public.wp_wc_order_addresses USING btree (order_id);
CREATE INDEX wp_wc_order_addresses_email ON public.wp_wc_order_addresses USING btree (email);
CREATE INDEX wp_wc_order_addresses_phone ON public.wp_wc_order_addresses USING btree (phone);

CREATE TABLE public.wp_wc_order_operational_data (
    id bigint DEFAULT nextval('public.wp_wc_order_operational_data_id_seq'::regclass) NOT NULL CHECK (id >= 0),
    order_id numeric(20,0),
    created_via character varying(100),
    woocommerce_version character varying(20),
    prices_include_tax smallint CHECK (prices_include_tax IN (0, 1)),
    coupon_usages_are_counted smallint CHECK (coupon_usages_are_counted IN (0, 1)),
    download_permission_granted smallint CHECK (download_permission_granted IN (0, 1)),
    cart_hash character varying(100),
    new_order_email_sent smallint CHECK (new_order_email_sent IN (0, 1)),
    order_key character varying(100),
    order_stock_reduced smallint CHECK (order_stock_reduced IN (0, 1)),
    date_paid_gmt timestamp without time zone,
    date_completed_gmt timestamp without time zone,
    shipping_tax_amount numeric(26,8),
    shipping_total_amount numeric(26,8),
    discount_tax_amount numeric(26,8),
    discount_total_amount numeric(26,8),
    recorded_sales smallint CHECK (recorded_sales IN (0, 1)),
    CONSTRAINT wp_wc_order_operational_data_pkey PRIMARY KEY (id)
);
CREATE UNIQUE INDEX wp_wc_order_operational_data_order_id ON public.wp_wc_order_operational_data USING btree (order_id);
CREATE INDEX wp_wc_order_operational_data_order_key ON public.wp_wc_order_operational_data USING btree (order_key);

CREATE TABLE public.wp_wc_orders_meta (
    id bigint DEFAULT nextval('public.wp_wc_orders_meta_id_seq'::regclass) NOT NULL CHECK (id >= 0),
    order_id numeric(20,0),
    meta_key character varying(255),
    meta_value text,
    CONSTRAINT wp_wc_orders_meta_pkey PRIMARY KEY (id)
);
CREATE INDEX wp_wc_orders_meta_meta_key_value ON public.wp_wc_orders_meta USING btree (meta_key, left(meta_value, 82));
CREATE INDEX wp_wc_orders_meta_order_id_meta_key_meta_value ON public.wp_wc_orders_meta USING btree (order_id, meta_key, left(meta_value, 100));

CREATE TABLE public.wp_woocommerce_order_items (
    order_item_id bigint DEFAULT nextval('public.wp_woocommerce_order_items_order_item_id_seq'::regclass) NOT NULL CHECK (order_item_id >= 0),
    order_item_name text NOT NULL,
    order_item_type character varying(200) DEFAULT ''::character varying NOT NULL,
    order_id numeric(20,0) NOT NULL,
    CONSTRAINT wp_woocommerce_order_items_pkey PRIMARY KEY (order_item_id)
);
CREATE INDEX wp_woocommerce_order_items_order_id ON public.wp_woocommerce_order_items USING btree (order_id);

CREATE TABLE public.wp_woocommerce_order_itemmeta (
    meta_id bigint DEFAULT nextval('public.wp_woocommerce_order_itemmeta_meta_id_seq'::regclass) NOT NULL CHECK (meta_id >= 0),
    order_item_id numeric(20,0) NOT NULL,
    meta_key character varying(255),
    meta_value text,
    CONSTRAINT wp_woocommerce_order_itemmeta_pkey PRIMARY KEY (meta_id)
);
CREATE INDEX wp_woocommerce_order_itemmeta_order_item_id ON public.wp_woocommerce_order_itemmeta USING btree (order_item_id);
CREATE INDEX wp_woocommerce_order_itemmeta_meta_key ON public.wp_woocommerce_order_itemmeta USING btree (meta_key);

CREATE TABLE public.wp_woocommerce_sessions (
    session_id bigint DEFAULT nextval('public.wp_woocommerce_sessions_session_id_seq'::regclass) NOT NULL CHECK (session_id >= 0),
    session_key character(32) NOT NULL,
    session_value text NOT NULL,
    session_expiry numeric(20,0) NOT NULL,
    CONSTRAINT wp_woocommerce_sessions_pkey PRIMARY KEY (session_id)
);
CREATE UNIQUE INDEX wp_woocommerce_sessions_session_key ON public.wp_woocommerce_sessions USING btree (session_key);

CREATE TABLE public.wp_wc_customer_lookup (
    customer_id bigint DEFAULT nextval('public.wp_wc_customer_lookup_customer_id_seq'::regclass) NOT NULL CHECK (customer_id >= 0),
    user_id numeric(20,0),
    username character varying(60) DEFAULT ''::character varying NOT NULL,
    first_name character varying(255) NOT NULL,
    last_name character varying(255) NOT NULL,
    email character varying(100),
    date_last_active timestamp without time zone,
    date_registered timestamp without time zone,
    country character(2) DEFAULT ''::bpchar NOT NULL,
    postcode character varying(20) DEFAULT ''::character varying NOT NULL,
    city character varying(100) DEFAULT ''::character varying NOT NULL,
    state character varying(100) DEFAULT ''::character varying NOT NULL,
    CONSTRAINT wp_wc_customer_lookup_pkey PRIMARY KEY (customer_id)
);
CREATE UNIQUE INDEX wp_wc_customer_lookup_user_id ON public.wp_wc_customer_lookup USING btree (user_id);
CREATE INDEX wp_wc_customer_lookup_email ON public.wp_wc_customer_lookup USING btree (email);

CREATE TABLE public.wp_woocommerce_api_keys (
    key_id bigint DEFAULT nextval('public.wp_woocommerce_api_keys_key_id_seq'::regclass) NOT NULL CHECK (key_id >= 0),
    user_id numeric(20,0) NOT NULL,
    description character varying(200),
    permissions character varying(10) NOT NULL,
    consumer_key character(64) NOT NULL,
    consumer_secret character(43) NOT NULL,
    nonces text,
    truncated_key character(7) NOT NULL,
    last_access timestamp without time zone,
    CONSTRAINT wp_woocommerce_api_keys_pkey PRIMARY KEY (key_id)
);
CREATE INDEX wp_woocommerce_api_keys_consumer_key ON public.wp_woocommerce_api_keys USING btree (consumer_key);
CREATE INDEX wp_woocommerce_api_keys_consumer_secret ON public.wp_woocommerce_api_keys USING btree (consumer_secret);

CREATE TABLE public.wp_woocommerce_downloadable_product_permissions (
    permission_id bigint DEFAULT nextval('public.wp_woocommerce_downloadable_product_permissions_permission_id_seq'::regclass) NOT NULL CHECK (permission_id >= 0),
    download_id character varying(36) NOT NULL,
    product_id numeric(20,0) NOT NULL,
    order_id numeric(20,0) DEFAULT 0 NOT NULL,
    order_key character varying(200) NOT NULL,
    user_email character varying(200) NOT NULL,
    user_id numeric(20,0),
    downloads_remaining character varying(9),
    access_granted timestamp without time zone,
    access_expires timestamp without time zone,
    download_count numeric(20,0) DEFAULT 0 NOT NULL,
    CONSTRAINT wp_woocommerce_downloadable_product_permissions_pkey PRIMARY KEY (permission_id)
);
CREATE INDEX wp_woocommerce_downloadable_product_permissions_download_order_key_product ON public.wp_woocommerce_downloadable_product_permissions USING btree (product_id, order_id, order_key, download_id);
CREATE INDEX wp_woocommerce_downloadable_product_permissions_order_id ON public.wp_woocommerce_downloadable_product_permissions USING btree (order_id);

CREATE TABLE public.wp_wc_download_log (
    download_log_id bigint DEFAULT nextval('public.wp_wc_download_log_download_log_id_seq'::regclass) NOT NULL CHECK (download_log_id >= 0),
    "timestamp" timestamp without time zone NOT NULL,
    permission_id numeric(20,0) NOT NULL,
    user_id numeric(20,0),
    user_ip_address character varying(100) DEFAULT ''::character varying,
    CONSTRAINT wp_wc_download_log_pkey PRIMARY KEY (download_log_id)
);
CREATE INDEX wp_wc_download_log_permission_id ON public.wp_wc_download_log USING btree (permission_id);
CREATE INDEX wp_wc_download_log_timestamp ON public.wp_wc_download_log USING btree ("timestamp");

CREATE TABLE public.wp_actionscheduler_actions (
    action_id bigint DEFAULT nextval('public.wp_actionscheduler_actions_action_id_seq'::regclass) NOT NULL CHECK (action_id >= 0),
    hook character varying(191) NOT NULL,
    status character varying(20) NOT NULL,
    scheduled_date_gmt timestamp without time zone,
    scheduled_date_local timestamp without time zone,
    priority smallint DEFAULT 10 NOT NULL CHECK (priority >= 0),
    args character varying(191),
    schedule text,
    group_id numeric(20,0) DEFAULT 0 NOT NULL,
    attempts integer DEFAULT 0 NOT NULL,
    last_attempt_gmt timestamp without time zone,
    last_attempt_local timestamp without time zone,
    claim_id numeric(20,0) DEFAULT 0 NOT NULL,
    extended_args character varying(8000),
    CONSTRAINT wp_actionscheduler_actions_pkey PRIMARY KEY (action_id)
);
CREATE INDEX wp_actionscheduler_actions_hook_status_scheduled_date_gmt ON public.wp_actionscheduler_actions USING btree (hook, status, scheduled_date_gmt);
CREATE INDEX wp_actionscheduler_actions_status_scheduled_date_gmt ON public.wp_actionscheduler_actions USING btree (status, scheduled_date_gmt);

CREATE TABLE public.wp_actionscheduler_logs (
    log_id bigint DEFAULT nextval('public.wp_actionscheduler_logs_log_id_seq'::regclass) NOT NULL CHECK (log_id >= 0),
    action_id numeric(20,0) NOT NULL,
    message text NOT NULL,
    log_date_gmt timestamp without time zone,
    log_date_local timestamp without time zone,
    CONSTRAINT wp_actionscheduler_logs_pkey PRIMARY KEY (log_id)
);
CREATE INDEX wp_actionscheduler_logs_action_id ON public.wp_actionscheduler_logs USING btree (action_id);

-- ---------------------------------------------------------------------------
-- Data
-- ---------------------------------------------------------------------------
-- the shop's people: five staff accounts, then 395 customers (seed 'user' || i)
CREATE TEMP TABLE people AS
SELECT i, s, first, last, email, login, display, role, phone, street, apt, city, region, cc, postal, company
FROM (
  SELECT i, 'user' || i AS s,
         CASE i WHEN 1 THEN 'Jürgen' WHEN 2 THEN 'Hannah' WHEN 3 THEN 'Sofia' WHEN 4 THEN 'Priya' WHEN 5 THEN 'Omar' ELSE pg_temp.first_name('user' || i) END AS first,
         CASE i WHEN 1 THEN 'Müller' WHEN 2 THEN 'Fischer' WHEN 3 THEN 'Costa' WHEN 4 THEN 'Patel' WHEN 5 THEN 'Haddad' ELSE pg_temp.last_name('user' || i) END AS last,
         CASE i WHEN 1 THEN 'juergen.mueller@lumenoptics.com' WHEN 2 THEN 'hannah.fischer@lumenoptics.com' WHEN 3 THEN 'sofia.costa@lumenoptics.com'
                WHEN 4 THEN 'priya@patel-webdesign.co.uk' WHEN 5 THEN 'omar.haddad@lumenoptics.com' ELSE pg_temp.unique_email('user' || i, i) END AS email,
         CASE i WHEN 1 THEN 'lumen_admin' WHEN 2 THEN 'hannah.fischer' WHEN 3 THEN 'sofia.costa' WHEN 4 THEN 'priya-dev' WHEN 5 THEN 'omar.support'
                ELSE split_part(pg_temp.unique_email('user' || i, i), '@', 1) END AS login,
         CASE WHEN i <= 5 OR i % 4 <> 0 THEN NULL END AS display,
         CASE i WHEN 1 THEN 'administrator' WHEN 2 THEN 'shop_manager' WHEN 3 THEN 'editor' WHEN 4 THEN 'administrator' WHEN 5 THEN 'shop_manager' ELSE 'customer' END AS role,
         pg_temp.phone('user' || i) AS phone, pg_temp.street('user' || i) AS street,
         CASE WHEN i % 6 = 0 THEN 'Apt ' || (1 + pg_temp.h('apt' || i) % 40) ELSE '' END AS apt,
         pg_temp.city('user' || i) AS city, pg_temp.region('user' || i) AS region, pg_temp.cc('user' || i) AS cc,
         pg_temp.postal('user' || i) AS postal,
         CASE WHEN i % 5 = 0 THEN pg_temp.company('user' || i) ELSE '' END AS company
  FROM generate_series(1, 400) AS i) p;
UPDATE people SET display = CASE WHEN i > 5 AND i % 4 = 0 THEN login ELSE first || ' ' || last END;

INSERT INTO public.wp_users ("ID", user_login, user_pass, user_nicename, user_email, user_url, user_registered,
    user_activation_key, user_status, display_name)
SELECT i, login, pg_temp.phpass(s), left(replace(replace(lower(login), '.', '-'), '_', '-'), 50), email,
       CASE WHEN i = 4 THEN 'https://patel-webdesign.co.uk'
            WHEN i > 5 AND i % 9 = 0 THEN 'https://' || pg_temp.first_slug(s) || pg_temp.last_slug(s) || '.photography' ELSE '' END,
       CASE WHEN i % 67 = 0 THEN NULL ELSE pg_temp.wpts('ureg' || i) END,
       CASE WHEN i > 5 AND i % 11 = 0 THEN extract(epoch FROM pg_temp.wpts('act' || i))::bigint || ':' || pg_temp.phpass('act' || i) ELSE '' END,
       0, display
FROM people ORDER BY i;

INSERT INTO public.wp_usermeta (user_id, meta_key, meta_value)
SELECT p.i, m.k, m.v
FROM people p,
LATERAL (VALUES
  (1, 'nickname', p.login),
  (2, 'first_name', p.first),
  (3, 'last_name', p.last),
  (4, 'description', CASE p.i
       WHEN 1 THEN 'Founder of Lumen Optics. Lens nerd since 1998.'
       WHEN 2 THEN 'Shop manager. Questions about your order? hannah.fischer@lumenoptics.com'
       WHEN 3 THEN 'Editor of the Lumen blog and landscape photographer.'
       WHEN 4 THEN 'Freelance WordPress developer - Patel Webdesign, +44 7700 900123'
       WHEN 5 THEN 'Customer support.'
       ELSE CASE p.i % 7
         WHEN 0 THEN 'Hobby photographer from ' || p.city || '. Instagram @' || pg_temp.first_slug(p.s) || '.' || pg_temp.last_slug(p.s)
         WHEN 3 THEN 'Wedding photographer, bookings: ' || p.phone
         WHEN 5 THEN 'Prefer e-mail? ' || pg_temp.email('alt' || p.s)
         ELSE '' END END),
  (5, 'rich_editing', 'true'),
  (6, 'syntax_highlighting', 'true'),
  (7, 'comment_shortcuts', 'false'),
  (8, 'admin_color', CASE WHEN p.i = 4 THEN 'midnight' ELSE 'fresh' END),
  (9, 'use_ssl', '0'),
  (10, 'show_admin_bar_front', 'true'),
  (11, 'locale', CASE WHEN p.i = 1 THEN 'de_DE' ELSE '' END),
  (12, 'wp_capabilities', 'a:1:{' || pg_temp.php_s(p.role) || 'b:1;}'),
  (13, 'wp_user_level', CASE p.role WHEN 'administrator' THEN '10' WHEN 'editor' THEN '7' ELSE '0' END),
  (14, 'dismissed_wp_pointers', CASE WHEN p.i <= 5 THEN 'wp496_privacy,theme_editor_notice' ELSE '' END),
  (15, 'session_tokens', CASE WHEN p.i <= 5 OR p.i % 4 = 1 THEN
       'a:1:{' || pg_temp.php_s(pg_temp.hex('token' || p.i, 64)) || 'a:4:{' || pg_temp.php_s('expiration') || pg_temp.php_i(1719792000 + pg_temp.h('exp' || p.i) % 1209600)
       || pg_temp.php_s('ip') || pg_temp.php_s(pg_temp.ip('sess' || p.s)) || pg_temp.php_s('ua') || pg_temp.php_s(pg_temp.user_agent('sess' || p.s))
       || pg_temp.php_s('login') || pg_temp.php_i(1718582400 + pg_temp.h('login' || p.i) % 1209600) || '}}' END),
  (16, 'community-events-location', CASE WHEN p.i <= 5 THEN 'a:1:{' || pg_temp.php_s('ip') || pg_temp.php_s(regexp_replace(pg_temp.ipv4('ce' || p.i), '\.[0-9]+$', '.0')) || '}' END),
  (17, 'wp_dashboard_quick_press_last_post_id', CASE WHEN p.i <= 5 THEN (1 + p.i)::text END),
  (20, 'billing_first_name', CASE WHEN p.i > 5 THEN p.first END),
  (21, 'billing_last_name', CASE WHEN p.i > 5 THEN p.last END),
  (22, 'billing_company', CASE WHEN p.i > 5 THEN p.company END),
  (23, 'billing_address_1', CASE WHEN p.i > 5 THEN p.street END),
  (24, 'billing_address_2', CASE WHEN p.i > 5 THEN p.apt END),
  (25, 'billing_city', CASE WHEN p.i > 5 THEN p.city END),
  (26, 'billing_postcode', CASE WHEN p.i > 5 THEN p.postal END),
  (27, 'billing_country', CASE WHEN p.i > 5 THEN p.cc END),
  (28, 'billing_state', CASE WHEN p.i > 5 THEN CASE WHEN p.cc IN ('US', 'CA', 'AU') THEN p.region ELSE '' END END),
  (29, 'billing_phone', CASE WHEN p.i > 5 THEN p.phone END),
  (30, 'billing_email', CASE WHEN p.i > 5 THEN p.email END),
  (31, 'shipping_first_name', CASE WHEN p.i > 5 AND p.i % 3 = 0 THEN CASE WHEN p.i % 9 = 0 THEN pg_temp.first_name('ship' || p.s) ELSE p.first END END),
  (32, 'shipping_last_name', CASE WHEN p.i > 5 AND p.i % 3 = 0 THEN CASE WHEN p.i % 9 = 0 THEN pg_temp.last_name('ship' || p.s) ELSE p.last END END),
  (33, 'shipping_company', CASE WHEN p.i > 5 AND p.i % 3 = 0 THEN p.company END),
  (34, 'shipping_address_1', CASE WHEN p.i > 5 AND p.i % 3 = 0 THEN pg_temp.street('ship' || p.s) END),
  (35, 'shipping_address_2', CASE WHEN p.i > 5 AND p.i % 3 = 0 THEN '' END),
  (36, 'shipping_city', CASE WHEN p.i > 5 AND p.i % 3 = 0 THEN pg_temp.city('ship' || p.s) END),
  (37, 'shipping_postcode', CASE WHEN p.i > 5 AND p.i % 3 = 0 THEN pg_temp.postal('ship' || p.s) END),
  (38, 'shipping_country', CASE WHEN p.i > 5 AND p.i % 3 = 0 THEN pg_temp.cc('ship' || p.s) END),
  (39, 'shipping_state', CASE WHEN p.i > 5 AND p.i % 3 = 0 THEN '' END),
  (40, 'shipping_phone', CASE WHEN p.i > 5 AND p.i % 3 = 0 THEN CASE WHEN p.i % 9 = 0 THEN pg_temp.phone('ship' || p.s) ELSE '' END END),
  (41, 'last_update', CASE WHEN p.i > 5 THEN extract(epoch FROM pg_temp.wpts('lu' || p.i))::bigint::text END),
  (42, 'wc_last_active', CASE WHEN p.i > 5 THEN (extract(epoch FROM date_trunc('day', pg_temp.wpts('la' || p.i))))::bigint::text END),
  (43, 'paying_customer', CASE WHEN p.i > 5 AND p.i % 5 <> 4 THEN '1' END),
  (44, '_woocommerce_persistent_cart_1', CASE WHEN p.i > 5 AND p.i % 8 = 0 THEN
       'a:1:{' || pg_temp.php_s('cart') || 'a:1:{' || pg_temp.php_s(md5('cart' || p.i)) || 'a:6:{' || pg_temp.php_s('key') || pg_temp.php_s(md5('cart' || p.i))
       || pg_temp.php_s('product_id') || pg_temp.php_i(12 + pg_temp.h('cp' || p.i) % 120) || pg_temp.php_s('variation_id') || 'i:0;'
       || pg_temp.php_s('variation') || 'a:0:{}' || pg_temp.php_s('quantity') || 'i:1;' || pg_temp.php_s('data_hash') || pg_temp.php_s(md5('dh' || p.i)) || '}}}' END)
) AS m(o, k, v)
WHERE m.v IS NOT NULL
ORDER BY p.i, m.o;

-- site settings
INSERT INTO public.wp_options (option_name, option_value, autoload) VALUES
 ('siteurl', 'https://shop.lumenoptics.com', 'yes'),
 ('home', 'https://shop.lumenoptics.com', 'yes'),
 ('blogname', 'Lumen Optics', 'yes'),
 ('blogdescription', 'Lenses, filters and tripods for people who love light', 'yes'),
 ('users_can_register', '1', 'yes'),
 ('admin_email', 'juergen.mueller@lumenoptics.com', 'yes'),
 ('start_of_week', '1', 'yes'),
 ('use_balanceTags', '0', 'yes'),
 ('use_smilies', '1', 'yes'),
 ('require_name_email', '1', 'yes'),
 ('comments_notify', '1', 'yes'),
 ('posts_per_rss', '10', 'yes'),
 ('rss_use_excerpt', '0', 'yes'),
 ('mailserver_url', 'mail.example.com', 'yes'),
 ('mailserver_login', 'login@example.com', 'yes'),
 ('mailserver_pass', 'password', 'yes'),
 ('mailserver_port', '110', 'yes'),
 ('default_category', '1', 'yes'),
 ('default_comment_status', 'open', 'yes'),
 ('default_ping_status', 'open', 'yes'),
 ('posts_per_page', '10', 'yes'),
 ('date_format', 'F j, Y', 'yes'),
 ('time_format', 'g:i a', 'yes'),
 ('links_updated_date_format', 'F j, Y g:i a', 'yes'),
 ('comment_moderation', '0', 'yes'),
 ('moderation_notify', '1', 'yes'),
 ('permalink_structure', '/%year%/%monthnum%/%postname%/', 'yes'),
 ('timezone_string', 'America/Los_Angeles', 'yes'),
 ('gmt_offset', '', 'yes'),
 ('template', 'storefront', 'yes'),
 ('stylesheet', 'storefront-child', 'yes'),
 ('WPLANG', '', 'yes'),
 ('active_plugins', 'a:5:{i:0;s:19:"akismet/akismet.php";i:1;s:36:"contact-form-7/wp-contact-form-7.php";i:2;s:27:"woocommerce/woocommerce.php";i:3;s:57:"woocommerce-gateway-stripe/woocommerce-gateway-stripe.php";i:4;s:24:"wordpress-seo/wp-seo.php";}', 'yes'),
 ('wp_user_roles', 'a:3:{s:13:"administrator";a:2:{s:4:"name";s:13:"Administrator";s:12:"capabilities";a:1:{s:14:"manage_options";b:1;}}s:12:"shop_manager";a:2:{s:4:"name";s:12:"Shop manager";s:12:"capabilities";a:1:{s:18:"manage_woocommerce";b:1;}}s:8:"customer";a:2:{s:4:"name";s:8:"Customer";s:12:"capabilities";a:1:{s:4:"read";b:1;}}}', 'yes'),
 ('widget_text', 'a:2:{i:2;a:3:{s:5:"title";s:10:"Visit us";s:4:"text";s:71:"17 Lake Drive, Portland, OR 97201<br>Mon-Sat 10-18<br>+1 (503) 555-0100";s:6:"filter";b:1;}s:12:"_multiwidget";i:1;}', 'yes'),
 ('new_admin_email', 'juergen.mueller@lumenoptics.com', 'yes'),
 ('wp_page_for_privacy_policy', '3', 'yes'),
 ('show_on_front', 'page', 'yes'),
 ('page_on_front', '4', 'yes'),
 ('recently_edited', 'a:2:{i:0;s:76:"/var/www/shop.lumenoptics.com/wp-content/themes/storefront-child/style.css";i:1;s:0:"";}', 'no'),
 ('akismet_strictness', '0', 'yes'),
 ('akismet_spam_count', '1834', 'yes'),
 ('wordpress_api_key', 'a1b2c3d4e5f6', 'yes'),
 ('woocommerce_store_address', '17 Lake Drive', 'yes'),
 ('woocommerce_store_address_2', '', 'yes'),
 ('woocommerce_store_city', 'Portland', 'yes'),
 ('woocommerce_default_country', 'US:OR', 'yes'),
 ('woocommerce_store_postcode', '97201', 'yes'),
 ('woocommerce_currency', 'USD', 'yes'),
 ('woocommerce_email_from_name', 'Lumen Optics', 'no'),
 ('woocommerce_email_from_address', 'orders@lumenoptics.com', 'no'),
 ('woocommerce_stock_email_recipient', 'hannah.fischer@lumenoptics.com', 'no'),
 ('woocommerce_new_order_settings', 'a:5:{s:7:"enabled";s:3:"yes";s:9:"recipient";s:63:"hannah.fischer@lumenoptics.com, omar.haddad@lumenoptics.com";s:7:"subject";s:0:"";s:7:"heading";s:0:"";s:10:"email_type";s:4:"html";}', 'yes'),
 ('woocommerce_custom_orders_table_enabled', 'yes', 'yes'),
 ('woocommerce_custom_orders_table_data_sync_enabled', 'no', 'yes'),
 ('woocommerce_version', '8.4.0', 'yes'),
 ('woocommerce_db_version', '8.4.0', 'yes'),
 ('woocommerce_stripe_settings', 'a:4:{s:7:"enabled";s:3:"yes";s:8:"testmode";s:2:"no";s:15:"publishable_key";s:32:"pk_live_51Hx2LumenOpticsAbCdEf12";s:11:"webhook_url";s:57:"https://shop.lumenoptics.com/?wc-api=wc_stripe";}', 'yes'),
 ('wpcf7', 'a:1:{s:7:"version";s:5:"5.8.4";}', 'yes'),
 ('wpseo_titles', 'a:2:{s:15:"title-home-wpseo";s:39:"%%sitename%% %%page%% %%sep%% %%sitedesc%%";s:14:"company_or_person";s:7:"company";}', 'yes'),
 ('_transient_timeout_wc_count_comments', '1719878400', 'no'),
 ('_transient_wc_count_comments', 'O:8:"stdClass":7:{s:14:"total_comments";i:1131;s:3:"all";i:1131;s:9:"moderated";i:12;s:8:"approved";i:1089;s:4:"spam";i:30;s:5:"trash";i:0;s:12:"post-trashed";i:0;}', 'no'),
 ('_site_transient_update_core', 'O:8:"stdClass":3:{s:7:"updates";a:0:{}s:12:"last_checked";i:1719792000;s:15:"version_checked";s:5:"6.4.2";}', 'no'),
 ('cron', 'a:3:{i:1719795600;a:1:{s:32:"woocommerce_cleanup_draft_orders";a:1:{s:32:"40cd750bba9870f18aada2478b24840a";a:3:{s:8:"schedule";s:5:"daily";s:4:"args";a:0:{}s:8:"interval";i:86400;}}}i:1719799200;a:1:{s:16:"wp_version_check";a:1:{s:32:"40cd750bba9870f18aada2478b24840a";a:3:{s:8:"schedule";s:10:"twicedaily";s:4:"args";a:0:{}s:8:"interval";i:43200;}}}s:7:"version";i:2;}', 'yes');

-- the catalog: 120 products (ids 12..131), by category
CREATE TEMP TABLE products AS
SELECT n, 11 + n AS id, cat, name,
       trim(BOTH '-' FROM lower(regexp_replace(name, '[^A-Za-z0-9]+', '-', 'g'))) AS slug,
       price, (cat IN (0, 3) AND n % 2 = 1) AS variable
FROM (
  SELECT n, n % 5 AS cat,
         CASE n % 5
           WHEN 0 THEN (ARRAY['Aurora','Nimbus','Vega','Orion','Atlas','Lyra'])[1 + (n / 5) % 6] || ' '
                       || (ARRAY['14mm f/2.8','24mm f/1.4','35mm f/1.8','50mm f/1.2','85mm f/1.4','70-200mm f/2.8','100mm Macro f/2.8'])[1 + (n / 30) % 4 + (n / 5) % 4]
           WHEN 1 THEN 'ClearView ' || (ARRAY['UV','Circular Polarizer','ND8','ND64','Variable ND 2-5 stop'])[1 + (n / 5) % 5] || ' '
                       || (ARRAY['52mm','58mm','67mm','77mm','82mm'])[1 + (n / 25) % 5]
           WHEN 2 THEN 'TrailPod ' || (ARRAY['Carbon','Aluminium','Travel','Pro Video'])[1 + (n / 5) % 4] || ' ' || (ARRAY['Mk I','Mk II','Mk III','XL','Mini','S'])[1 + (n / 20) % 6]
           WHEN 3 THEN 'Nomad ' || (ARRAY['Sling 6L','Backpack 22L','Messenger 12L','Roller 40L','Hip Pack 3L'])[1 + (n / 5) % 5] || ' ' || (ARRAY['Classic','Weatherproof','Urban','Expedition','Lite'])[1 + (n / 25) % 5]
           ELSE CASE WHEN n = 4 THEN 'Lens Calibration Guide (PDF)' WHEN n = 9 THEN 'Lumen Optics Gift Card'
                     ELSE (ARRAY['Lens Cap','Lens Hood','Cleaning Kit','Battery Grip','Lens Pouch','Step-up Ring','Remote Shutter','Memory Card Wallet'])[1 + (n / 5) % 8] || ' ' || (ARRAY['52mm','58mm','67mm','77mm','Pro','Compact'])[1 + (n / 40) % 6 + (n / 5) % 2] END END AS name,
         CASE n % 5 WHEN 0 THEN 399 + pg_temp.h('pr' || n) % 1600 WHEN 1 THEN 29 + pg_temp.h('pr' || n) % 170 WHEN 2 THEN 89 + pg_temp.h('pr' || n) % 500
                    WHEN 3 THEN 49 + pg_temp.h('pr' || n) % 250 ELSE CASE WHEN n = 4 THEN 19 WHEN n = 9 THEN 50 ELSE 9 + pg_temp.h('pr' || n) % 90 END END AS price
  FROM generate_series(1, 120) AS n) x;

CREATE TEMP TABLE blog AS
SELECT k, 401 + k AS id, title, slug, content, author, d FROM (
  SELECT k, t AS title, trim(BOTH '-' FROM lower(regexp_replace(t, '[^A-Za-z0-9]+', '-', 'g'))) AS slug,
         E'<!-- wp:paragraph -->\n<p>' || intro || E'</p>\n<!-- /wp:paragraph -->\n\n<!-- wp:paragraph -->\n<p>' ||
         CASE k % 5
           WHEN 0 THEN E'</p>\n<!-- /wp:paragraph -->\n\n<!-- wp:quote -->\n<blockquote class="wp-block-quote"><p>&#8220;I shot my sister''s wedding with nothing else.&#8221;</p><cite>'
                       || pg_temp.full_name('fan' || k) || ', ' || pg_temp.city('fan' || k) || '</cite></blockquote>\n<!-- /wp:quote -->'
           WHEN 1 THEN 'Questions about this guide? Write to Hannah at hannah.fischer@lumenoptics.com or call her direct line +1 (503) 555-0147.</p>' || E'\n<!-- /wp:paragraph -->'
           WHEN 2 THEN 'Congratulations to our giveaway winner ' || pg_temp.full_name('winner' || k) || ' from ' || pg_temp.city('winner' || k) || '! We will contact you at the address you entered.</p>' || E'\n<!-- /wp:paragraph -->'
           WHEN 3 THEN 'Guest post by ' || pg_temp.full_name('guest' || k) || ', wedding photographer in ' || pg_temp.city('guest' || k) || ' (bookings: ' || pg_temp.phone('guest' || k) || ').</p>' || E'\n<!-- /wp:paragraph -->'
           ELSE 'Find all lenses mentioned here in our <a href="https://shop.lumenoptics.com/product-category/lenses/">lens shop</a>.</p>' || E'\n<!-- /wp:paragraph -->' END AS content,
         CASE WHEN k % 3 = 0 THEN 1 ELSE 3 END AS author,
         pg_temp.wpts('blog' || k) AS d
  FROM generate_series(1, 40) AS k,
  LATERAL (SELECT (ARRAY['How to choose your first prime lens','Portraits with an 85mm: a field guide','Why every landscape photographer needs a polarizer',
                         'Long exposures with ND filters','Packing a camera bag for a week in Iceland','Macro photography on a budget',
                         'Street photography at 35mm','Tripod or no tripod?','Cleaning your lens the right way','Astrophotography with a 14mm',
                         'Our favourite wedding lenses','Shooting video with stills lenses','Autumn colours: settings that work','Understanding bokeh',
                         'Travel light: the one-lens challenge','Rain covers and weather sealing explained','Lens calibration step by step',
                         'Night markets with a fast fifty','Product photography at home','What focal length is right for you?'])[1 + (k - 1) % 20]
                  || CASE WHEN k > 20 THEN ' (updated)' ELSE '' END AS t,
                 (ARRAY['Choosing glass is the most important decision you will make.','Light is everything, and the right lens lets more of it in.',
                        'We tested every option in our workshop in Portland.','A short guide from the team, with the settings we used.'])[1 + k % 4] AS intro) x) b;

CREATE TEMP TABLE pages AS SELECT * FROM (VALUES
  (2, 'Sample Page', 'sample-page', E'<!-- wp:paragraph -->\n<p>This is an example page.</p>\n<!-- /wp:paragraph -->', 'draft'),
  (3, 'Privacy Policy', 'privacy-policy', E'<!-- wp:heading -->\n<h2>Who we are</h2>\n<!-- /wp:heading -->\n<!-- wp:paragraph -->\n<p>Our website address is: https://shop.lumenoptics.com. Lumen Optics LLC, 17 Lake Drive, Portland, OR 97201.</p>\n<!-- /wp:paragraph -->\n<!-- wp:paragraph -->\n<p>Our data protection contact is Hannah Fischer, hannah.fischer@lumenoptics.com.</p>\n<!-- /wp:paragraph -->', 'publish'),
  (4, 'Shop', 'shop', '', 'publish'),
  (5, 'Cart', 'cart', E'<!-- wp:woocommerce/cart -->\n<div class="wp-block-woocommerce-cart alignwide is-loading"></div>\n<!-- /wp:woocommerce/cart -->', 'publish'),
  (6, 'Checkout', 'checkout', E'<!-- wp:woocommerce/checkout -->\n<div class="wp-block-woocommerce-checkout alignwide wc-block-checkout is-loading"></div>\n<!-- /wp:woocommerce/checkout -->', 'publish'),
  (7, 'My account', 'my-account', E'<!-- wp:shortcode -->[woocommerce_my_account]<!-- /wp:shortcode -->', 'publish'),
  (8, 'Contact', 'contact', E'<!-- wp:paragraph -->\n<p>Lumen Optics, 17 Lake Drive, Portland, OR 97201. Phone +1 (503) 555-0100, info@lumenoptics.com.</p>\n<!-- /wp:paragraph -->\n[contact-form-7 id="12" title="Contact form 1"]', 'publish'),
  (9, 'About us', 'about-us', E'<!-- wp:paragraph -->\n<p>Lumen Optics was founded in 2015 by Jürgen Müller and Sofia Costa in a garage in Portland.</p>\n<!-- /wp:paragraph -->', 'publish'),
  (10, 'Refund and Returns Policy', 'refund_returns', E'<!-- wp:heading -->\n<h2>Overview</h2>\n<!-- /wp:heading -->\n<!-- wp:paragraph -->\n<p>Our refund and returns policy lasts 30 days.</p>\n<!-- /wp:paragraph -->', 'publish'),
  (11, 'Shipping & Delivery', 'shipping-delivery', E'<!-- wp:paragraph -->\n<p>We ship worldwide from Portland within two working days.</p>\n<!-- /wp:paragraph -->', 'publish')
) AS t(id, title, slug, content, status);

-- orders: 1200 shop orders (placeholder posts 567..1766) and 60 refunds (1767..1826)
CREATE TEMP TABLE orders AS
SELECT k, 566 + k AS id, uid, s, st, pm, d,
       CASE WHEN uid > 0 THEN (SELECT email FROM people WHERE i = uid) ELSE pg_temp.email(s) END AS email,
       CASE WHEN uid > 0 THEN (SELECT first FROM people WHERE i = uid) ELSE pg_temp.first_name(s) END AS first,
       CASE WHEN uid > 0 THEN (SELECT last FROM people WHERE i = uid) ELSE pg_temp.last_name(s) END AS last,
       CASE WHEN uid > 0 THEN (SELECT company FROM people WHERE i = uid) WHEN k % 5 = 0 THEN pg_temp.company(s) ELSE '' END AS company,
       (k % 10 <> 0) AS shipped, (k % 7 = 0) AS gift
FROM (
  SELECT k, CASE WHEN pg_temp.h('oc' || k) % 100 < 65 THEN 6 + pg_temp.h('ou' || k) % 395 ELSE 0 END AS uid,
         pg_temp.pick(ARRAY['wc-completed','wc-completed','wc-completed','wc-completed','wc-completed','wc-processing','wc-on-hold','wc-cancelled','wc-refunded','wc-failed'], 'ost' || k) AS st,
         pg_temp.pick(ARRAY['stripe','stripe','stripe','ppcp-gateway','bacs'], 'opm' || k) AS pm,
         pg_temp.wpts('od' || k) AS d
  FROM generate_series(1, 1200) AS k) o,
LATERAL (SELECT CASE WHEN o.uid > 0 THEN 'user' || o.uid ELSE 'guest' || (o.k % 840) END AS s) x;

INSERT INTO public.wp_posts ("ID", post_author, post_date, post_date_gmt, post_content, post_title, post_excerpt, post_status,
    comment_status, ping_status, post_password, post_name, to_ping, pinged, post_modified, post_modified_gmt,
    post_content_filtered, post_parent, guid, menu_order, post_type, post_mime_type, comment_count)
SELECT id, author, d, CASE WHEN status IN ('draft', 'auto-draft') THEN NULL ELSE d + interval '7 hours' END,
       content, title, excerpt, status, cs, ps, pw, name, '', '', d + interval '3 days',
       CASE WHEN status IN ('draft', 'auto-draft') THEN NULL ELSE d + interval '3 days 7 hours' END,
       '', parent, guid, mo, type, mime, 0
FROM (
  SELECT 1 AS id, 1 AS author, timestamp '2021-11-02 09:12:44' AS d, E'<!-- wp:paragraph -->\n<p>Welcome to WordPress. This is your first post. Edit or delete it, then start writing!</p>\n<!-- /wp:paragraph -->' AS content,
         'Hello world!' AS title, '' AS excerpt, 'trash' AS status, 'open' AS cs, 'open' AS ps, '' AS pw, 'hello-world__trashed' AS name, 0 AS parent,
         'https://shop.lumenoptics.com/?p=1' AS guid, 0 AS mo, 'post' AS type, '' AS mime
  UNION ALL
  SELECT id, 1, timestamp '2021-11-02 09:12:44' + (id || ' minutes')::interval, content, title, '', status, 'closed', 'closed',
         CASE WHEN id = 2 THEN 'preview2022' ELSE '' END, slug, 0, 'https://shop.lumenoptics.com/?page_id=' || id, 0, 'page', ''
  FROM pages
  UNION ALL
  SELECT id, 1 + n % 3, pg_temp.wpts('prod' || n),
         E'<!-- wp:paragraph -->\n<p>The ' || name || ' is built for photographers who want '
           || (ARRAY['sharp results wide open.','a light kit that lasts.','colour that needs no correction.','reliable gear in any weather.'])[1 + n % 4]
           || E'</p>\n<!-- /wp:paragraph -->\n<!-- wp:list -->\n<ul><li>Two-year warranty</li><li>Free returns within 30 days</li></ul>\n<!-- /wp:list -->',
         name, (ARRAY['Our best seller.','Weather sealed.','Made in Japan.','Ships within 24 hours.','Includes a pouch.'])[1 + n % 5],
         CASE WHEN n % 23 = 0 THEN 'draft' ELSE 'publish' END, 'open', 'closed', '', slug, 0,
         'https://shop.lumenoptics.com/?post_type=product&#038;p=' || id, 0, 'product', ''
  FROM products
  UNION ALL
  SELECT 131 + a, 1 + a % 3, pg_temp.wpts('att' || a), '', p.slug || CASE WHEN a > 120 THEN '-side' ELSE '-front' END, '', 'inherit', 'open', 'closed', '',
         p.slug || CASE WHEN a > 120 THEN '-side' ELSE '-front' END, p.id,
         'https://shop.lumenoptics.com/wp-content/uploads/' || to_char(pg_temp.wpts('att' || a), 'YYYY/MM') || '/' || p.slug || CASE WHEN a > 120 THEN '-side' ELSE '-front' END || '.jpg',
         0, 'attachment', 'image/jpeg'
  FROM generate_series(1, 150) AS a JOIN products p ON p.n = 1 + (a - 1) % 120
  UNION ALL
  SELECT 281 + v, 1, pg_temp.wpts('var' || v), '', p.name || ' - ' || opt, CASE WHEN p.cat = 0 THEN 'Mount: ' ELSE 'Colour: ' END || opt,
         'publish', 'closed', 'closed', '', p.slug || '-' || lower(replace(opt, ' ', '-')), p.id,
         'https://shop.lumenoptics.com/?post_type=product_variation&#038;p=' || (281 + v), j, 'product_variation', ''
  FROM (SELECT row_number() OVER (ORDER BY p.n, j) AS v, p.n, j,
               CASE WHEN p.cat = 0 THEN (ARRAY['Canon RF','Nikon Z','Sony E'])[j] ELSE (ARRAY['Black','Olive','Sand'])[j] END AS opt
        FROM products p, generate_series(1, 3) AS j WHERE p.variable) vv JOIN products p ON p.n = vv.n
  UNION ALL
  SELECT id, author, d, content, title, '', CASE WHEN k = 40 THEN 'draft' WHEN k = 39 THEN 'future' ELSE 'publish' END, 'open', 'open', '', slug, 0,
         'https://shop.lumenoptics.com/?p=' || id, 0, 'post', ''
  FROM blog
  UNION ALL
  SELECT 441 + r, src.author, src.d + (r || ' hours')::interval, src.content, src.title, '', 'inherit', 'closed', 'closed', '',
         src.id || '-revision-v1', src.id, 'https://shop.lumenoptics.com/?p=' || (441 + r), 0, 'revision', ''
  FROM generate_series(1, 100) AS r
  JOIN (SELECT id, author, d, content, title, k FROM blog
        UNION ALL SELECT id, 1, timestamp '2021-11-02 09:12:44', content, title, 40 + id FROM pages WHERE id IN (3, 8, 9)) src
    ON src.k = CASE WHEN r <= 80 THEN 1 + (r - 1) % 40 ELSE 40 + (ARRAY[3, 8, 9])[1 + r % 3] END
  UNION ALL
  SELECT 541 + m, 1, timestamp '2021-11-20 14:00:00' + (m || ' minutes')::interval, '', CASE WHEN m <= 6 THEN '' ELSE (ARRAY['Lenses','Filters','Tripods','Bags','Blog','Sale','Gift cards','Contact','About'])[m - 6] END,
         '', 'publish', 'closed', 'closed', '', (541 + m)::text, 0, 'https://shop.lumenoptics.com/?p=' || (541 + m), m, 'nav_menu_item', ''
  FROM generate_series(1, 15) AS m
  UNION ALL
  SELECT 556 + c, 2, pg_temp.wpts('coupon' || c), '', (ARRAY['welcome10','blackfriday23','spring15','freeship','vip20','lens50','summer24','student10','bundle25','sorry15'])[c],
         (ARRAY['Newsletter welcome discount','Black Friday 2023','Spring sale','Free shipping over $100','VIP customers','$50 off lenses','Summer sale 2024','Student discount','Bundle discount','Goodwill for delayed orders'])[c],
         'publish', 'closed', 'closed', '', (ARRAY['welcome10','blackfriday23','spring15','freeship','vip20','lens50','summer24','student10','bundle25','sorry15'])[c], 0,
         'https://shop.lumenoptics.com/?post_type=shop_coupon&#038;p=' || (556 + c), 0, 'shop_coupon', ''
  FROM generate_series(1, 10) AS c
  UNION ALL
  SELECT id, 1, d, '', '', '', 'draft', 'closed', 'closed', '', '', 0, '', 0, 'shop_order_placehold', ''
  FROM orders
  UNION ALL
  SELECT 1766 + r, 1, o.d + interval '9 days', '', '', '', 'draft', 'closed', 'closed', '', '', o.id, '', 0, 'shop_order_placehold', ''
  FROM generate_series(1, 60) AS r JOIN orders o ON o.k = 1 + (r * 19) % 1200
) posts
ORDER BY id;

-- post meta: catalog data, image metadata, menus, coupons (nothing about people)
INSERT INTO public.wp_postmeta (post_id, meta_key, meta_value)
SELECT post_id, k, v FROM (
  SELECT p.id AS post_id, m.o, m.k, m.v FROM products p,
  LATERAL (VALUES
    (1, '_edit_last', (1 + p.n % 3)::text),
    (2, '_edit_lock', extract(epoch FROM pg_temp.wpts('lock' || p.n))::bigint || ':' || (1 + p.n % 3)),
    (3, '_sku', 'LO-' || lpad(p.n::text, 5, '0')),
    (4, '_regular_price', p.price::text),
    (5, '_price', CASE WHEN p.n % 7 = 0 THEN round(p.price * 0.85)::text ELSE p.price::text END),
    (6, '_sale_price', CASE WHEN p.n % 7 = 0 THEN round(p.price * 0.85)::text END),
    (7, '_stock_status', CASE WHEN p.n % 13 = 0 THEN 'outofstock' ELSE 'instock' END),
    (8, '_manage_stock', CASE WHEN p.n IN (4, 9) THEN 'no' ELSE 'yes' END),
    (9, '_stock', CASE WHEN p.n NOT IN (4, 9) THEN (pg_temp.h('stock' || p.n) % 60)::text END),
    (10, '_thumbnail_id', (131 + p.n)::text),
    (11, '_virtual', CASE WHEN p.n IN (4, 9) THEN 'yes' ELSE 'no' END),
    (12, '_downloadable', CASE WHEN p.n = 4 THEN 'yes' ELSE 'no' END),
    (13, '_downloadable_files', CASE WHEN p.n = 4 THEN 'a:1:{s:36:"0b3c5d0e-2f4a-4b6c-8d9e-1a2b3c4d5e6f";a:3:{s:2:"id";s:36:"0b3c5d0e-2f4a-4b6c-8d9e-1a2b3c4d5e6f";s:4:"name";s:22:"Lens calibration guide";s:4:"file";s:76:"https://shop.lumenoptics.com/wp-content/uploads/woocommerce_uploads/lcg.pdf";}}' END),
    (14, '_product_attributes', CASE WHEN p.variable THEN 'a:1:{' || pg_temp.php_s(CASE WHEN p.cat = 0 THEN 'pa_mount' ELSE 'pa_colour' END) || 'a:6:{s:4:"name";'
         || pg_temp.php_s(CASE WHEN p.cat = 0 THEN 'pa_mount' ELSE 'pa_colour' END) || 's:5:"value";s:0:"";s:8:"position";i:0;s:10:"is_visible";i:1;s:12:"is_variation";i:1;s:11:"is_taxonomy";i:1;}}' END),
    (15, 'total_sales', (pg_temp.h('sales' || p.n) % 300)::text),
    (16, '_wc_average_rating', to_char(3 + (pg_temp.h('rate' || p.n) % 200) / 100.0, 'FM0.00')),
    (17, '_wc_review_count', (pg_temp.h('revc' || p.n) % 12)::text),
    (18, '_weight', CASE WHEN p.n NOT IN (4, 9) THEN to_char(0.1 + (pg_temp.h('w' || p.n) % 300) / 100.0, 'FM0.00') END)
  ) AS m(o, k, v)
  UNION ALL
  SELECT 131 + a, m.o, m.k, m.v FROM generate_series(1, 150) AS a JOIN products p ON p.n = 1 + (a - 1) % 120,
  LATERAL (SELECT p.slug || CASE WHEN a > 120 THEN '-side' ELSE '-front' END AS f, to_char(pg_temp.wpts('att' || a), 'YYYY/MM') AS ym) f,
  LATERAL (VALUES
    (1, '_wp_attached_file', f.ym || '/' || f.f || '.jpg'),
    (2, '_wp_attachment_metadata', 'a:5:{s:5:"width";i:2000;s:6:"height";i:1333;s:4:"file";' || pg_temp.php_s(f.ym || '/' || f.f || '.jpg')
        || 's:8:"filesize";' || pg_temp.php_i(180000 + pg_temp.h('fs' || a) % 400000)
        || 's:10:"image_meta";a:6:{s:8:"aperture";s:1:"8";s:6:"camera";' || pg_temp.php_s((ARRAY['Canon EOS R5','Sony ILCE-7RM4','NIKON Z 7_2'])[1 + a % 3])
        || 's:7:"caption";s:0:"";s:9:"copyright";s:12:"Lumen Optics";s:12:"focal_length";s:3:"100";s:3:"iso";s:3:"100";}}'),
    (3, '_wp_attachment_image_alt', p.name || CASE WHEN a > 120 THEN ', side view' ELSE ', front view' END)
  ) AS m(o, k, v)
  UNION ALL
  SELECT 281 + vv.v, m.o, m.k, m.v
  FROM (SELECT row_number() OVER (ORDER BY p.n, j) AS v, p.n, p.cat, p.price, j FROM products p, generate_series(1, 3) AS j WHERE p.variable) vv,
  LATERAL (VALUES
    (1, CASE WHEN vv.cat = 0 THEN 'attribute_pa_mount' ELSE 'attribute_pa_colour' END,
        CASE WHEN vv.cat = 0 THEN (ARRAY['canon-rf','nikon-z','sony-e'])[vv.j] ELSE (ARRAY['black','olive','sand'])[vv.j] END),
    (2, '_price', vv.price::text),
    (3, '_sku', 'LO-' || lpad(vv.n::text, 5, '0') || '-' || vv.j),
    (4, '_stock_status', 'instock')
  ) AS m(o, k, v)
  UNION ALL
  SELECT b.id, m.o, m.k, m.v FROM blog b,
  LATERAL (VALUES
    (1, '_edit_last', b.author::text),
    (2, '_edit_lock', extract(epoch FROM b.d + interval '1 day')::bigint || ':' || b.author),
    (3, '_thumbnail_id', (131 + 1 + b.k % 120)::text),
    (4, '_yoast_wpseo_primary_category', (2 + b.k % 3)::text)
  ) AS m(o, k, v)
  UNION ALL
  SELECT id, 1, '_wp_page_template', 'default' FROM pages
  UNION ALL
  SELECT 541 + m, x.o, x.k, x.v FROM generate_series(1, 15) AS m,
  LATERAL (VALUES
    (1, '_menu_item_type', CASE WHEN m <= 6 THEN 'taxonomy' ELSE 'post_type' END),
    (2, '_menu_item_menu_item_parent', '0'),
    (3, '_menu_item_object_id', CASE WHEN m <= 6 THEN (19 + m)::text ELSE (1 + m % 10)::text END),
    (4, '_menu_item_object', CASE WHEN m <= 6 THEN 'product_cat' ELSE 'page' END),
    (5, '_menu_item_url', '')
  ) AS x(o, k, v)
  UNION ALL
  SELECT 556 + c, x.o, x.k, x.v FROM generate_series(1, 10) AS c,
  LATERAL (VALUES
    (1, 'discount_type', CASE WHEN c IN (6, 4) THEN 'fixed_cart' ELSE 'percent' END),
    (2, 'coupon_amount', (ARRAY['10','25','15','0','20','50','15','10','25','15'])[c]),
    (3, 'usage_count', (pg_temp.h('cu' || c) % 200)::text),
    (4, 'free_shipping', CASE WHEN c = 4 THEN 'yes' ELSE 'no' END),
    (5, 'date_expires', CASE WHEN c IN (2, 7) THEN extract(epoch FROM pg_temp.wpts('cexp' || c))::bigint::text END)
  ) AS x(o, k, v)
) pm
WHERE v IS NOT NULL
ORDER BY post_id, o;

-- taxonomy: categories, tags, product types and categories, attributes, the menu
INSERT INTO public.wp_terms (term_id, name, slug, term_group)
SELECT id, name, slug, 0 FROM (VALUES
 (1, 'Uncategorized', 'uncategorized'), (2, 'Tutorials', 'tutorials'), (3, 'News', 'news'), (4, 'Gear reviews', 'gear-reviews'),
 (5, 'Main menu', 'main-menu'), (6, 'simple', 'simple'), (7, 'grouped', 'grouped'), (8, 'variable', 'variable'), (9, 'external', 'external'),
 (10, 'exclude-from-search', 'exclude-from-search'), (11, 'exclude-from-catalog', 'exclude-from-catalog'), (12, 'featured', 'featured'),
 (13, 'outofstock', 'outofstock'), (14, 'rated-1', 'rated-1'), (15, 'rated-2', 'rated-2'), (16, 'rated-3', 'rated-3'), (17, 'rated-4', 'rated-4'),
 (18, 'rated-5', 'rated-5'), (19, 'Uncategorized', 'uncategorized-2'), (20, 'Lenses', 'lenses'), (21, 'Filters', 'filters'), (22, 'Tripods', 'tripods'),
 (23, 'Bags', 'bags'), (24, 'Accessories', 'accessories'), (25, 'Canon RF', 'canon-rf'), (26, 'Nikon Z', 'nikon-z'), (27, 'Sony E', 'sony-e'),
 (28, 'Black', 'black'), (29, 'Olive', 'olive'), (30, 'Sand', 'sand'), (31, 'portrait', 'portrait'), (32, 'landscape', 'landscape'),
 (33, 'macro', 'macro'), (34, 'street', 'street'), (35, 'travel', 'travel')) AS t(id, name, slug)
ORDER BY id;

INSERT INTO public.wp_term_taxonomy (term_taxonomy_id, term_id, taxonomy, description, parent, count)
SELECT id, id, tax, descr, 0, 0 FROM (
  SELECT id, CASE WHEN id <= 4 THEN 'category' WHEN id = 5 THEN 'nav_menu' WHEN id <= 9 THEN 'product_type'
                  WHEN id <= 18 THEN 'product_visibility' WHEN id <= 24 THEN 'product_cat' WHEN id <= 27 THEN 'pa_mount'
                  WHEN id <= 30 THEN 'pa_colour' ELSE 'post_tag' END AS tax,
         CASE id WHEN 20 THEN 'Prime and zoom lenses for mirrorless cameras.' WHEN 21 THEN 'Screw-in filters from 52 to 82mm.'
                 WHEN 22 THEN 'Carbon and aluminium tripods.' WHEN 23 THEN 'Camera bags and backpacks.' ELSE '' END AS descr
  FROM generate_series(1, 35) AS id) t
ORDER BY id;

INSERT INTO public.wp_term_relationships (object_id, term_taxonomy_id, term_order)
SELECT DISTINCT object_id, tt, 0 FROM (
  SELECT p.id AS object_id, CASE WHEN p.variable THEN 8 ELSE 6 END AS tt FROM products p
  UNION ALL SELECT p.id, 20 + p.cat FROM products p
  UNION ALL SELECT p.id, 12 FROM products p WHERE p.n % 11 = 0
  UNION ALL SELECT p.id, 13 FROM products p WHERE p.n % 13 = 0
  UNION ALL SELECT b.id, 2 + b.k % 3 FROM blog b
  UNION ALL SELECT b.id, 31 + b.k % 5 FROM blog b
  UNION ALL SELECT 541 + m, 5 FROM generate_series(1, 15) AS m
) r ORDER BY 1, 2;

UPDATE public.wp_term_taxonomy tt SET count = (SELECT count(*) FROM public.wp_term_relationships r WHERE r.term_taxonomy_id = tt.term_taxonomy_id);

INSERT INTO public.wp_termmeta (term_id, meta_key, meta_value)
SELECT id, k, v FROM generate_series(19, 24) AS id,
LATERAL (VALUES (1, 'order', (id - 19)::text), (2, 'display_type', ''), (3, 'thumbnail_id', (131 + id)::text),
                (4, 'product_count_product_cat', '24')) AS m(o, k, v)
ORDER BY id, o;

-- comments: guest and member comments on the blog, product reviews, order notes, pingbacks
CREATE TEMP TABLE cm AS
SELECT c, kind, post, s, uid, parent, author, email, url, ip, agent, content, approved, d FROM (
  -- 600 blog comments; one in six by a logged-in customer, one in ten a staff reply, one in seventeen spam
  SELECT c, 'comment' AS kind, 402 + pg_temp.h('cpost' || c) % 40 AS post, s,
         CASE WHEN c % 10 = 5 THEN 2 + c % 2 WHEN c % 6 = 0 THEN 6 + pg_temp.h('cu' || c) % 395 ELSE 0 END AS uid,
         CASE WHEN c % 10 = 5 THEN c - 1 ELSE 0 END AS parent,
         NULL::text AS author, NULL::text AS email,
         CASE WHEN c % 17 = 0 THEN 'http://cheap-lens-deals.example/outlet'
              WHEN c % 10 = 5 THEN ''
              WHEN c % 5 = 0 THEN 'https://' || pg_temp.first_slug(s) || pg_temp.last_slug(s) || '.photography'
              WHEN c % 13 = 0 THEN 'https://www.instagram.com/' || pg_temp.first_slug(s) || '.' || pg_temp.last_slug(s) || '/' ELSE '' END AS url,
         pg_temp.ip('cip' || s || c) AS ip, pg_temp.user_agent('cua' || s || c) AS agent,
         CASE WHEN c % 17 = 0 THEN 'Great post!! Best prices for lenses here http://cheap-lens-deals.example/outlet ' || (c * 7) % 100 || '% off'
              ELSE CASE pg_temp.h('cbody' || c) % 9
           WHEN 0 THEN 'Great article, thanks!'
           WHEN 1 THEN 'I bought the ' || (SELECT name FROM products WHERE n = 1 + c % 120) || ' last month and love it.'
           WHEN 2 THEN 'Could you e-mail me the settings you used? ' || pg_temp.email('alt' || s)
           WHEN 3 THEN 'My husband ' || pg_temp.first_name('spouse' || c) || ' says hi :) We met you at the Portland photo fair.'
           WHEN 4 THEN 'Is the shop in Portland open on Sundays? You can call me on ' || pg_temp.phone(s)
           WHEN 5 THEN 'Thanks, that answered my question.'
           WHEN 6 THEN 'Any plans for a Fujifilm X mount version? 📷'
           WHEN 7 THEN 'I live at ' || pg_temp.street(s) || ' in ' || pg_temp.city(s) || ', happy to show you the view for a landscape shoot.'
           ELSE 'I disagree about f/1.2 being necessary for portraits, f/1.8 is plenty.' END END AS content,
         CASE WHEN c % 17 = 0 THEN 'spam' WHEN c % 23 = 0 THEN '0' ELSE '1' END AS approved,
         pg_temp.wpts('cdate' || c) AS d
  FROM generate_series(1, 600) AS c, LATERAL (SELECT 'commenter' || (c % 450) AS s) x
  UNION ALL
  -- 500 product reviews
  SELECT c, 'review', 12 + pg_temp.h('rpost' || c) % 120, s, uid, 0, NULL, NULL, '',
         pg_temp.ip('rip' || s || c), pg_temp.user_agent('rua' || s || c),
         CASE pg_temp.h('rbody' || c) % 7
           WHEN 0 THEN 'Sharp wide open, fast autofocus. Recommended.'
           WHEN 1 THEN 'Arrived in two days, well packed.'
           WHEN 2 THEN 'Bought it as a gift for my dad ' || pg_temp.full_name('dad' || c) || ', he loves it.'
           WHEN 3 THEN 'Customer service (thanks Omar!) sorted out a wrong mount in a day.'
           WHEN 4 THEN 'Returned it: too heavy for travel.'
           WHEN 5 THEN 'Good value. If the seller wants photos, mail me at ' || pg_temp.email('alt' || s)
           ELSE 'Five stars ⭐⭐⭐⭐⭐' END,
         CASE WHEN c % 19 = 0 THEN '0' ELSE '1' END, pg_temp.wpts('rdate' || c)
  FROM generate_series(601, 1100) AS c,
  LATERAL (SELECT CASE WHEN c % 10 < 7 THEN 6 + pg_temp.h('ru' || c) % 395 ELSE 0 END AS uid) u,
  LATERAL (SELECT CASE WHEN u.uid > 0 THEN 'user' || u.uid ELSE 'reviewer' || c END AS s) x
  UNION ALL
  -- 2400 order notes: two per order, the first by the system, the second by Stripe, the system or support staff
  SELECT c, 'order_note', o.id, o.s, CASE WHEN staff THEN 5 ELSE 0 END, 0,
         CASE WHEN staff THEN 'Omar Haddad' ELSE 'WooCommerce' END,
         CASE WHEN staff THEN 'omar.haddad@lumenoptics.com' ELSE 'woocommerce@shop.lumenoptics.com' END, '',
         CASE WHEN staff THEN '198.51.100.23' ELSE '' END,
         CASE WHEN staff THEN 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15' ELSE 'WooCommerce' END,
         CASE WHEN n = 1 THEN 'Order status changed from Pending payment to Processing.'
              ELSE CASE o.k % 4
                WHEN 0 THEN 'Stripe charge complete (Charge ID: ch_3' || pg_temp.alnum('ch' || o.k, 24) || ')'
                WHEN 1 THEN 'Order status changed from Processing to Completed.'
                WHEN 2 THEN 'Customer called (' || pg_temp.phone(o.s) || '): please deliver to ' || pg_temp.street('alt' || o.s) || ' instead.'
                ELSE 'Refund of $25.00 issued to ' || o.first || ' ' || o.last || ' - lens cap missing.' END END,
         '1', o.d + (n * 20 || ' minutes')::interval
  FROM orders o, generate_series(1, 2) AS n,
  LATERAL (SELECT 1100 + (o.k - 1) * 2 + n AS c, n = 2 AND o.k % 4 IN (2, 3) AS staff) x
  UNION ALL
  -- 30 pingbacks from other blogs
  SELECT c, 'pingback', 402 + c % 40, 'ping' || c, 0, 0,
         (ARRAY['Photography Weekly','Shutter Stories','The Lens Lab','Northern Light Blog','F-Stop Fridays'])[1 + c % 5] || ' &raquo; ' || (ARRAY['Best lenses of 2023','Links of the week','Polarizers compared'])[1 + c % 3],
         '', 'https://' || (ARRAY['photographyweekly','shutterstories','thelenslab','northernlightblog','fstopfridays'])[1 + c % 5] || '.example/2023/' || c || '/',
         '203.0.113.' || (10 + c % 5), 'WordPress/6.4.2; https://' || (ARRAY['photographyweekly','shutterstories','thelenslab','northernlightblog','fstopfridays'])[1 + c % 5] || '.example',
         '[&#8230;] as Lumen Optics explains in their guide [&#8230;]', '1', pg_temp.wpts('ping' || c)
  FROM generate_series(3501, 3530) AS c
) a;
UPDATE cm SET author = CASE WHEN uid > 0 THEN (SELECT display FROM people WHERE i = uid)
                            WHEN c % 17 = 0 AND kind = 'comment' THEN 'Best Lens Outlet'
                            ELSE pg_temp.full_name(s) END,
              email = CASE WHEN uid > 0 THEN (SELECT email FROM people WHERE i = uid)
                           WHEN c % 17 = 0 AND kind = 'comment' THEN 'deals' || c || '@cheap-lens-deals.example'
                           ELSE pg_temp.email(s) END
WHERE author IS NULL;

INSERT INTO public.wp_comments ("comment_ID", "comment_post_ID", comment_author, comment_author_email, comment_author_url, "comment_author_IP",
    comment_date, comment_date_gmt, comment_content, comment_karma, comment_approved, comment_agent, comment_type, comment_parent, user_id)
SELECT c, post, author, email, url, ip, d,
       CASE WHEN kind = 'comment' AND c % 29 = 0 THEN NULL ELSE d + interval '7 hours' END,
       content, 0, approved, agent, kind, parent, uid
FROM cm ORDER BY c;

UPDATE public.wp_posts p SET comment_count = x.n
FROM (SELECT "comment_post_ID" AS id, count(*) AS n FROM public.wp_comments WHERE comment_approved = '1' AND comment_type IN ('comment', 'review') GROUP BY 1) x
WHERE p."ID" = x.id;

INSERT INTO public.wp_commentmeta (comment_id, meta_key, meta_value)
SELECT c, k, v FROM (
  SELECT cm.c, m.o, m.k, m.v FROM cm,
  LATERAL (VALUES
    (1, 'rating', CASE WHEN cm.kind = 'review' THEN (1 + pg_temp.h('stars' || cm.c) % 5)::text END),
    (2, 'verified', CASE WHEN cm.kind = 'review' THEN CASE WHEN cm.uid > 0 THEN '1' ELSE '0' END END),
    (3, 'akismet_result', CASE WHEN cm.kind = 'comment' THEN CASE WHEN cm.approved = 'spam' THEN 'true' ELSE 'false' END END),
    (4, 'akismet_history', CASE WHEN cm.kind = 'comment' THEN 'a:3:{s:4:"time";d:' || extract(epoch FROM cm.d)::bigint || '.' || (cm.c * 37) % 1000
        || ';s:5:"event";' || pg_temp.php_s(CASE WHEN cm.approved = 'spam' THEN 'check-spam' ELSE 'check-ham' END) || 's:4:"user";s:0:"";}' END),
    (5, 'akismet_as_submitted', CASE WHEN cm.kind = 'comment' AND cm.c % 3 = 0 THEN 'a:10:{'
        || pg_temp.php_s('comment_post_ID') || pg_temp.php_s(cm.post::text)
        || pg_temp.php_s('comment_author') || pg_temp.php_s(cm.author)
        || pg_temp.php_s('comment_author_email') || pg_temp.php_s(cm.email)
        || pg_temp.php_s('comment_author_url') || pg_temp.php_s(cm.url)
        || pg_temp.php_s('comment_content') || pg_temp.php_s(cm.content)
        || pg_temp.php_s('comment_type') || pg_temp.php_s('comment')
        || pg_temp.php_s('user_ip') || pg_temp.php_s(cm.ip)
        || pg_temp.php_s('user_agent') || pg_temp.php_s(cm.agent)
        || pg_temp.php_s('blog') || pg_temp.php_s('https://shop.lumenoptics.com')
        || pg_temp.php_s('blog_lang') || pg_temp.php_s('en_US') || '}' END)
  ) AS m(o, k, v)
) x WHERE v IS NOT NULL ORDER BY c, o;

-- HPOS orders and refunds
INSERT INTO public.wp_wc_orders (id, status, currency, type, tax_amount, total_amount, customer_id, billing_email, date_created_gmt,
    date_updated_gmt, parent_order_id, payment_method, payment_method_title, transaction_id, ip_address, user_agent, customer_note)
SELECT id, status, 'USD', type, tax, total, cust, email, d, d + interval '2 days', parent, pm, pmt, txn, ip, ua, note FROM (
  SELECT o.id, o.st AS status, 'shop_order' AS type,
         round((20 + pg_temp.h('tot' || o.k) % 2400) * 0.08, 2)::numeric(26,8) AS tax,
         (20 + pg_temp.h('tot' || o.k) % 2400)::numeric(26,8) AS total,
         o.uid AS cust, o.email, o.d, 0 AS parent, o.pm,
         CASE o.pm WHEN 'stripe' THEN 'Credit Card (Stripe)' WHEN 'ppcp-gateway' THEN 'PayPal' ELSE 'Direct bank transfer' END AS pmt,
         CASE o.pm WHEN 'stripe' THEN 'pi_3' || pg_temp.alnum('pi' || o.k, 24) WHEN 'ppcp-gateway' THEN upper(pg_temp.hex('pp' || o.k, 17)) ELSE '' END AS txn,
         pg_temp.ip('oip' || o.s || o.k) AS ip, pg_temp.user_agent('oua' || o.s || o.k) AS ua,
         CASE WHEN o.k % 6 = 0 THEN CASE pg_temp.h('note' || o.k) % 5
             WHEN 0 THEN 'Please leave the parcel with my neighbour at ' || pg_temp.street('nb' || o.s) || ' if I am not home.'
             WHEN 1 THEN 'It is a gift - no invoice in the box please. Call me on ' || pg_temp.phone(o.s) || ' if there is a problem.'
             WHEN 2 THEN 'Deliver to my office reception, ask for ' || o.first || '.'
             WHEN 3 THEN 'Leave at the back door.'
             ELSE 'Can you send the invoice to my accountant too: ' || pg_temp.email('acct' || o.s) END ELSE '' END AS note
  FROM orders o
  UNION ALL
  SELECT 1766 + r, 'wc-completed', 'shop_order_refund', 0, -25, 0, NULL, o.d + interval '9 days', o.id, '', NULL, NULL, NULL, NULL, NULL
  FROM generate_series(1, 60) AS r JOIN orders o ON o.k = 1 + (r * 19) % 1200
) x ORDER BY id;

INSERT INTO public.wp_wc_order_addresses (order_id, address_type, first_name, last_name, company, address_1, address_2, city, state,
    postcode, country, email, phone)
SELECT o.id, t, CASE WHEN t = 'shipping' AND o.gift THEN pg_temp.first_name('gift' || o.k) ELSE o.first END,
       CASE WHEN t = 'shipping' AND o.gift THEN pg_temp.last_name('gift' || o.k) ELSE o.last END,
       CASE WHEN t = 'shipping' AND o.gift THEN '' ELSE o.company END,
       pg_temp.street(a), CASE WHEN pg_temp.h('a2' || a) % 6 = 0 THEN 'Apt ' || (1 + pg_temp.h('apt' || a) % 40) ELSE '' END,
       pg_temp.city(a), CASE WHEN pg_temp.cc(a) IN ('US', 'CA', 'AU') THEN pg_temp.region(a) ELSE '' END,
       pg_temp.postal(a), pg_temp.cc(a),
       CASE WHEN t = 'billing' THEN o.email END,
       CASE WHEN t = 'billing' OR o.gift THEN pg_temp.phone(CASE WHEN t = 'shipping' THEN 'gift' || o.k ELSE o.s END) ELSE '' END
FROM orders o, unnest(ARRAY['billing', 'shipping']) AS t,
LATERAL (SELECT CASE WHEN t = 'shipping' AND o.gift THEN 'gift' || o.k ELSE o.s END AS a) x
WHERE t = 'billing' OR o.shipped
ORDER BY o.id, t;

INSERT INTO public.wp_wc_order_operational_data (order_id, created_via, woocommerce_version, prices_include_tax, coupon_usages_are_counted,
    download_permission_granted, cart_hash, new_order_email_sent, order_key, order_stock_reduced, date_paid_gmt, date_completed_gmt,
    shipping_tax_amount, shipping_total_amount, discount_tax_amount, discount_total_amount, recorded_sales)
SELECT o.id, CASE WHEN o.k % 25 = 0 THEN 'admin' ELSE 'checkout' END, CASE WHEN o.k < 300 THEN '8.2.1' ELSE '8.4.0' END, 0, 1,
       CASE WHEN o.k % 10 = 0 THEN 1 ELSE 0 END, md5('cart' || o.k), 1, 'wc_order_' || pg_temp.alnum('okey' || o.k, 13), 1,
       CASE WHEN o.st NOT IN ('wc-failed', 'wc-on-hold', 'wc-cancelled') THEN o.d + interval '1 minute' END,
       CASE WHEN o.st = 'wc-completed' THEN o.d + interval '3 days' END,
       0, CASE WHEN o.shipped THEN 9.95 ELSE 0 END, 0, CASE WHEN o.k % 9 = 0 THEN 10 ELSE 0 END, 1
FROM orders o ORDER BY o.id;

INSERT INTO public.wp_wc_orders_meta (order_id, meta_key, meta_value)
SELECT o.id, m.k, m.v FROM orders o,
LATERAL (SELECT CASE WHEN o.gift THEN 'gift' || o.k ELSE o.s END AS ship_seed) y,
LATERAL (VALUES
  (1, '_stripe_customer_id', CASE WHEN o.pm = 'stripe' AND o.uid > 0 THEN 'cus_' || pg_temp.alnum('stripe' || o.s, 14) END),
  (2, '_stripe_fee', CASE WHEN o.pm = 'stripe' THEN to_char(0.3 + (pg_temp.h('tot' || o.k) % 2400 + 20) * 0.029, 'FM999990.00') END),
  (3, '_wc_order_attribution_source_type', pg_temp.pick(ARRAY['organic','typein','referral','utm'], 'src' || o.k)),
  (4, '_wc_order_attribution_user_agent', CASE WHEN o.k % 2 = 0 THEN pg_temp.user_agent('oua' || o.s || o.k) END),
  (5, '_wc_order_attribution_device_type', CASE WHEN o.k % 3 = 0 THEN 'Mobile' ELSE 'Desktop' END),
  (6, '_billing_address_index', o.first || ' ' || o.last || ' ' || o.company || ' ' || pg_temp.street(o.s) || '  ' || pg_temp.city(o.s) || ' '
        || pg_temp.postal(o.s) || ' ' || pg_temp.cc(o.s) || ' ' || o.email || ' ' || pg_temp.phone(o.s)),
  (7, '_shipping_address_index', CASE WHEN o.shipped THEN
        CASE WHEN o.gift THEN pg_temp.first_name(y.ship_seed) || ' ' || pg_temp.last_name(y.ship_seed) || '  ' ELSE o.first || ' ' || o.last || ' ' || o.company || ' ' END
        || pg_temp.street(y.ship_seed) || '  ' || pg_temp.city(y.ship_seed) || ' ' || pg_temp.postal(y.ship_seed) || ' ' || pg_temp.cc(y.ship_seed)
        || CASE WHEN o.gift THEN ' ' || pg_temp.phone(y.ship_seed) ELSE '' END END),
  (8, 'is_vat_exempt', 'no')
) AS m(o, k, v)
WHERE m.v IS NOT NULL ORDER BY o.id, m.o;

-- order items: 1 to 3 products, shipping, sometimes a coupon
CREATE TEMP TABLE items AS
SELECT row_number() OVER (ORDER BY o.id, x.pos) AS item_id, o.id AS order_id, o.k, o.s, x.pos, x.type, x.n
FROM orders o,
LATERAL (SELECT j AS pos, 'line_item' AS type, 1 + pg_temp.h('li' || o.k || ':' || j) % 120 AS n FROM generate_series(1, 1 + pg_temp.h('nli' || o.k) % 3) AS j
         UNION ALL SELECT 10, 'shipping', NULL WHERE o.shipped
         UNION ALL SELECT 20, 'coupon', NULL WHERE o.k % 9 = 0) x;

INSERT INTO public.wp_woocommerce_order_items (order_item_id, order_item_name, order_item_type, order_id)
SELECT i.item_id, CASE i.type WHEN 'line_item' THEN p.name WHEN 'shipping' THEN CASE WHEN i.k % 4 = 0 THEN 'Free shipping' ELSE 'Flat rate' END
                       ELSE (ARRAY['welcome10','spring15','vip20','student10'])[1 + i.k % 4] END,
       i.type, i.order_id
FROM items i LEFT JOIN products p ON p.n = i.n ORDER BY i.item_id;

INSERT INTO public.wp_woocommerce_order_itemmeta (order_item_id, meta_key, meta_value)
SELECT i.item_id, m.k, m.v FROM items i LEFT JOIN products p ON p.n = i.n,
LATERAL (VALUES
  (1, '_product_id', CASE WHEN i.type = 'line_item' THEN p.id::text END),
  (2, '_variation_id', CASE WHEN i.type = 'line_item' THEN CASE WHEN p.variable THEN (SELECT min("ID") FROM public.wp_posts WHERE post_parent = p.id AND post_type = 'product_variation')::text ELSE '0' END END),
  (3, '_qty', CASE WHEN i.type = 'line_item' THEN (1 + pg_temp.h('qty' || i.item_id) % 2)::text END),
  (4, '_line_subtotal', CASE WHEN i.type = 'line_item' THEN p.price::text END),
  (5, '_line_total', CASE WHEN i.type = 'line_item' THEN p.price::text END),
  (6, 'Engraving', CASE WHEN i.type = 'line_item' AND p.cat = 0 AND i.item_id % 6 = 0 THEN
        CASE WHEN i.item_id % 4 = 0 THEN 'For ' || pg_temp.first_name('gift' || i.k) || ' - love, ' || pg_temp.first_name(i.s)
             ELSE upper(left(pg_temp.first_name(i.s), 1)) || '.' || upper(left(pg_temp.last_name(i.s), 1)) || '. 2024' END END),
  (7, '_gift_card_recipient_name', CASE WHEN i.type = 'line_item' AND p.n = 9 THEN pg_temp.full_name('gift' || i.k) END),
  (8, '_gift_card_recipient_email', CASE WHEN i.type = 'line_item' AND p.n = 9 THEN pg_temp.email('gift' || i.k) END),
  (9, '_gift_card_message', CASE WHEN i.type = 'line_item' AND p.n = 9 THEN 'Happy birthday ' || pg_temp.first_name('gift' || i.k) || '! Call me when you get this: ' || pg_temp.phone(i.s) END),
  (10, 'method_id', CASE WHEN i.type = 'shipping' THEN CASE WHEN i.k % 4 = 0 THEN 'free_shipping' ELSE 'flat_rate' END END),
  (11, 'cost', CASE WHEN i.type = 'shipping' THEN CASE WHEN i.k % 4 = 0 THEN '0.00' ELSE '9.95' END END),
  (12, 'Items', CASE WHEN i.type = 'shipping' THEN (SELECT string_agg(p2.name || ' &times; 1', ', ' ORDER BY i2.pos) FROM items i2 JOIN products p2 ON p2.n = i2.n WHERE i2.order_id = i.order_id) END),
  (13, 'discount_amount', CASE WHEN i.type = 'coupon' THEN '10' END)
) AS m(o, k, v)
WHERE m.v IS NOT NULL ORDER BY i.item_id, m.o;

-- carts of current visitors: a logged-in customer's id or a guest token as the key
INSERT INTO public.wp_woocommerce_sessions (session_key, session_value, session_expiry)
SELECT key, 'a:3:{' || pg_temp.php_s('cart') || pg_temp.php_s('a:1:{' || pg_temp.php_s(md5('sc' || k)) || 'a:3:{' || pg_temp.php_s('product_id') || pg_temp.php_i(12 + k % 120) || pg_temp.php_s('quantity') || 'i:1;' || pg_temp.php_s('line_total') || 'd:99;}}')
       || pg_temp.php_s('customer') || pg_temp.php_s('a:6:{' || pg_temp.php_s('id') || pg_temp.php_s(CASE WHEN uid > 0 THEN uid::text ELSE '0' END)
            || pg_temp.php_s('first_name') || pg_temp.php_s(CASE WHEN k % 3 = 0 THEN pg_temp.first_name(s) ELSE '' END)
            || pg_temp.php_s('email') || pg_temp.php_s(CASE WHEN uid > 0 OR k % 3 = 0 THEN em ELSE '' END)
            || pg_temp.php_s('postcode') || pg_temp.php_s(CASE WHEN k % 2 = 0 THEN pg_temp.postal(s) ELSE '' END)
            || pg_temp.php_s('city') || pg_temp.php_s(pg_temp.city(s))
            || pg_temp.php_s('country') || pg_temp.php_s(pg_temp.cc(s)) || '}')
       || pg_temp.php_s('chosen_shipping_methods') || pg_temp.php_s('a:1:{i:0;s:11:"flat_rate:1";}') || '}',
       1719792000 + pg_temp.h('sexp' || k) % 172800
FROM generate_series(1, 500) AS k,
LATERAL (SELECT CASE WHEN k % 3 = 1 THEN 6 + (k / 3) * 2 ELSE 0 END AS uid) u,
LATERAL (SELECT CASE WHEN u.uid > 0 THEN u.uid::text ELSE 't_' || pg_temp.hex('guestkey' || k, 30) END AS key,
                CASE WHEN u.uid > 0 THEN 'user' || u.uid ELSE 'visitor' || k END AS s,
                CASE WHEN u.uid > 0 THEN (SELECT email FROM people WHERE i = u.uid) ELSE pg_temp.email('visitor' || k) END AS em) x
ORDER BY k;

-- analytics lookup of customers: registered ones, then guests by e-mail
INSERT INTO public.wp_wc_customer_lookup (user_id, username, first_name, last_name, email, date_last_active, date_registered, country, postcode, city, state)
SELECT uid, username, first, last, email, last_active, registered, cc, postal, city, state FROM (
  SELECT 1 AS g, p.i AS uid, p.login AS username, p.first, p.last, p.email, pg_temp.wpts('la' || p.i) AS last_active,
         pg_temp.wpts('ureg' || p.i) AS registered, p.cc, p.postal, p.city, CASE WHEN p.cc IN ('US', 'CA', 'AU') THEN p.region ELSE '' END AS state, p.i AS ord
  FROM people p WHERE p.i > 5
  UNION ALL
  SELECT 2, NULL, '', o.first, o.last, o.email, max(o.d), NULL, pg_temp.cc(o.s), pg_temp.postal(o.s), pg_temp.city(o.s),
         CASE WHEN pg_temp.cc(o.s) IN ('US', 'CA', 'AU') THEN pg_temp.region(o.s) ELSE '' END, min(o.k)
  FROM orders o WHERE o.uid = 0 GROUP BY o.s, o.first, o.last, o.email
) c ORDER BY g, ord;

INSERT INTO public.wp_woocommerce_api_keys (user_id, description, permissions, consumer_key, consumer_secret, nonces, truncated_key, last_access) VALUES
 (1, 'ShipStation', 'read_write', encode(sha256('ck_4f1e0b2c9a7d6e5f3a2b1c0d9e8f7a6b5c4d3e2f'::bytea), 'hex'), 'cs_9b8a7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b', NULL, 'c4d3e2f', '2024-06-28 04:00:12'),
 (4, 'Accounting export', 'read', encode(sha256('ck_1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b'::bytea), 'hex'), 'cs_0f1e2d3c4b5a69788796a5b4c3d2e1f0a9b8c7d6', 'a:1:{i:1719700000;s:12:"a8f5f167f44f";}', 'e8f9a0b', '2024-06-30 23:10:45'),
 (2, 'Zapier - order alerts', 'read', encode(sha256('ck_5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f'::bytea), 'hex'), 'cs_a1b2c3d4e5f60718293a4b5c6d7e8f9a0b1c2d3e', NULL, 'c2d3e4f', NULL),
 (1, 'Mobile app (old)', 'read_write', encode(sha256('ck_9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d'::bytea), 'hex'), 'cs_5f4e3d2c1b0a99887766554433221100ffeeddcc', NULL, 'a6b7c8d', '2023-02-11 16:20:00');

-- the lens calibration guide: download permissions per order and a download log
INSERT INTO public.wp_woocommerce_downloadable_product_permissions (download_id, product_id, order_id, order_key, user_email, user_id,
    downloads_remaining, access_granted, access_expires, download_count)
SELECT '0b3c5d0e-2f4a-4b6c-8d9e-1a2b3c4d5e6f', 15, o.id, 'wc_order_' || pg_temp.alnum('okey' || o.k, 13), o.email,
       CASE WHEN o.uid > 0 THEN o.uid END, '', o.d + interval '1 minute', NULL, 1 + pg_temp.h('dlc' || o.k) % 4
FROM orders o WHERE o.k % 10 = 0 ORDER BY o.id;

INSERT INTO public.wp_wc_download_log ("timestamp", permission_id, user_id, user_ip_address)
SELECT o.d + (j || ' hours')::interval, (o.k / 10), CASE WHEN o.uid > 0 THEN o.uid END, pg_temp.ip('dl' || o.s || j)
FROM orders o, generate_series(1, 1 + pg_temp.h('dlc' || o.k) % 4) AS j
WHERE o.k % 10 = 0 ORDER BY o.k, j;

-- Action Scheduler: background jobs with ids for arguments
INSERT INTO public.wp_actionscheduler_actions (hook, status, scheduled_date_gmt, scheduled_date_local, priority, args, schedule, group_id, attempts,
    last_attempt_gmt, last_attempt_local, claim_id, extended_args)
SELECT hook, st, t, t - interval '7 hours', 10,
       CASE WHEN hook = 'wc-admin_import_orders' THEN '[' || (567 + a % 1200) || ']'
            WHEN hook = 'woocommerce_run_product_attribute_lookup_regeneration_callback' THEN '[' || (12 + a % 120) || ',1]'
            WHEN hook = 'woocommerce_cleanup_draft_orders' THEN '[]' ELSE '{"batch":' || a % 50 || '}' END,
       'O:30:"ActionScheduler_SimpleSchedule":2:{s:19:"scheduled_timestamp";' || pg_temp.php_i(extract(epoch FROM t)::bigint) || 's:9:"timestamp";' || pg_temp.php_i(extract(epoch FROM t)::bigint) || '}',
       CASE WHEN hook = 'wc-admin_import_orders' THEN 2 ELSE 1 END, CASE WHEN st = 'pending' THEN 0 ELSE 1 END,
       CASE WHEN st <> 'pending' THEN t + interval '5 seconds' END, CASE WHEN st <> 'pending' THEN t + interval '5 seconds' - interval '7 hours' END,
       0, NULL
FROM generate_series(1, 700) AS a,
LATERAL (SELECT pg_temp.pick(ARRAY['wc-admin_import_orders','wc-admin_import_orders','woocommerce_cleanup_draft_orders','woocommerce_run_product_attribute_lookup_regeneration_callback',
                                   'woocommerce_cleanup_sessions','wc_admin_daily','action_scheduler/migration_hook'], 'hook' || a) AS hook,
                CASE WHEN a > 680 THEN 'pending' WHEN a % 97 = 0 THEN 'failed' ELSE 'complete' END AS st,
                pg_temp.wpts('as' || a) AS t) x
ORDER BY a;

INSERT INTO public.wp_actionscheduler_logs (action_id, message, log_date_gmt, log_date_local)
SELECT a.action_id, m, a.scheduled_date_gmt + (j || ' seconds')::interval, a.scheduled_date_local + (j || ' seconds')::interval
FROM public.wp_actionscheduler_actions a,
LATERAL (VALUES (1, 'action created'), (2, CASE WHEN a.status = 'failed' THEN 'action failed via WP Cron: Scheduled action for ' || a.hook || ' will not be executed as no callbacks are registered.'
                                              WHEN a.status = 'complete' THEN 'action complete via WP Cron' END)) AS l(j, m)
WHERE m IS NOT NULL ORDER BY a.action_id, j;

-- the converter's last step: sequences past max(id), as MySQL's AUTO_INCREMENT counters were
SELECT setval('public.wp_options_option_id_seq', (SELECT max(option_id) + 3 FROM public.wp_options));
SELECT setval('public.wp_users_id_seq', (SELECT max("ID") FROM public.wp_users));
SELECT setval('public.wp_usermeta_umeta_id_seq', (SELECT max(umeta_id) FROM public.wp_usermeta));
SELECT setval('public.wp_posts_id_seq', (SELECT max("ID") + 7 FROM public.wp_posts));
SELECT setval('public.wp_postmeta_meta_id_seq', (SELECT max(meta_id) FROM public.wp_postmeta));
SELECT setval('public.wp_comments_comment_id_seq', (SELECT max("comment_ID") FROM public.wp_comments));
SELECT setval('public.wp_commentmeta_meta_id_seq', (SELECT max(meta_id) FROM public.wp_commentmeta));
SELECT setval('public.wp_terms_term_id_seq', (SELECT max(term_id) FROM public.wp_terms));
SELECT setval('public.wp_term_taxonomy_term_taxonomy_id_seq', (SELECT max(term_taxonomy_id) FROM public.wp_term_taxonomy));
SELECT setval('public.wp_termmeta_meta_id_seq', (SELECT max(meta_id) FROM public.wp_termmeta));
SELECT setval('public.wp_wc_order_addresses_id_seq', (SELECT max(id) FROM public.wp_wc_order_addresses));
SELECT setval('public.wp_wc_order_operational_data_id_seq', (SELECT max(id) FROM public.wp_wc_order_operational_data));
SELECT setval('public.wp_wc_orders_meta_id_seq', (SELECT max(id) FROM public.wp_wc_orders_meta));
SELECT setval('public.wp_woocommerce_order_items_order_item_id_seq', (SELECT max(order_item_id) FROM public.wp_woocommerce_order_items));
SELECT setval('public.wp_woocommerce_order_itemmeta_meta_id_seq', (SELECT max(meta_id) FROM public.wp_woocommerce_order_itemmeta));
SELECT setval('public.wp_woocommerce_sessions_session_id_seq', (SELECT max(session_id) + 41 FROM public.wp_woocommerce_sessions));
SELECT setval('public.wp_wc_customer_lookup_customer_id_seq', (SELECT max(customer_id) FROM public.wp_wc_customer_lookup));
SELECT setval('public.wp_woocommerce_api_keys_key_id_seq', (SELECT max(key_id) FROM public.wp_woocommerce_api_keys));
SELECT setval('public.wp_woocommerce_downloadable_product_permissions_permission_id_seq', (SELECT max(permission_id) FROM public.wp_woocommerce_downloadable_product_permissions));
SELECT setval('public.wp_wc_download_log_download_log_id_seq', (SELECT max(download_log_id) FROM public.wp_wc_download_log));
SELECT setval('public.wp_actionscheduler_actions_action_id_seq', (SELECT max(action_id) FROM public.wp_actionscheduler_actions));
SELECT setval('public.wp_actionscheduler_logs_log_id_seq', (SELECT max(log_id) FROM public.wp_actionscheduler_logs));

COMMIT;
