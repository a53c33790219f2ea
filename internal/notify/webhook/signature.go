package webhook

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strconv"
	"strings"
	"time"
)

// SignatureHeader carries the signature of every request in both directions.
const SignatureHeader = "Twofold-Signature"

// MaxSkew is how far a signature's timestamp may be from the receiver's clock.
// Older requests are refused as replays; newer ones as forged.
const MaxSkew = 5 * time.Minute

// Sign returns the SignatureHeader value for body sent at the time at:
// "t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>".
func Sign(secret []byte, at time.Time, body []byte) string {
	t := strconv.FormatInt(at.Unix(), 10)
	return "t=" + t + ",v1=" + hex.EncodeToString(mac(secret, t, body))
}

// Verify checks header, a SignatureHeader value, against body and the clock now.
// It accepts any of several v1 values, so a sender can sign with an old and a new
// secret while rotating. The error says what was wrong, for logs only.
func Verify(secret []byte, header string, body []byte, now time.Time) error {
	var t string
	var sigs []string
	for part := range strings.SplitSeq(header, ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(part), "=")
		switch k {
		case "t":
			if t != "" {
				return errors.New("webhook: signature has two timestamps")
			}
			t = v
		case "v1":
			sigs = append(sigs, v)
		}
	}
	if t == "" || len(sigs) == 0 {
		return errors.New("webhook: signature header missing or incomplete")
	}
	sec, err := strconv.ParseInt(t, 10, 64)
	if err != nil || sec < 0 || t[0] == '+' {
		return errors.New("webhook: signature timestamp is not unix seconds")
	}
	if skew := now.Sub(time.Unix(sec, 0)); skew > MaxSkew || skew < -MaxSkew {
		return errors.New("webhook: signature timestamp too far from now")
	}
	want := mac(secret, t, body)
	for _, s := range sigs {
		got, err := hex.DecodeString(s)
		if err == nil && hmac.Equal(got, want) {
			return nil
		}
	}
	return errors.New("webhook: signature does not match")
}

// mac signs the timestamp together with the body, so a captured signature cannot
// be moved to another time.
func mac(secret []byte, t string, body []byte) []byte {
	h := hmac.New(sha256.New, secret)
	h.Write([]byte(t))
	h.Write([]byte{'.'})
	h.Write(body)
	return h.Sum(nil)
}
