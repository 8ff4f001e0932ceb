-- Prisma-style event photo sharing app (as `prisma migrate deploy` leaves a
-- PostgreSQL database): quoted PascalCase tables ("User", "Account",
-- "Session", "VerificationToken", "Event", "Guest", "Photo"), camelCase
-- columns ("userId", "createdAt"), text ids that look like cuids, enums
-- ("Role", "EventStatus", "PhotoStatus"), timestamp(3) columns, the
-- _prisma_migrations table, NextAuth/Auth.js OAuth columns in snake_case
-- (refresh_token, access_token, id_token), jsonb with nested contact data
-- ("Event".settings) and GPS coordinates ("Photo".exif).
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
-- cuid-like ids: 'c' + 24 base36 characters
CREATE FUNCTION pg_temp.cuid(seed text) RETURNS text LANGUAGE sql IMMUTABLE STRICT
  AS $$ SELECT 'cl' || substr(translate(md5('cuid:' || seed) || md5('cuid2:' || seed), 'abcdef0123456789', 'k7m2p9x4v1q8z3w6'), 1, 5)
               || substr(md5('cuid3:' || seed), 1, 18) $$;

BEGIN;

CREATE TABLE public."_prisma_migrations" (
    "id" VARCHAR(36) NOT NULL,
    "checksum" VARCHAR(64) NOT NULL,
    "finished_at" TIMESTAMPTZ,
    "migration_name" VARCHAR(255) NOT NULL,
    "logs" TEXT,
    "rolled_back_at" TIMESTAMPTZ,
    "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count" INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY ("id")
);

-- CreateEnum
CREATE TYPE "Role" AS ENUM ('USER', 'HOST', 'ADMIN');
CREATE TYPE "EventStatus" AS ENUM ('DRAFT', 'LIVE', 'ARCHIVED');
CREATE TYPE "PhotoStatus" AS ENUM ('PENDING', 'APPROVED', 'REJECTED');
CREATE TYPE "RsvpStatus" AS ENUM ('INVITED', 'ACCEPTED', 'DECLINED', 'MAYBE');

-- CreateTable
CREATE TABLE "User" (
    "id" TEXT NOT NULL,
    "name" TEXT,
    "email" TEXT NOT NULL,
    "emailVerified" TIMESTAMP(3),
    "image" TEXT,
    "passwordHash" TEXT,
    "role" "Role" NOT NULL DEFAULT 'USER',
    "locale" TEXT NOT NULL DEFAULT 'en',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "Account" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "providerAccountId" TEXT NOT NULL,
    "refresh_token" TEXT,
    "access_token" TEXT,
    "expires_at" INTEGER,
    "token_type" TEXT,
    "scope" TEXT,
    "id_token" TEXT,
    "session_state" TEXT,

    CONSTRAINT "Account_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "Session" (
    "id" TEXT NOT NULL,
    "sessionToken" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "expires" TIMESTAMP(3) NOT NULL,
    "ipAddress" TEXT,
    "userAgent" TEXT,

    CONSTRAINT "Session_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "VerificationToken" (
    "identifier" TEXT NOT NULL,
    "token" TEXT NOT NULL,
    "expires" TIMESTAMP(3) NOT NULL
);

