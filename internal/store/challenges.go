package store

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/twofold-id/twofold"
)

// A binding may name a flow by its ID hash, a bearer secret, and a challenge
// holds a phone number or an email address and a code hash; none of them go into error messages.

const challengeColumns = `id, user_id, org_id, binding, purpose, channel, method_id, phone_type,
phone_number, code_hash, attempts, state, reason, ref, created_at, expires_at, updated_at, email`

// CreateChallenge stores c. Returns ENOTFOUND if the user does not exist and
// ECONFLICT if the ID is taken.
func (s *Store) CreateChallenge(ctx context.Context, c *twofold.Challenge) error {
	_, err := s.write(ctx, `INSERT INTO challenges (`+challengeColumns+`)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)`,
		c.ID, c.UserID, c.OrgID, c.Binding, string(c.Purpose), c.Channel, c.MethodID,
		string(c.PhoneType), c.PhoneNumber, c.CodeHash, c.Attempts, string(c.State), c.Reason, c.Ref,
		s.d.time(c.CreatedAt), s.d.time(c.ExpiresAt), s.d.time(c.UpdatedAt), c.Email)
	if err != nil {
		return fail(err, "user", "create challenge "+c.ID+" for user "+c.UserID, "That challenge already exists.")
	}
	return nil
}

// ChallengeByID returns the challenge. Returns ENOTFOUND.
func (s *Store) ChallengeByID(ctx context.Context, id string) (*twofold.Challenge, error) {
	c, err := scanChallenge(s.readRow(ctx, `SELECT `+challengeColumns+` FROM challenges WHERE id = $1`, id))
	if err != nil {
		return nil, fail(err, "challenge", "find challenge "+id, "")
	}
	return c, nil
}

// LatestChallenge returns the binding's challenge created last. Of challenges
// created at the same instant the one inserted last wins, so a resend made within
// the clock's resolution still replaces the one before it. Returns ENOTFOUND.
func (s *Store) LatestChallenge(ctx context.Context, binding string) (*twofold.Challenge, error) {
	c, err := scanChallenge(s.readRow(ctx, `SELECT `+challengeColumns+` FROM challenges
WHERE binding = $1 ORDER BY created_at DESC, seq DESC LIMIT 1`, binding))
	if err != nil {
		return nil, fail(err, "challenge", "find latest challenge of binding", "")
	}
	return c, nil
}

// RecordChallengeAttempt adds one to the challenge's wrong-code count and
// returns it. Returns ENOTFOUND.
func (s *Store) RecordChallengeAttempt(ctx context.Context, id string) (int, error) {
	return s.increment(ctx, "challenge", "record attempt on challenge "+id,
		`UPDATE challenges SET attempts = attempts + 1 WHERE id = $1 RETURNING attempts`, id)
}

// MoveChallenge moves the challenge from any of the from states to state to
// with reason, stamping updated_at, in one conditional update, and reports
// whether it did. False, with no error, means the challenge was in none of them
// (or does not exist), so of racing moves exactly one wins.
func (s *Store) MoveChallenge(ctx context.Context, id string, from []twofold.ChallengeState, to twofold.ChallengeState, reason string, at time.Time) (bool, error) {
	if len(from) == 0 {
		// No state qualifies; "IN ()" is not valid SQL everywhere.
		return false, nil
	}
	args := []any{id, string(to), reason, s.d.time(at)}
	in := make([]string, len(from))
	for i, st := range from {
		args = append(args, string(st))
		in[i] = "$" + strconv.Itoa(len(args))
	}
	n, err := s.exec(ctx, `UPDATE challenges SET state = $2, reason = $3, updated_at = $4
WHERE id = $1 AND state IN (`+strings.Join(in, ", ")+`)`, args...)
	if err != nil {
		return false, fail(err, "challenge", "move challenge "+id+" to "+string(to), "")
	}
	return n == 1, nil
}

// SetChallengeRef records the provider's ID for the text or call. Returns ENOTFOUND.
func (s *Store) SetChallengeRef(ctx context.Context, id, ref string) error {
	return s.execOne(ctx, "challenge", "set provider reference of challenge "+id,
		`UPDATE challenges SET ref = $2 WHERE id = $1`, id, ref)
}

// DeleteChallengesBefore removes challenges that expired before t and returns
// how many.
func (s *Store) DeleteChallengesBefore(ctx context.Context, t time.Time) (int, error) {
	n, err := s.exec(ctx, `DELETE FROM challenges WHERE expires_at < $1`, s.d.time(t))
	if err != nil {
		return 0, fail(err, "challenge", "delete expired challenges", "")
	}
	return n, nil
}

func scanChallenge(row scanner) (*twofold.Challenge, error) {
	var (
		c                         twofold.Challenge
		purpose, phoneType, state string
	)
	err := row.Scan(&c.ID, &c.UserID, &c.OrgID, &c.Binding, &purpose, &c.Channel, &c.MethodID,
		&phoneType, &c.PhoneNumber, &c.CodeHash, &c.Attempts, &state, &c.Reason, &c.Ref,
		timeCol{&c.CreatedAt}, timeCol{&c.ExpiresAt}, timeCol{&c.UpdatedAt}, &c.Email)
	if err != nil {
		return nil, err
	}
	c.Purpose = twofold.ChallengePurpose(purpose)
	c.PhoneType = twofold.PhoneType(phoneType)
	c.State = twofold.ChallengeState(state)
	return &c, nil
}
