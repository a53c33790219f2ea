package store

import (
	"context"

	"github.com/twofold-id/twofold"
)

// FailMemberFlows fails the user's waiting flows in one conditional UPDATE: a
// flow finishing at the same moment either finished first (and is left alone)
// or finds itself failed, never both.
func (s *Store) FailMemberFlows(ctx context.Context, userID string) (int, error) {
	n, err := s.exec(ctx, `UPDATE signin_flows SET state = $2 WHERE user_id = $1 AND state IN ($3, $4, $5)`,
		userID, string(twofold.FlowFailed), string(twofold.FlowMFARequired), string(twofold.FlowRegistrationRequired),
		string(twofold.FlowPasswordChangeRequired))
	if err != nil {
		return 0, fail(err, "sign-in", "fail the waiting sign-in flows of user "+userID, "")
	}
	return n, nil
}
