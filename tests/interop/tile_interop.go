// tile_interop: the Go side of the tile interop test between Pnyx and
// golang.org/x/mod/sumdb/tlog (tests/interop_tile.sh).
//
// Usage: tile_interop DIR
//
// DIR is what `tile_dump log DIR SIZE...` and `tile_dump paths
// DIR/paths.txt` wrote (see tests/tile_dump.c): a verifier key, one signed
// checkpoint per size, the C2SP tiles and entry bundles of the log at
// every one of those sizes, and tile paths with pnyx's verdicts.
//
// Go's tile paths differ from C2SP's (tile/8/L/N and tile/8/data/N against
// tile/L/N and tile/entries/N), and Go's data tiles are not C2SP entry
// bundles; the hash tiles are the same for height 8. So a TileReader maps
// Go's paths to the files, and bundles are parsed here (big-endian uint16
// length, then the entry). For each checkpoint, after note.Open verifies
// the log's signature:
//   - tlog.TileHashReader over the files (which authenticates every tile
//     it reads against the checkpoint's root) gives tlog.TreeHash == root;
//   - it returns every leaf hash, which must equal tlog.RecordHash of the
//     entry in the bundle; bundles must hold exactly their width;
//   - tlog.ProveRecord / CheckRecord for a sample of entries, and
//     tlog.ProveTree / CheckTree from the previous checkpoint;
//   - every tile of tlog.NewTiles(8, 0, size) at its width for that size
//     exists and equals tlog.ReadTileData;
//   - a tile with one flipped bit is refused by the TileHashReader.
// Every file under DIR/tile must be a tile or bundle of one of the sizes.
// Paths: every "ok" line's path equals Go's Tile.Path() (mapped) and
// parses back with tlog.ParseTilePath; on every "mut" line Go's verdict
// (mapped path parses, level <= 63) equals pnyx's, with the same tile.
// It writes DIR/gopaths.txt, "<L> <N> <W> <path>" for tiles chosen here,
// for `tile_dump parse`. Exit 0 if every check passes, 1 otherwise.
package main

import (
	"bufio"
	"encoding/base64"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

func fail(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, "tile_interop: "+format+"\n", args...)
	os.Exit(1)
}

// c2spPath maps a Go tile (height 8) to its C2SP path.
func c2spPath(t tlog.Tile) string {
	p := t.Path()
	if t.L == -1 {
		return "tile/entries/" + strings.TrimPrefix(p, "tile/8/data/")
	}
	return "tile/" + strings.TrimPrefix(p, "tile/8/")
}

// goPath maps a C2SP path to Go's form; false if it cannot be one.
func goPath(p string) (string, bool) {
	if strings.HasPrefix(p, "tile/entries/") {
		return "tile/8/data/" + strings.TrimPrefix(p, "tile/entries/"), true
	}
	if !strings.HasPrefix(p, "tile/") || strings.HasPrefix(p, "tile/data/") {
		return "", false
	}
	return "tile/8/" + strings.TrimPrefix(p, "tile/"), true
}

// goParse is Go's verdict on a C2SP path.
func goParse(p string) (tlog.Tile, bool) {
	g, ok := goPath(p)
	if !ok {
		return tlog.Tile{}, false
	}
	t, err := tlog.ParseTilePath(g)
	if err != nil || t.H != 8 || t.L > 63 {
		return tlog.Tile{}, false
	}
	return t, true
}

// fileTiles reads tiles from DIR, flipping one bit of the tile named
// tamper (if any).
type fileTiles struct {
	dir    string
	cache  map[string][]byte
	tamper string
}

func (r *fileTiles) Height() int { return 8 }

func (r *fileTiles) read(p string) ([]byte, error) {
	if d, ok := r.cache[p]; ok {
		return d, nil
	}
	d, err := os.ReadFile(filepath.Join(r.dir, p))
	if err != nil {
		return nil, err
	}
	r.cache[p] = d
	return d, nil
}

