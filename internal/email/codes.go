package email

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/big"
	"strings"
	"time"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/notify"
)

// The rules of mailed codes.
const (
	// RegisterLifetime is how long a code mailed to prove a new address lasts;
	// a caller may ask for another (Request.TTL).
	RegisterLifetime = 10 * time.Minute
	// MaxAttempts is how many codes may be entered against one mail; the code
	// dies with the last.
	MaxAttempts = 5
	// MailsPerWindow mails of codes may go to one member per MailWindow.
	MailsPerWindow = 10
	MailWindow     = 10 * time.Minute
)

// Errors of mailed codes. Wrong and malformed codes name the "code" field.
var (
	ErrWrongCode    = twofold.FieldError("code", "That code didn't work. Check the code in the email and try again.")
	ErrCodeExpired  = twofold.Errorf(twofold.EEXPIRED, "That code has expired. Ask for a new code.")
	ErrCodeUsed     = twofold.Errorf(twofold.ECONFLICT, "That code has already been used.")
	ErrNoCode       = twofold.Errorf(twofold.ENOTFOUND, "There's no code waiting to be entered here. Ask for a new code.")
	ErrTooManyTries = twofold.Errorf(twofold.EEXPIRED, "That was too many wrong codes. Ask for a new code.")
	// ErrUnavailable answers a mail the sender refused to take.
	ErrUnavailable = twofold.Errorf(twofold.EUNAVAILABLE, "We couldn't send the email right now. Try again in a few minutes.")
	// errLastWrongCode answers the wrong code that uses up a mail: it was
	// checked and wrong (ErrWrongCode, for callers that count wrong codes), and
	// the member is told the code is dead (ErrTooManyTries comes first).
	errLastWrongCode = errors.Join(ErrTooManyTries, ErrWrongCode)
)

// Why a challenge failed, in words for the member.
const (
	reasonTooManyCodes = "That was too many wrong codes."
	reasonCodeExpired  = "The code expired."
	reasonNotSent      = "We couldn't send the email."
)

// Store is what mailed codes need from the database.
type Store interface {
	CreateChallenge(ctx context.Context, c *twofold.Challenge) error
	LatestChallenge(ctx context.Context, binding string) (*twofold.Challenge, error)
	RecordChallengeAttempt(ctx context.Context, id string) (int, error)
	MoveChallenge(ctx context.Context, id string, from []twofold.ChallengeState, to twofold.ChallengeState, reason string, at time.Time) (bool, error)
	Take(ctx context.Context, key string, window time.Time, limit int, expireBefore time.Time) (bool, error)
	GiveBack(ctx context.Context, key string, window time.Time) error
}

// Deps are what Codes works with.
type Deps struct {
	Store Store
	// Mail takes the mail: the delivery queue, or the dev outbox.
	Mail notify.Sender
	Log  *slog.Logger
	Now  func() time.Time
	// Rand makes the codes; nil means crypto/rand.
	Rand io.Reader
	// CodeKey keys the codes' HMAC, so a database dump alone cannot check a
	// guess.
	CodeKey []byte
}

// Codes sends and checks codes mailed to an address.
type Codes struct {
	Deps
}

// New returns Codes over d.
func New(d Deps) *Codes {
	if d.Rand == nil {
		d.Rand = rand.Reader
	}
	if d.Log == nil {
		d.Log = slog.New(slog.DiscardHandler)
	}
	return &Codes{Deps: d}
}

// Request asks for a code mailed to Address.
type Request struct {
	UserID string
	OrgID  string
	// OrgName names who sends the code ("Contoso"), in the subject and body.
	OrgName string
	// Binding names what asked for the code: "session:"+ID to add or change an
	// address, "reset:"+the reset attempt's ID hash at a password reset. Only
	// the newest code of a binding can be entered.
	Binding string
	Purpose twofold.ChallengePurpose
	// MethodID is the email method used (reset) or whose address is being
	// changed; "" while adding one.
	MethodID string
	// Address is where the code goes, as Parse returned it.
	Address string
	// TTL is how long the code lasts; zero means RegisterLifetime.
	TTL time.Duration
}

// Send makes a 6-digit code for r, stores its hash as the binding's newest
// challenge and hands the mail to the sender. The member's place among their
// MailsPerWindow is taken first, in one statement, so however many sends race
// at most that many mails are made. Returns ERATELIMIT (with the wait as its
// RetryAfter) past the limit, and ErrUnavailable when the sender refused the
// mail. The returned challenge's Ref is the mail's message ID.
func (c *Codes) Send(ctx context.Context, r Request) (*twofold.Challenge, error) {
	if r.UserID == "" || r.Binding == "" || r.Address == "" || r.Purpose == "" {
		return nil, fmt.Errorf("email: send: user, binding, purpose and address are required")
	}
	ttl := r.TTL
	if ttl <= 0 {
		ttl = RegisterLifetime
	}
	now := c.Now().UTC()
	window := now.Truncate(MailWindow)
	key := "mail-member:" + r.UserID
	ok, err := c.Store.Take(ctx, key, window, MailsPerWindow, window.Add(-MailWindow))
	if err != nil {
		return nil, fmt.Errorf("email: take a mail place: %w", err)
	}
	if !ok {
		return nil, errLimit(window.Add(MailWindow).Sub(now))
	}
	ch, err := c.send(ctx, r, now, ttl)
	if err != nil {
		// No mail went out: the place goes back.
		if gerr := c.Store.GiveBack(ctx, key, window); gerr != nil {
			c.Log.ErrorContext(ctx, "email: give back a mail place", "err", gerr)
		}
		return nil, err
	}
	return ch, nil
}