CREATE TABLE "Event" (
    "id" TEXT NOT NULL,
    "hostId" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "startsAt" TIMESTAMP(3) NOT NULL,
    "locationName" TEXT,
    "locationAddress" TEXT,
    "status" "EventStatus" NOT NULL DEFAULT 'DRAFT',
    "settings" JSONB NOT NULL DEFAULT '{}',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Event_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "Guest" (
    "id" TEXT NOT NULL,
    "eventId" TEXT NOT NULL,
    "firstName" TEXT NOT NULL,
    "lastName" TEXT,
    "email" TEXT,
    "phone" TEXT,
    "rsvpStatus" "RsvpStatus" NOT NULL DEFAULT 'INVITED',
    "plusOnes" INTEGER NOT NULL DEFAULT 0,
    "dietaryNotes" TEXT,
    "inviteCode" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Guest_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "Photo" (
    "id" TEXT NOT NULL,
    "eventId" TEXT NOT NULL,
    "uploaderId" TEXT,
    "storageKey" TEXT NOT NULL,
    "originalFilename" TEXT NOT NULL,
    "mimeType" TEXT NOT NULL,
    "sizeBytes" INTEGER NOT NULL,
    "width" INTEGER,
    "height" INTEGER,
    "exif" JSONB,
    "caption" TEXT,
    "status" "PhotoStatus" NOT NULL DEFAULT 'PENDING',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Photo_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "_EventCoHosts" (
    "A" TEXT NOT NULL,
    "B" TEXT NOT NULL
);

-- CreateIndex
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");
CREATE UNIQUE INDEX "Account_provider_providerAccountId_key" ON "Account"("provider", "providerAccountId");
CREATE UNIQUE INDEX "Session_sessionToken_key" ON "Session"("sessionToken");
CREATE UNIQUE INDEX "VerificationToken_token_key" ON "VerificationToken"("token");
CREATE UNIQUE INDEX "VerificationToken_identifier_token_key" ON "VerificationToken"("identifier", "token");
CREATE UNIQUE INDEX "Event_slug_key" ON "Event"("slug");
CREATE INDEX "Event_hostId_idx" ON "Event"("hostId");
CREATE UNIQUE INDEX "Guest_inviteCode_key" ON "Guest"("inviteCode");
CREATE INDEX "Guest_eventId_idx" ON "Guest"("eventId");
CREATE INDEX "Photo_eventId_createdAt_idx" ON "Photo"("eventId", "createdAt");
CREATE UNIQUE INDEX "_EventCoHosts_AB_unique" ON "_EventCoHosts"("A", "B");
CREATE INDEX "_EventCoHosts_B_index" ON "_EventCoHosts"("B");

-- AddForeignKey
ALTER TABLE "Account" ADD CONSTRAINT "Account_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "Session" ADD CONSTRAINT "Session_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "Event" ADD CONSTRAINT "Event_hostId_fkey" FOREIGN KEY ("hostId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "Guest" ADD CONSTRAINT "Guest_eventId_fkey" FOREIGN KEY ("eventId") REFERENCES "Event"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "Photo" ADD CONSTRAINT "Photo_eventId_fkey" FOREIGN KEY ("eventId") REFERENCES "Event"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "Photo" ADD CONSTRAINT "Photo_uploaderId_fkey" FOREIGN KEY ("uploaderId") REFERENCES "Guest"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "_EventCoHosts" ADD CONSTRAINT "_EventCoHosts_A_fkey" FOREIGN KEY ("A") REFERENCES "Event"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "_EventCoHosts" ADD CONSTRAINT "_EventCoHosts_B_fkey" FOREIGN KEY ("B") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- ---------------------------------------------------------------------------
-- Data
-- ---------------------------------------------------------------------------
INSERT INTO "_prisma_migrations" ("id", "checksum", "finished_at", "migration_name", "logs", "rolled_back_at", "started_at", "applied_steps_count")
SELECT substr(m, 1, 8) || '-' || substr(m, 9, 4) || '-4' || substr(m, 14, 3) || '-a' || substr(m, 18, 3) || '-' || substr(m, 21, 12),
       encode(sha256(('migration' || o)::bytea), 'hex'),
       t + interval '412 milliseconds', to_char(t, 'YYYYMMDDHH24MISS') || '_' || name, NULL, NULL, t, 1
FROM unnest(ARRAY['init', 'add_guests', 'photo_moderation', 'event_settings_json', 'guest_invite_code', 'session_ip_user_agent',
                  'cohosts', 'photo_exif', 'user_locale']) WITH ORDINALITY AS x(name, o),
     LATERAL (SELECT md5('mig' || o) AS m, timestamptz '2023-04-02 18:20:00+00' + make_interval(days => (o * 17)::integer) AS t) y
ORDER BY o;

INSERT INTO "User" ("id", "name", "email", "emailVerified", "image", "passwordHash", "role", "locale", "createdAt", "updatedAt")
SELECT pg_temp.cuid('user' || i),
       CASE WHEN i % 19 = 0 THEN NULL ELSE pg_temp.full_name('user' || i) END,
       pg_temp.unique_email('user' || i, i),
       CASE WHEN i % 4 <> 0 THEN (pg_temp.ts('verified' || i))::timestamp(3) END,
       CASE i % 3 WHEN 0 THEN 'https://lh3.googleusercontent.com/a/ACg8oc' || substr(md5('img' || i), 1, 22) || '=s96-c'
                  WHEN 1 THEN 'https://cdn.example-photos.app/avatars/' || pg_temp.cuid('user' || i) || '.jpg' END,
       CASE WHEN i % 3 <> 0 THEN '$argon2id$v=19$m=65536,t=3,p=4$' || rtrim(encode(decode(md5('salt' || i), 'hex'), 'base64'), '=') || '$'
                                 || rtrim(encode(sha256(('argon' || i)::bytea), 'base64'), '=') END,
       (CASE WHEN i <= 2 THEN 'ADMIN' WHEN i % 3 = 0 THEN 'HOST' ELSE 'USER' END)::"Role",
       pg_temp.pick(ARRAY['en', 'en', 'de', 'fr', 'es', 'ja'], 'loc' || i),
       (pg_temp.ts('uc' || i))::timestamp(3), (pg_temp.ts('uc' || i) + interval '1 day 02:03:04.567')::timestamp(3)
FROM generate_series(1, 1200) AS i ORDER BY i;

-- OAuth accounts for the users without a password (Google) and some with one (Apple)
INSERT INTO "Account" ("id", "userId", "type", "provider", "providerAccountId", "refresh_token", "access_token", "expires_at",
                       "token_type", "scope", "id_token", "session_state")
SELECT pg_temp.cuid('acct' || i), pg_temp.cuid('user' || i), 'oauth',
       CASE WHEN i % 3 = 0 THEN 'google' ELSE 'apple' END,
       CASE WHEN i % 3 = 0 THEN '1' || pg_temp.digits('gsub' || i, 20) ELSE '00' || pg_temp.digits('asub' || i, 4) || '.' || md5('asub' || i) || '.' || pg_temp.digits('asub2' || i, 4) END,
       '1//0' || substr(translate(encode(sha256(('rt' || i)::bytea), 'base64'), '+/=', '-_A'), 1, 40),
       'ya29.a0' || translate(encode(sha256(('at' || i)::bytea), 'base64') || encode(sha256(('at2' || i)::bytea), 'base64'), '+/=', '-_A'),
       1700000000 + pg_temp.h('exp' || i) % 30000000,
       'Bearer', 'openid https://www.googleapis.com/auth/userinfo.email https://www.googleapis.com/auth/userinfo.profile',
       'eyJhbGciOiJSUzI1NiIsImtpZCI6IjZmNzI1NDEwMWY1NmU0MWNmMzVjOTkyNmRlODRhMmQ1NTJiNGM2ZjEiLCJ0eXAiOiJKV1QifQ.'
         || rtrim(translate(encode(convert_to('{"iss":"https://accounts.google.com","sub":"' || pg_temp.digits('gsub' || i, 20)
                   || '","email":"' || pg_temp.unique_email('user' || i, i) || '","name":"' || pg_temp.first_slug('user' || i) || ' ' || pg_temp.last_slug('user' || i) || '"}', 'UTF8'), 'base64'), E'+/\n', '-_'), '=')
         || '.' || rtrim(translate(encode(sha256(('sig' || i)::bytea), 'base64'), '+/', '-_'), '='),
       NULL
FROM generate_series(1, 1200) AS i WHERE i % 3 = 0 OR i % 7 = 1 ORDER BY i;

INSERT INTO "Session" ("id", "sessionToken", "userId", "expires", "ipAddress", "userAgent")
SELECT pg_temp.cuid('sess' || i),
       substr(md5('st' || i), 1, 8) || '-' || substr(md5('st' || i), 9, 4) || '-4' || substr(md5('st' || i), 14, 3) || '-8' || substr(md5('st' || i), 18, 3) || '-' || substr(md5('st' || i), 21, 12),
       pg_temp.cuid('user' || (1 + pg_temp.h('su' || i) % 1200)),
       (pg_temp.ts('sx' || i) + interval '30 days')::timestamp(3),
       CASE WHEN i % 5 = 0 THEN '2001:db8:' || substr(md5('v6' || i), 1, 4) || '::' || substr(md5('v6' || i), 5, 4) ELSE pg_temp.ipv4('sess' || i) END,
       pg_temp.user_agent('sess' || i)
FROM generate_series(1, 2000) AS i ORDER BY i;

INSERT INTO "VerificationToken" ("identifier", "token", "expires")
SELECT pg_temp.unique_email('user' || (1 + pg_temp.h('vt' || i) % 1200), 1 + pg_temp.h('vt' || i) % 1200),
       encode(sha256(('vtok' || i)::bytea), 'hex'),
       (pg_temp.ts('vx' || i))::timestamp(3)
FROM generate_series(1, 150) AS i ORDER BY i;

INSERT INTO "Event" ("id", "hostId", "title", "slug", "startsAt", "locationName", "locationAddress", "status", "settings", "createdAt", "updatedAt")
SELECT pg_temp.cuid('event' || i), pg_temp.cuid('user' || h), t.title,
       lower(regexp_replace(t.title, '[^A-Za-z0-9]+', '-', 'g')) || '-' || substr(md5('slug' || i), 1, 6),
       (pg_temp.ts('es' || i))::timestamp(3),
       pg_temp.pick(ARRAY['The Old Boathouse', 'Grand Hotel Ballroom', 'Riverside Barn', 'St. Mary''s Church Hall', 'Rooftop 21', 'Villa Rosa', NULL], 'ln' || i),
       CASE WHEN i % 4 = 0 THEN pg_temp.street('home' || h) || ', ' || pg_temp.city('home' || h)
            ELSE pg_temp.street('venue' || i) || ', ' || pg_temp.city('venue' || i) END,
       (ARRAY['DRAFT', 'LIVE', 'LIVE', 'ARCHIVED'])[1 + pg_temp.h('evs' || i) % 4]::"EventStatus",
       jsonb_build_object(
         'theme', pg_temp.pick(ARRAY['classic', 'dark', 'floral', 'minimal'], 'th' || i),
         'moderation', i % 2 = 0,
         'welcomeMessage', 'Welcome! Share your photos of ' || t.title || '.',
         'contact', jsonb_build_object('name', pg_temp.full_name('user' || h),
                                       'email', pg_temp.unique_email('user' || h, h),
                                       'phone', pg_temp.phone('user' || h)),
         'notifyEmails', jsonb_build_array(pg_temp.unique_email('user' || h, h), pg_temp.email('cohost' || i))),
       (pg_temp.ts('ec' || i))::timestamp(3), (pg_temp.ts('ec' || i) + interval '5 days')::timestamp(3)
FROM generate_series(1, 400) AS i,
     LATERAL (SELECT 3 * (1 + pg_temp.h('eh' || i) % 400) AS h) x,
     LATERAL (SELECT CASE pg_temp.h('et' || i) % 4
                WHEN 0 THEN pg_temp.first_name('bride' || i) || ' & ' || pg_temp.first_name('groom' || i) || '''s Wedding'
                WHEN 1 THEN initcap(pg_temp.first_slug('kid' || i)) || '''s Birthday Party ' || (2021 + pg_temp.h('byr' || i) % 4)
                WHEN 2 THEN pg_temp.company('ev' || i) || ' Summer Party ' || (2021 + pg_temp.h('yr' || i) % 4)
                ELSE 'Class of ' || (1990 + pg_temp.h('cls' || i) % 30) || ' Reunion' END AS title) t
ORDER BY i;

INSERT INTO "_EventCoHosts" ("A", "B")
SELECT DISTINCT pg_temp.cuid('event' || e), pg_temp.cuid('user' || (1 + pg_temp.h('co' || e) % 1200))
FROM generate_series(1, 400) AS e WHERE e % 3 = 0 ORDER BY 1, 2;

INSERT INTO "Guest" ("id", "eventId", "firstName", "lastName", "email", "phone", "rsvpStatus", "plusOnes", "dietaryNotes", "inviteCode", "createdAt")
SELECT pg_temp.cuid('guest' || i), pg_temp.cuid('event' || (1 + (i - 1) % 400)),
       pg_temp.first_name('guest' || i), CASE WHEN i % 11 = 0 THEN NULL ELSE pg_temp.last_name('guest' || i) END,
       CASE WHEN i % 5 <> 0 THEN pg_temp.email('guest' || i) END,
       CASE WHEN i % 3 = 0 THEN pg_temp.phone('guest' || i) END,
       (ARRAY['INVITED', 'ACCEPTED', 'ACCEPTED', 'DECLINED', 'MAYBE'])[1 + pg_temp.h('rsvp' || i) % 5]::"RsvpStatus",
       pg_temp.h('plus' || i) % 3,
       pg_temp.pick(ARRAY['vegetarian', 'vegan', 'gluten-free', 'nut allergy (severe)', 'halal', 'kosher', NULL, NULL, NULL, NULL], 'diet' || i),
       upper(substr(md5('invite' || i), 1, 8)),
       (pg_temp.ts('gc' || i))::timestamp(3)
FROM generate_series(1, 4000) AS i ORDER BY i;

INSERT INTO "Photo" ("id", "eventId", "uploaderId", "storageKey", "originalFilename", "mimeType", "sizeBytes", "width", "height", "exif", "caption", "status", "createdAt")
SELECT pg_temp.cuid('photo' || i), pg_temp.cuid('event' || (1 + (g - 1) % 400)),
       CASE WHEN i % 8 <> 0 THEN pg_temp.cuid('guest' || g) END,
       'events/' || pg_temp.cuid('event' || (1 + (g - 1) % 400)) || '/' || md5('photo' || i) || '.jpg',
       CASE i % 3 WHEN 0 THEN 'IMG_' || (1000 + pg_temp.h('fn' || i) % 9000) || '.JPG'
                  WHEN 1 THEN 'PXL_2023' || lpad((pg_temp.h('fd' || i) % 1231)::text, 4, '0') || '_' || pg_temp.digits('ft' || i, 9) || '.jpg'
                  ELSE 'WhatsApp Image 2023-0' || (1 + pg_temp.h('wm' || i) % 9) || '-1' || (pg_temp.h('wd' || i) % 9) || ' at 20.1' || (pg_temp.h('wt' || i) % 9) || '.jpeg' END,
       'image/jpeg', 200000 + pg_temp.h('sz' || i) % 6000000, 4032, 3024,
       CASE WHEN i % 4 <> 0 THEN jsonb_build_object(
         'Make', pg_temp.pick(ARRAY['Apple', 'Google', 'samsung', 'Canon'], 'mk' || i),
         'Model', pg_temp.pick(ARRAY['iPhone 14 Pro', 'Pixel 8', 'SM-S918B', 'EOS R6'], 'mk' || i),
         'DateTimeOriginal', to_char(pg_temp.ts('dto' || i), 'YYYY:MM:DD HH24:MI:SS'),
         'gps', jsonb_build_object('lat', round((35 + (pg_temp.h('lat' || i) % 2000000) / 100000.0)::numeric, 6),
                                   'lon', round((-10 + (pg_temp.h('lon' || i) % 3000000) / 100000.0)::numeric, 6),
                                   'alt', pg_temp.h('alt' || i) % 400)) END,
       CASE WHEN i % 6 = 0 THEN pg_temp.pick(ARRAY['First dance!', 'Cake time', 'Best table ever', 'Look who made it', 'Sunset on the terrace'], 'cap' || i)
            WHEN i % 6 = 1 THEN 'Tag me! ' || pg_temp.email('guest' || g) END,
       (ARRAY['PENDING', 'APPROVED', 'APPROVED', 'APPROVED', 'REJECTED'])[1 + pg_temp.h('ps' || i) % 5]::"PhotoStatus",
       (pg_temp.ts('pc' || i))::timestamp(3)
FROM generate_series(1, 3000) AS i, LATERAL (SELECT 1 + pg_temp.h('pg' || i) % 4000 AS g) x ORDER BY i;

COMMIT;
