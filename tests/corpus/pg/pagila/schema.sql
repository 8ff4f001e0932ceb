-- Pagila-style DVD rental store: the MySQL Sakila sample database as it looks
-- after a hand port to PostgreSQL. Sequences are created with CREATE SEQUENCE
-- and used through DEFAULT nextval(...) without OWNED BY; every table has a
-- last_update column kept by a trigger; a domain (year) and an enum
-- (mpaa_rating); film.fulltext is a tsvector kept by a trigger with a GIN
-- index; payment is partitioned by range on payment_date; staff.picture is
-- bytea; a populated materialized view copies customer names, e-mails and
-- phones; lookup tables (category, language, country, city) have `name`-like
-- columns that are not personal.
--
-- Load: psql -v ON_ERROR_STOP=1 -d DB -f schema.sql   (deterministic: md5-based)
-- Deterministic data helpers (in pg_temp: never part of the schema or its dumps).
\ir ../helpers.sql


BEGIN;

CREATE DOMAIN public.year AS integer
    CONSTRAINT year_check CHECK (((VALUE >= 1901) AND (VALUE <= 2155)));

CREATE TYPE public.mpaa_rating AS ENUM ('G', 'PG', 'PG-13', 'R', 'NC-17');

CREATE FUNCTION public.last_updated() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    NEW.last_update = CURRENT_TIMESTAMP;
    RETURN NEW;
END $$;

CREATE SEQUENCE public.actor_actor_id_seq START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;
CREATE SEQUENCE public.category_category_id_seq START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;
CREATE SEQUENCE public.language_language_id_seq START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;
CREATE SEQUENCE public.country_country_id_seq START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;
CREATE SEQUENCE public.city_city_id_seq START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;
CREATE SEQUENCE public.address_address_id_seq START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;
CREATE SEQUENCE public.store_store_id_seq START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;
CREATE SEQUENCE public.staff_staff_id_seq START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;
CREATE SEQUENCE public.customer_customer_id_seq START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;
CREATE SEQUENCE public.film_film_id_seq START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;
CREATE SEQUENCE public.inventory_inventory_id_seq START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;
CREATE SEQUENCE public.rental_rental_id_seq START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;
CREATE SEQUENCE public.payment_payment_id_seq START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;

CREATE TABLE public.actor (
    actor_id integer DEFAULT nextval('public.actor_actor_id_seq'::regclass) NOT NULL,
    first_name text NOT NULL,
    last_name text NOT NULL,
    last_update timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT actor_pkey PRIMARY KEY (actor_id)
);
CREATE INDEX idx_actor_last_name ON public.actor USING btree (last_name);

CREATE TABLE public.category (
    category_id integer DEFAULT nextval('public.category_category_id_seq'::regclass) NOT NULL,
    name text NOT NULL,
    last_update timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT category_pkey PRIMARY KEY (category_id)
);

CREATE TABLE public.language (
    language_id integer DEFAULT nextval('public.language_language_id_seq'::regclass) NOT NULL,
    name character(20) NOT NULL,
    last_update timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT language_pkey PRIMARY KEY (language_id)
);

CREATE TABLE public.country (
    country_id integer DEFAULT nextval('public.country_country_id_seq'::regclass) NOT NULL,
    country text NOT NULL,
    last_update timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT country_pkey PRIMARY KEY (country_id)
);

CREATE TABLE public.city (
    city_id integer DEFAULT nextval('public.city_city_id_seq'::regclass) NOT NULL,
    city text NOT NULL,
    country_id integer NOT NULL,
    last_update timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT city_pkey PRIMARY KEY (city_id)
);
CREATE INDEX idx_fk_country_id ON public.city USING btree (country_id);

CREATE TABLE public.address (
    address_id integer DEFAULT nextval('public.address_address_id_seq'::regclass) NOT NULL,
    address text NOT NULL,
    address2 text,
    district text NOT NULL,
    city_id integer NOT NULL,
    postal_code text,
    phone text NOT NULL,
    last_update timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT address_pkey PRIMARY KEY (address_id)
);
CREATE INDEX idx_fk_city_id ON public.address USING btree (city_id);

