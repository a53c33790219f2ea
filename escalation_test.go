package twofold

import (
	"slices"
	"testing"
	"time"
)

func TestEscalationLengths(t *testing.T) {
	p := DefaultPolicy()
	m := time.Minute
	want := []time.Duration{m, 2 * m, 4 * m, 8 * m, 16 * m, 32 * m, 64 * m, 128 * m, 256 * m, 512 * m, 1024 * m, 24 * time.Hour}
	if got := p.LockoutLengths(); !slices.Equal(got, want) {
		t.Errorf("LockoutLengths = %v, want %v", got, want)
	}
	h := time.Hour
	if got, want := p.MFABlockLengths(), []time.Duration{h, 2 * h, 4 * h, 8 * h, 16 * h, 24 * h}; !slices.Equal(got, want) {
		t.Errorf("MFABlockLengths = %v, want %v", got, want)
	}
	p.MFABlockDuration = Duration(30 * 24 * h) // longer than a day: every block lasts that long
	if got, want := p.MFABlockLengths(), []time.Duration{30 * 24 * h}; !slices.Equal(got, want) {
		t.Errorf("MFABlockLengths of a 30-day block = %v, want %v", got, want)
	}
}
