// note_interop drives golang.org/x/mod/sumdb/note, the reference
// implementation of C2SP signed notes, for tests/interop_note.sh:
//
//	note_interop keygen NAME       prints the private key, then the verifier key
//	note_interop sign KEYFILE...   signs the text on stdin, prints the note
//	note_interop verify VKEY...    opens the note on stdin; prints the text
//	                               and exits 0 if it verifies, else 1
//
// Built in GOPATH mode against Debian's golang-golang-x-mod-dev.
package main

import (
	"crypto/rand"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/mod/sumdb/note"
)

func die(code int, format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, "note_interop: "+format+"\n", args...)
	os.Exit(code)
}

func keygen(name string) {
	skey, vkey, err := note.GenerateKey(rand.Reader, name)
	if err != nil {
		die(1, "keygen: %v", err)
	}
	fmt.Printf("%s\n%s\n", skey, vkey)
}

func sign(paths []string) {
	var signers []note.Signer
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			die(1, "sign: %v", err)
		}
		s, err := note.NewSigner(strings.TrimSuffix(string(b), "\n"))
		if err != nil {
			die(1, "sign: key %s: %v", p, err)
		}
		signers = append(signers, s)
	}
	text, err := io.ReadAll(os.Stdin)
	if err != nil {
		die(1, "sign: %v", err)
	}
	msg, err := note.Sign(&note.Note{Text: string(text)}, signers...)
	if err != nil {
		die(1, "sign: %v", err)
	}
	os.Stdout.Write(msg)
}

func verify(vkeys []string) {
	var verifiers []note.Verifier
	for _, k := range vkeys {
		v, err := note.NewVerifier(k)
		if err != nil {
			die(1, "verify: key: %v", err)
		}
		verifiers = append(verifiers, v)
	}
	msg, err := io.ReadAll(os.Stdin)
	if err != nil {
		die(1, "verify: %v", err)
	}
	n, err := note.Open(msg, note.VerifierList(verifiers...))
	if err != nil {
		die(1, "verify: %v", err)
	}
	os.Stdout.WriteString(n.Text)
}

func main() {
	if len(os.Args) < 3 {
		die(2, "usage: keygen NAME | sign KEYFILE... | verify VKEY...")
	}
	switch os.Args[1] {
	case "keygen":
		keygen(os.Args[2])
	case "sign":
		sign(os.Args[2:])
	case "verify":
		verify(os.Args[2:])
	default:
		die(2, "unknown command %q", os.Args[1])
	}
}
