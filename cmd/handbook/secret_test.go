package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReadSecret: the session key file must be private and hold hex digits.
func TestReadSecret(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string, mode os.FileMode) string {
		t.Helper()
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), mode); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(p, mode); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good := write("good", strings.Repeat("0f", 32)+"\n", 0o600)
	if k, err := readSecret(good); err != nil || len(k) != 32 {
		t.Errorf("a private hex key: %d bytes, %v", len(k), err)
	}
	if _, err := readSecret(write("open", strings.Repeat("0f", 32), 0o644)); err == nil || !strings.Contains(err.Error(), "chmod 600") {
		t.Errorf("a key readable by others: %v", err)
	}
	if _, err := readSecret(write("text", "not a key", 0o600)); err == nil || !strings.Contains(err.Error(), "hex") {
		t.Errorf("a key that is not hex: %v", err)
	}
}
