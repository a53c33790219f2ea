package phone

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"math/big"
	"strings"

	"github.com/twofold-id/twofold"
)

// Errors of texted codes. Wrong and malformed codes name the "code" field.
var (
	ErrWrongCode    = twofold.FieldError("code", "That code didn't work. Check the code in the text and try again.")
	ErrCodeExpired  = twofold.Errorf(twofold.EEXPIRED, "That code has expired. Ask for a new code.")
	ErrCodeUsed     = twofold.Errorf(twofold.ECONFLICT, "That code has already been used.")
	ErrNoCode       = twofold.Errorf(twofold.ENOTFOUND, "There's no code waiting to be entered here. Ask for a new code.")
	ErrTooManyTries = twofold.Errorf(twofold.EEXPIRED, "That was too many wrong codes. Ask for a new code.")
	// ErrCodeReplaced is the code of a text that a newer one replaced ("Resend
	// code"). It is told apart so the member looks for the latest text, and it
	// still counts as a wrong code: errReplacedCode is both.
	ErrCodeReplaced = twofold.FieldError("code", "That code was replaced by a newer one. Enter the code from the latest text.")
	errReplacedCode = errors.Join(ErrCodeReplaced, ErrWrongCode)
	// errLastWrongCode answers the wrong code that uses up a text. It was checked
	// and wrong, so it is ErrWrongCode to callers that count wrong codes (a sign-in
	// flow), and it is ErrTooManyTries to the member: ErrorCode and ErrorMessage
	// find ErrTooManyTries first. A code refused unchecked because the text was
	// already used up is plain ErrTooManyTries, so a racing twin of a right code
	// is never counted as a wrong one.
	errLastWrongCode = errors.Join(ErrTooManyTries, ErrWrongCode)
)

// NormalizeCode returns code as six digits, ignoring spaces and dashes, or an
// EINVALID error: a malformed code was never a guess and is not counted.
func NormalizeCode(code string) (string, error) {
	code = strings.NewReplacer(" ", "", "-", "", "\u00a0", "").Replace(code)
	if code == "" {
		return "", twofold.FieldError("code", "Enter the 6-digit code we texted you.")
	}
	if len(code) != 6 || strings.Trim(code, "0123456789") != "" {
		return "", twofold.FieldError("code", "The code is 6 digits, like 123456.")
	}
	return code, nil
}

// newCode returns six random digits.
func newCode() (string, error) {
	n, err := rand.Int(rand.Reader, big.NewInt(1_000_000))
	if err != nil {
		return "", fmt.Errorf("phone: code: %w", err)
	}
	return fmt.Sprintf("%06d", n.Int64()), nil
}

// hashCode keys the code with the service key and binds it to its challenge.
func (s *Service) hashCode(challengeID, code string) string {
	m := hmac.New(sha256.New, s.CodeKey)
	m.Write([]byte(challengeID))
	m.Write([]byte{0})
	m.Write([]byte(code))
	return hex.EncodeToString(m.Sum(nil))
}

// CheckCode checks a texted code against the newest challenge of binding, which
// must be a text for purpose. Every wrong code counts against the challenge
// (it dies after MaxCodeAttempts); a right code is used exactly once, even
// under parallel submissions. Returns ErrWrongCode, ErrCodeExpired,
// ErrCodeUsed, ErrNoCode, ErrTooManyTries or an EINVALID error for a malformed
// code; the wrong code that uses up the text is both ErrWrongCode and
// ErrTooManyTries (errors.Is). Counting against the member across sessions is
// the caller's part.
func (s *Service) CheckCode(ctx context.Context, binding string, purpose twofold.ChallengePurpose, code string) (*twofold.Challenge, error) {
	code, err := NormalizeCode(code)
	if err != nil {
		return nil, err
	}
	c, err := s.latest(ctx, binding, purpose)
	if err != nil {
		return nil, err
	}
	if c.Channel != twofold.ChannelSMS {
		return nil, ErrNoCode
	}
	switch c.State {
	case twofold.ChallengeSent:
	case twofold.ChallengeUsed:
		return nil, ErrCodeUsed
	case twofold.ChallengeFailed:
		if c.Reason == reasonTooManyCodes {
			return nil, ErrTooManyTries
		}
		return nil, ErrCodeExpired
	default:
		return nil, ErrNoCode
	}
	now := s.Now().UTC()
	if !now.Before(c.ExpiresAt) {
		s.fail(ctx, c, reasonCodeExpired)
		return nil, ErrCodeExpired
	}
	// Count first, then compare: parallel guesses each see their own count.
	n, err := s.Store.RecordChallengeAttempt(ctx, c.ID)
	if err != nil {
		return nil, fmt.Errorf("phone: count attempt: %w", err)
	}
	if n > s.cfg.MaxCodeAttempts {
		return nil, ErrTooManyTries
	}
	hash, replaced, _ := strings.Cut(c.CodeHash, " ")
	if !hmac.Equal([]byte(s.hashCode(c.ID, code)), []byte(hash)) {
		if n == s.cfg.MaxCodeAttempts {
			s.fail(ctx, c, reasonTooManyCodes)
			return nil, errLastWrongCode
		}
		if replaced != "" && s.codeOf(ctx, replaced, code) {
			return nil, errReplacedCode
		}
		return nil, ErrWrongCode
	}
	ok, err := s.Store.MoveChallenge(ctx, c.ID, []twofold.ChallengeState{twofold.ChallengeSent}, twofold.ChallengeUsed, "", now)
	if err != nil {
		return nil, fmt.Errorf("phone: use code: %w", err)
	}
	if !ok {
		return nil, ErrCodeUsed
	}
	c.State = twofold.ChallengeUsed
	return c, nil
}

// codeOf reports whether code was the code of the text id. Errors read as no:
// the member is then told the plain "didn't work".
func (s *Service) codeOf(ctx context.Context, id, code string) bool {
	c, err := s.Store.ChallengeByID(ctx, id)
	if err != nil {
		s.Log.ErrorContext(ctx, "phone: replaced text", "challenge", id, "err", err)
		return false
	}
	hash, _, _ := strings.Cut(c.CodeHash, " ")
	return hmac.Equal([]byte(s.hashCode(c.ID, code)), []byte(hash))
}

// replacing returns what a new text on r's binding keeps of the text it
// replaces: " " and that text's ID, appended to the new code's hash, so a code
// from the old text can be told apart ("That code was replaced…"); "" when the
// newest challenge of the binding is not a waiting text for the same purpose.
func (s *Service) replacing(ctx context.Context, r Request) string {
	prev, err := s.Store.LatestChallenge(ctx, r.Binding)
	if err != nil || prev.Channel != twofold.ChannelSMS || prev.Purpose != r.Purpose || prev.State != twofold.ChallengeSent {
		return ""
	}
	return " " + prev.ID
}

// latest returns the newest challenge of binding if it was made for purpose.
func (s *Service) latest(ctx context.Context, binding string, purpose twofold.ChallengePurpose) (*twofold.Challenge, error) {
	c, err := s.Store.LatestChallenge(ctx, binding)
	if twofold.ErrorCode(err) == twofold.ENOTFOUND {
		return nil, ErrNoCode
	} else if err != nil {
		return nil, fmt.Errorf("phone: latest challenge: %w", err)
	}
	if c.Purpose != purpose {
		return nil, ErrNoCode
	}
	return c, nil
}
