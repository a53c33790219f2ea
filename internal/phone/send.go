package phone

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/notify"
)

// Why a challenge failed, in words for the member.
const (
	reasonTooManyCodes = "That was too many wrong codes."
	reasonCodeExpired  = "The code expired."
	reasonWrongKey     = "You pressed a different key. When the call asks, press # (the pound key)."
	reasonNoAnswer     = "You didn't answer the call."
	reasonBusy         = "Your line was busy."
	reasonHungUp       = "The call ended before you pressed #."
	reasonCallFailed   = "We couldn't place the call."
	reasonTimeout      = "We didn't hear back from the call in time."
	reasonFraud        = "You reported this call as fraud."
	reasonNotSent      = "We couldn't reach your phone."
	reasonCanceled     = "You canceled the call."
)

// ErrUnavailable is the answer when the provider refused or could not be reached.
var ErrUnavailable = twofold.Errorf(twofold.EUNAVAILABLE, "We couldn't reach your phone right now. Try again in a few minutes, or choose another method.")

// Send sends a texted code or places a verification call for r and returns the
// challenge, which is then the newest of its binding (an older one stops
// counting). Returns EFORBIDDEN when the policy does not allow it or the member's
// second factor is blocked, ERATELIMIT past a throttle, and ErrUnavailable when
// the provider failed.
func (s *Service) Send(ctx context.Context, r Request) (*twofold.Challenge, error) {
	pol := r.Org.Policy
	if !pol.MethodEnabled(twofold.KindPhone) || !pol.Phone.AllowsChannel(r.PhoneType, r.Channel) {
		if r.Channel == twofold.ChannelSMS {
			return nil, twofold.Errorf(twofold.EFORBIDDEN, "Your organization doesn't allow text messages to this phone. Choose another method.")
		}
		return nil, twofold.Errorf(twofold.EFORBIDDEN, "Your organization doesn't allow calls to this phone. Choose another method.")
	}
	now := s.Now().UTC()
	if now.Before(r.User.MFABlockedUntil) {
		return nil, twofold.Errorf(twofold.EFORBIDDEN, "Two-step verification is blocked for your account right now. Contact your help desk.")
	}
	if err := s.throttle(ctx, r, now); err != nil {
		return nil, err
	}
	c := &twofold.Challenge{
		ID: twofold.NewID(), UserID: r.User.ID, OrgID: r.Org.ID, Binding: r.Binding, Purpose: r.Purpose,
		Channel: r.Channel, MethodID: r.MethodID, PhoneType: r.PhoneType, PhoneNumber: r.Number,
		State: twofold.ChallengeSent, CreatedAt: now, UpdatedAt: now,
	}
	var code string
	if r.Channel == twofold.ChannelSMS {
		var err error
		if code, err = newCode(); err != nil {
			return nil, err
		}
		c.CodeHash = s.hashCode(c.ID, code) + s.replacing(ctx, r)
		c.ExpiresAt = now.Add(s.cfg.CodeLifetime)
	} else {
		c.ExpiresAt = now.Add(s.cfg.CallTimeout)
	}
	// Stored before it is sent, so a provider's quick callback finds it.
	if err := s.Store.CreateChallenge(ctx, c); err != nil {
		return nil, fmt.Errorf("phone: store challenge: %w", err)
	}
	ref, err := s.deliver(ctx, r, c, code)
	if err != nil {
		s.Log.ErrorContext(ctx, "phone: provider failed", "channel", c.Channel, "challenge", c.ID, "err", err)
		s.fail(ctx, c, reasonNotSent)
		return nil, ErrUnavailable
	}
	if ref != "" {
		if err := s.Store.SetChallengeRef(ctx, c.ID, ref); err != nil {
			return nil, fmt.Errorf("phone: store ref: %w", err)
		}
		c.Ref = ref
	}
	return c, nil
}

