package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/twofold-id/twofold"
)

// Flow IDs are bearer secrets; their hashes stay out of error messages too.

const flowColumns = `id_hash, user_id, org_id, state, attempts, created_at, expires_at,
password_at, ip, user_agent, pending_method_id`

// CreateFlow stores f. Returns ENOTFOUND if the user does not exist and
// ECONFLICT if the ID hash is taken.
func (s *Store) CreateFlow(ctx context.Context, f *twofold.SignInFlow) error {
	_, err := s.write(ctx, `INSERT INTO signin_flows (`+flowColumns+`)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
		f.IDHash, f.UserID, f.OrgID, string(f.State), f.Attempts, s.d.time(f.CreatedAt),
		s.d.time(f.ExpiresAt), s.d.time(f.PasswordAt), f.IP, f.UserAgent, f.PendingMethodID)
	if err != nil {
		return fail(err, "user", "create sign-in flow for user "+f.UserID, "That sign-in already exists.")
	}
	return nil
}

// FlowByIDHash returns the flow. Returns ENOTFOUND.
func (s *Store) FlowByIDHash(ctx context.Context, idHash string) (*twofold.SignInFlow, error) {
	var (
		f     twofold.SignInFlow
		state string
	)
	err := s.readRow(ctx, `SELECT `+flowColumns+` FROM signin_flows WHERE id_hash = $1`, idHash).Scan(
		&f.IDHash, &f.UserID, &f.OrgID, &state, &f.Attempts, timeCol{&f.CreatedAt}, timeCol{&f.ExpiresAt},
		timeCol{&f.PasswordAt}, &f.IP, &f.UserAgent, &f.PendingMethodID)
	if err != nil {
		return nil, fail(err, "sign-in", "find sign-in flow", "")
	}
	f.State = twofold.FlowState(state)
	return &f, nil
}

// ReserveFlowAttempt takes a place in one conditional UPDATE: the count only
// goes up while below max. Returns ENOTFOUND.
func (s *Store) ReserveFlowAttempt(ctx context.Context, idHash string, max int) (int, bool, error) {
	var n int
	err := s.writeRow(ctx, `UPDATE signin_flows SET attempts = attempts + 1
WHERE id_hash = $1 AND attempts < $2 RETURNING attempts`, idHash, max).Scan(&n)
	if errors.Is(err, sql.ErrNoRows) {
		if _, err := s.FlowByIDHash(ctx, idHash); err != nil {
			return 0, false, err
		}
		return 0, false, nil
	}
	if err != nil {
		return 0, false, fail(err, "sign-in", "reserve a sign-in flow attempt", "")
	}
	return n, true, nil
}

// ReleaseFlowAttempt gives a place back, never below zero.
func (s *Store) ReleaseFlowAttempt(ctx context.Context, idHash string) error {
	if _, err := s.exec(ctx, `UPDATE signin_flows SET attempts = attempts - 1
WHERE id_hash = $1 AND attempts > 0`, idHash); err != nil {
		return fail(err, "sign-in", "release a sign-in flow attempt", "")
	}
	return nil
}

// SetFlowPendingMethod records the method being registered during the
// interrupt. Returns ENOTFOUND.
func (s *Store) SetFlowPendingMethod(ctx context.Context, idHash, methodID string) error {
	return s.execOne(ctx, "sign-in", "set pending method "+methodID+" of sign-in flow",
		`UPDATE signin_flows SET pending_method_id = $2 WHERE id_hash = $1`, idHash, methodID)
}

// FinishFlow moves the flow from state from to state to in one conditional
// update and reports whether it did; false, with no error, means the flow was
// no longer in from (or does not exist), so a flow completes at most once.
func (s *Store) FinishFlow(ctx context.Context, idHash string, from, to twofold.FlowState) (bool, error) {
	n, err := s.exec(ctx, `UPDATE signin_flows SET state = $3 WHERE id_hash = $1 AND state = $2`,
		idHash, string(from), string(to))
	if err != nil {
		return false, fail(err, "sign-in", "finish sign-in flow", "")
	}
	return n == 1, nil
}

// DeleteFlowsBefore removes flows that expired before t and returns how many.
func (s *Store) DeleteFlowsBefore(ctx context.Context, t time.Time) (int, error) {
	n, err := s.exec(ctx, `DELETE FROM signin_flows WHERE expires_at < $1`, s.d.time(t))
	if err != nil {
		return 0, fail(err, "sign-in", "delete expired sign-in flows", "")
	}
	return n, nil
}
