package report

import (
	"bufio"
	"cmp"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"slices"
	"strconv"

	"sweep/experiments"
	"sweep/experiments/dataset"
	"sweep/internal/atomicfile"
	"sweep/report/plot"
)

// nearConstantSD is the pixel standard deviation (grey levels) below which
// an image counts as near-constant: blank or uniformly filled frames. Two
// grey levels is about the noise JPEG compression leaves in a flat area.
const nearConstantSD = 2.0

// DataSummary describes a dataset before any sweep: what `sweep inspect`
// prints and what every report includes.
type DataSummary struct {
	Name       string
	Rows       int
	Side       int
	HasLabels  bool
	LabelNames []string
	// Counts[label][usage] rows; one label (-1 collapsed to 0) without labels.
	Counts [][3]int
	// Duplicates counts rows whose pixels repeat an earlier row;
	// DuplicateConflicts those among them whose label differs from the
	// first copy's.
	Duplicates, DuplicateConflicts int
	// NearConstant counts images whose pixel standard deviation is below
	// nearConstantSD grey levels.
	NearConstant int
	// MinPixel and MaxPixel are the extreme grey levels of the whole file.
	MinPixel, MaxPixel float64
	// MeanPixel is the mean grey level.
	MeanPixel float64
	// Rejected lists the rows a lenient read skipped (sweep inspect); a
	// sweep refuses such a file instead.
	Rejected []dataset.Rejection
	// ImageFolder reports that the data is a folder of image files, whose
	// unreadable files are Skipped rather than Rejected rows.
	ImageFolder bool
	// Skipped lists the image files left out (data.on_bad_image: skip) as
	// "path: error", in valid UTF-8 (experiments.SkippedFiles).
	Skipped []string
	// samples holds two rows per label (the first in a seeded order of
	// content hashes) for the samples picture.
	samples [][]int
}

// maxListed bounds the rejected rows listed by line in data.md.
const maxListed = 20

// SummarizeData computes the DataSummary of d. names may be nil.
func SummarizeData(d *dataset.Dataset, names []string) *DataSummary {
	s := &DataSummary{Name: dataset.ValidUTF8(d.Name), Rows: d.N(), Side: d.Side, HasLabels: d.HasLabels,
		ImageFolder: d.Paths != nil, MinPixel: math.Inf(1), MaxPixel: math.Inf(-1)}
	s.Skipped = experiments.SkippedFiles(d)
	classes := 1
	if d.HasLabels {
		for _, l := range d.Labels {
			classes = max(classes, l+1)
		}
	}
	if len(names) == 0 {
		names = d.LabelNames // an image folder's class folders
	}
	s.LabelNames = experiments.DefaultLabelNames(names, classes)
	s.Counts = make([][3]int, classes)
	label := func(i int) int {
		if d.HasLabels {
			return d.Labels[i]
		}
		return 0
	}
	first := map[uint64][]int{} // pixel hash -> rows with that hash that are first copies
	hashes := make([]uint64, d.N())
	var sum float64
	for i := 0; i < d.N(); i++ {
		s.Counts[label(i)][d.Usage[i]]++
		row := d.Row(i)
		var m, m2 float64
		for _, v := range row {
			x := float64(v)
			m += x
			m2 += x * x
			// Comparisons, not math.Min/Max: grey levels are never NaN, and
			// this loop sees every pixel of the file (math.Min/Max cost 0.7 s
			// of CPU on FER2013, on the report's critical path).
			if x < s.MinPixel {
				s.MinPixel = x
			}
			if x > s.MaxPixel {
				s.MaxPixel = x
			}
		}
		h := pixelHash(row)
		sum += m
		mean := m / float64(len(row))
		if sd := math.Sqrt(math.Max(m2/float64(len(row))-mean*mean, 0)); sd < nearConstantSD {
			s.NearConstant++
		}
		hashes[i] = h
		dup := false
		for _, j := range first[h] {
			if slices.Equal(d.Row(j), row) {
				dup = true
				s.Duplicates++
				if label(j) != label(i) {
					s.DuplicateConflicts++
				}
				break
			}
		}
		if !dup {
			first[h] = append(first[h], i)
		}
	}
	if d.N() > 0 {
		s.MeanPixel = sum / float64(d.N()*d.Dim)
	}
	// Samples: per label, the two rows with the smallest content hash;
	// stable under reordering of the file.
	// Exact duplicates share a hash, so distinct hashes give two different faces.
	s.samples = make([][]int, classes)
	for i := 0; i < d.N(); i++ {
		l := label(i)
		if slices.ContainsFunc(s.samples[l], func(j int) bool { return hashes[j] == hashes[i] }) {
			continue
		}
		s.samples[l] = append(s.samples[l], i)
		slices.SortFunc(s.samples[l], func(a, b int) int { return cmp.Or(cmp.Compare(hashes[a], hashes[b]), cmp.Compare(a, b)) })
		if len(s.samples[l]) > 2 {
			s.samples[l] = s.samples[l][:2]
		}
	}
	return s
}

