package totp

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestInteropTools checks the enrolment against independent tools when they
// are installed (Debian oathtool and zbar-tools): the QR code decodes to the
// exact URI, and oathtool's code for the secret activates the method.
func TestInteropTools(t *testing.T) {
	oathtool, err1 := exec.LookPath("oathtool")
	zbarimg, err2 := exec.LookPath("zbarimg")
	if err1 != nil || err2 != nil {
		t.Skip("oathtool or zbarimg not installed")
	}
	ctx := context.Background()
	f := newFixture(t)
	e, err := f.svc.Begin(ctx, "u1", "Contoso Ltd", "ada@contoso.example")
	if err != nil {
		t.Fatal(err)
	}
	png := filepath.Join(t.TempDir(), "qr.png")
	if err := os.WriteFile(png, e.QRCodePNG, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(zbarimg, "--quiet", "--raw", png).Output()
	if err != nil || strings.TrimSpace(string(out)) != e.URI {
		t.Fatalf("zbarimg read %q (%v), want %q", out, err, e.URI)
	}
	now := f.clock.Now().UTC().Format("2006-01-02 15:04:05")
	out, err = exec.Command(oathtool, "--totp", "--base32", "--now", now+" UTC", e.Secret).Output()
	if err != nil {
		t.Fatalf("oathtool: %v", err)
	}
	if err := f.svc.Activate(ctx, "u1", e.MethodID, "", strings.TrimSpace(string(out)), 5); err != nil {
		t.Fatalf("oathtool's code refused: %v", err)
	}
}
