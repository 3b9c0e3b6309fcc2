package main

import (
	"encoding/hex"
	"fmt"
	"sort"
	"strings"

	"github.com/stretchr/testify/require"

	"github.com/samverkan/samverkan/db"
)

// tablesHolding names the tables of the system's application database that hold any of the needles
// in some column of some row, as text, or in hex as PostgreSQL prints a bytea. It reads the live rows
// of the system's own database only (on PostgreSQL its schema, testDatabaseURL's search_path); what
// deleted rows leave in SQLite's files the test greps those files for.
func (s *system) tablesHolding(needles ...string) []string {
	s.t.Helper()
	d := s.openDB()
	list := "SELECT name FROM sqlite_master WHERE type = 'table'"
	if d.Dialect() == db.DialectPostgres {
		list = "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
	}
	var tables []string
	require.NoError(s.t, d.Gorm().Raw(list).Scan(&tables).Error)
	require.NotEmpty(s.t, tables, "the database has no tables: the search would prove nothing")
	var holding []string
	for _, table := range tables {
		var rows []map[string]any
		require.NoError(s.t, d.Gorm().Table(table).Find(&rows).Error)
		var text strings.Builder
		for _, row := range rows {
			for _, v := range row {
				if b, ok := v.([]byte); ok {
					v = string(b)
				}
				fmt.Fprintln(&text, v)
			}
		}
		all := text.String()
		for _, n := range needles {
			if strings.Contains(all, n) || strings.Contains(all, hex.EncodeToString([]byte(n))) {
				holding = append(holding, table)
				break
			}
		}
	}
	sort.Strings(holding)
	return holding
}
