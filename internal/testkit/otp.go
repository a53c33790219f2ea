package testkit

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/binary"
	"fmt"
	"time"
)

// Period is the RFC 6238 time step every authenticator app uses.
const Period = 30 * time.Second

// HOTP is RFC 4226: HMAC-SHA1 of the big-endian counter, dynamically truncated,
// as a zero-padded decimal of the given number of digits.
func HOTP(key []byte, counter uint64, digits int) string {
	var msg [8]byte
	binary.BigEndian.PutUint64(msg[:], counter)
	mac := hmac.New(sha1.New, key)
	mac.Write(msg[:])
	sum := mac.Sum(nil)
	off := int(sum[19] & 0x0f)
	bin := (uint32(sum[off])&0x7f)<<24 | uint32(sum[off+1])<<16 | uint32(sum[off+2])<<8 | uint32(sum[off+3])
	mod := uint32(1)
	for range digits {
		mod *= 10
	}
	return fmt.Sprintf("%0*d", digits, bin%mod)
}

// Step returns the RFC 6238 counter for t (T0 = 0, X = 30 s).
func Step(t time.Time) int64 { return t.Unix() / int64(Period/time.Second) }

// StepStart returns the first instant of step.
func StepStart(step int64) time.Time {
	return time.Unix(step*int64(Period/time.Second), 0).UTC()
}

// TOTP returns the 6-digit code an authenticator app shows at t.
func TOTP(secret []byte, t time.Time) string { return HOTP(secret, uint64(Step(t)), 6) }

// WrongCode returns a well-formed 6-digit code that is not the code of the step
// at t nor of either neighbour, so it fails however the server's window falls.
func WrongCode(secret []byte, t time.Time) string {
	s := Step(t)
	taken := map[string]bool{}
	for d := int64(-1); d <= 1; d++ {
		taken[HOTP(secret, uint64(s+d), 6)] = true
	}
	for i := 0; ; i++ {
		c := fmt.Sprintf("%06d", (int(s)*7919+i)%1000000)
		if !taken[c] {
			return c
		}
	}
}
