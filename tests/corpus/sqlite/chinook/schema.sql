-- Chinook-style digital music store for SQLite: quoted PascalCase tables and
-- columns ("Customer"."FirstName", "Employee"."Email", "Invoice"), INTEGER
-- PRIMARY KEY AUTOINCREMENT (so sqlite_sequence exists), NVARCHAR/NUMERIC
-- declared types, an employee hierarchy ("ReportsTo"), billing addresses
-- copied onto every invoice, a few UTF-8 names.
--
-- Load: sqlite3 chinook.db < schema.sql   (deterministic: recursive CTEs over fixed lists)
PRAGMA foreign_keys = ON;
BEGIN;

CREATE TABLE "Artist" (
    "ArtistId" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "Name" NVARCHAR(120)
);
CREATE TABLE "Album" (
    "AlbumId" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "Title" NVARCHAR(160) NOT NULL,
    "ArtistId" INTEGER NOT NULL,
    FOREIGN KEY ("ArtistId") REFERENCES "Artist" ("ArtistId") ON DELETE NO ACTION ON UPDATE NO ACTION
);
CREATE TABLE "Genre" (
    "GenreId" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "Name" NVARCHAR(120)
);
CREATE TABLE "MediaType" (
    "MediaTypeId" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "Name" NVARCHAR(120)
);
CREATE TABLE "Track" (
    "TrackId" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "Name" NVARCHAR(200) NOT NULL,
    "AlbumId" INTEGER,
    "MediaTypeId" INTEGER NOT NULL,
    "GenreId" INTEGER,
    "Composer" NVARCHAR(220),
    "Milliseconds" INTEGER NOT NULL,
    "Bytes" INTEGER,
    "UnitPrice" NUMERIC(10,2) NOT NULL,
    FOREIGN KEY ("AlbumId") REFERENCES "Album" ("AlbumId"),
    FOREIGN KEY ("GenreId") REFERENCES "Genre" ("GenreId"),
    FOREIGN KEY ("MediaTypeId") REFERENCES "MediaType" ("MediaTypeId")
);
CREATE TABLE "Employee" (
    "EmployeeId" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "LastName" NVARCHAR(20) NOT NULL,
    "FirstName" NVARCHAR(20) NOT NULL,
    "Title" NVARCHAR(30),
    "ReportsTo" INTEGER,
    "BirthDate" DATETIME,
    "HireDate" DATETIME,
    "Address" NVARCHAR(70),
    "City" NVARCHAR(40),
    "State" NVARCHAR(40),
    "Country" NVARCHAR(40),
    "PostalCode" NVARCHAR(10),
    "Phone" NVARCHAR(24),
    "Fax" NVARCHAR(24),
    "Email" NVARCHAR(60),
    FOREIGN KEY ("ReportsTo") REFERENCES "Employee" ("EmployeeId")
);
CREATE TABLE "Customer" (
    "CustomerId" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "FirstName" NVARCHAR(40) NOT NULL,
    "LastName" NVARCHAR(20) NOT NULL,
    "Company" NVARCHAR(80),
    "Address" NVARCHAR(70),
    "City" NVARCHAR(40),
    "State" NVARCHAR(40),
    "Country" NVARCHAR(40),
    "PostalCode" NVARCHAR(10),
    "Phone" NVARCHAR(24),
    "Fax" NVARCHAR(24),
    "Email" NVARCHAR(60) NOT NULL,
    "SupportRepId" INTEGER,
    FOREIGN KEY ("SupportRepId") REFERENCES "Employee" ("EmployeeId")
);
CREATE TABLE "Invoice" (
    "InvoiceId" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "CustomerId" INTEGER NOT NULL,
    "InvoiceDate" DATETIME NOT NULL,
    "BillingAddress" NVARCHAR(70),
    "BillingCity" NVARCHAR(40),
    "BillingState" NVARCHAR(40),
    "BillingCountry" NVARCHAR(40),
    "BillingPostalCode" NVARCHAR(10),
    "Total" NUMERIC(10,2) NOT NULL,
    FOREIGN KEY ("CustomerId") REFERENCES "Customer" ("CustomerId")
);
CREATE TABLE "InvoiceLine" (
    "InvoiceLineId" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "InvoiceId" INTEGER NOT NULL,
    "TrackId" INTEGER NOT NULL,
    "UnitPrice" NUMERIC(10,2) NOT NULL,
    "Quantity" INTEGER NOT NULL,
    FOREIGN KEY ("InvoiceId") REFERENCES "Invoice" ("InvoiceId"),
    FOREIGN KEY ("TrackId") REFERENCES "Track" ("TrackId")
);
CREATE TABLE "Playlist" (
    "PlaylistId" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "Name" NVARCHAR(120)
);
CREATE TABLE "PlaylistTrack" (
    "PlaylistId" INTEGER NOT NULL,
    "TrackId" INTEGER NOT NULL,
    CONSTRAINT "PK_PlaylistTrack" PRIMARY KEY ("PlaylistId", "TrackId"),
    FOREIGN KEY ("PlaylistId") REFERENCES "Playlist" ("PlaylistId"),
    FOREIGN KEY ("TrackId") REFERENCES "Track" ("TrackId")
);
CREATE INDEX "IFK_AlbumArtistId" ON "Album" ("ArtistId");
CREATE INDEX "IFK_CustomerSupportRepId" ON "Customer" ("SupportRepId");
CREATE INDEX "IFK_EmployeeReportsTo" ON "Employee" ("ReportsTo");
CREATE INDEX "IFK_InvoiceCustomerId" ON "Invoice" ("CustomerId");
CREATE INDEX "IFK_InvoiceLineInvoiceId" ON "InvoiceLine" ("InvoiceId");
CREATE INDEX "IFK_TrackAlbumId" ON "Track" ("AlbumId");

