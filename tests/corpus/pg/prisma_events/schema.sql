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
-- Deterministic data helpers (in pg_temp: never part of the schema or its dumps).
\ir ../helpers.sql

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
