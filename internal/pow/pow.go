package pow

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"math/big"
	"net/url"
	"strconv"
	"time"

	altcha "github.com/altcha-org/altcha-lib-go"

	"github.com/twofold-id/twofold"
)

// Defaults for a zero Service field.
const (
	// DefaultMaxNumber bounds the secret number. A client tries numbers from 0
	// up, so it hashes MaxNumber/2 times on average: with WebCrypto that is
	// about half a second to two seconds on a phone, and nothing a person
	// notices on a computer (see BenchmarkSolve).
	DefaultMaxNumber int64 = 100_000
	// DefaultTTL is how long a challenge may be solved and sent back.
	DefaultTTL = 5 * time.Minute
)

// Field is the form field and JSON property that carries the solution, and
// the field every refusal names.
const Field = "proofOfWork"

// maxPayload bounds what is decoded: a real solution is a few hundred bytes.
const maxPayload = 2048

// Service hands out challenges and checks their solutions.
type Service struct {
	// Key signs challenges; derive it from the service key for this use only.
	Key []byte
	// Now is the clock that dates and expires challenges.
	Now func() time.Time
	// Once records each solved challenge, so it is accepted once.
	Once twofold.OnceStore
	// Rand makes salts and secret numbers; nil means crypto/rand.
	Rand io.Reader
	// MaxNumber is the difficulty; zero means DefaultMaxNumber.
	MaxNumber int64
	// TTL is how long a challenge lives; zero means DefaultTTL.
	TTL time.Duration
}

// Challenge is a puzzle for a client, in ALTCHA's JSON shape: find the
// number n in [0, maxNumber] for which SHA-256(salt + n) is challenge, and
// send it back with the signature.
type Challenge struct {
	Algorithm string `json:"algorithm"`
	Challenge string `json:"challenge"`
	MaxNumber int64  `json:"maxNumber"`
	Salt      string `json:"salt"`
	Signature string `json:"signature"`
}

// Signed parameters carried in the salt. expires is in Unix seconds, as
// ALTCHA clients expect it.
const (
	paramExpires = "expires"
	paramPurpose = "purpose"
)

// Challenge returns a fresh challenge that only Verify with the same purpose
// accepts, until TTL has passed.
func (s *Service) Challenge(purpose string) (Challenge, error) {
	max := s.maxNumber()
	r := s.Rand
	if r == nil {
		r = rand.Reader
	}
	salt := make([]byte, 12)
	if _, err := io.ReadFull(r, salt); err != nil {
		return Challenge{}, fmt.Errorf("pow: salt: %w", err)
	}
	n, err := rand.Int(r, big.NewInt(max+1))
	if err != nil {
		return Challenge{}, fmt.Errorf("pow: number: %w", err)
	}
	number := n.Int64()
	// The library would date the challenge with the wall clock; the expiry
	// goes into the parameters from the injected one instead.
	params := url.Values{}
	params.Set(paramPurpose, purpose)
	params.Set(paramExpires, strconv.FormatInt(s.expiry(s.Now()).Unix(), 10))
	c, err := altcha.CreateChallenge(altcha.ChallengeOptions{
		Algorithm: altcha.SHA256,
		MaxNumber: max,
		HMACKey:   string(s.Key),
		Salt:      hex.EncodeToString(salt),
		Number:    &number,
		Params:    params,
	})
	if err != nil {
		return Challenge{}, fmt.Errorf("pow: challenge: %w", err)
	}
	return Challenge(c), nil
}

// expiry is when a challenge made at now stops being accepted. It is rounded
// up to a whole second, the unit the parameters carry, so a challenge never
// lives shorter than TTL.
func (s *Service) expiry(now time.Time) time.Time {
	ttl := s.TTL
	if ttl <= 0 {
		ttl = DefaultTTL
	}
	t := now.Add(ttl)
	if r := t.Truncate(time.Second); !r.Equal(t) {
		return r.Add(time.Second)
	}
	return t
}

func (s *Service) maxNumber() int64 {
	if s.MaxNumber > 0 {
		return s.MaxNumber
	}
	return DefaultMaxNumber
}

// Refusals, said to the person at the form.
const (
	msgMissing   = "Your browser hasn't finished checking this page yet. Wait for the check to finish, then try again."
	msgInvalid   = "We couldn't confirm your browser's check of this page. Reload the page and try again."
	msgStale     = "Your browser's check of this page has expired. Reload the page and try again."
	msgReused    = "This page's browser check was already used. Reload the page and try again."
	msgWrongPage = "This browser check was made for a different page. Reload this page and try again."
)

// Verify accepts payload, the base64 JSON solution an ALTCHA client sends,
// once, if it solves a challenge this service signed for purpose that has not
// expired. Every refusal is a twofold.FieldError on Field.
func (s *Service) Verify(ctx context.Context, purpose, payload string) error {
	if payload == "" {
		return twofold.FieldError(Field, msgMissing)
	}
	p, ok := decode(payload)
	if !ok {
		return twofold.FieldError(Field, msgInvalid)
	}
	// Checking the signature with expiry off: the library's expiry reads the
	// wall clock, so the expiry is checked below with the injected one.
	good, err := altcha.VerifySolutionSafe(p, string(s.Key), false)
	if err != nil || !good {
		return twofold.FieldError(Field, msgInvalid)
	}
	// The parameters are part of the hashed salt, so they are as the
	// signature's maker set them.
	params := altcha.ExtractParams(p)
	if params.Get(paramPurpose) != purpose {
		return twofold.FieldError(Field, msgWrongPage)
	}
	secs, err := strconv.ParseInt(params.Get(paramExpires), 10, 64)
	if err != nil {
		return twofold.FieldError(Field, msgInvalid)
	}
	expires := time.Unix(secs, 0)
	if !s.Now().Before(expires) {
		return twofold.FieldError(Field, msgStale)
	}
	// One challenge has one signature, however its solution is written, so the
	// signature is the key that makes a solution count once.
	first, err := s.Once.ConsumeOnce(ctx, "pow:"+p.Signature, expires)
	if err != nil {
		return fmt.Errorf("pow: use challenge: %w", err)
	}
	if !first {
		return twofold.FieldError(Field, msgReused)
	}
	return nil
}

// decode parses the base64 JSON payload, refusing anything but a SHA-256
// solution with every part present.
func decode(payload string) (altcha.Payload, bool) {
	var p altcha.Payload
	if len(payload) > maxPayload {
		return p, false
	}
	b, err := base64.StdEncoding.DecodeString(payload)
	if err != nil {
		return p, false
	}
	if err := json.Unmarshal(b, &p); err != nil {
		return p, false
	}
	ok := p.Algorithm == string(altcha.SHA256) && p.Challenge != "" && p.Salt != "" && p.Signature != "" && p.Number >= 0
	return p, ok
}

// DeriveKey returns the challenge-signing key for a service key: an HMAC of a
// fixed label, so the key signs challenges only and reveals nothing of the
// service key.
func DeriveKey(serviceKey []byte) []byte {
	m := hmac.New(sha256.New, serviceKey)
	m.Write([]byte("twofold proof-of-work key v1"))
	return m.Sum(nil)
}