-- ---------------------------------------------------------------------------
-- Deterministic data. Word lists live in temp tables (not part of the file);
-- choices are (n * prime + offset) % size, so every load is identical.
-- ---------------------------------------------------------------------------
CREATE TEMP TABLE fn (i INTEGER PRIMARY KEY, name TEXT, slug TEXT);
INSERT INTO fn (i, name, slug) VALUES
 (0,'James','james'),(1,'Mary','mary'),(2,'Robert','robert'),(3,'Patricia','patricia'),(4,'John','john'),
 (5,'Jennifer','jennifer'),(6,'Michael','michael'),(7,'Linda','linda'),(8,'David','david'),(9,'Elizabeth','elizabeth'),
 (10,'William','william'),(11,'Barbara','barbara'),(12,'Richard','richard'),(13,'Susan','susan'),(14,'Joseph','joseph'),
 (15,'Jessica','jessica'),(16,'Thomas','thomas'),(17,'Sarah','sarah'),(18,'Charles','charles'),(19,'Karen','karen'),
 (20,'Daniel','daniel'),(21,'Nancy','nancy'),(22,'Matthew','matthew'),(23,'Emily','emily'),(24,'Priya','priya'),
 (25,'Wei','wei'),(26,'Fatima','fatima'),(27,'Mateo','mateo'),(28,'Sofia','sofia'),(29,'Lukas','lukas'),
 (30,'Hannah','hannah'),(31,'Aisha','aisha'),(32,'Olivia','olivia'),(33,'Noah','noah'),(34,'Diego','diego'),
 (35,'Ingrid','ingrid'),(36,'Omar','omar'),(37,'René','rene'),(38,'Jürgen','juergen'),(39,'翔太','shota');
CREATE TEMP TABLE ln (i INTEGER PRIMARY KEY, name TEXT, slug TEXT);
INSERT INTO ln (i, name, slug) VALUES
 (0,'Smith','smith'),(1,'Johnson','johnson'),(2,'Williams','williams'),(3,'Brown','brown'),(4,'Jones','jones'),
 (5,'Garcia','garcia'),(6,'Miller','miller'),(7,'Davis','davis'),(8,'Rodriguez','rodriguez'),(9,'Martinez','martinez'),
 (10,'Wilson','wilson'),(11,'Anderson','anderson'),(12,'Taylor','taylor'),(13,'Moore','moore'),(14,'Martin','martin'),
 (15,'Lee','lee'),(16,'Thompson','thompson'),(17,'White','white'),(18,'Harris','harris'),(19,'Clark','clark'),
 (20,'Lewis','lewis'),(21,'Walker','walker'),(22,'Young','young'),(23,'King','king'),(24,'Nguyen','nguyen'),
 (25,'Schneider','schneider'),(26,'Fischer','fischer'),(27,'Kowalski','kowalski'),(28,'Okafor','okafor'),(29,'Patel','patel'),
 (30,'Tanaka','tanaka'),(31,'O''Brien','obrien'),(32,'Lindqvist','lindqvist'),(33,'Costa','costa'),(34,'Murphy','murphy'),
 (35,'Dupré','dupre'),(36,'Müller','mueller');
