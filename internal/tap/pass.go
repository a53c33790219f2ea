package tap

import (
	"crypto/rand"
	"strings"
)

// alphabet is what a pass is made of: capitals and digits without the ones
// people confuse when reading a pass aloud or copying it (0/O, 1/I/L). 32
// symbols give 5 bits each.
const alphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"

// groups and groupLen shape a pass as ABCD-EFGH-JKMN-PQRS: 16 symbols, about
// 79 bits, enough that a fast hash at rest cannot be searched within a pass's
// life, and short enough to read over the phone.
const (
	groups   = 4
	groupLen = 4
)

// newPass returns a random pass.
func newPass() string {
	var b strings.Builder
	buf := make([]byte, groups*groupLen)
	_, _ = rand.Read(buf) // crypto/rand.Read never fails (Go ≥1.24)
	for i, c := range buf {
		if i > 0 && i%groupLen == 0 {
			b.WriteByte('-')
		}
		b.WriteByte(alphabet[uniform(c)])
	}
	return b.String()
}

// uniform maps a random byte to an index of alphabet without bias, drawing
// fresh bytes while the byte falls in the uneven tail.
func uniform(c byte) int {
	n := len(alphabet)
	limit := 256 - 256%n
	for int(c) >= limit {
		var one [1]byte
		_, _ = rand.Read(one[:])
		c = one[0]
	}
	return int(c) % n
}

// Normalize turns what a member typed into the form a pass is hashed in:
// capitals, without the dashes and spaces people add or drop while copying.
func Normalize(typed string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '-' || r == ' ' || r == '\t':
			return -1
		case r >= 'a' && r <= 'z':
			return r - 'a' + 'A'
		}
		return r
	}, typed)
}
