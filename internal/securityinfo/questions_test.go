package securityinfo_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/questions"
	"github.com/twofold-id/twofold/internal/securityinfo"
	"github.com/twofold-id/twofold/internal/testkit"
)

// withQuestions turns security questions on for the member's organization.
func withQuestions(k *testkit.Kit, org *twofold.Organization) {
	k.SetPolicy(org, func(p *twofold.Policy) {
		if !p.MethodEnabled(twofold.KindSecurityQuestions) {
			p.EnabledMethods = append(p.EnabledMethods, twofold.KindSecurityQuestions)
		}
		p.Questions.Custom = []string{"What was the name of our first office?"}
	})
}

// someAnswers answers the first n offered questions with the answers given,
// then with distinct defaults.
func someAnswers(n int, given ...string) []questions.Answer {
	qs := questions.Predefined()
	defaults := []string{"Lisbon", "Porto", "Rex the dog", "Maria", "The Cure"}
	out := make([]questions.Answer, n)
	for i := range out {
		out[i] = questions.Answer{Question: qs[i], Answer: defaults[i]}
		if i < len(given) {
			out[i].Answer = given[i]
		}
	}
	return out
}

func TestRegisterAndChangeQuestions(t *testing.T) {
	for _, backend := range testkit.Backends() {
		t.Run(backend, func(t *testing.T) {
			k := testkit.NewWith(t, testkit.Options{Backend: backend})
			m := newMember(t, k, k.NewOrg("contoso.com"), "ada")
			withQuestions(k, m.Org)
			p := k.Principal(m.token, client)
			before := count(k, m)

			setup, err := k.SecInfo.QuestionsSetup(k.Ctx, p)
			if err != nil {
				t.Fatalf("QuestionsSetup: %v", err)
			}
			if setup.Count != 5 || setup.Method != nil || setup.Offered[len(setup.Offered)-1] != "What was the name of our first office?" {
				t.Fatalf("setup = %d questions, method %v, last offered %q", setup.Count, setup.Method, setup.Offered[len(setup.Offered)-1])
			}
			set, err := k.SecInfo.SaveQuestions(k.Ctx, p, someAnswers(5, "  Paris "))
			if err != nil {
				t.Fatalf("SaveQuestions: %v", err)
			}
			o, err := k.SecInfo.Overview(k.Ctx, k.Principal(m.token, client))
			if err != nil {
				t.Fatalf("Overview: %v", err)
			}
			var row bool
			for _, r := range o.Methods {
				if r.Method.ID == set.ID {
					row = r.Label == "Security questions" && r.Detail == "5 questions" && r.Changeable && r.Deletable
				}
			}
			if !row {
				t.Fatalf("no Security questions row with 5 questions, Change and Delete: %+v", o.Methods)
			}
			for _, a := range o.CanAdd {
				if a.Kind == twofold.KindSecurityQuestions {
					t.Fatal("questions still offered to add after registering a set")
				}
			}
			// Questions are never the default and leave the app as it was.
			if o.Default != twofold.PreferenceOath {
				t.Fatalf("default = %q, want the app's", o.Default)
			}
			after := count(k, m)
			if after.events[twofold.ActivityRegistered] != before.events[twofold.ActivityRegistered]+1 || after.messages != before.messages+1 {
				t.Fatalf("registering: %v events, %d notices; before %v, %d", after.events, after.messages, before.events, before.messages)
			}
			ok, err := k.SecInfo.Questions.Answers.Check(k.Ctx, set.ID, map[string]string{questions.Predefined()[0]: "PARIS", questions.Predefined()[3]: "maria"})
			if err != nil || !ok {
				t.Fatalf("Check with PARIS = %v, %v", ok, err)
			}

			// Changing is answering again: the one set is replaced, audited as an update.
			changed := someAnswers(5, "Berlin")
			changed[4].Question = "What was the name of our first office?"
			again, err := k.SecInfo.SaveQuestions(k.Ctx, p, changed)
			if err != nil {
				t.Fatalf("SaveQuestions again: %v", err)
			}
			if again.ID != set.ID {
				t.Fatalf("changing made a new method %s, want %s kept", again.ID, set.ID)
			}
			_, registered, err := k.SecInfo.MyQuestions(k.Ctx, p)
			if err != nil || len(registered) != 5 || registered[4] != "What was the name of our first office?" {
				t.Fatalf("MyQuestions = %q, %v", registered, err)
			}
			if ok, _ := k.SecInfo.Questions.Answers.Check(k.Ctx, set.ID, map[string]string{questions.Predefined()[0]: "Paris"}); ok {
				t.Fatal("the old answer still works after changing")
			}
			if ok, _ := k.SecInfo.Questions.Answers.Check(k.Ctx, set.ID, map[string]string{questions.Predefined()[0]: "berlin"}); !ok {
				t.Fatal("the new answer does not work")
			}
			if n := len(k.Events(m.User.ID, twofold.ActivityUpdated)); n != 1 {
				t.Fatalf("%d update events, want 1", n)
			}

			// Nobody can read the answers back: not the audit log, the notices, nor
			// the stored rows.
			for _, e := range k.Events(m.User.ID, "") {
				assertNoAnswer(t, "audit event "+e.Activity, e.Reason+" "+e.Activity)
			}
			for _, msg := range k.Messages(m.Member) {
				assertNoAnswer(t, "notice", msg.Subject+" "+msg.Body)
			}
			rows, err := k.DB().QueryContext(k.Ctx, `SELECT question || ' ' || answer_hash FROM security_answers`)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			for rows.Next() {
				var s string
				if err := rows.Scan(&s); err != nil {
					t.Fatal(err)
				}
				assertNoAnswer(t, "stored row", s)
			}

			// Delete goes through the seam like any method.
			if err := k.SecInfo.Delete(k.Ctx, p, set.ID); err != nil {
				t.Fatalf("Delete: %v", err)
			}
			if _, err := k.SecInfo.Questions.Answers.Check(k.Ctx, set.ID, map[string]string{questions.Predefined()[0]: "berlin"}); twofold.ErrorCode(err) != twofold.ENOTFOUND {
				t.Fatalf("Check after delete = %v, want ENOTFOUND", err)
			}
		})
	}
}

