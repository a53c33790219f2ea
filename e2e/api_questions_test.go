package e2e

import (
	"context"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/twofold-id/twofold/internal/password"
	"github.com/twofold-id/twofold/internal/questions"
	"github.com/twofold-id/twofold/internal/store"
)

// Security questions through the JSON API on the real binary: the offered
// list, registering a set, answers never returned, a set replaced, bad
// answers refused, deleting it, and the stored hashes matching the
// normalized answer as password reset will check it.

// questionSet is the API's SecurityQuestionMethod.
type questionSet struct {
	ID              string `json:"id"`
	CreatedDateTime string `json:"createdDateTime"`
	Questions       []struct {
		Question string `json:"question"`
	} `json:"questions"`
}

// questionsBody answers the first offered questions with answers, in order.
func questionsBody(offered []string, answers ...string) map[string]any {
	var qs []map[string]string
	for i, a := range answers {
		qs = append(qs, map[string]string{"question": offered[i], "answer": a})
	}
	return map[string]any{"questions": qs}
}

func TestAPISecurityQuestions(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, postgres bool) {
		s := startServer(t, serverOptions{Postgres: postgres})
		seedOrg(t, s)
		alex := seedMember(t, s, "alex", "Alex Wilber")
		c := newAPIClient(t, s)
		c.registerByInterrupt(t, alex, "")
		auth := bearerToken(alex.token)

		var offered struct {
			QuestionsToRegister int `json:"questionsToRegister"`
			Value               []struct {
				Question string `json:"question"`
			} `json:"value"`
		}
		c.do("GET", "/securityQuestions", nil, auth).want(t, http.StatusOK).decode(t, &offered)
		if offered.QuestionsToRegister != 5 || len(offered.Value) < 20 {
			t.Fatalf("offered %d questions, %d to answer", len(offered.Value), offered.QuestionsToRegister)
		}
		qs := make([]string, len(offered.Value))
		for i, q := range offered.Value {
			qs[i] = q.Question
		}

		// A problem names its place in the body, in words a person understands.
		c.do("POST", "/me/authentication/securityQuestionMethods", questionsBody(qs, "  Paris ", "ab", "Rex the dog", "Maria", "The Cure"), auth).
			apiErr(t, http.StatusBadRequest, "invalid_request", "questions[1].answer")
		c.do("POST", "/me/authentication/securityQuestionMethods", questionsBody(qs, "  Paris ", "PARIS", "Rex the dog", "Maria", "The Cure"), auth).
			apiErr(t, http.StatusBadRequest, "invalid_request", "questions[1].answer")

		var set questionSet
		c.do("POST", "/me/authentication/securityQuestionMethods", questionsBody(qs, "  Paris ", "Porto", "Rex the dog", "Maria", "The Cure"), auth).
			want(t, http.StatusCreated).decode(t, &set)
		if set.ID == "" || len(set.Questions) != 5 || set.Questions[0].Question != qs[0] {
			t.Fatalf("registered %+v", set)
		}
		r := c.do("GET", "/me/authentication/securityQuestionMethods", nil, auth).want(t, http.StatusOK)
		methods := c.do("GET", "/me/authentication/methods", nil, auth).want(t, http.StatusOK)
		for _, body := range []string{string(r.Body), string(methods.Body)} {
			noAnswers(t, "a response", body)
		}
		if !strings.Contains(string(methods.Body), set.ID) {
			t.Errorf("the set is not among the member's methods: %s", methods)
		}

		// The stored hashes match the normalized answer, as a reset checks them:
		// "PARIS" for "  Paris ".
		checkStored(t, s, set.ID, map[string]string{qs[0]: "PARIS", qs[3]: "maria"}, true)
		checkStored(t, s, set.ID, map[string]string{qs[0]: "Lyon", qs[3]: "maria"}, false)

		// Posting again replaces the set whole.
		var again questionSet
		c.do("POST", "/me/authentication/securityQuestionMethods", questionsBody(qs[5:], "Berlin", "Porto", "Rex the dog", "Maria", "The Cure"), auth).
			want(t, http.StatusOK).decode(t, &again)
		if again.ID != set.ID || again.Questions[0].Question != qs[5] {
			t.Fatalf("replaced %+v, want the same set with new questions", again)
		}
		checkStored(t, s, set.ID, map[string]string{qs[0]: "Paris"}, false)
		checkStored(t, s, set.ID, map[string]string{qs[5]: " berlin"}, true)

		c.do("DELETE", "/me/authentication/securityQuestionMethods/"+alex.methodID, nil, auth).apiErr(t, http.StatusNotFound, "not_found", "")
		c.do("DELETE", "/me/authentication/securityQuestionMethods/"+set.ID, nil, auth).want(t, http.StatusNoContent)
		r = c.do("GET", "/me/authentication/securityQuestionMethods", nil, auth).want(t, http.StatusOK)
		if strings.TrimSpace(string(r.Body)) != `{"value":[]}` {
			t.Errorf("after delete: %s", r)
		}

		// Nothing the member answered reached the server's log or the audit log.
		noAnswers(t, "the server log", s.Logs())
		noAnswers(t, "the audit log", cli(t, s, "", "audit", "list", "--org", apiOrg.Domain, "--limit", "100"))
	})
}

// noAnswers fails when text holds an answer these tests type.
func noAnswers(t *testing.T, where, text string) {
	t.Helper()
	for _, a := range []string{"Paris", "PARIS", "Porto", "Rex the dog", "Maria", "The Cure", "Berlin", "Lisbon"} {
		if strings.Contains(text, a) {
			t.Fatalf("%s carries the answer %q:\n%s", where, a, text)
		}
	}
}

// checkStored checks answers against the set's stored hashes on the server's
// own database, with the questions package a password reset uses.
func checkStored(t *testing.T, s *server, methodID string, answers map[string]string, want bool) {
	t.Helper()
	db := s.Database
	if db == "" {
		db = filepath.Join(s.DataDir, "twofold.db")
	}
	st, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatalf("open the server's store: %v", err)
	}
	defer st.Close()
	q := questions.New(st, password.NewHasher(password.DefaultParams(), password.LimitOptions{}))
	ok, err := q.Check(context.Background(), methodID, answers)
	if err != nil || ok != want {
		t.Fatalf("Check = %v, %v; want %v", ok, err, want)
	}
}
