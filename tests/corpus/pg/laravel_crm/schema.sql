-- Laravel 10 CRM (Eloquent, Jetstream teams, Sanctum, Cashier, spatie/medialibrary,
-- spatie/laravel-activitylog, spatie/laravel-tags, spatie/laravel-settings,
-- rappasoft/laravel-authentication-log), first run on MySQL 8 and ported to
-- PostgreSQL with a dump converter plus hand fixes, so it keeps MySQL habits:
-- every AUTO_INCREMENT became a free-standing CREATE SEQUENCE with a
-- DEFAULT nextval(...) that is NOT OWNED BY its column (set to max(id) at the
-- end, as the converter does); `bigint unsigned` / `int unsigned` became
-- bigint / integer with CHECK (col >= 0) and one numeric(20,0); tinyint(1)
-- flags became smallint with CHECK (col IN (0, 1)); Laravel's enum() became
-- varchar(255) with a CHECK (col IN (...)); timestamps are timestamp(0)
-- NULL created_at / updated_at, soft deletes add deleted_at; JSON lives in
-- json columns and in text columns Laravel writes with json_encode
-- (notifications.data, failed_jobs.payload, personal_access_tokens.abilities).
-- Polymorphic *able_type / *able_id pairs hold PHP class names
-- (App\Models\Contact). Personal data hides in JSON (activity_log.properties
-- old/new values, notification data, media custom_properties, the GeoIP
-- location of a login, a settings payload), in a PHP-serialized queued mail
-- inside failed_jobs.payload, in base64 session payloads, in file names, in
-- Jetstream's personal team names ("Priya's Team") and in free-text notes.
-- Company (account) names, domains, switchboard phones and office addresses
-- are business data, not personal.
--
-- Load: psql -v ON_ERROR_STOP=1 -d DB -f schema.sql   (deterministic: md5-based)
-- Deterministic data helpers (in pg_temp: never part of the schema or its dumps).
\ir ../helpers.sql

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
-- Laravel's encrypt(): base64 of {"iv":...,"value":...,"mac":...,"tag":""}
CREATE FUNCTION pg_temp.laravel_encrypted(seed text) RETURNS text LANGUAGE sql IMMUTABLE
  AS $$ SELECT pg_temp.b64('{"iv":"' || pg_temp.alnum('iv' || seed, 22) || '==","value":"' || pg_temp.alnum('val' || seed, 64)
        || '","mac":"' || md5('mac' || seed) || md5('mac2' || seed) || '","tag":""}') $$;
CREATE FUNCTION pg_temp.bcrypt(seed text) RETURNS text LANGUAGE sql IMMUTABLE
  AS $$ SELECT '$2y$12$' || translate(pg_temp.alnum('bcrypt' || seed, 53), 'kQz', './Z') $$;
CREATE FUNCTION pg_temp.uuid(seed text) RETURNS uuid LANGUAGE sql IMMUTABLE
  AS $$ SELECT (substr(md5(seed), 1, 12) || '4' || substr(md5(seed), 14, 3) || 'a' || substr(md5(seed), 18, 15))::uuid $$;
CREATE FUNCTION pg_temp.ts0(seed text) RETURNS timestamp LANGUAGE sql IMMUTABLE
  AS $$ SELECT date_trunc('second', (pg_temp.ts(seed) AT TIME ZONE 'UTC')) $$;

BEGIN;

-- MySQL AUTO_INCREMENT counters, created on their own (not OWNED BY a column)
CREATE SEQUENCE public.migrations_id_seq START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;
CREATE SEQUENCE public.users_id_seq START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;
CREATE SEQUENCE public.teams_id_seq START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;
CREATE SEQUENCE public.team_user_id_seq START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;
CREATE SEQUENCE public.team_invitations_id_seq START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;
CREATE SEQUENCE public.companies_id_seq START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;
CREATE SEQUENCE public.contacts_id_seq START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;
CREATE SEQUENCE public.deals_id_seq START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;
CREATE SEQUENCE public.notes_id_seq START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;
CREATE SEQUENCE public.activity_log_id_seq START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;
CREATE SEQUENCE public.media_id_seq START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;
CREATE SEQUENCE public.failed_jobs_id_seq START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;
CREATE SEQUENCE public.personal_access_tokens_id_seq START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;
CREATE SEQUENCE public.authentication_log_id_seq START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;
CREATE SEQUENCE public.tags_id_seq START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;
CREATE SEQUENCE public.settings_id_seq START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;

CREATE TABLE public.migrations (
    id integer DEFAULT nextval('public.migrations_id_seq'::regclass) NOT NULL,
    migration character varying(255) NOT NULL,
    batch integer NOT NULL,
    CONSTRAINT migrations_pkey PRIMARY KEY (id),
    CONSTRAINT migrations_id_unsigned CHECK (id >= 0)
);

CREATE TABLE public.users (
    id bigint DEFAULT nextval('public.users_id_seq'::regclass) NOT NULL,
    name character varying(255) NOT NULL,
    email character varying(255) NOT NULL,
    email_verified_at timestamp(0) without time zone,
    password character varying(255) NOT NULL,
    two_factor_secret text,
    two_factor_recovery_codes text,
    two_factor_confirmed_at timestamp(0) without time zone,
    remember_token character varying(100),
    current_team_id bigint,
    profile_photo_path character varying(2048),
    is_admin smallint DEFAULT 0 NOT NULL,
    timezone character varying(64) DEFAULT 'UTC'::character varying NOT NULL,
    locale character varying(8) DEFAULT 'en'::character varying NOT NULL,
    stripe_id character varying(255),
    pm_type character varying(255),
    pm_last_four character varying(4),
    trial_ends_at timestamp(0) without time zone,
    created_at timestamp(0) without time zone,
    updated_at timestamp(0) without time zone,
    deleted_at timestamp(0) without time zone,
    CONSTRAINT users_pkey PRIMARY KEY (id),
    CONSTRAINT users_id_unsigned CHECK (id >= 0),
    CONSTRAINT users_current_team_id_unsigned CHECK (current_team_id >= 0),
    CONSTRAINT users_is_admin_bool CHECK (is_admin IN (0, 1))
);
CREATE UNIQUE INDEX users_email_unique ON public.users USING btree (email);
CREATE INDEX users_stripe_id_index ON public.users USING btree (stripe_id);

CREATE TABLE public.password_reset_tokens (
    email character varying(255) NOT NULL,
    token character varying(255) NOT NULL,
    created_at timestamp(0) without time zone,
    CONSTRAINT password_reset_tokens_pkey PRIMARY KEY (email)
);

CREATE TABLE public.sessions (
    id character varying(255) NOT NULL,
    user_id bigint,
    ip_address character varying(45),
    user_agent text,
    payload text NOT NULL,
    last_activity integer NOT NULL,
    CONSTRAINT sessions_pkey PRIMARY KEY (id)
);
CREATE INDEX sessions_user_id_index ON public.sessions USING btree (user_id);
CREATE INDEX sessions_last_activity_index ON public.sessions USING btree (last_activity);

CREATE TABLE public.personal_access_tokens (
    id bigint DEFAULT nextval('public.personal_access_tokens_id_seq'::regclass) NOT NULL,
    tokenable_type character varying(255) NOT NULL,
    tokenable_id bigint NOT NULL,
    name character varying(255) NOT NULL,
    token character varying(64) NOT NULL,
    abilities text,
    last_used_at timestamp(0) without time zone,
    expires_at timestamp(0) without time zone,
    created_at timestamp(0) without time zone,
    updated_at timestamp(0) without time zone,
    CONSTRAINT personal_access_tokens_pkey PRIMARY KEY (id),
    CONSTRAINT personal_access_tokens_tokenable_id_unsigned CHECK (tokenable_id >= 0)
);
CREATE UNIQUE INDEX personal_access_tokens_token_unique ON public.personal_access_tokens USING btree (token);
CREATE INDEX personal_access_tokens_tokenable_type_tokenable_id_index ON public.personal_access_tokens USING btree (tokenable_type, tokenable_id);

