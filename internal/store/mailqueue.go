package store

import (
	"cmp"
	"context"
	"slices"
	"time"

	"github.com/twofold-id/twofold"
)

var _ twofold.MailQueue = (*Store)(nil)

// The queue lives in messages: a mail is a message whose delivery is not ''.
// Mail bodies may carry sign-in links, and reasons may quote a mail server; none
// of them go into error messages.

// ClaimMail takes up to limit pending mails due at now, counts an attempt on
// each and leases it until leaseUntil, and returns them oldest first (by
// creation). The mails due longest are the ones taken when more are due than
// limit. Nothing is claimed when limit is zero or less.
//
// The pick and the update are one statement, and the update checks again that
// the mail is pending and due, so of concurrent claimers on any replica each
// mail goes to one: on PostgreSQL the pick locks its rows and skips rows another
// claimer has locked; on SQLite the single writer runs one claim at a time.
func (s *Store) ClaimMail(ctx context.Context, now, leaseUntil time.Time, limit int) ([]*twofold.Message, error) {
	if limit <= 0 {
		// SQLite would read a negative LIMIT as no limit at all.
		return nil, nil
	}
	const op = "claim mail"
	// The pick is a MATERIALIZED CTE so that it runs once. Written as a plain
	// IN (subquery), PostgreSQL may plan it as a nested loop that runs the pick
	// again for every row: the locking pick then skips the rows this statement
	// has just updated and hands out the next ones, claiming far past limit.
	rows, err := s.writeRows(ctx, `WITH due AS MATERIALIZED (
	SELECT id FROM messages WHERE delivery = 'pending' AND next_attempt_at <= $1
	ORDER BY next_attempt_at, created_at, id LIMIT $3`+s.d.skipLocked()+`
)
UPDATE messages SET attempts = attempts + 1, next_attempt_at = $2
WHERE id IN (SELECT id FROM due) AND delivery = 'pending' AND next_attempt_at <= $1
RETURNING `+messageColumns, s.d.time(now), s.d.time(leaseUntil), limit)
	if err != nil {
		return nil, fail(err, "mail", op, "")
	}
	defer rows.Close()
	var out []*twofold.Message
	for rows.Next() {
		m, err := scanMessage(rows)
		if err != nil {
			return nil, fail(err, "mail", op, "")
		}
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, fail(err, "mail", op, "")
	}
	// RETURNING follows no ORDER BY.
	slices.SortFunc(out, func(a, b *twofold.Message) int {
		return cmp.Or(a.CreatedAt.Compare(b.CreatedAt), cmp.Compare(a.ID, b.ID))
	})
	return out, nil
}

// MailSent marks the mail delivered at at. Returns ENOTFOUND if there is no such
// message or it is not queued mail.
func (s *Store) MailSent(ctx context.Context, id string, at time.Time) error {
	return s.execOne(ctx, "mail", "mark mail "+id+" sent",
		`UPDATE messages SET delivery = 'sent', sent_at = $2 WHERE id = $1 AND delivery <> ''`,
		id, s.d.time(at))
}

// RetryMail keeps the mail pending until retryAt and records reason. A mail that
// is no longer pending keeps its state: when a lease ran out and another replica
// sent the mail meanwhile, the first sender's late failure must not queue it
// again. Returns ENOTFOUND if there is no such message or it is not queued mail.
func (s *Store) RetryMail(ctx context.Context, id string, retryAt time.Time, reason string) error {
	return s.execOne(ctx, "mail", "retry mail "+id,
		`UPDATE messages SET last_error = $3,
	next_attempt_at = CASE WHEN delivery = 'pending' THEN $2 ELSE next_attempt_at END
WHERE id = $1 AND delivery <> ''`, id, s.d.time(retryAt), reason)
}

// GiveUpMail marks the mail failed for good and records reason; a mail another
// replica has sent meanwhile stays sent. Returns ENOTFOUND if there is no such
// message or it is not queued mail.
func (s *Store) GiveUpMail(ctx context.Context, id, reason string) error {
	return s.execOne(ctx, "mail", "give up mail "+id,
		`UPDATE messages SET last_error = $2,
	delivery = CASE WHEN delivery = 'sent' THEN 'sent' ELSE 'failed' END
WHERE id = $1 AND delivery <> ''`, id, reason)
}

// DeleteSettledMail deletes sent and failed mails created before before and
// returns how many. Pending mail and messages that are not queued are kept.
func (s *Store) DeleteSettledMail(ctx context.Context, before time.Time) (int, error) {
	n, err := s.exec(ctx, `DELETE FROM messages WHERE delivery IN ('sent', 'failed') AND created_at < $1`,
		s.d.time(before))
	if err != nil {
		return 0, fail(err, "mail", "delete settled mail", "")
	}
	return n, nil
}