func (s *Service) deliver(ctx context.Context, r Request, c *twofold.Challenge, code string) (string, error) {
	if c.Channel == twofold.ChannelSMS {
		mins := int(s.cfg.CodeLifetime / time.Minute)
		body := fmt.Sprintf("%s is your %s verification code. It expires in %d minutes. Don't share it with anyone.", code, r.Org.Name, mins)
		return s.Provider.SendText(ctx, notify.Text{OrgID: r.Org.ID, UserID: r.User.ID, To: r.Number, Body: body})
	}
	prompt := fmt.Sprintf("Hello, this is %s. Please press the pound key to finish your verification. If you didn't ask for this call, press zero, then the pound key, to report it.", r.Org.Name)
	return s.Provider.PlaceCall(ctx, notify.Call{
		ChallengeID: c.ID, OrgID: r.Org.ID, UserID: r.User.ID, To: r.Number, Prompt: prompt, Timeout: s.cfg.CallTimeout,
	})
}

// errLimit is the answer past any throttle: which limit, and how long to wait,
// in words and as the error's RetryAfter (the API's Retry-After header).
func errLimit(channel string, daily bool, wait time.Duration) error {
	what := "call"
	if channel == twofold.ChannelSMS {
		what = "text"
	}
	msg := fmt.Sprintf("You can ask for another %s in %s.", what, waitWords(wait))
	if daily {
		msg = fmt.Sprintf("You've reached today's limit on verification %ss. %s", what, msg)
	}
	return &twofold.Error{Code: twofold.ERATELIMIT, Message: msg, Err: retryAfter(wait)}
}

// retryAfter is how long a throttled member must wait. httpx finds it in the
// error's chain (by its RetryAfter method) to write the Retry-After header.
type retryAfter time.Duration

func (d retryAfter) Error() string { return "retry after " + time.Duration(d).String() }

// RetryAfter returns the wait.
func (d retryAfter) RetryAfter() time.Duration { return time.Duration(d) }

// waitWords says a wait the way a person would, never shorter than it is:
// seconds under a minute, minutes under two hours, hours beyond.
func waitWords(d time.Duration) string {
	plural := func(n int64, unit string) string {
		if n == 1 {
			return "1 " + unit
		}
		return fmt.Sprintf("%d %ss", n, unit)
	}
	ceil := func(unit time.Duration) int64 { return int64((d + unit - 1) / unit) }
	switch {
	case d <= 0:
		return "a moment"
	case d < time.Minute:
		return plural(ceil(time.Second), "second")
	case d < 2*time.Hour:
		return plural(ceil(time.Minute), "minute")
	}
	return plural(ceil(time.Hour), "hour")
}

// throttle enforces, in the database so every replica sees them: a back-off
// between sends to one number, and daily limits per member, per number, per
// country calling code of the organization and per organization. A refused send is
// audited.
func (s *Service) throttle(ctx context.Context, r Request, now time.Time) error {
	pol := r.Org.Policy.Phone
	day := now.Truncate(24 * time.Hour)
	expire := day.Add(-24 * time.Hour)
	numberKey := "phone-number:" + r.Number
	// Each request to a number gets its own place in the day's line (counted
	// atomically, refused ones too, so impatient retries lengthen the wait), and the
	// back-off that follows it starts atomically: parallel requests cannot all slip
	// through on one stale count.
	n, err := s.Store.Hit(ctx, "phone-attempt:"+r.Number, day, expire)
	if err != nil {
		return fmt.Errorf("phone: count attempt: %w", err)
	}
	until := now.Add(Backoff(n))
	if Backoff(n) == 0 {
		// Nothing to start, only a running cooldown to respect. An end in the past
		// keeps twins stamped a moment apart (on two replicas) from refusing each
		// other, and never shortens a running cooldown: that one is not replaced.
		until = now.Add(-time.Minute)
	}
	ok, err := s.Store.StartCooldown(ctx, "phone-backoff:"+r.Number, now, until)
	if err != nil {
		return fmt.Errorf("phone: back-off: %w", err)
	}
	if !ok {
		// The running cooldown was started by an earlier request, for at most the
		// back-off of the one just before this: the longest the member must wait.
		// One started yesterday (the count is per day) lasts at most an hour.
		wait := Backoff(n - 1)
		if wait == 0 {
			wait = time.Hour
		}
		return s.refuse(ctx, r, "back-off: another send to this number was too recent", false, wait)
	}
	cc := countryCode(r.Number)
	limits := []struct {
		key   string
		limit int
		what  string
	}{
		{"phone-member:" + r.User.ID, pol.SendsPerMemberPerDay, "member's daily limit"},
		{numberKey, pol.SendsPerNumberPerDay, "number's daily limit"},
		{"phone-country:" + r.Org.ID + ":" + cc, pol.SendsPerCountryPerDay, "daily limit for +" + cc},
		{"phone-org:" + r.Org.ID, pol.SendsPerOrgPerDay, "organization's daily limit"},
	}
	keys := make([]string, len(limits))
	for i, l := range limits {
		keys[i] = l.key
	}
	// One statement counts the send against every daily limit.
	counts, err := s.Store.HitAll(ctx, keys, day, expire)
	if err != nil {
		return fmt.Errorf("phone: count send: %w", err)
	}
	for i, l := range limits {
		if counts[i] > l.limit {
			return s.refuse(ctx, r, l.what+" reached", true, day.Add(24*time.Hour).Sub(now))
		}
	}
	return nil
}

