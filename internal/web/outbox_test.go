package web

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestDevOutboxIsNotServedWithoutAnOutbox(t *testing.T) {
	e := newEnv(t, false)
	for _, p := range []string{"/dev/outbox", "/dev/outbox/messages", "/dev/outbox/messages?to=+14255551234"} {
		wantBody(t, e.do("GET", p, nil), http.StatusNotFound, "Page not found")
	}
	for _, action := range []string{"answer", "press", "hangup"} {
		wantBody(t, e.do("POST", "/dev/outbox/calls/msg-call/"+action, url.Values{"digits": {"#"}}), http.StatusNotFound)
	}
}

func TestDevOutboxListsMessages(t *testing.T) {
	e := newDevEnv(t)
	w := e.do("GET", "/dev/outbox", nil)
	body := w.Body.String()
	wantText(t, w, http.StatusOK,
		"Development outbox</strong> — texts, calls and mail that twofold would have sent. Never enabled in production.",
		`<a class="button" href="/dev/outbox">Refresh</a>`,
		// The text, its code large.
		`Code <span class="key">482913</span>`, "482913 is your Contoso verification code.",
		// The ringing call: its prompt, its state and its two buttons.
		"Please press the pound key to finish your verification.", "Ringing",
		`<form method="post" action="/dev/outbox/calls/msg-call/answer"><button type="submit" class="primary">Answer</button></form>`,
		`<form method="post" action="/dev/outbox/calls/msg-call/hangup"><button type="submit">Decline</button></form>`,
		// The mail, its body as sent, escaped.
		"A phone was added to your account", `<pre class="outbox-mail">Hello Ada,`)
	if strings.Contains(body, "<script>alert(1)") {
		t.Error("a mail body reached the page unescaped")
	}
	call, text, mail := strings.Index(body, "msg-call"), strings.Index(body, "482913 is your"), strings.Index(body, "A phone was added")
	if call < 0 || !(call < text && text < mail) {
		t.Errorf("messages are not newest first (call %d, text %d, mail %d)", call, text, mail)
	}
	if strings.Contains(body, "Press #") {
		t.Error("a ringing call offers keys")
	}
	checkPage(t, "outbox", body)

	// ?to= filters; a "+" typed in the link means the number's plus.
	w = e.do("GET", "/dev/outbox?to=+14255551234", nil)
	wantText(t, w, http.StatusOK, `value="+14255551234"`, "482913")
	if strings.Contains(w.Body.String(), "A phone was added") {
		t.Error("the filter let mail to another address through")
	}
	wantText(t, e.do("GET", "/dev/outbox?to=nobody@contoso.test", nil), http.StatusOK, "Nothing has been sent to nobody@contoso.test yet.")
	wantCalls(t, e) // reading changes nothing
}

func TestDevOutboxJSON(t *testing.T) {
	e := newDevEnv(t)
	w := e.do("GET", "/dev/outbox/messages?to=+14255551234", nil)
	if w.Code != http.StatusOK || w.Header().Get("Cache-Control") != "no-store" ||
		!strings.HasPrefix(w.Header().Get("Content-Type"), "application/json") {
		t.Fatalf("GET messages = %d %q %q", w.Code, w.Header().Get("Cache-Control"), w.Header().Get("Content-Type"))
	}
	var got struct {
		Value []map[string]any `json:"value"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Value) != 2 || got.Value[0]["id"] != "msg-call" || got.Value[1]["id"] != "msg-text" {
		t.Fatalf("value = %v", got.Value)
	}
	for _, k := range []string{"id", "channel", "to", "subject", "body", "challengeId", "callState", "createdAt"} {
		if _, ok := got.Value[0][k]; !ok {
			t.Errorf("a message lacks %q: %v", k, got.Value[0])
		}
	}
	if c := got.Value[0]; c["channel"] != "voice" || c["callState"] != "ringing" || c["challengeId"] != "sc9" || c["to"] != "+14255551234" ||
		c["createdAt"] != "2026-03-04T12:00:00Z" {
		t.Errorf("call = %v", c)
	}
	if !strings.Contains(got.Value[1]["body"].(string), "482913") {
		t.Errorf("text = %v", got.Value[1])
	}
	w = e.do("GET", "/dev/outbox/messages", nil)
	if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil || len(got.Value) != 3 {
		t.Errorf("unfiltered: %v %v", err, got.Value)
	}
	w = e.do("GET", "/dev/outbox/messages?to=nobody", nil)
	if strings.TrimSpace(w.Body.String()) != `{"value":[]}` {
		t.Errorf("empty list = %s", w.Body)
	}
	wantCalls(t, e)
}

func TestDevOutboxCallButtons(t *testing.T) {
	e := newDevEnv(t)
	wantRedirect(t, e.do("POST", "/dev/outbox/calls/msg-call/answer", url.Values{}), "/dev/outbox")
	w := e.do("GET", "/dev/outbox", nil)
	wantText(t, w, http.StatusOK, "Answered",
		`<input type="hidden" name="digits" value="#"><button type="submit" class="primary">Press #</button>`,
		`<input type="hidden" name="digits" value="0#"><button type="submit" class="danger">Press 0 then #`, "(report fraud)",
		`<input type="hidden" name="digits" value="1"><button type="submit">Press 1`, "(a wrong key)",
		`action="/dev/outbox/calls/msg-call/hangup"><button type="submit">Hang up</button>`)
	checkPage(t, "outbox answered", w.Body.String())

	// Bad keys, then the right one; the call is over after it.
	wantText(t, e.do("POST", "/dev/outbox/calls/msg-call/press", url.Values{"digits": {"abc"}}), http.StatusBadRequest,
		"Press 1 to 8 keys: digits, * or #.", `href="/dev/outbox">Back to the outbox</a>`)
	wantRedirect(t, e.do("POST", "/dev/outbox/calls/msg-call/press", url.Values{"digits": {"#"}}), "/dev/outbox")
	wantText(t, e.do("POST", "/dev/outbox/calls/msg-call/hangup", url.Values{}), http.StatusConflict, "This call has already ended.")
	wantText(t, e.do("POST", "/dev/outbox/calls/msg-text/answer", url.Values{}), http.StatusNotFound, "There is no such call in the outbox.")

	// A client that asks for JSON gets the error as JSON.
	r := newRequest("POST", "/dev/outbox/calls/msg-call/answer")
	r.Header.Set("Accept", "application/json")
	w = serve(e.h, r)
	if w.Code != http.StatusConflict || !strings.Contains(w.Body.String(), `"message":"This call has already ended."`) {
		t.Errorf("JSON error = %d %s", w.Code, w.Body)
	}
	wantCalls(t, e, "Answer msg-call", "Press msg-call abc", "Press msg-call #", "HangUp msg-call", "Answer msg-text", "Answer msg-call")
}