CREATE TABLE public.store (
    store_id integer DEFAULT nextval('public.store_store_id_seq'::regclass) NOT NULL,
    manager_staff_id integer NOT NULL,
    address_id integer NOT NULL,
    last_update timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT store_pkey PRIMARY KEY (store_id)
);
CREATE UNIQUE INDEX idx_unq_manager_staff_id ON public.store USING btree (manager_staff_id);

CREATE TABLE public.staff (
    staff_id integer DEFAULT nextval('public.staff_staff_id_seq'::regclass) NOT NULL,
    first_name text NOT NULL,
    last_name text NOT NULL,
    address_id integer NOT NULL,
    email text,
    store_id integer NOT NULL,
    active boolean DEFAULT true NOT NULL,
    username text NOT NULL,
    password text,
    last_update timestamp with time zone DEFAULT now() NOT NULL,
    picture bytea,
    CONSTRAINT staff_pkey PRIMARY KEY (staff_id)
);

CREATE TABLE public.customer (
    customer_id integer DEFAULT nextval('public.customer_customer_id_seq'::regclass) NOT NULL,
    store_id integer NOT NULL,
    first_name text NOT NULL,
    last_name text NOT NULL,
    email text,
    address_id integer NOT NULL,
    activebool boolean DEFAULT true NOT NULL,
    create_date date DEFAULT CURRENT_DATE NOT NULL,
    last_update timestamp with time zone DEFAULT now(),
    active integer,
    CONSTRAINT customer_pkey PRIMARY KEY (customer_id)
);
CREATE INDEX idx_fk_address_id ON public.customer USING btree (address_id);
CREATE INDEX idx_fk_store_id ON public.customer USING btree (store_id);
CREATE INDEX idx_last_name ON public.customer USING btree (last_name);

CREATE TABLE public.film (
    film_id integer DEFAULT nextval('public.film_film_id_seq'::regclass) NOT NULL,
    title text NOT NULL,
    description text,
    release_year public.year,
    language_id integer NOT NULL,
    original_language_id integer,
    rental_duration smallint DEFAULT 3 NOT NULL,
    rental_rate numeric(4,2) DEFAULT 4.99 NOT NULL,
    length smallint,
    replacement_cost numeric(5,2) DEFAULT 19.99 NOT NULL,
    rating public.mpaa_rating DEFAULT 'G'::public.mpaa_rating,
    last_update timestamp with time zone DEFAULT now() NOT NULL,
    special_features text[],
    fulltext tsvector NOT NULL,
    CONSTRAINT film_pkey PRIMARY KEY (film_id)
);
CREATE INDEX film_fulltext_idx ON public.film USING gist (fulltext);
CREATE INDEX idx_title ON public.film USING btree (title);
CREATE INDEX idx_fk_language_id ON public.film USING btree (language_id);

CREATE TABLE public.film_actor (
    actor_id integer NOT NULL,
    film_id integer NOT NULL,
    last_update timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT film_actor_pkey PRIMARY KEY (actor_id, film_id)
);
CREATE INDEX idx_fk_film_id ON public.film_actor USING btree (film_id);

CREATE TABLE public.film_category (
    film_id integer NOT NULL,
    category_id integer NOT NULL,
    last_update timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT film_category_pkey PRIMARY KEY (film_id, category_id)
);

CREATE TABLE public.inventory (
    inventory_id integer DEFAULT nextval('public.inventory_inventory_id_seq'::regclass) NOT NULL,
    film_id integer NOT NULL,
    store_id integer NOT NULL,
    last_update timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT inventory_pkey PRIMARY KEY (inventory_id)
);
CREATE INDEX idx_store_id_film_id ON public.inventory USING btree (store_id, film_id);

CREATE TABLE public.rental (
    rental_id integer DEFAULT nextval('public.rental_rental_id_seq'::regclass) NOT NULL,
    rental_date timestamp with time zone NOT NULL,
    inventory_id integer NOT NULL,
    customer_id integer NOT NULL,
    return_date timestamp with time zone,
    staff_id integer NOT NULL,
    last_update timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT rental_pkey PRIMARY KEY (rental_id)
);
CREATE UNIQUE INDEX idx_unq_rental_rental_date_inventory_id_customer_id ON public.rental USING btree (rental_date, inventory_id, customer_id);

