-- fuzz-source: pg15_partitions_copy.sql
--
-- PostgreSQL database dump
--

\restrict ahJnPFdC5aI96vSkFNJe8kJ2o0F69nywSc5HGTmhJtYh4tbgexmXVcILm4g5dvS

-- Dumped from database version 15.18 (Debian 15.18-0+deb12u1)
-- Dumped by pg_dump version 15.18 (Debian 15.18-0+deb12u1)

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

--
-- Name: Archive; Type: SCHEMA; Schema: -; Owner: postgres
--

CREATE SCHEMA "Archive";


ALTER SCHEMA "Archive" OWNER TO postgres;

SET default_tablespace = '';

--
-- Name: measurement; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.measurement (
    id integer NOT NULL,
    user_email text,
    note text,
    logdate date NOT NULL
)
PARTITION BY RANGE (logdate);


ALTER TABLE public.measurement OWNER TO postgres;

SET default_table_access_method = heap;

--
-- Name: Measurement Old; Type: TABLE; Schema: Archive; Owner: postgres
--

CREATE TABLE "Archive"."Measurement Old" (
    id integer NOT NULL,
    user_email text,
    note text,
    logdate date NOT NULL
);


ALTER TABLE "Archive"."Measurement Old" OWNER TO postgres;

--
-- Name: contacts; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.contacts (
    id integer NOT NULL,
    email text,
    phone text
);


ALTER TABLE public.contacts OWNER TO postgres;

--
-- Name: measurement_2023; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.measurement_2023 (
    id integer NOT NULL,
    user_email text,
    note text,
    logdate date NOT NULL
);


ALTER TABLE public.measurement_2023 OWNER TO postgres;

--
-- Name: measurement_2024; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.measurement_2024 (
    logdate date NOT NULL,
    note text,
    id integer NOT NULL,
    user_email text
);


ALTER TABLE public.measurement_2024 OWNER TO postgres;

--
-- Name: measurement_2025; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.measurement_2025 (
    id integer NOT NULL,
    user_email text,
    note text,
    logdate date NOT NULL
)
PARTITION BY RANGE (id);


ALTER TABLE public.measurement_2025 OWNER TO postgres;

--
-- Name: measurement_2025_low; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.measurement_2025_low (
    id integer NOT NULL,
    user_email text,
    note text,
    logdate date NOT NULL
);


ALTER TABLE public.measurement_2025_low OWNER TO postgres;

--
-- Name: measurement_2025_rest; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.measurement_2025_rest (
    id integer NOT NULL,
    user_email text,
    note text,
    logdate date NOT NULL
);


ALTER TABLE public.measurement_2025_rest OWNER TO postgres;

--
-- Name: measurement_default; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.measurement_default (
    id integer NOT NULL,
    user_email text,
    note text,
    logdate date NOT NULL
);


ALTER TABLE public.measurement_default OWNER TO postgres;

--
-- Name: settings; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.settings (
    k text NOT NULL,
    v text
);


ALTER TABLE public.settings OWNER TO postgres;

--
-- Name: tags; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.tags (
    tag text
);


ALTER TABLE public.tags OWNER TO postgres;

--
-- Name: vip_contacts; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.vip_contacts (
    level integer
)
INHERITS (public.contacts);


ALTER TABLE public.vip_contacts OWNER TO postgres;

--
-- Name: vip_tagged; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.vip_tagged (
    since date
)


ALTER TABLE public.vip_tagged OWNER TO postgres;

--
-- Name: Measurement Old; Type: TABLE ATTACH; Schema: Archive; Owner: postgres
--

ALTER TABLE ONLY public.measurement ATTACH PARTITION "Archive"."Measurement Old" FOR VALUES FROM ('2000-01-01') TO ('2023-01-01');


--
-- Name: measurement_2023; Type: TABLE ATTACH; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.measurement ATTACH PARTITION public.measurement_2023 FOR VALUES FROM ('2023-01-01') TO ('2024-01-01');


