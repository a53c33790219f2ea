package web

import (
	"context"
	"fmt"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/questions"
	"github.com/twofold-id/twofold/internal/securityinfo"
)

// The fake's security questions: a set is a method of kind securityQuestions
// among f.methods ("q1"), and its questions are always the first offered ones.
// Validation is the real one, so the form shows the real problems. A first
// answer of tooManySaves plays the member's hourly budget running out.

const tooManySaves = "Too many saves"

func (f *fakeSecurityInfo) questionSet() *twofold.Method {
	for _, m := range f.methods {
		if m.Kind == twofold.KindSecurityQuestions {
			return m
		}
	}
	return nil
}

func (f *fakeSecurityInfo) QuestionsSetup(_ context.Context, p *twofold.Principal) (*securityinfo.QuestionsSetup, error) {
	if err := f.fresh(p); err != nil {
		return nil, err
	}
	if p.User.Role == twofold.RoleAdmin {
		return nil, twofold.Errorf(twofold.EFORBIDDEN, "Administrators can't use security questions. Add another method, such as an authenticator app.")
	}
	q := &securityinfo.QuestionsSetup{Offered: questions.Offered(p.Org.Policy), Count: p.Org.Policy.Questions.ToRegister,
		Method: f.questionSet()}
	if q.Method != nil {
		q.Registered = q.Offered[:q.Count]
	}
	return q, nil
}

func (f *fakeSecurityInfo) SaveQuestions(ctx context.Context, p *twofold.Principal, answers []questions.Answer) (*twofold.Method, error) {
	if _, err := f.QuestionsSetup(ctx, p); err != nil {
		return nil, err
	}
	if err := questions.Validate(p.Org.Policy, answers); err != nil {
		return nil, err
	}
	if answers[0].Answer == tooManySaves {
		return nil, twofold.Errorf(twofold.ERATELIMIT, "You've changed your security questions many times in the last hour. Try again later.")
	}
	f.record("SaveQuestions %d", len(answers))
	if m := f.questionSet(); m != nil {
		m.ActivatedAt = testNow
		return m, nil
	}
	m := &twofold.Method{ID: "q1", Kind: twofold.KindSecurityQuestions, State: twofold.MethodActive,
		Name: fmt.Sprintf("%d questions", len(answers)), CreatedAt: testNow.Add(-1), ActivatedAt: testNow.Add(-1)}
	f.methods = append(f.methods, m)
	return m, nil
}
