package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"time"
)

// sweepEvery is how far apart, in counter-window time, Hit deletes expired
// counters. Sweeping is rare so that the hot path stays one statement.
const sweepEvery = time.Minute

// Hit adds one to the counter named key for the window starting at window and
// returns the new count. The upsert is one statement, so concurrent hits on any
// replica each get a distinct count.
//
// Counters whose window started before expireBefore are deleted now and then:
// only by a hit that opens a new window, and at most once per sweepEvery of
// window time per Store.
func (s *Store) Hit(ctx context.Context, key string, window time.Time, expireBefore time.Time) (int, error) {
	var n int
	err := s.writeRow(ctx, `INSERT INTO counters (counter_key, window_start, hits) VALUES ($1, $2, 1)
ON CONFLICT (counter_key, window_start) DO UPDATE SET hits = counters.hits + 1
RETURNING hits`, key, s.d.time(window)).Scan(&n)
	if err != nil {
		return 0, fail(err, "counter", "hit counter "+key, "")
	}
	if n == 1 {
		s.sweepCounters(ctx, window, expireBefore)
	}
	return n, nil
}

// HitAll adds one to each counter named in keys for the window starting at
// window, in one statement (one round trip however many throttles a request
// passes), and returns the new counts in the order of keys. Keys must be
// distinct. Expired counters are swept as Hit sweeps them.
func (s *Store) HitAll(ctx context.Context, keys []string, window time.Time, expireBefore time.Time) ([]int, error) {
	if len(keys) == 0 {
		return nil, nil
	}
	var q strings.Builder
	q.WriteString(`INSERT INTO counters (counter_key, window_start, hits) VALUES `)
	args := []any{s.d.time(window)}
	at := map[string]int{}
	for i, k := range keys {
		if _, dup := at[k]; dup {
			// A caller's mistake, not a request's: an internal error.
			return nil, fmt.Errorf("store: hit counters: key %q given twice", k)
		}
		at[k] = i
		if i > 0 {
			q.WriteString(", ")
		}
		args = append(args, k)
		fmt.Fprintf(&q, "($%d, $1, 1)", len(args))
	}
	q.WriteString(`
ON CONFLICT (counter_key, window_start) DO UPDATE SET hits = counters.hits + 1
RETURNING counter_key, hits`)
	rows, err := s.writeRows(ctx, q.String(), args...)
	if err != nil {
		return nil, fail(err, "counter", "hit counters", "")
	}
	defer rows.Close()
	out, seen, first := make([]int, len(keys)), 0, false
	for rows.Next() {
		var k string
		var n int
		if err := rows.Scan(&k, &n); err != nil {
			return nil, fail(err, "counter", "hit counters", "")
		}
		// RETURNING's order is not the VALUES order on every database.
		out[at[k]] = n
		seen++
		first = first || n == 1
	}
	if err := rows.Err(); err != nil {
		return nil, fail(err, "counter", "hit counters", "")
	}
	if seen != len(keys) {
		return nil, fmt.Errorf("store: hit counters: %d of %d rows returned", seen, len(keys))
	}
	if first {
		s.sweepCounters(ctx, window, expireBefore)
	}
	return out, nil
}

// sweepCounters deletes counters older than expireBefore if the last sweep was
// at least sweepEvery of window time ago.
func (s *Store) sweepCounters(ctx context.Context, window, expireBefore time.Time) {
	s.sweep(ctx, &s.sweepAfter, window, `DELETE FROM counters WHERE window_start < $1`, expireBefore)
}

// sweep runs query, a DELETE of rows older than its one argument before, if now
// has reached *due, and moves *due sweepEvery past now. Only one caller wins
// each turn, so rows are swept by one statement now and then rather than on
// every write.
func (s *Store) sweep(ctx context.Context, due *atomic.Int64, now time.Time, query string, before time.Time) {
	was, t := due.Load(), now.UnixNano()
	if t < was || !due.CompareAndSwap(was, t+int64(sweepEvery)) {
		return
	}
	if _, err := s.exec(ctx, query, s.d.time(before)); err != nil {
		// The write itself has been done; stale rows only cost space, so rather
		// than fail the caller, let a later write try again.
		due.CompareAndSwap(t+int64(sweepEvery), was)
	}
}

// Count returns the counter named key for the window starting at window without
// changing it; 0 when nothing was counted there.
func (s *Store) Count(ctx context.Context, key string, window time.Time) (int, error) {
	var n int
	err := s.readRow(ctx, `SELECT hits FROM counters WHERE counter_key = $1 AND window_start = $2`,
		key, s.d.time(window)).Scan(&n)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fail(err, "counter", "count counter "+key, "")
	}
	return n, nil
}

// Take adds one to the counter only while it is below limit: the upsert's
// conditional DO UPDATE returns no row once the limit is reached, so the check
// and the count are one statement on either database.
func (s *Store) Take(ctx context.Context, key string, window time.Time, limit int, expireBefore time.Time) (bool, error) {
	if limit < 1 {
		return false, nil
	}
	var n int
	err := s.writeRow(ctx, `INSERT INTO counters (counter_key, window_start, hits) VALUES ($1, $2, 1)
ON CONFLICT (counter_key, window_start) DO UPDATE SET hits = counters.hits + 1 WHERE counters.hits < $3
RETURNING hits`, key, s.d.time(window), limit).Scan(&n)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fail(err, "counter", "take from counter "+key, "")
	}
	if n == 1 {
		s.sweepCounters(ctx, window, expireBefore)
	}
	return true, nil
}

// GiveBack takes one off the counter, never below zero.
func (s *Store) GiveBack(ctx context.Context, key string, window time.Time) error {
	if _, err := s.exec(ctx, `UPDATE counters SET hits = hits - 1
WHERE counter_key = $1 AND window_start = $2 AND hits > 0`, key, s.d.time(window)); err != nil {
		return fail(err, "counter", "give back to counter "+key, "")
	}
	return nil
}