// pixelHash hashes the grey levels of row as bytes, eight at a time: FNV-1a
// over 64-bit little-endian words (a quarter of the multiplies of FNV-1a
// over bytes, which this loop's cost was), then MurmurHash3's 64-bit
// finalizer so that every input bit reaches every output bit. Equal rows
// hash equal; duplicates are confirmed by comparing pixels.
func pixelHash(row []float32) uint64 {
	h := uint64(fnvOffset64)
	for j := 0; j < len(row); j += 8 {
		var w uint64
		for k, v := range row[j:min(j+8, len(row))] {
			w |= uint64(byte(v)) << (8 * k)
		}
		h = (h ^ w) * fnvPrime64
	}
	return fmix64(h)
}

// fmix64 is the 64-bit finalizer of MurmurHash3 (Austin Appleby, 2011,
// public domain).
func fmix64(h uint64) uint64 {
	h ^= h >> 33
	h *= 0xff51afd7ed558ccd
	h ^= h >> 33
	h *= 0xc4ceb9fe1a85ec53
	h ^= h >> 33
	return h
}

var usageNames = []string{dataset.Training.String(), dataset.PublicTest.String(), dataset.PrivateTest.String()}

// Splits returns the usage splits that hold rows, in order; nil when every
// row is a training row (data without splits: an image folder, IDX files,
// a CSV file without a Usage column), which reports show as one count.
func (s *DataSummary) Splits() []dataset.Usage {
	var out []dataset.Usage
	for u := range usageNames {
		for _, c := range s.Counts {
			if c[u] > 0 {
				out = append(out, dataset.Usage(u))
				break
			}
		}
	}
	if len(out) == 1 && out[0] == dataset.Training {
		return nil
	}
	return out
}

// Table returns the class counts as a table, one row per label with rows:
// label, name, a count per split (Splits) or one "images" count when the
// data has no splits, and the total.
func (s *DataSummary) Table() (header []string, rows [][]string) {
	splits := s.Splits()
	header = []string{"label", "name"}
	for _, u := range splits {
		header = append(header, u.String())
	}
	header = append(header, "total")
	if splits == nil {
		header[len(header)-1] = "images"
	}
	for l, c := range s.Counts {
		n := c[0] + c[1] + c[2]
		if n == 0 {
			continue
		}
		name := "(unlabelled)"
		if s.HasLabels {
			name = s.LabelNames[l]
		}
		row := []string{strconv.Itoa(l), name}
		for _, u := range splits {
			row = append(row, strconv.Itoa(c[u]))
		}
		rows = append(rows, append(row, strconv.Itoa(n)))
	}
	return header, rows
}

// Markdown writes the summary as a short Markdown document.
func (s *DataSummary) Markdown(w io.Writer) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "# Data: %s\n\n", filepath.Base(s.Name))
	fmt.Fprintf(bw, "%d images of %dx%d pixels; grey levels %g..%g (mean %.1f).\n\n", s.Rows, s.Side, s.Side, s.MinPixel, s.MaxPixel, s.MeanPixel)
	fmt.Fprintf(bw, "- exact duplicates (pixels repeat an earlier row): %d", s.Duplicates)
	if s.HasLabels {
		fmt.Fprintf(bw, ", of which %d carry a different label", s.DuplicateConflicts)
	}
	fmt.Fprintf(bw, "\n- near-constant images (pixel sd below %g grey levels): %d\n", nearConstantSD, s.NearConstant)
	var listed []string
	switch {
	case s.ImageFolder:
		// The one count of skipped files; index.html gives the same one.
		fmt.Fprintf(bw, "- unreadable image files skipped (data.on_bad_image: skip): %d", len(s.Skipped))
		listed = s.Skipped
	default:
		fmt.Fprintf(bw, "- rows rejected: %d", len(s.Rejected))
		if len(s.Rejected) > 0 {
			fmt.Fprint(bw, " (a sweep refuses the file until they are fixed)")
		}
		for _, r := range s.Rejected {
			listed = append(listed, r.String())
		}
	}
	fmt.Fprintln(bw)
	for i, r := range listed {
		if i == maxListed {
			fmt.Fprintf(bw, "  - ... and %d more\n", len(listed)-maxListed)
			break
		}
		fmt.Fprintf(bw, "  - %s\n", r)
	}
	fmt.Fprintln(bw)
	header, rows := s.Table()
	tot := make([]int, len(header)-2)
	for _, row := range rows {
		for i := range tot {
			n, _ := strconv.Atoi(row[2+i])
			tot[i] += n
		}
	}
	all := []string{"", "all"}
	for _, n := range tot {
		all = append(all, strconv.Itoa(n))
	}
	if err := plot.MarkdownTable(bw, header, append(rows, all)); err != nil {
		return err
	}
	return bw.Flush()
}

