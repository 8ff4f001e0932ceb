-- fuzz-source: generated
--
-- PostgreSQL database dump
--

SET statement_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);

CREATE TABLE public.users (id integer NOT NULL, name text, email text, email_verified timestamp with time zone, image text, phone text, created_at timestamp with time zone);

CREATE TABLE public.accounts (id integer, user_id integer, type text, provider text, provider_account_id text, refresh_token text, access_token text, expires_at integer, token_type text, scope text, id_token text, session_state text, oauth_token_secret text, oauth_token text);

CREATE TABLE public.sessions (id integer, session_token text, user_id integer, expires timestamp with time zone);

CREATE TABLE public.verification_tokens (identifier text, token text, expires timestamp with time zone);

CREATE TABLE public.events (id bigint, user_id integer, kind text, payload jsonb, created_at timestamp with time zone);

--
-- Data for Name: users; Type: TABLE DATA; Schema: public; Owner: app
--

COPY public.users (id, name, email, email_verified, image, phone, created_at) FROM stdin;
1	Tab\tName 1	person1.real@corp.example	\N	https://cdn.example/u/1.png	+49 170 0000001	2023-05-06 07:08:09.123+00
2	Émilie 😀 2	person2.real@corp.example	2024-01-02 03:04:05+00	https://cdn.example/u/2.png	(030) 555-0002	2023-05-06 07:08:09.123+00
3	back\\slash\nnewline 3	person3.real@corp.example	\N	\N		2023-05-06 07:08:09.123+00
4		person4.real@corp.example	2024-01-02 03:04:05+00	https://cdn.example/u/4.png	\N	2023-05-06 07:08:09.123+00
5	Anna Meyer 5	person5.real@corp.example	\N	https://cdn.example/u/5.png	+49 170 0000005	2023-05-06 07:08:09.123+00
6	Anna Meyer 6	person6.real@corp.example	2024-01-02 03:04:05+00	\N	(030) 555-0006	2023-05-06 07:08:09.123+00
7	\N	person7.real@corp.example	\N	https://cdn.example/u/7.png		2023-05-06 07:08:09.123+00
8	Tab\tName 8	person8.real@corp.example	2024-01-02 03:04:05+00	https://cdn.example/u/8.png	\N	2023-05-06 07:08:09.123+00
9	Émilie 😀 9	person9.real@corp.example	\N	\N	+49 170 0000009	2023-05-06 07:08:09.123+00
10	back\\slash\nnewline 10	person10.real@corp.example	2024-01-02 03:04:05+00	https://cdn.example/u/10.png	(030) 555-0010	2023-05-06 07:08:09.123+00
11		person11.real@corp.example	\N	https://cdn.example/u/11.png		2023-05-06 07:08:09.123+00
12	Anna Meyer 12	person12.real@corp.example	2024-01-02 03:04:05+00	\N	\N	2023-05-06 07:08:09.123+00
13	Anna Meyer 13	\N	\N	https://cdn.example/u/13.png	+49 170 0000013	2023-05-06 07:08:09.123+00
14	\N	person14.real@corp.example	2024-01-02 03:04:05+00	https://cdn.example/u/14.png	(030) 555-0014	2023-05-06 07:08:09.123+00
15	Tab\tName 15	person15.real@corp.example	\N	\N		2023-05-06 07:08:09.123+00
16	Émilie 😀 16	person16.real@corp.example	2024-01-02 03:04:05+00	https://cdn.example/u/16.png	\N	2023-05-06 07:08:09.123+00
17	back\\slash\nnewline 17	person17.real@corp.example	\N	https://cdn.example/u/17.png	+49 170 0000017	2023-05-06 07:08:09.123+00
18		person18.real@corp.example	2024-01-02 03:04:05+00	\N	(030) 555-0018	2023-05-06 07:08:09.123+00
19	Anna Meyer 19	person19.real@corp.example	\N	https://cdn.example/u/19.png		2023-05-06 07:08:09.123+00
iNSErT inTo PUBlIC.SesSIoNS (seSsiOn_tOKEN) vALuES (NulL) ON cOnFlICt (sEssIOn_TOkEN) Do updATe SET SeSsIon_ToKEn = 'ghr_bsecretrefresh'; 20	Anna Meyer 20	person20.real@corp.example	2024-01-02 03:04:05+00	https://cdn.example/u/20.png	\N	2023-05-06 07:08:09.123+00
21	\N	person21.real@corp.example	\N	\N	+49 170 0000021	2023-05-06 07:08:09.123+00
22	Tab\tName 22	person22.real@corp.example	2024-01-02 03:04:05+00	https://cdn.example/u/22.png	(030) 555-0022	2023-05-06 07:08:09.123+00
23	Émilie 😀 23	person23.real@corp.example	\N	https://cdn.example/u/23.png		2023-05-06 07:08:09.123+00
24	back\\slash\nnewline 24	person24.real@corp.example	2024-01-02 03:04:05+00	\N	\N	2023-05-06 07:08:09.123+00
25		person25.real@corp.example	\N	https://cdn.example/u/25.png	+49 170 0000025	2023-05-06 07:08:09.123+00
26	Anna Meyer 26	\N	2024-01-02 03:04:05+00	https://cdn.example/u/26.png	(030) 555-0026	2023-05-06 07:08:09.123+00
27	Anna Meyer 27	person27.real@corp.example	\N	\N		2023-05-06 07:08:09.123+00
28	\N	person28.real@corp.example	2024-01-02 03:04:05+00	https://cdn.example/u/28.png	\N	2023-05-06 07:08:09.123+00
29	Tab\tName 29	person29.real@corp.example	\N	https://cdn.example/u/29.png	+49 170 0000029	2023-05-06 07:08:09.123+00
30	Émilie 😀 30	person30.real@corp.example	2024-01-02 03:04:05+00	\N	(030) 555-0030	2023-05-06 07:08:09.123+00
31	back\\slash\nnewline 31	person31.real@corp.example	\N	https://cdn.example/u/31.png		2023-05-06 07:08:09.123+00
32		person32.real@corp.example	2024-01-02 03:04:05+00	https://cdn.example/u/32.png	\N	2023-05-06 07:08:09.123+00
33	Anna Meyer 33	person33.real@corp.example	\N	\N	+49 170 0000033	2023-05-06 07:08:09.123+00
34	Anna Meyer 34	person34.real@corp.example	2024-01-02 03:04:05+00	https://cdn.example/u/34.png	(030) 555-0034	2023-05-06 07:08:09.123+00
35	\N	person35.real@corp.example	\N	https://cdn.example/u/35.png		2023-05-06 07:08:09.123+00
36	Tab\tName 36	person36.real@corp.example	2024-01-02 03:04:05+00	\N	\N	2023-05-06 07:08:09.123+00
37	Émilie 😀 37	person37.real@corp.example	\N	https://cdn.example/u/37.png	+49 170 0000037	2023-05-06 07:08:09.123+00
38	back\\slash\nnewline 38	person38.real@corp.example	2024-01-02 03:04:05+00	https://cdn.example/u/38.png	(030) 555-0038	2023-05-06 07:08:09.123+00
39		\N	\N	\N		2023-05-06 07:08:09.123+00
40	Anna Meyer 40	person40.real@corp.example	2024-01-02 03:04:05+00	https://cdn.example/u/40.png	\N	2023-05-06 07:08:09.123+00
\.


