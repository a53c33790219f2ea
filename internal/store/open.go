package store

import (
	"context"
	"database/sql"
	"fmt"
	"runtime"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// Pool sizes. PostgreSQL connections cost the server a process each, so a
// replica keeps a modest pool and reuses it rather than reconnecting. Sign-ins
// queue on password hashing (one per CPU), so their store work needs few
// connections; with 32, 64 concurrent sign-ins on a 2-core machine ran no faster
// than with 8 and kept more server processes competing for the CPUs. SQLite
// readers are CPU-bound in this process, so a few per CPU is enough.
const (
	pgMaxConns      = 8
	pgMaxIdleTime   = 5 * time.Minute
	pgMaxLifetime   = time.Hour
	sqliteMinReader = 4
)

// sqlitePragmas apply to every SQLite connection. busy_timeout covers other
// processes holding the write lock; _txlock=immediate makes transactions take the
// write lock at BEGIN, since a deferred transaction that later needs to write
// fails at once with SQLITE_BUSY rather than waiting. WAL with synchronous=NORMAL
// keeps commits off fsync while staying consistent after a crash.
const sqlitePragmas = "_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)&_txlock=immediate"

// Open connects to the database named by databaseURL and checks that it
// answers. A postgres:// or postgresql:// URL selects PostgreSQL (any pgx
// connection parameters may be given). Anything else is a SQLite database: a file
// path ("twofold.db", "/var/lib/twofold/db.sqlite"), the same prefixed with
// "sqlite:" or "sqlite://", or an SQLite URI starting with "file:". Query
// parameters of a SQLite name are passed to the driver after the store's own
// pragmas. Open does not create tables; call Migrate.
func Open(ctx context.Context, databaseURL string) (*Store, error) {
	var (
		s   *Store
		err error
	)
	if strings.HasPrefix(databaseURL, "postgres://") || strings.HasPrefix(databaseURL, "postgresql://") {
		s, err = openPostgres(databaseURL)
	} else {
		s, err = openSQLite(databaseURL)
	}
	if err != nil {
		return nil, err
	}
	if err := s.Ping(ctx); err != nil {
		_ = s.Close()
		return nil, fmt.Errorf("store: open: %w", err)
	}
	return s, nil
}

func openPostgres(databaseURL string) (*Store, error) {
	cfg, err := pgx.ParseConfig(databaseURL)
	if err != nil {
		// pgx leaves the password out of its parse errors.
		return nil, fmt.Errorf("store: parse postgres URL: %w", err)
	}
	db := stdlib.OpenDB(*cfg)
	db.SetMaxOpenConns(pgMaxConns)
	db.SetMaxIdleConns(pgMaxConns)
	db.SetConnMaxIdleTime(pgMaxIdleTime)
	db.SetConnMaxLifetime(pgMaxLifetime)
	return &Store{d: dialectPostgres, w: db, r: db}, nil
}

func openSQLite(name string) (*Store, error) {
	switch {
	case strings.HasPrefix(name, "sqlite://"):
		name = strings.TrimPrefix(name, "sqlite://")
	case strings.HasPrefix(name, "sqlite:"):
		name = strings.TrimPrefix(name, "sqlite:")
	}
	if name == "" {
		return nil, fmt.Errorf("store: empty SQLite database name")
	}
	base, query, _ := strings.Cut(name, "?")
	dsn := base + "?" + sqlitePragmas
	if query != "" {
		dsn += "&" + query
	}
	w, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("store: open sqlite: %w", err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	w.SetConnMaxIdleTime(0)
	// An in-memory database exists once per connection, so it gets one
	// connection for everything.
	if base == ":memory:" || strings.Contains(query, "mode=memory") {
		return &Store{d: dialectSQLite, w: w, r: w}, nil
	}
	r, err := sql.Open("sqlite", dsn+"&_pragma=query_only(1)")
	if err != nil {
		_ = w.Close()
		return nil, fmt.Errorf("store: open sqlite readers: %w", err)
	}
	readers := max(sqliteMinReader, 2*runtime.GOMAXPROCS(0))
	r.SetMaxOpenConns(readers)
	r.SetMaxIdleConns(readers)
	r.SetConnMaxLifetime(0)
	r.SetConnMaxIdleTime(0)
	return &Store{d: dialectSQLite, w: w, r: r}, nil
}
