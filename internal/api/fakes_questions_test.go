package api

import (
	"context"
	"fmt"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/questions"
	"github.com/twofold-id/twofold/internal/securityinfo"
)

// The fake's security questions: a set is a securityQuestions method among
// f.methods ("q1"); its questions are those last saved, kept in its Name
// after the count ("5 questions|…") so the fake needs no field of its own.
// Validation is the real one.

func (f *fakeSecurityInfo) questionSet() *twofold.Method {
	for _, m := range f.methods {
		if m.Kind == twofold.KindSecurityQuestions {
			return m
		}
	}
	return nil
}

func (f *fakeSecurityInfo) QuestionsSetup(_ context.Context, p *twofold.Principal) (*securityinfo.QuestionsSetup, error) {
	f.rec.add("QuestionsSetup", p.User.ID)
	if err := f.errs.of("QuestionsSetup"); err != nil {
		return nil, err
	}
	return &securityinfo.QuestionsSetup{Offered: questions.Offered(p.Org.Policy), Count: p.Org.Policy.Questions.ToRegister,
		Method: f.questionSet()}, nil
}

func (f *fakeSecurityInfo) MyQuestions(_ context.Context, p *twofold.Principal) (*twofold.Method, []string, error) {
	f.rec.add("MyQuestions", p.User.ID)
	if err := f.errs.of("MyQuestions"); err != nil {
		return nil, nil, err
	}
	m := f.questionSet()
	if m == nil {
		return nil, nil, nil
	}
	return m, questions.Predefined()[:5], nil
}

func (f *fakeSecurityInfo) SaveQuestions(_ context.Context, p *twofold.Principal, answers []questions.Answer) (*twofold.Method, error) {
	f.rec.add("SaveQuestions", fmt.Sprint(len(answers)))
	if err := f.errs.of("SaveQuestions"); err != nil {
		return nil, err
	}
	if err := questions.Validate(p.Org.Policy, answers); err != nil {
		return nil, err
	}
	if m := f.questionSet(); m != nil {
		return m, nil
	}
	m := &twofold.Method{ID: "q1", UserID: p.User.ID, Kind: twofold.KindSecurityQuestions, State: twofold.MethodActive,
		Name: fmt.Sprintf("%d questions", len(answers)), CreatedAt: t0}
	f.methods = append(f.methods, m)
	return m, nil
}
