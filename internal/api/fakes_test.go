package api

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/httpx"
	"github.com/twofold-id/twofold/internal/methodkind"
	"github.com/twofold-id/twofold/internal/securityinfo"
	"github.com/twofold-id/twofold/internal/signin"
	"github.com/twofold-id/twofold/internal/totp"
)

// Test values. goodToken is the one bearer token fakeSessions accepts.
const (
	goodToken  = "good-session-token-0123456789abcdefghijklmnop"
	flowID     = "flow-0123456789abcdefghijklmnopqrstuvwxyzABCDE"
	appID      = "0123456789abcdef0123456789abcdef"
	secretKey  = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
	newToken   = "new-session-token-zyxwvutsrqponmlkjihgfedcba98"
	otpauthURI = "otpauth://totp/Contoso:ada@contoso.com?secret=" + secretKey + "&issuer=Contoso&algorithm=SHA1&digits=6&period=30"
)

var t0 = time.Date(2026, 3, 1, 9, 30, 0, 0, time.UTC)

// call records one use-case call: its name and its string arguments.
type call struct {
	name string
	args []string
}

// recorder collects calls from the fakes; the handler may run them concurrently
// under -race only through separate requests, but a mutex keeps it honest.
type recorder struct {
	mu    sync.Mutex
	calls []call
}

func (r *recorder) add(name string, args ...string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls = append(r.calls, call{name, args})
}

func (r *recorder) last() call {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.calls) == 0 {
		return call{}
	}
	return r.calls[len(r.calls)-1]
}

// errs makes a fake fail: the error for a use-case method name, or for "*".
type errs map[string]error

func (e errs) of(name string) error {
	if err, ok := e[name]; ok {
		return err
	}
	return e["*"]
}

type fakeSignin struct {
	rec    *recorder
	errs   errs
	result *signin.Result
	// registration is the interrupt's newest phone verification, nil before one.
	registration *twofold.Challenge
}

func (f *fakeSignin) Password(_ context.Context, username, password string, c twofold.Client) (*signin.Result, error) {
	f.rec.add("Password", username, password, c.IP)
	if err := f.errs.of("Password"); err != nil {
		return nil, err
	}
	return f.result, nil
}

func (f *fakeSignin) Resume(_ context.Context, id string) (*signin.Result, error) {
	f.rec.add("Resume", id)
	if err := f.errs.of("Resume"); err != nil {
		return nil, err
	}
	return f.result, nil
}

func (f *fakeSignin) Verify(_ context.Context, id, methodID, code string, _ twofold.Client) (*signin.Result, error) {
	f.rec.add("Verify", id, methodID, code)
	if err := f.errs.of("Verify"); err != nil {
		return nil, err
	}
	return signedIn(), nil
}

func (f *fakeSignin) BeginRegistration(_ context.Context, id string) (*totp.Enrolment, error) {
	f.rec.add("BeginRegistration", id)
	if err := f.errs.of("BeginRegistration"); err != nil {
		return nil, err
	}
	return enrolment(), nil
}

func (f *fakeSignin) FinishRegistration(_ context.Context, id, methodID, name, code string, _ twofold.Client) (*signin.Result, error) {
	f.rec.add("FinishRegistration", id, methodID, name, code)
	if err := f.errs.of("FinishRegistration"); err != nil {
		return nil, err
	}
	return signedIn(), nil
}

func (f *fakeSignin) Cancel(_ context.Context, id string, _ twofold.Client) error {
	f.rec.add("Cancel", id)
	return f.errs.of("Cancel")
}

type fakeSessions struct {
	rec      *recorder
	errs     errs
	sessions []*twofold.Session
}

// errSessionEnded is what session.Service answers for a token that leads nowhere.
var errSessionEnded = twofold.Errorf(twofold.EUNAUTHORIZED, "Your session has ended. Please sign in again.")

