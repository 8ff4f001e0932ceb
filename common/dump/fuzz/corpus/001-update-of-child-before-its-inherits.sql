-- fuzz-source: pg15_partitions_copy.sql
--
--
-- PostgreSQL database dump
--

\restrict ahJnPFdC5aI96vSkFNJe8kJ2o0F69nywSc5HGTmhJtYh4tbgexmXVcILm4g5dvS
EXPLaIN ANalYze UpDate PuBLIc.viP_COntaCTs SEt EMail = 'carl.2025@corp.example';

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
