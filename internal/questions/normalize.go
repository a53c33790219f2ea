package questions

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/twofold-id/twofold"
	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
)

// Bounds on an answer, counted in characters after Normalize.
const (
	MinAnswerLength = 3
	MaxAnswerLength = 40
)

// maxRawAnswer bounds what is normalized at all: an answer this long (in
// bytes, before normalizing) can't be one of 40 characters, and normalizing
// it would only cost time.
const maxRawAnswer = 4 * 1024

// Normalize returns the form of an answer that is hashed and compared, so
// that "  Paris ", "PARIS" and "paris" are one answer: Unicode NFKC (so
// full-width letters and digits and ligatures such as "ﬁ" become their plain
// forms), case-folded, then trimmed with every run of white space made one
// space. It is idempotent.
func Normalize(answer string) string {
	s := norm.NFKC.String(answer)
	// A new Caser each time: a Caser keeps state and is not safe to share.
	s = cases.Fold().String(s)
	// Folding can leave text that is not in NFKC any more ("ẞ" folds to "ss",
	// but some folds yield combining sequences), so normalize once more.
	s = norm.NFKC.String(s)
	return strings.Join(strings.Fields(s), " ")
}

// Answer is one question a member chose with the answer they typed.
type Answer struct {
	Question string
	Answer   string
}

// QuestionField and AnswerField name the inputs of the nth question (from 1)
// in validation errors: "question-1", "answer-1".
func QuestionField(n int) string { return fmt.Sprintf("question-%d", n) }

// AnswerField names the nth answer; see QuestionField.
func AnswerField(n int) string { return fmt.Sprintf("answer-%d", n) }

// Validate checks a set of answers under policy p: exactly the policy's
// number of questions, each offered by the organization and chosen once, and
// each answer 3–40 characters after normalizing and different from the other
// answers. It returns nil, or every problem found as EINVALID field errors
// joined with errors.Join (the first is what twofold.ErrorMessage reports),
// so a form can show each one beside its field. No message repeats an answer.
func Validate(p twofold.Policy, answers []Answer) error {
	want := p.Questions.ToRegister
	if len(answers) != want {
		return twofold.FieldError("questions", fmt.Sprintf("Choose %d questions and answer each one.", want))
	}
	var errs []error
	questions := map[string]bool{}
	given := map[string]bool{}
	for i, a := range answers {
		n := i + 1
		switch {
		case strings.TrimSpace(a.Question) == "":
			errs = append(errs, twofold.FieldError(QuestionField(n), fmt.Sprintf("Choose question %d.", n)))
		case !IsOffered(p, a.Question):
			errs = append(errs, twofold.FieldError(QuestionField(n), fmt.Sprintf("Choose question %d from the list.", n)))
		case questions[a.Question]:
			errs = append(errs, twofold.FieldError(QuestionField(n), "You chose this question already. Choose a different one."))
		}
		questions[a.Question] = true
		if err := validateAnswer(n, a.Answer, given); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// validateAnswer checks the nth answer and records it in given.
func validateAnswer(n int, answer string, given map[string]bool) error {
	field := AnswerField(n)
	if len(answer) > maxRawAnswer {
		return twofold.FieldError(field, "Each answer can have at most 40 characters.")
	}
	v := Normalize(answer)
	length := utf8.RuneCountInString(v)
	switch {
	case v == "":
		return twofold.FieldError(field, fmt.Sprintf("Answer question %d.", n))
	case !twofold.PrintableName(v):
		return twofold.FieldError(field, "Answers can have letters, numbers, spaces and punctuation, but no control characters.")
	case length < MinAnswerLength:
		return twofold.FieldError(field, "Each answer needs at least 3 characters.")
	case length > MaxAnswerLength:
		return twofold.FieldError(field, "Each answer can have at most 40 characters.")
	case given[v]:
		return twofold.FieldError(field, "Give a different answer to each question.")
	}
	given[v] = true
	return nil
}
