package totp

import (
	"context"
	"log/slog"
	"time"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/secretbox"
)

// MethodStore is the part of twofold.MethodStore this package needs; see there
// for the error contracts.
type MethodStore interface {
	// CreateMethod stores m.
	CreateMethod(ctx context.Context, m *twofold.Method) error
	// MethodByID returns ENOTFOUND if the method does not exist or is not the user's.
	MethodByID(ctx context.Context, userID, methodID string) (*twofold.Method, error)
	// ActivateMethodWithin returns ECONFLICT when the user already has limit
	// active methods of kind, and ENOTFOUND if no such pending method exists.
	ActivateMethodWithin(ctx context.Context, userID, methodID string, kind twofold.MethodKind, limit int, name string, step int64, at time.Time) error
	// ConsumeStep reports false, with no error, when step is not newer than the
	// method's last accepted step.
	ConsumeStep(ctx context.Context, methodID string, step int64, at time.Time) (bool, error)
}

// PendingTTL is how long a started setup may be finished. Long enough to find
// and install an app; short enough that an abandoned QR code on a screen stops
// being useful.
const PendingTTL = 30 * time.Minute

// DefaultName is the name of an authenticator app the member did not name.
const DefaultName = "Authenticator app"

// Service enrols and verifies authenticator apps. It is safe for concurrent use.
type Service struct {
	box     *secretbox.Box
	methods MethodStore
	now     func() time.Time
}

// New returns a Service that seals secrets with box, keeps methods in methods and
// reads the time from now.
func New(box *secretbox.Box, methods MethodStore, now func() time.Time) *Service {
	return &Service{box: box, methods: methods, now: now}
}

// Enrolment is what the setup page shows. It holds the secret in clear, so it
// lives only for the page render and logs as REDACTED apart from its method ID.
type Enrolment struct {
	// MethodID names the pending method the member is setting up.
	MethodID string
	// Secret is the key in base32 without padding, for typing into an app.
	Secret string
	// GroupedSecret is Secret in groups of four separated by spaces, for reading.
	GroupedSecret string
	// URI is the otpauth:// key URI the QR code encodes.
	URI string
	// QRCodePNG is a PNG image of URI, about 200 pixels square.
	QRCodePNG []byte
}

// LogValue keeps the secret, the URI that contains it and its QR code out of logs.
func (e *Enrolment) LogValue() slog.Value {
	return slog.GroupValue(slog.String("method_id", e.MethodID), slog.String("secret", "REDACTED"))
}
