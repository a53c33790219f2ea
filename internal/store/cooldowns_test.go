package store_test

import (
	"database/sql"
	"path/filepath"
	"testing"
	"time"

	"github.com/twofold-id/twofold/internal/store"
)

// TestStartCooldownSweeps checks that starting a cooldown deletes those that
// ended long ago, which the contract allows but does not require. An ended row
// and a missing one look the same through the store, and a failed sweep is
// silent, so the test reads the table over a connection of its own.
func TestStartCooldownSweeps(t *testing.T) {
	for _, db := range []struct {
		name string
		// open returns the store's database name and the driver and name of the
		// test's own connection to the same database.
		open func(t *testing.T) (url, driver, dsn string)
	}{
		{"sqlite", func(t *testing.T) (string, string, string) {
			path := filepath.Join(t.TempDir(), "twofold.db")
			return "sqlite:" + path, "sqlite", path
		}},
		{"postgres", func(t *testing.T) (string, string, string) {
			u := postgresURL(t)
			return u, "pgx", u
		}},
	} {
		t.Run(db.name, func(t *testing.T) {
			url, driver, dsn := db.open(t)
			s, err := store.Open(t.Context(), url)
			if err != nil {
				t.Fatalf("Open: %v", err)
			}
			defer s.Close()
			if err := s.Migrate(t.Context()); err != nil {
				t.Fatalf("Migrate: %v", err)
			}
			raw, err := sql.Open(driver, dsn)
			if err != nil {
				t.Fatalf("open own connection: %v", err)
			}
			defer raw.Close()

			t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
			for _, step := range []struct {
				key        string
				now, until time.Time
			}{
				{"old", t0, t0.Add(time.Second)},
				{"ended", t0.Add(2 * time.Second), t0.Add(30 * time.Minute)},
				// An hour after "old" ended, well after "ended" did, and a
				// minute since the last sweep: only "old" has been over long enough.
				{"trigger", t0.Add(61*time.Minute + 2*time.Second), t0.Add(62 * time.Minute)},
			} {
				ok, err := s.StartCooldown(t.Context(), step.key, step.now, step.until)
				if err != nil || !ok {
					t.Fatalf("StartCooldown(%s) = %v, %v; want true", step.key, ok, err)
				}
			}
			rows, err := raw.QueryContext(t.Context(), `SELECT cooldown_key FROM cooldowns ORDER BY cooldown_key`)
			if err != nil {
				t.Fatalf("read cooldowns: %v", err)
			}
			defer rows.Close()
			var keys []string
			for rows.Next() {
				var k string
				if err := rows.Scan(&k); err != nil {
					t.Fatalf("scan: %v", err)
				}
				keys = append(keys, k)
			}
			if err := rows.Err(); err != nil {
				t.Fatalf("read cooldowns: %v", err)
			}
			if len(keys) != 2 || keys[0] != "ended" || keys[1] != "trigger" {
				t.Errorf("cooldowns after sweep = %q, want [ended trigger]", keys)
			}
		})
	}
}
