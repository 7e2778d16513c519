package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"hash/crc32"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// storeLines reads a store file as lines without their newlines.
func storeLines(t *testing.T, path string) []string {
	t.Helper()
	return strings.Split(strings.TrimSuffix(mustRead(t, path), "\n"), "\n")
}

func writeLines(t *testing.T, path string, lines []string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
}

// resealed sets field of the record on line to value (a score when the
// record's scores have it) and gives the record a correct checksum, as a
// careless hand edit with a checksum tool would: only the domain checks
// can catch it.
func resealed(t *testing.T, line, field string, value any) string {
	t.Helper()
	var env struct {
		CRC  string         `json:"crc32c"`
		Cell map[string]any `json:"cell"`
	}
	if err := json.Unmarshal([]byte(line), &env); err != nil {
		t.Fatalf("%s: %v", line, err)
	}
	if scores, ok := env.Cell["scores"].(map[string]any); ok && scores[field] != nil {
		scores[field] = value
	} else {
		env.Cell[field] = value
	}
	cell, err := json.Marshal(env.Cell)
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf(`{"crc32c":"%08x","cell":%s}`, crc32.Checksum(cell, crc32.MakeTable(crc32.Castagnoli)), cell)
}

// TestStoreIntegrity damages a finished store in every way a hand edit or
// a bad disk can. Each damaged record is reported with file:line, its cell
// is computed again and the others are kept, the tables equal a clean
// run's byte for byte, and the store is clean afterwards.
func TestStoreIntegrity(t *testing.T) {
	dir := t.TempDir()
	data := writeSynthetic(t, dir, 30, 8)
	cfg := writeConfig(t, dir, syntheticGrid)
	ref := filepath.Join(dir, "ref")
	if _, stderr, code := runCmd(t, "-config", cfg, "-data", data, "-out", ref, "-q"); code != 0 {
		t.Fatal(stderr)
	}
	clean := storeLines(t, filepath.Join(ref, "cells.jsonl")) // header + 36 records
	silhouette := regexp.MustCompile(`"silhouette":"[^"]*"`)
	for _, tc := range []struct {
		name   string
		damage func(l []string) []string
		line   int    // the line reported
		msg    string // in its message
		kept   int    // cells resumed from the store
	}{
		{"edited number", func(l []string) []string {
			l[4] = silhouette.ReplaceAllString(l[4], `"silhouette":"0.99"`)
			return l
		}, 5, "damaged record: checksum", 35},
		{"deleted field", func(l []string) []string {
			l[5] = regexp.MustCompile(`"inertia":"[^"]*",`).ReplaceAllString(l[5], "")
			return l
		}, 6, "damaged record: checksum", 35},
		{"duplicated line", func(l []string) []string {
			return append(l[:10:10], append([]string{l[6]}, l[10:]...)...)
		}, 11, "is stored twice (also line 7)", 35},
		{"garbage line in the middle", func(l []string) []string {
			return append(l[:9:9], append([]string{"#x&% not a record"}, l[9:]...)...)
		}, 10, "damaged record: not a record line", 36},
		{"silhouette 7", func(l []string) []string { l[7] = resealed(t, l[7], "silhouette", "7"); return l }, 8, "silhouette 7 is outside [-1, 1]", 35},
		{"negative inertia", func(l []string) []string { l[8] = resealed(t, l[8], "inertia", "-3"); return l }, 9, "inertia -3 is below 0", 35},
		{"nonempty above clusters", func(l []string) []string { l[3] = resealed(t, l[3], "nonempty", "99"); return l }, 4, "nonempty 99 is more than", 35},
		{"cell not in the grid", func(l []string) []string { l[2] = resealed(t, l[2], "cell", "pca-2-40/fold0"); return l }, 3, "not in the grid", 35},
		{"unknown field", func(l []string) []string { l[2] = resealed(t, l[2], "colour", "red"); return l }, 3, `unknown field "colour"`, 35},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out")
			if err := os.MkdirAll(out, 0o755); err != nil {
				t.Fatal(err)
			}
			store := filepath.Join(out, "cells.jsonl")
			writeLines(t, store, tc.damage(append([]string{}, clean...)))
			_, stderr, code := runCmd(t, "-config", cfg, "-data", data, "-out", out)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			want := fmt.Sprintf("sweep: %s:%d: ", store, tc.line)
			if !strings.Contains(stderr, want) || !strings.Contains(stderr, tc.msg) {
				t.Errorf("stderr lacks %q ... %q:\n%s", want, tc.msg, stderr)
			}
			if resumed := fmt.Sprintf("resuming: %d of 36 cells", tc.kept); !strings.Contains(stderr, resumed) {
				t.Errorf("stderr lacks %q:\n%s", resumed, stderr)
			}
			sameTables(t, ref, out)
			// The store was rewritten clean: nothing to report, nothing to compute.
			_, stderr, code = runCmd(t, "-config", cfg, "-data", data, "-out", out)
			if code != 0 || strings.Contains(stderr, "cells.jsonl:") || !strings.Contains(stderr, "resuming: 36 of 36 cells") {
				t.Errorf("rerun: exit %d: %s", code, stderr)
			}
			if n := len(storeLines(t, store)); n != 37 {
				t.Errorf("the store holds %d lines after the rerun, want 37", n)
			}
		})
	}
}

