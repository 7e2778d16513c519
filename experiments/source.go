package experiments

import (
	"fmt"

	"sweep/experiments/dataset"
)

// Source returns the dataset.Source the data config describes.
func (d DataConfig) Source() dataset.Source {
	return dataset.Source{Format: d.Format, Path: d.Path, Labels: d.Labels, Images: d.Images, Size: d.Size, OnBad: d.OnBadImage, MaxBytes: d.MaxBytes}
}

// validateSource checks format, size, labels and on_bad_image; every
// message names the field.
func (d DataConfig) validateSource() []error {
	var errs []error
	bad := func(field, format string, a ...any) { errs = append(errs, fieldErrorf(field, format, a...)) }
	switch d.Format {
	case dataset.FormatAuto, dataset.FormatCSV, dataset.FormatImages, dataset.FormatIDX, dataset.FormatNPY:
	default:
		bad("data.format", "unknown value %q (want csv, images, idx or npy; empty detects it)", d.Format)
	}
	if d.Images != "" && d.Format != dataset.FormatAuto && d.Format != dataset.FormatNPY {
		bad("data.images", "only for npy data; %s data are images themselves", d.Format)
	}
	const maxSize = 2048 // dataset.Open's bound: 2048x2048 pixels
	switch {
	case d.Size < 0 || d.Size > maxSize:
		bad("data.size", "%d out of range 1..%d", d.Size, maxSize)
	case d.Size > 0 && (d.Format == dataset.FormatCSV || d.Format == dataset.FormatIDX):
		bad("data.size", "only for image folders; %s files fix their own size", d.Format)
	}
	if d.Labels != "" && (d.Format == dataset.FormatCSV || d.Format == dataset.FormatImages) {
		bad("data.labels", "only for idx and npy data; %s data carries its own labels", d.Format)
	}
	switch d.OnBadImage {
	case "", dataset.OnBadFail, dataset.OnBadSkip:
	default:
		bad("data.on_bad_image", "unknown value %q (want fail or skip)", d.OnBadImage)
	}
	if d.MaxBytes < 0 {
		bad("data.max_bytes", "%d is below 0 (0 means half of the physical memory)", d.MaxBytes)
	}
	if d.OnBadImage != "" && (d.Format == dataset.FormatCSV || d.Format == dataset.FormatIDX || d.Format == dataset.FormatNPY) {
		bad("data.on_bad_image", "only for image folders, not %s data", d.Format)
	}
	return errs
}

// DataNotes are the sentences summary.md and index.html add about the data:
// that unlabelled data has no external scores, and how many image files
// were skipped.
func (s *Sweep) DataNotes() []string {
	var out []string
	if s.Classes == 0 {
		out = append(out, "The data has no labels, so there are no external scores (accuracy, ARI, NMI): only the silhouette says how well the clusters separate.")
	}
	if n := len(s.Data.Skipped); n > 0 {
		out = append(out, fmt.Sprintf("%d unreadable image files were skipped (data.on_bad_image: skip); manifest.json lists them.", n))
	}
	return out
}

// SkippedFiles lists d's skipped image files as "path: error", in valid
// UTF-8 for the report (dataset.ValidUTF8 escapes other bytes as \xNN).
func SkippedFiles(d *dataset.Dataset) []string {
	var out []string
	for _, b := range d.Skipped {
		out = append(out, dataset.ValidUTF8(fmt.Sprintf("%s: %v", b.Path, b.Err)))
	}
	return out
}