// categoryName names label l in pictures: "3 Happy", or "7" when its name
// is its number (IDX digits).
func (s *DataSummary) categoryName(l int) string {
	if s.LabelNames[l] == strconv.Itoa(l) {
		return s.LabelNames[l]
	}
	return fmt.Sprintf("%d %s", l, s.LabelNames[l])
}

// WriteFiles writes data.md, classes.png (labelled data only: without
// labels it would be one bar) and samples.png into dir.
func (s *DataSummary) WriteFiles(dir string, d *dataset.Dataset) error {
	if err := atomicfile.Write(filepath.Join(dir, "data.md"), s.Markdown); err != nil {
		return err
	}
	var present []int
	for l, c := range s.Counts {
		if c[0]+c[1]+c[2] > 0 {
			present = append(present, l)
		}
	}
	if s.HasLabels {
		if err := s.writeClasses(filepath.Join(dir, "classes.png"), present); err != nil {
			return err
		}
	}
	img := d.ImageData()
	if img == nil {
		return nil // a NumPy matrix without images: no samples.png (index.html says why)
	}
	m := plot.Montage{Title: "two images per class", Side: img.Side, Scale: max(1, 96/max(img.Side, 1))}
	if !s.HasLabels {
		m.Title = "two sample images"
	}
	for _, l := range present {
		row := plot.MontageRow{}
		if s.HasLabels {
			row.Label = s.categoryName(l)
		}
		for _, r := range s.samples[l] {
			row.Images = append(row.Images, img.Row(r))
		}
		m.Rows = append(m.Rows, row)
	}
	return atomicfile.Write(filepath.Join(dir, "samples.png"), func(w io.Writer) error { return plot.MontagePNG(w, m) })
}

// writeClasses draws the images per class of the labels present, one bar
// per split when the data has splits.
func (s *DataSummary) writeClasses(path string, present []int) error {
	splits := s.Splits()
	bars := plot.Bars{
		Title:  fmt.Sprintf("%s: images per class", filepath.Base(s.Name)),
		XLabel: "class",
		YLabel: "images",
		Groups: []string{"images"},
	}
	if splits != nil {
		bars.Title += " and split"
		bars.Groups = nil
		for _, u := range splits {
			bars.Groups = append(bars.Groups, u.String())
		}
	}
	for _, l := range present {
		bars.Categories = append(bars.Categories, s.categoryName(l))
	}
	bars.Values = make([][]float64, len(bars.Groups))
	for g := range bars.Groups {
		for _, l := range present {
			n := s.Counts[l][0] + s.Counts[l][1] + s.Counts[l][2]
			if splits != nil {
				n = s.Counts[l][splits[g]]
			}
			bars.Values[g] = append(bars.Values[g], float64(n))
		}
	}
	return atomicfile.Write(path, func(w io.Writer) error { return plot.BarsPNG(w, bars) })
}

// FNV-1a's 64-bit offset basis and prime (Fowler, Noll and Vo).
const (
	fnvOffset64 = 14695981039346656037
	fnvPrime64  = 1099511628211
)

// dataFigures are the data section's pictures that WriteFiles draws:
// classes.png for labelled data, samples.png when there are images.
func dataFigures(ds *DataSummary, images bool) []htmlFigure {
	var out []htmlFigure
	if ds.HasLabels {
		what := "Images per class."
		if ds.Splits() != nil {
			what = "Images per class and split."
		}
		out = append(out, htmlFigure{File: "classes.png", Caption: what})
	}
	if images {
		what := "Two images of each class."
		if !ds.HasLabels {
			what = "Two sample images."
		}
		out = append(out, htmlFigure{File: "samples.png", Caption: what})
	}
	return out
}

// dataName is the name of s's data file as the report shows it: its base
// name, with bytes that are not UTF-8 escaped (dataset.ValidUTF8), so that
// every page and table stays valid UTF-8.
func dataName(s *experiments.Sweep) string {
	return dataset.ValidUTF8(filepath.Base(s.Data.Name))
}
