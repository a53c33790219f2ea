package testkit

import (
	"testing"
	"time"
)

// The RFC 4226 appendix D and RFC 6238 appendix B (SHA-1) test vectors.
func TestHOTPVectors(t *testing.T) {
	key := []byte("12345678901234567890")
	want := []string{"755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583", "399871", "520489"}
	for i, w := range want {
		if got := HOTP(key, uint64(i), 6); got != w {
			t.Errorf("HOTP(counter %d) = %s, want %s", i, got, w)
		}
	}
}

func TestTOTPVectors(t *testing.T) {
	key := []byte("12345678901234567890")
	for _, tc := range []struct {
		unix int64
		want string
	}{
		{59, "94287082"},
		{1111111109, "07081804"},
		{1111111111, "14050471"},
		{1234567890, "89005924"},
		{2000000000, "69279037"},
		{20000000000, "65353130"},
	} {
		if got := HOTP(key, uint64(Step(time.Unix(tc.unix, 0))), 8); got != tc.want {
			t.Errorf("TOTP at %d = %s, want %s", tc.unix, got, tc.want)
		}
		if got, want := TOTP(key, time.Unix(tc.unix, 0)), tc.want[2:]; got != want {
			t.Errorf("6-digit TOTP at %d = %s, want %s", tc.unix, got, want)
		}
	}
}

func TestWrongCode(t *testing.T) {
	key := []byte("12345678901234567890")
	for i := range 200 {
		at := time.Unix(int64(i)*29, 0)
		w := WrongCode(key, at)
		if len(w) != 6 {
			t.Fatalf("WrongCode = %q, want 6 digits", w)
		}
		for d := -1; d <= 1; d++ {
			if w == TOTP(key, at.Add(time.Duration(d)*Period)) {
				t.Fatalf("WrongCode at %v = %s, a valid code", at, w)
			}
		}
	}
}

func TestClock(t *testing.T) {
	c := NewClock(Start())
	if Start().Unix()%30 != 5 {
		t.Errorf("Start is %d s into its step, want 5", Start().Unix()%30)
	}
	c.Advance(time.Minute)
	if got := c.Now().Sub(Start()); got != time.Minute {
		t.Errorf("after Advance(1m) the clock moved %v", got)
	}
	c.AtLeast(Start()) // never backward
	if got := c.Now().Sub(Start()); got != time.Minute {
		t.Errorf("AtLeast moved the clock back to +%v", got)
	}
}

func TestFreshCodeNeverRepeatsAStep(t *testing.T) {
	k := New(t)
	app := &App{MethodID: "m", Secret: []byte("12345678901234567890")}
	seen := map[int64]bool{}
	for range 5 {
		k.FreshCode(app)
		s := Step(k.Clock.Now())
		if seen[s] {
			t.Fatalf("FreshCode handed out step %d twice", s)
		}
		seen[s] = true
	}
}