CREATE TABLE public.failed_jobs (
    id bigint DEFAULT nextval('public.failed_jobs_id_seq'::regclass) NOT NULL,
    uuid character varying(255) NOT NULL,
    connection text NOT NULL,
    queue text NOT NULL,
    payload text NOT NULL,
    exception text NOT NULL,
    failed_at timestamp(0) without time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
    CONSTRAINT failed_jobs_pkey PRIMARY KEY (id)
);
CREATE UNIQUE INDEX failed_jobs_uuid_unique ON public.failed_jobs USING btree (uuid);

CREATE TABLE public.teams (
    id bigint DEFAULT nextval('public.teams_id_seq'::regclass) NOT NULL,
    user_id bigint NOT NULL,
    name character varying(255) NOT NULL,
    personal_team smallint NOT NULL,
    created_at timestamp(0) without time zone,
    updated_at timestamp(0) without time zone,
    CONSTRAINT teams_pkey PRIMARY KEY (id),
    CONSTRAINT teams_user_id_unsigned CHECK (user_id >= 0),
    CONSTRAINT teams_personal_team_bool CHECK (personal_team IN (0, 1))
);
CREATE INDEX teams_user_id_index ON public.teams USING btree (user_id);

CREATE TABLE public.team_user (
    id bigint DEFAULT nextval('public.team_user_id_seq'::regclass) NOT NULL,
    team_id bigint NOT NULL,
    user_id bigint NOT NULL,
    role character varying(255),
    created_at timestamp(0) without time zone,
    updated_at timestamp(0) without time zone,
    CONSTRAINT team_user_pkey PRIMARY KEY (id)
);
CREATE UNIQUE INDEX team_user_team_id_user_id_unique ON public.team_user USING btree (team_id, user_id);

CREATE TABLE public.team_invitations (
    id bigint DEFAULT nextval('public.team_invitations_id_seq'::regclass) NOT NULL,
    team_id bigint NOT NULL,
    email character varying(255) NOT NULL,
    role character varying(255),
    created_at timestamp(0) without time zone,
    updated_at timestamp(0) without time zone,
    CONSTRAINT team_invitations_pkey PRIMARY KEY (id)
);
CREATE UNIQUE INDEX team_invitations_team_id_email_unique ON public.team_invitations USING btree (team_id, email);

CREATE TABLE public.companies (
    id bigint DEFAULT nextval('public.companies_id_seq'::regclass) NOT NULL,
    team_id bigint NOT NULL,
    owner_id bigint,
    name character varying(255) NOT NULL,
    domain character varying(255),
    industry character varying(255) DEFAULT 'other'::character varying NOT NULL,
    phone character varying(50),
    address_line1 character varying(255),
    city character varying(255),
    postcode character varying(20),
    country_code character(2),
    employees integer,
    annual_revenue numeric(15,2),
    created_at timestamp(0) without time zone,
    updated_at timestamp(0) without time zone,
    deleted_at timestamp(0) without time zone,
    CONSTRAINT companies_pkey PRIMARY KEY (id),
    CONSTRAINT companies_industry_check CHECK (((industry)::text = ANY ((ARRAY['software'::character varying, 'manufacturing'::character varying, 'logistics'::character varying, 'healthcare'::character varying, 'retail'::character varying, 'finance'::character varying, 'hospitality'::character varying, 'other'::character varying])::text[]))),
    CONSTRAINT companies_employees_unsigned CHECK (employees >= 0)
);

CREATE TABLE public.contacts (
    id bigint DEFAULT nextval('public.contacts_id_seq'::regclass) NOT NULL,
    team_id bigint NOT NULL,
    company_id bigint,
    owner_id bigint,
    first_name character varying(255) NOT NULL,
    last_name character varying(255),
    email character varying(255),
    phone character varying(50),
    mobile character varying(50),
    job_title character varying(255),
    linkedin_url character varying(255),
    birthday date,
    address_line1 character varying(255),
    city character varying(255),
    postcode character varying(20),
    country_code character(2),
    lead_source character varying(255) DEFAULT 'website'::character varying NOT NULL,
    status character varying(255) DEFAULT 'lead'::character varying NOT NULL,
    newsletter_opt_in smallint DEFAULT 0 NOT NULL,
    custom_fields json,
    created_at timestamp(0) without time zone,
    updated_at timestamp(0) without time zone,
    deleted_at timestamp(0) without time zone,
    CONSTRAINT contacts_pkey PRIMARY KEY (id),
    CONSTRAINT contacts_lead_source_check CHECK (((lead_source)::text = ANY ((ARRAY['website'::character varying, 'referral'::character varying, 'event'::character varying, 'cold_call'::character varying, 'partner'::character varying, 'import'::character varying])::text[]))),
    CONSTRAINT contacts_status_check CHECK (((status)::text = ANY ((ARRAY['lead'::character varying, 'qualified'::character varying, 'customer'::character varying, 'churned'::character varying])::text[]))),
    CONSTRAINT contacts_newsletter_opt_in_bool CHECK (newsletter_opt_in IN (0, 1))
);
CREATE INDEX contacts_company_id_index ON public.contacts USING btree (company_id);
CREATE INDEX contacts_email_index ON public.contacts USING btree (email);
CREATE INDEX contacts_last_name_first_name_index ON public.contacts USING btree (last_name, first_name);

CREATE TABLE public.deals (
    id bigint DEFAULT nextval('public.deals_id_seq'::regclass) NOT NULL,
    team_id bigint NOT NULL,
    company_id bigint,
    contact_id bigint,
    owner_id bigint,
    title character varying(255) NOT NULL,
    amount numeric(15,2) DEFAULT 0 NOT NULL,
    currency character(3) DEFAULT 'EUR'::bpchar NOT NULL,
    stage character varying(255) DEFAULT 'prospecting'::character varying NOT NULL,
    probability smallint DEFAULT 10 NOT NULL,
    expected_close_date date,
    closed_at timestamp(0) without time zone,
    lost_reason text,
    created_at timestamp(0) without time zone,
    updated_at timestamp(0) without time zone,
    deleted_at timestamp(0) without time zone,
    CONSTRAINT deals_pkey PRIMARY KEY (id),
    CONSTRAINT deals_stage_check CHECK (((stage)::text = ANY ((ARRAY['prospecting'::character varying, 'qualification'::character varying, 'proposal'::character varying, 'negotiation'::character varying, 'won'::character varying, 'lost'::character varying])::text[]))),
    CONSTRAINT deals_probability_unsigned CHECK (probability >= 0 AND probability <= 100)
);

CREATE TABLE public.notes (
    id bigint DEFAULT nextval('public.notes_id_seq'::regclass) NOT NULL,
    notable_type character varying(255) NOT NULL,
    notable_id bigint NOT NULL,
    user_id bigint,
    body text NOT NULL,
    is_pinned smallint DEFAULT 0 NOT NULL,
    created_at timestamp(0) without time zone,
    updated_at timestamp(0) without time zone,
    deleted_at timestamp(0) without time zone,
    CONSTRAINT notes_pkey PRIMARY KEY (id),
    CONSTRAINT notes_notable_id_unsigned CHECK (notable_id >= 0),
    CONSTRAINT notes_is_pinned_bool CHECK (is_pinned IN (0, 1))
);
CREATE INDEX notes_notable_type_notable_id_index ON public.notes USING btree (notable_type, notable_id);

CREATE TABLE public.activity_log (
    id bigint DEFAULT nextval('public.activity_log_id_seq'::regclass) NOT NULL,
    log_name character varying(255),
    description text NOT NULL,
    subject_type character varying(255),
    event character varying(255),
    subject_id bigint,
    causer_type character varying(255),
    causer_id bigint,
    properties json,
    batch_uuid uuid,
    created_at timestamp(0) without time zone,
    updated_at timestamp(0) without time zone,
    CONSTRAINT activity_log_pkey PRIMARY KEY (id)
);
CREATE INDEX subject ON public.activity_log USING btree (subject_type, subject_id);
CREATE INDEX causer ON public.activity_log USING btree (causer_type, causer_id);
CREATE INDEX activity_log_log_name_index ON public.activity_log USING btree (log_name);

