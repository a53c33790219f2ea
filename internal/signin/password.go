package signin

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/methodkind"
)

// ErrCredentials is the one answer to every failed password step: unknown user,
// wrong password, disabled or locked account all read the same, so the words
// never tell who exists. The sentence names the lock so that it is honest for a
// locked member who typed the right password too.
var ErrCredentials = twofold.Errorf(twofold.EUNAUTHORIZED,
	"Your user name or password is incorrect, or your account is locked for a few minutes after too many tries.")

// ErrNetworkLimit answers a sign-in from a network over its failure limit.
var ErrNetworkLimit = twofold.Errorf(twofold.ERATELIMIT,
	"There have been too many sign-in attempts from your network. Wait a few minutes and try again.")

// maxPassword bounds the work a request can ask of the hasher.
const maxPassword = 1024

// Password checks a user name and password and starts the flow. It returns
// ErrCredentials for any failure of the credentials, ErrNetworkLimit when the
// caller's network is over its failure limit, EUNAVAILABLE when hashing is
// saturated (whether or not the name exists), and EINVALID for input that is not
// a user name or password at all.
//
// Every limit takes its place before the slow hash, in one statement, and gives
// it back afterwards if the attempt turned out not to be a failure: a limit read
// before the hash and written after it lets a burst of parallel guesses through.
func (s *Service) Password(ctx context.Context, username, password string, c twofold.Client) (*Result, error) {
	username, err := normalizeUsername(username)
	if err != nil {
		return nil, err
	}
	if password == "" {
		return nil, twofold.FieldError("password", "Enter your password.")
	}
	if len(password) > maxPassword || !utf8.ValidString(password) {
		return nil, ErrCredentials
	}
	now := s.Now()
	giveBack, err := s.takeNetworkPlace(ctx, c, now)
	if err != nil {
		return nil, err
	}
	u, reason, err := s.checkPassword(ctx, username, password, now)
	if err != nil || reason == "" {
		// Not a failure (signed in, or never checked): the network's place goes back.
		giveBack()
	}
	if err != nil {
		return nil, err
	}
	if reason != "" {
		s.auditFailure(ctx, u, username, reason, c)
		return nil, ErrCredentials
	}
	return s.startFlow(ctx, u, now, c)
}

// takeNetworkPlace takes one of the places the caller's network has for failed
// sign-ins (wrong passwords and refused passkeys alike) in the current window,
// before the attempt is checked, and returns the function that gives it back
// when the attempt turns out not to be a failure. ErrNetworkLimit when none is
// left.
func (s *Service) takeNetworkPlace(ctx context.Context, c twofold.Client, now time.Time) (giveBack func(), err error) {
	key, window := "signin-ip:"+c.NetworkKey(), now.Truncate(s.cfg.IPWindow)
	ok, err := s.Store.Take(ctx, key, window, s.cfg.IPFailureLimit, now.Add(-2*s.cfg.IPWindow))
	if err != nil {
		return nil, fmt.Errorf("signin: network limit: %w", err)
	}
	if !ok {
		return nil, ErrNetworkLimit
	}
	return func() {
		if err := s.Store.GiveBack(context.WithoutCancel(ctx), key, window); err != nil {
			s.Log.WarnContext(ctx, "sign-in: give back network place", "err", err)
		}
	}, nil
}

// checkPassword returns the user and "" when the password is right, or a reason for
// the audit log. Every path asks the hasher for one hash, so timing does not tell
// them apart, and a saturated hasher refuses them all alike (EUNAVAILABLE).
func (s *Service) checkPassword(ctx context.Context, username, password string, now time.Time) (*twofold.User, string, error) {
	u, err := s.Store.UserByUsername(ctx, username)
	if twofold.ErrorCode(err) == twofold.ENOTFOUND {
		if err := s.Hasher.VerifyDummy(ctx, password); err != nil {
			return nil, "", err
		}
		_, domain, _ := cut(username)
		return nil, "unknown user name", s.padFailure(ctx, "signin-unknown:"+domain, now)
	} else if err != nil {
		return nil, "", fmt.Errorf("signin: find user: %w", err)
	}
	org, err := s.Store.OrgByID(ctx, u.OrgID)
	if err != nil {
		return nil, "", fmt.Errorf("signin: org: %w", err)
	}
	threshold := org.Policy.LockoutThreshold
	guess, ok, err := s.Store.ReservePasswordGuess(ctx, u.ID, now.UTC(), threshold)
	if err != nil {
		return nil, "", fmt.Errorf("signin: reserve guess: %w", err)
	}
	if !ok {
		// Locked, or every guess of this lock period is taken by others still
		// being checked: this one is not checked at all.
		if err := s.Hasher.VerifyDummy(ctx, password); err != nil {
			return nil, "", err
		}
		return u, "account locked", s.padFailure(ctx, "signin-locked:"+u.ID, now)
	}
	right, rehash, err := s.Hasher.Verify(ctx, u.PasswordHash, password)
	if err != nil {
		// Never checked: the guess's place goes back.
		if rerr := s.Store.ReleasePasswordGuess(context.WithoutCancel(ctx), u.ID, guess); rerr != nil {
			s.Log.WarnContext(ctx, "sign-in: release password guess", "user", u.ID, "err", rerr)
		}
		return nil, "", err
	}
	if !right {
		if guess.Count >= threshold {
			if _, err := s.Store.LockUser(ctx, u.ID, guess, now.UTC(), org.Policy.LockoutLengths()); err != nil {
				return nil, "", fmt.Errorf("signin: lock: %w", err)
			}
		}
		return u, "wrong password", nil
	}
	if u.Disabled {
		// The guess keeps its place: a disabled account's password is not
		// confirmed to anyone, and guessing it is still limited.
		return u, "account disabled", nil
	}
	if err := s.Store.RecordPasswordSuccess(ctx, u.ID); err != nil {
		return nil, "", fmt.Errorf("signin: clear failures: %w", err)
	}
	if rehash {
		s.upgradeHash(ctx, u, password)
	}
	return u, "", nil
}