--
-- Name: measurement_2024; Type: TABLE ATTACH; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.measurement ATTACH PARTITION public.measurement_2024 FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');


--
-- Name: measurement_2025; Type: TABLE ATTACH; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.measurement ATTACH PARTITION public.measurement_2025 FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');

WITH x AS (SELECT 1) INSERT INTO public.vip_tagged (phone) SELECT 'mail anna.2023@corp.example please' FROM x;

--
-- Name: measurement_2025_low; Type: TABLE ATTACH; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.measurement_2025 ATTACH PARTITION public.measurement_2025_low FOR VALUES FROM (MINVALUE) TO (100);


--
-- Name: measurement_2025_rest; Type: TABLE ATTACH; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.measurement_2025 ATTACH PARTITION public.measurement_2025_rest DEFAULT;


--
-- Name: measurement_default; Type: TABLE ATTACH; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.measurement ATTACH PARTITION public.measurement_default DEFAULT;


--
-- Data for Name: Measurement Old; Type: TABLE DATA; Schema: Archive; Owner: postgres
--

COPY "Archive"."Measurement Old" (id, user_email, note, logdate) FROM stdin;
1	old.user@corp.example	call me at +49 170 1111111	2010-05-05
\.


--
-- Data for Name: contacts; Type: TABLE DATA; Schema: public; Owner: postgres
--

COPY public.contacts (id, email, phone) FROM stdin;
1	plain.contact@corp.example	+49 30 1234567
\.


--
-- Data for Name: measurement_2023; Type: TABLE DATA; Schema: public; Owner: postgres
--

COPY public.measurement_2023 (id, user_email, note, logdate) FROM stdin;
2	anna.2023@corp.example	mail anna.2023@corp.example please	2023-03-03
\.


--
-- Data for Name: measurement_2024; Type: TABLE DATA; Schema: public; Owner: postgres
--

COPY public.measurement_2024 (logdate, note, id, user_email) FROM stdin;
2024-04-04	bob phone (030) 555-2024	3	bob.2024@corp.example
\.


--
-- Data for Name: measurement_2025_low; Type: TABLE DATA; Schema: public; Owner: postgres
--

COPY public.measurement_2025_low (id, user_email, note, logdate) FROM stdin;
4	carl.2025@corp.example	\N	2025-02-02
\.


--
-- Data for Name: measurement_2025_rest; Type: TABLE DATA; Schema: public; Owner: postgres
--

COPY public.measurement_2025_rest (id, user_email, note, logdate) FROM stdin;
150	dora.2025@corp.example	dora: +1 202 555 0150	2025-06-06
\.


--
-- Data for Name: measurement_default; Type: TABLE DATA; Schema: public; Owner: postgres
--

COPY public.measurement_default (id, user_email, note, logdate) FROM stdin;
5	eve.future@corp.example	future row	2031-01-01
\.


--
-- Data for Name: settings; Type: TABLE DATA; Schema: public; Owner: postgres
--

COPY public.settings (k, v) FROM stdin;
theme	dark
\.


--
-- Data for Name: tags; Type: TABLE DATA; Schema: public; Owner: postgres
--

COPY public.tags (tag) FROM stdin;
plain-tag
\.


--
-- Data for Name: vip_contacts; Type: TABLE DATA; Schema: public; Owner: postgres
--

COPY public.vip_contacts (id, email, phone, level) FROM stdin;
2	vip.contact@corp.example	+49 30 7654321	3
\.


--
-- Data for Name: vip_tagged; Type: TABLE DATA; Schema: public; Owner: postgres
--

COPY public.vip_tagged (id, email, phone, level, tag, since) FROM stdin;
3	tagged.vip@corp.example	+49 30 1112223	5	gold	2024-01-01
\.


--
-- Name: settings settings_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.settings
    ADD CONSTRAINT settings_pkey PRIMARY KEY (k);


--
-- PostgreSQL database dump complete
--

\unrestrict ahJnPFdC5aI96vSkFNJe8kJ2o0F69nywSc5HGTmhJtYh4tbgexmXVcILm4g5dvS