CREATE TEMP TABLE place (i INTEGER PRIMARY KEY, city TEXT, state TEXT, country TEXT, zip TEXT, dial TEXT);
INSERT INTO place VALUES
 (0,'São Paulo','SP','Brazil','01007-010','+55 (11) '),(1,'Montréal','QC','Canada','H2G 1A7','+1 (514) '),
 (2,'Stuttgart',NULL,'Germany','70174','+49 0711 '),(3,'Oslo',NULL,'Norway','0171','+47 22 '),
 (4,'Prague',NULL,'Czech Republic','14700','+420 2 '),(5,'Vienne',NULL,'Austria','1010','+43 01 '),
 (6,'Brussels',NULL,'Belgium','1000','+32 02 '),(7,'Copenhagen',NULL,'Denmark','1720','+453 3 '),
 (8,'Mountain View','CA','USA','94043-1351','+1 (650) '),(9,'Redmond','WA','USA','98052-8300','+1 (425) '),
 (10,'Boston','MA','USA','2113','+1 (617) '),(11,'Chicago','IL','USA','60611','+1 (312) '),
 (12,'Toronto','ON','Canada','M6J 1V1','+1 (416) '),(13,'Paris',NULL,'France','75002','+33 01 '),
 (14,'Berlin',NULL,'Germany','10779','+49 030 '),(15,'London',NULL,'United Kingdom','N1 5LH','+44 020 '),
 (16,'Madrid',NULL,'Spain','28015','+34 091 '),(17,'Lisbon',NULL,'Portugal','1000-234','+351 21 '),
 (18,'Sidney','NSW','Australia','2010','+61 (02) '),(19,'Bangalore',NULL,'India','560001','+91 080 ');
CREATE TEMP TABLE street (i INTEGER PRIMARY KEY, name TEXT);
INSERT INTO street VALUES (0,'Maple Street'),(1,'Oak Avenue'),(2,'Cedar Lane'),(3,'Rue Dupont'),(4,'Klanova'),
 (5,'Grétrystraat'),(6,'Sønder Boulevard'),(7,'Amphitheatre Parkway'),(8,'Microsoft Way'),(9,'Tremont Street'),
 (10,'North Michigan Ave'),(11,'Bathurst Street'),(12,'Rue de la Paix'),(13,'Tauentzienstrasse'),(14,'Upper Street'),
 (15,'Calle Lira'),(16,'Rua da Assunção'),(17,'Broadway'),(18,'MG Road'),(19,'Avenida Paulista');
CREATE TEMP TABLE word (i INTEGER PRIMARY KEY, w TEXT);
INSERT INTO word VALUES (0,'Midnight'),(1,'Velvet'),(2,'Electric'),(3,'Crimson'),(4,'Hollow'),(5,'Golden'),
 (6,'Silent'),(7,'Wild'),(8,'Neon'),(9,'Paper'),(10,'Iron'),(11,'Northern'),(12,'Glass'),(13,'Broken'),(14,'Lunar'),
 (15,'Foxes'),(16,'Harbor'),(17,'Echoes'),(18,'Rivers'),(19,'Lights'),(20,'Machines'),(21,'Wolves'),(22,'Pilots'),
 (23,'Gardens'),(24,'Satellites');
CREATE TEMP TABLE dom (i INTEGER PRIMARY KEY, d TEXT);
INSERT INTO dom VALUES (0,'gmail.com'),(1,'yahoo.com'),(2,'hotmail.com'),(3,'outlook.com'),(4,'apple.com'),
 (5,'gmx.de'),(6,'yahoo.fr'),(7,'web.de'),(8,'uol.com.br'),(9,'icloud.com');

