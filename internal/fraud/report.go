package fraud

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/audit"
	"github.com/twofold-id/twofold/internal/reportlink"
)

// untilLifted stands for "until an admin lifts the block", as for a fraud
// report on a call: far beyond any real block, and still within what every
// store can keep.
var untilLifted = time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC)

// Store is what a report needs from the database.
type Store interface {
	// ConsumeOnce records key and reports true only the first time
	// (twofold.OnceStore).
	ConsumeOnce(ctx context.Context, key string, expiresAt time.Time) (bool, error)
	UserByID(ctx context.Context, id string) (*twofold.User, error)
	OrgByID(ctx context.Context, id string) (*twofold.Organization, error)
	ListUsers(ctx context.Context, orgID string) ([]*twofold.User, error)
	BlockMFA(ctx context.Context, userID string, until time.Time) error
	FailMemberFlows(ctx context.Context, userID string) (int, error)
	RevokeUserSessions(ctx context.Context, userID string, at time.Time) (int, error)
	// InTx runs fn in one transaction (see twofold.Store).
	InTx(ctx context.Context, fn func(ctx context.Context) error) error
}

// Verifier checks a link's token (*reportlink.Signer).
type Verifier interface {
	Verify(token string) (reportlink.Claims, error)
}

// AdminAlerter tells an organization's admins about a security event.
type AdminAlerter interface {
	AdminAlert(ctx context.Context, admin *twofold.User, org *twofold.Organization, subject, what string) error
}

// Service takes "This wasn't me" reports.
type Service struct {
	Store   Store
	Links   Verifier
	Audit   *audit.Recorder
	Alerter AdminAlerter
	Now     func() time.Time
}

// Outcome is what a report did, for the page that tells the member.
type Outcome struct {
	// BlockedUntil is when two-step verification works again; zero means
	// until the help desk lifts the block.
	BlockedUntil time.Time
	// SignInsStopped and SessionsEnded count what the report ended.
	SignInsStopped int
	SessionsEnded  int
	// Helpdesk is the organization's help-desk contact, "" when it has none.
	Helpdesk string
}

// The errors of a link that can't report. Each says only which of the three
// it is: a stranger holding a link learns nothing about the member.
var (
	errInvalid = twofold.Errorf(twofold.EINVALID, "This link doesn't work. Make sure you opened the whole link from the notice we sent you. If something about your account looks wrong, contact your help desk.")
	errExpired = twofold.Errorf(twofold.EEXPIRED, "This link has expired: the links in our notices work for 7 days. If something about your account looks wrong, contact your help desk.")
	errUsed    = twofold.Errorf(twofold.ECONFLICT, "This link has already been used to report the change, and two-step verification on the account is blocked. Contact your help desk to change your password and get back in.")
)

// Check says whether token can still report, without changing anything: the
// page asks the member to confirm only for a link that works. A link already
// used is only found out when it is used again (Report), since using it is
// what records it.
func (s *Service) Check(ctx context.Context, token string) error {
	_, _, err := s.open(ctx, token)
	return err
}

// open verifies token and loads its member and organization.
func (s *Service) open(ctx context.Context, token string) (reportlink.Claims, *twofold.User, error) {
	c, err := s.Links.Verify(token)
	switch {
	case errors.Is(err, reportlink.ErrExpired):
		return c, nil, errExpired
	case err != nil:
		return c, nil, errInvalid
	}
	u, err := s.Store.UserByID(ctx, c.UserID)
	if twofold.ErrorCode(err) == twofold.ENOTFOUND {
		return c, nil, errInvalid
	}
	if err != nil {
		return c, nil, fmt.Errorf("fraud: member of report link: %w", err)
	}
	return c, u, nil
}

