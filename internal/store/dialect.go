package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// dialect is the database behind a Store. Everything that differs between
// SQLite and PostgreSQL is decided by a method here, so the SQL elsewhere is shared.
type dialect int

const (
	dialectSQLite dialect = iota
	dialectPostgres
)

// String names the dialect as the migrations folder does.
func (d dialect) String() string {
	if d == dialectPostgres {
		return "postgres"
	}
	return "sqlite"
}

// time encodes t as a query argument: NULL for the zero time, Unix nanoseconds
// on SQLite (so values sort and compare as integers), a UTC timestamp on PostgreSQL.
func (d dialect) time(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	if d == dialectSQLite {
		return t.UnixNano()
	}
	return t.UTC()
}

// skipLocked ends a SELECT whose rows the same statement goes on to claim. On
// PostgreSQL it locks them and passes over rows another claimer holds, so
// concurrent claimers take different rows instead of queueing behind one
// another. SQLite has no row locks and needs none: one writer runs at a time.
func (d dialect) skipLocked() string {
	if d == dialectPostgres {
		return " FOR UPDATE SKIP LOCKED"
	}
	return ""
}

// forUpdate ends a SELECT whose rows the transaction holds until it ends. On
// PostgreSQL that is a row lock, which READ COMMITTED needs before a count it
// goes on to rely on: without it two transactions each count the other's
// uncommitted work as absent. SQLite needs none: a transaction begins
// IMMEDIATE, holding the database's one write lock from its first statement.
func (d dialect) forUpdate() string {
	if d == dialectPostgres {
		return " FOR UPDATE"
	}
	return ""
}

// migrationsTable is the DDL of the table recording applied migrations.
func (d dialect) migrationsTable() string {
	if d == dialectPostgres {
		return `CREATE TABLE IF NOT EXISTS schema_migrations (
	version BIGINT PRIMARY KEY,
	name TEXT NOT NULL,
	applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
)`
	}
	return `CREATE TABLE IF NOT EXISTS schema_migrations (
	version INTEGER PRIMARY KEY,
	name TEXT NOT NULL,
	applied_at INTEGER NOT NULL DEFAULT (unixepoch())
) STRICT`
}

// migrationLockKey is the pg_advisory_xact_lock key that serialises migrators
// ("twofold" in ASCII).
const migrationLockKey int64 = 0x74776f666f6c64

// lockMigrations makes tx the only migrator until it ends. On PostgreSQL that is
// a transaction-scoped advisory lock, so replicas starting together take turns;
// on SQLite the transaction itself already began with BEGIN IMMEDIATE, which
// holds the database's single write lock.
func (d dialect) lockMigrations(ctx context.Context, tx *sql.Tx) error {
	if d != dialectPostgres {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1)`, migrationLockKey); err != nil {
		return fmt.Errorf("lock migrations: %w", err)
	}
	return nil
}

// isUniqueViolation reports whether err is a unique or primary-key violation.
func isUniqueViolation(err error) bool {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code == "23505"
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE || se.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
	}
	return false
}

// isPrimaryKeyViolation reports whether err violates a table's primary key
// rather than another unique index, so a taken ID and a taken value can be told
// apart. PostgreSQL names a primary key <table>_pkey unless told otherwise, and
// the migrations never tell it otherwise.
func isPrimaryKeyViolation(err error) bool {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code == "23505" && strings.HasSuffix(pe.ConstraintName, "_pkey")
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
	}
	return false
}

// isForeignKeyViolation reports whether err says a referenced row is missing.
func isForeignKeyViolation(err error) bool {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code == "23503"
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code() == sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY
	}
	return false
}

// timeCol scans a time column of either dialect into *t: NULL becomes the zero
// time, integers are Unix nanoseconds, timestamps are converted to UTC.
type timeCol struct{ t *time.Time }

// Scan implements sql.Scanner.
func (c timeCol) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*c.t = time.Time{}
	case int64:
		*c.t = time.Unix(0, v).UTC()
	case time.Time:
		*c.t = v.UTC()
	default:
		return fmt.Errorf("store: cannot read %T as a time", src)
	}
	return nil
}

// timeParam is placeholder n used where PostgreSQL cannot infer that it is a
// time (in a CASE whose every branch is a parameter).
func (d dialect) timeParam(n int) string {
	if d == dialectPostgres {
		return fmt.Sprintf("$%d::timestamptz", n)
	}
	return fmt.Sprintf("$%d", n)
}