INSERT INTO "Genre" ("Name") VALUES ('Rock'),('Jazz'),('Metal'),('Alternative & Punk'),('Rock And Roll'),('Blues'),
 ('Latin'),('Reggae'),('Pop'),('Soundtrack'),('Bossa Nova'),('Easy Listening'),('Heavy Metal'),('R&B/Soul'),
 ('Electronica/Dance'),('World'),('Hip Hop/Rap'),('Science Fiction'),('TV Shows'),('Sci Fi & Fantasy'),('Drama'),
 ('Comedy'),('Alternative'),('Classical'),('Opera');
INSERT INTO "MediaType" ("Name") VALUES ('MPEG audio file'),('Protected AAC audio file'),('Protected MPEG-4 video file'),
 ('Purchased AAC audio file'),('AAC audio file');

WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 275)
INSERT INTO "Artist" ("Name")
SELECT CASE i % 3
         WHEN 0 THEN 'The ' || (SELECT w FROM word WHERE word.i = (n.i * 7) % 15) || ' ' || (SELECT w FROM word WHERE word.i = 15 + (n.i * 3) % 10)
         WHEN 1 THEN (SELECT w FROM word WHERE word.i = (n.i * 11) % 15) || ' ' || (SELECT w FROM word WHERE word.i = 15 + (n.i * 7) % 10)
         ELSE (SELECT w FROM word WHERE word.i = (n.i * 13) % 25) || ' & The ' || (SELECT w FROM word WHERE word.i = 15 + (n.i * 9) % 10) || ' ' || n.i END
FROM n ORDER BY i;

WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 347)
INSERT INTO "Album" ("Title", "ArtistId")
SELECT (SELECT w FROM word WHERE word.i = (n.i * 17) % 25) || ' ' || (SELECT w FROM word WHERE word.i = (n.i * 5 + 3) % 25)
         || CASE WHEN n.i % 4 = 0 THEN ' (Live)' WHEN n.i % 9 = 0 THEN ' [Remastered]' ELSE '' END,
       1 + (n.i * 37) % 275
FROM n ORDER BY i;

WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3503)
INSERT INTO "Track" ("Name", "AlbumId", "MediaTypeId", "GenreId", "Composer", "Milliseconds", "Bytes", "UnitPrice")
SELECT (SELECT w FROM word WHERE word.i = (n.i * 7 + 1) % 25) || ' ' || (SELECT w FROM word WHERE word.i = (n.i * 3 + 11) % 25)
         || CASE WHEN n.i % 6 = 0 THEN ' Pt. ' || (1 + n.i % 3) ELSE '' END,
       1 + (n.i - 1) / 10 % 347, 1 + (n.i * 13) % 5, 1 + (n.i * 7) % 25,
       CASE WHEN n.i % 4 = 0 THEN NULL
            WHEN n.i % 4 = 1 THEN (SELECT name FROM fn WHERE fn.i = (n.i * 3) % 40) || ' ' || (SELECT name FROM ln WHERE ln.i = (n.i * 5) % 37)
            ELSE (SELECT name FROM fn WHERE fn.i = (n.i * 7) % 40) || ' ' || (SELECT name FROM ln WHERE ln.i = (n.i * 11) % 37) || ', '
                 || (SELECT name FROM fn WHERE fn.i = (n.i * 13) % 40) || ' ' || (SELECT name FROM ln WHERE ln.i = (n.i * 17) % 37) END,
       120000 + (n.i * 7919) % 300000, 2000000 + (n.i * 104729) % 9000000,
       CASE WHEN (n.i * 13) % 5 = 2 THEN 1.99 ELSE 0.99 END
FROM n ORDER BY i;

WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 24)
INSERT INTO "Employee" ("LastName", "FirstName", "Title", "ReportsTo", "BirthDate", "HireDate", "Address", "City", "State",
                        "Country", "PostalCode", "Phone", "Fax", "Email")
SELECT l.name, f.name,
       CASE WHEN n.i = 1 THEN 'General Manager' WHEN n.i <= 4 THEN 'Sales Manager' ELSE 'Sales Support Agent' END,
       CASE WHEN n.i = 1 THEN NULL WHEN n.i <= 4 THEN 1 ELSE 2 + n.i % 3 END,
       printf('%04d-%02d-%02d 00:00:00', 1950 + (n.i * 7) % 40, 1 + n.i % 12, 1 + (n.i * 5) % 28),
       printf('%04d-%02d-%02d 00:00:00', 2002 + n.i % 10, 1 + (n.i * 5) % 12, 1 + (n.i * 3) % 28),
       (100 + (n.i * 631) % 9000) || ' ' || s.name, p.city, p.state, p.country, p.zip,
       p.dial || printf('%03d-%04d', (n.i * 97) % 1000, (n.i * 7919) % 10000),
       p.dial || printf('%03d-%04d', (n.i * 89) % 1000, (n.i * 6151) % 10000),
       f.slug || '@chinookcorp.com'
