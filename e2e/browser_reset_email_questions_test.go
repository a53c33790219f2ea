package e2e

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Reset with an emailed code and security questions, in real Chromium on both
// databases, one server each: the member registered an email address and five
// questions through the API; the reset (two methods required) mails a code
// to the whole address typed first, then asks three of the questions at
// random, answered as registered but with other capitals and spaces. A wrong
// answer is refused without saying which. Screenshots and axe on every page.
func TestBrowserResetWithEmailAndQuestions(t *testing.T) {
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
			seedOrg(t, s)
			cli(t, s, "", "policy", "set", "--org", apiOrg.Domain, "--reset-methods-required", "2")
			c, ob := newAPIClient(t, s), newOutboxReader(t, s)
			nia := seedMember(t, s, "nia", "Nia Long")
			c.registerByInterrupt(t, nia, "")
			auth := bearerToken(nia.token)

			const address = "nia.long@fabrikam.example"
			var started emailStarted
			c.do("POST", "/me/authentication/emailMethods", map[string]any{"emailAddress": address}, auth).
				want(t, http.StatusAccepted).decode(t, &started)
			c.do("POST", "/me/authentication/emailMethods/"+started.Verification.ID+"/verify",
				map[string]any{"code": codeMailedTo(t, ob, address, 1)}, auth).want(t, http.StatusCreated)

			var offered struct {
				QuestionsToRegister int `json:"questionsToRegister"`
				Value               []struct {
					Question string `json:"question"`
				} `json:"value"`
			}
			c.do("GET", "/securityQuestions", nil, auth).want(t, http.StatusOK).decode(t, &offered)
			qs := make([]string, 5)
			for i := range qs {
				qs[i] = offered.Value[i].Question
			}
			registered := []string{"Lisbon", "Rex the dog", "Blue Moon Cafe", "Marta", "Oak Street"}
			c.do("POST", "/me/authentication/securityQuestionMethods", questionsBody(qs, registered...), auth).
				want(t, http.StatusCreated)
			answerOf := map[string]string{}
			for i, q := range qs {
				// As a person might type it the second time: other capitals,
				// spaces around and doubled inside.
				answerOf[q] = "  " + strings.ToUpper(strings.ReplaceAll(registered[i], " ", "  ")) + " "
			}

			b := newBrowser(t, s.URL)
			b.Review = !v.postgres
			st := &stepTimer{t: t, last: time.Now()}
			b.startResetAs(nia.Username, "")
			st.step("user name and proof of work")
			b.expectText("Verify your identity with two different methods.", "Email a code to ", "Answer my security questions")
			if strings.Contains(b.bodyText(), address) {
				t.Errorf("the method step shows the whole address before it is typed")
			}
			b.page("reset-email-choose")

			// The email: the whole address first.
			b.submit(`form:has(input[name=choice][value$=".emailCode"]) button.option`)
			b.expectText("type the whole address")
			b.page("reset-email-target")
			b.fill("#target", "NIA.LONG@fabrikam.example")
			b.submitText("Email me a code")
			b.expectText("We emailed a 6-digit code to", "Step 1 of 2")
			b.page("reset-email-code")
			st.step("address typed, code mailed")
			b.fill("#code", codeMailedTo(t, ob, address, 2))
			b.submitText("Next")
			b.expectText("One is done: choose the second.")
			st.step("mailed code")

			// The questions: three of the five, a wrong answer first.
			b.submit(`form:has(input[name=choice][value$=".questions"]) button.option`)
			b.expectText("Answer your security questions as you registered them.", "Step 2 of 2")
			asked := make([]string, 3)
			for i := range asked {
				asked[i] = strings.TrimSpace(b.text(`label[for="answer` + strconv.Itoa(i+1) + `"]`))
				if _, ok := answerOf[asked[i]]; !ok {
					t.Fatalf("asked %q, which the member never registered", asked[i])
				}
			}
			if b.has(`#answer4`) {
				t.Errorf("more than the policy's three questions asked")
			}
			b.page("reset-questions")
			for i, q := range asked {
				a := answerOf[q]
				if i == 2 {
					a = "not it"
				}
				b.fill(`#answer`+strconv.Itoa(i+1), a)
			}
			b.submitText("Next")
			b.expectText("One or more of your answers don't match")
			b.page("reset-questions-problem")
			b.expectText("Answer your security questions as you registered them.")
			for i := range 3 {
				q := strings.TrimSpace(b.text(`label[for="answer` + strconv.Itoa(i+1) + `"]`))
				b.fill(`#answer`+strconv.Itoa(i+1), answerOf[q])
			}
			b.submitText("Next")
			b.expectPath("/reset/password")
			st.step("security questions")

			b.fill("#password", "Velvet harbor lantern")
			b.fill("#confirm", "Velvet harbor lantern")
			b.submitText("Reset password")
			b.expectText("Your password was reset. Sign in with your new password.")
			st.step("new password")
			t.Logf("reset steps: %s", strings.Join(st.log, "; "))

			b.signInPassword(member{Username: nia.Username, Password: "Velvet harbor lantern"})
			b.expectPath("/signin/verify")
		})
	}
}
