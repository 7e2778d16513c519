package main

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sweep/experiments"
	"sweep/experiments/model"
	"sweep/report/plot"
	"unicode/utf8"
)

// runPredict applies a model file to a data file.
func runPredict(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("predict", stdout, stderr)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), "Usage: sweep predict -model MODEL.json -data FILE -o predictions.csv\n\nAssigns every image of FILE to the model's nearest cluster and its mapped label.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	modelPath := fs.String("model", "", "model `file` written by sweep fit (required)")
	dataPath := fs.String("data", "", "data `file` or image folder (required)")
	out := fs.String("o", "", "predictions `file` to write (default standard output)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *modelPath == "" || *dataPath == "" {
		return usageError{errors.New("predict: -model and -data are required")}
	}
	m, err := model.Load(*modelPath)
	if err != nil {
		return err
	}
	// An image folder is resized to the model's side; CSV and IDX files
	// must match it.
	d, err := loadData(context.Background(), experiments.DataConfig{Path: *dataPath, Size: m.Side, OnBadImage: m.Config.Data.OnBadImage}, stderr)
	if err != nil {
		return err
	}
	preds, err := m.Predict(d)
	if err != nil {
		return err
	}
	header := []string{"row", "source", "cluster", "distance", "label"}
	rows := make([][]string, len(preds))
	for i, p := range preds {
		src := strconv.Itoa(d.Line[i])
		if d.Paths != nil {
			src = d.Paths[i]
		}
		rows[i] = []string{strconv.Itoa(i), nameField(src), strconv.Itoa(p.Cluster),
			strconv.FormatFloat(p.Distance, 'g', -1, 64), nameField(m.LabelName(p.Label))}
	}
	if *out == "" {
		cw := csv.NewWriter(stdout)
		if err := cw.Write(header); err != nil {
			return err
		}
		return cw.WriteAll(rows) // WriteAll flushes.
	}
	if err := plot.WriteCSV(*out, header, rows); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "sweep: %d predictions in %s\n", len(preds), *out)
	return nil
}

// nameField is a file or label name as predict writes it into a CSV field:
// its bytes unchanged when they are valid UTF-8 (encoding/csv quotes
// commas, quotes and line breaks); otherwise, since a file name may be any
// bytes, each byte that is not part of valid UTF-8 becomes \xNN (lower-case
// hex) and each backslash \\, as in a Go string literal, so the bytes can
// be recovered.
func nameField(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == '\\':
			b.WriteString(`\\`)
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}
