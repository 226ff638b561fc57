package main

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"regexp"
	"strings"
)

// tokenName is what a user's name in the auth file may be.
var tokenName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$`)

// runToken prints a new sign-in token and the line of the auth file that
// stores its hash: the token goes to its user, the line to --auth FILE.
func runToken(_ context.Context, args []string, _ func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("token", flag.ContinueOnError)
	var (
		name, roles, levels string
	)
	fs.StringVar(&name, "name", "", "the user's name, as the audit log shows it (required)")
	fs.StringVar(&roles, "roles", "reader", "comma-separated roles: reader, trainer, admin")
	fs.StringVar(&levels, "levels", "public", "comma-separated handling levels the user may see")
	fs.Usage = func() {
		io.WriteString(fs.Output(), "Usage: handbook token --name NAME [--roles reader,trainer] [--levels public,members-only]\n\n"+
			"Prints a new random token (give it to the user: they sign in with it at /signin, or send it as\n"+
			"\"Authorization: Bearer TOKEN\") and the line to add under users: in the --auth file, which keeps\n"+
			"only the token's SHA-256.\n\n")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args, stderr); err != nil {
		return err
	}
	if !tokenName.MatchString(name) {
		fmt.Fprintln(stderr, "--name: give the user's name (letters, digits, . _ @ -; up to 64)")
		return errUsage
	}
	var b [32]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	token := "hb_" + hex.EncodeToString(b[:])
	sum := sha256.Sum256([]byte(token))
	fmt.Fprintf(stdout, "token: %s\n", token)
	fmt.Fprintf(stdout, "auth file line (under users:):\n  - {name: %s, token_sha256: %q, roles: [%s], levels: [%s]}\n",
		name, hex.EncodeToString(sum[:]), list(roles), list(levels))
	return nil
}

// list turns "a, b,c" into "a, b, c" for a YAML flow sequence.
func list(s string) string {
	var out []string
	for _, v := range strings.Split(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return strings.Join(out, ", ")
}
