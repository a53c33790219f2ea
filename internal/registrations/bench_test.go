package registrations_test

import (
	"database/sql"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/registrations"
	"github.com/twofold-id/twofold/internal/testkit"
)

// benchMembers is the organization size the report must handle.
const benchMembers = 100_000

// BenchmarkReport100k times the report on 100,000 members holding about 2.5
// active methods each, on SQLite and (when configured) PostgreSQL: one
// summary (the counts in SQL plus the stored days), one details page of 100
// members from the middle of the list, and, in the same run, a plain
// SELECT COUNT(*) FROM users to compare against. Run it with
//
//	go test -run '^$' -bench Report100k -benchtime 5x ./internal/registrations/
//
// It reports ms/summary, ms/details, ms/count and summary/count (how many
// plain counts one summary costs).
func BenchmarkReport100k(b *testing.B) {
	for _, backend := range testkit.Backends() {
		b.Run(backend, func(b *testing.B) {
			e := newEnv(b, backend)
			o := e.org("bench.example")
			driver := "sqlite"
			if backend == testkit.Postgres {
				driver = "pgx"
			}
			raw, err := sql.Open(driver, e.dsn)
			if err != nil {
				b.Fatal(err)
			}
			defer raw.Close()
			start := time.Now()
			methods := seed(b, raw, backend, o.ID)
			b.Logf("%s: seeded %d members with %d active methods (%.2f each) in %s", backend, benchMembers,
				methods, float64(methods)/benchMembers, time.Since(start).Round(time.Millisecond))
			if backend == testkit.Postgres {
				if _, err := raw.ExecContext(b.Context(), `ANALYZE`); err != nil {
					b.Fatal(err)
				}
			}
			a := staff(o, twofold.RoleAdmin)
			ctx := b.Context()
			// A cursor in the middle of the list: keyset paging must not slow down with depth.
			mid := registrations.DetailsQuery{Limit: 100}
			for range benchMembers / 2 / 1000 {
				page, err := e.svc.Details(ctx, a, registrations.DetailsQuery{After: mid.After, Limit: 1000})
				if err != nil {
					b.Fatal(err)
				}
				mid.After = page.Next
			}
			var summary, details, count time.Duration
			for b.Loop() {
				t0 := time.Now()
				var n int
				if err := raw.QueryRowContext(ctx, `SELECT count(*) FROM users`).Scan(&n); err != nil || n != benchMembers {
					b.Fatalf("count = %d, %v", n, err)
				}
				t1 := time.Now()
				sum, err := e.svc.Summary(ctx, a, "")
				if err != nil || sum.Members != benchMembers {
					b.Fatalf("summary = %+v, %v", sum, err)
				}
				t2 := time.Now()
				page, err := e.svc.Details(ctx, a, mid)
				if err != nil || len(page.Rows) != 100 {
					b.Fatalf("details = %d rows, %v", len(page.Rows), err)
				}
				t3 := time.Now()
				count += t1.Sub(t0)
				summary += t2.Sub(t1)
				details += t3.Sub(t2)
			}
			ms := func(d time.Duration) float64 { return float64(d) / float64(b.N) / float64(time.Millisecond) }
			b.ReportMetric(ms(summary), "ms/summary")
			b.ReportMetric(ms(details), "ms/details")
			b.ReportMetric(ms(count), "ms/count")
			b.ReportMetric(float64(summary)/float64(count), "summary/count")
			b.ReportMetric(0, "ns/op")
		})
	}
}

// seed inserts benchMembers members of org with a fixed mix of methods in
// multi-row statements (one by one would take minutes on PostgreSQL), and
// returns how many active methods it made.
func seed(b *testing.B, db *sql.DB, backend, orgID string) int {
	b.Helper()
	ctx := b.Context()
	now := any(time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC))
	if backend == testkit.SQLite {
		now = now.(time.Time).UnixNano()
	}
	r := rand.New(rand.NewPCG(1, 2))
	type row []any
	insert := func(table, cols string, rows []row) {
		if len(rows) == 0 {
			return
		}
		var sb strings.Builder
		args := make([]any, 0, len(rows)*len(rows[0]))
		sb.WriteString("INSERT INTO " + table + " (" + cols + ") VALUES ")
		for i, rw := range rows {
			if i > 0 {
				sb.WriteString(", ")
			}
			sb.WriteString("(")
			for j, v := range rw {
				if j > 0 {
					sb.WriteString(", ")
				}
				args = append(args, v)
				fmt.Fprintf(&sb, "$%d", len(args))
			}
			sb.WriteString(")")
		}
		if _, err := db.ExecContext(ctx, sb.String(), args...); err != nil {
			b.Fatalf("seed %s: %v", table, err)
		}
	}
	const batch = 500
	var users, methods []row
	total := 0
	method := func(userID string, kind twofold.MethodKind, pt twofold.PhoneType, email string) {
		methods = append(methods, row{fmt.Sprintf("m-%s-%s%s", userID, kind, pt), userID, string(kind), "active",
			string(kind), now, now, string(pt), "", email})
		total++
	}
	for i := range benchMembers {
		id := fmt.Sprintf("u%06d", i)
		role := twofold.RoleMember
		switch i % 100 {
		case 0:
			role = twofold.RoleAdmin
		case 1:
			role = twofold.RoleHelpdesk
		}
		users = append(users, row{id, orgID, fmt.Sprintf("member%06d@bench.example", i), "Member",
			string(role), "$argon2id$x", now})
		chance := func(p float64) bool { return r.Float64() < p }
		if chance(0.7) {
			method(id, twofold.KindSoftwareOath, "", "")
		}
		mobile := chance(0.5)
		if mobile {
			method(id, twofold.KindPhone, twofold.PhoneMobile, "")
		}
		if mobile && chance(0.1) {
			method(id, twofold.KindPhone, twofold.PhoneAlternateMobile, "")
		}
		if chance(0.15) {
			method(id, twofold.KindPhone, twofold.PhoneOffice, "")
		}
		if chance(0.3) {
			method(id, twofold.KindFido2, "", "")
		}
		if chance(0.4) {
			method(id, twofold.KindEmail, "", id+"@mail.example")
		}
		if chance(0.3) {
			method(id, twofold.KindSecurityQuestions, "", "")
		}
		if len(users) == batch || i == benchMembers-1 {
			insert("users", "id, org_id, username, display_name, role, password_hash, created_at", users)
			users = users[:0]
			// Methods refer to users, so they go in only after their members.
			for len(methods) > 0 {
				n := min(batch, len(methods))
				insert("methods", "id, user_id, kind, state, name, created_at, activated_at, phone_type, phone_number, email", methods[:n])
				methods = methods[n:]
			}
		}
	}
	return total
}