CREATE TABLE public.payment (
    payment_id integer DEFAULT nextval('public.payment_payment_id_seq'::regclass) NOT NULL,
    customer_id integer NOT NULL,
    staff_id integer NOT NULL,
    rental_id integer NOT NULL,
    amount numeric(5,2) NOT NULL,
    payment_date timestamp with time zone NOT NULL,
    CONSTRAINT payment_pkey PRIMARY KEY (payment_date, payment_id)
) PARTITION BY RANGE (payment_date);
CREATE TABLE public.payment_p2022_01 PARTITION OF public.payment FOR VALUES FROM ('2022-01-01 00:00:00+00') TO ('2022-02-01 00:00:00+00');
CREATE TABLE public.payment_p2022_02 PARTITION OF public.payment FOR VALUES FROM ('2022-02-01 00:00:00+00') TO ('2022-03-01 00:00:00+00');
CREATE TABLE public.payment_p2022_03 PARTITION OF public.payment FOR VALUES FROM ('2022-03-01 00:00:00+00') TO ('2022-04-01 00:00:00+00');
CREATE TABLE public.payment_p2022_04 PARTITION OF public.payment FOR VALUES FROM ('2022-04-01 00:00:00+00') TO ('2022-05-01 00:00:00+00');
CREATE TABLE public.payment_p2022_05 PARTITION OF public.payment FOR VALUES FROM ('2022-05-01 00:00:00+00') TO ('2022-06-01 00:00:00+00');
CREATE TABLE public.payment_p2022_06 PARTITION OF public.payment FOR VALUES FROM ('2022-06-01 00:00:00+00') TO ('2022-07-01 00:00:00+00');
CREATE TABLE public.payment_p2022_07 PARTITION OF public.payment FOR VALUES FROM ('2022-07-01 00:00:00+00') TO ('2022-08-01 00:00:00+00');
CREATE INDEX idx_fk_payment_customer_id ON public.payment USING btree (customer_id);

-- Triggers: last_update on every table that has the column; film.fulltext from title and description.
CREATE TRIGGER last_updated BEFORE UPDATE ON public.actor FOR EACH ROW EXECUTE FUNCTION public.last_updated();
CREATE TRIGGER last_updated BEFORE UPDATE ON public.category FOR EACH ROW EXECUTE FUNCTION public.last_updated();
CREATE TRIGGER last_updated BEFORE UPDATE ON public.language FOR EACH ROW EXECUTE FUNCTION public.last_updated();
CREATE TRIGGER last_updated BEFORE UPDATE ON public.country FOR EACH ROW EXECUTE FUNCTION public.last_updated();
CREATE TRIGGER last_updated BEFORE UPDATE ON public.city FOR EACH ROW EXECUTE FUNCTION public.last_updated();
CREATE TRIGGER last_updated BEFORE UPDATE ON public.address FOR EACH ROW EXECUTE FUNCTION public.last_updated();
CREATE TRIGGER last_updated BEFORE UPDATE ON public.store FOR EACH ROW EXECUTE FUNCTION public.last_updated();
CREATE TRIGGER last_updated BEFORE UPDATE ON public.staff FOR EACH ROW EXECUTE FUNCTION public.last_updated();
CREATE TRIGGER last_updated BEFORE UPDATE ON public.customer FOR EACH ROW EXECUTE FUNCTION public.last_updated();
CREATE TRIGGER last_updated BEFORE UPDATE ON public.film FOR EACH ROW EXECUTE FUNCTION public.last_updated();
CREATE TRIGGER last_updated BEFORE UPDATE ON public.film_actor FOR EACH ROW EXECUTE FUNCTION public.last_updated();
CREATE TRIGGER last_updated BEFORE UPDATE ON public.film_category FOR EACH ROW EXECUTE FUNCTION public.last_updated();
CREATE TRIGGER last_updated BEFORE UPDATE ON public.inventory FOR EACH ROW EXECUTE FUNCTION public.last_updated();
CREATE TRIGGER last_updated BEFORE UPDATE ON public.rental FOR EACH ROW EXECUTE FUNCTION public.last_updated();
CREATE TRIGGER film_fulltext_trigger BEFORE INSERT OR UPDATE ON public.film
    FOR EACH ROW EXECUTE FUNCTION tsvector_update_trigger('fulltext', 'pg_catalog.english', 'title', 'description');

