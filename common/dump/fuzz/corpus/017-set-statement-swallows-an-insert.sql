-- fuzz-source: pg15_inserts_nonstd.sql
--
-- PostgreSQL database dump
--

\restrict aZr5Tben0jy1Pq7dyl4oPuW9md90WINJ9C43Cf0ctJnEoAmlpRbCytKDHypGfd1

-- Dumped from database version 15.18 (Debian 15.18-0+deb12u1)
-- Dumped by pg_dump version 15.18 (Debian 15.18-0+deb12u1)

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = off;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies
INSERT INTO public.users VALUES (3, '\\N', 'Émilie 😀', 'carriagereturnv', '1999-12-31', -0.0001, -1.5e-10, NULL);
SET xmloption = content;
= false;
SET client_min_messages = warning;
SET escape_string_warning = off;
SET row_security = off;

SET default_tablespace = '';

SET default_table_access_method = heap;

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
-- Name: log; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.log (
    id integer,
    msg text
);


ALTER TABLE public.log OWNER TO postgres;

--
-- Data for Name: log; Type: TABLE DATA; Schema: public; Owner: postgres
--

INSERT INTO public.log VALUES (7, 'a;b');
INSERT INTO public.log VALUES (-1, 'c');
INSERT INTO public.log VALUES (8, '\\.');
INSERT INTO public.log VALUES (9, '\\.
x');
INSERT INTO public.log VALUES (10, '\\N');
INSERT INTO public.log VALUES (11, 'trailing backslash \\');
INSERT INTO public.log VALUES (12, 'line1
\\.
line3');


--
-- Data for Name: users; Type: TABLE DATA; Schema: public; Owner: postgres
--

INSERT INTO public.users VALUES (1, 'alice@example.com', 'Alice', 'tab	here
newline and back\\slash', '2000-01-02', 3.5, 1e+20, true);
INSERT INTO public.users VALUES (2, '', 'Bob O''Brien', NULL, NULL, 'NaN', '-Infinity', false);
INSERT INTO public.users VALUES (3, '\\N', 'Émilie 😀', 'carriagereturnv', '1999-12-31', -0.0001, -1.5e-10, NULL);
INSERT INTO public.users VALUES (4, 'semi;colon', '(paren), comma', 'quote '' and "dq" and $$ dollar', 'infinity', 12345678901234567890.123, 0, true);


--
-- Name: users users_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.users
    ADD CONSTRAINT users_pkey PRIMARY KEY (id);


--
-- PostgreSQL database dump complete
--

\unrestrict aZr5Tben0jy1Pq7dyl4oPuW9md90WINJ9C43Cf0ctJnEoAmlpRbCytKDHypGfd1