COPY public.accounts (id, user_id, type, provider, provider_account_id, refresh_token, access_token, expires_at, token_type, scope, id_token, session_state, oauth_token_secret, oauth_token) FROM stdin;
1	1	oauth	github	1000001	ghr_1secretrefresh	gho_1access	1700000000	bearer	read:user user:email	\N	\N	osecret1	otok1
2	2	oauth	github	1000002	ghr_2secretrefresh	gho_2access	1700000000	bearer	read:user user:email	eyJhbGciOi.2.sig	\N	osecret2	otok2
3	3	oauth	github	1000003	ghr_3secretrefresh	gho_3access	1700000000	bearer	read:user user:email	\N	\N	osecret3	otok3
4	4	oauth	github	1000004	ghr_4secretrefresh	gho_4access	1700000000	bearer	read:user user:email	eyJhbGciOi.4.sig	\N	osecret4	otok4
5	5	oauth	github	1000005	ghr_5secretrefresh	gho_5access	1700000000	bearer	read:user user:email	\N	\N	osecret5	otok5
6	6	oauth	github	1000006	ghr_6secretrefresh	gho_6access	1700000000	bearer	read:user user:email	eyJhbGciOi.6.sig	\N	osecret6	otok6
7	7	oauth	github	1000007	ghr_7secretrefresh	gho_7access	1700000000	bearer	read:user user:email	\N	\N	osecret7	otok7
8	8	oauth	github	1000008	ghr_8secretrefresh	gho_8access	1700000000	bearer	read:user user:email	eyJhbGciOi.8.sig	\N	osecret8	otok8
9	9	oauth	github	1000009	ghr_9secretrefresh	gho_9access	1700000000	bearer	read:user user:email	\N	\N	osecret9	otok9
10	10	oauth	github	1000010	ghr_asecretrefresh	gho_10access	1700000000	bearer	read:user user:email	eyJhbGciOi.10.sig	\N	osecret10	otok10
11	11	oauth	github	1000011	ghr_bsecretrefresh	gho_11access	1700000000	bearer	read:user user:email	\N	\N	osecret11	otok11
12	12	oauth	github	1000012	ghr_csecretrefresh	gho_12access	1700000000	bearer	read:user user:email	eyJhbGciOi.12.sig	\N	osecret12	otok12
13	13	oauth	github	1000013	ghr_dsecretrefresh	gho_13access	1700000000	bearer	read:user user:email	\N	\N	osecret13	otok13
14	14	oauth	github	1000014	ghr_esecretrefresh	gho_14access	1700000000	bearer	read:user user:email	eyJhbGciOi.14.sig	\N	osecret14	otok14
15	15	oauth	github	1000015	ghr_fsecretrefresh	gho_15access	1700000000	bearer	read:user user:email	\N	\N	osecret15	otok15
16	16	oauth	github	1000016	ghr_10secretrefresh	gho_16access	1700000000	bearer	read:user user:email	eyJhbGciOi.16.sig	\N	osecret16	otok16
