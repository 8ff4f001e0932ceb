-- ---------------------------------------------------------------------------
-- Deterministic data helpers. They live in pg_temp (this session only), so
-- they are not part of the schema and never appear in pg_dump output. Every
-- "random" choice is md5 of a seed string: two loads give identical data.
-- The same person seed gives the same first name, last name and e-mail.
-- Shared by the PostgreSQL entries: each schema.sql includes it first (\ir ../helpers.sql).
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
