package signin_test

import (
	"errors"
	"slices"
	"testing"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/signin"
	"github.com/twofold-id/twofold/internal/testkit"
)

// interruptMember is a member with no second factor, so sign-in stops at the
// "More information required" interrupt.
func interruptMember(t *testing.T) (*testkit.Kit, *testkit.Member, *signin.Result) {
	t.Helper()
	k := testkit.New(t)
	m := k.NewMember(k.NewOrg("contoso.com"), "ada")
	return k, m, startFlow(t, k, m, phoneClient, twofold.FlowRegistrationRequired)
}

func TestInterruptRegistersPhoneByText(t *testing.T) {
	k, m, r := interruptMember(t)
	kinds, err := k.SignIn.RegistrationKinds(k.Ctx, r.FlowID)
	if err != nil || !slices.Equal(kinds, []twofold.MethodKind{twofold.KindSoftwareOath, twofold.KindPhone}) {
		t.Fatalf("RegistrationKinds = %v, %v; want app and phone", kinds, err)
	}
	ch, n, err := k.SignIn.BeginPhoneRegistration(k.Ctx, r.FlowID, signin.PhoneRegistration{
		Type: twofold.PhoneMobile, Number: "+1 4255551234X12345", Channel: twofold.ChannelSMS}, phoneClient)
	if err != nil || n.E164 != testkit.Mobile || n.Extension != "12345" || ch.PhoneNumber != testkit.Mobile {
		t.Fatalf("BeginPhoneRegistration = %+v, %+v, %v; want the number without its extension", ch, n, err)
	}
	if ms, _ := k.Store.ListMethods(k.Ctx, m.User.ID, ""); len(ms) != 0 {
		t.Fatalf("a method was saved before the number was proven: %+v", ms)
	}
	code := k.Code(ch)
	if _, err := k.SignIn.FinishPhoneRegistration(k.Ctx, r.FlowID, otherCode(code), phoneClient); twofold.ErrorField(err) != "code" {
		t.Fatalf("wrong code: %v, want a code field error", err)
	}
	done, err := k.SignIn.FinishPhoneRegistration(k.Ctx, r.FlowID, code, phoneClient)
	if err != nil || done.State != twofold.FlowSignedIn || done.Session == nil {
		t.Fatalf("FinishPhoneRegistration = %+v, %v; want signed in", done, err)
	}
	ms, _ := k.Store.ListMethods(k.Ctx, m.User.ID, twofold.MethodActive)
	if len(ms) != 1 || ms[0].Kind != twofold.KindPhone || ms[0].PhoneNumber != testkit.Mobile || done.Session.MFAMethod != ms[0].ID {
		t.Fatalf("methods %+v, session MFA %q; want the proven phone", ms, done.Session.MFAMethod)
	}
	if u := k.User(m.User.ID); u.PreferredMethod != twofold.PreferenceSMS {
		t.Errorf("default = %q, want sms", u.PreferredMethod)
	}
	for _, a := range []string{twofold.ActivityStartedRegister, twofold.ActivityRegistered, twofold.ActivityRegisteredAll} {
		if len(k.Events(m.User.ID, a)) == 0 {
			t.Errorf("no %q audit event", a)
		}
	}
	if _, err := k.SignIn.FinishPhoneRegistration(k.Ctx, r.FlowID, code, phoneClient); !errors.Is(err, signin.ErrFlowGone) {
		t.Errorf("finishing twice: %v, want ErrFlowGone", err)
	}
}

func TestInterruptRegistersPhoneByCall(t *testing.T) {
	k, m, r := interruptMember(t)
	ch, _, err := k.SignIn.BeginPhoneRegistration(k.Ctx, r.FlowID, signin.PhoneRegistration{
		Type: twofold.PhoneOffice, Region: "US", Number: "425 555 1234", Channel: twofold.ChannelVoice}, phoneClient)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := k.SignIn.FinishPhoneRegistration(k.Ctx, r.FlowID, "", phoneClient); twofold.ErrorCode(err) != twofold.ECONFLICT {
		t.Fatalf("before the call is answered: %v, want ECONFLICT (still waiting)", err)
	}
	k.AnswerAndPress(k.Call(ch), "#")
	done, err := k.SignIn.FinishPhoneRegistration(k.Ctx, r.FlowID, "", phoneClient)
	if err != nil || done.State != twofold.FlowSignedIn {
		t.Fatalf("FinishPhoneRegistration = %+v, %v", done, err)
	}
	if u := k.User(m.User.ID); u.PreferredMethod != twofold.PreferenceVoiceOffice {
		t.Errorf("default = %q, want voiceOffice", u.PreferredMethod)
	}
}

