package store

import (
	"context"
	"time"

	"github.com/twofold-id/twofold"
)

// CampaignState returns the member's registration campaign. Returns ENOTFOUND.
func (s *Store) CampaignState(ctx context.Context, userID string) (twofold.CampaignState, error) {
	var c twofold.CampaignState
	err := s.readRow(ctx, `SELECT campaign_snoozes, campaign_snoozed_until, campaign_started_at FROM users WHERE id = $1`, userID).
		Scan(&c.Snoozes, timeCol{&c.SnoozedUntil}, timeCol{&c.StartedAt})
	if err != nil {
		return c, fail(err, "user", "read campaign of user "+userID, "")
	}
	return c, nil
}

// SnoozeCampaign counts one snooze and sets its end in one UPDATE whose WHERE
// holds both conditions (fewer than max, none running at now), so of racing
// snoozes only the first in each window matches a row.
func (s *Store) SnoozeCampaign(ctx context.Context, userID string, now, until time.Time, max int) (twofold.CampaignState, bool, error) {
	n, err := s.exec(ctx, `UPDATE users SET campaign_snoozes = campaign_snoozes + 1, campaign_snoozed_until = $3
WHERE id = $1 AND campaign_snoozes < $4 AND (campaign_snoozed_until IS NULL OR campaign_snoozed_until <= $2)`,
		userID, s.d.time(now), s.d.time(until), max)
	if err != nil {
		return twofold.CampaignState{}, false, fail(err, "user", "snooze campaign of user "+userID, "")
	}
	c, err := s.CampaignState(ctx, userID)
	return c, n == 1, err
}

// StartCampaign sets the start only where none is recorded.
func (s *Store) StartCampaign(ctx context.Context, userID string, now time.Time) (bool, error) {
	n, err := s.exec(ctx, `UPDATE users SET campaign_started_at = $2 WHERE id = $1 AND campaign_started_at IS NULL`,
		userID, s.d.time(now))
	if err != nil {
		return false, fail(err, "user", "start campaign of user "+userID, "")
	}
	if n == 0 {
		return false, s.userExists(ctx, userID, "start campaign")
	}
	return true, nil
}

// FinishCampaign clears the campaign only where something is recorded.
func (s *Store) FinishCampaign(ctx context.Context, userID string) (bool, error) {
	n, err := s.exec(ctx, `UPDATE users SET campaign_snoozes = 0, campaign_snoozed_until = NULL, campaign_started_at = NULL
WHERE id = $1 AND (campaign_snoozes <> 0 OR campaign_snoozed_until IS NOT NULL OR campaign_started_at IS NOT NULL)`, userID)
	if err != nil {
		return false, fail(err, "user", "finish campaign of user "+userID, "")
	}
	if n == 0 {
		return false, s.userExists(ctx, userID, "finish campaign")
	}
	return true, nil
}