-- ---------------------------------------------------------------------------
-- Data
-- ---------------------------------------------------------------------------
INSERT INTO public.language (name, last_update)
SELECT l, timestamptz '2022-02-15 10:02:19+00'
FROM unnest(ARRAY['English', 'Italian', 'Japanese', 'Mandarin', 'French', 'German']) WITH ORDINALITY AS t(l, o) ORDER BY o;

INSERT INTO public.category (name, last_update)
SELECT c, timestamptz '2022-02-15 09:46:27+00'
FROM unnest(ARRAY['Action', 'Animation', 'Children', 'Classics', 'Comedy', 'Documentary', 'Drama', 'Family',
                  'Foreign', 'Games', 'Horror', 'Music', 'New', 'Sci-Fi', 'Sports', 'Travel']) WITH ORDINALITY AS t(c, o) ORDER BY o;

INSERT INTO public.country (country, last_update)
SELECT country, timestamptz '2022-02-15 09:44:00+00' FROM pg_temp.places GROUP BY country ORDER BY min(n);

INSERT INTO public.city (city, country_id, last_update)
SELECT p.city, c.country_id, timestamptz '2022-02-15 09:45:25+00'
FROM pg_temp.places p JOIN public.country c ON c.country = p.country ORDER BY p.n;

-- addresses 1..600 belong to customers, 601..612 to staff, 613..614 to the stores
INSERT INTO public.address (address, address2, district, city_id, postal_code, phone, last_update)
SELECT pg_temp.street('addr' || i),
       CASE WHEN pg_temp.h('apt' || i) % 7 = 0 THEN 'Apt ' || (1 + pg_temp.h('aptno' || i) % 40) || chr(65 + pg_temp.h('aptl' || i) % 6) END,
       pg_temp.region('addr' || i),
       1 + pg_temp.place_n('addr' || i),
       pg_temp.postal('addr' || i),
       pg_temp.phone('addr' || i),
       pg_temp.ts('addr-upd' || i)
FROM generate_series(1, 614) AS i ORDER BY i;

INSERT INTO public.actor (first_name, last_name, last_update)
SELECT pg_temp.first_name('actor' || i), pg_temp.last_name('actor' || i), timestamptz '2022-02-15 09:34:33+00'
FROM generate_series(1, 200) AS i ORDER BY i;

INSERT INTO public.store (manager_staff_id, address_id, last_update)
VALUES (1, 613, '2022-02-15 09:57:12+00'), (2, 614, '2022-02-15 09:57:12+00');

INSERT INTO public.staff (first_name, last_name, address_id, email, store_id, active, username, password, last_update, picture)
SELECT pg_temp.first_name('staff' || i), pg_temp.last_name('staff' || i), 600 + i,
       initcap(pg_temp.first_slug('staff' || i)) || '.' || initcap(pg_temp.last_slug('staff' || i)) || '@sakilastaff.com',
       1 + (i + 1) % 2, i % 9 <> 0,
       pg_temp.first_slug('staff' || i) || left(pg_temp.last_slug('staff' || i), 1) || i,
       substr(md5('pw' || i) || md5('pw2' || i), 1, 40),
       pg_temp.ts('staff-upd' || i),
       CASE WHEN i % 3 <> 0 THEN decode('89504e470d0a1a0a0000000d4948445200000010000000100806000000' || md5('pic' || i) || md5('pic2' || i) || '0000000049454e44ae426082', 'hex') END
FROM generate_series(1, 12) AS i ORDER BY i;

INSERT INTO public.customer (store_id, first_name, last_name, email, address_id, activebool, create_date, last_update, active)
SELECT 1 + pg_temp.h('store' || i) % 2,
       pg_temp.first_name('cust' || i), pg_temp.last_name('cust' || i),
       CASE WHEN i % 41 = 0 THEN NULL ELSE pg_temp.unique_email('cust' || i, i) END,
       i, i % 17 <> 0,
       date '2021-02-14' + pg_temp.h('created' || i) % 300,
       pg_temp.ts('cust-upd' || i),
       CASE WHEN i % 17 <> 0 THEN 1 ELSE 0 END
FROM generate_series(1, 600) AS i ORDER BY i;

INSERT INTO public.film (title, description, release_year, language_id, original_language_id, rental_duration,
                         rental_rate, length, replacement_cost, rating, last_update, special_features)
