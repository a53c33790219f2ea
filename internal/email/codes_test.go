package email_test

import (
	"bytes"
	"context"
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/email"
	"github.com/twofold-id/twofold/internal/testkit"
)

// rig is mailed codes over a real store, the dev outbox and a fake clock.
type rig struct {
	k     *testkit.Kit
	codes *email.Codes
	m     *testkit.Member
}

func newRig(t *testing.T, backend string) *rig {
	k := testkit.NewWith(t, testkit.Options{Backend: backend})
	org := k.NewOrg("contoso.com")
	codes := email.New(email.Deps{Store: k.Store, Mail: k.Outbox, Log: k.Log, Now: k.Clock.Now,
		CodeKey: []byte("0123456789abcdef0123456789abcdef")})
	return &rig{k: k, codes: codes, m: k.NewMember(org, "alex")}
}

func (r *rig) request(binding string) email.Request {
	return email.Request{UserID: r.m.User.ID, OrgID: r.m.Org.ID, OrgName: r.m.Org.Name, Binding: binding,
		Purpose: twofold.PurposeRegister, Address: "Alex.Wu@fabrikam.com"}
}

var codeRE = regexp.MustCompile(`\b\d{6}\b`)

// mailOf returns the mail the challenge names as its Ref, and its one code.
func (r *rig) mailOf(t *testing.T, ch *twofold.Challenge) (*twofold.Message, string) {
	t.Helper()
	m := r.k.Message(ch.Ref)
	codes := codeRE.FindAllString(m.Body, -1)
	if len(codes) != 1 {
		t.Fatalf("mail body holds %d codes, want 1: %q", len(codes), m.Body)
	}
	return m, codes[0]
}

func (r *rig) send(t *testing.T, req email.Request) (*twofold.Challenge, string) {
	t.Helper()
	ch, err := r.codes.Send(r.k.Ctx, req)
	if err != nil {
		t.Fatalf("Send: %v", err)
	}
	_, code := r.mailOf(t, ch)
	return ch, code
}

func each(t *testing.T, f func(t *testing.T, r *rig)) {
	for _, b := range testkit.Backends() {
		t.Run(b, func(t *testing.T) { f(t, newRig(t, b)) })
	}
}

func TestSendMailsACodeThatWorksOnce(t *testing.T) {
	each(t, func(t *testing.T, r *rig) {
		ch, err := r.codes.Send(r.k.Ctx, r.request("session:s1"))
		if err != nil {
			t.Fatal(err)
		}
		m, code := r.mailOf(t, ch)
		if m.Channel != twofold.ChannelEmail || m.To != "Alex.Wu@fabrikam.com" || m.UserID != r.m.User.ID {
			t.Errorf("mail = %+v", m)
		}
		for _, want := range []string{"expires in 10 minutes", "If this wasn't you", "add this email address"} {
			if !strings.Contains(m.Body, want) {
				t.Errorf("body lacks %q: %q", want, m.Body)
			}
		}
		if !strings.Contains(m.Subject, "verification code") || strings.Contains(m.Subject, code) {
			t.Errorf("subject = %q", m.Subject)
		}
		if strings.Contains(ch.CodeHash, code) || ch.Email != "Alex.Wu@fabrikam.com" || ch.Channel != twofold.ChannelEmail {
			t.Errorf("challenge = %+v", ch)
		}
		if !ch.ExpiresAt.Equal(r.k.Clock.Now().Add(10 * time.Minute)) {
			t.Errorf("expires %v, want 10 minutes from now", ch.ExpiresAt)
		}
		// Another binding cannot use it.
		if _, err := r.codes.Check(r.k.Ctx, "session:other", code); !errors.Is(err, email.ErrNoCode) {
			t.Errorf("Check on another binding: %v, want ErrNoCode", err)
		}
		got, err := r.codes.Check(r.k.Ctx, "session:s1", code[:3]+" "+code[3:])
		if err != nil {
			t.Fatalf("Check: %v", err)
		}
		if got.ID != ch.ID || got.Purpose != twofold.PurposeRegister || got.Email != ch.Email || got.State != twofold.ChallengeUsed {
			t.Errorf("proven = %+v", got)
		}
		if _, err := r.codes.Check(r.k.Ctx, "session:s1", code); !errors.Is(err, email.ErrCodeUsed) {
			t.Errorf("second Check: %v, want ErrCodeUsed", err)
		}
	})
}

