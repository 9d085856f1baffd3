// tlog_bench: the Go side of bench/run.sh. It does the same in-memory work
// as bench_log's "tree" mode with golang.org/x/mod/sumdb/tlog, over the same
// leaves and the same random proof pairs, and prints the same keys:
//
//	tlog_bench N PROOFS REPEAT
//
// Entries: entry i has 300 bytes, byte j = (i*31 + j*7) & 0xff. Because that
// equals (((i*31) & 0xff) + 7*j) & 0xff, entry i is row (i*31) & 0xff of a
// 256-row table built once, so no timing includes making entries.
//
// Random pairs: x <- x*6364136223846793005 + 1442695040888963407 (mod 2^64),
// r = x >> 33; inclusion of leaf r % N in the tree of N leaves (seed 1),
// consistency from 1 + r % (N-1) leaves to N leaves (seed 2).
//
// The phases run in turn, REPEAT rounds (the two kinds of proofs likewise),
// and the fastest run of each is reported.
// Build in GOPATH mode (see bench/run.sh); output is "key value" lines.
package main

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"strconv"
	"syscall"
	"time"

	"golang.org/x/mod/sumdb/tlog"
)

const (
	entryLen   = 300
	shaPerLeaf = 5 // raw SHA-256 runs 5 N chained hashes
	digestMax  = 1000
)

func fail(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, "tlog_bench: "+format+"\n", args...)
	os.Exit(1)
}

func entryTable() [][]byte {
	t := make([][]byte, 256)
	for c := range t {
		t[c] = make([]byte, entryLen)
		for j := range t[c] {
			t[c][j] = byte((c + 7*j) & 0xff)
		}
	}
	return t
}

func lcg(x uint64) uint64 {
	return x*6364136223846793005 + 1442695040888963407
}

func report(key string, v interface{}) {
	fmt.Printf("%s %v\n", key, v)
}

func rate(count int64, d time.Duration) string {
	return strconv.FormatFloat(float64(count)/d.Seconds(), 'f', 0, 64)
}

func secs(d time.Duration) string {
	return strconv.FormatFloat(d.Seconds(), 'f', 6, 64)
}

// shaChain chains SHA-256 over a 65-byte buffer (0x01 then 64 bytes), the
// shape of a Merkle node, feeding each output back into bytes 1..32.
func shaChain(rounds int64, final *[32]byte) time.Duration {
	var buf [65]byte
	buf[0] = 0x01
	t0 := time.Now()
	for k := int64(0); k < rounds; k++ {
		h := sha256.Sum256(buf[:])
		copy(buf[1:33], h[:])
	}
	d := time.Since(t0)
	copy(final[:], buf[1:33])
	return d
}

type tree struct {
	n      int64
	hashes []tlog.Hash
}

func (t *tree) ReadHashes(idx []int64) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(idx))
	for k, x := range idx {
		out[k] = t.hashes[x]
	}
	return out, nil
}

func (t *tree) buildFull(table [][]byte) {
	t.hashes = t.hashes[:0]
	for i := int64(0); i < t.n; i++ {
		hs, err := tlog.StoredHashes(i, table[(i*31)&0xff], t)
		if err != nil {
			fail("StoredHashes: %v", err)
		}
		t.hashes = append(t.hashes, hs...)
	}
}

func (t *tree) hashLeaves(table [][]byte, leaves []tlog.Hash) {
	for i := int64(0); i < t.n; i++ {
		leaves[i] = tlog.RecordHash(table[(i*31)&0xff])
	}
}

// appendLeaves is the interior-node part alone: StoredHashes(i, data, r) is
// StoredHashesForRecordHash(i, RecordHash(data), r).
func (t *tree) appendLeaves(leaves []tlog.Hash) {
	t.hashes = t.hashes[:0]
	for i := int64(0); i < t.n; i++ {
		hs, err := tlog.StoredHashesForRecordHash(i, leaves[i], t)
		if err != nil {
			fail("StoredHashesForRecordHash: %v", err)
		}
		t.hashes = append(t.hashes, hs...)
	}
}

func faster(r int, best, d time.Duration) time.Duration {
	if r == 0 || d < best {
		return d
	}
	return best
}

func timed(f func()) time.Duration {
	t0 := time.Now()
	f()
	return time.Since(t0)
}

