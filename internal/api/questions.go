package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/httpx"
	"github.com/twofold-id/twofold/internal/questions"
	"github.com/twofold-id/twofold/internal/securityinfo"
)

// questionSecurityInfo is the security-questions part of Security info
// (*securityinfo.Service). Deleting a set is the generic delete.
type questionSecurityInfo interface {
	// QuestionsSetup returns the questions offered and how many to answer.
	// EFORBIDDEN when questions are off or not for the member (admins).
	QuestionsSetup(ctx context.Context, p *twofold.Principal) (*securityinfo.QuestionsSetup, error)
	// MyQuestions returns the member's set and its questions, nil when none.
	MyQuestions(ctx context.Context, p *twofold.Principal) (*twofold.Method, []string, error)
	// SaveQuestions registers or replaces the set; problems are field errors
	// named question-N and answer-N.
	SaveQuestions(ctx context.Context, p *twofold.Principal, answers []questions.Answer) (*twofold.Method, error)
}

// errNoQuestions answers when the use cases behind the API cannot do questions.
var errNoQuestions = twofold.Errorf(twofold.EUNAVAILABLE, "Security questions aren't available here.")

func (h *handler) questionInfo() (questionSecurityInfo, error) {
	if q, ok := h.SecurityInfo.(questionSecurityInfo); ok {
		return q, nil
	}
	return nil, errNoQuestions
}

// questionView is one registered question: its text only. No view of this
// API has a field for an answer, so none can ever be written back.
type questionView struct {
	Question string `json:"question"`
}

// questionMethodView is a member's set of security questions.
type questionMethodView struct {
	ID              string         `json:"id"`
	CreatedDateTime string         `json:"createdDateTime"`
	Questions       []questionView `json:"questions"`
}

func newQuestionMethodView(m *twofold.Method, qs []string) questionMethodView {
	v := questionMethodView{ID: m.ID, CreatedDateTime: dateTime(m.CreatedAt), Questions: make([]questionView, len(qs))}
	for i, q := range qs {
		v.Questions[i] = questionView{Question: q}
	}
	return v
}

// offeredQuestionsView is what an organization offers: the questions and how
// many a member answers.
type offeredQuestionsView struct {
	QuestionsToRegister int            `json:"questionsToRegister"`
	Value               []questionView `json:"value"`
}

// listOfferedQuestions lists the questions the member may choose from.
func (h *handler) listOfferedQuestions(w http.ResponseWriter, r *http.Request, p *twofold.Principal) {
	qi, err := h.questionInfo()
	if err != nil {
		h.fail(w, r, err)
		return
	}
	q, err := qi.QuestionsSetup(r.Context(), p)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := offeredQuestionsView{QuestionsToRegister: q.Count, Value: make([]questionView, len(q.Offered))}
	for i, s := range q.Offered {
		out.Value[i] = questionView{Question: s}
	}
	httpx.WriteJSON(w, http.StatusOK, out)
}

// listQuestionMethods lists the member's set, if any: its questions, never
// the answers.
func (h *handler) listQuestionMethods(w http.ResponseWriter, r *http.Request, p *twofold.Principal) {
	qi, err := h.questionInfo()
	if err != nil {
		h.fail(w, r, err)
		return
	}
	m, qs, err := qi.MyQuestions(r.Context(), p)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := collection[questionMethodView]{Value: []questionMethodView{}}
	if m != nil {
		out.Value = append(out.Value, newQuestionMethodView(m, qs))
	}
	httpx.WriteJSON(w, http.StatusOK, out)
}

// questionsInput is the body that registers or replaces a set.
type questionsInput struct {
	Questions []struct {
		Question string `json:"question"`
		Answer   string `json:"answer"`
	} `json:"questions"`
}

// saveQuestionMethod registers the member's set (201) or replaces it (200):
// answering again is how questions change. The answer is the set's questions.
func (h *handler) saveQuestionMethod(w http.ResponseWriter, r *http.Request, p *twofold.Principal) {
	qi, err := h.questionInfo()
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var in questionsInput
	if err := httpx.ReadJSON(w, r, &in); err != nil {
		h.fail(w, r, err)
		return
	}
	if len(in.Questions) > 10 {
		h.fail(w, r, twofold.FieldError("questions", "Send at most 5 questions."))
		return
	}
	answers := make([]questions.Answer, len(in.Questions))
	qs := make([]string, len(in.Questions))
	for i, q := range in.Questions {
		answers[i] = questions.Answer{Question: q.Question, Answer: q.Answer}
		qs[i] = q.Question
	}
	before, _, err := qi.MyQuestions(r.Context(), p)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	m, err := qi.SaveQuestions(r.Context(), p, answers)
	if err != nil {
		h.fail(w, r, jsonQuestionField(err))
		return
	}
	status := http.StatusOK
	if before == nil {
		status = http.StatusCreated
	}
	w.Header().Set("Location", prefix+"/me/authentication/securityQuestionMethods/"+m.ID)
	httpx.WriteJSON(w, status, newQuestionMethodView(m, qs))
}

// deleteQuestionMethod removes the member's set; another kind's ID is not
// found here (the generic DELETE …/methods/{id} removes any kind).
func (h *handler) deleteQuestionMethod(w http.ResponseWriter, r *http.Request, p *twofold.Principal) {
	id, err := pathID(r, "id")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	m, err := h.SecurityInfo.Method(r.Context(), p, id)
	if err == nil && m.Kind != twofold.KindSecurityQuestions {
		err = errNotFound
	}
	if err == nil {
		err = h.SecurityInfo.Delete(r.Context(), p, m.ID)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// jsonQuestionField names the first problem's field as the body does
// ("questions[1].answer" for the form's "answer-2"), keeping its message.
func jsonQuestionField(err error) error {
	var e *twofold.Error
	if !errors.As(err, &e) || e.Code != twofold.EINVALID {
		return err
	}
	field := e.Field
	for _, part := range []string{"question", "answer"} {
		if n, ok := strings.CutPrefix(e.Field, part+"-"); ok {
			if i, convErr := strconv.Atoi(n); convErr == nil {
				field = fmt.Sprintf("questions[%d].%s", i-1, part)
			}
		}
	}
	return &twofold.Error{Code: e.Code, Field: field, Message: e.Message}
}
