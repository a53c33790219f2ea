package reset

import (
	"context"
	"fmt"
	"strings"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/email"
	"github.com/twofold-id/twofold/internal/methodkind"
	"github.com/twofold-id/twofold/internal/phone"
)

// ErrKeysUnavailable answers for security keys when the relying party could
// not be set up here.
var ErrKeysUnavailable = twofold.Errorf(twofold.EUNAVAILABLE,
	"Security keys aren't available on this address. Choose another way to verify.")

// Begin starts the step choice (an Option's Choice) of the attempt id. For a
// text or a call the member first types target, the full number the page
// shows masked: a number that does not match is a failed verification,
// counted by the reset guard like a wrong code, since it is a guess about
// the member. Then the text goes out or the call is placed; a key step
// returns its login options; a code or questions step just begins.
func (s *Service) Begin(ctx context.Context, id, choice, target string, c twofold.Client) (*View, error) {
	st, err := s.verifying(ctx, id)
	if err != nil {
		return nil, err
	}
	o, ok := st.option(choice)
	if !ok {
		return nil, ErrOptionGone
	}
	if o.NeedsTarget() {
		if err := s.checkTarget(ctx, st, o, target, c); err != nil {
			return nil, err
		}
	}
	step := &Step{Option: o}
	data := string(o.Proof)
	switch o.Proof {
	case methodkind.ProofText, methodkind.ProofCall:
		step.Challenge, err = s.send(ctx, st, o, c)
	case methodkind.ProofKey:
		if s.Keys == nil {
			return nil, ErrKeysUnavailable
		}
		step.CeremonyID, step.KeyOptions, err = s.Keys.BeginLogin(ctx, st.u, binding(st.a))
	case methodkind.ProofEmailCode:
		step.Challenge, err = s.Mail.Send(ctx, email.Request{
			UserID: st.u.ID, OrgID: st.org.ID, OrgName: st.org.Name, Binding: binding(st.a),
			Purpose: twofold.PurposeReset, MethodID: o.MethodID, Address: o.Target, TTL: s.cfg.CodeLifetime,
		})
	case methodkind.ProofQuestions:
		var qs []string
		qs, err = s.Questions.Ask(ctx, o.MethodID, st.org.Policy.Questions.ToReset, s.Rand)
		data += "\n" + strings.Join(qs, "\n")
	}
	if err != nil {
		return nil, err
	}
	ok, err = s.Store.SetResetStep(ctx, st.a.IDHash, o.MethodID, data, s.Now().UTC())
	if err != nil {
		return nil, fmt.Errorf("reset: set step: %w", err)
	}
	if !ok {
		return nil, ErrGone
	}
	st.a.StepMethodID, st.a.StepData = o.MethodID, data
	v := s.view(ctx, id, st)
	if v.Step != nil {
		v.Step.CeremonyID, v.Step.KeyOptions = step.CeremonyID, step.KeyOptions
		if step.Challenge != nil {
			v.Step.Challenge = step.Challenge
		}
	}
	return v, nil
}

// checkTarget compares the number or address the member typed with the
// option's, under the reset guard: a mismatch is a failed verification.
func (s *Service) checkTarget(ctx context.Context, st *state, o Option, target string, c twofold.Client) error {
	what := "phone number"
	same := samePhone
	if o.Proof == methodkind.ProofEmailCode {
		what = "email address"
		same = func(typed, full, _ string) bool { return strings.EqualFold(strings.TrimSpace(typed), full) }
	}
	if strings.TrimSpace(target) == "" {
		return twofold.FieldError("target", "Type your whole "+what+", including the hidden part.")
	}
	if len(target) > 320 {
		return twofold.FieldError("target", "That's longer than any "+what+". Type your whole "+what+".")
	}
	return s.guarded(ctx, st, "typed "+what+" didn't match", c, func() error {
		if !same(target, o.Target, o.Masked) {
			return twofold.FieldError("target", "That isn't the "+what+" we have. Type your whole "+what+", including the hidden part, then try again.")
		}
		return nil
	})
}

