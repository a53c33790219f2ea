package twofold

import (
	"context"
	"time"
)

// CampaignState is where a member stands in the registration campaign: how
// often, and until when, they put off registering what the campaign asks for
// (reset methods), and when they started on it.
type CampaignState struct {
	// Snoozes is how many snoozes the member has taken since they last had
	// everything the campaign asks for; at MaxSnoozes no more are allowed.
	Snoozes int
	// SnoozedUntil is when the current snooze ends; zero when none was taken.
	SnoozedUntil time.Time
	// StartedAt is when the campaign first asked the member for something
	// still missing; zero when nothing is in progress.
	StartedAt time.Time
}

// Snoozed reports whether a snooze is running at now.
func (c CampaignState) Snoozed(now time.Time) bool { return now.Before(c.SnoozedUntil) }

// CampaignStore keeps each member's registration campaign.
type CampaignStore interface {
	// CampaignState returns the member's state. Returns ENOTFOUND.
	CampaignState(ctx context.Context, userID string) (CampaignState, error)
	// SnoozeCampaign takes one snooze until until, in one statement, only while
	// the member has taken fewer than max and no snooze runs at now: however many
	// "Not now" arrive at once, one snooze is taken per window, and never more
	// than max in all. It reports whether this call took it, with the state
	// after the call either way. Returns ENOTFOUND.
	SnoozeCampaign(ctx context.Context, userID string, now, until time.Time, max int) (CampaignState, bool, error)
	// StartCampaign records now as when the campaign started for the member,
	// unless it had started already; it reports whether this call started it.
	// Returns ENOTFOUND.
	StartCampaign(ctx context.Context, userID string, now time.Time) (bool, error)
	// FinishCampaign clears the member's snoozes and start, once the member has
	// everything it asks for; it reports whether there was anything to clear,
	// so that racing callers record the completion once. Returns ENOTFOUND.
	FinishCampaign(ctx context.Context, userID string) (bool, error)
}
