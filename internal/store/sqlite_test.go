package store_test

import (
	"path/filepath"
	"testing"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/store"
	"github.com/twofold-id/twofold/internal/store/storetest"
)

// openSQLite opens and migrates a new SQLite database in the test's temporary
// directory and closes it when the test ends.
func openSQLite(t testing.TB) *store.Store {
	t.Helper()
	s, err := store.Open(t.Context(), "sqlite:"+filepath.Join(t.TempDir(), "twofold.db"))
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

func TestSQLite(t *testing.T) {
	storetest.Run(t, func(t *testing.T) twofold.Store { return openSQLite(t) })
}

func TestSQLiteMigrateTwice(t *testing.T) {
	s := openSQLite(t)
	if err := s.Migrate(t.Context()); err != nil {
		t.Fatalf("second Migrate: %v", err)
	}
}

func TestSQLiteNames(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{
		filepath.Join(dir, "plain.db"),
		"sqlite:" + filepath.Join(dir, "prefixed.db"),
		"sqlite://" + filepath.Join(dir, "slashes.db"),
		"file:" + filepath.Join(dir, "uri.db") + "?cache=private",
		":memory:",
	} {
		t.Run(name, func(t *testing.T) {
			s, err := store.Open(t.Context(), name)
			if err != nil {
				t.Fatalf("Open: %v", err)
			}
			defer s.Close()
			if err := s.Migrate(t.Context()); err != nil {
				t.Fatalf("Migrate: %v", err)
			}
			if _, err := s.ListOrgs(t.Context()); err != nil {
				t.Fatalf("ListOrgs: %v", err)
			}
		})
	}
	if _, err := store.Open(t.Context(), "sqlite:"); err == nil {
		t.Error("Open of an empty name succeeded")
	}
}
