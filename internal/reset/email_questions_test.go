package reset_test

import (
	"strings"
	"testing"
	"time"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/methodkind"
	"github.com/twofold-id/twofold/internal/questions"
	"github.com/twofold-id/twofold/internal/reset"
	"github.com/twofold-id/twofold/internal/testkit"
)

// addEmail stores an active email method for m.
func (e *env) addEmail(t *testing.T, m *testkit.Member, address string) {
	t.Helper()
	now := e.Clock.Now().UTC()
	em := &twofold.Method{ID: twofold.NewID(), UserID: m.User.ID, Kind: twofold.KindEmail, State: twofold.MethodActive,
		Name: "Email", Email: address, CreatedAt: now, ActivatedAt: now}
	if err := e.Store.CreateMethod(e.Ctx, em); err != nil {
		t.Fatalf("add email: %v", err)
	}
}

// addQuestions registers the first five predefined questions for m, each
// answered "answer N".
func (e *env) addQuestions(t *testing.T, m *testkit.Member) map[string]string {
	t.Helper()
	svc := questions.New(e.Store, e.Hasher)
	var answers []questions.Answer
	right := map[string]string{}
	for i, q := range questions.Predefined()[:5] {
		a := "answer number " + string(rune('a'+i))
		answers = append(answers, questions.Answer{Question: q, Answer: a})
		right[q] = strings.ToUpper(a) // answers are compared normalized
	}
	prepared, err := svc.Prepare(e.Ctx, e.org.Policy, answers)
	if err != nil {
		t.Fatalf("prepare answers: %v", err)
	}
	now := e.Clock.Now().UTC()
	qm := &twofold.Method{ID: twofold.NewID(), UserID: m.User.ID, Kind: twofold.KindSecurityQuestions,
		State: twofold.MethodActive, Name: "Security questions", CreatedAt: now, ActivatedAt: now}
	if err := e.Store.SaveSecurityAnswers(e.Ctx, qm, prepared); err != nil {
		t.Fatalf("save answers: %v", err)
	}
	return right
}

// A member resets with a mailed code (the whole address typed first) and
// their security questions (three of five, at random; which one was wrong is
// never told).
func TestResetWithEmailAndQuestions(t *testing.T) {
	for _, backend := range testkit.Backends() {
		t.Run(backend, func(t *testing.T) {
			e := newEnv(t, backend)
			e.org = e.SetPolicy(e.org, func(p *twofold.Policy) {
				p.Reset.MethodsRequired = 2
				p.Reset.Methods = []twofold.MethodKind{twofold.KindEmail, twofold.KindSecurityQuestions, twofold.KindSoftwareOath}
				if !p.MethodEnabled(twofold.KindSecurityQuestions) {
					p.EnabledMethods = append(p.EnabledMethods, twofold.KindSecurityQuestions)
				}
				if !p.MethodEnabled(twofold.KindEmail) {
					p.EnabledMethods = append(p.EnabledMethods, twofold.KindEmail)
				}
			})
			m := e.NewMember(e.org, "ada")
			e.Enrol(m, e.c)
			e.addEmail(t, m, "ada.home@example.net")
			right := e.addQuestions(t, m)
			id := e.start(t, m.Username())
			v := e.attempt(t, id)
			mail := choice(t, v, methodkind.ProofEmailCode)
			if mail.Masked == "" || strings.Contains(mail.Masked, "ada.home") || !mail.NeedsTarget() {
				t.Fatalf("email option %+v", mail)
			}
			_, err := e.svc.Begin(e.Ctx, id, mail.Choice, "someone@example.net", e.c)
			wantCode(t, "wrong address", err, twofold.EINVALID)
			v, err = e.svc.Begin(e.Ctx, id, mail.Choice, " ADA.home@example.net ", e.c)
			if err != nil || v.Step == nil || v.Step.Challenge == nil {
				t.Fatalf("Begin email: %+v, %v", v, err)
			}
			if got := v.Step.Challenge.ExpiresAt.Sub(e.Clock.Now()); got != 5*time.Minute {
				t.Fatalf("mailed code lives %v, want 5m", got)
			}
			if _, err := e.svc.Verify(e.Ctx, id, reset.Answer{Code: e.MailedCode(v.Step.Challenge)}, e.c); err != nil {
				t.Fatalf("Verify email: %v", err)
			}
			qs := choice(t, e.attempt(t, id), methodkind.ProofQuestions)
			v, err = e.svc.Begin(e.Ctx, id, qs.Choice, "", e.c)
			if err != nil {
				t.Fatalf("Begin questions: %v", err)
			}
			asked := v.Step.Questions
			if len(asked) != e.org.Policy.Questions.ToReset {
				t.Fatalf("asked %d questions, want %d", len(asked), e.org.Policy.Questions.ToReset)
			}
			answers := map[string]string{}
			for _, q := range asked {
				answers[q] = right[q]
			}
			answers[asked[0]] = "not it"
			_, err = e.svc.Verify(e.Ctx, id, reset.Answer{Answers: answers}, e.c)
			wantIs(t, "one wrong answer", err, reset.ErrWrongAnswers)
			answers[asked[0]] = right[asked[0]]
			v, err = e.svc.Verify(e.Ctx, id, reset.Answer{Answers: answers}, e.c)
			if err != nil || v.State != twofold.ResetVerified {
				t.Fatalf("after questions: %+v, %v", v, err)
			}
			if err := e.svc.SetPassword(e.Ctx, id, "Correct horse battery", "Correct horse battery", e.c); err != nil {
				t.Fatalf("SetPassword: %v", err)
			}
		})
	}
}

// An admin never gets security questions at reset, even when the policy
// counts them.
func TestAdminNeverQuestions(t *testing.T) {
	e := newEnv(t, testkit.SQLite)
	e.org = e.SetPolicy(e.org, func(p *twofold.Policy) {
		p.Reset.Methods = append(p.Reset.Methods, twofold.KindSecurityQuestions)
		if !p.MethodEnabled(twofold.KindSecurityQuestions) {
			p.EnabledMethods = append(p.EnabledMethods, twofold.KindSecurityQuestions)
		}
	})
	a := e.NewAdmin(e.org, "root")
	e.Enrol(a, e.c)
	e.addQuestions(t, a)
	v := e.attempt(t, e.start(t, a.Username()))
	if v.Eligible {
		t.Fatalf("admin with an app and questions is eligible: %+v", v)
	}
	e.AddPhone(a, twofold.PhoneMobile, "+14255550177")
	v = e.attempt(t, e.start(t, a.Username()))
	for _, o := range v.Options {
		if o.Proof == methodkind.ProofQuestions {
			t.Fatalf("questions offered to an admin: %+v", v.Options)
		}
	}
	if !v.Eligible || v.Required != 2 {
		t.Fatalf("admin view %+v", v)
	}
}
