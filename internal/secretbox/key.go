package secretbox

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/twofold-id/twofold"
)

// ParseKey decodes a key given in configuration: 32 bytes in base64, standard or
// URL alphabet, padded or not, surrounding space ignored. Its error never
// repeats the input, which is a secret even when malformed.
func ParseKey(s string) ([]byte, error) {
	s = strings.TrimSpace(s)
	for _, enc := range []*base64.Encoding{
		base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding,
	} {
		if k, err := enc.DecodeString(s); err == nil && len(k) == KeySize {
			return k, nil
		}
	}
	return nil, twofold.Errorf(twofold.EINVALID, "The encryption key must be %d bytes written in base64.", KeySize)
}

// LoadOrCreateKeyFile returns the key stored base64-encoded in path, or, when
// path does not exist, makes a random key and stores it there (file 0600,
// missing parent directories 0700) so an embedded single-node setup needs no
// key in its configuration. The new file appears complete or not at all, and
// when two processes start at once both end with the key that was written
// first. An existing file that does not hold a valid key is an error, never
// overwritten: that would make every stored secret unreadable.
func LoadOrCreateKeyFile(path string) ([]byte, error) {
	k, err := readKeyFile(path)
	if err == nil || !errors.Is(err, fs.ErrNotExist) {
		return k, err
	}
	if err := createKeyFile(path); err != nil {
		return nil, err
	}
	return readKeyFile(path)
}

func readKeyFile(path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("secretbox: read key file: %w", err)
	}
	k, err := ParseKey(string(b))
	if err != nil {
		return nil, fmt.Errorf("secretbox: key file %s: %w", path, err)
	}
	return k, nil
}

// createKeyFile writes a new key to a temporary file in path's directory and
// links it into place. A hard link, unlike rename, fails when path already
// exists, so a key written by a concurrent start is never replaced. Where the
// file system has no hard links it falls back to rename.
func createKeyFile(path string) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("secretbox: create key directory: %w", err)
	}
	key := make([]byte, KeySize)
	_, _ = rand.Read(key)
	tmp, err := os.CreateTemp(dir, ".key-*")
	if err != nil {
		return fmt.Errorf("secretbox: create key file: %w", err)
	}
	defer os.Remove(tmp.Name())
	// CreateTemp already uses 0600; Chmod makes it explicit whatever the umask.
	err = tmp.Chmod(0o600)
	if err == nil {
		_, err = tmp.WriteString(base64.StdEncoding.EncodeToString(key) + "\n")
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("secretbox: write key file: %w", err)
	}
	switch err := os.Link(tmp.Name(), path); {
	case err == nil, errors.Is(err, fs.ErrExist):
		// Ours is in place, or another process won: either way read path.
	default:
		if err := os.Rename(tmp.Name(), path); err != nil {
			return fmt.Errorf("secretbox: install key file: %w", err)
		}
	}
	syncDir(dir)
	return nil
}

// syncDir makes the new directory entry durable; failure is harmless beyond
// the small window it leaves, and some systems cannot sync directories at all.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		_ = d.Close()
	}
}
