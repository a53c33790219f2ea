package web

import (
	"errors"
	"net/http"
	"strings"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/questions"
)

// questionsPath is the security-questions form, for adding a set and for
// changing it (answering again).
const questionsPath = "/my/security-info/questions"

// questionsView is the security-questions form: one question to choose and
// one answer to type per row.
type questionsView struct {
	Page
	Offered  []string
	Changing bool
	Rows     []questionRow
}

func (questionsView) template() string { return "questions" }

// questionRow is one row of the form, with what the member chose and typed.
// Answers typed are shown again when the form comes back with a problem: the
// member just typed them on this page, and retyping five answers to fix one
// would push people towards shorter, weaker ones.
type questionRow struct {
	N                          int
	QuestionField, AnswerField string
	Question, Answer           string
}

// questionsDoneView says the questions were saved.
type questionsDoneView struct {
	Page
	Changed bool
}

func (questionsDoneView) template() string { return "questions-done" }

func (h *handler) questionsPage(w http.ResponseWriter, r *http.Request, p *twofold.Principal) {
	h.renderQuestions(w, r, p, http.StatusOK, nil, nil)
}

// renderQuestions shows the form; typed is what was posted (nil on a fresh
// page, where a member changing their set sees their questions chosen and
// no answers).
func (h *handler) renderQuestions(w http.ResponseWriter, r *http.Request, p *twofold.Principal, status int, typed []questions.Answer, errs formErrors) {
	q, err := h.SecurityInfo.QuestionsSetup(r.Context(), p)
	if err != nil {
		h.securityFail(w, r, err)
		return
	}
	title := "Set up security questions"
	if q.Method != nil {
		title = "Change your security questions"
	}
	v := questionsView{Page: accountPage(p, title, "security-info"), Offered: q.Offered, Changing: q.Method != nil}
	for i := range q.Count {
		row := questionRow{N: i + 1, QuestionField: questions.QuestionField(i + 1), AnswerField: questions.AnswerField(i + 1)}
		switch {
		case typed != nil && i < len(typed):
			row.Question, row.Answer = typed[i].Question, typed[i].Answer
		case typed == nil && i < len(q.Registered):
			row.Question = q.Registered[i]
		}
		v.Rows = append(v.Rows, row)
	}
	v.Errors = errs
	h.render(w, r, status, v)
}

// questionsSubmit saves the set: every row's question and answer.
func (h *handler) questionsSubmit(w http.ResponseWriter, r *http.Request, p *twofold.Principal) {
	var typed []questions.Answer
	// PostFormValue parses the form; a body too large or malformed leaves
	// PostForm empty, and the use case then says how many questions to answer.
	_ = r.PostFormValue(questions.QuestionField(1))
	for n := 1; n <= maxQuestionRows; n++ {
		q, ok := r.PostForm[questions.QuestionField(n)]
		if !ok {
			break
		}
		typed = append(typed, questions.Answer{Question: first(q), Answer: r.PostFormValue(questions.AnswerField(n))})
	}
	_, err := h.SecurityInfo.SaveQuestions(r.Context(), p, typed)
	switch {
	case err == nil:
		http.Redirect(w, r, questionsPath+"/done", http.StatusSeeOther)
	case hardFailure(err) || twofold.ErrorCode(err) == twofold.EREAUTH || twofold.ErrorCode(err) == twofold.EFORBIDDEN:
		h.securityFail(w, r, err)
	default:
		h.renderQuestions(w, r, p, formStatus(w, err), typed, questionErrors(err))
	}
}

// maxQuestionRows bounds the rows read from a post: a policy asks 3 to 5.
const maxQuestionRows = 5

func first(values []string) string {
	if len(values) == 0 {
		return ""
	}
	return values[0]
}

// questionErrors lists every field problem of err, in order; a problem about
// the rows as a whole (the wrong number of questions) goes to the first
// question, and one about no input at all to the summary only.
func questionErrors(err error) formErrors {
	var out formErrors
	var walk func(error)
	walk = func(err error) {
		if j, ok := err.(interface{ Unwrap() []error }); ok {
			for _, e := range j.Unwrap() {
				walk(e)
			}
			return
		}
		var e *twofold.Error
		if errors.As(err, &e) {
			field := e.Field
			switch {
			case field == "":
				// About no input (too many saves): the summary says it.
			case !strings.HasPrefix(field, "question-") && !strings.HasPrefix(field, "answer-"):
				field = questions.QuestionField(1)
			}
			out = append(out, fieldError{Field: field, Message: e.Message})
		}
	}
	walk(err)
	if len(out) == 0 {
		return errorsFrom(err, "")
	}
	return out
}

func (h *handler) questionsDone(w http.ResponseWriter, r *http.Request, p *twofold.Principal) {
	q, err := h.SecurityInfo.QuestionsSetup(r.Context(), p)
	if err != nil {
		h.securityFail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, questionsDoneView{Page: accountPage(p, "Security questions saved", "security-info"),
		Changed: q.Method != nil && !q.Method.ActivatedAt.Equal(q.Method.CreatedAt)})
}

// ChangePath is where a row's Change link goes: answering the questions
// again for a security-question set, the change form of the method otherwise.
func (securityInfoView) ChangePath(m *twofold.Method) string {
	if m.Kind == twofold.KindSecurityQuestions {
		return questionsPath
	}
	if m.Kind == twofold.KindEmail {
		return emailChangePath(m.ID)
	}
	return "/my/security-info/methods/" + m.ID + "/change"
}
