package plot

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sweep/internal/atomicfile"
	"unicode/utf8"
)

// WriteCSV writes header and rows to path as RFC 4180 CSV with "\n" line
// endings (encoding/csv), through WriteAtomic.
//
// Every row must have len(header) fields; WriteCSV panics otherwise.
func WriteCSV(path string, header []string, rows [][]string) error {
	checkTable(header, rows)
	return atomicfile.Write(path, func(w io.Writer) error {
		cw := csv.NewWriter(w)
		if err := cw.Write(header); err != nil {
			return err
		}
		if err := cw.WriteAll(rows); err != nil { // WriteAll flushes.
			return err
		}
		return nil
	})
}

// MarkdownTable writes header and rows to w as a GitHub-flavoured Markdown
// table. Columns are padded with spaces to their widest cell (counted in
// runes), and a column whose non-empty cells all parse with
// strconv.ParseFloat (and has at least one) is right-aligned ("---:").
// Cells are plain text: "\" is escaped as "\\" and "|" as "\|" (so that
// GitHub's table parser, which treats a backslash and the next character as
// one escaped character, splits columns only at the separators), and a line
// break ("\r\n", "\n" or "\r") becomes a space.
//
// Every row must have len(header) fields; MarkdownTable panics otherwise.
func MarkdownTable(w io.Writer, header []string, rows [][]string) error {
	checkTable(header, rows)
	cells := make([][]string, 0, len(rows)+1)
	cells = append(cells, escapeRow(header))
	for _, r := range rows {
		cells = append(cells, escapeRow(r))
	}
	ncol := len(header)
	width := make([]int, ncol)
	right := make([]bool, ncol)
	for j := range ncol {
		width[j] = 3 // the "---" of the delimiter row.
		numeric, seen := true, false
		for i, r := range cells {
			width[j] = max(width[j], utf8.RuneCountInString(r[j]))
			if i == 0 || r[j] == "" {
				continue
			}
			seen = true
			if _, err := strconv.ParseFloat(r[j], 64); err != nil {
				numeric = false
			}
		}
		right[j] = numeric && seen
	}

	var b strings.Builder
	writeRow := func(r []string) {
		b.WriteByte('|')
		for j, s := range r {
			pad := strings.Repeat(" ", width[j]-utf8.RuneCountInString(s))
			b.WriteByte(' ')
			if right[j] {
				b.WriteString(pad)
				b.WriteString(s)
			} else {
				b.WriteString(s)
				b.WriteString(pad)
			}
			b.WriteString(" |")
		}
		b.WriteByte('\n')
	}
	writeRow(cells[0])
	b.WriteByte('|')
	for j := range ncol {
		b.WriteByte(' ')
		if right[j] {
			b.WriteString(strings.Repeat("-", width[j]-1))
			b.WriteByte(':')
		} else {
			b.WriteString(strings.Repeat("-", width[j]))
		}
		b.WriteString(" |")
	}
	b.WriteByte('\n')
	for _, r := range cells[1:] {
		writeRow(r)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func escapeRow(r []string) []string {
	out := make([]string, len(r))
	for j, s := range r {
		s = strings.ReplaceAll(s, "\r\n", " ")
		s = strings.ReplaceAll(s, "\n", " ")
		s = strings.ReplaceAll(s, "\r", " ")
		s = strings.ReplaceAll(s, `\`, `\\`)
		out[j] = strings.ReplaceAll(s, "|", `\|`)
	}
	return out
}

func checkTable(header []string, rows [][]string) {
	if len(header) == 0 {
		panic("report: empty table header")
	}
	for i, r := range rows {
		if len(r) != len(header) {
			panic(fmt.Sprintf("report: table row %d has %d fields, header has %d", i, len(r), len(header)))
		}
	}
}