func TestCodeComesFromTheInjectedRandomness(t *testing.T) {
	r := newRig(t, testkit.SQLite)
	r.codes.Rand = bytes.NewReader(make([]byte, 64)) // all zeros
	ch, code := r.send(t, r.request("session:z"))
	if code != "000000" {
		t.Fatalf("code %q, want 000000 from zero randomness", code)
	}
	if _, err := r.codes.Check(r.k.Ctx, "session:z", "000000"); err != nil {
		t.Fatalf("Check: %v (challenge %s)", err, ch.ID)
	}
}

func TestCodeExpires(t *testing.T) {
	each(t, func(t *testing.T, r *rig) {
		_, code := r.send(t, r.request("session:a"))
		r.k.Clock.Advance(10*time.Minute - time.Second)
		_, code2 := r.send(t, r.request("session:b"))
		if _, err := r.codes.Check(r.k.Ctx, "session:a", code); err != nil {
			t.Errorf("Check at 9:59: %v", err)
		}
		r.k.Clock.Advance(10 * time.Minute)
		if _, err := r.codes.Check(r.k.Ctx, "session:b", code2); !errors.Is(err, email.ErrCodeExpired) {
			t.Errorf("Check after 10 minutes: %v, want ErrCodeExpired", err)
		}
		// A reset code lasts what its caller says.
		req := r.request("reset:x")
		req.Purpose, req.TTL = twofold.PurposeReset, 5*time.Minute
		ch, code3 := r.send(t, req)
		if m, _ := r.mailOf(t, ch); !strings.Contains(m.Body, "expires in 5 minutes") || !strings.Contains(m.Body, "reset your password") {
			t.Errorf("reset mail body: %q", m.Body)
		}
		r.k.Clock.Advance(5 * time.Minute)
		if _, err := r.codes.Check(r.k.Ctx, "reset:x", code3); !errors.Is(err, email.ErrCodeExpired) {
			t.Errorf("reset code after 5 minutes: %v, want ErrCodeExpired", err)
		}
	})
}

func wrong(code string) string {
	if code == "111111" {
		return "222222"
	}
	return "111111"
}

func TestCodeDiesAfterFiveWrongTries(t *testing.T) {
	each(t, func(t *testing.T, r *rig) {
		_, code := r.send(t, r.request("session:w"))
		for i := 1; i < email.MaxAttempts; i++ {
			if _, err := r.codes.Check(r.k.Ctx, "session:w", wrong(code)); !errors.Is(err, email.ErrWrongCode) || errors.Is(err, email.ErrTooManyTries) {
				t.Fatalf("wrong code %d: %v, want ErrWrongCode", i, err)
			}
		}
		// A malformed code is not a guess.
		if _, err := r.codes.Check(r.k.Ctx, "session:w", "12ab"); twofold.ErrorField(err) != "code" {
			t.Fatalf("malformed: %v", err)
		}
		_, err := r.codes.Check(r.k.Ctx, "session:w", wrong(code))
		if !errors.Is(err, email.ErrWrongCode) || twofold.ErrorMessage(err) != twofold.ErrorMessage(email.ErrTooManyTries) {
			t.Fatalf("fifth wrong code: %v, want wrong and too many", err)
		}
		if _, err := r.codes.Check(r.k.Ctx, "session:w", code); !errors.Is(err, email.ErrTooManyTries) {
			t.Fatalf("right code after five wrong: %v, want ErrTooManyTries", err)
		}
	})
}

func TestParallelWrongGuessesCompareAtMostFive(t *testing.T) {
	each(t, func(t *testing.T, r *rig) {
		_, code := r.send(t, r.request("session:g"))
		errs := testkit.Simultaneously(60, func(int) error {
			_, err := r.codes.Check(context.Background(), "session:g", wrong(code))
			return err
		})
		wrongs := 0
		for _, err := range errs {
			if errors.Is(err, email.ErrWrongCode) {
				wrongs++
			} else if !errors.Is(err, email.ErrTooManyTries) {
				t.Errorf("guess: %v", err)
			}
		}
		if wrongs != email.MaxAttempts {
			t.Errorf("%d guesses compared, want %d", wrongs, email.MaxAttempts)
		}
		if _, err := r.codes.Check(r.k.Ctx, "session:g", code); !errors.Is(err, email.ErrTooManyTries) {
			t.Errorf("right code after the burst: %v", err)
		}
	})
}

