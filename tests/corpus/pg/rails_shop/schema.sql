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
-- Deterministic data helpers (in pg_temp: never part of the schema or its dumps).
\ir ../helpers.sql


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
