// tlog_interop: the Go side of the Merkle interop test between Pnyx and
// golang.org/x/mod/sumdb/tlog (tests/interop_tlog.sh).
//
// Usage: tlog_interop DUMP OUT
//
// DUMP is the output of `tlog_dump dump N` (format documented at the top
// of tests/tlog_dump.c):
//
//	leaf <index> <entry bytes hex>
//	root <size> <root hex>
//	incl <index> <size> <count> <hash hex>...
//	cons <old> <size> <count> <hash hex>...
//
// From the leaves alone Go builds its own tree (tlog.RecordHash and
// tlog.StoredHashesForRecordHash) and checks:
//   - every root against tlog.TreeHash (size 0 is skipped: x/mod 0.7.0's
//     TreeHash(0) returns zeros instead of SHA-256(""), see ENVIRONMENT.md);
//   - every inclusion proof with tlog.CheckRecord, and that it equals
//     tlog.ProveRecord's;
//   - every consistency proof with tlog.CheckTree, and that it equals
//     tlog.ProveTree's;
//   - that each proof fails once one bit is flipped.
//
// It then writes to OUT, in the same incl/cons line format, Go's own proofs
// (tlog.ProveRecord and tlog.ProveTree) for the same questions and for two
// more pseudo-random ones per size, for `tlog_dump verify` to check.
// Exit status 0 if every check passes, 1 otherwise (first failure on
// stderr).
package main

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"fmt"
	"math/rand"
	"os"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/tlog"
)

type tree struct {
	leaves  []tlog.Hash
	stored  []tlog.Hash
	roots   map[int64]tlog.Hash // from the dump
	nIncl   int
	nCons   int
	pending [][]string // incl/cons lines, checked once the tree is built
}

func (t *tree) ReadHashes(indexes []int64) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(indexes))
	for i, x := range indexes {
		if x < 0 || x >= int64(len(t.stored)) {
			return nil, fmt.Errorf("stored hash %d out of range", x)
		}
		out[i] = t.stored[x]
	}
	return out, nil
}

func fail(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, "tlog_interop: "+format+"\n", args...)
	os.Exit(1)
}

func parseHash(s string) tlog.Hash {
	var h tlog.Hash
	b, err := hex.DecodeString(s)
	if err != nil || len(b) != tlog.HashSize {
		fail("bad hash %q", s)
	}
	copy(h[:], b)
	return h
}

func parseInt(s string) int64 {
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil || v < 0 {
		fail("bad number %q", s)
	}
	return v
}

func (t *tree) addLeaf(f []string) {
	if len(f) != 3 || parseInt(f[1]) != int64(len(t.leaves)) {
		fail("leaf lines out of order: %v", f)
	}
	data, err := hex.DecodeString(f[2])
	if err != nil {
		fail("bad leaf data %q", f[2])
	}
	h := tlog.RecordHash(data)
	hashes, err := tlog.StoredHashesForRecordHash(int64(len(t.leaves)), h, t)
	if err != nil {
		fail("StoredHashesForRecordHash: %v", err)
	}
	t.leaves = append(t.leaves, h)
	t.stored = append(t.stored, hashes...)
}

// proofFields parses "<kind> <a> <b> <count> <hash>...".
func proofFields(f []string) (a, b int64, p []tlog.Hash) {
	if len(f) < 4 {
		fail("short proof line %v", f)
	}
	a, b = parseInt(f[1]), parseInt(f[2])
	if n := parseInt(f[3]); n != int64(len(f)-4) {
		fail("proof line with %d hashes says %d", len(f)-4, n)
	}
	for _, s := range f[4:] {
		p = append(p, parseHash(s))
	}
	return a, b, p
}

func equal(x, y []tlog.Hash) bool {
	if len(x) != len(y) {
		return false
	}
	for i := range x {
		if x[i] != y[i] {
			return false
		}
	}
	return true
}

func (t *tree) root(n int64) tlog.Hash {
	r, ok := t.roots[n]
	if !ok {
		fail("no root line for size %d", n)
	}
	return r
}

func (t *tree) checkIncl(index, size int64, p []tlog.Hash) {
	if size > int64(len(t.leaves)) || index >= size {
		fail("incl %d %d outside the tree", index, size)
	}
	th := t.root(size)
	if err := tlog.CheckRecord(p, size, th, index, t.leaves[index]); err != nil {
		fail("CheckRecord(index %d, size %d): %v", index, size, err)
	}
	gp, err := tlog.ProveRecord(size, index, t)
	if err != nil || !equal(gp, p) {
		fail("ProveRecord(index %d, size %d) differs: %v", index, size, err)
	}
	if len(p) > 0 {
		q := append([]tlog.Hash(nil), p...)
		q[len(q)-1][5] ^= 0x40
		if tlog.CheckRecord(q, size, th, index, t.leaves[index]) == nil {
			fail("CheckRecord accepts a flipped proof (%d, %d)", index, size)
		}
	}
	t.nIncl++
}

