//go:build unix

package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
)

// lockDataDir takes DIR/twofold.lock for as long as the service runs, so a
// second serve on the same embedded store is refused instead of sharing it.
// The lock is the kernel's (flock): it goes with the process, however it ends.
func lockDataDir(dir string) (release func(), err error) {
	path := filepath.Join(dir, "twofold.lock")
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("lock the data directory: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("another twofold serve is already running on the data directory %s (it holds %s); stop it, or give this one its own --data-dir", dir, path)
		}
		return nil, fmt.Errorf("lock the data directory %s: %w", dir, err)
	}
	return func() { f.Close() }, nil
}