func (r *fileTiles) ReadTiles(tiles []tlog.Tile) ([][]byte, error) {
	out := make([][]byte, len(tiles))
	for i, t := range tiles {
		p := c2spPath(t)
		d, err := r.read(p)
		if err != nil {
			return nil, err
		}
		out[i] = append([]byte(nil), d...)
		if p == r.tamper && len(d) > 0 {
			out[i][len(d)-1] ^= 1
		}
	}
	return out, nil
}

func (r *fileTiles) SaveTiles(tiles []tlog.Tile, data [][]byte) {}

type checkpoint struct {
	size int64
	root tlog.Hash
}

func readCheckpoint(path string, v note.Verifier) checkpoint {
	msg, err := os.ReadFile(path)
	if err != nil {
		fail("%v", err)
	}
	n, err := note.Open(msg, note.VerifierList(v))
	if err != nil {
		fail("%s: note.Open: %v", path, err)
	}
	lines := strings.Split(n.Text, "\n")
	if len(lines) < 4 || lines[0] != v.Name() {
		fail("%s: not a checkpoint of %s", path, v.Name())
	}
	size, err := strconv.ParseInt(lines[1], 10, 64)
	root, err2 := base64.StdEncoding.DecodeString(lines[2])
	if err != nil || err2 != nil || len(root) != tlog.HashSize {
		fail("%s: bad size or root", path)
	}
	var c checkpoint
	c.size = size
	copy(c.root[:], root)
	return c
}

// bundle parses entry bundle n of width w strictly.
func bundle(r *fileTiles, n int64, w int) [][]byte {
	p := c2spPath(tlog.Tile{H: 8, L: -1, N: n, W: w})
	d, err := r.read(p)
	if err != nil {
		fail("%v", err)
	}
	var entries [][]byte
	for len(d) > 0 {
		if len(d) < 2 || len(d) < 2+(int(d[0])<<8|int(d[1])) {
			fail("%s: truncated", p)
		}
		k := int(d[0])<<8 | int(d[1])
		entries = append(entries, d[2:2+k])
		d = d[2+k:]
	}
	if len(entries) != w {
		fail("%s: %d entries, want %d", p, len(entries), w)
	}
	return entries
}

// checkRecords checks every leaf hash and bundle, and a sample of proofs.
func checkRecords(r *fileTiles, c checkpoint, thr tlog.HashReader) map[int64]tlog.Hash {
	idx := make([]int64, c.size)
	for i := range idx {
		idx[i] = tlog.StoredHashIndex(0, int64(i))
	}
	leaves, err := thr.ReadHashes(idx)
	if err != nil {
		fail("size %d: ReadHashes of every leaf: %v", c.size, err)
	}
	for n := int64(0); n*256 < c.size; n++ {
		w := c.size - n*256
		if w > 256 {
			w = 256
		}
		for i, e := range bundle(r, n, int(w)) {
			if tlog.RecordHash(e) != leaves[n*256+int64(i)] {
				fail("size %d: entry %d does not hash to its leaf",
					c.size, n*256+int64(i))
			}
		}
	}
	sample := []int64{0, c.size - 1, 255, 256, 65535, 65536}
	for i := 0; i < 20; i++ {
		sample = append(sample, rand.Int63n(c.size))
	}
	for _, i := range sample {
		if i < 0 || i >= c.size {
			continue
		}
		p, err := tlog.ProveRecord(c.size, i, thr)
		if err != nil {
			fail("size %d: ProveRecord(%d): %v", c.size, i, err)
		}
		if err := tlog.CheckRecord(p, c.size, c.root, i, leaves[i]); err != nil {
			fail("size %d: CheckRecord(%d): %v", c.size, i, err)
		}
	}
	some := map[int64]tlog.Hash{}
	for _, i := range sample {
		if i >= 0 && i < c.size {
			some[i] = leaves[i]
		}
	}
	return some
}

