package upload

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"path"
	"strings"
)

// maxField bounds a form field's value (a model name).
const maxField = 1 << 10

// walk reads the parts of an upload in order: a form field (no file name)
// goes to field, each image file to image with its name and bytes, and each
// zip file's images (entries named .png, .jpg, .jpeg or .gif, as an image
// folder is read; hidden files and __MACOSX/ are left out) to image, named
// zip/entry. It counts images against lim.MaxImages, refuses a file or zip
// entry over lim.MaxBytes (a zip entry's declared size is checked first,
// then what it really expands to, read through a LimitReader) and zips
// that expand past expandFactor*lim.MaxBytes in all, and does not open a
// zip inside a zip. It stops at the first error.
func walk(mr *multipart.Reader, lim Limits, field func(name, value string) error, image func(name string, b []byte) error) error {
	w := &walker{lim: lim, image: image}
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err // a *http.MaxBytesError, or a malformed body
		}
		if part.FileName() == "" {
			b, err := io.ReadAll(io.LimitReader(part, maxField+1))
			if err != nil {
				return err
			}
			if len(b) > maxField {
				return badRequest("form field %q is longer than %d bytes", part.FormName(), maxField)
			}
			if err := field(part.FormName(), string(b)); err != nil {
				return err
			}
			continue
		}
		name := part.FileName()
		b, err := io.ReadAll(io.LimitReader(part, lim.MaxBytes+1))
		if err != nil {
			return err
		}
		if int64(len(b)) > lim.MaxBytes {
			return &reqError{http.StatusRequestEntityTooLarge, fmt.Sprintf("%s: larger than the limit of %s per file", name, formatBytes(lim.MaxBytes))}
		}
		if isZip(b) {
			err = w.zip(name, b)
		} else {
			err = w.add(name, b)
		}
		if err != nil {
			return err
		}
	}
}

// walker counts what a request has read so far.
type walker struct {
	lim      Limits
	image    func(name string, b []byte) error
	images   int
	expanded int64 // bytes the zips expanded to
}

// add hands one image on, counting it.
func (w *walker) add(name string, b []byte) error {
	w.images++
	if w.images > w.lim.MaxImages {
		return &reqError{http.StatusRequestEntityTooLarge, fmt.Sprintf("%s: more than %d images in one upload (zips' images count); send them in several", name, w.lim.MaxImages)}
	}
	return w.image(name, b)
}

// isZip reports whether b starts as a zip file does: a local file header,
// or the end record of an empty zip (PKWARE APPNOTE 4.3.7, 4.3.16).
func isZip(b []byte) bool {
	return bytes.HasPrefix(b, []byte("PK\x03\x04")) || bytes.HasPrefix(b, []byte("PK\x05\x06"))
}

// zip walks the images of the zip file b.
func (w *walker) zip(name string, b []byte) error {
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return badRequest("%s: not a readable zip file: %v", name, err)
	}
	// The central directory is already read: its entries are at most
	// len(b)/46 (the size of a directory record), so bounded by MaxBytes.
	for _, f := range zr.File {
		full := name + "/" + f.Name
		base := path.Base(f.Name)
		switch {
		case f.FileInfo().IsDir(), strings.HasPrefix(base, "."), strings.HasPrefix(f.Name, "__MACOSX/"):
			continue
		case strings.EqualFold(path.Ext(base), ".zip"):
			return badRequest("%s: a zip inside a zip is not opened; upload it on its own", full)
		case !isImageName(base):
			continue
		}
		if w.images+1 > w.lim.MaxImages {
			return w.add(full, nil) // the error
		}
		if f.UncompressedSize64 > uint64(w.lim.MaxBytes) {
			return &reqError{http.StatusRequestEntityTooLarge, fmt.Sprintf("%s: declares %d bytes uncompressed, over the limit of %s per image", full, f.UncompressedSize64, formatBytes(w.lim.MaxBytes))}
		}
		data, err := w.read(full, f)
		if err != nil {
			return err
		}
		if isZip(data) {
			return badRequest("%s: a zip inside a zip is not opened; upload it on its own", full)
		}
		if err := w.add(full, data); err != nil {
			return err
		}
	}
	return nil
}

// read expands one zip entry, trusting no size its headers declare: it
// reads at most MaxBytes+1 bytes, and at most what the request's budget
// of expandFactor*MaxBytes has left.
func (w *walker) read(full string, f *zip.File) ([]byte, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, badRequest("%s: cannot open the zip entry: %v", full, err)
	}
	defer rc.Close()
	budget := min(w.lim.MaxBytes, expandFactor*w.lim.MaxBytes-w.expanded)
	data, err := io.ReadAll(io.LimitReader(rc, budget+1))
	w.expanded += int64(len(data))
	switch {
	case int64(len(data)) > w.lim.MaxBytes:
		return nil, &reqError{http.StatusRequestEntityTooLarge, fmt.Sprintf("%s: expands past the limit of %s per image (a zip bomb?)", full, formatBytes(w.lim.MaxBytes))}
	case int64(len(data)) > budget:
		return nil, &reqError{http.StatusRequestEntityTooLarge, fmt.Sprintf("%s: the zips of this upload expand past %s in all", full, formatBytes(expandFactor*w.lim.MaxBytes))}
	case errors.Is(err, zip.ErrFormat), errors.Is(err, zip.ErrChecksum):
		return nil, badRequest("%s: a broken zip entry: %v (its sizes or checksum do not match its data)", full, err)
	case err != nil:
		return nil, badRequest("%s: cannot read the zip entry: %v", full, err)
	}
	return data, nil
}

// isImageName reports whether name has an image extension (compared
// case-insensitively), as the image folder reader selects files.
func isImageName(name string) bool {
	switch strings.ToLower(path.Ext(name)) {
	case ".png", ".jpg", ".jpeg", ".gif":
		return true
	}
	return false
}
