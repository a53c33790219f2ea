package totp

import (
	"crypto/hmac"
	"crypto/sha1"
	"crypto/subtle"
	"encoding/binary"
	"time"

	"github.com/twofold-id/twofold"
)

// RFC 6238 parameters every authenticator app understands. They are fixed: a
// choice here would only be another way for a member's app to disagree.
const (
	digits = 6
	period = 30 // seconds
	window = 1  // steps accepted either side of the current one
)

// maxCodeInput bounds what NormalizeCode will scan: a code with generous
// spacing is far shorter, and anything longer is not a code.
const maxCodeInput = 64

// errCodeFormat is built per call so no caller can change a shared value.
func errCodeFormat() error {
	return twofold.FieldError("code", "Enter the 6-digit code from your authenticator app.")
}

// NormalizeCode removes spaces and tabs (apps show "123 456") and returns the
// code if exactly 6 ASCII digits remain. Anything else, including long or
// non-UTF-8 input, is an EINVALID error on the "code" field.
func NormalizeCode(code string) (string, error) {
	if len(code) > maxCodeInput {
		return "", errCodeFormat()
	}
	var b [digits]byte
	n := 0
	for i := 0; i < len(code); i++ {
		c := code[i]
		switch {
		case c == ' ' || c == '\t':
		case c >= '0' && c <= '9' && n < digits:
			b[n] = c
			n++
		default:
			return "", errCodeFormat()
		}
	}
	if n != digits {
		return "", errCodeFormat()
	}
	return string(b[:]), nil
}

// stepAt returns the RFC 6238 time step (counter) for t.
func stepAt(t time.Time) int64 { return t.Unix() / period }

// hotp computes the RFC 4226 HOTP value of counter with HMAC-SHA1, as a string
// of n digits (6 for apps; 8 for the RFC test vectors).
func hotp(key []byte, counter uint64, n int) string {
	mac := hmac.New(sha1.New, key)
	var msg [8]byte
	binary.BigEndian.PutUint64(msg[:], counter)
	mac.Write(msg[:])
	sum := mac.Sum(nil)
	off := sum[len(sum)-1] & 0x0f
	v := binary.BigEndian.Uint32(sum[off:off+4]) & 0x7fffffff
	out := make([]byte, n)
	for i := n - 1; i >= 0; i-- {
		out[i] = byte('0' + v%10)
		v /= 10
	}
	return string(out)
}

// matchStep returns the newest step in [now−window, now+window] that is after
// after and whose code equals code, and whether there was one; used reports that
// the code did match a step at or before after (a replay). Every candidate is
// computed and compared in constant time, so the time taken says nothing about
// which step, if any, matched.
func matchStep(key []byte, code string, now time.Time, after int64) (step int64, ok, used bool) {
	cur := stepAt(now)
	for s := max(cur-window, 0); s <= cur+window; s++ {
		eq := subtle.ConstantTimeCompare([]byte(hotp(key, uint64(s), digits)), []byte(code)) == 1
		switch {
		case eq && s > after:
			step, ok = s, true // later steps overwrite earlier ones: newest wins
		case eq:
			used = true
		}
	}
	return step, ok, used && !ok
}