func (f *fakeSessions) Authenticate(_ context.Context, token string, c twofold.Client) (*twofold.Principal, error) {
	if err := f.errs.of("Authenticate"); err != nil {
		return nil, err
	}
	if token != goodToken {
		return nil, errSessionEnded
	}
	return principal(c), nil
}

func (f *fakeSessions) SignOut(_ context.Context, p *twofold.Principal) error {
	f.rec.add("SignOut", p.Session.ID)
	return f.errs.of("SignOut")
}

func (f *fakeSessions) SignOutEverywhere(_ context.Context, p *twofold.Principal) (int, error) {
	f.rec.add("SignOutEverywhere", p.User.ID)
	return 2, f.errs.of("SignOutEverywhere")
}

func (f *fakeSessions) List(_ context.Context, p *twofold.Principal) ([]*twofold.Session, error) {
	f.rec.add("List", p.User.ID)
	return f.sessions, f.errs.of("List")
}

type fakeSecurityInfo struct {
	rec  *recorder
	errs errs
	// methods are the member's active methods; pending are IDs of pending setups.
	methods []*twofold.Method
	pending []string
	// verification is the session's newest phone verification (add or change a
	// number); reverification its newest re-verification text or call.
	verification   *twofold.Challenge
	reverification *twofold.Challenge
	// mailed is the session's newest mailed code (fakes_email_test.go).
	mailed *twofold.Challenge
}

func (f *fakeSecurityInfo) Overview(_ context.Context, p *twofold.Principal) (*securityinfo.Overview, error) {
	f.rec.add("Overview", p.User.ID)
	if err := f.errs.of("Overview"); err != nil {
		return nil, err
	}
	o := &securityinfo.Overview{Default: twofold.PreferenceNone}
	for _, m := range f.methods {
		o.Methods = append(o.Methods, securityinfo.Row{Method: m, Label: methodkind.Label(m.Kind), Detail: m.Name, Deletable: true})
		o.Default = twofold.PreferenceOath
	}
	return o, nil
}

func (f *fakeSecurityInfo) Reverify(_ context.Context, p *twofold.Principal, methodID, code string) (string, error) {
	f.rec.add("Reverify", code, methodID)
	return stepUp(p, f.errs.of("Reverify"))
}

func (f *fakeSecurityInfo) BeginApp(_ context.Context, p *twofold.Principal) (*totp.Enrolment, error) {
	f.rec.add("BeginApp", p.User.ID)
	if err := f.errs.of("BeginApp"); err != nil {
		return nil, err
	}
	return enrolment(), nil
}

func (f *fakeSecurityInfo) PendingApp(_ context.Context, p *twofold.Principal, id string) (*totp.Enrolment, error) {
	f.rec.add("PendingApp", id)
	if err := f.errs.of("PendingApp"); err != nil {
		return nil, err
	}
	if !slices.Contains(f.pending, id) {
		return nil, twofold.Errorf(twofold.ENOTFOUND, "We couldn't find that setup. Start again.")
	}
	return enrolment(), nil
}

func (f *fakeSecurityInfo) ActivateApp(_ context.Context, p *twofold.Principal, id, name, code string) (*twofold.Method, error) {
	f.rec.add("ActivateApp", id, name, code)
	if err := f.errs.of("ActivateApp"); err != nil {
		return nil, err
	}
	if name == "" {
		name = totp.DefaultName
	}
	return &twofold.Method{ID: id, UserID: p.User.ID, Kind: twofold.KindSoftwareOath, State: twofold.MethodActive, Name: name, CreatedAt: t0}, nil
}

func (f *fakeSecurityInfo) Method(_ context.Context, p *twofold.Principal, id string) (*twofold.Method, error) {
	f.rec.add("Method", id)
	if err := f.errs.of("Method"); err != nil {
		return nil, err
	}
	for _, m := range f.methods {
		if m.ID == id {
			return m, nil
		}
	}
	return nil, twofold.Errorf(twofold.ENOTFOUND, "That method isn't part of your security info.")
}

