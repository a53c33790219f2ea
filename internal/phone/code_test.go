package phone_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/phone"
	"github.com/twofold-id/twofold/internal/testkit"
)

func TestCodeWorksOnce(t *testing.T) {
	e := newEnv(t, testkit.Options{})
	ch := e.text("flow:a", testkit.Mobile)
	code := e.k.Code(ch)
	if code != e.k.LastCode(testkit.Mobile) {
		t.Fatal("the newest text to the number is not the challenge's")
	}
	if body := e.k.Message(ch.Ref).Body; !strings.Contains(body, e.org.Name) || !strings.Contains(body, "5 minutes") {
		t.Errorf("text %q, want the organization's name and the lifetime", body)
	}
	stored := e.k.Challenge(ch.ID)
	if len(stored.CodeHash) < 32 || stored.CodeHash == code || !stored.ExpiresAt.Equal(e.k.Clock.Now().Add(5*time.Minute)) {
		t.Errorf("stored challenge %+v: want the code hashed, 5 minutes to live", stored)
	}
	got, err := e.check("flow:a", " "+code[:3]+"-"+code[3:]+" ") // as people type it
	if err != nil || got.ID != ch.ID || got.State != twofold.ChallengeUsed || got.MethodID != ch.MethodID {
		t.Fatalf("right code: %+v, %v; want the challenge, used", got, err)
	}
	wantState(t, e.k, ch.ID, twofold.ChallengeUsed, "")
	if _, err := e.check("flow:a", code); !errors.Is(err, phone.ErrCodeUsed) {
		t.Fatalf("replay: %v, want ErrCodeUsed", err)
	}
}

// Malformed codes were never guesses: refused on the field, not counted.
func TestMalformedCodeNotCounted(t *testing.T) {
	e := newEnv(t, testkit.Options{})
	ch := e.text("flow:a", testkit.Mobile)
	for _, bad := range []string{"", "12345", "1234567", "abcdef", "12 34 5x"} {
		_, err := e.check("flow:a", bad)
		if twofold.ErrorCode(err) != twofold.EINVALID || twofold.ErrorField(err) != "code" {
			t.Errorf("CheckCode(%q): %v, want EINVALID on code", bad, err)
		}
	}
	if n := e.k.Challenge(ch.ID).Attempts; n != 0 {
		t.Errorf("attempts = %d after malformed codes, want 0", n)
	}
	if _, err := e.check("flow:a", e.k.Code(ch)); err != nil {
		t.Fatalf("right code after malformed ones: %v", err)
	}
}

// Fifty identical submissions of the right code at once: exactly one wins.
func TestParallelRightCodesUsedOnce(t *testing.T) {
	for _, backend := range testkit.Backends() {
		t.Run(backend, func(t *testing.T) {
			e := newEnv(t, testkit.Options{Backend: backend})
			code := e.k.Code(e.text("flow:a", testkit.Mobile))
			const racers = 50
			errs := testkit.Simultaneously(racers, func(i int) error {
				_, err := e.check("flow:a", code)
				return err
			})
			won := 0
			for i, err := range errs {
				switch {
				case err == nil:
					won++
				case errors.Is(err, phone.ErrWrongCode):
					t.Errorf("racer %d: the right code answered as a wrong one: %v", i, err)
				case errors.Is(err, phone.ErrCodeUsed), errors.Is(err, phone.ErrTooManyTries):
				default:
					t.Errorf("racer %d: %v", i, err)
				}
			}
			if won != 1 {
				t.Fatalf("%d of %d identical submissions succeeded, want exactly 1", won, racers)
			}
		})
	}
}

// A code dies after five wrong tries; the right code then fails too.
func TestCodeDiesAfterFiveWrong(t *testing.T) {
	e := newEnv(t, testkit.Options{})
	ch := e.text("flow:a", testkit.Mobile)
	code := e.k.Code(ch)
	for i := 1; i <= 4; i++ {
		if _, err := e.check("flow:a", otherCode(code)); !errors.Is(err, phone.ErrWrongCode) {
			t.Fatalf("wrong code %d: %v, want ErrWrongCode", i, err)
		}
	}
	// The 5th wrong code is both: a wrong code (callers count it) that used the
	// text up (what the member is told).
	_, err := e.check("flow:a", otherCode(code))
	if !errors.Is(err, phone.ErrTooManyTries) || !errors.Is(err, phone.ErrWrongCode) ||
		twofold.ErrorCode(err) != twofold.EEXPIRED || twofold.ErrorMessage(err) != twofold.ErrorMessage(phone.ErrTooManyTries) {
		t.Fatalf("5th wrong code: %v, want ErrTooManyTries that is also ErrWrongCode", err)
	}
	wantState(t, e.k, ch.ID, twofold.ChallengeFailed, "That was too many wrong codes.")
	// Later codes were never checked: too many tries, but not wrong codes.
	if _, err := e.check("flow:a", code); !errors.Is(err, phone.ErrTooManyTries) || errors.Is(err, phone.ErrWrongCode) {
		t.Fatalf("right code after 5 wrong: %v, want only ErrTooManyTries", err)
	}
	if fails := e.failures(e.m); len(fails) != 1 || !strings.Contains(fails[0].Reason, "too many wrong codes") {
		t.Errorf("failure events %d, want the dead code audited once", len(fails))
	}
}

