package e2e

import (
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// Email methods through the JSON API on the real binary: an address refused
// with a reason, a code mailed (read from the dev outbox), a wrong code
// refused, the right one saving the email, a second one refused, the address
// changed after the new one is proven, a code used once under 50 parallel
// submissions, the member's mail limit under a burst, and the email deleted.

// emailMethod is the API's emailAuthenticationMethod.
type emailMethod struct {
	ID           string `json:"id"`
	EmailAddress string `json:"emailAddress"`
}

// emailStarted is the answer that mails a code.
type emailStarted struct {
	Verification struct {
		ID              string `json:"id"`
		State           string `json:"state"`
		EmailAddress    string `json:"emailAddress"`
		ExpiresDateTime string `json:"expiresDateTime"`
	} `json:"verification"`
}

var sixDigits = regexp.MustCompile(`\b\d{6}\b`)

// codeMailedTo returns the code in the newest mail to address in the dev
// outbox, failing unless there are at least n mails to it.
func codeMailedTo(t *testing.T, ob *outboxReader, address string, n int) string {
	t.Helper()
	ms := ob.of(address, "email")
	if len(ms) < n {
		t.Fatalf("%d mails to %s in the outbox, want at least %d", len(ms), address, n)
	}
	code := sixDigits.FindString(ms[0].Body)
	if code == "" || !strings.Contains(ms[0].Subject, "verification code") {
		t.Fatalf("the newest mail to %s holds no code: %q %q", address, ms[0].Subject, ms[0].Body)
	}
	return code
}

func TestAPIEmail(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, postgres bool) {
		s := startServer(t, serverOptions{Postgres: postgres})
		seedOrg(t, s)
		alex := seedMember(t, s, "alex", "Alex Wilber")
		c, ob := newAPIClient(t, s), newOutboxReader(t, s)
		c.registerByInterrupt(t, alex, "")
		auth := bearerToken(alex.token)
		const path = "/me/authentication/emailMethods"

		c.do("POST", path, map[string]any{"emailAddress": "alex@localhost"}, auth).apiErr(t, http.StatusBadRequest, "invalid_request", "emailAddress")
		c.do("POST", path, map[string]any{"emailAddress": alex.Username}, auth).apiErr(t, http.StatusBadRequest, "invalid_request", "emailAddress")
		var started emailStarted
		c.do("POST", path, map[string]any{"emailAddress": "Alex.Wilber@Fabrikam.example"}, auth).want(t, http.StatusAccepted).decode(t, &started)
		if started.Verification.ID == "" || started.Verification.EmailAddress != "Alex.Wilber@fabrikam.example" || started.Verification.State != "sent" {
			t.Fatalf("started %+v", started)
		}
		code := codeMailedTo(t, ob, "Alex.Wilber@fabrikam.example", 1)
		verify := path + "/" + started.Verification.ID + "/verify"
		c.do("POST", verify, map[string]any{"code": wrongOf(code)}, auth).apiErr(t, http.StatusBadRequest, "invalid_request", "code")
		var saved emailMethod
		r := c.do("POST", verify, map[string]any{"code": code}, auth).want(t, http.StatusCreated)
		r.decode(t, &saved)
		if saved.EmailAddress != "Alex.Wilber@fabrikam.example" || r.Header.Get("Location") != "/api/v1"+path+"/"+saved.ID {
			t.Fatalf("saved %+v at %q", saved, r.Header.Get("Location"))
		}
		c.do("POST", verify, map[string]any{"code": code}, auth).apiErr(t, http.StatusConflict, "conflict", "-")
		var list struct {
			Value []emailMethod `json:"value"`
		}
		c.do("GET", path, nil, auth).want(t, http.StatusOK).decode(t, &list)
		if len(list.Value) != 1 || list.Value[0] != saved {
			t.Fatalf("list %+v", list)
		}
		c.do("POST", path, map[string]any{"emailAddress": "other@fabrikam.example"}, auth).apiErr(t, http.StatusConflict, "conflict", "-")

		// Change: the old address stays until the new one is proven; the code
		// is used once however many identical submissions race.
		c.do("PATCH", path+"/"+saved.ID, map[string]any{"emailAddress": "alex@tailspin.example"}, auth).want(t, http.StatusAccepted).decode(t, &started)
		c.do("GET", path+"/"+saved.ID, nil, auth).want(t, http.StatusOK).decode(t, &saved)
		if saved.EmailAddress != "Alex.Wilber@fabrikam.example" {
			t.Fatalf("the address changed before the code: %+v", saved)
		}
		code = codeMailedTo(t, ob, "alex@tailspin.example", 1)
		statuses := make([]int, 50)
		var wg sync.WaitGroup
		for i := range statuses {
			wg.Go(func() {
				resp, err := c.try("POST", path+"/"+started.Verification.ID+"/verify", map[string]any{"code": code}, auth)
				if err == nil {
					statuses[i] = resp.Status
				}
			})
		}
		wg.Wait()
		ok := 0
		for _, st := range statuses {
			switch st {
			case http.StatusOK:
				ok++
			case http.StatusConflict, http.StatusGone:
			default:
				t.Errorf("a parallel verify answered %d", st)
			}
		}
		if ok != 1 {
			t.Errorf("%d of 50 identical verifies succeeded, want exactly 1", ok)
		}
		c.do("GET", path+"/"+saved.ID, nil, auth).want(t, http.StatusOK).decode(t, &saved)
		if saved.EmailAddress != "alex@tailspin.example" {
			t.Fatalf("after the change: %+v", saved)
		}

		c.do("DELETE", path+"/"+saved.ID, nil, auth).want(t, http.StatusNoContent)
		c.do("GET", path, nil, auth).want(t, http.StatusOK).decode(t, &list)
		if len(list.Value) != 0 {
			t.Fatalf("after delete: %+v", list)
		}

		// The member's mail limit: 10 per 10-minute window, counted in the
		// database. Of 30 sends at once by a member who has had none, 10 are
		// mailed and the rest refused with a wait (unless the burst straddles
		// two windows, when each window gets its own 10).
		kai := seedMember(t, s, "kai", "Kai Carter")
		c.registerByInterrupt(t, kai, "")
		window := time.Now().UTC().Truncate(10 * time.Minute)
		codes := make([]int, 30)
		var retry string
		var mu sync.Mutex
		for i := range codes {
			wg.Go(func() {
				resp, err := c.try("POST", path, map[string]any{"emailAddress": "kai@burst.example"}, bearerToken(kai.token))
				if err == nil {
					codes[i] = resp.Status
					if resp.Status == http.StatusTooManyRequests {
						mu.Lock()
						retry = resp.Header.Get("Retry-After")
						mu.Unlock()
					}
				}
			})
		}
		wg.Wait()
		straddled := !time.Now().UTC().Truncate(10 * time.Minute).Equal(window)
		mailed := 0
		for _, st := range codes {
			if st == http.StatusAccepted {
				mailed++
			} else if st != http.StatusTooManyRequests {
				t.Errorf("a burst send answered %d", st)
			}
		}
		inOutbox := len(ob.of("kai@burst.example", "email"))
		switch {
		case straddled && mailed <= 20 && inOutbox == mailed:
			t.Logf("the burst straddled two windows: %d mailed", mailed)
		case mailed != 10 || inOutbox != 10 || retry == "":
			t.Errorf("%d of 30 sends mailed (%d in the outbox), Retry-After %q; want 10 and a wait", mailed, inOutbox, retry)
		}
		if strings.Contains(s.Logs(), code) {
			t.Error("the server log carries a mailed code")
		}
	})
}

// wrongOf returns a well-formed code that is not code.
func wrongOf(code string) string {
	if code == "000000" {
		return "000001"
	}
	return "000000"
}
