package test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"slices"
	"testing"
)

// testMainCallsAny reports whether the Go file f has a TestMain that calls one of the
// functions named, each as package.Function.
func testMainCallsAny(t *testing.T, f string, names ...string) bool {
	t.Helper()
	file, err := parser.ParseFile(token.NewFileSet(), f, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, d := range file.Decls {
		fn, ok := d.(*ast.FuncDecl)
		if !ok || fn.Name.Name != "TestMain" || fn.Recv != nil || fn.Body == nil {
			continue
		}
		ast.Inspect(fn.Body, func(n ast.Node) bool {
			if call, ok := n.(*ast.CallExpr); ok {
				if sel, ok := call.Fun.(*ast.SelectorExpr); ok {
					if pkg, ok := sel.X.(*ast.Ident); ok && slices.Contains(names, pkg.Name+"."+sel.Sel.Name) {
						found = true
					}
				}
			}
			return !found
		})
	}
	return found
}

func TestEveryTestBinaryThatLinksTheCDKUsesThePinnedNode(t *testing.T) {
	// GIVEN every test binary of the module that links the jsii runtime, which starts
	// the node that PATH finds when the program starts unless told otherwise
	for _, b := range testBinaries(t) {
		if !slices.Contains(b.deps, "github.com/aws/jsii-runtime-go") {
			continue
		}
		// WHEN its test files are parsed
		files, _ := filepath.Glob(filepath.Join(b.dir, "*_test.go"))
		pinned := false
		for _, f := range files {
			pinned = pinned || testMainCallsAny(t, f, "cdktest.Main", "cdktest.UsePinnedNode")
		}
		// THEN one of them has a TestMain that switches to the pinned Node, so that plain
		// `go test ./...` does not run the CDK on whatever node the machine has
		if !pinned {
			t.Errorf("%s links the jsii runtime but does not switch to the pinned Node: add func TestMain(m *testing.M) { cdktest.Main(m) }", b.name)
		}
	}
}