func (f *fakeSecurityInfo) Delete(_ context.Context, p *twofold.Principal, id string) error {
	f.rec.add("Delete", id)
	if err := f.errs.of("Delete"); err != nil {
		return err
	}
	for _, m := range f.methods {
		if m.ID == id {
			return nil
		}
	}
	return twofold.Errorf(twofold.ENOTFOUND, "That method isn't part of your security info.")
}

func (f *fakeSecurityInfo) SetDefault(_ context.Context, p *twofold.Principal, pref twofold.SignInPreference) error {
	f.rec.add("SetDefault", string(pref))
	if err := f.errs.of("SetDefault"); err != nil {
		return err
	}
	for _, m := range f.methods {
		if slices.Contains(methodkind.Preferences(p.Org.Policy, m), pref) {
			return nil
		}
	}
	return twofold.FieldError("preference", "Choose one of your sign-in methods.")
}

// The fakes fit the interfaces.
var (
	_ Signin       = (*fakeSignin)(nil)
	_ Sessions     = (*fakeSessions)(nil)
	_ SecurityInfo = (*fakeSecurityInfo)(nil)
)

func principal(c twofold.Client) *twofold.Principal {
	return &twofold.Principal{
		User: &twofold.User{ID: "u1", OrgID: "o1", Username: "ada@contoso.com", DisplayName: "Ada Lovelace",
			Role: twofold.RoleMember, PasswordHash: "$argon2id$secret-hash", PreferredMethod: twofold.PreferenceOath},
		Org: &twofold.Organization{ID: "o1", Name: "Contoso", Domains: []string{"contoso.com"}, Policy: twofold.DefaultPolicy()},
		Session: &twofold.Session{ID: "s1", TokenHash: twofold.HashToken(goodToken), UserID: "u1", OrgID: "o1",
			CreatedAt: t0, LastSeenAt: t0, ExpiresAt: t0.Add(24 * time.Hour), MFAAt: t0},
		Client: c,
	}
}

func mfaRequired() *signin.Result {
	a := signin.Option{MethodID: "m1", Kind: twofold.KindSoftwareOath, Preference: twofold.PreferenceOath,
		Label: "Authenticator app – code", Name: "Phone"}
	b := signin.Option{MethodID: "m2", Kind: twofold.KindSoftwareOath, Preference: twofold.PreferenceOath,
		Label: "Authenticator app – code", Name: "Tablet"}
	return &signin.Result{FlowID: flowID, State: twofold.FlowMFARequired, Options: []signin.Option{a, b}, Default: &a}
}

func signedIn() *signin.Result {
	return &signin.Result{State: twofold.FlowSignedIn, SessionToken: newToken,
		Session: &twofold.Session{ID: "s2", ExpiresAt: t0.Add(24 * time.Hour)}}
}

func enrolment() *totp.Enrolment {
	return &totp.Enrolment{MethodID: appID, Secret: secretKey, GroupedSecret: "JBSW Y3DP", URI: otpauthURI, QRCodePNG: []byte("png")}
}

// env is one API under test with its fakes and its log.
type env struct {
	t       *testing.T
	h       http.Handler
	rec     *recorder
	signin  *fakeSignin
	sess    *fakeSessions
	secinfo *fakeSecurityInfo
	logs    *syncBuffer
}

