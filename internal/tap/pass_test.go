package tap

import (
	"strings"
	"testing"
)

// Passes are random and spread over the whole alphabet; typing one in lower
// case or without dashes still names it.
func TestNewPass(t *testing.T) {
	seen := map[string]bool{}
	counts := map[rune]int{}
	for range 2000 {
		p := newPass()
		if seen[p] {
			t.Fatalf("pass %s came twice", p)
		}
		seen[p] = true
		for _, r := range strings.ReplaceAll(p, "-", "") {
			counts[r]++
		}
	}
	if len(counts) != len(alphabet) {
		t.Errorf("%d symbols used, want %d", len(counts), len(alphabet))
	}
	for r, n := range counts {
		// 32000 symbols over 31: about 1032 each.
		if n < 800 || n > 1300 {
			t.Errorf("symbol %c came %d times", r, n)
		}
	}
	p := newPass()
	if got := Normalize(" " + strings.ToLower(strings.ReplaceAll(p, "-", " ")) + " "); got != Normalize(p) || strings.Contains(got, "-") {
		t.Errorf("Normalize(typed) = %q, want %q", got, Normalize(p))
	}
}