// benchTree runs the phases in turn, repeat rounds, so that a slow spell of
// the machine does not fall on one phase only.
func benchTree(t *tree, table [][]byte, repeat int) {
	n := t.n
	var sha, full, leaf, node time.Duration
	var final [32]byte
	var root tlog.Hash
	leaves := make([]tlog.Hash, n)
	for r := 0; r < repeat; r++ {
		sha = faster(r, sha, shaChain(shaPerLeaf*n, &final))
		full = faster(r, full, timed(func() { t.buildFull(table) }))
		var err error
		if root, err = tlog.TreeHash(n, t); err != nil {
			fail("TreeHash: %v", err)
		}
		leaf = faster(r, leaf, timed(func() { t.hashLeaves(table, leaves) }))
		node = faster(r, node, timed(func() { t.appendLeaves(leaves) }))
		if root2, err := tlog.TreeHash(n, t); err != nil || root2 != root {
			fail("second pass gives another root")
		}
	}
	report("sha.count", shaPerLeaf*n)
	report("sha.seconds", secs(sha))
	report("sha.per_s", rate(shaPerLeaf*n, sha))
	report("sha.final", hex.EncodeToString(final[:]))
	report("tree.n", n)
	report("tree.seconds", secs(full))
	report("tree.leaves_per_s", rate(n, full))
	report("tree.root", hex.EncodeToString(root[:]))
	report("leaf.seconds", secs(leaf))
	report("leaf.per_s", rate(n, leaf))
	nodes := n - int64(popcount(uint64(n)))
	report("node.count", nodes)
	report("node.seconds", secs(node))
	report("node.per_s", rate(nodes, node))
}

func popcount(x uint64) int {
	c := 0
	for ; x != 0; x &= x - 1 {
		c++
	}
	return c
}

func inclusionPair(x uint64, n int64) int64 {
	return int64((x >> 33) % uint64(n))
}

func consistencyPair(x uint64, n int64) int64 {
	return 1 + int64((x>>33)%uint64(n-1))
}

func (t *tree) inclusionProofs(count int64) {
	x := uint64(1)
	for k := int64(0); k < count; k++ {
		x = lcg(x)
		if _, err := tlog.ProveRecord(t.n, inclusionPair(x, t.n), t); err != nil {
			fail("ProveRecord: %v", err)
		}
	}
}

func (t *tree) consistencyProofs(count int64) {
	x := uint64(2)
	for k := int64(0); k < count; k++ {
		x = lcg(x)
		if _, err := tlog.ProveTree(t.n, consistencyPair(x, t.n), t); err != nil {
			fail("ProveTree: %v", err)
		}
	}
}

func benchProofs(t *tree, count int64, repeat int) {
	var incl, cons time.Duration
	for r := 0; r < repeat; r++ {
		incl = faster(r, incl, timed(func() { t.inclusionProofs(count) }))
		cons = faster(r, cons, timed(func() { t.consistencyProofs(count) }))
	}
	report("incl.count", count)
	report("incl.seconds", secs(incl))
	report("incl.per_s", rate(count, incl))
	report("cons.count", count)
	report("cons.seconds", secs(cons))
	report("cons.per_s", rate(count, cons))
}

// proofDigest hashes the proofs of the first digestMax pairs of both
// sequences, in order (inclusion proofs, then consistency proofs), after
// checking each.
func proofDigest(t *tree) {
	n := t.n
	count := int64(digestMax)
	root, _ := tlog.TreeHash(n, t)
	h := sha256.New()
	x := uint64(1)
	for k := int64(0); k < count; k++ {
		x = lcg(x)
		i := inclusionPair(x, n)
		p, err := tlog.ProveRecord(n, i, t)
		if err != nil {
			fail("ProveRecord: %v", err)
		}
		leaf := t.hashes[tlog.StoredHashIndex(0, i)]
		if tlog.CheckRecord(p, n, root, i, leaf) != nil {
			fail("inclusion proof %d does not verify", k)
		}
		for _, ph := range p {
			h.Write(ph[:])
		}
	}
	x = 2
	for k := int64(0); k < count; k++ {
		x = lcg(x)
		old := consistencyPair(x, n)
		p, err := tlog.ProveTree(n, old, t)
		if err != nil {
			fail("ProveTree: %v", err)
		}
		oldRoot, _ := tlog.TreeHash(old, t)
		if tlog.CheckTree(p, n, root, old, oldRoot) != nil {
			fail("consistency proof %d does not verify", k)
		}
		for _, ph := range p {
			h.Write(ph[:])
		}
	}
	report("proof.digest", hex.EncodeToString(h.Sum(nil)))
}

func arg(k int) int64 {
	v, err := strconv.ParseInt(os.Args[k], 10, 64)
	if err != nil || v < 1 {
		fail("bad argument %q", os.Args[k])
	}
	return v
}

func main() {
	if len(os.Args) != 4 {
		fail("usage: tlog_bench N PROOFS REPEAT")
	}
	n, proofs, repeat := arg(1), arg(2), int(arg(3))
	if n < 2 {
		fail("N must be at least 2")
	}
	table := entryTable()
	t := &tree{n: n, hashes: make([]tlog.Hash, 0, tlog.StoredHashCount(n))}
	benchTree(t, table, repeat)
	benchProofs(t, proofs, repeat)
	proofDigest(t)
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err == nil {
		report("rss_kb", ru.Maxrss)
	}
}