// Backoff is how long after the n-th text or call of the day to one number the next
// may go out: the first three go at once (a member may need a call, then a text),
// then 30 s, 1 min, 2 min, … doubling up to an hour.
func Backoff(n int) time.Duration {
	if n < 3 {
		return 0
	}
	d := 30 * time.Second
	for i := 3; i < n && d < time.Hour; i++ {
		d *= 2
	}
	return min(d, time.Hour)
}

func (s *Service) refuse(ctx context.Context, r Request, why string, daily bool, wait time.Duration) error {
	s.audit(ctx, r.User, r.Org, r.Client, twofold.ResultFailure,
		fmt.Sprintf("%s to %s not sent (%s): %s", channelWord(r.Channel), Mask(r.Number), r.Purpose, why))
	return errLimit(r.Channel, daily, wait)
}

// countryCode returns the calling code of an E.164 number as text.
func countryCode(e164 string) string {
	// A stored number is split, not re-validated: rules may have changed since.
	n, ok := fromE164(e164)
	if !ok {
		return "unknown"
	}
	return fmt.Sprint(n.CountryCode)
}

func channelWord(channel string) string {
	if channel == twofold.ChannelSMS {
		return "text"
	}
	return "call"
}

// fail ends a waiting challenge with reason and audits it. Errors are logged: the
// caller is already answering with a failure of its own.
func (s *Service) fail(ctx context.Context, c *twofold.Challenge, reason string) {
	ok, err := s.Store.MoveChallenge(ctx, c.ID, waiting, twofold.ChallengeFailed, reason, s.Now().UTC())
	if err != nil {
		s.Log.ErrorContext(ctx, "phone: fail challenge", "challenge", c.ID, "err", err)
		return
	}
	if !ok {
		return
	}
	c.State, c.Reason = twofold.ChallengeFailed, reason
	s.auditChallenge(ctx, c, twofold.ResultFailure, reason)
}

// waiting are the states in which a challenge can still change.
var waiting = []twofold.ChallengeState{twofold.ChallengeSent, twofold.ChallengeAnswered, twofold.ChallengeVerified}

func (s *Service) auditChallenge(ctx context.Context, c *twofold.Challenge, result, reason string) {
	u, err := s.Store.UserByID(ctx, c.UserID)
	if err != nil {
		s.Log.ErrorContext(ctx, "phone: audit user", "err", err)
		return
	}
	org, err := s.Store.OrgByID(ctx, c.OrgID)
	if err != nil {
		s.Log.ErrorContext(ctx, "phone: audit org", "err", err)
		return
	}
	s.audit(ctx, u, org, twofold.Client{}, result,
		fmt.Sprintf("%s to %s (%s): %s", channelWord(c.Channel), Mask(c.PhoneNumber), c.Purpose, reason))
}

func (s *Service) audit(ctx context.Context, u *twofold.User, org *twofold.Organization, client twofold.Client, result, reason string) {
	err := s.Audit.Record(ctx, &twofold.AuditEvent{
		OrgID: org.ID, ActorID: u.ID, ActorName: u.Username, TargetID: u.ID, TargetName: u.Username,
		Activity: twofold.ActivityPhoneVerification, Result: result, Reason: reason,
		IP: client.IP, UserAgent: client.UserAgent,
	})
	if err != nil && !errors.Is(err, context.Canceled) {
		s.Log.ErrorContext(ctx, "phone: audit", "err", err)
	}
}
