package dataset

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"strings"

	"github.com/klauspost/compress/gzip"
)

// Archives: a CSV file is also read from inside a .zip, .tar or .tar.gz
// (Kaggle ships FER2013 as fer2013.tar.gz inside a zip), nested as deep
// as a zip holding tar archives: the only *.csv (or *.csv.gz) member, or,
// where no member is a CSV file, the only tar member, searched the same
// way; or the member named after '#': data.zip#fer2013.tar.gz#fer2013/fer2013.csv.
// A member is named by its path in the archive or, when that is unique,
// by its base name. Archives are detected by content, not by name.

// maxListed bounds the member names an error lists.
const maxListed = 10

// splitMember splits "x.zip#a#b" into the file x.zip and the members a,
// b, when path itself is not a file and the part before a '#' is.
func splitMember(p string) (file string, members []string) {
	if _, err := os.Stat(p); err == nil || !strings.Contains(p, "#") {
		return p, nil
	}
	for i := 0; i < len(p); i++ {
		if p[i] != '#' {
			continue
		}
		if fi, err := os.Stat(p[:i]); err == nil && fi.Mode().IsRegular() {
			return p[:i], strings.Split(p[i+1:], "#")
		}
	}
	return p, nil
}

// openFile opens the data file at p (see splitMember) and returns what to
// read: the file itself, or the CSV member of the archive it is; close
// closes both.
func openFile(p string) (f *os.File, r io.Reader, close func(), err error) {
	file, members := splitMember(p)
	f, err = os.Open(file)
	if err != nil {
		return nil, nil, nil, err
	}
	fi, err := f.Stat()
	if err != nil || !fi.Mode().IsRegular() {
		if len(members) > 0 {
			f.Close()
			return nil, nil, nil, fmt.Errorf("open %s: not a regular file, so it has no member %s", file, members[0])
		}
		return f, f, func() {}, nil // a FIFO or device: read as it comes
	}
	rc, err := openArchived(f, fi.Size(), file, members)
	if err != nil {
		f.Close()
		return nil, nil, nil, err
	}
	if rc == nil {
		return f, f, func() {}, nil
	}
	return f, rc, func() { rc.Close() }, nil
}

// archiveKind says what the bytes of ra are: "zip", "tar", "tar.gz" or
// "" for anything else.
func archiveKind(ra io.ReaderAt, size int64) string {
	var head [512]byte
	n, _ := ra.ReadAt(head[:], 0)
	switch {
	case n >= 4 && (string(head[:4]) == "PK\x03\x04" || string(head[:4]) == "PK\x05\x06"):
		return "zip"
	case isTarHeader(head[:n]):
		return "tar"
	case n >= 2 && head[0] == 0x1f && head[1] == 0x8b:
		zr, err := gzip.NewReader(io.NewSectionReader(ra, 0, size))
		if err != nil {
			return ""
		}
		defer zr.Close()
		m, _ := io.ReadFull(zr, head[:])
		if isTarHeader(head[:m]) {
			return "tar.gz"
		}
	}
	return ""
}

// isTarHeader reports whether b starts with a POSIX (ustar) tar header.
func isTarHeader(b []byte) bool {
	return len(b) >= 262 && string(b[257:262]) == "ustar"
}

// openArchived opens the CSV member of the archive in ra (file names it),
// or returns nil when ra is no archive and members is empty.
func openArchived(ra io.ReaderAt, size int64, file string, members []string) (io.ReadCloser, error) {
	kind := archiveKind(ra, size)
	want := ""
	if len(members) > 0 {
		want = members[0]
	}
	switch kind {
	case "":
		if want != "" {
			return nil, fmt.Errorf("open %s: not a zip or tar archive, so it has no member %s", file, want)
		}
		return nil, nil
	case "zip":
		zr, err := zip.NewReader(ra, size)
		if err != nil {
			return nil, fmt.Errorf("open %s: zip: %w", file, err)
		}
		var names []string
		byName := map[string]*zip.File{}
		for _, zf := range zr.File {
			if !zf.FileInfo().IsDir() {
				names = append(names, zf.Name)
				byName[zf.Name] = zf
			}
		}
		name, err := pickMember(file, names, want)
		if err != nil {
			return nil, err
		}
		return openMember(byName[name].Open, file, members)
	}
	open := func() (io.ReadCloser, error) {
		sr := io.NewSectionReader(ra, 0, size)
		if kind == "tar" {
			return io.NopCloser(sr), nil
		}
		return gzip.NewReader(sr)
	}
	return openTar(open, file, want, members)
}

