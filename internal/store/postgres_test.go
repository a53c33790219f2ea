package store_test

import (
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"sync"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver for the admin connection

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/store"
	"github.com/twofold-id/twofold/internal/store/storetest"
)

const postgresEnv = "TWOFOLD_TEST_POSTGRES"

// requirePostgres returns the server URL from the environment, or skips t.
func requirePostgres(t testing.TB) string {
	t.Helper()
	base := os.Getenv(postgresEnv)
	if base == "" {
		t.Skip("set " + postgresEnv + "=postgres://… to run the store contract suite on PostgreSQL")
	}
	return base
}

// postgresURL returns a URL whose search_path is a new, empty schema that is
// dropped when the test ends; or skips the test when no server is configured.
// A schema per test is much cheaper than a database per test and isolates as well.
func postgresURL(t testing.TB) string {
	t.Helper()
	base := requirePostgres(t)
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatalf("open %s: %v", postgresEnv, err)
	}
	t.Cleanup(func() { admin.Close() })
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	schema := "twofold_test_" + hex.EncodeToString(b)
	if _, err := admin.ExecContext(t.Context(), `CREATE SCHEMA `+schema); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		// t.Context is already done during cleanup.
		if _, err := admin.Exec(`DROP SCHEMA ` + schema + ` CASCADE`); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("parse %s: %v", postgresEnv, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// openPostgres opens and migrates a store in a fresh schema.
func openPostgres(t testing.TB) *store.Store {
	t.Helper()
	s, err := store.Open(t.Context(), postgresURL(t))
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	if err := s.Migrate(t.Context()); err != nil {
		t.Fatalf("Migrate: %v", err)
	}
	return s
}

func TestPostgres(t *testing.T) {
	requirePostgres(t)
	storetest.Run(t, func(t *testing.T) twofold.Store { return openPostgres(t) })
}

func TestPostgresMigrateTwice(t *testing.T) {
	s := openPostgres(t)
	if err := s.Migrate(t.Context()); err != nil {
		t.Fatalf("second Migrate: %v", err)
	}
}

// TestPostgresMigrateConcurrently starts three replicas on one empty schema at
// once; the advisory lock must make them take turns.
func TestPostgresMigrateConcurrently(t *testing.T) {
	dsn := postgresURL(t)
	var (
		wg   sync.WaitGroup
		errs = make([]error, 3)
	)
	for i := range errs {
		wg.Go(func() {
			s, err := store.Open(t.Context(), dsn)
			if err != nil {
				errs[i] = err
				return
			}
			defer s.Close()
			errs[i] = s.Migrate(t.Context())
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("replica %d: %v", i, err)
		}
	}
	s, err := store.Open(t.Context(), dsn)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	defer s.Close()
	if _, err := s.ListOrgs(t.Context()); err != nil {
		t.Fatalf("ListOrgs after migrating: %v", err)
	}
}