// assertNoAnswer fails when s holds any answer the tests type.
func assertNoAnswer(t *testing.T, what, s string) {
	t.Helper()
	for _, a := range []string{"paris", "lisbon", "porto", "rex the dog", "maria", "the cure", "berlin"} {
		if strings.Contains(strings.ToLower(s), a) {
			t.Fatalf("%s carries the answer %q: %q", what, a, s)
		}
	}
}

func TestSaveQuestionsRefusals(t *testing.T) {
	k, m := setup(t)
	k.SetPolicy(m.Org, func(p *twofold.Policy) {
		p.EnabledMethods = []twofold.MethodKind{twofold.KindSoftwareOath, twofold.KindPhone}
	})
	p := k.Principal(m.token, client)
	_, err := k.SecInfo.SaveQuestions(k.Ctx, p, someAnswers(5))
	wantCode(t, "SaveQuestions with questions off", err, twofold.EFORBIDDEN)
	if o, _ := k.SecInfo.Overview(k.Ctx, p); len(o.CanAdd) != 2 || o.CanAdd[1].Kind != twofold.KindPhone {
		t.Fatalf("with questions off, Overview offers %v, want an app and a phone", o.CanAdd)
	}
	withQuestions(k, m.Org)
	p = k.Principal(m.token, client)

	// Every problem is reported at once, each against its field, and nothing is saved.
	bad := someAnswers(5, "ab", "Porto")
	bad[1].Answer = "  PORTO  "
	bad[2].Answer = "porto"
	bad[3].Question = bad[0].Question
	_, err = k.SecInfo.SaveQuestions(k.Ctx, p, bad)
	wantCode(t, "SaveQuestions with problems", err, twofold.EINVALID)
	var fields []string
	for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
		var fe *twofold.Error
		if errors.As(e, &fe) {
			fields = append(fields, fe.Field+": "+fe.Message)
		}
	}
	want := []string{
		"answer-1: Each answer needs at least 3 characters.",
		"answer-3: Give a different answer to each question.",
		"question-4: You chose this question already. Choose a different one.",
	}
	if strings.Join(fields, "|") != strings.Join(want, "|") {
		t.Fatalf("problems = %q, want %q", fields, want)
	}
	if _, set, _ := k.SecInfo.MyQuestions(k.Ctx, p); set != nil {
		t.Fatalf("a refused set was saved: %q", set)
	}
	if n := len(k.Events(m.User.ID, twofold.ActivityRegistered)); n != 1 { // the app only
		t.Fatalf("%d registered events, want only the app's", n)
	}

	// A stale second factor needs re-verifying first.
	k.Clock.Advance(11 * time.Minute)
	_, err = k.SecInfo.SaveQuestions(k.Ctx, k.Principal(m.token, client), someAnswers(5))
	wantCode(t, "SaveQuestions with a stale second factor", err, twofold.EREAUTH)
}