// openTar opens the CSV member of the tar stream open returns (twice: once
// to list the members, once to read one).
func openTar(open func() (io.ReadCloser, error), file, want string, members []string) (io.ReadCloser, error) {
	rc, err := open()
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", file, err)
	}
	var names []string
	tr := tar.NewReader(rc)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			rc.Close()
			return nil, fmt.Errorf("open %s: tar: %w", file, err)
		}
		if h.Typeflag == tar.TypeReg {
			names = append(names, h.Name)
		}
	}
	rc.Close()
	name, err := pickMember(file, names, want)
	if err != nil {
		return nil, err
	}
	member := func() (io.ReadCloser, error) {
		rc, err := open()
		if err != nil {
			return nil, err
		}
		tr := tar.NewReader(rc)
		for {
			h, err := tr.Next()
			if err != nil {
				rc.Close()
				return nil, fmt.Errorf("tar: %w", err)
			}
			if h.Typeflag == tar.TypeReg && h.Name == name {
				return readCloser{tr, rc}, nil
			}
		}
	}
	return openMember(member, file, members)
}

type readCloser struct {
	io.Reader
	io.Closer
}

// openMember opens a chosen member: a tar archive in it is searched in
// turn (for members[1:], or its only CSV member); anything else is the
// data.
func openMember(open func() (io.ReadCloser, error), file string, members []string) (io.ReadCloser, error) {
	var rest []string
	if len(members) > 1 {
		rest = members[1:]
	}
	rc, err := open()
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", file, err)
	}
	// Is it a tar archive, plain or gzip-compressed?
	var head [512]byte
	n, _ := io.ReadFull(rc, head[:])
	rc.Close()
	gz := n >= 2 && head[0] == 0x1f && head[1] == 0x8b
	isTar := isTarHeader(head[:n])
	if gz {
		zr, err := gzip.NewReader(bytes.NewReader(head[:n]))
		if err == nil {
			m, _ := io.ReadFull(zr, head[:])
			isTar = isTarHeader(head[:m])
		}
	}
	if isTar {
		tarOpen := func() (io.ReadCloser, error) {
			rc, err := open()
			if err != nil || !gz {
				return rc, err
			}
			zr, err := gzip.NewReader(rc)
			if err != nil {
				rc.Close()
				return nil, err
			}
			return readCloser{zr, rc}, nil
		}
		want := ""
		if len(rest) > 0 {
			want = rest[0]
		}
		return openTar(tarOpen, file, want, rest)
	}
	if len(rest) > 0 {
		return nil, fmt.Errorf("open %s: %s is not a tar archive, so it has no member %s", file, members[0], rest[0])
	}
	return open()
}

