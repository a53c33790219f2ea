package admin

import (
	"crypto/rand"
	"fmt"
	"strings"

	"github.com/twofold-id/twofold/internal/password"
)

// tempAlphabet leaves out characters people confuse when reading a password
// aloud or copying it by hand: 0 O o, 1 l I, and 5 S, 2 Z.
const tempAlphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRTUVWXY346789"

// tempGroup is how many characters each group holds; groups are joined by "-".
const tempGroup = 4

// tempMinLength is the shortest temporary password: four groups, 16 random
// characters of 52 (about 91 bits), far beyond guessing within its one use.
const tempMinLength = 16

// TempPassword returns a new temporary password of at least minimum
// characters (and never fewer than 16), in groups like "Xk7p-Rw3m-…", that
// passes password.ValidateFor against names (a random string can, rarely,
// hold a short name; such a draw is thrown away).
func TempPassword(minimum int, names ...string) (string, error) {
	want := max(minimum, tempMinLength)
	// Groups of tempGroup joined by dashes: g groups are g*(tempGroup+1)-1 long.
	groups := (want + 1 + tempGroup) / (tempGroup + 1)
	for range 20 {
		var b strings.Builder
		for g := range groups {
			if g > 0 {
				b.WriteByte('-')
			}
			for range tempGroup {
				b.WriteByte(tempAlphabet[randIndex(len(tempAlphabet))])
			}
		}
		pw := b.String()
		if password.ValidateFor(pw, minimum, names...) == nil {
			return pw, nil
		}
	}
	return "", fmt.Errorf("admin: no acceptable temporary password in 20 draws")
}

// randIndex is a uniform index below n from crypto/rand (rejection sampling,
// so no character is likelier than another).
func randIndex(n int) int {
	limit := 256 - 256%n
	var b [1]byte
	for {
		if _, err := rand.Read(b[:]); err != nil {
			panic("admin: crypto/rand failed: " + err.Error()) // crypto/rand never fails on supported platforms
		}
		if int(b[0]) < limit {
			return int(b[0]) % n
		}
	}
}