CREATE TABLE public.media (
    id bigint DEFAULT nextval('public.media_id_seq'::regclass) NOT NULL,
    model_type character varying(255) NOT NULL,
    model_id bigint NOT NULL,
    uuid uuid,
    collection_name character varying(255) NOT NULL,
    name character varying(255) NOT NULL,
    file_name character varying(255) NOT NULL,
    mime_type character varying(255),
    disk character varying(255) NOT NULL,
    conversions_disk character varying(255),
    size numeric(20,0) NOT NULL,
    manipulations json NOT NULL,
    custom_properties json NOT NULL,
    generated_conversions json NOT NULL,
    responsive_images json NOT NULL,
    order_column integer,
    created_at timestamp(0) without time zone,
    updated_at timestamp(0) without time zone,
    CONSTRAINT media_pkey PRIMARY KEY (id),
    CONSTRAINT media_size_unsigned CHECK (size >= 0),
    CONSTRAINT media_order_column_unsigned CHECK (order_column >= 0)
);
CREATE UNIQUE INDEX media_uuid_unique ON public.media USING btree (uuid);
CREATE INDEX media_model_type_model_id_index ON public.media USING btree (model_type, model_id);
CREATE INDEX media_order_column_index ON public.media USING btree (order_column);

CREATE TABLE public.notifications (
    id uuid NOT NULL,
    type character varying(255) NOT NULL,
    notifiable_type character varying(255) NOT NULL,
    notifiable_id bigint NOT NULL,
    data text NOT NULL,
    read_at timestamp(0) without time zone,
    created_at timestamp(0) without time zone,
    updated_at timestamp(0) without time zone,
    CONSTRAINT notifications_pkey PRIMARY KEY (id)
);
CREATE INDEX notifications_notifiable_type_notifiable_id_index ON public.notifications USING btree (notifiable_type, notifiable_id);

CREATE TABLE public.authentication_log (
    id bigint DEFAULT nextval('public.authentication_log_id_seq'::regclass) NOT NULL,
    authenticatable_type character varying(255) NOT NULL,
    authenticatable_id bigint NOT NULL,
    ip_address character varying(45),
    user_agent text,
    login_at timestamp(0) without time zone,
    login_successful smallint DEFAULT 0 NOT NULL,
    logout_at timestamp(0) without time zone,
    cleared_by_user smallint DEFAULT 0 NOT NULL,
    location json,
    CONSTRAINT authentication_log_pkey PRIMARY KEY (id),
    CONSTRAINT authentication_log_login_successful_bool CHECK (login_successful IN (0, 1)),
    CONSTRAINT authentication_log_cleared_by_user_bool CHECK (cleared_by_user IN (0, 1))
);
CREATE INDEX authentication_log_authenticatable_type_authenticatable_id_index ON public.authentication_log USING btree (authenticatable_type, authenticatable_id);

CREATE TABLE public.tags (
    id bigint DEFAULT nextval('public.tags_id_seq'::regclass) NOT NULL,
    name json NOT NULL,
    slug json NOT NULL,
    type character varying(255),
    order_column integer,
    created_at timestamp(0) without time zone,
    updated_at timestamp(0) without time zone,
    CONSTRAINT tags_pkey PRIMARY KEY (id)
);

-- spatie/laravel-tags: no primary key, a unique index instead
CREATE TABLE public.taggables (
    tag_id bigint NOT NULL,
    taggable_type character varying(255) NOT NULL,
    taggable_id bigint NOT NULL,
    CONSTRAINT taggables_tag_id_unsigned CHECK (tag_id >= 0),
    CONSTRAINT taggables_taggable_id_unsigned CHECK (taggable_id >= 0)
);
CREATE UNIQUE INDEX taggables_tag_id_taggable_id_taggable_type_unique ON public.taggables USING btree (tag_id, taggable_id, taggable_type);
CREATE INDEX taggables_taggable_type_taggable_id_index ON public.taggables USING btree (taggable_type, taggable_id);

-- spatie/laravel-settings: one row per setting, the value as JSON
CREATE TABLE public.settings (
    id bigint DEFAULT nextval('public.settings_id_seq'::regclass) NOT NULL,
    "group" character varying(255) NOT NULL,
    name character varying(255) NOT NULL,
    locked smallint DEFAULT 0 NOT NULL,
    payload json NOT NULL,
    created_at timestamp(0) without time zone,
    updated_at timestamp(0) without time zone,
    CONSTRAINT settings_pkey PRIMARY KEY (id),
    CONSTRAINT settings_locked_bool CHECK (locked IN (0, 1))
);
CREATE UNIQUE INDEX settings_group_name_unique ON public.settings USING btree ("group", name);

-- ---------------------------------------------------------------------------
-- Data
-- ---------------------------------------------------------------------------
INSERT INTO public.migrations (migration, batch)
SELECT m, 1 + (o - 1) / 6 FROM unnest(ARRAY[
  '2014_10_12_000000_create_users_table', '2014_10_12_100000_create_password_reset_tokens_table',
  '2014_10_12_200000_add_two_factor_columns_to_users_table', '2018_08_08_100000_create_telescope_entries_table',
  '2019_05_03_000001_create_customer_columns', '2019_05_03_000002_create_subscriptions_table',
  '2019_08_19_000000_create_failed_jobs_table', '2019_12_14_000001_create_personal_access_tokens_table',
  '2020_05_21_100000_create_teams_table', '2020_05_21_200000_create_team_user_table',
  '2020_05_21_300000_create_team_invitations_table', '2021_02_11_090012_create_sessions_table',
  '2021_03_01_101500_create_companies_table', '2021_03_01_101600_create_contacts_table',
  '2021_03_01_101700_create_deals_table', '2021_03_04_143000_create_notes_table',
  '2021_04_12_080000_create_activity_log_table', '2021_04_12_080001_add_event_column_to_activity_log_table',
  '2021_04_12_080002_add_batch_uuid_column_to_activity_log_table', '2021_06_30_120000_create_media_table',
  '2021_07_02_091500_create_notifications_table', '2021_09_14_110000_create_tag_tables',
  '2022_01_10_090000_create_authentication_log_table', '2022_02_21_130000_add_linkedin_url_to_contacts_table',
  '2022_03_08_160000_add_custom_fields_to_contacts_table', '2022_05_17_100000_create_settings_table',
  '2022_05_17_100001_create_general_settings', '2022_05_17_100002_create_privacy_settings',
  '2022_09_01_083000_add_deleted_at_to_companies_table', '2022_11_23_150000_add_lost_reason_to_deals_table',
  '2023_01_16_094500_add_timezone_and_locale_to_users_table', '2023_02_27_101010_drop_telescope_entries_table',
  '2023_05_09_121500_add_birthday_to_contacts_table', '2023_08_22_143000_add_newsletter_opt_in_to_contacts_table',
  '2023_10_05_090000_add_location_to_authentication_log_table', '2023_12_11_170000_add_is_pinned_to_notes_table',
  '2024_01_29_080000_rename_password_resets_table', '2024_02_14_100000_add_expires_at_to_personal_access_tokens_table',
  '2024_03_18_113000_add_conversions_disk_to_media_table', '2024_04_02_160000_add_probability_to_deals_table'
]) WITH ORDINALITY AS t(m, o) ORDER BY o;

-- 400 users (the CRM's own staff and customers' staff); the first three are admins
INSERT INTO public.users (name, email, email_verified_at, password, two_factor_secret, two_factor_recovery_codes,
    two_factor_confirmed_at, remember_token, current_team_id, profile_photo_path, is_admin, timezone, locale,
    stripe_id, pm_type, pm_last_four, trial_ends_at, created_at, updated_at, deleted_at)
