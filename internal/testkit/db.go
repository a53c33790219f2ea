package testkit

import (
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver for the admin connection

	"github.com/twofold-id/twofold/internal/store"
)

// PostgresEnv names the environment variable holding a PostgreSQL server URL
// (postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable); tests that ask
// for PostgreSQL are skipped without it.
const PostgresEnv = "TWOFOLD_TEST_POSTGRES"

// Backend names.
const (
	SQLite   = "sqlite"
	Postgres = "postgres"
)

// Backends returns the backends to run on: SQLite always, PostgreSQL too when
// PostgresEnv is set.
func Backends() []string {
	if os.Getenv(PostgresEnv) != "" {
		return []string{SQLite, Postgres}
	}
	return []string{SQLite}
}

// openStore opens and migrates an empty store on backend, closed when tb ends,
// and returns it with a database/sql driver name and DSN for raw test queries.
func openStore(tb testing.TB, backend string) (s *store.Store, driver, dsn string) {
	tb.Helper()
	var name string
	switch backend {
	case "", SQLite:
		path := filepath.Join(tb.TempDir(), "twofold.db")
		name, driver, dsn = "sqlite:"+path, "sqlite", path+"?_pragma=busy_timeout(5000)"
	case Postgres:
		name = postgresURL(tb)
		driver, dsn = "pgx", name
	default:
		tb.Fatalf("testkit: unknown backend %q", backend)
	}
	s, err := store.Open(tb.Context(), name)
	if err != nil {
		tb.Fatalf("testkit: open %s store: %v", backend, err)
	}
	tb.Cleanup(func() {
		if err := s.Close(); err != nil {
			tb.Errorf("testkit: close store: %v", err)
		}
	})
	if err := s.Migrate(tb.Context()); err != nil {
		tb.Fatalf("testkit: migrate: %v", err)
	}
	return s, driver, dsn
}

// postgresURL returns a URL whose search_path is a new, empty schema dropped when
// tb ends (as internal/store's own tests do), or skips tb without a server.
func postgresURL(tb testing.TB) string {
	tb.Helper()
	base := os.Getenv(PostgresEnv)
	if base == "" {
		tb.Skip("set " + PostgresEnv + "=postgres://… to run on PostgreSQL")
	}
	admin, err := sql.Open("pgx", base)
	if err != nil {
		tb.Fatalf("testkit: open %s: %v", PostgresEnv, err)
	}
	tb.Cleanup(func() { admin.Close() })
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	schema := "testkit_" + hex.EncodeToString(b)
	if _, err := admin.ExecContext(tb.Context(), `CREATE SCHEMA `+schema); err != nil {
		tb.Fatalf("testkit: create schema: %v", err)
	}
	tb.Cleanup(func() {
		// tb.Context is already done during cleanup.
		if _, err := admin.Exec(`DROP SCHEMA ` + schema + ` CASCADE`); err != nil {
			tb.Errorf("testkit: drop schema %s: %v", schema, err)
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		tb.Fatalf("testkit: parse %s: %v", PostgresEnv, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// PostgresURL returns the URL of a new, empty PostgreSQL schema dropped when tb
// ends, or skips tb without a server: for tests that run the whole service.
func PostgresURL(tb testing.TB) string { return postgresURL(tb) }
