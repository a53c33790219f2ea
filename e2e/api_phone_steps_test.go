package e2e

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The steps of the phone tests: a native client adding a
// phone with docs/openapi.yaml's phoneMethods calls, and signing in with a
// text or a call, while the test reads texts and answers calls as the
// member, through the dev outbox or a provider's fake.

// phoneVerification is PhoneVerification.
type phoneVerification struct {
	ID               string `json:"id"`
	Channel          string `json:"channel"`
	State            string `json:"state"`
	Reason           string `json:"reason,omitempty"`
	PhoneNumber      string `json:"phoneNumber"`
	ExtensionRemoved string `json:"extensionRemoved,omitempty"`
	ExpiresDateTime  string `json:"expiresDateTime"`
}

// phoneMethod is PhoneMethod.
type phoneMethod struct {
	ID             string `json:"id"`
	PhoneNumber    string `json:"phoneNumber"`
	PhoneType      string `json:"phoneType"`
	SMSSignInState string `json:"smsSignInState"`
}

const phonePath = "/me/authentication/phoneMethods"

// startPhone posts a new phone (method POST) or a phone's new number (PATCH
// of phonePath/id) and returns the 202's verification.
func (c *apiClient) startPhone(t *testing.T, token, method, path string, body map[string]string) phoneVerification {
	t.Helper()
	r := c.do(method, path, body, bearerToken(token)).want(t, http.StatusAccepted)
	var v struct {
		Verification phoneVerification `json:"verification"`
	}
	r.decode(t, &v)
	if loc, want := r.Header.Get("Location"), apiPrefix+phonePath+"/verifications/"+v.Verification.ID; v.Verification.ID == "" || loc != want {
		t.Errorf("%s: Location %q, want %q", r, loc, want)
	}
	if exp, err := time.Parse(time.RFC3339, v.Verification.ExpiresDateTime); err != nil || !exp.After(time.Now()) {
		t.Errorf("%s: expiresDateTime is not a future RFC 3339 time (%v)", r, err)
	}
	if v.Verification.State != "sent" || v.Verification.Channel != body["verificationMethod"] {
		t.Errorf("%s: want state sent on channel %s", r, body["verificationMethod"])
	}
	return v.Verification
}

// verification reads a verification's state.
func (c *apiClient) verification(t *testing.T, token, id string) phoneVerification {
	t.Helper()
	var v phoneVerification
	c.do("GET", phonePath+"/verifications/"+id, nil, bearerToken(token)).want(t, http.StatusOK).decode(t, &v)
	if v.ExtensionRemoved != "" {
		t.Errorf("GET verification %s shows extensionRemoved; the contract has it only in the 202", id)
	}
	return v
}

// completePhone finishes a verification ({"code"} for a text, {} for a call)
// and wants status (201 added, 200 changed).
func (c *apiClient) completePhone(t *testing.T, token, id, code string, status int) phoneMethod {
	t.Helper()
	body := map[string]string{}
	if code != "" {
		body["code"] = code
	}
	r := c.do("POST", phonePath+"/verifications/"+id+"/complete", body, bearerToken(token)).want(t, status)
	var m phoneMethod
	r.decode(t, &m)
	if m.ID == "" || m.SMSSignInState != "notSupported" {
		t.Errorf("%s: want an id and smsSignInState notSupported", r)
	}
	if loc := r.Header.Get("Location"); status == http.StatusCreated && loc != apiPrefix+phonePath+"/"+m.ID {
		t.Errorf("%s: Location %q, want the new phone's address", r, loc)
	}
	return m
}

// addMobileByText adds a mobile phone, reading the code from read (the outbox,
// or a provider's fake), and returns it.
func (c *apiClient) addMobileByText(t *testing.T, token, number string, read func(e164 string) string) phoneMethod {
	t.Helper()
	v := c.startPhone(t, token, "POST", phonePath, map[string]string{
		"phoneNumber": number, "phoneType": "mobile", "verificationMethod": "sms"})
	return c.completePhone(t, token, v.ID, read(e164(number)), http.StatusCreated)
}

// setPreferred sets the default sign-in method.
func (c *apiClient) setPreferred(t *testing.T, token, pref string) {
	t.Helper()
	var p signInPrefs
	c.do("PATCH", "/me/authentication/signInPreferences", map[string]string{"userPreferredMethodForSecondaryAuthentication": pref},
		bearerToken(token)).want(t, http.StatusOK).decode(t, &p)
	if p.Preferred != pref {
		t.Fatalf("PATCH signInPreferences to %s answered %+v", pref, p)
	}
}