func TestRightCodeIsUsedOnceUnderParallelSubmissions(t *testing.T) {
	each(t, func(t *testing.T, r *rig) {
		_, code := r.send(t, r.request("session:p"))
		errs := testkit.Simultaneously(50, func(int) error {
			_, err := r.codes.Check(context.Background(), "session:p", code)
			return err
		})
		ok := 0
		for _, err := range errs {
			switch {
			case err == nil:
				ok++
			case errors.Is(err, email.ErrCodeUsed), errors.Is(err, email.ErrTooManyTries):
			default:
				t.Errorf("submission: %v", err)
			}
		}
		if ok != 1 {
			t.Errorf("%d of 50 identical submissions succeeded, want exactly 1", ok)
		}
	})
}

func TestOnlyTheNewestCodeCounts(t *testing.T) {
	r := newRig(t, testkit.SQLite)
	_, old := r.send(t, r.request("session:n"))
	r.k.Clock.Advance(time.Second)
	_, code := r.send(t, r.request("session:n"))
	if old != code {
		if _, err := r.codes.Check(r.k.Ctx, "session:n", old); !errors.Is(err, email.ErrWrongCode) {
			t.Errorf("replaced code: %v, want ErrWrongCode", err)
		}
	}
	if _, err := r.codes.Check(r.k.Ctx, "session:n", code); err != nil {
		t.Errorf("newest code: %v", err)
	}
}

func TestTenMailsPerTenMinutesUnderABurst(t *testing.T) {
	each(t, func(t *testing.T, r *rig) {
		errs := testkit.Simultaneously(100, func(i int) error {
			_, err := r.codes.Send(context.Background(), r.request("session:burst"))
			return err
		})
		sent := 0
		var refused error
		for _, err := range errs {
			switch twofold.ErrorCode(err) {
			case "":
				sent++
			case twofold.ERATELIMIT:
				refused = err
			default:
				t.Errorf("send: %v", err)
			}
		}
		if sent != email.MailsPerWindow {
			t.Errorf("%d sends succeeded, want %d", sent, email.MailsPerWindow)
		}
		if n := len(r.k.Sent("Alex.Wu@fabrikam.com", twofold.ChannelEmail)); n != email.MailsPerWindow {
			t.Errorf("%d mails in the outbox, want %d", n, email.MailsPerWindow)
		}
		if twofold.ErrorMessage(refused) != "You've hit our limit on emails. Try again in a few minutes." {
			t.Errorf("refusal: %q", twofold.ErrorMessage(refused))
		}
		var ra interface{ RetryAfter() time.Duration }
		if !errors.As(refused, &ra) || ra.RetryAfter() <= 0 || ra.RetryAfter() > email.MailWindow {
			t.Errorf("refusal carries no wait within the window: %v", refused)
		}
		// Another member is not affected; the member may send again next window.
		other := r.k.NewMember(r.m.Org, "bo")
		req := r.request("session:bo")
		req.UserID = other.User.ID
		if _, err := r.codes.Send(r.k.Ctx, req); err != nil {
			t.Errorf("another member's send: %v", err)
		}
		r.k.Clock.Advance(email.MailWindow)
		if _, err := r.codes.Send(r.k.Ctx, r.request("session:burst")); err != nil {
			t.Errorf("send in the next window: %v", err)
		}
	})
}

// failingSender refuses every mail.
type failingSender struct{}

func (failingSender) Send(context.Context, *twofold.Message) error {
	return errors.New("mail server down")
}

func TestRefusedMailGivesItsPlaceBack(t *testing.T) {
	r := newRig(t, testkit.SQLite)
	r.codes.Mail = failingSender{}
	for range email.MailsPerWindow + 2 {
		if _, err := r.codes.Send(r.k.Ctx, r.request("session:f")); !errors.Is(err, email.ErrUnavailable) {
			t.Fatalf("send to a failing sender: %v, want ErrUnavailable", err)
		}
	}
	if _, err := r.codes.Check(r.k.Ctx, "session:f", "123456"); !errors.Is(err, email.ErrCodeExpired) {
		t.Errorf("code of a mail never sent: %v, want a refusal asking for a new code", err)
	}
	r.codes.Mail = r.k.Outbox
	if _, err := r.codes.Send(r.k.Ctx, r.request("session:f")); err != nil {
		t.Errorf("send once mail works again: %v", err)
	}
}