func TestCodeRightOnTheFifthTry(t *testing.T) {
	e := newEnv(t, testkit.Options{})
	ch := e.text("flow:a", testkit.Mobile)
	code := e.k.Code(ch)
	for range 4 {
		if _, err := e.check("flow:a", otherCode(code)); !errors.Is(err, phone.ErrWrongCode) {
			t.Fatal(err)
		}
	}
	if _, err := e.check("flow:a", code); err != nil {
		t.Fatalf("right code on the 5th try: %v", err)
	}
}

func TestCodeExpires(t *testing.T) {
	e := newEnv(t, testkit.Options{})
	early := e.text("flow:early", testkit.Mobile)
	late := e.text("flow:late", testkit.Mobile2)
	e.k.Clock.Advance(5*time.Minute - time.Second)
	if _, err := e.check("flow:early", e.k.Code(early)); err != nil {
		t.Fatalf("code after 4:59: %v", err)
	}
	e.k.Clock.Advance(time.Second)
	if _, err := e.check("flow:late", e.k.Code(late)); !errors.Is(err, phone.ErrCodeExpired) {
		t.Fatalf("code after 5:00: %v, want ErrCodeExpired", err)
	}
	wantState(t, e.k, late.ID, twofold.ChallengeFailed, "The code expired.")
	if _, err := e.check("flow:late", e.k.Code(late)); !errors.Is(err, phone.ErrCodeExpired) {
		t.Fatalf("expired code again: %v, want ErrCodeExpired", err)
	}
}

// A code proves only what asked for it: its binding and its purpose.
func TestCodeBoundToItsBinding(t *testing.T) {
	e := newEnv(t, testkit.Options{})
	a := e.text("flow:a", testkit.Mobile)
	b := e.text("flow:b", testkit.Mobile)
	codeA, codeB := e.k.Code(a), e.k.Code(b)
	if codeA == codeB { // one in a million: a new text for b replaces its code
		b = e.text("flow:b", testkit.Mobile)
		if codeB = e.k.Code(b); codeA == codeB {
			t.Fatal("three equal random codes")
		}
	}
	if _, err := e.check("flow:b", codeA); !errors.Is(err, phone.ErrWrongCode) {
		t.Fatalf("A's code on B: %v, want ErrWrongCode", err)
	}
	if _, err := e.check("flow:c", codeA); !errors.Is(err, phone.ErrNoCode) {
		t.Fatalf("A's code on a binding with no text: %v, want ErrNoCode", err)
	}
	if _, err := e.k.Phone.CheckCode(e.k.Ctx, "flow:a", twofold.PurposeReverify, codeA); !errors.Is(err, phone.ErrNoCode) {
		t.Fatalf("A's code for another purpose: %v, want ErrNoCode", err)
	}
	if _, err := e.check("flow:a", codeA); err != nil {
		t.Fatalf("A's code on A: %v", err)
	}
	if _, err := e.check("flow:b", codeB); err != nil {
		t.Fatalf("B's code on B after A's was tried there: %v", err)
	}
}

// Only the newest text of a binding counts: a resend makes the older code fail.
func TestNewerTextReplacesOlder(t *testing.T) {
	e := newEnv(t, testkit.Options{})
	old := e.text("flow:a", testkit.Mobile)
	newer := e.text("flow:a", testkit.Mobile) // at the same instant
	oldCode, newCode := e.k.Code(old), e.k.Code(newer)
	if oldCode == newCode {
		t.Skip("the two random codes are equal (one in a million)")
	}
	if _, err := e.check("flow:a", oldCode); !errors.Is(err, phone.ErrWrongCode) {
		t.Fatalf("older code: %v, want ErrWrongCode", err)
	}
	got, err := e.check("flow:a", newCode)
	if err != nil || got.ID != newer.ID {
		t.Fatalf("newer code: %+v, %v", got, err)
	}
	if s := e.k.Challenge(old.ID).State; s == twofold.ChallengeUsed {
		t.Error("the older text's challenge was used")
	}
}

// A call is not a text: no code proves it.
func TestCodeForACall(t *testing.T) {
	e := newEnv(t, testkit.Options{})
	e.call("flow:a", testkit.Mobile)
	if _, err := e.check("flow:a", "123456"); !errors.Is(err, phone.ErrNoCode) {
		t.Fatalf("code on a call: %v, want ErrNoCode", err)
	}
}