// 0# on the interrupt's call denies the sign-in, and the block cannot be
// sidestepped by registering an authenticator app instead.
func TestInterruptFraudDeniesAndBlocks(t *testing.T) {
	k, m, r := interruptMember(t)
	other := startFlow(t, k, m, phoneClient, twofold.FlowRegistrationRequired) // another tab
	ch, _, err := k.SignIn.BeginPhoneRegistration(k.Ctx, r.FlowID, signin.PhoneRegistration{
		Type: twofold.PhoneMobile, Number: testkit.Mobile, Channel: twofold.ChannelVoice}, phoneClient)
	if err != nil {
		t.Fatal(err)
	}
	k.AnswerAndPress(k.Call(ch), "0#")
	if _, err := k.SignIn.BeginRegistration(k.Ctx, other.FlowID); !errors.Is(err, signin.ErrMFABlocked) {
		t.Fatalf("app setup in another open interrupt: %v, want ErrMFABlocked", err)
	}
	if _, _, err := k.SignIn.BeginPhoneRegistration(k.Ctx, other.FlowID, signin.PhoneRegistration{
		Type: twofold.PhoneMobile, Number: testkit.Mobile, Channel: twofold.ChannelSMS}, phoneClient); !errors.Is(err, signin.ErrMFABlocked) {
		t.Fatalf("phone setup in another open interrupt: %v, want ErrMFABlocked", err)
	}
	if st, err := k.SignIn.PhoneRegistrationStatus(k.Ctx, r.FlowID); err != nil || st.State != twofold.ChallengeFraud {
		t.Fatalf("status after 0#: %+v, %v; want fraud", st, err)
	}
	if _, err := k.SignIn.BeginRegistration(k.Ctx, r.FlowID); !errors.Is(err, signin.ErrFlowGone) {
		t.Fatalf("app setup on the denied flow: %v, want ErrFlowGone", err)
	}
	if _, err := k.SignIn.Password(k.Ctx, m.Username(), m.Password, phoneClient); !errors.Is(err, signin.ErrMFABlocked) {
		t.Fatalf("new sign-in while blocked: %v, want ErrMFABlocked", err)
	}
	if len(k.Events(m.User.ID, twofold.ActivityFraudReported)) != 1 {
		t.Error("the fraud report was not audited once")
	}
}

func TestInterruptWrongCodesEndFlow(t *testing.T) {
	k, _, r := interruptMember(t)
	ch, _, err := k.SignIn.BeginPhoneRegistration(k.Ctx, r.FlowID, signin.PhoneRegistration{
		Type: twofold.PhoneMobile, Number: testkit.Mobile, Channel: twofold.ChannelSMS}, phoneClient)
	if err != nil {
		t.Fatal(err)
	}
	wrong := otherCode(k.Code(ch))
	for i := 1; i < 5; i++ {
		if _, err := k.SignIn.FinishPhoneRegistration(k.Ctx, r.FlowID, wrong, phoneClient); twofold.ErrorField(err) != "code" {
			t.Fatalf("wrong code %d: %v", i, err)
		}
	}
	if _, err := k.SignIn.FinishPhoneRegistration(k.Ctx, r.FlowID, wrong, phoneClient); !errors.Is(err, signin.ErrTooManyTries) {
		t.Fatalf("5th wrong code: %v, want ErrTooManyTries", err)
	}
	if _, err := k.SignIn.FinishPhoneRegistration(k.Ctx, r.FlowID, k.Code(ch), phoneClient); !errors.Is(err, signin.ErrFlowGone) {
		t.Fatalf("right code after the flow died: %v, want ErrFlowGone", err)
	}
}