func (t *tree) checkCons(old, size int64, p []tlog.Hash) {
	if size > int64(len(t.leaves)) || old > size || old == 0 {
		fail("cons %d %d outside what Go can check", old, size)
	}
	r1, r2 := t.root(old), t.root(size)
	if err := tlog.CheckTree(p, size, r2, old, r1); err != nil {
		fail("CheckTree(old %d, size %d): %v", old, size, err)
	}
	gp, err := tlog.ProveTree(size, old, t)
	if err != nil || !equal(gp, p) {
		fail("ProveTree(old %d, size %d) differs: %v", old, size, err)
	}
	if len(p) > 0 {
		q := append([]tlog.Hash(nil), p...)
		q[0][31] ^= 0x01
		if tlog.CheckTree(q, size, r2, old, r1) == nil {
			fail("CheckTree accepts a flipped proof (%d, %d)", old, size)
		}
	}
	t.nCons++
}

func readDump(path string) *tree {
	f, err := os.Open(path)
	if err != nil {
		fail("%v", err)
	}
	defer f.Close()
	t := &tree{roots: map[int64]tlog.Hash{}}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		fields := strings.Split(sc.Text(), " ")
		switch fields[0] {
		case "leaf":
			t.addLeaf(fields)
		case "root":
			if len(fields) != 3 {
				fail("bad root line")
			}
			t.roots[parseInt(fields[1])] = parseHash(fields[2])
		case "incl", "cons":
			t.pending = append(t.pending, fields)
		default:
			fail("unknown line %q", fields[0])
		}
	}
	if err := sc.Err(); err != nil {
		fail("%v", err)
	}
	return t
}

func writeProof(w *bufio.Writer, kind string, a, b int64, p []tlog.Hash) {
	fmt.Fprintf(w, "%s %d %d %d", kind, a, b, len(p))
	for _, h := range p {
		w.WriteString(" " + hex.EncodeToString(h[:]))
	}
	w.WriteString("\n")
}

// writeGoProofs writes Go's proofs for the dump's questions and for two
// more pseudo-random inclusion and consistency questions per size.
func (t *tree) writeGoProofs(path string) {
	var buf bytes.Buffer
	w := bufio.NewWriter(&buf)
	for _, f := range t.pending {
		a, b, _ := proofFields(f)
		t.writeOne(w, f[0], a, b)
	}
	rng := rand.New(rand.NewSource(7))
	for size := int64(1); size <= int64(len(t.leaves)); size++ {
		for k := 0; k < 2; k++ {
			t.writeOne(w, "incl", rng.Int63n(size), size)
			t.writeOne(w, "cons", 1+rng.Int63n(size), size)
		}
	}
	w.Flush()
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		fail("%v", err)
	}
}

func (t *tree) writeOne(w *bufio.Writer, kind string, a, b int64) {
	var p []tlog.Hash
	var err error
	if kind == "incl" {
		p, err = tlog.ProveRecord(b, a, t)
	} else {
		p, err = tlog.ProveTree(b, a, t)
	}
	if err != nil {
		fail("Go proof %s %d %d: %v", kind, a, b, err)
	}
	writeProof(w, kind, a, b, p)
}

func main() {
	if len(os.Args) != 3 {
		fail("usage: tlog_interop DUMP OUT")
	}
	t := readDump(os.Args[1])
	if len(t.leaves) == 0 {
		fail("no leaves in the dump")
	}
	roots := 0
	for size := int64(1); size <= int64(len(t.leaves)); size++ {
		h, err := tlog.TreeHash(size, t)
		if err != nil || h != t.root(size) {
			fail("TreeHash(%d) differs from pnyx's root: %v", size, err)
		}
		roots++
	}
	for _, f := range t.pending {
		a, b, p := proofFields(f)
		if f[0] == "incl" {
			t.checkIncl(a, b, p)
		} else {
			t.checkCons(a, b, p)
		}
	}
	t.writeGoProofs(os.Args[2])
	fmt.Printf("go checked %d roots, %d inclusion and %d consistency proofs\n",
		roots, t.nIncl, t.nCons)
}