SELECT upper(pg_temp.pick(ARRAY['Academy','Ace','Adaptation','Affair','African','Agent','Airplane','Alabama','Aladdin','Alamo',
                                'Alien','Amadeus','Amelie','American','Anaconda','Angels','Annie','Apache','Apollo','Arabia',
                                'Backlash','Badman','Ballroom','Bang','Barefoot','Beach','Bear','Beast','Bedazzled','Berets',
                                'Chamber','Chariots','Cheaper','Chicago','Chocolat','Cider','Clash','Clerks','Clones','Closer'], 'ta' || i)
             || ' ' || pg_temp.pick(ARRAY['Dinosaur','Goldfinger','Reunion','Prejudice','Egg','Truman','Sierra','Mallrats','Calendar','Fugitive',
                                          'Fever','Holiday','Graffiti','Circus','Acadia','Wars','Holy','Divorce','Ghetto','Roots',
                                          'Express','Mile','Moon','Kick','Patton','Boondock','Sunset','Hamlet','Dancing','Harper'], 'tb' || i)
             || CASE WHEN i > 900 THEN ' ' || i ELSE '' END),
       'A ' || pg_temp.pick(ARRAY['Epic','Astounding','Fanciful','Boring','Beautiful','Touching','Thoughtful','Lacklusture','Emotional','Insightful'], 'da' || i)
            || ' ' || pg_temp.pick(ARRAY['Drama','Documentary','Story','Saga','Reflection','Yarn','Tale','Panorama','Display','Character Study'], 'db' || i)
            || ' of a ' || pg_temp.pick(ARRAY['Feminist','Mad Scientist','Dentist','Squirrel','Car','Moose','Butler','Robot','Astronaut','Lumberjack'], 'dc' || i)
            || ' And a ' || pg_temp.pick(ARRAY['Teacher','Boat','Database Administrator','Crocodile','Frisbee','Monkey','Cat','Composer','Pioneer','Woman'], 'dd' || i)
            || ' who must ' || pg_temp.pick(ARRAY['Battle','Chase','Outrace','Sink','Find','Fight','Meet','Defeat','Outgun','Reach'], 'de' || i)
            || ' a ' || pg_temp.pick(ARRAY['Husband','Student','Pastry Chef','Hunter','Explorer','Madman','Girl','Technical Writer','Sumo Wrestler','Dog'], 'df' || i)
            || ' in ' || pg_temp.pick(ARRAY['The Canadian Rockies','A Shark Tank','The Gulf of Mexico','Ancient India','A Manhattan Penthouse','The Outback','A Baloon','Soviet Georgia','An Abandoned Mine Shaft','The First Manned Space Station'], 'dg' || i),
       (1990 + pg_temp.h('year' || i) % 33)::public.year,
       1, CASE WHEN i % 10 = 0 THEN 1 + pg_temp.h('olang' || i) % 6 END,
       (3 + pg_temp.h('dur' || i) % 5)::smallint,
       (ARRAY[0.99, 2.99, 4.99])[1 + pg_temp.h('rate' || i) % 3],
       (46 + pg_temp.h('len' || i) % 140)::smallint,
       9.99 + pg_temp.h('cost' || i) % 21,
       (enum_range(NULL::public.mpaa_rating))[1 + pg_temp.h('rating' || i) % 5],
       timestamptz '2022-02-15 10:03:42+00',
       string_to_array(pg_temp.pick(ARRAY['Trailers', 'Trailers,Deleted Scenes', 'Commentaries,Behind the Scenes', 'Deleted Scenes,Behind the Scenes', 'Trailers,Commentaries,Deleted Scenes'], 'feat' || i), ',')
FROM generate_series(1, 1000) AS i ORDER BY i;

INSERT INTO public.film_actor (actor_id, film_id, last_update)
SELECT DISTINCT 1 + pg_temp.h('fa' || f || '/' || k) % 200, f, timestamptz '2022-02-15 10:05:03+00'
FROM generate_series(1, 1000) AS f, generate_series(1, 5) AS k ORDER BY 2, 1;

INSERT INTO public.film_category (film_id, category_id, last_update)
SELECT f, 1 + pg_temp.h('fc' || f) % 16, timestamptz '2022-02-15 10:07:09+00'
FROM generate_series(1, 1000) AS f ORDER BY f;