func TestAdminsCannotUseQuestions(t *testing.T) {
	k := testkit.New(t)
	org := k.NewOrg("contoso.com")
	withQuestions(k, org)
	a := k.NewAdmin(org, "root")
	_, r := k.Enrol(a, client)
	p := k.Principal(r.SessionToken, client)
	o, err := k.SecInfo.Overview(k.Ctx, p)
	if err != nil {
		t.Fatalf("Overview: %v", err)
	}
	for _, add := range o.CanAdd {
		if add.Kind == twofold.KindSecurityQuestions {
			t.Fatal("security questions offered to an admin")
		}
	}
	_, err = k.SecInfo.QuestionsSetup(k.Ctx, p)
	wantCode(t, "QuestionsSetup as admin", err, twofold.EFORBIDDEN)
	_, err = k.SecInfo.SaveQuestions(k.Ctx, p, someAnswers(5))
	wantCode(t, "SaveQuestions as admin", err, twofold.EFORBIDDEN)
}

// Questions prove nothing for a session: a member without a second factor
// (the organization doesn't require one) who registers questions gets no
// default and no second-factor proof.
func TestQuestionsAreNotASecondFactor(t *testing.T) {
	k := testkit.New(t)
	org := k.NewOrg("contoso.com")
	withQuestions(k, org)
	k.SetPolicy(org, func(p *twofold.Policy) { p.MFARequired = false; p.MinPasswordLength = 8 })
	m := k.NewMember(org, "ada")
	token := k.IssueSession(m, "", client)
	if _, err := k.SecInfo.SaveQuestions(k.Ctx, k.Principal(token, client), someAnswers(5)); err != nil {
		t.Fatalf("SaveQuestions: %v", err)
	}
	p := k.Principal(token, client)
	if !p.Session.MFAAt.IsZero() || p.Session.MFAMethod != "" {
		t.Fatalf("session got a second-factor proof from questions: %v %q", p.Session.MFAAt, p.Session.MFAMethod)
	}
	if u := k.User(m.User.ID); u.PreferredMethod != twofold.PreferenceNone {
		t.Fatalf("default = %q, want none", u.PreferredMethod)
	}
}

// A burst of saves by one member is held to the hourly budget, taken before
// any answer is hashed: of 50 at once, exactly securityinfo.QuestionSaves
// are saved (each audited), the rest are refused as too many; the next hour
// allows saves again.
func TestQuestionSavesAreBudgeted(t *testing.T) {
	for _, backend := range testkit.Backends() {
		t.Run(backend, func(t *testing.T) {
			k := testkit.NewWith(t, testkit.Options{Backend: backend})
			m := newMember(t, k, k.NewOrg("contoso.com"), "ada")
			const burst = 50
			principals := make([]*twofold.Principal, burst)
			for i := range principals {
				principals[i] = k.Principal(m.token, client)
			}
			errs := testkit.Simultaneously(burst, func(i int) error {
				_, err := k.SecInfo.SaveQuestions(k.Ctx, principals[i], someAnswers(5))
				return err
			})
			saved := 0
			for _, err := range errs {
				switch twofold.ErrorCode(err) {
				case "":
					saved++
				case twofold.ERATELIMIT:
				default:
					t.Fatalf("SaveQuestions in a burst: %v", err)
				}
			}
			if saved != securityinfo.QuestionSaves {
				t.Fatalf("%d of %d saves went through, want %d", saved, burst, securityinfo.QuestionSaves)
			}
			changes := len(k.Events(m.User.ID, twofold.ActivityUpdated)) + len(k.Events(m.User.ID, twofold.ActivityRegistered)) - 1 // the app
			if changes != securityinfo.QuestionSaves {
				t.Fatalf("%d changes audited, want %d", changes, securityinfo.QuestionSaves)
			}
			// A refused set doesn't use the budget, and the next hour has a new one.
			k.Clock.Advance(securityinfo.QuestionSaveWindow)
			token := k.IssueSession(m.Member, m.app.MethodID, client)
			if _, err := k.SecInfo.SaveQuestions(k.Ctx, k.Principal(token, client), someAnswers(5)); err != nil {
				t.Fatalf("SaveQuestions the next hour: %v", err)
			}
		})
	}
}
