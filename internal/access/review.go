package access

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// Files WriteReviewFiles writes into a cloud assembly.
const (
	// AccessFile is the access report, in Markdown.
	AccessFile = "access.md"
	// TopologyFile is the Mermaid diagram of the accounts and links, in Markdown.
	TopologyFile = "topology.md"
)

// LoadGraph returns the graph of path: a cloud assembly directory, or a topology
// file.
func LoadGraph(path string) (*Graph, error) {
	info, err := os.Stat(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("%q: no such file or directory", path)
		}
		return nil, err
	}
	if !info.IsDir() {
		return GraphFromTopology(path)
	}
	a, err := LoadAssembly(path)
	if err != nil {
		return nil, err
	}
	return GraphOf(a)
}

// WriteReviewFiles writes the access report (AccessFile) and the diagram of the
// accounts and links (TopologyFile) of the cloud assembly in dir into dir.
func WriteReviewFiles(dir string) error {
	a, err := LoadAssembly(dir)
	if err != nil {
		return err
	}
	r, err := Analyze(a)
	if err != nil {
		return err
	}
	g, err := GraphOf(a)
	if err != nil {
		return err
	}
	diagram := "# Accounts and links\n\n```mermaid\n" + g.Mermaid() + "```\n"
	if err := os.WriteFile(filepath.Join(dir, AccessFile), []byte(r.Markdown()), 0o644); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, TopologyFile), []byte(diagram), 0o644)
}