SELECT pg_temp.full_name('user' || i),
       pg_temp.unique_email('user' || i, i),
       CASE WHEN i % 17 <> 0 THEN pg_temp.ts0('verified' || i) END,
       pg_temp.bcrypt('user' || i),
       CASE WHEN i % 4 = 0 THEN pg_temp.laravel_encrypted('2fa' || i) END,
       CASE WHEN i % 4 = 0 THEN pg_temp.laravel_encrypted('2farc' || i) END,
       CASE WHEN i % 4 = 0 THEN pg_temp.ts0('2faon' || i) END,
       CASE WHEN i % 3 <> 0 THEN pg_temp.alnum('remember' || i, 60) END,
       i,
       CASE WHEN i % 5 < 2 THEN 'profile-photos/' || pg_temp.alnum('photo' || i, 40) || '.jpg' END,
       (i <= 3)::integer,
       pg_temp.pick(ARRAY['UTC','Europe/Berlin','Europe/London','America/New_York','America/Los_Angeles','Europe/Paris','Asia/Tokyo','Australia/Sydney'], 'tz' || i),
       pg_temp.pick(ARRAY['en','en','en','de','fr','es','ja'], 'loc' || i),
       CASE WHEN i % 10 < 3 THEN 'cus_' || pg_temp.alnum('stripe' || i, 14) END,
       CASE WHEN i % 10 < 3 THEN pg_temp.pick(ARRAY['visa','mastercard','amex','sepa_debit'], 'pm' || i) END,
       CASE WHEN i % 10 < 3 THEN pg_temp.digits('last4' || i, 4) END,
       CASE WHEN i % 10 = 3 THEN pg_temp.ts0('trial' || i) END,
       pg_temp.ts0('ucreated' || i), pg_temp.ts0('ucreated' || i) + interval '9 days',
       CASE WHEN i % 37 = 0 THEN pg_temp.ts0('udeleted' || i) END
FROM generate_series(1, 400) AS i ORDER BY i;

