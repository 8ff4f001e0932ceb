-- fuzz-source: pg15_copy.sql
--
-- PostgreSQL database dump
--

\restrict 9btzyjDiNMEihfcnADuwLbBoBjQdldDvXNWgADJeap2PC887RG0SAkxqJ72b1XJ

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
-- Name: My Schema; Type: SCHEMA; Schema: -; Owner: postgres
--

CREATE SCHEMA "My Schema";


ALTER SCHEMA "My Schema" OWNER TO postgres;

--
-- Name: atomic_add(integer, integer); Type: FUNCTION; Schema: public; Owner: postgres
--

CREATE FUNCTION public.atomic_add(a integer, b integer) RETURNS integer
    LANGUAGE sql
    BEGIN ATOMIC
 SELECT
         CASE
             WHEN (a > 0) THEN (a + b)
             ELSE b
         END AS b;
 SELECT (a + b);
END;


ALTER FUNCTION public.atomic_add(a integer, b integer) OWNER TO postgres;

--
-- Name: tagged_body(integer); Type: FUNCTION; Schema: public; Owner: postgres
--

CREATE FUNCTION public.tagged_body(a integer) RETURNS integer
    LANGUAGE plpgsql
    AS $_$
DECLARE s text := $$ it's; "quoted" $$;
BEGIN
  RETURN a + 1; -- ; ; ;
END
$_$;


ALTER FUNCTION public.tagged_body(a integer) OWNER TO postgres;

--
-- Name: tricky_body(); Type: FUNCTION; Schema: public; Owner: postgres
--

CREATE FUNCTION public.tricky_body() RETURNS text
    LANGUAGE plpgsql
    AS $$
BEGIN
  -- COPY public.users (id) FROM stdin;
  RETURN 'COPY x FROM stdin;
1	2
\.
';
END;
$$;


ALTER FUNCTION public.tricky_body() OWNER TO postgres;

SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: Order Items; Type: TABLE; Schema: My Schema; Owner: postgres
--

CREATE TABLE "My Schema"."Order Items" (
    id bigint NOT NULL,
    "weird ""col""" text,
    "Qty.Count" integer,
    tags text[],
    payload jsonb,
    bits bit varying(8),
    raw bytea
);


ALTER TABLE "My Schema"."Order Items" OWNER TO postgres;

--
-- Name: Order Items_id_seq; Type: SEQUENCE; Schema: My Schema; Owner: postgres
--

ALTER TABLE "My Schema"."Order Items" ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME "My Schema"."Order Items_id_seq"
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: users; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.users (
    id integer NOT NULL,
    email text,
    "Name" text,
    note text,
    born date,
    score numeric,
    ratio double precision,
    active boolean
);


ALTER TABLE public.users OWNER TO postgres;

--
-- Name: TABLE users; Type: COMMENT; Schema: public; Owner: postgres
--

COMMENT ON TABLE public.users IS 'users; with ''quotes'' and a -- fake comment and /* fake */';


--
-- Name: v; Type: VIEW; Schema: My Schema; Owner: postgres
--

CREATE VIEW "My Schema".v AS
 SELECT users.id,
    'tab	here'::text AS t,
    'data'::text AS u
   FROM public.users;


ALTER TABLE "My Schema".v OWNER TO postgres;

--
-- Name: empty_cols; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.empty_cols (
);


ALTER TABLE public.empty_cols OWNER TO postgres;

--
-- Name: log; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.log (
    id integer,
    msg text
);


ALTER TABLE public.log OWNER TO postgres;

--
-- Name: nothing_here; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.nothing_here (
    a integer
);


ALTER TABLE public.nothing_here OWNER TO postgres;

--
-- Name: user; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public."user" (
    id integer,
    "select" text
);


ALTER TABLE public."user" OWNER TO postgres;

--
-- Data for Name: Order Items; Type: TABLE DATA; Schema: My Schema; Owner: postgres
--

COPY "My Schema"."Order Items" (id, "weird ""col""", "Qty.Count", tags, payload, bits, raw) FROM stdin;
1	x	1	{a,"b c",NULL,"d\\"e"}	{"k": "v\\\\n", "n": [1, 2]}	1010	\\x00ff5c0a
2	\N	-2	{}	null		\\x
3	new\nline	3	\N	\N	\N	\N
\.


--
-- Data for Name: empty_cols; Type: TABLE DATA; Schema: public; Owner: postgres
--

COPY public.empty_cols  FROM stdin;


\.


--
-- Data for Name: log; Type: TABLE DATA; Schema: public; Owner: postgres
--

COPY public.log (id, msg) FROM stdin;
7	a;b
-1	c
8	\\.
9	\\.\nx
10	\\N
11	trailing backslash \\
12	line1\n\\.\nline3
\.


--
-- Data for Name: nothing_here; Type: TABLE DATA; Schema: public; Owner: postgres
--

COPY public.nothing_here (a) FROM stdin;
\.


--
-- Data for Name: user; Type: TABLE DATA; Schema: public; Owner: postgres
--

COPY public."user" (id, "select") FROM stdin;
7	sel
\.


--
-- Data for Name: users; Type: TABLE DATA; Schema: public; Owner: postgres
--

COPY public.users (id, email, "Name", note, born, score, ratio, active) FROM stdin;
1	ALIcE@eXaMPle.coM	alIcE	TaB\tHeRe\nNewLiNe AnD BaCk\\SlaSh	2000-01-02	3.5	1E+20	t
2		Bob O'Brien	\N	\N	NaN	-Infinity	f
3	\\N	Émilie 😀	carriage\rreturn\b\fv	1999-12-31	-0.0001	-1.5e-10	\N
4	semi;colon	(paren), comma	quote ' and "dq" and $$ dollar	infinity	12345678901234567890.123	0	t
\.


--
-- Name: Order Items_id_seq; Type: SEQUENCE SET; Schema: My Schema; Owner: postgres
--

SELECT pg_catalog.setval('"My Schema"."Order Items_id_seq"', 3, true);


--
-- Name: users users_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.users
    ADD CONSTRAINT users_pkey PRIMARY KEY (id);


--
-- Name: user multi; Type: RULE; Schema: public; Owner: postgres
--

CREATE RULE multi AS
    ON INSERT TO public."user" DO ( INSERT INTO public.log (id, msg)
  VALUES (new.id, 'a;b'::text);  INSERT INTO public.log (id, msg)
  VALUES ('-1'::integer, 'c'::text);
);


--
-- PostgreSQL database dump complete
--

\unrestrict 9btzyjDiNMEihfcnADuwLbBoBjQdldDvXNWgADJeap2PC887RG0SAkxqJ72b1XJ