// send texts or calls the option's phone, bound to the attempt.
func (s *Service) send(ctx context.Context, st *state, o Option, c twofold.Client) (*twofold.Challenge, error) {
	m, err := s.method(ctx, st, o.MethodID)
	if err != nil {
		return nil, err
	}
	channel := twofold.ChannelSMS
	if o.Proof == methodkind.ProofCall {
		channel = twofold.ChannelVoice
	}
	return s.Phones.Send(ctx, phone.Request{
		User: st.u, Org: st.org, Binding: binding(st.a), Purpose: twofold.PurposeReset, Channel: channel,
		MethodID: m.ID, PhoneType: m.PhoneType, Number: m.PhoneNumber, Client: c,
	})
}

func (s *Service) method(ctx context.Context, st *state, methodID string) (*twofold.Method, error) {
	methods, err := s.Store.ListMethods(ctx, st.u.ID, twofold.MethodActive)
	if err != nil {
		return nil, fmt.Errorf("reset: methods: %w", err)
	}
	for _, m := range methods {
		if m.ID == methodID {
			return m, nil
		}
	}
	return nil, ErrOptionGone
}

// verifying loads the attempt id for a step: the member must be able to go on
// and the attempt still verifying.
func (s *Service) verifying(ctx context.Context, id string) (*state, error) {
	st, err := s.load(ctx, id)
	if err != nil {
		return nil, err
	}
	if st.refusal != nil {
		return nil, st.refusal
	}
	if st.a.State != twofold.ResetVerifying {
		return nil, twofold.Errorf(twofold.ECONFLICT, "You've verified your identity. Choose your new password.")
	}
	return st, nil
}

// samePhone reports whether typed is the number e164, typed in full: with
// its country code (any spacing, "+" or "00"), or as the national number
// after the country code the masked form shows.
func samePhone(typed, e164, masked string) bool {
	digits := func(s string) string {
		var b strings.Builder
		for _, r := range s {
			if r >= '0' && r <= '9' {
				b.WriteRune(r)
			}
		}
		return b.String()
	}
	full := digits(e164)
	t := strings.TrimPrefix(digits(typed), "00")
	if t == full {
		return true
	}
	cc, _, _ := strings.Cut(strings.TrimPrefix(masked, "+"), " ")
	national := strings.TrimPrefix(full, cc)
	return strings.TrimPrefix(t, "0") == national && national != ""
}

// Answer is what the member gives for the step under way.
type Answer struct {
	Code string // an app, texted or mailed code
	// CeremonyID and Credential answer a security key's login.
	CeremonyID string
	Credential string
	// Answers answer the security questions asked, question → answer.
	Answers map[string]string
}

// ErrWrongAnswers answers security questions that were not all right; which
// one was wrong is not told.
var ErrWrongAnswers = twofold.FieldError("answers",
	"One or more of your answers don't match the ones you registered. Check them and try again.")

func (s *Service) verifyQuestions(ctx context.Context, st *state, o Option, given map[string]string, c twofold.Client) error {
	asked := stepQuestions(st.a)
	answers := make(map[string]string, len(asked))
	for _, q := range asked {
		a := strings.TrimSpace(given[q])
		if a == "" {
			return twofold.FieldError("answers", "Answer every question.")
		}
		answers[q] = a
	}
	if len(asked) == 0 {
		return ErrNoStep
	}
	return s.guarded(ctx, st, "wrong security answers", c, func() error {
		ok, err := s.Questions.Check(ctx, o.MethodID, answers)
		if err != nil {
			return err
		}
		if !ok {
			return ErrWrongAnswers
		}
		return nil
	})
}

