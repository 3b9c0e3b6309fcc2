#!/bin/sh
# Runs once, when the postgresql volume is new (/docker-entrypoint-initdb.d): one role for the
# application and one for Temporal, each owning its own databases, so neither can read the other's
# data. Changing a password later is an ALTER ROLE; this file does not run again.
#
# The image's entrypoint sources this file when it is not executable, so no `set -u` here: it would
# leak into the entrypoint. psql's ON_ERROR_STOP and the `:?` checks stop a half-done setup.
: "${APP_DB_PASSWORD:?set APP_DB_PASSWORD}" "${TEMPORAL_DB_PASSWORD:?set TEMPORAL_DB_PASSWORD}"

psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
	--set app_password="$APP_DB_PASSWORD" --set temporal_password="$TEMPORAL_DB_PASSWORD" <<'SQL'
CREATE ROLE samverkan LOGIN PASSWORD :'app_password';
CREATE DATABASE samverkan OWNER samverkan;
CREATE ROLE temporal LOGIN PASSWORD :'temporal_password';
CREATE DATABASE temporal OWNER temporal;
CREATE DATABASE temporal_visibility OWNER temporal;
SQL