// Report takes the report of token from client: in one transaction the link
// is used up (of any number of racing reports exactly one goes on), two-step
// verification is blocked for the policy's fraud-block period or until the
// help desk lifts it, every sign-in waiting for a second factor is denied, the
// member's sessions end, the admins are alerted, and the audit log and a
// notice to the member record it.
func (s *Service) Report(ctx context.Context, token string, client twofold.Client) (*Outcome, error) {
	claims, u, err := s.open(ctx, token)
	if err != nil {
		return nil, err
	}
	org, err := s.Store.OrgByID(ctx, u.OrgID)
	if err != nil {
		return nil, fmt.Errorf("fraud: organization of %s: %w", u.ID, err)
	}
	now := s.Now().UTC()
	out := &Outcome{Helpdesk: org.Policy.HelpdeskContact}
	until := untilLifted
	if d := time.Duration(org.Policy.Phone.FraudBlockDuration); d > 0 {
		until, out.BlockedUntil = now.Add(d), now.Add(d)
	}
	if u.MFABlockedUntil.After(until) {
		// A longer block is already running (an earlier report): keep it.
		until = u.MFABlockedUntil
		if until.Before(untilLifted) {
			out.BlockedUntil = until
		} else {
			out.BlockedUntil = time.Time{}
		}
	}
	err = s.Store.InTx(ctx, func(ctx context.Context) error {
		first, err := s.Store.ConsumeOnce(ctx, "report-link:"+claims.UserID+":"+claims.EventID, claims.ExpiresAt)
		if err != nil {
			return fmt.Errorf("fraud: use report link: %w", err)
		}
		if !first {
			return errUsed
		}
		if err := s.Store.BlockMFA(ctx, u.ID, until); err != nil {
			return fmt.Errorf("fraud: block MFA: %w", err)
		}
		if out.SignInsStopped, err = s.Store.FailMemberFlows(ctx, u.ID); err != nil {
			return fmt.Errorf("fraud: deny sign-ins: %w", err)
		}
		if out.SessionsEnded, err = s.Store.RevokeUserSessions(ctx, u.ID, now); err != nil {
			return fmt.Errorf("fraud: end sessions: %w", err)
		}
		blocked := blockedWords(out.BlockedUntil)
		what := fmt.Sprintf("You reported a change to your security info as not made by you. Two-step verification is blocked for your account %s, "+
			"we stopped any sign-in waiting for it and signed out your sessions. Contact your help desk to change your password.", blocked)
		reason := fmt.Sprintf("\"This wasn't me\" link of the notice of audit event %s; MFA blocked %s; %d sign-ins denied, %d sessions ended",
			claims.EventID, blocked, out.SignInsStopped, out.SessionsEnded)
		p := &twofold.Principal{User: u, Org: org, Client: client}
		if err := s.Audit.SecurityChange(ctx, p, twofold.ActivityFraudReported, reason, what); err != nil {
			return err
		}
		return s.alertAdmins(ctx, u, org, blocked)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func blockedWords(until time.Time) string {
	if until.IsZero() {
		return "until your help desk lifts the block"
	}
	return "until " + until.Format("2 January 2006 at 15:04 MST")
}

func (s *Service) alertAdmins(ctx context.Context, u *twofold.User, org *twofold.Organization, blocked string) error {
	users, err := s.Store.ListUsers(ctx, org.ID)
	if err != nil {
		return fmt.Errorf("fraud: list admins: %w", err)
	}
	what := fmt.Sprintf("%s (%s) reported a change to their security info as not made by them, with the link in our notice. "+
		"Their two-step verification is blocked %s and their sessions are signed out. Someone may know their password; "+
		"consider resetting it and reviewing their security info.", u.DisplayName, u.Username, strings.Replace(blocked, "your help desk", "the help desk", 1))
	for _, a := range users {
		if a.Role != twofold.RoleAdmin || a.Disabled {
			continue
		}
		if err := s.Alerter.AdminAlert(ctx, a, org, "Fraud reported by "+u.Username, what); err != nil {
			return fmt.Errorf("fraud: alert admin: %w", err)
		}
	}
	return nil
}
