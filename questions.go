package twofold

import "context"

// SecurityAnswer is one registered security question with the hash of its
// answer. The answer itself is never stored: only its argon2id hash, made from
// the normalized answer, so nobody (admins included) can read it back.
type SecurityAnswer struct {
	Question   string
	AnswerHash string
}

// QuestionStore keeps members' security questions.
type QuestionStore interface {
	// SaveSecurityAnswers makes answers, in order, the member m.UserID's one set
	// of security questions, in one transaction: all the answers are saved or
	// none. A member who had a set keeps its method row (its ID and creation
	// time, which m takes) with m's name, and its previous answers are deleted;
	// otherwise m is created as an active securityQuestions method. A unique
	// index decides, so racing saves for one member leave exactly one set.
	// Returns ENOTFOUND if the user does not exist.
	SaveSecurityAnswers(ctx context.Context, m *Method, answers []SecurityAnswer) error
	// SecurityAnswers returns the questions and answer hashes of the
	// securityQuestions method methodID, in the order they were registered.
	// Returns ENOTFOUND when there is no such method.
	SecurityAnswers(ctx context.Context, methodID string) ([]SecurityAnswer, error)
}
