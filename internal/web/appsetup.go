package web

import (
	"encoding/base64"
	"html/template"

	"github.com/twofold-id/twofold/internal/totp"
)

// appSetup is what the authenticator-app step shows, in the sign-in interrupt and
// on the Security info page alike (templates/app.html).
type appSetup struct {
	Enrolment *totp.Enrolment
	Account   string // the user name the app will show
	Name      string // kept on error
	Code      string // kept on error
}

// QRCode returns the enrolment's QR image as a data: URL. The bytes are our own
// PNG, so the URL is safe to place in src.
func (a appSetup) QRCode() template.URL {
	if a.Enrolment == nil {
		return ""
	}
	return template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(a.Enrolment.QRCodePNG))
}