func (c *Codes) send(ctx context.Context, r Request, now time.Time, ttl time.Duration) (*twofold.Challenge, error) {
	code, err := c.newCode()
	if err != nil {
		return nil, err
	}
	ch := &twofold.Challenge{
		ID: twofold.NewID(), UserID: r.UserID, OrgID: r.OrgID, Binding: r.Binding, Purpose: r.Purpose,
		Channel: twofold.ChannelEmail, MethodID: r.MethodID, Email: r.Address,
		State: twofold.ChallengeSent, Ref: twofold.NewID(), CreatedAt: now, ExpiresAt: now.Add(ttl), UpdatedAt: now,
	}
	ch.CodeHash = c.hashCode(ch.ID, code)
	if err := c.Store.CreateChallenge(ctx, ch); err != nil {
		return nil, fmt.Errorf("email: store challenge: %w", err)
	}
	subject, body := message(r, code, ttl)
	err = c.Mail.Send(ctx, &twofold.Message{
		ID: ch.Ref, OrgID: r.OrgID, UserID: r.UserID, Channel: twofold.ChannelEmail, To: r.Address,
		Subject: subject, Body: body,
	})
	if err != nil {
		c.Log.ErrorContext(ctx, "email: mail not taken", "challenge", ch.ID, "err", err)
		if _, merr := c.Store.MoveChallenge(ctx, ch.ID, []twofold.ChallengeState{twofold.ChallengeSent},
			twofold.ChallengeFailed, reasonNotSent, now); merr != nil {
			c.Log.ErrorContext(ctx, "email: fail challenge", "challenge", ch.ID, "err", merr)
		}
		return nil, ErrUnavailable
	}
	return ch, nil
}

// message is the mail of code: what it is for, how long it lasts, and what
// to do if the member did not ask for it.
func message(r Request, code string, ttl time.Duration) (subject, body string) {
	org := r.OrgName
	if org == "" {
		org = "your organization"
	}
	subject = "Your verification code for " + org
	var why, notYou string
	switch r.Purpose {
	case twofold.PurposeReset:
		why = "to reset your password"
		notYou = "If this wasn't you, someone may be trying to reset your password. Don't share the code with anyone, and contact your help desk."
	case twofold.PurposeRegister:
		why = "to add this email address to your security info"
		notYou = "If this wasn't you, you can ignore this email: your address won't be added without the code. Don't share the code with anyone."
	default:
		why = "to verify it's you"
		notYou = "If this wasn't you, don't share the code with anyone, and contact your help desk."
	}
	mins := int((ttl + time.Minute - 1) / time.Minute)
	unit := "minutes"
	if mins == 1 {
		unit = "minute"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Hello,\n\nYour %s verification code is:\n\n    %s\n\n", org, code)
	fmt.Fprintf(&b, "Enter it %s. It expires in %d %s and works once.\n\n", why, mins, unit)
	b.WriteString(notYou + "\n")
	return subject, b.String()
}

// errLimit refuses a mail past the member's limit, with the wait as the
// error's RetryAfter (the API's Retry-After header).
func errLimit(wait time.Duration) error {
	return &twofold.Error{Code: twofold.ERATELIMIT,
		Message: "You've hit our limit on emails. Try again in a few minutes.", Err: retryAfter(wait)}
}

// retryAfter is how long a throttled member must wait; httpx finds it in the
// error's chain by its RetryAfter method.
type retryAfter time.Duration

func (d retryAfter) Error() string { return "retry after " + time.Duration(d).String() }

// RetryAfter returns the wait.
func (d retryAfter) RetryAfter() time.Duration { return time.Duration(d) }

// NormalizeCode returns code as six digits, ignoring spaces and dashes, or an
// EINVALID error: a malformed code was never a guess and is not counted.
func NormalizeCode(code string) (string, error) {
	code = strings.NewReplacer(" ", "", "-", "", "\u00a0", "").Replace(code)
	if code == "" {
		return "", twofold.FieldError("code", "Enter the 6-digit code we emailed you.")
	}
	if len(code) != 6 || strings.Trim(code, "0123456789") != "" {
		return "", twofold.FieldError("code", "The code is 6 digits, like 123456.")
	}
	return code, nil
}

// newCode returns six random digits from c.Rand.
func (c *Codes) newCode() (string, error) {
	n, err := rand.Int(c.Rand, big.NewInt(1_000_000))
	if err != nil {
		return "", fmt.Errorf("email: code: %w", err)
	}
	return fmt.Sprintf("%06d", n.Int64()), nil
}

// hashCode keys the code with the service key and binds it to its challenge.
func (c *Codes) hashCode(challengeID, code string) string {
	m := hmac.New(sha256.New, c.CodeKey)
	m.Write([]byte("email\x00"))
	m.Write([]byte(challengeID))
	m.Write([]byte{0})
	m.Write([]byte(code))
	return hex.EncodeToString(m.Sum(nil))
}