FROM n JOIN fn f ON f.i = (n.i * 7 + 3) % 40 JOIN ln l ON l.i = (n.i * 11 + 5) % 37
       JOIN place p ON p.i = 11 + n.i % 2 JOIN street s ON s.i = (n.i * 3) % 20
ORDER BY n.i;

WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1200)
INSERT INTO "Customer" ("FirstName", "LastName", "Company", "Address", "City", "State", "Country", "PostalCode", "Phone",
                        "Fax", "Email", "SupportRepId")
SELECT f.name, l.name,
       CASE WHEN n.i % 5 = 0 THEN (SELECT name FROM ln WHERE ln.i = (n.i * 3) % 37) || ' ' || CASE n.i % 3 WHEN 0 THEN 'Telecom' WHEN 1 THEN 'Software Ltda.' ELSE 'Media GmbH' END END,
       (1 + (n.i * 631) % 9000) || ' ' || s.name || CASE WHEN n.i % 7 = 0 THEN ', Apt ' || (1 + n.i % 30) ELSE '' END,
       p.city, p.state, p.country, p.zip,
       p.dial || printf('%04d-%04d', (n.i * 97) % 10000, (n.i * 7919) % 10000),
       CASE WHEN n.i % 4 = 0 THEN p.dial || printf('%04d-%04d', (n.i * 89) % 10000, (n.i * 6151) % 10000) END,
       f.slug || '.' || l.slug || n.i || '@' || d.d,
       5 + n.i % 20
FROM n JOIN fn f ON f.i = (n.i * 7) % 40 JOIN ln l ON l.i = (n.i * 13 + n.i / 37) % 37
       JOIN place p ON p.i = (n.i * 3) % 20 JOIN street s ON s.i = (n.i * 11) % 20 JOIN dom d ON d.i = (n.i * 3 + 1) % 10
ORDER BY n.i;

WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 4000)
INSERT INTO "Invoice" ("CustomerId", "InvoiceDate", "BillingAddress", "BillingCity", "BillingState", "BillingCountry", "BillingPostalCode", "Total")
SELECT c."CustomerId", datetime('2021-01-01', '+' || ((n.i * 7919) % 1400) || ' days'),
       c."Address", c."City", c."State", c."Country", c."PostalCode", 0
FROM n JOIN "Customer" c ON c."CustomerId" = 1 + (n.i * 389) % 1200 ORDER BY n.i;

WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 12000)
INSERT INTO "InvoiceLine" ("InvoiceId", "TrackId", "UnitPrice", "Quantity")
SELECT 1 + (n.i - 1) / 3, t."TrackId", t."UnitPrice", 1
FROM n JOIN "Track" t ON t."TrackId" = 1 + (n.i * 1223) % 3503 ORDER BY n.i;

UPDATE "Invoice" SET "Total" = (SELECT round(sum("UnitPrice" * "Quantity"), 2) FROM "InvoiceLine" l WHERE l."InvoiceId" = "Invoice"."InvoiceId");

INSERT INTO "Playlist" ("Name") VALUES ('Music'),('Movies'),('TV Shows'),('Audiobooks'),('90’s Music'),('Audiobooks'),
 ('Movies'),('Music'),('Music Videos'),('TV Shows'),('Brazilian Music'),('Classical'),('Classical 101 - Deep Cuts'),
 ('Classical 101 - Next Steps'),('Classical 101 - The Basics'),('Grunge'),('Heavy Metal Classic'),('On-The-Go 1');

WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 6000)
INSERT OR IGNORE INTO "PlaylistTrack" ("PlaylistId", "TrackId")
SELECT 1 + (n.i * 7) % 18, 1 + (n.i * 2749) % 3503 FROM n ORDER BY n.i;

DROP TABLE temp.fn; DROP TABLE temp.ln; DROP TABLE temp.place; DROP TABLE temp.street; DROP TABLE temp.word; DROP TABLE temp.dom;
COMMIT;
