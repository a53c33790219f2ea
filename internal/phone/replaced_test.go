package phone_test

import (
	"errors"
	"testing"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/phone"
	"github.com/twofold-id/twofold/internal/testkit"
)

// After "Resend code", the code of the replaced text is told apart from a wrong
// code (it still counts as one), and the newest text's code works.
func TestCodeFromReplacedText(t *testing.T) {
	for _, backend := range testkit.Backends() {
		t.Run(backend, func(t *testing.T) {
			e := newEnv(t, testkit.Options{Backend: backend})
			old := e.text("flow:a", testkit.Mobile)
			ch := e.text("flow:a", testkit.Mobile)
			for e.k.Code(ch) == e.k.Code(old) { // one in a million: the same six digits
				ch = e.text("flow:a", testkit.Mobile)
			}
			_, err := e.check("flow:a", e.k.Code(old))
			want := "That code was replaced by a newer one. Enter the code from the latest text."
			if twofold.ErrorMessage(err) != want || twofold.ErrorField(err) != "code" || !errors.Is(err, phone.ErrWrongCode) {
				t.Fatalf("the replaced text's code: %v; want %q on code, counted as a wrong code", err, want)
			}
			if n := e.k.Challenge(ch.ID).Attempts; n != 1 {
				t.Errorf("attempts on the newest text = %d, want 1", n)
			}
			if _, err := e.check("flow:a", otherCode(e.k.Code(ch))); twofold.ErrorMessage(err) != twofold.ErrorMessage(phone.ErrWrongCode) {
				t.Errorf("a wrong code: %v, want the plain wrong-code sentence", err)
			}
			if _, err := e.check("flow:a", e.k.Code(ch)); err != nil {
				t.Fatalf("the newest text's code: %v", err)
			}
		})
	}
}
