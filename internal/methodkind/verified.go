package methodkind

import (
	"context"
	"fmt"
	"time"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/phone"
	"github.com/twofold-id/twofold/internal/policy"
)

// MethodStore creates and reads methods.
type MethodStore interface {
	CreateMethod(ctx context.Context, m *twofold.Method) error
	MethodByID(ctx context.Context, userID, methodID string) (*twofold.Method, error)
}

// AppActivator activates a pending authenticator app with a current code
// (internal/totp).
type AppActivator interface {
	Activate(ctx context.Context, userID, methodID, name, code string, limit int) error
}

// App is the pending authenticator app methodID of userID, verified by code as
// Save runs (a wrong code fails the save).
func App(st MethodStore, apps AppActivator, pol twofold.Policy, userID, methodID, name, code string,
	describe func(m *twofold.Method) (reason, notice string)) Verified {
	return Verified{
		Save: func(ctx context.Context) (*twofold.Method, error) {
			if err := apps.Activate(ctx, userID, methodID, name, code, Limit(pol, twofold.KindSoftwareOath)); err != nil {
				return nil, err
			}
			m, err := st.MethodByID(ctx, userID, methodID)
			if err != nil {
				return nil, fmt.Errorf("methodkind: reload method: %w", err)
			}
			return m, nil
		},
		Preference: twofold.PreferenceOath,
		Activity:   twofold.ActivityRegistered,
		Describe:   describe,
	}
}

// NewPhone is the phone a verification ch proved (a texted code entered, or a
// call answered with "#"), created for userID as Save runs.
func NewPhone(st MethodStore, userID string, ch *twofold.Challenge, now func() time.Time,
	describe func(m *twofold.Method) (reason, notice string)) Verified {
	return Verified{
		Save: func(ctx context.Context) (*twofold.Method, error) {
			t := now().UTC()
			m := &twofold.Method{
				ID: twofold.NewID(), UserID: userID, Kind: twofold.KindPhone, State: twofold.MethodActive,
				Name: phone.TypeLabel(ch.PhoneType), PhoneNumber: ch.PhoneNumber, PhoneType: ch.PhoneType,
				CreatedAt: t, ActivatedAt: t,
			}
			if err := st.CreateMethod(ctx, m); err != nil {
				return nil, err
			}
			return m, nil
		},
		Preference: PhonePreference(ch),
		Activity:   twofold.ActivityRegistered,
		Describe:   describe,
	}
}

// PhonePreference is the default sign-in choice a phone verified by ch offers:
// texts when it was verified by text, otherwise calls to its type.
func PhonePreference(ch *twofold.Challenge) twofold.SignInPreference {
	if ch.Channel == twofold.ChannelSMS {
		return twofold.PreferenceSMS
	}
	return policy.VoicePreference(ch.PhoneType)
}