func newEnv(t *testing.T) *env {
	t.Helper()
	rec := &recorder{}
	e := &env{t: t, rec: rec, logs: &syncBuffer{},
		signin: &fakeSignin{rec: rec, errs: errs{}, result: mfaRequired()},
		sess: &fakeSessions{rec: rec, errs: errs{}, sessions: []*twofold.Session{
			{ID: "s1", TokenHash: "hash-one", CreatedAt: t0, LastSeenAt: t0.Add(time.Minute), ExpiresAt: t0.Add(24 * time.Hour), MFAAt: t0, IP: "192.0.2.1", UserAgent: "App/1.0"},
			{ID: "s0", TokenHash: "hash-zero", CreatedAt: t0.Add(-time.Hour), LastSeenAt: t0.Add(-time.Hour), ExpiresAt: t0.Add(23 * time.Hour), IP: "192.0.2.9", UserAgent: "Browser/2"},
		}},
		secinfo: &fakeSecurityInfo{rec: rec, errs: errs{}, pending: []string{appID}, methods: []*twofold.Method{
			{ID: "m1", UserID: "u1", Kind: twofold.KindSoftwareOath, State: twofold.MethodActive, Name: "Phone", SecretSealed: []byte("sealed"), CreatedAt: t0},
			mobilePhone(),
		},
			verification:   challenge(verificationID, "", twofold.ChannelSMS, newPhoneE164),
			reverification: challenge(reverifyID, phoneID, twofold.ChannelVoice, mobileE164),
		},
	}
	log := slog.New(slog.NewJSONHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	api := New(Deps{Signin: e.signin, Sessions: e.sess, SecurityInfo: e.secinfo, Log: log})
	e.h = httpx.RequestContext(nil, api)
	return e
}

// syncBuffer is a bytes.Buffer safe for the logger and the test to share.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// response is a finished request: status, headers and the raw body.
type response struct {
	status int
	header http.Header
	body   []byte
}

// do sends a request; token "" sends no Authorization header.
func (e *env) do(method, path, body, token string) *response {
	e.t.Helper()
	req := newRequest(method, path, body)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return e.serve(req)
}

// object decodes the body as a JSON object.
func (r *response) object(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.body, &m); err != nil {
		t.Fatalf("body is not a JSON object: %v\n%s", err, r.body)
	}
	return m
}

// want checks the status and, for JSON answers, the content type.
func (r *response) want(t *testing.T, status int) {
	t.Helper()
	if r.status != status {
		t.Fatalf("status = %d, want %d; body %s", r.status, status, r.body)
	}
	if len(r.body) > 0 && !strings.HasPrefix(r.header.Get("Content-Type"), "application/json") {
		t.Errorf("Content-Type = %q, want JSON", r.header.Get("Content-Type"))
	}
	if status == http.StatusNoContent && len(r.body) != 0 {
		t.Errorf("204 with a body: %s", r.body)
	}
}

// apiError checks an error answer's status and code and returns its message.
func (r *response) apiError(t *testing.T, status int, code string) (message, target string) {
	t.Helper()
	r.want(t, status)
	var b struct {
		Error struct {
			Code    string `json:"code"`
			Message string `json:"message"`
			Target  string `json:"target"`
		} `json:"error"`
	}
	if err := json.Unmarshal(r.body, &b); err != nil {
		t.Fatalf("error body is not JSON: %v\n%s", err, r.body)
	}
	if b.Error.Code != code {
		t.Fatalf("error code = %q, want %q; body %s", b.Error.Code, code, r.body)
	}
	if b.Error.Message == "" {
		t.Errorf("error without a message: %s", r.body)
	}
	return b.Error.Message, b.Error.Target
}

// keys returns the sorted keys of a JSON object.
func keys(m any) []string {
	o, _ := m.(map[string]any)
	var k []string
	for key := range o {
		k = append(k, key)
	}
	slices.Sort(k)
	return k
}

func wantKeys(t *testing.T, what string, m any, want ...string) {
	t.Helper()
	slices.Sort(want)
	if got := keys(m); !slices.Equal(got, want) {
		t.Errorf("%s keys = %v, want %v", what, got, want)
	}
}

func newRequest(method, path, body string) *http.Request {
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	return httptest.NewRequest(method, path, rd)
}

// serve sends a prepared request.
func (e *env) serve(req *http.Request) *response {
	w := httptest.NewRecorder()
	e.h.ServeHTTP(w, req)
	return &response{status: w.Code, header: w.Header(), body: w.Body.Bytes()}
}
