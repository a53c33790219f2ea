package store

import (
	"context"
	"database/sql"
)

// Every statement goes through these helpers, so that on SQLite each SQL text is
// parsed once per connection rather than on every call: without this, parsing
// is about a quarter of a sign-in's store time. pgx already keeps prepared
// statements per connection, so on PostgreSQL the text goes straight through.

// stmtKey names a prepared statement: the pool it runs on and its text.
type stmtKey struct {
	db    *sql.DB
	query string
}

// prepared returns query prepared on db, or nil where the driver caches itself
// or preparing failed (the unprepared call then reports the error).
func (s *Store) prepared(ctx context.Context, db *sql.DB, query string) *sql.Stmt {
	if s.d != dialectSQLite {
		return nil
	}
	key := stmtKey{db, query}
	if st, ok := s.stmts.Load(key); ok {
		return st.(*sql.Stmt)
	}
	st, err := db.PrepareContext(ctx, query)
	if err != nil {
		return nil
	}
	if prev, loaded := s.stmts.LoadOrStore(key, st); loaded {
		_ = st.Close()
		return prev.(*sql.Stmt)
	}
	return st
}

// inTx returns the transaction of ctx (nil outside one) and, where statements are
// prepared, query prepared on it. Inside a transaction reads go through it too, so
// they see its own writes.
func (s *Store) inTx(ctx context.Context, query string) (*sql.Tx, *sql.Stmt) {
	tx := txFrom(ctx)
	if tx == nil {
		return nil, nil
	}
	// Only a statement already prepared on the writer is used: preparing one now
	// would need a writer connection, and on SQLite the transaction holds the only one.
	if s.d == dialectSQLite {
		if st, ok := s.stmts.Load(stmtKey{s.w, query}); ok {
			return tx, tx.StmtContext(ctx, st.(*sql.Stmt))
		}
	}
	return tx, nil
}

// readRow runs a single-row query on the readers.
func (s *Store) readRow(ctx context.Context, query string, args ...any) *sql.Row {
	if tx, st := s.inTx(ctx, query); st != nil {
		return st.QueryRowContext(ctx, args...)
	} else if tx != nil {
		return tx.QueryRowContext(ctx, query, args...)
	}
	if st := s.prepared(ctx, s.r, query); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return s.r.QueryRowContext(ctx, query, args...)
}

// read runs a query on the readers.
func (s *Store) read(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if tx, st := s.inTx(ctx, query); st != nil {
		return st.QueryContext(ctx, args...)
	} else if tx != nil {
		return tx.QueryContext(ctx, query, args...)
	}
	if st := s.prepared(ctx, s.r, query); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return s.r.QueryContext(ctx, query, args...)
}

// writeRow runs a write with RETURNING one row.
func (s *Store) writeRow(ctx context.Context, query string, args ...any) *sql.Row {
	if tx, st := s.inTx(ctx, query); st != nil {
		return st.QueryRowContext(ctx, args...)
	} else if tx != nil {
		return tx.QueryRowContext(ctx, query, args...)
	}
	if st := s.prepared(ctx, s.w, query); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return s.w.QueryRowContext(ctx, query, args...)
}

// writeRows runs a write with RETURNING several rows.
func (s *Store) writeRows(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if tx, st := s.inTx(ctx, query); st != nil {
		return st.QueryContext(ctx, args...)
	} else if tx != nil {
		return tx.QueryContext(ctx, query, args...)
	}
	if st := s.prepared(ctx, s.w, query); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return s.w.QueryContext(ctx, query, args...)
}

// write runs a write.
func (s *Store) write(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if tx, st := s.inTx(ctx, query); st != nil {
		return st.ExecContext(ctx, args...)
	} else if tx != nil {
		return tx.ExecContext(ctx, query, args...)
	}
	if st := s.prepared(ctx, s.w, query); st != nil {
		return st.ExecContext(ctx, args...)
	}
	return s.w.ExecContext(ctx, query, args...)
}

// closeStmts closes the prepared statements.
func (s *Store) closeStmts() {
	s.stmts.Range(func(k, v any) bool {
		_ = v.(*sql.Stmt).Close()
		s.stmts.Delete(k)
		return true
	})
}
