package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/twofold-id/twofold"
)

var _ twofold.Store = (*Store)(nil)

// Store implements twofold.Store on SQLite or PostgreSQL. It is safe for
// concurrent use. Create it with Open and release it with Close.
type Store struct {
	d dialect
	// w runs every statement that writes, r every read-only one. On PostgreSQL
	// they are the same pool. On SQLite, w holds a single connection, because the
	// database takes one writer at a time anyway: queueing writers in Go is cheap,
	// while letting them meet inside SQLite means busy-waiting and sleeping.
	// Readers never block in WAL mode, so r has several connections.
	w, r *sql.DB
	// sweepAfter is the counter window (Unix nanoseconds) after which Hit next
	// deletes expired counters; see Hit.
	sweepAfter atomic.Int64
	// cooldownSweepAfter is the same for StartCooldown, in its callers' time.
	cooldownSweepAfter atomic.Int64
	// stmts holds prepared statements by stmtKey; see stmts.go.
	stmts sync.Map
}

// Ping reports whether the database answers.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.w.PingContext(ctx); err != nil {
		return fmt.Errorf("store: ping %s: %w", s.d, err)
	}
	if s.r != s.w {
		if err := s.r.PingContext(ctx); err != nil {
			return fmt.Errorf("store: ping %s readers: %w", s.d, err)
		}
	}
	return nil
}

// Close releases the database connections.
func (s *Store) Close() error {
	s.closeStmts()
	err := s.w.Close()
	if s.r != s.w {
		err = errors.Join(err, s.r.Close())
	}
	if err != nil {
		return fmt.Errorf("store: close: %w", err)
	}
	return nil
}

// scanner is a *sql.Row or *sql.Rows.
type scanner interface{ Scan(dest ...any) error }

// notFound is the error for a missing row; noun names it for people ("user").
func notFound(noun, op string, err error) error {
	if err == nil {
		err = sql.ErrNoRows
	}
	return &twofold.Error{Code: twofold.ENOTFOUND, Message: "No such " + noun + ".", Err: fmt.Errorf("store: %s: %w", op, err)}
}

// fail maps a database error to the store's contract: no rows and missing
// referenced rows are ENOTFOUND, unique violations are ECONFLICT with
// conflictMsg, and anything else is wrapped with op for the log. It never puts
// values into messages, so secrets cannot leak through it.
func fail(err error, noun, op, conflictMsg string) error {
	switch {
	case errors.Is(err, sql.ErrNoRows), isForeignKeyViolation(err):
		return notFound(noun, op, err)
	case isUniqueViolation(err):
		return &twofold.Error{Code: twofold.ECONFLICT, Message: conflictMsg, Err: fmt.Errorf("store: %s: %w", op, err)}
	default:
		return fmt.Errorf("store: %s: %w", op, err)
	}
}

// exec runs a write and returns how many rows it affected.
func (s *Store) exec(ctx context.Context, query string, args ...any) (int, error) {
	res, err := s.write(ctx, query, args...)
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	return int(n), err
}

// execOne runs a write that must affect a row, and returns ENOTFOUND if it did not.
func (s *Store) execOne(ctx context.Context, noun, op, query string, args ...any) error {
	n, err := s.exec(ctx, query, args...)
	if err != nil {
		return fail(err, noun, op, "")
	}
	if n == 0 {
		return notFound(noun, op, nil)
	}
	return nil
}