// padFailure does the database write a wrong password does (its guess), for
// failures that have no such count, so unknown, locked and wrong read the same in
// timing too. The counter it bumps also tells operators how often names are probed.
func (s *Service) padFailure(ctx context.Context, key string, now time.Time) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if _, err := s.Store.Hit(ctx, key, now.Truncate(s.cfg.IPWindow), now.Add(-2*s.cfg.IPWindow)); err != nil {
		return fmt.Errorf("signin: count failure: %w", err)
	}
	return nil
}

// upgradeHash re-hashes with current parameters. A failure is logged, not fatal:
// the member proved the password and the old hash still works.
func (s *Service) upgradeHash(ctx context.Context, u *twofold.User, password string) {
	h, err := s.Hasher.Hash(ctx, password)
	if err == nil {
		err = s.Store.SetPasswordHash(ctx, u.ID, h)
	}
	if err != nil {
		s.Log.WarnContext(ctx, "password hash upgrade failed", "user", u.ID, "err", err)
	}
}

// startFlow decides what the member must do next and persists the flow; a member
// who needs no second factor gets a session at once.
func (s *Service) startFlow(ctx context.Context, u *twofold.User, now time.Time, c twofold.Client) (*Result, error) {
	org, err := s.Store.OrgByID(ctx, u.OrgID)
	if err != nil {
		return nil, fmt.Errorf("signin: org: %w", err)
	}
	methods, err := s.Store.ListMethods(ctx, u.ID, twofold.MethodActive)
	if err != nil {
		return nil, fmt.Errorf("signin: methods: %w", err)
	}
	state := twofold.FlowMFARequired
	switch {
	case methodkind.NeedsRegistration(org.Policy, methods):
		state = twofold.FlowRegistrationRequired
	case !org.Policy.MFARequired:
		return s.finish(ctx, u, org, now, time.Time{}, "", "password", c)
	}
	// A blocked second factor (a fraud report, too many wrong codes) stops the
	// sign-in here, after the right password, rather than offering ways that all
	// fail. Only someone who knows the password learns of the block.
	if err := s.notBlocked(u); err != nil {
		s.auditFailure(ctx, u, u.Username, "second factor blocked", c)
		return nil, err
	}
	id := twofold.NewToken()
	f := &twofold.SignInFlow{
		IDHash: twofold.HashToken(id), UserID: u.ID, OrgID: u.OrgID, State: state,
		CreatedAt: now.UTC(), ExpiresAt: now.UTC().Add(s.cfg.FlowLifetime), PasswordAt: now.UTC(),
		IP: c.IP, UserAgent: c.UserAgent,
	}
	if err := s.Store.CreateFlow(ctx, f); err != nil {
		return nil, fmt.Errorf("signin: create flow: %w", err)
	}
	r := s.result(id, f, u, org, methods)
	// The default is challenged at once; for a phone that means the text
	// goes out or the call is placed now, with the password step's POST.
	if r.Default != nil && r.Default.Channel != "" {
		r.Challenge, r.SendError = s.send(ctx, f, r, r.Default, c)
	}
	return r, nil
}

// normalizeUsername trims and lower-cases a user name and checks its shape.
func normalizeUsername(s string) (string, error) {
	if !utf8.ValidString(s) || !twofold.PrintableName(s) {
		return "", twofold.FieldError("username", "Enter your user name in the form name@example.com.")
	}
	s = strings.ToLower(strings.TrimSpace(s))
	switch {
	case s == "":
		return "", twofold.FieldError("username", "Enter your user name.")
	case len(s) > 254 || strings.Count(s, "@") != 1 || strings.HasPrefix(s, "@") || strings.HasSuffix(s, "@"):
		return "", twofold.FieldError("username", "Enter your user name in the form name@example.com.")
	}
	return s, nil
}
