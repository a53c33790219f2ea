package web

import (
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/questions"
	"github.com/twofold-id/twofold/internal/securityinfo"
)

// questionsForm is a valid post of the default five questions.
func questionsForm(answers ...string) url.Values {
	qs := questions.Predefined()
	v := url.Values{}
	for i := range 5 {
		v.Set(questions.QuestionField(i+1), qs[i])
		v.Set(questions.AnswerField(i+1), answers[i])
	}
	return v
}

func TestAddSecurityQuestions(t *testing.T) {
	e := newEnv(t, false)
	e.info.canAdd = []securityinfo.AddOption{{Kind: twofold.KindSecurityQuestions, Label: "Security questions"}}
	wantRedirect(t, e.do("POST", "/my/security-info/add", url.Values{"kind": {"securityQuestions"}}, member), "/my/security-info/questions")

	w := e.do("GET", "/my/security-info/questions", nil, member)
	wantBody(t, w, http.StatusOK, "Set up security questions", "Choose 5 questions and answer each one.",
		`<select id="question-1" name="question-1" required autofocus>`, `<select id="question-5" name="question-5" required>`,
		`<option value="" selected>Choose a question</option>`, "<option>"+html.EscapeString(questions.Predefined()[24])+"</option>",
		`id="answer-5" name="answer-5" value="" maxlength="200" autocomplete="off"`, `aria-describedby="answers-hint"`,
		`<legend>Question 1</legend>`, `<label for="answer-3">Your answer</label>`)
	if strings.Contains(w.Body.String(), `id="question-6"`) {
		t.Fatal("more rows than the policy's number")
	}
	if len(e.rec.changes()) != 0 {
		t.Fatalf("showing the form changed something: %q", e.rec.changes())
	}

	// Every problem is shown at once beside its field; what was chosen and typed stays.
	bad := questionsForm("ab", "Porto", "  PORTO ", "Maria", "The Cure")
	bad.Set("question-4", questions.Predefined()[0])
	w = e.do("POST", "/my/security-info/questions", bad, member)
	wantBody(t, w, http.StatusBadRequest, `id="error-summary"`,
		`<a href="#answer-1">Each answer needs at least 3 characters.</a>`,
		`<a href="#answer-3">Give a different answer to each question.</a>`,
		`<a href="#question-4">You chose this question already. Choose a different one.</a>`,
		`id="answer-1-error"`, `aria-describedby="answers-hint answer-1-error" aria-invalid="true"`,
		`id="question-4" name="question-4" required aria-invalid="true" aria-describedby="question-4-error"`,
		`value="ab"`, `value="  PORTO "`, `value="The Cure"`,
		"<option selected>"+html.EscapeString(questions.Predefined()[4])+"</option>")
	if n := strings.Count(w.Body.String(), `id="error-summary"`); n != 1 {
		t.Fatalf("%d error summaries, want 1", n)
	}
	if strings.Count(w.Body.String(), "<option selected>"+html.EscapeString(questions.Predefined()[0])+"</option>") != 2 {
		t.Fatal("the repeated question is not kept in both rows")
	}
	// A post with fewer rows than asked says so on the first question.
	short := url.Values{"question-1": {questions.Predefined()[0]}, "answer-1": {"Lisbon"}}
	wantBody(t, e.do("POST", "/my/security-info/questions", short, member), http.StatusBadRequest,
		`<a href="#question-1">Choose 5 questions and answer each one.</a>`, `value="Lisbon"`)

	w = e.do("POST", "/my/security-info/questions", questionsForm("Lisbon", "Porto", "Rex the dog", "Maria", "The Cure"), member)
	wantRedirect(t, w, "/my/security-info/questions/done")
	wantBody(t, e.do("GET", "/my/security-info/questions/done", nil, member), http.StatusOK,
		"Security questions saved", "Your security questions were registered.", `href="/my/security-info" autofocus>Done`)

	// Changing shows the registered questions chosen and no answers.
	w = e.do("GET", "/my/security-info/questions", nil, member)
	wantBody(t, w, http.StatusOK, "Change your security questions", "Your new answers replace all the old ones.",
		"<option selected>"+html.EscapeString(questions.Predefined()[0])+"</option>")
	if strings.Contains(w.Body.String(), "Lisbon") {
		t.Fatal("the change form shows an answer")
	}
	wantRedirect(t, e.do("POST", "/my/security-info/questions", questionsForm("Lisbon", "Porto", "Rex the dog", "Maria", "The Who"), member),
		"/my/security-info/questions/done")
	wantBody(t, e.do("GET", "/my/security-info/questions/done", nil, member), http.StatusOK,
		"Your new security questions and answers replace the old ones.")

	// Nothing the member typed reaches the log.
	for _, a := range []string{"Lisbon", "Porto", "PORTO", "Rex the dog", "The Cure", "The Who"} {
		if strings.Contains(e.logs.String(), a) {
			t.Fatalf("the log carries the answer %q:\n%s", a, e.logs)
		}
	}
}

func TestSecurityQuestionsRefused(t *testing.T) {
	e := newEnv(t, false)
	wantRedirect(t, e.do("GET", "/my/security-info/questions", nil, stale), "/my/verify?next=%2Fmy%2Fsecurity-info%2Fquestions")
	wantRedirect(t, e.do("POST", "/my/security-info/questions", questionsForm("a", "b", "c", "d", "e"), stale),
		"/my/verify?next=%2Fmy%2Fsecurity-info%2Fquestions")
	if len(e.rec.changes()) != 0 {
		t.Fatalf("a stale session changed something: %q", e.rec.changes())
	}
}

func TestChangePath(t *testing.T) {
	v := securityInfoView{}
	if got := v.ChangePath(&twofold.Method{ID: "q1", Kind: twofold.KindSecurityQuestions}); got != "/my/security-info/questions" {
		t.Errorf("questions change at %q", got)
	}
	if got := v.ChangePath(&twofold.Method{ID: "p1", Kind: twofold.KindPhone}); got != "/my/security-info/methods/p1/change" {
		t.Errorf("phone change at %q", got)
	}
}

func TestDeleteSecurityQuestionsAsks(t *testing.T) {
	e := newEnv(t, false)
	e.info.methods = append(e.info.methods, &twofold.Method{ID: "q1", Kind: twofold.KindSecurityQuestions, Name: "5 questions", State: twofold.MethodActive})
	w := e.do("GET", "/my/security-info/methods/q1/delete", nil, member)
	wantBody(t, w, http.StatusOK, "Delete this set of security questions?", "You won't be able to use it to reset your password.")
	if strings.Contains(w.Body.String(), "signing in") {
		t.Fatal("the confirmation says questions work for signing in")
	}
	// A second factor still says what it did.
	wantBody(t, e.do("GET", "/my/security-info/methods/m1/delete", nil, member), http.StatusOK,
		"Delete this authenticator app?", "will no longer work for signing in to your account.")
}

// Too many saves is told in the summary, with the answers kept.
func TestSecurityQuestionsTooManySaves(t *testing.T) {
	e := newEnv(t, false)
	e.info.methods = append(e.info.methods, &twofold.Method{ID: "q1", Kind: twofold.KindSecurityQuestions, Name: "5 questions", State: twofold.MethodActive})
	w := e.do("POST", "/my/security-info/questions", questionsForm(tooManySaves, "Porto", "Rex the dog", "Maria", "The Cure"), member)
	wantBody(t, w, http.StatusTooManyRequests, "<li>You&#39;ve changed your security questions many times in the last hour. Try again later.</li>", `value="Porto"`)
	if w.Header().Get("Retry-After") == "" {
		t.Error("no Retry-After")
	}
}
