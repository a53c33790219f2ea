package totp

import (
	"bytes"
	"encoding/base32"
	"fmt"
	"image/png"
	"net/url"
	"strings"

	"github.com/pquerna/otp"
)

// qrSize is the QR code's width and height in pixels: large enough for a phone
// camera at arm's length, small enough for the page.
const qrSize = 200

// b32 is the base32 alphabet apps expect, without padding (160 bits is exactly
// 32 characters anyway).
var b32 = base32.StdEncoding.WithPadding(base32.NoPadding)

// render builds what the setup page shows for secret.
func render(methodID string, secret []byte, issuer, account string) (*Enrolment, error) {
	s := b32.EncodeToString(secret)
	uri := keyURI(s, issuer, account)
	key, err := otp.NewKeyFromURL(uri)
	if err != nil {
		return nil, fmt.Errorf("totp: parse key URI: %w", err)
	}
	img, err := key.Image(qrSize, qrSize)
	if err != nil {
		return nil, fmt.Errorf("totp: draw QR code: %w", err)
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, fmt.Errorf("totp: encode QR code: %w", err)
	}
	return &Enrolment{
		MethodID:      methodID,
		Secret:        s,
		GroupedSecret: group(s, 4),
		URI:           uri,
		QRCodePNG:     buf.Bytes(),
	}, nil
}

// keyURI writes the Google Authenticator key URI
// otpauth://totp/Issuer:account?secret=…&issuer=…&algorithm=SHA1&digits=6&period=30.
// The issuer appears in both the label and the parameter, as the format asks,
// so old and new apps agree on how to file the entry.
func keyURI(secret, issuer, account string) string {
	label := escape(issuer) + ":" + escape(account)
	if issuer == "" {
		label = escape(account)
	}
	q := "secret=" + secret
	if issuer != "" {
		q += "&issuer=" + escape(issuer)
	}
	q += fmt.Sprintf("&algorithm=SHA1&digits=%d&period=%d", digits, period)
	return "otpauth://totp/" + label + "?" + q
}

// escape percent-encodes s for a label or a query value. Spaces become %20, not
// "+", which some apps would show literally; a colon becomes %3A so it cannot
// split the label.
func escape(s string) string {
	return strings.ReplaceAll(url.QueryEscape(s), "+", "%20")
}

// group splits s into runs of n separated by single spaces.
func group(s string, n int) string {
	var b strings.Builder
	for i := 0; i < len(s); i += n {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(s[i:min(i+n, len(s))])
	}
	return b.String()
}
