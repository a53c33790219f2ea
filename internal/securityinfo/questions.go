package securityinfo

import (
	"context"
	"fmt"
	"time"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/methodkind"
	"github.com/twofold-id/twofold/internal/questions"
)

// QuestionStore saves and reads security-question sets, and counts saves.
type QuestionStore interface {
	SaveSecurityAnswers(ctx context.Context, m *twofold.Method, answers []twofold.SecurityAnswer) error
	SecurityAnswers(ctx context.Context, methodID string) ([]twofold.SecurityAnswer, error)
	// Take reserves one of limit places in a counter's window (see
	// twofold.CounterStore): each save hashes every answer, so a member's
	// saves are counted before the hashing starts.
	Take(ctx context.Context, key string, window time.Time, limit int, expireBefore time.Time) (bool, error)
}

// Each save of a set hashes as many answers as it has with argon2id, in the
// hasher that sign-ins share. QuestionSaves bounds how many saves a member
// may make per QuestionSaveWindow, so one account can't keep the hasher busy.
const (
	QuestionSaves      = 10
	QuestionSaveWindow = time.Hour
)

// errTooManySaves refuses a save past the member's budget.
var errTooManySaves = twofold.Errorf(twofold.ERATELIMIT,
	"You've changed your security questions many times in the last hour. Try again later.")

// Questions are what security questions need: hashing answers
// (internal/questions) and the store of sets.
type Questions struct {
	Answers *questions.Service
	Store   QuestionStore
}

// QuestionsSetup is what the security-questions form offers the member.
type QuestionsSetup struct {
	// Offered are the questions to choose from: the predefined ones, then the
	// organization's own.
	Offered []string
	// Count is how many questions the member answers.
	Count int
	// Method is the member's set when they have one (the form then changes it),
	// nil otherwise; Registered are its questions, in order, never the answers.
	Method     *twofold.Method
	Registered []string
}

// QuestionsSetup returns what the member may choose from to register or change
// their security questions. Returns ErrReauth, or EFORBIDDEN when the policy
// does not allow questions or the member is an admin.
func (s *Service) QuestionsSetup(ctx context.Context, p *twofold.Principal) (*QuestionsSetup, error) {
	methods, err := s.activeMethods(ctx, p)
	if err != nil {
		return nil, err
	}
	if err := canUseQuestions(p); err != nil {
		return nil, err
	}
	pol := p.Org.Policy
	q := &QuestionsSetup{Offered: questions.Offered(pol), Count: pol.Questions.ToRegister, Method: questionSet(methods)}
	if q.Method != nil {
		if q.Registered, err = s.registeredQuestions(ctx, q.Method); err != nil {
			return nil, err
		}
	}
	return q, nil
}

// MyQuestions returns the member's set and its questions (never the answers),
// or nil and no questions when they have none. Returns ErrReauth.
func (s *Service) MyQuestions(ctx context.Context, p *twofold.Principal) (*twofold.Method, []string, error) {
	methods, err := s.activeMethods(ctx, p)
	if err != nil {
		return nil, nil, err
	}
	m := questionSet(methods)
	if m == nil {
		return nil, nil, nil
	}
	qs, err := s.registeredQuestions(ctx, m)
	if err != nil {
		return nil, nil, err
	}
	return m, qs, nil
}

// SaveQuestions registers the member's security questions, or replaces their
// set with a new one (changing is answering again): the questions chosen with
// their answers, as many as the policy asks. The answers are validated (every
// problem reported as a field error, see questions.Validate) and hashed before
// the transaction; the set, its audit event and its notice then commit
// together, all answers or none. A member may save QuestionSaves sets per
// QuestionSaveWindow; the place is taken before hashing, so a burst of saves
// hashes at most that many. Returns ErrReauth, EFORBIDDEN (policy, admin),
// EINVALID or ERATELIMIT.
//
// Questions are never a second factor, so unlike the other kinds this does not
// go through methodkind.Saver: saving them makes no default and proves nothing
// for the session.
func (s *Service) SaveQuestions(ctx context.Context, p *twofold.Principal, answers []questions.Answer) (*twofold.Method, error) {
	methods, err := s.activeMethods(ctx, p)
	if err != nil {
		return nil, err
	}
	if err := canUseQuestions(p); err != nil {
		return nil, err
	}
	// Refused sets cost nothing: validate first, then take a place, then hash.
	if err := questions.Validate(p.Org.Policy, answers); err != nil {
		return nil, err
	}
	now := s.Now().UTC()
	window := now.Truncate(QuestionSaveWindow)
	ok, err := s.Questions.Store.Take(ctx, "questions-save:"+p.User.ID, window, QuestionSaves, window.Add(-QuestionSaveWindow))
	if err != nil {
		return nil, fmt.Errorf("securityinfo: count question saves: %w", err)
	}
	if !ok {
		return nil, errTooManySaves
	}
	set, err := s.Questions.Answers.Prepare(ctx, p.Org.Policy, answers)
	if err != nil {
		return nil, err
	}
	m := &twofold.Method{
		ID: twofold.NewID(), UserID: p.User.ID, Kind: twofold.KindSecurityQuestions, State: twofold.MethodActive,
		Name: fmt.Sprintf("%d questions", len(set)), CreatedAt: now, ActivatedAt: now,
	}
	activity, what := twofold.ActivityRegistered, "Security questions were added to your security info."
	if questionSet(methods) != nil {
		activity, what = twofold.ActivityUpdated, "Your security questions were changed: new questions or answers replace the old ones."
	}
	err = s.Store.InTx(ctx, func(ctx context.Context) error {
		if err := s.Questions.Store.SaveSecurityAnswers(ctx, m, set); err != nil {
			return err
		}
		return s.Audit.SecurityChange(ctx, p, activity, string(twofold.KindSecurityQuestions)+" "+m.ID, what)
	})
	if err != nil {
		return nil, err
	}
	return m, nil
}

// canUseQuestions checks that the member may register security questions:
// the policy allows them and the member is not an admin.
func canUseQuestions(p *twofold.Principal) error {
	if !p.Org.Policy.MethodEnabled(twofold.KindSecurityQuestions) {
		return twofold.Errorf(twofold.EFORBIDDEN, "Your organization doesn't allow security questions.")
	}
	if !methodkind.For(twofold.KindSecurityQuestions, p.User) {
		return twofold.Errorf(twofold.EFORBIDDEN, "Administrators can't use security questions. Add another method, such as an authenticator app.")
	}
	return nil
}

// questionSet returns the member's security-question set among methods, or nil.
func questionSet(methods []*twofold.Method) *twofold.Method {
	for _, m := range methods {
		if m.Kind == twofold.KindSecurityQuestions {
			return m
		}
	}
	return nil
}

func (s *Service) registeredQuestions(ctx context.Context, m *twofold.Method) ([]string, error) {
	set, err := s.Questions.Store.SecurityAnswers(ctx, m.ID)
	if err != nil {
		return nil, fmt.Errorf("securityinfo: read security questions: %w", err)
	}
	qs := make([]string, len(set))
	for i, a := range set {
		qs[i] = a.Question
	}
	return qs, nil
}