-- Jetstream: every user has a personal team named after their first name; plus shared teams
INSERT INTO public.teams (user_id, name, personal_team, created_at, updated_at)
SELECT i, split_part(pg_temp.full_name('user' || i), ' ', 1) || '''s Team', 1,
       pg_temp.ts0('ucreated' || i), pg_temp.ts0('ucreated' || i)
FROM generate_series(1, 400) AS i ORDER BY i;
INSERT INTO public.teams (user_id, name, personal_team, created_at, updated_at)
SELECT 1 + (k * 37) % 3, t, 0, pg_temp.ts0('team' || k), pg_temp.ts0('team' || k)
FROM unnest(ARRAY['Sales EMEA', 'Sales North America', 'Enterprise Accounts', 'Partnerships', 'Customer Success',
                  'Inside Sales', 'APAC Expansion', 'Public Sector', 'Renewals', 'Marketing Ops', 'Channel', 'Founders Office'])
     WITH ORDINALITY AS x(t, k) ORDER BY k;

INSERT INTO public.team_user (team_id, user_id, role, created_at, updated_at)
SELECT DISTINCT ON (t, u) t, u, pg_temp.pick(ARRAY['admin','editor','editor','viewer'], 'role' || k),
       pg_temp.ts0('tu' || k), pg_temp.ts0('tu' || k)
FROM generate_series(1, 760) AS k, LATERAL (SELECT 401 + pg_temp.h('tut' || k) % 12 AS t, 1 + pg_temp.h('tuu' || k) % 400 AS u) x
ORDER BY t, u, k;

INSERT INTO public.team_invitations (team_id, email, role, created_at, updated_at)
SELECT 401 + k % 12, pg_temp.email('invite' || k), pg_temp.pick(ARRAY['editor','viewer'], 'ir' || k),
       pg_temp.ts0('inv' || k), pg_temp.ts0('inv' || k)
FROM generate_series(1, 40) AS k ORDER BY k;

-- 300 customer companies: business data
CREATE TEMP TABLE co AS
SELECT k,
       w1 || ' ' || w2 || ' ' || sfx AS name,
       lower(w1 || w2) || (CASE WHEN k > 150 THEN k::text ELSE '' END) || '.' || tld AS domain
FROM generate_series(1, 300) AS k,
LATERAL (SELECT pg_temp.pick(ARRAY['Blue','North','Silver','Iron','Golden','Bright','Green','Summit','Harbor','Red','Cedar','Pioneer','Atlas','Nova','Crescent','Granite','Maple','Orbit','Vertex','Lumen'], 'cw1' || k) AS w1,
                pg_temp.pick(ARRAY['wave','field','stone','bridge','point','line','gate','works','leaf','peak','river','forge','light','path','crest'], 'cw2' || k) AS w2,
                pg_temp.pick(ARRAY['Logistics','GmbH','Ltd','Inc.','Analytics','Consulting','Systems','Foods'], 'cw3' || k) AS sfx,
                pg_temp.pick(ARRAY['com','de','io','co.uk','fr','net'], 'tld' || k) AS tld) w;

INSERT INTO public.companies (team_id, owner_id, name, domain, industry, phone, address_line1, city, postcode,
    country_code, employees, annual_revenue, created_at, updated_at, deleted_at)
SELECT 401 + k % 12, 1 + pg_temp.h('cown' || k) % 400, co.name, co.domain,
       pg_temp.pick(ARRAY['software','manufacturing','logistics','healthcare','retail','finance','hospitality','other'], 'ind' || k),
       CASE WHEN k % 6 <> 0 THEN pg_temp.phone('switchboard' || k) END,
       CASE WHEN k % 5 <> 0 THEN pg_temp.street('office' || k) END,
       pg_temp.city('office' || k), CASE WHEN k % 5 <> 0 THEN pg_temp.postal('office' || k) END, pg_temp.cc('office' || k),
       10 + pg_temp.h('emp' || k) % 5000, (50000 + pg_temp.h('rev' || k) % 90000000)::numeric(15,2),
       pg_temp.ts0('cocreated' || k), pg_temp.ts0('cocreated' || k) + interval '30 days',
       CASE WHEN k % 41 = 0 THEN pg_temp.ts0('codeleted' || k) END
FROM co ORDER BY k;

-- 3000 contacts: people at those companies, and some without a company
INSERT INTO public.contacts (team_id, company_id, owner_id, first_name, last_name, email, phone, mobile, job_title,
    linkedin_url, birthday, address_line1, city, postcode, country_code, lead_source, status, newsletter_opt_in,
    custom_fields, created_at, updated_at, deleted_at)
SELECT 401 + i % 12, c, 1 + pg_temp.h('own' || i) % 400,
       pg_temp.first_name(s), CASE WHEN i % 29 <> 0 THEN pg_temp.last_name(s) END,
       CASE WHEN i % 11 = 0 THEN NULL
            WHEN c IS NOT NULL AND i % 3 <> 0 THEN pg_temp.first_slug(s) || '.' || pg_temp.last_slug(s) || '@' || (SELECT domain FROM co WHERE co.k = c)
            ELSE pg_temp.unique_email(s, i) END,
       CASE WHEN i % 4 <> 0 THEN pg_temp.phone('office' || s) END,
       CASE WHEN i % 3 = 0 THEN pg_temp.phone('mobile' || s) END,
       pg_temp.pick(ARRAY['Head of Procurement','CTO','Office Manager','Sales Director','Operations Lead','CFO','IT Administrator','Marketing Manager','Founder','Purchasing Agent'], 'job' || i),
       CASE WHEN i % 4 = 1 THEN 'https://www.linkedin.com/in/' || pg_temp.first_slug(s) || '-' || pg_temp.last_slug(s) || '-' || substr(md5('li' || i), 1, 6) END,
       CASE WHEN i % 5 = 0 THEN date '1955-01-01' + pg_temp.h('bday' || i) % 17000 END,
       CASE WHEN c IS NULL THEN pg_temp.street('home' || s) END,
       pg_temp.city('home' || s),
       CASE WHEN c IS NULL THEN pg_temp.postal('home' || s) END,
       pg_temp.cc('home' || s),
       pg_temp.pick(ARRAY['website','referral','event','cold_call','partner','import'], 'src' || i),
       pg_temp.pick(ARRAY['lead','lead','qualified','customer','customer','churned'], 'cst' || i),
       (i % 3 = 0)::integer,
       CASE pg_temp.h('cf' || i) % 5
         WHEN 0 THEN NULL
         WHEN 1 THEN json_build_object('preferred_channel', 'email', 'segment', 'SMB')
         WHEN 2 THEN json_build_object('preferred_channel', 'phone', 'assistant', json_build_object('name', pg_temp.full_name('assistant' || i), 'phone', pg_temp.phone('assistant' || i)), 'segment', 'Enterprise')
         WHEN 3 THEN json_build_object('twitter', '@' || pg_temp.first_slug(s) || '_' || pg_temp.last_slug(s), 'nps', pg_temp.h('nps' || i) % 11)
         ELSE json_build_object('preferred_channel', 'linkedin', 'segment', 'Mid-Market', 'renewal_month', 1 + pg_temp.h('rm' || i) % 12) END,
       pg_temp.ts0('ccreated' || i), pg_temp.ts0('ccreated' || i) + interval '12 days',
       CASE WHEN i % 53 = 0 THEN pg_temp.ts0('cdeleted' || i) END
FROM generate_series(1, 3000) AS i,
LATERAL (SELECT 'contact' || i AS s, CASE WHEN i % 7 <> 0 THEN 1 + pg_temp.h('cco' || i) % 300 END AS c) x
ORDER BY i;

INSERT INTO public.deals (team_id, company_id, contact_id, owner_id, title, amount, currency, stage, probability,
    expected_close_date, closed_at, lost_reason, created_at, updated_at, deleted_at)
SELECT 401 + d % 12, c, ct, 1 + pg_temp.h('down' || d) % 400,
       (SELECT name FROM co WHERE co.k = c) || ' - ' || pg_temp.pick(ARRAY['CRM licences','Annual renewal','Onboarding package','Upsell: 25 seats','Pilot','Support plan','Data migration'], 'dt' || d) || ' ' || (2021 + d % 4),
       (500 + pg_temp.h('amt' || d) % 250000)::numeric(15,2),
       pg_temp.pick(ARRAY['EUR','EUR','USD','GBP'], 'cur' || d), st,
       CASE st WHEN 'prospecting' THEN 10 WHEN 'qualification' THEN 25 WHEN 'proposal' THEN 50 WHEN 'negotiation' THEN 75 WHEN 'won' THEN 100 ELSE 0 END,
       (pg_temp.ts0('close' || d))::date,
       CASE WHEN st IN ('won', 'lost') THEN pg_temp.ts0('closed' || d) END,
       CASE WHEN st = 'lost' THEN CASE pg_temp.h('lr' || d) % 5
         WHEN 0 THEN 'Went with a competitor (cheaper).'
         WHEN 1 THEN 'Budget frozen until next fiscal year.'
         WHEN 2 THEN 'Our champion ' || pg_temp.full_name('contact' || ct) || ' left the company; successor is ' || pg_temp.full_name('succ' || d) || ', reach her at ' || pg_temp.email('succ' || d) || '.'
         WHEN 3 THEN 'No decision. ' || pg_temp.first_name('contact' || ct) || ' asked us to call back on ' || pg_temp.phone('mobile' || 'contact' || ct) || ' in Q3.'
         ELSE 'Procurement went silent after the security review.' END END,
       pg_temp.ts0('dcreated' || d), pg_temp.ts0('dcreated' || d) + interval '20 days',
       CASE WHEN d % 61 = 0 THEN pg_temp.ts0('ddeleted' || d) END
FROM generate_series(1, 1500) AS d,
LATERAL (SELECT 1 + pg_temp.h('dco' || d) % 300 AS c, 1 + pg_temp.h('dct' || d) % 3000 AS ct,
                pg_temp.pick(ARRAY['prospecting','qualification','proposal','negotiation','won','won','lost','lost'], 'stage' || d) AS st) x
ORDER BY d;

INSERT INTO public.notes (notable_type, notable_id, user_id, body, is_pinned, created_at, updated_at, deleted_at)
SELECT CASE k % 3 WHEN 0 THEN 'App\Models\Company' WHEN 1 THEN 'App\Models\Contact' ELSE 'App\Models\Deal' END,
       CASE k % 3 WHEN 0 THEN 1 + pg_temp.h('nco' || k) % 300 WHEN 1 THEN ct ELSE 1 + pg_temp.h('nde' || k) % 1500 END,
       1 + pg_temp.h('nu' || k) % 400,
       CASE pg_temp.h('nb' || k) % 8
         WHEN 0 THEN 'Call with ' || pg_temp.full_name('contact' || ct) || ' went well, send the proposal by Friday.'
         WHEN 1 THEN 'New direct line: ' || pg_temp.phone('direct' || k) || ' (mornings only).'
         WHEN 2 THEN 'Prefers e-mail to ' || pg_temp.email('private' || k) || ' rather than the work address.'
         WHEN 3 THEN 'Send the welcome pack to her home address: ' || pg_temp.street('home' || 'contact' || ct) || ', ' || pg_temp.city('home' || 'contact' || ct) || '.'
         WHEN 4 THEN 'On sick leave after knee surgery until the end of the month; ' || pg_temp.first_name('contact' || ct) || '''s deputy handles renewals.'
         WHEN 5 THEN 'Procurement needs three quotes; decision in the board meeting next quarter.'
         WHEN 6 THEN 'Met ' || pg_temp.first_name('contact' || ct) || ' and ' || pg_temp.full_name('met' || k) || ' at the trade fair, booth B12. Follow up at ' || pg_temp.email('contact' || ct) || '.'
         ELSE 'Interested in the API add-on. Asked for a sandbox.' END,
       (k % 19 = 0)::integer,
       pg_temp.ts0('ncreated' || k), pg_temp.ts0('ncreated' || k) + interval '1 hour',
       CASE WHEN k % 71 = 0 THEN pg_temp.ts0('ndeleted' || k) END
FROM generate_series(1, 2000) AS k, LATERAL (SELECT 1 + pg_temp.h('nct' || k) % 3000 AS ct) x
ORDER BY k;

-- spatie/laravel-activitylog: old and new attribute values of audited models
INSERT INTO public.activity_log (log_name, description, subject_type, event, subject_id, causer_type, causer_id,
    properties, batch_uuid, created_at, updated_at)
SELECT 'default', ev,
       CASE WHEN a % 4 = 3 THEN 'App\Models\Deal' ELSE 'App\Models\Contact' END, ev,
       CASE WHEN a % 4 = 3 THEN 1 + pg_temp.h('ad' || a) % 1500 ELSE ct END,
       CASE WHEN a % 9 = 0 THEN NULL ELSE 'App\Models\User' END,
       CASE WHEN a % 9 = 0 THEN NULL ELSE 1 + pg_temp.h('acu' || a) % 400 END,
       CASE WHEN a % 4 = 3 THEN
              json_build_object('attributes', json_build_object('stage', 'won', 'amount', (500 + pg_temp.h('aam' || a) % 90000) || '.00'),
                                'old', json_build_object('stage', 'negotiation', 'amount', (500 + pg_temp.h('aom' || a) % 90000) || '.00'))
            WHEN ev = 'created' THEN
              json_build_object('attributes', json_build_object('first_name', pg_temp.first_name('contact' || ct), 'last_name', pg_temp.last_name('contact' || ct),
                                                                'email', pg_temp.unique_email('contact' || ct, ct), 'status', 'lead'))
            WHEN ev = 'deleted' THEN
              json_build_object('old', json_build_object('first_name', pg_temp.first_name('contact' || ct), 'last_name', pg_temp.last_name('contact' || ct),
                                                         'email', pg_temp.unique_email('contact' || ct, ct)))
            ELSE
              json_build_object('attributes', json_build_object('email', pg_temp.email('new' || a), 'phone', pg_temp.phone('new' || a)),
                                'old', json_build_object('email', pg_temp.unique_email('contact' || ct, ct), 'phone', pg_temp.phone('office' || 'contact' || ct))) END,
       CASE WHEN a % 5 = 0 THEN pg_temp.uuid('batch' || (a / 10)) END,
       pg_temp.ts0('act' || a), pg_temp.ts0('act' || a)
