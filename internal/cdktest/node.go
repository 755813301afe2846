package cdktest

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/aws/jsii-runtime-go"
)

// PinnedNodeDir is the folder, under the repository root, where scripts/setup installs
// the Node release that tools/package.json pins (one that jsii supports), next to the
// CDK CLI.
const PinnedNodeDir = "tools/node_modules/.bin"

// UsePinnedNode makes this test binary's jsii runtime, and the programs it starts
// (the CDK app, the CDK CLI), run on the pinned Node, whatever node PATH finds first:
// plain `go test ./...` then behaves as scripts/test. It puts the pinned Node's folder
// first on PATH and names the Node in JSII_NODE, which jsii-runtime-go reads.
//
// jsii-runtime-go reads JSII_NODE and resolves "node" on PATH while the CDK's
// packages initialize, before TestMain runs, and starts that Node only at the first
// call into the construct library. So UsePinnedNode also closes the runtime, which
// drops the Node process prepared then, unstarted, and its temporary folder; the first
// call prepares a new one, with the new environment. It returns an error, saying to
// run scripts/setup, when the pinned Node is not installed.
func UsePinnedNode() error {
	root, err := RepoRoot()
	if err != nil {
		return fmt.Errorf("cannot find the pinned Node: %w", err)
	}
	dir := filepath.Join(root, filepath.FromSlash(PinnedNodeDir))
	node := filepath.Join(dir, "node")
	if st, err := os.Stat(node); err != nil || st.IsDir() || st.Mode()&0o111 == 0 {
		return fmt.Errorf("the pinned Node (%s) is not installed: run scripts/setup", node)
	}
	if err := os.Setenv("PATH", dir+string(os.PathListSeparator)+os.Getenv("PATH")); err != nil {
		return err
	}
	if err := os.Setenv("JSII_NODE", node); err != nil {
		return err
	}
	jsii.Close()
	return nil
}
