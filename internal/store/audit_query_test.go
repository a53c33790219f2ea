package store_test

import (
	"database/sql"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/store"
	"github.com/twofold-id/twofold/internal/store/storetest"
)

// openAt opens and (when migrate) migrates a store on dsn, closed when the test ends.
func openAt(tb testing.TB, dsn string, migrate bool) *store.Store {
	tb.Helper()
	s, err := store.Open(tb.Context(), dsn)
	if err != nil {
		tb.Fatalf("Open: %v", err)
	}
	tb.Cleanup(func() { s.Close() })
	if migrate {
		if err := s.Migrate(tb.Context()); err != nil {
			tb.Fatalf("Migrate: %v", err)
		}
	}
	return s
}

// Two replicas on one SQLite file sweep the audit log at once.
func TestSQLiteAuditSweepReplicas(t *testing.T) {
	dsn := "sqlite:" + filepath.Join(t.TempDir(), "twofold.db")
	a := openAt(t, dsn, true)
	storetest.AuditSweepReplicas(t, a, openAt(t, dsn, false))
}

// Two replicas on one PostgreSQL schema sweep the audit log at once.
func TestPostgresAuditSweepReplicas(t *testing.T) {
	dsn := postgresURL(t)
	a := openAt(t, dsn, true)
	storetest.AuditSweepReplicas(t, a, openAt(t, dsn, false))
}

// auditBenchEvents is the size of the audit table the page benchmark reads.
const auditBenchEvents = 1_000_000

// BenchmarkAuditPage reads one page of 100 events from a table of a million
// (nine in ten in the organization asked about, spread over a year, 1000
// actors, 1000 targets, 20 activities, one in twenty a failure), for each
// filter the console and the API offer, at the start and deep in the
// listing. Run with -benchtime=200x; loading the table takes a minute.
func BenchmarkAuditPage(b *testing.B) {
	for _, db := range []struct {
		name string
		open func(testing.TB) (*store.Store, *sql.DB)
	}{
		{"sqlite", func(tb testing.TB) (*store.Store, *sql.DB) {
			path := filepath.Join(tb.TempDir(), "twofold.db")
			s := openAt(tb, "sqlite:"+path, true)
			raw, err := sql.Open("sqlite", path+"?_pragma=busy_timeout(5000)")
			if err != nil {
				tb.Fatal(err)
			}
			tb.Cleanup(func() { raw.Close() })
			return s, raw
		}},
		{"postgres", func(tb testing.TB) (*store.Store, *sql.DB) {
			dsn := postgresURL(tb)
			s := openAt(tb, dsn, true)
			raw, err := sql.Open("pgx", dsn)
			if err != nil {
				tb.Fatal(err)
			}
			tb.Cleanup(func() { raw.Close() })
			return s, raw
		}},
	} {
		b.Run(db.name, func(b *testing.B) {
			s, raw := db.open(b)
			start := time.Now()
			loadAuditEvents(b, db.name, raw)
			b.Logf("%s: loaded %d events in %v", db.name, auditBenchEvents, time.Since(start).Round(time.Millisecond))
			base := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
			mid := base.Add(auditBenchEvents / 2 * 31 * time.Second)
			for _, q := range []struct {
				name string
				f    twofold.AuditFilter
			}{
				{"org", twofold.AuditFilter{}},
				{"org-deep", twofold.AuditFilter{BeforeTime: mid, BeforeID: auditBenchEvents / 2}},
				{"activity", twofold.AuditFilter{Activity: "activity 7"}},
				{"actor", twofold.AuditFilter{Actor: "actor-42@example.com"}},
				{"actor-deep", twofold.AuditFilter{Actor: "user-42", BeforeTime: mid, BeforeID: auditBenchEvents / 2}},
				{"target", twofold.AuditFilter{Target: "user-t7"}},
				{"failures", twofold.AuditFilter{Result: twofold.ResultFailure}},
				{"actor-and-target", twofold.AuditFilter{Actor: "user-42", Target: "target-42@example.com"}},
				{"time-range", twofold.AuditFilter{Since: mid.Add(-24 * time.Hour), Until: mid}},
			} {
				b.Run(q.name, func(b *testing.B) {
					q.f.OrgID, q.f.Limit = "org-a", 101
					for b.Loop() {
						if _, err := s.ListAudit(b.Context(), q.f); err != nil {
							b.Fatal(err)
						}
					}
				})
			}
		})
	}
}

// loadAuditEvents fills audit_events in one statement per database, far
// faster than appending a million events one by one.
func loadAuditEvents(tb testing.TB, dialect string, raw *sql.DB) {
	tb.Helper()
	base := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	cols := `(at, org_id, actor_id, actor_name, target_id, target_name, activity, result, reason, ip, user_agent)`
	// The same event i on both databases: at base + 31 s × i.
	row := func(at string) string {
		return at + `,
	CASE WHEN i % 10 = 9 THEN 'org-b' ELSE 'org-a' END,
	'user-' || (i % 1000), 'actor-' || (i % 1000) || '@example.com',
	'user-t' || (i % 997), 'target-' || (i % 997) || '@example.com',
	'activity ' || (i % 20),
	CASE WHEN i % 20 = 0 THEN 'failure' ELSE 'success' END,
	'reason', '192.0.2.1', 'agent'`
	}
	var q string
	if dialect == "postgres" {
		q = fmt.Sprintf(`INSERT INTO audit_events %s SELECT %s FROM generate_series(0, %d) AS g(i)`, cols,
			row(fmt.Sprintf(`TIMESTAMPTZ '%s' + i * INTERVAL '31 seconds'`, base.Format(time.RFC3339))), auditBenchEvents-1)
	} else {
		q = fmt.Sprintf(`WITH RECURSIVE g(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM g WHERE i < %d)
INSERT INTO audit_events %s SELECT %s FROM g`, auditBenchEvents-1, cols,
			row(fmt.Sprintf(`%d + i * 31000000000`, base.UnixNano())))
	}
	if _, err := raw.ExecContext(tb.Context(), q); err != nil {
		tb.Fatalf("load audit events: %v", err)
	}
	if _, err := raw.ExecContext(tb.Context(), `ANALYZE`); err != nil {
		tb.Fatalf("analyze: %v", err)
	}
}
