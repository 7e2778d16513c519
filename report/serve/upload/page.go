package upload

import (
	"bytes"
	_ "embed"
	"fmt"
	"html/template"
	"strings"

	"sweep/experiments/model"
)

//go:embed page.html
var pageHTML string

// pageModel is what the page knows of a served model.
type pageModel struct {
	Index    int           `json:"index"`
	Cell     string        `json:"cell"`
	Summary  string        `json:"summary"`
	Clusters []pageCluster `json:"clusters"`
}

// pageCluster is a cluster's mapped label and its nearest training images.
type pageCluster struct {
	Label   string     `json:"label"`
	Nearest []pageNear `json:"nearest"`
}

type pageNear struct {
	Src   string `json:"src"` // PNG data URL
	Title string `json:"title"`
}

// renderPage renders the page once: it depends on the models and limits
// alone.
func renderPage(models []*model.Model, lim Limits) ([]byte, error) {
	t, err := template.New("page").Parse(pageHTML)
	if err != nil {
		return nil, fmt.Errorf("upload: page template: %w", err)
	}
	var pm []pageModel
	for i, m := range models {
		p := pageModel{Index: i, Cell: m.Cell, Summary: m.Summary()}
		for c := range m.Centers {
			pc := pageCluster{Nearest: []pageNear{}}
			if m.Mapping != nil {
				pc.Label = m.LabelName(m.Mapping[c])
			}
			if c < len(m.Nearest) {
				for _, e := range m.Nearest[c] {
					title := fmt.Sprintf("training image %d, distance %.3f", e.Line, e.Distance)
					if e.Label >= 0 {
						title += ", labelled " + m.LabelName(e.Label)
					}
					pc.Nearest = append(pc.Nearest, pageNear{Src: thumbnail(e.Pixels, m.Side), Title: title})
				}
			}
			p.Clusters = append(p.Clusters, pc)
		}
		pm = append(pm, p)
	}
	var buf bytes.Buffer
	err = t.Execute(&buf, map[string]any{
		"Models": pm,
		"Limits": fmt.Sprintf("at most %s, %d images (zips' included) of up to %dx%d pixels each",
			formatBytes(lim.MaxBytes), lim.MaxImages, lim.MaxSide, lim.MaxSide),
		"Accept": strings.Join([]string{".png", ".jpg", ".jpeg", ".gif", ".zip", "image/png", "image/jpeg", "image/gif", "application/zip"}, ","),
	})
	if err != nil {
		return nil, fmt.Errorf("upload: page template: %w", err)
	}
	return buf.Bytes(), nil
}
