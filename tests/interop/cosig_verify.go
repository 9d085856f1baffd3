// cosig_verify checks Pnyx's C2SP tlog-cosignature lines independently of
// Pnyx, for tests/interop_cosig.sh:
//
//	cosig_verify NOTEFILE LOGVKEY WITNESSVKEY...
//
// It opens the note with golang.org/x/mod/sumdb/note and the log's key (the
// cosignature lines are signatures by unknown keys there), then, for each
// witness key (name+hash+base64(0x04 || public key)), checks the key hash,
// finds the witness's line by name and key hash and verifies with
// crypto/ed25519 the message "cosignature/v1\ntime <T>\n" + checkpoint
// text. Prints "<name> <T>" per witness; exits 1 on any failure.
//
// Built in GOPATH mode against Debian's golang-golang-x-mod-dev.
package main

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"os"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/note"
)

const algCosigV1 = 0x04

func die(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, "cosig_verify: "+format+"\n", args...)
	os.Exit(1)
}

type witness struct {
	name string
	hash uint32
	pub  ed25519.PublicKey
}

func keyHash(name string, key []byte) uint32 {
	h := sha256.New()
	h.Write([]byte(name + "\n"))
	h.Write(key)
	return binary.BigEndian.Uint32(h.Sum(nil)[:4])
}

func parseWitness(vkey string) witness {
	parts := strings.SplitN(vkey, "+", 3)
	if len(parts) != 3 || len(parts[1]) != 8 {
		die("witness key %q: not name+hash+key", vkey)
	}
	hash, err := strconv.ParseUint(parts[1], 16, 32)
	if err != nil {
		die("witness key %q: bad hash", vkey)
	}
	key, err := base64.StdEncoding.DecodeString(parts[2])
	if err != nil || len(key) != 1+ed25519.PublicKeySize || key[0] != algCosigV1 {
		die("witness key %q: not a 0x04 Ed25519 key", vkey)
	}
	if keyHash(parts[0], key) != uint32(hash) {
		die("witness key %q: key hash mismatch", vkey)
	}
	return witness{parts[0], uint32(hash), ed25519.PublicKey(key[1:])}
}

// verifyCosig finds w's line among sigs and returns its verified timestamp.
func verifyCosig(w witness, sigs []note.Signature, text string) uint64 {
	for _, s := range sigs {
		if s.Name != w.name || s.Hash != w.hash {
			continue
		}
		raw, err := base64.StdEncoding.DecodeString(s.Base64)
		if err != nil || len(raw) != 4+8+ed25519.SignatureSize {
			die("%s: malformed cosignature", w.name)
		}
		t := binary.BigEndian.Uint64(raw[4:12])
		if t > 1<<63-1 {
			die("%s: timestamp out of range", w.name)
		}
		msg := fmt.Sprintf("cosignature/v1\ntime %d\n%s", t, text)
		if !ed25519.Verify(w.pub, []byte(msg), raw[12:]) {
			die("%s: cosignature does not verify", w.name)
		}
		return t
	}
	die("%s: no cosignature line", w.name)
	return 0
}

func main() {
	if len(os.Args) < 4 {
		die("usage: cosig_verify NOTEFILE LOGVKEY WITNESSVKEY...")
	}
	msg, err := os.ReadFile(os.Args[1])
	if err != nil {
		die("%v", err)
	}
	logv, err := note.NewVerifier(strings.TrimSpace(os.Args[2]))
	if err != nil {
		die("log key: %v", err)
	}
	n, err := note.Open(msg, note.VerifierList(logv))
	if err != nil {
		die("log signature: %v", err)
	}
	if len(n.Sigs) != 1 || !bytes.HasSuffix([]byte(n.Text), []byte("\n")) {
		die("unexpected note shape")
	}
	for _, vk := range os.Args[3:] {
		w := parseWitness(strings.TrimSpace(vk))
		t := verifyCosig(w, n.UnverifiedSigs, n.Text)
		fmt.Printf("%s %d\n", w.name, t)
	}
}