// phoneMember is a member with an authenticator app (from the interrupt) and
// a mobile phone added by text, whose default sign-in method is pref.
func phoneMember(t *testing.T, s *server, c *apiClient, ob *outboxReader, local, number, pref string) (*apiMember, phoneMethod) {
	t.Helper()
	m := seedMember(t, s, local, strings.ToUpper(local[:1])+local[1:]+" Phone")
	c.registerByInterrupt(t, m, "")
	mobile := c.addMobileByText(t, m.token, number, ob.code)
	if pref != "oath" {
		c.setPreferred(t, m.token, pref)
	}
	return m, mobile
}

// challengeOf reads GET /signin/{flow}/challenge.
func (c *apiClient) challengeOf(t *testing.T, flowID string) signInChallenge {
	t.Helper()
	var ch signInChallenge
	c.do("GET", "/signin/"+flowID+"/challenge", nil).want(t, http.StatusOK).decode(t, &ch)
	return ch
}

// choose posts "Sign in another way" with a phone and returns the flow.
func (c *apiClient) choose(t *testing.T, flowID, methodID, pref string) signInAnswer {
	t.Helper()
	var a signInAnswer
	c.do("POST", "/signin/"+flowID+"/challenge", map[string]string{"methodId": methodID, "preference": pref}).
		want(t, http.StatusAccepted).decode(t, &a)
	if a.Challenge == nil || a.Challenge.MethodID != methodID || a.Challenge.State != "sent" {
		t.Fatalf("choosing %s of %s: %+v, want a sent challenge for it", pref, methodID, a)
	}
	return a
}

// completeCall posts call/complete and wants a session token.
func (c *apiClient) completeCall(t *testing.T, flowID string) string {
	t.Helper()
	var a signInAnswer
	c.do("POST", "/signin/"+flowID+"/call/complete", nil).want(t, http.StatusOK).decode(t, &a)
	if a.Status != "signed_in" || a.SessionToken == "" {
		t.Fatalf("call/complete: %+v, want signed_in with a token", a)
	}
	return a.SessionToken
}

// withT returns a client for a subtest, sharing c's connections.
func (c *apiClient) withT(t *testing.T) *apiClient {
	return &apiClient{t: t, base: c.base, addr: c.addr, http: c.http, XFF: c.XFF}
}

// withT returns a reader for a subtest.
func (o *outboxReader) withT(t *testing.T) *outboxReader {
	return &outboxReader{t: t, base: o.base, http: o.http}
}

// e164 turns "+1 4255550100" into "+14255550100".
func e164(number string) string {
	if i := strings.IndexAny(number, "xX"); i >= 0 {
		number = number[:i]
	}
	return strings.ReplaceAll(number, " ", "")
}

// maskOf is what the member sees before sign-in: "+1 XXXXXXX100".
func maskOf(number string) string {
	national := strings.TrimPrefix(e164(number), "+1")
	return "+1 " + strings.Repeat("X", len(national)-3) + national[len(national)-3:]
}

// otherCode returns a 6-digit code that is not code.
func otherCode(code string, k int) string {
	n, _ := strconv.Atoi(code)
	return fmt.Sprintf("%06d", (n+k)%1_000_000)
}

// auditCount counts the events of user with activity and result whose reason
// contains reason.
func auditCount(events []auditEvent, user, activity, result, reason string) int {
	n := 0
	for _, e := range events {
		if e.TargetName == user && e.Activity == activity && e.Result == result && strings.Contains(e.Reason, reason) {
			n++
		}
	}
	return n
}

// wantAudit fails unless the log has at least min such events.
func wantAudit(t *testing.T, events []auditEvent, user, activity, result, reason string, min int) {
	t.Helper()
	if n := auditCount(events, user, activity, result, reason); n < min {
		var mine []string
		for _, e := range events {
			if e.TargetName == user {
				mine = append(mine, e.String())
			}
		}
		t.Errorf("the audit log has %d %s %q events for %s with reason ~%q, want at least %d; %s's events:\n%s",
			n, result, activity, user, reason, min, user, strings.Join(mine, "\n"))
	}
}
