package api

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/questions"
)

const questionsPath = "/api/v1/me/authentication/securityQuestionMethods"

// questionsBody is a POST body answering the first five predefined questions.
func questionsBody(t *testing.T, answers ...string) string {
	t.Helper()
	type qa struct {
		Question string `json:"question"`
		Answer   string `json:"answer"`
	}
	var in struct {
		Questions []qa `json:"questions"`
	}
	for i, a := range answers {
		in.Questions = append(in.Questions, qa{questions.Predefined()[i], a})
	}
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestOfferedSecurityQuestions(t *testing.T) {
	e := newEnv(t)
	r := e.do("GET", "/api/v1/securityQuestions", "", goodToken)
	r.want(t, http.StatusOK)
	o := r.object(t)
	wantKeys(t, "offered", o, "questionsToRegister", "value")
	if o["questionsToRegister"] != float64(5) || len(o["value"].([]any)) != len(questions.Predefined()) {
		t.Fatalf("offered = %s", r.body)
	}
	wantKeys(t, "question", o["value"].([]any)[0], "question")
	e.secinfo.errs["QuestionsSetup"] = twofold.Errorf(twofold.EFORBIDDEN, "Administrators can't use security questions.")
	e.do("GET", "/api/v1/securityQuestions", "", goodToken).apiError(t, http.StatusForbidden, "forbidden")
	e.do("GET", "/api/v1/securityQuestions", "", "").apiError(t, http.StatusUnauthorized, "unauthorized")
}

func TestSaveSecurityQuestions(t *testing.T) {
	e := newEnv(t)
	r := e.do("GET", questionsPath, "", goodToken)
	r.want(t, http.StatusOK)
	if strings.TrimSpace(string(r.body)) != `{"value":[]}` {
		t.Fatalf("list without a set = %s", r.body)
	}

	// Problems name the body's field. The too-short answer is made of letters
	// no request ID (hex) or log word holds, so the log check below can't
	// match it by chance.
	msg, target := e.do("POST", questionsPath, questionsBody(t, "Lisbon", "Qz", "Rex", "Maria", "The Cure"), goodToken).
		apiError(t, http.StatusBadRequest, "invalid_request")
	if msg != "Each answer needs at least 3 characters." || target != "questions[1].answer" {
		t.Fatalf("problem = %q at %q", msg, target)
	}
	_, target = e.do("POST", questionsPath, questionsBody(t, "Lisbon"), goodToken).apiError(t, http.StatusBadRequest, "invalid_request")
	if target != "questions" {
		t.Fatalf("too few questions at %q", target)
	}
	e.do("POST", questionsPath, `{"questions":[{"question":"x","answer":"y","hint":"z"}]}`, goodToken).apiError(t, http.StatusBadRequest, "invalid_request")

	body := questionsBody(t, "  Paris ", "Porto", "Rex the dog", "Maria", "The Cure")
	r = e.do("POST", questionsPath, body, goodToken)
	r.want(t, http.StatusCreated)
	if r.header.Get("Location") != questionsPath+"/q1" {
		t.Errorf("Location = %q", r.header.Get("Location"))
	}
	wantQuestionSet(t, r.object(t))
	r = e.do("POST", questionsPath, body, goodToken)
	r.want(t, http.StatusOK)

	r = e.do("GET", questionsPath, "", goodToken)
	r.want(t, http.StatusOK)
	value, _ := r.object(t)["value"].([]any)
	if len(value) != 1 {
		t.Fatalf("list = %s", r.body)
	}
	wantQuestionSet(t, value[0])

	// No answer is ever written back or logged.
	for _, a := range []string{"Paris", "Porto", "Rex the dog", "Maria", "The Cure", "Qz"} {
		if strings.Contains(string(r.body), a) || strings.Contains(e.logs.String(), a) {
			t.Fatalf("an answer %q came back or was logged:\n%s\n%s", a, r.body, e.logs)
		}
	}

	// Delete: only the set here; an app's ID is not found.
	e.do("DELETE", questionsPath+"/m1", "", goodToken).apiError(t, http.StatusNotFound, "not_found")
	e.do("DELETE", questionsPath+"/q1", "", goodToken).want(t, http.StatusNoContent)
	if c := e.rec.last(); c.name != "Delete" || c.args[0] != "q1" {
		t.Errorf("call = %v", c)
	}
}

// wantQuestionSet checks a set's view: its questions and nothing like an answer.
func wantQuestionSet(t *testing.T, v any) {
	t.Helper()
	wantKeys(t, "set", v, "id", "createdDateTime", "questions")
	qs, _ := v.(map[string]any)["questions"].([]any)
	if len(qs) != 5 {
		t.Fatalf("set = %v", v)
	}
	for i, q := range qs {
		wantKeys(t, "question", q, "question")
		if q.(map[string]any)["question"] != questions.Predefined()[i] {
			t.Errorf("question %d = %v", i, q)
		}
	}
}
