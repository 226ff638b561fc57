package ingest

import (
	"bytes"
	"errors"
	"fmt"
	"handbook/content"
	"slices"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"
)

// FrontMatterKeys lists the metadata keys a document may set. Any other key
// is an error, so a typo never silently drops metadata.
var FrontMatterKeys = []string{
	"title", "org", "type", "topics", "lang", "year", "edition", "status", "level", "summary",
	"translation_of", "superseded_by", "audience", "region",
}

// decodeFrontMatter decodes YAML metadata into a Document, naming the field
// in every error.
func decodeFrontMatter(path string, meta []byte) (*content.Document, error) {
	var fields map[string]yaml.Node
	if err := yaml.Unmarshal(meta, &fields); err != nil {
		return nil, &content.MetaError{Path: path, Msg: "front matter is not valid YAML: " + yamlMessage(err)}
	}
	keys := make([]string, 0, len(fields))
	for k := range fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var d content.Document
	for _, k := range keys {
		node := fields[k]
		var err error
		switch k {
		case "title":
			err = scalar(&node, &d.Title)
		case "org":
			d.Organizations, err = list(&node)
		case "type":
			err = scalar(&node, &d.Type)
		case "topics":
			d.Topics, err = list(&node)
		case "lang":
			err = scalar(&node, &d.Language)
		case "year":
			var s string
			if err = scalar(&node, &s); err == nil {
				_, err = fmt.Sscanf(s, "%d", &d.Year)
				if err != nil || fmt.Sprint(d.Year) != strings.TrimSpace(s) {
					err = fmt.Errorf("%q is not a year", s)
				}
			}
		case "edition":
			err = scalar(&node, &d.Edition)
		case "status":
			err = scalar(&node, &d.Status)
		case "level":
			err = scalar(&node, &d.Level)
		case "summary":
			err = scalar(&node, &d.Summary)
		case "translation_of":
			err = scalar(&node, &d.TranslationOf)
		case "superseded_by":
			err = scalar(&node, &d.SupersededBy)
		case "audience":
			d.Audience, err = list(&node)
		case "region":
			d.Region, err = list(&node)
		default:
			return nil, &content.MetaError{Path: path, Field: k, Msg: "unknown key (known keys: " + strings.Join(FrontMatterKeys, ", ") + ")"}
		}
		if err != nil {
			return nil, &content.MetaError{Path: path, Field: k, Msg: yamlMessage(err)}
		}
	}
	d.Type = strings.TrimSpace(d.Type)
	d.Title = strings.TrimSpace(d.Title)
	return &d, nil
}

func scalar(n *yaml.Node, dst *string) error {
	if n.Kind != yaml.ScalarNode {
		return errors.New("must be a single value")
	}
	*dst = strings.TrimSpace(n.Value)
	return nil
}

// list accepts a YAML sequence of scalars or a single scalar.
func list(n *yaml.Node) ([]string, error) {
	if n.Kind == yaml.ScalarNode {
		if strings.TrimSpace(n.Value) == "" {
			return nil, nil
		}
		return []string{strings.TrimSpace(n.Value)}, nil
	}
	if n.Kind != yaml.SequenceNode {
		return nil, errors.New("must be a list of values")
	}
	out := make([]string, 0, len(n.Content))
	for _, c := range n.Content {
		if c.Kind != yaml.ScalarNode {
			return nil, errors.New("must be a list of single values")
		}
		if v := strings.TrimSpace(c.Value); !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out, nil
}

func yamlMessage(err error) string {
	return strings.TrimPrefix(err.Error(), "yaml: ")
}

// FrontMatter splits Markdown data into the metadata of its YAML front
// matter (not validated: keys it leaves out stay empty) and the body after
// it. has is false, and body is data, when data opens with no front matter.
func FrontMatter(path string, data []byte) (meta *content.Document, body []byte, has bool, err error) {
	if !bytes.HasPrefix(data, []byte("---")) {
		return &content.Document{}, data, false, nil
	}
	raw, body, err := splitFrontMatter(data)
	if err != nil {
		return nil, nil, true, &content.MetaError{Path: path, Msg: err.Error()}
	}
	meta, err = decodeFrontMatter(path, raw)
	return meta, body, true, err
}
