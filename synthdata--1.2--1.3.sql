-- synthdata 1.2 -> 1.3. Every object changed in 1.3 is changed here and in
-- synthdata--1.3.sql alike; test/scripts/upgrade_and_dump.sh checks that every
-- path (1.0 -> 1.1 -> 1.2 -> 1.3, 1.1 -> 1.2 -> 1.3 and 1.2 -> 1.3) ends with the
-- same catalog as a fresh install.
\echo Use "ALTER EXTENSION synthdata UPDATE TO '1.3'" to load this file. \quit