INSERT INTO public.inventory (film_id, store_id, last_update)
SELECT 1 + pg_temp.h('inv' || i) % 1000, 1 + i % 2, timestamptz '2022-02-15 10:09:17+00'
FROM generate_series(1, 3000) AS i ORDER BY i;

INSERT INTO public.rental (rental_date, inventory_id, customer_id, return_date, staff_id, last_update)
SELECT r.d, 1 + pg_temp.h('ri' || i) % 3000, 1 + pg_temp.h('rc' || i) % 600,
       CASE WHEN i % 50 = 0 THEN NULL ELSE r.d + make_interval(hours => 20 + pg_temp.h('rr' || i) % 200) END,
       1 + pg_temp.h('rs' || i) % 12, r.d + interval '1 day'
FROM generate_series(1, 5000) AS i,
     LATERAL (SELECT timestamptz '2022-01-01 00:00:00+00' + make_interval(secs => pg_temp.h('rd' || i) % 17280000) AS d) r
ORDER BY i;

INSERT INTO public.payment (customer_id, staff_id, rental_id, amount, payment_date)
SELECT r.customer_id, r.staff_id, r.rental_id, (ARRAY[0.99, 2.99, 4.99, 5.99, 7.99, 9.99])[1 + pg_temp.h('pa' || r.rental_id) % 6],
       r.rental_date + make_interval(mins => pg_temp.h('pd' || r.rental_id) % 4000)
FROM public.rental r ORDER BY r.rental_id;

-- ---------------------------------------------------------------------------
-- Constraints added after the data, as a port does
-- ---------------------------------------------------------------------------
ALTER TABLE ONLY public.address ADD CONSTRAINT address_city_id_fkey FOREIGN KEY (city_id) REFERENCES public.city(city_id) ON UPDATE CASCADE ON DELETE RESTRICT;
ALTER TABLE ONLY public.city ADD CONSTRAINT city_country_id_fkey FOREIGN KEY (country_id) REFERENCES public.country(country_id) ON UPDATE CASCADE ON DELETE RESTRICT;
ALTER TABLE ONLY public.customer ADD CONSTRAINT customer_address_id_fkey FOREIGN KEY (address_id) REFERENCES public.address(address_id) ON UPDATE CASCADE ON DELETE RESTRICT;
ALTER TABLE ONLY public.customer ADD CONSTRAINT customer_store_id_fkey FOREIGN KEY (store_id) REFERENCES public.store(store_id) ON UPDATE CASCADE ON DELETE RESTRICT;
ALTER TABLE ONLY public.film ADD CONSTRAINT film_language_id_fkey FOREIGN KEY (language_id) REFERENCES public.language(language_id) ON UPDATE CASCADE ON DELETE RESTRICT;
ALTER TABLE ONLY public.film ADD CONSTRAINT film_original_language_id_fkey FOREIGN KEY (original_language_id) REFERENCES public.language(language_id) ON UPDATE CASCADE ON DELETE RESTRICT;
ALTER TABLE ONLY public.film_actor ADD CONSTRAINT film_actor_actor_id_fkey FOREIGN KEY (actor_id) REFERENCES public.actor(actor_id) ON UPDATE CASCADE ON DELETE RESTRICT;
ALTER TABLE ONLY public.film_actor ADD CONSTRAINT film_actor_film_id_fkey FOREIGN KEY (film_id) REFERENCES public.film(film_id) ON UPDATE CASCADE ON DELETE RESTRICT;
ALTER TABLE ONLY public.film_category ADD CONSTRAINT film_category_category_id_fkey FOREIGN KEY (category_id) REFERENCES public.category(category_id) ON UPDATE CASCADE ON DELETE RESTRICT;
ALTER TABLE ONLY public.film_category ADD CONSTRAINT film_category_film_id_fkey FOREIGN KEY (film_id) REFERENCES public.film(film_id) ON UPDATE CASCADE ON DELETE RESTRICT;
ALTER TABLE ONLY public.inventory ADD CONSTRAINT inventory_film_id_fkey FOREIGN KEY (film_id) REFERENCES public.film(film_id) ON UPDATE CASCADE ON DELETE RESTRICT;
ALTER TABLE ONLY public.inventory ADD CONSTRAINT inventory_store_id_fkey FOREIGN KEY (store_id) REFERENCES public.store(store_id) ON UPDATE CASCADE ON DELETE RESTRICT;
ALTER TABLE ONLY public.rental ADD CONSTRAINT rental_customer_id_fkey FOREIGN KEY (customer_id) REFERENCES public.customer(customer_id) ON UPDATE CASCADE ON DELETE RESTRICT;
ALTER TABLE ONLY public.rental ADD CONSTRAINT rental_inventory_id_fkey FOREIGN KEY (inventory_id) REFERENCES public.inventory(inventory_id) ON UPDATE CASCADE ON DELETE RESTRICT;
ALTER TABLE ONLY public.rental ADD CONSTRAINT rental_staff_id_fkey FOREIGN KEY (staff_id) REFERENCES public.staff(staff_id) ON UPDATE CASCADE ON DELETE RESTRICT;
ALTER TABLE ONLY public.staff ADD CONSTRAINT staff_address_id_fkey FOREIGN KEY (address_id) REFERENCES public.address(address_id) ON UPDATE CASCADE ON DELETE RESTRICT;
ALTER TABLE ONLY public.staff ADD CONSTRAINT staff_store_id_fkey FOREIGN KEY (store_id) REFERENCES public.store(store_id);
ALTER TABLE ONLY public.store ADD CONSTRAINT store_address_id_fkey FOREIGN KEY (address_id) REFERENCES public.address(address_id) ON UPDATE CASCADE ON DELETE RESTRICT;
ALTER TABLE ONLY public.store ADD CONSTRAINT store_manager_staff_id_fkey FOREIGN KEY (manager_staff_id) REFERENCES public.staff(staff_id) ON UPDATE CASCADE ON DELETE RESTRICT;
ALTER TABLE public.payment ADD CONSTRAINT payment_customer_id_fkey FOREIGN KEY (customer_id) REFERENCES public.customer(customer_id) ON UPDATE CASCADE ON DELETE RESTRICT;
ALTER TABLE public.payment ADD CONSTRAINT payment_rental_id_fkey FOREIGN KEY (rental_id) REFERENCES public.rental(rental_id) ON UPDATE CASCADE ON DELETE SET NULL;
ALTER TABLE public.payment ADD CONSTRAINT payment_staff_id_fkey FOREIGN KEY (staff_id) REFERENCES public.staff(staff_id) ON UPDATE CASCADE ON DELETE RESTRICT;