// pickMember chooses the member to read: want (by path, else by unique
// base name), or the only CSV member, or the only tar member.
func pickMember(file string, names []string, want string) (string, error) {
	var csvs, tars []string
	for _, n := range names {
		l := strings.ToLower(n)
		switch {
		case strings.HasSuffix(l, ".csv") || strings.HasSuffix(l, ".csv.gz"):
			csvs = append(csvs, n)
		case strings.HasSuffix(l, ".tar") || strings.HasSuffix(l, ".tar.gz") || strings.HasSuffix(l, ".tgz"):
			tars = append(tars, n)
		}
	}
	if want != "" {
		var base []string
		for _, n := range names {
			if n == want {
				return n, nil
			}
			if path.Base(n) == want {
				base = append(base, n)
			}
		}
		if len(base) == 1 {
			return base[0], nil
		}
		if len(csvs) > 0 {
			return "", fmt.Errorf("open %s: no member %s in the archive (CSV files: %s)", file, want, listed(csvs))
		}
		return "", fmt.Errorf("open %s: no member %s in the archive (members: %s)", file, want, listed(names))
	}
	switch {
	case len(csvs) == 1:
		return csvs[0], nil
	case len(csvs) > 1:
		return "", fmt.Errorf("open %s: %d CSV files in the archive (%s); name one as %s#%s", file, len(csvs), listed(csvs), file, csvs[0])
	case len(tars) == 1:
		return tars[0], nil
	}
	return "", fmt.Errorf("open %s: no CSV file in the archive (members: %s)", file, listed(names))
}

// listed joins names, at most maxListed of them.
func listed(names []string) string {
	if len(names) > maxListed {
		return strings.Join(names[:maxListed], ", ") + fmt.Sprintf(" and %d more", len(names)-maxListed)
	}
	return strings.Join(names, ", ")
}

// sniffBinary says what head, the first bytes of data read as CSV, looks
// like when it is not text, and the line the CSV reader would refuse
// first (the header's); "" when it may be text. Every input it names is
// one the CSV reader refuses at that line.
func sniffBinary(head []byte) (string, int) {
	const folder = " (an image folder is read as a folder: pass its directory)"
	has := func(magic string) bool { return bytes.HasPrefix(head, []byte(magic)) }
	// The first non-empty line, the header, and its number.
	line, first := 1, head
	for len(first) > 0 && (first[0] == '\n' || first[0] == '\r' && len(first) > 1 && first[1] == '\n') {
		if first[0] == '\r' {
			first = first[1:]
		}
		first, line = first[1:], line+1
	}
	if i := bytes.IndexByte(first, '\n'); i >= 0 {
		first = first[:i]
	}
	binaryHeader := bytes.IndexByte(first, 0) >= 0
	switch {
	case has("\x89PNG\r\n\x1a\n"):
		return "this looks like a PNG image, not a CSV file" + folder, 1
	case has("\xff\xd8\xff"):
		return "this looks like a JPEG image, not a CSV file" + folder, 1
	case has("GIF87a"), has("GIF89a"):
		return "this looks like a GIF image, not a CSV file" + folder, 1
	case has("%PDF-"):
		return "this looks like a PDF document, not a CSV file", 1
	case has("PK\x03\x04"), has("PK\x05\x06"):
		return "this is a zip archive; sweep reads the CSV file in a zip given as a file path (data.zip, or data.zip#member.csv)", 1
	case isTarHeader(head) && binaryHeader && line == 1:
		return "this is a tar archive; sweep reads the CSV file in a tar given as a file path (data.tar, or data.tar#member.csv)", 1
	case has("BZh"):
		return "this is a bzip2 file; decompress it (bunzip2) or recompress it with gzip", 1
	case has("\xfd7zXZ\x00"):
		return "this is an xz file; decompress it (unxz) or recompress it with gzip", 1
	case has("7z\xbc\xaf\x27\x1c"):
		return "this is a 7-Zip archive; extract the CSV file (7z x) or repack it as zip or tar.gz", 1
	case has("Rar!\x1a\x07"):
		return "this is a RAR archive; extract the CSV file (unrar x) or repack it as zip or tar.gz", 1
	case has("\x93NUMPY"):
		return "this is a NumPy .npy file, not a CSV file (data.format: npy)", 1
	case has("\x7fELF"):
		return "this looks like a program (ELF), not a CSV file", 1
	case binaryHeader:
		return "this is binary data, not a CSV file", line
	}
	return "", 0
}
