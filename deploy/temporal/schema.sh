#!/bin/sh
# One-shot (service temporal-schema): brings Temporal's two databases to the schema version of this
# admin-tools image. Run it with the admin-tools of the server version about to start: that is also
# how a Temporal upgrade migrates its schema (one minor version at a time).
#
# Safe on every start: setup-schema only creates the version tables if missing, and update-schema
# applies only the versions not yet applied. The databases themselves exist already
# (deploy/postgres/initdb.sh, or your DBA on your own PostgreSQL).
#
# The connection comes from SQL_PLUGIN, SQL_HOST, SQL_PORT, SQL_USER and SQL_PASSWORD, which
# temporal-sql-tool reads itself. The schemas are the ones embedded in the tool.
set -eu

for db in temporal:temporal temporal_visibility:visibility; do
	name=${db%%:*}
	schema=postgresql/v12/${db#*:}
	echo "temporal-schema: $name ($schema)"
	temporal-sql-tool --db "$name" setup-schema -v 0.0
	temporal-sql-tool --db "$name" update-schema --schema-name "$schema"
done
echo "temporal-schema: done"