-- ---------------------------------------------------------------------------
-- Views: a plain one and a populated materialized one (derived personal data)
-- ---------------------------------------------------------------------------
CREATE VIEW public.staff_list AS
 SELECT s.staff_id AS id, (s.first_name || ' ' || s.last_name) AS name, a.address, a.postal_code AS "zip code",
        a.phone, city.city, country.country, s.store_id AS sid
   FROM public.staff s
   JOIN public.address a ON s.address_id = a.address_id
   JOIN public.city ON a.city_id = city.city_id
   JOIN public.country ON city.country_id = country.country_id;

CREATE MATERIALIZED VIEW public.customer_contact AS
 SELECT cu.customer_id AS id, (cu.first_name || ' ' || cu.last_name) AS name, cu.email, a.address,
        a.postal_code AS "zip code", a.phone, city.city, country.country, cu.store_id AS sid
   FROM public.customer cu
   JOIN public.address a ON cu.address_id = a.address_id
   JOIN public.city ON a.city_id = city.city_id
   JOIN public.country ON city.country_id = country.country_id
  WITH DATA;
CREATE UNIQUE INDEX customer_contact_id_idx ON public.customer_contact USING btree (id);

-- The sequences are not OWNED BY their columns; move them past the data.
SELECT setval('public.actor_actor_id_seq', (SELECT max(actor_id) FROM public.actor));
SELECT setval('public.category_category_id_seq', (SELECT max(category_id) FROM public.category));
SELECT setval('public.language_language_id_seq', (SELECT max(language_id) FROM public.language));
SELECT setval('public.country_country_id_seq', (SELECT max(country_id) FROM public.country));
SELECT setval('public.city_city_id_seq', (SELECT max(city_id) FROM public.city));
SELECT setval('public.address_address_id_seq', (SELECT max(address_id) FROM public.address));

COMMIT;