// merge recomputes each shard's fingerprint from its header and refuses
// a header whose config was edited.
func TestMergeRefusesTamperedHeader(t *testing.T) {
	dir := t.TempDir()
	data := writeSynthetic(t, dir, 30, 8)
	cfg := writeConfig(t, dir, syntheticGrid)
	var shards []string
	for i := 1; i <= 2; i++ {
		out := filepath.Join(dir, fmt.Sprintf("shard-%d", i))
		shards = append(shards, out)
		if _, stderr, code := runCmd(t, "-config", cfg, "-data", data, "-out", out, "-q", "-shard", fmt.Sprintf("%d/2", i)); code != 0 {
			t.Fatal(stderr)
		}
	}
	store := filepath.Join(shards[1], "cells.jsonl")
	l := storeLines(t, store)
	if !strings.Contains(l[0], `"seed":3`) {
		t.Fatalf("header without seed 3: %s", l[0])
	}
	l[0] = strings.Replace(l[0], `"seed":3`, `"seed":4`, 1)
	writeLines(t, store, l)
	_, stderr, code := runCmd(t, append([]string{"merge", "-out", filepath.Join(dir, "merged")}, shards...)...)
	want := "sweep: merge: " + store + ":1: the header's fingerprint does not match its config and data (the header was edited or damaged)"
	if code != 1 || !strings.HasPrefix(stderr, want) {
		t.Errorf("exit %d, %q; want 1, %q", code, stderr, want)
	}
	if _, err := os.Stat(filepath.Join(dir, "merged", "results.csv")); err == nil {
		t.Error("merge wrote a report")
	}
}

// A store written before records carried checksums is refused plainly.
func TestOldStoreVersion(t *testing.T) {
	dir := t.TempDir()
	data := writeSynthetic(t, dir, 30, 8)
	cfg := writeConfig(t, dir, syntheticGrid)
	out := filepath.Join(dir, "out")
	if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	store := filepath.Join(out, "cells.jsonl")
	writeLines(t, store, []string{`{"version":1,"fingerprint":"x","config":{},"data_sha256":"","cells":36,"shard":0,"shards":1}`})
	_, stderr, code := runCmd(t, "-config", cfg, "-data", data, "-out", out, "-q")
	want := "sweep: " + store + ":1: results store version 1, this sweep reads 5; use -fresh\n"
	if code != 1 || stderr != want {
		t.Errorf("exit %d, %q; want 1, %q", code, stderr, want)
	}
	if !bytes.Contains([]byte(mustRead(t, store)), []byte(`"version":1`)) {
		t.Error("the old store was changed")
	}
}