// Verify checks the answer for the step under way and, when it is right,
// counts the step's method as proven. Every check takes one of the reset
// guard's places first; a call is taken when it got its "#" (ErrCallWaiting
// until then) and needs no place, since nothing is guessed.
func (s *Service) Verify(ctx context.Context, id string, ans Answer, c twofold.Client) (*View, error) {
	st, err := s.verifying(ctx, id)
	if err != nil {
		return nil, err
	}
	o, ok := st.stepOption()
	if !ok {
		return nil, ErrNoStep
	}
	p := st.org.Policy
	switch o.Proof {
	case methodkind.ProofCall:
		_, err = s.Phones.TakeCall(ctx, binding(st.a), twofold.PurposeReset)
	case methodkind.ProofAppCode:
		if _, err = normalizeCode(ans.Code); err == nil {
			err = s.guarded(ctx, st, "wrong authenticator code", c, func() error {
				_, err := s.Checker.Check(ctx, st.u, p, o.MethodID, ans.Code)
				return err
			})
		}
	case methodkind.ProofText:
		if _, err = normalizeCode(ans.Code); err == nil {
			err = s.guarded(ctx, st, "wrong texted code", c, func() error {
				_, err := s.Checker.CheckText(ctx, st.u, p, binding(st.a), twofold.PurposeReset, ans.Code)
				return err
			})
		}
	case methodkind.ProofKey:
		err = s.verifyKey(ctx, st, o, ans, c)
	case methodkind.ProofEmailCode:
		if _, err = email.NormalizeCode(ans.Code); err == nil {
			err = s.guarded(ctx, st, "wrong emailed code", c, func() error {
				ch, err := s.Mail.Check(ctx, binding(st.a), ans.Code)
				if err == nil && (ch.MethodID != o.MethodID || ch.Purpose != twofold.PurposeReset) {
					return email.ErrNoCode
				}
				return err
			})
		}
	case methodkind.ProofQuestions:
		err = s.verifyQuestions(ctx, st, o, ans.Answers, c)
	default:
		err = ErrOptionGone
	}
	if err != nil {
		return nil, err
	}
	return s.prove(ctx, id, st, o)
}

func (s *Service) verifyKey(ctx context.Context, st *state, o Option, ans Answer, c twofold.Client) error {
	if s.Keys == nil {
		return ErrKeysUnavailable
	}
	if ans.CeremonyID == "" || ans.Credential == "" {
		return twofold.FieldError("credential", "Use your security key when your browser asks for it.")
	}
	return s.guarded(ctx, st, "security key refused", c, func() error {
		return s.Checker.CheckKey(ctx, st.u, st.org.Policy, func() error {
			cred, err := s.Keys.FinishLogin(ctx, st.u, ans.CeremonyID, binding(st.a), []byte(ans.Credential))
			if err != nil {
				return err
			}
			if cred.MethodID != o.MethodID {
				return twofold.Errorf(twofold.EINVALID, "That's a different security key. Use the key you chose.")
			}
			return nil
		})
	})
}

// prove records the step's method as proven, once.
func (s *Service) prove(ctx context.Context, id string, st *state, o Option) (*View, error) {
	state, ok, err := s.Store.ProveResetMethod(ctx, st.a.IDHash, o.MethodID, s.Now().UTC())
	if err != nil {
		return nil, fmt.Errorf("reset: prove: %w", err)
	}
	if !ok {
		// A racing twin proved it first, or the attempt ended meanwhile.
		return nil, twofold.Errorf(twofold.ECONFLICT, "That step was already counted. Choose another way to verify, or start again.")
	}
	st.a.State = state
	st.a.Proven = append(st.a.Proven, o.MethodID)
	st.a.StepMethodID, st.a.StepData = "", ""
	return s.view(ctx, id, st), nil
}

// normalizeCode refuses what is not a 6-digit code before it counts as a
// guess.
func normalizeCode(code string) (string, error) {
	code = strings.ReplaceAll(strings.TrimSpace(code), " ", "")
	if len(code) != 6 || strings.Trim(code, "0123456789") != "" {
		return "", twofold.FieldError("code", "Enter the 6-digit code.")
	}
	return code, nil
}