FROM generate_series(1, 3000) AS a,
LATERAL (SELECT 1 + pg_temp.h('act' || a) % 3000 AS ct,
                CASE WHEN a % 4 = 3 THEN 'updated' ELSE pg_temp.pick(ARRAY['created','updated','updated','updated','deleted'], 'ev' || a) END AS ev) x
ORDER BY a;

-- spatie/laravel-medialibrary: avatars, documents and attachments of contacts, users and deals
INSERT INTO public.media (model_type, model_id, uuid, collection_name, name, file_name, mime_type, disk, conversions_disk,
    size, manipulations, custom_properties, generated_conversions, responsive_images, order_column, created_at, updated_at)
SELECT model_type, model_id, pg_temp.uuid('media' || m), coll,
       regexp_replace(fname, '\.[A-Za-z0-9]+$', ''), fname,
       CASE WHEN fname ~* '\.(jpg|jpeg)$' THEN 'image/jpeg' WHEN fname ~* '\.png$' THEN 'image/png' WHEN fname ~* '\.pdf$' THEN 'application/pdf'
            ELSE 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' END,
       's3', CASE WHEN coll = 'avatar' THEN 's3' END,
       (20000 + pg_temp.h('msize' || m) % 8000000)::numeric(20,0),
       '[]'::json,
       CASE pg_temp.h('mcp' || m) % 4
         WHEN 0 THEN '[]'::json
         WHEN 1 THEN json_build_object('uploaded_by', pg_temp.unique_email('user' || up, up))
         WHEN 2 THEN json_build_object('uploaded_by', pg_temp.unique_email('user' || up, up),
                                       'caption', 'Business card of ' || pg_temp.full_name('card' || m) || ', ' || pg_temp.phone('card' || m))
         ELSE json_build_object('uploaded_by', pg_temp.unique_email('user' || up, up),
                                'gps', json_build_object('lat', round((35 + pg_temp.h('lat' || m) % 2000 / 100.0)::numeric, 5), 'lng', round((-10 + pg_temp.h('lng' || m) % 3000 / 100.0)::numeric, 5))) END,
       CASE WHEN coll = 'avatar' THEN '{"thumb":true,"preview":true}'::json ELSE '[]'::json END,
       '[]'::json,
       1 + m % 5,
       pg_temp.ts0('mcreated' || m), pg_temp.ts0('mcreated' || m)
FROM generate_series(1, 1200) AS m,
LATERAL (SELECT 1 + pg_temp.h('mup' || m) % 400 AS up,
                CASE m % 4 WHEN 0 THEN 'App\Models\User' WHEN 3 THEN 'App\Models\Deal' ELSE 'App\Models\Contact' END AS model_type,
                CASE m % 4 WHEN 0 THEN 1 + pg_temp.h('mmu' || m) % 400 WHEN 3 THEN 1 + pg_temp.h('mmd' || m) % 1500 ELSE 1 + pg_temp.h('mmc' || m) % 3000 END AS model_id,
                CASE m % 4 WHEN 0 THEN 'avatar' WHEN 3 THEN 'attachments' ELSE CASE WHEN m % 8 = 1 THEN 'avatar' ELSE 'documents' END END AS coll) x,
LATERAL (SELECT CASE
           WHEN coll = 'avatar' THEN CASE pg_temp.h('mf' || m) % 3
                WHEN 0 THEN pg_temp.first_slug((CASE WHEN m % 4 = 0 THEN 'user' ELSE 'contact' END) || model_id) || '-' || pg_temp.last_slug((CASE WHEN m % 4 = 0 THEN 'user' ELSE 'contact' END) || model_id) || '.jpg'
                WHEN 1 THEN 'IMG_' || (1000 + pg_temp.h('img' || m) % 9000) || '.JPG'
                ELSE 'photo.jpg' END
           WHEN coll = 'documents' THEN CASE pg_temp.h('mf' || m) % 4
                WHEN 0 THEN 'passport-scan-' || pg_temp.first_slug('contact' || model_id) || '-' || pg_temp.last_slug('contact' || model_id) || '.pdf'
                WHEN 1 THEN 'CV_' || replace(pg_temp.full_name('contact' || model_id), ' ', '_') || '.docx'
                WHEN 2 THEN 'NDA-signed-' || to_char(pg_temp.ts('nda' || m), 'YYYY-MM-DD') || '.pdf'
                ELSE 'business-card-' || pg_temp.alnum('bc' || m, 6) || '.png' END
           ELSE CASE pg_temp.h('mf' || m) % 3
                WHEN 0 THEN 'Proposal_v' || (1 + m % 4) || '.pdf'
                WHEN 1 THEN 'Screenshot ' || to_char(pg_temp.ts('shot' || m), 'YYYY-MM-DD "at" HH24.MI.SS') || '.png'
                ELSE 'signed-order-form-' || m || '.pdf' END END AS fname) f
ORDER BY m;

-- database notifications; data is json_encode() output in a text column
INSERT INTO public.notifications (id, type, notifiable_type, notifiable_id, data, read_at, created_at, updated_at)
SELECT pg_temp.uuid('notif' || n),
       CASE n % 3 WHEN 0 THEN 'App\Notifications\ContactAssigned' WHEN 1 THEN 'App\Notifications\DealStageChanged' ELSE 'App\Notifications\MentionedInNote' END,
       'App\Models\User', 1 + pg_temp.h('nn' || n) % 400,
       pg_temp.compact(CASE n % 3
         WHEN 0 THEN json_build_object('contact_id', ct, 'contact_name', pg_temp.full_name('contact' || ct),
                                       'contact_email', pg_temp.unique_email('contact' || ct, ct), 'assigned_by', pg_temp.full_name('user' || by))
         WHEN 1 THEN json_build_object('deal_id', 1 + pg_temp.h('nd' || n) % 1500, 'stage', pg_temp.pick(ARRAY['proposal','negotiation','won','lost'], 'nst' || n), 'url', 'https://crm.example-saas.com/deals/' || (1 + pg_temp.h('nd' || n) % 1500))
         ELSE json_build_object('note_id', 1 + pg_temp.h('nno' || n) % 2000, 'author', pg_temp.full_name('user' || by),
                                'excerpt', CASE WHEN n % 2 = 0 THEN '@' || split_part(pg_temp.full_name('user' || (1 + pg_temp.h('nn' || n) % 400)), ' ', 1) || ' can you call ' || pg_temp.first_name('contact' || ct) || ' on ' || pg_temp.phone('office' || 'contact' || ct) || '?'
                                                ELSE '@' || split_part(pg_temp.full_name('user' || (1 + pg_temp.h('nn' || n) % 400)), ' ', 1) || ' please take over this account.' END) END),
       CASE WHEN n % 3 <> 2 THEN pg_temp.ts0('nread' || n) END,
       pg_temp.ts0('ncr' || n), pg_temp.ts0('ncr' || n)
FROM generate_series(1, 2000) AS n,
LATERAL (SELECT 1 + pg_temp.h('nct' || n) % 3000 AS ct, 1 + pg_temp.h('nby' || n) % 400 AS by) x
ORDER BY n;

