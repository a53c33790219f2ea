package store

import (
	"context"
	"database/sql"
	"fmt"
)

// txKey carries the transaction of InTx in a context.
type txKey struct{}

// txFrom returns the transaction ctx belongs to, or nil.
func txFrom(ctx context.Context) *sql.Tx {
	tx, _ := ctx.Value(txKey{}).(*sql.Tx)
	return tx
}

// InTx runs fn in one transaction: every store call made with the context fn
// receives joins it. It commits when fn returns nil and rolls back otherwise. A
// call inside a transaction joins the outer one. Calls made with another context
// do not join it — on SQLite they would wait for it — so fn must pass its context on.
func (s *Store) InTx(ctx context.Context, fn func(ctx context.Context) error) error {
	if txFrom(ctx) != nil {
		return fn(ctx)
	}
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: begin: %w", err)
	}
	defer tx.Rollback() //nolint:errcheck // a no-op after Commit
	if err := fn(context.WithValue(ctx, txKey{}, tx)); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store: commit: %w", err)
	}
	return nil
}
