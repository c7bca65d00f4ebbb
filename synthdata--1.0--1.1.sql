-- synthdata 1.0 -> 1.1. Every object added in 1.1 is created here and in
-- synthdata--1.1.sql alike; test/scripts/upgrade_and_dump.sh checks that both
-- paths end with the same catalog.
\echo Use "ALTER EXTENSION synthdata UPDATE TO '1.1'" to load this file. \quit
