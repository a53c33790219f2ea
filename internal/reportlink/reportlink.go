package reportlink

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"strings"
	"time"
)

// TTL is how long a link works after the notice is sent: long enough for a
// member back from a week away, short enough that an old mailbox is no key.
const TTL = 7 * 24 * time.Hour

// Path is where links lead on the service; the token follows it.
const Path = "/report/"

// version starts every signed payload, so a future format can't be confused
// with this one.
const version = 1

// macSize is how much of the HMAC-SHA256 a token keeps: 128 bits can't be
// guessed, and a shorter link fits better in a text.
const macSize = 16

// The ways a token can fail. Callers turn them into a page or a JSON error;
// neither says more than which of the three it was.
var (
	// ErrInvalid is a token that was not made by us: malformed, cut short or
	// changed.
	ErrInvalid = errors.New("reportlink: the link is not valid")
	// ErrExpired is a genuine token past its expiry.
	ErrExpired = errors.New("reportlink: the link has expired")
)

// Claims are what a genuine token says.
type Claims struct {
	UserID    string
	EventID   string
	ExpiresAt time.Time
}

// Signer makes and checks tokens with Key, and links on BaseURL.
type Signer struct {
	// Key signs the tokens; DeriveKey makes it from the service's code key.
	Key []byte
	// BaseURL is the configured address members reach the service at
	// ("https://id.contoso.com"); links never use a request's Host header.
	BaseURL string
	Now     func() time.Time
}

// DeriveKey returns the link key for a service key: an HMAC of a fixed label,
// so the link key and every other key derived from the same secret can't be
// computed from one another.
func DeriveKey(serviceKey []byte) []byte {
	m := hmac.New(sha256.New, serviceKey)
	m.Write([]byte("twofold report link key v1"))
	return m.Sum(nil)
}

// Sign returns a token for the member userID and the audit event eventID,
// expiring TTL from now.
func (s *Signer) Sign(userID, eventID string) string {
	payload := encode(userID, eventID, s.Now().Add(TTL))
	// Hex keeps the link one word of letters and digits: nothing a mail client
	// or a text splits or escapes.
	return hex.EncodeToString(payload) + hex.EncodeToString(s.mac(payload))
}

// URL returns the link for userID and eventID on the configured base URL.
func (s *Signer) URL(userID, eventID string) string {
	return strings.TrimRight(s.BaseURL, "/") + Path + s.Sign(userID, eventID)
}

// Verify checks token and returns its claims: ErrInvalid for anything we did
// not sign, ErrExpired for a genuine token past its expiry.
func (s *Signer) Verify(token string) (Claims, error) {
	raw, err := hex.DecodeString(token)
	if err != nil || len(raw) <= macSize {
		return Claims{}, ErrInvalid
	}
	payload, mac := raw[:len(raw)-macSize], raw[len(raw)-macSize:]
	if !hmac.Equal(mac, s.mac(payload)) {
		return Claims{}, ErrInvalid
	}
	c, ok := decode(payload)
	if !ok {
		return Claims{}, ErrInvalid
	}
	if !s.Now().Before(c.ExpiresAt) {
		return c, ErrExpired
	}
	return c, nil
}

func (s *Signer) mac(payload []byte) []byte {
	m := hmac.New(sha256.New, s.Key)
	m.Write(payload)
	return m.Sum(nil)[:macSize]
}

// encode lays out version, expiry (Unix seconds) and the two IDs, each with
// its length, so no ID can spill into the next field.
func encode(userID, eventID string, expires time.Time) []byte {
	var b bytes.Buffer
	b.WriteByte(version)
	_ = binary.Write(&b, binary.BigEndian, expires.Unix())
	for _, f := range []string{userID, eventID} {
		b.WriteByte(byte(len(f)))
		b.WriteString(f)
	}
	return b.Bytes()
}

func decode(p []byte) (Claims, bool) {
	if len(p) < 9 || p[0] != version {
		return Claims{}, false
	}
	c := Claims{ExpiresAt: time.Unix(int64(binary.BigEndian.Uint64(p[1:9])), 0).UTC()}
	rest := p[9:]
	var fields [2]string
	for i := range fields {
		if len(rest) < 1 || len(rest) < 1+int(rest[0]) {
			return Claims{}, false
		}
		n := int(rest[0])
		fields[i], rest = string(rest[1:1+n]), rest[1+n:]
	}
	if len(rest) != 0 || fields[0] == "" || fields[1] == "" {
		return Claims{}, false
	}
	c.UserID, c.EventID = fields[0], fields[1]
	return c, true
}