// checkTiles checks the files of every tile Go says the tree has.
func checkTiles(r *fileTiles, c checkpoint, thr tlog.HashReader) int {
	count := 0
	for _, t := range tlog.NewTiles(8, 0, c.size) {
		partial := int((c.size >> uint(8*t.L)) % 256)
		if t.W != 256 && t.W != partial {
			continue // a width Go publishes, C2SP does not need
		}
		want, err := tlog.ReadTileData(t, thr)
		if err != nil {
			fail("size %d: ReadTileData(%v): %v", c.size, t.Path(), err)
		}
		got, err := r.read(c2spPath(t))
		if err != nil {
			fail("size %d: %v", c.size, err)
		}
		if string(got) != string(want) {
			fail("size %d: %s differs from ReadTileData", c.size, c2spPath(t))
		}
		count++
	}
	return count
}

// checkTamper: a tile with one flipped bit is refused. Go checks the
// rightmost (partial) tiles against the tree hash, so a flipped partial tile
// must fail tlog.TreeHash. For a full tile the flipped bit is in the hash
// of the leaf read, and Go must either refuse it or return that wrong hash
// (x/mod 0.7.0's tileHashReader skips the parent check of some full tiles:
// its loop starts at len(stx), not at the number of distinct tree-hash
// tiles; a wrong hash is then caught by checkRecords' comparison with the
// entry, which the last step of interop_tile.sh relies on).
func checkTamper(dir string, c checkpoint, leaves map[int64]tlog.Hash) {
	tree := tlog.Tree{N: c.size, Hash: c.root}
	for l := 0; c.size>>uint(8*l) > 0; l++ {
		n := c.size >> uint(8*l)
		if n%256 != 0 {
			t := tlog.Tile{H: 8, L: l, N: n / 256, W: int(n % 256)}
			r := &fileTiles{dir: dir, cache: map[string][]byte{}, tamper: c2spPath(t)}
			if _, err := tlog.TreeHash(c.size, tlog.TileHashReader(tree, r)); err == nil {
				fail("size %d: tampered %s accepted", c.size, c2spPath(t))
			}
		}
		if n >= 256 && l == 0 {
			// tamper flips the last byte: the hash of leaf 255
			t := tlog.Tile{H: 8, L: 0, N: 0, W: 256}
			r := &fileTiles{dir: dir, cache: map[string][]byte{}, tamper: c2spPath(t)}
			h, err := tlog.TileHashReader(tree, r).ReadHashes([]int64{tlog.StoredHashIndex(0, 255)})
			if err == nil && h[0] == leaves[255] {
				fail("size %d: tampered %s unseen", c.size, c2spPath(t))
			}
		}
	}
}

func checkLog(dir string) {
	vkey, err := os.ReadFile(filepath.Join(dir, "vkey"))
	if err != nil {
		fail("%v", err)
	}
	v, err := note.NewVerifier(strings.TrimSpace(string(vkey)))
	if err != nil {
		fail("vkey: %v", err)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "checkpoint.*"))
	var cps []checkpoint
	for _, f := range files {
		cps = append(cps, readCheckpoint(f, v))
	}
	if len(cps) == 0 {
		fail("no checkpoints in %s", dir)
	}
	sort.Slice(cps, func(i, j int) bool { return cps[i].size < cps[j].size })
	r := &fileTiles{dir: dir, cache: map[string][]byte{}}
	tiles := 0
	for k, c := range cps {
		thr := tlog.TileHashReader(tlog.Tree{N: c.size, Hash: c.root}, r)
		th, err := tlog.TreeHash(c.size, thr)
		if err != nil || th != c.root {
			fail("size %d: TreeHash from tiles: %v", c.size, err)
		}
		leaves := checkRecords(r, c, thr)
		tiles += checkTiles(r, c, thr)
		if k > 0 {
			old := cps[k-1]
			p, err := tlog.ProveTree(c.size, old.size, thr)
			if err == nil {
				err = tlog.CheckTree(p, c.size, c.root, old.size, old.root)
			}
			if err != nil {
				fail("sizes %d..%d: consistency: %v", old.size, c.size, err)
			}
		}
		checkTamper(dir, c, leaves)
	}
	files = checkFiles(dir, cps)
	fmt.Printf("go: %d checkpoints, %d tiles checked, %d files, sizes up to %d\n",
		len(cps), tiles, len(files), cps[len(cps)-1].size)
}

