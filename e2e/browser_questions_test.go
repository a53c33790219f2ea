package e2e

import (
	"fmt"
	"strings"
	"testing"
)

// The member's journey with security questions, in real Chromium against the
// real binary: add a set from Security info (every problem shown at once,
// what was typed kept), see its row, change it by answering again, delete it.
// No answer reaches the server's log.

func TestBrowserQuestions(t *testing.T) {
	for _, v := range []struct {
		name     string
		postgres bool
	}{
		{"sqlite", false},
		{"postgres", true},
	} {
		t.Run(v.name, func(t *testing.T) {
			t.Parallel()
			s := startServer(t, serverOptions{Postgres: v.postgres})
			seed(t, s)
			b := newBrowser(t, s.URL)
			b.Review = !v.postgres
			questionsJourney(t, s, b)
		})
	}
}

// fieldValue returns the value of the form field sel.
func (b *browser) fieldValue(sel string) string {
	b.t.Helper()
	return eval[string](b, fmt.Sprintf(`(() => { const e = document.querySelector(%q); return e ? e.value : "<missing>"; })()`, sel))
}

// answerRows chooses questions[i] and types answers[i] in row i+1.
func (b *browser) answerRows(questions, answers []string) {
	b.t.Helper()
	for i := range answers {
		b.selectOption(fmt.Sprintf("#question-%d", i+1), questions[i])
		b.fill(fmt.Sprintf("#answer-%d", i+1), answers[i])
	}
}

func questionsJourney(t *testing.T, s *server, b *browser) {
	// 1. The interrupt asks for a second factor; questions aren't one, so it
	// doesn't offer them.
	b.open("/signin")
	b.signInPassword(alex)
	b.expectPath("/signin/register…")
	if strings.Contains(b.bodyText(), "Security questions") {
		b.fatalf("the second-factor interrupt offers security questions")
	}
	b.startAppAtInterrupt()
	b.setUpApp("questions-register-app", "")
	b.expectText("You're all set")
	b.submitText("Done")

	// 2. Add security questions from Security info.
	b.open("/my/security-info/add")
	b.choose("kind", "Security questions")
	b.submitText("Add")
	b.expectPath("/my/security-info/questions")
	b.expectText("Set up security questions", "Choose 5 questions and answer each one.")
	if n := b.count("select"); n != 5 {
		t.Fatalf("%d question boxes, want 5", n)
	}
	if got := b.focused(); got != "#question-1" {
		t.Errorf("the form focuses %q, want the first question", got)
	}
	offered := eval[[]string](b, `[...document.querySelectorAll('#question-1 option')].map(o => o.value).filter(v => v)`)
	if len(offered) < 20 {
		t.Fatalf("%d questions offered", len(offered))
	}
	b.page("questions-form")

	// 3. Problems: a short answer, one answer twice, one question twice.
	chosen := []string{offered[0], offered[1], offered[2], offered[0], offered[4]}
	b.answerRows(chosen, []string{"  Paris ", "ab", "PARIS", "Maria", "The Cure"})
	b.submitText("Save")
	b.expectPath("/my/security-info/questions")
	b.expectText("There is a problem", "Each answer needs at least 3 characters.",
		"Give a different answer to each question.", "You chose this question already. Choose a different one.")
	if got := b.focused(); got != "#error-summary" {
		t.Errorf("after problems the page focuses %q, want the error summary", got)
	}
	if b.fieldValue("#answer-1") != "  Paris " || b.fieldValue("#question-4") != offered[0] || b.fieldValue("#answer-5") != "The Cure" {
		t.Errorf("what was chosen and typed was not kept: %q %q %q", b.fieldValue("#answer-1"), b.fieldValue("#question-4"), b.fieldValue("#answer-5"))
	}
	if b.fieldValue("#answer-2") != "ab" || !b.has(`#answer-2[aria-invalid="true"][aria-describedby~="answer-2-error"]`) {
		t.Errorf("the short answer is not marked with its error")
	}
	b.page("questions-problems")

	// 4. Fixed, saved.
	b.selectOption("#question-4", offered[3])
	b.fill("#answer-2", "Rex the dog")
	b.fill("#answer-3", "Lisbon")
	b.submitText("Save")
	b.expectPath("/my/security-info/questions/done")
	b.expectText("Security questions saved", "Your security questions were registered.")
	if got := b.focused(); got != "a Done" {
		t.Errorf("the done page focuses %q, want Done", got)
	}
	b.page("questions-done")
	b.submitText("Done")
	b.expectPath("/my/security-info")
	b.expectText("Security questions", "5 questions")
	b.page("security-info-with-questions")
	b.open("/my/security-info/add")
	if strings.Contains(b.bodyText(), "Security questions") {
		t.Errorf("Add sign-in method still offers security questions with a set registered")
	}

	// 5. Change: the questions are chosen already, the answers are not shown.
	b.open("/my/security-info")
	b.submit(`a[href="/my/security-info/questions"]`)
	b.expectPath("/my/security-info/questions")
	b.expectText("Change your security questions", "Your new answers replace all the old ones.")
	if b.fieldValue("#question-1") != offered[0] || b.fieldValue("#question-4") != offered[3] || b.fieldValue("#answer-1") != "" {
		t.Errorf("the change form shows %q %q %q", b.fieldValue("#question-1"), b.fieldValue("#question-4"), b.fieldValue("#answer-1"))
	}
	b.page("questions-change")
	b.answerRows([]string{offered[5], offered[6], offered[7], offered[8], offered[9]}, []string{"Berlin", "Hamburg", "Biscuit", "Lena", "Blur"})
	b.submitText("Save")
	b.expectText("Your new security questions and answers replace the old ones.")
	b.submitText("Done")

	// 6. Delete: the confirmation speaks of the set and of resetting.
	b.deleteLinkOfRowWithout("Authenticator app")
	b.expectText("Delete this set of security questions?", "You won't be able to use it to reset your password.")
	b.page("questions-delete")
	b.submitText("Yes")
	b.expectPath("/my/security-info")
	if n := b.count("li.method"); n != 1 || strings.Contains(b.text("ul.methods"), "Security questions") {
		t.Errorf("after deleting, security info lists %d methods: %s", n, b.text("ul.methods"))
	}

	for _, a := range []string{"Paris", "PARIS", "Rex the dog", "Lisbon", "Maria", "The Cure", "Berlin", "Hamburg", "Biscuit", "Lena", "Blur"} {
		if strings.Contains(s.Logs(), a) {
			t.Errorf("the server log carries the answer %q", a)
		}
	}
}