-- failed queued mails: the payload carries the PHP-serialized mailable, recipient included
INSERT INTO public.failed_jobs (uuid, connection, queue, payload, exception, failed_at)
SELECT pg_temp.uuid('job' || j)::text, 'redis', CASE WHEN j % 4 = 0 THEN 'default' ELSE 'emails' END,
       pg_temp.compact(json_build_object(
         'uuid', pg_temp.uuid('job' || j)::text,
         'displayName', mail,
         'job', 'Illuminate\Queue\CallQueuedHandler@call',
         'maxTries', NULL, 'maxExceptions', NULL, 'failOnTimeout', false, 'backoff', NULL, 'timeout', NULL, 'retryUntil', NULL,
         'data', json_build_object(
           'commandName', 'Illuminate\Mail\SendQueuedMailable',
           'command', 'O:34:"Illuminate\Mail\SendQueuedMailable":3:{s:8:"mailable";O:' || length(mail) || ':"' || mail || '":3:{s:2:"to";a:1:{i:0;a:2:{'
                      || pg_temp.php_s('name') || pg_temp.php_s(pg_temp.full_name('contact' || ct)) || pg_temp.php_s('address') || pg_temp.php_s(pg_temp.unique_email('contact' || ct, ct))
                      || '}}s:6:"mailer";s:4:"smtp";s:6:"locale";s:2:"en";}s:5:"tries";N;s:7:"timeout";N;}'))),
       CASE j % 3
         WHEN 0 THEN 'Symfony\Component\Mailer\Exception\TransportException: Expected response code "250" but got code "550", with message "550 5.1.1 <'
                     || pg_temp.unique_email('contact' || ct, ct) || '>: Recipient address rejected: User unknown in virtual mailbox table". in /var/www/html/vendor/symfony/mailer/Transport/Smtp/SmtpTransport.php:331'
                     || E'\nStack trace:\n#0 /var/www/html/vendor/symfony/mailer/Transport/Smtp/SmtpTransport.php(198): Symfony\\Component\\Mailer\\Transport\\Smtp\\SmtpTransport->assertResponseCode()'
                     || E'\n#1 /var/www/html/vendor/laravel/framework/src/Illuminate/Mail/Mailer.php(573): Symfony\\Component\\Mailer\\Transport\\AbstractTransport->send()\n#2 {main}'
         WHEN 1 THEN 'Illuminate\Http\Client\ConnectionException: cURL error 28: Operation timed out after 30001 milliseconds with 0 bytes received for https://api.hubapi.com/crm/v3/objects/contacts in /var/www/html/vendor/laravel/framework/src/Illuminate/Http/Client/PendingRequest.php:933'
                     || E'\nStack trace:\n#0 {main}'
         ELSE 'Symfony\Component\Mailer\Exception\TransportException: Connection could not be established with host "smtp.mailgun.org:587": stream_socket_client(): Unable to connect to smtp.mailgun.org:587 (Connection refused) in /var/www/html/vendor/symfony/mailer/Transport/Smtp/Stream/SocketStream.php:154'
                     || E'\nStack trace:\n#0 {main}' END,
       pg_temp.ts0('failed' || j)
FROM generate_series(1, 150) AS j,
LATERAL (SELECT 1 + pg_temp.h('jct' || j) % 3000 AS ct,
                pg_temp.pick(ARRAY['App\Mail\WelcomeMail','App\Mail\QuoteSent','App\Mail\InvoiceReminder'], 'jm' || j) AS mail) x
ORDER BY j;

-- database session driver: id, IP, user agent, base64 of the PHP-serialized session
INSERT INTO public.sessions (id, user_id, ip_address, user_agent, payload, last_activity)
SELECT pg_temp.alnum('sess' || k, 40), CASE WHEN k % 6 <> 0 THEN u END,
       pg_temp.ipv4('sess' || k), pg_temp.user_agent('sess' || k),
       pg_temp.b64('a:4:{' || pg_temp.php_s('_token') || pg_temp.php_s(pg_temp.alnum('csrf' || k, 40))
                   || pg_temp.php_s('_previous') || 'a:1:{' || pg_temp.php_s('url') || pg_temp.php_s('https://crm.example-saas.com/contacts/' || (1 + pg_temp.h('surl' || k) % 3000)) || '}'
                   || pg_temp.php_s('_flash') || 'a:2:{' || pg_temp.php_s('old') || 'a:0:{}' || pg_temp.php_s('new') || 'a:0:{}}'
                   || CASE WHEN k % 6 <> 0 THEN pg_temp.php_s('login_web_59ba36addc2b2f9401580f014c7f58ea4e30989d') || 'i:' || u || ';'
                           ELSE pg_temp.php_s('url') || 'a:0:{}' END || '}'),
       1704067200 + pg_temp.h('lastact' || k) % 15552000
FROM generate_series(1, 600) AS k, LATERAL (SELECT 1 + pg_temp.h('su' || k) % 400 AS u) x
ORDER BY k;

-- Sanctum API tokens: sha256 of the plain token
INSERT INTO public.personal_access_tokens (tokenable_type, tokenable_id, name, token, abilities, last_used_at, expires_at, created_at, updated_at)
SELECT 'App\Models\User', 1 + pg_temp.h('pat' || t) % 400,
       pg_temp.pick(ARRAY['zapier','mobile-app','import-script','api','make.com','reporting'], 'patn' || t),
       encode(sha256(convert_to('plain-token-' || t, 'UTF8')), 'hex'),
       CASE WHEN t % 3 = 0 THEN '["contacts:read","deals:read"]' ELSE '["*"]' END,
       CASE WHEN t % 4 <> 0 THEN pg_temp.ts0('patu' || t) END,
       CASE WHEN t % 5 = 0 THEN pg_temp.ts0('pate' || t) END,
       pg_temp.ts0('patc' || t), pg_temp.ts0('patc' || t)
FROM generate_series(1, 500) AS t ORDER BY t;

INSERT INTO public.password_reset_tokens (email, token, created_at)
SELECT pg_temp.unique_email('user' || u, u), pg_temp.bcrypt('reset' || u), pg_temp.ts0('reset' || u)
FROM generate_series(7, 400, 7) AS u ORDER BY u;

-- rappasoft/laravel-authentication-log: every login, with a GeoIP lookup of the address
INSERT INTO public.authentication_log (authenticatable_type, authenticatable_id, ip_address, user_agent, login_at,
    login_successful, logout_at, cleared_by_user, location)
SELECT 'App\Models\User', u, ip, pg_temp.user_agent('auth' || a), pg_temp.ts0('login' || a),
       (a % 13 <> 0)::integer, CASE WHEN a % 3 = 0 THEN pg_temp.ts0('login' || a) + interval '2 hours' END, 0,
       CASE WHEN a % 8 = 0 THEN NULL ELSE
         json_build_object('ip', ip, 'iso_code', pg_temp.cc('geo' || u), 'country', pg_temp.country('geo' || u), 'city', pg_temp.city('geo' || u),
                           'state', pg_temp.region('geo' || u), 'postal_code', pg_temp.postal('geo' || u),
                           'lat', round((pg_temp.h('glat' || u) % 12000 / 100.0 - 40)::numeric, 4), 'lon', round((pg_temp.h('glon' || u) % 30000 / 100.0 - 150)::numeric, 4),
                           'timezone', 'Europe/Berlin', 'continent', 'EU', 'currency', 'EUR', 'default', false, 'cached', a % 2 = 0) END
FROM generate_series(1, 2500) AS a,
LATERAL (SELECT 1 + pg_temp.h('au' || a) % 400 AS u, pg_temp.ipv4('auth' || (a % 900)) AS ip) x
ORDER BY a;

INSERT INTO public.tags (name, slug, type, order_column, created_at, updated_at)
SELECT json_build_object('en', t), json_build_object('en', lower(replace(t, ' ', '-'))),
       CASE WHEN o <= 8 THEN 'segment' ELSE NULL END, o, pg_temp.ts0('tag' || o), pg_temp.ts0('tag' || o)
FROM unnest(ARRAY['VIP','Enterprise','SMB','Mid-Market','Startup','Public Sector','Non-Profit','Partner','Hot lead','Cold lead',
                  'Newsletter','Event 2023','Event 2024','Churn risk','Upsell','Reference customer','Beta tester','GDPR request',
                  'Do not call','Trial','Renewal due','Champion','Decision maker','Technical buyer','Procurement']) WITH ORDINALITY AS x(t, o)