// checkFiles: every file under DIR/tile is a tile or bundle of one of the
// checkpoints' trees, at its width there, of the right length.
func checkFiles(dir string, cps []checkpoint) []string {
	var files []string
	err := filepath.Walk(filepath.Join(dir, "tile"), func(p string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		t, ok := goParse(rel)
		if !ok {
			fail("%s is not a tile path", rel)
		}
		level := t.L
		if level < 0 {
			level = 0
		}
		found := false
		for _, c := range cps {
			n := c.size >> uint(8*level)
			full := t.W == 256 && (t.N+1)*256 <= n
			part := t.W < 256 && t.N == n/256 && int64(t.W) == n%256
			found = found || full || part
		}
		if !found {
			fail("%s is not a tile of any checkpoint", rel)
		}
		if t.L >= 0 && info.Size() != int64(t.W*tlog.HashSize) {
			fail("%s has %d bytes", rel, info.Size())
		}
		files = append(files, rel)
		return nil
	})
	if err != nil {
		fail("%v", err)
	}
	return files
}

func checkPaths(dir string) {
	f, err := os.Open(filepath.Join(dir, "paths.txt"))
	if err != nil {
		fail("%v", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	ok, mut, accepted := 0, 0, 0
	for sc.Scan() {
		fs := strings.Fields(sc.Text())
		if len(fs) == 5 && fs[0] == "ok" {
			l, _ := strconv.Atoi(fs[1])
			n, _ := strconv.ParseInt(fs[2], 10, 64)
			w, _ := strconv.Atoi(fs[3])
			t := tlog.Tile{H: 8, L: l, N: n, W: w}
			if c2spPath(t) != fs[4] {
				fail("pnyx path %s, Go's %s", fs[4], c2spPath(t))
			}
			if back, ok := goParse(fs[4]); !ok || back != t {
				fail("Go cannot parse pnyx's %s", fs[4])
			}
			ok++
		} else if len(fs) == 6 && fs[0] == "mut" {
			t, goOK := goParse(fs[5])
			if goOK != (fs[1] == "1") {
				fail("mutant %q: pnyx says %s, Go %v", fs[5], fs[1], goOK)
			}
			if goOK {
				l, _ := strconv.Atoi(fs[2])
				n, _ := strconv.ParseInt(fs[3], 10, 64)
				w, _ := strconv.Atoi(fs[4])
				if (tlog.Tile{H: 8, L: l, N: n, W: w}) != t {
					fail("mutant %q: pnyx parses %s %s %s, Go %v", fs[5], fs[2], fs[3], fs[4], t)
				}
				accepted++
			}
			mut++
		} else {
			fail("bad line %q", sc.Text())
		}
	}
	if ok == 0 || mut == 0 || accepted == 0 || accepted == mut {
		fail("paths.txt: %d paths, %d mutants (%d valid): too few", ok, mut, accepted)
	}
	fmt.Printf("go: %d pnyx paths and %d mutants (%d valid) agree\n", ok, mut, accepted)
}

func writeGoPaths(dir string) {
	out, err := os.Create(filepath.Join(dir, "gopaths.txt"))
	if err != nil {
		fail("%v", err)
	}
	rng := rand.New(rand.NewSource(7))
	for i := 0; i < 2000; i++ {
		t := tlog.Tile{H: 8, L: rng.Intn(65) - 1, N: rng.Int63() >> uint(rng.Intn(63)), W: 1 + rng.Intn(256)}
		fmt.Fprintf(out, "%d %d %d %s\n", t.L, t.N, t.W, c2spPath(t))
	}
	if err := out.Close(); err != nil {
		fail("%v", err)
	}
}

func main() {
	if len(os.Args) != 2 {
		fail("usage: tile_interop DIR")
	}
	rand.Seed(1)
	checkPaths(os.Args[1])
	writeGoPaths(os.Args[1])
	checkLog(os.Args[1])
}