ORDER BY o;

INSERT INTO public.taggables (tag_id, taggable_type, taggable_id)
SELECT DISTINCT 1 + pg_temp.h('tg' || k) % 25, CASE WHEN k % 4 = 0 THEN 'App\Models\Company' ELSE 'App\Models\Contact' END,
       CASE WHEN k % 4 = 0 THEN 1 + pg_temp.h('tgc' || k) % 300 ELSE 1 + pg_temp.h('tgp' || k) % 3000 END
FROM generate_series(1, 3100) AS k ORDER BY 1, 2, 3;

INSERT INTO public.settings ("group", name, locked, payload, created_at, updated_at) VALUES
 ('general', 'site_name', 0, '"Northwind CRM"', '2022-05-17 10:00:01', '2022-05-17 10:00:01'),
 ('general', 'site_active', 0, 'true', '2022-05-17 10:00:01', '2022-05-17 10:00:01'),
 ('general', 'default_timezone', 0, '"Europe/Berlin"', '2022-05-17 10:00:01', '2023-01-16 09:45:00'),
 ('general', 'default_currency', 0, '"EUR"', '2022-05-17 10:00:01', '2022-05-17 10:00:01'),
 ('general', 'support_email', 0, '"support@northwind-crm.com"', '2022-05-17 10:00:01', '2022-05-17 10:00:01'),
 ('general', 'support_phone', 0, '"+49 30 44556677"', '2022-05-17 10:00:01', '2022-05-17 10:00:01'),
 ('mail', 'from_address', 1, '"no-reply@northwind-crm.com"', '2022-05-17 10:00:01', '2022-05-17 10:00:01'),
 ('mail', 'from_name', 1, '"Northwind CRM"', '2022-05-17 10:00:01', '2022-05-17 10:00:01'),
 ('privacy', 'data_protection_officer', 1, '{"name":"Hannah Fischer","email":"hannah.fischer@fischer-datenschutz.de","phone":"+49 151 23456789"}', '2022-05-17 10:00:02', '2024-02-01 08:30:00'),
 ('privacy', 'retention_days', 0, '730', '2022-05-17 10:00:02', '2022-05-17 10:00:02'),
 ('privacy', 'imprint_contact', 0, '{"name":"Jürgen Müller","email":"juergen.mueller@northwind.com","phone":"+49 30 9876543","street":"Hauptstrasse 17"}', '2022-05-17 10:00:02', '2023-06-12 11:00:00'),
 ('billing', 'invoice_prefix', 0, '"NW-"', '2022-05-17 10:00:03', '2022-05-17 10:00:03'),
 ('billing', 'vat_rate', 0, '19', '2022-05-17 10:00:03', '2022-05-17 10:00:03'),
 ('billing', 'stripe_mode', 1, '"live"', '2022-05-17 10:00:03', '2022-05-17 10:00:03'),
 ('integrations', 'hubspot_enabled', 0, 'false', '2022-05-17 10:00:04', '2022-05-17 10:00:04'),
 ('integrations', 'slack_channels', 0, '["#sales","#deals-won"]', '2022-05-17 10:00:04', '2022-05-17 10:00:04');

-- the converter's last step: every sequence set to the table's max(id)
SELECT setval('public.migrations_id_seq', (SELECT max(id) FROM public.migrations));
SELECT setval('public.users_id_seq', (SELECT max(id) FROM public.users));
SELECT setval('public.teams_id_seq', (SELECT max(id) FROM public.teams));
SELECT setval('public.team_user_id_seq', (SELECT max(id) FROM public.team_user));
SELECT setval('public.team_invitations_id_seq', (SELECT max(id) FROM public.team_invitations));
SELECT setval('public.companies_id_seq', (SELECT max(id) FROM public.companies));
SELECT setval('public.contacts_id_seq', (SELECT max(id) FROM public.contacts));
SELECT setval('public.deals_id_seq', (SELECT max(id) FROM public.deals));
SELECT setval('public.notes_id_seq', (SELECT max(id) FROM public.notes));
SELECT setval('public.activity_log_id_seq', (SELECT max(id) FROM public.activity_log));
SELECT setval('public.media_id_seq', (SELECT max(id) FROM public.media));
SELECT setval('public.failed_jobs_id_seq', (SELECT max(id) FROM public.failed_jobs));
SELECT setval('public.personal_access_tokens_id_seq', (SELECT max(id) FROM public.personal_access_tokens));
SELECT setval('public.authentication_log_id_seq', (SELECT max(id) FROM public.authentication_log));
SELECT setval('public.tags_id_seq', (SELECT max(id) FROM public.tags));
SELECT setval('public.settings_id_seq', (SELECT max(id) FROM public.settings));

ALTER TABLE ONLY public.users ADD CONSTRAINT users_current_team_id_foreign FOREIGN KEY (current_team_id) REFERENCES public.teams(id) ON DELETE SET NULL;
ALTER TABLE ONLY public.teams ADD CONSTRAINT teams_user_id_foreign FOREIGN KEY (user_id) REFERENCES public.users(id) ON DELETE CASCADE;
ALTER TABLE ONLY public.team_user ADD CONSTRAINT team_user_team_id_foreign FOREIGN KEY (team_id) REFERENCES public.teams(id) ON DELETE CASCADE;
ALTER TABLE ONLY public.team_user ADD CONSTRAINT team_user_user_id_foreign FOREIGN KEY (user_id) REFERENCES public.users(id) ON DELETE CASCADE;
ALTER TABLE ONLY public.team_invitations ADD CONSTRAINT team_invitations_team_id_foreign FOREIGN KEY (team_id) REFERENCES public.teams(id) ON DELETE CASCADE;
ALTER TABLE ONLY public.sessions ADD CONSTRAINT sessions_user_id_foreign FOREIGN KEY (user_id) REFERENCES public.users(id) ON DELETE CASCADE;
ALTER TABLE ONLY public.companies ADD CONSTRAINT companies_team_id_foreign FOREIGN KEY (team_id) REFERENCES public.teams(id);
ALTER TABLE ONLY public.companies ADD CONSTRAINT companies_owner_id_foreign FOREIGN KEY (owner_id) REFERENCES public.users(id) ON DELETE SET NULL;
ALTER TABLE ONLY public.contacts ADD CONSTRAINT contacts_team_id_foreign FOREIGN KEY (team_id) REFERENCES public.teams(id);
ALTER TABLE ONLY public.contacts ADD CONSTRAINT contacts_company_id_foreign FOREIGN KEY (company_id) REFERENCES public.companies(id) ON DELETE SET NULL;
ALTER TABLE ONLY public.contacts ADD CONSTRAINT contacts_owner_id_foreign FOREIGN KEY (owner_id) REFERENCES public.users(id) ON DELETE SET NULL;
ALTER TABLE ONLY public.deals ADD CONSTRAINT deals_company_id_foreign FOREIGN KEY (company_id) REFERENCES public.companies(id) ON DELETE SET NULL;
ALTER TABLE ONLY public.deals ADD CONSTRAINT deals_contact_id_foreign FOREIGN KEY (contact_id) REFERENCES public.contacts(id) ON DELETE SET NULL;
ALTER TABLE ONLY public.deals ADD CONSTRAINT deals_owner_id_foreign FOREIGN KEY (owner_id) REFERENCES public.users(id) ON DELETE SET NULL;
ALTER TABLE ONLY public.notes ADD CONSTRAINT notes_user_id_foreign FOREIGN KEY (user_id) REFERENCES public.users(id) ON DELETE SET NULL;
ALTER TABLE ONLY public.taggables ADD CONSTRAINT taggables_tag_id_foreign FOREIGN KEY (tag_id) REFERENCES public.tags(id) ON DELETE CASCADE;

COMMIT;
